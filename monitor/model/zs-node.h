/* zs-node.h: a node on the canvas: a role, its sockets and parameters
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "zs-role.h"
#include "zs-socket-spec.h"

G_BEGIN_DECLS

#define ZS_TYPE_NODE (zs_node_get_type ())
G_DECLARE_FINAL_TYPE (ZsNode, zs_node, ZS, NODE, GObject)

/* Properties (all read-write, notify on change). The inspector builds its
 * editors from these GParamSpecs, so each has a translated nick and blurb.
 *   "name"              string   unique in the topology
 *   "role"              ZsRole
 *   "x", "y"            double   position on the canvas
 *   "tracing"           boolean  append the 16-byte trace trailer (default TRUE);
 *                                off = exactly the payload frames on the wire
 *   "payload"           GStrv    frame templates of each message sent; see
 *                                zs-payload.h ("{seq}", "{rand:1:100}", ...)
 *   "count"             uint     messages (or requests, tasks) to send; 0 = forever
 *                                for a subscriber or sink: messages to receive
 *   "interval-ms"       uint     pause between two sends (0 = full speed)
 *   "work-ms"           uint     work time per request/task (server, worker)
 *   "work-from-message" boolean  the work time is the number in the task (taskwork)
 *   "reply"             string   reply template (server)
 *   "wait-peers"        int      before sending, wait for this many peers to
 *                                connect (-1 = every linked peer, 0 = do not wait)
 *   "start-delay-ms"    uint     sleep before the first send
 *   "end-marker"        string   sent after `count` (publisher) / ends the
 *                                receiver when it arrives (subscriber); "" = none
 *   "idle-timeout-ms"   uint     a receiver ends after this long with no message (0 = never)
 *   "sync-count"        uint     publisher: wait for this many check-ins on its "sync"
 *                                socket before sending (syncpub)
 *   "offline-after"     uint     subscriber: close its socket after this many messages
 *                                (durable subscriber) ...
 *   "offline-ms"        uint     ... and reopen it, same routing id, after this long
 *   "request-timeout-ms" uint    client: wait this long for a reply, then close the
 *                                socket, open a new one and ask again (the lazy
 *                                pirate); 0 = wait forever
 *   "retries"           uint     client: times to ask again before giving up
 *   "zero-copy"         boolean  send with zmq_msg_init_data and a free function
 *   "seed"              uint     random seed for "{rand}" (0 = from the clock)
 *   "note"              string   free text shown on the card
 *   "command"           string   external program: its command line, shown for
 *                                reference (zmqscope runs nothing for it)
 *
 * Signals:
 *   "changed" ()  any property of the node or of one of its sockets changed,
 *                 or a socket was added or removed.
 */
ZsNode              *zs_node_new                   (const char   *name,
                                                    ZsRole        role);
/* A node with the sockets its role expects and sensible defaults. */
ZsNode              *zs_node_new_for_role          (const char   *name,
                                                    ZsRole        role);
ZsNode              *zs_node_copy                  (ZsNode       *self);

const char          *zs_node_get_name              (ZsNode       *self);
void                 zs_node_set_name              (ZsNode       *self,
                                                    const char   *name);
ZsRole               zs_node_get_role              (ZsNode       *self);
void                 zs_node_set_role              (ZsNode       *self,
                                                    ZsRole        role);
double               zs_node_get_x                 (ZsNode       *self);
double               zs_node_get_y                 (ZsNode       *self);
void                 zs_node_set_position          (ZsNode       *self,
                                                    double        x,
                                                    double        y);
gboolean             zs_node_get_tracing           (ZsNode       *self);
const char * const  *zs_node_get_payload           (ZsNode       *self);
void                 zs_node_set_payload           (ZsNode       *self,
                                                    const char * const *frames);
guint                zs_node_get_count             (ZsNode       *self);
guint                zs_node_get_interval_ms       (ZsNode       *self);
guint                zs_node_get_work_ms           (ZsNode       *self);
gboolean             zs_node_get_work_from_message (ZsNode       *self);
const char          *zs_node_get_reply             (ZsNode       *self);
int                  zs_node_get_wait_peers        (ZsNode       *self);
guint                zs_node_get_start_delay_ms    (ZsNode       *self);
const char          *zs_node_get_end_marker        (ZsNode       *self);
guint                zs_node_get_idle_timeout_ms   (ZsNode       *self);
guint                zs_node_get_sync_count        (ZsNode       *self);
guint                zs_node_get_offline_after     (ZsNode       *self);
guint                zs_node_get_offline_ms        (ZsNode       *self);
guint                zs_node_get_request_timeout_ms (ZsNode      *self);
guint                zs_node_get_retries           (ZsNode       *self);
gboolean             zs_node_get_zero_copy         (ZsNode       *self);
guint                zs_node_get_seed              (ZsNode       *self);
const char          *zs_node_get_note              (ZsNode       *self);
const char          *zs_node_get_command           (ZsNode       *self);
/* TRUE for an external program: a peer outside zmqscope. The engine runs
 * nothing for it, and a socket linked to it talks to a program that does
 * not know our trailer. */
gboolean             zs_node_is_external           (ZsNode       *self);
/* Other setters: use g_object_set with the property names above. */

guint                zs_node_get_n_sockets         (ZsNode       *self);
ZsSocketSpec        *zs_node_get_socket            (ZsNode       *self,
                                                    guint         index);
ZsSocketSpec        *zs_node_find_socket           (ZsNode       *self,
                                                    const char   *name);
int                  zs_node_find_socket_index     (ZsNode       *self,
                                                    const char   *name);
void                 zs_node_add_socket            (ZsNode       *self,
                                                    ZsSocketSpec *socket);
void                 zs_node_insert_socket         (ZsNode       *self,
                                                    guint         index,
                                                    ZsSocketSpec *socket);
void                 zs_node_remove_socket         (ZsNode       *self,
                                                    guint         index);
/* TRUE when the node ends by itself: its role has a goal and count > 0
 * (or an end marker / idle timeout ends it). */
gboolean             zs_node_has_end               (ZsNode       *self);

G_END_DECLS
