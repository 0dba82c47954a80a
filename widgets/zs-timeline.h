/* zs-timeline.h: the time of a run under the canvas: scrub, play, back to live
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Observes a ZsRunSession and shows itself once there is something to
 * move through: the run ended, is paused, or the cursor left the live
 * edge. A scale to drag the cursor along (zs_run_session_set_cursor_us),
 * the events as ticks under it (drops in red), play/pause at 0.25×, 1× or
 * 4×, the time at the cursor and the run's length, and "Live" while a
 * running session is shown in the past. */
#pragma once

#include <gtk/gtk.h>

#include "zs-run-session.h"

G_BEGIN_DECLS

#define ZS_TYPE_TIMELINE (zs_timeline_get_type ())
G_DECLARE_FINAL_TYPE (ZsTimeline, zs_timeline, ZS, TIMELINE, GtkWidget)

GtkWidget    *zs_timeline_new          (void);
/* NULL: no run, hidden. */
void          zs_timeline_set_session  (ZsTimeline   *self,
                                        ZsRunSession *session);

G_END_DECLS
