/* zs-run.h: what a run shares between the engine and its threads (private)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything here is built before the threads start and read-only after,
 * except the telemetry counters (one writer each) and the few atomics. */
#pragma once

#include <pthread.h>
#include <stdatomic.h>
#include <sys/types.h>

#include "zs-capture.h"
#include "zs-fault.h"
#include "zs-gate.h"
#include "zs-relay.h"
#include "zs-telemetry.h"
#include "zs-topology.h"

G_BEGIN_DECLS

typedef struct _ZsRun ZsRun;
typedef struct _ZsMonitorThread ZsMonitorThread;

/* A socket file a bind created: removed when the run ends, if it is still
 * that very file. */
typedef struct {
  char   *path;
  dev_t   dev;
  ino_t   ino;
} ZsIpcFile;

/* The subscriptions an XSUB has really passed upstream (a forwarder relays
 * its subscribers'): written by the forwarder's thread, read by the
 * publisher's when `generation` moved. */
typedef struct {
  GMutex        lock;
  GPtrArray    *prefixes;    /* char*, one per SUBSCRIBE not yet cancelled */
  _Atomic guint generation;
} ZsLiveFilters;

/* A link as seen from one of its sockets. */
typedef struct {
  guint          link;
  guint          dir;        /* the flow this socket sends on (or receives from) */
  GStrv          filters;    /* PUB/XPUB out links: the subscriber's SUBSCRIBE prefixes */
  ZsLiveFilters *live;       /* PUB/XPUB to an XSUB: where `filters` come from (a copy
                                the sender's thread refreshes); in ports: the same */
  guint          live_seen;  /* the generation `filters` was copied at */
  ZsFlowCounters *flow;      /* the flow's counters in the run's telemetry */
} ZsPort;

typedef struct {
  guint          index;          /* in the run */
  guint          node;
  ZsSocketSpec  *spec;
  ZsSocketType   type;
  char          *routing_id;     /* what peers see: the spec's, or "node/socket" */
  GArray        *out_ports;      /* ZsPort: links this socket sends on */
  GArray        *in_ports;       /* ZsPort: links this socket receives from */
  GArray        *links;          /* guint: the links this socket is an end of, ascending
                                    (fixed: a live change moves a link, never its sockets) */
  guint32       *port_from;      /* receiving: origin socket - port_from_first -> in_ports index + 1 */
  guint          port_from_first;/* the lowest socket index with a flow into this one */
  guint          port_from_len;
  GHashTable    *port_by_peer;   /* ROUTER: peer routing id (zs_run_peer_key) -> out_ports
                                    index + 1, or ZS_RUN_PEER_OUTSIDE; the plan's fixed ids,
                                    then ids learned from arrivals (the node thread's own) */
  gboolean       exact_out;      /* every message goes on one known link (or a
                                    known filter class): trailers carry link seqs */
  gboolean       uniform_filters;/* PUB: every out link has the same filters */
  gboolean       traced_plan;    /* at the start: tracing on, no link outside (zs_run_socket_traced) */
  _Atomic int    outside;        /* an outside peer is (or was) attached: from then on the
                                    socket sends untraced, its per-link figures are estimates
                                    (set by the plan or the monitor thread, never cleared) */
} ZsRunSocket;

/* How long, at most, the end of a run waits for messages still queued for
 * outside peers to leave (a plain program's zmq_ctx_term waits forever). */
#define ZS_RUN_OUTSIDE_LINGER_MS 2000

/* ROUTER peer table value: the id belongs to a peer outside the topology. */
#define ZS_RUN_PEER_OUTSIDE G_MAXUINT

typedef struct {
  guint          index;
  ZsNode        *node;
  guint          first_socket;
  guint          n_sockets;
  gboolean       has_end;
  gboolean       external;      /* an outside program: no thread, its sockets are not ours */
  pthread_t      thread;
  gboolean       has_thread;    /* `thread` runs, to be joined */
  ZsRun         *run;
  _Atomic int    exited;        /* its thread has closed its sockets */
  GCond          peers_cond;    /* zs_run_peers_changed, with the run's mutex */
  guint64        peers_generation;
} ZsRunNode;

struct _ZsRun {
  ZsTopology       *topology;    /* frozen copy */
  GPtrArray        *links;       /* ZsLink, owned by topology */
  ZsRunNode        *nodes;
  guint             n_nodes;
  ZsRunSocket      *sockets;
  guint             n_sockets;
  ZsTelemetry      *telemetry;
  ZsGate           *gate;
  ZsMonitorThread  *monitor;
  void             *ctx;
  int               stop_fd;     /* readable once the run is stopping */
  int               event_fd;    /* readable after a node ended (zs_engine_add_watch) */
  _Atomic int       stopping;
  _Atomic int       settled;
  _Atomic int       senders_alive; /* node threads that may still send */
  guint64           run_tag;     /* random per run (zs_trace_new_run_tag) */
  gint64            started_us;
  GMutex            mutex;
  GCond             cond;
  ZsCaptureRing   **captures;    /* per link; the pointer array is fixed */
  _Atomic int      *capturing;   /* per link: receivers copy messages */
  guint             n_with_end;    /* nodes that end by themselves */
  guint             ends_pending;  /* of those, the ones still going */
  guint             ends_reached;  /* of those, the ones that reached their end */
  GArray           *ipc_files;     /* ZsIpcFile: socket files our binds created (mutex) */
  GPtrArray        *live_filters;  /* ZsLiveFilters of PUB -> XSUB flows, owned */
  guint64           memory_cap;    /* bytes queued on unlimited links; 0 = no cap */
  _Atomic (char *)  stop_reason;   /* set once, when the engine stops the run itself */
  _Atomic int       outside_discarded; /* messages for outside peers outlived the linger */
  ZsFaults         *faults;        /* asked of each node and link (zs-fault.h) */
  ZsRelay          *relay;         /* tcp links routed through the relay (zs-relay.h) */
  guint8           *node_stacks;   /* one mapping: every node thread's stack (zs-node-thread.c) */
  gsize             node_stacks_size;
};

/* The in_ports index of the flow from socket `origin` into `rs`, -1 if none. */
static inline int
zs_run_socket_port_from (const ZsRunSocket *rs,
                         guint              origin)
{
  guint i = origin - rs->port_from_first;

  return i < rs->port_from_len ? (int) rs->port_from[i] - 1 : -1;
}

ZsRun   *zs_run_new              (ZsTopology  *frozen,
                                  GError     **error);
void     zs_run_free             (ZsRun       *run);
/* The flow a message from `from` to the other end of `link` travels on. */
guint    zs_run_flow_dir         (ZsRun       *run,
                                  guint        link,
                                  guint        from_socket);
/* A node thread reports it will send no more: it reached its end, failed
 * or was stopped. */
void     zs_run_node_finished    (ZsRun       *run,
                                  guint        node,
                                  gboolean     reached_end);
static inline gboolean
zs_run_is_stopping (ZsRun *run)
{
  return atomic_load_explicit (&run->stopping, memory_order_relaxed) != 0;
}
/* The engine stops the run by itself, for `reason` (taken): nodes stop
 * sending and drain as on zs_engine_stop, and watchers wake. */
void     zs_run_abort            (ZsRun       *run,
                                  char        *reason);
/* Wakes the engine's watchers (zs_engine_add_watch). */
void     zs_run_notify           (ZsRun       *run);
/* Peers of node `node` came or went (a link connected, a socket's
 * handshakes, its outside peers); -1: of every node, or the run is
 * stopping. Wakes the node's zs_run_wait_peers_change. */
void     zs_run_peers_changed    (ZsRun       *run,
                                  int          node);
/* The count of zs_run_peers_changed calls for `node` so far. */
guint64  zs_run_peers_generation (ZsRun       *run,
                                  guint        node);
/* Blocks until zs_run_peers_changed is called for `node` after `*seen`
 * (then updated) was taken; FALSE if the run is stopping. */
gboolean zs_run_wait_peers_change (ZsRun      *run,
                                   guint       node,
                                   guint64    *seen);
/* Whether a socket's messages carry the trailer: only where both ends are
 * ours (its node traces, and nothing it is linked to is outside). */
gboolean zs_run_socket_traced    (ZsRun       *run,
                                  ZsRunSocket *rs);
/* Why a socket of the topology runs untraced from the start, or NULL
 * (a connect no bind of the file matches reaches an outside program). */
char    *zs_run_untraced_reason  (ZsTopology  *topology,
                                  guint        node,
                                  guint        socket);
/* A forwarder passed `msg` (a subscribe or cancel message, first byte 1
 * or 0) upstream through XSUB socket `xsub`: its publishers' links match
 * what it subscribed to from now on. */
void     zs_run_note_upstream    (ZsRun       *run,
                                  guint        xsub,
                                  const guint8 *msg,
                                  gsize        size);
/* The sender's thread: refreshes port->filters if its XSUB's changed. */
void     zs_run_port_refresh_filters (ZsPort  *port);
/* Marks a socket as having an outside peer (the monitor thread). */
void     zs_run_socket_set_outside (ZsRun     *run,
                                  guint        socket);
static inline gboolean
zs_run_socket_has_outside (ZsRunSocket *rs)
{
  return atomic_load_explicit (&rs->outside, memory_order_relaxed) != 0;
}

/* Per-link `sent` is an estimate: libzmq picks the pipe (round-robin
 * senders with several links, or with a peer outside the topology). */
static inline gboolean
zs_run_socket_sends_round_robin (ZsRunSocket *rs)
{
  switch (rs->type)
    {
    case ZS_SOCKET_PUB:
    case ZS_SOCKET_XPUB:
    case ZS_SOCKET_ROUTER:
    case ZS_SOCKET_REP:
      return FALSE;
    case ZS_SOCKET_PUSH:
    case ZS_SOCKET_DEALER:
    case ZS_SOCKET_REQ:
      return !rs->exact_out || zs_run_socket_has_outside (rs);
    case ZS_SOCKET_PAIR:
    case ZS_SOCKET_SUB:
    case ZS_SOCKET_PULL:
    case ZS_SOCKET_XSUB:
    case ZS_SOCKET_N_TYPES:
    default:
      return !rs->exact_out;
    }
}
/* The in port untraced arrivals belong to: the only sender that sends
 * untraced, or -1 (then they are counted from outside). */
int      zs_run_untraced_port    (ZsRun       *run,
                                  ZsRunSocket *rs);
/* A socket's own thread got a message no link explains: unless it may be
 * from one of several senders of ours with tracing off (`traced` FALSE),
 * an outside peer is attached, maybe before the monitor thread saw it. */
void     zs_run_note_outside_arrival (ZsRun   *run,
                                  ZsRunSocket *rs,
                                  gboolean     traced);
/* A routing id as a ROUTER peer table key (`size` bytes, length first). */
void     zs_run_peer_key         (guint8      *key,
                                  const void  *id,
                                  gsize        size);
/* Round-robin senders: libzmq picks the pipe, so a flow's `sent` is an estimate. */
gboolean zs_run_flow_is_estimated (ZsRun      *run,
                                   guint       link,
                                   guint       dir);
/* SNDHWM + RCVHWM of a flow's pipe; 0 = unlimited (either is 0). */
guint64  zs_run_flow_capacity    (ZsRun       *run,
                                  guint        link,
                                  guint        dir);
/* After every thread ended: what was sent and never arrived is a drop for
 * dropping sockets (PUB, ROUTER) and stays in flight for blocking ones. */
void     zs_run_settle           (ZsRun       *run);
gboolean zs_run_is_settled       (ZsRun       *run);
/* Ends the context, waiting for lingering sockets (outside peers, at most
 * ZS_RUN_OUTSIDE_LINGER_MS); notes whether that linger ran out. */
void     zs_run_term_context     (ZsRun       *run);
/* A node thread bound `path` (an ipc endpoint's file). */
void     zs_run_add_ipc_file     (ZsRun       *run,
                                  const char  *path);
/* Once every socket is closed: unlinks the socket files the run created. */
void     zs_run_remove_ipc_files (ZsRun       *run);

G_END_DECLS
