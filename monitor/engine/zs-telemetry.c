/* zs-telemetry.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-telemetry"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "zs-latency.h"
#include "zs-telemetry.h"

static gpointer
aligned_new0 (gsize n,
              gsize size)
{
  gsize bytes = MAX (n, 1) * size;
  gpointer p;

  bytes = (bytes + ZS_CACHELINE - 1) / ZS_CACHELINE * ZS_CACHELINE;
  p = aligned_alloc (ZS_CACHELINE, bytes);
  g_assert (p != NULL);
  memset (p, 0, bytes);
  return p;
}

ZsTelemetry *
zs_telemetry_new (guint n_nodes,
                  guint n_sockets,
                  guint n_links)
{
  ZsTelemetry *self = g_new0 (ZsTelemetry, 1);

  self->n_nodes = n_nodes;
  self->n_sockets = n_sockets;
  self->n_links = n_links;
  self->nodes = aligned_new0 (n_nodes, sizeof (ZsNodeCounters));
  self->sockets = aligned_new0 (n_sockets, sizeof (ZsSocketCounters));
  self->links = aligned_new0 (n_links, sizeof (ZsLinkCounters));
  self->flow_stamps = aligned_new0 (n_links * 2, sizeof (ZsLatencyStamps));
  self->socket_stamps = aligned_new0 (n_sockets, sizeof (ZsLatencyStamps));
  self->latency = aligned_new0 (n_links * 2, sizeof (ZsLatencyHistogram));
  return self;
}

void
zs_telemetry_free (ZsTelemetry *self)
{
  if (self == NULL)
    return;
  for (guint i = 0; i < self->n_nodes; i++)
    {
      g_free (atomic_load (&self->nodes[i].error));
      g_free (atomic_load (&self->nodes[i].result));
    }
  free (self->nodes);
  free (self->sockets);
  free (self->links);
  free (self->flow_stamps);
  free (self->socket_stamps);
  free (self->latency);
  g_free (self);
}

void
zs_telemetry_set_text (_Atomic (char *) *slot,
                       char             *text)
{
  char *expected = NULL;

  if (!atomic_compare_exchange_strong (slot, &expected, text))
    g_free (text);
}
