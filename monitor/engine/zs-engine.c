/* zs-engine.c: starts, paces, stops and observes a run
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-engine"

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <sys/eventfd.h>

#include "zs-engine.h"
#include "zs-monitor-thread.h"
#include "zs-node-thread.h"
#include "zs-run.h"
#include "zs-snapshot-fill.h"
#include "zs-trace.h"
#include "zs-validator.h"

/* How long stop waits for nodes to drain and end before it forces them. */
#define STOP_GRACE_MS 600
/* How often the memory cap is checked: at 175 MB/s, 18 MB between looks. */
#define MEMORY_CHECK_MS 100

struct _ZsEngine {
  GObject        parent_instance;
  ZsTopology    *topology;   /* frozen copy */
  ZsRun         *run;
  ZsEngineState  state;
  double         speed;
  gboolean       start_paused;
  guint64        memory_cap;
  GThread       *watchdog;   /* checks the memory cap while the run goes */
  GMutex         run_lock;   /* guards `run` against snapshots from other threads */
  GArray        *relayed;    /* guint: links routed through the relay from the start */
};

G_DEFINE_TYPE (ZsEngine, zs_engine, G_TYPE_OBJECT)
G_DEFINE_QUARK (zs-engine-error-quark, zs_engine_error)

static void
zs_engine_finalize (GObject *object)
{
  ZsEngine *self = ZS_ENGINE (object);

  zs_engine_stop (self);
  g_clear_pointer (&self->run, zs_run_free);
  g_clear_pointer (&self->relayed, g_array_unref);
  g_clear_object (&self->topology);
  g_mutex_clear (&self->run_lock);
  G_OBJECT_CLASS (zs_engine_parent_class)->finalize (object);
}

static void
zs_engine_class_init (ZsEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zs_engine_finalize;
}

static void
zs_engine_init (ZsEngine *self)
{
  g_mutex_init (&self->run_lock);
  self->memory_cap = ZS_ENGINE_DEFAULT_MEMORY_CAP;
}

ZsEngine *
zs_engine_new (ZsTopology *topology)
{
  ZsEngine *self;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);

  self = g_object_new (ZS_TYPE_ENGINE, NULL);
  self->topology = zs_topology_copy (topology);
  return self;
}

ZsTopology *
zs_engine_get_topology (ZsEngine *self)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), NULL);
  return self->topology;
}

ZsEngineState
zs_engine_get_state (ZsEngine *self)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), ZS_ENGINE_STATE_IDLE);
  return self->state;
}

static gboolean
check_findings (ZsEngine  *self,
                GError   **error)
{
  g_autoptr(GPtrArray) findings = zs_validate (self->topology);
  g_autoptr(GString) text = NULL;

  if (!zs_findings_have_errors (findings))
    return TRUE;
  text = g_string_new (_("The topology has errors; fix them before running:"));
  for (guint i = 0; i < findings->len; i++)
    {
      ZsFinding *f = g_ptr_array_index (findings, i);
      g_autofree char *line = NULL;

      if (f->severity != ZS_SEVERITY_ERROR)
        continue;
      line = zs_finding_to_string (f);
      g_string_append_printf (text, "\n  %s", line);
    }
  g_set_error_literal (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_INVALID, text->str);
  return FALSE;
}

void
zs_engine_set_memory_cap (ZsEngine *self,
                          guint64   bytes)
{
  g_return_if_fail (ZS_IS_ENGINE (self));

  self->memory_cap = bytes;
}

/* What libzmq 4.3.4 holds per queued message (measured, inproc PUSH→PULL,
 * HWM 0): a 64-byte zmq_msg_t; content over 33 bytes is malloc'd, with
 * about 60 bytes of overhead (16 B: 64, 34 B: 160, 100 B: 224, 1000 B: 1120). */
#define MSG_T_BYTES 64
#define MSG_INLINE_MAX 33
#define MSG_MALLOC_OVERHEAD 60

static guint64
queued_bytes (const ZsLinkStats *l)
{
  guint64 size = (l->sent > 0 ? l->sent_bytes / l->sent : 0) + ZS_TRACE_SIZE;

  return l->in_flight * (MSG_T_BYTES + (size > MSG_INLINE_MAX ? size + MSG_MALLOC_OVERHEAD : 0));
}

static char *
link_name (ZsRun  *run,
           ZsLink *link)
{
  ZsNode *cn = run->nodes[link->connect_node].node;
  ZsNode *bn = run->nodes[link->bind_node].node;

  return g_strdup_printf ("%s.%s %s %s.%s", zs_node_get_name (cn),
                          zs_socket_spec_get_name (zs_node_get_socket (cn, link->connect_socket)),
                          link->to_bind ? "->" : "<-", zs_node_get_name (bn),
                          zs_socket_spec_get_name (zs_node_get_socket (bn, link->bind_socket)));
}

/* Routes a tcp link through the run's relay (zs-relay.h). */
static gboolean
route_link (ZsRun   *run,
            guint    l,
            GError **error)
{
  ZsLink *link = g_ptr_array_index (run->links, l);
  guint flows = (link->to_bind ? 1 : 0) | (link->to_connect ? 2 : 0);

  return zs_relay_route (run->relay, l, link->connect_endpoint, flows, error);
}

/* Estimated bytes libzmq holds for messages queued on unlimited (HWM 0)
 * links; past the cap, aborts the run naming the link (TRUE). */
static gboolean
check_memory (ZsRun      *run,
              ZsSnapshot *scratch)
{
  guint64 total = 0, worst_bytes = 0;
  int worst = -1;
  g_autofree char *name = NULL;

  if (run->memory_cap == 0)
    return FALSE;
  zs_snapshot_fill (scratch, run);
  for (guint l = 0; l < scratch->n_links; l++)
    {
      guint64 bytes;

      if (scratch->links[l].capacity != 0)
        continue;
      bytes = queued_bytes (&scratch->links[l]);
      total += bytes;
      if (bytes > worst_bytes)
        {
          worst_bytes = bytes;
          worst = (int) l;
        }
    }
  if (total <= run->memory_cap || worst < 0)
    return FALSE;
  name = link_name (run, g_ptr_array_index (run->links, worst));
  zs_run_abort (run, g_strdup_printf (_("stopped the run: messages queued on links without a high-water mark "
                                        "(HWM 0) held about %" PRIu64 " MiB, over the cap of "
                                        "%" PRIu64 " MiB; most on %s (%" PRIu64
                                        " messages, about %" PRIu64 " MiB): its receiver does not "
                                        "keep up. Set an HWM on that link, slow the sender, or raise the cap "
                                        "(--memory-cap)"),
                                      total >> 20, run->memory_cap >> 20, name,
                                      scratch->links[worst].in_flight, worst_bytes >> 20));
  return TRUE;
}

/* Whether a link of the run has no HWM: only those can fill memory. */
static gboolean
has_unlimited_link (ZsRun *run)
{
  for (guint l = 0; l < run->links->len; l++)
    if (zs_run_flow_capacity (run, l, 0) == 0 || zs_run_flow_capacity (run, l, 1) == 0)
      return TRUE;
  return FALSE;
}

/* Until the run stops: past the cap, stops it (check_memory). */
static gpointer
watchdog_main (gpointer data)
{
  ZsRun *run = data;
  g_autoptr(ZsSnapshot) scratch = zs_snapshot_new (run->n_nodes, run->links->len);
  struct pollfd stop = { run->stop_fd, POLLIN, 0 };

  while (poll (&stop, 1, MEMORY_CHECK_MS) == 0 || (stop.revents == 0 && errno == EINTR))
    if (check_memory (run, scratch))
      break;
  return NULL;
}

gboolean
zs_engine_start (ZsEngine  *self,
                 GError   **error)
{
  ZsRun *run;

  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);

  if (self->state == ZS_ENGINE_STATE_RUNNING || self->state == ZS_ENGINE_STATE_PAUSED)
    {
      g_set_error_literal (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_STATE, _("The topology is already running"));
      return FALSE;
    }
  if (!check_findings (self, error))
    return FALSE;
  run = zs_run_new (self->topology, error);
  if (run == NULL)
    return FALSE;
  zs_gate_set_rate (run->gate, self->speed);
  zs_gate_set_paused (run->gate, self->start_paused);
  run->memory_cap = self->memory_cap;
  for (guint i = 0; self->relayed != NULL && i < self->relayed->len; i++)
    if (g_array_index (self->relayed, guint, i) < run->links->len
        && !route_link (run, g_array_index (self->relayed, guint, i), error))
      {
        zs_run_free (run);
        return FALSE;
      }
  run->monitor = zs_monitor_thread_new (run);
  run->started_us = g_get_monotonic_time ();

  g_mutex_lock (&self->run_lock);
  g_clear_pointer (&self->run, zs_run_free);
  self->run = run;
  g_mutex_unlock (&self->run_lock);

  zs_node_threads_start (run);
  /* With an HWM on every link, nothing to watch: no wake-ups. */
  if (run->memory_cap > 0 && has_unlimited_link (run))
    self->watchdog = g_thread_new ("zs-watchdog", watchdog_main, run);
  self->state = self->start_paused ? ZS_ENGINE_STATE_PAUSED : ZS_ENGINE_STATE_RUNNING;
  self->start_paused = FALSE;
  return TRUE;
}

void
zs_engine_pause (ZsEngine *self)
{
  g_return_if_fail (ZS_IS_ENGINE (self));

  /* Before a run: it starts paused, so not one message slips through. */
  if (self->state != ZS_ENGINE_STATE_RUNNING && self->state != ZS_ENGINE_STATE_PAUSED)
    self->start_paused = TRUE;
  if (self->state != ZS_ENGINE_STATE_RUNNING)
    return;
  zs_gate_set_paused (self->run->gate, TRUE);
  self->state = ZS_ENGINE_STATE_PAUSED;
}

void
zs_engine_resume (ZsEngine *self)
{
  g_return_if_fail (ZS_IS_ENGINE (self));

  if (self->state != ZS_ENGINE_STATE_PAUSED)
    return;
  zs_gate_set_paused (self->run->gate, FALSE);
  self->state = ZS_ENGINE_STATE_RUNNING;
}

void
zs_engine_set_speed (ZsEngine *self,
                     double    messages_per_second)
{
  g_return_if_fail (ZS_IS_ENGINE (self));

  self->speed = MAX (messages_per_second, 0);
  if (self->run != NULL)
    zs_gate_set_rate (self->run->gate, self->speed);
}

double
zs_engine_get_speed (ZsEngine *self)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), 0);
  return self->speed;
}

void
zs_engine_step (ZsEngine *self)
{
  g_return_if_fail (ZS_IS_ENGINE (self));

  if (self->state == ZS_ENGINE_STATE_PAUSED)
    zs_gate_step (self->run->gate);
}

gboolean
zs_engine_wait (ZsEngine *self,
                guint     timeout_ms)
{
  ZsRun *run;
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean done;

  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);

  run = self->run;
  if (run == NULL)
    return FALSE;
  g_mutex_lock (&run->mutex);
  while (!(run->n_with_end > 0 && run->ends_pending == 0) && !zs_run_is_stopping (run)
         && g_cond_wait_until (&run->cond, &run->mutex, deadline))
    ;
  done = run->n_with_end > 0 && run->ends_pending == 0;
  g_mutex_unlock (&run->mutex);
  return done;
}

typedef struct {
  GSourceFunc func;
  gpointer    data;
} Watch;

static gboolean
on_event_fd (int          fd,
             GIOCondition condition,
             gpointer     data)
{
  Watch *watch = data;
  eventfd_t ignored;

  eventfd_read (fd, &ignored);
  return watch->func (watch->data);
}

guint
zs_engine_add_watch (ZsEngine    *self,
                     GSourceFunc  func,
                     gpointer     data)
{
  g_autoptr(GSource) source = NULL;
  Watch *watch;

  g_return_val_if_fail (ZS_IS_ENGINE (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  if (self->run == NULL)
    return 0;
  watch = g_new (Watch, 1);
  *watch = (Watch) { func, data };
  source = g_unix_fd_source_new (self->run->event_fd, G_IO_IN);
  g_source_set_callback (source, G_SOURCE_FUNC (on_event_fd), watch, g_free);
  g_source_set_static_name (source, "[zs-engine] node ended");
  return g_source_attach (source, g_main_context_get_thread_default ());
}

void
zs_engine_stop (ZsEngine *self)
{
  ZsRun *run;

  g_return_if_fail (ZS_IS_ENGINE (self));

  run = self->run;
  if (run == NULL || (self->state != ZS_ENGINE_STATE_RUNNING && self->state != ZS_ENGINE_STATE_PAUSED))
    return;
  atomic_store (&run->stopping, 1);
  zs_gate_close (run->gate);
  eventfd_write (run->stop_fd, 1);
  zs_run_peers_changed (run, -1);

  /* Nodes drain what is queued and close their own sockets; one still stuck
   * after the grace period is freed by shutting the context down. */
  zs_node_threads_join (run, STOP_GRACE_MS);
  zs_relay_stop (run->relay);
  if (self->watchdog != NULL)
    g_thread_join (g_steal_pointer (&self->watchdog));
  g_clear_pointer (&run->monitor, zs_monitor_thread_free);
  zs_run_settle (run);
  zs_run_term_context (run);
  zs_run_remove_ipc_files (run);
  self->state = ZS_ENGINE_STATE_STOPPED;
}

ZsSnapshot *
zs_engine_snapshot (ZsEngine *self)
{
  ZsSnapshot *snapshot;
  guint n_links;

  g_return_val_if_fail (ZS_IS_ENGINE (self), NULL);

  n_links = zs_topology_get_links (self->topology)->len;
  snapshot = zs_snapshot_new (zs_topology_get_n_nodes (self->topology), n_links);
  zs_engine_snapshot_into (self, snapshot);
  return snapshot;
}

void
zs_engine_snapshot_into (ZsEngine   *self,
                         ZsSnapshot *snapshot)
{
  g_return_if_fail (ZS_IS_ENGINE (self));
  g_return_if_fail (snapshot != NULL);

  g_mutex_lock (&self->run_lock);
  if (self->run != NULL)
    zs_snapshot_fill (snapshot, self->run);
  else
    snapshot->time_us = g_get_monotonic_time ();
  snapshot->running = self->state == ZS_ENGINE_STATE_RUNNING || self->state == ZS_ENGINE_STATE_PAUSED;
  g_mutex_unlock (&self->run_lock);
}

void
zs_engine_set_capture (ZsEngine *self,
                       guint     link,
                       gboolean  capture)
{
  g_return_if_fail (ZS_IS_ENGINE (self));

  g_mutex_lock (&self->run_lock);
  if (self->run != NULL && link < self->run->links->len)
    atomic_store (&self->run->capturing[link], capture ? 1 : 0);
  g_mutex_unlock (&self->run_lock);
}

GPtrArray *
zs_engine_get_captures (ZsEngine *self,
                        guint     link)
{
  GPtrArray *captures = NULL;

  g_return_val_if_fail (ZS_IS_ENGINE (self), NULL);

  g_mutex_lock (&self->run_lock);
  if (self->run != NULL && link < self->run->links->len)
    captures = zs_capture_ring_dup (self->run->captures[link]);
  g_mutex_unlock (&self->run_lock);
  return captures ? captures : g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);
}

char *
zs_engine_untraced_reason (ZsTopology *topology,
                           guint       node,
                           guint       socket)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);
  g_return_val_if_fail (node < zs_topology_get_n_nodes (topology), NULL);

  return zs_run_untraced_reason (topology, node, socket);
}

/* ---- faults ---- */

typedef enum {
  FAULT_KILL,
  FAULT_RESTART,
  FAULT_PAUSE,
  FAULT_RESUME,
  FAULT_SLOW,
} NodeFaultKind;

/* Asks node `node`'s thread for a fault, if it can take it now; under
 * run_lock. */
static gboolean
ask_node_locked (ZsEngine       *self,
                 guint           node,
                 NodeFaultKind   kind,
                 double          factor,
                 GError        **error)
{
  ZsRun *run = self->run;
  ZsNodeFaults *f;
  const char *name;
  const char *why = NULL;

  if (run == NULL || zs_run_is_stopping (run)
      || (self->state != ZS_ENGINE_STATE_RUNNING && self->state != ZS_ENGINE_STATE_PAUSED))
    why = _("the run is not going");
  else if (node >= run->n_nodes)
    why = _("there is no such node");
  if (why != NULL)
    {
      g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("Cannot do that now: %s"), why);
      return FALSE;
    }
  f = &run->faults->nodes[node];
  name = zs_node_get_name (run->nodes[node].node);
  if (run->nodes[node].external)
    why = _("it is an outside program: zmqscope does not run it");
  else if (kind == FAULT_RESTART && atomic_load (&f->state) != ZS_NODE_FAULT_KILLED)
    why = _("it was not killed");
  else if (kind == FAULT_RESUME && !atomic_load (&f->paused))
    why = _("it is not paused");
  else if (kind != FAULT_RESTART && kind != FAULT_SLOW && atomic_load (&f->state) == ZS_NODE_FAULT_KILLED)
    why = _("it is killed (restart it first)");
  else if (kind == FAULT_KILL && atomic_load (&f->kill))
    why = _("it is being killed");
  else if ((kind == FAULT_KILL || kind == FAULT_PAUSE) && !atomic_load (&f->busy))
    why = _("it has ended");
  else if (kind == FAULT_PAUSE && atomic_load (&f->paused))
    why = _("it is already paused");
  else if (kind == FAULT_SLOW && !(factor >= 0.001 && factor <= 1000))
    why = _("the factor must be from 0.001 to 1000");
  if (why != NULL)
    {
      g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("Node “%s” cannot take that fault now: %s"),
                   name, why);
      return FALSE;
    }
  switch (kind)
    {
    case FAULT_KILL:    atomic_store (&f->kill, 1); break;
    case FAULT_RESTART: atomic_store (&f->restart, 1); break;
    case FAULT_PAUSE:   atomic_store (&f->paused, 1); break;
    case FAULT_RESUME:  atomic_store (&f->paused, 0); break;
    case FAULT_SLOW:
    default:
      atomic_store (&f->slow, (guint) llround (factor * ZS_FAULT_SLOW_ONE));
      break;
    }
  zs_faults_poke (run->faults, node);
  /* A sleeping node looks at its faults too (a kill ends its sleep). */
  zs_gate_wake (run->gate);
  return TRUE;
}

static gboolean
ask_node (ZsEngine       *self,
          guint           node,
          NodeFaultKind   kind,
          double          factor,
          GError        **error)
{
  gboolean ok;

  g_mutex_lock (&self->run_lock);
  ok = ask_node_locked (self, node, kind, factor, error);
  g_mutex_unlock (&self->run_lock);
  return ok;
}

gboolean
zs_engine_kill_node (ZsEngine  *self,
                     guint      node,
                     GError   **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  return ask_node (self, node, FAULT_KILL, 0, error);
}

gboolean
zs_engine_restart_node (ZsEngine  *self,
                        guint      node,
                        GError   **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  return ask_node (self, node, FAULT_RESTART, 0, error);
}

gboolean
zs_engine_pause_node (ZsEngine  *self,
                      guint      node,
                      GError   **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  return ask_node (self, node, FAULT_PAUSE, 0, error);
}

gboolean
zs_engine_resume_node (ZsEngine  *self,
                       guint      node,
                       GError   **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  return ask_node (self, node, FAULT_RESUME, 0, error);
}

gboolean
zs_engine_slow_node (ZsEngine  *self,
                     guint      node,
                     double     factor,
                     GError   **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  return ask_node (self, node, FAULT_SLOW, factor, error);
}

/* A link takes a fault only while the run goes; under run_lock. */
static gboolean
link_can_take_faults (ZsEngine  *self,
                      guint      link,
                      GError   **error)
{
  ZsRun *run = self->run;
  const char *why = NULL;

  if (run == NULL || zs_run_is_stopping (run)
      || (self->state != ZS_ENGINE_STATE_RUNNING && self->state != ZS_ENGINE_STATE_PAUSED))
    why = _("the run is not going");
  else if (link >= run->links->len)
    why = _("there is no such link");
  if (why != NULL)
    g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("Cannot do that now: %s"), why);
  return why == NULL;
}

static gboolean
is_throttled (ZsRun *run,
              guint  link)
{
  guint delay_ms;
  double loss;

  zs_relay_get_throttle (run->relay, link, &delay_ms, &loss);
  return delay_ms > 0 || loss > 0;
}

/* Asks the link's connecting node to cut (or restore: whole again, no
 * delay, no loss) it; under run_lock. */
static gboolean
ask_link_locked (ZsEngine  *self,
                 guint      link,
                 gboolean   cut,
                 GError   **error)
{
  ZsRun *run = self->run;
  ZsLinkFaults *lf;
  const char *why = NULL;
  g_autofree char *name = NULL;

  if (!link_can_take_faults (self, link, error))
    return FALSE;
  lf = &run->faults->links[link];
  name = link_name (run, g_ptr_array_index (run->links, link));
  if (run->nodes[lf->owner].external)
    why = _("its connecting end is an outside program");
  else if (zs_faults_link_changed (run->faults, link))
    why = _("it was changed during the run");
  else if (cut && atomic_load (&lf->cut_wanted))
    why = _("it is already cut");
  else if (!cut && !atomic_load (&lf->cut_wanted) && !is_throttled (run, link))
    why = _("it is neither cut nor delayed nor losing messages");
  if (why != NULL)
    {
      g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("Link %s cannot take that fault now: %s"),
                   name, why);
      return FALSE;
    }
  if (!cut && is_throttled (run, link))
    zs_relay_set_throttle (run->relay, link, 0, 0);
  atomic_store (&lf->cut_wanted, cut ? 1 : 0);
  atomic_fetch_add (&run->faults->nodes[lf->owner].link_requests, 1);
  zs_faults_poke (run->faults, lf->owner);
  zs_gate_wake (run->gate);
  return TRUE;
}

static gboolean
ask_link (ZsEngine  *self,
          guint      link,
          gboolean   cut,
          GError   **error)
{
  gboolean ok;

  g_mutex_lock (&self->run_lock);
  ok = ask_link_locked (self, link, cut, error);
  g_mutex_unlock (&self->run_lock);
  return ok;
}

gboolean
zs_engine_cut_link (ZsEngine  *self,
                    guint      link,
                    GError   **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  return ask_link (self, link, TRUE, error);
}

gboolean
zs_engine_restore_link (ZsEngine  *self,
                        guint      link,
                        GError   **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  return ask_link (self, link, FALSE, error);
}

void
zs_engine_relay_link (ZsEngine *self,
                      guint     link)
{
  g_return_if_fail (ZS_IS_ENGINE (self));

  if (self->relayed == NULL)
    self->relayed = g_array_new (FALSE, FALSE, sizeof (guint));
  g_array_append_val (self->relayed, link);
}

/* Delay or loss on a tcp link: through the relay (routed now if it was
 * not: its connecting node re-connects there); under run_lock. */
static gboolean
throttle_link_locked (ZsEngine  *self,
                      guint      link,
                      int        delay_ms,
                      double     loss_percent,
                      GError   **error)
{
  ZsRun *run = self->run;
  g_autofree char *name = NULL;
  const char *why = NULL;
  guint delay;
  double loss;
  ZsLink *l;

  if (!link_can_take_faults (self, link, error))
    return FALSE;
  l = g_ptr_array_index (run->links, link);
  name = link_name (run, l);
  if (l->transport != ZS_TRANSPORT_TCP)
    why = _("only a tcp link goes through the relay that delays and loses messages");
  else if (run->nodes[l->connect_node].external)
    why = _("its connecting end is an outside program");
  if (why != NULL)
    {
      g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("Link %s cannot take that fault now: %s"),
                   name, why);
      return FALSE;
    }
  if (!route_link (run, link, error))
    return FALSE;
  zs_relay_get_throttle (run->relay, link, &delay, &loss);
  zs_relay_set_throttle (run->relay, link, delay_ms >= 0 ? (guint) delay_ms : delay,
                         loss_percent >= 0 ? loss_percent : loss);
  atomic_fetch_add (&run->faults->nodes[run->faults->links[link].owner].link_requests, 1);
  zs_faults_poke (run->faults, run->faults->links[link].owner);
  zs_gate_wake (run->gate);
  return TRUE;
}

gboolean
zs_engine_throttle_link (ZsEngine  *self,
                         guint      link,
                         int        delay_ms,
                         double     loss_percent,
                         GError   **error)
{
  gboolean ok;

  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (loss_percent <= 100, FALSE);

  g_mutex_lock (&self->run_lock);
  ok = throttle_link_locked (self, link, delay_ms, loss_percent, error);
  g_mutex_unlock (&self->run_lock);
  return ok;
}

/* ---- live changes (zs-fault.h, zs-node-runner-live.c) ---- */

static const char *
why_not_now (ZsEngine *self)
{
  if (self->run == NULL || zs_run_is_stopping (self->run)
      || (self->state != ZS_ENGINE_STATE_RUNNING && self->state != ZS_ENGINE_STATE_PAUSED))
    return _("the run is not going");
  return NULL;
}

/* Why a link's ends cannot make a new connection now, or NULL. */
static const char *
why_link_stays (ZsRun *run,
                guint  link)
{
  ZsLinkLive *live = &run->faults->links[link].live;

  for (guint end = 0; end < 2; end++)
    {
      if (run->nodes[live->node[end]].external)
        return _("one of its ends is an outside program");
      if (atomic_load (&run->faults->nodes[live->node[end]].state) == ZS_NODE_FAULT_KILLED)
        return _("one of its nodes is killed (restart it first)");
    }
  if (atomic_load (&run->faults->links[link].cut_wanted))
    return _("it is cut (restore it first)");
  return NULL;
}

static gboolean
change_link (ZsEngine     *self,
             guint         link,
             gboolean      flip,
             int           transport,
             GError      **error)
{
  const char *why;
  g_autofree char *name = NULL;

  g_mutex_lock (&self->run_lock);
  why = why_not_now (self);
  if (why == NULL && link >= self->run->links->len)
    why = _("there is no such link");
  if (why != NULL)
    {
      g_mutex_unlock (&self->run_lock);
      g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("Cannot do that now: %s"), why);
      return FALSE;
    }
  name = link_name (self->run, g_ptr_array_index (self->run->links, link));
  why = why_link_stays (self->run, link);
  if (why == NULL && transport >= 0 && transport != ZS_TRANSPORT_INPROC && transport != ZS_TRANSPORT_IPC
      && transport != ZS_TRANSPORT_TCP)
    why = _("its transport can be inproc, ipc or tcp");
  if (why == NULL)
    {
      zs_faults_change_link (self->run->faults, link, flip, transport, self->run->run_tag);
      zs_gate_wake (self->run->gate);
    }
  g_mutex_unlock (&self->run_lock);
  if (why != NULL)
    g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("Link %s cannot change now: %s"), name, why);
  return why == NULL;
}

gboolean
zs_engine_flip_link (ZsEngine  *self,
                     guint      link,
                     GError   **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  return change_link (self, link, TRUE, -1, error);
}

gboolean
zs_engine_set_link_transport (ZsEngine     *self,
                              guint         link,
                              ZsTransport   transport,
                              GError      **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  return change_link (self, link, FALSE, (int) transport, error);
}

/* Under run_lock: the HWM is asked of the socket; its thread sets it,
 * then has each link of the socket that can reconnect (libzmq sizes new
 * pipes only): zs-node-runner-live.c. */
static void
change_hwm_locked (ZsEngine *self,
                   guint     socket,
                   guint     which,
                   int       hwm)
{
  ZsRun *run = self->run;

  atomic_store (&run->faults->sockets[socket].hwm[which], hwm);
  atomic_store (&run->faults->sockets[socket].renew, 1);
  zs_faults_ask_node (run->faults, run->sockets[socket].node);
  zs_gate_wake (run->gate);
}

gboolean
zs_engine_set_socket_hwm (ZsEngine  *self,
                          guint      node,
                          guint      socket,
                          gboolean   send,
                          int        hwm,
                          GError   **error)
{
  const char *why;
  ZsRunNode *rn = NULL;

  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);

  g_mutex_lock (&self->run_lock);
  why = why_not_now (self);
  if (why == NULL && (node >= self->run->n_nodes || socket >= self->run->nodes[node].n_sockets))
    why = _("there is no such socket");
  else if (why == NULL && self->run->nodes[node].external)
    why = _("it is an outside program: zmqscope does not run it");
  else if (why == NULL && atomic_load (&self->run->faults->nodes[node].state) == ZS_NODE_FAULT_KILLED)
    why = _("it is killed (restart it first)");
  else if (why == NULL && hwm < 0)
    why = _("an HWM is 0 (no limit) or more");
  else if (why == NULL
           && (self->run->sockets[self->run->nodes[node].first_socket + socket].type == ZS_SOCKET_REQ
               || self->run->sockets[self->run->nodes[node].first_socket + socket].type == ZS_SOCKET_REP))
    /* The socket opens again with it: a request would lose its reply. */
    why = _("a REQ or REP socket keeps its requests and replies in step: change its HWM while stopped");
  if (why == NULL)
    {
      rn = &self->run->nodes[node];
      change_hwm_locked (self, rn->first_socket + socket, send ? 0 : 1, hwm);
    }
  g_mutex_unlock (&self->run_lock);
  if (why != NULL)
    g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("Cannot change that HWM now: %s"), why);
  return why == NULL;
}

gboolean
zs_engine_apply_fault (ZsEngine           *self,
                       const ZsFaultStep  *step,
                       GError            **error)
{
  g_return_val_if_fail (ZS_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (step != NULL, FALSE);

  switch (step->kind)
    {
    case ZS_FAULT_KILL:    return ask_node (self, step->target, FAULT_KILL, 0, error);
    case ZS_FAULT_RESTART: return ask_node (self, step->target, FAULT_RESTART, 0, error);
    case ZS_FAULT_PAUSE:   return ask_node (self, step->target, FAULT_PAUSE, 0, error);
    case ZS_FAULT_RESUME:  return ask_node (self, step->target, FAULT_RESUME, 0, error);
    case ZS_FAULT_SLOW:    return ask_node (self, step->target, FAULT_SLOW, step->factor, error);
    case ZS_FAULT_CUT:     return ask_link (self, step->target, TRUE, error);
    case ZS_FAULT_DELAY:   return zs_engine_throttle_link (self, step->target, (int) step->factor, -1, error);
    case ZS_FAULT_LOSS:    return zs_engine_throttle_link (self, step->target, -1, step->factor, error);
    case ZS_FAULT_FLIP:    return zs_engine_flip_link (self, step->target, error);
    case ZS_FAULT_TRANSPORT:
      return zs_engine_set_link_transport (self, step->target, (ZsTransport) step->value, error);
    case ZS_FAULT_HWM:
      return zs_engine_set_socket_hwm (self, step->target, step->socket, step->send, step->value, error);
    case ZS_FAULT_RESTORE:
    default:               return ask_link (self, step->target, FALSE, error);
    }
}

gint64
zs_engine_get_run_time_us (ZsEngine *self)
{
  gint64 now = 0;

  g_return_val_if_fail (ZS_IS_ENGINE (self), 0);

  g_mutex_lock (&self->run_lock);
  if (self->run != NULL)
    now = zs_gate_now (self->run->gate);
  g_mutex_unlock (&self->run_lock);
  return now;
}
