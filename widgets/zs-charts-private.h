/* zs-charts-private.h: for the tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-charts.h"

G_BEGIN_DECLS

#define ZS_CHARTS_MAX_SERIES 12

/* Copies the histories now instead of at the next 4 Hz tick. */
void   _zs_charts_refresh              (ZsCharts *self);
/* Series with a line in the last snapshot of the messages/s chart. */
guint  _zs_charts_get_n_series_drawn   (ZsCharts *self);
/* Series charted (the selection, capped at ZS_CHARTS_MAX_SERIES). */
guint  _zs_charts_get_n_series         (ZsCharts *self);

G_END_DECLS
