/* zs-node.c: a node on the canvas: a role, its sockets and parameters
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-node"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-enums.h"
#include "zs-node.h"

struct _ZsNode
{
  GObject    parent_instance;

  char      *name;
  ZsRole     role;
  double     x;
  double     y;
  gboolean   tracing;
  GStrv      payload;          /* NULL when empty */
  guint      count;
  guint      interval_ms;
  guint      work_ms;
  gboolean   work_from_message;
  char      *reply;
  int        wait_peers;
  guint      start_delay_ms;
  char      *end_marker;
  guint      idle_timeout_ms;
  guint      sync_count;
  guint      offline_after;
  guint      offline_ms;
  guint      request_timeout_ms;
  guint      retries;
  gboolean   zero_copy;
  guint      seed;
  char      *note;
  char      *command;

  GPtrArray *sockets;          /* of ZsSocketSpec */
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_ROLE,
  PROP_X,
  PROP_Y,
  PROP_TRACING,
  PROP_PAYLOAD,
  PROP_COUNT,
  PROP_INTERVAL_MS,
  PROP_WORK_MS,
  PROP_WORK_FROM_MESSAGE,
  PROP_REPLY,
  PROP_WAIT_PEERS,
  PROP_START_DELAY_MS,
  PROP_END_MARKER,
  PROP_IDLE_TIMEOUT_MS,
  PROP_SYNC_COUNT,
  PROP_OFFLINE_AFTER,
  PROP_OFFLINE_MS,
  PROP_REQUEST_TIMEOUT_MS,
  PROP_RETRIES,
  PROP_ZERO_COPY,
  PROP_SEED,
  PROP_NOTE,
  PROP_COMMAND,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];
static const char * const empty_strv[] = { NULL };

G_DEFINE_FINAL_TYPE (ZsNode, zs_node, G_TYPE_OBJECT)

static void
notify (ZsNode *self,
        guint   prop_id)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

static void
set_string (ZsNode     *self,
            char      **field,
            const char *value,
            guint       prop_id)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  notify (self, prop_id);
}

static void
set_uint (ZsNode *self,
          guint  *field,
          guint   value,
          guint   prop_id)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop_id);
}

static void
set_boolean (ZsNode   *self,
             gboolean *field,
             gboolean  value,
             guint     prop_id)
{
  value = !!value;
  if (*field == value)
    return;
  *field = value;
  notify (self, prop_id);
}

static void
set_double (ZsNode *self,
            double *field,
            double  value,
            guint   prop_id)
{
  if (*field == value)
    return;
  *field = value;
  notify (self, prop_id);
}

static void
set_wait_peers (ZsNode *self,
                int     wait_peers)
{
  if (self->wait_peers == wait_peers)
    return;
  self->wait_peers = wait_peers;
  notify (self, PROP_WAIT_PEERS);
}

static void
on_socket_notify_cb (ZsNode     *self,
                     GParamSpec *pspec,
                     GObject    *socket)
{
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
release_socket (gpointer data)
{
  ZsSocketSpec *socket = data;

  g_signal_handlers_disconnect_by_data (socket, g_object_get_data (G_OBJECT (socket), "zs-node"));
  g_object_set_data (G_OBJECT (socket), "zs-node", NULL);
  g_object_unref (socket);
}

static void
zs_node_notify (GObject    *object,
                GParamSpec *pspec)
{
  g_signal_emit (object, signals [CHANGED], 0);

  if (G_OBJECT_CLASS (zs_node_parent_class)->notify != NULL)
    G_OBJECT_CLASS (zs_node_parent_class)->notify (object, pspec);
}

static void
zs_node_finalize (GObject *object)
{
  ZsNode *self = (ZsNode *) object;

  g_clear_pointer (&self->sockets, g_ptr_array_unref);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->payload, g_strfreev);
  g_clear_pointer (&self->reply, g_free);
  g_clear_pointer (&self->end_marker, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->command, g_free);

  G_OBJECT_CLASS (zs_node_parent_class)->finalize (object);
}

static void
zs_node_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  ZsNode *self = ZS_NODE (object);

  switch (prop_id)
    {
    case PROP_NAME:              g_value_set_string (value, self->name); break;
    case PROP_ROLE:              g_value_set_enum (value, self->role); break;
    case PROP_X:                 g_value_set_double (value, self->x); break;
    case PROP_Y:                 g_value_set_double (value, self->y); break;
    case PROP_TRACING:           g_value_set_boolean (value, self->tracing); break;
    case PROP_PAYLOAD:           g_value_set_boxed (value, zs_node_get_payload (self)); break;
    case PROP_COUNT:             g_value_set_uint (value, self->count); break;
    case PROP_INTERVAL_MS:       g_value_set_uint (value, self->interval_ms); break;
    case PROP_WORK_MS:           g_value_set_uint (value, self->work_ms); break;
    case PROP_WORK_FROM_MESSAGE: g_value_set_boolean (value, self->work_from_message); break;
    case PROP_REPLY:             g_value_set_string (value, self->reply); break;
    case PROP_WAIT_PEERS:        g_value_set_int (value, self->wait_peers); break;
    case PROP_START_DELAY_MS:    g_value_set_uint (value, self->start_delay_ms); break;
    case PROP_END_MARKER:        g_value_set_string (value, self->end_marker); break;
    case PROP_IDLE_TIMEOUT_MS:   g_value_set_uint (value, self->idle_timeout_ms); break;
    case PROP_SYNC_COUNT:        g_value_set_uint (value, self->sync_count); break;
    case PROP_OFFLINE_AFTER:     g_value_set_uint (value, self->offline_after); break;
    case PROP_OFFLINE_MS:        g_value_set_uint (value, self->offline_ms); break;
    case PROP_REQUEST_TIMEOUT_MS: g_value_set_uint (value, self->request_timeout_ms); break;
    case PROP_RETRIES:           g_value_set_uint (value, self->retries); break;
    case PROP_ZERO_COPY:         g_value_set_boolean (value, self->zero_copy); break;
    case PROP_SEED:              g_value_set_uint (value, self->seed); break;
    case PROP_NOTE:              g_value_set_string (value, self->note); break;
    case PROP_COMMAND:           g_value_set_string (value, self->command); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_node_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  ZsNode *self = ZS_NODE (object);

  switch (prop_id)
    {
    case PROP_NAME:              zs_node_set_name (self, g_value_get_string (value)); break;
    case PROP_ROLE:              zs_node_set_role (self, g_value_get_enum (value)); break;
    case PROP_X:                 set_double (self, &self->x, g_value_get_double (value), prop_id); break;
    case PROP_Y:                 set_double (self, &self->y, g_value_get_double (value), prop_id); break;
    case PROP_TRACING:           set_boolean (self, &self->tracing, g_value_get_boolean (value), prop_id); break;
    case PROP_PAYLOAD:           zs_node_set_payload (self, g_value_get_boxed (value)); break;
    case PROP_COUNT:             set_uint (self, &self->count, g_value_get_uint (value), prop_id); break;
    case PROP_INTERVAL_MS:       set_uint (self, &self->interval_ms, g_value_get_uint (value), prop_id); break;
    case PROP_WORK_MS:           set_uint (self, &self->work_ms, g_value_get_uint (value), prop_id); break;
    case PROP_WORK_FROM_MESSAGE: set_boolean (self, &self->work_from_message, g_value_get_boolean (value), prop_id); break;
    case PROP_REPLY:             set_string (self, &self->reply, g_value_get_string (value), prop_id); break;
    case PROP_WAIT_PEERS:        set_wait_peers (self, g_value_get_int (value)); break;
    case PROP_START_DELAY_MS:    set_uint (self, &self->start_delay_ms, g_value_get_uint (value), prop_id); break;
    case PROP_END_MARKER:        set_string (self, &self->end_marker, g_value_get_string (value), prop_id); break;
    case PROP_IDLE_TIMEOUT_MS:   set_uint (self, &self->idle_timeout_ms, g_value_get_uint (value), prop_id); break;
    case PROP_SYNC_COUNT:        set_uint (self, &self->sync_count, g_value_get_uint (value), prop_id); break;
    case PROP_OFFLINE_AFTER:     set_uint (self, &self->offline_after, g_value_get_uint (value), prop_id); break;
    case PROP_OFFLINE_MS:        set_uint (self, &self->offline_ms, g_value_get_uint (value), prop_id); break;
    case PROP_REQUEST_TIMEOUT_MS: set_uint (self, &self->request_timeout_ms, g_value_get_uint (value), prop_id); break;
    case PROP_RETRIES:           set_uint (self, &self->retries, g_value_get_uint (value), prop_id); break;
    case PROP_ZERO_COPY:         set_boolean (self, &self->zero_copy, g_value_get_boolean (value), prop_id); break;
    case PROP_SEED:              set_uint (self, &self->seed, g_value_get_uint (value), prop_id); break;
    case PROP_NOTE:              set_string (self, &self->note, g_value_get_string (value), prop_id); break;
    case PROP_COMMAND:           set_string (self, &self->command, g_value_get_string (value), prop_id); break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static GParamSpec *
uint_pspec (const char *name,
            const char *nick,
            const char *blurb)
{
  return g_param_spec_uint (name, nick, blurb, 0, G_MAXUINT, 0, FLAGS);
}

static GParamSpec *
string_pspec (const char *name,
              const char *nick,
              const char *blurb)
{
  return g_param_spec_string (name, nick, blurb, "", FLAGS);
}

static GParamSpec *
boolean_pspec (const char *name,
               const char *nick,
               const char *blurb,
               gboolean    default_value)
{
  return g_param_spec_boolean (name, nick, blurb, default_value, FLAGS);
}

static GParamSpec *
double_pspec (const char *name,
              const char *nick,
              const char *blurb)
{
  return g_param_spec_double (name, nick, blurb, -G_MAXDOUBLE, G_MAXDOUBLE, 0.0, FLAGS);
}

static void
install_properties (GObjectClass *object_class)
{
  properties [PROP_NAME] = string_pspec ("name", _("Name"), _("The node's name, unique in the topology"));
  properties [PROP_ROLE] =
    g_param_spec_enum ("role", _("Role"), _("What the node does with its sockets"),
                       ZS_TYPE_ROLE, ZS_ROLE_SOCKET, FLAGS);
  properties [PROP_X] = double_pspec ("x", _("X"), _("Horizontal position on the canvas"));
  properties [PROP_Y] = double_pspec ("y", _("Y"), _("Vertical position on the canvas"));
  properties [PROP_TRACING] =
    boolean_pspec ("tracing", _("Tracing"),
                   _("Append a 16-byte trace trailer to each message; off sends exactly the payload frames"),
                   TRUE);
  properties [PROP_PAYLOAD] =
    g_param_spec_boxed ("payload", _("Payload"),
                        _("Frame templates of each message sent, e.g. “{seq}” or “{rand:1:100}”"),
                        G_TYPE_STRV, FLAGS);
  properties [PROP_COUNT] =
    uint_pspec ("count", _("Count"),
                _("Messages, requests or tasks to send (to receive, for a subscriber or sink); 0 = forever"));
  properties [PROP_INTERVAL_MS] =
    uint_pspec ("interval-ms", _("Interval (ms)"), _("Pause between two sends; 0 = full speed"));
  properties [PROP_WORK_MS] =
    uint_pspec ("work-ms", _("Work (ms)"), _("Work time per request or task"));
  properties [PROP_WORK_FROM_MESSAGE] =
    boolean_pspec ("work-from-message", _("Work time from message"),
                   _("Take the work time from the number in the task, like taskwork"), FALSE);
  properties [PROP_REPLY] = string_pspec ("reply", _("Reply"), _("Template of the reply a server sends"));
  properties [PROP_WAIT_PEERS] =
    g_param_spec_int ("wait-peers", _("Wait for peers"),
                      _("Before sending, wait for this many peers to connect; -1 = every linked peer, 0 = do not wait"),
                      -1, G_MAXINT, 0, FLAGS);
  properties [PROP_START_DELAY_MS] =
    uint_pspec ("start-delay-ms", _("Start delay (ms)"), _("Sleep before the first send"));
  properties [PROP_END_MARKER] =
    string_pspec ("end-marker", _("End marker"),
                  _("Sent after the last message by a publisher; ends a receiver when it arrives; empty = none"));
  properties [PROP_IDLE_TIMEOUT_MS] =
    uint_pspec ("idle-timeout-ms", _("Idle timeout (ms)"),
                _("A receiver ends after this long without a message; 0 = never"));
  properties [PROP_SYNC_COUNT] =
    uint_pspec ("sync-count", _("Sync count"),
                _("Publisher: wait for this many check-ins on its “sync” socket before sending"));
  properties [PROP_OFFLINE_AFTER] =
    uint_pspec ("offline-after", _("Offline after"),
                _("Subscriber: close its socket after this many messages (durable subscriber)"));
  properties [PROP_OFFLINE_MS] =
    uint_pspec ("offline-ms", _("Offline (ms)"),
                _("Subscriber: reopen the socket, same routing id, after this long"));
  properties [PROP_REQUEST_TIMEOUT_MS] =
    uint_pspec ("request-timeout-ms", _("Reply timeout (ms)"),
                _("Client: how long to wait for a reply before asking again on a new socket "
                  "(the lazy pirate); 0 = wait forever"));
  properties [PROP_RETRIES] =
    uint_pspec ("retries", _("Retries"),
                _("Client: how many times to ask again after a reply timeout before giving up"));
  properties [PROP_ZERO_COPY] =
    boolean_pspec ("zero-copy", _("Zero copy"),
                   _("Send with zmq_msg_init_data and a free function"), FALSE);
  properties [PROP_SEED] =
    uint_pspec ("seed", _("Random seed"), _("Seed for “{rand}” templates; 0 = from the clock"));
  properties [PROP_NOTE] = string_pspec ("note", _("Note"), _("Free text shown on the card"));
  properties [PROP_COMMAND] =
    string_pspec ("command", _("Command line"),
                  _("External program: how it is started, shown on the card for reference; zmqscope runs nothing"));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
zs_node_class_init (ZsNodeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = zs_node_finalize;
  object_class->get_property = zs_node_get_property;
  object_class->set_property = zs_node_set_property;
  object_class->notify = zs_node_notify;

  install_properties (object_class);

  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
zs_node_init (ZsNode *self)
{
  self->name = g_strdup ("");
  self->reply = g_strdup ("");
  self->end_marker = g_strdup ("");
  self->note = g_strdup ("");
  self->command = g_strdup ("");
  self->tracing = TRUE;
  self->sockets = g_ptr_array_new_with_free_func (release_socket);
}

ZsNode *
zs_node_new (const char *name,
             ZsRole      role)
{
  g_return_val_if_fail (role < ZS_ROLE_N_ROLES, NULL);

  return g_object_new (ZS_TYPE_NODE,
                       "name", name,
                       "role", role,
                       NULL);
}

/* Sockets that normally bind get "inproc://NODE-SOCKET" (a relay's "in":
 * "inproc://NODE"); the others get an empty connect list. */
static const char *
default_bind_endpoint_format (ZsRole              role,
                              const ZsRoleSocket *spec)
{
  gboolean binds;

  if (role == ZS_ROLE_RELAY)
    return g_str_equal (spec->name, "in") ? "inproc://%s" : NULL;

  binds = spec->default_type == ZS_SOCKET_PUB ||
          spec->default_type == ZS_SOCKET_XPUB ||
          spec->default_type == ZS_SOCKET_REP ||
          spec->default_type == ZS_SOCKET_ROUTER ||
          role == ZS_ROLE_BROKER ||
          (role == ZS_ROLE_VENTILATOR && g_str_equal (spec->name, "tasks")) ||
          (role == ZS_ROLE_SINK && g_str_equal (spec->name, "in")) ||
          (role == ZS_ROLE_PUBLISHER && g_str_equal (spec->name, "sync"));
  return binds ? "inproc://%s-%s" : NULL;
}

static ZsSocketSpec *
new_role_socket (const char         *node_name,
                 ZsRole              role,
                 const ZsRoleSocket *spec)
{
  ZsSocketSpec *socket = zs_socket_spec_new (spec->name, spec->default_type);
  const char *format = default_bind_endpoint_format (role, spec);

  if (format != NULL)
    {
      g_autofree char *endpoint = g_strdup_printf (format, node_name, spec->name);
      const char *binds[] = { endpoint, NULL };

      zs_socket_spec_set_binds (socket, binds);
    }
  if (spec->default_type == ZS_SOCKET_SUB)
    {
      const char *everything[] = { "", NULL };

      zs_socket_spec_set_subscribe (socket, everything);
    }
  return socket;
}

static void
apply_role_defaults (ZsNode *self)
{
  const char *seq[] = { "{seq}", NULL };
  const char *hello[] = { "Hello", NULL };
  const char *random[] = { "{rand:1:100}", NULL };

  switch (self->role)
    {
    case ZS_ROLE_PUBLISHER:
      zs_node_set_payload (self, seq);
      break;
    case ZS_ROLE_CLIENT:
      zs_node_set_payload (self, hello);
      g_object_set (self, "count", 10, NULL);
      break;
    case ZS_ROLE_SERVER:
      g_object_set (self, "reply", "World", NULL);
      break;
    case ZS_ROLE_VENTILATOR:
      zs_node_set_payload (self, random);
      g_object_set (self, "count", 100, "wait-peers", -1, NULL);
      break;
    case ZS_ROLE_WORKER:
      g_object_set (self, "work-from-message", TRUE, NULL);
      break;
    case ZS_ROLE_SINK:
      g_object_set (self, "count", 100, NULL);
      break;
    case ZS_ROLE_SOCKET:
    case ZS_ROLE_SUBSCRIBER:
    case ZS_ROLE_RELAY:
    case ZS_ROLE_BROKER:
    case ZS_ROLE_FORWARDER:
    case ZS_ROLE_EXTERNAL:
    case ZS_ROLE_N_ROLES:
    default:
      break;
    }
}

ZsNode *
zs_node_new_for_role (const char *name,
                      ZsRole      role)
{
  ZsNode *self;
  const ZsRoleSocket *specs;
  guint n_specs;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (role < ZS_ROLE_N_ROLES, NULL);

  self = zs_node_new (name, role);
  specs = zs_role_get_sockets (role, &n_specs);
  for (guint i = 0; i < n_specs; i++)
    {
      g_autoptr(ZsSocketSpec) socket = NULL;

      /* Optional sockets only where the role does nothing without them. */
      if (!specs[i].required && role != ZS_ROLE_RELAY && role != ZS_ROLE_WORKER)
        continue;
      socket = new_role_socket (name, role, &specs[i]);
      zs_node_add_socket (self, socket);
    }
  apply_role_defaults (self);
  return self;
}

ZsNode *
zs_node_copy (ZsNode *self)
{
  g_autofree GParamSpec **pspecs = NULL;
  ZsNode *copy;
  guint n_pspecs;

  g_return_val_if_fail (ZS_IS_NODE (self), NULL);

  copy = g_object_new (ZS_TYPE_NODE, NULL);
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (self), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (G_OBJECT (self), pspecs[i]->name, &value);
      g_object_set_property (G_OBJECT (copy), pspecs[i]->name, &value);
    }
  for (guint i = 0; i < self->sockets->len; i++)
    {
      g_autoptr(ZsSocketSpec) socket = zs_socket_spec_copy (g_ptr_array_index (self->sockets, i));

      zs_node_add_socket (copy, socket);
    }
  return copy;
}

const char *
zs_node_get_name (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), NULL);
  return self->name;
}

void
zs_node_set_name (ZsNode     *self,
                  const char *name)
{
  g_return_if_fail (ZS_IS_NODE (self));
  set_string (self, &self->name, name, PROP_NAME);
}

const char *
zs_node_get_command (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), NULL);
  return self->command;
}

gboolean
zs_node_is_external (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), FALSE);
  return self->role == ZS_ROLE_EXTERNAL;
}

ZsRole
zs_node_get_role (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), ZS_ROLE_SOCKET);
  return self->role;
}

void
zs_node_set_role (ZsNode *self,
                  ZsRole  role)
{
  g_return_if_fail (ZS_IS_NODE (self));
  g_return_if_fail (role < ZS_ROLE_N_ROLES);

  if (self->role == role)
    return;
  self->role = role;
  notify (self, PROP_ROLE);
}

double
zs_node_get_x (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), 0.0);
  return self->x;
}

double
zs_node_get_y (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), 0.0);
  return self->y;
}

void
zs_node_set_position (ZsNode *self,
                      double  x,
                      double  y)
{
  g_return_if_fail (ZS_IS_NODE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_double (self, &self->x, x, PROP_X);
  set_double (self, &self->y, y, PROP_Y);
  g_object_thaw_notify (G_OBJECT (self));
}

gboolean
zs_node_get_tracing (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), TRUE);
  return self->tracing;
}

const char * const *
zs_node_get_payload (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), empty_strv);
  return self->payload != NULL ? (const char * const *) self->payload : empty_strv;
}

void
zs_node_set_payload (ZsNode             *self,
                     const char * const *frames)
{
  g_return_if_fail (ZS_IS_NODE (self));

  if (frames != NULL && frames[0] == NULL)
    frames = NULL;
  if (frames == NULL && self->payload == NULL)
    return;
  if (frames != NULL && self->payload != NULL && g_strv_equal ((const char * const *) self->payload, frames))
    return;
  g_strfreev (self->payload);
  self->payload = g_strdupv ((char **) frames);
  notify (self, PROP_PAYLOAD);
}

#define UINT_GETTER(func, field) \
  guint func (ZsNode *self) { g_return_val_if_fail (ZS_IS_NODE (self), 0); return self->field; }

UINT_GETTER (zs_node_get_count, count)
UINT_GETTER (zs_node_get_interval_ms, interval_ms)
UINT_GETTER (zs_node_get_work_ms, work_ms)
UINT_GETTER (zs_node_get_start_delay_ms, start_delay_ms)
UINT_GETTER (zs_node_get_idle_timeout_ms, idle_timeout_ms)
UINT_GETTER (zs_node_get_sync_count, sync_count)
UINT_GETTER (zs_node_get_offline_after, offline_after)
UINT_GETTER (zs_node_get_offline_ms, offline_ms)
UINT_GETTER (zs_node_get_request_timeout_ms, request_timeout_ms)
UINT_GETTER (zs_node_get_retries, retries)
UINT_GETTER (zs_node_get_seed, seed)

#undef UINT_GETTER

gboolean
zs_node_get_work_from_message (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), FALSE);
  return self->work_from_message;
}

const char *
zs_node_get_reply (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), NULL);
  return self->reply;
}

int
zs_node_get_wait_peers (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), 0);
  return self->wait_peers;
}

const char *
zs_node_get_end_marker (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), NULL);
  return self->end_marker;
}

gboolean
zs_node_get_zero_copy (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), FALSE);
  return self->zero_copy;
}

const char *
zs_node_get_note (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), NULL);
  return self->note;
}

guint
zs_node_get_n_sockets (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), 0);
  return self->sockets->len;
}

ZsSocketSpec *
zs_node_get_socket (ZsNode *self,
                    guint   index)
{
  g_return_val_if_fail (ZS_IS_NODE (self), NULL);
  g_return_val_if_fail (index < self->sockets->len, NULL);
  return g_ptr_array_index (self->sockets, index);
}

int
zs_node_find_socket_index (ZsNode     *self,
                           const char *name)
{
  g_return_val_if_fail (ZS_IS_NODE (self), -1);
  g_return_val_if_fail (name != NULL, -1);

  for (guint i = 0; i < self->sockets->len; i++)
    if (g_strcmp0 (zs_socket_spec_get_name (g_ptr_array_index (self->sockets, i)), name) == 0)
      return (int) i;
  return -1;
}

ZsSocketSpec *
zs_node_find_socket (ZsNode     *self,
                     const char *name)
{
  int index;

  g_return_val_if_fail (ZS_IS_NODE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  index = zs_node_find_socket_index (self, name);
  return index >= 0 ? g_ptr_array_index (self->sockets, index) : NULL;
}

void
zs_node_add_socket (ZsNode       *self,
                    ZsSocketSpec *socket)
{
  g_return_if_fail (ZS_IS_NODE (self));
  zs_node_insert_socket (self, self->sockets->len, socket);
}

/* Takes a reference; a socket belongs to at most one node. */
void
zs_node_insert_socket (ZsNode       *self,
                       guint         index,
                       ZsSocketSpec *socket)
{
  g_return_if_fail (ZS_IS_NODE (self));
  g_return_if_fail (ZS_IS_SOCKET_SPEC (socket));
  g_return_if_fail (index <= self->sockets->len);
  g_return_if_fail (g_object_get_data (G_OBJECT (socket), "zs-node") == NULL);

  g_object_set_data (G_OBJECT (socket), "zs-node", self);
  g_signal_connect_object (socket, "notify", G_CALLBACK (on_socket_notify_cb), self, G_CONNECT_SWAPPED);
  g_ptr_array_insert (self->sockets, index, g_object_ref (socket));
  g_signal_emit (self, signals [CHANGED], 0);
}

void
zs_node_remove_socket (ZsNode *self,
                       guint   index)
{
  g_return_if_fail (ZS_IS_NODE (self));
  g_return_if_fail (index < self->sockets->len);

  g_ptr_array_remove_index (self->sockets, index);
  g_signal_emit (self, signals [CHANGED], 0);
}

gboolean
zs_node_has_end (ZsNode *self)
{
  g_return_val_if_fail (ZS_IS_NODE (self), FALSE);

  if (self->role == ZS_ROLE_RELAY)
    return TRUE;
  if (!zs_role_has_goal (self->role))
    return FALSE;
  if (self->count > 0 || self->idle_timeout_ms > 0)
    return TRUE;
  return (self->role == ZS_ROLE_SUBSCRIBER ||
          self->role == ZS_ROLE_SINK ||
          self->role == ZS_ROLE_SOCKET) &&
         self->end_marker[0] != '\0';
}
