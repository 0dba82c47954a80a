/* zs-dirs.h: where the program finds its catalogues, settings schema and
 * examples: installed, or in the build tree it was built in
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when the running program lives in the build tree (build/app/zmqscope,
 * the tests): it then reads the build's compiled catalogues and schema. */
gboolean    zs_dirs_is_uninstalled    (void);
const char *zs_dirs_get_locale_dir    (void);
/* The folder holding the compiled settings schema, NULL for the system's. */
const char *zs_dirs_get_schema_dir    (void);
/* The shipped lessons: $ZS_LESSONS_DIR, the source tree's data/lessons
 * when uninstalled, or the installed ones. */
const char *zs_dirs_get_lessons_dir   (void);
/* setlocale () and the text domain, bound to zs_dirs_get_locale_dir (). */
void        zs_dirs_init_i18n         (void);

G_END_DECLS
