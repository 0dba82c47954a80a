/* zs-compare.c: `zmqscope compare FILE --vary KEY=V1,V2`, headless
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-compare"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "zs-cli.h"
#include "zs-comparison.h"
#include "zs-compare.h"
#include "zs-report.h"

#define DEFAULT_SECONDS 5.0
#define MAX_SECONDS 3600.0
/* Beyond this many runs a comparison is a mistake, not a question. */
#define MAX_VARIANTS 64

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,   /* a variant did not run or a node failed */
  EXIT_USAGE = 2,
};

gboolean
zs_compare_handles (int    argc,
                    char **argv)
{
  return argc > 1 && g_str_equal (argv[1], "compare");
}

static GPtrArray *
parse_axes (GStrv  specs,
            guint *n_variants)
{
  g_autoptr(GPtrArray) axes = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_variant_axis_free);

  *n_variants = 1;
  for (guint i = 0; specs != NULL && specs[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      ZsVariantAxis *axis = zs_variant_axis_parse (specs[i], &error);

      if (axis == NULL)
        {
          g_printerr ("zmqscope: --vary %s: %s\n", specs[i], error->message);
          return NULL;
        }
      g_ptr_array_add (axes, axis);
      *n_variants *= MAX (1, zs_variant_axis_get_n_values (axis));
      *n_variants = MIN (*n_variants, MAX_VARIANTS + 1);
    }
  return g_steal_pointer (&axes);
}

typedef struct {
  GMainLoop *loop;
  gboolean   json;
} CompareWatch;

static void
on_row_done (ZsComparison *comparison,
             guint         row,
             CompareWatch *w)
{
  const ZsComparisonRow *r = zs_comparison_get_row (comparison, row);

  /* Progress on stderr: stdout carries the table or the JSON. */
  if (r->snapshot != NULL)
    g_printerr (_("zmqscope: %s: ran %.2f s\n"), r->name, r->seconds);
  else
    g_printerr (_("zmqscope: %s: did not run: %s\n"), r->name, r->error);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  CompareWatch *w = data;

  zs_comparison_run_finish (ZS_COMPARISON (source), result, NULL);
  g_main_loop_quit (w->loop);
}

static gboolean
all_ran (ZsComparison *comparison)
{
  for (guint r = 0; r < zs_comparison_get_n_rows (comparison); r++)
    if (zs_comparison_get_row (comparison, r)->error != NULL)
      return FALSE;
  return TRUE;
}

static int
compare (const char *path,
         GPtrArray  *axes,
         double      seconds,
         gboolean    json)
{
  g_autoptr(ZsTopology) topology = zs_cli_load (path);
  g_autoptr(ZsComparison) comparison = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *report = NULL;
  CompareWatch w = { loop, json };

  if (topology == NULL)
    return EXIT_USAGE;
  if (zs_cli_refuse_errors (topology, path))
    return EXIT_FAILED;
  comparison = zs_comparison_new (topology, axes, seconds);
  g_signal_connect (comparison, "row-done", G_CALLBACK (on_row_done), &w);
  zs_comparison_run_async (comparison, NULL, on_run_done, &w);
  g_main_loop_run (loop);

  report = json ? zs_report_comparison_to_json (comparison) : zs_report_comparison_to_text (comparison);
  g_print ("%s\n", report);
  return all_ran (comparison) ? EXIT_OK : EXIT_FAILED;
}

int
zs_compare_main (int    argc,
                 char **argv)
{
  double seconds = DEFAULT_SECONDS;
  gboolean json = FALSE;
  g_auto(GStrv) vary = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) axes = NULL;
  guint n_variants;
  const GOptionEntry entries[] = {
    { "vary", 'v', 0, G_OPTION_ARG_STRING_ARRAY, &vary,
      N_("What to vary: transport, bind, hwm, sndhwm, rcvhwm (each KEY@NODE for one node), workers; "
         "repeat it to compare every combination"), N_("KEY=V1,V2") },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds,
      N_("Run each variant this long at most (default: 5)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the comparison as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("FILE — run a topology once per variant and compare the figures"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!zs_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || vary == NULL)
    {
      g_printerr (_("Usage: zmqscope compare FILE.json --vary KEY=V1,V2[,…] [--vary …] [--seconds N] [--json]\n"));
      return EXIT_USAGE;
    }
  if (!isfinite (seconds) || seconds <= 0 || seconds > MAX_SECONDS)
    {
      g_printerr (_("zmqscope: --seconds must be a number above 0 and at most %.0f\n"), MAX_SECONDS);
      return EXIT_USAGE;
    }
  axes = parse_axes (vary, &n_variants);
  if (axes == NULL)
    return EXIT_USAGE;
  if (n_variants > MAX_VARIANTS)
    {
      g_printerr (_("zmqscope: more than %d variants: compare fewer values at a time\n"), MAX_VARIANTS);
      return EXIT_USAGE;
    }
  return compare (argv[1], axes, seconds, json);
}
