/* zs-recording.c: a run, recorded in bounded memory
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-recording"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-recording.h"
#include "zs-recording-codec.h"
#include "zs-recording-private.h"

/* How close kept frames may be, by their age (µs before the last frame):
 * up to 10 a second for the last minute, one a second up to ten minutes,
 * then one every ten seconds. A frame is kept when it comes at least that
 * long, less 10 ms, after the previous kept one: a 10 Hz clock's jitter
 * loses none, a 60 Hz clock keeps every sixth. */
typedef struct {
  gint64 age_us;
  gint64 spacing_us;
} Decimation;

static const Decimation decimation[] = {
  { 60 * G_USEC_PER_SEC, G_USEC_PER_SEC / 10 },
  { 600 * G_USEC_PER_SEC, G_USEC_PER_SEC },
  { G_MAXINT64, 10 * G_USEC_PER_SEC },
};

typedef struct {
  gint64  time_us;     /* since the first frame */
  guint8 *data;        /* zs-recording-codec.h */
  gsize   length;
} Frame;

struct _ZsRecording
{
  GObject     parent_instance;

  ZsTopology *topology;
  guint       n_nodes;
  guint       n_links;
  guint       n_sockets;

  GArray     *frames;          /* Frame, in time order */
  guint       settled;         /* frames up to this one are thinned for good */
  gsize       frames_size;     /* bytes of the frames' data */
  gint64      origin_us;       /* the first frame's snapshot time_us */
  ZsSnapshot *last;            /* the last frame appended, to derive events */
  GByteArray *scratch;

  GArray     *events;          /* ZsRunEvent */
  gsize       events_size;     /* bytes of their texts */
  guint64     n_events_dropped;
  guint64    *drops_seen;      /* per link: the most `dropped` seen */
  gint64     *drop_event;      /* per link: its last DROPPED event (counting the
                                  dropped ones), or -1 */

  GPtrArray **captures;        /* per link: ZsCapture, oldest first */
  gsize       captures_size;
};

G_DEFINE_FINAL_TYPE (ZsRecording, zs_recording, G_TYPE_OBJECT)

G_DEFINE_QUARK (zs-recording-error-quark, zs_recording_error)

static void
event_clear (ZsRunEvent *event)
{
  g_free (event->text);
}

static void
zs_recording_finalize (GObject *object)
{
  ZsRecording *self = ZS_RECORDING (object);

  for (guint i = 0; i < self->n_links; i++)
    g_ptr_array_unref (self->captures[i]);
  g_free (self->captures);
  g_free (self->drops_seen);
  g_free (self->drop_event);
  g_array_unref (self->events);
  g_byte_array_unref (self->scratch);
  zs_snapshot_free (self->last);
  for (guint i = 0; i < self->frames->len; i++)
    g_free (g_array_index (self->frames, Frame, i).data);
  g_array_unref (self->frames);
  g_clear_object (&self->topology);
  G_OBJECT_CLASS (zs_recording_parent_class)->finalize (object);
}

static void
zs_recording_class_init (ZsRecordingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zs_recording_finalize;
}

static void
zs_recording_init (ZsRecording *self)
{
  self->frames = g_array_new (FALSE, FALSE, sizeof (Frame));
  self->events = g_array_new (FALSE, TRUE, sizeof (ZsRunEvent));
  g_array_set_clear_func (self->events, (GDestroyNotify) event_clear);
  self->scratch = g_byte_array_new ();
}

ZsRecording *
zs_recording_new (ZsTopology *frozen)
{
  ZsRecording *self;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (frozen), NULL);

  self = g_object_new (ZS_TYPE_RECORDING, NULL);
  self->topology = g_object_ref (frozen);
  self->n_nodes = zs_topology_get_n_nodes (frozen);
  self->n_links = zs_topology_get_links (frozen)->len;
  for (guint i = 0; i < self->n_nodes; i++)
    self->n_sockets += zs_node_get_n_sockets (zs_topology_get_node (frozen, i));
  self->last = zs_snapshot_new (self->n_nodes, self->n_links);
  self->drops_seen = g_new0 (guint64, MAX (self->n_links, 1));
  self->drop_event = g_new (gint64, MAX (self->n_links, 1));
  self->captures = g_new0 (GPtrArray *, MAX (self->n_links, 1));
  for (guint i = 0; i < self->n_links; i++)
    {
      self->drop_event[i] = -1;
      self->captures[i] = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);
    }
  return self;
}

ZsTopology *
zs_recording_get_topology (ZsRecording *self)
{
  g_return_val_if_fail (ZS_IS_RECORDING (self), NULL);
  return self->topology;
}

guint
_zs_recording_get_n_sockets (ZsRecording *self)
{
  return self->n_sockets;
}

/* ---- events ---- */

const char *
zs_run_event_kind_to_string (ZsRunEventKind kind)
{
  switch (kind)
    {
    case ZS_RUN_EVENT_CONNECTED:     return _("connected");
    case ZS_RUN_EVENT_DISCONNECTED:  return _("disconnected");
    case ZS_RUN_EVENT_RETRYING:      return _("retrying");
    case ZS_RUN_EVENT_FIRST_MESSAGE: return _("first message");
    case ZS_RUN_EVENT_HWM_REACHED:   return _("HWM reached");
    case ZS_RUN_EVENT_DROPPED:       return _("dropped");
    case ZS_RUN_EVENT_NODE_DONE:     return _("done");
    case ZS_RUN_EVENT_NODE_FAILED:   return _("failed");
    case ZS_RUN_EVENT_NODE_STOPPED:  return _("stopped");
    case ZS_RUN_EVENT_RUN_STOPPED:   return _("run stopped");
    case ZS_RUN_EVENT_THROTTLED:     return _("throttled");
    case ZS_RUN_EVENT_CHANGED:       return _("changed");
    default:                         return "?";
    }
}

static ZsRunEvent *
event_at (ZsRecording *self,
          gint64       absolute)
{
  if (absolute < (gint64) self->n_events_dropped || absolute - (gint64) self->n_events_dropped >= self->events->len)
    return NULL;
  return &g_array_index (self->events, ZsRunEvent, absolute - self->n_events_dropped);
}

void
_zs_recording_push_event (ZsRecording *self,
                          ZsRunEvent  *event)
{
  if (event->text != NULL)
    self->events_size += strlen (event->text) + 1;
  g_array_append_vals (self->events, event, 1);
  if (self->events->len > ZS_RECORDING_MAX_EVENTS)
    {
      guint n = ZS_RECORDING_MAX_EVENTS / 10;

      for (guint i = 0; i < n; i++)
        if (g_array_index (self->events, ZsRunEvent, i).text != NULL)
          self->events_size -= strlen (g_array_index (self->events, ZsRunEvent, i).text) + 1;
      g_array_remove_range (self->events, 0, n);
      self->n_events_dropped += n;
    }
}

void
_zs_recording_set_n_events_dropped (ZsRecording *self,
                                    guint64      n)
{
  self->n_events_dropped = n;
}

static void
add_event (ZsRecording    *self,
           gint64          time_us,
           ZsRunEventKind  kind,
           int             node,
           int             link,
           guint64         count,
           const char     *text)
{
  ZsRunEvent event = { time_us, kind, node, link, count, g_strdup (text) };

  _zs_recording_push_event (self, &event);
}

/* N dropped, coalesced per link and second of the recording. */
static void
add_drops (ZsRecording *self,
           gint64       time_us,
           guint        link,
           guint64      dropped)
{
  ZsRunEvent *last;

  if (dropped <= self->drops_seen[link])
    return;
  last = event_at (self, self->drop_event[link]);
  if (last != NULL && last->time_us / G_USEC_PER_SEC == time_us / G_USEC_PER_SEC)
    last->count += dropped - self->drops_seen[link];
  else
    {
      add_event (self, time_us, ZS_RUN_EVENT_DROPPED, -1, (int) link, dropped - self->drops_seen[link], NULL);
      self->drop_event[link] = (gint64) (self->n_events_dropped + self->events->len - 1);
    }
  self->drops_seen[link] = dropped;
}

static gboolean
at_hwm (const ZsLinkStats *l)
{
  return l->capacity > 0 && l->in_flight >= l->capacity;
}

static void
derive_link_events (ZsRecording       *self,
                    gint64             t,
                    guint              link,
                    const ZsLinkStats *was,
                    const ZsLinkStats *now)
{
  if (now->connects > was->connects)
    add_event (self, t, ZS_RUN_EVENT_CONNECTED, -1, (int) link, now->connects - was->connects, NULL);
  else if (now->state == ZS_LINK_STATE_CONNECTED && was->state != ZS_LINK_STATE_CONNECTED)
    add_event (self, t, ZS_RUN_EVENT_CONNECTED, -1, (int) link, 1, NULL);
  if (now->disconnects > was->disconnects)
    add_event (self, t, ZS_RUN_EVENT_DISCONNECTED, -1, (int) link, now->disconnects - was->disconnects, NULL);
  if (now->retries > was->retries)
    add_event (self, t, ZS_RUN_EVENT_RETRYING, -1, (int) link, now->retries - was->retries, NULL);
  if (now->received > 0 && was->received == 0)
    add_event (self, t, ZS_RUN_EVENT_FIRST_MESSAGE, -1, (int) link, 1, NULL);
  if (at_hwm (now) && !at_hwm (was))
    add_event (self, t, ZS_RUN_EVENT_HWM_REACHED, -1, (int) link, now->in_flight, NULL);
  add_drops (self, t, link, now->dropped);
  if (now->delay_ms != was->delay_ms || now->loss_percent != was->loss_percent)
    {
      g_autofree char *text = now->delay_ms == 0 && now->loss_percent == 0
        ? g_strdup (_("restored: no delay, no loss"))
        : g_strdup_printf (_("delay %u ms, loss %g %%"), now->delay_ms, now->loss_percent);

      add_event (self, t, ZS_RUN_EVENT_THROTTLED, -1, (int) link, 0, text);
    }
}

static void
derive_node_events (ZsRecording       *self,
                    gint64             t,
                    guint              node,
                    const ZsNodeStats *was,
                    const ZsNodeStats *now)
{
  if (now->state == was->state)
    return;
  switch (now->state)
    {
    case ZS_NODE_STATE_DONE:
      add_event (self, t, ZS_RUN_EVENT_NODE_DONE, (int) node, -1, 0, now->result);
      break;
    case ZS_NODE_STATE_ERROR:
      add_event (self, t, ZS_RUN_EVENT_NODE_FAILED, (int) node, -1, 0, now->error);
      break;
    case ZS_NODE_STATE_STOPPED:
      add_event (self, t, ZS_RUN_EVENT_NODE_STOPPED, (int) node, -1, 0, NULL);
      break;
    case ZS_NODE_STATE_IDLE:
    case ZS_NODE_STATE_STARTING:
    case ZS_NODE_STATE_WAITING:
    case ZS_NODE_STATE_RUNNING:
    case ZS_NODE_STATE_BLOCKED:
    case ZS_NODE_STATE_PAUSED:
    default:
      break;
    }
}

static void
derive_events (ZsRecording      *self,
               gint64            t,
               const ZsSnapshot *was,
               const ZsSnapshot *now)
{
  for (guint i = 0; i < now->n_links; i++)
    derive_link_events (self, t, i, &was->links[i], &now->links[i]);
  for (guint i = 0; i < now->n_nodes; i++)
    derive_node_events (self, t, i, &was->nodes[i], &now->nodes[i]);
  if (now->stop_reason != NULL && was->stop_reason == NULL)
    add_event (self, t, ZS_RUN_EVENT_RUN_STOPPED, -1, -1, 0, now->stop_reason);
}

const ZsRunEvent *
zs_recording_get_events (ZsRecording *self,
                         guint       *n_events)
{
  g_return_val_if_fail (ZS_IS_RECORDING (self), NULL);
  g_return_val_if_fail (n_events != NULL, NULL);

  *n_events = self->events->len;
  return (const ZsRunEvent *) (gpointer) self->events->data;
}

guint64
zs_recording_get_n_events_dropped (ZsRecording *self)
{
  g_return_val_if_fail (ZS_IS_RECORDING (self), 0);
  return self->n_events_dropped;
}

/* ---- frames ---- */

void
_zs_recording_store_frame (ZsRecording      *self,
                           const ZsSnapshot *snapshot)
{
  Frame frame;

  if (self->frames->len == 0)
    self->origin_us = snapshot->time_us;
  g_byte_array_set_size (self->scratch, 0);
  _zs_frame_encode (self->scratch, snapshot);
  frame.time_us = snapshot->time_us - self->origin_us;
  frame.length = self->scratch->len;
  frame.data = g_memdup2 (self->scratch->data, self->scratch->len);
  g_array_append_val (self->frames, frame);
  self->frames_size += frame.length;
  _zs_snapshot_copy_into (self->last, snapshot);
}

static gint64
spacing_at_age (gint64 age_us)
{
  for (guint i = 0;; i++)
    if (age_us <= decimation[i].age_us)
      return decimation[i].spacing_us - 10000;
}

/* Thins the frames out by age; the first and the last always stay. A
 * frame kept at the widest spacing stays kept, and so do those before it:
 * the next pass starts there. */
static void
decimate (ZsRecording *self)
{
  Frame *frames = (Frame *) (gpointer) self->frames->data;
  guint n = self->frames->len, kept = self->settled + 1;
  gint64 end, previous, oldest_age = decimation[G_N_ELEMENTS (decimation) - 2].age_us;

  if (n < 3)
    return;
  end = frames[n - 1].time_us;
  previous = frames[self->settled].time_us;
  for (guint i = self->settled + 1; i + 1 < n; i++)
    {
      if (frames[i].time_us - previous >= spacing_at_age (end - frames[i].time_us))
        {
          previous = frames[i].time_us;
          if (end - frames[i].time_us > oldest_age)
            self->settled = kept;
          frames[kept++] = frames[i];
        }
      else
        {
          self->frames_size -= frames[i].length;
          g_free (frames[i].data);
        }
    }
  frames[kept++] = frames[n - 1];
  g_array_set_size (self->frames, kept);
}

void
zs_recording_append (ZsRecording      *self,
                     const ZsSnapshot *snapshot)
{
  g_return_if_fail (ZS_IS_RECORDING (self));
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (snapshot->n_nodes == self->n_nodes && snapshot->n_links == self->n_links);
  g_return_if_fail (self->frames->len == 0 || snapshot->time_us >= self->origin_us
                    + g_array_index (self->frames, Frame, self->frames->len - 1).time_us);

  derive_events (self, self->frames->len == 0 ? 0 : snapshot->time_us - self->origin_us, self->last, snapshot);
  _zs_recording_store_frame (self, snapshot);
  decimate (self);
}

guint
zs_recording_get_n_frames (ZsRecording *self)
{
  g_return_val_if_fail (ZS_IS_RECORDING (self), 0);
  return self->frames->len;
}

gint64
zs_recording_get_frame_time_us (ZsRecording *self,
                                guint        frame)
{
  g_return_val_if_fail (ZS_IS_RECORDING (self), 0);
  g_return_val_if_fail (frame < self->frames->len, 0);
  return g_array_index (self->frames, Frame, frame).time_us;
}

gint64
zs_recording_get_duration_us (ZsRecording *self)
{
  g_return_val_if_fail (ZS_IS_RECORDING (self), 0);
  if (self->frames->len == 0)
    return 0;
  return g_array_index (self->frames, Frame, self->frames->len - 1).time_us;
}

const guint8 *
_zs_recording_get_frame_data (ZsRecording *self,
                              guint        frame,
                              gsize       *length)
{
  Frame *f = &g_array_index (self->frames, Frame, frame);

  *length = f->length;
  return f->data;
}

/* The last frame at or before time_us, the first if none. */
static guint
frame_at (ZsRecording *self,
          gint64       time_us)
{
  guint lo = 0, hi = self->frames->len;

  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->frames, Frame, mid).time_us <= time_us)
        lo = mid;
      else
        hi = mid;
    }
  return lo;
}

static void
decode_frame (ZsRecording *self,
              guint        index,
              ZsSnapshot  *snapshot)
{
  const Frame *frame = &g_array_index (self->frames, Frame, index);
  ZsReader reader;

  _zs_reader_init (&reader, frame->data, frame->length);
  if (!_zs_frame_decode (&reader, self->n_sockets, snapshot))
    g_error ("a recorded frame does not decode: %s", reader.error->message);
}

void
zs_recording_get_frame (ZsRecording *self,
                        guint        frame,
                        ZsSnapshot  *snapshot)
{
  g_return_if_fail (ZS_IS_RECORDING (self));
  g_return_if_fail (frame < self->frames->len);
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (snapshot->n_nodes == self->n_nodes && snapshot->n_links == self->n_links);

  decode_frame (self, frame, snapshot);
}

guint
zs_recording_snapshot_at (ZsRecording *self,
                          gint64       time_us,
                          ZsSnapshot  *snapshot)
{
  guint index;

  g_return_val_if_fail (ZS_IS_RECORDING (self), 0);
  g_return_val_if_fail (snapshot != NULL, 0);
  g_return_val_if_fail (snapshot->n_nodes == self->n_nodes && snapshot->n_links == self->n_links, 0);
  g_return_val_if_fail (self->frames->len > 0, 0);

  index = frame_at (self, time_us);
  decode_frame (self, index, snapshot);
  return index;
}

/* ---- captures ---- */

static gboolean
same_capture (const ZsCapture *a,
              const ZsCapture *b)
{
  /* Untraced messages all have sequence 0: their bytes tell them apart. */
  return a->time_us == b->time_us && a->seq == b->seq && a->dir == b->dir && a->traced == b->traced
         && a->n_frames == b->n_frames && a->sizes[0] == b->sizes[0]
         && (a->frames[0] == NULL) == (b->frames[0] == NULL)
         && (a->frames[0] == NULL || g_bytes_equal (a->frames[0], b->frames[0]));
}

void
_zs_recording_push_capture (ZsRecording *self,
                            guint        link,
                            ZsCapture   *capture)
{
  GPtrArray *ring = self->captures[link];

  self->captures_size += _zs_capture_size (capture);
  g_ptr_array_add (ring, capture);
  if (ring->len > ZS_RECORDING_CAPTURES)
    {
      self->captures_size -= _zs_capture_size (g_ptr_array_index (ring, 0));
      g_ptr_array_remove_index (ring, 0);
    }
}

void
zs_recording_add_captures (ZsRecording *self,
                           guint        link,
                           GPtrArray   *captures)
{
  GPtrArray *ring;
  guint first_new = 0;

  g_return_if_fail (ZS_IS_RECORDING (self));
  g_return_if_fail (link < self->n_links);
  g_return_if_fail (captures != NULL);

  /* The engine's ring holds the last messages in order: those after the
   * last one already kept are new (all, when it has moved past it). */
  ring = self->captures[link];
  if (ring->len > 0)
    {
      const ZsCapture *newest = g_ptr_array_index (ring, ring->len - 1);

      for (guint i = captures->len; i > 0; i--)
        if (same_capture (g_ptr_array_index (captures, i - 1), newest))
          {
            first_new = i;
            break;
          }
    }
  for (guint i = first_new; i < captures->len; i++)
    _zs_recording_push_capture (self, link, zs_capture_copy (g_ptr_array_index (captures, i)));
}

void
zs_recording_record (ZsRecording *self,
                     ZsRunSource *source,
                     ZsSnapshot  *snapshot)
{
  g_return_if_fail (ZS_IS_RECORDING (self));
  g_return_if_fail (ZS_IS_RUN_SOURCE (source));
  g_return_if_fail (snapshot != NULL);

  zs_run_source_snapshot_into (source, snapshot);
  zs_recording_append (self, snapshot);
  for (guint l = 0; l < self->n_links; l++)
    {
      g_autoptr(GPtrArray) captures = zs_run_source_get_captures (source, l);
      zs_recording_add_captures (self, l, captures);
    }
}

guint
_zs_recording_get_n_captures (ZsRecording *self,
                              guint        link)
{
  return self->captures[link]->len;
}

const ZsCapture *
_zs_recording_get_capture (ZsRecording *self,
                           guint        link,
                           guint        index)
{
  return g_ptr_array_index (self->captures[link], index);
}

GPtrArray *
zs_recording_get_captures_at (ZsRecording *self,
                              guint        link,
                              gint64       time_us)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);
  GPtrArray *ring;

  g_return_val_if_fail (ZS_IS_RECORDING (self), out);
  g_return_val_if_fail (link < self->n_links, out);

  ring = self->captures[link];
  for (guint i = 0; i < ring->len; i++)
    {
      const ZsCapture *c = g_ptr_array_index (ring, i);

      if (c->time_us - self->origin_us <= time_us)
        g_ptr_array_add (out, zs_capture_copy (c));
    }
  return out;
}

gsize
zs_recording_get_memory_size (ZsRecording *self)
{
  gsize snapshot_size;

  g_return_val_if_fail (ZS_IS_RECORDING (self), 0);

  snapshot_size = sizeof (ZsSnapshot) + self->n_nodes * sizeof (ZsNodeStats)
                  + self->n_links * sizeof (ZsLinkStats) + self->n_sockets * sizeof (ZsOutsideStats);
  return sizeof *self
         + self->frames->len * sizeof (Frame) + self->frames_size
         + self->events->len * sizeof (ZsRunEvent) + self->events_size
         + self->captures_size + self->n_links * (sizeof (GPtrArray) + ZS_RECORDING_CAPTURES * sizeof (gpointer))
         + snapshot_size + self->scratch->len;
}

void
zs_recording_note_event (ZsRecording    *self,
                         ZsRunEventKind  kind,
                         int             node,
                         int             link,
                         const char     *text)
{
  g_return_if_fail (ZS_IS_RECORDING (self));

  add_event (self, zs_recording_get_duration_us (self), kind, node, link, 0, text);
}
