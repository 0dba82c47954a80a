/* zs-snapshot.h: a consistent copy of every counter of a running topology
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  ZS_NODE_STATE_IDLE,      /* not started */
  ZS_NODE_STATE_STARTING,  /* creating sockets, binding, connecting */
  ZS_NODE_STATE_WAITING,   /* waiting for peers, a sync, or a start delay */
  ZS_NODE_STATE_RUNNING,
  ZS_NODE_STATE_BLOCKED,   /* a send waits: every peer's queue is at its HWM */
  ZS_NODE_STATE_PAUSED,
  ZS_NODE_STATE_DONE,      /* reached its goal */
  ZS_NODE_STATE_ERROR,     /* see `error` */
  ZS_NODE_STATE_STOPPED,
} ZsNodeState;

typedef enum {
  ZS_LINK_STATE_IDLE,          /* not started */
  ZS_LINK_STATE_WAITING,       /* connect issued, no peer bound yet (or retrying) */
  ZS_LINK_STATE_CONNECTED,
  ZS_LINK_STATE_DISCONNECTED,
  ZS_LINK_STATE_CLOSED,
} ZsLinkState;

/* Last connection event seen on a link (zmq_socket_monitor; tcp and ipc only). */
typedef enum {
  ZS_LINK_EVENT_NONE,
  ZS_LINK_EVENT_CONNECTED,
  ZS_LINK_EVENT_CONNECT_DELAYED,
  ZS_LINK_EVENT_CONNECT_RETRIED,
  ZS_LINK_EVENT_ACCEPTED,
  ZS_LINK_EVENT_DISCONNECTED,
  ZS_LINK_EVENT_HANDSHAKE_FAILED,
} ZsLinkEvent;

/* A fault the user (or a fault script) put on a node (zs_engine_kill_node …). */
typedef enum {
  ZS_NODE_FAULT_NONE,
  ZS_NODE_FAULT_KILLED,    /* crashed: its sockets closed at once; waits for a restart */
  ZS_NODE_FAULT_PAUSED,    /* holds at its next send or receive: reads nothing */
  ZS_NODE_FAULT_SLOWED,    /* its work and intervals take `slow_factor` times as long */
} ZsNodeFault;

typedef struct {
  ZsNodeState  state;
  ZsNodeFault  fault;
  double       slow_factor;      /* 1 = as written */
  guint64      kills;            /* times it was killed (crashed) */
  guint64      restarts;
  char        *error;            /* set when state is ERROR */
  char        *result;           /* what the seed program prints at its end, e.g.
                                    "Total elapsed time: 5034 msec" */
  guint64      sent;             /* application messages (not frames) */
  guint64      sent_bytes;       /* payload bytes, trace trailers excluded */
  guint64      received;
  guint64      received_bytes;
  guint64      foreign;          /* received from outside the topology: no trailer of this
                                    run, or one our sender never wrote; counted on no link */
  guint64      unroutable;       /* ROUTER messages to a peer it does not know: dropped */
  guint64      blocked_us;       /* time spent waiting in a send on full queues */
  guint64      done_goal;        /* progress towards `count`: messages, replies or results */
  gint64       done_at_us;       /* monotonic time it finished, 0 while running */
  gint64       started_at_us;    /* monotonic time of its first send or receive */
} ZsNodeStats;

/* Delivery times, from a send to its receive, of sampled messages (the
 * first 16 of each sequence and every 16th after): each percentile within
 * 13 % (zs-latency.h). */
typedef struct {
  guint64      samples;          /* messages timed; 0: no figure */
  double       p50_us;
  double       p99_us;
} ZsLatencyStats;

/* One direction of a link: flow[0] goes from the connecting socket to the
 * binding one, flow[1] back (as ZsCapture.dir). On each direction:
 * sent = received + dropped + unread + lost + in_flight, exactly. */
typedef struct {
  gboolean     present;          /* the link carries messages this way: its
                                    sending end's socket type sends */
  guint64      sent;
  guint64      sent_bytes;
  guint64      received;
  guint64      received_bytes;
  guint64      dropped;
  guint64      unread;
  guint64      lost;             /* lost in a crash (a killed node's queues) */
  guint64      in_flight;
  ZsLatencyStats latency;
  gint64       first_received_us; /* monotonic time its first message was taken, 0 = none */
} ZsLinkFlow;

/* On every link: sent = received + dropped + unread + lost + in_flight,
 * exactly. Those figures are the sums of its two directions' (`flow`). */
typedef struct {
  guint64      sent;             /* messages the sender put on this link */
  guint64      sent_bytes;
  guint64      received;         /* messages the receiver took off it */
  guint64      received_bytes;
  guint64      multipart;        /* received messages with more than one frame */
  guint64      dropped;          /* lost at an HWM or with no receiver attached */
  guint64      missed;           /* part of `dropped`: lost before the receiver joined */
  guint64      unread;           /* still queued when the receiver stopped */
  guint64      lost;             /* "lost in crash": queued in a killed node's sockets
                                    when it was killed (read out and counted by its
                                    thread), or sent by a killed node before the kill
                                    and never delivered (settled at the end) */
  guint64      lost_in_change;   /* part of `lost`: queued in a pipe a live change tore
                                    down (zs_engine_flip_link, …), never delivered; a
                                    blocking sender's only (a PUB's count as dropped) */
  guint64      in_flight;        /* queued now: sender's pipe, receiver's pipe, kernel */
  guint64      discarded;        /* part of `in_flight` once the run is over: still
                                    queued when the run stopped, discarded with the
                                    sockets (not an HWM drop) */
  guint64      capacity;         /* SNDHWM + RCVHWM, 0 = unlimited */
  guint64      connects;         /* connected / accepted events */
  guint64      disconnects;      /* of connections whose handshake was done */
  guint64      retries;
  guint64      handshakes_failed; /* connections closed before their handshake was done:
                                    a peer whose socket type does not fit, one that
                                    left, or no ZeroMQ program at all */
  ZsLinkState  state;
  gboolean     cut;              /* cut by a fault (zs_engine_cut_link): disconnected */
  guint64      cuts;             /* times it was cut */
  gboolean     relayed;          /* tcp, through the engine's relay (zs_engine_throttle_link) */
  guint        delay_ms;         /* the relay holds each chunk this long */
  double       loss_percent;     /* the relay loses whole messages this often (counted `lost`) */
  guint64      changes;          /* live changes (zs_engine_flip_link, …): new connections */
  gboolean     changing;         /* a change is asked and its ends have not both applied it */
  gboolean     flipped;          /* live: the planned connecting socket binds now */
  int          transport;        /* its ZsTransport now (zs-endpoint.h) */
  ZsLinkEvent  last_event;
  gint64       last_event_us;
  /* What cannot be known exactly, said so: */
  gboolean     sent_estimated;      /* the sender round-robins (PUSH, DEALER, REQ): libzmq
                                       picks the pipe, so per-link `sent` is received +
                                       a share of the sender's undelivered messages */
  gboolean     dropped_estimated;   /* drops not yet seen as a sequence gap */
  gboolean     lost_estimated;      /* lost_in_change is at most that many: its receiver
                                       took messages for ones from outside, which may be
                                       the old pipe's, arriving after newer ones */
  gboolean     capacity_estimated;  /* tcp/ipc: kernel buffers hold more than the HWMs */
  gboolean     to_outside;          /* the receiver is an external program: `received` is
                                       what was handed to it; what it read or dropped
                                       cannot be counted there */
  ZsLinkFlow   flow[2];             /* each direction apart: 0 connecting -> binding,
                                       1 binding -> connecting */
} ZsLinkStats;

/* A socket's traffic with peers outside the topology (outside programs,
 * another zmqscope), which no link carries. */
typedef struct {
  guint        node;
  guint        socket;           /* index in its node */
  gboolean     untraced;         /* sends without the trailer: an outside peer (from the
                                    start or since one connected), or tracing off */
  gboolean     outside;          /* an outside peer is or was attached; its links' figures
                                    are then estimates */
  guint64      peers;            /* the most outside peers attached at once */
  guint64      sent;             /* messages that went to outside peers */
  guint64      received;         /* messages that came from outside */
  gboolean     sent_estimated;   /* libzmq picked the pipe (PUSH, DEALER, REQ), or a PUB
                                    offered them to outside subscribers */
} ZsOutsideStats;

/* A capture's own figures (zs-wire-source.h); all 0 in any other run. */
typedef struct {
  gboolean      captured;        /* seen on the wire: what follows applies */
  gboolean      live;            /* captured live: the kernel's drops are known */
  guint64       kernel_dropped;  /* packets the kernel dropped before the capture read
                                    them: the messages in them were not seen, so the
                                    wire's counts are then estimates (low) */
  guint64       let_go;          /* connections whose kept messages (the Messages page's)
                                    were let go to bound memory, here ... */
  guint64       helper_let_go;   /* ... and by the capture helpers (zs-wire-kept.h) */
} ZsWireStats;

typedef struct {
  gint64        time_us;         /* g_get_monotonic_time () when taken */
  gint64        run_started_us;
  gboolean      running;
  gboolean      finished;        /* every node with an end reached it (none failed or
                                    was stopped first) */
  gboolean      outside_discarded; /* at stop, messages still queued for outside peers
                                    after the linger (ZS_RUN_OUTSIDE_LINGER_MS) were
                                    discarded: the outside program was not reading */
  char         *stop_reason;     /* the engine stopped the run by itself (the memory
                                    cap), and why; NULL otherwise */
  ZsLatencyStats latency;        /* every link's messages together */
  ZsWireStats   wire;
  guint         n_nodes;
  guint         n_links;
  ZsNodeStats  *nodes;           /* n_nodes, in topology order */
  ZsLinkStats  *links;           /* n_links, in zs_topology_get_links () order */
  guint         n_sockets;
  ZsOutsideStats *sockets;       /* n_sockets, every node's sockets in order; filled by
                                    the engine (NULL in a new snapshot) */
} ZsSnapshot;

ZsSnapshot  *zs_snapshot_new            (guint              n_nodes,
                                         guint              n_links);
void         zs_snapshot_free           (ZsSnapshot        *snapshot);
const char  *zs_node_state_to_string    (ZsNodeState        state);
const char  *zs_link_state_to_string    (ZsLinkState        state);
const char  *zs_link_event_to_string    (ZsLinkEvent        event);
const char  *zs_node_fault_to_string    (ZsNodeFault        fault);
/* Messages per second on a link between two snapshots of the same run. */
double       zs_snapshot_link_rate      (const ZsSnapshot  *before,
                                         const ZsSnapshot  *after,
                                         guint              link);
double       zs_snapshot_node_rate      (const ZsSnapshot  *before,
                                         const ZsSnapshot  *after,
                                         guint              node);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsSnapshot, zs_snapshot_free)

G_END_DECLS
