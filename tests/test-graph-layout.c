/* test-graph-layout.c: Graphviz layout and routing behind plain rectangles
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>

#include "zs-graph-layout.h"

/* Three cards in a row; the link from the first to the third. */
static const ZsGraphRect row[] = {
  { 0, 0, 176, 160 },
  { 300, 0, 176, 160 },
  { 600, 0, 176, 160 },
};
static const ZsGraphLink over_the_middle = { 0, { 176, 64 }, 2, { 600, 64 } };

static void
assert_ends (const GArray      *path,
             const ZsGraphLink *link)
{
  ZsGraphPoint a = zs_graph_path_point (path, 0, NULL);
  ZsGraphPoint b = zs_graph_path_point (path, 1, NULL);

  g_assert_cmpuint ((path->len - 1) % 3, ==, 0);
  g_assert_cmpfloat_with_epsilon (a.x, link->from.x, 1e-9);
  g_assert_cmpfloat_with_epsilon (a.y, link->from.y, 1e-9);
  g_assert_cmpfloat_with_epsilon (b.x, link->to.x, 1e-9);
  g_assert_cmpfloat_with_epsilon (b.y, link->to.y, 1e-9);
}

static void
test_route_around (void)
{
  g_autoptr(GPtrArray) paths = zs_graph_route (row, G_N_ELEMENTS (row), &over_the_middle, 1);
  g_autoptr(GArray) straight = zs_graph_simple_path (row, &over_the_middle);
  const GArray *path = g_ptr_array_index (paths, 0);

  /* The plain curve goes under the middle card; the route does not. */
  g_assert_true (zs_graph_path_crosses (straight, &row[1]));
  assert_ends (path, &over_the_middle);
  g_assert_cmpuint (zs_graph_path_n_segments (path), >, 1);
  g_assert_false (zs_graph_path_crosses (path, &row[1]));
}

/* Overlapping cards cannot all be obstacles: every link still gets a path. */
static void
test_route_overlapping (void)
{
  const ZsGraphRect cards[] = { { 0, 0, 176, 160 }, { 100, 50, 176, 160 }, { 600, 0, 176, 160 } };
  const ZsGraphLink links[] = {
    { 0, { 176, 64 }, 2, { 600, 64 } },
    { 1, { 276, 114 }, 2, { 600, 112 } },
  };
  g_autoptr(GPtrArray) paths = zs_graph_route (cards, G_N_ELEMENTS (cards), links, G_N_ELEMENTS (links));

  g_assert_cmpuint (paths->len, ==, 2);
  for (guint i = 0; i < paths->len; i++)
    assert_ends (g_ptr_array_index (paths, i), &links[i]);
}

/* c <- a -> b, b -> c: dot ranks a, then b, then c, left to right, apart. */
static void
test_arrange_chain (void)
{
  const ZsGraphRect cards[] = { { 0, 0, 176, 112 }, { 0, 0, 208, 160 }, { 0, 0, 176, 112 } };
  const guint n_ports[] = { 1, 2, 1 };
  const ZsGraphEdge edges[] = { { 0, 0, 1, 0 }, { 1, 1, 2, 0 }, { 0, 0, 2, 0 } };
  ZsGraphPoint at[3];

  g_assert_true (zs_graph_arrange (cards, n_ports, 3, edges, G_N_ELEMENTS (edges), 32, at));
  g_assert_cmpfloat (at[0].x + cards[0].width, <, at[1].x);
  g_assert_cmpfloat (at[1].x + cards[1].width, <, at[2].x);
  for (guint i = 0; i < 3; i++)
    {
      g_assert_cmpfloat (at[i].x, >=, 32 - 8);
      g_assert_cmpfloat (at[i].y, >=, 32 - 8);
      g_assert_cmpfloat (at[i].x / 16, ==, (int) (at[i].x / 16));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph-layout/route-around", test_route_around);
  g_test_add_func ("/graph-layout/route-overlapping", test_route_overlapping);
  g_test_add_func ("/graph-layout/arrange-chain", test_arrange_chain);
  return g_test_run ();
}
