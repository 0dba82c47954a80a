/* zs-lesson-panel.c: a lesson beside the canvas: its steps, its goals and
 * their state, Check
 *
 * Check grades the student's topology as `zmqscope grade` does
 * (monitor/lesson's zs_lesson_grade, which runs an engine and blocks until
 * the run settles) in a GTask thread. The thread owns all it reads: its
 * own ZsLesson parsed from the file's bytes and a copy of the student's
 * topology; the main thread only gets plain results back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-lesson-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-lesson-panel.h"

struct _ZsLessonPanel
{
  GtkWidget     parent_instance;

  /* Template children */
  GtkLabel     *title_label;
  GtkLabel     *summary_label;
  GtkLabel     *step_label;
  GtkLabel     *step_text;
  GtkButton    *back_button;
  GtkButton    *next_button;
  GtkListBox   *goals_list;
  GtkButton    *check_button;
  GtkSpinner   *spinner;
  GtkLabel     *result_label;

  GBytes       *data;
  char         *name;
  ZsLesson     *lesson;
  guint         step;
  ZsGradeFlags  flags;

  ZsTopology   *student;
  guint         generation;   /* the student's changes so far */
  gboolean      checking;
  gboolean      disposed;

  /* Per goal */
  GArray       *states;       /* ZsGoalState */
  GPtrArray    *figures;      /* char *, NULL when not checked */
  GPtrArray    *badges;       /* GtkLabel *, owned by goals_list */
  GPtrArray    *figure_labels;
};

G_DEFINE_FINAL_TYPE (ZsLessonPanel, zs_lesson_panel, GTK_TYPE_WIDGET)

enum {
  STEP_ACTION,
  STEP_FAULT,
  CHECK_STARTED,
  CHECKED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

GtkWidget *
zs_lesson_panel_new (void)
{
  return g_object_new (ZS_TYPE_LESSON_PANEL, NULL);
}

ZsLesson *
zs_lesson_panel_get_lesson (ZsLessonPanel *self)
{
  g_return_val_if_fail (ZS_IS_LESSON_PANEL (self), NULL);

  return self->lesson;
}

void
zs_lesson_panel_set_grade_flags (ZsLessonPanel *self,
                                 ZsGradeFlags   flags)
{
  g_return_if_fail (ZS_IS_LESSON_PANEL (self));

  self->flags = flags;
}

gboolean
zs_lesson_panel_is_checking (ZsLessonPanel *self)
{
  g_return_val_if_fail (ZS_IS_LESSON_PANEL (self), FALSE);

  return self->checking;
}

/* Goals */

static const char *
state_label (ZsGoalState state)
{
  switch (state)
    {
    case ZS_GOAL_STATE_PASSED:
      return _("Passed");
    case ZS_GOAL_STATE_FAILED:
      return _("Failed");
    case ZS_GOAL_STATE_NOT_CHECKED:
    default:
      return _("Not checked");
    }
}

static void
show_goal (ZsLessonPanel *self,
           guint          goal)
{
  static const char * const classes[] = { "not-checked", "passed", "failed" };
  ZsGoalState state = g_array_index (self->states, ZsGoalState, goal);
  const char *figures = g_ptr_array_index (self->figures, goal);
  GtkWidget *badge = g_ptr_array_index (self->badges, goal);
  GtkWidget *label = g_ptr_array_index (self->figure_labels, goal);

  gtk_label_set_label (GTK_LABEL (badge), state_label (state));
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    if (i == state)
      gtk_widget_add_css_class (badge, classes[i]);
    else
      gtk_widget_remove_css_class (badge, classes[i]);
  gtk_label_set_label (GTK_LABEL (label), figures != NULL ? figures : "");
  gtk_widget_set_visible (label, figures != NULL && *figures != '\0');
}

static void
set_goal (ZsLessonPanel *self,
          guint          goal,
          ZsGoalState    state,
          const char    *figures)
{
  /* A drag changes the topology at every motion: nothing to redo then. */
  if (g_array_index (self->states, ZsGoalState, goal) == state
      && g_strcmp0 (g_ptr_array_index (self->figures, goal), figures) == 0)
    return;
  g_array_index (self->states, ZsGoalState, goal) = state;
  g_free (g_ptr_array_index (self->figures, goal));
  g_ptr_array_index (self->figures, goal) = g_strdup (figures);
  show_goal (self, goal);
}

ZsGoalState
zs_lesson_panel_get_goal_state (ZsLessonPanel  *self,
                                guint           goal,
                                const char    **figures)
{
  g_return_val_if_fail (ZS_IS_LESSON_PANEL (self), ZS_GOAL_STATE_NOT_CHECKED);
  g_return_val_if_fail (self->states != NULL && goal < self->states->len, ZS_GOAL_STATE_NOT_CHECKED);

  if (figures != NULL)
    *figures = g_ptr_array_index (self->figures, goal);
  return g_array_index (self->states, ZsGoalState, goal);
}

static GtkWidget *
create_goal_row (ZsLessonPanel *self,
                 const ZsGoal  *goal)
{
  g_autofree char *text = zs_goal_describe (goal);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *badge = gtk_label_new (NULL);
  GtkWidget *label = gtk_label_new (text);
  GtkWidget *figures = gtk_label_new (NULL);

  gtk_widget_add_css_class (badge, "goal-state");
  gtk_widget_set_valign (badge, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  if (goal->kind == ZS_GOAL_LOCKED)
    gtk_widget_set_tooltip_text (label, _("Locked: your topology must keep this part as the lesson has it. "
                                          "It is checked at every edit."));
  gtk_label_set_xalign (GTK_LABEL (figures), 0);
  gtk_label_set_wrap (GTK_LABEL (figures), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (figures), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (figures), TRUE);
  /* Selected with the mouse; not a stop of the tab chain. */
  gtk_widget_set_focusable (figures, FALSE);
  gtk_widget_add_css_class (figures, "goal-figures");
  gtk_box_append (GTK_BOX (top), badge);
  gtk_box_append (GTK_BOX (top), label);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), figures);
  g_ptr_array_add (self->badges, badge);
  g_ptr_array_add (self->figure_labels, figures);
  return box;
}

static void
clear_goals (ZsLessonPanel *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->goals_list, 0)) != NULL)
    gtk_list_box_remove (self->goals_list, GTK_WIDGET (row));
  g_array_set_size (self->states, 0);
  g_ptr_array_set_size (self->figures, 0);
  g_ptr_array_set_size (self->badges, 0);
  g_ptr_array_set_size (self->figure_labels, 0);
}

static void
create_goals (ZsLessonPanel *self)
{
  clear_goals (self);
  for (guint i = 0; i < self->lesson->goals->len; i++)
    {
      ZsGoalState state = ZS_GOAL_STATE_NOT_CHECKED;

      gtk_list_box_append (self->goals_list, create_goal_row (self, g_ptr_array_index (self->lesson->goals, i)));
      g_array_append_val (self->states, state);
      g_ptr_array_add (self->figures, NULL);
      show_goal (self, i);
    }
}

/* The student's file as it is now: what the last Check said about the
 * run is no longer true of it; its locks are checked again at once. */
static void
on_student_changed_cb (ZsLessonPanel *self)
{
  g_autoptr(GPtrArray) results = NULL;

  self->generation++;
  if (self->lesson == NULL || self->disposed)
    return;
  if (self->student != NULL)
    results = zs_lesson_check (self->lesson, self->student, NULL, NULL);
  for (guint i = 0; i < self->lesson->goals->len; i++)
    {
      ZsGoalResult *r = results != NULL ? g_ptr_array_index (results, i) : NULL;

      if (r != NULL && r->goal->kind == ZS_GOAL_LOCKED)
        set_goal (self, i, r->passed ? ZS_GOAL_STATE_PASSED : ZS_GOAL_STATE_FAILED, r->figures);
      else
        set_goal (self, i, ZS_GOAL_STATE_NOT_CHECKED, NULL);
    }
  if (!self->checking)
    gtk_label_set_label (self->result_label, "");
}

void
zs_lesson_panel_set_student (ZsLessonPanel *self,
                             ZsTopology    *student)
{
  g_return_if_fail (ZS_IS_LESSON_PANEL (self));
  g_return_if_fail (student == NULL || ZS_IS_TOPOLOGY (student));

  if (self->student != NULL)
    g_signal_handlers_disconnect_by_data (self->student, self);
  g_set_object (&self->student, student);
  if (student != NULL)
    g_signal_connect_swapped (student, "changed", G_CALLBACK (on_student_changed_cb), self);
  on_student_changed_cb (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), student != NULL && !self->checking);
}

/* Steps */

static void
show_step (ZsLessonPanel *self)
{
  guint n_steps = self->lesson->steps->len;
  const ZsLessonStep *step = g_ptr_array_index (self->lesson->steps, self->step);
  g_autofree char *heading = g_strdup_printf (_("Step %u of %u"), self->step + 1, n_steps);

  gtk_label_set_label (self->step_label, heading);
  gtk_label_set_label (self->step_text, zs_lesson_text_get (step->text));
  gtk_widget_set_sensitive (GTK_WIDGET (self->back_button), self->step > 0);
  gtk_widget_set_sensitive (GTK_WIDGET (self->next_button), self->step + 1 < n_steps);
}

guint
zs_lesson_panel_get_step (ZsLessonPanel *self)
{
  g_return_val_if_fail (ZS_IS_LESSON_PANEL (self), 0);

  return self->step;
}

void
zs_lesson_panel_set_step (ZsLessonPanel *self,
                          guint          step)
{
  g_return_if_fail (ZS_IS_LESSON_PANEL (self));
  g_return_if_fail (self->lesson != NULL);

  self->step = MIN (step, self->lesson->steps->len - 1);
  show_step (self);
}

/* Back or Next enters a step and does what it says to the run; its
 * fault only going forward (Back does not break the run again). Opening
 * the lesson shows the first step without running anything: its text
 * asks the student to press Run. */
static void
enter_step (ZsLessonPanel *self,
            guint          index,
            gboolean       forward)
{
  const ZsLessonStep *step;

  zs_lesson_panel_set_step (self, index);
  step = g_ptr_array_index (self->lesson->steps, self->step);
  if (step->action != ZS_LESSON_ACTION_NONE)
    g_signal_emit (self, signals [STEP_ACTION], 0, (guint) step->action);
  if (forward && step->fault != NULL)
    g_signal_emit (self, signals [STEP_FAULT], 0, step->fault);
}

static void
on_back_clicked_cb (ZsLessonPanel *self)
{
  if (self->step > 0)
    enter_step (self, self->step - 1, FALSE);
}

static void
on_next_clicked_cb (ZsLessonPanel *self)
{
  if (self->step + 1 < self->lesson->steps->len)
    enter_step (self, self->step + 1, TRUE);
}

gboolean
zs_lesson_panel_load (ZsLessonPanel  *self,
                      GBytes         *data,
                      const char     *name,
                      GError        **error)
{
  ZsLesson *lesson;

  g_return_val_if_fail (ZS_IS_LESSON_PANEL (self), FALSE);
  g_return_val_if_fail (data != NULL && name != NULL, FALSE);

  lesson = zs_lesson_load_from_data (g_bytes_get_data (data, NULL), g_bytes_get_size (data), name, error);
  if (lesson == NULL)
    return FALSE;
  g_clear_pointer (&self->lesson, zs_lesson_free);
  self->lesson = lesson;
  g_clear_pointer (&self->data, g_bytes_unref);
  self->data = g_bytes_ref (data);
  g_free (self->name);
  self->name = g_strdup (name);

  gtk_label_set_label (self->title_label, zs_lesson_text_get (lesson->title));
  gtk_label_set_label (self->summary_label, lesson->summary != NULL ? zs_lesson_text_get (lesson->summary) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->summary_label), lesson->summary != NULL);
  create_goals (self);
  zs_lesson_panel_set_step (self, 0);
  zs_lesson_panel_set_student (self, NULL);
  return TRUE;
}

/* Check */

typedef struct {
  GBytes       *data;
  char         *name;
  ZsTopology   *student;     /* the thread's own copy */
  ZsGradeFlags  flags;
  guint         generation;
} CheckJob;

typedef struct {
  ZsLesson *lesson;          /* the thread's: the results point into it */
  ZsGrade  *grade;
} CheckDone;

static void
check_job_free (CheckJob *job)
{
  g_bytes_unref (job->data);
  g_free (job->name);
  g_clear_object (&job->student);
  g_free (job);
}

static void
check_done_free (CheckDone *done)
{
  zs_grade_free (done->grade);
  zs_lesson_free (done->lesson);
  g_free (done);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CheckDone, check_done_free)

static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckJob *job = task_data;
  GError *error = NULL;
  CheckDone *done = g_new0 (CheckDone, 1);

  done->lesson = zs_lesson_load_from_data (g_bytes_get_data (job->data, NULL), g_bytes_get_size (job->data),
                                           job->name, &error);
  if (done->lesson == NULL)
    {
      g_free (done);
      g_task_return_error (task, error);
      return;
    }
  done->grade = zs_lesson_grade (done->lesson, job->student, 0, job->flags);
  g_task_return_pointer (task, done, (GDestroyNotify) check_done_free);
}

static void
set_checking (ZsLessonPanel *self,
              gboolean       checking)
{
  self->checking = checking;
  gtk_spinner_set_spinning (self->spinner, checking);
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), !checking && self->student != NULL);
}

static void
show_grade (ZsLessonPanel *self,
            ZsGrade       *grade)
{
  guint passed = 0;
  g_autofree char *summary = NULL;

  for (guint i = 0; i < grade->results->len && i < self->states->len; i++)
    {
      ZsGoalResult *r = g_ptr_array_index (grade->results, i);

      set_goal (self, r->index, r->passed ? ZS_GOAL_STATE_PASSED : ZS_GOAL_STATE_FAILED, r->figures);
      passed += r->passed;
    }
  /* Translators: after Check: "3 of 4 goals passed" */
  summary = g_strdup_printf (ngettext ("%u of %u goal passed", "%u of %u goals passed", grade->results->len),
                             passed, grade->results->len);
  if (grade->problem != NULL)
    {
      /* Translators: after Check: "3 of 4 goals passed", then the problem with the student’s topology */
      g_autofree char *text = g_strdup_printf (_("%s. Problem: %s"), summary, grade->problem);

      gtk_label_set_label (self->result_label, text);
    }
  else
    gtk_label_set_label (self->result_label, summary);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GWeakRef, weak_ref_free)

/* The task holds no reference to the panel (whose last one must never
 * go in the thread): it comes back through a weak one. */
static void
on_check_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GWeakRef) ref = user_data;
  g_autoptr(ZsLessonPanel) self = g_weak_ref_get (ref);
  CheckJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autoptr(CheckDone) done = g_task_propagate_pointer (G_TASK (result), &error);

  if (self == NULL || self->disposed)
    return;
  set_checking (self, FALSE);
  if (done == NULL)
    gtk_label_set_label (self->result_label, error->message);
  else if (job->generation != self->generation)
    gtk_label_set_label (self->result_label, _("Your topology changed during the check: press Check again."));
  else
    show_grade (self, done->grade);
  g_signal_emit (self, signals [CHECKED], 0);
}

void
zs_lesson_panel_check (ZsLessonPanel *self)
{
  g_autoptr(GTask) task = NULL;
  GWeakRef *ref;
  CheckJob *job;

  g_return_if_fail (ZS_IS_LESSON_PANEL (self));

  if (self->lesson == NULL || self->student == NULL || self->checking)
    return;
  g_signal_emit (self, signals [CHECK_STARTED], 0);

  job = g_new0 (CheckJob, 1);
  job->data = g_bytes_ref (self->data);
  job->name = g_strdup (self->name);
  job->student = zs_topology_copy (self->student);
  job->flags = self->flags;
  job->generation = self->generation;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);

  set_checking (self, TRUE);
  gtk_label_set_label (self->result_label, _("Running your topology…"));
  task = g_task_new (NULL, NULL, on_check_done_cb, ref);
  g_task_set_source_tag (task, zs_lesson_panel_check);
  g_task_set_task_data (task, job, (GDestroyNotify) check_job_free);
  g_task_run_in_thread (task, check_thread);
}

/* Life cycle */

static void
zs_lesson_panel_dispose (GObject *object)
{
  ZsLessonPanel *self = ZS_LESSON_PANEL (object);
  GtkWidget *child;

  self->disposed = TRUE;
  if (self->student != NULL)
    g_signal_handlers_disconnect_by_data (self->student, self);
  g_clear_object (&self->student);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZS_TYPE_LESSON_PANEL);
  /* The template's box is not a bound child: a GtkWidget parent unparents
   * it itself, or GTK warns at finalize. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (zs_lesson_panel_parent_class)->dispose (object);
}

static void
zs_lesson_panel_finalize (GObject *object)
{
  ZsLessonPanel *self = ZS_LESSON_PANEL (object);

  g_clear_pointer (&self->lesson, zs_lesson_free);
  g_clear_pointer (&self->data, g_bytes_unref);
  g_free (self->name);
  g_clear_pointer (&self->states, g_array_unref);
  g_clear_pointer (&self->figures, g_ptr_array_unref);
  g_clear_pointer (&self->badges, g_ptr_array_unref);
  g_clear_pointer (&self->figure_labels, g_ptr_array_unref);

  G_OBJECT_CLASS (zs_lesson_panel_parent_class)->finalize (object);
}

static void
zs_lesson_panel_class_init (ZsLessonPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zs_lesson_panel_dispose;
  object_class->finalize = zs_lesson_panel_finalize;

  signals [STEP_ACTION] =
    g_signal_new ("step-action", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  signals [STEP_FAULT] =
    g_signal_new ("step-fault", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals [CHECK_STARTED] =
    g_signal_new ("check-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals [CHECKED] =
    g_signal_new ("checked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zmqscope/widgets/zs-lesson-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, summary_label);
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, step_label);
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, step_text);
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, back_button);
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, next_button);
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, goals_list);
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, check_button);
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, spinner);
  gtk_widget_class_bind_template_child (widget_class, ZsLessonPanel, result_label);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zs_lesson_panel_check);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "zs-lesson-panel");
}

static void
zs_lesson_panel_init (ZsLessonPanel *self)
{
  self->states = g_array_new (FALSE, TRUE, sizeof (ZsGoalState));
  self->figures = g_ptr_array_new_with_free_func (g_free);
  self->badges = g_ptr_array_new ();
  self->figure_labels = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_sensitive (GTK_WIDGET (self->check_button), FALSE);
}
