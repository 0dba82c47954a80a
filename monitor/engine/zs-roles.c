/* zs-roles.c: the seed's programs, one function per role
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each role is written as the ZeroMQ guide's C program is, with the
 * runner's counted send/recv in place of zmq_send/zmq_recv. */
#define G_LOG_DOMAIN "zs-roles"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "zs-payload.h"
#include "zs-roles.h"

typedef struct {
  ZsRunner  *runner;
  ZsNode    *node;
  ZsMessage  msg;
} Role;

static void
role_init (Role     *role,
           ZsRunner *runner)
{
  role->runner = runner;
  role->node = zs_runner_get_node (runner);
  zs_message_init (&role->msg);
}

static void
role_clear (Role *role)
{
  zs_message_clear (&role->msg);
  g_free (role->msg.frames);
}

static gboolean
frame_equals (ZsMessage  *msg,
              guint       i,
              const char *text)
{
  gsize size;
  const guint8 *data;

  if (text == NULL || *text == '\0' || i >= msg->n_frames)
    return FALSE;
  data = zs_message_frame (msg, i, &size);
  return size == strlen (text) && memcmp (data, text, size) == 0;
}

static int
last_frame_int (ZsMessage *msg)
{
  g_autofree char *text = zs_message_frame_text (msg, msg->n_frames - 1);

  return atoi (text);
}

/* A role that sends needs something to send: without it the node fails
 * at once, saying why, rather than waiting or sending nothing. */
static gboolean
has_payload (Role *role)
{
  const char * const *payload = zs_node_get_payload (role->node);

  return (payload != NULL && payload[0] != NULL)
         || zs_runner_fail (role->runner, _("The payload is empty: this node has no message to send"));
}

/* Waits for peers, then the start delay, as the node asks. */
static gboolean
prepare_to_send (Role  *role,
                 guint  local)
{
  return zs_runner_wait_peers (role->runner, local, zs_node_get_wait_peers (role->node))
         && zs_runner_sleep (role->runner, zs_node_get_start_delay_ms (role->node));
}

/* Sends message 1..count (forever if count is 0), paced by interval-ms. */
static gboolean
send_batch (Role  *role,
            guint  local)
{
  return zs_runner_send_sequence (role->runner, local, zs_node_get_count (role->node),
                                  zs_node_get_interval_ms (role->node), &role->msg);
}

static gboolean
send_end_marker (Role  *role,
                 guint  local)
{
  const char *marker = zs_node_get_end_marker (role->node);

  return marker == NULL || *marker == '\0' || zs_runner_send_text (role->runner, local, marker);
}

/* ---- publisher (wuserver, syncpub, psenvpub, durapub) ---- */

static gboolean
await_sync_requests (Role *role)
{
  int sync = zs_runner_find_socket (role->runner, "sync");
  guint wanted = zs_node_get_sync_count (role->node);

  if (sync < 0 || wanted == 0)
    return TRUE;
  zs_runner_set_state (role->runner, ZS_NODE_STATE_WAITING);
  for (guint i = 0; i < wanted; i++)
    if (zs_runner_recv (role->runner, sync, &role->msg, -1) != ZS_RECV_OK
        || !zs_runner_send_text (role->runner, sync, ""))
      return FALSE;
  zs_runner_set_state (role->runner, ZS_NODE_STATE_RUNNING);
  return TRUE;
}

static gboolean
run_publisher (Role *role)
{
  if (!has_payload (role) || !await_sync_requests (role) || !prepare_to_send (role, 0) || !send_batch (role, 0)
      || !send_end_marker (role, 0))
    return FALSE;
  zs_runner_set_result (role->runner, ngettext ("Sent %u message", "Sent %u messages", zs_node_get_count (role->node)),
                        zs_node_get_count (role->node));
  return TRUE;
}

/* ---- subscriber (wuclient, syncsub, psenvsub, durasub) ---- */

typedef struct {
  guint64    received;
  gint64     field_sum;     /* wuclient averages the second number of each update */
  guint64    field_count;
  ZsMessage  buffers[2];    /* the last message, and the one to receive into next */
  guint      last;          /* which buffer holds the last message */
} Tally;

static void
tally_init (Tally *tally)
{
  memset (tally, 0, sizeof *tally);
  zs_message_init (&tally->buffers[0]);
  zs_message_init (&tally->buffers[1]);
}

/* Where the next message is received: the last one is kept, nothing is
 * copied per message. */
static ZsMessage *
tally_next (Tally *tally)
{
  return &tally->buffers[1 - tally->last];
}

/* A weather update, "zipcode temperature humidity" (a number, then two
 * more): its temperature, without allocating. Other payloads are not
 * weather, whatever numbers they hold. */
static gboolean
weather_temperature (const guint8 *data,
                     gsize         size,
                     gint64       *value)
{
  const guint8 *space;
  char digits[24];
  gsize start, n = 0;
  char *end;

  /* Most payloads are not weather: the first byte tells. */
  if (size == 0 || !g_ascii_isdigit (data[0]))
    return FALSE;
  space = memchr (data, ' ', size);
  if (space == NULL)
    return FALSE;
  for (const guint8 *p = data; p < space; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  start = space - data + 1;
  while (start + n < size && n < sizeof digits - 1 && data[start + n] != ' ')
    {
      digits[n] = (char) data[start + n];
      n++;
    }
  digits[n] = '\0';
  *value = g_ascii_strtoll (digits, &end, 10);
  return n > 0 && *end == '\0' && start + n < size;
}

/* Counts the message received into tally_next (), and keeps it as the last one. */
static void
tally_message (Tally     *tally,
               ZsMessage *msg)
{
  gsize size;
  const guint8 *data = zs_message_frame (msg, msg->n_frames - 1, &size);
  gint64 value;

  tally->received++;
  if (weather_temperature (data, size, &value))
    {
      tally->field_sum += value;
      tally->field_count++;
    }
  tally->last = 1 - tally->last;
}

static char *
describe_message (ZsMessage *msg)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < msg->n_frames; i++)
    {
      g_autofree char *frame = zs_message_frame_text (msg, i);

      if (msg->n_frames > 1 && i + 1 < msg->n_frames)
        g_string_append_printf (text, "[%s] ", frame);
      else
        g_string_append (text, frame);
    }
  return g_string_free (text, FALSE);
}

static void
tally_clear (Tally *tally)
{
  zs_message_free_frames (&tally->buffers[0]);
  zs_message_free_frames (&tally->buffers[1]);
}

static void
report_tally (Role  *role,
              Tally *tally)
{
  const char * const *filters = zs_socket_spec_get_subscribe (zs_node_get_socket (role->node, 0));
  const char *filter = filters && filters[0] ? filters[0] : "";

  if (tally->field_count == tally->received && tally->received > 0 && *filter != '\0')
    zs_runner_set_result (role->runner, _("Received %" PRIu64 " updates; average temperature "
                                          "for zipcode '%s' was %" PRId64 "F"),
                          tally->received, filter, tally->field_sum / (gint64) tally->field_count);
  else
    {
      g_autofree char *last = tally->received > 0 ? describe_message (&tally->buffers[tally->last]) : g_strdup ("—");

      zs_runner_set_result (role->runner, ngettext ("Received %" PRIu64 " message; last: %s",
                                                    "Received %" PRIu64 " messages; last: %s", tally->received),
                            tally->received, last);
    }
}

/* syncsub: once connected, check in with the publisher and wait for its go.
 * Without a sync socket, start-delay-ms makes a late reader. */
static gboolean
check_in (Role *role)
{
  int sync = zs_runner_find_socket (role->runner, "sync");

  if (sync < 0)
    return zs_runner_sleep (role->runner, zs_node_get_start_delay_ms (role->node));
  return zs_runner_wait_peers (role->runner, 0, -1)
         && zs_runner_sleep (role->runner, zs_node_get_start_delay_ms (role->node))
         && zs_runner_send_text (role->runner, sync, "")
         && zs_runner_recv (role->runner, sync, &role->msg, -1) == ZS_RECV_OK;
}

/* Durable subscriber: after `offline-after` messages, close the socket, stay
 * away `offline-ms`, and come back with the same routing id. */
static gboolean
maybe_go_offline (Role  *role,
                  Tally *tally,
                  guint  after)
{
  if (after == 0 || tally->received != after)
    return TRUE;
  zs_runner_set_state (role->runner, ZS_NODE_STATE_WAITING);
  if (!zs_runner_reset_socket (role->runner, 0, FALSE) || !zs_runner_sleep (role->runner, zs_node_get_offline_ms (role->node)))
    return FALSE;
  if (!zs_runner_reset_socket (role->runner, 0, TRUE))
    return FALSE;
  zs_runner_set_state (role->runner, ZS_NODE_STATE_RUNNING);
  return TRUE;
}

static gboolean
run_receiver (Role  *role,
              guint  local,
              Tally *tally)
{
  guint count = zs_node_get_count (role->node);
  guint idle = zs_node_get_idle_timeout_ms (role->node);
  guint work = zs_node_get_work_ms (role->node);
  guint offline_after = zs_node_get_offline_after (role->node);
  const char *marker = zs_node_get_end_marker (role->node);

  while (count == 0 || tally->received < count)
    {
      ZsMessage *msg = tally_next (tally);
      ZsRecvResult rc;

      if (!maybe_go_offline (role, tally, offline_after))
        return FALSE;
      rc = zs_runner_recv (role->runner, local, msg, idle > 0 ? (int) idle : -1);
      if (rc == ZS_RECV_TIMEOUT)
        break;
      if (rc != ZS_RECV_OK)
        return FALSE;
      if (frame_equals (msg, 0, marker))
        break;
      tally_message (tally, msg);
      zs_runner_progress (role->runner, tally->received);
      /* A slow subscriber: what makes a publisher reach its HWM. */
      if (work > 0 && !zs_runner_sleep (role->runner, work))
        return FALSE;
    }
  return TRUE;
}

static gboolean
run_subscriber (Role *role)
{
  Tally tally;
  gboolean ok;

  tally_init (&tally);
  ok = check_in (role) && run_receiver (role, 0, &tally);

  if (ok)
    report_tally (role, &tally);
  tally_clear (&tally);
  return ok;
}

/* ---- client and server (hwclient, hwserver, rrclient, rrworker) ---- */

static void
add_delimiter_if_dealer (Role      *role,
                         guint      local,
                         ZsMessage *msg)
{
  ZsMessage framed;

  if (zs_runner_socket_type (role->runner, local) != ZS_SOCKET_DEALER)
    return;
  /* DEALER talking to REP must add the empty delimiter REQ would add. */
  zs_message_init (&framed);
  zs_message_add_frame (&framed, "", 0);
  for (guint i = 0; i < msg->n_frames; i++)
    {
      gsize size;
      const guint8 *data = zs_message_frame (msg, i, &size);
      zs_message_add_frame (&framed, data, size);
    }
  zs_message_clear (msg);
  g_free (msg->frames);
  *msg = framed;
}

static gboolean
ask (Role    *role,
     guint64  seq)
{
  zs_runner_build (role->runner, seq, &role->msg);
  add_delimiter_if_dealer (role, 0, &role->msg);
  return zs_runner_send (role->runner, 0, &role->msg);
}

/* The reply to request `seq`. With a reply timeout, the lazy pirate: no
 * reply in time, the REQ socket is stuck (it may not send again), so it
 * is closed, a new one opened, and the request asked again, `retries`
 * times before the client gives up. */
static gboolean
await_reply (Role    *role,
             guint64  seq)
{
  guint timeout = zs_node_get_request_timeout_ms (role->node);
  guint retries = zs_node_get_retries (role->node);

  for (guint tries = 0;; tries++)
    {
      ZsRecvResult r = zs_runner_recv (role->runner, 0, &role->msg, timeout > 0 ? (int) MIN (timeout, G_MAXINT) : -1);

      if (r != ZS_RECV_TIMEOUT)
        return r == ZS_RECV_OK;
      if (tries == retries)
        return zs_runner_fail (role->runner, _("No reply within %u ms, %u times: the server seems to be offline; "
                                               "giving up"), timeout, retries + 1);
      if (!zs_runner_reset_socket (role->runner, 0, TRUE) || !ask (role, seq))
        return FALSE;
    }
}

static gboolean
run_client (Role *role)
{
  guint count = zs_node_get_count (role->node);
  guint interval = zs_node_get_interval_ms (role->node);
  g_autofree char *reply = NULL;
  guint64 seq;

  if (!has_payload (role) || !prepare_to_send (role, 0))
    return FALSE;
  for (seq = 1; count == 0 || seq <= count; seq++)
    {
      if (!ask (role, seq) || !await_reply (role, seq))
        return FALSE;
      g_free (reply);
      reply = zs_message_frame_text (&role->msg, role->msg.n_frames - 1);
      zs_runner_progress (role->runner, seq);
      if (interval > 0 && !zs_runner_sleep (role->runner, interval))
        return FALSE;
    }
  zs_runner_set_result (role->runner, _("Received %" PRIu64 " replies; last: %s"),
                        seq - 1, reply ? reply : "—");
  return TRUE;
}

/* The reply keeps the request's envelope (ROUTER, DEALER) and replaces its body. */
static void
make_reply (ZsMessage *request,
            ZsPayload *body,
            guint64    seq,
            ZsMessage *reply)
{
  g_autoptr(GByteArray) text = g_byte_array_new ();

  zs_message_clear (reply);
  for (guint i = 0; i + 1 < request->n_frames; i++)
    {
      gsize size;
      const guint8 *data = zs_message_frame (request, i, &size);
      zs_message_add_frame (reply, data, size);
    }
  zs_payload_render (body, 0, seq, text);
  zs_message_add_frame (reply, text->data, text->len);
}

static gboolean
run_server (Role *role)
{
  const char *frames[] = { zs_node_get_reply (role->node), NULL };
  g_autoptr(ZsPayload) body = zs_payload_new (frames, zs_node_get_name (role->node), zs_node_get_seed (role->node), NULL);
  ZsMessage reply;
  gboolean ok = body != NULL || zs_runner_fail (role->runner, _("The reply template is not valid"));

  zs_message_init (&reply);
  for (guint64 seq = 1; ok; seq++)
    {
      guint work = zs_node_get_work_ms (role->node);

      ok = zs_runner_recv (role->runner, 0, &role->msg, -1) == ZS_RECV_OK;
      if (ok && zs_node_get_work_from_message (role->node))
        work = (guint) MAX (0, last_frame_int (&role->msg));
      ok = ok && zs_runner_sleep (role->runner, work);
      if (ok)
        make_reply (&role->msg, body, seq, &reply);
      ok = ok && zs_runner_send (role->runner, 0, &reply);
      if (ok)
        {
          zs_runner_progress (role->runner, seq);
          zs_runner_set_result (role->runner, _("Answering requests"));
        }
    }
  zs_message_clear (&reply);
  g_free (reply.frames);
  return FALSE;
}

/* ---- pipeline (taskvent, taskwork, tasksink) ---- */

static gboolean
run_ventilator (Role *role)
{
  int sink = zs_runner_find_socket (role->runner, "sink");
  guint count = zs_node_get_count (role->node);
  guint64 total_ms = 0;

  /* The seed waits for Enter "when the workers are ready": we wait for them. */
  if (!has_payload (role) || !prepare_to_send (role, 0))
    return FALSE;
  if (sink >= 0 && !(zs_runner_wait_peers (role->runner, sink, -1) && zs_runner_send_text (role->runner, sink, "0")))
    return FALSE;
  for (guint64 seq = 1; count == 0 || seq <= count; seq++)
    {
      zs_runner_build (role->runner, seq, &role->msg);
      total_ms += (guint64) MAX (0, last_frame_int (&role->msg));
      if (!zs_runner_send (role->runner, 0, &role->msg))
        return FALSE;
      zs_runner_progress (role->runner, seq);
    }
  zs_runner_set_result (role->runner, _("Total expected cost: %" PRIu64 " msec"), total_ms);
  return TRUE;
}

static gboolean
run_worker (Role *role)
{
  int out = zs_runner_find_socket (role->runner, "out");

  for (guint64 seq = 1;; seq++)
    {
      guint work = zs_node_get_work_ms (role->node);

      if (zs_runner_recv (role->runner, 0, &role->msg, -1) != ZS_RECV_OK)
        return FALSE;
      if (zs_node_get_work_from_message (role->node))
        work = (guint) MAX (0, last_frame_int (&role->msg));
      if (!zs_runner_sleep (role->runner, work))
        return FALSE;
      if (out >= 0)
        {
          zs_runner_build (role->runner, seq, &role->msg);
          if (role->msg.n_frames == 0)
            zs_message_add_frame (&role->msg, "", 0);
          if (!zs_runner_send (role->runner, out, &role->msg))
            return FALSE;
        }
      zs_runner_progress (role->runner, seq);
    }
}

static gboolean
from_ventilator (Role      *role,
                 ZsMessage *msg)
{
  ZsRun *run = zs_runner_get_run (role->runner);

  if (!msg->traced || msg->trace.origin >= run->n_sockets)
    return FALSE;
  return zs_node_get_role (run->nodes[run->sockets[msg->trace.origin].node].node) == ZS_ROLE_VENTILATOR;
}

/* Whether one of our ventilators is linked to the sink's socket: then its
 * trailer tells the start signal; else the guide's protocol holds for a
 * ventilator outside (its first message is the signal). */
static gboolean
has_linked_ventilator (Role *role)
{
  ZsRun *run = zs_runner_get_run (role->runner);
  GArray *in = run->sockets[zs_runner_socket_index (role->runner, 0)].in_ports;

  for (guint i = 0; i < in->len; i++)
    {
      ZsPort *port = &g_array_index (in, ZsPort, i);
      ZsLink *link = g_ptr_array_index (run->links, port->link);
      guint sender = port->dir == 0 ? link->connect_node : link->bind_node;

      if (zs_node_get_role (run->nodes[sender].node) == ZS_ROLE_VENTILATOR)
        return TRUE;
    }
  return FALSE;
}

static gboolean
run_sink (Role *role)
{
  guint count = zs_node_get_count (role->node);
  guint64 results = 0;
  gint64 start = 0;
  gboolean signal_first = !has_linked_ventilator (role);

  while (count == 0 || results < count)
    {
      if (zs_runner_recv (role->runner, 0, &role->msg, -1) != ZS_RECV_OK)
        return FALSE;
      if (start == 0)
        start = zs_runner_now (role->runner);
      /* "Wait for start of batch": the ventilator's signal is not a result.
       * Without a ventilator of ours, a first message from outside is it;
       * a first result from one of our workers is a result. */
      if ((signal_first && role->msg.port < 0) || from_ventilator (role, &role->msg))
        {
          signal_first = FALSE;
          continue;
        }
      signal_first = FALSE;
      zs_runner_progress (role->runner, ++results);
    }
  zs_runner_set_result (role->runner, _("Total elapsed time: %" PRId64 " msec"),
                        (zs_runner_now (role->runner) - start) / 1000);
  return TRUE;
}

/* ---- relay (mtrelay) ---- */

static gboolean
run_relay (Role *role)
{
  int in = zs_runner_find_socket (role->runner, "in");
  int out = zs_runner_find_socket (role->runner, "out");

  if (in >= 0 && zs_runner_recv (role->runner, in, &role->msg, -1) != ZS_RECV_OK)
    return FALSE;
  if (out >= 0 && !zs_runner_send_text (role->runner, out, "READY"))
    return FALSE;
  zs_runner_progress (role->runner, 1);
  zs_runner_set_result (role->runner, out >= 0 ? _("Signalled the next step") : _("Test successful!"));
  return TRUE;
}

/* ---- broker and forwarder (rrbroker, mtserver, wuproxy) ---- */

static gboolean
is_xpub_xsub (Role *role)
{
  return zs_runner_socket_type (role->runner, 1) == ZS_SOCKET_XPUB
         && zs_runner_socket_type (role->runner, 0) == ZS_SOCKET_XSUB;
}

/* Forwards whole multipart messages both ways (a broker) or frontend to
 * backend (a forwarder, which sends subscriptions upstream as they are). */
static gboolean
run_proxy (Role     *role,
           gboolean  both_ways)
{
  const guint sockets[] = { 0, 1 };
  gboolean upstream_raw = !both_ways && is_xpub_xsub (role);
  guint n = both_ways || upstream_raw ? 2 : 1;
  guint64 forwarded = 0;

  /* A broker's lesson is that its DEALER spreads requests over the
   * workers: forward nothing before the linked workers are attached, or
   * the first one to connect takes them all (the slow joiner). */
  if (both_ways && !zs_runner_wait_peers (role->runner, 1, -1))
    return FALSE;
  zs_runner_set_result (role->runner, both_ways ? _("Forwarding requests and replies")
                                                : _("Forwarding messages"));
  for (;;)
    {
      int ready = zs_runner_poll (role->runner, sockets, n, -1);

      if (ready == -2)
        return FALSE;
      if (ready < 0)
        continue;
      if (ready == 1 && upstream_raw)
        {
          if (!zs_runner_relay_raw (role->runner, 1, 0))
            return FALSE;
          continue;
        }
      switch (zs_runner_recv (role->runner, ready, &role->msg, 0))
        {
        case ZS_RECV_OK:
          break;
        case ZS_RECV_TIMEOUT:
          continue;   /* polled readable, yet nothing queued after all */
        case ZS_RECV_STOPPED:
        case ZS_RECV_ERROR:
        default:
          return FALSE;
        }
      if (!zs_runner_send (role->runner, 1 - ready, &role->msg))
        return FALSE;
      zs_runner_progress (role->runner, ++forwarded);
    }
}

/* ---- a plain socket ---- */

static gboolean
run_plain (Role *role)
{
  ZsSocketType type = zs_runner_socket_type (role->runner, 0);
  const char * const *payload = zs_node_get_payload (role->node);
  Tally tally;
  gboolean ok;

  if (type == ZS_SOCKET_REQ)
    return run_client (role);
  if (type == ZS_SOCKET_REP)
    return run_server (role);
  /* A socket that can only send must have something to send. */
  if (zs_socket_type_sends (type) && ((payload != NULL && payload[0] != NULL) || !zs_socket_type_receives (type)))
    return has_payload (role) && prepare_to_send (role, 0) && send_batch (role, 0) && send_end_marker (role, 0);
  tally_init (&tally);
  ok = run_receiver (role, 0, &tally);
  if (ok)
    report_tally (role, &tally);
  tally_clear (&tally);
  return ok;
}

gboolean
zs_role_run (ZsRunner *runner)
{
  Role role;
  gboolean ok;

  role_init (&role, runner);
  switch (zs_node_get_role (role.node))
    {
    case ZS_ROLE_PUBLISHER:  ok = run_publisher (&role); break;
    case ZS_ROLE_SUBSCRIBER: ok = run_subscriber (&role); break;
    case ZS_ROLE_CLIENT:     ok = run_client (&role); break;
    case ZS_ROLE_SERVER:     ok = run_server (&role); break;
    case ZS_ROLE_VENTILATOR: ok = run_ventilator (&role); break;
    case ZS_ROLE_WORKER:     ok = run_worker (&role); break;
    case ZS_ROLE_SINK:       ok = run_sink (&role); break;
    case ZS_ROLE_RELAY:      ok = run_relay (&role); break;
    case ZS_ROLE_BROKER:     ok = run_proxy (&role, TRUE); break;
    case ZS_ROLE_FORWARDER:  ok = run_proxy (&role, FALSE); break;
    case ZS_ROLE_EXTERNAL:   ok = TRUE; break; /* never started (ZsRunNode.external) */
    case ZS_ROLE_SOCKET:
    case ZS_ROLE_N_ROLES:
    default:                 ok = run_plain (&role); break;
    }
  role_clear (&role);
  return ok;
}
