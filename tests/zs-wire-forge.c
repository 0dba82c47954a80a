/* zs-wire-forge.c: TCP connections carrying ZMTP, forged packet by packet
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include <pcap/pcap.h>
#include <string.h>

#include "zs-wire-forge.h"

#define ETH 14
#define IP 20
#define TCP 20

struct _ZsForge {
  pcap_t        *dead;
  pcap_dumper_t *dumper;
  ZsWire        *wire;
  gint64         time_us;
};

ZsForge *
zs_forge_new (const char *path,
              ZsWire     *wire)
{
  ZsForge *forge = g_new0 (ZsForge, 1);

  forge->time_us = 1700000000LL * G_USEC_PER_SEC;
  forge->wire = wire;
  if (path != NULL)
    {
      forge->dead = pcap_open_dead (DLT_EN10MB, 262144);
      forge->dumper = pcap_dump_open (forge->dead, path);
      g_assert (forge->dumper != NULL);
    }
  return forge;
}

void
zs_forge_free (ZsForge *forge)
{
  if (forge->dumper != NULL)
    pcap_dump_close (forge->dumper);
  if (forge->dead != NULL)
    pcap_close (forge->dead);
  g_free (forge);
}

static void
put16 (guint8  *p,
       guint16  v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
put32 (guint8  *p,
       guint32  v)
{
  put16 (p, v >> 16);
  put16 (p + 2, v & 0xffff);
}

static void
emit (ZsForgeConn  *conn,
      guint         dir,
      guint32       seq,
      guint8        flags,
      const void   *data,
      gsize         len)
{
  ZsForge *forge = conn->forge;
  gsize total = ETH + IP + TCP + len;
  g_autofree guint8 *p = g_malloc0 (total);
  guint8 *ip = p + ETH, *tcp = ip + IP;

  put16 (p + 12, 0x0800);
  ip[0] = 0x45;
  put16 (ip + 2, (guint16) (IP + TCP + len));
  ip[8] = 64;
  ip[9] = 6;
  put32 (ip + 12, conn->addr[dir]);
  put32 (ip + 16, conn->addr[1 - dir]);
  put16 (tcp, conn->port[dir]);
  put16 (tcp + 2, conn->port[1 - dir]);
  put32 (tcp + 4, seq);
  put32 (tcp + 8, conn->seq[1 - dir]);
  tcp[12] = (TCP / 4) << 4;
  tcp[13] = flags;
  put16 (tcp + 14, 65535);
  if (len > 0)
    memcpy (tcp + TCP, data, len);
  forge->time_us += 10;
  if (forge->dumper != NULL)
    {
      struct pcap_pkthdr h = { { forge->time_us / G_USEC_PER_SEC, forge->time_us % G_USEC_PER_SEC },
                               (bpf_u_int32) total, (bpf_u_int32) total };

      pcap_dump ((u_char *) forge->dumper, &h, p);
    }
  else
    zs_wire_add_packet (forge->wire, DLT_EN10MB, forge->time_us, p, total, total);
}

#define SYN 0x02
#define ACK 0x10
#define FIN 0x01
#define PSH 0x08

void
zs_forge_connect (ZsForge     *forge,
                  ZsForgeConn *conn,
                  guint32      client_addr,
                  guint16      client_port,
                  guint32      server_addr,
                  guint16      server_port,
                  gboolean     handshake)
{
  conn->forge = forge;
  conn->addr[0] = client_addr;
  conn->addr[1] = server_addr;
  conn->port[0] = client_port;
  conn->port[1] = server_port;
  conn->seq[0] = 0xfffff000u + client_port;  /* wraps past 2^32 soon */
  conn->seq[1] = 0x10000000u + server_port;
  if (!handshake)
    return;
  emit (conn, 0, conn->seq[0]++, SYN, NULL, 0);
  emit (conn, 1, conn->seq[1]++, SYN | ACK, NULL, 0);
  emit (conn, 0, conn->seq[0], ACK, NULL, 0);
}

void
zs_forge_send_at (ZsForgeConn *conn,
                  guint        dir,
                  gint64       offset,
                  const void  *data,
                  gsize        len)
{
  emit (conn, dir, conn->seq[dir] + (guint32) offset, ACK | PSH, data, len);
}

void
zs_forge_advance (ZsForgeConn *conn,
                  guint        dir,
                  gsize        len)
{
  conn->seq[dir] += (guint32) len;
}

void
zs_forge_send (ZsForgeConn *conn,
               guint        dir,
               const void  *data,
               gsize        len)
{
  zs_forge_send_at (conn, dir, 0, data, len);
  zs_forge_advance (conn, dir, len);
}

void
zs_forge_close (ZsForgeConn *conn)
{
  emit (conn, 0, conn->seq[0]++, FIN | ACK, NULL, 0);
  emit (conn, 1, conn->seq[1]++, FIN | ACK, NULL, 0);
  emit (conn, 0, conn->seq[0], ACK, NULL, 0);
}

void
zs_forge_greeting (GByteArray *out,
                   guint       minor,
                   const char *mechanism,
                   gboolean    as_server)
{
  guint8 g[64] = { 0xff, 0, 0, 0, 0, 0, 0, 0, 1, 0x7f, 3 };

  g[11] = (guint8) minor;
  memcpy (g + 12, mechanism, MIN (strlen (mechanism), 20));
  g[32] = as_server ? 1 : 0;
  g_byte_array_append (out, g, sizeof g);
}

void
zs_forge_frame (GByteArray *out,
                guint8      flags,
                const void *data,
                guint64     len)
{
  guint8 header[9];

  if (len > 255 || (flags & 0x02))
    {
      header[0] = flags | 0x02;
      for (guint i = 0; i < 8; i++)
        header[1 + i] = (guint8) (len >> (56 - 8 * i));
      g_byte_array_append (out, header, 9);
    }
  else
    {
      header[0] = flags;
      header[1] = (guint8) len;
      g_byte_array_append (out, header, 2);
    }
  if (data != NULL)
    g_byte_array_append (out, data, (guint) len);
}

void
zs_forge_command (GByteArray *out,
                  const char *name,
                  const void *body,
                  gsize       len)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  guint8 n = (guint8) strlen (name);

  g_byte_array_append (b, &n, 1);
  g_byte_array_append (b, (const guint8 *) name, n);
  if (len > 0)
    g_byte_array_append (b, body, (guint) len);
  zs_forge_frame (out, 0x04, b->data, b->len);
}

static void
property (GByteArray *b,
          const char *name,
          const char *value)
{
  guint8 n = (guint8) strlen (name), v[4];

  g_byte_array_append (b, &n, 1);
  g_byte_array_append (b, (const guint8 *) name, n);
  put32 (v, (guint32) strlen (value));
  g_byte_array_append (b, v, 4);
  g_byte_array_append (b, (const guint8 *) value, (guint) strlen (value));
}

void
zs_forge_ready (GByteArray *out,
                const char *socket_type,
                const char *identity)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();

  property (b, "Socket-Type", socket_type);
  if (identity != NULL)
    property (b, "Identity", identity);
  zs_forge_command (out, "READY", b->data, b->len);
}
