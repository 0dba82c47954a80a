/* zs-fault.h: faults asked for during a run, applied by the node threads
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Any thread asks (zs_engine_kill_node and friends); the node's own thread
 * applies the fault where it already looks at the stop flag (its sockets
 * are its own: nobody else may close, disconnect or read them). A request
 * is a store into the node's ZsNodeFaults and a write to its eventfd,
 * which every wait of that node watches along with the run's stop fd. */
#pragma once

#include <stdatomic.h>

#include "zs-endpoint.h"
#include "zs-snapshot.h"
#include "zs-telemetry.h"

G_BEGIN_DECLS

/* Slow factors are kept in thousandths: 1000 = as written. */
#define ZS_FAULT_SLOW_ONE 1000

typedef struct {
  int          fd;          /* eventfd: a request is waiting for the node's thread */
  _Atomic int  kill;        /* asked: crash at the next look (cleared by the thread) */
  _Atomic int  restart;     /* asked: a killed node starts again */
  _Atomic int  paused;      /* asked: stop at the next send, receive or poll */
  _Atomic guint slow;       /* its sleeps (work, intervals) x slow / 1000 */
  _Atomic int  state;       /* ZsNodeFault, as its thread applied it */
  _Atomic guint link_requests; /* bumped when one of its links is to be cut or restored */
  _Atomic int  busy;        /* its thread may take a fault: started, not yet ended */
  ZsCounter    kills;
  ZsCounter    restarts;
} ZsNodeFaults;

/* A link changed live (zs_engine_flip_link, …_set_link_transport, an
 * HWM's reconnect): what was asked and what each end did, under
 * ZsFaults.live_lock. End 0 is the plan's connecting socket, 1 its
 * binding one; each end's own thread tears down what it holds (a
 * disconnect, or an unbind its other links do not need), then the
 * binding end binds a fresh endpoint, then the other connects to it. */
typedef struct {
  guint         socket[2];       /* each end's socket, in the run */
  guint         node[2];
  guint         gen;             /* changes asked so far; 0: as planned */
  gboolean      flipped;         /* end 0 binds */
  ZsTransport   transport;
  char         *bind_endpoint;   /* where the binding end binds (tcp: port "*") */
  char         *connect_endpoint;/* where the other connects: once bound */
  guint         bound_gen;       /* the binding end has bound for this change */
  guint         torn_gen[2];     /* each end has let go of what it held for this change */
  guint         done_gen[2];     /* each end has applied this change */
  char         *held[2];         /* what each end binds or connects now; NULL: as planned */
  gboolean      held_binds[2];
  gboolean      up[2];           /* inproc: that end is attached */
  guint         marked_gen[2];   /* each end has marked its flows for this change */
  guint64       sent_mark[2];    /* per flow: its sender's `sent` as it let go */
  guint64       arrived_mark[2]; /* per flow: what its receiver took, as it let go */
  GPtrArray    *connects;        /* ZsLiveConnect: every live connect, for the monitor */
} ZsLinkLive;

typedef struct {
  guint  socket;
  char  *endpoint;
} ZsLiveConnect;

typedef struct {
  _Atomic int  cut_wanted;  /* asked: the link is cut (1) or whole (0) */
  _Atomic int  cut;         /* as the owning thread applied it */
  guint        owner;       /* the node whose thread cuts it: the connecting side's */
  _Atomic int  relayed;     /* the owner connects it through the relay (zs-relay.h) */
  ZsCounter    cuts;
  ZsLinkLive   live;
} ZsLinkFaults;

/* A socket's HWMs as asked during the run (zs_engine_set_socket_hwm):
 * its thread sets them on its socket before the reconnects they ask. */
typedef struct {
  _Atomic int  hwm[2];         /* 0 SNDHWM, 1 RCVHWM */
  _Atomic int  applied[2];     /* as its thread set them (written by that thread only) */
  _Atomic int  renew;          /* asked: once set, its links reconnect */
  gboolean     watched;        /* its thread: the monitor thread watches it */
} ZsSocketFaults;

typedef struct {
  guint           n_nodes;
  guint           n_links;
  guint           n_sockets;
  ZsNodeFaults   *nodes;
  ZsLinkFaults   *links;
  ZsSocketFaults *sockets;
  GMutex          live_lock;   /* ZsLinkLive */
} ZsFaults;

ZsFaults *zs_faults_new          (guint          n_nodes,
                                  guint          n_sockets,
                                  guint          n_links);
void      zs_faults_free         (ZsFaults      *faults);
/* Wakes node `node`'s thread: a request is waiting. */
void      zs_faults_poke         (ZsFaults      *faults,
                                  guint          node);
/* The node's thread: empties its eventfd. */
void      zs_faults_take_poke    (ZsFaults      *faults,
                                  guint          node);
/* The node's thread: ms of a sleep (work, interval), slowed down. */
guint     zs_faults_slowed_ms    (ZsFaults      *faults,
                                  guint          node,
                                  guint          ms);

/* Asks node `node` to look at its links again (link_requests) and wakes it. */
void      zs_faults_ask_node     (ZsFaults      *faults,
                                  guint          node);
/* The monitor thread: the link whose live connect from `socket` is
 * `address` (old or current: *current says which), or -1. */
int       zs_faults_find_live_connect (ZsFaults   *faults,
                                  guint          socket,
                                  const char    *address,
                                  gboolean      *current);
/* Asks both ends of `link` for a new connection (zs-node-runner-live.c):
 * the other end binds if `flip`, over `transport` if >= 0 (a ZsTransport),
 * on a fresh endpoint (ipc paths carry `tag`, the run's). */
void      zs_faults_change_link  (ZsFaults      *faults,
                                  guint          link,
                                  gboolean       flip,
                                  int            transport,
                                  guint64        tag);
/* The snapshot's changes, changing, flipped, transport of `link`. */
void      zs_faults_read_live    (ZsFaults      *faults,
                                  guint          link,
                                  ZsTransport    planned,
                                  ZsLinkStats   *out);
/* The link was changed live at least once. */
gboolean  zs_faults_link_changed (ZsFaults      *faults,
                                  guint          link);
/* The link's transport now (`planned` until changed). */
ZsTransport zs_faults_link_transport (ZsFaults  *faults,
                                  guint          link,
                                  ZsTransport    planned);

G_END_DECLS
