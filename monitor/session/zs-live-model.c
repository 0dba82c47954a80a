/* zs-live-model.c: what the canvas animates, derived from telemetry snapshots
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-live-model"

#include "config.h"

#include <math.h>
#include <string.h>

#include "zs-live-model.h"

#define RATE_TAU_S         0.5    /* smoothing time constant of every rate */
#define SILENCE_TAU_S      0.2    /* extra decay once a link falls silent */
#define GRACE_MIN_S        0.2    /* silence allowed before that decay: 3 */
#define GRACE_MAX_S        2.0    /* expected gaps between messages, clamped */
#define RATE_EPSILON       0.01   /* a silent rate below this is 0 */
#define LOG_DECADES        7.0    /* 1 msg/s .. 10 M msg/s */
#define NEAR_FILL          0.75
#define FULL_FILL          0.98
#define DROP_BURST_S       0.8
#define EVENT_FLASH_S      1.0
#define SLOW_DOT_SPEED     1.0    /* link lengths per second */
#define SLOW_HYSTERESIS    0.2    /* leave slow mode above +20 %, return below -20 % */
#define DROP_BUCKET_US     100000
#define N_DROP_BUCKETS     10     /* 10 x 100 ms: drops_recent covers 1 s */
#define N_RATE_BUCKETS     50     /* 50 x 100 ms: rate_recent counts the last 5 s */
#define MIN_RATE_SPAN_S    0.25   /* rate_recent over at least this, so that the first
                                     message of a stream does not read as a spike */
#define SHOWN_SMOOTH_RATE  100.0  /* msg/s: above it, labels show the smoothed rate */
#define N_WINDOW_BUCKETS   50
#define SAMPLE_US          250000 /* sparkline and history: 4 Hz */
#define NO_SENDER          G_MAXUINT

typedef struct {
  double  rate;
  gint64  active_us;        /* last update that saw messages */
  double  rate_at_active;
} Smoother;

typedef struct {
  guint head;               /* next slot written */
  guint len;
} Ring;

/* Exact counts in 100 ms buckets, summed over the last `span` buckets. */
typedef struct {
  gint64   id[N_WINDOW_BUCKETS];
  guint64  count[N_WINDOW_BUCKETS];
} CountWindow;

/* What the topology says about a link; fixed for the model's life. */
typedef struct {
  guint     sender[2];      /* node index or NO_SENDER, one per direction */
  gboolean  sender_blocks[2];
} LinkInfo;

typedef struct {
  ZsLiveLink   pub;
  float        dots[ZS_LIVE_MAX_DOTS];
  guint8       dot_flows[ZS_LIVE_MAX_DOTS];
  ZsLinkStats  prev;
  Smoother     smoother;
  Smoother     flow_smoothers[2];
  CountWindow  drop_window;
  CountWindow  received_window;
  gboolean     in_traffic;       /* messages in the last 5 s */
  gint64       traffic_since_us; /* start of the frame that brought the first message
                                    of the window's traffic, while in_traffic */
  guint64      sampled_drops;   /* dropped at the last history sample */
  Ring         history;
} LinkState;

typedef struct {
  ZsLiveNode  pub;
  char       *error;
  char       *result;
  guint64     prev_total;       /* sent + received */
  Smoother    smoother;
  float       sparkline[ZS_LIVE_SPARKLINE_LENGTH];
  Ring        sparkline_ring;
  Ring        history;
} NodeState;

struct _ZsLiveModel
{
  GObject       parent_instance;

  ZsTopology   *topology;
  guint         n_links;
  guint         n_nodes;
  LinkInfo     *link_info;
  gboolean     *node_waits;      /* has no end and receives: idle, not stopped, once
                                    the run has finished */
  LinkState    *links;
  NodeState    *nodes;
  ZsLiveSample *history;        /* (n_links + n_nodes) x ZS_LIVE_HISTORY_LENGTH */

  gboolean      primed;
  gint64        last_us;
  gint64        next_sample_us;
};

G_DEFINE_FINAL_TYPE (ZsLiveModel, zs_live_model, G_TYPE_OBJECT)

/* ---- small helpers ---- */

static guint
ring_push (Ring  *ring,
           guint  capacity)
{
  guint slot = ring->head;

  ring->head = (ring->head + 1) % capacity;
  ring->len = MIN (ring->len + 1, capacity);
  return slot;
}

static guint
ring_last (const Ring *ring,
           guint       capacity)
{
  g_assert (ring->len > 0);
  return (ring->head + capacity - 1) % capacity;
}

/* Slot of the i-th of the last n entries, oldest first. */
static guint
ring_slot (const Ring *ring,
           guint       capacity,
           guint       n,
           guint       i)
{
  return (ring->head + capacity - n + i) % capacity;
}

static guint64
counter_delta (guint64 before,
               guint64 after)
{
  return after > before ? after - before : 0;
}

static double
fade (double value,
      double dt,
      double duration)
{
  return MAX (0.0, value - dt / duration);
}

static double
silence_grace (const Smoother *s)
{
  return CLAMP (3.0 / MAX (s->rate_at_active, 1e-3), GRACE_MIN_S, GRACE_MAX_S);
}

static void
smoother_prime (Smoother *s,
                gint64    now_us)
{
  memset (s, 0, sizeof *s);
  s->active_us = now_us;
}

/* Exponential smoothing of delta / dt; exact for a constant rate whatever
 * the frame intervals. A link silent for longer than a few expected gaps
 * decays faster, so a stop reads as a stop within about a second. */
static void
smoother_step (Smoother *s,
               guint64   delta,
               double    dt,
               gint64    now_us)
{
  double silence_after, silence_before, grace, extra;

  s->rate += (1.0 - exp (-dt / RATE_TAU_S)) * ((double) delta / dt - s->rate);
  if (delta > 0)
    {
      s->active_us = now_us;
      s->rate_at_active = s->rate;
      return;
    }

  grace = silence_grace (s);
  silence_after = (double) (now_us - s->active_us) / G_USEC_PER_SEC;
  silence_before = silence_after - dt;
  extra = silence_after - MAX (silence_before, grace);
  if (extra > 0)
    s->rate *= exp (-extra / SILENCE_TAU_S);
  if (silence_after > grace && s->rate < RATE_EPSILON)
    s->rate = 0;
}

static void
count_window_clear (CountWindow *w)
{
  for (guint i = 0; i < N_WINDOW_BUCKETS; i++)
    {
      w->id[i] = G_MININT64;
      w->count[i] = 0;
    }
}

static guint64
count_window_add (CountWindow *w,
                  gint64       now_us,
                  guint64      n,
                  guint        span)
{
  gint64 id = now_us / DROP_BUCKET_US;
  guint slot = (guint) (id % N_WINDOW_BUCKETS);
  guint64 recent = 0;

  if (w->id[slot] != id)
    {
      w->id[slot] = id;
      w->count[slot] = 0;
    }
  w->count[slot] += n;
  for (guint i = 0; i < N_WINDOW_BUCKETS; i++)
    if (w->id[i] > id - (gint64) span)
      recent += w->count[i];
  return recent;
}

double
zs_live_rate_to_log (double rate)
{
  if (!(rate > 1.0))
    return 0.0;
  return MIN (log10 (rate) / LOG_DECADES, 1.0);
}

/* ---- links ---- */

static void
update_fill (ZsLiveLink        *pub,
             const ZsLinkStats *stats)
{
  double capacity;

  pub->in_flight = stats->in_flight;
  pub->capacity = stats->capacity;
  pub->fill_unbounded = stats->capacity == 0;
  capacity = pub->fill_unbounded ? ZS_LIVE_NOMINAL_CAPACITY : (double) stats->capacity;
  pub->fill = MIN ((double) stats->in_flight / capacity, 1.0);
  if (pub->fill >= FULL_FILL)
    pub->fill_level = ZS_FILL_LEVEL_FULL;
  else if (pub->fill >= NEAR_FILL)
    pub->fill_level = ZS_FILL_LEVEL_NEAR;
  else
    pub->fill_level = ZS_FILL_LEVEL_OK;
}

static gboolean
link_is_blocked (const LinkInfo   *info,
                 const ZsSnapshot *snapshot)
{
  for (guint d = 0; d < 2; d++)
    if (info->sender[d] != NO_SENDER && info->sender_blocks[d] &&
        snapshot->nodes[info->sender[d]].state == ZS_NODE_STATE_BLOCKED)
      return TRUE;
  return FALSE;
}

/* Each direction's figures, and the one that carried more. */
static void
update_flows_now (ZsLiveLink        *pub,
                  const LinkInfo    *info,
                  const ZsLinkStats *stats)
{
  for (guint d = 0; d < 2; d++)
    {
      ZsLiveFlow *flow = &pub->flow[d];
      const ZsLinkFlow *figures = &stats->flow[d];

      flow->present = info->sender[d] != NO_SENDER;
      flow->carried = figures->sent > 0 || figures->received > 0;
      flow->sent = figures->sent;
      flow->received = figures->received;
      flow->in_flight = figures->in_flight;
    }
  if (pub->flow[0].present && pub->flow[1].present)
    pub->main_flow = stats->flow[1].sent > stats->flow[0].sent ? 1 : 0;
  else
    pub->main_flow = pub->flow[0].present ? 0 : 1;
}

/* What holds whatever the time: states, queue, totals, flags. */
static void
update_link_now (LinkState         *link,
                 const LinkInfo    *info,
                 const ZsSnapshot  *snapshot,
                 const ZsLinkStats *stats)
{
  ZsLiveLink *pub = &link->pub;

  pub->state = stats->state;
  pub->waiting = stats->state == ZS_LINK_STATE_WAITING;
  update_fill (pub, stats);
  pub->capacity_estimated = stats->capacity_estimated;
  pub->drops_total = stats->dropped;
  pub->blocked = link_is_blocked (info, snapshot);
  pub->last_event = stats->last_event;
  pub->sent_estimated = stats->sent_estimated;
  pub->dropped_estimated = stats->dropped_estimated;
  update_flows_now (pub, info, stats);
}

static void
update_multipart (ZsLiveLink *pub,
                  guint64     received,
                  guint64     multipart)
{
  double weight;

  if (received == 0)
    return;
  /* A window of about the last 64 messages. */
  weight = 1.0 - exp (-(double) received / 64.0);
  pub->multipart_share += weight * (MIN ((double) multipart / received, 1.0) - pub->multipart_share);
}

static gboolean
events_changed (const ZsLinkStats *before,
                const ZsLinkStats *after)
{
  return before->connects != after->connects ||
         before->disconnects != after->disconnects ||
         before->retries != after->retries ||
         before->handshakes_failed != after->handshakes_failed;
}

static void
advance_slow_dots (LinkState *link,
                   double     dt)
{
  guint kept = 0;

  for (guint i = 0; i < link->pub.n_dots; i++)
    {
      float position = link->dots[i] + (float) (dt * SLOW_DOT_SPEED);

      if (position < 1.0f)
        {
          link->dot_flows[kept] = link->dot_flows[i];
          link->dots[kept++] = position;
        }
    }
  link->pub.n_dots = kept;
}

static void
append_dot (LinkState *link,
            float      position,
            guint8     flow)
{
  if (link->pub.n_dots == ZS_LIVE_MAX_DOTS)
    {
      /* Full: the oldest dot arrives early. */
      memmove (link->dots, link->dots + 1, (ZS_LIVE_MAX_DOTS - 1) * sizeof (float));
      memmove (link->dot_flows, link->dot_flows + 1, ZS_LIVE_MAX_DOTS - 1);
      link->pub.n_dots--;
    }
  link->dots[link->pub.n_dots] = position;
  link->dot_flows[link->pub.n_dots++] = flow;
}

/* The direction of the next dot: the two directions take turns while
 * both have messages left to show. */
static guint8
next_dot_flow (guint64 left[2])
{
  guint8 flow = left[0] >= left[1] ? 0 : 1;

  if (left[flow] > 0)
    left[flow]--;
  return flow;
}

/* One dot per received message, each the way its message went, spread
 * over the frame (or half a trip, whichever is shorter) so that a batch
 * still shows as separate dots. Messages no direction accounts for (a
 * snapshot without per-direction figures) go the main way. */
static void
spawn_slow_dots (LinkState     *link,
                 guint64        received,
                 const guint64  by_flow[2],
                 double         dt)
{
  guint n = (guint) MIN (received, (guint64) ZS_LIVE_MAX_DOTS);
  double spread = MIN (dt, 0.5 / SLOW_DOT_SPEED);
  guint64 left[2] = { by_flow[0], by_flow[1] };

  if (received > by_flow[0] + by_flow[1])
    left[link->pub.main_flow] += received - by_flow[0] - by_flow[1];
  for (guint i = 0; i < n; i++)
    append_dot (link, (float) (spread * SLOW_DOT_SPEED * (n - 1 - i) / n), next_dot_flow (left));
  link->pub.dots_spawned += n;
}

static void
update_dot_mode (ZsLiveLink *pub)
{
  if (pub->slow_dots && pub->rate > ZS_LIVE_SLOW_RATE * (1.0 + SLOW_HYSTERESIS))
    pub->slow_dots = FALSE;
  else if (!pub->slow_dots && pub->rate < ZS_LIVE_SLOW_RATE * (1.0 - SLOW_HYSTERESIS))
    pub->slow_dots = TRUE;
}

/* Fast mode: denser with the rate (4 .. 16 dots per link), a little faster
 * too, and never more than 0.4 spacing per frame at 60 Hz. */
static void
update_dots (LinkState     *link,
             guint64        received,
             const guint64  by_flow[2],
             double         dt)
{
  ZsLiveLink *pub = &link->pub;

  pub->dot_spacing = 1.0 / (4.0 + 12.0 * pub->rate_log);
  pub->dot_speed = 1.0 + 0.5 * pub->rate_log;
  advance_slow_dots (link, dt);
  update_dot_mode (pub);
  if (pub->slow_dots)
    spawn_slow_dots (link, received, by_flow, dt);
  else
    pub->phase = fmod (pub->phase + dt * pub->dot_speed / pub->dot_spacing, 1.0);
}

/* Received per second, counted exactly over the last 5 s, or over the time
 * since the traffic began if that is shorter: 25 messages in the first
 * 1.3 s read as 19 msg/s, not as 25 over 5 s. */
static void
update_rate_recent (LinkState *link,
                    guint64    received,
                    double     dt,
                    gint64     now_us)
{
  ZsLiveLink *pub = &link->pub;
  guint64 recent = count_window_add (&link->received_window, now_us, received, N_RATE_BUCKETS);
  double window = N_RATE_BUCKETS * DROP_BUCKET_US / (double) G_USEC_PER_SEC;
  double span;

  /* A recording's clock starts at 0: "no traffic" is a flag, not a time. */
  if (recent == 0)
    link->in_traffic = FALSE;
  else if (!link->in_traffic)
    {
      link->in_traffic = TRUE;
      link->traffic_since_us = now_us - (gint64) (dt * G_USEC_PER_SEC);
    }
  span = recent > 0 ? (double) (now_us - link->traffic_since_us) / G_USEC_PER_SEC : window;
  span = CLAMP (span, MIN_RATE_SPAN_S, window);
  pub->rate_recent = recent / span;
  pub->rate_shown = pub->rate_recent < SHOWN_SMOOTH_RATE || span < window
    ? pub->rate_recent : pub->rate;
}

static void
step_link (LinkState         *link,
           const ZsLinkStats *stats,
           double             dt,
           gint64             now_us)
{
  ZsLiveLink *pub = &link->pub;
  guint64 received = counter_delta (link->prev.received, stats->received);
  guint64 multipart = counter_delta (link->prev.multipart, stats->multipart);
  guint64 dropped = counter_delta (link->prev.dropped, stats->dropped);
  guint64 by_flow[2];

  for (guint d = 0; d < 2; d++)
    {
      by_flow[d] = counter_delta (link->prev.flow[d].received, stats->flow[d].received);
      smoother_step (&link->flow_smoothers[d], by_flow[d], dt, now_us);
      pub->flow[d].rate = link->flow_smoothers[d].rate;
    }
  smoother_step (&link->smoother, received, dt, now_us);
  pub->rate = link->smoother.rate;
  pub->rate_log = zs_live_rate_to_log (pub->rate);
  update_multipart (pub, received, multipart);
  pub->drop_burst = dropped > 0 ? 1.0 : fade (pub->drop_burst, dt, DROP_BURST_S);
  pub->drops_recent = count_window_add (&link->drop_window, now_us, dropped, N_DROP_BUCKETS);
  update_rate_recent (link, received, dt, now_us);
  pub->event_flash = events_changed (&link->prev, stats)
    ? 1.0 : fade (pub->event_flash, dt, EVENT_FLASH_S);
  update_dots (link, received, by_flow, dt);
  link->prev = *stats;
}

/* ---- nodes ---- */

static void
copy_text (char       **stored,
           const char  *text)
{
  if (g_strcmp0 (*stored, text) == 0)
    return;
  g_free (*stored);
  *stored = g_strdup (text);
}

/* What a node's state means to the user: at the end of a finished run, a
 * node with no end of its own that was still there to receive (a worker,
 * a server, a subscriber without a count) is idle, not "running" or
 * "stopped". */
static ZsNodeState
shown_node_state (const ZsNodeStats *stats,
                  gboolean           waits,
                  gboolean           finished)
{
  if (finished && waits &&
      stats->state != ZS_NODE_STATE_DONE && stats->state != ZS_NODE_STATE_ERROR)
    return ZS_NODE_STATE_IDLE;
  return stats->state;
}

static void
update_node_now (NodeState         *node,
                 const ZsNodeStats *stats,
                 gboolean           waits,
                 gboolean           finished)
{
  node->pub.state = shown_node_state (stats, waits, finished);
  copy_text (&node->error, stats->error);
  copy_text (&node->result, stats->result);
  node->pub.error = node->error;
  node->pub.result = node->result;
}

static void
step_node (NodeState         *node,
           const ZsNodeStats *stats,
           double             dt,
           gint64             now_us)
{
  guint64 total = stats->sent + stats->received;

  smoother_step (&node->smoother, counter_delta (node->prev_total, total), dt, now_us);
  node->pub.rate = node->smoother.rate;
  node->pub.rate_log = zs_live_rate_to_log (node->pub.rate);
  node->prev_total = total;
}

/* ---- samples at 4 Hz ---- */

static ZsLiveSample *
link_history (ZsLiveModel *self,
              guint        link)
{
  return self->history + (gsize) link * ZS_LIVE_HISTORY_LENGTH;
}

static ZsLiveSample *
node_history (ZsLiveModel *self,
              guint        node)
{
  return self->history + (gsize) (self->n_links + node) * ZS_LIVE_HISTORY_LENGTH;
}

static void
sample_node (ZsLiveModel *self,
             guint        n,
             gint64       now_us)
{
  NodeState *node = &self->nodes[n];
  guint slot = ring_push (&node->sparkline_ring, ZS_LIVE_SPARKLINE_LENGTH);
  ZsLiveSample *sample;

  node->sparkline[slot] = (float) node->pub.rate;
  sample = &node_history (self, n)[ring_push (&node->history, ZS_LIVE_HISTORY_LENGTH)];
  *sample = (ZsLiveSample) { .time_us = now_us, .rate = node->pub.rate };
}

/* A node's in_flight and drops are those of the links it sends on. */
static void
add_to_sender (ZsLiveModel        *self,
               guint               n,
               const ZsLiveSample *link_sample)
{
  NodeState *node = &self->nodes[n];
  ZsLiveSample *sample = &node_history (self, n)[ring_last (&node->history, ZS_LIVE_HISTORY_LENGTH)];

  sample->in_flight += link_sample->in_flight;
  sample->drops += link_sample->drops;
}

static void
sample_link (ZsLiveModel *self,
             guint        l,
             gint64       now_us)
{
  LinkState *link = &self->links[l];
  const LinkInfo *info = &self->link_info[l];
  ZsLiveSample *sample = &link_history (self, l)[ring_push (&link->history, ZS_LIVE_HISTORY_LENGTH)];

  sample->time_us = now_us;
  sample->rate = link->pub.rate_shown;
  sample->in_flight = link->pub.in_flight;
  sample->drops = counter_delta (link->sampled_drops, link->pub.drops_total);
  link->sampled_drops = link->pub.drops_total;
  for (guint d = 0; d < 2; d++)
    if (info->sender[d] != NO_SENDER && (d == 0 || info->sender[1] != info->sender[0]))
      add_to_sender (self, info->sender[d], sample);
}

static void
take_samples (ZsLiveModel *self,
              gint64       now_us)
{
  for (guint n = 0; n < self->n_nodes; n++)
    sample_node (self, n, now_us);
  for (guint l = 0; l < self->n_links; l++)
    sample_link (self, l, now_us);
  /* Keep the 4 Hz grid on average, skipping the slots of a long gap. */
  self->next_sample_us += SAMPLE_US * (1 + (now_us - self->next_sample_us) / SAMPLE_US);
}

/* ---- the model ---- */

static void
prime (ZsLiveModel      *self,
       const ZsSnapshot *snapshot)
{
  for (guint l = 0; l < self->n_links; l++)
    {
      LinkState *link = &self->links[l];

      link->prev = snapshot->links[l];
      link->sampled_drops = snapshot->links[l].dropped;
      smoother_prime (&link->smoother, snapshot->time_us);
      for (guint d = 0; d < 2; d++)
        smoother_prime (&link->flow_smoothers[d], snapshot->time_us);
    }
  for (guint n = 0; n < self->n_nodes; n++)
    {
      self->nodes[n].prev_total = snapshot->nodes[n].sent + snapshot->nodes[n].received;
      smoother_prime (&self->nodes[n].smoother, snapshot->time_us);
    }
  self->last_us = snapshot->time_us;
  self->next_sample_us = snapshot->time_us + SAMPLE_US;
  self->primed = TRUE;
}

/* The run is over: nothing moves any more, whatever was in motion. */
static void
halt (ZsLiveModel      *self,
      const ZsSnapshot *snapshot)
{
  for (guint l = 0; l < self->n_links; l++)
    {
      LinkState *link = &self->links[l];
      ZsLiveLink *pub = &link->pub;

      pub->rate = pub->rate_recent = pub->rate_shown = pub->rate_log = 0;
      pub->n_dots = 0;
      pub->drop_burst = pub->event_flash = 0;
      pub->drops_recent = 0;
      link->smoother.rate = 0;
      for (guint d = 0; d < 2; d++)
        pub->flow[d].rate = link->flow_smoothers[d].rate = 0;
      link->prev = snapshot->links[l];
    }
  for (guint n = 0; n < self->n_nodes; n++)
    {
      NodeState *node = &self->nodes[n];

      node->pub.rate = node->pub.rate_log = node->smoother.rate = 0;
      node->prev_total = snapshot->nodes[n].sent + snapshot->nodes[n].received;
    }
  self->last_us = MAX (self->last_us, snapshot->time_us);
}

void
zs_live_model_update (ZsLiveModel      *self,
                      const ZsSnapshot *snapshot)
{
  gint64 now_us;
  double dt;

  g_return_if_fail (ZS_IS_LIVE_MODEL (self));
  g_return_if_fail (snapshot != NULL);
  g_return_if_fail (snapshot->n_links == self->n_links && snapshot->n_nodes == self->n_nodes);

  for (guint n = 0; n < self->n_nodes; n++)
    update_node_now (&self->nodes[n], &snapshot->nodes[n], self->node_waits[n],
                     snapshot->finished);
  for (guint l = 0; l < self->n_links; l++)
    update_link_now (&self->links[l], &self->link_info[l], snapshot, &snapshot->links[l]);

  if (!self->primed)
    prime (self, snapshot);
  if (!snapshot->running)
    {
      halt (self, snapshot);
      return;
    }

  /* A repeated (or older) snapshot: counters wait for the next one. */
  now_us = snapshot->time_us;
  if (now_us <= self->last_us)
    return;
  dt = (double) (now_us - self->last_us) / G_USEC_PER_SEC;

  for (guint n = 0; n < self->n_nodes; n++)
    step_node (&self->nodes[n], &snapshot->nodes[n], dt, now_us);
  for (guint l = 0; l < self->n_links; l++)
    step_link (&self->links[l], &snapshot->links[l], dt, now_us);
  if (now_us >= self->next_sample_us)
    take_samples (self, now_us);
  self->last_us = now_us;
}

static void
clear_state (ZsLiveModel *self)
{
  for (guint n = 0; n < self->n_nodes; n++)
    {
      g_clear_pointer (&self->nodes[n].error, g_free);
      g_clear_pointer (&self->nodes[n].result, g_free);
    }
  memset (self->nodes, 0, sizeof (NodeState) * self->n_nodes);
  memset (self->links, 0, sizeof (LinkState) * self->n_links);
  for (guint l = 0; l < self->n_links; l++)
    {
      static const ZsLinkStats no_figures;

      update_flows_now (&self->links[l].pub, &self->link_info[l], &no_figures);
      self->links[l].pub.slow_dots = TRUE;
      self->links[l].pub.dot_spacing = 0.25;
      self->links[l].pub.dot_speed = 1.0;
      count_window_clear (&self->links[l].drop_window);
      count_window_clear (&self->links[l].received_window);
    }
  self->primed = FALSE;
}

void
zs_live_model_reset (ZsLiveModel *self)
{
  g_return_if_fail (ZS_IS_LIVE_MODEL (self));

  clear_state (self);
}

static gboolean
node_waits (ZsNode *node)
{
  if (zs_node_has_end (node))
    return FALSE;
  for (guint i = 0; i < zs_node_get_n_sockets (node); i++)
    if (zs_socket_type_receives (zs_socket_spec_get_socket_type (zs_node_get_socket (node, i))))
      return TRUE;
  return FALSE;
}

static void
set_sender (LinkInfo   *info,
            guint       direction,
            ZsTopology *topology,
            guint       node,
            guint       socket)
{
  ZsSocketSpec *spec = zs_node_get_socket (zs_topology_get_node (topology, node), socket);
  ZsSocketType type = zs_socket_spec_get_socket_type (spec);

  info->sender[direction] = node;
  info->sender_blocks[direction] = zs_socket_type_hwm_policy (type) == ZS_HWM_BLOCKS;
}

static void
init_link_info (ZsLiveModel *self)
{
  GPtrArray *links = zs_topology_get_links (self->topology);

  for (guint l = 0; l < self->n_links; l++)
    {
      const ZsLink *link = g_ptr_array_index (links, l);
      LinkInfo *info = &self->link_info[l];

      info->sender[0] = info->sender[1] = NO_SENDER;
      if (link->to_bind)
        set_sender (info, 0, self->topology, link->connect_node, link->connect_socket);
      if (link->to_connect)
        set_sender (info, 1, self->topology, link->bind_node, link->bind_socket);
    }
}

ZsLiveModel *
zs_live_model_new (ZsTopology *frozen)
{
  ZsLiveModel *self;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (frozen), NULL);

  self = g_object_new (ZS_TYPE_LIVE_MODEL, NULL);
  self->topology = g_object_ref (frozen);
  self->n_links = zs_topology_get_links (frozen)->len;
  self->n_nodes = zs_topology_get_n_nodes (frozen);
  self->link_info = g_new0 (LinkInfo, MAX (self->n_links, 1));
  self->links = g_new0 (LinkState, MAX (self->n_links, 1));
  self->nodes = g_new0 (NodeState, MAX (self->n_nodes, 1));
  self->node_waits = g_new0 (gboolean, MAX (self->n_nodes, 1));
  for (guint n = 0; n < self->n_nodes; n++)
    self->node_waits[n] = node_waits (zs_topology_get_node (frozen, n));
  self->history = g_new0 (ZsLiveSample, (gsize) MAX (self->n_links + self->n_nodes, 1) * ZS_LIVE_HISTORY_LENGTH);
  init_link_info (self);
  clear_state (self);
  return self;
}

static void
zs_live_model_finalize (GObject *object)
{
  ZsLiveModel *self = ZS_LIVE_MODEL (object);

  if (self->nodes != NULL)
    clear_state (self);
  g_clear_pointer (&self->link_info, g_free);
  g_clear_pointer (&self->node_waits, g_free);
  g_clear_pointer (&self->links, g_free);
  g_clear_pointer (&self->nodes, g_free);
  g_clear_pointer (&self->history, g_free);
  g_clear_object (&self->topology);

  G_OBJECT_CLASS (zs_live_model_parent_class)->finalize (object);
}

static void
zs_live_model_class_init (ZsLiveModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = zs_live_model_finalize;
}

static void
zs_live_model_init (ZsLiveModel *self)
{
}

/* ---- accessors ---- */

ZsTopology *
zs_live_model_get_topology (ZsLiveModel *self)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), NULL);

  return self->topology;
}

guint
zs_live_model_get_n_links (ZsLiveModel *self)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), 0);

  return self->n_links;
}

guint
zs_live_model_get_n_nodes (ZsLiveModel *self)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), 0);

  return self->n_nodes;
}

const ZsLiveLink *
zs_live_model_get_link (ZsLiveModel *self,
                        guint        link)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), NULL);
  g_return_val_if_fail (link < self->n_links, NULL);

  return &self->links[link].pub;
}

const ZsLiveNode *
zs_live_model_get_node (ZsLiveModel *self,
                        guint        node)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), NULL);
  g_return_val_if_fail (node < self->n_nodes, NULL);

  return &self->nodes[node].pub;
}

const float *
zs_live_model_get_link_dots (ZsLiveModel *self,
                             guint        link,
                             guint       *n_dots)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), NULL);
  g_return_val_if_fail (link < self->n_links, NULL);

  if (n_dots != NULL)
    *n_dots = self->links[link].pub.n_dots;
  return self->links[link].dots;
}

const guint8 *
zs_live_model_get_link_dot_flows (ZsLiveModel *self,
                                  guint        link)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), NULL);
  g_return_val_if_fail (link < self->n_links, NULL);

  return self->links[link].dot_flows;
}

guint
zs_live_model_get_node_sparkline (ZsLiveModel *self,
                                  guint        node,
                                  float       *values,
                                  guint        n_values,
                                  double      *max)
{
  const NodeState *state;
  float top = 0;
  guint n;

  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), 0);
  g_return_val_if_fail (node < self->n_nodes, 0);
  g_return_val_if_fail (values != NULL || n_values == 0, 0);

  state = &self->nodes[node];
  n = MIN (n_values, state->sparkline_ring.len);
  for (guint i = 0; i < n; i++)
    {
      values[i] = state->sparkline[ring_slot (&state->sparkline_ring, ZS_LIVE_SPARKLINE_LENGTH, n, i)];
      top = MAX (top, values[i]);
    }
  for (guint i = 0; i < n && top > 0; i++)
    values[i] /= top;
  if (max != NULL)
    *max = top;
  return n;
}

static guint
copy_history (const ZsLiveSample *history,
              const Ring         *ring,
              ZsLiveSample       *samples,
              guint               n_samples)
{
  guint n = MIN (n_samples, ring->len);

  for (guint i = 0; i < n; i++)
    samples[i] = history[ring_slot (ring, ZS_LIVE_HISTORY_LENGTH, n, i)];
  return n;
}

guint
zs_live_model_get_link_history (ZsLiveModel  *self,
                                guint         link,
                                ZsLiveSample *samples,
                                guint         n_samples)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), 0);
  g_return_val_if_fail (link < self->n_links, 0);
  g_return_val_if_fail (samples != NULL || n_samples == 0, 0);

  return copy_history (link_history (self, link), &self->links[link].history,
                       samples, n_samples);
}

guint
zs_live_model_get_node_history (ZsLiveModel  *self,
                                guint         node,
                                ZsLiveSample *samples,
                                guint         n_samples)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), 0);
  g_return_val_if_fail (node < self->n_nodes, 0);
  g_return_val_if_fail (samples != NULL || n_samples == 0, 0);

  return copy_history (node_history (self, node), &self->nodes[node].history,
                       samples, n_samples);
}

static gboolean
link_at_rest (const ZsLiveLink *link)
{
  return link->rate == 0 && link->flow[0].rate == 0 && link->flow[1].rate == 0 &&
         link->n_dots == 0 && link->drop_burst == 0 && link->event_flash == 0;
}

gboolean
zs_live_model_link_is_at_rest (ZsLiveModel *self,
                               guint        link)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), TRUE);
  g_return_val_if_fail (link < self->n_links, TRUE);

  return link_at_rest (&self->links[link].pub);
}

gboolean
zs_live_model_is_at_rest (ZsLiveModel *self)
{
  g_return_val_if_fail (ZS_IS_LIVE_MODEL (self), TRUE);

  for (guint l = 0; l < self->n_links; l++)
    if (!link_at_rest (&self->links[l].pub))
      return FALSE;
  for (guint n = 0; n < self->n_nodes; n++)
    if (self->nodes[n].pub.rate != 0)
      return FALSE;
  return TRUE;
}
