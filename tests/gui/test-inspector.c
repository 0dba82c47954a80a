/* test-inspector.c: the inspector as a user meets it: the drop-downs' names,
 * the fields a role uses, the wheel, subscriptions, the figures during a run
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>
#include <string.h>

#include "zs-canvas-private.h"
#include "zs-engine-source.h"
#include "zs-gui-test.h"
#include "zs-inspector-private.h"
#include "zs-validator.h"

typedef struct {
  GtkWidget   *window;
  ZsCanvas    *canvas;
  ZsInspector *inspector;
  ZsTopology  *topology;
  ZsNode      *publisher;
  ZsNode      *subscriber;
} Fixture;

static gboolean
is_mapped (gpointer data)
{
  Fixture *f = data;
  return gtk_widget_get_mapped (GTK_WIDGET (f->inspector)) &&
         gtk_widget_get_height (GTK_WIDGET (f->inspector)) > 0;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);

  f->topology = zs_topology_new ();
  f->canvas = ZS_CANVAS (zs_canvas_new ());
  f->inspector = ZS_INSPECTOR (zs_inspector_new ());
  zs_canvas_set_topology (f->canvas, f->topology);
  f->publisher = _zs_canvas_drop_role (f->canvas, ZS_ROLE_PUBLISHER, 100, 100);
  f->subscriber = _zs_canvas_drop_role (f->canvas, ZS_ROLE_SUBSCRIBER, 500, 100);
  g_assert_true (_zs_canvas_link_ports (f->canvas, f->subscriber, 0, f->publisher, -1));

  gtk_widget_set_size_request (GTK_WIDGET (f->inspector), 300, -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->canvas));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->inspector));
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  /* Short: the publisher's form is taller than the window. */
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 360);
  zs_inspector_set_target (f->inspector, f->canvas);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (zs_gui_test_iterate_until (is_mapped, f, 10000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  zs_gui_test_iterate ();
  g_assert_finalize_object (f->topology);
}

/* Clicks on a card as the canvas's gesture does, and lets the inspector rebuild. */
static void
select_node (Fixture *f,
             ZsNode  *node)
{
  zs_canvas_select_node (f->canvas, node);
  zs_gui_test_iterate ();
}

static void
find_all (GtkWidget  *root,
          const char *css_class,
          GPtrArray  *found)
{
  if (gtk_widget_has_css_class (root, css_class))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_all (child, css_class, found);
}

static GtkWidget *
find_first (GtkWidget  *root,
            const char *css_class)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  find_all (root, css_class, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* A label the user can see that holds `text`. */
static GtkWidget *
find_text (GtkWidget  *root,
           const char *text)
{
  if (!gtk_widget_get_visible (root))
    return NULL;
  if (GTK_IS_LABEL (root) && strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_text (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
dropdown_find (GtkDropDown *dropdown,
               const char  *text)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (model), i), text) == 0)
      return i;
  return GTK_INVALID_LIST_POSITION;
}

static const char *
dropdown_text (GtkDropDown *dropdown)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (gtk_drop_down_get_model (dropdown)),
                                     gtk_drop_down_get_selected (dropdown));
}

/* The socket-type drop-down speaks ZeroMQ (PUB, SUB…), lists the eleven
 * types and nothing else, and the chip above it follows a change. */
static void
test_socket_type_names (Fixture       *f,
                        gconstpointer  data)
{
  GtkDropDown *types, *role;
  GtkWidget *chip;
  GListModel *model;
  GtkAdjustment *scroll;
  double at;
  guint xpub;

  select_node (f, f->publisher);
  types = GTK_DROP_DOWN (_zs_inspector_get_editor (f->inspector, 0, "socket-type"));
  g_assert_nonnull (types);
  model = gtk_drop_down_get_model (types);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, ZS_SOCKET_N_TYPES);
  g_assert_cmpuint (dropdown_find (types, "n-types"), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (dropdown_text (types), ==, "PUB");
  for (guint i = 0; i < ZS_SOCKET_N_TYPES; i++)
    g_assert_cmpuint (dropdown_find (types, zs_socket_type_to_string (i)), !=, GTK_INVALID_LIST_POSITION);

  role = GTK_DROP_DOWN (_zs_inspector_get_editor (f->inspector, -1, "role"));
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (role)), ==, ZS_ROLE_N_ROLES);
  g_assert_cmpstr (dropdown_text (role), ==, zs_role_get_label (ZS_ROLE_PUBLISHER));

  chip = find_first (GTK_WIDGET (f->inspector), "zs-socket-badge");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (chip)), ==, "PUB");

  /* Picked from the list: the socket becomes XPUB, and so does the chip. */
  /* Scrolled down to the socket, as a user picking its type is. */
  zs_gui_test_wait_ms (100);
  scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (_zs_inspector_get_scroller (f->inspector)));
  gtk_adjustment_set_value (scroll, gtk_adjustment_get_upper (scroll) - gtk_adjustment_get_page_size (scroll));
  at = gtk_adjustment_get_value (scroll);
  g_assert_cmpfloat (at, >, 0);
  xpub = dropdown_find (types, "XPUB");
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (types)));
  gtk_drop_down_set_selected (types, xpub);
  zs_gui_test_iterate ();
  zs_gui_test_wait_ms (100);
  g_assert_cmpint (zs_socket_spec_get_socket_type (zs_node_get_socket (f->publisher, 0)), ==,
                   ZS_SOCKET_XPUB);
  chip = find_first (GTK_WIDGET (f->inspector), "zs-socket-badge");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (chip)), ==, "XPUB");
  types = GTK_DROP_DOWN (_zs_inspector_get_editor (f->inspector, 0, "socket-type"));
  g_assert_cmpstr (dropdown_text (types), ==, "XPUB");
  /* The form stays where the user is: same place, same focus. */
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), ==, at);
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (f->window)), GTK_WIDGET (types)) ||
                 gtk_root_get_focus (GTK_ROOT (f->window)) == GTK_WIDGET (types));
}

static void
assert_fields (Fixture            *f,
               int                 socket,
               const char * const *shown,
               const char * const *hidden)
{
  for (guint i = 0; shown[i] != NULL; i++)
    if (_zs_inspector_get_editor (f->inspector, socket, shown[i]) == NULL)
      g_error ("“%s” is not shown", shown[i]);
  for (guint i = 0; hidden[i] != NULL; i++)
    if (_zs_inspector_get_editor (f->inspector, socket, hidden[i]) != NULL)
      g_error ("“%s” is shown", hidden[i]);
}

/* Only the fields the role's program reads, and SUBSCRIBE only on SUB/XSUB. */
static void
test_role_fields (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) findings = NULL;
  GtkDropDown *role;

  select_node (f, f->subscriber);
  assert_fields (f, -1, (const char *[]) { "name", "role", "count", "idle-timeout-ms", "offline-ms", NULL },
                 (const char *[]) { "payload", "reply", "interval-ms", "sync-count", "wait-peers", NULL });
  assert_fields (f, 0, (const char *[]) { "subscribe", "rcvhwm", NULL }, (const char *[]) { NULL });

  select_node (f, f->publisher);
  assert_fields (f, -1, (const char *[]) { "payload", "count", "interval-ms", "sync-count", NULL },
                 (const char *[]) { "reply", "offline-ms", "idle-timeout-ms", "work-from-message", NULL });
  assert_fields (f, 0, (const char *[]) { "sndhwm", NULL }, (const char *[]) { "subscribe", NULL });
  /* A finding about a hidden field is still shown, with the node's own. */
  zs_socket_spec_set_subscribe (zs_node_get_socket (f->publisher, 0), (const char *[]) { "x", NULL });
  findings = zs_validate (f->topology);
  zs_canvas_set_findings (f->canvas, findings);
  zs_gui_test_iterate ();
  g_assert_nonnull (find_text (GTK_WIDGET (f->inspector), "SUBSCRIBE only applies to SUB and XSUB"));
  zs_canvas_set_findings (f->canvas, NULL);

  /* Another role, picked from the drop-down: other fields. */
  role = GTK_DROP_DOWN (_zs_inspector_get_editor (f->inspector, -1, "role"));
  gtk_drop_down_set_selected (role, dropdown_find (role, zs_role_get_label (ZS_ROLE_SERVER)));
  zs_gui_test_iterate ();
  g_assert_cmpint (zs_node_get_role (f->publisher), ==, ZS_ROLE_SERVER);
  assert_fields (f, -1, (const char *[]) { "reply", "work-ms", NULL },
                 (const char *[]) { "payload", "count", "sync-count", NULL });
}

/* As GTK delivers a wheel event to the widget under the pointer: down from
 * the window in the capture phase, then up in the bubble phase, until a
 * scroll controller handles it. */
static void
deliver_wheel (GtkWidget *target,
               double     dy)
{
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();

  for (GtkWidget *w = target; w != NULL; w = gtk_widget_get_parent (w))
    g_ptr_array_insert (chain, 0, w);
  for (int pass = 0; pass < 2; pass++)
    for (guint k = 0; k < chain->len; k++)
      {
        GtkWidget *widget = g_ptr_array_index (chain, pass == 0 ? k : chain->len - 1 - k);
        g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

        for (guint c = 0; c < g_list_model_get_n_items (controllers); c++)
          {
            g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, c);
            gboolean handled = FALSE;

            if (!GTK_IS_EVENT_CONTROLLER_SCROLL (controller) ||
                gtk_event_controller_get_propagation_phase (controller) !=
                (pass == 0 ? GTK_PHASE_CAPTURE : GTK_PHASE_BUBBLE))
              continue;
            g_signal_emit_by_name (controller, "scroll", 0.0, dy, &handled);
            if (handled)
              return;
          }
      }
}

/* The wheel over a number scrolls the form and leaves the number alone. */
static void
test_wheel_scrolls_form (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *spin, *under;
  GtkAdjustment *scroll;
  graphene_point_t center;
  double before;

  g_object_set (f->publisher, "count", 10, NULL);
  select_node (f, f->publisher);
  spin = _zs_inspector_get_editor (f->inspector, -1, "count");
  g_assert_true (GTK_IS_SPIN_BUTTON (spin));
  /* Laid out, and the form taller than its view. */
  zs_gui_test_wait_ms (100);
  scroll = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (_zs_inspector_get_scroller (f->inspector)));
  g_assert_cmpfloat (gtk_adjustment_get_upper (scroll), >, gtk_adjustment_get_page_size (scroll));
  before = gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin));
  g_assert_cmpfloat (before, ==, 10);

  g_assert_true (gtk_widget_compute_point (spin, f->window,
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (spin) / 4.0,
                                                                 gtk_widget_get_height (spin) / 2.0),
                                           &center));
  under = gtk_widget_pick (f->window, center.x, center.y, GTK_PICK_DEFAULT);
  g_assert_true (under == spin || gtk_widget_is_ancestor (under, spin));
  deliver_wheel (under, 1.0);

  g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, before);
  g_assert_cmpfloat (gtk_adjustment_get_value (scroll), >, 0.0);
}

/* An empty list and the empty prefix look different, and say what they mean. */
static void
test_empty_subscription (Fixture       *f,
                         gconstpointer  data)
{
  ZsSocketSpec *sub = zs_node_get_socket (f->subscriber, 0);
  GtkWidget *editor, *everything, *meaning;

  zs_socket_spec_set_subscribe (sub, (const char *[]) { NULL });
  select_node (f, f->subscriber);
  editor = _zs_inspector_get_editor (f->inspector, 0, "subscribe");
  g_assert_nonnull (editor);
  everything = g_object_get_data (G_OBJECT (editor), "zs-everything");
  meaning = g_object_get_data (G_OBJECT (editor), "zs-meaning");
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (everything)));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (meaning)), "Nothing subscribed"));

  /* The user ticks "Everything": the empty prefix, as libzmq needs it. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (everything), TRUE);
  zs_gui_test_iterate ();
  g_assert_cmpuint (g_strv_length ((char **) zs_socket_spec_get_subscribe (sub)), ==, 1);
  g_assert_cmpstr (zs_socket_spec_get_subscribe (sub)[0], ==, "");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (meaning)), ==, "Receives every message");

  /* A prefix typed, "Everything" off: only that prefix. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (g_object_get_data (G_OBJECT (editor), "zs-text-view")),
                            "10001 ", -1);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (everything), FALSE);
  zs_gui_test_iterate ();
  g_assert_cmpuint (g_strv_length ((char **) zs_socket_spec_get_subscribe (sub)), ==, 1);
  g_assert_cmpstr (zs_socket_spec_get_subscribe (sub)[0], ==, "10001 ");
}

/* As the window's Run and Stop do it for the canvas. */
static ZsRunSession *
start_run (Fixture *f)
{
  g_autoptr(ZsEngine) engine = zs_engine_new (f->topology);
  g_autoptr(ZsEngineSource) source = NULL;
  g_autoptr(GError) error = NULL;
  ZsRunSession *session;

  g_assert_true (zs_engine_start (engine, &error));
  g_assert_no_error (error);
  source = zs_engine_source_new (engine);
  session = zs_run_session_new (ZS_RUN_SOURCE (source));
  zs_canvas_set_running (f->canvas, TRUE);
  zs_canvas_set_session (f->canvas, session);
  return session;
}

static void
stop_run (Fixture      *f,
          ZsRunSession *session)
{
  zs_run_session_stop (session);
  zs_canvas_set_running (f->canvas, FALSE);
  zs_canvas_set_session (f->canvas, NULL);
  zs_gui_test_iterate ();
}

/* The inspector's figures are the tooltip's, to the digit, once the
 * subscriber has its five messages. */
static gboolean
live_figures_match (gpointer data)
{
  Fixture *f = data;
  const char *shown = _zs_inspector_get_live_text (f->inspector);
  g_autofree char *tooltip = zs_canvas_describe_live_node (f->canvas,
                                                           zs_topology_find_node_index (f->topology, f->subscriber));

  return shown != NULL && strstr (shown, "Received (all sockets, control messages included): 5\n") != NULL && g_strcmp0 (shown, tooltip) == 0;
}

static gboolean
link_figures_match (gpointer data)
{
  Fixture *f = data;
  const char *shown = _zs_inspector_get_live_text (f->inspector);
  g_autofree char *tooltip = zs_canvas_describe_live_link (f->canvas, 0);

  return shown != NULL && strstr (shown, "Sent: ") != NULL && g_strcmp0 (shown, tooltip) == 0;
}

/* During a run, the selection's exact figures, in the tooltip's own words,
 * instead of a locked form. */
static void
test_live_figures (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(ZsRunSession) session = NULL;
  GtkWidget *count;

  /* The publisher sends until stopped: a late subscription still gets five. */
  g_object_set (f->publisher, "count", 0, "interval-ms", 5, NULL);
  g_object_set (f->subscriber, "count", 5, NULL);
  select_node (f, f->subscriber);
  g_assert_null (_zs_inspector_get_live_text (f->inspector));
  count = _zs_inspector_get_editor (f->inspector, -1, "count");
  g_assert_true (gtk_widget_get_mapped (count));

  session = start_run (f);
  g_assert_false (gtk_widget_get_mapped (count));

  /* The subscriber's five end the run (the session ends a finished run
   * by itself, as the window did): the figures stay, the tooltip's. */
  g_assert_true (zs_gui_test_iterate_until (live_figures_match, f, 10000));

  /* A link selected: its figures, the tooltip's too. */
  zs_canvas_select_link (f->canvas, 0);
  zs_gui_test_iterate ();
  g_assert_true (zs_gui_test_iterate_until (link_figures_match, f, 10000));

  stop_run (f, session);
  select_node (f, f->subscriber);
  g_assert_null (_zs_inspector_get_live_text (f->inspector));
  g_assert_true (gtk_widget_get_mapped (_zs_inspector_get_editor (f->inspector, -1, "count")));
}

static gboolean
result_shown (gpointer data)
{
  Fixture *f = data;
  const char *shown = _zs_inspector_get_live_text (f->inspector);

  return shown != NULL && strstr (shown, "\nReceived 5 ") != NULL;
}

/* A subscriber of letters and numbers is not told about temperatures. */
static void
test_subscriber_result (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(ZsRunSession) session = NULL;

  zs_node_set_payload (f->publisher, (const char *[]) { "A {seq}", NULL });
  g_object_set (f->publisher, "count", 0, "interval-ms", 5, NULL);
  zs_socket_spec_set_subscribe (zs_node_get_socket (f->subscriber, 0), (const char *[]) { "A", NULL });
  g_object_set (f->subscriber, "count", 5, NULL);
  select_node (f, f->subscriber);

  session = start_run (f);
  g_assert_true (zs_gui_test_iterate_until (result_shown, f, 10000));
  g_assert_null (strstr (_zs_inspector_get_live_text (f->inspector), "temperature"));
  g_assert_nonnull (strstr (_zs_inspector_get_live_text (f->inspector), "\nReceived 5 messages; last: A "));

  stop_run (f, session);
}

#define ADD(path, func) \
  g_test_add ("/zmqscope/inspector/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

  ADD ("socket-type-names", test_socket_type_names);
  ADD ("role-fields", test_role_fields);
  ADD ("wheel-scrolls-form", test_wheel_scrolls_form);
  ADD ("empty-subscription", test_empty_subscription);
  ADD ("live-figures", test_live_figures);
  ADD ("subscriber-result", test_subscriber_result);

  return g_test_run ();
}
