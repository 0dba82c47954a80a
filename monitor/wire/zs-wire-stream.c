/* zs-wire-stream.c: the capture stream, from zmqscope-capture to the app
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-wire-stream.h"

static const guint8 magic[4] = { 'Z', 'S', 'C', 'S' };
#define HEADER_SIZE 6
#define MAX_HOST 256
#define MAX_COUNTS 14

G_DEFINE_QUARK (zs-wire-stream-error-quark, zs_wire_stream_error)

ZsWireStreamState *
zs_wire_stream_state_new (void)
{
  ZsWireStreamState *self = g_new0 (ZsWireStreamState, 1);

  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_wire_conn_state_free);
  return self;
}

void
zs_wire_stream_state_free (ZsWireStreamState *self)
{
  if (self == NULL)
    return;
  g_free (self->host);
  g_free (self->problem);
  g_free (self->source);
  g_ptr_array_unref (self->connections);
  g_free (self);
}

/* Writing ------------------------------------------------------------------------ */

static void
put_varint (GByteArray *out,
            guint64     value)
{
  guint8 buf[10];
  guint n = 0;

  do
    {
      buf[n] = value & 0x7f;
      value >>= 7;
      if (value != 0)
        buf[n] |= 0x80;
      n++;
    }
  while (value != 0);
  g_byte_array_append (out, buf, n);
}

/* Text cut at the limit, made valid UTF-8 (a command line may not be). */
static void
put_text (GByteArray *out,
          const char *text,
          gsize       max)
{
  g_autofree char *valid = NULL;
  gsize len;

  if (text == NULL)
    text = "";
  valid = g_utf8_make_valid (text, -1);
  len = strlen (valid);
  if (len > max)
    len = g_utf8_find_prev_char (valid, valid + max + 1) - valid;
  put_varint (out, len);
  g_byte_array_append (out, (const guint8 *) valid, len);
}

static void
put_strings (GByteArray *out,
             GPtrArray  *strings,
             guint       max)
{
  guint n = MIN (strings->len, max);

  put_varint (out, n);
  for (guint i = 0; i < n; i++)
    put_text (out, g_ptr_array_index (strings, i), ZS_WIRE_STREAM_MAX_TEXT);
}

static void
put_address (GByteArray          *out,
             const ZsWireAddress *a)
{
  guint8 family = a->family == AF_INET6 ? 6 : 4;

  g_byte_array_append (out, &family, 1);
  g_byte_array_append (out, a->addr, family == 6 ? 16 : 4);
  put_varint (out, a->port);
}

static void
counts_to_array (const ZsZmtpCounts *c,
                 guint64            *v)
{
  guint64 all[MAX_COUNTS] = { c->messages, c->frames, c->bytes, c->multipart, c->enveloped, c->commands,
                              c->subscribes, c->cancels, c->pings, c->pongs, c->errors, c->encrypted_frames,
                              c->encrypted_bytes, c->skipped_bytes };

  memcpy (v, all, sizeof all);
}

static void
counts_from_array (ZsZmtpCounts  *c,
                   const guint64 *v)
{
  ZsZmtpCounts all = { v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13] };

  *c = all;
}

static void
put_dir (GByteArray           *out,
         const ZsWireDirState *d)
{
  guint64 counts[MAX_COUNTS];

  counts_to_array (&d->counts, counts);
  for (guint i = 0; i < MAX_COUNTS; i++)
    put_varint (out, counts[i]);
  put_varint (out, d->in_flight);
  put_varint (out, d->seen_bytes);
  put_varint (out, MIN (d->major, 255));
  put_varint (out, MIN (d->minor, 255));
  put_varint (out, (d->zmtp ? 1 : 0) | (d->encrypted ? 2 : 0));
  put_text (out, d->mechanism, ZS_WIRE_STREAM_MAX_TEXT);
  put_text (out, d->socket_type, ZS_WIRE_STREAM_MAX_TEXT);
  put_text (out, d->identity, ZS_WIRE_STREAM_MAX_TEXT);
  put_text (out, d->user, ZS_WIRE_STREAM_MAX_TEXT);
  put_strings (out, d->topics, ZS_ZMTP_MAX_TOPICS);
  put_strings (out, d->findings, ZS_ZMTP_MAX_FINDINGS);
}

static void
put_connection (GByteArray            *out,
                const ZsWireConnState *c)
{
  put_varint (out, c->id);
  put_address (out, &c->client);
  put_address (out, &c->server);
  put_varint (out, (c->saw_syn ? 1 : 0) | (c->closed ? 2 : 0) | (c->reset ? 4 : 0));
  put_varint (out, c->isn);
  put_varint (out, (guint64) MAX (c->first_us, 0));
  put_varint (out, (guint64) MAX (c->last_us, 0));
  put_varint (out, (guint64) MAX (c->closed_us, 0));
  for (guint d = 0; d < 2; d++)
    {
      put_varint (out, c->process[d].pid);
      put_text (out, c->process[d].command, ZS_WIRE_STREAM_MAX_TEXT);
    }
  for (guint d = 0; d < 2; d++)
    put_dir (out, &c->dir[d]);
}

static GByteArray *
begin (ZsWireStreamKind kind)
{
  GByteArray *out = g_byte_array_new ();
  guint8 header[2] = { ZS_WIRE_STREAM_VERSION, kind };

  g_byte_array_append (out, magic, sizeof magic);
  g_byte_array_append (out, header, sizeof header);
  return out;
}

GBytes *
zs_wire_stream_encode_state (const ZsWireStreamState *state)
{
  GByteArray *out;
  guint n;

  g_return_val_if_fail (state != NULL, NULL);

  out = begin (ZS_WIRE_STREAM_STATE);
  put_text (out, state->host, MAX_HOST);
  put_varint (out, (state->live ? 1 : 0) | (state->finished ? 2 : 0));
  put_text (out, state->problem, ZS_WIRE_STREAM_MAX_TEXT);
  put_text (out, state->source, ZS_WIRE_STREAM_MAX_TEXT);
  put_varint (out, state->packets);
  put_varint (out, state->skipped);
  put_varint (out, state->overflow);
  put_varint (out, state->kernel_received);
  put_varint (out, state->kernel_dropped);
  put_varint (out, state->let_go);
  n = MIN (state->connections->len, ZS_WIRE_MAX_KEPT);
  put_varint (out, n);
  for (guint i = 0; i < n; i++)
    put_connection (out, g_ptr_array_index (state->connections, i));
  return g_byte_array_free_to_bytes (out);
}

GByteArray *
zs_wire_stream_messages_new (void)
{
  return begin (ZS_WIRE_STREAM_MESSAGES);
}

gboolean
zs_wire_stream_messages_empty (GByteArray *messages)
{
  return messages->len <= HEADER_SIZE;
}

void
zs_wire_stream_append_message (GByteArray     *messages,
                               guint64         connection,
                               guint64         seq,
                               guint           dir,
                               gint64          time_us,
                               guint           n_frames,
                               const guint8  **data,
                               const guint64  *sizes)
{
  guint kept = MIN (n_frames, ZS_ZMTP_KEEP_FRAMES);

  g_return_if_fail (messages != NULL && dir < 2);

  put_varint (messages, connection);
  put_varint (messages, seq);
  put_varint (messages, dir);
  put_varint (messages, (guint64) MAX (time_us, 0));
  put_varint (messages, n_frames);
  put_varint (messages, kept);
  for (guint i = 0; i < kept; i++)
    {
      gsize len = (gsize) MIN (sizes[i], (guint64) ZS_ZMTP_KEEP_DATA);

      put_varint (messages, sizes[i]);
      g_byte_array_append (messages, data[i], len);
    }
}

/* Reading: every field checked -------------------------------------------------- */

typedef struct {
  const guint8 *p;
  const guint8 *end;
  const char   *failed;     /* the first field that broke a rule */
} Reader;

static gboolean
fail (Reader     *r,
      const char *field)
{
  if (r->failed == NULL)
    r->failed = field;
  r->p = r->end;
  return FALSE;
}

static gboolean
get_varint (Reader     *r,
            guint64     max,
            guint64    *value,
            const char *field)
{
  guint64 v = 0;

  *value = 0;
  for (guint shift = 0; shift < 64; shift += 7)
    {
      guint8 b;

      if (r->failed != NULL || r->p >= r->end)
        return fail (r, field);
      b = *r->p++;
      /* The tenth byte holds only the top bit. */
      if (shift == 63 && b > 1)
        return fail (r, field);
      v |= (guint64) (b & 0x7f) << shift;
      if (!(b & 0x80))
        {
          if (v > max)
            return fail (r, field);
          *value = v;
          return TRUE;
        }
    }
  return fail (r, field);
}

static guint
get_uint (Reader     *r,
          guint64     max,
          const char *field)
{
  guint64 v;

  get_varint (r, MIN (max, G_MAXUINT), &v, field);
  return (guint) v;
}

static guint64
get_u64 (Reader     *r,
         const char *field)
{
  guint64 v;

  get_varint (r, G_MAXUINT64, &v, field);
  return v;
}

static gint64
get_time (Reader     *r,
          const char *field)
{
  guint64 v;

  get_varint (r, G_MAXINT64, &v, field);
  return (gint64) v;
}

static const guint8 *
get_bytes (Reader     *r,
           gsize       len,
           const char *field)
{
  const guint8 *at = r->p;

  if (r->failed != NULL || (gsize) (r->end - r->p) < len)
    {
      fail (r, field);
      return NULL;
    }
  r->p += len;
  return at;
}

/* UTF-8 without NUL, at most `max` bytes; NULL when empty (unless
 * `empty` allows it: a subscription to everything is ""). */
static char *
get_text_full (Reader     *r,
               gsize       max,
               gboolean    empty,
               const char *field)
{
  guint64 len;
  const guint8 *at;

  if (!get_varint (r, max, &len, field))
    return NULL;
  at = get_bytes (r, (gsize) len, field);
  if (at == NULL || len == 0)
    return at != NULL && empty ? g_strdup ("") : NULL;
  if (memchr (at, '\0', len) != NULL || !g_utf8_validate ((const char *) at, (gssize) len, NULL))
    {
      fail (r, field);
      return NULL;
    }
  return g_strndup ((const char *) at, len);
}

static char *
get_text (Reader     *r,
          gsize       max,
          const char *field)
{
  return get_text_full (r, max, FALSE, field);
}

static void
get_strings (Reader     *r,
             GPtrArray  *into,
             guint       max,
             const char *field)
{
  guint n = get_uint (r, max, field);

  for (guint i = 0; i < n && r->failed == NULL; i++)
    {
      char *text = get_text_full (r, ZS_WIRE_STREAM_MAX_TEXT, TRUE, field);

      if (text == NULL)
        fail (r, field);
      else
        g_ptr_array_add (into, text);
    }
}

static void
get_address (Reader        *r,
             ZsWireAddress *a,
             const char    *field)
{
  const guint8 *family = get_bytes (r, 1, field);
  const guint8 *addr;

  if (family == NULL || (*family != 4 && *family != 6))
    {
      fail (r, field);
      return;
    }
  addr = get_bytes (r, *family == 6 ? 16 : 4, field);
  if (addr == NULL)
    return;
  memset (a, 0, sizeof *a);
  a->family = *family == 6 ? AF_INET6 : AF_INET;
  memcpy (a->addr, addr, *family == 6 ? 16 : 4);
  a->port = (guint16) get_uint (r, 65535, field);
}

static void
get_dir (Reader         *r,
         ZsWireDirState *d)
{
  guint64 counts[MAX_COUNTS];
  guint flags;

  for (guint i = 0; i < MAX_COUNTS; i++)
    counts[i] = get_u64 (r, "counts");
  counts_from_array (&d->counts, counts);
  d->in_flight = get_u64 (r, "in_flight");
  d->seen_bytes = get_u64 (r, "seen_bytes");
  d->major = get_uint (r, 255, "version");
  d->minor = get_uint (r, 255, "version");
  flags = get_uint (r, 3, "direction flags");
  d->zmtp = (flags & 1) != 0;
  d->encrypted = (flags & 2) != 0;
  d->mechanism = get_text (r, ZS_WIRE_STREAM_MAX_TEXT, "mechanism");
  d->socket_type = get_text (r, ZS_WIRE_STREAM_MAX_TEXT, "socket_type");
  d->identity = get_text (r, ZS_WIRE_STREAM_MAX_TEXT, "identity");
  d->user = get_text (r, ZS_WIRE_STREAM_MAX_TEXT, "user");
  get_strings (r, d->topics, ZS_ZMTP_MAX_TOPICS, "topics");
  get_strings (r, d->findings, ZS_ZMTP_MAX_FINDINGS, "findings");
}

static ZsWireConnState *
get_connection (Reader     *r,
                const char *host)
{
  ZsWireConnState *c = zs_wire_conn_state_new ();
  guint flags;

  c->id = get_u64 (r, "id");
  get_address (r, &c->client, "client");
  get_address (r, &c->server, "server");
  flags = get_uint (r, 7, "connection flags");
  c->saw_syn = (flags & 1) != 0;
  c->closed = (flags & 2) != 0;
  c->reset = (flags & 4) != 0;
  c->isn = get_uint (r, G_MAXUINT32, "isn");
  c->first_us = get_time (r, "first_us");
  c->last_us = get_time (r, "last_us");
  c->closed_us = get_time (r, "closed_us");
  for (guint d = 0; d < 2; d++)
    {
      c->process[d].pid = get_uint (r, G_MAXUINT32, "pid");
      c->process[d].command = get_text (r, ZS_WIRE_STREAM_MAX_TEXT, "command");
      if (c->process[d].pid == 0 && c->process[d].command != NULL)
        fail (r, "command");
      c->host[d] = g_strdup (host);
    }
  for (guint d = 0; d < 2; d++)
    get_dir (r, &c->dir[d]);
  return c;
}

static gboolean
check_header (Reader            *r,
              ZsWireStreamKind  *kind,
              GError           **error)
{
  const guint8 *h = get_bytes (r, HEADER_SIZE, "header");

  if (h == NULL || memcmp (h, magic, sizeof magic) != 0)
    {
      g_set_error (error, ZS_WIRE_STREAM_ERROR, ZS_WIRE_STREAM_ERROR_INVALID,
                   _("not a zmqscope capture stream message"));
      return FALSE;
    }
  if (h[4] != ZS_WIRE_STREAM_VERSION)
    {
      g_set_error (error, ZS_WIRE_STREAM_ERROR, ZS_WIRE_STREAM_ERROR_VERSION,
                   _("capture stream version %u; this zmqscope reads version %u"),
                   h[4], ZS_WIRE_STREAM_VERSION);
      return FALSE;
    }
  if (h[5] != ZS_WIRE_STREAM_STATE && h[5] != ZS_WIRE_STREAM_MESSAGES)
    {
      g_set_error (error, ZS_WIRE_STREAM_ERROR, ZS_WIRE_STREAM_ERROR_INVALID,
                   _("capture stream message of unknown kind %u"), h[5]);
      return FALSE;
    }
  *kind = h[5];
  return TRUE;
}

static gboolean
check_end (Reader   *r,
           GError  **error)
{
  if (r->failed == NULL && r->p != r->end)
    r->failed = "trailing bytes";
  if (r->failed != NULL)
    {
      g_set_error (error, ZS_WIRE_STREAM_ERROR, ZS_WIRE_STREAM_ERROR_INVALID,
                   _("invalid capture stream message: bad “%s”"), r->failed);
      return FALSE;
    }
  return TRUE;
}

gboolean
zs_wire_stream_peek_kind (const guint8      *data,
                          gsize              len,
                          ZsWireStreamKind  *kind,
                          GError           **error)
{
  Reader r = { data, data + len, NULL };

  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (len > ZS_WIRE_STREAM_MAX_SIZE)
    {
      g_set_error (error, ZS_WIRE_STREAM_ERROR, ZS_WIRE_STREAM_ERROR_INVALID,
                   _("capture stream message too large"));
      return FALSE;
    }
  return check_header (&r, kind, error);
}

ZsWireStreamState *
zs_wire_stream_decode_state (const guint8  *data,
                             gsize          len,
                             GError       **error)
{
  Reader r = { data, data + len, NULL };
  g_autoptr(ZsWireStreamState) state = zs_wire_stream_state_new ();
  ZsWireStreamKind kind;
  guint flags, n;

  if (!zs_wire_stream_peek_kind (data, len, &kind, error))
    return NULL;
  if (kind != ZS_WIRE_STREAM_STATE)
    {
      g_set_error (error, ZS_WIRE_STREAM_ERROR, ZS_WIRE_STREAM_ERROR_INVALID, _("not a capture state"));
      return NULL;
    }
  r.p += HEADER_SIZE;
  state->host = get_text (&r, MAX_HOST, "host");
  flags = get_uint (&r, 3, "flags");
  state->live = (flags & 1) != 0;
  state->finished = (flags & 2) != 0;
  state->problem = get_text (&r, ZS_WIRE_STREAM_MAX_TEXT, "problem");
  state->source = get_text (&r, ZS_WIRE_STREAM_MAX_TEXT, "source");
  state->packets = get_u64 (&r, "packets");
  state->skipped = get_u64 (&r, "skipped");
  state->overflow = get_u64 (&r, "overflow");
  state->kernel_received = get_u64 (&r, "kernel_received");
  state->kernel_dropped = get_u64 (&r, "kernel_dropped");
  state->let_go = get_u64 (&r, "let_go");
  n = get_uint (&r, ZS_WIRE_MAX_KEPT, "connections");
  /* Grown as connections are read, never by the count declared. */
  for (guint i = 0; i < n && r.failed == NULL; i++)
    g_ptr_array_add (state->connections, get_connection (&r, state->host != NULL ? state->host : ""));
  if (!check_end (&r, error))
    return NULL;
  return g_steal_pointer (&state);
}

GArray *
zs_wire_stream_decode_messages (const guint8  *data,
                                gsize          len,
                                GError       **error)
{
  Reader r = { data, data + len, NULL };
  g_autoptr(GArray) messages = g_array_new (FALSE, TRUE, sizeof (ZsWireStreamMessage));
  ZsWireStreamKind kind;

  if (!zs_wire_stream_peek_kind (data, len, &kind, error))
    return NULL;
  if (kind != ZS_WIRE_STREAM_MESSAGES)
    {
      g_set_error (error, ZS_WIRE_STREAM_ERROR, ZS_WIRE_STREAM_ERROR_INVALID, _("not capture messages"));
      return NULL;
    }
  r.p += HEADER_SIZE;
  while (r.p < r.end && r.failed == NULL)
    {
      if (messages->len >= ZS_WIRE_STREAM_MAX_MESSAGES)
        {
          fail (&r, "messages");
          break;
        }
      ZsWireStreamMessage m = { 0 };

      m.connection = get_u64 (&r, "connection");
      m.seq = get_u64 (&r, "seq");
      m.dir = get_uint (&r, 1, "dir");
      m.time_us = get_time (&r, "time_us");
      m.n_frames = get_uint (&r, G_MAXUINT32, "n_frames");
      m.n_kept = get_uint (&r, MIN (m.n_frames, ZS_ZMTP_KEEP_FRAMES), "n_kept");
      if (m.n_kept != MIN (m.n_frames, ZS_ZMTP_KEEP_FRAMES))
        fail (&r, "n_kept");
      for (guint i = 0; i < m.n_kept && r.failed == NULL; i++)
        {
          m.sizes[i] = get_u64 (&r, "size");
          m.data[i] = get_bytes (&r, (gsize) MIN (m.sizes[i], (guint64) ZS_ZMTP_KEEP_DATA), "frame");
        }
      if (r.failed == NULL)
        g_array_append_val (messages, m);
    }
  if (!check_end (&r, error))
    return NULL;
  return g_steal_pointer (&messages);
}
