/* zs-bench-wire.c: offline ZMTP decode rate, against tcpdump reading the same file
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   zs-bench-wire [--messages N] [--segment BYTES] [--repeat R] [--keep FILE]
 *
 * Method:
 *  - A pcap file is forged (tests/zs-wire-forge.c): one PUSH -> PULL
 *    connection over loopback Ethernet/IPv4/TCP, the NULL handshake, then
 *    N 16-byte messages (18 bytes each on the wire: flags, size, body)
 *    packed into TCP segments of --segment bytes (default 8192, libzmq's
 *    output batch; 1448 is an Ethernet MTU's worth), each segment ACKed
 *    by the other side as a real capture would show.
 *  - Decode: zs_wire_input_open_file + zs_wire_input_read to the end +
 *    zs_wire_finish + zs_wire_topology_new, as `zmqscope capture --read`
 *    does; best wall time of --repeat runs. The decoded count must be N.
 *  - tcpdump, if installed: `tcpdump -r FILE -w /dev/null` on the same
 *    file, best of --repeat, and the ratio of the two times.
 * Target: at least 1 M ZMTP messages per second on one core.
 *
 *   zs-bench-wire --live SECONDS
 *
 * Live (root, or a helper given the capability with setcap): a PUSH ->
 * PULL pair of this process's threads on loopback (a private network
 * namespace when it may make one) sends 16-byte messages at full speed
 * for SECONDS, once alone and once while the capture helper
 * (zmqscope-capture, started as Attach… does) captures loopback. Reported:
 * the pair's own throughput each time and their ratio, the packets the
 * kernel dropped before the helper read them (pcap's statistics, as the
 * app's status line shows them), and the messages the helper decoded of
 * those sent. */
#include "config.h"

#include <glib/gstdio.h>
#include <inttypes.h>
#include <stdio.h>

#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <zmq.h>

#include "zs-wire-forge.h"
#include "zs-wire-pcap.h"
#include "zs-wire-source.h"
#include "zs-wire-topology.h"

#define TARGET_RATE 1e6

static void
forge_file (const char *path,
            guint       messages,
            guint       segment)
{
  ZsForge *forge = zs_forge_new (path, NULL);
  ZsForgeConn c;
  g_autoptr(GByteArray) b = g_byte_array_new ();
  guint per_segment = MAX (segment / 18, 1);

  zs_forge_connect (forge, &c, 0x7f000001u, 40000, 0x7f000001u, 5555, TRUE);
  for (guint dir = 0; dir < 2; dir++)
    {
      zs_forge_greeting (b, 1, "NULL", FALSE);
      zs_forge_ready (b, dir == 0 ? "PUSH" : "PULL", NULL);
      zs_forge_send (&c, dir, b->data, b->len);
      g_byte_array_set_size (b, 0);
    }
  for (guint sent = 0; sent < messages;)
    {
      for (guint i = 0; i < per_segment && sent < messages; i++, sent++)
        zs_forge_frame (b, 0, "0123456789abcdef", 16);
      zs_forge_send (&c, 0, b->data, b->len);
      zs_forge_send (&c, 1, NULL, 0);   /* the ACK */
      g_byte_array_set_size (b, 0);
    }
  zs_forge_close (&c);
  zs_forge_free (forge);
}

/* Seconds to decode the file; the messages found go to *decoded. */
static double
decode (const char *path,
        guint64    *decoded)
{
  g_autoptr(GError) error = NULL;
  ZsWire *wire = zs_wire_new ();
  ZsWireInput *input;
  ZsWireTopology *t;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  input = zs_wire_input_open_file (wire, path, &error);
  g_assert_no_error (error);
  while (zs_wire_input_read (input, 0, &error) >= 0)
    ;
  g_assert_no_error (error);
  zs_wire_finish (wire);
  t = zs_wire_topology_new (wire, FALSE);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  *decoded = t->links->len > 0 ? ((ZsWireLink *) g_ptr_array_index (t->links, 0))->flow[0].messages : 0;
  zs_wire_topology_free (t);
  zs_wire_input_free (input);
  zs_wire_free (wire);
  return seconds;
}

static double
run_tcpdump (const char *tcpdump,
             const char *path)
{
  const char *argv[] = { tcpdump, "-r", path, "-w", "/dev/null", NULL };
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, NULL))
    return -1;
  return (g_get_monotonic_time () - start) / 1e6;
}

/* Live ------------------------------------------------------------------------------ */

typedef struct {
  void    *context;
  char     endpoint[256];
  double   seconds;
  guint64  received;
  double   elapsed;
} Pair;

static gpointer
push_thread (gpointer data)
{
  Pair *p = data;
  void *push = zmq_socket (p->context, ZMQ_PUSH);
  gint64 end = g_get_monotonic_time () + (gint64) (p->seconds * G_USEC_PER_SEC);
  int linger = -1;

  zmq_setsockopt (push, ZMQ_LINGER, &linger, sizeof linger);
  zmq_connect (push, p->endpoint);
  for (guint64 n = 0;; n++)
    {
      if ((n & 1023) == 0 && g_get_monotonic_time () >= end)
        break;
      zmq_send (push, "0123456789abcdef", 16, 0);
    }
  zmq_send (push, "E", 1, 0);
  zmq_close (push);
  return NULL;
}

/* The pair's own throughput: 16-byte messages received per second. */
static double
run_pair (double   seconds,
          guint64 *received)
{
  Pair p = { zmq_ctx_new (), "", seconds, 0, 0 };
  void *pull = zmq_socket (p.context, ZMQ_PULL);
  size_t size = sizeof p.endpoint;
  char buf[16];
  gint64 start = 0;
  GThread *thread;

  zmq_bind (pull, "tcp://127.0.0.1:*");
  zmq_getsockopt (pull, ZMQ_LAST_ENDPOINT, p.endpoint, &size);
  thread = g_thread_new ("push", push_thread, &p);
  for (;;)
    {
      int n = zmq_recv (pull, buf, sizeof buf, 0);

      if (start == 0)
        start = g_get_monotonic_time ();
      if (n == 1)
        break;
      p.received++;
    }
  p.elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_thread_join (thread);
  zmq_close (pull);
  zmq_ctx_term (p.context);
  *received = p.received;
  return p.received / p.elapsed;
}

/* Loopback alone, when this process may have a network namespace. */
static gboolean
private_loopback (void)
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

static guint64
decoded_messages (ZsWireTopology *t)
{
  guint64 n = 0;

  for (guint i = 0; i < t->links->len; i++)
    n += ((ZsWireLink *) g_ptr_array_index (t->links, i))->flow[0].messages;
  return n;
}

static int
bench_live (double seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsWireSource) source = NULL;
  double alone, after, captured;
  guint64 decoded = 0, last = G_MAXUINT64, sent;
  ZsWireTopology *t;

  printf ("loopback: %s\n", private_loopback () ? "a private network namespace" : "the machine's own");
  alone = run_pair (seconds, &sent);
  printf ("PUSH -> PULL alone: %.2f M msg/s (16 B)\n", alone / 1e6);
  source = zs_wire_source_new_live (NULL, NULL, &error);
  if (source == NULL)
    {
      printf ("cannot capture: %s\n", error->message);
      return 1;
    }
  captured = run_pair (seconds, &sent);
  /* The helper catches up: until what it decoded holds still. */
  while (decoded != last)
    {
      last = decoded;
      g_usleep (G_USEC_PER_SEC / 2);
      decoded = decoded_messages (zs_wire_source_get_wire_topology (source));
    }
  t = zs_wire_source_get_wire_topology (source);
  printf ("PUSH -> PULL while the helper captures: %.2f M msg/s, %.2fx its speed alone\n", captured / 1e6,
          captured / alone);
  printf ("packets the helper read: %" PRIu64 ", dropped by the kernel: %" PRIu64 " (%.2f%%)\n", t->packets,
          t->kernel_dropped, t->packets + t->kernel_dropped > 0
                             ? 100.0 * t->kernel_dropped / (t->packets + t->kernel_dropped) : 0.0);
  /* The pair's last message, the end mark, crossed the wire too. */
  sent++;
  printf ("messages decoded: %" PRIu64 " of %" PRIu64 " sent (%.2f%%)\n", decoded, sent, 100.0 * decoded / sent);
  zs_run_source_stop (ZS_RUN_SOURCE (source));
  g_clear_object (&source);
  /* Alone again: the machine's load moves; the ratio is to the mean. */
  after = run_pair (seconds, &sent);
  printf ("PUSH -> PULL alone again: %.2f M msg/s; captured / alone (mean of both): %.2fx\n", after / 1e6,
          captured / ((alone + after) / 2));
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  int messages = 4000000, segment = 8192, repeat = 3;
  double live = 0;
  g_autofree char *keep = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new ("— offline ZMTP decode rate");
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "messages", 'n', 0, G_OPTION_ARG_INT, &messages, "16-byte messages in the file (default 4000000)", "N" },
    { "segment", 0, 0, G_OPTION_ARG_INT, &segment, "TCP payload bytes per packet (default 8192)", "BYTES" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "runs of each, best kept (default 3)", "R" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "write the pcap here and keep it", "FILE" },
    { "live", 0, 0, G_OPTION_ARG_DOUBLE, &live, "instead: a PUSH -> PULL pair on loopback for this long, "
      "alone then captured by the helper", "SECONDS" },
    { NULL }
  };
  g_autofree char *dir = NULL, *path = NULL, *tcpdump = g_find_program_in_path ("tcpdump");
  double best = G_MAXDOUBLE, best_tcpdump = G_MAXDOUBLE, rate;
  guint64 decoded = 0;
  GStatBuf st;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || messages < 1 || segment < 18 || segment > 65000
      || repeat < 1)
    {
      g_printerr ("zs-bench-wire: %s\n", error != NULL ? error->message : "bad arguments");
      return 2;
    }
  if (live > 0)
    return bench_live (MIN (live, 600));
  if (keep != NULL)
    path = g_strdup (keep);
  else
    {
      dir = g_dir_make_tmp ("zs-bench-wire-XXXXXX", NULL);
      path = g_build_filename (dir, "16b.pcap", NULL);
    }
  forge_file (path, (guint) messages, (guint) segment);
  g_stat (path, &st);
  printf ("file: %d messages of 16 B in %d-byte segments, %.1f MB\n", messages, segment, st.st_size / 1e6);
  for (int r = 0; r < repeat; r++)
    {
      best = MIN (best, decode (path, &decoded));
      if (tcpdump != NULL)
        {
          double t = run_tcpdump (tcpdump, path);

          if (t >= 0)
            best_tcpdump = MIN (best_tcpdump, t);
        }
    }
  rate = decoded / best;
  printf ("zmqscope decode: %.3f s, %.2f M msg/s, %.0f MB/s\n", best, rate / 1e6, st.st_size / 1e6 / best);
  printf ("%s decoded count: %" PRIu64 " of %d\n", decoded == (guint64) messages ? "PASS" : "FAIL", decoded, messages);
  printf ("%s decode rate: %.2f M msg/s (target >= 1 M msg/s)\n", rate >= TARGET_RATE ? "PASS" : "FAIL", rate / 1e6);
  if (tcpdump == NULL)
    printf ("tcpdump is not installed: no ratio (Debian: apt install tcpdump)\n");
  else if (best_tcpdump == G_MAXDOUBLE)
    printf ("tcpdump -r FILE -w /dev/null failed: no ratio\n");
  else
    printf ("tcpdump -r FILE -w /dev/null: %.3f s; zmqscope's decode takes %.2fx tcpdump's time\n", best_tcpdump,
            best / best_tcpdump);
  if (keep == NULL)
    {
      g_remove (path);
      g_rmdir (dir);
    }
  return decoded == (guint64) messages && rate >= TARGET_RATE ? 0 : 1;
}
