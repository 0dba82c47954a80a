/* test-charts.c: the live charts, fed hand-made snapshots through a live model
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>

#include "zs-charts-private.h"
#include "zs-live-model.h"
#include "zs-gui-test.h"
#include "../zs-test-util.h"

#define START_US  G_GINT64_CONSTANT (1000000000)
#define SAMPLE_US 250000

/* Nodes: 0 push (binds) -> 1 pull: link 0; 2 pub (binds) -> 3 sub: link 1. */
enum { PUSH_NODE, PULL_NODE, PUB_NODE, SUB_NODE };
enum { PUSH_LINK, PUB_LINK };

typedef struct {
  ZsTopology  *topology;
  ZsLiveModel *model;
  ZsSnapshot  *snapshot;
  GtkWidget   *window;
  ZsCharts    *charts;
} Fixture;

/* 90 s of traffic at 4 Hz: PUSH->PULL ramps up to 40k msg/s with a queue
 * that fills and drains; PUB->SUB at 2.5k msg/s drops in bursts. */
static void
feed (Fixture *f,
      guint    n_samples)
{
  for (guint i = 0; i < n_samples; i++)
    {
      ZsSnapshot *s = f->snapshot;
      guint64 push = 100 * i;
      guint64 pub = 625;
      guint64 drops = (i / 20) % 3 == 0 ? 40 : 0;

      s->time_us += SAMPLE_US;
      s->links[PUSH_LINK].sent += push;
      s->links[PUSH_LINK].received += push;
      s->links[PUSH_LINK].in_flight = (i * 37) % 1800;
      s->links[PUB_LINK].sent += pub + drops;
      s->links[PUB_LINK].received += pub;
      s->links[PUB_LINK].dropped += drops;
      s->links[PUB_LINK].in_flight = 200 + (i % 10) * 30;
      s->nodes[PUSH_NODE].sent += push;
      s->nodes[PULL_NODE].received += push;
      s->nodes[PUB_NODE].sent += pub + drops;
      s->nodes[SUB_NODE].received += pub;
      zs_live_model_update (f->model, s);
    }
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->topology = zs_topology_new ();
  zs_test_add_node (f->topology, "push", ZS_ROLE_SOCKET, ZS_SOCKET_PUSH, "inproc://work", NULL);
  zs_test_add_node (f->topology, "pull", ZS_ROLE_SOCKET, ZS_SOCKET_PULL, NULL, "inproc://work");
  zs_test_add_node (f->topology, "pub", ZS_ROLE_SOCKET, ZS_SOCKET_PUB, "inproc://news", NULL);
  zs_test_add_node (f->topology, "sub", ZS_ROLE_SOCKET, ZS_SOCKET_SUB, NULL, "inproc://news");
  g_assert_cmpuint (zs_topology_get_links (f->topology)->len, ==, 2);

  f->model = zs_live_model_new (f->topology);
  f->snapshot = zs_snapshot_new (4, 2);
  f->snapshot->time_us = START_US;
  f->snapshot->running = TRUE;
  f->snapshot->links[PUSH_LINK].capacity = 2000;
  f->snapshot->links[PUB_LINK].capacity = 2000;
  zs_live_model_update (f->model, f->snapshot);   /* primes */
  feed (f, 360);

  f->charts = g_object_ref_sink (ZS_CHARTS (zs_charts_new ()));
  f->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f->window), 900, 560);
  gtk_window_set_child (GTK_WINDOW (f->window), GTK_WIDGET (f->charts));
  gtk_window_present (GTK_WINDOW (f->window));
  zs_gui_test_wait_ms (100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  zs_gui_test_wait_ms (20);
  g_assert_finalize_object (f->charts);
  zs_snapshot_free (f->snapshot);
  g_assert_finalize_object (f->model);
  g_assert_finalize_object (f->topology);
}

static void
test_empty (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;

  zs_charts_set_live_model (f->charts, f->model);
  g_assert_true (zs_charts_get_live_model (f->charts) == f->model);
  g_assert_cmpuint (_zs_charts_get_n_series (f->charts), ==, 0);
  texture = zs_gui_test_render (GTK_WIDGET (f->charts));
  g_assert_cmpuint (_zs_charts_get_n_series_drawn (f->charts), ==, 0);
  g_free (zs_gui_test_save_png (GTK_WIDGET (f->charts), "charts-empty.png"));
}

static void
test_series (Fixture       *f,
             gconstpointer  data)
{
  const int nodes[] = { PUSH_NODE, PUB_NODE };
  const int links[] = { PUSH_LINK, PUB_LINK };
  g_autoptr(GdkTexture) texture = NULL;

  /* A selection before the model: kept, charted once the model comes. */
  zs_charts_set_selection (f->charts, nodes, G_N_ELEMENTS (nodes), links, G_N_ELEMENTS (links));
  g_assert_cmpuint (_zs_charts_get_n_series (f->charts), ==, 0);
  zs_charts_set_live_model (f->charts, f->model);
  g_assert_cmpuint (_zs_charts_get_n_series (f->charts), ==, 4);
  zs_gui_test_wait_ms (50);
  texture = zs_gui_test_render (GTK_WIDGET (f->charts));
  g_assert_cmpuint (_zs_charts_get_n_series_drawn (f->charts), ==, 4);
  g_free (zs_gui_test_save_png (GTK_WIDGET (f->charts), "charts-1min.png"));

  /* Five minutes: the same series, 90 s of them. */
  zs_charts_set_window_seconds (f->charts, 300);
  g_assert_cmpuint (zs_charts_get_window_seconds (f->charts), ==, 300);
  g_clear_object (&texture);
  texture = zs_gui_test_render (GTK_WIDGET (f->charts));
  g_assert_cmpuint (_zs_charts_get_n_series_drawn (f->charts), ==, 4);
  g_free (zs_gui_test_save_png (GTK_WIDGET (f->charts), "charts-5min.png"));

  /* More samples arrive: the 4 Hz refresh picks them up by itself. */
  feed (f, 8);
  zs_gui_test_wait_ms (400);
  g_clear_object (&texture);
  texture = zs_gui_test_render (GTK_WIDGET (f->charts));
  g_assert_cmpuint (_zs_charts_get_n_series_drawn (f->charts), ==, 4);
}

static void
test_selection (Fixture       *f,
                gconstpointer  data)
{
  const int one_link[] = { PUB_LINK };
  const int bad[] = { -1, 7, SUB_NODE };
  g_autoptr(GdkTexture) texture = NULL;

  zs_charts_set_live_model (f->charts, f->model);
  zs_charts_set_selection (f->charts, NULL, 0, one_link, 1);
  g_assert_cmpuint (_zs_charts_get_n_series (f->charts), ==, 1);
  texture = zs_gui_test_render (GTK_WIDGET (f->charts));
  g_assert_cmpuint (_zs_charts_get_n_series_drawn (f->charts), ==, 1);

  /* Out-of-range indices are skipped. */
  zs_charts_set_selection (f->charts, bad, G_N_ELEMENTS (bad), bad, G_N_ELEMENTS (bad));
  g_assert_cmpuint (_zs_charts_get_n_series (f->charts), ==, 1);
  g_clear_object (&texture);
  texture = zs_gui_test_render (GTK_WIDGET (f->charts));
  g_assert_cmpuint (_zs_charts_get_n_series_drawn (f->charts), ==, 1);

  /* No model: nothing to chart. */
  zs_charts_set_live_model (f->charts, NULL);
  g_assert_cmpuint (_zs_charts_get_n_series (f->charts), ==, 0);
  g_clear_object (&texture);
  texture = zs_gui_test_render (GTK_WIDGET (f->charts));
  g_assert_cmpuint (_zs_charts_get_n_series_drawn (f->charts), ==, 0);
}

/* A fresh model with no sample yet: no line, no critical. */
static void
test_no_history (Fixture       *f,
                 gconstpointer  data)
{
  const int nodes[] = { PUSH_NODE, PULL_NODE, PUB_NODE, SUB_NODE };
  g_autoptr(ZsLiveModel) model = zs_live_model_new (f->topology);
  g_autoptr(GdkTexture) texture = NULL;

  zs_charts_set_live_model (f->charts, model);
  zs_charts_set_selection (f->charts, nodes, G_N_ELEMENTS (nodes), NULL, 0);
  g_assert_cmpuint (_zs_charts_get_n_series (f->charts), ==, 4);
  texture = zs_gui_test_render (GTK_WIDGET (f->charts));
  g_assert_cmpuint (_zs_charts_get_n_series_drawn (f->charts), ==, 0);
  zs_charts_set_live_model (f->charts, NULL);
}

#define ADD(name, func) \
  g_test_add ("/zmqscope/charts/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  ADD ("empty", test_empty);
  ADD ("series", test_series);
  ADD ("selection", test_selection);
  ADD ("no-history", test_no_history);

  return g_test_run ();
}
