/* zs-cli.c: `zmqscope run FILE` and `zmqscope check FILE`, no display needed
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-cli.h"
#include "zs-engine.h"
#include "zs-report.h"
#include "zs-topology-file.h"
#include "zs-validator.h"

/* Services only (no node ends by itself): how long `run` lets them run. */
#define DEFAULT_SERVICE_SECONDS 5.0
/* Nodes that end: the longest `run` waits for them. */
#define DEFAULT_MAX_SECONDS 120.0

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,   /* the topology is invalid or a node failed */
  EXIT_USAGE = 2,    /* bad arguments or an unreadable file */
};

gboolean
zs_cli_handles (int    argc,
                char **argv)
{
  return argc > 1 && (g_str_equal (argv[1], "run") || g_str_equal (argv[1], "check"));
}

static guint
print_findings (GPtrArray *findings)
{
  guint errors = 0;

  for (guint i = 0; i < findings->len; i++)
    {
      ZsFinding *f = g_ptr_array_index (findings, i);
      g_autofree char *line = zs_finding_to_string (f);
      g_autofree char *shown = zs_report_escape (line);

      g_printerr ("%s\n", shown);
      errors += f->severity == ZS_SEVERITY_ERROR;
    }
  return errors;
}

static ZsTopology *
load (const char *path)
{
  g_autoptr(GError) error = NULL;
  ZsTopology *topology = zs_topology_load_from_file (path, &error);

  if (topology == NULL)
    {
      g_autofree char *shown = zs_report_escape (error->message);

      g_printerr (_("zmqscope: cannot load %s: %s\n"), path, shown);
    }
  return topology;
}

static int
cmd_check (const char *path)
{
  g_autoptr(ZsTopology) topology = load (path);
  g_autoptr(GPtrArray) findings = NULL;
  guint errors;

  if (topology == NULL)
    return EXIT_USAGE;
  findings = zs_validate (topology);
  errors = print_findings (findings);
  g_print (_("%s: %u error(s), %u warning(s), %u node(s), %u link(s)\n"), path, errors,
           findings->len - errors, zs_topology_get_n_nodes (topology), zs_topology_get_links (topology)->len);
  return errors > 0 ? EXIT_FAILED : EXIT_OK;
}

static gboolean
any_node_failed (const ZsSnapshot *snapshot)
{
  for (guint i = 0; i < snapshot->n_nodes; i++)
    if (snapshot->nodes[i].state == ZS_NODE_STATE_ERROR)
      return TRUE;
  return FALSE;
}

static gboolean
has_end (ZsTopology *topology)
{
  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    if (zs_node_has_end (zs_topology_get_node (topology, i)))
      return TRUE;
  return FALSE;
}

static int
cmd_run (const char *path,
         double      seconds,
         double      speed,
         gboolean    json)
{
  g_autoptr(ZsTopology) topology = load (path);
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  if (topology == NULL)
    return EXIT_USAGE;
  findings = zs_validate (topology);
  if (print_findings (findings) > 0)
    {
      g_printerr (_("zmqscope: %s has errors; fix them, then run again (`zmqscope check %s` lists them)\n"),
                  path, path);
      return EXIT_FAILED;
    }
  if (seconds <= 0)
    seconds = has_end (topology) ? DEFAULT_MAX_SECONDS : DEFAULT_SERVICE_SECONDS;

  engine = zs_engine_new (topology);
  zs_engine_set_speed (engine, speed);
  if (!zs_engine_start (engine, &error))
    {
      g_autofree char *shown = zs_report_escape (error->message);

      g_printerr ("zmqscope: %s\n", shown);
      return EXIT_FAILED;
    }
  zs_engine_wait (engine, (guint) (seconds * 1000));
  zs_engine_stop (engine);
  snapshot = zs_engine_snapshot (engine);
  report = json ? zs_report_to_json (zs_engine_get_topology (engine), snapshot)
                : zs_report_to_text (zs_engine_get_topology (engine), snapshot);
  g_print ("%s\n", report);
  return any_node_failed (snapshot) ? EXIT_FAILED : EXIT_OK;
}

int
zs_cli_main (int    argc,
             char **argv)
{
  double seconds = 0, speed = 0;
  gboolean json = FALSE;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  gboolean is_run = g_str_equal (argv[1], "run");
  const GOptionEntry run_entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds,
      N_("Stop after this many seconds (default: when every node with an end is done, at most 120 s; "
         "5 s for topologies of services only)"), N_("N") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("Messages per second for each sender (default: full speed)"), N_("RATE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (is_run ? _("FILE — run a topology headless and print its counters")
                                         : _("FILE — validate a topology and print the findings"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (is_run)
    g_option_context_add_main_entries (context, run_entries, GETTEXT_PACKAGE);
  /* argv[1] is the command: parse what follows it. */
  argv[1] = argv[0];
  argc--;
  argv++;
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("zmqscope: %s\n", error->message);
      return EXIT_USAGE;
    }
  if (argc != 2)
    {
      g_printerr (_("Usage: zmqscope %s FILE.json%s\n"), is_run ? "run" : "check",
                  is_run ? " [--seconds N] [--speed RATE] [--json]" : "");
      return EXIT_USAGE;
    }
  return is_run ? cmd_run (argv[1], seconds, speed, json) : cmd_check (argv[1]);
}
