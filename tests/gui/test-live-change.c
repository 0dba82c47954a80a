/* test-live-change.c: changing a link during a run from the window (issue #15):
 * the link's context menu moves it to another transport, the inspector
 * flips it, undo brings it back; each a live change of the run, an event
 * in the Events page, and the link's new figures; renders
 * live-change-*.png into the build directory
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <string.h>
#include <gtk/gtk.h>

#include "zs-gui-test-app.h"
#include "zs-event-list.h"
#include "zs-inspector-private.h"
#include "zs-live-edit.h"
#include "zs-topology-ports.h"

static ZsApplication *app;

static ZsWindow *
open_example (const char *name)
{
  const char *dir = g_getenv ("ZS_EXAMPLES_DIR");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : "data/examples", name, NULL);
  g_autoptr(GError) error = NULL;
  ZsWindow *window = zs_gui_test_present_file (app, path);

  zs_canvas_fit (window->canvas);
  zs_topology_remap_tcp_ports (zs_canvas_get_topology (window->canvas), &error);
  g_assert_no_error (error);
  return window;
}

static const ZsSnapshot *
shown (ZsWindow *window)
{
  return window->canvas->live_snapshot;
}

/* The run's link joining worker-1's results to the sink. */
static guint run_link;
static guint64 want_changes;
static ZsTransport want_transport;
static gboolean want_flipped;
static guint64 received_before;

static gboolean
all_connected (ZsWindow *window)
{
  const ZsSnapshot *s = shown (window);

  for (guint l = 0; s != NULL && l < s->n_links; l++)
    if (s->links[l].state != ZS_LINK_STATE_CONNECTED)
      return FALSE;
  return s != NULL && s->links[run_link].received > 5;
}

/* The change applied by both ends, connected again, and delivering. */
static gboolean
link_changed (ZsWindow *window)
{
  const ZsLinkStats *l = &shown (window)->links[run_link];

  return l->changes == want_changes && !l->changing && l->state == ZS_LINK_STATE_CONNECTED
         && (ZsTransport) l->transport == want_transport && l->flipped == want_flipped
         && l->received > received_before + 10;
}

/* The document's link index for the run's link: it moves when a live flip
 * reorders the document's links. */
static int
document_link (ZsWindow *window)
{
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  ZsTopology *frozen = zs_run_session_get_topology (window->session);
  GPtrArray *links = zs_topology_get_links (topology);

  for (guint i = 0; i < links->len; i++)
    {
      gboolean reversed;

      if (zs_live_edit_find_link (frozen, topology, i, &reversed) == (int) run_link)
        return (int) i;
    }
  g_assert_not_reached ();
}

/* Right-clicks the middle of the link's path, as a mouse does. */
static void
right_click_link (ZsWindow *window,
                  int       link)
{
  ZsCanvas *canvas = window->canvas;
  const ZsLinkLayout *layout;
  graphene_point_t p;

  _zs_canvas_ensure_layout (canvas);
  layout = g_ptr_array_index (canvas->link_layouts, link);
  p = _zs_canvas_bezier_point (layout, 0.5);
  g_signal_emit_by_name (zs_gui_test_find_controller (GTK_WIDGET (canvas), GTK_TYPE_GESTURE_CLICK), "pressed", 1,
                         p.x * canvas->zoom + canvas->offset_x, p.y * canvas->zoom + canvas->offset_y);
}

/* Activates the item labelled `label` of `menu` (or of a submenu of one
 * of its sections labelled `submenu`) as the menu does; TRUE if found. */
static gboolean
activate_item (GtkWidget  *widget,
               GMenuModel *menu,
               const char *submenu,
               const char *label)
{
  for (int s = 0; s < g_menu_model_get_n_items (menu); s++)
    {
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, s, G_MENU_LINK_SECTION);

      for (int i = 0; section != NULL && i < g_menu_model_get_n_items (section); i++)
        {
          g_autofree char *text = NULL;
          g_autofree char *action = NULL;
          g_autoptr(GVariant) target = NULL;
          g_autoptr(GMenuModel) sub = NULL;

          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_LABEL, "s", &text);
          sub = g_menu_model_get_item_link (section, i, G_MENU_LINK_SUBMENU);
          if (submenu != NULL && sub != NULL && g_strcmp0 (text, submenu) == 0)
            {
              g_autoptr(GMenu) wrap = g_menu_new ();

              g_menu_append_section (wrap, NULL, sub);
              return activate_item (widget, G_MENU_MODEL (wrap), NULL, label);
            }
          if (submenu != NULL || g_strcmp0 (text, label) != 0)
            continue;
          g_menu_model_get_item_attribute (section, i, G_MENU_ATTRIBUTE_ACTION, "s", &action);
          target = g_menu_model_get_item_attribute_value (section, i, G_MENU_ATTRIBUTE_TARGET, NULL);
          return gtk_widget_activate_action_variant (widget, action, target);
        }
    }
  return FALSE;
}

/* The first descendant of `widget` of `type` whose label is `label`. */
static GtkWidget *
find_labelled (GtkWidget  *widget,
               GType       type,
               const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && gtk_widget_get_visible (child)
          && ((GTK_IS_BUTTON (child) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
              || (GTK_IS_LABEL (child) && strstr (gtk_label_get_label (GTK_LABEL (child)), label) != NULL)))
        return child;
      if ((found = find_labelled (child, type, label)) != NULL)
        return found;
    }
  return NULL;
}

/* The Events page has a row that says `text`. */
static gboolean
event_listed (ZsWindow   *window,
              const char *text)
{
  ZsEventList *list = ZS_EVENT_LIST (window->event_list);

  for (guint i = 0; i < zs_event_list_get_n_events (list); i++)
    {
      g_autofree char *row = zs_event_list_dup_text (list, i);

      if (strstr (row, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
expect (ZsWindow    *window,
        guint64      changes,
        ZsTransport  transport,
        gboolean     flipped)
{
  want_changes = changes;
  want_transport = transport;
  want_flipped = flipped;
  received_before = shown (window)->links[run_link].received;
  if (!zs_gui_test_wait_for (window, link_changed, 20000))
    g_error ("link %u: %" G_GUINT64_FORMAT " changes, transport %d, flipped %d, %s, received %" G_GUINT64_FORMAT,
             run_link, shown (window)->links[run_link].changes, shown (window)->links[run_link].transport,
             shown (window)->links[run_link].flipped, zs_link_state_to_string (shown (window)->links[run_link].state),
             shown (window)->links[run_link].received);
}

/* The user's path: Run the parallel pipeline, right-click worker-1's
 * results link, Transport ▸ ipc. The run moves that link to ipc while the
 * other workers go on; the inspector's live figures say so, the Events
 * page lists the change. Then the inspector's Swap Bind and Connect
 * flips it (worker-1 binds), and Undo brings it back, live. */
static void
test_transport_from_menu (void)
{
  ZsWindow *window = open_example ("3-parallel-pipeline.json");
  ZsTopology *topology = zs_canvas_get_topology (window->canvas);
  const char *payload[] = { "5", NULL };
  GtkWidget *flip;
  GMenuModel *menu;
  g_autofree char *png = NULL;
  g_autofree char *shot = NULL;
  const char *live_text;
  GPtrArray *links;
  int w1 = zs_topology_find_node_index (topology, zs_topology_find_node (topology, "worker-1"));

  /* The ventilator goes on for ever: the run is live while it changes. */
  zs_node_set_payload (zs_topology_find_node (topology, "ventilator"), payload);
  g_object_set (zs_topology_find_node (topology, "ventilator"), "count", 0, "interval-ms", 2, NULL);
  g_object_set (zs_topology_find_node (topology, "sink"), "count", 0, NULL);
  links = zs_topology_get_links (topology);
  for (run_link = 0; run_link < links->len; run_link++)
    if (((ZsLink *) g_ptr_array_index (links, run_link))->connect_node == (guint) w1
        && ((ZsLink *) g_ptr_array_index (links, run_link))->connect_socket == 1)
      break;
  g_assert_cmpuint (run_link, <, links->len);

  g_action_group_activate_action (G_ACTION_GROUP (window), "run", NULL);
  g_assert_true (zs_gui_test_wait_for (window, all_connected, 20000));

  /* Right-click the link: its menu offers the live changes. */
  right_click_link (window, document_link (window));
  g_assert_cmpint (zs_canvas_get_selected_link (window->canvas), ==, document_link (window));
  g_assert_true (gtk_widget_get_visible (window->canvas->fault_menu));
  menu = gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (window->canvas->fault_menu));
  gtk_popover_popdown (GTK_POPOVER (window->canvas->fault_menu));
  g_assert_true (activate_item (GTK_WIDGET (window->canvas), menu, "Trans_port", "ipc"));
  expect (window, 1, ZS_TRANSPORT_IPC, FALSE);
  g_assert_cmpint (((ZsLink *) g_ptr_array_index (zs_topology_get_links (topology), document_link (window)))->transport,
                   ==, ZS_TRANSPORT_IPC);
  png = zs_gui_test_save_png (GTK_WIDGET (window), "live-change-transport.png");
  shot = zs_gui_test_save_png (GTK_WIDGET (window->canvas), "live-change-transport-canvas.png");
  g_test_message ("screenshots: %s %s", png, shot);

  /* The inspector's live figures, the Events page's row. */
  zs_gui_test_wait_ms (300);
  live_text = _zs_inspector_get_live_text (ZS_INSPECTOR (window->inspector));
  g_assert_nonnull (live_text);
  g_test_message ("inspector: %s", live_text);
  g_assert_nonnull (strstr (live_text, "Changed live 1×: now over ipc"));
  g_assert_true (event_listed (window, "changed: transport worker-1.out -> sink.in ipc"));
  gtk_stack_set_visible_child_name (window->bottom_stack, "events");
  zs_gui_test_wait_ms (200);
  g_free (zs_gui_test_save_png (GTK_WIDGET (window), "live-change-inspector.png"));

  /* The inspector flips it: worker-1 binds now. */
  flip = find_labelled (window->inspector, GTK_TYPE_BUTTON, "_Swap Bind and Connect");
  g_assert_nonnull (flip);
  g_assert_true (gtk_widget_is_sensitive (flip));
  g_signal_emit_by_name (flip, "clicked");
  expect (window, 2, ZS_TRANSPORT_IPC, TRUE);
  g_assert_true (event_listed (window, "changed: flip worker-1.out -> sink.in"));

  /* Undo, twice: the flip, then the transport, each live. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "undo", NULL);
  expect (window, 3, ZS_TRANSPORT_IPC, FALSE);
  g_action_group_activate_action (G_ACTION_GROUP (window), "undo", NULL);
  expect (window, 4, ZS_TRANSPORT_TCP, FALSE);
  /* Nothing of before the run to undo while it runs. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "undo", NULL);
  zs_gui_test_wait_ms (200);
  g_assert_cmpuint (shown (window)->links[run_link].changes, ==, 4);
  g_assert_cmpuint (zs_run_session_get_snapshot (window->session)->links[run_link].changes, ==, 4);

  g_action_group_activate_action (G_ACTION_GROUP (window), "stop", NULL);
  zs_gui_test_wait_ms (300);
  for (guint i = 0; i < shown (window)->n_links; i++)
    {
      const ZsLinkStats *l = &shown (window)->links[i];

      g_assert_cmpuint (l->sent, ==, l->received + l->dropped + l->unread + l->lost + l->in_flight);
    }
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  app = zs_gui_test_app_new (&argc, &argv);
  g_test_add_func ("/zmqscope/live-change/transport-from-menu", test_transport_from_menu);
  ret = g_test_run ();
  zs_gui_test_close_windows (app);
  g_clear_object (&app);
  return ret;
}
