/* zs-run-session.h: one owner for a run: its source, clock and live model
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A session is GTK-free. It owns one ZsRunSource, one clock (its own GLib
 * timeouts in the thread-default main context: about 60 Hz while the live
 * model moves, a few Hz at rest, none once ended), the snapshot shown and
 * the ZsLiveModel derived from it. The views (canvas, charts, message
 * view, inspector, header) observe a session; none of them holds an
 * engine.
 *
 * Following a live source, each tick takes a snapshot from the source,
 * feeds the live model and emits ::updated. The session ends a live
 * source by itself when its snapshot says `finished`, has a `stop_reason`
 * (the memory cap) or is no longer `running` (stopped behind the
 * session's back), as the CLI does: the source stops, its settled figures
 * are the last snapshot, ::ended is emitted and the clock stops. */
#pragma once

#include <glib-object.h>

#include "zs-live-model.h"
#include "zs-run-source.h"

G_BEGIN_DECLS

#define ZS_TYPE_RUN_SESSION (zs_run_session_get_type ())
G_DECLARE_FINAL_TYPE (ZsRunSession, zs_run_session, ZS, RUN_SESSION, GObject)

/* A live source is followed from its first snapshot on. */
ZsRunSession     *zs_run_session_new              (ZsRunSource  *source);
ZsRunSource      *zs_run_session_get_source       (ZsRunSession *self);
ZsTopology       *zs_run_session_get_topology     (ZsRunSession *self);   /* frozen */
ZsLiveModel      *zs_run_session_get_live_model   (ZsRunSession *self);
/* The figures shown; valid until the next ::updated. */
const ZsSnapshot *zs_run_session_get_snapshot     (ZsRunSession *self);
/* Messages of `link` received up to the moment shown, oldest first
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

/* Signals:
 *   ::updated ()  the shown figures changed (a tick, a control)
 *   ::ended ()    a live source ended (stopped, finished, or stopped by the
 *                 engine: zs_run_session_get_snapshot ()->stop_reason)
 * Properties (notify): "live", "paused". */

G_END_DECLS
