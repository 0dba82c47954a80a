/* zs-capture.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-capture"

#include "config.h"

#include "zs-capture.h"

#include <string.h>

/* A captured message, its frames' first bytes inline. */
typedef struct {
  gint64   time_us;
  guint64  seq;
  gboolean traced;
  guint8   trailer[16];
  guint    dir;
  guint    n_frames;
  gsize    sizes[ZS_CAPTURE_MAX_FRAMES];
  guint8   bytes[ZS_CAPTURE_MAX_FRAMES][ZS_CAPTURE_MAX_BYTES];
} Slot;

struct _ZsCaptureRing {
  GMutex     mutex;
  Slot       slots[ZS_CAPTURE_SLOTS];
  guint      next;
  guint      used;
};

G_DEFINE_BOXED_TYPE (ZsCapture, zs_capture, zs_capture_copy, zs_capture_free)

static void
capture_clear (ZsCapture *capture)
{
  for (guint i = 0; i < ZS_CAPTURE_MAX_FRAMES; i++)
    g_clear_pointer (&capture->frames[i], g_bytes_unref);
}

static void
capture_assign (ZsCapture       *dest,
                const ZsCapture *src)
{
  capture_clear (dest);
  *dest = *src;
  for (guint i = 0; i < ZS_CAPTURE_MAX_FRAMES; i++)
    if (src->frames[i] != NULL)
      dest->frames[i] = g_bytes_ref (src->frames[i]);
}

ZsCapture *
zs_capture_copy (const ZsCapture *capture)
{
  ZsCapture *copy = g_new0 (ZsCapture, 1);

  capture_assign (copy, capture);
  return copy;
}

void
zs_capture_free (ZsCapture *capture)
{
  if (capture == NULL)
    return;
  capture_clear (capture);
  g_free (capture);
}

ZsCaptureRing *
zs_capture_ring_new (void)
{
  /* Slots are written before they are read (`used`): leave their 34 KB
   * untouched, so a run of thousands of links does not fault them all in. */
  ZsCaptureRing *ring = g_new (ZsCaptureRing, 1);

  ring->next = 0;
  ring->used = 0;
  g_mutex_init (&ring->mutex);
  return ring;
}

void
zs_capture_ring_free (ZsCaptureRing *ring)
{
  if (ring == NULL)
    return;
  g_mutex_clear (&ring->mutex);
  g_free (ring);
}

void
zs_capture_ring_push (ZsCaptureRing         *ring,
                      const ZsCaptureSource *message)
{
  Slot *slot;

  g_mutex_lock (&ring->mutex);
  slot = &ring->slots[ring->next];
  slot->time_us = message->time_us;
  slot->seq = message->seq;
  slot->traced = message->traced;
  if (message->traced)
    memcpy (slot->trailer, message->trailer, sizeof slot->trailer);
  else
    memset (slot->trailer, 0, sizeof slot->trailer);
  slot->dir = message->dir;
  slot->n_frames = message->n_frames;
  for (guint i = 0; i < message->n_frames && i < ZS_CAPTURE_MAX_FRAMES; i++)
    {
      slot->sizes[i] = message->sizes[i];
      memcpy (slot->bytes[i], message->data[i], MIN (message->sizes[i], ZS_CAPTURE_MAX_BYTES));
    }
  ring->next = (ring->next + 1) % ZS_CAPTURE_SLOTS;
  ring->used = MIN (ring->used + 1, ZS_CAPTURE_SLOTS);
  g_mutex_unlock (&ring->mutex);
}

static ZsCapture *
slot_to_capture (const Slot *slot)
{
  ZsCapture *capture = g_new0 (ZsCapture, 1);

  capture->time_us = slot->time_us;
  capture->seq = slot->seq;
  capture->traced = slot->traced;
  memcpy (capture->trailer, slot->trailer, sizeof capture->trailer);
  capture->dir = slot->dir;
  capture->n_frames = slot->n_frames;
  for (guint i = 0; i < slot->n_frames && i < ZS_CAPTURE_MAX_FRAMES; i++)
    {
      capture->sizes[i] = slot->sizes[i];
      capture->frames[i] = g_bytes_new (slot->bytes[i], MIN (slot->sizes[i], ZS_CAPTURE_MAX_BYTES));
    }
  return capture;
}

GPtrArray *
zs_capture_ring_dup (ZsCaptureRing *ring)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);

  g_mutex_lock (&ring->mutex);
  for (guint i = 0; i < ring->used; i++)
    {
      guint slot = (ring->next + ZS_CAPTURE_SLOTS - ring->used + i) % ZS_CAPTURE_SLOTS;
      g_ptr_array_add (out, slot_to_capture (&ring->slots[slot]));
    }
  g_mutex_unlock (&ring->mutex);
  return out;
}
