/* zs-topology.h: the document: nodes, and the links derived from them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "zs-link.h"
#include "zs-node.h"

G_BEGIN_DECLS

#define ZS_TYPE_TOPOLOGY (zs_topology_get_type ())
G_DECLARE_FINAL_TYPE (ZsTopology, zs_topology, ZS, TOPOLOGY, GObject)

/* ZsTopology implements GListModel (items: ZsNode, in document order).
 * Properties: "title" (string), "description" (string).
 * Signals: "changed" () whenever a node is added, removed or changed; the
 * derived links are recomputed lazily after it. */
ZsTopology   *zs_topology_new                 (void);
/* A deep copy: the engine runs a frozen copy and never touches the
 * document the user edits. */
ZsTopology   *zs_topology_copy                (ZsTopology  *self);
const char   *zs_topology_get_title           (ZsTopology  *self);
void          zs_topology_set_title           (ZsTopology  *self,
                                               const char  *title);
const char   *zs_topology_get_description     (ZsTopology  *self);
void          zs_topology_set_description     (ZsTopology  *self,
                                               const char  *description);
guint         zs_topology_get_n_nodes         (ZsTopology  *self);
ZsNode       *zs_topology_get_node            (ZsTopology  *self,
                                               guint        index);
ZsNode       *zs_topology_find_node           (ZsTopology  *self,
                                               const char  *name);
int           zs_topology_find_node_index     (ZsTopology  *self,
                                               ZsNode      *node);
void          zs_topology_add_node            (ZsTopology  *self,
                                               ZsNode      *node);
void          zs_topology_insert_node         (ZsTopology  *self,
                                               guint        index,
                                               ZsNode      *node);
void          zs_topology_remove_node         (ZsTopology  *self,
                                               ZsNode      *node);
/* A name not used yet, from a stem: "worker", "worker-2", ... */
char         *zs_topology_make_unique_name    (ZsTopology  *self,
                                               const char  *stem);
/* Every connect endpoint that matches a bind endpoint of another (or the
 * same) node, in node, socket, connect order. Owned by the topology; valid
 * until the next change. */
GPtrArray    *zs_topology_get_links           (ZsTopology  *self);
/* "client.req -> server.rep": the connecting node and socket first, the
 * arrow the way messages travel (<-> both ways). */
char         *zs_topology_dup_link_name       (ZsTopology   *self,
                                               const ZsLink *link);

G_END_DECLS
