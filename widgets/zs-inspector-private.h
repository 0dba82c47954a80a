/* zs-inspector-private.h: the property editors of the inspector
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-inspector.h"

G_BEGIN_DECLS

/* One editor of one property of a node or of one of its sockets. */
typedef struct {
  ZsInspector *inspector;
  GObject     *object;     /* ZsNode or ZsSocketSpec, kept alive by the node */
  GParamSpec  *pspec;
  GtkWidget   *widget;     /* the editor itself */
  GtkWidget   *message;    /* findings about this field, hidden when none */
  int          socket;     /* -1 for the node's own properties */
} ZsEditor;

/* zs-inspector.c */
void       _zs_inspector_apply       (ZsInspector  *self,
                                      ZsEditor     *editor,
                                      const GValue *value);
gboolean   _zs_inspector_is_syncing  (ZsInspector  *self);

/* For the tests: the editor of a node's (socket -1) or a socket's property,
 * NULL when not shown; the live figures shown, or NULL; the form's scroller. */
GtkWidget  *_zs_inspector_get_editor     (ZsInspector  *self,
                                          int           socket,
                                          const char   *property);
const char *_zs_inspector_get_live_text  (ZsInspector  *self);
GtkWidget  *_zs_inspector_get_scroller   (ZsInspector  *self);
/* For the tests: the trash button of the node's socket `socket`, or NULL. */
GtkWidget  *_zs_inspector_get_remove_socket (ZsInspector *self,
                                             guint        socket);

/* zs-inspector-editors.c: a row (label, editor, message) for the pspec;
 * NULL for types it cannot edit. */
GtkWidget *_zs_editor_create_row     (ZsEditor     *editor);
/* Shows the property's current value in the editor. */
void       _zs_editor_sync           (ZsEditor     *editor);

G_END_DECLS
