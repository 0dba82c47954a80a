/* zs-canvas-flow.c: the live view's flow layer: the dots that travel the
 * links, the flashes of connection events, the dashes of a waiting connect
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <math.h>

#include "zs-canvas-private.h"

#define LAYER_FLOW       15   /* above the links (0) and their labels (10), below the cards (20) */
#define LANE_OFFSET      5.0  /* both directions drawn: each on its side of the curve */
#define DOT_RADIUS       5.0
#define SLOW_DOT_RADIUS  6.5
#define MIN_DOT_GAP_PX   3.0  /* closer dots land on the same pixels: skip some */

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

/* Where dots go: for now always a cairo context. Dots as render nodes
 * (rounded clips and borders, one per dot) measured slower than one
 * recorded cairo node per frame under both renderers (see bench/). */
typedef struct {
  cairo_t *cr;
} Sink;

static void
draw_dot (ZsCanvas   *self,
          const Sink *sink,
          double      x,
          double      y,
          double      radius,
          gboolean    multipart,
          const Rgb  *color,
          double      alpha)
{
  cairo_t *cr = sink->cr;

  cairo_new_path (cr);
  if (multipart)
    {
      /* Two stacked frames: a multipart message. */
      double w = radius * 1.9, h = radius * 1.25;

      cairo_rectangle (cr, x - w / 2, y - h - 0.8, w, h);
      cairo_rectangle (cr, x - w / 2, y + 0.8, w, h);
    }
  else
    cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
  _zs_canvas_set_color (cr, color, alpha);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, &white, alpha);
  cairo_set_line_width (cr, _zs_canvas_scaled (self, 1.5));
  cairo_stroke (cr);
}

/* One message (or one step of the rate pattern) at `fraction` of the way. */
static void
draw_dot_at (ZsCanvas           *self,
             const Sink         *sink,
             const ZsLinkLayout *l,
             const Arc          *arc,
             double              fraction,
             guint               direction,
             gboolean            lanes,
             double              radius,
             gboolean            multipart,
             const Rgb          *color)
{
  double t = _zs_canvas_arc_t (arc, fraction, direction);
  graphene_point_t p = _zs_canvas_bezier_point (l, t);
  /* Fade in and out at the ports rather than pop. */
  double alpha = CLAMP (MIN (fraction, 1 - fraction) / 0.06, 0, 1);

  if (lanes)
    {
      graphene_point_t n = bezier_normal (l, t);
      double side = direction == 0 ? 1 : -1;

      p.x += n.x * _zs_canvas_scaled (self, LANE_OFFSET) * side;
      p.y += n.y * _zs_canvas_scaled (self, LANE_OFFSET) * side;
    }
  draw_dot (self, sink, p.x, p.y, _zs_canvas_scaled (self, radius), multipart, color, alpha);
}

static void
draw_dots (ZsCanvas           *self,
           const Sink         *sink,
           const ZsLinkLayout *l,
           const Arc          *arc,
           const ZsLiveLink   *live,
           const Flow         *flow,
           const Rgb          *color)
{
  gboolean lanes = flow->dir[0] && flow->dir[1];
  gboolean multipart = live->multipart_share > 0.5;
  double min_gap = MIN_DOT_GAP_PX / (self->zoom * arc->total);

  /* On a projector the larger dots stay a radius apart: a row of dots
   * to follow, not a solid bar. */
  if (zs_canvas_get_presentation (self))
    min_gap = MAX (min_gap, _zs_canvas_scaled (self, DOT_RADIUS) / arc->total);

  if (live->slow_dots)
    {
      guint n_dots;
      const float *dots = zs_live_model_get_link_dots (self->live_model, l->run, &n_dots);
      const guint8 *directions = zs_live_model_get_link_dot_flows (self->live_model, l->run);
      double last_drawn = -1;

      /* One dot, one message, the way it went. */
      for (guint i = n_dots; i-- > 0;)
        {
          guint direction = directions[i] ^ (guint) l->run_reversed;

          if (!flow->dir[direction])
            continue;
          if (last_drawn >= 0 && fabs (dots[i] - last_drawn) < min_gap)
            continue;
          last_drawn = dots[i];
          draw_dot_at (self, sink, l, arc, dots[i], direction, lanes, SLOW_DOT_RADIUS, multipart, color);
        }
      return;
    }

  if (live->rate <= 0)
    return;

  /* The rate's pattern: denser with the log of the rate. */
  {
    guint stride = (guint) ceil (min_gap / live->dot_spacing);
    double radius = DOT_RADIUS - 1.5 * live->rate_log;

    stride = MAX (stride, 1);
    for (guint k = 0; (k + live->phase) * live->dot_spacing < 1.0; k += stride)
      {
        double fraction = (k + live->phase) * live->dot_spacing;

        for (guint d = 0; d < 2; d++)
          if (flow->dir[d])
            draw_dot_at (self, sink, l, arc, d == flow->main || !lanes ? fraction
                         : fmod (fraction + live->dot_spacing / 2, 1.0),
                         d, lanes, radius, multipart, color);
      }
  }
}

static void
stroke_curve (cairo_t            *cr,
              const ZsLinkLayout *l)
{
  _zs_canvas_link_path (cr, l);
  cairo_stroke (cr);
}

/* The yellow flash of an event, the dashes of a connect waiting for its bind. */
static void
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
}

static void
flow_link (ZsCanvas           *self,
           const Sink         *sink,
           const ZsLinkLayout *l)
{
  const ZsLiveLink *live = zs_live_model_get_link (self->live_model, l->run);
  const Rgb *color = _zs_canvas_socket_color (l->bind_type);
  Flow flow = _zs_canvas_link_flow (self, l);
  Arc arc;

  _zs_canvas_arc_init (&arc, l);
  draw_link_marks (self, sink->cr, l, live, color);
  draw_dots (self, sink, l, &arc, live, &flow, color);
}

static void
layer_flow (ZsCanvas *self,
            cairo_t  *cr,
            gboolean  exporting,
            gpointer  user_data)
{
  Sink sink = { .cr = cr };
  GPtrArray *links;

  if (self->live_model == NULL)
    return;
  links = zs_topology_get_links (zs_live_model_get_topology (self->live_model));
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);

  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);

      if (l->run < links->len)
        flow_link (self, &sink, l);
    }
}

/* On screen: the whole layer in one node bounded by its ink. */
static void
snapshot_flow (ZsCanvas    *self,
               GtkSnapshot *snapshot,
               gpointer     user_data)
{
  cairo_t *cr = _zs_canvas_begin_record (self);
  GskRenderNode *node;

  layer_flow (self, cr, FALSE, NULL);
  node = _zs_canvas_end_record (self, cr);
  if (node != NULL)
    {
      gtk_snapshot_append_node (snapshot, node);
      gsk_render_node_unref (node);
    }
}

void
_zs_canvas_init_flow (ZsCanvas *self)
{
  _zs_canvas_add_live_layer (self, LAYER_FLOW, layer_flow, snapshot_flow, NULL);
}
