/* zs-wire-kept.h: the latest messages of captured connections, in bounded memory
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The Messages page shows a link's last messages. Seen on the wire, a
 * capture may hold thousands of connections, and what they carry is
 * untrusted input: the capture helper and the app keep each connection's
 * last ZS_CAPTURE_SLOTS messages (their first ZS_CAPTURE_MAX_FRAMES
 * frames, ZS_CAPTURE_MAX_BYTES of each, allocated as long as they are)
 * for at most `max_connections` connections, in at most `max_bytes` in
 * all (every byte it allocates counted). Beyond either, the least
 * recently active connection's messages are let go, and counted
 * (zs_wire_kept_get_n_let_go): the memory follows the number of
 * connections shown, never the number of messages. */
#pragma once

#include "zs-capture.h"
#include "zs-wire.h"

G_BEGIN_DECLS

/* The helper's and the app's caps: a full store fits in one stream
 * message (zs-wire-stream.h), at most 65 536 records of 64 MiB. */
#define ZS_WIRE_KEPT_MAX_BYTES (32 * 1024 * 1024)
#define ZS_WIRE_KEPT_MAX_CONNECTIONS 4096

typedef struct _ZsWireKept ZsWireKept;

/* A message kept, and its place: the connection's `seq`-th, counted from
 * 1; frames borrowed from the store (message->data[i] holds
 * MIN (sizes[i], ZS_CAPTURE_MAX_BYTES) bytes). */
typedef void (*ZsWireKeptFunc) (gpointer               user_data,
                                 guint64                connection,
                                 guint64                seq,
                                 const ZsCaptureSource *message);

ZsWireKept *zs_wire_kept_new            (gsize                  max_bytes,
                                         guint                  max_connections);
void        zs_wire_kept_free           (ZsWireKept            *self);
/* Keeps `message` (its time_us, dir and frames; data[i] holds MIN
 * (sizes[i], ZS_CAPTURE_MAX_BYTES) bytes) as the connection's `seq`-th;
 * FALSE, keeping nothing, when it holds one as late already (sent again). */
gboolean    zs_wire_kept_push           (ZsWireKept            *self,
                                         guint64                connection,
                                         guint64                seq,
                                         const ZsCaptureSource *message);
/* A ZsWireMessageFunc (zs_wire_set_message_func, `user_data` the store):
 * keeps each message of a wire, numbered by the connection's messages
 * both ways, its id the connection's. */
void        zs_wire_kept_take           (gpointer                user_data,
                                         const ZsWireConnection *connection,
                                         guint                   dir,
                                         gint64                  time_us,
                                         guint                   n_frames,
                                         const guint8          **data,
                                         const gsize            *kept,
                                         const guint64          *sizes);
/* The connection's messages kept, oldest first: ZsCapture copies, each
 * `older_let_go` when some of the connection's last ZS_CAPTURE_SLOTS
 * messages are not kept (let go here, or by the helper that sent them). */
GPtrArray  *zs_wire_kept_dup            (ZsWireKept            *self,
                                         guint64                connection);
/* Every message kept after `stamp` (0: all), each connection's oldest
 * first; returns the stamp to give next time. */
guint64     zs_wire_kept_foreach_since  (ZsWireKept            *self,
                                         guint64                stamp,
                                         ZsWireKeptFunc         func,
                                         gpointer               user_data);
/* What it holds now: every byte it allocated for them (at most max_bytes). */
gsize       zs_wire_kept_get_bytes      (ZsWireKept            *self);
guint       zs_wire_kept_get_n_connections (ZsWireKept         *self);
/* Times a connection's messages were let go to stay within the caps. */
guint64     zs_wire_kept_get_n_let_go   (ZsWireKept            *self);

G_END_DECLS
