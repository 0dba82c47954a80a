/* fuzz-lesson.c: libFuzzer target for the lesson loader and the goal checks
 *
 * Whatever the loader accepts must describe and check every goal without a
 * crash or a GLib warning: against its own solution with an empty run, and
 * against its starting topology with no run at all.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>

#include "zs-lesson-check.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(ZsLesson) lesson = NULL;
  g_autoptr(ZsSnapshot) snapshot = NULL;
  g_autoptr(GPtrArray) ran = NULL;
  g_autoptr(GPtrArray) not_run = NULL;

  if (size > G_MAXSSIZE)
    return 0;
  lesson = zs_lesson_load_from_data ((const char *) data, (gssize) size, "fuzz.json", NULL);
  if (lesson == NULL)
    return 0;
  for (guint i = 0; i < lesson->goals->len; i++)
    g_free (zs_goal_describe (g_ptr_array_index (lesson->goals, i)));
  snapshot = zs_snapshot_new (zs_topology_get_n_nodes (lesson->solution),
                              zs_topology_get_links (lesson->solution)->len);
  ran = zs_lesson_check (lesson, lesson->solution, snapshot, NULL);
  not_run = zs_lesson_check (lesson, lesson->topology, NULL, "did not run");
  return 0;
}
