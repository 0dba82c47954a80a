/* zs-link.h: a link, derived from a connect that reaches another node's bind
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "zs-endpoint.h"

G_BEGIN_DECLS

#define ZS_TYPE_LINK (zs_link_get_type ())

typedef struct {
  /* Indices into the topology's nodes and each node's sockets. */
  guint        connect_node;
  guint        connect_socket;
  guint        bind_node;
  guint        bind_socket;
  char        *connect_endpoint;   /* as the connecting socket wrote it */
  char        *bind_endpoint;      /* as the binding socket wrote it */
  ZsTransport  transport;
  /* Which way application messages travel (both for REQ/REP, DEALER/ROUTER, PAIR). */
  gboolean     to_bind;            /* connecting socket -> binding socket */
  gboolean     to_connect;         /* binding socket -> connecting socket */
} ZsLink;

GType    zs_link_get_type (void) G_GNUC_CONST;
ZsLink  *zs_link_copy     (const ZsLink *link);
void     zs_link_free     (ZsLink       *link);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsLink, zs_link_free)

G_END_DECLS
