/* zs-bench-route-ui.c: frame times while the canvas routes in the background
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue #10: layout and routing of a 200-node topology must never block a
 * frame. Topology: --pipelines (default 25) of ventilator -> 6 workers ->
 * sink over inproc (8 nodes each: 200), written without positions, so the
 * canvas arranges it when it is set (timed: card measurement, dot and the
 * positions, on the main thread). A 1280x800 window shows it, fitted.
 * Then, every frame for --frames frames, one worker moves 16 units down or
 * back up, as a drag does: each move re-routes every link in the
 * background thread. Printed: the frame clock's intervals (16.7 ms at
 * 60 Hz when no frame is missed), each frame's main-thread work
 * (before-paint .. after-paint), of which the canvas's layout after the
 * move (cards, link ends, routes or stretched ones, labels: what runs
 * on the main thread for routing), and how many frames had every link
 * routed for the cards as they were.
 * Run under Xvfb:
 *   xvfb-run -a -s "-screen 0 1280x800x24" ./build/bench/zs-bench-route-ui
 */
#define G_LOG_DOMAIN "zs-bench-route-ui"

#include "config.h"

#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>

#include "zs-canvas-private.h"
#include "zs-topology-file.h"

#define WORKERS 6

static int opt_pipelines = 25;
static int opt_frames = 300;

typedef struct {
  ZsCanvas  *canvas;
  ZsNode    *mover;
  double     mover_y;
  GArray    *intervals;   /* double ms */
  GArray    *work;        /* double ms */
  GArray    *layout;      /* double ms: the canvas's layout after a move */
  gint64     last_frame;
  gint64     paint_start;
  guint      frames;
  guint      routes;      /* frames at which the routes were current */
  gboolean   done;
} Bench;

static char *
generate (guint pipelines)
{
  GString *json = g_string_new ("{ \"zmqscope\": 1, \"title\": \"bench\", \"nodes\": [\n");

  for (guint p = 0; p < pipelines; p++)
    {
      g_string_append_printf (json,
        "{ \"name\": \"vent-%u\", \"role\": \"ventilator\", \"sockets\": ["
        "{ \"name\": \"tasks\", \"type\": \"PUSH\", \"binds\": [\"inproc://t%u\"] },"
        "{ \"name\": \"sink\", \"type\": \"PUSH\", \"connects\": [\"inproc://s%u\"] } ] },\n", p, p, p);
      for (guint w = 0; w < WORKERS; w++)
        g_string_append_printf (json,
          "{ \"name\": \"work-%u-%u\", \"role\": \"worker\", \"sockets\": ["
          "{ \"name\": \"in\", \"type\": \"PULL\", \"connects\": [\"inproc://t%u\"] },"
          "{ \"name\": \"out\", \"type\": \"PUSH\", \"connects\": [\"inproc://s%u\"] } ] },\n", p, w, p, p);
      g_string_append_printf (json,
        "{ \"name\": \"sink-%u\", \"role\": \"sink\", \"sockets\": ["
        "{ \"name\": \"in\", \"type\": \"PULL\", \"binds\": [\"inproc://s%u\"] } ] }%s\n",
        p, p, p + 1 < pipelines ? "," : "");
    }
  g_string_append (json, "] }\n");
  return g_string_free (json, FALSE);
}

static void
on_before_paint_cb (GdkFrameClock *clock,
                    Bench         *b)
{
  b->paint_start = g_get_monotonic_time ();
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   Bench         *b)
{
  double ms = (g_get_monotonic_time () - b->paint_start) / 1000.0;

  if (b->frames > 0 && !b->done)
    g_array_append_val (b->work, ms);
}

static gboolean
on_tick_cb (GtkWidget     *widget,
            GdkFrameClock *clock,
            gpointer       user_data)
{
  Bench *b = user_data;
  gint64 now = gdk_frame_clock_get_frame_time (clock);

  if (b->last_frame != 0)
    {
      double ms = (now - b->last_frame) / 1000.0;

      g_array_append_val (b->intervals, ms);
    }
  b->last_frame = now;
  b->routes += b->canvas->routed;
  /* A drag's step: one card moves, every link is routed again. */
  zs_node_set_position (b->mover, zs_node_get_x (b->mover), b->mover_y + (b->frames % 2 == 0 ? 16 : 0));
  now = g_get_monotonic_time ();
  _zs_canvas_ensure_layout (b->canvas);
  {
    double ms = (g_get_monotonic_time () - now) / 1000.0;

    g_array_append_val (b->layout, ms);
  }
  if (++b->frames >= (guint) opt_frames)
    {
      b->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_stats (const char *what,
             GArray     *values)
{
  double *v = (double *) values->data;

  g_array_sort (values, compare_double);
  if (values->len == 0)
    return;
  printf ("%-44s p50 %6.1f  p95 %6.1f  max %6.1f ms (%u frames)\n", what, v[values->len / 2],
          v[values->len * 95 / 100], v[values->len - 1], values->len);
}

int
main (int    argc,
      char **argv)
{
  GOptionEntry entries[] = {
    { "pipelines", 'p', 0, G_OPTION_ARG_INT, &opt_pipelines, "Pipelines of 8 nodes (default 25: 200 nodes)", "N" },
    { "frames", 'f', 0, G_OPTION_ARG_INT, &opt_frames, "Frames to move a card over (default 300)", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- frames while the canvas routes");
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) topology = NULL;
  g_autofree char *json = NULL;
  Bench b = { 0 };
  GtkWidget *window;
  GdkFrameClock *clock;
  gint64 start, deadline;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt_pipelines < 1 || opt_frames < 2)
    {
      g_printerr ("%s\n", error != NULL ? error->message : "--pipelines >= 1, --frames >= 2");
      return 1;
    }
  setvbuf (stdout, NULL, _IOLBF, 0);
  gtk_init ();

  json = generate (opt_pipelines);
  topology = zs_topology_load_from_data (json, -1, &error);
  if (topology == NULL)
    g_error ("%s", error->message);
  b.intervals = g_array_new (FALSE, FALSE, sizeof (double));
  b.work = g_array_new (FALSE, FALSE, sizeof (double));
  b.layout = g_array_new (FALSE, FALSE, sizeof (double));
  b.canvas = ZS_CANVAS (zs_canvas_new ());
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (b.canvas));
  gtk_window_present (GTK_WINDOW (window));

  /* Arranged as it is set: no positions in the file. */
  start = g_get_monotonic_time ();
  zs_canvas_set_topology (b.canvas, topology);
  printf ("zs-bench-route-ui: %u nodes, %u links\n", zs_topology_get_n_nodes (topology),
          zs_topology_get_links (topology)->len);
  printf ("arrange on opening (measure cards, dot, positions): %.1f ms\n",
          (g_get_monotonic_time () - start) / 1000.0);

  start = g_get_monotonic_time ();
  deadline = start + 60 * G_USEC_PER_SEC;
  while (!_zs_canvas_is_routed (b.canvas) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  printf ("first route of every link (background): %.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  b.mover = zs_topology_find_node (topology, "work-0-2");
  b.mover_y = zs_node_get_y (b.mover);
  clock = gtk_widget_get_frame_clock (window);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint_cb), &b);
  g_signal_connect_after (clock, "after-paint", G_CALLBACK (on_after_paint_cb), &b);
  gtk_widget_add_tick_callback (GTK_WIDGET (b.canvas), on_tick_cb, &b, NULL);
  while (!b.done && g_get_monotonic_time () < deadline + 60 * G_USEC_PER_SEC)
    g_main_context_iteration (NULL, TRUE);

  printf ("a card moving every frame, routes in the background:\n");
  print_stats ("  frame interval (frame clock)", b.intervals);
  print_stats ("  frame work (main thread, before..after paint)", b.work);
  print_stats ("  of which the layout after a move", b.layout);
  printf ("  frames drawn with every link routed: %u of %u\n", b.routes, b.frames);
  g_signal_handlers_disconnect_by_data (clock, &b);
  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (b.intervals);
  g_array_unref (b.work);
  g_array_unref (b.layout);
  return 0;
}
