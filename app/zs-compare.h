/* zs-compare.h: `zmqscope compare FILE --vary KEY=V1,V2`
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean zs_compare_handles (int    argc,
                             char **argv);
int      zs_compare_main    (int    argc,
                             char **argv);

G_END_DECLS
