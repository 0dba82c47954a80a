/* test-outside.c: plain ZeroMQ programs (separate processes) as peers
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An outside program must get exactly the payload (no trailer) and the
 * figures must say what went to it and what came from it. The outside
 * program is tests/zs-peer.c; ports are free ones picked at test time. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <zmq.h>

#include "zs-test-util.h"
#include "zs-trace.h"
#include "zs-validator.h"

typedef struct {
  GSubprocess      *process;
  GDataInputStream *out;
  char             *endpoint;
} Peer;

static char *
read_line (Peer *peer)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line (peer->out, NULL, NULL, &error);

  g_assert_no_error (error);
  return line;
}

/* Starts `zs-peer TYPE MODE ENDPOINT COUNT TEXT` and waits until it has
 * bound or connected (its first line names the endpoint). */
static void
peer_start_full (Peer       *peer,
                 const char *type,
                 const char *mode,
                 const char *endpoint,
                 guint       count,
                 const char *text,
                 guint       timeout_ms)
{
  g_autofree char *exe = g_build_filename (g_getenv ("ZS_BUILD_DIR"), "tests", "zs-peer", NULL);
  g_autofree char *n = g_strdup_printf ("%u", count);
  g_autofree char *timeout = g_strdup_printf ("%u", timeout_ms);
  g_autofree char *line = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);

  if (timeout_ms > 0)
    g_subprocess_launcher_setenv (launcher, "ZS_PEER_TIMEOUT_MS", timeout, TRUE);
  peer->process = g_subprocess_launcher_spawn (launcher, &error, exe, type, mode, endpoint, n, text, NULL);
  g_assert_no_error (error);
  peer->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (peer->process));
  line = read_line (peer);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "ENDPOINT "));
  peer->endpoint = g_strdup (line + strlen ("ENDPOINT "));
}

static void
peer_start (Peer       *peer,
            const char *type,
            const char *mode,
            const char *endpoint,
            guint       count,
            const char *text)
{
  peer_start_full (peer, type, mode, endpoint, count, text, 0);
}

/* Waits for the peer to end; returns the messages it received, each its
 * frames in hex separated by spaces. */
static GPtrArray *
peer_finish (Peer *peer)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  char *line;

  while ((line = read_line (peer)) != NULL && !g_str_has_prefix (line, "DONE"))
    {
      g_assert_true (g_str_has_prefix (line, "MSG "));
      g_ptr_array_add (messages, g_strdup (line + 4));
      g_free (line);
    }
  g_free (line);
  g_assert_true (g_subprocess_wait_check (peer->process, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&peer->out);
  g_clear_object (&peer->process);
  g_clear_pointer (&peer->endpoint, g_free);
  return messages;
}

static char *
hex (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    g_string_append_printf (out, "%02x", (guchar) *p);
  return g_string_free (out, FALSE);
}

/* Every message the outside program got is exactly `frames` (hex, spaces
 * between frames): no trailer. */
static void
assert_all_exact (GPtrArray  *messages,
                  const char *frames)
{
  for (guint i = 0; i < messages->len; i++)
    g_assert_cmpstr (g_ptr_array_index (messages, i), ==, frames);
}

/* A free tcp endpoint on loopback, nothing bound there now. */
static char *
free_endpoint (void)
{
  void *ctx = zmq_ctx_new ();
  void *s = zmq_socket (ctx, ZMQ_PULL);
  char endpoint[64];
  size_t size = sizeof endpoint;

  g_assert_cmpint (zmq_bind (s, "tcp://127.0.0.1:*"), ==, 0);
  g_assert_cmpint (zmq_getsockopt (s, ZMQ_LAST_ENDPOINT, endpoint, &size), ==, 0);
  zmq_close (s);
  zmq_ctx_term (ctx);
  return g_strdup (endpoint);
}

/* A node that PUSHes 1000 messages to an outside PULL is done at once; the
 * run must still deliver them all (as a plain program's zmq_ctx_term
 * would), exactly as written, and say they went outside. */
static void
test_push_to_outside_pull (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autofree char *hello = hex ("Hello");
  const char *payload[] = { "Hello", NULL };
  Peer pull = { 0 };
  ZsNode *push;
  gboolean finished;

  peer_start (&pull, "PULL", "bind", "tcp://127.0.0.1:*", 1000, NULL);
  push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, pull.endpoint);
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 1000, NULL);
  s = zs_test_run (t, 10000, &finished);
  got = peer_finish (&pull);
  g_assert_true (finished);
  g_assert_cmpuint (got->len, ==, 1000);
  assert_all_exact (got, hello);
  g_assert_cmpuint (s->nodes[0].sent, ==, 1000);
  g_assert_cmpuint (s->n_sockets, ==, 1);
  g_assert_true (s->sockets[0].untraced);
  g_assert_true (s->sockets[0].outside);
  g_assert_cmpuint (s->sockets[0].sent, ==, 1000);
  g_assert_cmpuint (s->sockets[0].peers, ==, 1);
  g_assert_false (s->outside_discarded);
}

/* An outside PULL that reads nothing: the end of the run waits at most a
 * bounded linger for it (libzmq waits only while its pipe still holds
 * messages the kernel would not take), and when that linger ran out it
 * says that what was still queued was discarded. */
static void
test_outside_not_reading (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autofree char *big = g_strnfill (1024, 'x');
  const char *payload[] = { big, NULL };
  void *ctx = zmq_ctx_new ();
  void *pull = zmq_socket (ctx, ZMQ_PULL);
  char endpoint[64];
  size_t size = sizeof endpoint;
  int linger = 0;
  ZsNode *push;
  gint64 start, elapsed;

  zmq_setsockopt (pull, ZMQ_LINGER, &linger, sizeof linger);
  g_assert_cmpint (zmq_bind (pull, "tcp://127.0.0.1:*"), ==, 0);
  zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, endpoint, &size);
  push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, endpoint);
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 0, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  s = zs_engine_snapshot (engine);
  /* Every queue towards the outside program is full (its pipe, and the
   * kernel's buffers once connected): the sender blocks. */
  for (guint i = 0; i < 10000 && (s->nodes[0].state != ZS_NODE_STATE_BLOCKED || s->nodes[0].sent <= 1000); i++)
    {
      g_usleep (1000);
      zs_engine_snapshot_into (engine, s);
    }
  g_assert_cmpint (s->nodes[0].state, ==, ZS_NODE_STATE_BLOCKED);
  g_test_message ("blocked after %" G_GUINT64_FORMAT " messages", s->nodes[0].sent);
  start = g_get_monotonic_time ();
  zs_engine_stop (engine);
  elapsed = g_get_monotonic_time () - start;
  zs_engine_snapshot_into (engine, s);
  g_test_message ("stopped in %.2f s, discarded: %s", elapsed / 1e6, s->outside_discarded ? "yes" : "no");
  g_assert_cmpint (elapsed, <, 4 * G_USEC_PER_SEC);
  g_assert_true (s->outside_discarded == (elapsed >= 1950 * 1000));
  zmq_close (pull);
  zmq_ctx_term (ctx);
}

/* An outside SUB connects to our PUB's bind, next to our own SUB: the PUB
 * sends untraced from then on, our link still balances, its drops are
 * flagged as estimates, and the outside SUB reads exact payloads. */
static void
test_outside_sub_on_our_bind (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autofree char *endpoint = free_endpoint ();
  g_autofree char *tick = hex ("tick");
  const char *payload[] = { "tick", NULL };
  Peer sub = { 0 };
  ZsNode *pub, *ours;

  pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, endpoint, NULL);
  ours = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, endpoint);
  zs_node_set_payload (pub, payload);
  /* Both subscribers are there before the first message. */
  g_object_set (pub, "count", 200, "interval-ms", 1, "start-delay-ms", 400, NULL);
  g_object_set (ours, "count", 200, NULL);
  peer_start (&sub, "SUB", "connect", endpoint, 200, NULL);
  s = zs_test_run (t, 10000, NULL);
  got = peer_finish (&sub);
  g_assert_cmpuint (got->len, ==, 200);
  assert_all_exact (got, tick);
  g_assert_true (s->sockets[0].outside);
  g_assert_true (s->sockets[0].untraced);
  g_assert_cmpuint (s->sockets[0].peers, ==, 1);
  g_assert_cmpuint (s->sockets[0].sent, ==, 200);
  g_assert_true (s->sockets[0].sent_estimated);
  /* Our own SUB: still on its link, counted. */
  g_assert_false (s->sockets[1].outside);
  g_assert_cmpuint (s->links[0].sent, ==, 200);
  g_assert_cmpuint (s->links[0].received, ==, 200);
  g_assert_cmpuint (s->nodes[1].foreign, ==, 0);
  g_assert_true (s->links[0].dropped_estimated);
  zs_test_assert_balanced (s);
}

/* A broker between an outside client (REQ) and an outside worker (REP):
 * the replies to the client go to a peer outside, counted as sent there,
 * never as "dropped: no such peer"; the client reads exact replies. */
static void
test_broker_between_outside_peers (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GPtrArray) requests = NULL;
  g_autofree char *front = free_endpoint ();
  g_autofree char *back = free_endpoint ();
  g_autofree char *world = hex ("World");
  g_autoptr(ZsSocketSpec) backend = zs_socket_spec_new ("backend", ZS_SOCKET_DEALER);
  const char *binds[] = { back, NULL };
  Peer client = { 0 }, worker = { 0 };
  ZsNode *broker;

  broker = zs_test_add_node (t, "broker", ZS_ROLE_BROKER, ZS_SOCKET_ROUTER, front, NULL);
  zs_socket_spec_set_binds (backend, binds);
  zs_node_add_socket (broker, backend);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  peer_start (&worker, "REP", "connect", back, 10, "World");
  peer_start (&client, "REQ", "connect", front, 10, "Hello");
  replies = peer_finish (&client);
  requests = peer_finish (&worker);
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_assert_cmpuint (replies->len, ==, 10);
  assert_all_exact (replies, world);
  g_assert_cmpuint (requests->len, ==, 10);
  g_assert_cmpuint (s->nodes[0].unroutable, ==, 0);
  g_assert_cmpuint (s->nodes[0].foreign, ==, 20);
  /* Frontend: 10 requests from outside, 10 replies to outside. */
  g_assert_cmpuint (s->sockets[0].received, ==, 10);
  g_assert_cmpuint (s->sockets[0].sent, ==, 10);
  g_assert_cmpuint (s->sockets[0].peers, ==, 1);
  g_assert_true (s->sockets[0].untraced);
  /* Backend: 10 requests to the outside worker, 10 replies back. */
  g_assert_cmpuint (s->sockets[1].sent, ==, 10);
  g_assert_cmpuint (s->sockets[1].received, ==, 10);
}

/* One run's engine: a REQ client of `count` requests to `endpoint`. */
static ZsEngine *
start_client_copy (const char *endpoint,
                   guint       count)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  const char *payload[] = { "Hello", NULL };
  ZsNode *client = zs_test_add_node (t, "client", ZS_ROLE_CLIENT, ZS_SOCKET_REQ, NULL, endpoint);
  ZsEngine *engine;

  zs_node_set_payload (client, payload);
  g_object_set (client, "count", count, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  return engine;
}

/* Two copies of one topology use the same outside ROUTER: over tcp each
 * REQ keeps libzmq's random routing id (a fixed "client/main" in both
 * made the ROUTER refuse the second, whose REQ then waited forever). */
static void
test_two_copies_one_outside_router (void)
{
  g_autoptr(ZsEngine) a = NULL;
  g_autoptr(ZsEngine) b = NULL;
  g_autoptr(ZsSnapshot) sa = NULL;
  g_autoptr(ZsSnapshot) sb = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autofree char *hello = hex ("Hello");
  Peer router = { 0 };

  peer_start (&router, "ROUTER", "bind", "tcp://127.0.0.1:*", 20, "World");
  a = start_client_copy (router.endpoint, 10);
  b = start_client_copy (router.endpoint, 10);
  g_assert_true (zs_engine_wait (a, 10000));
  g_assert_true (zs_engine_wait (b, 10000));
  zs_engine_stop (a);
  zs_engine_stop (b);
  got = peer_finish (&router);
  sa = zs_engine_snapshot (a);
  sb = zs_engine_snapshot (b);
  g_assert_cmpuint (got->len, ==, 20);
  for (guint i = 0; i < got->len; i++)
    {
      g_auto(GStrv) frames = g_strsplit (g_ptr_array_index (got, i), " ", -1);

      /* [random id]["" delimiter]["Hello"], nothing appended. */
      g_assert_cmpuint (g_strv_length (frames), ==, 3);
      g_assert_cmpuint (strlen (frames[0]), ==, 10);
      g_assert_cmpstr (frames[2], ==, hello);
    }
  for (ZsSnapshot *s = sa; s != NULL; s = s == sa ? sb : NULL)
    {
      g_assert_cmpuint (s->nodes[0].received, ==, 10);
      g_assert_cmpuint (s->nodes[0].foreign, ==, 10);
      g_assert_cmpuint (s->sockets[0].sent, ==, 10);
      g_assert_true (s->sockets[0].untraced);
    }
}

/* Another zmqscope run's trailer (our magic, another run's tag) is
 * stripped, and the message counts as from outside. */
static void
test_foreign_trailer_stripped (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autofree char *endpoint = free_endpoint ();
  ZsTrace theirs = { 42, 0, zs_trace_new_run_tag (), ZS_TRACE_FLAG_LINK_SEQ };
  guint8 message[9 + ZS_TRACE_SIZE] = "Update 42";
  void *ctx = zmq_ctx_new ();
  void *push = zmq_socket (ctx, ZMQ_PUSH);
  ZsNode *pull;
  int linger = 0;

  zs_trace_write (message + 9, &theirs);
  pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, endpoint, NULL);
  g_object_set (pull, "count", 3, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  zmq_setsockopt (push, ZMQ_LINGER, &linger, sizeof linger);
  g_assert_cmpint (zmq_connect (push, endpoint), ==, 0);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (zmq_send (push, message, sizeof message, 0), ==, sizeof message);
  g_assert_true (zs_engine_wait (engine, 5000));
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_assert_cmpuint (s->nodes[0].received, ==, 3);
  g_assert_cmpuint (s->nodes[0].received_bytes, ==, 3 * 9);
  g_assert_cmpuint (s->nodes[0].foreign, ==, 3);
  g_assert_cmpuint (s->sockets[0].received, ==, 3);
  zmq_close (push);
  zmq_ctx_term (ctx);
}

static GSubprocess *
spawn_zmqscope (const char *file,
                gboolean    json)
{
  g_autofree char *exe = g_build_filename (g_getenv ("ZS_BUILD_DIR"), "app", "zmqscope", NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, "run", file, "--seconds", "20",
                                     json ? "--json" : NULL, NULL);

  g_assert_no_error (error);
  return p;
}

static char *
communicate (GSubprocess *p)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (p));
  return out;
}

/* `zmqscope check FILE` names the sockets that will run untraced. */
static void
assert_check_says_untraced (const char *file,
                            const char *expected)
{
  g_autofree char *exe = g_build_filename (g_getenv ("ZS_BUILD_DIR"), "app", "zmqscope", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                               &error, exe, "check", file, NULL);
  g_autofree char *out = NULL;

  g_assert_no_error (error);
  out = communicate (p);
  g_assert_nonnull (strstr (out, expected));
}

static JsonObject *
member_at (JsonObject *root,
           const char *array,
           guint       i)
{
  return json_array_get_object_element (json_object_get_array_member (root, array), i);
}

/* Two zmqscope processes over tcp: each counts the other as outside, and
 * the receiver never shows the sender's trailer as text: its bytes are
 * exactly the payload's ("Update 42", not "Update 42" and 16 bytes more). */
static void
test_two_zmqscope_processes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zs-outside-XXXXXX", NULL);
  g_autofree char *a = g_build_filename (dir, "a.json", NULL);
  g_autofree char *b = g_build_filename (dir, "b.json", NULL);
  g_autofree char *endpoint = free_endpoint ();
  g_autofree char *a_text = g_strdup_printf (
    "{\"zmqscope\": 1, \"title\": \"A\", \"nodes\": [{\"name\": \"push\", \"role\": \"socket\", "
    "\"payload\": [\"Update {seq}\"], \"count\": 100, \"wait-peers\": 1, "
    "\"sockets\": [{\"name\": \"out\", \"type\": \"PUSH\", \"binds\": [\"%s\"]}]}]}", endpoint);
  g_autofree char *b_text = g_strdup_printf (
    "{\"zmqscope\": 1, \"title\": \"B\", \"nodes\": [{\"name\": \"pull\", \"role\": \"socket\", "
    "\"count\": 100, \"sockets\": [{\"name\": \"in\", \"type\": \"PULL\", \"connects\": [\"%s\"]}]}]}",
    endpoint);
  g_autoptr(GSubprocess) pa = NULL;
  g_autoptr(GSubprocess) pb = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out_a = NULL;
  g_autofree char *out_b = NULL;
  JsonObject *root, *pull, *in;
  guint64 bytes = 0;

  g_assert_true (g_file_set_contents (a, a_text, -1, NULL));
  g_assert_true (g_file_set_contents (b, b_text, -1, NULL));
  assert_check_says_untraced (b, "pull.in runs untraced");
  pa = spawn_zmqscope (a, FALSE);
  pb = spawn_zmqscope (b, TRUE);
  out_b = communicate (pb);
  out_a = communicate (pa);
  g_test_message ("%s", out_a);
  g_assert_cmpint (g_subprocess_get_exit_status (pb), ==, 0);
  g_assert_cmpint (g_subprocess_get_exit_status (pa), ==, 0);

  g_assert_true (json_parser_load_from_data (parser, out_b, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  pull = member_at (root, "nodes", 0);
  in = member_at (root, "outside", 0);
  for (guint i = 1; i <= 100; i++)
    bytes += strlen ("Update ") + (i < 10 ? 1 : i < 100 ? 2 : 3);
  g_assert_cmpint (json_object_get_int_member (pull, "received"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (pull, "received_bytes"), ==, (gint64) bytes);
  g_assert_cmpint (json_object_get_int_member (pull, "foreign"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (in, "received"), ==, 100);
  g_assert_cmpint (json_object_get_int_member (in, "peers"), ==, 1);

  /* The sender's text report has a row for what went outside. */
  g_assert_nonnull (strstr (out_a, "OUTSIDE"));
  g_assert_true (g_regex_match_simple ("push\\.out +1 +100 +0 +untraced", out_a, G_REGEX_MULTILINE, 0));
  g_remove (a);
  g_remove (b);
  g_rmdir (dir);
}

static gboolean
has_finding (ZsTopology *t,
             const char *field)
{
  g_autoptr(GPtrArray) findings = zs_validate (t);

  for (guint i = 0; i < findings->len; i++)
    if (g_strcmp0 (((ZsFinding *) g_ptr_array_index (findings, i))->field, field) == 0)
      return TRUE;
  return FALSE;
}

/* A ventilator whose workers are outside programs: with "wait for peers"
 * at 2 (counted from the monitor's handshakes) the two workers share the
 * tasks, exact bytes; waiting for nobody is a warning that explains
 * the slow joiner. */
static void
test_ventilator_outside_workers (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(GPtrArray) got_a = NULL;
  g_autoptr(GPtrArray) got_b = NULL;
  g_autofree char *endpoint = free_endpoint ();
  g_autofree char *five = hex ("5");
  const char *payload[] = { "5", NULL };
  Peer a = { 0 }, b = { 0 };
  ZsNode *vent = zs_test_add_node (t, "vent", ZS_ROLE_VENTILATOR, ZS_SOCKET_PUSH, endpoint, NULL);

  zs_socket_spec_set_name (zs_node_get_socket (vent, 0), "out");
  zs_node_set_payload (vent, payload);
  g_object_set (vent, "count", 100, NULL);
  g_assert_true (has_finding (t, "wait-peers"));
  g_object_set (vent, "wait-peers", 2, NULL);
  g_assert_false (has_finding (t, "wait-peers"));

  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  peer_start_full (&a, "PULL", "connect", endpoint, 100, NULL, 1500);
  peer_start_full (&b, "PULL", "connect", endpoint, 100, NULL, 1500);
  g_assert_true (zs_engine_wait (engine, 10000));
  got_a = peer_finish (&a);
  got_b = peer_finish (&b);
  zs_engine_stop (engine);
  g_test_message ("outside workers got %u and %u tasks", got_a->len, got_b->len);
  /* libzmq attaches a pipe just after the handshake event: the split is
   * within a task or two of even, never 100/0. */
  g_assert_cmpuint (got_a->len + got_b->len, ==, 100);
  g_assert_cmpuint (got_a->len, >=, 45);
  g_assert_cmpuint (got_b->len, >=, 45);
  assert_all_exact (got_a, five);
  assert_all_exact (got_b, five);
}

/* A socket's peers counted at once: an outside peer attached. */
static gboolean
outside_peer_attached (const ZsSnapshot *s,
                       gpointer          data)
{
  return s->sockets[0].peers >= 1;
}

/* ZMTP 3.0 as a PUB says it: the greeting (NULL mechanism, as a client),
 * then READY with its socket type. */
static const guint8 pub_handshake[] = {
  0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3, 0, 'N', 'U', 'L', 'L', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0,
  0x04, 25, 5, 'R', 'E', 'A', 'D', 'Y', 11, 'S', 'o', 'c', 'k', 'e', 't', '-', 'T', 'y', 'p', 'e',
  0, 0, 0, 3, 'P', 'U', 'B',
};

/* Opens a tcp connection to `endpoint`, writes `said` (NULL: nothing, as a
 * port scan or a load balancer's health check does) and closes its side.
 * It returns once the bound socket has closed its end: libzmq has then
 * reported the disconnect to the socket's monitor. */
static void
probe_port (const char   *endpoint,
            const guint8 *said,
            gsize         size)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  const char *host_port = endpoint + strlen ("tcp://");
  GSocket *socket;
  char buffer[64];
  gssize got;

  connection = g_socket_client_connect_to_host (client, host_port, 0, NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (connection);
  g_socket_set_timeout (socket, ZS_TEST_DEADLINE_MS / 1000);
  if (said != NULL)
    g_assert_cmpint (g_socket_send (socket, (const char *) said, size, NULL, &error), ==, (gssize) size);
  g_assert_no_error (error);
  g_assert_true (g_socket_shutdown (socket, FALSE, TRUE, &error));
  /* ZeroMQ's greeting, then the end of the stream. */
  while ((got = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error)) > 0)
    ;
  g_assert_no_error (error);
  g_assert_cmpint (got, ==, 0);
}

/* A connection that ends before its handshake was done is no peer that
 * left: a ventilator waiting for 2 workers sees both come and sends its
 * tasks, though between their handshakes its port was probed (a
 * connection closed without a word, which libzmq reports as a failed
 * handshake) or a PUB came (which libzmq closes without saying why).
 * Before, each such disconnect took a handshaken worker off the count,
 * and the ventilator waited for ever. */
static void
assert_not_a_peer (const guint8 *said,
                   gsize         size)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GPtrArray) got_a = NULL;
  g_autoptr(GPtrArray) got_b = NULL;
  g_autofree char *endpoint = free_endpoint ();
  const char *payload[] = { "5", NULL };
  Peer a = { 0 }, b = { 0 };
  ZsNode *vent = zs_test_add_node (t, "vent", ZS_ROLE_VENTILATOR, ZS_SOCKET_PUSH, endpoint, NULL);

  zs_node_set_payload (vent, payload);
  g_object_set (vent, "count", 10, "wait-peers", 2, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  s = zs_engine_snapshot (engine);
  peer_start_full (&a, "PULL", "connect", endpoint, 10, NULL, 1500);
  g_assert_true (zs_test_wait_snapshot (engine, s, outside_peer_attached, NULL));
  probe_port (endpoint, said, size);
  peer_start_full (&b, "PULL", "connect", endpoint, 10, NULL, 1500);
  g_assert_true (zs_engine_wait (engine, ZS_TEST_DEADLINE_MS));
  got_a = peer_finish (&a);
  got_b = peer_finish (&b);
  zs_engine_stop (engine);
  g_assert_cmpuint (got_a->len + got_b->len, ==, 10);
}

static void
test_probe_is_no_peer (void)
{
  assert_not_a_peer (NULL, 0);
}

static void
test_wrong_type_is_no_peer (void)
{
  assert_not_a_peer (pub_handshake, sizeof pub_handshake);
}

/* A sink fed by an outside ventilator: the first message is the start
 * signal (the guide's protocol), not a result. */
static void
test_sink_outside_ventilator (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GPtrArray) got = NULL;
  g_autofree char *endpoint = free_endpoint ();
  Peer vent = { 0 };
  ZsNode *sink = zs_test_add_node (t, "sink", ZS_ROLE_SINK, ZS_SOCKET_PULL, endpoint, NULL);

  zs_socket_spec_set_name (zs_node_get_socket (sink, 0), "in");
  g_object_set (sink, "count", 10, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  /* The start signal, then 10 results: 11 messages. */
  peer_start (&vent, "PUSH", "connect", endpoint, 11, "0");
  g_assert_true (zs_engine_wait (engine, 10000));
  got = peer_finish (&vent);
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_assert_cmpint (s->nodes[0].state, ==, ZS_NODE_STATE_DONE);
  g_assert_cmpuint (s->nodes[0].done_goal, ==, 10);
  g_assert_cmpuint (s->nodes[0].received, ==, 11);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/outside/push-to-outside-pull", test_push_to_outside_pull);
  g_test_add_func ("/zmqscope/outside/outside-not-reading", test_outside_not_reading);
  g_test_add_func ("/zmqscope/outside/outside-sub-on-our-bind", test_outside_sub_on_our_bind);
  g_test_add_func ("/zmqscope/outside/broker-between-outside-peers", test_broker_between_outside_peers);
  g_test_add_func ("/zmqscope/outside/two-copies-one-outside-router", test_two_copies_one_outside_router);
  g_test_add_func ("/zmqscope/outside/foreign-trailer-stripped", test_foreign_trailer_stripped);
  g_test_add_func ("/zmqscope/outside/two-zmqscope-processes", test_two_zmqscope_processes);
  g_test_add_func ("/zmqscope/outside/ventilator-outside-workers", test_ventilator_outside_workers);
  g_test_add_func ("/zmqscope/outside/sink-outside-ventilator", test_sink_outside_ventilator);
  g_test_add_func ("/zmqscope/outside/probe-is-no-peer", test_probe_is_no_peer);
  g_test_add_func ("/zmqscope/outside/wrong-type-is-no-peer", test_wrong_type_is_no_peer);
  return g_test_run ();
}
