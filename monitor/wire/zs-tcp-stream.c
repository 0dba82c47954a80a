/* zs-tcp-stream.c: one direction of a TCP connection, put back in order
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zs-tcp-stream.h"

struct _ZsTcpSegment {
  ZsTcpSegment *next;
  guint32       seq;
  gsize         len;
  guint8        data[];
};

/* Signed distance from a to b in sequence space (wraps at 2^32). */
static gint32
seq_diff (guint32 b,
          guint32 a)
{
  return (gint32) (b - a);
}

void
zs_tcp_stream_init (ZsTcpStream             *stream,
                    const ZsTcpStreamReader *reader,
                    gpointer                 user_data,
                    gsize                    cap)
{
  memset (stream, 0, sizeof *stream);
  stream->reader = reader;
  stream->user_data = user_data;
  stream->cap = cap;
}

void
zs_tcp_stream_syn (ZsTcpStream *stream,
                   guint32      isn)
{
  if (stream->started)
    return;
  stream->started = TRUE;
  stream->next_seq = isn + 1;
}

static void
declare_gap (ZsTcpStream *stream,
             guint64      len)
{
  if (len == 0)
    return;
  stream->gaps++;
  stream->gap_bytes += len;
  stream->reader->gap (stream->user_data, len);
}

/* Hands over the part of [seq, seq + len) beyond next_seq. */
static void
deliver_from (ZsTcpStream  *stream,
              guint32       seq,
              const guint8 *data,
              gsize         len)
{
  gsize skip = (gsize) -seq_diff (seq, stream->next_seq);

  if (skip >= len)
    {
      stream->retransmitted += len;
      return;
    }
  stream->retransmitted += skip;
  stream->next_seq += (guint32) (len - skip);
  stream->delivered += len - skip;
  stream->reader->deliver (stream->user_data, data + skip, len - skip);
}

/* Delivers every waiting segment that now starts at or before next_seq. */
static void
drain (ZsTcpStream *stream)
{
  while (stream->pending != NULL && seq_diff (stream->pending->seq, stream->next_seq) <= 0)
    {
      ZsTcpSegment *s = stream->pending;

      stream->pending = s->next;
      stream->pending_bytes -= s->len;
      deliver_from (stream, s->seq, s->data, s->len);
      g_free (s);
    }
}

/* The bytes before the first waiting segment are lost. */
static void
skip_hole (ZsTcpStream *stream)
{
  declare_gap (stream, (guint32) seq_diff (stream->pending->seq, stream->next_seq));
  stream->next_seq = stream->pending->seq;
  drain (stream);
}

static void
insert_pending (ZsTcpStream  *stream,
                guint32       seq,
                const guint8 *data,
                gsize         len)
{
  ZsTcpSegment **at = &stream->pending;
  ZsTcpSegment *s;

  while (*at != NULL && seq_diff (seq, (*at)->seq) > 0)
    at = &(*at)->next;
  /* A retransmission of a waiting segment adds nothing. */
  if (*at != NULL && (*at)->seq == seq && (*at)->len >= len)
    {
      stream->retransmitted += len;
      return;
    }
  s = g_malloc (sizeof *s + len);
  s->seq = seq;
  s->len = len;
  memcpy (s->data, data, len);
  s->next = *at;
  *at = s;
  stream->pending_bytes += len;
}

void
zs_tcp_stream_add (ZsTcpStream  *stream,
                   guint32       seq,
                   const guint8 *data,
                   gsize         len,
                   gsize         wire_len)
{
  g_return_if_fail (len <= wire_len);

  if (!stream->started)
    {
      stream->started = TRUE;
      stream->next_seq = seq;
    }
  if (wire_len == 0)
    return;
  if (seq_diff (seq, stream->next_seq) <= 0)
    {
      guint32 end = seq + (guint32) wire_len;

      deliver_from (stream, seq, data, len);
      /* Cut by the snap length: the rest of it is never seen. */
      if (seq_diff (end, stream->next_seq) > 0)
        {
          declare_gap (stream, (guint32) seq_diff (end, stream->next_seq));
          stream->next_seq = end;
        }
      drain (stream);
      return;
    }
  if (len == 0)
    return;
  insert_pending (stream, seq, data, len);
  while (stream->pending_bytes > stream->cap)
    skip_hole (stream);
}

void
zs_tcp_stream_flush (ZsTcpStream *stream)
{
  while (stream->pending != NULL)
    skip_hole (stream);
}

void
zs_tcp_stream_clear (ZsTcpStream *stream)
{
  while (stream->pending != NULL)
    {
      ZsTcpSegment *s = stream->pending;

      stream->pending = s->next;
      g_free (s);
    }
  stream->pending_bytes = 0;
}
