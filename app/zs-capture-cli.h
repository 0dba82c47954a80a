/* zs-capture-cli.h: `zmqscope capture`, ZeroMQ programs seen from the wire
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean zs_capture_cli_handles (int    argc,
                                 char **argv);
int      zs_capture_cli_main    (int    argc,
                                 char **argv);

G_END_DECLS
