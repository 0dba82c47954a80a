/* zs-bench-topology.h: the 200-node bench topology (100 PUSH -> PULL pairs)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_BENCH_PAIRS 100

/* 100 PUSH -> PULL pairs over inproc, 10 pairs a row; HWMs 1000, tracing
 * on, 16-byte payload. `fast` pairs send at full speed, the others every
 * `slow_ms`. */
ZsTopology *zs_bench_pairs_topology (guint fast,
                                     guint slow_ms);

G_END_DECLS
