/* zs-wire-pcap.h: packets for a ZsWire, from a capture file or an interface
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Offline from a pcap or pcapng file (needs nothing), or live from an
 * interface with libpcap (default loopback, "any" allowed), which needs
 * the CAP_NET_RAW capability: without it the error says the exact setcap
 * command. */
#pragma once

#include "zs-wire.h"

G_BEGIN_DECLS

#define ZS_WIRE_ERROR (zs_wire_error_quark ())

typedef enum {
  ZS_WIRE_ERROR_OPEN,          /* no such file or interface, not a capture file */
  ZS_WIRE_ERROR_PERMISSION,    /* live capture without CAP_NET_RAW */
  ZS_WIRE_ERROR_TRUNCATED,     /* the file ends in the middle of a packet */
  ZS_WIRE_ERROR_READ,
} ZsWireError;

#define ZS_WIRE_DEFAULT_INTERFACE "lo"

typedef struct _ZsWireInput ZsWireInput;

GQuark        zs_wire_error_quark       (void);
ZsWireInput  *zs_wire_input_open_file   (ZsWire       *wire,
                                         const char   *path,
                                         GError      **error);
/* `interface`: NULL for loopback. The wire's ports become the filter. */
ZsWireInput  *zs_wire_input_open_live   (ZsWire       *wire,
                                         const char   *interface,
                                         GError      **error);
void          zs_wire_input_free        (ZsWireInput  *self);
/* Also writes every packet read to a pcap file: the capture saved, to be
 * read again later (closed with the input). */
gboolean      zs_wire_input_save_to     (ZsWireInput  *self,
                                         const char   *path,
                                         GError      **error);
gboolean      zs_wire_input_is_live     (ZsWireInput  *self);
/* Reads the packets there are (live: waiting at most timeout_ms for the
 * first) into the wire. Returns the packets read, 0 when none came (live)
 * or -1 at the end of a file; a file cut in a packet sets `error`
 * (ZS_WIRE_ERROR_TRUNCATED) and returns -1: what came before counts. */
int           zs_wire_input_read        (ZsWireInput  *self,
                                         int           timeout_ms,
                                         GError      **error);
/* Live: waits at most timeout_ms for packets to read; a file: returns at once. */
void          zs_wire_input_wait        (ZsWireInput  *self,
                                         int           timeout_ms);
/* Live: packets the kernel dropped before zmqscope read them. */
gboolean      zs_wire_input_get_drops   (ZsWireInput  *self,
                                         guint64      *received,
                                         guint64      *dropped);
/* Interfaces to capture on: loopback, "any", then the machine's own
 * (pcap_findalldevs), each once. */
GStrv         zs_wire_list_interfaces   (void);
/* The command that gives this program the capability to capture. */
char         *zs_wire_setcap_command    (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsWireInput, zs_wire_input_free)

G_END_DECLS
