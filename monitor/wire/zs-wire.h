/* zs-wire.h: ZeroMQ connections found in captured packets
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ZsWire takes link-layer packets (as libpcap gives them, or forged by a
 * test), follows every TCP connection on the watched ports, or every one
 * whose start it sees when it auto-detects ZMTP by its greeting, puts
 * each direction back in order (zs-tcp-stream.h) and decodes it
 * (zs-zmtp.h). It never reads a file or a device itself: zs-wire-pcap.h
 * does, and zs-wire-topology.h turns the connections into a topology. */
#pragma once

#include <glib.h>
#include <sys/socket.h>

#include "zs-tcp-stream.h"
#include "zs-zmtp.h"

G_BEGIN_DECLS

/* Connections followed at once, and kept in all (closed ones hold their
 * figures, about 8 KiB each); beyond either, new ones are counted, not
 * followed (zs_wire_get_n_overflow). */
#define ZS_WIRE_MAX_CONNECTIONS 4096
#define ZS_WIRE_MAX_KEPT 16384

typedef struct {
  int      family;       /* AF_INET or AF_INET6 */
  guint8   addr[16];     /* network order; IPv4 in the first 4 bytes */
  guint16  port;
} ZsWireAddress;

typedef struct {
  guint    pid;          /* 0: not known */
  char    *command;      /* its command line, or NULL */
} ZsWireProcess;

typedef struct _ZsWire ZsWire;
typedef struct _ZsWireConnection ZsWireConnection;

typedef struct {
  ZsTcpStream     stream;
  ZsZmtpDecoder  *zmtp;
  ZsWire         *wire;          /* the owners, for the message func */
  ZsWireConnection *connection;
  guint           index;         /* 0: client -> server */
  guint32         highest_end;   /* highest sequence number sent + 1 */
  guint32         acked;         /* highest acknowledgement the other side sent */
  gboolean        seen_ack;
  gboolean        fin;
} ZsWireDirection;

/* One TCP connection. dir[0] is what the client (the side that sent the
 * SYN: the ZeroMQ socket that connects) sent, dir[1] what the server (the
 * socket that binds) sent. */
struct _ZsWireConnection {
  guint            id;           /* order of first sight, from 0 */
  ZsWireAddress    client;
  ZsWireAddress    server;
  gboolean         saw_syn;      /* client and server known for sure */
  guint32          isn;          /* the client's SYN sequence number, when saw_syn */
  gboolean         closed;       /* FIN both ways, or RST */
  gboolean         reset;
  gint64           first_us;
  gint64           last_us;
  gint64           closed_us;
  ZsWireDirection  dir[2];
  ZsWireProcess    process[2];   /* client, server, when zs_wire_set_resolve_processes */
  gboolean         resolved;
};

/* A complete message on a connection: its first frames' kept bytes
 * (borrowed), as zs-zmtp.h's message func gives them. */
typedef void (*ZsWireMessageFunc) (gpointer                user_data,
                                   const ZsWireConnection *connection,
                                   guint                   dir,
                                   gint64                  time_us,
                                   guint                   n_frames,
                                   const guint8          **data,
                                   const gsize            *kept,
                                   const guint64          *sizes);

ZsWire       *zs_wire_new                 (void);
void          zs_wire_free                (ZsWire       *self);
/* "5555", "5555,5560-5570": connections from or to these ports are
 * decoded, also those joined in their middle. NULL or "": auto-detect
 * (connections whose SYN is seen and whose greeting is ZMTP 3). */
gboolean      zs_wire_set_ports           (ZsWire       *self,
                                           const char   *ports,
                                           GError      **error);
gboolean      zs_wire_get_auto_detect     (ZsWire       *self);
/* Connections from or to `port` are never followed, watched or not: the
 * capture helper's own stream. */
void          zs_wire_ignore_port         (ZsWire       *self,
                                           guint16       port);
/* The ports as a BPF filter expression ("tcp and (port 5555 or …)"). */
char         *zs_wire_get_filter          (ZsWire       *self);
/* Called for every complete message, from zs_wire_add_packet, on the
 * connections first seen after it is set (set it before any packet). */
void          zs_wire_set_message_func    (ZsWire            *self,
                                           ZsWireMessageFunc  func,
                                           gpointer           user_data);
/* Live captures: look up which process holds each end in /proc. */
void          zs_wire_set_resolve_processes (ZsWire     *self,
                                             gboolean    resolve);
/* One packet: `data` holds `caplen` of its `len` bytes, from the link
 * layer `dlt` (DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_NULL,
 * DLT_LOOP, DLT_RAW, DLT_IPV4, DLT_IPV6). Others are counted and skipped. */
void          zs_wire_add_packet          (ZsWire       *self,
                                           int           dlt,
                                           gint64        time_us,
                                           const guint8 *data,
                                           gsize         caplen,
                                           gsize         len);
/* The input ended (the file, or the live capture for now): bytes still
 * held behind a hole are decoded after a gap, unfinished frames said so. */
void          zs_wire_finish              (ZsWire       *self);
/* Every ZMTP connection seen (or, on watched ports, every connection),
 * in order of first sight: ZsWireConnection, owned by the wire. */
GPtrArray    *zs_wire_get_connections     (ZsWire       *self);
/* Connections still open (no FIN both ways, no RST). */
guint         zs_wire_get_n_open          (ZsWire       *self);
guint64       zs_wire_get_n_packets       (ZsWire       *self);
/* Packets of a link layer it cannot read, truncated below the TCP header,
 * IP fragments: counted, not decoded. */
guint64       zs_wire_get_n_skipped       (ZsWire       *self);
/* Connections not followed past ZS_WIRE_MAX_CONNECTIONS. */
guint64       zs_wire_get_n_overflow      (ZsWire       *self);

/* "127.0.0.1:5555", "[::1]:5555". */
char         *zs_wire_address_to_string   (const ZsWireAddress *address);
/* "tcp://127.0.0.1:5555", "tcp://[::1]:5555". */
char         *zs_wire_address_to_endpoint (const ZsWireAddress *address);
/* Joined mid-stream: the start of the connection was not seen. */
gboolean      zs_wire_connection_is_midstream (const ZsWireConnection *connection);
/* TRUE when either direction is ZMTP 3 (a greeting, or a frame boundary). */
gboolean      zs_wire_connection_is_zmtp  (const ZsWireConnection *connection);
/* Bytes sent but not yet acknowledged, in one direction. */
guint64       zs_wire_connection_in_flight (const ZsWireConnection *connection,
                                            guint                   dir);

G_END_DECLS
