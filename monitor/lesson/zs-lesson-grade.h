/* zs-lesson-grade.h: run a student's topology with the real engine and
 * check a lesson's goals against the settled figures
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-lesson-check.h"

G_BEGIN_DECLS

typedef enum {
  ZS_GRADE_NONE       = 0,
  ZS_GRADE_FREE_PORTS = 1 << 0,  /* run on free tcp ports (tests): locks still see the file's */
} ZsGradeFlags;

typedef struct {
  char       *problem;    /* the file did not load, validate or run cleanly: why; else NULL */
  GPtrArray  *results;    /* ZsGoalResult, one per goal */
  ZsTopology *topology;   /* what ran (NULL if nothing did): the snapshot's order */
  ZsSnapshot *snapshot;   /* the settled run, NULL if it did not run */
  gboolean    passed;     /* every goal passed, and no problem */
} ZsGrade;

/* Grades `student` (NULL: the lesson's own solution); `seconds` <= 0 is
 * the lesson's limit. Blocks until the run settles. */
ZsGrade  *zs_lesson_grade       (ZsLesson     *lesson,
                                 ZsTopology   *student,
                                 double        seconds,
                                 ZsGradeFlags  flags);
/* Loads `path` first: a file that does not load is a failed grade that
 * says why. */
ZsGrade  *zs_lesson_grade_file  (ZsLesson     *lesson,
                                 const char   *path,
                                 double        seconds,
                                 ZsGradeFlags  flags);
void      zs_grade_free         (ZsGrade      *grade);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsGrade, zs_grade_free)

G_END_DECLS
