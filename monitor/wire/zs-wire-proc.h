/* zs-wire-proc.h: which process holds a TCP socket, from /proc
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * /proc/net/tcp and tcp6 name each socket's inode; /proc/PID/fd links
 * name the inodes a process holds. Only what the reader may see is found
 * (root sees all; others their own processes), and only sockets of the
 * reader's network namespace. */
#pragma once

#include "zs-wire.h"

G_BEGIN_DECLS

typedef struct _ZsWireProc ZsWireProc;

ZsWireProc *zs_wire_proc_new    (void);
void        zs_wire_proc_free   (ZsWireProc          *self);
/* The process whose socket has this local and remote address (or, failing
 * that, listens on `local`'s port): fills `out`, or leaves pid 0. */
void        zs_wire_proc_lookup (ZsWireProc          *self,
                                 const ZsWireAddress *local,
                                 const ZsWireAddress *remote,
                                 ZsWireProcess       *out);

G_END_DECLS
