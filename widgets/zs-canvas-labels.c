/* zs-canvas-labels.c: where each link's labels go, placed when the layout
 * changes: its endpoint pill, and the spots its live labels (the rate, the
 * queue or the final figures) take first, each along the link's own path,
 * over no card, no port and no other label, and where it can over no other
 * link's path (links that share a corridor keep their labels apart)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <math.h>

#include "zs-canvas-private.h"
#include "zs-graph-layout.h"

#define LABEL_H        18.0
#define LABEL_SHIFT    13.0   /* an endpoint label off the curve: just above or below it */
#define NEAR           160.0  /* what a link's labels can meet: within this of its path */

/* The rectangles overlap (more than touch); both of positive size. */
static inline gboolean
meets (const graphene_rect_t *a,
       const graphene_rect_t *b)
{
  return a->origin.x < b->origin.x + b->size.width && b->origin.x < a->origin.x + a->size.width &&
         a->origin.y < b->origin.y + b->size.height && b->origin.y < a->origin.y + a->size.height;
}

/* A card's ports stick out of its sides: circles on its left and right
 * edges, one per socket row. */
static gboolean
covers_a_port (ZsCanvas              *self,
               const ZsNodeLayout    *n,
               const graphene_rect_t *rect)
{
  double r = _zs_canvas_scaled (self, ZS_CANVAS_PORT_RADIUS) + 1;

  for (guint i = 0; i < n->sockets->len; i++)
    {
      const graphene_rect_t *badge = &g_array_index (n->sockets, ZsSocketLayout, i).badge;
      double cy = badge->origin.y + badge->size.height / 2;

      if (meets (rect, &GRAPHENE_RECT_INIT (n->rect.origin.x - r, cy - r, 2 * r, 2 * r)) ||
          meets (rect, &GRAPHENE_RECT_INIT (n->rect.origin.x + n->rect.size.width - r, cy - r, 2 * r, 2 * r)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
covers_card (ZsCanvas              *self,
             const ZsNodeLayout    *n,
             const graphene_rect_t *rect)
{
  double r = _zs_canvas_scaled (self, ZS_CANVAS_PORT_RADIUS) + 1;
  graphene_rect_t reach = GRAPHENE_RECT_INIT (n->rect.origin.x - r, n->rect.origin.y,
                                              n->rect.size.width + 2 * r, n->rect.size.height);

  return meets (rect, &reach) && (meets (rect, &n->rect) || covers_a_port (self, n, rect));
}

gboolean
_zs_canvas_covers_a_card (ZsCanvas              *self,
                          const graphene_rect_t *rect)
{
  for (guint i = 0; i < self->node_layouts->len; i++)
    if (covers_card (self, g_ptr_array_index (self->node_layouts, i), rect))
      return TRUE;
  return FALSE;
}

/* ---- placing ------------------------------------------------------------------ */

/* What the labels of one link can meet: the cards, labels and other links
 * near its path, gathered once for all its candidate spots. */
typedef struct {
  GPtrArray *cards;     /* ZsNodeLayout */
  GArray    *taken;     /* graphene_rect_t: labels and spots placed so far, all links */
  GArray    *near;      /* graphene_rect_t: those of `taken` near the link */
  GPtrArray *links;     /* ZsLinkLayout: other links near it */
  GArray    *bounds;    /* graphene_rect_t per link layout: its path's box */
} Placer;

static graphene_rect_t
path_bounds (const ZsLinkLayout *l)
{
  const ZsGraphPoint *p = (const ZsGraphPoint *) l->path->data;
  double x0 = p[0].x, y0 = p[0].y, x1 = p[0].x, y1 = p[0].y;

  /* A Bézier stays within its control points. */
  for (guint i = 1; i < l->path->len; i++)
    {
      x0 = MIN (x0, p[i].x);
      y0 = MIN (y0, p[i].y);
      x1 = MAX (x1, p[i].x);
      y1 = MAX (y1, p[i].y);
    }
  return GRAPHENE_RECT_INIT (x0, y0, x1 - x0, y1 - y0);
}

static void
placer_init (ZsCanvas *self,
             Placer   *placer)
{
  placer->cards = g_ptr_array_new ();
  placer->taken = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  placer->near = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  placer->links = g_ptr_array_new ();
  placer->bounds = g_array_sized_new (FALSE, FALSE, sizeof (graphene_rect_t), self->link_layouts->len);
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      graphene_rect_t box = path_bounds (g_ptr_array_index (self->link_layouts, i));

      g_array_append_val (placer->bounds, box);
    }
}

static void
placer_clear (Placer *placer)
{
  g_ptr_array_unref (placer->cards);
  g_array_unref (placer->taken);
  g_array_unref (placer->near);
  g_ptr_array_unref (placer->links);
  g_array_unref (placer->bounds);
}

static gboolean label_shown_by (const ZsLinkLayout *l,
                                const ZsLinkLayout *other);

/* Gathers what is near link `index`; for its endpoint label (`label`), the
 * links that share it are none of the others. */
static void
placer_focus (ZsCanvas *self,
              Placer   *placer,
              guint     index,
              gboolean  label)
{
  const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, index);
  graphene_rect_t area;

  graphene_rect_inset_r (&g_array_index (placer->bounds, graphene_rect_t, index), -NEAR, -NEAR, &area);
  g_ptr_array_set_size (placer->cards, 0);
  g_array_set_size (placer->near, 0);
  g_ptr_array_set_size (placer->links, 0);
  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);
      double r = _zs_canvas_scaled (self, ZS_CANVAS_PORT_RADIUS) + 1;

      if (meets (&area, &GRAPHENE_RECT_INIT (n->rect.origin.x - r, n->rect.origin.y,
                                             n->rect.size.width + 2 * r, n->rect.size.height)))
        g_ptr_array_add (placer->cards, n);
    }
  for (guint i = 0; i < placer->taken->len; i++)
    if (meets (&area, &g_array_index (placer->taken, graphene_rect_t, i)))
      g_array_append_val (placer->near, g_array_index (placer->taken, graphene_rect_t, i));
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      ZsLinkLayout *other = g_ptr_array_index (self->link_layouts, i);

      if (i != index && meets (&area, &g_array_index (placer->bounds, graphene_rect_t, i)) &&
          !(label && label_shown_by (l, other)))
        g_ptr_array_add (placer->links, other);
    }
}

static void
placer_take (Placer                *placer,
             const graphene_rect_t *rect)
{
  g_array_append_val (placer->taken, *rect);
  g_array_append_val (placer->near, *rect);
}

/* Over no card, no port, no label placed before. */
static gboolean
placer_is_free (ZsCanvas              *self,
                const Placer          *placer,
                const graphene_rect_t *rect)
{
  for (guint i = 0; i < placer->cards->len; i++)
    if (covers_card (self, g_ptr_array_index (placer->cards, i), rect))
      return FALSE;
  for (guint i = 0; i < placer->near->len; i++)
    if (meets (rect, &g_array_index (placer->near, graphene_rect_t, i)))
      return FALSE;
  return TRUE;
}

/* Over another link's path: whose label it would seem to be. */
static gboolean
placer_hides_a_link (const Placer          *placer,
                     const graphene_rect_t *rect)
{
  ZsGraphRect r = { rect->origin.x, rect->origin.y, rect->size.width, rect->size.height };

  for (guint i = 0; i < placer->links->len; i++)
    if (zs_graph_path_crosses (((ZsLinkLayout *) g_ptr_array_index (placer->links, i))->path, &r))
      return TRUE;
  return FALSE;
}

/* Where a box goes around a point of its link's curve. */
typedef enum {
  SPOT_ON,        /* centred on the curve */
  SPOT_ON_ABOVE,  /* an endpoint label just above or below it */
  SPOT_ON_BELOW,
  SPOT_ABOVE,     /* beside the curve, `gap` away */
  SPOT_BELOW,
  SPOT_LEFT,
  SPOT_RIGHT,
} SpotSide;

static graphene_rect_t
spot_box (const graphene_point_t *p,
          graphene_size_t         size,
          SpotSide                side,
          double                  gap)
{
  double x = p->x - size.width / 2, y = p->y - size.height / 2;

  switch (side)
    {
    case SPOT_ON_ABOVE:
      y -= LABEL_SHIFT;
      break;
    case SPOT_ON_BELOW:
      y += LABEL_SHIFT;
      break;
    case SPOT_ABOVE:
      y = p->y - size.height - gap;
      break;
    case SPOT_BELOW:
      y = p->y + gap;
      break;
    case SPOT_LEFT:
      x = p->x - size.width - gap;
      break;
    case SPOT_RIGHT:
      x = p->x + gap;
      break;
    case SPOT_ON:
    default:
      break;
    }
  return GRAPHENE_RECT_INIT (x, y, size.width, size.height);
}

typedef struct {
  const double   *fractions;   /* of the link's length, from the end `direction` leaves */
  guint           n_fractions;
  guint           direction;   /* 0: from the connecting socket, 1: from the binding one */
  const SpotSide *sides;
  guint           n_sides;
  const double   *gaps;
  guint           n_gaps;
} Candidates;

/* Free spots tried for one that hides no other link after the first free
 * one: a crowded drawing, where every spot hides one, costs no more. */
#define MAX_MORE_TRIES 12

/* The first free spot that hides no other link, else the first free one;
 * FALSE if none is free. `anchor`: where on the curve it is. */
static gboolean
place_along (ZsCanvas           *self,
             const Placer       *placer,
             const ZsLinkLayout *l,
             graphene_size_t     size,
             const Candidates   *c,
             graphene_rect_t    *box,
             graphene_point_t   *anchor)
{
  gboolean found = FALSE;
  guint tries = 0;

  for (guint g = 0; g < c->n_gaps; g++)
    for (guint f = 0; f < c->n_fractions; f++)
      {
        graphene_point_t p = _zs_canvas_bezier_point (l, _zs_canvas_arc_t (&l->arc, c->fractions[f], c->direction));

        for (guint s = 0; s < c->n_sides; s++)
          {
            graphene_rect_t spot = spot_box (&p, size, c->sides[s], c->gaps[g]);

            if (!placer_is_free (self, placer, &spot))
              continue;
            if (!placer_hides_a_link (placer, &spot))
              {
                *box = spot;
                *anchor = p;
                return TRUE;
              }
            if (!found)
              {
                *box = spot;
                *anchor = p;
                found = TRUE;
              }
            else if (++tries > MAX_MORE_TRIES)
              return TRUE;
          }
      }
  return found;
}

/* ---- endpoint labels ---------------------------------------------------------- */

static double
label_width (ZsCanvas   *self,
             const char *text)
{
  int w, h;

  pango_layout_get_pixel_size (_zs_canvas_get_text_layout (self, ZS_CANVAS_FONT_LABEL, text), &w, &h);
  return w + 12.0;
}

/* Links from one bind endpoint (the five workers of one DEALER) say the
 * same: the first of them shows it for all, by the binding socket. */
static gboolean
label_shown_by (const ZsLinkLayout *l,
                const ZsLinkLayout *other)
{
  return other->to_card == l->to_card && graphene_point_equal (&other->to, &l->to) &&
         g_strcmp0 (other->text, l->text) == 0;
}

static char *
label_key (const ZsLinkLayout *l)
{
  return g_strdup_printf ("%u %g %g %s", l->to_card, l->to.x, l->to.y, l->text);
}

/* Per link: how many links show its label (1: its own). */
static guint *
count_sharing (ZsCanvas *self)
{
  g_autoptr(GHashTable) first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint *sharing = g_new0 (guint, self->link_layouts->len);

  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      char *key = label_key (g_ptr_array_index (self->link_layouts, i));
      gpointer at;

      if (g_hash_table_lookup_extended (first, key, NULL, &at))
        {
          sharing[GPOINTER_TO_UINT (at)]++;
          g_free (key);
        }
      else
        {
          sharing[i] = 1;
          g_hash_table_insert (first, key, GUINT_TO_POINTER (i));
        }
    }
  return sharing;
}

/* On the path, as near its middle as hides nothing (near the binding
 * socket for a label several links share): on the curve, else just above
 * or below it. Where there is no room, no label: an empty rectangle at the
 * middle, and the endpoint in the link's tooltip. */
static void
place_endpoint_label (ZsCanvas     *self,
                      Placer       *placer,
                      ZsLinkLayout *l,
                      guint         sharing)
{
  static const double middle[] = { 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.15, 0.85 };
  static const double by_bind[] = { 0.15, 0.22, 0.3, 0.4, 0.5, 0.6, 0.7 };
  static const SpotSide sides[] = { SPOT_ON, SPOT_ON_ABOVE, SPOT_ON_BELOW };
  static const double gap[] = { 0 };
  graphene_size_t size = GRAPHENE_SIZE_INIT (label_width (self, l->text), LABEL_H);
  gboolean shared = sharing != 1;
  Candidates c = { middle, G_N_ELEMENTS (middle), 0, sides, G_N_ELEMENTS (sides), gap, 1 };
  graphene_point_t anchor;

  if (shared)
    c = (Candidates) { by_bind, G_N_ELEMENTS (by_bind), 1, sides, G_N_ELEMENTS (sides), gap, 1 };
  if (sharing > 0 && place_along (self, placer, l, size, &c, &l->label, &anchor))
    placer_take (placer, &l->label);
  else
    {
      graphene_point_t mid = _zs_canvas_bezier_point (l, 0.5);

      l->label = GRAPHENE_RECT_INIT (mid.x, mid.y, 0, 0);
    }
}

gboolean
_zs_canvas_link_label_hidden (const ZsLinkLayout *layout)
{
  return layout->label.size.width <= 0;
}

/* ---- the live labels' spots ------------------------------------------------------ */

static graphene_size_t
text_size (ZsCanvas   *self,
           const char *font,
           const char *text)
{
  double scale = zs_canvas_get_presentation (self) ? ZS_CANVAS_PRESENT_TEXT_SCALE : 1;
  int w, h;

  pango_layout_get_pixel_size (_zs_canvas_get_text_layout (self, font, text), &w, &h);
  return GRAPHENE_SIZE_INIT (ceil (w * scale), ceil (h * scale));
}

/* The rate pill and the queue chip at their usual size ("3.2 msg/s",
 * "0 / 2000" over its bar), as zs-canvas-overlay.c draws them. */
static graphene_size_t
spot_size (ZsCanvas *self,
           guint     spot)
{
  graphene_size_t size;

  if (spot == ZS_LINK_SPOT_RATE)
    {
      size = text_size (self, ZS_CANVAS_FONT_RATE, "888 msg/s");
      return GRAPHENE_SIZE_INIT (size.width + 14, size.height + 4);
    }
  size = text_size (self, ZS_CANVAS_FONT_QUEUE, "0 / ~2000");
  return GRAPHENE_SIZE_INIT (MAX (size.width + 10, 44), size.height + ZS_CANVAS_QUEUE_BAR_H + 6);
}

/* The queue near the receiving end of the link's first flow, the rate
 * beside it: along the link, next to its curve. */
static void
place_spots (ZsCanvas     *self,
             Placer       *placer,
             ZsLinkLayout *l)
{
  static const double queue_at[] = { 0.85, 0.75, 0.65, 0.5, 0.35, 0.9, 0.2 };
  static const double rate_at[] = { 0.7, 0.8, 0.55, 0.4, 0.9, 0.25, 0.15 };
  static const SpotSide sides[] = { SPOT_ABOVE, SPOT_BELOW, SPOT_LEFT, SPOT_RIGHT, SPOT_ON };
  static const double gaps[] = { 3, 16 };
  const double *at[ZS_LINK_SPOT_N] = { rate_at, queue_at };

  for (guint k = 0; k < ZS_LINK_SPOT_N; k++)
    {
      Candidates c = { at[k], 7, l->lead_direction, sides, G_N_ELEMENTS (sides), gaps, G_N_ELEMENTS (gaps) };

      if (place_along (self, placer, l, spot_size (self, k), &c, &l->spots[k], &l->spot_anchors[k]))
        placer_take (placer, &l->spots[k]);
      else
        l->spots[k] = GRAPHENE_RECT_INIT (0, 0, 0, 0);
    }
}

/* Every link's endpoint label, then the spots of its live labels. */
void
_zs_canvas_place_labels (ZsCanvas *self)
{
  g_autofree guint *sharing = count_sharing (self);
  Placer placer;

  placer_init (self, &placer);
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      placer_focus (self, &placer, i, FALSE);
      place_spots (self, &placer, g_ptr_array_index (self->link_layouts, i));
    }
  for (guint i = 0; i < self->link_layouts->len; i++)
    {
      placer_focus (self, &placer, i, TRUE);
      place_endpoint_label (self, &placer, g_ptr_array_index (self->link_layouts, i), sharing[i]);
    }
  placer_clear (&placer);
}
