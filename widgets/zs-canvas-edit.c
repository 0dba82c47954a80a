/* zs-canvas-edit.c: every edit the canvas makes, each one a history step
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-canvas-private.h"
#include "zs-edit.h"
#include "zs-topology-file.h"

#define PASTE_OFFSET (2 * ZS_CANVAS_GRID)
#define NEW_CARD_W 176.0
#define NEW_CARD_H 96.0

static gboolean
begin_edit (ZsCanvas   *self,
            const char *label)
{
  if (self->running || self->topology == NULL)
    return FALSE;
  zs_history_begin (self->history, label);
  return TRUE;
}

/* During a live run that takes faults, the few edits a run can follow
 * (flip, transport, HWMs: issue #15) are allowed, each a history step. */
static gboolean
can_edit_live (ZsCanvas *self)
{
  return self->running && self->session != NULL && zs_run_session_is_live (self->session)
         && zs_run_source_can_apply_fault (zs_run_session_get_source (self->session));
}

static gboolean
begin_live_edit (ZsCanvas   *self,
                 const char *label)
{
  if (!self->running)
    return begin_edit (self, label);
  if (!can_edit_live (self) || self->topology == NULL)
    return FALSE;
  zs_history_begin (self->history, label);
  self->live_undone = 0;
  return TRUE;
}

/* The run takes the document's live changes (a flip, a transport, an
 * HWM; an undo of one); one it refuses is undone, saying why. */
void
_zs_canvas_follow_run (ZsCanvas *self)
{
  g_autoptr(GError) error = NULL;

  if (!can_edit_live (self) || zs_run_session_follow_document (self->session, self->topology, &error))
    return;
  gtk_widget_error_bell (GTK_WIDGET (self));
  /* By the pointer: where the gesture that asked for it was. */
  _zs_canvas_show_refusal (self, error->message, &self->drag_point);
  zs_history_undo (self->history);
}

gboolean
zs_canvas_undo_live (ZsCanvas *self,
                     gboolean  redo)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), FALSE);

  if (!can_edit_live (self))
    return FALSE;
  if (redo && self->live_undone > 0 && zs_history_get_can_redo (self->history))
    {
      self->live_undone--;
      zs_history_redo (self->history);
      return TRUE;
    }
  if (!redo && zs_history_get_depth (self->history) > self->live_depth)
    {
      self->live_undone++;
      zs_history_undo (self->history);
      return TRUE;
    }
  return FALSE;
}

/* A discrete edit is its own step; a repeated one (keyboard moves) coalesces. */
static void
end_edit (ZsCanvas *self)
{
  zs_history_end (self->history);
  zs_history_seal (self->history);
}

static void
end_repeatable_edit (ZsCanvas *self)
{
  zs_history_end (self->history);
}

/* ---- nodes ---------------------------------------------------------------------- */

static gboolean
position_taken (ZsCanvas *self,
                double    x,
                double    y)
{
  for (guint i = 0; i < zs_topology_get_n_nodes (self->topology); i++)
    {
      ZsNode *node = zs_topology_get_node (self->topology, i);

      if (zs_node_get_x (node) == x && zs_node_get_y (node) == y)
        return TRUE;
    }
  return FALSE;
}

ZsNode *
zs_canvas_add_node (ZsCanvas *self,
                    ZsRole    role,
                    double    x,
                    double    y)
{
  g_autoptr(ZsNode) node = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);
  g_return_val_if_fail (role < ZS_ROLE_N_ROLES, NULL);

  if (!begin_edit (self, _("Add node")))
    return NULL;
  x = _zs_canvas_snap (x);
  y = _zs_canvas_snap (y);
  while (position_taken (self, x, y))
    x += PASTE_OFFSET, y += PASTE_OFFSET;
  name = zs_topology_make_unique_name (self->topology, zs_role_to_string (role));
  node = zs_node_new_for_role (name, role);
  zs_node_set_position (node, x, y);
  zs_topology_add_node (self->topology, node);
  end_edit (self);

  zs_canvas_select_node (self, node);
  return node;
}

/* Room a new card needs: its usual size (a card with sockets is taller
 * than NEW_CARD_H) and a gap around it. */
#define FREE_W (NEW_CARD_W + 2 * FREE_GAP)
#define FREE_H (2 * NEW_CARD_H + 2 * FREE_GAP)
#define FREE_GAP 24.0
#define FREE_RINGS 24

static gboolean
is_free (ZsCanvas              *self,
         const graphene_rect_t *room)
{
  for (guint i = 0; i < self->node_layouts->len; i++)
    {
      const ZsNodeLayout *n = g_ptr_array_index (self->node_layouts, i);

      if (graphene_rect_intersection (room, &n->rect, NULL))
        return FALSE;
    }
  return TRUE;
}

/* The top-left corner of the free room nearest `center`, ring by ring
 * around it; the center itself if the rings are all taken. */
static graphene_point_t
free_spot (ZsCanvas               *self,
           const graphene_point_t *center)
{
  _zs_canvas_ensure_layout (self);
  for (int ring = 0; ring <= FREE_RINGS; ring++)
    for (int j = -ring; j <= ring; j++)
      for (int i = -ring; i <= ring; i++)
        {
          graphene_rect_t room;

          if (MAX (ABS (i), ABS (j)) != ring)
            continue;
          room = GRAPHENE_RECT_INIT (center->x - FREE_W / 2 + i * FREE_W / 2,
                                     center->y - FREE_H / 2 + j * FREE_H / 2, FREE_W, FREE_H);
          if (is_free (self, &room))
            return GRAPHENE_POINT_INIT (room.origin.x + FREE_GAP, room.origin.y + FREE_GAP);
        }
  return GRAPHENE_POINT_INIT (center->x - NEW_CARD_W / 2, center->y - NEW_CARD_H / 2);
}

/* As the palette adds by keyboard: in free space near the view's center. */
ZsNode *
zs_canvas_add_node_at_center (ZsCanvas *self,
                              ZsRole    role)
{
  graphene_point_t center, at;

  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);

  _zs_canvas_to_model (self, gtk_widget_get_width (GTK_WIDGET (self)) / 2.0,
                       gtk_widget_get_height (GTK_WIDGET (self)) / 2.0, &center);
  at = free_spot (self, &center);
  return zs_canvas_add_node (self, role, at.x, at.y);
}

ZsNode *
zs_canvas_add_external_peer (ZsCanvas   *self,
                             ZsNode     *node,
                             guint       socket,
                             const char *endpoint,
                             gboolean    endpoint_binds)
{
  ZsNode *external;

  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);
  g_return_val_if_fail (ZS_IS_NODE (node), NULL);

  if (!begin_edit (self, _("Add external program")))
    return NULL;
  external = zs_edit_add_external_peer (self->topology, node, socket, endpoint, endpoint_binds);
  end_edit (self);

  zs_canvas_select_node (self, external);
  return external;
}

ZsNode *
_zs_canvas_drop_role (ZsCanvas *self,
                      ZsRole    role,
                      double    wx,
                      double    wy)
{
  graphene_point_t at;

  _zs_canvas_to_model (self, wx, wy, &at);
  /* The pointer lands on the card's title. */
  return zs_canvas_add_node (self, role, at.x - NEW_CARD_W / 2, at.y - ZS_CANVAS_GRID);
}

void
_zs_canvas_move_selection (ZsCanvas   *self,
                           double      dx,
                           double      dy,
                           const char *label)
{
  if (self->selection->len == 0 || !begin_edit (self, label))
    return;
  for (guint i = 0; i < self->selection->len; i++)
    {
      ZsNode *node = g_ptr_array_index (self->selection, i);

      zs_node_set_position (node, zs_node_get_x (node) + dx, zs_node_get_y (node) + dy);
    }
  end_repeatable_edit (self);
}

static void
delete_nodes (ZsCanvas *self)
{
  g_autoptr(GPtrArray) nodes = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->selection->len; i++)
    g_ptr_array_add (nodes, g_object_ref (g_ptr_array_index (self->selection, i)));
  if (!begin_edit (self, nodes->len > 1 ? _("Delete nodes") : _("Delete node")))
    return;
  for (guint i = 0; i < nodes->len; i++)
    zs_topology_remove_node (self->topology, g_ptr_array_index (nodes, i));
  end_edit (self);
}

void
zs_canvas_set_lesson (ZsCanvas *self,
                      ZsLesson *lesson)
{
  g_return_if_fail (ZS_IS_CANVAS (self));

  self->lesson = lesson;
  /* The inspector follows the selection: it looks at the locks again. */
  zs_canvas_select_node (self, NULL);
}

ZsLesson *
zs_canvas_get_lesson (ZsCanvas *self)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);
  return self->lesson;
}

/* A lesson locks part of the selection: refused, with a note at it. */
static gboolean
delete_refused (ZsCanvas *self)
{
  g_autofree char *why = NULL;
  graphene_point_t at = { 0, 0 };

  for (guint i = 0; self->lesson != NULL && why == NULL && i < self->selection->len; i++)
    {
      ZsNode *node = g_ptr_array_index (self->selection, i);
      ZsNodeLayout *layout = _zs_canvas_find_layout (self, node);

      if (!zs_lesson_locks (self->lesson, zs_node_get_name (node), NULL, NULL))
        continue;
      why = g_strdup_printf (_("Node “%s” is locked by the lesson: it stays as the lesson has it"),
                             zs_node_get_name (node));
      if (layout != NULL)
        graphene_rect_get_center (&layout->rect, &at);
    }
  if (self->lesson != NULL && why == NULL && self->selection->len == 0 && self->selected_link >= 0
      && zs_lesson_locks_link (self->lesson, self->topology, (guint) self->selected_link))
    {
      const ZsLinkLayout *l = (guint) self->selected_link < self->link_layouts->len
        ? g_ptr_array_index (self->link_layouts, self->selected_link) : NULL;

      why = g_strdup (_("This link is locked by the lesson: it stays as the lesson has it"));
      if (l != NULL)
        graphene_rect_get_center (&l->label, &at);
    }
  if (why != NULL)
    _zs_canvas_show_refusal (self, why, &at);
  return why != NULL;
}

void
zs_canvas_delete_selection (ZsCanvas *self)
{
  g_return_if_fail (ZS_IS_CANVAS (self));

  if (delete_refused (self))
    return;
  if (self->selection->len > 0)
    delete_nodes (self);
  else if (self->selected_link >= 0 && begin_edit (self, _("Delete link")))
    {
      zs_edit_remove_link (self->topology, self->selected_link);
      end_edit (self);
      zs_canvas_select_link (self, -1);
    }
}

/* ---- copy and paste ------------------------------------------------------------------ */

char *
_zs_canvas_copy_text (ZsCanvas *self)
{
  g_autoptr(ZsTopology) clip = zs_topology_new ();

  if (self->topology == NULL || self->selection->len == 0)
    return NULL;
  /* Document order, so that pasting keeps the order of the cards. */
  for (guint i = 0; i < zs_topology_get_n_nodes (self->topology); i++)
    {
      ZsNode *node = zs_topology_get_node (self->topology, i);

      if (_zs_canvas_is_selected (self, node))
        {
          g_autoptr(ZsNode) copy = zs_node_copy (node);
          zs_topology_add_node (clip, copy);
        }
    }
  return zs_topology_save_to_data (clip, NULL);
}

void
zs_canvas_copy_selection (ZsCanvas *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (ZS_IS_CANVAS (self));

  text = _zs_canvas_copy_text (self);
  if (text != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

gboolean
_zs_canvas_paste_text (ZsCanvas   *self,
                       const char *text)
{
  g_autoptr(ZsTopology) clip = NULL;
  g_autoptr(GPtrArray) added = NULL;
  double offset;

  if (text == NULL || (clip = zs_topology_load_from_data (text, -1, NULL)) == NULL)
    return FALSE;
  if (zs_topology_get_n_nodes (clip) == 0 || !begin_edit (self, _("Paste")))
    return FALSE;

  if (g_strcmp0 (text, self->last_paste) == 0)
    self->paste_count++;
  else
    {
      g_free (self->last_paste);
      self->last_paste = g_strdup (text);
      self->paste_count = 1;
    }
  offset = PASTE_OFFSET * self->paste_count;
  added = zs_edit_paste (self->topology, clip, offset, offset);
  end_edit (self);

  _zs_canvas_set_selection (self, added);
  return TRUE;
}

static void
on_paste_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(ZsCanvas) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);

  if (!_zs_canvas_paste_text (self, text))
    gtk_widget_error_bell (GTK_WIDGET (self));
}

void
zs_canvas_paste (ZsCanvas *self)
{
  g_return_if_fail (ZS_IS_CANVAS (self));

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (GTK_WIDGET (self)), NULL,
                                 on_paste_read_cb, g_object_ref (self));
}

/* ---- links ------------------------------------------------------------------------ */

/* The link between these two sockets, either way round, or -1. */
static int
find_link (ZsCanvas *self,
           ZsNode   *a,
           guint     sa,
           ZsNode   *b,
           guint     sb)
{
  GPtrArray *links = zs_topology_get_links (self->topology);
  int ia = zs_topology_find_node_index (self->topology, a);
  int ib = zs_topology_find_node_index (self->topology, b);

  for (guint i = 0; links != NULL && i < links->len; i++)
    {
      const ZsLink *l = g_ptr_array_index (links, i);

      if ((l->connect_node == (guint) ia && l->connect_socket == sa &&
           l->bind_node == (guint) ib && l->bind_socket == sb) ||
          (l->connect_node == (guint) ib && l->connect_socket == sb &&
           l->bind_node == (guint) ia && l->bind_socket == sa))
        return (int) i;
    }
  return -1;
}

gboolean
_zs_canvas_link_ports (ZsCanvas *self,
                       ZsNode   *from,
                       guint     from_socket,
                       ZsNode   *to,
                       int       to_socket)
{
  int linked;

  g_return_val_if_fail (ZS_IS_NODE (from) && ZS_IS_NODE (to), FALSE);

  if (!begin_edit (self, _("Link sockets")))
    return FALSE;
  linked = zs_edit_link (self->topology, from, from_socket, to, to_socket);
  end_edit (self);
  if (linked < 0)
    return FALSE;
  zs_canvas_select_link (self, find_link (self, from, from_socket, to, linked));
  return TRUE;
}

typedef gboolean (*LinkEdit) (ZsTopology *topology,
                              guint       link,
                              gpointer    data);

/* Runs an edit of one link, then selects that link again wherever it moved. */
static void
edit_link (ZsCanvas   *self,
           int         link,
           const char *label,
           LinkEdit    edit,
           gpointer    data)
{
  GPtrArray *links;
  const ZsLink *l;
  ZsNode *a, *b;
  guint sa, sb;

  if (self->topology == NULL || link < 0)
    return;
  links = zs_topology_get_links (self->topology);
  if ((guint) link >= links->len)
    return;
  l = g_ptr_array_index (links, link);
  a = zs_topology_get_node (self->topology, l->connect_node);
  b = zs_topology_get_node (self->topology, l->bind_node);
  sa = l->connect_socket;
  sb = l->bind_socket;

  if (!begin_live_edit (self, label))
    return;
  edit (self->topology, link, data);
  end_edit (self);
  zs_canvas_select_link (self, find_link (self, a, sa, b, sb));
  _zs_canvas_follow_run (self);
}

static gboolean
flip_edit (ZsTopology *topology,
           guint       link,
           gpointer    data)
{
  return zs_edit_flip_link (topology, link);
}

static gboolean
transport_edit (ZsTopology *topology,
                guint       link,
                gpointer    data)
{
  return zs_edit_set_link_transport (topology, link, GPOINTER_TO_UINT (data));
}

void
zs_canvas_flip_link (ZsCanvas *self,
                     int       link)
{
  g_return_if_fail (ZS_IS_CANVAS (self));
  edit_link (self, link, _("Flip bind and connect"), flip_edit, NULL);
}

void
zs_canvas_set_link_transport (ZsCanvas    *self,
                              int          link,
                              ZsTransport  transport)
{
  g_return_if_fail (ZS_IS_CANVAS (self));
  edit_link (self, link, _("Change transport"), transport_edit, GUINT_TO_POINTER (transport));
}

void
zs_canvas_set_socket_hwm (ZsCanvas *self,
                          ZsNode   *node,
                          guint     socket,
                          gboolean  send,
                          int       hwm)
{
  ZsSocketSpec *spec;

  g_return_if_fail (ZS_IS_CANVAS (self));
  g_return_if_fail (ZS_IS_NODE (node));

  if (socket >= zs_node_get_n_sockets (node))
    return;
  spec = zs_node_get_socket (node, socket);
  if ((send ? zs_socket_spec_get_sndhwm (spec) : zs_socket_spec_get_rcvhwm (spec)) == hwm
      || !begin_live_edit (self, send ? _("Change SNDHWM") : _("Change RCVHWM")))
    return;
  if (send)
    zs_socket_spec_set_sndhwm (spec, hwm);
  else
    zs_socket_spec_set_rcvhwm (spec, hwm);
  zs_history_end (self->history);
  _zs_canvas_follow_run (self);
}
