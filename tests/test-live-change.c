/* test-live-change.c: changing a link or a socket during a run (issue #15):
 * flip bind/connect, change the transport, change an HWM; messages flow
 * after each change and the books balance across the old and new pipes
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "zs-edit.h"
#include "zs-engine-source.h"
#include "zs-history.h"
#include "zs-live-edit.h"
#include "zs-report.h"
#include "zs-run-session.h"
#include "zs-test-util.h"

/* `at_least` changes asked and applied by both ends, and connected again. */
static gboolean
link_changed (const ZsSnapshot *s,
              gpointer          data)
{
  ZsTestWant *w = data;
  const ZsLinkStats *l = &s->links[w->index];
  return l->changes >= w->at_least && !l->changing && l->state == ZS_LINK_STATE_CONNECTED;
}

/* A push that sends every 2 ms, forever, to a pull over `endpoint`. */
static ZsTopology *
push_pull (const char *endpoint)
{
  ZsTopology *t = zs_topology_new ();
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, endpoint);
  const char *payload[] = { "task", NULL };

  zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, endpoint, NULL);
  zs_test_use_free_ports (t);
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 0, "interval-ms", 2, NULL);
  return t;
}

typedef enum {
  CHANGE_FLIP,
  CHANGE_TRANSPORT,
  CHANGE_HWM,
} Change;

static gboolean
ask (ZsEngine    *engine,
     Change       change,
     ZsTransport  transport,
     GError     **error)
{
  switch (change)
    {
    case CHANGE_FLIP:      return zs_engine_flip_link (engine, 0, error);
    case CHANGE_TRANSPORT: return zs_engine_set_link_transport (engine, 0, transport, error);
    case CHANGE_HWM:
    default:               return zs_engine_set_socket_hwm (engine, 0, 0, TRUE, 50, error);
    }
}

/* A running push -> pull takes the change: the link goes down, connects
 * again (a new connection), delivers after it, and the books balance with
 * every message of the old pipe and the new one counted once; the pull's
 * figures stay exact (no outside peer seen in the new connection). */
static void
check_live_change (const char  *endpoint,
                   Change       change,
                   ZsTransport  transport)
{
  g_autoptr(ZsTopology) t = push_pull (endpoint);
  g_autoptr(ZsEngine) engine = zs_test_start_engine (t);
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  g_autoptr(GError) error = NULL;
  ZsTestWant up = { 0, 1 }, got = { 0, 20 }, changed = { 0, 1 };
  guint64 connects;

  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_connected, &up));
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  connects = s->links[0].connects;
  g_assert_cmpuint (s->links[0].changes, ==, 0);
  g_assert_true (ask (engine, change, transport, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, link_changed, &changed));
  g_assert_cmpuint (s->links[0].connects, >, connects);
  g_assert_true (s->links[0].flipped == (change == CHANGE_FLIP));
  if (change == CHANGE_TRANSPORT)
    g_assert_cmpint (s->links[0].transport, ==, transport);
  got.at_least = s->links[0].received + 50;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_test_message ("%s: after the change %" G_GUINT64_FORMAT " received, %" G_GUINT64_FORMAT " connects",
                  endpoint, s->links[0].received, s->links[0].connects);
  /* The old connection's end, once: the canvas shows it, the Events page
   * lists it (stopping may end the new one too). */
  g_assert_cmpuint (s->links[0].disconnects, ==, 1);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpuint (s->links[0].changes, ==, 1);
  g_assert_false (s->links[0].sent_estimated);
  g_assert_false (s->sockets[1].outside);
  zs_test_assert_balanced (s);
  /* What the torn-down pipe held is lost or still counted in flight: at
   * most what one pipe holds. */
  g_assert_cmpuint (s->links[0].sent - s->links[0].received, <=, 2000 + 16);
}

/* The pull paused, the push blocked on its full pipe: nothing moves. */
static gboolean
push_blocked (const ZsSnapshot *s,
              gpointer          data)
{
  return s->nodes[0].state == ZS_NODE_STATE_BLOCKED && s->nodes[1].state == ZS_NODE_STATE_PAUSED;
}

/* A change on a link whose pipe is full (the pull paused, the push
 * blocked, SNDHWM 5 + RCVHWM 5 over inproc): what the torn-down pipe held
 * (at most its capacity) is lost in the change, exactly, and the books
 * balance with it. */
static void
check_lost_in_change (Change      change,
                      ZsTransport transport)
{
  g_autoptr(ZsTopology) t = push_pull ("inproc://lost-in-change");
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  ZsTestWant got = { 0, 20 }, changed = { 0, 1 };
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *expected_json = NULL;
  guint64 queued;

  zs_socket_spec_set_sndhwm (zs_node_get_socket (zs_topology_get_node (t, 0), 0), 5);
  zs_socket_spec_set_rcvhwm (zs_node_get_socket (zs_topology_get_node (t, 1), 0), 5);
  engine = zs_test_start_engine (t);
  s = zs_engine_snapshot (engine);
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_assert_true (zs_engine_pause_node (engine, 1, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, push_blocked, NULL));
  queued = s->links[0].in_flight;
  g_assert_cmpuint (queued, >, 0);
  g_assert_cmpuint (queued, <=, s->links[0].capacity);
  g_assert_true (ask (engine, change, transport, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, link_changed, &changed));
  g_assert_true (zs_engine_resume_node (engine, 1, &error));
  g_assert_no_error (error);
  got.at_least = s->links[0].received + 20;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_test_message ("lost in the change: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " queued; sent %"
                  G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT ", in flight %" G_GUINT64_FORMAT,
                  s->links[0].lost_in_change, queued, s->links[0].sent, s->links[0].received,
                  s->links[0].in_flight);
  /* Each message the old pipe held was received or is lost in the change:
   * nothing is left as dropped or in flight, at most what it held. Over
   * inproc, zmq_disconnect lets the pull read what the old pipe held even
   * after newer messages came through the new one: such a late arrival is
   * received on its link, taken out of its gap, never from outside. */
  g_assert_cmpuint (s->nodes[1].foreign, ==, 0);
  g_assert_cmpuint (s->links[0].lost_in_change, <=, queued);
  /* Then the count is said to be at most that. */
  g_assert_true (s->links[0].lost_estimated == (s->links[0].lost_in_change > 0 && s->nodes[1].foreign > 0));
  g_assert_cmpuint (s->links[0].lost, ==, s->links[0].lost_in_change);
  g_assert_cmpuint (s->links[0].received + s->links[0].lost_in_change, ==, s->links[0].sent);
  g_assert_cmpuint (s->links[0].dropped + s->links[0].unread + s->links[0].in_flight, ==, 0);
  g_assert_false (s->links[0].sent_estimated);
  zs_test_assert_balanced (s);
  /* The report says why, in its table and in --json. */
  text = zs_report_to_text (t, s);
  g_test_message ("%s", text);
  expected = g_strdup_printf (s->links[0].lost_estimated ? "at most %" G_GUINT64_FORMAT " lost in a live change"
                                                         : "%" G_GUINT64_FORMAT " lost in a live change",
                              s->links[0].lost_in_change);
  g_assert_true (s->links[0].lost_in_change == 0 || strstr (text, expected) != NULL);
  g_assert_null (strstr (text, "in a crash"));
  json = zs_report_to_json (t, s);
  expected_json = g_strdup_printf ("\"lost_in_change\" : %" G_GUINT64_FORMAT, s->links[0].lost_in_change);
  g_assert_nonnull (strstr (json, expected_json));
}

static void
test_lost_in_flip (void)
{
  check_lost_in_change (CHANGE_FLIP, ZS_TRANSPORT_INPROC);
}

static void
test_lost_in_transport_change (void)
{
  check_lost_in_change (CHANGE_TRANSPORT, ZS_TRANSPORT_IPC);
}

static void
test_flip_tcp (void)
{
  check_live_change ("tcp://127.0.0.1:5610", CHANGE_FLIP, 0);
}

static void
test_flip_inproc (void)
{
  check_live_change ("inproc://flip", CHANGE_FLIP, 0);
}

static void
test_flip_ipc (void)
{
  g_autofree char *endpoint = g_strdup_printf ("ipc://%s/zmqscope-test-flip-%d", g_get_tmp_dir (), (int) getpid ());

  check_live_change (endpoint, CHANGE_FLIP, 0);
}

static void
test_transport_inproc_to_tcp (void)
{
  check_live_change ("inproc://moves", CHANGE_TRANSPORT, ZS_TRANSPORT_TCP);
}

static void
test_transport_tcp_to_ipc (void)
{
  check_live_change ("tcp://127.0.0.1:5611", CHANGE_TRANSPORT, ZS_TRANSPORT_IPC);
}

static void
test_transport_tcp_to_inproc (void)
{
  check_live_change ("tcp://127.0.0.1:5612", CHANGE_TRANSPORT, ZS_TRANSPORT_INPROC);
}

static void
test_hwm_reconnects (void)
{
  check_live_change ("tcp://127.0.0.1:5613", CHANGE_HWM, 0);
}

/* The parallel pipeline, running: worker-1's results link to the sink is
 * flipped (worker-1 binds, the sink connects to it) and then moved to
 * inproc, while the sink keeps its bind for the other workers. Results
 * keep coming from worker-1 after each change, the other workers never
 * stop, every link balances. */
static void
test_pipeline_flip_then_transport (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("3-parallel-pipeline.json");
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  const char *payload[] = { "5", NULL };
  guint w1 = 0, w2 = 0;
  ZsTestWant got = { 0, 10 }, changed = { 0, 1 }, other = { 0, 0 };

  zs_node_set_payload (zs_topology_find_node (t, "ventilator"), payload);
  g_object_set (zs_topology_find_node (t, "ventilator"), "count", 0, "interval-ms", 2, NULL);
  g_object_set (zs_topology_find_node (t, "sink"), "count", 0, NULL);
  w1 = zs_test_find_link (t, "worker-1", "sink");
  w2 = zs_test_find_link (t, "worker-2", "sink");
  engine = zs_test_start_engine (t);
  s = zs_engine_snapshot (engine);
  got.index = changed.index = w1;
  other.index = w2;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));

  g_assert_true (zs_engine_flip_link (engine, w1, &error));
  g_assert_no_error (error);
  g_assert_true (zs_test_wait_snapshot (engine, s, link_changed, &changed));
  g_assert_true (s->links[w1].flipped);
  got.at_least = s->links[w1].received + 20;
  other.at_least = s->links[w2].received + 20;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &other));

  g_assert_true (zs_engine_set_link_transport (engine, w1, ZS_TRANSPORT_INPROC, &error));
  g_assert_no_error (error);
  changed.at_least = 2;
  g_assert_true (zs_test_wait_snapshot (engine, s, link_changed, &changed));
  g_assert_cmpint (s->links[w1].transport, ==, ZS_TRANSPORT_INPROC);
  got.at_least = s->links[w1].received + 20;
  other.at_least = s->links[w2].received + 20;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &other));

  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpuint (s->links[w1].changes, ==, 2);
  g_assert_cmpuint (s->links[w2].changes, ==, 0);
  zs_test_assert_balanced (s);
  for (guint n = 0; n < s->n_nodes; n++)
    g_assert_cmpint (s->nodes[n].state, !=, ZS_NODE_STATE_ERROR);
}

/* The durable subscriber, publisher connecting with SNDHWM 2: while its
 * subscriber is away, the publisher's pipe keeps 2 and drops the rest.
 * Raised to 100 live (the link reconnects: libzmq sizes new pipes only),
 * it keeps them all: fewer drops than the same run left as written. */
static guint64
durable_drops (gboolean raise)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("10-durable-subscriber.json");
  g_autoptr(ZsEngine) engine = zs_test_start_engine (t);
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (engine);
  g_autoptr(GError) error = NULL;
  guint pub = zs_test_node_index (t, "durapub-connects");
  guint l = zs_test_find_link (t, "durapub-connects", "durasub-connects");
  ZsTestWant up = { l, 1 }, changed = { l, 1 };

  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_connected, &up));
  if (raise)
    {
      g_assert_true (zs_engine_set_socket_hwm (engine, pub, 0, TRUE, 100, &error));
      g_assert_no_error (error);
      g_assert_true (zs_test_wait_snapshot (engine, s, link_changed, &changed));
    }
  g_assert_true (zs_engine_wait (engine, 15000));
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  zs_test_assert_balanced (s);
  g_test_message ("durable, SNDHWM %s: sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT
                  ", dropped %" G_GUINT64_FORMAT, raise ? "100 (live)" : "2",
                  s->links[l].sent, s->links[l].received, s->links[l].dropped);
  g_assert_cmpuint (s->links[l].changes, ==, raise ? 1 : 0);
  return s->links[l].dropped;
}

static void
test_hwm_durable_drops_fewer (void)
{
  guint64 as_written = durable_drops (FALSE);
  guint64 raised = durable_drops (TRUE);

  g_assert_cmpuint (as_written, >, 0);
  g_assert_cmpuint (raised, <, as_written);
}

/* What cannot change is refused, saying why. */
static void
test_refused (void)
{
  g_autoptr(ZsTopology) t = push_pull ("inproc://refused");
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(GError) error = NULL;

  ZS_TEST_ASSERT_REFUSED (zs_engine_flip_link (engine, 0, &error), &error);
  g_assert_true (zs_engine_start (engine, &error));
  ZS_TEST_ASSERT_REFUSED (zs_engine_flip_link (engine, 3, &error), &error);
  ZS_TEST_ASSERT_REFUSED (zs_engine_set_link_transport (engine, 0, ZS_TRANSPORT_PGM, &error), &error);
  ZS_TEST_ASSERT_REFUSED (zs_engine_set_socket_hwm (engine, 0, 5, TRUE, 10, &error), &error);
  ZS_TEST_ASSERT_REFUSED (zs_engine_set_socket_hwm (engine, 0, 0, TRUE, -1, &error), &error);
  zs_engine_stop (engine);
}

/* The script's live changes: flip, transport, hwm; each said back as
 * written, bad ones refused at their line and column. */
static void
test_script (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("3-parallel-pipeline.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsFaultScript) script = zs_fault_script_parse (
    "at 1 s flip sink <- worker-1\n"
    "at 2 s transport ventilator.tasks -- worker-2 inproc ; at 3s hwm sink rcv 10\n"
    "at 4 s hwm ventilator.tasks snd 0\n", t, &error);
  const char *want[] = { "flip worker-1.out -> sink.in", "transport ventilator.tasks -> worker-2.in inproc",
                         "hwm sink.in rcv 10", "hwm ventilator.tasks snd 0" };
  const ZsTestBadScript bad[] = {
    { "at 1 s flip worker-1", "1:21: missing an arrow" },
    { "at 1 s transport worker-1 -> sink udp", "1:35: unknown transport “udp”" },
    { "at 1 s transport worker-1 -> sink", "1:34: missing a transport" },
    { "at 1 s hwm ventilator snd 10", "1:12: “ventilator” has several sockets" },
    { "at 1 s hwm sink.in both 10", "1:20: expected snd or rcv" },
    { "at 1 s hwm sink.in snd -1", "1:24: “-1” is not an HWM" },
    { "at 1 s hwm sink.in snd", "1:23: missing an HWM" },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (zs_fault_script_get_n_steps (script), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      g_autofree char *text = zs_fault_step_describe (zs_fault_script_get_step (script, i), t);
      g_assert_cmpstr (text, ==, want[i]);
    }
  g_assert_cmpint (zs_fault_script_get_step (script, 1)->value, ==, ZS_TRANSPORT_INPROC);
  g_assert_cmpint (zs_fault_script_get_step (script, 2)->value, ==, 10);
  g_assert_false (zs_fault_script_get_step (script, 2)->send);
  zs_test_assert_scripts_refused (t, bad, G_N_ELEMENTS (bad));
}

/* A script's changes applied by the engine as `zmqscope run --faults`
 * does: the pipeline's link to worker-1 flipped, then moved to ipc. */
static void
test_script_applied (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("3-parallel-pipeline.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsFaultScript) script = NULL;
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  const char *payload[] = { "5", NULL };
  guint l = zs_test_find_link (t, "ventilator", "worker-1");
  ZsTestWant got = { l, 5 }, changed = { l, 2 };

  zs_node_set_payload (zs_topology_find_node (t, "ventilator"), payload);
  g_object_set (zs_topology_find_node (t, "ventilator"), "count", 0, "interval-ms", 2, NULL);
  g_object_set (zs_topology_find_node (t, "sink"), "count", 0, NULL);
  script = zs_fault_script_parse ("at 0 s flip ventilator -> worker-1 ; at 0 s transport ventilator -> worker-1 ipc",
                                  t, &error);
  g_assert_no_error (error);
  engine = zs_test_start_engine (t);
  s = zs_engine_snapshot (engine);
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  for (guint i = 0; i < zs_fault_script_get_n_steps (script); i++)
    {
      g_assert_true (zs_engine_apply_fault (engine, zs_fault_script_get_step (script, i), &error));
      g_assert_no_error (error);
    }
  g_assert_true (zs_test_wait_snapshot (engine, s, link_changed, &changed));
  g_assert_true (s->links[l].flipped);
  g_assert_cmpint (s->links[l].transport, ==, ZS_TRANSPORT_IPC);
  got.at_least = s->links[l].received + 10;
  g_assert_true (zs_test_wait_snapshot (engine, s, zs_test_link_received, &got));
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  zs_test_assert_balanced (s);
}

/* The last event of that kind. */
static const ZsRunEvent *
find_event (ZsRunSession   *session,
            ZsRunEventKind  kind)
{
  guint n;
  const ZsRunEvent *events = zs_recording_get_events (zs_run_session_get_recording (session), &n);

  for (guint i = n; i > 0; i--)
    if (events[i - 1].kind == kind)
      return &events[i - 1];
  return NULL;
}

/* Through the run session, as the window asks: the change applies, is
 * an event of the run (the Events page's list) naming the link and what
 * it does, and the link's figures show the new connection. */
static void
test_session_event (void)
{
  g_autoptr(ZsTopology) t = push_pull ("tcp://127.0.0.1:5614");
  g_autoptr(ZsEngine) engine = zs_test_start_engine (t);
  g_autoptr(ZsEngineSource) source = zs_engine_source_new (engine);
  g_autoptr(ZsRunSession) session = zs_run_session_new (ZS_RUN_SOURCE (source));
  g_autoptr(GError) error = NULL;
  ZsFaultStep step = { .kind = ZS_FAULT_TRANSPORT, .target = 0, .value = ZS_TRANSPORT_IPC };
  gint64 deadline = g_get_monotonic_time () + (gint64) ZS_TEST_DEADLINE_MS * 1000;
  const ZsRunEvent *event;
  const ZsSnapshot *s;

  while (zs_run_session_get_snapshot (session)->links[0].received < 10 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (zs_run_session_apply_fault (session, &step, &error));
  g_assert_no_error (error);
  event = find_event (session, ZS_RUN_EVENT_CHANGED);
  g_assert_nonnull (event);
  g_assert_cmpint (event->link, ==, 0);
  g_assert_cmpstr (event->text, ==, "transport push.socket -> pull.socket ipc: disconnect, bind anew, connect");
  s = zs_run_session_get_snapshot (session);
  while ((s->links[0].changing || s->links[0].state != ZS_LINK_STATE_CONNECTED || s->links[0].changes == 0)
         && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (s->links[0].transport, ==, ZS_TRANSPORT_IPC);
  g_assert_cmpuint (s->links[0].changes, ==, 1);
  step = (ZsFaultStep) { .kind = ZS_FAULT_HWM, .target = 1, .socket = 0, .send = FALSE, .value = 5 };
  g_assert_true (zs_run_session_apply_fault (session, &step, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (find_event (session, ZS_RUN_EVENT_CHANGED)->text, ==,
                   "hwm pull.socket rcv 5: its links reconnect (libzmq sizes new pipes only)");
  zs_run_session_stop (session);
}

static void
iterate_until_settled (ZsRunSession *session,
                       guint         link,
                       guint64       changes)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ZS_TEST_DEADLINE_MS * 1000;
  const ZsSnapshot *s = zs_run_session_get_snapshot (session);

  while ((s->links[link].changes < changes || s->links[link].changing
          || s->links[link].state != ZS_LINK_STATE_CONNECTED) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (s->links[link].changes, ==, changes);
  g_assert_false (s->links[link].changing);
}

/* The editor's way: the document is edited during the run (through the
 * history, as any edit), and the run follows it; undo is a change too,
 * the reverse one. An edit of the same link twice in a row (flip, then
 * the transport) reorders the document's links: still matched by names. */
static void
test_follow_document (void)
{
  g_autoptr(ZsTopology) document = push_pull ("tcp://127.0.0.1:5615");
  g_autoptr(ZsHistory) history = zs_history_new (document);
  g_autoptr(ZsEngine) engine = zs_test_start_engine (document);
  g_autoptr(ZsEngineSource) source = zs_engine_source_new (engine);
  g_autoptr(ZsRunSession) session = zs_run_session_new (ZS_RUN_SOURCE (source));
  g_autoptr(GError) error = NULL;
  const ZsSnapshot *s = zs_run_session_get_snapshot (session);
  gboolean reversed;

  g_assert_true (zs_run_session_follow_document (session, document, &error));
  g_assert_cmpuint (s->links[0].changes, ==, 0);

  zs_history_begin (history, "Flip bind and connect");
  g_assert_true (zs_edit_flip_link (document, 0));
  zs_history_end (history);
  zs_history_seal (history);
  g_assert_cmpint (zs_live_edit_find_link (zs_run_session_get_topology (session), document, 0, &reversed), ==, 0);
  g_assert_true (reversed);
  g_assert_true (zs_run_session_follow_document (session, document, &error));
  g_assert_no_error (error);
  iterate_until_settled (session, 0, 1);
  g_assert_true (s->links[0].flipped);

  zs_history_begin (history, "Change transport");
  g_assert_true (zs_edit_set_link_transport (document, 0, ZS_TRANSPORT_INPROC));
  zs_history_end (history);
  zs_history_seal (history);
  g_assert_true (zs_run_session_follow_document (session, document, &error));
  iterate_until_settled (session, 0, 2);
  g_assert_cmpint (s->links[0].transport, ==, ZS_TRANSPORT_INPROC);

  zs_history_begin (history, "Change SNDHWM");
  zs_socket_spec_set_sndhwm (zs_node_get_socket (zs_topology_find_node (document, "push"), 0), 7);
  zs_history_end (history);
  g_assert_true (zs_run_session_follow_document (session, document, &error));
  iterate_until_settled (session, 0, 3);

  /* Undo, three times: the HWM, the transport, the flip, each live. */
  zs_history_undo (history);
  zs_history_undo (history);
  zs_history_undo (history);
  g_assert_true (zs_run_session_follow_document (session, document, &error));
  g_assert_no_error (error);
  iterate_until_settled (session, 0, 6);
  g_assert_false (s->links[0].flipped);
  g_assert_cmpint (s->links[0].transport, ==, ZS_TRANSPORT_TCP);
  g_assert_true (zs_run_session_follow_document (session, document, &error));
  g_assert_cmpuint (s->links[0].changes, ==, 6);
  zs_run_session_stop (session);
  zs_test_assert_balanced (zs_run_session_get_snapshot (session));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/live-change/flip-tcp", test_flip_tcp);
  g_test_add_func ("/zmqscope/live-change/flip-inproc", test_flip_inproc);
  g_test_add_func ("/zmqscope/live-change/flip-ipc", test_flip_ipc);
  g_test_add_func ("/zmqscope/live-change/transport-inproc-to-tcp", test_transport_inproc_to_tcp);
  g_test_add_func ("/zmqscope/live-change/transport-tcp-to-ipc", test_transport_tcp_to_ipc);
  g_test_add_func ("/zmqscope/live-change/transport-tcp-to-inproc", test_transport_tcp_to_inproc);
  g_test_add_func ("/zmqscope/live-change/hwm-reconnects", test_hwm_reconnects);
  g_test_add_func ("/zmqscope/live-change/lost-in-flip", test_lost_in_flip);
  g_test_add_func ("/zmqscope/live-change/lost-in-transport-change", test_lost_in_transport_change);
  g_test_add_func ("/zmqscope/live-change/pipeline-flip-then-transport", test_pipeline_flip_then_transport);
  g_test_add_func ("/zmqscope/live-change/hwm-durable-drops-fewer", test_hwm_durable_drops_fewer);
  g_test_add_func ("/zmqscope/live-change/refused", test_refused);
  g_test_add_func ("/zmqscope/live-change/script", test_script);
  g_test_add_func ("/zmqscope/live-change/script-applied", test_script_applied);
  g_test_add_func ("/zmqscope/live-change/session-event", test_session_event);
  g_test_add_func ("/zmqscope/live-change/follow-document", test_follow_document);
  return g_test_run ();
}
