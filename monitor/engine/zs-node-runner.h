/* zs-node-runner.h: what a node's role may do with its sockets (private)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A node is an actor: its thread (zs-node-thread.c) creates, uses and
 * closes its own sockets through its runner; nothing else touches them.
 * Every send and receive is traced, counted and passes the gate here.
 * Every wait also watches the run's stop fd, so a stop reaches a node
 * blocked anywhere. */
#pragma once

#include "zs-message.h"
#include "zs-run.h"

G_BEGIN_DECLS

typedef struct _ZsRunner ZsRunner;

typedef enum {
  ZS_RECV_OK,
  ZS_RECV_TIMEOUT,
  ZS_RECV_STOPPED,
  ZS_RECV_ERROR,
} ZsRecvResult;

ZsRun        *zs_runner_get_run      (ZsRunner     *self);
ZsNode       *zs_runner_get_node     (ZsRunner     *self);
/* A socket's index in the node by name; -1 if the node has none. */
int           zs_runner_find_socket  (ZsRunner     *self,
                                      const char   *name);
/* A local socket's index in the run (run->sockets). */
guint         zs_runner_socket_index (ZsRunner     *self,
                                      guint         local);
ZsSocketType  zs_runner_socket_type  (ZsRunner     *self,
                                      guint         local);
void          zs_runner_set_state    (ZsRunner     *self,
                                      ZsNodeState   state);
void          zs_runner_progress     (ZsRunner     *self,
                                      guint64       done);
void          zs_runner_set_result   (ZsRunner     *self,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (2, 3);
gboolean      zs_runner_fail         (ZsRunner     *self,
                                      const char   *format,
                                      ...) G_GNUC_PRINTF (2, 3);
gboolean      zs_runner_stopping     (ZsRunner     *self);
/* The run's clock (see zs_gate_now): every time-valued behaviour of a
 * role reads and waits on it, never on the wall clock. */
gint64        zs_runner_now          (ZsRunner     *self);
/* Sleeps `ms` on the run's clock; FALSE if the run stopped meanwhile. */
gboolean      zs_runner_sleep        (ZsRunner     *self,
                                      guint         ms);
/* Waits until `n` peers are attached to socket `local` (n < 0: every
 * linked peer). FALSE if the run stopped. */
gboolean      zs_runner_wait_peers   (ZsRunner     *self,
                                      guint         local,
                                      int           n);
/* Builds message `seq` from the node's payload templates into msg. */
void          zs_runner_build        (ZsRunner     *self,
                                      guint64       seq,
                                      ZsMessage    *msg);
/* Sends msg whole (its frames are consumed), through the gate, waiting while
 * every peer is at its HWM. FALSE if the run stopped, or it failed (a
 * message of no frames, libzmq refused): then the node's error is set. */
gboolean      zs_runner_send         (ZsRunner     *self,
                                      guint         local,
                                      ZsMessage    *msg);
/* Sends messages 1..count of the node's payload (for ever when count is
 * 0), interval_ms apart, setting the node's progress after each; msg is
 * the buffer it may build them in. A constant payload of one frame to one
 * known link takes a shorter path, with the same trailer and counters. */
gboolean      zs_runner_send_sequence (ZsRunner    *self,
                                       guint        local,
                                       guint        count,
                                       guint        interval_ms,
                                       ZsMessage   *msg);
gboolean      zs_runner_send_text    (ZsRunner     *self,
                                      guint         local,
                                      const char   *text);
/* Moves one message from socket `from` to `to` as is, uncounted (XPUB
 * subscriptions going upstream to an XSUB). */
gboolean      zs_runner_relay_raw    (ZsRunner     *self,
                                      guint         from,
                                      guint         to);
/* Receives one message, waiting at most timeout_ms on the run's clock
 * (-1: forever, 0: only what is queued). On ZS_RECV_ERROR the node's
 * error is set. */
ZsRecvResult  zs_runner_recv         (ZsRunner     *self,
                                      guint         local,
                                      ZsMessage    *msg,
                                      int           timeout_ms);
/* Waits for input on any of `locals`; returns its position, -1 on timeout,
 * -2 when stopping. */
int           zs_runner_poll         (ZsRunner     *self,
                                      const guint  *locals,
                                      guint         n,
                                      int           timeout_ms);
/* Closes a socket (draining what it still holds into `unread`) and, with
 * reopen, creates it again with the same options, binds and connects. */
gboolean      zs_runner_reset_socket (ZsRunner     *self,
                                      guint         local,
                                      gboolean      reopen);

G_END_DECLS
