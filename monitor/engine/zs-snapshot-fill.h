/* zs-snapshot-fill.h: a snapshot of a run's counters, read consistently (private)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The engine's side of ZsSnapshot: zs-snapshot.h is plain data any room
 * can use; filling one needs the run's plan and its counters. */
#pragma once

#include "zs-run.h"
#include "zs-snapshot.h"

G_BEGIN_DECLS

/* Copies every counter of the run into snapshot (sized for it): receivers'
 * counters before senders', so that on every link
 * sent = received + dropped + unread + in_flight. */
void zs_snapshot_fill (ZsSnapshot *snapshot,
                       ZsRun      *run);

G_END_DECLS
