/* zs-cli.h: the headless command line (`run`, `check`)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean zs_cli_handles (int    argc,
                         char **argv);
int      zs_cli_main    (int    argc,
                         char **argv);

G_END_DECLS
