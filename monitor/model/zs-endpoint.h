/* zs-endpoint.h: parsing and matching ZeroMQ endpoints
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZS_ENDPOINT_ERROR (zs_endpoint_error_quark ())

typedef enum {
  ZS_ENDPOINT_ERROR_SYNTAX,
  ZS_ENDPOINT_ERROR_UNAVAILABLE,
} ZsEndpointError;

typedef enum {
  ZS_TRANSPORT_INPROC,
  ZS_TRANSPORT_IPC,
  ZS_TRANSPORT_TCP,
  ZS_TRANSPORT_PGM,
  ZS_TRANSPORT_EPGM,
} ZsTransport;

/* A parsed endpoint. For tcp, host is "*" for a wildcard bind and port is
 * 0 for "*" (an ephemeral port, bind only). For inproc and ipc, host holds
 * the name or path and port is -1. */
typedef struct {
  ZsTransport  transport;
  char        *host;
  int          port;
} ZsEndpoint;

GQuark       zs_endpoint_error_quark   (void);
/* Checks syntax only; for_bind allows "*" host and port on tcp. */
gboolean     zs_endpoint_parse         (const char  *text,
                                        gboolean     for_bind,
                                        ZsEndpoint  *out,
                                        GError     **error);
void         zs_endpoint_clear         (ZsEndpoint  *endpoint);
/* TRUE when a connect to `connect` reaches a socket bound on `bind`:
 * same transport and name; for tcp, same port and a bind host of "*",
 * "0.0.0.0" or the connect host, with localhost and 127.0.0.1 equal. */
gboolean     zs_endpoint_matches       (const char  *bind,
                                        const char  *connect);
/* TRUE when two binds would fight over one address: same transport and
 * name; for tcp, same port and hosts equal or either a wildcard. */
gboolean     zs_endpoint_binds_overlap (const char  *a,
                                        const char  *b);
/* TRUE for a tcp bind on every interface ("*", "0.0.0.0", "::"): anyone
 * who can reach the machine can connect. `port` gets its port (0 for "*"). */
gboolean     zs_endpoint_binds_every_interface (const char *bind,
                                                int        *port);
/* FALSE, with a message, for a tcp bind libzmq would refuse on this
 * machine: a host name, or an address or interface name it does not have.
 * "*", 0.0.0.0, the loopback addresses, interface names and the
 * interfaces' addresses are fine; other transports always are. */
gboolean     zs_endpoint_check_bind_host (const char  *bind,
                                          GError     **error);
/* Binds by address, so that finding what a connect reaches, or what a
 * new bind overlaps, compares only endpoints on the same address (tcp:
 * the same port) instead of every pair: a topology of thousands of
 * nodes validates and derives its links in linear time. */
typedef struct _ZsEndpointIndex ZsEndpointIndex;

ZsEndpointIndex *zs_endpoint_index_new   (void);
void         zs_endpoint_index_free      (ZsEndpointIndex *index);
/* Adds a bind (ignored when it does not parse); `data` is the caller's. */
void         zs_endpoint_index_add_bind  (ZsEndpointIndex *index,
                                          const char      *bind,
                                          gpointer         data);
/* The data of every bind added that `connect` reaches
 * (zs_endpoint_matches), in the order added; NULL when none. Owned by
 * the caller. */
GPtrArray   *zs_endpoint_index_match     (ZsEndpointIndex *index,
                                          const char      *connect);
/* The data of the first bind added that `bind` overlaps
 * (zs_endpoint_binds_overlap), or NULL. */
gpointer     zs_endpoint_index_find_overlap (ZsEndpointIndex *index,
                                             const char      *bind);
/* How many pairs of endpoints were compared since the program started
 * (tests: linear, not quadratic). */
guint64      zs_endpoint_get_n_compared  (void);

const char  *zs_transport_to_string    (ZsTransport  transport);
/* FALSE, with the reason, for transports this libzmq was built without
 * (pgm/epgm on Debian's build). */
gboolean     zs_transport_available    (ZsTransport  transport,
                                        const char **why_not);

G_END_DECLS
