/* zs-monitor-thread.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-monitor-thread"

#include "config.h"

#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <zmq.h>

#include "zs-endpoint.h"
#include "zs-monitor-thread.h"

/* A failed handshake is seen at its disconnect: libzmq 4.3.4 reports
 * some failures (a peer gone, a timeout) and not others (a peer whose
 * socket type does not fit), but always the disconnect. */
#define WATCHED_EVENTS (ZMQ_EVENT_CONNECTED | ZMQ_EVENT_CONNECT_DELAYED | ZMQ_EVENT_CONNECT_RETRIED \
                        | ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_MONITOR_STOPPED \
                        | ZMQ_EVENT_HANDSHAKE_SUCCEEDED)

/* A socket's connections, by the file descriptor libzmq's events carry
 * (the handshake's events carry none: the oldest one waiting is taken
 * for the one that shook hands). */
typedef struct {
  void   *reader;
  guint   socket;
  guint   live;        /* this socket's handshaken connections: they end with it */
  GArray *handshaking; /* int fd: connected or accepted, handshake not done, oldest first */
  GArray *handshaken;  /* int fd */
} Watch;

/* After a peer's handshake on a socket that not all its links explain
 * yet, how long our own connecting socket's event may take to arrive
 * before the peer counts as outside (looked at every 20 ms). */
#define OUTSIDE_GRACE_US (1000 * 1000)

struct _ZsMonitorThread {
  ZsRun        *run;
  GThread      *thread;
  GAsyncQueue  *incoming;  /* Watch*, handed over by node threads */
  int           wake_fd;
  _Atomic int   quit;
  GArray       *watches;   /* Watch, owned by the monitor thread */
  GHashTable   *suspects;  /* socket index + 1 -> monotonic time of its unexplained handshake */
  _Atomic guint watch_serial;
};

static gboolean
has_wire_endpoint (ZsSocketSpec *spec)
{
  const char * const *lists[] = { zs_socket_spec_get_binds (spec), zs_socket_spec_get_connects (spec) };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (guint i = 0; lists[l] != NULL && lists[l][i] != NULL; i++)
      if (!g_str_has_prefix (lists[l][i], "inproc://"))
        return TRUE;
  return FALSE;
}

gboolean
zs_monitor_thread_spec_watched (ZsSocketSpec *spec)
{
  return has_wire_endpoint (spec);
}

gboolean
zs_monitor_thread_watch (ZsMonitorThread *self,
                         guint            socket_index,
                         void            *zsock)
{
  if (!has_wire_endpoint (self->run->sockets[socket_index].spec))
    return TRUE;
  return zs_monitor_thread_watch_wire (self, socket_index, zsock);
}

static void
watch_clear (Watch *watch)
{
  g_array_unref (watch->handshaking);
  g_array_unref (watch->handshaken);
}

/* Takes `fd` out of `fds`: FALSE if it was not there. */
static gboolean
take_fd (GArray *fds,
         int     fd)
{
  for (guint i = 0; i < fds->len; i++)
    if (g_array_index (fds, int, i) == fd)
      {
        g_array_remove_index (fds, i);
        return TRUE;
      }
  return FALSE;
}

gboolean
zs_monitor_thread_watch_wire (ZsMonitorThread *self,
                              guint            socket_index,
                              void            *zsock)
{
  g_autofree char *endpoint = NULL;
  Watch *watch;

  /* A name of its own each time: a socket opened again (a live HWM
   * change, a subscriber back online) is watched while the old watch's
   * name may still be taken. */
  endpoint = g_strdup_printf ("inproc://zs-monitor-%u-%p-%u", socket_index, (void *) self,
                              (guint) atomic_fetch_add (&self->watch_serial, 1));
  if (zmq_socket_monitor (zsock, endpoint, WATCHED_EVENTS) != 0)
    return FALSE;
  watch = g_new0 (Watch, 1);
  watch->socket = socket_index;
  watch->handshaking = g_array_new (FALSE, FALSE, sizeof (int));
  watch->handshaken = g_array_new (FALSE, FALSE, sizeof (int));
  watch->reader = zmq_socket (self->run->ctx, ZMQ_PAIR);
  if (watch->reader == NULL || zmq_connect (watch->reader, endpoint) != 0)
    {
      if (watch->reader != NULL)
        zmq_close (watch->reader);
      zmq_socket_monitor (zsock, NULL, 0);
      watch_clear (watch);
      g_free (watch);
      return FALSE;
    }
  /* The queue's lock is the memory barrier libzmq asks for when a socket
   * moves to another thread. */
  g_async_queue_push (self->incoming, watch);
  eventfd_write (self->wake_fd, 1);
  return TRUE;
}

void
zs_monitor_thread_unwatch (ZsMonitorThread *self,
                           void            *zsock)
{
  zmq_socket_monitor (zsock, NULL, 0);
}

/* The link a connecting socket's event is about; *current FALSE for a
 * connection a live change has replaced (zs-fault.h): the link's state
 * and counts are its new connection's. */
static int
find_link (ZsRun      *run,
           guint       socket,
           const char *address,
           gboolean   *current)
{
  int live = zs_faults_find_live_connect (run->faults, socket, address, current);

  if (live >= 0)
    return live;
  for (guint l = 0; l < run->links->len; l++)
    {
      ZsLink *link = g_ptr_array_index (run->links, l);
      guint cs = run->nodes[link->connect_node].first_socket + link->connect_socket;

      if (cs != socket)
        continue;
      if (g_strcmp0 (link->connect_endpoint, address) == 0
          || zs_endpoint_matches (link->bind_endpoint, address)
          || g_strcmp0 (zs_relay_get_endpoint (run->relay, l), address) == 0)
        {
          *current = !zs_faults_link_changed (run->faults, l);
          return (int) l;
        }
    }
  return -1;
}

static void
note_link_event (ZsRun       *run,
                 int          link,
                 gboolean     current,
                 ZsLinkEvent  event,
                 ZsLinkState  state)
{
  ZsLinkCounters *c;

  /* A connection a live change replaced: its end was counted by the
   * node that let go of it (zs-node-runner-live.c). */
  if (link < 0 || !current)
    return;
  c = &run->telemetry->links[link];
  zs_counter_set (&c->last_event, event);
  zs_counter_set (&c->last_event_us, (guint64) g_get_monotonic_time ());
  if (state != ZS_LINK_STATE_IDLE)
    atomic_store (&c->state, state);
  if (event == ZS_LINK_EVENT_CONNECTED)
    zs_counter_add (&c->connects, 1);
  else if (event == ZS_LINK_EVENT_DISCONNECTED)
    zs_counter_add (&c->disconnects, 1);
  else if (event == ZS_LINK_EVENT_CONNECT_RETRIED)
    zs_counter_add (&c->retries, 1);
  else if (event == ZS_LINK_EVENT_HANDSHAKE_FAILED)
    zs_counter_add (&c->handshakes_failed, 1);
}

/* Peers of a socket that the plan's links explain: its tcp and ipc links
 * whose connecting side has seen the handshake. */
static guint
known_peers (ZsRun *run,
             guint  socket,
             guint *wire_links)
{
  guint n = 0;

  *wire_links = 0;
  for (guint l = 0; l < run->links->len; l++)
    {
      ZsLink *link = g_ptr_array_index (run->links, l);
      guint cs = run->nodes[link->connect_node].first_socket + link->connect_socket;
      guint bs = run->nodes[link->bind_node].first_socket + link->bind_socket;

      if (zs_faults_link_transport (run->faults, l, link->transport) == ZS_TRANSPORT_INPROC
          || (cs != socket && bs != socket))
        continue;
      (*wire_links)++;
      if (atomic_load (&run->telemetry->links[l].state) == ZS_LINK_STATE_CONNECTED)
        n++;
    }
  return n;
}

static gboolean
socket_changed (ZsRun *run,
                guint  socket)
{
  for (guint l = 0; l < run->links->len; l++)
    {
      ZsLinkLive *live = &run->faults->links[l].live;

      if ((live->socket[0] == socket || live->socket[1] == socket) && zs_faults_link_changed (run->faults, l))
        return TRUE;
    }
  return FALSE;
}

/* Compares a socket's live handshakes with the links that explain them,
 * `waited_us` after the first unexplained one. Peers beyond the socket's
 * links are surely outside; the others may still be ours, their events on
 * the way: FALSE (look again) until they are explained or the grace ends. */
static gboolean
count_outside_peers (ZsMonitorThread *self,
                     guint            socket,
                     gint64           waited_us,
                     guint            arriving)
{
  ZsSocketCounters *sc = &self->run->telemetry->sockets[socket];
  guint wire_links;
  guint known;

  /* libzmq reports no disconnect to the socket that lets go of a
   * connection (zmq_disconnect, zmq_unbind), and sometimes one to the
   * other end: a socket whose links changed live can no longer tell its
   * peers by their number, and keeps what was known of it. */
  if (socket_changed (self->run, socket))
    return TRUE;
  known = known_peers (self->run, socket, &wire_links);
  guint64 live = zs_counter_get (&sc->connected) + arriving;
  guint64 sure = live > wire_links ? live - wire_links : 0;
  guint64 outside = live > known ? live - known : 0;
  gboolean decided = outside == sure || waited_us >= OUTSIDE_GRACE_US;

  if (!decided)
    outside = sure;
  zs_counter_set (&sc->outside_now, outside);
  if (outside > zs_counter_get (&sc->outside_peers))
    zs_counter_set (&sc->outside_peers, outside);
  if (outside > 0)
    zs_run_socket_set_outside (self->run, socket);
  zs_run_peers_changed (self->run, (int) self->run->sockets[socket].node);
  return decided;
}

static gboolean
is_connect_endpoint (ZsSocketSpec *spec,
                     const char   *address)
{
  const char * const *connects = zs_socket_spec_get_connects (spec);

  for (guint i = 0; connects != NULL && connects[i] != NULL; i++)
    if (g_strcmp0 (connects[i], address) == 0 || zs_endpoint_matches (connects[i], address))
      return TRUE;
  return FALSE;
}

/* A handshake no link of the plan explains is a peer outside the topology:
 * at once when every link of the socket is up, else after a grace. The
 * peer counts as attached (zs_runner_wait_peers) only after this look, so
 * a sender waiting for it sends its first message untraced. */
static void
note_handshake (ZsMonitorThread *self,
                guint            socket,
                int              link,
                const char      *address)
{
  ZsSocketCounters *sc = &self->run->telemetry->sockets[socket];

  if (link < 0 && is_connect_endpoint (self->run->sockets[socket].spec, address))
    count_outside_peers (self, socket, G_MAXINT64, 1);
  else if (link < 0 && !count_outside_peers (self, socket, 0, 1)
           && !g_hash_table_contains (self->suspects, GUINT_TO_POINTER (socket + 1)))
    g_hash_table_insert (self->suspects, GUINT_TO_POINTER (socket + 1),
                         GSIZE_TO_POINTER ((gsize) g_get_monotonic_time ()));
  zs_counter_add (&sc->connected, 1);
}

static void
check_suspects (ZsMonitorThread *self)
{
  GHashTableIter iter;
  gpointer key, value;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->suspects);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (count_outside_peers (self, GPOINTER_TO_UINT (key) - 1, now - (gint64) GPOINTER_TO_SIZE (value), 0))
      g_hash_table_iter_remove (&iter);
}

/* `n` of a watched socket's connections ended. */
static void
forget_connections (ZsMonitorThread *self,
                    Watch           *watch,
                    guint            n)
{
  ZsSocketCounters *sc = &self->run->telemetry->sockets[watch->socket];

  watch->live -= n;
  zs_counter_add (&sc->connected, -(guint64) n);
  if (zs_counter_get (&sc->outside_now) > 0)
    count_outside_peers (self, watch->socket, G_MAXINT64, 0);
}

/* A connection made, its handshake to come. Its descriptor was free, so
 * a connection that had it ended unreported (a socket reports none that it
 * lets go of itself: zmq_disconnect in a live change). */
static void
note_new_connection (Watch *watch,
                     int    fd)
{
  take_fd (watch->handshaking, fd);
  take_fd (watch->handshaken, fd);
  g_array_append_val (watch->handshaking, fd);
}

/* A connection ended: before its handshake was done (no peer came, none
 * leaves), or after. */
static void
note_disconnect (ZsMonitorThread *self,
                 Watch           *watch,
                 int              fd,
                 int              link,
                 gboolean         current)
{
  if (take_fd (watch->handshaking, fd))
    {
      note_link_event (self->run, link, current, ZS_LINK_EVENT_HANDSHAKE_FAILED, ZS_LINK_STATE_IDLE);
      return;
    }
  take_fd (watch->handshaken, fd);
  if (watch->live > 0)
    forget_connections (self, watch, 1);
  note_link_event (self->run, link, current, ZS_LINK_EVENT_DISCONNECTED, ZS_LINK_STATE_DISCONNECTED);
}

static void
handle_event (ZsMonitorThread *self,
              Watch           *watch,
              guint16          event,
              int              fd,
              const char      *address)
{
  ZsRun *run = self->run;
  ZsSocketCounters *sc = &run->telemetry->sockets[watch->socket];
  gboolean current = TRUE;
  int link = find_link (run, watch->socket, address, &current);

  switch (event)
    {
    case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
      if (watch->handshaking->len > 0)
        {
          g_array_append_val (watch->handshaken, g_array_index (watch->handshaking, int, 0));
          g_array_remove_index (watch->handshaking, 0);
        }
      note_link_event (run, link, current, ZS_LINK_EVENT_CONNECTED, ZS_LINK_STATE_CONNECTED);
      note_handshake (self, watch->socket, link, address);
      watch->live++;
      break;
    case ZMQ_EVENT_ACCEPTED:
      zs_counter_add (&sc->accepted, 1);
      note_new_connection (watch, fd);
      break;
    case ZMQ_EVENT_CONNECTED:
      note_new_connection (watch, fd);
      break;
    case ZMQ_EVENT_CONNECT_DELAYED:
      note_link_event (run, link, current, ZS_LINK_EVENT_CONNECT_DELAYED, ZS_LINK_STATE_WAITING);
      break;
    case ZMQ_EVENT_CONNECT_RETRIED:
      note_link_event (run, link, current, ZS_LINK_EVENT_CONNECT_RETRIED, ZS_LINK_STATE_WAITING);
      break;
    case ZMQ_EVENT_DISCONNECTED:
      note_disconnect (self, watch, fd, link, current);
      break;
    default:
      break;
    }
  zs_run_peers_changed (run, (int) run->sockets[watch->socket].node);
}

/* Reads one event; FALSE once the monitor has stopped (or the context ended). */
static gboolean
read_event (ZsMonitorThread *self,
            Watch           *watch)
{
  zmq_msg_t head, address;
  guint16 event = 0;
  guint32 value = 0;
  gboolean alive = TRUE;

  zmq_msg_init (&head);
  zmq_msg_init (&address);
  if (zmq_msg_recv (&head, watch->reader, ZMQ_DONTWAIT) == -1)
    alive = errno == EAGAIN;
  else if (zmq_msg_more (&head) && zmq_msg_recv (&address, watch->reader, 0) != -1)
    {
      g_autofree char *text = g_strndup (zmq_msg_data (&address), zmq_msg_size (&address));

      /* libzmq's first frame: the event (16 bits), then its value (32). */
      if (zmq_msg_size (&head) >= 6)
        {
          memcpy (&event, zmq_msg_data (&head), 2);
          memcpy (&value, (const guint8 *) zmq_msg_data (&head) + 2, 4);
        }
      if (event == ZMQ_EVENT_MONITOR_STOPPED)
        alive = FALSE;
      else
        handle_event (self, watch, event, (int) value, text);
    }
  zmq_msg_close (&head);
  zmq_msg_close (&address);
  return alive;
}

static void
take_incoming (ZsMonitorThread *self)
{
  Watch *watch;
  eventfd_t ignored;

  eventfd_read (self->wake_fd, &ignored);
  while ((watch = g_async_queue_try_pop (self->incoming)) != NULL)
    {
      g_array_append_val (self->watches, *watch);
      g_free (watch);
    }
}

/* A watch ends when its socket is closed (or the run ends): the socket's
 * connections end with it, though libzmq stopped the monitor before it
 * could say so. Counted per watch, so that a closed and reopened socket
 * (the durable subscriber) does not take its old connection's place for
 * an outside peer. */
static void
drop_watch (ZsMonitorThread *self,
            guint            i)
{
  Watch *watch = &g_array_index (self->watches, Watch, i);

  if (watch->live > 0)
    forget_connections (self, watch, watch->live);
  zmq_close (watch->reader);
  watch_clear (watch);
  g_array_remove_index_fast (self->watches, i);
}

static gpointer
monitor_main (gpointer data)
{
  ZsMonitorThread *self = data;
  g_autofree zmq_pollitem_t *items = NULL;

  while (!atomic_load (&self->quit) || self->watches->len > 0)
    {
      guint n = self->watches->len;

      items = g_renew (zmq_pollitem_t, items, n + 1);
      items[0] = (zmq_pollitem_t) { NULL, self->wake_fd, ZMQ_POLLIN, 0 };
      for (guint i = 0; i < n; i++)
        items[i + 1] = (zmq_pollitem_t) { g_array_index (self->watches, Watch, i).reader, 0, ZMQ_POLLIN, 0 };
      if (zmq_poll (items, n + 1, atomic_load (&self->quit) ? 0 : g_hash_table_size (self->suspects) > 0 ? 20 : 200) == -1
          && errno == ETERM)
        break;
      check_suspects (self);
      if (items[0].revents & ZMQ_POLLIN)
        take_incoming (self);
      for (guint i = n; i-- > 0;)
        if ((items[i + 1].revents & ZMQ_POLLIN) && !read_event (self, &g_array_index (self->watches, Watch, i)))
          drop_watch (self, i);
      if (atomic_load (&self->quit) && !(items[0].revents & ZMQ_POLLIN))
        break;
    }
  take_incoming (self);
  while (self->watches->len > 0)
    drop_watch (self, self->watches->len - 1);
  return NULL;
}

ZsMonitorThread *
zs_monitor_thread_new (ZsRun *run)
{
  ZsMonitorThread *self = g_new0 (ZsMonitorThread, 1);

  self->run = run;
  self->incoming = g_async_queue_new ();
  self->watches = g_array_new (FALSE, FALSE, sizeof (Watch));
  self->suspects = g_hash_table_new (NULL, NULL);
  self->wake_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  self->thread = g_thread_new ("zs-monitor", monitor_main, self);
  return self;
}

void
zs_monitor_thread_free (ZsMonitorThread *self)
{
  if (self == NULL)
    return;
  atomic_store (&self->quit, 1);
  eventfd_write (self->wake_fd, 1);
  g_thread_join (self->thread);
  close (self->wake_fd);
  g_async_queue_unref (self->incoming);
  g_array_unref (self->watches);
  g_hash_table_unref (self->suspects);
  g_free (self);
}
