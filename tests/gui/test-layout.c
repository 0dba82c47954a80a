/* test-layout.c: links routed around cards, Arrange, files without positions
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <math.h>
#include <string.h>

#include "zs-canvas-private.h"
#include "zs-examples.h"
#include "zs-graph-layout.h"
#include "zs-gui-test.h"
#include "zs-gui-test-app.h"
#include "zs-topology-file.h"
#include "zs-topology-ports.h"
#include "zs-window-private.h"

static ZsApplication *app;

static gboolean
routed (gpointer canvas)
{
  return _zs_canvas_is_routed (canvas);
}

/* Routing runs in a thread: the main loop brings its result in. */
static void
wait_routed (ZsCanvas *canvas)
{
  g_assert_true (zs_gui_test_iterate_until (routed, canvas, 20000));
}

static ZsGraphRect
card_rect (ZsCanvas *canvas,
           guint     i)
{
  const graphene_rect_t *r = &((ZsNodeLayout *) g_ptr_array_index (canvas->node_layouts, i))->rect;

  return (ZsGraphRect) { r->origin.x, r->origin.y, r->size.width, r->size.height };
}

/* No link passes under a card that is not one of its ends. */
static void
assert_links_clear_of_cards (ZsCanvas   *canvas,
                             const char *what)
{
  wait_routed (canvas);
  for (guint i = 0; i < canvas->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (canvas->link_layouts, i);

      for (guint c = 0; c < canvas->node_layouts->len; c++)
        {
          ZsGraphRect rect = card_rect (canvas, c);

          if (c != l->from_card && c != l->to_card && zs_graph_path_crosses (l->path, &rect))
            g_error ("%s: link %u (%s) passes under %s", what, i, l->text,
                     zs_node_get_name (((ZsNodeLayout *) g_ptr_array_index (canvas->node_layouts, c))->node));
        }
    }
}

static void
assert_cards_apart (ZsCanvas   *canvas,
                    const char *what)
{
  _zs_canvas_ensure_layout (canvas);
  for (guint i = 0; i < canvas->node_layouts->len; i++)
    for (guint j = i + 1; j < canvas->node_layouts->len; j++)
      {
        const graphene_rect_t *a = &((ZsNodeLayout *) g_ptr_array_index (canvas->node_layouts, i))->rect;
        const graphene_rect_t *b = &((ZsNodeLayout *) g_ptr_array_index (canvas->node_layouts, j))->rect;

        if (graphene_rect_intersection (a, b, NULL))
          g_error ("%s: cards %u and %u overlap", what, i, j);
      }
}

static GPtrArray *
example_paths (void)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; i <= 10; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("%u-", i);
      g_autoptr(GDir) dir = g_dir_open (g_getenv ("ZS_EXAMPLES_DIR"), 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, prefix) && g_str_has_suffix (name, ".json"))
          g_ptr_array_add (paths, g_build_filename (g_getenv ("ZS_EXAMPLES_DIR"), name, NULL));
    }
  g_assert_cmpuint (paths->len, ==, 10);
  return paths;
}

static void
test_examples_as_shipped (void)
{
  g_autoptr(GPtrArray) paths = example_paths ();

  for (guint i = 0; i < paths->len; i++)
    {
      ZsWindow *window = zs_gui_test_open_file (app, g_ptr_array_index (paths, i));

      assert_cards_apart (window->canvas, g_ptr_array_index (paths, i));
      assert_links_clear_of_cards (window->canvas, g_ptr_array_index (paths, i));
    }
  zs_gui_test_close_windows (app);
}

static GArray *
get_positions (ZsTopology *topology)
{
  GArray *positions = g_array_new (FALSE, FALSE, sizeof (graphene_point_t));

  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    {
      ZsNode *node = zs_topology_get_node (topology, i);
      graphene_point_t p = GRAPHENE_POINT_INIT (zs_node_get_x (node), zs_node_get_y (node));

      g_array_append_val (positions, p);
    }
  return positions;
}

static gboolean
same_positions (GArray *a,
                GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (graphene_point_t)) == 0;
}

/* Ctrl+L's action: Graphviz arranges in a thread, the main loop brings
 * the positions in. */
static gboolean
arranged (gpointer canvas)
{
  return !_zs_canvas_is_arranging (canvas);
}

static void
arrange (ZsWindow *window)
{
  g_action_group_activate_action (G_ACTION_GROUP (window), "arrange", NULL);
  g_assert_true (_zs_canvas_is_arranging (window->canvas));
  g_assert_true (zs_gui_test_iterate_until (arranged, window->canvas, 20000));
}

/* Ctrl+L's action on every example: cards apart, links clear of cards,
 * and one undo step that puts the cards back. */
static void
test_examples_arranged (void)
{
  g_autoptr(GPtrArray) paths = example_paths ();

  for (guint i = 0; i < paths->len; i++)
    {
      ZsWindow *window = zs_gui_test_open_file (app, g_ptr_array_index (paths, i));
      ZsTopology *topology = zs_canvas_get_topology (window->canvas);
      ZsHistory *history = zs_canvas_get_history (window->canvas);
      g_autoptr(GArray) shipped = get_positions (topology);
      g_autoptr(GArray) arranged = NULL;
      g_autoptr(GArray) undone = NULL;

      g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "arrange"));
      arrange (window);
      arranged = get_positions (topology);
      g_assert_false (same_positions (shipped, arranged));
      g_assert_true (zs_history_get_can_undo (history));
      g_assert_cmpstr (zs_history_get_undo_label (history), ==, "Arrange");
      assert_cards_apart (window->canvas, g_ptr_array_index (paths, i));
      assert_links_clear_of_cards (window->canvas, g_ptr_array_index (paths, i));

      g_action_group_activate_action (G_ACTION_GROUP (window), "undo", NULL);
      topology = zs_canvas_get_topology (window->canvas);
      undone = get_positions (topology);
      g_assert_true (same_positions (shipped, undone));
      g_assert_false (zs_history_get_modified (history));
    }
  zs_gui_test_close_windows (app);
}

/* In the direction of flow: the publisher left of its subscribers. */
static void
test_arrange_follows_flow (void)
{
  g_autofree char *path = zs_examples_build_path ("8-synchronized-pubsub.json");
  ZsWindow *window = zs_gui_test_open_file (app, path);
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  ZsNode *publisher;

  arrange (window);
  publisher = zs_topology_find_node (topology, "syncpub");
  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    {
      ZsNode *node = zs_topology_get_node (topology, i);

      if (node != publisher)
        g_assert_cmpfloat (zs_node_get_x (node), >, zs_node_get_x (publisher) + 176);
    }
  zs_gui_test_close_windows (app);
}

/* A file written by hand, without "x" and "y": it opens arranged. */
static void
test_file_without_positions (void)
{
  g_autofree char *path = zs_examples_build_path ("5-request-reply-broker.json");
  g_autofree char *dir = g_dir_make_tmp ("zs-test-layout-XXXXXX", NULL);
  g_autofree char *bare = g_build_filename (dir, "bare.json", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) topology = zs_topology_load_from_file (path, &error);
  ZsWindow *window;

  g_assert_no_error (error);
  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    zs_node_set_position (zs_topology_get_node (topology, i), 0, 0);
  g_assert_true (zs_topology_save_to_file (topology, bare, &error));
  g_assert_no_error (error);

  window = zs_gui_test_open_file (app, bare);
  assert_cards_apart (window->canvas, bare);
  assert_links_clear_of_cards (window->canvas, bare);
  g_assert_false (zs_history_get_modified (zs_canvas_get_history (window->canvas)));
  g_assert_false (zs_history_get_can_undo (zs_canvas_get_history (window->canvas)));
  zs_gui_test_close_windows (app);
  g_unlink (bare);
  g_rmdir (dir);
}

/* A long name stretches no card over its neighbours: the card stops at
 * its maximum width, the name ends in "…", the tooltip says it whole. */
static void
test_long_name (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  ZsCanvas *canvas = g_object_ref_sink (ZS_CANVAS (zs_canvas_new ()));
  const char *name = "a-publisher-whose-name-goes-on-and-on-well-past-the-edge-of-any-card";
  g_autofree char *endpoint = g_strconcat ("ipc:///tmp/", name, NULL);
  const char * const binds[] = { endpoint, NULL };
  g_autofree char *tooltip = NULL;
  g_autofree char *shown = NULL;
  const ZsNodeLayout *layout;
  const ZsSocketLayout *socket;
  ZsNode *node;

  zs_canvas_set_topology (canvas, topology);
  node = zs_canvas_add_node (canvas, ZS_ROLE_PUBLISHER, 0, 0);
  zs_node_set_name (node, name);
  zs_socket_spec_set_binds (zs_node_get_socket (node, 0), binds);
  _zs_canvas_invalidate (canvas);

  layout = _zs_canvas_find_layout (canvas, node);
  g_assert_cmpfloat (layout->rect.size.width, <=, ZS_CANVAS_CARD_MAX_WIDTH);
  g_assert_true (g_str_has_suffix (layout->title, "…"));
  shown = g_strndup (layout->title, strlen (layout->title) - strlen ("…"));
  g_assert_cmpuint (strlen (shown), >, 10);
  g_assert_true (g_str_has_prefix (name, shown));
  socket = &g_array_index (layout->sockets, ZsSocketLayout, 0);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (socket->lines, 0), "…"));
  tooltip = _zs_canvas_node_tooltip (canvas, 0);
  g_assert_nonnull (strstr (tooltip, name));
  g_assert_nonnull (strstr (tooltip, endpoint));
  g_assert_finalize_object (canvas);
}

/* A card moved into a link's way, as a keyboard or mouse drag moves it:
 * the link is routed around it again, off the frame path. */
static void
test_reroute_on_move (void)
{
  g_autofree char *path = zs_examples_build_path ("3-parallel-pipeline.json");
  ZsWindow *window = zs_gui_test_open_file (app, path);
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  ZsNode *sink = zs_topology_find_node (topology, "sink");
  g_autoptr(GArray) plain = NULL;
  const ZsLinkLayout *l;
  ZsGraphRect cards[6];
  ZsGraphLink link;

  assert_links_clear_of_cards (window->canvas, "before the move");
  /* Up, out of the lane where ventilator -> sink ran straight: its plain
   * curve now crosses worker-2. */
  zs_canvas_select_node (window->canvas, sink);
  _zs_canvas_move_selection (window->canvas, 0, -224, "Move");
  g_assert_cmpfloat (zs_node_get_y (sink), ==, 96);
  g_assert_false (_zs_canvas_is_routed (window->canvas));
  l = g_ptr_array_index (window->canvas->link_layouts, 0);
  g_assert_cmpstr (zs_node_get_name (((ZsNodeLayout *) g_ptr_array_index (window->canvas->node_layouts,
                                                                         l->to_card))->node), ==, "sink");
  link = (ZsGraphLink) { l->from_card, { l->from.x, l->from.y }, l->to_card, { l->to.x, l->to.y } };
  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    cards[i] = card_rect (window->canvas, i);
  plain = zs_graph_simple_path (cards, &link);
  g_assert_true (zs_graph_path_crosses (plain, &cards[2]));   /* worker-2 */
  assert_links_clear_of_cards (window->canvas, "after the move");
  zs_gui_test_close_windows (app);
}

/* An export does not wait for the background: it routes there and then. */
static void
test_export_routes (void)
{
  g_autofree char *path = zs_examples_build_path ("3-parallel-pipeline.json");
  g_autofree char *dir = g_dir_make_tmp ("zs-test-layout-XXXXXX", NULL);
  g_autofree char *svg = g_build_filename (dir, "pipeline.svg", NULL);
  g_autoptr(GError) error = NULL;
  ZsWindow *window = zs_gui_test_open_file (app, path);
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);

  wait_routed (window->canvas);
  /* Moved below the workers, as a drag leaves it. */
  zs_node_set_position (zs_topology_find_node (topology, "sink"), 752, 800);
  g_assert_false (_zs_canvas_is_routed (window->canvas));
  g_assert_true (zs_canvas_export_svg (window->canvas, svg, &error));
  g_assert_no_error (error);
  g_assert_true (_zs_canvas_is_routed (window->canvas));
  zs_gui_test_close_windows (app);
  g_unlink (svg);
  g_rmdir (dir);
}

typedef struct {
  ZsCanvas *canvas;
  guint     queues;
  guint     with_numbers;
} Drawn;

/* Some queue bars drawn (the numbers of the last frame read into `data`);
 * until then, asks for the next frame. */
static gboolean
queues_drawn (gpointer data)
{
  Drawn *drawn = data;

  _zs_canvas_live_get_drawn_queues (drawn->canvas, &drawn->queues, &drawn->with_numbers);
  if (drawn->queues == 0)
    gtk_widget_queue_draw (GTK_WIDGET (drawn->canvas));
  return drawn->queues > 0;
}

/* Mid-run, every queue bar carries its numbers ("0 / 2000" when empty):
 * hello world over inproc, so that no tcp port is needed. */
static void
test_queue_numbers (void)
{
  g_autofree char *path = zs_examples_build_path ("1-hello-world.json");
  g_autofree char *dir = g_dir_make_tmp ("zs-test-layout-XXXXXX", NULL);
  g_autofree char *inproc = g_build_filename (dir, "hello-inproc.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRegex) tcp = g_regex_new ("tcp://[^\"]*", 0, 0, NULL);
  g_autofree char *joined = NULL;
  Drawn drawn = { NULL, 0, 0 };
  ZsWindow *window;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  /* Both ends of its one link, whatever port the example writes. */
  joined = g_regex_replace_literal (tcp, text, -1, 0, "inproc://hello", 0, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (joined, "tcp://"));
  g_assert_true (g_file_set_contents (inproc, joined, -1, &error));

  window = zs_gui_test_open_file (app, inproc);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  drawn.canvas = window->canvas;
  g_assert_true (zs_gui_test_iterate_until (queues_drawn, &drawn, 20000));
  g_assert_cmpuint (drawn.with_numbers, ==, drawn.queues);
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  zs_gui_test_close_windows (app);
  g_unlink (inproc);
  g_rmdir (dir);
}

static gboolean
links_carry_traffic (gpointer canvas)
{
  const ZsSnapshot *s = ZS_CANVAS (canvas)->live_snapshot;

  for (guint i = 0; s != NULL && i < s->n_links; i++)
    if (s->links[i].received > 0)
      return TRUE;
  return FALSE;
}

/* The run started and is over. */
static gboolean
run_over (gpointer canvas)
{
  ZsRunSession *session = ZS_CANVAS (canvas)->session;

  return session != NULL && !zs_run_session_is_live (session);
}

/* The label meets one of the card's ports: the circles on its sides. */
static gboolean
covers_a_port (ZsCanvas              *canvas,
               const ZsNodeLayout    *n,
               const graphene_rect_t *label)
{
  double r = _zs_canvas_scaled (canvas, ZS_CANVAS_PORT_RADIUS);

  for (guint k = 0; k < n->sockets->len; k++)
    {
      const graphene_rect_t *badge = &g_array_index (n->sockets, ZsSocketLayout, k).badge;
      double cy = badge->origin.y + badge->size.height / 2;

      for (guint side = 0; side < 2; side++)
        {
          double cx = n->rect.origin.x + side * n->rect.size.width;

          if (graphene_rect_intersection (label, &GRAPHENE_RECT_INIT (cx - r, cy - r, 2 * r, 2 * r), NULL))
            return TRUE;
        }
    }
  return FALSE;
}

/* No two link labels (endpoints, rates, queues, states) intersect, and no
 * label meets a card or a port, mid-run, in a frame as drawn. */
static void
assert_labels_apart (ZsCanvas   *canvas,
                     const char *what)
{
  g_autoptr(GdkTexture) texture = zs_gui_test_render (GTK_WIDGET (canvas));
  const GArray *labels = _zs_canvas_live_get_label_rects (canvas);

  g_assert_cmpuint (labels->len, >, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      const graphene_rect_t *a = &g_array_index (labels, graphene_rect_t, i);

      for (guint j = i + 1; j < labels->len; j++)
        if (graphene_rect_intersection (a, &g_array_index (labels, graphene_rect_t, j), NULL))
          g_error ("%s: labels %u and %u of %u overlap", what, i, j, labels->len);
      for (guint c = 0; c < canvas->node_layouts->len; c++)
        {
          const ZsNodeLayout *n = g_ptr_array_index (canvas->node_layouts, c);

          if (graphene_rect_intersection (a, &n->rect, NULL))
            g_error ("%s: label %u overlaps card %s", what, i, zs_node_get_name (n->node));
          if (covers_a_port (canvas, n, a))
            g_error ("%s: label %u (%g,%g %gx%g) covers a port of %s", what, i,
                     a->origin.x, a->origin.y, a->size.width, a->size.height, zs_node_get_name (n->node));
        }
    }
}

/* Every example as shipped, run (on free ports) until its links carry
 * traffic: a few frames, each with its labels apart, in presentation mode
 * too. */
static void
test_labels_apart (void)
{
  g_autoptr(GPtrArray) paths = example_paths ();

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      ZsWindow *window = zs_gui_test_open_file (app, path);
      g_autoptr(GError) error = NULL;

      zs_topology_remap_tcp_ports (zs_canvas_get_topology (window->canvas), &error);
      g_assert_no_error (error);
      wait_routed (window->canvas);
      g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
      g_assert_true (zs_gui_test_iterate_until (links_carry_traffic, window->canvas, 20000));
      for (guint frame = 0; frame < 5; frame++)
        {
          zs_gui_test_wait_ms (50);
          assert_labels_apart (window->canvas, path);
        }
      /* And with presentation mode's larger labels. */
      gtk_widget_activate_action (GTK_WIDGET (window), "win.present-mode", NULL);
      g_assert_true (zs_canvas_get_presentation (window->canvas));
      for (guint frame = 0; frame < 3; frame++)
        {
          zs_gui_test_wait_ms (50);
          assert_labels_apart (window->canvas, path);
        }
      gtk_widget_activate_action (GTK_WIDGET (window), "win.leave-presentation", NULL);
      g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
      zs_gui_test_close_windows (app);
    }
}

/* The text of node `name`'s card, its socket lines one a line. */
static char *
card_lines (ZsCanvas   *canvas,
            const char *name)
{
  GString *text = g_string_new (NULL);

  _zs_canvas_ensure_layout (canvas);
  for (guint i = 0; i < canvas->node_layouts->len; i++)
    {
      const ZsNodeLayout *n = g_ptr_array_index (canvas->node_layouts, i);

      if (!g_str_equal (zs_node_get_name (n->node), name))
        continue;
      for (guint k = 0; k < n->sockets->len; k++)
        {
          const ZsSocketLayout *s = &g_array_index (n->sockets, ZsSocketLayout, k);

          for (guint j = 0; j < s->lines->len; j++)
            g_string_append_printf (text, "%s\n", (char *) g_ptr_array_index (s->lines, j));
        }
    }
  return g_string_free (text, FALSE);
}

/* What a lesson is about shows on its card: a SUB's filters, an HWM that
 * is not libzmq's 1000; the defaults add no line. */
static void
test_card_settings (void)
{
  g_autofree char *weather = zs_examples_build_path ("2-weather-updates.json");
  g_autofree char *durable = zs_examples_build_path ("10-durable-subscriber.json");
  g_autofree char *forwarder = zs_examples_build_path ("4-forwarder-proxy.json");
  ZsWindow *window;
  char *lines;

  window = zs_gui_test_open_file (app, weather);
  lines = card_lines (window->canvas, "wuclient");
  g_assert_nonnull (strstr (lines, "filter “10001 ”"));
  g_assert_null (strstr (lines, "HWM"));
  g_free (lines);
  lines = card_lines (window->canvas, "wuserver");
  g_assert_null (strstr (lines, "filter"));
  g_free (lines);

  window = zs_gui_test_open_file (app, durable);
  lines = card_lines (window->canvas, "durapub-connects");
  g_assert_nonnull (strstr (lines, "SNDHWM 2\n"));
  g_free (lines);

  window = zs_gui_test_open_file (app, forwarder);
  lines = card_lines (window->canvas, "wuproxy");
  g_assert_nonnull (strstr (lines, "filter: everything"));
  g_free (lines);
  zs_gui_test_close_windows (app);
}

/* Two cards too close for the endpoint label between them: it is not
 * drawn over them, and hovering the link shows it. */
static void
test_label_without_room (void)
{
  static const char json[] =
    "{ \"zmqscope\": 1, \"title\": \"close\", \"nodes\": ["
    "  { \"name\": \"ventilator\", \"role\": \"ventilator\", \"x\": 80, \"y\": 120,"
    "    \"sockets\": [ { \"name\": \"push\", \"type\": \"PUSH\", \"binds\": [\"inproc://close-cards\"] } ] },"
    "  { \"name\": \"sink\", \"role\": \"sink\", \"x\": 600, \"y\": 120,"
    "    \"sockets\": [ { \"name\": \"pull\", \"type\": \"PULL\", \"connects\": [\"inproc://close-cards\"] } ] }"
    "] }";
  g_autofree char *dir = g_dir_make_tmp ("zs-test-layout-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "close.json", NULL);
  g_autofree char *tooltip = NULL;
  g_autoptr(GError) error = NULL;
  const ZsNodeLayout *left;
  const ZsLinkLayout *link;
  graphene_point_t mid;
  ZsWindow *window;
  ZsNode *sink;

  g_assert_true (g_file_set_contents (path, json, -1, &error));
  window = zs_gui_test_open_file (app, path);
  _zs_canvas_ensure_layout (window->canvas);
  left = g_ptr_array_index (window->canvas->node_layouts, 0);
  sink = zs_topology_get_node (zs_canvas_get_topology (window->canvas), 1);
  zs_node_set_position (sink, left->rect.origin.x + left->rect.size.width + 24, left->rect.origin.y);
  wait_routed (window->canvas);

  link = g_ptr_array_index (window->canvas->link_layouts, 0);
  g_assert_true (_zs_canvas_link_label_hidden (link));
  mid = _zs_canvas_bezier_point (link, 0.5);
  tooltip = _zs_canvas_tooltip_at (window->canvas, mid.x, mid.y);
  g_assert_cmpstr (tooltip, ==, link->text);
  zs_gui_test_close_windows (app);
  g_unlink (path);
  g_rmdir (dir);
}

/* After a run, the forwarder's final figures: no room between its close
 * cards, so they go further out with a leader line, over no card and no
 * label, rather than nowhere. */
static void
test_final_figures_placed (void)
{
  g_autofree char *path = zs_examples_build_path ("4-forwarder-proxy.json");
  ZsWindow *window = zs_gui_test_open_file (app, path);
  g_autoptr(GError) error = NULL;
  ZsCanvas *canvas = window->canvas;
  guint shown = 0;

  zs_topology_remap_tcp_ports (zs_canvas_get_topology (canvas), &error);
  g_assert_no_error (error);
  wait_routed (canvas);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (zs_gui_test_iterate_until (run_over, canvas, 20000));
  /* The endpoint labels there is room for, and both links' figures. */
  assert_labels_apart (canvas, path);
  for (guint i = 0; i < canvas->link_layouts->len; i++)
    shown += !_zs_canvas_link_label_hidden (g_ptr_array_index (canvas->link_layouts, i));
  g_assert_cmpuint (_zs_canvas_live_get_label_rects (canvas)->len, ==, shown + 2);
  zs_gui_test_close_windows (app);
}

/* The window's rectangle of `widget`. */
static graphene_rect_t
window_bounds (ZsWindow  *window,
               GtkWidget *widget)
{
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (widget, GTK_WIDGET (window), &bounds));
  return bounds;
}

/* Example 3 opened and run as a user does: once it ends, the timeline
 * comes under the canvas, and the fitted view fits what is left of it:
 * every card in sight, none under the timeline. */
static void
test_fit_above_timeline (void)
{
  g_autofree char *path = zs_examples_build_path ("3-parallel-pipeline.json");
  ZsWindow *window = zs_gui_test_open_file (app, path);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;
  ZsCanvas *canvas = window->canvas;
  graphene_rect_t visible, timeline;

  zs_topology_remap_tcp_ports (zs_canvas_get_topology (canvas), &error);
  g_assert_no_error (error);
  wait_routed (canvas);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  while (canvas->session == NULL || zs_run_session_is_live (canvas->session) ||
         !gtk_widget_get_mapped (window->timeline) || gtk_widget_get_height (window->timeline) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  zs_gui_test_iterate ();

  /* What of the canvas the timeline leaves visible. */
  visible = window_bounds (window, GTK_WIDGET (canvas));
  timeline = window_bounds (window, window->timeline);
  if (graphene_rect_intersection (&visible, &timeline, NULL))
    visible.size.height = MIN (visible.size.height, timeline.origin.y - visible.origin.y);
  for (guint i = 0; i < canvas->node_layouts->len; i++)
    {
      const ZsNodeLayout *n = g_ptr_array_index (canvas->node_layouts, i);
      graphene_rect_t card = GRAPHENE_RECT_INIT (visible.origin.x + n->rect.origin.x * canvas->zoom + canvas->offset_x,
                                                 window_bounds (window, GTK_WIDGET (canvas)).origin.y +
                                                 n->rect.origin.y * canvas->zoom + canvas->offset_y,
                                                 n->rect.size.width * canvas->zoom,
                                                 n->rect.size.height * canvas->zoom);

      if (!graphene_rect_contains_rect (&visible, &card))
        g_error ("%s is not all in sight: %g,%g %gx%g, the canvas shows %g,%g %gx%g",
                 zs_node_get_name (n->node), card.origin.x, card.origin.y, card.size.width, card.size.height,
                 visible.origin.x, visible.origin.y, visible.size.width, visible.size.height);
    }
  zs_gui_test_close_windows (app);
}

/* Pixels of a link's colour (a dot's) inside the endpoint label pills of
 * `texture`, the canvas as drawn: their outlines left out. */
static guint
dot_pixels_on_labels (ZsCanvas   *canvas,
                      GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);
  guint found = 0;

  gdk_texture_download (texture, (guchar *) pixels, width * sizeof (guint32));
  for (guint i = 0; i < canvas->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (canvas->link_layouts, i);
      int x0, y0, x1, y1;

      if (_zs_canvas_link_label_hidden (l))
        continue;
      x0 = MAX (0, (int) (l->label.origin.x * canvas->zoom + canvas->offset_x) + 4);
      y0 = MAX (0, (int) (l->label.origin.y * canvas->zoom + canvas->offset_y) + 3);
      x1 = MIN (width, (int) ((l->label.origin.x + l->label.size.width) * canvas->zoom + canvas->offset_x) - 4);
      y1 = MIN (height, (int) ((l->label.origin.y + l->label.size.height) * canvas->zoom + canvas->offset_y) - 3);
      for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++)
          {
            guint32 p = pixels[(gsize) y * width + x];
            int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;

            /* The pill is white, its text grey: a colour is a dot. */
            found += MAX (r, MAX (g, b)) - MIN (r, MIN (g, b)) > 80;
          }
    }
  return found;
}

/* Dots run under the endpoint labels, not over them: the broker's short
 * links, whose dots pass their labels, frame after frame. */
static void
test_dots_under_labels (void)
{
  g_autofree char *path = zs_examples_build_path ("5-request-reply-broker.json");
  ZsWindow *window = zs_gui_test_open_file (app, path);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;
  ZsCanvas *canvas = window->canvas;
  guint labels = 0;

  zs_topology_remap_tcp_ports (zs_canvas_get_topology (canvas), &error);
  g_assert_no_error (error);
  wait_routed (canvas);
  for (guint i = 0; i < canvas->link_layouts->len; i++)
    labels += !_zs_canvas_link_label_hidden (g_ptr_array_index (canvas->link_layouts, i));
  g_assert_cmpuint (labels, >, 0);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  while (!links_carry_traffic (canvas))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  for (guint frame = 0; frame < 100 && zs_run_session_is_live (canvas->session); frame++)
    {
      g_autoptr(GdkTexture) texture = zs_gui_test_render (GTK_WIDGET (canvas));

      g_assert_cmpuint (dot_pixels_on_labels (canvas, texture), ==, 0);
      zs_gui_test_wait_ms (20);
    }
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  zs_gui_test_close_windows (app);
}

/* The shortest distance from the rectangle to the link's path, sampled. */
static double
distance_to_path (const ZsLinkLayout    *l,
                  const graphene_rect_t *r)
{
  double best = G_MAXDOUBLE;

  for (guint i = 0; i <= 400; i++)
    {
      graphene_point_t p = _zs_canvas_bezier_point (l, i / 400.0);
      double dx = MAX (MAX (r->origin.x - p.x, 0), p.x - (r->origin.x + r->size.width));
      double dy = MAX (MAX (r->origin.y - p.y, 0), p.y - (r->origin.y + r->size.height));

      best = MIN (best, hypot (dx, dy));
    }
  return best;
}

static gboolean
every_worker_link_carried (ZsCanvas *canvas)
{
  const ZsSnapshot *s = canvas->live_snapshot;
  guint n = 0;

  for (guint i = 0; s != NULL && i < s->n_links; i++)
    n += s->links[i].received > 0;
  /* client -> server, and server -> each of the five workers */
  return n == 6;
}

/* Example 7 mid-run, once each of the five workers had a request: the
 * labels of the five DEALER -> REP links, which share the corridor
 * between the server and its workers, lie each by its own link (no more
 * than a few units from its path: no leader across the corridor), none
 * over another, a card or a port. */
static void
test_corridor_labels (void)
{
  g_autofree char *path = zs_examples_build_path ("7-multithreaded-server.json");
  ZsWindow *window = zs_gui_test_open_file (app, path);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autoptr(GError) error = NULL;
  ZsCanvas *canvas = window->canvas;
  const GArray *labels, *owners;
  guint shown = 0;

  zs_topology_remap_tcp_ports (zs_canvas_get_topology (canvas), &error);
  g_assert_no_error (error);
  wait_routed (canvas);
  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  while (!every_worker_link_carried (canvas))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  assert_labels_apart (canvas, path);
  g_free (zs_gui_test_save_png (GTK_WIDGET (canvas), "corridor-labels.png"));
  /* The five links from the DEALER's one endpoint show it once; hovering
   * any of the others tells it. */
  for (guint i = 0; i < canvas->link_layouts->len; i++)
    {
      const ZsLinkLayout *l = g_ptr_array_index (canvas->link_layouts, i);

      if (!g_str_equal (l->text, "inproc workers"))
        continue;
      shown += !_zs_canvas_link_label_hidden (l);
      if (_zs_canvas_link_label_hidden (l))
        {
          g_autofree char *tooltip = NULL;
          guint k = 1;
          graphene_point_t p;

          /* A point of the link where it is the link under the pointer. */
          for (; k < 20; k++)
            {
              ZsHit hit;

              p = _zs_canvas_bezier_point (l, k / 20.0);
              hit = _zs_canvas_hit_test (canvas, p.x, p.y);
              if (hit.kind == ZS_HIT_LINK && hit.link == (int) i)
                break;
            }
          g_assert_cmpuint (k, <, 20);
          tooltip = _zs_canvas_tooltip_at (canvas, p.x, p.y);
          g_assert_cmpstr (tooltip, ==, "inproc workers");
        }
    }
  g_assert_cmpuint (shown, ==, 1);
  labels = _zs_canvas_live_get_label_rects (canvas);
  owners = _zs_canvas_live_get_label_links (canvas);
  g_assert_cmpuint (owners->len, ==, labels->len);
  /* Rates and queues of the six links, and the workers' endpoint. */
  g_assert_cmpuint (labels->len, >=, 13);
  for (guint i = 0; i < labels->len; i++)
    {
      const graphene_rect_t *r = &g_array_index (labels, graphene_rect_t, i);
      guint link = g_array_index (owners, guint, i);
      const ZsLinkLayout *l = g_ptr_array_index (canvas->link_layouts, link);
      double d;

      /* The client's link is too short for any: they go further out. */
      if (!g_str_equal (l->text, "inproc workers"))
        continue;
      d = distance_to_path (l, r);
      if (d > 24)
        g_error ("label %u of link %u (%s) is %.0f units from its path", i, link, l->text, d);
    }
  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  zs_gui_test_close_windows (app);
}

int
main (int    argc,
      char **argv)
{
  int status;

  app = zs_gui_test_app_new (&argc, &argv);
  g_test_add_func ("/layout/examples-as-shipped", test_examples_as_shipped);
  g_test_add_func ("/layout/examples-arranged", test_examples_arranged);
  g_test_add_func ("/layout/arrange-follows-flow", test_arrange_follows_flow);
  g_test_add_func ("/layout/file-without-positions", test_file_without_positions);
  g_test_add_func ("/layout/long-name", test_long_name);
  g_test_add_func ("/layout/export-routes", test_export_routes);
  g_test_add_func ("/layout/reroute-on-move", test_reroute_on_move);
  g_test_add_func ("/layout/queue-numbers", test_queue_numbers);
  g_test_add_func ("/layout/labels-apart", test_labels_apart);
  g_test_add_func ("/layout/card-settings", test_card_settings);
  g_test_add_func ("/layout/label-without-room", test_label_without_room);
  g_test_add_func ("/layout/final-figures-placed", test_final_figures_placed);
  g_test_add_func ("/layout/fit-above-timeline", test_fit_above_timeline);
  g_test_add_func ("/layout/dots-under-labels", test_dots_under_labels);
  g_test_add_func ("/layout/corridor-labels", test_corridor_labels);
  status = g_test_run ();
  g_object_unref (app);
  return status;
}
