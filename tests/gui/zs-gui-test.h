/* zs-gui-test.h: what the GUI tests share: iterating the main loop and
 * rendering a widget to a PNG once it has really been drawn
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

/* Runs the main loop for about `ms` milliseconds. */
static inline void
zs_gui_test_wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

/* Runs what the main loop has ready, without waiting. */
static inline void
zs_gui_test_iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef gboolean (*ZsGuiTestCondition) (gpointer data);

/* Iterates the main loop (frames included) until `condition` holds or
 * `timeout_ms` pass, and says whether it holds. With nothing ready it
 * naps a millisecond rather than spin: the conditions a test waits on
 * may come from other threads. */
static inline gboolean
zs_gui_test_iterate_until (ZsGuiTestCondition condition,
                           gpointer           data,
                           guint              timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () >= end)
        return condition (data);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return TRUE;
}

/* A condition: the widget has been given its size. */
static inline gboolean
zs_gui_test_allocated (gpointer widget)
{
  return gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0;
}

/* The first widget under `root` (itself included) for which `match` holds. */
static inline GtkWidget *
zs_gui_test_find_widget (GtkWidget     *root,
                         gboolean     (*match) (GtkWidget *widget, gconstpointer data),
                         gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = zs_gui_test_find_widget (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The widget's event controller of `type` (the widget keeps it). */
static inline gpointer
zs_gui_test_find_controller (GtkWidget *widget,
                             GType      type)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (controller, type))
        return controller;
    }
  g_assert_not_reached ();
}

/* The widget's last frame as a render node: asks for a frame and runs the
 * main loop until one has been drawn (a busy machine may take a while). */
static inline GskRenderNode *
zs_gui_test_snapshot (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  for (;;)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      GskRenderNode *node;

      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node != NULL)
        return node;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      gtk_widget_queue_draw (widget);
      g_main_context_iteration (NULL, TRUE);
    }
}

static inline GdkTexture *
zs_gui_test_render (GtkWidget *widget)
{
  g_autoptr(GskRenderNode) node = zs_gui_test_snapshot (widget);

  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                           gtk_widget_get_height (widget)));
}

/* Saves the widget as BUILD/screenshots/NAME and returns the path. */
static inline char *
zs_gui_test_save_png (GtkWidget  *widget,
                      const char *name)
{
  const char *build_dir = g_getenv ("ZS_BUILD_DIR");
  g_autofree char *dir = g_build_filename (build_dir != NULL ? build_dir : ".", "screenshots", NULL);
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkTexture) texture = zs_gui_test_render (widget);

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("wrote %s", path);
  return path;
}
