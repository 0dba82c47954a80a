/* zs-trace.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-trace"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "zs-trace.h"

/* Layout, two little-endian 64-bit words:
 *   head: seq (bits 0–46) | LINK_SEQ flag (bit 47) | origin (bits 48–63)
 *   tag:  the run tag: 40 random bits (bits 0–39), then the magic (bits
 *         40–63), the same in every zmqscope run
 * A wider tag than seq or origin need: a peer that does not know it cannot
 * write a trailer we accept. The magic tells another zmqscope's trailer
 * (another run, another process) from an outside program's bytes: its last
 * bytes 5a e7 never end valid UTF-8 text, and no zero byte is in it. */
#define HEAD_FLAG_SHIFT 47
#define HEAD_ORIGIN_SHIFT 48
#define TAG_RANDOM_MASK G_GUINT64_CONSTANT (0xffffffffff)
#define TAG_MAGIC G_GUINT64_CONSTANT (0xe75a9c0000000000)

guint64
zs_trace_new_run_tag (void)
{
  guint64 tag = 0;

  while ((tag & TAG_RANDOM_MASK) == 0)
    if (getrandom (&tag, sizeof tag, 0) != (ssize_t) sizeof tag)
      tag = ((guint64) g_random_int () << 32) | g_random_int ();
  return (tag & TAG_RANDOM_MASK) | TAG_MAGIC;
}

void
zs_trace_write (guint8        *dest,
                const ZsTrace *trace)
{
  guint64 head = (trace->seq & ZS_TRACE_SEQ_MAX)
                 | ((guint64) (trace->flags & ZS_TRACE_FLAG_LINK_SEQ) << HEAD_FLAG_SHIFT)
                 | ((guint64) trace->origin << HEAD_ORIGIN_SHIFT);
  guint64 tag = GUINT64_TO_LE (trace->run_tag);

  head = GUINT64_TO_LE (head);
  memcpy (dest, &head, 8);
  memcpy (dest + 8, &tag, 8);
}

void
zs_trace_decode (const guint8 *trailer,
                 ZsTrace      *trace)
{
  guint64 head, tag;

  memcpy (&head, trailer, 8);
  memcpy (&tag, trailer + 8, 8);
  head = GUINT64_FROM_LE (head);
  trace->seq = head & ZS_TRACE_SEQ_MAX;
  trace->flags = (head >> HEAD_FLAG_SHIFT) & ZS_TRACE_FLAG_LINK_SEQ;
  trace->origin = (guint16) (head >> HEAD_ORIGIN_SHIFT);
  trace->run_tag = GUINT64_FROM_LE (tag);
}

gboolean
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

gboolean
zs_trace_is_foreign (const guint8 *frame,
                     gsize         size,
                     guint64       run_tag)
{
  guint64 tag;

  if (size < ZS_TRACE_SIZE)
    return FALSE;
  memcpy (&tag, frame + size - 8, 8);
  tag = GUINT64_FROM_LE (tag);
  return tag != run_tag && (tag & ~TAG_RANDOM_MASK) == TAG_MAGIC && (tag & TAG_RANDOM_MASK) != 0;
}
