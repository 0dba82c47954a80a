/* zs-node-runner-live.c: a node's thread applies the live changes asked of its links
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A link changed live (zs-fault.h, ZsLinkLive) has two ends, each applied
 * by its own node's thread: it lets go of what it held (zmq_disconnect,
 * or zmq_unbind unless other links still use that bind), then the binding
 * end binds the change's fresh endpoint (tcp: a port picked by the
 * kernel, read back), and only then the other end connects to it. Fresh
 * endpoints mean no old pipe can linger into the new connection. */
#define G_LOG_DOMAIN "zs-node-runner"

#include "config.h"

#include <zmq.h>

#include "zs-monitor-thread.h"
#include "zs-node-runner-private.h"

static ZsFaults *
faults_of (ZsRunner *self)
{
  return zs_runner_get_run (self)->faults;
}

static guint
local_of (ZsRunner *self,
          guint     socket)
{
  return socket - _zs_runner_run_node (self)->first_socket;
}

static const char *
planned_endpoint (ZsRunner *self,
                  guint     l,
                  guint     end)
{
  ZsLink *link = g_ptr_array_index (zs_runner_get_run (self)->links, l);

  return end == 0 ? link->connect_endpoint : link->bind_endpoint;
}

/* Under live_lock: another link binds the same planned endpoint of the
 * same socket and still uses it. */
static gboolean
planned_bind_shared (ZsRunner *self,
                     guint     l)
{
  ZsRun *run = zs_runner_get_run (self);
  ZsLink *link = g_ptr_array_index (run->links, l);

  for (guint o = 0; o < run->links->len; o++)
    {
      ZsLink *other = g_ptr_array_index (run->links, o);
      ZsLinkLive *live = &run->faults->links[o].live;

      if (o != l && live->socket[1] == run->faults->links[l].live.socket[1] && live->held[1] == NULL
          && g_strcmp0 (other->bind_endpoint, link->bind_endpoint) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Under live_lock: inproc has no monitor events, the ends mark the link. */
static void
set_inproc_up (ZsRunner *self,
               guint     l,
               guint     end,
               gboolean  up)
{
  ZsRun *run = zs_runner_get_run (self);
  ZsLinkLive *live = &run->faults->links[l].live;
  ZsLinkCounters *c = &run->telemetry->links[l];
  int connected = ZS_LINK_STATE_CONNECTED;

  live->up[end] = up;
  if (up && live->up[0] && live->up[1] && live->transport == ZS_TRANSPORT_INPROC
      && atomic_exchange (&c->state, ZS_LINK_STATE_CONNECTED) != ZS_LINK_STATE_CONNECTED)
    {
      zs_counter_add (&c->connects, 1);
      zs_counter_set (&c->last_event, ZS_LINK_EVENT_CONNECTED);
      zs_counter_set (&c->last_event_us, (guint64) g_get_monotonic_time ());
    }
  else if (!up && atomic_compare_exchange_strong (&c->state, &connected, ZS_LINK_STATE_WAITING))
    {
      zs_counter_add (&c->disconnects, 1);
      zs_counter_set (&c->last_event, ZS_LINK_EVENT_DISCONNECTED);
      zs_counter_set (&c->last_event_us, (guint64) g_get_monotonic_time ());
    }
  zs_run_peers_changed (run, (int) live->node[0]);
  zs_run_peers_changed (run, (int) live->node[1]);
}

/* The link is down and waits for its new connection (which the monitor
 * sees come, on tcp and ipc): the first end to let go counts the
 * disconnect, as libzmq tells the end that lets go nothing. */
static void
note_waiting (ZsRunner *self,
              guint     l)
{
  ZsLinkCounters *c = &zs_runner_get_run (self)->telemetry->links[l];
  int connected = ZS_LINK_STATE_CONNECTED;

  if (atomic_compare_exchange_strong (&c->state, &connected, ZS_LINK_STATE_WAITING))
    {
      zs_counter_add (&c->disconnects, 1);
      zs_counter_set (&c->last_event, ZS_LINK_EVENT_DISCONNECTED);
    }
  else
    atomic_store (&c->state, ZS_LINK_STATE_WAITING);
  zs_counter_set (&c->last_event_us, (guint64) g_get_monotonic_time ());
}

/* A link whose ends can both make a new connection now. */
static gboolean
can_renew (ZsRun *run,
           guint  l)
{
  ZsLinkLive *live = &run->faults->links[l].live;

  for (guint end = 0; end < 2; end++)
    if (run->nodes[live->node[end]].external
        || atomic_load (&run->faults->nodes[live->node[end]].state) == ZS_NODE_FAULT_KILLED)
      return FALSE;
  return !atomic_load (&run->faults->links[l].cut_wanted);
}

static gboolean
hwm_pending (ZsSocketFaults *sf)
{
  return atomic_load (&sf->hwm[0]) != atomic_load (&sf->applied[0])
         || atomic_load (&sf->hwm[1]) != atomic_load (&sf->applied[1]) || atomic_load (&sf->renew);
}

/* Under live_lock: an end of a link of `socket` other than the socket's
 * own is letting go of a pipe with it now. */
static gboolean
peer_tearing_down (ZsRun *run,
                   guint  socket)
{
  for (guint l = 0; l < run->links->len; l++)
    {
      ZsLinkLive *live = &run->faults->links[l].live;

      for (guint end = 0; end < 2; end++)
        if (live->socket[!end] == socket && live->socket[end] != socket
            && live->torn_gen[end] == live->gen && live->done_gen[end] != live->gen)
          return TRUE;
    }
  return FALSE;
}

/* Flow `d` of link `l` settles what a torn-down pipe held as lost in the
 * change: its sender blocks at the HWM and knows the link it sends on. A
 * dropping sender's (PUB) undelivered messages cannot be told from its
 * HWM drops, nor a round-robin one's from its other pipes': they stay
 * dropped, or in flight. */
static gboolean
settles_in_change (ZsRun *run,
                   guint  l,
                   guint  d)
{
  ZsRunSocket *sender = &run->sockets[run->faults->links[l].live.socket[d]];
  ZsHwmPolicy policy = zs_socket_type_hwm_policy (sender->type);

  return policy != ZS_HWM_DROPS && policy != ZS_HWM_DROPS_UNROUTABLE && !zs_run_flow_is_estimated (run, l, d);
}

/* What flow `d` of link `l` has taken off its pipes, or lost: its receiver's count. */
static guint64
flow_arrived (ZsRun *run,
              guint  l,
              guint  d)
{
  ZsFlowCounters *f = &run->telemetry->links[l].flow[d];

  return zs_counter_get (&f->received) + zs_counter_get (&f->unread) + zs_counter_get (&f->gap_dropped)
         + zs_counter_get (&f->lost) + zs_relay_get_unclaimed (run->relay, l, d);
}

/* Under live_lock, by end `end`'s thread once it has let go of the
 * change's old pipe (nothing sent or taken since): it marks what it sent
 * on its flow and what it took on the other. The old pipe takes nothing
 * after its sender let go, so the second end to mark counts the
 * difference: what the pipe held, at most lost in the change (read_flow,
 * zs-snapshot-fill.c, caps it by what the receiver did not take). libzmq
 * may still hand the receiver some of it (an inproc zmq_disconnect ends
 * the pipe once read, an unbind keeps accepted pipes): after newer
 * messages, those are taken for ones from outside, and the count is then
 * said to be at most that (ZsLinkStats.lost_estimated). */
static void
mark_torn (ZsRunner *self,
           guint     l,
           guint     end)
{
  ZsRun *run = zs_runner_get_run (self);
  ZsLinkLive *live = &run->faults->links[l].live;

  if (live->marked_gen[end] == live->gen)
    return;
  live->marked_gen[end] = live->gen;
  for (guint d = 0; d < 2; d++)
    if (d == end)
      live->sent_mark[d] = zs_counter_get (&run->telemetry->links[l].flow[d].sent);
    else
      live->arrived_mark[d] = flow_arrived (run, l, d);
  if (live->marked_gen[!end] != live->gen)
    return;
  for (guint d = 0; d < 2; d++)
    if (settles_in_change (run, l, d) && live->sent_mark[d] > live->arrived_mark[d])
      zs_counter_add (&run->telemetry->links[l].flow[d].change_lost, live->sent_mark[d] - live->arrived_mark[d]);
}

/* The end of link `l` at `socket` lets go of its connection by closing
 * the socket (sync_hwms): opened again, it binds or connects nothing of
 * the link's until the change's fresh endpoint (apply_end). */
static void
closing_lets_go (ZsRunner *self,
                 guint     l,
                 guint     socket)
{
  ZsRun *run = zs_runner_get_run (self);
  ZsLinkLive *live = &run->faults->links[l].live;

  g_mutex_lock (&run->faults->live_lock);
  for (guint end = 0; end < 2; end++)
    if (live->socket[end] == socket && live->torn_gen[end] != live->gen)
      {
        if (live->transport == ZS_TRANSPORT_INPROC)
          set_inproc_up (self, l, end, FALSE);
        g_free (live->held[end]);
        live->held[end] = g_strdup ("");
        live->torn_gen[end] = live->gen;
      }
  g_mutex_unlock (&run->faults->live_lock);
  note_waiting (self, l);
}

/* An HWM asked of socket `local`: each of its links that can is asked to
 * reconnect to a fresh endpoint, as libzmq sizes new pipes only, and the
 * socket lets go of them by opening again with the new HWM (what it held
 * to read is counted unread, as for a subscriber that goes offline). Not
 * zmq_setsockopt on the open socket: libzmq 4.3.4 then forwards the HWM
 * to each pipe's peer, and its I/O thread crashes when that peer is
 * letting go of the pipe (seen here with changes in quick succession).
 * Peers wait for this before they let go of their pipes (apply_end). */
static void
sync_hwms (ZsRunner *self,
           guint     local)
{
  ZsRun *run = zs_runner_get_run (self);
  guint socket = _zs_runner_run_node (self)->first_socket + local;
  ZsSocketFaults *sf = &run->faults->sockets[socket];
  gboolean busy, renew;

  if (zs_run_is_stopping (run) || !hwm_pending (sf))
    return;
  /* A peer letting go of a pipe pokes this node once done (apply_end). */
  g_mutex_lock (&run->faults->live_lock);
  busy = peer_tearing_down (run, socket);
  g_mutex_unlock (&run->faults->live_lock);
  if (busy)
    return;
  renew = atomic_exchange (&sf->renew, 0);
  for (guint l = 0; renew && l < run->links->len; l++)
    {
      ZsLinkLive *live = &run->faults->links[l].live;

      if ((live->socket[0] == socket || live->socket[1] == socket) && can_renew (run, l))
        {
          zs_faults_change_link (run->faults, l, FALSE, -1, run->run_tag);
          closing_lets_go (self, l, socket);
        }
    }
  if ((atomic_load (&sf->hwm[0]) != atomic_load (&sf->applied[0])
       || atomic_load (&sf->hwm[1]) != atomic_load (&sf->applied[1]))
      && !zs_runner_reset_socket (self, local, TRUE))
    g_debug ("socket %u not opened again with its new HWM", socket);
  /* Closed: what it held to read is counted unread, what it held to send died. */
  g_mutex_lock (&run->faults->live_lock);
  for (guint l = 0; renew && l < run->links->len; l++)
    {
      ZsLinkLive *live = &run->faults->links[l].live;

      for (guint end = 0; end < 2; end++)
        if (live->socket[end] == socket && live->torn_gen[end] == live->gen)
          mark_torn (self, l, end);
    }
  g_mutex_unlock (&run->faults->live_lock);
  /* The peers that waited for it (apply_end) go on. */
  for (guint l = 0; renew && l < run->links->len; l++)
    {
      ZsLinkLive *live = &run->faults->links[l].live;

      for (guint end = 0; end < 2; end++)
        if (live->socket[end] == socket && live->node[!end] != _zs_runner_run_node (self)->index)
          zs_faults_ask_node (run->faults, live->node[!end]);
    }
}

/* A socket that gets a tcp or ipc link reports its connections too. */
static void
watch_wire (ZsRunner *self,
            guint     local,
            void     *zsock)
{
  ZsRun *run = zs_runner_get_run (self);
  guint socket = _zs_runner_run_node (self)->first_socket + local;
  ZsSocketFaults *sf = &run->faults->sockets[socket];

  if (sf->watched || run->monitor == NULL)
    return;
  sf->watched = zs_monitor_thread_watch_wire (run->monitor, socket, zsock);
}

static void
let_go (void       *zsock,
        const char *endpoint,
        gboolean    binding)
{
  if ((binding ? zmq_unbind (zsock, endpoint) : zmq_disconnect (zsock, endpoint)) != 0)
    g_debug ("%s %s: %s", binding ? "unbind" : "disconnect", endpoint, zmq_strerror (errno));
}

/* Binds or connects `endpoint`; a tcp bind's port read back into *bound. */
static gboolean
attach (ZsRunner    *self,
        void        *zsock,
        const char  *endpoint,
        gboolean     binding,
        char       **bound)
{
  char last[1024];
  size_t size = sizeof last;

  if (!binding)
    return zmq_connect (zsock, endpoint) == 0;
  if (!_zs_runner_bind (self, zsock, endpoint))
    return FALSE;
  *bound = g_strdup (zmq_getsockopt (zsock, ZMQ_LAST_ENDPOINT, last, &size) == 0 && g_str_has_prefix (endpoint, "tcp://")
                     ? last : endpoint);
  return TRUE;
}

/* One end of link `l`, this node's: the steps of the last change it has
 * not taken yet. */
static void
apply_end (ZsRunner *self,
           guint     l,
           guint     end)
{
  ZsFaults *faults = faults_of (self);
  ZsLinkLive *live = &faults->links[l].live;
  guint local = local_of (self, live->socket[end]);
  void *zsock = _zs_runner_sockets (self)[local];
  g_autofree char *old = NULL;
  g_autofree char *want = NULL;
  g_autofree char *bound = NULL;
  gboolean old_binds = FALSE, keep_old = FALSE, tore = FALSE, binds, ok;
  ZsTransport transport;
  guint gen;

  g_mutex_lock (&faults->live_lock);
  gen = live->gen;
  binds = (end == 0) == live->flipped;
  transport = live->transport;
  /* The other end's socket takes a new HWM first (sync_hwms): this end
   * lets go of its pipe with it after, once poked. */
  if (gen == 0 || live->done_gen[end] == gen || zsock == NULL)
    {
      g_mutex_unlock (&faults->live_lock);
      return;
    }
  if (live->torn_gen[end] != gen && live->socket[!end] != live->socket[end]
      && hwm_pending (&faults->sockets[live->socket[!end]]))
    {
      g_mutex_unlock (&faults->live_lock);
      zs_faults_ask_node (faults, live->node[!end]);   /* it pokes back once set */
      return;
    }
  if (live->torn_gen[end] != gen)
    {
      /* NULL: the planned endpoint; "": nothing. */
      if (live->held[end] == NULL || live->held[end][0] != '\0')
        {
          old = g_strdup (live->held[end] != NULL ? live->held[end] : planned_endpoint (self, l, end));
          old_binds = live->held[end] != NULL ? live->held_binds[end] : end == 1;
          keep_old = old_binds && live->held[end] == NULL && planned_bind_shared (self, l);
        }
      g_free (live->held[end]);
      live->held[end] = g_strdup ("");
      live->torn_gen[end] = gen;
      tore = TRUE;
      if (old != NULL && g_str_has_prefix (old, "inproc://"))
        set_inproc_up (self, l, end, FALSE);
    }
  if (binds || live->bound_gen == gen)
    want = g_strdup (binds ? live->bind_endpoint : live->connect_endpoint);
  if (want != NULL && !binds)
    {
      /* Known before the connect: its first monitor event may come at once. */
      ZsLiveConnect *c = g_new0 (ZsLiveConnect, 1);

      c->socket = live->socket[end];
      c->endpoint = g_strdup (want);
      g_ptr_array_add (live->connects, c);
    }
  g_mutex_unlock (&faults->live_lock);

  if (old != NULL)
    {
      if (!keep_old)
        let_go (zsock, old, old_binds);
      note_waiting (self, l);
    }
  if (tore)
    {
      g_mutex_lock (&faults->live_lock);
      mark_torn (self, l, end);
      g_mutex_unlock (&faults->live_lock);
    }
  if (want == NULL)
    return;     /* the binding end pokes this node once it has bound */
  if (transport != ZS_TRANSPORT_INPROC)
    watch_wire (self, local, zsock);
  ok = attach (self, zsock, want, binds, &bound);
  if (!ok)
    g_debug ("%s %s: %s", binds ? "bind" : "connect", want, zmq_strerror (errno));

  g_mutex_lock (&faults->live_lock);
  g_free (live->held[end]);
  live->held[end] = ok ? g_strdup (binds ? bound : want) : g_strdup ("");
  live->held_binds[end] = binds;
  live->done_gen[end] = gen;
  if (ok && binds)
    {
      live->bound_gen = gen;
      if (gen == live->gen)
        {
          g_free (live->connect_endpoint);
          live->connect_endpoint = g_strdup (bound);
        }
    }
  if (ok && transport == ZS_TRANSPORT_INPROC)
    set_inproc_up (self, l, end, TRUE);
  g_mutex_unlock (&faults->live_lock);

  /* The other end: it connects once this end has bound, or sets an HWM
   * it waited to set until this end had let go. */
  if (live->node[!end] != _zs_runner_run_node (self)->index)
    zs_faults_ask_node (faults, live->node[!end]);
}

void
_zs_runner_apply_live (ZsRunner *self)
{
  ZsRun *run = zs_runner_get_run (self);
  ZsRunNode *rn = _zs_runner_run_node (self);
  void **zsocks = _zs_runner_sockets (self);

  if (zs_run_is_stopping (run))
    return;
  for (guint i = 0; i < rn->n_sockets; i++)
    if (zsocks[i] != NULL)
      sync_hwms (self, i);
  /* Twice: a link between two sockets of this node binds, then connects. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint l = 0; l < run->links->len; l++)
      for (guint end = 0; end < 2; end++)
        if (run->faults->links[l].live.node[end] == rn->index)
          apply_end (self, l, end);
}

gboolean
_zs_runner_live_retired (ZsRunner   *self,
                         guint       local,
                         const char *endpoint,
                         gboolean    binding)
{
  ZsRun *run = zs_runner_get_run (self);
  guint socket = _zs_runner_run_node (self)->first_socket + local;
  guint end = binding ? 1 : 0;
  gboolean found = FALSE, used = FALSE;
  GArray *links = run->sockets[socket].links;

  g_mutex_lock (&run->faults->live_lock);
  for (guint i = 0; i < links->len; i++)
    {
      guint l = g_array_index (links, guint, i);
      ZsLinkLive *live = &run->faults->links[l].live;

      if (live->socket[end] != socket || g_strcmp0 (planned_endpoint (self, l, end), endpoint) != 0)
        continue;
      found = TRUE;
      used |= live->held[end] == NULL;
    }
  g_mutex_unlock (&run->faults->live_lock);
  return found && !used;
}

void
_zs_runner_reattach_live (ZsRunner *self,
                          guint     local)
{
  ZsRun *run = zs_runner_get_run (self);
  guint socket = _zs_runner_run_node (self)->first_socket + local;
  void *zsock = _zs_runner_sockets (self)[local];
  GArray *links = run->sockets[socket].links;

  run->faults->sockets[socket].watched = zs_monitor_thread_spec_watched (run->sockets[socket].spec);
  for (guint i = 0; i < links->len; i++)
    for (guint end = 0, l = g_array_index (links, guint, i); end < 2; end++)
      {
        ZsLinkLive *live = &run->faults->links[l].live;
        g_autofree char *held = NULL;
        g_autofree char *bound = NULL;
        gboolean binds;

        g_mutex_lock (&run->faults->live_lock);
        if (live->socket[end] == socket && live->held[end] != NULL && live->held[end][0] != '\0')
          held = g_strdup (live->held[end]);
        binds = live->held_binds[end];
        g_mutex_unlock (&run->faults->live_lock);
        if (held == NULL)
          continue;
        if (!g_str_has_prefix (held, "inproc://"))
          watch_wire (self, local, zsock);
        if (!attach (self, zsock, held, binds, &bound))
          g_debug ("%s %s again: %s", binds ? "bind" : "connect", held, zmq_strerror (errno));
        else if (g_str_has_prefix (held, "inproc://"))
          {
            g_mutex_lock (&run->faults->live_lock);
            set_inproc_up (self, l, end, TRUE);
            g_mutex_unlock (&run->faults->live_lock);
          }
      }
}

void
_zs_runner_live_closed (ZsRunner *self,
                        guint     local)
{
  ZsRun *run = zs_runner_get_run (self);
  guint socket = _zs_runner_run_node (self)->first_socket + local;

  /* The run's end is no disconnect (as for the planned links). */
  if (zs_run_is_stopping (run))
    return;
  g_mutex_lock (&run->faults->live_lock);
  for (guint i = 0; i < run->sockets[socket].links->len; i++)
    for (guint end = 0, l = g_array_index (run->sockets[socket].links, guint, i); end < 2; end++)
      {
        ZsLinkLive *live = &run->faults->links[l].live;

        if (live->socket[end] == socket && live->up[end])
          set_inproc_up (self, l, end, FALSE);
      }
  g_mutex_unlock (&run->faults->live_lock);
}

int
_zs_runner_live_hwm (ZsRunner *self,
                     guint     local,
                     guint     which)
{
  ZsSocketFaults *sf = &faults_of (self)->sockets[_zs_runner_run_node (self)->first_socket + local];

  atomic_store (&sf->applied[which], atomic_load (&sf->hwm[which]));
  return atomic_load (&sf->applied[which]);
}
