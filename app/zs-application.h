/* zs-application.h: the zmqscope desktop application
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ZS_TYPE_APPLICATION (zs_application_get_type ())
G_DECLARE_FINAL_TYPE (ZsApplication, zs_application, ZS, APPLICATION, GtkApplication)

ZsApplication *zs_application_new          (void);
/* The bundled examples (ZsExample, in lesson order), read once. */
GPtrArray     *zs_application_get_examples (ZsApplication *self);
/* org.zmqscope.Zmqscope, or NULL if its schema is not installed. */
GSettings     *zs_application_get_settings (ZsApplication *self);

G_END_DECLS
