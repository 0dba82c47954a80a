/* zs-message-view.h: the last messages through one link, frame by frame
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zs-run-session.h"

G_BEGIN_DECLS

#define ZS_TYPE_MESSAGE_VIEW (zs_message_view_get_type ())
G_DECLARE_FINAL_TYPE (ZsMessageView, zs_message_view, ZS, MESSAGE_VIEW, GtkWidget)

/* While a link is set, the view lists the last messages the run session
 * kept for that link (during the run or after it, read as the session
 * updates, at most 4 times a second), newest first:
 * time, direction, sequence, and each frame as text or hex with its size.
 * Envelope frames (routing id, delimiter) are labelled.
 *
 * Properties: "session" (ZsRunSession, may be NULL), "link" (int, -1 for none),
 * "show-trace" (boolean: show each message's trace trailer). */
GtkWidget  *zs_message_view_new            (void);
void          zs_message_view_set_session  (ZsMessageView *self,
                                            ZsRunSession  *session);
ZsRunSession *zs_message_view_get_session  (ZsMessageView *self);
void        zs_message_view_set_link       (ZsMessageView *self,
                                            int            link);
int         zs_message_view_get_link       (ZsMessageView *self);
void        zs_message_view_set_show_trace (ZsMessageView *self,
                                            gboolean       show_trace);
gboolean    zs_message_view_get_show_trace (ZsMessageView *self);

G_END_DECLS
