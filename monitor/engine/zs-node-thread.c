/* zs-node-thread.c: a node's thread, from its start to its end
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-node-thread"

#include "config.h"

#include <glib/gi18n.h>
#include <zmq.h>

#include "zs-node-runner-private.h"
#include "zs-node-thread.h"
#include "zs-roles.h"

/* The role ended: TRUE when it reached its end. Every way a role fails
 * sets its error; should one ever not, the node still says it stopped
 * short rather than look merely stopped. */
static void
set_final_state (ZsRunner *runner,
                 gboolean  reached_end)
{
  if (!reached_end && _zs_runner_get_state (runner) != ZS_NODE_STATE_ERROR && !zs_runner_stopping (runner))
    zs_runner_fail (runner, _("The node stopped before reaching its end"));
  if (_zs_runner_get_state (runner) != ZS_NODE_STATE_ERROR)
    zs_runner_set_state (runner, reached_end ? ZS_NODE_STATE_DONE : ZS_NODE_STATE_STOPPED);
}

/* Opens the sockets and runs the role; when the node is killed meanwhile
 * (zs_engine_kill_node), it crashes, and a restart runs it again from the
 * start with the same sockets, fresh (the counters go on). */
static gboolean
run_role (ZsRunner     *runner,
          ZsNodeFaults *faults)
{
  for (;;)
    {
      gboolean ok;

      zs_runner_set_state (runner, ZS_NODE_STATE_STARTING);
      ok = _zs_runner_open (runner);
      _zs_runner_restarted (runner);
      if (ok)
        {
          zs_runner_set_state (runner, ZS_NODE_STATE_RUNNING);
          ok = zs_role_run (runner);
        }
      if (!_zs_runner_killed (runner))
        {
          atomic_store (&faults->busy, 0);
          /* A kill that came as the role ended finds nothing to crash. */
          atomic_store (&faults->kill, 0);
          return ok;
        }
      _zs_runner_crash (runner);
      if (!_zs_runner_wait_restart (runner))
        {
          atomic_store (&faults->busy, 0);
          return FALSE;
        }
    }
}

static gpointer
node_thread_main (gpointer data)
{
  ZsRunNode *rn = data;
  ZsRun *run = rn->run;
  ZsRunner *runner = _zs_runner_new (run, rn);
  gboolean done, ok;

  ok = run_role (runner, &run->faults->nodes[rn->index]);
  set_final_state (runner, ok);
  done = _zs_runner_get_state (runner) == ZS_NODE_STATE_DONE;
  if (done)
    zs_counter_set (&run->telemetry->nodes[rn->index].done_at_us, (guint64) g_get_monotonic_time ());
  atomic_fetch_sub (&run->senders_alive, 1);
  zs_run_node_finished (run, rn->index, done);
  /* A finished program would linger until its queued sends are flushed:
   * keep the sockets open until the run stops, then count what is left. */
  if (done)
    _zs_runner_wait_stop (runner);
  _zs_runner_close_sockets (runner);
  _zs_runner_free (runner);
  atomic_store (&rn->exited, 1);
  return NULL;
}

static void
fail_to_start (ZsRun       *run,
               guint        n,
               const char  *why)
{
  ZsNodeCounters *c = &run->telemetry->nodes[n];

  zs_telemetry_set_text (&c->error, g_strdup_printf (_("Could not start the node's thread: %s"), why));
  atomic_store (&c->state, ZS_NODE_STATE_ERROR);
  atomic_fetch_sub (&run->senders_alive, 1);
  zs_run_node_finished (run, n, FALSE);
}

void
zs_node_threads_start (ZsRun *run)
{
  int ours = 0;

  for (guint n = 0; n < run->n_nodes; n++)
    ours += !run->nodes[n].external;
  atomic_store (&run->senders_alive, ours);
  for (guint n = 0; n < run->n_nodes; n++)
    {
      ZsRunNode *rn = &run->nodes[n];
      g_autoptr(GError) error = NULL;
      g_autofree char *name = NULL;

      /* An outside program runs by itself: nothing of ours runs for it. */
      if (rn->external)
        continue;
      name = g_strdup_printf ("zs-%s", zs_node_get_name (rn->node));
      /* It may take a fault from now on: one asked before its thread runs
       * waits for it (zs-fault.h). */
      atomic_store (&run->faults->nodes[n].busy, 1);
      rn->thread = g_thread_try_new (name, node_thread_main, rn, &error);
      if (rn->thread == NULL)
        {
          atomic_store (&run->faults->nodes[n].busy, 0);
          fail_to_start (run, n, error->message);
        }
    }
}

static gboolean
all_threads_ended (ZsRun *run,
                   gint64 deadline)
{
  for (;;)
    {
      gboolean ended = TRUE;

      for (guint n = 0; n < run->n_nodes && ended; n++)
        ended = run->nodes[n].thread == NULL || atomic_load (&run->nodes[n].exited);
      if (ended || g_get_monotonic_time () > deadline)
        return ended;
      g_usleep (2000);
    }
}

void
zs_node_threads_join (ZsRun *run,
                      guint  grace_ms)
{
  if (!all_threads_ended (run, g_get_monotonic_time () + (gint64) grace_ms * 1000))
    zmq_ctx_shutdown (run->ctx);
  for (guint n = 0; n < run->n_nodes; n++)
    if (run->nodes[n].thread != NULL)
      g_thread_join (g_steal_pointer (&run->nodes[n].thread));
}
