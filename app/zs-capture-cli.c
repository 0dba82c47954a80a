/* zs-capture-cli.c: `zmqscope capture`, ZeroMQ programs seen from the wire
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   zmqscope capture [--interface IF | --read FILE
 *                     | --helper ENDPOINT --server-key KEY …] [--ports LIST]
 *                    [--seconds N] [--save FILE] [--topology FILE] [--json]
 *
 * Prints the nodes, sockets, links and per-link figures the wire shows:
 * through a capture helper it starts (zmqscope-capture, which alone opens
 * an interface or reads the file), or helpers already serving, here or on
 * other machines (over tcp with CURVE, their keys pinned), merged. */
#define G_LOG_DOMAIN "zs-capture-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <string.h>

#include "zs-capture-cli.h"
#include "zs-cli.h"
#include "zs-topology-file.h"
#include "zs-wire-source.h"

/* A live capture with no --seconds: until Ctrl-C, at most a day. */
#define DEFAULT_LIVE_SECONDS (24.0 * 3600)
#define MAX_SECONDS (30.0 * 24 * 3600)
#define READ_SLICE_MS 100

enum {
  EXIT_OK = 0,
  EXIT_FAILED = 1,   /* the capture could not start (a missing capability) */
  EXIT_USAGE = 2,
};

gboolean
zs_capture_cli_handles (int    argc,
                        char **argv)
{
  return argc > 1 && g_str_equal (argv[1], "capture");
}

static gboolean
on_stop_signal (gpointer data)
{
  *(int *) data = 1;
  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Follows the source until the file is read, or (live) `seconds` pass or
 * a signal comes. */
static void
follow (ZsWireSource *source,
        gboolean      live,
        double        seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  int stop = 0;
  guint sources[] = { g_unix_signal_add (SIGINT, on_stop_signal, &stop),
                      g_unix_signal_add (SIGTERM, on_stop_signal, &stop),
                      g_timeout_add (READ_SLICE_MS, on_tick, NULL) };

  while (!stop && !zs_wire_source_is_finished (source) && (!live || g_get_monotonic_time () < end))
    g_main_context_iteration (NULL, TRUE);
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_source_remove (sources[i]);
  zs_run_source_stop (ZS_RUN_SOURCE (source));
}

/* Helpers that never answered: not running, or not the key pinned. */
static void
say_silent_helpers (ZsWireSource *source)
{
  for (guint i = 0; i < zs_wire_source_get_n_helpers (source); i++)
    if (!zs_wire_source_helper_answered (source, i))
      g_printerr (_("zmqscope: no answer from the capture helper at %s (not running there, or not the key "
                    "given with --server-key)\n"), zs_wire_source_get_helper_endpoint (source, i));
}

static int
cmd_capture (const char         *interface,
             const char         *file,
             const char * const *helpers,
             const char * const *keys,
             const char         *ports,
             const char         *save,
             const char         *topology_file,
             double              seconds,
             gboolean            json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsWireSource) source = NULL;
  g_autofree char *report = NULL;
  ZsWireTopology *topology;
  gboolean live = file == NULL;

  source = helpers != NULL ? zs_wire_source_new_remote (helpers, keys, &error)
                           : zs_wire_source_new_local (interface, file, ports, save, &error);
  if (source == NULL)
    {
      g_printerr ("zmqscope: %s\n", error->message);
      return g_error_matches (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_PERMISSION) ? EXIT_FAILED : EXIT_USAGE;
    }
  if (helpers != NULL)
    g_printerr (_("zmqscope: following %u capture helpers; Ctrl-C ends it\n"), g_strv_length ((GStrv) helpers));
  else if (live)
    g_printerr (_("zmqscope: capturing on “%s” (%s); Ctrl-C ends it\n"),
                interface != NULL ? interface : ZS_WIRE_DEFAULT_INTERFACE,
                ports == NULL ? _("ZMTP found by its greeting") : ports);
  follow (source, live, seconds > 0 ? seconds : DEFAULT_LIVE_SECONDS);
  say_silent_helpers (source);
  if (zs_wire_source_get_problem (source) != NULL)
    g_printerr ("zmqscope: %s\n", zs_wire_source_get_problem (source));
  topology = zs_wire_source_get_wire_topology (source);
  /* The programs as a zmqscope file: open it, run it with simulated nodes. */
  if (topology_file != NULL && !zs_topology_save_to_file (topology->topology, topology_file, &error))
    {
      g_printerr ("zmqscope: %s\n", error->message);
      return EXIT_USAGE;
    }
  /* What came from other programs' traffic is escaped already. */
  report = json ? zs_wire_topology_to_json (topology) : zs_wire_topology_to_text (topology);
  g_print ("%s\n", report);
  return EXIT_OK;
}

static int
cmd_client_key (void)
{
  g_autofree char *path = zs_wire_source_get_client_key_path ();
  g_autoptr(GError) error = NULL;
  char public_key[41], secret_key[41];

  if (!zs_wire_source_load_key_pair (path, public_key, secret_key, &error))
    {
      g_printerr ("zmqscope: %s\n", error->message);
      return EXIT_FAILED;
    }
  memset (secret_key, 0, sizeof secret_key);
  g_print ("%s\n", public_key);
  g_printerr (_("zmqscope: the key pair is in %s; add the public key above to the helper's --allow-keys file\n"),
              path);
  return EXIT_OK;
}

int
zs_capture_cli_main (int    argc,
                     char **argv)
{
  g_autofree char *interface = NULL, *file = NULL, *ports = NULL, *save = NULL, *topology_file = NULL;
  g_auto(GStrv) helpers = NULL, keys = NULL;
  double seconds = 0;
  gboolean json = FALSE, client_key = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  const GOptionEntry entries[] = {
    { "interface", 'i', 0, G_OPTION_ARG_STRING, &interface,
      N_("Capture live on this interface (default: loopback, “lo”; “any” for all); needs CAP_NET_RAW"), N_("IF") },
    { "read", 'r', 0, G_OPTION_ARG_FILENAME, &file,
      N_("Read a pcap or pcapng file instead (needs no privilege)"), N_("FILE") },
    { "ports", 'p', 0, G_OPTION_ARG_STRING, &ports,
      N_("Decode connections on these tcp ports, e.g. 5555,6000-6010, also those joined mid-stream "
         "(default: any connection whose start is seen and whose greeting is ZMTP)"), N_("LIST") },
    { "helper", 0, 0, G_OPTION_ARG_STRING_ARRAY, &helpers,
      N_("Follow a capture helper already serving (zmqscope-capture --serve), on this or another machine; "
         "repeat it for several: what they see is merged"), N_("ENDPOINT") },
    { "server-key", 0, 0, G_OPTION_ARG_STRING_ARRAY, &keys,
      N_("The public key the helper printed at start, once per --helper, in the same order (needed over tcp)"),
      N_("KEY") },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds,
      N_("Live: stop after this many seconds (default: at Ctrl-C)"), N_("N") },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &save,
      N_("Also write the packets read to this pcap file"), N_("FILE") },
    { "topology", 0, 0, G_OPTION_ARG_FILENAME, &topology_file,
      N_("Also save the programs found as a zmqscope topology file (external nodes)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { "client-key", 0, 0, G_OPTION_ARG_NONE, &client_key,
      N_("Print this user's public key, for helpers that let in only known clients (zmqscope-capture "
         "--allow-keys), making the key pair the first time"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— the ZeroMQ programs on the wire: nodes, sockets, links and their figures"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!zs_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1 || (interface != NULL) + (file != NULL) + (helpers != NULL) > 1 || !isfinite (seconds) || seconds < 0
      || seconds > MAX_SECONDS
      || (keys != NULL && (helpers == NULL || g_strv_length (keys) != g_strv_length (helpers)))
      || (helpers != NULL && (ports != NULL || save != NULL)))
    {
      g_printerr (_("Usage: zmqscope capture [--interface IF | --read FILE | --helper ENDPOINT --server-key KEY …] "
                    "[--ports LIST] [--seconds N] [--save FILE] [--topology FILE] [--json]\n"));
      return EXIT_USAGE;
    }
  if (client_key)
    return cmd_client_key ();
  return cmd_capture (interface, file, (const char * const *) helpers, (const char * const *) keys, ports, save,
                      topology_file, seconds, json);
}
