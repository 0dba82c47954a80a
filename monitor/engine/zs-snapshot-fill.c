/* zs-snapshot-fill.c: a snapshot of a run's counters, read consistently
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-snapshot-fill"

#include "config.h"

#include <string.h>

#include "zs-latency.h"
#include "zs-snapshot-fill.h"

typedef struct {
  guint64 received;
  guint64 unread;
  guint64 lost;
  guint64 lost_in_change;   /* part of `lost` */
  guint64 dropped;
  guint64 sent;
} FlowRead;

/* Receiver-side counters first, then the sender's: with acquire loads a
 * message counted as received has already been counted as sent. */
static void
read_flow (ZsRun          *run,
           guint           l,
           guint           d,
           FlowRead       *r)
{
  ZsFlowCounters *f = &run->telemetry->links[l].flow[d];
  guint64 gaps, change_lost, accounted;

  r->received = zs_counter_get (&f->received);
  r->unread = zs_counter_get (&f->unread);
  r->lost = zs_counter_get (&f->lost) + zs_counter_get (&f->settled_lost);
  /* After `lost`: a receiver claims a relay's drop there first. */
  r->lost += zs_relay_get_unclaimed (run->relay, l, d);
  gaps = zs_counter_get (&f->gap_dropped);
  r->dropped = gaps + zs_counter_get (&f->settled_dropped);
  change_lost = zs_counter_get (&f->change_lost);
  r->sent = zs_counter_get (&f->sent) + zs_counter_get (&f->unplanned);
  /* What a live change's old pipe held (only a sender that blocks at the
   * HWM has it: its gaps are no HWM drops) shows as a gap once the new
   * pipe delivers, else as not yet arrived: lost in the change, at most
   * those. An old pipe's message its receiver took after all stays received. */
  accounted = r->received + r->unread + r->lost + r->dropped;
  r->lost_in_change = MIN (change_lost, gaps + (r->sent > accounted ? r->sent - accounted : 0));
  r->dropped -= MIN (r->lost_in_change, gaps);
  r->lost += r->lost_in_change;
}

/* What a round-robin sender sent that has not reached one of our links:
 * queued, or (with outside peers) gone outside. */
static guint64
undelivered (ZsRun       *run,
             ZsRunSocket *sender)
{
  guint64 delivered = 0;
  guint64 sent = zs_counter_get (&run->telemetry->sockets[sender->index].sent);

  for (guint i = 0; i < sender->out_ports->len; i++)
    {
      ZsPort *p = &g_array_index (sender->out_ports, ZsPort, i);
      ZsFlowCounters *f = &run->telemetry->links[p->link].flow[p->dir];

      delivered += zs_counter_get (&f->received) + zs_counter_get (&f->unread) + zs_counter_get (&f->lost)
                   + zs_counter_get (&f->settled_lost) + zs_relay_get_unclaimed (run->relay, p->link, p->dir);
    }
  return sent > delivered ? sent - delivered : 0;
}

/* A link's share of the undelivered: split evenly among the links and the
 * outside peers. Once the run settled, our links hold nothing more: the
 * rest went outside. */
static guint64
estimated_share (ZsRun       *run,
                 ZsRunSocket *sender,
                 guint64      rest,
                 guint        port)
{
  guint n = sender->out_ports->len;

  if (zs_run_socket_has_outside (sender))
    {
      if (zs_run_is_settled (run))
        return 0;
      n += MAX (1, (guint) zs_counter_get (&run->telemetry->sockets[sender->index].outside_peers));
    }
  return rest / n + (port < rest % n ? 1 : 0);
}

static guint
sender_port_index (ZsRunSocket *sender,
                   guint        link,
                   guint        dir)
{
  for (guint i = 0; i < sender->out_ports->len; i++)
    {
      ZsPort *p = &g_array_index (sender->out_ports, ZsPort, i);
      if (p->link == link && p->dir == dir)
        return i;
    }
  return 0;
}

static guint
socket_of (ZsRun *run,
           guint  node,
           guint  socket)
{
  return run->nodes[node].first_socket + socket;
}

/* How long a receiver must have waited on an empty queue before what its
 * dropping sender sent earlier, and it never got, counts as dropped. On
 * loopback tcp, kernel buffers deliver well within this. */
#define PROVISIONAL_DROP_US (200 * 1000)

/* Live drops before the run ends: the tail of a PUB stream shows no gap
 * until a later message arrives, but once the receiver has idled on an
 * empty queue, every message sent before it went idle has either arrived
 * or been dropped. Marked as an estimate until the run settles. */
static guint64
provisional_drops (ZsRun          *run,
                   guint           receiver,
                   ZsFlowCounters *f,
                   const FlowRead *r,
                   gint64          now)
{
  guint64 idle_since = zs_counter_get (&run->telemetry->sockets[receiver].idle_since_us);
  guint64 mark, accounted;

  if (idle_since == 0 || now - (gint64) idle_since < PROVISIONAL_DROP_US)
    return 0;
  mark = zs_counter_get (&f->idle_sent_mark);
  accounted = r->received + r->unread + r->lost + r->dropped;
  return mark > accounted ? mark - accounted : 0;
}

/* A dropping sender's messages to a receiver that reads nothing (paused
 * by a fault) pile up in a pipe that holds at most its capacity (inproc:
 * SNDHWM + RCVHWM, exactly one pipe): the rest was dropped at the HWM,
 * though no gap shows until the receiver reads again. */
static guint64
stalled_drops (ZsRun          *run,
               guint           l,
               guint           d,
               const FlowRead *r)
{
  ZsLink *link = g_ptr_array_index (run->links, l);
  guint receiver = d == 0 ? link->bind_node : link->connect_node;
  guint64 capacity = zs_run_flow_capacity (run, l, d);
  guint64 queued = r->sent - MIN (r->sent, r->received + r->unread + r->lost + r->dropped);

  if (link->transport != ZS_TRANSPORT_INPROC || capacity == 0
      || atomic_load (&run->faults->nodes[receiver].state) != ZS_NODE_FAULT_PAUSED)
    return 0;
  return queued > capacity ? queued - capacity : 0;
}

static gboolean
receiver_saw_outside (ZsRun *run,
                      guint  socket)
{
  return zs_counter_get (&run->telemetry->sockets[socket].foreign) > 0 || zs_run_socket_has_outside (&run->sockets[socket]);
}

/* One direction of link l, exact on its own; the estimates it makes are
 * flagged on the link. */
static void
latency_stats (const ZsLatencySum *sum,
               ZsLatencyStats     *out)
{
  out->samples = sum->samples;
  out->p50_us = zs_latency_sum_percentile (sum, 0.5);
  out->p99_us = zs_latency_sum_percentile (sum, 0.99);
}

static void
fill_flow (ZsRun        *run,
           guint         l,
           guint         d,
           ZsLinkStats  *out,
           ZsLatencySum *all)
{
  ZsLatencySum latency = { 0 };
  ZsLink *link = g_ptr_array_index (run->links, l);
  guint cs = socket_of (run, link->connect_node, link->connect_socket);
  guint bs = socket_of (run, link->bind_node, link->bind_socket);
  ZsRunSocket *sender = &run->sockets[d == 0 ? cs : bs];
  ZsFlowCounters *f = &run->telemetry->links[l].flow[d];
  ZsLinkFlow *flow = &out->flow[d];
  FlowRead r;
  guint64 accounted;

  read_flow (run, l, d, &r);
  if (zs_run_socket_sends_round_robin (sender))
    {
      r.sent = r.received + r.unread + r.lost + estimated_share (run, sender, undelivered (run, sender),
                                                        sender_port_index (sender, l, d));
      out->sent_estimated |= r.sent != r.received + r.unread + r.lost || zs_run_socket_has_outside (sender);
    }
  else if (zs_counter_get (&f->settled_dropped) == 0 && !zs_run_is_settled (run))
    {
      ZsHwmPolicy policy = zs_socket_type_hwm_policy (sender->type);
      guint64 provisional = 0;

      if (policy == ZS_HWM_DROPS || policy == ZS_HWM_DROPS_UNROUTABLE)
        provisional = MAX (provisional_drops (run, d == 0 ? bs : cs, f, &r, g_get_monotonic_time ()),
                           stalled_drops (run, l, d, &r));
      r.dropped += provisional;
      out->dropped_estimated |= provisional > 0 || !sender->exact_out;
    }
  /* Untraced since an outside peer came: no gaps to see, and its peers'
   * arrivals cannot be told from outside ones. */
  if (zs_run_socket_has_outside (sender))
    out->dropped_estimated = TRUE;
  /* A message of a live change's old pipe that arrives after newer ones
   * is taken for one from outside: then some counted lost in the change
   * may have arrived. */
  if (r.lost_in_change > 0 && receiver_saw_outside (run, d == 0 ? bs : cs))
    out->lost_estimated = TRUE;

  /* An external program receives: it counts nothing for us, so what our
   * sender handed to it is all there is to know. Handed only once a
   * handshake with it was done, which our connecting socket sees: before,
   * the messages wait in our socket, or died with a connection libzmq
   * gave up (a program whose socket type does not fit). */
  if (run->nodes[d == 0 ? link->bind_node : link->connect_node].external)
    {
      r.received = d == 0 && zs_counter_get (&run->telemetry->links[l].connects) == 0 ? 0 : r.sent;
      r.unread = r.dropped = r.lost = r.lost_in_change = 0;
      out->to_outside = TRUE;
      out->dropped_estimated = FALSE;
    }

  accounted = r.received + r.unread + r.lost + r.dropped;
  flow->present = TRUE;
  flow->sent = MAX (r.sent, accounted);
  flow->sent_bytes = zs_counter_get (&f->sent_bytes) + zs_counter_get (&f->unplanned_bytes);
  flow->received = r.received;
  flow->received_bytes = zs_counter_get (&f->received_bytes);
  flow->dropped = r.dropped;
  flow->unread = r.unread;
  flow->lost = r.lost;
  out->lost_in_change += r.lost_in_change;
  flow->in_flight = r.sent > accounted ? r.sent - accounted : 0;
  flow->first_received_us = (gint64) zs_counter_get (&f->first_received_us);
  zs_latency_sum_add (&latency, &run->telemetry->latency[l * 2 + d]);
  latency_stats (&latency, &flow->latency);
  zs_latency_sum_add (all, &run->telemetry->latency[l * 2 + d]);
  out->multipart += zs_counter_get (&f->multipart);
  out->missed += zs_counter_get (&f->missed);
}

/* The link's figures: its two directions' added up. */
static void
add_up_flows (ZsLinkStats *out)
{
  for (guint d = 0; d < 2; d++)
    {
      const ZsLinkFlow *flow = &out->flow[d];

      out->sent += flow->sent;
      out->sent_bytes += flow->sent_bytes;
      out->received += flow->received;
      out->received_bytes += flow->received_bytes;
      out->dropped += flow->dropped;
      out->unread += flow->unread;
      out->lost += flow->lost;
      out->in_flight += flow->in_flight;
    }
}

static void
fill_link (ZsRun        *run,
           guint         l,
           ZsLinkStats  *out,
           ZsLatencySum *all)
{
  ZsLink *link = g_ptr_array_index (run->links, l);
  ZsLinkCounters *c = &run->telemetry->links[l];

  memset (out, 0, sizeof *out);
  for (guint d = 0; d < 2; d++)
    if ((d == 0 && link->to_bind) || (d == 1 && link->to_connect))
      fill_flow (run, l, d, out, all);
  add_up_flows (out);
  if (zs_run_is_settled (run))
    out->discarded = out->in_flight;

  out->capacity = zs_run_flow_capacity (run, l, link->to_bind ? 0 : 1);
  zs_faults_read_live (run->faults, l, link->transport, out);
  out->capacity_estimated = out->transport != ZS_TRANSPORT_INPROC;
  out->connects = zs_counter_get (&c->connects);
  out->disconnects = zs_counter_get (&c->disconnects);
  out->retries = zs_counter_get (&c->retries);
  out->handshakes_failed = zs_counter_get (&c->handshakes_failed);
  out->state = atomic_load (&c->state);
  out->cut = atomic_load (&run->faults->links[l].cut) != 0;
  out->cuts = zs_counter_get (&run->faults->links[l].cuts);
  out->relayed = zs_relay_get_endpoint (run->relay, l) != NULL;
  zs_relay_get_throttle (run->relay, l, &out->delay_ms, &out->loss_percent);
  out->last_event = (ZsLinkEvent) zs_counter_get (&c->last_event);
  out->last_event_us = (gint64) zs_counter_get (&c->last_event_us);
}

static void
fill_node_fault (ZsNodeFaults *f,
                 ZsNodeStats  *out)
{
  guint slow = atomic_load (&f->slow);

  out->fault = (ZsNodeFault) atomic_load (&f->state);
  out->slow_factor = (double) slow / ZS_FAULT_SLOW_ONE;
  if (out->fault == ZS_NODE_FAULT_NONE && slow != ZS_FAULT_SLOW_ONE)
    out->fault = ZS_NODE_FAULT_SLOWED;
  out->kills = zs_counter_get (&f->kills);
  out->restarts = zs_counter_get (&f->restarts);
}

static void
fill_node (ZsRun       *run,
           guint        n,
           ZsNodeStats *out)
{
  ZsRunNode *rn = &run->nodes[n];
  ZsNodeCounters *c = &run->telemetry->nodes[n];
  const char *error = atomic_load (&c->error);
  const char *result = atomic_load (&c->result);

  g_free (out->error);
  g_free (out->result);
  memset (out, 0, sizeof *out);
  out->state = atomic_load (&c->state);
  out->error = g_strdup (error);
  out->result = g_strdup (result);
  out->blocked_us = zs_counter_get (&c->blocked_us);
  out->done_goal = zs_counter_get (&c->done_goal);
  out->done_at_us = (gint64) zs_counter_get (&c->done_at_us);
  out->started_at_us = (gint64) zs_counter_get (&c->started_at_us);
  fill_node_fault (&run->faults->nodes[n], out);
  for (guint i = 0; i < rn->n_sockets; i++)
    {
      ZsSocketCounters *s = &run->telemetry->sockets[rn->first_socket + i];

      out->received += zs_counter_get (&s->received);
      out->received_bytes += zs_counter_get (&s->received_bytes);
      out->foreign += zs_counter_get (&s->foreign) + zs_counter_get (&s->unread);
      out->unroutable += zs_counter_get (&s->unroutable);
      out->sent += zs_counter_get (&s->sent);
      out->sent_bytes += zs_counter_get (&s->sent_bytes);
    }
}

/* Outside traffic: what the node thread knew at the send, plus, for a
 * round-robin sender, what never reached one of our links. */
static void
fill_outside (ZsRun          *run,
              ZsRunSocket    *rs,
              ZsOutsideStats *out)
{
  ZsSocketCounters *c = &run->telemetry->sockets[rs->index];

  out->node = rs->node;
  out->socket = rs->index - run->nodes[rs->node].first_socket;
  out->outside = zs_run_socket_has_outside (rs);
  out->untraced = !rs->traced_plan || out->outside;
  out->peers = zs_counter_get (&c->outside_peers);
  out->received = zs_counter_get (&c->foreign) + zs_counter_get (&c->unread);
  out->sent = zs_counter_get (&c->sent_outside);
  out->sent_estimated = out->outside && (rs->type == ZS_SOCKET_PUB || rs->type == ZS_SOCKET_XPUB);
  if (out->outside && zs_run_socket_sends_round_robin (rs))
    {
      guint64 all = undelivered (run, rs), rest = all;

      for (guint i = 0; i < rs->out_ports->len; i++)
        rest -= MIN (rest, estimated_share (run, rs, all, i));
      out->sent += rest;
      /* With no link of ours, all of it went outside. */
      out->sent_estimated = rs->out_ports->len > 0;
    }
}

void
zs_snapshot_fill (ZsSnapshot *snapshot,
                  ZsRun      *run)
{
  ZsLatencySum all = { 0 };

  g_assert (snapshot->n_nodes == run->n_nodes && snapshot->n_links == run->links->len);

  snapshot->time_us = g_get_monotonic_time ();
  snapshot->run_started_us = run->started_us;
  g_free (snapshot->stop_reason);
  snapshot->stop_reason = g_strdup (atomic_load (&run->stop_reason));
  snapshot->outside_discarded = atomic_load (&run->outside_discarded) != 0;
  for (guint l = 0; l < run->links->len; l++)
    fill_link (run, l, &snapshot->links[l], &all);
  latency_stats (&all, &snapshot->latency);
  for (guint n = 0; n < run->n_nodes; n++)
    fill_node (run, n, &snapshot->nodes[n]);
  if (snapshot->sockets == NULL || snapshot->n_sockets != run->n_sockets)
    {
      g_free (snapshot->sockets);
      snapshot->n_sockets = run->n_sockets;
      snapshot->sockets = g_new0 (ZsOutsideStats, MAX (run->n_sockets, 1));
    }
  for (guint i = 0; i < run->n_sockets; i++)
    fill_outside (run, &run->sockets[i], &snapshot->sockets[i]);
  g_mutex_lock (&run->mutex);
  snapshot->finished = run->n_with_end > 0 && run->ends_reached == run->n_with_end;
  g_mutex_unlock (&run->mutex);
}
