/* zs-canvas-dnd.c: roles dropped from the palette become nodes
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <string.h>

#include "zs-canvas-private.h"
#include "zs-palette.h"

gboolean
_zs_canvas_parse_role_drop (const char *text,
                            ZsRole     *role)
{
  if (text == NULL || !g_str_has_prefix (text, ZS_PALETTE_DRAG_PREFIX))
    return FALSE;
  return zs_role_from_string (text + strlen (ZS_PALETTE_DRAG_PREFIX), role);
}

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            ZsCanvas      *self)
{
  ZsRole role;

  if (!G_VALUE_HOLDS_STRING (value) ||
      !_zs_canvas_parse_role_drop (g_value_get_string (value), &role))
    return FALSE;
  gtk_widget_grab_focus (GTK_WIDGET (self));
  return _zs_canvas_drop_role (self, role, x, y) != NULL;
}

static GdkDragAction
on_drop_motion_cb (GtkDropTarget *target,
                   double         x,
                   double         y,
                   ZsCanvas      *self)
{
  return self->running || self->topology == NULL ? 0 : GDK_ACTION_COPY;
}

void
_zs_canvas_init_dnd (ZsCanvas *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_STRING, GDK_ACTION_COPY);

  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  g_signal_connect (target, "motion", G_CALLBACK (on_drop_motion_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}
