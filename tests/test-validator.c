/* test-validator.c: every rule fires on a crafted topology, none on a good one
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zs-test-util.h"
#include "zs-validator.h"

static ZsSocketSpec *
add_socket (ZsNode       *node,
            const char   *name,
            ZsSocketType  type,
            const char   *bind,
            const char   *connect)
{
  g_autoptr(ZsSocketSpec) socket = zs_socket_spec_new (name, type);
  const char *binds[] = { bind, NULL };
  const char *connects[] = { connect, NULL };

  zs_socket_spec_set_binds (socket, binds);
  zs_socket_spec_set_connects (socket, connects);
  zs_node_add_socket (node, socket);
  return socket;
}

/* A node of role "socket" with its one socket "socket"; owned by the topology. */
static ZsNode *
add_node (ZsTopology   *topology,
          const char   *name,
          ZsSocketType  type,
          const char   *bind,
          const char   *connect)
{
  g_autoptr(ZsNode) node = zs_node_new (name, ZS_ROLE_SOCKET);

  add_socket (node, "socket", type, bind, connect);
  zs_topology_add_node (topology, node);
  return node;
}

static ZsNode *
add_role_node (ZsTopology *topology,
               const char *name,
               ZsRole      role)
{
  g_autoptr(ZsNode) node = zs_node_new_for_role (name, role);

  zs_topology_add_node (topology, node);
  return node;
}

static void
set_connect (ZsNode     *node,
             guint       socket,
             const char *endpoint)
{
  const char *connects[] = { endpoint, NULL };

  zs_socket_spec_set_connects (zs_node_get_socket (node, socket), connects);
}

static ZsTopology *
good_topology (void)
{
  ZsTopology *topology = zs_topology_new ();
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  ZsNode *client = add_role_node (topology, "client", ZS_ROLE_CLIENT);
  ZsNode *subscriber = add_role_node (topology, "sub", ZS_ROLE_SUBSCRIBER);
  ZsNode *worker;
  guint16 port = zs_test_free_tcp_port ();
  g_autofree char *bind = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  g_autofree char *connect = g_strdup_printf ("tcp://localhost:%u", port);

  zs_socket_spec_set_binds (zs_node_get_socket (server, 0), (const char *[]) { bind, NULL });
  set_connect (client, 0, connect);
  add_role_node (topology, "pub", ZS_ROLE_PUBLISHER);
  set_connect (subscriber, 0, "inproc://pub-pub");

  add_role_node (topology, "vent", ZS_ROLE_VENTILATOR);
  worker = add_role_node (topology, "worker", ZS_ROLE_WORKER);
  add_role_node (topology, "sink", ZS_ROLE_SINK);
  set_connect (worker, 0, "inproc://vent-tasks");
  set_connect (worker, 1, "inproc://sink-in");
  return topology;
}

/* How many findings match; NULL or -1 match anything. */
static guint
count_findings (GPtrArray  *findings,
                ZsSeverity  severity,
                const char *node,
                int         socket,
                const char *field,
                const char *says)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    {
      const ZsFinding *f = g_ptr_array_index (findings, i);

      if (f->severity == severity &&
          (node == NULL || g_strcmp0 (f->node, node) == 0) &&
          (socket < 0 || f->socket == socket) &&
          (field == NULL || g_strcmp0 (f->field, field) == 0) &&
          strstr (f->message, says) != NULL)
        n++;
    }
  return n;
}

static void
log_findings (GPtrArray *findings)
{
  for (guint i = 0; i < findings->len; i++)
    {
      g_autofree char *line = zs_finding_to_string (g_ptr_array_index (findings, i));

      g_test_message ("%s", line);
    }
}

/* Validates and checks that exactly one finding says `says`, where expected. */
static void
assert_finding (ZsTopology *topology,
                ZsSeverity  severity,
                const char *node,
                int         socket,
                const char *field,
                const char *says)
{
  g_autoptr(GPtrArray) findings = zs_validate (topology);

  log_findings (findings);
  g_assert_cmpuint (count_findings (findings, severity, node, socket, field, says), ==, 1);
  g_assert_cmpint (zs_findings_have_errors (findings), ==, severity == ZS_SEVERITY_ERROR);
}

static void
test_good_topology (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  g_autoptr(GPtrArray) findings = zs_validate (topology);

  log_findings (findings);
  g_assert_cmpuint (findings->len, ==, 0);
  g_assert_false (zs_findings_have_errors (findings));
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, 4);
}

static void
test_endpoint_syntax (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  g_autofree char *any_host = g_strdup_printf ("tcp://*:%u", zs_test_free_tcp_port ());

  set_connect (zs_topology_find_node (topology, "client"), 0, any_host);
  assert_finding (topology, ZS_SEVERITY_ERROR, "client", 0, "connects", "a connect needs a concrete host");
}

static void
test_transport_unavailable (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(GPtrArray) findings = NULL;

  add_node (topology, "pub", ZS_SOCKET_PUB, "epgm://eth0;239.192.1.1:5555", NULL);
  add_node (topology, "sub", ZS_SOCKET_SUB, NULL, "epgm://eth0;239.192.1.1:5555");
  zs_socket_spec_set_subscribe (zs_node_get_socket (zs_topology_find_node (topology, "sub"), 0),
                                (const char *[]) { "", NULL });

  /* this libzmq may well have OpenPGM: then pgm is fine */
  findings = zs_validate (topology);
  g_assert_cmpuint (count_findings (findings, ZS_SEVERITY_ERROR, NULL, -1, NULL, "OpenPGM"), ==,
                    zs_transport_available (ZS_TRANSPORT_EPGM, NULL) ? 0 : 2);

  g_setenv ("ZS_UNAVAILABLE_TRANSPORTS", "pgm,epgm", TRUE);
  assert_finding (topology, ZS_SEVERITY_ERROR, "pub", 0, "binds", "this libzmq was built without OpenPGM");
  assert_finding (topology, ZS_SEVERITY_ERROR, "sub", 0, "connects", "this libzmq was built without OpenPGM");
  g_unsetenv ("ZS_UNAVAILABLE_TRANSPORTS");
}

static void
test_incompatible_pair (void)
{
  g_autoptr(ZsTopology) inproc = zs_topology_new ();
  g_autoptr(ZsTopology) tcp = zs_topology_new ();
  g_autoptr(GPtrArray) findings = NULL;
  guint16 port = zs_test_free_tcp_port ();
  g_autofree char *rep_bind = g_strdup_printf ("tcp://*:%u", port);
  g_autofree char *push_connect = g_strdup_printf ("tcp://localhost:%u", port);
  const ZsFinding *finding;

  add_node (inproc, "pub", ZS_SOCKET_PUB, "inproc://feed", NULL);
  add_node (inproc, "puller", ZS_SOCKET_PULL, NULL, "inproc://feed");
  assert_finding (inproc, ZS_SEVERITY_ERROR, "puller", 0, "socket-type",
                  "on inproc libzmq does not check this, messages would silently vanish");
  assert_finding (inproc, ZS_SEVERITY_ERROR, "puller", 0, "socket-type", "make this socket SUB, XSUB");
  findings = zs_validate (inproc);
  finding = g_ptr_array_index (findings, 0);
  g_assert_cmpint (finding->link, ==, 0);
  g_assert_cmpstr (finding->socket_name, ==, "socket");

  add_node (tcp, "rep", ZS_SOCKET_REP, rep_bind, NULL);
  add_node (tcp, "push", ZS_SOCKET_PUSH, NULL, push_connect);
  assert_finding (tcp, ZS_SEVERITY_ERROR, "push", 0, "socket-type", "the handshake fails");
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = zs_validate (tcp);
  g_assert_cmpuint (count_findings (findings, ZS_SEVERITY_ERROR, NULL, -1, NULL, "silently vanish"), ==, 0);
}

static void
test_double_bind (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  guint16 port = zs_test_free_tcp_port ();
  g_autofree char *every_interface = g_strdup_printf ("tcp://*:%u", port);
  g_autofree char *loopback = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  g_autofree char *expected = g_strdup_printf ("“%s” overlaps “%s”, already bound by node 'server', socket 'rep'",
                                               loopback, every_interface);

  zs_socket_spec_set_binds (zs_node_get_socket (zs_topology_find_node (topology, "server"), 0),
                            (const char *[]) { every_interface, NULL });
  add_node (topology, "other", ZS_SOCKET_PULL, loopback, NULL);
  assert_finding (topology, ZS_SEVERITY_ERROR, "other", 0, "binds", expected);
}

static void
test_connect_unbound (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();

  set_connect (zs_topology_find_node (topology, "client"), 0, "tcp://example.com:7000");
  assert_finding (topology, ZS_SEVERITY_WARNING, "client", 0, "connects", "may be an external program");
}

static void
test_pair_peers (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(GPtrArray) findings = NULL;

  add_node (topology, "a", ZS_SOCKET_PAIR, "inproc://step", NULL);
  add_node (topology, "b", ZS_SOCKET_PAIR, NULL, "inproc://step");
  findings = zs_validate (topology);
  g_assert_cmpuint (findings->len, ==, 0);

  add_node (topology, "c", ZS_SOCKET_PAIR, NULL, "inproc://step");
  assert_finding (topology, ZS_SEVERITY_ERROR, "a", 0, "socket-type", "exactly one peer, but 2 are linked");
}

static void
test_role_sockets (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  g_autoptr(ZsNode) bare = zs_node_new ("bare", ZS_ROLE_BROKER);
  ZsNode *server = zs_topology_find_node (topology, "server");

  zs_socket_spec_set_socket_type (zs_node_get_socket (server, 0), ZS_SOCKET_PULL);
  assert_finding (topology, ZS_SEVERITY_ERROR, "server", 0, "socket-type", "cannot be PULL; use REP, DEALER, ROUTER");

  zs_topology_add_node (topology, bare);
  assert_finding (topology, ZS_SEVERITY_ERROR, "bare", -1, "sockets", "needs a socket named “frontend”");
  assert_finding (topology, ZS_SEVERITY_ERROR, "bare", -1, "sockets", "needs a socket named “backend”");
}

static void
test_names (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  ZsNode *server = zs_topology_find_node (topology, "server");
  ZsNode *unnamed;

  zs_node_set_name (zs_topology_find_node (topology, "client"), "server");
  assert_finding (topology, ZS_SEVERITY_ERROR, "server", -1, "name", "another node is also called “server”");
  zs_node_set_name (zs_topology_get_node (topology, 1), "client");

  add_socket (server, "rep", ZS_SOCKET_DEALER, NULL, "tcp://example.com:1");
  assert_finding (topology, ZS_SEVERITY_ERROR, "server", 1, "name", "another socket called “rep”");
  zs_socket_spec_set_name (zs_node_get_socket (server, 1), "");
  assert_finding (topology, ZS_SEVERITY_ERROR, "server", 1, "name", "the socket has no name");

  unnamed = add_node (topology, "", ZS_SOCKET_PULL, NULL, "tcp://example.com:2");
  g_assert_nonnull (unnamed);
  assert_finding (topology, ZS_SEVERITY_ERROR, "", -1, "name", "the node has no name");
}

static void
test_control_characters_in_names (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  ZsNode *server = zs_topology_find_node (topology, "server");

  zs_node_set_name (server, "serv\ner");
  assert_finding (topology, ZS_SEVERITY_ERROR, "serv\ner", -1, "name", "control character (U+000A)");
  zs_node_set_name (server, "server");
  zs_socket_spec_set_name (zs_node_get_socket (server, 0), "\033[2Jrep");
  assert_finding (topology, ZS_SEVERITY_ERROR, "server", 0, "name", "control character (U+001B)");
}

/* A sending role with no frame would fail at its first send, after the run started. */
static void
test_empty_payload (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  const char *nothing[] = { NULL };

  zs_node_set_payload (zs_topology_find_node (topology, "client"), NULL);
  assert_finding (topology, ZS_SEVERITY_ERROR, "client", -1, "payload", "the client role sends its payload");
  zs_node_set_payload (zs_topology_find_node (topology, "client"), (const char *[]) { "Hello", NULL });
  zs_node_set_payload (zs_topology_find_node (topology, "pub"), nothing);
  assert_finding (topology, ZS_SEVERITY_ERROR, "pub", -1, "payload", "the publisher role sends its payload");
  zs_node_set_payload (zs_topology_find_node (topology, "pub"), (const char *[]) { "{seq}", NULL });
  zs_node_set_payload (zs_topology_find_node (topology, "vent"), NULL);
  assert_finding (topology, ZS_SEVERITY_ERROR, "vent", -1, "payload", "the ventilator role sends its payload");
}

/* Binding every interface opens the topology to the network. */
static void
test_bind_every_interface (void)
{
  const char *wildcards[] = { "tcp://*", "tcp://0.0.0.0", "tcp://[::]" };
  guint16 port = zs_test_free_tcp_port ();
  g_autofree char *expected = g_strdup_printf ("binds every network interface: anyone who can reach this machine "
                                               "on port %u can connect", port);

  for (guint i = 0; i < G_N_ELEMENTS (wildcards); i++)
    {
      g_autoptr(ZsTopology) topology = good_topology ();
      g_autofree char *bind = g_strdup_printf ("%s:%u", wildcards[i], port);

      zs_socket_spec_set_binds (zs_node_get_socket (zs_topology_find_node (topology, "server"), 0),
                                (const char *[]) { bind, NULL });
      assert_finding (topology, ZS_SEVERITY_WARNING, "server", 0, "binds", expected);
    }
}

/* HWM 0 is no limit: a warning where a queue can grow, none where it cannot. */
static void
test_unlimited_hwm (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  ZsSocketSpec *req = zs_node_get_socket (zs_topology_find_node (topology, "client"), 0);
  ZsSocketSpec *rep = zs_node_get_socket (zs_topology_find_node (topology, "server"), 0);
  ZsSocketSpec *pub = zs_node_get_socket (zs_topology_find_node (topology, "pub"), 0);
  ZsSocketSpec *sub = zs_node_get_socket (zs_topology_find_node (topology, "sub"), 0);
  g_autoptr(GPtrArray) findings = NULL;

  /* REQ is lockstep, REP replies once per request, PUB never receives. */
  zs_socket_spec_set_sndhwm (req, 0);
  zs_socket_spec_set_rcvhwm (req, 0);
  zs_socket_spec_set_sndhwm (rep, 0);
  zs_socket_spec_set_rcvhwm (pub, 0);
  findings = zs_validate (topology);
  log_findings (findings);
  g_assert_cmpuint (findings->len, ==, 0);

  zs_socket_spec_set_sndhwm (pub, 0);
  assert_finding (topology, ZS_SEVERITY_WARNING, "pub", 0, "sndhwm", "grow without bound");
  zs_socket_spec_set_sndhwm (pub, 1000);
  zs_socket_spec_set_rcvhwm (sub, 0);
  assert_finding (topology, ZS_SEVERITY_WARNING, "sub", 0, "rcvhwm", "grow without bound");
  zs_socket_spec_set_rcvhwm (sub, 1000);
  zs_socket_spec_set_rcvhwm (rep, 0);
  assert_finding (topology, ZS_SEVERITY_WARNING, "server", 0, "rcvhwm", "grow without bound");
}

static void
test_negative_hwm (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  ZsSocketSpec *req = zs_node_get_socket (zs_topology_find_node (topology, "client"), 0);

  zs_socket_spec_set_sndhwm (req, 0);
  zs_socket_spec_set_rcvhwm (req, -1);
  assert_finding (topology, ZS_SEVERITY_ERROR, "client", 0, "rcvhwm", "cannot be negative (-1)");
  zs_socket_spec_set_rcvhwm (req, 0);
  zs_socket_spec_set_sndhwm (req, -5);
  assert_finding (topology, ZS_SEVERITY_ERROR, "client", 0, "sndhwm", "cannot be negative (-5)");
}

static void
test_subscriptions (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  ZsSocketSpec *pub = zs_node_get_socket (zs_topology_find_node (topology, "pub"), 0);
  ZsSocketSpec *sub = zs_node_get_socket (zs_topology_find_node (topology, "sub"), 0);
  const char *filters[] = { "10001 ", NULL };

  zs_socket_spec_set_subscribe (pub, filters);
  assert_finding (topology, ZS_SEVERITY_WARNING, "pub", 0, "subscribe", "only applies to SUB and XSUB");
  zs_socket_spec_set_subscribe (pub, NULL);

  zs_socket_spec_set_subscribe (sub, NULL);
  assert_finding (topology, ZS_SEVERITY_WARNING, "sub", 0, "subscribe", "receives nothing");
}

static void
test_unconnected_socket (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();

  add_node (topology, "lonely", ZS_SOCKET_DEALER, NULL, NULL);
  assert_finding (topology, ZS_SEVERITY_WARNING, "lonely", 0, "binds", "neither binds nor connects");
}

static void
test_errors_first (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *first = NULL;

  add_node (topology, "w1", ZS_SOCKET_DEALER, NULL, NULL);               /* warning */
  add_node (topology, "e1", ZS_SOCKET_DEALER, "nonsense", NULL);         /* error */
  add_node (topology, "w2", ZS_SOCKET_DEALER, NULL, "tcp://example.com:9"); /* warning */
  add_node (topology, "e2", ZS_SOCKET_DEALER, "inproc://e2", "tcp://*:1"); /* error */

  findings = zs_validate (topology);
  log_findings (findings);
  g_assert_cmpuint (findings->len, ==, 4);
  g_assert_cmpstr (((ZsFinding *) findings->pdata[0])->node, ==, "e1");
  g_assert_cmpstr (((ZsFinding *) findings->pdata[1])->node, ==, "e2");
  g_assert_cmpstr (((ZsFinding *) findings->pdata[2])->node, ==, "w1");
  g_assert_cmpstr (((ZsFinding *) findings->pdata[3])->node, ==, "w2");
  g_assert_true (zs_findings_have_errors (findings));

  first = zs_finding_to_string (findings->pdata[0]);
  g_assert_true (g_str_has_prefix (first, "error: node 'e1', socket 'socket' (binds): "));
}

static void
test_templates (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  g_autoptr(GPtrArray) findings = NULL;
  const char *payload[] = { "ok {seq}", "{rand:9:1}", NULL };

  zs_node_set_payload (zs_topology_find_node (topology, "client"), payload);
  g_object_set (zs_topology_find_node (topology, "server"), "reply", "{nope}", NULL);
  findings = zs_validate (topology);
  log_findings (findings);
  g_assert_cmpuint (count_findings (findings, ZS_SEVERITY_ERROR, "client", -1, "payload", "frame 2"), ==, 1);
  g_assert_cmpuint (count_findings (findings, ZS_SEVERITY_ERROR, "server", -1, "reply", "{nope}"), ==, 1);
}

/* The main socket is the first one, whatever its name. */
static void
test_main_socket_any_name (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  g_autoptr(GPtrArray) findings = NULL;

  zs_socket_spec_set_name (zs_node_get_socket (zs_topology_find_node (topology, "server"), 0), "frontdoor");
  findings = zs_validate (topology);
  log_findings (findings);
  g_assert_false (zs_findings_have_errors (findings));
}

/* ---- external programs (issue 9) ---------------------------------------- */

/* An external program with one socket; owned by the topology. */
static ZsNode *
add_external (ZsTopology   *topology,
              const char   *name,
              ZsSocketType  type,
              const char   *bind,
              const char   *connect)
{
  g_autoptr(ZsNode) node = zs_node_new (name, ZS_ROLE_EXTERNAL);

  add_socket (node, "socket", type, bind, connect);
  zs_topology_add_node (topology, node);
  return node;
}

/* A link to an external program is checked like any other; its own
 * endpoints live on another machine or process, so they are not ours to
 * bind, but inproc can never reach it. */
static void
test_external_node (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  g_autoptr(GPtrArray) findings = NULL;
  ZsNode *legacy;
  guint16 port = zs_test_free_tcp_port ();
  g_autofree char *legacy_connect = g_strdup_printf ("tcp://localhost:%u", port);
  g_autofree char *legacy_bind = g_strdup_printf ("tcp://127.0.0.1:%u", port);

  add_node (topology, "asker", ZS_SOCKET_REQ, NULL, legacy_connect);
  legacy = add_external (topology, "legacy", ZS_SOCKET_REP, legacy_bind, NULL);
  add_node (topology, "remote-client", ZS_SOCKET_REQ, NULL, "tcp://192.0.2.7:6011");
  add_external (topology, "remote", ZS_SOCKET_ROUTER, "tcp://192.0.2.7:6011", NULL);
  findings = zs_validate (topology);
  log_findings (findings);
  g_assert_cmpuint (findings->len, ==, 0);
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, 6);

  zs_socket_spec_set_socket_type (zs_node_get_socket (legacy, 0), ZS_SOCKET_PUB);
  assert_finding (topology, ZS_SEVERITY_ERROR, "asker", 0, "socket-type",
                  "a REQ socket cannot talk to the PUB socket 'socket' of node 'legacy'");

  zs_socket_spec_set_socket_type (zs_node_get_socket (legacy, 0), ZS_SOCKET_REP);
  zs_socket_spec_set_binds (zs_node_get_socket (legacy, 0), (const char *[]) { "inproc://legacy", NULL });
  set_connect (zs_topology_find_node (topology, "asker"), 0, "inproc://legacy");
  assert_finding (topology, ZS_SEVERITY_ERROR, "legacy", 0, "binds",
                  "an external program cannot reach “inproc://legacy”");
}

static const ZsFinding *
find_finding (GPtrArray  *findings,
              const char *node,
              const char *says)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const ZsFinding *f = g_ptr_array_index (findings, i);

      if (g_strcmp0 (f->node, node) == 0 && strstr (f->message, says) != NULL)
        return f;
    }
  return NULL;
}

/* A connect or bind with no peer in the file may be an outside program:
 * the finding carries the fix that adds one. */
static void
test_unpaired_endpoint_fix (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(GPtrArray) findings = NULL;
  const ZsFinding *f;

  add_node (topology, "asker", ZS_SOCKET_REQ, NULL, "tcp://localhost:6020");
  add_node (topology, "feed", ZS_SOCKET_PUB, "tcp://127.0.0.1:6021", NULL);
  add_node (topology, "lonely", ZS_SOCKET_PULL, NULL, "inproc://nowhere");
  add_node (topology, "hidden", ZS_SOCKET_PUSH, "inproc://hidden", NULL);
  findings = zs_validate (topology);
  log_findings (findings);

  f = find_finding (findings, "asker", "add an external program here");
  g_assert_nonnull (f);
  g_assert_cmpint (f->severity, ==, ZS_SEVERITY_WARNING);
  g_assert_cmpstr (f->field, ==, "connects");
  g_assert_cmpint (f->fix, ==, ZS_FINDING_FIX_ADD_EXTERNAL);
  g_assert_cmpstr (f->fix_endpoint, ==, "tcp://localhost:6020");

  f = find_finding (findings, "feed", "add an external program here");
  g_assert_nonnull (f);
  g_assert_cmpstr (f->field, ==, "binds");
  g_assert_cmpint (f->fix, ==, ZS_FINDING_FIX_ADD_EXTERNAL);
  g_assert_cmpstr (f->fix_endpoint, ==, "tcp://127.0.0.1:6021");

  /* inproc stays inside this process: no outside program can be its peer */
  f = find_finding (findings, "lonely", "no node in this topology binds");
  g_assert_nonnull (f);
  g_assert_cmpint (f->fix, ==, ZS_FINDING_FIX_NONE);
  g_assert_null (find_finding (findings, "hidden", "external"));

  /* the fix survives a copy */
  {
    g_autoptr(ZsFinding) copy = zs_finding_copy (find_finding (findings, "feed", "external"));

    g_assert_cmpint (copy->fix, ==, ZS_FINDING_FIX_ADD_EXTERNAL);
    g_assert_cmpstr (copy->fix_endpoint, ==, "tcp://127.0.0.1:6021");
  }
}

/* Whitespace around an endpoint: name it, not a missing port or transport. */
static void
test_endpoint_whitespace (void)
{
  g_autoptr(ZsTopology) topology = good_topology ();
  ZsNode *client = zs_topology_find_node (topology, "client");

  set_connect (client, 0, "tcp://localhost:5555 ");
  assert_finding (topology, ZS_SEVERITY_ERROR, "client", 0, "connects", "ends with a space; remove it");
  set_connect (client, 0, " tcp://localhost:5555");
  assert_finding (topology, ZS_SEVERITY_ERROR, "client", 0, "connects", "starts with a space; remove it");
  set_connect (client, 0, "tcp://localhost:5555\t");
  assert_finding (topology, ZS_SEVERITY_ERROR, "client", 0, "connects", "ends with a tab; remove it");
  set_connect (client, 0, "tcp://local host:5555");
  assert_finding (topology, ZS_SEVERITY_ERROR, "client", 0, "connects", "contains a space");
}

static void
set_server_bind (ZsTopology *topology,
                 const char *bind)
{
  const char *binds[] = { bind, NULL };

  zs_socket_spec_set_binds (zs_node_get_socket (zs_topology_find_node (topology, "server"), 0), binds);
}

/* libzmq binds interface names and this machine's addresses only; anything
 * else fails at run time ("No such device", "Cannot assign requested address"). */
static void
test_bind_not_local (void)
{
  const char *local[] = { "tcp://127.0.0.1:5555", "tcp://127.0.0.2:5555", "tcp://lo:5555" };

  for (guint i = 0; i < G_N_ELEMENTS (local); i++)
    {
      g_autoptr(ZsTopology) topology = good_topology ();
      g_autoptr(GPtrArray) findings = NULL;

      set_server_bind (topology, local[i]);
      findings = zs_validate (topology);
      log_findings (findings);
      g_assert_false (zs_findings_have_errors (findings));
    }
  {
    g_autoptr(ZsTopology) topology = good_topology ();

    set_server_bind (topology, "tcp://198.51.100.7:5555");
    assert_finding (topology, ZS_SEVERITY_ERROR, "server", 0, "binds",
                    "198.51.100.7 is not an address of this machine");
    set_server_bind (topology, "tcp://localhost:5555");
    assert_finding (topology, ZS_SEVERITY_ERROR, "server", 0, "binds",
                    "libzmq binds an interface name or an address, not a host name; use tcp://127.0.0.1:5555");
    set_server_bind (topology, "tcp://no-such-nic0:5555");
    assert_finding (topology, ZS_SEVERITY_ERROR, "server", 0, "binds", "“no-such-nic0” is not a network interface");
  }
}

/* pgm and epgm carry PUB/SUB only: libzmq refuses any other socket type. */
static void
test_pgm_socket_type (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(GPtrArray) findings = NULL;

  add_node (topology, "pub", ZS_SOCKET_PUB, "epgm://lo;239.192.1.1:5555", NULL);
  add_node (topology, "asker", ZS_SOCKET_REQ, NULL, "pgm://lo;239.192.1.1:5556");
  findings = zs_validate (topology);
  log_findings (findings);
  g_assert_cmpuint (count_findings (findings, ZS_SEVERITY_ERROR, "asker", 0, "connects",
                                    "pgm carries only PUB, SUB, XPUB and XSUB sockets, this one is REQ"), ==, 1);
  g_assert_cmpuint (count_findings (findings, ZS_SEVERITY_ERROR, "pub", -1, NULL, "carries only"), ==, 0);
}

/* "PAIR … 3 are linked to it" names the three. */
static void
test_pair_peers_named (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();

  add_node (topology, "a", ZS_SOCKET_PAIR, "inproc://step", NULL);
  add_node (topology, "b", ZS_SOCKET_PAIR, NULL, "inproc://step");
  add_node (topology, "c", ZS_SOCKET_PAIR, NULL, "inproc://step");
  add_node (topology, "d", ZS_SOCKET_PAIR, NULL, "inproc://step");
  assert_finding (topology, ZS_SEVERITY_ERROR, "a", 0, "socket-type",
                  "but 3 are linked to it ('b', 'c' and 'd')");
}

/* 5,000 nodes: 2,500 PUSH -> PULL pairs, inproc, tcp and ipc, plus
 * two binds that overlap and a connect nobody binds. Validation and the
 * links compare endpoints a bounded number of times per endpoint (by
 * address, not every pair): counted, not timed. */
static void
test_scale_linear (void)
{
  g_autoptr(ZsTopology) t = zs_topology_new ();
  g_autoptr(GPtrArray) findings = NULL;
  const char *payload[] = { "x", NULL };
  guint64 before;
  guint n_pairs = 2500;

  for (guint p = 0; p < n_pairs; p++)
    {
      g_autofree char *endpoint = p % 3 == 0 ? g_strdup_printf ("inproc://pair-%u", p)
                                  : p % 3 == 1 ? g_strdup_printf ("tcp://127.0.0.1:%u", 20000 + p)
                                  : g_strdup_printf ("ipc:///tmp/zs-scale-test-%u", p);
      g_autofree char *tx = g_strdup_printf ("tx-%u", p);
      g_autofree char *rx = g_strdup_printf ("rx-%u", p);

      zs_node_set_payload (add_node (t, tx, ZS_SOCKET_PUSH, endpoint, NULL), payload);
      add_node (t, rx, ZS_SOCKET_PULL, NULL, endpoint);
    }
  zs_node_set_payload (add_node (t, "again", ZS_SOCKET_PUSH, "tcp://*:20001", NULL), payload);
  add_node (t, "lonely", ZS_SOCKET_PULL, NULL, "inproc://nobody");

  before = zs_endpoint_get_n_compared ();
  findings = zs_validate (t);
  g_assert_cmpuint (zs_topology_get_links (t)->len, ==, n_pairs + 1);
  /* Each connect against the binds on its address, each bind against
   * those before it on its address: a few per endpoint. */
  g_assert_cmpuint (zs_endpoint_get_n_compared () - before, <=, 4 * (2 * n_pairs + 2));
  /* The overlap (an error, first), the lonely connect, and the bind on
   * every interface. */
  g_assert_cmpuint (findings->len, ==, 3);
  g_assert_cmpstr (((ZsFinding *) findings->pdata[0])->node, ==, "again");
  g_assert_nonnull (strstr (((ZsFinding *) findings->pdata[0])->message, "overlaps “tcp://127.0.0.1:20001”"));
  for (guint i = 1; i < findings->len; i++)
    g_assert_true (g_str_equal (((ZsFinding *) findings->pdata[i])->node, "again")
                   || g_str_equal (((ZsFinding *) findings->pdata[i])->node, "lonely"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/validator/good", test_good_topology);
  g_test_add_func ("/zmqscope/validator/endpoint-syntax", test_endpoint_syntax);
  g_test_add_func ("/zmqscope/validator/transport-unavailable", test_transport_unavailable);
  g_test_add_func ("/zmqscope/validator/incompatible-pair", test_incompatible_pair);
  g_test_add_func ("/zmqscope/validator/double-bind", test_double_bind);
  g_test_add_func ("/zmqscope/validator/connect-unbound", test_connect_unbound);
  g_test_add_func ("/zmqscope/validator/pair-peers", test_pair_peers);
  g_test_add_func ("/zmqscope/validator/role-sockets", test_role_sockets);
  g_test_add_func ("/zmqscope/validator/names", test_names);
  g_test_add_func ("/zmqscope/validator/control-characters-in-names", test_control_characters_in_names);
  g_test_add_func ("/zmqscope/validator/empty-payload", test_empty_payload);
  g_test_add_func ("/zmqscope/validator/bind-every-interface", test_bind_every_interface);
  g_test_add_func ("/zmqscope/validator/unlimited-hwm", test_unlimited_hwm);
  g_test_add_func ("/zmqscope/validator/negative-hwm", test_negative_hwm);
  g_test_add_func ("/zmqscope/validator/subscriptions", test_subscriptions);
  g_test_add_func ("/zmqscope/validator/unconnected-socket", test_unconnected_socket);
  g_test_add_func ("/zmqscope/validator/errors-first", test_errors_first);
  g_test_add_func ("/zmqscope/validator/templates", test_templates);
  g_test_add_func ("/zmqscope/validator/main-socket-any-name", test_main_socket_any_name);
  g_test_add_func ("/zmqscope/validator/external-node", test_external_node);
  g_test_add_func ("/zmqscope/validator/unpaired-endpoint-fix", test_unpaired_endpoint_fix);
  g_test_add_func ("/zmqscope/validator/endpoint-whitespace", test_endpoint_whitespace);
  g_test_add_func ("/zmqscope/validator/bind-not-local", test_bind_not_local);
  g_test_add_func ("/zmqscope/validator/pgm-socket-type", test_pgm_socket_type);
  g_test_add_func ("/zmqscope/validator/pair-peers-named", test_pair_peers_named);
  g_test_add_func ("/zmqscope/validator/scale-linear", test_scale_linear);

  return g_test_run ();
}
