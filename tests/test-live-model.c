/* test-live-model.c: the live model, fed with hand-made snapshots
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "zs-live-model.h"
#include "zs-topology-file.h"
#include "zs-test-util.h"

#define FRAME_US   16667   /* 60 Hz */
#define START_US   G_GINT64_CONSTANT (1000000000)

/* Nodes: 0 push (binds) -> 1 pull (connects): link PUSH_LINK;
 *        2 pub (binds)  -> 3 sub (connects):  link PUB_LINK. */
enum { PUSH_NODE, PULL_NODE, PUB_NODE, SUB_NODE };
enum { PUSH_LINK, PUB_LINK };

typedef struct {
  ZsTopology  *topology;
  ZsLiveModel *model;
  ZsSnapshot  *snapshot;
  double       carry[2];
} Fixture;

static void
fixture_init (Fixture *fx)
{
  ZsLink *link;

  fx->topology = zs_topology_new ();
  zs_test_add_node (fx->topology, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, "inproc://work", NULL);
  zs_test_add_node (fx->topology, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, "inproc://work");
  zs_test_add_node (fx->topology, "pub", ZS_ROLE_SOCKET, ZS_SOCKET_PUB, "inproc://news", NULL);
  zs_test_add_node (fx->topology, "sub", ZS_ROLE_SOCKET, ZS_SOCKET_SUB, NULL, "inproc://news");
  g_assert_cmpuint (zs_topology_get_links (fx->topology)->len, ==, 2);
  link = g_ptr_array_index (zs_topology_get_links (fx->topology), PUSH_LINK);
  g_assert_cmpuint (link->bind_node, ==, PUSH_NODE);
  link = g_ptr_array_index (zs_topology_get_links (fx->topology), PUB_LINK);
  g_assert_cmpuint (link->bind_node, ==, PUB_NODE);

  fx->model = zs_live_model_new (fx->topology);
  fx->snapshot = zs_snapshot_new (4, 2);
  fx->snapshot->time_us = START_US;
  fx->snapshot->running = TRUE;
  fx->snapshot->links[PUSH_LINK].capacity = 2000;
  fx->snapshot->links[PUB_LINK].capacity = 2000;
  zs_live_model_update (fx->model, fx->snapshot);   /* primes */
}

static void
fixture_clear (Fixture *fx)
{
  zs_snapshot_free (fx->snapshot);
  g_assert_finalize_object (fx->model);
  g_assert_finalize_object (fx->topology);
}

static void
frame (Fixture *fx,
       gint64   dt_us)
{
  fx->snapshot->time_us += dt_us;
  zs_live_model_update (fx->model, fx->snapshot);
}

static void
deliver (Fixture *fx,
         guint    link,
         guint64  n)
{
  ZsLinkStats *stats = &fx->snapshot->links[link];
  guint sender = link == PUSH_LINK ? PUSH_NODE : PUB_NODE;

  stats->sent += n;
  stats->received += n;
  fx->snapshot->nodes[sender].sent += n;
  fx->snapshot->nodes[sender + 1].received += n;
}

/* `rate` msg/s on `link` for `seconds`, in frames of frame_us. */
static void
flow (Fixture *fx,
      guint    link,
      double   rate,
      double   seconds,
      gint64   frame_us)
{
  gint64 end = fx->snapshot->time_us + (gint64) (seconds * G_USEC_PER_SEC);

  while (fx->snapshot->time_us < end)
    {
      guint64 n;

      fx->carry[link] += rate * frame_us / G_USEC_PER_SEC;
      n = (guint64) fx->carry[link];
      fx->carry[link] -= n;
      deliver (fx, link, n);
      frame (fx, frame_us);
    }
}

static const ZsLiveLink *
live_link (Fixture *fx,
           guint    link)
{
  return zs_live_model_get_link (fx->model, link);
}

static void
test_steady_rate (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate, ==, 0);
  flow (&fx, PUSH_LINK, 1000, 3.0, FRAME_US);
  g_assert_cmpfloat_with_epsilon (live_link (&fx, PUSH_LINK)->rate, 1000, 20);
  g_assert_cmpfloat_with_epsilon (zs_live_model_get_node (fx.model, PUSH_NODE)->rate, 1000, 20);
  g_assert_cmpfloat_with_epsilon (zs_live_model_get_node (fx.model, PULL_NODE)->rate, 1000, 20);
  g_assert_cmpfloat_with_epsilon (live_link (&fx, PUSH_LINK)->rate_log, 3.0 / 7.0, 0.01);
  g_assert_cmpfloat (live_link (&fx, PUB_LINK)->rate, ==, 0);
  g_assert_false (zs_live_model_link_is_at_rest (fx.model, PUSH_LINK));
  g_assert_true (zs_live_model_link_is_at_rest (fx.model, PUB_LINK));
  g_assert_false (zs_live_model_is_at_rest (fx.model));
  fixture_clear (&fx);
}

static void
test_stop (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  flow (&fx, PUSH_LINK, 1000, 3.0, FRAME_US);
  flow (&fx, PUSH_LINK, 0, 1.0, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate, <, 5);
  flow (&fx, PUSH_LINK, 0, 0.5, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate, <, 1);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate, >=, 0);
  flow (&fx, PUSH_LINK, 0, 2.0, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate, ==, 0);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate_log, ==, 0);
  g_assert_true (zs_live_model_link_is_at_rest (fx.model, PUSH_LINK));
  g_assert_true (zs_live_model_is_at_rest (fx.model));
  fixture_clear (&fx);
}

/* Two messages every second (a request and its reply): the label's
 * windowed rate stays near 2 msg/s between bursts, where the smoothed
 * rate swings from about 0.5 to 4. */
static void
test_rate_recent (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  for (guint second = 0; second < 12; second++)
    {
      deliver (&fx, PUSH_LINK, 2);
      frame (&fx, FRAME_US);
      flow (&fx, PUSH_LINK, 0, 1.0 - FRAME_US / 1e6, FRAME_US);
      /* 4 or 5 bursts fall in the 5 s window, depending on where it starts. */
      if (second >= 5)
        {
          g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate_recent, >=, 1.6);
          g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate_recent, <=, 2.0);
        }
    }
  fixture_clear (&fx);
}

static void
test_rate_log (void)
{
  double previous = 0;

  g_assert_cmpfloat (zs_live_rate_to_log (0), ==, 0);
  g_assert_cmpfloat (zs_live_rate_to_log (-5), ==, 0);
  g_assert_cmpfloat (zs_live_rate_to_log (NAN), ==, 0);
  g_assert_cmpfloat (zs_live_rate_to_log (1), ==, 0);
  g_assert_cmpfloat_with_epsilon (zs_live_rate_to_log (1e7), 1, 1e-9);
  g_assert_cmpfloat (zs_live_rate_to_log (1e9), ==, 1);
  for (double rate = 0.01; rate < 1e9; rate *= 1.1)
    {
      double value = zs_live_rate_to_log (rate);

      g_assert_cmpfloat (value, >=, previous);
      g_assert_cmpfloat (value, >=, 0);
      g_assert_cmpfloat (value, <=, 1);
      previous = value;
    }
  g_assert_cmpfloat (zs_live_rate_to_log (10), <, zs_live_rate_to_log (11));
}

static void
check_dots (Fixture *fx,
            guint    link)
{
  guint n_dots;
  const float *dots = zs_live_model_get_link_dots (fx->model, link, &n_dots);

  g_assert_cmpuint (n_dots, ==, live_link (fx, link)->n_dots);
  g_assert_cmpuint (n_dots, <=, ZS_LIVE_MAX_DOTS);
  for (guint i = 0; i < n_dots; i++)
    {
      g_assert_cmpfloat (dots[i], >=, 0);
      g_assert_cmpfloat (dots[i], <, 1);
      if (i > 0)
        g_assert_cmpfloat (dots[i - 1], >=, dots[i]);   /* oldest is furthest */
    }
}

static void
test_slow_dots (void)
{
  Fixture fx = { 0 };
  guint max_dots = 0;

  fixture_init (&fx);
  /* 5 messages at 2 msg/s, 60 Hz frames */
  for (guint i = 0; i < 5; i++)
    {
      deliver (&fx, PUSH_LINK, 1);
      for (guint f = 0; f < 30; f++)
        {
          frame (&fx, FRAME_US);
          g_assert_true (live_link (&fx, PUSH_LINK)->slow_dots);
          g_assert_cmpuint (live_link (&fx, PUSH_LINK)->dots_spawned, ==, i + 1);
          max_dots = MAX (max_dots, live_link (&fx, PUSH_LINK)->n_dots);
          check_dots (&fx, PUSH_LINK);
        }
    }
  g_assert_cmpuint (max_dots, ==, 2);   /* 1 s trips, 0.5 s apart */
  flow (&fx, PUSH_LINK, 0, 3.0, FRAME_US);
  g_assert_cmpuint (live_link (&fx, PUSH_LINK)->dots_spawned, ==, 5);
  g_assert_cmpuint (live_link (&fx, PUSH_LINK)->n_dots, ==, 0);
  g_assert_true (zs_live_model_link_is_at_rest (fx.model, PUSH_LINK));

  /* a batch of 3 in one long frame: 3 separate dots */
  deliver (&fx, PUSH_LINK, 3);
  frame (&fx, 400000);
  g_assert_cmpuint (live_link (&fx, PUSH_LINK)->dots_spawned, ==, 8);
  g_assert_cmpuint (live_link (&fx, PUSH_LINK)->n_dots, ==, 3);
  check_dots (&fx, PUSH_LINK);
  fixture_clear (&fx);
}

static void
test_fast_dots (void)
{
  Fixture fx = { 0 };
  double spacing_slow, phase;
  guint64 spawned;

  fixture_init (&fx);
  flow (&fx, PUSH_LINK, 100, 3.0, FRAME_US);
  spacing_slow = live_link (&fx, PUSH_LINK)->dot_spacing;
  g_assert_false (live_link (&fx, PUSH_LINK)->slow_dots);
  flow (&fx, PUSH_LINK, 1000000, 3.0, FRAME_US);
  g_assert_false (live_link (&fx, PUSH_LINK)->slow_dots);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->dot_spacing, <, spacing_slow);
  spawned = live_link (&fx, PUSH_LINK)->dots_spawned;
  g_assert_cmpuint (spawned, <, 100);   /* only while ramping up */
  for (guint f = 0; f < 120; f++)
    {
      phase = live_link (&fx, PUSH_LINK)->phase;
      flow (&fx, PUSH_LINK, 1000000, FRAME_US / 1e6, FRAME_US);
      g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->phase, >=, 0);
      g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->phase, <, 1);
      g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->phase, !=, phase);
    }
  g_assert_cmpuint (live_link (&fx, PUSH_LINK)->dots_spawned, ==, spawned);
  fixture_clear (&fx);
}

static void
check_fill (Fixture     *fx,
            guint64      in_flight,
            double       fill,
            ZsFillLevel  level)
{
  fx->snapshot->links[PUSH_LINK].in_flight = in_flight;
  frame (fx, FRAME_US);
  g_assert_cmpfloat_with_epsilon (live_link (fx, PUSH_LINK)->fill, fill, 1e-9);
  g_assert_cmpint (live_link (fx, PUSH_LINK)->fill_level, ==, level);
  g_assert_cmpuint (live_link (fx, PUSH_LINK)->in_flight, ==, in_flight);
}

static void
test_fill (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  check_fill (&fx, 1000, 0.5, ZS_FILL_LEVEL_OK);
  check_fill (&fx, 1600, 0.8, ZS_FILL_LEVEL_NEAR);
  check_fill (&fx, 2000, 1.0, ZS_FILL_LEVEL_FULL);
  check_fill (&fx, 5000, 1.0, ZS_FILL_LEVEL_FULL);   /* tcp: kernel buffers */
  g_assert_false (live_link (&fx, PUSH_LINK)->fill_unbounded);
  g_assert_false (live_link (&fx, PUSH_LINK)->capacity_estimated);

  fx.snapshot->links[PUSH_LINK].capacity = 0;
  fx.snapshot->links[PUSH_LINK].capacity_estimated = TRUE;
  check_fill (&fx, 500, 0.5, ZS_FILL_LEVEL_OK);
  g_assert_true (live_link (&fx, PUSH_LINK)->fill_unbounded);
  g_assert_true (live_link (&fx, PUSH_LINK)->capacity_estimated);
  g_assert_cmpuint (live_link (&fx, PUSH_LINK)->capacity, ==, 0);
  check_fill (&fx, 0, 0, ZS_FILL_LEVEL_OK);
  fixture_clear (&fx);
}

static void
test_drops (void)
{
  Fixture fx = { 0 };
  ZsLiveSample samples[8];
  guint64 node_drops = 0;
  guint n;

  fixture_init (&fx);
  flow (&fx, PUB_LINK, 10, 1.0, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUB_LINK)->drop_burst, ==, 0);
  fx.snapshot->links[PUB_LINK].dropped += 7;
  fx.snapshot->links[PUB_LINK].dropped_estimated = TRUE;
  frame (&fx, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUB_LINK)->drop_burst, ==, 1);
  g_assert_cmpuint (live_link (&fx, PUB_LINK)->drops_total, ==, 7);
  g_assert_cmpuint (live_link (&fx, PUB_LINK)->drops_recent, ==, 7);
  g_assert_true (live_link (&fx, PUB_LINK)->dropped_estimated);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->drop_burst, ==, 0);

  flow (&fx, PUB_LINK, 10, 0.5, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUB_LINK)->drop_burst, >, 0.05);
  g_assert_cmpuint (live_link (&fx, PUB_LINK)->drops_recent, ==, 7);
  flow (&fx, PUB_LINK, 10, 0.5, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUB_LINK)->drop_burst, <, 0.05);
  flow (&fx, PUB_LINK, 10, 0.2, FRAME_US);
  g_assert_cmpuint (live_link (&fx, PUB_LINK)->drops_recent, ==, 0);
  g_assert_cmpuint (live_link (&fx, PUB_LINK)->drops_total, ==, 7);

  /* the history counts them once, on the link and on its sender */
  n = zs_live_model_get_node_history (fx.model, PUB_NODE, samples, G_N_ELEMENTS (samples));
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (samples));
  for (guint i = 0; i < n; i++)
    node_drops += samples[i].drops;
  g_assert_cmpuint (node_drops, ==, 7);
  n = zs_live_model_get_node_history (fx.model, SUB_NODE, samples, G_N_ELEMENTS (samples));
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (samples[i].drops, ==, 0);
  fixture_clear (&fx);
}

static void
test_blocked (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  g_assert_false (live_link (&fx, PUSH_LINK)->blocked);
  fx.snapshot->nodes[PUSH_NODE].state = ZS_NODE_STATE_BLOCKED;
  fx.snapshot->links[PUSH_LINK].in_flight = 2000;
  frame (&fx, FRAME_US);
  g_assert_true (live_link (&fx, PUSH_LINK)->blocked);
  g_assert_cmpint (live_link (&fx, PUSH_LINK)->fill_level, ==, ZS_FILL_LEVEL_FULL);
  g_assert_cmpint (zs_live_model_get_node (fx.model, PUSH_NODE)->state, ==, ZS_NODE_STATE_BLOCKED);

  /* a receiver, or a PUB (it drops), is never shown as a blocked sender */
  fx.snapshot->nodes[PUSH_NODE].state = ZS_NODE_STATE_RUNNING;
  fx.snapshot->nodes[PULL_NODE].state = ZS_NODE_STATE_BLOCKED;
  fx.snapshot->nodes[PUB_NODE].state = ZS_NODE_STATE_BLOCKED;
  frame (&fx, FRAME_US);
  g_assert_false (live_link (&fx, PUSH_LINK)->blocked);
  g_assert_false (live_link (&fx, PUB_LINK)->blocked);
  fixture_clear (&fx);
}

static void
test_blocked_req (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsSnapshot) snapshot = NULL;
  ZsTopology *topology;
  ZsLiveModel *model;
  guint client;

  if (g_getenv ("ZS_EXAMPLES_DIR") == NULL)
    {
      g_test_skip ("ZS_EXAMPLES_DIR not set");
      return;
    }
  path = g_build_filename (g_getenv ("ZS_EXAMPLES_DIR"), "1-hello-world.json", NULL);
  topology = zs_topology_load_from_file (path, &error);
  g_assert_no_error (error);
  model = zs_live_model_new (topology);
  g_assert_cmpuint (zs_live_model_get_n_links (model), ==, 1);
  g_assert_cmpuint (zs_live_model_get_n_nodes (model), ==, 2);
  client = (guint) zs_topology_find_node_index (topology, zs_topology_find_node (topology, "client"));

  snapshot = zs_snapshot_new (2, 1);
  snapshot->time_us = START_US;
  zs_live_model_update (model, snapshot);
  snapshot->nodes[client].state = ZS_NODE_STATE_BLOCKED;
  snapshot->nodes[1 - client].state = ZS_NODE_STATE_ERROR;
  snapshot->nodes[1 - client].error = g_strdup ("Address already in use");
  snapshot->time_us += FRAME_US;
  zs_live_model_update (model, snapshot);
  g_assert_true (zs_live_model_get_link (model, 0)->blocked);
  g_assert_cmpstr (zs_live_model_get_node (model, 1 - client)->error, ==, "Address already in use");
  g_assert_null (zs_live_model_get_node (model, client)->error);

  g_assert_finalize_object (model);
  g_assert_finalize_object (topology);
}

static void
test_events (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  fx.snapshot->links[PUSH_LINK].state = ZS_LINK_STATE_WAITING;
  frame (&fx, FRAME_US);
  g_assert_true (live_link (&fx, PUSH_LINK)->waiting);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->event_flash, ==, 0);

  fx.snapshot->links[PUSH_LINK].state = ZS_LINK_STATE_CONNECTED;
  fx.snapshot->links[PUSH_LINK].connects = 1;
  fx.snapshot->links[PUSH_LINK].last_event = ZS_LINK_EVENT_CONNECTED;
  frame (&fx, FRAME_US);
  g_assert_false (live_link (&fx, PUSH_LINK)->waiting);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->event_flash, ==, 1);
  g_assert_cmpint (live_link (&fx, PUSH_LINK)->last_event, ==, ZS_LINK_EVENT_CONNECTED);
  g_assert_false (zs_live_model_link_is_at_rest (fx.model, PUSH_LINK));
  flow (&fx, PUSH_LINK, 0, 0.5, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->event_flash, >, 0.3);
  flow (&fx, PUSH_LINK, 0, 0.55, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->event_flash, ==, 0);

  fx.snapshot->links[PUSH_LINK].retries = 1;
  frame (&fx, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->event_flash, ==, 1);
  fixture_clear (&fx);
}

static void
test_multipart (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  for (guint f = 0; f < 300; f++)
    {
      deliver (&fx, PUSH_LINK, 4);
      fx.snapshot->links[PUSH_LINK].multipart += 1;
      frame (&fx, FRAME_US);
    }
  g_assert_cmpfloat_with_epsilon (live_link (&fx, PUSH_LINK)->multipart_share, 0.25, 0.01);
  fixture_clear (&fx);
}

static void
test_sparkline_wraps (void)
{
  Fixture fx = { 0 };
  float values[100];
  double max = 0;
  guint n;

  fixture_init (&fx);
  g_assert_cmpuint (zs_live_model_get_node_sparkline (fx.model, PUSH_NODE, values, 100, &max), ==, 0);
  flow (&fx, PUSH_LINK, 500, 10.0, FRAME_US);
  flow (&fx, PUSH_LINK, 2000, 10.0, FRAME_US);
  n = zs_live_model_get_node_sparkline (fx.model, PUSH_NODE, values, G_N_ELEMENTS (values), &max);
  g_assert_cmpuint (n, ==, ZS_LIVE_SPARKLINE_LENGTH);
  g_assert_cmpfloat_with_epsilon (max, 2000, 40);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (values[i], >=, 0);
      g_assert_cmpfloat (values[i], <=, 1);
    }
  /* 15 s back: the end of the 500 msg/s stretch, then the climb */
  g_assert_cmpfloat_with_epsilon (values[0], 0.25, 0.02);
  g_assert_cmpfloat_with_epsilon (values[n - 1], 1, 0.001);
  g_assert_cmpuint (zs_live_model_get_node_sparkline (fx.model, PUSH_NODE, values, 4, NULL), ==, 4);
  g_assert_cmpfloat_with_epsilon (values[3], 1, 0.001);

  flow (&fx, PUSH_LINK, 0, 20.0, FRAME_US);
  n = zs_live_model_get_node_sparkline (fx.model, PUSH_NODE, values, G_N_ELEMENTS (values), &max);
  g_assert_cmpuint (n, ==, ZS_LIVE_SPARKLINE_LENGTH);
  g_assert_cmpfloat (max, ==, 0);
  for (guint i = 0; i < n; i++)
    g_assert_cmpfloat (values[i], ==, 0);
  fixture_clear (&fx);
}

static void
check_history (const ZsLiveSample *samples,
               guint               n,
               gint64              now_us)
{
  g_assert_cmpuint (n, ==, ZS_LIVE_HISTORY_LENGTH);
  g_assert_cmpint (samples[n - 1].time_us, >, now_us - 250000);
  g_assert_cmpint (samples[0].time_us, >=, now_us - 300 * G_USEC_PER_SEC - 500000);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (samples[i].time_us - samples[i - 1].time_us, ==, 250000);
}

static void
test_history_wraps (void)
{
  Fixture fx = { 0 };
  g_autofree ZsLiveSample *samples = g_new0 (ZsLiveSample, 5000);
  guint n;

  fixture_init (&fx);
  /* 6 minutes at 20 frames/s, the flow stepping up every minute */
  for (guint minute = 1; minute <= 6; minute++)
    flow (&fx, PUSH_LINK, 100.0 * minute, 60.0, 50000);
  fx.snapshot->links[PUSH_LINK].in_flight = 42;
  flow (&fx, PUSH_LINK, 600, 1.0, 50000);

  n = zs_live_model_get_link_history (fx.model, PUSH_LINK, samples, 5000);
  check_history (samples, n, fx.snapshot->time_us);
  g_assert_cmpfloat_with_epsilon (samples[n - 1].rate, 600, 12);
  g_assert_cmpuint (samples[n - 1].in_flight, ==, 42);
  n = zs_live_model_get_node_history (fx.model, PUSH_NODE, samples, 5000);
  check_history (samples, n, fx.snapshot->time_us);
  g_assert_cmpuint (samples[n - 1].in_flight, ==, 42);
  n = zs_live_model_get_node_history (fx.model, PULL_NODE, samples, 5000);
  g_assert_cmpuint (samples[n - 1].in_flight, ==, 0);   /* PULL sends nothing */

  g_assert_cmpuint (zs_live_model_get_link_history (fx.model, PUB_LINK, samples, 10), ==, 10);
  g_assert_cmpfloat (samples[9].rate, ==, 0);
  fixture_clear (&fx);
}

static void
check_rate_between (Fixture *fx,
                    double   low,
                    double   high)
{
  double rate = live_link (fx, PUSH_LINK)->rate;

  g_assert_false (isnan (rate));
  g_assert_cmpfloat (rate, >=, low);
  g_assert_cmpfloat (rate, <=, high);
  g_assert_cmpfloat (live_link (fx, PUSH_LINK)->phase, <, 1);
}

static void
irregular_frames (Fixture *fx,
                  double   rate,
                  double   low,
                  double   high)
{
  static const gint64 intervals[] = { 5000, 5000, 100000, 16667, 5000, 2000000, 33000 };

  flow (fx, PUSH_LINK, rate, 3.0, FRAME_US);
  for (guint round = 0; round < 20; round++)
    for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
      {
        flow (fx, PUSH_LINK, rate, intervals[i] / 1e6, intervals[i]);
        check_rate_between (fx, low, high);
      }
}

static void
test_irregular_frames (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  irregular_frames (&fx, 1000, 980, 1020);
  irregular_frames (&fx, 50, 35, 65);
  irregular_frames (&fx, 1e6, 0.98e6, 1.02e6);

  /* a repeated snapshot, and one from the past, change nothing */
  frame (&fx, 0);
  check_rate_between (&fx, 0.98e6, 1.02e6);
  frame (&fx, -5000);
  check_rate_between (&fx, 0.98e6, 1.02e6);
  fixture_clear (&fx);
}

static void
test_reset (void)
{
  Fixture fx = { 0 };
  ZsLiveSample samples[4];

  fixture_init (&fx);
  flow (&fx, PUSH_LINK, 1000, 2.0, FRAME_US);
  zs_live_model_reset (fx.model);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate, ==, 0);
  g_assert_cmpuint (zs_live_model_get_link_history (fx.model, PUSH_LINK, samples, 4), ==, 0);

  /* a new run: counters from 0 again; the first snapshot only primes */
  memset (fx.snapshot->links, 0, 2 * sizeof (ZsLinkStats));
  memset (fx.snapshot->nodes, 0, 4 * sizeof (ZsNodeStats));
  deliver (&fx, PUSH_LINK, 5000);
  frame (&fx, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate, ==, 0);
  flow (&fx, PUSH_LINK, 1000, 3.0, FRAME_US);
  g_assert_cmpfloat_with_epsilon (live_link (&fx, PUSH_LINK)->rate, 1000, 20);

  /* counters going backwards are not negative rates */
  fx.snapshot->links[PUSH_LINK].received = 0;
  frame (&fx, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate, >=, 0);
  fixture_clear (&fx);
}

/* 25 messages in the first 1.3 s of a link read as about 19 msg/s, not as
 * 25 over a 5 s window (5 msg/s). */
static void
test_rate_since_start (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  flow (&fx, PUSH_LINK, 25 / 1.3, 1.3, FRAME_US);
  g_assert_cmpuint (fx.snapshot->links[PUSH_LINK].received, >=, 24);
  g_assert_cmpfloat_with_epsilon (live_link (&fx, PUSH_LINK)->rate_recent, 25 / 1.3, 2.5);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate_shown, ==, live_link (&fx, PUSH_LINK)->rate_recent);
  fixture_clear (&fx);
}

/* A steady 10 msg/s reads as about 10 from its first half second on, on
 * the label and in the charts' history alike. */
static void
test_rate_first_seconds (void)
{
  Fixture fx = { 0 };
  ZsLiveSample samples[64];
  guint n;

  fixture_init (&fx);
  flow (&fx, PUSH_LINK, 0, 2.0, FRAME_US);   /* the link is up, nothing sent yet */
  for (guint i = 0; i < 8; i++)
    {
      flow (&fx, PUSH_LINK, 10, 0.5, FRAME_US);
      g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate_shown, >=, 8.5);
      g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate_shown, <=, 13.0);
    }
  n = zs_live_model_get_link_history (fx.model, PUSH_LINK, samples, G_N_ELEMENTS (samples));
  g_assert_cmpuint (n, ==, 24);   /* 6 s at 4 Hz */
  /* The samples of the last 3.5 s: the traffic began 4 s ago. */
  for (guint i = n - 14; i < n; i++)
    {
      g_assert_cmpfloat (samples[i].rate, >=, 8.5);
      g_assert_cmpfloat (samples[i].rate, <=, 13.0);
    }
  fixture_clear (&fx);
}

/* Fast: the label is never a fraction of the rate while the smoothing
 * catches up. */
static void
test_rate_fast_start (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  for (guint i = 0; i < 12; i++)
    {
      flow (&fx, PUSH_LINK, 5000, 0.5, FRAME_US);
      g_assert_cmpfloat_with_epsilon (live_link (&fx, PUSH_LINK)->rate_shown, 5000, 500);
    }
  fixture_clear (&fx);
}

/* A recording's clock starts at 0 (a replay, a scrub): traffic from its
 * second frame on reads as the same rate as on the engine's clock, not
 * twice it while the first seconds fill the window. */
static void
test_rate_replay_clock (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  zs_live_model_reset (fx.model);
  fx.snapshot->time_us = 0;
  zs_live_model_update (fx.model, fx.snapshot);
  for (guint i = 0; i < 20; i++)
    {
      flow (&fx, PUSH_LINK, 100, 0.25, G_USEC_PER_SEC / 4);
      g_assert_cmpfloat_with_epsilon (live_link (&fx, PUSH_LINK)->rate_shown, 100, 1);
    }
  fixture_clear (&fx);
}

/* Traffic that resumes after a silence is measured from where it resumed. */
static void
test_rate_after_silence (void)
{
  Fixture fx = { 0 };

  fixture_init (&fx);
  flow (&fx, PUSH_LINK, 50, 2.0, FRAME_US);
  flow (&fx, PUSH_LINK, 0, 20.0, FRAME_US);
  g_assert_cmpfloat (live_link (&fx, PUSH_LINK)->rate_shown, ==, 0);
  flow (&fx, PUSH_LINK, 25 / 1.3, 1.3, FRAME_US);
  g_assert_cmpfloat_with_epsilon (live_link (&fx, PUSH_LINK)->rate_shown, 25 / 1.3, 2.5);
  fixture_clear (&fx);
}

/* Once the run is over nothing moves, at once: no rate frozen on screen.
 * The counters stay. */
static void
test_halt (void)
{
  Fixture fx = { 0 };
  const ZsLiveLink *push, *pub;

  fixture_init (&fx);
  flow (&fx, PUSH_LINK, 1000, 2.0, FRAME_US);
  flow (&fx, PUB_LINK, 10, 2.0, FRAME_US);
  fx.snapshot->links[PUB_LINK].dropped = 3;
  fx.snapshot->links[PUB_LINK].unread = 5;
  frame (&fx, FRAME_US);
  pub = live_link (&fx, PUB_LINK);
  push = live_link (&fx, PUSH_LINK);
  g_assert_cmpfloat (pub->rate_shown, >, 0);
  g_assert_cmpuint (pub->n_dots, >, 0);

  fx.snapshot->running = FALSE;
  frame (&fx, FRAME_US);
  for (guint l = 0; l < 2; l++)
    {
      const ZsLiveLink *live = live_link (&fx, l);

      g_assert_cmpfloat (live->rate, ==, 0);
      g_assert_cmpfloat (live->rate_recent, ==, 0);
      g_assert_cmpfloat (live->rate_shown, ==, 0);
      g_assert_cmpuint (live->n_dots, ==, 0);
      g_assert_cmpfloat (live->drop_burst, ==, 0);
    }
  g_assert_cmpuint (push->drops_total, ==, 0);
  g_assert_cmpuint (pub->drops_total, ==, 3);
  g_assert_cmpfloat (zs_live_model_get_node (fx.model, PUSH_NODE)->rate, ==, 0);
  g_assert_true (zs_live_model_is_at_rest (fx.model));
  fixture_clear (&fx);
}

static void
set_node_states (ZsSnapshot  *snapshot,
                 ZsNodeState  state)
{
  for (guint n = 0; n < snapshot->n_nodes; n++)
    snapshot->nodes[n].state = state;
}

static void
assert_node_states (ZsLiveModel       *model,
                    const ZsNodeState *states)
{
  for (guint n = 0; n < zs_live_model_get_n_nodes (model); n++)
    g_assert_cmpstr (zs_node_state_to_string (zs_live_model_get_node (model, n)->state), ==,
                     zs_node_state_to_string (states[n]));
}

/* A finished run: the client reached its end; the server and the
 * subscriber without a count, still there to receive, are idle; the
 * publisher without a count was stopped; whether the engine still runs or
 * was stopped. A run stopped by the user before the end says "stopped". */
static void
test_finished_states (void)
{
  enum { SERVER, CLIENT, PUB, SUB };
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsLiveModel) model = NULL;
  g_autoptr(ZsSnapshot) snapshot = zs_snapshot_new (4, 2);

  zs_test_add_node (topology, "server", ZS_ROLE_SERVER, ZS_SOCKET_REP, "inproc://hello", NULL);
  zs_test_add_node (topology, "client", ZS_ROLE_CLIENT, ZS_SOCKET_REQ, NULL, "inproc://hello");
  zs_test_add_node (topology, "pub", ZS_ROLE_SOCKET, ZS_SOCKET_PUB, "inproc://news", NULL);
  zs_test_add_node (topology, "sub", ZS_ROLE_SOCKET, ZS_SOCKET_SUB, NULL, "inproc://news");
  g_object_set (zs_topology_get_node (topology, CLIENT), "count", 10, NULL);
  model = zs_live_model_new (topology);
  snapshot->time_us = START_US;
  snapshot->running = TRUE;
  set_node_states (snapshot, ZS_NODE_STATE_RUNNING);
  zs_live_model_update (model, snapshot);
  assert_node_states (model, (ZsNodeState[]) { ZS_NODE_STATE_RUNNING, ZS_NODE_STATE_RUNNING,
                                               ZS_NODE_STATE_RUNNING, ZS_NODE_STATE_RUNNING });

  snapshot->time_us += FRAME_US;
  snapshot->nodes[CLIENT].state = ZS_NODE_STATE_DONE;
  snapshot->finished = TRUE;
  zs_live_model_update (model, snapshot);
  assert_node_states (model, (ZsNodeState[]) { ZS_NODE_STATE_IDLE, ZS_NODE_STATE_DONE,
                                               ZS_NODE_STATE_RUNNING, ZS_NODE_STATE_IDLE });

  snapshot->time_us += FRAME_US;
  snapshot->running = FALSE;
  set_node_states (snapshot, ZS_NODE_STATE_STOPPED);
  snapshot->nodes[CLIENT].state = ZS_NODE_STATE_DONE;
  zs_live_model_update (model, snapshot);
  assert_node_states (model, (ZsNodeState[]) { ZS_NODE_STATE_IDLE, ZS_NODE_STATE_DONE,
                                               ZS_NODE_STATE_STOPPED, ZS_NODE_STATE_IDLE });

  snapshot->finished = FALSE;
  snapshot->nodes[CLIENT].state = ZS_NODE_STATE_STOPPED;
  zs_live_model_update (model, snapshot);
  assert_node_states (model, (ZsNodeState[]) { ZS_NODE_STATE_STOPPED, ZS_NODE_STATE_STOPPED,
                                               ZS_NODE_STATE_STOPPED, ZS_NODE_STATE_STOPPED });
}

/* Per direction: a DEALER (connects) <-> ROUTER (binds) link carries
 * requests one way and replies the other; a PUSH (binds) -> PULL
 * (connects) link only binding -> connecting. */
enum { ROUTER_NODE, DEALER_NODE, TWO_WAY_PUSH_NODE, TWO_WAY_PULL_NODE };
enum { TWO_WAY_LINK, ONE_WAY_LINK };

static ZsLiveModel *
two_way_model (ZsTopology **topology,
               ZsSnapshot **snapshot)
{
  ZsLiveModel *model;
  ZsLink *link;

  *topology = zs_topology_new ();
  zs_test_add_node (*topology, "router", ZS_ROLE_SOCKET, ZS_SOCKET_ROUTER, "inproc://rr", NULL);
  zs_test_add_node (*topology, "dealer", ZS_ROLE_SOCKET, ZS_SOCKET_DEALER, NULL, "inproc://rr");
  zs_test_add_node (*topology, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, "inproc://one", NULL);
  zs_test_add_node (*topology, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, "inproc://one");
  link = g_ptr_array_index (zs_topology_get_links (*topology), TWO_WAY_LINK);
  g_assert_cmpuint (link->connect_node, ==, DEALER_NODE);
  link = g_ptr_array_index (zs_topology_get_links (*topology), ONE_WAY_LINK);
  g_assert_cmpuint (link->bind_node, ==, TWO_WAY_PUSH_NODE);

  model = zs_live_model_new (*topology);
  *snapshot = zs_snapshot_new (4, 2);
  (*snapshot)->time_us = START_US;
  (*snapshot)->running = TRUE;
  for (guint l = 0; l < 2; l++)
    for (guint d = 0; d < 2; d++)
      (*snapshot)->links[l].flow[d].present = l == TWO_WAY_LINK || d == 1;
  zs_live_model_update (model, *snapshot);   /* primes */
  return model;
}

/* n messages delivered on one direction of a link: both its figures and
 * the link's sums move, as in a snapshot the engine fills. */
static void
deliver_flow (ZsSnapshot *snapshot,
              guint       link,
              guint       dir,
              guint64     n)
{
  ZsLinkStats *stats = &snapshot->links[link];

  stats->flow[dir].sent += n;
  stats->flow[dir].received += n;
  stats->sent += n;
  stats->received += n;
}

static void
next_frame (ZsLiveModel *model,
            ZsSnapshot  *snapshot)
{
  snapshot->time_us += FRAME_US;
  zs_live_model_update (model, snapshot);
}

static void
test_per_direction_rates (void)
{
  g_autoptr(ZsTopology) topology = NULL;
  g_autoptr(ZsSnapshot) snapshot = NULL;
  ZsLiveModel *model = two_way_model (&topology, &snapshot);
  const ZsLiveLink *two_way = zs_live_model_get_link (model, TWO_WAY_LINK);
  const ZsLiveLink *one_way = zs_live_model_get_link (model, ONE_WAY_LINK);
  double carry[2] = { 0, 0 };
  const double rates[2] = { 200, 50 };

  /* Before any traffic: which ways each link goes, nothing carried yet. */
  g_assert_true (two_way->flow[0].present && two_way->flow[1].present);
  g_assert_false (one_way->flow[0].present);
  g_assert_true (one_way->flow[1].present);
  g_assert_cmpuint (one_way->main_flow, ==, 1);
  g_assert_false (two_way->flow[0].carried || two_way->flow[1].carried);

  /* 200 msg/s dealer -> router, 50 msg/s back, for 3 s at 60 Hz. */
  for (guint f = 0; f < 180; f++)
    {
      for (guint d = 0; d < 2; d++)
        {
          guint64 n;

          carry[d] += rates[d] * FRAME_US / G_USEC_PER_SEC;
          n = (guint64) carry[d];
          carry[d] -= n;
          deliver_flow (snapshot, TWO_WAY_LINK, d, n);
        }
      next_frame (model, snapshot);
    }
  g_assert_cmpfloat_with_epsilon (two_way->flow[0].rate, 200, 5);
  g_assert_cmpfloat_with_epsilon (two_way->flow[1].rate, 50, 2);
  g_assert_cmpfloat_with_epsilon (two_way->rate, 250, 6);
  g_assert_true (two_way->flow[0].carried && two_way->flow[1].carried);
  g_assert_cmpuint (two_way->main_flow, ==, 0);
  g_assert_cmpuint (two_way->flow[0].received, ==, snapshot->links[TWO_WAY_LINK].flow[0].received);
  g_assert_cmpfloat (one_way->flow[1].rate, ==, 0);

  /* The run is over: nothing moves, either way. */
  snapshot->running = FALSE;
  zs_live_model_update (model, snapshot);
  g_assert_cmpfloat (two_way->flow[0].rate, ==, 0);
  g_assert_cmpfloat (two_way->flow[1].rate, ==, 0);

  /* A new run: the directions are still known, nothing carried yet. */
  zs_live_model_reset (model);
  g_assert_true (two_way->flow[0].present && two_way->flow[1].present);
  g_assert_false (two_way->flow[0].carried || two_way->flow[1].carried);
  g_assert_cmpuint (one_way->main_flow, ==, 1);
  g_assert_finalize_object (model);
}

/* Slow mode: each dot travels the way its message went. */
static void
test_per_direction_dots (void)
{
  g_autoptr(ZsTopology) topology = NULL;
  g_autoptr(ZsSnapshot) snapshot = NULL;
  ZsLiveModel *model = two_way_model (&topology, &snapshot);
  const guint8 *dirs;
  guint n_dots, counts[2] = { 0, 0 };

  deliver_flow (snapshot, TWO_WAY_LINK, 0, 3);
  deliver_flow (snapshot, TWO_WAY_LINK, 1, 1);
  next_frame (model, snapshot);
  zs_live_model_get_link_dots (model, TWO_WAY_LINK, &n_dots);
  dirs = zs_live_model_get_link_dot_flows (model, TWO_WAY_LINK);
  g_assert_cmpuint (n_dots, ==, 4);
  for (guint i = 0; i < n_dots; i++)
    counts[dirs[i]]++;
  g_assert_cmpuint (counts[0], ==, 3);
  g_assert_cmpuint (counts[1], ==, 1);

  /* Replies only: the new dots go back, binding -> connecting. */
  deliver_flow (snapshot, TWO_WAY_LINK, 1, 2);
  next_frame (model, snapshot);
  zs_live_model_get_link_dots (model, TWO_WAY_LINK, &n_dots);
  dirs = zs_live_model_get_link_dot_flows (model, TWO_WAY_LINK);
  g_assert_cmpuint (n_dots, ==, 6);
  g_assert_cmpuint (dirs[4], ==, 1);
  g_assert_cmpuint (dirs[5], ==, 1);
  g_assert_cmpuint (zs_live_model_get_link (model, TWO_WAY_LINK)->main_flow, ==, 0);

  /* More went back than forth: the main flow turns. */
  deliver_flow (snapshot, TWO_WAY_LINK, 1, 2);
  next_frame (model, snapshot);
  g_assert_cmpuint (zs_live_model_get_link (model, TWO_WAY_LINK)->main_flow, ==, 1);
  g_assert_finalize_object (model);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/live-model/steady-rate", test_steady_rate);
  g_test_add_func ("/zmqscope/live-model/stop", test_stop);
  g_test_add_func ("/zmqscope/live-model/rate-recent", test_rate_recent);
  g_test_add_func ("/zmqscope/live-model/rate-since-start", test_rate_since_start);
  g_test_add_func ("/zmqscope/live-model/rate-first-seconds", test_rate_first_seconds);
  g_test_add_func ("/zmqscope/live-model/rate-fast-start", test_rate_fast_start);
  g_test_add_func ("/zmqscope/live-model/rate-after-silence", test_rate_after_silence);
  g_test_add_func ("/zmqscope/live-model/rate-replay-clock", test_rate_replay_clock);
  g_test_add_func ("/zmqscope/live-model/halt", test_halt);
  g_test_add_func ("/zmqscope/live-model/finished-states", test_finished_states);
  g_test_add_func ("/zmqscope/live-model/rate-log", test_rate_log);
  g_test_add_func ("/zmqscope/live-model/slow-dots", test_slow_dots);
  g_test_add_func ("/zmqscope/live-model/fast-dots", test_fast_dots);
  g_test_add_func ("/zmqscope/live-model/fill", test_fill);
  g_test_add_func ("/zmqscope/live-model/drops", test_drops);
  g_test_add_func ("/zmqscope/live-model/blocked", test_blocked);
  g_test_add_func ("/zmqscope/live-model/blocked-req", test_blocked_req);
  g_test_add_func ("/zmqscope/live-model/events", test_events);
  g_test_add_func ("/zmqscope/live-model/multipart", test_multipart);
  g_test_add_func ("/zmqscope/live-model/sparkline-wraps", test_sparkline_wraps);
  g_test_add_func ("/zmqscope/live-model/history-wraps", test_history_wraps);
  g_test_add_func ("/zmqscope/live-model/irregular-frames", test_irregular_frames);
  g_test_add_func ("/zmqscope/live-model/reset", test_reset);
  g_test_add_func ("/zmqscope/live-model/per-direction-rates", test_per_direction_rates);
  g_test_add_func ("/zmqscope/live-model/per-direction-dots", test_per_direction_dots);

  return g_test_run ();
}
