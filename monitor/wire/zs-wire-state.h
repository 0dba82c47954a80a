/* zs-wire-state.h: what the wire decoded of one connection, as plain data
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ZsWireConnection lives inside a ZsWire, with its decoders; its state
 * is a copy of what they found (counts, socket types, identities,
 * subscriptions, findings), which can cross a process or a machine (the
 * capture stream, zs-wire-stream.h) and be merged with what other
 * captures saw. zs-wire-topology.h builds the topology from states only:
 * one path, whether the connections were decoded here or by a helper. */
#pragma once

#include "zs-wire.h"

G_BEGIN_DECLS

typedef struct {
  ZsZmtpCounts  counts;
  guint64       in_flight;      /* sent, not yet acknowledged */
  guint64       seen_bytes;     /* delivered or declared lost: 0 means nothing crossed */
  guint         major;          /* 0.0 until the greeting was read */
  guint         minor;
  gboolean      zmtp;
  gboolean      encrypted;
  char         *mechanism;      /* NULL when not seen; the rest likewise */
  char         *socket_type;
  char         *identity;
  char         *user;
  GPtrArray    *topics;         /* char *, escaped, those still subscribed */
  GPtrArray    *findings;       /* char * */
} ZsWireDirState;

typedef struct {
  guint64          id;          /* unique among the states merged together */
  ZsWireAddress    client;
  ZsWireAddress    server;
  gboolean         saw_syn;
  guint32          isn;         /* the client's SYN sequence number, when saw_syn */
  gboolean         closed;
  gboolean         reset;
  gint64           first_us;
  gint64           last_us;
  gint64           closed_us;
  ZsWireProcess    process[2];  /* client, server */
  char            *host[2];     /* which machine's /proc told process[d] ("" here) */
  ZsWireDirState   dir[2];      /* [0] client -> server */
} ZsWireConnState;

ZsWireConnState *zs_wire_conn_state_new      (void);
ZsWireConnState *zs_wire_conn_state_from_connection (const ZsWireConnection *connection);
void             zs_wire_conn_state_free     (ZsWireConnState *self);
/* Every connection of the wire, as states (ids are the connections'). */
GPtrArray       *zs_wire_get_states          (ZsWire          *wire);

/* Several captures merged: the same TCP connection seen from both ends
 * (by its addresses and the client's initial sequence number) is one,
 * each end's process from the capture that could tell it. `merged`
 * takes copies; `index` (made by zs_wire_state_index_new) finds what is
 * there. */
GHashTable      *zs_wire_state_index_new     (void);
void             zs_wire_state_merge         (GPtrArray             *merged,
                                              GHashTable            *index,
                                              const ZsWireConnState *state);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsWireConnState, zs_wire_conn_state_free)

G_END_DECLS
