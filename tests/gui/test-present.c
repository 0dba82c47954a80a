/* test-present.c: presentation mode for projectors (F11, Esc) and zoom
 * about the pointer, in the app window (issue #10)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "zs-canvas-private.h"
#include "zs-examples.h"
#include "zs-gui-test.h"
#include "zs-gui-test-app.h"
#include "zs-window-private.h"

static ZsApplication *app;

static ZsWindow *
open_pipeline (void)
{
  g_autofree char *path = zs_examples_build_path ("3-parallel-pipeline.json");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GList *windows;

  g_application_open (G_APPLICATION (app), &file, 1, "");
  zs_gui_test_iterate ();
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_nonnull (windows);
  /* Drawn once: the canvas has its size. */
  g_clear_pointer (&(GskRenderNode *) { zs_gui_test_snapshot (GTK_WIDGET (ZS_WINDOW (windows->data)->canvas)) },
                   gsk_render_node_unref);
  return windows->data;
}

static void
close_window (ZsWindow *window)
{
  gtk_window_destroy (GTK_WINDOW (window));
  zs_gui_test_iterate ();
}

static gboolean
accel_runs (const char *accel,
            const char *action)
{
  g_auto(GStrv) actions = gtk_application_get_actions_for_accel (GTK_APPLICATION (app), accel);

  return g_strv_contains ((const char * const *) actions, action);
}

static gboolean
is_enabled (ZsWindow   *window,
            const char *action)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), action);
}

typedef struct {
  GtkWidget *widget;
  int        width;
  int        height;
} Size;

/* The widget grew past `data`'s size, both ways. */
static gboolean
grown (gpointer data)
{
  Size *size = data;

  return gtk_widget_get_width (size->widget) > size->width && gtk_widget_get_height (size->widget) > size->height;
}

static void
test_present_mode (void)
{
  ZsWindow *window = open_pipeline ();
  ZsCanvas *canvas = window->canvas;
  g_autoptr(GVariant) state = NULL;
  Size editing = { GTK_WIDGET (canvas), gtk_widget_get_width (GTK_WIDGET (canvas)),
                   gtk_widget_get_height (GTK_WIDGET (canvas)) };
  graphene_rect_t bounds;

  /* F11 turns it on, Esc belongs to it only while it is on. */
  g_assert_true (accel_runs ("F11", "win.present-mode"));
  g_assert_true (accel_runs ("Escape", "win.leave-presentation"));
  g_assert_false (is_enabled (window, "leave-presentation"));
  g_assert_true (gtk_widget_get_visible (window->palette));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.present-mode", NULL);
  state = g_action_group_get_action_state (G_ACTION_GROUP (window), "present-mode");
  g_assert_true (g_variant_get_boolean (state));
  /* Fullscreen is the window manager's to grant, and Xvfb runs none:
   * what the window itself does is checked. */
  g_assert_false (gtk_widget_get_visible (window->palette));
  g_assert_false (gtk_widget_get_visible (window->inspector));
  /* The canvas alone: the bottom panel would keep it short on a projector. */
  g_assert_false (gtk_widget_get_visible (window->bottom_panel));
  g_assert_true (zs_canvas_get_presentation (canvas));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (canvas)));
  /* Links, dots and live labels at twice their size. */
  g_assert_cmpfloat (_zs_canvas_scaled (canvas, 2.5), ==, 5.0);
  /* Fitted again to the room the panels left: larger, all of it shown. */
  g_assert_true (zs_gui_test_iterate_until (grown, &editing, 10000));
  g_assert_true (_zs_canvas_get_bounds (canvas, &bounds));
  /* Zoomed to fit: tight in one direction (32 px margins). */
  g_assert_cmpfloat_with_epsilon (MAX (bounds.size.width * canvas->zoom /
                                       (gtk_widget_get_width (GTK_WIDGET (canvas)) - 64),
                                       bounds.size.height * canvas->zoom /
                                       (gtk_widget_get_height (GTK_WIDGET (canvas)) - 64)), 1.0, 0.01);
  g_assert_cmpfloat (bounds.origin.x * canvas->zoom + canvas->offset_x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y * canvas->zoom + canvas->offset_y, >=, 0);
  g_assert_cmpfloat ((bounds.origin.x + bounds.size.width) * canvas->zoom + canvas->offset_x, <=,
                     gtk_widget_get_width (GTK_WIDGET (canvas)));
  g_assert_cmpfloat ((bounds.origin.y + bounds.size.height) * canvas->zoom + canvas->offset_y, <=,
                     gtk_widget_get_height (GTK_WIDGET (canvas)));
  /* The cards stay clickable: a card is where it is drawn. */
  {
    ZsNodeLayout *n = g_ptr_array_index (canvas->node_layouts, 0);
    graphene_point_t center;
    ZsHit hit;

    graphene_rect_get_center (&n->rect, &center);
    hit = _zs_canvas_hit_test (canvas, center.x, center.y);
    g_assert_cmpint (hit.kind, ==, ZS_HIT_NODE);
  }

  g_assert_true (is_enabled (window, "leave-presentation"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.leave-presentation", NULL);
  g_assert_false (zs_canvas_get_presentation (canvas));
  g_assert_true (gtk_widget_get_visible (window->palette));
  g_assert_true (gtk_widget_get_visible (window->inspector));
  g_assert_true (gtk_widget_get_visible (window->bottom_panel));
  g_assert_false (is_enabled (window, "leave-presentation"));
  g_assert_cmpfloat (_zs_canvas_scaled (canvas, 2.5), ==, 2.5);
  close_window (window);
}

/* Ctrl+plus with the pointer over the canvas: what is under the pointer stays. */
static void
test_zoom_at_pointer (void)
{
  ZsWindow *window = open_pipeline ();
  ZsCanvas *canvas = window->canvas;
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (canvas));
  graphene_point_t before, after;
  double zoom = zs_canvas_get_zoom (canvas);

  g_assert_true (accel_runs ("<Control>plus", "win.zoom-in"));
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        {
          g_signal_emit_by_name (controller, "enter", 120.0, 90.0);
          g_signal_emit_by_name (controller, "motion", 120.0, 90.0);
        }
    }
  _zs_canvas_to_model (canvas, 120, 90, &before);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-in", NULL);
  g_assert_cmpfloat (zs_canvas_get_zoom (canvas), >, zoom);
  _zs_canvas_to_model (canvas, 120, 90, &after);
  g_assert_cmpfloat_with_epsilon (after.x, before.x, 0.01);
  g_assert_cmpfloat_with_epsilon (after.y, before.y, 0.01);

  /* Pointer gone: about the middle again. */
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        g_signal_emit_by_name (controller, "leave");
    }
  _zs_canvas_to_model (canvas, gtk_widget_get_width (GTK_WIDGET (canvas)) / 2.0,
                       gtk_widget_get_height (GTK_WIDGET (canvas)) / 2.0, &before);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.zoom-out", NULL);
  _zs_canvas_to_model (canvas, gtk_widget_get_width (GTK_WIDGET (canvas)) / 2.0,
                       gtk_widget_get_height (GTK_WIDGET (canvas)) / 2.0, &after);
  g_assert_cmpfloat_with_epsilon (after.x, before.x, 0.01);
  close_window (window);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = zs_gui_test_app_new (&argc, &argv);
  g_test_add_func ("/present/mode", test_present_mode);
  g_test_add_func ("/present/zoom-at-pointer", test_zoom_at_pointer);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
