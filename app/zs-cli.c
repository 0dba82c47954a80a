/* zs-cli.c: `zmqscope run FILE`, `check FILE` and `replay RECORDING`, no display needed
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-cli"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "zs-cli.h"
#include "zs-engine.h"
#include "zs-engine-source.h"
#include "zs-fault-script.h"
#include "zs-recording.h"
#include "zs-report.h"
#include "zs-topology-file.h"
#include "zs-validator.h"

/* Services only (no node ends by itself): how long `run` lets them run. */
#define DEFAULT_SERVICE_SECONDS 5.0
/* Nodes that end: the longest `run` waits for them. */
#define DEFAULT_MAX_SECONDS 120.0
/* `run --faults`: how often the script looks at the run's clock. */
#define FAULT_TICK_MS 5
/* `run --faults`, services only: the run goes on this long after the last fault. */
#define AFTER_LAST_FAULT_S 1.0
/* `run --record`: frames a second, as the window's session keeps them. */
#define RECORD_HZ 10
/* The longest --seconds: 30 days (in milliseconds it still fits a guint). */
#define MAX_SECONDS (30.0 * 24 * 3600)
/* Messages per second, and MiB of queued messages: beyond any real need. */
#define MAX_SPEED 1e9
#define MAX_MEMORY_CAP_MB (1024.0 * 1024)

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,   /* the topology is invalid or a node failed */
  EXIT_USAGE = 2,    /* bad arguments or an unreadable file */
};

gboolean
zs_cli_handles (int    argc,
                char **argv)
{
  return argc > 1 && (g_str_equal (argv[1], "run") || g_str_equal (argv[1], "check")
                      || g_str_equal (argv[1], "replay"));
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

gboolean
zs_cli_refuse_errors (ZsTopology *topology,
                      const char *path)
{
  g_autoptr(GPtrArray) findings = zs_validate (topology);

  if (print_findings (findings) == 0)
    return FALSE;
  g_printerr (_("zmqscope: %s has errors; fix them, then run again (`zmqscope check %s` lists them)\n"),
              path, path);
  return TRUE;
}

gboolean
zs_cli_parse_options (GOptionContext  *context,
                      int             *argc,
                      char          ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *usage_name = g_strdup_printf ("zmqscope %s", (*argv)[1]);

  /* argv[1] is the command: parse what follows it, and name it in the
   * --help usage line ("zmqscope run [OPTION…] FILE"). */
  g_set_prgname (usage_name);
  (*argv)[1] = (*argv)[0];
  (*argc)--;
  (*argv)++;
  if (g_option_context_parse (context, argc, argv, &error))
    return TRUE;
  g_printerr ("zmqscope: %s\n", error->message);
  return FALSE;
}

ZsTopology *
zs_cli_load (const char *path)
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

/* Sockets that run untraced, and what that costs: the figures that
 * become estimates. */
static void
print_untraced (ZsTopology *topology)
{
  for (guint n = 0; n < zs_topology_get_n_nodes (topology); n++)
    {
      ZsNode *node = zs_topology_get_node (topology, n);

      for (guint i = 0; i < zs_node_get_n_sockets (node); i++)
        {
          g_autofree char *reason = zs_engine_untraced_reason (topology, n, i);

          if (reason != NULL)
            g_print (_("%s.%s runs untraced (%s): it sends exact payloads; drops on its links are inferred "
                       "at the end, not seen, and its per-link figures are estimates\n"),
                     zs_node_get_name (node), zs_socket_spec_get_name (zs_node_get_socket (node, i)), reason);
        }
    }
}

static int
cmd_check (const char *path)
{
  g_autoptr(ZsTopology) topology = zs_cli_load (path);
  g_autoptr(GPtrArray) findings = NULL;
  guint errors;

  if (topology == NULL)
    return EXIT_USAGE;
  findings = zs_validate (topology);
  errors = print_findings (findings);
  print_untraced (topology);
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

typedef struct {
  ZsEngine    *engine;
  GMainLoop   *loop;
  ZsRecording *recording;      /* --record, or NULL */
  ZsRunSource *source;         /* the engine, as the recording's source */
  ZsSnapshot  *frame;          /* the last frame recorded */
  ZsSnapshot  *snapshot;
  gboolean     keep_going;
  gboolean    *failure_told;  /* per node: its error was printed */
  int          signal;        /* the signal that stopped the run, or 0 */
  ZsFaultScript *faults;      /* --faults, or NULL */
  guint        next_fault;    /* the first step not yet applied */
  gboolean     fault_refused; /* a step could not be applied */
  gboolean     json;          /* the report is JSON: fault lines go to stderr */
} RunWatch;

typedef struct {
  RunWatch *watch;
  int       signal;
} SignalWatch;

/* A node failed (a busy port, say): say so now, not when the run ends. */
static gboolean
tell_failures (RunWatch *w)
{
  ZsTopology *topology = zs_engine_get_topology (w->engine);
  gboolean any = FALSE;

  for (guint i = 0; i < w->snapshot->n_nodes; i++)
    {
      const ZsNodeStats *n = &w->snapshot->nodes[i];

      if (n->state != ZS_NODE_STATE_ERROR || w->failure_told[i])
        continue;
      w->failure_told[i] = TRUE;
      any = TRUE;
      g_printerr (_("zmqscope: node “%s” failed: %s\n"), zs_node_get_name (zs_topology_get_node (topology, i)),
                  n->error ? n->error : "");
    }
  return any;
}

static gboolean
on_engine_event (gpointer data)
{
  RunWatch *w = data;

  zs_engine_snapshot_into (w->engine, w->snapshot);
  if (tell_failures (w) && !w->keep_going)
    {
      g_printerr (_("zmqscope: stopping the run (--keep-going lets the other nodes run on)\n"));
      g_main_loop_quit (w->loop);
    }
  else if (w->snapshot->stop_reason != NULL)
    {
      g_printerr ("zmqscope: %s\n", w->snapshot->stop_reason);
      g_main_loop_quit (w->loop);
    }
  else if (zs_engine_wait (w->engine, 0))
    g_main_loop_quit (w->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal (gpointer data)
{
  SignalWatch *s = data;

  if (s->watch->signal == 0)
    g_printerr (_("zmqscope: %s: stopping the run; the report so far follows\n"), g_strsignal (s->signal));
  s->watch->signal = s->signal;
  g_main_loop_quit (s->watch->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_run_timeout (gpointer data)
{
  g_main_loop_quit (((RunWatch *) data)->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_record_tick (gpointer data)
{
  RunWatch *w = data;

  zs_recording_record (w->recording, w->source, w->frame);
  return G_SOURCE_CONTINUE;
}

/* Says what a fault step did, on stdout beside the table (stderr beside
 * JSON, which must stay one document). */
static void
tell_fault (RunWatch          *w,
            const ZsFaultStep *step,
            const GError      *error)
{
  g_autofree char *what = zs_fault_step_describe (step, zs_engine_get_topology (w->engine));
  double at = (double) step->at_us / G_USEC_PER_SEC;
  g_autofree char *line = error == NULL ? g_strdup_printf (_("at %.2f s: %s"), at, what)
                                        : g_strdup_printf (_("at %.2f s: %s refused: %s"), at, what, error->message);

  if (w->json || error != NULL)
    g_printerr ("zmqscope: %s\n", line);
  else
    g_print ("%s\n", line);
}

/* Applies every fault step whose time the run's clock has reached. */
static gboolean
on_fault_tick (gpointer data)
{
  RunWatch *w = data;
  gint64 now = zs_engine_get_run_time_us (w->engine);

  while (w->next_fault < zs_fault_script_get_n_steps (w->faults))
    {
      const ZsFaultStep *step = zs_fault_script_get_step (w->faults, w->next_fault);
      g_autoptr(GError) error = NULL;

      if (step->at_us > now)
        break;
      w->next_fault++;
      if (!zs_engine_apply_fault (w->engine, step, &error))
        w->fault_refused = TRUE;
      tell_fault (w, step, error);
    }
  return G_SOURCE_CONTINUE;
}

/* The steps the run ended before. */
static void
tell_faults_not_applied (RunWatch *w)
{
  for (guint i = w->next_fault; w->faults != NULL && i < zs_fault_script_get_n_steps (w->faults); i++)
    {
      const ZsFaultStep *step = zs_fault_script_get_step (w->faults, i);
      g_autofree char *what = zs_fault_step_describe (step, zs_engine_get_topology (w->engine));

      g_printerr (_("zmqscope: at %.2f s: %s not applied: the run ended first\n"),
                  (double) step->at_us / G_USEC_PER_SEC, what);
    }
}

static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };

/* From before the run starts: a signal then still gets its report. */
static void
watch_signals (RunWatch    *w,
               SignalWatch *sw,
               guint       *sources)
{
  for (guint i = 0; i < G_N_ELEMENTS (stop_signals); i++)
    {
      sw[i] = (SignalWatch) { w, stop_signals[i] };
      sources[i] = g_unix_signal_add (stop_signals[i], on_signal, &sw[i]);
    }
}

/* Runs until every node with an end is done, `seconds` pass, a node fails
 * (unless keep_going) or a signal comes (w->signal). */
static void
watch_run (RunWatch *w,
           double    seconds)
{
  guint n_nodes = zs_topology_get_n_nodes (zs_engine_get_topology (w->engine));
  g_autoptr(ZsSnapshot) snapshot = zs_engine_snapshot (w->engine);
  g_autofree gboolean *told = g_new0 (gboolean, MAX (n_nodes, 1));
  guint event, timeout, record = 0, faults = 0;

  w->snapshot = snapshot;
  w->failure_told = told;
  event = zs_engine_add_watch (w->engine, on_engine_event, w);
  timeout = g_timeout_add ((guint) (seconds * 1000), on_run_timeout, w);
  if (w->faults != NULL)
    {
      on_fault_tick (w);
      faults = g_timeout_add (FAULT_TICK_MS, on_fault_tick, w);
    }
  if (w->recording != NULL)
    {
      on_record_tick (w);
      record = g_timeout_add (1000 / RECORD_HZ, on_record_tick, w);
    }
  g_main_loop_run (w->loop);
  g_source_remove (event);
  g_source_remove (timeout);
  if (record != 0)
    g_source_remove (record);
  if (faults != 0)
    g_source_remove (faults);
  w->snapshot = NULL;
  w->failure_told = NULL;
}

/* The run's settled figures, those of the report (left in w->frame),
 * close the recording, which is then saved. */
static gboolean
save_recording (RunWatch   *w,
                const char *path)
{
  g_autoptr(GError) error = NULL;

  zs_recording_record (w->recording, w->source, w->frame);
  if (zs_recording_save (w->recording, path, &error))
    return TRUE;
  g_printerr (_("zmqscope: cannot save the recording to %s: %s\n"), path, error->message);
  return FALSE;
}

/* --record's file can be written where it is asked for: checked before
 * the run, not after it has run for minutes. */
static gboolean
record_path_usable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  const char *why = NULL;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    why = _("it is a directory");
  else if (g_access (dir, W_OK) != 0)
    why = g_strerror (errno);
  if (why == NULL)
    return TRUE;
  g_printerr (_("zmqscope: cannot record to %s: %s\n"), path, why);
  return FALSE;
}

/* Links the script will delay or make lose messages go through the
 * engine's relay from the start: nothing re-connects mid-run. */
static void
relay_throttled_links (ZsEngine      *engine,
                       ZsFaultScript *faults)
{
  for (guint i = 0; faults != NULL && i < zs_fault_script_get_n_steps (faults); i++)
    {
      const ZsFaultStep *step = zs_fault_script_get_step (faults, i);

      if (step->kind == ZS_FAULT_DELAY || step->kind == ZS_FAULT_LOSS)
        zs_engine_relay_link (engine, step->target);
    }
}

/* Services only: 5 s, or long enough for the fault script to play out. */
static double
default_service_seconds (ZsFaultScript *faults)
{
  guint n = faults != NULL ? zs_fault_script_get_n_steps (faults) : 0;
  double last = n > 0 ? (double) zs_fault_script_get_step (faults, n - 1)->at_us / G_USEC_PER_SEC : 0;

  return MAX (DEFAULT_SERVICE_SECONDS, last + AFTER_LAST_FAULT_S);
}

static int
cmd_run (const char *path,
         double      seconds,
         double      speed,
         double      memory_cap_mb,
         gboolean    keep_going,
         gboolean    json,
         const char *record_path,
         const char *faults_path)
{
  g_autoptr(ZsFaultScript) faults = NULL;
  g_autoptr(ZsRecording) recording = NULL;
  g_autoptr(ZsEngineSource) source = NULL;
  g_autoptr(ZsSnapshot) frame = NULL;
  gboolean saved = TRUE;
  g_autoptr(ZsTopology) topology = zs_cli_load (path);
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  RunWatch w = { NULL, loop, NULL, NULL, NULL, NULL, keep_going, NULL, 0, NULL, 0, FALSE, json };
  SignalWatch sw[G_N_ELEMENTS (stop_signals)];
  guint signal_sources[G_N_ELEMENTS (stop_signals)];

  if (topology == NULL)
    return EXIT_USAGE;
  if (zs_cli_refuse_errors (topology, path))
    return EXIT_FAILED;
  if (faults_path != NULL)
    {
      faults = zs_fault_script_load (faults_path, topology, &error);
      if (faults == NULL)
        {
          g_autofree char *shown = zs_report_escape (error->message);

          g_printerr (_("zmqscope: cannot use the fault script: %s\n"), shown);
          return EXIT_USAGE;
        }
      w.faults = faults;
    }
  if (record_path != NULL && !record_path_usable (record_path))
    return EXIT_USAGE;
  if (seconds <= 0)
    seconds = has_end (topology) ? DEFAULT_MAX_SECONDS : default_service_seconds (faults);

  engine = zs_engine_new (topology);
  w.engine = engine;
  relay_throttled_links (engine, faults);
  if (record_path != NULL)
    {
      recording = zs_recording_new (zs_engine_get_topology (engine));
      source = zs_engine_source_new (engine);
      frame = zs_engine_snapshot (engine);
      w.recording = recording;
      w.source = ZS_RUN_SOURCE (source);
      w.frame = frame;
    }
  watch_signals (&w, sw, signal_sources);
  zs_engine_set_speed (engine, speed);
  zs_engine_set_memory_cap (engine, (guint64) (memory_cap_mb * 1024 * 1024));
  if (!zs_engine_start (engine, &error))
    {
      g_autofree char *shown = zs_report_escape (error->message);

      g_printerr ("zmqscope: %s\n", shown);
      return EXIT_FAILED;
    }
  watch_run (&w, seconds);
  zs_engine_stop (engine);
  tell_faults_not_applied (&w);
  if (recording != NULL)
    saved = save_recording (&w, record_path);
  snapshot = recording != NULL ? g_steal_pointer (&frame) : zs_engine_snapshot (engine);
  report = json ? zs_report_to_json (zs_engine_get_topology (engine), snapshot)
                : zs_report_to_text (zs_engine_get_topology (engine), snapshot);
  g_print ("%s\n", report);
  for (guint i = 0; i < G_N_ELEMENTS (signal_sources); i++)
    g_source_remove (signal_sources[i]);
  if (w.signal != 0)
    return 128 + w.signal;
  return any_node_failed (snapshot) || snapshot->stop_reason != NULL || !saved || w.fault_refused
         ? EXIT_FAILED : EXIT_OK;
}

/* The figures of a recording at `at_s` seconds (its end if negative), as
 * `run` prints them. */
static int
cmd_replay (const char *path,
            double      at_s,
            gboolean    json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsRecording) recording = zs_recording_load (path, &error);
  g_autoptr(ZsSnapshot) snapshot = NULL;
  g_autofree char *report = NULL;
  ZsTopology *topology;
  guint frame;

  if (recording == NULL)
    {
      g_autofree char *shown = zs_report_escape (error->message);

      g_printerr (_("zmqscope: cannot open %s: %s\n"), path, shown);
      return EXIT_USAGE;
    }
  topology = zs_recording_get_topology (recording);
  snapshot = zs_snapshot_new (zs_topology_get_n_nodes (topology), zs_topology_get_links (topology)->len);
  frame = zs_recording_snapshot_at (recording, at_s < 0 ? G_MAXINT64 : llround (at_s * G_USEC_PER_SEC), snapshot);
  if (json)
    report = zs_report_to_json (topology, snapshot);
  else
    {
      g_autofree char *table = zs_report_to_text (topology, snapshot);

      /* Which moment this is: the frame recorded at or before --at. */
      report = g_strdup_printf (_("Recording %s at %.2f s of %.2f s\n\n%s"), path,
                                (double) zs_recording_get_frame_time_us (recording, frame) / G_USEC_PER_SEC,
                                (double) zs_recording_get_duration_us (recording) / G_USEC_PER_SEC, table);
    }
  g_print ("%s\n", report);
  return EXIT_OK;
}

/* FALSE, with a usage message, unless `value` is a number in [0, max]. */
static gboolean
check_range (const char *option,
             double      value,
             double      max)
{
  if (isfinite (value) && value >= 0 && value <= max)
    return TRUE;
  g_printerr (_("zmqscope: %s must be a number from 0 to %.0f\n"), option, max);
  return FALSE;
}

/* A number of seconds in [0, MAX_SECONDS], all of `text`. */
static gboolean
parse_seconds (const char *option,
               const char *text,
               double     *seconds)
{
  char *end;

  *seconds = g_ascii_strtod (text, &end);
  if (*text == '\0' || *end != '\0')
    *seconds = NAN;
  return check_range (option, *seconds, MAX_SECONDS);
}

typedef enum {
  COMMAND_RUN,
  COMMAND_CHECK,
  COMMAND_REPLAY,
} Command;

static Command
parse_command (const char *name)
{
  if (g_str_equal (name, "run"))
    return COMMAND_RUN;
  if (g_str_equal (name, "replay"))
    return COMMAND_REPLAY;
  return COMMAND_CHECK;
}

int
zs_cli_main (int    argc,
             char **argv)
{
  double seconds = 0, speed = 0, at = -1;
  double memory_cap_mb = ZS_ENGINE_DEFAULT_MEMORY_CAP / (1024.0 * 1024);
  gboolean json = FALSE, keep_going = FALSE;
  g_autofree char *record = NULL;
  g_autofree char *faults = NULL;
  g_autofree char *at_text = NULL;
  g_autoptr(GOptionContext) context = NULL;
  Command command = parse_command (argv[1]);
  const GOptionEntry run_entries[] = {
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds,
      N_("Stop after this many seconds (default: when every node with an end is done, at most 120 s; "
         "5 s for topologies of services only)"), N_("N") },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("Messages per second for each sender (default: full speed)"), N_("RATE") },
    { "keep-going", 'k', 0, G_OPTION_ARG_NONE, &keep_going,
      N_("When a node fails (a busy port, say), let the other nodes run on; by default the failure "
         "is reported at once and the run stops"), NULL },
    { "memory-cap", 0, 0, G_OPTION_ARG_DOUBLE, &memory_cap_mb,
      N_("Stop the run when messages queued on unlimited (HWM 0) links hold more than this many MiB "
         "(default: 512; 0: no cap)"), N_("MIB") },
    { "record", 0, 0, G_OPTION_ARG_FILENAME, &record,
      N_("Record the run to this file: its figures ten times a second, its events and each link's last "
         "messages, with the topology (`zmqscope replay` shows it)"), N_("OUT") },
    { "faults", 0, 0, G_OPTION_ARG_FILENAME, &faults,
      N_("Apply the faults of this script on the run's clock (“at 2 s kill worker-2”, one a line; "
         "docs/fault-script.md) and say each one as it is applied"), N_("SCRIPT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };
  const GOptionEntry replay_entries[] = {
    { "at", 0, 0, G_OPTION_ARG_STRING, &at_text,
      N_("The moment to show, in seconds from the recording's start (default: its end)"), N_("SECONDS") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };
  const char *summaries[] = {
    [COMMAND_RUN] = N_("FILE — run a topology headless and print its counters"),
    [COMMAND_CHECK] = N_("FILE — validate a topology and print the findings"),
    [COMMAND_REPLAY] = N_("RECORDING — print a recorded run's counters at a moment"),
  };
  const char *usages[] = {
    [COMMAND_RUN] = "run FILE.json [--seconds N] [--speed RATE] [--keep-going] [--memory-cap MIB] "
                    "[--record OUT] [--faults SCRIPT] [--json]",
    [COMMAND_CHECK] = "check FILE.json",
    [COMMAND_REPLAY] = "replay RECORDING [--at SECONDS] [--json]",
  };

  context = g_option_context_new (_(summaries[command]));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (command == COMMAND_RUN)
    g_option_context_add_main_entries (context, run_entries, GETTEXT_PACKAGE);
  else if (command == COMMAND_REPLAY)
    g_option_context_add_main_entries (context, replay_entries, GETTEXT_PACKAGE);
  if (!zs_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2)
    {
      g_printerr (_("Usage: zmqscope %s\n"), usages[command]);
      return EXIT_USAGE;
    }
  switch (command)
    {
    case COMMAND_CHECK:
      return cmd_check (argv[1]);
    case COMMAND_REPLAY:
      if (at_text != NULL && !parse_seconds ("--at", at_text, &at))
        return EXIT_USAGE;
      return cmd_replay (argv[1], at, json);
    case COMMAND_RUN:
    default:
      if (!check_range ("--seconds", seconds, MAX_SECONDS) || !check_range ("--speed", speed, MAX_SPEED)
          || !check_range ("--memory-cap", memory_cap_mb, MAX_MEMORY_CAP_MB))
        return EXIT_USAGE;
      return cmd_run (argv[1], seconds, speed, memory_cap_mb, keep_going, json, record, faults);
    }
}
