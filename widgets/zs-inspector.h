/* zs-inspector.h: the selected node's or link's settings, edited in place
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zs-canvas.h"

G_BEGIN_DECLS

#define ZS_TYPE_INSPECTOR (zs_inspector_get_type ())
G_DECLARE_FINAL_TYPE (ZsInspector, zs_inspector, ZS, INSPECTOR, GtkWidget)

/* Follows the canvas's selection; every edit is a step of its history. */
GtkWidget *zs_inspector_new        (void);
void       zs_inspector_set_target (ZsInspector *self,
                                    ZsCanvas    *canvas);
ZsCanvas  *zs_inspector_get_target (ZsInspector *self);

G_END_DECLS
