/* zs-canvas-layout.c: card and link geometry, cached between changes; hit tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zs-canvas-private.h"

#define PAD 12.0
#define HEADER_H 46.0
#define MIN_WIDTH 176.0
#define BADGE_H 20.0
#define LINE_H 16.0
#define ROW_GAP 8.0
#define PORT_RADIUS 6.0
#define HIT_SLOP 6.0


PangoLayout *
_zs_canvas_create_layout (ZsCanvas   *self,
                          const char *font,
                          const char *text)
{
  PangoLayout *layout = pango_layout_new (self->pango);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_layout_set_text (layout, text, -1);
  pango_font_description_free (desc);
  return layout;
}

/* A layout for a card's or a label's text, shaped once and kept (the
 * same strings come back every frame and on every card): borrowed. */
PangoLayout *
_zs_canvas_get_text_layout (ZsCanvas   *self,
                            const char *font,
                            const char *text)
{
  g_autofree char *key = g_strconcat (font, "\n", text, NULL);
  PangoLayout *layout = g_hash_table_lookup (self->text_layouts, key);

  if (layout == NULL)
    {
      layout = _zs_canvas_create_layout (self, font, text);
      g_hash_table_insert (self->text_layouts, g_steal_pointer (&key), layout);
    }
  return layout;
}

static double
text_width (ZsCanvas   *self,
            const char *font,
            const char *text)
{
  PangoLayout *layout = _zs_canvas_get_text_layout (self, font, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  return width;
}

static void
badge_info_clear (ZsBadgeInfo *badge)
{
  g_clear_pointer (&badge->tooltip, g_free);
}

static void
badge_info_add (ZsBadgeInfo     *badge,
                const ZsFinding *finding)
{
  char *tooltip;

  badge->level = MAX ((int) badge->level, (int) finding->severity);
  badge->count++;
  tooltip = badge->tooltip == NULL ? g_strdup (finding->message)
                                   : g_strconcat (badge->tooltip, "\n", finding->message, NULL);
  g_free (badge->tooltip);
  badge->tooltip = tooltip;
}

static void
socket_layout_clear (gpointer data)
{
  ZsSocketLayout *layout = data;

  g_clear_pointer (&layout->lines, g_ptr_array_unref);
}

static void
node_layout_free (gpointer data)
{
  ZsNodeLayout *layout = data;

  g_clear_pointer (&layout->sockets, g_array_unref);
  g_clear_pointer (&layout->command, g_free);
  badge_info_clear (&layout->badge);
  g_free (layout);
}

static void
link_layout_free (gpointer data)
{
  ZsLinkLayout *layout = data;

  g_free (layout->text);
  badge_info_clear (&layout->badge);
  g_free (layout);
}

static void
add_lines (GPtrArray          *lines,
           const char         *format,
           const char * const *endpoints)
{
  for (guint i = 0; endpoints != NULL && endpoints[i] != NULL; i++)
    g_ptr_array_add (lines, g_strdup_printf (format, endpoints[i]));
}

/* Lays out one socket row from `y`; returns the row's height. */
static double
layout_socket (ZsCanvas       *self,
               ZsSocketSpec   *socket,
               ZsSocketLayout *out,
               double          x,
               double          y,
               double         *width)
{
  const char *type = zs_socket_type_to_string (zs_socket_spec_get_socket_type (socket));
  double badge_w = text_width (self, ZS_CANVAS_FONT_BADGE, type) + 14.0;

  out->badge = GRAPHENE_RECT_INIT (x + PAD, y, badge_w, BADGE_H);
  out->name_x = x + PAD + badge_w + 8.0;
  out->lines_y = y + BADGE_H + 4.0;
  out->lines = g_ptr_array_new_with_free_func (g_free);
  /* TRANSLATORS: endpoint lines on a card; keep the symbols */
  add_lines (out->lines, _("⊙ bind %s"), zs_socket_spec_get_binds (socket));
  add_lines (out->lines, _("→ connect %s"), zs_socket_spec_get_connects (socket));

  *width = MAX (*width, badge_w + 8.0 + text_width (self, ZS_CANVAS_FONT_SOCKET,
                                                    zs_socket_spec_get_name (socket)));
  for (guint i = 0; i < out->lines->len; i++)
    *width = MAX (*width, text_width (self, ZS_CANVAS_FONT_ENDPOINT, g_ptr_array_index (out->lines, i)));
  return BADGE_H + 4.0 + LINE_H * out->lines->len + ROW_GAP;
}

#define COMMAND_MAX_CHARS 36

/* An external program's command line, in small text under its header;
 * returns the height it takes. */
static double
layout_command (ZsCanvas     *self,
                ZsNodeLayout *layout,
                double        y,
                double       *width)
{
  const char *command = zs_node_get_command (layout->node);

  if (!zs_node_is_external (layout->node) || *command == '\0')
    return 0;
  if (g_utf8_strlen (command, -1) > COMMAND_MAX_CHARS)
    {
      g_autofree char *head = g_utf8_substring (command, 0, COMMAND_MAX_CHARS - 1);

      layout->command = g_strconcat ("$ ", head, "…", NULL);
    }
  else
    layout->command = g_strconcat ("$ ", command, NULL);
  layout->command_y = y;
  *width = MAX (*width, text_width (self, ZS_CANVAS_FONT_LABEL, layout->command));
  return LINE_H + ROW_GAP / 2;
}

static ZsNodeLayout *
layout_node (ZsCanvas *self,
             ZsNode   *node)
{
  ZsNodeLayout *layout = g_new0 (ZsNodeLayout, 1);
  double x = zs_node_get_x (node);
  double y = zs_node_get_y (node);
  double content_w = 0;
  double row_y = y + HEADER_H + ROW_GAP;
  double width, height;

  layout->node = node;
  layout->badge.level = ZS_BADGE_NONE;
  layout->role_y = y + 25.0;
  layout->sockets = g_array_new (FALSE, TRUE, sizeof (ZsSocketLayout));
  g_array_set_clear_func (layout->sockets, socket_layout_clear);

  content_w = MAX (text_width (self, ZS_CANVAS_FONT_NAME, zs_node_get_name (node)) + 24.0,
                   text_width (self, ZS_CANVAS_FONT_ROLE, zs_role_get_label (zs_node_get_role (node))));
  row_y += layout_command (self, layout, row_y, &content_w);
  for (guint i = 0; i < zs_node_get_n_sockets (node); i++)
    {
      ZsSocketLayout socket = { 0 };

      row_y += layout_socket (self, zs_node_get_socket (node, i), &socket, x, row_y, &content_w);
      g_array_append_val (layout->sockets, socket);
    }

  width = ceil (MAX (MIN_WIDTH, content_w + 2 * PAD) / ZS_CANVAS_GRID) * ZS_CANVAS_GRID;
  height = ceil ((row_y - y) / ZS_CANVAS_GRID) * ZS_CANVAS_GRID;
  layout->rect = GRAPHENE_RECT_INIT (x, y, width, height);
  return layout;
}

static double
port_y (const ZsNodeLayout *layout,
        guint               socket)
{
  const ZsSocketLayout *s = &g_array_index (layout->sockets, ZsSocketLayout, socket);

  return s->badge.origin.y + BADGE_H / 2;
}

static double
center_x (const graphene_rect_t *rect)
{
  return rect->origin.x + rect->size.width / 2;
}

/* The point at t in [0, 1] along a link's curve. */
graphene_point_t
_zs_canvas_bezier_point (const ZsLinkLayout *l,
                         double              t)
{
  double u = 1 - t;
  double a = u * u * u, b = 3 * u * u * t, c = 3 * u * t * t, d = t * t * t;

  return GRAPHENE_POINT_INIT (a * l->from.x + b * l->c1.x + c * l->c2.x + d * l->to.x,
                              a * l->from.y + b * l->c1.y + c * l->c2.y + d * l->to.y);
}

/* The ports face each other; cards above one another use their right sides. */
static void
route_link (ZsLinkLayout       *out,
            const ZsNodeLayout *conn,
            guint               cs,
            const ZsNodeLayout *bind,
            guint               bs)
{
  const graphene_rect_t *a = &conn->rect, *b = &bind->rect;
  double dx = center_x (b) - center_x (a);
  gboolean stacked = fabs (dx) < (a->size.width + b->size.width) / 2;
  double from_dir = stacked || dx > 0 ? 1 : -1;
  double to_dir = stacked ? 1 : -from_dir;
  double reach;

  out->from = GRAPHENE_POINT_INIT (from_dir > 0 ? a->origin.x + a->size.width : a->origin.x,
                                   port_y (conn, cs));
  out->to = GRAPHENE_POINT_INIT (to_dir > 0 ? b->origin.x + b->size.width : b->origin.x,
                                 port_y (bind, bs));
  reach = MAX (48.0, fabs (out->to.x - out->from.x) / 2);
  out->c1 = GRAPHENE_POINT_INIT (out->from.x + from_dir * reach, out->from.y);
  out->c2 = GRAPHENE_POINT_INIT (out->to.x + to_dir * reach, out->to.y);
}

/* "tcp :5556", "ipc weather", "inproc relay-in": the cards show the rest. */
static char *
short_endpoint (const char *endpoint)
{
  ZsEndpoint ep = { 0 };
  const char *host;
  char *text;

  if (!zs_endpoint_parse (endpoint, TRUE, &ep, NULL))
    return g_strdup (endpoint);
  host = ep.host != NULL ? ep.host : "";
  if (ep.transport == ZS_TRANSPORT_TCP &&
      (g_str_equal (host, "localhost") || g_str_equal (host, "127.0.0.1") || g_str_equal (host, "*")))
    text = g_strdup_printf ("tcp :%d", ep.port);
  else if (ep.transport == ZS_TRANSPORT_TCP)
    text = g_strdup_printf ("tcp %s:%d", host, ep.port);
  else if (ep.transport == ZS_TRANSPORT_IPC)
    text = g_strdup_printf ("ipc %s", strrchr (host, '/') ? strrchr (host, '/') + 1 : host);
  else
    text = g_strdup_printf ("%s %s", zs_transport_to_string (ep.transport), host);
  zs_endpoint_clear (&ep);
  return text;
}

static gboolean
overlaps_a_card (ZsCanvas              *self,
                 const graphene_rect_t *rect)
{
  for (guint i = 0; i < self->node_layouts->len; i++)
    if (graphene_rect_intersection (rect,
                                    &((ZsNodeLayout *) g_ptr_array_index (self->node_layouts, i))->rect,
                                    NULL))
      return TRUE;
  return FALSE;
}

/* On the curve, as near its middle as no card hides it. */
static void
place_label (ZsCanvas     *self,
             ZsLinkLayout *layout)
{
  static const double where[] = { 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85 };
  double w = text_width (self, ZS_CANVAS_FONT_LABEL, layout->text) + 12.0;

  for (guint i = 0; i < G_N_ELEMENTS (where); i++)
    {
      graphene_point_t p = _zs_canvas_bezier_point (layout, where[i]);

      layout->label = GRAPHENE_RECT_INIT (p.x - w / 2, p.y - 9.0, w, 18.0);
      if (!overlaps_a_card (self, &layout->label))
        return;
    }
  {
    graphene_point_t mid = _zs_canvas_bezier_point (layout, 0.5);
    layout->label = GRAPHENE_RECT_INIT (mid.x - w / 2, mid.y - 9.0, w, 18.0);
  }
}

static ZsLinkLayout *
layout_link (ZsCanvas     *self,
             const ZsLink *link,
             guint         index)
{
  ZsLinkLayout *layout = g_new0 (ZsLinkLayout, 1);
  const ZsNodeLayout *conn = g_ptr_array_index (self->node_layouts, link->connect_node);
  const ZsNodeLayout *bind = g_ptr_array_index (self->node_layouts, link->bind_node);
  ZsSocketSpec *bind_socket = zs_node_get_socket (bind->node, link->bind_socket);

  layout->index = index;
  layout->badge.level = ZS_BADGE_NONE;
  layout->to_bind = link->to_bind;
  layout->to_connect = link->to_connect;
  layout->bind_type = zs_socket_spec_get_socket_type (bind_socket);
  layout->text = short_endpoint (link->connect_endpoint);
  route_link (layout, conn, link->connect_socket, bind, link->bind_socket);
  place_label (self, layout);
  return layout;
}

static void
apply_findings (ZsCanvas *self)
{
  for (guint i = 0; self->findings != NULL && i < self->findings->len; i++)
    {
      const ZsFinding *finding = g_ptr_array_index (self->findings, i);

      if (finding->link >= 0 && (guint) finding->link < self->link_layouts->len)
        {
          ZsLinkLayout *link = g_ptr_array_index (self->link_layouts, finding->link);
          badge_info_add (&link->badge, finding);
        }
      else if (finding->node != NULL)
        {
          ZsNode *node = zs_topology_find_node (self->topology, finding->node);
          ZsNodeLayout *layout = node != NULL ? _zs_canvas_find_layout (self, node) : NULL;

          if (layout != NULL)
            badge_info_add (&layout->badge, finding);
        }
    }
}

void
_zs_canvas_clear_layout (ZsCanvas *self)
{
  g_ptr_array_set_size (self->node_layouts, 0);
  g_ptr_array_set_size (self->link_layouts, 0);
  self->layout_valid = FALSE;
}

void
_zs_canvas_ensure_layout (ZsCanvas *self)
{
  GPtrArray *links;

  if (self->layout_valid)
    return;

  if (self->node_layouts == NULL)
    {
      self->node_layouts = g_ptr_array_new_with_free_func (node_layout_free);
      self->link_layouts = g_ptr_array_new_with_free_func (link_layout_free);
    }
  _zs_canvas_clear_layout (self);
  self->layout_valid = TRUE;
  if (self->topology == NULL)
    return;

  for (guint i = 0; i < zs_topology_get_n_nodes (self->topology); i++)
    g_ptr_array_add (self->node_layouts, layout_node (self, zs_topology_get_node (self->topology, i)));
  links = zs_topology_get_links (self->topology);
  for (guint i = 0; links != NULL && i < links->len; i++)
    g_ptr_array_add (self->link_layouts, layout_link (self, g_ptr_array_index (links, i), i));
  apply_findings (self);
}

ZsNodeLayout *
_zs_canvas_find_layout (ZsCanvas *self,
                        ZsNode   *node)
{
  _zs_canvas_ensure_layout (self);
  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      ZsNodeLayout *layout = g_ptr_array_index (self->node_layouts, i);

      if (layout->node == node)
        return layout;
    }
  return NULL;
}

guint
_zs_canvas_get_badge_count (ZsCanvas *self)
{
  guint n = 0;

  _zs_canvas_ensure_layout (self);
  for (guint i = 0; i < self->node_layouts->len; i++)
    n += ((ZsNodeLayout *) g_ptr_array_index (self->node_layouts, i))->badge.count > 0;
  for (guint i = 0; i < self->link_layouts->len; i++)
    n += ((ZsLinkLayout *) g_ptr_array_index (self->link_layouts, i))->badge.count > 0;
  return n;
}

gboolean
_zs_canvas_get_bounds (ZsCanvas        *self,
                       graphene_rect_t *bounds)
{
  gboolean any = FALSE;

  _zs_canvas_ensure_layout (self);
  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      const graphene_rect_t *r = &((ZsNodeLayout *) g_ptr_array_index (self->node_layouts, i))->rect;

      if (any)
        graphene_rect_union (bounds, r, bounds);
      else
        *bounds = *r;
      any = TRUE;
    }
  for (guint i = 0; any && i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);
      graphene_rect_t curve;

      graphene_rect_init (&curve, MIN (l->c1.x, l->c2.x), MIN (l->from.y, l->to.y),
                          fabs (l->c2.x - l->c1.x), fabs (l->to.y - l->from.y));
      graphene_rect_union (bounds, &l->label, bounds);
      graphene_rect_union (bounds, &curve, bounds);
    }
  /* Room for the finding badges on the corners. */
  if (any)
    graphene_rect_inset (bounds, -16, -16);
  return any;
}

/* ---- hit tests -------------------------------------------------------------- */

static gboolean
near_point (double x,
            double y,
            double px,
            double py,
            double radius)
{
  return (x - px) * (x - px) + (y - py) * (y - py) <= radius * radius;
}

static gboolean
hit_port (const ZsNodeLayout *layout,
          double              x,
          double              y,
          int                *socket)
{
  const graphene_rect_t *r = &layout->rect;

  for (guint i = 0; i < layout->sockets->len; i++)
    {
      const ZsSocketLayout *s = &g_array_index (layout->sockets, ZsSocketLayout, i);
      graphene_rect_t badge;
      double py = port_y (layout, i);

      graphene_rect_inset_r (&s->badge, -2, -2, &badge);
      if (graphene_rect_contains_point (&badge, &GRAPHENE_POINT_INIT (x, y)) ||
          near_point (x, y, r->origin.x, py, PORT_RADIUS + 3) ||
          near_point (x, y, r->origin.x + r->size.width, py, PORT_RADIUS + 3))
        {
          *socket = (int) i;
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
hit_link (const ZsLinkLayout *l,
          double              x,
          double              y,
          double              slop)
{
  if (graphene_rect_contains_point (&l->label, &GRAPHENE_POINT_INIT (x, y)))
    return TRUE;
  for (guint i = 0; i <= 32; i++)
    {
      graphene_point_t p = _zs_canvas_bezier_point (l, i / 32.0);

      if (near_point (x, y, p.x, p.y, slop))
        return TRUE;
    }
  return FALSE;
}

static ZsHit
hit_badges (ZsCanvas *self,
            double    x,
            double    y)
{
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);
      const graphene_rect_t *r = &l->label;

      if (l->badge.count > 0 && near_point (x, y, r->origin.x + r->size.width, r->origin.y, 12))
        return (ZsHit) { ZS_HIT_LINK_BADGE, 0, -1, (int) i };
    }
  for (guint i = self->node_layouts->len; i-- > 0;)
    {
      const ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);
      const graphene_rect_t *r = &n->rect;

      if (n->badge.count > 0 && near_point (x, y, r->origin.x + r->size.width, r->origin.y, 12))
        return (ZsHit) { ZS_HIT_NODE_BADGE, i, -1, -1 };
    }
  return (ZsHit) { ZS_HIT_NONE, 0, -1, -1 };
}

ZsHit
_zs_canvas_hit_test (ZsCanvas *self,
                     double    x,
                     double    y)
{
  ZsHit hit;

  _zs_canvas_ensure_layout (self);
  hit = hit_badges (self, x, y);
  if (hit.kind != ZS_HIT_NONE)
    return hit;

  /* Topmost card first: the last drawn. */
  for (guint i = self->node_layouts->len; i-- > 0;)
    {
      const ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);
      int socket;

      if (hit_port (n, x, y, &socket))
        return (ZsHit) { ZS_HIT_PORT, i, socket, -1 };
      if (graphene_rect_contains_point (&n->rect, &GRAPHENE_POINT_INIT (x, y)))
        return (ZsHit) { ZS_HIT_NODE, i, -1, -1 };
    }
  for (guint i = 0; i < self->link_layouts->len; i++)
    if (hit_link (g_ptr_array_index (self->link_layouts, i), x, y, HIT_SLOP / self->zoom))
      return (ZsHit) { ZS_HIT_LINK, 0, -1, (int) i };
  return (ZsHit) { ZS_HIT_NONE, 0, -1, -1 };
}
