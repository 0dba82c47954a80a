/* zs-bench-topology.c: the 200-node bench topology
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zs-bench-topology.h"

#define BENCH_HWM 1000
#define COLUMNS   10     /* pairs per row on the canvas */

static ZsNode *
add_node (ZsTopology   *topology,
          const char   *name,
          ZsSocketType  type,
          const char   *bind,
          const char   *connect,
          double        x,
          double        y)
{
  g_autoptr(ZsSocketSpec) socket = zs_socket_spec_new (type == ZS_SOCKET_PUSH ? "out" : "in", type);
  g_autoptr(ZsNode) node = zs_node_new (name, ZS_ROLE_SOCKET);
  const char *endpoints[] = { bind != NULL ? bind : connect, NULL };

  if (bind != NULL)
    zs_socket_spec_set_binds (socket, endpoints);
  else
    zs_socket_spec_set_connects (socket, endpoints);
  zs_socket_spec_set_sndhwm (socket, BENCH_HWM);
  zs_socket_spec_set_rcvhwm (socket, BENCH_HWM);
  zs_socket_spec_set_linger (socket, 0);
  zs_node_add_socket (node, socket);
  zs_node_set_position (node, x, y);
  zs_topology_add_node (topology, node);
  return node;
}

ZsTopology *
zs_bench_pairs_topology (guint fast,
                         guint slow_ms)
{
  ZsTopology *topology = zs_topology_new ();
  const char *payload[] = { "0123456789abcdef", NULL };

  zs_topology_set_title (topology, "200 nodes: 100 PUSH -> PULL pairs");
  for (guint p = 0; p < ZS_BENCH_PAIRS; p++)
    {
      g_autofree char *endpoint = g_strdup_printf ("inproc://pair-%u", p);
      g_autofree char *tx_name = g_strdup_printf ("push-%u", p);
      g_autofree char *rx_name = g_strdup_printf ("pull-%u", p);
      double x = (p % COLUMNS) * 520.0;
      double y = (p / COLUMNS) * 200.0;
      ZsNode *tx = add_node (topology, tx_name, ZS_SOCKET_PUSH, endpoint, NULL, x, y);
      ZsNode *rx = add_node (topology, rx_name, ZS_SOCKET_PULL, NULL, endpoint, x + 260, y);

      zs_node_set_payload (tx, payload);
      g_object_set (tx, "count", 0, "interval-ms", p < fast ? 0 : slow_ms, "wait-peers", -1,
                    "tracing", TRUE, NULL);
      g_object_set (rx, "count", 0, "tracing", TRUE, NULL);
    }
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, ZS_BENCH_PAIRS);
  return topology;
}
