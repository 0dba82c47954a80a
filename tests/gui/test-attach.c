/* test-attach.c: Attach…: the window shows ZeroMQ programs seen from the wire
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The user's path: the main menu's Attach…, the dialog (a file, or live
 * on loopback), Attach; the canvas fills with the programs and their
 * links, the figures follow; Save As writes them as external nodes, Save
 * Capture writes the recording; Stop ends a live capture. */
#include <linux/capability.h>
#include <sys/prctl.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "zs-attach-dialog.h"
#include "zs-gui-test-app.h"
#include "zs-message-view-private.h"
#include "zs-recording.h"
#include "zs-topology-file.h"
#include "zs-wire-forge.h"
#include "zs-wire-source.h"
#include "zs-wire-kept.h"
#include "zs-wire-stream.h"
#include "zs-inspector-private.h"
#include <zmq.h>

#define LOCALHOST 0x7f000001u

static ZsApplication *app;

/* A pcap of PUSH -> PULL, `n` messages of 16 bytes. */
static void
forge_push_pull (const char *path,
                 guint       n)
{
  ZsForge *forge = zs_forge_new (path, NULL);
  g_autoptr(GByteArray) b = g_byte_array_new ();
  ZsForgeConn c;

  zs_forge_connect (forge, &c, LOCALHOST, 41000, LOCALHOST, 5555, TRUE);
  for (guint dir = 0; dir < 2; dir++)
    {
      zs_forge_greeting (b, 1, "NULL", FALSE);
      zs_forge_send (&c, dir, b->data, b->len);
      g_byte_array_set_size (b, 0);
    }
  zs_forge_ready (b, "PUSH", NULL);
  zs_forge_send (&c, 0, b->data, b->len);
  g_byte_array_set_size (b, 0);
  zs_forge_ready (b, "PULL", NULL);
  zs_forge_send (&c, 1, b->data, b->len);
  for (guint i = 0; i < n; i++)
    {
      g_byte_array_set_size (b, 0);
      zs_forge_frame (b, 0, "0123456789abcdef", 16);
      zs_forge_send (&c, 0, b->data, b->len);
    }
  zs_forge_close (&c);
  zs_forge_free (forge);
}

static ZsWindow *
new_window (void)
{
  ZsWindow *window;

  zs_gui_test_close_windows (app);
  window = zs_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  zs_gui_test_iterate ();
  return window;
}

/* The dialog the window's Attach… action opened. */
static ZsAttachDialog *
open_attach_dialog (ZsWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  g_action_group_activate_action (G_ACTION_GROUP (window), "attach", NULL);
  zs_gui_test_iterate ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ZS_IS_ATTACH_DIALOG (item))
        return ZS_ATTACH_DIALOG (item);
    }
  g_assert_not_reached ();
}

static gboolean
file_read (ZsWindow *window)
{
  const ZsSnapshot *snapshot;

  if (window->session == NULL || zs_canvas_get_session (window->canvas) != window->session)
    return FALSE;
  snapshot = zs_run_session_get_snapshot (window->session);
  return zs_topology_get_n_nodes (zs_canvas_get_topology (window->canvas)) == 2
         && snapshot->n_links == 1 && snapshot->links[0].sent == 3;
}

static void
assert_apart (ZsTopology *topology)
{
  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    for (guint j = i + 1; j < zs_topology_get_n_nodes (topology); j++)
      {
        ZsNode *a = zs_topology_get_node (topology, i), *b = zs_topology_get_node (topology, j);

        g_assert_false (zs_node_get_x (a) == zs_node_get_x (b) && zs_node_get_y (a) == zs_node_get_y (b));
      }
}

static void
test_attach_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-attach-XXXXXX", &error);
  g_autofree char *pcap = g_build_filename (dir, "capture.pcap", NULL);
  g_autofree char *saved = g_build_filename (dir, "programs.json", NULL);
  g_autofree char *recorded = g_build_filename (dir, "capture.zsrec", NULL);
  g_autoptr(GFile) saved_file = g_file_new_for_path (saved);
  g_autoptr(GFile) recorded_file = g_file_new_for_path (recorded);
  g_autoptr(ZsTopology) reopened = NULL;
  g_autoptr(ZsRecording) recording = NULL;
  g_autofree char *figures = NULL;
  ZsWindow *window = new_window ();
  ZsAttachDialog *dialog;
  ZsTopology *topology;
  const char *kind, *text, *size;

  g_assert_no_error (error);
  forge_push_pull (pcap, 3);
  dialog = open_attach_dialog (window);
  /* Live on loopback unless told otherwise; ports found by the greeting. */
  g_assert_cmpstr (zs_attach_dialog_get_interface (dialog), ==, "lo");
  g_assert_null (zs_attach_dialog_get_file (dialog));
  g_assert_null (zs_attach_dialog_get_ports (dialog));
  zs_attach_dialog_set_file (dialog, pcap);
  g_free (zs_gui_test_save_png (GTK_WIDGET (dialog), "attach-dialog.png"));
  zs_attach_dialog_attach (dialog);
  zs_gui_test_iterate ();
  g_assert_true (zs_gui_test_wait_for (window, file_read, 10000));

  topology = zs_canvas_get_topology (window->canvas);
  for (guint i = 0; i < 2; i++)
    g_assert_true (zs_node_is_external (zs_topology_get_node (topology, i)));
  assert_apart (topology);
  g_assert_true (zs_gui_test_canvas_shows (window, "127.0.0.1:5555", "attach-file.png"));
  figures = zs_canvas_describe_live_link (window->canvas, 0);
  g_assert_nonnull (strstr (figures, "3"));
  /* What the wire cannot tell is said, not invented. */
  g_assert_nonnull (strstr (figures, "not visible"));
  g_assert_null (strstr (figures, "Capacity"));
  /* A pcap file does not record the kernel's drops: said, not left out. */
  g_assert_nonnull (strstr (figures, "Kernel drops: not known (read from a file"));

  /* The Messages page: the link's messages, as the wire carried them. */
  zs_canvas_select_link (window->canvas, 0);
  zs_gui_test_iterate ();
  _zs_message_view_poll (ZS_MESSAGE_VIEW (window->message_view));
  g_assert_cmpuint (_zs_message_view_get_n_messages (ZS_MESSAGE_VIEW (window->message_view)), ==, 3);
  _zs_message_view_get_row (ZS_MESSAGE_VIEW (window->message_view), 0, 0, &kind, &text, &size);
  g_assert_cmpstr (text, ==, "0123456789abcdef");
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "attach-file-link.png"));

  /* Save As: the programs as external nodes, to run with simulated ones. */
  g_assert_true (_zs_window_save_to_file (window, saved_file, &error));
  g_assert_no_error (error);
  reopened = zs_topology_load_from_file (saved, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zs_topology_get_n_nodes (reopened), ==, 2);
  g_assert_true (zs_node_is_external (zs_topology_get_node (reopened, 0)));
  g_assert_cmpuint (zs_topology_get_links (reopened)->len, ==, 1);

  /* Save Capture: the session's recording. */
  g_assert_true (_zs_window_save_recording (window, recorded_file, &error));
  g_assert_no_error (error);
  recording = zs_recording_load (recorded, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zs_recording_get_n_frames (recording), >=, 1);

  zs_gui_test_close_windows (app);
  g_remove (pcap);
  g_remove (saved);
  g_remove (recorded);
  g_rmdir (dir);
}

static void
test_attach_bad_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-attach-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "not-a-capture.pcap", NULL);
  ZsWindow *window = new_window ();
  ZsAttachDialog *dialog;

  g_assert_true (g_file_set_contents (path, "GET / HTTP/1.1\r\n\r\n", -1, &error));
  dialog = open_attach_dialog (window);
  zs_attach_dialog_set_file (dialog, path);
  zs_attach_dialog_attach (dialog);
  zs_gui_test_iterate ();
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  g_assert_nonnull (strstr (gtk_label_get_label (window->banner_label), "not-a-capture.pcap"));
  g_assert_null (window->session);
  zs_gui_test_close_windows (app);
  g_remove (path);
  g_rmdir (dir);
}

/* Live: three plain libzmq programs (tests/zs-peer) as processes, two
 * PUSH into one PULL, captured on loopback. */
static gpointer
drain (gpointer data)
{
  GInputStream *stream = data;
  char buffer[65536];

  while (g_input_stream_read (stream, buffer, sizeof buffer, NULL, NULL) > 0)
    ;
  g_object_unref (stream);
  return NULL;
}

/* A network namespace of its own: loopback is its only interface
 * (/proc/self/net/dev lists this namespace's; /sys may show the host's). */
static gboolean
in_private_namespace (void)
{
  g_autofree char *dev = NULL;
  g_auto(GStrv) lines = NULL;
  guint others = 0;

  if (!g_file_get_contents ("/proc/self/net/dev", &dev, NULL, NULL))
    return FALSE;
  lines = g_strsplit (dev, "\n", -1);
  /* Two header lines, then one per interface. */
  for (guint i = 2; lines[i] != NULL; i++)
    if (strchr (lines[i], ':') != NULL && !g_str_has_prefix (g_strstrip (lines[i]), "lo:"))
      others++;
  return others == 0;
}

static GSubprocess *
peer_start (const char  *type,
            const char  *how,
            const char  *endpoint,
            const char  *count,
            char       **resolved)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autofree char *exe = g_build_filename (g_getenv ("ZS_BUILD_DIR"), "tests", "zs-peer", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;
  GSubprocess *process;

  g_subprocess_launcher_setenv (launcher, "ZS_PEER_HOLD", "1", TRUE);
  g_subprocess_launcher_setenv (launcher, "ZS_PEER_TIMEOUT_MS", "60000", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, exe, type, how, endpoint, count,
                                         "0123456789abcdef", NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (line, "ENDPOINT "));
  if (resolved != NULL)
    *resolved = g_strdup (line + strlen ("ENDPOINT "));
  /* The rest of its output (a line per message) is read and thrown away. */
  g_thread_unref (g_thread_new ("drain", drain, g_steal_pointer (&out)));
  return process;
}

static void
peer_stop (GSubprocess *process)
{
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  g_object_unref (process);
}

static gboolean
programs_flowing (ZsWindow *window)
{
  ZsLiveModel *model = zs_gui_test_live_model (window);

  if (model == NULL || zs_topology_get_n_nodes (zs_canvas_get_topology (window->canvas)) != 3
      || zs_live_model_get_n_links (model) != 2)
    return FALSE;
  for (guint i = 0; i < 2; i++)
    if (zs_live_model_get_link (model, i)->rate_shown <= 0)
      return FALSE;
  return TRUE;
}

static gboolean
session_ended (ZsWindow *window)
{
  return !_zs_window_is_running (window);
}

static void
test_attach_live (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *figures = NULL;
  ZsWindow *window;
  ZsAttachDialog *dialog;
  GSubprocess *peers[3];
  ZsWireSource *source;

  if (!in_private_namespace ())
    {
      g_test_skip ("live capture: run inside `unshare -n` (loopback alone)");
      return;
    }
  window = new_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  dialog = open_attach_dialog (window);
  zs_attach_dialog_attach (dialog);
  zs_gui_test_iterate ();
  g_assert_nonnull (window->session);
  g_assert_true (_zs_window_is_running (window));
  /* The programs are not ours to pause or step; Stop ends the capture. */
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "pause"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "step"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "stop"));

  peers[0] = peer_start ("PULL", "bind", "tcp://127.0.0.1:*", "2000000000", &endpoint);
  peers[1] = peer_start ("PUSH", "connect", endpoint, "1000000000", NULL);
  peers[2] = peer_start ("PUSH", "connect", endpoint, "1000000000", NULL);
  g_assert_true (zs_gui_test_wait_for (window, programs_flowing, 60000));
  assert_apart (zs_canvas_get_topology (window->canvas));
  /* The programs by their process, their rates drawn; no queue gauge: the
   * wire cannot see inside them. The inspector says so on a card. */
  zs_canvas_select_node (window->canvas, zs_topology_get_node (zs_canvas_get_topology (window->canvas), 0));
  g_assert_true (zs_gui_test_canvas_shows (window, "zs-peer-", "attach-live.png"));
  g_assert_true (zs_gui_test_canvas_shows (window, "/s", "attach-live.png"));
  g_assert_cmpuint (window->canvas->live_drawn_queues, ==, 0);
  figures = zs_canvas_describe_live_node (window->canvas, 0);
  g_assert_nonnull (strstr (figures, "not visible"));
  /* pcap's own count of the packets the kernel dropped, on the card. */
  g_assert_nonnull (strstr (figures, "Kernel drops: "));
  /* What the kernel dropped before the helper read it, in the status. */
  g_assert_nonnull (strstr (gtk_label_get_label (window->status_label), "kernel drops: "));

  /* Stop ends the capture; the programs go on. */
  source = ZS_WIRE_SOURCE (zs_run_session_get_source (window->session));
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  g_assert_true (zs_gui_test_wait_for (window, session_ended, 30000));
  g_assert_true (zs_wire_source_is_finished (source));
  for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
    peer_stop (peers[i]);
  zs_gui_test_close_windows (app);
}

static gboolean banner_shown (ZsWindow *window);

/* A helper serving over tcp with CURVE, as on another machine: Attach…
 * follows it by its endpoint and the key it printed. */
static void
test_attach_helper (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *helper_path = g_build_filename (g_getenv ("ZS_BUILD_DIR"), "capture", "zmqscope-capture", NULL);
  const char *argv[] = { helper_path, "--interface", "lo", "--serve", "tcp://127.0.0.1:*", NULL };
  g_autoptr(GSubprocess) helper = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *endpoint = NULL, *helper_endpoint = NULL, *key = NULL, *entry = NULL;
  ZsWindow *window;
  GSubprocess *peers[3];

  if (!in_private_namespace ())
    {
      g_test_skip ("live capture: run inside `unshare -n` (loopback alone)");
      return;
    }
  helper = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (helper));
  while (key == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);

      g_assert_nonnull (line);
      if (g_str_has_prefix (line, "ENDPOINT "))
        helper_endpoint = g_strdup (line + strlen ("ENDPOINT "));
      else if (g_str_has_prefix (line, "SERVER-KEY "))
        key = g_strdup (line + strlen ("SERVER-KEY "));
    }
  window = new_window ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  entry = g_strdup_printf ("%s %s", helper_endpoint, key);
  {
    ZsAttachDialog *dialog = open_attach_dialog (window);

    zs_attach_dialog_set_helpers (dialog, entry);
    g_assert_null (zs_attach_dialog_get_interface (dialog));
    g_assert_null (zs_attach_dialog_get_file (dialog));
    zs_attach_dialog_attach (dialog);
  }
  zs_gui_test_iterate ();
  g_assert_nonnull (window->session);
  peers[0] = peer_start ("PULL", "bind", "tcp://127.0.0.1:*", "2000000000", &endpoint);
  peers[1] = peer_start ("PUSH", "connect", endpoint, "1000000000", NULL);
  peers[2] = peer_start ("PUSH", "connect", endpoint, "1000000000", NULL);
  g_assert_true (zs_gui_test_wait_for (window, programs_flowing, 60000));
  g_assert_true (zs_gui_test_canvas_shows (window, "zs-peer-", "attach-helper.png"));
  g_assert_nonnull (strstr (gtk_label_get_label (window->status_label), "kernel drops: "));
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  g_assert_true (zs_gui_test_wait_for (window, session_ended, 30000));
  for (guint i = 0; i < G_N_ELEMENTS (peers); i++)
    peer_stop (peers[i]);

  /* Another key: the helper says nothing (CURVE), and the banner says so. */
  {
    char wrong_public[41], wrong_secret[41];
    g_autofree char *wrong = NULL;
    ZsAttachDialog *dialog;

    zmq_curve_keypair (wrong_public, wrong_secret);
    wrong = g_strdup_printf ("%s %s", helper_endpoint, wrong_public);
    window = new_window ();
    dialog = open_attach_dialog (window);
    zs_attach_dialog_set_helpers (dialog, wrong);
    zs_attach_dialog_attach (dialog);
    g_assert_true (zs_gui_test_wait_for (window, banner_shown, 10000));
    g_assert_nonnull (strstr (gtk_label_get_label (window->banner_label), helper_endpoint));
    g_assert_cmpuint (zs_topology_get_n_nodes (zs_canvas_get_topology (window->canvas)), ==, 0);
  }
  g_subprocess_send_signal (helper, SIGTERM);
  g_subprocess_wait (helper, NULL, NULL);
  zs_gui_test_close_windows (app);
}

static gboolean
banner_shown (ZsWindow *window)
{
  return gtk_revealer_get_child_revealed (window->banner_revealer);
}

/* A capture helper as on another machine, live, whose kernel dropped 7
 * packets and which let go of 2 connections' kept messages: it streams
 * (docs/capture-stream.md) what the wire decoded of a pcap file every
 * 100 ms; to a client that subscribes, the messages it keeps too: the
 * link's 3, after one message of each of as many other connections as
 * the app keeps (the first of them is let go there). */
typedef struct {
  void       *context;
  void       *publisher;
  GBytes     *state;
  GByteArray *messages;
  guint       timer;
  char       *dir;        /* its pcap file and stream socket */
  char       *pcap;
  char       *socket_path;
} FakeHelper;

static gboolean
on_fake_helper_cb (gpointer data)
{
  FakeHelper *f = data;
  guint8 subscription[64];
  gboolean fresh = FALSE;
  int n;

  while ((n = zmq_recv (f->publisher, subscription, sizeof subscription, ZMQ_DONTWAIT)) >= 0)
    fresh |= n >= 1 && subscription[0] == 1;
  zmq_send (f->publisher, g_bytes_get_data (f->state, NULL), g_bytes_get_size (f->state), ZMQ_DONTWAIT);
  if (fresh)
    zmq_send (f->publisher, f->messages->data, f->messages->len, ZMQ_DONTWAIT);
  return G_SOURCE_CONTINUE;
}

/* The link's connection (the wire's first) carries 3 messages; `older`
 * of them come before the other connections' and are let go in the app. */
static GByteArray *
fake_messages (guint older)
{
  GByteArray *out = zs_wire_stream_messages_new ();
  const guint8 *data[1] = { (const guint8 *) "0123456789abcdef" };
  guint64 sizes[1] = { 16 };

  for (guint seq = 1; seq <= older; seq++)
    zs_wire_stream_append_message (out, 0, seq, 0, 2, 1, data, sizes);
  for (guint i = 0; i < ZS_WIRE_KEPT_MAX_CONNECTIONS; i++)
    zs_wire_stream_append_message (out, 1000 + i, 1, 0, 1, 1, data, sizes);
  for (guint seq = older + 1; seq <= 3; seq++)
    zs_wire_stream_append_message (out, 0, seq, 0, 2, 1, data, sizes);
  return out;
}

static void
fake_helper_start (FakeHelper *f,
                   guint       older)
{
  g_autoptr(ZsWireStreamState) state = zs_wire_stream_state_new ();
  g_autoptr(GError) error = NULL;
  ZsWire *wire = zs_wire_new ();
  g_autofree char *endpoint = NULL;
  ZsWireInput *input;

  f->dir = g_dir_make_tmp ("test-attach-XXXXXX", &error);
  g_assert_no_error (error);
  f->pcap = g_build_filename (f->dir, "capture.pcap", NULL);
  f->socket_path = g_build_filename (f->dir, "stream", NULL);
  endpoint = g_strconcat ("ipc://", f->socket_path, NULL);
  forge_push_pull (f->pcap, 3);
  input = zs_wire_input_open_file (wire, f->pcap, &error);

  g_assert_no_error (error);
  while (zs_wire_input_read (input, 0, &error) >= 0)
    ;
  g_assert_no_error (error);
  zs_wire_finish (wire);
  state->host = g_strdup ("elsewhere");
  state->source = g_strdup ("eth0");
  state->live = TRUE;
  state->packets = zs_wire_get_n_packets (wire);
  state->kernel_received = state->packets + 7;
  state->kernel_dropped = 7;
  state->let_go = 2;
  g_ptr_array_unref (state->connections);
  state->connections = zs_wire_get_states (wire);
  f->state = zs_wire_stream_encode_state (state);
  f->messages = fake_messages (older);
  zs_wire_input_free (input);
  zs_wire_free (wire);
  f->context = zmq_ctx_new ();
  f->publisher = zmq_socket (f->context, ZMQ_XPUB);
  g_assert_cmpint (zmq_bind (f->publisher, endpoint), ==, 0);
  f->timer = g_timeout_add (100, on_fake_helper_cb, f);
}

static void
fake_helper_stop (FakeHelper *f)
{
  int linger = 0;

  g_source_remove (f->timer);
  zmq_setsockopt (f->publisher, ZMQ_LINGER, &linger, sizeof linger);
  zmq_close (f->publisher);
  zmq_ctx_term (f->context);
  g_bytes_unref (f->state);
  g_byte_array_unref (f->messages);
  g_remove (f->pcap);
  g_remove (f->socket_path);
  g_rmdir (f->dir);
  g_free (f->pcap);
  g_free (f->socket_path);
  g_free (f->dir);
}

static gboolean
helper_link_shown (ZsWindow *window)
{
  ZsLiveModel *model = zs_gui_test_live_model (window);

  return model != NULL && zs_live_model_get_n_links (model) == 1
         && zs_run_session_get_snapshot (window->session)->links[0].sent == 3;
}

typedef struct {
  ZsInspector *inspector;
  const char  *expected;
} InspectorText;

static gboolean
inspector_text_shown (gpointer data)
{
  InspectorText *t = data;
  const char *shown = _zs_inspector_get_live_text (t->inspector);

  return shown != NULL && strstr (shown, t->expected) != NULL;
}

/* The inspector's figures once they say `expected`. */
static const char *
inspector_says (ZsWindow   *window,
                const char *expected)
{
  InspectorText t = { ZS_INSPECTOR (window->inspector), expected };

  if (!zs_gui_test_iterate_until (inspector_text_shown, &t, 10000))
    g_error ("the inspector says “%s”, not “%s”", _zs_inspector_get_live_text (t.inspector), expected);
  return _zs_inspector_get_live_text (t.inspector);
}

/* A window attached through Attach… to the fake helper, its link shown. */
static ZsWindow *
attach_to_fake_helper (FakeHelper *helper,
                       guint       older)
{
  g_autofree char *endpoint = NULL;
  ZsWindow *window = new_window ();
  ZsAttachDialog *dialog;

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  fake_helper_start (helper, older);
  endpoint = g_strconcat ("ipc://", helper->socket_path, NULL);
  dialog = open_attach_dialog (window);
  zs_attach_dialog_set_helpers (dialog, endpoint);
  zs_attach_dialog_attach (dialog);
  zs_gui_test_iterate ();
  g_assert_true (zs_gui_test_wait_for (window, helper_link_shown, 20000));
  return window;
}

static void
stop_capture (ZsWindow *window)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  g_assert_true (zs_gui_test_wait_for (window, session_ended, 30000));
}

/* Stop, then close the window and the helper. */
static void
detach_from_fake_helper (ZsWindow   *window,
                         FakeHelper *helper)
{
  stop_capture (window);
  zs_gui_test_close_windows (app);
  fake_helper_stop (helper);
}

/* The kernel's drops, where the user looks at a captured link or program:
 * the inspector says how many packets, and that the figures are then
 * estimates; the memory cap's let go (here and in the helper) is said
 * there too, and the link's own messages are still on the Messages page.
 * The capture's recording, opened again, says the same. */
static void
test_attach_kernel_drops (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-attach-XXXXXX", &error);
  g_autofree char *recorded = g_build_filename (dir, "kernel-drops.zsrec", NULL);
  g_autoptr(GFile) recorded_file = g_file_new_for_path (recorded);
  FakeHelper helper = { 0 };
  ZsWindow *window = attach_to_fake_helper (&helper, 0);
  const char *shown;

  zs_canvas_select_link (window->canvas, 0);
  /* Said once the helper's messages are read too. */
  shown = inspector_says (window, "bound memory: 1 here, 2 in the capture helper");
  g_assert_nonnull (strstr (shown, "Kernel drops: 7 packets: the figures are estimates"));
  g_assert_nonnull (strstr (shown, "Sent: 3 (estimate)"));
  /* The link's messages, kept. */
  _zs_message_view_poll (ZS_MESSAGE_VIEW (window->message_view));
  g_assert_cmpuint (_zs_message_view_get_n_messages (ZS_MESSAGE_VIEW (window->message_view)), ==, 3);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "attach-kernel-drops-link.png"));
  zs_canvas_select_node (window->canvas, zs_topology_get_node (zs_canvas_get_topology (window->canvas), 0));
  shown = inspector_says (window, "Kernel drops: 7 packets");
  g_assert_nonnull (strstr (shown, "the figures are estimates"));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "attach-kernel-drops-node.png"));

  /* Stop, Save Capture, and open the recording: its replay says the same. */
  stop_capture (window);
  g_assert_true (_zs_window_save_recording (window, recorded_file, &error));
  g_assert_no_error (error);
  zs_gui_test_close_windows (app);
  fake_helper_stop (&helper);
  window = zs_gui_test_open_file (app, recorded);
  zs_canvas_select_link (window->canvas, 0);
  shown = inspector_says (window, "bound memory: 1 here, 2 in the capture helper");
  g_assert_nonnull (strstr (shown, "Kernel drops: 7 packets: the figures are estimates"));
  g_assert_nonnull (strstr (shown, "Sent: 3 (estimate)"));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "attach-kernel-drops-replay.png"));
  zs_gui_test_close_windows (app);
  g_remove (recorded);
  g_rmdir (dir);
}

/* The Messages page of a link whose connection's older messages were let
 * go to bound memory says so, not just shows fewer. */
static void
test_attach_messages_let_go (void)
{
  FakeHelper helper = { 0 };
  ZsWindow *window = attach_to_fake_helper (&helper, 1);
  ZsMessageView *view = ZS_MESSAGE_VIEW (window->message_view);
  const char *note;

  zs_canvas_select_link (window->canvas, 0);
  /* Once the helper's messages are read: the link's last 2 of its 3. */
  inspector_says (window, "bound memory: 2 here");
  zs_gui_test_iterate ();
  _zs_message_view_poll (view);
  g_assert_cmpuint (_zs_message_view_get_n_messages (view), ==, 2);
  note = _zs_message_view_get_let_go_text (view);
  g_assert_nonnull (note);
  g_assert_nonnull (strstr (note, "Older messages of this connection were let go to bound memory"));
  /* Where the user reads it: the Messages page. */
  gtk_stack_set_visible_child_name (window->bottom_stack, "messages");
  zs_gui_test_iterate ();
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "attach-messages-let-go.png"));
  detach_from_fake_helper (window, &helper);
}

/* Without CAP_NET_RAW (dropped for good, from the bounding set too, so
 * that the helper the app starts cannot have it: the last test), the
 * banner says the exact setcap command for the helper and that a file
 * needs nothing. */
static void
test_attach_no_capability (void)
{
  struct __user_cap_header_struct header = { _LINUX_CAPABILITY_VERSION_3, 0 };
  struct __user_cap_data_struct data[2];
  ZsWindow *window = new_window ();
  const char *message;

  g_assert_cmpint (syscall (SYS_capget, &header, data), ==, 0);
  data[0].effective &= ~(1u << CAP_NET_RAW);
  data[0].permitted &= ~(1u << CAP_NET_RAW);
  g_assert_cmpint (syscall (SYS_capset, &header, data), ==, 0);
  g_assert_cmpint (prctl (PR_CAPBSET_DROP, CAP_NET_RAW, 0, 0, 0), ==, 0);
  zs_attach_dialog_attach (open_attach_dialog (window));
  zs_gui_test_iterate ();
  g_assert_true (gtk_revealer_get_reveal_child (window->banner_revealer));
  message = gtk_label_get_label (window->banner_label);
  g_assert_nonnull (strstr (message, "setcap cap_net_raw,cap_net_admin=eip "));
  g_assert_nonnull (strstr (message, "/capture/zmqscope-capture"));
  g_assert_nonnull (strstr (message, "needs no privilege"));
  g_assert_null (window->session);
  g_assert_true (zs_gui_test_wait_for (window, banner_shown, 5000));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "attach-no-capability.png"));
  zs_gui_test_close_windows (app);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = zs_gui_test_app_new (&argc, &argv);
  g_test_add_func ("/attach/file", test_attach_file);
  g_test_add_func ("/attach/bad-file", test_attach_bad_file);
  g_test_add_func ("/attach/live", test_attach_live);
  g_test_add_func ("/attach/helper", test_attach_helper);
  g_test_add_func ("/attach/kernel-drops", test_attach_kernel_drops);
  g_test_add_func ("/attach/messages-let-go", test_attach_messages_let_go);
  g_test_add_func ("/attach/no-capability", test_attach_no_capability);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
