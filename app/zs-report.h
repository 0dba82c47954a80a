/* zs-report.h: a run's counters as a table or as JSON
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

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

G_END_DECLS
