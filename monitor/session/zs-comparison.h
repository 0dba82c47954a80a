/* zs-comparison.h: the same topology run once per variant, figures side by side
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `zmqscope compare` and the app's Compare… dialog: every combination of
 * the axes' values (zs-variant.h) is one row; rows run one after the
 * other with real engines, each for the same time at most (a topology
 * whose nodes all end may finish sooner). A variant that cannot be made
 * or does not validate is a row with an error; the others still run. */
#pragma once

#include <gio/gio.h>

#include "zs-snapshot.h"
#include "zs-topology.h"
#include "zs-variant.h"

G_BEGIN_DECLS

typedef struct {
  char        *name;        /* "transport=tcp hwm=2" */
  ZsTopology  *topology;    /* the variant; NULL when it could not be made */
  char        *error;       /* why it did not run (or failed); NULL otherwise */
  ZsSnapshot  *snapshot;    /* the settled figures once it ran, else NULL */
  double       seconds;     /* from the run's start to its end */
  guint64      peak_rss;    /* the process's peak resident memory during the
                               run, bytes (the whole process: an upper bound
                               of what the run took); 0 if unknown */
} ZsComparisonRow;

#define ZS_TYPE_COMPARISON (zs_comparison_get_type ())
G_DECLARE_FINAL_TYPE (ZsComparison, zs_comparison, ZS, COMPARISON, GObject)

/* `axes`: ZsVariantAxis, owned by the caller, used only here. */
ZsComparison          *zs_comparison_new         (ZsTopology       *topology,
                                                  GPtrArray        *axes,
                                                  double            seconds);
guint                  zs_comparison_get_n_rows  (ZsComparison     *self);
const ZsComparisonRow *zs_comparison_get_row     (ZsComparison     *self,
                                                  guint             row);
/* Runs every row in turn in the thread-default main context; ::row-done
 * (guint row) after each. Cancelling stops the running row; the rows not
 * run keep no snapshot. */
void                   zs_comparison_run_async   (ZsComparison     *self,
                                                  GCancellable     *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer          user_data);
gboolean               zs_comparison_run_finish  (ZsComparison     *self,
                                                  GAsyncResult     *result,
                                                  GError          **error);

/* Figures of a row that ran: messages received per second, on every link
 * together or on one; dropped (missed included) and missed by late
 * joiners, over all links. Delivery times: row->snapshot->latency. */
double                 zs_comparison_row_rate     (const ZsComparisonRow *row);
double                 zs_comparison_row_link_rate (const ZsComparisonRow *row,
                                                    guint                  link);
guint64                zs_comparison_row_dropped  (const ZsComparisonRow *row);
guint64                zs_comparison_row_missed   (const ZsComparisonRow *row);
/* Milliseconds from the run's start to the first message any link
 * delivered (the slow joiner made visible); -1 when none was. */
double                 zs_comparison_row_first_message_ms (const ZsComparisonRow *row);

G_END_DECLS
