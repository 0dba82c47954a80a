/* test-wire.c: ZeroMQ from the wire: pcap files forged here, and real
 * libzmq programs captured live on loopback in a private network namespace
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sys/wait.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <linux/capability.h>
#include <net/if.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "zs-topology-file.h"
#include "zs-wire-forge.h"
#include "zs-wire-kept.h"
#include "zs-wire-pcap.h"
#include "zs-wire-state.h"
#include "zs-wire-source.h"
#include "zs-wire-topology.h"

#define LOCALHOST 0x7f000001u
#define PEER_A 0x0a000001u
#define PEER_B 0x0a000002u

static gboolean in_namespace;

/* Forging ---------------------------------------------------------------------- */

static void
send_bytes (ZsForgeConn *c,
            guint        dir,
            GByteArray  *bytes)
{
  zs_forge_send (c, dir, bytes->data, bytes->len);
  g_byte_array_set_size (bytes, 0);
}

/* Greetings and READY both ways, each greeting in libzmq's two steps. */
static void
handshake (ZsForgeConn *c,
           guint        minor,
           const char  *client_type,
           const char  *client_id,
           const char  *server_type)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();

  for (guint dir = 0; dir < 2; dir++)
    {
      zs_forge_greeting (b, minor, "NULL", FALSE);
      zs_forge_send (c, dir, b->data, 11);
      zs_forge_send (c, dir, b->data + 11, b->len - 11);
      g_byte_array_set_size (b, 0);
    }
  zs_forge_ready (b, client_type, client_id);
  send_bytes (c, 0, b);
  zs_forge_ready (b, server_type, NULL);
  send_bytes (c, 1, b);
}

/* A message of frames given as strings, NULL-terminated, in one segment. */
static void
send_message (ZsForgeConn *c,
              guint        dir,
              ...)
{
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GPtrArray) frames = g_ptr_array_new ();
  va_list args;
  const char *f;

  va_start (args, dir);
  while ((f = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (frames, (gpointer) f);
  va_end (args);
  for (guint i = 0; i < frames->len; i++)
    {
      const char *text = g_ptr_array_index (frames, i);

      zs_forge_frame (b, i + 1 < frames->len ? 0x01 : 0x00, text, strlen (text));
    }
  send_bytes (c, dir, b);
}

static char *
temp_pcap (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-wire-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, "capture.pcap", NULL);
}

static void
remove_pcap (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_remove (path);
  g_rmdir (dir);
}

/* Reads the file as `zmqscope capture --read` does. */
static ZsWireTopology *
decode_file (const char  *path,
             const char  *ports,
             GError     **read_error)
{
  g_autoptr(GError) error = NULL;
  ZsWire *wire = zs_wire_new ();
  ZsWireInput *input;
  ZsWireTopology *topology;

  g_assert_true (zs_wire_set_ports (wire, ports, &error));
  input = zs_wire_input_open_file (wire, path, &error);
  g_assert_no_error (error);
  while (zs_wire_input_read (input, 0, read_error) >= 0)
    ;
  zs_wire_finish (wire);
  topology = zs_wire_topology_new (wire, FALSE);
  zs_wire_input_free (input);
  zs_wire_free (wire);
  return topology;
}

static ZsWireLink *
link_at (ZsWireTopology *t,
         int             index)
{
  g_assert_cmpint (index, >=, 0);
  return g_ptr_array_index (t->links, index);
}

static gboolean
has_finding (GPtrArray  *findings,
             const char *part)
{
  for (guint i = 0; i < findings->len; i++)
    if (strstr (g_ptr_array_index (findings, i), part) != NULL)
      return TRUE;
  return FALSE;
}

/* (a) Forged files --------------------------------------------------------------- */

static void
test_greeting_push_pull (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(ZsWireTopology) t = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  ZsWireLink *l;
  const ZsWireNode *server;
  g_autofree char *json = NULL;

  /* A connect refused before the PULL was there: no program of its own. */
  zs_forge_connect (forge, &c, LOCALHOST, 40999, LOCALHOST, 5555, TRUE);
  zs_forge_close (&c);
  zs_forge_connect (forge, &c, LOCALHOST, 41000, LOCALHOST, 5555, TRUE);
  handshake (&c, 1, "PUSH", NULL, "PULL");
  for (guint i = 0; i < 3; i++)
    send_message (&c, 0, "0123456789abcdef", NULL);
  zs_forge_close (&c);
  zs_forge_free (forge);

  t = decode_file (path, NULL, NULL);
  g_assert_cmpuint (zs_topology_get_n_nodes (t->topology), ==, 2);
  server = g_ptr_array_index (t->nodes, 0);
  g_assert_cmpstr (server->address, ==, "127.0.0.1:5555");
  g_assert_cmpstr (zs_node_get_name (zs_topology_get_node (t->topology, 0)), ==, "127.0.0.1:5555");
  g_assert_true (zs_node_is_external (zs_topology_get_node (t->topology, 0)));
  g_assert_cmpuint (t->links->len, ==, 1);
  l = link_at (t, zs_wire_topology_find_link (t, "127.0.0.1:41000", "push", "127.0.0.1:5555", "pull-5555"));
  g_assert_cmpstr (l->version, ==, "3.1");
  g_assert_cmpstr (l->mechanism, ==, "NULL");
  g_assert_true (l->types_known);
  g_assert_false (l->midstream);
  g_assert_cmpuint (l->flow[0].messages, ==, 3);
  g_assert_cmpuint (l->flow[0].bytes, ==, 48);
  g_assert_cmpuint (l->flow[0].commands, ==, 1);
  g_assert_cmpuint (l->flow[1].messages, ==, 0);
  g_assert_cmpuint (l->connections, ==, 1);
  g_assert_cmpuint (l->open, ==, 0);
  g_assert_cmpuint (t->snapshot->links[0].sent, ==, 3);
  g_assert_cmpuint (t->snapshot->links[0].received, ==, 3);
  g_assert_cmpuint (t->snapshot->nodes[1].sent, ==, 3);
  g_assert_cmpuint (t->snapshot->nodes[0].received, ==, 3);
  g_assert_cmpint (t->snapshot->links[0].state, ==, ZS_LINK_STATE_DISCONNECTED);
  g_assert_cmpuint (t->findings->len, ==, 0);
  /* The model derives the same link: PUSH -> PULL, one way. */
  g_assert_true (((ZsLink *) g_ptr_array_index (zs_topology_get_links (t->topology), 0))->to_bind);
  g_assert_false (((ZsLink *) g_ptr_array_index (zs_topology_get_links (t->topology), 0))->to_connect);
  json = zs_wire_topology_to_json (t);
  g_assert_nonnull (strstr (json, "\"type\" : \"PULL\""));
  remove_pcap (path);
}

/* DEALER -> ROUTER: multipart messages with an envelope, an identity. */
static void
test_multipart_envelope (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(ZsWireTopology) t = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  ZsWireLink *l;

  zs_forge_connect (forge, &c, PEER_A, 41001, PEER_B, 6000, TRUE);
  handshake (&c, 1, "DEALER", "client-1", "ROUTER");
  for (guint i = 0; i < 4; i++)
    {
      send_message (&c, 0, "", "request", NULL);
      send_message (&c, 1, "", "reply", "part-3", NULL);
    }
  send_message (&c, 0, "single", NULL);
  zs_forge_close (&c);
  zs_forge_free (forge);

  t = decode_file (path, NULL, NULL);
  l = link_at (t, zs_wire_topology_find_link (t, "10.0.0.1:41001", "dealer", "10.0.0.2:6000", "router-6000"));
  g_assert_cmpstr (l->connect_identity, ==, "client-1");
  g_assert_null (l->bind_identity);
  g_assert_cmpuint (l->flow[0].messages, ==, 5);
  g_assert_cmpuint (l->flow[0].multipart, ==, 4);
  g_assert_cmpuint (l->flow[0].enveloped, ==, 4);
  g_assert_cmpuint (l->flow[0].frames, ==, 9);
  g_assert_cmpuint (l->flow[1].messages, ==, 4);
  g_assert_cmpuint (l->flow[1].frames, ==, 12);
  g_assert_cmpuint (l->flow[1].bytes, ==, 4 * 11);
  g_assert_cmpuint (t->snapshot->links[0].multipart, ==, 8);
  remove_pcap (path);
}

/* ZMTP 3.1 SUBSCRIBE/CANCEL commands and 3.0 subscription messages. */
static void
test_subscriptions (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(ZsWireTopology) t = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c31, c30;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  ZsWireLink *l;

  /* 3.1: SUB connects to PUB, subscribes A and B, cancels A. */
  zs_forge_connect (forge, &c31, LOCALHOST, 42000, LOCALHOST, 7000, TRUE);
  handshake (&c31, 1, "SUB", NULL, "PUB");
  zs_forge_command (b, "SUBSCRIBE", "A", 1);
  zs_forge_command (b, "SUBSCRIBE", "B", 1);
  send_bytes (&c31, 0, b);
  send_message (&c31, 1, "A", "first", NULL);
  zs_forge_command (b, "CANCEL", "A", 1);
  send_bytes (&c31, 0, b);
  send_message (&c31, 1, "B", "second", NULL);
  send_message (&c31, 1, "B", "third", NULL);
  /* 3.0: a subscription is a message whose first byte is 1. */
  zs_forge_connect (forge, &c30, LOCALHOST, 42001, LOCALHOST, 7000, TRUE);
  handshake (&c30, 0, "SUB", NULL, "PUB");
  zs_forge_frame (b, 0, "\001weather", 8);
  send_bytes (&c30, 0, b);
  send_message (&c30, 1, "weather", "sunny", NULL);
  zs_forge_close (&c31);
  zs_forge_close (&c30);
  zs_forge_free (forge);

  t = decode_file (path, NULL, NULL);
  g_assert_cmpuint (t->links->len, ==, 2);
  l = link_at (t, zs_wire_topology_find_link (t, "127.0.0.1:42000", "sub", "127.0.0.1:7000", "pub-7000"));
  g_assert_cmpuint (l->flow[0].subscribes, ==, 2);
  g_assert_cmpuint (l->flow[0].cancels, ==, 1);
  g_assert_cmpuint (l->flow[0].messages, ==, 0);
  g_assert_cmpuint (l->subscriptions->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (l->subscriptions, 0), ==, "B");
  g_assert_cmpuint (l->flow[1].messages, ==, 3);
  g_assert_cmpuint (l->flow[1].multipart, ==, 3);
  l = link_at (t, zs_wire_topology_find_link (t, "127.0.0.1:42001", "sub", "127.0.0.1:7000", "pub-7000"));
  g_assert_cmpstr (l->version, ==, "3.0");
  g_assert_cmpuint (l->flow[0].subscribes, ==, 1);
  g_assert_cmpuint (l->flow[0].messages, ==, 0);
  g_assert_cmpstr (g_ptr_array_index (l->subscriptions, 0), ==, "weather");
  /* The SUB sockets' filters are what they subscribed to. */
  g_assert_cmpstrv (zs_socket_spec_get_subscribe (zs_node_get_socket (zs_topology_get_node (t->topology, 1), 0)),
                    ((const char *[]) { "B", NULL }));
  g_assert_cmpuint (l->flow[1].messages, ==, 1);
  remove_pcap (path);
}

/* The same stream, in order and shuffled with retransmissions and
 * overlaps, decodes to the same figures. */
static void
forge_shuffled (const char *path,
                gboolean    shuffle)
{
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  gsize chunk = 7;

  zs_forge_connect (forge, &c, LOCALHOST, 43000, LOCALHOST, 8000, TRUE);
  handshake (&c, 1, "PUSH", NULL, "PULL");
  for (guint i = 0; i < 50; i++)
    zs_forge_frame (b, i % 2 == 0 ? 0x01 : 0x00, "payload-of-a-message", 20);
  if (!shuffle)
    zs_forge_send (&c, 0, b->data, b->len);
  else
    {
      /* Chunks in reverse order, every third one twice, and one segment
       * that overlaps two chunks. */
      gsize n = (b->len + chunk - 1) / chunk;

      for (gsize k = n; k-- > 0;)
        {
          gsize at = k * chunk, len = MIN (chunk, b->len - at);

          zs_forge_send_at (&c, 0, (gint64) at, b->data + at, len);
          if (k % 3 == 0)
            zs_forge_send_at (&c, 0, (gint64) at, b->data + at, len);
        }
      zs_forge_send_at (&c, 0, 3, b->data + 3, 2 * chunk);
      zs_forge_advance (&c, 0, b->len);
    }
  zs_forge_close (&c);
  zs_forge_free (forge);
}

static void
test_out_of_order (void)
{
  g_autofree char *in_order = temp_pcap ();
  g_autofree char *shuffled = temp_pcap ();
  g_autoptr(ZsWireTopology) a = NULL;
  g_autoptr(ZsWireTopology) b = NULL;
  ZsWireLink *la, *lb;

  forge_shuffled (in_order, FALSE);
  forge_shuffled (shuffled, TRUE);
  a = decode_file (in_order, NULL, NULL);
  b = decode_file (shuffled, NULL, NULL);
  la = link_at (a, 0);
  lb = link_at (b, 0);
  g_assert_cmpuint (la->flow[0].messages, ==, 25);
  g_assert_cmpuint (la->flow[0].frames, ==, 50);
  g_assert_cmpuint (lb->flow[0].messages, ==, la->flow[0].messages);
  g_assert_cmpuint (lb->flow[0].frames, ==, la->flow[0].frames);
  g_assert_cmpuint (lb->flow[0].bytes, ==, la->flow[0].bytes);
  g_assert_cmpuint (b->findings->len, ==, 0);
  remove_pcap (in_order);
  remove_pcap (shuffled);
}

/* A connection whose start the capture missed: found on a watched port,
 * resynchronised on a frame boundary, its socket types said unknown. */
static void
test_midstream (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(ZsWireTopology) t = NULL;
  g_autoptr(ZsWireTopology) auto_t = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  ZsWireLink *l;

  zs_forge_connect (forge, &c, LOCALHOST, 44000, LOCALHOST, 9000, FALSE);
  for (guint i = 0; i < 20; i++)
    zs_forge_frame (b, 0, "message-body-16b", 16);
  /* Starts 5 bytes into the first frame. */
  zs_forge_send (&c, 0, b->data + 5, b->len - 5);
  g_byte_array_set_size (b, 0);
  zs_forge_close (&c);
  zs_forge_free (forge);

  t = decode_file (path, "9000", NULL);
  g_assert_cmpuint (t->links->len, ==, 1);
  l = link_at (t, 0);
  g_assert_true (l->midstream);
  g_assert_false (l->types_known);
  g_assert_true (has_finding (l->findings, "joined mid-stream, socket types unknown"));
  g_assert_true (has_finding (l->findings, "found a frame boundary"));
  g_assert_cmpuint (l->flow[0].messages, ==, 19);
  /* The side on the watched port binds. */
  g_assert_cmpint (zs_wire_topology_find_link (t, "127.0.0.1:44000", "socket", "127.0.0.1:9000", "socket-9000"), ==, 0);
  /* Auto-detection follows only connections whose start it sees. */
  auto_t = decode_file (path, NULL, NULL);
  g_assert_cmpuint (auto_t->links->len, ==, 0);
  remove_pcap (path);
}

/* HTTP on a watched port and a 2^63 frame length: a finding each, and the
 * ZMTP connection beside them is decoded in full. */
static void
test_bad_input (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(ZsWireTopology) t = NULL;
  g_autoptr(ZsWireTopology) auto_t = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn http, huge, good;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  const char *get = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
  guint8 long_frame[9] = { 0x02, 0x80, 0, 0, 0, 0, 0, 0, 0 };
  ZsWireLink *l;

  zs_forge_connect (forge, &http, LOCALHOST, 45000, LOCALHOST, 9100, TRUE);
  zs_forge_send (&http, 0, get, strlen (get));
  zs_forge_connect (forge, &huge, LOCALHOST, 45001, LOCALHOST, 9101, TRUE);
  handshake (&huge, 1, "PUSH", NULL, "PULL");
  zs_forge_send (&huge, 0, long_frame, sizeof long_frame);
  zs_forge_send (&huge, 0, "whatever follows", 16);
  zs_forge_connect (forge, &good, LOCALHOST, 45002, LOCALHOST, 9102, TRUE);
  handshake (&good, 1, "PUSH", NULL, "PULL");
  send_message (&good, 0, "fine", NULL);
  zs_forge_close (&http);
  zs_forge_close (&huge);
  zs_forge_close (&good);
  zs_forge_free (forge);

  t = decode_file (path, "9100-9102", NULL);
  g_assert_cmpuint (t->links->len, ==, 3);
  l = link_at (t, zs_wire_topology_find_link (t, "127.0.0.1:45000", "socket", "127.0.0.1:9100", "socket-9100"));
  g_assert_true (has_finding (l->findings, "not ZMTP: looks like HTTP"));
  l = link_at (t, zs_wire_topology_find_link (t, "127.0.0.1:45001", "push", "127.0.0.1:9101", "pull-9101"));
  g_assert_true (has_finding (l->findings, "declared length 9223372036854775808 is beyond"));
  g_assert_cmpuint (l->flow[0].messages, ==, 0);
  l = link_at (t, zs_wire_topology_find_link (t, "127.0.0.1:45002", "push", "127.0.0.1:9102", "pull-9102"));
  g_assert_cmpuint (l->flow[0].messages, ==, 1);
  g_assert_cmpuint (l->findings->len, ==, 0);
  /* Auto-detection leaves HTTP out altogether. */
  auto_t = decode_file (path, NULL, NULL);
  g_assert_cmpuint (auto_t->links->len, ==, 2);
  remove_pcap (path);
}

/* PLAIN shows the user name and never the password; CURVE is counted. */
static void
test_mechanisms (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(ZsWireTopology) t = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn plain, curve;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  g_autoptr(GByteArray) meta = g_byte_array_new ();
  g_autofree char *json = NULL, *text = NULL;
  const guint8 hello[] = "\005alice\006secret";
  guint8 box[96] = { 0 };
  ZsWireLink *l;

  zs_forge_connect (forge, &plain, LOCALHOST, 46000, LOCALHOST, 9200, TRUE);
  for (guint dir = 0; dir < 2; dir++)
    {
      zs_forge_greeting (b, 1, "PLAIN", dir == 1);
      send_bytes (&plain, dir, b);
    }
  zs_forge_command (b, "HELLO", hello, sizeof hello - 1);
  send_bytes (&plain, 0, b);
  zs_forge_command (b, "WELCOME", NULL, 0);
  send_bytes (&plain, 1, b);
  /* INITIATE carries the client's metadata, READY the server's. */
  zs_forge_ready (meta, "REQ", NULL);
  zs_forge_command (b, "INITIATE", meta->data + 8, meta->len - 8);
  send_bytes (&plain, 0, b);
  zs_forge_ready (b, "REP", NULL);
  send_bytes (&plain, 1, b);
  send_message (&plain, 0, "", "hello", NULL);
  send_message (&plain, 1, "", "world", NULL);

  zs_forge_connect (forge, &curve, LOCALHOST, 46001, LOCALHOST, 9201, TRUE);
  for (guint dir = 0; dir < 2; dir++)
    {
      zs_forge_greeting (b, 1, "CURVE", dir == 1);
      send_bytes (&curve, dir, b);
    }
  zs_forge_command (b, "HELLO", box, 80);
  send_bytes (&curve, 0, b);
  zs_forge_command (b, "WELCOME", box, 96);
  send_bytes (&curve, 1, b);
  zs_forge_command (b, "INITIATE", box, 96);
  send_bytes (&curve, 0, b);
  zs_forge_command (b, "READY", box, 40);
  send_bytes (&curve, 1, b);
  for (guint i = 0; i < 5; i++)
    zs_forge_command (b, "MESSAGE", box, 40);
  send_bytes (&curve, 0, b);
  zs_forge_close (&plain);
  zs_forge_close (&curve);
  zs_forge_free (forge);

  t = decode_file (path, NULL, NULL);
  l = link_at (t, zs_wire_topology_find_link (t, "127.0.0.1:46000", "req", "127.0.0.1:9200", "rep-9200"));
  g_assert_cmpstr (l->mechanism, ==, "PLAIN");
  g_assert_cmpstr (l->user, ==, "alice");
  g_assert_cmpuint (l->flow[0].messages, ==, 1);
  g_assert_cmpuint (l->flow[1].messages, ==, 1);
  json = zs_wire_topology_to_json (t);
  text = zs_wire_topology_to_text (t);
  g_assert_nonnull (strstr (json, "alice"));
  g_assert_null (strstr (json, "secret"));
  g_assert_null (strstr (text, "secret"));
  l = link_at (t, zs_wire_topology_find_link (t, "127.0.0.1:46001", "socket", "127.0.0.1:9201", "socket-9201"));
  g_assert_cmpstr (l->mechanism, ==, "CURVE");
  g_assert_true (l->encrypted);
  g_assert_false (l->types_known);
  g_assert_cmpuint (l->flow[0].encrypted_frames, ==, 5);
  g_assert_cmpuint (l->flow[0].encrypted_bytes, ==, 5 * 48);
  g_assert_true (has_finding (l->findings, "encrypted (CURVE)"));
  remove_pcap (path);
}

/* PING, PONG and ERROR are counted; ERROR's reason is a finding. */
static void
test_heartbeats_and_error (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(ZsWireTopology) t = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  ZsWireLink *l;

  zs_forge_connect (forge, &c, LOCALHOST, 47000, LOCALHOST, 9300, TRUE);
  handshake (&c, 1, "DEALER", NULL, "ROUTER");
  zs_forge_command (b, "PING", "\000\012ctx", 5);
  send_bytes (&c, 0, b);
  zs_forge_command (b, "PONG", "ctx", 3);
  send_bytes (&c, 1, b);
  zs_forge_command (b, "ERROR", "\011bad thing", 10);
  send_bytes (&c, 1, b);
  zs_forge_close (&c);
  zs_forge_free (forge);

  t = decode_file (path, NULL, NULL);
  l = link_at (t, 0);
  g_assert_cmpuint (l->flow[0].pings, ==, 1);
  g_assert_cmpuint (l->flow[1].pongs, ==, 1);
  g_assert_cmpuint (l->flow[1].errors, ==, 1);
  g_assert_true (has_finding (l->findings, "the peer sent ERROR: “bad thing”"));
  remove_pcap (path);
}

/* The same connecting socket connects again: one link, two connections,
 * the reconnect an event on it. */
static void
test_reconnect (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(ZsWireTopology) t = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  ZsWireLink *l;
  static const ZsWireEventKind expected[] = {
    ZS_WIRE_EVENT_CONNECTED, ZS_WIRE_EVENT_DISCONNECTED, ZS_WIRE_EVENT_RECONNECTED, ZS_WIRE_EVENT_DISCONNECTED,
  };

  for (guint round = 0; round < 2; round++)
    {
      zs_forge_connect (forge, &c, LOCALHOST, 41000, LOCALHOST, 5555, TRUE);
      handshake (&c, 1, "PUSH", NULL, "PULL");
      for (guint i = 0; i <= round; i++)
        send_message (&c, 0, "0123456789abcdef", NULL);
      zs_forge_close (&c);
    }
  zs_forge_free (forge);

  t = decode_file (path, NULL, NULL);
  g_assert_cmpuint (t->links->len, ==, 1);
  l = link_at (t, 0);
  g_assert_cmpuint (l->connections, ==, 2);
  g_assert_cmpuint (l->flow[0].messages, ==, 3);
  g_assert_cmpuint (l->events->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (((ZsWireEvent *) g_ptr_array_index (l->events, i))->kind, ==, expected[i]);
  g_assert_cmpuint (t->snapshot->links[0].connects, ==, 2);
  g_assert_cmpuint (t->snapshot->links[0].disconnects, ==, 2);
  remove_pcap (path);
}

/* A file cut in the middle of a packet: an error that says so, and what
 * came before it decoded. */
static void
test_cut_file (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(ZsWireTopology) t = NULL;
  g_autoptr(GError) error = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  GStatBuf st;

  zs_forge_connect (forge, &c, LOCALHOST, 48000, LOCALHOST, 9400, TRUE);
  handshake (&c, 1, "PUSH", NULL, "PULL");
  for (guint i = 0; i < 10; i++)
    send_message (&c, 0, "0123456789abcdef", NULL);
  zs_forge_free (forge);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (truncate (path, st.st_size - 10), ==, 0);

  t = decode_file (path, NULL, &error);
  g_assert_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_TRUNCATED);
  g_assert_nonnull (strstr (error->message, "cut after"));
  g_assert_cmpuint (link_at (t, 0)->flow[0].messages, ==, 9);
  remove_pcap (path);
}

/* Out-of-order bytes are held up to a cap; past it the hole is a gap. */
typedef struct {
  guint64 delivered;
  guint64 gap;
} StreamSink;

static void
sink_deliver (gpointer      data,
              const guint8 *bytes,
              gsize         len)
{
  ((StreamSink *) data)->delivered += len;
}

static void
sink_gap (gpointer data,
          guint64  len)
{
  ((StreamSink *) data)->gap += len;
}

static void
test_stream_bounded (void)
{
  static const ZsTcpStreamReader reader = { sink_deliver, sink_gap };
  StreamSink sink = { 0, 0 };
  ZsTcpStream s;
  guint8 chunk[1000] = { 0 };

  zs_tcp_stream_init (&s, &reader, &sink, 10000);
  zs_tcp_stream_syn (&s, 100);
  /* A hole of 1000 bytes, then 30 segments behind it. */
  for (guint i = 0; i < 30; i++)
    {
      zs_tcp_stream_add (&s, 101 + 1000 * (i + 1), chunk, sizeof chunk, sizeof chunk);
      g_assert_cmpuint (s.pending_bytes, <=, 10000);
    }
  g_assert_cmpuint (s.gaps, ==, 1);
  g_assert_cmpuint (sink.gap, ==, 1000);
  g_assert_cmpuint (sink.delivered, ==, 30000);
  /* A declared-length lie cannot make it allocate: only captured bytes are held. */
  zs_tcp_stream_add (&s, 101 + 1000 * 40, chunk, 10, 60000);
  g_assert_cmpuint (s.pending_bytes, ==, 10);
  zs_tcp_stream_flush (&s);
  g_assert_cmpuint (s.pending_bytes, ==, 0);
  zs_tcp_stream_clear (&s);
}

/* The Messages page's messages, as the capture helper keeps them: 16 000
 * connections, each 16 messages of 8 frames of 256 bytes (all kept: the
 * most a message holds there), decoded by the wire. The memory kept stays under its cap,
 * the least recently active connections' messages let go and counted;
 * the counts stay exact, and the latest connections keep every message. */
#define MANY_CONNECTIONS 16000
#define MESSAGES_EACH 16

static void
test_kept_bounded (void)
{
  ZsWire *wire = zs_wire_new ();
  ZsWireKept *kept = zs_wire_kept_new (ZS_WIRE_KEPT_MAX_BYTES, ZS_WIRE_KEPT_MAX_CONNECTIONS);
  ZsForge *forge = zs_forge_new (NULL, wire);
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(GPtrArray) states = NULL;
  g_autoptr(GPtrArray) last = NULL, first = NULL;
  guint8 body[256];
  guint64 messages = 0;
  gsize most = 0;

  zs_wire_set_message_func (wire, zs_wire_kept_take, kept);
  for (guint i = 0; i < MANY_CONNECTIONS; i++)
    {
      ZsForgeConn c;

      zs_forge_connect (forge, &c, PEER_A + i / 60000, 1024 + i % 60000, LOCALHOST, 5555, TRUE);
      handshake (&c, 1, "PUSH", NULL, "PULL");
      for (guint m = 0; m < MESSAGES_EACH; m++)
        {
          memset (body, 'a' + m, sizeof body);
          memcpy (body, &i, sizeof i);
          for (guint f = 0; f < ZS_CAPTURE_MAX_FRAMES; f++)
            zs_forge_frame (frame, f + 1 < ZS_CAPTURE_MAX_FRAMES ? 0x01 : 0x00, body, sizeof body);
          send_bytes (&c, 0, frame);
        }
      zs_forge_close (&c);
      most = MAX (most, zs_wire_kept_get_bytes (kept));
    }
  zs_forge_free (forge);
  zs_wire_finish (wire);
  g_test_message ("kept %" G_GSIZE_FORMAT " bytes at most for %u connections (%u tracked, %" G_GUINT64_FORMAT
                  " let go)", most, MANY_CONNECTIONS, zs_wire_kept_get_n_connections (kept),
                  zs_wire_kept_get_n_let_go (kept));

  /* Bounded by the topology's size, not by the messages. */
  g_assert_cmpuint (most, <=, ZS_WIRE_KEPT_MAX_BYTES);
  g_assert_cmpuint (zs_wire_kept_get_n_connections (kept), <=, ZS_WIRE_KEPT_MAX_CONNECTIONS);
  /* Each connection let go is counted, none silently. */
  g_assert_cmpuint (zs_wire_kept_get_n_connections (kept) + zs_wire_kept_get_n_let_go (kept), ==,
                    MANY_CONNECTIONS);
  /* The wire's counts are exact. */
  states = zs_wire_get_states (wire);
  g_assert_cmpuint (states->len, ==, MANY_CONNECTIONS);
  for (guint i = 0; i < states->len; i++)
    messages += ((ZsWireConnState *) g_ptr_array_index (states, i))->dir[0].counts.messages;
  g_assert_cmpuint (messages, ==, (guint64) MANY_CONNECTIONS * MESSAGES_EACH);
  /* The latest connection keeps its last 16, whole; the first was let go. */
  last = zs_wire_kept_dup (kept, MANY_CONNECTIONS - 1);
  g_assert_cmpuint (last->len, ==, MESSAGES_EACH);
  for (guint m = 0; m < last->len; m++)
    {
      ZsCapture *capture = g_ptr_array_index (last, m);
      const guint8 *bytes = g_bytes_get_data (capture->frames[0], NULL);
      guint id;

      g_assert_cmpuint (capture->n_frames, ==, ZS_CAPTURE_MAX_FRAMES);
      g_assert_cmpuint (capture->sizes[ZS_CAPTURE_MAX_FRAMES - 1], ==, sizeof body);
      g_assert_cmpuint (g_bytes_get_size (capture->frames[ZS_CAPTURE_MAX_FRAMES - 1]), ==, sizeof body);
      memcpy (&id, bytes, sizeof id);
      g_assert_cmpuint (id, ==, MANY_CONNECTIONS - 1);
      g_assert_cmpint (bytes[sizeof body - 1], ==, 'a' + m);
    }
  first = zs_wire_kept_dup (kept, 0);
  g_assert_cmpuint (first->len, ==, 0);
  zs_wire_kept_free (kept);
  zs_wire_free (wire);
}

/* The same message again (a helper resending to a new client) is kept
 * once; a stream's every message is given once to a follower. */
static void
count_given (gpointer               user_data,
             guint64                connection,
             guint64                seq,
             const ZsCaptureSource *message)
{
  (*(guint *) user_data)++;
}

static void
test_kept_resent (void)
{
  ZsWireKept *kept = zs_wire_kept_new (ZS_WIRE_KEPT_MAX_BYTES, 2);
  const guint8 *data[1] = { (const guint8 *) "hello" };
  ZsCaptureSource message = { 10, 0, FALSE, NULL, 0, 1, { data[0] }, { 5 } };
  g_autoptr(GPtrArray) gone = NULL;
  guint64 stamp;
  guint given = 0;

  g_assert_true (zs_wire_kept_push (kept, 7, 1, &message));
  g_assert_false (zs_wire_kept_push (kept, 7, 1, &message));
  g_assert_true (zs_wire_kept_push (kept, 7, 2, &message));
  stamp = zs_wire_kept_foreach_since (kept, 0, count_given, &given);
  g_assert_cmpuint (given, ==, 2);
  g_assert_true (zs_wire_kept_push (kept, 8, 1, &message));
  given = 0;
  zs_wire_kept_foreach_since (kept, stamp, count_given, &given);
  g_assert_cmpuint (given, ==, 1);
  /* A third connection: the least recently active (7) goes. */
  g_assert_true (zs_wire_kept_push (kept, 9, 1, &message));
  g_assert_cmpuint (zs_wire_kept_get_n_let_go (kept), ==, 1);
  gone = zs_wire_kept_dup (kept, 7);
  g_assert_cmpuint (gone->len, ==, 0);
  zs_wire_kept_free (kept);
}

/* Ports: a list and ranges; nonsense refused. */
static void
test_ports (void)
{
  ZsWire *wire = zs_wire_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *filter = NULL;

  g_assert_true (zs_wire_get_auto_detect (wire));
  g_assert_true (zs_wire_set_ports (wire, "5555,6000-6010", &error));
  g_assert_false (zs_wire_get_auto_detect (wire));
  filter = zs_wire_get_filter (wire);
  g_assert_cmpstr (filter, ==, "tcp and (port 5555 or portrange 6000-6010)");
  g_assert_false (zs_wire_set_ports (wire, "70000", &error));
  g_assert_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE);
  g_clear_error (&error);
  g_assert_false (zs_wire_set_ports (wire, "9-3", &error));
  g_clear_error (&error);
  g_assert_false (zs_wire_set_ports (wire, "http", &error));
  zs_wire_free (wire);
}

/* `zmqscope capture --read FILE [--json]`: the program itself. */
static char *
run_capture (int         expected_status,
             const char *first,
             ...)
{
  g_autofree char *exe = g_build_filename (g_getenv ("ZS_BUILD_DIR"), "app", "zmqscope", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status;
  va_list args;

  g_ptr_array_add (argv, exe);
  g_ptr_array_add (argv, (gpointer) "capture");
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_cmpint (WEXITSTATUS (status), ==, expected_status);
  return out;
}

static void
test_cli (void)
{
  g_autofree char *path = temp_pcap ();
  g_autofree char *json = NULL, *text = NULL, *usage = NULL;
  g_autofree char *saved = g_strconcat (path, ".json", NULL);
  g_autoptr(ZsTopology) loaded = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  JsonObject *root, *link;

  zs_forge_connect (forge, &c, LOCALHOST, 41000, LOCALHOST, 5555, TRUE);
  handshake (&c, 1, "PUSH", NULL, "PULL");
  for (guint i = 0; i < 3; i++)
    send_message (&c, 0, "0123456789abcdef", NULL);
  zs_forge_close (&c);
  zs_forge_free (forge);

  json = run_capture (0, "--read", path, "--json", NULL);
  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "nodes")), ==, 2);
  link = json_array_get_object_element (json_object_get_array_member (root, "links"), 0);
  g_assert_cmpstr (json_object_get_string_member (link, "connect"), ==, "127.0.0.1:41000.push");
  g_assert_cmpstr (json_object_get_string_member (link, "bind"), ==, "127.0.0.1:5555.pull-5555");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (link, "to_bind"), "messages"), ==, 3);
  text = run_capture (0, "--read", path, "--ports", "5555", NULL);
  g_assert_nonnull (strstr (text, "127.0.0.1:41000.push -> 127.0.0.1:5555.pull-5555"));
  g_assert_nonnull (strstr (text, "-> 3 msg, 48 B"));
  g_assert_nonnull (strstr (text, "NOT SEEN ON THE WIRE"));
  /* The programs found, as a topology file the app opens and runs. */
  g_free (run_capture (0, "--read", path, "--topology", saved, NULL));
  loaded = zs_topology_load_from_file (saved, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zs_topology_get_n_nodes (loaded), ==, 2);
  g_assert_true (zs_node_is_external (zs_topology_get_node (loaded, 0)));
  g_assert_cmpuint (zs_topology_get_links (loaded)->len, ==, 1);
  g_remove (saved);
  usage = run_capture (2, "--read", path, "--interface", "lo", NULL);
  g_free (run_capture (2, "--read", path, "--ports", "none", NULL));
  g_free (run_capture (2, "--read", "/nonexistent.pcap", NULL));
  remove_pcap (path);
}

/* (b) Live -------------------------------------------------------------------- */

typedef struct {
  GSubprocess      *process;
  GDataInputStream *out;
  char             *endpoint;
  guint             pid;
} Peer;

static void
peer_free (Peer *p)
{
  g_clear_object (&p->out);
  g_clear_object (&p->process);
  g_free (p->endpoint);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Peer, peer_free)

/* A line of the peer's output (blocking: the peer answers promptly). */
static char *
peer_line (Peer *p)
{
  g_autoptr(GError) error = NULL;
  char *line = g_data_input_stream_read_line (p->out, NULL, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (line);
  return line;
}

/* zs-peer TYPE bind|connect ENDPOINT COUNT TEXT, held open after DONE;
 * `env` adds NAME=VALUE pairs. Returns once it has bound or connected. */
static Peer *
peer_start (const char  *type,
            const char  *how,
            const char  *endpoint,
            guint        count,
            const char  *text,
            const char  *const *env)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *exe = g_build_filename (g_getenv ("ZS_BUILD_DIR"), "tests", "zs-peer", NULL);
  g_autofree char *count_text = g_strdup_printf ("%u", count);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  Peer *p = g_new0 (Peer, 1);

  g_subprocess_launcher_setenv (launcher, "ZS_PEER_HOLD", "1", TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  p->process = g_subprocess_launcher_spawn (launcher, &error, exe, type, how, endpoint, count_text, text, NULL);
  g_assert_no_error (error);
  p->pid = (guint) atoi (g_subprocess_get_identifier (p->process));
  p->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->process));
  line = peer_line (p);
  g_assert_true (g_str_has_prefix (line, "ENDPOINT "));
  p->endpoint = g_strdup (line + strlen ("ENDPOINT "));
  return p;
}

/* Reads to DONE: the number it received. */
static guint
peer_done (Peer *p)
{
  for (;;)
    {
      g_autofree char *line = peer_line (p);

      if (g_str_has_prefix (line, "DONE "))
        return (guint) atoi (line + 5);
    }
}

/* Ends its hold: it closes its socket and exits. */
static void
peer_release (Peer *p)
{
  g_autoptr(GError) error = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (p->process), NULL, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check (p->process, NULL, &error);
  g_assert_no_error (error);
}

/* Messages decoded so far from sockets of `type`. */
static guint64
decoded (ZsWire     *wire,
         const char *type)
{
  GPtrArray *connections = zs_wire_get_connections (wire);
  guint64 n = 0;

  for (guint i = 0; i < connections->len; i++)
    {
      ZsWireConnection *c = g_ptr_array_index (connections, i);

      for (guint d = 0; d < 2; d++)
        if (g_strcmp0 (zs_zmtp_decoder_get_socket_type (c->dir[d].zmtp), type) == 0)
          n += zs_zmtp_decoder_get_counts (c->dir[d].zmtp)->messages;
    }
  return n;
}

/* Reads the capture until `done` says so; FALSE after 10 s. */
static gboolean
capture_until (ZsWireInput *input,
               ZsWire      *wire,
               gboolean   (*done) (ZsWire *wire))
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (wire))
    {
      g_autoptr(GError) error = NULL;

      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_assert_cmpint (zs_wire_input_read (input, 50, &error), >=, 0);
      g_assert_no_error (error);
    }
  return TRUE;
}

static gboolean
all_decoded (ZsWire *wire)
{
  return decoded (wire, "PUSH") == 100 && decoded (wire, "XPUB") == 50
         && decoded (wire, "DEALER") == 20 && decoded (wire, "ROUTER") == 20
         && decoded (wire, "REQ") == 10 && decoded (wire, "REP") == 10;
}

static gboolean
all_closed (ZsWire *wire)
{
  return zs_wire_get_n_open (wire) == 0;
}

/* The figures of a link as both captures must agree on, by endpoint and types. */
static char *
link_summary (ZsWireTopology *t,
              guint           i)
{
  const ZsLink *link = g_ptr_array_index (zs_topology_get_links (t->topology), i);
  const ZsWireLink *w = g_ptr_array_index (t->links, i);
  ZsNode *cn = zs_topology_get_node (t->topology, link->connect_node);
  ZsNode *bn = zs_topology_get_node (t->topology, link->bind_node);
  ZsSocketType ct = zs_socket_spec_get_socket_type (zs_node_get_socket (cn, link->connect_socket));
  ZsSocketType bt = zs_socket_spec_get_socket_type (zs_node_get_socket (bn, link->bind_socket));

  return g_strdup_printf ("%s %s->%s to_bind %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                          "/%" G_GUINT64_FORMAT " to_connect %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                          "/%" G_GUINT64_FORMAT " connections %u",
                          link->bind_endpoint, zs_socket_type_to_string (ct), zs_socket_type_to_string (bt),
                          w->flow[0].messages, w->flow[0].bytes, w->flow[0].multipart, w->flow[0].subscribes,
                          w->flow[1].messages, w->flow[1].bytes, w->flow[1].multipart, w->connections);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

static GPtrArray *
summaries (ZsWireTopology *t)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < t->links->len; i++)
    g_ptr_array_add (all, link_summary (t, i));
  g_ptr_array_sort (all, compare_strings);
  return all;
}

static int
node_of_pid (ZsWireTopology *t,
             guint           pid)
{
  for (guint i = 0; i < t->nodes->len; i++)
    if (((ZsWireNode *) g_ptr_array_index (t->nodes, i))->pid == pid)
      return (int) i;
  return -1;
}

static int
live_link (ZsWireTopology *t,
           Peer           *connecting,
           const char     *connect_socket,
           Peer           *binding,
           const char     *bind_socket)
{
  int cn = node_of_pid (t, connecting->pid), bn = node_of_pid (t, binding->pid);

  g_assert_cmpint (cn, >=, 0);
  g_assert_cmpint (bn, >=, 0);
  return zs_wire_topology_find_link (t, zs_node_get_name (zs_topology_get_node (t->topology, cn)), connect_socket,
                                     zs_node_get_name (zs_topology_get_node (t->topology, bn)), bind_socket);
}

static char *
port_socket (const char *type,
             Peer       *binding)
{
  return g_strdup_printf ("%s-%s", type, strrchr (binding->endpoint, ':') + 1);
}

/* PUSH/PULL, XPUB/SUB with a subscription, DEALER/ROUTER multipart, and
 * REQ/REP over IPv6: eight plain libzmq programs, captured live, then the
 * same packets from a file. */
static void
test_live (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(GError) error = NULL;
  ZsWire *wire;
  ZsWireInput *input;
  g_autoptr(ZsWireTopology) t = NULL;
  g_autoptr(ZsWireTopology) from_file = NULL;
  g_autoptr(GPtrArray) live_figures = NULL;
  g_autoptr(GPtrArray) file_figures = NULL;
  g_autoptr(Peer) pull = NULL, push = NULL, xpub = NULL, sub = NULL, router = NULL, dealer = NULL;
  g_autoptr(Peer) rep = NULL, req = NULL;
  const char *const v6_env[] = { "ZS_PEER_IPV6", "1", NULL };
  const char *const sub_env[] = { "ZS_PEER_SUBSCRIBE", "news", NULL };
  const char *const dealer_env[] = { "ZS_PEER_ID", "dealer-1", NULL };
  g_autofree char *pull_socket = NULL, *xpub_socket = NULL, *router_socket = NULL, *rep_socket = NULL;
  ZsWireLink *l;
  const ZsWireNode *n;

  if (!in_namespace)
    {
      g_test_skip ("needs a network namespace of its own (root, or CAP_SYS_ADMIN)");
      return;
    }
  wire = zs_wire_new ();
  input = zs_wire_input_open_live (wire, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (zs_wire_input_save_to (input, path, &error));

  /* Ephemeral ports: nothing fixed. */
  pull = peer_start ("PULL", "bind", "tcp://127.0.0.1:*", 100, "x", NULL);
  push = peer_start ("PUSH", "connect", pull->endpoint, 100, "0123456789abcdef", NULL);
  xpub = peer_start ("XPUB", "bind", "tcp://127.0.0.1:*", 50, "news:0123456789", NULL);
  sub = peer_start ("SUB", "connect", xpub->endpoint, 50, "x", sub_env);
  router = peer_start ("ROUTER", "bind", "tcp://127.0.0.1:*", 20, "reply", NULL);
  dealer = peer_start ("DEALER", "connect", router->endpoint, 20, "request", dealer_env);
  rep = peer_start ("REP", "bind", "tcp://[::1]:*", 10, "answer", v6_env);
  req = peer_start ("REQ", "connect", rep->endpoint, 10, "question", v6_env);
  g_assert_cmpuint (peer_done (pull), ==, 100);
  g_assert_cmpuint (peer_done (sub), ==, 50);
  g_assert_cmpuint (peer_done (dealer), ==, 20);
  g_assert_cmpuint (peer_done (router), ==, 20);
  g_assert_cmpuint (peer_done (req), ==, 10);
  g_assert_cmpuint (peer_done (rep), ==, 10);
  g_assert_true (capture_until (input, wire, all_decoded));
  /* Let them go: their connections close on the wire. */
  for (Peer **p = (Peer *[]) { push, pull, sub, xpub, dealer, router, req, rep, NULL }; *p != NULL; p++)
    peer_release (*p);
  g_assert_true (capture_until (input, wire, all_closed));
  zs_wire_finish (wire);
  t = zs_wire_topology_new (wire, FALSE);
  zs_wire_input_free (input);
  zs_wire_free (wire);

  g_assert_cmpuint (zs_topology_get_n_nodes (t->topology), ==, 8);
  g_assert_cmpuint (t->links->len, ==, 4);
  n = g_ptr_array_index (t->nodes, node_of_pid (t, push->pid));
  g_assert_nonnull (strstr (n->command, "zs-peer PUSH connect"));
  pull_socket = port_socket ("pull", pull);
  l = link_at (t, live_link (t, push, "push", pull, pull_socket));
  g_assert_cmpuint (l->flow[0].messages, ==, 100);
  g_assert_cmpuint (l->flow[0].bytes, ==, 1600);
  g_assert_cmpuint (l->flow[1].messages, ==, 0);
  g_assert_cmpuint (l->connections, ==, 1);
  g_assert_cmpstr (l->version, ==, "3.1");
  g_assert_cmpstr (l->mechanism, ==, "NULL");
  xpub_socket = port_socket ("xpub", xpub);
  l = link_at (t, live_link (t, sub, "sub", xpub, xpub_socket));
  g_assert_cmpuint (l->flow[0].subscribes, ==, 1);
  g_assert_cmpuint (l->subscriptions->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (l->subscriptions, 0), ==, "news");
  g_assert_cmpuint (l->flow[1].messages, ==, 50);
  router_socket = port_socket ("router", router);
  l = link_at (t, live_link (t, dealer, "dealer", router, router_socket));
  g_assert_cmpstr (l->connect_identity, ==, "dealer-1");
  g_assert_cmpuint (l->flow[0].messages, ==, 20);
  g_assert_cmpuint (l->flow[0].multipart, ==, 20);
  g_assert_cmpuint (l->flow[0].enveloped, ==, 20);
  g_assert_cmpuint (l->flow[1].messages, ==, 20);
  rep_socket = port_socket ("rep", rep);
  l = link_at (t, live_link (t, req, "req", rep, rep_socket));
  g_assert_cmpuint (l->flow[0].messages, ==, 10);
  g_assert_cmpuint (l->flow[0].enveloped, ==, 10);
  g_assert_cmpuint (l->flow[1].messages, ==, 10);
  g_assert_true (g_str_has_prefix (((ZsLink *) g_ptr_array_index (zs_topology_get_links (t->topology),
                                                                  live_link (t, req, "req", rep, rep_socket)))->bind_endpoint,
                                   "tcp://[::1]:"));
  g_assert_cmpuint (t->findings->len, ==, 0);

  /* The same packets, saved and read back: the same links and figures. */
  from_file = decode_file (path, NULL, NULL);
  live_figures = summaries (t);
  file_figures = summaries (from_file);
  g_assert_cmpuint (file_figures->len, ==, live_figures->len);
  for (guint i = 0; i < live_figures->len; i++)
    g_assert_cmpstr (g_ptr_array_index (file_figures, i), ==, g_ptr_array_index (live_figures, i));
  remove_pcap (path);
}

/* Without CAP_NET_RAW: the exact setcap command, and that files need nothing. */
static void
test_live_without_capability (void)
{
  if (g_test_subprocess ())
    {
      struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
      struct __user_cap_data_struct data[2];
      g_autoptr(GError) error = NULL;
      ZsWire *wire = zs_wire_new ();

      g_assert_cmpint (syscall (SYS_capget, &header, data), ==, 0);
      data[0].effective &= ~(1u << CAP_NET_RAW);
      data[0].permitted &= ~(1u << CAP_NET_RAW);
      g_assert_cmpint (syscall (SYS_capset, &header, data), ==, 0);
      g_assert_null (zs_wire_input_open_live (wire, NULL, &error));
      g_assert_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_PERMISSION);
      g_print ("%s\n", error->message);
      zs_wire_free (wire);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*CAP_NET_RAW*setcap cap_net_raw,cap_net_admin=eip *test-wire*Reading a capture file (--read FILE) needs no privilege.*");
}

/* ZsWireSource: the capture as a run session's source ------------------------- */

static gboolean
quit_when_finished (gpointer data)
{
  GMainLoop *loop = data;

  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_deadline (gpointer data)
{
  g_assert_not_reached ();
  return G_SOURCE_REMOVE;
}

/* A file read by the source's thread: the watch wakes when it ends, and
 * the run-source snapshot carries the wire's figures. */
static void
test_source_file (void)
{
  g_autofree char *path = temp_pcap ();
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsWireSource) source = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(ZsSnapshot) snapshot = NULL;
  g_autoptr(GPtrArray) captures = NULL;
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  ZsTopology *topology;
  guint watch, deadline;

  zs_forge_connect (forge, &c, LOCALHOST, 41000, LOCALHOST, 5555, TRUE);
  handshake (&c, 1, "PUSH", NULL, "PULL");
  for (guint i = 0; i < 7; i++)
    send_message (&c, 0, "0123456789abcdef", NULL);
  zs_forge_close (&c);
  zs_forge_free (forge);

  source = zs_wire_source_new_file (path, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (zs_run_source_get_flags (ZS_RUN_SOURCE (source)), ==, 0);
  watch = zs_run_source_add_watch (ZS_RUN_SOURCE (source), quit_when_finished, loop);
  deadline = g_timeout_add_seconds (10, on_deadline, NULL);
  while (!zs_wire_source_is_finished (source))
    g_main_loop_run (loop);
  g_source_remove (watch);
  g_source_remove (deadline);

  snapshot = zs_run_source_snapshot (ZS_RUN_SOURCE (source));
  topology = zs_run_source_get_topology (ZS_RUN_SOURCE (source));
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, 2);
  g_assert_true (zs_node_is_external (zs_topology_get_node (topology, 1)));
  g_assert_cmpuint (snapshot->n_links, ==, 1);
  g_assert_cmpuint (snapshot->links[0].sent, ==, 7);
  g_assert_cmpuint (snapshot->links[0].sent_bytes, ==, 7 * 16);
  g_assert_cmpuint (snapshot->nodes[1].sent, ==, 7);
  g_assert_true (snapshot->finished);
  g_assert_false (snapshot->running);
  g_assert_null (zs_wire_source_get_problem (source));
  g_assert_cmpuint (link_at (zs_wire_source_get_wire_topology (source), 0)->flow[0].messages, ==, 7);
  /* The Messages page's captures: the link's last messages, as sent. */
  captures = zs_run_source_get_captures (ZS_RUN_SOURCE (source), 0);
  g_assert_cmpuint (captures->len, ==, 7);
  for (guint i = 0; i < captures->len; i++)
    {
      ZsCapture *capture = g_ptr_array_index (captures, i);

      g_assert_cmpuint (capture->dir, ==, 0);
      g_assert_cmpuint (capture->n_frames, ==, 1);
      g_assert_false (capture->traced);
      g_assert_cmpuint (capture->sizes[0], ==, 16);
      g_assert_cmpmem (g_bytes_get_data (capture->frames[0], NULL), g_bytes_get_size (capture->frames[0]),
                       "0123456789abcdef", 16);
    }
  zs_run_source_stop (ZS_RUN_SOURCE (source));
  remove_pcap (path);
}

/* Live: the topology grows as programs connect ("topology-changed"), the
 * figures follow, and stop ends it. */
static void
count_changes (ZsWireSource *source,
               guint        *changes)
{
  (*changes)++;
}

static gboolean
wake (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
test_source_live (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsWireSource) source = NULL;
  g_autoptr(Peer) pull = NULL, push = NULL;
  g_autoptr(ZsSnapshot) snapshot = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  guint changes = 0, tick;
  ZsTopology *topology;

  if (!in_namespace)
    {
      g_test_skip ("needs a network namespace of its own (root, or CAP_SYS_ADMIN)");
      return;
    }
  source = zs_wire_source_new_live (NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (zs_run_source_get_flags (ZS_RUN_SOURCE (source)), ==, ZS_RUN_SOURCE_LIVE);
  g_signal_connect (source, "topology-changed", G_CALLBACK (count_changes), &changes);
  pull = peer_start ("PULL", "bind", "tcp://127.0.0.1:*", 30, "x", NULL);
  push = peer_start ("PUSH", "connect", pull->endpoint, 30, "0123456789abcdef", NULL);
  g_assert_cmpuint (peer_done (pull), ==, 30);
  /* The reading thread decodes on its own; the main loop looks at 20 Hz. */
  tick = g_timeout_add (50, wake, NULL);
  for (;;)
    {
      g_clear_pointer (&snapshot, zs_snapshot_free);
      snapshot = zs_run_source_snapshot (ZS_RUN_SOURCE (source));
      if (snapshot->n_links == 1 && snapshot->links[0].sent == 30)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (tick);
  g_assert_true (snapshot->running);
  g_assert_cmpint (changes, >=, 1);
  topology = zs_run_source_get_topology (ZS_RUN_SOURCE (source));
  g_assert_cmpint (node_of_pid (zs_wire_source_get_wire_topology (source), push->pid), >=, 0);
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, 2);
  peer_release (push);
  peer_release (pull);
  zs_run_source_stop (ZS_RUN_SOURCE (source));
  g_assert_true (zs_wire_source_is_finished (source));
  g_clear_pointer (&snapshot, zs_snapshot_free);
  snapshot = zs_run_source_snapshot (ZS_RUN_SOURCE (source));
  g_assert_false (snapshot->running);
  g_assert_cmpuint (snapshot->links[0].sent, ==, 30);
}

/* `zmqscope capture --read` on what is not a capture: an empty file, a
 * topology given by mistake, a directory. One plain sentence each, not
 * libpcap's "unknown file format" or "truncated dump file; tried to read
 * 4 file header bytes, only got 0". */
static void
test_open_not_a_capture (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zs-wire-XXXXXX", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.pcap", NULL);
  g_autofree char *json = g_build_filename (dir, "topology.json", NULL);
  const char *paths[] = { empty, json, dir };
  const char *says[] = { "is empty", "not a pcap or pcapng capture", "is a directory" };
  ZsWire *wire = zs_wire_new ();

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (json, "{ \"zmqscope\": 1, \"nodes\": [] }", -1, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (zs_wire_input_open_file (wire, paths[i], &error));
      g_assert_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, says[i]));
      g_assert_null (strstr (error->message, "dump file"));
      g_assert_null (strstr (error->message, "unknown file format"));
    }
  zs_wire_free (wire);
  g_remove (empty);
  g_remove (json);
  g_rmdir (dir);
}

static void
add_live_tests (void)
{
  g_test_add_func ("/wire/live", test_live);
  g_test_add_func ("/wire/live-without-capability", test_live_without_capability);
  g_test_add_func ("/wire/source-file", test_source_file);
  g_test_add_func ("/wire/open-not-a-capture", test_open_not_a_capture);
  g_test_add_func ("/wire/source-live", test_source_live);
}

/* A private network namespace with loopback up, so that the live test
 * sees only its own programs' traffic. */
static gboolean
enter_namespace (void)
{
  struct ifreq ifr = { 0 };
  int fd;
  gboolean up;

  if (unshare (CLONE_NEWNET) != 0)
    return FALSE;
  fd = socket (AF_INET, SOCK_DGRAM, 0);
  g_strlcpy (ifr.ifr_name, "lo", sizeof ifr.ifr_name);
  up = fd >= 0 && ioctl (fd, SIOCGIFFLAGS, &ifr) == 0 && (ifr.ifr_flags |= IFF_UP, ioctl (fd, SIOCSIFFLAGS, &ifr) == 0);
  if (fd >= 0)
    close (fd);
  return up;
}

int
main (int   argc,
      char *argv[])
{
  in_namespace = enter_namespace ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wire/greeting-push-pull", test_greeting_push_pull);
  g_test_add_func ("/wire/multipart-envelope", test_multipart_envelope);
  g_test_add_func ("/wire/subscriptions", test_subscriptions);
  g_test_add_func ("/wire/out-of-order", test_out_of_order);
  g_test_add_func ("/wire/midstream", test_midstream);
  g_test_add_func ("/wire/bad-input", test_bad_input);
  g_test_add_func ("/wire/mechanisms", test_mechanisms);
  g_test_add_func ("/wire/heartbeats-and-error", test_heartbeats_and_error);
  g_test_add_func ("/wire/reconnect", test_reconnect);
  g_test_add_func ("/wire/cut-file", test_cut_file);
  g_test_add_func ("/wire/stream-bounded", test_stream_bounded);
  g_test_add_func ("/wire/kept-bounded", test_kept_bounded);
  g_test_add_func ("/wire/kept-resent", test_kept_resent);
  g_test_add_func ("/wire/ports", test_ports);
  g_test_add_func ("/wire/cli", test_cli);
  add_live_tests ();
  return g_test_run ();
}
