/* zs-graph-layout.c: layered layout and link routing by Graphviz (GTK-free)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Graphviz keeps global state and static buffers and is not thread-safe:
 * every call below holds `lock`; the one context lives as long as the
 * process. */
#define G_LOG_DOMAIN "zs-graph-layout"

#include "config.h"

#include <graphviz/gvc.h>
#include <graphviz/pathplan.h>
#include <math.h>
#include <stdlib.h>

#include "zs-graph-layout.h"

#define GRID 16.0
#define INCH 72.0
/* A link leaves its port straight for STUB units, where the router takes
 * over: outside the card's obstacle, which is the card grown by at most
 * MARGIN (how far links keep off cards). */
#define STUB 14.0
#define MARGIN 8.0
#define CROSS_SAMPLES 24   /* points tested per Bézier segment */
#define MAX_ROUNDS 8
#define LEAVES_PER_COLUMN 5

static GMutex lock;
static GVC_t *context;

static int
ignore_graphviz_message (char *message)
{
  /* Graphviz says "falling back to straight lines" and the like on stderr:
   * we fall back ourselves, per link. */
  return 0;
}

static GVC_t *
get_context (void)
{
  if (context == NULL)
    {
      agseterrf (ignore_graphviz_message);
      agseterr (AGMAX);
      context = gvContext ();
    }
  return context;
}

static void
set_number (void   *object,
            Agsym_t *sym,
            double  value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  agxset (object, sym, g_ascii_formatd (buf, sizeof buf, "%.4f", value));
}

static double
snap (double value)
{
  return round (value / GRID) * GRID;
}

/* ---- paths ------------------------------------------------------------------- */

static double
card_center_x (const ZsGraphRect *card)
{
  return card->x + card->width / 2;
}

/* +1 when a port on that card's side leaves rightwards, else -1. */
static double
port_direction (const ZsGraphRect  *card,
                const ZsGraphPoint *port)
{
  return port->x >= card_center_x (card) ? 1 : -1;
}

static void
append (GArray *path,
        double  x,
        double  y)
{
  ZsGraphPoint p = { x, y };

  g_array_append_val (path, p);
}

GArray *
zs_graph_simple_path (const ZsGraphRect *cards,
                      const ZsGraphLink *link)
{
  GArray *path = g_array_sized_new (FALSE, FALSE, sizeof (ZsGraphPoint), 4);
  double from_dir = port_direction (&cards[link->from_card], &link->from);
  double to_dir = port_direction (&cards[link->to_card], &link->to);
  double reach = MAX (48.0, fabs (link->to.x - link->from.x) / 2);

  append (path, link->from.x, link->from.y);
  append (path, link->from.x + from_dir * reach, link->from.y);
  append (path, link->to.x + to_dir * reach, link->to.y);
  append (path, link->to.x, link->to.y);
  return path;
}

GArray *
zs_graph_path_move_ends (const GArray       *path,
                         const ZsGraphPoint *from,
                         const ZsGraphPoint *to)
{
  GArray *moved = g_array_copy ((GArray *) path);
  ZsGraphPoint *p = (ZsGraphPoint *) moved->data;
  guint last = moved->len - 1;
  ZsGraphPoint d0 = { from->x - p[0].x, from->y - p[0].y };
  ZsGraphPoint d1 = { to->x - p[last].x, to->y - p[last].y };

  /* The first segment's start and control points follow `from`, the last
   * segment's follow `to`; a single segment keeps one control point each. */
  for (guint i = 0; i < MIN (3u, moved->len / 2); i++)
    {
      p[i].x += d0.x;
      p[i].y += d0.y;
    }
  for (guint i = last; i + 3 > last && i >= moved->len / 2; i--)
    {
      p[i].x += d1.x;
      p[i].y += d1.y;
    }
  return moved;
}

guint
zs_graph_path_n_segments (const GArray *path)
{
  return path->len >= 4 ? (path->len - 1) / 3 : 0;
}

ZsGraphPoint
zs_graph_path_point (const GArray *path,
                     double        t,
                     ZsGraphPoint *tangent)
{
  guint n = zs_graph_path_n_segments (path);
  const ZsGraphPoint *p;
  double s, u, v;
  guint i;

  if (n == 0)
    {
      if (tangent != NULL)
        *tangent = (ZsGraphPoint) { 1, 0 };
      return path->len > 0 ? g_array_index (path, ZsGraphPoint, 0) : (ZsGraphPoint) { 0, 0 };
    }
  s = CLAMP (t, 0, 1) * n;
  i = MIN ((guint) s, n - 1);
  u = s - i;
  v = 1 - u;
  p = &g_array_index (path, ZsGraphPoint, 3 * i);
  if (tangent != NULL)
    {
      tangent->x = 3 * v * v * (p[1].x - p[0].x) + 6 * v * u * (p[2].x - p[1].x) + 3 * u * u * (p[3].x - p[2].x);
      tangent->y = 3 * v * v * (p[1].y - p[0].y) + 6 * v * u * (p[2].y - p[1].y) + 3 * u * u * (p[3].y - p[2].y);
    }
  return (ZsGraphPoint) {
    v * v * v * p[0].x + 3 * v * v * u * p[1].x + 3 * v * u * u * p[2].x + u * u * u * p[3].x,
    v * v * v * p[0].y + 3 * v * v * u * p[1].y + 3 * v * u * u * p[2].y + u * u * u * p[3].y,
  };
}

/* ---- arrange ----------------------------------------------------------------- */

/* A record of empty rows, one per port under a header row: dot orders the
 * edges by where they leave and arrive. */
static char *
record_label (guint n_ports)
{
  GString *label = g_string_new ("<h>");

  for (guint i = 0; i < n_ports; i++)
    g_string_append_printf (label, "|<p%u>", i);
  return g_string_free (label, FALSE);
}

/* The one card a card is linked to, or -1 if none or several. */
static int *
find_only_neighbours (guint              n_cards,
                      const ZsGraphEdge *edges,
                      guint              n_edges)
{
  int *only = g_new (int, MAX (n_cards, 1));

  for (guint i = 0; i < n_cards; i++)
    only[i] = -2;   /* none yet */
  for (guint i = 0; i < n_edges; i++)
    for (guint end = 0; end < 2 && edges[i].tail < n_cards && edges[i].head < n_cards; end++)
      {
        guint me = end == 0 ? edges[i].tail : edges[i].head;
        int other = (int) (end == 0 ? edges[i].head : edges[i].tail);

        only[me] = only[me] == -2 || only[me] == other ? other : -1;
      }
  for (guint i = 0; i < n_cards; i++)
    only[i] = MAX (only[i], -1);
  return only;
}

/* How many ranks further a card linked to nothing but one hub sits: a hub's
 * many leaves (a publisher's ten subscribers) fill a few columns of at most
 * LEAVES_PER_COLUMN instead of one screen-high column, as Graphviz's
 * unflatten does. Indexed by card; 0 for all others. */
static guint *
stagger_leaves (guint              n_cards,
                const ZsGraphEdge *edges,
                guint              n_edges)
{
  g_autofree int *only = find_only_neighbours (n_cards, edges, n_edges);
  g_autofree guint *n_leaves = g_new0 (guint, MAX (n_cards, 1));
  g_autofree guint *seen = g_new0 (guint, MAX (n_cards, 1));
  guint *stagger = g_new0 (guint, MAX (n_cards, 1));

  for (guint i = 0; i < n_cards; i++)
    if (only[i] >= 0 && only[only[i]] != (int) i)
      n_leaves[only[i]]++;
  for (guint i = 0; i < n_cards; i++)
    if (only[i] >= 0 && only[only[i]] != (int) i)
      {
        guint hub = only[i];
        guint columns = (n_leaves[hub] + LEAVES_PER_COLUMN - 1) / LEAVES_PER_COLUMN;

        stagger[i] = seen[hub]++ % columns;
      }
  return stagger;
}

gboolean
zs_graph_arrange (const ZsGraphRect *cards,
                  const guint       *n_ports,
                  guint              n_cards,
                  const ZsGraphEdge *edges,
                  guint              n_edges,
                  double             origin,
                  ZsGraphPoint      *positions)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&lock);
  g_autofree Agnode_t **nodes = g_new0 (Agnode_t *, MAX (n_cards, 1));
  g_autofree guint *stagger = NULL;
  Agsym_t *width, *height, *label, *tailport, *headport, *minlen;
  Agraph_t *graph;
  GVC_t *gvc = get_context ();
  gboolean ok;

  g_return_val_if_fail (n_cards == 0 || (cards != NULL && n_ports != NULL && positions != NULL), FALSE);

  graph = agopen ("arrange", Agdirected, NULL);
  agattr (graph, AGRAPH, "rankdir", "LR");
  agattr (graph, AGRAPH, "nodesep", "0.6");
  agattr (graph, AGRAPH, "ranksep", "2.0");
  agattr (graph, AGRAPH, "ordering", "out");
  /* Unconnected parts side by side, not in one tall column. */
  agattr (graph, AGRAPH, "pack", "32");
  agattr (graph, AGRAPH, "splines", "line");
  agattr (graph, AGNODE, "shape", "record");
  agattr (graph, AGNODE, "fixedsize", "true");
  width = agattr (graph, AGNODE, "width", "1");
  height = agattr (graph, AGNODE, "height", "1");
  label = agattr (graph, AGNODE, "label", "");
  tailport = agattr (graph, AGEDGE, "tailport", "");
  headport = agattr (graph, AGEDGE, "headport", "");
  minlen = agattr (graph, AGEDGE, "minlen", "1");
  stagger = stagger_leaves (n_cards, edges, n_edges);

  for (guint i = 0; i < n_cards; i++)
    {
      g_autofree char *name = g_strdup_printf ("c%u", i);
      g_autofree char *text = record_label (n_ports[i]);

      nodes[i] = agnode (graph, name, TRUE);
      set_number (nodes[i], width, cards[i].width / INCH);
      set_number (nodes[i], height, cards[i].height / INCH);
      agxset (nodes[i], label, text);
    }
  for (guint i = 0; i < n_edges; i++)
    {
      const ZsGraphEdge *e = &edges[i];
      g_autofree char *tail = NULL, *head = NULL;
      Agedge_t *edge;

      if (e->tail >= n_cards || e->head >= n_cards || e->tail == e->head)
        continue;
      edge = agedge (graph, nodes[e->tail], nodes[e->head], NULL, TRUE);
      tail = g_strdup_printf ("p%u:e", e->tail_port);
      head = g_strdup_printf ("p%u:w", e->head_port);
      agxset (edge, tailport, tail);
      agxset (edge, headport, head);
      set_number (edge, minlen, 1 + stagger[e->tail] + stagger[e->head]);
    }

  ok = gvLayout (gvc, graph, "dot") == 0;
  if (ok)
    {
      boxf bb = GD_bb (graph);

      for (guint i = 0; i < n_cards; i++)
        {
          pointf c = ND_coord (nodes[i]);

          positions[i].x = snap (origin + c.x - bb.LL.x - cards[i].width / 2);
          positions[i].y = snap (origin + bb.UR.y - c.y - cards[i].height / 2);
        }
      gvFreeLayout (gvc, graph);
    }
  agclose (graph);
  return ok;
}

/* ---- route ------------------------------------------------------------------- */

/* neato's router (lib/pathplan: shortest path through a visibility graph
 * of the obstacles, then a spline fitted inside the same barriers),
 * called directly: the cards are its only obstacles and each link's ends
 * are points, which keeps the visibility graph small. libgraphviz-dev
 * ships pathgeom.h but not these three declarations from vispath.h. */
extern vconfig_t *Pobsopen  (Ppoly_t **obstacles, int n_obstacles);
extern void       Pobsclose (vconfig_t *config);
extern int        Pobspath  (vconfig_t *config, Ppoint_t p0, int poly0, Ppoint_t p1, int poly1,
                             Ppolyline_t *output_route);
#define POLYID_NONE -1111

typedef struct {
  double x0, y0, x1, y1;
} Box;

static Box
card_box (const ZsGraphRect *card,
          double             margin)
{
  return (Box) { card->x - margin, card->y - margin,
                 card->x + card->width + margin, card->y + card->height + margin };
}

static gboolean
boxes_meet (const Box *a,
            const Box *b)
{
  return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 && b->y0 <= a->y1;
}

static gboolean
box_contains (const Box          *box,
              const ZsGraphPoint *p)
{
  return p->x >= box->x0 && p->x <= box->x1 && p->y >= box->y0 && p->y <= box->y1;
}

/* Where a link's stub ends: STUB out of its port, sideways. */
static ZsGraphPoint
stub_point (const ZsGraphRect  *card,
            const ZsGraphPoint *port)
{
  return (ZsGraphPoint) { port->x + port_direction (card, port) * STUB, port->y };
}

typedef struct {
  guint      n;           /* obstacles */
  Box       *boxes;       /* per obstacle, grown by its margin */
  Ppoly_t   *polys;
  Ppoly_t  **poly_ptrs;
  Ppoint_t  *points;      /* 4 per obstacle */
  Pedge_t   *barriers;
  int        n_barriers;
  vconfig_t *config;
} Obstacles;

/* How far links keep off each card: MARGIN, less between cards closer
 * than twice that (the router needs its obstacles apart). Cards that touch
 * or overlap another get -1: they cannot be obstacles, and links then may
 * cross them. */
static double *
find_margins (const ZsGraphRect *cards,
              guint              n_cards)
{
  double *margins = g_new (double, MAX (n_cards, 1));

  for (guint i = 0; i < n_cards; i++)
    margins[i] = MARGIN;
  for (guint i = 0; i < n_cards; i++)
    for (guint j = i + 1; j < n_cards; j++)
      {
        Box a = card_box (&cards[i], 0), b = card_box (&cards[j], 0);
        double gap = MAX (MAX (a.x0 - b.x1, b.x0 - a.x1), MAX (a.y0 - b.y1, b.y0 - a.y1));
        double margin = gap < 1 ? -1 : gap / 2 - 0.5;

        margins[i] = MIN (margins[i], margin);
        margins[j] = MIN (margins[j], margin);
      }
  return margins;
}

static void
obstacles_init (Obstacles         *obs,
                const ZsGraphRect *cards,
                const double      *margins,
                const GArray      *which)
{
  guint n = MAX (which->len, 1);

  obs->n = which->len;
  obs->boxes = g_new (Box, n);
  obs->polys = g_new (Ppoly_t, n);
  obs->poly_ptrs = g_new (Ppoly_t *, n);
  obs->points = g_new (Ppoint_t, 4 * n);
  for (guint i = 0; i < obs->n; i++)
    {
      Ppoint_t *p = &obs->points[4 * i];
      guint card = g_array_index (which, guint, i);
      Box b = card_box (&cards[card], margins[card]);

      /* Clockwise, as the router wants them. */
      p[0] = (Ppoint_t) { b.x0, b.y0 };
      p[1] = (Ppoint_t) { b.x0, b.y1 };
      p[2] = (Ppoint_t) { b.x1, b.y1 };
      p[3] = (Ppoint_t) { b.x1, b.y0 };
      obs->boxes[i] = b;
      obs->polys[i] = (Ppoly_t) { p, 4 };
      obs->poly_ptrs[i] = &obs->polys[i];
    }
  obs->barriers = NULL;
  obs->n_barriers = 0;
  Ppolybarriers (obs->poly_ptrs, (int) obs->n, &obs->barriers, &obs->n_barriers);
  obs->config = Pobsopen (obs->poly_ptrs, (int) obs->n);
}

static void
obstacles_clear (Obstacles *obs)
{
  if (obs->config != NULL)
    Pobsclose (obs->config);
  g_free (obs->polys);
  g_free (obs->poly_ptrs);
  g_free (obs->points);
  g_free (obs->boxes);
  free (obs->barriers);
}

static gboolean
point_is_clear (const Obstacles    *obs,
                const ZsGraphPoint *p)
{
  for (guint i = 0; i < obs->n; i++)
    if (box_contains (&obs->boxes[i], p))
      return FALSE;
  return TRUE;
}

/* port -> stub, the router's spline, stub -> port: the stubs leave and
 * arrive horizontally, as the spline does (its end slopes are given). */
static GArray *
join_path (const ZsGraphLink  *link,
           const Ppolyline_t  *spline)
{
  GArray *path = g_array_sized_new (FALSE, FALSE, sizeof (ZsGraphPoint), spline->pn + 6);
  const Ppoint_t *first = &spline->ps[0], *last = &spline->ps[spline->pn - 1];

  append (path, link->from.x, link->from.y);
  append (path, (2 * link->from.x + first->x) / 3, (2 * link->from.y + first->y) / 3);
  append (path, (link->from.x + 2 * first->x) / 3, (link->from.y + 2 * first->y) / 3);
  for (int i = 0; i < spline->pn; i++)
    append (path, spline->ps[i].x, spline->ps[i].y);
  append (path, (2 * last->x + link->to.x) / 3, (2 * last->y + link->to.y) / 3);
  append (path, (last->x + 2 * link->to.x) / 3, (last->y + 2 * link->to.y) / 3);
  append (path, link->to.x, link->to.y);
  return path;
}

/* The link's route, or NULL when its ends are inside an obstacle or the
 * router found none. */
static GArray *
route_link (const Obstacles   *obs,
            const ZsGraphRect *cards,
            const ZsGraphLink *link)
{
  ZsGraphPoint a = stub_point (&cards[link->from_card], &link->from);
  ZsGraphPoint b = stub_point (&cards[link->to_card], &link->to);
  Pvector_t slopes[2] = {
    { port_direction (&cards[link->from_card], &link->from), 0 },
    { -port_direction (&cards[link->to_card], &link->to), 0 },
  };
  Ppolyline_t line = { 0 }, spline = { 0 };
  GArray *path = NULL;

  if (obs->config == NULL || !point_is_clear (obs, &a) || !point_is_clear (obs, &b) ||
      !Pobspath (obs->config, (Ppoint_t) { a.x, a.y }, POLYID_NONE, (Ppoint_t) { b.x, b.y }, POLYID_NONE, &line))
    return NULL;
  if (line.pn >= 2 && Proutespline (obs->barriers, obs->n_barriers, line, slopes, &spline) == 0 &&
      spline.pn >= 4)
    path = join_path (link, &spline);
  free (line.ps);
  return path;
}

gboolean
zs_graph_path_crosses (const GArray      *path,
                       const ZsGraphRect *rect)
{
  const ZsGraphPoint *p = (const ZsGraphPoint *) path->data;
  guint n = zs_graph_path_n_segments (path);
  Box inside = card_box (rect, -1);

  for (guint i = 0; i < n; i++)
    {
      const ZsGraphPoint *q = &p[3 * i];
      /* A Bézier stays within its control points' box. */
      Box hull = {
        MIN (MIN (q[0].x, q[1].x), MIN (q[2].x, q[3].x)), MIN (MIN (q[0].y, q[1].y), MIN (q[2].y, q[3].y)),
        MAX (MAX (q[0].x, q[1].x), MAX (q[2].x, q[3].x)), MAX (MAX (q[0].y, q[1].y), MAX (q[2].y, q[3].y)),
      };

      if (!boxes_meet (&hull, &inside))
        continue;
      for (guint k = 0; k <= CROSS_SAMPLES; k++)
        {
          ZsGraphPoint at = zs_graph_path_point (path, (i + (double) k / CROSS_SAMPLES) / n, NULL);

          if (box_contains (&inside, &at))
            return TRUE;
        }
    }
  return FALSE;
}

/* The cards near the link, then any other the route crossed, until it
 * crosses none: the router's cost grows with the cube of its obstacles,
 * so each link only sees those that matter to it. */
static GArray *
route_among_near_cards (const ZsGraphRect *cards,
                        guint              n_cards,
                        const double      *margins,
                        const ZsGraphLink *link)
{
  g_autoptr(GArray) which = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree gboolean *taken = g_new0 (gboolean, MAX (n_cards, 1));
  ZsGraphRect near = {
    MIN (link->from.x, link->to.x) - 2 * STUB, MIN (link->from.y, link->to.y) - 2 * STUB,
    fabs (link->to.x - link->from.x) + 4 * STUB, fabs (link->to.y - link->from.y) + 4 * STUB,
  };
  Box near_box = card_box (&near, 0);

  for (guint i = 0; i < n_cards; i++)
    {
      Box box = card_box (&cards[i], MARGIN);

      if (margins[i] >= 0 && (i == link->from_card || i == link->to_card || boxes_meet (&box, &near_box)))
        {
          g_array_append_val (which, i);
          taken[i] = TRUE;
        }
    }
  for (guint round = 0; round < MAX_ROUNDS; round++)
    {
      Obstacles obs;
      GArray *path;
      guint added = 0;

      obstacles_init (&obs, cards, margins, which);
      path = route_link (&obs, cards, link);
      obstacles_clear (&obs);
      if (path == NULL)
        return NULL;
      for (guint i = 0; i < n_cards; i++)
        if (margins[i] >= 0 && !taken[i] && zs_graph_path_crosses (path, &cards[i]))
          {
            g_array_append_val (which, i);
            taken[i] = TRUE;
            added++;
          }
      if (added == 0)
        return path;
      g_array_unref (path);
    }
  return NULL;
}

GPtrArray *
zs_graph_route (const ZsGraphRect *cards,
                guint              n_cards,
                const ZsGraphLink *links,
                guint              n_links)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree double *margins = NULL;
  GPtrArray *paths;

  for (guint i = 0; i < n_links; i++)
    g_return_val_if_fail (links[i].from_card < n_cards && links[i].to_card < n_cards, NULL);

  locker = g_mutex_locker_new (&lock);
  margins = find_margins (cards, n_cards);
  paths = g_ptr_array_new_full (n_links, (GDestroyNotify) g_array_unref);
  for (guint i = 0; i < n_links; i++)
    {
      GArray *path = route_among_near_cards (cards, n_cards, margins, &links[i]);

      g_ptr_array_add (paths, path != NULL ? path : zs_graph_simple_path (cards, &links[i]));
    }
  return paths;
}
