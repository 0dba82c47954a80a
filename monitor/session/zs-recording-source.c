/* zs-recording-source.c: an opened recording as a run session's source
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zs-recording-source.h"

struct _ZsRecordingSource
{
  GObject      parent_instance;
  ZsRecording *recording;
};

static void run_source_iface_init (ZsRunSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ZsRecordingSource, zs_recording_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ZS_TYPE_RUN_SOURCE, run_source_iface_init))

#define RECORDING(source) (ZS_RECORDING_SOURCE (source)->recording)

static ZsTopology *
source_get_topology (ZsRunSource *source)
{
  return zs_recording_get_topology (RECORDING (source));
}

static ZsRunSourceFlags
source_get_flags (ZsRunSource *source)
{
  return 0;
}

static void
source_snapshot_into (ZsRunSource *source,
                      ZsSnapshot  *snapshot)
{
  zs_recording_snapshot_at (RECORDING (source), G_MAXINT64, snapshot);
}

static GPtrArray *
source_get_captures (ZsRunSource *source,
                     guint        link)
{
  return zs_recording_get_captures_at (RECORDING (source), link, G_MAXINT64);
}

static void
run_source_iface_init (ZsRunSourceInterface *iface)
{
  iface->get_topology = source_get_topology;
  iface->get_flags = source_get_flags;
  iface->snapshot_into = source_snapshot_into;
  iface->get_captures = source_get_captures;
}

static void
zs_recording_source_finalize (GObject *object)
{
  ZsRecordingSource *self = ZS_RECORDING_SOURCE (object);

  g_clear_object (&self->recording);
  G_OBJECT_CLASS (zs_recording_source_parent_class)->finalize (object);
}

static void
zs_recording_source_class_init (ZsRecordingSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zs_recording_source_finalize;
}

static void
zs_recording_source_init (ZsRecordingSource *self)
{
}

ZsRecordingSource *
zs_recording_source_new (ZsRecording *recording)
{
  ZsRecordingSource *self;

  g_return_val_if_fail (ZS_IS_RECORDING (recording), NULL);
  g_return_val_if_fail (zs_recording_get_n_frames (recording) > 0, NULL);

  self = g_object_new (ZS_TYPE_RECORDING_SOURCE, NULL);
  self->recording = g_object_ref (recording);
  return self;
}

ZsRecording *
zs_recording_source_get_recording (ZsRecordingSource *self)
{
  g_return_val_if_fail (ZS_IS_RECORDING_SOURCE (self), NULL);
  return self->recording;
}
