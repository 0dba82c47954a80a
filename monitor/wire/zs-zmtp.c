/* zs-zmtp.c: one direction of a ZMTP 3.0/3.1 connection, decoded as it streams
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Written from the ZMTP 3.0 (23/ZMTP) and 3.1 (37/ZMTP) specifications. */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <string.h>

#include "zs-zmtp.h"

#define GREETING_SIZE 64
#define SIGNATURE_SIZE 10
#define FLAG_MORE 0x01
#define FLAG_LONG 0x02
#define FLAG_COMMAND 0x04
#define FLAG_RESERVED 0xf8
/* Bytes the resync looks through at once. */
#define RESYNC_WINDOW 4096
/* Frames read after a resync before a malformed one means failure rather
 * than a wrong guess of where frames start. */
#define TENTATIVE_FRAMES 8

typedef enum {
  PART_FLAGS,
  PART_SIZE,
  PART_BODY,
} FramePart;

struct _ZsZmtpDecoder {
  ZsZmtpState   state;
  gboolean      zmtp;
  gboolean      midstream;
  gboolean      handshake_done;

  guint8        greeting[GREETING_SIZE];
  guint         greeting_len;
  guint         major, minor;
  char          mechanism[21];
  gboolean      as_server;

  FramePart     part;
  guint8        flags;
  guint8        size_bytes[8];
  guint         size_len;
  guint         size_need;
  guint64       frame_size;
  guint64       frame_done;
  guint8        body[ZS_ZMTP_KEEP_COMMAND];
  gsize         body_len;
  guint         tentative;       /* frames still to read before trusting a resync */

  /* The message being read. */
  guint         msg_frames;
  guint64       msg_bytes;
  gboolean      msg_delimiter;   /* an empty frame before its last */
  guint8        msg_keep[ZS_ZMTP_KEEP_FRAMES][ZS_ZMTP_KEEP_DATA];
  gsize         msg_kept[ZS_ZMTP_KEEP_FRAMES];
  guint64       msg_sizes[ZS_ZMTP_KEEP_FRAMES];

  guint8       *resync;          /* RESYNC_WINDOW bytes while resynchronising */
  gsize         resync_len;
  guint8       *replay;          /* bytes to read again from a boundary found: at most */
  gsize         replay_len;      /* RESYNC_WINDOW, and each replay shorter than the last */

  char         *socket_type;
  char         *identity;
  char         *user;
  ZsZmtpCounts  counts;
  GPtrArray    *topics;
  GPtrArray    *findings;
  guint         n_findings;

  ZsZmtpMessageFunc message_func;
  gpointer          message_data;
};

char *
zs_zmtp_escape (const guint8 *data,
                gsize         len)
{
  GString *s = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (data[i] >= 0x20 && data[i] < 0x7f && data[i] != '\\')
        g_string_append_c (s, (char) data[i]);
      else
        g_string_append_printf (s, "\\x%02x", data[i]);
    }
  return g_string_free (s, FALSE);
}

static void
topic_free (ZsZmtpTopic *topic)
{
  g_free (topic->topic);
  g_free (topic);
}

static void
finding_free (ZsZmtpFinding *finding)
{
  g_free (finding->text);
  g_free (finding);
}

ZsZmtpDecoder *
zs_zmtp_decoder_new (void)
{
  ZsZmtpDecoder *self = g_new0 (ZsZmtpDecoder, 1);

  self->state = ZS_ZMTP_GREETING;
  self->topics = g_ptr_array_new_with_free_func ((GDestroyNotify) topic_free);
  self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) finding_free);
  return self;
}

void
zs_zmtp_decoder_free (ZsZmtpDecoder *self)
{
  if (self == NULL)
    return;
  g_free (self->resync);
  g_free (self->replay);
  g_free (self->socket_type);
  g_free (self->identity);
  g_free (self->user);
  g_ptr_array_unref (self->topics);
  g_ptr_array_unref (self->findings);
  g_free (self);
}

void
zs_zmtp_decoder_set_message_func (ZsZmtpDecoder     *self,
                                  ZsZmtpMessageFunc  func,
                                  gpointer           user_data)
{
  self->message_func = func;
  self->message_data = user_data;
}

static void add_finding (ZsZmtpDecoder *self, ZsZmtpFindingKind kind, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
add_finding (ZsZmtpDecoder     *self,
             ZsZmtpFindingKind  kind,
             const char        *format,
             ...)
{
  ZsZmtpFinding *f;
  va_list args;

  self->n_findings++;
  if (self->findings->len >= ZS_ZMTP_MAX_FINDINGS)
    return;
  f = g_new0 (ZsZmtpFinding, 1);
  f->kind = kind;
  va_start (args, format);
  f->text = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (self->findings, f);
}

static void
fail (ZsZmtpDecoder *self)
{
  self->state = ZS_ZMTP_FAILED;
  g_clear_pointer (&self->resync, g_free);
}

static void
start_frame (ZsZmtpDecoder *self)
{
  self->part = PART_FLAGS;
  self->size_len = 0;
  self->body_len = 0;
  self->frame_done = 0;
}

static void
start_resync (ZsZmtpDecoder *self)
{
  self->state = ZS_ZMTP_RESYNC;
  self->msg_frames = 0;
  self->msg_bytes = 0;
  self->msg_delimiter = FALSE;
  if (self->resync == NULL)
    self->resync = g_malloc (RESYNC_WINDOW);
  self->resync_len = 0;
}

void
zs_zmtp_decoder_join_midstream (ZsZmtpDecoder *self)
{
  g_return_if_fail (self != NULL);

  self->midstream = TRUE;
  if (self->state == ZS_ZMTP_GREETING && self->greeting_len == 0)
    start_resync (self);
}

/* The greeting --------------------------------------------------------- */

static gboolean
has_prefix (const guint8 *data,
            gsize         len,
            const char   *prefix)
{
  gsize n = strlen (prefix);

  return len >= n && memcmp (data, prefix, n) == 0;
}

static gboolean
looks_like_http (const guint8 *data,
                 gsize         len)
{
  static const char *const starts[] = {
    "GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "CONNECT ", "HTTP/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    if (has_prefix (data, len, starts[i]))
      return TRUE;
  return FALSE;
}

static void
not_zmtp (ZsZmtpDecoder *self)
{
  g_autofree char *start = zs_zmtp_escape (self->greeting, MIN (self->greeting_len, 16));

  if (looks_like_http (self->greeting, self->greeting_len))
    add_finding (self, ZS_ZMTP_FINDING_NOT_ZMTP, _("not ZMTP: looks like HTTP (“%s”)"), start);
  else
    add_finding (self, ZS_ZMTP_FINDING_NOT_ZMTP,
                 _("not ZMTP 3: no ZMTP signature (starts with “%s”): another protocol, or ZMTP 1.0"), start);
  fail (self);
}

/* A mechanism name: upper-case letters, digits, '-', '_', '.', '+', then NULs. */
static gboolean
read_mechanism (ZsZmtpDecoder *self)
{
  const guint8 *m = self->greeting + 12;
  gsize n = 0;

  while (n < 20 && m[n] != 0)
    {
      if (!g_ascii_isupper (m[n]) && !g_ascii_isdigit (m[n]) && strchr ("-_.+", m[n]) == NULL)
        return FALSE;
      n++;
    }
  for (gsize i = n; i < 20; i++)
    if (m[i] != 0)
      return FALSE;
  memcpy (self->mechanism, m, n);
  self->mechanism[n] = '\0';
  return n > 0;
}

/* Checks what the greeting holds so far; FALSE when it failed. */
static gboolean
check_greeting (ZsZmtpDecoder *self)
{
  const guint8 *g = self->greeting;

  if (self->greeting_len == SIGNATURE_SIZE && (g[0] != 0xff || !(g[9] & 0x01)))
    {
      if (g[0] == 0xff && !looks_like_http (g, self->greeting_len))
        {
          add_finding (self, ZS_ZMTP_FINDING_BAD_GREETING,
                       _("malformed ZMTP greeting: the signature does not end in 0x7f"));
          fail (self);
        }
      else
        not_zmtp (self);
      return FALSE;
    }
  if (self->greeting_len == SIGNATURE_SIZE + 1 && g[10] < 3)
    {
      add_finding (self, ZS_ZMTP_FINDING_OLD_VERSION,
                   _("ZMTP revision %u (older than 3.0): not decoded"), g[10]);
      fail (self);
      return FALSE;
    }
  if (self->greeting_len < GREETING_SIZE)
    return TRUE;
  self->major = g[10];
  self->minor = g[11];
  if (!read_mechanism (self) || g[32] > 1)
    {
      g_autofree char *mech = zs_zmtp_escape (g + 12, 20);

      add_finding (self, ZS_ZMTP_FINDING_BAD_GREETING,
                   _("malformed ZMTP greeting: mechanism “%s”, as-server %u"), mech, g[32]);
      fail (self);
      return FALSE;
    }
  self->as_server = g[32] == 1;
  self->zmtp = TRUE;
  self->state = ZS_ZMTP_FRAMES;
  start_frame (self);
  return TRUE;
}

static gsize
feed_greeting (ZsZmtpDecoder *self,
               const guint8  *data,
               gsize          len)
{
  gsize used = 0;

  while (used < len && self->state == ZS_ZMTP_GREETING)
    {
      /* Byte by byte up to the version, where the checks are; then at once. */
      gsize want = self->greeting_len <= SIGNATURE_SIZE ? 1 : GREETING_SIZE - self->greeting_len;
      gsize n = MIN (want, len - used);

      if (self->greeting_len < SIGNATURE_SIZE)
        n = MIN (SIGNATURE_SIZE - self->greeting_len, len - used);
      memcpy (self->greeting + self->greeting_len, data + used, n);
      self->greeting_len += n;
      used += n;
      if (!check_greeting (self))
        break;
    }
  return used;
}

/* Commands --------------------------------------------------------------- */

static void
set_string (char        **field,
            const guint8 *data,
            gsize         len)
{
  g_free (*field);
  *field = zs_zmtp_escape (data, len);
}

/* name-len (1) name value-len (4, big endian) value, repeated. */
static void
read_metadata (ZsZmtpDecoder *self,
               const guint8  *p,
               gsize          len)
{
  while (len > 0)
    {
      gsize name_len = p[0];
      guint32 value_len;
      const guint8 *name = p + 1, *value;

      if (name_len == 0 || len < 1 + name_len + 4)
        break;
      value = name + name_len + 4;
      value_len = ((guint32) name[name_len] << 24) | ((guint32) name[name_len + 1] << 16)
                  | ((guint32) name[name_len + 2] << 8) | name[name_len + 3];
      if (value_len > len - 1 - name_len - 4)
        break;  /* cut where the kept body ends */
      if (name_len == 11 && g_ascii_strncasecmp ((const char *) name, "Socket-Type", 11) == 0)
        set_string (&self->socket_type, value, value_len);
      else if ((name_len == 8 && g_ascii_strncasecmp ((const char *) name, "Identity", 8) == 0)
               || (name_len == 10 && g_ascii_strncasecmp ((const char *) name, "Routing-Id", 10) == 0))
        set_string (&self->identity, value, value_len);
      p = value + value_len;
      len -= 1 + name_len + 4 + value_len;
    }
}

static ZsZmtpTopic *
find_topic (ZsZmtpDecoder *self,
            const char    *topic,
            guint         *index)
{
  for (guint i = 0; i < self->topics->len; i++)
    {
      ZsZmtpTopic *t = g_ptr_array_index (self->topics, i);

      if (g_str_equal (t->topic, topic))
        {
          *index = i;
          return t;
        }
    }
  return NULL;
}

static void
subscription (ZsZmtpDecoder *self,
              gboolean       subscribe,
              const guint8  *data,
              gsize          len)
{
  g_autofree char *topic = zs_zmtp_escape (data, len);
  guint index = 0;
  ZsZmtpTopic *t = find_topic (self, topic, &index);

  if (subscribe)
    self->counts.subscribes++;
  else
    self->counts.cancels++;
  if (subscribe && t == NULL && self->topics->len < ZS_ZMTP_MAX_TOPICS)
    {
      t = g_new0 (ZsZmtpTopic, 1);
      t->topic = g_steal_pointer (&topic);
      g_ptr_array_add (self->topics, t);
    }
  if (t == NULL)
    return;
  if (subscribe)
    t->count++;
  else if (--t->count == 0)
    g_ptr_array_remove_index (self->topics, index);
}

static gboolean
is_command (const guint8 *name,
            gsize         name_len,
            const char   *command)
{
  return name_len == strlen (command) && memcmp (name, command, name_len) == 0;
}

static void
end_command (ZsZmtpDecoder *self)
{
  const guint8 *b = self->body;
  gsize kept = self->body_len, name_len = kept > 0 ? b[0] : 0;
  const guint8 *name = b + 1, *rest = b + 1 + name_len;
  gsize rest_len;
  gboolean curve = g_str_equal (self->mechanism, "CURVE");

  if (name_len == 0 || 1 + name_len > kept)
    {
      add_finding (self, ZS_ZMTP_FINDING_BAD_COMMAND, _("malformed command frame (%" PRIu64 " bytes)"),
                   self->frame_size);
      return;
    }
  rest_len = kept - 1 - name_len;
  if (is_command (name, name_len, "MESSAGE"))
    {
      self->counts.encrypted_frames++;
      self->counts.encrypted_bytes += self->frame_size;
      return;
    }
  self->counts.commands++;
  if (is_command (name, name_len, "READY"))
    {
      self->handshake_done = TRUE;
      if (!curve)
        read_metadata (self, rest, rest_len);
    }
  else if (is_command (name, name_len, "INITIATE") && !curve)
    read_metadata (self, rest, rest_len);
  else if (is_command (name, name_len, "HELLO") && g_str_equal (self->mechanism, "PLAIN"))
    {
      /* user-len user password-len password: the password stays unread. */
      if (rest_len >= 1 && rest[0] <= rest_len - 1)
        set_string (&self->user, rest + 1, rest[0]);
    }
  else if (is_command (name, name_len, "SUBSCRIBE"))
    subscription (self, TRUE, rest, rest_len);
  else if (is_command (name, name_len, "CANCEL"))
    subscription (self, FALSE, rest, rest_len);
  else if (is_command (name, name_len, "PING"))
    self->counts.pings++;
  else if (is_command (name, name_len, "PONG"))
    self->counts.pongs++;
  else if (is_command (name, name_len, "ERROR"))
    {
      g_autofree char *reason = NULL;

      self->counts.errors++;
      reason = zs_zmtp_escape (rest + (rest_len > 0), rest_len > 0 ? MIN (rest[0], rest_len - 1) : 0);
      add_finding (self, ZS_ZMTP_FINDING_ERROR, _("the peer sent ERROR: “%s”"), reason);
    }
}

/* Messages --------------------------------------------------------------- */

static gboolean
sender_subscribes (ZsZmtpDecoder *self)
{
  return self->socket_type != NULL
         && (g_str_equal (self->socket_type, "SUB") || g_str_equal (self->socket_type, "XSUB"));
}

static void
end_data_frame (ZsZmtpDecoder *self)
{
  guint i = self->msg_frames;

  if (i < ZS_ZMTP_KEEP_FRAMES)
    {
      gsize kept = MIN (self->body_len, ZS_ZMTP_KEEP_DATA);

      memcpy (self->msg_keep[i], self->body, kept);
      /* Bytes the capture lost read as zeros, never as an older frame's. */
      if (self->message_func != NULL)
        memset (self->msg_keep[i] + kept, 0, ZS_ZMTP_KEEP_DATA - kept);
      self->msg_kept[i] = kept;
      self->msg_sizes[i] = self->frame_size;
    }
  self->msg_frames++;
  self->msg_bytes += self->frame_size;
  if (self->flags & FLAG_MORE)
    {
      self->msg_delimiter |= self->frame_size == 0;
      return;
    }
  /* 3.0: a SUB's message whose first byte is 1 subscribes, 0 cancels. */
  if (self->msg_frames == 1 && self->frame_size >= 1 && sender_subscribes (self)
      && self->msg_keep[0][0] <= 1)
    subscription (self, self->msg_keep[0][0] == 1, self->msg_keep[0] + 1, self->msg_kept[0] - 1);
  else
    {
      self->counts.messages++;
      self->counts.frames += self->msg_frames;
      self->counts.bytes += self->msg_bytes;
      self->counts.multipart += self->msg_frames > 1;
      self->counts.enveloped += self->msg_delimiter;
      if (self->message_func != NULL)
        {
          const guint8 *data[ZS_ZMTP_KEEP_FRAMES];

          for (guint f = 0; f < ZS_ZMTP_KEEP_FRAMES; f++)
            data[f] = self->msg_keep[f];
          self->message_func (self->message_data, self->msg_frames, data, self->msg_kept, self->msg_sizes);
        }
    }
  self->msg_frames = 0;
  self->msg_bytes = 0;
  self->msg_delimiter = FALSE;
}

static void
end_frame (ZsZmtpDecoder *self)
{
  if (self->flags & FLAG_COMMAND)
    end_command (self);
  else
    end_data_frame (self);
  if (self->tentative > 0)
    self->tentative--;
  start_frame (self);
}

/* A malformed frame: right after a resync, the guess was wrong. */
static void
bad_frame (ZsZmtpDecoder *self,
           const char    *text)
{
  if (self->tentative > 0)
    {
      start_resync (self);
      return;
    }
  add_finding (self, ZS_ZMTP_FINDING_BAD_FRAME, "%s", text);
  fail (self);
}

static void
read_flags (ZsZmtpDecoder *self,
            guint8         flags)
{
  if (flags & FLAG_RESERVED)
    {
      g_autofree char *text = g_strdup_printf (_("malformed frame: flags 0x%02x have reserved bits set"), flags);

      bad_frame (self, text);
      return;
    }
  if ((flags & FLAG_COMMAND) && (flags & FLAG_MORE))
    {
      bad_frame (self, _("malformed frame: a command with the MORE flag"));
      return;
    }
  self->flags = flags;
  self->size_need = flags & FLAG_LONG ? 8 : 1;
  self->part = PART_SIZE;
}

static void
read_size (ZsZmtpDecoder *self)
{
  guint64 size = 0;

  for (guint i = 0; i < self->size_need; i++)
    size = (size << 8) | self->size_bytes[i];
  if (size > G_MAXINT64)
    {
      g_autofree char *text = g_strdup_printf (_("malformed frame: declared length %" PRIu64
                                                 " is beyond ZMTP's limit (2^63 - 1)"), size);

      bad_frame (self, text);
      return;
    }
  self->frame_size = size;
  self->part = PART_BODY;
  if (size == 0)
    end_frame (self);
}

/* Reads frames until the bytes end or the state changes; returns the bytes used. */
static gsize
feed_frames (ZsZmtpDecoder *self,
             const guint8  *data,
             gsize          len)
{
  gsize i = 0;

  while (i < len && self->state == ZS_ZMTP_FRAMES)
    {
      switch (self->part)
        {
        case PART_FLAGS:
          read_flags (self, data[i++]);
          break;
        case PART_SIZE:
          self->size_bytes[self->size_len++] = data[i++];
          if (self->size_len == self->size_need)
            read_size (self);
          break;
        case PART_BODY:
          {
            guint64 left = self->frame_size - self->frame_done;
            gsize n = (gsize) MIN (left, (guint64) (len - i));
            gsize keep = self->flags & FLAG_COMMAND ? ZS_ZMTP_KEEP_COMMAND : ZS_ZMTP_KEEP_DATA;

            if (self->body_len < keep)
              {
                gsize k = MIN (n, keep - self->body_len);

                memcpy (self->body + self->body_len, data + i, k);
                self->body_len += k;
              }
            self->frame_done += n;
            i += n;
            if (self->frame_done == self->frame_size)
              end_frame (self);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return i;
}

/* Resynchronising -------------------------------------------------------- */

typedef enum {
  CHAIN_NO,
  CHAIN_YES,
  CHAIN_MORE,   /* not enough bytes yet to tell */
} Chain;

static gboolean
known_command (const guint8 *name,
               gsize         len)
{
  static const char *const names[] = {
    "READY", "ERROR", "SUBSCRIBE", "CANCEL", "PING", "PONG", "HELLO", "WELCOME", "INITIATE", "MESSAGE",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (is_command (name, len, names[i]))
      return TRUE;
  return FALSE;
}

/* Do frames start at `at`? Three well-formed frame headers in a row (not
 * all empty), or a known command, say yes. */
static Chain
try_chain (const guint8 *buf,
           gsize         len,
           gsize         at)
{
  gsize p = at;
  gboolean any_body = FALSE;

  for (guint n = 0; n < 3; n++)
    {
      guint8 flags;
      gsize need;
      guint64 size = 0;

      if (p >= len)
        return CHAIN_MORE;
      flags = buf[p];
      if ((flags & FLAG_RESERVED) || ((flags & FLAG_COMMAND) && (flags & FLAG_MORE)))
        return CHAIN_NO;
      need = flags & FLAG_LONG ? 8 : 1;
      if (p + 1 + need > len)
        return CHAIN_MORE;
      for (gsize i = 0; i < need; i++)
        size = (size << 8) | buf[p + 1 + i];
      if (size > G_MAXINT64 || ((flags & FLAG_LONG) && size < 256))
        return CHAIN_NO;
      if (flags & FLAG_COMMAND)
        {
          gsize b = p + 1 + need;

          if (b + 1 > len)
            return CHAIN_MORE;
          if (buf[b] == 0 || (guint64) buf[b] + 1 > size)
            return CHAIN_NO;
          if (b + 1 + buf[b] > len)
            return CHAIN_MORE;
          if (known_command (buf + b + 1, buf[b]))
            return CHAIN_YES;
          return CHAIN_NO;
        }
      any_body |= size > 0;
      if (size > len - p - 1 - need)
        return CHAIN_MORE;
      p += 1 + need + size;
    }
  return any_body ? CHAIN_YES : CHAIN_NO;
}

/* Frames start at `at` of the window: what follows it is read again. */
static void
resynced (ZsZmtpDecoder *self,
          gsize          at)
{
  self->counts.skipped_bytes += at;
  add_finding (self, ZS_ZMTP_FINDING_RESYNC,
               _("found a frame boundary again after %" PRIu64 " undecoded bytes"),
               self->counts.skipped_bytes);
  memmove (self->resync, self->resync + at, self->resync_len - at);
  g_free (self->replay);
  self->replay = g_steal_pointer (&self->resync);
  self->replay_len = self->resync_len - at;
  self->resync_len = 0;
  self->zmtp = TRUE;
  self->state = ZS_ZMTP_FRAMES;
  self->tentative = TENTATIVE_FRAMES;
  start_frame (self);
}

/* Gathers bytes into the window and looks for frames; returns the bytes used. */
static gsize
feed_resync (ZsZmtpDecoder *self,
             const guint8  *data,
             gsize          len)
{
  gsize n = MIN (len, RESYNC_WINDOW - self->resync_len);
  gsize at;
  Chain chain = CHAIN_NO;

  memcpy (self->resync + self->resync_len, data, n);
  self->resync_len += n;
  for (at = 0; at < self->resync_len; at++)
    if ((chain = try_chain (self->resync, self->resync_len, at)) != CHAIN_NO)
      break;
  /* A frame too long to see past in a full window: taken, tentatively. */
  if (chain == CHAIN_YES || (chain == CHAIN_MORE && at == 0 && self->resync_len == RESYNC_WINDOW))
    {
      resynced (self, at);
      return n;
    }
  /* Nothing before `at` starts frames. */
  self->counts.skipped_bytes += at;
  memmove (self->resync, self->resync + at, self->resync_len - at);
  self->resync_len -= at;
  return n;
}

/* Entry points ------------------------------------------------------------ */

/* Reads what it can in the current state; returns the bytes used. */
static gsize
step (ZsZmtpDecoder *self,
      const guint8  *data,
      gsize          len)
{
  switch (self->state)
    {
    case ZS_ZMTP_GREETING:
      return feed_greeting (self, data, len);
    case ZS_ZMTP_FRAMES:
      return feed_frames (self, data, len);
    case ZS_ZMTP_RESYNC:
      return feed_resync (self, data, len);
    case ZS_ZMTP_FAILED:
      self->counts.skipped_bytes += len;
      return len;
    default:
      g_assert_not_reached ();
    }
}

/* A boundary found again: the window's bytes from there are read as
 * frames, before anything newer. Should that go wrong and find another
 * boundary, what is left of this replay goes behind the new one. */
static void
run_replay (ZsZmtpDecoder *self)
{
  while (self->replay != NULL)
    {
      g_autofree guint8 *buf = g_steal_pointer (&self->replay);
      gsize len = self->replay_len, used = 0;

      self->replay_len = 0;
      while (used < len && self->replay == NULL)
        used += step (self, buf + used, len - used);
      if (used < len)
        {
          self->replay = g_realloc (self->replay, self->replay_len + len - used);
          memcpy (self->replay + self->replay_len, buf + used, len - used);
          self->replay_len += len - used;
        }
    }
}

void
zs_zmtp_decoder_feed (ZsZmtpDecoder *self,
                      const guint8  *data,
                      gsize          len)
{
  g_return_if_fail (self != NULL);

  while (len > 0)
    {
      gsize used = step (self, data, len);

      data += used;
      len -= used;
      run_replay (self);
    }
}

void
zs_zmtp_decoder_gap (ZsZmtpDecoder *self,
                     guint64        len)
{
  g_return_if_fail (self != NULL);

  if (self->state == ZS_ZMTP_FAILED)
    return;
  /* Inside a frame's body, the loss only shortens what is kept of it. */
  if (self->state == ZS_ZMTP_FRAMES && self->part == PART_BODY && len <= self->frame_size - self->frame_done)
    {
      self->frame_done += len;
      if (self->frame_done == self->frame_size)
        end_frame (self);
      return;
    }
  add_finding (self, ZS_ZMTP_FINDING_GAP,
               _("%" PRIu64 " bytes missing from the capture: looking for the next frame"), len);
  if (self->state == ZS_ZMTP_GREETING)
    self->midstream = TRUE;
  if (self->state == ZS_ZMTP_RESYNC)
    {
      /* What was gathered no longer joins what comes next. */
      self->counts.skipped_bytes += self->resync_len;
      self->resync_len = 0;
    }
  else
    start_resync (self);
}

void
zs_zmtp_decoder_finish (ZsZmtpDecoder *self)
{
  g_return_if_fail (self != NULL);

  if (self->state == ZS_ZMTP_GREETING && self->greeting_len > 0)
    {
      if (self->greeting_len < SIGNATURE_SIZE && !(self->greeting[0] == 0xff))
        not_zmtp (self);
      else
        {
          add_finding (self, ZS_ZMTP_FINDING_TRUNCATED,
                       _("the stream ended inside the greeting (%u of 64 bytes)"), self->greeting_len);
          fail (self);
        }
    }
  else if (self->state == ZS_ZMTP_FRAMES && (self->part != PART_FLAGS || self->msg_frames > 0))
    add_finding (self, ZS_ZMTP_FINDING_TRUNCATED,
                 _("the stream ended inside a message (frame of %" PRIu64 " bytes, %" PRIu64
                   " seen)"), self->frame_size, self->frame_done);
  else if (self->state == ZS_ZMTP_RESYNC)
    self->counts.skipped_bytes += self->resync_len;
  g_clear_pointer (&self->resync, g_free);
  self->resync_len = 0;
  if (self->state == ZS_ZMTP_RESYNC)
    self->state = ZS_ZMTP_FAILED;
}

ZsZmtpState
zs_zmtp_decoder_get_state (ZsZmtpDecoder *self)
{
  return self->state;
}

gboolean
zs_zmtp_decoder_is_zmtp (ZsZmtpDecoder *self)
{
  return self->zmtp;
}

gboolean
zs_zmtp_decoder_joined_midstream (ZsZmtpDecoder *self)
{
  return self->midstream;
}

void
zs_zmtp_decoder_get_version (ZsZmtpDecoder *self,
                             guint         *major,
                             guint         *minor)
{
  *major = self->major;
  *minor = self->minor;
}

const char *
zs_zmtp_decoder_get_mechanism (ZsZmtpDecoder *self)
{
  return self->mechanism[0] != '\0' ? self->mechanism : NULL;
}

gboolean
zs_zmtp_decoder_get_as_server (ZsZmtpDecoder *self)
{
  return self->as_server;
}

const char *
zs_zmtp_decoder_get_socket_type (ZsZmtpDecoder *self)
{
  return self->socket_type;
}

const char *
zs_zmtp_decoder_get_identity (ZsZmtpDecoder *self)
{
  return self->identity;
}

const char *
zs_zmtp_decoder_get_user (ZsZmtpDecoder *self)
{
  return self->user;
}

gboolean
zs_zmtp_decoder_is_encrypted (ZsZmtpDecoder *self)
{
  return g_str_equal (self->mechanism, "CURVE") || self->counts.encrypted_frames > 0;
}

gboolean
zs_zmtp_decoder_handshake_done (ZsZmtpDecoder *self)
{
  return self->handshake_done;
}

const ZsZmtpCounts *
zs_zmtp_decoder_get_counts (ZsZmtpDecoder *self)
{
  return &self->counts;
}

GPtrArray *
zs_zmtp_decoder_get_topics (ZsZmtpDecoder *self)
{
  return self->topics;
}

GPtrArray *
zs_zmtp_decoder_get_findings (ZsZmtpDecoder *self)
{
  return self->findings;
}

guint
zs_zmtp_decoder_get_n_findings (ZsZmtpDecoder *self)
{
  return self->n_findings;
}
