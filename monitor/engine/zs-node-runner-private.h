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

/* For zs-node-runner-live.c: the node's sockets (NULL when closed), its
 * run node, and zmq_bind as its binds do it (an ipc file is removed when
 * the run ends); FALSE with errno. */
void       **_zs_runner_sockets       (ZsRunner    *self);
ZsRunNode   *_zs_runner_run_node      (ZsRunner    *self);
gboolean     _zs_runner_bind          (ZsRunner    *self,
                                       void        *zsock,
                                       const char  *endpoint);

/* Live changes (zs-fault.h), zs-node-runner-live.c. Applies what was
 * asked of the node's links: tear down, bind, connect, in that order. */
void         _zs_runner_apply_live    (ZsRunner    *self);
/* A planned endpoint of socket `local` that live changes replaced:
 * opening the socket again (a restart, a subscriber back online) skips it. */
gboolean     _zs_runner_live_retired  (ZsRunner    *self,
                                       guint        local,
                                       const char  *endpoint,
                                       gboolean     binding);
/* Socket `local` opened again: binds and connects what live changes gave it. */
void         _zs_runner_reattach_live (ZsRunner    *self,
                                       guint        local);
/* Socket `local` is closing: its inproc ends of changed links go. */
void         _zs_runner_live_closed   (ZsRunner    *self,
                                       guint        local);
/* The HWM to set on socket `local` (0 SNDHWM, 1 RCVHWM): as asked now. */
int          _zs_runner_live_hwm      (ZsRunner    *self,
                                       guint        local,
                                       guint        which);

G_END_DECLS
