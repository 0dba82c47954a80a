/* zs-grade.h: `zmqscope grade LESSON [STUDENT.json]`, no display needed
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  zs_grade_handles  (int    argc,
                             char **argv);
int       zs_grade_main     (int    argc,
                             char **argv);

G_END_DECLS
