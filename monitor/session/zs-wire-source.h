/* zs-wire-source.h: ZeroMQ programs seen from the wire as a run session's source
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The third source (after the engine and recordings): a capture of other
 * programs' traffic, decoded by capture helpers (zmqscope-capture, which
 * alone opens an interface) and streamed over ZeroMQ in the capture
 * stream format (zs-wire-stream.h, docs/capture-stream.md). One path for
 * everything: a live interface or a pcap file starts a helper of our own
 * (ipc, in its private directory); helpers on other machines are reached
 * over tcp, CURVE-encrypted, their public keys pinned. What the helpers
 * see is merged into one topology (the same TCP connection seen from both
 * ends is one link). A thread reads the streams; each snapshot builds the
 * topology seen so far and its figures. The topology grows as programs
 * connect: get_topology answers with the one of the latest snapshot, and
 * "topology-changed" says when it was replaced (new nodes, sockets or
 * links). Live and remote captures are ZS_RUN_SOURCE_LIVE; a file is read
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

/* The helper this program starts: $ZMQSCOPE_CAPTURE_HELPER, else
 * zmqscope-capture next to the running program (or in the build tree);
 * NULL when there is none. */
char           *zs_wire_source_find_helper   (void);

/* `ports`: as zs_wire_set_ports (NULL: ZMTP found by its greeting).
 * Live: `interface` NULL for loopback; starts a helper, and fails as it
 * does: without CAP_NET_RAW, ZS_WIRE_ERROR_PERMISSION with the setcap
 * command for the helper's path. */
ZsWireSource   *zs_wire_source_new_live      (const char    *interface,
                                              const char    *ports,
                                              GError       **error);
ZsWireSource   *zs_wire_source_new_file      (const char    *path,
                                              const char    *ports,
                                              GError       **error);
/* Either: `file` NULL, live on `interface`; `save` (or NULL) a pcap file
 * the helper also writes every packet to. */
ZsWireSource   *zs_wire_source_new_local     (const char    *interface,
                                              const char    *file,
                                              const char    *ports,
                                              const char    *save,
                                              GError       **error);
/* Helpers already serving: `endpoints` (tcp://HOST:PORT, ipc://PATH) and,
 * `server_keys` NULL or as long, each its public key (Z85, 40 characters,
 * or "" for none; needed over tcp, where only a helper holding that key is
 * heard). */
ZsWireSource   *zs_wire_source_new_remote    (const char * const *endpoints,
                                              const char * const *server_keys,
                                              GError       **error);
/* TRUE once a file was read to its end (or the capture stopped). */
gboolean        zs_wire_source_is_finished   (ZsWireSource  *self);
/* The file ended in the middle of a packet, or the capture failed: why; NULL otherwise. */
const char     *zs_wire_source_get_problem   (ZsWireSource  *self);
/* What the latest snapshot was built from: the wire's own figures per
 * link (ZsWireLink), in the topology's link order. */
ZsWireTopology *zs_wire_source_get_wire_topology (ZsWireSource *self);
/* The helpers streamed from, and whether each has answered yet (one that
 * never does: gone, or not the key pinned). */
guint           zs_wire_source_get_n_helpers (ZsWireSource  *self);
const char     *zs_wire_source_get_helper_endpoint (ZsWireSource *self,
                                                    guint         index);
gboolean        zs_wire_source_helper_answered (ZsWireSource *self,
                                                guint         index);
/* A CURVE key pair kept in `path` (the public key, then the secret key,
 * Z85, one a line, readable by its owner only), made there the first
 * time; `path` NULL: a new pair, kept nowhere. */
gboolean        zs_wire_source_load_key_pair (const char    *path,
                                              char           public_key[41],
                                              char           secret_key[41],
                                              GError       **error);
/* Where this user's client key pair is kept: $ZMQSCOPE_CLIENT_KEY_FILE, or
 * zmqscope/capture-client.key in the user's configuration folder. Helpers
 * that let in only known clients (zmqscope-capture --allow-keys) know it
 * by its public key; without the file, each attach uses a new pair. */
char           *zs_wire_source_get_client_key_path (void);
/* Stream messages refused (malformed, another version), in all. */
guint64         zs_wire_source_get_n_refused (ZsWireSource  *self);

G_END_DECLS
