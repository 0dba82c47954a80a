/* zs-canvas-live.c: the live view: what the run session shows, animated on
 * the canvas (dots, rates, queues, drops, node states)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zs-canvas-private.h"
#include "zs-engine.h"   /* zs_engine_untraced_reason (): the plan's rule, no engine */

#define LAYER_FLOW       15   /* above the links (0) and their labels (10), below the cards (20) */
#define LAYER_OVERLAY    25   /* on the cards, below the finding badges (30) */
#define ARC_STEPS        24   /* segments of the arc-length table */
#define LANE_OFFSET      5.0  /* both directions drawn: each on its side of the curve */
#define DOT_RADIUS       5.0
#define SLOW_DOT_RADIUS  6.5
#define MIN_DOT_GAP_PX   3.0  /* closer dots land on the same pixels: skip some */
#define MIN_TEXT_ZOOM    0.45 /* below it, labels would be unreadable specks */
#define QUEUE_BAR_H      9.0
#define PAD              12.0
#define SPARK_W          72.0
#define SPARK_H          16.0

#define FONT_RATE   "Sans Bold 11"
#define FONT_QUEUE  "Sans Bold 10"
#define FONT_DROPS  "Sans Bold 11"
#define FONT_STATE  "Sans Bold 10"
#define FONT_RESULT "Sans 10"

/* Text slots: a PangoLayout each, kept between frames. */
enum {
  LINK_SLOT_RATE,
  LINK_SLOT_QUEUE,
  LINK_SLOT_NUMBERS,    /* the queue's compact "7 / 2000" */
  LINK_SLOT_DROPS,
  LINK_SLOT_STATE,      /* "waiting" or "blocked" */
  LINK_SLOT_FIGURES,    /* after the run: sent, received, dropped, unread */
  N_LINK_SLOTS
};

enum {
  NODE_SLOT_STATE,
  NODE_SLOT_RESULT,
  NODE_SLOT_NAME,       /* measured only: where the sparkline fits */
  NODE_SLOT_ROLE,
  N_NODE_SLOTS
};

typedef ZsCanvasRgb Rgb;

static const Rgb ink = { 0.180, 0.176, 0.200 };
static const Rgb white = { 1, 1, 1 };
static const Rgb canvas_bg = { 0.976, 0.976, 0.980 };
static const Rgb ok_green = { 0.180, 0.620, 0.290 };
static const Rgb near_amber = { 0.930, 0.560, 0.000 };
static const Rgb full_red = { 0.878, 0.106, 0.141 };
static const Rgb unbounded_blue = { 0.300, 0.420, 0.620 };
static const Rgb flash_yellow = { 1.000, 0.820, 0.100 };
static const Rgb slate = { 0.420, 0.430, 0.470 };
static const Rgb done_blue = { 0.110, 0.300, 0.600 };

static gboolean run_is_on (ZsCanvas *self);

/* ---- small helpers ---------------------------------------------------------- */

/* The layout of a label slot, its text replaced only when it changed:
 * labels cost no allocation from one frame to the next. */
static PangoLayout *
slot_layout (ZsCanvas   *self,
             guint       slot,
             const char *font,
             const char *text,
             double      scale)
{
  PangoLayout *layout;

  if (slot >= self->live_texts->len)
    g_ptr_array_set_size (self->live_texts, slot + 1);
  layout = g_ptr_array_index (self->live_texts, slot);
  if (layout == NULL)
    {
      layout = _zs_canvas_create_layout (self, font, text);
      if (scale != 1)
        {
          PangoFontDescription *desc = pango_font_description_copy (pango_layout_get_font_description (layout));

          pango_font_description_set_size (desc, pango_font_description_get_size (desc) * scale);
          pango_layout_set_font_description (layout, desc);
          pango_font_description_free (desc);
        }
      self->live_texts->pdata[slot] = layout;
    }
  else if (g_strcmp0 (pango_layout_get_text (layout), text) != 0)
    pango_layout_set_text (layout, text, -1);
  return layout;
}

/* The live view's own labels: larger in presentation mode. */
static PangoLayout *
slot_text (ZsCanvas   *self,
           guint       slot,
           const char *font,
           const char *text)
{
  return slot_layout (self, slot, font, text,
                      zs_canvas_get_presentation (self) ? ZS_CANVAS_PRESENT_TEXT_SCALE : 1);
}

/* A card's text as the static scene draws it, to measure around it. */
static PangoLayout *
card_text (ZsCanvas   *self,
           guint       slot,
           const char *font,
           const char *text)
{
  return slot_layout (self, slot, font, text, 1);
}

static guint
link_slot (guint link,
           guint kind)
{
  return link * N_LINK_SLOTS + kind;
}

static guint
node_slot (ZsCanvas *self,
           guint     node,
           guint     kind)
{
  return zs_live_model_get_n_links (self->live_model) * N_LINK_SLOTS + node * N_NODE_SLOTS + kind;
}

/* A socket's outside chip; `socket` indexes the snapshot's sockets[]. */
static guint
socket_slot (ZsCanvas *self,
             guint     socket)
{
  return zs_live_model_get_n_links (self->live_model) * N_LINK_SLOTS +
         zs_live_model_get_n_nodes (self->live_model) * N_NODE_SLOTS + socket;
}

static graphene_size_t
layout_size (PangoLayout *layout)
{
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  return GRAPHENE_SIZE_INIT (w, h);
}

static void
show_layout (cairo_t     *cr,
             PangoLayout *layout,
             double       x,
             double       y,
             const Rgb   *color,
             double       alpha)
{
  _zs_canvas_set_color (cr, color, alpha);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

/* A text in a white pill with a coloured outline, in `box`. */
static void
draw_pill_text (cairo_t               *cr,
                PangoLayout           *layout,
                const graphene_rect_t *box,
                const Rgb             *text_color,
                const Rgb             *outline)
{
  _zs_canvas_rounded_rect (cr, box, box->size.height / 2);
  _zs_canvas_set_color (cr, &white, 0.94);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, outline, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  show_layout (cr, layout, box->origin.x + 7, box->origin.y + 2, text_color, 1);
}

/* "3.2 msg/s", "450 msg/s", "12.3 k/s", "1.2 M/s" */
static void
format_rate (char   *buffer,
             gsize   size,
             double  rate)
{
  if (rate < 0.05)
    g_snprintf (buffer, size, _("0 msg/s"));
  else if (rate < 10)
    g_snprintf (buffer, size, _("%.1f msg/s"), rate);
  else if (rate < 1000)
    g_snprintf (buffer, size, _("%.0f msg/s"), rate);
  else if (rate < 1e6)
    g_snprintf (buffer, size, _("%.1f k/s"), rate / 1e3);
  else
    g_snprintf (buffer, size, _("%.1f M/s"), rate / 1e6);
}

/* ---- link geometry ---------------------------------------------------------- */

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

/* Cumulative lengths along the curve, so that dots move at an even speed. */
typedef struct {
  double lengths[ARC_STEPS + 1];
  double total;
} Arc;

static void
arc_init (Arc                *arc,
          const ZsLinkLayout *l)
{
  graphene_point_t prev = l->from;

  arc->lengths[0] = 0;
  for (guint i = 1; i <= ARC_STEPS; i++)
    {
      graphene_point_t p = _zs_canvas_bezier_point (l, (double) i / ARC_STEPS);

      arc->lengths[i] = arc->lengths[i - 1] + hypot (p.x - prev.x, p.y - prev.y);
      prev = p;
    }
  arc->total = MAX (arc->lengths[ARC_STEPS], 1e-6);
}

/* The curve's t at a fraction of its length, from `from` (direction 0,
 * connecting socket -> binding socket) or from `to` (direction 1). */
static double
arc_t (const Arc *arc,
       double     fraction,
       guint      direction)
{
  double s = CLAMP (direction == 0 ? fraction : 1 - fraction, 0, 1) * arc->total;
  guint i = 1;

  while (i < ARC_STEPS && arc->lengths[i] < s)
    i++;
  {
    double a = arc->lengths[i - 1], b = arc->lengths[i];
    double f = b > a ? (s - a) / (b - a) : 0;

    return (i - 1 + f) / ARC_STEPS;
  }
}

static gboolean
overlaps_a_card (ZsCanvas              *self,
                 const graphene_rect_t *rect)
{
  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      const ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);

      if (graphene_rect_intersection (rect, &n->rect, NULL))
        return TRUE;
    }
  return FALSE;
}

/* ---- which way messages go ---------------------------------------------------- */

typedef struct {
  gboolean dir[2];   /* directions drawn: 0 connecting -> binding, 1 back */
  guint    main;     /* the dominant flow: its receiver holds the queue */
} Flow;

/* The live model gives one combined rate per link, not one per direction.
 * A one-way link (PUB -> SUB, PUSH -> PULL) is simple. On a two-way link
 * (REQ/REP, DEALER/ROUTER, PAIR) a direction is drawn when its sender node
 * has sent and its receiver node has received; node counters add up all
 * of a node's links, so this tells which flows carry traffic, not how much.
 * The queue goes to the receiver of the dominant flow. */
static Flow
link_flow (ZsCanvas     *self,
           const ZsLink *link)
{
  const ZsSnapshot *s = self->live_snapshot;
  Flow flow = { { link->to_bind, link->to_connect }, link->to_bind ? 0 : 1 };
  guint64 there, back;

  if (!(link->to_bind && link->to_connect))
    return flow;

  there = MIN (s->nodes[link->connect_node].sent, s->nodes[link->bind_node].received);
  back = MIN (s->nodes[link->bind_node].sent, s->nodes[link->connect_node].received);
  flow.dir[0] = there > 0 || back == 0;
  flow.dir[1] = back > 0;
  flow.main = back > there ? 1 : 0;
  return flow;
}

/* ---- the flow layer: dots, flashes, waiting links ------------------------------- */

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
  double t = arc_t (arc, fraction, direction);
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
      const float *dots = zs_live_model_get_link_dots (self->live_model, l->index, &n_dots);
      guint64 first_serial = live->dots_spawned - n_dots;
      double last_drawn = -1;

      /* One dot, one message. On a two-way link, messages alternate
       * between the flows (request, reply, ...). */
      for (guint i = n_dots; i-- > 0;)
        {
          guint direction = flow->main;

          if (lanes)
            direction = (first_serial + i) % 2 == 0 ? 0 : 1;
          else if (!flow->dir[direction])
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
  if (live->waiting && run_is_on (self))
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
           GPtrArray          *links,
           const ZsLinkLayout *l)
{
  const ZsLiveLink *live = zs_live_model_get_link (self->live_model, l->index);
  const Rgb *color = _zs_canvas_socket_color (l->bind_type);
  Flow flow = link_flow (self, g_ptr_array_index (links, l->index));
  Arc arc;

  arc_init (&arc, l);
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

      if (l->index < links->len)
        flow_link (self, &sink, links, l);
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

/* ---- the overlay layer: labels, queues, drops, node states ----------------------- */

static const Rgb *
fill_color (const ZsLiveLink *live)
{
  if (live->fill_unbounded)
    return &unbounded_blue;
  switch (live->fill_level)
    {
    case ZS_FILL_LEVEL_FULL:
      return &full_red;
    case ZS_FILL_LEVEL_NEAR:
      return &near_amber;
    case ZS_FILL_LEVEL_OK:
    default:
      return &ok_green;
    }
}

/* What the overlay already covers this frame, so that labels do not pile
 * up: a fixed array, nothing allocated. */
#define MAX_PLACED 96

typedef struct {
  graphene_rect_t rects[MAX_PLACED];
  guint           n;
} Placed;

static void
placed_add (Placed                *placed,
            const graphene_rect_t *rect)
{
  if (placed->n < MAX_PLACED)
    placed->rects[placed->n++] = *rect;
}

static gboolean
is_free (ZsCanvas              *self,
         const Placed          *placed,
         const graphene_rect_t *rect)
{
  if (overlaps_a_card (self, rect))
    return FALSE;
  for (guint i = 0; placed != NULL && i < placed->n; i++)
    if (graphene_rect_intersection (rect, &placed->rects[i], NULL))
      return FALSE;
  return TRUE;
}

/* Where a box of `size` goes: near the receiving end of the dominant flow,
 * above or below the curve, wherever it hides nothing (no card, and none
 * of `placed` unless it is NULL); next to the curve first, then further
 * out (a leader line joins it then). `anchor` receives the point on the
 * curve. FALSE if no spot is free. */
static gboolean
place_box (ZsCanvas           *self,
           const Placed       *placed,
           const ZsLinkLayout *l,
           const Arc          *arc,
           const Flow         *flow,
           graphene_size_t     size,
           graphene_rect_t    *box,
           graphene_point_t   *anchor)
{
  static const double where[] = { 0.8, 0.7, 0.62, 0.88, 0.5, 0.4 };
  static const double gaps[] = { 9, 40, 80, 130 };

  /* Above or below the curve first; beside it on a short, steep link. */
  for (guint g = 0; g < G_N_ELEMENTS (gaps); g++)
    for (guint sides = 0; sides < 4; sides += 2)
      for (guint i = 0; i < G_N_ELEMENTS (where); i++)
        {
          graphene_point_t p = _zs_canvas_bezier_point (l, arc_t (arc, where[i], flow->main));
          double gap = gaps[g];

          for (guint side = sides; side < sides + 2; side++)
            {
              double x = side == 2 ? p.x - size.width - gap : side == 3 ? p.x + gap : p.x - size.width / 2;
              double y = side == 0 ? p.y - size.height - gap : side == 1 ? p.y + gap : p.y - size.height / 2;

              *box = GRAPHENE_RECT_INIT (x, y, size.width, size.height);
              *anchor = p;
              if (is_free (self, placed, box))
                return TRUE;
            }
        }
  *anchor = _zs_canvas_bezier_point (l, arc_t (arc, where[0], flow->main));
  return FALSE;
}

/* A pill for `layout`: centred on (cx, top) if that is free, else
 * wherever along the link it hides nothing (`anchor`: where on the link).
 * FALSE if nowhere: then it is not drawn, and the link's tooltip tells it. */
static gboolean
place_pill (ZsCanvas           *self,
            const Placed       *placed,
            const ZsLinkLayout *l,
            const Arc          *arc,
            const Flow         *flow,
            PangoLayout        *layout,
            double              cx,
            double              top,
            graphene_rect_t    *box,
            graphene_point_t   *anchor)
{
  graphene_size_t size = layout_size (layout);

  size.width += 14;
  size.height += 4;
  *box = GRAPHENE_RECT_INIT (cx - size.width / 2, top, size.width, size.height);
  *anchor = GRAPHENE_POINT_INIT (cx, top);
  return is_free (self, placed, box) ||
         place_box (self, placed, l, arc, flow, size, box, anchor);
}

/* A thin line from the link to a label placed away from it. */
static void
draw_leader (cairo_t                *cr,
             const graphene_point_t *anchor,
             const graphene_rect_t  *box,
             const Rgb              *color)
{
  double x = CLAMP (anchor->x, box->origin.x, box->origin.x + box->size.width);
  double y = CLAMP (anchor->y, box->origin.y, box->origin.y + box->size.height);

  if (hypot (x - anchor->x, y - anchor->y) <= 12)
    return;
  cairo_new_path (cr);
  cairo_move_to (cr, anchor->x, anchor->y);
  cairo_line_to (cr, x, y);
  _zs_canvas_set_color (cr, color, 0.6);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
draw_bar (cairo_t               *cr,
          const graphene_rect_t *bar,
          const ZsLiveLink      *live)
{
  graphene_rect_t filled = *bar;

  _zs_canvas_rounded_rect (cr, bar, 3);
  _zs_canvas_set_color (cr, &white, 1);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, &ink, 0.45);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  filled.size.width = MAX (live->in_flight > 0 ? 3 : 0, bar->size.width * live->fill);
  if (filled.size.width > 0)
    {
      _zs_canvas_rounded_rect (cr, &filled, 3);
      _zs_canvas_set_color (cr, fill_color (live), 1);
      cairo_fill (cr);
    }
}

static void
draw_drop_burst (cairo_t                *cr,
                 const graphene_point_t *at,
                 double                  burst)
{
  if (burst <= 0.01)
    return;
  cairo_new_path (cr);
  cairo_arc (cr, at->x, at->y, 10 + 38 * (1 - burst), 0, 2 * G_PI);
  _zs_canvas_set_color (cr, &full_red, 0.22 * burst);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, &full_red, burst);
  cairo_set_line_width (cr, 4);
  cairo_stroke (cr);
}

/* A small queue chip: "7 / 2000" over its bar, for an empty queue or a
 * crowded spot; never a bare box while text is shown. */
static graphene_size_t
compact_queue_size (PangoLayout *numbers)
{
  if (numbers == NULL)
    return GRAPHENE_SIZE_INIT (44, QUEUE_BAR_H);
  return GRAPHENE_SIZE_INIT (MAX (layout_size (numbers).width + 10, 44),
                             layout_size (numbers).height + QUEUE_BAR_H + 6);
}

static void
draw_compact_queue (ZsCanvas              *self,
                    cairo_t               *cr,
                    PangoLayout           *numbers,
                    const graphene_rect_t *box,
                    const ZsLiveLink      *live)
{
  graphene_rect_t bar;

  self->live_drawn_queues++;
  if (numbers == NULL)
    {
      draw_bar (cr, box, live);
      return;
    }
  self->live_drawn_queue_numbers++;
  if (live->drops_total > 0)
    self->live_drawn_drop_labels++;
  _zs_canvas_rounded_rect (cr, box, 4);
  _zs_canvas_set_color (cr, &white, 0.92);
  cairo_fill (cr);
  show_layout (cr, numbers, box->origin.x + 5, box->origin.y + 1,
               live->fill_level == ZS_FILL_LEVEL_OK || live->fill_unbounded ? &ink : fill_color (live), 1);
  bar = GRAPHENE_RECT_INIT (box->origin.x + 5, box->origin.y + box->size.height - QUEUE_BAR_H - 3,
                            box->size.width - 10, QUEUE_BAR_H);
  draw_bar (cr, &bar, live);
}

/* The queue: "queue 7 / 2000" over its bar, and "✕ 8 dropped" once the HWM
 * dropped some. An empty queue without drops, or one with no room for all
 * that, is a small chip with its numbers. */
static void
draw_queue (ZsCanvas           *self,
            cairo_t            *cr,
            Placed             *placed,
            const ZsLinkLayout *l,
            const Arc          *arc,
            const Flow         *flow,
            const ZsLiveLink   *live,
            gboolean            text)
{
  graphene_rect_t *hot = &g_array_index (self->live_hot, graphene_rect_t, l->index);
  gboolean full = text && (live->in_flight > 0 || live->drops_total > 0);
  PangoLayout *queue = NULL, *drops = NULL, *numbers = NULL;
  graphene_size_t queue_size = { 0 }, drops_size = { 0 }, size;
  graphene_rect_t box, bar;
  graphene_point_t anchor;
  gboolean placed_ok;
  char buffer[64];

  if (text)
    {
      if (live->fill_unbounded)
        g_snprintf (buffer, sizeof buffer, "%" PRIu64 " · ∞", live->in_flight);
      else
        g_snprintf (buffer, sizeof buffer, "%" PRIu64 " / %s%" PRIu64,
                    live->in_flight, live->capacity_estimated ? "~" : "", live->capacity);
      /* A crowded chip keeps the drops too: "7 / 2000 ✕ 8". */
      if (live->drops_total > 0)
        g_snprintf (buffer + strlen (buffer), sizeof buffer - strlen (buffer), " ✕ %" PRIu64,
                    live->drops_total);
      numbers = slot_text (self, link_slot (l->index, LINK_SLOT_NUMBERS), FONT_QUEUE, buffer);
    }
  if (full)
    {
      if (live->fill_unbounded)
        /* Translators: a queue with no HWM: "queue 7 · unbounded" */
        g_snprintf (buffer, sizeof buffer, _("queue %" PRIu64 " · unbounded"), live->in_flight);
      else
        /* Translators: messages in flight against SNDHWM + RCVHWM; "~" marks an
         * estimate (tcp and ipc: kernel buffers hold more) */
        g_snprintf (buffer, sizeof buffer, _("queue %" PRIu64 " / %s%" PRIu64),
                    live->in_flight, live->capacity_estimated ? "~" : "", live->capacity);
      queue = slot_text (self, link_slot (l->index, LINK_SLOT_QUEUE), FONT_QUEUE, buffer);
      queue_size = layout_size (queue);
      if (live->drops_total > 0)
        {
          /* Translators: a running count of messages lost at an HWM */
          g_snprintf (buffer, sizeof buffer, _("✕ %" PRIu64 " dropped"), live->drops_total);
          drops = slot_text (self, link_slot (l->index, LINK_SLOT_DROPS), FONT_DROPS, buffer);
          drops_size = layout_size (drops);
        }
      size = GRAPHENE_SIZE_INIT (MAX (MAX (queue_size.width, drops_size.width) + 14, 96),
                                 queue_size.height + QUEUE_BAR_H + 11 +
                                 (drops != NULL ? drops_size.height + 2 : 0));
    }
  else
    size = compact_queue_size (numbers);

  /* Crowded: one chip with the numbers and the drops; where not even that
   * fits, nothing over other labels or cards: the link's tooltip has it. */
  if (full && !place_box (self, placed, l, arc, flow, size, &box, &anchor))
    {
      full = FALSE;
      size = compact_queue_size (numbers);
    }
  placed_ok = full || place_box (self, placed, l, arc, flow, size, &box, &anchor);
  draw_drop_burst (cr, &anchor, live->drop_burst);
  if (!placed_ok)
    return;
  draw_leader (cr, &anchor, &box, fill_color (live));
  placed_add (placed, &box);
  *hot = box;

  if (!full)
    {
      draw_compact_queue (self, cr, numbers, &box, live);
      return;
    }
  self->live_drawn_queues++;
  self->live_drawn_queue_numbers++;

  _zs_canvas_rounded_rect (cr, &box, 6);
  _zs_canvas_set_color (cr, &white, 0.96);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, drops != NULL ? &full_red : fill_color (live), 1);
  cairo_set_line_width (cr, drops != NULL ? 2 : 1.5);
  cairo_stroke (cr);
  show_layout (cr, queue, box.origin.x + 7, box.origin.y + 3,
               live->fill_level == ZS_FILL_LEVEL_OK || live->fill_unbounded ? &ink : fill_color (live), 1);
  bar = GRAPHENE_RECT_INIT (box.origin.x + 7, box.origin.y + 5 + queue_size.height,
                            box.size.width - 14, QUEUE_BAR_H);
  draw_bar (cr, &bar, live);
  if (drops != NULL)
    {
      show_layout (cr, drops, box.origin.x + 7, bar.origin.y + bar.size.height + 3, &full_red, 1);
      self->live_drawn_drop_labels++;
    }
}

/* "Label: value", a line of the final figures; "~" marks an estimate. */
static void
append_figure (char       *buffer,
               gsize       size,
               const char *label,
               guint64     value,
               gboolean    estimated)
{
  gsize len = strlen (buffer);

  g_snprintf (buffer + len, size - len, "%s%s: %s%'" PRIu64, len > 0 ? "\n" : "",
              label, estimated ? "~" : "", value);
}

/* After the run, where the queue was: the link's exact final counts, which
 * add up: sent = received + dropped + unread (+ in flight, for what a
 * forced shutdown lost). Terms that are 0 are left out. */
/* An external program counts nothing for us: its link says what was handed
 * to it, not what it read. */
static const char *
received_label (const ZsLinkStats *stats)
{
  return stats->to_outside ? _("Handed to the outside program") : _("Received");
}

static void
draw_final_figures (ZsCanvas           *self,
                    cairo_t            *cr,
                    Placed             *placed,
                    const ZsLinkLayout *l,
                    const Arc          *arc,
                    const Flow         *flow,
                    const ZsLinkStats  *stats)
{
  graphene_rect_t *hot = &g_array_index (self->live_hot, graphene_rect_t, l->index);
  const Rgb *outline = stats->dropped > 0 ? &full_red : _zs_canvas_socket_color (l->bind_type);
  char buffer[256] = "";
  graphene_point_t anchor;
  graphene_rect_t box;
  graphene_size_t size;
  PangoLayout *layout;

  append_figure (buffer, sizeof buffer, _("Sent"), stats->sent, stats->sent_estimated);
  append_figure (buffer, sizeof buffer, received_label (stats), stats->received, FALSE);
  if (stats->dropped > 0)
    append_figure (buffer, sizeof buffer, _("Dropped"), stats->dropped, stats->dropped_estimated);
  if (stats->unread > 0)
    append_figure (buffer, sizeof buffer, _("Unread"), stats->unread, FALSE);
  if (stats->in_flight > 0)
    append_figure (buffer, sizeof buffer, _("In flight"), stats->in_flight, FALSE);
  layout = slot_text (self, link_slot (l->index, LINK_SLOT_FIGURES), FONT_QUEUE, buffer);
  size = layout_size (layout);
  size.width += 14;
  size.height += 6;
  /* Crowded: not drawn, the link's tooltip has the figures. */
  if (!place_box (self, placed, l, arc, flow, size, &box, &anchor))
    return;
  draw_leader (cr, &anchor, &box, outline);
  placed_add (placed, &box);
  *hot = box;

  _zs_canvas_rounded_rect (cr, &box, 6);
  _zs_canvas_set_color (cr, &white, 0.96);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, outline, 1);
  cairo_set_line_width (cr, stats->dropped > 0 ? 2 : 1.5);
  cairo_stroke (cr);
  show_layout (cr, layout, box.origin.x + 7, box.origin.y + 3, &ink, 1);
  if (stats->dropped > 0)
    self->live_drawn_drop_labels++;
}

/* An amber pause glyph and "blocked" at the sender's end. */
static void
draw_blocked (ZsCanvas           *self,
              cairo_t            *cr,
              Placed             *placed,
              const ZsLinkLayout *l,
              const Arc          *arc,
              const Flow         *flow,
              gboolean            text)
{
  graphene_point_t p = _zs_canvas_bezier_point (l, arc_t (arc, 0.14, flow->main));
  graphene_rect_t box;
  graphene_point_t at;
  PangoLayout *layout;
  double r = 12;

  cairo_new_path (cr);
  cairo_arc (cr, p.x, p.y, r, 0, 2 * G_PI);
  _zs_canvas_set_color (cr, &near_amber, 1);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, &white, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  _zs_canvas_set_color (cr, &white, 1);
  cairo_rectangle (cr, p.x - 5, p.y - 6, 3.5, 12);
  cairo_rectangle (cr, p.x + 1.5, p.y - 6, 3.5, 12);
  cairo_fill (cr);
  if (!text)
    return;
  layout = slot_text (self, link_slot (l->index, LINK_SLOT_STATE), FONT_QUEUE, _("blocked"));
  if (!place_pill (self, placed, l, arc, flow, layout, p.x, p.y + r + 4, &box, &at))
    return;
  draw_leader (cr, &at, &box, &near_amber);
  draw_pill_text (cr, layout, &box, &ink, &near_amber);
  placed_add (placed, &box);
}

static void
draw_link_overlay (ZsCanvas           *self,
                   cairo_t            *cr,
                   Placed             *placed,
                   const ZsLinkLayout *l,
                   const ZsLink       *link)
{
  const ZsLiveLink *live = zs_live_model_get_link (self->live_model, l->index);
  const ZsLinkStats *stats = &self->live_snapshot->links[l->index];
  const Rgb *color = _zs_canvas_socket_color (l->bind_type);
  gboolean text = self->zoom >= MIN_TEXT_ZOOM;
  double below = l->label.origin.y + l->label.size.height + 3;
  double cx = l->label.origin.x + l->label.size.width / 2;
  Flow flow = link_flow (self, link);
  PangoLayout *layout;
  graphene_rect_t box;
  graphene_point_t at;
  Arc arc;
  char buffer[64];

  arc_init (&arc, l);
  g_array_index (self->live_hot, graphene_rect_t, l->index) = GRAPHENE_RECT_INIT (0, 0, 0, 0);

  /* Once the run is over, its final figures, and nothing that moves. */
  if (!run_is_on (self))
    {
      if (text && (stats->sent > 0 || stats->received > 0 || stats->dropped > 0))
        draw_final_figures (self, cr, placed, l, &arc, &flow, stats);
      return;
    }

  /* The measured rate under the endpoint label, then "waiting" while a
   * connect waits for its bind; elsewhere along the link if that is taken,
   * in the link's tooltip if nowhere is free. */
  if (text && (stats->received > 0 || live->rate > 0))
    {
      format_rate (buffer, sizeof buffer, live->rate_shown);
      layout = slot_text (self, link_slot (l->index, LINK_SLOT_RATE), FONT_RATE, buffer);
      if (place_pill (self, placed, l, &arc, &flow, layout, cx, below, &box, &at))
        {
          draw_leader (cr, &at, &box, color);
          draw_pill_text (cr, layout, &box, color, color);
          placed_add (placed, &box);
          below = box.origin.y + box.size.height + 3;
        }
    }
  if (text && live->waiting && run_is_on (self))
    {
      layout = slot_text (self, link_slot (l->index, LINK_SLOT_STATE), FONT_QUEUE, _("waiting"));
      if (place_pill (self, placed, l, &arc, &flow, layout, cx, below, &box, &at))
        {
          draw_leader (cr, &at, &box, &slate);
          draw_pill_text (cr, layout, &box, &ink, &slate);
          placed_add (placed, &box);
        }
    }

  if (live->blocked)
    draw_blocked (self, cr, placed, l, &arc, &flow, text);

  /* The queue, once the link is up, so that it can be watched fill. */
  if (live->state == ZS_LINK_STATE_CONNECTED || live->in_flight > 0 || live->drops_total > 0 ||
      stats->sent > 0)
    draw_queue (self, cr, placed, l, &arc, &flow, live, text);
}

static const Rgb *
state_color (ZsNodeState state,
             const Rgb **text)
{
  *text = &white;
  switch (state)
    {
    case ZS_NODE_STATE_RUNNING:
      return &ok_green;
    case ZS_NODE_STATE_BLOCKED:
      *text = &ink;
      return &near_amber;
    case ZS_NODE_STATE_DONE:
      return &done_blue;
    case ZS_NODE_STATE_ERROR:
      return &full_red;
    case ZS_NODE_STATE_STARTING:
    case ZS_NODE_STATE_WAITING:
    case ZS_NODE_STATE_PAUSED:
    case ZS_NODE_STATE_STOPPED:
    case ZS_NODE_STATE_IDLE:
    default:
      return &slate;
    }
}

static void
draw_sparkline (ZsCanvas              *self,
                cairo_t               *cr,
                guint                  node,
                const graphene_rect_t *box)
{
  guint n = zs_live_model_get_node_sparkline (self->live_model, node, self->live_sparkline,
                                              ZS_LIVE_SPARKLINE_LENGTH, NULL);
  double step = box->size.width / (ZS_LIVE_SPARKLINE_LENGTH - 1);
  double x0 = box->origin.x + box->size.width - step * (n > 0 ? n - 1 : 0);
  double bottom = box->origin.y + box->size.height;
  double h = box->size.height - 3;

  _zs_canvas_rounded_rect (cr, box, 3);
  _zs_canvas_set_color (cr, &white, 0.2);
  cairo_fill (cr);
  if (n < 2)
    return;
  cairo_move_to (cr, x0, bottom);
  for (guint i = 0; i < n; i++)
    cairo_line_to (cr, x0 + step * i, bottom - 1 - h * self->live_sparkline[i]);
  cairo_line_to (cr, x0 + step * (n - 1), bottom);
  cairo_close_path (cr);
  _zs_canvas_set_color (cr, &white, 0.35);
  cairo_fill (cr);
  for (guint i = 0; i < n; i++)
    cairo_line_to (cr, x0 + step * i, bottom - 1 - h * self->live_sparkline[i]);
  _zs_canvas_set_color (cr, &white, 1);
  cairo_set_line_width (cr, 1.8);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke (cr);
}

/* ---- traffic with outside programs ------------------------------------------- */

static gboolean
has_outside_traffic (const ZsOutsideStats *o)
{
  return o->outside || o->sent > 0 || o->received > 0;
}

/* "outside: 3 peers · 10 sent · 10 received", "~" on an estimate: the
 * chip's text and the tooltip's line. */
static void
format_outside (char                 *buffer,
                gsize                 size,
                const ZsOutsideStats *o)
{
  /* Translators: a socket's traffic with programs outside zmqscope; the
   * %s is "~" when the count sent is an estimate, else empty. */
  g_snprintf (buffer, size, ngettext ("outside: %'" PRIu64 " peer · %s%'" PRIu64 " sent · %'" PRIu64 " received",
                                      "outside: %'" PRIu64 " peers · %s%'" PRIu64 " sent · %'" PRIu64 " received",
                                      o->peers),
              o->peers, o->sent_estimated ? "~" : "", o->sent, o->received);
}

/* What the links of an external program's socket (or of all its sockets,
 * `socket` -1) carried to it and from it: it runs nothing of ours. */
typedef struct {
  guint64  to_it;
  guint64  from_it;
  gboolean estimated;   /* to_it: a round-robin sender's share */
} ExternalTraffic;

static ExternalTraffic
external_traffic (ZsCanvas *self,
                  guint     node,
                  int       socket)
{
  GPtrArray *links = zs_topology_get_links (zs_live_model_get_topology (self->live_model));
  ExternalTraffic t = { 0 };

  for (guint l = 0; l < links->len; l++)
    {
      const ZsLink *link = g_ptr_array_index (links, l);
      const ZsLinkStats *ls = &self->live_snapshot->links[l];
      gboolean at_bind = link->bind_node == node && (socket < 0 || link->bind_socket == (guint) socket);
      gboolean at_connect = link->connect_node == node && (socket < 0 || link->connect_socket == (guint) socket);

      if ((at_bind && link->to_bind) || (at_connect && link->to_connect))
        {
          t.to_it += ls->sent;
          t.estimated |= ls->sent_estimated;
        }
      if ((at_bind && link->to_connect) || (at_connect && link->to_bind))
        t.from_it += ls->received;
    }
  return t;
}

static gboolean
is_on_screen (ZsCanvas              *self,
              const graphene_rect_t *rect)
{
  graphene_point_t top_left, bottom_right;
  graphene_rect_t view;

  _zs_canvas_to_model (self, 0, 0, &top_left);
  _zs_canvas_to_model (self, gtk_widget_get_width (GTK_WIDGET (self)),
                       gtk_widget_get_height (GTK_WIDGET (self)), &bottom_right);
  graphene_rect_init (&view, top_left.x, top_left.y, bottom_right.x - top_left.x, bottom_right.y - top_left.y);
  return graphene_rect_contains_rect (&view, rect);
}

/* The chip beside a socket's port: outside the card, on the side where it
 * hides nothing. */
static void
draw_port_chip (ZsCanvas           *self,
                cairo_t            *cr,
                Placed             *placed,
                guint               slot,
                const ZsNodeLayout *n,
                guint               socket,
                const char         *text)
{
  const ZsSocketLayout *port;
  const graphene_rect_t *r = &n->rect;
  PangoLayout *layout;
  graphene_size_t size;
  graphene_rect_t spots[3], box;
  double cy;

  if (socket >= n->sockets->len)
    return;
  port = &g_array_index (n->sockets, ZsSocketLayout, socket);
  layout = slot_text (self, slot, FONT_RESULT, text);
  size = layout_size (layout);
  size.width += 14;
  size.height += 4;
  cy = port->badge.origin.y + port->badge.size.height / 2;
  /* Right of the port, left of it, or under the card: the first spot
   * that hides nothing and is on screen. */
  graphene_rect_init (&spots[0], r->origin.x + r->size.width + 8, cy - size.height / 2, size.width, size.height);
  graphene_rect_init (&spots[1], r->origin.x - size.width - 8, cy - size.height / 2, size.width, size.height);
  graphene_rect_init (&spots[2], r->origin.x, r->origin.y + r->size.height + 5 + socket * (size.height + 3),
                      size.width, size.height);
  box = spots[0];
  for (guint i = 0; i < G_N_ELEMENTS (spots); i++)
    if (is_free (self, placed, &spots[i]) && is_on_screen (self, &spots[i]))
      {
        box = spots[i];
        break;
      }
  draw_pill_text (cr, layout, &box, &ink, &slate);
  placed_add (placed, &box);
}

/* A socket of ours: its traffic with outside programs, if any. An
 * external program's socket: what its links carried. */
static void
draw_outside_chips (ZsCanvas           *self,
                    cairo_t            *cr,
                    Placed             *placed,
                    guint               index,
                    const ZsNodeLayout *n)
{
  const ZsSnapshot *s = self->live_snapshot;
  gboolean external = zs_node_is_external (n->node);
  char text[256];

  for (guint i = 0; i < s->n_sockets; i++)
    {
      const ZsOutsideStats *o = &s->sockets[i];

      if (o->node != index)
        continue;
      text[0] = '\0';
      if (external)
        {
          ExternalTraffic t = external_traffic (self, index, (int) o->socket);

          /* Translators: what the links of an external program's socket
           * carried; the %s is "~" when the count is an estimate, else empty. */
          g_snprintf (text, sizeof text, _("%s%'" PRIu64 " to it · %'" PRIu64 " from it"),
                      t.estimated ? "~" : "", t.to_it, t.from_it);
        }
      else if (has_outside_traffic (o))
        format_outside (text, sizeof text, o);
      if (text[0] != '\0')
        draw_port_chip (self, cr, placed, socket_slot (self, i), n, o->socket, text);
    }
}

static void
draw_node_overlay (ZsCanvas           *self,
                   cairo_t            *cr,
                   Placed             *placed,
                   guint               index,
                   const ZsNodeLayout *n)
{
  const ZsLiveNode *live = zs_live_model_get_node (self->live_model, index);
  const graphene_rect_t *r = &n->rect;
  double right = r->origin.x + r->size.width - 10;
  const Rgb *text_color, *color;
  PangoLayout *layout;
  graphene_size_t size, name, role;
  graphene_rect_t pill;
  double spark_w;

  if (self->zoom < MIN_TEXT_ZOOM)
    return;

  name = layout_size (card_text (self, node_slot (self, index, NODE_SLOT_NAME), ZS_CANVAS_FONT_NAME,
                                 zs_node_get_name (n->node)));
  role = layout_size (card_text (self, node_slot (self, index, NODE_SLOT_ROLE), ZS_CANVAS_FONT_ROLE,
                                 zs_role_get_label (zs_node_get_role (n->node))));
  draw_outside_chips (self, cr, placed, index, n);

  /* The state: top right of the header, or above the card if the name
   * leaves no room. */
  color = state_color (live->state, &text_color);
  layout = slot_text (self, node_slot (self, index, NODE_SLOT_STATE), FONT_STATE,
                      zs_node_state_to_string (live->state));
  size = layout_size (layout);
  pill = GRAPHENE_RECT_INIT (right - size.width - 14, r->origin.y + 5, size.width + 14, size.height + 2);
  if (pill.origin.x < r->origin.x + PAD + name.width + 8)
    {
      pill.origin = GRAPHENE_POINT_INIT (r->origin.x + 4, r->origin.y - pill.size.height - 4);
      placed_add (placed, &pill);
    }
  else if (live->state != ZS_NODE_STATE_ERROR && live->state != ZS_NODE_STATE_BLOCKED)
    {
      /* On the coloured header: white, the state's colour as text. */
      text_color = color;
      color = &white;
    }
  _zs_canvas_rounded_rect (cr, &pill, pill.size.height / 2);
  _zs_canvas_set_color (cr, color, 1);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, &white, 1);
  cairo_set_line_width (cr, 1.5);
  cairo_stroke (cr);
  show_layout (cr, layout, pill.origin.x + 7, pill.origin.y + 1, text_color, 1);

  /* The throughput sparkline, on the role's line. */
  spark_w = MIN (SPARK_W, right - (r->origin.x + PAD + role.width + 10));
  if (spark_w >= 32)
    draw_sparkline (self, cr, index,
                    &GRAPHENE_RECT_INIT (right - spark_w, r->origin.y + 24, spark_w, SPARK_H - 2));

  /* What the node printed at its end, or why it failed, under the card. */
  if (live->error != NULL || (live->result != NULL && live->state == ZS_NODE_STATE_DONE))
    {
      gboolean error = live->error != NULL;
      graphene_rect_t box;

      layout = slot_text (self, node_slot (self, index, NODE_SLOT_RESULT), FONT_RESULT,
                          error ? live->error : live->result);
      pango_layout_set_width (layout, (int) (MAX (r->size.width, 240) * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      size = layout_size (layout);
      box = GRAPHENE_RECT_INIT (r->origin.x, r->origin.y + r->size.height + 5, size.width, size.height);
      show_layout (cr, layout, box.origin.x, box.origin.y, error ? &full_red : &ink, 1);
      placed_add (placed, &box);
    }
}

static gboolean
link_is_busy (const ZsLiveLink *live)
{
  return live->in_flight > 0 || live->drops_total > 0 || live->blocked;
}

/* On screen (`snapshot` set), each card's and each link's overlay is a
 * node of its own, bounded by what it drew. */
static cairo_t *
begin_element (ZsCanvas    *self,
               cairo_t     *cr,
               GtkSnapshot *snapshot)
{
  return snapshot != NULL ? _zs_canvas_begin_record (self) : cr;
}

static void
end_element (ZsCanvas    *self,
             cairo_t     *cr,
             GtkSnapshot *snapshot)
{
  GskRenderNode *node;

  if (snapshot == NULL)
    return;
  node = _zs_canvas_end_record (self, cr);
  if (node != NULL)
    {
      gtk_snapshot_append_node (snapshot, node);
      gsk_render_node_unref (node);
    }
}

static void
overlay (ZsCanvas    *self,
         cairo_t     *cr,
         GtkSnapshot *snapshot)
{
  Placed placed = { .n = 0 };
  guint first_link_label;
  GPtrArray *links;

  self->live_drawn_drop_labels = 0;
  self->live_drawn_queues = 0;
  self->live_drawn_queue_numbers = 0;
  if (self->live_model == NULL)
    return;
  links = zs_topology_get_links (zs_live_model_get_topology (self->live_model));

  for (guint i = 0; i < self->node_layouts->len && i < zs_live_model_get_n_nodes (self->live_model); i++)
    {
      cairo_t *element = begin_element (self, cr, snapshot);

      draw_node_overlay (self, element, &placed, i, g_ptr_array_index (self->node_layouts, i));
      end_element (self, element, snapshot);
    }
  first_link_label = placed.n;
  for (guint i = 0; i < self->link_layouts->len; i++)
    placed_add (&placed, &((ZsLinkLayout *) g_ptr_array_index (self->link_layouts, i))->label);

  /* Busy links first: their queues get the free spots. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->link_layouts->len; i++)
      {
        const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);

        if (l->index < links->len &&
            link_is_busy (zs_live_model_get_link (self->live_model, l->index)) == (pass == 0))
          {
            cairo_t *element = begin_element (self, cr, snapshot);

            draw_link_overlay (self, element, &placed, l, g_ptr_array_index (links, l->index));
            end_element (self, element, snapshot);
          }
      }
  g_array_set_size (self->live_labels, 0);
  for (guint i = first_link_label; i < placed.n; i++)
    if (placed.rects[i].size.width > 0)
      g_array_append_val (self->live_labels, placed.rects[i]);
}

const GArray *
_zs_canvas_live_get_label_rects (ZsCanvas *self)
{
  return self->live_labels;
}

static void
layer_overlay (ZsCanvas *self,
               cairo_t  *cr,
               gboolean  exporting,
               gpointer  user_data)
{
  overlay (self, cr, NULL);
}

static void
snapshot_overlay (ZsCanvas    *self,
                  GtkSnapshot *snapshot,
                  gpointer     user_data)
{
  overlay (self, NULL, snapshot);
}

/* ---- tooltips ---------------------------------------------------------------- */

static void
append_count (GString    *text,
              const char *label,
              guint64     value,
              gboolean    estimated)
{
  g_string_append_printf (text, "\n%s: %'" G_GUINT64_FORMAT "%s", label, value,
                          estimated ? _(" (estimate)") : "");
}

/* "worker-1 — running, 12.3 k/s"; once the run is over, no rate. */
static void
append_headline (ZsCanvas   *self,
                 GString    *text,
                 const char *name,
                 const char *state,
                 const char *rate)
{
  if (run_is_on (self))
    /* Translators: "tcp://localhost:5556 — connected, 12.3 k/s" */
    g_string_append_printf (text, _("%s — %s, %s"), name, state, rate);
  else
    g_string_append_printf (text, "%s — %s", name, state);
}

/* "push runs untraced: <why>; figures on its links are estimates", or
 * NULL. `outside_now`: an outside program connected to it during the run,
 * which turns tracing off too. */
static char *
describe_untraced (ZsTopology *topology,
                   guint       node,
                   guint       socket,
                   gboolean    outside_now)
{
  g_autofree char *reason = zs_engine_untraced_reason (topology, node, socket);
  ZsSocketSpec *spec = zs_node_get_socket (zs_topology_get_node (topology, node), socket);

  if (reason == NULL && !outside_now)
    return NULL;
  /* Translators: "push runs untraced: it is linked to “collector”, an
   * outside program; …" */
  return g_strdup_printf (_("%s runs untraced: %s; it sends exact payloads, and figures on its links are estimates"),
                          zs_socket_spec_get_name (spec),
                          reason != NULL ? reason : _("an outside program connected to it"));
}

/* A link's ends that run untraced: why, and that its figures are estimates. */
static void
append_link_untraced (ZsCanvas     *self,
                      GString      *text,
                      const ZsLink *link)
{
  ZsTopology *topology = zs_live_model_get_topology (self->live_model);
  const ZsSnapshot *s = self->live_snapshot;

  for (guint i = 0; i < s->n_sockets; i++)
    {
      const ZsOutsideStats *o = &s->sockets[i];
      g_autofree char *untraced = NULL;

      if ((o->node == link->connect_node && o->socket == link->connect_socket) ||
          (o->node == link->bind_node && o->socket == link->bind_socket))
        untraced = describe_untraced (topology, o->node, o->socket, o->outside);
      if (untraced != NULL)
        g_string_append_printf (text, "\n%s", untraced);
    }
}

/* Each socket's traffic with outside programs, and why it runs untraced. */
static void
append_sockets_outside (ZsCanvas *self,
                        GString  *text,
                        guint     index)
{
  ZsTopology *topology = zs_live_model_get_topology (self->live_model);
  const ZsSnapshot *s = self->live_snapshot;
  ZsNode *node = zs_topology_get_node (topology, index);

  for (guint i = 0; i < s->n_sockets; i++)
    {
      const ZsOutsideStats *o = &s->sockets[i];
      g_autofree char *untraced = NULL;
      char outside[256];

      if (o->node != index)
        continue;
      if (has_outside_traffic (o))
        {
          format_outside (outside, sizeof outside, o);
          g_string_append_printf (text, "\n%s: %s", zs_socket_spec_get_name (zs_node_get_socket (node, o->socket)),
                                  outside);
        }
      untraced = describe_untraced (topology, index, o->socket, o->outside);
      if (untraced != NULL)
        g_string_append_printf (text, "\n%s", untraced);
    }
}

static char *
link_tooltip (ZsCanvas *self,
              guint     index)
{
  ZsTopology *topology = zs_live_model_get_topology (self->live_model);
  const ZsLink *link = g_ptr_array_index (zs_topology_get_links (topology), index);
  const ZsLinkStats *s = &self->live_snapshot->links[index];
  const ZsLiveLink *live = zs_live_model_get_link (self->live_model, index);
  GString *text = g_string_new (NULL);
  char rate[64];

  format_rate (rate, sizeof rate, live->rate_shown);
  append_headline (self, text, link->connect_endpoint, zs_link_state_to_string (s->state), rate);
  append_count (text, _("Sent"), s->sent, s->sent_estimated);
  append_count (text, received_label (s), s->received, FALSE);
  append_count (text, _("Dropped"), s->dropped, s->dropped_estimated);
  if (s->missed > 0)
    g_string_append_printf (text, _(" (%'" PRIu64 " missed before joining)"), s->missed);
  append_count (text, _("Unread"), s->unread, FALSE);
  append_count (text, _("In flight"), s->in_flight, FALSE);
  if (s->capacity == 0)
    g_string_append_printf (text, "\n%s", _("Capacity: unbounded (no HWM)"));
  else
    {
      append_count (text, _("Capacity (SNDHWM + RCVHWM)"), s->capacity, FALSE);
      if (s->capacity_estimated)
        g_string_append (text, _(" ~ (estimate: tcp buffers hold more)"));
    }
  if (s->multipart > 0)
    append_count (text, _("Multipart"), s->multipart, FALSE);
  g_string_append_printf (text, _("\nConnects: %'" PRIu64 " · disconnects: %'" PRIu64
                                  " · retries: %'" PRIu64),
                          s->connects, s->disconnects, s->retries);
  if (live->blocked)
    g_string_append_printf (text, "\n%s", _("The sender is blocked at the HWM: it waits, nothing is dropped"));
  append_link_untraced (self, text, link);
  return g_string_free (text, FALSE);
}

static char *
node_tooltip (ZsCanvas *self,
              guint     index)
{
  ZsTopology *topology = zs_live_model_get_topology (self->live_model);
  const ZsNodeStats *s = &self->live_snapshot->nodes[index];
  const ZsLiveNode *live = zs_live_model_get_node (self->live_model, index);
  GString *text = g_string_new (NULL);
  char rate[64];

  format_rate (rate, sizeof rate, live->rate);
  /* The state its pill shows. */
  append_headline (self, text, zs_node_get_name (zs_topology_get_node (topology, index)),
                   zs_node_state_to_string (live->state), rate);
  if (zs_node_is_external (zs_topology_get_node (topology, index)))
    {
      ExternalTraffic t = external_traffic (self, index, -1);

      /* It runs nothing of ours: what its links carried. */
      append_count (text, _("To it on its links"), t.to_it, t.estimated);
      append_count (text, _("From it on its links"), t.from_it, FALSE);
      return g_string_free (text, FALSE);
    }
  append_count (text, _("Sent"), s->sent, FALSE);
  append_count (text, _("Received"), s->received, FALSE);
  if (s->foreign > 0)
    append_count (text, _("From outside zmqscope"), s->foreign, FALSE);
  if (s->unroutable > 0)
    append_count (text, _("Dropped: no such peer (ROUTER)"), s->unroutable, FALSE);
  append_count (text, _("Progress"), s->done_goal, FALSE);
  if (s->blocked_us > 0)
    g_string_append_printf (text, _("\nBlocked in sends: %.2f s"), s->blocked_us / (double) G_USEC_PER_SEC);
  if (s->result != NULL)
    g_string_append_printf (text, "\n%s", s->result);
  if (s->error != NULL)
    g_string_append_printf (text, _("\nError: %s"), s->error);
  append_sockets_outside (self, text, index);
  return g_string_free (text, FALSE);
}

char *
zs_canvas_describe_live_node (ZsCanvas *self,
                              guint     node)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);

  if (self->live_model == NULL || node >= zs_live_model_get_n_nodes (self->live_model))
    return NULL;
  return node_tooltip (self, node);
}

char *
zs_canvas_describe_untraced (ZsTopology *topology,
                             guint       node,
                             guint       socket)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);
  g_return_val_if_fail (node < zs_topology_get_n_nodes (topology), NULL);

  return describe_untraced (topology, node, socket, FALSE);
}

char *
zs_canvas_describe_live_link (ZsCanvas *self,
                              guint     link)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);

  if (self->live_model == NULL || link >= zs_live_model_get_n_links (self->live_model))
    return NULL;
  return link_tooltip (self, link);
}

static gboolean
live_query_tooltip (GtkWidget  *widget,
                    int         x,
                    int         y,
                    gboolean    keyboard,
                    GtkTooltip *tooltip)
{
  ZsCanvas *self = ZS_CANVAS (widget);
  g_autofree char *text = NULL;

  if (self->live_model != NULL && !keyboard && self->topology != NULL &&
      self->drag_mode == ZS_DRAG_NONE)
    {
      graphene_point_t p;
      ZsHit hit;

      _zs_canvas_to_model (self, x, y, &p);
      for (guint i = 0; i < self->live_hot->len && text == NULL; i++)
        if (graphene_rect_contains_point (&g_array_index (self->live_hot, graphene_rect_t, i), &p))
          text = link_tooltip (self, i);
      if (text == NULL)
        {
          hit = _zs_canvas_hit_test (self, p.x, p.y);
          if (hit.kind == ZS_HIT_LINK && (guint) hit.link < self->live_hot->len)
            text = link_tooltip (self, hit.link);
          else if ((hit.kind == ZS_HIT_NODE || hit.kind == ZS_HIT_PORT) &&
                   hit.node < zs_live_model_get_n_nodes (self->live_model))
            text = node_tooltip (self, hit.node);
        }
      if (text != NULL)
        {
          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }
  return _zs_canvas_query_tooltip (widget, x, y, keyboard, tooltip);
}

/* ---- following the session ---------------------------------------------------- */

/* The moment shown is one of a run still going: rates, dots, queues; else
 * the run's final figures. */
static gboolean
run_is_on (ZsCanvas *self)
{
  return self->live_snapshot != NULL && self->live_snapshot->running;
}

/* The session took a snapshot: draw it. */
static void
on_session_updated_cb (ZsCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_text (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

/* ---- API ---------------------------------------------------------------------- */

void
_zs_canvas_live_set_session (ZsCanvas     *self,
                             ZsRunSession *session)
{
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, on_session_updated_cb, self);
  g_set_object (&self->session, session);
  self->live_model = NULL;
  self->live_snapshot = NULL;
  g_ptr_array_set_size (self->live_texts, 0);
  g_array_set_size (self->live_hot, 0);
  self->live_drawn_drop_labels = 0;

  if (session != NULL)
    {
      self->live_model = zs_run_session_get_live_model (session);
      self->live_snapshot = zs_run_session_get_snapshot (session);
      g_array_set_size (self->live_hot, zs_live_model_get_n_links (self->live_model));
      memset (self->live_hot->data, 0, sizeof (graphene_rect_t) * self->live_hot->len);
      g_signal_connect_object (session, "updated", G_CALLBACK (on_session_updated_cb), self,
                               G_CONNECT_SWAPPED);
    }
  _zs_canvas_queue_redraw (self);
}

void
_zs_canvas_live_get_drawn_queues (ZsCanvas *self,
                                  guint    *queues,
                                  guint    *with_numbers)
{
  *queues = self->live_drawn_queues;
  *with_numbers = self->live_drawn_queue_numbers;
}

guint
_zs_canvas_live_get_drawn_drop_labels (ZsCanvas *self)
{
  return self->live_drawn_drop_labels;
}

void
_zs_canvas_class_init_live (GtkWidgetClass *widget_class)
{
  widget_class->query_tooltip = live_query_tooltip;
}

void
_zs_canvas_init_live (ZsCanvas *self)
{
  self->live_texts = g_ptr_array_new_with_free_func (clear_text);
  self->live_hot = g_array_new (FALSE, TRUE, sizeof (graphene_rect_t));
  self->live_labels = g_array_new (FALSE, TRUE, sizeof (graphene_rect_t));
  _zs_canvas_add_live_layer (self, LAYER_FLOW, layer_flow, snapshot_flow, NULL);
  _zs_canvas_add_live_layer (self, LAYER_OVERLAY, layer_overlay, snapshot_overlay, NULL);
}

void
_zs_canvas_dispose_live (ZsCanvas *self)
{
  if (self->live_texts != NULL)
    _zs_canvas_live_set_session (self, NULL);
  g_clear_pointer (&self->live_texts, g_ptr_array_unref);
  g_clear_pointer (&self->live_hot, g_array_unref);
  g_clear_pointer (&self->live_labels, g_array_unref);
}
