/* zs-message.c: a message as roles send and receive it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-message"

#include "config.h"

#include <string.h>

#include "zs-message.h"

void
zs_message_init (ZsMessage *msg)
{
  memset (msg, 0, sizeof *msg);
  msg->port = -1;
}

void
zs_message_clear (ZsMessage *msg)
{
  for (guint i = 0; i < msg->n_frames; i++)
    zmq_msg_close (&msg->frames[i]);
  _zs_message_reset (msg, 0);
}

void
zs_message_free_frames (ZsMessage *msg)
{
  zs_message_clear (msg);
  g_clear_pointer (&msg->frames, g_free);
  msg->capacity = 0;
}

static zmq_msg_t *
message_push (ZsMessage *msg)
{
  /* A small frame's bytes live in the array, which may move. */
  msg->tail = NULL;
  msg->last_data = NULL;
  if (msg->n_frames == msg->capacity)
    {
      msg->capacity = MAX (4, msg->capacity * 2);
      msg->frames = g_renew (zmq_msg_t, msg->frames, msg->capacity);
    }
  return &msg->frames[msg->n_frames++];
}

zmq_msg_t *
zs_message_push_empty (ZsMessage *msg)
{
  zmq_msg_t *frame = message_push (msg);

  zmq_msg_init (frame);
  return frame;
}

zmq_msg_t *
_zs_message_recycle_frames (ZsMessage *msg)
{
  if (msg->n_frames == 0)
    {
      _zs_message_reset (msg, 0);
      return zs_message_push_empty (msg);
    }
  for (guint i = 1; i < msg->n_frames; i++)
    zmq_msg_close (&msg->frames[i]);
  _zs_message_reset (msg, 1);
  return &msg->frames[0];
}



char *
zs_message_frame_text (ZsMessage *msg,
                       guint      i)
{
  gsize size;
  const guint8 *data;

  if (i >= msg->n_frames)
    return g_strdup ("");
  data = zs_message_frame (msg, i, &size);
  return g_strndup ((const char *) data, size);
}

static void
free_buffer (void *data,
             void *hint)
{
  g_free (data);
}

guint8 *
zs_message_frame_init (zmq_msg_t  *frame,
                       const void *data,
                       gsize       size,
                       gsize       room,
                       gboolean    zero_copy)
{
  guint8 *bytes;

  if (zero_copy)
    {
      bytes = g_malloc (size + room);
      memcpy (bytes, data, size);
      zmq_msg_init_data (frame, bytes, size + room, free_buffer, NULL);
      return bytes;
    }
  zmq_msg_init_size (frame, size + room);
  bytes = zmq_msg_data (frame);
  if (size > 0)
    memcpy (bytes, data, size);
  return bytes;
}

void
zs_message_append (ZsMessage  *msg,
                   const void *data,
                   gsize       size,
                   gsize       room,
                   gboolean    zero_copy)
{
  guint8 *bytes = zs_message_frame_init (message_push (msg), data, size, room, zero_copy);

  msg->last_size = size;
  msg->last_data = bytes;
  msg->tail = bytes + size;
  msg->tail_room = room;
}

void
zs_message_add_frame (ZsMessage  *msg,
                      const void *data,
                      gsize       size)
{
  zs_message_append (msg, data, size, 0, FALSE);
  msg->traced = FALSE;
  msg->built = TRUE;
}

guint8 *
zs_message_reserve_tail (ZsMessage *msg,
                         gsize      room)
{
  zmq_msg_t *last = &msg->frames[msg->n_frames - 1];
  gsize want = msg->last_size + room;

  /* Made here with this room: ours, the right size. */
  if (msg->built && msg->tail != NULL && msg->tail_room == room)
    return msg->tail;
  if (zmq_msg_size (last) != want || (room > 0 && !msg->built && zmq_msg_get (last, ZMQ_SHARED) == 1))
    {
      zmq_msg_t copy;

      zs_message_frame_init (&copy, zmq_msg_data (last), msg->last_size, room, FALSE);
      zmq_msg_close (last);
      *last = copy;
    }
  msg->last_data = zmq_msg_data (last);
  return (guint8 *) msg->last_data + msg->last_size;
}
