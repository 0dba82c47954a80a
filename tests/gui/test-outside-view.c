/* test-outside-view.c: traffic to and from programs outside zmqscope, as
 * the window shows it: a chip at the socket's port, the inspector's
 * figures, which sockets run untraced and why (issue #9)
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <gtk/gtk.h>
#include <zmq.h>

#include "zs-gui-test-app.h"
#include "zs-canvas-private.h"
#include "zs-inspector-private.h"
#include "zs-window-private.h"
#include "zs-gui-test.h"

#define N_MESSAGES 10

static ZsApplication *app;

/* A plain libzmq PULL, bound on a free port: the outside program. */
typedef struct {
  void   *socket;
  char    endpoint[256];
  guint   received;
} OutsidePull;

static void
outside_pull_bind (OutsidePull *pull,
                   void        *ctx)
{
  size_t size = sizeof pull->endpoint;
  int zero = 0;

  pull->socket = zmq_socket (ctx, ZMQ_PULL);
  zmq_setsockopt (pull->socket, ZMQ_LINGER, &zero, sizeof zero);
  g_assert_cmpint (zmq_bind (pull->socket, "tcp://127.0.0.1:*"), ==, 0);
  g_assert_cmpint (zmq_getsockopt (pull->socket, ZMQ_LAST_ENDPOINT, pull->endpoint, &size), ==, 0);
}

static void
outside_pull_drain (OutsidePull *pull)
{
  char buffer[256];

  while (zmq_recv (pull->socket, buffer, sizeof buffer, ZMQ_DONTWAIT) >= 0)
    pull->received++;
}

/* "pusher" PUSHes to an outside PULL no node of the file binds, at once;
 * "feeder" PUSHes to one the file draws as the external program
 * "collector", one every 400 ms: the run goes on for about 4 s after
 * pusher is done. */
static char *
write_topology (const OutsidePull *a,
                const OutsidePull *b)
{
  g_autofree char *json = g_strdup_printf (
    "{ \"zmqscope\": 1, \"title\": \"outside test\", \"nodes\": ["
    "  { \"name\": \"pusher\", \"role\": \"socket\", \"x\": 40, \"y\": 80,"
    "    \"payload\": [\"task {seq}\"], \"count\": %d,"
    "    \"sockets\": [ { \"name\": \"push\", \"type\": \"PUSH\", \"connects\": [\"%s\"] } ] },"
    "  { \"name\": \"feeder\", \"role\": \"socket\", \"x\": 40, \"y\": 360,"
    "    \"payload\": [\"job {seq}\"], \"count\": %d, \"interval-ms\": 400,"
    "    \"sockets\": [ { \"name\": \"out\", \"type\": \"PUSH\", \"connects\": [\"%s\"] } ] },"
    "  { \"name\": \"collector\", \"role\": \"external\", \"x\": 560, \"y\": 360,"
    "    \"command\": \"the test itself\","
    "    \"sockets\": [ { \"name\": \"in\", \"type\": \"PULL\", \"binds\": [\"%s\"] } ] }"
    "] }", N_MESSAGES, a->endpoint, N_MESSAGES, b->endpoint, b->endpoint);
  g_autofree char *dir = g_dir_make_tmp ("zs-outside-view-XXXXXX", NULL);
  char *path = g_build_filename (dir, "outside.json", NULL);

  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  return path;
}

/* Some visible label under `widget` contains `text`. */
static gboolean
shows_label (GtkWidget  *widget,
             const char *text)
{
  if (!gtk_widget_get_visible (widget))
    return FALSE;
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_label (child, text))
      return TRUE;
  return FALSE;
}

typedef struct {
  GtkWidget  *widget;
  const char *text;
} Shows;

static gboolean
label_shown (gpointer data)
{
  Shows *shows = data;

  return shows_label (shows->widget, shows->text);
}

/* The inspector fills its form from the main loop: under load that may
 * take a few iterations more. Iterates until `text` shows (10 s at most). */
static gboolean
comes_to_show (GtkWidget  *widget,
               const char *text)
{
  Shows shows = { widget, text };

  return zs_gui_test_iterate_until (label_shown, &shows, 10000);
}

static gboolean
live_text_has (gpointer data)
{
  Shows *shows = data;
  const char *live = _zs_inspector_get_live_text (ZS_INSPECTOR (shows->widget));

  return live != NULL && strstr (live, shows->text) != NULL;
}

/* The inspector's live figures come to hold `text` (10 s at most): they
 * follow the selection at the session's next update. */
static gboolean
live_text_comes_to_have (ZsInspector *inspector,
                         const char  *text)
{
  Shows shows = { GTK_WIDGET (inspector), text };
  const char *live;

  if (zs_gui_test_iterate_until (live_text_has, &shows, 10000))
    return TRUE;
  live = _zs_inspector_get_live_text (inspector);
  g_test_message ("the inspector's live text: %s", live != NULL ? live : "(none)");
  return FALSE;
}

static void
select_node (ZsWindow   *window,
             const char *name)
{
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);

  zs_canvas_select_node (window->canvas, zs_topology_find_node (topology, name));
  zs_gui_test_wait_ms (100);
}

typedef struct {
  ZsWindow    *window;
  OutsidePull *a, *b;
} Flow;

/* The outside program got all of pusher's messages, and the counters say so. */
static gboolean
pusher_arrived (gpointer data)
{
  Flow *f = data;
  const ZsSnapshot *s = f->window->canvas->live_snapshot;

  outside_pull_drain (f->a);
  return s != NULL && s->n_sockets == 3 && f->a->received == N_MESSAGES && s->sockets[0].sent == N_MESSAGES;
}

/* The same for feeder's, on its link to the external program. */
static gboolean
feeder_arrived (gpointer data)
{
  Flow *f = data;
  const ZsSnapshot *s = f->window->canvas->live_snapshot;

  outside_pull_drain (f->b);
  return s != NULL && f->b->received == N_MESSAGES && s->links[0].sent == N_MESSAGES;
}

static void
test_outside_view (void)
{
  void *ctx = zmq_ctx_new ();
  OutsidePull a = { 0 }, b = { 0 };
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *collector = NULL;
  g_autofree char *shot = NULL;
  ZsInspector *inspector;
  const ZsSnapshot *s;
  ZsWindow *window;
  Flow f;

  outside_pull_bind (&a, ctx);
  outside_pull_bind (&b, ctx);
  path = write_topology (&a, &b);
  window = zs_gui_test_open_file (app, path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  zs_gui_test_wait_ms (300);
  inspector = ZS_INSPECTOR (window->inspector);

  /* Before the run: the inspector says which socket runs untraced, why,
   * and what that costs. */
  select_node (window, "pusher");
  expected = g_strdup_printf ("push runs untraced: it connects to %s, which no node of the file binds", a.endpoint);
  g_assert_true (comes_to_show (window->inspector, expected));
  g_assert_true (comes_to_show (window->inspector, "figures on its links are estimates"));
  select_node (window, "feeder");
  g_assert_true (comes_to_show (window->inspector, "out runs untraced: it is linked to “collector”, an outside program"));

  /* Run, as the user does, until the outside programs have everything. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  f = (Flow) { window, &a, &b };
  g_assert_true (zs_gui_test_iterate_until (pusher_arrived, &f, 20000));
  g_assert_true (_zs_window_is_running (window));
  s = window->canvas->live_snapshot;
  g_test_message ("pusher.push: peers %" G_GUINT64_FORMAT " sent %" G_GUINT64_FORMAT
                  " received %" G_GUINT64_FORMAT " estimated %d",
                  s->sockets[0].peers, s->sockets[0].sent, s->sockets[0].received, s->sockets[0].sent_estimated);

  /* The chip at pusher's port, with the snapshot's exact counts. */
  g_assert_true (zs_gui_test_canvas_shows (window, "outside: 1 peer · 10 sent · 0 received", "outside-texts.png"));
  shot = zs_gui_test_save_png (GTK_WIDGET (window), "outside-view.png");
  g_test_message ("screenshot: %s", shot);

  /* The inspector's live figures: the same, and why it is untraced. */
  select_node (window, "pusher");
  g_assert_true (live_text_comes_to_have (inspector, "push: outside: 1 peer · 10 sent · 0 received"));
  g_assert_true (live_text_comes_to_have (inspector, "push runs untraced: it connects to"));

  /* The link to the external program: its figures are estimates, and why. */
  zs_canvas_select_link (window->canvas, 0);
  g_assert_true (live_text_comes_to_have (inspector, "out runs untraced: it is linked to “collector”, an outside program"));

  /* The external program's card: what its link carried, not nothing. */
  g_assert_true (zs_gui_test_iterate_until (feeder_arrived, &f, 20000));
  g_test_message ("feeder → collector: sent %" G_GUINT64_FORMAT " received %" G_GUINT64_FORMAT,
                  s->links[0].sent, s->links[0].received);
  g_assert_true (zs_gui_test_canvas_shows (window, "10 to it · 0 from it", "outside-texts.png"));
  collector = zs_canvas_describe_live_node (window->canvas, 2);
  g_assert_nonnull (collector);
  g_test_message ("collector: %s", collector);
  g_assert_nonnull (strstr (collector, "To it on its links: 10"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  zs_gui_test_close_windows (app);
  zmq_close (a.socket);
  zmq_close (b.socket);
  zmq_ctx_term (ctx);
}

/* The outside program the file draws as a PULL is a PUB: pusher's
 * handshake with it fails, and libzmq closes the connection without
 * saying why, for good. Selected, the link says the handshake failed,
 * counts no disconnect (no connection was made) and hands nothing to the
 * program (pusher, still running, blocks: it has no peer). Before, it
 * said "Connects: 0 · disconnects: 1", nothing of the handshake, and
 * "Handed to the outside program: 1". */
static void
test_outside_wrong_type (void)
{
  void *ctx = zmq_ctx_new ();
  void *pub = zmq_socket (ctx, ZMQ_PUB);
  char endpoint[256];
  size_t size = sizeof endpoint;
  int zero = 0;
  g_autofree char *dir = g_dir_make_tmp ("zs-outside-view-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "wrong-type.json", NULL);
  g_autofree char *json = NULL;
  const char *live;
  ZsWindow *window;

  zmq_setsockopt (pub, ZMQ_LINGER, &zero, sizeof zero);
  g_assert_cmpint (zmq_bind (pub, "tcp://127.0.0.1:*"), ==, 0);
  g_assert_cmpint (zmq_getsockopt (pub, ZMQ_LAST_ENDPOINT, endpoint, &size), ==, 0);
  json = g_strdup_printf (
    "{ \"zmqscope\": 1, \"title\": \"wrong type\", \"nodes\": ["
    "  { \"name\": \"pusher\", \"role\": \"socket\", \"x\": 40, \"y\": 80,"
    "    \"payload\": [\"task\"], \"count\": 100, \"interval-ms\": 100,"
    "    \"sockets\": [ { \"name\": \"push\", \"type\": \"PUSH\", \"connects\": [\"%s\"] } ] },"
    "  { \"name\": \"collector\", \"role\": \"external\", \"x\": 560, \"y\": 80,"
    "    \"command\": \"the test itself\","
    "    \"sockets\": [ { \"name\": \"in\", \"type\": \"PULL\", \"binds\": [\"%s\"] } ] }"
    "] }", endpoint, endpoint);
  g_assert_true (g_file_set_contents (path, json, -1, NULL));
  window = zs_gui_test_open_file (app, path);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));

  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  zs_canvas_select_link (window->canvas, 0);
  g_assert_true (live_text_comes_to_have (ZS_INSPECTOR (window->inspector), "\nHandshakes failed: 1 (closed before"));
  live = _zs_inspector_get_live_text (ZS_INSPECTOR (window->inspector));
  g_test_message ("the link: %s", live);
  g_assert_nonnull (strstr (live, "Connects: 0 · disconnects: 0 · retries: 0"));
  g_assert_nonnull (strstr (live, "a peer whose socket type does not fit"));
  /* What pusher sent never reached the program. */
  g_assert_nonnull (strstr (live, "\nHanded to the outside program: 0\n"));
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "outside-wrong-type.png"));

  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  zs_gui_test_close_windows (app);
  zmq_close (pub);
  zmq_ctx_term (ctx);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  app = zs_gui_test_app_new (&argc, &argv);
  g_test_add_func ("/zmqscope/gui/outside-view", test_outside_view);
  g_test_add_func ("/zmqscope/gui/outside-wrong-type", test_outside_wrong_type);
  return g_test_run ();
}
