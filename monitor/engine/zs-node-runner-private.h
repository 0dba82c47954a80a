/* zs-node-runner-private.h: a runner's life cycle, for its node's thread
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-node-runner.h"

G_BEGIN_DECLS

ZsRunner    *_zs_runner_new           (ZsRun       *run,
                                       ZsRunNode   *run_node);
void         _zs_runner_free          (ZsRunner    *self);
/* Renders the payload templates, creates, binds and connects every socket;
 * FALSE (the node's error set) if one could not be. */
gboolean     _zs_runner_open          (ZsRunner    *self);
ZsNodeState  _zs_runner_get_state     (ZsRunner    *self);
/* Returns once the run is stopping. */
void         _zs_runner_wait_stop     (ZsRunner    *self);
/* Drains what each socket still holds into `unread` (waiting for the
 * senders when the run stops) and closes it. */
void         _zs_runner_close_sockets (ZsRunner    *self);

/* Faults (zs-fault.h): the node was asked to crash. */
gboolean     _zs_runner_killed        (ZsRunner    *self);
/* Counts what its sockets hold as lost and closes them at once, linger 0. */
void         _zs_runner_crash         (ZsRunner    *self);
/* After a crash: TRUE when asked to restart, FALSE when the run stops. */
gboolean     _zs_runner_wait_restart  (ZsRunner    *self);
void         _zs_runner_restarted     (ZsRunner    *self);

G_END_DECLS
