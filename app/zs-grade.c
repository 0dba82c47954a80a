/* zs-grade.c: `zmqscope grade LESSON [STUDENT.json] [--json] [--seconds N]`
 *
 * Runs the student's topology (or the lesson's reference solution) with
 * the real engine, as `zmqscope run` does, and prints each goal passed or
 * failed with the figures behind it. Exit 0 only when every goal passed;
 * a student file that does not load or validate is a failed grade that
 * says why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-grade"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "zs-dirs.h"
#include "zs-cli.h"
#include "zs-grade.h"
#include "zs-lesson-grade.h"
#include "zs-report.h"

#define MAX_SECONDS 3600.0

enum {
  EXIT_PASSED = 0,
  EXIT_FAILED = 1,   /* a goal failed, or the student's file is not a topology */
  EXIT_USAGE = 2,    /* bad arguments, or the lesson does not load */
};

gboolean
zs_grade_handles (int    argc,
                  char **argv)
{
  return argc > 1 && g_str_equal (argv[1], "grade");
}

/* "3-bind-vs-connect.json" answers to "bind-vs-connect" too. */
static gboolean
lesson_file_is (const char *file,
                const char *name)
{
  const char *dash = strchr (file, '-');
  g_autofree char *bare = NULL;

  if (!g_str_has_suffix (file, ".json"))
    return FALSE;
  bare = g_strndup (file, strlen (file) - strlen (".json"));
  return g_str_equal (bare, name)
         || (dash != NULL && g_ascii_isdigit (file[0]) && g_str_equal (bare + (dash - file) + 1, name));
}

/* A path, or the name of a shipped lesson. */
static char *
find_lesson (const char *lesson)
{
  g_autoptr(GDir) dir = NULL;
  const char *file;

  if (strchr (lesson, G_DIR_SEPARATOR) != NULL || g_file_test (lesson, G_FILE_TEST_EXISTS))
    return g_strdup (lesson);
  dir = g_dir_open (zs_dirs_get_lessons_dir (), 0, NULL);
  while (dir != NULL && (file = g_dir_read_name (dir)) != NULL)
    if (lesson_file_is (file, lesson))
      return g_build_filename (zs_dirs_get_lessons_dir (), file, NULL);
  return g_strdup (lesson);
}

static void
print_text (ZsLesson   *lesson,
            const char *student,
            ZsGrade    *grade)
{
  guint passed = 0;

  g_print (_("Lesson: %s\n"), zs_lesson_text_get (lesson->title));
  g_print (_("Graded: %s\n"), student != NULL ? student : _("the lesson’s reference solution"));
  if (grade->problem != NULL)
    {
      g_autofree char *shown = zs_report_escape (grade->problem);

      g_print (_("Problem: %s\n"), shown);
    }
  for (guint i = 0; i < grade->results->len; i++)
    {
      ZsGoalResult *r = g_ptr_array_index (grade->results, i);
      g_autofree char *goal = zs_goal_describe (r->goal);
      g_autofree char *figures = zs_report_escape (r->figures);

      /* TRANSLATORS: one goal of a graded lesson: PASS or FAIL, its number, what it asks, the figures */
      g_print (_("%s  %u. %s — %s\n"), r->passed ? _("PASS") : _("FAIL"), i + 1, goal, figures);
      passed += r->passed;
    }
  g_print (_("%u of %u goals passed: %s\n"), passed, grade->results->len,
           grade->passed ? _("PASSED") : _("FAILED"));
}

static void
print_json (ZsLesson   *lesson,
            const char *lesson_path,
            const char *student,
            ZsGrade    *grade)
{
  g_autoptr(JsonBuilder) b = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "lesson");
  json_builder_add_string_value (b, lesson_path);
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, zs_lesson_text_get (lesson->title));
  json_builder_set_member_name (b, "student");
  if (student != NULL)
    json_builder_add_string_value (b, student);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "passed");
  json_builder_add_boolean_value (b, grade->passed);
  json_builder_set_member_name (b, "problem");
  if (grade->problem != NULL)
    json_builder_add_string_value (b, grade->problem);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "goals");
  json_builder_begin_array (b);
  for (guint i = 0; i < grade->results->len; i++)
    {
      ZsGoalResult *r = g_ptr_array_index (grade->results, i);
      g_autofree char *goal = zs_goal_describe (r->goal);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, zs_goal_kind_to_string (r->goal->kind));
      json_builder_set_member_name (b, "goal");
      json_builder_add_string_value (b, goal);
      json_builder_set_member_name (b, "passed");
      json_builder_add_boolean_value (b, r->passed);
      json_builder_set_member_name (b, "figures");
      json_builder_add_string_value (b, r->figures);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_print ("%s\n", text);
}

int
zs_grade_main (int    argc,
               char **argv)
{
  double seconds = 0;
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(ZsLesson) lesson = NULL;
  g_autoptr(ZsGrade) grade = NULL;
  g_autofree char *lesson_path = NULL;
  const char *student;
  const GOptionEntry entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds,
      N_("Stop the run after this many seconds (default: the lesson’s limit)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the grade as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("LESSON [STUDENT.json] — run a student’s topology and check the lesson’s "
                                    "goals (without STUDENT.json: the lesson’s reference solution)"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!zs_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 && argc != 3)
    {
      g_printerr (_("Usage: zmqscope grade LESSON [STUDENT.json] [--seconds N] [--json]\n"));
      return EXIT_USAGE;
    }
  if (!isfinite (seconds) || seconds < 0 || seconds > MAX_SECONDS)
    {
      g_printerr (_("zmqscope: %s must be a number from 0 to %.0f\n"), "--seconds", MAX_SECONDS);
      return EXIT_USAGE;
    }
  lesson_path = find_lesson (argv[1]);
  lesson = zs_lesson_load_from_file (lesson_path, &error);
  if (lesson == NULL)
    {
      g_autofree char *shown = zs_report_escape (error->message);

      g_printerr (_("zmqscope: cannot load the lesson %s: %s\n"), lesson_path, shown);
      return EXIT_USAGE;
    }
  student = argc == 3 ? argv[2] : NULL;
  grade = student != NULL ? zs_lesson_grade_file (lesson, student, seconds, ZS_GRADE_NONE)
                          : zs_lesson_grade (lesson, NULL, seconds, ZS_GRADE_NONE);
  if (json)
    print_json (lesson, lesson_path, student, grade);
  else
    print_text (lesson, student, grade);
  return grade->passed ? EXIT_PASSED : EXIT_FAILED;
}
