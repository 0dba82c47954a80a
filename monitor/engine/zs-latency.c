/* zs-latency.c: each link's delivery time, from send to receive, sampled
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-latency"

#include "config.h"

#include <math.h>

#include "zs-latency.h"

/* Bucket 0: below 64 ns; then four buckets per octave. */
#define FIRST_OCTAVE 6

guint
zs_latency_bucket (guint64 ns)
{
  guint octave, quarter;

  if (ns < (G_GUINT64_CONSTANT (1) << FIRST_OCTAVE))
    return 0;
  octave = 63 - __builtin_clzll (ns);
  quarter = (guint) (ns >> (octave - 2)) & 3;
  return MIN (1 + (octave - FIRST_OCTAVE) * 4 + quarter, ZS_LATENCY_BUCKETS - 1);
}

/* The bucket's bounds in ns: [low, high). */
static void
bucket_bounds (guint   bucket,
               double *low,
               double *high)
{
  guint octave = FIRST_OCTAVE + (bucket - 1) / 4;
  guint quarter = (bucket - 1) % 4;

  if (bucket == 0)
    {
      *low = 0;
      *high = 1 << FIRST_OCTAVE;
      return;
    }
  *low = ldexp (4 + quarter, (int) octave - 2);
  *high = ldexp (5 + quarter, (int) octave - 2);
}

void
zs_latency_record (ZsLatencyStamps    *stamps,
                   guint64             seq,
                   ZsLatencyHistogram *histogram)
{
  ZsLatencyStamp *slot = zs_latency_slot (stamps, seq);
  guint64 sent_ns, now_ns;

  /* 0 is no sequence (a message its sender counted on no link), and an
   * empty slot's. */
  if (seq == 0 || zs_counter_get (&slot->seq) != seq)
    return;
  sent_ns = zs_counter_get (&slot->sent_ns);
  /* Overwritten meanwhile by a later message: no sample. */
  if (zs_counter_get (&slot->seq) != seq)
    return;
  now_ns = zs_latency_now_ns ();
  zs_counter_add (&histogram->buckets[zs_latency_bucket (now_ns > sent_ns ? now_ns - sent_ns : 0)], 1);
  zs_counter_add (&histogram->samples, 1);
}

void
zs_latency_sum_add (ZsLatencySum       *sum,
                    ZsLatencyHistogram *histogram)
{
  sum->samples += zs_counter_get (&histogram->samples);
  for (guint b = 0; b < ZS_LATENCY_BUCKETS; b++)
    sum->buckets[b] += zs_counter_get (&histogram->buckets[b]);
}

double
zs_latency_sum_percentile (const ZsLatencySum *sum,
                           double              p)
{
  guint64 total = 0, seen = 0, rank;

  for (guint b = 0; b < ZS_LATENCY_BUCKETS; b++)
    total += sum->buckets[b];
  if (total == 0)
    return 0;
  rank = (guint64) ceil (p * total);
  for (guint b = 0; b < ZS_LATENCY_BUCKETS; b++)
    {
      seen += sum->buckets[b];
      if (seen >= MAX (rank, 1))
        {
          double low, high;

          bucket_bounds (b, &low, &high);
          return (low + high) / 2 / 1000.0;
        }
    }
  return 0;
}
