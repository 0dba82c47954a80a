/* zs-wire-forge.h: TCP connections carrying ZMTP, forged packet by packet
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the wire tests, the fuzz target and the bench: Ethernet/IPv4/TCP
 * packets written to a pcap file (pcap_open_dead + pcap_dump) or handed
 * straight to a ZsWire. */
#pragma once

#include <glib.h>

#include "zs-wire.h"

G_BEGIN_DECLS

typedef struct _ZsForge ZsForge;

typedef struct {
  ZsForge *forge;
  guint32  addr[2];     /* host order: client, server */
  guint16  port[2];
  guint32  seq[2];      /* next sequence number each side sends */
} ZsForgeConn;

/* To a pcap file (DLT_EN10MB), or (path NULL) into `wire`. */
ZsForge    *zs_forge_new         (const char   *path,
                                  ZsWire       *wire);
void        zs_forge_free        (ZsForge      *forge);
/* SYN, SYN-ACK, ACK (handshake FALSE: nothing is written, the connection
 * is joined in its middle). */
void        zs_forge_connect     (ZsForge      *forge,
                                  ZsForgeConn  *conn,
                                  guint32       client_addr,
                                  guint16       client_port,
                                  guint32       server_addr,
                                  guint16       server_port,
                                  gboolean      handshake);
/* One segment from side `dir` (0 client, 1 server), at its next sequence. */
void        zs_forge_send        (ZsForgeConn  *conn,
                                  guint         dir,
                                  const void   *data,
                                  gsize         len);
/* One segment at `offset` bytes past the side's next sequence, which does
 * not move (out of order, retransmissions). */
void        zs_forge_send_at     (ZsForgeConn  *conn,
                                  guint         dir,
                                  gint64        offset,
                                  const void   *data,
                                  gsize         len);
void        zs_forge_advance     (ZsForgeConn  *conn,
                                  guint         dir,
                                  gsize         len);
/* FIN from both sides. */
void        zs_forge_close       (ZsForgeConn  *conn);

/* ZMTP bytes, appended to `out`. */
void        zs_forge_greeting    (GByteArray   *out,
                                  guint         minor,
                                  const char   *mechanism,
                                  gboolean      as_server);
void        zs_forge_frame       (GByteArray   *out,
                                  guint8        flags,
                                  const void   *data,
                                  guint64       len);
/* A command frame: name, then body. */
void        zs_forge_command     (GByteArray   *out,
                                  const char   *name,
                                  const void   *body,
                                  gsize         len);
/* READY with Socket-Type and, unless NULL, Identity. */
void        zs_forge_ready       (GByteArray   *out,
                                  const char   *socket_type,
                                  const char   *identity);

G_END_DECLS
