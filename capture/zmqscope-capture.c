/* zmqscope-capture.c: the capture helper, as Wireshark's dumpcap
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   zmqscope-capture [--interface IF | --read FILE] [--ports LIST]
 *                    [--serve ENDPOINT] [--key-file FILE] [--save FILE]
 *
 * The only zmqscope program that opens an interface: it holds CAP_NET_RAW
 * (setcap), opens the capture, gives up every capability, decodes ZMTP
 * (monitor/wire/) and streams what it found over a ZeroMQ XPUB socket in
 * the capture stream format (docs/capture-stream.md): a STATE a few times
 * a second and whenever a client subscribes, and MESSAGES, each
 * connection's latest. ipc by default, in a private directory; over tcp
 * the stream is CURVE-encrypted and the helper proves who it is with its
 * key pair (--key-file keeps it across starts), whose public key it
 * prints at start for the client to pin.
 *
 * Standard output says, one line each, "ENDPOINT <endpoint>", "SERVER-KEY
 * <key>" (tcp) and "READY"; the app and `zmqscope capture` read them.
 * Exit status 1: the capture could not start (the message on standard
 * error); 2: usage; 3: no capability to capture (the message says the
 * setcap command). */
#define G_LOG_DOMAIN "zmqscope-capture"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <linux/capability.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <zmq.h>

#include "zs-dirs.h"
#include "zs-wire-kept.h"
#include "zs-wire-pcap.h"
#include "zs-wire-source.h"
#include "zs-wire-stream.h"

#define STATE_INTERVAL_US (200 * 1000)
#define LIVE_WAIT_MS 50
#define IDLE_POLL_MS 200

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_PERMISSION = 3,   /* no CAP_NET_RAW: the setcap command said */
};

typedef struct {
  ZsWire       *wire;
  ZsWireInput  *input;
  char         *host;
  char         *source;
  gboolean      finished;
  char         *problem;
  ZsWireKept   *kept;        /* each connection's latest messages, bounded */
  guint64       sent;        /* the stamp of those sent */
  void         *publisher;
  void         *zap;         /* --allow-keys: who may connect (ZAP), or NULL */
  GHashTable   *allowed;     /* their public keys, 32 bytes each */
} Helper;

static volatile sig_atomic_t stopping;

static void
on_signal (int signum)
{
  stopping = 1;
}

/* The machine, and the pid namespace: pids mean the same thing to every
 * helper that says the same. */
static char *
host_name (void)
{
  g_autofree char *ns = g_file_read_link ("/proc/self/ns/pid", NULL);

  return g_strdup_printf ("%s %s", g_get_host_name (), ns != NULL ? ns : "");
}

/* Once the interface is open, the capture needs no capability (dumpcap
 * does the same). Only those that let /proc tell which process holds a
 * socket are kept, when it has them (run as root). */
static void
drop_capabilities (void)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2] = { { 0 } };
  guint32 keep = (1u << CAP_SYS_PTRACE) | (1u << CAP_DAC_READ_SEARCH);

  if (syscall (SYS_capget, &header, data) == 0)
    {
      data[0].effective &= keep;
      data[0].permitted &= keep;
      data[0].inheritable = 0;
      memset (&data[1], 0, sizeof data[1]);
    }
  else
    memset (data, 0, sizeof data);
  if (syscall (SYS_capset, &header, data) != 0)
    g_printerr ("zmqscope-capture: %s: %s\n", _("could not give up its capabilities"), g_strerror (errno));
}

static void
send_bytes (void         *publisher,
            const guint8 *data,
            gsize         len)
{
  /* A client too slow for the stream misses a state; the next one has it all. */
  zmq_send (publisher, data, len, ZMQ_DONTWAIT);
}

/* All it keeps fits in one stream message. */
G_STATIC_ASSERT ((guint64) ZS_WIRE_KEPT_MAX_CONNECTIONS * ZS_CAPTURE_SLOTS <= ZS_WIRE_STREAM_MAX_MESSAGES);
G_STATIC_ASSERT (ZS_WIRE_KEPT_MAX_BYTES <= ZS_WIRE_STREAM_MAX_SIZE / 2);

static void
append_message (gpointer               user_data,
                guint64                connection,
                guint64                seq,
                const ZsCaptureSource *message)
{
  const guint8 *data[ZS_CAPTURE_MAX_FRAMES] = { NULL };
  guint64 sizes[ZS_CAPTURE_MAX_FRAMES] = { 0 };

  for (guint f = 0; f < MIN (message->n_frames, ZS_CAPTURE_MAX_FRAMES); f++)
    {
      data[f] = message->data[f];
      sizes[f] = message->sizes[f];
    }
  zs_wire_stream_append_message (user_data, connection, seq, message->dir, message->time_us, message->n_frames,
                                 data, sizes);
}

/* The messages not sent yet, or (a client just came) all those kept. */
static void
send_messages (Helper   *h,
               gboolean  all_kept)
{
  g_autoptr(GByteArray) out = zs_wire_stream_messages_new ();

  h->sent = zs_wire_kept_foreach_since (h->kept, all_kept ? 0 : h->sent, append_message, out);
  if (!zs_wire_stream_messages_empty (out))
    send_bytes (h->publisher, out->data, out->len);
}

static void
send_state (Helper   *h,
            gboolean  all_kept)
{
  g_autoptr(ZsWireStreamState) state = zs_wire_stream_state_new ();
  g_autoptr(GBytes) bytes = NULL;
  GPtrArray *states = zs_wire_get_states (h->wire);

  state->host = g_strdup (h->host);
  state->source = g_strdup (h->source);
  state->live = zs_wire_input_is_live (h->input);
  state->finished = h->finished;
  state->problem = g_strdup (h->problem);
  state->packets = zs_wire_get_n_packets (h->wire);
  state->skipped = zs_wire_get_n_skipped (h->wire);
  state->overflow = zs_wire_get_n_overflow (h->wire);
  zs_wire_input_get_drops (h->input, &state->kernel_received, &state->kernel_dropped);
  state->let_go = zs_wire_kept_get_n_let_go (h->kept);
  g_ptr_array_unref (state->connections);
  state->connections = states;
  bytes = zs_wire_stream_encode_state (state);
  send_bytes (h->publisher, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  send_messages (h, all_kept);
}

/* A client subscribed: it gets everything at once. */
static gboolean
take_subscriptions (void *publisher)
{
  gboolean fresh = FALSE;
  guint8 buf[64];
  int n;

  while ((n = zmq_recv (publisher, buf, sizeof buf, ZMQ_DONTWAIT)) >= 0)
    fresh |= n >= 1 && buf[0] == 1;
  return fresh;
}

static void
finish (Helper *h,
        GError *error)
{
  if (h->finished)
    return;
  zs_wire_finish (h->wire);
  h->finished = TRUE;
  if (error != NULL)
    h->problem = g_strdup (error->message);
}

/* ZAP (RFC 27): a CURVE client is let in when its public key is allowed. */
static void
answer_zap (Helper *h)
{
  zmq_msg_t frames[7];
  int n = 0, more = 1;

  while (more && n < 7)
    {
      zmq_msg_init (&frames[n]);
      if (zmq_msg_recv (&frames[n], h->zap, ZMQ_DONTWAIT) < 0)
        {
          zmq_msg_close (&frames[n]);
          break;
        }
      more = zmq_msg_more (&frames[n]);
      n++;
    }
  /* version, request id, domain, address, routing id, mechanism, key */
  if (n == 7 && !more)
    {
      gboolean curve = zmq_msg_size (&frames[5]) == 5 && memcmp (zmq_msg_data (&frames[5]), "CURVE", 5) == 0;
      g_autoptr(GBytes) key = g_bytes_new (zmq_msg_data (&frames[6]), zmq_msg_size (&frames[6]));
      const char *status = curve && g_hash_table_contains (h->allowed, key) ? "200" : "400";

      zmq_send (h->zap, "1.0", 3, ZMQ_SNDMORE);
      zmq_send (h->zap, zmq_msg_data (&frames[1]), zmq_msg_size (&frames[1]), ZMQ_SNDMORE);
      zmq_send (h->zap, status, 3, ZMQ_SNDMORE);
      zmq_send (h->zap, "", 0, ZMQ_SNDMORE);
      zmq_send (h->zap, "", 0, ZMQ_SNDMORE);
      zmq_send (h->zap, "", 0, 0);
    }
  while (more)
    {
      /* A request of another shape: read to its end, not answered. */
      zmq_msg_t rest;

      zmq_msg_init (&rest);
      more = zmq_msg_recv (&rest, h->zap, ZMQ_DONTWAIT) >= 0 && zmq_msg_more (&rest);
      zmq_msg_close (&rest);
    }
  for (int i = 0; i < n; i++)
    zmq_msg_close (&frames[i]);
}

static void
run (Helper *h)
{
  gint64 next_state = 0;

  while (!stopping)
    {
      zmq_pollitem_t items[2] = { { h->publisher, 0, ZMQ_POLLIN, 0 }, { h->zap, 0, ZMQ_POLLIN, 0 } };
      gboolean now;

      if (!h->finished)
        {
          g_autoptr(GError) error = NULL;

          zs_wire_input_wait (h->input, LIVE_WAIT_MS);
          if (zs_wire_input_read (h->input, 0, &error) < 0)
            finish (h, error);
        }
      zmq_poll (items, h->zap != NULL ? 2 : 1, h->finished ? IDLE_POLL_MS : 0);
      if (h->zap != NULL && (items[1].revents & ZMQ_POLLIN))
        answer_zap (h);
      now = take_subscriptions (h->publisher);
      if (now || g_get_monotonic_time () >= next_state)
        {
          send_state (h, now);
          next_state = g_get_monotonic_time () + STATE_INTERVAL_US;
        }
    }
  finish (h, NULL);
  send_state (h, FALSE);
}

/* Keys ------------------------------------------------------------------------------ */

/* The clients' public keys, Z85, one a line ('#' a comment). */
static GHashTable *
load_allowed (const char  *path,
              GError     **error)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GHashTable) allowed = g_hash_table_new_full (g_bytes_hash, g_bytes_equal,
                                                         (GDestroyNotify) g_bytes_unref, NULL);

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      guint8 key[32];

      if (*line == '\0' || *line == '#')
        continue;
      if (strlen (line) != 40 || zmq_z85_decode (key, line) == NULL)
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("%s, line %u: not a CURVE public key (40 characters, Z85)"), path, i + 1);
          return NULL;
        }
      g_hash_table_add (allowed, g_bytes_new (key, sizeof key));
    }
  return g_steal_pointer (&allowed);
}

/* The socket ----------------------------------------------------------------------- */

static void *
serve (void        *context,
       const char  *endpoint,
       const char  *key_file,
       char        *bound,
       gsize        bound_size,
       char         public_key[41],
       GError     **error)
{
  void *publisher = zmq_socket (context, ZMQ_XPUB);
  int one = 1, linger = 500, hwm = 100;
  gboolean tcp = g_str_has_prefix (endpoint, "tcp://");
  size_t size = bound_size;

  zmq_setsockopt (publisher, ZMQ_XPUB_VERBOSE, &one, sizeof one);
  zmq_setsockopt (publisher, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt (publisher, ZMQ_SNDHWM, &hwm, sizeof hwm);
  if (tcp)
    {
      char secret_key[41] = "";

      if (!zs_wire_source_load_key_pair (key_file, public_key, secret_key, error))
        {
          zmq_close (publisher);
          return NULL;
        }
      /* Only a client that knows this key can talk to it: CURVE. */
      zmq_setsockopt (publisher, ZMQ_CURVE_SERVER, &one, sizeof one);
      zmq_setsockopt (publisher, ZMQ_CURVE_SECRETKEY, secret_key, 40);
      memset (secret_key, 0, sizeof secret_key);
    }
  if (zmq_bind (publisher, endpoint) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("cannot serve on %s: %s"), endpoint,
                   zmq_strerror (zmq_errno ()));
      zmq_close (publisher);
      return NULL;
    }
  zmq_getsockopt (publisher, ZMQ_LAST_ENDPOINT, bound, &size);
  return publisher;
}

/* The stream's own connections are ZMTP too: never shown. */
static void
ignore_own_port (ZsWire     *wire,
                 const char *bound)
{
  const char *colon = strrchr (bound, ':');
  guint64 port;

  if (g_str_has_prefix (bound, "tcp://") && colon != NULL
      && g_ascii_string_to_unsigned (colon + 1, 10, 1, 65535, &port, NULL))
    zs_wire_ignore_port (wire, (guint16) port);
}

static int
main_capture (const char *interface,
              const char *file,
              const char *ports,
              const char *endpoint,
              const char *key_file,
              const char *allow_file,
              const char *save)
{
  g_autoptr(GError) error = NULL;
  Helper h = { 0 };
  g_autofree char *private_dir = NULL, *default_endpoint = NULL;
  char bound[1024] = "", public_key[41] = "";
  void *context = NULL;
  struct sigaction action = { 0 };
  int status = EXIT_OK;

  h.wire = zs_wire_new ();
  h.kept = zs_wire_kept_new (ZS_WIRE_KEPT_MAX_BYTES, ZS_WIRE_KEPT_MAX_CONNECTIONS);
  h.host = host_name ();
  zs_wire_set_message_func (h.wire, zs_wire_kept_take, h.kept);
  if (!zs_wire_set_ports (h.wire, ports, &error))
    {
      g_printerr ("zmqscope-capture: --ports: %s\n", error->message);
      status = EXIT_USAGE;
      goto out;
    }
  zs_wire_set_resolve_processes (h.wire, file == NULL);
  h.input = file != NULL ? zs_wire_input_open_file (h.wire, file, &error)
                         : zs_wire_input_open_live (h.wire, interface, &error);
  if (h.input == NULL || (save != NULL && !zs_wire_input_save_to (h.input, save, &error)))
    {
      g_printerr ("zmqscope-capture: %s\n", error->message);
      status = g_error_matches (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_PERMISSION) ? EXIT_PERMISSION : EXIT_FAILED;
      goto out;
    }
  drop_capabilities ();
  h.source = file != NULL ? g_path_get_basename (file) : g_strdup (interface != NULL ? interface : ZS_WIRE_DEFAULT_INTERFACE);
  if (endpoint == NULL)
    {
      private_dir = g_dir_make_tmp ("zmqscope-capture-XXXXXX", &error);
      if (private_dir == NULL)
        {
          g_printerr ("zmqscope-capture: %s\n", error->message);
          status = EXIT_FAILED;
          goto out;
        }
      endpoint = default_endpoint = g_strdup_printf ("ipc://%s/stream", private_dir);
    }
  context = zmq_ctx_new ();
  if (allow_file != NULL)
    {
      h.allowed = load_allowed (allow_file, &error);
      if (h.allowed == NULL)
        {
          g_printerr ("zmqscope-capture: %s\n", error->message);
          status = EXIT_USAGE;
          goto out;
        }
      /* Bound before the publisher: every CURVE handshake asks it. */
      h.zap = zmq_socket (context, ZMQ_REP);
      zmq_bind (h.zap, "inproc://zeromq.zap.01");
    }
  h.publisher = serve (context, endpoint, key_file, bound, sizeof bound, public_key, &error);
  if (h.publisher == NULL)
    {
      g_printerr ("zmqscope-capture: %s\n", error->message);
      status = EXIT_FAILED;
      goto out;
    }
  ignore_own_port (h.wire, bound);
  action.sa_handler = on_signal;
  sigaction (SIGINT, &action, NULL);
  sigaction (SIGTERM, &action, NULL);
  g_print ("ENDPOINT %s\n", bound);
  if (*public_key != '\0')
    {
      g_print ("SERVER-KEY %s\n", public_key);
      g_printerr (_("zmqscope-capture: serving %s, encrypted; its public key: %s\n"
                    "  attach with: zmqscope capture --helper %s --server-key %s\n"),
                  bound, public_key, bound, public_key);
    }
  g_print ("READY\n");
  fflush (stdout);
  run (&h);
  zmq_close (h.publisher);

out:
  if (h.zap != NULL)
    zmq_close (h.zap);
  g_clear_pointer (&h.allowed, g_hash_table_unref);
  if (context != NULL)
    zmq_ctx_term (context);
  if (default_endpoint != NULL)
    g_unlink (default_endpoint + strlen ("ipc://"));
  if (private_dir != NULL)
    g_rmdir (private_dir);
  zs_wire_input_free (h.input);
  zs_wire_free (h.wire);
  zs_wire_kept_free (h.kept);
  g_free (h.host);
  g_free (h.source);
  g_free (h.problem);
  return status;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *interface = NULL, *file = NULL, *ports = NULL, *endpoint = NULL, *key_file = NULL, *save = NULL;
  g_autofree char *allow_file = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "interface", 'i', 0, G_OPTION_ARG_STRING, &interface,
      N_("Capture live on this interface (default: loopback, “lo”; “any” for all); needs CAP_NET_RAW"), N_("IF") },
    { "read", 'r', 0, G_OPTION_ARG_FILENAME, &file,
      N_("Read a pcap or pcapng file instead (needs no privilege)"), N_("FILE") },
    { "ports", 'p', 0, G_OPTION_ARG_STRING, &ports,
      N_("Decode connections on these tcp ports, e.g. 5555,6000-6010 (default: ZMTP found by its greeting)"),
      N_("LIST") },
    { "serve", 0, 0, G_OPTION_ARG_STRING, &endpoint,
      N_("Stream to clients on this endpoint: ipc://PATH, or tcp://HOST:PORT (CURVE-encrypted) "
         "(default: ipc in a private directory)"), N_("ENDPOINT") },
    { "key-file", 0, 0, G_OPTION_ARG_FILENAME, &key_file,
      N_("tcp: the key pair to serve with, made there the first time (default: a new one each start)"),
      N_("FILE") },
    { "allow-keys", 0, 0, G_OPTION_ARG_FILENAME, &allow_file,
      N_("tcp: let in only the clients whose public keys this file lists, one a line "
         "(`zmqscope capture --client-key` prints a client's) (default: any client that knows this helper's key)"),
      N_("FILE") },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &save,
      N_("Also write the packets read to this pcap file"), N_("FILE") },
    { NULL }
  };

  zs_dirs_init_i18n ();
  context = g_option_context_new (_("— capture ZeroMQ traffic for zmqscope, and stream what it shows"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1 || (interface != NULL && file != NULL)
      || (endpoint != NULL && !g_str_has_prefix (endpoint, "tcp://") && !g_str_has_prefix (endpoint, "ipc://")))
    {
      if (error != NULL)
        g_printerr ("zmqscope-capture: %s\n", error->message);
      g_printerr (_("Usage: zmqscope-capture [--interface IF | --read FILE] [--ports LIST] "
                    "[--serve ipc://PATH | tcp://HOST:PORT] [--key-file FILE] [--allow-keys FILE] [--save FILE]\n"));
      return EXIT_USAGE;
    }
  return main_capture (interface, file, ports, endpoint, key_file, allow_file, save);
}
