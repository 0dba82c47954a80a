/* zs-palette.c: one row per role, dragged onto the canvas or double-clicked
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-palette"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-palette.h"
#include "zs-widgets-private.h"

struct _ZsPalette
{
  GtkWidget   parent_instance;

  GtkListBox *list;
};

G_DEFINE_FINAL_TYPE (ZsPalette, zs_palette, GTK_TYPE_WIDGET)

enum {
  ROLE_ACTIVATED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

#define ROLE_KEY "zs-role"

static ZsRole
row_role (GtkWidget *row)
{
  return GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row), ROLE_KEY));
}

static GdkContentProvider *
on_drag_prepare_cb (GtkDragSource *source,
                    double         x,
                    double         y,
                    GtkWidget     *row)
{
  g_autofree char *text = g_strconcat (ZS_PALETTE_DRAG_PREFIX,
                                       zs_role_to_string (row_role (row)), NULL);

  return gdk_content_provider_new_typed (G_TYPE_STRING, text);
}

static void
on_drag_begin_cb (GtkDragSource *source,
                  GdkDrag       *drag,
                  GtkWidget     *row)
{
  g_autoptr(GdkPaintable) icon = gtk_widget_paintable_new (row);

  gtk_drag_source_set_icon (source, icon, 16, 16);
}

static void
on_row_activated_cb (GtkListBox    *list,
                     GtkListBoxRow *row,
                     ZsPalette     *self)
{
  g_signal_emit (self, signals [ROLE_ACTIVATED], 0, (guint) row_role (GTK_WIDGET (row)));
}

static GtkWidget *
create_row (ZsRole role)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *badges = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *title = gtk_label_new (zs_role_get_label (role));
  GtkDragSource *source = gtk_drag_source_new ();
  const ZsRoleSocket *sockets;
  guint n_sockets;

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "role-title");
  gtk_box_append (GTK_BOX (box), title);
  sockets = zs_role_get_sockets (role, &n_sockets);
  if (role == ZS_ROLE_EXTERNAL)
    {
      /* Its sockets are whatever the outside program uses. */
      GtkWidget *hint = gtk_label_new (_("not run by zmqscope"));

      gtk_label_set_xalign (GTK_LABEL (hint), 0);
      gtk_widget_add_css_class (hint, "hint");
      gtk_box_append (GTK_BOX (badges), hint);
    }
  else
    for (guint i = 0; i < n_sockets; i++)
      gtk_box_append (GTK_BOX (badges), _zs_widgets_socket_badge_new (sockets[i].default_type));
  gtk_box_append (GTK_BOX (box), badges);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, zs_role_describe (role));
  g_object_set_data (G_OBJECT (row), ROLE_KEY, GUINT_TO_POINTER (role));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  zs_role_get_label (role),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  zs_role_describe (role), -1);

  gtk_drag_source_set_actions (source, GDK_ACTION_COPY);
  g_signal_connect (source, "prepare", G_CALLBACK (on_drag_prepare_cb), row);
  g_signal_connect (source, "drag-begin", G_CALLBACK (on_drag_begin_cb), row);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (source));
  return row;
}

static void
zs_palette_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), ZS_TYPE_PALETTE);
  /* The template's root child has no id: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (zs_palette_parent_class)->dispose (object);
}

static void
zs_palette_class_init (ZsPaletteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zs_palette_dispose;

  signals [ROLE_ACTIVATED] =
    g_signal_new ("role-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  _zs_widgets_init ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/zmqscope/widgets/zs-palette.ui");
  gtk_widget_class_bind_template_child (widget_class, ZsPalette, list);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "zs-palette");
}

static void
zs_palette_init (ZsPalette *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint role = 0; role < ZS_ROLE_N_ROLES; role++)
    gtk_list_box_append (self->list, create_row ((ZsRole) role));
}

GtkWidget *
zs_palette_new (void)
{
  return g_object_new (ZS_TYPE_PALETTE, NULL);
}
