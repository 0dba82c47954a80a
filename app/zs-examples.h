/* zs-examples.h: the bundled example topologies
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What a newcomer sees first: a topology that runs with one click. */
#define ZS_DEFAULT_EXAMPLE "3-parallel-pipeline.json"

typedef struct {
  guint       number;       /* the lesson: 1, 2, ... */
  char       *file_name;    /* "3-parallel-pipeline.json" */
  char       *path;
  const char *title;        /* translated */
  const char *description;  /* translated */
} ZsExample;

void        zs_example_free        (ZsExample  *example);
/* $ZS_EXAMPLES_DIR, else the source tree's data/examples when the program
 * runs from its build tree, else the installed examples. */
const char *zs_examples_get_dir    (void);
/* The lessons whose file is in the examples folder, in lesson order. */
GPtrArray  *zs_examples_list       (void);
/* The path of the example `file_name`, or NULL if that is not a plain
 * file name of the examples folder. */
char       *zs_examples_build_path (const char *file_name);
/* A shipped example's title in the user's language, however its file was
 * opened (the Examples menu or its path); any other title as it is. */
const char *zs_examples_translate_title (const char *title);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsExample, zs_example_free)

G_END_DECLS
