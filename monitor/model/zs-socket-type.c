/* zs-socket-type.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-socket-type"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-socket-type.h"

static const char *const type_names[ZS_SOCKET_N_TYPES] = {
  "PAIR", "PUB", "SUB", "REQ", "REP", "DEALER", "ROUTER", "PULL", "PUSH", "XPUB", "XSUB",
};

const char *
zs_socket_type_to_string (ZsSocketType type)
{
  g_return_val_if_fail (type < ZS_SOCKET_N_TYPES, "?");
  return type_names[type];
}

gboolean
zs_socket_type_from_string (const char   *name,
                            ZsSocketType *type)
{
  g_return_val_if_fail (type != NULL, FALSE);

  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < ZS_SOCKET_N_TYPES; i++)
    if (g_ascii_strcasecmp (name, type_names[i]) == 0)
      {
        *type = (ZsSocketType) i;
        return TRUE;
      }
  return FALSE;
}

/* The ZMTP 3 compatibility matrix, as libzmq 4.3.4 checks it in the
 * handshake (on inproc it checks nothing, so this is the only guard there). */
static gboolean
pair_allowed (ZsSocketType a,
              ZsSocketType b)
{
  switch (a)
    {
    case ZS_SOCKET_PAIR:   return b == ZS_SOCKET_PAIR;
    case ZS_SOCKET_PUB:
    case ZS_SOCKET_XPUB:   return b == ZS_SOCKET_SUB || b == ZS_SOCKET_XSUB;
    case ZS_SOCKET_REQ:    return b == ZS_SOCKET_REP || b == ZS_SOCKET_ROUTER;
    case ZS_SOCKET_DEALER: return b == ZS_SOCKET_REP || b == ZS_SOCKET_ROUTER || b == ZS_SOCKET_DEALER;
    case ZS_SOCKET_ROUTER: return b == ZS_SOCKET_ROUTER;
    case ZS_SOCKET_PUSH:   return b == ZS_SOCKET_PULL;
    case ZS_SOCKET_SUB:
    case ZS_SOCKET_XSUB:
    case ZS_SOCKET_REP:
    case ZS_SOCKET_PULL:
    case ZS_SOCKET_N_TYPES:
    default:
      return FALSE;
    }
}

gboolean
zs_socket_type_compatible (ZsSocketType a,
                           ZsSocketType b)
{
  return pair_allowed (a, b) || pair_allowed (b, a);
}

char *
zs_socket_type_list_peers (ZsSocketType type)
{
  GString *list = g_string_new (NULL);

  g_return_val_if_fail (type < ZS_SOCKET_N_TYPES, g_string_free (list, FALSE));

  for (guint t = 0; t < ZS_SOCKET_N_TYPES; t++)
    if (zs_socket_type_compatible (t, type))
      g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", type_names[t]);
  return g_string_free (list, FALSE);
}

gboolean
zs_socket_type_sends (ZsSocketType type)
{
  return type != ZS_SOCKET_SUB && type != ZS_SOCKET_XSUB && type != ZS_SOCKET_PULL;
}

gboolean
zs_socket_type_receives (ZsSocketType type)
{
  return type != ZS_SOCKET_PUB && type != ZS_SOCKET_XPUB && type != ZS_SOCKET_PUSH;
}

ZsHwmPolicy
zs_socket_type_hwm_policy (ZsSocketType type)
{
  switch (type)
    {
    case ZS_SOCKET_PUB:
    case ZS_SOCKET_XPUB:
      return ZS_HWM_DROPS;
    case ZS_SOCKET_ROUTER:
    case ZS_SOCKET_REP:
      return ZS_HWM_DROPS_UNROUTABLE;
    case ZS_SOCKET_SUB:
    case ZS_SOCKET_XSUB:
    case ZS_SOCKET_PULL:
      return ZS_HWM_RECEIVE_ONLY;
    case ZS_SOCKET_PAIR:
    case ZS_SOCKET_REQ:
    case ZS_SOCKET_DEALER:
    case ZS_SOCKET_PUSH:
    case ZS_SOCKET_N_TYPES:
    default:
      return ZS_HWM_BLOCKS;
    }
}

const char *
zs_socket_type_describe (ZsSocketType type)
{
  switch (type)
    {
    case ZS_SOCKET_PAIR:   return _("Exclusive pair: one peer, both directions, never reconnects");
    case ZS_SOCKET_PUB:    return _("Publisher: sends to every matching subscriber, drops at the HWM");
    case ZS_SOCKET_SUB:    return _("Subscriber: receives messages whose first frame starts with a filter");
    case ZS_SOCKET_REQ:    return _("Request: strict send, receive, send… with an empty delimiter frame");
    case ZS_SOCKET_REP:    return _("Reply: strict receive, send… answers whoever asked");
    case ZS_SOCKET_DEALER: return _("Dealer: asynchronous request, round-robin out, fair-queued in");
    case ZS_SOCKET_ROUTER: return _("Router: addresses peers by routing id, drops unroutable messages");
    case ZS_SOCKET_PULL:   return _("Pull: fair-queues messages from all pushers");
    case ZS_SOCKET_PUSH:   return _("Push: round-robins messages to pullers, blocks at the HWM");
    case ZS_SOCKET_XPUB:   return _("Extended publisher: sees subscriptions as messages");
    case ZS_SOCKET_XSUB:   return _("Extended subscriber: sends subscriptions as messages");
    case ZS_SOCKET_N_TYPES:
    default:
      return "";
    }
}
