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

G_END_DECLS
