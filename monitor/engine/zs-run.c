/* zs-run.c: the plan of a run, and its snapshots
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-run"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include "zs-monitor-thread.h"
#include "zs-run.h"
#include "zs-trace.h"

static void
ipc_file_clear (ZsIpcFile *file)
{
  g_clear_pointer (&file->path, g_free);
}

static void
port_clear (ZsPort *port)
{
  g_clear_pointer (&port->filters, g_strfreev);
}

static GArray *
port_array_new (void)
{
  GArray *ports = g_array_new (FALSE, TRUE, sizeof (ZsPort));

  g_array_set_clear_func (ports, (GDestroyNotify) port_clear);
  return ports;
}

static gboolean
needs_routing_id (ZsSocketType type)
{
  return type == ZS_SOCKET_REQ || type == ZS_SOCKET_DEALER || type == ZS_SOCKET_ROUTER;
}

/* Fixed "node/socket" routing ids only within this run's inproc and ipc
 * endpoints: over tcp, libzmq's random ids let two copies of a topology
 * talk to one outside ROUTER (two peers with one id: the second is refused). */
static gboolean
local_endpoints_only (ZsSocketSpec *spec)
{
  const char * const *lists[] = { zs_socket_spec_get_binds (spec), zs_socket_spec_get_connects (spec) };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      if (!g_str_has_prefix (lists[l][i], "inproc://") && !g_str_has_prefix (lists[l][i], "ipc://"))
        return FALSE;
  return TRUE;
}

static void
init_sockets (ZsRun *run)
{
  guint s = 0;

  for (guint n = 0; n < run->n_nodes; n++)
    run->n_sockets += zs_node_get_n_sockets (zs_topology_get_node (run->topology, n));
  run->sockets = g_new0 (ZsRunSocket, MAX (run->n_sockets, 1));

  for (guint n = 0; n < run->n_nodes; n++)
    {
      ZsRunNode *rn = &run->nodes[n];

      rn->index = n;
      rn->run = run;
      g_cond_init (&rn->peers_cond);
      rn->node = zs_topology_get_node (run->topology, n);
      rn->first_socket = s;
      rn->n_sockets = zs_node_get_n_sockets (rn->node);
      rn->has_end = zs_node_has_end (rn->node);
      rn->external = zs_node_is_external (rn->node);
      for (guint i = 0; i < rn->n_sockets; i++, s++)
        {
          ZsRunSocket *rs = &run->sockets[s];
          const char *id;

          rs->index = s;
          rs->node = n;
          rs->spec = zs_node_get_socket (rn->node, i);
          rs->type = zs_socket_spec_get_socket_type (rs->spec);
          rs->out_ports = port_array_new ();
          rs->in_ports = port_array_new ();
          rs->links = g_array_new (FALSE, FALSE, sizeof (guint));
          id = zs_socket_spec_get_routing_id (rs->spec);
          if (id != NULL && *id != '\0')
            rs->routing_id = g_strdup (id);
          else if (needs_routing_id (rs->type) && local_endpoints_only (rs->spec))
            rs->routing_id = g_strdup_printf ("%s/%s", zs_node_get_name (rn->node),
                                              zs_socket_spec_get_name (rs->spec));
        }
    }
}

static guint
link_socket (ZsRun  *run,
             guint   node,
             guint   socket)
{
  return run->nodes[node].first_socket + socket;
}

static void
add_flow (ZsRun  *run,
          guint   link,
          guint   dir,
          guint   from,
          guint   to)
{
  ZsRunSocket *sender = &run->sockets[from];
  ZsRunSocket *receiver = &run->sockets[to];
  ZsPort out = { link, dir, NULL };
  ZsPort in = { link, dir, NULL };

  if ((sender->type == ZS_SOCKET_PUB || sender->type == ZS_SOCKET_XPUB) && receiver->type == ZS_SOCKET_XSUB)
    {
      /* An XSUB subscribes to what its forwarder passes upstream, at run time. */
      out.live = in.live = g_new0 (ZsLiveFilters, 1);
      g_mutex_init (&out.live->lock);
      out.live->prefixes = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (run->live_filters, out.live);
    }
  else if (sender->type == ZS_SOCKET_PUB || sender->type == ZS_SOCKET_XPUB)
    out.filters = g_strdupv ((GStrv) zs_socket_spec_get_subscribe (receiver->spec));
  g_array_append_val (sender->out_ports, out);
  g_array_append_val (receiver->in_ports, in);
}

static void
live_filters_free (ZsLiveFilters *live)
{
  g_ptr_array_unref (live->prefixes);
  g_mutex_clear (&live->lock);
  g_free (live);
}

void
zs_run_note_upstream (ZsRun        *run,
                      guint         xsub,
                      const guint8 *msg,
                      gsize         size)
{
  GArray *in = run->sockets[xsub].in_ports;

  if (size == 0 || msg[0] > 1)
    return;
  for (guint i = 0; i < in->len; i++)
    {
      ZsLiveFilters *live = g_array_index (in, ZsPort, i).live;
      g_autofree char *prefix = NULL;

      if (live == NULL)
        continue;
      prefix = g_strndup ((const char *) msg + 1, size - 1);
      g_mutex_lock (&live->lock);
      if (msg[0] == 1)
        g_ptr_array_add (live->prefixes, g_steal_pointer (&prefix));
      else
        for (guint p = 0; p < live->prefixes->len; p++)
          if (g_str_equal (g_ptr_array_index (live->prefixes, p), prefix))
            {
              g_ptr_array_remove_index_fast (live->prefixes, p);
              break;
            }
      atomic_fetch_add (&live->generation, 1);
      g_mutex_unlock (&live->lock);
    }
}

void
zs_run_port_refresh_filters (ZsPort *port)
{
  guint generation = atomic_load_explicit (&port->live->generation, memory_order_acquire);

  if (generation == port->live_seen)
    return;
  g_mutex_lock (&port->live->lock);
  g_strfreev (port->filters);
  port->filters = g_new0 (char *, port->live->prefixes->len + 1);
  for (guint p = 0; p < port->live->prefixes->len; p++)
    port->filters[p] = g_strdup (g_ptr_array_index (port->live->prefixes, p));
  port->live_seen = atomic_load (&port->live->generation);
  g_mutex_unlock (&port->live->lock);
}

static guint flow_sender (ZsRun *run, guint link, guint dir);

/* Which in port a message from each sending socket comes through (its
 * first flow from there): a table over the span of its senders' indices,
 * not every socket of the run. */
static void
index_port_from (ZsRun       *run,
                 ZsRunSocket *receiver)
{
  GArray *in = receiver->in_ports;
  guint first = G_MAXUINT, last = 0;

  for (guint i = 0; i < in->len; i++)
    {
      ZsPort *port = &g_array_index (in, ZsPort, i);
      guint from = flow_sender (run, port->link, port->dir);

      first = MIN (first, from);
      last = MAX (last, from);
    }
  if (in->len == 0)
    return;
  receiver->port_from_first = first;
  receiver->port_from_len = last - first + 1;
  receiver->port_from = g_new0 (guint32, receiver->port_from_len);
  for (guint i = 0; i < in->len; i++)
    {
      ZsPort *port = &g_array_index (in, ZsPort, i);
      guint from = flow_sender (run, port->link, port->dir) - first;

      if (receiver->port_from[from] == 0)
        receiver->port_from[from] = i + 1;
    }
}

static void
init_flows (ZsRun *run)
{
  run->live_filters = g_ptr_array_new_with_free_func ((GDestroyNotify) live_filters_free);
  for (guint l = 0; l < run->links->len; l++)
    {
      ZsLink *link = g_ptr_array_index (run->links, l);
      guint cs = link_socket (run, link->connect_node, link->connect_socket);
      guint bs = link_socket (run, link->bind_node, link->bind_socket);

      g_array_append_val (run->sockets[cs].links, l);
      if (bs != cs)
        g_array_append_val (run->sockets[bs].links, l);
      if (link->to_bind)
        add_flow (run, l, 0, cs, bs);
      if (link->to_connect)
        add_flow (run, l, 1, bs, cs);
    }
  for (guint s = 0; s < run->n_sockets; s++)
    index_port_from (run, &run->sockets[s]);
}

static guint
flow_sender (ZsRun *run,
             guint  link,
             guint  dir)
{
  ZsLink *l = g_ptr_array_index (run->links, link);

  return dir == 0 ? link_socket (run, l->connect_node, l->connect_socket)
                  : link_socket (run, l->bind_node, l->bind_socket);
}

/* A tcp or ipc connect of the socket that no bind of the file matches:
 * whatever answers there is an outside program. */
static const char *
unlinked_connect (GPtrArray    *links,
                  guint         node,
                  guint         socket,
                  ZsSocketSpec *spec,
                  guint        *n_unlinked)
{
  const char * const *connects = zs_socket_spec_get_connects (spec);
  const char *first = NULL;

  for (guint i = 0; connects != NULL && connects[i] != NULL; i++)
    {
      gboolean linked = g_str_has_prefix (connects[i], "inproc://");

      for (guint l = 0; !linked && l < links->len; l++)
        {
          ZsLink *link = g_ptr_array_index (links, l);
          linked = link->connect_node == node && link->connect_socket == socket
                   && g_strcmp0 (link->connect_endpoint, connects[i]) == 0;
        }
      if (!linked && first == NULL)
        first = connects[i];
      if (!linked && n_unlinked != NULL)
        (*n_unlinked)++;
    }
  return first;
}

/* The external program a socket is linked to, if any. */
static ZsNode *
linked_external (ZsTopology *topology,
                 guint       node,
                 guint       socket)
{
  GPtrArray *links = zs_topology_get_links (topology);

  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *link = g_ptr_array_index (links, i);
      ZsNode *peer;

      if (link->connect_node == node && link->connect_socket == socket)
        peer = zs_topology_get_node (topology, link->bind_node);
      else if (link->bind_node == node && link->bind_socket == socket)
        peer = zs_topology_get_node (topology, link->connect_node);
      else
        continue;
      if (zs_node_is_external (peer))
        return peer;
    }
  return NULL;
}

/* The one rule of tracing: a socket traces only while every peer is one of
 * ours. Known before the run: tracing switched off, a link to an external
 * program, a connect no bind of the file matches. An outside peer that
 * appears during the run (zs-monitor-thread.c) turns it off from then on
 * (rs->outside). */
char *
zs_run_untraced_reason (ZsTopology *topology,
                        guint       node,
                        guint       socket)
{
  ZsNode *n;
  ZsNode *external;
  const char *endpoint;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);

  n = zs_topology_get_node (topology, node);
  if (!zs_node_get_tracing (n))
    return g_strdup (_("tracing is off for its node"));
  external = linked_external (topology, node, socket);
  if (external != NULL)
    return g_strdup_printf (_("it is linked to “%s”, an outside program"), zs_node_get_name (external));
  endpoint = unlinked_connect (zs_topology_get_links (topology), node, socket, zs_node_get_socket (n, socket), NULL);
  if (endpoint != NULL)
    return g_strdup_printf (_("it connects to %s, which no node of the file binds: an outside program"), endpoint);
  return NULL;
}

gboolean
zs_run_socket_traced (ZsRun       *run,
                      ZsRunSocket *rs)
{
  g_autofree char *reason = zs_run_untraced_reason (run->topology, rs->node,
                                                    rs->index - run->nodes[rs->node].first_socket);

  return reason == NULL;
}

void
zs_run_socket_set_outside (ZsRun *run,
                           guint  socket)
{
  atomic_store (&run->sockets[socket].outside, 1);
}

static gboolean
sends_untraced (ZsRunSocket *rs)
{
  return !rs->traced_plan || zs_run_socket_has_outside (rs);
}

/* Untraced messages can be told apart from outside ones only when exactly
 * one of the socket's senders sends untraced. */
static guint
untraced_senders (ZsRun       *run,
                  ZsRunSocket *rs,
                  int         *port)
{
  guint n = 0;

  *port = -1;
  for (guint i = 0; i < rs->in_ports->len; i++)
    {
      ZsPort *p = &g_array_index (rs->in_ports, ZsPort, i);

      if (!sends_untraced (&run->sockets[flow_sender (run, p->link, p->dir)]))
        continue;
      n++;
      *port = (int) i;
    }
  return n;
}

int
zs_run_untraced_port (ZsRun       *run,
                      ZsRunSocket *rs)
{
  int port;

  return untraced_senders (run, rs, &port) == 1 ? port : -1;
}

void
zs_run_note_outside_arrival (ZsRun       *run,
                             ZsRunSocket *rs,
                             gboolean     traced)
{
  int port;

  if (!zs_run_socket_has_outside (rs) && (traced || untraced_senders (run, rs, &port) == 0))
    atomic_store (&rs->outside, 1);
}

void
zs_run_peer_key (guint8     *key,
                 const void *id,
                 gsize       size)
{
  size = MIN (size, 255);
  key[0] = (guint8) size;
  memcpy (key + 1, id, size);
}

static guint
peer_key_hash (gconstpointer key)
{
  const guint8 *k = key;
  guint hash = 5381;

  for (guint i = 0; i <= k[0]; i++)
    hash = hash * 33 + k[i];
  return hash;
}

static gboolean
peer_key_equal (gconstpointer a,
                gconstpointer b)
{
  const guint8 *ka = a, *kb = b;

  return ka[0] == kb[0] && memcmp (ka + 1, kb + 1, ka[0]) == 0;
}

static gboolean
filters_equal (GStrv a,
               GStrv b)
{
  guint n = a ? g_strv_length (a) : 0;

  if (n != (b ? g_strv_length (b) : 0))
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!g_strv_contains ((const char * const *) b, a[i]))
      return FALSE;
  return TRUE;
}

/* Decides, per sending socket, whether trailers can carry a per-link
 * sequence (so that receivers count gaps as drops). */
static void
init_exactness (ZsRunSocket *rs,
                ZsRun       *run)
{
  GArray *out = rs->out_ports;

  switch (rs->type)
    {
    case ZS_SOCKET_PUB:
    case ZS_SOCKET_XPUB:
      rs->uniform_filters = TRUE;
      for (guint i = 0; i < out->len; i++)
        if (g_array_index (out, ZsPort, i).live != NULL && out->len > 1)
          rs->uniform_filters = FALSE;
      for (guint i = 1; i < out->len; i++)
        if (!filters_equal (g_array_index (out, ZsPort, 0).filters, g_array_index (out, ZsPort, i).filters))
          rs->uniform_filters = FALSE;
      rs->exact_out = rs->uniform_filters;
      break;
    case ZS_SOCKET_ROUTER:
      rs->port_by_peer = g_hash_table_new_full (peer_key_hash, peer_key_equal, g_free, NULL);
      for (guint i = 0; i < out->len; i++)
        {
          ZsLink *link = g_ptr_array_index (run->links, g_array_index (out, ZsPort, i).link);
          guint cs = link_socket (run, link->connect_node, link->connect_socket);
          guint bs = link_socket (run, link->bind_node, link->bind_socket);
          ZsRunSocket *peer = &run->sockets[cs == rs->index ? bs : cs];

          if (peer->routing_id != NULL)
            {
              guint8 *key = g_malloc (256);

              zs_run_peer_key (key, peer->routing_id, strlen (peer->routing_id));
              g_hash_table_insert (rs->port_by_peer, key, GUINT_TO_POINTER (i + 1));
            }
        }
      rs->exact_out = TRUE;
      break;
    case ZS_SOCKET_REP:
      rs->exact_out = TRUE;
      break;
    case ZS_SOCKET_PAIR:
    case ZS_SOCKET_SUB:
    case ZS_SOCKET_REQ:
    case ZS_SOCKET_DEALER:
    case ZS_SOCKET_PULL:
    case ZS_SOCKET_PUSH:
    case ZS_SOCKET_XSUB:
    case ZS_SOCKET_N_TYPES:
    default:
      rs->exact_out = out->len <= 1;
      break;
    }
}

/* Connects to outside programs: the socket has outside peers from the start. */
static void
init_outside (ZsRun       *run,
              ZsRunSocket *rs)
{
  guint n = 0;

  unlinked_connect (run->links, rs->node, rs->index - run->nodes[rs->node].first_socket, rs->spec, &n);
  if (n == 0)
    return;
  atomic_store (&rs->outside, 1);
  zs_counter_set (&run->telemetry->sockets[rs->index].outside_peers, n);
}

/* Each port finds its flow's counters without arithmetic on every message. */
static void
point_ports_at_flows (ZsRun  *run,
                      GArray *ports)
{
  for (guint i = 0; ports != NULL && i < ports->len; i++)
    {
      ZsPort *port = &g_array_index (ports, ZsPort, i);

      port->flow = &run->telemetry->links[port->link].flow[port->dir];
    }
}

ZsRun *
zs_run_new (ZsTopology  *frozen,
            GError     **error)
{
  ZsRun *run = g_new0 (ZsRun, 1);

  run->topology = g_object_ref (frozen);
  run->links = g_ptr_array_ref (zs_topology_get_links (frozen));
  run->n_nodes = zs_topology_get_n_nodes (frozen);
  run->nodes = g_new0 (ZsRunNode, MAX (run->n_nodes, 1));
  init_sockets (run);
  init_flows (run);
  for (guint s = 0; s < run->n_sockets; s++)
    {
      init_exactness (&run->sockets[s], run);
      run->sockets[s].traced_plan = zs_run_socket_traced (run, &run->sockets[s]);
    }

  run->captures = g_new0 (ZsCaptureRing *, MAX (run->links->len, 1));
  run->capturing = g_new0 (_Atomic int, MAX (run->links->len, 1));
  /* Every link keeps its last messages: one can be looked at later. */
  for (guint l = 0; l < run->links->len; l++)
    {
      run->captures[l] = zs_capture_ring_new ();
      run->capturing[l] = 1;
    }
  run->telemetry = zs_telemetry_new (run->n_nodes, run->n_sockets, run->links->len);
  for (guint s = 0; s < run->n_sockets; s++)
    {
      init_outside (run, &run->sockets[s]);
      point_ports_at_flows (run, run->sockets[s].out_ports);
      point_ports_at_flows (run, run->sockets[s].in_ports);
    }
  run->gate = zs_gate_new ();
  run->relay = zs_relay_new (run->links->len);
  run->faults = zs_faults_new (run->n_nodes, run->n_sockets, run->links->len);
  for (guint l = 0; l < run->links->len; l++)
    {
      ZsLink *link = g_ptr_array_index (run->links, l);
      ZsLinkLive *live = &run->faults->links[l].live;

      run->faults->links[l].owner = link->connect_node;
      live->node[0] = link->connect_node;
      live->node[1] = link->bind_node;
      live->socket[0] = link_socket (run, link->connect_node, link->connect_socket);
      live->socket[1] = link_socket (run, link->bind_node, link->bind_socket);
      live->transport = link->transport;
    }
  for (guint s = 0; s < run->n_sockets; s++)
    {
      ZsSocketFaults *sf = &run->faults->sockets[s];

      atomic_store (&sf->hwm[0], zs_socket_spec_get_sndhwm (run->sockets[s].spec));
      atomic_store (&sf->hwm[1], zs_socket_spec_get_rcvhwm (run->sockets[s].spec));
      atomic_store (&sf->applied[0], atomic_load (&sf->hwm[0]));
      atomic_store (&sf->applied[1], atomic_load (&sf->hwm[1]));
    }
  run->ipc_files = g_array_new (FALSE, TRUE, sizeof (ZsIpcFile));
  g_array_set_clear_func (run->ipc_files, (GDestroyNotify) ipc_file_clear);
  run->run_tag = zs_trace_new_run_tag ();
  g_mutex_init (&run->mutex);
  g_cond_init (&run->cond);
  for (guint n = 0; n < run->n_nodes; n++)
    if (run->nodes[n].has_end)
      run->n_with_end++;
  run->ends_pending = run->n_with_end;

  run->stop_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  run->event_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  run->ctx = zmq_ctx_new ();
  if (run->stop_fd < 0 || run->event_fd < 0 || run->ctx == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not create the ZeroMQ context: %s"), g_strerror (errno));
      zs_run_free (run);
      return NULL;
    }
  /* New sockets get linger 0, and there is room for a monitor per socket. */
  zmq_ctx_set (run->ctx, ZMQ_BLOCKY, 0);
  zmq_ctx_set (run->ctx, ZMQ_MAX_SOCKETS, MAX (1023, (int) run->n_sockets * 3 + 64));
  return run;
}

void
zs_run_free (ZsRun *run)
{
  if (run == NULL)
    return;
  if (run->ctx != NULL)
    {
      while (zmq_ctx_term (run->ctx) == -1 && errno == EINTR)
        ;
    }
  if (run->stop_fd >= 0)
    close (run->stop_fd);
  if (run->event_fd >= 0)
    close (run->event_fd);
  for (guint s = 0; s < run->n_sockets; s++)
    {
      ZsRunSocket *rs = &run->sockets[s];

      g_clear_pointer (&rs->out_ports, g_array_unref);
      g_clear_pointer (&rs->in_ports, g_array_unref);
      g_clear_pointer (&rs->links, g_array_unref);
      g_clear_pointer (&rs->port_by_peer, g_hash_table_unref);
      g_free (rs->port_from);
      g_free (rs->routing_id);
    }
  for (guint l = 0; run->captures != NULL && l < run->links->len; l++)
    zs_capture_ring_free (run->captures[l]);
  g_free (run->captures);
  g_free ((gpointer) run->capturing);
  g_free (run->sockets);
  for (guint n = 0; n < run->n_nodes; n++)
    g_cond_clear (&run->nodes[n].peers_cond);
  g_free (run->nodes);
  zs_telemetry_free (run->telemetry);
  zs_gate_free (run->gate);
  zs_faults_free (run->faults);
  zs_relay_free (run->relay);
  g_free (atomic_load (&run->stop_reason));
  g_clear_pointer (&run->ipc_files, g_array_unref);
  g_clear_pointer (&run->live_filters, g_ptr_array_unref);
  g_mutex_clear (&run->mutex);
  g_cond_clear (&run->cond);
  g_clear_pointer (&run->links, g_ptr_array_unref);
  g_clear_object (&run->topology);
  g_free (run);
}

guint
zs_run_flow_dir (ZsRun *run,
                 guint  link,
                 guint  from_socket)
{
  ZsLink *l = g_ptr_array_index (run->links, link);

  return link_socket (run, l->connect_node, l->connect_socket) == from_socket ? 0 : 1;
}

gboolean
zs_run_flow_is_estimated (ZsRun *run,
                          guint  link,
                          guint  dir)
{
  return zs_run_socket_sends_round_robin (&run->sockets[flow_sender (run, link, dir)]);
}

void
zs_run_node_finished (ZsRun    *run,
                      guint     node,
                      gboolean  reached_end)
{
  g_mutex_lock (&run->mutex);
  if (run->nodes[node].has_end && run->ends_pending > 0)
    {
      run->ends_pending--;
      run->ends_reached += reached_end;
    }
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->mutex);
  zs_run_notify (run);
}

void
zs_run_notify (ZsRun *run)
{
  eventfd_write (run->event_fd, 1);
}

void
zs_run_peers_changed (ZsRun *run,
                      int    node)
{
  guint first = node < 0 ? 0 : (guint) node;
  guint end = node < 0 ? run->n_nodes : first + 1;

  g_mutex_lock (&run->mutex);
  for (guint n = first; n < end; n++)
    {
      run->nodes[n].peers_generation++;
      g_cond_broadcast (&run->nodes[n].peers_cond);
    }
  g_mutex_unlock (&run->mutex);
}

guint64
zs_run_peers_generation (ZsRun *run,
                         guint  node)
{
  guint64 generation;

  g_mutex_lock (&run->mutex);
  generation = run->nodes[node].peers_generation;
  g_mutex_unlock (&run->mutex);
  return generation;
}

gboolean
zs_run_wait_peers_change (ZsRun   *run,
                          guint    node,
                          guint64 *seen)
{
  ZsRunNode *rn = &run->nodes[node];

  g_mutex_lock (&run->mutex);
  while (rn->peers_generation == *seen && !zs_run_is_stopping (run))
    g_cond_wait (&rn->peers_cond, &run->mutex);
  *seen = rn->peers_generation;
  g_mutex_unlock (&run->mutex);
  return !zs_run_is_stopping (run);
}

void
zs_run_abort (ZsRun *run,
              char  *reason)
{
  zs_telemetry_set_text (&run->stop_reason, reason);
  atomic_store (&run->stopping, 1);
  zs_gate_close (run->gate);
  eventfd_write (run->stop_fd, 1);
  zs_run_peers_changed (run, -1);
  g_mutex_lock (&run->mutex);
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->mutex);
  zs_run_notify (run);
}

guint64
zs_run_flow_capacity (ZsRun *run,
                      guint  link,
                      guint  dir)
{
  ZsLink *l = g_ptr_array_index (run->links, link);
  guint cs = link_socket (run, l->connect_node, l->connect_socket);
  guint bs = link_socket (run, l->bind_node, l->bind_socket);
  /* The HWMs as asked now (zs_engine_set_socket_hwm), from the plan's. */
  int snd = atomic_load (&run->faults->sockets[dir == 0 ? cs : bs].hwm[0]);
  int rcv = atomic_load (&run->faults->sockets[dir == 0 ? bs : cs].hwm[1]);

  return (snd == 0 || rcv == 0) ? 0 : (guint64) snd + (guint64) rcv;
}

/* A blocking sender (PUSH, DEALER, REQ, PAIR) killed during the run: what
 * it had sent before its last kill and never arrived died with its queues
 * (libzmq discards them at a close with linger 0): lost in the crash.
 * A dropping sender's undelivered messages cannot be told from its HWM
 * drops, and stay drops. Returns that count. */
static guint64
settle_lost (ZsFlowCounters *f,
             guint64         sent,
             guint64         arrived)
{
  guint64 before_kill = MIN (zs_counter_get (&f->lost_mark), sent);
  guint64 lost = before_kill > arrived ? before_kill - arrived : 0;

  zs_counter_set (&f->settled_lost, lost);
  return lost;
}

void
zs_run_settle (ZsRun *run)
{
  for (guint l = 0; l < run->links->len; l++)
    for (guint d = 0; d < 2; d++)
      {
        ZsFlowCounters *f = &run->telemetry->links[l].flow[d];
        ZsRunSocket *sender = &run->sockets[flow_sender (run, l, d)];
        guint64 sent = zs_counter_get (&f->sent);
        guint64 arrived = zs_counter_get (&f->received) + zs_counter_get (&f->unread)
                          + zs_counter_get (&f->gap_dropped) + zs_counter_get (&f->lost)
                          + zs_relay_get_unclaimed (run->relay, l, d);
        ZsHwmPolicy policy = zs_socket_type_hwm_policy (sender->type);
        gboolean drops = policy == ZS_HWM_DROPS || policy == ZS_HWM_DROPS_UNROUTABLE;

        if (!drops)
          arrived += settle_lost (f, sent, arrived);
        if (zs_run_socket_sends_round_robin (sender) || !drops)
          continue;
        /* No HWM and the receiver was there: nothing was dropped; what it
         * did not get was still queued at stop and is discarded with the
         * sockets (the snapshot's `discarded`). */
        if (zs_run_flow_capacity (run, l, d) == 0 && arrived > 0)
          continue;
        zs_counter_set (&f->settled_dropped, sent > arrived ? sent - arrived : 0);
      }
  atomic_store (&run->settled, 1);
}

void
zs_run_term_context (ZsRun *run)
{
  gint64 start = g_get_monotonic_time ();

  while (zmq_ctx_term (run->ctx) == -1 && errno == EINTR)
    ;
  run->ctx = NULL;
  /* Only a linger that ran out keeps zmq_ctx_term this long: what was
   * still queued for an outside peer then was discarded. */
  if (g_get_monotonic_time () - start >= (ZS_RUN_OUTSIDE_LINGER_MS - 50) * 1000)
    atomic_store (&run->outside_discarded, 1);
}

gboolean
zs_run_is_settled (ZsRun *run)
{
  return atomic_load (&run->settled) != 0;
}

void
zs_run_add_ipc_file (ZsRun      *run,
                     const char *path)
{
  struct stat st;
  ZsIpcFile file;

  if (lstat (path, &st) != 0 || !S_ISSOCK (st.st_mode))
    return;
  file = (ZsIpcFile) { g_strdup (path), st.st_dev, st.st_ino };
  g_mutex_lock (&run->mutex);
  g_array_append_val (run->ipc_files, file);
  g_mutex_unlock (&run->mutex);
}

void
zs_run_remove_ipc_files (ZsRun *run)
{
  g_mutex_lock (&run->mutex);
  for (guint i = 0; i < run->ipc_files->len; i++)
    {
      ZsIpcFile *file = &g_array_index (run->ipc_files, ZsIpcFile, i);
      struct stat st;

      /* Only the socket file we made: not one a program put there since. */
      if (lstat (file->path, &st) == 0 && S_ISSOCK (st.st_mode) && st.st_dev == file->dev && st.st_ino == file->ino
          && unlink (file->path) != 0)
        g_debug ("could not remove %s: %s", file->path, g_strerror (errno));
    }
  g_array_set_size (run->ipc_files, 0);
  g_mutex_unlock (&run->mutex);
}
