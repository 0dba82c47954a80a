/* zs-monitor-thread.h: one thread that reads every socket's connection events (private)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libzmq sends monitor events blocking from its I/O thread, so a monitor
 * nobody reads can stall it: this thread always drains them. tcp and ipc
 * only: libzmq reports nothing for inproc. */
#pragma once

#include "zs-run.h"

G_BEGIN_DECLS

ZsMonitorThread *zs_monitor_thread_new    (ZsRun           *run);
/* Called by a socket's own thread, before its binds and connects. */
gboolean         zs_monitor_thread_watch  (ZsMonitorThread *self,
                                           guint            socket_index,
                                           void            *zsock);
/* The same for any socket, whatever its spec's endpoints (a live
 * change moved one of its links to tcp or ipc). */
gboolean         zs_monitor_thread_watch_wire (ZsMonitorThread *self,
                                          guint            socket_index,
                                          void            *zsock);
/* zs_monitor_thread_watch watches a socket of this spec. */
gboolean         zs_monitor_thread_spec_watched (ZsSocketSpec *spec);
/* Called by a socket's own thread, before it closes the socket. */
void             zs_monitor_thread_unwatch (ZsMonitorThread *self,
                                            void            *zsock);
/* After every node thread has ended: drains, closes and joins. */
void             zs_monitor_thread_free   (ZsMonitorThread *self);

G_END_DECLS
