/* zs-telemetry.h: counters written by node threads, read as snapshots
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each counter has exactly one writer thread, which stores with release
 * order (a plain store on x86); readers load with acquire order. Memory is
 * fixed by the topology's size when the run starts. */
#pragma once

#include <stdalign.h>
#include <stdatomic.h>

#include "zs-snapshot.h"

G_BEGIN_DECLS

typedef _Atomic guint64 ZsCounter;

#define ZS_CACHELINE 64

static inline guint64
zs_counter_get (ZsCounter *c)
{
  return atomic_load_explicit (c, memory_order_acquire);
}

/* Only the counter's owner thread calls these. */
static inline void
zs_counter_set (ZsCounter *c,
                guint64    value)
{
  atomic_store_explicit (c, value, memory_order_release);
}

static inline void
zs_counter_add (ZsCounter *c,
                guint64    n)
{
  zs_counter_set (c, atomic_load_explicit (c, memory_order_relaxed) + n);
}

/* Per socket, written by the owning node thread. */
typedef struct {
  alignas (ZS_CACHELINE) ZsCounter sent;
  ZsCounter sent_bytes;
  ZsCounter received;
  ZsCounter received_bytes;
  ZsCounter foreign;
  ZsCounter unroutable;     /* ROUTER/REP replies to a peer we cannot name */
  ZsCounter unread;         /* drained at close, from untraced peers (part of "foreign") */
  ZsCounter idle_since_us;  /* the receiver found the socket empty and waits; 0 = busy */
  ZsCounter seq_out;        /* the highest per-socket sequence written into a trailer */
  ZsCounter sent_outside;   /* to a peer outside the topology, known at the send (ROUTER
                               id, REP reply, PUB with an outside subscriber attached) */
  /* Written by the monitor thread. */
  alignas (ZS_CACHELINE) ZsCounter accepted;
  ZsCounter connected;
  ZsCounter outside_now;    /* peers attached now that no link of the plan explains */
  ZsCounter outside_peers;  /* the most of those at once */
} ZsSocketCounters;

/* A gap a receiver saw in a link's sequence: [first, last], and the
 * lowest sequence of it that may still arrive late (a torn-down pipe's
 * messages come in order among themselves). */
#define ZS_FLOW_GAPS 4
typedef struct {
  guint64 first;
  guint64 last;
  guint64 next;
} ZsFlowGap;

/* One direction of a link: 0 = connecting socket -> binding socket,
 * 1 = binding socket -> connecting socket. */
typedef struct {
  /* The sender's thread. */
  alignas (ZS_CACHELINE) ZsCounter sent;
  ZsCounter sent_bytes;
  ZsCounter seq_out;        /* the highest per-link sequence written into a trailer */
  ZsCounter lost_mark;      /* `sent` when the sender was last killed (its queues died) */
  /* The receiver's thread. */
  alignas (ZS_CACHELINE) ZsCounter received;
  ZsCounter received_bytes;
  ZsCounter multipart;
  ZsCounter gap_dropped;
  ZsCounter missed;
  ZsCounter last_seq;
  ZsCounter unread;
  ZsCounter lost;           /* queued in the receiver's socket when it was killed */
  ZsCounter idle_sent_mark; /* the sender's `sent` when the receiver went idle */
  ZsCounter first_received_us; /* monotonic time of the first message taken, 0 = none */
  ZsCounter seq_out_seen;   /* `seq_out` as the receiver last read it: read again only when a
                               trailer goes beyond it, so the sender's line is not read per message */
  ZsFlowGap gaps[ZS_FLOW_GAPS]; /* the last gaps seen, the receiver's own (take_late_arrival) */
  ZsCounter unplanned;      /* sent on the link, though the sender did not count it there:
                               a PUB's message an XSUB's new subscription took (plan_send) */
  ZsCounter unplanned_bytes;
  guint     next_gap;
  /* The engine, once every thread has ended. */
  ZsCounter settled_dropped;
  ZsCounter settled_lost;   /* sent by a killed sender before the kill, never delivered */
  /* The end of a live change's two that lets go last, under live_lock. */
  ZsCounter change_lost;    /* held by pipes live changes tore down: at most that many
                               were lost in the changes (gaps, or never arrived) */
} ZsFlowCounters;

typedef struct {
  ZsFlowCounters flow[2];
  /* The monitor thread (tcp, ipc) or the node threads' bind/connect (inproc). */
  alignas (ZS_CACHELINE) ZsCounter connects;
  ZsCounter disconnects;
  ZsCounter retries;
  ZsCounter handshakes_failed;
  ZsCounter last_event;     /* ZsLinkEvent */
  ZsCounter last_event_us;
  _Atomic int state;        /* ZsLinkState */
  _Atomic int bound;        /* inproc: the binding side has bound */
  _Atomic int attached;     /* inproc: the connecting side has connected */
} ZsLinkCounters;

typedef struct {
  alignas (ZS_CACHELINE) _Atomic int state;   /* ZsNodeState */
  ZsCounter blocked_us;
  ZsCounter done_goal;
  ZsCounter started_at_us;
  ZsCounter done_at_us;
  _Atomic (char *) error;   /* set once, freed with the telemetry */
  _Atomic (char *) result;  /* set once, freed with the telemetry */
} ZsNodeCounters;

/* zs-latency.h: send times kept by senders, delays counted by receivers. */
typedef struct _ZsLatencyStamps ZsLatencyStamps;
typedef struct _ZsLatencyHistogram ZsLatencyHistogram;

typedef struct {
  guint               n_nodes;
  guint               n_sockets;
  guint               n_links;
  ZsNodeCounters     *nodes;
  ZsSocketCounters   *sockets;
  ZsLinkCounters     *links;
  ZsLatencyStamps    *flow_stamps;     /* n_links * 2: per-link sequences, link * 2 + dir */
  ZsLatencyStamps    *socket_stamps;   /* n_sockets: per-socket sequences */
  ZsLatencyHistogram *latency;         /* n_links * 2: link * 2 + dir */
} ZsTelemetry;

ZsTelemetry *zs_telemetry_new          (guint        n_nodes,
                                        guint        n_sockets,
                                        guint        n_links);
void         zs_telemetry_free         (ZsTelemetry *telemetry);
/* Sets a node's error or result text once; later calls are ignored. */
void         zs_telemetry_set_text     (_Atomic (char *) *slot,
                                        char             *text);

G_END_DECLS
