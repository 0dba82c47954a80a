/* zs-capture.h: the last messages through each link, for the message inspector
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every link keeps its last ZS_CAPTURE_SLOTS messages from the start of the
 * run, so a link selected later, or after the run, shows what went through.
 * The receiver copies at most ZS_CAPTURE_MAX_FRAMES frames of at most
 * ZS_CAPTURE_MAX_BYTES each into a preallocated slot (no allocation per
 * message): at most ZS_CAPTURE_SLOTS * 2 KiB per link. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ZS_CAPTURE_SLOTS 16
#define ZS_CAPTURE_MAX_FRAMES 8
#define ZS_CAPTURE_MAX_BYTES 256

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
} ZsCapture;

GType       zs_capture_get_type (void) G_GNUC_CONST;
ZsCapture  *zs_capture_copy     (const ZsCapture *capture);
void        zs_capture_free     (ZsCapture       *capture);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsCapture, zs_capture_free)

/* A message as its receiver holds it: the frames are borrowed. */
typedef struct {
  gint64         time_us;
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

ZsCaptureRing *zs_capture_ring_new    (void);
void           zs_capture_ring_free   (ZsCaptureRing *ring);
/* Called by the receiving thread: copies what it keeps, allocates nothing. */
void           zs_capture_ring_push   (ZsCaptureRing         *ring,
                                       const ZsCaptureSource *message);
/* Oldest first; a GPtrArray of ZsCapture copies. */
GPtrArray     *zs_capture_ring_dup    (ZsCaptureRing *ring);

G_END_DECLS
