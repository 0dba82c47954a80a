/* zs-canvas-flow.c: the live view's flow layer: the dots that travel the
 * links, the flashes of connection events, the dashes of a waiting connect
 *
 * On screen the links are drawn in clusters of neighbours, a render node
 * each, kept while all its links are at rest: a frame damages the clusters
 * whose dots moved, not the whole area of the links (GTK gives up on a
 * damage of more than 30 rectangles and takes the parent node's bounds).
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <math.h>

#include "zs-canvas-private.h"
#include "zs-graph-layout.h"

#define LANE_OFFSET      5.0  /* both directions drawn: each on its side of the curve */
#define DOT_RADIUS       5.0
#define SLOW_DOT_RADIUS  6.5
#define MIN_DOT_GAP_PX   3.0  /* closer dots land on the same pixels: skip some */
#define FLOW_MARGIN      16.0 /* around a curve: lanes, dots, flashes (model units) */
#define MAX_CLUSTERS     12   /* render nodes of the layer; damage stays < 30 rectangles */
#define SEED_GRID        11   /* more links than SEED_GRID²: first grouped by cells */

typedef ZsCanvasRgb Rgb;
typedef ZsCanvasArc Arc;
typedef ZsCanvasFlow Flow;

static const Rgb white = { 1, 1, 1 };
static const Rgb canvas_bg = { 0.976, 0.976, 0.980 };
static const Rgb flash_yellow = { 1.000, 0.820, 0.100 };

/* Unit normal of the curve at t (to the left of from -> to). */
static graphene_point_t
bezier_normal (const ZsLinkLayout *l,
               double              t)
{
  graphene_point_t d = _zs_canvas_bezier_tangent (l, t);
  double dx = d.x, dy = d.y;
  double len = hypot (dx, dy);

  if (len < 1e-6)
    return GRAPHENE_POINT_INIT (0, -1);
  return GRAPHENE_POINT_INIT (dy / len, -dx / len);
}

/* A link's dots this frame, drawn as one path: every opaque dot in one fill
 * and one stroke; the few fading in or out at the ports apart, each with
 * its alpha. */
#define MAX_LINK_DOTS (2 * MAX (ZS_LIVE_MAX_DOTS, 32))

typedef struct {
  graphene_point_t at[MAX_LINK_DOTS];
  double           alpha[MAX_LINK_DOTS];
  double           radius;
  guint            n;
} Dots;

static void
add_dot_shape (cairo_t                *cr,
               const graphene_point_t *p,
               double                  radius,
               gboolean                multipart)
{
  if (multipart)
    {
      /* Two stacked frames: a multipart message. */
      double w = radius * 1.9, h = radius * 1.25;

      cairo_rectangle (cr, p->x - w / 2, p->y - h - 0.8, w, h);
      cairo_rectangle (cr, p->x - w / 2, p->y + 0.8, w, h);
    }
  else
    {
      cairo_new_sub_path (cr);
      cairo_arc (cr, p->x, p->y, radius, 0, 2 * G_PI);
    }
}

static void
paint_dots (ZsCanvas  *self,
            cairo_t   *cr,
            const Rgb *color,
            double     alpha)
{
  _zs_canvas_set_color (cr, color, alpha);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, &white, alpha);
  cairo_set_line_width (cr, _zs_canvas_scaled (self, 1.5));
  cairo_stroke (cr);
}

static void
paint_link_dots (ZsCanvas   *self,
                 cairo_t    *cr,
                 const Dots *dots,
                 gboolean    multipart,
                 const Rgb  *color)
{
  gboolean opaque = FALSE;

  for (guint i = 0; i < dots->n; i++)
    if (dots->alpha[i] < 1)
      {
        cairo_new_path (cr);
        add_dot_shape (cr, &dots->at[i], dots->radius, multipart);
        paint_dots (self, cr, color, dots->alpha[i]);
      }
  cairo_new_path (cr);
  for (guint i = 0; i < dots->n; i++)
    if (dots->alpha[i] >= 1)
      {
        add_dot_shape (cr, &dots->at[i], dots->radius, multipart);
        opaque = TRUE;
      }
  if (opaque)
    paint_dots (self, cr, color, 1);
}

/* One message (or one step of the rate pattern) at `fraction` of the way. */
static void
dot_at (ZsCanvas           *self,
        Dots               *dots,
        const ZsLinkLayout *l,
        double              fraction,
        guint               direction,
        gboolean            lanes)
{
  double t = _zs_canvas_arc_t (&l->arc, fraction, direction);
  graphene_point_t p = _zs_canvas_bezier_point (l, t);

  if (dots->n == MAX_LINK_DOTS)
    return;
  if (lanes)
    {
      graphene_point_t n = bezier_normal (l, t);
      double side = direction == 0 ? 1 : -1;

      p.x += n.x * _zs_canvas_scaled (self, LANE_OFFSET) * side;
      p.y += n.y * _zs_canvas_scaled (self, LANE_OFFSET) * side;
    }
  dots->at[dots->n] = p;
  /* Fade in and out at the ports rather than pop. */
  dots->alpha[dots->n] = CLAMP (MIN (fraction, 1 - fraction) / 0.06, 0, 1);
  dots->n++;
}

/* TRUE if it drew any dot. */
static gboolean
draw_dots (ZsCanvas           *self,
           cairo_t            *cr,
           const ZsLinkLayout *l,
           const ZsLiveLink   *live,
           const Flow         *flow,
           const Rgb          *color)
{
  const Arc *arc = &l->arc;
  gboolean lanes = flow->dir[0] && flow->dir[1];
  double min_gap = MIN_DOT_GAP_PX / (self->zoom * arc->total);
  Dots dots;

  dots.n = 0;
  /* On a projector the larger dots stay a radius apart: a row of dots
   * to follow, not a solid bar. */
  if (zs_canvas_get_presentation (self))
    min_gap = MAX (min_gap, _zs_canvas_scaled (self, DOT_RADIUS) / arc->total);

  if (live->slow_dots)
    {
      guint n_dots;
      const float *positions = zs_live_model_get_link_dots (self->live_model, l->run, &n_dots);
      const guint8 *directions = zs_live_model_get_link_dot_flows (self->live_model, l->run);
      double last_drawn = -1;

      /* One dot, one message, the way it went. */
      dots.radius = _zs_canvas_scaled (self, SLOW_DOT_RADIUS);
      for (guint i = n_dots; i-- > 0;)
        {
          guint direction = directions[i] ^ (guint) l->run_reversed;

          if (!flow->dir[direction])
            continue;
          if (last_drawn >= 0 && fabs (positions[i] - last_drawn) < min_gap)
            continue;
          last_drawn = positions[i];
          dot_at (self, &dots, l, positions[i], direction, lanes);
        }
    }
  else if (live->rate > 0)
    {
      /* The rate's pattern: denser with the log of the rate. */
      guint stride = (guint) ceil (min_gap / live->dot_spacing);

      dots.radius = _zs_canvas_scaled (self, DOT_RADIUS - 1.5 * live->rate_log);
      stride = MAX (stride, 1);
      for (guint k = 0; (k + live->phase) * live->dot_spacing < 1.0; k += stride)
        {
          double fraction = (k + live->phase) * live->dot_spacing;

          for (guint d = 0; d < 2; d++)
            if (flow->dir[d])
              dot_at (self, &dots, l, d == flow->main || !lanes ? fraction
                      : fmod (fraction + live->dot_spacing / 2, 1.0),
                      d, lanes);
        }
    }
  paint_link_dots (self, cr, &dots, live->multipart_share > 0.5, color);
  return dots.n > 0;
}

static void
stroke_curve (cairo_t            *cr,
              const ZsLinkLayout *l)
{
  _zs_canvas_link_path (cr, l);
  cairo_stroke (cr);
}

/* The yellow flash of an event, the dashes of a connect waiting for its
 * bind; TRUE if it drew either. */
static gboolean
draw_link_marks (ZsCanvas           *self,
                 cairo_t            *cr,
                 const ZsLinkLayout *l,
                 const ZsLiveLink   *live,
                 const Rgb          *color)
{
  if (live->event_flash > 0.01)
    {
      _zs_canvas_set_color (cr, &flash_yellow, 0.6 * live->event_flash);
      cairo_set_line_width (cr, _zs_canvas_scaled (self, 6 + 6 * live->event_flash));
      stroke_curve (cr, l);
    }
  if (live->waiting && _zs_canvas_run_is_on (self))
    {
      /* The connect waits for a bind: dashed. */
      _zs_canvas_set_color (cr, &canvas_bg, 1);
      cairo_set_line_width (cr, _zs_canvas_scaled (self, 5));
      stroke_curve (cr, l);
      _zs_canvas_set_color (cr, color, 0.9);
      cairo_set_line_width (cr, _zs_canvas_scaled (self, 2.5));
      cairo_set_dash (cr, (double[]) { 7, 6 }, 2, 0);
      stroke_curve (cr, l);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  return live->event_flash > 0.01 || (live->waiting && _zs_canvas_run_is_on (self));
}

/* TRUE if it drew anything. */
static gboolean
flow_link (ZsCanvas           *self,
           cairo_t            *cr,
           const ZsLinkLayout *l)
{
  const ZsLiveLink *live = zs_live_model_get_link (self->live_model, l->run);
  const Rgb *color = _zs_canvas_socket_color (l->bind_type);
  Flow flow = _zs_canvas_link_flow (self, l);
  gboolean marks = draw_link_marks (self, cr, l, live, color);

  return draw_dots (self, cr, l, live, &flow, color) || marks;
}

static gboolean
is_shown (ZsCanvas           *self,
          const ZsLinkLayout *l)
{
  return l->run < zs_live_model_get_n_links (self->live_model);
}

static void
layer_flow (ZsCanvas *self,
            cairo_t  *cr,
            gboolean  exporting,
            gpointer  user_data)
{
  if (self->live_model == NULL)
    return;
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);

      if (is_shown (self, l))
        flow_link (self, cr, l);
    }
}

/* ---- on screen: clusters of links, a node each ------------------------------------- */

typedef struct {
  graphene_rect_t  bounds;   /* model: its links' curves and FLOW_MARGIN around */
  GArray          *links;    /* guint: indices in link_layouts */
  GskRenderNode   *node;     /* as last drawn, or NULL if it drew nothing */
  gboolean         at_rest;  /* drawn when every link of it was at rest */
  guint64          rest_key; /* then: which of them showed a waiting connect */
} Cluster;

struct _ZsCanvasFlowCache {
  guint        layout_serial;   /* the layout the clusters are for */
  ZsLiveModel *live_model;      /* and the run (not owned: compared only) */
  guint        generation;      /* static_generation their nodes are for */
  GArray      *clusters;        /* Cluster */
};

static void
clear_cluster (gpointer data)
{
  Cluster *c = data;

  g_clear_pointer (&c->links, g_array_unref);
  g_clear_pointer (&c->node, gsk_render_node_unref);
}

static double
rect_area (const graphene_rect_t *r)
{
  return (double) r->size.width * r->size.height;
}

/* The area a merge of two clusters adds: their union less their own. */
static double
merge_cost (const Cluster *a,
            const Cluster *b)
{
  graphene_rect_t u;

  graphene_rect_union (&a->bounds, &b->bounds, &u);
  return rect_area (&u) - rect_area (&a->bounds) - rect_area (&b->bounds);
}

static void
merge_into (Cluster *a,
            Cluster *b)
{
  graphene_rect_union (&a->bounds, &b->bounds, &a->bounds);
  g_array_append_vals (a->links, b->links->data, b->links->len);
}

/* Merges the two clusters whose union adds the least area, until `max`. */
static void
merge_clusters (GArray *clusters,
                guint   max)
{
  while (clusters->len > max)
    {
      guint best_i = 0, best_j = 1;
      double best = G_MAXDOUBLE;

      for (guint i = 0; i < clusters->len; i++)
        for (guint j = i + 1; j < clusters->len; j++)
          {
            double cost = merge_cost (&g_array_index (clusters, Cluster, i),
                                      &g_array_index (clusters, Cluster, j));

            if (cost < best)
              {
                best = cost;
                best_i = i;
                best_j = j;
              }
          }
      merge_into (&g_array_index (clusters, Cluster, best_i), &g_array_index (clusters, Cluster, best_j));
      g_array_remove_index_fast (clusters, best_j);
    }
}

static graphene_rect_t
link_bounds (ZsCanvas           *self,
             const ZsLinkLayout *l)
{
  const ZsGraphPoint *p = (const ZsGraphPoint *) l->path->data;
  double x0 = p[0].x, y0 = p[0].y, x1 = p[0].x, y1 = p[0].y;
  double margin = _zs_canvas_scaled (self, FLOW_MARGIN);
  graphene_rect_t r;

  /* The control points hold the curve. */
  for (guint i = 1; i < l->path->len; i++)
    {
      x0 = MIN (x0, p[i].x);
      y0 = MIN (y0, p[i].y);
      x1 = MAX (x1, p[i].x);
      y1 = MAX (y1, p[i].y);
    }
  graphene_rect_init (&r, x0 - margin, y0 - margin, x1 - x0 + 2 * margin, y1 - y0 + 2 * margin);
  return r;
}

/* One cluster per link; more than SEED_GRID² links are first put together
 * by the cells of a grid over them. Then the two clusters whose union adds
 * the least area are merged, until MAX_CLUSTERS. */
static void
make_clusters (ZsCanvas *self,
               GArray   *clusters)
{
  g_autoptr(GArray) seeds = g_array_new (FALSE, FALSE, sizeof (Cluster));
  graphene_rect_t all = GRAPHENE_RECT_INIT (0, 0, 0, 0);
  int cells[SEED_GRID * SEED_GRID];

  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);
      Cluster c = { .bounds = link_bounds (self, l) };

      if (!is_shown (self, l))
        continue;
      c.links = g_array_new (FALSE, FALSE, sizeof (guint));
      g_array_append_val (c.links, i);
      if (seeds->len == 0)
        all = c.bounds;
      graphene_rect_union (&all, &c.bounds, &all);
      g_array_append_val (seeds, c);
    }
  if (seeds->len <= SEED_GRID * SEED_GRID)
    {
      g_array_append_vals (clusters, seeds->data, seeds->len);
      merge_clusters (clusters, MAX_CLUSTERS);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    cells[i] = -1;
  for (guint i = 0; i < seeds->len; i++)
    {
      Cluster *c = &g_array_index (seeds, Cluster, i);
      graphene_point_t center;
      guint cx, cy, cell;

      graphene_rect_get_center (&c->bounds, &center);
      cx = MIN (SEED_GRID - 1, (guint) (SEED_GRID * (center.x - all.origin.x) / MAX (all.size.width, 1)));
      cy = MIN (SEED_GRID - 1, (guint) (SEED_GRID * (center.y - all.origin.y) / MAX (all.size.height, 1)));
      cell = cy * SEED_GRID + cx;
      if (cells[cell] < 0)
        {
          cells[cell] = (int) clusters->len;
          g_array_append_val (clusters, *c);
        }
      else
        {
          merge_into (&g_array_index (clusters, Cluster, cells[cell]), c);
          g_array_unref (c->links);
        }
    }
  merge_clusters (clusters, MAX_CLUSTERS);
}

/* Every link of the cluster at rest: what it shows then (the dashes of
 * waiting connects) as a key; FALSE if any link moves. */
static gboolean
cluster_rest_key (ZsCanvas      *self,
                  const Cluster *c,
                  guint64       *key)
{
  gboolean run_on = _zs_canvas_run_is_on (self);

  *key = 1469598103934665603ULL;
  for (guint i = 0; i < c->links->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, g_array_index (c->links, guint, i));
      const ZsLiveLink *live = zs_live_model_get_link (self->live_model, l->run);

      if (!zs_live_model_link_is_at_rest (self->live_model, l->run))
        return FALSE;
      *key = (*key ^ (live->waiting && run_on ? 2 * i + 1 : 2 * i)) * 1099511628211ULL;
    }
  return TRUE;
}

/* The cluster's links drawn into a node of its bounds (whole pixels), or
 * NULL if they drew nothing. */
static GskRenderNode *
draw_cluster (ZsCanvas      *self,
              const Cluster *c)
{
  const graphene_rect_t *b = &c->bounds;
  double x0 = floor (b->origin.x * self->zoom + self->offset_x);
  double y0 = floor (b->origin.y * self->zoom + self->offset_y);
  double x1 = ceil ((b->origin.x + b->size.width) * self->zoom + self->offset_x);
  double y1 = ceil ((b->origin.y + b->size.height) * self->zoom + self->offset_y);
  GskRenderNode *node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0));
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);
  gboolean drew = FALSE;

  cairo_translate (cr, self->offset_x, self->offset_y);
  cairo_scale (cr, self->zoom, self->zoom);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < c->links->len; i++)
    drew |= flow_link (self, cr, g_ptr_array_index (self->link_layouts, g_array_index (c->links, guint, i)));
  cairo_destroy (cr);
  if (!drew)
    g_clear_pointer (&node, gsk_render_node_unref);
  return node;
}

static GArray *
ensure_clusters (ZsCanvas *self)
{
  ZsCanvasFlowCache *cache = self->flow_cache;

  if (cache->clusters == NULL)
    {
      cache->clusters = g_array_new (FALSE, TRUE, sizeof (Cluster));
      g_array_set_clear_func (cache->clusters, clear_cluster);
    }
  if (cache->layout_serial != self->layout_serial || cache->live_model != self->live_model ||
      cache->clusters->len == 0)
    {
      g_array_set_size (cache->clusters, 0);
      make_clusters (self, cache->clusters);
      cache->layout_serial = self->layout_serial;
      cache->live_model = self->live_model;
    }
  else if (cache->generation != self->static_generation)
    for (guint i = 0; i < cache->clusters->len; i++)
      {
        Cluster *c = &g_array_index (cache->clusters, Cluster, i);

        g_clear_pointer (&c->node, gsk_render_node_unref);
        c->at_rest = FALSE;
      }
  cache->generation = self->static_generation;
  return cache->clusters;
}

/* One container of the clusters' nodes; a cluster at rest as it was keeps
 * its node, which GTK then leaves undamaged. */
static void
snapshot_flow (ZsCanvas    *self,
               GtkSnapshot *snapshot,
               gpointer     user_data)
{
  GArray *clusters;
  GskRenderNode *children[MAX_CLUSTERS];
  guint n = 0;

  if (self->live_model == NULL)
    return;
  clusters = ensure_clusters (self);
  for (guint i = 0; i < clusters->len; i++)
    {
      Cluster *c = &g_array_index (clusters, Cluster, i);
      guint64 key;
      gboolean at_rest = cluster_rest_key (self, c, &key);

      if (!(at_rest && c->at_rest && key == c->rest_key))
        {
          g_clear_pointer (&c->node, gsk_render_node_unref);
          c->node = draw_cluster (self, c);
          c->at_rest = at_rest;
          c->rest_key = key;
          self->live_redrawn++;
        }
      else
        self->live_kept++;
      if (c->node != NULL)
        children[n++] = c->node;
    }
  if (n > 0)
    {
      GskRenderNode *container = gsk_container_node_new (children, n);

      gtk_snapshot_append_node (snapshot, container);
      gsk_render_node_unref (container);
    }
}

void
_zs_canvas_init_flow (ZsCanvas *self)
{
  self->flow_cache = g_new0 (ZsCanvasFlowCache, 1);
  _zs_canvas_add_live_layer (self, ZS_CANVAS_LAYER_FLOW, layer_flow, snapshot_flow, NULL);
}

void
_zs_canvas_dispose_flow (ZsCanvas *self)
{
  if (self->flow_cache == NULL)
    return;
  g_clear_pointer (&self->flow_cache->clusters, g_array_unref);
  g_clear_pointer (&self->flow_cache, g_free);
}
