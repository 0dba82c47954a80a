/* zs-wire-topology.h: the topology the wire shows, and its figures
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From the connections a ZsWire decoded: a node per process where /proc
 * told which one holds each end (else per address:port), each an
 * `external` node; a socket per listening address (it binds) and per
 * connecting socket (the side that sent the SYN connects), typed from the
 * ZMTP READY metadata; links derived by the model as for any topology
 * (a connect endpoint that matches a bind endpoint), one per connection
 * pair, reconnects counted on it. A ZsSnapshot carries the figures in the
 * form the views read; ZsWireLink adds what only the wire knows. What the
 * wire cannot tell (queues inside a process, HWM drops) is said so in
 * each node's note, never invented. */
#pragma once

#include "zs-snapshot.h"
#include "zs-topology.h"
#include "zs-wire.h"

G_BEGIN_DECLS

typedef struct {
  guint64 messages;
  guint64 bytes;
  guint64 frames;
  guint64 multipart;
  guint64 enveloped;
  guint64 commands;
  guint64 subscribes;
  guint64 cancels;
  guint64 pings;
  guint64 pongs;
  guint64 errors;
  guint64 encrypted_frames;
  guint64 encrypted_bytes;
  guint64 in_flight_bytes;   /* sent, not yet acknowledged (open connections) */
} ZsWireFlow;

typedef enum {
  ZS_WIRE_EVENT_CONNECTED,
  ZS_WIRE_EVENT_RECONNECTED,
  ZS_WIRE_EVENT_DISCONNECTED,
} ZsWireEventKind;

typedef struct {
  gint64           time_us;
  ZsWireEventKind  kind;
  char            *peer;     /* the connecting end, "127.0.0.1:41234" */
} ZsWireEvent;

/* One per topology link, in zs_topology_get_links () order. */
typedef struct {
  ZsWireFlow   flow[2];        /* [0] connecting -> binding socket, [1] back */
  guint        connections;    /* TCP connections: the first, then reconnects */
  guint        open;
  char        *version;        /* "3.1", or NULL when not seen */
  char        *mechanism;      /* "NULL", "PLAIN", "CURVE", or NULL */
  char        *user;           /* PLAIN's user name */
  gboolean     encrypted;      /* CURVE: counts and sizes only */
  gboolean     midstream;      /* a connection was joined in its middle */
  gboolean     types_known;    /* both ends' socket types were seen */
  char        *connect_identity;
  char        *bind_identity;
  GPtrArray   *subscriptions;  /* char *, escaped: what the subscriber holds now */
  GPtrArray   *findings;       /* char * */
  GPtrArray   *events;         /* ZsWireEvent, in time order */
  GArray      *connection_ids; /* guint64: ZsWireConnState.id of each connection */
} ZsWireLink;

/* One per topology node. */
typedef struct {
  guint        pid;            /* 0 when /proc did not tell */
  char        *command;
  char        *address;        /* when no process is known: "127.0.0.1:5555" */
  GPtrArray   *socket_types;   /* char * per socket: "PUSH", or NULL when the wire did
                                  not tell (the model then says PAIR) */
} ZsWireNode;

typedef struct {
  ZsTopology  *topology;
  ZsSnapshot  *snapshot;
  GPtrArray   *nodes;          /* ZsWireNode */
  GPtrArray   *links;          /* ZsWireLink */
  GPtrArray   *findings;       /* char *: each connection's, named */
  guint64      packets;
  guint64      skipped;
  guint64      overflow;       /* connections not followed: beyond the caps */
  gboolean     live;           /* set by the reader of a live capture ... */
  guint64      kernel_dropped; /* ... with the packets the kernel dropped */
} ZsWireTopology;

/* `running`: a live capture still going (the snapshot says so). */
ZsWireTopology *zs_wire_topology_new     (ZsWire               *wire,
                                          gboolean              running);
/* From connection states (ZsWireConnState, zs-wire-state.h: decoded here
 * or by capture helpers, merged); packets and the rest are left 0 for the
 * caller. */
ZsWireTopology *zs_wire_topology_new_from_states (GPtrArray    *states,
                                                  gboolean      running);
void            zs_wire_topology_free    (ZsWireTopology       *self);
/* Index of the link from node.socket to node.socket (by names), or -1. */
int             zs_wire_topology_find_link (ZsWireTopology     *self,
                                            const char         *connect_node,
                                            const char         *connect_socket,
                                            const char         *bind_node,
                                            const char         *bind_socket);
/* The nodes, sockets, links and per-link figures, as `zmqscope capture` prints them. */
char           *zs_wire_topology_to_text (ZsWireTopology       *self);
char           *zs_wire_topology_to_json (ZsWireTopology       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsWireTopology, zs_wire_topology_free)

G_END_DECLS
