/* test-faults.c: faults during a run (kill, restart, pause, slow, cut),
 * each fault's effect, and the books balancing across them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zs-test-util.h"

static gboolean
link_dropped (const ZsSnapshot *s,
              gpointer          data)
{
  ZsTestWant *w = data;
  return s->links[w->index].dropped >= w->at_least;
}

static gboolean
link_cut (const ZsSnapshot *s,
          gpointer          data)
{
  ZsTestWant *w = data;
  return s->links[w->index].cut && s->links[w->index].cuts >= w->at_least;
}

static gboolean
node_killed (const ZsSnapshot *s,
             gpointer          data)
{
  ZsTestWant *w = data;
  return s->nodes[w->index].fault == ZS_NODE_FAULT_KILLED && s->nodes[w->index].kills >= w->at_least;
}

static gboolean
node_paused (const ZsSnapshot *s,
             gpointer          data)
{
  ZsTestWant *w = data;
  return s->nodes[w->index].fault == ZS_NODE_FAULT_PAUSED;
}

static gboolean
node_restarted (const ZsSnapshot *s,
                gpointer          data)
{
  ZsTestWant *w = data;
  return s->nodes[w->index].fault == ZS_NODE_FAULT_NONE && s->nodes[w->index].restarts >= w->at_least
         && s->nodes[w->index].state != ZS_NODE_STATE_STOPPED && s->nodes[w->index].state != ZS_NODE_STATE_ERROR;
}

/* A publisher and its subscriber on inproc, HWM 10 each way. */
static ZsTopology *
pub_sub (guint interval_ms)
{
  ZsTopology *t = zs_topology_new ();
  ZsNode *pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "inproc://news", NULL);
  ZsNode *sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "inproc://news");
  const char *payload[] = { "news {seq}", NULL };

  zs_node_set_payload (pub, payload);
  g_object_set (pub, "count", 0, "interval-ms", interval_ms, "wait-peers", -1, NULL);
  zs_socket_spec_set_sndhwm (zs_node_get_socket (pub, 0), 10);
  zs_socket_spec_set_rcvhwm (zs_node_get_socket (sub, 0), 10);
  return t;
}

/* The stuck consumer: a paused subscriber reads nothing, its pipe fills,
 * and the PUB's drops to it climb while it is paused; resumed, it reads
 * again and sees them as gaps. */
static void
test_pause_subscriber_drops_climb (void)
{
  g_autoptr(ZsTopology) t = pub_sub (1);
  g_autoptr(ZsEngine) engine = zs_test_start_engine (t);
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  g_autoptr(GError) error = NULL;
  ZsTestWant sub = { 1, 0 }, got = { 0, 20 }, drops = { 0, 1 };
  guint64 first;

  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_assert_cmpuint (s->links[0].dropped, ==, 0);
  g_assert_true (zs_engine_pause_node (engine, 1, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, node_paused, &sub));
  g_assert_cmpint (s->nodes[1].state, ==, ZS_NODE_STATE_PAUSED);
  g_assert_true (zs_test_wait_snapshot (engine, s, link_dropped, &drops));
  first = s->links[0].dropped;
  g_assert_true (s->links[0].dropped_estimated);
  drops.at_least = first + 20;
  g_assert_true (zs_test_wait_snapshot (engine, s, link_dropped, &drops));
  g_test_message ("paused subscriber: drops climbed from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT,
                  first, s->links[0].dropped);
  /* Paused twice is refused, with a reason. */
  ZS_TEST_ASSERT_REFUSED (zs_engine_pause_node (engine, 1, &error), &error);

  g_assert_true (zs_engine_resume_node (engine, 1, &error));
  g_assert_no_error (error);
  got.at_least = s->links[0].received + 20;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_assert_cmpint (s->nodes[1].fault, ==, ZS_NODE_FAULT_NONE);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpuint (s->links[0].dropped, >=, drops.at_least);
  g_assert_cmpuint (s->links[0].lost, ==, 0);
  zs_test_assert_balanced (s);
}

/* Once 20 messages are through, the subscriber paused until its queue is
 * full (30 dropped), then `node` killed. */
static void
kill_with_full_queue (ZsEngine   *engine,
                      ZsSnapshot *s,
                      guint       node)
{
  g_autoptr(GError) error = NULL;
  ZsTestWant killed = { node, 1 }, got = { 0, 20 }, drops = { 0, 30 };

  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_assert_true (zs_engine_pause_node (engine, 1, &error));
  g_assert_true (zs_test_wait_snapshot (engine, s, link_dropped, &drops));
  g_assert_true (zs_engine_kill_node (engine, node, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, node_killed, &killed));
}

/* A killed subscriber: what its queue held is lost in the crash, counted
 * exactly (at most the pipe's capacity); the rest the PUB sent it was
 * dropped (no subscriber), and the books balance. */
static void
test_kill_subscriber_lost (void)
{
  g_autoptr(ZsTopology) t = pub_sub (1);
  g_autoptr(ZsEngine) engine = zs_test_start_engine (t);
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  g_autoptr(GError) error = NULL;

  /* Paused first, so that its queue is full when it dies. */
  kill_with_full_queue (engine, s, 1);
  g_assert_cmpint (s->nodes[1].state, ==, ZS_NODE_STATE_STOPPED);
  g_test_message ("killed subscriber: %" G_GUINT64_FORMAT " lost in the crash", s->links[0].lost);
  g_assert_cmpuint (s->links[0].lost, >, 0);
  g_assert_cmpuint (s->links[0].lost, <=, 20);
  /* A killed node is restarted, not killed again or paused. */
  ZS_TEST_ASSERT_REFUSED (zs_engine_kill_node (engine, 1, &error), &error);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpuint (s->links[0].lost, >, 0);
  g_assert_cmpuint (s->links[0].in_flight, ==, 0);
  zs_test_assert_balanced (s);
}

/* A killed publisher: what it had sent and its subscriber never got
 * cannot be told from its HWM drops (a PUB drops either way): dropped,
 * never in flight, and its subscriber's own queue was not lost. */
static void
test_kill_publisher_lost (void)
{
  g_autoptr(ZsTopology) t = pub_sub (1);
  g_autoptr(ZsEngine) engine = zs_test_start_engine (t);
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  g_autoptr(GError) error = NULL;

  kill_with_full_queue (engine, s, 0);
  g_assert_true (zs_engine_resume_node (engine, 1, &error));
  g_assert_no_error (error);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_test_message ("killed publisher: sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT ", dropped %"
                  G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT, s->links[0].sent, s->links[0].received,
                  s->links[0].dropped, s->links[0].lost);
  g_assert_cmpuint (s->links[0].in_flight, ==, 0);
  g_assert_cmpuint (s->links[0].lost, ==, 0);
  g_assert_cmpuint (s->links[0].dropped, >=, 30);
  zs_test_assert_balanced (s);
}

/* The pipeline on tcp, each task `work_ms`, the sink waiting for `count`. */
static ZsTopology *
pipeline (guint count,
          guint work_ms,
          guint start_delay_ms,
          int   wait_peers)
{
  ZsTopology *t = zs_test_load_example ("3-parallel-pipeline.json");
  ZsNode *vent = zs_topology_find_node (t, "ventilator");
  g_autofree char *work = g_strdup_printf ("%u", work_ms);
  const char *payload[] = { work, NULL };

  zs_node_set_payload (vent, payload);
  g_object_set (vent, "count", count, "start-delay-ms", start_delay_ms, "wait-peers", wait_peers, NULL);
  g_object_set (zs_topology_find_node (t, "sink"), "count", count, NULL);
  return t;
}

/* PUSH skips a dead worker: killed before the tasks go out, the
 * ventilator's PUSH sends them all to the three others, and the pipeline
 * still finishes. (The ventilator waits for three workers, not four: it
 * would wait for the dead one for ever.) */
static void
test_kill_worker_pipeline_finishes (void)
{
  g_autoptr(ZsTopology) t = pipeline (100, 2, 1000, 3);
  g_autoptr(ZsEngine) engine = zs_test_start_engine (t);
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  g_autoptr(GError) error = NULL;
  guint w2 = zs_test_node_index (t, "worker-2");
  guint sink = zs_test_node_index (t, "sink");
  guint to_w2 = zs_test_find_link (t, "ventilator", "worker-2");
  ZsTestWant connected = { to_w2, 1 }, dead = { w2, 1 };

  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_connected, &connected));
  g_assert_cmpuint (s->nodes[zs_test_node_index (t, "ventilator")].sent, ==, 0);
  g_assert_true (zs_engine_kill_node (engine, w2, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, node_killed, &dead));
  g_assert_true (zs_engine_wait (engine, ZS_TEST_DEADLINE_MS));
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_assert_true (s->finished);
  g_assert_cmpuint (s->nodes[sink].done_goal, ==, 100);
  g_assert_cmpuint (s->links[to_w2].received, ==, 0);
  g_assert_cmpuint (s->nodes[w2].received, ==, 0);
  zs_test_assert_balanced (s);
}

static gboolean
tasks_accounted (const ZsSnapshot *s,
                 gpointer          data)
{
  ZsTopology *t = data;
  guint w2 = zs_test_node_index (t, "worker-2");
  guint to_w2 = zs_test_find_link (t, "ventilator", "worker-2");
  const ZsNodeStats *dead = &s->nodes[w2];
  /* worker-2 sends the sink one result per task it finished; those still
   * queued in its PUSH when it died died with it. */
  guint64 in_hand = dead->received - dead->sent;
  guint64 results_died = dead->sent - s->links[zs_test_find_link (t, "worker-2", "sink")].received;

  return s->nodes[zs_test_node_index (t, "sink")].done_goal + s->links[to_w2].lost + in_hand + results_died >= 200;
}

/* Killed mid-run, a worker takes the tasks queued for it down with it:
 * counted as lost in the crash, exactly, so that every task is either
 * done by another worker, lost, or was in the dead worker's hands. */
static void
test_kill_worker_mid_run_lost (void)
{
  g_autoptr(ZsTopology) t = pipeline (200, 10, 0, -1);
  g_autoptr(ZsEngine) engine = zs_test_start_engine (t);
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  g_autoptr(GError) error = NULL;
  guint w2 = zs_test_node_index (t, "worker-2");
  guint to_w2 = zs_test_find_link (t, "ventilator", "worker-2");
  guint from_w2 = zs_test_find_link (t, "worker-2", "sink");
  ZsTestWant some = { to_w2, 3 }, dead = { w2, 1 };

  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &some));
  g_assert_true (zs_engine_kill_node (engine, w2, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, node_killed, &dead));
  if (!zs_test_wait_snapshot (engine, s, tasks_accounted, t))
    g_error ("tasks unaccounted: sink %" G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT ", worker-2 received %"
             G_GUINT64_FORMAT " sent %" G_GUINT64_FORMAT ", in flight to it %" G_GUINT64_FORMAT,
             s->nodes[zs_test_node_index (t, "sink")].done_goal, s->links[to_w2].lost, s->nodes[w2].received,
             s->nodes[w2].sent, s->links[to_w2].in_flight);
  g_test_message ("worker-2 killed: %" G_GUINT64_FORMAT " tasks lost in its queue, sink got %" G_GUINT64_FORMAT,
                  s->links[to_w2].lost, s->nodes[zs_test_node_index (t, "sink")].done_goal);
  g_assert_cmpuint (s->links[to_w2].lost, >, 0);
  /* It cannot finish: the sink waits for results that died. */
  g_assert_false (s->finished);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  /* Results worker-2 had queued for the sink: lost in its crash too. */
  g_assert_cmpuint (s->links[from_w2].lost, ==, s->nodes[w2].sent - s->links[from_w2].received);
  g_assert_cmpuint (s->links[from_w2].in_flight, ==, 0);
  zs_test_assert_balanced (s);
}

/* The reason for the lazy pirate: a REQ whose REP dies with its request
 * waits forever. Even the REP restarted (the client reconnects) does not
 * free it: no reply will ever come, and REQ may not send again. */
static void
test_req_waits_forever_for_killed_rep (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  ZsNode *client = zs_test_add_node (t, "client", ZS_ROLE_CLIENT, ZS_SOCKET_REQ, NULL, "tcp://127.0.0.1:5601");
  ZsNode *server = zs_test_add_node (t, "server", ZS_ROLE_SERVER, ZS_SOCKET_REP, "tcp://127.0.0.1:5601", NULL);
  const char *payload[] = { "Hello", NULL };
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  ZsTestWant asked = { 0, 1 }, dead = { 1, 1 }, back = { 1, 1 }, reconnected = { 0, 2 };

  zs_test_use_free_ports (t);
  zs_node_set_payload (client, payload);
  g_object_set (client, "count", 5, NULL);
  g_object_set (server, "work-ms", 500, NULL);
  engine = zs_test_start_engine (t);
  s = zs_engine_snapshot (engine);
  /* The server holds the first request, working on it. */
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &asked));
  g_assert_true (zs_engine_kill_node (engine, 1, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, node_killed, &dead));
  g_assert_true (zs_engine_restart_node (engine, 1, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, node_restarted, &back));
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_connected, &reconnected));
  /* Nothing more happens: the client is stuck in its receive. */
  g_assert_false (zs_engine_wait (engine, 1000));
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpuint (s->nodes[0].done_goal, ==, 0);
  g_assert_cmpuint (s->nodes[0].sent, ==, 1);
  g_assert_cmpuint (s->nodes[0].received, ==, 0);
  g_assert_cmpuint (s->nodes[1].received, ==, 1);
  g_assert_cmpint (s->nodes[0].state, ==, ZS_NODE_STATE_RUNNING);
  g_assert_false (s->finished);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  zs_test_assert_balanced (s);
}

static gboolean
node_failed (const ZsSnapshot *s,
             gpointer          data)
{
  ZsTestWant *w = data;
  return s->nodes[w->index].state == ZS_NODE_STATE_ERROR;
}

/* The lazy pirate: with a reply timeout the client asks again on a new
 * socket, and when the server stays dead it gives up after its retries,
 * saying why, instead of waiting forever. */
static void
test_lazy_pirate_gives_up (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  ZsNode *client = zs_test_add_node (t, "client", ZS_ROLE_CLIENT, ZS_SOCKET_REQ, NULL, "tcp://127.0.0.1:5603");
  ZsNode *server = zs_test_add_node (t, "server", ZS_ROLE_SERVER, ZS_SOCKET_REP, "tcp://127.0.0.1:5603", NULL);
  const char *payload[] = { "Hello", NULL };
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  ZsTestWant asked = { 0, 1 }, gave_up = { 0, 0 };

  zs_test_use_free_ports (t);
  zs_node_set_payload (client, payload);
  g_object_set (client, "count", 5, "request-timeout-ms", 200, "retries", 2, NULL);
  g_object_set (server, "work-ms", 500, NULL);
  engine = zs_test_start_engine (t);
  s = zs_engine_snapshot (engine);
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &asked));
  g_assert_true (zs_engine_kill_node (engine, 1, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, node_failed, &gave_up));
  g_test_message ("client: %s", s->nodes[0].error);
  g_assert_nonnull (strstr (s->nodes[0].error, "No reply within 200 ms, 3 times"));
  /* The first request, then the same one asked twice again on new sockets. */
  g_assert_cmpuint (s->nodes[0].sent, ==, 3);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  zs_test_assert_balanced (s);
}

/* A cut link goes down and, restored, connects again: its connects count
 * goes up, and messages flow again. `endpoint` is tcp or inproc. */
static void
check_cut_restore (const char *endpoint)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, endpoint);
  const char *payload[] = { "task", NULL };
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  ZsTestWant up = { 0, 1 }, got = { 0, 10 }, cut = { 0, 1 };
  guint64 before;

  zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, endpoint, NULL);
  zs_test_use_free_ports (t);
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 0, "interval-ms", 2, NULL);
  engine = zs_test_start_engine (t);
  s = zs_engine_snapshot (engine);
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_connected, &up));
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_assert_true (zs_engine_cut_link (engine, 0, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, link_cut, &cut));
  ZS_TEST_ASSERT_REFUSED (zs_engine_cut_link (engine, 0, &error), &error);
  before = s->links[0].connects;
  g_assert_true (zs_engine_restore_link (engine, 0, &error));
  g_assert_no_error (error);
  up.at_least = before + 1;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_connected, &up));
  g_assert_false (s->links[0].cut);
  got.at_least = s->links[0].received + 10;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_test_message ("%s: cut once, connects %" G_GUINT64_FORMAT, endpoint, s->links[0].connects);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpuint (s->links[0].cuts, ==, 1);
  zs_test_assert_balanced (s);
}

static void
test_cut_restore_tcp (void)
{
  check_cut_restore ("tcp://127.0.0.1:5602");
}

static void
test_cut_restore_inproc (void)
{
  check_cut_restore ("inproc://cut");
}

/* Slowed down ×20, a publisher with a 5 ms interval sends at most a few
 * messages in half a second (about a hundred at its own pace). */
static void
test_slow_node (void)
{
  g_autoptr(ZsTopology) t = pub_sub (5);
  g_autoptr(ZsEngine) engine = zs_test_start_engine (t);
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  g_autoptr(GError) error = NULL;
  ZsTestWant got = { 0, 5 };
  guint64 before;

  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  ZS_TEST_ASSERT_REFUSED (zs_engine_slow_node (engine, 0, 0, &error), &error);
  g_assert_true (zs_engine_slow_node (engine, 0, 20, &error));
  g_assert_no_error (error);
  /* The sleep under way ends on the old pace: one message. */
  got.at_least = s->links[0].received + 2;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_assert_cmpint (s->nodes[0].fault, ==, ZS_NODE_FAULT_SLOWED);
  g_assert_cmpfloat (s->nodes[0].slow_factor, ==, 20);
  before = s->nodes[0].sent;
  g_assert_false (zs_engine_wait (engine, 500));
  zs_engine_snapshot_into (engine, s);
  g_test_message ("slowed x20: %" G_GUINT64_FORMAT " sent in 0.5 s", s->nodes[0].sent - before);
  g_assert_cmpuint (s->nodes[0].sent - before, <=, 8);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  zs_test_assert_balanced (s);
}

/* While the user holds the whole run paused, a node waiting at the gate
 * still dies when killed (as a stopped process does), and comes back. */
static void
test_kill_while_run_paused (void)
{
  g_autoptr(ZsTopology) t = pub_sub (1);
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  ZsTestWant dead = { 0, 1 }, back = { 0, 1 };

  zs_engine_pause (engine);
  g_assert_true (zs_engine_start (engine, &error));
  s = zs_engine_snapshot (engine);
  g_assert_true (zs_engine_kill_node (engine, 0, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, node_killed, &dead));
  g_assert_cmpuint (s->links[0].sent, ==, 0);
  g_assert_true (zs_engine_restart_node (engine, 0, &error));
  g_assert_no_error (error);
  zs_engine_resume (engine);
  g_assert_true (zs_test_wait_snapshot (engine, s, node_restarted, &back));
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  zs_test_assert_balanced (s);
}

/* No run, or no such node: refused with a reason, never a crash. */
static void
test_refused (void)
{
  g_autoptr(ZsTopology) t = pub_sub (1);
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(GError) error = NULL;

  ZS_TEST_ASSERT_REFUSED (zs_engine_kill_node (engine, 0, &error), &error);
  g_assert_true (zs_engine_start (engine, &error));
  ZS_TEST_ASSERT_REFUSED (zs_engine_kill_node (engine, 7, &error), &error);
  ZS_TEST_ASSERT_REFUSED (zs_engine_restart_node (engine, 0, &error), &error);
  ZS_TEST_ASSERT_REFUSED (zs_engine_restore_link (engine, 0, &error), &error);
  zs_engine_stop (engine);
}

/* The grammar: steps by time, then as written; ';' and '#'; both units;
 * a link by its ends either way round. */
static void
test_script_parse (void)
{
  g_autoptr(ZsTopology) t = pipeline (10, 1, 0, -1);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsFaultScript) script = zs_fault_script_parse (
    "# a comment\n"
    "at 2 s restart worker-2 ; at 1s kill worker-2\n"
    "\n"
    "  at 1500ms slow worker-3 x4   # slower\n"
    "at 1 s cut worker-1 <- ventilator.tasks\r\n"
    "at 3 s restore ventilator -> worker-1.in\n", t, &error);
  const char *want[] = { "kill worker-2", "cut ventilator.tasks -> worker-1.in", "slow worker-3 x4",
                         "restart worker-2", "restore ventilator.tasks -> worker-1.in" };
  const gint64 at[] = { 1000000, 1000000, 1500000, 2000000, 3000000 };

  g_assert_no_error (error);
  g_assert_cmpuint (zs_fault_script_get_n_steps (script), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const ZsFaultStep *step = zs_fault_script_get_step (script, i);
      g_autofree char *text = zs_fault_step_describe (step, t);

      g_assert_cmpstr (text, ==, want[i]);
      g_assert_cmpint (step->at_us, ==, at[i]);
    }
  g_assert_cmpint (zs_fault_script_get_step (script, 2)->kind, ==, ZS_FAULT_SLOW);
  g_assert_cmpfloat (zs_fault_script_get_step (script, 2)->factor, ==, 4);
}

/* Each bad line is refused at its line and column, saying why. */
static void
test_script_errors (void)
{
  g_autoptr(ZsTopology) t = pipeline (10, 1, 0, -1);
  const ZsTestBadScript bad[] = {
    { "kill worker-2", "1:1: a fault starts with “at”" },
    { "at 2 s kill worker-2\nat 1 s explode worker-2", "2:8: unknown fault “explode”" },
    { "at 2 s\n", "1:7: missing a fault" },
    { "at soon kill worker-2", "1:4: “soon” is not a time" },
    { "at 2 h kill worker-2", "1:6: unknown unit “h”" },
    { "at 2 s kill", "1:12: missing a node's name" },
    { "at 2 s kill worker-9", "1:13: there is no node “worker-9”" },
    { "at 2 s kill worker-2 now", "1:22: unexpected “now”" },
    { "at 2 s slow worker-2 x0", "1:22: “x0” is not a factor" },
    { "at 2 s cut worker-1 => sink", "1:21: expected an arrow" },
    { "at 2 s cut worker-1 -> worker-2", "1:12: no link joins worker-1 and worker-2" },
    { "at 2 s cut worker-1.nope -> sink", "1:12: node “worker-1” has no socket “nope”" },
    { "at -1 s kill worker-2", "1:4: “-1” is not a time" },
  };

  zs_test_assert_scripts_refused (t, bad, G_N_ELEMENTS (bad));
}

/* "at 0 s kill worker-2" on the pipeline: the worker dies, usually before
 * it connects. The ventilator waits for its workers (the guide's "press
 * Enter when the workers are ready"); a worker that was killed is not
 * coming, so it goes on with the three that are there instead of waiting
 * for ever, and the run ends: the sink gets all 100 results, worker-2
 * none. The ventilator sends 300 ms after its workers are there: when
 * worker-2's thread wins the race and connects before the kill lands, its
 * pipe is gone before the first task (1 run in 4 here lost tasks in it,
 * and the sink waited for them). */
static void
test_kill_worker_before_it_connects (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("3-parallel-pipeline.json");
  g_autoptr(ZsFaultScript) script = NULL;
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  int worker = zs_topology_find_node_index (t, zs_topology_find_node (t, "worker-2"));
  int sink = zs_topology_find_node_index (t, zs_topology_find_node (t, "sink"));
  int ventilator = zs_topology_find_node_index (t, zs_topology_find_node (t, "ventilator"));

  script = zs_fault_script_parse ("at 0 s kill worker-2", t, &error);
  g_assert_no_error (error);
  g_object_set (zs_topology_find_node (t, "ventilator"), "start-delay-ms", 300, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, &error));
  g_assert_true (zs_engine_apply_fault (engine, zs_fault_script_get_step (script, 0), &error));
  g_assert_no_error (error);
  g_assert_true (zs_engine_wait (engine, ZS_TEST_DEADLINE_MS));
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_test_message ("ventilator sent %" G_GUINT64_FORMAT ", sink got %" G_GUINT64_FORMAT, s->nodes[ventilator].sent,
                  s->nodes[sink].done_goal);
  g_assert_true (s->finished);
  g_assert_cmpuint (s->nodes[sink].done_goal, ==, 100);
  g_assert_cmpuint (s->nodes[worker].received, ==, 0);
  g_assert_cmpuint (s->nodes[worker].kills, ==, 1);
  zs_test_assert_balanced (s);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/faults/pause-subscriber-drops-climb", test_pause_subscriber_drops_climb);
  g_test_add_func ("/zmqscope/faults/kill-subscriber-lost", test_kill_subscriber_lost);
  g_test_add_func ("/zmqscope/faults/kill-publisher-lost", test_kill_publisher_lost);
  g_test_add_func ("/zmqscope/faults/kill-worker-pipeline-finishes", test_kill_worker_pipeline_finishes);
  g_test_add_func ("/zmqscope/faults/kill-worker-mid-run-lost", test_kill_worker_mid_run_lost);
  g_test_add_func ("/zmqscope/faults/req-waits-forever-for-killed-rep", test_req_waits_forever_for_killed_rep);
  g_test_add_func ("/zmqscope/faults/lazy-pirate-gives-up", test_lazy_pirate_gives_up);
  g_test_add_func ("/zmqscope/faults/cut-restore-tcp", test_cut_restore_tcp);
  g_test_add_func ("/zmqscope/faults/cut-restore-inproc", test_cut_restore_inproc);
  g_test_add_func ("/zmqscope/faults/slow-node", test_slow_node);
  g_test_add_func ("/zmqscope/faults/kill-while-run-paused", test_kill_while_run_paused);
  g_test_add_func ("/zmqscope/faults/refused", test_refused);
  g_test_add_func ("/zmqscope/faults/script-parse", test_script_parse);
  g_test_add_func ("/zmqscope/faults/script-errors", test_script_errors);
  g_test_add_func ("/zmqscope/faults/kill-worker-before-it-connects", test_kill_worker_before_it_connects);
  return g_test_run ();
}
