/* zs-role.h: what a node does with its sockets
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "zs-socket-type.h"

G_BEGIN_DECLS

typedef enum {
  ZS_ROLE_SOCKET,      /* a plain socket: sends `count` messages if it can, receives all */
  ZS_ROLE_PUBLISHER,   /* wuserver, syncpub, psenvpub, durapub */
  ZS_ROLE_SUBSCRIBER,  /* wuclient, syncsub, psenvsub, durasub */
  ZS_ROLE_CLIENT,      /* hwclient, rrclient: request, wait for the reply */
  ZS_ROLE_SERVER,      /* hwserver, rrserver, mtserver's workers: receive, work, reply */
  ZS_ROLE_VENTILATOR,  /* taskvent */
  ZS_ROLE_WORKER,      /* taskwork: pull a task, work, push the result */
  ZS_ROLE_SINK,        /* tasksink */
  ZS_ROLE_RELAY,       /* mtrelay's steps: wait on "in", signal on "out" */
  ZS_ROLE_BROKER,      /* rrbroker, mtserver: ROUTER frontend <-> DEALER backend */
  ZS_ROLE_FORWARDER,   /* wuproxy: SUB/XSUB frontend -> PUB/XPUB backend */
  ZS_ROLE_EXTERNAL,    /* a program outside zmqscope: drawn and linked, never run */
  ZS_ROLE_N_ROLES /*< skip >*/
} ZsRole;

/* One socket a role uses. The first is the node's main socket (index 0);
 * the others are found by name. */
typedef struct {
  const char   *name;
  gboolean      required;
  guint         allowed_types; /* bit mask of 1 << ZsSocketType */
  ZsSocketType  default_type;
} ZsRoleSocket;

const char          *zs_role_to_string    (ZsRole       role);
gboolean             zs_role_from_string  (const char  *name,
                                           ZsRole      *role);
const char          *zs_role_get_label    (ZsRole       role);
const char          *zs_role_describe     (ZsRole       role);
/* Sockets this role expects, in order; n_sockets receives the count. */
const ZsRoleSocket  *zs_role_get_sockets  (ZsRole       role,
                                           guint       *n_sockets);
/* FALSE for services (servers, brokers, forwarders, workers) that run
 * until stopped; TRUE for roles that end once their count is reached. */
gboolean             zs_role_has_goal     (ZsRole       role);
/* TRUE when the role's program reads this node parameter (a ZsNode
 * property name); name, role and note apply to every node, tracing to
 * every node zmqscope runs, "command" to an external program only. */
gboolean             zs_role_uses_parameter (ZsRole      role,
                                             const char *name);

G_END_DECLS
