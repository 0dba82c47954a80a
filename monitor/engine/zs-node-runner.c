/* zs-node-runner.c: what a node's role does: sockets, counted sends and receives
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-node-runner"

#include "config.h"

#include <glib/gi18n.h>
#include <poll.h>
#include <string.h>
#include <zmq.h>

#include "zs-ipc.h"
#include "zs-latency.h"
#include "zs-monitor-thread.h"
#include "zs-node-runner-private.h"
#include "zs-payload.h"

/* Sends and receives that must wait block in one zmq_poll on the socket
 * and the run's stop fd: an idle node costs nothing. Should libzmq call a
 * socket ready and still refuse it, the next try waits inside libzmq
 * (ZMQ_SNDTIMEO/RCVTIMEO) at most this long, so that nothing spins. */
#define WAIT_SLICE_MS 50

#define DRAIN_QUIET_MS 30
#define DRAIN_MAX_MS 300

struct _ZsRunner {
  ZsRun          *run;
  ZsRunNode      *rn;
  ZsNodeCounters *counters;
  ZsRunSocket    *rsocks;       /* the run's sockets of this node, by local index */
  void          **zsocks;       /* per local socket, NULL when closed */
  guint64        *socket_seq;   /* per local socket: sends with no known link */
  int            *reply_port;   /* per local socket (REP): in port of the last request */
  gboolean       *reply_outside;/* per local socket (REP): the last request came from outside */
  gboolean       *idle;         /* per local socket: waiting on an empty queue */
  guint8        **matched;      /* per local socket (PUB): which out ports the message matches */
  GByteArray     *scratch;      /* rendering payload templates */
  ZsPayload      *payload;
  gboolean        tracing;
  gboolean        zero_copy;
  GByteArray     *direct_frame; /* a constant one-frame payload, then room for its trailer; else NULL */
  ZsPort        **direct_port;  /* per local socket: its one known link for send_direct, or NULL */
  const atomic_int *gate_free;  /* the gate's free-flow flag (zs_gate_free_flow_flag) */
  ZsNodeState     state;
  gint64          next_send_us; /* slow motion: this sender's next turn at the gate */
  ZsNodeFaults   *faults;       /* what was asked of this node (zs-fault.h) */
  guint           link_requests;/* faults->link_requests when its links were last looked at */
  gboolean        crashing;     /* killed: what its sockets hold is lost, not unread */
  gboolean        restarting;   /* reopening after a kill: a port may still be closing */
};

static inline gboolean take_faults (ZsRunner *self);
static void apply_link_requests (ZsRunner *self);

/* ---- runner basics ---- */

ZsRun *
zs_runner_get_run (ZsRunner *self)
{
  return self->run;
}

ZsNode *
zs_runner_get_node (ZsRunner *self)
{
  return self->rn->node;
}

int
zs_runner_find_socket (ZsRunner   *self,
                       const char *name)
{
  return zs_node_find_socket_index (self->rn->node, name);
}

static inline ZsRunSocket *
run_socket (ZsRunner *self,
            guint     local)
{
  return &self->rsocks[local];
}

guint
zs_runner_socket_index (ZsRunner *self,
                        guint     local)
{
  return run_socket (self, local)->index;
}

ZsSocketType
zs_runner_socket_type (ZsRunner *self,
                       guint     local)
{
  return run_socket (self, local)->type;
}

void
zs_runner_set_state (ZsRunner    *self,
                     ZsNodeState  state)
{
  self->state = state;
  atomic_store (&self->counters->state, state);
}

void
zs_runner_progress (ZsRunner *self,
                    guint64   done)
{
  zs_counter_set (&self->counters->done_goal, done);
}

void
zs_runner_set_result (ZsRunner   *self,
                      const char *format,
                      ...)
{
  va_list args;

  va_start (args, format);
  zs_telemetry_set_text (&self->counters->result, g_strdup_vprintf (format, args));
  va_end (args);
}

gboolean
zs_runner_fail (ZsRunner   *self,
                const char *format,
                ...)
{
  va_list args;

  va_start (args, format);
  zs_telemetry_set_text (&self->counters->error, g_strdup_vprintf (format, args));
  va_end (args);
  zs_runner_set_state (self, ZS_NODE_STATE_ERROR);
  return FALSE;
}

static inline gboolean
stopping (ZsRunner *self)
{
  return zs_run_is_stopping (self->run) || atomic_load_explicit (&self->faults->kill, memory_order_relaxed);
}

gboolean
zs_runner_stopping (ZsRunner *self)
{
  return stopping (self);
}

static void
mark_started (ZsRunner *self)
{
  if (G_UNLIKELY (zs_counter_get (&self->counters->started_at_us) == 0))
    zs_counter_set (&self->counters->started_at_us, (guint64) g_get_monotonic_time ());
}

/* Polls items plus the stop fd and the node's fault fd (a fault asked
 * for is taken, and the wait goes on); returns zmq_poll's count of ready
 * items, -2 when stopping (or killed). */
static int
poll_with_stop (ZsRunner       *self,
                zmq_pollitem_t *items,
                guint           n,
                long            timeout_ms)
{
  zmq_pollitem_t all[n + 2];
  gint64 deadline = timeout_ms < 0 ? -1 : g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  int rc;

  for (;;)
    {
      /* Sleeps poll no item: memcpy must not see their NULL. */
      if (n > 0)
        memcpy (all, items, n * sizeof *items);
      all[n] = (zmq_pollitem_t) { NULL, self->run->stop_fd, ZMQ_POLLIN, 0 };
      all[n + 1] = (zmq_pollitem_t) { NULL, self->faults->fd, ZMQ_POLLIN, 0 };
      rc = zmq_poll (all, n + 2, timeout_ms);
      if (rc == -1 && errno == EINTR)
        return 0;
      if (rc == -1 || (all[n].revents & ZMQ_POLLIN) || zs_runner_stopping (self))
        return -2;
      if (!(all[n + 1].revents & ZMQ_POLLIN) || rc > 1)
        break;
      zs_faults_take_poke (self->run->faults, self->rn->index);
      if (!take_faults (self))
        return -2;
      if (deadline >= 0)
        {
          timeout_ms = (long) MAX (0, (deadline - g_get_monotonic_time ()) / 1000);
          if (timeout_ms == 0)
            return 0;
        }
    }
  if (n > 0)
    memcpy (items, all, n * sizeof *items);
  return rc - ((all[n + 1].revents & ZMQ_POLLIN) ? 1 : 0);
}

gint64
zs_runner_now (ZsRunner *self)
{
  return zs_gate_now (self->run->gate);
}

gboolean
zs_runner_sleep (ZsRunner *self,
                 guint     ms)
{
  gint64 until = zs_runner_now (self) + (gint64) zs_faults_slowed_ms (self->run->faults, self->rn->index, ms) * 1000;

  /* A fault asked for wakes every sleeper (zs_gate_wake): take it, sleep on. */
  while (zs_gate_sleep_until (self->run->gate, until))
    if (!take_faults (self) || zs_runner_now (self) >= until)
      break;
  return !zs_runner_stopping (self);
}

int
zs_runner_poll (ZsRunner    *self,
                const guint *locals,
                guint        n,
                int          timeout_ms)
{
  zmq_pollitem_t items[n > 0 ? n : 1];
  int rc;

  for (guint i = 0; i < n; i++)
    items[i] = (zmq_pollitem_t) { self->zsocks[locals[i]], 0, ZMQ_POLLIN, 0 };
  rc = poll_with_stop (self, items, n, timeout_ms);
  if (rc == -2)
    return -2;
  for (guint i = 0; i < n; i++)
    if (items[i].revents & ZMQ_POLLIN)
      return (int) i;
  return -1;
}

/* Waits until socket `local` is ready for `events` (ZMQ_POLLIN or
 * ZMQ_POLLOUT), or the run's clock reaches `deadline` (G_MAXINT64: no
 * deadline); FALSE when the run is stopping. The run's clock never runs
 * faster than the wall clock, so a wait of what is left on it never
 * overshoots; when it stood still meanwhile, the caller waits again. */
static gboolean
wait_socket (ZsRunner *self,
             guint     local,
             short     events,
             gint64    deadline)
{
  zmq_pollitem_t item = { self->zsocks[local], 0, events, 0 };
  long timeout_ms = -1;

  if (deadline != G_MAXINT64)
    timeout_ms = (long) MIN ((MAX (deadline - zs_runner_now (self), 0) + 999) / 1000, G_MAXINT);
  return poll_with_stop (self, &item, 1, timeout_ms) != -2;
}

/* ---- peers ---- */

static guint
attached_peers (ZsRunner *self,
                guint     local)
{
  ZsRunSocket *rs = run_socket (self, local);
  ZsTelemetry *t = self->run->telemetry;
  guint n = (guint) zs_counter_get (&t->sockets[rs->index].connected);
  GArray *lists[] = { rs->out_ports, rs->in_ports };
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);

  /* inproc links have no monitor events: the node threads mark them. */
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        guint link = g_array_index (lists[l], ZsPort, i).link;
        ZsLink *zl = g_ptr_array_index (self->run->links, link);

        if (zl->transport == ZS_TRANSPORT_INPROC && !g_hash_table_contains (seen, GUINT_TO_POINTER (link + 1))
            && atomic_load (&t->links[link].state) == ZS_LINK_STATE_CONNECTED)
          n++;
        g_hash_table_add (seen, GUINT_TO_POINTER (link + 1));
      }
  return n;
}

/* The socket's links whose other end may still come: a peer killed (and
 * not restarted) is not coming, as a user watching would see. */
static guint
linked_peers (ZsRunner *self,
              guint     local)
{
  ZsRunSocket *rs = run_socket (self, local);
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  GArray *lists[] = { rs->out_ports, rs->in_ports };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; i < lists[l]->len; i++)
      {
        guint link = g_array_index (lists[l], ZsPort, i).link;
        ZsLink *zl = g_ptr_array_index (self->run->links, link);
        guint peer = zl->bind_node == self->rn->index && zl->bind_socket == local ? zl->connect_node : zl->bind_node;

        if (atomic_load (&self->run->faults->nodes[peer].state) != ZS_NODE_FAULT_KILLED)
          g_hash_table_add (seen, GUINT_TO_POINTER (link + 1));
      }
  return g_hash_table_size (seen);
}

/* Peers attached to the socket that the plan links to it: its own
 * handshakes (the pipe is on its side then), less those known to be
 * outside programs. */
static guint
attached_linked_peers (ZsRunner *self,
                       guint     local)
{
  guint n = attached_peers (self, local);
  guint64 outside = zs_counter_get (&self->run->telemetry->sockets[run_socket (self, local)->index].outside_now);

  return n > outside ? n - (guint) outside : 0;
}

gboolean
zs_runner_wait_peers (ZsRunner *self,
                      guint     local,
                      int       n)
{
  guint want = n < 0 ? linked_peers (self, local) : (guint) n;
  guint64 seen;

  if (want == 0)
    return !zs_runner_stopping (self);
  zs_runner_set_state (self, ZS_NODE_STATE_WAITING);
  /* Connecting takes wall time, not the run's: wait for the peers to come
   * (zs_run_peers_changed). Every linked peer (-1) means ours, less those
   * killed meanwhile (a kill wakes the waiters); a number counts outside
   * programs too. */
  seen = zs_run_peers_generation (self->run, self->rn->index);
  while ((n < 0 ? attached_linked_peers (self, local) : attached_peers (self, local))
         < (n < 0 ? (want = linked_peers (self, local)) : want))
    if (!zs_run_wait_peers_change (self->run, self->rn->index, &seen))
      return FALSE;
  zs_runner_set_state (self, ZS_NODE_STATE_RUNNING);
  return TRUE;
}

/* ---- sending ---- */

void
zs_runner_build (ZsRunner  *self,
                 guint64    seq,
                 ZsMessage *msg)
{
  guint n = zs_payload_get_n_frames (self->payload);
  GByteArray *scratch = self->scratch;
  gsize room = self->tracing ? ZS_TRACE_SIZE : 0;

  zs_message_clear (msg);
  for (guint i = 0; i < n; i++)
    {
      gsize size = 0;
      const guint8 *data = zs_payload_get_constant (self->payload, i, &size);

      if (data == NULL)
        {
          zs_payload_render (self->payload, i, seq, scratch);
          data = scratch->data;
          size = scratch->len;
        }
      zs_message_append (msg, data, size, i + 1 == n ? room : 0, self->zero_copy);
    }
  msg->built = TRUE;
}

static gboolean
filters_accept (GStrv         filters,
                const guint8 *frame,
                gsize         size)
{
  for (guint i = 0; filters != NULL && filters[i] != NULL; i++)
    {
      gsize len = strlen (filters[i]);
      if (len <= size && memcmp (filters[i], frame, len) == 0)
        return TRUE;
    }
  return FALSE;
}

static ZsLatencyStamps *
port_stamps (ZsRunner *self,
             ZsPort   *port)
{
  return &self->run->telemetry->flow_stamps[port->link * 2 + port->dir];
}

/* The one link this message goes on, when the sender can know it. */
static ZsPort *
exact_port (ZsRunner  *self,
            guint      local,
            ZsMessage *msg,
            gboolean  *outside)
{
  ZsRunSocket *rs = run_socket (self, local);
  GArray *out = rs->out_ports;

  if (rs->type == ZS_SOCKET_ROUTER && msg->n_frames > 1 && rs->port_by_peer != NULL)
    {
      guint8 key[256];   /* libzmq caps routing ids at 255 bytes */
      guint i;

      zs_run_peer_key (key, zmq_msg_data (&msg->frames[0]), zmq_msg_size (&msg->frames[0]));
      i = GPOINTER_TO_UINT (g_hash_table_lookup (rs->port_by_peer, key));
      *outside = i == ZS_RUN_PEER_OUTSIDE;
      return i && !*outside ? &g_array_index (out, ZsPort, i - 1) : NULL;
    }
  if (rs->type == ZS_SOCKET_REP)
    {
      int in = self->reply_port[local];
      ZsPort *request = in >= 0 ? &g_array_index (rs->in_ports, ZsPort, in) : NULL;

      /* A reply to a request from outside goes outside. */
      *outside = request == NULL && self->reply_outside[local];
      for (guint i = 0; request != NULL && i < out->len; i++)
        if (g_array_index (out, ZsPort, i).link == request->link)
          return &g_array_index (out, ZsPort, i);
      return NULL;
    }
  if (rs->exact_out && out->len == 1 && rs->type != ZS_SOCKET_PUB && rs->type != ZS_SOCKET_XPUB
      && !zs_run_socket_sends_round_robin (rs))
    return &g_array_index (out, ZsPort, 0);
  return NULL;
}

typedef struct {
  ZsRunSocket    *rs;  /* the sending socket */
  ZsPort  *port;       /* the one link it goes on, when known */
  gboolean fan_out;    /* PUB/XPUB: every port whose filters matched (self->matched) */
  gboolean outside;    /* it goes (also) to a peer outside the topology */
  gboolean traced;     /* it carries the trailer */
  ZsTrace  trace;
} SendPlan;

/* Decides the trailer's sequence and which link counters this message bumps. */
static void
plan_send (ZsRunner  *self,
           guint      local,
           ZsMessage *msg,
           SendPlan  *plan)
{
  ZsRunSocket *rs = run_socket (self, local);
  ZsPort *port;

  memset (plan, 0, sizeof *plan);
  plan->rs = rs;
  /* A reply to a program outside the topology is exactly its payload: that
   * program would not know what to do with our trailer. */
  plan->traced = rs->traced_plan && !zs_run_socket_has_outside (rs)
                 && !(rs->type == ZS_SOCKET_REP && self->reply_port[local] < 0);
  plan->trace.origin = (guint16) rs->index;
  plan->trace.run_tag = self->run->run_tag;
  if (rs->type == ZS_SOCKET_PUB || rs->type == ZS_SOCKET_XPUB)
    {
      gsize size;
      const guint8 *first = zs_message_frame (msg, 0, &size);
      guint8 *matched = self->matched[local];
      gboolean any = FALSE;

      for (guint i = 0; i < rs->out_ports->len; i++)
        {
          ZsPort *out = &g_array_index (rs->out_ports, ZsPort, i);

          if (G_UNLIKELY (out->live != NULL))
            zs_run_port_refresh_filters (out);
          matched[i] = filters_accept (out->filters, first, size);
          any |= matched[i];
        }
      plan->fan_out = TRUE;
      plan->outside = zs_counter_get (&self->run->telemetry->sockets[rs->index].outside_now) > 0;
      if (rs->uniform_filters && rs->out_ports->len > 0)
        {
          /* One filter class: its count is every link's sequence. A
           * message no link's filters take is 0: an XSUB's subscription
           * that libzmq applies while it sends it delivers it all the
           * same, uncounted here (count_receive). */
          plan->trace.seq = any ? self->socket_seq[local] + 1 : 0;
          plan->trace.flags = ZS_TRACE_FLAG_LINK_SEQ;
        }
      else
        plan->trace.seq = self->socket_seq[local] + 1;
      return;
    }
  port = exact_port (self, local, msg, &plan->outside);
  if (port != NULL)
    {
      plan->port = port;
      plan->trace.seq = zs_counter_get (&port->flow->sent) + 1;
      plan->trace.flags = ZS_TRACE_FLAG_LINK_SEQ;
    }
  else
    plan->trace.seq = self->socket_seq[local] + 1;
}

/* The highest sequence written on a link, and its send time when sampled. */
static inline void
publish_port_seq (ZsRunner *self,
                  ZsPort   *port,
                  guint64   seq,
                  gboolean  sampled,
                  guint64   now_ns)
{
  zs_counter_set (&port->flow->seq_out, seq);
  if (G_UNLIKELY (sampled))
    zs_latency_stamp (port_stamps (self, port), seq, now_ns);
}

/* Before the message leaves: the highest sequence this sender has written,
 * so that a receiver can tell a forged trailer (beyond it) from ours. */
static void
publish_seq (ZsRunner *self,
             guint     local,
             SendPlan *plan)
{
  ZsRunSocket *rs = plan->rs;
  gboolean sampled;
  guint64 now_ns = 0;

  if (!plan->traced)
    return;
  sampled = zs_latency_sampled (plan->trace.seq);
  if (sampled)
    now_ns = zs_latency_now_ns ();
  if (plan->fan_out && (plan->trace.flags & ZS_TRACE_FLAG_LINK_SEQ))
    {
      for (guint i = 0; i < rs->out_ports->len; i++)
        if (self->matched[local][i])
          {
            ZsPort *port = &g_array_index (rs->out_ports, ZsPort, i);

            publish_port_seq (self, port, plan->trace.seq, sampled, now_ns);
          }
    }
  else if (plan->port != NULL)
    publish_port_seq (self, plan->port, plan->trace.seq, sampled, now_ns);
  else
    {
      zs_counter_set (&self->run->telemetry->sockets[rs->index].seq_out, plan->trace.seq);
      if (sampled)
        zs_latency_stamp (&self->run->telemetry->socket_stamps[rs->index], plan->trace.seq, now_ns);
    }
}

static void
count_flow (ZsFlowCounters *f,
            guint64         bytes)
{
  zs_counter_add (&f->sent, 1);
  zs_counter_add (&f->sent_bytes, bytes);
}

static inline void
count_socket_send (ZsSocketCounters *sc,
                   guint64           bytes)
{
  zs_counter_add (&sc->sent, 1);
  zs_counter_add (&sc->sent_bytes, bytes);
}

static void
count_send (ZsRunner  *self,
            guint      local,
            SendPlan  *plan,
            guint64    bytes)
{
  ZsRunSocket *rs = plan->rs;
  ZsSocketCounters *sc = &self->run->telemetry->sockets[rs->index];

  if (plan->fan_out)
    for (guint i = 0; i < rs->out_ports->len; i++)
      if (self->matched[local][i])
        count_flow (g_array_index (rs->out_ports, ZsPort, i).flow, bytes);
  if (plan->port != NULL)
    count_flow (plan->port->flow, bytes);
  if (plan->trace.flags == 0 || (plan->fan_out && plan->trace.seq > self->socket_seq[local]))
    self->socket_seq[local] = plan->trace.seq;
  if (plan->outside)
    zs_counter_add (&sc->sent_outside, 1);
  else if (rs->type == ZS_SOCKET_ROUTER && plan->port == NULL)
    zs_counter_add (&sc->unroutable, 1);
  count_socket_send (sc, bytes);
}

/* Makes the last frame exactly payload (+ trailer when traced), writable. */
static void
prepare_last_frame (ZsMessage *msg,
                    SendPlan  *plan)
{
  guint8 *tail = zs_message_reserve_tail (msg, plan->traced ? ZS_TRACE_SIZE : 0);

  if (plan->traced)
    zs_trace_write (tail, &plan->trace);
}

static void
on_gate_pause (gpointer data)
{
  ZsRunner *self = data;

  atomic_store (&self->counters->state, ZS_NODE_STATE_PAUSED);
}

/* Sends the first frame, waiting (as BLOCKED) while every pipe is full. */
static gboolean
send_first_frame (ZsRunner  *self,
                  guint      local,
                  zmq_msg_t *frame,
                  int        flags)
{
  void *zsock = self->zsocks[local];
  gint64 blocked_since = 0;
  gboolean ok = TRUE, polled = FALSE;
  int wait = ZMQ_DONTWAIT;

  while (zmq_msg_send (frame, zsock, flags | wait) == -1)
    {
      if (errno != EAGAIN && errno != EINTR)
        {
          ok = errno == EHOSTUNREACH ? TRUE : zs_runner_fail (self, _("Send failed: %s"), zmq_strerror (errno));
          break;
        }
      if (blocked_since == 0)
        {
          blocked_since = g_get_monotonic_time ();
          atomic_store (&self->counters->state, ZS_NODE_STATE_BLOCKED);
        }
      if (!take_faults (self))
        {
          ok = FALSE;
          break;
        }
      /* Writable, yet refused: wait inside libzmq, one ZMQ_SNDTIMEO slice. */
      wait = polled && wait == ZMQ_DONTWAIT ? 0 : ZMQ_DONTWAIT;
      if (wait == ZMQ_DONTWAIT && !(polled = wait_socket (self, local, ZMQ_POLLOUT, G_MAXINT64)))
        {
          ok = FALSE;
          break;
        }
    }
  if (blocked_since != 0)
    {
      zs_counter_add (&self->counters->blocked_us, (guint64) (g_get_monotonic_time () - blocked_since));
      if (ok)
        atomic_store (&self->counters->state, self->state);
    }
  return ok;
}

/* The gate lets this send through (TRUE), or the run stops or the node is
 * killed while it waits (a fault asked for wakes it: it is taken here). */
static gboolean
wait_at_gate (ZsRunner *self)
{
  ZsGateResult result;
  gboolean waited = FALSE;

  do
    {
      if (!take_faults (self))
        return FALSE;
      result = zs_gate_pass (self->run->gate, &self->next_send_us, on_gate_pause, self);
      if (result == ZS_GATE_CLOSED)
        return FALSE;
      waited |= result != ZS_GATE_OPEN;
    }
  while (result == ZS_GATE_WOKEN);
  if (waited)
    atomic_store (&self->counters->state, self->state);
  return TRUE;
}

/* At full speed, unpaused, the gate is one load: no call per message. */
static inline gboolean
pass_gate (ZsRunner *self)
{
  if (G_LIKELY (atomic_load_explicit (self->gate_free, memory_order_relaxed)))
    return take_faults (self);
  return wait_at_gate (self);
}

gboolean
zs_runner_send (ZsRunner  *self,
                guint      local,
                ZsMessage *msg)
{
  void *zsock = self->zsocks[local];
  SendPlan plan;
  guint64 bytes;

  /* A message of no frames cannot go on the wire (libzmq sends at least one). */
  if (msg->n_frames == 0)
    return zs_runner_fail (self, _("Nothing to send: the message has no frames (is the payload empty?)"));
  if (!pass_gate (self))
    return FALSE;
  if (zsock == NULL)
    return zs_runner_fail (self, _("Send failed: the socket is closed"));
  mark_started (self);
  plan_send (self, local, msg, &plan);
  publish_seq (self, local, &plan);
  bytes = zs_message_payload_bytes (msg);
  prepare_last_frame (msg, &plan);

  for (guint i = 0; i < msg->n_frames; i++)
    {
      int more = i + 1 < msg->n_frames ? ZMQ_SNDMORE : 0;
      gboolean ok = i == 0 ? send_first_frame (self, local, &msg->frames[i], more)
                           : zmq_msg_send (&msg->frames[i], zsock, more) != -1
                             || zs_runner_fail (self, _("Send failed: %s"), zmq_strerror (errno));
      if (!ok)
        {
          zs_message_clear (msg);
          return FALSE;
        }
    }
  count_send (self, local, &plan, bytes);
  msg->n_frames = 0;
  zs_message_clear (msg);
  return TRUE;
}

/* zs_runner_send's work for the constant payload on a socket whose every
 * message goes on one known link: the same trailer, sequence, stamps and
 * counters, without a plan; the frame is built once (direct_frame), and
 * only its trailer changes. */
static inline gboolean
send_direct (ZsRunner *self,
             guint     local,
             ZsPort   *port)
{
  ZsRunSocket *rs = run_socket (self, local);
  guint8 *bytes = self->direct_frame->data;
  gsize size = self->direct_frame->len - ZS_TRACE_SIZE;
  gsize room = 0;

  if (!pass_gate (self))
    return FALSE;
  mark_started (self);
  if (rs->traced_plan)
    {
      ZsTrace trace = { .seq = zs_counter_get (&port->flow->sent) + 1, .origin = (guint16) rs->index,
                        .flags = ZS_TRACE_FLAG_LINK_SEQ };
      gboolean sampled = zs_latency_sampled (trace.seq);

      zs_trace_write_head (bytes + size, &trace);
      publish_port_seq (self, port, trace.seq, sampled, sampled ? zs_latency_now_ns () : 0);
      room = ZS_TRACE_SIZE;
    }
  if (zmq_send (self->zsocks[local], bytes, size + room, ZMQ_DONTWAIT) == -1)
    {
      /* Every pipe full (or an error): wait as zs_runner_send does. */
      zmq_msg_t frame;

      zs_message_frame_init (&frame, bytes, size + room, 0, FALSE);
      if (!send_first_frame (self, local, &frame, 0))
        {
          zmq_msg_close (&frame);
          return FALSE;
        }
    }
  count_flow (port->flow, size);
  count_socket_send (&self->run->telemetry->sockets[rs->index], size);
  return TRUE;
}

static inline gboolean
send_payload (ZsRunner  *self,
              guint      local,
              guint64    seq,
              ZsMessage *msg)
{
  ZsPort *port = self->direct_port[local];

  /* No peer outside: libzmq could pick its pipe instead of the link's. */
  if (self->direct_frame != NULL && port != NULL && self->zsocks[local] != NULL
      && !zs_run_socket_has_outside (run_socket (self, local)))
    return send_direct (self, local, port);
  zs_runner_build (self, seq, msg);
  return zs_runner_send (self, local, msg);
}

gboolean
zs_runner_send_sequence (ZsRunner  *self,
                         guint      local,
                         guint      count,
                         guint      interval_ms,
                         ZsMessage *msg)
{
  for (guint64 seq = 1; count == 0 || seq <= count; seq++)
    {
      if (!send_payload (self, local, seq, msg))
        return FALSE;
      zs_runner_progress (self, seq);
      if (interval_ms > 0 && !zs_runner_sleep (self, interval_ms))
        return FALSE;
    }
  return TRUE;
}

/* The one link every message of socket `local` goes on, for send_direct:
 * no routing table, no fan-out (the run's ports never change); or NULL. */
static ZsPort *
find_direct_port (ZsRunner *self,
                  guint     local)
{
  ZsRunSocket *rs = run_socket (self, local);

  if (!rs->exact_out || rs->out_ports->len != 1
      || (rs->type != ZS_SOCKET_PUSH && rs->type != ZS_SOCKET_DEALER && rs->type != ZS_SOCKET_REQ
          && rs->type != ZS_SOCKET_PAIR))
    return NULL;
  return &g_array_index (rs->out_ports, ZsPort, 0);
}

/* A constant payload of one frame (the common case, and a full-speed
 * sender's) is built once, with room for the trailer after it. */
static void
prepare_direct_frame (ZsRunner *self)
{
  gsize size = 0;
  const guint8 *data;

  g_clear_pointer (&self->direct_frame, g_byte_array_unref);
  if (self->zero_copy || zs_payload_get_n_frames (self->payload) != 1
      || (data = zs_payload_get_constant (self->payload, 0, &size)) == NULL)
    return;
  self->direct_frame = g_byte_array_sized_new (size + ZS_TRACE_SIZE);
  g_byte_array_append (self->direct_frame, data, size);
  g_byte_array_set_size (self->direct_frame, size + ZS_TRACE_SIZE);
  /* The run's tag, once: each message writes only the trailer's head. */
  zs_trace_write (self->direct_frame->data + size, &(ZsTrace) { .run_tag = self->run->run_tag });
}

gboolean
zs_runner_send_text (ZsRunner   *self,
                     guint       local,
                     const char *text)
{
  ZsMessage msg;
  gboolean ok;

  zs_message_init (&msg);
  zs_message_add_frame (&msg, text, strlen (text));
  ok = zs_runner_send (self, local, &msg);
  zs_message_free_frames (&msg);
  return ok;
}

gboolean
zs_runner_relay_raw (ZsRunner *self,
                     guint     from,
                     guint     to)
{
  zmq_msg_t frame, copy;
  gboolean more = TRUE, ok = TRUE, first = TRUE;
  guint xsub = run_socket (self, to)->index;

  while (more && ok)
    {
      gboolean subscribing;

      zmq_msg_init (&frame);
      zmq_msg_init (&copy);
      ok = zmq_msg_recv (&frame, self->zsocks[from], 0) != -1
           && zmq_msg_copy (&copy, &frame) == 0;
      more = ok && zmq_msg_more (&frame);
      /* What the XSUB subscribes to upstream, as its publishers count it:
       * widened before libzmq's and narrowed after, so that every message
       * libzmq passes is one they counted on the link (the others are a
       * gap: dropped). Widened after, a publisher's message that crossed
       * the subscription counted as from outside. */
      subscribing = ok && first && !more && zmq_msg_size (&copy) > 0 && *(guint8 *) zmq_msg_data (&copy) == 1;
      if (subscribing)
        zs_run_note_upstream (self->run, xsub, zmq_msg_data (&copy), zmq_msg_size (&copy));
      ok = ok && zmq_msg_send (&frame, self->zsocks[to], more ? ZMQ_SNDMORE : 0) != -1;
      if (ok && first && !more && !subscribing)
        zs_run_note_upstream (self->run, xsub, zmq_msg_data (&copy), zmq_msg_size (&copy));
      first = FALSE;
      zmq_msg_close (&frame);
      zmq_msg_close (&copy);
    }
  if (!ok && !zs_runner_stopping (self))
    zs_runner_fail (self, _("Could not pass a subscription upstream: %s"), zmq_strerror (errno));
  return ok;
}

/* ---- receiving ---- */

/* A gap in a link's sequence: dropped at the HWM, unless the link's
 * relay lost those messages (zs-relay.h). */
static inline void
count_gap (ZsRunner       *self,
           const ZsPort   *port,
           ZsFlowCounters *f,
           guint64         seq)
{
  guint64 last = atomic_load_explicit (&f->last_seq, memory_order_relaxed);

  if (seq > last + 1)
    {
      guint64 relay_lost = zs_relay_claim (self->run->relay, port->link, port->dir, seq - last - 1);
      ZsFlowGap *gap = &f->gaps[f->next_gap++ % ZS_FLOW_GAPS];

      *gap = (ZsFlowGap) { .first = last + 1, .last = seq - 1, .next = last + 1 };
      zs_counter_add (&f->lost, relay_lost);
      zs_counter_add (&f->gap_dropped, seq - last - 1 - relay_lost);
      if (last == 0 && seq - 1 > relay_lost)
        zs_counter_add (&f->missed, seq - 1 - relay_lost);
    }
  if (seq > last)
    zs_counter_set (&f->last_seq, seq);
}

/* A message of a gap this receiver counted, arriving late: after a live
 * change, libzmq still delivers what the old pipe held after newer
 * messages of the new one. It is taken out of the gap (as dropped, or
 * missed) and counted received on its link, not taken for an outside
 * program's. */
static gboolean
take_late_arrival (ZsFlowCounters *f,
                   const ZsTrace  *trace)
{
  if (!(trace->flags & ZS_TRACE_FLAG_LINK_SEQ) || trace->seq == 0 || trace->seq > zs_counter_get (&f->seq_out))
    return FALSE;
  for (guint i = 0; i < ZS_FLOW_GAPS; i++)
    {
      ZsFlowGap *gap = &f->gaps[i];

      if (trace->seq < gap->next || trace->seq > gap->last)
        continue;
      gap->next = trace->seq + 1;
      if (zs_counter_get (&f->gap_dropped) > 0)
        zs_counter_set (&f->gap_dropped, zs_counter_get (&f->gap_dropped) - 1);
      if (gap->first == 1 && zs_counter_get (&f->missed) > 0)
        zs_counter_set (&f->missed, zs_counter_get (&f->missed) - 1);
      return TRUE;
    }
  return FALSE;
}

/* A trailer our sender really wrote: its sequence is one the sender has
 * reached and, per link (a FIFO pipe), one this receiver has not seen yet. */
static gboolean
trace_is_ours (ZsRunner       *self,
               ZsFlowCounters *f,
               const ZsTrace  *trace)
{
  if (trace->seq == 0)
    return FALSE;
  if (!(trace->flags & ZS_TRACE_FLAG_LINK_SEQ))
    return trace->seq <= zs_counter_get (&self->run->telemetry->sockets[trace->origin].seq_out);
  if (trace->seq <= atomic_load_explicit (&f->last_seq, memory_order_relaxed))
    return FALSE;
  /* Sequences only grow: what the sender had written when last looked at
   * still vouches for this one, without touching the sender's line. */
  if (trace->seq > atomic_load_explicit (&f->seq_out_seen, memory_order_relaxed))
    zs_counter_set (&f->seq_out_seen, zs_counter_get (&f->seq_out));
  return trace->seq <= atomic_load_explicit (&f->seq_out_seen, memory_order_relaxed);
}

/* The message is one the link's sampling keeps (zs-capture.h). */
static void
capture_message (ZsRunner  *self,
                 ZsPort    *port,
                 ZsMessage *msg)
{
  ZsCaptureSource capture;

  capture.traced = msg->traced;
  capture.seq = msg->traced ? msg->trace.seq : 0;
  capture.trailer = NULL;
  capture.dir = port->dir;
  capture.n_frames = msg->n_frames;
  if (msg->traced)
    capture.trailer = (const guint8 *) zmq_msg_data (&msg->frames[msg->n_frames - 1]) + msg->last_size;
  for (guint i = 0; i < msg->n_frames && i < ZS_CAPTURE_MAX_FRAMES; i++)
    capture.data[i] = zs_message_frame (msg, i, &capture.sizes[i]);
  zs_capture_ring_push_sampled (self->run->captures[port->link], &capture);
}

/* A ROUTER learns which link a peer's routing id belongs to from its first
 * message (libzmq's random ids over tcp), or that the peer is outside. */
static void
learn_peer (ZsRunner    *self,
            ZsRunSocket *rs,
            ZsMessage   *msg)
{
  guint8 key[256];
  guint value = ZS_RUN_PEER_OUTSIDE;

  if (msg->n_frames < 2 || rs->port_by_peer == NULL)
    return;
  zs_run_peer_key (key, zmq_msg_data (&msg->frames[0]), zmq_msg_size (&msg->frames[0]));
  if (g_hash_table_contains (rs->port_by_peer, key))
    return;
  if (msg->port >= 0)
    {
      guint link = g_array_index (rs->in_ports, ZsPort, msg->port).link;

      for (guint i = 0; i < rs->out_ports->len; i++)
        if (g_array_index (rs->out_ports, ZsPort, i).link == link)
          value = i + 1;
    }
  g_hash_table_insert (rs->port_by_peer, g_memdup2 (key, key[0] + 1), GUINT_TO_POINTER (value));
}

/* The sender stamped it under the link's sequence or its socket's. */
static void
record_latency (ZsRunner      *self,
                ZsPort        *port,
                const ZsTrace *trace)
{
  ZsLatencyStamps *stamps = (trace->flags & ZS_TRACE_FLAG_LINK_SEQ)
    ? port_stamps (self, port) : &self->run->telemetry->socket_stamps[trace->origin];

  zs_latency_record (stamps, trace->seq, &self->run->telemetry->latency[port->link * 2 + port->dir]);
}

/* A message on a link of ours, read by the role: kept when the link's
 * sampling wants it, counted, its delay timed when sampled. */
static inline void
count_link_arrival (ZsRunner       *self,
                    ZsPort         *port,
                    ZsFlowCounters *f,
                    ZsMessage      *msg,
                    guint64         bytes)
{
  if (atomic_load_explicit (&self->run->capturing[port->link], memory_order_relaxed)
      && G_UNLIKELY (zs_capture_ring_due (self->run->captures[port->link], port->dir)))
    capture_message (self, port, msg);
  if (G_UNLIKELY (zs_counter_get (&f->received) == 0))
    zs_counter_set (&f->first_received_us, g_get_monotonic_time ());
  zs_counter_add (&f->received, 1);
  zs_counter_add (&f->received_bytes, bytes);
  if (msg->n_frames > 1)
    zs_counter_add (&f->multipart, 1);
  if (msg->traced && G_UNLIKELY (zs_latency_sampled (msg->trace.seq)))
    record_latency (self, port, &msg->trace);
}

static inline void
count_socket_arrival (ZsSocketCounters *sc,
                      guint64           bytes)
{
  zs_counter_add (&sc->received, 1);
  zs_counter_add (&sc->received_bytes, bytes);
}

static inline void
count_receive (ZsRunner     *self,
               ZsRunSocket  *rs,
               ZsMessage    *msg,
               gboolean      unread)
{
  ZsSocketCounters *sc = &self->run->telemetry->sockets[rs->index];
  guint64 bytes = zs_message_payload_bytes (msg);
  ZsFlowCounters *f = NULL;
  ZsPort *port = NULL;
  gboolean late = FALSE, unplanned = FALSE;

  if (msg->traced)
    msg->port = zs_run_socket_port_from (rs, msg->trace.origin);
  else if (!msg->foreign_trace)
    msg->port = zs_run_untraced_port (self->run, rs);
  if (msg->port >= 0)
    {
      port = &g_array_index (rs->in_ports, ZsPort, msg->port);
      f = port->flow;
    }
  if (f != NULL && msg->traced && !trace_is_ours (self, f, &msg->trace))
    {
      /* Our publisher's message that its model of an XSUB's subscriptions
       * did not count on the link (plan_send): it is on the link. */
      unplanned = msg->trace.seq == 0 && port->live != NULL;
      late = !unplanned && take_late_arrival (f, &msg->trace);
      /* Our run tag, but a sequence our sender never wrote: from outside. */
      if (!late && !unplanned)
        {
          msg->port = -1;
          f = NULL;
        }
    }

  if (G_UNLIKELY (unplanned))
    {
      zs_counter_add (&f->unplanned, 1);
      zs_counter_add (&f->unplanned_bytes, bytes);
    }
  if (f != NULL && !unread)
    count_link_arrival (self, port, f, msg, bytes);
  else if (f != NULL)
    zs_counter_add (self->crashing ? &f->lost : &f->unread, 1);
  else
    {
      if (!unread)
        zs_run_note_outside_arrival (self->run, rs, msg->traced || msg->foreign_trace);
      zs_counter_add (unread ? &sc->unread : &sc->foreign, 1);
    }
  if (G_UNLIKELY (rs->type == ZS_SOCKET_ROUTER) && !unread)
    learn_peer (self, rs, msg);
  if (f != NULL && msg->traced && (msg->trace.flags & ZS_TRACE_FLAG_LINK_SEQ) && !late && !unplanned)
    count_gap (self, port, f, msg->trace.seq);
  if (!unread)
    count_socket_arrival (sc, bytes);
}

/* Reads the rest of a message after its first frame, and its trailer:
 * this run's, or another zmqscope's (stripped, and from outside). */
static gboolean
read_message (ZsRunner  *self,
              void      *zsock,
              ZsMessage *msg)
{
  while (zmq_msg_get (&msg->frames[msg->n_frames - 1], ZMQ_MORE) == 1)
    {
      zmq_msg_t *frame = zs_message_push_empty (msg);

      if (zmq_msg_recv (frame, zsock, 0) == -1)
        {
          msg->n_frames--;
          zmq_msg_close (frame);
          return FALSE;
        }
    }
  zs_message_read_trailer (msg, self->run->run_tag);
  return TRUE;
}

/* The receiver's queue is empty: whatever its dropping senders sent before
 * now and is not here in a moment was dropped (see zs_snapshot_fill). */
static void
mark_idle (ZsRunner *self,
           guint     local,
           gboolean  idle)
{
  ZsRunSocket *rs = run_socket (self, local);
  ZsSocketCounters *sc = &self->run->telemetry->sockets[rs->index];

  if (self->idle[local] == idle)
    return;
  self->idle[local] = idle;
  if (idle)
    for (guint i = 0; i < rs->in_ports->len; i++)
      {
        ZsPort *port = &g_array_index (rs->in_ports, ZsPort, i);
        ZsFlowCounters *f = port->flow;

        zs_counter_set (&f->idle_sent_mark, zs_counter_get (&f->sent));
        /* The end of a burst: the next message is kept, however fast the last ones came. */
        zs_capture_ring_idle (self->run->captures[port->link], port->dir);
      }
  zs_counter_set (&sc->idle_since_us, idle ? (guint64) g_get_monotonic_time () : 0);
}

/* One message: 1; none within `deadline` (or queued now, with
 * ZMQ_DONTWAIT): 0; error or stop: -1. An empty queue marks the socket
 * idle, then the call blocks in zmq_poll on the socket and the stop fd
 * until a message comes, the deadline passes or the run stops. */
G_ALWAYS_INLINE static inline int
recv_one (ZsRunner  *self,
          guint      local,
          ZsMessage *msg,
          int        flags,
          gint64     deadline,
          gboolean   unread)
{
  void *zsock = self->zsocks[local];
  zmq_msg_t *frame;
  gboolean polled = FALSE;
  int wait = ZMQ_DONTWAIT;

  frame = zs_message_recycle (msg);
  while (zmq_msg_recv (frame, zsock, wait) == -1)
    {
      gboolean again = errno == EAGAIN || errno == EINTR;

      if (!again || zs_runner_stopping (self) || flags == ZMQ_DONTWAIT
          || (deadline != G_MAXINT64 && zs_runner_now (self) >= deadline))
        {
          zs_message_clear (msg);
          return again && !zs_runner_stopping (self) ? 0 : -1;
        }
      mark_idle (self, local, TRUE);
      if (!take_faults (self))
        {
          zs_message_clear (msg);
          return -1;
        }
      /* Readable, yet empty: wait inside libzmq, one ZMQ_RCVTIMEO slice. */
      wait = polled && wait == ZMQ_DONTWAIT ? 0 : ZMQ_DONTWAIT;
      if (wait == ZMQ_DONTWAIT)
        polled = wait_socket (self, local, ZMQ_POLLIN, deadline);
    }
  if (!read_message (self, zsock, msg))
    return -1;
  count_receive (self, run_socket (self, local), msg, unread);
  return 1;
}

static int
try_recv (ZsRunner  *self,
          guint      local,
          ZsMessage *msg,
          gboolean   unread)
{
  return recv_one (self, local, msg, ZMQ_DONTWAIT, 0, unread);
}

ZsRecvResult
zs_runner_recv (ZsRunner  *self,
                guint      local,
                ZsMessage *msg,
                int        timeout_ms)
{
  gint64 deadline = timeout_ms < 0 ? G_MAXINT64 : zs_runner_now (self) + (gint64) timeout_ms * 1000;
  int rc;

  if (!take_faults (self))
    return ZS_RECV_STOPPED;
  if (self->zsocks[local] == NULL)
    {
      zs_runner_fail (self, _("Receive failed: the socket is closed"));
      return ZS_RECV_ERROR;
    }
  rc = recv_one (self, local, msg, timeout_ms == 0 ? ZMQ_DONTWAIT : 0, deadline, FALSE);
  if (rc == 1)
    {
      mark_started (self);
      if (G_UNLIKELY (self->idle[local]))
        mark_idle (self, local, FALSE);
      if (run_socket (self, local)->type == ZS_SOCKET_REP)
        {
          self->reply_port[local] = msg->port;
          self->reply_outside[local] = msg->port < 0;
        }
      return ZS_RECV_OK;
    }
  if (rc == -1 && zs_runner_stopping (self))
    return ZS_RECV_STOPPED;
  if (rc == -1)
    {
      zs_runner_fail (self, _("Receive failed: %s"), zmq_strerror (errno));
      return ZS_RECV_ERROR;
    }
  return ZS_RECV_TIMEOUT;
}

/* ---- sockets ---- */

static gboolean
set_int_option (ZsRunner   *self,
                void       *zsock,
                int         option,
                int         value,
                const char *name)
{
  if (zmq_setsockopt (zsock, option, &value, sizeof value) == 0)
    return TRUE;
  return zs_runner_fail (self, _("Could not set %s to %d: %s"), name, value, zmq_strerror (errno));
}

static gboolean
apply_options (ZsRunner    *self,
               ZsRunSocket *rs,
               void        *zsock)
{
  const char * const *subscribe = zs_socket_spec_get_subscribe (rs->spec);

  if (!set_int_option (self, zsock, ZMQ_SNDTIMEO, WAIT_SLICE_MS, "ZMQ_SNDTIMEO")
      || !set_int_option (self, zsock, ZMQ_RCVTIMEO, WAIT_SLICE_MS, "ZMQ_RCVTIMEO")
      || !set_int_option (self, zsock, ZMQ_LINGER, zs_socket_spec_get_linger (rs->spec), "ZMQ_LINGER")
      || !set_int_option (self, zsock, ZMQ_SNDHWM, _zs_runner_live_hwm (self, rs->index - self->rn->first_socket, 0), "ZMQ_SNDHWM")
      || !set_int_option (self, zsock, ZMQ_RCVHWM, _zs_runner_live_hwm (self, rs->index - self->rn->first_socket, 1), "ZMQ_RCVHWM"))
    return FALSE;
  if (rs->routing_id != NULL
      && zmq_setsockopt (zsock, ZMQ_ROUTING_ID, rs->routing_id, strlen (rs->routing_id)) != 0)
    return zs_runner_fail (self, _("Could not set ZMQ_ROUTING_ID “%s”: %s"), rs->routing_id, zmq_strerror (errno));
  if (rs->type == ZS_SOCKET_SUB || rs->type == ZS_SOCKET_XSUB)
    for (guint i = 0; subscribe != NULL && subscribe[i] != NULL; i++)
      if (rs->type == ZS_SOCKET_SUB
          && zmq_setsockopt (zsock, ZMQ_SUBSCRIBE, subscribe[i], strlen (subscribe[i])) != 0)
        return zs_runner_fail (self, _("Could not subscribe to “%s”: %s"), subscribe[i], zmq_strerror (errno));
  return TRUE;
}

/* Both ends of an inproc link are there: it is connected, counted once.
 * Both ends may see the other's mark before either moved the state off
 * IDLE (each stores its own mark, then loads the other's), and the end
 * that saw none may move it to WAITING only afterwards: whichever end
 * gets here moves it from IDLE or WAITING, and only one of them does.
 * (Looking for WAITING only, as this did, left such a link IDLE for
 * good: a sender waiting for its peer never sent; one start in about
 * thirty of 1 000 nodes on two loaded cores, issue #14.) */
static void
connect_inproc_link (ZsLinkCounters *c)
{
  int state = atomic_load (&c->state);

  while (state == ZS_LINK_STATE_IDLE || state == ZS_LINK_STATE_WAITING)
    if (atomic_compare_exchange_weak (&c->state, &state, ZS_LINK_STATE_CONNECTED))
      {
        atomic_fetch_add (&c->connects, 1);
        zs_counter_set (&c->last_event, ZS_LINK_EVENT_CONNECTED);
        zs_counter_set (&c->last_event_us, (guint64) g_get_monotonic_time ());
        return;
      }
}

/* inproc has no monitor events: the two ends mark their link themselves. */
static void
mark_inproc_links (ZsRunner    *self,
                   ZsRunSocket *rs,
                   const char  *endpoint,
                   gboolean     binding)
{
  for (guint i = 0; i < rs->links->len; i++)
    {
      guint l = g_array_index (rs->links, guint, i);
      ZsLink *link = g_ptr_array_index (self->run->links, l);
      ZsLinkCounters *c = &self->run->telemetry->links[l];
      guint node = binding ? link->bind_node : link->connect_node;
      guint socket = binding ? link->bind_socket : link->connect_socket;
      const char *ep = binding ? link->bind_endpoint : link->connect_endpoint;

      if (link->transport != ZS_TRANSPORT_INPROC || self->run->nodes[node].first_socket + socket != rs->index
          || g_strcmp0 (ep, endpoint) != 0)
        continue;
      atomic_store (binding ? &c->bound : &c->attached, 1);
      if (atomic_load (binding ? &c->attached : &c->bound))
        connect_inproc_link (c);
      else
        {
          int expected = ZS_LINK_STATE_IDLE;
          atomic_compare_exchange_strong (&c->state, &expected, ZS_LINK_STATE_WAITING);
        }
      zs_run_peers_changed (self->run, (int) link->bind_node);
      zs_run_peers_changed (self->run, (int) link->connect_node);
    }
}

/* libzmq unlinks an ipc path before binding it: look first (the file may
 * have appeared since the validator looked). */
static gboolean
check_ipc_bind (ZsRunner    *self,
                ZsRunSocket *rs,
                const char  *endpoint)
{
  g_autoptr(GError) error = NULL;

  if (zs_ipc_check_bind (endpoint, &error))
    return TRUE;
  return zs_runner_fail (self, _("Socket “%s” %s"), zs_socket_spec_get_name (rs->spec), error->message);
}

/* Remembers the socket file a bind made, for removal when the run ends. */
static void
note_ipc_bind (ZsRunner *self,
               void     *zsock)
{
  char endpoint[1024];
  size_t size = sizeof endpoint;
  g_autofree char *path = NULL;

  if (zmq_getsockopt (zsock, ZMQ_LAST_ENDPOINT, endpoint, &size) != 0)
    return;
  path = zs_ipc_endpoint_path (endpoint);
  if (path != NULL)
    zs_run_add_ipc_file (self->run, path);
}

/* After a kill, the old socket's listener closes in libzmq's I/O thread,
 * a moment after zmq_close: a restart waits for the port that long. */
#define RESTART_BIND_WAIT_MS 1000

static int
bind_endpoint (ZsRunner   *self,
               void       *zsock,
               const char *endpoint)
{
  gint64 deadline = g_get_monotonic_time () + RESTART_BIND_WAIT_MS * 1000;
  int rc;

  while ((rc = zmq_bind (zsock, endpoint)) != 0 && errno == EADDRINUSE && self->restarting
         && g_get_monotonic_time () < deadline && !zs_run_is_stopping (self->run))
    g_usleep (10000);
  return rc;
}

/* Where a connect to `endpoint` goes: the relay's endpoint when its link
 * is routed through the relay (zs-relay.h), else `endpoint` itself. */
static const char *
connect_target (ZsRunner    *self,
                ZsRunSocket *rs,
                const char  *endpoint)
{
  for (guint p = 0; p < self->run->links->len; p++)
    {
      ZsLink *link = g_ptr_array_index (self->run->links, p);
      const char *relay = zs_relay_get_endpoint (self->run->relay, p);

      if (relay != NULL && link->connect_node == self->rn->index
          && run_socket (self, link->connect_socket) == rs && g_strcmp0 (link->connect_endpoint, endpoint) == 0)
        {
          atomic_store (&self->run->faults->links[p].relayed, 1);
          return relay;
        }
    }
  return endpoint;
}

static gboolean
attach_endpoints (ZsRunner    *self,
                  ZsRunSocket *rs,
                  void        *zsock,
                  gboolean     binding)
{
  const char * const *list = binding ? zs_socket_spec_get_binds (rs->spec) : zs_socket_spec_get_connects (rs->spec);

  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    {
      gboolean ipc = g_str_has_prefix (list[i], "ipc://");
      int rc;

      if (_zs_runner_live_retired (self, rs->index - self->rn->first_socket, list[i], binding))
        continue;
      if (binding && ipc && !check_ipc_bind (self, rs, list[i]))
        return FALSE;
      rc = binding ? bind_endpoint (self, zsock, list[i]) : zmq_connect (zsock, connect_target (self, rs, list[i]));

      if (rc != 0)
        {
          int err = errno;
          if (err == EADDRINUSE)
            return zs_runner_fail (self, _("Socket “%s” cannot bind %s: the address is already in use "
                                           "(another node or program holds it); choose another port or name"),
                                   zs_socket_spec_get_name (rs->spec), list[i]);
          return zs_runner_fail (self, binding ? _("Socket “%s” cannot bind %s: %s")
                                               : _("Socket “%s” cannot connect to %s: %s"),
                                 zs_socket_spec_get_name (rs->spec), list[i], zmq_strerror (err));
        }
      if (binding && ipc)
        note_ipc_bind (self, zsock);
      if (g_str_has_prefix (list[i], "inproc://"))
        mark_inproc_links (self, rs, list[i], binding);
    }
  return TRUE;
}

static gboolean
open_socket (ZsRunner *self,
             guint     local)
{
  ZsRunSocket *rs = run_socket (self, local);
  gboolean bind_first = zs_socket_spec_get_bind_first (rs->spec);
  void *zsock = zmq_socket (self->run->ctx, rs->type);

  if (zsock == NULL)
    return zs_runner_fail (self, _("Could not create a %s socket: %s"),
                           zs_socket_type_to_string (rs->type), zmq_strerror (errno));
  self->zsocks[local] = zsock;
  if (!apply_options (self, rs, zsock))
    return FALSE;
  if (self->run->monitor != NULL && !zs_monitor_thread_watch (self->run->monitor, rs->index, zsock))
    g_debug ("no monitor on socket %u: %s", rs->index, zmq_strerror (errno));
  if (!attach_endpoints (self, rs, zsock, bind_first) || !attach_endpoints (self, rs, zsock, !bind_first))
    return FALSE;
  _zs_runner_reattach_live (self, local);
  return TRUE;
}

/* Reads what the socket still holds into `unread`, until the senders have
 * stopped and nothing arrived for a short while (tcp buffers drain late). */
static void
drain_socket (ZsRunner *self,
              guint     local,
              gboolean  wait_for_senders)
{
  ZsMessage msg;
  gint64 start = g_get_monotonic_time ();
  gint64 quiet_since = start;

  if (!zs_socket_type_receives (run_socket (self, local)->type))
    return;
  zs_message_init (&msg);
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      int rc = try_recv (self, local, &msg, TRUE);

      if (rc == 1)
        quiet_since = now;
      else if (rc == -1 || !wait_for_senders || now - start > DRAIN_MAX_MS * 1000
               || (atomic_load (&self->run->senders_alive) == 0 && now - quiet_since > DRAIN_QUIET_MS * 1000))
        break;
      else
        g_usleep (1000);
    }
  zs_message_free_frames (&msg);
}

/* What a plain program's zmq_ctx_term does with its default linger: flush
 * what is still queued for its peers. Only for outside peers (ours are
 * counted as unread or in flight) and bounded: the run's end never hangs. */
static void
linger_for_outside (ZsRunner *self,
                    guint     local,
                    void     *zsock)
{
  ZsRunSocket *rs = run_socket (self, local);
  int linger = zs_socket_spec_get_linger (rs->spec);

  if (!zs_run_socket_has_outside (rs) || !zs_socket_type_sends (rs->type)
      || (linger >= 0 && linger >= ZS_RUN_OUTSIDE_LINGER_MS))
    return;
  linger = ZS_RUN_OUTSIDE_LINGER_MS;
  zmq_setsockopt (zsock, ZMQ_LINGER, &linger, sizeof linger);
}

static void
close_socket (ZsRunner *self,
              guint     local,
              gboolean  wait_for_senders)
{
  void *zsock = self->zsocks[local];

  if (zsock == NULL)
    return;
  drain_socket (self, local, wait_for_senders);
  linger_for_outside (self, local, zsock);
  _zs_runner_live_closed (self, local);
  if (self->run->monitor != NULL)
    zs_monitor_thread_unwatch (self->run->monitor, zsock);
  zmq_close (zsock);
  self->zsocks[local] = NULL;
}

gboolean
zs_runner_reset_socket (ZsRunner *self,
                        guint     local,
                        gboolean  reopen)
{
  close_socket (self, local, FALSE);
  return !reopen || open_socket (self, local);
}

/* ---- life cycle (zs-node-thread.c) ---- */

ZsRunner *
_zs_runner_new (ZsRun     *run,
                ZsRunNode *rn)
{
  ZsRunner *self = g_new0 (ZsRunner, 1);

  self->run = run;
  self->rn = rn;
  self->counters = &run->telemetry->nodes[rn->index];
  self->rsocks = &run->sockets[rn->first_socket];
  self->zsocks = g_new0 (void *, MAX (rn->n_sockets, 1));
  self->socket_seq = g_new0 (guint64, MAX (rn->n_sockets, 1));
  self->reply_port = g_new0 (int, MAX (rn->n_sockets, 1));
  self->reply_outside = g_new0 (gboolean, MAX (rn->n_sockets, 1));
  self->matched = g_new0 (guint8 *, MAX (rn->n_sockets, 1));
  self->idle = g_new0 (gboolean, MAX (rn->n_sockets, 1));
  self->scratch = g_byte_array_new ();
  for (guint i = 0; i < rn->n_sockets; i++)
    {
      self->reply_port[i] = -1;
      self->matched[i] = g_new0 (guint8, MAX (run->sockets[rn->first_socket + i].out_ports->len, 1));
    }
  self->faults = &run->faults->nodes[rn->index];
  self->tracing = zs_node_get_tracing (rn->node);
  self->zero_copy = zs_node_get_zero_copy (rn->node);
  self->gate_free = zs_gate_free_flow_flag (run->gate);
  self->direct_port = g_new0 (ZsPort *, MAX (rn->n_sockets, 1));
  for (guint i = 0; i < rn->n_sockets; i++)
    self->direct_port[i] = find_direct_port (self, i);
  return self;
}

void
_zs_runner_free (ZsRunner *self)
{
  g_free (self->zsocks);
  g_free (self->socket_seq);
  g_free (self->reply_port);
  g_free (self->reply_outside);
  for (guint i = 0; i < self->rn->n_sockets; i++)
    g_free (self->matched[i]);
  g_free (self->matched);
  g_free (self->idle);
  g_byte_array_unref (self->scratch);
  g_clear_pointer (&self->direct_frame, g_byte_array_unref);
  g_free (self->direct_port);
  zs_payload_free (self->payload);
  g_free (self);
}

gboolean
_zs_runner_open (ZsRunner *self)
{
  g_autoptr(GError) error = NULL;
  ZsNode *node = self->rn->node;

  g_clear_pointer (&self->payload, zs_payload_free);
  self->payload = zs_payload_new (zs_node_get_payload (node), zs_node_get_name (node),
                                  zs_node_get_seed (node), &error);
  if (self->payload == NULL)
    return zs_runner_fail (self, _("Payload: %s"), error->message);
  prepare_direct_frame (self);
  for (guint i = 0; i < self->rn->n_sockets; i++)
    if (!open_socket (self, i))
      return FALSE;
  /* Links cut before a kill are cut again on the new sockets. */
  apply_link_requests (self);
  return TRUE;
}

ZsNodeState
_zs_runner_get_state (ZsRunner *self)
{
  return self->state;
}

void
_zs_runner_wait_stop (ZsRunner *self)
{
  while (poll_with_stop (self, NULL, 0, -1) != -2)
    ;
}

void
_zs_runner_close_sockets (ZsRunner *self)
{
  for (guint i = 0; i < self->rn->n_sockets; i++)
    close_socket (self, i, zs_runner_stopping (self));
}

/* ---- faults (zs-fault.h): applied here, by the node's own thread ---- */

void **
_zs_runner_sockets (ZsRunner *self)
{
  return self->zsocks;
}

ZsRunNode *
_zs_runner_run_node (ZsRunner *self)
{
  return self->rn;
}

gboolean
_zs_runner_bind (ZsRunner   *self,
                 void       *zsock,
                 const char *endpoint)
{
  if (bind_endpoint (self, zsock, endpoint) != 0)
    return FALSE;
  if (g_str_has_prefix (endpoint, "ipc://"))
    note_ipc_bind (self, zsock);
  return TRUE;
}

static ZsNodeFaults *
link_faults_owner (ZsRunner *self,
                   guint     l)
{
  return self->run->faults->links[l].owner == self->rn->index ? self->faults : NULL;
}

/* inproc has no monitor events: the node marks its end of a link gone.
 * A binding end that goes takes the link with it for good (libzmq's
 * inproc never reconnects); a connecting end can come back. */
static void
inproc_link_down (ZsRunner *self,
                  guint     l,
                  gboolean  binding)
{
  ZsLinkCounters *c = &self->run->telemetry->links[l];
  int connected = ZS_LINK_STATE_CONNECTED;

  atomic_store (binding ? &c->bound : &c->attached, 0);
  if (atomic_compare_exchange_strong (&c->state, &connected,
                                      binding ? ZS_LINK_STATE_DISCONNECTED : ZS_LINK_STATE_WAITING))
    {
      atomic_fetch_add (&c->disconnects, 1);
      zs_counter_set (&c->last_event, ZS_LINK_EVENT_DISCONNECTED);
      zs_counter_set (&c->last_event_us, (guint64) g_get_monotonic_time ());
    }
}

/* A link newly routed through the relay, live: the connecting socket
 * leaves the binder's endpoint for the relay's (a cut link only notes
 * it: its restore connects to the relay). */
static void
reroute_through_relay (ZsRunner *self,
                       guint     l,
                       void     *zsock)
{
  ZsLinkFaults *lf = &self->run->faults->links[l];
  ZsLink *link = g_ptr_array_index (self->run->links, l);
  const char *relay = zs_relay_get_endpoint (self->run->relay, l);

  if (relay == NULL || atomic_load (&lf->relayed))
    return;
  if (!atomic_load (&lf->cut) && (zmq_disconnect (zsock, link->connect_endpoint) != 0 || zmq_connect (zsock, relay) != 0))
    g_debug ("through the relay %s: %s", relay, zmq_strerror (errno));
  atomic_store (&lf->relayed, 1);
}

/* Cuts (zmq_disconnect) or restores (zmq_connect) each link this node
 * connects whose asked state differs from what is applied, and routes
 * through the relay those newly asked to. */
static void
apply_link_requests (ZsRunner *self)
{
  self->link_requests = atomic_load (&self->faults->link_requests);
  for (guint l = 0; l < self->run->links->len; l++)
    {
      ZsLinkFaults *lf = &self->run->faults->links[l];
      ZsLink *link = g_ptr_array_index (self->run->links, l);
      int want = atomic_load (&lf->cut_wanted);
      const char *target;
      void *zsock;
      int rc;

      if (link_faults_owner (self, l) == NULL || (zsock = self->zsocks[link->connect_socket]) == NULL)
        continue;
      reroute_through_relay (self, l, zsock);
      if (want == atomic_load (&lf->cut))
        continue;
      target = atomic_load (&lf->relayed) ? zs_relay_get_endpoint (self->run->relay, l) : link->connect_endpoint;
      rc = want ? zmq_disconnect (zsock, target) : zmq_connect (zsock, target);
      if (rc != 0)
        {
          g_debug ("%s %s: %s", want ? "disconnect" : "connect", target, zmq_strerror (errno));
          continue;
        }
      atomic_store (&lf->cut, want);
      if (want)
        zs_counter_add (&lf->cuts, 1);
      if (link->transport == ZS_TRANSPORT_INPROC && want)
        inproc_link_down (self, l, FALSE);
      else if (link->transport == ZS_TRANSPORT_INPROC)
        mark_inproc_links (self, run_socket (self, link->connect_socket), link->connect_endpoint, FALSE);
    }
  _zs_runner_apply_live (self);
}

/* Paused alone: it reads and sends nothing until resumed (or killed, or
 * the run stops); its links may still be cut meanwhile. */
static void
hold_paused (ZsRunner *self)
{
  struct pollfd fds[2] = { { self->run->stop_fd, POLLIN, 0 }, { self->faults->fd, POLLIN, 0 } };
  int state = atomic_load (&self->counters->state);

  atomic_store (&self->faults->state, ZS_NODE_FAULT_PAUSED);
  atomic_store (&self->counters->state, ZS_NODE_STATE_PAUSED);
  while (atomic_load (&self->faults->paused) && !zs_runner_stopping (self))
    {
      if (poll (fds, 2, -1) > 0 && (fds[1].revents & POLLIN))
        zs_faults_take_poke (self->run->faults, self->rn->index);
      if (atomic_load (&self->faults->link_requests) != self->link_requests)
        apply_link_requests (self);
    }
  atomic_store (&self->faults->state, ZS_NODE_FAULT_NONE);
  atomic_store (&self->counters->state, state);
}

/* Where the runner looks at the stop flag, it takes the faults asked of
 * its node: cuts and restores, a pause. FALSE when stopping or killed. */
static inline gboolean
take_faults (ZsRunner *self)
{
  if (G_UNLIKELY (atomic_load_explicit (&self->faults->link_requests, memory_order_relaxed) != self->link_requests))
    apply_link_requests (self);
  if (G_UNLIKELY (atomic_load_explicit (&self->faults->paused, memory_order_relaxed)))
    hold_paused (self);
  return !stopping (self);
}

gboolean
_zs_runner_killed (ZsRunner *self)
{
  return atomic_load (&self->faults->kill) != 0;
}

/* A crash: each socket closes at once, linger 0. What its receiving
 * sockets held is read out first and counted as lost on its flow (a
 * crashed program's queues die with it); what it had sent and was still
 * queued is settled as lost at the end (its flows' `lost_mark`). */
void
_zs_runner_crash (ZsRunner *self)
{
  int linger = 0;

  self->crashing = TRUE;
  for (guint i = 0; i < self->rn->n_sockets; i++)
    {
      ZsRunSocket *rs = run_socket (self, i);
      void *zsock = self->zsocks[i];

      if (zsock == NULL)
        continue;
      for (guint p = 0; p < rs->out_ports->len; p++)
        {
          ZsFlowCounters *f = g_array_index (rs->out_ports, ZsPort, p).flow;
          zs_counter_set (&f->lost_mark, zs_counter_get (&f->sent));
        }
      drain_socket (self, i, FALSE);
      zmq_setsockopt (zsock, ZMQ_LINGER, &linger, sizeof linger);
      if (self->run->monitor != NULL)
        zs_monitor_thread_unwatch (self->run->monitor, zsock);
      zmq_close (zsock);
      self->zsocks[i] = NULL;
      _zs_runner_live_closed (self, i);
      for (guint l = 0; l < self->run->links->len; l++)
        {
          ZsLink *link = g_ptr_array_index (self->run->links, l);
          gboolean binding = link->bind_node == self->rn->index && link->bind_socket == i;

          if (link->transport == ZS_TRANSPORT_INPROC
              && (binding || (link->connect_node == self->rn->index && link->connect_socket == i)))
            inproc_link_down (self, l, binding);
          /* The new sockets of a restart start whole, then are cut again. */
          if (link_faults_owner (self, l) != NULL)
            atomic_store (&self->run->faults->links[l].cut, 0);
        }
    }
  self->crashing = FALSE;
  memset (self->idle, 0, sizeof (gboolean) * MAX (self->rn->n_sockets, 1));
  for (guint i = 0; i < self->rn->n_sockets; i++)
    self->reply_port[i] = -1;
  zs_counter_add (&self->faults->kills, 1);
  atomic_store (&self->faults->state, ZS_NODE_FAULT_KILLED);
  atomic_store (&self->faults->kill, 0);
  zs_runner_set_state (self, ZS_NODE_STATE_STOPPED);
  /* A node waiting for it as a peer stops waiting (zs_runner_wait_peers). */
  zs_run_peers_changed (self->run, -1);
}

/* Killed: waits for a restart (TRUE) or the run's stop (FALSE). */
gboolean
_zs_runner_wait_restart (ZsRunner *self)
{
  struct pollfd fds[2] = { { self->run->stop_fd, POLLIN, 0 }, { self->faults->fd, POLLIN, 0 } };

  while (!atomic_exchange (&self->faults->restart, 0))
    {
      if (zs_runner_stopping (self))
        return FALSE;
      if (poll (fds, 2, -1) > 0 && (fds[1].revents & POLLIN))
        zs_faults_take_poke (self->run->faults, self->rn->index);
    }
  zs_counter_add (&self->faults->restarts, 1);
  atomic_store (&self->faults->state, atomic_load (&self->faults->paused) ? ZS_NODE_FAULT_PAUSED : ZS_NODE_FAULT_NONE);
  self->restarting = TRUE;
  return TRUE;
}

/* A restart's sockets are open: binds no longer wait for their ports. */
void
_zs_runner_restarted (ZsRunner *self)
{
  self->restarting = FALSE;
}
