/* zs-capture.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-capture"

#include "config.h"

#include "zs-capture.h"

struct _ZsCaptureRing {
  GMutex     mutex;
  ZsCapture  slots[ZS_CAPTURE_SLOTS];
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
  ZsCaptureRing *ring = g_new0 (ZsCaptureRing, 1);

  g_mutex_init (&ring->mutex);
  return ring;
}

void
zs_capture_ring_free (ZsCaptureRing *ring)
{
  if (ring == NULL)
    return;
  for (guint i = 0; i < ZS_CAPTURE_SLOTS; i++)
    capture_clear (&ring->slots[i]);
  g_mutex_clear (&ring->mutex);
  g_free (ring);
}

void
zs_capture_ring_push (ZsCaptureRing   *ring,
                      const ZsCapture *capture)
{
  g_mutex_lock (&ring->mutex);
  capture_assign (&ring->slots[ring->next], capture);
  ring->next = (ring->next + 1) % ZS_CAPTURE_SLOTS;
  ring->used = MIN (ring->used + 1, ZS_CAPTURE_SLOTS);
  g_mutex_unlock (&ring->mutex);
}

GPtrArray *
zs_capture_ring_dup (ZsCaptureRing *ring)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);

  g_mutex_lock (&ring->mutex);
  for (guint i = 0; i < ring->used; i++)
    {
      guint slot = (ring->next + ZS_CAPTURE_SLOTS - ring->used + i) % ZS_CAPTURE_SLOTS;
      g_ptr_array_add (out, zs_capture_copy (&ring->slots[slot]));
    }
  g_mutex_unlock (&ring->mutex);
  return out;
}
