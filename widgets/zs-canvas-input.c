/* zs-canvas-input.c: pointer, touch and keyboard: select, move, link, pan, zoom
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "zs-canvas-private.h"

#define WHEEL_STEP 48.0
#define WHEEL_ZOOM 1.1

static gboolean
current_state_has (GtkEventController *controller,
                   GdkModifierType     mask)
{
  return (gtk_event_controller_get_current_event_state (controller) & mask) != 0;
}

static ZsNode *
hit_node (ZsCanvas    *self,
          const ZsHit *hit)
{
  return ((ZsNodeLayout *) g_ptr_array_index (self->node_layouts, hit->node))->node;
}

/* ---- primary button: select, move, link, rubber band ---------------------------------- */

static void
begin_move (ZsCanvas *self)
{
  g_array_set_size (self->drag_origins, 0);
  for (guint i = 0; i < self->selection->len; i++)
    {
      ZsNode *node = g_ptr_array_index (self->selection, i);
      graphene_point_t origin = GRAPHENE_POINT_INIT (zs_node_get_x (node), zs_node_get_y (node));

      g_array_append_val (self->drag_origins, origin);
    }
  self->drag_mode = ZS_DRAG_MOVE;
}

static void
press_node (ZsCanvas *self,
            ZsNode   *node,
            gboolean  shift)
{
  if (shift)
    _zs_canvas_toggle_selected (self, node);
  else if (!_zs_canvas_is_selected (self, node))
    zs_canvas_select_node (self, node);
  if (!self->running && _zs_canvas_is_selected (self, node))
    begin_move (self);
}

static void
on_drag_begin_cb (GtkGestureDrag *gesture,
                  double          x,
                  double          y,
                  ZsCanvas       *self)
{
  gboolean shift = current_state_has (GTK_EVENT_CONTROLLER (gesture), GDK_SHIFT_MASK);
  ZsHit hit;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  self->keyboard_link = FALSE;
  if (self->refusal != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->refusal));
  _zs_canvas_to_model (self, x, y, &self->drag_start);
  self->drag_point = self->drag_start;
  self->drag_mode = ZS_DRAG_NONE;
  hit = _zs_canvas_hit_test (self, self->drag_start.x, self->drag_start.y);

  switch (hit.kind)
    {
    case ZS_HIT_PORT:
      if (!self->running)
        {
          g_set_object (&self->link_source, hit_node (self, &hit));
          self->link_socket = hit.socket;
          self->drag_mode = ZS_DRAG_LINK;
          break;
        }
      G_GNUC_FALLTHROUGH;
    case ZS_HIT_NODE:
    case ZS_HIT_NODE_BADGE:
      press_node (self, hit_node (self, &hit), shift);
      break;
    case ZS_HIT_LINK:
    case ZS_HIT_LINK_BADGE:
      zs_canvas_select_link (self, hit.link);
      break;
    case ZS_HIT_NONE:
    default:
      if (!shift)
        zs_canvas_select_node (self, NULL);
      self->drag_mode = ZS_DRAG_RUBBER;
      break;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
update_move (ZsCanvas *self)
{
  double dx = self->drag_point.x - self->drag_start.x;
  double dy = self->drag_point.y - self->drag_start.y;

  if (!self->drag_in_history)
    {
      if (fabs (dx) < 2 && fabs (dy) < 2)
        return;
      zs_history_begin (self->history, _("Move"));
      self->drag_in_history = TRUE;
    }
  for (guint i = 0; i < self->selection->len && i < self->drag_origins->len; i++)
    {
      const graphene_point_t *origin = &g_array_index (self->drag_origins, graphene_point_t, i);

      zs_node_set_position (g_ptr_array_index (self->selection, i),
                            _zs_canvas_snap (origin->x + dx), _zs_canvas_snap (origin->y + dy));
    }
}

static void
on_drag_update_cb (GtkGestureDrag *gesture,
                   double          offset_x,
                   double          offset_y,
                   ZsCanvas       *self)
{
  self->drag_point.x = self->drag_start.x + offset_x / self->zoom;
  self->drag_point.y = self->drag_start.y + offset_y / self->zoom;
  if (self->drag_mode == ZS_DRAG_MOVE)
    update_move (self);
  else if (self->drag_mode != ZS_DRAG_NONE)
    _zs_canvas_queue_redraw (self);
}

/* ---- a refused link: why, at the pointer ---------------------------------------- */

/* In the words of the validator's finding about such a pair. */
static char *
refusal_text (ZsCanvas *self,
              ZsNode   *target,
              int       socket)
{
  ZsSocketType type = zs_socket_spec_get_socket_type (zs_node_get_socket (self->link_source,
                                                                          self->link_socket));
  const char *name = zs_socket_type_to_string (type);
  g_autofree char *peers = zs_socket_type_list_peers (type);
  ZsSocketSpec *spec;

  if (socket < 0)
    return g_strdup_printf (_("node '%s' has no socket a %s socket can talk to; %s pairs with %s"),
                            zs_node_get_name (target), name, name, peers);
  spec = zs_node_get_socket (target, socket);
  return g_strdup_printf (_("a %s socket cannot talk to the %s socket '%s' of node '%s'; "
                            "%s pairs with %s"),
                          name, zs_socket_type_to_string (zs_socket_spec_get_socket_type (spec)),
                          zs_socket_spec_get_name (spec), zs_node_get_name (target), name, peers);
}

void
_zs_canvas_show_refusal (ZsCanvas               *self,
                         const char             *text,
                         const graphene_point_t *point)
{
  GdkRectangle at = { point->x * self->zoom + self->offset_x, point->y * self->zoom + self->offset_y, 1, 1 };
  GtkWidget *label;

  if (self->refusal == NULL)
    {
      self->refusal = gtk_popover_new ();
      label = gtk_label_new (NULL);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 44);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_popover_set_child (GTK_POPOVER (self->refusal), label);
      gtk_widget_add_css_class (self->refusal, "link-refused");
      /* It stays until the next gesture, and takes no focus. */
      gtk_popover_set_autohide (GTK_POPOVER (self->refusal), FALSE);
      gtk_widget_set_parent (self->refusal, GTK_WIDGET (self));
    }
  label = gtk_popover_get_child (GTK_POPOVER (self->refusal));
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->refusal), &at);
  gtk_popover_popup (GTK_POPOVER (self->refusal));
}

void
_zs_canvas_present_popovers (ZsCanvas *self)
{
  if (self->refusal != NULL)
    gtk_popover_present (GTK_POPOVER (self->refusal));
  if (self->fault_menu != NULL)
    gtk_popover_present (GTK_POPOVER (self->fault_menu));
}

void
_zs_canvas_dispose_popovers (ZsCanvas *self)
{
  g_clear_pointer (&self->refusal, gtk_widget_unparent);
  g_clear_pointer (&self->fault_menu, gtk_widget_unparent);
}

/* ---- secondary button: faults, live ------------------------------------------ */

static void
append_fault (GMenu      *menu,
              const char *label,
              const char *kind,
              guint       target,
              double      factor)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

  g_menu_item_set_action_and_target_value (item, "win.fault", g_variant_new ("(sud)", kind, target, factor));
  g_menu_append_item (menu, item);
}

static GMenuModel *
node_fault_menu (guint node)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) life = g_menu_new ();
  g_autoptr(GMenu) speed = g_menu_new ();

  append_fault (life, _("_Kill"), "kill", node, 1);
  append_fault (life, _("_Restart"), "restart", node, 1);
  append_fault (life, _("_Pause"), "pause", node, 1);
  append_fault (life, _("Res_ume"), "resume", node, 1);
  append_fault (speed, _("_Slow ×4"), "slow", node, 4);
  append_fault (speed, _("_Normal Speed"), "slow", node, 1);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (life));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (speed));
  return G_MENU_MODEL (menu);
}

/* Cut and Restore, on the run's link. */
static void
append_cut_section (GMenu *menu,
                    guint  run)
{
  g_autoptr(GMenu) faults = g_menu_new ();

  append_fault (faults, _("_Cut"), "cut", run, 1);
  append_fault (faults, _("Res_tore"), "restore", run, 1);
  g_menu_append_section (menu, NULL, G_MENU_MODEL (faults));
}

/* Delay and loss, through the engine's relay (tcp links only). */
static void
append_relay_section (GMenu *menu,
                      guint  run)
{
  g_autoptr(GMenu) delay = g_menu_new ();
  g_autoptr(GMenu) loss = g_menu_new ();
  g_autoptr(GMenu) throttle = g_menu_new ();

  append_fault (delay, _("50 ms"), "delay", run, 50);
  append_fault (delay, _("200 ms"), "delay", run, 200);
  append_fault (delay, _("1 s"), "delay", run, 1000);
  append_fault (delay, _("No Delay"), "delay", run, 0);
  append_fault (loss, _("1 %"), "loss", run, 1);
  append_fault (loss, _("10 %"), "loss", run, 10);
  append_fault (loss, _("50 %"), "loss", run, 50);
  append_fault (loss, _("No Loss"), "loss", run, 0);
  g_menu_append_submenu (throttle, _("_Delay…"), G_MENU_MODEL (delay));
  g_menu_append_submenu (throttle, _("_Loss…"), G_MENU_MODEL (loss));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (throttle));
}

/* The live changes: edits of the document's link, which the run follows. */
static void
append_changes_section (GMenu *menu,
                        guint  link)
{
  static const ZsTransport transports[] = { ZS_TRANSPORT_INPROC, ZS_TRANSPORT_IPC, ZS_TRANSPORT_TCP };
  g_autoptr(GMenu) changes = g_menu_new ();
  g_autoptr(GMenu) transport = g_menu_new ();
  g_autoptr(GMenuItem) flip = g_menu_item_new (_("_Swap Bind and Connect"), NULL);

  g_menu_item_set_action_and_target_value (flip, "canvas.flip-link", g_variant_new_uint32 (link));
  g_menu_append_item (changes, flip);
  for (guint i = 0; i < G_N_ELEMENTS (transports); i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (zs_transport_to_string (transports[i]), NULL);

      g_menu_item_set_action_and_target_value (item, "canvas.link-transport",
                                               g_variant_new ("(uu)", link, (guint) transports[i]));
      g_menu_append_item (transport, item);
    }
  g_menu_append_submenu (changes, _("Trans_port"), G_MENU_MODEL (transport));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (changes));
}

/* Its faults (on the run's link: cut and restore; on tcp, delay and loss
 * through the engine's relay) and the live changes (canvas.flip-link, …). */
static GMenuModel *
link_fault_menu (ZsCanvas *self,
                 guint     link)
{
  GMenu *menu = g_menu_new ();
  GPtrArray *links = zs_topology_get_links (zs_canvas_get_topology (self));
  ZsLink *l = link < links->len ? g_ptr_array_index (links, link) : NULL;
  guint run = _zs_canvas_run_link (self, (int) link);

  if (run != G_MAXUINT)
    append_cut_section (menu, run);
  if (run != G_MAXUINT && l != NULL && l->transport == ZS_TRANSPORT_TCP)
    append_relay_section (menu, run);
  append_changes_section (menu, link);
  return G_MENU_MODEL (menu);
}

static void
flip_link_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  zs_canvas_flip_link (ZS_CANVAS (widget), (int) g_variant_get_uint32 (param));
}

static void
link_transport_action (GtkWidget  *widget,
                       const char *name,
                       GVariant   *param)
{
  guint link, transport;

  g_variant_get (param, "(uu)", &link, &transport);
  if (transport <= ZS_TRANSPORT_TCP)
    zs_canvas_set_link_transport (ZS_CANVAS (widget), (int) link, (ZsTransport) transport);
}

void
_zs_canvas_class_init_live_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "canvas.flip-link", "u", flip_link_action);
  gtk_widget_class_install_action (widget_class, "canvas.link-transport", "(uu)", link_transport_action);
}

/* Right-click on a card or a link during a live run that takes faults
 * (not a recording, not the wire): it is selected and its faults offered
 * (win.fault). Editing has no context menu. */
static void
on_secondary_pressed_cb (GtkGestureClick *gesture,
                         int              n_press,
                         double           x,
                         double           y,
                         ZsCanvas        *self)
{
  g_autoptr(GMenuModel) model = NULL;
  GdkRectangle at = { x, y, 1, 1 };
  graphene_point_t p;
  ZsHit hit;

  if (!self->running || self->session == NULL || !zs_run_session_is_live (self->session)
      || !zs_run_source_can_apply_fault (zs_run_session_get_source (self->session)))
    return;
  _zs_canvas_to_model (self, x, y, &p);
  hit = _zs_canvas_hit_test (self, p.x, p.y);
  if (hit.kind == ZS_HIT_NODE || hit.kind == ZS_HIT_NODE_BADGE || hit.kind == ZS_HIT_PORT)
    {
      zs_canvas_select_node (self, hit_node (self, &hit));
      model = node_fault_menu (hit.node);
    }
  else if (hit.kind == ZS_HIT_LINK || hit.kind == ZS_HIT_LINK_BADGE)
    {
      zs_canvas_select_link (self, hit.link);
      model = link_fault_menu (self, (guint) hit.link);
    }
  else
    return;
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  if (self->fault_menu == NULL)
    {
      self->fault_menu = gtk_popover_menu_new_from_model (NULL);
      gtk_popover_set_has_arrow (GTK_POPOVER (self->fault_menu), FALSE);
      gtk_widget_set_halign (self->fault_menu, GTK_ALIGN_START);
      gtk_widget_set_parent (self->fault_menu, GTK_WIDGET (self));
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->fault_menu), model);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->fault_menu), &at);
  gtk_popover_popup (GTK_POPOVER (self->fault_menu));
}

/* K kills the selected card, R restarts it, during a live run. */
static gboolean
fault_key (ZsCanvas *self,
           ZsNode   *primary,
           guint     keyval)
{
  const char *kind;
  int index;

  if (keyval == GDK_KEY_k || keyval == GDK_KEY_K)
    kind = "kill";
  else if (keyval == GDK_KEY_r || keyval == GDK_KEY_R)
    kind = "restart";
  else
    return FALSE;
  index = zs_topology_find_node_index (self->topology, primary);
  if (index < 0)
    return FALSE;
  return gtk_widget_activate_action (GTK_WIDGET (self), "win.fault", "(sud)", kind, (guint) index, 1.0);
}

static void
finish_link (ZsCanvas *self)
{
  ZsHit hit = _zs_canvas_hit_test (self, self->drag_point.x, self->drag_point.y);
  ZsNode *target;

  if (hit.kind != ZS_HIT_NODE && hit.kind != ZS_HIT_PORT && hit.kind != ZS_HIT_NODE_BADGE)
    return;
  target = hit_node (self, &hit);
  if (target == self->link_source && hit.socket == (int) self->link_socket)
    return;
  if (!_zs_canvas_link_ports (self, self->link_source, self->link_socket, target, hit.socket))
    {
      g_autofree char *text = refusal_text (self, target, hit.socket);

      gtk_widget_error_bell (GTK_WIDGET (self));
      _zs_canvas_show_refusal (self, text, &self->drag_point);
    }
}

static void
finish_rubber_band (ZsCanvas *self,
                    gboolean  extend)
{
  graphene_rect_t band = GRAPHENE_RECT_INIT (MIN (self->drag_start.x, self->drag_point.x),
                                             MIN (self->drag_start.y, self->drag_point.y),
                                             fabs (self->drag_point.x - self->drag_start.x),
                                             fabs (self->drag_point.y - self->drag_start.y));
  g_autoptr(GPtrArray) nodes = NULL;

  if (band.size.width < 2 && band.size.height < 2)
    return;
  nodes = extend ? g_ptr_array_copy (self->selection, NULL, NULL) : g_ptr_array_new ();
  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      const ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);

      if (graphene_rect_intersection (&band, &n->rect, NULL) &&
          !g_ptr_array_find (nodes, n->node, NULL))
        g_ptr_array_add (nodes, n->node);
    }
  _zs_canvas_set_selection (self, nodes);
}

static void
on_drag_end_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                ZsCanvas       *self)
{
  _zs_canvas_ensure_layout (self);
  if (self->drag_mode == ZS_DRAG_LINK)
    finish_link (self);
  else if (self->drag_mode == ZS_DRAG_RUBBER)
    finish_rubber_band (self, current_state_has (GTK_EVENT_CONTROLLER (gesture), GDK_SHIFT_MASK));
  if (self->drag_in_history)
    zs_history_end (self->history);
  self->drag_in_history = FALSE;
  self->drag_mode = ZS_DRAG_NONE;
  g_clear_object (&self->link_source);
  _zs_canvas_queue_redraw (self);
}

/* ---- pan and zoom ------------------------------------------------------------------ */

static void
on_pan_begin_cb (GtkGestureDrag *gesture,
                 double          x,
                 double          y,
                 ZsCanvas       *self)
{
  self->pan_x = self->offset_x;
  self->pan_y = self->offset_y;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
}

static void
on_pan_update_cb (GtkGestureDrag *gesture,
                  double          offset_x,
                  double          offset_y,
                  ZsCanvas       *self)
{
  self->offset_x = self->pan_x + offset_x;
  self->offset_y = self->pan_y + offset_y;
  self->fitted = FALSE;
  _zs_canvas_queue_redraw (self);
}

static void
on_pan_end_cb (GtkGestureDrag *gesture,
               double          offset_x,
               double          offset_y,
               ZsCanvas       *self)
{
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
}

static gboolean
on_scroll_cb (GtkEventControllerScroll *controller,
              double                    dx,
              double                    dy,
              ZsCanvas                 *self)
{
  GtkEventController *ec = GTK_EVENT_CONTROLLER (controller);
  double step = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL
                ? WHEEL_STEP : 1.0;

  if (current_state_has (ec, GDK_CONTROL_MASK))
    {
      _zs_canvas_zoom_at (self, self->zoom * pow (WHEEL_ZOOM, -dy), self->pointer_x,
                          self->pointer_y);
      return TRUE;
    }
  if (current_state_has (ec, GDK_SHIFT_MASK) && dx == 0)
    dx = dy, dy = 0;
  self->offset_x -= dx * step;
  self->offset_y -= dy * step;
  self->fitted = FALSE;
  _zs_canvas_queue_redraw (self);
  return TRUE;
}

static void
on_zoom_begin_cb (GtkGesture       *gesture,
                  GdkEventSequence *sequence,
                  ZsCanvas         *self)
{
  self->zoom_begin = self->zoom;
}

static void
on_zoom_scale_changed_cb (GtkGestureZoom *gesture,
                          double          scale,
                          ZsCanvas       *self)
{
  double x = self->pointer_x, y = self->pointer_y;

  gtk_gesture_get_bounding_box_center (GTK_GESTURE (gesture), &x, &y);
  _zs_canvas_zoom_at (self, self->zoom_begin * scale, x, y);
}

static void
on_leave_cb (GtkEventControllerMotion *controller,
             ZsCanvas                 *self)
{
  self->pointer_inside = FALSE;
}

static void
on_motion_cb (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              ZsCanvas                  *self)
{
  graphene_point_t p;
  ZsHit hit;
  const char *cursor = NULL;

  self->pointer_x = x;
  self->pointer_y = y;
  self->pointer_inside = TRUE;
  if (self->drag_mode != ZS_DRAG_NONE)
    return;
  _zs_canvas_to_model (self, x, y, &p);
  hit = _zs_canvas_hit_test (self, p.x, p.y);
  if (hit.kind == ZS_HIT_PORT && !self->running)
    cursor = "crosshair";
  else if (hit.kind == ZS_HIT_NODE && !self->running)
    cursor = "move";
  else if (hit.kind == ZS_HIT_LINK)
    cursor = "pointer";
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
}

/* ---- keyboard ------------------------------------------------------------------ */

static gboolean
arrow_direction (guint   keyval,
                 double *dx,
                 double *dy)
{
  *dx = *dy = 0;
  switch (keyval)
    {
    case GDK_KEY_Left: case GDK_KEY_KP_Left:   *dx = -1; return TRUE;
    case GDK_KEY_Right: case GDK_KEY_KP_Right: *dx = 1; return TRUE;
    case GDK_KEY_Up: case GDK_KEY_KP_Up:       *dy = -1; return TRUE;
    case GDK_KEY_Down: case GDK_KEY_KP_Down:   *dy = 1; return TRUE;
    default: return FALSE;
    }
}

static graphene_point_t
card_center (const ZsNodeLayout *n)
{
  graphene_point_t center;

  graphene_rect_get_center (&n->rect, &center);
  return center;
}

/* The card nearest `from` in the direction (dx, dy): within 60° of it, a
 * step across counting twice a step along. From no card, the top-left one. */
static ZsNode *
nearest_card (ZsCanvas *self,
              ZsNode   *from_node,
              double    dx,
              double    dy)
{
  ZsNodeLayout *from = _zs_canvas_find_layout (self, from_node);
  graphene_point_t origin = from != NULL ? card_center (from) : GRAPHENE_POINT_INIT (-1e9, -1e9);
  ZsNode *best = NULL;
  double best_score = G_MAXDOUBLE;

  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      const ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);
      graphene_point_t c = card_center (n);
      double along = (c.x - origin.x) * dx + (c.y - origin.y) * dy;
      double across = fabs ((c.x - origin.x) * dy - (c.y - origin.y) * dx);
      double score = from != NULL ? along + 2 * across : c.x + c.y;

      if (n == from || (from != NULL && (along <= 0 || across > along * G_SQRT2 * 1.2)))
        continue;
      if (score < best_score)
        best = n->node, best_score = score;
    }
  return best;
}

static gboolean
on_arrow (ZsCanvas *self,
          double    dx,
          double    dy,
          gboolean  shift)
{
  ZsNode *next;

  _zs_canvas_ensure_layout (self);
  if (shift)
    {
      if (self->running || self->selection->len == 0)
        return FALSE;
      _zs_canvas_move_selection (self, dx * ZS_CANVAS_GRID, dy * ZS_CANVAS_GRID, _("Move"));
      return TRUE;
    }
  next = nearest_card (self, zs_canvas_get_selected_node (self), dx, dy);
  if (next != NULL)
    zs_canvas_select_node (self, next);
  else
    gtk_widget_error_bell (GTK_WIDGET (self));
  return TRUE;
}

/* ---- a link by keyboard: L on a card, Tab picks its socket, the arrows
 * the target card, Enter links, Esc gives up. It reuses the mouse's link
 * preview: drag_point sits on the target card. */

static ZsNode *
link_target (ZsCanvas *self)
{
  ZsHit hit = _zs_canvas_hit_test (self, self->drag_point.x, self->drag_point.y);

  return hit.kind == ZS_HIT_NONE || hit.kind == ZS_HIT_LINK || hit.kind == ZS_HIT_LINK_BADGE
         ? NULL : hit_node (self, &hit);
}

static void
aim_link_at (ZsCanvas *self,
             ZsNode   *target)
{
  ZsNodeLayout *n = _zs_canvas_find_layout (self, target);

  if (n == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  self->drag_point = card_center (n);
  _zs_canvas_queue_redraw (self);
}

static void
end_keyboard_link (ZsCanvas *self)
{
  self->keyboard_link = FALSE;
  self->drag_mode = ZS_DRAG_NONE;
  g_clear_object (&self->link_source);
  _zs_canvas_queue_redraw (self);
}

static void
begin_keyboard_link (ZsCanvas *self,
                     ZsNode   *source)
{
  ZsNode *target;

  if (self->running || zs_node_get_n_sockets (source) == 0)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  _zs_canvas_ensure_layout (self);
  g_set_object (&self->link_source, source);
  self->link_socket = 0;
  self->drag_mode = ZS_DRAG_LINK;
  self->keyboard_link = TRUE;
  target = nearest_card (self, source, 1, 0);
  aim_link_at (self, target != NULL ? target : source);
}

static gboolean
on_link_key (ZsCanvas *self,
             guint     keyval)
{
  ZsNode *target = link_target (self);
  double dx, dy;

  if (arrow_direction (keyval, &dx, &dy))
    {
      ZsNode *next = nearest_card (self, target, dx, dy);

      if (next != NULL)
        aim_link_at (self, next);
      else
        gtk_widget_error_bell (GTK_WIDGET (self));
    }
  else if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_ISO_Left_Tab)
    {
      self->link_socket = (self->link_socket + 1) % zs_node_get_n_sockets (self->link_source);
      _zs_canvas_queue_redraw (self);
    }
  else if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      if (target != NULL && target != self->link_source)
        finish_link (self);
      end_keyboard_link (self);
    }
  else if (keyval == GDK_KEY_Escape)
    end_keyboard_link (self);
  else
    return FALSE;
  return TRUE;
}

static gboolean
on_key_pressed_cb (GtkEventControllerKey *controller,
                   guint                  keyval,
                   guint                  keycode,
                   GdkModifierType        state,
                   ZsCanvas              *self)
{
  ZsNode *primary = zs_canvas_get_selected_node (self);
  double dx, dy;

  if (self->keyboard_link)
    return on_link_key (self, keyval);
  if (self->running && primary != NULL && !(state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
      && fault_key (self, primary, keyval))
    return TRUE;
  if ((keyval == GDK_KEY_l || keyval == GDK_KEY_L) && !(state & GDK_CONTROL_MASK) && primary != NULL)
    begin_keyboard_link (self, primary);
  else if (keyval == GDK_KEY_Delete || keyval == GDK_KEY_KP_Delete || keyval == GDK_KEY_BackSpace)
    zs_canvas_delete_selection (self);
  else if ((state & GDK_CONTROL_MASK) && (keyval == GDK_KEY_a || keyval == GDK_KEY_A))
    zs_canvas_select_all (self);
  else if (keyval == GDK_KEY_Escape)
    zs_canvas_select_node (self, NULL);
  else if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
           && primary != NULL)
    _zs_canvas_activate_node (self, primary);
  else if (!(state & GDK_CONTROL_MASK) && arrow_direction (keyval, &dx, &dy))
    return on_arrow (self, dx, dy, (state & GDK_SHIFT_MASK) != 0);
  else
    return FALSE;
  return TRUE;
}

/* The focus ring around the selected card comes and goes with the focus. */
static void
on_focus_changed_cb (GtkEventControllerFocus *controller,
                     ZsCanvas                *self)
{
  _zs_canvas_queue_redraw (self);
}

/* ---- tooltips ------------------------------------------------------------------ */

static char *
port_tooltip (ZsCanvas    *self,
              const ZsHit *hit)
{
  ZsSocketSpec *socket = zs_node_get_socket (hit_node (self, hit), hit->socket);
  ZsSocketType type = zs_socket_spec_get_socket_type (socket);

  return g_strdup_printf ("%s “%s”\n%s\n%s", zs_socket_type_to_string (type),
                          zs_socket_spec_get_name (socket), zs_socket_type_describe (type),
                          _("Drag from here to another card to link the two sockets"));
}

static char *
hit_tooltip (ZsCanvas    *self,
             const ZsHit *hit)
{
  switch (hit->kind)
    {
    case ZS_HIT_NODE_BADGE:
      return g_strdup (((ZsNodeLayout *) g_ptr_array_index (self->node_layouts, hit->node))->badge.tooltip);
    case ZS_HIT_LINK_BADGE:
      return g_strdup (((ZsLinkLayout *) g_ptr_array_index (self->link_layouts, hit->link))->badge.tooltip);
    case ZS_HIT_PORT:
      return port_tooltip (self, hit);
    case ZS_HIT_NODE:
      return _zs_canvas_node_tooltip (self, hit->node);
    case ZS_HIT_LINK:
      {
        const ZsLinkLayout *l = g_ptr_array_index (self->link_layouts, hit->link);

        return _zs_canvas_link_label_hidden (l) ? g_strdup (l->text) : NULL;
      }
    case ZS_HIT_NONE:
    default:
      return NULL;
    }
}

char *
_zs_canvas_tooltip_at (ZsCanvas *self,
                       double    x,
                       double    y)
{
  ZsHit hit = _zs_canvas_hit_test (self, x, y);

  return hit_tooltip (self, &hit);
}

gboolean
_zs_canvas_query_tooltip (GtkWidget  *widget,
                          int         x,
                          int         y,
                          gboolean    keyboard,
                          GtkTooltip *tooltip)
{
  ZsCanvas *self = ZS_CANVAS (widget);
  g_autofree char *text = NULL;
  graphene_point_t p;

  /* A refused link's note says more than the tooltip would, at the same place. */
  if (keyboard || self->topology == NULL || self->drag_mode != ZS_DRAG_NONE ||
      (self->refusal != NULL && gtk_widget_get_visible (self->refusal)))
    return FALSE;
  _zs_canvas_to_model (self, x, y, &p);
  /* During and after a run, its figures come first. */
  text = _zs_canvas_live_tooltip_at (self, &p);
  if (text == NULL)
    text = _zs_canvas_tooltip_at (self, p.x, p.y);
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- setup ------------------------------------------------------------------ */

static void
add_drag (ZsCanvas  *self,
          guint      button,
          GCallback  begin,
          GCallback  update,
          GCallback  end)
{
  GtkGesture *drag = gtk_gesture_drag_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), button);
  g_signal_connect (drag, "drag-begin", begin, self);
  g_signal_connect (drag, "drag-update", update, self);
  g_signal_connect (drag, "drag-end", end, self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
}

void
_zs_canvas_init_input (ZsCanvas *self)
{
  GtkEventController *controller;
  GtkGesture *zoom;

  add_drag (self, GDK_BUTTON_PRIMARY, G_CALLBACK (on_drag_begin_cb),
            G_CALLBACK (on_drag_update_cb), G_CALLBACK (on_drag_end_cb));
  add_drag (self, GDK_BUTTON_MIDDLE, G_CALLBACK (on_pan_begin_cb),
            G_CALLBACK (on_pan_update_cb), G_CALLBACK (on_pan_end_cb));

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (controller), GDK_BUTTON_SECONDARY);
  g_signal_connect (controller, "pressed", G_CALLBACK (on_secondary_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_BOTH_AXES);
  g_signal_connect (controller, "scroll", G_CALLBACK (on_scroll_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin_cb), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_motion_cb), self);
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (on_key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (on_focus_changed_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_focus_changed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}
