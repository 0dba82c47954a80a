/* zs-edit.c: the topology edits behind the canvas gestures
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-edit"

#include "config.h"

#include <string.h>

#include "zs-edit.h"

#define FIRST_TCP_PORT 5555

/* ---- endpoint lists of a socket ---------------------------------------- */

static const char *
list_name (gboolean binds)
{
  return binds ? "binds" : "connects";
}

/* Replaces `old` by `new` (in place), removes `old` (new == NULL) or
 * appends `new` (old == NULL) in the socket's binds or connects. */
static void
edit_list (ZsSocketSpec *socket,
           gboolean      binds,
           const char   *old,
           const char   *new)
{
  g_auto(GStrv) list = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) result = NULL;
  gboolean replaced = FALSE;

  g_object_get (socket, list_name (binds), &list, NULL);
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    {
      if (!replaced && old != NULL && strcmp (list[i], old) == 0)
        {
          replaced = TRUE;
          if (new != NULL)
            g_strv_builder_add (builder, new);
          continue;
        }
      g_strv_builder_add (builder, list[i]);
    }
  if (!replaced && new != NULL)
    g_strv_builder_add (builder, new);
  result = g_strv_builder_end (builder);
  g_object_set (socket, list_name (binds), result, NULL);
}

/* "tcp:5556", "inproc:name", "ipc:path": two endpoints with one key clash. */
static char *
endpoint_key (const char *text)
{
  ZsEndpoint ep = { 0 };
  char *key;

  if (!zs_endpoint_parse (text, TRUE, &ep, NULL))
    return g_strdup (text);
  if (ep.transport == ZS_TRANSPORT_TCP)
    key = g_strdup_printf ("tcp:%d", ep.port);
  else
    key = g_strdup_printf ("%s:%s", zs_transport_to_string (ep.transport), ep.host);
  zs_endpoint_clear (&ep);
  return key;
}

static void
add_keys (GHashTable         *keys,
          const char * const *list)
{
  for (guint i = 0; list != NULL && list[i] != NULL; i++)
    g_hash_table_add (keys, endpoint_key (list[i]));
}

static GHashTable *
collect_keys (ZsTopology *topology)
{
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    {
      ZsNode *node = zs_topology_get_node (topology, i);

      for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
        {
          ZsSocketSpec *socket = zs_node_get_socket (node, s);

          add_keys (keys, zs_socket_spec_get_binds (socket));
          add_keys (keys, zs_socket_spec_get_connects (socket));
        }
    }
  return keys;
}

static char *
free_endpoint_in (GHashTable  *keys,
                  ZsTransport  transport,
                  const char  *node,
                  const char  *socket)
{
  g_autofree char *stem = g_strdup_printf ("%s-%s", node, socket);

  g_strdelimit (stem, " /\\:", '-');
  for (guint n = 1; ; n++)
    {
      g_autofree char *name = n == 1 ? g_strdup (stem) : g_strdup_printf ("%s-%u", stem, n);
      g_autofree char *text = NULL;
      g_autofree char *key = NULL;

      switch (transport)
        {
        case ZS_TRANSPORT_TCP:
          /* The loopback address: binding every interface opens the port to the network. */
          text = g_strdup_printf ("tcp://127.0.0.1:%u", FIRST_TCP_PORT + n - 1);
          break;
        case ZS_TRANSPORT_IPC:
          text = g_strdup_printf ("ipc:///tmp/zmqscope-%s", name);
          break;
        case ZS_TRANSPORT_INPROC:
        case ZS_TRANSPORT_PGM:
        case ZS_TRANSPORT_EPGM:
        default:
          text = g_strdup_printf ("inproc://%s", name);
          break;
        }
      key = endpoint_key (text);
      if (!g_hash_table_contains (keys, key))
        {
          g_hash_table_add (keys, g_steal_pointer (&key));
          return g_steal_pointer (&text);
        }
    }
}

char *
zs_edit_free_endpoint (ZsTopology  *topology,
                       ZsTransport  transport,
                       const char  *node,
                       const char  *socket)
{
  g_autoptr(GHashTable) keys = NULL;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);
  g_return_val_if_fail (node != NULL && socket != NULL, NULL);

  keys = collect_keys (topology);
  return free_endpoint_in (keys, transport, node, socket);
}

/* Rewrites the host of a tcp endpoint on this machine: `to_connect` turns
 * a bind on "*" or the loopback address into localhost, else localhost
 * into a bind on the loopback address. */
static char *
rewrite_tcp_host (const char *text,
                  gboolean    to_connect)
{
  ZsEndpoint ep = { 0 };
  char *result = NULL;

  if (!zs_endpoint_parse (text, TRUE, &ep, NULL) || ep.transport != ZS_TRANSPORT_TCP)
    result = g_strdup (text);
  else if (to_connect && (g_strcmp0 (ep.host, "*") == 0 || g_strcmp0 (ep.host, "0.0.0.0") == 0 ||
                          g_strcmp0 (ep.host, "127.0.0.1") == 0))
    result = g_strdup_printf ("tcp://localhost:%d", ep.port);
  else if (!to_connect && (g_strcmp0 (ep.host, "localhost") == 0 ||
                           g_strcmp0 (ep.host, "127.0.0.1") == 0))
    result = g_strdup_printf ("tcp://127.0.0.1:%d", ep.port);
  else
    result = g_strdup (text);
  zs_endpoint_clear (&ep);
  return result;
}

char *
zs_edit_connect_form (const char *bind_endpoint)
{
  g_return_val_if_fail (bind_endpoint != NULL, NULL);
  return rewrite_tcp_host (bind_endpoint, TRUE);
}

char *
zs_edit_bind_form (const char *connect_endpoint)
{
  g_return_val_if_fail (connect_endpoint != NULL, NULL);
  return rewrite_tcp_host (connect_endpoint, FALSE);
}

/* ---- who binds, which socket --------------------------------------------- */

gboolean
zs_edit_socket_prefers_bind (ZsNode *node,
                             guint   socket)
{
  g_return_val_if_fail (ZS_IS_NODE (node), FALSE);

  switch (zs_node_get_role (node))
    {
    case ZS_ROLE_PUBLISHER:
    case ZS_ROLE_SERVER:
    case ZS_ROLE_BROKER:
    case ZS_ROLE_SINK:
    case ZS_ROLE_VENTILATOR:
      return TRUE;
    case ZS_ROLE_FORWARDER:
      return g_strcmp0 (zs_socket_spec_get_name (zs_node_get_socket (node, socket)), "backend") == 0;
    case ZS_ROLE_SOCKET:
    case ZS_ROLE_SUBSCRIBER:
    case ZS_ROLE_CLIENT:
    case ZS_ROLE_WORKER:
    case ZS_ROLE_RELAY:
    case ZS_ROLE_EXTERNAL:
    case ZS_ROLE_N_ROLES:
    default:
      return FALSE;
    }
}

static ZsSocketType
socket_type (ZsNode *node,
             guint   socket)
{
  return zs_socket_spec_get_socket_type (zs_node_get_socket (node, socket));
}

static int
find_compatible_socket (ZsNode       *node,
                        ZsSocketType  type)
{
  for (guint i = 0; i < zs_node_get_n_sockets (node); i++)
    if (zs_socket_type_compatible (type, socket_type (node, i)))
      return (int) i;
  return -1;
}

/* The usual peer of a socket type, for a socket the user did not make. */
static ZsSocketType
natural_peer (ZsSocketType type)
{
  static const ZsSocketType peers[ZS_SOCKET_N_TYPES] = {
    [ZS_SOCKET_PAIR] = ZS_SOCKET_PAIR,     [ZS_SOCKET_PUB] = ZS_SOCKET_SUB,
    [ZS_SOCKET_SUB] = ZS_SOCKET_PUB,       [ZS_SOCKET_REQ] = ZS_SOCKET_REP,
    [ZS_SOCKET_REP] = ZS_SOCKET_REQ,       [ZS_SOCKET_DEALER] = ZS_SOCKET_ROUTER,
    [ZS_SOCKET_ROUTER] = ZS_SOCKET_DEALER, [ZS_SOCKET_PULL] = ZS_SOCKET_PUSH,
    [ZS_SOCKET_PUSH] = ZS_SOCKET_PULL,     [ZS_SOCKET_XPUB] = ZS_SOCKET_SUB,
    [ZS_SOCKET_XSUB] = ZS_SOCKET_PUB,
  };

  g_assert (type < ZS_SOCKET_N_TYPES);
  return peers[type];
}

/* A socket slot of the role that is free and can take a peer of `type`. */
static gboolean
pick_role_slot (ZsNode        *node,
                ZsSocketType   type,
                const char   **name,
                ZsSocketType  *slot_type)
{
  guint n_slots;
  const ZsRoleSocket *slots = zs_role_get_sockets (zs_node_get_role (node), &n_slots);

  for (guint i = 0; i < n_slots; i++)
    {
      ZsSocketType candidates[2] = { slots[i].default_type, natural_peer (type) };

      if (zs_node_find_socket (node, slots[i].name) != NULL)
        continue;
      for (guint c = 0; c < G_N_ELEMENTS (candidates); c++)
        if ((slots[i].allowed_types & (1u << candidates[c])) != 0 &&
            zs_socket_type_compatible (type, candidates[c]))
          {
            *name = slots[i].name;
            *slot_type = candidates[c];
            return TRUE;
          }
    }
  return FALSE;
}

/* An external program gets a socket for every peer: the natural peer of
 * `type`, named after its type ("rep", "rep-2"). Returns its index. */
static int
add_external_socket (ZsNode       *node,
                     ZsSocketType  type)
{
  ZsSocketType peer = natural_peer (type);
  g_autofree char *stem = g_ascii_strdown (zs_socket_type_to_string (peer), -1);
  g_autofree char *name = g_strdup (stem);
  g_autoptr(ZsSocketSpec) socket = NULL;

  for (guint n = 2; zs_node_find_socket (node, name) != NULL; n++)
    {
      g_free (name);
      name = g_strdup_printf ("%s-%u", stem, n);
    }
  socket = zs_socket_spec_new (name, peer);
  if (peer == ZS_SOCKET_SUB)
    zs_socket_spec_set_subscribe (socket, (const char *[]) { "", NULL });
  zs_node_add_socket (node, socket);
  return (int) zs_node_get_n_sockets (node) - 1;
}

/* A socket b's role expects, lacks and can pair with `type`: added; or -1. */
static int
add_role_socket (ZsNode       *node,
                 ZsSocketType  type)
{
  const char *name = NULL;
  ZsSocketType slot_type;
  g_autoptr(ZsSocketSpec) socket = NULL;

  if (zs_node_is_external (node))
    return add_external_socket (node, type);
  if (!pick_role_slot (node, type, &name, &slot_type))
    return -1;
  socket = zs_socket_spec_new (name, slot_type);
  zs_node_add_socket (node, socket);
  return (int) zs_node_get_n_sockets (node) - 1;
}

static gboolean
list_has_match (const char * const *connects,
                const char         *bind)
{
  for (guint i = 0; connects != NULL && connects[i] != NULL; i++)
    if (zs_endpoint_matches (bind, connects[i]))
      return TRUE;
  return FALSE;
}

static void
connect_sockets (ZsTopology *topology,
                 ZsNode     *binder,
                 guint       bs,
                 ZsNode     *connector,
                 guint       cs)
{
  ZsSocketSpec *bind_socket = zs_node_get_socket (binder, bs);
  ZsSocketSpec *connect_socket = zs_node_get_socket (connector, cs);
  const char * const *binds = zs_socket_spec_get_binds (bind_socket);
  g_autofree char *bind = NULL;
  g_autofree char *connect = NULL;

  if (binds != NULL && binds[0] != NULL)
    bind = g_strdup (binds[0]);
  else
    {
      /* inproc never leaves this process: an outside program needs tcp. */
      ZsTransport transport = zs_node_is_external (binder) || zs_node_is_external (connector)
                              ? ZS_TRANSPORT_TCP : ZS_TRANSPORT_INPROC;

      bind = zs_edit_free_endpoint (topology, transport, zs_node_get_name (binder),
                                    zs_socket_spec_get_name (bind_socket));
      edit_list (bind_socket, TRUE, NULL, bind);
    }

  if (list_has_match (zs_socket_spec_get_connects (connect_socket), bind))
    return;
  connect = zs_edit_connect_form (bind);
  edit_list (connect_socket, FALSE, NULL, connect);
}

int
zs_edit_link (ZsTopology *topology,
              ZsNode     *a,
              guint       sa,
              ZsNode     *b,
              int         sb)
{
  ZsSocketType type;
  gboolean a_binds;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), -1);
  g_return_val_if_fail (ZS_IS_NODE (a) && ZS_IS_NODE (b), -1);
  g_return_val_if_fail (sa < zs_node_get_n_sockets (a), -1);

  type = socket_type (a, sa);
  if (sb >= 0)
    {
      /* Dropped on a socket: that one or none, never a surprise socket. */
      if ((guint) sb >= zs_node_get_n_sockets (b) || !zs_socket_type_compatible (type, socket_type (b, sb)))
        return -1;
    }
  else if ((sb = find_compatible_socket (b, type)) < 0 && (sb = add_role_socket (b, type)) < 0)
    return -1;
  if (a == b && (guint) sb == sa)
    return -1;

  /* The long-lived side binds; if both or neither are, the drop target does. */
  a_binds = zs_edit_socket_prefers_bind (a, sa) && !zs_edit_socket_prefers_bind (b, sb);
  if (a_binds)
    connect_sockets (topology, a, sa, b, sb);
  else
    connect_sockets (topology, b, sb, a, sa);
  return sb;
}

/* ---- editing an existing link -------------------------------------------- */

static const ZsLink *
get_link (ZsTopology *topology,
          guint       index)
{
  GPtrArray *links = zs_topology_get_links (topology);

  if (links == NULL || index >= links->len)
    return NULL;
  return g_ptr_array_index (links, index);
}

/* How many links reach the same bind endpoint of the same socket. */
static guint
count_bind_users (ZsTopology   *topology,
                  const ZsLink *link)
{
  GPtrArray *links = zs_topology_get_links (topology);
  guint n = 0;

  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *other = g_ptr_array_index (links, i);

      if (other->bind_node == link->bind_node && other->bind_socket == link->bind_socket &&
          g_strcmp0 (other->bind_endpoint, link->bind_endpoint) == 0)
        n++;
    }
  return n;
}

typedef struct {
  ZsNode       *binder;
  ZsNode       *connector;
  ZsSocketSpec *bind_socket;
  ZsSocketSpec *connect_socket;
  char         *bind;
  char         *connect;
  ZsTransport   transport;
  gboolean      shared;      /* other links use the bind endpoint too */
} LinkEnds;

static void
link_ends_clear (LinkEnds *ends)
{
  g_free (ends->bind);
  g_free (ends->connect);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (LinkEnds, link_ends_clear)

/* Copies what it needs: the links array is rebuilt by the first edit. */
static gboolean
link_ends_init (LinkEnds   *ends,
                ZsTopology *topology,
                guint       index)
{
  const ZsLink *link = get_link (topology, index);

  if (link == NULL)
    return FALSE;
  ends->binder = zs_topology_get_node (topology, link->bind_node);
  ends->connector = zs_topology_get_node (topology, link->connect_node);
  ends->bind_socket = zs_node_get_socket (ends->binder, link->bind_socket);
  ends->connect_socket = zs_node_get_socket (ends->connector, link->connect_socket);
  ends->bind = g_strdup (link->bind_endpoint);
  ends->connect = g_strdup (link->connect_endpoint);
  ends->transport = link->transport;
  ends->shared = count_bind_users (topology, link) > 1;
  return TRUE;
}

gboolean
zs_edit_flip_link (ZsTopology *topology,
                   guint       link)
{
  g_auto(LinkEnds) ends = { 0 };
  g_autofree char *new_bind = NULL;
  g_autofree char *new_connect = NULL;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);

  if (!link_ends_init (&ends, topology, link))
    return FALSE;

  /* Other connectors keep the old bind: the flipped link needs its own. */
  if (ends.shared)
    new_bind = zs_edit_free_endpoint (topology, ends.transport, zs_node_get_name (ends.connector),
                                      zs_socket_spec_get_name (ends.connect_socket));
  else
    new_bind = zs_edit_bind_form (ends.connect);
  new_connect = zs_edit_connect_form (new_bind);

  edit_list (ends.connect_socket, FALSE, ends.connect, NULL);
  edit_list (ends.connect_socket, TRUE, NULL, new_bind);
  if (!ends.shared)
    edit_list (ends.bind_socket, TRUE, ends.bind, NULL);
  edit_list (ends.bind_socket, FALSE, NULL, new_connect);
  return TRUE;
}

gboolean
zs_edit_set_link_transport (ZsTopology  *topology,
                            guint        link,
                            ZsTransport  transport)
{
  g_auto(LinkEnds) ends = { 0 };
  g_autofree char *new_bind = NULL;
  g_autofree char *new_connect = NULL;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);

  if (!link_ends_init (&ends, topology, link))
    return FALSE;
  if (ends.transport == transport)
    return TRUE;

  new_bind = zs_edit_free_endpoint (topology, transport, zs_node_get_name (ends.binder),
                                    zs_socket_spec_get_name (ends.bind_socket));
  new_connect = zs_edit_connect_form (new_bind);
  edit_list (ends.bind_socket, TRUE, ends.shared ? NULL : ends.bind, new_bind);
  edit_list (ends.connect_socket, FALSE, ends.connect, new_connect);
  return TRUE;
}

gboolean
zs_edit_remove_link (ZsTopology *topology,
                     guint       link)
{
  g_auto(LinkEnds) ends = { 0 };

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);

  if (!link_ends_init (&ends, topology, link))
    return FALSE;
  edit_list (ends.connect_socket, FALSE, ends.connect, NULL);
  return TRUE;
}

/* ---- paste ------------------------------------------------------------------ */

/* Renames the node's clashing binds; records old -> new in `renamed`. */
static void
rename_clashing_binds (ZsNode     *node,
                       GHashTable *keys,
                       GHashTable *renamed)
{
  for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
    {
      ZsSocketSpec *socket = zs_node_get_socket (node, s);
      g_auto(GStrv) binds = g_strdupv ((char **) zs_socket_spec_get_binds (socket));

      for (guint i = 0; binds != NULL && binds[i] != NULL; i++)
        {
          g_autofree char *key = endpoint_key (binds[i]);
          ZsEndpoint ep = { 0 };
          char *fresh;

          if (!g_hash_table_contains (keys, key) ||
              !zs_endpoint_parse (binds[i], TRUE, &ep, NULL))
            continue;
          fresh = free_endpoint_in (keys, ep.transport, zs_node_get_name (node),
                                    zs_socket_spec_get_name (socket));
          zs_endpoint_clear (&ep);
          edit_list (socket, TRUE, binds[i], fresh);
          g_hash_table_insert (renamed, g_strdup (binds[i]), fresh);
        }
    }
}

static void
rewrite_connects (ZsNode     *node,
                  GHashTable *renamed)
{
  for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
    {
      ZsSocketSpec *socket = zs_node_get_socket (node, s);
      g_auto(GStrv) connects = g_strdupv ((char **) zs_socket_spec_get_connects (socket));

      for (guint i = 0; connects != NULL && connects[i] != NULL; i++)
        {
          GHashTableIter iter;
          const char *old, *fresh;

          g_hash_table_iter_init (&iter, renamed);
          while (g_hash_table_iter_next (&iter, (gpointer *) &old, (gpointer *) &fresh))
            if (zs_endpoint_matches (old, connects[i]))
              {
                g_autofree char *connect = zs_edit_connect_form (fresh);
                edit_list (socket, FALSE, connects[i], connect);
                break;
              }
        }
    }
}

GPtrArray *
zs_edit_paste (ZsTopology *topology,
               ZsTopology *clip,
               double      dx,
               double      dy)
{
  g_autoptr(GHashTable) keys = NULL;
  g_autoptr(GHashTable) renamed = NULL;
  GPtrArray *added;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (clip), NULL);

  keys = collect_keys (topology);
  renamed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  added = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < zs_topology_get_n_nodes (clip); i++)
    {
      ZsNode *node = zs_node_copy (zs_topology_get_node (clip, i));
      g_autofree char *name = zs_topology_make_unique_name (topology, zs_node_get_name (node));

      zs_node_set_name (node, name);
      zs_node_set_position (node, zs_node_get_x (node) + dx, zs_node_get_y (node) + dy);
      rename_clashing_binds (node, keys, renamed);
      /* Added at once, so that the next unique name sees it. */
      zs_topology_add_node (topology, node);
      g_ptr_array_add (added, node);
    }
  for (guint i = 0; i < added->len; i++)
    rewrite_connects (g_ptr_array_index (added, i), renamed);
  return added;
}

/* ---- an outside program as a peer ------------------------------------------ */

#define EXTERNAL_OFFSET_X 352.0

ZsNode *
zs_edit_add_external_peer (ZsTopology *topology,
                           ZsNode     *node,
                           guint       socket,
                           const char *endpoint,
                           gboolean    endpoint_binds)
{
  g_autoptr(ZsNode) external = NULL;
  g_autofree char *name = NULL;
  g_autofree char *peer_endpoint = NULL;
  ZsSocketSpec *peer;
  int index;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);
  g_return_val_if_fail (ZS_IS_NODE (node), NULL);
  g_return_val_if_fail (socket < zs_node_get_n_sockets (node), NULL);
  g_return_val_if_fail (endpoint != NULL, NULL);

  name = zs_topology_make_unique_name (topology, zs_role_to_string (ZS_ROLE_EXTERNAL));
  external = zs_node_new_for_role (name, ZS_ROLE_EXTERNAL);
  zs_node_set_position (external, zs_node_get_x (node) + EXTERNAL_OFFSET_X, zs_node_get_y (node));
  index = add_external_socket (external, socket_type (node, socket));
  peer = zs_node_get_socket (external, index);
  /* Our bind is reached by its connect; our connect by its bind. */
  peer_endpoint = endpoint_binds ? zs_edit_connect_form (endpoint) : zs_edit_bind_form (endpoint);
  edit_list (peer, !endpoint_binds, NULL, peer_endpoint);
  zs_topology_add_node (topology, external);
  return external;
}
