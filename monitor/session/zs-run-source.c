/* zs-run-source.c: where a run session's figures come from
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zs-run-source.h"

G_DEFINE_INTERFACE (ZsRunSource, zs_run_source, G_TYPE_OBJECT)

static void
zs_run_source_default_init (ZsRunSourceInterface *iface)
{
}

#define IFACE(self) ZS_RUN_SOURCE_GET_IFACE (self)

ZsTopology *
zs_run_source_get_topology (ZsRunSource *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SOURCE (self), NULL);
  return IFACE (self)->get_topology (self);
}

ZsRunSourceFlags
zs_run_source_get_flags (ZsRunSource *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SOURCE (self), 0);
  return IFACE (self)->get_flags (self);
}

ZsSnapshot *
zs_run_source_snapshot (ZsRunSource *self)
{
  ZsTopology *topology;
  ZsSnapshot *snapshot;

  g_return_val_if_fail (ZS_IS_RUN_SOURCE (self), NULL);

  topology = zs_run_source_get_topology (self);
  snapshot = zs_snapshot_new (zs_topology_get_n_nodes (topology),
                              zs_topology_get_links (topology)->len);
  zs_run_source_snapshot_into (self, snapshot);
  return snapshot;
}

void
zs_run_source_snapshot_into (ZsRunSource *self,
                             ZsSnapshot  *snapshot)
{
  g_return_if_fail (ZS_IS_RUN_SOURCE (self));
  g_return_if_fail (snapshot != NULL);
  IFACE (self)->snapshot_into (self, snapshot);
}

GPtrArray *
zs_run_source_get_captures (ZsRunSource *self,
                            guint        link)
{
  g_return_val_if_fail (ZS_IS_RUN_SOURCE (self), NULL);
  if (IFACE (self)->get_captures == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);
  return IFACE (self)->get_captures (self, link);
}

guint
zs_run_source_add_watch (ZsRunSource *self,
                         GSourceFunc  func,
                         gpointer     data)
{
  g_return_val_if_fail (ZS_IS_RUN_SOURCE (self), 0);
  g_return_val_if_fail (func != NULL, 0);
  if (IFACE (self)->add_watch == NULL)
    return 0;
  return IFACE (self)->add_watch (self, func, data);
}

static gboolean
has_controls (ZsRunSource *self)
{
  return (zs_run_source_get_flags (self) & ZS_RUN_SOURCE_CONTROLS) != 0;
}

gboolean
zs_run_source_is_paused (ZsRunSource *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SOURCE (self), FALSE);
  return has_controls (self) && IFACE (self)->is_paused (self);
}

void
zs_run_source_pause (ZsRunSource *self)
{
  g_return_if_fail (ZS_IS_RUN_SOURCE (self));
  if (has_controls (self))
    IFACE (self)->pause (self);
}

void
zs_run_source_resume (ZsRunSource *self)
{
  g_return_if_fail (ZS_IS_RUN_SOURCE (self));
  if (has_controls (self))
    IFACE (self)->resume (self);
}

void
zs_run_source_step (ZsRunSource *self)
{
  g_return_if_fail (ZS_IS_RUN_SOURCE (self));
  if (has_controls (self))
    IFACE (self)->step (self);
}

void
zs_run_source_set_speed (ZsRunSource *self,
                         double       messages_per_second)
{
  g_return_if_fail (ZS_IS_RUN_SOURCE (self));
  if (has_controls (self))
    IFACE (self)->set_speed (self, messages_per_second);
}

void
zs_run_source_stop (ZsRunSource *self)
{
  g_return_if_fail (ZS_IS_RUN_SOURCE (self));
  if (IFACE (self)->stop != NULL)
    IFACE (self)->stop (self);
}

gboolean
zs_run_source_can_apply_fault (ZsRunSource *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SOURCE (self), FALSE);
  return IFACE (self)->apply_fault != NULL;
}

gboolean
zs_run_source_apply_fault (ZsRunSource       *self,
                           const ZsFaultStep *step,
                           GError           **error)
{
  g_return_val_if_fail (ZS_IS_RUN_SOURCE (self), FALSE);
  g_return_val_if_fail (step != NULL, FALSE);
  g_return_val_if_fail (IFACE (self)->apply_fault != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  return IFACE (self)->apply_fault (self, step, error);
}
