/* zs-validator.h: checks a topology before it runs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-finding.h"
#include "zs-topology.h"

G_BEGIN_DECLS

/* Returns a GPtrArray of ZsFinding (free func set), errors first. Checks:
 * endpoint syntax (blanks named); unavailable transports (pgm/epgm), and
 * pgm/epgm on a socket that is not PUB/SUB/XPUB/XSUB; a tcp bind this
 * machine cannot make (a host name, an address or interface it lacks);
 * incompatible socket pairs on each link; two binds on one endpoint; a tcp
 * or ipc connect nothing binds or bind nothing connects to (warning, with
 * the fix ZS_FINDING_FIX_ADD_EXTERNAL); inproc on an external program; PAIR
 * with more than one peer (named);
 * sockets a role needs and their types; duplicate node or socket names,
 * names with control characters; HWM values, HWM 0 where a queue can grow
 * (warning); SUBSCRIBE on a non-SUB socket; a sending role without payload;
 * a tcp bind on every interface (warning: open to the network). */
GPtrArray  *zs_validate              (ZsTopology *topology);
gboolean    zs_findings_have_errors  (GPtrArray  *findings);
/* NULL, or what is wrong with a node or socket name: names are printed in
 * terminals, so control characters (newline, ESC, ...) are refused by the
 * loader and reported by the validator. */
char       *zs_name_check_printable  (const char *name);

G_END_DECLS
