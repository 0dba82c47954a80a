/* zs-charts.h: time charts of the selected nodes and links, from the live model
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zs-run-session.h"

G_BEGIN_DECLS

#define ZS_TYPE_CHARTS (zs_charts_get_type ())
G_DECLARE_FINAL_TYPE (ZsCharts, zs_charts, ZS, CHARTS, GtkWidget)

/* Three stacked charts over the last minute (or five): messages per
 * second, queue depth (in flight) and drops per sample, one line per
 * selected node or link. While a model is set the widget refreshes itself
 * at 4 Hz from the model's histories (zs_live_model_get_link_history ());
 * whoever owns the model keeps updating it.
 *
 * Properties: "live-model" (ZsLiveModel, may be NULL),
 * "window-seconds" (60 or 300). */
GtkWidget    *zs_charts_new                (void);
void          zs_charts_set_live_model     (ZsCharts     *self,
                                            ZsLiveModel  *model);
ZsLiveModel  *zs_charts_get_live_model     (ZsCharts     *self);
/* Charts the session's live model (NULL: none); the session keeps it
 * updated. */
void          zs_charts_set_session        (ZsCharts     *self,
                                            ZsRunSession *session);
/* Indices into the model's topology: nodes in topology order, links in
 * zs_topology_get_links () order. Out-of-range indices are ignored. */
void          zs_charts_set_selection      (ZsCharts     *self,
                                            const int    *nodes,
                                            guint         n_nodes,
                                            const int    *links,
                                            guint         n_links);
void          zs_charts_set_window_seconds (ZsCharts     *self,
                                            guint         seconds);
guint         zs_charts_get_window_seconds (ZsCharts     *self);

G_END_DECLS
