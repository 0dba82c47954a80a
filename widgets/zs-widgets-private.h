/* zs-widgets-private.h: shared by the widgets of widgets/
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zs-socket-type.h"

G_BEGIN_DECLS

/* Registers the widgets' GResource and loads their CSS once. */
void         _zs_widgets_init             (void);
/* "pubsub", "reqrep", "pipeline" or "pair": the CSS class of a socket badge. */
const char  *_zs_widgets_socket_family    (ZsSocketType type);
/* A small coloured label "PUB" as on the canvas's cards. */
GtkWidget   *_zs_widgets_socket_badge_new (ZsSocketType type);
/* The badge shows another type: its name, colour and tooltip. */
void         _zs_widgets_socket_badge_set_type (GtkWidget    *badge,
                                                ZsSocketType  type);

G_END_DECLS
