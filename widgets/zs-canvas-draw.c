/* zs-canvas-draw.c: the scene in layers (links, labels, cards, findings,
 * interaction), drawn with cairo on screen and for export
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <cairo-svg.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zs-canvas-private.h"

#define PAD 12.0
#define RADIUS 8.0
#define BADGE_RADIUS 10.0
#define ARROW_LEN 13.0
#define ARROW_HALF 6.5
#define EXPORT_MARGIN 24.0
#define HEADER_FILL_H 42.0

#define FONT_FINDING "Sans Bold 10"

typedef ZsCanvasRgb Rgb;

/* Saturated, dark enough for white text and for a washed-out projector. */
static const Rgb family_pubsub = { 0.110, 0.443, 0.847 };   /* blue */
static const Rgb family_reqrep = { 0.149, 0.545, 0.325 };   /* green */
static const Rgb family_pipeline = { 0.776, 0.275, 0.000 }; /* orange */
static const Rgb family_pair = { 0.506, 0.239, 0.612 };     /* purple */
static const Rgb family_plain = { 0.369, 0.361, 0.392 };    /* slate */
static const Rgb ink = { 0.180, 0.176, 0.200 };
static const Rgb ink_soft = { 0.310, 0.306, 0.340 };
static const Rgb selection = { 0.208, 0.518, 0.894 };
static const Rgb error_red = { 0.878, 0.106, 0.141 };
static const Rgb warning_amber = { 0.898, 0.647, 0.039 };
static const Rgb white = { 1, 1, 1 };

static const Rgb *
role_color (ZsRole role)
{
  switch (role)
    {
    case ZS_ROLE_PUBLISHER:
    case ZS_ROLE_SUBSCRIBER:
    case ZS_ROLE_FORWARDER:
      return &family_pubsub;
    case ZS_ROLE_CLIENT:
    case ZS_ROLE_SERVER:
    case ZS_ROLE_BROKER:
      return &family_reqrep;
    case ZS_ROLE_VENTILATOR:
    case ZS_ROLE_WORKER:
    case ZS_ROLE_SINK:
      return &family_pipeline;
    case ZS_ROLE_RELAY:
      return &family_pair;
    case ZS_ROLE_SOCKET:
    case ZS_ROLE_EXTERNAL:
    case ZS_ROLE_N_ROLES:
    default:
      return &family_plain;
    }
}

const ZsCanvasRgb *
_zs_canvas_socket_color (ZsSocketType type)
{
  switch (type)
    {
    case ZS_SOCKET_PUB:
    case ZS_SOCKET_SUB:
    case ZS_SOCKET_XPUB:
    case ZS_SOCKET_XSUB:
      return &family_pubsub;
    case ZS_SOCKET_REQ:
    case ZS_SOCKET_REP:
    case ZS_SOCKET_DEALER:
    case ZS_SOCKET_ROUTER:
      return &family_reqrep;
    case ZS_SOCKET_PUSH:
    case ZS_SOCKET_PULL:
      return &family_pipeline;
    case ZS_SOCKET_PAIR:
      return &family_pair;
    case ZS_SOCKET_N_TYPES:
    default:
      return &family_plain;
    }
}

void
_zs_canvas_set_color (cairo_t   *cr,
                      const Rgb *color,
                      double     alpha)
{
  cairo_set_source_rgba (cr, color->r, color->g, color->b, alpha);
}

void
_zs_canvas_rounded_rect (cairo_t               *cr,
                         const graphene_rect_t *r,
                         double                 radius)
{
  double x = r->origin.x, y = r->origin.y, w = r->size.width, h = r->size.height;

  radius = MIN (radius, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - radius, y + radius, radius, -G_PI / 2, 0);
  cairo_arc (cr, x + w - radius, y + h - radius, radius, 0, G_PI / 2);
  cairo_arc (cr, x + radius, y + h - radius, radius, G_PI / 2, G_PI);
  cairo_arc (cr, x + radius, y + radius, radius, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* Draws text with its top-left corner at (x, y); returns its size. */
static graphene_size_t
draw_text (ZsCanvas   *self,
           cairo_t    *cr,
           const char *font,
           const char *text,
           double      x,
           double      y,
           const Rgb  *color,
           double      alpha)
{
  PangoLayout *layout = _zs_canvas_get_text_layout (self, font, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  _zs_canvas_set_color (cr, color, alpha);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  return GRAPHENE_SIZE_INIT (w, h);
}

static void
draw_text_centered (ZsCanvas              *self,
                    cairo_t               *cr,
                    const char            *font,
                    const char            *text,
                    const graphene_rect_t *box,
                    const Rgb             *color)
{
  PangoLayout *layout = _zs_canvas_get_text_layout (self, font, text);
  int w, h;

  pango_layout_get_pixel_size (layout, &w, &h);
  _zs_canvas_set_color (cr, color, 1);
  cairo_move_to (cr, box->origin.x + (box->size.width - w) / 2,
                 box->origin.y + (box->size.height - h) / 2);
  pango_cairo_show_layout (cr, layout);
}

/* Secondary text: full ink on a projector. */
static const Rgb *
soft_ink (ZsCanvas *self)
{
  return zs_canvas_get_presentation (self) ? &ink : &ink_soft;
}

/* ---- links ------------------------------------------------------------------- */

static const Rgb *
link_color (const ZsLinkLayout *l)
{
  if (l->badge.level == ZS_BADGE_ERROR)
    return &error_red;
  return _zs_canvas_socket_color (l->bind_type);
}

/* An arrowhead whose tip touches the port at `tip`, coming from `from`. */
static void
draw_arrow (ZsCanvas               *self,
            cairo_t                *cr,
            const graphene_point_t *from,
            const graphene_point_t *tip)
{
  double dx = tip->x - from->x, dy = tip->y - from->y;
  double len = MAX (hypot (dx, dy), 0.001);
  double ux = dx / len, uy = dy / len;
  double port = _zs_canvas_scaled (self, ZS_CANVAS_PORT_RADIUS);
  double half = _zs_canvas_scaled (self, ARROW_HALF);
  double tx = tip->x - ux * port, ty = tip->y - uy * port;
  double bx = tx - ux * _zs_canvas_scaled (self, ARROW_LEN);
  double by = ty - uy * _zs_canvas_scaled (self, ARROW_LEN);

  cairo_move_to (cr, tx, ty);
  cairo_line_to (cr, bx - uy * half, by + ux * half);
  cairo_line_to (cr, bx + uy * half, by - ux * half);
  cairo_close_path (cr);
  cairo_fill (cr);
}

static void
draw_link (ZsCanvas           *self,
           cairo_t            *cr,
           const ZsLinkLayout *l,
           gboolean            selected)
{
  const Rgb *color = link_color (l);

  if (selected)
    {
      _zs_canvas_link_path (cr, l);
      _zs_canvas_set_color (cr, &selection, 0.35);
      cairo_set_line_width (cr, _zs_canvas_scaled (self, 9));
      cairo_stroke (cr);
    }
  _zs_canvas_link_path (cr, l);
  /* Opaque on a projector, which washes half-tones out. */
  _zs_canvas_set_color (cr, color, zs_canvas_get_presentation (self) ? 1 : 0.9);
  cairo_set_line_width (cr, _zs_canvas_scaled (self, 2.5));
  if (l->badge.level == ZS_BADGE_ERROR)
    cairo_set_dash (cr, (double[]) { 8, 5 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  _zs_canvas_set_color (cr, color, 1);
  if (l->to_bind)
    draw_arrow (self, cr, &l->c2, &l->to);
  if (l->to_connect)
    draw_arrow (self, cr, &l->c1, &l->from);
}

static void
layer_links (ZsCanvas *self,
             cairo_t  *cr,
             gboolean  exporting,
             gpointer  user_data)
{
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);

      draw_link (self, cr, l, !exporting && self->selected_link == (int) l->index);
    }
}

static void
layer_link_labels (ZsCanvas *self,
                   cairo_t  *cr,
                   gboolean  exporting,
                   gpointer  user_data)
{
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);

      if (_zs_canvas_link_label_hidden (l))
        continue;
      _zs_canvas_rounded_rect (cr, &l->label, l->label.size.height / 2);
      _zs_canvas_set_color (cr, &white, 0.95);
      cairo_fill_preserve (cr);
      _zs_canvas_set_color (cr, link_color (l), 0.8);
      cairo_set_line_width (cr, _zs_canvas_scaled (self, 1.2));
      cairo_stroke (cr);
      draw_text_centered (self, cr, ZS_CANVAS_FONT_LABEL, l->text, &l->label, &ink);
    }
}

/* ---- cards ------------------------------------------------------------------- */

static const Rgb external_header = { 0.910, 0.906, 0.922 }; /* pale slate */

/* A card: a shadow, a white body under a header of the role's colour. An
 * external program's card has a pale header and a dashed outline, and no
 * shadow: zmqscope runs nothing for it. */
static void
draw_card_frame (ZsCanvas              *self,
                 cairo_t               *cr,
                 const graphene_rect_t *r,
                 const Rgb             *color,
                 gboolean               external)
{
  graphene_rect_t shadow = *r;

  graphene_rect_offset (&shadow, 0, 3);
  cairo_new_path (cr);
  if (!external)
    {
      _zs_canvas_rounded_rect (cr, &shadow, RADIUS);
      cairo_set_source_rgba (cr, 0, 0, 0, 0.10);
      cairo_fill (cr);
    }

  _zs_canvas_rounded_rect (cr, r, RADIUS);
  _zs_canvas_set_color (cr, &white, 1);
  cairo_fill_preserve (cr);
  cairo_save (cr);
  cairo_clip (cr);
  cairo_rectangle (cr, r->origin.x, r->origin.y, r->size.width, HEADER_FILL_H);
  _zs_canvas_set_color (cr, external ? &external_header : color, 1);
  cairo_fill (cr);
  cairo_restore (cr);
  _zs_canvas_rounded_rect (cr, r, RADIUS);
  _zs_canvas_set_color (cr, color, 1);
  cairo_set_line_width (cr, _zs_canvas_scaled (self, external ? 2 : 1.5));
  if (external)
    cairo_set_dash (cr, (double[]) { 7, 4 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
draw_port (ZsCanvas  *self,
           cairo_t   *cr,
           double     x,
           double     y,
           const Rgb *color)
{
  cairo_new_path (cr);
  cairo_arc (cr, x, y, _zs_canvas_scaled (self, ZS_CANVAS_PORT_RADIUS), 0, 2 * G_PI);
  _zs_canvas_set_color (cr, &white, 1);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, color, 1);
  cairo_set_line_width (cr, _zs_canvas_scaled (self, 2));
  cairo_stroke (cr);
}

static void
draw_socket (ZsCanvas             *self,
             cairo_t              *cr,
             const ZsNodeLayout   *n,
             guint                 index)
{
  const ZsSocketLayout *s = &g_array_index (n->sockets, ZsSocketLayout, index);
  ZsSocketSpec *socket = zs_node_get_socket (n->node, index);
  ZsSocketType type = zs_socket_spec_get_socket_type (socket);
  const Rgb *color = _zs_canvas_socket_color (type);
  double py = s->badge.origin.y + s->badge.size.height / 2;

  _zs_canvas_rounded_rect (cr, &s->badge, 5);
  _zs_canvas_set_color (cr, color, 1);
  cairo_fill (cr);
  draw_text_centered (self, cr, ZS_CANVAS_FONT_BADGE, zs_socket_type_to_string (type), &s->badge, &white);
  draw_text (self, cr, ZS_CANVAS_FONT_SOCKET, s->name, s->name_x,
             s->badge.origin.y + 2, soft_ink (self), 1);

  for (guint i = 0; i < s->lines->len; i++)
    draw_text (self, cr, ZS_CANVAS_FONT_ENDPOINT, g_ptr_array_index (s->lines, i),
               n->rect.origin.x + PAD, s->lines_y + 16.0 * i, &ink, 1);

  draw_port (self, cr, n->rect.origin.x, py, color);
  draw_port (self, cr, n->rect.origin.x + n->rect.size.width, py, color);
}

static void
draw_node (ZsCanvas           *self,
           cairo_t            *cr,
           const ZsNodeLayout *n,
           gboolean            selected)
{
  const Rgb *color = role_color (zs_node_get_role (n->node));
  gboolean external = zs_node_is_external (n->node);

  if (selected)
    {
      graphene_rect_t outline;

      graphene_rect_inset_r (&n->rect, -4, -4, &outline);
      _zs_canvas_rounded_rect (cr, &outline, RADIUS + 4);
      _zs_canvas_set_color (cr, &selection, 1);
      cairo_set_line_width (cr, _zs_canvas_scaled (self, 3));
      cairo_stroke (cr);
    }
  draw_card_frame (self, cr, &n->rect, color, external);
  draw_text (self, cr, ZS_CANVAS_FONT_NAME, n->title,
             n->rect.origin.x + PAD, n->rect.origin.y + 5, external ? &ink : &white, 1);
  draw_text (self, cr, ZS_CANVAS_FONT_ROLE, zs_role_get_label (zs_node_get_role (n->node)),
             n->rect.origin.x + PAD, n->role_y, external ? &ink_soft : &white, 0.85);
  if (n->command != NULL)
    draw_text (self, cr, ZS_CANVAS_FONT_LABEL, n->command, n->rect.origin.x + PAD, n->command_y,
               soft_ink (self), 1);
  for (guint i = 0; i < n->sockets->len; i++)
    draw_socket (self, cr, n, i);
}

static void
layer_nodes (ZsCanvas *self,
             cairo_t  *cr,
             gboolean  exporting,
             gpointer  user_data)
{
  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      const ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);

      draw_node (self, cr, n, !exporting && _zs_canvas_is_selected (self, n->node));
    }
}

/* ---- findings ------------------------------------------------------------------ */

static void
draw_finding_badge (ZsCanvas          *self,
                    cairo_t           *cr,
                    const ZsBadgeInfo *badge,
                    double             x,
                    double             y)
{
  graphene_rect_t box = GRAPHENE_RECT_INIT (x - BADGE_RADIUS, y - BADGE_RADIUS,
                                            2 * BADGE_RADIUS, 2 * BADGE_RADIUS);
  g_autofree char *text = badge->count > 1 ? g_strdup_printf ("%u", badge->count) : g_strdup ("!");

  if (badge->count == 0)
    return;
  cairo_new_path (cr);
  cairo_arc (cr, x, y, BADGE_RADIUS, 0, 2 * G_PI);
  _zs_canvas_set_color (cr, badge->level == ZS_BADGE_ERROR ? &error_red : &warning_amber, 1);
  cairo_fill_preserve (cr);
  _zs_canvas_set_color (cr, &white, 1);
  cairo_set_line_width (cr, 2);
  cairo_stroke (cr);
  draw_text_centered (self, cr, FONT_FINDING, text, &box,
                      badge->level == ZS_BADGE_ERROR ? &white : &ink);
}

static void
layer_findings (ZsCanvas *self,
                cairo_t  *cr,
                gboolean  exporting,
                gpointer  user_data)
{
  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      const ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);

      draw_finding_badge (self, cr, &n->badge, n->rect.origin.x + n->rect.size.width,
                          n->rect.origin.y);
    }
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);

      draw_finding_badge (self, cr, &l->badge, l->label.origin.x + l->label.size.width,
                          l->label.origin.y);
    }
}

/* ---- interaction: rubber band, link being drawn ----------------------------------- */

static void
draw_link_preview (ZsCanvas *self,
                   cairo_t  *cr)
{
  ZsNodeLayout *source = _zs_canvas_find_layout (self, self->link_source);
  ZsSocketLayout *s;
  ZsHit hit = _zs_canvas_hit_test (self, self->drag_point.x, self->drag_point.y);
  double x, y;

  if (source == NULL || self->link_socket >= source->sockets->len)
    return;
  s = &g_array_index (source->sockets, ZsSocketLayout, self->link_socket);
  x = self->drag_point.x > source->rect.origin.x + source->rect.size.width / 2
      ? source->rect.origin.x + source->rect.size.width : source->rect.origin.x;
  y = s->badge.origin.y + s->badge.size.height / 2;

  if (hit.kind == ZS_HIT_NODE || hit.kind == ZS_HIT_PORT)
    {
      const ZsNodeLayout *target = g_ptr_array_index (self->node_layouts, hit.node);
      graphene_rect_t outline;

      graphene_rect_inset_r (&target->rect, -4, -4, &outline);
      _zs_canvas_rounded_rect (cr, &outline, RADIUS + 4);
      _zs_canvas_set_color (cr, &selection, 0.6);
      cairo_set_line_width (cr, 3);
      cairo_stroke (cr);
    }
  cairo_move_to (cr, x, y);
  cairo_line_to (cr, self->drag_point.x, self->drag_point.y);
  _zs_canvas_set_color (cr, &selection, 1);
  cairo_set_line_width (cr, 2.5);
  cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* Where the keyboard is: a dashed ring outside the selected card's
 * outline, while the canvas has the focus. */
static void
draw_focus_ring (ZsCanvas *self,
                 cairo_t  *cr)
{
  ZsNodeLayout *n = _zs_canvas_find_layout (self, zs_canvas_get_selected_node (self));
  graphene_rect_t ring;

  if (n == NULL || !gtk_widget_has_focus (GTK_WIDGET (self)))
    return;
  graphene_rect_inset_r (&n->rect, -10, -10, &ring);
  _zs_canvas_rounded_rect (cr, &ring, RADIUS + 10);
  _zs_canvas_set_color (cr, &ink, 0.9);
  cairo_set_line_width (cr, _zs_canvas_scaled (self, 2));
  cairo_set_dash (cr, (double[]) { 6, 4 }, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
layer_interaction (ZsCanvas *self,
                   cairo_t  *cr,
                   gboolean  exporting,
                   gpointer  user_data)
{
  if (exporting)
    return;
  draw_focus_ring (self, cr);
  if (self->drag_mode == ZS_DRAG_RUBBER)
    {
      cairo_rectangle (cr, MIN (self->drag_start.x, self->drag_point.x),
                       MIN (self->drag_start.y, self->drag_point.y),
                       fabs (self->drag_point.x - self->drag_start.x),
                       fabs (self->drag_point.y - self->drag_start.y));
      _zs_canvas_set_color (cr, &selection, 0.12);
      cairo_fill_preserve (cr);
      _zs_canvas_set_color (cr, &selection, 0.8);
      cairo_set_line_width (cr, 1 / self->zoom);
      cairo_stroke (cr);
    }
  else if (self->drag_mode == ZS_DRAG_LINK)
    draw_link_preview (self, cr);
}

/* ---- the scene ------------------------------------------------------------------ */

void
_zs_canvas_init_layers (ZsCanvas *self)
{
  _zs_canvas_add_layer (self, ZS_CANVAS_LAYER_LINKS, layer_links, NULL);
  _zs_canvas_add_layer (self, ZS_CANVAS_LAYER_LINK_LABELS, layer_link_labels, NULL);
  _zs_canvas_add_layer (self, ZS_CANVAS_LAYER_NODES, layer_nodes, NULL);
  _zs_canvas_add_layer (self, ZS_CANVAS_LAYER_FINDINGS, layer_findings, NULL);
  _zs_canvas_add_layer (self, ZS_CANVAS_LAYER_INTERACTION, layer_interaction, NULL);
}

void
_zs_canvas_draw_scene (ZsCanvas *self,
                       cairo_t  *cr,
                       gboolean  exporting)
{
  _zs_canvas_ensure_layout (self);
  for (guint i = 0; i < self->layers->len; i++)
    {
      const ZsCanvasLayer *layer = &g_array_index (self->layers, ZsCanvasLayer, i);

      cairo_save (cr);
      layer->func (self, cr, exporting, layer->user_data);
      cairo_restore (cr);
    }
}

/* Lines every grid step (when they are far enough apart), stronger every 4. */
static void
snapshot_grid (ZsCanvas    *self,
               GtkSnapshot *snapshot,
               double       width,
               double       height)
{
  static const GdkRGBA minor = { 0, 0, 0, 0.035 };
  static const GdkRGBA major = { 0, 0, 0, 0.07 };
  double step = ZS_CANVAS_GRID * self->zoom;
  int first_x = (int) floor (-self->offset_x / step);
  int first_y = (int) floor (-self->offset_y / step);

  if (step < 6)
    return;
  for (int i = first_x; i * step + self->offset_x < width; i++)
    gtk_snapshot_append_color (snapshot, i % 4 == 0 ? &major : &minor,
                               &GRAPHENE_RECT_INIT (floor (i * step + self->offset_x), 0, 1, height));
  for (int j = first_y; j * step + self->offset_y < height; j++)
    gtk_snapshot_append_color (snapshot, j % 4 == 0 ? &major : &minor,
                               &GRAPHENE_RECT_INIT (0, floor (j * step + self->offset_y), width, 1));
}

/* ---- nodes ---------------------------------------------------------------------- */

/* Drawing recorded in widget coordinates (model * zoom + offset), to be
 * turned into a node as small as what it drew. */
cairo_t *
_zs_canvas_begin_record (ZsCanvas *self)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  cairo_translate (cr, self->offset_x, self->offset_y);
  cairo_scale (cr, self->zoom, self->zoom);
  return cr;
}

/* A cairo node bounded by the ink of what was recorded (whole pixels, one
 * more around for antialiasing), or NULL if nothing was; consumes `cr`. */
GskRenderNode *
_zs_canvas_end_record (ZsCanvas *self,
                       cairo_t  *cr)
{
  cairo_surface_t *surface = cairo_get_target (cr);
  GskRenderNode *node = NULL;
  double x, y, w, h;

  cairo_recording_surface_ink_extents (surface, &x, &y, &w, &h);
  if (w > 0 && h > 0)
    {
      double x0 = floor (x) - 1, y0 = floor (y) - 1;
      cairo_t *node_cr;

      node = gsk_cairo_node_new (&GRAPHENE_RECT_INIT (x0, y0, ceil (x + w) + 1 - x0, ceil (y + h) + 1 - y0));
      node_cr = gsk_cairo_node_get_draw_context (node);
      cairo_set_source_surface (node_cr, surface, 0, 0);
      cairo_paint (node_cr);
      cairo_destroy (node_cr);
    }
  cairo_destroy (cr);
  return node;
}

/* How the static scene is kept (ZS_CANVAS_STATIC overrides, for measuring):
 * "image" (default under the cairo renderer): rasterised once into an image
 *   in a cairo node, which a frame only copies where it is damaged:
 *   replaying the recorded drawing instead (cards, text) cost most of a
 *   200-node frame. In the window it is within 3/255 of drawing it anew
 *   (rounding of the grid's alpha); a widget paintable scaled to another
 *   size (the test screenshots: the window less its shadow) resamples it.
 * "node" (default under GL): its recorded cairo drawing, which the GL
 *   renderer uploads once (it caches the texture of a node it sees again).
 * "texture": rendered with the window's renderer into a texture node; the
 *   cairo renderer converts a texture node's pixels again every frame. */
static const char *
static_mode (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;

  if (g_getenv ("ZS_CANVAS_STATIC") != NULL)
    return g_getenv ("ZS_CANVAS_STATIC");
  return renderer != NULL && GSK_IS_CAIRO_RENDERER (renderer) ? "image" : "node";
}

static GskRenderNode *
rasterize (GtkWidget     *widget,
           GskRenderNode *node)
{
  int scale = gtk_widget_get_scale_factor (widget);
  graphene_rect_t bounds;
  GskRenderNode *result;

  gsk_render_node_get_bounds (node, &bounds);
  if (bounds.size.width <= 0 || bounds.size.height <= 0)
    return node;
  /* Whole pixels: an image placed at a fractional origin is resampled. */
  graphene_rect_init (&bounds, floor (bounds.origin.x), floor (bounds.origin.y),
                      ceil (bounds.origin.x + bounds.size.width) - floor (bounds.origin.x),
                      ceil (bounds.origin.y + bounds.size.height) - floor (bounds.origin.y));

  if (g_str_equal (static_mode (widget), "texture"))
    {
      GtkNative *native = gtk_widget_get_native (widget);
      GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
      GskRenderNode *scaled;
      graphene_rect_t viewport;
      GdkTexture *texture;

      if (renderer == NULL || !gsk_renderer_is_realized (renderer))
        return node;
      graphene_rect_scale (&bounds, scale, scale, &viewport);
      if (scale != 1)
        {
          GskTransform *transform = gsk_transform_scale (NULL, scale, scale);

          scaled = gsk_transform_node_new (node, transform);
          gsk_transform_unref (transform);
        }
      else
        scaled = gsk_render_node_ref (node);
      texture = gsk_renderer_render_texture (renderer, scaled, &viewport);
      result = gsk_texture_node_new (texture, &bounds);
      g_object_unref (texture);
      gsk_render_node_unref (scaled);
    }
  else
    {
      cairo_surface_t *image = cairo_image_surface_create (CAIRO_FORMAT_ARGB32,
                                                           (int) ceil (bounds.size.width * scale),
                                                           (int) ceil (bounds.size.height * scale));
      cairo_t *cr;

      cairo_surface_set_device_scale (image, scale, scale);
      cr = cairo_create (image);
      cairo_translate (cr, -bounds.origin.x, -bounds.origin.y);
      gsk_render_node_draw (node, cr);
      cairo_destroy (cr);

      result = gsk_cairo_node_new (&bounds);
      cr = gsk_cairo_node_get_draw_context (result);
      cairo_set_source_surface (cr, image, bounds.origin.x, bounds.origin.y);
      cairo_paint (cr);
      cairo_destroy (cr);
      cairo_surface_destroy (image);
    }
  gsk_render_node_unref (node);
  return result;
}

/* One node for a run of static layers [first, last), the grid under the
 * first run; NULL if the run draws nothing. */
static GskRenderNode *
build_static_run (ZsCanvas *self,
                  guint     first,
                  guint     last,
                  double    width,
                  double    height)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  cairo_t *cr = _zs_canvas_begin_record (self);

  if (first == 0)
    snapshot_grid (self, snapshot, width, height);
  for (guint i = first; i < last; i++)
    {
      const ZsCanvasLayer *layer = &g_array_index (self->layers, ZsCanvasLayer, i);

      cairo_save (cr);
      layer->func (self, cr, FALSE, layer->user_data);
      cairo_restore (cr);
    }
  node = _zs_canvas_end_record (self, cr);
  if (node != NULL)
    {
      gtk_snapshot_append_node (snapshot, node);
      gsk_render_node_unref (node);
    }
  node = gtk_snapshot_free_to_node (snapshot);
  g_debug ("static run %u..%u rebuilt", first, last);
  if (node != NULL && !g_str_equal (static_mode (GTK_WIDGET (self)), "node"))
    node = rasterize (GTK_WIDGET (self), node);
  return node;
}

static gboolean
static_valid (ZsCanvas     *self,
              const double  view[5],
              int           scale)
{
  return self->static_built_serial == self->static_serial && self->static_scale == scale &&
         memcmp (self->static_view, view, sizeof self->static_view) == 0;
}

void
_zs_canvas_snapshot (GtkWidget   *widget,
                     GtkSnapshot *snapshot)
{
  static const GdkRGBA background = { 0.976, 0.976, 0.980, 1 };
  ZsCanvas *self = ZS_CANVAS (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double view[5] = { self->zoom, self->offset_x, self->offset_y, width, height };
  int scale = gtk_widget_get_scale_factor (widget);
  gboolean rebuild;
  guint run = 0, first = 0;

  gtk_snapshot_append_color (snapshot, &background, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (self->topology == NULL)
    {
      snapshot_grid (self, snapshot, width, height);
      return;
    }

  _zs_canvas_ensure_layout (self);
  self->live_kept = self->live_redrawn = 0;
  rebuild = !static_valid (self, view, scale);
  if (rebuild)
    {
      g_ptr_array_set_size (self->static_nodes, 0);
      self->static_built_serial = self->static_serial;
      memcpy (self->static_view, view, sizeof self->static_view);
      self->static_scale = scale;
      self->static_generation++;
    }

  /* Static runs from the cache, live layers drawn anew, in layer order. */
  for (guint i = 0; i <= self->layers->len; i++)
    {
      const ZsCanvasLayer *layer = i < self->layers->len ? &g_array_index (self->layers, ZsCanvasLayer, i) : NULL;
      GskRenderNode *node;

      if (layer != NULL && layer->snapshot_func == NULL)
        continue;
      if (i > first || first == 0)
        {
          if (rebuild)
            g_ptr_array_add (self->static_nodes, build_static_run (self, first, i, width, height));
          node = run < self->static_nodes->len ? g_ptr_array_index (self->static_nodes, run) : NULL;
          if (node != NULL)
            gtk_snapshot_append_node (snapshot, node);
          run++;
        }
      first = i + 1;
      if (layer != NULL)
        layer->snapshot_func (self, snapshot, layer->user_data);
    }
}

/* ---- export ------------------------------------------------------------------- */

static void
export_size (ZsCanvas        *self,
             graphene_rect_t *bounds)
{
  if (!_zs_canvas_get_bounds (self, bounds))
    graphene_rect_init (bounds, 0, 0, 0, 0);
  graphene_rect_inset (bounds, -EXPORT_MARGIN, -EXPORT_MARGIN);
}

static gboolean
render_export (ZsCanvas              *self,
               cairo_surface_t       *surface,
               const graphene_rect_t *bounds,
               GError               **error)
{
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status;

  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, -bounds->origin.x, -bounds->origin.y);
  _zs_canvas_draw_scene (self, cr, TRUE);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot draw the topology: %s"),
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_written (cairo_status_t   status,
               const char      *path,
               GError         **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write “%s”: %s"), path,
               cairo_status_to_string (status));
  return FALSE;
}

typedef cairo_surface_t *(*SurfaceNew)    (const char      *path,
                                           double           width,
                                           double           height);
typedef cairo_status_t   (*SurfaceFinish) (cairo_surface_t *surface,
                                           const char      *path);

static cairo_surface_t *
png_surface_new (const char *path,
                 double      width,
                 double      height)
{
  return cairo_image_surface_create (CAIRO_FORMAT_ARGB32, (int) ceil (width), (int) ceil (height));
}

static cairo_status_t
png_surface_finish (cairo_surface_t *surface,
                    const char      *path)
{
  return cairo_surface_write_to_png (surface, path);
}

static cairo_status_t
svg_surface_finish (cairo_surface_t *surface,
                    const char      *path)
{
  cairo_surface_finish (surface);
  return cairo_surface_status (surface);
}

/* The scene at zoom 1, fitted to its bounds, on white. */
static gboolean
export_scene (ZsCanvas       *self,
              const char     *path,
              SurfaceNew      surface_new,
              SurfaceFinish   surface_finish,
              GError        **error)
{
  graphene_rect_t bounds;
  cairo_surface_t *surface;
  gboolean ok;

  _zs_canvas_route_now (self);
  export_size (self, &bounds);
  surface = surface_new (path, bounds.size.width, bounds.size.height);
  ok = render_export (self, surface, &bounds, error);
  ok = ok && check_written (surface_finish (surface, path), path, error);
  cairo_surface_destroy (surface);
  return ok;
}

gboolean
zs_canvas_export_png (ZsCanvas    *self,
                      const char  *path,
                      GError     **error)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return export_scene (self, path, png_surface_new, png_surface_finish, error);
}

gboolean
zs_canvas_export_svg (ZsCanvas    *self,
                      const char  *path,
                      GError     **error)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  return export_scene (self, path, cairo_svg_surface_create, svg_surface_finish, error);
}
