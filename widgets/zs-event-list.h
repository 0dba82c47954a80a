/* zs-event-list.h: what happened in a run, one row an event
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A bottom-panel page observing a ZsRunSession: its recording's events
 * (time, node, link, what happened), appended as the run goes. Clicking
 * or activating a row moves the session's cursor to that event. */
#pragma once

#include <gtk/gtk.h>

#include "zs-run-session.h"

G_BEGIN_DECLS

#define ZS_TYPE_EVENT_LIST (zs_event_list_get_type ())
G_DECLARE_FINAL_TYPE (ZsEventList, zs_event_list, ZS, EVENT_LIST, GtkWidget)

GtkWidget    *zs_event_list_new            (void);
/* NULL: no run, an empty list. */
void          zs_event_list_set_session    (ZsEventList  *self,
                                            ZsRunSession *session);
GtkListView  *zs_event_list_get_view       (ZsEventList  *self);
/* The events the list holds (the recording's, from the first kept one). */
guint         zs_event_list_get_n_events   (ZsEventList  *self);
/* What row `position` shows, its cells joined by spaces; NULL past the end. */
char         *zs_event_list_dup_text       (ZsEventList  *self,
                                            guint         position);
/* GTK_INVALID_LIST_POSITION when none is. */
guint         zs_event_list_get_selected   (ZsEventList  *self);

G_END_DECLS
