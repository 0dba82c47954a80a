/* zs-message.h: a message as roles send and receive it (private)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Its frames are libzmq's; the last one may carry a trailer (zs-trace.h)
 * after its payload, which is never counted as payload. */
#pragma once

#include <zmq.h>

#include "zs-trace.h"

G_BEGIN_DECLS

typedef struct {
  zmq_msg_t *frames;
  guint      n_frames;
  guint      capacity;
  gsize      last_size;   /* payload bytes of the last frame (trailer excluded) */
  gboolean   traced;
  gboolean   foreign_trace; /* another zmqscope run's trailer, stripped */
  gboolean   built;       /* made here, not received: its frames are not shared */
  ZsTrace    trace;
  int        port;        /* in_ports index it came through, -1 if unknown */
  const guint8 *last_data;/* the last frame's bytes once read or appended, else NULL */
  guint8    *tail;        /* made by zs_message_append: where its room starts, NULL otherwise */
  gsize      tail_room;
} ZsMessage;

void          zs_message_init        (ZsMessage    *msg);
/* Closes its frames; keeps the frame array for the next message. */
void          zs_message_clear       (ZsMessage    *msg);
/* Clears it and frees the frame array too. */
void          zs_message_free_frames (ZsMessage    *msg);
/* Payload of frame i (the trailer excluded). */
const guint8 *zs_message_frame       (ZsMessage    *msg,
                                      guint         i,
                                      gsize        *size);
/* Frame i as a NUL-terminated string (owned by the caller). */
char         *zs_message_frame_text  (ZsMessage    *msg,
                                      guint         i);
/* Appends a copy of data as a new last frame. */
void          zs_message_add_frame   (ZsMessage    *msg,
                                      const void   *data,
                                      gsize         size);
/* Appends a copy of data as the new last frame, with `room` bytes after
 * it for a trailer; zero_copy: a buffer of ours that libzmq frees. */
void          zs_message_append      (ZsMessage    *msg,
                                      const void   *data,
                                      gsize         size,
                                      gsize         room,
                                      gboolean      zero_copy);
/* Appends an empty frame to receive into (zmq_msg_init'ed). */
zmq_msg_t    *zs_message_push_empty  (ZsMessage    *msg);
/* Clears it to receive into its first frame, which stays open (a receive
 * releases what it held): returns that frame. */
zmq_msg_t    *zs_message_recycle     (ZsMessage    *msg);
/* Payload bytes of every frame, the trailer excluded. */
guint64       zs_message_payload_bytes (ZsMessage  *msg);
/* Makes the last frame exactly its payload plus `room` bytes, and with
 * room, its own: a received frame's content may be shared with other
 * receivers (PUB fan-out). Returns where the room starts. */
guint8       *zs_message_reserve_tail (ZsMessage   *msg,
                                       gsize        room);
/* Once every frame arrived: reads the trailer of run `run_tag` (traced),
 * or another zmqscope run's (foreign_trace), and strips it. */
void          zs_message_read_trailer (ZsMessage   *msg,
                                       guint64      run_tag);

G_END_DECLS
