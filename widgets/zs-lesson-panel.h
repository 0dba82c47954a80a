/* zs-lesson-panel.h: a lesson beside the canvas: its steps, its goals and
 * their state, Check
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zs-lesson-grade.h"

G_BEGIN_DECLS

typedef enum {
  ZS_GOAL_STATE_NOT_CHECKED,
  ZS_GOAL_STATE_PASSED,
  ZS_GOAL_STATE_FAILED,
} ZsGoalState;

#define ZS_TYPE_LESSON_PANEL (zs_lesson_panel_get_type ())
G_DECLARE_FINAL_TYPE (ZsLessonPanel, zs_lesson_panel, ZS, LESSON_PANEL, GtkWidget)

/* Signals:
 *   "step-action" (guint ZsLessonAction): Back or Next entered a step whose action
 *                 is not none; the window starts or pauses its run.
 *   "step-fault" (const char *fault): Next entered a step with a fault
 *                 ("kill server", as a fault script writes it without the
 *                 time); the window applies it to its run, after the action.
 *   "check-started" (): Check pressed, before the graded run starts (the
 *                 window stops its own run, whose ports the grade needs).
 *   "checked" (): a Check's grade is shown. */
GtkWidget      *zs_lesson_panel_new              (void);
/* The lesson file's bytes (each Check parses its own copy in its thread);
 * `name` names it in errors. */
gboolean        zs_lesson_panel_load             (ZsLessonPanel *self,
                                                  GBytes        *data,
                                                  const char    *name,
                                                  GError       **error);
ZsLesson       *zs_lesson_panel_get_lesson       (ZsLessonPanel *self);
/* The student's topology, the window's document: Check grades a copy of
 * it; its locked parts are checked again at each change. */
void            zs_lesson_panel_set_student      (ZsLessonPanel *self,
                                                  ZsTopology    *student);
guint           zs_lesson_panel_get_step         (ZsLessonPanel *self);
/* Shows step `step` (clamped); applies no action. */
void            zs_lesson_panel_set_step         (ZsLessonPanel *self,
                                                  guint          step);
/* What Check does: grades the student's topology in a thread. */
void            zs_lesson_panel_check            (ZsLessonPanel *self);
gboolean        zs_lesson_panel_is_checking      (ZsLessonPanel *self);
ZsGoalState     zs_lesson_panel_get_goal_state   (ZsLessonPanel *self,
                                                  guint          goal,
                                                  const char   **figures);
/* ZS_GRADE_FREE_PORTS for tests. */
void            zs_lesson_panel_set_grade_flags  (ZsLessonPanel *self,
                                                  ZsGradeFlags   flags);

G_END_DECLS
