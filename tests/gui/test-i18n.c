/* test-i18n.c: the window in Chinese, run from the build tree as
 * `LANG=zh_CN.UTF-8 build/app/zmqscope` is. meson runs it with
 * LANGUAGE=zh_CN and LC_ALL=C.UTF-8, which need no generated zh_CN locale.
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <gtk/gtk.h>

#include "zs-dirs.h"
#include "zs-gui-test-app.h"
#include "zs-window-private.h"

static ZsApplication *app;

static const char *
get_example_row_title (ZsWindow *window,
                       int       index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (window->examples_list, index);

  g_assert_nonnull (row);
  return gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (gtk_list_box_row_get_child (row))));
}

/* Every item of every drop-down under `widget`, one per line. */
static void
collect_dropdown_items (GtkWidget *widget,
                        GString   *items)
{
  if (GTK_IS_DROP_DOWN (widget))
    {
      GListModel *model = gtk_drop_down_get_model (GTK_DROP_DOWN (widget));

      for (guint i = 0; GTK_IS_STRING_LIST (model) && i < g_list_model_get_n_items (model); i++)
        g_string_append_printf (items, "%s\n", gtk_string_list_get_string (GTK_STRING_LIST (model), i));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_dropdown_items (child, items);
}

static void
test_i18n_window_in_chinese (void)
{
  ZsWindow *window;
  ZsTopology *topology;
  g_autoptr(GString) items = g_string_new (NULL);

  /* The tests, like build/app/zmqscope, run from the build tree. */
  g_assert_true (zs_dirs_is_uninstalled ());

  /* `zmqscope` with no file: the window on the pipeline example. */
  g_application_activate (G_APPLICATION (app));
  zs_gui_test_iterate ();
  window = gtk_application_get_windows (GTK_APPLICATION (app))->data;
  g_assert_true (ZS_IS_WINDOW (window));

  g_assert_cmpstr (gtk_label_get_label (window->subtitle_label), ==, "示例：并行管道（推–拉）");
  g_assert_cmpstr (get_example_row_title (window, 0), ==, "1. Hello World（请求–应答）");
  g_assert_cmpstr (get_example_row_title (window, 2), ==, "3. 并行管道（推–拉）");
  g_assert_cmpstr (get_example_row_title (window, 9), ==, "10. 持久订阅者（durapub、durasub）");

  /* The inspector's role drop-down names the roles as the palette does. */
  topology = zs_canvas_get_topology (window->canvas);
  zs_canvas_select_node (window->canvas, zs_topology_find_node (topology, "worker-1"));
  zs_gui_test_iterate ();
  collect_dropdown_items (window->inspector, items);
  g_test_message ("drop-down items:\n%s", items->str);
  g_assert_nonnull (strstr (items->str, "\n工作者\n"));
  g_assert_nonnull (strstr (items->str, "\n发布者\n"));
  g_assert_null (strstr (items->str, "worker"));
  g_assert_null (strstr (items->str, "n-roles"));

  gtk_window_destroy (GTK_WINDOW (window));
  zs_gui_test_iterate ();
}

static gboolean
label_under (GtkWidget  *widget,
             const char *prefix)
{
  if (GTK_IS_LABEL (widget) && g_str_has_prefix (gtk_label_get_label (GTK_LABEL (widget)), prefix))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (label_under (child, prefix))
      return TRUE;
  return FALSE;
}

/* A lesson's own texts in Chinese (inline in the file), and the panel's
 * words around them from the catalogue. */
static void
test_i18n_lesson_panel_in_chinese (void)
{
  g_autofree char *path = g_build_filename (zs_dirs_get_lessons_dir (), "1-slow-joiner.json", NULL);
  ZsWindow *window = zs_gui_test_open_file (app, path);

  g_assert_nonnull (window->lesson_panel);
  g_assert_cmpstr (gtk_label_get_label (window->title_label), ==, "慢加入者");
  g_assert_cmpstr (gtk_label_get_label (window->subtitle_label), ==, "课程 · 尚未保存");
  g_assert_true (label_under (window->lesson_panel, "慢加入者"));
  g_assert_true (label_under (window->lesson_panel, "按“运行”。"));
  g_assert_true (label_under (window->lesson_panel, "第 1 步，共 3 步"));
  g_assert_true (label_under (window->lesson_panel, "订阅者收到全部 1000 条更新"));
  g_assert_true (label_under (window->lesson_panel, "未检查"));
  zs_gui_test_close_windows (app);
}

/* `zmqscope data/examples/8-synchronized-pubsub.json`: the example by its
 * path shows its title in Chinese, as the Examples menu does. */
static void
test_i18n_example_by_path (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("ZS_EXAMPLES_DIR"), "8-synchronized-pubsub.json", NULL);
  ZsWindow *window = zs_gui_test_open_file (app, path);

  g_test_message ("title “%s”, subtitle “%s”", gtk_label_get_label (window->title_label),
                  gtk_label_get_label (window->subtitle_label));
  g_assert_cmpstr (gtk_label_get_label (window->title_label), ==, "8-synchronized-pubsub.json");
  g_assert_cmpstr (gtk_label_get_label (window->subtitle_label), ==, "同步的发布–订阅（syncpub）");
  zs_gui_test_close_windows (app);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  /* What main.c does first. */
  zs_dirs_init_i18n ();
  app = zs_gui_test_app_new (&argc, &argv);

  g_test_add_func ("/zmqscope/i18n/window-in-chinese", test_i18n_window_in_chinese);
  g_test_add_func ("/zmqscope/i18n/lesson-panel-in-chinese", test_i18n_lesson_panel_in_chinese);
  g_test_add_func ("/zmqscope/i18n/example-by-path", test_i18n_example_by_path);

  ret = g_test_run ();

  g_clear_object (&app);

  return ret;
}
