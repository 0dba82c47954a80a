/* zs-capture.h: the last messages through each link, for the message inspector
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every link keeps its last ZS_CAPTURE_SLOTS messages from the start of the
 * run, so a link selected later, or after the run, shows what went through.
 * The receiver copies at most ZS_CAPTURE_MAX_FRAMES frames of at most
 * ZS_CAPTURE_MAX_BYTES each into a preallocated slot (no allocation per
 * message): at most 2 * ZS_CAPTURE_SLOTS * 2 KiB per link.
 *
 * Each direction of a link has its own slots, written by one thread only
 * (the receiver's) without a lock; a reader copies them under a seqlock.
 * A node's receiver keeps every message while a direction is slow. Fast,
 * it keeps one in `every` (sampled): no more than ZS_CAPTURE_SLOTS kept
 * per ZS_CAPTURE_WINDOW_US, `every` doubling when that fills and halving
 * as it slows; the clock is read only for a message kept, so a message
 * not kept costs one decrement. A receiver that finds its queue empty
 * keeps the next message whatever the rate. */
#pragma once

#include <glib-object.h>
#include <stdalign.h>

G_BEGIN_DECLS

#define ZS_CAPTURE_SLOTS 16
#define ZS_CAPTURE_MAX_FRAMES 8
#define ZS_CAPTURE_MAX_BYTES 256
#define ZS_CAPTURE_WINDOW_US (G_USEC_PER_SEC / 10)
#define ZS_CAPTURE_MAX_EVERY 65536

#define ZS_TYPE_CAPTURE (zs_capture_get_type ())

typedef struct {
  gint64   time_us;          /* when the receiver took it */
  guint64  seq;              /* from the trace trailer, 0 if untraced */
  gboolean traced;
  guint8   trailer[16];      /* the raw trace trailer, shown only on request */
  guint    dir;              /* 0: connecting -> binding socket, 1: the other way */
  guint    n_frames;         /* frames in the message (may exceed those kept) */
  GBytes  *frames[ZS_CAPTURE_MAX_FRAMES];  /* payload, cut at ZS_CAPTURE_MAX_BYTES */
  gsize    sizes[ZS_CAPTURE_MAX_FRAMES];   /* each frame's full size */
  guint    every;            /* > 1: sampled, about 1 message in `every` of its direction kept
                                (0 or 1: each one) */
  gboolean older_let_go;     /* seen on the wire: some of its connection's last messages
                                before it were let go to bound memory (zs-wire-kept.h) */
} ZsCapture;

GType       zs_capture_get_type (void) G_GNUC_CONST;
ZsCapture  *zs_capture_copy     (const ZsCapture *capture);
void        zs_capture_free     (ZsCapture       *capture);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsCapture, zs_capture_free)

/* A message as its receiver holds it: the frames are borrowed. */
typedef struct {
  gint64         time_us;    /* zs_capture_ring_push only */
  guint64        seq;
  gboolean       traced;
  const guint8  *trailer;    /* 16 bytes, when traced */
  guint          dir;
  guint          n_frames;
  const guint8  *data[ZS_CAPTURE_MAX_FRAMES];
  gsize          sizes[ZS_CAPTURE_MAX_FRAMES];
} ZsCaptureSource;

/* The rings behind zs_engine_get_captures (): private to the engine. */
typedef struct _ZsCaptureRing ZsCaptureRing;

/* A direction's sampling, its receiving thread's own (a cache line each). */
typedef struct {
  alignas (64) guint countdown;       /* messages until the next one kept (1: this one) */
  guint   armed;           /* countdown's value when set: the gap that ends at the next kept */
  guint   every;
  guint   window_kept;
  gint64  window_us;
} ZsCaptureSampler;

/* The receiver's side of a ring, for the inline test below; the rest is
 * zs-capture.c's. */
typedef struct {
  ZsCaptureSampler sampler[2];
} ZsCaptureRingHead;

ZsCaptureRing *zs_capture_ring_new    (void);
void           zs_capture_ring_free   (ZsCaptureRing *ring);
/* Keeps this message, with its time_us: copies, allocates nothing. One
 * writer per direction. */
void           zs_capture_ring_push   (ZsCaptureRing         *ring,
                                       const ZsCaptureSource *message);
/* A node's receiver: keeps the message zs_capture_ring_due () asked for,
 * stamped now (g_get_monotonic_time), and sets how many to skip until
 * the next. The capture's `every` is how many messages of its direction
 * came since the one kept before it, itself included. */
void           zs_capture_ring_push_sampled (ZsCaptureRing         *ring,
                                             const ZsCaptureSource *message);
/* The same at a given time (tests). */
void           zs_capture_ring_push_sampled_at (ZsCaptureRing         *ring,
                                                const ZsCaptureSource *message,
                                                gint64                 now_us);
/* The receiver found its queue empty: its next message is kept. */
void           zs_capture_ring_idle   (ZsCaptureRing *ring,
                                       guint          dir);
/* Oldest first, at most ZS_CAPTURE_SLOTS: a GPtrArray of ZsCapture copies. */
GPtrArray     *zs_capture_ring_dup    (ZsCaptureRing *ring);

/* Whether the receiver keeps the message it just took on direction `dir`
 * (then zs_capture_ring_push_sampled): one decrement when not. */
static inline gboolean
zs_capture_ring_due (ZsCaptureRing *ring,
                     guint          dir)
{
  return --((ZsCaptureRingHead *) ring)->sampler[dir].countdown == 0;
}

G_END_DECLS
