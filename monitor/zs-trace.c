/* zs-trace.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-trace"

#include "config.h"

#include <string.h>

#include "zs-trace.h"

/* Layout: seq (8, little endian) | origin (2) | run tag (2) | flags (1) | "ZS\x01" (3) */
static const guint8 trace_magic[3] = { 'Z', 'S', 0x01 };

void
zs_trace_write (guint8        *dest,
                const ZsTrace *trace)
{
  guint64 seq = GUINT64_TO_LE (trace->seq);
  guint16 origin = GUINT16_TO_LE (trace->origin);
  guint16 run_tag = GUINT16_TO_LE (trace->run_tag);

  memcpy (dest, &seq, 8);
  memcpy (dest + 8, &origin, 2);
  memcpy (dest + 10, &run_tag, 2);
  dest[12] = trace->flags;
  memcpy (dest + 13, trace_magic, 3);
}

gboolean
zs_trace_read (const guint8 *frame,
               gsize         size,
               guint16       run_tag,
               ZsTrace      *trace)
{
  const guint8 *t;
  guint64 seq;
  guint16 origin, tag;

  if (size < ZS_TRACE_SIZE)
    return FALSE;
  t = frame + size - ZS_TRACE_SIZE;
  if (memcmp (t + 13, trace_magic, 3) != 0)
    return FALSE;
  memcpy (&tag, t + 10, 2);
  if (GUINT16_FROM_LE (tag) != run_tag)
    return FALSE;
  memcpy (&seq, t, 8);
  memcpy (&origin, t + 8, 2);
  trace->seq = GUINT64_FROM_LE (seq);
  trace->origin = GUINT16_FROM_LE (origin);
  trace->run_tag = run_tag;
  trace->flags = t[12];
  return TRUE;
}
