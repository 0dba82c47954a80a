/* zs-live-edit.c: what a run was asked to change live, and what a document asks of it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-live-edit"

#include "config.h"

#include "zs-live-edit.h"

typedef struct {
  gboolean     flipped;
  ZsTransport  transport;
} AskedLink;

struct _ZsLiveEdit {
  ZsTopology *frozen;
  GArray     *links;     /* AskedLink, per frozen link */
  GArray     *hwms;      /* int: per frozen socket, nodes in order, its SNDHWM then RCVHWM */
  GArray     *first;     /* guint: each frozen node's first socket in `hwms` */
};

ZsLiveEdit *
zs_live_edit_new (ZsTopology *frozen)
{
  ZsLiveEdit *self = g_new0 (ZsLiveEdit, 1);
  GPtrArray *links = zs_topology_get_links (frozen);

  self->frozen = g_object_ref (frozen);
  self->links = g_array_new (FALSE, TRUE, sizeof (AskedLink));
  self->hwms = g_array_new (FALSE, TRUE, sizeof (int));
  self->first = g_array_new (FALSE, TRUE, sizeof (guint));
  for (guint l = 0; l < links->len; l++)
    {
      AskedLink a = { FALSE, ((ZsLink *) g_ptr_array_index (links, l))->transport };
      g_array_append_val (self->links, a);
    }
  for (guint n = 0; n < zs_topology_get_n_nodes (frozen); n++)
    {
      ZsNode *node = zs_topology_get_node (frozen, n);

      guint first = self->hwms->len / 2;

      g_array_append_val (self->first, first);
      for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
        {
          ZsSocketSpec *spec = zs_node_get_socket (node, s);
          int hwm[2] = { zs_socket_spec_get_sndhwm (spec), zs_socket_spec_get_rcvhwm (spec) };

          g_array_append_vals (self->hwms, hwm, 2);
        }
    }
  return self;
}

void
zs_live_edit_free (ZsLiveEdit *self)
{
  if (self == NULL)
    return;
  g_object_unref (self->frozen);
  g_array_unref (self->links);
  g_array_unref (self->hwms);
  g_array_unref (self->first);
  g_free (self);
}

static int *
asked_hwm (ZsLiveEdit *self,
           guint       node,
           guint       socket)
{
  return &g_array_index (self->hwms, int, 2 * (g_array_index (self->first, guint, node) + socket));
}

void
zs_live_edit_note (ZsLiveEdit        *self,
                   const ZsFaultStep *step)
{
  g_return_if_fail (self != NULL && step != NULL);

  if ((step->kind == ZS_FAULT_FLIP || step->kind == ZS_FAULT_TRANSPORT) && step->target < self->links->len)
    {
      AskedLink *a = &g_array_index (self->links, AskedLink, step->target);

      if (step->kind == ZS_FAULT_FLIP)
        a->flipped = !a->flipped;
      else
        a->transport = (ZsTransport) step->value;
    }
  else if (step->kind == ZS_FAULT_HWM && step->target < self->first->len)
    asked_hwm (self, step->target, step->socket)[step->send ? 0 : 1] = step->value;
}

/* The document's socket that is `frozen`'s node `node`, socket `socket`. */
static ZsSocketSpec *
same_socket (ZsTopology *frozen,
             ZsTopology *document,
             guint       node,
             guint       socket,
             int        *doc_node,
             int        *doc_socket)
{
  ZsNode *fn = zs_topology_get_node (frozen, node);
  ZsNode *dn = zs_topology_find_node (document, zs_node_get_name (fn));

  *doc_node = dn != NULL ? zs_topology_find_node_index (document, dn) : -1;
  *doc_socket = dn != NULL ? zs_node_find_socket_index (dn, zs_socket_spec_get_name (zs_node_get_socket (fn, socket)))
                           : -1;
  return *doc_socket >= 0 ? zs_node_get_socket (dn, (guint) *doc_socket) : NULL;
}

int
zs_live_edit_find_link (ZsTopology *frozen,
                        ZsTopology *document,
                        guint       link,
                        gboolean   *reversed)
{
  GPtrArray *doc_links = zs_topology_get_links (document);
  GPtrArray *run_links = zs_topology_get_links (frozen);
  const ZsLink *d;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (frozen) && ZS_IS_TOPOLOGY (document), -1);

  *reversed = FALSE;
  if (link >= doc_links->len)
    return -1;
  d = g_ptr_array_index (doc_links, link);
  for (guint l = 0; l < run_links->len; l++)
    {
      const ZsLink *r = g_ptr_array_index (run_links, l);
      int cn, cs, bn, bs;

      same_socket (frozen, document, r->connect_node, r->connect_socket, &cn, &cs);
      same_socket (frozen, document, r->bind_node, r->bind_socket, &bn, &bs);
      if (cs < 0 || bs < 0)
        continue;
      if ((guint) cn == d->connect_node && (guint) cs == d->connect_socket
          && (guint) bn == d->bind_node && (guint) bs == d->bind_socket)
        return (int) l;
      if ((guint) bn == d->connect_node && (guint) bs == d->connect_socket
          && (guint) cn == d->bind_node && (guint) cs == d->bind_socket)
        {
          *reversed = TRUE;
          return (int) l;
        }
    }
  return -1;
}

static void
add_step (GArray      *steps,
          ZsFaultKind  kind,
          guint        target,
          guint        socket,
          gboolean     send,
          int          value)
{
  ZsFaultStep step = { .kind = kind, .target = target, .socket = socket, .send = send, .value = value };

  g_array_append_val (steps, step);
}

GArray *
zs_live_edit_diff (ZsLiveEdit *self,
                   ZsTopology *document)
{
  GArray *steps = g_array_new (FALSE, TRUE, sizeof (ZsFaultStep));
  GPtrArray *doc_links;

  g_return_val_if_fail (self != NULL && ZS_IS_TOPOLOGY (document), steps);

  doc_links = zs_topology_get_links (document);
  for (guint i = 0; i < doc_links->len; i++)
    {
      const ZsLink *d = g_ptr_array_index (doc_links, i);
      gboolean reversed;
      int l = zs_live_edit_find_link (self->frozen, document, i, &reversed);
      AskedLink *a;

      if (l < 0)
        continue;
      a = &g_array_index (self->links, AskedLink, l);
      if (reversed != a->flipped)
        add_step (steps, ZS_FAULT_FLIP, (guint) l, 0, FALSE, 0);
      if (d->transport != a->transport)
        add_step (steps, ZS_FAULT_TRANSPORT, (guint) l, 0, FALSE, (int) d->transport);
    }
  for (guint n = 0; n < self->first->len; n++)
    for (guint s = 0; s < zs_node_get_n_sockets (zs_topology_get_node (self->frozen, n)); s++)
      {
        int dn, ds;
        ZsSocketSpec *spec = same_socket (self->frozen, document, n, s, &dn, &ds);
        int *asked = asked_hwm (self, n, s);

        if (spec != NULL && zs_socket_spec_get_sndhwm (spec) != asked[0])
          add_step (steps, ZS_FAULT_HWM, n, s, TRUE, zs_socket_spec_get_sndhwm (spec));
        if (spec != NULL && zs_socket_spec_get_rcvhwm (spec) != asked[1])
          add_step (steps, ZS_FAULT_HWM, n, s, FALSE, zs_socket_spec_get_rcvhwm (spec));
      }
  return steps;
}
