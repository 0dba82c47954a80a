/* zs-zmtp.h: one direction of a ZMTP 3.0/3.1 connection, decoded as it streams
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fed the bytes one peer sent, in order (zs-tcp-stream.h), the decoder
 * reads the greeting (version, mechanism, as-server), the handshake
 * commands (NULL and PLAIN READY/INITIATE metadata: Socket-Type,
 * Identity/Routing-Id; PLAIN's user name, never its password; CURVE's
 * boxes only counted), then frames: messages (multipart, envelopes),
 * subscriptions (3.1 SUBSCRIBE/CANCEL commands and 3.0 subscription
 * messages), PING/PONG and ERROR.
 *
 * It keeps a bounded prefix of each frame and never allocates after a
 * declared length. Bytes that are not ZMTP, a malformed greeting or frame,
 * a frame length beyond 2^63 - 1 end the decoding of this direction with a
 * finding; a gap in the capture makes it look for the next frame boundary. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Command bodies kept (READY metadata beyond this is not read). */
#define ZS_ZMTP_KEEP_COMMAND 1024
/* Bytes kept of each data frame (topics, subscription messages, envelopes,
 * the message inspector's ZS_CAPTURE_MAX_BYTES). */
#define ZS_ZMTP_KEEP_DATA 256
/* Frames of a message kept for its message func (ZS_CAPTURE_MAX_FRAMES). */
#define ZS_ZMTP_KEEP_FRAMES 8
/* Distinct subscriptions a direction keeps by name; more are counted. */
#define ZS_ZMTP_MAX_TOPICS 32
#define ZS_ZMTP_MAX_FINDINGS 8

typedef enum {
  ZS_ZMTP_GREETING,      /* reading the 64-byte greeting */
  ZS_ZMTP_FRAMES,        /* reading frames */
  ZS_ZMTP_RESYNC,        /* after a gap or a mid-stream start: looking for a frame boundary */
  ZS_ZMTP_FAILED,        /* not ZMTP, or malformed: bytes are only counted */
} ZsZmtpState;

typedef enum {
  ZS_ZMTP_FINDING_NOT_ZMTP,      /* another protocol (HTTP, say) */
  ZS_ZMTP_FINDING_OLD_VERSION,   /* ZMTP 1.0 or 2.0: not decoded */
  ZS_ZMTP_FINDING_BAD_GREETING,
  ZS_ZMTP_FINDING_BAD_FRAME,     /* reserved flag bits, a length beyond 2^63 - 1 */
  ZS_ZMTP_FINDING_BAD_COMMAND,
  ZS_ZMTP_FINDING_ERROR,         /* the peer sent ERROR: its reason */
  ZS_ZMTP_FINDING_GAP,           /* bytes missing from the capture */
  ZS_ZMTP_FINDING_RESYNC,        /* found a frame boundary again */
  ZS_ZMTP_FINDING_TRUNCATED,     /* the capture ended inside a frame */
} ZsZmtpFindingKind;

typedef struct {
  ZsZmtpFindingKind kind;
  char             *text;
} ZsZmtpFinding;

typedef struct {
  guint64 messages;        /* complete application messages */
  guint64 frames;
  guint64 bytes;           /* message payload bytes (frame bodies) */
  guint64 multipart;       /* messages of more than one frame */
  guint64 enveloped;       /* messages with an envelope: frames before an empty delimiter */
  guint64 commands;
  guint64 subscribes;      /* SUBSCRIBE commands and 3.0 subscription messages */
  guint64 cancels;
  guint64 pings;
  guint64 pongs;
  guint64 errors;
  guint64 encrypted_frames;  /* CURVE MESSAGE boxes: one frame each, content unknown */
  guint64 encrypted_bytes;
  guint64 skipped_bytes;   /* not decoded: before a resync, or after a failure */
} ZsZmtpCounts;

typedef struct {
  char    *topic;          /* printable (escaped) */
  guint64  count;          /* subscribes minus cancels seen for it */
} ZsZmtpTopic;

typedef struct _ZsZmtpDecoder ZsZmtpDecoder;

/* A complete message: its first frames' kept prefixes (borrowed). */
typedef void (*ZsZmtpMessageFunc) (gpointer       user_data,
                                   guint          n_frames,
                                   const guint8 **data,
                                   const gsize   *kept,
                                   const guint64 *sizes);

ZsZmtpDecoder       *zs_zmtp_decoder_new           (void);
void                 zs_zmtp_decoder_free          (ZsZmtpDecoder  *self);
/* No greeting will come: the capture joined the connection in its middle. */
void                 zs_zmtp_decoder_join_midstream (ZsZmtpDecoder *self);
void                 zs_zmtp_decoder_set_message_func (ZsZmtpDecoder   *self,
                                                       ZsZmtpMessageFunc func,
                                                       gpointer          user_data);
void                 zs_zmtp_decoder_feed          (ZsZmtpDecoder  *self,
                                                    const guint8   *data,
                                                    gsize           len);
void                 zs_zmtp_decoder_gap           (ZsZmtpDecoder  *self,
                                                    guint64         len);
/* The stream ended (connection closed, capture over). */
void                 zs_zmtp_decoder_finish        (ZsZmtpDecoder  *self);

ZsZmtpState          zs_zmtp_decoder_get_state     (ZsZmtpDecoder  *self);
/* TRUE once a valid ZMTP 3 greeting (or, mid-stream, a frame boundary) was seen. */
gboolean             zs_zmtp_decoder_is_zmtp       (ZsZmtpDecoder  *self);
gboolean             zs_zmtp_decoder_joined_midstream (ZsZmtpDecoder *self);
/* 0.0 until the greeting is read. */
void                 zs_zmtp_decoder_get_version   (ZsZmtpDecoder  *self,
                                                    guint          *major,
                                                    guint          *minor);
/* "NULL", "PLAIN", "CURVE", … or NULL. */
const char          *zs_zmtp_decoder_get_mechanism (ZsZmtpDecoder  *self);
gboolean             zs_zmtp_decoder_get_as_server (ZsZmtpDecoder  *self);
/* From READY (or PLAIN's INITIATE): "PUSH", … or NULL when not seen
 * (mid-stream, encrypted). */
const char          *zs_zmtp_decoder_get_socket_type (ZsZmtpDecoder *self);
/* Identity / Routing-Id, escaped, or NULL. */
const char          *zs_zmtp_decoder_get_identity  (ZsZmtpDecoder  *self);
/* PLAIN HELLO's user name, escaped, or NULL. The password is never kept. */
const char          *zs_zmtp_decoder_get_user      (ZsZmtpDecoder  *self);
gboolean             zs_zmtp_decoder_is_encrypted  (ZsZmtpDecoder  *self);
gboolean             zs_zmtp_decoder_handshake_done (ZsZmtpDecoder *self);
const ZsZmtpCounts  *zs_zmtp_decoder_get_counts    (ZsZmtpDecoder  *self);
/* ZsZmtpTopic, in the order first seen; only those still subscribed. */
GPtrArray           *zs_zmtp_decoder_get_topics    (ZsZmtpDecoder  *self);
/* ZsZmtpFinding, at most ZS_ZMTP_MAX_FINDINGS (then the count goes on). */
GPtrArray           *zs_zmtp_decoder_get_findings  (ZsZmtpDecoder  *self);
guint                zs_zmtp_decoder_get_n_findings (ZsZmtpDecoder *self);

/* Bytes as a printable string: ASCII as is, the rest as \xNN. */
char                *zs_zmtp_escape                (const guint8   *data,
                                                    gsize           len);

G_END_DECLS
