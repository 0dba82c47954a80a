/* zs-wire-stream.h: the capture stream, from zmqscope-capture to the app
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The capture helper (capture/zmqscope-capture.c) decodes the wire and
 * sends what it found as ZeroMQ messages of this small versioned format
 * (docs/capture-stream.md): a STATE (every connection's state, and the
 * capture's own figures) a few times a second, and MESSAGES (the latest
 * messages of each connection, for the Messages page). The app reads them
 * as untrusted input: every length, count and value is checked against
 * the limits below, nothing is allocated after a declared length, and a
 * message that breaks a rule is refused whole, with the reason. */
#pragma once

#include "zs-wire-state.h"

G_BEGIN_DECLS

#define ZS_WIRE_STREAM_VERSION 2
/* A stream message larger than this is refused (set as ZMQ_MAXMSGSIZE). */
#define ZS_WIRE_STREAM_MAX_SIZE (64 * 1024 * 1024)
#define ZS_WIRE_STREAM_MAX_TEXT 4096
/* Records in one MESSAGES message. */
#define ZS_WIRE_STREAM_MAX_MESSAGES 65536

#define ZS_WIRE_STREAM_ERROR (zs_wire_stream_error_quark ())

typedef enum {
  ZS_WIRE_STREAM_ERROR_INVALID,    /* not a stream message, or a field out of bounds */
  ZS_WIRE_STREAM_ERROR_VERSION,    /* a version this program does not read */
} ZsWireStreamError;

typedef enum {
  ZS_WIRE_STREAM_STATE = 1,
  ZS_WIRE_STREAM_MESSAGES = 2,
} ZsWireStreamKind;

typedef struct {
  char      *host;             /* the helper's machine: its processes' pids are its own */
  gboolean   live;
  gboolean   finished;         /* the file was read to its end, or the capture stopped */
  char      *problem;          /* why it ended early, or NULL */
  char      *source;           /* "lo", "any", a file's name */
  guint64    packets;
  guint64    skipped;
  guint64    overflow;
  guint64    kernel_received;  /* live: pcap's figures */
  guint64    kernel_dropped;
  guint64    let_go;           /* connections whose kept messages it let go (zs-wire-kept.h) */
  GPtrArray *connections;      /* ZsWireConnState, their host[] set to `host` */
} ZsWireStreamState;

/* One message of a connection (frames borrowed from the stream message). */
typedef struct {
  guint64        connection;   /* ZsWireConnState.id */
  guint64        seq;          /* the connection's messages, counted from 1 */
  guint          dir;          /* 0: client -> server */
  gint64         time_us;
  guint          n_frames;     /* in the message; at most ZS_ZMTP_KEEP_FRAMES kept */
  guint          n_kept;
  const guint8  *data[ZS_ZMTP_KEEP_FRAMES];   /* MIN (size, ZS_ZMTP_KEEP_DATA) bytes each */
  guint64        sizes[ZS_ZMTP_KEEP_FRAMES];
} ZsWireStreamMessage;

GQuark             zs_wire_stream_error_quark     (void);

ZsWireStreamState *zs_wire_stream_state_new       (void);
void               zs_wire_stream_state_free      (ZsWireStreamState *self);
GBytes            *zs_wire_stream_encode_state    (const ZsWireStreamState *state);

/* A MESSAGES stream message: begun, then one record per message. */
GByteArray        *zs_wire_stream_messages_new    (void);
void               zs_wire_stream_append_message  (GByteArray     *messages,
                                                   guint64         connection,
                                                   guint64         seq,
                                                   guint           dir,
                                                   gint64          time_us,
                                                   guint           n_frames,
                                                   const guint8  **data,
                                                   const guint64  *sizes);
/* The records of a MESSAGES message with no record yet: nothing to send. */
gboolean           zs_wire_stream_messages_empty  (GByteArray     *messages);

/* Which kind a stream message is, after checking its header. */
gboolean           zs_wire_stream_peek_kind       (const guint8   *data,
                                                   gsize           len,
                                                   ZsWireStreamKind *kind,
                                                   GError        **error);
ZsWireStreamState *zs_wire_stream_decode_state    (const guint8   *data,
                                                   gsize           len,
                                                   GError        **error);
/* ZsWireStreamMessage records, their frames borrowed from `data`. */
GArray            *zs_wire_stream_decode_messages (const guint8   *data,
                                                   gsize           len,
                                                   GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsWireStreamState, zs_wire_stream_state_free)

G_END_DECLS
