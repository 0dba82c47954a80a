/* test-engine.c: the engine runs real sockets and counts exactly
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>
#include <zmq.h>

#include "zs-test-util.h"

static void
test_push_pull_inproc (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  const char *payload[] = { "0123456789abcdef", NULL };
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, "inproc://pp");
  ZsNode *pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, "inproc://pp", NULL);
  gboolean finished;

  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 20000, NULL);
  g_object_set (pull, "count", 20000, NULL);
  s = zs_test_run (t, 10000, &finished);
  g_assert_true (finished);
  g_assert_cmpuint (s->n_links, ==, 1);
  g_assert_cmpuint (s->links[0].sent, ==, 20000);
  g_assert_cmpuint (s->links[0].received, ==, 20000);
  g_assert_cmpuint (s->links[0].received_bytes, ==, 20000 * 16);
  g_assert_cmpuint (s->links[0].dropped, ==, 0);
  g_assert_false (s->links[0].sent_estimated);
  g_assert_cmpint (s->nodes[1].state, ==, ZS_NODE_STATE_DONE);
  g_assert_true (s->finished);
  g_assert_cmpint (s->links[0].state, ==, ZS_LINK_STATE_CONNECTED);
  zs_test_assert_balanced (s);
}

/* A subscriber that reads nothing for a while: the pipe keeps at most
 * SNDHWM + RCVHWM, the rest is dropped, and every drop is counted. */
static void
test_pub_hwm_drops_exact (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "inproc://hwm", NULL);
  ZsNode *sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "inproc://hwm");
  const char *payload[] = { "tick {seq}", NULL };
  const ZsLinkStats *l;

  zs_node_set_payload (pub, payload);
  g_object_set (pub, "count", 1000, "wait-peers", -1, "start-delay-ms", 50, NULL);
  zs_socket_spec_set_sndhwm (zs_node_get_socket (pub, 0), 10);
  zs_socket_spec_set_rcvhwm (zs_node_get_socket (sub, 0), 10);
  g_object_set (sub, "start-delay-ms", 400, "idle-timeout-ms", 200, NULL);
  s = zs_test_run (t, 10000, NULL);
  l = &s->links[0];
  g_test_message ("HWM 10+10: received %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT,
                  l->received, l->dropped);
  g_assert_cmpuint (l->sent, ==, 1000);
  g_assert_cmpuint (l->received, >=, 5);
  g_assert_cmpuint (l->received, <=, 20);
  g_assert_cmpuint (l->dropped, ==, 1000 - l->received);
  g_assert_cmpuint (l->in_flight, ==, 0);
  g_assert_cmpuint (l->capacity, ==, 20);
  g_assert_false (l->capacity_estimated);
  zs_test_assert_balanced (s);
}

/* A subscriber that reads slowly while the publisher runs: drops appear as
 * gaps in the middle of the stream, not only at its end. */
static void
test_pub_gap_drops (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "inproc://gap", NULL);
  ZsNode *sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "inproc://gap");
  const char *payload[] = { "x", NULL };
  const ZsLinkStats *l;

  zs_node_set_payload (pub, payload);
  g_object_set (pub, "count", 400, "interval-ms", 1, "wait-peers", -1, "start-delay-ms", 50,
                "end-marker", "END", NULL);
  zs_socket_spec_set_sndhwm (zs_node_get_socket (pub, 0), 4);
  zs_socket_spec_set_rcvhwm (zs_node_get_socket (sub, 0), 4);
  g_object_set (sub, "work-ms", 5, "end-marker", "END", "idle-timeout-ms", 500, NULL);
  s = zs_test_run (t, 15000, NULL);
  l = &s->links[0];
  g_test_message ("slow reader: received %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT,
                  l->received, l->dropped);
  g_assert_cmpuint (l->sent, >=, 400);
  g_assert_cmpuint (l->dropped, >, 0);
  g_assert_cmpuint (l->received, >, 20);
  g_assert_cmpuint (l->missed, ==, 0);
  zs_test_assert_balanced (s);
}

/* One run of the slow joiner: a publisher that sends 300 messages 1 ms
 * apart at once after bind, and a subscriber that connects at the same
 * time. Whatever it missed, the books are exact. */
static guint64
run_slow_joiner (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "tcp://127.0.0.1:5680", NULL);
  ZsNode *sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "tcp://127.0.0.1:5680");
  const char *payload[] = { "news {seq}", NULL };
  const ZsLinkStats *l;

  zs_test_use_free_ports (t);
  zs_node_set_payload (pub, payload);
  g_object_set (pub, "count", 300, "interval-ms", 1, NULL);
  g_object_set (sub, "idle-timeout-ms", 1000, NULL);
  s = zs_test_run (t, 10000, NULL);
  l = &s->links[0];
  g_test_message ("slow joiner missed %" G_GUINT64_FORMAT " of 300", l->missed);
  g_assert_cmpuint (l->sent, ==, 300);
  g_assert_cmpuint (l->missed, <, 300);
  g_assert_cmpuint (l->received + l->missed, ==, 300);
  g_assert_cmpuint (l->dropped, ==, l->missed);
  zs_test_assert_balanced (s);
  return l->missed;
}

/* The slow joiner: what was sent before the subscription arrived is
 * lost, and we say how many. Which thread runs first is the machine's
 * choice: on a busy one the subscriber may, now and then, be there
 * before the first message, so the phenomenon is looked for in up to
 * five runs (each exact), not assumed of one. */
static void
test_slow_joiner (void)
{
  guint64 missed = 0;

  for (guint run = 0; run < 5 && missed == 0; run++)
    missed = run_slow_joiner ();
  g_assert_cmpuint (missed, >, 0);
}

static int
bind_free_port (void *ctx,
                void **socket)
{
  char endpoint[64];
  size_t size = sizeof endpoint;
  const char *colon;

  *socket = zmq_socket (ctx, ZMQ_PULL);
  g_assert_cmpint (zmq_bind (*socket, "tcp://127.0.0.1:*"), ==, 0);
  g_assert_cmpint (zmq_getsockopt (*socket, ZMQ_LAST_ENDPOINT, endpoint, &size), ==, 0);
  colon = strrchr (endpoint, ':');
  return atoi (colon + 1);
}

/* A busy port is an error on that node; the rest of the topology runs. */
static void
test_bind_busy (void)
{
  void *ctx = zmq_ctx_new ();
  void *holder;
  int port = bind_free_port (ctx, &holder);
  g_autofree char *endpoint = g_strdup_printf ("tcp://127.0.0.1:%d", port);
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *busy = zs_test_add_node (t, "busy", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, endpoint, NULL);
  ZsNode *a = zs_test_add_node (t, "a", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, "inproc://ok");
  ZsNode *b = zs_test_add_node (t, "b", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, "inproc://ok", NULL);
  gboolean finished;
  const char *payload[] = { "hi", NULL };

  zs_node_set_payload (a, payload);
  g_object_set (busy, "count", 1, NULL);
  g_object_set (a, "count", 5, NULL);
  g_object_set (b, "count", 5, NULL);
  s = zs_test_run (t, 5000, &finished);
  g_assert_true (finished);
  g_assert_cmpint (s->nodes[0].state, ==, ZS_NODE_STATE_ERROR);
  g_assert_nonnull (strstr (s->nodes[0].error, "already in use"));
  g_assert_nonnull (strstr (s->nodes[0].error, endpoint));
  g_assert_cmpint (s->nodes[2].state, ==, ZS_NODE_STATE_DONE);
  g_assert_cmpuint (s->nodes[2].received, ==, 5);
  /* Every node ended, but one by failing: the run did not finish. */
  g_assert_false (s->finished);
  zmq_close (holder);
  zmq_ctx_term (ctx);
}

static void
test_invalid_refuses (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  zs_test_add_node (t, "pub", ZS_ROLE_SOCKET, ZS_SOCKET_PUB, "inproc://bad", NULL);
  zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, "inproc://bad");
  engine = zs_engine_new (t);
  g_assert_false (zs_engine_start (engine, &error));
  g_assert_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "pull"));
}

static ZsTopology *
load_topology (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  const char *payload[] = { "0123456789abcdef", NULL };
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, "inproc://load");
  ZsNode *pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "tcp://127.0.0.1:5681", NULL);

  zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, "inproc://load", NULL);
  zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "tcp://127.0.0.1:5681");
  zs_node_set_payload (push, payload);
  zs_node_set_payload (pub, payload);
  zs_test_use_free_ports (t);
  return g_steal_pointer (&t);
}

static guint64
total_received (ZsEngine *engine)
{
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  guint64 total = 0;

  for (guint i = 0; i < s->n_links; i++)
    total += s->links[i].received;
  return total;
}

/* Full speed, no end: stop must still return within a second. */
static void
test_stop_under_load (void)
{
  g_autoptr(ZsTopology) t = load_topology ();
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(ZsSnapshot) s = NULL;
  gint64 start;

  g_assert_true (zs_engine_start (engine, NULL));
  while (total_received (engine) < 100000)
    g_usleep (1000);
  start = g_get_monotonic_time ();
  zs_engine_stop (engine);
  g_test_message ("stop took %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  s = zs_engine_snapshot (engine);
  g_assert_cmpint (s->nodes[0].state, ==, ZS_NODE_STATE_STOPPED);
  zs_test_assert_balanced (s);
}

static guint
count_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* 100 run/stop cycles leave no thread, socket or fd behind. */
static void
test_cycles (void)
{
  g_autoptr(ZsTopology) t = load_topology ();
  guint fds_before = 0, threads_before = 0;

  /* One warm-up cycle: GLib and libzmq allocate some things once. */
  for (guint i = 0; i < 101; i++)
    {
      g_autoptr(ZsEngine) engine = zs_engine_new (t);

      g_assert_true (zs_engine_start (engine, NULL));
      while (total_received (engine) < 100)
        g_usleep (500);
      zs_engine_stop (engine);
      if (i == 0)
        {
          fds_before = count_dir ("/proc/self/fd");
          threads_before = count_dir ("/proc/self/task");
        }
    }
  /* A leak of one fd or thread per cycle would show as 100 more. */
  g_assert_cmpuint (count_dir ("/proc/self/fd"), <=, fds_before);
  g_assert_cmpuint (count_dir ("/proc/self/task"), <=, threads_before);
}

static guint64
node_sent (ZsEngine *engine,
           guint     node)
{
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  return s->nodes[node].sent;
}

static gboolean
wait_sent (ZsEngine *engine,
           guint64   want)
{
  for (guint i = 0; i < 2000 && node_sent (engine, 0) < want; i++)
    g_usleep (1000);
  return node_sent (engine, 0) == want;
}

/* Paused, nothing moves; each Step lets exactly one message through. */
static void
test_pause_step (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, "inproc://step");
  const char *payload[] = { "step", NULL };
  guint64 before;

  zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, "inproc://step", NULL);
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 1000000, "interval-ms", 2, NULL);
  engine = zs_engine_new (t);
  /* Paused before it starts: not one message may slip through. */
  zs_engine_pause (engine);
  g_assert_true (zs_engine_start (engine, NULL));
  g_assert_cmpint (zs_engine_get_state (engine), ==, ZS_ENGINE_STATE_PAUSED);
  g_usleep (100000);
  before = node_sent (engine, 0);
  g_assert_cmpuint (before, ==, 0);
  for (guint i = 1; i <= 3; i++)
    {
      zs_engine_step (engine);
      g_assert_true (wait_sent (engine, before + i));
    }
  g_usleep (50000);
  g_assert_cmpuint (node_sent (engine, 0), ==, before + 3);
  zs_engine_resume (engine);
  g_assert_true (wait_sent (engine, before + 10) || node_sent (engine, 0) > before + 10);
  zs_engine_stop (engine);
}

/* Slow motion: at 20 messages per second, a second carries about 20. */
static void
test_speed (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, "inproc://slow");
  ZsNode *pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, "inproc://slow", NULL);
  const char *payload[] = { "slow", NULL };
  gint64 start;
  gboolean done;

  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 10, NULL);
  g_object_set (pull, "count", 10, NULL);
  engine = zs_engine_new (t);
  zs_engine_set_speed (engine, 20);
  start = g_get_monotonic_time ();
  g_assert_true (zs_engine_start (engine, NULL));
  done = zs_engine_wait (engine, 5000);
  g_assert_true (done);
  /* 10 messages at 20/s: the last one leaves at 9/20 s at the earliest. */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 440000);
  zs_engine_stop (engine);
}

/* Tracing off: the wire carries exactly the payload, so unmodified ZeroMQ
 * programs can talk to a node. */
static void
test_interop_untraced (void)
{
  void *ctx = zmq_ctx_new ();
  void *pull;
  int port = bind_free_port (ctx, &pull);
  g_autofree char *endpoint = g_strdup_printf ("tcp://127.0.0.1:%d", port);
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, endpoint);
  const char *payload[] = { "Hello", NULL };
  char buffer[64];
  int rcvtimeo = 5000;

  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 3, "tracing", FALSE, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  zmq_setsockopt (pull, ZMQ_RCVTIMEO, &rcvtimeo, sizeof rcvtimeo);
  for (guint i = 0; i < 3; i++)
    {
      int n = zmq_recv (pull, buffer, sizeof buffer, 0);
      g_assert_cmpint (n, ==, 5);
      g_assert_cmpmem (buffer, 5, "Hello", 5);
    }
  zs_engine_stop (engine);
  zmq_close (pull);
  zmq_ctx_term (ctx);
}

/* And the other way: a plain ZeroMQ program's messages reach a node. */
static void
test_interop_foreign_sender (void)
{
  void *ctx = zmq_ctx_new ();
  void *push = zmq_socket (ctx, ZMQ_PUSH);
  char endpoint[64];
  size_t size = sizeof endpoint;
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *pull;
  int linger = 0;

  zmq_setsockopt (push, ZMQ_LINGER, &linger, sizeof linger);
  g_assert_cmpint (zmq_bind (push, "tcp://127.0.0.1:*"), ==, 0);
  zmq_getsockopt (push, ZMQ_LAST_ENDPOINT, endpoint, &size);
  pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, endpoint);
  g_object_set (pull, "count", 3, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (zmq_send (push, "World", 5, 0), ==, 5);
  g_assert_true (zs_engine_wait (engine, 5000));
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_assert_cmpuint (s->nodes[0].received, ==, 3);
  g_assert_cmpuint (s->nodes[0].received_bytes, ==, 15);
  g_assert_cmpuint (s->nodes[0].foreign, ==, 3);
  zmq_close (push);
  zmq_ctx_term (ctx);
}

/* A snapshot taken while the run goes never shows more received than sent. */
static void
test_snapshots_consistent (void)
{
  g_autoptr(ZsTopology) t = load_topology ();
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(ZsSnapshot) s = NULL;

  g_assert_true (zs_engine_start (engine, NULL));
  s = zs_engine_snapshot (engine);
  for (guint i = 0; i < 2000; i++)
    {
      zs_engine_snapshot_into (engine, s);
      zs_test_assert_balanced (s);
      for (guint l = 0; l < s->n_links; l++)
        g_assert_cmpuint (s->links[l].received, <=, s->links[l].sent);
    }
  zs_engine_stop (engine);
}

/* The message inspector sees a ROUTER's envelope as its frames, without
 * the trace trailer. */
static void
test_capture_envelope (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(GPtrArray) captures = NULL;
  ZsNode *client = zs_test_add_node (t, "client", ZS_ROLE_CLIENT, ZS_SOCKET_REQ, NULL, "inproc://env");
  ZsNode *server = zs_test_add_node (t, "server", ZS_ROLE_SERVER, ZS_SOCKET_ROUTER, "inproc://env", NULL);
  const char *payload[] = { "Hello", NULL };
  guint requests = 0;

  zs_node_set_payload (client, payload);
  g_object_set (client, "count", 5, "start-delay-ms", 50, NULL);
  g_object_set (server, "reply", "World", NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  zs_engine_set_capture (engine, 0, TRUE);
  g_assert_true (zs_engine_wait (engine, 5000));
  zs_engine_stop (engine);
  captures = zs_engine_get_captures (engine, 0);
  g_assert_cmpuint (captures->len, ==, 10);
  for (guint i = 0; i < captures->len; i++)
    {
      ZsCapture *c = g_ptr_array_index (captures, i);

      g_assert_true (c->traced);
      if (c->dir == 1)
        {
          /* REQ's answer: the REQ socket strips the envelope. */
          g_assert_cmpuint (c->n_frames, ==, 1);
          g_assert_cmpmem (g_bytes_get_data (c->frames[0], NULL), c->sizes[0], "World", 5);
          continue;
        }
      requests++;
      g_assert_cmpuint (c->n_frames, ==, 3);
      g_assert_cmpmem (g_bytes_get_data (c->frames[0], NULL), c->sizes[0], "client/main", 11);
      g_assert_cmpuint (c->sizes[1], ==, 0);
      g_assert_cmpmem (g_bytes_get_data (c->frames[2], NULL), c->sizes[2], "Hello", 5);
      g_assert_cmpuint (c->seq, ==, requests);
    }
  g_assert_cmpuint (requests, ==, 5);
}

/* What a constant payload's short send path (send_direct) leaves behind
 * is what the general path leaves: the same figures, trailers, latency
 * samples and kept messages. Zero copy takes the general path. */
static ZsSnapshot *
run_constant_push (gboolean     zero_copy,
                   GPtrArray  **captures)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  ZsNode *tx = zs_test_add_node (t, "tx", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, "inproc://direct", NULL);
  ZsNode *rx = zs_test_add_node (t, "rx", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, "inproc://direct");
  const char *payload[] = { "constant payload", NULL };
  ZsSnapshot *s;

  zs_node_set_payload (tx, payload);
  /* 10 ms apart: fewer than the capture's 16 per 100 ms, so each is kept. */
  g_object_set (tx, "count", 30, "interval-ms", 10, "wait-peers", -1, "zero-copy", zero_copy, NULL);
  g_object_set (rx, "count", 30, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  g_assert_true (zs_engine_wait (engine, ZS_TEST_DEADLINE_MS));
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  *captures = zs_engine_get_captures (engine, 0);
  return s;
}

static void
test_direct_send_as_general (void)
{
  g_autoptr(GPtrArray) direct_kept = NULL;
  g_autoptr(GPtrArray) general_kept = NULL;
  g_autoptr(ZsSnapshot) direct = run_constant_push (FALSE, &direct_kept);
  g_autoptr(ZsSnapshot) general = run_constant_push (TRUE, &general_kept);
  const ZsLinkStats *a = &direct->links[0], *b = &general->links[0];

  zs_test_assert_balanced (direct);
  g_assert_cmpuint (a->sent, ==, 30);
  g_assert_cmpuint (a->received, ==, 30);
  g_assert_cmpuint (a->sent, ==, b->sent);
  g_assert_cmpuint (a->received, ==, b->received);
  g_assert_cmpuint (a->sent_bytes, ==, 30 * strlen ("constant payload"));
  g_assert_cmpuint (a->sent_bytes, ==, b->sent_bytes);
  g_assert_cmpuint (a->received_bytes, ==, b->received_bytes);
  g_assert_false (a->sent_estimated);
  g_assert_cmpuint (direct->nodes[0].done_goal, ==, general->nodes[0].done_goal);
  /* Sequences 1..16 are timed, as on the general path. */
  g_assert_cmpuint (a->flow[0].latency.samples + a->flow[1].latency.samples, ==, 16);
  g_assert_cmpuint (b->flow[0].latency.samples + b->flow[1].latency.samples, ==, 16);
  g_assert_cmpuint (direct_kept->len, ==, general_kept->len);
  g_assert_cmpuint (direct_kept->len, ==, 16);
  for (guint i = 0; i < direct_kept->len; i++)
    {
      ZsCapture *x = g_ptr_array_index (direct_kept, i), *y = g_ptr_array_index (general_kept, i);

      g_assert_true (x->traced && y->traced);
      g_assert_cmpuint (x->seq, ==, 15 + i);
      g_assert_cmpuint (x->seq, ==, y->seq);
      g_assert_cmpuint (x->n_frames, ==, 1);
      g_assert_cmpmem (g_bytes_get_data (x->frames[0], NULL), x->sizes[0],
                       g_bytes_get_data (y->frames[0], NULL), y->sizes[0]);
    }
}

/* A fast direction keeps one message in `every`, on the receiver's own
 * clock reads only: at 100,000 messages a second (10 µs apart, given),
 * 16 kept per 100 ms at most; each kept message says how many came since
 * the one before; an idle receiver keeps the next at once. */
static void
test_capture_sampled (void)
{
  ZsCaptureRing *ring = zs_capture_ring_new ();
  g_autoptr(GPtrArray) captures = NULL;
  ZsCaptureSource msg = { 0 };
  const guint8 byte = 'x';
  gint64 now = 1000000;
  guint kept = 0;
  guint64 newest_seq;

  msg.traced = TRUE;
  msg.trailer = (const guint8 *) "0123456789abcdef";
  msg.n_frames = 1;
  msg.data[0] = &byte;
  msg.sizes[0] = 1;
  for (guint64 seq = 1; seq <= 100000; seq++, now += 10)
    if (zs_capture_ring_due (ring, 0))
      {
        msg.seq = seq;
        zs_capture_ring_push_sampled_at (ring, &msg, now);
        kept++;
      }
  /* One second: 10 windows of at most 16, and the doublings' first. */
  g_assert_cmpuint (kept, <=, 16 * 10 + 16 * 17);
  g_assert_cmpuint (kept, >=, 16);
  captures = zs_capture_ring_dup (ring);
  g_assert_cmpuint (captures->len, ==, ZS_CAPTURE_SLOTS);
  for (guint i = 1; i < captures->len; i++)
    {
      ZsCapture *a = captures->pdata[i - 1], *b = captures->pdata[i];

      g_assert_cmpuint (b->seq - a->seq, ==, b->every);
      g_assert_cmpint (b->time_us, >=, a->time_us);
    }
  g_assert_cmpuint (((ZsCapture *) captures->pdata[captures->len - 1])->every, >, 1);
  newest_seq = ((ZsCapture *) captures->pdata[captures->len - 1])->seq;

  /* The receiver found its queue empty: the next message is kept, and
   * says how many came since the last kept; two seconds later the rate
   * is low again: each one kept. */
  zs_capture_ring_idle (ring, 0);
  g_assert_true (zs_capture_ring_due (ring, 0));
  msg.seq = 100001;
  zs_capture_ring_push_sampled_at (ring, &msg, now + 2 * G_USEC_PER_SEC);
  g_clear_pointer (&captures, g_ptr_array_unref);
  captures = zs_capture_ring_dup (ring);
  g_assert_cmpuint (((ZsCapture *) captures->pdata[captures->len - 1])->every, ==, 100001 - newest_seq);
  g_assert_true (zs_capture_ring_due (ring, 0));
  msg.seq = 100002;
  zs_capture_ring_push_sampled_at (ring, &msg, now + 3 * G_USEC_PER_SEC);
  g_clear_pointer (&captures, g_ptr_array_unref);
  captures = zs_capture_ring_dup (ring);
  g_assert_cmpuint (((ZsCapture *) captures->pdata[captures->len - 1])->every, ==, 1);
  g_assert_true (zs_capture_ring_due (ring, 0));
  zs_capture_ring_free (ring);
}

/* A full-speed link through the engine: what it keeps is in order, each
 * capture's `every` the exact gap since the one before. */
static void
test_capture_fast_link (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(GPtrArray) captures = NULL;
  const char *payload[] = { "0123456789abcdef", NULL };
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, "inproc://fast");
  ZsNode *pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, "inproc://fast", NULL);

  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 20000, "wait-peers", -1, NULL);
  g_object_set (pull, "count", 20000, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  g_assert_true (zs_engine_wait (engine, 10000));
  zs_engine_stop (engine);
  captures = zs_engine_get_captures (engine, 0);
  g_assert_cmpuint (captures->len, ==, ZS_CAPTURE_SLOTS);
  for (guint i = 1; i < captures->len; i++)
    {
      ZsCapture *a = captures->pdata[i - 1], *b = captures->pdata[i];

      g_assert_true (b->traced);
      g_assert_cmpuint (b->every, >=, 1);
      g_assert_cmpuint (b->seq - a->seq, ==, b->every);
      g_assert_cmpmem (g_bytes_get_data (b->frames[0], NULL), b->sizes[0], payload[0], 16);
    }
}

/* Tail drops show during the run, as an estimate, once the subscriber has
 * idled on an empty queue; stopping makes them exact. */
static void
test_live_tail_drops (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("10-durable-subscriber.json");
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(ZsSnapshot) s = NULL;
  guint tries = 0;

  g_assert_true (zs_engine_start (engine, NULL));
  s = zs_engine_snapshot (engine);
  do
    {
      g_usleep (10000);
      zs_engine_snapshot_into (engine, s);
    }
  while ((s->links[0].dropped < 10 || s->links[1].dropped < 8) && ++tries < 1000);
  g_assert_cmpuint (s->links[0].dropped, ==, 10);
  g_assert_cmpuint (s->links[1].dropped, ==, 8);
  g_assert_true (s->links[0].dropped_estimated);
  g_assert_true (s->running);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpuint (s->links[0].dropped, ==, 10);
  g_assert_cmpuint (s->links[1].dropped, ==, 8);
  g_assert_false (s->links[0].dropped_estimated);
  g_assert_false (s->links[1].dropped_estimated);
  zs_test_assert_balanced (s);
}

/* A ROUTER silently drops what it addresses to a peer it does not know;
 * we count each one. */
static void
test_router_unroutable (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *router = zs_test_add_node (t, "router", ZS_ROLE_SOCKET, ZS_SOCKET_ROUTER, "inproc://r", NULL);
  ZsNode *dealer = zs_test_add_node (t, "dealer", ZS_ROLE_SOCKET, ZS_SOCKET_DEALER, NULL, "inproc://r");
  const char *to_nobody[] = { "nobody", "hello", NULL };
  gboolean finished;

  zs_node_set_payload (router, to_nobody);
  g_object_set (router, "count", 7, "wait-peers", -1, NULL);
  g_object_set (dealer, "idle-timeout-ms", 200, NULL);
  s = zs_test_run (t, 5000, &finished);
  g_assert_true (finished);
  g_assert_cmpuint (s->nodes[0].sent, ==, 7);
  g_assert_cmpuint (s->nodes[0].unroutable, ==, 7);
  g_assert_cmpuint (s->nodes[1].received, ==, 0);
  g_assert_cmpuint (s->links[0].sent, ==, 0);
  zs_test_assert_balanced (s);
}

/* A PUSH sending `count` messages to a PULL that takes them all. */
static void
add_push_pull (ZsTopology *t,
               const char *name,
               guint       count)
{
  g_autofree char *endpoint = g_strdup_printf ("inproc://%s", name);
  g_autofree char *push_name = g_strdup_printf ("push-%s", name);
  g_autofree char *pull_name = g_strdup_printf ("pull-%s", name);
  ZsNode *push = zs_test_add_node (t, push_name, ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, endpoint);
  ZsNode *pull = zs_test_add_node (t, pull_name, ZS_ROLE_SOCKET, ZS_SOCKET_PULL, endpoint, NULL);
  const char *payload[] = { "tick", NULL };

  zs_node_set_payload (push, payload);
  g_object_set (push, "count", count, NULL);
  g_object_set (pull, "count", count, NULL);
}

/* Refills s until node reaches `state` (at most 5 s). */
static void
wait_node_state (ZsEngine    *engine,
                 ZsSnapshot  *s,
                 guint        node,
                 ZsNodeState  state)
{
  for (guint i = 0; i < 5000 && s->nodes[node].state != state; i++)
    {
      g_usleep (1000);
      zs_engine_snapshot_into (engine, s);
    }
  g_assert_cmpint (s->nodes[node].state, ==, state);
}

/* Slow motion is per sender: at 10 messages per second, two senders of 10
 * messages each finish together in about 0.9 s (a budget shared by the
 * whole topology would take 1.9 s). */
static void
test_speed_per_sender (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  gint64 start, elapsed;

  add_push_pull (t, "a", 10);
  add_push_pull (t, "b", 10);
  engine = zs_engine_new (t);
  zs_engine_set_speed (engine, 10);
  start = g_get_monotonic_time ();
  g_assert_true (zs_engine_start (engine, NULL));
  g_assert_true (zs_engine_wait (engine, 10000));
  elapsed = g_get_monotonic_time () - start;
  s = zs_engine_snapshot (engine);
  for (guint i = 0; i < 4; i += 2)
    g_test_message ("%s: %" G_GUINT64_FORMAT " messages in %.2f s: %.1f msg/s after the first",
                    zs_node_get_name (zs_topology_get_node (t, i)), s->nodes[i].sent, elapsed / 1e6,
                    (s->nodes[i].sent - 1) / (elapsed / 1e6));
  g_assert_cmpuint (s->nodes[0].sent, ==, 10);
  g_assert_cmpuint (s->nodes[2].sent, ==, 10);
  /* Each sender's last message leaves 9 periods after its first. */
  g_assert_cmpint (elapsed, >=, 880000);
  g_assert_cmpint (elapsed, <, 1700000);
  zs_engine_stop (engine);
}

/* A sender held back by slow motion is running, not paused: only the
 * user's Pause shows a node as paused. */
static void
test_paced_not_paused (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  guint samples = 0;

  add_push_pull (t, "paced", 1000);
  engine = zs_engine_new (t);
  zs_engine_set_speed (engine, 20);
  g_assert_true (zs_engine_start (engine, NULL));
  s = zs_engine_snapshot (engine);
  /* Five turns of the slow-motion gate: the sender waits ~50 ms before each. */
  while (s->nodes[0].sent < 6)
    {
      g_usleep (2000);
      zs_engine_snapshot_into (engine, s);
      g_assert_cmpint (s->nodes[0].state, !=, ZS_NODE_STATE_PAUSED);
      samples++;
    }
  g_test_message ("%u samples, none paused", samples);
  zs_engine_pause (engine);
  wait_node_state (engine, s, 0, ZS_NODE_STATE_PAUSED);
  zs_engine_stop (engine);
}

/* The run's clock stands still while paused: a receiver's idle timeout
 * does not run out during a pause, and runs its full length after it. */
static void
test_clock_stops_when_paused (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, "inproc://clock");
  ZsNode *pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, "inproc://clock", NULL);
  const char *payload[] = { "tick", NULL };
  gint64 resumed;

  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 1, NULL);
  g_object_set (pull, "idle-timeout-ms", 300, NULL);
  engine = zs_engine_new (t);
  zs_engine_pause (engine);
  g_assert_true (zs_engine_start (engine, NULL));
  /* Three times the timeout, paused: the receiver is still waiting. */
  g_assert_false (zs_engine_wait (engine, 900));
  s = zs_engine_snapshot (engine);
  g_assert_cmpint (s->nodes[1].state, !=, ZS_NODE_STATE_DONE);
  resumed = g_get_monotonic_time ();
  zs_engine_resume (engine);
  g_assert_true (zs_engine_wait (engine, 5000));
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpint (s->nodes[1].state, ==, ZS_NODE_STATE_DONE);
  g_assert_cmpuint (s->nodes[1].received, ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - resumed, >=, 290000);
  zs_engine_stop (engine);
}

/* A node that cannot do its job says so: an empty payload is refused before
 * the run (a validation finding naming the node) or ends the node in the
 * ERROR state with a message; never a GLib assertion and a silent stall. */
static void
assert_empty_payload_reported (ZsRole       role,
                               ZsSocketType type,
                               ZsSocketType peer_type)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  const char *empty[] = { NULL };
  ZsNode *sender = zs_test_add_node (t, "sender", role, type, "inproc://empty", NULL);

  zs_test_add_node (t, "peer", ZS_ROLE_SOCKET, peer_type, NULL, "inproc://empty");
  zs_node_set_payload (sender, empty);
  g_object_set (sender, "count", 5, NULL);
  engine = zs_engine_new (t);
  if (!zs_engine_start (engine, &error))
    {
      g_assert_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, "sender"));
      return;
    }
  s = zs_engine_snapshot (engine);
  wait_node_state (engine, s, 0, ZS_NODE_STATE_ERROR);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_test_message ("%s: %s: %s", zs_role_to_string (role), zs_node_state_to_string (s->nodes[0].state),
                  s->nodes[0].error ? s->nodes[0].error : "(no message)");
  g_assert_nonnull (s->nodes[0].error);
  g_assert_nonnull (strstr (s->nodes[0].error, "payload"));
}

static void
test_empty_payload (void)
{
  assert_empty_payload_reported (ZS_ROLE_VENTILATOR, ZS_SOCKET_PUSH, ZS_SOCKET_PULL);
  assert_empty_payload_reported (ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, ZS_SOCKET_SUB);
  assert_empty_payload_reported (ZS_ROLE_CLIENT, ZS_SOCKET_REQ, ZS_SOCKET_REP);
  assert_empty_payload_reported (ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, ZS_SOCKET_PULL);
}
/* A fresh directory with one ipc path in it, nothing there yet. */
typedef struct {
  char *dir;
  char *path;
  char *endpoint;
} IpcPath;

static void
ipc_path_init (IpcPath    *ipc,
               const char *name)
{
  ipc->dir = g_dir_make_tmp ("zs-ipc-XXXXXX", NULL);
  g_assert_nonnull (ipc->dir);
  ipc->path = g_build_filename (ipc->dir, name, NULL);
  ipc->endpoint = g_strdup_printf ("ipc://%s", ipc->path);
}

/* Removes whatever is at the path, then the directory. */
static void
ipc_path_clear (IpcPath *ipc)
{
  g_remove (ipc->path);
  g_rmdir (ipc->dir);
  g_clear_pointer (&ipc->dir, g_free);
  g_clear_pointer (&ipc->path, g_free);
  g_clear_pointer (&ipc->endpoint, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (IpcPath, ipc_path_clear)

/* Outside programs can connect to a node's endpoint. What they send is
 * counted "from outside" on the receiving node, never on a link between two
 * of our nodes: untraced messages, and trailers whose sequence is beyond
 * what our sender has counted (a forged sequence cannot raise a figure). */
static void
test_outside_messages_not_on_links (void)
{
  g_auto(IpcPath) ipc = { 0 };
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GPtrArray) captures = NULL;
  const char *payload[] = { "real", NULL };
  ZsNode *push, *pull;
  void *ctx = zmq_ctx_new ();
  void *outside = zmq_socket (ctx, ZMQ_PUSH);
  ZsCapture *real;
  guint8 forged[4 + 16];
  guint64 head;
  int linger = 0;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  ipc_path_init (&ipc, "pull.sock");
  push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, ipc.endpoint);
  pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, ipc.endpoint, NULL);
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 5, NULL);
  g_object_set (pull, "count", 8, NULL);
  engine = zs_engine_new (t);
  /* Paused until the capture is on: it sees the first message. */
  zs_engine_pause (engine);
  g_assert_true (zs_engine_start (engine, NULL));
  zs_engine_set_capture (engine, 0, TRUE);
  zs_engine_resume (engine);
  /* The pull node waits for 8 messages: 5 from push, 3 from us. */
  for (;;)
    {
      g_clear_pointer (&captures, g_ptr_array_unref);
      captures = zs_engine_get_captures (engine, 0);
      if (captures->len > 0 || g_get_monotonic_time () > deadline)
        break;
      g_usleep (1000);
    }
  g_assert_cmpuint (captures->len, >, 0);
  real = g_ptr_array_index (captures, 0);
  g_assert_true (real->traced);

  /* A real trailer (right run tag and origin) with a sequence our sender
   * never reached. */
  memcpy (forged, "fake", 4);
  memcpy (forged + 4, real->trailer, 16);
  memcpy (&head, forged + 4, 8);
  head = GUINT64_FROM_LE (head);
  head = (head & ~(guint64) G_GINT64_CONSTANT (0x7fffffffffff)) | G_GINT64_CONSTANT (0x10000000000);
  head = GUINT64_TO_LE (head);
  memcpy (forged + 4, &head, 8);
  zmq_setsockopt (outside, ZMQ_LINGER, &linger, sizeof linger);
  g_assert_cmpint (zmq_connect (outside, ipc.endpoint), ==, 0);
  g_assert_cmpint (zmq_send (outside, forged, sizeof forged, 0), ==, sizeof forged);
  g_assert_cmpint (zmq_send (outside, "hello", 5, 0), ==, 5);
  g_assert_cmpint (zmq_send (outside, "hello", 5, 0), ==, 5);
  g_assert_true (zs_engine_wait (engine, 10000));
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_assert_cmpuint (s->nodes[1].received, ==, 8);
  g_assert_cmpuint (s->nodes[1].foreign, ==, 3);
  g_assert_cmpuint (s->links[0].sent, ==, 5);
  g_assert_cmpuint (s->links[0].received, ==, 5);
  g_assert_cmpuint (s->links[0].dropped, ==, 0);
  zs_test_assert_balanced (s);
  zmq_close (outside);
  zmq_ctx_term (ctx);
}

/* The tail of a captured trailer from one short run. */
static void
run_tag_bytes (ZsTopology *t,
               guint8     *tag)
{
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(GPtrArray) captures = NULL;

  zs_engine_pause (engine);
  g_assert_true (zs_engine_start (engine, NULL));
  zs_engine_set_capture (engine, 0, TRUE);
  zs_engine_resume (engine);
  g_assert_true (zs_engine_wait (engine, 5000));
  zs_engine_stop (engine);
  captures = zs_engine_get_captures (engine, 0);
  g_assert_cmpuint (captures->len, >, 0);
  memcpy (tag, ((ZsCapture *) g_ptr_array_index (captures, 0))->trailer + 8, 8);
}

/* Each run has its own random tag, 40 bits of the trailer's last 8 bytes
 * (the other 24 are the magic every zmqscope trailer carries), so that a
 * stranger cannot guess it. */
static void
test_run_tag_random (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  const char *payload[] = { "x", NULL };
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, "inproc://tag");
  ZsNode *pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, "inproc://tag", NULL);
  guint8 a[8], b[8];
  guint differ = 0;

  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 3, NULL);
  g_object_set (pull, "count", 3, NULL);
  run_tag_bytes (t, a);
  run_tag_bytes (t, b);
  for (guint i = 0; i < 8; i++)
    differ += a[i] != b[i];
  /* Two random 40-bit tags share 3 of their 5 bytes once in 10^6 runs. */
  g_assert_cmpuint (differ, >=, 3);
}

/* ---- ipc paths: libzmq unlinks whatever is there before binding ---- */

static void
assert_file_contains (const char *path,
                      const char *contents)
{
  g_autofree char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, contents);
}

/* A bind on an existing file that is not a socket: a finding before the
 * run that names the file, and the file stays. */
static void
test_ipc_refuses_regular_file (void)
{
  g_auto(IpcPath) thesis = { 0 };
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  ipc_path_init (&thesis, "thesis.tex");
  g_assert_true (g_file_set_contents (thesis.path, "\\documentclass{book}", -1, NULL));
  zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, thesis.endpoint, NULL);
  engine = zs_engine_new (t);
  g_assert_false (zs_engine_start (engine, &error));
  g_assert_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, thesis.path));
  assert_file_contains (thesis.path, "\\documentclass{book}");
}

static ZsSnapshot *
wait_for_node (ZsEngine    *engine,
               guint        node,
               ZsNodeState  state,
               guint64      received)
{
  ZsSnapshot *s = zs_engine_snapshot (engine);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while ((s->nodes[node].state != state || s->nodes[node].received < received)
         && g_get_monotonic_time () < deadline)
    {
      g_usleep (2000);
      zs_engine_snapshot_into (engine, s);
    }
  g_assert_cmpint (s->nodes[node].state, ==, state);
  return s;
}

/* The file appears between the check and the bind (here: while a durable
 * subscriber is offline, before it binds again): the node fails, names the
 * file, and the file stays. */
static void
test_ipc_checked_at_bind (void)
{
  g_auto(IpcPath) ipc = { 0 };
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  const char *payload[] = { "news", NULL };
  ZsNode *pub, *sub;

  ipc_path_init (&ipc, "sub.sock");
  pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, NULL, ipc.endpoint);
  sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, ipc.endpoint, NULL);
  zs_node_set_payload (pub, payload);
  g_object_set (pub, "count", 100000, "interval-ms", 5, NULL);
  g_object_set (sub, "offline-after", 3, "offline-ms", 3000, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  g_clear_pointer (&s, zs_snapshot_free);
  s = wait_for_node (engine, 1, ZS_NODE_STATE_WAITING, 3);
  g_assert_cmpint (g_remove (ipc.path), ==, 0);
  g_assert_true (g_file_set_contents (ipc.path, "notes", -1, NULL));
  g_clear_pointer (&s, zs_snapshot_free);
  s = wait_for_node (engine, 1, ZS_NODE_STATE_ERROR, 3);
  g_test_message ("%s", s->nodes[1].error);
  g_assert_nonnull (strstr (s->nodes[1].error, ipc.path));
  g_assert_nonnull (strstr (s->nodes[1].error, "not a socket"));
  zs_engine_stop (engine);
  assert_file_contains (ipc.path, "notes");
}

/* A socket file another process listens on is never taken over. */
static void
test_ipc_live_listener (void)
{
  g_auto(IpcPath) ipc = { 0 };
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *node;
  void *ctx = zmq_ctx_new ();
  void *holder = zmq_socket (ctx, ZMQ_PULL);
  void *client = zmq_socket (ctx, ZMQ_PUSH);
  int linger = 0;
  char buffer[8];

  ipc_path_init (&ipc, "busy.sock");
  node = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, ipc.endpoint, NULL);
  g_assert_cmpint (zmq_bind (holder, ipc.endpoint), ==, 0);
  g_object_set (node, "count", 1, NULL);
  s = zs_test_run (t, 5000, NULL);
  g_assert_cmpint (s->nodes[0].state, ==, ZS_NODE_STATE_ERROR);
  g_test_message ("%s", s->nodes[0].error);
  g_assert_nonnull (strstr (s->nodes[0].error, "already in use"));
  g_assert_nonnull (strstr (s->nodes[0].error, ipc.endpoint));
  /* The other program still has its address. */
  zmq_setsockopt (client, ZMQ_LINGER, &linger, sizeof linger);
  g_assert_cmpint (zmq_connect (client, ipc.endpoint), ==, 0);
  g_assert_cmpint (zmq_send (client, "still", 5, 0), ==, 5);
  g_assert_cmpint (zmq_recv (holder, buffer, sizeof buffer, 0), ==, 5);
  zmq_close (client);
  zmq_close (holder);
  zmq_ctx_term (ctx);
}

/* The socket files a run created are gone when it ends. */
static void
test_ipc_files_removed (void)
{
  g_auto(IpcPath) ipc = { 0 };
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  const char *payload[] = { "x", NULL };
  ZsNode *push, *pull;
  gboolean finished;

  ipc_path_init (&ipc, "pp.sock");
  push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, ipc.endpoint);
  pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, ipc.endpoint, NULL);
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 10, NULL);
  g_object_set (pull, "count", 10, NULL);
  s = zs_test_run (t, 5000, &finished);
  g_assert_true (finished);
  g_assert_false (g_file_test (ipc.path, G_FILE_TEST_EXISTS));
}

/* A leftover socket file of another user: say so, not "address in use". */
static void
test_ipc_other_user (void)
{
  g_auto(IpcPath) ipc = { 0 };
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *node;
  void *ctx, *old;

  if (geteuid () != 0)
    {
      g_test_skip ("needs root to make a file of another user");
      return;
    }
  ipc_path_init (&ipc, "theirs.sock");
  node = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, ipc.endpoint, NULL);
  /* What a program of user 65534 leaves behind. */
  ctx = zmq_ctx_new ();
  old = zmq_socket (ctx, ZMQ_PULL);
  g_assert_cmpint (zmq_bind (old, ipc.endpoint), ==, 0);
  zmq_close (old);
  zmq_ctx_term (ctx);
  g_assert_cmpint (chown (ipc.path, 65534, 65534), ==, 0);
  g_object_set (node, "count", 1, NULL);
  s = zs_test_run (t, 5000, NULL);
  g_assert_cmpint (s->nodes[0].state, ==, ZS_NODE_STATE_ERROR);
  g_test_message ("%s", s->nodes[0].error);
  g_assert_nonnull (strstr (s->nodes[0].error, "another user"));
  g_assert_null (strstr (s->nodes[0].error, "in use"));
  g_assert_true (g_file_test (ipc.path, G_FILE_TEST_EXISTS));
}

/* ---- HWM 0: no limit, so no HWM drop, and a cap on memory ---- */

/* With no HWM nothing is dropped at an HWM: what was still queued when the
 * run stopped (here, for a subscriber gone offline behind a connecting
 * publisher) is discarded at stop, and called so. */
static void
test_unlimited_discarded_at_stop (void)
{
  g_auto(IpcPath) ipc = { 0 };
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  const char *payload[] = { "news {seq}", NULL };
  const ZsLinkStats *l;
  ZsNode *pub, *sub;

  ipc_path_init (&ipc, "sub.sock");
  pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, NULL, ipc.endpoint);
  sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, ipc.endpoint, NULL);
  zs_node_set_payload (pub, payload);
  g_object_set (pub, "count", 50, "interval-ms", 2, "wait-peers", -1, "start-delay-ms", 100, NULL);
  g_object_set (sub, "offline-after", 3, "offline-ms", 60000, NULL);
  zs_socket_spec_set_sndhwm (zs_node_get_socket (pub, 0), 0);
  zs_socket_spec_set_rcvhwm (zs_node_get_socket (sub, 0), 0);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  s = wait_for_node (engine, 0, ZS_NODE_STATE_DONE, 0);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  l = &s->links[0];
  g_test_message ("sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT
                  ", discarded %" G_GUINT64_FORMAT, l->sent, l->received, l->dropped, l->discarded);
  g_assert_cmpuint (l->sent, ==, 50);
  g_assert_cmpuint (l->received, ==, 3);
  g_assert_cmpuint (l->dropped, ==, 0);
  /* What the subscriber had already queued when it went offline it read
   * into `unread`; the rest waited in the publisher's pipe. */
  g_assert_cmpuint (l->discarded, ==, 47 - l->unread);
  g_assert_cmpuint (l->discarded, >=, 40);
  g_assert_cmpuint (l->in_flight, ==, l->discarded);
  zs_test_assert_balanced (s);
}

static guint64
rss_bytes (void)
{
  g_autofree char *statm = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL));
  fields = g_strsplit (statm, " ", 3);
  return g_ascii_strtoull (fields[1], NULL, 10) * (guint64) sysconf (_SC_PAGESIZE);
}

/* A fast publisher, a slow subscriber, HWM 0: the queue grows until the
 * memory cap, then the engine stops the run and says which link and why. */
static void
test_memory_cap (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "inproc://flood", NULL);
  ZsNode *sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "inproc://flood");
  const char *payload[] = { "a payload of about one hundred bytes, like a small JSON record or a log line "
                            "{seq}", NULL };
  guint64 cap = 32 * 1024 * 1024, rss_before = rss_bytes ();
  gint64 start;

  zs_node_set_payload (pub, payload);
  g_object_set (pub, "wait-peers", -1, NULL);
  g_object_set (sub, "work-ms", 10, NULL);
  zs_socket_spec_set_sndhwm (zs_node_get_socket (pub, 0), 0);
  zs_socket_spec_set_rcvhwm (zs_node_get_socket (sub, 0), 0);
  engine = zs_engine_new (t);
  zs_engine_set_memory_cap (engine, cap);
  start = g_get_monotonic_time ();
  g_assert_true (zs_engine_start (engine, NULL));
  /* It returns once the engine stops the run by itself. */
  g_assert_false (zs_engine_wait (engine, 60000));
  s = zs_engine_snapshot (engine);
  g_test_message ("cap fired after %" G_GINT64_FORMAT " ms, %" G_GUINT64_FORMAT " queued, RSS +%" G_GUINT64_FORMAT
                  " MiB: %s", (g_get_monotonic_time () - start) / 1000, s->links[0].in_flight,
                  (rss_bytes () - rss_before) >> 20, s->stop_reason);
  g_assert_nonnull (s->stop_reason);
  g_assert_nonnull (strstr (s->stop_reason, "sub.sub <- pub.pub"));
  g_assert_nonnull (strstr (s->stop_reason, "HWM 0"));
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_assert_nonnull (s->stop_reason);
  g_assert_cmpint (s->nodes[0].state, ==, ZS_NODE_STATE_STOPPED);
  g_assert_cmpuint (s->links[0].dropped, ==, s->links[0].missed);
  zs_test_assert_balanced (s);
}

/* A publisher feeding a forwarder's XSUB (whose subscriptions come from
 * downstream while the run goes): its messages are ours, on the link, not
 * "from outside". */
static void
test_xsub_forwarder_not_outside (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(ZsNode) fwd = zs_node_new ("fwd", ZS_ROLE_FORWARDER);
  g_autoptr(ZsSocketSpec) frontend = zs_socket_spec_new ("frontend", ZS_SOCKET_XSUB);
  g_autoptr(ZsSocketSpec) backend = zs_socket_spec_new ("backend", ZS_SOCKET_XPUB);
  const char *front[] = { "inproc://front", NULL };
  const char *back[] = { "inproc://back", NULL };
  const char *payload[] = { "10001 {seq}", NULL };
  ZsNode *pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "inproc://front", NULL);
  ZsNode *sub;

  zs_socket_spec_set_connects (frontend, front);
  zs_socket_spec_set_binds (backend, back);
  zs_node_add_socket (fwd, frontend);
  zs_node_add_socket (fwd, backend);
  zs_topology_add_node (t, fwd);
  sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "inproc://back");
  zs_node_set_payload (pub, payload);
  g_object_set (pub, "count", 200, "interval-ms", 2, NULL);
  g_object_set (sub, "count", 50, NULL);
  s = zs_test_run (t, 10000, NULL);
  g_assert_cmpuint (s->nodes[1].received, >, 0);
  g_assert_cmpuint (s->nodes[1].foreign, ==, 0);
  g_assert_cmpuint (s->links[0].received, ==, s->nodes[1].received);
  zs_test_assert_balanced (s);
}

/* An outside program asking one of our REP servers gets exactly the reply,
 * without our trailer, and its requests count on no link. */
static void
test_outside_request_plain_reply (void)
{
  g_auto(IpcPath) ipc = { 0 };
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  const char *payload[] = { "Hello", NULL };
  ZsNode *client, *server;
  void *ctx = zmq_ctx_new ();
  void *outside = zmq_socket (ctx, ZMQ_REQ);
  char reply[64];
  int linger = 0;

  ipc_path_init (&ipc, "rep.sock");
  server = zs_test_add_node (t, "server", ZS_ROLE_SERVER, ZS_SOCKET_REP, ipc.endpoint, NULL);
  client = zs_test_add_node (t, "client", ZS_ROLE_CLIENT, ZS_SOCKET_REQ, NULL, ipc.endpoint);
  g_object_set (server, "reply", "World", NULL);
  zs_node_set_payload (client, payload);
  g_object_set (client, "count", 5, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  zmq_setsockopt (outside, ZMQ_LINGER, &linger, sizeof linger);
  g_assert_cmpint (zmq_connect (outside, ipc.endpoint), ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpint (zmq_send (outside, "Hello", 5, 0), ==, 5);
      g_assert_cmpint (zmq_recv (outside, reply, sizeof reply, 0), ==, 5);
      g_assert_cmpmem (reply, 5, "World", 5);
    }
  g_assert_true (zs_engine_wait (engine, 10000));
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_assert_cmpuint (s->nodes[0].foreign, ==, 3);
  g_assert_cmpuint (s->links[0].sent, ==, 10);
  g_assert_cmpuint (s->links[0].received, ==, 10);
  zs_test_assert_balanced (s);
  zmq_close (outside);
  zmq_ctx_term (ctx);
}

/* A publisher feeding a forwarder's XSUB: the link counts what matches the
 * subscriptions the forwarder really passed upstream (the XSUB declares
 * none in the file), so drops on that hop show instead of vanishing. */
static void
test_xsub_forwarded_subscriptions (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(ZsSocketSpec) backend = zs_socket_spec_new ("backend", ZS_SOCKET_XPUB);
  const char *binds[] = { "inproc://fwd-out", NULL };
  const char *payload[] = { "tick {seq}", NULL };
  ZsNode *pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "inproc://fwd-in", NULL);
  ZsNode *fwd = zs_test_add_node (t, "fwd", ZS_ROLE_FORWARDER, ZS_SOCKET_XSUB, NULL, "inproc://fwd-in");
  ZsNode *sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "inproc://fwd-out");
  GPtrArray *links;
  const ZsLinkStats *hop = NULL;

  zs_socket_spec_set_binds (backend, binds);
  zs_node_add_socket (fwd, backend);
  zs_node_set_payload (pub, payload);
  /* The subscription has gone upstream before the first message. */
  g_object_set (pub, "count", 50000, "wait-peers", -1, "start-delay-ms", 300, NULL);
  zs_socket_spec_set_sndhwm (zs_node_get_socket (pub, 0), 10);
  zs_socket_spec_set_rcvhwm (zs_node_get_socket (fwd, 0), 10);
  g_object_set (sub, "idle-timeout-ms", 500, NULL);
  s = zs_test_run (t, 20000, NULL);
  links = zs_topology_get_links (t);
  for (guint i = 0; i < links->len; i++)
    if (((ZsLink *) g_ptr_array_index (links, i))->bind_node == 0)
      hop = &s->links[i];
  g_assert_nonnull (hop);
  g_test_message ("pub -> xsub: sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT ", dropped %"
                  G_GUINT64_FORMAT, hop->sent, hop->received, hop->dropped);
  g_assert_cmpuint (s->nodes[0].sent, ==, 50000);
  g_assert_cmpuint (hop->sent, ==, 50000);
  g_assert_cmpuint (hop->dropped, ==, hop->sent - hop->received - hop->unread);
  zs_test_assert_balanced (s);
}

/* Each direction of a link is counted apart (0: connecting -> binding, as
 * ZsCapture.dir; 1: binding -> connecting): the hello-world link carries
 * ten requests one way and ten replies the other, each direction's books
 * balance exactly, and they add up to the link's figures. */
static void
assert_flows_add_up (const ZsLinkStats *l)
{
  guint64 sums[7] = { 0 };

  for (guint d = 0; d < 2; d++)
    {
      const ZsLinkFlow *f = &l->flow[d];

      g_assert_cmpuint (f->sent, ==, f->received + f->dropped + f->unread + f->in_flight);
      sums[0] += f->sent;
      sums[1] += f->received;
      sums[2] += f->dropped;
      sums[3] += f->unread;
      sums[4] += f->in_flight;
      sums[5] += f->sent_bytes;
      sums[6] += f->received_bytes;
    }
  g_assert_cmpuint (sums[0], ==, l->sent);
  g_assert_cmpuint (sums[1], ==, l->received);
  g_assert_cmpuint (sums[2], ==, l->dropped);
  g_assert_cmpuint (sums[3], ==, l->unread);
  g_assert_cmpuint (sums[4], ==, l->in_flight);
  g_assert_cmpuint (sums[5], ==, l->sent_bytes);
  g_assert_cmpuint (sums[6], ==, l->received_bytes);
}

static void
test_per_direction_figures (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("1-hello-world.json");
  g_autoptr(ZsSnapshot) s = NULL;
  ZsLink *link;
  const ZsLinkStats *l;
  gboolean finished;

  g_object_set (zs_topology_find_node (t, "server"), "work-ms", 20, NULL);
  link = g_ptr_array_index (zs_topology_get_links (t), 0);
  g_assert_cmpint (link->connect_node, ==, zs_test_node_index (t, "client"));
  s = zs_test_run (t, 20000, &finished);
  g_assert_true (finished);
  l = &s->links[0];
  /* Requests: client (REQ, connects) -> server (REP, binds). */
  g_assert_true (l->flow[0].present);
  g_assert_cmpuint (l->flow[0].sent, ==, 10);
  g_assert_cmpuint (l->flow[0].received, ==, 10);
  g_assert_cmpuint (l->flow[0].received_bytes, ==, 10 * strlen ("Hello"));
  /* Replies: back the other way. */
  g_assert_true (l->flow[1].present);
  g_assert_cmpuint (l->flow[1].sent, ==, 10);
  g_assert_cmpuint (l->flow[1].received, ==, 10);
  g_assert_cmpuint (l->flow[1].received_bytes, ==, 10 * strlen ("World"));
  assert_flows_add_up (l);
  zs_test_assert_balanced (s);
}

/* A one-way link has one direction, which carries everything. */
static void
test_one_way_flow (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, "inproc://one-way", NULL);
  ZsNode *pull = zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, "inproc://one-way");
  const char *payload[] = { "one way", NULL };
  gboolean finished;

  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 500, NULL);
  g_object_set (pull, "count", 500, NULL);
  s = zs_test_run (t, 10000, &finished);
  g_assert_true (finished);
  /* PUSH binds, PULL connects: its messages go binding -> connecting. */
  g_assert_false (s->links[0].flow[0].present);
  g_assert_true (s->links[0].flow[1].present);
  g_assert_cmpuint (s->links[0].flow[1].sent, ==, 500);
  g_assert_cmpuint (s->links[0].flow[1].received, ==, 500);
  g_assert_cmpuint (s->links[0].flow[0].sent, ==, 0);
  assert_flows_add_up (&s->links[0]);
}

/* Context switches of this process's thread `name` so far (its wake-ups). */
static guint64
thread_switches (const char *name)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *tid;

  g_assert_nonnull (dir);
  while ((tid = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *comm_path = g_strdup_printf ("/proc/self/task/%s/comm", tid);
      g_autofree char *status_path = g_strdup_printf ("/proc/self/task/%s/status", tid);
      g_autofree char *comm = NULL;
      g_autofree char *status = NULL;
      g_auto(GStrv) lines = NULL;
      guint64 switches = 0;

      if (!g_file_get_contents (comm_path, &comm, NULL, NULL) || g_strcmp0 (g_strchomp (comm), name) != 0
          || !g_file_get_contents (status_path, &status, NULL, NULL))
        continue;
      lines = g_strsplit (status, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (g_str_has_prefix (lines[i], "voluntary_ctxt_switches:")
            || g_str_has_prefix (lines[i], "nonvoluntary_ctxt_switches:"))
          switches += g_ascii_strtoull (strchr (lines[i], ':') + 1, NULL, 10);
      return switches;
    }
  g_assert_not_reached ();
}

/* Idle nodes cost nothing: a receiver waiting for a message, a sender
 * sleeping until its next send and a sender blocked on a full queue each
 * block in one wait, with no periodic wake-up (it used to be every 50 ms),
 * and a stop still reaches all of them. */
static void
test_idle_nodes_do_not_wake (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  ZsNode *tx = zs_test_add_node (t, "tx", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, "inproc://idle", NULL);
  ZsNode *rx = zs_test_add_node (t, "rx", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, "inproc://idle");
  ZsNode *bx = zs_test_add_node (t, "bx", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, "inproc://full", NULL);
  ZsNode *by = zs_test_add_node (t, "by", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, "inproc://full");
  const char *payload[] = { "hello", NULL };
  const char *names[] = { "zs-tx", "zs-rx", "zs-bx" };
  guint64 before[G_N_ELEMENTS (names)];
  guint tries = 0;

  zs_node_set_payload (tx, payload);
  zs_node_set_payload (bx, payload);
  g_object_set (tx, "count", 0, "interval-ms", 3600 * 1000, "wait-peers", -1, NULL);
  g_object_set (rx, "count", 0, NULL);
  g_object_set (bx, "count", 0, "wait-peers", -1, NULL);
  /* It takes one message, then works on it for an hour: bx blocks. */
  g_object_set (by, "count", 0, "work-ms", 3600 * 1000, NULL);
  zs_socket_spec_set_sndhwm (zs_node_get_socket (bx, 0), 1);
  zs_socket_spec_set_rcvhwm (zs_node_get_socket (by, 0), 1);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, NULL));
  s = zs_engine_snapshot (engine);
  do
    {
      g_usleep (10000);
      zs_engine_snapshot_into (engine, s);
    }
  while ((s->links[0].received < 1 || s->nodes[2].state != ZS_NODE_STATE_BLOCKED) && ++tries < 1000);
  g_assert_cmpuint (s->links[0].received, ==, 1);
  g_assert_cmpint (s->nodes[2].state, ==, ZS_NODE_STATE_BLOCKED);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    before[i] = thread_switches (names[i]);
  /* Six 50 ms slices' worth of time: a node that polls would wake. */
  g_usleep (300 * 1000);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_cmpuint (thread_switches (names[i]) - before[i], <=, 1);

  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpint (s->nodes[2].state, ==, ZS_NODE_STATE_STOPPED);
  zs_test_assert_balanced (s);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/engine/push-pull-inproc", test_push_pull_inproc);
  g_test_add_func ("/zmqscope/engine/direct-send-as-general", test_direct_send_as_general);
  g_test_add_func ("/zmqscope/engine/pub-hwm-drops-exact", test_pub_hwm_drops_exact);
  g_test_add_func ("/zmqscope/engine/pub-gap-drops", test_pub_gap_drops);
  g_test_add_func ("/zmqscope/engine/slow-joiner", test_slow_joiner);
  g_test_add_func ("/zmqscope/engine/bind-busy", test_bind_busy);
  g_test_add_func ("/zmqscope/engine/invalid-refuses", test_invalid_refuses);
  g_test_add_func ("/zmqscope/engine/stop-under-load", test_stop_under_load);
  g_test_add_func ("/zmqscope/engine/cycles", test_cycles);
  g_test_add_func ("/zmqscope/engine/pause-step", test_pause_step);
  g_test_add_func ("/zmqscope/engine/speed", test_speed);
  g_test_add_func ("/zmqscope/engine/speed-per-sender", test_speed_per_sender);
  g_test_add_func ("/zmqscope/engine/paced-not-paused", test_paced_not_paused);
  g_test_add_func ("/zmqscope/engine/clock-stops-when-paused", test_clock_stops_when_paused);
  g_test_add_func ("/zmqscope/engine/empty-payload", test_empty_payload);
  g_test_add_func ("/zmqscope/engine/interop-untraced", test_interop_untraced);
  g_test_add_func ("/zmqscope/engine/interop-foreign-sender", test_interop_foreign_sender);
  g_test_add_func ("/zmqscope/engine/snapshots-consistent", test_snapshots_consistent);
  g_test_add_func ("/zmqscope/engine/capture-envelope", test_capture_envelope);
  g_test_add_func ("/zmqscope/engine/capture-sampled", test_capture_sampled);
  g_test_add_func ("/zmqscope/engine/capture-fast-link", test_capture_fast_link);
  g_test_add_func ("/zmqscope/engine/live-tail-drops", test_live_tail_drops);
  g_test_add_func ("/zmqscope/engine/router-unroutable", test_router_unroutable);
  g_test_add_func ("/zmqscope/engine/outside-messages-not-on-links", test_outside_messages_not_on_links);
  g_test_add_func ("/zmqscope/engine/run-tag-random", test_run_tag_random);
  g_test_add_func ("/zmqscope/engine/outside-request-plain-reply", test_outside_request_plain_reply);
  g_test_add_func ("/zmqscope/engine/xsub-forwarder-not-outside", test_xsub_forwarder_not_outside);
  g_test_add_func ("/zmqscope/engine/ipc-refuses-regular-file", test_ipc_refuses_regular_file);
  g_test_add_func ("/zmqscope/engine/ipc-checked-at-bind", test_ipc_checked_at_bind);
  g_test_add_func ("/zmqscope/engine/ipc-live-listener", test_ipc_live_listener);
  g_test_add_func ("/zmqscope/engine/ipc-files-removed", test_ipc_files_removed);
  g_test_add_func ("/zmqscope/engine/ipc-other-user", test_ipc_other_user);
  g_test_add_func ("/zmqscope/engine/unlimited-discarded-at-stop", test_unlimited_discarded_at_stop);
  g_test_add_func ("/zmqscope/engine/memory-cap", test_memory_cap);
  g_test_add_func ("/zmqscope/engine/xsub-forwarded-subscriptions", test_xsub_forwarded_subscriptions);
  g_test_add_func ("/zmqscope/engine/per-direction-figures", test_per_direction_figures);
  g_test_add_func ("/zmqscope/engine/one-way-flow", test_one_way_flow);
  g_test_add_func ("/zmqscope/engine/idle-nodes-do-not-wake", test_idle_nodes_do_not_wake);
  return g_test_run ();
}
