/* zs-wire-source.h: ZeroMQ programs seen from the wire as a run session's source
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The third source (after the engine and recordings): a capture of other
 * programs' traffic (monitor/wire/), live from an interface or from a
 * pcap file. A thread reads packets into the wire; each snapshot builds
 * the topology seen so far and its figures. The topology grows as
 * programs connect: get_topology answers with the one of the latest
 * snapshot, and "topology-changed" says when it was replaced (new nodes,
 * sockets or links). A live capture is ZS_RUN_SOURCE_LIVE; a file is read
 * to its end and holds still. No controls: the programs are not ours to
 * pause. (Named ZsWireSource: ZsCaptureSource is the engine's message
 * capture record, zs-capture.h.) */
#pragma once

#include "zs-run-source.h"
#include "zs-wire-pcap.h"
#include "zs-wire-topology.h"

G_BEGIN_DECLS

#define ZS_TYPE_WIRE_SOURCE (zs_wire_source_get_type ())
G_DECLARE_FINAL_TYPE (ZsWireSource, zs_wire_source, ZS, WIRE_SOURCE, GObject)

/* `ports`: as zs_wire_set_ports (NULL: ZMTP found by its greeting).
 * Live: `interface` NULL for loopback; fails without CAP_NET_RAW, saying
 * the setcap command. */
ZsWireSource   *zs_wire_source_new_live      (const char    *interface,
                                              const char    *ports,
                                              GError       **error);
ZsWireSource   *zs_wire_source_new_file      (const char    *path,
                                              const char    *ports,
                                              GError       **error);
/* TRUE once a file was read to its end (or a live capture stopped). */
gboolean        zs_wire_source_is_finished   (ZsWireSource  *self);
/* The file ended in the middle of a packet, or the capture failed: why; NULL otherwise. */
const char     *zs_wire_source_get_problem   (ZsWireSource  *self);
/* What the latest snapshot was built from: the wire's own figures per
 * link (ZsWireLink), in the topology's link order. */
ZsWireTopology *zs_wire_source_get_wire_topology (ZsWireSource *self);

G_END_DECLS
