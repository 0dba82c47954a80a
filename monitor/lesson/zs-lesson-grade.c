/* zs-lesson-grade.c: a graded run, as `zmqscope run` runs a file
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-lesson-grade"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-engine.h"
#include "zs-lesson-grade.h"
#include "zs-topology-file.h"
#include "zs-topology-ports.h"
#include "zs-validator.h"

/* How often the run is looked at for a failed node. */
#define LOOK_MS 100

void
zs_grade_free (ZsGrade *grade)
{
  if (grade == NULL)
    return;
  g_free (grade->problem);
  g_clear_pointer (&grade->results, g_ptr_array_unref);
  g_clear_object (&grade->topology);
  g_clear_pointer (&grade->snapshot, zs_snapshot_free);
  g_free (grade);
}

static char *
validation_errors (ZsTopology *topology)
{
  g_autoptr(GPtrArray) findings = zs_validate (topology);
  g_autoptr(GString) errors = g_string_new (NULL);

  for (guint i = 0; i < findings->len; i++)
    {
      ZsFinding *f = g_ptr_array_index (findings, i);
      g_autofree char *line = NULL;

      if (f->severity != ZS_SEVERITY_ERROR)
        continue;
      line = zs_finding_to_string (f);
      g_string_append_printf (errors, "%s%s", errors->len > 0 ? "; " : "", line);
    }
  if (errors->len == 0)
    return NULL;
  return g_strdup_printf (_("your topology has errors: %s"), errors->str);
}

static char *
failed_nodes (ZsTopology       *topology,
              const ZsSnapshot *s)
{
  g_autoptr(GString) failed = g_string_new (NULL);

  for (guint i = 0; i < s->n_nodes; i++)
    if (s->nodes[i].state == ZS_NODE_STATE_ERROR)
      g_string_append_printf (failed, "%s%s: %s", failed->len > 0 ? "; " : "",
                              zs_node_get_name (zs_topology_get_node (topology, i)),
                              s->nodes[i].error ? s->nodes[i].error : "");
  if (failed->len == 0)
    return s->stop_reason != NULL ? g_strdup (s->stop_reason) : NULL;
  return g_strdup_printf (_("a node failed: %s"), failed->str);
}

/* Applies the lesson's faults whose time has come; how long until the
 * next one (ms, at most LOOK_MS). A fault the run cannot take is a problem. */
static guint
play_faults (ZsEngine       *engine,
             ZsFaultScript  *faults,
             guint          *next,
             char          **problem)
{
  gint64 now = zs_engine_get_run_time_us (engine);

  for (; faults != NULL && *next < zs_fault_script_get_n_steps (faults); (*next)++)
    {
      const ZsFaultStep *step = zs_fault_script_get_step (faults, *next);
      g_autoptr(GError) error = NULL;

      if (step->at_us > now)
        return (guint) MIN (LOOK_MS, (step->at_us - now) / 1000 + 1);
      if (!zs_engine_apply_fault (engine, step, &error) && *problem == NULL)
        *problem = g_strdup_printf (_("the lesson's fault could not be applied: %s"), error->message);
    }
  return LOOK_MS;
}

/* Runs until every node with an end reached it, a node fails or
 * `seconds` pass, playing the lesson's faults; stops and settles. */
static ZsSnapshot *
run (ZsTopology     *topology,
     ZsFaultScript  *faults,
     double          seconds,
     char          **problem)
{
  g_autoptr(ZsEngine) engine = zs_engine_new (topology);
  g_autoptr(ZsSnapshot) look = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *fault_problem = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  ZsSnapshot *settled;
  guint next = 0;

  if (!zs_engine_start (engine, &error))
    {
      *problem = g_strdup_printf (_("the run did not start: %s"), error->message);
      return NULL;
    }
  look = zs_engine_snapshot (engine);
  while (!zs_engine_wait (engine, play_faults (engine, faults, &next, &fault_problem))
         && g_get_monotonic_time () < deadline && fault_problem == NULL)
    {
      g_autofree char *failed = NULL;

      zs_engine_snapshot_into (engine, look);
      failed = failed_nodes (topology, look);
      if (failed != NULL)
        break;
    }
  zs_engine_stop (engine);
  settled = zs_engine_snapshot (engine);
  *problem = fault_problem != NULL ? g_steal_pointer (&fault_problem) : failed_nodes (topology, settled);
  return settled;
}

static ZsGrade *
grade_new (ZsLesson   *lesson,
           ZsTopology *student,
           char       *problem)
{
  ZsGrade *grade = g_new0 (ZsGrade, 1);

  grade->problem = problem;
  grade->results = zs_lesson_check (lesson, student, NULL, problem);
  return grade;
}

static gboolean
all_passed (GPtrArray *results)
{
  for (guint i = 0; i < results->len; i++)
    if (!((ZsGoalResult *) g_ptr_array_index (results, i))->passed)
      return FALSE;
  return TRUE;
}

ZsGrade *
zs_lesson_grade (ZsLesson     *lesson,
                 ZsTopology   *student,
                 double        seconds,
                 ZsGradeFlags  flags)
{
  g_autoptr(ZsTopology) copy = NULL;
  g_autoptr(ZsFaultScript) faults = NULL;
  g_autoptr(GError) error = NULL;
  ZsGrade *grade;
  char *problem;

  g_return_val_if_fail (lesson != NULL, NULL);
  g_return_val_if_fail (student == NULL || ZS_IS_TOPOLOGY (student), NULL);

  if (student == NULL)
    student = lesson->solution;
  if (seconds <= 0)
    seconds = lesson->seconds;
  problem = validation_errors (student);
  if (problem != NULL)
    return grade_new (lesson, student, problem);

  copy = zs_topology_copy (student);
  if ((flags & ZS_GRADE_FREE_PORTS) && !zs_topology_remap_tcp_ports (copy, &error))
    return grade_new (lesson, student, g_strdup (error->message));
  if (lesson->faults != NULL)
    {
      faults = zs_fault_script_parse (lesson->faults, copy, &error);
      if (faults == NULL)
        return grade_new (lesson, student, g_strdup_printf (_("the lesson's faults do not fit your topology: %s"),
                                                            error->message));
    }
  grade = g_new0 (ZsGrade, 1);
  grade->snapshot = run (copy, faults, seconds, &grade->problem);
  if (grade->snapshot != NULL)
    grade->topology = g_steal_pointer (&copy);
  /* Port numbers aside, the copy that ran has the student's nodes and
   * links in the same order: locks look at the student's own file. */
  grade->results = zs_lesson_check (lesson, student, grade->snapshot, grade->problem);
  grade->passed = grade->problem == NULL && all_passed (grade->results);
  return grade;
}

ZsGrade *
zs_lesson_grade_file (ZsLesson     *lesson,
                      const char   *path,
                      double        seconds,
                      ZsGradeFlags  flags)
{
  g_autoptr(ZsTopology) student = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (lesson != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);

  student = zs_topology_load_from_file (path, &error);
  if (student == NULL)
    return grade_new (lesson, NULL, g_strdup_printf (_("your file does not load: %s"), error->message));
  return zs_lesson_grade (lesson, student, seconds, flags);
}
