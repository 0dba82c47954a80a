/* test-recording.c: a run recorded, scrubbed, saved and opened again
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zs-recording.h"
#include "zs-recording-source.h"
#include "zs-test-util.h"

/* ---- the same figures, field by field ---- */

static void
assert_same_node (const ZsNodeStats *a,
                  const ZsNodeStats *b)
{
  g_assert_cmpint (a->state, ==, b->state);
  g_assert_cmpstr (a->error, ==, b->error);
  g_assert_cmpstr (a->result, ==, b->result);
  g_assert_cmpuint (a->sent, ==, b->sent);
  g_assert_cmpuint (a->sent_bytes, ==, b->sent_bytes);
  g_assert_cmpuint (a->received, ==, b->received);
  g_assert_cmpuint (a->received_bytes, ==, b->received_bytes);
  g_assert_cmpuint (a->foreign, ==, b->foreign);
  g_assert_cmpuint (a->unroutable, ==, b->unroutable);
  g_assert_cmpuint (a->blocked_us, ==, b->blocked_us);
  g_assert_cmpuint (a->done_goal, ==, b->done_goal);
  g_assert_cmpint (a->done_at_us, ==, b->done_at_us);
  g_assert_cmpint (a->started_at_us, ==, b->started_at_us);
}

static void
assert_same_link (const ZsLinkStats *a,
                  const ZsLinkStats *b)
{
  g_assert_cmpuint (a->sent, ==, b->sent);
  g_assert_cmpuint (a->sent_bytes, ==, b->sent_bytes);
  g_assert_cmpuint (a->received, ==, b->received);
  g_assert_cmpuint (a->received_bytes, ==, b->received_bytes);
  g_assert_cmpuint (a->multipart, ==, b->multipart);
  g_assert_cmpuint (a->dropped, ==, b->dropped);
  g_assert_cmpuint (a->missed, ==, b->missed);
  g_assert_cmpuint (a->unread, ==, b->unread);
  g_assert_cmpuint (a->in_flight, ==, b->in_flight);
  g_assert_cmpuint (a->discarded, ==, b->discarded);
  g_assert_cmpuint (a->capacity, ==, b->capacity);
  g_assert_cmpuint (a->connects, ==, b->connects);
  g_assert_cmpuint (a->disconnects, ==, b->disconnects);
  g_assert_cmpuint (a->retries, ==, b->retries);
  g_assert_cmpint (a->state, ==, b->state);
  g_assert_cmpint (a->last_event, ==, b->last_event);
  g_assert_cmpint (a->last_event_us, ==, b->last_event_us);
  g_assert_cmpint (a->sent_estimated, ==, b->sent_estimated);
  g_assert_cmpint (a->dropped_estimated, ==, b->dropped_estimated);
  g_assert_cmpint (a->capacity_estimated, ==, b->capacity_estimated);
  g_assert_cmpint (a->to_outside, ==, b->to_outside);
}

static void
assert_same_snapshot (const ZsSnapshot *a,
                      const ZsSnapshot *b)
{
  g_assert_cmpint (a->time_us, ==, b->time_us);
  g_assert_cmpint (a->run_started_us, ==, b->run_started_us);
  g_assert_cmpint (a->running, ==, b->running);
  g_assert_cmpint (a->finished, ==, b->finished);
  g_assert_cmpint (a->outside_discarded, ==, b->outside_discarded);
  g_assert_cmpstr (a->stop_reason, ==, b->stop_reason);
  g_assert_cmpuint (a->n_nodes, ==, b->n_nodes);
  g_assert_cmpuint (a->n_links, ==, b->n_links);
  g_assert_cmpuint (a->n_sockets, ==, b->n_sockets);
  for (guint i = 0; i < a->n_nodes; i++)
    assert_same_node (&a->nodes[i], &b->nodes[i]);
  for (guint i = 0; i < a->n_links; i++)
    assert_same_link (&a->links[i], &b->links[i]);
  for (guint i = 0; i < a->n_sockets; i++)
    g_assert_cmpmem (&a->sockets[i], sizeof a->sockets[i], &b->sockets[i], sizeof b->sockets[i]);
}

/* ---- recording a real run ---- */

typedef struct {
  ZsTopology  *topology;     /* frozen: the engine's */
  ZsRecording *recording;
  GPtrArray   *frames;       /* ZsSnapshot: every frame appended */
} Recorded;

static void
recorded_clear (Recorded *r)
{
  g_clear_object (&r->recording);
  g_clear_pointer (&r->frames, g_ptr_array_unref);
  g_clear_object (&r->topology);
}

static void
record_now (Recorded *r,
            ZsEngine *engine)
{
  ZsSnapshot *s = zs_engine_snapshot (engine);

  zs_recording_append (r->recording, s);
  g_ptr_array_add (r->frames, s);
  for (guint l = 0; l < s->n_links; l++)
    {
      g_autoptr(GPtrArray) captures = zs_engine_get_captures (engine, l);
      zs_recording_add_captures (r->recording, l, captures);
    }
}

/* Runs an example as a session would: a frame every 100 ms until every
 * node with an end is done, then the settled figures. */
static void
record_example (const char *file,
                Recorded   *r)
{
  g_autoptr(ZsTopology) t = zs_test_load_example (file);
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gboolean done = FALSE;

  r->topology = g_object_ref (zs_engine_get_topology (engine));
  r->recording = zs_recording_new (r->topology);
  r->frames = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_snapshot_free);
  g_assert_true (zs_engine_start (engine, &error));
  g_assert_no_error (error);
  while (!done && g_get_monotonic_time () < deadline)
    {
      record_now (r, engine);
      done = zs_engine_wait (engine, 100);
    }
  g_assert_true (done);
  zs_engine_stop (engine);
  record_now (r, engine);
}

static guint64
sum_events (ZsRecording    *recording,
            ZsRunEventKind  kind,
            int             link)
{
  guint n;
  const ZsRunEvent *events = zs_recording_get_events (recording, &n);
  guint64 sum = 0;

  for (guint i = 0; i < n; i++)
    if (events[i].kind == kind && events[i].link == link)
      sum += events[i].count;
  return sum;
}

static guint
count_events (ZsRecording    *recording,
              ZsRunEventKind  kind,
              int             node,
              int             link)
{
  guint n, found = 0;
  const ZsRunEvent *events = zs_recording_get_events (recording, &n);

  for (guint i = 0; i < n; i++)
    found += events[i].kind == kind && events[i].node == node && events[i].link == link;
  return found;
}

static void
test_durable_events (void)
{
  Recorded r = { 0 };
  const ZsSnapshot *last;
  guint n;
  const ZsRunEvent *events;

  record_example ("10-durable-subscriber.json", &r);
  last = g_ptr_array_index (r.frames, r.frames->len - 1);
  g_assert_cmpuint (last->links[0].dropped, ==, 10);
  g_assert_cmpuint (last->links[1].dropped, ==, 8);
  /* The drops, as the events tell them, add up to the settled figures. */
  g_assert_cmpuint (sum_events (r.recording, ZS_RUN_EVENT_DROPPED, 0), ==, 10);
  g_assert_cmpuint (sum_events (r.recording, ZS_RUN_EVENT_DROPPED, 1), ==, 8);
  for (guint l = 0; l < last->n_links; l++)
    {
      g_assert_cmpuint (count_events (r.recording, ZS_RUN_EVENT_FIRST_MESSAGE, -1, (int) l), ==, 1);
      g_assert_cmpuint (count_events (r.recording, ZS_RUN_EVENT_CONNECTED, -1, (int) l), >=, 1);
    }
  for (guint i = 0; i < last->n_nodes; i++)
    if (zs_node_has_end (zs_topology_get_node (r.topology, i)))
      g_assert_cmpuint (count_events (r.recording, ZS_RUN_EVENT_NODE_DONE, (int) i, -1), ==, 1);

  /* In time order, within the recording, each naming what it is about. */
  events = zs_recording_get_events (r.recording, &n);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpint (events[i].time_us, >=, i > 0 ? events[i - 1].time_us : 0);
      g_assert_cmpint (events[i].time_us, <=, zs_recording_get_duration_us (r.recording));
      g_assert_true (events[i].node >= 0 || events[i].link >= 0 || events[i].kind == ZS_RUN_EVENT_RUN_STOPPED);
    }
  g_assert_cmpuint (zs_recording_get_n_events_dropped (r.recording), ==, 0);
  recorded_clear (&r);
}

/* Scrubbing to a frame's time gives exactly that frame; between two, the
 * earlier; before the first, the first. */
static void
test_snapshot_at (void)
{
  Recorded r = { 0 };
  g_autoptr(ZsSnapshot) shown = NULL;
  gint64 origin;

  record_example ("10-durable-subscriber.json", &r);
  origin = ((ZsSnapshot *) g_ptr_array_index (r.frames, 0))->time_us;
  shown = zs_snapshot_new (zs_topology_get_n_nodes (r.topology), zs_topology_get_links (r.topology)->len);
  /* Under a minute at 10 Hz: every frame is kept. */
  g_assert_cmpuint (zs_recording_get_n_frames (r.recording), ==, r.frames->len);
  for (guint i = 0; i < r.frames->len; i++)
    {
      const ZsSnapshot *frame = g_ptr_array_index (r.frames, i);
      gint64 t = frame->time_us - origin;

      g_assert_cmpint (zs_recording_get_frame_time_us (r.recording, i), ==, t);
      g_assert_cmpuint (zs_recording_snapshot_at (r.recording, t, shown), ==, i);
      assert_same_snapshot (shown, frame);
      if (i + 1 < r.frames->len && ((ZsSnapshot *) g_ptr_array_index (r.frames, i + 1))->time_us - origin > t + 1)
        {
          g_assert_cmpuint (zs_recording_snapshot_at (r.recording, t + 1, shown), ==, i);
          assert_same_snapshot (shown, frame);
        }
    }
  g_assert_cmpuint (zs_recording_snapshot_at (r.recording, -5, shown), ==, 0);
  assert_same_snapshot (shown, g_ptr_array_index (r.frames, 0));
  g_assert_cmpint (zs_recording_get_duration_us (r.recording), ==,
                   ((ZsSnapshot *) g_ptr_array_index (r.frames, r.frames->len - 1))->time_us - origin);

  /* The messages the subscribers received, each once, up to a time. */
  for (guint l = 0; l < zs_topology_get_links (r.topology)->len; l++)
    {
      const ZsSnapshot *last = g_ptr_array_index (r.frames, r.frames->len - 1);
      g_autoptr(GPtrArray) all = zs_recording_get_captures_at (r.recording, l, G_MAXINT64);
      g_autoptr(GPtrArray) none = zs_recording_get_captures_at (r.recording, l, -1);

      g_assert_cmpuint (all->len, ==, last->links[l].received);
      g_assert_cmpuint (none->len, ==, 0);
      for (guint i = 1; i < all->len; i++)
        g_assert_cmpuint (((ZsCapture *) all->pdata[i])->seq, >, ((ZsCapture *) all->pdata[i - 1])->seq);
    }
  recorded_clear (&r);
}

static void
test_source (void)
{
  Recorded r = { 0 };
  g_autoptr(ZsRecordingSource) source = NULL;
  g_autoptr(ZsSnapshot) shown = NULL;
  g_autoptr(GPtrArray) captures = NULL;

  record_example ("1-hello-world.json", &r);
  source = zs_recording_source_new (r.recording);
  g_assert_true (zs_recording_source_get_recording (source) == r.recording);
  g_assert_true (zs_run_source_get_topology (ZS_RUN_SOURCE (source)) == r.topology);
  g_assert_cmpint (zs_run_source_get_flags (ZS_RUN_SOURCE (source)), ==, 0);
  shown = zs_run_source_snapshot (ZS_RUN_SOURCE (source));
  assert_same_snapshot (shown, g_ptr_array_index (r.frames, r.frames->len - 1));
  captures = zs_run_source_get_captures (ZS_RUN_SOURCE (source), 0);
  g_assert_cmpuint (captures->len, ==, 20);
  /* No controls: they do nothing, and nothing wakes anyone. */
  zs_run_source_pause (ZS_RUN_SOURCE (source));
  g_assert_false (zs_run_source_is_paused (ZS_RUN_SOURCE (source)));
  zs_run_source_stop (ZS_RUN_SOURCE (source));
  recorded_clear (&r);
}

/* ---- synthetic frames: decimation, memory, events cap, captures ---- */

static ZsTopology *
two_node_topology (void)
{
  ZsTopology *t = zs_topology_new ();

  zs_test_add_node (t, "pub", ZS_ROLE_PUBLISHER, ZS_SOCKET_PUB, "inproc://a", NULL);
  zs_test_add_node (t, "sub", ZS_ROLE_SUBSCRIBER, ZS_SOCKET_SUB, NULL, "inproc://a");
  g_assert_cmpuint (zs_topology_get_links (t)->len, ==, 1);
  return t;
}

/* The n-th frame of a synthetic run at 10 Hz: counters that move. */
static void
synthetic_frame (ZsSnapshot *s,
                 guint       n)
{
  s->time_us = 1000000 + (gint64) n * 100000;
  s->running = TRUE;
  s->nodes[0].state = ZS_NODE_STATE_RUNNING;
  s->nodes[0].sent = n * 1000;
  s->links[0].sent = n * 1000;
  s->links[0].received = n * 990;
  s->links[0].dropped = n * 10;
  s->links[0].state = ZS_LINK_STATE_CONNECTED;
}

static void
test_decimation (void)
{
  g_autoptr(ZsTopology) t = two_node_topology ();
  g_autoptr(ZsRecording) recording = zs_recording_new (t);
  g_autoptr(ZsSnapshot) s = zs_snapshot_new (2, 1);
  g_autoptr(ZsSnapshot) shown = zs_snapshot_new (2, 1);
  guint hours = 3, per_hour = 36000;
  gsize size;
  guint n_frames;

  for (guint n = 0; n < hours * per_hour; n++)
    {
      synthetic_frame (s, n);
      zs_recording_append (recording, s);
    }
  size = zs_recording_get_memory_size (recording);
  n_frames = zs_recording_get_n_frames (recording);
  g_test_message ("%u h at 10 Hz: %u frames kept, %" G_GSIZE_FORMAT " bytes", hours, n_frames, size);
  /* 600 in the last minute, 540 up to ten minutes, one per 10 s before. */
  g_assert_cmpuint (n_frames, <=, 601 + 540 + hours * 360 + 1);
  /* Frames and the capped events: far from the 108000 frames' worth. */
  g_assert_cmpuint (size, <, 1024 * 1024);

  /* The first and last frames stay; the last minute has every frame. */
  g_assert_cmpint (zs_recording_get_frame_time_us (recording, 0), ==, 0);
  g_assert_cmpint (zs_recording_get_duration_us (recording), ==, (gint64) (hours * per_hour - 1) * 100000);
  for (guint i = n_frames - 600; i < n_frames; i++)
    g_assert_cmpint (zs_recording_get_frame_time_us (recording, i) - zs_recording_get_frame_time_us (recording, i - 1),
                     ==, 100000);
  /* One a second up to ten minutes back, one per ten seconds before. */
  g_assert_cmpint (zs_recording_get_frame_time_us (recording, n_frames - 700)
                   - zs_recording_get_frame_time_us (recording, n_frames - 701), ==, G_USEC_PER_SEC);
  g_assert_cmpint (zs_recording_get_frame_time_us (recording, 10) - zs_recording_get_frame_time_us (recording, 9),
                   ==, 10 * G_USEC_PER_SEC);

  /* A decimated moment shows the frame kept before it, exactly. */
  zs_recording_snapshot_at (recording, 25 * G_USEC_PER_SEC, shown);
  synthetic_frame (s, 200);
  assert_same_snapshot (shown, s);

  /* The drops came every frame: one event per second, the cap keeps the
   * last ZS_RECORDING_MAX_EVENTS; none is lost from the count. */
  {
    guint n;
    const ZsRunEvent *events = zs_recording_get_events (recording, &n);

    g_assert_cmpuint (n, <=, ZS_RECORDING_MAX_EVENTS);
    g_assert_cmpuint (zs_recording_get_n_events_dropped (recording), >, 0);
    g_assert_cmpuint (events[n - 1].kind, ==, ZS_RUN_EVENT_DROPPED);
    g_assert_cmpuint (events[n - 1].count, ==, 100);
  }
}

static ZsCapture *
capture_new (gint64  time_us,
             guint64 seq)
{
  ZsCapture *c = g_new0 (ZsCapture, 1);
  g_autofree char *text = g_strdup_printf ("message %" G_GUINT64_FORMAT, seq);

  c->time_us = time_us;
  c->seq = seq;
  c->traced = TRUE;
  c->n_frames = 1;
  c->sizes[0] = strlen (text);
  c->frames[0] = g_bytes_new (text, strlen (text));
  return c;
}

/* The engine's ring, 16 deep, looked at every few messages: each message
 * is kept once, in order, the last ZS_RECORDING_CAPTURES of them. */
static void
test_captures_merge (void)
{
  g_autoptr(ZsTopology) t = two_node_topology ();
  g_autoptr(ZsRecording) recording = zs_recording_new (t);
  g_autoptr(ZsSnapshot) s = zs_snapshot_new (2, 1);
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GPtrArray) early = NULL;
  g_autoptr(GArray) shown = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint64 sent = 0;

  s->time_us = 1000;
  zs_recording_append (recording, s);
  for (guint look = 0; look < 40; look++)
    {
      g_autoptr(GPtrArray) ring = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);

      /* 0 to 30 messages since the last look: sometimes more than the ring holds. */
      sent += (look * 7) % 31;
      for (guint64 seq = sent > ZS_CAPTURE_SLOTS ? sent - ZS_CAPTURE_SLOTS + 1 : 1; seq <= sent; seq++)
        {
          g_ptr_array_add (ring, capture_new (1000 + (gint64) seq * 10, seq));
          if (shown->len == 0 || seq > g_array_index (shown, guint64, shown->len - 1))
            g_array_append_val (shown, seq);
        }
      zs_recording_add_captures (recording, 0, ring);
    }
  kept = zs_recording_get_captures_at (recording, 0, G_MAXINT64);
  g_assert_cmpuint (kept->len, ==, ZS_RECORDING_CAPTURES);
  for (guint i = 0; i < kept->len; i++)
    {
      ZsCapture *c = kept->pdata[i];
      g_assert_cmpuint (c->seq, ==, g_array_index (shown, guint64, shown->len - ZS_RECORDING_CAPTURES + i));
    }
  /* Up to a time: those received by then (µs since the first frame). */
  early = zs_recording_get_captures_at (recording, 0, (gint64) (sent - 10) * 10);
  g_assert_cmpuint (early->len, ==, ZS_RECORDING_CAPTURES - 10);
  g_assert_cmpuint (sent - 10, ==, g_array_index (shown, guint64, shown->len - 11));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/recording/durable-events", test_durable_events);
  g_test_add_func ("/zmqscope/recording/snapshot-at", test_snapshot_at);
  g_test_add_func ("/zmqscope/recording/source", test_source);
  g_test_add_func ("/zmqscope/recording/decimation", test_decimation);
  g_test_add_func ("/zmqscope/recording/captures-merge", test_captures_merge);
  return g_test_run ();
}
