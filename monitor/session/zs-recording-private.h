/* zs-recording-private.h: what the file and the recording share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-recording.h"

G_BEGIN_DECLS

/* The frames and events a file holds, as they are: no decimation, no
 * events derived. Frames in time order (checked by the caller). */
void          _zs_recording_store_frame  (ZsRecording      *self,
                                          const ZsSnapshot *snapshot);
/* Takes `event->text`. */
void          _zs_recording_push_event   (ZsRecording      *self,
                                          ZsRunEvent       *event);
void          _zs_recording_set_n_events_dropped (ZsRecording *self,
                                                  guint64      n);
/* Takes `capture`; drops the oldest past ZS_RECORDING_CAPTURES. */
void          _zs_recording_push_capture (ZsRecording      *self,
                                          guint             link,
                                          ZsCapture        *capture);
guint         _zs_recording_get_n_captures (ZsRecording    *self,
                                            guint           link);
const ZsCapture *_zs_recording_get_capture (ZsRecording    *self,
                                            guint           link,
                                            guint           index);
/* The frame's compact bytes (zs-recording-codec.h). */
const guint8 *_zs_recording_get_frame_data (ZsRecording    *self,
                                            guint           frame,
                                            gsize          *length);
/* Every node's socket count summed: what a frame's `n_sockets` is, or 0. */
guint         _zs_recording_get_n_sockets  (ZsRecording    *self);

/* zs_recording_save and zs_recording_load without the file (the fuzzer). */
GBytes       *_zs_recording_save_to_data   (ZsRecording    *self);
ZsRecording  *_zs_recording_load_from_data (const guint8   *data,
                                            gsize           length,
                                            GError        **error);

G_END_DECLS
