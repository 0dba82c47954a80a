/* main.c: `zmqscope run|check FILE` headless, otherwise the desktop app
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zmqscope"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-cli.h"
#include "zs-compare.h"
#include "zs-dirs.h"
#ifdef HAVE_GTK
# include "zs-application.h"
#endif

int
main (int   argc,
      char *argv[])
{
  /* From the build tree too: `build/app/zmqscope` speaks the user's language. */
  zs_dirs_init_i18n ();

  if (zs_cli_handles (argc, argv))
    return zs_cli_main (argc, argv);
  if (zs_compare_handles (argc, argv))
    return zs_compare_main (argc, argv);

#ifdef HAVE_GTK
  {
    g_autoptr(ZsApplication) app = zs_application_new ();
    return g_application_run (G_APPLICATION (app), argc, argv);
  }
#else
  g_printerr (_("zmqscope was built without GTK: only `zmqscope run FILE` and `zmqscope check FILE` work.\n"));
  return 2;
#endif
}
