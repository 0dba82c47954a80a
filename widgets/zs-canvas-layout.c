/* zs-canvas-layout.c: card and link geometry, cached between changes; hit tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zs-canvas-private.h"
#include "zs-live-edit.h"
#include "zs-graph-layout.h"

#define PAD 12.0
#define HEADER_H 46.0
#define MIN_WIDTH 176.0
#define BADGE_H 20.0
#define LINE_H 16.0
#define ROW_GAP 8.0
#define HIT_SLOP 6.0
#define ARRANGE_ORIGIN 32.0


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

  g_clear_pointer (&layout->name, g_free);
  g_clear_pointer (&layout->lines, g_ptr_array_unref);
}

static void
node_layout_free (gpointer data)
{
  ZsNodeLayout *layout = data;

  g_free (layout->title);
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
  g_clear_pointer (&layout->path, g_array_unref);
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

/* "SNDHWM 2", "RCVHWM ∞": an HWM a lesson is about, none for libzmq's
 * default 1000. */
static void
add_hwm (GPtrArray  *lines,
         const char *option,
         int         hwm)
{
  if (hwm == 1000)
    return;
  if (hwm == 0)
    g_ptr_array_add (lines, g_strdup_printf ("%s ∞", option));
  else
    g_ptr_array_add (lines, g_strdup_printf ("%s %d", option, hwm));
}

/* A SUB's filters: "filter “10001 ”", "filter: everything". */
static void
add_filters (GPtrArray    *lines,
             ZsSocketSpec *socket)
{
  ZsSocketType type = zs_socket_spec_get_socket_type (socket);
  const char * const *filters = zs_socket_spec_get_subscribe (socket);
  g_autoptr(GString) text = NULL;

  if ((type != ZS_SOCKET_SUB && type != ZS_SOCKET_XSUB) || filters == NULL || filters[0] == NULL)
    return;
  if (g_strv_contains (filters, ""))
    {
      /* TRANSLATORS: on a card: a SUB socket subscribed to all messages */
      g_ptr_array_add (lines, g_strdup (_("filter: everything")));
      return;
    }
  text = g_string_new (NULL);
  for (guint i = 0; filters[i] != NULL; i++)
    g_string_append_printf (text, "%s“%s”", i > 0 ? ", " : "", filters[i]);
  /* TRANSLATORS: on a card: a SUB socket's subscription prefixes, quoted */
  g_ptr_array_add (lines, g_strdup_printf (_("filter %s"), text->str));
}

/* "⊙ bind …", "→ connect …", then the settings a lesson is about (filters,
 * HWMs that are not the default): a socket's lines, in full. */
static GPtrArray *
endpoint_lines (ZsSocketSpec *socket)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  /* TRANSLATORS: endpoint lines on a card; keep the symbols */
  add_lines (lines, _("⊙ bind %s"), zs_socket_spec_get_binds (socket));
  add_lines (lines, _("→ connect %s"), zs_socket_spec_get_connects (socket));
  add_filters (lines, socket);
  add_hwm (lines, "SNDHWM", zs_socket_spec_get_sndhwm (socket));
  add_hwm (lines, "RCVHWM", zs_socket_spec_get_rcvhwm (socket));
  return lines;
}

/* The first n characters of text and "…". */
static char *
ellipsized_prefix (const char *text,
                        glong       n)
{
  const char *end = g_utf8_offset_to_pointer (text, n);
  g_autofree char *prefix = g_strndup (text, end - text);

  return g_strconcat (prefix, "…", NULL);
}

/* The text, or as much of it as fits in `width` followed by "…". */
static char *
fit_text (ZsCanvas   *self,
          const char *font,
          const char *text,
          double      width,
          gboolean   *clipped)
{
  g_autoptr(PangoLayout) layout = NULL;
  glong lo = 0, hi;

  if (text_width (self, font, text) <= width)
    return g_strdup (text);
  *clipped = TRUE;
  layout = _zs_canvas_create_layout (self, font, text);
  hi = g_utf8_strlen (text, -1);
  while (lo < hi)
    {
      glong mid = (lo + hi + 1) / 2;
      g_autofree char *candidate = ellipsized_prefix (text, mid);
      int w, h;

      pango_layout_set_text (layout, candidate, -1);
      pango_layout_get_pixel_size (layout, &w, &h);
      if (w <= width)
        lo = mid;
      else
        hi = mid - 1;
    }
  return ellipsized_prefix (text, lo);
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
  out->lines = endpoint_lines (socket);

  *width = MAX (*width, badge_w + 8.0 + text_width (self, ZS_CANVAS_FONT_SOCKET,
                                                    zs_socket_spec_get_name (socket)));
  for (guint i = 0; i < out->lines->len; i++)
    *width = MAX (*width, text_width (self, ZS_CANVAS_FONT_ENDPOINT, g_ptr_array_index (out->lines, i)));
  return BADGE_H + 4.0 + LINE_H * out->lines->len + ROW_GAP;
}

/* A card stops at its maximum width: what does not fit ends in "…". */
static void
fit_card_texts (ZsCanvas     *self,
                ZsNodeLayout *layout)
{
  double right = layout->rect.origin.x + layout->rect.size.width - PAD;

  layout->title = fit_text (self, ZS_CANVAS_FONT_NAME, zs_node_get_name (layout->node),
                            layout->rect.size.width - 2 * PAD - 24.0, &layout->clipped);
  for (guint i = 0; i < layout->sockets->len; i++)
    {
      ZsSocketLayout *s = &g_array_index (layout->sockets, ZsSocketLayout, i);

      s->name = fit_text (self, ZS_CANVAS_FONT_SOCKET, zs_socket_spec_get_name (zs_node_get_socket (layout->node, i)),
                          right - s->name_x, &layout->clipped);
      for (guint k = 0; k < s->lines->len; k++)
        {
          char *line = fit_text (self, ZS_CANVAS_FONT_ENDPOINT, g_ptr_array_index (s->lines, k),
                                 layout->rect.size.width - 2 * PAD, &layout->clipped);

          g_free (s->lines->pdata[k]);
          s->lines->pdata[k] = line;
        }
    }
}

/* The card's tooltip: what its role does, after the name and endpoints in
 * full when the card shows them cut. */
char *
_zs_canvas_node_tooltip (ZsCanvas *self,
                         guint     index)
{
  const ZsNodeLayout *layout = g_ptr_array_index (self->node_layouts, index);
  const char *about = zs_role_describe (zs_node_get_role (layout->node));
  GString *text;

  if (!layout->clipped)
    return g_strdup (about);
  text = g_string_new (zs_node_get_name (layout->node));
  for (guint i = 0; i < zs_node_get_n_sockets (layout->node); i++)
    {
      g_autoptr(GPtrArray) lines = endpoint_lines (zs_node_get_socket (layout->node, i));

      for (guint k = 0; k < lines->len; k++)
        g_string_append_printf (text, "\n%s", (char *) g_ptr_array_index (lines, k));
    }
  g_string_append_printf (text, "\n\n%s", about);
  return g_string_free (text, FALSE);
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
  width = MIN (width, ZS_CANVAS_CARD_MAX_WIDTH);
  height = ceil ((row_y - y) / ZS_CANVAS_GRID) * ZS_CANVAS_GRID;
  layout->rect = GRAPHENE_RECT_INIT (x, y, width, height);
  fit_card_texts (self, layout);
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

static ZsGraphPoint
graph_point (const graphene_point_t *p)
{
  return (ZsGraphPoint) { p->x, p->y };
}

static ZsGraphRect
graph_rect (const graphene_rect_t *r)
{
  return (ZsGraphRect) { r->origin.x, r->origin.y, r->size.width, r->size.height };
}

/* The point at t in [0, 1] along a link's path. */
graphene_point_t
_zs_canvas_bezier_point (const ZsLinkLayout *l,
                         double              t)
{
  ZsGraphPoint p = zs_graph_path_point (l->path, t, NULL);

  return GRAPHENE_POINT_INIT (p.x, p.y);
}

/* The direction of the path at t (not normalised). */
graphene_point_t
_zs_canvas_bezier_tangent (const ZsLinkLayout *l,
                           double              t)
{
  ZsGraphPoint tangent;

  zs_graph_path_point (l->path, t, &tangent);
  return GRAPHENE_POINT_INIT (tangent.x, tangent.y);
}

/* Adds the link's path to the cairo path. */
void
_zs_canvas_link_path (cairo_t            *cr,
                      const ZsLinkLayout *l)
{
  const ZsGraphPoint *p = (const ZsGraphPoint *) l->path->data;

  cairo_move_to (cr, p[0].x, p[0].y);
  for (guint i = 1; i + 2 < l->path->len; i += 3)
    cairo_curve_to (cr, p[i].x, p[i].y, p[i + 1].x, p[i + 1].y, p[i + 2].x, p[i + 2].y);
}

/* The ports face each other; cards above one another use their right sides. */
static void
link_ends (ZsLinkLayout       *out,
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

  out->from = GRAPHENE_POINT_INIT (from_dir > 0 ? a->origin.x + a->size.width : a->origin.x,
                                   port_y (conn, cs));
  out->to = GRAPHENE_POINT_INIT (to_dir > 0 ? b->origin.x + b->size.width : b->origin.x,
                                 port_y (bind, bs));
}

/* Takes the path; c1 and c2 are the control points next to the ends, which
 * give the directions the arrowheads point. */
static void
set_link_path (ZsLinkLayout *l,
               GArray       *path)
{
  g_clear_pointer (&l->path, g_array_unref);
  l->path = path;
  l->c1 = GRAPHENE_POINT_INIT (g_array_index (path, ZsGraphPoint, 1).x,
                               g_array_index (path, ZsGraphPoint, 1).y);
  l->c2 = GRAPHENE_POINT_INIT (g_array_index (path, ZsGraphPoint, path->len - 2).x,
                               g_array_index (path, ZsGraphPoint, path->len - 2).y);
  _zs_canvas_arc_init (&l->arc, l);
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

static gboolean bind_side_leads (ZsTopology   *topology,
                                 const ZsLink *link);

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
  layout->run = index;
  if (self->session != NULL)
    {
      int run = zs_live_edit_find_link (zs_run_session_get_topology (self->session), self->topology, index,
                                        &layout->run_reversed);
      layout->run = run >= 0 ? (guint) run : G_MAXUINT;
    }
  layout->badge.level = ZS_BADGE_NONE;
  layout->to_bind = link->to_bind;
  layout->to_connect = link->to_connect;
  layout->bind_type = zs_socket_spec_get_socket_type (bind_socket);
  layout->text = short_endpoint (link->connect_endpoint);
  layout->from_card = link->connect_node;
  layout->to_card = link->bind_node;
  layout->lead_direction = bind_side_leads (self->topology, link) ? 1 : 0;
  link_ends (layout, conn, link->connect_socket, bind, link->bind_socket);
  return layout;
}

/* ---- routes ------------------------------------------------------------------ */

/* What a route is made for: the cards where they are and the links' ends. */
static GArray *
request_cards (ZsCanvas *self)
{
  GArray *cards = g_array_sized_new (FALSE, FALSE, sizeof (ZsGraphRect), self->node_layouts->len);

  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      ZsGraphRect rect = graph_rect (&((ZsNodeLayout *) g_ptr_array_index (self->node_layouts, i))->rect);

      g_array_append_val (cards, rect);
    }
  return cards;
}

static GArray *
request_links (ZsCanvas *self)
{
  GArray *links = g_array_sized_new (FALSE, FALSE, sizeof (ZsGraphLink), self->link_layouts->len);

  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);
      ZsGraphLink link = { l->from_card, graph_point (&l->from), l->to_card, graph_point (&l->to) };

      g_array_append_val (links, link);
    }
  return links;
}

static gboolean
same_arrays (const GArray *a,
             const GArray *b,
             gsize         element)
{
  return a != NULL && b != NULL && a->len == b->len && memcmp (a->data, b->data, a->len * element) == 0;
}

typedef struct {
  GArray    *cards;
  GArray    *links;
} RouteJob;

static void
route_job_free (RouteJob *job)
{
  g_array_unref (job->cards);
  g_array_unref (job->links);
  g_free (job);
}

static void
route_in_thread (GTask        *task,
                 gpointer      source,
                 gpointer      data,
                 GCancellable *cancellable)
{
  RouteJob *job = data;

  g_task_return_pointer (task, zs_graph_route ((ZsGraphRect *) job->cards->data, job->cards->len,
                                               (ZsGraphLink *) job->links->data, job->links->len),
                         (GDestroyNotify) g_ptr_array_unref);
}

/* Takes routes, made for those cards and links; the layout is rebuilt. */
static void
keep_routes (ZsCanvas  *self,
             GPtrArray *routes,
             GArray    *cards,
             GArray    *links)
{
  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->routed_cards, g_array_unref);
  g_clear_pointer (&self->routed_links, g_array_unref);
  self->routes = routes;
  self->routed_cards = g_array_ref (cards);
  self->routed_links = g_array_ref (links);
  _zs_canvas_invalidate (self);
}

static void
route_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = G_TASK (result);
  RouteJob *job = g_task_get_task_data (task);
  GPtrArray *routes = g_task_propagate_pointer (task, NULL);
  ZsCanvas *self = user_data;

  /* Cancelled: the canvas is gone. */
  if (routes == NULL)
    return;
  g_clear_object (&self->route_cancellable);
  keep_routes (self, routes, job->cards, job->links);
}

/* TRUE if the link joins the same cards as it did, leaving and arriving on
 * the same sides. */
static gboolean
same_sides (const GArray      *cards,
            const ZsGraphLink *link,
            const GArray      *was_cards,
            const ZsGraphLink *was)
{
  const ZsGraphRect *c = (const ZsGraphRect *) cards->data, *w = (const ZsGraphRect *) was_cards->data;

  if (link->from_card != was->from_card || link->to_card != was->to_card ||
      link->from_card >= MIN (cards->len, was_cards->len) || link->to_card >= MIN (cards->len, was_cards->len))
    return FALSE;
  return (link->from.x > c[link->from_card].x) == (was->from.x > w[was->from_card].x) &&
         (link->to.x > c[link->to_card].x) == (was->to.x > w[was->to_card].x);
}

/* Routing is Graphviz's work in a thread, off the frame path: a link keeps
 * its last route while its ends stay put, stretches it to its new ends while
 * a card moves (same sides), else gets a plain curve, until the route for
 * the cards as they are now comes back. One route at a time;
 * when it is done, the layout is rebuilt and starts the next if need be. */
static void
apply_routes (ZsCanvas *self)
{
  g_autoptr(GArray) cards = request_cards (self);
  g_autoptr(GArray) links = request_links (self);
  gboolean same_cards = same_arrays (cards, self->routed_cards, sizeof (ZsGraphRect));

  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, i);
      const ZsGraphLink *link = &g_array_index (links, ZsGraphLink, i);
      const ZsGraphLink *was = self->routes != NULL && i < self->routed_links->len
                               ? &g_array_index (self->routed_links, ZsGraphLink, i) : NULL;

      if (was != NULL && memcmp (link, was, sizeof *link) == 0)
        set_link_path (l, g_array_ref (g_ptr_array_index (self->routes, i)));
      else if (was != NULL && same_sides (cards, link, self->routed_cards, was))
        set_link_path (l, zs_graph_path_move_ends (g_ptr_array_index (self->routes, i), &link->from, &link->to));
      else
        set_link_path (l, zs_graph_simple_path ((ZsGraphRect *) cards->data, link));
    }
  _zs_canvas_place_labels (self);
  self->routed = same_cards && same_arrays (links, self->routed_links, sizeof (ZsGraphLink));
  if (!self->routed && self->route_cancellable == NULL)
    {
      RouteJob *job = g_new0 (RouteJob, 1);
      g_autoptr(GTask) task = NULL;

      job->cards = g_steal_pointer (&cards);
      job->links = g_steal_pointer (&links);
      self->route_cancellable = g_cancellable_new ();
      task = g_task_new (NULL, self->route_cancellable, route_done_cb, self);
      g_task_set_source_tag (task, apply_routes);
      g_task_set_task_data (task, job, (GDestroyNotify) route_job_free);
      g_task_run_in_thread (task, route_in_thread);
    }
}

void
_zs_canvas_dispose_routes (ZsCanvas *self)
{
  if (self->route_cancellable != NULL)
    g_cancellable_cancel (self->route_cancellable);
  g_clear_object (&self->route_cancellable);
  if (self->arrange_cancellable != NULL)
    g_cancellable_cancel (self->arrange_cancellable);
  g_clear_object (&self->arrange_cancellable);
  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->routed_cards, g_array_unref);
  g_clear_pointer (&self->routed_links, g_array_unref);
}

gboolean
_zs_canvas_is_routed (ZsCanvas *self)
{
  _zs_canvas_ensure_layout (self);
  return self->routed;
}

/* Routes the links here and now, for an export that cannot wait. */
void
_zs_canvas_route_now (ZsCanvas *self)
{
  g_autoptr(GArray) cards = NULL;
  g_autoptr(GArray) links = NULL;

  if (_zs_canvas_is_routed (self))
    return;
  cards = request_cards (self);
  links = request_links (self);
  keep_routes (self, zs_graph_route ((ZsGraphRect *) cards->data, cards->len,
                                     (ZsGraphLink *) links->data, links->len),
               cards, links);
}

/* ---- arrange ----------------------------------------------------------------- */

static gboolean
asks (ZsSocketType type)
{
  return type == ZS_SOCKET_REQ || type == ZS_SOCKET_DEALER;
}

static ZsSocketType
link_socket_type (ZsTopology *topology,
                  guint       node,
                  guint       socket)
{
  return zs_socket_spec_get_socket_type (zs_node_get_socket (zs_topology_get_node (topology, node), socket));
}

/* Which way a link's messages go first: from the sender of a one-way
 * link; on a two-way link from the side that asks (REQ, DEALER) to the
 * one that answers, and else from the connecting side. */
static gboolean
bind_side_leads (ZsTopology   *topology,
                 const ZsLink *link)
{
  if (link->to_bind != link->to_connect)
    return link->to_connect;
  return asks (link_socket_type (topology, link->bind_node, link->bind_socket)) &&
         !asks (link_socket_type (topology, link->connect_node, link->connect_socket));
}

static ZsGraphEdge
flow_edge (const ZsLink *link,
           gboolean      bind_leads)
{
  if (bind_leads)
    return (ZsGraphEdge) { link->bind_node, link->bind_socket, link->connect_node, link->connect_socket };
  return (ZsGraphEdge) { link->connect_node, link->connect_socket, link->bind_node, link->bind_socket };
}

/* A two-way link between nodes that a one-way link already joins follows
 * it: the synchronised publisher's REQ-REP check-in goes the way of its
 * updates, not against them. */
static gboolean
follows_one_way (GPtrArray    *links,
                 const ZsLink *link,
                 gboolean     *bind_leads)
{
  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *other = g_ptr_array_index (links, i);

      if (other->to_bind == other->to_connect)
        continue;
      if (other->bind_node == link->bind_node && other->connect_node == link->connect_node)
        *bind_leads = other->to_connect;
      else if (other->bind_node == link->connect_node && other->connect_node == link->bind_node)
        *bind_leads = other->to_bind;
      else
        continue;
      return TRUE;
    }
  return FALSE;
}

static GArray *
flow_edges (ZsTopology *topology)
{
  GPtrArray *links = zs_topology_get_links (topology);
  GArray *edges = g_array_new (FALSE, FALSE, sizeof (ZsGraphEdge));

  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      const ZsLink *link = g_ptr_array_index (links, i);
      gboolean bind_leads;
      ZsGraphEdge edge;

      if (link->to_bind == link->to_connect && follows_one_way (links, link, &bind_leads))
        edge = flow_edge (link, bind_leads);
      else
        edge = flow_edge (link, bind_side_leads (topology, link));
      g_array_append_val (edges, edge);
    }
  return edges;
}

/* What Graphviz needs to arrange the cards, taken on the main thread; the
 * nodes are kept, since the layouts go stale as the first one moves. */
typedef struct {
  GArray       *cards;
  GArray       *edges;
  guint        *n_ports;
  GPtrArray    *nodes;
  ZsGraphPoint *positions;
} ArrangeJob;

static void
arrange_job_free (ArrangeJob *job)
{
  g_array_unref (job->cards);
  g_array_unref (job->edges);
  g_free (job->n_ports);
  g_ptr_array_unref (job->nodes);
  g_free (job->positions);
  g_free (job);
}

static ArrangeJob *
arrange_job_new (ZsCanvas *self)
{
  ArrangeJob *job;
  guint n;

  _zs_canvas_ensure_layout (self);
  n = self->node_layouts->len;
  if (self->topology == NULL || n == 0)
    return NULL;
  job = g_new0 (ArrangeJob, 1);
  job->cards = request_cards (self);
  job->edges = flow_edges (self->topology);
  job->n_ports = g_new (guint, n);
  job->nodes = g_ptr_array_new_with_free_func (g_object_unref);
  job->positions = g_new (ZsGraphPoint, n);
  for (guint i = 0; i < n; i++)
    {
      ZsNodeLayout *layout = g_ptr_array_index (self->node_layouts, i);

      job->n_ports[i] = layout->sockets->len;
      g_ptr_array_add (job->nodes, g_object_ref (layout->node));
    }
  return job;
}

static gboolean
arrange_job_run (ArrangeJob *job)
{
  return zs_graph_arrange ((ZsGraphRect *) job->cards->data, job->n_ports, job->nodes->len,
                           (ZsGraphEdge *) job->edges->data, job->edges->len, ARRANGE_ORIGIN, job->positions);
}

/* Moves the cards where Graphviz put them: one undo step when `edit`. */
static void
arrange_job_apply (ZsCanvas   *self,
                   ArrangeJob *job,
                   gboolean    edit)
{
  if (edit)
    zs_history_begin (self->history, _("Arrange"));
  for (guint i = 0; i < job->nodes->len; i++)
    zs_node_set_position (g_ptr_array_index (job->nodes, i), job->positions[i].x, job->positions[i].y);
  if (edit)
    {
      zs_history_end (self->history);
      zs_history_seal (self->history);
    }
}

gboolean
_zs_canvas_arrange (ZsCanvas *self,
                    gboolean  edit)
{
  ArrangeJob *job = arrange_job_new (self);
  gboolean done = job != NULL && arrange_job_run (job);

  if (done)
    arrange_job_apply (self, job, edit);
  g_clear_pointer (&job, arrange_job_free);
  return done;
}

static void
arrange_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  g_task_return_boolean (task, arrange_job_run (data));
}

/* Applied only to the topology it was made for, and only if no card was
 * added or removed meanwhile. */
static void
arrange_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = G_TASK (result);
  ArrangeJob *job = g_task_get_task_data (task);
  ZsCanvas *self = user_data;

  /* Cancelled: the canvas is gone. */
  if (!g_task_propagate_boolean (task, NULL))
    {
      if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
        g_clear_object (&self->arrange_cancellable);
      return;
    }
  g_clear_object (&self->arrange_cancellable);
  if (self->topology == NULL || self->running ||
      zs_topology_get_n_nodes (self->topology) != job->nodes->len ||
      zs_topology_find_node_index (self->topology, g_ptr_array_index (job->nodes, 0)) != 0)
    return;
  arrange_job_apply (self, job, TRUE);
  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    zs_canvas_fit (self);
}

/* Ctrl+L: Graphviz works in a thread, so a large topology never holds a
 * frame; the cards move when it is done. */
void
_zs_canvas_arrange_async (ZsCanvas *self)
{
  ArrangeJob *job;
  g_autoptr(GTask) task = NULL;

  if (self->arrange_cancellable != NULL || (job = arrange_job_new (self)) == NULL)
    return;
  self->arrange_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->arrange_cancellable, arrange_done_cb, self);
  g_task_set_source_tag (task, _zs_canvas_arrange_async);
  g_task_set_task_data (task, job, (GDestroyNotify) arrange_job_free);
  g_task_run_in_thread (task, arrange_in_thread);
}

gboolean
_zs_canvas_is_arranging (ZsCanvas *self)
{
  return self->arrange_cancellable != NULL;
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
  self->layout_serial++;
  if (self->topology == NULL)
    return;

  for (guint i = 0; i < zs_topology_get_n_nodes (self->topology); i++)
    g_ptr_array_add (self->node_layouts, layout_node (self, zs_topology_get_node (self->topology, i)));
  links = zs_topology_get_links (self->topology);
  for (guint i = 0; links != NULL && i < links->len; i++)
    g_ptr_array_add (self->link_layouts, layout_link (self, g_ptr_array_index (links, i), i));
  apply_routes (self);
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

      /* A Bézier stays within its control points. */
      for (guint k = 0; k < l->path->len; k++)
        {
          const ZsGraphPoint *p = &g_array_index (l->path, ZsGraphPoint, k);

          graphene_rect_union (bounds, &GRAPHENE_RECT_INIT (p->x, p->y, 0, 0), bounds);
        }
      graphene_rect_union (bounds, &l->label, bounds);
      for (guint k = 0; k < ZS_LINK_SPOT_N; k++)
        if (l->spots[k].size.width > 0)
          graphene_rect_union (bounds, &l->spots[k], bounds);
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
          near_point (x, y, r->origin.x, py, ZS_CANVAS_PORT_RADIUS + 3) ||
          near_point (x, y, r->origin.x + r->size.width, py, ZS_CANVAS_PORT_RADIUS + 3))
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
  guint n = 32 * zs_graph_path_n_segments (l->path);

  for (guint i = 0; i <= n; i++)
    {
      graphene_point_t p = _zs_canvas_bezier_point (l, (double) i / n);

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
