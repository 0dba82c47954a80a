/* test-panels.c: the window's bottom panel: its height does not jump with
 * the page, and the Messages page shows a link selected after the run
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "zs-gui-test-app.h"
#include "zs-message-view-private.h"
#include "zs-topology-file.h"
#include "zs-window-private.h"

static ZsApplication *app;

static ZsWindow *
present_window (void)
{
  ZsWindow *window = zs_window_new (app);

  gtk_window_present (GTK_WINDOW (window));
  zs_gui_test_iterate_until (zs_gui_test_allocated, window->bottom_stack, 10000);
  zs_gui_test_iterate ();
  return window;
}

/* What the stack switcher's buttons do; the page is then laid out. */
static int
show_page (ZsWindow   *window,
           const char *name)
{
  gtk_stack_set_visible_child_name (window->bottom_stack, name);
  zs_gui_test_wait_ms (150);
  return gtk_widget_get_height (GTK_WIDGET (window->bottom_stack));
}

static void
test_page_height (void)
{
  ZsWindow *window = present_window ();
  int problems = show_page (window, "problems");
  int charts = show_page (window, "charts");
  int messages = show_page (window, "messages");

  g_assert_cmpint (problems, >, 0);
  g_assert_cmpint (charts, ==, problems);
  g_assert_cmpint (messages, ==, problems);
  g_assert_cmpint (show_page (window, "problems"), ==, problems);
  gtk_window_destroy (GTK_WINDOW (window));
  zs_gui_test_iterate ();
}

/* PUSH -> PULL over inproc, five messages. */
static char *
write_five_messages (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsNode) push = zs_node_new_for_role ("push", ZS_ROLE_SOCKET);
  g_autoptr(ZsNode) pull = zs_node_new_for_role ("pull", ZS_ROLE_SOCKET);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zs-test-panels-XXXXXX", NULL);
  char *path = g_build_filename (dir, "five.json", NULL);

  g_object_set (zs_node_get_socket (push, 0), "socket-type", ZS_SOCKET_PUSH, NULL);
  zs_socket_spec_set_binds (zs_node_get_socket (push, 0), (const char *[]) { "inproc://five", NULL });
  zs_node_set_payload (push, (const char *[]) { "{seq}", NULL });
  g_object_set (push, "count", 5, "wait-peers", -1, NULL);
  g_object_set (zs_node_get_socket (pull, 0), "socket-type", ZS_SOCKET_PULL, NULL);
  zs_socket_spec_set_connects (zs_node_get_socket (pull, 0), (const char *[]) { "inproc://five", NULL });
  g_object_set (pull, "count", 5, NULL);
  zs_node_set_position (pull, 320, 0);
  zs_topology_add_node (topology, push);
  zs_topology_add_node (topology, pull);
  zs_topology_save_to_file (topology, path, &error);
  g_assert_no_error (error);
  return path;
}

static gboolean
five_messages (gpointer view)
{
  return _zs_message_view_get_n_messages (view) >= 5;
}

/* Run, nobody looking at the link; then select it: its five messages. */
static void
test_messages_after_the_run (void)
{
  g_autofree char *path = write_five_messages ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *dir = g_path_get_dirname (path);
  ZsWindow *window = present_window ();
  ZsMessageView *view;
  const char *text;

  window = zs_window_open_file (window, file, ZS_OPEN_HERE);
  zs_gui_test_iterate ();
  g_assert_cmpuint (zs_topology_get_links (zs_canvas_get_topology (window->canvas))->len, ==, 1);
  zs_canvas_select_node (window->canvas, NULL);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (zs_engine_wait (zs_gui_test_engine (window), 10000));
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  zs_gui_test_iterate ();

  zs_canvas_select_link (window->canvas, 0);
  show_page (window, "messages");
  view = ZS_MESSAGE_VIEW (window->message_view);
  zs_gui_test_iterate_until (five_messages, view, 5000);
  g_assert_cmpuint (_zs_message_view_get_n_messages (view), ==, 5);
  _zs_message_view_get_row (view, 0, 0, NULL, &text, NULL);
  g_assert_cmpstr (text, ==, "5");

  gtk_window_destroy (GTK_WINDOW (window));
  zs_gui_test_iterate ();
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = zs_gui_test_app_new (&argc, &argv);
  g_test_add_func ("/zmqscope/panels/page-height", test_page_height);
  g_test_add_func ("/zmqscope/panels/messages-after-the-run", test_messages_after_the_run);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
