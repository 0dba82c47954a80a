/* zs-topology-ports.c: moving a topology's tcp ports to free ones
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-topology-ports"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "zs-topology-ports.h"

typedef const char * const *(*GetEndpoints) (ZsSocketSpec *socket);
typedef void (*SetEndpoints) (ZsSocketSpec *socket, const char * const *endpoints);

static const struct {
  GetEndpoints get;
  SetEndpoints set;
} lists[] = {
  { zs_socket_spec_get_binds, zs_socket_spec_set_binds },
  { zs_socket_spec_get_connects, zs_socket_spec_set_connects },
};

/* The tcp port of `text`, or 0 (not tcp, or "*"). */
static int
tcp_port (const char *text,
          gboolean    for_bind,
          ZsEndpoint *parsed)
{
  if (!zs_endpoint_parse (text, for_bind, parsed, NULL))
    return 0;
  if (parsed->transport == ZS_TRANSPORT_TCP && parsed->port > 0)
    return parsed->port;
  zs_endpoint_clear (parsed);
  return 0;
}

/* Calls `func` on each list of endpoints of every socket. */
static void
foreach_list (ZsTopology *topology,
              void      (*func) (ZsSocketSpec *socket, guint list, gpointer data),
              gpointer    data)
{
  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    {
      ZsNode *node = zs_topology_get_node (topology, i);

      for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
        for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
          func (zs_node_get_socket (node, s), l, data);
    }
}

static void
collect_ports (ZsSocketSpec *socket,
               guint         list,
               gpointer      data)
{
  GHashTable *ports = data;
  const char * const *endpoints = lists[list].get (socket);

  for (guint e = 0; endpoints[e] != NULL; e++)
    {
      ZsEndpoint parsed = { 0, NULL, -1 };
      int port = tcp_port (endpoints[e], list == 0, &parsed);

      if (port > 0)
        g_hash_table_insert (ports, GINT_TO_POINTER (port), GINT_TO_POINTER (0));
      zs_endpoint_clear (&parsed);
    }
}

/* Binds port 0 on 127.0.0.1: the OS picks a free port. The socket stays
 * open until every port is picked, so no two are the same. */
static GSocket *
bind_free_port (int     *port,
                GError **error)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  if (socket == NULL || !g_socket_bind (socket, any_port, FALSE, error))
    return NULL;
  bound = g_socket_get_local_address (socket, error);
  if (bound == NULL)
    return NULL;
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return g_steal_pointer (&socket);
}

static gboolean
pick_free_ports (GHashTable  *ports,
                 GError     **error)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer old_port, new_port;

  g_hash_table_iter_init (&iter, ports);
  while (g_hash_table_iter_next (&iter, &old_port, &new_port))
    {
      int port = 0;
      GSocket *socket = bind_free_port (&port, error);

      if (socket == NULL)
        return FALSE;
      g_ptr_array_add (held, socket);
      g_hash_table_iter_replace (&iter, GINT_TO_POINTER (port));
    }
  return TRUE;
}

static char *
with_port (const ZsEndpoint *endpoint,
           int               port)
{
  /* An IPv6 address goes back in brackets. */
  if (strchr (endpoint->host, ':') != NULL)
    return g_strdup_printf ("tcp://[%s]:%d", endpoint->host, port);
  return g_strdup_printf ("tcp://%s:%d", endpoint->host, port);
}

static void
rewrite_ports (ZsSocketSpec *socket,
               guint         list,
               gpointer      data)
{
  GHashTable *ports = data;
  const char * const *endpoints = lists[list].get (socket);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) rewritten = NULL;

  for (guint e = 0; endpoints[e] != NULL; e++)
    {
      ZsEndpoint parsed = { 0, NULL, -1 };
      int port = tcp_port (endpoints[e], list == 0, &parsed);
      g_autofree char *moved = NULL;

      if (port > 0)
        moved = with_port (&parsed, GPOINTER_TO_INT (g_hash_table_lookup (ports, GINT_TO_POINTER (port))));
      g_strv_builder_add (builder, moved != NULL ? moved : endpoints[e]);
      zs_endpoint_clear (&parsed);
    }
  rewritten = g_strv_builder_end (builder);
  lists[list].set (socket, (const char * const *) rewritten);
}

gboolean
zs_topology_remap_tcp_ports (ZsTopology  *topology,
                             GError     **error)
{
  g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  foreach_list (topology, collect_ports, ports);
  if (!pick_free_ports (ports, error))
    return FALSE;
  foreach_list (topology, rewrite_ports, ports);
  return TRUE;
}
