/* zs-gate.h: the one place every send waits for its turn (pause, speed, step)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _ZsGate ZsGate;

typedef enum {
  ZS_GATE_OPEN,      /* passed at once */
  ZS_GATE_WAITED,    /* passed after waiting (paused or paced) */
  ZS_GATE_CLOSED,    /* the run is stopping */
} ZsGateResult;

ZsGate       *zs_gate_new        (void);
void          zs_gate_free       (ZsGate  *gate);
/* Called by a node thread before each send. `on_wait` runs once if the
 * call is going to wait (the node shows itself as paused). */
ZsGateResult  zs_gate_pass       (ZsGate  *gate,
                                  void   (*on_wait) (gpointer data),
                                  gpointer data);
void          zs_gate_set_paused (ZsGate  *gate,
                                  gboolean paused);
gboolean      zs_gate_get_paused (ZsGate  *gate);
void          zs_gate_set_rate   (ZsGate  *gate,
                                  double   messages_per_second);
double        zs_gate_get_rate   (ZsGate  *gate);
void          zs_gate_step       (ZsGate  *gate);
void          zs_gate_close      (ZsGate  *gate);

G_END_DECLS
