/* zs-role.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-role"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-role.h"

#define T(x) (1u << ZS_SOCKET_##x)
#define ANY ((1u << ZS_SOCKET_N_TYPES) - 1)

static const ZsRoleSocket socket_sockets[] = {
  { "socket", TRUE, ANY, ZS_SOCKET_PAIR },
};
static const ZsRoleSocket publisher_sockets[] = {
  { "pub", TRUE, T (PUB) | T (XPUB), ZS_SOCKET_PUB },
  { "sync", FALSE, T (REP), ZS_SOCKET_REP },
};
static const ZsRoleSocket subscriber_sockets[] = {
  { "sub", TRUE, T (SUB) | T (XSUB), ZS_SOCKET_SUB },
  { "sync", FALSE, T (REQ), ZS_SOCKET_REQ },
};
static const ZsRoleSocket client_sockets[] = {
  { "req", TRUE, T (REQ) | T (DEALER), ZS_SOCKET_REQ },
};
static const ZsRoleSocket server_sockets[] = {
  { "rep", TRUE, T (REP) | T (ROUTER) | T (DEALER), ZS_SOCKET_REP },
};
static const ZsRoleSocket ventilator_sockets[] = {
  { "tasks", TRUE, T (PUSH), ZS_SOCKET_PUSH },
  { "sink", FALSE, T (PUSH), ZS_SOCKET_PUSH },
};
static const ZsRoleSocket worker_sockets[] = {
  { "in", TRUE, T (PULL) | T (SUB) | T (DEALER) | T (PAIR), ZS_SOCKET_PULL },
  { "out", FALSE, T (PUSH) | T (PUB) | T (DEALER) | T (PAIR), ZS_SOCKET_PUSH },
};
static const ZsRoleSocket sink_sockets[] = {
  { "in", TRUE, T (PULL) | T (SUB) | T (PAIR), ZS_SOCKET_PULL },
};
static const ZsRoleSocket relay_sockets[] = {
  { "in", FALSE, ANY, ZS_SOCKET_PAIR },
  { "out", FALSE, ANY, ZS_SOCKET_PAIR },
};
static const ZsRoleSocket broker_sockets[] = {
  { "frontend", TRUE, T (ROUTER) | T (DEALER), ZS_SOCKET_ROUTER },
  { "backend", TRUE, T (DEALER) | T (ROUTER), ZS_SOCKET_DEALER },
};
static const ZsRoleSocket forwarder_sockets[] = {
  { "frontend", TRUE, T (SUB) | T (XSUB) | T (PULL), ZS_SOCKET_XSUB },
  { "backend", TRUE, T (PUB) | T (XPUB) | T (PUSH), ZS_SOCKET_XPUB },
};
/* An outside program's sockets are whatever it uses; a card starts with
 * none and gets one per link drawn to it. */
static const ZsRoleSocket external_sockets[] = {
  { "socket", FALSE, ANY, ZS_SOCKET_PAIR },
};

typedef struct {
  const char         *name;
  const char         *label;
  const char         *description;
  const ZsRoleSocket *sockets;
  guint               n_sockets;
  gboolean            has_goal;
} RoleInfo;

#define S(a) a, G_N_ELEMENTS (a)

static const RoleInfo roles[ZS_ROLE_N_ROLES] = {
  [ZS_ROLE_SOCKET] = { "socket", N_("Socket"),
    N_("A plain socket of any type: sends its payload `count` times if it can, receives everything"),
    S (socket_sockets), TRUE },
  [ZS_ROLE_PUBLISHER] = { "publisher", N_("Publisher"),
    N_("Publishes its payload to every subscriber whose filter matches (wuserver, syncpub)"),
    S (publisher_sockets), TRUE },
  [ZS_ROLE_SUBSCRIBER] = { "subscriber", N_("Subscriber"),
    N_("Receives what matches its SUBSCRIBE filters (wuclient, syncsub)"),
    S (subscriber_sockets), TRUE },
  [ZS_ROLE_CLIENT] = { "client", N_("Client"),
    N_("Sends a request and waits for the reply, `count` times (hwclient)"),
    S (client_sockets), TRUE },
  [ZS_ROLE_SERVER] = { "server", N_("Server"),
    N_("Receives a request, works, sends the reply (hwserver)"),
    S (server_sockets), FALSE },
  [ZS_ROLE_VENTILATOR] = { "ventilator", N_("Ventilator"),
    N_("Pushes a batch of tasks to workers, after telling the sink to start (taskvent)"),
    S (ventilator_sockets), TRUE },
  [ZS_ROLE_WORKER] = { "worker", N_("Worker"),
    N_("Pulls a task, works on it, pushes the result (taskwork)"),
    S (worker_sockets), FALSE },
  [ZS_ROLE_SINK] = { "sink", N_("Sink"),
    N_("Collects `count` results and times the batch (tasksink)"),
    S (sink_sockets), TRUE },
  [ZS_ROLE_RELAY] = { "relay", N_("Relay step"),
    N_("Waits for a signal on \"in\", then signals on \"out\" (mtrelay)"),
    S (relay_sockets), TRUE },
  [ZS_ROLE_BROKER] = { "broker", N_("Broker"),
    N_("Forwards requests and replies between a frontend and a backend (rrbroker, mtserver)"),
    S (broker_sockets), FALSE },
  [ZS_ROLE_FORWARDER] = { "forwarder", N_("Forwarder"),
    N_("Forwards every message, multipart whole, from frontend to backend (wuproxy)"),
    S (forwarder_sockets), FALSE },
  [ZS_ROLE_EXTERNAL] = { "external", N_("External program"),
    N_("A program outside zmqscope (your own, or another zmqscope): its sockets link like any node’s, "
       "but zmqscope runs nothing for it"),
    S (external_sockets), FALSE },
};

const char *
zs_role_to_string (ZsRole role)
{
  g_return_val_if_fail (role < ZS_ROLE_N_ROLES, "?");
  return roles[role].name;
}

gboolean
zs_role_from_string (const char *name,
                     ZsRole     *role)
{
  g_return_val_if_fail (role != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < ZS_ROLE_N_ROLES; i++)
    if (g_ascii_strcasecmp (name, roles[i].name) == 0)
      {
        *role = (ZsRole) i;
        return TRUE;
      }
  return FALSE;
}

const char *
zs_role_get_label (ZsRole role)
{
  g_return_val_if_fail (role < ZS_ROLE_N_ROLES, "?");
  return _(roles[role].label);
}

const char *
zs_role_describe (ZsRole role)
{
  g_return_val_if_fail (role < ZS_ROLE_N_ROLES, "");
  return _(roles[role].description);
}

const ZsRoleSocket *
zs_role_get_sockets (ZsRole  role,
                     guint  *n_sockets)
{
  g_return_val_if_fail (role < ZS_ROLE_N_ROLES, NULL);
  g_return_val_if_fail (n_sockets != NULL, NULL);

  *n_sockets = roles[role].n_sockets;
  return roles[role].sockets;
}

gboolean
zs_role_has_goal (ZsRole role)
{
  g_return_val_if_fail (role < ZS_ROLE_N_ROLES, FALSE);
  return roles[role].has_goal;
}

/* The node parameters each role's program reads (zs-roles.c). */
#define SENDS "payload", "count", "interval-ms", "wait-peers", "start-delay-ms", "zero-copy", "seed"

static const char *const publisher_params[] = { SENDS, "end-marker", "sync-count", NULL };
static const char *const subscriber_params[] = {
  "count", "start-delay-ms", "idle-timeout-ms", "work-ms", "offline-after", "offline-ms",
  "end-marker", NULL
};
static const char *const client_params[] = { SENDS, "request-timeout-ms", "retries", NULL };
static const char *const server_params[] = { "reply", "work-ms", "work-from-message", "zero-copy", "seed", NULL };
static const char *const ventilator_params[] = {
  "payload", "count", "wait-peers", "start-delay-ms", "zero-copy", "seed", NULL
};
static const char *const worker_params[] = { "payload", "work-ms", "work-from-message", "zero-copy", "seed", NULL };
static const char *const sink_params[] = { "count", NULL };
static const char *const no_params[] = { NULL };
static const char *const external_params[] = { "command", NULL };

static const char *const *const role_params[ZS_ROLE_N_ROLES] = {
  [ZS_ROLE_SOCKET] = NULL,   /* a plain socket may do any of it */
  [ZS_ROLE_PUBLISHER] = publisher_params,
  [ZS_ROLE_SUBSCRIBER] = subscriber_params,
  [ZS_ROLE_CLIENT] = client_params,
  [ZS_ROLE_SERVER] = server_params,
  [ZS_ROLE_VENTILATOR] = ventilator_params,
  [ZS_ROLE_WORKER] = worker_params,
  [ZS_ROLE_SINK] = sink_params,
  [ZS_ROLE_RELAY] = no_params,
  [ZS_ROLE_BROKER] = no_params,
  [ZS_ROLE_FORWARDER] = no_params,
  [ZS_ROLE_EXTERNAL] = external_params,
};

gboolean
zs_role_uses_parameter (ZsRole      role,
                        const char *name)
{
  static const char *const every_node[] = { "name", "role", "note", NULL };

  g_return_val_if_fail (role < ZS_ROLE_N_ROLES, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (g_strv_contains (every_node, name))
    return TRUE;
  /* zmqscope runs nothing for an external program: it has only its command
   * line, and no run of ours has its command line. */
  if (role == ZS_ROLE_EXTERNAL || g_str_equal (name, "command"))
    return role == ZS_ROLE_EXTERNAL && g_strv_contains (external_params, name);
  return g_str_equal (name, "tracing") || role_params[role] == NULL ||
         g_strv_contains (role_params[role], name);
}
