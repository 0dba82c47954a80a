/* zs-socket-type.h: ZeroMQ socket types and the ZMTP pairing rules
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The values equal libzmq's ZMQ_PAIR … ZMQ_XSUB constants. */
typedef enum {
  ZS_SOCKET_PAIR = 0,
  ZS_SOCKET_PUB = 1,
  ZS_SOCKET_SUB = 2,
  ZS_SOCKET_REQ = 3,
  ZS_SOCKET_REP = 4,
  ZS_SOCKET_DEALER = 5,
  ZS_SOCKET_ROUTER = 6,
  ZS_SOCKET_PULL = 7,
  ZS_SOCKET_PUSH = 8,
  ZS_SOCKET_XPUB = 9,
  ZS_SOCKET_XSUB = 10,
  ZS_SOCKET_N_TYPES /*< skip >*/
} ZsSocketType;

/* What a socket does when a peer's queue reaches its high-water mark. */
typedef enum {
  ZS_HWM_DROPS,          /* PUB, XPUB: the message is silently dropped for that peer */
  ZS_HWM_DROPS_UNROUTABLE, /* ROUTER, REP replies: silent drop for a full or unknown peer */
  ZS_HWM_BLOCKS,         /* PUSH, DEALER, REQ, PAIR: the sender waits */
  ZS_HWM_RECEIVE_ONLY,   /* SUB, XSUB, PULL: never sends application messages */
} ZsHwmPolicy;

const char   *zs_socket_type_to_string   (ZsSocketType  type);
gboolean      zs_socket_type_from_string (const char   *name,
                                          ZsSocketType *type);
gboolean      zs_socket_type_compatible  (ZsSocketType  a,
                                          ZsSocketType  b);
/* The types that pair with `type`, "SUB, XSUB": from the same matrix. */
char         *zs_socket_type_list_peers  (ZsSocketType  type);
gboolean      zs_socket_type_sends       (ZsSocketType  type);
gboolean      zs_socket_type_receives    (ZsSocketType  type);
ZsHwmPolicy   zs_socket_type_hwm_policy  (ZsSocketType  type);
const char   *zs_socket_type_describe    (ZsSocketType  type);

G_END_DECLS
