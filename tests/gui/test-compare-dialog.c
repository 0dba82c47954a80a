/* test-compare-dialog.c: Compare Variants…, the way a user gets there
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "zs-compare-dialog.h"
#include "zs-gui-test-app.h"
#include "zs-topology-ports.h"

static ZsApplication *app;

static gboolean
is_label_with (GtkWidget  *widget,
               const char *text)
{
  return GTK_IS_LABEL (widget) && g_str_equal (gtk_label_get_label (GTK_LABEL (widget)), text);
}

static gboolean
is_type (GtkWidget     *widget,
         gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

static gboolean
is_menu_button_with_menu (GtkWidget     *widget,
                          gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)) != NULL &&
         g_strcmp0 (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (widget)), "open-menu-symbolic") == 0;
}

static gboolean
is_compare_button (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
is_results_grid (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_GRID (widget) && gtk_grid_get_child_at (GTK_GRID (widget), 0, 0) != NULL &&
         is_label_with (gtk_grid_get_child_at (GTK_GRID (widget), 0, 0), "Variant");
}

/* The main menu's item that activates `action`, searched through sections. */
static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *name = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &name) &&
          g_str_equal (name, action))
        return TRUE;
      if (section != NULL && menu_has_action (section, action))
        return TRUE;
    }
  return FALSE;
}

static ZsCompareDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ZS_IS_COMPARE_DIALOG (window))
        return ZS_COMPARE_DIALOG (window);
    }
  return NULL;
}

static guint64
cell_number (GtkGrid *grid,
             int      column,
             int      row)
{
  GtkWidget *cell = gtk_grid_get_child_at (grid, column, row);

  g_assert_true (GTK_IS_LABEL (cell));
  return g_ascii_strtoull (gtk_label_get_label (GTK_LABEL (cell)), NULL, 10);
}

/* The variants are done: the button says Compare again. */
static gboolean
compare_again (gpointer button)
{
  return g_strcmp0 (gtk_button_get_label (button), "_Compare") == 0;
}

/* The durable subscriber, HWM 2, 100 and 1000: from the main menu's item,
 * values typed in, Compare pressed, the table read when it is done. */
static void
test_durable_hwm (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("ZS_EXAMPLES_DIR"), "10-durable-subscriber.json", NULL);
  ZsWindow *window = zs_gui_test_open_file (app, path);
  g_autoptr(GError) error = NULL;
  GtkWidget *menu_button, *entry, *button, *grid;
  ZsCompareDialog *dialog;

  zs_topology_remap_tcp_ports (zs_canvas_get_topology (window->canvas), &error);
  g_assert_no_error (error);
  menu_button = zs_gui_test_find_widget (GTK_WIDGET (window), is_menu_button_with_menu, NULL);
  g_assert_nonnull (menu_button);
  g_assert_true (menu_has_action (gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button)), "win.compare"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "compare", NULL);
  zs_gui_test_iterate ();
  dialog = find_dialog ();
  g_assert_nonnull (dialog);

  entry = zs_gui_test_find_widget (GTK_WIDGET (dialog), is_type, GSIZE_TO_POINTER (GTK_TYPE_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (entry), "2,100,1000");
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (zs_gui_test_find_widget (GTK_WIDGET (dialog), is_type,
                                                           GSIZE_TO_POINTER (GTK_TYPE_SPIN_BUTTON))), 30);
  button = zs_gui_test_find_widget (GTK_WIDGET (dialog), is_compare_button, "_Compare");
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Stop");

  zs_gui_test_iterate_until (compare_again, button, 60000);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Compare");

  grid = zs_gui_test_find_widget (GTK_WIDGET (dialog), is_results_grid, NULL);
  g_assert_nonnull (grid);
  g_assert_true (is_label_with (gtk_grid_get_child_at (GTK_GRID (grid), 0, 1), "hwm=2"));
  g_assert_true (is_label_with (gtk_grid_get_child_at (GTK_GRID (grid), 0, 2), "hwm=100"));
  g_assert_true (is_label_with (gtk_grid_get_child_at (GTK_GRID (grid), 0, 3), "hwm=1000"));
  /* Column 3: dropped. A queue of 2 loses more of what the offline
   * subscriber misses than a queue of 1000. */
  g_assert_cmpuint (cell_number (GTK_GRID (grid), 3, 1), >, cell_number (GTK_GRID (grid), 3, 3));
  g_assert_cmpuint (cell_number (GTK_GRID (grid), 3, 2), >=, cell_number (GTK_GRID (grid), 3, 3));
  g_assert_cmpuint (cell_number (GTK_GRID (grid), 2, 1), >, 0);
  g_free (zs_gui_test_save_png (GTK_WIDGET (dialog), "compare-durable-hwm.png"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  zs_gui_test_close_windows (app);
}

/* A value the key does not take: said under the form, nothing runs. */
static void
test_bad_value (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("ZS_EXAMPLES_DIR"), "1-hello-world.json", NULL);
  ZsWindow *window = zs_gui_test_open_file (app, path);
  GtkWidget *entry, *button;
  ZsCompareDialog *dialog;

  g_action_group_activate_action (G_ACTION_GROUP (window), "compare", NULL);
  zs_gui_test_iterate ();
  dialog = find_dialog ();
  entry = zs_gui_test_find_widget (GTK_WIDGET (dialog), is_type, GSIZE_TO_POINTER (GTK_TYPE_ENTRY));
  gtk_editable_set_text (GTK_EDITABLE (entry), "2,lots");
  button = zs_gui_test_find_widget (GTK_WIDGET (dialog), is_compare_button, "_Compare");
  g_signal_emit_by_name (button, "clicked");
  zs_gui_test_iterate ();
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (button)), ==, "_Compare");
  g_assert_null (zs_compare_dialog_get_comparison (dialog));
  g_assert_nonnull (zs_gui_test_find_widget (GTK_WIDGET (dialog), (gboolean (*) (GtkWidget *, gconstpointer)) is_label_with,
                                 "“lots” is not a value of hwm: valid values are a number from 0 (unlimited) to 10000000"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  zs_gui_test_close_windows (app);
}

int
main (int   argc,
      char *argv[])
{
  app = zs_gui_test_app_new (&argc, &argv);
  g_test_add_func ("/zmqscope/compare-dialog/durable-hwm", test_durable_hwm);
  g_test_add_func ("/zmqscope/compare-dialog/bad-value", test_bad_value);
  return g_test_run ();
}
