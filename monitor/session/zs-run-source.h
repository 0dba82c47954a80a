/* zs-run-source.h: where a run session's figures come from
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A source gives a run session (zs-run-session.h) its frozen topology,
 * snapshots and message captures. A live source (a running engine, later
 * a capture of outside programs' traffic) answers with what is true now;
 * a recording answers with what was true at a time of its own. The views
 * never see a source: they observe the session. */
#pragma once

#include <glib-object.h>

#include "zs-capture.h"
#include "zs-fault-script.h"
#include "zs-snapshot.h"
#include "zs-topology.h"

G_BEGIN_DECLS

typedef enum {
  ZS_RUN_SOURCE_LIVE      = 1 << 0,  /* figures of now: the session records them */
  ZS_RUN_SOURCE_CONTROLS  = 1 << 1,  /* pause, resume, step, speed, stop act on it */
} ZsRunSourceFlags;

#define ZS_TYPE_RUN_SOURCE (zs_run_source_get_type ())
G_DECLARE_INTERFACE (ZsRunSource, zs_run_source, ZS, RUN_SOURCE, GObject)

struct _ZsRunSourceInterface
{
  GTypeInterface parent_iface;

  ZsTopology       *(*get_topology)  (ZsRunSource *self);
  ZsRunSourceFlags  (*get_flags)     (ZsRunSource *self);
  /* Live: the figures now. A recording: its last frame. */
  void              (*snapshot_into) (ZsRunSource *self,
                                      ZsSnapshot  *snapshot);
  GPtrArray        *(*get_captures)  (ZsRunSource *self,
                                      guint        link);
  /* Wakes the main context when the source changes by itself (a node
   * ended, the run was stopped by the engine); 0 if it never does. */
  guint             (*add_watch)     (ZsRunSource *self,
                                      GSourceFunc  func,
                                      gpointer     data);
  /* ZS_RUN_SOURCE_CONTROLS only. */
  gboolean          (*is_paused)     (ZsRunSource *self);
  void              (*pause)         (ZsRunSource *self);
  void              (*resume)        (ZsRunSource *self);
  void              (*step)          (ZsRunSource *self);
  void              (*set_speed)     (ZsRunSource *self,
                                      double       messages_per_second);
  /* Live sources: end for good; the last snapshot then holds the settled
   * figures. */
  void              (*stop)          (ZsRunSource *self);
  /* Optional (NULL: recordings, the wire): applies a fault now, live;
   * FALSE with the reason when the node or link cannot take it. */
  gboolean          (*apply_fault)   (ZsRunSource       *self,
                                      const ZsFaultStep *step,
                                      GError           **error);
};

/* The frozen topology the figures are about (node and link order). */
ZsTopology       *zs_run_source_get_topology  (ZsRunSource *self);
ZsRunSourceFlags  zs_run_source_get_flags     (ZsRunSource *self);
/* A snapshot sized for this source, filled with its current figures. */
ZsSnapshot       *zs_run_source_snapshot      (ZsRunSource *self);
void              zs_run_source_snapshot_into (ZsRunSource *self,
                                               ZsSnapshot  *snapshot);
/* Oldest first: a GPtrArray of ZsCapture (see zs-capture.h), never NULL. */
GPtrArray        *zs_run_source_get_captures  (ZsRunSource *self,
                                               guint        link);
guint             zs_run_source_add_watch     (ZsRunSource *self,
                                               GSourceFunc  func,
                                               gpointer     data);
gboolean          zs_run_source_is_paused     (ZsRunSource *self);
void              zs_run_source_pause         (ZsRunSource *self);
void              zs_run_source_resume        (ZsRunSource *self);
void              zs_run_source_step          (ZsRunSource *self);
void              zs_run_source_set_speed     (ZsRunSource *self,
                                               double       messages_per_second);
void              zs_run_source_stop          (ZsRunSource *self);
gboolean          zs_run_source_can_apply_fault (ZsRunSource *self);
/* Only when zs_run_source_can_apply_fault. */
gboolean          zs_run_source_apply_fault   (ZsRunSource       *self,
                                               const ZsFaultStep *step,
                                               GError           **error);

G_END_DECLS
