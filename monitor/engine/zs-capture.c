/* zs-capture.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-capture"

#include "config.h"

#include "zs-capture.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <string.h>

#define ZS_CAPTURE_CACHELINE 64

/* A captured message, its frames' first bytes inline. `stamp` is the
 * seqlock: 0 while written, then 1 + the index it was written as. */
typedef struct {
  atomic_ulong stamp;
  gint64   time_us;
  guint64  seq;
  gboolean traced;
  guint8   trailer[16];
  guint    n_frames;
  guint    every;
  gsize    sizes[ZS_CAPTURE_MAX_FRAMES];
  guint8   bytes[ZS_CAPTURE_MAX_FRAMES][ZS_CAPTURE_MAX_BYTES];
} Slot;

/* One direction: how many its writer has written (beside the other
 * direction's count at the start of the ring: a new ring touches one
 * page), and its slots. */
typedef struct {
  alignas (ZS_CAPTURE_CACHELINE) atomic_ulong n;
} Written;

typedef struct {
  Slot slots[ZS_CAPTURE_SLOTS];
} Flow;

struct _ZsCaptureRing {
  ZsCaptureRingHead head;    /* first: zs_capture_ring_due () */
  Written           written[2];
  Flow              flows[2];
};

G_STATIC_ASSERT (G_STRUCT_OFFSET (struct _ZsCaptureRing, head) == 0);

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
  /* Slots are written before they are read (`written`): leave their 68 KB
   * untouched, so a run of thousands of links does not fault them all in. */
  ZsCaptureRing *ring = g_aligned_alloc (1, sizeof (ZsCaptureRing), ZS_CAPTURE_CACHELINE);

  memset (&ring->head, 0, sizeof ring->head);
  for (guint d = 0; d < 2; d++)
    {
      ring->head.sampler[d].countdown = 1;
      ring->head.sampler[d].armed = 1;
      ring->head.sampler[d].every = 1;
      atomic_init (&ring->written[d].n, 0);
    }
  return ring;
}

void
zs_capture_ring_free (ZsCaptureRing *ring)
{
  g_aligned_free (ring);
}

static void
flow_write (ZsCaptureRing         *ring,
            const ZsCaptureSource *message,
            gint64                 time_us,
            guint                  every)
{
  atomic_ulong *written = &ring->written[message->dir & 1].n;
  gulong index = atomic_load_explicit (written, memory_order_relaxed);
  Slot *slot = &ring->flows[message->dir & 1].slots[index % ZS_CAPTURE_SLOTS];

  atomic_store_explicit (&slot->stamp, 0, memory_order_relaxed);
  atomic_thread_fence (memory_order_release);
  slot->time_us = time_us;
  slot->seq = message->seq;
  slot->traced = message->traced;
  if (message->traced)
    memcpy (slot->trailer, message->trailer, sizeof slot->trailer);
  else
    memset (slot->trailer, 0, sizeof slot->trailer);
  slot->n_frames = message->n_frames;
  slot->every = every;
  for (guint i = 0; i < message->n_frames && i < ZS_CAPTURE_MAX_FRAMES; i++)
    {
      slot->sizes[i] = message->sizes[i];
      memcpy (slot->bytes[i], message->data[i], MIN (message->sizes[i], ZS_CAPTURE_MAX_BYTES));
    }
  atomic_store_explicit (&slot->stamp, index + 1, memory_order_release);
  atomic_store_explicit (written, index + 1, memory_order_release);
}

void
zs_capture_ring_push (ZsCaptureRing         *ring,
                      const ZsCaptureSource *message)
{
  flow_write (ring, message, message->time_us, 1);
}

/* After a kept message: a window that filled doubles `every`; one that
 * passed nearly empty halves it, once per window gone by. */
static void
sampler_adapt (ZsCaptureSampler *s,
               gint64            now)
{
  gint64 windows = (now - s->window_us) / ZS_CAPTURE_WINDOW_US;

  if (windows > 0)
    {
      if (windows > 1 || s->window_kept < ZS_CAPTURE_SLOTS / 4)
        s->every = windows >= 16 ? 1 : MAX (s->every >> windows, 1u);
      s->window_us = now;
      s->window_kept = 0;
    }
  if (++s->window_kept >= ZS_CAPTURE_SLOTS)
    {
      s->every = MIN (s->every * 2, ZS_CAPTURE_MAX_EVERY);
      s->window_us = now;
      s->window_kept = 0;
    }
  s->countdown = s->armed = s->every;
}

void
zs_capture_ring_push_sampled_at (ZsCaptureRing         *ring,
                                 const ZsCaptureSource *message,
                                 gint64                 now_us)
{
  ZsCaptureSampler *s = &ring->head.sampler[message->dir & 1];

  flow_write (ring, message, now_us, s->armed);
  sampler_adapt (s, now_us);
}

void
zs_capture_ring_push_sampled (ZsCaptureRing         *ring,
                              const ZsCaptureSource *message)
{
  zs_capture_ring_push_sampled_at (ring, message, g_get_monotonic_time ());
}

void
zs_capture_ring_idle (ZsCaptureRing *ring,
                      guint          dir)
{
  ZsCaptureSampler *s = &ring->head.sampler[dir & 1];

  s->armed -= s->countdown - 1;
  s->countdown = 1;
}

/* A copy of the slot written as `index`; NULL if it was overwritten
 * meanwhile (the reader does not wait for the writer). */
static ZsCapture *
slot_copy (Slot   *slot,
           gulong  index,
           guint   dir)
{
  ZsCapture *capture;

  if (atomic_load_explicit (&slot->stamp, memory_order_acquire) != index + 1)
    return NULL;
  capture = g_new0 (ZsCapture, 1);
  capture->time_us = slot->time_us;
  capture->seq = slot->seq;
  capture->traced = slot->traced;
  memcpy (capture->trailer, slot->trailer, sizeof capture->trailer);
  capture->dir = dir;
  capture->n_frames = MIN (slot->n_frames, G_MAXUINT);
  capture->every = slot->every;
  for (guint i = 0; i < capture->n_frames && i < ZS_CAPTURE_MAX_FRAMES; i++)
    {
      capture->sizes[i] = slot->sizes[i];
      capture->frames[i] = g_bytes_new (slot->bytes[i], MIN (slot->sizes[i], ZS_CAPTURE_MAX_BYTES));
    }
  atomic_thread_fence (memory_order_acquire);
  if (atomic_load_explicit (&slot->stamp, memory_order_relaxed) != index + 1)
    g_clear_pointer (&capture, zs_capture_free);
  return capture;
}

static int
compare_captures (gconstpointer a,
                  gconstpointer b)
{
  const ZsCapture *x = *(ZsCapture * const *) a, *y = *(ZsCapture * const *) b;

  if (x->time_us != y->time_us)
    return x->time_us < y->time_us ? -1 : 1;
  return (int) x->dir - (int) y->dir;
}

GPtrArray *
zs_capture_ring_dup (ZsCaptureRing *ring)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);

  for (guint d = 0; d < 2; d++)
    {
      Flow *flow = &ring->flows[d];
      gulong written = atomic_load_explicit (&ring->written[d].n, memory_order_acquire);

      for (gulong i = written > ZS_CAPTURE_SLOTS ? written - ZS_CAPTURE_SLOTS : 0; i < written; i++)
        {
          ZsCapture *capture = slot_copy (&flow->slots[i % ZS_CAPTURE_SLOTS], i, d);

          if (capture != NULL)
            g_ptr_array_add (out, capture);
        }
    }
  /* Stable: one direction's messages keep their order on a tie. */
  g_ptr_array_sort (out, compare_captures);
  if (out->len > ZS_CAPTURE_SLOTS)
    g_ptr_array_remove_range (out, 0, out->len - ZS_CAPTURE_SLOTS);
  return out;
}
