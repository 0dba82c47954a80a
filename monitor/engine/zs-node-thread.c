/* zs-node-thread.c: a node's thread, from its start to its end
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-node-thread"

#include "config.h"

#include <glib/gi18n.h>
#include <sys/mman.h>
#include <unistd.h>
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

/* Node threads run on small stacks carved out of one mapping, each with
 * a guard page below it, rather than on GLib's threads: GLib's thread API
 * has no stack size, and with libc's default of 8 MiB a thread, mapping,
 * guarding and unmapping a thousand stacks one by one (each in a page
 * table of its own) was most of the CPU a stop of 1 000 nodes took, and
 * a good part of a start (issue #14). The one mapping goes at once, after
 * every thread was joined.
 * The deepest a node thread's stack went over the monitor suite (847
 * threads: every role, inproc, ipc and tcp, faults, live changes, the
 * CLI), with libc's thread block and TLS at its top, was 16 KiB (pages
 * touched, by mincore); glibc uses alloca up to a quarter of a thread's
 * stack (64 KiB here) before it takes the heap. 256 KiB leaves both
 * a wide margin. */
#define NODE_STACK_SIZE (256 * 1024)

static gsize
page_size (void)
{
  return (gsize) sysconf (_SC_PAGESIZE);
}

/* Maps a stack for each of n_threads node threads; on a failure, the
 * threads take libc's default stacks. */
static void
map_stacks (ZsRun *run,
            guint  n_threads)
{
  gsize size = (gsize) n_threads * NODE_STACK_SIZE;
  guint8 *stacks;

  if (n_threads == 0)
    return;
  stacks = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
  if (stacks == MAP_FAILED)
    {
      g_debug ("no stacks for the node threads: %s", g_strerror (errno));
      return;
    }
  for (guint i = 0; i < n_threads; i++)
    if (mprotect (stacks + (gsize) i * NODE_STACK_SIZE, page_size (), PROT_NONE) != 0)
      {
        g_debug ("no guard page for a node thread's stack: %s", g_strerror (errno));
        munmap (stacks, size);
        return;
      }
  run->node_stacks = stacks;
  run->node_stacks_size = size;
}

static void
unmap_stacks (ZsRun *run)
{
  if (run->node_stacks != NULL && munmap (run->node_stacks, run->node_stacks_size) != 0)
    g_debug ("could not unmap the node threads' stacks: %s", g_strerror (errno));
  run->node_stacks = NULL;
  run->node_stacks_size = 0;
}

/* The thread's name, as GLib would set it: "zs-" and the node's name, cut
 * to the kernel's 15 bytes. */
static void
name_thread (ZsRunNode *rn)
{
  g_autofree char *name = g_strdup_printf ("zs-%s", zs_node_get_name (rn->node));
  char cut[16];

  g_strlcpy (cut, name, sizeof cut);
  pthread_setname_np (pthread_self (), cut);
}

static gpointer
node_thread_main (gpointer data)
{
  ZsRunNode *rn = data;
  ZsRun *run = rn->run;
  ZsRunner *runner;
  gboolean done, ok;

  name_thread (rn);
  runner = _zs_runner_new (run, rn);
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
fail_to_start (ZsRun *run,
               guint  n,
               int    why)
{
  ZsNodeCounters *c = &run->telemetry->nodes[n];

  zs_telemetry_set_text (&c->error, g_strdup_printf (_("Could not start the node's thread: %s"), g_strerror (why)));
  atomic_store (&c->state, ZS_NODE_STATE_ERROR);
  atomic_fetch_sub (&run->senders_alive, 1);
  zs_run_node_finished (run, n, FALSE);
}

/* Starts the thread of the node in stack `slot`; 0 or an errno. */
static int
start_thread (ZsRun     *run,
              ZsRunNode *rn,
              guint      slot)
{
  pthread_attr_t attr;
  int rc;

  pthread_attr_init (&attr);
  if (run->node_stacks != NULL)
    pthread_attr_setstack (&attr, run->node_stacks + (gsize) slot * NODE_STACK_SIZE + page_size (),
                           NODE_STACK_SIZE - page_size ());
  rc = pthread_create (&rn->thread, &attr, node_thread_main, rn);
  pthread_attr_destroy (&attr);
  rn->has_thread = rc == 0;
  return rc;
}

void
zs_node_threads_start (ZsRun *run)
{
  int ours = 0;
  guint slot = 0;

  for (guint n = 0; n < run->n_nodes; n++)
    ours += !run->nodes[n].external;
  atomic_store (&run->senders_alive, ours);
  map_stacks (run, (guint) ours);
  for (guint n = 0; n < run->n_nodes; n++)
    {
      ZsRunNode *rn = &run->nodes[n];
      int rc;

      /* An outside program runs by itself: nothing of ours runs for it. */
      if (rn->external)
        continue;
      /* It may take a fault from now on: one asked before its thread runs
       * waits for it (zs-fault.h). */
      atomic_store (&run->faults->nodes[n].busy, 1);
      rc = start_thread (run, rn, slot++);
      if (rc != 0)
        {
          atomic_store (&run->faults->nodes[n].busy, 0);
          fail_to_start (run, n, rc);
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
        ended = !run->nodes[n].has_thread || atomic_load (&run->nodes[n].exited);
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
    if (run->nodes[n].has_thread)
      {
        pthread_join (run->nodes[n].thread, NULL);
        run->nodes[n].has_thread = FALSE;
      }
  unmap_stacks (run);
}
