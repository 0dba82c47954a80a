/* zs-run-session.h: one owner for a run: its source, clock, recording and live model
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session is GTK-free. It owns one ZsRunSource, one clock (its own GLib
 * timeouts in the thread-default main context: about 60 Hz while the live
 * model moves, a few Hz at rest, none once ended), one ZsRecording
 * (recorded from a live source, or the one a ZsRecordingSource holds), the
 * snapshot shown and the ZsLiveModel derived from it. The views (canvas,
 * charts, message view, inspector, header) observe a session; none of them
 * holds an engine.
 *
 * The shown moment is the *cursor*. Following a live source, the cursor is
 * "now": each tick takes a snapshot from the source, feeds the live model
 * and emits ::updated; at 10 frames a second the frame and the links'
 * captures go into the recording. Scrubbing (zs_run_session_set_cursor_us)
 * moves the cursor back into the recording: the shown snapshot is the
 * recorded frame at that time, and the live model is rebuilt by feeding
 * it the recorded frames of the 5 s before the cursor (so rates, queues,
 * drop flashes are those of that moment); a live source keeps being
 * recorded meanwhile. Playback moves the cursor forward at a chosen speed;
 * at the end of a live recording it follows the live source again.
 *
 * The session ends a live source by itself when its snapshot says
 * `finished`, has a `stop_reason` (the memory cap) or is no longer
 * `running` (stopped behind the session's back), as the CLI does: the
 * source stops, its settled figures are the recording's last frame,
 * ::ended is emitted and the clock stops. */
#pragma once

#include <glib-object.h>

#include "zs-live-model.h"
#include "zs-recording.h"
#include "zs-run-source.h"

G_BEGIN_DECLS

#define ZS_RUN_SESSION_ERROR (zs_run_session_error_quark ())

GQuark zs_run_session_error_quark (void);

typedef enum {
  ZS_RUN_SESSION_ERROR_NOT_LIVE,     /* the run has ended, or is a recording */
  ZS_RUN_SESSION_ERROR_UNSUPPORTED,  /* the source takes no faults (the wire) */
} ZsRunSessionError;

#define ZS_TYPE_RUN_SESSION (zs_run_session_get_type ())
G_DECLARE_FINAL_TYPE (ZsRunSession, zs_run_session, ZS, RUN_SESSION, GObject)

/* A live source is followed from its first snapshot on; a recording
 * source opens with the cursor at the recording's end. */
ZsRunSession     *zs_run_session_new              (ZsRunSource  *source);
ZsRunSource      *zs_run_session_get_source       (ZsRunSession *self);
ZsTopology       *zs_run_session_get_topology     (ZsRunSession *self);   /* frozen */
ZsLiveModel      *zs_run_session_get_live_model   (ZsRunSession *self);
ZsRecording      *zs_run_session_get_recording    (ZsRunSession *self);
/* The figures at the cursor: the same snapshot for the session's life,
 * refilled before each ::updated. */
const ZsSnapshot *zs_run_session_get_snapshot     (ZsRunSession *self);
/* Messages of `link` received up to the cursor, oldest first
 * (ZsCapture), never NULL. */
GPtrArray        *zs_run_session_get_captures     (ZsRunSession *self,
                                                   guint         link);

/* The source is live and has not ended (nodes may still be paused). */
gboolean          zs_run_session_is_live          (ZsRunSession *self);
gboolean          zs_run_session_is_paused        (ZsRunSession *self);
/* Controls, forwarded to a source with ZS_RUN_SOURCE_CONTROLS; each
 * takes a snapshot at once (::updated). */
void              zs_run_session_pause            (ZsRunSession *self);
void              zs_run_session_resume           (ZsRunSession *self);
void              zs_run_session_step             (ZsRunSession *self);
void              zs_run_session_set_speed        (ZsRunSession *self,
                                                   double        messages_per_second);
/* Ends a live source for good: the source stops, its settled figures are
 * the last snapshot, ::updated then ::ended are emitted. */
void              zs_run_session_stop             (ZsRunSession *self);
/* A fault, now (zs-fault-script.h; its at_us is ignored): forwarded to
 * the source, then a snapshot at once (::updated). FALSE with
 * ZS_RUN_SESSION_ERROR when the session is not live or its source takes
 * no faults, or with the source's reason (ZS_ENGINE_ERROR_FAULT). */
gboolean          zs_run_session_apply_fault      (ZsRunSession      *self,
                                                   const ZsFaultStep *step,
                                                   GError           **error);
/* The live changes (flip, transport, HWMs: zs-live-edit.h) that make
 * the run what `document` (the editor's topology, edited during the run)
 * says, each applied as zs_run_session_apply_fault does (an event each).
 * TRUE when there were none or all applied; FALSE at the first refused. */
gboolean          zs_run_session_follow_document  (ZsRunSession      *self,
                                                   ZsTopology        *document,
                                                   GError           **error);
/* Leaves a live source running for another session to follow (a wire
 * source whose topology grew): this one stops following it, no longer
 * live, without ::ended; its figures stay as they were. */
void              zs_run_session_detach           (ZsRunSession *self);

/* Time, in µs since the recording's first frame. */
gint64            zs_run_session_get_duration_us  (ZsRunSession *self);
gint64            zs_run_session_get_cursor_us    (ZsRunSession *self);
/* Moves the cursor (clamped to [0, duration]); leaves the live edge and
 * stops playback. */
void              zs_run_session_set_cursor_us    (ZsRunSession *self,
                                                   gint64        cursor_us);
/* Back to "now" on a live source (no-op on a recording or an ended run). */
void              zs_run_session_follow_live      (ZsRunSession *self);
gboolean          zs_run_session_is_following     (ZsRunSession *self);
/* Replays from the cursor at `speed` × real time (0 stops playback). */
void              zs_run_session_play             (ZsRunSession *self,
                                                   double        speed);
double            zs_run_session_get_play_speed   (ZsRunSession *self);

/* Signals:
 *   ::updated ()  the shown figures changed (a tick, a control, a scrub,
 *                 a step of playback)
 *   ::ended ()    a live source ended (stopped, finished, or stopped by the
 *                 engine: zs_run_session_get_snapshot ()->stop_reason)
 * Properties (notify): "live", "paused", "cursor-us", "duration-us",
 *   "following", "play-speed". */

G_END_DECLS
