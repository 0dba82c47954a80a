/* zs-recording-source.h: an opened recording as a run session's source
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Not live, no controls: its snapshot is the recording's last frame, its
 * captures the last ones kept. The session scrubs the recording itself. */
#pragma once

#include "zs-recording.h"
#include "zs-run-source.h"

G_BEGIN_DECLS

#define ZS_TYPE_RECORDING_SOURCE (zs_recording_source_get_type ())
G_DECLARE_FINAL_TYPE (ZsRecordingSource, zs_recording_source, ZS, RECORDING_SOURCE, GObject)

/* Takes a reference to a recording with at least one frame. */
ZsRecordingSource *zs_recording_source_new           (ZsRecording       *recording);
ZsRecording       *zs_recording_source_get_recording (ZsRecordingSource *self);

G_END_DECLS
