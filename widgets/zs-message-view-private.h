/* zs-message-view-private.h: for the tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-message-view.h"

G_BEGIN_DECLS

/* Reads the captures now instead of at the session's next update. */
void        _zs_message_view_poll             (ZsMessageView *self);
/* Messages shown. */
guint       _zs_message_view_get_n_messages   (ZsMessageView *self);
/* Frame rows of the `message`-th message shown (0 = newest), visible ones
 * only; the trace row counts when shown. kind receives the label
 * ("routing id", "delimiter", "frame 3", "trace"), text the content. */
guint       _zs_message_view_get_n_rows       (ZsMessageView *self,
                                               guint          message);
void        _zs_message_view_get_row          (ZsMessageView *self,
                                               guint          message,
                                               guint          row,
                                               const char   **kind,
                                               const char   **text,
                                               const char   **size);
/* How many times the rows were rebuilt (they are only when the newest
 * capture changes). */
guint       _zs_message_view_get_n_rebuilds   (ZsMessageView *self);
/* The note that what is shown is sampled, or NULL when it is not. */
const char *_zs_message_view_get_sampled_text (ZsMessageView *self);
/* The note that older messages of the link's connection were let go, or NULL. */
const char *_zs_message_view_get_let_go_text (ZsMessageView *self);

G_END_DECLS
