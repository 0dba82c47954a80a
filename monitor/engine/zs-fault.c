/* zs-fault.c: the faults a run's nodes and links were asked to take
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-fault"

#include "config.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include "zs-fault.h"

ZsFaults *
zs_faults_new (guint n_nodes,
               guint n_links)
{
  ZsFaults *self = g_new0 (ZsFaults, 1);

  self->n_nodes = n_nodes;
  self->n_links = n_links;
  self->nodes = g_new0 (ZsNodeFaults, MAX (n_nodes, 1));
  self->links = g_new0 (ZsLinkFaults, MAX (n_links, 1));
  for (guint n = 0; n < n_nodes; n++)
    {
      self->nodes[n].fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
      atomic_store (&self->nodes[n].slow, ZS_FAULT_SLOW_ONE);
    }
  return self;
}

void
zs_faults_free (ZsFaults *self)
{
  if (self == NULL)
    return;
  for (guint n = 0; n < self->n_nodes; n++)
    if (self->nodes[n].fd >= 0)
      close (self->nodes[n].fd);
  g_free (self->nodes);
  g_free (self->links);
  g_free (self);
}

void
zs_faults_poke (ZsFaults *self,
                guint     node)
{
  if (self->nodes[node].fd >= 0)
    eventfd_write (self->nodes[node].fd, 1);
}

void
zs_faults_take_poke (ZsFaults *self,
                     guint     node)
{
  eventfd_t ignored;

  if (self->nodes[node].fd >= 0)
    eventfd_read (self->nodes[node].fd, &ignored);
}

guint
zs_faults_slowed_ms (ZsFaults *self,
                     guint     node,
                     guint     ms)
{
  guint64 slowed = (guint64) ms * atomic_load (&self->nodes[node].slow) / ZS_FAULT_SLOW_ONE;

  return (guint) MIN (slowed, G_MAXUINT);
}
