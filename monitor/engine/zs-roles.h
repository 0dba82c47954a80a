/* zs-roles.h: what each role does with its sockets (private)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-node-runner.h"

G_BEGIN_DECLS

/* Runs the node's role. TRUE when it reached its end; FALSE when the run
 * stopped it (or it failed, having set its error). */
gboolean zs_role_run (ZsRunner *runner);

G_END_DECLS
