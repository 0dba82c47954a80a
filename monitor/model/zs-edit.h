/* zs-edit.h: the topology edits behind the canvas gestures (GTK-free)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-topology.h"

G_BEGIN_DECLS

/* TRUE when this socket is the long-lived, single, fixed side that should
 * bind: broker, server, publisher, sink, ventilator, forwarder backend. */
gboolean    zs_edit_socket_prefers_bind  (ZsNode       *node,
                                          guint         socket);
/* A bind endpoint of that transport no socket of the topology uses yet:
 * inproc://<node>-<socket>, ipc:///tmp/zmqscope-<node>-<socket>,
 * tcp://127.0.0.1:5555+ (the loopback address: not open to the network). */
char       *zs_edit_free_endpoint        (ZsTopology   *topology,
                                          ZsTransport   transport,
                                          const char   *node,
                                          const char   *socket);
/* tcp://127.0.0.1:5556 or tcp://\*:5556 -> tcp://localhost:5556; others unchanged. */
char       *zs_edit_connect_form         (const char   *bind_endpoint);
/* tcp://localhost:5556 -> tcp://127.0.0.1:5556; other endpoints unchanged. */
char       *zs_edit_bind_form            (const char   *connect_endpoint);
/* Links a's socket sa to b's socket sb if >= 0 (none if they cannot pair),
 * else to b's first compatible socket, else to a socket b's role expects and
 * lacks (added). Picks who binds, adds the endpoints. Returns the index of
 * b's socket, or -1 when nothing can link. */
int         zs_edit_link                 (ZsTopology   *topology,
                                          ZsNode       *a,
                                          guint         sa,
                                          ZsNode       *b,
                                          int           sb);
/* Moves the link's endpoint to the other side: the connector binds. */
gboolean    zs_edit_flip_link            (ZsTopology   *topology,
                                          guint         link);
gboolean    zs_edit_set_link_transport   (ZsTopology   *topology,
                                          guint         link,
                                          ZsTransport   transport);
/* Removes the connect endpoint that makes the link. */
gboolean    zs_edit_remove_link          (ZsTopology   *topology,
                                          guint         link);
/* Adds copies of clip's nodes, renamed unique, moved by (dx, dy), their
 * clashing bind endpoints renamed (and their own connects to them).
 * Returns the added nodes. */
GPtrArray  *zs_edit_paste                (ZsTopology   *topology,
                                          ZsTopology   *clip,
                                          double        dx,
                                          double        dy);

/* Adds an external program (an outside peer) for `node`'s socket: a socket
 * of the matching type that connects to `endpoint` when it is one of the
 * socket's binds (endpoint_binds), else binds it. Returns the new node,
 * owned by the topology. */
ZsNode     *zs_edit_add_external_peer    (ZsTopology   *topology,
                                          ZsNode       *node,
                                          guint         socket,
                                          const char   *endpoint,
                                          gboolean      endpoint_binds);

G_END_DECLS
