/* zs-live-model.h: what the canvas animates, derived from telemetry snapshots
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "zs-snapshot.h"
#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_LIVE_SLOW_RATE        30.0  /* msg/s: below it, one dot = one message */
#define ZS_LIVE_MAX_DOTS         48    /* dots in flight per link in slow mode */
#define ZS_LIVE_SPARKLINE_LENGTH 60    /* samples at 4 Hz: the last 15 s */
#define ZS_LIVE_HISTORY_LENGTH   1200  /* samples at 4 Hz: the last 5 minutes */
#define ZS_LIVE_NOMINAL_CAPACITY 1000  /* fill scale when the HWMs are 0 (unlimited) */

typedef enum {
  ZS_FILL_LEVEL_OK,
  ZS_FILL_LEVEL_NEAR,   /* fill >= 0.75 */
  ZS_FILL_LEVEL_FULL,   /* fill >= 0.98 */
} ZsFillLevel;

/* One direction of a link, from the snapshot's per-direction figures
 * (ZsLinkFlow): 0 connecting -> binding, 1 binding -> connecting. */
typedef struct {
  gboolean     present;            /* the link carries messages this way */
  gboolean     carried;            /* messages went this way (sent or received) */
  double       rate;               /* received msg/s this way, smoothed as `rate` */
  guint64      sent;
  guint64      received;
  guint64      in_flight;
} ZsLiveFlow;

/* One link as the canvas draws it; valid until the next update. */
typedef struct {
  ZsLinkState  state;
  gboolean     waiting;            /* state WAITING: draw dashed, "waiting" */
  double       rate;               /* received msg/s, smoothed (tau 0.5 s) */
  double       rate_recent;        /* received per second over the last 5 s, or over
                                      the time since traffic began (at least 0.25 s)
                                      if that is shorter: an exact count, steadier
                                      than `rate` at a few msg/s */
  double       rate_shown;         /* what a label says: `rate_recent` below 100 msg/s
                                      and in the first 5 s of traffic, else `rate`;
                                      0 once the run is over */
  double       rate_log;           /* 0 (<= 1 msg/s) .. 1 (10 M msg/s) */
  /* Dots. In slow mode each received message travels as one dot: see
   * zs_live_model_get_link_dots (). Otherwise a regular pattern: dots at
   * (k + phase) * dot_spacing along the link, k = 0, 1, ... while < 1. */
  gboolean     slow_dots;
  guint        n_dots;             /* slow mode: dots in flight now */
  guint64      dots_spawned;       /* slow mode: one per received message */
  double       phase;              /* [0, 1): offset of the pattern, in spacings */
  double       dot_spacing;        /* (0, 1]: fraction of the link between dots */
  double       dot_speed;          /* link lengths per second */
  double       multipart_share;    /* [0, 1]: of the recent messages */
  /* Queue */
  guint64      in_flight;
  guint64      capacity;           /* 0 = unlimited */
  double       fill;               /* [0, 1]: in_flight / capacity */
  ZsFillLevel  fill_level;
  gboolean     fill_unbounded;     /* capacity 0: fill against ZS_LIVE_NOMINAL_CAPACITY */
  gboolean     capacity_estimated;
  /* Losses and blocking */
  double       drop_burst;         /* 1 on new drops, linear to 0 in 0.8 s */
  guint64      drops_total;
  guint64      drops_recent;       /* in the last second (100 ms buckets) */
  gboolean     blocked;            /* a blocking sender (PUSH, DEALER, REQ, PAIR)
                                      is BLOCKED: show it waiting, not dropping */
  /* Connection events */
  double       event_flash;        /* 1 on connects/disconnects/retries, to 0 in 1 s */
  ZsLinkEvent  last_event;
  gboolean     sent_estimated;
  gboolean     dropped_estimated;
  /* Each direction apart: which ways the link goes, and how fast. */
  ZsLiveFlow   flow[2];
  guint        main_flow;          /* the direction that carried more (the only one of
                                      a one-way link): its receiver holds the queue */
} ZsLiveLink;

typedef struct {
  ZsNodeState  state;
  double       rate;               /* sent + received msg/s, smoothed */
  double       rate_log;
  const char  *error;              /* owned by the model; NULL if none */
  const char  *result;
} ZsLiveNode;

/* One point of the bottom charts. For a node, in_flight and drops add up
 * the links it sends on. */
typedef struct {
  gint64   time_us;                /* the snapshot's monotonic time */
  double   rate;                   /* a link's: what its label shows (rate_shown);
                                      a node's: its smoothed rate */
  guint64  in_flight;
  guint64  drops;                  /* dropped since the previous sample */
} ZsLiveSample;

#define ZS_TYPE_LIVE_MODEL (zs_live_model_get_type ())
G_DECLARE_FINAL_TYPE (ZsLiveModel, zs_live_model, ZS, LIVE_MODEL, GObject)

/* Sized once from a frozen topology (zs_engine_get_topology ()): memory
 * depends on the number of nodes and links, never on the message count. */
ZsLiveModel       *zs_live_model_new                (ZsTopology        *frozen);
ZsTopology        *zs_live_model_get_topology       (ZsLiveModel       *self);
guint              zs_live_model_get_n_links        (ZsLiveModel       *self);
guint              zs_live_model_get_n_nodes        (ZsLiveModel       *self);
/* Once per frame; the first snapshot (and the first after a reset) only
 * primes. Never allocates, except to copy a node's error or result text
 * when it changes. A snapshot of a run that is over (`running` FALSE)
 * stops every motion at once: rates, dots, flashes go to 0; the counters
 * stay. In a finished run, a node with no end of its own that was still
 * there to receive (worker, server, broker, subscriber without a count)
 * reads IDLE. */
void               zs_live_model_update             (ZsLiveModel       *self,
                                                     const ZsSnapshot  *snapshot);
/* Forgets everything, e.g. before a new run. */
void               zs_live_model_reset              (ZsLiveModel       *self);

const ZsLiveLink  *zs_live_model_get_link           (ZsLiveModel       *self,
                                                     guint              link);
const ZsLiveNode  *zs_live_model_get_node           (ZsLiveModel       *self,
                                                     guint              node);
/* Slow mode: positions in [0, 1] from sender to receiver, oldest first. */
const float       *zs_live_model_get_link_dots      (ZsLiveModel       *self,
                                                     guint              link,
                                                     guint             *n_dots);
/* Slow mode: the direction (0 or 1, as ZsLiveFlow) each of the link's
 * dots travels, in the order of zs_live_model_get_link_dots (). */
const guint8      *zs_live_model_get_link_dot_flows (ZsLiveModel       *self,
                                                     guint              link);
/* Copies the last n_values (at most ZS_LIVE_SPARKLINE_LENGTH) rates, oldest
 * first, divided by their maximum (returned in max, may be NULL). Returns
 * how many were copied. */
guint              zs_live_model_get_node_sparkline (ZsLiveModel       *self,
                                                     guint              node,
                                                     float             *values,
                                                     guint              n_values,
                                                     double            *max);
/* Copy the last n_samples (at most ZS_LIVE_HISTORY_LENGTH), oldest first;
 * return how many were copied. */
guint              zs_live_model_get_link_history   (ZsLiveModel       *self,
                                                     guint              link,
                                                     ZsLiveSample      *samples,
                                                     guint              n_samples);
guint              zs_live_model_get_node_history   (ZsLiveModel       *self,
                                                     guint              node,
                                                     ZsLiveSample      *samples,
                                                     guint              n_samples);
/* Nothing on the link moves or fades: no rate, no dot, no flash. */
gboolean           zs_live_model_link_is_at_rest    (ZsLiveModel       *self,
                                                     guint              link);
/* Every link at rest and every node's rate 0: the UI may stop its tick
 * callback until the counters change again. */
gboolean           zs_live_model_is_at_rest         (ZsLiveModel       *self);

/* 0 for rates <= 1 msg/s, 1 for >= 10 M msg/s, log10 in between. */
double             zs_live_rate_to_log              (double             rate);

G_END_DECLS
