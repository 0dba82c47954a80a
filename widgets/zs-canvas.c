/* zs-canvas.c: the canvas object: topology, selection, findings, view
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "zs-canvas-private.h"

#define ZOOM_STEP 1.25
#define FIT_MARGIN 32.0
#define FIT_MAX_ZOOM 1.25
/* On a projector the whole room reads the cards: fit may enlarge more. */
#define FIT_MAX_ZOOM_PRESENT 2.5

G_DEFINE_FINAL_TYPE (ZsCanvas, zs_canvas, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TOPOLOGY,
  PROP_HISTORY,
  PROP_SELECTED_NODE,
  PROP_SELECTED_LINK,
  PROP_FINDINGS,
  PROP_RUNNING,
  PROP_ZOOM,
  PROP_N_SELECTED,
  PROP_PRESENTATION,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  NODE_ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

/* ---- layers --------------------------------------------------------------------- */

static void
add_layer (ZsCanvas             *self,
           int                   order,
           ZsCanvasLayerFunc     func,
           ZsCanvasSnapshotFunc  snapshot_func,
           gpointer              user_data)
{
  ZsCanvasLayer layer = { func, user_data, order, snapshot_func };
  guint i = 0;

  while (i < self->layers->len && g_array_index (self->layers, ZsCanvasLayer, i).order <= order)
    i++;
  g_array_insert_val (self->layers, i, layer);
  _zs_canvas_queue_redraw (self);
}

void
_zs_canvas_add_layer (ZsCanvas          *self,
                      int                order,
                      ZsCanvasLayerFunc  func,
                      gpointer           user_data)
{
  add_layer (self, order, func, NULL, user_data);
}

void
_zs_canvas_add_live_layer (ZsCanvas             *self,
                           int                   order,
                           ZsCanvasLayerFunc     func,
                           ZsCanvasSnapshotFunc  snapshot_func,
                           gpointer              user_data)
{
  add_layer (self, order, func, snapshot_func, user_data);
}

/* Something the static scene shows changed (not only the live view's
 * counters): its cached nodes are rebuilt on the next frame. */
void
_zs_canvas_queue_redraw (ZsCanvas *self)
{
  self->static_serial++;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_zs_canvas_invalidate (ZsCanvas *self)
{
  self->layout_valid = FALSE;
  if (self->text_layouts != NULL && g_hash_table_size (self->text_layouts) > 4096)
    g_hash_table_remove_all (self->text_layouts);
  _zs_canvas_queue_redraw (self);
}

/* ---- selection -------------------------------------------------------------------- */

/* Notifies what changed between the old primary/link and now. */
static void
notify_selection (ZsCanvas *self,
                  ZsNode   *old_primary,
                  int       old_link)
{
  if (zs_canvas_get_selected_node (self) != old_primary)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_NODE]);
  if (self->selected_link != old_link)
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SELECTED_LINK]);
  if (self->selection->len != self->notified_n_selected)
    {
      self->notified_n_selected = self->selection->len;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_N_SELECTED]);
    }
  _zs_canvas_queue_redraw (self);
}

void
_zs_canvas_set_selection (ZsCanvas  *self,
                          GPtrArray *nodes)
{
  ZsNode *old_primary = zs_canvas_get_selected_node (self);
  int old_link = self->selected_link;
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->selection);

  self->selection = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; nodes != NULL && i < nodes->len; i++)
    g_ptr_array_add (self->selection, g_object_ref (g_ptr_array_index (nodes, i)));
  if (self->selection->len > 0)
    self->selected_link = -1;
  notify_selection (self, old_primary, old_link);
}

gboolean
_zs_canvas_is_selected (ZsCanvas *self,
                        ZsNode   *node)
{
  return g_ptr_array_find (self->selection, node, NULL);
}

void
_zs_canvas_toggle_selected (ZsCanvas *self,
                            ZsNode   *node)
{
  ZsNode *old_primary = zs_canvas_get_selected_node (self);
  int old_link = self->selected_link;

  if (!g_ptr_array_remove (self->selection, node))
    g_ptr_array_add (self->selection, g_object_ref (node));
  self->selected_link = -1;
  notify_selection (self, old_primary, old_link);
}

/* After a change: selected nodes that left the topology are found again by
 * name (undo replaces the node objects) or dropped. */
static void
prune_selection (ZsCanvas *self)
{
  ZsNode *old_primary = zs_canvas_get_selected_node (self);
  int old_link = self->selected_link;
  GPtrArray *links = zs_topology_get_links (self->topology);

  for (guint i = self->selection->len; i-- > 0;)
    {
      ZsNode *node = g_ptr_array_index (self->selection, i);
      ZsNode *found;

      if (zs_topology_find_node_index (self->topology, node) >= 0)
        continue;
      found = zs_topology_find_node (self->topology, zs_node_get_name (node));
      if (found != NULL && !_zs_canvas_is_selected (self, found))
        {
          self->selection->pdata[i] = g_object_ref (found);
          g_object_unref (node);
        }
      else
        g_ptr_array_remove_index (self->selection, i);
    }
  if (links == NULL || self->selected_link >= (int) links->len)
    self->selected_link = -1;
  notify_selection (self, old_primary, old_link);
}

ZsNode *
zs_canvas_get_selected_node (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);

  if (self->selection->len == 0)
    return NULL;
  return g_ptr_array_index (self->selection, self->selection->len - 1);
}

int
zs_canvas_get_selected_link (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), -1);
  return self->selected_link;
}

GPtrArray *
zs_canvas_get_selection (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);
  return self->selection;
}

void
zs_canvas_select_node (ZsCanvas *self,
                       ZsNode   *node)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();

  g_return_if_fail (ZS_IS_CANVAS (self));
  g_return_if_fail (node == NULL || ZS_IS_NODE (node));

  if (node != NULL)
    g_ptr_array_add (nodes, node);
  _zs_canvas_set_selection (self, nodes);
}

void
zs_canvas_select_link (ZsCanvas *self,
                       int       link)
{
  ZsNode *old_primary;
  int old_link;

  g_return_if_fail (ZS_IS_CANVAS (self));

  old_primary = zs_canvas_get_selected_node (self);
  old_link = self->selected_link;
  g_ptr_array_set_size (self->selection, 0);
  self->selected_link = MAX (link, -1);
  notify_selection (self, old_primary, old_link);
}

void
zs_canvas_select_all (ZsCanvas *self)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new ();

  g_return_if_fail (ZS_IS_CANVAS (self));

  for (guint i = 0; self->topology != NULL && i < zs_topology_get_n_nodes (self->topology); i++)
    g_ptr_array_add (nodes, zs_topology_get_node (self->topology, i));
  _zs_canvas_set_selection (self, nodes);
}

/* ---- topology, findings ------------------------------------------------------------- */

static void
on_topology_changed_cb (ZsCanvas   *self,
                        ZsTopology *topology)
{
  _zs_canvas_invalidate (self);
  /* Undo removes every node before it adds them back: wait for "restored". */
  if (!zs_history_is_restoring (self->history))
    prune_selection (self);
}

static void
on_history_restored_cb (ZsCanvas  *self,
                        ZsHistory *history)
{
  prune_selection (self);
  /* An undo or redo during a run: the run follows it. */
  _zs_canvas_follow_run (self);
}

/* A file without positions puts every node at (0, 0). */
static gboolean
has_positions (ZsTopology *topology)
{
  guint n = zs_topology_get_n_nodes (topology);

  for (guint i = 1; i < n; i++)
    {
      ZsNode *a = zs_topology_get_node (topology, 0), *b = zs_topology_get_node (topology, i);

      if (zs_node_get_x (a) != zs_node_get_x (b) || zs_node_get_y (a) != zs_node_get_y (b))
        return TRUE;
    }
  return n < 2;
}

ZsTopology *
zs_canvas_get_topology (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);
  return self->topology;
}

ZsHistory *
zs_canvas_get_history (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);
  return self->history;
}

void
zs_canvas_set_topology (ZsCanvas   *self,
                        ZsTopology *topology)
{
  g_return_if_fail (ZS_IS_CANVAS (self));
  g_return_if_fail (topology == NULL || ZS_IS_TOPOLOGY (topology));

  if (self->topology == topology)
    return;

  zs_canvas_select_node (self, NULL);
  if (self->topology != NULL)
    g_signal_handlers_disconnect_by_data (self->topology, self);
  g_set_object (&self->topology, topology);
  g_clear_object (&self->history);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  _zs_canvas_invalidate (self);
  /* Before the history starts: the file opens arranged, unmodified. */
  if (topology != NULL && !has_positions (topology))
    _zs_canvas_arrange (self, FALSE);
  if (topology != NULL)
    {
      self->history = zs_history_new (topology);
      g_signal_connect_object (self->history, "restored", G_CALLBACK (on_history_restored_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (topology, "changed", G_CALLBACK (on_topology_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  _zs_canvas_invalidate (self);
  self->centered_once = FALSE;
  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    zs_canvas_fit (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TOPOLOGY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_HISTORY]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FINDINGS]);
}

void
zs_canvas_arrange (ZsCanvas *self)
{
  g_return_if_fail (ZS_IS_CANVAS (self));

  if (!self->running)
    _zs_canvas_arrange_async (self);
}

void
zs_canvas_set_findings (ZsCanvas  *self,
                        GPtrArray *findings)
{
  g_return_if_fail (ZS_IS_CANVAS (self));

  if (findings != NULL)
    g_ptr_array_ref (findings);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = findings;
  _zs_canvas_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FINDINGS]);
}

GPtrArray *
zs_canvas_get_findings (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);
  return self->findings;
}

void
zs_canvas_set_running (ZsCanvas *self,
                       gboolean  running)
{
  g_return_if_fail (ZS_IS_CANVAS (self));

  running = !!running;
  if (self->running == running)
    return;
  self->running = running;
  self->drag_mode = ZS_DRAG_NONE;
  self->live_depth = self->history != NULL ? zs_history_get_depth (self->history) : 0;
  self->live_undone = 0;
  _zs_canvas_queue_redraw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_RUNNING]);
}

gboolean
zs_canvas_get_running (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), FALSE);
  return self->running;
}

void
zs_canvas_set_session (ZsCanvas     *self,
                       ZsRunSession *session)
{
  g_return_if_fail (ZS_IS_CANVAS (self));
  g_return_if_fail (session == NULL || ZS_IS_RUN_SESSION (session));

  if (self->session == session)
    return;
  _zs_canvas_live_set_session (self, session);
  /* Which run link each drawn link is (zs_live_edit_find_link). */
  _zs_canvas_invalidate (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SESSION]);
}

ZsRunSession *
zs_canvas_get_session (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);
  return self->session;
}

/* ---- view ------------------------------------------------------------------------- */

double
_zs_canvas_snap (double value)
{
  return round (value / ZS_CANVAS_GRID) * ZS_CANVAS_GRID;
}

void
_zs_canvas_to_model (ZsCanvas         *self,
                     double            wx,
                     double            wy,
                     graphene_point_t *model)
{
  model->x = (wx - self->offset_x) / self->zoom;
  model->y = (wy - self->offset_y) / self->zoom;
}

void
_zs_canvas_zoom_at (ZsCanvas *self,
                    double    zoom,
                    double    wx,
                    double    wy)
{
  graphene_point_t anchor;

  zoom = CLAMP (zoom, ZS_CANVAS_MIN_ZOOM, ZS_CANVAS_MAX_ZOOM);
  if (zoom == self->zoom)
    return;
  _zs_canvas_to_model (self, wx, wy, &anchor);
  self->zoom = zoom;
  self->offset_x = wx - anchor.x * zoom;
  self->offset_y = wy - anchor.y * zoom;
  self->fitted = FALSE;
  _zs_canvas_queue_redraw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
}

/* About the pointer when it is over the canvas: what is under it stays. */
static void
zoom_centered (ZsCanvas *self,
               double    zoom)
{
  if (self->pointer_inside)
    _zs_canvas_zoom_at (self, zoom, self->pointer_x, self->pointer_y);
  else
    _zs_canvas_zoom_at (self, zoom, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                        gtk_widget_get_height (GTK_WIDGET (self)) / 2.0);
}

double
zs_canvas_get_zoom (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), 1.0);
  return self->zoom;
}

void
zs_canvas_zoom_in (ZsCanvas *self)
{
  g_return_if_fail (ZS_IS_CANVAS (self));
  zoom_centered (self, self->zoom * ZOOM_STEP);
}

void
zs_canvas_zoom_out (ZsCanvas *self)
{
  g_return_if_fail (ZS_IS_CANVAS (self));
  zoom_centered (self, self->zoom / ZOOM_STEP);
}

void
zs_canvas_zoom_reset (ZsCanvas *self)
{
  g_return_if_fail (ZS_IS_CANVAS (self));
  zoom_centered (self, 1.0);
}

void
zs_canvas_fit (ZsCanvas *self)
{
  double width, height, zoom;
  graphene_rect_t bounds;

  g_return_if_fail (ZS_IS_CANVAS (self));

  width = gtk_widget_get_width (GTK_WIDGET (self));
  height = gtk_widget_get_height (GTK_WIDGET (self));
  if (width <= 0 || height <= 0 || !_zs_canvas_get_bounds (self, &bounds))
    return;

  zoom = MIN ((width - 2 * FIT_MARGIN) / bounds.size.width,
              (height - 2 * FIT_MARGIN) / bounds.size.height);
  self->zoom = CLAMP (zoom, ZS_CANVAS_MIN_ZOOM,
                      self->scale > 1 ? FIT_MAX_ZOOM_PRESENT : FIT_MAX_ZOOM);
  self->offset_x = width / 2 - (bounds.origin.x + bounds.size.width / 2) * self->zoom;
  self->offset_y = height / 2 - (bounds.origin.y + bounds.size.height / 2) * self->zoom;
  self->centered_once = TRUE;
  self->fitted = TRUE;
  self->fit_width = width;
  self->fit_height = height;
  _zs_canvas_queue_redraw (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ZOOM]);
}

void
_zs_canvas_activate_node (ZsCanvas *self,
                          ZsNode   *node)
{
  g_signal_emit (self, signals [NODE_ACTIVATED], 0, node);
}

double
_zs_canvas_scaled (ZsCanvas *self,
                   double    size)
{
  return size * self->scale;
}

void
zs_canvas_set_presentation (ZsCanvas *self,
                            gboolean  presentation)
{
  g_return_if_fail (ZS_IS_CANVAS (self));

  presentation = !!presentation;
  if (zs_canvas_get_presentation (self) == presentation)
    return;
  self->scale = presentation ? ZS_CANVAS_PRESENT_SCALE : 1.0;
  /* Live labels are shaped in the scale's font sizes: shape them again. */
  if (self->live_texts != NULL)
    g_ptr_array_set_size (self->live_texts, 0);
  _zs_canvas_invalidate (self);
  /* Fit again once the window has its new (fullscreen) size. */
  self->centered_once = FALSE;
  zs_canvas_fit (self);
  self->centered_once = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PRESENTATION]);
}

gboolean
zs_canvas_get_presentation (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), FALSE);
  return self->scale > 1;
}

/* ---- GObject, GtkWidget --------------------------------------------------------------- */

static void
zs_canvas_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  ZsCanvas *self = ZS_CANVAS (widget);

  /* Fitted, and the visible area changed (the timeline came under the
   * canvas, a banner over it): fit that. */
  if ((!self->centered_once || (self->fitted && (width != self->fit_width || height != self->fit_height))) &&
      self->topology != NULL && width > 0 && height > 0)
    zs_canvas_fit (self);
  _zs_canvas_present_popovers (self);
}

static void
zs_canvas_measure (GtkWidget      *widget,
                   GtkOrientation  orientation,
                   int             for_size,
                   int            *minimum,
                   int            *natural,
                   int            *minimum_baseline,
                   int            *natural_baseline)
{
  *minimum = 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 800 : 600;
}

static void
zs_canvas_dispose (GObject *object)
{
  ZsCanvas *self = (ZsCanvas *)object;

  _zs_canvas_dispose_live (self);
  _zs_canvas_dispose_popovers (self);
  _zs_canvas_dispose_routes (self);
  if (self->topology != NULL)
    g_signal_handlers_disconnect_by_data (self->topology, self);
  g_ptr_array_set_size (self->selection, 0);
  g_clear_object (&self->history);
  g_clear_object (&self->topology);
  g_clear_object (&self->link_source);
  g_clear_pointer (&self->findings, g_ptr_array_unref);
  g_clear_pointer (&self->node_layouts, g_ptr_array_unref);
  g_clear_pointer (&self->link_layouts, g_ptr_array_unref);
  g_clear_pointer (&self->static_nodes, g_ptr_array_unref);
  g_clear_pointer (&self->text_layouts, g_hash_table_unref);

  G_OBJECT_CLASS (zs_canvas_parent_class)->dispose (object);
}

static void
zs_canvas_finalize (GObject *object)
{
  ZsCanvas *self = (ZsCanvas *)object;

  g_clear_object (&self->pango);
  g_clear_pointer (&self->selection, g_ptr_array_unref);
  g_clear_pointer (&self->last_paste, g_free);
  g_clear_pointer (&self->layers, g_array_unref);
  g_clear_pointer (&self->drag_origins, g_array_unref);

  G_OBJECT_CLASS (zs_canvas_parent_class)->finalize (object);
}

static void
zs_canvas_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ZsCanvas *self = ZS_CANVAS (object);

  switch (prop_id)
    {
    case PROP_TOPOLOGY:
      g_value_set_object (value, zs_canvas_get_topology (self));
      break;
    case PROP_HISTORY:
      g_value_set_object (value, zs_canvas_get_history (self));
      break;
    case PROP_SELECTED_NODE:
      g_value_set_object (value, zs_canvas_get_selected_node (self));
      break;
    case PROP_SELECTED_LINK:
      g_value_set_int (value, zs_canvas_get_selected_link (self));
      break;
    case PROP_FINDINGS:
      g_value_set_boxed (value, zs_canvas_get_findings (self));
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, zs_canvas_get_running (self));
      break;
    case PROP_ZOOM:
      g_value_set_double (value, zs_canvas_get_zoom (self));
      break;
    case PROP_N_SELECTED:
      g_value_set_uint (value, self->selection->len);
      break;
    case PROP_PRESENTATION:
      g_value_set_boolean (value, zs_canvas_get_presentation (self));
      break;
    case PROP_SESSION:
      g_value_set_object (value, zs_canvas_get_session (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_canvas_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ZsCanvas *self = ZS_CANVAS (object);

  switch (prop_id)
    {
    case PROP_TOPOLOGY:
      zs_canvas_set_topology (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_NODE:
      zs_canvas_select_node (self, g_value_get_object (value));
      break;
    case PROP_SELECTED_LINK:
      zs_canvas_select_link (self, g_value_get_int (value));
      break;
    case PROP_RUNNING:
      zs_canvas_set_running (self, g_value_get_boolean (value));
      break;
    case PROP_PRESENTATION:
      zs_canvas_set_presentation (self, g_value_get_boolean (value));
      break;
    case PROP_SESSION:
      zs_canvas_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_canvas_class_init (ZsCanvasClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zs_canvas_dispose;
  _zs_canvas_class_init_live_actions (widget_class);
  object_class->finalize = zs_canvas_finalize;
  object_class->get_property = zs_canvas_get_property;
  object_class->set_property = zs_canvas_set_property;

  widget_class->snapshot = _zs_canvas_snapshot;
  widget_class->measure = zs_canvas_measure;
  widget_class->size_allocate = zs_canvas_size_allocate;
  widget_class->query_tooltip = _zs_canvas_query_tooltip;

  properties [PROP_TOPOLOGY] =
    g_param_spec_object ("topology", NULL, NULL, ZS_TYPE_TOPOLOGY,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_HISTORY] =
    g_param_spec_object ("history", NULL, NULL, ZS_TYPE_HISTORY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_SELECTED_NODE] =
    g_param_spec_object ("selected-node", NULL, NULL, ZS_TYPE_NODE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_SELECTED_LINK] =
    g_param_spec_int ("selected-link", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_FINDINGS] =
    g_param_spec_boxed ("findings", NULL, NULL, G_TYPE_PTR_ARRAY,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_ZOOM] =
    g_param_spec_double ("zoom", NULL, NULL, ZS_CANVAS_MIN_ZOOM, ZS_CANVAS_MAX_ZOOM, 1.0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_N_SELECTED] =
    g_param_spec_uint ("n-selected", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_PRESENTATION] =
    g_param_spec_boolean ("presentation", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ZS_TYPE_RUN_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Enter on the selected card: the window opens it in the inspector. */
  signals [NODE_ACTIVATED] =
    g_signal_new ("node-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, ZS_TYPE_NODE);


  gtk_widget_class_set_css_name (widget_class, "zs-canvas");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static PangoContext *
create_pango_context (void)
{
  PangoContext *context = pango_font_map_create_context (pango_cairo_font_map_get_default ());
  cairo_font_options_t *options = cairo_font_options_create ();

  /* Unhinted metrics: text keeps its size at every zoom and in exports. */
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (context, options);
  pango_cairo_context_set_resolution (context, 96);
  cairo_font_options_destroy (options);
  return context;
}

static void
clear_node (gpointer data)
{
  if (data != NULL)
    gsk_render_node_unref (data);
}

static void
zs_canvas_init (ZsCanvas *self)
{
  self->zoom = 1.0;
  self->scale = 1.0;
  self->selected_link = -1;
  self->selection = g_ptr_array_new_with_free_func (g_object_unref);
  self->layers = g_array_new (FALSE, FALSE, sizeof (ZsCanvasLayer));
  self->drag_origins = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));
  self->pango = create_pango_context ();
  self->text_layouts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->static_nodes = g_ptr_array_new_with_free_func (clear_node);
  self->static_serial = 1;

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Topology canvas"), -1);

  _zs_canvas_init_layers (self);
  _zs_canvas_init_live (self);
  _zs_canvas_init_input (self);
  _zs_canvas_init_dnd (self);
}

GtkWidget *
zs_canvas_new (void)
{
  return g_object_new (ZS_TYPE_CANVAS, NULL);
}
