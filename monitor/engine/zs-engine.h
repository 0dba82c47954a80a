/* zs-engine.h: runs a topology: one zmq context, one thread per node
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "zs-capture.h"
#include "zs-fault-script.h"
#include "zs-snapshot.h"
#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_ENGINE_ERROR (zs_engine_error_quark ())

GQuark zs_engine_error_quark (void);

typedef enum {
  ZS_ENGINE_ERROR_INVALID,   /* validation found errors: the message lists them */
  ZS_ENGINE_ERROR_STATE,     /* already running */
  ZS_ENGINE_ERROR_ZMQ,       /* libzmq refused (no context, too many sockets) */
  ZS_ENGINE_ERROR_FAULT,     /* the node or link cannot take that fault now */
} ZsEngineError;

typedef enum {
  ZS_ENGINE_STATE_IDLE,
  ZS_ENGINE_STATE_RUNNING,
  ZS_ENGINE_STATE_PAUSED,
  ZS_ENGINE_STATE_STOPPED,
} ZsEngineState;

#define ZS_TYPE_ENGINE (zs_engine_get_type ())
G_DECLARE_FINAL_TYPE (ZsEngine, zs_engine, ZS, ENGINE, GObject)

/* Takes a frozen copy of the topology: later edits do not reach the run. */
ZsEngine      *zs_engine_new            (ZsTopology  *topology);
ZsTopology    *zs_engine_get_topology   (ZsEngine    *self);
ZsEngineState  zs_engine_get_state      (ZsEngine    *self);
/* Validates, then starts every node's thread. A node that fails (a busy
 * port, say) goes to the ERROR state with a message; the others run. */
gboolean       zs_engine_start          (ZsEngine    *self,
                                         GError     **error);
/* HWM 0 means no limit: a fast sender and a slow receiver grow libzmq's
 * queues without end (175 MB/s measured). Past this many bytes queued on
 * unlimited links (estimated from the exact counters), the engine stops
 * the run by itself: nodes stop, watchers wake, the snapshot's stop_reason
 * names the link; the owner then calls zs_engine_stop. */
#define ZS_ENGINE_DEFAULT_MEMORY_CAP (G_GUINT64_CONSTANT (512) * 1024 * 1024)

/* Before zs_engine_start; 0 = no cap. */
void           zs_engine_set_memory_cap (ZsEngine    *self,
                                         guint64      bytes);
/* Before zs_engine_start: the run starts paused (for one-at-a-time mode). */
void           zs_engine_pause          (ZsEngine    *self);
void           zs_engine_resume         (ZsEngine    *self);
/* Messages per second for each sender (0 = full speed). In slow modes each
 * send really waits for its turn, so one dot is one message, and the run's
 * clock slows down with them (see zs_gate_now). */
void           zs_engine_set_speed      (ZsEngine    *self,
                                         double       messages_per_second);
double         zs_engine_get_speed      (ZsEngine    *self);
/* While paused: let exactly one send through, anywhere in the topology;
 * the run's clock runs until a sender takes it. */
void           zs_engine_step           (ZsEngine    *self);
/* Blocks until every node with an end has ended, reached or failed (TRUE),
 * or timeout_ms passes or the engine stops the run by itself (FALSE). With no node that ends, it waits out the
 * timeout. The snapshot's `finished` says whether they all reached it. */
gboolean       zs_engine_wait           (ZsEngine    *self,
                                         guint        timeout_ms);
/* Calls `func` in the thread-default main context each time a node ends
 * (reaches its end, fails, say on a busy port, or stops) or the engine
 * stops the run by itself; remove the source (g_source_remove) before the
 * next zs_engine_start or the engine's end. 0 when no run was started. */
guint          zs_engine_add_watch      (ZsEngine    *self,
                                         GSourceFunc  func,
                                         gpointer     data);
/* Stops every node, drains what is still queued into the counters, joins
 * the threads and terminates the context. Returns within about a second,
 * even under full load. The final counters stay readable. */
void           zs_engine_stop           (ZsEngine    *self);
/* A consistent copy of all counters; callable from any thread. */
ZsSnapshot    *zs_engine_snapshot       (ZsEngine    *self);
/* Refills `snapshot` (made by zs_engine_snapshot) without allocating. */
void           zs_engine_snapshot_into  (ZsEngine    *self,
                                         ZsSnapshot  *snapshot);

/* Faults, live (zs-fault.h). Safe from any thread; each returns at once
 * (the node's own thread applies it within a moment, as it next looks at
 * the stop flag) and shows in the snapshot (ZsNodeStats.fault, kills,
 * restarts; ZsLinkStats.cut, cuts). FALSE with ZS_ENGINE_ERROR_FAULT when
 * the run is not going, the index is out of range, the node is an outside
 * program, or it cannot take that fault now (killing a killed node, say).
 *
 * Kill: the node's thread closes its sockets at once, linger 0, as a crash
 * would; what they held is counted as lost (ZsLinkStats.lost). Restart: a
 * killed node opens the same sockets again and starts its role afresh.
 * Pause: it holds at its next send or receive, reading nothing (the stuck
 * consumer) until resumed. Slow: its work and intervals take `factor`
 * times as long (1 = as written; 0.001 to 1000). Cut: the connecting
 * socket of the link disconnects its endpoint (zmq_disconnect); restore
 * connects it again. */
gboolean       zs_engine_kill_node      (ZsEngine    *self,
                                         guint        node,
                                         GError     **error);
gboolean       zs_engine_restart_node   (ZsEngine    *self,
                                         guint        node,
                                         GError     **error);
gboolean       zs_engine_pause_node     (ZsEngine    *self,
                                         guint        node,
                                         GError     **error);
gboolean       zs_engine_resume_node    (ZsEngine    *self,
                                         guint        node,
                                         GError     **error);
gboolean       zs_engine_slow_node      (ZsEngine    *self,
                                         guint        node,
                                         double       factor,
                                         GError     **error);
gboolean       zs_engine_cut_link       (ZsEngine    *self,
                                         guint        link,
                                         GError     **error);
gboolean       zs_engine_restore_link   (ZsEngine    *self,
                                         guint        link,
                                         GError     **error);
/* Delay and loss on a tcp link, through the engine's relay (zs-relay.h):
 * the binder keeps its endpoint, the relay listens on a fresh port and
 * the connecting socket connects there (re-connecting live, the first
 * time a running link is throttled). The relay holds each chunk of bytes
 * `delay_ms` and, after the handshake, loses whole messages with
 * probability `loss_percent` / 100 (counted as lost on the link: the
 * books still balance). -1 (or below 0) leaves that part as it was;
 * restore (zs_engine_restore_link) sets both to 0. Shown in the snapshot
 * (ZsLinkStats.relayed, delay_ms, loss_percent). */
gboolean       zs_engine_throttle_link  (ZsEngine    *self,
                                         guint        link,
                                         int          delay_ms,
                                         double       loss_percent,
                                         GError     **error);
/* Before zs_engine_start: the link goes through the relay from the start
 * (a fault script that will throttle it), so nothing re-connects live. */
void           zs_engine_relay_link     (ZsEngine    *self,
                                         guint        link);
/* Live changes (issue #15), safe from any thread like the faults: the
 * ends' own threads let go of the link's connection (zmq_disconnect, and
 * zmq_unbind where no other link needs the bind), then the binding end
 * binds a fresh endpoint and the other connects to it; the other nodes go
 * on. Flip: the connecting end binds. Transport: inproc, ipc or tcp
 * (tcp on 127.0.0.1, a port the kernel picks). HWM: set on the socket
 * (`send`: SNDHWM, else RCVHWM; 0 = no limit), and each of its links
 * reconnects, as libzmq sizes new pipes only. Flows keep their planned
 * direction (0: from the planned connecting socket); what a torn-down
 * pipe held is lost in the change (ZsLinkStats.lost_in_change, part of
 * `lost`) when its sender blocks at the HWM and knows its link, else
 * counted as its sender counts it at the end (a PUB's dropped, a
 * round-robin sender's in flight). Shown as ZsLinkStats.changes, changing,
 * flipped, transport. FALSE with ZS_ENGINE_ERROR_FAULT when the run is
 * not going, an end is an outside program or killed, or the link is cut
 * (and a changed link cannot be cut). */
gboolean       zs_engine_flip_link      (ZsEngine    *self,
                                         guint        link,
                                         GError     **error);
gboolean       zs_engine_set_link_transport (ZsEngine *self,
                                         guint        link,
                                         ZsTransport  transport,
                                         GError     **error);
gboolean       zs_engine_set_socket_hwm (ZsEngine    *self,
                                         guint        node,
                                         guint        socket,
                                         gboolean     send,
                                         int          hwm,
                                         GError     **error);
/* One step of a fault script (zs-fault-script.h), by its kind. */
gboolean       zs_engine_apply_fault    (ZsEngine          *self,
                                         const ZsFaultStep *step,
                                         GError           **error);
/* The run's clock (paused with the run, slowed with slow motion), in µs
 * since the run started; 0 before it. Fault scripts are timed on it. */
gint64         zs_engine_get_run_time_us (ZsEngine   *self);

/* The message inspector: while on (from the start, for every link), the
 * receiver of `link` keeps copies of the last ZS_CAPTURE_SLOTS messages
 * (see zs-capture.h); off spares a hot link the copies. */
void           zs_engine_set_capture    (ZsEngine    *self,
                                         guint        link,
                                         gboolean     capture);
/* Oldest first: a GPtrArray of ZsCapture; empty when nothing was captured. */
GPtrArray     *zs_engine_get_captures   (ZsEngine    *self,
                                         guint        link);

/* Why socket `socket` of node `node` would run untraced from the start of
 * a run (its messages carry no trailer, its per-link figures are
 * estimates), or NULL. An outside program connecting to one of its binds
 * during the run turns tracing off too. */
char          *zs_engine_untraced_reason (ZsTopology *topology,
                                          guint       node,
                                          guint       socket);

G_END_DECLS
