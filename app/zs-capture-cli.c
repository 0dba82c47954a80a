/* zs-capture-cli.c: `zmqscope capture`, ZeroMQ programs seen from the wire
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   zmqscope capture [--interface IF | --read FILE] [--ports LIST]
 *                    [--seconds N] [--save FILE] [--topology FILE] [--json]
 *
 * Decodes ZMTP from a capture file or a live interface and prints the
 * nodes, sockets, links and per-link figures it found. */
#define G_LOG_DOMAIN "zs-capture-cli"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <math.h>
#include <signal.h>

#include "zs-capture-cli.h"
#include "zs-cli.h"
#include "zs-topology-file.h"
#include "zs-wire-pcap.h"
#include "zs-wire-topology.h"

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

/* Reads until the file ends, or (live) `seconds` pass or a signal comes. */
static void
read_all (ZsWireInput *input,
          double       seconds)
{
  gint64 end = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  int stop = 0;
  guint sources[] = { g_unix_signal_add (SIGINT, on_stop_signal, &stop),
                      g_unix_signal_add (SIGTERM, on_stop_signal, &stop) };

  while (!stop && (!zs_wire_input_is_live (input) || g_get_monotonic_time () < end))
    {
      g_autoptr(GError) error = NULL;

      if (zs_wire_input_read (input, READ_SLICE_MS, &error) < 0)
        {
          if (error != NULL)
            g_printerr ("zmqscope: %s\n", error->message);
          break;
        }
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  for (guint i = 0; i < G_N_ELEMENTS (sources); i++)
    g_source_remove (sources[i]);
}

static int
cmd_capture (const char *interface,
             const char *file,
             const char *ports,
             const char *save,
             const char *topology_file,
             double      seconds,
             gboolean    json)
{
  g_autoptr(GError) error = NULL;
  ZsWire *wire = zs_wire_new ();
  g_autoptr(ZsWireInput) input = NULL;
  g_autoptr(ZsWireTopology) topology = NULL;
  g_autofree char *report = NULL;
  guint64 received = 0, dropped = 0;
  gboolean live;

  if (!zs_wire_set_ports (wire, ports, &error))
    {
      g_printerr ("zmqscope: --ports: %s\n", error->message);
      zs_wire_free (wire);
      return EXIT_USAGE;
    }
  input = file != NULL ? zs_wire_input_open_file (wire, file, &error)
                       : zs_wire_input_open_live (wire, interface, &error);
  if (input == NULL || (save != NULL && !zs_wire_input_save_to (input, save, &error)))
    {
      g_printerr ("zmqscope: %s\n", error->message);
      zs_wire_free (wire);
      return g_error_matches (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_PERMISSION) ? EXIT_FAILED : EXIT_USAGE;
    }
  live = zs_wire_input_is_live (input);
  if (live)
    g_printerr (_("zmqscope: capturing on “%s” (%s); Ctrl-C ends it\n"),
                interface != NULL ? interface : ZS_WIRE_DEFAULT_INTERFACE,
                zs_wire_get_auto_detect (wire) ? _("ZMTP found by its greeting") : ports);
  read_all (input, seconds > 0 ? seconds : DEFAULT_LIVE_SECONDS);
  zs_wire_finish (wire);
  topology = zs_wire_topology_new (wire, FALSE);
  if (zs_wire_input_get_drops (input, &received, &dropped))
    {
      topology->live = TRUE;
      topology->kernel_dropped = dropped;
    }
  /* The programs as a zmqscope file: open it, run it with simulated nodes. */
  if (topology_file != NULL && !zs_topology_save_to_file (topology->topology, topology_file, &error))
    {
      g_printerr ("zmqscope: %s\n", error->message);
      zs_wire_free (wire);
      return EXIT_USAGE;
    }
  /* What came from other programs' traffic is escaped already. */
  report = json ? zs_wire_topology_to_json (topology) : zs_wire_topology_to_text (topology);
  g_print ("%s\n", report);
  zs_wire_free (wire);
  return EXIT_OK;
}

int
zs_capture_cli_main (int    argc,
                     char **argv)
{
  g_autofree char *interface = NULL, *file = NULL, *ports = NULL, *save = NULL, *topology_file = NULL;
  double seconds = 0;
  gboolean json = FALSE;
  g_autoptr(GOptionContext) context = NULL;
  const GOptionEntry entries[] = {
    { "interface", 'i', 0, G_OPTION_ARG_STRING, &interface,
      N_("Capture live on this interface (default: loopback, “lo”; “any” for all); needs CAP_NET_RAW"), N_("IF") },
    { "read", 'r', 0, G_OPTION_ARG_FILENAME, &file,
      N_("Read a pcap or pcapng file instead (needs no privilege)"), N_("FILE") },
    { "ports", 'p', 0, G_OPTION_ARG_STRING, &ports,
      N_("Decode connections on these tcp ports, e.g. 5555,6000-6010, also those joined mid-stream "
         "(default: any connection whose start is seen and whose greeting is ZMTP)"), N_("LIST") },
    { "seconds", 's', 0, G_OPTION_ARG_DOUBLE, &seconds,
      N_("Live: stop after this many seconds (default: at Ctrl-C)"), N_("N") },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &save,
      N_("Also write the packets read to this pcap file"), N_("FILE") },
    { "topology", 0, 0, G_OPTION_ARG_FILENAME, &topology_file,
      N_("Also save the programs found as a zmqscope topology file (external nodes)"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };

  context = g_option_context_new (_("— the ZeroMQ programs on the wire: nodes, sockets, links and their figures"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!zs_cli_parse_options (context, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1 || (interface != NULL && file != NULL) || !isfinite (seconds) || seconds < 0
      || seconds > MAX_SECONDS)
    {
      g_printerr (_("Usage: zmqscope capture [--interface IF | --read FILE] [--ports LIST] [--seconds N] "
                    "[--save FILE] [--topology FILE] [--json]\n"));
      return EXIT_USAGE;
    }
  return cmd_capture (interface, file, ports, save, topology_file, seconds, json);
}
