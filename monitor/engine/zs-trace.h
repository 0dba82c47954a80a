/* zs-trace.h: the 16-byte trailer appended inside a message's last frame
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Appending inside the last frame (not a frame of its own) keeps SUB prefix
 * filters, ROUTER envelopes and REQ's empty delimiter untouched, and keeps
 * 16-byte payloads within libzmq's 33-byte inline message (no malloc). */
#pragma once

#include <glib.h>
#include <string.h>

G_BEGIN_DECLS

#define ZS_TRACE_SIZE 16

/* The sequence is per link (the receiver can count gaps as drops) or per
 * sending socket (round-robin senders: gaps mean nothing). */
#define ZS_TRACE_FLAG_LINK_SEQ 0x01

/* Sequences have 47 bits: 110 days at libzmq's fastest pace (14.7 M msg/s). */
#define ZS_TRACE_SEQ_MAX G_GUINT64_CONSTANT (0x7fffffffffff)

typedef struct {
  guint64 seq;
  guint16 origin;   /* the sending socket's index in the run */
  guint64 run_tag;  /* random per run: tells this run's trailers from stale or foreign bytes */
  guint8  flags;
} ZsTrace;

/* A new run's tag: 40 random bits that outsiders cannot guess, and the
 * magic every zmqscope trailer carries. */
guint64   zs_trace_new_run_tag (void);
/* Another zmqscope run's trailer (our magic, another tag): strip it, and
 * count the message as from outside. */
gboolean  zs_trace_is_foreign  (const guint8  *frame,
                                gsize          size,
                                guint64        run_tag);
/* Layout, two little-endian 64-bit words:
 *   head: seq (bits 0–46) | LINK_SEQ flag (bit 47) | origin (bits 48–63)
 *   tag:  the run tag: 40 random bits (bits 0–39), then the magic (bits
 *         40–63), the same in every zmqscope run
 * A wider tag than seq or origin need: a peer that does not know it cannot
 * write a trailer we accept. The magic tells another zmqscope's trailer
 * (another run, another process) from an outside program's bytes: its last
 * bytes 5a e7 never end valid UTF-8 text, and no zero byte is in it.
 * Reading is inline: every received message is read. */
#define ZS_TRACE_HEAD_FLAG_SHIFT 47
#define ZS_TRACE_HEAD_ORIGIN_SHIFT 48

/* Writes the trailer's first word: all that changes from one message of
 * a sender to the next (a constant frame keeps its tag word). */
static inline void
zs_trace_write_head (guint8        *dest,
                     const ZsTrace *trace)
{
  guint64 head = (trace->seq & ZS_TRACE_SEQ_MAX)
                 | ((guint64) (trace->flags & ZS_TRACE_FLAG_LINK_SEQ) << ZS_TRACE_HEAD_FLAG_SHIFT)
                 | ((guint64) trace->origin << ZS_TRACE_HEAD_ORIGIN_SHIFT);

  head = GUINT64_TO_LE (head);
  memcpy (dest, &head, 8);
}

/* Writes ZS_TRACE_SIZE trailer bytes (every traced send does). */
static inline void
zs_trace_write (guint8        *dest,
                const ZsTrace *trace)
{
  guint64 tag = GUINT64_TO_LE (trace->run_tag);

  zs_trace_write_head (dest, trace);
  memcpy (dest + 8, &tag, 8);
}

/* Decodes ZS_TRACE_SIZE trailer bytes (as captured), whatever their tag. */
static inline void
zs_trace_decode (const guint8 *trailer,
                 ZsTrace      *trace)
{
  guint64 head, tag;

  memcpy (&head, trailer, 8);
  memcpy (&tag, trailer + 8, 8);
  head = GUINT64_FROM_LE (head);
  trace->seq = head & ZS_TRACE_SEQ_MAX;
  trace->flags = (head >> ZS_TRACE_HEAD_FLAG_SHIFT) & ZS_TRACE_FLAG_LINK_SEQ;
  trace->origin = (guint16) (head >> ZS_TRACE_HEAD_ORIGIN_SHIFT);
  trace->run_tag = GUINT64_FROM_LE (tag);
}

/* Reads a trailer from the end of a frame; FALSE when there is none with
 * this run's tag. */
static inline gboolean
zs_trace_read (const guint8 *frame,
               gsize         size,
               guint64       run_tag,
               ZsTrace      *trace)
{
  guint64 tag;

  if (size < ZS_TRACE_SIZE)
    return FALSE;
  memcpy (&tag, frame + size - 8, 8);
  if (GUINT64_FROM_LE (tag) != run_tag)
    return FALSE;
  zs_trace_decode (frame + size - ZS_TRACE_SIZE, trace);
  return TRUE;
}

G_END_DECLS
