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

/* A dragged card's links stretch their route to the new ends meanwhile. */
static void
test_move_ends (void)
{
  g_autoptr(GPtrArray) paths = zs_graph_route (row, G_N_ELEMENTS (row), &over_the_middle, 1);
  const GArray *path = g_ptr_array_index (paths, 0);
  ZsGraphLink moved = over_the_middle;
  g_autoptr(GArray) stretched = NULL;

  moved.from.y += 32;
  moved.to.x += 16;
  stretched = zs_graph_path_move_ends (path, &moved.from, &moved.to);
  g_assert_cmpuint (stretched->len, ==, path->len);
  assert_ends (stretched, &moved);
  /* The middle of the route stays where it was. */
  for (guint i = 3; i + 3 < path->len; i++)
    {
      g_assert_cmpfloat (g_array_index (stretched, ZsGraphPoint, i).x, ==, g_array_index (path, ZsGraphPoint, i).x);
      g_assert_cmpfloat (g_array_index (stretched, ZsGraphPoint, i).y, ==, g_array_index (path, ZsGraphPoint, i).y);
    }
}

/* Two cards 6 units apart are still both in the way: links keep less
 * far off them, not none. */
static void
test_route_close_cards (void)
{
  const ZsGraphRect cards[] = {
    { 0, 100, 176, 160 }, { 300, 0, 176, 160 }, { 300, 166, 176, 160 }, { 600, 100, 176, 160 },
  };
  const ZsGraphLink link = { 0, { 176, 120 }, 3, { 600, 120 } };
  g_autoptr(GPtrArray) paths = zs_graph_route (cards, G_N_ELEMENTS (cards), &link, 1);

  assert_ends (g_ptr_array_index (paths, 0), &link);
  g_assert_false (zs_graph_path_crosses (g_ptr_array_index (paths, 0), &cards[1]));
  g_assert_false (zs_graph_path_crosses (g_ptr_array_index (paths, 0), &cards[2]));
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

/* A hub's ten leaves fill two columns of five, not one of ten. */
static void
test_arrange_staggers_leaves (void)
{
  ZsGraphRect cards[11];
  guint n_ports[11];
  ZsGraphEdge edges[20];
  ZsGraphPoint at[11];
  g_autoptr(GHashTable) columns = g_hash_table_new (g_double_hash, g_double_equal);

  for (guint i = 0; i < 11; i++)
    {
      cards[i] = (ZsGraphRect) { 0, 0, 176, 160 };
      n_ports[i] = 2;
    }
  /* Two links to each leaf, as a synchronised subscriber has. */
  for (guint i = 0; i < 10; i++)
    {
      edges[2 * i] = (ZsGraphEdge) { 0, 0, i + 1, 0 };
      edges[2 * i + 1] = (ZsGraphEdge) { 0, 1, i + 1, 1 };
    }
  g_assert_true (zs_graph_arrange (cards, n_ports, 11, edges, 20, 32, at));
  for (guint i = 1; i < 11; i++)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (columns, &at[i].x));

      g_assert_cmpfloat (at[i].x, >, at[0].x + cards[0].width);
      g_hash_table_insert (columns, &at[i].x, GUINT_TO_POINTER (n + 1));
    }
  g_assert_cmpuint (g_hash_table_size (columns), ==, 2);
  for (guint i = 1; i < 11; i++)
    g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (columns, &at[i].x)), ==, 5);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/graph-layout/route-around", test_route_around);
  g_test_add_func ("/graph-layout/route-close-cards", test_route_close_cards);
  g_test_add_func ("/graph-layout/move-ends", test_move_ends);
  g_test_add_func ("/graph-layout/route-overlapping", test_route_overlapping);
  g_test_add_func ("/graph-layout/arrange-chain", test_arrange_chain);
  g_test_add_func ("/graph-layout/arrange-staggers-leaves", test_arrange_staggers_leaves);
  return g_test_run ();
}
