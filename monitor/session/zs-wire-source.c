/* zs-wire-source.c: ZeroMQ programs seen from the wire as a run session's source
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <string.h>
#include <zmq.h>

#include "zs-wire-kept.h"
#include "zs-wire-source.h"
#include "zs-wire-stream.h"

/* How often a watch looks for new connections or the end of the input. */
#define WATCH_INTERVAL_MS 200
#define POLL_MS 100
/* A connection's id in the merged states: its helper's index above it. */
#define HELPER_SHIFT 40
/* Exit status of a helper that lacks the capability. */
#define HELPER_EXIT_PERMISSION 3

typedef struct {
  char              *endpoint;
  void              *socket;       /* the reading thread's once it runs */
  ZsWireStreamState *state;        /* the latest, under the lock */
} Helper;

struct _ZsWireSource
{
  GObject         parent_instance;
  GMutex          lock;          /* guards the helpers' states, kept messages, generation, finished, problem */
  void           *context;
  GPtrArray      *helpers;       /* Helper */
  GSubprocess    *process;       /* the helper this source started, if any */
  GThread        *thread;
  gint            stopping;      /* atomic */
  gboolean        live;
  gboolean        stopped;
  guint64         generation;    /* states received */
  guint64         refused;
  ZsTopology     *topology;      /* the shape the session sees */
  ZsWireTopology *current;       /* the latest snapshot's, main thread */
  guint64         current_generation;
  gboolean        current_finished;
  char           *problem;       /* main thread: what `current` was built with */
  ZsWireKept     *kept;          /* by merged connection id, under the lock */
};

enum {
  SIGNAL_TOPOLOGY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void run_source_iface_init (ZsRunSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ZsWireSource, zs_wire_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (ZS_TYPE_RUN_SOURCE, run_source_iface_init))

static void
helper_free (Helper *h)
{
  g_free (h->endpoint);
  if (h->socket != NULL)
    zmq_close (h->socket);
  zs_wire_stream_state_free (h->state);
  g_free (h);
}

/* Finished: the capture stopped, or every helper read its file to the end. */
static gboolean
finished_locked (ZsWireSource *self)
{
  if (self->stopped)
    return TRUE;
  for (guint i = 0; i < self->helpers->len; i++)
    {
      Helper *h = g_ptr_array_index (self->helpers, i);

      if (h->state == NULL || !h->state->finished)
        return FALSE;
    }
  return self->helpers->len > 0;
}

/* The reading thread: the streams, untrusted ---------------------------------------- */

static guint64
merged_id (guint   helper,
           guint64 id)
{
  return ((guint64) helper << HELPER_SHIFT) | (id & ((G_GUINT64_CONSTANT (1) << HELPER_SHIFT) - 1));
}

/* Each connection's last messages, for the message inspector. */
static void
take_messages (ZsWireSource *self,
               guint         helper,
               GArray       *messages)
{
  for (guint i = 0; i < messages->len; i++)
    {
      const ZsWireStreamMessage *m = &g_array_index (messages, ZsWireStreamMessage, i);
      ZsCaptureSource message = { m->time_us, 0, FALSE, NULL, m->dir, m->n_frames, { NULL }, { 0 } };

      for (guint f = 0; f < m->n_kept; f++)
        {
          message.data[f] = m->data[f];
          message.sizes[f] = (gsize) MIN (m->sizes[f], (guint64) G_MAXSIZE);
        }
      /* One sent again to a client that came later is there already. */
      zs_wire_kept_push (self->kept, merged_id (helper, m->connection), m->seq, &message);
    }
}

static void
take (ZsWireSource *self,
      guint         index,
      const guint8 *data,
      gsize         len)
{
  Helper *h = g_ptr_array_index (self->helpers, index);
  g_autoptr(GError) error = NULL;
  ZsWireStreamKind kind;

  if (!zs_wire_stream_peek_kind (data, len, &kind, &error))
    ;
  else if (kind == ZS_WIRE_STREAM_STATE)
    {
      ZsWireStreamState *state = zs_wire_stream_decode_state (data, len, &error);

      if (state != NULL)
        {
          for (guint i = 0; i < state->connections->len; i++)
            {
              ZsWireConnState *c = g_ptr_array_index (state->connections, i);

              c->id = merged_id (index, c->id);
            }
          g_mutex_lock (&self->lock);
          zs_wire_stream_state_free (h->state);
          h->state = state;
          self->generation++;
          g_mutex_unlock (&self->lock);
        }
    }
  else
    {
      g_autoptr(GArray) messages = zs_wire_stream_decode_messages (data, len, &error);

      if (messages != NULL)
        {
          g_mutex_lock (&self->lock);
          take_messages (self, index, messages);
          g_mutex_unlock (&self->lock);
        }
    }
  if (error != NULL)
    {
      g_mutex_lock (&self->lock);
      self->refused++;
      g_mutex_unlock (&self->lock);
      g_debug ("%s: %s", h->endpoint, error->message);
    }
}

static gpointer
read_thread (gpointer data)
{
  ZsWireSource *self = data;
  guint n = self->helpers->len;
  g_autofree zmq_pollitem_t *items = g_new0 (zmq_pollitem_t, n);

  for (guint i = 0; i < n; i++)
    {
      items[i].socket = ((Helper *) g_ptr_array_index (self->helpers, i))->socket;
      items[i].events = ZMQ_POLLIN;
    }
  while (!g_atomic_int_get (&self->stopping))
    {
      if (zmq_poll (items, (int) n, POLL_MS) <= 0)
        continue;
      for (guint i = 0; i < n; i++)
        {
          zmq_msg_t msg;

          if (!(items[i].revents & ZMQ_POLLIN))
            continue;
          zmq_msg_init (&msg);
          while (zmq_msg_recv (&msg, items[i].socket, ZMQ_DONTWAIT) >= 0)
            {
              /* One-part messages only: more parts are not this format. */
              if (!zmq_msg_more (&msg))
                take (self, i, zmq_msg_data (&msg), zmq_msg_size (&msg));
            }
          zmq_msg_close (&msg);
        }
    }
  for (guint i = 0; i < n; i++)
    {
      Helper *h = g_ptr_array_index (self->helpers, i);

      zmq_close (h->socket);
      h->socket = NULL;
    }
  return NULL;
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

/* What every helper sees, merged (under the lock). */
static ZsWireTopology *
merge_locked (ZsWireSource *self,
              gboolean      finished)
{
  g_autoptr(GPtrArray) merged = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_wire_conn_state_free);
  g_autoptr(GHashTable) index = zs_wire_state_index_new ();
  ZsWireTopology *t;
  guint64 packets = 0, skipped = 0, overflow = 0, dropped = 0, let_go = 0;
  gboolean live = FALSE;

  g_clear_pointer (&self->problem, g_free);
  for (guint i = 0; i < self->helpers->len; i++)
    {
      ZsWireStreamState *s = ((Helper *) g_ptr_array_index (self->helpers, i))->state;

      if (s == NULL)
        continue;
      for (guint c = 0; c < s->connections->len; c++)
        zs_wire_state_merge (merged, index, g_ptr_array_index (s->connections, c));
      packets += s->packets;
      skipped += s->skipped;
      overflow += s->overflow;
      dropped += s->kernel_dropped;
      let_go += s->let_go;
      live |= s->live;
      if (s->problem != NULL && self->problem == NULL)
        self->problem = g_strdup (s->problem);
    }
  t = zs_wire_topology_new_from_states (merged, self->live && !finished);
  t->packets = packets;
  t->skipped = skipped;
  t->overflow = overflow;
  t->live = live;
  t->kernel_dropped = dropped;
  t->snapshot->finished = finished;
  t->snapshot->wire.captured = TRUE;
  t->snapshot->wire.live = live;
  t->snapshot->wire.kernel_dropped = dropped;
  t->snapshot->wire.helper_let_go = let_go;
  /* Packets the kernel dropped held messages not seen: the counts are low. */
  for (guint i = 0; i < t->snapshot->n_links && dropped > 0; i++)
    t->snapshot->links[i].sent_estimated = TRUE;
  return t;
}

static void end_process (ZsWireSource *self);

/* Builds what the wire shows now, if anything came since the last time;
 * a new shape replaces the topology. A helper of our own that read its
 * file to the end has nothing more to say: it ends. */
static void
refresh (ZsWireSource *self)
{
  ZsWireTopology *t;
  gboolean finished;

  g_mutex_lock (&self->lock);
  finished = finished_locked (self);
  if (self->current != NULL && self->current_generation == self->generation && self->current_finished == finished)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  self->current_generation = self->generation;
  self->current_finished = finished;
  t = merge_locked (self, finished);
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->current, zs_wire_topology_free);
  self->current = t;
  if (finished && !self->live)
    end_process (self);
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
  to->wire = from->wire;
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
      g_autoptr(GPtrArray) some = zs_wire_kept_dup (self->kept, g_array_index (l->connection_ids, guint64, i));

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
  g_mutex_lock (&self->lock);
  snapshot->wire.let_go = zs_wire_kept_get_n_let_go (self->kept);
  g_mutex_unlock (&self->lock);
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
  guint connections = 0;
  gboolean finished;

  g_mutex_lock (&w->self->lock);
  for (guint i = 0; i < w->self->helpers->len; i++)
    {
      Helper *h = g_ptr_array_index (w->self->helpers, i);

      connections += h->state != NULL ? h->state->connections->len : 0;
    }
  finished = finished_locked (w->self);
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

/* The helper this source started ends with it. */
static void
end_process (ZsWireSource *self)
{
  if (self->process == NULL)
    return;
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

static void
source_stop (ZsRunSource *source)
{
  ZsWireSource *self = ZS_WIRE_SOURCE (source);

  if (self->thread != NULL)
    {
      g_atomic_int_set (&self->stopping, 1);
      g_thread_join (g_steal_pointer (&self->thread));
    }
  end_process (self);
  g_mutex_lock (&self->lock);
  self->stopped = TRUE;
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
  g_ptr_array_unref (self->helpers);
  zmq_ctx_term (self->context);
  g_clear_pointer (&self->current, zs_wire_topology_free);
  g_clear_object (&self->topology);
  g_free (self->problem);
  zs_wire_kept_free (self->kept);
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
  self->context = zmq_ctx_new ();
  self->helpers = g_ptr_array_new_with_free_func ((GDestroyNotify) helper_free);
  self->topology = zs_topology_new ();
  self->kept = zs_wire_kept_new (ZS_WIRE_KEPT_MAX_BYTES, ZS_WIRE_KEPT_MAX_CONNECTIONS);
}

/* Connecting ----------------------------------------------------------------------- */

gboolean
zs_wire_source_load_key_pair (const char  *path,
                              char         public_key[41],
                              char         secret_key[41],
                              GError     **error)
{
  g_autofree char *text = NULL, *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (path != NULL && g_file_get_contents (path, &text, NULL, NULL))
    {
      lines = g_strsplit (g_strstrip (text), "\n", 3);
      if (g_strv_length (lines) != 2 || strlen (g_strstrip (lines[0])) != 40 || strlen (g_strstrip (lines[1])) != 40
          || zmq_curve_public (public_key, lines[1]) != 0 || !g_str_equal (public_key, lines[0]))
        {
          g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                       _("%s: not a key file (the public key, then the secret key, Z85, one a line)"), path);
          return FALSE;
        }
      memcpy (secret_key, lines[1], 41);
      return TRUE;
    }
  if (zmq_curve_keypair (public_key, secret_key) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("this libzmq has no CURVE: %s"),
                   zmq_strerror (zmq_errno ()));
      return FALSE;
    }
  if (path == NULL)
    return TRUE;
  {
    g_autofree char *dir = g_path_get_dirname (path);

    g_mkdir_with_parents (dir, 0700);
  }
  contents = g_strdup_printf ("%s\n%s\n", public_key, secret_key);
  /* The secret key is readable by its owner only. */
  return g_file_set_contents_full (path, contents, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

char *
zs_wire_source_get_client_key_path (void)
{
  const char *env = g_getenv ("ZMQSCOPE_CLIENT_KEY_FILE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_config_dir (), "zmqscope", "capture-client.key", NULL);
}

/* A subscriber to one helper; over tcp it hears only the holder of `key`. */
static gboolean
add_helper (ZsWireSource  *self,
            const char    *endpoint,
            const char    *key,
            GError       **error)
{
  void *socket;
  gint64 max_size = ZS_WIRE_STREAM_MAX_SIZE;
  int linger = 0;
  Helper *h;

  if (!g_str_has_prefix (endpoint, "tcp://") && !g_str_has_prefix (endpoint, "ipc://"))
    {
      g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN,
                   _("“%s”: a capture helper is reached at tcp://HOST:PORT or ipc://PATH"), endpoint);
      return FALSE;
    }
  if (g_str_has_prefix (endpoint, "tcp://") && key == NULL)
    {
      g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN,
                   _("“%s”: over tcp the helper's public key is needed (it prints it at start)"), endpoint);
      return FALSE;
    }
  if (key != NULL)
    {
      guint8 decoded[32];

      if (strlen (key) != 40 || zmq_z85_decode (decoded, key) == NULL)
        {
          g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN,
                       _("“%s” is not a CURVE public key (40 characters, Z85)"), key);
          return FALSE;
        }
    }
  socket = zmq_socket (self->context, ZMQ_SUB);
  zmq_setsockopt (socket, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt (socket, ZMQ_MAXMSGSIZE, &max_size, sizeof max_size);
  zmq_setsockopt (socket, ZMQ_SUBSCRIBE, "", 0);
  if (key != NULL)
    {
      g_autofree char *path = zs_wire_source_get_client_key_path ();
      char public_key[41], secret_key[41];

      /* This user's key pair if there is one (a helper may let in only
       * known clients), else a new one: the helper need not know us. */
      if (!zs_wire_source_load_key_pair (g_file_test (path, G_FILE_TEST_EXISTS) ? path : NULL,
                                         public_key, secret_key, error))
        {
          zmq_close (socket);
          return FALSE;
        }
      zmq_setsockopt (socket, ZMQ_CURVE_SERVERKEY, key, 40);
      zmq_setsockopt (socket, ZMQ_CURVE_PUBLICKEY, public_key, 40);
      zmq_setsockopt (socket, ZMQ_CURVE_SECRETKEY, secret_key, 40);
      memset (secret_key, 0, sizeof secret_key);
    }
  if (zmq_connect (socket, endpoint) != 0)
    {
      g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot reach %s: %s"), endpoint,
                   zmq_strerror (zmq_errno ()));
      zmq_close (socket);
      return FALSE;
    }
  h = g_new0 (Helper, 1);
  h->endpoint = g_strdup (endpoint);
  h->socket = socket;
  g_ptr_array_add (self->helpers, h);
  return TRUE;
}

static void
start_reading (ZsWireSource *self)
{
  self->thread = g_thread_new ("zs-wire", read_thread, self);
}

char *
zs_wire_source_find_helper (void)
{
  const char *env = g_getenv ("ZMQSCOPE_CAPTURE_HELPER");
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *dir = exe != NULL ? g_path_get_dirname (exe) : NULL;
  const char *relative[] = { "zmqscope-capture", "../capture/zmqscope-capture", "../../capture/zmqscope-capture" };

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  for (guint i = 0; dir != NULL && i < G_N_ELEMENTS (relative); i++)
    {
      g_autofree char *path = g_build_filename (dir, relative[i], NULL);
      g_autofree char *canonical = g_canonicalize_filename (path, NULL);

      if (g_file_test (canonical, G_FILE_TEST_IS_EXECUTABLE) && !g_file_test (canonical, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&canonical);
    }
  return NULL;
}

/* The helper's words on standard error, without its name. */
static char *
helper_said (GSubprocess *process)
{
  GInputStream *err = g_subprocess_get_stderr_pipe (process);
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes (err, 64 * 1024, NULL, NULL);
  g_autofree char *text = bytes != NULL ? g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)) : NULL;
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  const char *p = g_strstrip (valid);

  if (g_str_has_prefix (p, "zmqscope-capture: "))
    p += strlen ("zmqscope-capture: ");
  return g_strdup (*p != '\0' ? p : _("the capture helper ended"));
}

/* Starts a helper of our own on ipc and reads its endpoint; it fails as
 * the helper does, with its words. */
static gboolean
start_helper (ZsWireSource       *self,
              const char * const *args,
              GError            **error)
{
  g_autofree char *path = zs_wire_source_find_helper ();
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *endpoint = NULL;

  if (path == NULL)
    {
      g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN,
                   _("the capture helper zmqscope-capture is not installed next to zmqscope"));
      return FALSE;
    }
  g_ptr_array_add (argv, path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  self->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                     G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
  if (self->process == NULL)
    return FALSE;
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  for (;;)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);

      if (line == NULL)
        break;
      if (g_str_has_prefix (line, "ENDPOINT "))
        {
          g_free (endpoint);
          endpoint = g_strdup (line + strlen ("ENDPOINT "));
        }
      else if (g_str_equal (line, "READY"))
        return endpoint != NULL && add_helper (self, endpoint, NULL, error);
    }
  /* It ended before it was ready: why. */
  g_subprocess_wait (self->process, NULL, NULL);
  {
    g_autofree char *said = helper_said (self->process);
    gboolean permission = g_subprocess_get_if_exited (self->process)
                          && g_subprocess_get_exit_status (self->process) == HELPER_EXIT_PERMISSION;

    g_set_error_literal (error, ZS_WIRE_ERROR, permission ? ZS_WIRE_ERROR_PERMISSION : ZS_WIRE_ERROR_OPEN, said);
  }
  g_clear_object (&self->process);
  return FALSE;
}

ZsWireSource *
zs_wire_source_new_local (const char  *interface,
                          const char  *file,
                          const char  *ports,
                          const char  *save,
                          GError     **error)
{
  g_autoptr(ZsWireSource) self = g_object_new (ZS_TYPE_WIRE_SOURCE, NULL);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  ZsWire *wire = zs_wire_new ();
  gboolean live = file == NULL;
  gboolean ports_ok = zs_wire_set_ports (wire, ports, error);

  g_ptr_array_add (args, live ? "--interface" : "--read");
  g_ptr_array_add (args, (gpointer) (live ? (interface != NULL ? interface : ZS_WIRE_DEFAULT_INTERFACE) : file));
  if (ports != NULL)
    {
      g_ptr_array_add (args, "--ports");
      g_ptr_array_add (args, (gpointer) ports);
    }
  if (save != NULL)
    {
      g_ptr_array_add (args, "--save");
      g_ptr_array_add (args, (gpointer) save);
    }
  g_ptr_array_add (args, NULL);
  /* The ports are checked here: a mistake is the user's, said as such. */
  zs_wire_free (wire);
  if (!ports_ok || !start_helper (self, (const char * const *) args->pdata, error))
    return NULL;
  self->live = live;
  start_reading (self);
  return g_steal_pointer (&self);
}

ZsWireSource *
zs_wire_source_new_live (const char  *interface,
                         const char  *ports,
                         GError     **error)
{
  return zs_wire_source_new_local (interface, NULL, ports, NULL, error);
}

ZsWireSource *
zs_wire_source_new_file (const char  *path,
                         const char  *ports,
                         GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  return zs_wire_source_new_local (NULL, path, ports, NULL, error);
}

ZsWireSource *
zs_wire_source_new_remote (const char * const *endpoints,
                           const char * const *server_keys,
                           GError            **error)
{
  g_autoptr(ZsWireSource) self = g_object_new (ZS_TYPE_WIRE_SOURCE, NULL);

  g_return_val_if_fail (endpoints != NULL && endpoints[0] != NULL, NULL);

  for (guint i = 0; endpoints[i] != NULL; i++)
    {
      const char *key = server_keys != NULL ? server_keys[i] : NULL;

      if (!add_helper (self, endpoints[i], key != NULL && *key != '\0' ? key : NULL, error))
        return NULL;
    }
  self->live = TRUE;
  start_reading (self);
  return g_steal_pointer (&self);
}

gboolean
zs_wire_source_is_finished (ZsWireSource *self)
{
  gboolean finished;

  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self), FALSE);

  g_mutex_lock (&self->lock);
  finished = finished_locked (self);
  g_mutex_unlock (&self->lock);
  return finished;
}

const char *
zs_wire_source_get_problem (ZsWireSource *self)
{
  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self), NULL);

  if (!zs_wire_source_is_finished (self))
    return NULL;
  refresh (self);
  return self->problem;
}

ZsWireTopology *
zs_wire_source_get_wire_topology (ZsWireSource *self)
{
  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self), NULL);
  refresh (self);
  return self->current;
}

guint
zs_wire_source_get_n_helpers (ZsWireSource *self)
{
  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self), 0);
  return self->helpers->len;
}

const char *
zs_wire_source_get_helper_endpoint (ZsWireSource *self,
                                    guint         index)
{
  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self) && index < self->helpers->len, NULL);
  return ((Helper *) g_ptr_array_index (self->helpers, index))->endpoint;
}

gboolean
zs_wire_source_helper_answered (ZsWireSource *self,
                                guint         index)
{
  gboolean answered;

  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self) && index < self->helpers->len, FALSE);

  g_mutex_lock (&self->lock);
  answered = ((Helper *) g_ptr_array_index (self->helpers, index))->state != NULL;
  g_mutex_unlock (&self->lock);
  return answered;
}

guint64
zs_wire_source_get_n_refused (ZsWireSource *self)
{
  guint64 refused;

  g_return_val_if_fail (ZS_IS_WIRE_SOURCE (self), 0);

  g_mutex_lock (&self->lock);
  refused = self->refused;
  g_mutex_unlock (&self->lock);
  return refused;
}
