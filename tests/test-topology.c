/* test-topology.c: nodes, sockets, the topology and its derived links
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zs-enums.h"
#include "zs-finding.h"
#include "zs-topology.h"
#include "zs-test-util.h"

static void
count_cb (gpointer  instance,
          guint    *count)
{
  (*count)++;
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static ZsNode *
node_with_socket (const char   *name,
                  ZsSocketType  type,
                  const char   *bind,
                  const char   *connect)
{
  g_autoptr(ZsSocketSpec) socket = zs_socket_spec_new ("s", type);
  const char *binds[] = { bind, NULL };
  const char *connects[] = { connect, NULL };
  ZsNode *node = zs_node_new (name, ZS_ROLE_SOCKET);

  zs_socket_spec_set_binds (socket, binds);
  zs_socket_spec_set_connects (socket, connects);
  zs_node_add_socket (node, socket);
  return node;
}

static void
add_node (ZsTopology *topology,
          ZsNode     *node)
{
  zs_topology_add_node (topology, node);
  g_object_unref (node);
}

static void
test_socket_spec_defaults (void)
{
  g_autoptr(ZsSocketSpec) socket = zs_socket_spec_new ("sub", ZS_SOCKET_SUB);
  const char *filters[] = { "10001 ", "", NULL };
  guint notified = 0;

  g_assert_cmpstr (zs_socket_spec_get_name (socket), ==, "sub");
  g_assert_cmpint (zs_socket_spec_get_socket_type (socket), ==, ZS_SOCKET_SUB);
  g_assert_nonnull (zs_socket_spec_get_binds (socket));
  g_assert_null (zs_socket_spec_get_binds (socket)[0]);
  g_assert_null (zs_socket_spec_get_connects (socket)[0]);
  g_assert_null (zs_socket_spec_get_subscribe (socket)[0]);
  g_assert_null (zs_socket_spec_get_routing_id (socket));
  g_assert_cmpint (zs_socket_spec_get_sndhwm (socket), ==, 1000);
  g_assert_cmpint (zs_socket_spec_get_rcvhwm (socket), ==, 1000);
  g_assert_cmpint (zs_socket_spec_get_linger (socket), ==, 0);
  g_assert_true (zs_socket_spec_get_bind_first (socket));

  /* nothing passes a SUB without subscriptions */
  g_assert_false (zs_socket_spec_accepts (socket, "x", 1));

  g_signal_connect (socket, "notify", G_CALLBACK (count_notify_cb), &notified);
  zs_socket_spec_set_sndhwm (socket, 1000);
  zs_socket_spec_set_subscribe (socket, NULL);
  zs_socket_spec_set_routing_id (socket, "");
  g_assert_cmpuint (notified, ==, 0);
  zs_socket_spec_set_subscribe (socket, filters);
  zs_socket_spec_set_subscribe (socket, filters);
  zs_socket_spec_set_sndhwm (socket, 2);
  g_assert_cmpuint (notified, ==, 2);

  g_assert_true (zs_socket_spec_accepts (socket, "anything", 8));
  g_assert_finalize_object (g_steal_pointer (&socket));
}

static void
test_socket_spec_accepts (void)
{
  g_autoptr(ZsSocketSpec) sub = zs_socket_spec_new ("sub", ZS_SOCKET_SUB);
  g_autoptr(ZsSocketSpec) pull = zs_socket_spec_new ("pull", ZS_SOCKET_PULL);
  const char *filters[] = { "10001 ", NULL };

  zs_socket_spec_set_subscribe (sub, filters);
  g_assert_true (zs_socket_spec_accepts (sub, "10001 25 60", 11));
  g_assert_false (zs_socket_spec_accepts (sub, "10002 25 60", 11));
  g_assert_false (zs_socket_spec_accepts (sub, "1000", 4));
  g_assert_true (zs_socket_spec_accepts (pull, "", 0));
}

static void
test_pspecs_documented (void)
{
  GType types[] = { ZS_TYPE_NODE, ZS_TYPE_SOCKET_SPEC, ZS_TYPE_TOPOLOGY };

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    {
      g_autoptr(GTypeClass) klass = g_type_class_ref (types[t]);
      g_autofree GParamSpec **pspecs = NULL;
      guint n;

      pspecs = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n);
      g_assert_cmpuint (n, >, 1);
      for (guint i = 0; i < n; i++)
        {
          g_assert_cmpstr (g_param_spec_get_nick (pspecs[i]), !=, pspecs[i]->name);
          g_assert_cmpstr (g_param_spec_get_blurb (pspecs[i]), !=, NULL);
          g_assert_true (pspecs[i]->flags & G_PARAM_EXPLICIT_NOTIFY);
        }
    }
}

static void
test_node_defaults (void)
{
  g_autoptr(ZsNode) node = zs_node_new ("n", ZS_ROLE_SOCKET);

  g_assert_true (zs_node_get_tracing (node));
  g_assert_null (zs_node_get_payload (node)[0]);
  g_assert_cmpuint (zs_node_get_count (node), ==, 0);
  g_assert_cmpstr (zs_node_get_reply (node), ==, "");
  g_assert_cmpstr (zs_node_get_end_marker (node), ==, "");
  g_assert_cmpstr (zs_node_get_note (node), ==, "");
  g_assert_cmpint (zs_node_get_wait_peers (node), ==, 0);
  g_assert_false (zs_node_get_work_from_message (node));
  g_assert_false (zs_node_get_zero_copy (node));
  g_assert_cmpuint (zs_node_get_n_sockets (node), ==, 0);
  g_assert_false (zs_node_has_end (node));
}

static void
assert_socket (ZsNode       *node,
               guint         index,
               const char   *name,
               ZsSocketType  type,
               const char   *bind)
{
  ZsSocketSpec *socket = zs_node_get_socket (node, index);

  g_assert_cmpstr (zs_socket_spec_get_name (socket), ==, name);
  g_assert_cmpint (zs_socket_spec_get_socket_type (socket), ==, type);
  g_assert_cmpstr (zs_socket_spec_get_binds (socket)[0], ==, bind);
  g_assert_null (zs_socket_spec_get_connects (socket)[0]);
}

static void
test_node_for_role (void)
{
  g_autoptr(ZsNode) pub = zs_node_new_for_role ("wu", ZS_ROLE_PUBLISHER);
  g_autoptr(ZsNode) sub = zs_node_new_for_role ("client", ZS_ROLE_SUBSCRIBER);
  g_autoptr(ZsNode) req = zs_node_new_for_role ("hw", ZS_ROLE_CLIENT);
  g_autoptr(ZsNode) rep = zs_node_new_for_role ("srv", ZS_ROLE_SERVER);
  g_autoptr(ZsNode) vent = zs_node_new_for_role ("vent", ZS_ROLE_VENTILATOR);
  g_autoptr(ZsNode) worker = zs_node_new_for_role ("w", ZS_ROLE_WORKER);
  g_autoptr(ZsNode) sink = zs_node_new_for_role ("sink", ZS_ROLE_SINK);
  g_autoptr(ZsNode) relay = zs_node_new_for_role ("step1", ZS_ROLE_RELAY);
  g_autoptr(ZsNode) broker = zs_node_new_for_role ("b", ZS_ROLE_BROKER);
  g_autoptr(ZsNode) fwd = zs_node_new_for_role ("proxy", ZS_ROLE_FORWARDER);

  g_assert_cmpuint (zs_node_get_n_sockets (pub), ==, 1);
  assert_socket (pub, 0, "pub", ZS_SOCKET_PUB, "inproc://wu-pub");
  g_assert_cmpstr (zs_node_get_payload (pub)[0], ==, "{seq}");

  assert_socket (sub, 0, "sub", ZS_SOCKET_SUB, NULL);
  g_assert_cmpstr (zs_socket_spec_get_subscribe (zs_node_get_socket (sub, 0))[0], ==, "");

  assert_socket (req, 0, "req", ZS_SOCKET_REQ, NULL);
  g_assert_cmpstr (zs_node_get_payload (req)[0], ==, "Hello");
  g_assert_cmpuint (zs_node_get_count (req), ==, 10);
  g_assert_true (zs_node_has_end (req));

  assert_socket (rep, 0, "rep", ZS_SOCKET_REP, "inproc://srv-rep");
  g_assert_cmpstr (zs_node_get_reply (rep), ==, "World");
  g_assert_false (zs_node_has_end (rep));

  g_assert_cmpuint (zs_node_get_n_sockets (vent), ==, 1);
  assert_socket (vent, 0, "tasks", ZS_SOCKET_PUSH, "inproc://vent-tasks");
  g_assert_cmpuint (zs_node_get_count (vent), ==, 100);
  g_assert_cmpint (zs_node_get_wait_peers (vent), ==, -1);
  g_assert_cmpstr (zs_node_get_payload (vent)[0], ==, "{rand:1:100}");

  g_assert_cmpuint (zs_node_get_n_sockets (worker), ==, 2);
  assert_socket (worker, 0, "in", ZS_SOCKET_PULL, NULL);
  assert_socket (worker, 1, "out", ZS_SOCKET_PUSH, NULL);
  g_assert_true (zs_node_get_work_from_message (worker));

  assert_socket (sink, 0, "in", ZS_SOCKET_PULL, "inproc://sink-in");
  g_assert_cmpuint (zs_node_get_count (sink), ==, 100);

  assert_socket (relay, 0, "in", ZS_SOCKET_PAIR, "inproc://step1");
  assert_socket (relay, 1, "out", ZS_SOCKET_PAIR, NULL);
  g_assert_true (zs_node_has_end (relay));

  assert_socket (broker, 0, "frontend", ZS_SOCKET_ROUTER, "inproc://b-frontend");
  assert_socket (broker, 1, "backend", ZS_SOCKET_DEALER, "inproc://b-backend");

  assert_socket (fwd, 0, "frontend", ZS_SOCKET_XSUB, NULL);
  assert_socket (fwd, 1, "backend", ZS_SOCKET_XPUB, "inproc://proxy-backend");
  g_assert_false (zs_node_has_end (fwd));
}

static void
test_node_has_end (void)
{
  g_autoptr(ZsNode) sub = zs_node_new_for_role ("sub", ZS_ROLE_SUBSCRIBER);
  g_autoptr(ZsNode) pub = zs_node_new_for_role ("pub", ZS_ROLE_PUBLISHER);
  g_autoptr(ZsNode) server = zs_node_new_for_role ("server", ZS_ROLE_SERVER);

  g_assert_false (zs_node_has_end (sub));
  g_object_set (sub, "end-marker", "END", NULL);
  g_assert_true (zs_node_has_end (sub));

  g_object_set (pub, "end-marker", "END", NULL);
  g_assert_false (zs_node_has_end (pub));
  g_object_set (pub, "idle-timeout-ms", 500, NULL);
  g_assert_true (zs_node_has_end (pub));

  g_object_set (server, "count", 5, "idle-timeout-ms", 5, NULL);
  g_assert_false (zs_node_has_end (server));
}

static void
test_node_changed (void)
{
  g_autoptr(ZsNode) node = zs_node_new_for_role ("c", ZS_ROLE_CLIENT);
  g_autoptr(ZsSocketSpec) extra = zs_socket_spec_new ("extra", ZS_SOCKET_DEALER);
  ZsSocketSpec *req = zs_node_get_socket (node, 0);
  const char *connects[] = { "inproc://server", NULL };
  guint changed = 0;

  g_signal_connect (node, "changed", G_CALLBACK (count_cb), &changed);

  g_object_set (node, "count", 10, NULL);
  zs_node_set_position (node, 0, 0);
  g_assert_cmpuint (changed, ==, 0);

  g_object_set (node, "count", 11, NULL);
  g_assert_cmpuint (changed, ==, 1);
  zs_socket_spec_set_connects (req, connects);
  g_assert_cmpuint (changed, ==, 2);
  zs_node_add_socket (node, extra);
  g_assert_cmpuint (changed, ==, 3);
  g_assert_cmpint (zs_node_find_socket_index (node, "extra"), ==, 1);
  g_assert_true (zs_node_find_socket (node, "extra") == extra);
  zs_node_remove_socket (node, 1);
  g_assert_cmpuint (changed, ==, 4);
  g_assert_null (zs_node_find_socket (node, "extra"));

  /* a removed socket no longer reaches the node */
  zs_socket_spec_set_linger (extra, 100);
  g_assert_cmpuint (changed, ==, 4);
  g_assert_finalize_object (g_steal_pointer (&extra));
  g_assert_finalize_object (g_steal_pointer (&node));
}

static void
test_node_copy (void)
{
  g_autoptr(ZsNode) node = zs_node_new_for_role ("w", ZS_ROLE_WORKER);
  g_autoptr(ZsNode) copy = NULL;
  const char *payload[] = { "a", "b", NULL };

  zs_node_set_payload (node, payload);
  zs_node_set_position (node, 12.5, -3);
  g_object_set (node, "note", "hi", "seed", 7, "tracing", FALSE, "wait-peers", 3, NULL);
  copy = zs_node_copy (node);

  g_assert_cmpstr (zs_node_get_name (copy), ==, "w");
  g_assert_cmpint (zs_node_get_role (copy), ==, ZS_ROLE_WORKER);
  g_assert_cmpfloat (zs_node_get_x (copy), ==, 12.5);
  g_assert_cmpfloat (zs_node_get_y (copy), ==, -3);
  g_assert_cmpstrv (zs_node_get_payload (copy), payload);
  g_assert_cmpstr (zs_node_get_note (copy), ==, "hi");
  g_assert_cmpuint (zs_node_get_seed (copy), ==, 7);
  g_assert_false (zs_node_get_tracing (copy));
  g_assert_cmpint (zs_node_get_wait_peers (copy), ==, 3);
  g_assert_cmpuint (zs_node_get_n_sockets (copy), ==, 2);
  g_assert_true (zs_node_get_socket (copy, 0) != zs_node_get_socket (node, 0));

  zs_socket_spec_set_sndhwm (zs_node_get_socket (copy, 0), 5);
  g_assert_cmpint (zs_socket_spec_get_sndhwm (zs_node_get_socket (node, 0)), ==, 1000);
  g_assert_finalize_object (g_steal_pointer (&copy));
}

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GString    *log)
{
  g_string_append_printf (log, "%u-%u+%u;", position, removed, added);
}

static void
test_list_model (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(ZsNode) a = zs_node_new ("a", ZS_ROLE_SOCKET);
  g_autoptr(ZsNode) b = zs_node_new ("b", ZS_ROLE_SOCKET);
  g_autoptr(ZsNode) item = NULL;
  guint changed = 0;

  g_signal_connect (topology, "items-changed", G_CALLBACK (items_changed_cb), log);
  g_signal_connect (topology, "changed", G_CALLBACK (count_cb), &changed);

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (topology)) == ZS_TYPE_NODE);
  zs_topology_add_node (topology, a);
  zs_topology_insert_node (topology, 0, b);
  g_assert_cmpstr (log->str, ==, "0-0+1;0-0+1;");
  g_assert_cmpuint (changed, ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (topology)), ==, 2);
  item = g_list_model_get_item (G_LIST_MODEL (topology), 1);
  g_assert_true (item == a);
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (topology), 2));
  g_assert_cmpint (zs_topology_find_node_index (topology, a), ==, 1);
  g_assert_true (zs_topology_find_node (topology, "b") == b);
  g_assert_null (zs_topology_find_node (topology, "c"));

  g_object_set (a, "note", "changed", NULL);
  g_assert_cmpuint (changed, ==, 3);

  zs_topology_remove_node (topology, b);
  g_assert_cmpstr (log->str, ==, "0-0+1;0-0+1;0-1+0;");
  g_assert_cmpuint (changed, ==, 4);
  g_object_set (b, "note", "gone", NULL);
  g_assert_cmpuint (changed, ==, 4);
  g_assert_finalize_object (g_steal_pointer (&b));
}

static void
test_unique_name (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;

  first = zs_topology_make_unique_name (topology, "worker");
  g_assert_cmpstr (first, ==, "worker");
  add_node (topology, zs_node_new (first, ZS_ROLE_WORKER));
  second = zs_topology_make_unique_name (topology, "worker");
  g_assert_cmpstr (second, ==, "worker-2");
  add_node (topology, zs_node_new (second, ZS_ROLE_WORKER));
  third = zs_topology_make_unique_name (topology, "worker");
  g_assert_cmpstr (third, ==, "worker-3");
}

static const ZsLink *
single_link (ZsTopology *topology)
{
  GPtrArray *links = zs_topology_get_links (topology);

  g_assert_cmpuint (links->len, ==, 1);
  return g_ptr_array_index (links, 0);
}

/* Binder and connector in both orders: the link is the same. */
static void
assert_direction (ZsSocketType  bind_type,
                  ZsSocketType  connect_type,
                  gboolean      to_bind,
                  gboolean      to_connect)
{
  for (guint order = 0; order < 2; order++)
    {
      g_autoptr(ZsTopology) topology = zs_topology_new ();
      guint16 port = zs_test_free_tcp_port ();
      g_autofree char *bind_endpoint = g_strdup_printf ("tcp://*:%u", port);
      g_autofree char *connect_endpoint = g_strdup_printf ("tcp://localhost:%u", port);
      ZsNode *binder = node_with_socket ("binder", bind_type, bind_endpoint, NULL);
      ZsNode *connector = node_with_socket ("connector", connect_type, NULL, connect_endpoint);
      const ZsLink *link;
      guint bind_index = order == 0 ? 0 : 1;

      add_node (topology, order == 0 ? binder : connector);
      add_node (topology, order == 0 ? connector : binder);

      link = single_link (topology);
      g_assert_cmpuint (link->bind_node, ==, bind_index);
      g_assert_cmpuint (link->connect_node, ==, 1 - bind_index);
      g_assert_cmpuint (link->bind_socket, ==, 0);
      g_assert_cmpuint (link->connect_socket, ==, 0);
      g_assert_cmpstr (link->bind_endpoint, ==, bind_endpoint);
      g_assert_cmpstr (link->connect_endpoint, ==, connect_endpoint);
      g_assert_cmpint (link->transport, ==, ZS_TRANSPORT_TCP);
      g_assert_cmpint (link->to_bind, ==, to_bind);
      g_assert_cmpint (link->to_connect, ==, to_connect);
    }
}

static void
test_link_direction (void)
{
  assert_direction (ZS_SOCKET_PUB, ZS_SOCKET_SUB, FALSE, TRUE);
  assert_direction (ZS_SOCKET_SUB, ZS_SOCKET_PUB, TRUE, FALSE);
  assert_direction (ZS_SOCKET_REP, ZS_SOCKET_REQ, TRUE, TRUE);
  assert_direction (ZS_SOCKET_PULL, ZS_SOCKET_PUSH, TRUE, FALSE);
  assert_direction (ZS_SOCKET_PUSH, ZS_SOCKET_PULL, FALSE, TRUE);
  assert_direction (ZS_SOCKET_XPUB, ZS_SOCKET_XSUB, FALSE, TRUE);
  assert_direction (ZS_SOCKET_XSUB, ZS_SOCKET_XPUB, TRUE, FALSE);
  assert_direction (ZS_SOCKET_ROUTER, ZS_SOCKET_DEALER, TRUE, TRUE);
  assert_direction (ZS_SOCKET_PAIR, ZS_SOCKET_PAIR, TRUE, TRUE);
}

static void
test_links_cached_and_invalidated (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsNode *server = zs_node_new_for_role ("server", ZS_ROLE_SERVER);
  ZsNode *client = zs_node_new_for_role ("client", ZS_ROLE_CLIENT);
  ZsNode *other = zs_node_new_for_role ("other", ZS_ROLE_CLIENT);
  const char *connects[] = { "inproc://nowhere", "inproc://server-rep", NULL };
  GPtrArray *links;
  const ZsLink *link;

  add_node (topology, server);
  add_node (topology, client);
  add_node (topology, other);
  links = zs_topology_get_links (topology);
  g_assert_cmpuint (links->len, ==, 0);
  g_assert_true (zs_topology_get_links (topology) == links);

  zs_socket_spec_set_connects (zs_node_get_socket (client, 0), connects);
  zs_socket_spec_set_connects (zs_node_get_socket (other, 0), connects + 1);
  links = zs_topology_get_links (topology);
  g_assert_cmpuint (links->len, ==, 2);
  link = g_ptr_array_index (links, 0);
  g_assert_cmpuint (link->connect_node, ==, 1);
  g_assert_cmpuint (link->bind_node, ==, 0);
  g_assert_cmpint (link->transport, ==, ZS_TRANSPORT_INPROC);
  link = g_ptr_array_index (links, 1);
  g_assert_cmpuint (link->connect_node, ==, 2);

  zs_topology_remove_node (topology, server);
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, 0);
}

static void
test_topology_copy (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsTopology) copy = NULL;

  zs_topology_set_title (topology, "Hello World");
  zs_topology_set_description (topology, "REQ and REP");
  add_node (topology, zs_node_new_for_role ("server", ZS_ROLE_SERVER));
  copy = zs_topology_copy (topology);

  g_assert_cmpstr (zs_topology_get_title (copy), ==, "Hello World");
  g_assert_cmpstr (zs_topology_get_description (copy), ==, "REQ and REP");
  g_assert_cmpuint (zs_topology_get_n_nodes (copy), ==, 1);
  g_assert_true (zs_topology_get_node (copy, 0) != zs_topology_get_node (topology, 0));
  zs_node_set_name (zs_topology_get_node (copy, 0), "renamed");
  g_assert_cmpstr (zs_node_get_name (zs_topology_get_node (topology, 0)), ==, "server");
  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&topology));
}

static void
test_finding_to_string (void)
{
  g_autoptr(ZsFinding) finding = zs_finding_new (ZS_SEVERITY_ERROR, "client", 0, "connects", "bad");
  g_autoptr(ZsFinding) copy = NULL;
  g_autoptr(ZsFinding) global = zs_finding_new (ZS_SEVERITY_WARNING, NULL, -1, NULL, "hmm");
  g_autofree char *numbered = zs_finding_to_string (finding);
  g_autofree char *named = NULL;
  g_autofree char *plain = zs_finding_to_string (global);

  g_assert_cmpstr (numbered, ==, "error: node 'client', socket 0 (connects): bad");
  finding->socket_name = g_strdup ("req");
  copy = zs_finding_copy (finding);
  named = zs_finding_to_string (copy);
  g_assert_cmpstr (named, ==, "error: node 'client', socket 'req' (connects): bad");
  g_assert_cmpstr (plain, ==, "warning: hmm");
  g_assert_cmpint (global->link, ==, -1);
}

/* An external program: a node zmqscope runs nothing for, linked like any. */
static void
test_external_node (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsNode) external = zs_node_new_for_role ("legacy", ZS_ROLE_EXTERNAL);
  guint16 port = zs_test_free_tcp_port ();
  g_autofree char *connect = g_strdup_printf ("tcp://localhost:%u", port);
  g_autofree char *bind = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  g_autofree char *command_line = g_strdup_printf ("python3 legacy_server.py --port %u", port);
  g_autoptr(ZsNode) client = node_with_socket ("client", ZS_SOCKET_REQ, NULL, connect);
  g_autoptr(ZsSocketSpec) rep = zs_socket_spec_new ("rep", ZS_SOCKET_REP);
  g_autofree char *command = NULL;
  ZsRole role;
  GPtrArray *links;

  g_assert_true (zs_role_from_string ("external", &role));
  g_assert_cmpint (role, ==, ZS_ROLE_EXTERNAL);
  g_assert_cmpstr (zs_role_get_label (ZS_ROLE_EXTERNAL), ==, "External program");
  g_assert_true (zs_node_is_external (external));
  g_assert_false (zs_node_is_external (client));
  g_assert_false (zs_node_has_end (external));
  g_assert_cmpuint (zs_node_get_n_sockets (external), ==, 0);

  /* it has a command line, shown for reference, and nothing to run */
  g_object_set (external, "command", command_line, NULL);
  g_object_get (external, "command", &command, NULL);
  g_assert_cmpstr (command, ==, command_line);
  g_assert_cmpstr (zs_node_get_command (external), ==, command);
  g_assert_true (zs_role_uses_parameter (ZS_ROLE_EXTERNAL, "command"));
  g_assert_true (zs_role_uses_parameter (ZS_ROLE_EXTERNAL, "note"));
  g_assert_false (zs_role_uses_parameter (ZS_ROLE_EXTERNAL, "payload"));
  g_assert_false (zs_role_uses_parameter (ZS_ROLE_EXTERNAL, "tracing"));
  g_assert_false (zs_role_uses_parameter (ZS_ROLE_SOCKET, "command"));
  g_assert_false (zs_role_uses_parameter (ZS_ROLE_PUBLISHER, "command"));

  /* its sockets are free like a plain socket's, and links are derived */
  zs_socket_spec_set_binds (rep, (const char *[]) { bind, NULL });
  zs_node_add_socket (external, rep);
  zs_topology_add_node (topology, client);
  zs_topology_add_node (topology, external);
  links = zs_topology_get_links (topology);
  g_assert_cmpuint (links->len, ==, 1);
  g_assert_cmpuint (((ZsLink *) g_ptr_array_index (links, 0))->bind_node, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/topology/socket-spec-defaults", test_socket_spec_defaults);
  g_test_add_func ("/zmqscope/topology/socket-spec-accepts", test_socket_spec_accepts);
  g_test_add_func ("/zmqscope/topology/pspecs-documented", test_pspecs_documented);
  g_test_add_func ("/zmqscope/topology/node-defaults", test_node_defaults);
  g_test_add_func ("/zmqscope/topology/node-for-role", test_node_for_role);
  g_test_add_func ("/zmqscope/topology/node-has-end", test_node_has_end);
  g_test_add_func ("/zmqscope/topology/node-changed", test_node_changed);
  g_test_add_func ("/zmqscope/topology/node-copy", test_node_copy);
  g_test_add_func ("/zmqscope/topology/list-model", test_list_model);
  g_test_add_func ("/zmqscope/topology/unique-name", test_unique_name);
  g_test_add_func ("/zmqscope/topology/link-direction", test_link_direction);
  g_test_add_func ("/zmqscope/topology/links-cached", test_links_cached_and_invalidated);
  g_test_add_func ("/zmqscope/topology/copy", test_topology_copy);
  g_test_add_func ("/zmqscope/topology/finding-to-string", test_finding_to_string);
  g_test_add_func ("/zmqscope/topology/external-node", test_external_node);

  return g_test_run ();
}
