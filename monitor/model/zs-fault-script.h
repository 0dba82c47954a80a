/* zs-fault-script.h: "at 2 s kill worker-2": faults on a run's clock
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The grammar is in docs/fault-script.md. A script is parsed against a
 * topology: every node and link it names must be there, and each bad
 * line is refused with its line and column. */
#pragma once

#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_FAULT_SCRIPT_ERROR (zs_fault_script_error_quark ())

GQuark zs_fault_script_error_quark (void);

typedef enum {
  ZS_FAULT_SCRIPT_ERROR_SYNTAX,   /* "LINE:COLUMN: why" */
} ZsFaultScriptError;

typedef enum {
  ZS_FAULT_KILL,
  ZS_FAULT_RESTART,
  ZS_FAULT_PAUSE,
  ZS_FAULT_RESUME,
  ZS_FAULT_SLOW,
  ZS_FAULT_CUT,
  ZS_FAULT_RESTORE,
  ZS_FAULT_DELAY,     /* a tcp link through the relay: factor = ms */
  ZS_FAULT_LOSS,      /* a tcp link through the relay: factor = percent */
  ZS_FAULT_FLIP,        /* live changes (issue #15): the link's other end binds */
  ZS_FAULT_TRANSPORT,   /* the link moves to `value` (a ZsTransport) */
  ZS_FAULT_HWM,         /* node `target`'s socket `socket`: SNDHWM (`send`) or RCVHWM = `value` */
} ZsFaultKind;

typedef struct {
  gint64       at_us;     /* on the run's clock, from its start */
  ZsFaultKind  kind;
  guint        target;    /* a node's index, or a link's (cut, restore) */
  double       factor;    /* slow; delay: ms; loss: percent */
  guint        socket;    /* hwm: the node's socket */
  int          value;     /* transport: a ZsTransport; hwm: the HWM */
  gboolean     send;      /* hwm: SNDHWM, else RCVHWM */
  guint        line;      /* where it was written (1-based) */
} ZsFaultStep;

typedef struct _ZsFaultScript ZsFaultScript;

/* NULL with an error "LINE:COLUMN: why" if a line is not a fault. */
ZsFaultScript     *zs_fault_script_parse       (const char     *text,
                                                ZsTopology     *topology,
                                                GError        **error);
/* One fault without its time ("kill worker-2", "loss a -> b 10 %"), as a
 * lesson's step carries it; at_us is 0. FALSE with "1:COLUMN: why". */
gboolean           zs_fault_step_parse         (const char     *text,
                                                ZsTopology     *topology,
                                                ZsFaultStep    *out,
                                                GError        **error);
/* Reads and parses a file; errors are "PATH:LINE:COLUMN: why". */
ZsFaultScript     *zs_fault_script_load        (const char     *path,
                                                ZsTopology     *topology,
                                                GError        **error);
void               zs_fault_script_free        (ZsFaultScript  *script);
/* Steps in the order they apply: by time, then as written. */
guint              zs_fault_script_get_n_steps (ZsFaultScript  *script);
const ZsFaultStep *zs_fault_script_get_step    (ZsFaultScript  *script,
                                                guint           i);
/* The step as a user reads it: "kill worker-2", "cut ventilator.tasks -> worker-1.in". */
char              *zs_fault_step_describe      (const ZsFaultStep *step,
                                                ZsTopology     *topology);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsFaultScript, zs_fault_script_free)

G_END_DECLS
