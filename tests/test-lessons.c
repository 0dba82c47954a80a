/* test-lessons.c: every shipped lesson, run with the real engine: the
 * reference solution passes every goal, the starting topology fails the
 * goals it should, with the stated reason
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "zs-lesson-grade.h"

typedef struct {
  guint       goal;      /* index in the lesson's goals */
  const char *reason;    /* part of the figures that broke it */
} Failure;

typedef struct {
  const char *file;
  Failure     fails[3];  /* what the starting topology must fail, and why */
} ShippedLesson;

static const ShippedLesson shipped[] = {
  { "1-slow-joiner.json",        { { 0, "fewer than 1000" }, { 1, "dropped" } } },
  { "2-durable-subscriber.json", { { 0, "subscriber received 1, fewer than 11" }, { 1, "10 of 11 dropped" } } },
  { "3-bind-vs-connect.json",    { { 0, "sink did not reach its end" } } },
  { "4-load-balancing.json",     { { 0, "more than 1 s" },
                                   { 1, "1 node of role worker, the goal needs at least 4" } } },
  { "5-broker.json",             { { 2, "worker-2 received 0, fewer than 1" },
                                   { 3, "0 nodes of role broker, the goal needs at least 1" } } },
  { "6-pair-relay.json",         { { 0, "step3 did not reach its end (it is stopped, 0 received)" } } },
  { "7-envelopes.json",          { { 0, "subscriber received 0, fewer than 5" } } },
  { "8-lazy-pirate.json",        { { 0, "of 10 messages (it is stopped)" } } },
};

static ZsLesson *
load_lesson (const char *file)
{
  const char *dir = g_getenv ("ZS_LESSONS_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : "data/lessons", file, NULL);
  g_autoptr(GError) error = NULL;
  ZsLesson *lesson = zs_lesson_load_from_file (path, &error);

  g_assert_no_error (error);
  return lesson;
}

static void
log_grade (const char *what,
           ZsGrade    *grade)
{
  g_test_message ("%s: %s%s", what, grade->passed ? "PASSED" : "FAILED",
                  grade->problem != NULL ? grade->problem : "");
  for (guint i = 0; i < grade->results->len; i++)
    {
      ZsGoalResult *r = g_ptr_array_index (grade->results, i);

      g_test_message ("  %u. %s %s", i, r->passed ? "pass" : "FAIL", r->figures);
    }
}

static void
assert_translated (const ZsLessonText *text)
{
  g_assert_nonnull (zs_lesson_text_get_for (text, "en"));
  g_assert_nonnull (zs_lesson_text_get_for (text, "zh_CN"));
}

/* Every text a student reads is there in English and Chinese. */
static void
test_translated (void)
{
  for (guint l = 0; l < G_N_ELEMENTS (shipped); l++)
    {
      g_autoptr(ZsLesson) lesson = load_lesson (shipped[l].file);

      assert_translated (lesson->title);
      assert_translated (lesson->summary);
      for (guint i = 0; i < lesson->steps->len; i++)
        assert_translated (((ZsLessonStep *) g_ptr_array_index (lesson->steps, i))->text);
      for (guint i = 0; i < lesson->goals->len; i++)
        assert_translated (((ZsGoal *) g_ptr_array_index (lesson->goals, i))->text);
    }
}

/* No shipped lesson is left out of this test. */
static void
test_all_listed (void)
{
  const char *dir_name = g_getenv ("ZS_LESSONS_DIR");
  g_autoptr(GDir) dir = g_dir_open (dir_name ? dir_name : "data/lessons", 0, NULL);
  const char *file;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((file = g_dir_read_name (dir)) != NULL)
    {
      gboolean listed = FALSE;

      for (guint l = 0; l < G_N_ELEMENTS (shipped); l++)
        listed |= g_str_equal (shipped[l].file, file);
      if (!listed)
        g_error ("%s is not in this test", file);
      n++;
    }
  g_assert_cmpuint (n, >=, 8);
}

static void
test_lesson (gconstpointer data)
{
  const ShippedLesson *shipped_lesson = data;
  g_autoptr(ZsLesson) lesson = load_lesson (shipped_lesson->file);
  g_autoptr(ZsGrade) solution = zs_lesson_grade (lesson, NULL, 0, ZS_GRADE_FREE_PORTS);
  g_autoptr(ZsGrade) start = zs_lesson_grade (lesson, lesson->topology, 0, ZS_GRADE_FREE_PORTS);

  log_grade ("solution", solution);
  log_grade ("start", start);

  g_assert_null (solution->problem);
  for (guint i = 0; i < solution->results->len; i++)
    g_assert_true (((ZsGoalResult *) g_ptr_array_index (solution->results, i))->passed);
  g_assert_true (solution->passed);
  for (guint i = 0; i < solution->snapshot->n_links; i++)
    {
      const ZsLinkStats *l = &solution->snapshot->links[i];

      g_assert_cmpuint (l->sent, ==, l->received + l->dropped + l->unread + l->lost + l->in_flight);
    }

  g_assert_false (start->passed);
  for (guint f = 0; f < G_N_ELEMENTS (shipped_lesson->fails) && shipped_lesson->fails[f].reason != NULL; f++)
    {
      const Failure *failure = &shipped_lesson->fails[f];
      ZsGoalResult *r = g_ptr_array_index (start->results, failure->goal);

      g_assert_false (r->passed);
      if (strstr (r->figures, failure->reason) == NULL)
        g_error ("%s goal %u: expected “%s” in “%s”", shipped_lesson->file, failure->goal, failure->reason,
                 r->figures);
    }
  /* The starting topology is the lesson's own: nothing it locks differs. */
  for (guint i = 0; i < start->results->len; i++)
    {
      ZsGoalResult *r = g_ptr_array_index (start->results, i);

      if (r->goal->kind == ZS_GOAL_LOCKED)
        g_assert_true (r->passed);
    }
}

/* The durable subscriber's middle step, as its text says: the PUB
 * connects, so its pipe keeps 2 updates (its HWM) and drops 8. */
static void
test_durable_middle_step (void)
{
  g_autoptr(ZsLesson) lesson = load_lesson ("2-durable-subscriber.json");
  g_autoptr(ZsTopology) student = zs_topology_copy (lesson->solution);
  g_autoptr(ZsGrade) grade = NULL;
  ZsNode *publisher = zs_topology_find_node (student, "publisher");
  ZsGoalResult *received, *dropped;

  g_object_set (zs_node_get_socket (publisher, 0), "sndhwm", 2, NULL);
  grade = zs_lesson_grade (lesson, student, 0, ZS_GRADE_FREE_PORTS);
  log_grade ("PUB connects, SNDHWM 2", grade);
  received = g_ptr_array_index (grade->results, 0);
  dropped = g_ptr_array_index (grade->results, 1);
  g_assert_cmpstr (received->figures, ==, "subscriber received 3, fewer than 11");
  g_assert_cmpstr (dropped->figures, ==, "publisher.pub -> subscriber.sub: 8 of 11 dropped");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/lessons/all-listed", test_all_listed);
  g_test_add_func ("/zmqscope/lessons/translated", test_translated);
  g_test_add_func ("/zmqscope/lessons/durable-middle-step", test_durable_middle_step);
  for (guint i = 0; i < G_N_ELEMENTS (shipped); i++)
    {
      g_autofree char *name = g_strdup_printf ("/zmqscope/lessons/%s", shipped[i].file);

      g_test_add_data_func (name, &shipped[i], test_lesson);
    }
  return g_test_run ();
}
