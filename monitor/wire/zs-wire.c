/* zs-wire.c: ZeroMQ connections found in captured packets
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <pcap/dlt.h>
#include <string.h>

#include "zs-wire.h"
#include "zs-wire-proc.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_ACK 0x10

/* Both ends of a connection, the lower (address, port) first. */
typedef struct {
  guint8   family;
  guint8   a[16];
  guint8   b[16];
  guint16  a_port;
  guint16  b_port;
} ConnKey;

/* What one TCP segment says, borrowed from the packet. */
typedef struct {
  ZsWireAddress  src;
  ZsWireAddress  dst;
  guint32        seq;
  guint32        ack;
  guint8         flags;
  const guint8  *payload;
  gsize          captured;    /* payload bytes in the capture */
  gsize          length;      /* payload bytes on the wire */
} Segment;

struct _ZsWire {
  gboolean      auto_detect;
  guint8        ports[65536 / 8];
  guint8        ignored[65536 / 8];
  char         *filter;
  gboolean      resolve;
  ZsWireProc   *proc;
  GHashTable   *active;        /* ConnKey -> ZsWireConnection */
  GPtrArray    *connections;   /* every one kept, in order of first sight */
  guint         next_id;
  guint64       packets;
  guint64       skipped;
  guint64       overflow;
  gint64        now_us;        /* the packet being read */
  ZsWireMessageFunc message_func;
  gpointer      message_data;
};

static guint
conn_key_hash (gconstpointer key)
{
  const guint8 *p = key;
  guint h = 2166136261u;

  for (gsize i = 0; i < sizeof (ConnKey); i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

static gboolean
conn_key_equal (gconstpointer a,
                gconstpointer b)
{
  return memcmp (a, b, sizeof (ConnKey)) == 0;
}

static int
address_compare (const ZsWireAddress *a,
                 const ZsWireAddress *b)
{
  int c = memcmp (a->addr, b->addr, sizeof a->addr);

  return c != 0 ? c : (int) a->port - (int) b->port;
}

static ConnKey *
conn_key_new (const ZsWireAddress *x,
              const ZsWireAddress *y)
{
  ConnKey *key = g_new0 (ConnKey, 1);

  if (address_compare (x, y) > 0)
    {
      const ZsWireAddress *t = x;

      x = y;
      y = t;
    }
  key->family = (guint8) x->family;
  memcpy (key->a, x->addr, 16);
  memcpy (key->b, y->addr, 16);
  key->a_port = x->port;
  key->b_port = y->port;
  return key;
}

static void
connection_free (ZsWireConnection *c)
{
  for (guint d = 0; d < 2; d++)
    {
      zs_tcp_stream_clear (&c->dir[d].stream);
      zs_zmtp_decoder_free (c->dir[d].zmtp);
      g_free (c->process[d].command);
    }
  g_free (c);
}

ZsWire *
zs_wire_new (void)
{
  ZsWire *self = g_new0 (ZsWire, 1);

  self->auto_detect = TRUE;
  self->active = g_hash_table_new_full (conn_key_hash, conn_key_equal, g_free, NULL);
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_free);
  return self;
}

void
zs_wire_free (ZsWire *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->active);
  g_ptr_array_unref (self->connections);
  zs_wire_proc_free (self->proc);
  g_free (self->filter);
  g_free (self);
}

/* Ports ------------------------------------------------------------------- */

static gboolean
parse_port (const char  *text,
            guint       *port,
            GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (g_strstrip ((char *) text), 10, 1, 65535, &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("“%s” is not a port (1 to 65535)"), text);
      return FALSE;
    }
  *port = (guint) value;
  return TRUE;
}

gboolean
zs_wire_set_ports (ZsWire      *self,
                   const char  *ports,
                   GError     **error)
{
  g_auto(GStrv) items = NULL;
  g_autoptr(GString) filter = g_string_new ("tcp");
  guint8 set[sizeof self->ports] = { 0 };

  g_return_val_if_fail (self != NULL, FALSE);

  if (ports == NULL || *ports == '\0')
    {
      self->auto_detect = TRUE;
      memset (self->ports, 0, sizeof self->ports);
      g_clear_pointer (&self->filter, g_free);
      return TRUE;
    }
  items = g_strsplit (ports, ",", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *dash = strchr (items[i], '-');
      guint lo, hi;

      if (dash != NULL)
        *dash = '\0';
      if (!parse_port (items[i], &lo, error) || !parse_port (dash != NULL ? dash + 1 : items[i], &hi, error))
        return FALSE;
      if (hi < lo)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("the port range %u-%u ends before it starts"), lo, hi);
          return FALSE;
        }
      for (guint p = lo; p <= hi; p++)
        set[p / 8] |= 1 << (p % 8);
      g_string_append (filter, i == 0 ? " and (" : " or ");
      if (lo == hi)
        g_string_append_printf (filter, "port %u", lo);
      else
        g_string_append_printf (filter, "portrange %u-%u", lo, hi);
    }
  g_string_append (filter, ")");
  memcpy (self->ports, set, sizeof set);
  self->auto_detect = FALSE;
  g_free (self->filter);
  self->filter = g_string_free (g_steal_pointer (&filter), FALSE);
  return TRUE;
}

void
zs_wire_ignore_port (ZsWire  *self,
                     guint16  port)
{
  g_return_if_fail (self != NULL);

  self->ignored[port / 8] |= 1 << (port % 8);
}

gboolean
zs_wire_get_auto_detect (ZsWire *self)
{
  return self->auto_detect;
}

char *
zs_wire_get_filter (ZsWire *self)
{
  return g_strdup (self->filter != NULL ? self->filter : "tcp");
}

void
zs_wire_set_resolve_processes (ZsWire   *self,
                               gboolean  resolve)
{
  self->resolve = resolve;
}

static gboolean
watched (ZsWire  *self,
         guint16  port)
{
  return (self->ports[port / 8] >> (port % 8)) & 1;
}

/* Link layer, IP, TCP ------------------------------------------------------ */

static guint16
be16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static guint32
be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* The network layer's start and protocol (an ethertype, or 4 / 6 for a
 * bare IP packet); FALSE for a link layer it cannot read. */
static gboolean
strip_link (int            dlt,
            const guint8 **data,
            gsize         *caplen,
            guint         *ethertype)
{
  const guint8 *p = *data;
  gsize n = *caplen, skip;
  guint type;

  switch (dlt)
    {
    case DLT_EN10MB:
      if (n < 14)
        return FALSE;
      type = be16 (p + 12);
      skip = 14;
      while ((type == 0x8100 || type == 0x88a8) && n >= skip + 4)
        {
          type = be16 (p + skip + 2);
          skip += 4;
        }
      break;
    case DLT_LINUX_SLL:
      if (n < 16)
        return FALSE;
      type = be16 (p + 14);
      skip = 16;
      break;
    case DLT_LINUX_SLL2:
      if (n < 20)
        return FALSE;
      type = be16 (p);
      skip = 20;
      break;
    case DLT_NULL:
    case DLT_LOOP:
      {
        guint32 family;

        if (n < 4)
          return FALSE;
        if (dlt == DLT_LOOP)
          family = be32 (p);
        else
          memcpy (&family, p, 4);
        if (dlt == DLT_NULL && family > 0xffff)
          family = GUINT32_SWAP_LE_BE (family);   /* written on a host of the other order */
        type = family == 2 ? 0x0800 : (family == 10 || family == 24 || family == 28 || family == 30) ? 0x86dd : 0;
        skip = 4;
      }
      break;
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
      if (n < 1)
        return FALSE;
      type = (p[0] >> 4) == 4 ? 0x0800 : (p[0] >> 4) == 6 ? 0x86dd : 0;
      skip = 0;
      break;
    default:
      return FALSE;
    }
  if (n < skip)
    return FALSE;
  *data = p + skip;
  *caplen = n - skip;
  *ethertype = type;
  return TRUE;
}

/* IPv4 or IPv6 to its TCP segment; FALSE when it is not one we can read. */
static gboolean
parse_ip (guint         ethertype,
          const guint8 *p,
          gsize         caplen,
          Segment      *seg,
          const guint8 **tcp,
          gsize         *tcp_caplen,
          gsize         *tcp_len)
{
  gsize header, total;

  memset (&seg->src, 0, sizeof seg->src);
  memset (&seg->dst, 0, sizeof seg->dst);
  if (ethertype == 0x0800)
    {
      if (caplen < 20 || (p[0] >> 4) != 4)
        return FALSE;
      header = (p[0] & 0x0f) * 4u;
      total = be16 (p + 2);
      /* Fragments (offset or more-fragments) are not reassembled. */
      if (header < 20 || p[9] != 6 || (be16 (p + 6) & 0x3fff) != 0 || total < header)
        return FALSE;
      seg->src.family = seg->dst.family = AF_INET;
      memcpy (seg->src.addr, p + 12, 4);
      memcpy (seg->dst.addr, p + 16, 4);
    }
  else if (ethertype == 0x86dd)
    {
      if (caplen < 40 || (p[0] >> 4) != 6 || p[6] != 6)
        return FALSE;   /* extension headers are not followed */
      header = 40;
      total = 40 + (gsize) be16 (p + 4);
      seg->src.family = seg->dst.family = AF_INET6;
      memcpy (seg->src.addr, p + 8, 16);
      memcpy (seg->dst.addr, p + 24, 16);
    }
  else
    return FALSE;
  if (caplen < header)
    return FALSE;
  *tcp = p + header;
  *tcp_caplen = MIN (caplen, total) - header;
  *tcp_len = total - header;
  return TRUE;
}

static gboolean
parse_segment (int           dlt,
               const guint8 *data,
               gsize         caplen,
               Segment      *seg)
{
  const guint8 *tcp;
  gsize tcp_caplen, tcp_len, header;
  guint ethertype;

  if (!strip_link (dlt, &data, &caplen, &ethertype)
      || !parse_ip (ethertype, data, caplen, seg, &tcp, &tcp_caplen, &tcp_len))
    return FALSE;
  if (tcp_caplen < 20)
    return FALSE;
  header = (tcp[12] >> 4) * 4u;
  if (header < 20 || header > tcp_len || header > tcp_caplen)
    return FALSE;
  seg->src.port = be16 (tcp);
  seg->dst.port = be16 (tcp + 2);
  seg->seq = be32 (tcp + 4);
  seg->ack = be32 (tcp + 8);
  seg->flags = tcp[13];
  seg->payload = tcp + header;
  seg->captured = tcp_caplen - header;
  seg->length = tcp_len - header;
  return TRUE;
}

/* Connections --------------------------------------------------------------- */

static void
direction_deliver (gpointer      user_data,
                   const guint8 *data,
                   gsize         len)
{
  zs_zmtp_decoder_feed (((ZsWireDirection *) user_data)->zmtp, data, len);
}

static void
direction_gap (gpointer user_data,
               guint64  len)
{
  zs_zmtp_decoder_gap (((ZsWireDirection *) user_data)->zmtp, len);
}

static const ZsTcpStreamReader direction_reader = { direction_deliver, direction_gap };

static void
direction_message (gpointer       user_data,
                   guint          n_frames,
                   const guint8 **data,
                   const gsize   *kept,
                   const guint64 *sizes)
{
  ZsWireDirection *d = user_data;
  ZsWire *wire = d->wire;

  wire->message_func (wire->message_data, d->connection, d->index, wire->now_us, n_frames, data, kept, sizes);
}

void
zs_wire_set_message_func (ZsWire            *self,
                          ZsWireMessageFunc  func,
                          gpointer           user_data)
{
  g_return_if_fail (self != NULL);

  self->message_func = func;
  self->message_data = user_data;
}

static ZsWireConnection *
connection_new (ZsWire              *self,
                const ZsWireAddress *client,
                const ZsWireAddress *server,
                gboolean             saw_syn,
                gint64               time_us)
{
  ZsWireConnection *c = g_new0 (ZsWireConnection, 1);

  c->id = self->next_id++;
  c->client = *client;
  c->server = *server;
  c->saw_syn = saw_syn;
  c->first_us = c->last_us = time_us;
  for (guint d = 0; d < 2; d++)
    {
      c->dir[d].zmtp = zs_zmtp_decoder_new ();
      c->dir[d].wire = self;
      c->dir[d].connection = c;
      c->dir[d].index = d;
      /* Only when wanted: the decoder then keeps whole frame prefixes. */
      if (self->message_func != NULL)
        zs_zmtp_decoder_set_message_func (c->dir[d].zmtp, direction_message, &c->dir[d]);
      zs_tcp_stream_init (&c->dir[d].stream, &direction_reader, &c->dir[d], ZS_TCP_STREAM_DEFAULT_CAP);
      if (!saw_syn)
        zs_zmtp_decoder_join_midstream (c->dir[d].zmtp);
    }
  g_hash_table_insert (self->active, conn_key_new (client, server), c);
  g_ptr_array_add (self->connections, c);
  return c;
}

static void
connection_end (ZsWireConnection *c)
{
  for (guint d = 0; d < 2; d++)
    {
      zs_tcp_stream_flush (&c->dir[d].stream);
      zs_tcp_stream_clear (&c->dir[d].stream);
      zs_zmtp_decoder_finish (c->dir[d].zmtp);
    }
}

static void
forget (ZsWire           *self,
        ZsWireConnection *c)
{
  g_autofree ConnKey *key = conn_key_new (&c->client, &c->server);

  g_hash_table_remove (self->active, key);
}

static void
close_connection (ZsWire           *self,
                  ZsWireConnection *c,
                  gint64            time_us)
{
  c->closed = TRUE;
  c->closed_us = time_us;
  connection_end (c);
  forget (self, c);
}

/* Not ZMTP, found by auto-detection: no longer followed nor reported. */
static gboolean
not_zmtp (ZsWireConnection *c)
{
  for (guint d = 0; d < 2; d++)
    {
      ZsZmtpDecoder *z = c->dir[d].zmtp;

      if (zs_zmtp_decoder_get_state (z) == ZS_ZMTP_FAILED && !zs_zmtp_decoder_is_zmtp (z))
        return TRUE;
    }
  return FALSE;
}

static void
drop_connection (ZsWire           *self,
                 ZsWireConnection *c)
{
  forget (self, c);
  g_ptr_array_remove (self->connections, c);
}

/* The connection this segment belongs to, a new one, or NULL when it is
 * not followed. */
static ZsWireConnection *
find_connection (ZsWire        *self,
                 const Segment *seg,
                 gint64         time_us)
{
  g_autofree ConnKey *key = conn_key_new (&seg->src, &seg->dst);
  ZsWireConnection *c = g_hash_table_lookup (self->active, key);
  gboolean syn = (seg->flags & TCP_SYN) != 0, ack = (seg->flags & TCP_ACK) != 0;
  gboolean on_ports = watched (self, seg->src.port) || watched (self, seg->dst.port);

  if (((self->ignored[seg->src.port / 8] >> (seg->src.port % 8)) & 1)
      || ((self->ignored[seg->dst.port / 8] >> (seg->dst.port % 8)) & 1))
    return NULL;

  /* A new SYN on the address pair of a finished connection: a new one.
   * (A SYN repeated while it is being set up is the same.) */
  if (c != NULL && syn && !ack && (c->closed || c->dir[0].stream.delivered > 0))
    {
      close_connection (self, c, time_us);
      c = NULL;
    }
  if (c != NULL)
    return c;
  if (!(self->auto_detect || on_ports) || (seg->flags & TCP_RST))
    return NULL;
  /* Started mid-stream: only on watched ports, and only with data. */
  if (!syn && (self->auto_detect || seg->length == 0))
    return NULL;
  if (g_hash_table_size (self->active) >= ZS_WIRE_MAX_CONNECTIONS || self->connections->len >= ZS_WIRE_MAX_KEPT)
    {
      self->overflow++;
      return NULL;
    }
  if (syn && !ack)
    return connection_new (self, &seg->src, &seg->dst, TRUE, time_us);
  if (syn)
    return connection_new (self, &seg->dst, &seg->src, TRUE, time_us);
  /* Which end binds: the watched port's (both watched: the lower one). */
  if (watched (self, seg->dst.port) && (!watched (self, seg->src.port) || seg->dst.port <= seg->src.port))
    return connection_new (self, &seg->src, &seg->dst, FALSE, time_us);
  return connection_new (self, &seg->dst, &seg->src, FALSE, time_us);
}

static gboolean
same_address (const ZsWireAddress *a,
              const ZsWireAddress *b)
{
  return a->port == b->port && memcmp (a->addr, b->addr, sizeof a->addr) == 0;
}

static void
track_acks (ZsWireConnection *c,
            guint             d,
            const Segment    *seg)
{
  ZsWireDirection *self_dir = &c->dir[d], *other = &c->dir[1 - d];
  guint32 end = seg->seq + (guint32) seg->length + ((seg->flags & (TCP_SYN | TCP_FIN)) ? 1 : 0);

  if (seg->length > 0 && (self_dir->highest_end == 0 || (gint32) (end - self_dir->highest_end) > 0))
    self_dir->highest_end = end;
  if ((seg->flags & TCP_ACK) && (!other->seen_ack || (gint32) (seg->ack - other->acked) > 0))
    {
      other->acked = seg->ack;
      other->seen_ack = TRUE;
    }
}

static void
resolve (ZsWire           *self,
         ZsWireConnection *c)
{
  if (self->proc == NULL)
    self->proc = zs_wire_proc_new ();
  c->resolved = TRUE;
  zs_wire_proc_lookup (self->proc, &c->client, &c->server, &c->process[0]);
  zs_wire_proc_lookup (self->proc, &c->server, &c->client, &c->process[1]);
}

void
zs_wire_add_packet (ZsWire       *self,
                    int           dlt,
                    gint64        time_us,
                    const guint8 *data,
                    gsize         caplen,
                    gsize         len)
{
  Segment seg;
  ZsWireConnection *c;
  guint d;

  g_return_if_fail (self != NULL);

  self->packets++;
  self->now_us = time_us;
  if (data == NULL || !parse_segment (dlt, data, MIN (caplen, len), &seg))
    {
      self->skipped++;
      return;
    }
  c = find_connection (self, &seg, time_us);
  if (c == NULL)
    return;
  d = same_address (&seg.src, &c->client) ? 0 : 1;
  c->last_us = time_us;
  track_acks (c, d, &seg);
  if (seg.flags & TCP_SYN)
    zs_tcp_stream_syn (&c->dir[d].stream, seg.seq);
  if ((seg.flags & TCP_SYN) && d == 0)
    c->isn = seg.seq;
  if (seg.length > 0)
    zs_tcp_stream_add (&c->dir[d].stream, seg.seq + ((seg.flags & TCP_SYN) ? 1 : 0),
                       seg.payload, MIN (seg.captured, seg.length), seg.length);
  /* As early as can be (a short-lived program may be gone soon): at the
   * SYN the connecting socket and the listening one are there. */
  if (self->resolve && !c->resolved)
    resolve (self, c);
  if (self->auto_detect && not_zmtp (c))
    {
      drop_connection (self, c);
      return;
    }
  if (seg.flags & TCP_FIN)
    c->dir[d].fin = TRUE;
  if ((seg.flags & TCP_RST) || (c->dir[0].fin && c->dir[1].fin))
    {
      c->reset = (seg.flags & TCP_RST) != 0;
      close_connection (self, c, time_us);
    }
}

void
zs_wire_finish (ZsWire *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (self != NULL);

  g_hash_table_iter_init (&iter, self->active);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    connection_end (value);
  if (self->auto_detect)
    for (guint i = self->connections->len; i-- > 0;)
      if (not_zmtp (g_ptr_array_index (self->connections, i)))
        drop_connection (self, g_ptr_array_index (self->connections, i));
}

GPtrArray *
zs_wire_get_connections (ZsWire *self)
{
  return self->connections;
}

guint
zs_wire_get_n_open (ZsWire *self)
{
  return g_hash_table_size (self->active);
}

guint64
zs_wire_get_n_packets (ZsWire *self)
{
  return self->packets;
}

guint64
zs_wire_get_n_skipped (ZsWire *self)
{
  return self->skipped;
}

guint64
zs_wire_get_n_overflow (ZsWire *self)
{
  return self->overflow;
}

char *
zs_wire_address_to_string (const ZsWireAddress *address)
{
  char text[INET6_ADDRSTRLEN] = "";

  inet_ntop (address->family, address->addr, text, sizeof text);
  if (address->family == AF_INET6)
    return g_strdup_printf ("[%s]:%u", text, address->port);
  return g_strdup_printf ("%s:%u", text, address->port);
}

char *
zs_wire_address_to_endpoint (const ZsWireAddress *address)
{
  g_autofree char *text = zs_wire_address_to_string (address);

  return g_strconcat ("tcp://", text, NULL);
}

gboolean
zs_wire_connection_is_midstream (const ZsWireConnection *connection)
{
  return !connection->saw_syn;
}

gboolean
zs_wire_connection_is_zmtp (const ZsWireConnection *connection)
{
  return zs_zmtp_decoder_is_zmtp (connection->dir[0].zmtp) || zs_zmtp_decoder_is_zmtp (connection->dir[1].zmtp);
}

guint64
zs_wire_connection_in_flight (const ZsWireConnection *connection,
                              guint                   dir)
{
  const ZsWireDirection *d = &connection->dir[dir];
  gint32 diff;

  if (!d->seen_ack || d->highest_end == 0)
    return 0;
  diff = (gint32) (d->highest_end - d->acked);
  return diff > 0 ? (guint64) diff : 0;
}
