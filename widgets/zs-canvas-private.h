/* zs-canvas-private.h: what the zs-canvas-*.c files share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <pango/pangocairo.h>

#include "zs-canvas.h"
#include "zs-finding.h"
#include "zs-live-model.h"

G_BEGIN_DECLS

#define ZS_CANVAS_GRID 16.0
#define ZS_CANVAS_MIN_ZOOM 0.1
#define ZS_CANVAS_MAX_ZOOM 4.0
/* A long name does not stretch a card over its neighbours. */
#define ZS_CANVAS_CARD_MAX_WIDTH 320.0
/* Presentation mode: lines and dots this much larger, the live labels a
 * bit less (the cards they sit by keep their size: the fit zooms it all). */
#define ZS_CANVAS_PRESENT_SCALE 2.0
#define ZS_CANVAS_PRESENT_TEXT_SCALE 1.5

/* Card text: measured in zs-canvas-layout.c, drawn in zs-canvas-draw.c. */
#define ZS_CANVAS_FONT_NAME "Sans Bold 12"
#define ZS_CANVAS_FONT_ROLE "Sans 9"
#define ZS_CANVAS_FONT_BADGE "Sans Bold 9"
#define ZS_CANVAS_FONT_SOCKET "Sans 9"
#define ZS_CANVAS_FONT_ENDPOINT "Monospace 9"
#define ZS_CANVAS_FONT_LABEL "Monospace 8"
/* The live labels' (zs-canvas-overlay.c), measured for their spots too. */
#define ZS_CANVAS_FONT_RATE "Sans Bold 11"
#define ZS_CANVAS_FONT_QUEUE "Sans Bold 10"
#define ZS_CANVAS_QUEUE_BAR_H 9.0
/* A port: a circle on a card's side, one per socket row. */
#define ZS_CANVAS_PORT_RADIUS 6.0

/* Finding badges: no finding, a warning, an error. */
typedef enum {
  ZS_BADGE_NONE = -1,
  ZS_BADGE_WARNING = ZS_SEVERITY_WARNING,
  ZS_BADGE_ERROR = ZS_SEVERITY_ERROR,
} ZsBadge;

typedef struct {
  ZsBadge  level;
  guint    count;
  char    *tooltip;     /* the messages, one a line */
} ZsBadgeInfo;

/* Everything below is in model coordinates, computed once per change. */
typedef struct {
  graphene_rect_t  badge;     /* the type badge, which is the port */
  double           name_x;    /* the socket's name, after the badge */
  char            *name;      /* as shown: cut to fit with "…" */
  double           lines_y;   /* first endpoint line */
  GPtrArray       *lines;     /* char*: "⊙ bind …", "→ connect …", cut to fit */
} ZsSocketLayout;

typedef struct {
  ZsNode          *node;      /* borrowed: the topology holds it */
  char            *title;     /* the name as shown: cut to fit with "…" */
  gboolean         clipped;   /* some text of the card is cut */
  graphene_rect_t  rect;
  double           role_y;
  char            *command;   /* external program: its command line, shortened; or NULL */
  double           command_y;
  GArray          *sockets;   /* ZsSocketLayout */
  ZsBadgeInfo      badge;
} ZsNodeLayout;

/* Cumulative lengths along a link's curve, so that dots move at an even
 * speed and labels go at a fraction of its length. */
#define ZS_CANVAS_ARC_STEPS 24

typedef struct {
  double lengths[ZS_CANVAS_ARC_STEPS + 1];
  double total;
} ZsCanvasArc;

/* A link's live labels that have a spot kept for them. */
typedef enum {
  ZS_LINK_SPOT_RATE,    /* the rate pill */
  ZS_LINK_SPOT_QUEUE,   /* the queue; after the run, the final figures */
  ZS_LINK_SPOT_N
} ZsLinkSpot;

typedef struct {
  guint             index;    /* in zs_topology_get_links () */
  guint             run;      /* the shown run's link drawn here (G_MAXUINT: none); `index`
                                 when no run is shown (a live change may reorder links) */
  gboolean          run_reversed; /* that run link's flow 0 goes to -> from (a live flip) */
  guint             from_card, to_card;  /* node layouts */
  graphene_point_t  from;     /* the connecting socket's port */
  graphene_point_t  c1, c2;   /* the path's control points next to from and to */
  graphene_point_t  to;       /* the binding socket's port */
  GArray           *path;     /* ZsGraphPoint: from, 3 per cubic Bézier, to */
  ZsCanvasArc       arc;      /* lengths along the path: made with it, kept between frames */
  graphene_rect_t   label;
  char             *text;
  guint             lead_direction; /* of its first messages: 0 connecting -> binding, 1 back */
  /* Where its live labels go first, placed with the layout (empty: no room
   * there; they look for one each frame), and the points of the curve
   * they are by. */
  graphene_rect_t   spots[ZS_LINK_SPOT_N];
  graphene_point_t  spot_anchors[ZS_LINK_SPOT_N];
  ZsSocketType      bind_type;
  gboolean          to_bind;
  gboolean          to_connect;
  ZsBadgeInfo       badge;
} ZsLinkLayout;

typedef enum {
  ZS_HIT_NONE,
  ZS_HIT_NODE,
  ZS_HIT_PORT,
  ZS_HIT_LINK,
  ZS_HIT_NODE_BADGE,
  ZS_HIT_LINK_BADGE,
} ZsHitKind;

typedef struct {
  ZsHitKind  kind;
  guint      node;     /* index of the node layout */
  int        socket;   /* for PORT, else -1 */
  int        link;     /* for LINK, LINK_BADGE, else -1 */
} ZsHit;

typedef enum {
  ZS_DRAG_NONE,
  ZS_DRAG_MOVE,
  ZS_DRAG_LINK,
  ZS_DRAG_RUBBER,
  ZS_DRAG_PAN,
} ZsDragMode;

/* A layer draws one concern of the scene. The live view adds its own
 * (rates, queues, drops) with _zs_canvas_add_layer () from its own file. */
typedef void (*ZsCanvasLayerFunc) (ZsCanvas *self,
                                   cairo_t  *cr,
                                   gboolean  exporting,
                                   gpointer  user_data);

/* A live layer changes every frame: on screen it appends its own nodes
 * (widget coordinates) instead of drawing into the cached static scene;
 * `func` still draws it for export. */
typedef void (*ZsCanvasSnapshotFunc) (ZsCanvas    *self,
                                      GtkSnapshot *snapshot,
                                      gpointer     user_data);

typedef struct {
  ZsCanvasLayerFunc    func;
  gpointer             user_data;
  int                  order;
  ZsCanvasSnapshotFunc snapshot_func;   /* NULL: a static layer */
} ZsCanvasLayer;

/* The layers from the bottom up: the stacking order in one place. */
typedef enum {
  ZS_CANVAS_LAYER_LINKS = 0,
  ZS_CANVAS_LAYER_FLOW = 15,         /* the dots, on the links */
  ZS_CANVAS_LAYER_LINK_LABELS = 17,  /* endpoint pills, over the dots that pass them */
  ZS_CANVAS_LAYER_NODES = 20,
  ZS_CANVAS_LAYER_OVERLAY = 25,      /* rates, queues, states: on the cards */
  ZS_CANVAS_LAYER_FINDINGS = 30,
  ZS_CANVAS_LAYER_INTERACTION = 40,
} ZsCanvasLayerOrder;

typedef struct _ZsCanvasFlowCache ZsCanvasFlowCache;
typedef struct _ZsCanvasOverlayCache ZsCanvasOverlayCache;

struct _ZsCanvas
{
  GtkWidget     parent_instance;

  ZsTopology   *topology;
  ZsHistory    *history;
  GPtrArray    *findings;
  GPtrArray    *selection;       /* ZsNode, owned; primary last */
  int           selected_link;
  guint         notified_n_selected;
  ZsLesson     *lesson;          /* borrowed from the lesson panel: its locks */
  /* presentation mode: 1, or ZS_CANVAS_PRESENT_SCALE */
  double        scale;

  /* cached layout */
  PangoContext *pango;
  GPtrArray    *node_layouts;    /* ZsNodeLayout */
  GPtrArray    *link_layouts;    /* ZsLinkLayout */
  gboolean      layout_valid;
  guint         layout_serial;   /* bumped on each new layout */
  /* links routed around the cards (zs-canvas-layout.c) */
  GCancellable *route_cancellable;  /* the route being made, or NULL */
  GCancellable *arrange_cancellable; /* the arrangement being made, or NULL */
  GPtrArray    *routes;           /* GArray path per link of routed_links */
  GArray       *routed_cards;     /* ZsGraphRect: what routes were made for */
  GArray       *routed_links;     /* ZsGraphLink */
  gboolean      routed;           /* routes are for the cards as they are */
  GArray       *layers;          /* ZsCanvasLayer, by order */
  GHashTable   *text_layouts;    /* "font\ntext" -> PangoLayout: shaped once */

  /* The static scene (every layer but the live ones), kept as render nodes
   * between frames: one per run of static layers, rebuilt only when
   * static_serial moved or the view changed. Reusing the same nodes lets
   * GTK's render-node diff skip them: damage stays where things move. */
  guint         static_serial;
  guint         static_built_serial;
  double        static_view[5];  /* zoom, offset x, y, width, height */
  int           static_scale;
  GPtrArray    *static_nodes;    /* GskRenderNode or NULL, per run */
  /* Bumped whenever the static scene is rebuilt (layout, view, session):
   * the live layers' cached nodes of an older generation are stale. */
  guint         static_generation;

  /* view: widget = model * zoom + offset */
  double        zoom;
  double        offset_x;
  double        offset_y;
  double        pointer_x;
  double        pointer_y;
  gboolean      pointer_inside;
  double        zoom_begin;
  gboolean      centered_once;
  /* The view is as the last fit left it, for a canvas of fit_width x
   * fit_height: a new size (the timeline or a banner showing) fits again. */
  gboolean      fitted;
  int           fit_width;
  int           fit_height;

  /* gestures */
  ZsDragMode    drag_mode;
  graphene_point_t drag_start;   /* model */
  graphene_point_t drag_point;   /* model */
  GArray       *drag_origins;    /* graphene_point_t per selected node */
  ZsNode       *link_source;
  guint         link_socket;
  gboolean      keyboard_link;   /* the link being drawn is the keyboard's */
  double        pan_x;
  double        pan_y;
  gboolean      drag_in_history;
  GtkWidget    *refusal;         /* popover: why a link was refused */
  GtkWidget    *fault_menu;      /* popover: faults for a card or link, live */

  gboolean      running;
  guint         live_depth;      /* history depth when the run started: undo stops there */
  guint         live_undone;     /* live steps undone during the run: redo goes that far */
  char         *last_paste;      /* pasting the same text again moves further */
  guint         paste_count;

  /* live view (zs-canvas-live.c, -flow.c, -overlay.c): the run session
   * the canvas shows */
  ZsRunSession *session;
  ZsLiveModel  *live_model;      /* the session's, NULL while editing */
  const ZsSnapshot *live_snapshot; /* the session's: the figures shown */
  GPtrArray    *live_texts;      /* PangoLayout per label slot, reused */
  GArray       *live_hot;        /* graphene_rect_t per link: its queue box */
  GArray       *live_labels;     /* graphene_rect_t: the link labels last drawn */
  GArray       *live_label_links; /* guint: the document link each of them is a label of */
  guint         live_drawn_drop_labels;
  guint         live_drawn_queues;
  guint         live_drawn_queue_numbers;
  float         live_sparkline[ZS_LIVE_SPARKLINE_LENGTH];
  /* What the live layers drew last frame, reused where nothing changed
   * (zs-canvas-flow.c, zs-canvas-overlay.c) */
  ZsCanvasFlowCache    *flow_cache;
  ZsCanvasOverlayCache *overlay_cache;
  guint         live_kept;       /* last frame: live nodes kept as they were */
  guint         live_redrawn;    /* and drawn anew */
};

/* zs-canvas.c */
void          _zs_canvas_invalidate        (ZsCanvas          *self);
void          _zs_canvas_queue_redraw      (ZsCanvas          *self);
void          _zs_canvas_add_live_layer    (ZsCanvas          *self,
                                            int                order,
                                            ZsCanvasLayerFunc  func,
                                            ZsCanvasSnapshotFunc snapshot_func,
                                            gpointer           user_data);
void          _zs_canvas_set_selection     (ZsCanvas          *self,
                                            GPtrArray         *nodes);
void          _zs_canvas_toggle_selected   (ZsCanvas          *self,
                                            ZsNode            *node);
gboolean      _zs_canvas_is_selected       (ZsCanvas          *self,
                                            ZsNode            *node);
void          _zs_canvas_zoom_at           (ZsCanvas          *self,
                                            double             zoom,
                                            double             wx,
                                            double             wy);
/* Emits "node-activated". */
void          _zs_canvas_activate_node     (ZsCanvas          *self,
                                            ZsNode            *node);
/* The line width or radius `size` as presentation mode draws it. */
double        _zs_canvas_scaled            (ZsCanvas          *self,
                                            double             size);
void          _zs_canvas_to_model          (ZsCanvas          *self,
                                            double             wx,
                                            double             wy,
                                            graphene_point_t  *model);
double        _zs_canvas_snap              (double             value);
void          _zs_canvas_add_layer         (ZsCanvas          *self,
                                            int                order,
                                            ZsCanvasLayerFunc  func,
                                            gpointer           user_data);

/* zs-canvas-edit.c */
ZsNode       *_zs_canvas_drop_role         (ZsCanvas          *self,
                                            ZsRole             role,
                                            double             wx,
                                            double             wy);
gboolean      _zs_canvas_link_ports        (ZsCanvas          *self,
                                            ZsNode            *from,
                                            guint              from_socket,
                                            ZsNode            *to,
                                            int                to_socket);
void          _zs_canvas_move_selection    (ZsCanvas          *self,
                                            double             dx,
                                            double             dy,
                                            const char        *label);
char         *_zs_canvas_copy_text         (ZsCanvas          *self);
gboolean      _zs_canvas_paste_text        (ZsCanvas          *self,
                                            const char        *text);

/* zs-canvas-layout.c */
void          _zs_canvas_ensure_layout     (ZsCanvas          *self);
void          _zs_canvas_clear_layout      (ZsCanvas          *self);
/* A refused gesture: why, in a note pointing at `at` (model coordinates),
 * until the next gesture. */
void          _zs_canvas_show_refusal      (ZsCanvas               *self,
                                            const char             *text,
                                            const graphene_point_t *at);
ZsHit         _zs_canvas_hit_test          (ZsCanvas          *self,
                                            double             x,
                                            double             y);
gboolean      _zs_canvas_get_bounds        (ZsCanvas          *self,
                                            graphene_rect_t   *bounds);
ZsNodeLayout *_zs_canvas_find_layout       (ZsCanvas          *self,
                                            ZsNode            *node);
void          _zs_canvas_dispose_routes    (ZsCanvas          *self);
char         *_zs_canvas_node_tooltip      (ZsCanvas          *self,
                                            guint              node);

/* zs-canvas-labels.c */
/* TRUE when the link's endpoint label is not drawn (no room, or another
 * link from the same bind endpoint shows it): its tooltip shows it. */
gboolean      _zs_canvas_link_label_hidden (const ZsLinkLayout *layout);
/* Places every link's endpoint label and its live labels' spots. */
void          _zs_canvas_place_labels      (ZsCanvas          *self);
/* TRUE if `rect` covers a card or one of its ports. */
gboolean      _zs_canvas_covers_a_card     (ZsCanvas              *self,
                                            const graphene_rect_t *rect);
/* TRUE when every link follows its route for the cards as they are now. */
gboolean      _zs_canvas_is_routed         (ZsCanvas          *self);
void          _zs_canvas_route_now         (ZsCanvas          *self);
/* Card positions dot gives (rankdir LR); FALSE if it gave none. An edit
 * of the history when `edit`, else a plain change (on opening a file). */
gboolean      _zs_canvas_arrange           (ZsCanvas          *self,
                                            gboolean           edit);
void          _zs_canvas_arrange_async     (ZsCanvas          *self);
gboolean      _zs_canvas_is_arranging      (ZsCanvas          *self);
guint         _zs_canvas_get_badge_count   (ZsCanvas          *self);
PangoLayout  *_zs_canvas_create_layout     (ZsCanvas          *self,
                                            const char        *font,
                                            const char        *text);
PangoLayout  *_zs_canvas_get_text_layout   (ZsCanvas          *self,
                                            const char        *font,
                                            const char        *text);

/* zs-canvas-draw.c */
void          _zs_canvas_init_layers       (ZsCanvas          *self);
void          _zs_canvas_draw_scene        (ZsCanvas          *self,
                                            cairo_t           *cr,
                                            gboolean           exporting);
void          _zs_canvas_snapshot          (GtkWidget         *widget,
                                            GtkSnapshot       *snapshot);
cairo_t      *_zs_canvas_begin_record      (ZsCanvas          *self);
GskRenderNode *_zs_canvas_end_record       (ZsCanvas          *self,
                                            cairo_t           *cr);

/* zs-canvas-input.c */
void          _zs_canvas_init_input        (ZsCanvas          *self);
/* The refusal popover, if any: presented on allocation, gone on dispose. */
void          _zs_canvas_present_popovers  (ZsCanvas          *self);
void          _zs_canvas_dispose_popovers  (ZsCanvas          *self);
/* The static scene's tooltip at a model point, or NULL. */
char         *_zs_canvas_tooltip_at        (ZsCanvas          *self,
                                            double             x,
                                            double             y);
gboolean      _zs_canvas_query_tooltip     (GtkWidget         *widget,
                                            int                x,
                                            int                y,
                                            gboolean           keyboard,
                                            GtkTooltip        *tooltip);

/* zs-canvas-live.c: following the session, and what the flow layer and
 * the overlay share */
void          _zs_canvas_init_live         (ZsCanvas          *self);
void          _zs_canvas_dispose_live      (ZsCanvas          *self);
/* The shown run's link drawn as document link `link`, G_MAXUINT if none. */
guint         _zs_canvas_run_link          (ZsCanvas          *self,
                                            int                link);
/* zs-canvas-input.c: the live changes of its link menu (canvas.flip-link,
 * canvas.link-transport). */
void          _zs_canvas_class_init_live_actions (GtkWidgetClass *widget_class);
/* zs-canvas-edit.c: the run follows the document's live changes. */
void          _zs_canvas_follow_run        (ZsCanvas          *self);
void          _zs_canvas_live_set_session  (ZsCanvas          *self,
                                            ZsRunSession      *session);
/* The moment shown is one of a run still going (rates, dots, queues);
 * else the run's final figures are drawn. */
gboolean      _zs_canvas_run_is_on         (ZsCanvas          *self);
/* The live figures at a model point, as the tooltip writes them, or NULL
 * (nothing there, or no run shown). */
char         *_zs_canvas_live_tooltip_at   (ZsCanvas               *self,
                                            const graphene_point_t *p);

void          _zs_canvas_arc_init          (ZsCanvasArc        *arc,
                                            const ZsLinkLayout *l);
/* The curve's t at a fraction of its length, from `from` (direction 0,
 * connecting socket -> binding socket) or from `to` (direction 1). */
double        _zs_canvas_arc_t             (const ZsCanvasArc  *arc,
                                            double              fraction,
                                            guint               direction);

/* Which way messages go on a link. */
typedef struct {
  gboolean dir[2];   /* directions drawn: 0 connecting -> binding, 1 back */
  guint    main;     /* the dominant flow: its receiver holds the queue */
} ZsCanvasFlow;

ZsCanvasFlow  _zs_canvas_link_flow         (ZsCanvas           *self,
                                            const ZsLinkLayout *l);

/* What the links of an external program's socket (or of all its sockets,
 * `socket` -1) carried to it and from it: it runs nothing of ours. */
typedef struct {
  guint64  to_it;
  guint64  from_it;
  gboolean estimated;   /* to_it: a round-robin sender's share */
} ZsCanvasExternalTraffic;

ZsCanvasExternalTraffic _zs_canvas_external_traffic (ZsCanvas *self,
                                                     guint     node,
                                                     int       socket);
/* "3.2 msg/s", "450 msg/s", "12.3 k/s", "1.2 M/s" */
void          _zs_canvas_format_rate       (char              *buffer,
                                            gsize              size,
                                            double             rate);
/* "Received", or what an external program's link says instead. */
const char   *_zs_canvas_received_label    (const ZsLinkStats *stats);
const char   *_zs_canvas_lost_label        (const ZsLinkStats *stats);
/* Between two external programs: figures from their traffic (an attached
 * capture), none from inside them (queues, HWM drops). */
gboolean      _zs_canvas_is_wire_link      (ZsTopology        *topology,
                                            guint              link);
gboolean      _zs_canvas_has_outside_traffic (const ZsOutsideStats *o);
/* "outside: 3 peers · 10 sent · 10 received", "~" on an estimate: the
 * chip's text and the tooltip's line. */
void          _zs_canvas_format_outside    (char                 *buffer,
                                            gsize                 size,
                                            const ZsOutsideStats *o);

/* zs-canvas-flow.c: dots, event flashes, waiting dashes */
void          _zs_canvas_init_flow         (ZsCanvas          *self);
void          _zs_canvas_dispose_flow      (ZsCanvas          *self);

/* zs-canvas-overlay.c: labels, queues, drops, node states and chips */
void          _zs_canvas_init_overlay      (ZsCanvas          *self);
void          _zs_canvas_dispose_overlay   (ZsCanvas          *self);
/* Drop counters ("✕ 8 dropped") the last frame drew: for the tests. */
guint         _zs_canvas_live_get_drawn_drop_labels (ZsCanvas *self);
/* The link labels the last frame showed (the endpoints and the live
 * labels: rates, queues, states, final figures), in model coordinates. */
const GArray *_zs_canvas_live_get_label_rects (ZsCanvas *self);
/* And the document link each of them belongs to (guint). */
const GArray *_zs_canvas_live_get_label_links (ZsCanvas *self);
/* The live nodes (clusters of dots, card and link overlays) the last frame
 * kept from the one before, and those it drew anew: for the tests. */
void          _zs_canvas_live_get_frame_work (ZsCanvas *self,
                                              guint    *kept,
                                              guint    *redrawn);
/* Queue bars the last frame drew, and how many of them with their numbers. */
void          _zs_canvas_live_get_drawn_queues (ZsCanvas *self,
                                                guint    *queues,
                                                guint    *with_numbers);

/* zs-canvas-dnd.c */
void          _zs_canvas_init_dnd          (ZsCanvas          *self);
gboolean      _zs_canvas_parse_role_drop   (const char        *text,
                                            ZsRole            *role);

/* The colour of a socket type's family (pub-sub, req-rep, pipeline, pair),
 * shared by the card badges and the live dots. */
typedef struct { double r, g, b; } ZsCanvasRgb;

const ZsCanvasRgb *_zs_canvas_socket_color (ZsSocketType type);
graphene_point_t   _zs_canvas_bezier_point (const ZsLinkLayout   *link,
                                            double                 t);
graphene_point_t   _zs_canvas_bezier_tangent (const ZsLinkLayout *link,
                                            double                 t);
void               _zs_canvas_link_path    (cairo_t               *cr,
                                            const ZsLinkLayout    *link);
void               _zs_canvas_set_color    (cairo_t               *cr,
                                            const ZsCanvasRgb     *color,
                                            double                 alpha);
void               _zs_canvas_rounded_rect (cairo_t               *cr,
                                            const graphene_rect_t *rect,
                                            double                 radius);

G_END_DECLS
