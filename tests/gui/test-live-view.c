/* test-live-view.c: the canvas animating a real run, and the window's speed
 * control; renders live-*.png screenshots into the build directory
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "zs-gui-test-app.h"
#include "../zs-test-util.h"
#include "zs-canvas-private.h"
#include "zs-charts.h"
#include "zs-topology-file.h"
#include "zs-topology-ports.h"
#include "zs-window-private.h"
#include "zs-gui-test.h"

/* A PUSH that binds inproc and a PULL that connects: 3000 messages, 1 ms apart. */
static const char inproc_topology[] =
  "{ \"zmqscope\": 1, \"title\": \"live test\", \"nodes\": ["
  "  { \"name\": \"ventilator\", \"role\": \"ventilator\", \"x\": 80, \"y\": 120,"
  "    \"payload\": [\"task {seq}\"], \"count\": 3000, \"interval-ms\": 1, \"wait-peers\": -1,"
  "    \"sockets\": [ { \"name\": \"push\", \"type\": \"PUSH\", \"binds\": [\"inproc://work\"] } ] },"
  "  { \"name\": \"sink\", \"role\": \"sink\", \"x\": 520, \"y\": 120, \"count\": 3000,"
  "    \"sockets\": [ { \"name\": \"pull\", \"type\": \"PULL\", \"connects\": [\"inproc://work\"] } ] }"
  "] }";

/* A ventilator, a worker (it has no end of its own) and a sink, inproc:
 * 20 tasks. The run finishes when the sink has them all. */
static const char inproc_pipeline[] =
  "{ \"zmqscope\": 1, \"title\": \"finished test\", \"nodes\": ["
  "  { \"name\": \"ventilator\", \"role\": \"ventilator\", \"x\": 40, \"y\": 120,"
  "    \"payload\": [\"task {seq}\"], \"count\": 20, \"wait-peers\": -1,"
  "    \"sockets\": [ { \"name\": \"tasks\", \"type\": \"PUSH\", \"binds\": [\"inproc://tasks\"] } ] },"
  "  { \"name\": \"worker\", \"role\": \"worker\", \"x\": 400, \"y\": 120,"
  "    \"sockets\": [ { \"name\": \"in\", \"type\": \"PULL\", \"connects\": [\"inproc://tasks\"] },"
  "                   { \"name\": \"out\", \"type\": \"PUSH\", \"connects\": [\"inproc://results\"] } ] },"
  "  { \"name\": \"sink\", \"role\": \"sink\", \"x\": 760, \"y\": 120, \"count\": 20,"
  "    \"sockets\": [ { \"name\": \"in\", \"type\": \"PULL\", \"binds\": [\"inproc://results\"] } ] }"
  "] }";

/* A PUSH socket sending 40 messages 50 ms apart (20 msg/s) to a sink. */
static const char inproc_paced[] =
  "{ \"zmqscope\": 1, \"title\": \"rate test\", \"nodes\": ["
  "  { \"name\": \"sender\", \"role\": \"socket\", \"x\": 40, \"y\": 120,"
  "    \"payload\": [\"tick {seq}\"], \"count\": 40, \"interval-ms\": 50, \"wait-peers\": -1,"
  "    \"sockets\": [ { \"name\": \"socket\", \"type\": \"PUSH\", \"binds\": [\"inproc://paced\"] } ] },"
  "  { \"name\": \"sink\", \"role\": \"sink\", \"x\": 520, \"y\": 120, \"count\": 40,"
  "    \"sockets\": [ { \"name\": \"in\", \"type\": \"PULL\", \"connects\": [\"inproc://paced\"] } ] }"
  "] }";

/* 20 tasks for a reader that takes 5: 15 stay unread in its queue. */
static const char inproc_unread[] =
  "{ \"zmqscope\": 1, \"title\": \"unread test\", \"nodes\": ["
  "  { \"name\": \"ventilator\", \"role\": \"ventilator\", \"x\": 40, \"y\": 120,"
  "    \"payload\": [\"task {seq}\"], \"count\": 20, \"wait-peers\": -1,"
  "    \"sockets\": [ { \"name\": \"tasks\", \"type\": \"PUSH\", \"binds\": [\"inproc://tasks\"] } ] },"
  "  { \"name\": \"reader\", \"role\": \"socket\", \"x\": 520, \"y\": 120, \"count\": 5,"
  "    \"sockets\": [ { \"name\": \"socket\", \"type\": \"PULL\", \"connects\": [\"inproc://tasks\"] } ] }"
  "] }";

static ZsApplication *app;

/* Closed, and 50 ms for the runs they held to wind down. */
static void
close_all_windows (void)
{
  zs_gui_test_close_windows (app);
  zs_gui_test_wait_ms (50);
}

static ZsWindow *
open_window (const char *path)
{
  ZsWindow *window = zs_gui_test_present_file (app, path);

  zs_canvas_fit (window->canvas);
  return window;
}

/* A bundled example, its tcp ports moved to ports free now: the test
 * never depends on what else holds the examples' fixed ports. */
static char *
example_path (const char *name)
{
  const char *dir = g_getenv ("ZS_EXAMPLES_DIR");

  return g_build_filename (dir != NULL ? dir : "data/examples", name, NULL);
}

static ZsWindow *
open_example (const char *name)
{
  g_autofree char *path = example_path (name);
  ZsWindow *window = open_window (path);
  g_autoptr(GError) error = NULL;

  zs_topology_remap_tcp_ports (zs_canvas_get_topology (window->canvas), &error);
  g_assert_no_error (error);
  return window;
}

static void
activate (ZsWindow   *window,
          const char *action)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static const ZsSnapshot *
engine_snapshot (ZsWindow *window)
{
  return window->canvas->live_snapshot;
}

/* ---- a small inproc run ---- */

static gboolean
link_flows (ZsWindow *window)
{
  ZsLiveModel *model = zs_gui_test_live_model (window);
  const ZsLiveNode *a, *b;

  if (model == NULL)
    return FALSE;
  a = zs_live_model_get_node (model, 0);
  b = zs_live_model_get_node (model, 1);
  return zs_live_model_get_link (model, 0)->rate > 0 &&
         (a->state == ZS_NODE_STATE_RUNNING || a->state == ZS_NODE_STATE_DONE) &&
         (b->state == ZS_NODE_STATE_RUNNING || b->state == ZS_NODE_STATE_DONE);
}

/* The session ended: no clock drives the canvas any more. */
static gboolean
animation_stopped (ZsWindow *window)
{
  return !zs_run_session_is_live (zs_canvas_get_session (window->canvas));
}

/* Writes `json` as BUILD/NAME and returns its path. */
static char *
write_topology (const char *json,
                const char *name)
{
  g_autoptr(ZsTopology) topology = NULL;
  g_autoptr(GError) error = NULL;
  const char *build_dir = g_getenv ("ZS_BUILD_DIR");
  char *path = g_build_filename (build_dir != NULL ? build_dir : ".", name, NULL);

  topology = zs_topology_load_from_data (json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (zs_topology_save_to_file (topology, path, &error));
  g_assert_no_error (error);
  return path;
}

static ZsWindow *
open_inproc_window (void)
{
  g_autofree char *path = write_topology (inproc_topology, "live-test-inproc.json");

  return open_window (path);
}

static void
test_live_inproc (void)
{
  ZsWindow *window = open_inproc_window ();
  ZsLiveModel *model;

  g_assert_null (zs_gui_test_live_model (window));
  activate (window, "run");
  g_assert_true (_zs_window_is_running (window));
  g_assert_nonnull (zs_gui_test_live_model (window));
  g_assert_true (zs_gui_test_wait_for (window, link_flows, 10000));

  model = zs_gui_test_live_model (window);
  g_assert_cmpuint (zs_live_model_get_n_links (model), ==, 1);
  g_assert_cmpfloat (zs_live_model_get_link (model, 0)->rate_log, >=, 0);

  /* Stop keeps the last state on the canvas until the next edit. */
  activate (window, "stop");
  g_assert_false (_zs_window_is_running (window));
  g_assert_true (zs_gui_test_live_model (window) == model);
  g_assert_true (zs_gui_test_wait_for (window, animation_stopped, 5000));
  g_assert_true (zs_gui_test_live_model (window) == model);
  g_assert_true (zs_live_model_is_at_rest (model));
  g_assert_true (animation_stopped (window));
  g_assert_cmpuint (engine_snapshot (window)->links[0].received, >, 0);

  zs_canvas_zoom_in (window->canvas);   /* not an edit */
  g_assert_nonnull (zs_gui_test_live_model (window));
  activate (window, "select-all");
  activate (window, "delete");           /* an edit */
  zs_gui_test_wait_ms (50);
  g_assert_null (zs_gui_test_live_model (window));
  close_all_windows ();
}

/* ---- one message at a time ---- */

static gboolean
ventilator_waits (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  /* Both nodes up, the ventilator held at the gate. */
  return s != NULL && s->nodes[0].state == ZS_NODE_STATE_PAUSED &&
         s->nodes[1].state == ZS_NODE_STATE_RUNNING;
}

static guint64
total_sent (ZsWindow *window)
{
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (zs_gui_test_engine (window));
  guint64 sent = 0;

  for (guint i = 0; i < s->n_nodes; i++)
    sent += s->nodes[i].sent;
  return sent;
}

static gboolean
two_received (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  return s != NULL && s->links[0].received >= 2;
}

static void
test_live_step (void)
{
  ZsWindow *window = open_inproc_window ();
  GAction *step = g_action_map_lookup_action (G_ACTION_MAP (window), "step");

  g_assert_false (g_action_get_enabled (step));
  gtk_drop_down_set_selected (window->speed_dropdown, ZS_WINDOW_SPEED_STEP);
  g_assert_cmpuint (window->speed, ==, ZS_WINDOW_SPEED_STEP);

  activate (window, "run");
  g_assert_true (g_action_get_enabled (step));
  g_assert_true (zs_engine_get_state (zs_gui_test_engine (window)) == ZS_ENGINE_STATE_PAUSED);
  g_assert_true (zs_gui_test_wait_for (window, ventilator_waits, 5000));
  zs_gui_test_wait_ms (300);
  g_assert_cmpuint (total_sent (window), ==, 0);

  activate (window, "step");
  activate (window, "step");
  g_assert_true (zs_gui_test_wait_for (window, two_received, 5000));
  zs_gui_test_wait_ms (500);
  g_assert_cmpuint (total_sent (window), ==, 2);
  g_assert_cmpuint (engine_snapshot (window)->links[0].received, ==, 2);
  /* Slow mode: one dot is one message. */
  g_assert_cmpuint (zs_live_model_get_link (zs_gui_test_live_model (window), 0)->dots_spawned, ==, 2);

  /* Back to a pace: the engine resumes and Step is for pausing again. */
  gtk_drop_down_set_selected (window->speed_dropdown, ZS_WINDOW_SPEED_100);
  g_assert_true (zs_engine_get_state (zs_gui_test_engine (window)) == ZS_ENGINE_STATE_RUNNING);
  g_assert_cmpfloat (zs_engine_get_speed (zs_gui_test_engine (window)), ==, 100.0);
  g_assert_false (g_action_get_enabled (step));
  activate (window, "stop");
  gtk_drop_down_set_selected (window->speed_dropdown, ZS_WINDOW_SPEED_FULL);
  close_all_windows ();
}

/* ---- slow motion is not a pause ---- */

static gboolean
five_received_not_paused (ZsWindow *window)
{
  ZsLiveModel *model = zs_gui_test_live_model (window);
  const ZsSnapshot *s = engine_snapshot (window);

  /* Every frame on the way: the sender waits its turn, and says running. */
  g_assert_true (model == NULL || zs_live_model_get_node (model, 0)->state != ZS_NODE_STATE_PAUSED);
  return s != NULL && s->links[0].received >= 5;
}

static gboolean
ventilator_pill_paused (ZsWindow *window)
{
  ZsLiveModel *model = zs_gui_test_live_model (window);

  return model != NULL && zs_live_model_get_node (model, 0)->state == ZS_NODE_STATE_PAUSED;
}

static void
test_live_slow_not_paused (void)
{
  ZsWindow *window = open_inproc_window ();

  gtk_drop_down_set_selected (window->speed_dropdown, ZS_WINDOW_SPEED_20);
  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, five_received_not_paused, 10000));
  /* The user's Pause, and only that, shows the card as paused. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "pause", g_variant_new_boolean (TRUE));
  g_assert_true (zs_gui_test_wait_for (window, ventilator_pill_paused, 5000));
  activate (window, "stop");
  gtk_drop_down_set_selected (window->speed_dropdown, ZS_WINDOW_SPEED_FULL);
  close_all_windows ();
}

/* ---- a node that cannot do its job says so on its card ---- */

static const char empty_payload_topology[] =
  "{ \"zmqscope\": 1, \"title\": \"empty payload\", \"nodes\": ["
  "  { \"name\": \"ventilator\", \"role\": \"ventilator\", \"x\": 80, \"y\": 120,"
  "    \"payload\": [], \"count\": 10,"
  "    \"sockets\": [ { \"name\": \"push\", \"type\": \"PUSH\", \"binds\": [\"inproc://empty\"] } ] },"
  "  { \"name\": \"sink\", \"role\": \"sink\", \"x\": 520, \"y\": 120, \"count\": 10,"
  "    \"sockets\": [ { \"name\": \"pull\", \"type\": \"PULL\", \"connects\": [\"inproc://empty\"] } ] }"
  "] }";

static gboolean
ventilator_failed (ZsWindow *window)
{
  ZsLiveModel *model = zs_gui_test_live_model (window);

  return model != NULL && zs_live_model_get_node (model, 0)->state == ZS_NODE_STATE_ERROR;
}

static void
test_live_node_error (void)
{
  g_autoptr(ZsTopology) topology = NULL;
  g_autoptr(GError) error = NULL;
  const char *build_dir = g_getenv ("ZS_BUILD_DIR");
  g_autofree char *path = g_build_filename (build_dir != NULL ? build_dir : ".", "live-test-empty.json", NULL);
  ZsWindow *window;
  const ZsLiveNode *live;

  topology = zs_topology_load_from_data (empty_payload_topology, -1, &error);
  g_assert_no_error (error);
  g_assert_true (zs_topology_save_to_file (topology, path, &error));
  window = open_window (path);
  activate (window, "run");
  if (!_zs_window_is_running (window))
    {
      /* Refused before the run: the checker names the node. */
      g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
      close_all_windows ();
      return;
    }
  g_assert_true (zs_gui_test_wait_for (window, ventilator_failed, 5000));
  live = zs_live_model_get_node (zs_gui_test_live_model (window), 0);
  g_assert_nonnull (live->error);
  g_assert_nonnull (strstr (live->error, "payload"));
  /* And the window says which node failed, while the run goes on. */
  g_assert_true (_zs_window_is_running (window));
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_assert_nonnull (strstr (gtk_label_get_label (window->banner_label), "ventilator"));
  zs_gui_test_wait_ms (100);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-node-error.png"));
  activate (window, "stop");
  close_all_windows ();
}

/* ---- the durable subscriber: drops ---- */

static gboolean
drops_bursting (ZsWindow *window)
{
  ZsLiveModel *model = zs_gui_test_live_model (window);

  for (guint i = 0; model != NULL && i < zs_live_model_get_n_links (model); i++)
    if (zs_live_model_get_link (model, i)->drop_burst > 0.5 &&
        zs_live_model_get_link (model, i)->drops_total >= 1)
      return TRUE;
  return FALSE;
}

static gboolean
node_failed (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  for (guint i = 0; s != NULL && i < s->n_nodes; i++)
    if (s->nodes[i].state == ZS_NODE_STATE_ERROR)
      {
        g_test_message ("node %u failed: %s", i, s->nodes[i].error);
        return TRUE;
      }
  return FALSE;
}

static gboolean
queue_overflows (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  return node_failed (window) || (s != NULL && s->links[1].in_flight >= 6);
}

static gboolean
run_finished (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  return s != NULL && s->finished;
}

/* What a finished run shows. */

static gboolean
action_enabled (ZsWindow   *window,
                const char *name)
{
  return g_action_get_enabled (g_action_map_lookup_action (G_ACTION_MAP (window), name));
}

/* The run is over and Run can start another (or a node failed). */
static gboolean
run_ended (ZsWindow *window)
{
  return node_failed (window) || (!_zs_window_is_running (window) && action_enabled (window, "run"));
}

static const char *
node_pill (ZsWindow   *window,
           const char *name)
{
  ZsTopology *topology = zs_live_model_get_topology (zs_gui_test_live_model (window));
  ZsNode *node = zs_topology_find_node (topology, name);
  int index = zs_topology_find_node_index (topology, node);

  g_assert_cmpint (index, >=, 0);
  return zs_node_state_to_string (zs_live_model_get_node (zs_gui_test_live_model (window),
                                                          index)->state);
}

/* Each link's final counts are on the canvas, and they add up. */
static void
assert_final_figures (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);
  ZsLiveModel *model = zs_gui_test_live_model (window);

  for (guint l = 0; l < s->n_links; l++)
    {
      const ZsLinkStats *link = &s->links[l];
      g_autofree char *received = g_strdup_printf ("Received: %'" G_GUINT64_FORMAT, link->received);
      g_autofree char *unread = g_strdup_printf ("Unread: %'" G_GUINT64_FORMAT, link->unread);
      g_autofree char *dropped = g_strdup_printf ("Dropped: %s%'" G_GUINT64_FORMAT,
                                                  link->dropped_estimated ? "~" : "", link->dropped);

      g_test_message ("link %u: sent %" G_GUINT64_FORMAT " received %" G_GUINT64_FORMAT
                      " dropped %" G_GUINT64_FORMAT " unread %" G_GUINT64_FORMAT,
                      l, link->sent, link->received, link->dropped, link->unread);
      g_assert_cmpuint (link->sent, ==, link->received + link->dropped + link->unread + link->in_flight);
      g_assert_true (zs_gui_test_canvas_shows (window, received, "live-texts.png"));
      g_assert_true (link->unread == 0 || zs_gui_test_canvas_shows (window, unread, "live-texts.png"));
      g_assert_true (link->dropped == 0 || zs_gui_test_canvas_shows (window, dropped, "live-texts.png"));
      g_assert_cmpfloat (zs_live_model_get_link (model, l)->rate_shown, ==, 0);
    }
  g_assert_false (zs_gui_test_canvas_shows (window, "/s", "live-texts.png"));
}

/* Header, pills and buttons agree; F5 runs again; the canvas can be edited. */
static void
assert_run_over (ZsWindow *window)
{
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->status_label), "Finished"));
  /* In hundredths, as the timeline says it: a 30 ms run is not "0.0 s". */
  g_assert_true (g_regex_match_simple ("^Finished · [0-9]+\\.[0-9][0-9] s · ",
                                       gtk_label_get_label (window->status_label), 0, 0));
  g_assert_true (action_enabled (window, "run"));
  g_assert_false (action_enabled (window, "stop"));
  g_assert_false (action_enabled (window, "pause"));
  g_assert_true (action_enabled (window, "delete"));
  g_assert_true (action_enabled (window, "paste"));
  g_assert_null (strstr (gtk_label_get_label (window->findings_hint), "press Run"));
  g_assert_true (zs_live_model_is_at_rest (zs_gui_test_live_model (window)));
}

static void
test_live_durable (void)
{
  ZsWindow *window = open_example ("10-durable-subscriber.json");
  ZsLiveModel *model;

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, queue_overflows, 20000));
  g_assert_false (node_failed (window));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-durable-midrun.png"));
  /* libzmq does not report PUB drops: the engine sees them when the
   * subscriber is back and waits on an empty queue, while the run goes on. */
  g_assert_true (zs_gui_test_wait_for (window, drops_bursting, 20000));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-durable-dropping.png"));
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 20000));
  assert_run_over (window);
  model = zs_gui_test_live_model (window);
  g_assert_nonnull (model);
  g_assert_cmpuint (zs_live_model_get_link (model, 0)->drops_total, ==, 10);
  g_assert_cmpuint (zs_live_model_get_link (model, 1)->drops_total, ==, 8);
  /* Both links show their counter: "✕ 10 dropped", "✕ 8 dropped". */
  gtk_widget_queue_draw (GTK_WIDGET (window->canvas));
  zs_gui_test_wait_ms (200);
  g_assert_cmpuint (_zs_canvas_live_get_drawn_drop_labels (window->canvas), ==, 2);
  assert_final_figures (window);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-durable-final.png"));
  close_all_windows ();
}

/* ---- back in time ---- */

/* The first recorded moment the engine saw the subscriber's drops. */
static gint64
first_drop_us (ZsRunSession *session)
{
  ZsRecording *recording = zs_run_session_get_recording (session);
  const ZsSnapshot *shown = zs_run_session_get_snapshot (session);
  g_autoptr(ZsSnapshot) frame = zs_snapshot_new (shown->n_nodes, shown->n_links);

  for (guint i = 0; i < zs_recording_get_n_frames (recording); i++)
    {
      zs_recording_get_frame (recording, i, frame);
      if (frame->running && (frame->links[0].dropped > 0 || frame->links[1].dropped > 0))
        return zs_recording_get_frame_time_us (recording, i);
    }
  g_assert_not_reached ();
}

/* Drop counters the canvas draws at the session's cursor. */
static guint
drop_labels_at (ZsWindow *window,
                gint64    cursor_us)
{
  zs_run_session_set_cursor_us (window->session, cursor_us);
  gtk_widget_queue_draw (GTK_WIDGET (window->canvas));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-scrub.png"));
  return _zs_canvas_live_get_drawn_drop_labels (window->canvas);
}

/* After the durable subscriber's run, the canvas shows any moment of it as
 * it was: before the drops none, at the drops the live counters, at the
 * end the final figures. */
static void
test_live_scrub (void)
{
  ZsWindow *window = open_example ("10-durable-subscriber.json");
  gint64 drops_us;

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 30000));
  g_assert_false (node_failed (window));
  drops_us = first_drop_us (window->session);
  g_test_message ("drops recorded at %.2f s of %.2f s", drops_us / 1e6,
                  zs_run_session_get_duration_us (window->session) / 1e6);

  g_assert_cmpuint (drop_labels_at (window, 0), ==, 0);
  g_assert_cmpuint (drop_labels_at (window, drops_us), >=, 1);
  /* The header says that moment too, however quickly the cursor moves. */
  g_assert_false (g_str_has_prefix (gtk_label_get_label (window->status_label), "Finished"));
  zs_run_session_set_cursor_us (window->session, G_MAXINT64);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->status_label), "Finished"));
  zs_run_session_set_cursor_us (window->session, drops_us);
  g_assert_false (g_str_has_prefix (gtk_label_get_label (window->status_label), "Finished"));
  /* A moment of the run: its queues, not its final figures. */
  g_assert_true (zs_gui_test_canvas_shows (window, "dropped", "live-scrub.png"));
  g_assert_false (zs_gui_test_canvas_shows (window, "Sent: ", "live-scrub.png"));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-scrub-drops.png"));

  g_assert_cmpuint (drop_labels_at (window, G_MAXINT64), ==, 2);
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->status_label), "Finished"));
  assert_final_figures (window);
  close_all_windows ();
}

/* ---- the parallel pipeline, mid-run ---- */

static gboolean
sink_midway (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);
  guint64 progress;

  if (s == NULL)
    return FALSE;
  if (node_failed (window))
    return TRUE;
  /* At least a fifth done. Not "at most 80": the run takes about a
   * second, and now that tests run side by side a busy machine may draw
   * no frame while the sink goes from 20 to 80. */
  progress = s->nodes[s->n_nodes - 1].done_goal;
  return progress >= 20;
}

static void
test_live_pipeline (void)
{
  ZsWindow *window = open_example ("3-parallel-pipeline.json");

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, sink_midway, 15000));
  g_assert_false (node_failed (window));
  /* A frame or two with the latest counters. */
  zs_gui_test_wait_ms (40);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-pipeline-midrun.png"));
  g_assert_true (zs_gui_test_wait_for (window, run_finished, 20000));
  activate (window, "stop");
  /* The charts follow the canvas's run and selection. */
  zs_canvas_select_node (window->canvas, zs_topology_find_node (zs_canvas_get_topology (window->canvas), "sink"));
  gtk_stack_set_visible_child_name (window->bottom_stack, "charts");
  g_assert_true (zs_charts_get_live_model (ZS_CHARTS (window->charts)) ==
                 zs_gui_test_live_model (window));
  zs_gui_test_wait_ms (600);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-pipeline-done.png"));
  close_all_windows ();
}

/* ---- when a run finishes ---- */

static void
test_live_finished (void)
{
  g_autofree char *path = write_topology (inproc_pipeline, "live-test-finished.json");
  ZsWindow *window = open_window (path);

  g_assert_nonnull (strstr (gtk_label_get_label (window->findings_hint), "press Run"));
  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 20000));
  g_assert_false (node_failed (window));
  assert_run_over (window);
  g_assert_cmpstr (node_pill (window, "ventilator"), ==, "done");
  g_assert_cmpstr (node_pill (window, "worker"), ==, "idle");
  g_assert_cmpstr (node_pill (window, "sink"), ==, "done");
  g_assert_true (zs_gui_test_canvas_shows (window, "idle", "live-texts.png"));
  g_assert_false (zs_gui_test_canvas_shows (window, "running", "live-texts.png"));
  g_assert_false (zs_gui_test_canvas_shows (window, "stopped", "live-texts.png"));
  assert_final_figures (window);

  /* F5 again: a new run, which finishes as well. */
  activate (window, "run");
  g_assert_true (_zs_window_is_running (window));
  g_assert_false (action_enabled (window, "delete"));
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 20000));
  assert_run_over (window);

  /* An edit: back to the editing view; the last run's status line goes. */
  activate (window, "select-all");
  activate (window, "delete");
  zs_gui_test_wait_ms (50);
  g_assert_null (zs_gui_test_live_model (window));
  g_assert_cmpstr (gtk_label_get_label (window->status_label), ==, "");
  close_all_windows ();
}

/* The pipeline example, as a teacher runs it. */
static void
test_live_pipeline_finished (void)
{
  ZsWindow *window = open_example ("3-parallel-pipeline.json");

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 30000));
  assert_run_over (window);
  g_assert_cmpstr (node_pill (window, "ventilator"), ==, "done");
  g_assert_cmpstr (node_pill (window, "sink"), ==, "done");
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *worker = g_strdup_printf ("worker-%u", i);

      g_assert_cmpstr (node_pill (window, worker), ==, "idle");
    }
  assert_final_figures (window);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-pipeline-finished.png"));
  close_all_windows ();
}

/* One frame of the canvas, drawn now; what it kept and drew anew. */
static void
draw_frame (ZsWindow *window,
            guint    *kept,
            guint    *redrawn)
{
  gtk_widget_queue_draw (GTK_WIDGET (window->canvas));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-frames.png"));
  _zs_canvas_live_get_frame_work (window->canvas, kept, redrawn);
}

/* A frame draws anew only what moved: once the run is over and all is at
 * rest, the next frame keeps every node of the live layers. */
static void
test_live_frames_keep_what_rests (void)
{
  ZsWindow *window = open_example ("3-parallel-pipeline.json");
  guint kept, redrawn;

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 30000));
  assert_run_over (window);
  draw_frame (window, &kept, &redrawn);
  draw_frame (window, &kept, &redrawn);
  g_test_message ("kept %u, drawn anew %u", kept, redrawn);
  g_assert_cmpuint (redrawn, ==, 0);
  /* 6 cards, 9 links, and the clusters of the links. */
  g_assert_cmpuint (kept, >, 6 + 9);
  /* Still the final figures, though nothing was drawn anew. */
  assert_final_figures (window);
  close_all_windows ();
}

/* Stop is not the end: the link's rates do not stay frozen on screen. */
static void
test_live_stop_rates (void)
{
  ZsWindow *window = open_inproc_window ();
  ZsLiveModel *model;

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, link_flows, 10000));
  zs_gui_test_wait_ms (300);
  g_assert_true (zs_gui_test_canvas_shows (window, "/s", "live-texts.png"));
  activate (window, "stop");
  model = zs_gui_test_live_model (window);
  g_assert_true (zs_gui_test_wait_for (window, animation_stopped, 5000));
  g_assert_cmpfloat (zs_live_model_get_link (model, 0)->rate_shown, ==, 0);
  g_assert_cmpfloat (zs_live_model_get_link (model, 0)->rate, ==, 0);
  g_assert_false (zs_gui_test_canvas_shows (window, "/s", "live-texts.png"));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->status_label), "Stopped"));
  close_all_windows ();
}

/* ---- figures that are true ---- */

static gboolean
sixteen_received (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  return node_failed (window) || (s != NULL && s->links[0].received >= 16);
}

/* The number the link's rate label shows, in msg/s. */
static double
drawn_rate (ZsWindow *window)
{
  GPtrArray *texts = window->canvas->live_texts;

  g_assert_true (zs_gui_test_canvas_shows (window, "msg/s", "live-texts.png"));
  for (guint i = 0; i < texts->len; i++)
    {
      PangoLayout *layout = g_ptr_array_index (texts, i);

      if (layout != NULL && strstr (pango_layout_get_text (layout), "msg/s") != NULL)
        return g_ascii_strtod (pango_layout_get_text (layout), NULL);
    }
  g_assert_not_reached ();
}

/* 20 msg/s reads as about 20 msg/s from the first second on, not as the
 * count over a 5 s window that has not passed yet (about 3). */
static void
test_live_rate_first_second (void)
{
  g_autofree char *path = write_topology (inproc_paced, "live-test-rate.json");
  ZsWindow *window = open_window (path);
  const ZsSnapshot *s;
  double rate, mean;

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, sixteen_received, 10000));
  g_assert_false (node_failed (window));
  rate = drawn_rate (window);
  /* The truth: what the sink received since its first message (a busy
   * machine may stretch the sender's 50 ms). */
  s = engine_snapshot (window);
  mean = (double) s->links[0].received * G_USEC_PER_SEC / (s->time_us - s->nodes[1].started_at_us);
  g_test_message ("after %" G_GUINT64_FORMAT " messages the label reads %.1f msg/s; mean %.1f msg/s",
                  s->links[0].received, rate, mean);
  g_assert_cmpfloat (rate, >=, 0.75 * mean);
  g_assert_cmpfloat (rate, <=, 1.25 * mean);
  g_assert_cmpfloat (rate, >=, 10);
  activate (window, "stop");
  close_all_windows ();
}

/* What the reader never read is still on the canvas after the run. */
static void
test_live_unread (void)
{
  g_autofree char *path = write_topology (inproc_unread, "live-test-unread.json");
  ZsWindow *window = open_window (path);
  const ZsLinkStats *link;

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 20000));
  g_assert_false (node_failed (window));
  assert_run_over (window);
  link = &engine_snapshot (window)->links[0];
  g_assert_cmpuint (link->sent, ==, 20);
  g_assert_cmpuint (link->received, ==, 5);
  g_assert_cmpuint (link->unread, ==, 15);
  assert_final_figures (window);
  g_assert_true (zs_gui_test_canvas_shows (window, "Sent: 20\nReceived: 5\nUnread: 15", "live-texts.png"));
  close_all_windows ();
}

/* ---- the keyboard focus ---- */

static GtkWidget *
find_text (GtkWidget *widget)
{
  if (GTK_IS_TEXT (widget) && gtk_widget_is_visible (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *text = find_text (child);

      if (text != NULL)
        return text;
    }
  return NULL;
}

/* Typing in the inspector, then F5: the run locks the inspector's fields,
 * so the focus goes to the canvas first (a field made insensitive while
 * focused never gets its focus-out, and GTK warns). */
static void
test_run_takes_focus (void)
{
  g_autofree char *path = write_topology (inproc_pipeline, "live-test-focus.json");
  ZsWindow *window = open_window (path);
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  GtkWidget *text, *focus;

  zs_canvas_select_node (window->canvas, zs_topology_find_node (topology, "worker"));
  zs_gui_test_wait_ms (100);
  text = find_text (window->inspector);
  g_assert_nonnull (text);
  g_assert_true (gtk_widget_grab_focus (text));
  g_assert_true (gtk_root_get_focus (GTK_ROOT (window)) == text);

  activate (window, "run");
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (focus == GTK_WIDGET (window->canvas));
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 20000));
  close_all_windows ();
}

/* ---- what the last run and the last refusal leave behind ---- */

static gboolean
banner_hidden (ZsWindow *window)
{
  return !gtk_revealer_get_reveal_child (window->banner_revealer);
}

/* Renames a node as the inspector does: one step of the history. */
static void
rename_node (ZsWindow   *window,
             const char *name,
             const char *new_name)
{
  ZsHistory *history = _zs_window_get_history (window);
  ZsNode *node = zs_topology_find_node (zs_canvas_get_topology (window->canvas), name);

  g_assert_nonnull (node);
  zs_history_begin (history, "Rename");
  zs_node_set_name (node, new_name);
  zs_history_end (history);
  zs_history_seal (history);
}

static void
test_cannot_run_banner (void)
{
  g_autofree char *path = write_topology (inproc_pipeline, "live-test-banner.json");
  ZsWindow *window = open_window (path);

  /* Two nodes named "sink": Run refuses and says why. */
  rename_node (window, "worker", "sink");
  activate (window, "run");
  g_assert_false (_zs_window_is_running (window));
  g_assert_false (banner_hidden (window));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->banner_label), "Cannot run"));

  /* Undo fixes it: the banner goes. */
  activate (window, "undo");
  g_assert_true (zs_gui_test_wait_for (window, banner_hidden, 5000));

  /* So does an edit that fixes it. */
  activate (window, "redo");
  activate (window, "run");
  g_assert_false (banner_hidden (window));
  rename_node (window, "sink", "worker");
  g_assert_true (zs_gui_test_wait_for (window, banner_hidden, 5000));
  close_all_windows ();
}

static void
test_open_clears_status (void)
{
  g_autofree char *path = write_topology (inproc_pipeline, "live-test-status.json");
  g_autofree char *other = example_path ("1-hello-world.json");
  g_autoptr(GFile) file = g_file_new_for_path (other);
  ZsWindow *window = open_window (path);

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 20000));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->status_label), "Finished"));

  /* File › Open, in the same window (nothing to save, nothing running). */
  g_assert_true (zs_window_open_file (window, file, 0) == window);
  g_assert_cmpstr (gtk_label_get_label (window->status_label), ==, "");
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (window->status_label)));
  g_assert_nonnull (strstr (gtk_label_get_label (window->findings_hint), "press Run"));
  close_all_windows ();
}

/* HWM 0 both ways and a subscriber slower than its publisher
 * (ZS_TEST_INPROC_FLOOD): the queue grows until the memory cap the user
 * set, then the run stops by itself and the window says which link and why. */
static void
test_memory_cap (void)
{
  g_autofree char *path = write_topology (ZS_TEST_INPROC_FLOOD, "live-test-flood.json");
  GSettings *settings = zs_application_get_settings (app);
  ZsWindow *window;
  const char *banner;

  g_settings_set_int (settings, "memory-cap-mib", 16);
  window = open_window (path);
  activate (window, "run");
  g_assert_true (_zs_window_is_running (window));
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 60000));
  g_assert_false (node_failed (window));
  banner = gtk_label_get_label (window->banner_label);
  g_test_message ("%s", banner);
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_assert_nonnull (strstr (banner, "HWM 0"));
  g_assert_nonnull (strstr (banner, "sub.sub"));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (window->status_label), "Stopped"));
  g_settings_reset (settings, "memory-cap-mib");
  close_all_windows ();
}

/* ---- a fault, live: worker-2 killed mid-pipeline ---- */

static int fault_worker = -1;
static int fault_sink = -1;

static gboolean
worker_killed (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  return s != NULL && s->nodes[fault_worker].fault == ZS_NODE_FAULT_KILLED;
}

/* Every link of the run is connected: the ventilator counted its workers
 * (a worker killed while connecting leaves it waiting for a third peer). */
static gboolean
all_connected (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  for (guint l = 0; s != NULL && l < s->n_links; l++)
    if (s->links[l].state != ZS_LINK_STATE_CONNECTED)
      return FALSE;
  return s != NULL;
}

static gboolean
pipeline_midway (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  return node_failed (window) || (s != NULL && s->nodes[fault_sink].received >= 30);
}

static void
right_click (ZsWindow   *window,
             const char *node_name)
{
  ZsCanvas *canvas = window->canvas;
  ZsNode *node = zs_topology_find_node (zs_canvas_get_topology (canvas), node_name);
  ZsNodeLayout *layout = _zs_canvas_find_layout (canvas, node);

  g_signal_emit_by_name (zs_gui_test_find_controller (GTK_WIDGET (canvas), GTK_TYPE_GESTURE_CLICK), "pressed", 1,
                         (layout->rect.origin.x + layout->rect.size.width / 2) * canvas->zoom + canvas->offset_x,
                         (layout->rect.origin.y + layout->rect.size.height / 2) * canvas->zoom + canvas->offset_y);
}

/* Right-clicks the card's middle, as a mouse does: the canvas selects it
 * and pops up its faults; the item labelled `label` is activated as the
 * menu does (its action and target, from the canvas). */
static void
context_menu_item (ZsWindow   *window,
                   const char *node_name,
                   const char *label)
{
  ZsCanvas *canvas = window->canvas;
  GMenuModel *menu;

  right_click (window, node_name);
  g_assert_true (zs_canvas_get_selected_node (canvas)
                 == zs_topology_find_node (zs_canvas_get_topology (canvas), node_name));
  g_assert_nonnull (canvas->fault_menu);
  g_assert_true (gtk_widget_get_visible (canvas->fault_menu));
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (canvas->fault_menu));
  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      GMenuModel *section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *text = NULL, *action = NULL;
          g_autoptr(GVariant) target = NULL;

          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &text);
          if (g_strcmp0 (text, label) != 0)
            continue;
          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          target = g_menu_model_get_item_attribute_value (section, i, G_MENU_ATTRIBUTE_TARGET, NULL);
          gtk_popover_popdown (GTK_POPOVER (canvas->fault_menu));
          g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (canvas), action, target));
          g_object_unref (section);
          return;
        }
      g_clear_object (&section);
    }
  g_assert_not_reached ();
}

static gboolean
press_key (ZsWindow *window,
           guint     keyval)
{
  gboolean handled = FALSE;

  g_signal_emit_by_name (zs_gui_test_find_controller (GTK_WIDGET (window->canvas), GTK_TYPE_EVENT_CONTROLLER_KEY),
                         "key-pressed", keyval, 0, 0, &handled);
  return handled;
}

/* The user's path: Run the pipeline, right-click worker-2, Kill. Its
 * card says "killed", the three other workers finish the batch; K on the
 * killed card is refused in the banner with the engine's reason. */
static void
test_kill_worker (void)
{
  ZsWindow *window = open_example ("3-parallel-pipeline.json");
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  const ZsSnapshot *s;

  /* The ventilator waits for three workers and a moment, so the kill
   * lands before the tasks go out (a task queued at worker-2 would be lost
   * in the crash, and the sink would wait for it for ever). */
  g_object_set (zs_topology_find_node (topology, "ventilator"), "wait-peers", 3, "start-delay-ms", 1500, NULL);
  fault_worker = zs_topology_find_node_index (topology, zs_topology_find_node (topology, "worker-2"));
  fault_sink = zs_topology_find_node_index (topology, zs_topology_find_node (topology, "sink"));
  g_assert_false (action_enabled (window, "fault"));

  activate (window, "run");
  g_assert_true (action_enabled (window, "fault"));
  g_assert_true (zs_gui_test_wait_for (window, all_connected, 20000));
  context_menu_item (window, "worker-2", "_Kill");
  g_assert_true (zs_gui_test_wait_for (window, worker_killed, 20000));
  g_assert_cmpstr (node_pill (window, "worker-2"), !=, "error");

  /* K on the selected (killed) card: refused, the reason in the banner. */
  g_assert_true (press_key (window, GDK_KEY_k));
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_test_message ("banner: %s", gtk_label_get_label (window->banner_label));
  g_assert_nonnull (strstr (gtk_label_get_label (window->banner_label), "worker-2"));

  g_assert_true (zs_gui_test_wait_for (window, pipeline_midway, 20000));
  g_assert_false (node_failed (window));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-worker-killed.png"));

  g_assert_true (zs_gui_test_wait_for (window, run_ended, 30000));
  assert_run_over (window);
  g_assert_false (action_enabled (window, "fault"));
  /* Once the run is over, no fault menu. */
  right_click (window, "worker-3");
  g_assert_false (gtk_widget_get_visible (window->canvas->fault_menu));
  s = engine_snapshot (window);
  g_assert_true (s->finished);
  g_assert_cmpuint (s->nodes[fault_sink].done_goal, ==, 100);
  g_assert_cmpuint (s->nodes[fault_worker].received, ==, 0);
  g_assert_cmpuint (s->nodes[fault_worker].kills, ==, 1);
  g_assert_cmpint (s->nodes[fault_worker].fault, ==, ZS_NODE_FAULT_KILLED);
}


/* ---- a throttled link: delay and loss through the engine's relay ---- */

static int throttle_link = -1;

static gboolean
link_throttled (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);

  return s != NULL && s->links[throttle_link].delay_ms == 200 && s->links[throttle_link].loss_percent == 50;
}

/* Finds `label` in `menu`, through its sections and submenus (the path
 * a mouse takes: "_Delay…", then "200 ms"), and activates it as the menu
 * does. */
static gboolean
activate_menu_item (GtkWidget   *widget,
                    GMenuModel  *menu,
                    const char **path)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *text = NULL, *action = NULL;
      g_autoptr(GVariant) target = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);

      if (section != NULL && activate_menu_item (widget, section, path))
        return TRUE;
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &text);
      if (g_strcmp0 (text, path[0]) != 0)
        continue;
      if (submenu != NULL)
        return activate_menu_item (widget, submenu, path + 1);
      g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
      target = g_menu_model_get_item_attribute_value (menu, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      return gtk_widget_activate_action_variant (widget, action, target);
    }
  return FALSE;
}

/* Right-clicks the middle of link `link`'s path, as a mouse does: the
 * canvas selects the link and pops up its faults; `path` is followed
 * through the menu. */
static void
link_menu_item (ZsWindow    *window,
                guint        link,
                const char **path)
{
  ZsCanvas *canvas = window->canvas;
  const ZsLinkLayout *l = g_ptr_array_index (canvas->link_layouts, link);
  graphene_point_t p = _zs_canvas_bezier_point (l, 0.4);

  g_signal_emit_by_name (zs_gui_test_find_controller (GTK_WIDGET (canvas), GTK_TYPE_GESTURE_CLICK), "pressed", 1,
                         p.x * canvas->zoom + canvas->offset_x, p.y * canvas->zoom + canvas->offset_y);
  g_assert_cmpint (zs_canvas_get_selected_link (canvas), ==, (int) link);
  g_assert_true (gtk_widget_get_visible (canvas->fault_menu));
  gtk_popover_popdown (GTK_POPOVER (canvas->fault_menu));
  g_assert_true (activate_menu_item (GTK_WIDGET (canvas),
                                     gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (canvas->fault_menu)), path));
}

/* The user's path: Run the pipeline, right-click the ventilator's link to
 * worker-1, Delay… 200 ms, then Loss… 50 %: the link goes through the
 * relay, its label says "delay 200 ms · loss 50 %", each change is an
 * event of the run, and once stopped its books balance with what the
 * relay lost counted as lost, shown with the final figures. */
static void
test_throttle_link (void)
{
  ZsWindow *window = open_example ("3-parallel-pipeline.json");
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  GPtrArray *links = zs_topology_get_links (topology);
  static const char *delay[] = { "_Delay…", "200 ms", NULL };
  static const char *loss[] = { "_Loss…", "50 %", NULL };
  g_autofree char *shot = NULL;
  const ZsRunEvent *events;
  const ZsSnapshot *s;
  guint n_events, throttled = 0;
  guint worker_1 = zs_topology_find_node_index (topology, zs_topology_find_node (topology, "worker-1"));

  for (guint l = 0; l < links->len; l++)
    if (((ZsLink *) g_ptr_array_index (links, l))->connect_node == worker_1
        && ((ZsLink *) g_ptr_array_index (links, l))->connect_socket == 0)
      throttle_link = (int) l;
  g_assert_cmpint (throttle_link, >=, 0);
  g_object_set (zs_topology_find_node (topology, "ventilator"), "start-delay-ms", 1500, NULL);
  fault_sink = zs_topology_find_node_index (topology, zs_topology_find_node (topology, "sink"));

  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, all_connected, 20000));
  link_menu_item (window, throttle_link, delay);
  link_menu_item (window, throttle_link, loss);
  g_assert_true (zs_gui_test_wait_for (window, link_throttled, 20000));
  g_assert_true (zs_gui_test_wait_for (window, pipeline_midway, 20000));
  g_assert_true (engine_snapshot (window)->links[throttle_link].relayed);
  shot = zs_gui_test_save_png (GTK_WIDGET (window), "live-throttled-link.png");

  events = zs_recording_get_events (zs_run_session_get_recording (window->session), &n_events);
  for (guint i = 0; i < n_events; i++)
    if (events[i].kind == ZS_RUN_EVENT_THROTTLED && events[i].link == throttle_link)
      {
        g_test_message ("event: %s", events[i].text);
        throttled++;
      }
  g_assert_cmpuint (throttled, >=, 1);

  activate (window, "stop");
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 30000));
  s = engine_snapshot (window);
  g_test_message ("worker-1's link: sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT,
                  s->links[throttle_link].sent, s->links[throttle_link].received, s->links[throttle_link].lost);
  for (guint l = 0; l < s->n_links; l++)
    g_assert_cmpuint (s->links[l].sent, ==, s->links[l].received + s->links[l].dropped + s->links[l].unread
                                            + s->links[l].lost + s->links[l].in_flight);
  /* The final figures on the canvas add up: what the relay lost shows. */
  g_assert_cmpuint (s->links[throttle_link].lost, >, 0);
  {
    g_autofree char *lost = g_strdup_printf ("Lost: %" G_GUINT64_FORMAT, s->links[throttle_link].lost);

    g_assert_true (zs_gui_test_canvas_shows (window, lost, "live-throttled-final.png"));
  }
}

static guint64
total_received (ZsWindow *window)
{
  const ZsSnapshot *s = engine_snapshot (window);
  guint64 received = 0;

  for (guint i = 0; s != NULL && i < s->n_nodes; i++)
    received += s->nodes[i].received;
  return received;
}

static gboolean
received_a_million (ZsWindow *window)
{
  return total_received (window) >= 1000000;
}

/* The header's status at 1280×800, mid-run with seven-digit counts and
 * the syncpub example's long title: all of it shown, nothing cut. What
 * a frame's layout gave it, just after the layout. */
typedef struct {
  ZsWindow *window;
  char     *text;
  int       width;
  int       natural;
} StatusSeen;

static void
on_layout_cb (GdkFrameClock *clock,
              StatusSeen    *seen)
{
  GtkWidget *status = GTK_WIDGET (seen->window->status_label);

  if (seen->text != NULL)
    return;
  seen->text = g_strdup (gtk_label_get_label (seen->window->status_label));
  seen->width = gtk_widget_get_width (status);
  gtk_widget_measure (status, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &seen->natural, NULL, NULL);
  /* The measure counts the margins, the width does not. */
  seen->natural -= gtk_widget_get_margin_start (status) + gtk_widget_get_margin_end (status);
}

static void
assert_status_whole (ZsWindow *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  StatusSeen seen = { window, NULL, 0, 0 };
  gulong id = g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout_cb), &seen);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  gtk_widget_queue_resize (GTK_WIDGET (window->status_label));
  while (seen.text == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_signal_handler_disconnect (clock, id);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-syncpub-header.png"));
  g_test_message ("status “%s”: %d px wide, needs %d; title “%s” %d px; window %d", seen.text, seen.width,
                  seen.natural, gtk_label_get_label (window->title_label),
                  gtk_widget_get_width (GTK_WIDGET (window->title_label)), gtk_widget_get_width (GTK_WIDGET (window)));
  g_assert_nonnull (strstr (seen.text, "Running"));
  g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (window->status_label)));
  g_assert_cmpint (seen.width, >=, seen.natural);
  g_free (seen.text);
}

/* The syncpub example, 200,000 updates for each of its ten subscribers:
 * mid-run the header's status shows whole; once done, its tooltip says
 * why received is ten times sent, and each subscriber's
 * tooltip and each update link's (the inspector's figures too) say what
 * their counts count, beside the card's result. */
static void
test_syncpub_status_and_counts (void)
{
  ZsWindow *window = open_example ("8-synchronized-pubsub.json");
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  const char *status_tooltip;

  g_object_set (zs_topology_find_node (topology, "syncpub"), "count", 200000, NULL);
  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, received_a_million, 60000));
  assert_status_whole (window);

  g_assert_true (zs_gui_test_wait_for (window, run_finished, 60000));
  /* Ten subscribers: received is ten times sent, and the status's tooltip
   * says why. */
  status_tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (window->status_label));
  g_assert_nonnull (status_tooltip);
  g_assert_nonnull (strstr (status_tooltip, "once as received by each subscriber that got it"));
  for (guint i = 1; i <= 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("syncsub-%u", i);
      guint index = zs_topology_find_node_index (topology, zs_topology_find_node (topology, name));
      g_autofree char *tooltip = zs_canvas_describe_live_node (window->canvas, index);
      /* The 200,000 updates, END and the sync reply. */
      g_autofree char *all = g_strdup_printf ("\nReceived (all sockets, control messages included): %'" G_GUINT64_FORMAT
                                              "\n", (guint64) 200002);

      g_test_message ("%s: %s", name, tooltip);
      g_assert_nonnull (strstr (tooltip, "\nReceived 200000 messages; last: "));
      g_assert_nonnull (strstr (tooltip, all));
    }
  /* Each update link into a syncsub: the updates and END, and says so;
   * the sync links (a request, a reply) have no end marker. */
  for (guint l = 0; l < zs_topology_get_links (topology)->len; l++)
    {
      const ZsLink *link = g_ptr_array_index (zs_topology_get_links (topology), l);
      g_autofree char *tooltip = zs_canvas_describe_live_link (window->canvas, l);
      g_autofree char *updates = g_strdup_printf ("\nReceived: %'" G_GUINT64_FORMAT " (the end marker “END” included)\n",
                                                  (guint64) 200001);

      g_test_message ("link %u: %s", l, tooltip);
      if (link->to_bind)
        g_assert_null (strstr (tooltip, "end marker"));
      else
        g_assert_nonnull (strstr (tooltip, updates));
    }
  zs_gui_test_close_windows (app);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  app = zs_gui_test_app_new (&argc, &argv);

  g_test_add_func ("/zmqscope/live-view/inproc", test_live_inproc);
  g_test_add_func ("/zmqscope/live-view/step", test_live_step);
  g_test_add_func ("/zmqscope/live-view/slow-not-paused", test_live_slow_not_paused);
  g_test_add_func ("/zmqscope/live-view/node-error", test_live_node_error);
  g_test_add_func ("/zmqscope/live-view/durable", test_live_durable);
  g_test_add_func ("/zmqscope/live-view/scrub", test_live_scrub);
  g_test_add_func ("/zmqscope/live-view/pipeline", test_live_pipeline);
  g_test_add_func ("/zmqscope/live-view/finished", test_live_finished);
  g_test_add_func ("/zmqscope/live-view/pipeline-finished", test_live_pipeline_finished);
  g_test_add_func ("/zmqscope/live-view/frames-keep-what-rests", test_live_frames_keep_what_rests);
  g_test_add_func ("/zmqscope/live-view/stop-rates", test_live_stop_rates);
  g_test_add_func ("/zmqscope/live-view/rate-first-second", test_live_rate_first_second);
  g_test_add_func ("/zmqscope/live-view/unread", test_live_unread);
  g_test_add_func ("/zmqscope/live-view/run-takes-focus", test_run_takes_focus);
  g_test_add_func ("/zmqscope/live-view/cannot-run-banner", test_cannot_run_banner);
  g_test_add_func ("/zmqscope/live-view/open-clears-status", test_open_clears_status);
  g_test_add_func ("/zmqscope/live-view/memory-cap", test_memory_cap);
  g_test_add_func ("/zmqscope/live-view/kill-worker", test_kill_worker);
  g_test_add_func ("/zmqscope/live-view/throttle-link", test_throttle_link);
  g_test_add_func ("/zmqscope/live-view/syncpub-status-and-counts", test_syncpub_status_and_counts);

  ret = g_test_run ();

  close_all_windows ();
  g_clear_object (&app);
  return ret;
}
