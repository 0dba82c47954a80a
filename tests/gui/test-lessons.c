/* test-lessons.c: a lesson in the window, the way a student gets there:
 * the Lessons menu, the side panel's steps and goals, Check
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zs-dirs.h"
#include "zs-gui-test-app.h"
#include "zs-canvas-private.h"
#include "zs-inspector-private.h"
#include "zs-lesson-panel.h"
#include "../zs-test-util.h"
#include "zs-topology-file.h"
#include "zs-topology-ports.h"
#include <glib/gstdio.h>

static ZsApplication *app;

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

static gboolean
is_goals_list (GtkWidget     *widget,
               gconstpointer  data)
{
  return GTK_IS_LIST_BOX (widget) && gtk_widget_has_css_class (widget, "goals");
}

static gboolean
is_label_starting (GtkWidget     *widget,
                   gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), text);
}

static void
press (GtkWidget  *root,
       const char *label)
{
  GtkWidget *button = zs_gui_test_find_widget (root, is_button_labelled, label);

  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_sensitive (button));
  /* A click (activate waits 250 ms to show the button pressed). */
  g_signal_emit_by_name (button, "clicked");
  zs_gui_test_iterate ();
}

/* The Lessons submenu of the main menu, as the popover shows it. */
static GMenuModel *
find_lessons_menu (GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      g_autoptr(GMenuModel) submenu = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SUBMENU);
      GMenuModel *found;

      if (submenu != NULL && g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label)
          && g_str_equal (label, "_Lessons"))
        return submenu;
      if (section != NULL && (found = find_lessons_menu (section)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_main_menu_button (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL &&
         g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)), "open-menu-symbolic") == 0;
}

/* The lesson files in the lessons folder. */
static int
count_shipped_lessons (void)
{
  g_autoptr(GDir) dir = g_dir_open (zs_dirs_get_lessons_dir (), 0, NULL);
  const char *name;
  int n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    n += g_str_has_suffix (name, ".json");
  g_assert_cmpint (n, >=, 8);
  return n;
}

/* Activates the menu item titled `title` of the Lessons menu, as a click does. */
static void
open_lesson_from_menu (ZsWindow   *window,
                       const char *title)
{
  GtkWidget *header = gtk_window_get_titlebar (GTK_WINDOW (window));
  GtkWidget *button = zs_gui_test_find_widget (header, is_main_menu_button, NULL);
  GMenuModel *lessons;

  g_assert_nonnull (button);
  lessons = find_lessons_menu (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (button)));
  g_assert_nonnull (lessons);
  /* Every shipped lesson, by its title. */
  g_assert_cmpint (g_menu_model_get_n_items (lessons), ==, count_shipped_lessons ());
  for (int i = 0; i < g_menu_model_get_n_items (lessons); i++)
    {
      g_autofree char *label = NULL;
      g_autofree char *action = NULL;
      g_autoptr(GVariant) target = NULL;

      g_assert_true (g_menu_model_get_item_attribute (lessons, i, G_MENU_ATTRIBUTE_LABEL, "s", &label));
      if (!g_str_equal (label, title))
        continue;
      g_assert_true (g_menu_model_get_item_attribute (lessons, i, G_MENU_ATTRIBUTE_ACTION, "s", &action));
      target = g_menu_model_get_item_attribute_value (lessons, i, G_MENU_ATTRIBUTE_TARGET, NULL);
      g_assert_true (g_str_has_prefix (action, "win."));
      g_action_group_activate_action (G_ACTION_GROUP (window), action + strlen ("win."), target);
      zs_gui_test_iterate ();
      return;
    }
  g_assert_not_reached ();
}

static ZsLessonPanel *
get_panel (ZsWindow *window)
{
  g_assert_nonnull (window->lesson_panel);
  g_assert_true (gtk_widget_get_visible (window->lesson_panel));
  return ZS_LESSON_PANEL (window->lesson_panel);
}

static void
on_checked_cb (ZsLessonPanel *panel,
               guint         *n_checked)
{
  (*n_checked)++;
}

typedef struct {
  gint64 last_us;
  gint64 max_gap_us;
} Ticks;

static gboolean
on_tick_cb (gpointer user_data)
{
  Ticks *ticks = user_data;
  gint64 now = g_get_monotonic_time ();

  ticks->max_gap_us = MAX (ticks->max_gap_us, now - ticks->last_us);
  ticks->last_us = now;
  return G_SOURCE_CONTINUE;
}

static gboolean
checked (gpointer n_checked)
{
  return *(guint *) n_checked > 0;
}

/* Check pressed, then the main loop runs (the grade runs in a thread)
 * until the panel shows its grade; a 10 ms timeout measures how long the
 * main loop was ever kept from running meanwhile. */
static void
press_check (ZsLessonPanel *panel)
{
  gint64 start = g_get_monotonic_time ();
  guint n_checked = 0;
  gulong id = g_signal_connect (panel, "checked", G_CALLBACK (on_checked_cb), &n_checked);
  Ticks ticks = { start, 0 };
  guint tick_id = g_timeout_add (10, on_tick_cb, &ticks);

  press (GTK_WIDGET (panel), "_Check");
  g_assert_true (zs_gui_test_iterate_until (checked, &n_checked, 60000));
  g_source_remove (tick_id);
  g_signal_handler_disconnect (panel, id);
  g_test_message ("Check took %.2f s; the main loop's longest wait for its turn: %.1f ms",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC, ticks.max_gap_us / 1000.0);
  g_assert_false (zs_lesson_panel_is_checking (panel));
  zs_gui_test_iterate ();
}

static ZsGoalState
goal_state (ZsLessonPanel  *panel,
            guint           goal,
            const char    **figures)
{
  ZsGoalState state = zs_lesson_panel_get_goal_state (panel, goal, figures);

  g_test_message ("goal %u: %d %s", goal, state, figures != NULL && *figures != NULL ? *figures : "");
  return state;
}

/* The user's fix, with the inspector's edits: a REP "sync" on the
 * publisher (sync-count 1), a REQ "sync" on the subscriber connecting to it. */
static void
synchronise (ZsTopology *topology)
{
  guint16 port = zs_test_free_tcp_port ();
  g_autofree char *bind = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  g_autofree char *connect = g_strdup_printf ("tcp://localhost:%u", port);
  const char *binds[] = { bind, NULL };
  const char *connects[] = { connect, NULL };
  ZsNode *publisher = zs_topology_find_node (topology, "publisher");
  ZsNode *subscriber = zs_topology_find_node (topology, "subscriber");
  g_autoptr(ZsSocketSpec) rep = zs_socket_spec_new ("sync", ZS_SOCKET_REP);
  g_autoptr(ZsSocketSpec) req = zs_socket_spec_new ("sync", ZS_SOCKET_REQ);

  zs_socket_spec_set_binds (rep, binds);
  zs_socket_spec_set_connects (req, connects);
  zs_node_add_socket (publisher, rep);
  g_object_set (publisher, "sync-count", 1, NULL);
  zs_node_add_socket (subscriber, req);
}

static void
save_and_grade (ZsWindow      *window,
                ZsLessonPanel *panel)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zs-lesson-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "mine.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(ZsTopology) saved = NULL;
  g_autoptr(ZsGrade) grade = NULL;

  g_assert_no_error (error);
  g_assert_true (_zs_window_save_to_file (window, file, &error));
  g_assert_no_error (error);
  saved = zs_topology_load_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (zs_node_find_socket (zs_topology_find_node (saved, "publisher"), "sync"));
  g_assert_true (gtk_widget_get_visible (window->lesson_panel));
  grade = zs_lesson_grade_file (zs_lesson_panel_get_lesson (panel), path, 0, ZS_GRADE_FREE_PORTS);
  g_assert_true (grade->passed);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The slow joiner from the Lessons menu: the starting topology fails the
 * goal it should, with its figures; synchronised, every goal passes. */
static void
test_slow_joiner_check (void)
{
  ZsWindow *window = zs_window_new (app);
  ZsLessonPanel *panel;
  ZsTopology *student;
  const char *figures = NULL;
  GtkWidget *step;

  gtk_window_present (GTK_WINDOW (window));
  zs_gui_test_iterate ();
  g_assert_null (window->lesson_panel);

  open_lesson_from_menu (window, "The slow joiner");
  panel = get_panel (window);
  zs_lesson_panel_set_grade_flags (panel, ZS_GRADE_FREE_PORTS);

  /* The starting topology is the student's untitled document. */
  student = zs_canvas_get_topology (window->canvas);
  g_assert_cmpuint (zs_topology_get_n_nodes (student), ==, 2);
  g_assert_null (zs_node_find_socket (zs_topology_find_node (student, "publisher"), "sync"));
  g_assert_null (window->file);
  g_assert_cmpstr (gtk_label_get_label (window->title_label), ==, "The slow joiner");
  g_assert_cmpstr (gtk_label_get_label (window->subtitle_label), ==, "Lesson · not saved yet");
  g_assert_nonnull (zs_gui_test_find_widget (GTK_WIDGET (panel), is_label_starting, "The slow joiner"));
  g_assert_nonnull (zs_gui_test_find_widget (GTK_WIDGET (panel), is_label_starting, "Step 1 of 3"));
  g_assert_nonnull (zs_gui_test_find_widget (GTK_WIDGET (panel), is_label_starting, "Press Run."));
  /* Nothing checked yet but the lock, which holds. */
  g_assert_cmpint (goal_state (panel, 0, NULL), ==, ZS_GOAL_STATE_NOT_CHECKED);
  g_assert_cmpint (goal_state (panel, 3, NULL), ==, ZS_GOAL_STATE_PASSED);

  /* Check on the starting topology: the updates are missed. The slow
   * joiner is a race the publisher wins unless a loaded machine delays
   * it past the subscriber's 500 ms start delay: look for it in up to
   * five Checks, as the engine's slow-joiner test does. */
  for (guint attempt = 0; attempt < 5; attempt++)
    {
      press_check (panel);
      if (goal_state (panel, 0, NULL) == ZS_GOAL_STATE_FAILED)
        break;
      g_test_message ("Check %u: the subscriber was in time; again", attempt + 1);
    }
  g_assert_cmpint (goal_state (panel, 0, &figures), ==, ZS_GOAL_STATE_FAILED);
  g_assert_nonnull (strstr (figures, "subscriber"));
  g_assert_nonnull (strstr (figures, "1000"));
  g_assert_cmpint (goal_state (panel, 1, &figures), ==, ZS_GOAL_STATE_FAILED);
  g_assert_nonnull (strstr (figures, "dropped"));
  g_assert_cmpint (goal_state (panel, 3, NULL), ==, ZS_GOAL_STATE_PASSED);
  /* The subscriber still reaches its end (its idle timeout), and the lock holds. */
  g_assert_cmpint (goal_state (panel, 2, NULL), ==, ZS_GOAL_STATE_PASSED);
  g_assert_nonnull (zs_gui_test_find_widget (GTK_WIDGET (panel), is_label_starting, "2 of 4 goals passed"));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "lesson-panel.png"));

  /* The fix: synchronised, every goal passes. */
  synchronise (student);
  zs_gui_test_iterate ();
  g_assert_cmpint (goal_state (panel, 0, NULL), ==, ZS_GOAL_STATE_NOT_CHECKED);
  press_check (panel);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (goal_state (panel, i, NULL), ==, ZS_GOAL_STATE_PASSED);
  g_assert_nonnull (zs_gui_test_find_widget (GTK_WIDGET (panel), is_label_starting, "4 of 4 goals passed"));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "lesson-panel-passed.png"));

  /* Save As writes the student's file, which `zmqscope grade` passes too. */
  save_and_grade (window, panel);

  /* A locked setting changed: the panel says at once that the lock fails. */
  g_object_set (zs_topology_find_node (student, "publisher"), "count", 5, NULL);
  zs_gui_test_iterate ();
  g_assert_cmpint (goal_state (panel, 3, &figures), ==, ZS_GOAL_STATE_FAILED);
  g_assert_nonnull (strstr (figures, "count"));

  /* Steps: Next, then Back into the first step, which starts the run. */
  step = zs_gui_test_find_widget (GTK_WIDGET (panel), is_label_starting, "Step 1 of 3");
  press (GTK_WIDGET (panel), "_Next");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (step)), ==, "Step 2 of 3");
  g_assert_null (window->session);
  g_object_set (zs_topology_find_node (student, "publisher"), "count", 1000, NULL);
  /* The window's own run: on free ports too. */
  g_assert_true (zs_topology_remap_tcp_ports (student, NULL));
  press (GTK_WIDGET (panel), "_Back");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (step)), ==, "Step 1 of 3");
  /* A run started (the synchronised one may have finished already). */
  g_assert_nonnull (window->session);
  /* Check stops the window's own run first: the grade needs its ports. */
  press_check (panel);
  g_assert_false (_zs_window_is_running (window));
  g_assert_cmpint (goal_state (panel, 0, NULL), ==, ZS_GOAL_STATE_PASSED);

  gtk_window_destroy (GTK_WINDOW (window));
  zs_gui_test_iterate ();
}

/* `zmqscope LESSON.json`: the lesson by its path. A student's topology
 * that does not validate fails Check with the reason; nothing crashes. */
static void
test_open_by_path_invalid (void)
{
  g_autofree char *path = g_build_filename (SOURCE_LESSONS_DIR, "1-slow-joiner.json", NULL);
  ZsWindow *window = zs_gui_test_open_file (app, path);
  ZsLessonPanel *panel = get_panel (window);
  ZsTopology *student = zs_canvas_get_topology (window->canvas);
  ZsNode *subscriber = zs_topology_find_node (student, "subscriber");
  const char *nowhere[] = { "tcp://", NULL };
  const char *figures = NULL;
  g_autoptr(GFile) example = NULL;

  zs_lesson_panel_set_grade_flags (panel, ZS_GRADE_FREE_PORTS);
  g_assert_cmpuint (zs_topology_get_n_nodes (student), ==, 2);
  zs_socket_spec_set_connects (zs_node_find_socket (subscriber, "sub"), nowhere);
  zs_gui_test_iterate ();

  press_check (panel);
  g_assert_cmpint (goal_state (panel, 0, &figures), ==, ZS_GOAL_STATE_FAILED);
  g_assert_nonnull (strstr (figures, "your topology has errors"));
  g_assert_nonnull (zs_gui_test_find_widget (GTK_WIDGET (panel), is_label_starting, "1 of 4 goals passed. Problem: "
                                                                        "your topology has errors"));
  /* The lock still holds: it looks at the file as written. */
  g_assert_cmpint (goal_state (panel, 3, NULL), ==, ZS_GOAL_STATE_PASSED);

  /* Another file: the panel goes. */
  example = g_file_new_build_filename (g_getenv ("ZS_EXAMPLES_DIR"), "1-hello-world.json", NULL);
  g_assert_true (zs_window_open_file (window, example, ZS_OPEN_HERE) == window);
  g_assert_false (gtk_widget_get_visible (window->lesson_panel));
  zs_gui_test_close_windows (app);
}

static gboolean
server_killed_and_back (ZsWindow *window)
{
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  int server = zs_topology_find_node_index (topology, zs_topology_find_node (topology, "server"));
  const ZsSnapshot *s = window->canvas->live_snapshot;

  return s != NULL && s->nodes[server].kills == 1 && s->nodes[server].restarts == 1;
}

/* The lazy pirate's first step says: press Run, the server is killed at
 * 0.8 s and restarted at 1.2 s. In the window, as in a graded run, Run
 * plays the lesson's faults on the run's clock. */
static void
test_window_run_plays_lesson_faults (void)
{
  g_autofree char *path = g_build_filename (SOURCE_LESSONS_DIR, "8-lazy-pirate.json", NULL);
  ZsWindow *window = zs_gui_test_open_file (app, path);
  g_autoptr(GError) error = NULL;

  get_panel (window);
  zs_topology_remap_tcp_ports (zs_canvas_get_topology (window->canvas), &error);
  g_assert_no_error (error);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (zs_gui_test_wait_for (window, server_killed_and_back, 20000));
  g_assert_false (gtk_revealer_get_reveal_child (window->banner_revealer));
  zs_gui_test_close_windows (app);
}

static int
min_width (GtkWidget *widget)
{
  int min = 0;

  gtk_widget_measure (widget, GTK_ORIENTATION_HORIZONTAL, -1, &min, NULL, NULL, NULL);
  return min;
}

/* A class's projector is 1280 pixels wide: with a lesson open, the window
 * still fits it, its inspector and its close button on the screen. */
static void
test_lesson_fits_1280 (void)
{
  g_autofree char *path = g_build_filename (SOURCE_LESSONS_DIR, "1-slow-joiner.json", NULL);
  ZsWindow *window = zs_gui_test_open_file (app, path);

  get_panel (window);
  zs_gui_test_iterate ();
  g_test_message ("window %d, header %d, palette %d, canvas column %d, lesson %d, inspector %d",
                  min_width (GTK_WIDGET (window)), min_width (gtk_window_get_titlebar (GTK_WINDOW (window))),
                  min_width (window->palette), min_width (gtk_widget_get_parent (GTK_WIDGET (window->canvas))),
                  min_width (window->lesson_panel), min_width (window->inspector));
  g_assert_cmpint (min_width (GTK_WIDGET (window)), <=, 1280);
  zs_gui_test_close_windows (app);
}

/* The slow joiner locks the publisher's count, payload, interval and
 * HWM: the inspector shows them insensitive, saying why, and Delete on
 * the publisher's card is refused with a note; the subscriber's settings
 * stay the student's to change. */
static void
test_locked_edits_refused (void)
{
  g_autofree char *path = g_build_filename (SOURCE_LESSONS_DIR, "1-slow-joiner.json", NULL);
  ZsWindow *window = zs_gui_test_open_file (app, path);
  ZsCanvas *canvas = window->canvas;
  ZsInspector *inspector = ZS_INSPECTOR (window->inspector);
  ZsTopology *student = zs_canvas_get_topology (canvas);
  ZsNode *publisher = zs_topology_find_node (student, "publisher");
  GtkWidget *editor;
  GtkWidget *remove;
  GtkWidget *label;

  get_panel (window);
  zs_canvas_select_node (canvas, publisher);
  zs_gui_test_iterate ();
  editor = _zs_inspector_get_editor (inspector, -1, "count");
  g_assert_nonnull (editor);
  g_assert_false (gtk_widget_is_sensitive (editor));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (gtk_widget_get_parent (editor)), ==,
                   "Locked by the lesson: it stays as the lesson has it");
  g_assert_false (gtk_widget_is_sensitive (_zs_inspector_get_editor (inspector, 0, "sndhwm")));
  g_assert_false (gtk_widget_is_sensitive (_zs_inspector_get_editor (inspector, -1, "name")));
  g_assert_true (gtk_widget_is_sensitive (_zs_inspector_get_editor (inspector, 0, "rcvhwm")));

  /* Its socket's trash button is refused too, saying why; the subscriber's
   * socket stays the student's to remove. */
  remove = _zs_inspector_get_remove_socket (inspector, 0);
  g_assert_nonnull (remove);
  g_assert_false (gtk_widget_is_sensitive (remove));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (remove), ==,
                   "Locked by the lesson: it stays as the lesson has it");

  /* Delete, as the key does: refused, the card stays, a note says why. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.delete", NULL));
  zs_gui_test_iterate ();
  g_assert_true (zs_topology_find_node (student, "publisher") == publisher);
  g_assert_nonnull (canvas->refusal);
  g_assert_true (gtk_widget_get_visible (canvas->refusal));
  label = gtk_popover_get_child (GTK_POPOVER (canvas->refusal));
  g_test_message ("refused: %s", gtk_label_get_text (GTK_LABEL (label)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==,
                   "Node “publisher” is locked by the lesson: it stays as the lesson has it");

  /* The subscriber is the student's. */
  zs_canvas_select_node (canvas, zs_topology_find_node (student, "subscriber"));
  zs_gui_test_iterate ();
  g_assert_true (gtk_widget_is_sensitive (_zs_inspector_get_editor (inspector, -1, "start-delay-ms")));
  g_assert_true (gtk_widget_is_sensitive (_zs_inspector_get_remove_socket (inspector, 0)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (_zs_inspector_get_remove_socket (inspector, 0)), ==,
                   "Remove this socket");
  zs_gui_test_close_windows (app);
}

/* A lesson whose second step breaks the run: a publisher that never
 * ends and its subscriber; Next to step 2 kills the subscriber. */
#define FAULT_LESSON \
  "{ \"zmqscope-lesson\": 1, \"title\": \"Kill on Next\", \"seconds\": 5,\n" \
  "  \"topology\": { \"zmqscope\": 1, \"nodes\": [\n" \
  "    { \"name\": \"pub\", \"role\": \"publisher\", \"payload\": [\"x\"], \"count\": 0, \"interval-ms\": 10,\n" \
  "      \"sockets\": [ { \"name\": \"pub\", \"type\": \"PUB\", \"binds\": [\"inproc://news\"] } ] },\n" \
  "    { \"name\": \"sub\", \"role\": \"subscriber\",\n" \
  "      \"sockets\": [ { \"name\": \"sub\", \"type\": \"SUB\", \"connects\": [\"inproc://news\"], " \
  "\"subscribe\": [\"\"] } ] } ] },\n" \
  "  \"solution\": SAME,\n" \
  "  \"steps\": [ { \"text\": \"Press Run.\", \"action\": \"start\" },\n" \
  "             { \"text\": \"Next killed the subscriber.\", \"fault\": \"kill sub\" } ],\n" \
  "  \"goals\": [ { \"kind\": \"no-drops\" } ] }\n"

static gboolean
subscriber_killed (ZsWindow *window)
{
  const ZsSnapshot *s = window->canvas->live_snapshot;

  return s != NULL && s->nodes[1].fault == ZS_NODE_FAULT_KILLED && s->nodes[1].kills == 1;
}

/* The panel's Next may break the run: on a step with a fault, Next
 * applies it to the window's run (the subscriber is killed); without a
 * run, the banner says to press Run first. */
static void
test_next_applies_fault (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zs-lesson-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "kill-on-next.json", NULL);
  g_auto(GStrv) halves = g_strsplit (FAULT_LESSON, "SAME", 2);
  g_autofree char *topology = NULL;
  g_autofree char *text = NULL;
  ZsWindow *window;
  ZsLessonPanel *panel;

  /* The solution is the topology. */
  topology = g_strndup (strstr (FAULT_LESSON, "{ \"zmqscope\": 1"),
                        strstr (FAULT_LESSON, ",\n  \"solution\"") - strstr (FAULT_LESSON, "{ \"zmqscope\": 1"));
  text = g_strconcat (halves[0], topology, halves[1], NULL);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, text, -1, &error));
  window = zs_gui_test_open_file (app, path);
  panel = get_panel (window);

  /* Next before Run: nothing to break, the banner says so. */
  press (GTK_WIDGET (panel), "_Next");
  g_assert_cmpuint (zs_lesson_panel_get_step (panel), ==, 1);
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_test_message ("banner: %s", gtk_label_get_label (window->banner_label));
  g_assert_nonnull (strstr (gtk_label_get_label (window->banner_label), "kill sub"));

  /* Back to the first step (its action starts the run), Next kills. */
  press (GTK_WIDGET (panel), "_Back");
  g_assert_true (_zs_window_is_running (window));
  press (GTK_WIDGET (panel), "_Next");
  g_assert_true (zs_gui_test_wait_for (window, subscriber_killed, 10000));
  g_assert_true (_zs_window_is_running (window));
  zs_gui_test_close_windows (app);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
on_layout_cb (GdkFrameClock *clock,
              gboolean      *done)
{
  *done = TRUE;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Presses `label` in the lesson panel, then runs the main loop until a
 * frame of the window has been laid out since: what the press changed
 * (a step's text) has its place then. */
static void
press_and_lay_out (ZsWindow   *window,
                   const char *label)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  gboolean done = FALSE;
  gulong id = g_signal_connect_after (clock, "layout", G_CALLBACK (on_layout_cb), &done);
  guint wake = g_timeout_add (20, wake_cb, NULL);

  press (window->lesson_panel, label);
  while (!done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake);
  g_signal_handler_disconnect (clock, id);
}

/* A label of the goals list gets the height its text needs at its width,
 * and lies inside the list: the list's background ends below it. */
static void
assert_labels_inside (GtkWidget *widget,
                      GtkWidget *list)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    assert_labels_inside (child, list);
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget))
    {
      graphene_rect_t bounds;
      int needed = 0;

      g_assert_true (gtk_widget_compute_bounds (widget, list, &bounds));
      gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (widget), NULL, &needed, NULL, NULL);
      needed -= gtk_widget_get_margin_top (widget) + gtk_widget_get_margin_bottom (widget);
      g_test_message ("“%.24s”: %.0f×%.0f at y %.0f, needs %d high; list %d high", gtk_label_get_label (GTK_LABEL (widget)),
                      bounds.size.width, bounds.size.height, bounds.origin.y, needed, gtk_widget_get_height (list));
      g_assert_cmpfloat (bounds.size.height, >=, needed);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (list));
    }
}

/* Tab, all the way round the window: it stops on buttons, rows and the
 * canvas, never on a label (the lesson's texts are selectable with the
 * mouse, not stops of the tab chain). */
static void
assert_no_label_takes_focus (ZsWindow *window)
{
  GtkWidget *focus = gtk_window_get_focus (GTK_WINDOW (window));
  GtkWidget *first = NULL;

  g_test_message ("focus: %s", focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "none");
  g_assert_false (GTK_IS_LABEL (focus));
  for (guint i = 0; i < 500; i++)
    {
      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
      focus = gtk_window_get_focus (GTK_WINDOW (window));
      if (GTK_IS_LABEL (focus))
        g_test_message ("Tab %u stops on the label “%.40s”", i, gtk_label_get_label (GTK_LABEL (focus)));
      g_assert_false (GTK_IS_LABEL (focus));
      if (focus == first)
        return;
      if (first == NULL)
        first = focus;
    }
}

/* Lessons 2, 5 and 8 from the Lessons menu, as a student opens them;
 * the window is titled by the lesson. Next (a click: the button takes
 * the focus) changes the step's text and its height: every goal still
 * lies inside the goals list, and no label took the focus. */
static void
test_lesson_next_layout_and_focus (void)
{
  const char *titles[] = { "HWM drops and the durable subscriber", "The broker that lets clients and workers scale",
                           "A dead server and the lazy pirate client" };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      ZsWindow *window = zs_window_new (app);
      g_autofree char *png = g_strdup_printf ("lesson-after-next-%u.png", i);
      GtkWidget *next;

      gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
      gtk_window_present (GTK_WINDOW (window));
      zs_gui_test_iterate ();
      open_lesson_from_menu (window, titles[i]);
      g_assert_cmpstr (gtk_label_get_label (window->title_label), ==, titles[i]);

      next = zs_gui_test_find_widget (window->lesson_panel, is_button_labelled, "_Next");
      gtk_widget_grab_focus (next);
      press_and_lay_out (window, "_Next");
      assert_labels_inside (zs_gui_test_find_widget (window->lesson_panel, is_goals_list, NULL),
                            zs_gui_test_find_widget (window->lesson_panel, is_goals_list, NULL));
      g_free (zs_gui_test_save_png (GTK_WIDGET (window), png));
      assert_no_label_takes_focus (window);
      zs_gui_test_close_windows (app);
    }
}

/* The button is inside its scrolled window's visible area, whole. */
static gboolean
fix_button_shown (ZsWindow *window)
{
  GtkWidget *fix = zs_gui_test_find_widget (GTK_WIDGET (window->findings_list), is_button_labelled,
                                            "Add external program here");
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (window->findings_list), GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  return fix != NULL && gtk_widget_get_mapped (fix) && gtk_widget_compute_bounds (fix, scrolled, &bounds)
         && bounds.size.height > 0 && bounds.origin.y >= 0
         && bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scrolled);
}

/* Lesson 5 starts with a warning on worker-2 and its one-click fix: at
 * 1280×800, beside the lesson panel, the Problems page shows both whole
 * (the wrapped warning measured short once cut the button off). */
static void
test_problem_fix_shown (void)
{
  ZsWindow *window = zs_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  zs_gui_test_iterate ();
  open_lesson_from_menu (window, "The broker that lets clients and workers scale");
  /* The Problems tab, as the user clicks it. */
  gtk_stack_set_visible_child_name (GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (window->findings_list),
                                                                        GTK_TYPE_STACK)), "problems");
  g_assert_true (zs_gui_test_wait_for (window, fix_button_shown, 10000));
  zs_gui_test_close_windows (app);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  app = zs_gui_test_app_new (&argc, &argv);
  g_test_add_func ("/zmqscope/lessons/slow-joiner-check", test_slow_joiner_check);
  g_test_add_func ("/zmqscope/lessons/lesson-fits-1280", test_lesson_fits_1280);
  g_test_add_func ("/zmqscope/lessons/next-layout-and-focus", test_lesson_next_layout_and_focus);
  g_test_add_func ("/zmqscope/lessons/problem-fix-shown", test_problem_fix_shown);
  g_test_add_func ("/zmqscope/lessons/open-by-path-invalid", test_open_by_path_invalid);
  g_test_add_func ("/zmqscope/lessons/next-applies-fault", test_next_applies_fault);
  g_test_add_func ("/zmqscope/lessons/locked-edits-refused", test_locked_edits_refused);
  g_test_add_func ("/zmqscope/lessons/window-run-plays-lesson-faults", test_window_run_plays_lesson_faults);
  ret = g_test_run ();
  g_clear_object (&app);
  return ret;
}
