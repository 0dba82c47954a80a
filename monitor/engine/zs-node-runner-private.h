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

G_END_DECLS
