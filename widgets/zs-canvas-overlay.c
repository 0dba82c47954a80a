/* zs-canvas-overlay.c: the live view's overlay: rates, queues, drops and
 * final figures by the links; states, sparklines, results and outside
 * chips on the cards
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zs-canvas-private.h"

#define MIN_TEXT_ZOOM    0.45 /* below it, labels would be unreadable specks */
#define PAD              12.0
#define SPARK_W          72.0
#define SPARK_H          16.0

#define FONT_RATE   ZS_CANVAS_FONT_RATE
#define FONT_QUEUE  ZS_CANVAS_FONT_QUEUE
#define QUEUE_BAR_H ZS_CANVAS_QUEUE_BAR_H
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
  LINK_SLOT_THROTTLE,   /* through the relay: "delay 200 ms · loss 10 %" */
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
typedef ZsCanvasArc Arc;
typedef ZsCanvasFlow Flow;
typedef ZsCanvasExternalTraffic ExternalTraffic;

static const Rgb ink = { 0.180, 0.176, 0.200 };
static const Rgb white = { 1, 1, 1 };
static const Rgb ok_green = { 0.180, 0.620, 0.290 };
static const Rgb near_amber = { 0.930, 0.560, 0.000 };
static const Rgb full_red = { 0.878, 0.106, 0.141 };
static const Rgb unbounded_blue = { 0.300, 0.420, 0.620 };
static const Rgb slate = { 0.420, 0.430, 0.470 };
static const Rgb done_blue = { 0.110, 0.300, 0.600 };

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

/* A pill's size: its text and a margin. */
static graphene_size_t
pill_size (PangoLayout *layout)
{
  graphene_size_t size = layout_size (layout);

  return GRAPHENE_SIZE_INIT (size.width + 14, size.height + 4);
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

/* A key of what an element of the overlay shows (FNV-1a): the same key,
 * the same drawing, whose node the next frame keeps. */
#define KEY_INIT 14695981039346656037ULL

static guint64
key_bytes (guint64     key,
           const void *data,
           gsize       size)
{
  const guint8 *p = data;

  for (gsize i = 0; i < size; i++)
    key = (key ^ p[i]) * 1099511628211ULL;
  return key;
}

static guint64
key_u64 (guint64 key,
         guint64 value)
{
  return key_bytes (key, &value, sizeof value);
}

static guint64
key_double (guint64 key,
            double  value)
{
  return key_bytes (key, &value, sizeof value);
}

static guint64
key_str (guint64     key,
         const char *text)
{
  return text != NULL ? key_bytes (key, text, strlen (text) + 1) : key_u64 (key, 0);
}

/* What the overlay already covers this frame, so that labels do not pile
 * up: a fixed array, nothing allocated; `key` follows what is in it. */
#define MAX_PLACED 96

typedef struct {
  graphene_rect_t rects[MAX_PLACED];
  guint           n;
  guint64         key;
} Placed;

static void
placed_add (Placed                *placed,
            const graphene_rect_t *rect)
{
  if (placed->n < MAX_PLACED)
    {
      placed->rects[placed->n++] = *rect;
      placed->key = key_bytes (placed->key, rect, sizeof *rect);
    }
}

static gboolean
is_free (ZsCanvas              *self,
         const Placed          *placed,
         const graphene_rect_t *rect)
{
  if (_zs_canvas_covers_a_card (self, rect))
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
          graphene_point_t p = _zs_canvas_bezier_point (l, _zs_canvas_arc_t (arc, where[i], flow->main));
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
  *anchor = _zs_canvas_bezier_point (l, _zs_canvas_arc_t (arc, where[0], flow->main));
  return FALSE;
}

/* A box of `size` on the spot the layout kept for the link's `spot`, on
 * its side nearest the curve, if that is free this frame. */
static gboolean
take_spot (ZsCanvas           *self,
           const Placed       *placed,
           const ZsLinkLayout *l,
           ZsLinkSpot          spot,
           graphene_size_t     size,
           graphene_rect_t    *box,
           graphene_point_t   *anchor)
{
  const graphene_rect_t *s = &l->spots[spot];
  const graphene_point_t *a = &l->spot_anchors[spot];
  double x = s->origin.x + (s->size.width - size.width) / 2;
  double y = s->origin.y + (s->size.height - size.height) / 2;

  if (s->size.width <= 0)
    return FALSE;
  if (a->x >= s->origin.x + s->size.width)
    x = s->origin.x + s->size.width - size.width;
  else if (a->x <= s->origin.x)
    x = s->origin.x;
  if (a->y >= s->origin.y + s->size.height)
    y = s->origin.y + s->size.height - size.height;
  else if (a->y <= s->origin.y)
    y = s->origin.y;
  *box = GRAPHENE_RECT_INIT (x, y, size.width, size.height);
  *anchor = *a;
  return is_free (self, placed, box);
}

/* The link's spot for it, else wherever along the link it hides nothing. */
static gboolean
find_box (ZsCanvas           *self,
          const Placed       *placed,
          const ZsLinkLayout *l,
          ZsLinkSpot          spot,
          const Arc          *arc,
          const Flow         *flow,
          graphene_size_t     size,
          graphene_rect_t    *box,
          graphene_point_t   *anchor)
{
  return take_spot (self, placed, l, spot, size, box, anchor) ||
         place_box (self, placed, l, arc, flow, size, box, anchor);
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
  graphene_size_t size = pill_size (layout);

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
  graphene_rect_t *hot = &g_array_index (self->live_hot, graphene_rect_t, l->run);
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
      numbers = slot_text (self, link_slot (l->run, LINK_SLOT_NUMBERS), FONT_QUEUE, buffer);
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
      queue = slot_text (self, link_slot (l->run, LINK_SLOT_QUEUE), FONT_QUEUE, buffer);
      queue_size = layout_size (queue);
      if (live->drops_total > 0)
        {
          /* Translators: a running count of messages lost at an HWM */
          g_snprintf (buffer, sizeof buffer, _("✕ %" PRIu64 " dropped"), live->drops_total);
          drops = slot_text (self, link_slot (l->run, LINK_SLOT_DROPS), FONT_DROPS, buffer);
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
  if (full && !find_box (self, placed, l, ZS_LINK_SPOT_QUEUE, arc, flow, size, &box, &anchor))
    {
      full = FALSE;
      size = compact_queue_size (numbers);
    }
  placed_ok = full || find_box (self, placed, l, ZS_LINK_SPOT_QUEUE, arc, flow, size, &box, &anchor);
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
static void
draw_final_figures (ZsCanvas           *self,
                    cairo_t            *cr,
                    Placed             *placed,
                    const ZsLinkLayout *l,
                    const Arc          *arc,
                    const Flow         *flow,
                    const ZsLinkStats  *stats)
{
  graphene_rect_t *hot = &g_array_index (self->live_hot, graphene_rect_t, l->run);
  const Rgb *outline = stats->dropped > 0 ? &full_red : _zs_canvas_socket_color (l->bind_type);
  char buffer[256] = "";
  graphene_point_t anchor;
  graphene_rect_t box;
  graphene_size_t size;
  PangoLayout *layout;

  append_figure (buffer, sizeof buffer, _("Sent"), stats->sent, stats->sent_estimated);
  append_figure (buffer, sizeof buffer, _zs_canvas_received_label (stats), stats->received, FALSE);
  if (stats->dropped > 0)
    append_figure (buffer, sizeof buffer, _("Dropped"), stats->dropped, stats->dropped_estimated);
  if (stats->unread > 0)
    append_figure (buffer, sizeof buffer, _("Unread"), stats->unread, FALSE);
  if (stats->lost > 0)
    append_figure (buffer, sizeof buffer, _zs_canvas_lost_label (stats), stats->lost, stats->lost_estimated);
  if (stats->in_flight > 0)
    append_figure (buffer, sizeof buffer, _("In flight"), stats->in_flight, FALSE);
  layout = slot_text (self, link_slot (l->run, LINK_SLOT_FIGURES), FONT_QUEUE, buffer);
  size = layout_size (layout);
  size.width += 14;
  size.height += 6;
  /* Crowded: not drawn, the link's tooltip has the figures. */
  if (!find_box (self, placed, l, ZS_LINK_SPOT_QUEUE, arc, flow, size, &box, &anchor))
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
  graphene_point_t p = _zs_canvas_bezier_point (l, _zs_canvas_arc_t (arc, 0.14, flow->main));
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
  layout = slot_text (self, link_slot (l->run, LINK_SLOT_STATE), FONT_QUEUE, _("blocked"));
  if (!place_pill (self, placed, l, arc, flow, layout, p.x, p.y + r + 4, &box, &at))
    return;
  draw_leader (cr, &at, &box, &near_amber);
  draw_pill_text (cr, layout, &box, &ink, &near_amber);
  placed_add (placed, &box);
}

static char *
describe_throttle (const ZsLinkStats *stats)
{
  if (stats->loss_percent <= 0)
    /* Translators: a link whose relay holds every message 200 ms */
    return g_strdup_printf (_("delay %u ms"), stats->delay_ms);
  if (stats->delay_ms == 0)
    /* Translators: a link whose relay loses 10 % of its messages */
    return g_strdup_printf (_("loss %g %%"), stats->loss_percent);
  return g_strdup_printf (_("delay %u ms · loss %g %%"), stats->delay_ms, stats->loss_percent);
}

/* A link the relay delays or makes lose messages: an amber pill under its
 * label, "delay 200 ms · loss 10 %". Returns where the next pill goes. */
static double
draw_throttle (ZsCanvas           *self,
               cairo_t            *cr,
               Placed             *placed,
               const ZsLinkLayout *l,
               const Arc          *arc,
               const Flow         *flow,
               const ZsLinkStats  *stats,
               double              cx,
               double              below)
{
  g_autofree char *text = describe_throttle (stats);
  PangoLayout *layout = slot_text (self, link_slot (l->run, LINK_SLOT_THROTTLE), FONT_QUEUE, text);
  graphene_rect_t box;
  graphene_point_t at;

  if (!place_pill (self, placed, l, arc, flow, layout, cx, below, &box, &at))
    return below;
  draw_leader (cr, &at, &box, &near_amber);
  draw_pill_text (cr, layout, &box, &ink, &near_amber);
  placed_add (placed, &box);
  return box.origin.y + box.size.height + 3;
}

/* What it reads of the run must be in link_key (), or a frame keeps the
 * node it drew before. */
static void
draw_link_overlay (ZsCanvas           *self,
                   cairo_t            *cr,
                   Placed             *placed,
                   const ZsLinkLayout *l)
{
  const ZsLiveLink *live = zs_live_model_get_link (self->live_model, l->run);
  const ZsLinkStats *stats = &self->live_snapshot->links[l->run];
  const Rgb *color = _zs_canvas_socket_color (l->bind_type);
  gboolean text = self->zoom >= MIN_TEXT_ZOOM;
  double below = l->label.origin.y + l->label.size.height + 3;
  double cx = l->label.origin.x + l->label.size.width / 2;
  Flow flow = _zs_canvas_link_flow (self, l);
  PangoLayout *layout;
  graphene_rect_t box;
  graphene_point_t at;
  const Arc *arc = &l->arc;
  char buffer[64];

  g_array_index (self->live_hot, graphene_rect_t, l->run) = GRAPHENE_RECT_INIT (0, 0, 0, 0);

  /* Once the run is over, its final figures, and nothing that moves. */
  if (!_zs_canvas_run_is_on (self))
    {
      if (text && (stats->sent > 0 || stats->received > 0 || stats->dropped > 0))
        draw_final_figures (self, cr, placed, l, arc, &flow, stats);
      return;
    }

  /* The measured rate under the endpoint label, then "waiting" while a
   * connect waits for its bind; elsewhere along the link if that is taken,
   * in the link's tooltip if nowhere is free. */
  if (text && (stats->received > 0 || live->rate > 0))
    {
      _zs_canvas_format_rate (buffer, sizeof buffer, live->rate_shown);
      layout = slot_text (self, link_slot (l->run, LINK_SLOT_RATE), FONT_RATE, buffer);
      if (take_spot (self, placed, l, ZS_LINK_SPOT_RATE, pill_size (layout), &box, &at) ||
          place_pill (self, placed, l, arc, &flow, layout, cx, below, &box, &at))
        {
          draw_leader (cr, &at, &box, color);
          draw_pill_text (cr, layout, &box, color, color);
          placed_add (placed, &box);
          below = box.origin.y + box.size.height + 3;
        }
    }
  if (text && (stats->delay_ms > 0 || stats->loss_percent > 0))
    below = draw_throttle (self, cr, placed, l, arc, &flow, stats, cx, below);
  if (text && live->waiting && _zs_canvas_run_is_on (self))
    {
      layout = slot_text (self, link_slot (l->run, LINK_SLOT_STATE), FONT_QUEUE, _("waiting"));
      if (place_pill (self, placed, l, arc, &flow, layout, cx, below, &box, &at))
        {
          draw_leader (cr, &at, &box, &slate);
          draw_pill_text (cr, layout, &box, &ink, &slate);
          placed_add (placed, &box);
        }
    }

  if (live->blocked)
    draw_blocked (self, cr, placed, l, arc, &flow, text);

  /* The queue, once the link is up, so that it can be watched fill; none
   * between programs seen on the wire, whose queues it cannot tell. */
  if ((live->state == ZS_LINK_STATE_CONNECTED || live->in_flight > 0 || live->drops_total > 0 ||
       stats->sent > 0) && !_zs_canvas_is_wire_link (zs_live_model_get_topology (self->live_model), l->run))
    draw_queue (self, cr, placed, l, arc, &flow, live, text);
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
          ExternalTraffic t = _zs_canvas_external_traffic (self, index, (int) o->socket);

          /* Translators: what the links of an external program's socket
           * carried; the %s is "~" when the count is an estimate, else empty. */
          g_snprintf (text, sizeof text, _("%s%'" PRIu64 " to it · %'" PRIu64 " from it"),
                      t.estimated ? "~" : "", t.to_it, t.from_it);
        }
      else if (_zs_canvas_has_outside_traffic (o))
        _zs_canvas_format_outside (text, sizeof text, o);
      if (text[0] != '\0')
        draw_port_chip (self, cr, placed, socket_slot (self, i), n, o->socket, text);
    }
}

/* What it reads of the run must be in node_key (), or a frame keeps the
 * node it drew before. */
static void
draw_node_overlay (ZsCanvas           *self,
                   cairo_t            *cr,
                   Placed             *placed,
                   guint               index,
                   const ZsNodeLayout *n)
{
  const ZsLiveNode *live = zs_live_model_get_node (self->live_model, index);
  /* A fault the user put on the node names it in the pill: "killed". */
  ZsNodeFault fault = self->live_snapshot != NULL ? self->live_snapshot->nodes[index].fault : ZS_NODE_FAULT_NONE;
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
  color = state_color (fault == ZS_NODE_FAULT_KILLED ? ZS_NODE_STATE_ERROR : live->state, &text_color);
  layout = slot_text (self, node_slot (self, index, NODE_SLOT_STATE), FONT_STATE,
                      fault != ZS_NODE_FAULT_NONE ? zs_node_fault_to_string (fault)
                                                  : zs_node_state_to_string (live->state));
  size = layout_size (layout);
  pill = GRAPHENE_RECT_INIT (right - size.width - 14, r->origin.y + 5, size.width + 14, size.height + 2);
  if (pill.origin.x < r->origin.x + PAD + name.width + 8)
    {
      pill.origin = GRAPHENE_POINT_INIT (r->origin.x + 4, r->origin.y - pill.size.height - 4);
      placed_add (placed, &pill);
    }
  else if (live->state != ZS_NODE_STATE_ERROR && live->state != ZS_NODE_STATE_BLOCKED
           && fault != ZS_NODE_FAULT_KILLED)
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

/* ---- on screen: an element (a card's overlay, a link's) a node, kept while
 * its key stays ---------------------------------------------------------------- */

/* What an element added to Placed, to the hot boxes and to the counters:
 * done again when its node is kept. */
#define MAX_ELEMENT_PLACED 8

typedef struct {
  guint64          key;
  gboolean         valid;
  GskRenderNode   *node;          /* NULL if it drew nothing */
  graphene_rect_t  placed[MAX_ELEMENT_PLACED];
  guint            n_placed;
  graphene_rect_t  hot;
  guint            drop_labels;
  guint            queues;
  guint            queue_numbers;
} Element;

struct _ZsCanvasOverlayCache {
  guint   generation;             /* static_generation the nodes are for */
  guint   n_texts;                /* live_texts after the last frame */
  GArray *nodes;                  /* Element per card */
  GArray *links;                  /* Element per link */
};

static void
clear_element (gpointer data)
{
  Element *e = data;

  g_clear_pointer (&e->node, gsk_render_node_unref);
  e->valid = FALSE;
}

static Element *
cached_element (GArray *elements,
                guint   index)
{
  if (index >= elements->len)
    g_array_set_size (elements, index + 1);
  return &g_array_index (elements, Element, index);
}

/* A card's overlay: its state, fault, result or error, sparkline and
 * outside chips, and the labels placed before it. */
static guint64
node_key (ZsCanvas     *self,
          const Placed *placed,
          guint         index)
{
  const ZsLiveNode *live = zs_live_model_get_node (self->live_model, index);
  const ZsSnapshot *s = self->live_snapshot;
  guint64 key = key_u64 (KEY_INIT, placed->key);
  guint n;

  /* Below MIN_TEXT_ZOOM a card shows nothing of the run. */
  if (self->zoom < MIN_TEXT_ZOOM)
    return key;
  key = key_u64 (key, live->state);
  key = key_u64 (key, s != NULL ? s->nodes[index].fault : ZS_NODE_FAULT_NONE);
  key = key_str (key, live->error);
  key = key_str (key, live->result);
  n = zs_live_model_get_node_sparkline (self->live_model, index, self->live_sparkline,
                                        ZS_LIVE_SPARKLINE_LENGTH, NULL);
  key = key_bytes (key_u64 (key, n), self->live_sparkline, n * sizeof (float));
  for (guint i = 0; s != NULL && i < s->n_sockets; i++)
    {
      const ZsOutsideStats *o = &s->sockets[i];

      if (o->node != index)
        continue;
      key = key_u64 (key_u64 (key_u64 (key, o->socket), o->peers), o->sent);
      key = key_u64 (key_u64 (key_u64 (key, o->received), o->sent_estimated), o->outside);
      if (zs_node_is_external (zs_topology_get_node (zs_live_model_get_topology (self->live_model), index)))
        {
          ExternalTraffic t = _zs_canvas_external_traffic (self, index, (int) o->socket);

          key = key_u64 (key_u64 (key_u64 (key, t.to_it), t.from_it), t.estimated);
        }
    }
  return key;
}

/* A link's overlay: its rate label, states, queue, drops, or its final
 * figures, and the labels placed before it. What it reads of the layout
 * (the path, the spots) needs no key: a new layout rebuilds the static
 * scene, a new generation, which drops every kept node. */
static guint64
link_key (ZsCanvas           *self,
          const Placed       *placed,
          const ZsLinkLayout *l)
{
  const ZsLiveLink *live = zs_live_model_get_link (self->live_model, l->run);
  const ZsLinkStats *stats = &self->live_snapshot->links[l->run];
  guint64 key = key_u64 (KEY_INIT, placed->key);
  char rate[64];

  if (!_zs_canvas_run_is_on (self))
    {
      key = key_u64 (key_u64 (key_u64 (key, 1), stats->sent), stats->received);
      key = key_u64 (key_u64 (key_u64 (key, stats->dropped), stats->unread), stats->in_flight);
      key = key_u64 (key_u64 (key_u64 (key, stats->sent_estimated), stats->dropped_estimated), stats->lost);
      key = key_u64 (key, stats->lost_estimated);
      key = key_u64 (key, stats->to_outside);
      return key_u64 (key, live->main_flow);
    }
  key = key_u64 (key_u64 (key_u64 (key, live->rate > 0), stats->received > 0), stats->sent > 0);
  key = key_u64 (key_u64 (key_u64 (key, live->main_flow), live->waiting), live->blocked);
  key = key_u64 (key_u64 (key_u64 (key, live->state), live->in_flight > 0), live->drops_total > 0);
  key = key_u64 (key_u64 (key, live->fill_unbounded), live->fill_level);
  key = key_double (key_double (key, live->fill), live->drop_burst > 0.01 ? live->drop_burst : 0);
  /* Below MIN_TEXT_ZOOM no text: the numbers do not show. */
  if (self->zoom < MIN_TEXT_ZOOM)
    return key;
  _zs_canvas_format_rate (rate, sizeof rate, live->rate_shown);
  key = key_u64 (key_u64 (key_str (key, rate), live->in_flight), live->drops_total);
  key = key_double (key_u64 (key, stats->delay_ms), stats->loss_percent);
  return key_u64 (key_u64 (key, live->capacity), live->capacity_estimated);
}

typedef void (*DrawElementFunc) (ZsCanvas     *self,
                                 cairo_t      *cr,
                                 Placed       *placed,
                                 guint         index,
                                 gconstpointer layout);

static void
draw_node_element (ZsCanvas      *self,
                   cairo_t       *cr,
                   Placed        *placed,
                   guint          index,
                   gconstpointer  layout)
{
  draw_node_overlay (self, cr, placed, index, layout);
}

static void
draw_link_element (ZsCanvas      *self,
                   cairo_t       *cr,
                   Placed        *placed,
                   guint          index,
                   gconstpointer  layout)
{
  draw_link_overlay (self, cr, placed, layout);
}

/* The element's node: kept if its key is the one it was drawn with (what
 * it placed and counted done again), else drawn anew into a node bounded
 * by its ink. `hot`: the link's queue box, or NULL for a card. */
static void
snapshot_element (ZsCanvas        *self,
                  Element         *e,
                  guint64          key,
                  Placed          *placed,
                  graphene_rect_t *hot,
                  DrawElementFunc  draw,
                  guint            index,
                  gconstpointer    layout,
                  GPtrArray       *children)
{
  if (e->valid && e->key == key)
    {
      for (guint i = 0; i < e->n_placed; i++)
        placed_add (placed, &e->placed[i]);
      if (hot != NULL)
        *hot = e->hot;
      self->live_drawn_drop_labels += e->drop_labels;
      self->live_drawn_queues += e->queues;
      self->live_drawn_queue_numbers += e->queue_numbers;
      self->live_kept++;
    }
  else
    {
      guint first = placed->n;
      guint drop_labels = self->live_drawn_drop_labels;
      guint queues = self->live_drawn_queues;
      guint queue_numbers = self->live_drawn_queue_numbers;
      cairo_t *cr = _zs_canvas_begin_record (self);

      clear_element (e);
      self->live_redrawn++;
      draw (self, cr, placed, index, layout);
      e->node = _zs_canvas_end_record (self, cr);
      e->key = key;
      e->n_placed = placed->n - first;
      /* More than it can keep: drawn anew each frame. */
      e->valid = e->n_placed <= MAX_ELEMENT_PLACED;
      if (e->valid)
        memcpy (e->placed, &placed->rects[first], e->n_placed * sizeof (graphene_rect_t));
      e->hot = hot != NULL ? *hot : GRAPHENE_RECT_INIT (0, 0, 0, 0);
      e->drop_labels = self->live_drawn_drop_labels - drop_labels;
      e->queues = self->live_drawn_queues - queues;
      e->queue_numbers = self->live_drawn_queue_numbers - queue_numbers;
    }
  if (e->node != NULL)
    g_ptr_array_add (children, e->node);
}

static ZsCanvasOverlayCache *
ensure_cache (ZsCanvas *self)
{
  ZsCanvasOverlayCache *cache = self->overlay_cache;

  /* The label slots were dropped (a new session; the tests, to read what
   * a frame draws): every element draws again. */
  if (cache->generation != self->static_generation || self->live_texts->len < cache->n_texts)
    {
      g_array_set_size (cache->nodes, 0);
      g_array_set_size (cache->links, 0);
      cache->generation = self->static_generation;
    }
  return cache;
}

static void
set_owner (guint *owners,
           guint  from,
           guint  to,
           guint  link)
{
  for (guint i = from; i < to; i++)
    owners[i] = link;
}

/* On screen (`snapshot` set), each card's and each link's overlay is a
 * node of its own, bounded by what it drew, kept while it shows the same;
 * all in one container, whose bounds GTK damages if too much changed at
 * once. For export, all drawn on `cr`. */
static void
overlay (ZsCanvas    *self,
         cairo_t     *cr,
         GtkSnapshot *snapshot)
{
  Placed placed = { .n = 0, .key = KEY_INIT };
  guint owners[MAX_PLACED];   /* the link each of placed.rects is a label of */
  ZsCanvasOverlayCache *cache = NULL;
  GPtrArray *children = NULL;
  guint first_link_label, first;
  GPtrArray *links;

  self->live_drawn_drop_labels = 0;
  self->live_drawn_queues = 0;
  self->live_drawn_queue_numbers = 0;
  if (self->live_model == NULL)
    return;
  links = zs_topology_get_links (zs_live_model_get_topology (self->live_model));
  if (snapshot != NULL)
    {
      cache = ensure_cache (self);
      children = g_ptr_array_new ();
    }

  for (guint i = 0; i < self->node_layouts->len && i < zs_live_model_get_n_nodes (self->live_model); i++)
    {
      const ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);

      if (snapshot == NULL)
        draw_node_overlay (self, cr, &placed, i, n);
      else
        snapshot_element (self, cached_element (cache->nodes, i), node_key (self, &placed, i), &placed,
                          NULL, draw_node_element, i, n, children);
    }
  first_link_label = placed.n;
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);

      first = placed.n;
      placed_add (&placed, &l->label);
      set_owner (owners, first, placed.n, l->index);
    }

  /* Busy links first: their queues get the free spots. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < self->link_layouts->len; i++)
      {
        const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);

        if (l->run >= links->len ||
            link_is_busy (zs_live_model_get_link (self->live_model, l->run)) != (pass == 0))
          continue;
        first = placed.n;
        if (snapshot == NULL)
          draw_link_overlay (self, cr, &placed, l);
        else
          snapshot_element (self, cached_element (cache->links, l->run), link_key (self, &placed, l),
                            &placed, &g_array_index (self->live_hot, graphene_rect_t, l->run),
                            draw_link_element, l->run, l, children);
        set_owner (owners, first, placed.n, l->index);
      }
  g_array_set_size (self->live_labels, 0);
  g_array_set_size (self->live_label_links, 0);
  for (guint i = first_link_label; i < placed.n; i++)
    if (placed.rects[i].size.width > 0)
      {
        g_array_append_val (self->live_labels, placed.rects[i]);
        g_array_append_val (self->live_label_links, owners[i]);
      }

  if (cache != NULL)
    cache->n_texts = self->live_texts->len;
  if (children != NULL && children->len > 0)
    {
      GskRenderNode *container = gsk_container_node_new ((GskRenderNode **) children->pdata, children->len);

      gtk_snapshot_append_node (snapshot, container);
      gsk_render_node_unref (container);
    }
  g_clear_pointer (&children, g_ptr_array_unref);
}

const GArray *
_zs_canvas_live_get_label_rects (ZsCanvas *self)
{
  return self->live_labels;
}

const GArray *
_zs_canvas_live_get_label_links (ZsCanvas *self)
{
  return self->live_label_links;
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

void
_zs_canvas_live_get_drawn_queues (ZsCanvas *self,
                                  guint    *queues,
                                  guint    *with_numbers)
{
  *queues = self->live_drawn_queues;
  *with_numbers = self->live_drawn_queue_numbers;
}

void
_zs_canvas_live_get_frame_work (ZsCanvas *self,
                                guint    *kept,
                                guint    *redrawn)
{
  *kept = self->live_kept;
  *redrawn = self->live_redrawn;
}

guint
_zs_canvas_live_get_drawn_drop_labels (ZsCanvas *self)
{
  return self->live_drawn_drop_labels;
}

void
_zs_canvas_init_overlay (ZsCanvas *self)
{
  self->overlay_cache = g_new0 (ZsCanvasOverlayCache, 1);
  self->overlay_cache->nodes = g_array_new (FALSE, TRUE, sizeof (Element));
  self->overlay_cache->links = g_array_new (FALSE, TRUE, sizeof (Element));
  g_array_set_clear_func (self->overlay_cache->nodes, clear_element);
  g_array_set_clear_func (self->overlay_cache->links, clear_element);
  _zs_canvas_add_live_layer (self, ZS_CANVAS_LAYER_OVERLAY, layer_overlay, snapshot_overlay, NULL);
}

void
_zs_canvas_dispose_overlay (ZsCanvas *self)
{
  if (self->overlay_cache == NULL)
    return;
  g_clear_pointer (&self->overlay_cache->nodes, g_array_unref);
  g_clear_pointer (&self->overlay_cache->links, g_array_unref);
  g_clear_pointer (&self->overlay_cache, g_free);
}
