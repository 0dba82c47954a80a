/* test-variant.c: the choices `zmqscope compare --vary` changes
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zs-edit.h"
#include "zs-test-util.h"
#include "zs-validator.h"
#include "zs-variant.h"

static ZsVariantAxis *
parse (const char *spec)
{
  g_autoptr(GError) error = NULL;
  ZsVariantAxis *axis = zs_variant_axis_parse (spec, &error);

  g_assert_no_error (error);
  return axis;
}

static void
apply (const char *spec,
       guint       index,
       ZsTopology *topology)
{
  g_autoptr(ZsVariantAxis) axis = parse (spec);
  g_autoptr(GError) error = NULL;

  g_assert_true (zs_variant_axis_apply (axis, index, topology, &error));
  g_assert_no_error (error);
}

/* A wrong key or value says what would be right. */
static void
test_bad_input (void)
{
  const struct { const char *spec; int code; const char *listed; } bad[] = {
    { "colour=red", ZS_VARIANT_ERROR_KEY, "transport, bind, hwm" },
    { "transport", ZS_VARIANT_ERROR_KEY, "KEY=VALUE" },
    { "=tcp", ZS_VARIANT_ERROR_KEY, "KEY=VALUE" },
    { "transport=", ZS_VARIANT_ERROR_KEY, "KEY=VALUE" },
    { "transport=tcp,udp", ZS_VARIANT_ERROR_VALUE, "inproc, ipc, tcp" },
    { "bind=left", ZS_VARIANT_ERROR_VALUE, "as-is, flipped" },
    { "hwm=-1", ZS_VARIANT_ERROR_VALUE, "0 (unlimited)" },
    { "hwm=1e3", ZS_VARIANT_ERROR_VALUE, "0 (unlimited)" },
    { "workers=0", ZS_VARIANT_ERROR_VALUE, "1 to 64" },
    { "workers@sink=2", ZS_VARIANT_ERROR_KEY, "workers" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZsVariantAxis) axis = zs_variant_axis_parse (bad[i].spec, &error);

      g_assert_null (axis);
      g_assert_error (error, ZS_VARIANT_ERROR, bad[i].code);
      g_assert_nonnull (strstr (error->message, bad[i].listed));
    }
}

static guint
count_transport (ZsTopology  *topology,
                 ZsTransport  transport)
{
  GPtrArray *links = zs_topology_get_links (topology);
  guint n = 0;

  for (guint i = 0; i < links->len; i++)
    n += ((ZsLink *) g_ptr_array_index (links, i))->transport == transport;
  return n;
}

/* transport=X moves every link to X and keeps every link; tcp gets ports
 * the OS says are free. */
static void
test_transport (void)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("3-parallel-pipeline.json");
  guint n_links = zs_topology_get_links (topology)->len;

  g_assert_cmpuint (count_transport (topology, ZS_TRANSPORT_TCP), ==, n_links);
  apply ("transport=inproc,ipc", 0, topology);
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, n_links);
  g_assert_cmpuint (count_transport (topology, ZS_TRANSPORT_INPROC), ==, n_links);
  apply ("transport=inproc,ipc", 1, topology);
  g_assert_cmpuint (count_transport (topology, ZS_TRANSPORT_IPC), ==, n_links);
  apply ("transport=tcp", 0, topology);
  g_assert_cmpuint (count_transport (topology, ZS_TRANSPORT_TCP), ==, n_links);
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, n_links);
  for (guint i = 0; i < n_links; i++)
    g_assert_null (strstr (((ZsLink *) g_ptr_array_index (zs_topology_get_links (topology), i))->bind_endpoint,
                           ":5555"));
}

/* transport@NODE changes only that node's links. */
static void
test_transport_of_node (void)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("3-parallel-pipeline.json");
  int sink = zs_test_node_index (topology, "sink");
  GPtrArray *links;

  apply ("transport@sink=ipc", 0, topology);
  links = zs_topology_get_links (topology);
  for (guint i = 0; i < links->len; i++)
    {
      ZsLink *l = g_ptr_array_index (links, i);
      gboolean of_sink = (int) l->bind_node == sink || (int) l->connect_node == sink;

      g_assert_cmpint (l->transport, ==, of_sink ? ZS_TRANSPORT_IPC : ZS_TRANSPORT_TCP);
    }
}

/* bind=flipped: on every link the other side binds. */
static void
test_bind_flipped (void)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("1-hello-world.json");
  ZsLink before = *(ZsLink *) g_ptr_array_index (zs_topology_get_links (topology), 0);
  ZsLink *after;

  apply ("bind=as-is,flipped", 0, topology);
  after = g_ptr_array_index (zs_topology_get_links (topology), 0);
  g_assert_cmpuint (after->bind_node, ==, before.bind_node);
  apply ("bind=as-is,flipped", 1, topology);
  after = g_ptr_array_index (zs_topology_get_links (topology), 0);
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, 1);
  g_assert_cmpuint (after->bind_node, ==, before.connect_node);
  g_assert_cmpuint (after->connect_node, ==, before.bind_node);
}

/* hwm=N sets both HWMs of every socket; sndhwm@NODE one side of one node. */
static void
test_hwm (void)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("10-durable-subscriber.json");
  ZsNode *subscriber = zs_topology_find_node (topology, "durasub-binds");
  ZsNode *publisher = zs_topology_find_node (topology, "durapub-binds");

  g_assert_nonnull (subscriber);
  g_assert_nonnull (publisher);
  apply ("hwm=2", 0, topology);
  for (guint n = 0; n < zs_topology_get_n_nodes (topology); n++)
    for (guint s = 0; s < zs_node_get_n_sockets (zs_topology_get_node (topology, n)); s++)
      {
        ZsSocketSpec *socket = zs_node_get_socket (zs_topology_get_node (topology, n), s);

        g_assert_cmpint (zs_socket_spec_get_sndhwm (socket), ==, 2);
        g_assert_cmpint (zs_socket_spec_get_rcvhwm (socket), ==, 2);
      }
  apply ("sndhwm@durapub-binds=0", 0, topology);
  g_assert_cmpint (zs_socket_spec_get_sndhwm (zs_node_get_socket (publisher, 0)), ==, 0);
  g_assert_cmpint (zs_socket_spec_get_rcvhwm (zs_node_get_socket (publisher, 0)), ==, 2);
  g_assert_cmpint (zs_socket_spec_get_sndhwm (zs_node_get_socket (subscriber, 0)), ==, 2);
}

static guint
count_role (ZsTopology *topology,
            ZsRole      role)
{
  guint n = 0;

  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    n += zs_node_get_role (zs_topology_get_node (topology, i)) == role;
  return n;
}

static void
assert_valid (ZsTopology *topology)
{
  g_autoptr(GPtrArray) findings = zs_validate (topology);

  for (guint i = 0; i < findings->len; i++)
    g_assert_cmpint (((ZsFinding *) g_ptr_array_index (findings, i))->severity, !=, ZS_SEVERITY_ERROR);
}

/* workers=N: fewer or more workers, each linked as the others are. */
static void
test_workers (void)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("3-parallel-pipeline.json");
  guint links_per_worker;

  g_assert_cmpuint (count_role (topology, ZS_ROLE_WORKER), ==, 4);
  apply ("workers=2", 0, topology);
  g_assert_cmpuint (count_role (topology, ZS_ROLE_WORKER), ==, 2);
  links_per_worker = (zs_topology_get_links (topology)->len - 1) / 2;
  g_assert_cmpuint (links_per_worker, ==, 2);
  apply ("workers=6", 0, topology);
  g_assert_cmpuint (count_role (topology, ZS_ROLE_WORKER), ==, 6);
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, 1 + 6 * links_per_worker);
  assert_valid (topology);
}

/* What the topology lacks is said, per key: hello world's server binds,
 * so a copy would serve nobody. */
static void
test_nothing_to_change (void)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("1-hello-world.json");
  g_autoptr(ZsVariantAxis) workers = parse ("workers=2");
  g_autoptr(ZsVariantAxis) node = parse ("hwm@nobody=5");
  g_autoptr(GError) error = NULL;

  g_assert_false (zs_variant_axis_apply (workers, 0, topology, &error));
  g_assert_error (error, ZS_VARIANT_ERROR, ZS_VARIANT_ERROR_APPLY);
  g_assert_nonnull (strstr (error->message, "no worker"));
  g_clear_error (&error);
  g_assert_false (zs_variant_axis_apply (node, 0, topology, &error));
  g_assert_error (error, ZS_VARIANT_ERROR, ZS_VARIANT_ERROR_NODE);
  g_assert_nonnull (strstr (error->message, "nobody"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/variant/bad-input", test_bad_input);
  g_test_add_func ("/zmqscope/variant/transport", test_transport);
  g_test_add_func ("/zmqscope/variant/transport-of-node", test_transport_of_node);
  g_test_add_func ("/zmqscope/variant/bind-flipped", test_bind_flipped);
  g_test_add_func ("/zmqscope/variant/hwm", test_hwm);
  g_test_add_func ("/zmqscope/variant/workers", test_workers);
  g_test_add_func ("/zmqscope/variant/nothing-to-change", test_nothing_to_change);
  return g_test_run ();
}
