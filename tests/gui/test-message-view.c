/* test-message-view.c: the message view on a real engine: envelopes, sizes,
 * the trace trailer, a link looked at after the run
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "zs-engine-source.h"
#include "zs-recording-source.h"
#include "zs-message-view-private.h"
#include "zs-gui-test.h"

#define WAIT_MS 5000

typedef struct {
  ZsTopology    *topology;
  ZsEngine      *engine;        /* the run the test drives */
  ZsRunSession  *session;       /* what the view follows */
  GtkWidget     *window;
  ZsMessageView *view;
} Fixture;

static ZsNode *
add_node (ZsTopology   *topology,
          const char   *name,
          ZsRole        role,
          const char   *socket_name,
          ZsSocketType  type,
          const char   *bind,
          const char   *connect)
{
  g_autoptr(ZsSocketSpec) socket = zs_socket_spec_new (socket_name, type);
  g_autoptr(ZsNode) node = zs_node_new (name, role);
  const char *binds[] = { bind, NULL };
  const char *connects[] = { connect, NULL };

  if (bind != NULL)
    zs_socket_spec_set_binds (socket, binds);
  if (connect != NULL)
    zs_socket_spec_set_connects (socket, connects);
  zs_node_add_socket (node, socket);
  zs_topology_add_node (topology, node);
  return node;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->topology = zs_topology_new ();
  f->view = g_object_ref_sink (ZS_MESSAGE_VIEW (zs_message_view_new ()));
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 640, 720);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->view));
  gtk_window_present (GTK_WINDOW (f->window));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->engine != NULL)
    zs_engine_stop (f->engine);
  gtk_window_destroy (GTK_WINDOW (f->window));
  zs_gui_test_wait_ms (20);
  g_assert_finalize_object (f->view);
  if (f->session != NULL)
    g_assert_finalize_object (f->session);
  if (f->engine != NULL)
    g_assert_finalize_object (f->engine);
  g_assert_finalize_object (f->topology);
}

/* REQ client -> ROUTER server over inproc, "Hello" / "World", 50 a second. */
static void
build_req_router (Fixture *f)
{
  const char *hello[] = { "Hello", NULL };
  ZsNode *server = add_node (f->topology, "server", ZS_ROLE_SERVER, "rep", ZS_SOCKET_ROUTER,
                             "inproc://x", NULL);
  ZsNode *client = add_node (f->topology, "client", ZS_ROLE_CLIENT, "req", ZS_SOCKET_REQ,
                             NULL, "inproc://x");

  g_object_set (server, "reply", "World", "work-ms", 0, NULL);
  zs_node_set_payload (client, hello);
  g_object_set (client, "count", 0, "interval-ms", 20, NULL);
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 1);
  f->engine = zs_engine_new (f->topology);
}

/* A session following the engine, as the window's Run makes one. */
static ZsRunSession *
follow_engine (Fixture *f)
{
  g_autoptr(ZsEngineSource) source = zs_engine_source_new (f->engine);

  g_assert_null (f->session);
  f->session = zs_run_session_new (ZS_RUN_SOURCE (source));
  return f->session;
}

/* Polls until a shown message passes `match`; returns its index or -1. */
static int
wait_for_message (Fixture   *f,
                  gboolean (*match) (Fixture *f, guint message))
{
  gint64 end = g_get_monotonic_time () + WAIT_MS * 1000;

  while (g_get_monotonic_time () < end)
    {
      zs_gui_test_wait_ms (50);
      _zs_message_view_poll (f->view);
      for (guint m = 0; m < _zs_message_view_get_n_messages (f->view); m++)
        if (match (f, m))
          return m;
    }
  return -1;
}

static const char *
row_kind (Fixture *f,
          guint    message,
          guint    row)
{
  const char *kind;

  _zs_message_view_get_row (f->view, message, row, &kind, NULL, NULL);
  return kind;
}

static gboolean
is_request (Fixture *f,
            guint    message)
{
  return g_str_equal (row_kind (f, message, 0), "routing id");
}

static gboolean
is_reply (Fixture *f,
          guint    message)
{
  const char *text;

  _zs_message_view_get_row (f->view, message, 0, NULL, &text, NULL);
  return g_str_equal (text, "World");
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  build_req_router (f);
  _zs_message_view_poll (f->view);
  g_assert_cmpuint (_zs_message_view_get_n_messages (f->view), ==, 0);

  /* A session and a link, but no run yet. */
  zs_message_view_set_session (f->view, follow_engine (f));
  zs_message_view_set_link (f->view, 0);
  g_assert_cmpint (zs_message_view_get_link (f->view), ==, 0);
  _zs_message_view_poll (f->view);
  g_assert_cmpuint (_zs_message_view_get_n_messages (f->view), ==, 0);
  zs_gui_test_wait_ms (100);
  g_free (zs_gui_test_save_png (GTK_WIDGET (f->view), "message-view-empty.png"));

  /* A link the topology does not have. */
  zs_message_view_set_link (f->view, 5);
  _zs_message_view_poll (f->view);
  g_assert_cmpuint (_zs_message_view_get_n_messages (f->view), ==, 0);
}

static void
test_envelope (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *kind, *text, *size;
  int request, reply;
  guint rebuilds;

  build_req_router (f);
  g_assert_true (zs_engine_start (f->engine, &error));
  g_assert_no_error (error);
  zs_message_view_set_session (f->view, follow_engine (f));
  zs_message_view_set_link (f->view, 0);

  /* What the ROUTER received: [routing id, "", "Hello"]. */
  request = wait_for_message (f, is_request);
  g_assert_cmpint (request, >=, 0);
  g_assert_cmpuint (_zs_message_view_get_n_rows (f->view, request), ==, 3);
  _zs_message_view_get_row (f->view, request, 0, &kind, &text, &size);
  g_assert_cmpstr (kind, ==, "routing id");
  g_assert_cmpstr (text, ==, "client/req");   /* the engine names the REQ socket */
  g_assert_cmpstr (size, ==, "10 B");
  _zs_message_view_get_row (f->view, request, 1, &kind, &text, &size);
  g_assert_cmpstr (kind, ==, "delimiter");
  g_assert_cmpstr (text, ==, "(empty)");
  g_assert_cmpstr (size, ==, "0 B");
  _zs_message_view_get_row (f->view, request, 2, &kind, &text, &size);
  g_assert_cmpstr (kind, ==, "frame 3");
  g_assert_cmpstr (text, ==, "Hello");
  g_assert_cmpstr (size, ==, "5 B");

  /* What the REQ received: libzmq took the delimiter off. */
  reply = wait_for_message (f, is_reply);
  g_assert_cmpint (reply, >=, 0);
  g_assert_cmpuint (_zs_message_view_get_n_rows (f->view, reply), ==, 1);
  g_assert_cmpstr (row_kind (f, reply, 0), ==, "frame 1");

  /* The trace trailer: hidden, then a dim row of its own. */
  zs_engine_pause (f->engine);
  zs_gui_test_wait_ms (100);
  _zs_message_view_poll (f->view);
  request = wait_for_message (f, is_request);
  g_assert_cmpint (request, >=, 0);
  g_assert_false (zs_message_view_get_show_trace (f->view));
  zs_message_view_set_show_trace (f->view, TRUE);
  g_assert_cmpuint (_zs_message_view_get_n_rows (f->view, request), ==, 4);
  _zs_message_view_get_row (f->view, request, 3, &kind, &text, &size);
  g_assert_cmpstr (kind, ==, "trace");
  g_assert_true (g_str_has_prefix (text, "trace: seq "));
  g_assert_nonnull (strstr (text, "origin socket 1 (client.req)"));
  g_assert_cmpstr (size, ==, "16 B");
  zs_gui_test_wait_ms (100);
  g_free (zs_gui_test_save_png (GTK_WIDGET (f->view), "message-view-router.png"));
  zs_message_view_set_show_trace (f->view, FALSE);
  g_assert_cmpuint (_zs_message_view_get_n_rows (f->view, request), ==, 3);

  /* Paused: nothing new, nothing rebuilt. */
  rebuilds = _zs_message_view_get_n_rebuilds (f->view);
  _zs_message_view_poll (f->view);
  _zs_message_view_poll (f->view);
  g_assert_cmpuint (_zs_message_view_get_n_rebuilds (f->view), ==, rebuilds);

  /* No link: the empty state. */
  zs_message_view_set_link (f->view, -1);
  g_assert_cmpuint (_zs_message_view_get_n_messages (f->view), ==, 0);
  zs_message_view_set_session (f->view, NULL);
}

static gboolean
has_messages (Fixture *f,
              guint    message)
{
  return TRUE;
}

/* PUSH -> PULL with a 1 KiB frame: cut at 256 B, said so. */
static void
test_large_frame (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_strnfill (1024, 'x');
  const char *payload[] = { "topic", big, "\xff\xfe\x01", NULL };
  ZsNode *push = add_node (f->topology, "push", ZS_ROLE_SOCKET, "out", ZS_SOCKET_PUSH,
                           "inproc://big", NULL);
  const char *kind, *text, *size;

  add_node (f->topology, "pull", ZS_ROLE_SOCKET, "in", ZS_SOCKET_PULL, NULL, "inproc://big");
  zs_node_set_payload (push, payload);
  g_object_set (push, "count", 0, "interval-ms", 20, NULL);
  f->engine = zs_engine_new (f->topology);
  g_assert_true (zs_engine_start (f->engine, &error));
  g_assert_no_error (error);
  zs_message_view_set_session (f->view, follow_engine (f));
  zs_message_view_set_link (f->view, 0);

  g_assert_cmpint (wait_for_message (f, has_messages), ==, 0);
  g_assert_cmpuint (_zs_message_view_get_n_rows (f->view, 0), ==, 3);
  _zs_message_view_get_row (f->view, 0, 0, &kind, &text, &size);
  g_assert_cmpstr (kind, ==, "frame 1");
  g_assert_cmpstr (text, ==, "topic");
  _zs_message_view_get_row (f->view, 0, 1, &kind, &text, &size);
  g_assert_cmpstr (kind, ==, "frame 2");
  g_assert_true (g_str_has_suffix (text, "…"));
  g_assert_cmpstr (size, ==, "1.0 KiB (cut at 256 B)");
  /* Not UTF-8: xxd. */
  _zs_message_view_get_row (f->view, 0, 2, &kind, &text, &size);
  g_assert_cmpstr (kind, ==, "frame 3");
  g_assert_true (g_str_has_prefix (text, "00000000: fffe 01  "));
  g_assert_true (g_str_has_suffix (text, " ..."));
  g_assert_cmpstr (size, ==, "3 B");
  g_free (zs_gui_test_save_png (GTK_WIDGET (f->view), "message-view-frames.png"));
}

/* PUSH -> PULL, five messages, while nobody looks at the link; selected
 * after the run, it shows them. */
static void
test_after_the_run (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *seq[] = { "{seq}", NULL };
  ZsNode *push = add_node (f->topology, "push", ZS_ROLE_SOCKET, "out", ZS_SOCKET_PUSH,
                           "inproc://five", NULL);
  ZsNode *pull = add_node (f->topology, "pull", ZS_ROLE_SOCKET, "in", ZS_SOCKET_PULL,
                           NULL, "inproc://five");
  const char *text;

  zs_node_set_payload (push, seq);
  g_object_set (push, "count", 5, "wait-peers", -1, NULL);
  g_object_set (pull, "count", 5, NULL);
  f->engine = zs_engine_new (f->topology);
  g_assert_true (zs_engine_start (f->engine, &error));
  g_assert_no_error (error);
  zs_message_view_set_session (f->view, follow_engine (f));
  g_assert_true (zs_engine_wait (f->engine, WAIT_MS));
  zs_engine_stop (f->engine);

  zs_message_view_set_link (f->view, 0);
  _zs_message_view_poll (f->view);
  g_assert_cmpuint (_zs_message_view_get_n_messages (f->view), ==, 5);
  _zs_message_view_get_row (f->view, 0, 0, NULL, &text, NULL);
  g_assert_cmpstr (text, ==, "5");
  _zs_message_view_get_row (f->view, 4, 0, NULL, &text, NULL);
  g_assert_cmpstr (text, ==, "1");
  /* Five messages: each one kept, nothing said about sampling. */
  g_assert_null (_zs_message_view_get_sampled_text (f->view));
}

static ZsCapture *
capture_new (gint64  time_us,
             guint64 seq,
             guint   every)
{
  ZsCapture *c = g_new0 (ZsCapture, 1);
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, seq);

  c->time_us = time_us;
  c->seq = seq;
  c->traced = TRUE;
  c->every = every;
  c->dir = 1;   /* PUSH binds: binding -> connecting socket */
  c->n_frames = 1;
  c->sizes[0] = strlen (text);
  c->frames[0] = g_bytes_new (text, strlen (text));
  return c;
}

/* A fast link keeps one message in N (zs-capture.h): the page says so. */
static void
test_sampled (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(ZsRecording) recording = NULL;
  g_autoptr(ZsRecordingSource) source = NULL;
  g_autoptr(ZsSnapshot) frame = zs_snapshot_new (2, 1);
  g_autoptr(GPtrArray) ring = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);
  const char *text;

  add_node (f->topology, "push", ZS_ROLE_SOCKET, "out", ZS_SOCKET_PUSH, "inproc://fast", NULL);
  add_node (f->topology, "pull", ZS_ROLE_SOCKET, "in", ZS_SOCKET_PULL, NULL, "inproc://fast");
  recording = zs_recording_new (f->topology);
  frame->time_us = 1000;
  zs_recording_append (recording, frame);
  /* The first message kept, then one in 64. */
  for (guint i = 0; i < 4; i++)
    g_ptr_array_add (ring, capture_new (1000 + i * 10, 1 + 64 * i, i == 0 ? 1 : 64));
  zs_recording_add_captures (recording, 0, ring);
  frame->time_us = 2000;
  zs_recording_append (recording, frame);
  source = zs_recording_source_new (recording);
  f->session = zs_run_session_new (ZS_RUN_SOURCE (source));
  zs_message_view_set_session (f->view, f->session);
  zs_message_view_set_link (f->view, 0);
  _zs_message_view_poll (f->view);

  g_assert_cmpuint (_zs_message_view_get_n_messages (f->view), ==, 4);
  _zs_message_view_get_row (f->view, 0, 0, NULL, &text, NULL);
  g_assert_cmpstr (text, ==, "193");
  text = _zs_message_view_get_sampled_text (f->view);
  g_assert_nonnull (text);
  g_assert_nonnull (strstr (text, "1 message in 64"));
  zs_gui_test_wait_ms (100);
  g_free (zs_gui_test_save_png (GTK_WIDGET (f->view), "message-view-sampled.png"));
}

#define ADD(name, func) \
  g_test_add ("/zmqscope/message-view/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  ADD ("empty", test_empty);
  ADD ("envelope", test_envelope);
  ADD ("sampled", test_sampled);
  ADD ("large-frame", test_large_frame);
  ADD ("after-the-run", test_after_the_run);

  return g_test_run ();
}
