/* zs-bench-layout.c: Graphviz arrange and route times on generated topologies
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue #10's targets: arrange 200 nodes in under 1 s, re-route the links
 * after a move in under 50 ms for 40 nodes. The topology is generated the
 * same every time (fixed seed): cards of the canvas's usual sizes in
 * layers, each card's first port fed by one to three cards of the layer
 * before, 1.5 links a card. Arrange is zs_graph_arrange () (dot, rankdir
 * LR); a move shifts one card of the arranged drawing 48 units right and
 * 32 down, then zs_graph_route () (neato -n2, splines=true) routes every
 * link again, as the canvas does in the background after a drag. Each
 * figure is the median of --repeat runs, with the worst beside it.
 */
#define G_LOG_DOMAIN "zs-bench-layout"

#include "config.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>

#include "zs-graph-layout.h"

typedef struct {
  GArray *cards;    /* ZsGraphRect */
  GArray *n_ports;  /* guint */
  GArray *edges;    /* ZsGraphEdge */
} Topology;

static void
topology_generate (Topology *t,
                   guint     n_cards)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (10);
  guint layer_size = MAX (2, n_cards / 8);

  t->cards = g_array_new (FALSE, FALSE, sizeof (ZsGraphRect));
  t->n_ports = g_array_new (FALSE, FALSE, sizeof (guint));
  t->edges = g_array_new (FALSE, FALSE, sizeof (ZsGraphEdge));
  for (guint i = 0; i < n_cards; i++)
    {
      guint ports = g_rand_int_range (rand, 1, 4);
      ZsGraphRect card = { 0, 0, 176 + 16 * g_rand_int_range (rand, 0, 4), 64 + 40 * ports };

      g_array_append_val (t->cards, card);
      g_array_append_val (t->n_ports, ports);
      if (i < layer_size)
        continue;
      for (guint k = 0, n = g_rand_int_range (rand, 1, 3); k < n; k++)
        {
          guint from = (i / layer_size - 1) * layer_size + g_rand_int_range (rand, 0, layer_size);
          ZsGraphEdge edge = { from, g_array_index (t->n_ports, guint, from) - 1, i, 0 };

          g_array_append_val (t->edges, edge);
        }
    }
}

static void
topology_clear (Topology *t)
{
  g_array_unref (t->cards);
  g_array_unref (t->n_ports);
  g_array_unref (t->edges);
}

/* Ports as the canvas puts them: on the sides facing each other. */
static GArray *
make_links (const Topology *t)
{
  GArray *links = g_array_new (FALSE, FALSE, sizeof (ZsGraphLink));

  for (guint i = 0; i < t->edges->len; i++)
    {
      const ZsGraphEdge *e = &g_array_index (t->edges, ZsGraphEdge, i);
      const ZsGraphRect *a = &g_array_index (t->cards, ZsGraphRect, e->tail);
      const ZsGraphRect *b = &g_array_index (t->cards, ZsGraphRect, e->head);
      gboolean right = a->x + a->width / 2 <= b->x + b->width / 2;
      ZsGraphLink link = {
        e->tail, { right ? a->x + a->width : a->x, a->y + 56 + 40 * e->tail_port },
        e->head, { right ? b->x : b->x + b->width, b->y + 56 + 40 * e->head_port },
      };

      g_array_append_val (links, link);
    }
  return links;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct {
  double arrange_ms, route_ms, move_ms;
} Times;

static Times
run_once (guint n_cards)
{
  Topology t;
  g_autofree ZsGraphPoint *positions = NULL;
  g_autoptr(GArray) links = NULL;
  g_autoptr(GPtrArray) paths = NULL;
  g_autoptr(GPtrArray) moved = NULL;
  ZsGraphRect *card;
  Times times;
  gint64 start;

  topology_generate (&t, n_cards);
  positions = g_new (ZsGraphPoint, n_cards);
  start = g_get_monotonic_time ();
  if (!zs_graph_arrange ((ZsGraphRect *) t.cards->data, (guint *) t.n_ports->data, n_cards,
                         (ZsGraphEdge *) t.edges->data, t.edges->len, 32, positions))
    g_error ("Graphviz could not arrange %u cards", n_cards);
  times.arrange_ms = (g_get_monotonic_time () - start) / 1000.0;
  for (guint i = 0; i < n_cards; i++)
    {
      g_array_index (t.cards, ZsGraphRect, i).x = positions[i].x;
      g_array_index (t.cards, ZsGraphRect, i).y = positions[i].y;
    }

  links = make_links (&t);
  start = g_get_monotonic_time ();
  paths = zs_graph_route ((ZsGraphRect *) t.cards->data, n_cards, (ZsGraphLink *) links->data, links->len);
  times.route_ms = (g_get_monotonic_time () - start) / 1000.0;

  card = &g_array_index (t.cards, ZsGraphRect, n_cards / 2);
  card->x += 48;
  card->y += 32;
  g_array_unref (links);
  links = make_links (&t);
  start = g_get_monotonic_time ();
  moved = zs_graph_route ((ZsGraphRect *) t.cards->data, n_cards, (ZsGraphLink *) links->data, links->len);
  times.move_ms = (g_get_monotonic_time () - start) / 1000.0;

  topology_clear (&t);
  return times;
}

static void
bench (guint n_cards,
       guint repeat)
{
  g_autofree double *arrange = g_new (double, repeat);
  g_autofree double *route = g_new (double, repeat);
  g_autofree double *move = g_new (double, repeat);

  for (guint r = 0; r < repeat; r++)
    {
      Times times = run_once (n_cards);

      arrange[r] = times.arrange_ms;
      route[r] = times.route_ms;
      move[r] = times.move_ms;
    }
  qsort (arrange, repeat, sizeof (double), compare_double);
  qsort (route, repeat, sizeof (double), compare_double);
  qsort (move, repeat, sizeof (double), compare_double);
  printf ("%6u %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f\n", n_cards,
          arrange[repeat / 2], arrange[repeat - 1], route[repeat / 2], route[repeat - 1],
          move[repeat / 2], move[repeat - 1]);
}

int
main (int    argc,
      char **argv)
{
  static const guint sizes[] = { 10, 40, 100, 200 };
  int repeat = 5;
  GOptionEntry entries[] = {
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Runs per size (default 5)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- Graphviz layout and routing times");
  g_autoptr(GError) error = NULL;

  setvbuf (stdout, NULL, _IOLBF, 0);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || repeat < 1)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--repeat must be at least 1");
      return 1;
    }
  printf ("zs-bench-layout: median and worst of %d runs, ms; targets: arrange 200 < 1000, "
          "re-route 40 after a move < 50\n", repeat);
  printf ("%6s %8s %8s %8s %8s %8s %8s\n", "nodes", "arrange", "worst", "route", "worst", "move", "worst");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    bench (sizes[i], repeat);
  return 0;
}
