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
/* Initializes a frame with a copy of data and `room` bytes after it for a
 * trailer (zero_copy: in a buffer of ours that libzmq frees); returns
 * where its bytes start. */
guint8       *zs_message_frame_init  (zmq_msg_t    *frame,
                                      const void   *data,
                                      gsize         size,
                                      gsize         room,
                                      gboolean      zero_copy);
/* Appends an empty frame to receive into (zmq_msg_init'ed). */
zmq_msg_t    *zs_message_push_empty  (ZsMessage    *msg);
/* Makes the last frame exactly its payload plus `room` bytes, and with
 * room, its own: a received frame's content may be shared with other
 * receivers (PUB fan-out). Returns where the room starts. */
guint8       *zs_message_reserve_tail (ZsMessage   *msg,
                                       gsize        room);

/* Every received message goes through these: inline. */

zmq_msg_t    *_zs_message_recycle_frames (ZsMessage *msg);

/* Forgets what the last message was, keeping n_frames open frames. */
static inline void
_zs_message_reset (ZsMessage *msg,
                   guint      n_frames)
{
  msg->n_frames = n_frames;
  msg->last_size = 0;
  msg->traced = FALSE;
  msg->foreign_trace = FALSE;
  msg->built = FALSE;
  msg->port = -1;
  msg->tail = NULL;
  msg->last_data = NULL;
}

/* Clears it to receive into its first frame, which stays open (a receive
 * releases what it held): returns that frame. */
static inline zmq_msg_t *
zs_message_recycle (ZsMessage *msg)
{
  if (msg->n_frames != 1)
    return _zs_message_recycle_frames (msg);
  _zs_message_reset (msg, 1);
  return &msg->frames[0];
}

/* Payload of frame i (the trailer excluded). */
static inline const guint8 *
zs_message_frame (ZsMessage *msg,
                  guint      i,
                  gsize     *size)
{
  g_assert (i < msg->n_frames);
  if (i + 1 == msg->n_frames)
    {
      *size = msg->last_size;
      return msg->last_data != NULL ? msg->last_data : zmq_msg_data (&msg->frames[i]);
    }
  *size = zmq_msg_size (&msg->frames[i]);
  return zmq_msg_data (&msg->frames[i]);
}

/* Payload bytes of every frame, the trailer excluded. */
static inline guint64
zs_message_payload_bytes (ZsMessage *msg)
{
  guint64 bytes = msg->last_size;

  for (guint i = 0; i + 1 < msg->n_frames; i++)
    bytes += zmq_msg_size (&msg->frames[i]);
  return bytes;
}

/* Once every frame arrived: reads the trailer of run `run_tag` (traced),
 * or another zmqscope run's (foreign_trace), and strips it. */
static inline void
zs_message_read_trailer (ZsMessage *msg,
                         guint64    run_tag)
{
  zmq_msg_t *last = &msg->frames[msg->n_frames - 1];
  const guint8 *data = zmq_msg_data (last);

  msg->last_size = zmq_msg_size (last);
  msg->last_data = data;
  msg->traced = zs_trace_read (data, msg->last_size, run_tag, &msg->trace);
  msg->foreign_trace = !msg->traced && zs_trace_is_foreign (data, msg->last_size, run_tag);
  if (msg->traced || msg->foreign_trace)
    msg->last_size -= ZS_TRACE_SIZE;
}

G_END_DECLS
