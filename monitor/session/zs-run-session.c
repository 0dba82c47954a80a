/* zs-run-session.c: one owner for a run: its source, clock, recording and live model
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-run-session"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-live-edit.h"
#include "zs-recording-source.h"
#include "zs-run-session.h"

#define MOVING_INTERVAL_MS 16    /* about 60 Hz while the live model moves */
#define REST_INTERVAL_MS   250   /* at rest: a few snapshots a second */
#define RECORD_INTERVAL_US (G_USEC_PER_SEC / 10)  /* the recording keeps 10 frames a second */
#define REBUILD_US         (5 * G_USEC_PER_SEC)   /* frames fed to the live model before a moment */
#define HISTORY_STEP_US    (G_USEC_PER_SEC / 4)   /* before those: one per history sample */
#define HISTORY_REST_MS    150                    /* a drag of the timeline has paused */

struct _ZsRunSession
{
  GObject       parent_instance;

  ZsRunSource  *source;
  ZsRecording  *recording;       /* made from a live source, or the source's */
  ZsSnapshot   *snapshot;        /* the figures shown: refilled, never reallocated */
  ZsSnapshot   *scratch;         /* live frames while the cursor is elsewhere, rebuilds */
  ZsLiveModel  *live_model;
  GMainContext *context;         /* where the clocks and the watch run */
  GSource      *clock;           /* follows a live source; NULL once ended */
  guint         clock_interval_ms;
  GSource      *player;          /* playback; NULL when not playing */
  GSource      *history;         /* rebuilds the charts' history once the cursor rests */
  guint         watch_id;        /* the source wakes us when it changes */
  gboolean      live;
  gboolean      paused;
  gboolean      following;       /* the cursor is "now" on a live source */
  gint64        cursor_us;       /* since the recording's first frame */
  gint64        shown_us;        /* not following: the time of the frame shown */
  gint64        recorded_at_us;  /* monotonic time of the last frame recorded */
  double        play_speed;
  gint64        played_at_us;    /* monotonic time of the player's last step */
  ZsLiveEdit   *asked;           /* live sources: the live changes asked so far */
};

G_DEFINE_FINAL_TYPE (ZsRunSession, zs_run_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LIVE,
  PROP_PAUSED,
  PROP_CURSOR_US,
  PROP_DURATION_US,
  PROP_FOLLOWING,
  PROP_PLAY_SPEED,
  N_PROPS
};

enum {
  UPDATED,
  ENDED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

/* ---- the clocks -------------------------------------------------------------------- */

static void tick (ZsRunSession *self);
static void play_step (ZsRunSession *self);

static gboolean
on_clock_cb (gpointer data)
{
  tick (data);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_player_cb (gpointer data)
{
  play_step (data);
  return G_SOURCE_CONTINUE;
}

static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static GSource *
add_timeout (ZsRunSession *self,
             guint         interval_ms,
             GSourceFunc   func,
             const char   *name)
{
  GSource *source = g_timeout_source_new (interval_ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->context);
  return source;
}

static void
set_clock (ZsRunSession *self,
           guint         interval_ms)
{
  if (self->clock != NULL && self->clock_interval_ms == interval_ms)
    return;
  clear_source (&self->clock);
  self->clock = add_timeout (self, interval_ms, on_clock_cb, "[zmqscope] run session clock");
  self->clock_interval_ms = interval_ms;
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

static void
notify (ZsRunSession *self,
        guint         prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop]);
}

/* ---- the recording ------------------------------------------------------------------ */

/* The recording grew: the timeline too, and "now" with it. */
static void
recorded (ZsRunSession *self)
{
  notify (self, PROP_DURATION_US);
  if (!self->following)
    return;
  self->cursor_us = zs_recording_get_duration_us (self->recording);
  notify (self, PROP_CURSOR_US);
}

/* The index of the last frame at or before `time_us` (0 if none). */
static guint
frame_at (ZsRecording *recording,
          gint64       time_us)
{
  guint lo = 0, hi = zs_recording_get_n_frames (recording);

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (zs_recording_get_frame_time_us (recording, mid) <= time_us)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

/* Feeds the live model the recorded frames first .. last and shows the
 * last one. */
static void
show_frames (ZsRunSession *self,
             guint         first,
             guint         last)
{
  for (guint i = first; i < last; i++)
    {
      zs_recording_get_frame (self->recording, i, self->scratch);
      zs_live_model_update (self->live_model, self->scratch);
    }
  zs_recording_get_frame (self->recording, last, self->snapshot);
  zs_live_model_update (self->live_model, self->snapshot);
  self->shown_us = zs_recording_get_frame_time_us (self->recording, last);
}

/* The charts' history before `to_us`: from `from_us`, a frame for each
 * of the live model's 4 Hz samples (frames thinned by age are fed once),
 * so a moment shows the minutes that led to it at a bounded cost
 * (ZS_LIVE_HISTORY_LENGTH frames at most). */
static void
feed_history (ZsRunSession *self,
              gint64        from_us,
              gint64        to_us)
{
  guint n_frames = zs_recording_get_n_frames (self->recording);
  guint fed = G_MAXUINT;

  for (gint64 t = MAX (from_us, 0); t < to_us; t += HISTORY_STEP_US)
    {
      guint frame = frame_at (self->recording, t);

      /* The first frame of each sample's slot: the model samples at it. */
      if (zs_recording_get_frame_time_us (self->recording, frame) < t && frame + 1 < n_frames)
        frame++;
      if (frame == fed || zs_recording_get_frame_time_us (self->recording, frame) >= to_us)
        continue;
      zs_recording_get_frame (self->recording, frame, self->scratch);
      zs_live_model_update (self->live_model, self->scratch);
      fed = frame;
    }
}

/* The moment at the cursor: the live model starts again from the frames
 * of the seconds before it, so that rates, queues and flashes are those
 * of that moment. */
static void
show_cursor (ZsRunSession *self)
{
  zs_live_model_reset (self->live_model);
  show_frames (self, frame_at (self->recording, self->cursor_us - REBUILD_US),
               frame_at (self->recording, self->cursor_us));
}

/* The same, with the charts' five minutes before the moment: up to
 * ZS_LIVE_HISTORY_LENGTH frames more (59 ms for an hour at 200 nodes:
 * bench/zs-bench, "rest ms"). */
static void
show_cursor_with_history (ZsRunSession *self)
{
  zs_live_model_reset (self->live_model);
  feed_history (self, self->cursor_us - HISTORY_STEP_US * ZS_LIVE_HISTORY_LENGTH, self->cursor_us - REBUILD_US);
  show_frames (self, frame_at (self->recording, self->cursor_us - REBUILD_US),
               frame_at (self->recording, self->cursor_us));
}

static gboolean
on_history_cb (gpointer data)
{
  ZsRunSession *self = data;

  g_clear_pointer (&self->history, g_source_unref);
  show_cursor_with_history (self);
  g_signal_emit (self, signals [UPDATED], 0);
  return G_SOURCE_REMOVE;
}

/* Playback: the frames the cursor passed since the one shown go to the
 * live model; FALSE if it passed none (the same figures). */
static gboolean
advance_cursor (ZsRunSession *self)
{
  guint last = frame_at (self->recording, self->cursor_us);

  if (zs_recording_get_frame_time_us (self->recording, last) <= self->shown_us)
    return FALSE;
  show_frames (self, frame_at (self->recording, self->shown_us) + 1, last);
  return TRUE;
}

static void
set_following (ZsRunSession *self,
               gboolean      following)
{
  if (self->following == following)
    return;
  self->following = following;
  notify (self, PROP_FOLLOWING);
}

/* ---- following a live source ------------------------------------------------------ */

static void
sync_paused (ZsRunSession *self)
{
  gboolean paused = self->live && zs_run_source_is_paused (self->source);

  if (paused == self->paused)
    return;
  self->paused = paused;
  notify (self, PROP_PAUSED);
}

/* The source's figures now, recorded at the recording's frame rate (and
 * always when `force`: the first and the settled frames); shown and fed to
 * the live model while following. */
static ZsSnapshot *
take_snapshot (ZsRunSession *self,
               gboolean      force)
{
  ZsSnapshot *frame = self->following ? self->snapshot : self->scratch;
  gint64 now = g_get_monotonic_time ();

  if (force || now - self->recorded_at_us >= RECORD_INTERVAL_US)
    {
      self->recorded_at_us = now;
      zs_recording_record (self->recording, self->source, frame);
      recorded (self);
    }
  else
    zs_run_source_snapshot_into (self->source, frame);
  if (self->following)
    zs_live_model_update (self->live_model, frame);
  return frame;
}

/* The source ended by itself: every node with an end reached it, the
 * engine stopped the run (the memory cap), or someone stopped it. */
static gboolean
source_is_over (const ZsSnapshot *frame)
{
  return frame->finished || frame->stop_reason != NULL || !frame->running;
}

static void
end_live (ZsRunSession *self)
{
  g_autoptr(ZsRunSession) hold = g_object_ref (self);
  gboolean following = self->following;

  if (!self->live)
    return;
  self->live = FALSE;
  clear_source (&self->clock);
  remove_watch (self);
  zs_run_source_stop (self->source);
  /* The settled figures, the recording's last frame; a snapshot no longer
   * `running` stops every motion. */
  take_snapshot (self, TRUE);
  sync_paused (self);
  /* There is no "now" any more: the cursor stays at the end. */
  set_following (self, FALSE);
  if (following)
    self->shown_us = zs_recording_get_duration_us (self->recording);
  notify (self, PROP_LIVE);
  g_signal_emit (self, signals [UPDATED], 0);
  g_signal_emit (self, signals [ENDED], 0);
}

static void
tick (ZsRunSession *self)
{
  g_autoptr(ZsRunSession) hold = g_object_ref (self);
  ZsSnapshot *frame = take_snapshot (self, FALSE);

  if (source_is_over (frame))
    {
      end_live (self);
      return;
    }
  sync_paused (self);
  if (self->following)
    g_signal_emit (self, signals [UPDATED], 0);
  if (!self->live)
    return;
  if (!self->following)
    set_clock (self, RECORD_INTERVAL_US / 1000);   /* recorded, not shown */
  else
    set_clock (self, zs_live_model_is_at_rest (self->live_model) ? REST_INTERVAL_MS : MOVING_INTERVAL_MS);
}

/* ---- playback ------------------------------------------------------------------------ */

static void
stop_playing (ZsRunSession *self)
{
  clear_source (&self->player);
  if (self->play_speed == 0)
    return;
  self->play_speed = 0;
  notify (self, PROP_PLAY_SPEED);
}

static void
play_step (ZsRunSession *self)
{
  g_autoptr(ZsRunSession) hold = g_object_ref (self);
  gint64 now = g_get_monotonic_time ();
  gint64 duration = zs_recording_get_duration_us (self->recording);
  gint64 cursor = self->cursor_us + (gint64) ((now - self->played_at_us) * self->play_speed);

  self->played_at_us = now;
  self->cursor_us = MIN (cursor, duration);
  notify (self, PROP_CURSOR_US);
  if (advance_cursor (self))
    g_signal_emit (self, signals [UPDATED], 0);
  if (self->cursor_us < duration)
    return;
  /* At the end: "now" again on a live source, else the last frame stays. */
  stop_playing (self);
  if (self->live)
    zs_run_session_follow_live (self);
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
zs_run_session_dispose (GObject *object)
{
  ZsRunSession *self = ZS_RUN_SESSION (object);

  clear_source (&self->clock);
  clear_source (&self->player);
  clear_source (&self->history);
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
  g_clear_pointer (&self->scratch, zs_snapshot_free);
  g_clear_pointer (&self->asked, zs_live_edit_free);
  g_clear_object (&self->recording);
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
    case PROP_CURSOR_US:
      g_value_set_int64 (value, zs_run_session_get_cursor_us (self));
      break;
    case PROP_DURATION_US:
      g_value_set_int64 (value, zs_run_session_get_duration_us (self));
      break;
    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;
    case PROP_PLAY_SPEED:
      g_value_set_double (value, self->play_speed);
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
  properties [PROP_CURSOR_US] =
    g_param_spec_int64 ("cursor-us", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_DURATION_US] =
    g_param_spec_int64 ("duration-us", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_PLAY_SPEED] =
    g_param_spec_double ("play-speed", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * ZsRunSession::updated:
   *
   * The figures shown changed: a tick of the clock, a control, a move
   * of the cursor or a step of playback.
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
  ZsTopology *topology;

  g_return_val_if_fail (ZS_IS_RUN_SOURCE (source), NULL);

  self = g_object_new (ZS_TYPE_RUN_SESSION, NULL);
  self->source = g_object_ref (source);
  self->context = g_main_context_ref_thread_default ();
  topology = zs_run_source_get_topology (source);
  self->live_model = zs_live_model_new (topology);
  self->snapshot = zs_run_source_snapshot (source);
  self->scratch = zs_run_source_snapshot (source);
  self->live = (zs_run_source_get_flags (source) & ZS_RUN_SOURCE_LIVE) != 0;
  if (!self->live)
    {
      /* A recording opens at its end. */
      self->recording = ZS_IS_RECORDING_SOURCE (source)
                        ? g_object_ref (zs_recording_source_get_recording (ZS_RECORDING_SOURCE (source)))
                        : zs_recording_new (topology);
      /* A source read to its end (a capture file): its figures and the
       * messages its links' rings hold, for the Messages page. */
      if (zs_recording_get_n_frames (self->recording) == 0)
        zs_recording_record (self->recording, source, self->snapshot);
      self->cursor_us = zs_recording_get_duration_us (self->recording);
      show_cursor_with_history (self);
      return self;
    }
  self->recording = zs_recording_new (topology);
  self->asked = zs_live_edit_new (topology);
  self->following = TRUE;
  take_snapshot (self, TRUE);   /* the first frame; primes the live model */
  self->paused = zs_run_source_is_paused (source);
  self->watch_id = zs_run_source_add_watch (source, on_watch_cb, self);
  set_clock (self, MOVING_INTERVAL_MS);
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

ZsRecording *
zs_run_session_get_recording (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), NULL);
  return self->recording;
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

  if (self->following)
    return zs_run_source_get_captures (self->source, link);
  return zs_recording_get_captures_at (self->recording, link, self->shown_us);
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
  if (self->following)
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

/* A live change is an event of the run: which, and what it does. */
static void
note_change (ZsRunSession      *self,
             const ZsFaultStep *step)
{
  ZsTopology *topology = zs_run_session_get_topology (self);
  g_autofree char *what = NULL;
  g_autofree char *text = NULL;
  gboolean on_link = step->kind == ZS_FAULT_FLIP || step->kind == ZS_FAULT_TRANSPORT;

  if (!on_link && step->kind != ZS_FAULT_HWM)
    return;
  what = zs_fault_step_describe (step, topology);
  if (step->kind == ZS_FAULT_HWM)
    /* Translators: %s is the change, as in "hwm sink.in rcv 50". */
    text = g_strdup_printf (_("%s: its links reconnect (libzmq sizes new pipes only)"), what);
  else
    /* Translators: %s is the change, as in "flip worker-1.out -> sink.in". */
    text = g_strdup_printf (_("%s: disconnect, bind anew, connect"), what);
  zs_recording_note_event (self->recording, ZS_RUN_EVENT_CHANGED, on_link ? -1 : (int) step->target,
                           on_link ? (int) step->target : -1, text);
}

G_DEFINE_QUARK (zs-run-session-error-quark, zs_run_session_error)

gboolean
zs_run_session_apply_fault (ZsRunSession      *self,
                            const ZsFaultStep *step,
                            GError           **error)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), FALSE);
  g_return_val_if_fail (step != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!self->live)
    {
      g_set_error_literal (error, ZS_RUN_SESSION_ERROR, ZS_RUN_SESSION_ERROR_NOT_LIVE,
                           _("Faults act on a live run; this one has ended or is a recording"));
      return FALSE;
    }
  if (!zs_run_source_can_apply_fault (self->source))
    {
      g_set_error_literal (error, ZS_RUN_SESSION_ERROR, ZS_RUN_SESSION_ERROR_UNSUPPORTED,
                           _("This run cannot take faults: its nodes are outside programs"));
      return FALSE;
    }
  if (!zs_run_source_apply_fault (self->source, step, error))
    return FALSE;
  note_change (self, step);
  zs_live_edit_note (self->asked, step);
  wake (self);
  return TRUE;
}

gboolean
zs_run_session_follow_document (ZsRunSession  *self,
                                ZsTopology    *document,
                                GError       **error)
{
  g_autoptr(GArray) steps = NULL;

  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), FALSE);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (document), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->asked == NULL)
    return TRUE;
  steps = zs_live_edit_diff (self->asked, document);
  for (guint i = 0; i < steps->len; i++)
    if (!zs_run_session_apply_fault (self, &g_array_index (steps, ZsFaultStep, i), error))
      return FALSE;
  return TRUE;
}

void
zs_run_session_detach (ZsRunSession *self)
{
  g_return_if_fail (ZS_IS_RUN_SESSION (self));

  if (!self->live)
    return;
  clear_source (&self->clock);
  clear_source (&self->player);
  clear_source (&self->history);
  remove_watch (self);
  self->live = FALSE;
  self->following = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LIVE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_FOLLOWING]);
}

gint64
zs_run_session_get_duration_us (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), 0);
  return zs_recording_get_duration_us (self->recording);
}

gint64
zs_run_session_get_cursor_us (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), 0);
  return self->cursor_us;
}

void
zs_run_session_set_cursor_us (ZsRunSession *self,
                              gint64        cursor_us)
{
  g_autoptr(ZsRunSession) hold = NULL;

  g_return_if_fail (ZS_IS_RUN_SESSION (self));

  hold = g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
  stop_playing (self);
  set_following (self, FALSE);
  self->cursor_us = CLAMP (cursor_us, 0, zs_run_session_get_duration_us (self));
  /* At once the moment; its history once the cursor rests (a drag moves
   * it at every step). */
  show_cursor (self);
  clear_source (&self->history);
  self->history = add_timeout (self, HISTORY_REST_MS, on_history_cb, "[zmqscope] run session history");
  notify (self, PROP_CURSOR_US);
  if (self->live)
    set_clock (self, RECORD_INTERVAL_US / 1000);
  g_object_thaw_notify (G_OBJECT (self));
  g_signal_emit (self, signals [UPDATED], 0);
}

void
zs_run_session_follow_live (ZsRunSession *self)
{
  g_return_if_fail (ZS_IS_RUN_SESSION (self));

  if (!self->live || self->following)
    return;
  stop_playing (self);
  /* The live model goes on from the last minutes recorded. */
  clear_source (&self->history);
  self->cursor_us = zs_run_session_get_duration_us (self);
  show_cursor_with_history (self);
  set_following (self, TRUE);
  wake (self);
}

gboolean
zs_run_session_is_following (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), FALSE);
  return self->following;
}

void
zs_run_session_play (ZsRunSession *self,
                     double        speed)
{
  g_return_if_fail (ZS_IS_RUN_SESSION (self));

  if (speed <= 0)
    {
      stop_playing (self);
      return;
    }
  if (self->following)
    zs_run_session_set_cursor_us (self, self->cursor_us);
  self->play_speed = speed;
  self->played_at_us = g_get_monotonic_time ();
  if (self->player == NULL)
    self->player = add_timeout (self, MOVING_INTERVAL_MS, on_player_cb, "[zmqscope] run session playback");
  notify (self, PROP_PLAY_SPEED);
}

double
zs_run_session_get_play_speed (ZsRunSession *self)
{
  g_return_val_if_fail (ZS_IS_RUN_SESSION (self), 0);
  return self->play_speed;
}
