/* zs-gui-test-app.h: the application the window tests run, one per program
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-application.h"

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
