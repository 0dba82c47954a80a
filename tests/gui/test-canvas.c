/* test-canvas.c: the canvas's edits through the same paths as its gestures
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <gtk/gtk.h>
#include <string.h>

#include "zs-canvas-private.h"
#include "zs-gui-test.h"
#include "zs-inspector.h"
#include "zs-palette.h"
#include "zs-topology-file.h"
#include "zs-validator.h"

typedef struct {
  ZsCanvas   *canvas;
  ZsTopology *topology;
  ZsNode     *publisher;
  ZsNode     *subscriber;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->topology = zs_topology_new ();
  f->canvas = g_object_ref_sink (ZS_CANVAS (zs_canvas_new ()));
  zs_canvas_set_topology (f->canvas, f->topology);
  /* As the palette's drop lands: widget coordinates, zoom 1. */
  f->publisher = _zs_canvas_drop_role (f->canvas, ZS_ROLE_PUBLISHER, 100, 100);
  f->subscriber = _zs_canvas_drop_role (f->canvas, ZS_ROLE_SUBSCRIBER, 500, 100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->canvas);
  g_assert_finalize_object (f->topology);
}

static const ZsLink *
only_link (ZsTopology *topology)
{
  GPtrArray *links = zs_topology_get_links (topology);

  g_assert_cmpuint (links->len, ==, 1);
  return g_ptr_array_index (links, 0);
}

static const char *
first (const char * const *list)
{
  return list != NULL ? list[0] : NULL;
}

static ZsSocketSpec *
socket0 (ZsNode *node)
{
  return zs_node_get_socket (node, 0);
}

static void
test_drop_and_link (Fixture       *f,
                    gconstpointer  data)
{
  const ZsLink *link;

  g_assert_nonnull (f->publisher);
  g_assert_cmpstr (zs_node_get_name (f->publisher), ==, "publisher");
  g_assert_cmpfloat (zs_node_get_x (f->publisher), ==, 16);   /* snapped to the grid */
  g_assert_true (zs_canvas_get_selected_node (f->canvas) == f->subscriber);

  /* Dragged from the subscriber's SUB onto the publisher card: the publisher binds. */
  g_assert_true (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, f->publisher, -1));
  link = only_link (f->topology);
  g_assert_cmpuint (link->bind_node, ==, zs_topology_find_node_index (f->topology, f->publisher));
  g_assert_cmpuint (link->connect_node, ==, zs_topology_find_node_index (f->topology, f->subscriber));
  g_assert_cmpstr (link->bind_endpoint, ==, "inproc://publisher-pub");
  g_assert_cmpstr (link->connect_endpoint, ==, "inproc://publisher-pub");
  g_assert_true (link->to_connect);
  g_assert_false (link->to_bind);
  g_assert_cmpint (zs_canvas_get_selected_link (f->canvas), ==, 0);

  /* Linking again adds nothing. */
  g_assert_true (_zs_canvas_link_ports (f->canvas, f->publisher, 0, f->subscriber, 0));
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 1);
}

static void
test_link_adds_socket (Fixture       *f,
                       gconstpointer  data)
{
  ZsNode *client = _zs_canvas_drop_role (f->canvas, ZS_ROLE_CLIENT, 100, 400);
  ZsNode *socket_node = _zs_canvas_drop_role (f->canvas, ZS_ROLE_SOCKET, 500, 400);
  ZsSocketSpec *sync;
  const ZsLink *link;

  /* The publisher has no socket for a REQ: it gets its optional "sync" REP. */
  g_assert_true (_zs_canvas_link_ports (f->canvas, client, 0, f->publisher, -1));
  sync = zs_node_find_socket (f->publisher, "sync");
  g_assert_nonnull (sync);
  g_assert_cmpint (zs_socket_spec_get_socket_type (sync), ==, ZS_SOCKET_REP);
  link = only_link (f->topology);
  g_assert_cmpuint (link->bind_node, ==, zs_topology_find_node_index (f->topology, f->publisher));
  g_assert_cmpstr (first (zs_socket_spec_get_connects (socket0 (client))), ==,
                   "inproc://publisher-sync");

  /* A plain socket has no slot left: no surprise socket, the link is refused. */
  g_assert_false (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, socket_node, -1));
  g_assert_cmpuint (zs_node_get_n_sockets (socket_node), ==, 1);
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 1);

  /* Neither side prefers to bind: the drop target does. */
  g_object_set (socket0 (socket_node), "socket-type", ZS_SOCKET_PUB, NULL);
  g_assert_true (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, socket_node, -1));
  g_assert_cmpstr (first (zs_socket_spec_get_binds (socket0 (socket_node))), ==,
                   "inproc://socket-socket");
}

static void
test_undo_redo (Fixture       *f,
                gconstpointer  data)
{
  ZsHistory *history = zs_canvas_get_history (f->canvas);

  g_assert_true (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, f->publisher, -1));
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 1);

  zs_history_undo (history);
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 0);
  g_assert_null (first (zs_socket_spec_get_connects (
    socket0 (zs_topology_find_node (f->topology, "subscriber")))));
  zs_history_undo (history);
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 1);
  g_assert_null (zs_canvas_get_selected_node (f->canvas));

  zs_history_redo (history);
  zs_history_redo (history);
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 2);
  g_assert_cmpstr (first (zs_socket_spec_get_connects (
    socket0 (zs_topology_find_node (f->topology, "subscriber")))), ==, "inproc://publisher-pub");
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 1);
}

static void
test_move (Fixture       *f,
           gconstpointer  data)
{
  zs_canvas_select_node (f->canvas, f->publisher);
  _zs_canvas_move_selection (f->canvas, ZS_CANVAS_GRID, 0, "Move");
  g_assert_cmpfloat (zs_node_get_x (f->publisher), ==, 32);
  zs_history_undo (zs_canvas_get_history (f->canvas));
  /* Undo replaced the node objects; the selection follows by name. */
  f->publisher = zs_topology_find_node (f->topology, "publisher");
  g_assert_cmpfloat (zs_node_get_x (f->publisher), ==, 16);
  g_assert_true (zs_canvas_get_selected_node (f->canvas) == f->publisher);
}

static void
test_copy_paste (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *text = NULL;
  GPtrArray *selection;

  g_assert_true (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, f->publisher, -1));
  zs_canvas_select_all (f->canvas);
  text = _zs_canvas_copy_text (f->canvas);
  g_assert_nonnull (text);
  g_assert_true (_zs_canvas_paste_text (f->canvas, text));

  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 4);
  g_assert_nonnull (zs_topology_find_node (f->topology, "publisher-2"));
  g_assert_nonnull (zs_topology_find_node (f->topology, "subscriber-2"));
  selection = zs_canvas_get_selection (f->canvas);
  g_assert_cmpuint (selection->len, ==, 2);
  /* Offset, and the copy's own link kept on a fresh endpoint. */
  g_assert_cmpfloat (zs_node_get_x (zs_topology_find_node (f->topology, "publisher-2")), ==,
                     16 + 2 * ZS_CANVAS_GRID);
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 2);
  g_assert_cmpstr (first (zs_socket_spec_get_binds (
    socket0 (zs_topology_find_node (f->topology, "publisher-2")))), ==,
                   "inproc://publisher-2-pub");

  zs_history_undo (zs_canvas_get_history (f->canvas));
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 2);
  g_assert_false (_zs_canvas_paste_text (f->canvas, "not json"));
}

static gboolean
three_nodes (gpointer topology)
{
  return zs_topology_get_n_nodes (topology) >= 3;
}

static void
test_clipboard (Fixture       *f,
                gconstpointer  data)
{
  zs_canvas_select_node (f->canvas, f->subscriber);
  zs_canvas_copy_selection (f->canvas);
  zs_canvas_paste (f->canvas);
  zs_gui_test_iterate_until (three_nodes, f->topology, 5000);
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 3);
  g_assert_nonnull (zs_topology_find_node (f->topology, "subscriber-2"));
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_assert_true (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, f->publisher, -1));

  /* A link first: its connect endpoint goes. */
  zs_canvas_select_link (f->canvas, 0);
  zs_canvas_delete_selection (f->canvas);
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 0);
  g_assert_cmpint (zs_canvas_get_selected_link (f->canvas), ==, -1);
  zs_history_undo (zs_canvas_get_history (f->canvas));
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 1);

  zs_canvas_select_node (f->canvas, zs_topology_find_node (f->topology, "subscriber"));
  zs_canvas_delete_selection (f->canvas);
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 1);
  g_assert_null (zs_canvas_get_selected_node (f->canvas));
  zs_history_undo (zs_canvas_get_history (f->canvas));
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 2);
}

/* The port of a tcp link the canvas numbered (zs_edit_free_endpoint, whose
 * own test holds the numbers): bound on the loopback address, connected
 * to by localhost, the same port both ends. */
static guint
loopback_port (const ZsLink *link)
{
  g_autofree char *connect = NULL;
  guint64 port;

  g_assert_true (g_str_has_prefix (link->bind_endpoint, "tcp://127.0.0.1:"));
  g_assert_true (g_ascii_string_to_unsigned (link->bind_endpoint + strlen ("tcp://127.0.0.1:"), 10,
                                             1, G_MAXUINT16, &port, NULL));
  connect = g_strdup_printf ("tcp://localhost:%u", (guint) port);
  g_assert_cmpstr (link->connect_endpoint, ==, connect);
  return port;
}

static void
test_flip (Fixture       *f,
           gconstpointer  data)
{
  const ZsLink *link;
  guint sub_index = zs_topology_find_node_index (f->topology, f->subscriber);
  guint port;

  g_assert_true (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, f->publisher, -1));
  zs_canvas_set_link_transport (f->canvas, 0, ZS_TRANSPORT_TCP);
  link = only_link (f->topology);
  port = loopback_port (link);

  zs_canvas_flip_link (f->canvas, 0);
  link = only_link (f->topology);
  g_assert_cmpuint (link->bind_node, ==, sub_index);
  g_assert_cmpuint (loopback_port (link), ==, port);
  g_assert_null (first (zs_socket_spec_get_binds (socket0 (f->publisher))));
  g_assert_cmpint (zs_canvas_get_selected_link (f->canvas), ==, 0);

  zs_history_undo (zs_canvas_get_history (f->canvas));
  link = only_link (f->topology);
  g_assert_cmpuint (link->connect_node, ==, sub_index);
  zs_history_undo (zs_canvas_get_history (f->canvas));
  g_assert_cmpstr (only_link (f->topology)->bind_endpoint, ==, "inproc://publisher-pub");

  /* The next tcp link takes the next port. */
  zs_history_redo (zs_canvas_get_history (f->canvas));
  {
    ZsNode *other = _zs_canvas_drop_role (f->canvas, ZS_ROLE_SUBSCRIBER, 500, 400);
    ZsNode *pub2 = _zs_canvas_drop_role (f->canvas, ZS_ROLE_PUBLISHER, 100, 400);
    g_autofree char *next = g_strdup_printf ("tcp://127.0.0.1:%u", port + 1);
    GPtrArray *links;

    g_assert_true (_zs_canvas_link_ports (f->canvas, other, 0, pub2, -1));
    zs_canvas_set_link_transport (f->canvas, zs_canvas_get_selected_link (f->canvas),
                                  ZS_TRANSPORT_TCP);
    links = zs_topology_get_links (f->topology);
    g_assert_cmpuint (links->len, ==, 2);
    g_assert_cmpstr (first (zs_socket_spec_get_binds (socket0 (pub2))), ==, next);
  }
}

static void
test_findings (Fixture       *f,
               gconstpointer  data)
{
  ZsNode *sink = _zs_canvas_drop_role (f->canvas, ZS_ROLE_SINK, 500, 400);
  const char *connects[] = { "inproc://publisher-pub", NULL };
  g_autoptr(GPtrArray) findings = NULL;
  gboolean link_error = FALSE;

  /* PUB -> PULL, written by hand: the editor would never make it. */
  zs_socket_spec_set_binds (socket0 (sink), NULL);
  zs_socket_spec_set_connects (socket0 (sink), connects);
  findings = zs_validate (f->topology);
  for (guint i = 0; i < findings->len; i++)
    {
      const ZsFinding *finding = g_ptr_array_index (findings, i);
      link_error |= finding->link >= 0 && finding->severity == ZS_SEVERITY_ERROR;
    }
  g_assert_true (link_error);

  g_assert_cmpuint (_zs_canvas_get_badge_count (f->canvas), ==, 0);
  zs_canvas_set_findings (f->canvas, findings);
  g_assert_true (zs_canvas_get_findings (f->canvas) == findings);
  g_assert_cmpuint (_zs_canvas_get_badge_count (f->canvas), >=, 1);
  {
    ZsLinkLayout *layout = g_ptr_array_index (f->canvas->link_layouts, 0);
    ZsHit hit;

    g_assert_cmpint (layout->badge.level, ==, ZS_BADGE_ERROR);
    g_assert_nonnull (layout->badge.tooltip);
    hit = _zs_canvas_hit_test (f->canvas, layout->label.origin.x + layout->label.size.width,
                               layout->label.origin.y);
    g_assert_cmpint (hit.kind, ==, ZS_HIT_LINK_BADGE);
  }
  zs_canvas_set_findings (f->canvas, NULL);
  g_assert_cmpuint (_zs_canvas_get_badge_count (f->canvas), ==, 0);
}

static void
assert_file_starts_with (const char *path,
                         const char *magic,
                         gsize       length)
{
  g_autofree char *contents = NULL;
  gsize size;

  g_assert_true (g_file_get_contents (path, &contents, &size, NULL));
  g_assert_cmpuint (size, >, 100);
  g_assert_cmpmem (contents, length, magic, length);
}

static void
test_export (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zs-export-XXXXXX", NULL);
  g_autofree char *png = g_build_filename (dir, "topology.png", NULL);
  g_autofree char *svg = g_build_filename (dir, "topology.svg", NULL);
  g_autofree char *contents = NULL;

  g_assert_true (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, f->publisher, -1));
  g_assert_true (zs_canvas_export_png (f->canvas, png, &error));
  g_assert_no_error (error);
  assert_file_starts_with (png, "\x89PNG\r\n\x1a\n", 8);
  g_assert_true (zs_canvas_export_svg (f->canvas, svg, &error));
  g_assert_no_error (error);
  assert_file_starts_with (svg, "<?xml", 5);
  g_assert_true (g_file_get_contents (svg, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "<svg"));

  g_assert_false (zs_canvas_export_png (f->canvas, "/nonexistent/dir/x.png", &error));
  g_assert_nonnull (error);

  g_unlink (png);
  g_unlink (svg);
  g_rmdir (dir);
}

static void
test_running_locks (Fixture       *f,
                    gconstpointer  data)
{
  zs_canvas_set_running (f->canvas, TRUE);
  g_assert_null (_zs_canvas_drop_role (f->canvas, ZS_ROLE_WORKER, 300, 300));
  g_assert_false (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, f->publisher, -1));
  zs_canvas_select_all (f->canvas);
  zs_canvas_delete_selection (f->canvas);
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 2);
  zs_canvas_set_running (f->canvas, FALSE);
}

/* The canvas in a window with a palette and an inspector: they draw, fit,
 * follow the selection and go away cleanly. */
static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *palette = zs_palette_new ();
  GtkWidget *inspector = zs_inspector_new ();

  g_assert_true (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, f->publisher, -1));
  gtk_box_append (GTK_BOX (box), palette);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->canvas));
  gtk_box_append (GTK_BOX (box), inspector);
  gtk_widget_set_size_request (inspector, 280, -1);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  zs_inspector_set_target (ZS_INSPECTOR (inspector), f->canvas);
  gtk_window_present (GTK_WINDOW (window));
  zs_gui_test_iterate_until (zs_gui_test_allocated, f->canvas, 5000);
  zs_gui_test_iterate ();

  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (f->canvas)), >, 0);
  zs_canvas_fit (f->canvas);
  g_assert_cmpfloat (zs_canvas_get_zoom (f->canvas), <=, 1.25);
  zs_canvas_zoom_in (f->canvas);
  zs_canvas_zoom_out (f->canvas);
  zs_canvas_zoom_reset (f->canvas);
  g_assert_cmpfloat (zs_canvas_get_zoom (f->canvas), ==, 1.0);

  zs_canvas_select_node (f->canvas, f->publisher);
  zs_gui_test_iterate ();
  zs_canvas_select_link (f->canvas, 0);
  zs_gui_test_iterate ();
  zs_canvas_add_node_at_center (f->canvas, ZS_ROLE_WORKER);
  zs_gui_test_iterate ();
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
  zs_gui_test_iterate ();
}

/* ---- dragging a wire, through the canvas's own drag gesture ---- */

static GtkGestureDrag *
primary_drag (ZsCanvas *canvas)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (canvas));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_GESTURE_DRAG (controller) &&
          gtk_gesture_single_get_button (GTK_GESTURE_SINGLE (controller)) == GDK_BUTTON_PRIMARY)
        return GTK_GESTURE_DRAG (controller);
    }
  g_assert_not_reached ();
}

/* The centre of a socket's port (its type badge), in widget coordinates. */
static graphene_point_t
port_center (ZsCanvas *canvas,
             ZsNode   *node,
             guint     socket)
{
  ZsNodeLayout *layout;
  graphene_point_t center;

  _zs_canvas_ensure_layout (canvas);
  layout = _zs_canvas_find_layout (canvas, node);
  graphene_rect_get_center (&g_array_index (layout->sockets, ZsSocketLayout, socket).badge, &center);
  return GRAPHENE_POINT_INIT (center.x * canvas->zoom + canvas->offset_x,
                              center.y * canvas->zoom + canvas->offset_y);
}

/* The middle of a card's title: no port there. */
static graphene_point_t
card_title (ZsCanvas *canvas,
            ZsNode   *node)
{
  ZsNodeLayout *layout;

  _zs_canvas_ensure_layout (canvas);
  layout = _zs_canvas_find_layout (canvas, node);
  return GRAPHENE_POINT_INIT ((layout->rect.origin.x + layout->rect.size.width / 2) * canvas->zoom + canvas->offset_x,
                              (layout->rect.origin.y + 12) * canvas->zoom + canvas->offset_y);
}

/* Press on one port, move in steps, release on the other port (or, with
 * to_socket -1, on the card's title): what a mouse does. */
static void
drag_wire (ZsCanvas *canvas,
           ZsNode   *from,
           guint     from_socket,
           ZsNode   *to,
           int       to_socket)
{
  GtkGestureDrag *drag = primary_drag (canvas);
  graphene_point_t a = port_center (canvas, from, from_socket);
  graphene_point_t b = to_socket >= 0 ? port_center (canvas, to, to_socket) : card_title (canvas, to);

  g_signal_emit_by_name (drag, "drag-begin", a.x, a.y);
  for (int step = 1; step <= 4; step++)
    g_signal_emit_by_name (drag, "drag-update", (b.x - a.x) * step / 4, (b.y - a.y) * step / 4);
  g_signal_emit_by_name (drag, "drag-end", b.x - a.x, b.y - a.y);
  zs_gui_test_iterate ();
}

static GtkWidget *
present_in_window (ZsCanvas *canvas)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (canvas));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 600);
  gtk_window_present (GTK_WINDOW (window));
  zs_gui_test_iterate_until (zs_gui_test_allocated, canvas, 5000);
  zs_gui_test_iterate ();
  zs_canvas_zoom_reset (canvas);
  return window;
}

static const char *
refusal_text (ZsCanvas *canvas)
{
  if (canvas->refusal == NULL || !gtk_widget_get_visible (canvas->refusal))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (gtk_popover_get_child (GTK_POPOVER (canvas->refusal))));
}

/* PUB onto PUSH, PUSH onto SUB: nothing is added, and a note at the pointer
 * says which types pair with the dragged socket; a good pair still links. */
static void
test_refused_drop (Fixture       *f,
                   gconstpointer  data)
{
  ZsNode *ventilator = _zs_canvas_drop_role (f->canvas, ZS_ROLE_VENTILATOR, 300, 400);
  GtkWidget *window = present_in_window (f->canvas);
  guint n_sockets = zs_node_get_n_sockets (ventilator);
  GdkRectangle at;
  graphene_point_t drop;

  drag_wire (f->canvas, f->publisher, 0, ventilator, 0);
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 0);
  g_assert_cmpuint (zs_node_get_n_sockets (ventilator), ==, n_sockets);
  g_assert_cmpuint (zs_node_get_n_sockets (f->publisher), ==, 1);
  g_assert_cmpstr (refusal_text (f->canvas), ==,
                   "a PUB socket cannot talk to the PUSH socket 'tasks' of node 'ventilator'; "
                   "PUB pairs with SUB, XSUB");
  /* At the drop point. */
  drop = port_center (f->canvas, ventilator, 0);
  g_assert_true (gtk_popover_get_pointing_to (GTK_POPOVER (f->canvas->refusal), &at));
  g_assert_cmpint (abs (at.x - (int) drop.x), <=, 1);
  g_assert_cmpint (abs (at.y - (int) drop.y), <=, 1);

  drag_wire (f->canvas, ventilator, 0, f->subscriber, 0);
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 0);
  g_assert_cmpuint (zs_node_get_n_sockets (f->subscriber), ==, 1);
  g_assert_cmpstr (refusal_text (f->canvas), ==,
                   "a PUSH socket cannot talk to the SUB socket 'sub' of node 'subscriber'; "
                   "PUSH pairs with PULL");

  /* Onto a card with no socket that pairs, and no role socket to add. */
  drag_wire (f->canvas, f->publisher, 0, ventilator, -1);
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 0);
  g_assert_cmpuint (zs_node_get_n_sockets (ventilator), ==, n_sockets);
  g_assert_cmpstr (refusal_text (f->canvas), ==,
                   "node 'ventilator' has no socket a PUB socket can talk to; PUB pairs with SUB, XSUB");

  /* The next drag puts the note away; SUB onto PUB links. */
  drag_wire (f->canvas, f->subscriber, 0, f->publisher, 0);
  g_assert_null (refusal_text (f->canvas));
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 1);

  gtk_window_set_child (GTK_WINDOW (window), NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  zs_gui_test_iterate ();
}

/* ---- an external program, from the palette ---- */

static GtkWidget *
find_palette_row (GtkWidget  *widget,
                  const char *tooltip)
{
  if (GTK_IS_LIST_BOX_ROW (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = find_palette_row (child, tooltip);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* The palette row's drag source gives what the canvas's drop target takes. */
static ZsNode *
drop_from_palette (ZsCanvas *canvas,
                   ZsRole    role,
                   double    x,
                   double    y)
{
  GtkWidget *palette = g_object_ref_sink (zs_palette_new ());
  GtkWidget *row = find_palette_row (palette, zs_role_describe (role));
  g_autoptr(GdkContentProvider) provider = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  gboolean dropped = FALSE;
  guint n_nodes = zs_topology_get_n_nodes (zs_canvas_get_topology (canvas));

  g_assert_nonnull (row);
  g_signal_emit_by_name (zs_gui_test_find_controller (row, GTK_TYPE_DRAG_SOURCE), "prepare", 10.0, 10.0, &provider);
  g_assert_nonnull (provider);
  g_value_init (&value, G_TYPE_STRING);
  g_assert_true (gdk_content_provider_get_value (provider, &value, NULL));
  g_signal_emit_by_name (zs_gui_test_find_controller (GTK_WIDGET (canvas), GTK_TYPE_DROP_TARGET), "drop",
                         &value, x, y, &dropped);
  g_assert_true (dropped);
  g_object_unref (palette);
  g_assert_cmpuint (zs_topology_get_n_nodes (zs_canvas_get_topology (canvas)), ==, n_nodes + 1);
  return zs_canvas_get_selected_node (canvas);
}

/* Ink/paper changes along the row just below a card's bottom edge (only
 * the outline's stroke is there): 0 for a solid line, many for a dash. */
static guint
outline_changes (ZsCanvas *canvas,
                 ZsNode   *node)
{
  graphene_rect_t bounds;
  cairo_surface_t *surface;
  cairo_t *cr;
  const graphene_rect_t *r;
  guchar *data;
  int stride, row, x0, x1;
  guint changes = 0;
  gboolean was_ink = FALSE;

  _zs_canvas_ensure_layout (canvas);
  g_assert_true (_zs_canvas_get_bounds (canvas, &bounds));
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) bounds.size.width + 64,
                                        (int) bounds.size.height + 64);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, 32 - bounds.origin.x, 32 - bounds.origin.y);
  _zs_canvas_draw_scene (canvas, cr, TRUE);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  r = &_zs_canvas_find_layout (canvas, node)->rect;
  row = (int) (r->origin.y + r->size.height - bounds.origin.y + 32);
  x0 = (int) (r->origin.x - bounds.origin.x + 32 + 12);
  x1 = (int) (r->origin.x + r->size.width - bounds.origin.x + 32 - 12);
  data = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);
  for (int x = x0; x < x1; x++)
    {
      guint32 pixel = *(guint32 *) (data + row * stride + 4 * x);
      guint luma = (((pixel >> 16) & 0xff) + ((pixel >> 8) & 0xff) + (pixel & 0xff)) / 3;
      gboolean ink = luma < 180;

      changes += x > x0 && ink != was_ink;
      was_ink = ink;
    }
  cairo_surface_destroy (surface);
  g_test_message ("%s: %u ink/paper changes along the bottom edge", zs_node_get_name (node), changes);
  return changes;
}

/* Dropped from the palette: an external program, drawn dashed; a wire to
 * it gives it the matching socket, over tcp (inproc never leaves us). */
static void
test_external_program (Fixture       *f,
                       gconstpointer  data)
{
  ZsNode *client = _zs_canvas_drop_role (f->canvas, ZS_ROLE_CLIENT, 100, 400);
  ZsNode *external = drop_from_palette (f->canvas, ZS_ROLE_EXTERNAL, 500, 400);
  ZsSocketSpec *rep;
  const ZsLink *link;

  g_assert_nonnull (external);
  g_assert_true (zs_node_is_external (external));
  g_assert_cmpstr (zs_node_get_name (external), ==, "external");
  g_object_set (external, "command", "python3 hwserver.py", NULL);

  g_assert_true (_zs_canvas_link_ports (f->canvas, client, 0, external, -1));
  rep = zs_node_find_socket (external, "rep");
  g_assert_nonnull (rep);
  g_assert_cmpint (zs_socket_spec_get_socket_type (rep), ==, ZS_SOCKET_REP);
  link = only_link (f->topology);
  g_assert_cmpuint (link->bind_node, ==, zs_topology_find_node_index (f->topology, external));
  g_assert_true (g_str_has_prefix (link->bind_endpoint, "tcp://127.0.0.1:"));
  g_assert_true (g_str_has_prefix (link->connect_endpoint, "tcp://localhost:"));

  g_assert_cmpuint (outline_changes (f->canvas, client), ==, 0);
  g_assert_cmpuint (outline_changes (f->canvas, external), >=, 8);
  g_assert_nonnull (_zs_canvas_find_layout (f->canvas, external)->command);
  g_assert_cmpstr (_zs_canvas_find_layout (f->canvas, external)->command, ==, "$ python3 hwserver.py");
}

static void
test_role_drop_text (void)
{
  ZsRole role;

  g_assert_true (_zs_canvas_parse_role_drop (ZS_PALETTE_DRAG_PREFIX "broker", &role));
  g_assert_cmpint (role, ==, ZS_ROLE_BROKER);
  g_assert_false (_zs_canvas_parse_role_drop ("broker", &role));
  g_assert_false (_zs_canvas_parse_role_drop (ZS_PALETTE_DRAG_PREFIX "nope", &role));
}

#define ADD(path, func) \
  g_test_add ("/zmqscope/canvas/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  ADD ("drop-and-link", test_drop_and_link);
  ADD ("link-adds-socket", test_link_adds_socket);
  ADD ("undo-redo", test_undo_redo);
  ADD ("move", test_move);
  ADD ("copy-paste", test_copy_paste);
  ADD ("clipboard", test_clipboard);
  ADD ("delete", test_delete);
  ADD ("flip", test_flip);
  ADD ("findings", test_findings);
  ADD ("export", test_export);
  ADD ("running-locks", test_running_locks);
  ADD ("window", test_window);
  ADD ("refused-drop", test_refused_drop);
  ADD ("external-program", test_external_program);
  g_test_add_func ("/zmqscope/canvas/role-drop-text", test_role_drop_text);

  return g_test_run ();
}
