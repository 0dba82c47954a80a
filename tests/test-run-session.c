/* test-run-session.c: one session follows a real run, and ends it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zs-run-session.h"

/* Callers see a session and a source, never the engine behind them. */
#ifdef ZS_TYPE_ENGINE
#error "zs-run-session.h shows the engine"
#endif

#include "zs-engine-source.h"
#include "zs-recording-source.h"
#include "zs-test-util.h"
#include "zs-topology-file.h"

#define WAIT_MS 30000

/* A ventilator that binds inproc and a sink: 3000 tasks, 1 ms apart. */
static const char inproc_topology[] =
  "{ \"zmqscope\": 1, \"title\": \"session test\", \"nodes\": ["
  "  { \"name\": \"ventilator\", \"role\": \"ventilator\", \"x\": 80, \"y\": 120,"
  "    \"payload\": [\"task {seq}\"], \"count\": 3000, \"interval-ms\": 1, \"wait-peers\": -1,"
  "    \"sockets\": [ { \"name\": \"push\", \"type\": \"PUSH\", \"binds\": [\"inproc://work\"] } ] },"
  "  { \"name\": \"sink\", \"role\": \"sink\", \"x\": 520, \"y\": 120, \"count\": 3000,"
  "    \"sockets\": [ { \"name\": \"pull\", \"type\": \"PULL\", \"connects\": [\"inproc://work\"] } ] }"
  "] }";

typedef struct {
  ZsEngine     *engine;        /* the test's own look behind the source */
  ZsRunSession *session;
  guint         n_updated;
  guint         n_updated_after_end;
  guint         n_ended;
  guint         n_paused_notified;
  gboolean      moved_while_live; /* an update showed traffic before the end */
} Fixture;

static void
on_updated_cb (ZsRunSession *session,
               Fixture      *f)
{
  const ZsSnapshot *s = zs_run_session_get_snapshot (session);

  f->n_updated++;
  if (f->n_ended > 0)
    f->n_updated_after_end++;
  if (zs_run_session_is_live (session) && s->running && s->n_links > 0 && s->links[0].received > 0)
    f->moved_while_live = TRUE;
}

static void
on_ended_cb (ZsRunSession *session,
             Fixture      *f)
{
  f->n_ended++;
}

static void
on_paused_cb (ZsRunSession *session,
              GParamSpec   *pspec,
              Fixture      *f)
{
  f->n_paused_notified++;
}

/* Starts `topology` (paused first if asked) and follows it with a session. */
static void
start (Fixture    *f,
       ZsTopology *topology,
       gboolean    paused,
       guint64     memory_cap)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsEngineSource) source = NULL;

  f->engine = zs_engine_new (topology);
  if (memory_cap > 0)
    zs_engine_set_memory_cap (f->engine, memory_cap);
  if (paused)
    zs_engine_pause (f->engine);
  g_assert_true (zs_engine_start (f->engine, &error));
  g_assert_no_error (error);
  source = zs_engine_source_new (f->engine);
  f->session = zs_run_session_new (ZS_RUN_SOURCE (source));
  g_signal_connect (f->session, "updated", G_CALLBACK (on_updated_cb), f);
  g_signal_connect (f->session, "ended", G_CALLBACK (on_ended_cb), f);
  g_signal_connect (f->session, "notify::paused", G_CALLBACK (on_paused_cb), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->session != NULL)
    g_assert_finalize_object (f->session);
  if (f->engine != NULL)
    g_assert_finalize_object (f->engine);
}

typedef gboolean (*Condition) (Fixture *f);

/* Iterates the thread-default main context until `condition` holds. */
static gboolean
wait_for (Fixture   *f,
          Condition  condition,
          guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (f) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
  return condition (f);
}

static gboolean
has_ended (Fixture *f)
{
  return f->n_ended > 0;
}

static void
iterate_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* Two snapshots of the same run say the same, to the count. */
static void
assert_same_figures (const ZsSnapshot *a,
                     const ZsSnapshot *b)
{
  g_assert_cmpint (a->running, ==, b->running);
  g_assert_cmpint (a->finished, ==, b->finished);
  g_assert_cmpint (a->time_us, ==, b->time_us);
  g_assert_cmpuint (a->n_nodes, ==, b->n_nodes);
  g_assert_cmpuint (a->n_links, ==, b->n_links);
  for (guint i = 0; i < b->n_nodes; i++)
    {
      g_assert_cmpint (a->nodes[i].state, ==, b->nodes[i].state);
      g_assert_cmpuint (a->nodes[i].sent, ==, b->nodes[i].sent);
      g_assert_cmpuint (a->nodes[i].received, ==, b->nodes[i].received);
    }
  for (guint i = 0; i < b->n_links; i++)
    {
      g_assert_cmpuint (a->links[i].sent, ==, b->links[i].sent);
      g_assert_cmpuint (a->links[i].received, ==, b->links[i].received);
      g_assert_cmpuint (a->links[i].dropped, ==, b->links[i].dropped);
      g_assert_cmpuint (a->links[i].unread, ==, b->links[i].unread);
      g_assert_cmpuint (a->links[i].in_flight, ==, b->links[i].in_flight);
    }
}

/* The session's last figures are the engine's settled ones, to the count,
 * and so is the recording's last frame. */
static void
assert_settled (Fixture *f)
{
  g_autoptr(ZsSnapshot) settled = zs_engine_snapshot (f->engine);
  g_autoptr(ZsSnapshot) last = zs_engine_snapshot (f->engine);
  const ZsSnapshot *shown = zs_run_session_get_snapshot (f->session);
  ZsRecording *recording = zs_run_session_get_recording (f->session);

  g_assert_true (zs_engine_get_state (f->engine) == ZS_ENGINE_STATE_STOPPED);
  g_assert_false (shown->running);
  settled->time_us = shown->time_us;   /* taken again just now */
  assert_same_figures (shown, settled);
  zs_test_assert_balanced (shown);
  zs_recording_snapshot_at (recording, G_MAXINT64, last);
  g_assert_cmpint (zs_recording_get_frame_time_us (recording, zs_recording_get_n_frames (recording) - 1),
                   ==, zs_run_session_get_duration_us (f->session));
  last->time_us = shown->time_us;
  assert_same_figures (last, settled);
}

/* The pipeline example: followed while it runs, ended by itself when the
 * sink has every result, and then quiet: no clock, no update. */
static void
test_follows_example (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("3-parallel-pipeline.json");
  ZsLiveModel *model;
  guint updated;

  start (f, topology, FALSE, 0);
  g_assert_true (zs_run_session_is_live (f->session));
  model = zs_run_session_get_live_model (f->session);
  g_assert_cmpuint (zs_live_model_get_n_nodes (model), ==, zs_topology_get_n_nodes (topology));
  g_assert_true (zs_topology_get_n_nodes (zs_run_session_get_topology (f->session)) ==
                 zs_topology_get_n_nodes (topology));

  g_assert_true (wait_for (f, has_ended, WAIT_MS));
  g_assert_cmpuint (f->n_ended, ==, 1);
  g_assert_true (f->moved_while_live);
  g_test_message ("%u updates", f->n_updated);
  g_assert_cmpuint (f->n_updated, >, 10);
  g_assert_false (zs_run_session_is_live (f->session));
  g_assert_true (zs_run_session_get_snapshot (f->session)->finished);
  assert_settled (f);
  g_assert_true (zs_live_model_is_at_rest (model));
  g_assert_true (zs_run_session_get_live_model (f->session) == model);
  /* Recorded at its frame rate, the cursor at the end. */
  g_test_message ("%u frames over %.2f s", zs_recording_get_n_frames (zs_run_session_get_recording (f->session)),
                  zs_run_session_get_duration_us (f->session) / 1e6);
  g_assert_cmpuint (zs_recording_get_n_frames (zs_run_session_get_recording (f->session)), >, 3);
  g_assert_false (zs_run_session_is_following (f->session));
  g_assert_cmpint (zs_run_session_get_cursor_us (f->session), ==, zs_run_session_get_duration_us (f->session));

  /* Ended: no clock any more. */
  updated = f->n_updated;
  iterate_ms (400);
  g_assert_cmpuint (f->n_updated, ==, updated);
  g_assert_cmpuint (f->n_updated_after_end, ==, 0);

  /* Stop after the end: nothing more happens. */
  zs_run_session_stop (f->session);
  g_assert_cmpuint (f->n_ended, ==, 1);
}

static ZsTopology *
load_inproc (const char *json)
{
  g_autoptr(GError) error = NULL;
  ZsTopology *topology = zs_topology_load_from_data (json, -1, &error);

  g_assert_no_error (error);
  return topology;
}

static guint64
total_sent (const ZsSnapshot *s)
{
  guint64 sent = 0;

  for (guint i = 0; i < s->n_nodes; i++)
    sent += s->nodes[i].sent;
  return sent;
}

static gboolean
two_received (Fixture *f)
{
  return zs_run_session_get_snapshot (f->session)->links[0].received >= 2;
}

static gboolean
some_received (Fixture *f)
{
  return zs_run_session_get_snapshot (f->session)->links[0].received >= 10;
}

/* Pause, step, resume and speed go to the engine; Stop ends the run with
 * its settled figures. */
static void
test_controls (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = load_inproc (inproc_topology);
  guint64 received;

  /* One at a time: paused from the start. */
  start (f, topology, TRUE, 0);
  g_assert_true (zs_run_session_is_paused (f->session));
  iterate_ms (300);
  g_assert_cmpuint (total_sent (zs_run_session_get_snapshot (f->session)), ==, 0);

  zs_run_session_step (f->session);
  zs_run_session_step (f->session);
  g_assert_true (wait_for (f, two_received, WAIT_MS));
  iterate_ms (300);
  g_assert_cmpuint (total_sent (zs_run_session_get_snapshot (f->session)), ==, 2);
  g_assert_true (zs_engine_get_state (f->engine) == ZS_ENGINE_STATE_PAUSED);

  zs_run_session_set_speed (f->session, 100);
  g_assert_cmpfloat (zs_engine_get_speed (f->engine), ==, 100);
  zs_run_session_resume (f->session);
  g_assert_true (zs_engine_get_state (f->engine) == ZS_ENGINE_STATE_RUNNING);
  g_assert_false (zs_run_session_is_paused (f->session));
  g_assert_cmpuint (f->n_paused_notified, ==, 1);
  g_assert_true (wait_for (f, some_received, WAIT_MS));

  zs_run_session_pause (f->session);
  g_assert_true (zs_engine_get_state (f->engine) == ZS_ENGINE_STATE_PAUSED);
  g_assert_true (zs_run_session_is_paused (f->session));
  g_assert_cmpuint (f->n_paused_notified, ==, 2);
  received = zs_run_session_get_snapshot (f->session)->links[0].received;
  g_assert_cmpuint (received, <, 3000);

  zs_run_session_stop (f->session);
  g_assert_cmpuint (f->n_ended, ==, 1);
  g_assert_false (zs_run_session_is_live (f->session));
  g_assert_false (zs_run_session_is_paused (f->session));
  g_assert_false (zs_run_session_get_snapshot (f->session)->finished);
  assert_settled (f);
  /* The controls of an ended session do nothing. */
  zs_run_session_resume (f->session);
  g_assert_true (zs_engine_get_state (f->engine) == ZS_ENGINE_STATE_STOPPED);
}

/* The engine stops a flood at the memory cap: the session ends with it and
 * says why. */
static void
test_stopped_by_engine (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = load_inproc (ZS_TEST_INPROC_FLOOD);

  start (f, topology, FALSE, 16 << 20);
  g_assert_true (wait_for (f, has_ended, 60000));
  g_assert_nonnull (zs_run_session_get_snapshot (f->session)->stop_reason);
  g_test_message ("%s", zs_run_session_get_snapshot (f->session)->stop_reason);
  g_assert_false (zs_run_session_is_live (f->session));
  assert_settled (f);
}

/* The last reference to a live session stops its run. */
static void
test_dispose_stops (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = load_inproc (inproc_topology);

  start (f, topology, FALSE, 0);
  g_assert_true (wait_for (f, two_received, WAIT_MS));
  g_assert_finalize_object (g_steal_pointer (&f->session));
  g_assert_true (zs_engine_get_state (f->engine) == ZS_ENGINE_STATE_STOPPED);
  g_assert_cmpuint (f->n_ended, ==, 0);
}

/* Detached, a session hands its live source over: no stop, no ::ended,
 * and a new session follows the same run. */
static void
test_detach_hands_over (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = load_inproc (inproc_topology);
  g_autoptr(ZsRunSession) next = NULL;

  start (f, topology, FALSE, 0);
  g_assert_true (wait_for (f, two_received, WAIT_MS));
  zs_run_session_detach (f->session);
  g_assert_false (zs_run_session_is_live (f->session));
  next = zs_run_session_new (zs_run_session_get_source (f->session));
  g_assert_finalize_object (g_steal_pointer (&f->session));
  g_assert_cmpuint (f->n_ended, ==, 0);
  g_assert_true (zs_engine_get_state (f->engine) == ZS_ENGINE_STATE_RUNNING);
  g_assert_true (zs_run_session_is_live (next));
  zs_run_session_stop (next);
  g_assert_false (zs_run_session_is_live (next));
  g_assert_true (zs_engine_get_state (f->engine) == ZS_ENGINE_STATE_STOPPED);
}

static gboolean
some_link_moves (ZsLiveModel *model)
{
  for (guint l = 0; l < zs_live_model_get_n_links (model); l++)
    if (zs_live_model_get_link (model, l)->rate > 0)
      return TRUE;
  return FALSE;
}

/* The figures at `time_us` are the recorded frame's. */
static void
assert_shows_frame (ZsRunSession *session,
                    gint64        time_us)
{
  ZsRecording *recording = zs_run_session_get_recording (session);
  g_autoptr(ZsSnapshot) frame = zs_snapshot_new (zs_run_session_get_snapshot (session)->n_nodes,
                                                 zs_run_session_get_snapshot (session)->n_links);

  zs_recording_snapshot_at (recording, time_us, frame);
  assert_same_figures (zs_run_session_get_snapshot (session), frame);
}

/* After the run: the cursor moves back to the middle of it, and the canvas
 * would show that moment: its figures, its rates, its messages. */
static void
test_scrub_ended (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("3-parallel-pipeline.json");
  ZsLiveModel *model;
  gint64 duration, middle;
  guint updated;

  start (f, topology, FALSE, 0);
  g_assert_true (wait_for (f, has_ended, WAIT_MS));
  model = zs_run_session_get_live_model (f->session);
  duration = zs_run_session_get_duration_us (f->session);
  middle = duration / 2;

  updated = f->n_updated;
  zs_run_session_set_cursor_us (f->session, middle);
  g_assert_cmpuint (f->n_updated, ==, updated + 1);
  g_assert_cmpint (zs_run_session_get_cursor_us (f->session), ==, middle);
  assert_shows_frame (f->session, middle);
  g_assert_true (zs_run_session_get_snapshot (f->session)->running);
  g_assert_false (zs_run_session_get_snapshot (f->session)->finished);
  /* The live model was fed the seconds before: the links move. */
  g_assert_true (some_link_moves (model));
  g_assert_false (zs_live_model_is_at_rest (model));

  /* Clamped to the run; its end is the settled figures. */
  zs_run_session_set_cursor_us (f->session, -5);
  g_assert_cmpint (zs_run_session_get_cursor_us (f->session), ==, 0);
  assert_shows_frame (f->session, 0);
  zs_run_session_set_cursor_us (f->session, G_MAXINT64);
  g_assert_cmpint (zs_run_session_get_cursor_us (f->session), ==, duration);
  assert_settled (f);
  g_assert_true (zs_live_model_is_at_rest (model));

  /* An ended run has no "now" to follow. */
  zs_run_session_follow_live (f->session);
  g_assert_false (zs_run_session_is_following (f->session));
}

static gboolean
not_playing (Fixture *f)
{
  return zs_run_session_get_play_speed (f->session) == 0;
}

/* A recording opened as a session's source: at its end, then played back
 * from the start to the end, never live. */
static void
test_replay (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("1-hello-world.json");
  g_autoptr(ZsRecordingSource) source = NULL;
  g_autoptr(ZsRunSession) live = NULL;
  ZsRecording *recording;
  gint64 duration;
  guint updated;

  start (f, topology, FALSE, 0);
  g_assert_true (wait_for (f, has_ended, WAIT_MS));
  recording = zs_run_session_get_recording (f->session);
  duration = zs_recording_get_duration_us (recording);
  live = g_steal_pointer (&f->session);

  source = zs_recording_source_new (recording);
  f->session = zs_run_session_new (ZS_RUN_SOURCE (source));
  g_signal_connect (f->session, "updated", G_CALLBACK (on_updated_cb), f);
  g_assert_false (zs_run_session_is_live (f->session));
  g_assert_false (zs_run_session_is_following (f->session));
  g_assert_true (zs_run_session_get_recording (f->session) == recording);
  g_assert_cmpint (zs_run_session_get_cursor_us (f->session), ==, duration);
  assert_same_figures (zs_run_session_get_snapshot (f->session), zs_run_session_get_snapshot (live));

  zs_run_session_set_cursor_us (f->session, 0);
  updated = f->n_updated;
  zs_run_session_play (f->session, 8);
  g_assert_cmpfloat (zs_run_session_get_play_speed (f->session), ==, 8);
  g_assert_true (wait_for (f, not_playing, WAIT_MS));
  g_test_message ("%u updates to play %.2f s at 8x", f->n_updated - updated, duration / 1e6);
  g_assert_cmpuint (f->n_updated, >, updated + 2);
  g_assert_cmpint (zs_run_session_get_cursor_us (f->session), ==, duration);
  assert_same_figures (zs_run_session_get_snapshot (f->session), zs_run_session_get_snapshot (live));
  g_assert_false (zs_run_session_is_live (f->session));
  g_assert_finalize_object (g_steal_pointer (&live));
}

static gboolean
frames_recorded (Fixture *f)
{
  return zs_run_session_get_duration_us (f->session) > G_USEC_PER_SEC / 2;
}

/* During a run: back in time, the run goes on being recorded; then "now"
 * again. */
static void
test_scrub_live (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = load_inproc (inproc_topology);
  gint64 cursor, duration;

  start (f, topology, FALSE, 0);
  g_assert_true (zs_run_session_is_following (f->session));
  g_assert_true (wait_for (f, frames_recorded, WAIT_MS));

  cursor = zs_run_session_get_duration_us (f->session) / 2;
  zs_run_session_set_cursor_us (f->session, cursor);
  g_assert_false (zs_run_session_is_following (f->session));
  g_assert_true (zs_run_session_is_live (f->session));
  assert_shows_frame (f->session, cursor);
  duration = zs_run_session_get_duration_us (f->session);
  iterate_ms (400);
  /* Still recorded, still showing the moment chosen. */
  g_assert_cmpint (zs_run_session_get_duration_us (f->session), >, duration);
  g_assert_cmpint (zs_run_session_get_cursor_us (f->session), ==, cursor);
  assert_shows_frame (f->session, cursor);

  zs_run_session_follow_live (f->session);
  g_assert_true (zs_run_session_is_following (f->session));
  g_assert_cmpint (zs_run_session_get_cursor_us (f->session), ==, zs_run_session_get_duration_us (f->session));
  g_assert_true (zs_run_session_get_snapshot (f->session)->running);
  zs_run_session_stop (f->session);
  assert_settled (f);
}

/* Every link connected: the ventilator counted its workers. */
static gboolean
all_connected (Fixture *f)
{
  const ZsSnapshot *s = zs_run_session_get_snapshot (f->session);

  for (guint l = 0; l < s->n_links; l++)
    if (s->links[l].state != ZS_LINK_STATE_CONNECTED)
      return FALSE;
  return TRUE;
}

static gboolean
worker_killed (Fixture *f)
{
  ZsTopology *t = zs_run_session_get_topology (f->session);

  return zs_run_session_get_snapshot (f->session)->nodes[zs_test_node_index (t, "worker-2")].fault
         == ZS_NODE_FAULT_KILLED;
}

/* A fault through the session: worker-2 of the pipeline is killed before
 * the tasks go out, the snapshot says so, and the three others finish the
 * run. A second kill is refused with the engine's reason; an ended
 * session refuses any fault. */
static void
test_apply_fault (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("3-parallel-pipeline.json");
  g_autoptr(GError) error = NULL;
  ZsNode *vent = zs_topology_find_node (topology, "ventilator");
  ZsFaultStep kill = { .kind = ZS_FAULT_KILL, .target = zs_test_node_index (topology, "worker-2") };
  const ZsSnapshot *s;

  g_object_set (vent, "count", 100, "start-delay-ms", 1000, "wait-peers", 3, NULL);
  g_object_set (zs_topology_find_node (topology, "sink"), "count", 100, NULL);
  start (f, topology, FALSE, 0);
  g_assert_true (wait_for (f, all_connected, WAIT_MS));
  g_assert_true (zs_run_session_apply_fault (f->session, &kill, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (f, worker_killed, WAIT_MS));
  g_assert_false (zs_run_session_apply_fault (f->session, &kill, &error));
  g_assert_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  g_assert_true (wait_for (f, has_ended, WAIT_MS));
  s = zs_run_session_get_snapshot (f->session);
  g_assert_true (s->finished);
  g_assert_cmpuint (s->nodes[zs_test_node_index (topology, "sink")].done_goal, ==, 100);
  g_assert_cmpuint (s->nodes[kill.target].kills, ==, 1);
  g_assert_cmpuint (s->nodes[kill.target].received, ==, 0);
  assert_settled (f);

  kill.kind = ZS_FAULT_RESTART;
  g_assert_false (zs_run_session_apply_fault (f->session, &kill, &error));
  g_assert_error (error, ZS_RUN_SESSION_ERROR, ZS_RUN_SESSION_ERROR_NOT_LIVE);
}

static gboolean
worker_restarted (Fixture *f)
{
  ZsTopology *t = zs_run_session_get_topology (f->session);
  const ZsNodeStats *w = &zs_run_session_get_snapshot (f->session)->nodes[zs_test_node_index (t, "worker-2")];

  return w->restarts == 1 && w->fault == ZS_NODE_FAULT_NONE;
}

/* Killed, then restarted through the session (the window's R): the
 * snapshot shows it back, once; Stop still settles the figures. */
static void
test_restart_fault (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("3-parallel-pipeline.json");
  g_autoptr(GError) error = NULL;
  ZsFaultStep step = { .kind = ZS_FAULT_KILL, .target = zs_test_node_index (topology, "worker-2") };

  g_object_set (zs_topology_find_node (topology, "ventilator"), "start-delay-ms", 1000, NULL);
  start (f, topology, FALSE, 0);
  g_assert_true (wait_for (f, all_connected, WAIT_MS));
  g_assert_true (zs_run_session_apply_fault (f->session, &step, &error));
  g_assert_true (wait_for (f, worker_killed, WAIT_MS));
  step.kind = ZS_FAULT_RESTART;
  g_assert_true (zs_run_session_apply_fault (f->session, &step, &error));
  g_assert_no_error (error);
  g_assert_true (wait_for (f, worker_restarted, WAIT_MS));
  zs_run_session_stop (f->session);
  assert_settled (f);
}

/* A recording of a minute: a link carrying 100 msg/s, a frame every
 * 100 ms. */
static ZsRecording *
minute_recording (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) topology = zs_topology_load_from_data (inproc_topology, -1, &error);
  ZsRecording *recording;
  g_autoptr(ZsSnapshot) s = NULL;

  g_assert_no_error (error);
  recording = zs_recording_new (topology);
  s = zs_snapshot_new (zs_topology_get_n_nodes (topology), zs_topology_get_links (topology)->len);
  for (guint i = 0; i <= 600; i++)
    {
      s->time_us = (gint64) i * G_USEC_PER_SEC / 10;
      s->running = TRUE;
      s->links[0].sent = s->links[0].received = (guint64) i * 10;
      s->nodes[0].sent = s->nodes[1].received = (guint64) i * 10;
      zs_recording_append (recording, s);
    }
  return recording;
}

static guint
link_history_length (ZsRunSession *session)
{
  ZsLiveSample samples[ZS_LIVE_HISTORY_LENGTH];

  return zs_live_model_get_link_history (zs_run_session_get_live_model (session), 0, samples,
                                         ZS_LIVE_HISTORY_LENGTH);
}

static gboolean
has_long_history (Fixture *f)
{
  return link_history_length (f->session) >= 4 * 49;
}

/* Scrubbed to 50 s of a minute's recording, the charts' history holds
 * the 50 s before the moment at 4 Hz, each at the link's 100 msg/s, not
 * only the few seconds rebuilt for the rates: at once the moment, the
 * history once the cursor rests. */
static void
test_scrub_history (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(ZsRecording) recording = minute_recording ();
  g_autoptr(ZsRecordingSource) source = zs_recording_source_new (recording);
  ZsLiveSample samples[ZS_LIVE_HISTORY_LENGTH];
  gint64 start_us = g_get_monotonic_time ();
  guint n;

  f->session = zs_run_session_new (ZS_RUN_SOURCE (source));
  g_assert_cmpuint (link_history_length (f->session), >=, 4 * 59);
  zs_run_session_set_cursor_us (f->session, 50 * G_USEC_PER_SEC);
  g_test_message ("scrub: %.1f ms", (g_get_monotonic_time () - start_us) / 1e3);
  g_assert_cmpuint (link_history_length (f->session), <=, 4 * 5 + 1);
  g_assert_true (wait_for (f, has_long_history, WAIT_MS));
  n = zs_live_model_get_link_history (zs_run_session_get_live_model (f->session), 0, samples,
                                      ZS_LIVE_HISTORY_LENGTH);
  g_test_message ("%u samples, from %.2f s to %.2f s", n, samples[0].time_us / 1e6, samples[n - 1].time_us / 1e6);
  g_assert_cmpuint (n, >=, 4 * 49);
  g_assert_cmpuint (n, <=, 4 * 50 + 1);
  g_assert_cmpint (samples[n - 1].time_us, <=, 50 * G_USEC_PER_SEC);
  g_assert_cmpint (samples[0].time_us, <=, 1 * G_USEC_PER_SEC);
  for (guint i = 1; i < n; i++)
    g_assert_cmpfloat_with_epsilon (samples[i].rate, 100, 10);
}

#define ADD(name, func) \
  g_test_add ("/zmqscope/run-session/" name, Fixture, NULL, NULL, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  ADD ("follows-example", test_follows_example);
  ADD ("controls", test_controls);
  ADD ("stopped-by-engine", test_stopped_by_engine);
  ADD ("dispose-stops", test_dispose_stops);
  ADD ("detach-hands-over", test_detach_hands_over);
  ADD ("scrub-ended", test_scrub_ended);
  ADD ("replay", test_replay);
  ADD ("scrub-live", test_scrub_live);
  ADD ("apply-fault", test_apply_fault);
  ADD ("restart-fault", test_restart_fault);
  ADD ("scrub-history", test_scrub_history);

  return g_test_run ();
}
