/* test-history.c: undo, redo, coalescing, "modified", depth cap
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zs-history.h"

static ZsTopology *
new_topology (void)
{
  ZsTopology *topology = zs_topology_new ();
  g_autoptr(ZsNode) node = zs_node_new_for_role ("server", ZS_ROLE_SERVER);

  zs_topology_add_node (topology, node);
  return topology;
}

static void
add_node (ZsHistory  *history,
          const char *name)
{
  g_autoptr(ZsNode) node = zs_node_new_for_role (name, ZS_ROLE_CLIENT);

  zs_history_begin (history, "Add node");
  zs_topology_add_node (zs_history_get_topology (history), node);
  zs_history_end (history);
}

static void
test_undo_redo (void)
{
  ZsTopology *topology = new_topology ();
  ZsHistory *history = zs_history_new (topology);

  g_assert_false (zs_history_get_can_undo (history));
  add_node (history, "client");
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, 2);
  g_assert_true (zs_history_get_can_undo (history));
  g_assert_cmpstr (zs_history_get_undo_label (history), ==, "Add node");

  zs_history_undo (history);
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, 1);
  g_assert_cmpstr (zs_node_get_name (zs_topology_get_node (topology, 0)), ==, "server");
  g_assert_false (zs_history_get_can_undo (history));
  g_assert_true (zs_history_get_can_redo (history));

  zs_history_redo (history);
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, 2);
  g_assert_nonnull (zs_topology_find_node (topology, "client"));
  g_assert_false (zs_history_get_can_redo (history));

  /* A new edit after an undo drops the redo steps. */
  zs_history_undo (history);
  add_node (history, "other");
  g_assert_false (zs_history_get_can_redo (history));
  g_assert_nonnull (zs_topology_find_node (topology, "other"));

  g_assert_finalize_object (history);
  g_assert_finalize_object (topology);
}

static void
move (ZsHistory *history,
      double     x)
{
  ZsNode *node = zs_topology_get_node (zs_history_get_topology (history), 0);

  zs_history_begin (history, "Move");
  zs_node_set_position (node, x, 0);
  zs_history_end (history);
}

static void
test_coalesce (void)
{
  ZsTopology *topology = new_topology ();
  ZsHistory *history = zs_history_new (topology);
  ZsNode *node = zs_topology_get_node (topology, 0);

  zs_node_set_position (node, 16, 0);
  move (history, 32);
  move (history, 48);
  move (history, 64);
  g_assert_cmpuint (zs_history_get_depth (history), ==, 1);
  zs_history_undo (history);
  g_assert_cmpfloat (zs_node_get_x (zs_topology_get_node (topology, 0)), ==, 16);

  /* Nested begin/end make one step; an edit that changes nothing makes none. */
  zs_history_begin (history, "Outer");
  zs_history_begin (history, "Inner");
  zs_history_end (history);
  zs_history_end (history);
  g_assert_cmpuint (zs_history_get_depth (history), ==, 0);

  g_assert_finalize_object (history);
  g_assert_finalize_object (topology);
}

static void
test_modified (void)
{
  ZsTopology *topology = new_topology ();
  ZsHistory *history = zs_history_new (topology);

  g_assert_false (zs_history_get_modified (history));
  add_node (history, "client");
  g_assert_true (zs_history_get_modified (history));
  zs_history_mark_saved (history);
  g_assert_false (zs_history_get_modified (history));
  zs_history_undo (history);
  g_assert_true (zs_history_get_modified (history));
  zs_history_redo (history);
  g_assert_false (zs_history_get_modified (history));

  zs_history_clear (history);
  g_assert_false (zs_history_get_can_undo (history));
  g_assert_false (zs_history_get_can_redo (history));

  g_assert_finalize_object (history);
  g_assert_finalize_object (topology);
}

static void
test_depth_cap (void)
{
  ZsTopology *topology = new_topology ();
  ZsHistory *history = zs_history_new (topology);

  for (guint i = 0; i < 210; i++)
    {
      g_autofree char *label = g_strdup_printf ("Edit %u", i);

      zs_history_begin (history, label);
      zs_node_set_position (zs_topology_get_node (topology, 0), i + 1, 0);
      zs_history_end (history);
    }
  g_assert_cmpuint (zs_history_get_depth (history), ==, 200);
  while (zs_history_get_can_undo (history))
    zs_history_undo (history);
  g_assert_cmpfloat (zs_node_get_x (zs_topology_get_node (topology, 0)), ==, 10);

  g_assert_finalize_object (history);
  g_assert_finalize_object (topology);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/history/undo-redo", test_undo_redo);
  g_test_add_func ("/zmqscope/history/coalesce", test_coalesce);
  g_test_add_func ("/zmqscope/history/modified", test_modified);
  g_test_add_func ("/zmqscope/history/depth-cap", test_depth_cap);

  return g_test_run ();
}
