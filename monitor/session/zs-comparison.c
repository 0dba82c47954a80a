/* zs-comparison.c: the same topology run once per variant, figures side by side
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "zs-comparison.h"
#include "zs-engine.h"
#include "zs-validator.h"

struct _ZsComparison
{
  GObject    parent_instance;
  GArray    *rows;       /* ZsComparisonRow */
  double     seconds;
  /* The row running now. */
  guint      current;
  ZsEngine  *engine;
  guint      watch_id;
  guint      timeout_id;
  gboolean   peak_reset;  /* the process's peak memory was reset at the row's start */
  gulong     cancel_id;
  GTask     *task;
};

G_DEFINE_FINAL_TYPE (ZsComparison, zs_comparison, G_TYPE_OBJECT)

static guint row_done_signal;

static void
row_clear (gpointer data)
{
  ZsComparisonRow *row = data;

  g_free (row->name);
  g_clear_object (&row->topology);
  g_free (row->error);
  g_clear_pointer (&row->snapshot, zs_snapshot_free);
}

/* ---- building the rows -------------------------------------------------------- */

static char *
first_error (ZsTopology *topology)
{
  g_autoptr(GPtrArray) findings = zs_validate (topology);

  for (guint i = 0; i < findings->len; i++)
    {
      ZsFinding *f = g_ptr_array_index (findings, i);

      if (f->severity == ZS_SEVERITY_ERROR)
        return zs_finding_to_string (f);
    }
  return NULL;
}

/* Row `index` of the product of the axes: the last axis varies fastest. */
static void
make_row (ZsComparisonRow *row,
          ZsTopology      *topology,
          GPtrArray       *axes,
          guint            index)
{
  g_autoptr(GString) name = g_string_new (NULL);
  g_autoptr(ZsTopology) variant = zs_topology_copy (topology);
  g_autoptr(GError) error = NULL;
  guint values[axes->len];

  for (guint a = axes->len; a-- > 0;)
    {
      guint n = zs_variant_axis_get_n_values (g_ptr_array_index (axes, a));

      values[a] = index % n;
      index /= n;
    }
  for (guint a = 0; a < axes->len; a++)
    {
      ZsVariantAxis *axis = g_ptr_array_index (axes, a);

      g_string_append_printf (name, "%s%s=%s", a > 0 ? " " : "", zs_variant_axis_get_name (axis),
                              zs_variant_axis_get_value (axis, values[a]));
      if (error == NULL)
        zs_variant_axis_apply (axis, values[a], variant, &error);
    }
  row->name = g_string_free (g_steal_pointer (&name), FALSE);
  if (error != NULL)
    {
      row->error = g_strdup (error->message);
      return;
    }
  row->error = first_error (variant);
  row->topology = g_steal_pointer (&variant);
}

ZsComparison *
zs_comparison_new (ZsTopology *topology,
                   GPtrArray  *axes,
                   double      seconds)
{
  ZsComparison *self;
  guint n_rows = 1;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);
  g_return_val_if_fail (axes != NULL && axes->len > 0, NULL);
  g_return_val_if_fail (seconds > 0, NULL);

  self = g_object_new (ZS_TYPE_COMPARISON, NULL);
  self->seconds = seconds;
  for (guint a = 0; a < axes->len; a++)
    n_rows *= zs_variant_axis_get_n_values (g_ptr_array_index (axes, a));
  g_array_set_size (self->rows, n_rows);
  for (guint r = 0; r < n_rows; r++)
    make_row (&g_array_index (self->rows, ZsComparisonRow, r), topology, axes, r);
  return self;
}

guint
zs_comparison_get_n_rows (ZsComparison *self)
{
  g_return_val_if_fail (ZS_IS_COMPARISON (self), 0);
  return self->rows->len;
}

const ZsComparisonRow *
zs_comparison_get_row (ZsComparison *self,
                       guint         row)
{
  g_return_val_if_fail (ZS_IS_COMPARISON (self), NULL);
  g_return_val_if_fail (row < self->rows->len, NULL);
  return &g_array_index (self->rows, ZsComparisonRow, row);
}

/* ---- peak memory ---------------------------------------------------------------- */

/* Linux: writing 5 to clear_refs resets the peak resident set (VmHWM). */
static gboolean
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");
  gboolean done;

  if (file == NULL)
    return FALSE;
  done = fputs ("5", file) >= 0;
  return fclose (file) == 0 && done;
}

static guint64
read_peak_rss (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "\nVmHWM:");
  return line != NULL ? g_ascii_strtoull (line + strlen ("\nVmHWM:"), NULL, 10) * 1024 : 0;
}

/* ---- running -------------------------------------------------------------------- */

static void run_next (ZsComparison *self);

static int
failed_node (const ZsSnapshot *snapshot)
{
  for (guint i = 0; i < snapshot->n_nodes; i++)
    if (snapshot->nodes[i].state == ZS_NODE_STATE_ERROR)
      return i;
  return -1;
}

/* Why a row that ran failed: the engine stopped it, or a node failed. */
static char *
failure (ZsTopology       *topology,
         const ZsSnapshot *snapshot)
{
  int node = failed_node (snapshot);

  if (snapshot->stop_reason != NULL)
    return g_strdup (snapshot->stop_reason);
  if (node < 0)
    return NULL;
  return g_strdup_printf (_("node “%s” failed: %s"), zs_node_get_name (zs_topology_get_node (topology, node)),
                          snapshot->nodes[node].error != NULL ? snapshot->nodes[node].error : "");
}

static void
end_row (ZsComparison *self)
{
  ZsComparisonRow *row = &g_array_index (self->rows, ZsComparisonRow, self->current);

  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  zs_engine_stop (self->engine);
  row->snapshot = zs_engine_snapshot (self->engine);
  row->seconds = row->snapshot->run_started_us > 0
    ? (double) (row->snapshot->time_us - row->snapshot->run_started_us) / G_USEC_PER_SEC : 0;
  row->peak_rss = self->peak_reset ? read_peak_rss () : 0;
  row->error = failure (row->topology, row->snapshot);
  g_clear_object (&self->engine);
  g_signal_emit (self, row_done_signal, 0, self->current);
  self->current++;
  run_next (self);
}

static gboolean
on_engine_event (gpointer data)
{
  ZsComparison *self = data;

  g_autoptr(ZsSnapshot) snapshot = zs_engine_snapshot (self->engine);

  /* Every node with an end reached it, the engine stopped the run, or a
   * node failed: the row has its answer (as `zmqscope run` stops). */
  if (failed_node (snapshot) >= 0 || zs_engine_wait (self->engine, 0))
    {
      self->watch_id = 0;
      end_row (self);
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
on_timeout (gpointer data)
{
  ZsComparison *self = data;

  self->timeout_id = 0;
  end_row (self);
  return G_SOURCE_REMOVE;
}

static void
start_row (ZsComparison    *self,
           ZsComparisonRow *row)
{
  g_autoptr(GError) error = NULL;

  self->peak_reset = reset_peak_rss ();
  self->engine = zs_engine_new (row->topology);
  if (!zs_engine_start (self->engine, &error))
    {
      row->error = g_strdup (error->message);
      g_clear_object (&self->engine);
      return;
    }
  self->watch_id = zs_engine_add_watch (self->engine, on_engine_event, self);
  self->timeout_id = g_timeout_add ((guint) (self->seconds * 1000), on_timeout, self);
}

static void
run_next (ZsComparison *self)
{
  for (; self->current < self->rows->len; self->current++)
    {
      ZsComparisonRow *row = &g_array_index (self->rows, ZsComparisonRow, self->current);

      if (g_task_return_error_if_cancelled (self->task))
        break;
      if (row->error == NULL)
        start_row (self, row);
      if (self->engine != NULL)
        return;
      g_signal_emit (self, row_done_signal, 0, self->current);
    }
  if (!g_task_had_error (self->task))
    g_task_return_boolean (self->task, TRUE);
  g_cancellable_disconnect (g_task_get_cancellable (self->task), self->cancel_id);
  self->cancel_id = 0;
  g_clear_object (&self->task);
}

static gboolean
cancel_in_loop (gpointer data)
{
  ZsComparison *self = data;

  if (self->engine != NULL)
    end_row (self);
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              ZsComparison *self)
{
  /* Any thread: end the running row in the main context. */
  g_main_context_invoke (g_task_get_context (self->task), cancel_in_loop, self);
}

void
zs_comparison_run_async (ZsComparison        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_return_if_fail (ZS_IS_COMPARISON (self));
  g_return_if_fail (self->task == NULL);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, zs_comparison_run_async);
  self->current = 0;
  if (cancellable != NULL)
    self->cancel_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), self, NULL);
  run_next (self);
}

gboolean
zs_comparison_run_finish (ZsComparison  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- figures -------------------------------------------------------------------- */

double
zs_comparison_row_link_rate (const ZsComparisonRow *row,
                             guint                  link)
{
  g_return_val_if_fail (row != NULL && row->snapshot != NULL, 0);
  g_return_val_if_fail (link < row->snapshot->n_links, 0);
  return row->seconds > 0 ? row->snapshot->links[link].received / row->seconds : 0;
}

double
zs_comparison_row_rate (const ZsComparisonRow *row)
{
  double rate = 0;

  g_return_val_if_fail (row != NULL && row->snapshot != NULL, 0);
  for (guint l = 0; l < row->snapshot->n_links; l++)
    rate += zs_comparison_row_link_rate (row, l);
  return rate;
}

/* One counter of ZsLinkStats (at `offset`) over every link. */
static guint64
sum_links (const ZsComparisonRow *row,
           gsize                  offset)
{
  guint64 sum = 0;

  for (guint l = 0; l < row->snapshot->n_links; l++)
    sum += G_STRUCT_MEMBER (guint64, &row->snapshot->links[l], offset);
  return sum;
}

guint64
zs_comparison_row_dropped (const ZsComparisonRow *row)
{
  g_return_val_if_fail (row != NULL && row->snapshot != NULL, 0);
  return sum_links (row, G_STRUCT_OFFSET (ZsLinkStats, dropped));
}

guint64
zs_comparison_row_missed (const ZsComparisonRow *row)
{
  g_return_val_if_fail (row != NULL && row->snapshot != NULL, 0);
  return sum_links (row, G_STRUCT_OFFSET (ZsLinkStats, missed));
}

double
zs_comparison_row_first_message_ms (const ZsComparisonRow *row)
{
  gint64 first = 0;

  g_return_val_if_fail (row != NULL && row->snapshot != NULL, -1);
  for (guint l = 0; l < row->snapshot->n_links; l++)
    for (guint d = 0; d < 2; d++)
      {
        gint64 t = row->snapshot->links[l].flow[d].first_received_us;

        if (t > 0 && (first == 0 || t < first))
          first = t;
      }
  if (first == 0 || row->snapshot->run_started_us == 0)
    return -1;
  return (first - row->snapshot->run_started_us) / 1000.0;
}

/* ---- GObject -------------------------------------------------------------------- */

static void
zs_comparison_dispose (GObject *object)
{
  ZsComparison *self = ZS_COMPARISON (object);

  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->engine != NULL)
    zs_engine_stop (self->engine);
  g_clear_object (&self->engine);
  G_OBJECT_CLASS (zs_comparison_parent_class)->dispose (object);
}

static void
zs_comparison_finalize (GObject *object)
{
  ZsComparison *self = ZS_COMPARISON (object);

  g_array_unref (self->rows);
  G_OBJECT_CLASS (zs_comparison_parent_class)->finalize (object);
}

static void
zs_comparison_class_init (ZsComparisonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = zs_comparison_dispose;
  object_class->finalize = zs_comparison_finalize;

  /**
   * ZsComparison::row-done:
   * @row: the row that ran, or could not
   */
  row_done_signal = g_signal_new ("row-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
zs_comparison_init (ZsComparison *self)
{
  self->rows = g_array_new (FALSE, TRUE, sizeof (ZsComparisonRow));
  g_array_set_clear_func (self->rows, row_clear);
}
