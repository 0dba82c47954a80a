/* zs-node-thread.h: a node's thread, from its start to its end (private)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-run.h"

G_BEGIN_DECLS

/* One thread per node of ours (an external program has none): it opens
 * the node's sockets, runs its role, and when the run stops, drains and
 * closes them. A node whose thread cannot start is in ERROR. */
void zs_node_threads_start (ZsRun *run);
/* Once the run is stopping: waits for every node to drain and close its
 * sockets; one still stuck after grace_ms is freed by shutting the context
 * down. Joins every thread. */
void zs_node_threads_join  (ZsRun *run,
                            guint  grace_ms);

G_END_DECLS
