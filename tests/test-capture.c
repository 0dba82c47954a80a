/* test-capture.c: the capture helper and its stream (issue #12)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The capture stream as untrusted input (every cut and every changed byte
 * of a good message is refused or read within bounds), the helper without
 * the capability (the setcap command for its own path), and two machines:
 * two network namespaces made by the test, joined by a veth pair, plain
 * libzmq programs (zs-peer) talking across it, a helper in each serving
 * over CURVE, and `zmqscope capture` following both: one merged topology.
 * A client without the helper's key gets nothing. No traffic leaves the
 * namespaces the test made. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zmq.h>

#include "zs-wire-source.h"
#include "zs-wire-stream.h"

/* Whether `name` is a program on PATH. */
static gboolean
has_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static gboolean in_namespace;

static char *
build_path (const char *dir,
            const char *name)
{
  return g_build_filename (g_getenv ("ZS_BUILD_DIR"), dir, name, NULL);
}

/* The stream, untrusted --------------------------------------------------------- */

static ZsWireStreamState *
sample_state (void)
{
  ZsWireStreamState *s = zs_wire_stream_state_new ();
  ZsWireConnState *c = zs_wire_conn_state_new ();

  s->host = g_strdup ("host-a");
  s->live = TRUE;
  s->source = g_strdup ("lo");
  s->packets = 1234;
  s->kernel_dropped = 7;
  s->let_go = 5;
  c->id = 3;
  c->client.family = c->server.family = AF_INET;
  c->client.addr[0] = c->server.addr[0] = 127;
  c->client.addr[3] = c->server.addr[3] = 1;
  c->client.port = 41000;
  c->server.port = 5555;
  c->saw_syn = TRUE;
  c->isn = 0xdeadbeef;
  c->first_us = 1000;
  c->last_us = 2000;
  c->process[0].pid = 42;
  c->process[0].command = g_strdup ("./push --fast");
  c->dir[0].counts.messages = 3;
  c->dir[0].counts.bytes = 48;
  c->dir[0].seen_bytes = 200;
  c->dir[0].major = 3;
  c->dir[0].minor = 1;
  c->dir[0].zmtp = TRUE;
  c->dir[0].mechanism = g_strdup ("NULL");
  c->dir[0].socket_type = g_strdup ("SUB");
  g_ptr_array_add (c->dir[0].topics, g_strdup (""));
  g_ptr_array_add (c->dir[0].topics, g_strdup ("weather"));
  c->dir[1].socket_type = g_strdup ("PUB");
  g_ptr_array_add (c->dir[1].findings, g_strdup ("a finding"));
  g_ptr_array_add (s->connections, c);
  return s;
}

static void
test_stream_round_trip (void)
{
  g_autoptr(ZsWireStreamState) s = sample_state ();
  g_autoptr(GBytes) bytes = zs_wire_stream_encode_state (s);
  g_autoptr(ZsWireStreamState) back = NULL;
  g_autoptr(GByteArray) messages = zs_wire_stream_messages_new ();
  g_autoptr(GArray) decoded = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *frames[2] = { (const guint8 *) "topic", (const guint8 *) "body" };
  guint64 sizes[2] = { 5, 4 };
  ZsWireConnState *c;
  ZsWireStreamMessage *m;

  back = zs_wire_stream_decode_state (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->host, ==, "host-a");
  g_assert_true (back->live);
  g_assert_false (back->finished);
  g_assert_cmpuint (back->packets, ==, 1234);
  g_assert_cmpuint (back->kernel_dropped, ==, 7);
  g_assert_cmpuint (back->let_go, ==, 5);
  g_assert_cmpuint (back->connections->len, ==, 1);
  c = g_ptr_array_index (back->connections, 0);
  g_assert_cmpuint (c->isn, ==, 0xdeadbeef);
  g_assert_cmpuint (c->client.port, ==, 41000);
  g_assert_cmpuint (c->process[0].pid, ==, 42);
  g_assert_cmpstr (c->process[0].command, ==, "./push --fast");
  g_assert_cmpstr (c->host[0], ==, "host-a");
  g_assert_cmpuint (c->dir[0].counts.bytes, ==, 48);
  g_assert_cmpstr (c->dir[0].socket_type, ==, "SUB");
  g_assert_cmpstr (c->dir[1].socket_type, ==, "PUB");
  g_assert_null (c->dir[1].identity);
  g_assert_cmpuint (c->dir[0].topics->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (c->dir[0].topics, 0), ==, "");
  g_assert_cmpstr (g_ptr_array_index (c->dir[1].findings, 0), ==, "a finding");

  zs_wire_stream_append_message (messages, 3, 1, 0, 1500, 2, frames, sizes);
  decoded = zs_wire_stream_decode_messages (messages->data, messages->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decoded->len, ==, 1);
  m = &g_array_index (decoded, ZsWireStreamMessage, 0);
  g_assert_cmpuint (m->connection, ==, 3);
  g_assert_cmpuint (m->n_frames, ==, 2);
  g_assert_cmpmem (m->data[1], 4, "body", 4);
}

/* The fuzz target's seeds are of the version read (a seed refused at its
 * header would fuzz nothing beyond it). */
static void
test_stream_seeds (void)
{
  g_autofree char *state_path = g_test_build_filename (G_TEST_DIST, "fuzz", "capture-stream-seeds", "state", NULL);
  g_autofree char *messages_path = g_test_build_filename (G_TEST_DIST, "fuzz", "capture-stream-seeds", "messages",
                                                          NULL);
  g_autofree char *state = NULL, *messages = NULL;
  gsize state_len, messages_len;
  g_autoptr(ZsWireStreamState) decoded = NULL;
  g_autoptr(GArray) records = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (state_path, &state, &state_len, &error));
  g_assert_true (g_file_get_contents (messages_path, &messages, &messages_len, &error));
  decoded = zs_wire_stream_decode_state ((const guint8 *) state, state_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (decoded->connections->len, >, 0);
  records = zs_wire_stream_decode_messages ((const guint8 *) messages, messages_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, >, 0);
}

/* Every cut of a good message is refused; no change of one byte crashes
 * or reads beyond it (the fuzz target goes on from here). */
static void
test_stream_untrusted (void)
{
  g_autoptr(ZsWireStreamState) s = sample_state ();
  g_autoptr(GBytes) bytes = zs_wire_stream_encode_state (s);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  g_autofree guint8 *copy = g_memdup2 (data, len);
  g_autoptr(GError) error = NULL;
  guint8 huge[] = { 'Z', 'S', 'C', 'S', ZS_WIRE_STREAM_VERSION, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };

  for (gsize cut = 0; cut < len; cut++)
    {
      ZsWireStreamState *st = zs_wire_stream_decode_state (data, cut, NULL);

      g_assert_null (st);
    }
  for (gsize i = 0; i < len; i++)
    for (guint v = 0; v < 256; v += 51)
      {
        guint8 old = copy[i];

        copy[i] = (guint8) v;
        zs_wire_stream_state_free (zs_wire_stream_decode_state (copy, len, NULL));
        copy[i] = old;
      }
  /* Another version says so. */
  copy[4] = ZS_WIRE_STREAM_VERSION + 1;
  g_assert_null (zs_wire_stream_decode_state (copy, len, &error));
  g_assert_error (error, ZS_WIRE_STREAM_ERROR, ZS_WIRE_STREAM_ERROR_VERSION);
  g_clear_error (&error);
  /* 2^64 - 1 connections declared: refused before any is read. */
  g_assert_null (zs_wire_stream_decode_state (huge, sizeof huge, &error));
  g_assert_error (error, ZS_WIRE_STREAM_ERROR, ZS_WIRE_STREAM_ERROR_INVALID);
}

/* Merging: one TCP connection seen from both ends is one, each end's
 * process from the side that knew it. */
static void
test_merge (void)
{
  g_autoptr(ZsWireStreamState) a = sample_state ();
  g_autoptr(ZsWireStreamState) b = sample_state ();
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_wire_conn_state_free);
  g_autoptr(GHashTable) index = zs_wire_state_index_new ();
  g_autoptr(ZsWireTopology) t = NULL;
  ZsWireConnState *ca = g_ptr_array_index (a->connections, 0), *cb = g_ptr_array_index (b->connections, 0);

  g_clear_pointer (&ca->process[0].command, g_free);
  ca->process[0].pid = 0;
  ca->process[1].pid = 77;
  cb->id = 9;
  zs_wire_state_merge (merged, index, ca);
  zs_wire_state_merge (merged, index, cb);
  g_assert_cmpuint (merged->len, ==, 1);
  t = zs_wire_topology_new_from_states (merged, TRUE);
  g_assert_cmpuint (zs_topology_get_n_nodes (t->topology), ==, 2);
  g_assert_cmpuint (zs_topology_get_links (t->topology)->len, ==, 1);
  g_assert_cmpuint (((ZsWireNode *) g_ptr_array_index (t->nodes, 0))->pid, ==, 77);
  g_assert_cmpuint (((ZsWireNode *) g_ptr_array_index (t->nodes, 1))->pid, ==, 42);
  /* Another connection (another SYN) on the same addresses is another. */
  cb->isn++;
  zs_wire_state_merge (merged, index, cb);
  g_assert_cmpuint (merged->len, ==, 2);
}

/* The helper without the capability ------------------------------------------------ */

static void
test_helper_without_capability (void)
{
  g_autofree char *zmqscope = build_path ("app", "zmqscope");
  g_autofree char *helper = build_path ("capture", "zmqscope-capture");
  g_autofree char *canonical = g_canonicalize_filename (helper, NULL);
  g_autofree char *expected = g_strdup_printf ("setcap cap_net_raw,cap_net_admin=eip %s", canonical);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "setpriv", "--bounding-set=-all", "--inh-caps=-all", zmqscope, "capture",
                         "--interface", "lo", "--seconds", "1", NULL };
  int status;

  if (!has_program ("setpriv") || getuid () != 0)
    {
      g_test_skip ("needs root and setpriv to take the capability away");
      return;
    }
  /* The app starts the helper, which cannot capture: its words, the exit status 1. */
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  g_assert_nonnull (strstr (err, "CAP_NET_RAW"));
  g_assert_nonnull (strstr (err, expected));
  g_assert_nonnull (strstr (err, "needs no privilege"));
}

/* Two machines: two namespaces and a veth pair ----------------------------------- */

typedef struct {
  GSubprocess      *process;
  GDataInputStream *out;
} Proc;

static void
proc_free (Proc *p)
{
  if (p->process != NULL)
    {
      /* Standard input closed ends a holder and a held peer; a helper stops. */
      g_subprocess_send_signal (p->process, SIGTERM);
      g_subprocess_wait (p->process, NULL, NULL);
    }
  g_clear_object (&p->out);
  g_clear_object (&p->process);
  g_free (p);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Proc, proc_free)

static Proc *
proc_start (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE
                                                                       | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  Proc *p = g_new0 (Proc, 1);

  g_subprocess_launcher_setenv (launcher, "ZS_PEER_HOLD", "1", TRUE);
  p->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  p->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p->process));
  return p;
}

/* The value of the first line that starts with `prefix`. */
static char *
proc_wait_line (Proc       *p,
                const char *prefix)
{
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (p->out, NULL, NULL, NULL);

      g_assert_nonnull (line);
      if (g_str_has_prefix (line, prefix))
        return g_strdup (line + strlen (prefix));
    }
}

static void
run_ok (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* `argv` run inside the namespace held by `holder`. */
static GStrv
in_ns (Proc               *holder,
       const char * const *argv)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_strv_builder_add_many (b, "nsenter", "-t", g_subprocess_get_identifier (holder->process), "-n", "--", NULL);
  g_strv_builder_addv (b, (const char **) argv);
  return g_strv_builder_end (b);
}

static void
run_in_ns (Proc       *holder,
           const char *first,
           ...)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL, full = NULL;
  va_list args;

  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_strv_builder_add (b, a);
  va_end (args);
  argv = g_strv_builder_end (b);
  full = in_ns (holder, (const char * const *) argv);
  run_ok ((const char * const *) full);
}

static Proc *
start_in_ns (Proc               *holder,
             const char * const *argv)
{
  g_auto(GStrv) full = in_ns (holder, argv);

  return proc_start ((const char * const *) full);
}

/* `zmqscope capture` inside namespace A, following both helpers. */
static JsonNode *
capture_json (Proc       *holder,
              const char *endpoint_a,
              const char *key_a,
              const char *endpoint_b,
              const char *key_b,
              char      **err)
{
  g_autofree char *zmqscope = build_path ("app", "zmqscope");
  const char *argv[] = { zmqscope, "capture", "--helper", endpoint_a, "--server-key", key_a,
                         endpoint_b != NULL ? "--helper" : NULL, endpoint_b, "--server-key", key_b,
                         NULL };
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  g_auto(GStrv) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status;

  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (list, (gpointer) argv[i]);
  g_ptr_array_add (list, "--seconds");
  g_ptr_array_add (list, "1");
  g_ptr_array_add (list, "--json");
  g_ptr_array_add (list, NULL);
  full = in_ns (holder, (const char * const *) list->pdata);
  g_spawn_sync (NULL, full, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return json_from_string (out, &error);
}

static JsonObject *
find_link (JsonObject *root,
           const char *connect_type)
{
  JsonArray *links = json_object_get_array_member (root, "links");

  for (guint i = 0; i < json_array_get_length (links); i++)
    {
      JsonObject *l = json_array_get_object_element (links, i);

      if (g_str_has_suffix (json_object_get_string_member (l, "connect"), connect_type))
        return l;
    }
  return NULL;
}

static guint
messages_to (JsonObject *link,
             const char *which)
{
  return link != NULL ? (guint) json_object_get_int_member (json_object_get_object_member (link, which), "messages") : 0;
}

/* The socket types of node `pid`, "PULL,XPUB". */
static char *
types_of (JsonObject *root,
          GPid        pid)
{
  JsonArray *nodes = json_object_get_array_member (root, "nodes");
  g_autoptr(GString) types = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *n = json_array_get_object_element (nodes, i);
      JsonArray *sockets = json_object_get_array_member (n, "sockets");

      if (json_object_get_int_member (n, "pid") != pid)
        continue;
      for (guint s = 0; s < json_array_get_length (sockets); s++)
        {
          JsonObject *so = json_array_get_object_element (sockets, s);

          g_string_append_printf (types, "%s%s", s > 0 ? "," : "",
                                  json_object_get_string_member_with_default (so, "type", "?"));
        }
    }
  return g_string_free (g_steal_pointer (&types), FALSE);
}

static void
assert_types (JsonObject  *root,
              GSubprocess *process,
              const char  *expected)
{
  g_autofree char *types = types_of (root, atoi (g_subprocess_get_identifier (process)));

  g_assert_cmpstr (types, ==, expected);
}

/* A subscriber in this process (moved into namespace A) with `key` (or
 * none): does any stream message come within 2 s? */
static gboolean
hears_anything (const char *endpoint,
                const char *server_key)
{
  void *context = zmq_ctx_new ();
  void *sub = zmq_socket (context, ZMQ_SUB);
  zmq_pollitem_t item = { sub, 0, ZMQ_POLLIN, 0 };
  int linger = 0, rc;

  zmq_setsockopt (sub, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt (sub, ZMQ_SUBSCRIBE, "", 0);
  if (server_key != NULL)
    {
      char public_key[41], secret_key[41];

      zmq_curve_keypair (public_key, secret_key);
      zmq_setsockopt (sub, ZMQ_CURVE_SERVERKEY, server_key, 40);
      zmq_setsockopt (sub, ZMQ_CURVE_PUBLICKEY, public_key, 40);
      zmq_setsockopt (sub, ZMQ_CURVE_SECRETKEY, secret_key, 40);
    }
  g_assert_cmpint (zmq_connect (sub, endpoint), ==, 0);
  rc = zmq_poll (&item, 1, 2000);
  zmq_close (sub);
  zmq_ctx_term (context);
  return rc > 0;
}

static void
test_two_namespaces (void)
{
  g_autofree char *helper = build_path ("capture", "zmqscope-capture");
  g_autofree char *peer = build_path ("tests", "zs-peer");
  const char *holder_argv[] = { "unshare", "-n", "--", "sh", "-c", "ip link set lo up && exec cat", NULL };
  g_autoptr(Proc) ns_a = NULL, ns_b = NULL, helper_a = NULL, helper_b = NULL;
  g_autoptr(Proc) pull = NULL, push = NULL, xpub = NULL, sub = NULL;
  g_autofree char *pull_ep = NULL, *xpub_ep = NULL, *ports = NULL;
  g_autofree char *ep_a = NULL, *key_a = NULL, *ep_b = NULL, *key_b = NULL, *ns_path = NULL;
  g_autofree char *veth_a = g_strdup_printf ("zsa%d", (int) getpid () % 100000);
  g_autofree char *veth_b = g_strdup_printf ("zsb%d", (int) getpid () % 100000);
  char wrong_public[41], wrong_secret[41];
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o = NULL, *pushing, *publishing;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  int fd;

  if (!in_namespace || !has_program ("ip") || !has_program ("nsenter"))
    {
      g_test_skip ("needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN), ip and nsenter to make network namespaces");
      return;
    }
  /* Two "machines", joined by a veth pair made straight into them. */
  ns_a = proc_start (holder_argv);
  ns_b = proc_start (holder_argv);
  run_ok ((const char *[]) { "ip", "link", "add", veth_a, "netns", g_subprocess_get_identifier (ns_a->process),
                             "type", "veth", "peer", "name", veth_b, "netns",
                             g_subprocess_get_identifier (ns_b->process), NULL });
  run_in_ns (ns_a, "ip", "addr", "add", "10.199.0.1/24", "dev", veth_a, NULL);
  run_in_ns (ns_a, "ip", "link", "set", veth_a, "up", NULL);
  run_in_ns (ns_b, "ip", "addr", "add", "10.199.0.2/24", "dev", veth_b, NULL);
  run_in_ns (ns_b, "ip", "link", "set", veth_b, "up", NULL);

  /* The programs' listening sockets in A, on ports chosen now. */
  pull = start_in_ns (ns_a, (const char *[]) { peer, "PULL", "bind", "tcp://10.199.0.1:*", "20", "x", NULL });
  pull_ep = proc_wait_line (pull, "ENDPOINT ");
  xpub = start_in_ns (ns_a, (const char *[]) { peer, "XPUB", "bind", "tcp://10.199.0.1:*", "5", "news", NULL });
  xpub_ep = proc_wait_line (xpub, "ENDPOINT ");
  ports = g_strdup_printf ("%s,%s", strrchr (pull_ep, ':') + 1, strrchr (xpub_ep, ':') + 1);

  /* A helper on each side, serving over CURVE on a port of its choosing. */
  helper_a = start_in_ns (ns_a, (const char *[]) { helper, "--interface", veth_a, "--ports", ports,
                                                   "--serve", "tcp://10.199.0.1:*", NULL });
  ep_a = proc_wait_line (helper_a, "ENDPOINT ");
  key_a = proc_wait_line (helper_a, "SERVER-KEY ");
  g_free (proc_wait_line (helper_a, "READY"));
  helper_b = start_in_ns (ns_b, (const char *[]) { helper, "--interface", veth_b, "--ports", ports,
                                                   "--serve", "tcp://10.199.0.2:*", NULL });
  ep_b = proc_wait_line (helper_b, "ENDPOINT ");
  key_b = proc_wait_line (helper_b, "SERVER-KEY ");
  g_free (proc_wait_line (helper_b, "READY"));

  /* The connecting programs in B: 20 messages PUSH -> PULL; a SUB that
   * subscribes, then 5 from the XPUB. */
  push = start_in_ns (ns_b, (const char *[]) { peer, "PUSH", "connect", pull_ep, "20", "0123456789abcdef", NULL });
  sub = start_in_ns (ns_b, (const char *[]) { peer, "SUB", "connect", xpub_ep, "5", NULL });
  g_free (proc_wait_line (pull, "DONE "));
  g_free (proc_wait_line (sub, "DONE "));

  /* Following both helpers until both links show all their messages. */
  for (;;)
    {
      g_autofree char *err = NULL;

      g_clear_pointer (&root, json_node_unref);
      root = capture_json (ns_a, ep_a, key_a, ep_b, key_b, &err);
      g_assert_nonnull (root);
      o = json_node_get_object (root);
      pushing = find_link (o, ".push");
      publishing = find_link (o, ".sub");
      if (messages_to (pushing, "to_bind") == 20 && messages_to (publishing, "to_connect") == 5)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
    }
  /* One topology: the two connections, each seen by both helpers, are one
   * link each; each program is its process, told by its own side. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "links")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "nodes")), ==, 4);
  g_assert_cmpint (json_object_get_int_member (pushing, "connections"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (publishing, "connections"), ==, 1);
  g_assert_cmpuint (messages_to (pushing, "to_connect"), ==, 0);
  g_assert_true (json_object_get_boolean_member (pushing, "types_known"));
  assert_types (o, pull->process, "PULL");
  assert_types (o, push->process, "PUSH");
  assert_types (o, xpub->process, "XPUB");
  assert_types (o, sub->process, "SUB");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (publishing, "subscriptions")), ==, 1);

  /* A client with another key gets nothing, and says so. */
  {
    g_autofree char *err = NULL;
    g_autoptr(JsonNode) silent = NULL;

    zmq_curve_keypair (wrong_public, wrong_secret);
    silent = capture_json (ns_a, ep_b, wrong_public, NULL, NULL, &err);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (silent), "nodes")),
                      ==, 0);
    g_assert_nonnull (strstr (err, ep_b));
  }
  /* This process, moved into A: the right key hears the helper; another
   * key, or none (no CURVE), hears nothing in the same time. */
  ns_path = g_strdup_printf ("/proc/%s/ns/net", g_subprocess_get_identifier (ns_a->process));
  fd = open (ns_path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (setns (fd, CLONE_NEWNET), ==, 0);
  close (fd);
  g_assert_true (hears_anything (ep_b, key_b));
  g_assert_false (hears_anything (ep_b, wrong_public));
  g_assert_false (hears_anything (ep_b, NULL));
}

/* zmqscope with this client key file; its standard error. */
static char *
zmqscope_with_key (const char  *key_file,
                   char       **out,
                   const char  *first,
                   ...)
{
  g_autofree char *zmqscope = build_path ("app", "zmqscope");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_environ_setenv (g_get_environ (), "ZMQSCOPE_CLIENT_KEY_FILE", key_file, TRUE);
  g_autoptr(GError) error = NULL;
  char *err = NULL;
  int status;
  va_list args;

  g_ptr_array_add (argv, zmqscope);
  va_start (args, first);
  for (const char *a = first; a != NULL; a = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, 0, NULL, NULL, out, &err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return err;
}

/* A helper with --allow-keys lets in the clients it lists, by their
 * public key (`zmqscope capture --client-key`), and nobody else, even
 * with its own key right. */
static void
test_allowed_clients (void)
{
  g_autofree char *helper = build_path ("capture", "zmqscope-capture");
  g_autofree char *dir = g_dir_make_tmp ("test-capture-XXXXXX", NULL);
  g_autofree char *known = g_build_filename (dir, "known.key", NULL);
  g_autofree char *stranger = g_build_filename (dir, "stranger.key", NULL);
  g_autofree char *allowed = g_build_filename (dir, "allowed", NULL);
  g_autofree char *public_key = NULL, *err = NULL, *contents = NULL, *ep = NULL, *key = NULL;
  g_autofree char *out_known = NULL, *err_known = NULL, *out_stranger = NULL, *err_stranger = NULL;
  g_autoptr(Proc) serving = NULL;
  g_autoptr(GError) error = NULL;

  if (!in_namespace)
    {
      g_test_skip ("needs root (CAP_NET_ADMIN, CAP_SYS_ADMIN) for loopback of its own");
      return;
    }
  err = zmqscope_with_key (known, &public_key, "capture", "--client-key", NULL);
  g_strstrip (public_key);
  g_assert_cmpuint (strlen (public_key), ==, 40);
  g_assert_true (g_file_test (known, G_FILE_TEST_EXISTS));
  contents = g_strdup_printf ("# the one client let in\n%s\n", public_key);
  g_file_set_contents (allowed, contents, -1, &error);
  g_assert_no_error (error);
  serving = proc_start ((const char *[]) { helper, "--interface", "lo", "--serve", "tcp://127.0.0.1:*",
                                           "--allow-keys", allowed, NULL });
  ep = proc_wait_line (serving, "ENDPOINT ");
  key = proc_wait_line (serving, "SERVER-KEY ");
  g_free (proc_wait_line (serving, "READY"));

  err_known = zmqscope_with_key (known, &out_known, "capture", "--helper", ep, "--server-key", key,
                                 "--seconds", "1", "--json", NULL);
  g_assert_null (strstr (err_known, "no answer"));
  err_stranger = zmqscope_with_key (stranger, &out_stranger, "capture", "--helper", ep, "--server-key", key,
                                    "--seconds", "1", "--json", NULL);
  g_assert_nonnull (strstr (err_stranger, "no answer"));
  g_assert_false (g_file_test (stranger, G_FILE_TEST_EXISTS));
  g_remove (known);
  g_remove (allowed);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  /* A namespace of its own first: nothing the test makes touches the host's. */
  in_namespace = getuid () == 0 && unshare (CLONE_NEWNET) == 0;
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/stream-round-trip", test_stream_round_trip);
  g_test_add_func ("/capture/stream-seeds", test_stream_seeds);
  g_test_add_func ("/capture/stream-untrusted", test_stream_untrusted);
  g_test_add_func ("/capture/merge", test_merge);
  g_test_add_func ("/capture/helper-without-capability", test_helper_without_capability);
  g_test_add_func ("/capture/two-namespaces", test_two_namespaces);
  g_test_add_func ("/capture/allowed-clients", test_allowed_clients);
  return g_test_run ();
}
