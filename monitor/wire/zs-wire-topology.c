/* zs-wire-topology.c: the topology the wire shows, and its figures
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "zs-wire-state.h"
#include "zs-wire-topology.h"

/* While it is built: nodes and sockets by key, links by socket pair. */
typedef struct {
  char       *key;          /* "pid:1234" or "addr:127.0.0.1:5555" */
  ZsNode     *node;
  ZsWireNode *info;
  GHashTable *sockets;      /* socket key -> socket index (+1) */
} NodeBuild;

typedef struct {
  ZsWireTopology *result;
  GHashTable     *nodes;     /* key -> NodeBuild */
  GPtrArray      *order;     /* NodeBuild, in topology order */
  GHashTable     *links;     /* "n/s>n/s" -> ZsWireLink */
  gboolean        running;
} Build;

static void
wire_node_free (ZsWireNode *n)
{
  g_free (n->command);
  g_free (n->address);
  g_ptr_array_unref (n->socket_types);
  g_free (n);
}

static void
event_free (ZsWireEvent *e)
{
  g_free (e->peer);
  g_free (e);
}

static ZsWireLink *
wire_link_new (void)
{
  ZsWireLink *l = g_new0 (ZsWireLink, 1);

  l->types_known = TRUE;
  l->subscriptions = g_ptr_array_new_with_free_func (g_free);
  l->findings = g_ptr_array_new_with_free_func (g_free);
  l->events = g_ptr_array_new_with_free_func ((GDestroyNotify) event_free);
  l->connection_ids = g_array_new (FALSE, FALSE, sizeof (guint64));
  return l;
}

static void
wire_link_free (ZsWireLink *l)
{
  g_free (l->version);
  g_free (l->mechanism);
  g_free (l->user);
  g_free (l->connect_identity);
  g_free (l->bind_identity);
  g_ptr_array_unref (l->subscriptions);
  g_ptr_array_unref (l->findings);
  g_ptr_array_unref (l->events);
  g_array_unref (l->connection_ids);
  g_free (l);
}

static void
node_build_free (NodeBuild *b)
{
  g_free (b->key);
  g_hash_table_unref (b->sockets);
  g_clear_object (&b->node);
  g_free (b);
}

void
zs_wire_topology_free (ZsWireTopology *self)
{
  if (self == NULL)
    return;
  g_clear_object (&self->topology);
  zs_snapshot_free (self->snapshot);
  g_ptr_array_unref (self->nodes);
  g_ptr_array_unref (self->links);
  g_ptr_array_unref (self->findings);
  g_free (self);
}

/* Nodes and sockets ----------------------------------------------------------- */

static char *
node_name (const ZsWireProcess *process,
           const char          *address)
{
  g_auto(GStrv) argv = NULL;
  g_autofree char *base = NULL;

  if (process->pid == 0)
    return g_strdup (address);
  if (process->command == NULL)
    return g_strdup_printf ("pid-%u", process->pid);
  argv = g_strsplit (process->command, " ", 2);
  base = g_path_get_basename (argv[0]);
  return g_strdup_printf ("%s-%u", base, process->pid);
}

/* A process is known by its pid on the machine whose /proc told it. */
static NodeBuild *
get_node (Build               *b,
          const ZsWireProcess *process,
          const char          *host,
          const ZsWireAddress *address)
{
  g_autofree char *text = zs_wire_address_to_string (address);
  g_autofree char *key = process->pid != 0 ? g_strdup_printf ("pid:%s:%u", host != NULL ? host : "", process->pid)
                                           : g_strdup_printf ("addr:%s", text);
  g_autofree char *stem = NULL, *name = NULL;
  NodeBuild *n = g_hash_table_lookup (b->nodes, key);

  if (n != NULL)
    return n;
  n = g_new0 (NodeBuild, 1);
  n->key = g_strdup (key);
  n->sockets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  n->info = g_new0 (ZsWireNode, 1);
  n->info->socket_types = g_ptr_array_new_with_free_func (g_free);
  n->info->pid = process->pid;
  n->info->command = g_strdup (process->command);
  if (process->pid == 0)
    n->info->address = g_strdup (text);
  stem = node_name (process, text);
  name = zs_topology_make_unique_name (b->result->topology, stem);
  n->node = zs_node_new (name, ZS_ROLE_EXTERNAL);
  g_object_set (n->node,
                "command", process->command != NULL ? process->command : "",
                "note", _("Seen on the wire: its queues and HWM drops are not visible from there."),
                NULL);
  zs_topology_add_node (b->result->topology, n->node);
  g_ptr_array_add (b->result->nodes, n->info);
  g_ptr_array_add (b->order, n);
  g_hash_table_insert (b->nodes, n->key, n);
  return n;
}

static const char *
type_name (const ZsWireDirState *d,
           ZsSocketType         *type)
{
  const char *name = d->socket_type;

  if (name == NULL || !zs_socket_type_from_string (name, type))
    {
      /* Unknown (mid-stream, encrypted): PAIR carries both directions. */
      *type = ZS_SOCKET_PAIR;
      return NULL;
    }
  return name;
}

/* The socket of node `n` under `key`, made the first time. */
static guint
get_socket (NodeBuild    *n,
            const char   *key,
            const char   *stem,
            const char   *type_name,
            ZsSocketType  type,
            const char   *endpoint,
            gboolean      binds)
{
  gpointer index = g_hash_table_lookup (n->sockets, key);
  g_autofree char *base = NULL, *name = NULL;
  g_autoptr(ZsSocketSpec) spec = NULL;
  const char *endpoints[] = { endpoint, NULL };

  if (index != NULL)
    return GPOINTER_TO_UINT (index) - 1;
  base = g_ascii_strdown (stem, -1);
  name = g_strdup (base);
  for (guint k = 2; zs_node_find_socket (n->node, name) != NULL; k++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-%u", base, k);
    }
  spec = zs_socket_spec_new (name, type);
  if (binds)
    zs_socket_spec_set_binds (spec, endpoints);
  else
    zs_socket_spec_set_connects (spec, endpoints);
  zs_node_add_socket (n->node, spec);
  g_ptr_array_add (n->info->socket_types, g_strdup (type_name));
  g_hash_table_insert (n->sockets, g_strdup (key), GUINT_TO_POINTER (zs_node_get_n_sockets (n->node)));
  return zs_node_get_n_sockets (n->node) - 1;
}

/* Figures ------------------------------------------------------------------ */

static void
add_flow (ZsWireFlow            *flow,
          const ZsWireConnState *c,
          guint                  d)
{
  const ZsZmtpCounts *z = &c->dir[d].counts;

  flow->messages += z->messages;
  flow->bytes += z->bytes;
  flow->frames += z->frames;
  flow->multipart += z->multipart;
  flow->enveloped += z->enveloped;
  flow->commands += z->commands;
  flow->subscribes += z->subscribes;
  flow->cancels += z->cancels;
  flow->pings += z->pings;
  flow->pongs += z->pongs;
  flow->errors += z->errors;
  flow->encrypted_frames += z->encrypted_frames;
  flow->encrypted_bytes += z->encrypted_bytes;
  if (!c->closed)
    flow->in_flight_bytes += c->dir[d].in_flight;
}

static void
set_if (char       **field,
        const char  *value)
{
  if (value != NULL)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

static void
add_event (ZsWireLink      *l,
           gint64           time_us,
           ZsWireEventKind  kind,
           const char      *peer)
{
  ZsWireEvent *e = g_new0 (ZsWireEvent, 1);

  e->time_us = time_us;
  e->kind = kind;
  e->peer = g_strdup (peer);
  g_ptr_array_add (l->events, e);
}

/* By time; connections overlap (a reconnect before the old one closed). */
static int
compare_events (gconstpointer a,
                gconstpointer b)
{
  const ZsWireEvent *x = *(ZsWireEvent * const *) a, *y = *(ZsWireEvent * const *) b;

  return x->time_us < y->time_us ? -1 : x->time_us > y->time_us;
}

static void
add_connection_to_link (Build                 *b,
                        ZsWireLink            *l,
                        const ZsWireConnState *c)
{
  g_autofree char *client = zs_wire_address_to_string (&c->client);
  g_autofree char *server = zs_wire_address_to_string (&c->server);
  const ZsWireDirState *z0 = &c->dir[0], *z1 = &c->dir[1];
  gboolean midstream = !c->saw_syn;

  l->connections++;
  l->open += !c->closed;
  g_array_append_val (l->connection_ids, c->id);
  add_event (l, c->first_us, l->connections == 1 ? ZS_WIRE_EVENT_CONNECTED : ZS_WIRE_EVENT_RECONNECTED, client);
  if (c->closed)
    add_event (l, c->closed_us, ZS_WIRE_EVENT_DISCONNECTED, client);
  for (guint d = 0; d < 2; d++)
    add_flow (&l->flow[d], c, d);
  if (z0->major > 0)
    {
      g_free (l->version);
      l->version = g_strdup_printf ("%u.%u", z0->major, z0->minor);
    }
  set_if (&l->mechanism, z0->mechanism);
  set_if (&l->user, z0->user);
  set_if (&l->connect_identity, z0->identity);
  set_if (&l->bind_identity, z1->identity);
  l->encrypted |= z0->encrypted || z1->encrypted;
  l->midstream |= midstream;
  l->types_known &= z0->socket_type != NULL && z1->socket_type != NULL;
  /* The subscriber's holdings are those of its latest connection. */
  for (guint d = 0; d < 2; d++)
    {
      GPtrArray *topics = c->dir[d].topics;

      if (topics->len == 0 && c->dir[d].counts.subscribes == 0)
        continue;
      g_ptr_array_set_size (l->subscriptions, 0);
      for (guint t = 0; t < topics->len; t++)
        g_ptr_array_add (l->subscriptions, g_strdup (g_ptr_array_index (topics, t)));
    }
  if (midstream && !(z0->socket_type && z1->socket_type))
    g_ptr_array_add (l->findings, g_strdup_printf (_("%s → %s: joined mid-stream, socket types unknown"),
                                                   client, server));
  if (l->encrypted && z0->socket_type == NULL)
    g_ptr_array_add (l->findings, g_strdup_printf (_("%s → %s: encrypted (CURVE): socket types and contents unknown, "
                                                     "counts and sizes only"), client, server));
  for (guint d = 0; d < 2; d++)
    {
      GPtrArray *findings = c->dir[d].findings;

      for (guint f = 0; f < findings->len; f++)
        {
          char *text = g_strdup_printf ("%s %s %s: %s", d == 0 ? client : server, "→",
                                        d == 0 ? server : client, (char *) g_ptr_array_index (findings, f));

          g_ptr_array_add (l->findings, text);
          g_ptr_array_add (b->result->findings, g_strdup (text));
        }
    }
}

/* A SUB's subscriptions seen on the wire become its socket's filters (the
 * escaped text: what the wire showed), so the file says what it holds. */
static void
add_filters (ZsSocketSpec         *spec,
             const ZsWireDirState *d)
{
  GPtrArray *topics = d->topics;
  g_autoptr(GPtrArray) filters = g_ptr_array_new ();
  const char * const *old = zs_socket_spec_get_subscribe (spec);

  if (topics->len == 0)
    return;
  for (guint i = 0; old[i] != NULL; i++)
    g_ptr_array_add (filters, (gpointer) old[i]);
  for (guint i = 0; i < topics->len; i++)
    {
      const char *topic = g_ptr_array_index (topics, i);

      if (!g_strv_contains (old, topic))
        g_ptr_array_add (filters, (gpointer) topic);
    }
  g_ptr_array_add (filters, NULL);
  zs_socket_spec_set_subscribe (spec, (const char * const *) filters->pdata);
}

static void
add_connection (Build                 *b,
                const ZsWireConnState *c)
{
  NodeBuild *server = get_node (b, &c->process[1], c->host[1], &c->server);
  NodeBuild *client = get_node (b, &c->process[0], c->host[0], &c->client);
  g_autofree char *endpoint = zs_wire_address_to_endpoint (&c->server);
  ZsSocketType stype, ctype;
  const char *sname = type_name (&c->dir[1], &stype);
  const char *cname = type_name (&c->dir[0], &ctype);
  g_autofree char *sstem = g_strdup_printf ("%s-%u", sname != NULL ? sname : "socket", c->server.port);
  g_autofree char *ckey = g_strdup_printf ("%s>%s", cname != NULL ? cname : "?", endpoint);
  guint ss = get_socket (server, endpoint, sstem, sname, stype, endpoint, TRUE);
  guint cs = get_socket (client, ckey, cname != NULL ? cname : "socket", cname, ctype, endpoint, FALSE);
  g_autofree char *lkey = g_strdup_printf ("%p/%u>%p/%u", (void *) client, cs, (void *) server, ss);
  ZsWireLink *l = g_hash_table_lookup (b->links, lkey);
  ZsSocketSpec *spec = zs_node_get_socket (server->node, ss);

  /* A listening socket seen untyped first takes its type when a later
   * connection tells it. */
  if (sname != NULL && g_ptr_array_index (server->info->socket_types, ss) == NULL)
    {
      zs_socket_spec_set_socket_type (spec, stype);
      g_ptr_array_index (server->info->socket_types, ss) = g_strdup (sname);
    }
  if (l == NULL)
    {
      l = wire_link_new ();
      g_hash_table_insert (b->links, g_steal_pointer (&lkey), l);
    }
  if (ctype == ZS_SOCKET_SUB || ctype == ZS_SOCKET_XSUB)
    add_filters (zs_node_get_socket (client->node, cs), &c->dir[0]);
  if (stype == ZS_SOCKET_SUB || stype == ZS_SOCKET_XSUB)
    add_filters (spec, &c->dir[1]);
  add_connection_to_link (b, l, c);
}

/* Programs that bind on the right, those that only connect on the left,
 * each column top down in order of first sight (Arrange does better). */
static void
place_nodes (ZsTopology *topology)
{
  guint rows[2] = { 0, 0 };

  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    {
      ZsNode *node = zs_topology_get_node (topology, i);
      guint column = 0;

      for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
        column |= zs_socket_spec_get_binds (zs_node_get_socket (node, s))[0] != NULL;
      zs_node_set_position (node, column ? 480 : 120, 120 + 160 * rows[column]++);
    }
}

/* The snapshot ----------------------------------------------------------------- */

static void
fill_snapshot (ZsWireTopology *self,
               gboolean        running,
               gint64          first_us,
               gint64          last_us)
{
  GPtrArray *links = zs_topology_get_links (self->topology);
  ZsSnapshot *s = zs_snapshot_new (zs_topology_get_n_nodes (self->topology), links->len);
  gboolean *open = g_new0 (gboolean, MAX (s->n_nodes, 1));

  s->time_us = last_us;
  s->run_started_us = first_us;
  s->running = running;
  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *link = g_ptr_array_index (links, i);
      const ZsWireLink *w = g_ptr_array_index (self->links, i);
      ZsLinkStats *ls = &s->links[i];
      const ZsWireEvent *last = w->events->len > 0 ? g_ptr_array_index (w->events, w->events->len - 1) : NULL;

      /* On the wire, what was sent is what crossed it: sent = received. */
      ls->sent = ls->received = w->flow[0].messages + w->flow[1].messages;
      ls->sent_bytes = ls->received_bytes = w->flow[0].bytes + w->flow[1].bytes;
      ls->multipart = w->flow[0].multipart + w->flow[1].multipart;
      ls->connects = w->connections;
      ls->disconnects = w->connections - w->open;
      ls->state = w->open > 0 ? ZS_LINK_STATE_CONNECTED
                : w->connections > 0 ? ZS_LINK_STATE_DISCONNECTED : ZS_LINK_STATE_IDLE;
      ls->last_event = last == NULL ? ZS_LINK_EVENT_NONE
                     : last->kind == ZS_WIRE_EVENT_DISCONNECTED ? ZS_LINK_EVENT_DISCONNECTED : ZS_LINK_EVENT_CONNECTED;
      ls->last_event_us = last != NULL ? last->time_us : 0;
      s->nodes[link->connect_node].sent += w->flow[0].messages;
      s->nodes[link->connect_node].sent_bytes += w->flow[0].bytes;
      s->nodes[link->bind_node].received += w->flow[0].messages;
      s->nodes[link->bind_node].received_bytes += w->flow[0].bytes;
      s->nodes[link->bind_node].sent += w->flow[1].messages;
      s->nodes[link->bind_node].sent_bytes += w->flow[1].bytes;
      s->nodes[link->connect_node].received += w->flow[1].messages;
      s->nodes[link->connect_node].received_bytes += w->flow[1].bytes;
      if (w->open > 0)
        open[link->connect_node] = open[link->bind_node] = TRUE;
    }
  for (guint i = 0; i < s->n_nodes; i++)
    {
      s->nodes[i].state = running && open[i] ? ZS_NODE_STATE_RUNNING : ZS_NODE_STATE_STOPPED;
      s->nodes[i].started_at_us = first_us;
    }
  g_free (open);
  self->snapshot = s;
}

ZsWireTopology *
zs_wire_topology_new (ZsWire   *wire,
                      gboolean  running)
{
  g_autoptr(GPtrArray) states = NULL;
  ZsWireTopology *self;

  g_return_val_if_fail (wire != NULL, NULL);

  states = zs_wire_get_states (wire);
  self = zs_wire_topology_new_from_states (states, running);
  self->packets = zs_wire_get_n_packets (wire);
  self->skipped = zs_wire_get_n_skipped (wire);
  self->overflow = zs_wire_get_n_overflow (wire);
  return self;
}

ZsWireTopology *
zs_wire_topology_new_from_states (GPtrArray *connections,
                                  gboolean   running)
{
  ZsWireTopology *self;
  GPtrArray *links;
  Build b = { NULL, NULL, NULL, NULL, running };
  gint64 first_us = 0, last_us = 0;

  g_return_val_if_fail (connections != NULL, NULL);

  self = b.result = g_new0 (ZsWireTopology, 1);

  self->topology = zs_topology_new ();
  zs_topology_set_title (self->topology, _("Seen on the wire"));
  self->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify) wire_node_free);
  self->links = g_ptr_array_new_with_free_func ((GDestroyNotify) wire_link_free);
  self->findings = g_ptr_array_new_with_free_func (g_free);
  b.nodes = g_hash_table_new (g_str_hash, g_str_equal);
  b.order = g_ptr_array_new_with_free_func ((GDestroyNotify) node_build_free);
  b.links = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) wire_link_free);
  for (guint i = 0; i < connections->len; i++)
    {
      const ZsWireConnState *c = g_ptr_array_index (connections, i);

      /* A refused or abandoned connect (no byte either way) shows no program. */
      if (c->dir[0].seen_bytes + c->dir[1].seen_bytes == 0)
        continue;
      add_connection (&b, c);
      first_us = first_us == 0 ? c->first_us : MIN (first_us, c->first_us);
      last_us = MAX (last_us, c->last_us);
    }
  /* In the model's link order; a link the model derives that no
   * connection made (two processes bound the same address in turn) is empty. */
  links = zs_topology_get_links (self->topology);
  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *link = g_ptr_array_index (links, i);
      NodeBuild *cn = g_ptr_array_index (b.order, link->connect_node);
      NodeBuild *bn = g_ptr_array_index (b.order, link->bind_node);
      g_autofree char *key = g_strdup_printf ("%p/%u>%p/%u", (void *) cn, link->connect_socket,
                                              (void *) bn, link->bind_socket);
      g_autofree char *stolen_key = NULL;
      ZsWireLink *l = NULL;

      if (!g_hash_table_steal_extended (b.links, key, (gpointer *) &stolen_key, (gpointer *) &l))
        l = wire_link_new ();
      g_ptr_array_sort (l->events, compare_events);
      g_ptr_array_add (self->links, l);
    }
  place_nodes (self->topology);
  fill_snapshot (self, running, first_us, last_us);
  g_hash_table_unref (b.nodes);
  g_ptr_array_unref (b.order);
  g_hash_table_unref (b.links);
  return self;
}

int
zs_wire_topology_find_link (ZsWireTopology *self,
                            const char     *connect_node,
                            const char     *connect_socket,
                            const char     *bind_node,
                            const char     *bind_socket)
{
  GPtrArray *links = zs_topology_get_links (self->topology);

  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *l = g_ptr_array_index (links, i);
      ZsNode *cn = zs_topology_get_node (self->topology, l->connect_node);
      ZsNode *bn = zs_topology_get_node (self->topology, l->bind_node);

      if (g_str_equal (zs_node_get_name (cn), connect_node)
          && g_str_equal (zs_socket_spec_get_name (zs_node_get_socket (cn, l->connect_socket)), connect_socket)
          && g_str_equal (zs_node_get_name (bn), bind_node)
          && g_str_equal (zs_socket_spec_get_name (zs_node_get_socket (bn, l->bind_socket)), bind_socket))
        return (int) i;
    }
  return -1;
}
