/* zs-event-list.c: what happened in a run, one row an event
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>
#include <inttypes.h>

#include "zs-event-list.h"

struct _ZsEventList
{
  GtkWidget      parent_instance;

  GtkWidget     *scrolled;
  GtkListBox    *list;
  ZsRunSession  *session;
  /* What the rows show: the recording's events from the first kept one. */
  guint64        n_dropped;
  guint          n_shown;
};

G_DEFINE_FINAL_TYPE (ZsEventList, zs_event_list, GTK_TYPE_WIDGET)

/* The time of each row, for activation. */
#define ROW_TIME_KEY "zs-event-time-us"

static GtkWidget *
cell_new (const char *text,
          int         width_chars,
          gboolean    expand)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (GTK_LABEL (label), width_chars);
  /* Columns: each cell as wide as its column, whatever its text. */
  if (!expand)
    gtk_label_set_max_width_chars (GTK_LABEL (label), width_chars);
  gtk_widget_set_hexpand (label, expand);
  return label;
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

static GtkWidget *
row_new (ZsTopology       *topology,
         const ZsRunEvent *event)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GPtrArray *links = zs_topology_get_links (topology);
  g_autofree char *time = g_strdup_printf (_("%.2f s"), event->time_us / (double) G_USEC_PER_SEC);
  g_autofree char *link = NULL;
  g_autofree char *what = dup_event_what (event);
  const char *node = "";

  if (event->node >= 0 && (guint) event->node < zs_topology_get_n_nodes (topology))
    node = zs_node_get_name (zs_topology_get_node (topology, event->node));
  if (event->link >= 0 && (guint) event->link < links->len)
    link = zs_topology_dup_link_name (topology, g_ptr_array_index (links, event->link));

  gtk_box_append (GTK_BOX (box), cell_new (time, 8, FALSE));
  gtk_box_append (GTK_BOX (box), cell_new (node, 18, FALSE));
  gtk_box_append (GTK_BOX (box), cell_new (link != NULL ? link : "", 40, FALSE));
  gtk_box_append (GTK_BOX (box), cell_new (what, 16, TRUE));
  if (event->kind == ZS_RUN_EVENT_DROPPED || event->kind == ZS_RUN_EVENT_NODE_FAILED ||
      event->kind == ZS_RUN_EVENT_RUN_STOPPED)
    gtk_widget_add_css_class (box, "error");
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), ROW_TIME_KEY, g_memdup2 (&event->time_us, sizeof (gint64)), g_free);
  return row;
}

static void
clear_rows (ZsEventList *self)
{
  GtkListBoxRow *row;

  while ((row = gtk_list_box_get_row_at_index (self->list, 0)) != NULL)
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
  self->n_shown = 0;
  self->n_dropped = 0;
}

static gint64
get_row_time_us (GtkListBoxRow *row)
{
  return *(const gint64 *) g_object_get_data (G_OBJECT (row), ROW_TIME_KEY);
}

/* The row in view, once it has a place in the list. */
static void
scroll_to_row (ZsEventList   *self,
               GtkListBoxRow *row)
{
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scrolled));
  graphene_rect_t bounds;

  if (gtk_widget_compute_bounds (GTK_WIDGET (row), GTK_WIDGET (self->list), &bounds))
    gtk_adjustment_clamp_page (adjustment, bounds.origin.y, bounds.origin.y + bounds.size.height);
}

/* Shown in the past, the last event at or before the cursor is selected
 * (a row clicked keeps its selection among the events of its moment). */
static void
select_cursor_row (ZsEventList      *self,
                   const ZsRunEvent *events)
{
  gint64 cursor_us = zs_run_session_get_cursor_us (self->session);
  GtkListBoxRow *selected = gtk_list_box_get_selected_row (self->list);
  guint low = 0, high = self->n_shown;

  if (zs_run_session_is_following (self->session))
    return;
  if (selected != NULL && get_row_time_us (selected) == cursor_us)
    {
      scroll_to_row (self, selected);
      return;
    }
  /* The first event after the cursor. */
  while (low < high)
    {
      guint mid = low + (high - low) / 2;

      if (events[mid].time_us <= cursor_us)
        low = mid + 1;
      else
        high = mid;
    }
  if (low == 0)
    {
      gtk_list_box_unselect_all (self->list);
      return;
    }
  selected = gtk_list_box_get_row_at_index (self->list, (int) low - 1);
  gtk_list_box_select_row (self->list, selected);
  scroll_to_row (self, selected);
}

/* Appends the events recorded since the last update; starts over when
 * the oldest went past the recording's cap. */
static void
update_rows (ZsEventList *self)
{
  ZsRecording *recording = zs_run_session_get_recording (self->session);
  ZsTopology *topology = zs_run_session_get_topology (self->session);
  guint n_events;
  const ZsRunEvent *events = zs_recording_get_events (recording, &n_events);
  guint64 n_dropped = zs_recording_get_n_events_dropped (recording);

  if (n_dropped != self->n_dropped || n_events < self->n_shown)
    clear_rows (self);
  self->n_dropped = n_dropped;
  for (; self->n_shown < n_events; self->n_shown++)
    gtk_list_box_append (self->list, row_new (topology, &events[self->n_shown]));
  select_cursor_row (self, events);
}

static void
on_row_activated_cb (ZsEventList   *self,
                     GtkListBoxRow *row)
{
  if (self->session != NULL)
    zs_run_session_set_cursor_us (self->session, get_row_time_us (row));
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
  clear_rows (self);
  if (session == NULL)
    return;
  g_signal_connect_object (session, "updated", G_CALLBACK (update_rows), self, G_CONNECT_SWAPPED);
  update_rows (self);
}

GtkListBox *
zs_event_list_get_list_box (ZsEventList *self)
{
  g_return_val_if_fail (ZS_IS_EVENT_LIST (self), NULL);

  return self->list;
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
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);

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

  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_add_css_class (placeholder, "dim-label");
  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_SINGLE);
  gtk_list_box_set_placeholder (self->list, placeholder);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Events of the run"), -1);
  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (on_row_activated_cb), self,
                           G_CONNECT_SWAPPED);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (self->scrolled), 230);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), GTK_WIDGET (self->list));
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}
