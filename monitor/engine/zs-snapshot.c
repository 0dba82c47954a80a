/* zs-snapshot.c: consistent copies of a run's counters
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-snapshot"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-snapshot.h"

ZsSnapshot *
zs_snapshot_new (guint n_nodes,
                 guint n_links)
{
  ZsSnapshot *self = g_new0 (ZsSnapshot, 1);

  self->n_nodes = n_nodes;
  self->n_links = n_links;
  self->nodes = g_new0 (ZsNodeStats, MAX (n_nodes, 1));
  self->links = g_new0 (ZsLinkStats, MAX (n_links, 1));
  for (guint i = 0; i < n_nodes; i++)
    self->nodes[i].slow_factor = 1;
  return self;
}

static void
clear_node_texts (ZsSnapshot *self)
{
  for (guint i = 0; i < self->n_nodes; i++)
    {
      g_clear_pointer (&self->nodes[i].error, g_free);
      g_clear_pointer (&self->nodes[i].result, g_free);
    }
  g_clear_pointer (&self->stop_reason, g_free);
}

void
zs_snapshot_free (ZsSnapshot *self)
{
  if (self == NULL)
    return;
  clear_node_texts (self);
  g_free (self->nodes);
  g_free (self->links);
  g_free (self->sockets);
  g_free (self);
}

const char *
zs_node_state_to_string (ZsNodeState state)
{
  switch (state)
    {
    case ZS_NODE_STATE_IDLE:     return _("idle");
    case ZS_NODE_STATE_STARTING: return _("starting");
    case ZS_NODE_STATE_WAITING:  return _("waiting");
    case ZS_NODE_STATE_RUNNING:  return _("running");
    case ZS_NODE_STATE_BLOCKED:  return _("blocked");
    case ZS_NODE_STATE_PAUSED:   return _("paused");
    case ZS_NODE_STATE_DONE:     return _("done");
    case ZS_NODE_STATE_ERROR:    return _("error");
    case ZS_NODE_STATE_STOPPED:  return _("stopped");
    default:                     return "?";
    }
}

const char *
zs_link_state_to_string (ZsLinkState state)
{
  switch (state)
    {
    case ZS_LINK_STATE_IDLE:         return _("idle");
    case ZS_LINK_STATE_WAITING:      return _("waiting");
    case ZS_LINK_STATE_CONNECTED:    return _("connected");
    case ZS_LINK_STATE_DISCONNECTED: return _("disconnected");
    case ZS_LINK_STATE_CLOSED:       return _("closed");
    default:                         return "?";
    }
}

const char *
zs_link_event_to_string (ZsLinkEvent event)
{
  switch (event)
    {
    case ZS_LINK_EVENT_NONE:             return "";
    case ZS_LINK_EVENT_CONNECTED:        return _("connected");
    case ZS_LINK_EVENT_CONNECT_DELAYED:  return _("connect delayed");
    case ZS_LINK_EVENT_CONNECT_RETRIED:  return _("connect retried");
    case ZS_LINK_EVENT_ACCEPTED:         return _("accepted");
    case ZS_LINK_EVENT_DISCONNECTED:     return _("disconnected");
    case ZS_LINK_EVENT_HANDSHAKE_FAILED: return _("handshake failed");
    default:                             return "?";
    }
}

const char *
zs_node_fault_to_string (ZsNodeFault fault)
{
  switch (fault)
    {
    case ZS_NODE_FAULT_NONE:   return "";
    case ZS_NODE_FAULT_KILLED: return _("killed");
    case ZS_NODE_FAULT_PAUSED: return _("paused alone");
    case ZS_NODE_FAULT_SLOWED: return _("slowed down");
    default:                   return "?";
    }
}

static double
rate (guint64 before,
      guint64 after,
      gint64  dt_us)
{
  if (dt_us <= 0 || after < before)
    return 0;
  return (double) (after - before) * G_USEC_PER_SEC / (double) dt_us;
}

double
zs_snapshot_link_rate (const ZsSnapshot *before,
                       const ZsSnapshot *after,
                       guint             link)
{
  g_return_val_if_fail (before != NULL && after != NULL, 0);
  g_return_val_if_fail (link < before->n_links && link < after->n_links, 0);

  return rate (before->links[link].received, after->links[link].received,
               after->time_us - before->time_us);
}

double
zs_snapshot_node_rate (const ZsSnapshot *before,
                       const ZsSnapshot *after,
                       guint             node)
{
  g_return_val_if_fail (before != NULL && after != NULL, 0);
  g_return_val_if_fail (node < before->n_nodes && node < after->n_nodes, 0);

  return rate (before->nodes[node].sent + before->nodes[node].received,
               after->nodes[node].sent + after->nodes[node].received,
               after->time_us - before->time_us);
}
