/* zs-lesson-check.h: a lesson's goals against a student's topology and the
 * exact figures of its run
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-lesson.h"
#include "zs-snapshot.h"

G_BEGIN_DECLS

typedef struct {
  const ZsGoal *goal;      /* the lesson's */
  guint         index;     /* in the lesson's goals */
  gboolean      passed;
  char         *figures;   /* passed: what met it; failed: the figures that broke it */
} ZsGoalResult;

void          zs_goal_result_free        (ZsGoalResult *result);
/* What a goal asks, in the user's language: its own text, or one made from
 * its kind and members. */
char         *zs_goal_describe           (const ZsGoal *goal);
/* One result per goal, in the lesson's order. `snapshot` is the settled
 * run of `student` (its node and link order); NULL when it did not run,
 * `why_not` then says why and every goal about the run fails with it. */
GPtrArray    *zs_lesson_check            (ZsLesson         *lesson,
                                          ZsTopology       *student,
                                          const ZsSnapshot *snapshot,
                                          const char       *why_not);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsGoalResult, zs_goal_result_free)

G_END_DECLS
