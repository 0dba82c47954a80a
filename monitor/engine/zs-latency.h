/* zs-latency.h: each link's delivery time, from send to receive, sampled
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every node of a run shares one process, so no trailer byte carries a
 * time: the sender keeps the send time of a sampled message in a small
 * ring under its sequence number, and the receiver of that sequence looks
 * it up and counts the delay in a histogram. Sampled: the first
 * ZS_LATENCY_FIRST messages of each sequence and every ZS_LATENCY_EVERY-th
 * after, so a busy link pays a clock read on one message in 16. A stamp
 * overwritten before its message arrives (more than the ring holds in
 * flight) is no sample, never a wrong one. The histogram's buckets are a
 * quarter of an octave wide: a percentile is known within 13 %. */
#pragma once

#include <time.h>

#include "zs-telemetry.h"

G_BEGIN_DECLS

#define ZS_LATENCY_FIRST   16
#define ZS_LATENCY_EVERY   16
#define ZS_LATENCY_SLOTS   512   /* a power of two */
#define ZS_LATENCY_BUCKETS 128

/* Written by the sending thread, read by the receiving one. */
typedef struct {
  ZsCounter seq;
  ZsCounter sent_ns;
} ZsLatencyStamp;

struct _ZsLatencyStamps {
  alignas (ZS_CACHELINE) ZsLatencyStamp slots[ZS_LATENCY_SLOTS];
};

/* Written by the receiving thread. */
struct _ZsLatencyHistogram {
  alignas (ZS_CACHELINE) ZsCounter samples;
  ZsCounter buckets[ZS_LATENCY_BUCKETS];
};

static inline gboolean
zs_latency_sampled (guint64 seq)
{
  return seq <= ZS_LATENCY_FIRST || seq % ZS_LATENCY_EVERY == 0;
}

static inline guint64
zs_latency_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (guint64) ts.tv_sec * G_GUINT64_CONSTANT (1000000000) + (guint64) ts.tv_nsec;
}

static inline ZsLatencyStamp *
zs_latency_slot (ZsLatencyStamps *stamps,
                 guint64          seq)
{
  guint64 index = seq <= ZS_LATENCY_FIRST ? seq : ZS_LATENCY_FIRST + seq / ZS_LATENCY_EVERY;

  return &stamps->slots[index & (ZS_LATENCY_SLOTS - 1)];
}

/* The sender, before the message leaves. The time first, then the
 * sequence that makes it valid. */
static inline void
zs_latency_stamp (ZsLatencyStamps *stamps,
                  guint64          seq,
                  guint64          now_ns)
{
  ZsLatencyStamp *slot = zs_latency_slot (stamps, seq);

  zs_counter_set (&slot->seq, 0);
  zs_counter_set (&slot->sent_ns, now_ns);
  zs_counter_set (&slot->seq, seq);
}

guint    zs_latency_bucket        (guint64                   ns);
/* The receiver, for a sampled sequence it took. */
void     zs_latency_record        (ZsLatencyStamps          *stamps,
                                   guint64                   seq,
                                   ZsLatencyHistogram       *histogram);
/* Percentiles (0 < p < 1) of one or more histograms added up, in µs:
 * the middle of the bucket the percentile falls in; 0 without samples. */
typedef struct {
  guint64 samples;
  guint64 buckets[ZS_LATENCY_BUCKETS];
} ZsLatencySum;

void     zs_latency_sum_add       (ZsLatencySum             *sum,
                                   ZsLatencyHistogram       *histogram);
double   zs_latency_sum_percentile (const ZsLatencySum      *sum,
                                    double                   p);

G_END_DECLS
