/* zs-socket-spec.c: one socket of a node, as the user specified it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-socket-spec"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-enums.h"
#include "zs-socket-spec.h"

struct _ZsSocketSpec
{
  GObject       parent_instance;

  char         *name;
  ZsSocketType  type;
  GStrv         binds;       /* NULL when empty */
  GStrv         connects;
  GStrv         subscribe;
  char         *routing_id;  /* NULL = let the engine name it */
  int           sndhwm;
  int           rcvhwm;
  int           linger;
  gboolean      bind_first;
};

enum {
  PROP_0,
  PROP_NAME,
  PROP_SOCKET_TYPE,
  PROP_BINDS,
  PROP_CONNECTS,
  PROP_SNDHWM,
  PROP_RCVHWM,
  PROP_SUBSCRIBE,
  PROP_ROUTING_ID,
  PROP_LINGER,
  PROP_BIND_FIRST,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];
static const char * const empty_strv[] = { NULL };

G_DEFINE_FINAL_TYPE (ZsSocketSpec, zs_socket_spec, G_TYPE_OBJECT)

/* g_set_str () arrived in GLib 2.76. */
static gboolean
replace_str (char       **field,
             const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static const char * const *
strv_or_empty (GStrv strv)
{
  return strv != NULL ? (const char * const *) strv : empty_strv;
}

/* Stores a copy of `value` (NULL when empty); notifies only on a change. */
static void
set_strv (ZsSocketSpec       *self,
          GStrv              *field,
          const char * const *value,
          guint               prop_id)
{
  if (value != NULL && value[0] == NULL)
    value = NULL;
  if (value == NULL && *field == NULL)
    return;
  if (value != NULL && *field != NULL && g_strv_equal ((const char * const *) *field, value))
    return;
  g_strfreev (*field);
  *field = g_strdupv ((char **) value);
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

static void
set_int (ZsSocketSpec *self,
         int          *field,
         int           value,
         guint         prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

static void
zs_socket_spec_finalize (GObject *object)
{
  ZsSocketSpec *self = (ZsSocketSpec *) object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->binds, g_strfreev);
  g_clear_pointer (&self->connects, g_strfreev);
  g_clear_pointer (&self->subscribe, g_strfreev);
  g_clear_pointer (&self->routing_id, g_free);

  G_OBJECT_CLASS (zs_socket_spec_parent_class)->finalize (object);
}

static void
zs_socket_spec_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  ZsSocketSpec *self = ZS_SOCKET_SPEC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, zs_socket_spec_get_name (self));
      break;
    case PROP_SOCKET_TYPE:
      g_value_set_enum (value, zs_socket_spec_get_socket_type (self));
      break;
    case PROP_BINDS:
      g_value_set_boxed (value, zs_socket_spec_get_binds (self));
      break;
    case PROP_CONNECTS:
      g_value_set_boxed (value, zs_socket_spec_get_connects (self));
      break;
    case PROP_SNDHWM:
      g_value_set_int (value, zs_socket_spec_get_sndhwm (self));
      break;
    case PROP_RCVHWM:
      g_value_set_int (value, zs_socket_spec_get_rcvhwm (self));
      break;
    case PROP_SUBSCRIBE:
      g_value_set_boxed (value, zs_socket_spec_get_subscribe (self));
      break;
    case PROP_ROUTING_ID:
      g_value_set_string (value, zs_socket_spec_get_routing_id (self));
      break;
    case PROP_LINGER:
      g_value_set_int (value, zs_socket_spec_get_linger (self));
      break;
    case PROP_BIND_FIRST:
      g_value_set_boolean (value, zs_socket_spec_get_bind_first (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_socket_spec_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  ZsSocketSpec *self = ZS_SOCKET_SPEC (object);

  switch (prop_id)
    {
    case PROP_NAME:
      zs_socket_spec_set_name (self, g_value_get_string (value));
      break;
    case PROP_SOCKET_TYPE:
      zs_socket_spec_set_socket_type (self, g_value_get_enum (value));
      break;
    case PROP_BINDS:
      zs_socket_spec_set_binds (self, g_value_get_boxed (value));
      break;
    case PROP_CONNECTS:
      zs_socket_spec_set_connects (self, g_value_get_boxed (value));
      break;
    case PROP_SNDHWM:
      zs_socket_spec_set_sndhwm (self, g_value_get_int (value));
      break;
    case PROP_RCVHWM:
      zs_socket_spec_set_rcvhwm (self, g_value_get_int (value));
      break;
    case PROP_SUBSCRIBE:
      zs_socket_spec_set_subscribe (self, g_value_get_boxed (value));
      break;
    case PROP_ROUTING_ID:
      zs_socket_spec_set_routing_id (self, g_value_get_string (value));
      break;
    case PROP_LINGER:
      zs_socket_spec_set_linger (self, g_value_get_int (value));
      break;
    case PROP_BIND_FIRST:
      zs_socket_spec_set_bind_first (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

#define FLAGS (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY)

static GParamSpec *
strv_pspec (const char *name,
            const char *nick,
            const char *blurb)
{
  return g_param_spec_boxed (name, nick, blurb, G_TYPE_STRV, FLAGS);
}

static void
zs_socket_spec_class_init (ZsSocketSpecClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = zs_socket_spec_finalize;
  object_class->get_property = zs_socket_spec_get_property;
  object_class->set_property = zs_socket_spec_set_property;

  properties [PROP_NAME] =
    g_param_spec_string ("name", _("Name"),
                         _("The socket's name, unique within its node"),
                         "", FLAGS);
  properties [PROP_SOCKET_TYPE] =
    g_param_spec_enum ("socket-type", _("Socket type"),
                       _("The ZeroMQ socket type: it decides who may connect and how messages flow"),
                       ZS_TYPE_SOCKET_TYPE, ZS_SOCKET_PAIR, FLAGS);
  properties [PROP_BINDS] =
    strv_pspec ("binds", _("Binds"),
                _("Endpoints this socket binds, in order, e.g. “tcp://*:5555”"));
  properties [PROP_CONNECTS] =
    strv_pspec ("connects", _("Connects"),
                _("Endpoints this socket connects to, in order, e.g. “tcp://localhost:5555”"));
  properties [PROP_SNDHWM] =
    g_param_spec_int ("sndhwm", _("Send HWM"),
                      _("ZMQ_SNDHWM: messages queued per peer before the socket drops or blocks (0 = unlimited)"),
                      G_MININT, G_MAXINT, ZS_DEFAULT_HWM, FLAGS);
  properties [PROP_RCVHWM] =
    g_param_spec_int ("rcvhwm", _("Receive HWM"),
                      _("ZMQ_RCVHWM: messages queued per peer on the receiving side (0 = unlimited)"),
                      G_MININT, G_MAXINT, ZS_DEFAULT_HWM, FLAGS);
  properties [PROP_SUBSCRIBE] =
    strv_pspec ("subscribe", _("Subscriptions"),
                _("ZMQ_SUBSCRIBE prefixes of the first frame (SUB, XSUB); an empty one receives everything"));
  properties [PROP_ROUTING_ID] =
    g_param_spec_string ("routing-id", _("Routing id"),
                         _("ZMQ_ROUTING_ID: the name a ROUTER peer sees; empty = the engine names it"),
                         NULL, FLAGS);
  properties [PROP_LINGER] =
    g_param_spec_int ("linger", _("Linger"),
                      _("ZMQ_LINGER in milliseconds: how long unsent messages are kept at close (-1 = forever)"),
                      -1, G_MAXINT, 0, FLAGS);
  properties [PROP_BIND_FIRST] =
    g_param_spec_boolean ("bind-first", _("Bind first"),
                          _("Do the binds before the connects"),
                          TRUE, FLAGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
zs_socket_spec_init (ZsSocketSpec *self)
{
  self->name = g_strdup ("");
  self->sndhwm = ZS_DEFAULT_HWM;
  self->rcvhwm = ZS_DEFAULT_HWM;
  self->bind_first = TRUE;
}

ZsSocketSpec *
zs_socket_spec_new (const char   *name,
                    ZsSocketType  type)
{
  g_return_val_if_fail (type < ZS_SOCKET_N_TYPES, NULL);

  return g_object_new (ZS_TYPE_SOCKET_SPEC,
                       "name", name,
                       "socket-type", type,
                       NULL);
}

ZsSocketSpec *
zs_socket_spec_copy (ZsSocketSpec *self)
{
  ZsSocketSpec *copy;

  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), NULL);

  copy = zs_socket_spec_new (self->name, self->type);
  copy->binds = g_strdupv (self->binds);
  copy->connects = g_strdupv (self->connects);
  copy->subscribe = g_strdupv (self->subscribe);
  copy->routing_id = g_strdup (self->routing_id);
  copy->sndhwm = self->sndhwm;
  copy->rcvhwm = self->rcvhwm;
  copy->linger = self->linger;
  copy->bind_first = self->bind_first;
  return copy;
}

const char *
zs_socket_spec_get_name (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), NULL);
  return self->name;
}

void
zs_socket_spec_set_name (ZsSocketSpec *self,
                         const char   *name)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));

  if (name == NULL)
    name = "";
  if (replace_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_NAME]);
}

ZsSocketType
zs_socket_spec_get_socket_type (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), ZS_SOCKET_PAIR);
  return self->type;
}

void
zs_socket_spec_set_socket_type (ZsSocketSpec *self,
                                ZsSocketType  type)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));
  g_return_if_fail (type < ZS_SOCKET_N_TYPES);

  if (self->type == type)
    return;
  self->type = type;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SOCKET_TYPE]);
}

const char * const *
zs_socket_spec_get_binds (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), empty_strv);
  return strv_or_empty (self->binds);
}

void
zs_socket_spec_set_binds (ZsSocketSpec       *self,
                          const char * const *binds)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));
  set_strv (self, &self->binds, binds, PROP_BINDS);
}

const char * const *
zs_socket_spec_get_connects (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), empty_strv);
  return strv_or_empty (self->connects);
}

void
zs_socket_spec_set_connects (ZsSocketSpec       *self,
                             const char * const *connects)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));
  set_strv (self, &self->connects, connects, PROP_CONNECTS);
}

int
zs_socket_spec_get_sndhwm (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), ZS_DEFAULT_HWM);
  return self->sndhwm;
}

void
zs_socket_spec_set_sndhwm (ZsSocketSpec *self,
                           int           hwm)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));
  set_int (self, &self->sndhwm, hwm, PROP_SNDHWM);
}

int
zs_socket_spec_get_rcvhwm (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), ZS_DEFAULT_HWM);
  return self->rcvhwm;
}

void
zs_socket_spec_set_rcvhwm (ZsSocketSpec *self,
                           int           hwm)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));
  set_int (self, &self->rcvhwm, hwm, PROP_RCVHWM);
}

const char * const *
zs_socket_spec_get_subscribe (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), empty_strv);
  return strv_or_empty (self->subscribe);
}

void
zs_socket_spec_set_subscribe (ZsSocketSpec       *self,
                              const char * const *filters)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));
  set_strv (self, &self->subscribe, filters, PROP_SUBSCRIBE);
}

const char *
zs_socket_spec_get_routing_id (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), NULL);
  return self->routing_id;
}

void
zs_socket_spec_set_routing_id (ZsSocketSpec *self,
                               const char   *routing_id)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));

  /* An empty routing id is what libzmq does without one. */
  if (routing_id != NULL && *routing_id == '\0')
    routing_id = NULL;
  if (replace_str (&self->routing_id, routing_id))
    g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_ROUTING_ID]);
}

int
zs_socket_spec_get_linger (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), 0);
  return self->linger;
}

void
zs_socket_spec_set_linger (ZsSocketSpec *self,
                           int           linger_ms)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));
  g_return_if_fail (linger_ms >= -1);
  set_int (self, &self->linger, linger_ms, PROP_LINGER);
}

gboolean
zs_socket_spec_get_bind_first (ZsSocketSpec *self)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), TRUE);
  return self->bind_first;
}

void
zs_socket_spec_set_bind_first (ZsSocketSpec *self,
                               gboolean      bind_first)
{
  g_return_if_fail (ZS_IS_SOCKET_SPEC (self));

  bind_first = !!bind_first;
  if (self->bind_first == bind_first)
    return;
  self->bind_first = bind_first;
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_BIND_FIRST]);
}

gboolean
zs_socket_spec_accepts (ZsSocketSpec *self,
                        const void   *frame,
                        gsize         size)
{
  g_return_val_if_fail (ZS_IS_SOCKET_SPEC (self), FALSE);
  g_return_val_if_fail (frame != NULL || size == 0, FALSE);

  if (self->type != ZS_SOCKET_SUB && self->type != ZS_SOCKET_XSUB)
    return TRUE;
  for (guint i = 0; self->subscribe != NULL && self->subscribe[i] != NULL; i++)
    {
      gsize len = strlen (self->subscribe[i]);

      if (len <= size && memcmp (frame, self->subscribe[i], len) == 0)
        return TRUE;
    }
  return FALSE;
}
