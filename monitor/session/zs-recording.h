/* zs-recording.h: a run, recorded in bounded memory, saved and opened
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * CONTRACT (the lead's draft; the implementer may add, and must keep the
 * spirit). GTK-free, monitor/session/. Does not need libzmq to be running:
 * an opened recording replays on any machine.
 *
 * Frames: the snapshots a session took (at its frame rate), kept exactly
 * (every field of ZsSnapshot, strings included). Memory is bounded by the
 * topology's size and the recording's length, never by message count:
 * the last 60 s keep every frame up to 10 per second; older frames are
 * decimated (e.g. 1 per second up to 10 min, then 1 per 10 s), so a
 * one-hour full-speed run of the 200-node bench topology stays < 200 MB
 * and a one-minute one < 50 MB (frames stored compactly, not as 35 KB
 * structs if that is what it takes). The first and last frames are always
 * kept.
 *
 * Events: derived while appending, by comparing each frame with the
 * previous one: link connected / disconnected / retrying, first message on
 * a link, HWM reached (queue at capacity), N dropped (coalesced per link
 * and second), node done, node failed (its error), node stopped, the run
 * stopped by the engine (stop_reason). Bounded (oldest dropped past a cap,
 * the cap said in the list).
 *
 * Captures: per link, a ring of the last ZS_RECORDING_CAPTURES messages the
 * engine's capture rings showed (merged by time and sequence, never twice).
 *
 * Times: µs since the first frame (frame 0 is at 0). A frame keeps its
 * snapshot's own time_us (the recording machine's monotonic clock), and so
 * do captures: a capture is "at" its time_us less the first frame's. */
#pragma once

#include <gio/gio.h>

#include "zs-capture.h"
#include "zs-run-source.h"
#include "zs-snapshot.h"
#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_RECORDING_ERROR (zs_recording_error_quark ())
GQuark zs_recording_error_quark (void);

typedef enum {
  ZS_RECORDING_ERROR_TRUNCATED,   /* the message gives the byte offset */
  ZS_RECORDING_ERROR_CORRUPT,     /* the message gives the byte offset and what */
  ZS_RECORDING_ERROR_VERSION,     /* written by a newer zmqscope: says which version */
  ZS_RECORDING_ERROR_NOT_RECORDING,
} ZsRecordingError;

#define ZS_RECORDING_CAPTURES 64
/* Events kept at most; past it the oldest go (zs_recording_get_n_events_dropped). */
#define ZS_RECORDING_MAX_EVENTS 10000

typedef enum {
  ZS_RUN_EVENT_CONNECTED,
  ZS_RUN_EVENT_DISCONNECTED,
  ZS_RUN_EVENT_RETRYING,
  ZS_RUN_EVENT_FIRST_MESSAGE,
  ZS_RUN_EVENT_HWM_REACHED,
  ZS_RUN_EVENT_DROPPED,
  ZS_RUN_EVENT_NODE_DONE,
  ZS_RUN_EVENT_NODE_FAILED,
  ZS_RUN_EVENT_NODE_STOPPED,
  ZS_RUN_EVENT_RUN_STOPPED,
  ZS_RUN_EVENT_THROTTLED,         /* the relay's delay or loss changed: text says to what */
  ZS_RUN_EVENT_CHANGED,          /* a live change (zs_run_session_apply_fault): `text` says which */
} ZsRunEventKind;

typedef struct {
  gint64          time_us;        /* since the first frame */
  ZsRunEventKind  kind;
  int             node;           /* -1 if none */
  int             link;           /* -1 if none */
  guint64         count;          /* DROPPED: how many in this event */
  char           *text;           /* FAILED: the error; RUN_STOPPED: the reason; CHANGED: what */
} ZsRunEvent;

/* What happened, in a few words ("connected", "HWM reached"), translated. */
const char       *zs_run_event_kind_to_string   (ZsRunEventKind     kind);

#define ZS_TYPE_RECORDING (zs_recording_get_type ())
G_DECLARE_FINAL_TYPE (ZsRecording, zs_recording, ZS, RECORDING, GObject)

ZsRecording      *zs_recording_new              (ZsTopology        *frozen);
ZsTopology       *zs_recording_get_topology     (ZsRecording       *self);
/* Appends a frame (copied), deriving events; frames must come in time order. */
void              zs_recording_append           (ZsRecording       *self,
                                                 const ZsSnapshot  *snapshot);
/* Merges what the engine's ring for `link` holds now (ZsCapture array). */
void              zs_recording_add_captures     (ZsRecording       *self,
                                                 guint              link,
                                                 GPtrArray         *captures);
/* A session's tick: the source's figures now into `snapshot` (sized for
 * its topology, left holding them), appended, and the messages its links'
 * rings show, merged. */
void              zs_recording_record           (ZsRecording       *self,
                                                 ZsRunSource       *source,
                                                 ZsSnapshot        *snapshot);
guint             zs_recording_get_n_frames     (ZsRecording       *self);
gint64            zs_recording_get_frame_time_us (ZsRecording      *self,
                                                 guint              frame);
gint64            zs_recording_get_duration_us  (ZsRecording       *self);
/* The last frame at or before `time_us` (the first if before it), copied
 * into `snapshot` (zs_snapshot_new sized for the topology). Returns its
 * frame index. */
guint             zs_recording_snapshot_at      (ZsRecording       *self,
                                                 gint64             time_us,
                                                 ZsSnapshot        *snapshot);
/* Frame `frame` (< n_frames), copied into `snapshot` as snapshot_at does. */
void              zs_recording_get_frame        (ZsRecording       *self,
                                                 guint              frame,
                                                 ZsSnapshot        *snapshot);
/* ZsRunEvent, in time order; owned by the recording, valid until the next
 * append. */
const ZsRunEvent *zs_recording_get_events       (ZsRecording       *self,
                                                 guint             *n_events);
/* An event the frames cannot tell (a live change), at the last frame's time. */
void              zs_recording_note_event       (ZsRecording       *self,
                                                 ZsRunEventKind     kind,
                                                 int                node,
                                                 int                link,
                                                 const char        *text);
/* How many of the oldest events went to keep the list under ZS_RECORDING_MAX_EVENTS. */
guint64           zs_recording_get_n_events_dropped (ZsRecording   *self);
/* Messages of `link` received at or before time_us, oldest first. */
GPtrArray        *zs_recording_get_captures_at  (ZsRecording       *self,
                                                 guint              link,
                                                 gint64             time_us);
/* Bytes this recording holds in memory (for the bench and the tests). */
gsize             zs_recording_get_memory_size  (ZsRecording       *self);

/* One file: the topology and the recording, versioned, documented in
 * docs/recording-format.md, gzip-compressed. */
gboolean          zs_recording_save             (ZsRecording       *self,
                                                 const char        *path,
                                                 GError           **error);
/* Untrusted input: refused with a clear message and position (truncated,
 * corrupted, newer version), never a crash, never an unbounded allocation. */
ZsRecording      *zs_recording_load             (const char        *path,
                                                 GError           **error);

G_END_DECLS
