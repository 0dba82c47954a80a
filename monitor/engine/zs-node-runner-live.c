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

/* The link waits for its new connection (tcp and ipc: the monitor
 * counts the old one's disconnect, and sees the new one come). */
static void
note_waiting (ZsRunner *self,
              guint     l)
{
  ZsLinkCounters *c = &zs_runner_get_run (self)->telemetry->links[l];

  atomic_store (&c->state, ZS_LINK_STATE_WAITING);
  zs_counter_set (&c->last_event_us, (guint64) g_get_monotonic_time ());
}

static void
sync_hwms (ZsRunner *self,
           guint     local,
           void     *zsock)
{
  static const int options[2] = { ZMQ_SNDHWM, ZMQ_RCVHWM };
  ZsSocketFaults *sf = &faults_of (self)->sockets[_zs_runner_run_node (self)->first_socket + local];

  for (guint w = 0; w < 2; w++)
    {
      int want = atomic_load (&sf->hwm[w]);

      if (want != sf->applied[w] && zmq_setsockopt (zsock, options[w], &want, sizeof want) == 0)
        sf->applied[w] = want;
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
  gboolean old_binds = FALSE, keep_old = FALSE, binds, ok;
  ZsTransport transport;
  guint gen;

  g_mutex_lock (&faults->live_lock);
  gen = live->gen;
  binds = (end == 0) == live->flipped;
  transport = live->transport;
  if (gen == 0 || live->done_gen[end] == gen || zsock == NULL)
    {
      g_mutex_unlock (&faults->live_lock);
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
      if (old != NULL && g_str_has_prefix (old, "inproc://"))
        set_inproc_up (self, l, end, FALSE);
    }
  if (binds || live->bound_gen == gen)
    want = g_strdup (binds ? live->bind_endpoint : live->connect_endpoint);
  g_mutex_unlock (&faults->live_lock);

  if (old != NULL)
    {
      if (!keep_old)
        let_go (zsock, old, old_binds);
      note_waiting (self, l);
    }
  if (want == NULL)
    return;     /* the binding end pokes this node once it has bound */
  sync_hwms (self, local, zsock);
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
  else if (ok)
    {
      ZsLiveConnect *c = g_new0 (ZsLiveConnect, 1);

      c->socket = live->socket[end];
      c->endpoint = g_strdup (want);
      g_ptr_array_add (live->connects, c);
    }
  if (ok && transport == ZS_TRANSPORT_INPROC)
    set_inproc_up (self, l, end, TRUE);
  g_mutex_unlock (&faults->live_lock);

  if (ok && binds && live->node[!end] != _zs_runner_run_node (self)->index)
    zs_faults_ask_node (faults, live->node[!end]);
}

void
_zs_runner_apply_live (ZsRunner *self)
{
  ZsRun *run = zs_runner_get_run (self);
  ZsRunNode *rn = _zs_runner_run_node (self);
  void **zsocks = _zs_runner_sockets (self);

  for (guint i = 0; i < rn->n_sockets; i++)
    if (zsocks[i] != NULL)
      sync_hwms (self, i, zsocks[i]);
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

  g_mutex_lock (&run->faults->live_lock);
  for (guint l = 0; l < run->links->len; l++)
    {
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

  run->faults->sockets[socket].watched = zs_monitor_thread_spec_watched (run->sockets[socket].spec);
  for (guint l = 0; l < run->links->len; l++)
    for (guint end = 0; end < 2; end++)
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

  g_mutex_lock (&run->faults->live_lock);
  for (guint l = 0; l < run->links->len; l++)
    for (guint end = 0; end < 2; end++)
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

  sf->applied[which] = atomic_load (&sf->hwm[which]);
  return sf->applied[which];
}
