/* test-recording.c: a run recorded, scrubbed, saved and opened again
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "zs-engine-source.h"
#include "zs-recording.h"
#include "zs-recording-codec.h"
#include "zs-recording-private.h"
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
  g_assert_cmpint (a->fault, ==, b->fault);
  g_assert_cmpfloat (a->slow_factor, ==, b->slow_factor);
  g_assert_cmpuint (a->kills, ==, b->kills);
  g_assert_cmpuint (a->restarts, ==, b->restarts);
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
  g_assert_cmpuint (a->handshakes_failed, ==, b->handshakes_failed);
  g_assert_cmpint (a->state, ==, b->state);
  g_assert_cmpint (a->last_event, ==, b->last_event);
  g_assert_cmpint (a->last_event_us, ==, b->last_event_us);
  g_assert_cmpint (a->sent_estimated, ==, b->sent_estimated);
  g_assert_cmpint (a->dropped_estimated, ==, b->dropped_estimated);
  g_assert_cmpint (a->capacity_estimated, ==, b->capacity_estimated);
  g_assert_cmpint (a->to_outside, ==, b->to_outside);
  g_assert_cmpuint (a->lost, ==, b->lost);
  g_assert_cmpint (a->cut, ==, b->cut);
  g_assert_cmpuint (a->cuts, ==, b->cuts);
  g_assert_cmpint (a->relayed, ==, b->relayed);
  g_assert_cmpuint (a->changes, ==, b->changes);
  g_assert_cmpuint (a->lost_in_change, ==, b->lost_in_change);
  g_assert_cmpint (a->lost_estimated, ==, b->lost_estimated);
  g_assert_cmpint (a->flipped, ==, b->flipped);
  g_assert_cmpint (a->changing, ==, b->changing);
  g_assert_cmpint (a->transport, ==, b->transport);
  g_assert_cmpuint (a->delay_ms, ==, b->delay_ms);
  g_assert_cmpfloat (a->loss_percent, ==, b->loss_percent);
  for (guint d = 0; d < 2; d++)
    g_assert_cmpuint (a->flow[d].lost, ==, b->flow[d].lost);
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
record_now (Recorded    *r,
            ZsRunSource *source)
{
  ZsSnapshot *s = zs_snapshot_new (zs_topology_get_n_nodes (r->topology), zs_topology_get_links (r->topology)->len);

  zs_recording_record (r->recording, source, s);
  g_ptr_array_add (r->frames, s);
}

/* Runs an example as a session would: a frame every 100 ms until every
 * node with an end is done, then the settled figures. */
static void
record_example (const char *file,
                Recorded   *r)
{
  g_autoptr(ZsTopology) t = zs_test_load_example (file);
  g_autoptr(ZsEngine) engine = zs_engine_new (t);
  g_autoptr(ZsEngineSource) source = zs_engine_source_new (engine);
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
      record_now (r, ZS_RUN_SOURCE (source));
      done = zs_engine_wait (engine, 100);
    }
  g_assert_true (done);
  zs_engine_stop (engine);
  record_now (r, ZS_RUN_SOURCE (source));
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
      g_test_message ("%.3f s %s node %d link %d count %" G_GUINT64_FORMAT " %s", events[i].time_us / 1e6,
                      zs_run_event_kind_to_string (events[i].kind), events[i].node, events[i].link,
                      events[i].count, events[i].text ? events[i].text : "");
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
      zs_recording_get_frame (r.recording, i, shown);
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

/* ---- the file ---- */

static void
assert_same_events (ZsRecording *a,
                    ZsRecording *b)
{
  guint n_a, n_b;
  const ZsRunEvent *ea = zs_recording_get_events (a, &n_a);
  const ZsRunEvent *eb = zs_recording_get_events (b, &n_b);

  g_assert_cmpuint (n_a, ==, n_b);
  g_assert_cmpuint (zs_recording_get_n_events_dropped (a), ==, zs_recording_get_n_events_dropped (b));
  for (guint i = 0; i < n_a; i++)
    {
      g_assert_cmpint (ea[i].time_us, ==, eb[i].time_us);
      g_assert_cmpint (ea[i].kind, ==, eb[i].kind);
      g_assert_cmpint (ea[i].node, ==, eb[i].node);
      g_assert_cmpint (ea[i].link, ==, eb[i].link);
      g_assert_cmpuint (ea[i].count, ==, eb[i].count);
      g_assert_cmpstr (ea[i].text, ==, eb[i].text);
    }
}

static void
assert_same_captures (ZsRecording *a,
                      ZsRecording *b)
{
  guint n_links = zs_topology_get_links (zs_recording_get_topology (a))->len;

  g_assert_cmpuint (n_links, ==, zs_topology_get_links (zs_recording_get_topology (b))->len);
  for (guint l = 0; l < n_links; l++)
    {
      g_autoptr(GPtrArray) ca = zs_recording_get_captures_at (a, l, G_MAXINT64);
      g_autoptr(GPtrArray) cb = zs_recording_get_captures_at (b, l, G_MAXINT64);

      g_assert_cmpuint (ca->len, ==, cb->len);
      for (guint i = 0; i < ca->len; i++)
        {
          const ZsCapture *x = ca->pdata[i], *y = cb->pdata[i];

          g_assert_cmpint (x->time_us, ==, y->time_us);
          g_assert_cmpuint (x->seq, ==, y->seq);
          g_assert_cmpint (x->traced, ==, y->traced);
          g_assert_cmpmem (x->trailer, x->traced ? 16 : 0, y->trailer, y->traced ? 16 : 0);
          g_assert_cmpuint (x->dir, ==, y->dir);
          g_assert_cmpuint (x->n_frames, ==, y->n_frames);
          g_assert_cmpuint (MAX (x->every, 1), ==, MAX (y->every, 1));
          for (guint f = 0; f < MIN (x->n_frames, ZS_CAPTURE_MAX_FRAMES); f++)
            {
              g_assert_cmpuint (x->sizes[f], ==, y->sizes[f]);
              g_assert_true (g_bytes_equal (x->frames[f], y->frames[f]));
            }
        }
    }
}

static char *
saved_file (ZsRecording *recording)
{
  g_autoptr(GError) error = NULL;
  char *path = NULL;
  int fd = g_file_open_tmp ("test-recording-XXXXXX.zsrec", &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_assert_true (zs_recording_save (recording, path, &error));
  g_assert_no_error (error);
  return path;
}

static GBytes *
file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* Messages of a fast link are sampled (1 in `every` kept): saved and
 * opened again, they still say so, so the Messages page of a reopened
 * recording says it shows a sample. */
static void
test_sampled_captures_saved (void)
{
  g_autoptr(ZsTopology) t = two_node_topology ();
  g_autoptr(ZsRecording) recording = zs_recording_new (t);
  g_autoptr(ZsRecording) opened = NULL;
  g_autoptr(ZsSnapshot) s = zs_snapshot_new (2, 1);
  g_autoptr(GPtrArray) ring = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);
  g_autoptr(GPtrArray) kept = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  s->time_us = 1000;
  zs_recording_append (recording, s);
  for (guint64 seq = 1; seq <= 4; seq++)
    {
      ZsCapture *c = capture_new (1000 + (gint64) seq * 10, seq * 64);

      c->every = 64;
      g_ptr_array_add (ring, c);
    }
  zs_recording_add_captures (recording, 0, ring);
  path = saved_file (recording);
  opened = zs_recording_load (path, &error);
  g_assert_no_error (error);
  kept = zs_recording_get_captures_at (opened, 0, G_MAXINT64);
  g_assert_cmpuint (kept->len, ==, 4);
  for (guint i = 0; i < kept->len; i++)
    g_assert_cmpuint (((ZsCapture *) kept->pdata[i])->every, ==, 64);
  assert_same_captures (opened, recording);
  g_remove (path);
}

/* Save, open, save again: the same bytes, the same frames, events and
 * messages, and the opened topology is the recorded one. */
static void
test_round_trip (void)
{
  Recorded r = { 0 };
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(ZsRecording) opened = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) first_bytes = NULL;
  g_autoptr(GBytes) second_bytes = NULL;
  g_autoptr(ZsSnapshot) shown = NULL;
  g_autofree char *json = NULL;
  g_autofree char *opened_json = NULL;
  gsize length;

  record_example ("10-durable-subscriber.json", &r);
  first = saved_file (r.recording);
  opened = zs_recording_load (first, &error);
  g_assert_no_error (error);
  g_assert_nonnull (opened);

  json = zs_topology_save_to_data (r.topology, &length);
  opened_json = zs_topology_save_to_data (zs_recording_get_topology (opened), &length);
  g_assert_cmpstr (json, ==, opened_json);
  g_assert_cmpuint (zs_recording_get_n_frames (opened), ==, r.frames->len);
  g_assert_cmpint (zs_recording_get_duration_us (opened), ==, zs_recording_get_duration_us (r.recording));
  shown = zs_snapshot_new (r.topology ? zs_topology_get_n_nodes (r.topology) : 0, zs_topology_get_links (r.topology)->len);
  for (guint i = 0; i < r.frames->len; i++)
    {
      g_assert_cmpint (zs_recording_get_frame_time_us (opened, i), ==, zs_recording_get_frame_time_us (r.recording, i));
      g_assert_cmpuint (zs_recording_snapshot_at (opened, zs_recording_get_frame_time_us (opened, i), shown), ==, i);
      assert_same_snapshot (shown, g_ptr_array_index (r.frames, i));
    }
  assert_same_events (opened, r.recording);
  assert_same_captures (opened, r.recording);

  second = saved_file (opened);
  first_bytes = file_bytes (first);
  second_bytes = file_bytes (second);
  g_assert_true (g_bytes_equal (first_bytes, second_bytes));
  g_test_message ("durable subscriber: %u frames, %" G_GSIZE_FORMAT " bytes in memory, %" G_GSIZE_FORMAT
                  " in the file", r.frames->len, zs_recording_get_memory_size (r.recording),
                  g_bytes_get_size (first_bytes));
  g_unlink (first);
  g_unlink (second);
  recorded_clear (&r);
}

/* ---- bad files ---- */

static GByteArray *
run_converter (GConverter   *converter,
               const guint8 *data,
               gsize         length)
{
  g_autoptr(GInputStream) base = g_memory_input_stream_new_from_data (data, (gssize) length, NULL);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (base, converter);
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                          NULL, &error);
  g_assert_no_error (error);
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  return g_bytes_unref_to_array (g_steal_pointer (&bytes));
}

#define HEADER_LENGTH 12

/* The decompressed data of a recording file, and back. */
static GByteArray *
unpack (GBytes *file)
{
  g_autoptr(GZlibDecompressor) z = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  gsize length;
  const guint8 *data = g_bytes_get_data (file, &length);

  return run_converter (G_CONVERTER (z), data + HEADER_LENGTH, length - HEADER_LENGTH);
}

static GBytes *
pack (GBytes           *file,
      const GByteArray *data)
{
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GByteArray) compressed = run_converter (G_CONVERTER (z), data->data, data->len);
  GByteArray *out = g_byte_array_new ();

  g_byte_array_append (out, g_bytes_get_data (file, NULL), HEADER_LENGTH);
  g_byte_array_append (out, compressed->data, compressed->len);
  return g_byte_array_free_to_bytes (out);
}

/* Refused with this error (any, if -1), its message naming `position`
 * (when >= 0). */
static void
assert_refused (GBytes *file,
                int     code,
                gssize  position)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsRecording) recording = NULL;
  gsize length;
  const guint8 *data = g_bytes_get_data (file, &length);

  recording = _zs_recording_load_from_data (data, length, &error);
  g_assert_null (recording);
  g_assert_nonnull (error);
  g_assert_true (error->domain == ZS_RECORDING_ERROR);
  if (code >= 0)
    g_assert_cmpint (error->code, ==, code);
  g_assert_nonnull (strstr (error->message, "byte"));
  if (position >= 0)
    {
      g_autofree char *at = g_strdup_printf ("byte %" G_GSSIZE_FORMAT, position);

      if (strstr (error->message, at) == NULL)
        g_error ("“%s” does not say “%s”", error->message, at);
    }
}

static GBytes *
cut (GBytes *file,
     gsize   length)
{
  return g_bytes_new_from_bytes (file, 0, length);
}

static GBytes *
with_bytes (GBytes       *file,
            gsize         at,
            const guint8 *bytes,
            gsize         n)
{
  g_autoptr(GByteArray) out = g_bytes_unref_to_array (g_bytes_ref (file));

  if (at + n > out->len)
    g_byte_array_set_size (out, (guint) (at + n));
  memcpy (out->data + at, bytes, n);
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* `data` with the varint at `at` replaced by `value`. */
static GByteArray *
with_varint (const GByteArray *data,
             gsize             at,
             guint64           value)
{
  GByteArray *out = g_byte_array_new ();
  gsize end = at;
  guint8 buf[10];
  guint n = 0;

  while (data->data[end] & 0x80)
    end++;
  end++;
  do
    {
      buf[n] = (value & 0x7f) | (value >= 0x80 ? 0x80 : 0);
      value >>= 7;
      n++;
    }
  while (value != 0);
  g_byte_array_append (out, data->data, (guint) at);
  g_byte_array_append (out, buf, n);
  g_byte_array_append (out, data->data + end, (guint) (data->len - end));
  return out;
}

static gsize
varint_end (const GByteArray *data,
            gsize             at,
            guint64          *value)
{
  *value = 0;
  for (guint shift = 0;; shift += 7)
    {
      *value |= (guint64) (data->data[at] & 0x7f) << shift;
      if ((data->data[at++] & 0x80) == 0)
        return at;
    }
}

/* A recording of format 1 (before faults were kept) still opens: its
 * nodes show no fault, and saving it writes the current format. */
static void
test_format_1 (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fuzz", "recordings", "1-hello-world.zsrec", NULL);
  g_autoptr(GBytes) file = file_bytes (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsRecording) opened = zs_recording_load (path, &error);
  g_autoptr(ZsSnapshot) shown = NULL;
  g_autoptr(ZsRecording) again = NULL;
  g_autoptr(GBytes) saved = NULL;
  g_autofree char *resaved = NULL;
  ZsTopology *topology;

  g_assert_cmpint (((const guint8 *) g_bytes_get_data (file, NULL))[8], ==, 1);
  g_assert_no_error (error);
  topology = zs_recording_get_topology (opened);
  shown = zs_snapshot_new (zs_topology_get_n_nodes (topology), zs_topology_get_links (topology)->len);
  zs_recording_snapshot_at (opened, zs_recording_get_duration_us (opened), shown);
  g_assert_cmpuint (shown->links[0].received, ==, 20);
  for (guint i = 0; i < shown->n_nodes; i++)
    {
      g_assert_cmpint (shown->nodes[i].fault, ==, ZS_NODE_FAULT_NONE);
      g_assert_cmpfloat (shown->nodes[i].slow_factor, ==, 1);
    }
  resaved = saved_file (opened);
  saved = file_bytes (resaved);
  g_assert_cmpint (((const guint8 *) g_bytes_get_data (saved, NULL))[8], ==, ZS_RECORDING_FORMAT_VERSION);
  again = zs_recording_load (resaved, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zs_recording_get_n_frames (again), ==, zs_recording_get_n_frames (opened));
  g_remove (resaved);
}

static void
test_bad_files (void)
{
  Recorded r = { 0 };
  g_autofree char *path = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GByteArray) data = NULL;
  guint64 json_length, n_frames, frame_length;
  gsize frames_at, frame_at;
  const guint8 newer[] = { ZS_RECORDING_FORMAT_VERSION + 1, 0, 0, 0 };
  const guint8 zero[] = { 0, 0, 0, 0 };
  const guint8 not_ours[] = { '{', '"', 'n' };
  gsize length;

  record_example ("1-hello-world.json", &r);
  path = saved_file (r.recording);
  file = file_bytes (path);
  length = g_bytes_get_size (file);

  /* Truncated anywhere: in the header, the compressed data, its last byte. */
  {
    const gsize cuts[] = { 0, 5, 11, 12, 20, length / 2, length - 1 };

    for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
      {
        g_autoptr(GBytes) truncated = cut (file, cuts[i]);
        assert_refused (truncated, ZS_RECORDING_ERROR_TRUNCATED, (gssize) cuts[i]);
      }
  }
  /* Not a recording (a topology file, say); a newer or a nonsense version. */
  {
    g_autoptr(GBytes) json = with_bytes (file, 0, not_ours, sizeof not_ours);
    g_autoptr(GBytes) vnext = with_bytes (file, 8, newer, sizeof newer);
    g_autofree char *next = g_strdup_printf ("format %d", ZS_RECORDING_FORMAT_VERSION + 1);
    g_autoptr(GBytes) v0 = with_bytes (file, 8, zero, sizeof zero);
    g_autoptr(GError) error = NULL;
    g_autoptr(ZsRecording) none = NULL;

    assert_refused (json, ZS_RECORDING_ERROR_NOT_RECORDING, 0);
    assert_refused (vnext, ZS_RECORDING_ERROR_VERSION, 8);
    none = _zs_recording_load_from_data (g_bytes_get_data (vnext, NULL), length, &error);
    g_assert_nonnull (strstr (error->message, next));
    assert_refused (v0, ZS_RECORDING_ERROR_CORRUPT, 8);
  }
  /* Damaged compressed data; bytes after it. */
  {
    const guint8 junk[] = { 0xde, 0xad, 0xbe, 0xef };
    g_autoptr(GBytes) damaged = with_bytes (file, 12 + 10, junk, sizeof junk);
    g_autoptr(GBytes) trailing = with_bytes (file, length, junk, sizeof junk);

    assert_refused (damaged, ZS_RECORDING_ERROR_CORRUPT, -1);
    assert_refused (trailing, ZS_RECORDING_ERROR_CORRUPT, (gssize) length);
  }

  /* The data itself: a count beyond it, a frame whose size lies, a
   * truncated or overlong recording, a text with a NUL. */
  data = unpack (file);
  frames_at = varint_end (data, 0, &json_length) + json_length;
  frame_at = varint_end (data, frames_at, &n_frames);
  g_assert_cmpuint (n_frames, ==, r.frames->len);
  varint_end (data, frame_at, &frame_length);
  {
    g_autoptr(GByteArray) many = with_varint (data, frames_at, G_MAXUINT32);
    g_autoptr(GBytes) bad = pack (file, many);
    assert_refused (bad, ZS_RECORDING_ERROR_CORRUPT, (gssize) frames_at);
  }
  {
    g_autoptr(GByteArray) longer = with_varint (data, frame_at, frame_length + 1);
    g_autoptr(GByteArray) shorter = with_varint (data, frame_at, frame_length - 1);
    g_autoptr(GBytes) bad_longer = pack (file, longer);
    g_autoptr(GBytes) bad_shorter = pack (file, shorter);

    assert_refused (bad_longer, ZS_RECORDING_ERROR_CORRUPT, -1);
    assert_refused (bad_shorter, ZS_RECORDING_ERROR_CORRUPT, -1);
  }
  {
    g_autoptr(GByteArray) huge_topology = with_varint (data, 0, G_MAXUINT32);
    g_autoptr(GBytes) bad = pack (file, huge_topology);
    assert_refused (bad, ZS_RECORDING_ERROR_CORRUPT, 0);
  }
  {
    g_autoptr(GByteArray) half = g_byte_array_sized_new (data->len / 2);
    g_autoptr(GByteArray) more = g_byte_array_sized_new (data->len + 1);
    g_autoptr(GBytes) bad_half = NULL;
    g_autoptr(GBytes) bad_more = NULL;

    g_byte_array_append (half, data->data, data->len / 2);
    g_byte_array_append (more, data->data, data->len);
    g_byte_array_append (more, (const guint8 *) "", 1);
    bad_half = pack (file, half);
    bad_more = pack (file, more);
    /* Cut inside a frame: its size is beyond the data, or it ends early. */
    assert_refused (bad_half, -1, -1);
    assert_refused (bad_more, ZS_RECORDING_ERROR_CORRUPT, (gssize) data->len);
  }
  {
    /* The topology's first byte becomes a NUL: JSON no more. */
    g_autoptr(GByteArray) nul = g_byte_array_sized_new (data->len);
    g_autoptr(GBytes) bad = NULL;

    g_byte_array_append (nul, data->data, data->len);
    nul->data[varint_end (data, 0, &json_length)] = 0;
    bad = pack (file, nul);
    assert_refused (bad, ZS_RECORDING_ERROR_CORRUPT, 0);
  }
  /* Any byte of the data changed: opened or refused, never a crash. */
  for (gsize at = 0; at < data->len; at += 1 + at / 64)
    {
      g_autoptr(GByteArray) changed = g_byte_array_sized_new (data->len);
      g_autoptr(GBytes) bad = NULL;
      g_autoptr(ZsRecording) opened = NULL;
      g_autoptr(GError) error = NULL;

      g_byte_array_append (changed, data->data, data->len);
      changed->data[at] ^= 0xff;
      bad = pack (file, changed);
      opened = _zs_recording_load_from_data (g_bytes_get_data (bad, NULL), g_bytes_get_size (bad), &error);
      g_assert_true ((opened == NULL) != (error == NULL));
    }
  g_unlink (path);
  recorded_clear (&r);
}

/* `zmqscope replay DIR` (or the window's Open on a folder): the user
 * reads that it is a directory, not GLib's mmap() wording. */
static void
test_load_directory (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zs-recording-XXXXXX", NULL);
  g_autoptr(ZsRecording) recording = zs_recording_load (dir, &error);

  g_assert_null (recording);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR);
  g_test_message ("%s", error->message);
  g_assert_null (strstr (error->message, "mmap"));
  g_assert_nonnull (strstr (error->message, "is a directory"));
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/recording/durable-events", test_durable_events);
  g_test_add_func ("/zmqscope/recording/snapshot-at", test_snapshot_at);
  g_test_add_func ("/zmqscope/recording/source", test_source);
  g_test_add_func ("/zmqscope/recording/load-directory", test_load_directory);
  g_test_add_func ("/zmqscope/recording/decimation", test_decimation);
  g_test_add_func ("/zmqscope/recording/captures-merge", test_captures_merge);
  g_test_add_func ("/zmqscope/recording/round-trip", test_round_trip);
  g_test_add_func ("/zmqscope/recording/bad-files", test_bad_files);
  g_test_add_func ("/zmqscope/recording/format-1", test_format_1);
  g_test_add_func ("/zmqscope/recording/sampled-captures-saved", test_sampled_captures_saved);
  return g_test_run ();
}
