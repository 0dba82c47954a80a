/* zs-run-session.c: one owner for a run: its source, clock and live model
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-run-session"

#include "config.h"

#include "zs-run-session.h"

#define MOVING_INTERVAL_MS 16    /* about 60 Hz while the live model moves */
#define REST_INTERVAL_MS   250   /* at rest: a few snapshots a second */

struct _ZsRunSession
{
  GObject       parent_instance;

  ZsRunSource  *source;
  ZsSnapshot   *snapshot;        /* refilled each tick, never reallocated */
  ZsLiveModel  *live_model;
  GMainContext *context;         /* where the clock and the watch run */
  GSource      *clock;           /* NULL once ended */
  guint         clock_interval_ms;
  guint         watch_id;        /* the source wakes us when it changes */
  gboolean      live;
  gboolean      paused;
};

G_DEFINE_FINAL_TYPE (ZsRunSession, zs_run_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIVE,
  PROP_PAUSED,
  N_PROPS
};

enum {
  UPDATED,
  ENDED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* ---- the clock ------------------------------------------------------------------ */

static void tick (ZsRunSession *self);

static gboolean
on_clock_cb (gpointer data)
{
  tick (data);
  return G_SOURCE_CONTINUE;
}

static void
stop_clock (ZsRunSession *self)
{
  if (self->clock == NULL)
    return;
  g_source_destroy (self->clock);
  g_clear_pointer (&self->clock, g_source_unref);
}

static void
set_clock (ZsRunSession *self,
           guint         interval_ms)
{
  if (self->clock != NULL && self->clock_interval_ms == interval_ms)
    return;
  stop_clock (self);
  self->clock = g_timeout_source_new (interval_ms);
  self->clock_interval_ms = interval_ms;
  g_source_set_callback (self->clock, on_clock_cb, self, NULL);
  g_source_set_static_name (self->clock, "[zmqscope] run session clock");
  g_source_attach (self->clock, self->context);
}

static gboolean
on_watch_cb (gpointer data)
{
  ZsRunSession *self = data;

  if (self->live)
    tick (self);
  return G_SOURCE_CONTINUE;
}

static void
remove_watch (ZsRunSession *self)
{
  GSource *watch;

  if (self->watch_id == 0)
    return;
  watch = g_main_context_find_source_by_id (self->context, self->watch_id);
  if (watch != NULL)
    g_source_destroy (watch);
  self->watch_id = 0;
}

/* ---- following a live source ------------------------------------------------------ */

static void
sync_paused (ZsRunSession *self)
{
  gboolean paused = self->live && zs_run_source_is_paused (self->source);

  if (paused == self->paused)
    return;
  self->paused = paused;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_PAUSED]);
}

static void
take_snapshot (ZsRunSession *self)
{
  zs_run_source_snapshot_into (self->source, self->snapshot);
  zs_live_model_update (self->live_model, self->snapshot);
}

/* The source ended by itself: every node with an end reached it, the
 * engine stopped the run (the memory cap), or someone stopped it. */
static gboolean
source_is_over (ZsRunSession *self)
{
  return self->snapshot->finished || self->snapshot->stop_reason != NULL || !self->snapshot->running;
}

static void
end_live (ZsRunSession *self)
{
  g_autoptr(ZsRunSession) hold = g_object_ref (self);

  if (!self->live)
    return;
  self->live = FALSE;
  stop_clock (self);
  remove_watch (self);
  zs_run_source_stop (self->source);
  /* The settled figures; a snapshot no longer `running` stops every motion. */
  take_snapshot (self);
  sync_paused (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LIVE]);
  g_signal_emit (self, signals [UPDATED], 0);
  g_signal_emit (self, signals [ENDED], 0);
}

static void
tick (ZsRunSession *self)
{
  g_autoptr(ZsRunSession) hold = g_object_ref (self);

  take_snapshot (self);
  if (source_is_over (self))
    {
      end_live (self);
      return;
    }
  sync_paused (self);
  g_signal_emit (self, signals [UPDATED], 0);
  if (self->live)
    set_clock (self, zs_live_model_is_at_rest (self->live_model) ? REST_INTERVAL_MS
                                                                 : MOVING_INTERVAL_MS);
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
zs_run_session_dispose (GObject *object)
{
  ZsRunSession *self = ZS_RUN_SESSION (object);

  stop_clock (self);
  remove_watch (self);
  /* Nobody follows the run any more: it stops, as a closed window's does. */
  if (self->live)
    {
      self->live = FALSE;
      zs_run_source_stop (self->source);
    }
  G_OBJECT_CLASS (zs_run_session_parent_class)->dispose (object);
}

static void
zs_run_session_finalize (GObject *object)
{
  ZsRunSession *self = ZS_RUN_SESSION (object);

  g_clear_pointer (&self->snapshot, zs_snapshot_free);
  g_clear_object (&self->live_model);
  g_clear_object (&self->source);
  g_clear_pointer (&self->context, g_main_context_unref);
  G_OBJECT_CLASS (zs_run_session_parent_class)->finalize (object);
}

static void
zs_run_session_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ZsRunSession *self = ZS_RUN_SESSION (object);

  switch (prop_id)
    {
    case PROP_LIVE:
      g_value_set_boolean (value, self->live);
      break;
    case PROP_PAUSED:
      g_value_set_boolean (value, self->paused);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_run_session_class_init (ZsRunSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = zs_run_session_dispose;
  object_class->finalize = zs_run_session_finalize;
  object_class->get_property = zs_run_session_get_property;

  properties [PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_PAUSED] =
    g_param_spec_boolean ("paused", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ZsRunSession::updated:
   *
   * The figures shown changed: a tick of the clock, or a control.
   */
  signals [UPDATED] =
    g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * ZsRunSession::ended:
   *
   * A live source ended: stopped, finished, or stopped by the engine
   * (the snapshot's stop_reason). The last snapshot holds the settled
   * figures.
   */
  signals [ENDED] =
    g_signal_new ("ended", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
zs_run_session_init (ZsRunSession *self)
{
}

/* ---- API --------------------------------------------------------------------------- */

ZsRunSession *
zs_run_session_new (ZsRunSource *source)
{
  ZsRunSession *self;

  g_return_val_if_fail (ZS_IS_RUN_SOURCE (source), NULL);

  self = g_object_new (ZS_TYPE_RUN_SESSION, NULL);
  self->source = g_object_ref (source);
  self->context = g_main_context_ref_thread_default ();
  self->live_model = zs_live_model_new (zs_run_source_get_topology (source));
  self->snapshot = zs_run_source_snapshot (source);
  zs_live_model_update (self->live_model, self->snapshot);   /* primes */
  self->live = (zs_run_source_get_flags (source) & ZS_RUN_SOURCE_LIVE) != 0;
  if (self->live)
    {
      self->paused = zs_run_source_is_paused (source);
      self->watch_id = zs_run_source_add_watch (source, on_watch_cb, self);
      set_clock (self, MOVING_INTERVAL_MS);
    }
  return self;
}

ZsRunSource *
zs_run_session_get_source (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), NULL);
  return self->source;
}

ZsTopology *
zs_run_session_get_topology (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), NULL);
  return zs_run_source_get_topology (self->source);
}

ZsLiveModel *
zs_run_session_get_live_model (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), NULL);
  return self->live_model;
}

const ZsSnapshot *
zs_run_session_get_snapshot (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), NULL);
  return self->snapshot;
}

GPtrArray *
zs_run_session_get_captures (ZsRunSession *self,
                             guint         link)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), NULL);
  return zs_run_source_get_captures (self->source, link);
}

gboolean
zs_run_session_is_live (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), FALSE);
  return self->live;
}

gboolean
zs_run_session_is_paused (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), FALSE);
  return self->paused;
}

/* After a control: the figures now, and the clock at its quick pace until
 * things come to rest again. */
static void
wake (ZsRunSession *self)
{
  if (!self->live)
    return;
  set_clock (self, MOVING_INTERVAL_MS);
  tick (self);
}

void
zs_run_session_pause (ZsRunSession *self)
{
  g_return_if_fail (ZS_IS_RUN_SESSION (self));

  if (!self->live)
    return;
  zs_run_source_pause (self->source);
  wake (self);
}

void
zs_run_session_resume (ZsRunSession *self)
{
  g_return_if_fail (ZS_IS_RUN_SESSION (self));

  if (!self->live)
    return;
  zs_run_source_resume (self->source);
  wake (self);
}

void
zs_run_session_step (ZsRunSession *self)
{
  g_return_if_fail (ZS_IS_RUN_SESSION (self));

  if (!self->live)
    return;
  zs_run_source_step (self->source);
  wake (self);
}

void
zs_run_session_set_speed (ZsRunSession *self,
                          double        messages_per_second)
{
  g_return_if_fail (ZS_IS_RUN_SESSION (self));

  if (!self->live)
    return;
  zs_run_source_set_speed (self->source, messages_per_second);
  wake (self);
}

void
zs_run_session_stop (ZsRunSession *self)
{
  g_return_if_fail (ZS_IS_RUN_SESSION (self));

  end_live (self);
}
