/* zs-gate.h: the run's clock, and the one place every send waits for its
 * turn (pause, speed, step)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <stdatomic.h>

G_BEGIN_DECLS

typedef struct _ZsGate ZsGate;

typedef enum {
  ZS_GATE_OPEN,      /* passed at once */
  ZS_GATE_WAITED,    /* passed after waiting (paused or paced) */
  ZS_GATE_CLOSED,    /* the run is stopping */
  ZS_GATE_WOKEN,     /* not passed: zs_gate_wake called (a fault was asked); ask again */
} ZsGateResult;

ZsGate       *zs_gate_new         (void);
void          zs_gate_free        (ZsGate  *gate);
/* Called by a node thread before each send. `next_us` is the sender's own
 * pacing state (0 at first): in slow motion each sender has its own budget
 * of `rate` messages per second. `on_pause` runs once if the call waits
 * because the user paused the run (not when it only waits its turn). */
ZsGateResult  zs_gate_pass        (ZsGate  *gate,
                                   gint64  *next_us,
                                   void   (*on_pause) (gpointer data),
                                   gpointer data);
/* The flag zs_gate_pass looks at first (not paused, no rate limit, not
 * closed), for a sender that tests it inline before calling it. */
const atomic_int *zs_gate_free_flow_flag (ZsGate *gate);
void          zs_gate_set_paused  (ZsGate  *gate,
                                   gboolean paused);
gboolean      zs_gate_get_paused  (ZsGate  *gate);
/* Messages per second for each sender (0 = full speed). */
void          zs_gate_set_rate    (ZsGate  *gate,
                                   double   messages_per_second);
double        zs_gate_get_rate    (ZsGate  *gate);
void          zs_gate_step        (ZsGate  *gate);
void          zs_gate_close       (ZsGate  *gate);

/* The run's clock, in µs since the gate was made. It runs with the wall
 * clock, and stands still while the run is paused (between steps) or any
 * sender is held back by slow motion: a held send happens, on this clock,
 * at the moment it was asked for, so every time-valued behaviour keeps its
 * place among the messages whatever the speed. */
gint64        zs_gate_now         (ZsGate  *gate);
/* Waits until the run's clock reads `run_us`, or a zs_gate_wake. FALSE
 * if the gate closed. */
gboolean      zs_gate_sleep_until (ZsGate  *gate,
                                   gint64   run_us);
/* Every sleeper returns early (TRUE) to look at its node's faults. */
void          zs_gate_wake        (ZsGate  *gate);

G_END_DECLS
