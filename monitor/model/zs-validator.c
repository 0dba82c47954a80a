/* zs-validator.c: checks a topology before it runs
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-validator"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-ipc.h"
#include "zs-payload.h"
#include "zs-validator.h"

typedef struct {
  ZsTopology      *topology;
  GPtrArray       *findings;
  GHashTable      *linked;    /* "node socket b|c endpoint" of every end of a link */
  ZsEndpointIndex *binds;     /* the binds checked so far, for overlaps */
  GPtrArray       *bind_refs; /* what `binds` points to (Bind) */
} Validation;

/* One bind endpoint, for the "two binds on one address" check. */
typedef struct {
  guint       node;
  guint       socket;
  const char *endpoint;
} Bind;

static ZsFinding * G_GNUC_PRINTF (6, 7)
report (Validation *v,
        ZsSeverity  severity,
        ZsNode     *node,
        int         socket,
        const char *field,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  ZsFinding *finding;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  finding = zs_finding_new (severity, node != NULL ? zs_node_get_name (node) : NULL, socket, field, message);
  if (node != NULL && socket >= 0)
    finding->socket_name = g_strdup (zs_socket_spec_get_name (zs_node_get_socket (node, socket)));
  g_ptr_array_add (v->findings, finding);
  return finding;
}

static ZsNode *
node_at (Validation *v,
         guint       index)
{
  return zs_topology_get_node (v->topology, index);
}

static ZsSocketSpec *
socket_at (Validation *v,
           guint       node,
           guint       socket)
{
  return zs_node_get_socket (node_at (v, node), socket);
}

/* ------------------------------------------------------------------ */
/* Names                                                               */

char *
zs_name_check_printable (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return g_strdup_printf (_("the name contains a control character (U+%04X); "
                                "use letters, digits, spaces or punctuation"),
                              g_utf8_get_char (p));
  return NULL;
}

/* A name is printed in tables and terminals: a newline or an escape
 * sequence in it would rewrite what the user reads. */
static void
check_printable_name (Validation *v,
                      ZsNode     *node,
                      int         socket,
                      const char *name)
{
  g_autofree char *problem = zs_name_check_printable (name);

  if (problem != NULL)
    report (v, ZS_SEVERITY_ERROR, node, socket, "name", "%s", problem);
}

static void
check_node_names (Validation *v)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < zs_topology_get_n_nodes (v->topology); i++)
    {
      ZsNode *node = node_at (v, i);
      const char *name = zs_node_get_name (node);

      if (*name == '\0')
        report (v, ZS_SEVERITY_ERROR, node, -1, "name",
                _("the node has no name; give it one, unique in the topology"));
      else if (!g_hash_table_add (seen, (gpointer) name))
        report (v, ZS_SEVERITY_ERROR, node, -1, "name",
                _("another node is also called “%s”; rename one of them"), name);
      check_printable_name (v, node, -1, name);
    }
}

static void
check_socket_names (Validation *v,
                    ZsNode     *node)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint j = 0; j < zs_node_get_n_sockets (node); j++)
    {
      const char *name = zs_socket_spec_get_name (zs_node_get_socket (node, j));

      if (*name == '\0')
        report (v, ZS_SEVERITY_ERROR, node, j, "name",
                _("the socket has no name; give it one, unique within its node"));
      else if (!g_hash_table_add (seen, (gpointer) name))
        report (v, ZS_SEVERITY_ERROR, node, j, "name",
                _("this node has another socket called “%s”; rename one of them"), name);
      check_printable_name (v, node, j, name);
    }
}

/* ------------------------------------------------------------------ */
/* Role sockets                                                        */

static char *
type_list (guint mask)
{
  GString *list = g_string_new (NULL);

  for (guint t = 0; t < ZS_SOCKET_N_TYPES; t++)
    if (mask & (1u << t))
      g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", zs_socket_type_to_string (t));
  return g_string_free (list, FALSE);
}

static void
check_role_sockets (Validation *v,
                    ZsNode     *node)
{
  ZsRole role = zs_node_get_role (node);
  const ZsRoleSocket *specs;
  guint n_specs;

  specs = zs_role_get_sockets (role, &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      int index = zs_node_find_socket_index (node, specs[i].name);
      ZsSocketType type;

      /* The role's main socket is the node's first, whatever its name. */
      if (i == 0 && specs[0].required && zs_node_get_n_sockets (node) > 0)
        index = 0;
      if (index < 0)
        {
          if (specs[i].required)
            report (v, ZS_SEVERITY_ERROR, node, -1, "sockets",
                    _("the %s role needs a socket named “%s”; add one of type %s"),
                    zs_role_to_string (role), specs[i].name,
                    zs_socket_type_to_string (specs[i].default_type));
          continue;
        }
      type = zs_socket_spec_get_socket_type (zs_node_get_socket (node, index));
      if (!(specs[i].allowed_types & (1u << type)))
        {
          g_autofree char *allowed = type_list (specs[i].allowed_types);

          report (v, ZS_SEVERITY_ERROR, node, index, "socket-type",
                  _("the %s role's “%s” socket cannot be %s; use %s"),
                  zs_role_to_string (role), specs[i].name, zs_socket_type_to_string (type), allowed);
        }
    }
}

/* Payload and reply templates ("{seq}", "{rand:1:100}", ...). */
static void
check_templates (Validation *v,
                 ZsNode     *node)
{
  const char * const *payload = zs_node_get_payload (node);
  const char *reply = zs_node_get_reply (node);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; payload != NULL && payload[i] != NULL; i++)
    if (!zs_payload_check (payload[i], &error))
      {
        report (v, ZS_SEVERITY_ERROR, node, -1, "payload", _("frame %u: %s"), i + 1, error->message);
        g_clear_error (&error);
      }
  if (reply != NULL && !zs_payload_check (reply, &error))
    report (v, ZS_SEVERITY_ERROR, node, -1, "reply", "%s", error->message);
}

/* Roles whose program sends the node's payload (zs-roles.c: prepare_to_send). */
static gboolean
role_sends_payload (ZsRole role)
{
  return role == ZS_ROLE_PUBLISHER || role == ZS_ROLE_CLIENT || role == ZS_ROLE_VENTILATOR;
}

/* With no frame to send, the node would fail at its first message. */
static void
check_payload_present (Validation *v,
                       ZsNode     *node)
{
  const char * const *payload = zs_node_get_payload (node);
  ZsRole role = zs_node_get_role (node);

  if (role_sends_payload (role) && (payload == NULL || payload[0] == NULL))
    report (v, ZS_SEVERITY_ERROR, node, -1, "payload",
            _("the %s role sends its payload, but the payload has no frame; add one, for example “{seq}”"),
            zs_role_to_string (role));
}

/* ------------------------------------------------------------------ */
/* Socket options                                                      */

static void
check_hwm (Validation *v,
           ZsNode     *node,
           guint       index,
           const char *field,
           int         hwm)
{
  if (hwm < 0)
    report (v, ZS_SEVERITY_ERROR, node, index, field,
            _("a high-water mark cannot be negative (%d); use 0 for no limit or a number of messages"), hwm);
}

/* REQ sends one request, then reads one reply; REP replies once per
 * request: only their other queues can fill. */
static gboolean
can_queue (ZsSocketType type,
           gboolean     sending)
{
  if (type == ZS_SOCKET_REQ)
    return FALSE;
  if (type == ZS_SOCKET_REP)
    return !sending;
  return sending ? zs_socket_type_sends (type) : zs_socket_type_receives (type);
}

/* HWM 0 is no limit: a queue that can fill grows memory without bound. */
static void
check_unlimited_hwm (Validation *v,
                     ZsNode     *node,
                     guint       index)
{
  ZsSocketSpec *socket = zs_node_get_socket (node, index);
  ZsSocketType type = zs_socket_spec_get_socket_type (socket);

  if (zs_socket_spec_get_sndhwm (socket) == 0 && can_queue (type, TRUE))
    report (v, ZS_SEVERITY_WARNING, node, index, "sndhwm",
            _("a send HWM of 0 means no limit: when peers read slower than this socket sends, "
              "its queues, and the memory they take, grow without bound; set a limit (libzmq’s default is 1000)"));
  if (zs_socket_spec_get_rcvhwm (socket) == 0 && can_queue (type, FALSE))
    report (v, ZS_SEVERITY_WARNING, node, index, "rcvhwm",
            _("a receive HWM of 0 means no limit: when this node reads slower than its peers send, "
              "its queues, and the memory they take, grow without bound; set a limit (libzmq’s default is 1000)"));
}

static void
check_socket_options (Validation *v,
                      ZsNode     *node,
                      guint       index)
{
  ZsSocketSpec *socket = zs_node_get_socket (node, index);
  ZsSocketType type = zs_socket_spec_get_socket_type (socket);
  gboolean has_subscribe = zs_socket_spec_get_subscribe (socket)[0] != NULL;

  check_hwm (v, node, index, "sndhwm", zs_socket_spec_get_sndhwm (socket));
  check_hwm (v, node, index, "rcvhwm", zs_socket_spec_get_rcvhwm (socket));

  if (has_subscribe && type != ZS_SOCKET_SUB && type != ZS_SOCKET_XSUB)
    report (v, ZS_SEVERITY_WARNING, node, index, "subscribe",
            _("SUBSCRIBE only applies to SUB and XSUB sockets, this one is %s; remove the filters"),
            zs_socket_type_to_string (type));
  if (!has_subscribe && type == ZS_SOCKET_SUB)
    report (v, ZS_SEVERITY_WARNING, node, index, "subscribe",
            _("a SUB socket without a subscription receives nothing; add an empty filter to receive everything"));
  if (zs_socket_spec_get_binds (socket)[0] == NULL && zs_socket_spec_get_connects (socket)[0] == NULL)
    report (v, ZS_SEVERITY_WARNING, node, index, "binds",
            _("the socket neither binds nor connects; add an endpoint or remove the socket"));
}

/* ------------------------------------------------------------------ */
/* Endpoints                                                           */

/* pgm and epgm are multicast: libzmq refuses them to anything but
 * PUB/SUB/XPUB/XSUB ("The protocol is not compatible with the socket type"). */
static void
check_multicast_socket_type (Validation  *v,
                             ZsNode      *node,
                             guint        index,
                             const char  *field,
                             ZsTransport  transport)
{
  ZsSocketType type = zs_socket_spec_get_socket_type (zs_node_get_socket (node, index));

  if (transport != ZS_TRANSPORT_PGM && transport != ZS_TRANSPORT_EPGM)
    return;
  if (type == ZS_SOCKET_PUB || type == ZS_SOCKET_SUB || type == ZS_SOCKET_XPUB || type == ZS_SOCKET_XSUB)
    return;
  report (v, ZS_SEVERITY_ERROR, node, index, field,
          _("%s carries only PUB, SUB, XPUB and XSUB sockets, this one is %s; use tcp or ipc"),
          zs_transport_to_string (transport), zs_socket_type_to_string (type));
}

static gboolean
check_endpoint (Validation *v,
                ZsNode     *node,
                guint       index,
                const char *endpoint,
                gboolean    for_bind)
{
  const char *field = for_bind ? "binds" : "connects";
  g_autoptr(GError) error = NULL;
  ZsEndpoint parsed = { 0, NULL, -1 };
  const char *why_not = NULL;

  if (!zs_endpoint_parse (endpoint, for_bind, &parsed, &error))
    {
      report (v, ZS_SEVERITY_ERROR, node, index, field, "%s", error->message);
      return FALSE;
    }
  if (!zs_transport_available (parsed.transport, &why_not))
    report (v, ZS_SEVERITY_ERROR, node, index, field,
            _("“%s” uses %s, but %s; use tcp, ipc or inproc instead"),
            endpoint, zs_transport_to_string (parsed.transport), why_not);
  else
    check_multicast_socket_type (v, node, index, field, parsed.transport);
  zs_endpoint_clear (&parsed);
  return why_not == NULL;
}

/* tcp://\*:PORT is open to the network, not only to this topology. */
static void
check_bind_exposure (Validation *v,
                     ZsNode     *node,
                     guint       index,
                     const char *endpoint)
{
  g_autofree char *where = NULL;
  int port = 0;

  if (!zs_endpoint_binds_every_interface (endpoint, &port))
    return;
  where = port > 0 ? g_strdup_printf (_("port %d"), port) : g_strdup (_("the port it gets"));
  report (v, ZS_SEVERITY_WARNING, node, index, "binds",
          _("“%s” binds every network interface: anyone who can reach this machine on %s can connect, "
            "send messages into this topology and read what it sends; bind tcp://127.0.0.1:… "
            "to keep it on this machine"),
          endpoint, where);
}

static char *
link_end_key (guint       node,
              guint       socket,
              gboolean    binds,
              const char *endpoint)
{
  return g_strdup_printf ("%u %u %c %s", node, socket, binds ? 'b' : 'c', endpoint);
}

/* The ends of the topology's links: a bind or connect is in it when some
 * socket is its peer (the links are every connect that reaches a bind). */
static GHashTable *
link_ends (GPtrArray *links)
{
  GHashTable *ends = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *link = g_ptr_array_index (links, i);

      g_hash_table_add (ends, link_end_key (link->bind_node, link->bind_socket, TRUE, link->bind_endpoint));
      g_hash_table_add (ends, link_end_key (link->connect_node, link->connect_socket, FALSE,
                                            link->connect_endpoint));
    }
  return ends;
}

/* Whether some socket of the topology is the peer of the socket's
 * `endpoint`: connects to what it binds (binds), or binds what it
 * connects to. */
static gboolean
has_peer (Validation *v,
          guint       node,
          guint       socket,
          gboolean    binds,
          const char *endpoint)
{
  g_autofree char *key = link_end_key (node, socket, binds, endpoint);

  return g_hash_table_contains (v->linked, key);
}

static gboolean
is_inproc (const char *endpoint)
{
  return g_str_has_prefix (endpoint, "inproc://");
}

/* A bind or connect with no peer in the file: an outside program may be
 * the peer (tcp, ipc), and the finding offers to draw it. inproc stays
 * inside this process: there the peer can only be missing. */
static void
report_unpaired (Validation *v,
                 ZsNode     *node,
                 guint       index,
                 const char *field,
                 const char *endpoint)
{
  gboolean binds = g_str_equal (field, "binds");
  ZsFinding *finding;

  if (is_inproc (endpoint))
    {
      if (!binds)
        report (v, ZS_SEVERITY_WARNING, node, index, field,
                _("no node in this topology binds “%s”, and inproc reaches only sockets of this topology; "
                  "add a matching bind"), endpoint);
      return;
    }
  finding = binds
    ? report (v, ZS_SEVERITY_WARNING, node, index, field,
              _("no node in this topology connects to “%s”: if an outside program does, "
                "add an external program here to show it"), endpoint)
    : report (v, ZS_SEVERITY_WARNING, node, index, field,
              _("no node in this topology binds “%s”: it may be an external program; "
                "add an external program here, or add a matching bind"), endpoint);
  finding->fix = ZS_FINDING_FIX_ADD_EXTERNAL;
  finding->fix_endpoint = g_strdup (endpoint);
}

static void
check_bind_peer (Validation *v,
                 guint       node_index,
                 guint       index,
                 const char *bind)
{
  if (!has_peer (v, node_index, index, TRUE, bind))
    report_unpaired (v, node_at (v, node_index), index, "binds", bind);
}

/* A bind libzmq would refuse here ("No such device") fails only once the
 * run starts: say so now. */
static void
check_bind_host (Validation *v,
                 ZsNode     *node,
                 guint       index,
                 const char *bind)
{
  g_autoptr(GError) error = NULL;

  if (!zs_endpoint_check_bind_host (bind, &error))
    report (v, ZS_SEVERITY_ERROR, node, index, "binds", "%s", error->message);
}

/* An external program's endpoints are its own (another process, maybe
 * another machine): only inproc can never reach it. */
static void
check_external_endpoint (Validation *v,
                         ZsNode     *node,
                         guint       index,
                         const char *field,
                         const char *endpoint)
{
  if (is_inproc (endpoint))
    report (v, ZS_SEVERITY_ERROR, node, index, field,
            _("an external program cannot reach “%s”: inproc connects sockets inside one process only; "
              "use tcp or ipc"), endpoint);
}

static void
check_bind_overlaps (Validation *v,
                     const Bind *bind)
{
  const Bind *other = zs_endpoint_index_find_overlap (v->binds, bind->endpoint);

  if (other != NULL)
    {
      report (v, ZS_SEVERITY_ERROR, node_at (v, bind->node), bind->socket, "binds",
              _("“%s” overlaps “%s”, already bound by node '%s', socket '%s'; "
                "only one socket can bind an address: pick another port or name, or connect instead"),
              bind->endpoint, other->endpoint, zs_node_get_name (node_at (v, other->node)),
              zs_socket_spec_get_name (socket_at (v, other->node, other->socket)));
      return;
    }
  g_ptr_array_add (v->bind_refs, g_memdup2 (bind, sizeof *bind));
  zs_endpoint_index_add_bind (v->binds, bind->endpoint, g_ptr_array_index (v->bind_refs, v->bind_refs->len - 1));
}

static void
check_socket_endpoints (Validation *v,
                        guint       node_index,
                        guint       index)
{
  ZsNode *node = node_at (v, node_index);
  ZsSocketSpec *socket = zs_node_get_socket (node, index);
  const char * const *bind_list = zs_socket_spec_get_binds (socket);
  const char * const *connects = zs_socket_spec_get_connects (socket);

  gboolean external = zs_node_is_external (node);

  for (guint b = 0; bind_list[b] != NULL; b++)
    if (check_endpoint (v, node, index, bind_list[b], TRUE))
      {
        Bind bind = { node_index, index, bind_list[b] };

        check_bind_overlaps (v, &bind);
        if (external)
          check_external_endpoint (v, node, index, "binds", bind_list[b]);
        else
          {
            check_bind_exposure (v, node, index, bind_list[b]);
            check_bind_host (v, node, index, bind_list[b]);
            check_bind_peer (v, node_index, index, bind_list[b]);
          }
      }
  for (guint c = 0; connects[c] != NULL; c++)
    if (check_endpoint (v, node, index, connects[c], FALSE))
      {
        if (external)
          check_external_endpoint (v, node, index, "connects", connects[c]);
        else if (!has_peer (v, node_index, index, FALSE, connects[c]))
          report_unpaired (v, node, index, "connects", connects[c]);
      }
}

/* libzmq unlinks an ipc path before binding it: never point a bind at a
 * file that is not a socket file (thesis.tex would be gone). */
static void
check_ipc_bind_paths (Validation *v,
                      ZsNode     *node,
                      guint       index)
{
  const char * const *binds = zs_socket_spec_get_binds (zs_node_get_socket (node, index));

  if (zs_node_is_external (node))
    return;  /* not ours to bind */
  for (guint b = 0; binds[b] != NULL; b++)
    {
      g_autofree char *path = zs_ipc_endpoint_path (binds[b]);

      if (path != NULL && zs_ipc_probe (path, FALSE, NULL) == ZS_IPC_NOT_SOCKET)
        report (v, ZS_SEVERITY_ERROR, node, index, "binds",
                _("binding “%s” would delete %s: it exists and is not a socket file "
                  "(libzmq removes whatever is at an ipc path before binding); choose a path where nothing exists"),
                binds[b], path);
    }
}

/* ------------------------------------------------------------------ */
/* Links                                                               */

static void
check_link_pair (Validation   *v,
                 const ZsLink *link,
                 guint         link_index)
{
  ZsSocketType ct = zs_socket_spec_get_socket_type (socket_at (v, link->connect_node, link->connect_socket));
  ZsSocketSpec *binding = socket_at (v, link->bind_node, link->bind_socket);
  ZsSocketType bt = zs_socket_spec_get_socket_type (binding);
  g_autofree char *fix = NULL;
  const char *consequence;
  ZsFinding *finding;

  if (zs_socket_type_compatible (ct, bt))
    return;

  fix = zs_socket_type_list_peers (bt);
  consequence = link->transport == ZS_TRANSPORT_INPROC
    ? _("on inproc libzmq does not check this, messages would silently vanish")
    : _("the handshake fails and the peers disconnect");
  finding = report (v, ZS_SEVERITY_ERROR, node_at (v, link->connect_node), link->connect_socket, "socket-type",
                    _("a %s socket cannot talk to the %s socket '%s' of node '%s' (%s): %s; "
                      "make this socket %s"),
                    zs_socket_type_to_string (ct), zs_socket_type_to_string (bt),
                    zs_socket_spec_get_name (binding), zs_node_get_name (node_at (v, link->bind_node)),
                    link->connect_endpoint, consequence, *fix != '\0' ? fix : _("of a matching type"));
  finding->link = link_index;
}

/* The names of the nodes linked to a socket: "'b', 'c' and 'd'". */
static char *
list_peers (Validation *v,
            GPtrArray  *links,
            guint       node,
            guint       socket,
            guint      *n_peers)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *head = NULL;
  g_autofree char *last = NULL;

  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *link = g_ptr_array_index (links, i);
      int peer = -1;

      if (link->connect_node == node && link->connect_socket == socket)
        peer = (int) link->bind_node;
      else if (link->bind_node == node && link->bind_socket == socket)
        peer = (int) link->connect_node;
      if (peer >= 0)
        g_ptr_array_add (names, g_strdup_printf ("'%s'", zs_node_get_name (node_at (v, peer))));
    }
  *n_peers = names->len;
  if (names->len < 2)
    return NULL;
  last = g_ptr_array_steal_index (names, names->len - 1);
  g_ptr_array_add (names, NULL);
  head = g_strjoinv (", ", (char **) names->pdata);
  /* Translators: the end of a list of names: "'b', 'c' and 'd'" */
  return g_strdup_printf (_("%s and %s"), head, last);
}

static void
check_pair_peers (Validation *v,
                  GPtrArray  *links,
                  guint       node_index,
                  guint       index)
{
  ZsNode *node = node_at (v, node_index);
  g_autofree char *names = NULL;
  guint peers;

  if (zs_socket_spec_get_socket_type (zs_node_get_socket (node, index)) != ZS_SOCKET_PAIR)
    return;
  names = list_peers (v, links, node_index, index, &peers);
  if (peers > 1)
    report (v, ZS_SEVERITY_ERROR, node, index, "socket-type",
            _("a PAIR socket talks to exactly one peer, but %u are linked to it (%s); "
              "keep one, or use DEALER and ROUTER for several"), peers, names);
}

/* A ventilator that waits for no worker sends every task to the first one
 * that connects (the slow joiner): say so when its workers are not all
 * linked in the file (outside programs), or when it is told not to wait. */
static void
check_ventilator_wait (Validation *v,
                       GPtrArray  *links,
                       guint       node_index)
{
  ZsNode *node = node_at (v, node_index);
  int wait = zs_node_get_wait_peers (node);
  ZsSocketSpec *spec;
  const char * const *binds, * const *connects;
  g_autofree char *names = NULL;
  guint peers = 0;

  if (zs_node_get_role (node) != ZS_ROLE_VENTILATOR || zs_node_get_n_sockets (node) == 0)
    return;
  spec = zs_node_get_socket (node, 0);
  binds = zs_socket_spec_get_binds (spec);
  connects = zs_socket_spec_get_connects (spec);
  if ((binds == NULL || binds[0] == NULL) && (connects == NULL || connects[0] == NULL))
    return;
  names = list_peers (v, links, node_index, 0, &peers);
  if (wait == 0 || (wait < 0 && peers == 0))
    report (v, ZS_SEVERITY_WARNING, node, 0, "wait-peers",
            _("the ventilator waits for no worker: libzmq hands every task to the first worker that "
              "connects (the slow joiner), so a late worker gets none; set “Wait for peers” to the "
              "number of workers, outside programs included"));
}

/* ------------------------------------------------------------------ */

static GPtrArray *
errors_first (GPtrArray *findings)
{
  GPtrArray *sorted = g_ptr_array_new_full (findings->len, (GDestroyNotify) zs_finding_free);

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < findings->len; i++)
      {
        ZsFinding *finding = g_ptr_array_index (findings, i);

        if (finding != NULL && (finding->severity == ZS_SEVERITY_ERROR) == (pass == 0))
          g_ptr_array_add (sorted, g_steal_pointer (&findings->pdata[i]));
      }
  g_ptr_array_unref (findings);
  return sorted;
}

GPtrArray *
zs_validate (ZsTopology *topology)
{
  Validation v = { topology, NULL };
  GPtrArray *links;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);

  v.findings = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_finding_free);
  links = zs_topology_get_links (topology);
  v.linked = link_ends (links);
  v.binds = zs_endpoint_index_new ();
  v.bind_refs = g_ptr_array_new_with_free_func (g_free);

  check_node_names (&v);
  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    {
      ZsNode *node = node_at (&v, i);

      check_socket_names (&v, node);
      check_role_sockets (&v, node);
      check_templates (&v, node);
      check_payload_present (&v, node);
      check_ventilator_wait (&v, links, i);
      for (guint j = 0; j < zs_node_get_n_sockets (node); j++)
        {
          check_socket_options (&v, node, j);
          check_unlimited_hwm (&v, node, j);
          check_socket_endpoints (&v, i, j);
          check_ipc_bind_paths (&v, node, j);
          check_pair_peers (&v, links, i, j);
        }
    }
  for (guint i = 0; i < links->len; i++)
    check_link_pair (&v, g_ptr_array_index (links, i), i);

  g_hash_table_unref (v.linked);
  zs_endpoint_index_free (v.binds);
  g_ptr_array_unref (v.bind_refs);
  return errors_first (v.findings);
}

gboolean
zs_findings_have_errors (GPtrArray *findings)
{
  g_return_val_if_fail (findings != NULL, FALSE);

  for (guint i = 0; i < findings->len; i++)
    if (((ZsFinding *) g_ptr_array_index (findings, i))->severity == ZS_SEVERITY_ERROR)
      return TRUE;
  return FALSE;
}
