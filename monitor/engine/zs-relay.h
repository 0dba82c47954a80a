/* zs-relay.h: a run's in-engine tcp relay: delay and loss on a tcp link
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A tcp link routed through the relay keeps its binder's endpoint; the
 * relay listens on a fresh port of 127.0.0.1 and the link's connecting
 * socket connects there instead (zs-node-runner.c: at the socket's open,
 * or live by its own thread). Each connection accepted is forwarded to
 * the link's endpoint, bytes both ways, by one thread for the whole run:
 * each chunk read is held `delay` ms (order kept), and after the ZMTP
 * handshake whole messages are dropped with the link's loss probability
 * (the relay follows the framing: 64-byte greeting, then frames; commands
 * always pass). TCP cannot lose bytes without breaking ZMTP, so a lost
 * message is a whole one, counted per flow (`zs_relay_get_lost`); the
 * receiver claims those it sees as a sequence gap (`zs_relay_claim`), so
 * they are counted as lost, not as HWM drops. */
#pragma once

#include <glib.h>

#include "zs-telemetry.h"

G_BEGIN_DECLS

typedef struct _ZsRelay ZsRelay;

/* For a run of `n_links` links; no thread, no socket until a link is routed. */
ZsRelay    *zs_relay_new          (guint        n_links);
/* Stops the thread and closes every connection; the counts stay readable. */
void        zs_relay_stop         (ZsRelay     *relay);
void        zs_relay_free         (ZsRelay     *relay);
/* Routes `link` through the relay: listens on a free port of 127.0.0.1
 * and forwards each connection to `upstream` (the link's tcp connect
 * endpoint). `flows` has bit 0 when messages go connecting -> binding,
 * bit 1 when back: only those directions lose messages. Idempotent. */
gboolean    zs_relay_route        (ZsRelay     *relay,
                                   guint        link,
                                   const char  *upstream,
                                   guint        flows,
                                   GError     **error);
/* The endpoint the link's connecting socket connects to instead of its
 * own ("tcp://127.0.0.1:PORT"), or NULL while not routed. Any thread;
 * valid until the relay is freed. */
const char *zs_relay_get_endpoint (ZsRelay     *relay,
                                   guint        link);
/* Any thread: each chunk held `delay_ms`; each message lost with
 * probability `loss_percent` / 100. */
void        zs_relay_set_throttle (ZsRelay     *relay,
                                   guint        link,
                                   guint        delay_ms,
                                   double       loss_percent);
void        zs_relay_get_throttle (ZsRelay     *relay,
                                   guint        link,
                                   guint       *delay_ms,
                                   double      *loss_percent);
/* Messages of flow `dir` the relay dropped and no receiver has claimed
 * as a gap yet: lost on the link. Read it after the flow's `lost`. */
guint64     zs_relay_get_unclaimed (ZsRelay    *relay,
                                   guint        link,
                                   guint        dir);
/* The flow's receiver saw a sequence gap of `gap`: how many of those the
 * relay dropped (counted lost from now on; the rest are drops). */
guint64     zs_relay_claim        (ZsRelay     *relay,
                                   guint        link,
                                   guint        dir,
                                   guint64      gap);

G_END_DECLS
