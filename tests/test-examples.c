/* test-examples.c: every bundled example does what the seed says
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "zs-test-util.h"

static void
set_work (ZsTopology *t,
          guint       work_ms)
{
  for (guint i = 0; i < zs_topology_get_n_nodes (t); i++)
    {
      ZsNode *node = zs_topology_get_node (t, i);
      if (zs_node_get_role (node) == ZS_ROLE_SERVER)
        g_object_set (node, "work-ms", work_ms, NULL);
    }
}

static const ZsNodeStats *
node_stats (ZsTopology       *t,
            const ZsSnapshot *s,
            const char       *name)
{
  return &s->nodes[zs_test_node_index (t, name)];
}

static void
assert_result (ZsTopology       *t,
               const ZsSnapshot *s,
               const char       *name,
               const char       *expected)
{
  const ZsNodeStats *n = node_stats (t, s, name);

  g_assert_nonnull (n->result);
  if (strstr (n->result, expected) == NULL)
    g_error ("%s: result “%s” lacks “%s”", name, n->result, expected);
}

/* Every example's figures are exact: each link balances, and no socket
 * ever took one of its own peers for an outside program (which would make
 * its figures estimates and add an OUTSIDE row to the report). */
static void
assert_exact (const ZsSnapshot *s)
{
  zs_test_assert_balanced (s);
  for (guint i = 0; i < s->n_sockets; i++)
    {
      g_assert_false (s->sockets[i].outside);
      g_assert_false (s->sockets[i].untraced);
    }
}

static void
test_hello_world (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("1-hello-world.json");
  g_autoptr(ZsSnapshot) s = NULL;
  gboolean finished;

  set_work (t, 20);
  s = zs_test_run (t, 20000, &finished);
  g_assert_true (finished);
  assert_result (t, s, "client", "Received 10 replies; last: World");
  g_assert_cmpuint (node_stats (t, s, "server")->received, ==, 10);
  g_assert_cmpuint (s->links[0].received, ==, 20);
  assert_exact (s);
}

static void
test_weather (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("2-weather-updates.json");
  g_autoptr(ZsSnapshot) s = NULL;
  gboolean finished;

  s = zs_test_run (t, 60000, &finished);
  g_assert_true (finished);
  assert_result (t, s, "wuclient", "Received 100 updates; average temperature for zipcode '10001 '");
  assert_result (t, s, "wuclient-ipc", "for zipcode '10002 '");
  /* The PUB filters for each subscriber: only its zipcode travels on its link. */
  for (guint i = 0; i < s->n_links; i++)
    {
      g_assert_cmpuint (s->links[i].received, >=, 100);
      g_assert_cmpuint (s->links[i].sent * 20, <, node_stats (t, s, "wuserver")->sent);
    }
  assert_exact (s);
}

static gint64
result_number (const ZsNodeStats *n,
               const char        *prefix)
{
  const char *at = n->result ? strstr (n->result, prefix) : NULL;

  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen (prefix), NULL, 10);
}

static gint64
run_pipeline (guint   workers,
              gint64 *expected_ms)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("3-parallel-pipeline.json");
  g_autoptr(ZsSnapshot) s = NULL;
  gboolean finished;

  for (guint i = 4; i > workers; i--)
    {
      g_autofree char *name = g_strdup_printf ("worker-%u", i);
      zs_topology_remove_node (t, zs_topology_find_node (t, name));
    }
  s = zs_test_run (t, 30000, &finished);
  g_assert_true (finished);
  g_assert_cmpuint (node_stats (t, s, "sink")->received, ==, 101);
  assert_exact (s);
  *expected_ms = result_number (node_stats (t, s, "ventilator"), "Total expected cost: ");
  return result_number (node_stats (t, s, "sink"), "Total elapsed time: ");
}

/* The seed measured 5034, 2421 and 1018 ms with 1, 2 and 4 workers. No
 * run can beat the workload shared out evenly (the lower bounds), and
 * each doubling of the workers must show: a busy machine stretches every
 * run alike, so the checks are ratios between runs, never a tolerance
 * around an ideal time (round-robin's random shares and a loaded machine
 * put the 2-worker run 538 ms off its ideal once). */
static void
test_pipeline_speedup (void)
{
  gint64 cost = 0;
  gint64 one = run_pipeline (1, &cost);
  gint64 two = run_pipeline (2, &cost);
  gint64 four = run_pipeline (4, &cost);

  g_test_message ("pipeline: workload %" G_GINT64_FORMAT " ms; 1 worker %" G_GINT64_FORMAT
                  " ms, 2 workers %" G_GINT64_FORMAT " ms, 4 workers %" G_GINT64_FORMAT " ms",
                  cost, one, two, four);
  g_assert_cmpint (one, >=, cost - 20);
  g_assert_cmpint (two, >=, cost / 2 - 20);
  g_assert_cmpint (four, >=, cost / 4 - 20);
  g_assert_cmpint (two, <, one * 3 / 4);
  g_assert_cmpint (four, <, two * 4 / 5);
}

static void
test_forwarder (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("4-forwarder-proxy.json");
  g_autoptr(ZsSnapshot) s = NULL;
  gboolean finished;
  int outer = -1;

  s = zs_test_run (t, 20000, &finished);
  g_assert_true (finished);
  assert_result (t, s, "wuclient", "Received 20 messages; last: [10001]");
  for (guint i = 0; i < s->n_links; i++)
    if (((ZsLink *) g_ptr_array_index (zs_topology_get_links (t), i))->connect_node == (guint) zs_test_node_index (t, "wuclient"))
      outer = (int) i;
  g_assert_cmpint (outer, >=, 0);
  /* Three frames per update, forwarded whole. */
  g_assert_cmpuint (s->links[outer].received, >=, 20);
  g_assert_cmpuint (s->links[outer].multipart, ==, s->links[outer].received);
  assert_exact (s);
}

static void
test_broker (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("5-request-reply-broker.json");
  g_autoptr(ZsSnapshot) s = NULL;
  gboolean finished;

  set_work (t, 10);
  s = zs_test_run (t, 20000, &finished);
  g_assert_true (finished);
  assert_result (t, s, "client-1", "Received 10 replies; last: World");
  assert_result (t, s, "client-2", "Received 10 replies; last: World");
  /* The DEALER spreads the 20 requests over both workers. */
  g_assert_cmpuint (node_stats (t, s, "worker-1")->received, >, 0);
  g_assert_cmpuint (node_stats (t, s, "worker-2")->received, >, 0);
  g_assert_cmpuint (node_stats (t, s, "worker-1")->received + node_stats (t, s, "worker-2")->received, ==, 20);
  assert_exact (s);
}

static void
test_relay (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("6-relay-race.json");
  g_autoptr(ZsSnapshot) s = NULL;
  gboolean finished;

  s = zs_test_run (t, 5000, &finished);
  g_assert_true (finished);
  assert_result (t, s, "step3", "Test successful!");
  /* A step starts when its signal arrives, after the previous step sent it. */
  g_assert_cmpint (node_stats (t, s, "step1")->started_at_us, <=, node_stats (t, s, "step2")->started_at_us);
  g_assert_cmpint (node_stats (t, s, "step2")->started_at_us, <=, node_stats (t, s, "step3")->started_at_us);
}

static void
test_mtserver (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("7-multithreaded-server.json");
  g_autoptr(ZsSnapshot) s = NULL;
  guint64 answered = 0;
  gboolean finished;

  set_work (t, 10);
  s = zs_test_run (t, 20000, &finished);
  g_assert_true (finished);
  assert_result (t, s, "client", "Received 10 replies; last: World");
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("worker-%u", i);
      answered += node_stats (t, s, name)->sent;
    }
  g_assert_cmpuint (answered, ==, 10);
  assert_exact (s);
}

static void
test_syncpub (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("8-synchronized-pubsub.json");
  g_autoptr(ZsSnapshot) s = NULL;
  gboolean finished;
  gint64 start = g_get_monotonic_time ();

  s = zs_test_run (t, 120000, &finished);
  g_test_message ("syncpub: 10 x 1,000,000 in %.1f s", (g_get_monotonic_time () - start) / 1e6);
  g_assert_true (finished);
  for (guint i = 1; i <= 10; i++)
    {
      g_autofree char *name = g_strdup_printf ("syncsub-%u", i);
      assert_result (t, s, name, "Received 1000000 messages");
    }
  for (guint i = 0; i < s->n_links; i++)
    g_assert_cmpuint (s->links[i].dropped, ==, 0);
  assert_exact (s);
}

static void
test_envelopes (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("9-envelopes.json");
  g_autoptr(ZsSnapshot) s = NULL;
  gboolean finished;

  s = zs_test_run (t, 20000, &finished);
  g_assert_true (finished);
  assert_result (t, s, "psenvsub", "Received 5 messages; last: [B] [psenvpub] We would like to see this");
  /* "A" never matches the filter: only the "B" messages travel. */
  g_assert_cmpuint (s->links[0].multipart, ==, 5);
  g_assert_cmpuint (s->links[0].received, ==, 5);
  assert_exact (s);
}

/* Measured here: PUB binds -> 0 of 10 kept; PUB connects -> 2 of 10 kept. */
static void
test_durable (void)
{
  g_autoptr(ZsTopology) t = zs_test_load_example ("10-durable-subscriber.json");
  g_autoptr(ZsSnapshot) s = NULL;
  gboolean finished;

  s = zs_test_run (t, 20000, &finished);
  g_assert_true (finished);
  g_assert_cmpuint (s->n_links, ==, 2);
  /* Update 1 arrives before the subscriber goes away; 10 are sent while it is away. */
  g_assert_cmpuint (s->links[0].sent, ==, 11);
  g_assert_cmpuint (s->links[0].received, ==, 1);
  g_assert_cmpuint (s->links[0].dropped, ==, 10);
  g_assert_cmpuint (s->links[1].sent, ==, 11);
  g_assert_cmpuint (s->links[1].received, ==, 3);
  g_assert_cmpuint (s->links[1].dropped, ==, 8);
  assert_exact (s);
}

/* ---- slow motion shows the same run ---- */

/* Roles that only answer what they are sent: what they send is decided by
 * nodes that end. */
static gboolean
is_reactive (ZsNode *node)
{
  ZsRole role = zs_node_get_role (node);

  return role == ZS_ROLE_SERVER || role == ZS_ROLE_WORKER || role == ZS_ROLE_BROKER;
}

/* What a run demonstrates, as text: every node's end state; the messages of
 * each node that reached its end; each link's exact books when both its
 * ends are decided by nodes that end, and what arrived when one end does.
 * An endless sender's totals (how much it sent before Stop) are left out. */
static char *
describe_outcome (ZsTopology       *t,
                  const ZsSnapshot *s)
{
  GString *out = g_string_new (NULL);
  GPtrArray *links = zs_topology_get_links (t);

  for (guint i = 0; i < s->n_nodes; i++)
    {
      const ZsNodeStats *n = &s->nodes[i];

      g_string_append_printf (out, "%s: %s", zs_node_get_name (zs_topology_get_node (t, i)),
                              zs_node_state_to_string (n->state));
      if (n->state == ZS_NODE_STATE_DONE)
        g_string_append_printf (out, ", sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT,
                                n->sent, n->received);
      g_string_append_c (out, '\n');
    }
  for (guint i = 0; i < s->n_links; i++)
    {
      ZsLink *link = g_ptr_array_index (links, i);
      const ZsLinkStats *l = &s->links[i];
      ZsNode *ends[] = { zs_topology_get_node (t, link->connect_node), zs_topology_get_node (t, link->bind_node) };
      gboolean done[] = { s->nodes[link->connect_node].state == ZS_NODE_STATE_DONE,
                          s->nodes[link->bind_node].state == ZS_NODE_STATE_DONE };
      gboolean decided = (done[0] || is_reactive (ends[0])) && (done[1] || is_reactive (ends[1]));

      if (!done[0] && !done[1])
        continue;
      g_string_append_printf (out, "%s ~ %s: received %" G_GUINT64_FORMAT, zs_node_get_name (ends[0]),
                              zs_node_get_name (ends[1]), l->received);
      if (decided)
        g_string_append_printf (out, ", sent %" G_GUINT64_FORMAT ", dropped %" G_GUINT64_FORMAT
                                ", unread %" G_GUINT64_FORMAT, l->sent, l->dropped, l->unread);
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static char *
run_outcome (ZsTopology *t,
             double      speed,
             gint64     *elapsed_us)
{
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  zs_engine_set_speed (engine, speed);
  g_assert_true (zs_engine_start (engine, &error));
  g_assert_no_error (error);
  g_assert_true (zs_engine_wait (engine, 30000));
  *elapsed_us = g_get_monotonic_time () - start;
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_assert_true (s->finished);
  assert_exact (s);
  return describe_outcome (t, s);
}

static void
set_count (ZsTopology *t,
           const char *name,
           guint       count)
{
  g_object_set (zs_topology_find_node (t, name), "count", count, NULL);
}

static void
shrink_hello (ZsTopology *t)
{
  set_work (t, 20);
}

static void
shrink_weather (ZsTopology *t)
{
  set_count (t, "wuclient", 2);
  set_count (t, "wuclient-ipc", 2);
}

static void
shrink_pipeline (ZsTopology *t)
{
  set_count (t, "ventilator", 20);
  set_count (t, "sink", 20);
}

static void
shrink_forwarder (ZsTopology *t)
{
  set_count (t, "wuclient", 5);
}

static void
shrink_broker (ZsTopology *t)
{
  set_work (t, 10);
}

static void
shrink_syncpub (ZsTopology *t)
{
  set_count (t, "syncpub", 40);
}

typedef struct {
  const char  *file;
  double       speed;                 /* messages per second per sender */
  void       (*shrink) (ZsTopology *t);   /* fewer or shorter messages, same lesson */
} SlowCase;

/* Each example's outcome is the same at full speed and in slow motion, at
 * speeds that hold its senders back (the durable subscriber at 5 msg/s is
 * the case the issue saw drop 3 and 2 instead of 10 and 8). */
static void
test_slow_motion (void)
{
  static const SlowCase cases[] = {
    { "1-hello-world.json", 5, shrink_hello },
    { "2-weather-updates.json", 100, shrink_weather },
    { "3-parallel-pipeline.json", 20, shrink_pipeline },
    { "4-forwarder-proxy.json", 50, shrink_forwarder },
    { "5-request-reply-broker.json", 20, shrink_broker },
    { "6-relay-race.json", 5, NULL },
    { "7-multithreaded-server.json", 20, shrink_broker },
    { "8-synchronized-pubsub.json", 20, shrink_syncpub },
    { "9-envelopes.json", 5, NULL },
    { "10-durable-subscriber.json", 5, NULL },
  };
  gint64 total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(ZsTopology) t = zs_test_load_example (cases[i].file);
      g_autofree char *full = NULL;
      g_autofree char *slow = NULL;
      gint64 full_us, slow_us;

      if (cases[i].shrink != NULL)
        cases[i].shrink (t);
      full = run_outcome (t, 0, &full_us);
      slow = run_outcome (t, cases[i].speed, &slow_us);
      total += full_us + slow_us;
      g_test_message ("%s: full speed %.1f s, %g msg/s per sender %.1f s\n%s", cases[i].file,
                      full_us / 1e6, cases[i].speed, slow_us / 1e6, slow);
      if (g_strcmp0 (full, slow) != 0)
        g_error ("%s: slow motion changed the outcome.\nFull speed:\n%sSlow motion:\n%s",
                 cases[i].file, full, slow);
    }
  g_test_message ("slow-motion test: %.1f s in all", total / 1e6);
}

static int
endpoint_port (const char *endpoint)
{
  ZsEndpoint parsed = { 0, NULL, -1 };
  int port;

  g_assert_true (zs_endpoint_parse (endpoint, TRUE, &parsed, NULL));
  port = parsed.port;
  zs_endpoint_clear (&parsed);
  return port;
}

/* Every example's tcp ports move to free ones, consistently: the same
 * links, none left on 5555-5575 or 8100. */
static void
test_remap_tcp_ports (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_getenv ("ZS_EXAMPLES_DIR"), 0, NULL);
  const char *file;

  g_assert_nonnull (dir);
  while ((file = g_dir_read_name (dir)) != NULL)
    {
      const char *examples = g_getenv ("ZS_EXAMPLES_DIR");
      g_autofree char *path = g_build_filename (examples, file, NULL);
      g_autoptr(ZsTopology) fixed = zs_topology_load_from_file (path, NULL);
      g_autoptr(ZsTopology) moved = zs_test_load_example (file);
      GPtrArray *before = zs_topology_get_links (fixed);
      GPtrArray *after = zs_topology_get_links (moved);

      g_assert_cmpuint (before->len, ==, after->len);
      for (guint i = 0; i < after->len; i++)
        {
          const ZsLink *a = g_ptr_array_index (before, i);
          const ZsLink *b = g_ptr_array_index (after, i);
          int port = endpoint_port (b->bind_endpoint);

          g_assert_cmpuint (a->bind_node, ==, b->bind_node);
          g_assert_cmpuint (a->connect_node, ==, b->connect_node);
          g_assert_cmpuint (a->transport, ==, b->transport);
          if (b->transport != ZS_TRANSPORT_TCP)
            {
              g_assert_cmpstr (a->bind_endpoint, ==, b->bind_endpoint);
              continue;
            }
          g_test_message ("%s: %s -> %s", file, a->bind_endpoint, b->bind_endpoint);
          g_assert_false ((port >= 5555 && port <= 5575) || port == 8100);
          g_assert_cmpint (port, ==, endpoint_port (b->connect_endpoint));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/examples/remap-tcp-ports", test_remap_tcp_ports);
  g_test_add_func ("/zmqscope/examples/1-hello-world", test_hello_world);
  g_test_add_func ("/zmqscope/examples/2-weather-updates", test_weather);
  g_test_add_func ("/zmqscope/examples/3-parallel-pipeline", test_pipeline_speedup);
  g_test_add_func ("/zmqscope/examples/4-forwarder-proxy", test_forwarder);
  g_test_add_func ("/zmqscope/examples/5-request-reply-broker", test_broker);
  g_test_add_func ("/zmqscope/examples/6-relay-race", test_relay);
  g_test_add_func ("/zmqscope/examples/7-multithreaded-server", test_mtserver);
  g_test_add_func ("/zmqscope/examples/8-synchronized-pubsub", test_syncpub);
  g_test_add_func ("/zmqscope/examples/9-envelopes", test_envelopes);
  g_test_add_func ("/zmqscope/examples/10-durable-subscriber", test_durable);
  g_test_add_func ("/zmqscope/examples/slow-motion", test_slow_motion);
  return g_test_run ();
}
