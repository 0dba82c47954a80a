/* zs-wire-source.c: ZeroMQ programs seen from the wire as a run session's source
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "zs-wire-source.h"

/* How often a watch looks for new connections or the end of the input. */
#define WATCH_INTERVAL_MS 200
#define LIVE_WAIT_MS 100

struct _ZsWireSource
{
  GObject         parent_instance;
  GMutex          lock;          /* guards wire, input reads, finished, problem */
  ZsWire         *wire;
  ZsWireInput    *input;
  GThread        *thread;
  gint            stopping;      /* atomic */
  gboolean        live;
  gboolean        finished;
  char           *problem;
  ZsTopology     *topology;      /* the shape the session sees */
  ZsWireTopology *current;       /* the latest snapshot's, main thread */
  guint64         current_packets;   /* what `current` was built from */
  gboolean        current_finished;
  GHashTable     *rings;         /* connection id -> ZsCaptureRing, under the lock */
};

enum {
  SIGNAL_TOPOLOGY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_source_iface_init (ZsRunSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ZsWireSource, zs_wire_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ZS_TYPE_RUN_SOURCE, run_source_iface_init))

/* The reading thread -------------------------------------------------------- */

static void
finish_locked (ZsWireSource *self,
               GError       *error)
{
  if (self->finished)
    return;
  zs_wire_finish (self->wire);
  self->finished = TRUE;
  if (error != NULL)
    self->problem = g_strdup (error->message);
}

static gpointer
read_thread (gpointer data)
{
  ZsWireSource *self = data;

  while (!g_atomic_int_get (&self->stopping))
    {
      g_autoptr(GError) error = NULL;
      int n;

      /* Waits for packets without the lock: snapshots go on meanwhile. */
      if (self->live)
        zs_wire_input_wait (self->input, LIVE_WAIT_MS);
      g_mutex_lock (&self->lock);
      n = zs_wire_input_read (self->input, 0, &error);
      if (n < 0)
        finish_locked (self, error);
      g_mutex_unlock (&self->lock);
      if (n < 0)
        break;
    }
  return NULL;
}

G_STATIC_ASSERT (ZS_ZMTP_KEEP_DATA >= ZS_CAPTURE_MAX_BYTES);
G_STATIC_ASSERT (ZS_ZMTP_KEEP_FRAMES == ZS_CAPTURE_MAX_FRAMES);

/* Each connection's last messages, for the message inspector (called by
 * the reading thread, under the lock). */
static void
on_message (gpointer                user_data,
            const ZsWireConnection *connection,
            guint                   dir,
            gint64                  time_us,
            guint                   n_frames,
            const guint8          **data,
            const gsize            *kept,
            const guint64          *sizes)
{
  ZsWireSource *self = user_data;
  ZsCaptureRing *ring = g_hash_table_lookup (self->rings, GUINT_TO_POINTER (connection->id));
  ZsCaptureSource message = { time_us, 0, FALSE, NULL, dir, n_frames, { NULL }, { 0 } };

  if (ring == NULL)
    {
      ring = zs_capture_ring_new ();
      g_hash_table_insert (self->rings, GUINT_TO_POINTER (connection->id), ring);
    }
  for (guint i = 0; i < MIN (n_frames, ZS_CAPTURE_MAX_FRAMES); i++)
    {
      message.data[i] = data[i];
      /* The ring copies at most ZS_CAPTURE_MAX_BYTES: the decoder keeps that
       * much of each frame (zeros where the capture lost bytes). */
      message.sizes[i] = (gsize) MIN (sizes[i], (guint64) G_MAXSIZE);
    }
  zs_capture_ring_push (ring, &message);
}

/* Snapshots ------------------------------------------------------------------ */

/* Same nodes, sockets and links, by name and order. */
static gboolean
same_shape (ZsTopology *a,
            ZsTopology *b)
{
  if (zs_topology_get_n_nodes (a) != zs_topology_get_n_nodes (b)
      || zs_topology_get_links (a)->len != zs_topology_get_links (b)->len)
    return FALSE;
  for (guint i = 0; i < zs_topology_get_n_nodes (a); i++)
    {
      ZsNode *na = zs_topology_get_node (a, i), *nb = zs_topology_get_node (b, i);

      if (!g_str_equal (zs_node_get_name (na), zs_node_get_name (nb))
          || zs_node_get_n_sockets (na) != zs_node_get_n_sockets (nb))
        return FALSE;
      for (guint s = 0; s < zs_node_get_n_sockets (na); s++)
        if (zs_socket_spec_get_socket_type (zs_node_get_socket (na, s))
            != zs_socket_spec_get_socket_type (zs_node_get_socket (nb, s)))
          return FALSE;
    }
  return TRUE;
}

/* Builds what the wire shows now, if anything came since the last time;
 * a new shape replaces the topology. */
static void
refresh (ZsWireSource *self)
{
  ZsWireTopology *t;

  g_mutex_lock (&self->lock);
  if (self->current != NULL && self->current_packets == zs_wire_get_n_packets (self->wire)
      && self->current_finished == self->finished)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->current_packets = zs_wire_get_n_packets (self->wire);
  self->current_finished = self->finished;
  t = zs_wire_topology_new (self->wire, self->live && !self->finished);
  t->snapshot->finished = self->finished;
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->current, zs_wire_topology_free);
  self->current = t;
  if (!same_shape (self->topology, t->topology))
    {
      g_set_object (&self->topology, t->topology);
      g_signal_emit (self, signals[SIGNAL_TOPOLOGY_CHANGED], 0);
    }
}

/* The figures into a snapshot sized for the session's topology (which may
 * be an older, smaller shape: what fits is filled). */
static void
copy_snapshot (const ZsSnapshot *from,
               ZsSnapshot       *to)
{
  to->time_us = from->time_us;
  to->run_started_us = from->run_started_us;
  to->running = from->running;
  to->finished = from->finished;
  for (guint i = 0; i < MIN (from->n_nodes, to->n_nodes); i++)
    {
      g_free (to->nodes[i].error);
      g_free (to->nodes[i].result);
      to->nodes[i] = from->nodes[i];
      to->nodes[i].error = NULL;
      to->nodes[i].result = NULL;
    }
  for (guint i = 0; i < MIN (from->n_links, to->n_links); i++)
    to->links[i] = from->links[i];
}

/* ZsRunSource ------------------------------------------------------------------ */

static ZsTopology *
source_get_topology (ZsRunSource *source)
{
  refresh (ZS_WIRE_SOURCE (source));
  return ZS_WIRE_SOURCE (source)->topology;
}

static int
compare_captures (gconstpointer a,
                  gconstpointer b)
{
  const ZsCapture *x = *(ZsCapture * const *) a, *y = *(ZsCapture * const *) b;

  return x->time_us < y->time_us ? -1 : x->time_us > y->time_us;
}

/* The link's connections' last messages, oldest first, at most a ring's worth. */
static GPtrArray *
source_get_captures (ZsRunSource *source,
                     guint        link)
{
  ZsWireSource *self = ZS_WIRE_SOURCE (source);
  GPtrArray *all = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_capture_free);
  const ZsWireLink *l;

  refresh (self);
  if (link >= self->current->links->len)
    return all;
  l = g_ptr_array_index (self->current->links, link);
  g_mutex_lock (&self->lock);
  for (guint i = 0; i < l->connection_ids->len; i++)
    {
      ZsCaptureRing *ring = g_hash_table_lookup (self->rings,
                                                 GUINT_TO_POINTER (g_array_index (l->connection_ids, guint, i)));
      g_autoptr(GPtrArray) some = ring != NULL ? zs_capture_ring_dup (ring) : NULL;

      if (some == NULL)
        continue;
      g_ptr_array_set_free_func (some, NULL);
      for (guint k = 0; k < some->len; k++)
        g_ptr_array_add (all, g_ptr_array_index (some, k));
    }
  g_mutex_unlock (&self->lock);
  g_ptr_array_sort (all, compare_captures);
  if (all->len > ZS_CAPTURE_SLOTS)
    g_ptr_array_remove_range (all, 0, all->len - ZS_CAPTURE_SLOTS);
  return all;
}

static ZsRunSourceFlags
source_get_flags (ZsRunSource *source)
{
  return ZS_WIRE_SOURCE (source)->live ? ZS_RUN_SOURCE_LIVE : 0;
}

static void
source_snapshot_into (ZsRunSource *source,
                      ZsSnapshot  *snapshot)
{
  ZsWireSource *self = ZS_WIRE_SOURCE (source);

  refresh (self);
  copy_snapshot (self->current->snapshot, snapshot);
}

typedef struct {
  ZsWireSource *self;
  GSourceFunc   func;
  gpointer      data;
  guint         connections;
  gboolean      finished;
} Watch;

static gboolean
on_watch (gpointer data)
{
  Watch *w = data;
  guint connections;
  gboolean finished;

  g_mutex_lock (&w->self->lock);
  connections = zs_wire_get_connections (w->self->wire)->len;
  finished = w->self->finished;
  g_mutex_unlock (&w->self->lock);
  if (connections == w->connections && finished == w->finished)
    return G_SOURCE_CONTINUE;
  w->connections = connections;
  w->finished = finished;
  return w->func (w->data);
}

static void
watch_free (gpointer data)
{
  Watch *w = data;

  g_object_unref (w->self);
  g_free (w);
}

/* New connections and the end of the input wake the main context; the
 * watch holds the source until it is removed. */
static guint
source_add_watch (ZsRunSource *source,
                  GSourceFunc  func,
                  gpointer     data)
{
  Watch *w = g_new0 (Watch, 1);

  w->self = g_object_ref (ZS_WIRE_SOURCE (source));
  w->func = func;
  w->data = data;
  return g_timeout_add_full (G_PRIORITY_DEFAULT, WATCH_INTERVAL_MS, on_watch, w, watch_free);
}

static void
source_stop (ZsRunSource *source)
{
  ZsWireSource *self = ZS_WIRE_SOURCE (source);

  if (self->thread == NULL)
    return;
  g_atomic_int_set (&self->stopping, 1);
  g_thread_join (g_steal_pointer (&self->thread));
  g_mutex_lock (&self->lock);
  finish_locked (self, NULL);
  g_mutex_unlock (&self->lock);
}

static void
run_source_iface_init (ZsRunSourceInterface *iface)
{
  iface->get_topology = source_get_topology;
  iface->get_flags = source_get_flags;
  iface->snapshot_into = source_snapshot_into;
  iface->get_captures = source_get_captures;
  iface->add_watch = source_add_watch;
  iface->stop = source_stop;
}

/* GObject ----------------------------------------------------------------------- */

static void
zs_wire_source_finalize (GObject *object)
{
  ZsWireSource *self = ZS_WIRE_SOURCE (object);

  source_stop (ZS_RUN_SOURCE (self));
  zs_wire_input_free (self->input);
  zs_wire_free (self->wire);
  g_clear_pointer (&self->current, zs_wire_topology_free);
  g_clear_object (&self->topology);
  g_free (self->problem);
  g_hash_table_unref (self->rings);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (zs_wire_source_parent_class)->finalize (object);
}

static void
zs_wire_source_class_init (ZsWireSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = zs_wire_source_finalize;

  signals[SIGNAL_TOPOLOGY_CHANGED] =
    g_signal_new ("topology-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
zs_wire_source_init (ZsWireSource *self)
{
  g_mutex_init (&self->lock);
  self->wire = zs_wire_new ();
  self->topology = zs_topology_new ();
  self->rings = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) zs_capture_ring_free);
  zs_wire_set_message_func (self->wire, on_message, self);
}

static ZsWireSource *
start (ZsWireSource *self,
       const char   *ports,
       gboolean      live,
       const char   *where,
       GError      **error)
{
  if (!zs_wire_set_ports (self->wire, ports, error))
    {
      g_object_unref (self);
      return NULL;
    }
  self->input = live ? zs_wire_input_open_live (self->wire, where, error)
                     : zs_wire_input_open_file (self->wire, where, error);
  if (self->input == NULL)
    {
      g_object_unref (self);
      return NULL;
    }
  self->live = live;
  self->thread = g_thread_new ("zs-wire", read_thread, self);
  return self;
}

ZsWireSource *
zs_wire_source_new_live (const char  *interface,
                         const char  *ports,
                         GError     **error)
{
  return start (g_object_new (ZS_TYPE_WIRE_SOURCE, NULL), ports, TRUE, interface, error);
}

ZsWireSource *
zs_wire_source_new_file (const char  *path,
                         const char  *ports,
                         GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return start (g_object_new (ZS_TYPE_WIRE_SOURCE, NULL), ports, FALSE, path, error);
}

gboolean
zs_wire_source_is_finished (ZsWireSource *self)
{
  gboolean finished;

  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self), FALSE);

  g_mutex_lock (&self->lock);
  finished = self->finished;
  g_mutex_unlock (&self->lock);
  return finished;
}

const char *
zs_wire_source_get_problem (ZsWireSource *self)
{
  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self), NULL);
  return zs_wire_source_is_finished (self) ? self->problem : NULL;
}

ZsWireTopology *
zs_wire_source_get_wire_topology (ZsWireSource *self)
{
  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self), NULL);
  refresh (self);
  return self->current;
}
