/* zs-event-list.c: what happened in a run, one row an event
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GtkListView over a list model that reads the session's recording on
 * demand: only the rows in view exist, so a run with the recording's
 * 10 000 events costs what a run with twenty does. */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "zs-event-list.h"

/* ---- one event, as a row shows it ---- */

#define ZS_TYPE_EVENT_ROW (zs_event_row_get_type ())
G_DECLARE_FINAL_TYPE (ZsEventRow, zs_event_row, ZS, EVENT_ROW, GObject)

struct _ZsEventRow
{
  GObject   parent_instance;
  gint64    time_us;
  gboolean  alarming;   /* drops, failures: shown in red */
  char     *cells[5];   /* time, node, link, what happened; NULL */
};

G_DEFINE_FINAL_TYPE (ZsEventRow, zs_event_row, G_TYPE_OBJECT)

static void
zs_event_row_finalize (GObject *object)
{
  ZsEventRow *self = ZS_EVENT_ROW (object);

  for (guint i = 0; self->cells[i] != NULL; i++)
    g_free (self->cells[i]);
  G_OBJECT_CLASS (zs_event_row_parent_class)->finalize (object);
}

static void
zs_event_row_class_init (ZsEventRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zs_event_row_finalize;
}

static void
zs_event_row_init (ZsEventRow *self)
{
}

/* "12 dropped", "failed: address in use", "connected" */
static char *
dup_event_what (const ZsRunEvent *event)
{
  const char *what = zs_run_event_kind_to_string (event->kind);

  if (event->kind == ZS_RUN_EVENT_DROPPED)
    return g_strdup_printf (ngettext ("%" PRIu64 " dropped", "%" PRIu64 " dropped",
                                      event->count > 1000000 ? 1000000 : (gulong) event->count),
                            (uint64_t) event->count);
  if (event->text != NULL)
    return g_strdup_printf ("%s: %s", what, event->text);
  return g_strdup (what);
}

static ZsEventRow *
zs_event_row_new (ZsTopology       *topology,
                  const ZsRunEvent *event)
{
  ZsEventRow *self = g_object_new (ZS_TYPE_EVENT_ROW, NULL);
  GPtrArray *links = zs_topology_get_links (topology);

  self->time_us = event->time_us;
  self->alarming = event->kind == ZS_RUN_EVENT_DROPPED || event->kind == ZS_RUN_EVENT_NODE_FAILED
                   || event->kind == ZS_RUN_EVENT_RUN_STOPPED;
  self->cells[0] = g_strdup_printf (_("%.2f s"), event->time_us / (double) G_USEC_PER_SEC);
  self->cells[1] = g_strdup (event->node >= 0 && (guint) event->node < zs_topology_get_n_nodes (topology)
                             ? zs_node_get_name (zs_topology_get_node (topology, event->node)) : "");
  self->cells[2] = event->link >= 0 && (guint) event->link < links->len
                   ? zs_topology_dup_link_name (topology, g_ptr_array_index (links, event->link)) : g_strdup ("");
  self->cells[3] = dup_event_what (event);
  return self;
}

/* ---- the recording's events as a list model ---- */

#define ZS_TYPE_EVENT_ROWS (zs_event_rows_get_type ())
G_DECLARE_FINAL_TYPE (ZsEventRows, zs_event_rows, ZS, EVENT_ROWS, GObject)

struct _ZsEventRows
{
  GObject        parent_instance;
  ZsRunSession  *session;     /* NULL: empty */
  guint64        n_dropped;   /* the recording's dropped events when last looked at */
  guint          n_items;
};

static GType
zs_event_rows_get_item_type (GListModel *model)
{
  return ZS_TYPE_EVENT_ROW;
}

static guint
zs_event_rows_get_n_items (GListModel *model)
{
  return ZS_EVENT_ROWS (model)->n_items;
}

static gpointer
zs_event_rows_get_item (GListModel *model,
                        guint       position)
{
  ZsEventRows *self = ZS_EVENT_ROWS (model);
  guint n_events;
  const ZsRunEvent *events;

  if (position >= self->n_items)
    return NULL;
  events = zs_recording_get_events (zs_run_session_get_recording (self->session), &n_events);
  g_return_val_if_fail (position < n_events, NULL);
  return zs_event_row_new (zs_run_session_get_topology (self->session), &events[position]);
}

static void
zs_event_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = zs_event_rows_get_item_type;
  iface->get_n_items = zs_event_rows_get_n_items;
  iface->get_item = zs_event_rows_get_item;
}

G_DEFINE_FINAL_TYPE_WITH_CODE (ZsEventRows, zs_event_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, zs_event_rows_list_model_init))

static void
zs_event_rows_dispose (GObject *object)
{
  g_clear_object (&ZS_EVENT_ROWS (object)->session);
  G_OBJECT_CLASS (zs_event_rows_parent_class)->dispose (object);
}

static void
zs_event_rows_class_init (ZsEventRowsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = zs_event_rows_dispose;
}

static void
zs_event_rows_init (ZsEventRows *self)
{
}

/* Catches up with the recording: appends what it recorded since, or
 * starts over when its oldest events went past its cap. */
static void
zs_event_rows_update (ZsEventRows  *self,
                      ZsRunSession *session)
{
  guint old = self->n_items;
  guint n_events = 0;
  guint64 n_dropped = 0;

  if (session != NULL)
    {
      ZsRecording *recording = zs_run_session_get_recording (session);

      zs_recording_get_events (recording, &n_events);
      n_dropped = zs_recording_get_n_events_dropped (recording);
    }
  if (session != self->session || n_dropped != self->n_dropped || n_events < old)
    {
      g_set_object (&self->session, session);
      self->n_dropped = n_dropped;
      self->n_items = n_events;
      if (old > 0 || n_events > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, old, n_events);
      return;
    }
  self->n_items = n_events;
  if (n_events > old)
    g_list_model_items_changed (G_LIST_MODEL (self), old, 0, n_events - old);
}

/* ---- the page ---- */

struct _ZsEventList
{
  GtkWidget           parent_instance;

  GtkStack           *stack;       /* "placeholder" or "events" */
  GtkListView        *view;
  GtkSingleSelection *selection;
  ZsEventRows        *rows;
  ZsRunSession       *session;
  gboolean            selecting;   /* the selection follows the cursor: not a click */
};

G_DEFINE_FINAL_TYPE (ZsEventList, zs_event_list, GTK_TYPE_WIDGET)

static const int cell_widths[] = { 8, 18, 40, 16 };

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  for (guint i = 0; i < G_N_ELEMENTS (cell_widths); i++)
    {
      GtkWidget *label = gtk_label_new (NULL);
      gboolean last = i + 1 == G_N_ELEMENTS (cell_widths);

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_width_chars (GTK_LABEL (label), cell_widths[i]);
      /* Columns: each cell as wide as its column, whatever its text. */
      if (!last)
        gtk_label_set_max_width_chars (GTK_LABEL (label), cell_widths[i]);
      gtk_widget_set_hexpand (label, last);
      gtk_box_append (GTK_BOX (box), label);
    }
  gtk_list_item_set_child (item, box);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  ZsEventRow *row = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  guint i = 0;

  for (GtkWidget *label = gtk_widget_get_first_child (box); label != NULL;
       label = gtk_widget_get_next_sibling (label))
    gtk_label_set_label (GTK_LABEL (label), row->cells[i++]);
  if (row->alarming)
    gtk_widget_add_css_class (box, "error");
  else
    gtk_widget_remove_css_class (box, "error");
}

static gint64
event_time_us (ZsEventList *self,
               guint        position)
{
  g_autoptr(ZsEventRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);

  return row != NULL ? row->time_us : 0;
}

/* The selected row in view. */
static void
scroll_to_selected (ZsEventList *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->view));
  double upper, row;

  if (position == GTK_INVALID_LIST_POSITION || !gtk_widget_get_mapped (GTK_WIDGET (self->view)))
    return;
  /* Rows are alike: the row's place is its share of the list's height.
   * (GTK 4.8's list.scroll-to-item loses the rows of a long list.) */
  upper = gtk_adjustment_get_upper (adjustment);
  row = upper / MAX (self->rows->n_items, 1);
  gtk_adjustment_clamp_page (adjustment, position * row, MIN ((position + 1) * row, upper));
}

static gboolean
scroll_after_first_frame_cb (GtkWidget     *view,
                             GdkFrameClock *clock,
                             gpointer       data)
{
  scroll_to_selected (ZS_EVENT_LIST (data));
  return G_SOURCE_REMOVE;
}

/* Shown again (its page picked): the selected row in view, once the list
 * has its size. */
static void
on_view_map_cb (ZsEventList *self)
{
  gtk_widget_add_tick_callback (GTK_WIDGET (self->view), scroll_after_first_frame_cb, self, NULL);
}

static void
select_position (ZsEventList *self,
                 guint        position)
{
  self->selecting = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->selecting = FALSE;
  scroll_to_selected (self);
}

/* Shown in the past, the last event at or before the cursor is selected
 * (a row clicked keeps its selection among the events of its moment). */
static void
select_cursor_row (ZsEventList *self)
{
  gint64 cursor_us = zs_run_session_get_cursor_us (self->session);
  guint selected = gtk_single_selection_get_selected (self->selection);
  guint n_events;
  const ZsRunEvent *events = zs_recording_get_events (zs_run_session_get_recording (self->session), &n_events);
  guint low = 0, high = MIN (n_events, self->rows->n_items);

  if (zs_run_session_is_following (self->session))
    return;
  if (selected != GTK_INVALID_LIST_POSITION && selected < high && events[selected].time_us == cursor_us)
    return;
  /* The first event after the cursor. */
  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (events[mid].time_us <= cursor_us)
        low = mid + 1;
      else
        high = mid;
    }
  select_position (self, low == 0 ? GTK_INVALID_LIST_POSITION : low - 1);
}

static void
update_rows (ZsEventList *self)
{
  zs_event_rows_update (self->rows, self->session);
  gtk_stack_set_visible_child_name (self->stack, self->rows->n_items > 0 ? "events" : "placeholder");
  if (self->session != NULL)
    select_cursor_row (self);
}

static void
show_event (ZsEventList *self,
            guint        position)
{
  if (self->session != NULL && position < self->rows->n_items)
    zs_run_session_set_cursor_us (self->session, event_time_us (self, position));
}

static void
on_activate_cb (ZsEventList *self,
                guint        position)
{
  show_event (self, position);
}

/* A click selects: the cursor goes to that event. */
static void
on_selection_changed_cb (ZsEventList *self)
{
  if (!self->selecting)
    show_event (self, gtk_single_selection_get_selected (self->selection));
}

void
zs_event_list_set_session (ZsEventList  *self,
                           ZsRunSession *session)
{
  g_return_if_fail (ZS_IS_EVENT_LIST (self));
  g_return_if_fail (session == NULL || ZS_IS_RUN_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "updated", G_CALLBACK (update_rows), self, G_CONNECT_SWAPPED);
  update_rows (self);
}

GtkListView *
zs_event_list_get_view (ZsEventList *self)
{
  g_return_val_if_fail (ZS_IS_EVENT_LIST (self), NULL);

  return self->view;
}

guint
zs_event_list_get_n_events (ZsEventList *self)
{
  g_return_val_if_fail (ZS_IS_EVENT_LIST (self), 0);

  return self->rows->n_items;
}

char *
zs_event_list_dup_text (ZsEventList *self,
                        guint        position)
{
  g_autoptr(ZsEventRow) row = NULL;

  g_return_val_if_fail (ZS_IS_EVENT_LIST (self), NULL);

  row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  if (row == NULL)
    return NULL;
  return g_strjoinv (" ", row->cells);
}

guint
zs_event_list_get_selected (ZsEventList *self)
{
  g_return_val_if_fail (ZS_IS_EVENT_LIST (self), GTK_INVALID_LIST_POSITION);

  return gtk_single_selection_get_selected (self->selection);
}

GtkWidget *
zs_event_list_new (void)
{
  return g_object_new (ZS_TYPE_EVENT_LIST, NULL);
}

static void
zs_event_list_dispose (GObject *object)
{
  ZsEventList *self = ZS_EVENT_LIST (object);

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  if (self->stack != NULL)
    gtk_widget_unparent (GTK_WIDGET (self->stack));
  self->stack = NULL;
  g_clear_object (&self->rows);

  G_OBJECT_CLASS (zs_event_list_parent_class)->dispose (object);
}

static void
zs_event_list_class_init (ZsEventListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zs_event_list_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "zs-event-list");
}

static void
zs_event_list_init (ZsEventList *self)
{
  GtkWidget *placeholder = gtk_label_new (_("Events of a run show here: connections, first messages, HWM reached, drops, nodes done or failed."));
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_set_valign (placeholder, GTK_ALIGN_START);
  gtk_widget_add_css_class (placeholder, "dim-label");

  self->rows = g_object_new (ZS_TYPE_EVENT_ROWS, NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (on_selection_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  self->view = GTK_LIST_VIEW (gtk_list_view_new (GTK_SELECTION_MODEL (self->selection), factory));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Events of the run"), -1);
  g_signal_connect_object (self->view, "activate", G_CALLBACK (on_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->view, "map", G_CALLBACK (on_view_map_cb), self, G_CONNECT_SWAPPED);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 230);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->view));

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_stack_add_named (self->stack, placeholder, "placeholder");
  gtk_stack_add_named (self->stack, scrolled, "events");
  gtk_widget_set_parent (GTK_WIDGET (self->stack), GTK_WIDGET (self));
}
