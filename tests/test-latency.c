/* test-latency.c: each link's delivery time, from send to receive
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>

#include "zs-latency.h"
#include "zs-test-util.h"

/* Buckets grow with the delay, a quarter octave each: a percentile read
 * back is within 13 % of the delays that went in. */
static void
test_buckets (void)
{
  const guint64 delays_ns[] = { 80, 1000, 12345, 999999, 5000000, 3000000000 };

  for (guint64 ns = 64, last = 0; ns < G_GUINT64_CONSTANT (1) << 40; ns = ns * 9 / 8 + 1)
    {
      guint bucket = zs_latency_bucket (ns);

      g_assert_cmpuint (bucket, >=, last);
      last = bucket;
    }
  for (guint i = 0; i < G_N_ELEMENTS (delays_ns); i++)
    {
      ZsLatencySum sum = { 0 };
      double us = delays_ns[i] / 1000.0;

      sum.buckets[zs_latency_bucket (delays_ns[i])] = 7;
      sum.samples = 7;
      g_assert_cmpfloat (fabs (zs_latency_sum_percentile (&sum, 0.5) - us), <=, 0.13 * us);
      g_assert_cmpfloat (fabs (zs_latency_sum_percentile (&sum, 0.99) - us), <=, 0.13 * us);
    }
}

/* p50 of 90 fast and 10 slow samples is fast; p99 is slow. */
static void
test_percentiles (void)
{
  ZsLatencySum sum = { 0 };

  sum.buckets[zs_latency_bucket (2000)] = 90;
  sum.buckets[zs_latency_bucket (900000)] = 10;
  sum.samples = 100;
  g_assert_cmpfloat (fabs (zs_latency_sum_percentile (&sum, 0.5) - 2.0), <=, 0.26);
  g_assert_cmpfloat (fabs (zs_latency_sum_percentile (&sum, 0.99) - 900.0), <=, 117);
  memset (&sum, 0, sizeof sum);
  g_assert_cmpfloat (zs_latency_sum_percentile (&sum, 0.5), ==, 0);
}

static void
assert_latency_sane (const ZsLatencyStats *latency,
                     double                run_us)
{
  g_assert_cmpuint (latency->samples, >, 0);
  g_assert_cmpfloat (latency->p50_us, >, 0);
  g_assert_cmpfloat (latency->p50_us, <=, latency->p99_us);
  g_assert_cmpfloat (latency->p99_us, <, run_us * 1.13);
}

/* Hello world: ten requests and ten replies, all timed (the first 16 of
 * a sequence always are), each direction apart. The server's work (10 ms
 * here, not the example's 1 s) is between a request's receive and its
 * reply's send: in neither delivery time. */
static void
test_hello_world (void)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("1-hello-world.json");
  g_autoptr(ZsSnapshot) s = NULL;
  double run_us;

  g_object_set (zs_topology_find_node (topology, "server"), "work-ms", 10, NULL);
  s = zs_test_run (topology, 30000, NULL);
  run_us = s->time_us - s->run_started_us;

  g_assert_cmpuint (s->n_links, ==, 1);
  for (guint d = 0; d < 2; d++)
    {
      const ZsLinkFlow *flow = &s->links[0].flow[d];

      g_assert_cmpuint (flow->received, ==, 10);
      g_assert_cmpuint (flow->latency.samples, ==, 10);
      assert_latency_sane (&flow->latency, run_us);
      g_assert_cmpint (flow->first_received_us, >=, s->run_started_us);
      g_assert_cmpint (flow->first_received_us, <=, s->time_us);
    }
  /* The reply comes after the request it answers. */
  g_assert_cmpint (s->links[0].flow[1].first_received_us, >, s->links[0].flow[0].first_received_us);
  g_assert_cmpuint (s->latency.samples, ==, 20);
  g_assert_cmpfloat (s->links[0].flow[1].latency.p50_us, <, 10000);
}

/* The pipeline over tcp: thousands of tasks, sampled one in 16 after the
 * first 16, on every link that carried messages; the run's figure adds
 * up every link's samples. */
static void
test_pipeline (void)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example ("3-parallel-pipeline.json");
  g_autoptr(ZsSnapshot) s = zs_test_run (topology, 60000, NULL);
  double run_us = s->time_us - s->run_started_us;
  guint64 samples = 0;

  for (guint l = 0; l < s->n_links; l++)
    for (guint d = 0; d < 2; d++)
      {
        const ZsLinkFlow *flow = &s->links[l].flow[d];

        samples += flow->latency.samples;
        if (flow->received == 0)
          continue;
        assert_latency_sane (&flow->latency, run_us);
        g_assert_cmpuint (flow->latency.samples, <=, flow->received);
        g_assert_cmpuint (flow->latency.samples, <=, MIN (flow->received, ZS_LATENCY_FIRST) +
                                                     flow->received / ZS_LATENCY_EVERY);
      }
  g_assert_cmpuint (s->latency.samples, ==, samples);
  assert_latency_sane (&s->latency, run_us);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/latency/buckets", test_buckets);
  g_test_add_func ("/zmqscope/latency/percentiles", test_percentiles);
  g_test_add_func ("/zmqscope/latency/hello-world", test_hello_world);
  g_test_add_func ("/zmqscope/latency/pipeline", test_pipeline);
  return g_test_run ();
}
