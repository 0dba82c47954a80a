/* zs-compare-dialog.c: Compare…: one run per variant, figures side by side
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-compare-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-compare-dialog.h"

struct _ZsCompareDialog
{
  GtkWindow      parent_instance;

  GtkDropDown   *key_dropdown;
  GtkDropDown   *node_dropdown;
  GtkEntry      *values_entry;
  GtkSpinButton *seconds_spin;
  GtkButton     *compare_button;
  GtkLabel      *status_label;
  GtkGrid       *table;
  GtkDrawingArea *chart;

  ZsTopology    *topology;
  ZsComparison  *comparison;
  GCancellable  *cancellable;
  gint64         started_us;
};

G_DEFINE_FINAL_TYPE (ZsCompareDialog, zs_compare_dialog, GTK_TYPE_WINDOW)

typedef struct {
  const char *key;
  const char *label;
  const char *example;
  gboolean    per_node;
} KeyChoice;

static const KeyChoice keys[] = {
  { "hwm", N_("HWM (SNDHWM and RCVHWM)"), "2,100,1000", TRUE },
  { "transport", N_("Transport"), "inproc,ipc,tcp", TRUE },
  { "bind", N_("Who binds"), "as-is,flipped", TRUE },
  { "sndhwm", N_("SNDHWM"), "2,100,1000", TRUE },
  { "rcvhwm", N_("RCVHWM"), "2,100,1000", TRUE },
  { "workers", N_("Number of workers"), "1,2,4", FALSE },
};

#define CHART_ROW_HEIGHT 48.0
#define CHART_BAR_HEIGHT 18.0
#define CHART_LABEL_WIDTH 180.0

static const GdkRGBA rate_blue = { 0.21, 0.52, 0.89, 1 };
static const GdkRGBA drop_red = { 0.88, 0.11, 0.14, 1 };

static const KeyChoice *
selected_key (ZsCompareDialog *self)
{
  return &keys[MIN (gtk_drop_down_get_selected (self->key_dropdown), G_N_ELEMENTS (keys) - 1)];
}

static void
on_key_selected_cb (ZsCompareDialog *self)
{
  const KeyChoice *key = selected_key (self);

  gtk_entry_set_placeholder_text (self->values_entry, key->example);
  gtk_widget_set_sensitive (GTK_WIDGET (self->node_dropdown), key->per_node);
}

/* "hwm@worker-1=2,100" from the form. */
static char *
dup_spec (ZsCompareDialog *self)
{
  const KeyChoice *key = selected_key (self);
  guint node = gtk_drop_down_get_selected (self->node_dropdown);
  const char *values = gtk_editable_get_text (GTK_EDITABLE (self->values_entry));

  if (values[0] == '\0')
    values = key->example;
  if (key->per_node && node > 0 && node != GTK_INVALID_LIST_POSITION)
    return g_strdup_printf ("%s@%s=%s", key->key,
                            zs_node_get_name (zs_topology_get_node (self->topology, node - 1)), values);
  return g_strdup_printf ("%s=%s", key->key, values);
}

static void
set_status (ZsCompareDialog *self,
            const char      *text,
            gboolean         error)
{
  gtk_label_set_label (self->status_label, text);
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* ---- the table and the chart ------------------------------------------------- */

static void
put_cell (ZsCompareDialog *self,
          const char      *text,
          int              column,
          int              row,
          gboolean         number)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), number ? 1 : 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (row == 0)
    gtk_widget_add_css_class (label, "heading");
  if (number)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (self->table, label, column, row, 1, 1);
}

/* Milliseconds, or "—" for none (negative). */
static void
put_ms (ZsCompareDialog *self,
        double           ms,
        int              column,
        int              line)
{
  char text[32];

  if (ms < 0)
    g_strlcpy (text, "—", sizeof text);
  else
    g_snprintf (text, sizeof text, ms < 10 ? "%.3f ms" : "%.1f ms", ms);
  put_cell (self, text, column, line, TRUE);
}

static void
put_row (ZsCompareDialog       *self,
         const ZsComparisonRow *row,
         int                    line)
{
  char text[64];

  put_cell (self, row->name, 0, line, FALSE);
  if (row->snapshot == NULL)
    {
      g_autofree char *why = g_strdup_printf (row->error != NULL ? _("did not run: %s") : _("waiting"),
                                              row->error);
      put_cell (self, why, 1, line, FALSE);
      return;
    }
  g_snprintf (text, sizeof text, "%.2f s", row->seconds);
  put_cell (self, text, 1, line, TRUE);
  g_snprintf (text, sizeof text, "%.1f", zs_comparison_row_rate (row));
  put_cell (self, text, 2, line, TRUE);
  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, zs_comparison_row_dropped (row));
  put_cell (self, text, 3, line, TRUE);
  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, zs_comparison_row_missed (row));
  put_cell (self, text, 4, line, TRUE);
  if (row->peak_rss > 0)
    g_snprintf (text, sizeof text, "%.1f MiB", row->peak_rss / (1024.0 * 1024));
  else
    g_strlcpy (text, "?", sizeof text);
  put_cell (self, text, 5, line, TRUE);
  put_ms (self, zs_comparison_row_first_message_ms (row), 6, line);
  put_ms (self, row->snapshot->latency.samples > 0 ? row->snapshot->latency.p50_us / 1000 : -1, 7, line);
  put_ms (self, row->snapshot->latency.samples > 0 ? row->snapshot->latency.p99_us / 1000 : -1, 8, line);
  if (row->error != NULL)
    put_cell (self, row->error, 9, line, FALSE);
}

static void
fill_table (ZsCompareDialog *self)
{
  GtkWidget *child;
  guint n_rows = zs_comparison_get_n_rows (self->comparison);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->table))) != NULL)
    gtk_grid_remove (self->table, child);
  put_cell (self, _("Variant"), 0, 0, FALSE);
  put_cell (self, _("Ran"), 1, 0, TRUE);
  put_cell (self, _("Received msg/s"), 2, 0, TRUE);
  put_cell (self, _("Dropped"), 3, 0, TRUE);
  put_cell (self, _("Missed"), 4, 0, TRUE);
  put_cell (self, _("Peak memory"), 5, 0, TRUE);
  put_cell (self, _("First message"), 6, 0, TRUE);
  put_cell (self, _("Latency p50"), 7, 0, TRUE);
  put_cell (self, _("p99"), 8, 0, TRUE);
  for (guint r = 0; r < n_rows; r++)
    put_row (self, zs_comparison_get_row (self->comparison, r), r + 1);
  gtk_drawing_area_set_content_height (self->chart, (int) (CHART_ROW_HEIGHT * n_rows));
  gtk_widget_queue_draw (GTK_WIDGET (self->chart));
}

/* A bar of `fraction` of `width`, its figure written after it (or inside
 * its end when there is no room). */
static void
bar (GtkWidget  *widget,
     cairo_t    *cr,
     double      y,
     double      width,
     double      fraction,
     const char *figure,
     const GdkRGBA *color)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, figure);
  double length = MAX (fraction * width, fraction > 0 ? 2 : 0);
  int text_width, text_height;
  double x;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_rectangle (cr, CHART_LABEL_WIDTH, y, length, CHART_BAR_HEIGHT);
  cairo_fill (cr);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  x = CHART_LABEL_WIDTH + length + 4;
  if (x + text_width > CHART_LABEL_WIDTH + width)
    {
      x = CHART_LABEL_WIDTH + length - text_width - 4;
      cairo_set_source_rgb (cr, 1, 1, 1);
    }
  else
    cairo_set_source_rgb (cr, 0.2, 0.2, 0.22);
  cairo_move_to (cr, x, y + (CHART_BAR_HEIGHT - text_height) / 2);
  pango_cairo_show_layout (cr, layout);
}

/* Per variant: its msg/s (blue) and drops (red), each against the
 * largest of all variants. */
static void
draw_chart (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        data)
{
  ZsCompareDialog *self = data;
  double max_rate = 0, max_drops = 0, bar_width = MAX (10, width - CHART_LABEL_WIDTH - 8);
  guint n_rows;

  if (self->comparison == NULL)
    return;
  n_rows = zs_comparison_get_n_rows (self->comparison);
  for (guint r = 0; r < n_rows; r++)
    {
      const ZsComparisonRow *row = zs_comparison_get_row (self->comparison, r);

      if (row->snapshot == NULL)
        continue;
      max_rate = MAX (max_rate, zs_comparison_row_rate (row));
      max_drops = MAX (max_drops, zs_comparison_row_dropped (row));
    }
  for (guint r = 0; r < n_rows; r++)
    {
      const ZsComparisonRow *row = zs_comparison_get_row (self->comparison, r);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), row->name);
      double y = r * CHART_ROW_HEIGHT;
      char figure[64], count[24];

      pango_layout_set_width (layout, (int) (CHART_LABEL_WIDTH - 8) * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      cairo_set_source_rgb (cr, 0.2, 0.2, 0.22);
      cairo_move_to (cr, 0, y + 6);
      pango_cairo_show_layout (cr, layout);
      if (row->snapshot == NULL)
        continue;
      g_snprintf (figure, sizeof figure, _("%.1f msg/s"), zs_comparison_row_rate (row));
      bar (GTK_WIDGET (area), cr, y + 2, bar_width,
           max_rate > 0 ? zs_comparison_row_rate (row) / max_rate : 0, figure, &rate_blue);
      g_snprintf (count, sizeof count, "%" G_GUINT64_FORMAT, zs_comparison_row_dropped (row));
      g_snprintf (figure, sizeof figure, _("%s dropped"), count);
      bar (GTK_WIDGET (area), cr, y + 4 + CHART_BAR_HEIGHT, bar_width,
           max_drops > 0 ? zs_comparison_row_dropped (row) / max_drops : 0, figure, &drop_red);
    }
}

/* ---- running ---------------------------------------------------------------------- */

static void
on_row_done_cb (ZsComparison    *comparison,
                guint            row,
                ZsCompareDialog *self)
{
  g_autofree char *text = g_strdup_printf (_("Ran %u of %u variants…"), row + 1,
                                           zs_comparison_get_n_rows (comparison));

  set_status (self, text, FALSE);
  fill_table (self);
}

static void
set_running (ZsCompareDialog *self,
             gboolean         running)
{
  gtk_button_set_label (self->compare_button, running ? _("_Stop") : _("_Compare"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->key_dropdown), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->values_entry), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->seconds_spin), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->node_dropdown), !running && selected_key (self)->per_node);
}

static void
on_run_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  g_autoptr(ZsCompareDialog) self = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_clear_object (&self->cancellable);
  set_running (self, FALSE);
  if (!zs_comparison_run_finish (ZS_COMPARISON (source), result, &error))
    text = g_strdup (_("Stopped: the variants not run yet have no figures."));
  else
    text = g_strdup_printf (_("Done: %u variants in %.1f s. Counts are exact; latencies are of sampled "
                              "messages, each within 13 %%; peak memory is the whole app's."),
                            zs_comparison_get_n_rows (ZS_COMPARISON (source)),
                            (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC);
  set_status (self, text, FALSE);
  fill_table (self);
}

static void
start_comparison (ZsCompareDialog *self)
{
  g_autofree char *spec = dup_spec (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) axes = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_variant_axis_free);
  ZsVariantAxis *axis = zs_variant_axis_parse (spec, &error);

  if (axis == NULL)
    {
      set_status (self, error->message, TRUE);
      return;
    }
  g_ptr_array_add (axes, axis);
  g_clear_object (&self->comparison);
  self->comparison = zs_comparison_new (self->topology, axes, gtk_spin_button_get_value (self->seconds_spin));
  g_signal_connect_object (self->comparison, "row-done", G_CALLBACK (on_row_done_cb), self, 0);
  self->cancellable = g_cancellable_new ();
  self->started_us = g_get_monotonic_time ();
  set_status (self, _("Running the first variant…"), FALSE);
  set_running (self, TRUE);
  fill_table (self);
  zs_comparison_run_async (self->comparison, self->cancellable, on_run_done_cb, g_object_ref (self));
}

static void
on_compare_clicked_cb (ZsCompareDialog *self)
{
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  else
    start_comparison (self);
}

/* ---- GObject ------------------------------------------------------------------------ */

static GListModel *
key_labels (void)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_string_list_append (list, _(keys[i].label));
  return G_LIST_MODEL (list);
}

static GListModel *
node_names (ZsTopology *topology)
{
  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, _("every node"));
  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    gtk_string_list_append (list, zs_node_get_name (zs_topology_get_node (topology, i)));
  return G_LIST_MODEL (list);
}

static gboolean
on_close_request_cb (ZsCompareDialog *self)
{
  /* Closing stops the run in progress; the engines end with it. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  return FALSE;
}

static void
zs_compare_dialog_dispose (GObject *object)
{
  ZsCompareDialog *self = ZS_COMPARE_DIALOG (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->comparison);
  g_clear_object (&self->topology);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZS_TYPE_COMPARE_DIALOG);
  G_OBJECT_CLASS (zs_compare_dialog_parent_class)->dispose (object);
}

static void
zs_compare_dialog_class_init (ZsCompareDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = zs_compare_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/org/zmqscope/Zmqscope/zs-compare-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ZsCompareDialog, key_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZsCompareDialog, node_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZsCompareDialog, values_entry);
  gtk_widget_class_bind_template_child (widget_class, ZsCompareDialog, seconds_spin);
  gtk_widget_class_bind_template_child (widget_class, ZsCompareDialog, compare_button);
  gtk_widget_class_bind_template_child (widget_class, ZsCompareDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, ZsCompareDialog, table);
  gtk_widget_class_bind_template_child (widget_class, ZsCompareDialog, chart);
}

static void
zs_compare_dialog_init (ZsCompareDialog *self)
{
  g_autoptr(GListModel) labels = key_labels ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->key_dropdown, labels);
  g_signal_connect_swapped (self->key_dropdown, "notify::selected", G_CALLBACK (on_key_selected_cb), self);
  g_signal_connect_swapped (self->compare_button, "clicked", G_CALLBACK (on_compare_clicked_cb), self);
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request_cb), NULL);
  gtk_drawing_area_set_draw_func (self->chart, draw_chart, self, NULL);
  gtk_window_set_default_widget (GTK_WINDOW (self), GTK_WIDGET (self->compare_button));
  on_key_selected_cb (self);
}

ZsCompareDialog *
zs_compare_dialog_new (GtkWindow  *parent,
                       ZsTopology *topology)
{
  ZsCompareDialog *self;
  g_autoptr(GListModel) names = NULL;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);

  self = g_object_new (ZS_TYPE_COMPARE_DIALOG, "transient-for", parent, NULL);
  self->topology = zs_topology_copy (topology);
  names = node_names (self->topology);
  gtk_drop_down_set_model (self->node_dropdown, names);
  return self;
}

ZsComparison *
zs_compare_dialog_get_comparison (ZsCompareDialog *self)
{
  g_return_val_if_fail (ZS_IS_COMPARE_DIALOG (self), NULL);
  return self->comparison;
}
