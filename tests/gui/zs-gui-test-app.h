/* zs-gui-test-app.h: the application the window tests run, one per program
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <string.h>

#include "zs-application.h"
#include "zs-canvas-private.h"
#include "zs-engine-source.h"
#include "zs-gui-test.h"
#include "zs-window-private.h"

/* GTK under Xvfb may warn harmlessly: only criticals fail a test. Several
 * test programs share one session bus, so the app is not unique. */
static inline ZsApplication *
zs_gui_test_app_new (int    *argc,
                     char ***argv)
{
  g_autoptr(GError) error = NULL;
  ZsApplication *app;

  gtk_test_init (argc, argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  app = zs_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  return app;
}

/* The live model the canvas shows: its session's, NULL while editing. */
static inline ZsLiveModel *
zs_gui_test_live_model (ZsWindow *window)
{
  ZsRunSession *session = zs_canvas_get_session (window->canvas);

  return session != NULL ? zs_run_session_get_live_model (session) : NULL;
}

/* The engine behind the window's run, which the views never see: for the
 * tests that check what reached it. */
static inline ZsEngine *
zs_gui_test_engine (ZsWindow *window)
{
  g_assert_nonnull (window->session);
  return zs_engine_source_get_engine (ZS_ENGINE_SOURCE (zs_run_session_get_source (window->session)));
}

/* What a window test waits for. */
typedef gboolean (*ZsGuiTestWindowCondition) (ZsWindow *window);

typedef struct {
  ZsGuiTestWindowCondition condition;
  ZsWindow                *window;
} ZsGuiTestWindowWait;

static inline gboolean
zs_gui_test_window_holds (gpointer data)
{
  ZsGuiTestWindowWait *wait = data;

  return wait->condition (wait->window);
}

/* zs_gui_test_iterate_until () for a condition of the window. */
static inline gboolean
zs_gui_test_wait_for (ZsWindow                 *window,
                      ZsGuiTestWindowCondition  condition,
                      guint                     timeout_ms)
{
  ZsGuiTestWindowWait wait = { condition, window };

  return zs_gui_test_iterate_until (zs_gui_test_window_holds, &wait, timeout_ms);
}

static inline void
zs_gui_test_close_windows (ZsApplication *app)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (app))) != NULL)
    gtk_window_destroy (windows->data);
  zs_gui_test_iterate ();
}

/* Opens `path` the way `zmqscope FILE` does: GApplication::open, in the
 * only window. */
static inline ZsWindow *
zs_gui_test_open_file (ZsApplication *app,
                       const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GList *windows;

  zs_gui_test_close_windows (app);
  g_application_open (G_APPLICATION (app), &file, 1, "");
  zs_gui_test_iterate ();
  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  g_assert_nonnull (windows);
  g_assert_true (ZS_IS_WINDOW (windows->data));
  return windows->data;
}

/* Opens `path` in a new 1280×800 window, the only one, as File ▸ Open
 * does, and gives it 300 ms to settle. */
static inline ZsWindow *
zs_gui_test_present_file (ZsApplication *app,
                          const char    *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ZsWindow *window;

  zs_gui_test_close_windows (app);
  window = zs_window_new (app);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (zs_window_open_file (window, file, ZS_OPEN_HERE) == window);
  zs_gui_test_wait_ms (300);
  return window;
}

/* The canvas as drawn: its labels are forgotten, a frame is rendered (and
 * saved as `png` for a look), then the labels it drew are read. */
static inline gboolean
zs_gui_test_canvas_shows (ZsWindow   *window,
                          const char *text,
                          const char *png)
{
  GPtrArray *texts = window->canvas->live_texts;

  g_ptr_array_set_size (texts, 0);
  gtk_widget_queue_draw (GTK_WIDGET (window->canvas));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), png));
  for (guint i = 0; i < texts->len; i++)
    {
      PangoLayout *layout = g_ptr_array_index (texts, i);

      if (layout != NULL && strstr (pango_layout_get_text (layout), text) != NULL)
        return TRUE;
    }
  return FALSE;
}
