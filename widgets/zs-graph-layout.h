/* zs-graph-layout.h: layered layout and link routing by Graphviz (GTK-free)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Model coordinates: x to the right, y down, one unit a pixel at zoom 1. */
typedef struct {
  double x, y;
} ZsGraphPoint;

typedef struct {
  double x, y, width, height;
} ZsGraphRect;

/* Data flows from the tail card to the head card; ports are numbered per
 * card from the top (a card's socket rows). */
typedef struct {
  guint tail, tail_port;
  guint head, head_port;
} ZsGraphEdge;

/* A link between two ports, each on its card's left or right side: the
 * side says which way the link leaves the card. */
typedef struct {
  guint        from_card;
  ZsGraphPoint from;
  guint        to_card;
  ZsGraphPoint to;
} ZsGraphLink;

/* Layered, left to right in the direction of flow (Graphviz dot, rankdir
 * LR), with the cards' sizes (x and y are ignored) and n_ports[i] port rows
 * on card i. Fills positions[i] with card i's top-left corner, on the
 * 16-unit grid, the whole drawing starting at (origin, origin). FALSE if
 * Graphviz could not lay it out. */
gboolean   zs_graph_arrange           (const ZsGraphRect *cards,
                                       const guint       *n_ports,
                                       guint              n_cards,
                                       const ZsGraphEdge *edges,
                                       guint              n_edges,
                                       double             origin,
                                       ZsGraphPoint      *positions);

/* Routes every link around the cards (Graphviz's neato spline router,
 * lib/pathplan, with the cards where they are). Returns one path per
 * link: a GArray of ZsGraphPoint, the link's `from`, then three points per
 * cubic Bézier segment, the last one the link's `to`. A link that cannot
 * be routed (its ends touch another card, cards overlap) gets
 * zs_graph_simple_path (). Safe from any thread: calls are serialised. */
GPtrArray *zs_graph_route             (const ZsGraphRect *cards,
                                       guint              n_cards,
                                       const ZsGraphLink *links,
                                       guint              n_links);

/* A copy of a path whose ends moved: its first and last segments stretch
 * to the new ends, the middle stays (a dragged card's links until their
 * new route comes). */
GArray    *zs_graph_path_move_ends    (const GArray      *path,
                                       const ZsGraphPoint *from,
                                       const ZsGraphPoint *to);

/* One Bézier from port to port, leaving and arriving horizontally. */
GArray    *zs_graph_simple_path       (const ZsGraphRect *cards,
                                       const ZsGraphLink *link);

/* The point at t in [0, 1] along a path, each segment an equal share of t;
 * tangent (not normalised) if non-NULL. */
ZsGraphPoint zs_graph_path_point      (const GArray      *path,
                                       double             t,
                                       ZsGraphPoint      *tangent);
guint      zs_graph_path_n_segments   (const GArray      *path);
/* TRUE if the path passes inside the rectangle (more than a unit in). */
gboolean   zs_graph_path_crosses      (const GArray      *path,
                                       const ZsGraphRect *rect);

G_END_DECLS
