/* test-timeline.c: record and replay in the window (issue #11): the event
 * list, the timeline under the canvas, opening and saving recordings;
 * renders timeline-*.png screenshots into the build directory
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "zs-gui-test-app.h"
#include "zs-event-list.h"
#include "zs-recording-source.h"
#include "zs-timeline-private.h"
#include "zs-topology-file.h"
#include "zs-topology-ports.h"

/* A PUSH sending 3000 messages 1 ms apart to a PULL, inproc: about 3 s. */
static const char inproc_topology[] =
  "{ \"zmqscope\": 1, \"title\": \"timeline test\", \"nodes\": ["
  "  { \"name\": \"ventilator\", \"role\": \"ventilator\", \"x\": 80, \"y\": 120,"
  "    \"payload\": [\"task {seq}\"], \"count\": 3000, \"interval-ms\": 1, \"wait-peers\": -1,"
  "    \"sockets\": [ { \"name\": \"push\", \"type\": \"PUSH\", \"binds\": [\"inproc://work\"] } ] },"
  "  { \"name\": \"sink\", \"role\": \"sink\", \"x\": 520, \"y\": 120, \"count\": 3000,"
  "    \"sockets\": [ { \"name\": \"pull\", \"type\": \"PULL\", \"connects\": [\"inproc://work\"] } ] }"
  "] }";

static ZsApplication *app;

static ZsWindow *
open_example (const char *name)
{
  const char *dir = g_getenv ("ZS_EXAMPLES_DIR");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : "data/examples", name, NULL);
  ZsWindow *window = zs_gui_test_present_file (app, path);
  g_autoptr(GError) error = NULL;

  zs_topology_remap_tcp_ports (zs_canvas_get_topology (window->canvas), &error);
  g_assert_no_error (error);
  return window;
}

static char *
tmp_path (const char *name)
{
  const char *build_dir = g_getenv ("ZS_BUILD_DIR");

  return g_build_filename (build_dir != NULL ? build_dir : ".", name, NULL);
}

static void
activate (ZsWindow   *window,
          const char *action)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), action, NULL);
}

static gboolean
action_enabled (ZsWindow   *window,
                const char *action)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), action);
}

static gboolean
run_ended (ZsWindow *window)
{
  return !_zs_window_is_running (window) && action_enabled (window, "run");
}

static ZsTimeline *
timeline (ZsWindow *window)
{
  return ZS_TIMELINE (window->timeline);
}

static ZsEventList *
event_list (ZsWindow *window)
{
  return ZS_EVENT_LIST (window->event_list);
}

/* The first event of the list whose row has `what`, or
 * GTK_INVALID_LIST_POSITION. */
static guint
find_event_row (ZsWindow   *window,
                const char *what)
{
  for (guint i = 0; i < zs_event_list_get_n_events (event_list (window)); i++)
    {
      g_autofree char *text = zs_event_list_dup_text (event_list (window), i);

      if (strstr (text, what) != NULL)
        return i;
    }
  return GTK_INVALID_LIST_POSITION;
}

/* What a click on row `position` of the event list does. */
static void
click_event_row (ZsWindow *window,
                 guint     position)
{
  g_assert_cmpuint (position, <, zs_event_list_get_n_events (event_list (window)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (zs_event_list_get_view (event_list (window))),
                                             "list.select-item", "(ubb)", position, FALSE, FALSE));
  zs_gui_test_iterate ();
}

/* The session's first DROPPED event. */
static const ZsRunEvent *
first_drop_event (ZsRunSession *session)
{
  guint n_events;
  const ZsRunEvent *events = zs_recording_get_events (zs_run_session_get_recording (session), &n_events);

  for (guint i = 0; i < n_events; i++)
    if (events[i].kind == ZS_RUN_EVENT_DROPPED)
      return &events[i];
  g_assert_not_reached ();
}

/* Opens a recording as `zmqscope FILE.zsrec` does. */
static ZsWindow *
open_recording (const char *path)
{
  return zs_gui_test_open_file (app, path);
}

static gboolean
playback_stopped (ZsWindow *window)
{
  return zs_run_session_get_play_speed (window->session) == 0;
}

static void
assert_truncated_refused (const char *path)
{
  g_autofree char *cut = tmp_path ("timeline-cut.zsrec");
  g_autofree char *contents = NULL;
  gsize length;
  ZsWindow *window;
  const char *banner;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (cut, contents, (gssize) length / 2, NULL));
  window = open_recording (cut);
  banner = gtk_label_get_label (window->banner_label);
  g_test_message ("banner: %s", banner);
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_assert_nonnull (strstr (banner, "timeline-cut.zsrec"));
  g_assert_nonnull (strstr (banner, "byte"));
  g_assert_null (window->session);
  g_unlink (cut);
}

/* The file chooser's filter takes a file named `name`. */
static gboolean
chooser_shows (ZsWindow   *window,
                   const char *name)
{
  g_autoptr(GListModel) filters = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (window->file_chooser));
  g_autoptr(GtkFilter) filter = g_list_model_get_item (filters, 0);
  g_autoptr(GFileInfo) info = g_file_info_new ();

  g_file_info_set_display_name (info, name);
  g_file_info_set_name (info, name);
  return gtk_filter_match (filter, info);
}

/* ---- the durable subscriber: run, record, save, open, scrub ---- */

static void
test_record_and_replay (void)
{
  ZsWindow *window = open_example ("10-durable-subscriber.json");
  g_autofree char *path = tmp_path ("timeline-durable.zsrec");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  ZsRunSession *session;
  const ZsRunEvent *drop;
  guint row;
  gint64 drop_us;

  g_assert_false (action_enabled (window, "save-recording"));
  g_assert_false (gtk_widget_get_visible (window->timeline));
  activate (window, "run");
  /* While it runs and follows the live edge, no timeline. */
  g_assert_false (gtk_widget_get_visible (window->timeline));
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 30000));

  /* The event list filled as the run went. */
  g_assert_cmpuint (find_event_row (window, "connected"), !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (find_event_row (window, "dropped"), !=, GTK_INVALID_LIST_POSITION);
  g_assert_cmpuint (find_event_row (window, "done"), !=, GTK_INVALID_LIST_POSITION);

  /* The run ended: the timeline shows its length and the cursor. */
  g_assert_true (gtk_widget_get_visible (window->timeline));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (timeline (window)->live_button)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (gtk_range_get_adjustment (timeline (window)->scale)), ==,
                     (double) zs_run_session_get_duration_us (window->session));
  g_assert_nonnull (strstr (gtk_label_get_label (timeline (window)->time_label), "/"));

  /* Dragging the scale moves the cursor. */
  gtk_range_set_value (timeline (window)->scale, 0);
  g_assert_cmpint (zs_run_session_get_cursor_us (window->session), ==, 0);

  /* Play at 4×: the cursor goes forward; pause stops it. */
  gtk_drop_down_set_selected (timeline (window)->speed_dropdown, 2);
  g_signal_emit_by_name (timeline (window)->play_button, "clicked");
  g_assert_cmpfloat (zs_run_session_get_play_speed (window->session), ==, 4.0);
  zs_gui_test_wait_ms (300);
  g_assert_cmpint (zs_run_session_get_cursor_us (window->session), >, 0);
  g_signal_emit_by_name (timeline (window)->play_button, "clicked");
  g_assert_cmpfloat (zs_run_session_get_play_speed (window->session), ==, 0.0);
  g_assert_cmpfloat (gtk_range_get_value (timeline (window)->scale), ==,
                     (double) zs_run_session_get_cursor_us (window->session));

  /* Save Recording…: a dialog for recordings, then its answer */
  g_assert_true (action_enabled (window, "save-recording"));
  activate (window, "save-recording");
  g_assert_nonnull (window->file_chooser);
  g_assert_true (chooser_shows (window, "durable.zsrec"));
  g_assert_false (chooser_shows (window, "durable.json"));
  gtk_native_dialog_hide (window->file_chooser);
  g_assert_true (_zs_window_save_recording (window, file, &error));
  g_assert_no_error (error);

  /* Open it: a recording's session, nothing runs, Run stays for the topology. */
  window = open_recording (path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  zs_gui_test_wait_ms (200);
  g_assert_nonnull (window->session);
  session = window->session;
  g_assert_true (ZS_IS_RECORDING_SOURCE (zs_run_session_get_source (session)));
  g_assert_false (_zs_window_is_running (window));
  g_assert_true (action_enabled (window, "run"));
  g_assert_true (gtk_widget_get_visible (window->timeline));
  /* The title names the recording. */
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), "timeline-durable.zsrec"));

  /* Scrub to the drops: the canvas shows them. */
  drop = first_drop_event (session);
  drop_us = drop->time_us;
  {
    guint n_events;

    zs_recording_get_events (zs_run_session_get_recording (session), &n_events);
    g_test_message ("recording: %u frames, %u events, %.2f s; first drop (%" G_GUINT64_FORMAT ") at %.2f s",
                    zs_recording_get_n_frames (zs_run_session_get_recording (session)), n_events,
                    zs_run_session_get_duration_us (session) / 1e6, drop->count, drop_us / 1e6);
  }
  gtk_range_set_value (timeline (window)->scale, 0);
  g_assert_false (zs_gui_test_canvas_shows (window, "dropped", "timeline-start.png"));
  gtk_range_set_value (timeline (window)->scale, (double) drop_us);
  g_assert_cmpint (zs_run_session_get_cursor_us (session), ==, drop_us);
  g_assert_true (zs_gui_test_canvas_shows (window, "dropped", "timeline-drops.png"));
  /* The event list marks the last event up to the cursor. */
  {
    guint selected = zs_event_list_get_selected (event_list (window));
    g_autofree char *expected = g_strdup_printf ("%.2f s", drop_us / 1e6);
    g_autofree char *text = NULL;

    g_assert_cmpuint (selected, !=, GTK_INVALID_LIST_POSITION);
    text = zs_event_list_dup_text (event_list (window), selected);
    g_assert_true (g_str_has_prefix (text, expected));
  }

  /* Click the DROPPED event: the cursor goes there. */
  gtk_range_set_value (timeline (window)->scale, 0);
  gtk_stack_set_visible_child_name (window->bottom_stack, "events");
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "timeline-events.png"));
  row = find_event_row (window, "dropped");
  click_event_row (window, row);
  g_assert_cmpint (zs_run_session_get_cursor_us (session), ==, drop_us);
  g_assert_cmpfloat (gtk_range_get_value (timeline (window)->scale), ==, (double) drop_us);
  g_assert_true (zs_gui_test_canvas_shows (window, "dropped", "timeline-event.png"));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "timeline-replay.png"));

  /* Played to its end, playback stops there. */
  gtk_range_set_value (timeline (window)->scale, (double) zs_run_session_get_duration_us (session) - 200000);
  g_signal_emit_by_name (timeline (window)->play_button, "clicked");
  g_assert_true (zs_gui_test_wait_for (window, playback_stopped, 10000));
  g_assert_cmpint (zs_run_session_get_cursor_us (session), ==, zs_run_session_get_duration_us (session));
  g_assert_false (gtk_toggle_button_get_active (timeline (window)->play_button));

  /* The same recording cut in half: refused, saying where. */
  assert_truncated_refused (path);

  zs_gui_test_close_windows (app);
  g_unlink (path);
}

/* ---- the Open dialog offers recordings ---- */

static void
test_open_dialog (void)
{
  g_autofree char *path = tmp_path ("timeline-open.json");
  ZsWindow *window;

  g_assert_true (g_file_set_contents (path, inproc_topology, -1, NULL));
  window = zs_gui_test_present_file (app, path);
  activate (window, "open");
  g_assert_nonnull (window->file_chooser);
  g_assert_true (chooser_shows (window, "durable.zsrec"));
  g_assert_true (chooser_shows (window, "pipeline.json"));
  g_assert_false (chooser_shows (window, "notes.txt"));
  gtk_native_dialog_hide (window->file_chooser);
  zs_gui_test_close_windows (app);
  g_unlink (path);
}

/* ---- a bad recording: a banner with the file, the byte, the reason ---- */

static void
test_bad_recording (void)
{
  g_autofree char *path = tmp_path ("timeline-bad.zsrec");
  ZsWindow *window;
  const char *banner;

  g_assert_true (g_file_set_contents (path, "ZSREC", 5, NULL));
  window = open_recording (path);
  banner = gtk_label_get_label (window->banner_label);
  g_test_message ("banner: %s", banner);
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_assert_nonnull (strstr (banner, "timeline-bad.zsrec"));
  g_assert_nonnull (strstr (banner, "byte"));
  g_assert_null (window->session);
  zs_gui_test_close_windows (app);
  g_unlink (path);
}

/* ---- a long run's events ---- */

/* Row widgets under `widget`: what the list made to show its events. */
static guint
count_labels (GtkWidget *widget)
{
  guint n = GTK_IS_LABEL (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_labels (child);
  return n;
}

/* Whether row `position` of the event list is scrolled into view. */
static gboolean
event_row_in_view (ZsWindow *window,
                   guint     position)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (zs_event_list_get_view (event_list (window))));
  double row = gtk_adjustment_get_upper (adjustment) / zs_event_list_get_n_events (event_list (window));
  double top = gtk_adjustment_get_value (adjustment);

  return position * row >= top - 0.5 && (position + 1) * row <= top + gtk_adjustment_get_page_size (adjustment) + 0.5;
}

/* A recording holding the cap's 10 000 events (a drop a second for close
 * to three hours), opened: the list has every one of them and makes rows
 * only for the few in view. Dragging the timeline to 9000.5 s selects the
 * event of 9000 s and scrolls to it; a click on the one above shows the
 * run at that moment. */
static void
test_many_events (void)
{
  g_autofree char *path = tmp_path ("timeline-many.zsrec");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) topology = zs_topology_load_from_data (inproc_topology, -1, &error);
  g_autoptr(ZsRecording) recording = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autofree char *text = NULL;
  ZsWindow *window;
  ZsEventList *list;

  g_assert_no_error (error);
  recording = zs_recording_new (topology);
  s = zs_snapshot_new (zs_topology_get_n_nodes (topology), zs_topology_get_links (topology)->len);
  for (guint i = 0; i <= ZS_RECORDING_MAX_EVENTS; i++)
    {
      s->time_us = (gint64) i * G_USEC_PER_SEC;
      s->running = TRUE;
      s->links[0].sent = s->links[0].dropped = i;
      zs_recording_append (recording, s);
    }
  g_assert_true (zs_recording_save (recording, path, &error));
  g_assert_no_error (error);

  window = open_recording (path);
  g_assert_nonnull (window->session);
  gtk_stack_set_visible_child_name (window->bottom_stack, "events");
  zs_gui_test_iterate ();
  list = event_list (window);
  g_test_message ("%u events in the list, %u labels made", zs_event_list_get_n_events (list),
                  count_labels (GTK_WIDGET (list)));
  g_assert_cmpuint (zs_event_list_get_n_events (list), ==, ZS_RECORDING_MAX_EVENTS);
  /* Four labels a row: rows for what is in view and around it (GTK 4.8
   * keeps about 200), not one for each of the 10 000 events. */
  g_assert_cmpuint (count_labels (GTK_WIDGET (list)), <, 4 * 300);

  gtk_range_set_value (timeline (window)->scale, 9000.5 * G_USEC_PER_SEC);
  zs_gui_test_iterate ();
  g_assert_cmpuint (zs_event_list_get_selected (list), ==, 8999);
  g_assert_true (event_row_in_view (window, 8999));
  g_assert_true (event_row_in_view (window, 8998));

  click_event_row (window, 8998);
  g_assert_cmpint (zs_run_session_get_cursor_us (window->session), ==, (gint64) 8999 * G_USEC_PER_SEC);
  g_assert_cmpfloat (gtk_range_get_value (timeline (window)->scale), ==, 8999.0 * G_USEC_PER_SEC);
  text = zs_event_list_dup_text (list, zs_event_list_get_selected (list));
  g_assert_true (g_str_has_prefix (text, "8999.00 s"));
  g_assert_nonnull (strstr (text, "1 dropped"));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "timeline-many-events.png"));
  zs_gui_test_close_windows (app);
  g_unlink (path);
}

/* ---- a paused live run: the timeline, and back to live ---- */

static gboolean
has_frames (ZsWindow *window)
{
  return window->session != NULL && zs_run_session_get_duration_us (window->session) > 300000;
}

static gboolean
has_connected_event (ZsWindow *window)
{
  return find_event_row (window, "connected") != GTK_INVALID_LIST_POSITION;
}

static void
test_live_button (void)
{
  g_autofree char *path = tmp_path ("timeline-live.json");
  ZsWindow *window;

  g_assert_true (g_file_set_contents (path, inproc_topology, -1, NULL));
  window = zs_gui_test_present_file (app, path);
  activate (window, "run");
  g_assert_true (zs_gui_test_wait_for (window, has_frames, 20000));
  g_assert_false (gtk_widget_get_visible (window->timeline));
  /* The events come in as the run goes (its threads may start late on a
   * busy machine: waited for, not assumed). */
  g_assert_true (zs_gui_test_wait_for (window, has_connected_event, 20000));

  /* A click on an event shows the run at that moment, and "Live" brings
   * it back to now. */
  click_event_row (window, find_event_row (window, "connected"));
  g_assert_false (zs_run_session_is_following (window->session));
  g_assert_true (gtk_widget_get_visible (window->timeline));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (timeline (window)->live_button)));
  g_signal_emit_by_name (timeline (window)->live_button, "clicked");
  g_assert_true (zs_run_session_is_following (window->session));
  g_assert_false (gtk_widget_get_visible (window->timeline));

  /* Paused, the timeline shows; the cursor at the live edge needs no button. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "pause", g_variant_new_boolean (TRUE));
  zs_gui_test_iterate ();
  g_assert_true (gtk_widget_get_visible (window->timeline));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (timeline (window)->live_button)));

  /* Back in time: "Live" returns to now. */
  gtk_range_set_value (timeline (window)->scale, 0);
  g_assert_false (zs_run_session_is_following (window->session));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (timeline (window)->live_button)));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "timeline-paused.png"));
  g_signal_emit_by_name (timeline (window)->live_button, "clicked");
  g_assert_true (zs_run_session_is_following (window->session));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (timeline (window)->live_button)));

  activate (window, "stop");
  g_assert_true (zs_gui_test_wait_for (window, run_ended, 10000));
  zs_gui_test_close_windows (app);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  app = zs_gui_test_app_new (&argc, &argv);

  g_test_add_func ("/zmqscope/timeline/record-and-replay", test_record_and_replay);
  g_test_add_func ("/zmqscope/timeline/bad-recording", test_bad_recording);
  g_test_add_func ("/zmqscope/timeline/open-dialog", test_open_dialog);
  g_test_add_func ("/zmqscope/timeline/many-events", test_many_events);
  g_test_add_func ("/zmqscope/timeline/live-button", test_live_button);

  ret = g_test_run ();

  zs_gui_test_close_windows (app);
  g_clear_object (&app);
  return ret;
}
