/* zs-topology-ports.c: moving a topology's tcp ports to free ones
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-topology-ports"

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "zs-topology-ports.h"

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

typedef struct {
  GHashTable  *keep;    /* ports left as they are, or NULL */
  GHashTable  *ports;   /* old port -> new port */
  GPtrArray   *held;    /* sockets bound to the new ports, until the end */
  GError     **error;
} Remap;

/* Binds port 0 on 127.0.0.1: the OS picks a free port. The socket stays
 * open until every port is picked, so no two are the same. */
static int
bind_free_port (Remap *remap)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, remap->error);
  if (socket == NULL || !g_socket_bind (socket, any_port, FALSE, remap->error))
    return 0;
  bound = g_socket_get_local_address (socket, remap->error);
  if (bound == NULL)
    return 0;
  g_ptr_array_add (remap->held, g_steal_pointer (&socket));
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The new port for `port`, the same each time; 0 on error. */
static int
new_port (Remap *remap,
          int    port)
{
  int moved = GPOINTER_TO_INT (g_hash_table_lookup (remap->ports, GINT_TO_POINTER (port)));

  if (moved == 0 && (moved = bind_free_port (remap)) > 0)
    g_hash_table_insert (remap->ports, GINT_TO_POINTER (port), GINT_TO_POINTER (moved));
  return moved;
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

static gboolean
remap_list (Remap        *remap,
            ZsSocketSpec *socket,
            gboolean      binds)
{
  const char * const *endpoints = binds ? zs_socket_spec_get_binds (socket) : zs_socket_spec_get_connects (socket);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) rewritten = NULL;

  for (guint e = 0; endpoints[e] != NULL; e++)
    {
      ZsEndpoint parsed = { 0, NULL, -1 };
      int port = tcp_port (endpoints[e], binds, &parsed);
      g_autofree char *moved = NULL;

      if (remap->keep != NULL && g_hash_table_contains (remap->keep, GINT_TO_POINTER (port)))
        port = 0;
      if (port > 0 && (port = new_port (remap, port)) > 0)
        moved = with_port (&parsed, port);
      zs_endpoint_clear (&parsed);
      if (remap->error != NULL && *remap->error != NULL)
        return FALSE;
      g_strv_builder_add (builder, moved != NULL ? moved : endpoints[e]);
    }
  rewritten = g_strv_builder_end (builder);
  if (binds)
    zs_socket_spec_set_binds (socket, (const char * const *) rewritten);
  else
    zs_socket_spec_set_connects (socket, (const char * const *) rewritten);
  return TRUE;
}

static gboolean
remap_ports (ZsTopology  *topology,
             GHashTable  *keep,
             GError     **error)
{
  g_autoptr(GHashTable) ports = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  Remap remap = { keep, ports, held, &local_error };

  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    {
      ZsNode *node = zs_topology_get_node (topology, i);

      for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
        if (!remap_list (&remap, zs_node_get_socket (node, s), TRUE) ||
            !remap_list (&remap, zs_node_get_socket (node, s), FALSE))
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
    }
  return TRUE;
}

gboolean
zs_topology_remap_tcp_ports (ZsTopology  *topology,
                             GError     **error)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return remap_ports (topology, NULL, error);
}

static void
collect_ports (GHashTable         *ports,
               const char * const *endpoints,
               gboolean            binds)
{
  for (guint e = 0; endpoints[e] != NULL; e++)
    {
      ZsEndpoint parsed = { 0, NULL, -1 };
      int port = tcp_port (endpoints[e], binds, &parsed);

      zs_endpoint_clear (&parsed);
      if (port > 0)
        g_hash_table_add (ports, GINT_TO_POINTER (port));
    }
}

gboolean
zs_topology_remap_new_tcp_ports (ZsTopology  *topology,
                                 ZsTopology  *before,
                                 GError     **error)
{
  g_autoptr(GHashTable) keep = g_hash_table_new (NULL, NULL);

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (before), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  for (guint i = 0; i < zs_topology_get_n_nodes (before); i++)
    {
      ZsNode *node = zs_topology_get_node (before, i);

      for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
        {
          collect_ports (keep, zs_socket_spec_get_binds (zs_node_get_socket (node, s)), TRUE);
          collect_ports (keep, zs_socket_spec_get_connects (zs_node_get_socket (node, s)), FALSE);
        }
    }
  return remap_ports (topology, keep, error);
}
