/* zs-tcp-stream.h: one direction of a TCP connection, put back in order
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Segments come as the capture saw them: out of order, retransmitted,
 * overlapping, cut by the snap length, or never (a loss in the capture).
 * The stream hands its reader the bytes in order, once each, and says
 * where bytes are missing. Out-of-order bytes wait in a buffer whose size
 * is capped: past the cap, the hole before them is declared a gap. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Out-of-order bytes one direction may hold before it gives up on a hole. */
#define ZS_TCP_STREAM_DEFAULT_CAP (256 * 1024)

typedef struct {
  /* In-order bytes; `data` is valid only during the call. */
  void (*deliver) (gpointer      user_data,
                   const guint8 *data,
                   gsize         len);
  /* `len` bytes that will never come (a capture loss, a snap length). */
  void (*gap)     (gpointer      user_data,
                   guint64       len);
} ZsTcpStreamReader;

typedef struct _ZsTcpSegment ZsTcpSegment;

typedef struct {
  const ZsTcpStreamReader *reader;
  gpointer      user_data;
  gsize         cap;
  gboolean      started;        /* next_seq is known */
  guint32       next_seq;       /* the next byte the reader gets */
  ZsTcpSegment *pending;        /* out of order, sorted by seq */
  gsize         pending_bytes;
  /* What the stream saw: */
  guint64       delivered;      /* bytes handed to the reader */
  guint64       retransmitted;  /* bytes seen again (already delivered) */
  guint64       gaps;           /* holes declared */
  guint64       gap_bytes;
} ZsTcpStream;

void     zs_tcp_stream_init    (ZsTcpStream             *stream,
                                const ZsTcpStreamReader *reader,
                                gpointer                 user_data,
                                gsize                    cap);
/* The SYN's sequence number: data starts at isn + 1. */
void     zs_tcp_stream_syn     (ZsTcpStream             *stream,
                                guint32                  isn);
/* A segment of `wire_len` payload bytes at `seq`, of which the first
 * `len` were captured (len < wire_len when the snap length cut it). A
 * stream with no SYN starts at the first segment it is given. */
void     zs_tcp_stream_add     (ZsTcpStream             *stream,
                                guint32                  seq,
                                const guint8            *data,
                                gsize                    len,
                                gsize                    wire_len);
/* The end of the capture, or the connection: what still waits behind a
 * hole is delivered after a gap. */
void     zs_tcp_stream_flush   (ZsTcpStream             *stream);
void     zs_tcp_stream_clear   (ZsTcpStream             *stream);

G_END_DECLS
