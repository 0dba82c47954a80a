/* zs-cli.h: the headless command line (`run`, `check`)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-topology.h"

G_BEGIN_DECLS

gboolean zs_cli_handles (int    argc,
                         char **argv);
int      zs_cli_main    (int    argc,
                         char **argv);
/* The topology at `path`, or NULL after saying why on stderr. */
ZsTopology *zs_cli_load (const char *path);

G_END_DECLS
