/* test-relay.c: delay and loss on a tcp link through the engine's relay,
 * from the start and live, with the books balancing
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zs-fault-script.h"
#include "zs-test-util.h"

static gboolean
received_at_least (const ZsSnapshot *s,
                   gpointer          data)
{
  return s->links[0].received >= *(guint64 *) data;
}

static gboolean
lost_at_least (const ZsSnapshot *s,
               gpointer          data)
{
  return s->links[0].lost >= *(guint64 *) data;
}

/* A publisher binds, a subscriber connects, on a free tcp port: `count`
 * messages, one a millisecond, from 200 ms on (the subscription has come
 * through the relay by then: no slow joiner); the subscriber ends 500 ms
 * after the last. */
static ZsTopology *
pub_sub_tcp (guint count)
{
  ZsTopology *t = zs_topology_new ();
  ZsNode *pub = zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "tcp://127.0.0.1:5590", NULL);
  ZsNode *sub = zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "tcp://127.0.0.1:5590");
  const char *payload[] = { "news {seq}", NULL };

  zs_test_use_free_ports (t);
  zs_node_set_payload (pub, payload);
  g_object_set (pub, "count", count, "interval-ms", 1, "wait-peers", -1, "start-delay-ms", 200, NULL);
  g_object_set (sub, "idle-timeout-ms", 500, NULL);
  return t;
}

/* A run file's script asks for loss: the link goes through the relay from
 * the start; about a tenth of the messages are lost, whole, each counted
 * as lost on the link (not as an HWM drop: the subscriber's sequence gaps
 * are the relay's), and the books balance. */
static void
test_loss_from_start (void)
{
  g_autoptr(ZsTopology) t = pub_sub_tcp (1000);
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsFaultScript) script = zs_fault_script_parse ("at 0 s loss pub -> sub 10 %", t, &error);

  g_assert_no_error (error);
  zs_engine_relay_link (engine, zs_fault_script_get_step (script, 0)->target);
  g_assert_true (zs_engine_start (engine, &error));
  g_assert_no_error (error);
  g_assert_true (zs_engine_apply_fault (engine, zs_fault_script_get_step (script, 0), &error));
  g_assert_no_error (error);
  g_assert_true (zs_engine_wait (engine, ZS_TEST_DEADLINE_MS));
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_test_message ("sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT
                  ", dropped %" G_GUINT64_FORMAT " (missed %" G_GUINT64_FORMAT ")", s->links[0].sent,
                  s->links[0].received, s->links[0].lost, s->links[0].dropped, s->links[0].missed);
  g_assert_true (s->links[0].relayed);
  g_assert_cmpfloat (s->links[0].loss_percent, ==, 10);
  g_assert_cmpuint (s->links[0].sent, ==, 1000);
  g_assert_cmpuint (s->links[0].lost, >=, 50);
  g_assert_cmpuint (s->links[0].lost, <=, 200);
  g_assert_cmpuint (s->links[0].dropped, ==, 0);
  g_assert_cmpuint (s->links[0].received + s->links[0].lost, ==, 1000);
  zs_test_assert_balanced (s);
}

/* Delay from the start: every message takes at least the relay's delay
 * (the handshake too, a few round trips: the subscriber waits longer). */
static void
test_delay_from_start (void)
{
  g_autoptr(ZsTopology) t = pub_sub_tcp (100);
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;

  g_object_set (zs_topology_get_node (t, 1), "idle-timeout-ms", 2000, NULL);
  engine = zs_engine_new (t);
  zs_engine_relay_link (engine, 0);
  g_assert_true (zs_engine_start (engine, &error));
  g_assert_true (zs_engine_throttle_link (engine, 0, 100, -1, &error));
  g_assert_no_error (error);
  g_assert_true (zs_engine_wait (engine, ZS_TEST_DEADLINE_MS));
  zs_engine_stop (engine);
  s = zs_engine_snapshot (engine);
  g_test_message ("p50 %.0f us, p99 %.0f us", s->links[0].flow[1].latency.p50_us, s->links[0].flow[1].latency.p99_us);
  g_assert_cmpuint (s->links[0].delay_ms, ==, 100);
  g_assert_cmpuint (s->links[0].received, ==, 100);
  g_assert_cmpuint (s->links[0].flow[1].latency.samples, >, 0);
  g_assert_cmpfloat (s->links[0].flow[1].latency.p50_us, >=, 100000 * 0.87);
  zs_test_assert_balanced (s);
}

/* PUSH -> PULL on a free tcp port, a message a millisecond for ever; the
 * PULL binds (`pull_binds`) or the PUSH does. */
static ZsTopology *
push_pull_tcp (gboolean pull_binds)
{
  ZsTopology *t = zs_topology_new ();
  const char *endpoint = "tcp://127.0.0.1:5591";
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, pull_binds ? NULL : endpoint,
                                   pull_binds ? endpoint : NULL);
  const char *payload[] = { "task", NULL };

  zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, pull_binds ? endpoint : NULL,
                    pull_binds ? NULL : endpoint);
  zs_test_use_free_ports (t);
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 0, "interval-ms", 1, NULL);
  return t;
}

/* Live: a running PUSH -> PULL link is throttled (its connecting socket
 * re-connects through the relay), loses half its messages, then restore
 * makes it whole; refusals for a link that is not tcp or not throttled. */
static void
test_live_loss_and_restore (void)
{
  g_autoptr(ZsTopology) t = push_pull_tcp (FALSE);
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  guint64 want = 20, lost;

  g_assert_true (zs_engine_start (engine, &error));
  s = zs_engine_snapshot (engine);
  g_assert_true (zs_test_wait_snapshot (engine, s, received_at_least, &want));
  g_assert_false (s->links[0].relayed);
  /* Nothing to restore yet. */
  ZS_TEST_ASSERT_REFUSED (zs_engine_restore_link (engine, 0, &error), &error);

  g_assert_true (zs_engine_throttle_link (engine, 0, 20, 50, &error));
  g_assert_no_error (error);
  want = 30;
  g_assert_true (zs_test_wait_snapshot (engine, s, lost_at_least, &want));
  g_assert_true (s->links[0].relayed);
  g_assert_cmpuint (s->links[0].delay_ms, ==, 20);
  g_assert_cmpfloat (s->links[0].loss_percent, ==, 50);

  g_assert_true (zs_engine_restore_link (engine, 0, &error));
  g_assert_no_error (error);
  zs_engine_snapshot_into (engine, s);
  g_assert_cmpuint (s->links[0].delay_ms, ==, 0);
  g_assert_cmpfloat (s->links[0].loss_percent, ==, 0);
  /* Once what was on its way is through, no more is lost. */
  g_usleep (100 * 1000);
  zs_engine_snapshot_into (engine, s);
  lost = s->links[0].lost;
  want = s->links[0].received + 100;
  g_assert_true (zs_test_wait_snapshot (engine, s, received_at_least, &want));
  g_assert_cmpuint (s->links[0].lost, ==, lost);
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_test_message ("sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT
                  ", in flight %" G_GUINT64_FORMAT, s->links[0].sent, s->links[0].received, s->links[0].lost,
                  s->links[0].in_flight);
  zs_test_assert_balanced (s);
}

static gboolean
binder_killed (const ZsSnapshot *s,
               gpointer          data)
{
  return s->nodes[1].fault == ZS_NODE_FAULT_KILLED;
}

/* The binder dies while the relay still holds bytes for it (the program
 * must not die of SIGPIPE), comes back, and the link carries on through
 * the relay: the connecting socket reconnects, the relay connects anew. */
static void
test_binder_killed_and_restarted (void)
{
  g_autoptr(ZsTopology) t = push_pull_tcp (TRUE);
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(ZsSnapshot) s = NULL;
  g_autoptr(GError) error = NULL;
  guint64 want = 20;

  zs_engine_relay_link (engine, 0);
  g_assert_true (zs_engine_start (engine, &error));
  g_assert_true (zs_engine_throttle_link (engine, 0, 50, -1, &error));
  s = zs_engine_snapshot (engine);
  g_assert_true (zs_test_wait_snapshot (engine, s, received_at_least, &want));
  g_assert_true (zs_engine_kill_node (engine, 1, &error));
  g_assert_true (zs_test_wait_snapshot (engine, s, binder_killed, NULL));
  /* The relay's held bytes (50 ms of them) meet the closed socket. */
  g_usleep (200 * 1000);
  g_assert_true (zs_engine_restart_node (engine, 1, &error));
  g_assert_no_error (error);
  zs_engine_snapshot_into (engine, s);
  want = s->links[0].received + 20;
  g_assert_true (zs_test_wait_snapshot (engine, s, received_at_least, &want));
  zs_engine_stop (engine);
  zs_engine_snapshot_into (engine, s);
  g_test_message ("sent %" G_GUINT64_FORMAT ", received %" G_GUINT64_FORMAT ", lost %" G_GUINT64_FORMAT
                  ", in flight %" G_GUINT64_FORMAT, s->links[0].sent, s->links[0].received, s->links[0].lost,
                  s->links[0].in_flight);
  zs_test_assert_balanced (s);
}

static void
test_not_tcp_refused (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  ZsNode *push = zs_test_add_node (t, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, "inproc://relay", NULL);
  const char *payload[] = { "task", NULL };
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  zs_test_add_node (t, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, "inproc://relay");
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 0, "interval-ms", 5, NULL);
  engine = zs_engine_new (t);
  g_assert_true (zs_engine_start (engine, &error));
  g_assert_false (zs_engine_throttle_link (engine, 0, 100, -1, &error));
  g_assert_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "tcp"));
  zs_engine_stop (engine);
}

static void
test_script (void)
{
  g_autoptr(ZsTopology) t = pub_sub_tcp (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsFaultScript) script =
    zs_fault_script_parse ("at 1 s delay pub -> sub 200 ms\nat 2 s loss sub <- pub 10%\n"
                           "at 2.5 s delay pub -- sub 1.5s\nat 3 s restore pub -> sub\n", t, &error);
  static const char *said[] = {
    "delay pub.pub -> sub.sub 200 ms", "loss pub.pub -> sub.sub 10 %",
    "delay pub.pub -> sub.sub 1500 ms", "restore pub.pub -> sub.sub",
  };
  static const struct { const char *text; const char *error; } bad[] = {
    { "at 1 s delay pub -> sub", "1:24: missing a delay (as in “200 ms”)" },
    { "at 1 s delay pub -> sub 200 parsecs", "1:25: unknown unit “parsecs”: write ms or s" },
    { "at 1 s loss pub -> sub 120 %", "1:24: the loss must be from 0 to 100 %" },
    { "at 1 s loss pub -> sub many %", "1:24: “many” is not a loss: write it as in “10 %”" },
    { "at 1 s delay pub -> sub 90 s", "1:25: the delay must be from 0 to 60 s" },
  };

  g_assert_no_error (error);
  g_assert_cmpuint (zs_fault_script_get_n_steps (script), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *text = zs_fault_step_describe (zs_fault_script_get_step (script, i), t);
      g_assert_cmpstr (text, ==, said[i]);
    }
  g_assert_cmpint (zs_fault_script_get_step (script, 0)->kind, ==, ZS_FAULT_DELAY);
  g_assert_cmpfloat (zs_fault_script_get_step (script, 0)->factor, ==, 200);
  g_assert_cmpint (zs_fault_script_get_step (script, 1)->kind, ==, ZS_FAULT_LOSS);
  g_assert_cmpfloat (zs_fault_script_get_step (script, 1)->factor, ==, 10);
  g_assert_cmpfloat (zs_fault_script_get_step (script, 2)->factor, ==, 1500);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(ZsFaultScript) none = zs_fault_script_parse (bad[i].text, t, &error);

      g_assert_null (none);
      g_assert_error (error, ZS_FAULT_SCRIPT_ERROR, ZS_FAULT_SCRIPT_ERROR_SYNTAX);
      g_assert_cmpstr (error->message, ==, bad[i].error);
      g_clear_error (&error);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/relay/script", test_script);
  g_test_add_func ("/zmqscope/relay/loss-from-start", test_loss_from_start);
  g_test_add_func ("/zmqscope/relay/delay-from-start", test_delay_from_start);
  g_test_add_func ("/zmqscope/relay/live-loss-and-restore", test_live_loss_and_restore);
  g_test_add_func ("/zmqscope/relay/binder-killed-and-restarted", test_binder_killed_and_restarted);
  g_test_add_func ("/zmqscope/relay/not-tcp-refused", test_not_tcp_refused);
  return g_test_run ();
}
