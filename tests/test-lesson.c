/* test-lesson.c: the lesson format and every goal kind, headless, against
 * hand-made snapshots
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "zs-fault-script.h"
#include "zs-lesson.h"
#include "zs-lesson-check.h"
#include "zs-topology-file.h"

/* A PUB and two SUBs; the solution adds a worker pair. */
#define PUBSUB \
  "{ \"zmqscope\": 1, \"nodes\": [\n" \
  "  { \"name\": \"pub\", \"role\": \"publisher\", \"payload\": [\"x\"], \"count\": 10,\n" \
  "    \"sockets\": [ { \"name\": \"pub\", \"type\": \"PUB\", \"binds\": [\"inproc://a\"] } ] },\n" \
  "  { \"name\": \"sub-1\", \"role\": \"subscriber\", \"count\": 10,\n" \
  "    \"sockets\": [ { \"name\": \"sub\", \"type\": \"SUB\", \"connects\": [\"inproc://a\"], \"subscribe\": [\"\"] } ] },\n" \
  "  { \"name\": \"sub-2\", \"role\": \"subscriber\", \"count\": 10,\n" \
  "    \"sockets\": [ { \"name\": \"sub\", \"type\": \"SUB\", \"connects\": [\"inproc://a\"], \"subscribe\": [\"\"] } ] } ] }"

static char *
lesson_text (const char *goals)
{
  return g_strdup_printf ("{\n"
                          "  \"zmqscope-lesson\": 1,\n"
                          "  \"title\": { \"en\": \"Test\", \"zh_CN\": \"测试\" },\n"
                          "  \"seconds\": 5,\n"
                          "  \"topology\": " PUBSUB ",\n"
                          "  \"solution\": " PUBSUB ",\n"
                          "  \"steps\": [ { \"text\": \"Press Run.\", \"action\": \"start\" } ],\n"
                          "  \"goals\": [\n%s\n  ]\n"
                          "}\n", goals);
}

static ZsLesson *
load_goals (const char *goals)
{
  g_autofree char *text = lesson_text (goals);
  g_autoptr(GError) error = NULL;
  ZsLesson *lesson = zs_lesson_load_from_data (text, -1, "test.json", &error);

  g_assert_no_error (error);
  g_assert_nonnull (lesson);
  return lesson;
}

static void
assert_refused (const char *text,
                const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsLesson) lesson = zs_lesson_load_from_data (text, -1, "bad.json", &error);

  g_assert_null (lesson);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  if (!g_str_has_prefix (error->message, expected))
    g_error ("expected “%s…”, got “%s”", expected, error->message);
}

static void
assert_goals_refused (const char *goals,
                      const char *expected)
{
  g_autofree char *text = lesson_text (goals);

  assert_refused (text, expected);
}

static void
test_parse (void)
{
  g_autoptr(ZsLesson) lesson = load_goals (
    "    { \"kind\": \"receives\", \"nodes\": [\"sub-1\", \"sub-2\"], \"count\": 10,\n"
    "      \"text\": { \"en\": \"Every subscriber gets all 10\", \"zh_CN\": \"每个订阅者都收到全部 10 条\" } },\n"
    "    { \"kind\": \"no-drops\", \"link\": { \"connect\": \"sub-1.sub\", \"bind\": \"pub.pub\" } },\n"
    "    { \"kind\": \"locked\", \"node\": \"pub\", \"settings\": [\"count\", \"pub.sndhwm\"] },\n"
    "    { \"kind\": \"all-get-work\", \"role\": \"subscriber\", \"min-nodes\": 2 },\n"
    "    { \"kind\": \"replies-within\", \"node\": \"sub-1\", \"count\": 3, \"seconds\": 1.5 },\n"
    "    { \"kind\": \"throughput\", \"node\": \"sub-2\", \"rate\": 1000 },\n"
    "    { \"kind\": \"reaches-end\", \"nodes\": [\"sub-1\"] }");
  const ZsGoal *g;
  const ZsLessonStep *step;

  g_assert_cmpstr (zs_lesson_text_get_for (lesson->title, "en"), ==, "Test");
  g_assert_cmpstr (zs_lesson_text_get_for (lesson->title, "zh_CN"), ==, "测试");
  g_assert_cmpfloat (lesson->seconds, ==, 5);
  g_assert_cmpuint (zs_topology_get_n_nodes (lesson->topology), ==, 3);
  g_assert_cmpuint (lesson->steps->len, ==, 1);
  step = g_ptr_array_index (lesson->steps, 0);
  g_assert_cmpint (step->action, ==, ZS_LESSON_ACTION_START);
  g_assert_cmpstr (zs_lesson_text_get (step->text), ==, "Press Run.");
  g_assert_null (step->fault);
  g_assert_cmpuint (lesson->goals->len, ==, 7);

  g = g_ptr_array_index (lesson->goals, 0);
  g_assert_cmpint (g->kind, ==, ZS_GOAL_RECEIVES);
  g_assert_cmpuint (g_strv_length (g->nodes), ==, 2);
  g_assert_cmpuint (g->count, ==, 10);
  g_assert_cmpstr (zs_lesson_text_get_for (g->text, "zh_CN"), ==, "每个订阅者都收到全部 10 条");
  g = g_ptr_array_index (lesson->goals, 1);
  g_assert_cmpstr (g->link->connect, ==, "sub-1.sub");
  g_assert_cmpint (zs_lesson_link_find (g->link, lesson->solution), >=, 0);
  g = g_ptr_array_index (lesson->goals, 2);
  g_assert_cmpstr (g->settings[1], ==, "pub.sndhwm");
  g = g_ptr_array_index (lesson->goals, 3);
  g_assert_true (g->has_role);
  g_assert_cmpuint (g->count, ==, 1);
  g_assert_cmpuint (g->min_nodes, ==, 2);
  g = g_ptr_array_index (lesson->goals, 4);
  g_assert_cmpfloat (g->seconds, ==, 1.5);
  g = g_ptr_array_index (lesson->goals, 5);
  g_assert_cmpfloat (g->rate, ==, 1000);
}

/* Each bad input: refused with the file, the line and column where the
 * member's value begins, the member, and why. */
/* A step may break the run: "fault" is one fault of a fault script,
 * without its time, checked against the starting topology. */
static void
test_step_fault (void)
{
  g_autofree char *text = lesson_text ("    { \"kind\": \"no-drops\" }");
  g_auto(GStrv) parts = g_strsplit (text, "\"action\": \"start\" }", 2);
  g_autofree char *with_fault = g_strconcat (parts[0], "\"action\": \"start\" }, { \"text\": \"Next kills sub-1.\", "
                                             "\"fault\": \"kill sub-1\" }", parts[1], NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsLesson) lesson = NULL;
  const ZsLessonStep *step;
  ZsFaultStep fault;

  lesson = zs_lesson_load_from_data (with_fault, -1, "fault.json", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lesson->steps->len, ==, 2);
  step = g_ptr_array_index (lesson->steps, 1);
  g_assert_cmpint (step->action, ==, ZS_LESSON_ACTION_NONE);
  g_assert_cmpstr (step->fault, ==, "kill sub-1");
  g_assert_true (zs_fault_step_parse (step->fault, lesson->topology, &fault, &error));
  g_assert_cmpint (fault.kind, ==, ZS_FAULT_KILL);
  g_assert_cmpuint (fault.target, ==, 1);
  g_assert_cmpint (fault.at_us, ==, 0);
}

static void
test_bad_input (void)
{
  assert_goals_refused ("    { \"kind\": \"teleport\", \"node\": \"pub\" }",
                        "bad.json:21:15: goals[0].kind: unknown goal kind “teleport”; expected one of receives,");
  assert_goals_refused ("    { \"kind\": \"receives\", \"node\": \"sub-1\" }",
                        "bad.json:21:5: goals[0].count: a “receives” goal needs this member");
  assert_goals_refused ("    { \"kind\": \"receives\", \"node\": \"sub-1\", \"count\": \"ten\" }",
                        "bad.json:21:53: goals[0].count: expected a number, found a string");
  assert_goals_refused ("    { \"kind\": \"receives\", \"node\": \"sub-1\", \"count\": 2.5 }",
                        "bad.json:21:53: goals[0].count: expected a whole number, found 2.5");
  assert_goals_refused ("    { \"kind\": \"receives\", \"node\": \"sub-9\", \"count\": 1 }",
                        "bad.json:21:5: goals[0]: there is no node “sub-9” in the lesson’s solution");
  assert_goals_refused ("    { \"kind\": \"no-drops\", \"colour\": \"red\" }",
                        "bad.json:21:37: goals[0].colour: a “no-drops” goal has no such member");
  assert_goals_refused ("    { \"kind\": \"no-drops\", \"link\": { \"connect\": \"pub.pub\", \"bind\": \"sub-1.sub\" } }",
                        "bad.json:21:35: goals[0].link: the lesson’s solution has no link from pub.pub to sub-1.sub");
  assert_goals_refused ("    { \"kind\": \"locked\", \"node\": \"pub\", \"settings\": [\"colour\"] }",
                        "bad.json:21:53: goals[0].settings[0]: “colour” is not a setting of node “pub”");
  assert_goals_refused ("    { \"kind\": \"reaches-end\" }",
                        "bad.json:21:5: goals[0]: say which nodes");
  assert_goals_refused ("    { \"kind\": \"reaches-end\", \"node\": \"sub-1\", \"text\": { \"fr\": \"fin\" } }",
                        "bad.json:21:55: goals[0].text: the English text (“en”) is missing");
  assert_goals_refused ("    { \"kind\": \"throughput\", \"node\": \"sub-1\", \"rate\": -3 }",
                        "bad.json:21:54: goals[0].rate: -3 is out of range");
  assert_goals_refused ("    42", "bad.json:21:5: goals[0]: expected an object, found a number");
  /* A lone surrogate escape: json-glib hands over bytes that are not UTF-8. */
  assert_goals_refused ("    { \"kind\": \"no-drops\", \"text\": { \"\\ud800\": \"x\" } }",
                        "bad.json:21:");
  assert_goals_refused ("    { \"kind\": \"no-drops\", \"\\ud800\": 1 }", "bad.json:21:");

  /* Steps, the lesson's own members, its topologies, its syntax. */
  assert_refused ("{ \"zmqscope-lesson\": 1, \"title\": \"t\", \"topology\": " PUBSUB ", \"solution\": " PUBSUB ",\n"
                  "  \"steps\": [ { \"text\": \"a\", \"action\": \"explode\" } ], \"goals\": [] }",
                  "bad.json:14:39: steps[0].action: unknown step action “explode”; expected one of none, start, pause");
  assert_refused ("{ \"zmqscope-lesson\": 1, \"title\": \"t\", \"topology\": " PUBSUB ", \"solution\": " PUBSUB ",\n"
                  "  \"steps\": [ { \"words\": \"a\" } ], \"goals\": [] }",
                  "bad.json:14:25: steps[0].words: unknown member; expected one of text, action, fault");
  assert_refused ("{ \"zmqscope-lesson\": 1, \"title\": \"t\", \"topology\": " PUBSUB ", \"solution\": " PUBSUB ",\n"
                  "  \"steps\": [ { \"text\": \"a\", \"fault\": \"kill sub-9\" } ], \"goals\": [] }",
                  "bad.json:14:38: steps[0].fault: in the starting topology: 1:6: there is no node “sub-9”");
  assert_refused ("{ \"zmqscope-lesson\": 1, \"title\": \"t\", \"topology\": " PUBSUB ", \"solution\": " PUBSUB ",\n"
                  "  \"steps\": [ { \"text\": \"a\", \"fault\": \"at 1 s kill sub-1\" } ], \"goals\": [] }",
                  "bad.json:14:38: steps[0].fault: in the starting topology: 1:1: unknown fault “at”");
  assert_refused ("{ \"zmqscope-lesson\": 1, \"title\": \"t\", \"topology\": " PUBSUB ", \"solution\": " PUBSUB ",\n"
                  "  \"steps\": [ { \"text\": \"a\" } ], \"goals\": [] }",
                  "bad.json:14:42: goals: the list is empty");
  assert_refused ("{ \"zmqscope-lesson\": 1, \"title\": \"t\",\n"
                  "  \"topology\": { \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"wizard\" } ] } }",
                  "bad.json:2:66: topology.nodes[0].role: unknown role “wizard”");
  assert_refused ("{ \"zmqscope-lesson\": 2 }",
                  "bad.json:1:22: zmqscope-lesson: this lesson was written for a newer zmqscope");
  assert_refused ("{ \"zmqscope\": 1, \"nodes\": [] }",
                  "bad.json:1:1: not a zmqscope lesson");
  assert_refused ("{ \"zmqscope-lesson\": 1, \"title\": \"t\" /* hm */ }",
                  "bad.json:1:38: comments are not allowed");
  assert_refused ("{ \"zmqscope-lesson\": 1, \"title\": ", "bad.json:1:");
  assert_refused ("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
                  "bad.json:1:65: nested deeper than 64 levels");
  assert_refused ("{ \"zmqscope-lesson\": 123456789012345678901234 }",
                  "zmqscope-lesson: 123456789012345678901234 is too large a number");
}

/* Not one crash or leak on any prefix of a good lesson. */
static void
test_truncated (void)
{
  g_autofree char *text = lesson_text ("    { \"kind\": \"reaches-end\", \"role\": \"subscriber\" }");
  gsize length = strlen (text);

  /* It ends "}\n": every cut before that brace is incomplete. */
  for (gsize i = 0; i + 2 < length; i += 7)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZsLesson) lesson = zs_lesson_load_from_data (text, i, "cut.json", &error);

      g_assert_null (lesson);
      g_assert_nonnull (error);
      g_assert_true (g_str_has_prefix (error->message, "cut.json:"));
    }
}

/* Random byte changes of a good lesson (a fixed seed): each either loads
 * or is refused with a position, never a crash, a leak or a warning. */
static void
test_mutated (void)
{
  g_autofree char *text = lesson_text ("    { \"kind\": \"receives\", \"role\": \"subscriber\", \"count\": 3 },\n"
                                       "    { \"kind\": \"locked\", \"link\": { \"connect\": \"sub-1.sub\", \"bind\": \"pub.pub\" } }");
  static const char pieces[] = "{}[]\",:0-9.eE\\ \nax\xff";
  g_autoptr(GRand) rand = g_rand_new_with_seed (1311);
  gsize length = strlen (text);

  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *mutant = g_strdup (text);
      g_autoptr(GError) error = NULL;
      g_autoptr(ZsLesson) lesson = NULL;

      for (guint n = g_rand_int_range (rand, 1, 4); n > 0; n--)
        mutant[g_rand_int_range (rand, 0, length)] = pieces[g_rand_int_range (rand, 0, sizeof pieces - 1)];
      lesson = zs_lesson_load_from_data (mutant, length, "m.json", &error);
      g_assert_true ((lesson == NULL) != (error == NULL));
      if (error != NULL)
        g_assert_true (g_str_has_prefix (error->message, "m.json:"));
    }
}

/* ------------------------------------------------------------------ */
/* Goals against hand-made snapshots                                   */

typedef struct {
  ZsLesson   *lesson;
  ZsTopology *student;
  ZsSnapshot *snapshot;
} Check;

static void
check_init (Check      *c,
            const char *goal)
{
  g_autoptr(GError) error = NULL;

  c->lesson = load_goals (goal);
  c->student = zs_topology_load_from_data (PUBSUB, -1, &error);
  g_assert_no_error (error);
  c->snapshot = zs_snapshot_new (3, zs_topology_get_links (c->student)->len);
  g_assert_cmpuint (c->snapshot->n_links, ==, 2);
  c->snapshot->run_started_us = 1000000;
  c->snapshot->time_us = 5000000;
  for (guint i = 0; i < 3; i++)
    c->snapshot->nodes[i].state = ZS_NODE_STATE_DONE;
}

static void
check_clear (Check *c)
{
  zs_lesson_free (c->lesson);
  g_object_unref (c->student);
  zs_snapshot_free (c->snapshot);
}

/* Checks the one goal; returns its figures (owned by the caller). */
static char *
check_one (Check    *c,
           gboolean  expect_pass)
{
  g_autoptr(GPtrArray) results = zs_lesson_check (c->lesson, c->student, c->snapshot, NULL);
  ZsGoalResult *r;

  g_assert_cmpuint (results->len, ==, 1);
  r = g_ptr_array_index (results, 0);
  g_test_message ("%s: %s", r->passed ? "pass" : "FAIL", r->figures);
  g_assert_cmpint (r->passed, ==, expect_pass);
  return g_strdup (r->figures);
}

#define assert_figures(c, pass, expected) \
  G_STMT_START { \
    g_autofree char *_f = check_one (c, pass); \
    g_assert_cmpstr (_f, ==, expected); \
  } G_STMT_END

static void
test_goal_receives (void)
{
  Check c;

  check_init (&c, "{ \"kind\": \"receives\", \"nodes\": [\"sub-1\", \"sub-2\"], \"count\": 10 }");
  c.snapshot->nodes[1].received = 10;
  c.snapshot->nodes[2].received = 7;
  assert_figures (&c, FALSE, "sub-2 received 7, fewer than 10");
  c.snapshot->nodes[2].received = 10;
  assert_figures (&c, TRUE, "sub-1 received 10; sub-2 received 10");
  check_clear (&c);

  /* On one socket: what its links delivered. */
  check_init (&c, "{ \"kind\": \"receives\", \"node\": \"sub-1\", \"socket\": \"sub\", \"count\": 3 }");
  c.snapshot->nodes[1].received = 9;
  c.snapshot->links[0].received = 2;
  assert_figures (&c, FALSE, "sub-1 received 2, fewer than 3");
  check_clear (&c);

  /* And no more than: what a filter lets through. */
  check_init (&c, "{ \"kind\": \"receives\", \"node\": \"sub-1\", \"count\": 5, \"at-most\": 5 }");
  c.snapshot->nodes[1].received = 10;
  assert_figures (&c, FALSE, "sub-1 received 10, more than 5");
  c.snapshot->nodes[1].received = 5;
  assert_figures (&c, TRUE, "sub-1 received 5");
  check_clear (&c);
}

static void
test_goal_all_get_work (void)
{
  Check c;

  check_init (&c, "{ \"kind\": \"all-get-work\", \"role\": \"subscriber\", \"min-nodes\": 3 }");
  c.snapshot->nodes[1].received = 4;
  assert_figures (&c, FALSE, "2 nodes of role subscriber, the goal needs at least 3; sub-2 received 0, fewer than 1");
  check_clear (&c);

  check_init (&c, "{ \"kind\": \"all-get-work\", \"role\": \"subscriber\" }");
  c.snapshot->nodes[1].received = 4;
  c.snapshot->nodes[2].received = 1;
  assert_figures (&c, TRUE, "sub-1 received 4; sub-2 received 1");
  check_clear (&c);
}

static void
test_goal_no_drops (void)
{
  Check c;

  check_init (&c, "{ \"kind\": \"no-drops\" }");
  assert_figures (&c, TRUE, "0 dropped");
  c.snapshot->links[1].sent = 10;
  c.snapshot->links[1].dropped = 4;
  c.snapshot->links[1].missed = 4;
  c.snapshot->nodes[0].unroutable = 2;
  assert_figures (&c, FALSE, "sub-2.sub <- pub.pub: 4 of 10 dropped (4 before the receiver joined); "
                             "pub dropped 2 unroutable message(s)");
  check_clear (&c);

  /* On one link only: the other's drops do not count. */
  check_init (&c, "{ \"kind\": \"no-drops\", \"link\": { \"connect\": \"sub-1.sub\", \"bind\": \"pub.pub\" } }");
  c.snapshot->links[1].dropped = 4;
  assert_figures (&c, TRUE, "0 dropped");
  c.snapshot->links[0].sent = 10;
  c.snapshot->links[0].dropped = 8;
  assert_figures (&c, FALSE, "sub-1.sub <- pub.pub: 8 of 10 dropped");
  check_clear (&c);
}

static void
test_goal_replies_within (void)
{
  Check c;

  check_init (&c, "{ \"kind\": \"replies-within\", \"node\": \"sub-1\", \"count\": 10, \"seconds\": 2 }");
  c.snapshot->nodes[1].received = 4;
  c.snapshot->nodes[1].state = ZS_NODE_STATE_RUNNING;
  assert_figures (&c, FALSE, "sub-1 received 4 of 10 messages (it is running)");
  c.snapshot->nodes[1].received = 10;
  c.snapshot->nodes[1].state = ZS_NODE_STATE_DONE;
  c.snapshot->nodes[1].done_at_us = 4500000;
  assert_figures (&c, FALSE, "sub-1 received 10 messages in 3.50 s, more than 2 s");
  c.snapshot->nodes[1].done_at_us = 2250000;
  assert_figures (&c, TRUE, "sub-1 received 10 messages in 1.25 s");
  check_clear (&c);
}

static void
test_goal_throughput (void)
{
  Check c;

  check_init (&c, "{ \"kind\": \"throughput\", \"node\": \"sub-2\", \"rate\": 1000 }");
  c.snapshot->nodes[2].received = 500;
  c.snapshot->nodes[2].started_at_us = 1000000;
  c.snapshot->nodes[2].done_at_us = 2000000;
  assert_figures (&c, FALSE, "sub-2 received 500 in 1.000 s: 500 msg/s, less than 1000");
  c.snapshot->nodes[2].done_at_us = 1250000;
  assert_figures (&c, TRUE, "sub-2 received 500 in 0.250 s: 2000 msg/s");
  check_clear (&c);
}

static void
test_goal_reaches_end (void)
{
  Check c;

  check_init (&c, "{ \"kind\": \"reaches-end\", \"role\": \"subscriber\" }");
  c.snapshot->nodes[2].state = ZS_NODE_STATE_ERROR;
  c.snapshot->nodes[2].error = g_strdup ("the port is busy");
  assert_figures (&c, FALSE, "sub-2 did not reach its end (it is the port is busy, 0 received)");
  c.snapshot->nodes[2].state = ZS_NODE_STATE_DONE;
  assert_figures (&c, TRUE, "sub-1 reached its end; sub-2 reached its end");
  check_clear (&c);
}

/* What a lesson's locks forbid the editor to change: the settings named,
 * a whole node, a link's endpoints; nothing else. */
static void
test_locks (void)
{
  g_autoptr(ZsLesson) lesson = load_goals (
    "    { \"kind\": \"locked\", \"node\": \"pub\", \"settings\": [\"count\", \"pub.sndhwm\"] },\n"
    "    { \"kind\": \"locked\", \"node\": \"sub-2\" },\n"
    "    { \"kind\": \"locked\", \"link\": { \"connect\": \"sub-1.sub\", \"bind\": \"pub.pub\" } }");

  g_assert_true (zs_lesson_locks (lesson, "pub", NULL, "count"));
  g_assert_false (zs_lesson_locks (lesson, "pub", NULL, "interval-ms"));
  g_assert_true (zs_lesson_locks (lesson, "pub", "pub", "sndhwm"));
  g_assert_false (zs_lesson_locks (lesson, "pub", "pub", "rcvhwm"));
  g_assert_true (zs_lesson_locks (lesson, "pub", NULL, NULL));       /* deleting it */
  g_assert_true (zs_lesson_locks (lesson, "pub", NULL, "name"));     /* renaming it */
  g_assert_true (zs_lesson_locks (lesson, "pub", "pub", "binds"));    /* the locked link's bind */
  g_assert_true (zs_lesson_locks (lesson, "sub-2", "sub", "subscribe"));
  g_assert_true (zs_lesson_locks (lesson, "sub-2", NULL, "name"));
  g_assert_true (zs_lesson_locks (lesson, "sub-1", "sub", "connects"));
  g_assert_false (zs_lesson_locks (lesson, "sub-1", "sub", "subscribe"));
  g_assert_false (zs_lesson_locks (lesson, "sub-1", NULL, NULL));
  g_assert_true (zs_lesson_locks (lesson, "sub-1", "sub", NULL));    /* removing the locked link's socket */
  g_assert_true (zs_lesson_locks (lesson, "pub", "pub", NULL));
  g_assert_true (zs_lesson_locks_link (lesson, lesson->topology, 0));
  g_assert_false (zs_lesson_locks_link (lesson, lesson->topology, 1));
}

static void
test_goal_locked (void)
{
  Check c;
  ZsNode *pub;

  check_init (&c, "{ \"kind\": \"locked\", \"node\": \"pub\", \"settings\": [\"count\", \"pub.sndhwm\"] }");
  pub = zs_topology_find_node (c.student, "pub");
  zs_node_set_position (pub, 300, 40);   /* moving it is fine */
  assert_figures (&c, TRUE, "unchanged");
  g_object_set (pub, "count", 5, "interval-ms", 7, NULL);   /* interval-ms is not locked */
  g_object_set (zs_node_get_socket (pub, 0), "sndhwm", 2, NULL);
  assert_figures (&c, FALSE, "node pub: “count” is locked: the lesson has 10, your file 5; "
                             "socket pub.pub: “sndhwm” is locked: the lesson has 1000, your file 2");
  check_clear (&c);

  /* The whole node. */
  check_init (&c, "{ \"kind\": \"locked\", \"node\": \"sub-1\" }");
  assert_figures (&c, TRUE, "unchanged");
  g_object_set (zs_node_get_socket (zs_topology_find_node (c.student, "sub-1"), 0), "subscribe",
                (const char *[]) { "A", NULL }, NULL);
  assert_figures (&c, FALSE, "socket sub-1.sub: “subscribe” is locked: the lesson has [\"\"], your file [\"A\"]");
  zs_topology_remove_node (c.student, zs_topology_find_node (c.student, "sub-1"));
  {
    g_autoptr(GPtrArray) results = zs_lesson_check (c.lesson, c.student, NULL, "did not run");
    ZsGoalResult *r = g_ptr_array_index (results, 0);

    g_assert_false (r->passed);
    g_assert_cmpstr (r->figures, ==, "node “sub-1” is locked and missing from your file");
  }
  check_clear (&c);

  /* A link: who binds and who connects. */
  check_init (&c, "{ \"kind\": \"locked\", \"link\": { \"connect\": \"sub-2.sub\", \"bind\": \"pub.pub\" } }");
  assert_figures (&c, TRUE, "unchanged");
  g_object_set (zs_node_get_socket (zs_topology_find_node (c.student, "sub-2"), 0), "connects",
                (const char *[]) { "inproc://b", NULL }, NULL);
  {
    g_autoptr(GPtrArray) results = zs_lesson_check (c.lesson, c.student, NULL, "did not run");
    ZsGoalResult *r = g_ptr_array_index (results, 0);

    g_assert_false (r->passed);
    g_assert_true (g_str_has_prefix (r->figures, "the link from sub-2.sub to pub.pub is locked and missing"));
  }
  check_clear (&c);
}

/* A run that did not happen fails every goal about it, with the reason. */
static void
test_not_run (void)
{
  g_autoptr(ZsLesson) lesson = load_goals ("{ \"kind\": \"no-drops\" }, { \"kind\": \"reaches-end\", \"node\": \"pub\" }");
  g_autoptr(GPtrArray) results = zs_lesson_check (lesson, NULL, NULL, "your file does not load: x");

  g_assert_cmpuint (results->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      ZsGoalResult *r = g_ptr_array_index (results, i);

      g_assert_false (r->passed);
      g_assert_cmpstr (r->figures, ==, "your file does not load: x");
    }
}

static void
test_describe (void)
{
  g_autoptr(ZsLesson) lesson = load_goals (
    "{ \"kind\": \"receives\", \"role\": \"subscriber\", \"count\": 10 },"
    "{ \"kind\": \"no-drops\", \"text\": { \"en\": \"Drop nothing\", \"zh_CN\": \"不丢消息\" } }");
  g_autofree char *first = zs_goal_describe (g_ptr_array_index (lesson->goals, 0));
  g_autofree char *second = zs_goal_describe (g_ptr_array_index (lesson->goals, 1));

  g_assert_cmpstr (first, ==, "every subscriber: each receives at least 10 messages");
  g_assert_cmpstr (second, ==, "Drop nothing");
}

int
main (int   argc,
      char *argv[])
{
  /* English messages: the test compares them. */
  g_setenv ("LANGUAGE", "C", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/lesson/parse", test_parse);
  g_test_add_func ("/zmqscope/lesson/bad-input", test_bad_input);
  g_test_add_func ("/zmqscope/lesson/step-fault", test_step_fault);
  g_test_add_func ("/zmqscope/lesson/locks", test_locks);
  g_test_add_func ("/zmqscope/lesson/truncated", test_truncated);
  g_test_add_func ("/zmqscope/lesson/mutated", test_mutated);
  g_test_add_func ("/zmqscope/lesson/goal/receives", test_goal_receives);
  g_test_add_func ("/zmqscope/lesson/goal/all-get-work", test_goal_all_get_work);
  g_test_add_func ("/zmqscope/lesson/goal/no-drops", test_goal_no_drops);
  g_test_add_func ("/zmqscope/lesson/goal/replies-within", test_goal_replies_within);
  g_test_add_func ("/zmqscope/lesson/goal/throughput", test_goal_throughput);
  g_test_add_func ("/zmqscope/lesson/goal/reaches-end", test_goal_reaches_end);
  g_test_add_func ("/zmqscope/lesson/goal/locked", test_goal_locked);
  g_test_add_func ("/zmqscope/lesson/not-run", test_not_run);
  g_test_add_func ("/zmqscope/lesson/describe", test_describe);

  return g_test_run ();
}
