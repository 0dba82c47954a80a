/* zs-charts.c: three stacked time charts (messages/s, queue depth, drops)
 * of the selected nodes and links, copied from the live model at 4 Hz
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-charts"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "zs-charts-private.h"
#include "zs-widgets-private.h"

#define REFRESH_MS      250       /* the model samples at 4 Hz */
#define SAMPLE_US       250000
#define AXIS_WIDTH      52        /* y labels, left of the plot area */
#define TITLE_HEIGHT    18
#define TIME_AXIS       16        /* time labels, under the last chart */

typedef enum {
  METRIC_RATE,
  METRIC_IN_FLIGHT,
  METRIC_DROPS,
  N_METRICS
} Metric;

typedef struct {
  gboolean      is_link;
  guint         index;
  char         *name;
  GdkRGBA       color;
  ZsLiveSample *samples;        /* into ZsCharts.buffer: ZS_LIVE_HISTORY_LENGTH */
  guint         n_samples;
} Series;

struct _ZsCharts
{
  GtkWidget     parent_instance;

  GtkWidget    *legend;
  GtkWidget    *stack;
  GtkWidget    *plots_box;
  GtkWidget    *window_1;
  GtkWidget    *window_5;
  GtkWidget    *plots[N_METRICS];

  ZsLiveModel  *model;
  GArray       *selected_nodes;  /* int, as given */
  GArray       *selected_links;
  Series        series[ZS_CHARTS_MAX_SERIES];
  guint         n_series;
  guint         n_hidden;        /* selected beyond ZS_CHARTS_MAX_SERIES */
  ZsLiveSample *buffer;          /* n_series x ZS_LIVE_HISTORY_LENGTH, sized per selection */

  guint         window_s;
  gint64        now_us;          /* the newest sample: the right edge */
  double        y_max[N_METRICS];
  gboolean      dirty;           /* selection, window or model changed */
  guint         refresh_id;
  guint         n_drawn;
};

G_DEFINE_FINAL_TYPE (ZsCharts, zs_charts, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LIVE_MODEL,
  PROP_WINDOW_SECONDS,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* GNOME palette, the darker shades: readable on a light background. */
static const char * const series_colors[ZS_CHARTS_MAX_SERIES] = {
  "#1c71d8", "#e66100", "#26a269", "#9141ac", "#c01c28", "#986a44",
  "#e5a50a", "#2190a4", "#613583", "#63452c", "#1a5fb4", "#a51d2d",
};

static void draw_plot (ZsCharts    *self,
                       GtkWidget   *plot,
                       Metric       metric,
                       GtkSnapshot *snapshot);

/* ---- one chart: a plain widget that asks ZsCharts to draw it ---------------- */

#define ZS_TYPE_CHART_PLOT (zs_chart_plot_get_type ())
G_DECLARE_FINAL_TYPE (ZsChartPlot, zs_chart_plot, ZS, CHART_PLOT, GtkWidget)

struct _ZsChartPlot
{
  GtkWidget  parent_instance;

  ZsCharts  *charts;             /* unowned: our ancestor */
  Metric     metric;
};

G_DEFINE_FINAL_TYPE (ZsChartPlot, zs_chart_plot, GTK_TYPE_WIDGET)

static void
zs_chart_plot_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = AXIS_WIDTH + 120;
      *natural = AXIS_WIDTH + 480;
    }
  else
    {
      *minimum = TITLE_HEIGHT + TIME_AXIS + 40;
      *natural = TITLE_HEIGHT + TIME_AXIS + 80;
    }
}

static void
zs_chart_plot_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  ZsChartPlot *plot = ZS_CHART_PLOT (widget);

  if (plot->charts != NULL)
    draw_plot (plot->charts, widget, plot->metric, snapshot);
}

static void
zs_chart_plot_class_init (ZsChartPlotClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->measure = zs_chart_plot_measure;
  widget_class->snapshot = zs_chart_plot_snapshot;
  gtk_widget_class_set_css_name (widget_class, "zs-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
zs_chart_plot_init (ZsChartPlot *self)
{
}

static GtkWidget *
zs_chart_plot_new (ZsCharts *charts,
                   Metric    metric,
                   const char *title)
{
  ZsChartPlot *plot = g_object_new (ZS_TYPE_CHART_PLOT, NULL);

  plot->charts = charts;
  plot->metric = metric;
  gtk_widget_set_vexpand (GTK_WIDGET (plot), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (plot), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return GTK_WIDGET (plot);
}

/* ---- numbers -------------------------------------------------------------------- */

static const char *
metric_title (Metric metric)
{
  switch (metric)
    {
    case METRIC_RATE:
      return _("Messages/s");
    case METRIC_IN_FLIGHT:
      return _("Queue depth (in flight)");
    case METRIC_DROPS:
      return _("Drops per sample");
    case N_METRICS:
    default:
      g_assert_not_reached ();
    }
}

static double
sample_value (const ZsLiveSample *sample,
              Metric              metric)
{
  switch (metric)
    {
    case METRIC_RATE:
      return sample->rate;
    case METRIC_IN_FLIGHT:
      return (double) sample->in_flight;
    case METRIC_DROPS:
      return (double) sample->drops;
    case N_METRICS:
    default:
      g_assert_not_reached ();
    }
}

/* 1, 2 or 5 times a power of ten, at least v (and at least 1). */
static double
nice_ceiling (double v)
{
  double e, f;

  if (!(v > 1))
    return 1;
  e = pow (10, floor (log10 (v)));
  f = v / e;
  if (f <= 1.0001)
    return e;
  if (f <= 2)
    return 2 * e;
  if (f <= 5)
    return 5 * e;
  return 10 * e;
}

/* "0", "2.5", "500", "2.5k", "10M" */
static void
format_value (double  v,
              char   *buf,
              gsize   size)
{
  if (v >= 1e9)
    g_snprintf (buf, size, "%.3gG", v / 1e9);
  else if (v >= 1e6)
    g_snprintf (buf, size, "%.3gM", v / 1e6);
  else if (v >= 1e3)
    g_snprintf (buf, size, "%.3gk", v / 1e3);
  else
    g_snprintf (buf, size, "%.3g", v);
}

/* ---- series ---------------------------------------------------------------------- */

static char *
link_name (ZsTopology   *topology,
           const ZsLink *link)
{
  const char *c = zs_node_get_name (zs_topology_get_node (topology, link->connect_node));
  const char *b = zs_node_get_name (zs_topology_get_node (topology, link->bind_node));

  if (link->to_bind && link->to_connect)
    return g_strdup_printf ("%s ↔ %s", c, b);
  if (link->to_connect)
    return g_strdup_printf ("%s → %s", b, c);
  return g_strdup_printf ("%s → %s", c, b);
}

static void
clear_series (ZsCharts *self)
{
  for (guint i = 0; i < self->n_series; i++)
    g_clear_pointer (&self->series[i].name, g_free);
  self->n_series = 0;
  self->n_hidden = 0;
  g_clear_pointer (&self->buffer, g_free);
}

static void
add_series (ZsCharts   *self,
            gboolean    is_link,
            guint       index,
            char       *name)
{
  Series *s;

  if (self->n_series == ZS_CHARTS_MAX_SERIES)
    {
      self->n_hidden++;
      g_free (name);
      return;
    }
  s = &self->series[self->n_series];
  s->is_link = is_link;
  s->index = index;
  s->name = name;
  gdk_rgba_parse (&s->color, series_colors[self->n_series]);
  s->n_samples = 0;
  self->n_series++;
}

static void
rebuild_legend (ZsCharts *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->legend)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->legend), child);

  for (guint i = 0; i < self->n_series; i++)
    {
      const Series *s = &self->series[i];
      g_autofree char *markup = g_markup_printf_escaped ("<span foreground=\"%s\">━━</span> %s",
                                                         series_colors[i], s->name);
      GtkWidget *label = gtk_label_new (NULL);

      gtk_label_set_markup (GTK_LABEL (label), markup);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_tooltip_text (label, s->name);
      gtk_flow_box_append (GTK_FLOW_BOX (self->legend), label);
    }
  if (self->n_hidden > 0)
    {
      g_autofree char *text = g_strdup_printf (ngettext ("and %u more, not charted",
                                                         "and %u more, not charted",
                                                         self->n_hidden), self->n_hidden);
      GtkWidget *label = gtk_label_new (text);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_flow_box_append (GTK_FLOW_BOX (self->legend), label);
    }
}

static gboolean on_refresh_cb (gpointer data);

static void
update_refresh (ZsCharts *self)
{
  gboolean want = self->model != NULL && self->n_series > 0 && gtk_widget_get_mapped (GTK_WIDGET (self));

  if (want && self->refresh_id == 0)
    {
      self->refresh_id = g_timeout_add (REFRESH_MS, on_refresh_cb, self);
      g_source_set_name_by_id (self->refresh_id, "[zmqscope] charts refresh");
    }
  else if (!want)
    g_clear_handle_id (&self->refresh_id, g_source_remove);
}

static void
rebuild_series (ZsCharts *self)
{
  clear_series (self);

  if (self->model != NULL)
    {
      ZsTopology *topology = zs_live_model_get_topology (self->model);
      GPtrArray *links = zs_topology_get_links (topology);
      guint n_nodes = zs_live_model_get_n_nodes (self->model);
      guint n_links = zs_live_model_get_n_links (self->model);

      for (guint i = 0; i < self->selected_nodes->len; i++)
        {
          int n = g_array_index (self->selected_nodes, int, i);

          if (n >= 0 && (guint) n < n_nodes)
            add_series (self, FALSE, n,
                        g_strdup (zs_node_get_name (zs_topology_get_node (topology, n))));
        }
      for (guint i = 0; i < self->selected_links->len; i++)
        {
          int l = g_array_index (self->selected_links, int, i);

          if (l >= 0 && (guint) l < n_links && (guint) l < links->len)
            add_series (self, TRUE, l, link_name (topology, g_ptr_array_index (links, l)));
        }
    }

  if (self->n_series > 0)
    {
      self->buffer = g_new0 (ZsLiveSample, (gsize) self->n_series * ZS_LIVE_HISTORY_LENGTH);
      for (guint i = 0; i < self->n_series; i++)
        self->series[i].samples = self->buffer + (gsize) i * ZS_LIVE_HISTORY_LENGTH;
    }

  if (self->n_series == 0)
    self->n_drawn = 0;
  rebuild_legend (self);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), self->n_series > 0 ? "charts" : "empty");
  self->dirty = TRUE;
  _zs_charts_refresh (self);
  update_refresh (self);
}

/* ---- refresh: fixed-size copies of the histories --------------------------------- */

void
_zs_charts_refresh (ZsCharts *self)
{
  guint want = MIN (ZS_LIVE_HISTORY_LENGTH, self->window_s * 4 + 2);
  gint64 newest = 0;
  gint64 window_us = (gint64) self->window_s * G_USEC_PER_SEC;
  double max[N_METRICS] = { 0 };

  g_return_if_fail (ZS_IS_CHARTS (self));

  if (self->model == NULL)
    return;

  for (guint i = 0; i < self->n_series; i++)
    {
      Series *s = &self->series[i];

      if (s->is_link)
        s->n_samples = zs_live_model_get_link_history (self->model, s->index, s->samples, want);
      else
        s->n_samples = zs_live_model_get_node_history (self->model, s->index, s->samples, want);
      if (s->n_samples > 0)
        newest = MAX (newest, s->samples[s->n_samples - 1].time_us);
    }

  /* Nothing new since the last copy (the run is over, or idle). */
  if (newest == self->now_us && !self->dirty)
    return;
  self->now_us = newest;
  self->dirty = FALSE;

  for (guint i = 0; i < self->n_series; i++)
    {
      const Series *s = &self->series[i];

      for (guint k = 0; k < s->n_samples; k++)
        {
          if (s->samples[k].time_us < newest - window_us - SAMPLE_US)
            continue;
          for (guint m = 0; m < N_METRICS; m++)
            max[m] = MAX (max[m], sample_value (&s->samples[k], m));
        }
    }
  for (guint m = 0; m < N_METRICS; m++)
    {
      self->y_max[m] = nice_ceiling (max[m]);
      gtk_widget_queue_draw (self->plots[m]);
    }
}

static gboolean
on_refresh_cb (gpointer data)
{
  _zs_charts_refresh (ZS_CHARTS (data));
  return G_SOURCE_CONTINUE;
}

/* ---- drawing ----------------------------------------------------------------------- */

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             const char    *text,
             double         x,
             double         y,
             double         align,      /* 0 left, 0.5 centre, 1 right of x */
             const GdkRGBA *color)
{
  int width, height;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (floor (x - align * width), floor (y - height / 2.0)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
draw_series (const Series     *s,
             Metric            metric,
             cairo_t          *cr,
             const graphene_rect_t *area,
             gint64            now_us,
             gint64            window_us,
             double            y_max,
             guint            *n_drawn)
{
  gboolean started = FALSE, pending = FALSE;
  double cx = 0, lo = 0, hi = 0, last = 0;
  guint n = 0;

  for (guint k = 0; k < s->n_samples; k++)
    {
      const ZsLiveSample *sample = &s->samples[k];
      double x, y;

      if (sample->time_us < now_us - window_us - SAMPLE_US)
        continue;
      x = area->origin.x + area->size.width * (1.0 - (double) (now_us - sample->time_us) / window_us);
      y = area->origin.y + area->size.height * (1.0 - MIN (sample_value (sample, metric) / y_max, 1.0));
      n++;
      if (!started)
        {
          cairo_move_to (cr, x, y);
          cx = x;
          lo = hi = last = y;
          started = TRUE;
          continue;
        }
      /* Samples that land on the same pixel column: one vertical stroke
       * from their lowest to their highest value. */
      if (x - cx < 1.0)
        {
          lo = MIN (lo, y);
          hi = MAX (hi, y);
          last = y;
          pending = TRUE;
          continue;
        }
      if (pending)
        {
          cairo_line_to (cr, cx, lo);
          cairo_line_to (cr, cx, hi);
          cairo_line_to (cr, cx, last);
        }
      cairo_line_to (cr, x, y);
      cx = x;
      lo = hi = last = y;
      pending = FALSE;
    }
  if (!started)
    return;
  if (pending)
    {
      cairo_line_to (cr, cx, lo);
      cairo_line_to (cr, cx, hi);
      cairo_line_to (cr, cx, last);
    }
  if (n == 1)
    cairo_line_to (cr, cx, last);   /* a dot, with the round cap */
  gdk_cairo_set_source_rgba (cr, &s->color);
  cairo_stroke (cr);
  (*n_drawn)++;
}

static void
draw_plot (ZsCharts    *self,
           GtkWidget   *plot,
           Metric       metric,
           GtkSnapshot *snapshot)
{
  int width = gtk_widget_get_width (plot);
  int height = gtk_widget_get_height (plot);
  gboolean last_plot = metric == N_METRICS - 1;
  gint64 window_us = (gint64) self->window_s * G_USEC_PER_SEC;
  guint step_s = self->window_s <= 60 ? 15 : 60;
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (plot, NULL);
  graphene_rect_t area;
  GdkRGBA fg, grid, dim;
  char buf[32];
  guint n_drawn = 0;

  area = GRAPHENE_RECT_INIT (AXIS_WIDTH, TITLE_HEIGHT,
                             width - AXIS_WIDTH - 4, height - TITLE_HEIGHT - (last_plot ? TIME_AXIS : 4));
  if (area.size.width < 8 || area.size.height < 8)
    return;

  gtk_style_context_get_color (gtk_widget_get_style_context (plot), &fg);
  grid = dim = fg;
  grid.alpha *= 0.12f;
  dim.alpha *= 0.65f;

  /* Title and frame */
  {
    PangoAttrList *attrs = pango_attr_list_new ();

    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    pango_layout_set_attributes (layout, attrs);
    append_text (snapshot, layout, metric_title (metric), area.origin.x + 2, TITLE_HEIGHT / 2.0, 0, &fg);
    pango_layout_set_attributes (layout, NULL);
    pango_attr_list_unref (attrs);
  }

  /* Horizontal grid and y labels: 0, half, max */
  for (guint i = 0; i <= 2; i++)
    {
      double value = self->y_max[metric] * i / 2.0;
      double y = floor (area.origin.y + area.size.height * (1.0 - i / 2.0));

      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (area.origin.x, MIN (y, area.origin.y + area.size.height - 1),
                                                      area.size.width, 1));
      format_value (value, buf, sizeof buf);
      append_text (snapshot, layout, buf, area.origin.x - 6, y, 1, &dim);
    }

  /* Vertical grid and, under the last chart, the time axis */
  for (guint s = 0; s <= self->window_s; s += step_s)
    {
      double x = floor (area.origin.x + area.size.width * (1.0 - (double) s / self->window_s));

      gtk_snapshot_append_color (snapshot, &grid,
                                 &GRAPHENE_RECT_INIT (MIN (x, area.origin.x + area.size.width - 1),
                                                      area.origin.y, 1, area.size.height));
      if (last_plot)
        {
          double y = area.origin.y + area.size.height + TIME_AXIS / 2.0;
          double align = s == 0 ? 1 : s == self->window_s ? 0 : 0.5;

          if (s == 0)
            g_strlcpy (buf, _("now"), sizeof buf);
          else if (step_s < 60)
            /* Translators: seconds before now, on the time axis */
            g_snprintf (buf, sizeof buf, _("−%u s"), s);
          else
            /* Translators: minutes before now, on the time axis */
            g_snprintf (buf, sizeof buf, _("−%u min"), s / 60);
          append_text (snapshot, layout, buf, x, y, align, &dim);
        }
    }

  /* One line per series */
  if (self->n_series > 0 && self->now_us != 0)
    {
      cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &area);

      cairo_rectangle (cr, area.origin.x, area.origin.y, area.size.width, area.size.height);
      cairo_clip (cr);
      cairo_set_line_width (cr, 1.5);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
      for (guint i = 0; i < self->n_series; i++)
        draw_series (&self->series[i], metric, cr, &area, self->now_us, window_us,
                     self->y_max[metric], &n_drawn);
      cairo_destroy (cr);
    }

  if (metric == METRIC_RATE)
    self->n_drawn = n_drawn;
}

/* ---- GObject ----------------------------------------------------------------------- */

static void
on_window_toggled_cb (GtkToggleButton *button,
                      ZsCharts        *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;
  zs_charts_set_window_seconds (self, GTK_WIDGET (button) == self->window_5 ? 300 : 60);
}

static void
zs_charts_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (zs_charts_parent_class)->map (widget);
  _zs_charts_refresh (ZS_CHARTS (widget));
  update_refresh (ZS_CHARTS (widget));
}

static void
zs_charts_unmap (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (zs_charts_parent_class)->unmap (widget);
  update_refresh (ZS_CHARTS (widget));
}

static void
zs_charts_dispose (GObject *object)
{
  ZsCharts *self = ZS_CHARTS (object);
  GtkWidget *child;

  g_clear_handle_id (&self->refresh_id, g_source_remove);
  for (guint m = 0; m < N_METRICS; m++)
    if (self->plots[m] != NULL)
      ZS_CHART_PLOT (self->plots[m])->charts = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (object), ZS_TYPE_CHARTS);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (zs_charts_parent_class)->dispose (object);
}

static void
zs_charts_finalize (GObject *object)
{
  ZsCharts *self = ZS_CHARTS (object);

  clear_series (self);
  g_clear_pointer (&self->selected_nodes, g_array_unref);
  g_clear_pointer (&self->selected_links, g_array_unref);

  G_OBJECT_CLASS (zs_charts_parent_class)->finalize (object);
}

static void
zs_charts_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  ZsCharts *self = ZS_CHARTS (object);

  switch (prop_id)
    {
    case PROP_LIVE_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_WINDOW_SECONDS:
      g_value_set_uint (value, self->window_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_charts_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  ZsCharts *self = ZS_CHARTS (object);

  switch (prop_id)
    {
    case PROP_LIVE_MODEL:
      zs_charts_set_live_model (self, g_value_get_object (value));
      break;
    case PROP_WINDOW_SECONDS:
      zs_charts_set_window_seconds (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_charts_class_init (ZsChartsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zs_charts_dispose;
  object_class->finalize = zs_charts_finalize;
  object_class->get_property = zs_charts_get_property;
  object_class->set_property = zs_charts_set_property;
  widget_class->map = zs_charts_map;
  widget_class->unmap = zs_charts_unmap;

  properties [PROP_LIVE_MODEL] =
    g_param_spec_object ("live-model", NULL, NULL, ZS_TYPE_LIVE_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_WINDOW_SECONDS] =
    g_param_spec_uint ("window-seconds", NULL, NULL, 60, 300, 60,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _zs_widgets_init ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/zmqscope/widgets/zs-charts.ui");
  gtk_widget_class_bind_template_child (widget_class, ZsCharts, legend);
  gtk_widget_class_bind_template_child (widget_class, ZsCharts, stack);
  gtk_widget_class_bind_template_child_full (widget_class, "plots", FALSE,
                                             G_STRUCT_OFFSET (ZsCharts, plots_box));
  gtk_widget_class_bind_template_child (widget_class, ZsCharts, window_1);
  gtk_widget_class_bind_template_child (widget_class, ZsCharts, window_5);
  gtk_widget_class_bind_template_callback (widget_class, on_window_toggled_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "zs-charts");
}

static void
zs_charts_init (ZsCharts *self)
{
  self->window_s = 60;
  self->selected_nodes = g_array_new (FALSE, FALSE, sizeof (int));
  self->selected_links = g_array_new (FALSE, FALSE, sizeof (int));
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint m = 0; m < N_METRICS; m++)
    {
      self->plots[m] = zs_chart_plot_new (self, m, metric_title (m));
      gtk_box_append (GTK_BOX (self->plots_box), self->plots[m]);
    }
}

GtkWidget *
zs_charts_new (void)
{
  return g_object_new (ZS_TYPE_CHARTS, NULL);
}

void
zs_charts_set_live_model (ZsCharts    *self,
                          ZsLiveModel *model)
{
  g_return_if_fail (ZS_IS_CHARTS (self));
  g_return_if_fail (model == NULL || ZS_IS_LIVE_MODEL (model));

  if (!g_set_object (&self->model, model))
    return;
  self->now_us = 0;
  rebuild_series (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LIVE_MODEL]);
}

void
zs_charts_set_session (ZsCharts     *self,
                       ZsRunSession *session)
{
  g_return_if_fail (ZS_IS_CHARTS (self));
  g_return_if_fail (session == NULL || ZS_IS_RUN_SESSION (session));

  zs_charts_set_live_model (self, session != NULL ? zs_run_session_get_live_model (session) : NULL);
}

ZsLiveModel *
zs_charts_get_live_model (ZsCharts *self)
{
  g_return_val_if_fail (ZS_IS_CHARTS (self), NULL);

  return self->model;
}

void
zs_charts_set_selection (ZsCharts  *self,
                         const int *nodes,
                         guint      n_nodes,
                         const int *links,
                         guint      n_links)
{
  g_return_if_fail (ZS_IS_CHARTS (self));
  g_return_if_fail (nodes != NULL || n_nodes == 0);
  g_return_if_fail (links != NULL || n_links == 0);

  g_array_set_size (self->selected_nodes, 0);
  g_array_set_size (self->selected_links, 0);
  if (n_nodes > 0)
    g_array_append_vals (self->selected_nodes, nodes, n_nodes);
  if (n_links > 0)
    g_array_append_vals (self->selected_links, links, n_links);
  rebuild_series (self);
}

void
zs_charts_set_window_seconds (ZsCharts *self,
                              guint     seconds)
{
  g_return_if_fail (ZS_IS_CHARTS (self));

  seconds = seconds > 60 ? 300 : 60;
  if (self->window_s == seconds)
    return;
  self->window_s = seconds;
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (seconds == 60 ? self->window_1 : self->window_5), TRUE);
  self->dirty = TRUE;
  _zs_charts_refresh (self);
  for (guint m = 0; m < N_METRICS; m++)
    gtk_widget_queue_draw (self->plots[m]);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_WINDOW_SECONDS]);
}

guint
zs_charts_get_window_seconds (ZsCharts *self)
{
  g_return_val_if_fail (ZS_IS_CHARTS (self), 60);

  return self->window_s;
}

guint
_zs_charts_get_n_series_drawn (ZsCharts *self)
{
  g_return_val_if_fail (ZS_IS_CHARTS (self), 0);

  return self->n_drawn;
}

guint
_zs_charts_get_n_series (ZsCharts *self)
{
  g_return_val_if_fail (ZS_IS_CHARTS (self), 0);

  return self->n_series;
}
