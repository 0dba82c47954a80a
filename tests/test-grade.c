/* test-grade.c: `zmqscope grade` as a teacher meets it: the real binary,
 * a lesson, students' files good, broken and unloadable (inproc only: no
 * tcp port)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define SERVER \
  "{ \"name\": \"server\", \"role\": \"server\", \"reply\": \"%s\"," \
  "  \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"binds\": [ \"inproc://hello\" ] } ] }"
#define CLIENT \
  "{ \"name\": \"client\", \"role\": \"client\", \"payload\": [ \"Hello\" ], \"count\": 3," \
  "  \"sockets\": [ { \"name\": \"req\", \"type\": \"%s\", \"connects\": [ \"inproc://hello\" ] } ] }"

typedef struct {
  char *dir;
  char *out;
  char *err;
  int   status;
} Grade;

static char *
topology (const char *reply,
          const char *client_type)
{
  g_autofree char *server = g_strdup_printf (SERVER, reply);
  g_autofree char *client = g_strdup_printf (CLIENT, client_type);

  return g_strdup_printf ("{ \"zmqscope\": 1, \"nodes\": [ %s, %s ] }", server, client);
}

static char *
write_file (Grade      *g,
            const char *name,
            const char *text)
{
  char *path = g_build_filename (g->dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* A lesson, "1-hello.json" in a lessons folder of its own. */
static void
grade_init (Grade *g)
{
  g_autofree char *start = topology ("World", "REQ");
  g_autofree char *lesson = g_strdup_printf (
    "{ \"zmqscope-lesson\": 1, \"title\": { \"en\": \"Hello\", \"zh_CN\": \"你好\" }, \"seconds\": 10,\n"
    "  \"topology\": %s,\n  \"solution\": %s,\n"
    "  \"steps\": [ { \"text\": \"Run it.\", \"action\": \"start\" } ],\n"
    "  \"goals\": [ { \"kind\": \"replies-within\", \"node\": \"client\", \"count\": 3, \"seconds\": 5 },\n"
    "             { \"kind\": \"locked\", \"node\": \"server\" } ] }\n", start, start);
  g_autofree char *path = NULL;

  memset (g, 0, sizeof *g);
  g->dir = g_dir_make_tmp ("zs-grade-XXXXXX", NULL);
  path = write_file (g, "1-hello.json", lesson);
}

static void
remove_all (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

static void
grade_clear (Grade *g)
{
  remove_all (g->dir);
  g_free (g->dir);
  g_free (g->out);
  g_free (g->err);
}

/* Runs `zmqscope grade ARGS…` (in English), waits for it and keeps what
 * it printed. */
static void
grade_run (Grade      *g,
           const char *first,
           ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *build = g_getenv ("ZS_BUILD_DIR");
  va_list args;

  g_ptr_array_add (argv, g_build_filename (build ? build : ".", "app", "zmqscope", NULL));
  g_ptr_array_add (argv, g_strdup ("grade"));
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  if (g->dir != NULL)
    g_subprocess_launcher_setenv (launcher, "ZS_LESSONS_DIR", g->dir, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "ZS_LESSONS_DIR");
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_clear_pointer (&g->out, g_free);
  g_clear_pointer (&g->err, g_free);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &g->out, &g->err, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  g->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", g->status, g->out, g->err);
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("expected “%s” in:\n%s", part, text);
}

/* `grade LESSON`: the lesson's own solution, found by its name. */
static void
test_reference (void)
{
  Grade g;

  grade_init (&g);
  grade_run (&g, "hello", NULL);
  g_assert_cmpint (g.status, ==, 0);
  assert_contains (g.out, "Graded: the lesson’s reference solution");
  assert_contains (g.out, "PASS  1. client receives 3 messages within 5 s — client received 3 messages in ");
  assert_contains (g.out, "PASS  2. node “server” stays as the lesson has it — unchanged");
  assert_contains (g.out, "2 of 2 goals passed: PASSED");
  g_assert_cmpstr (g.err, ==, "");
  grade_clear (&g);
}

/* A student who changed what the lesson locks fails, and is told what. */
static void
test_locked_changed (void)
{
  Grade g;
  g_autofree char *text = topology ("Bye", "REQ");
  g_autofree char *student = NULL;
  g_autofree char *lesson = NULL;

  grade_init (&g);
  student = write_file (&g, "student.json", text);
  lesson = g_build_filename (g.dir, "1-hello.json", NULL);
  grade_run (&g, lesson, student, NULL);
  g_assert_cmpint (g.status, ==, 1);
  assert_contains (g.out, "PASS  1. client receives 3 messages");
  assert_contains (g.out, "FAIL  2. node “server” stays as the lesson has it — node server: “reply” is locked: "
                          "the lesson has \"World\", your file \"Bye\"");
  assert_contains (g.out, "1 of 2 goals passed: FAILED");
  grade_clear (&g);
}

/* --json, for a teacher's loop over a class. */
static void
test_json (void)
{
  Grade g;
  g_autofree char *text = topology ("Bye", "REQ");
  g_autofree char *student = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *goal;
  JsonArray *goals;

  grade_init (&g);
  student = write_file (&g, "student.json", text);
  grade_run (&g, "hello", student, "--json", NULL);
  g_assert_cmpint (g.status, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, g.out, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "passed"));
  g_assert_cmpstr (json_object_get_string_member (root, "student"), ==, student);
  goals = json_object_get_array_member (root, "goals");
  g_assert_cmpuint (json_array_get_length (goals), ==, 2);
  goal = json_array_get_object_element (goals, 0);
  g_assert_cmpstr (json_object_get_string_member (goal, "kind"), ==, "replies-within");
  g_assert_true (json_object_get_boolean_member (goal, "passed"));
  goal = json_array_get_object_element (goals, 1);
  g_assert_cmpstr (json_object_get_string_member (goal, "kind"), ==, "locked");
  g_assert_false (json_object_get_boolean_member (goal, "passed"));
  assert_contains (json_object_get_string_member (goal, "figures"), "“reply” is locked");
  grade_clear (&g);
}

/* Files that are no topology, or an invalid one: a failed grade that says
 * why, every goal failed, never a crash. */
static void
test_bad_student (void)
{
  Grade g;
  g_autofree char *invalid_text = topology ("World", "REP");
  g_autofree char *broken = NULL, *invalid = NULL, *missing = NULL;

  grade_init (&g);
  broken = write_file (&g, "broken.json", "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": ");
  grade_run (&g, "hello", broken, NULL);
  g_assert_cmpint (g.status, ==, 1);
  assert_contains (g.out, "Problem: your file does not load: broken.json:1:");
  assert_contains (g.out, "FAIL  1.");
  assert_contains (g.out, "FAIL  2.");
  assert_contains (g.out, "0 of 2 goals passed: FAILED");

  invalid = write_file (&g, "invalid.json", invalid_text);
  grade_run (&g, "hello", invalid, NULL);
  g_assert_cmpint (g.status, ==, 1);
  assert_contains (g.out, "Problem: your topology has errors: ");
  assert_contains (g.out, "FAIL  1. client receives 3 messages within 5 s — your topology has errors: ");
  /* What the file says can still be checked: the server is unchanged. */
  assert_contains (g.out, "PASS  2.");
  assert_contains (g.out, "1 of 2 goals passed: FAILED");

  missing = g_build_filename (g.dir, "missing.json", NULL);
  grade_run (&g, "hello", missing, NULL);
  g_assert_cmpint (g.status, ==, 1);
  assert_contains (g.out, "Problem: your file does not load: ");
  grade_clear (&g);
}

/* A lesson that does not load is a usage error with its position. */
static void
test_bad_lesson (void)
{
  Grade g;
  g_autofree char *lesson = NULL;

  grade_init (&g);
  lesson = write_file (&g, "2-bad.json", "{ \"zmqscope-lesson\": 1,\n  \"title\": 42 }");
  grade_run (&g, "bad", NULL);
  g_assert_cmpint (g.status, ==, 2);
  assert_contains (g.err, "cannot load the lesson ");
  assert_contains (g.err, "2-bad.json:2:12: title: expected a string or an object of texts by language, found a number");
  grade_run (&g, "no-such-lesson", NULL);
  g_assert_cmpint (g.status, ==, 2);
  grade_run (&g, NULL);
  g_assert_cmpint (g.status, ==, 2);
  assert_contains (g.err, "Usage: zmqscope grade LESSON");
  grade_run (&g, "hello", "--seconds", "-1", NULL);
  g_assert_cmpint (g.status, ==, 2);
  grade_clear (&g);
}

/* Run from the build tree, the program finds the shipped lessons in the
 * source tree, by name (a student file that does not load: nothing runs,
 * no port is taken). */
static void
test_shipped_uninstalled (void)
{
  Grade g = { 0 };

  grade_run (&g, "slow-joiner", "/nonexistent/student.json", NULL);
  g_assert_cmpint (g.status, ==, 1);
  assert_contains (g.out, "Lesson: The slow joiner\n");
  assert_contains (g.out, "Problem: your file does not load: ");
  assert_contains (g.out, "FAIL  4. The publisher still sends 1000 updates, as fast as it can");
  g_free (g.out);
  g_free (g.err);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/grade/reference", test_reference);
  g_test_add_func ("/zmqscope/grade/locked-changed", test_locked_changed);
  g_test_add_func ("/zmqscope/grade/json", test_json);
  g_test_add_func ("/zmqscope/grade/bad-student", test_bad_student);
  g_test_add_func ("/zmqscope/grade/bad-lesson", test_bad_lesson);
  g_test_add_func ("/zmqscope/grade/shipped-uninstalled", test_shipped_uninstalled);

  return g_test_run ();
}
