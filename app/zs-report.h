/* zs-report.h: a run's counters as a table or as JSON
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-comparison.h"
#include "zs-snapshot.h"
#include "zs-topology.h"

G_BEGIN_DECLS

char *zs_report_to_text (ZsTopology       *topology,
                         const ZsSnapshot *snapshot);
char *zs_report_to_json (ZsTopology       *topology,
                         const ZsSnapshot *snapshot);
/* `text` with control characters and bytes that are not UTF-8 as visible
 * escapes ("\n", "\x1b"): for text from a file printed to a terminal. */
char *zs_report_escape  (const char       *text);
/* A comparison's rows (zmqscope compare): a table, or JSON with each
 * variant's full run report. */
char *zs_report_comparison_to_text (ZsComparison *comparison);
char *zs_report_comparison_to_json (ZsComparison *comparison);

G_END_DECLS
