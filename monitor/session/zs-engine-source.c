/* zs-engine-source.c: a live run of our own nodes as a run session's source
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zs-engine-source.h"

struct _ZsEngineSource
{
  GObject   parent_instance;
  ZsEngine *engine;
};

static void run_source_iface_init (ZsRunSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ZsEngineSource, zs_engine_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ZS_TYPE_RUN_SOURCE, run_source_iface_init))

#define ENGINE(source) (ZS_ENGINE_SOURCE (source)->engine)

static ZsTopology *
source_get_topology (ZsRunSource *source)
{
  return zs_engine_get_topology (ENGINE (source));
}

static ZsRunSourceFlags
source_get_flags (ZsRunSource *source)
{
  return ZS_RUN_SOURCE_LIVE | ZS_RUN_SOURCE_CONTROLS;
}

static void
source_snapshot_into (ZsRunSource *source,
                      ZsSnapshot  *snapshot)
{
  zs_engine_snapshot_into (ENGINE (source), snapshot);
}

static GPtrArray *
source_get_captures (ZsRunSource *source,
                     guint        link)
{
  return zs_engine_get_captures (ENGINE (source), link);
}

static guint
source_add_watch (ZsRunSource *source,
                  GSourceFunc  func,
                  gpointer     data)
{
  return zs_engine_add_watch (ENGINE (source), func, data);
}

static gboolean
source_is_paused (ZsRunSource *source)
{
  return zs_engine_get_state (ENGINE (source)) == ZS_ENGINE_STATE_PAUSED;
}

static void
source_pause (ZsRunSource *source)
{
  zs_engine_pause (ENGINE (source));
}

static void
source_resume (ZsRunSource *source)
{
  zs_engine_resume (ENGINE (source));
}

static void
source_step (ZsRunSource *source)
{
  zs_engine_step (ENGINE (source));
}

static void
source_set_speed (ZsRunSource *source,
                  double       messages_per_second)
{
  zs_engine_set_speed (ENGINE (source), messages_per_second);
}

static void
source_stop (ZsRunSource *source)
{
  zs_engine_stop (ENGINE (source));
}

static gboolean
source_apply_fault (ZsRunSource       *source,
                    const ZsFaultStep *step,
                    GError           **error)
{
  return zs_engine_apply_fault (ENGINE (source), step, error);
}

static void
run_source_iface_init (ZsRunSourceInterface *iface)
{
  iface->get_topology = source_get_topology;
  iface->get_flags = source_get_flags;
  iface->snapshot_into = source_snapshot_into;
  iface->get_captures = source_get_captures;
  iface->add_watch = source_add_watch;
  iface->is_paused = source_is_paused;
  iface->pause = source_pause;
  iface->resume = source_resume;
  iface->step = source_step;
  iface->set_speed = source_set_speed;
  iface->stop = source_stop;
  iface->apply_fault = source_apply_fault;
}

static void
zs_engine_source_finalize (GObject *object)
{
  ZsEngineSource *self = ZS_ENGINE_SOURCE (object);

  g_clear_object (&self->engine);
  G_OBJECT_CLASS (zs_engine_source_parent_class)->finalize (object);
}

static void
zs_engine_source_class_init (ZsEngineSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zs_engine_source_finalize;
}

static void
zs_engine_source_init (ZsEngineSource *self)
{
}

ZsEngineSource *
zs_engine_source_new (ZsEngine *engine)
{
  ZsEngineSource *self;

  g_return_val_if_fail (ZS_IS_ENGINE (engine), NULL);

  self = g_object_new (ZS_TYPE_ENGINE_SOURCE, NULL);
  self->engine = g_object_ref (engine);
  return self;
}

ZsEngine *
zs_engine_source_get_engine (ZsEngineSource *self)
{
  g_return_val_if_fail (ZS_IS_ENGINE_SOURCE (self), NULL);
  return self->engine;
}
