/* zs-palette.h: the roles a student drags onto the canvas
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zs-role.h"

G_BEGIN_DECLS

/* A palette row's drag content: this prefix and the role's name. */
#define ZS_PALETTE_DRAG_PREFIX "zmqscope-role:"

#define ZS_TYPE_PALETTE (zs_palette_get_type ())
G_DECLARE_FINAL_TYPE (ZsPalette, zs_palette, ZS, PALETTE, GtkWidget)

/* Signal "role-activated" (guint role): double click or Enter on a row. */
GtkWidget *zs_palette_new (void);

G_END_DECLS
