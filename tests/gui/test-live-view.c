/* test-live-view.c: the canvas animating a real run, and the window's speed
 * control; renders live-*.png screenshots into the build directory
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "zs-gui-test-app.h"
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

static ZsApplication *app;

typedef gboolean (*Condition) (ZsWindow *window);

/* Iterates the main loop (frames included) until `condition` holds. */
static gboolean
wait_for (ZsWindow  *window,
          Condition  condition,
          guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (condition (window))
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
    }
  return condition (window);
}

static void
close_all_windows (void)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  zs_gui_test_wait_ms (50);
}

static ZsWindow *
open_window (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ZsWindow *window;

  close_all_windows ();
  window = zs_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (zs_window_open_file (window, file, ZS_OPEN_HERE) == window);
  zs_gui_test_wait_ms (300);
  zs_canvas_fit (window->canvas);
  return window;
}

/* A bundled example, its tcp ports moved to ports free now: the test
 * never depends on what else holds the examples' fixed ports. */
static ZsWindow *
open_example (const char *name)
{
  const char *dir = g_getenv ("ZS_EXAMPLES_DIR");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : "data/examples", name, NULL);
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
  ZsLiveModel *model = zs_canvas_get_live_model (window->canvas);
  const ZsLiveNode *a, *b;

  if (model == NULL)
    return FALSE;
  a = zs_live_model_get_node (model, 0);
  b = zs_live_model_get_node (model, 1);
  return zs_live_model_get_link (model, 0)->rate > 0 &&
         (a->state == ZS_NODE_STATE_RUNNING || a->state == ZS_NODE_STATE_DONE) &&
         (b->state == ZS_NODE_STATE_RUNNING || b->state == ZS_NODE_STATE_DONE);
}

static gboolean
animation_stopped (ZsWindow *window)
{
  return window->canvas->live_tick_id == 0 && window->canvas->live_poll_id == 0;
}

static ZsWindow *
open_inproc_window (void)
{
  g_autoptr(ZsTopology) topology = NULL;
  g_autoptr(GError) error = NULL;
  const char *build_dir = g_getenv ("ZS_BUILD_DIR");
  g_autofree char *path = g_build_filename (build_dir != NULL ? build_dir : ".", "live-test-inproc.json", NULL);

  topology = zs_topology_load_from_data (inproc_topology, -1, &error);
  g_assert_no_error (error);
  g_assert_true (zs_topology_save_to_file (topology, path, &error));
  g_assert_no_error (error);
  return open_window (path);
}

static void
test_live_inproc (void)
{
  ZsWindow *window = open_inproc_window ();
  ZsLiveModel *model;

  g_assert_null (zs_canvas_get_live_model (window->canvas));
  activate (window, "run");
  g_assert_true (_zs_window_is_running (window));
  g_assert_nonnull (zs_canvas_get_live_model (window->canvas));
  g_assert_true (wait_for (window, link_flows, 10000));

  model = zs_canvas_get_live_model (window->canvas);
  g_assert_cmpuint (zs_live_model_get_n_links (model), ==, 1);
  g_assert_cmpfloat (zs_live_model_get_link (model, 0)->rate_log, >=, 0);

  /* Stop keeps the last state on the canvas until the next edit. */
  activate (window, "stop");
  g_assert_false (_zs_window_is_running (window));
  g_assert_true (zs_canvas_get_live_model (window->canvas) == model);
  g_assert_true (wait_for (window, animation_stopped, 5000));
  g_assert_true (zs_canvas_get_live_model (window->canvas) == model);
  g_assert_true (zs_live_model_is_at_rest (model));
  g_assert_cmpuint (window->canvas->live_tick_id, ==, 0);
  g_assert_cmpuint (window->canvas->live_poll_id, ==, 0);
  g_assert_cmpuint (engine_snapshot (window)->links[0].received, >, 0);

  zs_canvas_zoom_in (window->canvas);   /* not an edit */
  g_assert_nonnull (zs_canvas_get_live_model (window->canvas));
  activate (window, "select-all");
  activate (window, "delete");           /* an edit */
  zs_gui_test_wait_ms (50);
  g_assert_null (zs_canvas_get_live_model (window->canvas));
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
  g_autoptr(ZsSnapshot) s = zs_engine_snapshot (window->engine);
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
  g_assert_true (zs_engine_get_state (window->engine) == ZS_ENGINE_STATE_PAUSED);
  g_assert_true (wait_for (window, ventilator_waits, 5000));
  zs_gui_test_wait_ms (300);
  g_assert_cmpuint (total_sent (window), ==, 0);

  activate (window, "step");
  activate (window, "step");
  g_assert_true (wait_for (window, two_received, 5000));
  zs_gui_test_wait_ms (500);
  g_assert_cmpuint (total_sent (window), ==, 2);
  g_assert_cmpuint (engine_snapshot (window)->links[0].received, ==, 2);
  /* Slow mode: one dot is one message. */
  g_assert_cmpuint (zs_live_model_get_link (zs_canvas_get_live_model (window->canvas), 0)->dots_spawned, ==, 2);

  /* Back to a pace: the engine resumes and Step is for pausing again. */
  gtk_drop_down_set_selected (window->speed_dropdown, ZS_WINDOW_SPEED_100);
  g_assert_true (zs_engine_get_state (window->engine) == ZS_ENGINE_STATE_RUNNING);
  g_assert_cmpfloat (zs_engine_get_speed (window->engine), ==, 100.0);
  g_assert_false (g_action_get_enabled (step));
  activate (window, "stop");
  gtk_drop_down_set_selected (window->speed_dropdown, ZS_WINDOW_SPEED_FULL);
  close_all_windows ();
}

/* ---- the durable subscriber: drops ---- */

static gboolean
drops_bursting (ZsWindow *window)
{
  ZsLiveModel *model = zs_canvas_get_live_model (window->canvas);

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

static void
test_live_durable (void)
{
  ZsWindow *window = open_example ("10-durable-subscriber.json");
  ZsLiveModel *model;

  activate (window, "run");
  g_assert_true (wait_for (window, queue_overflows, 20000));
  g_assert_false (node_failed (window));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-durable-midrun.png"));
  /* libzmq does not report PUB drops: the engine sees them when the
   * subscriber is back and waits on an empty queue, while the run goes on. */
  g_assert_true (wait_for (window, drops_bursting, 20000));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-durable-dropping.png"));
  g_assert_true (wait_for (window, run_finished, 20000));
  activate (window, "stop");
  model = zs_canvas_get_live_model (window->canvas);
  g_assert_nonnull (model);
  g_assert_cmpuint (zs_live_model_get_link (model, 0)->drops_total, ==, 10);
  g_assert_cmpuint (zs_live_model_get_link (model, 1)->drops_total, ==, 8);
  /* Both links show their counter: "✕ 10 dropped", "✕ 8 dropped". */
  gtk_widget_queue_draw (GTK_WIDGET (window->canvas));
  zs_gui_test_wait_ms (200);
  g_assert_cmpuint (_zs_canvas_live_get_drawn_drop_labels (window->canvas), ==, 2);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-durable-final.png"));
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
  g_assert_true (wait_for (window, sink_midway, 15000));
  g_assert_false (node_failed (window));
  /* A frame or two with the latest counters. */
  zs_gui_test_wait_ms (40);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-pipeline-midrun.png"));
  g_assert_true (wait_for (window, run_finished, 20000));
  activate (window, "stop");
  /* The charts follow the canvas's run and selection. */
  zs_canvas_select_node (window->canvas, zs_topology_find_node (zs_canvas_get_topology (window->canvas), "sink"));
  gtk_stack_set_visible_child_name (window->bottom_stack, "charts");
  g_assert_true (zs_charts_get_live_model (ZS_CHARTS (window->charts)) ==
                 zs_canvas_get_live_model (window->canvas));
  zs_gui_test_wait_ms (600);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-pipeline-done.png"));
  close_all_windows ();
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  app = zs_gui_test_app_new (&argc, &argv);

  g_test_add_func ("/zmqscope/live-view/inproc", test_live_inproc);
  g_test_add_func ("/zmqscope/live-view/step", test_live_step);
  g_test_add_func ("/zmqscope/live-view/durable", test_live_durable);
  g_test_add_func ("/zmqscope/live-view/pipeline", test_live_pipeline);

  ret = g_test_run ();

  close_all_windows ();
  g_clear_object (&app);
  return ret;
}
