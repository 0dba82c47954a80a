/* zs-wire-kept.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-wire"

#include "config.h"

#include <string.h>

#include "zs-wire-kept.h"

/* What the decoder keeps of a message is what is kept here. */
G_STATIC_ASSERT (ZS_ZMTP_KEEP_DATA >= ZS_CAPTURE_MAX_BYTES);
G_STATIC_ASSERT (ZS_ZMTP_KEEP_FRAMES == ZS_CAPTURE_MAX_FRAMES);

/* One message, its frames' first bytes one after another. */
typedef struct {
  guint64  stamp;        /* the store's order of keeping */
  guint64  seq;
  gint64   time_us;
  guint    dir;
  guint    n_frames;
  guint64  sizes[ZS_CAPTURE_MAX_FRAMES];
  guint8   bytes[];
} Message;

/* One connection's last messages, a ring. */
typedef struct {
  guint64  id;           /* the key */
  guint64  seq;          /* the latest message's */
  guint64  stamp;        /* the latest message's */
  GList    active;       /* its place in ZsWireKept.active */
  Message *ring[ZS_CAPTURE_SLOTS];
  guint    first;        /* the oldest */
  guint    n;
} Connection;

struct _ZsWireKept {
  gsize       max_bytes;
  guint       max_connections;
  GHashTable *connections;   /* guint64 * -> Connection */
  GQueue      active;        /* Connection, the least recently active first */
  gsize       bytes;
  guint64     stamp;
  guint64     let_go;
};

static gsize
kept_size (guint64 size)
{
  return (gsize) MIN (size, (guint64) ZS_CAPTURE_MAX_BYTES);
}

static gsize
message_bytes (const Message *m)
{
  gsize n = sizeof *m;

  for (guint f = 0; f < MIN (m->n_frames, ZS_CAPTURE_MAX_FRAMES); f++)
    n += kept_size (m->sizes[f]);
  return n;
}

static void
drop_oldest (ZsWireKept *self,
             Connection *c)
{
  Message *m = c->ring[c->first];

  self->bytes -= message_bytes (m);
  g_free (m);
  c->ring[c->first] = NULL;
  c->first = (c->first + 1) % ZS_CAPTURE_SLOTS;
  c->n--;
}

static void
connection_free (gpointer data)
{
  g_free (data);
}

/* Lets go of the connection and all it keeps. */
static void
let_go (ZsWireKept *self,
        Connection *c)
{
  while (c->n > 0)
    drop_oldest (self, c);
  g_queue_unlink (&self->active, &c->active);
  self->bytes -= sizeof *c;
  g_hash_table_remove (self->connections, &c->id);
}

/* The least recently active connections go until the caps hold; `keep`,
 * the one just pushed to, stays. */
static void
make_room (ZsWireKept *self,
           Connection *keep,
           guint       max_connections)
{
  while (self->active.head != NULL && self->active.head->data != keep
         && (self->bytes > self->max_bytes || self->active.length > max_connections))
    {
      let_go (self, self->active.head->data);
      self->let_go++;
    }
}

ZsWireKept *
zs_wire_kept_new (gsize max_bytes,
                  guint max_connections)
{
  ZsWireKept *self = g_new0 (ZsWireKept, 1);

  self->max_bytes = max_bytes;
  self->max_connections = MAX (max_connections, 1);
  self->connections = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, connection_free);
  g_queue_init (&self->active);
  return self;
}

void
zs_wire_kept_free (ZsWireKept *self)
{
  if (self == NULL)
    return;
  while (self->active.head != NULL)
    let_go (self, self->active.head->data);
  g_assert (self->bytes == 0);
  g_hash_table_unref (self->connections);
  g_free (self);
}

static Connection *
connection_get (ZsWireKept *self,
                guint64     id)
{
  Connection *c = g_hash_table_lookup (self->connections, &id);

  if (c != NULL)
    return c;
  /* A new one: room for it first. */
  make_room (self, NULL, self->max_connections - 1);
  c = g_new0 (Connection, 1);
  c->id = id;
  c->active.data = c;
  g_hash_table_insert (self->connections, &c->id, c);
  g_queue_push_tail_link (&self->active, &c->active);
  self->bytes += sizeof *c;
  return c;
}

gboolean
zs_wire_kept_push (ZsWireKept            *self,
                   guint64                connection,
                   guint64                seq,
                   const ZsCaptureSource *message)
{
  Connection *c;
  Message *m;
  gsize size = sizeof *m, at = 0;
  guint n_kept;

  g_return_val_if_fail (self != NULL && message != NULL, FALSE);

  c = g_hash_table_lookup (self->connections, &connection);
  if (c != NULL && seq <= c->seq)
    return FALSE;
  c = connection_get (self, connection);
  n_kept = MIN (message->n_frames, ZS_CAPTURE_MAX_FRAMES);
  for (guint f = 0; f < n_kept; f++)
    size += kept_size (message->sizes[f]);
  m = g_malloc0 (size);
  m->stamp = ++self->stamp;
  m->seq = seq;
  m->time_us = message->time_us;
  m->dir = message->dir & 1;
  m->n_frames = message->n_frames;
  for (guint f = 0; f < n_kept; f++)
    {
      m->sizes[f] = message->sizes[f];
      memcpy (m->bytes + at, message->data[f], kept_size (message->sizes[f]));
      at += kept_size (message->sizes[f]);
    }
  if (c->n == ZS_CAPTURE_SLOTS)
    drop_oldest (self, c);
  c->ring[(c->first + c->n) % ZS_CAPTURE_SLOTS] = m;
  c->n++;
  c->seq = seq;
  c->stamp = m->stamp;
  self->bytes += size;
  /* The most recently active last. */
  g_queue_unlink (&self->active, &c->active);
  g_queue_push_tail_link (&self->active, &c->active);
  make_room (self, c, self->max_connections);
  return TRUE;
}

void
zs_wire_kept_take (gpointer                user_data,
                   const ZsWireConnection *connection,
                   guint                   dir,
                   gint64                  time_us,
                   guint                   n_frames,
                   const guint8          **data,
                   const gsize            *kept,
                   const guint64          *sizes)
{
  ZsCaptureSource message = { time_us, 0, FALSE, NULL, dir, n_frames, { NULL }, { 0 } };
  /* Counted before the call: exact, and the same after a let go. */
  guint64 seq = zs_zmtp_decoder_get_counts (connection->dir[0].zmtp)->messages
                + zs_zmtp_decoder_get_counts (connection->dir[1].zmtp)->messages;

  for (guint f = 0; f < MIN (n_frames, ZS_CAPTURE_MAX_FRAMES); f++)
    {
      message.data[f] = data[f];
      message.sizes[f] = (gsize) MIN (sizes[f], (guint64) G_MAXSIZE);
    }
  zs_wire_kept_push (user_data, connection->id, seq, &message);
}

/* The message as a borrowed source. */
static void
message_view (const Message   *m,
              ZsCaptureSource *out)
{
  gsize at = 0;

  memset (out, 0, sizeof *out);
  out->time_us = m->time_us;
  out->seq = m->seq;
  out->dir = m->dir;
  out->n_frames = m->n_frames;
  for (guint f = 0; f < MIN (m->n_frames, ZS_CAPTURE_MAX_FRAMES); f++)
    {
      out->data[f] = m->bytes + at;
      out->sizes[f] = (gsize) MIN (m->sizes[f], (guint64) G_MAXSIZE);
      at += kept_size (m->sizes[f]);
    }
}

/* Some of the connection's last ZS_CAPTURE_SLOTS messages (numbered from
 * 1, each one kept unless let go) are not kept: let go to bound memory,
 * here or by the helper that streamed them. */
static gboolean
lacks_older (const Connection *c)
{
  guint64 window = MIN (c->seq, (guint64) ZS_CAPTURE_SLOTS);
  guint64 in_window = 0;

  for (guint i = 0; i < c->n; i++)
    if (c->ring[(c->first + i) % ZS_CAPTURE_SLOTS]->seq > c->seq - window)
      in_window++;
  return in_window < window;
}

GPtrArray *
zs_wire_kept_dup (ZsWireKept *self,
                  guint64     connection)
{
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);
  Connection *c;
  gboolean older_let_go;

  g_return_val_if_fail (self != NULL, all);

  c = g_hash_table_lookup (self->connections, &connection);
  older_let_go = c != NULL && lacks_older (c);
  for (guint i = 0; c != NULL && i < c->n; i++)
    {
      const Message *m = c->ring[(c->first + i) % ZS_CAPTURE_SLOTS];
      ZsCapture *capture = g_new0 (ZsCapture, 1);
      ZsCaptureSource view;

      message_view (m, &view);
      capture->time_us = m->time_us;
      capture->dir = m->dir;
      capture->n_frames = m->n_frames;
      capture->older_let_go = older_let_go;
      for (guint f = 0; f < MIN (m->n_frames, ZS_CAPTURE_MAX_FRAMES); f++)
        {
          capture->frames[f] = g_bytes_new (view.data[f], kept_size (m->sizes[f]));
          capture->sizes[f] = view.sizes[f];
        }
      g_ptr_array_add (all, capture);
    }
  return all;
}

guint64
zs_wire_kept_foreach_since (ZsWireKept     *self,
                            guint64         stamp,
                            ZsWireKeptFunc  func,
                            gpointer        user_data)
{
  g_return_val_if_fail (self != NULL && func != NULL, stamp);

  /* The most recently active first: those with nothing new end the walk. */
  for (GList *l = self->active.tail; l != NULL; l = l->prev)
    {
      Connection *c = l->data;

      if (c->stamp <= stamp)
        break;
      for (guint i = 0; i < c->n; i++)
        {
          const Message *m = c->ring[(c->first + i) % ZS_CAPTURE_SLOTS];
          ZsCaptureSource view;

          if (m->stamp <= stamp)
            continue;
          message_view (m, &view);
          func (user_data, c->id, m->seq, &view);
        }
    }
  return self->stamp;
}

gsize
zs_wire_kept_get_bytes (ZsWireKept *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->bytes;
}

guint
zs_wire_kept_get_n_connections (ZsWireKept *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->active.length;
}

guint64
zs_wire_kept_get_n_let_go (ZsWireKept *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->let_go;
}
