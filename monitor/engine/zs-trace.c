/* zs-trace.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-trace"

#include "config.h"

#include <string.h>
#include <sys/random.h>

#include "zs-trace.h"

/* The layout: zs-trace.h. */
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
