/* test-external.c: an external program is drawn and linked, never run
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <zmq.h>

#include "zs-test-util.h"

#define N_MESSAGES 5

/* The test itself is the outside program: it binds the PULL the external
 * node describes. Were zmqscope to run that node, its bind would fail
 * (address in use) and the node would go to ERROR. */
static void
test_external_runs_nothing (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  void *ctx = zmq_ctx_new ();
  void *pull = zmq_socket (ctx, ZMQ_PULL);
  char endpoint[256];
  size_t size = sizeof endpoint;
  int timeout = 10000;
  int zero = 0;
  ZsNode *pusher;
  ZsNode *outside;

  g_assert_cmpint (zmq_bind (pull, "tcp://127.0.0.1:*"), ==, 0);
  g_assert_cmpint (zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, endpoint, &size), ==, 0);
  zmq_setsockopt (pull, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
  zmq_setsockopt (pull, ZMQ_LINGER, &zero, sizeof zero);

  pusher = zs_test_add_node (topology, "pusher", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, NULL, endpoint);
  zs_node_set_payload (pusher, (const char *[]) { "task", NULL });
  g_object_set (pusher, "count", N_MESSAGES, NULL);
  outside = zs_test_add_node (topology, "outside", ZS_ROLE_EXTERNAL, ZS_SOCKET_PULL, endpoint, NULL);
  g_object_set (outside, "command", "the test itself", NULL);
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, 1);

  engine = zs_engine_new (topology);
  g_assert_true (zs_engine_start (engine, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < N_MESSAGES; i++)
    {
      char buffer[64];

      /* Exactly the payload: a socket linked to an external program
       * sends no trailer, from the first message on. */
      g_assert_cmpint (zmq_recv (pull, buffer, sizeof buffer, 0), ==, 4);
      g_assert_cmpmem (buffer, 4, "task", 4);
    }
  reason = zs_engine_untraced_reason (topology, 0, 0);
  g_assert_nonnull (reason);
  g_assert_nonnull (strstr (reason, "outside"));
  zs_engine_stop (engine);
  snapshot = zs_engine_snapshot (engine);
  g_assert_cmpint (snapshot->nodes[0].state, !=, ZS_NODE_STATE_ERROR);
  /* What an outside program reads cannot be counted there: the link says
   * what was handed to it, and nothing stays "in flight" or "discarded"
   * (the test read all of it). */
  g_assert_true (snapshot->links[0].to_outside);
  g_assert_cmpuint (snapshot->links[0].sent, ==, N_MESSAGES);
  g_assert_cmpuint (snapshot->links[0].received, ==, N_MESSAGES);
  g_assert_cmpuint (snapshot->links[0].in_flight, ==, 0);
  g_assert_cmpuint (snapshot->links[0].discarded, ==, 0);
  zs_test_assert_balanced (snapshot);
  g_assert_cmpint (snapshot->nodes[1].state, ==, ZS_NODE_STATE_IDLE);

  zmq_close (pull);
  zmq_ctx_term (ctx);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/external/runs-nothing", test_external_runs_nothing);

  return g_test_run ();
}
