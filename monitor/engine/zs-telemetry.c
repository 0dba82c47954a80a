/* zs-telemetry.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-telemetry"

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "zs-latency.h"
#include "zs-telemetry.h"

/* Zeroed, on a cache line of its own. calloc hands out fresh pages of a
 * large block without writing them (they are zero already), so the
 * counters of thousands of nodes cost nothing until used; the block it
 * returned is kept just before the aligned pointer, for aligned_free. */
static gpointer
aligned_new0 (gsize n,
              gsize size)
{
  guint8 *raw = calloc (1, MAX (n, 1) * size + ZS_CACHELINE + sizeof (gpointer));
  guint8 *p;

  g_assert (raw != NULL);
  p = (guint8 *) (((guintptr) raw + sizeof (gpointer) + ZS_CACHELINE - 1) & ~(guintptr) (ZS_CACHELINE - 1));
  ((gpointer *) p)[-1] = raw;
  return p;
}

static void
aligned_free (gpointer p)
{
  if (p != NULL)
    free (((gpointer *) p)[-1]);
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
  aligned_free (self->nodes);
  aligned_free (self->sockets);
  aligned_free (self->links);
  aligned_free (self->flow_stamps);
  aligned_free (self->socket_stamps);
  aligned_free (self->latency);
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
