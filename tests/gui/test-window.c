/* test-window.c: the app window, driven through its actions
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "zs-gui-test-app.h"
#include "zs-examples.h"
#include "../zs-test-util.h"
#include "zs-topology-file.h"
#include "zs-validator.h"
#include "zs-window-private.h"

static ZsApplication *app;

static char *
get_example_path (void)
{
  g_autofree char *path = zs_examples_build_path (ZS_DEFAULT_EXAMPLE);

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    g_error ("The bundled example %s is missing: the window opens on it", path);

  return g_steal_pointer (&path);
}

static char *
make_temp_path (const char *name)
{
  g_autofree char *dir = g_dir_make_tmp ("zs-test-window-XXXXXX", NULL);

  g_assert_nonnull (dir);
  return g_build_filename (dir, name, NULL);
}

static void
remove_temp_path (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

/* PUB -> REQ: a pair ZeroMQ refuses. */
static char *
write_incompatible_topology (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsNode) publisher = zs_node_new_for_role ("publisher", ZS_ROLE_PUBLISHER);
  g_autoptr(ZsNode) client = zs_node_new_for_role ("client", ZS_ROLE_CLIENT);
  guint16 port = zs_test_free_tcp_port ();
  g_autofree char *bind = g_strdup_printf ("tcp://*:%u", port);
  g_autofree char *connect = g_strdup_printf ("tcp://localhost:%u", port);
  const char *binds[] = { bind, NULL };
  const char *connects[] = { connect, NULL };
  g_autoptr(GError) error = NULL;
  char *path = make_temp_path ("incompatible.json");

  zs_socket_spec_set_binds (zs_node_get_socket (publisher, 0), binds);
  zs_socket_spec_set_connects (zs_node_get_socket (client, 0), connects);
  zs_node_set_position (client, 300, 0);
  zs_topology_add_node (topology, publisher);
  zs_topology_add_node (topology, client);
  zs_topology_save_to_file (topology, path, &error);
  g_assert_no_error (error);

  return path;
}

static void
test_window_opens_example (void)
{
  g_autofree char *path = get_example_path ();
  ZsWindow *window = zs_gui_test_open_file (app, path);
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  g_autofree char *name = g_path_get_basename (path);

  g_assert_cmpuint (zs_topology_get_n_nodes (topology), >, 0);
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), name));
  g_assert_null (strstr (gtk_window_get_title (GTK_WINDOW (window)), "•"));
  g_assert_false (gtk_revealer_get_reveal_child (window->banner_revealer));
  zs_gui_test_close_windows (app);
}

static void
test_window_save_as_round_trip (void)
{
  g_autofree char *path = get_example_path ();
  g_autofree char *copy_path = make_temp_path ("copy.json");
  g_autoptr(GFile) copy = g_file_new_for_path (copy_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) reloaded = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  ZsWindow *window = zs_gui_test_open_file (app, path);

  /* What win.save-as does once the dialog answered. */
  g_assert_true (_zs_window_save_to_file (window, copy, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_equal (window->file, copy));
  g_assert_false (window->is_example);

  reloaded = zs_topology_load_from_file (copy_path, &error);
  g_assert_no_error (error);
  before = zs_topology_save_to_data (zs_canvas_get_topology (window->canvas), NULL);
  after = zs_topology_save_to_data (reloaded, NULL);
  g_assert_cmpstr (before, ==, after);

  zs_gui_test_close_windows (app);
  remove_temp_path (copy_path);
}

static void
test_window_undo (void)
{
  g_autofree char *path = get_example_path ();
  ZsWindow *window = zs_gui_test_open_file (app, path);
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  guint n_nodes = zs_topology_get_n_nodes (topology);
  GAction *undo = g_action_map_lookup_action (G_ACTION_MAP (window), "undo");

  g_assert_false (g_action_get_enabled (undo));

  zs_canvas_add_node_at_center (window->canvas, ZS_ROLE_WORKER);
  zs_gui_test_iterate ();
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, n_nodes + 1);
  g_assert_true (g_action_get_enabled (undo));
  g_assert_nonnull (strstr (gtk_window_get_title (GTK_WINDOW (window)), "•"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "undo", NULL);
  zs_gui_test_iterate ();
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, n_nodes);
  g_assert_false (g_action_get_enabled (undo));
  g_assert_null (strstr (gtk_window_get_title (GTK_WINDOW (window)), "•"));

  zs_gui_test_close_windows (app);
}

static void
test_window_findings (void)
{
  g_autofree char *path = write_incompatible_topology ();
  ZsWindow *window = zs_gui_test_open_file (app, path);
  GtkListBoxRow *row;
  const ZsFinding *finding;

  zs_gui_test_iterate ();
  g_assert_true (zs_findings_have_errors (window->findings));
  row = gtk_list_box_get_row_at_index (window->findings_list, 0);
  g_assert_nonnull (row);

  /* Clicking a problem selects its culprit on the canvas. */
  finding = g_ptr_array_index (window->findings, 0);
  g_signal_emit_by_name (window->findings_list, "row-activated", row);
  if (finding->link >= 0)
    g_assert_cmpint (zs_canvas_get_selected_link (window->canvas), ==, finding->link);
  else
    g_assert_cmpstr (zs_node_get_name (zs_canvas_get_selected_node (window->canvas)), ==, finding->node);

  zs_gui_test_close_windows (app);
  remove_temp_path (path);
}

static void
test_window_run_refuses_errors (void)
{
  g_autofree char *path = write_incompatible_topology ();
  ZsWindow *window = zs_gui_test_open_file (app, path);

  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  zs_gui_test_iterate ();
  g_assert_null (window->session);
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_assert_true (gtk_widget_has_css_class (window->banner_box, "error"));
  g_assert_cmpstr (gtk_label_get_label (window->banner_label), !=, "");

  zs_gui_test_close_windows (app);
  remove_temp_path (path);
}

static void
test_window_failed_open_keeps_document (void)
{
  g_autofree char *path = get_example_path ();
  g_autofree char *bad_path = make_temp_path ("broken.json");
  g_autoptr(GFile) bad = g_file_new_for_path (bad_path);
  g_autoptr(GError) error = NULL;
  ZsWindow *window = zs_gui_test_open_file (app, path);
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  guint n_nodes = zs_topology_get_n_nodes (topology);

  g_file_set_contents (bad_path, "{\n  \"nodes\": [\n    {,\n", -1, &error);
  g_assert_no_error (error);

  g_assert_true (zs_window_open_file (window, bad, 0) == window);
  g_assert_true (zs_canvas_get_topology (window->canvas) == topology);
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, n_nodes);
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_assert_nonnull (strstr (gtk_label_get_label (window->banner_label), "broken.json"));

  zs_gui_test_close_windows (app);
  remove_temp_path (bad_path);
}

/* `zmqscope missing.json`: a banner names the file and the reason, and the
 * empty document cannot be run until it has a node. */
static void
test_window_missing_file_from_command_line (void)
{
  g_autofree char *path = make_temp_path ("missing.json");
  ZsWindow *window = zs_gui_test_open_file (app, path);
  GAction *run = g_action_map_lookup_action (G_ACTION_MAP (window), "run");
  const char *banner;

  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_assert_true (gtk_widget_has_css_class (window->banner_box, "error"));
  banner = gtk_label_get_label (window->banner_label);
  g_assert_nonnull (strstr (banner, "missing.json"));
  g_assert_nonnull (strstr (banner, g_strerror (ENOENT)));

  /* Not "valid, press Run": there is nothing to run. */
  g_assert_false (g_action_get_enabled (run));
  g_assert_cmpstr (gtk_label_get_label (window->findings_hint), ==,
                   "Drag a role from the palette to start: an empty topology has nothing to run.");
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  zs_gui_test_iterate ();
  g_assert_null (window->session);

  /* A node from the palette: now it can run. */
  zs_canvas_add_node_at_center (window->canvas, ZS_ROLE_PUBLISHER);
  zs_gui_test_iterate ();
  g_assert_true (g_action_get_enabled (run));
  g_assert_cmpstr (gtk_label_get_label (window->findings_hint), ==,
                   "The topology is valid: press Run (F5) to start it.");

  zs_gui_test_close_windows (app);
  remove_temp_path (path);
}

/* A new window starts as the user left the last one: size, maximised,
 * speed, bottom page (GSETTINGS_BACKEND=memory: never the user's). */
static void
test_window_remembers_settings (void)
{
  g_autofree char *path = get_example_path ();
  GSettings *settings = zs_application_get_settings (app);
  ZsWindow *window;
  int width, height;

  g_assert_nonnull (settings);
  g_settings_reset (settings, "window-maximized");

  window = zs_gui_test_open_file (app, path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_drop_down_set_selected (window->speed_dropdown, ZS_WINDOW_SPEED_5);
  gtk_stack_set_visible_child_name (window->bottom_stack, "charts");
  zs_gui_test_iterate ();
  /* The user closes it (Ctrl+W, the title bar's button). */
  gtk_window_close (GTK_WINDOW (window));
  zs_gui_test_iterate ();
  g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));

  window = zs_gui_test_open_file (app, path);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1100);
  g_assert_cmpint (height, ==, 700);
  g_assert_false (gtk_window_is_maximized (GTK_WINDOW (window)));
  g_assert_cmpuint (window->speed, ==, ZS_WINDOW_SPEED_5);
  g_assert_cmpuint (gtk_drop_down_get_selected (window->speed_dropdown), ==, ZS_WINDOW_SPEED_5);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (window->bottom_stack), ==, "charts");
  g_assert_cmpstr (g_settings_get_string (settings, "speed"), ==, "5");
  zs_gui_test_close_windows (app);

  /* Left maximised: the next window asks to be (Xvfb has no window
   * manager to grant it, so look before it is shown). */
  g_settings_set_boolean (settings, "window-maximized", TRUE);
  window = zs_window_new (app);
  g_assert_true (gtk_window_is_maximized (GTK_WINDOW (window)));
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_reset (settings, "window-maximized");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "speed");
  g_settings_reset (settings, "bottom-page");
}

/* The title of the Examples menu's row `index`: "3. Parallel pipeline …" */
static const char *
get_example_row_title (ZsWindow *window,
                       int       index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (window->examples_list, index);
  GtkWidget *box;

  g_assert_nonnull (row);
  box = gtk_list_box_row_get_child (row);
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (box)));
}

/* The user's path: the header bar's Examples button, the popover, a row. */
static void
test_window_examples_menu (void)
{
  g_autofree char *path = get_example_path ();
  ZsWindow *window = zs_gui_test_open_file (app, path);
  GtkPopover *popover = gtk_menu_button_get_popover (window->examples_button);
  g_autofree char *opened = NULL;
  int n_rows = 0;

  gtk_window_present (GTK_WINDOW (window));
  gtk_menu_button_popup (window->examples_button);
  zs_gui_test_iterate ();
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (window->examples_list), GTK_WIDGET (popover)));

  /* Ten lessons, numbered, in the guide's order: 1, 2, ... 10. */
  while (gtk_list_box_get_row_at_index (window->examples_list, n_rows) != NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("%d. ", n_rows + 1);

      g_assert_true (g_str_has_prefix (get_example_row_title (window, n_rows), prefix));
      n_rows++;
    }
  g_assert_cmpint (n_rows, ==, 10);
  g_assert_cmpstr (get_example_row_title (window, 0), ==, "1. Hello World (request–reply)");
  g_assert_cmpstr (get_example_row_title (window, 9), ==, "10. Durable subscriber (durapub, durasub)");

  /* Choosing one opens it and closes the menu. */
  gtk_widget_activate (GTK_WIDGET (gtk_list_box_get_row_at_index (window->examples_list, 0)));
  zs_gui_test_iterate ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (popover)));
  g_assert_nonnull (window->file);
  opened = g_file_get_basename (window->file);
  g_assert_cmpstr (opened, ==, "1-hello-world.json");
  g_assert_true (window->is_example);
  g_assert_cmpstr (zs_topology_get_title (zs_canvas_get_topology (window->canvas)), ==,
                   "Hello World (request–reply)");

  zs_gui_test_close_windows (app);
}

/* The menu's titles and descriptions (which xgettext sees) are the files' own. */
static void
test_window_examples_match_files (void)
{
  g_autoptr(GPtrArray) examples = zs_examples_list ();
  g_autoptr(GDir) dir = g_dir_open (zs_examples_get_dir (), 0, NULL);
  const char *name;
  guint n_files = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(ZsTopology) topology = NULL;
      g_autoptr(GError) error = NULL;
      const ZsExample *example = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      n_files++;
      for (guint i = 0; i < examples->len && example == NULL; i++)
        if (g_str_equal (((ZsExample *) g_ptr_array_index (examples, i))->file_name, name))
          example = g_ptr_array_index (examples, i);
      if (example == NULL)
        g_error ("%s is missing from the lessons of app/zs-examples.c", name);

      path = g_build_filename (zs_examples_get_dir (), name, NULL);
      topology = zs_topology_load_from_file (path, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (example->title, ==, zs_topology_get_title (topology));
      g_assert_cmpstr (example->description, ==, zs_topology_get_description (topology));
    }
  g_assert_cmpuint (examples->len, ==, n_files);
}

/* The speed menu says what the engine does: each rate is per sender (a
 * class must not read 0.2 msg/s on a link as a bug of a 5 msg/s setting). */
static void
test_window_speed_labels (void)
{
  g_autofree char *path = get_example_path ();
  ZsWindow *window = zs_gui_test_open_file (app, path);
  GListModel *items = G_LIST_MODEL (gtk_drop_down_get_model (window->speed_dropdown));
  const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (window->speed_dropdown));
  static const guint rates[] = { 1, 5, 20, 100 };

  g_assert_cmpuint (g_list_model_get_n_items (items), ==, ZS_WINDOW_SPEED_FULL + 1);
  for (guint i = ZS_WINDOW_SPEED_1; i <= ZS_WINDOW_SPEED_100; i++)
    {
      const char *label = gtk_string_list_get_string (GTK_STRING_LIST (items), i);
      g_autofree char *expected = g_strdup_printf ("%u msg/s per sender", rates[i - ZS_WINDOW_SPEED_1]);

      g_assert_cmpstr (label, ==, expected);
      gtk_drop_down_set_selected (window->speed_dropdown, i);
      g_assert_cmpuint (window->speed, ==, i);
    }
  g_assert_nonnull (strstr (tooltip, "each sender"));
  gtk_drop_down_set_selected (window->speed_dropdown, ZS_WINDOW_SPEED_FULL);
  zs_gui_test_close_windows (app);
}

/* A client that connects to `port` where nothing in the file binds. */
static char *
write_lonely_client_topology (guint16 port)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsNode) client = zs_node_new_for_role ("client", ZS_ROLE_CLIENT);
  g_autofree char *connect = g_strdup_printf ("tcp://localhost:%u", port);
  const char *connects[] = { connect, NULL };
  g_autoptr(GError) error = NULL;
  char *path = make_temp_path ("lonely.json");

  zs_socket_spec_set_connects (zs_node_get_socket (client, 0), connects);
  zs_topology_add_node (topology, client);
  zs_topology_save_to_file (topology, path, &error);
  g_assert_no_error (error);
  return path;
}

static GtkWidget *
find_button (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = find_button (child);

      if (button != NULL)
        return button;
    }
  return NULL;
}

static gboolean
two_nodes (ZsWindow *window)
{
  return zs_topology_get_n_nodes (zs_canvas_get_topology (window->canvas)) >= 2;
}

/* "No node binds …": the Problems row's button draws the outside program
 * there, in one undoable step, and the warning goes away. */
static void
test_window_add_external_fix (void)
{
  guint16 port = zs_test_free_tcp_port ();
  g_autofree char *path = write_lonely_client_topology (port);
  g_autofree char *bind = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  ZsWindow *window = zs_gui_test_open_file (app, path);
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  GtkListBoxRow *row;
  GtkWidget *button;
  ZsNode *external;
  ZsSocketSpec *rep;

  zs_gui_test_iterate ();
  g_assert_cmpuint (window->findings->len, ==, 1);
  row = gtk_list_box_get_row_at_index (window->findings_list, 0);
  g_assert_nonnull (row);
  button = find_button (GTK_WIDGET (row));
  g_assert_nonnull (button);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "Add external program here");

  /* As the keyboard does: GtkButton emits "clicked" when its activation ends. */
  gtk_widget_activate (button);
  zs_gui_test_wait_for (window, two_nodes, 5000);
  zs_gui_test_iterate ();
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, 2);
  external = zs_topology_get_node (topology, 1);
  g_assert_true (zs_node_is_external (external));
  g_assert_true (zs_canvas_get_selected_node (window->canvas) == external);
  rep = zs_node_get_socket (external, 0);
  g_assert_cmpint (zs_socket_spec_get_socket_type (rep), ==, ZS_SOCKET_REP);
  g_assert_cmpstr (zs_socket_spec_get_binds (rep)[0], ==, bind);
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, 1);
  g_assert_cmpuint (window->findings->len, ==, 0);

  g_action_group_activate_action (G_ACTION_GROUP (window), "undo", NULL);
  zs_gui_test_iterate ();
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, 1);
  g_assert_cmpuint (window->findings->len, ==, 1);

  zs_gui_test_close_windows (app);
  remove_temp_path (path);
}

/* The first window on a large screen (a projector at 1920×1080) uses most of
 * it; on a small one it keeps 1280×800, never more than the screen. */
static void
test_window_first_size (void)
{
  const struct { int screen_w, screen_h, w, h; } cases[] = {
    { 1920, 1080, 1728, 972 },
    { 1280, 800, 1280, 800 },
    { 1024, 768, 1024, 768 },
    { 3840, 2160, 3456, 1944 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GdkRectangle screen = { 0, 0, cases[i].screen_w, cases[i].screen_h };
      int width = 0, height = 0;

      _zs_window_first_size (&screen, &width, &height);
      g_assert_cmpint (width, ==, cases[i].w);
      g_assert_cmpint (height, ==, cases[i].h);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  app = zs_gui_test_app_new (&argc, &argv);

  g_test_add_func ("/zmqscope/window/opens-example", test_window_opens_example);
  g_test_add_func ("/zmqscope/window/save-as-round-trip", test_window_save_as_round_trip);
  g_test_add_func ("/zmqscope/window/undo", test_window_undo);
  g_test_add_func ("/zmqscope/window/findings", test_window_findings);
  g_test_add_func ("/zmqscope/window/run-refuses-errors", test_window_run_refuses_errors);
  g_test_add_func ("/zmqscope/window/failed-open-keeps-document",
                   test_window_failed_open_keeps_document);
  g_test_add_func ("/zmqscope/window/speed-labels", test_window_speed_labels);
  g_test_add_func ("/zmqscope/window/examples-menu", test_window_examples_menu);
  g_test_add_func ("/zmqscope/window/missing-file-from-command-line",
                   test_window_missing_file_from_command_line);
  g_test_add_func ("/zmqscope/window/examples-match-files", test_window_examples_match_files);
  g_test_add_func ("/zmqscope/window/remembers-settings", test_window_remembers_settings);
  g_test_add_func ("/zmqscope/window/first-size", test_window_first_size);
  g_test_add_func ("/zmqscope/window/add-external-fix", test_window_add_external_fix);

  ret = g_test_run ();

  zs_gui_test_close_windows (app);
  g_clear_object (&app);

  return ret;
}
