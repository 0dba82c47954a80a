/* zs-fault.c: the faults a run's nodes and links were asked to take
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-fault"

#include "config.h"

#include <stdio.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "zs-fault.h"

static void
live_connect_free (gpointer data)
{
  ZsLiveConnect *c = data;

  g_free (c->endpoint);
  g_free (c);
}

ZsFaults *
zs_faults_new (guint n_nodes,
               guint n_sockets,
               guint n_links)
{
  ZsFaults *self = g_new0 (ZsFaults, 1);

  self->n_nodes = n_nodes;
  self->n_links = n_links;
  self->n_sockets = n_sockets;
  self->nodes = g_new0 (ZsNodeFaults, MAX (n_nodes, 1));
  self->links = g_new0 (ZsLinkFaults, MAX (n_links, 1));
  self->sockets = g_new0 (ZsSocketFaults, MAX (n_sockets, 1));
  g_mutex_init (&self->live_lock);
  for (guint l = 0; l < n_links; l++)
    self->links[l].live.connects = g_ptr_array_new_with_free_func (live_connect_free);
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
  for (guint l = 0; l < self->n_links; l++)
    {
      ZsLinkLive *live = &self->links[l].live;

      g_free (live->bind_endpoint);
      g_free (live->connect_endpoint);
      g_free (live->held[0]);
      g_free (live->held[1]);
      g_ptr_array_unref (live->connects);
    }
  g_mutex_clear (&self->live_lock);
  g_free (self->nodes);
  g_free (self->links);
  g_free (self->sockets);
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

void
zs_faults_ask_node (ZsFaults *self,
                    guint     node)
{
  atomic_fetch_add (&self->nodes[node].link_requests, 1);
  zs_faults_poke (self, node);
}

int
zs_faults_find_live_connect (ZsFaults   *self,
                             guint       socket,
                             const char *address,
                             gboolean   *current)
{
  int found = -1;

  g_mutex_lock (&self->live_lock);
  for (guint l = 0; l < self->n_links && found < 0; l++)
    {
      ZsLinkLive *live = &self->links[l].live;

      for (guint i = 0; i < live->connects->len; i++)
        {
          ZsLiveConnect *c = g_ptr_array_index (live->connects, i);

          if (c->socket == socket && g_strcmp0 (c->endpoint, address) == 0)
            {
              found = (int) l;
              *current = i + 1 == live->connects->len;
              break;
            }
        }
    }
  g_mutex_unlock (&self->live_lock);
  return found;
}

ZsTransport
zs_faults_link_transport (ZsFaults    *self,
                          guint        link,
                          ZsTransport  planned)
{
  ZsTransport transport;

  g_mutex_lock (&self->live_lock);
  transport = self->links[link].live.gen > 0 ? self->links[link].live.transport : planned;
  g_mutex_unlock (&self->live_lock);
  return transport;
}

gboolean
zs_faults_link_changed (ZsFaults *self,
                        guint     link)
{
  gboolean changed;

  g_mutex_lock (&self->live_lock);
  changed = self->links[link].live.gen > 0;
  g_mutex_unlock (&self->live_lock);
  return changed;
}

/* Under live_lock: a fresh endpoint for the link's next connection, one
 * no old pipe can reach (tcp: the binding end lets the kernel pick the
 * port and tells it). */
static void
pick_endpoints (ZsFaults *self,
                guint     link,
                guint64   tag)
{
  ZsLinkLive *live = &self->links[link].live;

  g_clear_pointer (&live->bind_endpoint, g_free);
  g_clear_pointer (&live->connect_endpoint, g_free);
  if (live->transport == ZS_TRANSPORT_TCP)
    {
      live->bind_endpoint = g_strdup ("tcp://127.0.0.1:*");
      return;
    }
  if (live->transport == ZS_TRANSPORT_IPC)
    live->bind_endpoint = g_strdup_printf ("ipc://%s/zmqscope-live-%d-%06x-%u-%u", g_get_tmp_dir (), (int) getpid (),
                                           (guint) (tag & 0xffffff), link, live->gen);
  else
    live->bind_endpoint = g_strdup_printf ("inproc://zs-live-%u-%u", link, live->gen);
  live->connect_endpoint = g_strdup (live->bind_endpoint);
}

void
zs_faults_change_link (ZsFaults    *self,
                       guint        link,
                       gboolean     flip,
                       int          transport,
                       guint64      tag)
{
  ZsLinkLive *live = &self->links[link].live;

  g_mutex_lock (&self->live_lock);
  live->gen++;
  if (flip)
    live->flipped = !live->flipped;
  if (transport >= 0)
    live->transport = (ZsTransport) transport;
  pick_endpoints (self, link, tag);
  g_mutex_unlock (&self->live_lock);
  zs_faults_ask_node (self, live->node[0]);
  if (live->node[1] != live->node[0])
    zs_faults_ask_node (self, live->node[1]);
}

void
zs_faults_read_live (ZsFaults    *self,
                     guint        link,
                     ZsTransport  planned,
                     ZsLinkStats *out)
{
  ZsLinkLive *live = &self->links[link].live;

  g_mutex_lock (&self->live_lock);
  out->changes = live->gen;
  out->changing = live->done_gen[0] != live->gen || live->done_gen[1] != live->gen;
  out->flipped = live->flipped;
  out->transport = live->gen > 0 ? live->transport : planned;
  g_mutex_unlock (&self->live_lock);
}
