/* test-keyboard.c: the canvas without a mouse: arrows, Shift+arrows,
 * Enter, Delete, Ctrl+A and the palette, in the app window (issue #10)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "zs-canvas-private.h"
#include "zs-gui-test.h"
#include "zs-gui-test-app.h"
#include "zs-window-private.h"

static ZsApplication *app;

typedef struct {
  ZsWindow   *window;
  ZsCanvas   *canvas;
  ZsTopology *topology;
} Fixture;

/* A fresh window whose canvas shows three cards: a, b right of it, c below it. */
static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  const struct { const char *name; double x, y; } cards[] = {
    { "a", 0, 0 }, { "b", 480, 16 }, { "c", 16, 320 },
  };

  f->window = zs_window_new (app);
  gtk_window_present (GTK_WINDOW (f->window));
  zs_gui_test_iterate ();
  f->canvas = f->window->canvas;
  f->topology = zs_topology_new ();
  for (guint i = 0; i < G_N_ELEMENTS (cards); i++)
    {
      g_autoptr(ZsNode) node = zs_node_new_for_role (cards[i].name, ZS_ROLE_WORKER);

      zs_node_set_position (node, cards[i].x, cards[i].y);
      zs_topology_add_node (f->topology, node);
    }
  zs_canvas_set_topology (f->canvas, f->topology);
  gtk_widget_grab_focus (GTK_WIDGET (f->canvas));
  zs_gui_test_iterate ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  zs_gui_test_iterate ();
  g_object_unref (f->topology);
}

/* As GTK delivers a key press to the canvas: through its key controller. */
static gboolean
press (ZsCanvas        *canvas,
       guint            keyval,
       GdkModifierType  state)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (canvas));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
        continue;
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
      zs_gui_test_iterate ();
      return handled;
    }
  g_assert_not_reached ();
}

static const char *
selected_name (ZsCanvas *canvas)
{
  ZsNode *node = zs_canvas_get_selected_node (canvas);

  return node != NULL ? zs_node_get_name (node) : NULL;
}

static void
test_arrows_select (Fixture       *f,
                    gconstpointer  data)
{
  g_assert_null (zs_canvas_get_selected_node (f->canvas));
  /* Nothing selected: the first arrow picks the top-left card. */
  g_assert_true (press (f->canvas, GDK_KEY_Right, 0));
  g_assert_cmpstr (selected_name (f->canvas), ==, "a");
  g_assert_true (press (f->canvas, GDK_KEY_Right, 0));
  g_assert_cmpstr (selected_name (f->canvas), ==, "b");
  g_assert_true (press (f->canvas, GDK_KEY_Left, 0));
  g_assert_cmpstr (selected_name (f->canvas), ==, "a");
  g_assert_true (press (f->canvas, GDK_KEY_Down, 0));
  g_assert_cmpstr (selected_name (f->canvas), ==, "c");
  /* Nothing below c: the selection stays. */
  g_assert_true (press (f->canvas, GDK_KEY_Down, 0));
  g_assert_cmpstr (selected_name (f->canvas), ==, "c");
  g_assert_true (press (f->canvas, GDK_KEY_Up, 0));
  g_assert_cmpstr (selected_name (f->canvas), ==, "a");
  /* Selecting moved nothing. */
  g_assert_cmpfloat (zs_node_get_x (zs_topology_find_node (f->topology, "a")), ==, 0);
  g_assert_false (zs_history_get_can_undo (zs_canvas_get_history (f->canvas)));
}

static void
test_shift_arrows_move (Fixture       *f,
                        gconstpointer  data)
{
  press (f->canvas, GDK_KEY_Right, 0);
  press (f->canvas, GDK_KEY_Right, 0);
  g_assert_cmpstr (selected_name (f->canvas), ==, "b");
  g_assert_true (press (f->canvas, GDK_KEY_Right, GDK_SHIFT_MASK));
  g_assert_true (press (f->canvas, GDK_KEY_Down, GDK_SHIFT_MASK));
  g_assert_cmpfloat (zs_node_get_x (zs_topology_find_node (f->topology, "b")), ==, 480 + ZS_CANVAS_GRID);
  g_assert_cmpfloat (zs_node_get_y (zs_topology_find_node (f->topology, "b")), ==, 16 + ZS_CANVAS_GRID);
  /* Each step undoes on its own, through the window's Undo. */
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo", NULL);
  zs_gui_test_iterate ();
  g_assert_cmpfloat (zs_node_get_x (zs_topology_find_node (f->topology, "b")), ==, 480);
  g_assert_cmpfloat (zs_node_get_y (zs_topology_find_node (f->topology, "b")), ==, 16);
  g_assert_cmpstr (selected_name (f->canvas), ==, "b");
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  press (f->canvas, GDK_KEY_Down, 0);
  press (f->canvas, GDK_KEY_Down, 0);
  g_assert_cmpstr (selected_name (f->canvas), ==, "c");
  g_assert_true (press (f->canvas, GDK_KEY_Delete, 0));
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 2);
  g_assert_null (zs_topology_find_node (f->topology, "c"));
}

/* L on a card, an arrow to the target, Enter: linked. Esc gives up. */
static void
test_link_by_keyboard (Fixture       *f,
                       gconstpointer  data)
{
  GPtrArray *links = zs_topology_get_links (f->topology);
  const ZsLink *link;

  press (f->canvas, GDK_KEY_Right, 0);
  g_assert_cmpstr (selected_name (f->canvas), ==, "a");
  /* Started and given up: nothing changes. */
  g_assert_true (press (f->canvas, GDK_KEY_l, 0));
  g_assert_true (press (f->canvas, GDK_KEY_Escape, 0));
  g_assert_cmpuint (links->len, ==, 0);
  g_assert_cmpstr (selected_name (f->canvas), ==, "a");

  /* a's second socket (PUSH "out"), aimed at c below it. */
  g_assert_true (press (f->canvas, GDK_KEY_l, 0));
  g_assert_true (press (f->canvas, GDK_KEY_Tab, 0));
  g_assert_true (press (f->canvas, GDK_KEY_Down, 0));
  g_assert_true (press (f->canvas, GDK_KEY_Return, 0));
  links = zs_topology_get_links (f->topology);
  g_assert_cmpuint (links->len, ==, 1);
  link = g_ptr_array_index (links, 0);
  g_assert_cmpstr (zs_node_get_name (zs_topology_get_node (f->topology, link->connect_node)), ==, "a");
  g_assert_cmpstr (zs_node_get_name (zs_topology_get_node (f->topology, link->bind_node)), ==, "c");
  g_assert_cmpstr (zs_socket_spec_get_name (zs_node_get_socket (zs_topology_get_node (f->topology, link->connect_node),
                                                                link->connect_socket)), ==, "out");
  /* The keys are the canvas's again: an arrow selects. */
  press (f->canvas, GDK_KEY_Right, 0);
  g_assert_false (f->canvas->keyboard_link);
}

static gboolean
focus_is_in (ZsWindow  *window,
             GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static void
test_enter_opens_inspector (Fixture       *f,
                            gconstpointer  data)
{
  press (f->canvas, GDK_KEY_Right, 0);
  g_assert_true (focus_is_in (f->window, GTK_WIDGET (f->canvas)));
  /* The inspector builds its form in an idle. */
  zs_gui_test_wait_ms (50);
  g_assert_true (press (f->canvas, GDK_KEY_Return, 0));
  g_assert_true (focus_is_in (f->window, f->window->inspector));
}

static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_is_visible (widget) &&
      g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

typedef struct {
  GtkWidget  *widget;
  const char *text;
  gboolean    shown;
} Label;

static gboolean
label_as_wanted (gpointer data)
{
  Label *label = data;

  return find_label (label->widget, label->text) == label->shown;
}

static void
wait_for_label (GtkWidget  *widget,
                const char *text,
                gboolean    shown)
{
  Label label = { widget, text, shown };

  g_assert_true (zs_gui_test_iterate_until (label_as_wanted, &label, 10000));
}

static void
test_select_all_count (Fixture       *f,
                       gconstpointer  data)
{
  g_assert_true (press (f->canvas, GDK_KEY_a, GDK_CONTROL_MASK));
  g_assert_cmpuint (zs_canvas_get_selection (f->canvas)->len, ==, 3);
  wait_for_label (f->window->inspector, "3 cards selected", TRUE);
  /* One card again (the one above the primary, c): no count. */
  press (f->canvas, GDK_KEY_Up, 0);
  g_assert_cmpuint (zs_canvas_get_selection (f->canvas)->len, ==, 1);
  wait_for_label (f->window->inspector, "3 cards selected", FALSE);
}

static GtkWidget *
find_row (GtkWidget  *widget,
          const char *tooltip)
{
  if (GTK_IS_LIST_BOX_ROW (widget) && g_strcmp0 (gtk_widget_get_tooltip_text (widget), tooltip) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = find_row (child, tooltip);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* Enter on a palette row, again and again: each card lands where it
 * covers no other. */
static void
test_palette_free_space (Fixture       *f,
                         gconstpointer  data)
{
  const ZsRole roles[] = { ZS_ROLE_PUBLISHER, ZS_ROLE_SUBSCRIBER, ZS_ROLE_WORKER, ZS_ROLE_BROKER };

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      GtkWidget *row = find_row (f->window->palette, zs_role_describe (roles[i]));

      g_assert_nonnull (row);
      gtk_widget_activate (row);
      zs_gui_test_iterate ();
    }
  g_assert_cmpuint (zs_topology_get_n_nodes (f->topology), ==, 3 + G_N_ELEMENTS (roles));
  _zs_canvas_ensure_layout (f->canvas);
  for (guint i = 0; i < f->canvas->node_layouts->len; i++)
    for (guint j = i + 1; j < f->canvas->node_layouts->len; j++)
      {
        const ZsNodeLayout *a = g_ptr_array_index (f->canvas->node_layouts, i);
        const ZsNodeLayout *b = g_ptr_array_index (f->canvas->node_layouts, j);

        if (graphene_rect_intersection (&a->rect, &b->rect, NULL))
          g_error ("'%s' lies on '%s'", zs_node_get_name (a->node), zs_node_get_name (b->node));
      }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  app = zs_gui_test_app_new (&argc, &argv);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/keyboard/arrows-select", test_arrows_select);
  ADD ("/keyboard/shift-arrows-move", test_shift_arrows_move);
  ADD ("/keyboard/delete", test_delete);
  ADD ("/keyboard/enter-opens-inspector", test_enter_opens_inspector);
  ADD ("/keyboard/select-all-count", test_select_all_count);
  ADD ("/keyboard/palette-free-space", test_palette_free_space);
  ADD ("/keyboard/link", test_link_by_keyboard);
#undef ADD

  status = g_test_run ();
  g_object_unref (app);
  return status;
}
