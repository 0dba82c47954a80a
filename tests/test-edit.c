/* test-edit.c: the editor's operations on a topology, headless
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zs-edit.h"

/* A node of `role` with the role's own sockets, added to the topology. */
static ZsNode *
add_role_node (ZsTopology *topology,
               const char *name,
               ZsRole      role)
{
  g_autoptr(ZsNode) node = zs_node_new_for_role (name, role);

  zs_topology_add_node (topology, node);
  return node;
}

static const char *
bind_of (ZsNode *node,
         guint   socket)
{
  const char * const *binds = zs_socket_spec_get_binds (zs_node_get_socket (node, socket));

  return binds != NULL ? binds[0] : NULL;
}

static const char *
connect_of (ZsNode *node,
            guint   socket)
{
  const char * const *connects = zs_socket_spec_get_connects (zs_node_get_socket (node, socket));

  return connects != NULL ? connects[0] : NULL;
}

static guint
n_links (ZsTopology *topology)
{
  return zs_topology_get_links (topology)->len;
}

static const ZsLink *
link_at (ZsTopology *topology,
         guint       index)
{
  return g_ptr_array_index (zs_topology_get_links (topology), index);
}

static void
test_prefers_bind (void)
{
  g_autoptr(ZsNode) server = zs_node_new_for_role ("server", ZS_ROLE_SERVER);
  g_autoptr(ZsNode) client = zs_node_new_for_role ("client", ZS_ROLE_CLIENT);
  g_autoptr(ZsNode) forwarder = zs_node_new_for_role ("proxy", ZS_ROLE_FORWARDER);

  g_assert_true (zs_edit_socket_prefers_bind (server, 0));
  g_assert_false (zs_edit_socket_prefers_bind (client, 0));
  g_assert_false (zs_edit_socket_prefers_bind (forwarder, zs_node_find_socket_index (forwarder, "frontend")));
  g_assert_true (zs_edit_socket_prefers_bind (forwarder, zs_node_find_socket_index (forwarder, "backend")));
}

static void
test_free_endpoint (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  const char *tcp[] = { "tcp://*:5555", NULL };
  g_autofree char *inproc = NULL;
  g_autofree char *ipc = NULL;
  g_autofree char *port = NULL;
  g_autofree char *odd = NULL;

  /* The server's rep binds inproc://server-rep already: the next name. */
  g_assert_cmpstr (bind_of (server, 0), ==, "inproc://server-rep");
  inproc = zs_edit_free_endpoint (topology, ZS_TRANSPORT_INPROC, "server", "rep");
  g_assert_cmpstr (inproc, ==, "inproc://server-rep-2");
  ipc = zs_edit_free_endpoint (topology, ZS_TRANSPORT_IPC, "server", "rep");
  g_assert_cmpstr (ipc, ==, "ipc:///tmp/zmqscope-server-rep");
  /* tcp: the loopback address, the first port no socket uses (any host). */
  zs_socket_spec_set_binds (zs_node_get_socket (server, 0), tcp);
  port = zs_edit_free_endpoint (topology, ZS_TRANSPORT_TCP, "server", "rep");
  g_assert_cmpstr (port, ==, "tcp://127.0.0.1:5556");
  /* Separators in names do not make paths or ports. */
  odd = zs_edit_free_endpoint (topology, ZS_TRANSPORT_INPROC, "my node", "a/b:c");
  g_assert_cmpstr (odd, ==, "inproc://my-node-a-b-c");
}

static void
assert_form (char       *result,
             const char *expected)
{
  g_assert_cmpstr (result, ==, expected);
  g_free (result);
}

static void
test_endpoint_forms (void)
{
  assert_form (zs_edit_connect_form ("tcp://*:5556"), "tcp://localhost:5556");
  assert_form (zs_edit_connect_form ("tcp://0.0.0.0:5556"), "tcp://localhost:5556");
  assert_form (zs_edit_connect_form ("tcp://127.0.0.1:5556"), "tcp://localhost:5556");
  assert_form (zs_edit_connect_form ("tcp://10.1.2.3:5556"), "tcp://10.1.2.3:5556");
  assert_form (zs_edit_connect_form ("inproc://work"), "inproc://work");
  assert_form (zs_edit_bind_form ("tcp://localhost:5556"), "tcp://127.0.0.1:5556");
  assert_form (zs_edit_bind_form ("tcp://10.1.2.3:5556"), "tcp://10.1.2.3:5556");
  assert_form (zs_edit_bind_form ("ipc:///tmp/x"), "ipc:///tmp/x");
}

/* A drag from a client to a server: the server binds (it already does),
 * the client connects to it. */
static void
test_link (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  ZsNode *client = add_role_node (topology, "client", ZS_ROLE_CLIENT);
  const ZsLink *link;

  g_assert_cmpint (zs_edit_link (topology, client, 0, server, -1), ==, 0);
  g_assert_cmpstr (connect_of (client, 0), ==, "inproc://server-rep");
  g_assert_null (bind_of (client, 0));
  g_assert_cmpuint (n_links (topology), ==, 1);
  link = link_at (topology, 0);
  g_assert_cmpuint (link->bind_node, ==, zs_topology_find_node_index (topology, server));
  g_assert_true (link->to_bind && link->to_connect);

  /* Again: the client already connects there, nothing is added. */
  g_assert_cmpint (zs_edit_link (topology, client, 0, server, 0), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **) zs_socket_spec_get_connects (zs_node_get_socket (client, 0))), ==, 1);
  g_assert_cmpuint (n_links (topology), ==, 1);
}

static void
test_link_refused (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  ZsNode *sink = add_role_node (topology, "sink", ZS_ROLE_SINK);

  /* Dropped on a socket that cannot pair (REP, PULL): no link, no socket. */
  g_assert_cmpint (zs_edit_link (topology, server, 0, sink, 0), ==, -1);
  /* A socket never links to itself. */
  g_assert_cmpint (zs_edit_link (topology, server, 0, server, 0), ==, -1);
  /* Out of range. */
  g_assert_cmpint (zs_edit_link (topology, server, 0, sink, 7), ==, -1);
  g_assert_cmpuint (zs_node_get_n_sockets (sink), ==, 1);
  g_assert_cmpuint (n_links (topology), ==, 0);
}

/* A client dropped on a publisher: no socket pairs with REQ, but the
 * publisher's role has a sync (REP) socket it lacks: added, and bound. */
static void
test_link_adds_role_socket (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *publisher = add_role_node (topology, "publisher", ZS_ROLE_PUBLISHER);
  ZsNode *client = add_role_node (topology, "client", ZS_ROLE_CLIENT);
  int sync;

  g_assert_cmpuint (zs_node_get_n_sockets (publisher), ==, 1);
  sync = zs_edit_link (topology, client, 0, publisher, -1);
  g_assert_cmpint (sync, ==, 1);
  g_assert_cmpstr (zs_socket_spec_get_name (zs_node_get_socket (publisher, sync)), ==, "sync");
  g_assert_cmpint (zs_socket_spec_get_socket_type (zs_node_get_socket (publisher, sync)), ==, ZS_SOCKET_REP);
  g_assert_cmpstr (bind_of (publisher, sync), ==, "inproc://publisher-sync");
  g_assert_cmpstr (connect_of (client, 0), ==, "inproc://publisher-sync");
  g_assert_cmpuint (n_links (topology), ==, 1);
}

/* A tcp link; flipped, the connector binds (on the loopback address) and
 * the former binder connects, through the same port. */
static void
test_flip_link (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  ZsNode *client = add_role_node (topology, "client", ZS_ROLE_CLIENT);

  zs_edit_link (topology, client, 0, server, -1);
  g_assert_true (zs_edit_set_link_transport (topology, 0, ZS_TRANSPORT_TCP));
  g_assert_true (zs_edit_flip_link (topology, 0));
  g_assert_cmpstr (bind_of (client, 0), ==, "tcp://127.0.0.1:5555");
  g_assert_null (connect_of (client, 0));
  g_assert_cmpstr (connect_of (server, 0), ==, "tcp://localhost:5555");
  g_assert_null (bind_of (server, 0));
  g_assert_cmpuint (n_links (topology), ==, 1);
  g_assert_cmpuint (link_at (topology, 0)->bind_node, ==, zs_topology_find_node_index (topology, client));
  g_assert_false (zs_edit_flip_link (topology, 3));
}

/* Two clients on one bind: the flipped one gets a bind of its own, the
 * other keeps the server's. */
static void
test_flip_shared_bind (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  ZsNode *one = add_role_node (topology, "one", ZS_ROLE_CLIENT);
  ZsNode *two = add_role_node (topology, "two", ZS_ROLE_CLIENT);
  guint flipped = 0;

  zs_edit_link (topology, one, 0, server, -1);
  zs_edit_link (topology, two, 0, server, -1);
  g_assert_cmpuint (n_links (topology), ==, 2);
  if (link_at (topology, 1)->connect_node == (guint) zs_topology_find_node_index (topology, one))
    flipped = 1;
  g_assert_true (zs_edit_flip_link (topology, flipped));
  g_assert_cmpstr (bind_of (one, 0), ==, "inproc://one-req");
  g_assert_cmpstr (bind_of (server, 0), ==, "inproc://server-rep");
  g_assert_cmpstr (connect_of (two, 0), ==, "inproc://server-rep");
  g_assert_cmpstr (connect_of (server, 0), ==, "inproc://one-req");
  g_assert_cmpuint (n_links (topology), ==, 2);
}

static void
test_set_link_transport (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  ZsNode *client = add_role_node (topology, "client", ZS_ROLE_CLIENT);

  zs_edit_link (topology, client, 0, server, -1);
  g_assert_true (zs_edit_set_link_transport (topology, 0, ZS_TRANSPORT_INPROC));
  g_assert_cmpstr (bind_of (server, 0), ==, "inproc://server-rep");

  g_assert_true (zs_edit_set_link_transport (topology, 0, ZS_TRANSPORT_IPC));
  g_assert_cmpstr (bind_of (server, 0), ==, "ipc:///tmp/zmqscope-server-rep");
  g_assert_cmpstr (connect_of (client, 0), ==, "ipc:///tmp/zmqscope-server-rep");
  g_assert_cmpuint (n_links (topology), ==, 1);
  g_assert_cmpint (link_at (topology, 0)->transport, ==, ZS_TRANSPORT_IPC);

  g_assert_true (zs_edit_set_link_transport (topology, 0, ZS_TRANSPORT_TCP));
  g_assert_cmpstr (bind_of (server, 0), ==, "tcp://127.0.0.1:5555");
  g_assert_cmpstr (connect_of (client, 0), ==, "tcp://localhost:5555");
  g_assert_cmpint (link_at (topology, 0)->transport, ==, ZS_TRANSPORT_TCP);
  g_assert_false (zs_edit_set_link_transport (topology, 1, ZS_TRANSPORT_TCP));
}

static void
test_remove_link (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  ZsNode *client = add_role_node (topology, "client", ZS_ROLE_CLIENT);

  zs_edit_link (topology, client, 0, server, -1);
  g_assert_true (zs_edit_remove_link (topology, 0));
  g_assert_cmpuint (n_links (topology), ==, 0);
  g_assert_null (connect_of (client, 0));
  /* The bind stays: other programs may use it. */
  g_assert_cmpstr (bind_of (server, 0), ==, "inproc://server-rep");
  g_assert_false (zs_edit_remove_link (topology, 0));
}

/* Pasting a linked pair next to itself: unique names, moved, and the copy
 * links to its own copy, not to the original. */
static void
test_paste (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsTopology) clip = NULL;
  g_autoptr(GPtrArray) added = NULL;
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  ZsNode *client = add_role_node (topology, "client", ZS_ROLE_CLIENT);
  ZsNode *server2, *client2;

  zs_node_set_position (server, 100, 50);
  zs_edit_link (topology, client, 0, server, -1);
  clip = zs_topology_copy (topology);
  added = zs_edit_paste (topology, clip, 40, 30);
  g_assert_cmpuint (added->len, ==, 2);
  server2 = g_ptr_array_index (added, 0);
  client2 = g_ptr_array_index (added, 1);
  g_assert_cmpstr (zs_node_get_name (server2), ==, "server-2");
  g_assert_cmpstr (zs_node_get_name (client2), ==, "client-2");
  g_assert_cmpfloat (zs_node_get_x (server2), ==, 140);
  g_assert_cmpfloat (zs_node_get_y (server2), ==, 80);
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, 4);
  g_assert_cmpstr (bind_of (server2, 0), !=, "inproc://server-rep");
  g_assert_cmpstr (connect_of (client2, 0), ==, bind_of (server2, 0));
  g_assert_cmpstr (connect_of (client, 0), ==, "inproc://server-rep");
  g_assert_cmpuint (n_links (topology), ==, 2);
}

/* An outside program for the server's bind: its peer socket (REQ)
 * connects to it, on this machine; the card sits beside the server. */
static void
test_add_external_peer (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *server = add_role_node (topology, "server", ZS_ROLE_SERVER);
  const char *tcp[] = { "tcp://*:5560", NULL };
  ZsNode *external;

  zs_socket_spec_set_binds (zs_node_get_socket (server, 0), tcp);
  zs_node_set_position (server, 10, 20);
  external = zs_edit_add_external_peer (topology, server, 0, "tcp://*:5560", TRUE);
  g_assert_nonnull (external);
  g_assert_true (zs_node_is_external (external));
  g_assert_cmpuint (zs_node_get_n_sockets (external), ==, 1);
  g_assert_cmpint (zs_socket_spec_get_socket_type (zs_node_get_socket (external, 0)), ==, ZS_SOCKET_REQ);
  g_assert_cmpstr (connect_of (external, 0), ==, "tcp://localhost:5560");
  g_assert_cmpfloat (zs_node_get_y (external), ==, 20);
  g_assert_cmpfloat (zs_node_get_x (external), >, 10);
  g_assert_cmpuint (n_links (topology), ==, 1);

  /* Our connect: the outside program binds it. */
  external = zs_edit_add_external_peer (topology, server, 0, "tcp://localhost:5561", FALSE);
  g_assert_cmpstr (bind_of (external, 0), ==, "tcp://127.0.0.1:5561");
  g_assert_cmpstr (zs_node_get_name (external), !=, "external");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/edit/prefers-bind", test_prefers_bind);
  g_test_add_func ("/zmqscope/edit/free-endpoint", test_free_endpoint);
  g_test_add_func ("/zmqscope/edit/endpoint-forms", test_endpoint_forms);
  g_test_add_func ("/zmqscope/edit/link", test_link);
  g_test_add_func ("/zmqscope/edit/link-refused", test_link_refused);
  g_test_add_func ("/zmqscope/edit/link-adds-role-socket", test_link_adds_role_socket);
  g_test_add_func ("/zmqscope/edit/flip-link", test_flip_link);
  g_test_add_func ("/zmqscope/edit/flip-shared-bind", test_flip_shared_bind);
  g_test_add_func ("/zmqscope/edit/set-link-transport", test_set_link_transport);
  g_test_add_func ("/zmqscope/edit/remove-link", test_remove_link);
  g_test_add_func ("/zmqscope/edit/paste", test_paste);
  g_test_add_func ("/zmqscope/edit/add-external-peer", test_add_external_peer);
  return g_test_run ();
}
