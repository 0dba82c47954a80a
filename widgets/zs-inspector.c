/* zs-inspector.c: follows the canvas's selection; shows a node (its
 * properties, its sockets') or a link (endpoints, transport, flip)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-inspector"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-finding.h"
#include "zs-inspector-private.h"
#include "zs-widgets-private.h"

struct _ZsInspector
{
  GtkWidget  parent_instance;

  GtkWidget *scroller;
  GtkWidget *placeholder;
  GtkWidget *content;
  GtkWidget *live;          /* during a run: the selection's figures */
  GtkWidget *live_title;
  GtkWidget *live_text;
  GtkWidget *live_changes;  /* during a run: what may change live (issue #15) */

  ZsCanvas  *canvas;
  ZsRunSession *session;    /* the canvas's run, followed for the live figures */
  gint64     live_shown_us; /* when the live figures were last written */
  ZsNode    *node;          /* shown node, or NULL */
  int        link;          /* shown link, or -1 */
  guint      n_sockets;     /* sockets shown: rebuild when it changes */
  GtkWidget *role_hint;     /* what the node's role does */
  GPtrArray *badges;        /* GtkWidget: each socket's type chip */
  GtkWidget *untraced;      /* which sockets run untraced, why, what it costs */
  GPtrArray *editors;       /* ZsEditor */
  GtkWidget *general;       /* findings not about one field */
  guint      rebuild_id;
  gboolean   syncing;
};

G_DEFINE_FINAL_TYPE (ZsInspector, zs_inspector, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_TARGET,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

static void queue_rebuild (ZsInspector *self);
static void update_live   (ZsInspector *self);

/* ---- editing ------------------------------------------------------------------ */

gboolean
_zs_inspector_is_syncing (ZsInspector *self)
{
  return self->syncing;
}

void
_zs_inspector_apply (ZsInspector  *self,
                     ZsEditor     *editor,
                     const GValue *value)
{
  ZsHistory *history = zs_canvas_get_history (self->canvas);
  g_autofree char *label = g_strdup_printf (_("Change %s"), g_param_spec_get_nick (editor->pspec));

  if (history == NULL || zs_canvas_get_running (self->canvas))
    return;
  zs_history_begin (history, label);
  g_object_set_property (editor->object, editor->pspec->name, value);
  zs_history_end (history);
}

static gboolean is_used (GObject    *object,
                         GParamSpec *pspec);

/* Which sockets run untraced, why, and what that costs: it follows the
 * node's links, so any edit of the topology may change it. */
static void
sync_untraced (ZsInspector *self)
{
  ZsTopology *topology = self->canvas != NULL ? zs_canvas_get_topology (self->canvas) : NULL;
  int index = topology != NULL && self->node != NULL ? zs_topology_find_node_index (topology, self->node) : -1;

  g_autoptr(GString) text = g_string_new (NULL);

  if (self->untraced == NULL)
    return;
  for (guint i = 0; index >= 0 && i < zs_node_get_n_sockets (self->node); i++)
    {
      g_autofree char *line = zs_canvas_describe_untraced (topology, index, i);

      if (line != NULL)
        g_string_append_printf (text, "%s%s", text->len > 0 ? "\n" : "", line);
    }
  gtk_widget_set_visible (self->untraced, text->len > 0);
  if (g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->untraced)), text->str) != 0)
    gtk_label_set_text (GTK_LABEL (self->untraced), text->str);
}

/* Values, and what follows the role and the socket types: which editors
 * are shown, the role's description, the type chips. Updated in place, so
 * the form stays where the user is. */
static void
sync_editors (ZsInspector *self)
{
  self->syncing = TRUE;
  for (guint i = 0; i < self->editors->len; i++)
    {
      ZsEditor *editor = g_ptr_array_index (self->editors, i);

      _zs_editor_sync (editor);
      gtk_widget_set_visible (gtk_widget_get_parent (editor->widget), is_used (editor->object, editor->pspec));
    }
  if (self->node != NULL && self->role_hint != NULL)
    gtk_label_set_text (GTK_LABEL (self->role_hint), zs_role_describe (zs_node_get_role (self->node)));
  for (guint i = 0; self->node != NULL && i < self->badges->len; i++)
    _zs_widgets_socket_badge_set_type (g_ptr_array_index (self->badges, i),
                                       zs_socket_spec_get_socket_type (zs_node_get_socket (self->node, i)));
  sync_untraced (self);
  self->syncing = FALSE;
}

/* ---- findings ------------------------------------------------------------------ */

static gboolean
finding_is_about (const ZsFinding *finding,
                  ZsInspector     *self)
{
  if (self->link >= 0)
    return finding->link == self->link;
  return self->node != NULL && finding->link < 0 &&
         g_strcmp0 (finding->node, zs_node_get_name (self->node)) == 0;
}

static gboolean
finding_is_for_editor (const ZsFinding *finding,
                       const ZsEditor  *editor)
{
  return finding->socket == editor->socket &&
         g_strcmp0 (finding->field, editor->pspec->name) == 0;
}

static GtkWidget *
finding_label (const ZsFinding *finding)
{
  g_autofree char *text = g_strdup_printf ("%s %s", finding->severity == ZS_SEVERITY_ERROR
                                           ? "⛔" : "⚠", finding->message);
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "finding");
  gtk_widget_add_css_class (label, finding->severity == ZS_SEVERITY_ERROR ? "error" : "warning");
  return label;
}

/* Shows a finding under its editor; FALSE when no editor shows that field. */
static gboolean
show_under_editor (ZsInspector     *self,
                   const ZsFinding *finding)
{
  for (guint i = 0; i < self->editors->len; i++)
    {
      ZsEditor *editor = g_ptr_array_index (self->editors, i);
      const char *old = gtk_label_get_text (GTK_LABEL (editor->message));
      g_autofree char *text = NULL;

      /* A hidden field's finding (SUBSCRIBE on a PUB) goes to the general ones. */
      if (!finding_is_for_editor (finding, editor) ||
          !gtk_widget_get_visible (gtk_widget_get_parent (editor->widget)))
        continue;
      text = old[0] ? g_strconcat (old, "\n", finding->message, NULL) : g_strdup (finding->message);
      gtk_label_set_text (GTK_LABEL (editor->message), text);
      gtk_widget_set_visible (editor->message, TRUE);
      gtk_widget_remove_css_class (editor->message, "warning");
      gtk_widget_add_css_class (editor->message,
                                finding->severity == ZS_SEVERITY_ERROR ? "error" : "warning");
      return TRUE;
    }
  return FALSE;
}

static void
update_findings (ZsInspector *self)
{
  GPtrArray *findings = self->canvas ? zs_canvas_get_findings (self->canvas) : NULL;
  GtkWidget *child;

  if (self->general == NULL)
    return;
  while ((child = gtk_widget_get_first_child (self->general)) != NULL)
    gtk_box_remove (GTK_BOX (self->general), child);
  for (guint i = 0; i < self->editors->len; i++)
    {
      ZsEditor *editor = g_ptr_array_index (self->editors, i);

      gtk_label_set_text (GTK_LABEL (editor->message), "");
      gtk_widget_set_visible (editor->message, FALSE);
      gtk_widget_remove_css_class (editor->message, "error");
    }
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    {
      const ZsFinding *finding = g_ptr_array_index (findings, i);

      if (finding_is_about (finding, self) && !show_under_editor (self, finding))
        gtk_box_append (GTK_BOX (self->general), finding_label (finding));
    }
  gtk_widget_set_visible (self->general, gtk_widget_get_first_child (self->general) != NULL);
}

/* ---- building the views ----------------------------------------------------------- */

static GtkWidget *
heading (const char *text,
         const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, css_class);
  return label;
}

/* Only what the node's role, or the socket's type, makes use of. */
static gboolean
is_used (GObject    *object,
         GParamSpec *pspec)
{
  if (ZS_IS_NODE (object))
    return zs_role_uses_parameter (zs_node_get_role (ZS_NODE (object)), pspec->name);
  if (g_str_equal (pspec->name, "subscribe"))
    {
      ZsSocketType type = zs_socket_spec_get_socket_type (ZS_SOCKET_SPEC (object));

      return type == ZS_SOCKET_SUB || type == ZS_SOCKET_XSUB;
    }
  return TRUE;
}

/* A lesson's locked goal keeps this property of the node (socket -1) or
 * of its socket `socket` as the lesson has it; property NULL: the socket
 * itself (removing it). */
static gboolean
locked_by_lesson (ZsInspector *self,
                  int          socket,
                  const char  *property)
{
  ZsLesson *lesson = self->canvas != NULL ? zs_canvas_get_lesson (self->canvas) : NULL;
  const char *name = NULL;

  if (lesson == NULL || self->node == NULL)
    return FALSE;
  if (socket >= 0)
    name = zs_socket_spec_get_name (zs_node_get_socket (self->node, (guint) socket));
  return zs_lesson_locks (lesson, zs_node_get_name (self->node), name, property);
}

/* Refused at the gesture: the lesson's goal keeps this as it is. */
static void
show_locked (GtkWidget *widget,
             GtkWidget *tooltip_at)
{
  gtk_widget_set_sensitive (widget, FALSE);
  gtk_widget_set_tooltip_text (tooltip_at, _("Locked by the lesson: it stays as the lesson has it"));
}

static void
add_editors (ZsInspector *self,
             GtkBox      *box,
             GObject     *object,
             int          socket)
{
  guint n_pspecs;
  g_autofree GParamSpec **pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object),
                                                                     &n_pspecs);

  for (guint i = 0; i < n_pspecs; i++)
    {
      ZsEditor *editor;
      GtkWidget *row;

      if (!(pspecs[i]->flags & G_PARAM_WRITABLE) || (pspecs[i]->flags & G_PARAM_CONSTRUCT_ONLY) ||
          g_str_equal (pspecs[i]->name, "x") || g_str_equal (pspecs[i]->name, "y"))
        continue;
      editor = g_new0 (ZsEditor, 1);
      *editor = (ZsEditor) { self, object, pspecs[i], NULL, NULL, socket };
      row = _zs_editor_create_row (editor);
      if (row == NULL)
        {
          g_free (editor);
          continue;
        }
      g_ptr_array_add (self->editors, editor);
      gtk_box_append (box, row);
      if (locked_by_lesson (self, socket, pspecs[i]->name))
        show_locked (editor->widget, row);
    }
}

static void
on_remove_socket_clicked_cb (GtkButton   *button,
                             ZsInspector *self)
{
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "zs-socket"));
  ZsHistory *history = zs_canvas_get_history (self->canvas);

  if (self->node == NULL || zs_canvas_get_running (self->canvas))
    return;
  zs_history_begin (history, _("Remove socket"));
  zs_node_remove_socket (self->node, index);
  zs_history_end (history);
}

static GtkWidget *
socket_title (ZsInspector  *self,
              ZsSocketSpec *socket,
              guint         index)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *name = heading (zs_socket_spec_get_name (socket), "section-title");
  GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_set_tooltip_text (remove, _("Remove this socket"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Remove this socket"), -1);
  gtk_widget_add_css_class (remove, "flat");
  g_object_set_data (G_OBJECT (remove), "zs-socket", GUINT_TO_POINTER (index));
  g_signal_connect (remove, "clicked", G_CALLBACK (on_remove_socket_clicked_cb), self);
  if (locked_by_lesson (self, (int) index, NULL))
    show_locked (remove, remove);
  g_ptr_array_add (self->badges, _zs_widgets_socket_badge_new (zs_socket_spec_get_socket_type (socket)));
  gtk_box_append (GTK_BOX (box), g_ptr_array_index (self->badges, self->badges->len - 1));
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), remove);
  return box;
}

static void
on_add_socket_clicked_cb (GtkButton   *button,
                          GtkDropDown *types)
{
  ZsInspector *self = g_object_get_data (G_OBJECT (button), "zs-inspector");
  ZsSocketType type = gtk_drop_down_get_selected (types);
  g_autofree char *stem = g_ascii_strdown (zs_socket_type_to_string (type), -1);
  g_autofree char *name = g_strdup (stem);
  g_autoptr(ZsSocketSpec) socket = NULL;
  ZsHistory *history = zs_canvas_get_history (self->canvas);

  if (self->node == NULL || type >= ZS_SOCKET_N_TYPES || zs_canvas_get_running (self->canvas))
    return;
  for (guint n = 2; zs_node_find_socket (self->node, name) != NULL; n++)
    g_free (name), name = g_strdup_printf ("%s-%u", stem, n);
  socket = zs_socket_spec_new (name, type);
  zs_history_begin (history, _("Add socket"));
  zs_node_add_socket (self->node, socket);
  zs_history_end (history);
}

static GtkWidget *
add_socket_row (ZsInspector *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *types, *button;

  for (guint i = 0; i < ZS_SOCKET_N_TYPES; i++)
    gtk_string_list_append (names, zs_socket_type_to_string (i));
  types = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (types), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Type of the new socket"), -1);
  button = gtk_button_new_with_mnemonic (_("_Add Socket"));
  g_object_set_data (G_OBJECT (button), "zs-inspector", self);
  g_signal_connect (button, "clicked", G_CALLBACK (on_add_socket_clicked_cb), types);
  gtk_box_append (GTK_BOX (box), types);
  gtk_box_append (GTK_BOX (box), button);
  return box;
}

static void
build_node (ZsInspector *self)
{
  GtkBox *content = GTK_BOX (self->content);

  gtk_box_append (content, heading (zs_node_get_name (self->node), "section-title"));
  self->role_hint = heading (zs_role_describe (zs_node_get_role (self->node)), "hint");
  gtk_box_append (content, self->role_hint);
  self->untraced = heading ("", "untraced-hint");
  gtk_box_append (content, self->untraced);
  gtk_box_append (content, self->general);
  add_editors (self, content, G_OBJECT (self->node), -1);

  self->n_sockets = zs_node_get_n_sockets (self->node);
  for (guint i = 0; i < self->n_sockets; i++)
    {
      ZsSocketSpec *socket = zs_node_get_socket (self->node, i);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

      gtk_widget_add_css_class (box, "socket-box");
      gtk_box_append (GTK_BOX (box), socket_title (self, socket, i));
      add_editors (self, GTK_BOX (box), G_OBJECT (socket), (int) i);
      gtk_box_append (content, box);
    }
  gtk_box_append (content, add_socket_row (self));
}

/* ---- the link view ------------------------------------------------------------------ */

static GtkWidget *
link_end_label (ZsTopology *topology,
                guint       node_index,
                guint       socket_index,
                const char *verb,
                const char *endpoint)
{
  ZsNode *node = zs_topology_get_node (topology, node_index);
  ZsSocketSpec *socket = zs_node_get_socket (node, socket_index);
  g_autofree char *text = g_strdup_printf ("%s · %s (%s)\n%s %s", zs_node_get_name (node),
                                           zs_socket_spec_get_name (socket),
                                           zs_socket_type_to_string (zs_socket_spec_get_socket_type (socket)),
                                           verb, endpoint);
  GtkWidget *label = heading (text, "link-end");

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  /* Selected with the mouse; not a stop of the tab chain. */
  gtk_widget_set_focusable (label, FALSE);
  return label;
}

static void
on_transport_selected_cb (GtkDropDown *dropdown,
                          GParamSpec  *pspec,
                          ZsInspector *self)
{
  static const ZsTransport transports[] = { ZS_TRANSPORT_INPROC, ZS_TRANSPORT_IPC, ZS_TRANSPORT_TCP };
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (!self->syncing && selected < G_N_ELEMENTS (transports))
    zs_canvas_set_link_transport (self->canvas, self->link, transports[selected]);
}

static void
on_flip_clicked_cb (GtkButton   *button,
                    ZsInspector *self)
{
  zs_canvas_flip_link (self->canvas, self->link);
}

static GtkWidget *
transport_row (ZsInspector  *self,
               const ZsLink *link)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  GtkWidget *dropdown = gtk_drop_down_new_from_strings ((const char *[]) { "inproc", "ipc", "tcp", NULL });
  GtkWidget *label = gtk_label_new (_("Transport"));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown),
                              link->transport <= ZS_TRANSPORT_TCP ? link->transport
                                                                   : GTK_INVALID_LIST_POSITION);
  gtk_widget_set_tooltip_text (dropdown, _("inproc: threads of one process; ipc: processes of "
                                           "one machine; tcp: the network"));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  label, NULL, -1);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_transport_selected_cb), self);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), dropdown);
  return box;
}

static GtkWidget *
flip_button (ZsInspector *self)
{
  GtkWidget *flip = gtk_button_new_with_mnemonic (_("_Swap Bind and Connect"));

  gtk_widget_set_tooltip_text (flip, _("The long-lived, fixed side should bind; the other connects"));
  g_signal_connect (flip, "clicked", G_CALLBACK (on_flip_clicked_cb), self);
  return flip;
}

static const char *
flow_text (const ZsLink *link)
{
  if (link->to_bind && link->to_connect)
    return _("Messages flow both ways");
  if (link->to_bind)
    return _("Messages flow from the connecting socket to the binding one");
  return _("Messages flow from the binding socket to the connecting one");
}

static void
build_link (ZsInspector *self)
{
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);
  GPtrArray *links = zs_topology_get_links (topology);
  const ZsLink *link;
  GtkBox *content = GTK_BOX (self->content);

  if (self->link >= (int) links->len)
    return;
  link = g_ptr_array_index (links, self->link);
  gtk_box_append (content, heading (_("Link"), "section-title"));
  gtk_box_append (content, self->general);
  gtk_box_append (content, heading (_("Binds"), "hint"));
  gtk_box_append (content, link_end_label (topology, link->bind_node, link->bind_socket,
                                           "⊙", link->bind_endpoint));
  gtk_box_append (content, heading (_("Connects"), "hint"));
  gtk_box_append (content, link_end_label (topology, link->connect_node, link->connect_socket,
                                           "→", link->connect_endpoint));
  gtk_box_append (content, heading (flow_text (link), "hint"));
  gtk_box_append (content, transport_row (self, link));

  gtk_box_append (content, flip_button (self));
}

/* ---- during a run: what may change live ------------------------------------------- */

static void
on_hwm_changed_cb (GtkSpinButton *spin,
                   ZsInspector   *self)
{
  guint socket = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (spin), "zs-socket"));
  gboolean send = g_object_get_data (G_OBJECT (spin), "zs-send") != NULL;

  if (!self->syncing && self->node != NULL)
    zs_canvas_set_socket_hwm (self->canvas, self->node, socket, send, gtk_spin_button_get_value_as_int (spin));
}

static GtkWidget *
hwm_spin (ZsInspector  *self,
          guint         socket,
          gboolean      send,
          int           value,
          GtkWidget    *label)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (0, G_MAXINT, 1);

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), value);
  gtk_widget_set_tooltip_text (spin, _("Messages; 0 = no limit. The socket's links reconnect: "
                                       "libzmq sizes new pipes only"));
  gtk_accessible_update_relation (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);
  g_object_set_data (G_OBJECT (spin), "zs-socket", GUINT_TO_POINTER (socket));
  g_object_set_data (G_OBJECT (spin), "zs-send", send ? GINT_TO_POINTER (1) : NULL);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_hwm_changed_cb), self);
  return spin;
}

/* A socket's HWMs, live: "pub  SNDHWM [2]  RCVHWM [1000]". */
static GtkWidget *
hwm_row (ZsInspector *self,
         guint        socket)
{
  ZsSocketSpec *spec = zs_node_get_socket (self->node, socket);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *snd = gtk_label_new (_("SNDHWM"));
  GtkWidget *rcv = gtk_label_new (_("RCVHWM"));

  gtk_box_append (GTK_BOX (box), gtk_label_new (zs_socket_spec_get_name (spec)));
  gtk_box_append (GTK_BOX (box), snd);
  gtk_box_append (GTK_BOX (box), hwm_spin (self, socket, TRUE, zs_socket_spec_get_sndhwm (spec), snd));
  gtk_box_append (GTK_BOX (box), rcv);
  gtk_box_append (GTK_BOX (box), hwm_spin (self, socket, FALSE, zs_socket_spec_get_rcvhwm (spec), rcv));
  return box;
}

static GtkWidget *transport_row (ZsInspector  *self,
                                 const ZsLink *link);
static GtkWidget *flip_button   (ZsInspector  *self);

/* The selection's live changes, each an edit the run follows. */
static void
build_live_changes (ZsInspector *self)
{
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);
  GPtrArray *links = topology != NULL ? zs_topology_get_links (topology) : NULL;
  GtkBox *box = GTK_BOX (self->live_changes);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->live_changes)) != NULL)
    gtk_box_remove (box, child);
  if (self->node == NULL && (links == NULL || self->link < 0 || (guint) self->link >= links->len))
    return;
  gtk_box_append (box, heading (_("Change live"), "section-title"));
  if (self->node != NULL)
    for (guint i = 0; i < zs_node_get_n_sockets (self->node); i++)
      gtk_box_append (box, hwm_row (self, i));
  else
    {
      gtk_box_append (box, transport_row (self, g_ptr_array_index (links, self->link)));
      gtk_box_append (box, flip_button (self));
    }
}

static void
clear_content (ZsInspector *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->content)) != NULL)
    gtk_box_remove (GTK_BOX (self->content), child);
  g_ptr_array_set_size (self->editors, 0);
  g_ptr_array_set_size (self->badges, 0);
  self->untraced = NULL;
  self->role_hint = NULL;
  g_clear_object (&self->general);
}

/* Several cards selected (Ctrl+A, Shift+click): how many, above the
 * primary card's settings. */
static void
add_selection_count (ZsInspector *self)
{
  guint n = self->canvas != NULL ? zs_canvas_get_selection (self->canvas)->len : 0;
  g_autofree char *text = NULL;

  if (n < 2)
    return;
  text = g_strdup_printf (ngettext ("%u card selected", "%u cards selected", n), n);
  gtk_box_append (GTK_BOX (self->content), heading (text, "selection-count"));
}

static void
rebuild (ZsInspector *self)
{
  self->syncing = TRUE;
  clear_content (self);
  self->general = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_VERTICAL, 4));
  add_selection_count (self);
  if (self->node != NULL)
    build_node (self);
  else if (self->link >= 0)
    build_link (self);
  build_live_changes (self);
  gtk_widget_set_visible (self->placeholder, self->node == NULL && self->link < 0);
  self->syncing = FALSE;
  sync_editors (self);
  update_findings (self);
  update_live (self);
}

static gboolean
rebuild_idle_cb (gpointer data)
{
  ZsInspector *self = data;

  self->rebuild_id = 0;
  rebuild (self);
  return G_SOURCE_REMOVE;
}

/* Deferred: a widget may be the one whose signal asked for it. */
static void
queue_rebuild (ZsInspector *self)
{
  if (self->rebuild_id == 0)
    self->rebuild_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, rebuild_idle_cb, self, NULL);
}

/* ---- during a run: the selection's figures ---------------------------------------- */

/* While running, the form gives way to the figures the canvas's tooltip shows;
 * after the run, they stay above the form until the run is cleared. */
static void
update_live (ZsInspector *self)
{
  gboolean running = self->session != NULL && zs_run_session_is_live (self->session);
  g_autofree char *text = NULL;
  ZsTopology *topology = self->canvas ? zs_canvas_get_topology (self->canvas) : NULL;

  if (self->node != NULL && topology != NULL)
    {
      int index = zs_topology_find_node_index (topology, self->node);

      if (index >= 0)
        text = zs_canvas_describe_live_node (self->canvas, index);
    }
  else if (self->link >= 0 && self->canvas != NULL)
    text = zs_canvas_describe_live_link (self->canvas, self->link);
  gtk_label_set_text (GTK_LABEL (self->live_title), running ? _("Live figures") : _("Figures of the last run"));
  gtk_widget_set_visible (self->content, !running);
  gtk_widget_set_visible (self->live_changes, running && gtk_widget_get_first_child (self->live_changes) != NULL
                          && zs_run_source_can_apply_fault (zs_run_session_get_source (self->session)));
  gtk_widget_set_visible (self->live, text != NULL);
  if (text != NULL && g_strcmp0 (gtk_label_get_text (GTK_LABEL (self->live_text)), text) != 0)
    gtk_label_set_text (GTK_LABEL (self->live_text), text);
}

/* Text: a few updates a second are plenty. */
#define LIVE_INTERVAL_US (G_USEC_PER_SEC / 4)

static void
on_session_updated_cb (ZsInspector *self)
{
  gint64 now = g_get_monotonic_time ();

  /* Following the run, a later tick brings what is skipped here. */
  if (zs_run_session_is_following (self->session) && now - self->live_shown_us < LIVE_INTERVAL_US)
    return;
  self->live_shown_us = now;
  update_live (self);
}

static void
follow_session (ZsInspector  *self,
                ZsRunSession *session)
{
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "updated", G_CALLBACK (on_session_updated_cb), self,
                               G_CONNECT_SWAPPED);
      /* The run ended: its final figures at once. */
      g_signal_connect_object (session, "notify::live", G_CALLBACK (update_live), self,
                               G_CONNECT_SWAPPED);
    }
  update_live (self);
}

static void
on_canvas_session_cb (ZsInspector *self)
{
  follow_session (self, zs_canvas_get_session (self->canvas));
}

/* ---- the wheel scrolls the form --------------------------------------------------- */

#define WHEEL_STEP 48.0

/* Caught on the way down, before a spin button, a drop-down or a text view
 * under the pointer could take it: the wheel never changes a value. Events
 * in a popover (a drop-down's list) are the popover's own. */
static gboolean
on_wheel_cb (GtkEventControllerScroll *controller,
             double                    dx,
             double                    dy,
             ZsInspector              *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller));
  double step = gtk_event_controller_scroll_get_unit (controller) == GDK_SCROLL_UNIT_WHEEL
                ? WHEEL_STEP : 1.0;
  GtkNative *native = gtk_widget_get_native (self->scroller);

  if (event != NULL && native != NULL && gdk_event_get_surface (event) != gtk_native_get_surface (native))
    return GDK_EVENT_PROPAGATE;
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + dy * step);
  return GDK_EVENT_STOP;
}

static void
setup_wheel (ZsInspector *self)
{
  GtkEventController *wheel = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);

  gtk_event_controller_set_propagation_phase (wheel, GTK_PHASE_CAPTURE);
  g_signal_connect (wheel, "scroll", G_CALLBACK (on_wheel_cb), self);
  gtk_widget_add_controller (self->scroller, wheel);
}

/* ---- for the tests ------------------------------------------------------------------ */

GtkWidget *
_zs_inspector_get_editor (ZsInspector *self,
                          int          socket,
                          const char  *property)
{
  for (guint i = 0; i < self->editors->len; i++)
    {
      ZsEditor *editor = g_ptr_array_index (self->editors, i);

      if (editor->socket == socket && g_str_equal (editor->pspec->name, property))
        return gtk_widget_get_visible (gtk_widget_get_parent (editor->widget)) ? editor->widget : NULL;
    }
  return NULL;
}

const char *
_zs_inspector_get_live_text (ZsInspector *self)
{
  return gtk_widget_get_visible (self->live) ? gtk_label_get_text (GTK_LABEL (self->live_text)) : NULL;
}

GtkWidget *
_zs_inspector_get_scroller (ZsInspector *self)
{
  return self->scroller;
}

/* The trash button closes the row the socket's type chip opens. */
GtkWidget *
_zs_inspector_get_remove_socket (ZsInspector *self,
                                 guint        socket)
{
  if (socket >= self->badges->len)
    return NULL;
  return gtk_widget_get_last_child (gtk_widget_get_parent (g_ptr_array_index (self->badges, socket)));
}

/* ---- following the canvas --------------------------------------------------------- */

static void
on_node_changed_cb (ZsInspector *self,
                    ZsNode      *node)
{
  if (zs_node_get_n_sockets (node) != self->n_sockets)
    queue_rebuild (self);
  else
    sync_editors (self);
}

static void
show_node (ZsInspector *self,
           ZsNode      *node)
{
  if (self->node != NULL)
    g_signal_handlers_disconnect_by_data (self->node, self);
  g_set_object (&self->node, node);
  if (node != NULL)
    g_signal_connect_object (node, "changed", G_CALLBACK (on_node_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
on_selection_changed_cb (ZsInspector *self)
{
  show_node (self, zs_canvas_get_selected_node (self->canvas));
  self->link = self->node == NULL ? zs_canvas_get_selected_link (self->canvas) : -1;
  queue_rebuild (self);
}

static void
on_topology_changed_cb (ZsInspector *self)
{
  /* A link's ends or endpoints may have changed. */
  if (self->link >= 0)
    queue_rebuild (self);
  else
    sync_untraced (self);
}

static void
on_canvas_topology_cb (ZsInspector *self)
{
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);

  if (topology != NULL)
    g_signal_connect_object (topology, "changed", G_CALLBACK (on_topology_changed_cb), self,
                             G_CONNECT_SWAPPED);
  on_selection_changed_cb (self);
}

static void
disconnect_canvas (ZsInspector *self)
{
  ZsTopology *topology;

  if (self->canvas == NULL)
    return;
  topology = zs_canvas_get_topology (self->canvas);
  if (topology != NULL)
    g_signal_handlers_disconnect_by_data (topology, self);
  g_signal_handlers_disconnect_by_data (self->canvas, self);
  g_clear_object (&self->canvas);
  follow_session (self, NULL);
}

void
zs_inspector_set_target (ZsInspector *self,
                         ZsCanvas    *canvas)
{
  g_return_if_fail (ZS_IS_INSPECTOR (self));
  g_return_if_fail (canvas == NULL || ZS_IS_CANVAS (canvas));

  if (self->canvas == canvas)
    return;
  disconnect_canvas (self);
  if (canvas != NULL)
    {
      self->canvas = g_object_ref (canvas);
      g_signal_connect_object (canvas, "notify::selected-node",
                               G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (canvas, "notify::selected-link",
                               G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (canvas, "notify::n-selected",
                               G_CALLBACK (on_selection_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (canvas, "notify::findings",
                               G_CALLBACK (update_findings), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (canvas, "notify::topology",
                               G_CALLBACK (on_canvas_topology_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (canvas, "notify::session",
                               G_CALLBACK (on_canvas_session_cb), self, G_CONNECT_SWAPPED);
      on_canvas_topology_cb (self);
      on_canvas_session_cb (self);
    }
  else
    {
      show_node (self, NULL);
      self->link = -1;
      queue_rebuild (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_TARGET]);
}

ZsCanvas *
zs_inspector_get_target (ZsInspector *self)
{
  g_return_val_if_fail (ZS_IS_INSPECTOR (self), NULL);
  return self->canvas;
}

/* ---- GObject ------------------------------------------------------------------ */

static void
zs_inspector_dispose (GObject *object)
{
  ZsInspector *self = (ZsInspector *)object;
  GtkWidget *child;

  g_clear_handle_id (&self->rebuild_id, g_source_remove);
  show_node (self, NULL);
  disconnect_canvas (self);
  clear_content (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZS_TYPE_INSPECTOR);
  /* The template's root child has no id: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (zs_inspector_parent_class)->dispose (object);
}

static void
zs_inspector_finalize (GObject *object)
{
  ZsInspector *self = (ZsInspector *)object;

  g_clear_pointer (&self->editors, g_ptr_array_unref);
  g_clear_pointer (&self->badges, g_ptr_array_unref);

  G_OBJECT_CLASS (zs_inspector_parent_class)->finalize (object);
}

static void
zs_inspector_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  ZsInspector *self = ZS_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      g_value_set_object (value, zs_inspector_get_target (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_inspector_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  ZsInspector *self = ZS_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_TARGET:
      zs_inspector_set_target (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_inspector_class_init (ZsInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zs_inspector_dispose;
  object_class->finalize = zs_inspector_finalize;
  object_class->get_property = zs_inspector_get_property;
  object_class->set_property = zs_inspector_set_property;

  properties [PROP_TARGET] =
    g_param_spec_object ("target", NULL, NULL, ZS_TYPE_CANVAS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _zs_widgets_init ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/zmqscope/widgets/zs-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, ZsInspector, scroller);
  gtk_widget_class_bind_template_child (widget_class, ZsInspector, placeholder);
  gtk_widget_class_bind_template_child (widget_class, ZsInspector, content);
  gtk_widget_class_bind_template_child (widget_class, ZsInspector, live);
  gtk_widget_class_bind_template_child (widget_class, ZsInspector, live_changes);
  gtk_widget_class_bind_template_child (widget_class, ZsInspector, live_title);
  gtk_widget_class_bind_template_child (widget_class, ZsInspector, live_text);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "zs-inspector");
}

static void
zs_inspector_init (ZsInspector *self)
{
  self->link = -1;
  self->editors = g_ptr_array_new_with_free_func (g_free);
  self->badges = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_wheel (self);
}

GtkWidget *
zs_inspector_new (void)
{
  return g_object_new (ZS_TYPE_INSPECTOR, NULL);
}
