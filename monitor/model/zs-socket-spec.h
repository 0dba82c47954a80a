/* zs-socket-spec.h: one socket of a node, as the user specified it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "zs-socket-type.h"

G_BEGIN_DECLS

#define ZS_DEFAULT_HWM 1000

#define ZS_TYPE_SOCKET_SPEC (zs_socket_spec_get_type ())
G_DECLARE_FINAL_TYPE (ZsSocketSpec, zs_socket_spec, ZS, SOCKET_SPEC, GObject)

/* Properties (all read-write, notify on change):
 *   "name"        string   e.g. "frontend"; unique within its node
 *   "socket-type" ZsSocketType
 *   "binds"       GStrv    endpoints this socket binds, in order
 *   "connects"    GStrv    endpoints this socket connects to, in order
 *   "sndhwm"      int      ZMQ_SNDHWM, 0 = unlimited (default 1000)
 *   "rcvhwm"      int      ZMQ_RCVHWM, 0 = unlimited (default 1000)
 *   "subscribe"   GStrv    ZMQ_SUBSCRIBE prefixes (SUB/XSUB); "" = everything
 *   "routing-id"  string   ZMQ_ROUTING_ID, NULL = let the engine name it
 *   "linger"      int      ZMQ_LINGER in ms (default 0)
 *   "bind-first"  boolean  do the binds before the connects (default TRUE)
 */
ZsSocketSpec        *zs_socket_spec_new              (const char         *name,
                                                      ZsSocketType        type);
ZsSocketSpec        *zs_socket_spec_copy             (ZsSocketSpec       *self);
const char          *zs_socket_spec_get_name         (ZsSocketSpec       *self);
void                 zs_socket_spec_set_name         (ZsSocketSpec       *self,
                                                      const char         *name);
ZsSocketType         zs_socket_spec_get_socket_type  (ZsSocketSpec       *self);
void                 zs_socket_spec_set_socket_type  (ZsSocketSpec       *self,
                                                      ZsSocketType        type);
const char * const  *zs_socket_spec_get_binds        (ZsSocketSpec       *self);
void                 zs_socket_spec_set_binds        (ZsSocketSpec       *self,
                                                      const char * const *binds);
const char * const  *zs_socket_spec_get_connects     (ZsSocketSpec       *self);
void                 zs_socket_spec_set_connects     (ZsSocketSpec       *self,
                                                      const char * const *connects);
int                  zs_socket_spec_get_sndhwm       (ZsSocketSpec       *self);
void                 zs_socket_spec_set_sndhwm       (ZsSocketSpec       *self,
                                                      int                 hwm);
int                  zs_socket_spec_get_rcvhwm       (ZsSocketSpec       *self);
void                 zs_socket_spec_set_rcvhwm       (ZsSocketSpec       *self,
                                                      int                 hwm);
const char * const  *zs_socket_spec_get_subscribe    (ZsSocketSpec       *self);
void                 zs_socket_spec_set_subscribe    (ZsSocketSpec       *self,
                                                      const char * const *filters);
const char          *zs_socket_spec_get_routing_id   (ZsSocketSpec       *self);
void                 zs_socket_spec_set_routing_id   (ZsSocketSpec       *self,
                                                      const char         *routing_id);
int                  zs_socket_spec_get_linger       (ZsSocketSpec       *self);
void                 zs_socket_spec_set_linger       (ZsSocketSpec       *self,
                                                      int                 linger_ms);
gboolean             zs_socket_spec_get_bind_first   (ZsSocketSpec       *self);
void                 zs_socket_spec_set_bind_first   (ZsSocketSpec       *self,
                                                      gboolean            bind_first);
/* TRUE when a message whose first frame is `frame` passes this socket's
 * SUBSCRIBE prefixes (always TRUE for non-SUB sockets). */
gboolean             zs_socket_spec_accepts          (ZsSocketSpec       *self,
                                                      const void         *frame,
                                                      gsize               size);

G_END_DECLS
