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

typedef struct {
  _Atomic int  cut_wanted;  /* asked: the link is cut (1) or whole (0) */
  _Atomic int  cut;         /* as the owning thread applied it */
  guint        owner;       /* the node whose thread cuts it: the connecting side's */
  _Atomic int  relayed;     /* the owner connects it through the relay (zs-relay.h) */
  ZsCounter    cuts;
} ZsLinkFaults;

typedef struct {
  guint          n_nodes;
  guint          n_links;
  ZsNodeFaults  *nodes;
  ZsLinkFaults  *links;
} ZsFaults;

ZsFaults *zs_faults_new          (guint          n_nodes,
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

G_END_DECLS
