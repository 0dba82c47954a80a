/* zs-cli.h: the headless command line (`run`, `check`)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-topology.h"

G_BEGIN_DECLS

gboolean zs_cli_handles (int    argc,
                         char **argv);
int      zs_cli_main    (int    argc,
                         char **argv);
/* Parses the options after `zmqscope COMMAND` (argv[1]): FALSE after
 * saying why on stderr. On return argv[1] is the first argument. */
gboolean    zs_cli_parse_options (GOptionContext  *context,
                                  int             *argc,
                                  char          ***argv);
/* The topology at `path`, or NULL after saying why on stderr. */
ZsTopology *zs_cli_load (const char *path);
/* Prints the findings of `topology` (read from `path`) and, when there
 * are errors, that it cannot run: TRUE then. */
gboolean    zs_cli_refuse_errors (ZsTopology *topology,
                                  const char *path);

G_END_DECLS
