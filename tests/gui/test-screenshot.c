/* test-screenshot.c: the window, rendered to a PNG for every bundled example
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>

#include "zs-gui-test-app.h"
#include "zs-examples.h"
#include "zs-window-private.h"
#include "zs-gui-test.h"

/* A window that rendered only its background has a handful of colours;
 * a real one (text, cards, links) has hundreds. */
#define MIN_COLOURS 32

static ZsApplication *app;

/* Closed, and 50 ms for the runs they held to wind down. */
static void
close_all_windows (void)
{
  zs_gui_test_close_windows (app);
  zs_gui_test_wait_ms (50);
}

static guint
count_colours (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guint32 *pixels = g_malloc (stride * height);
  g_autoptr(GHashTable) colours = g_hash_table_new (NULL, NULL);

  gdk_texture_download (texture, (guchar *) pixels, stride);
  for (gsize i = 0; i < (gsize) width * height; i++)
    g_hash_table_add (colours, GUINT_TO_POINTER (pixels[i]));

  return g_hash_table_size (colours);
}

static char *
build_screenshot_path (const char *example_file_name)
{
  const char *build_dir = g_getenv ("ZS_BUILD_DIR");
  g_autofree char *dir = g_build_filename (build_dir != NULL ? build_dir : ".", "screenshots", NULL);
  g_autofree char *stem = g_strndup (example_file_name, strlen (example_file_name) - strlen (".json"));
  g_autofree char *name = g_strconcat ("window-", stem, ".png", NULL);

  g_mkdir_with_parents (dir, 0755);
  return g_build_filename (dir, name, NULL);
}

static void
test_screenshot_example (gconstpointer data)
{
  const ZsExample *example = data;
  g_autoptr(GFile) file = g_file_new_for_path (example->path);
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *png = build_screenshot_path (example->file_name);
  GtkWidget *window;

  close_all_windows ();
  g_application_open (G_APPLICATION (app), &file, 1, "");
  window = gtk_application_get_windows (GTK_APPLICATION (app))->data;
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  /* Map, lay out, fit the canvas, draw. */
  zs_gui_test_wait_ms (700);

  g_assert_false (gtk_revealer_get_reveal_child (ZS_WINDOW (window)->banner_revealer));

  texture = zs_gui_test_render (window);
  g_unlink (png);
  g_assert_true (gdk_texture_save_to_png (texture, png));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_test_message ("%s: %s", example->file_name, png);
  g_assert_cmpuint (count_colours (texture), >=, MIN_COLOURS);

  close_all_windows ();
}

int
main (int   argc,
      char *argv[])
{
  GPtrArray *examples;
  int ret;

  app = zs_gui_test_app_new (&argc, &argv);

  examples = zs_application_get_examples (app);
  if (examples->len == 0)
    {
      g_printerr ("No example topology (*.json) in %s: nothing to screenshot\n",
                  zs_examples_get_dir ());
      return 1;
    }

  for (guint i = 0; i < examples->len; i++)
    {
      const ZsExample *example = g_ptr_array_index (examples, i);
      g_autofree char *test_path = g_strdup_printf ("/zmqscope/screenshot/%s", example->file_name);

      g_test_add_data_func (test_path, example, test_screenshot_example);
    }

  ret = g_test_run ();

  close_all_windows ();
  g_clear_object (&app);

  return ret;
}
