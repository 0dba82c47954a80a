/* zs-relay.c: the in-engine tcp relay (delay and loss on a tcp link)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-relay"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "zs-endpoint.h"
#include "zs-engine.h"
#include "zs-relay.h"

/* ZMTP 3: the greeting is 64 bytes each way, then frames. */
#define GREETING_SIZE 64
#define FLAG_MORE     0x01
#define FLAG_LONG     0x02
#define FLAG_COMMAND  0x04
/* Held bytes per direction before the relay stops reading that side. */
#define MAX_HELD      (8 * 1024 * 1024)
#define READ_SIZE     65536
/* Loss is kept in millionths. */
#define LOSS_ONE      1000000

typedef struct {
  _Atomic (char *)  endpoint;    /* set once by zs_relay_route */
  int               listen_fd;   /* -1: not routed */
  struct sockaddr_storage upstream;
  socklen_t         upstream_len;
  guint             flows;       /* bit d: flow d carries messages */
  _Atomic guint     delay_ms;
  _Atomic guint     loss;        /* millionths */
  ZsCounter         dropped[2];  /* the relay thread */
  ZsCounter         claimed[2];  /* the flow's receiver */
} RelayLink;

typedef struct {
  gint64  due_us;
  gsize   length;
  gsize   done;
  guint8  data[];
} Chunk;

/* One direction of a connection, with its ZMTP framing state. */
typedef struct {
  int      from;           /* fd read */
  int      to;             /* fd written */
  guint    dir;            /* the flow: 0 connecting -> binding */
  gboolean eof;            /* `from` closed: close once `held` is written */
  GQueue   held;           /* Chunk, oldest first */
  gsize    held_bytes;
  gint64   last_due;
  guint    greeting_left;
  guint8   header[9];
  guint    header_len;     /* bytes of the frame header read so far */
  guint64  body_left;
  gboolean in_message;     /* after a frame with MORE */
  gboolean dropping;       /* the current message is dropped */
  gboolean frame_dropped;  /* the current frame is (its message is) */
} Pipe;

typedef struct {
  guint    link;
  int      down;           /* accepted from the connecting socket */
  int      up;             /* to the binder */
  gboolean connecting;     /* `up` not yet connected */
  Pipe     pipe[2];        /* 0: down -> up, 1: up -> down */
} Conn;

struct _ZsRelay {
  guint       n_links;
  RelayLink  *links;
  GMutex      lock;        /* routing and the thread's start */
  GThread    *thread;
  int         wake_fd;
  _Atomic int stopping;
  GPtrArray  *conns;       /* Conn, the thread's own */
  GRand      *rand;        /* the thread's own */
};

ZsRelay *
zs_relay_new (guint n_links)
{
  ZsRelay *self = g_new0 (ZsRelay, 1);

  self->n_links = n_links;
  self->links = g_new0 (RelayLink, MAX (n_links, 1));
  for (guint l = 0; l < n_links; l++)
    self->links[l].listen_fd = -1;
  g_mutex_init (&self->lock);
  self->wake_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  self->conns = g_ptr_array_new ();
  self->rand = g_rand_new_with_seed (0x2e1a7);
  return self;
}

/* ---- forwarding ---- */

static void
hold (Pipe         *p,
      const guint8 *data,
      gsize         length,
      gint64        due_us)
{
  Chunk *c;

  if (length == 0)
    return;
  c = g_malloc (sizeof (Chunk) + length);
  c->due_us = due_us;
  c->length = length;
  c->done = 0;
  memcpy (c->data, data, length);
  g_queue_push_tail (&p->held, c);
  p->held_bytes += length;
}

/* Decides, at a message's first frame, whether it is lost. */
static void
start_frame (ZsRelay   *self,
             RelayLink *rl,
             Pipe      *p)
{
  guint8 flags = p->header[0];

  if (flags & FLAG_LONG)
    {
      p->body_left = 0;
      for (guint i = 1; i < 9; i++)
        p->body_left = (p->body_left << 8) | p->header[i];
    }
  else
    p->body_left = p->header[1];
  if (flags & FLAG_COMMAND)
    {
      p->frame_dropped = FALSE;
      return;
    }
  if (!p->in_message)
    {
      guint loss = atomic_load (&rl->loss);

      p->dropping = (rl->flows & (1u << p->dir)) && loss > 0
                    && (guint) g_rand_int_range (self->rand, 0, LOSS_ONE) < loss;
      if (p->dropping)
        zs_counter_add (&rl->dropped[p->dir], 1);
    }
  p->frame_dropped = p->dropping;
  p->in_message = (flags & FLAG_MORE) != 0;
}

/* Passes what was read through the framing: what is not dropped is held
 * until `due_us`. A frame's header waits in `p->header` until the frame
 * is known to be kept. */
static void
filter (ZsRelay      *self,
        RelayLink    *rl,
        Pipe         *p,
        const guint8 *data,
        gsize         length,
        gint64        due_us)
{
  g_autofree guint8 *out = g_malloc (length + sizeof p->header);
  gsize i = 0, kept = 0;

  while (i < length)
    {
      if (p->greeting_left > 0)
        {
          gsize n = MIN (p->greeting_left, length - i);

          memcpy (out + kept, data + i, n);
          kept += n;
          p->greeting_left -= (guint) n;
          i += n;
        }
      else if (p->body_left > 0)
        {
          gsize n = (gsize) MIN (p->body_left, (guint64) (length - i));

          if (!p->frame_dropped)
            {
              memcpy (out + kept, data + i, n);
              kept += n;
            }
          p->body_left -= n;
          i += n;
        }
      else
        {
          guint need;

          p->header[p->header_len++] = data[i++];
          need = (p->header[0] & FLAG_LONG) ? 9 : 2;
          if (p->header_len < need)
            continue;
          start_frame (self, rl, p);
          if (!p->frame_dropped)
            {
              memcpy (out + kept, p->header, need);
              kept += need;
            }
          p->header_len = 0;
        }
    }
  hold (p, out, kept, due_us);
}

static void
conn_free (Conn *c)
{
  for (guint d = 0; d < 2; d++)
    g_queue_clear_full (&c->pipe[d].held, g_free);
  if (c->down >= 0)
    close (c->down);
  if (c->up >= 0)
    close (c->up);
  g_free (c);
}

static void
pipe_init (Pipe *p,
           int   from,
           int   to,
           guint dir)
{
  p->from = from;
  p->to = to;
  p->dir = dir;
  p->greeting_left = GREETING_SIZE;
  g_queue_init (&p->held);
}

static void
accept_conn (ZsRelay *self,
             guint    link)
{
  RelayLink *rl = &self->links[link];
  int down = accept4 (rl->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
  int up, one = 1;
  Conn *c;

  if (down < 0)
    return;
  up = socket (rl->upstream.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (up < 0 || (connect (up, (struct sockaddr *) &rl->upstream, rl->upstream_len) != 0 && errno != EINPROGRESS))
    {
      /* The binder is not there: the connecting socket retries, as it would. */
      if (up >= 0)
        close (up);
      close (down);
      return;
    }
  setsockopt (down, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  setsockopt (up, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  c = g_new0 (Conn, 1);
  c->link = link;
  c->down = down;
  c->up = up;
  c->connecting = TRUE;
  pipe_init (&c->pipe[0], down, up, 0);
  pipe_init (&c->pipe[1], up, down, 1);
  g_ptr_array_add (self->conns, c);
}

/* Reads what `p->from` has; FALSE when the connection is done. */
static gboolean
read_pipe (ZsRelay *self,
           Conn    *c,
           Pipe    *p,
           gint64   now)
{
  RelayLink *rl = &self->links[c->link];
  guint8 buf[READ_SIZE];
  ssize_t n = read (p->from, buf, sizeof buf);
  gint64 due;

  if (n < 0)
    return errno == EAGAIN || errno == EINTR;
  if (n == 0)
    {
      p->eof = TRUE;
      return TRUE;
    }
  due = MAX (now + (gint64) atomic_load (&rl->delay_ms) * 1000, p->last_due);
  p->last_due = due;
  filter (self, rl, p, buf, (gsize) n, due);
  return TRUE;
}

/* Writes what is due; FALSE when the connection is done. */
static gboolean
write_pipe (Pipe   *p,
            gint64  now)
{
  Chunk *c;

  while ((c = g_queue_peek_head (&p->held)) != NULL && c->due_us <= now)
    {
      /* A peer gone must not raise SIGPIPE in the whole program. */
      ssize_t n = send (p->to, c->data + c->done, c->length - c->done, MSG_NOSIGNAL);

      if (n < 0)
        return errno == EAGAIN || errno == EINTR;
      c->done += (gsize) n;
      p->held_bytes -= (gsize) n;
      if (c->done < c->length)
        return TRUE;
      g_free (g_queue_pop_head (&p->held));
    }
  return TRUE;
}

static gint64
next_due (Pipe *p)
{
  Chunk *c = g_queue_peek_head (&p->held);

  return c != NULL ? c->due_us : G_MAXINT64;
}

/* The poll events a pipe wants on its two fds. */
static void
pipe_events (Pipe   *p,
             gint64  now,
             short  *from_events,
             short  *to_events)
{
  if (!p->eof && p->held_bytes < MAX_HELD)
    *from_events |= POLLIN;
  if (next_due (p) <= now)
    *to_events |= POLLOUT;
}

static gboolean
conn_step (ZsRelay       *self,
           Conn          *c,
           struct pollfd *fds,
           gint64         now)
{
  short ready[2] = { fds[0].revents, fds[1].revents };   /* down, up */

  if (c->connecting)
    {
      int err = 0;
      socklen_t len = sizeof err;

      if (!(ready[1] & (POLLOUT | POLLERR | POLLHUP)))
        return TRUE;
      if (getsockopt (c->up, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0)
        return FALSE;
      c->connecting = FALSE;
      return TRUE;
    }
  for (guint d = 0; d < 2; d++)
    {
      Pipe *p = &c->pipe[d];
      short from = d == 0 ? ready[0] : ready[1];

      if ((from & (POLLIN | POLLHUP | POLLERR)) && !p->eof && !read_pipe (self, c, p, now))
        return FALSE;
      if (!write_pipe (p, now))
        return FALSE;
      if (p->eof && g_queue_is_empty (&p->held))
        return FALSE;
    }
  return TRUE;
}

static gpointer
relay_main (gpointer data)
{
  ZsRelay *self = data;
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (struct pollfd));
  g_autoptr(GArray) listening = g_array_new (FALSE, FALSE, sizeof (guint));

  while (!atomic_load (&self->stopping))
    {
      gint64 now = g_get_monotonic_time (), soonest = G_MAXINT64;
      struct pollfd wake = { self->wake_fd, POLLIN, 0 };
      guint first_conn;
      int timeout;

      g_array_set_size (fds, 0);
      g_array_set_size (listening, 0);
      g_array_append_val (fds, wake);
      g_mutex_lock (&self->lock);
      for (guint l = 0; l < self->n_links; l++)
        if (self->links[l].listen_fd >= 0)
          {
            struct pollfd pfd = { self->links[l].listen_fd, POLLIN, 0 };
            g_array_append_val (fds, pfd);
            g_array_append_val (listening, l);
          }
      g_mutex_unlock (&self->lock);
      first_conn = fds->len;
      for (guint i = 0; i < self->conns->len; i++)
        {
          Conn *c = g_ptr_array_index (self->conns, i);
          struct pollfd pair[2] = { { c->down, 0, 0 }, { c->up, 0, 0 } };

          if (c->connecting)
            pair[1].events = POLLOUT;
          else
            {
              pipe_events (&c->pipe[0], now, &pair[0].events, &pair[1].events);
              pipe_events (&c->pipe[1], now, &pair[1].events, &pair[0].events);
              soonest = MIN (soonest, MIN (next_due (&c->pipe[0]), next_due (&c->pipe[1])));
            }
          g_array_append_vals (fds, pair, 2);
        }
      timeout = soonest == G_MAXINT64 ? -1 : (int) MAX (0, (soonest - now + 999) / 1000);
      if (poll ((struct pollfd *) fds->data, fds->len, timeout) < 0 && errno != EINTR)
        break;
      if (g_array_index (fds, struct pollfd, 0).revents & POLLIN)
        {
          eventfd_t ignored;
          eventfd_read (self->wake_fd, &ignored);
        }
      now = g_get_monotonic_time ();
      /* Connections first: the new ones have no slot in `fds` yet. */
      for (guint i = self->conns->len; i-- > 0;)
        {
          Conn *c = g_ptr_array_index (self->conns, i);

          if (!conn_step (self, c, &g_array_index (fds, struct pollfd, first_conn + 2 * i), now))
            {
              conn_free (c);
              g_ptr_array_remove_index (self->conns, i);
            }
        }
      for (guint i = 0; i < listening->len; i++)
        if (g_array_index (fds, struct pollfd, 1 + i).revents & POLLIN)
          accept_conn (self, g_array_index (listening, guint, i));
    }
  return NULL;
}

/* ---- the run's side ---- */

static gboolean
resolve_upstream (RelayLink   *rl,
                  const char  *upstream,
                  GError     **error)
{
  ZsEndpoint ep = { 0 };
  struct addrinfo hints = { 0 }, *found = NULL;
  g_autofree char *port = NULL;
  g_autofree char *host = NULL;
  int rc;

  if (!zs_endpoint_parse (upstream, FALSE, &ep, error))
    return FALSE;
  if (ep.transport != ZS_TRANSPORT_TCP)
    {
      zs_endpoint_clear (&ep);
      g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("only a tcp link can go through the relay"));
      return FALSE;
    }
  /* "[::1]" as getaddrinfo wants it; "src;host" connects from src. */
  host = g_strdup (strchr (ep.host, ';') != NULL ? strchr (ep.host, ';') + 1 : ep.host);
  if (host[0] == '[')
    {
      memmove (host, host + 1, strlen (host));
      host[strcspn (host, "]")] = '\0';
    }
  port = g_strdup_printf ("%d", ep.port);
  zs_endpoint_clear (&ep);
  hints.ai_socktype = SOCK_STREAM;
  rc = getaddrinfo (host, port, &hints, &found);
  if (rc != 0 || found == NULL)
    {
      g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("the relay cannot find %s: %s"), upstream,
                   gai_strerror (rc));
      return FALSE;
    }
  memcpy (&rl->upstream, found->ai_addr, found->ai_addrlen);
  rl->upstream_len = found->ai_addrlen;
  freeaddrinfo (found);
  return TRUE;
}

static int
listen_fresh (char **endpoint)
{
  struct sockaddr_in sa = { 0 };
  socklen_t len = sizeof sa;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd < 0 || bind (fd, (struct sockaddr *) &sa, sizeof sa) != 0 || listen (fd, 64) != 0
      || getsockname (fd, (struct sockaddr *) &sa, &len) != 0)
    {
      if (fd >= 0)
        close (fd);
      return -1;
    }
  *endpoint = g_strdup_printf ("tcp://127.0.0.1:%u", ntohs (sa.sin_port));
  return fd;
}

gboolean
zs_relay_route (ZsRelay     *self,
                guint        link,
                const char  *upstream,
                guint        flows,
                GError     **error)
{
  RelayLink *rl;
  char *endpoint = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (self != NULL && link < self->n_links, FALSE);
  g_return_val_if_fail (upstream != NULL, FALSE);

  rl = &self->links[link];
  g_mutex_lock (&self->lock);
  if (rl->listen_fd < 0)
    {
      ok = resolve_upstream (rl, upstream, error);
      if (ok && (rl->listen_fd = listen_fresh (&endpoint)) < 0)
        {
          g_set_error (error, ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT, _("the relay cannot listen: %s"),
                       g_strerror (errno));
          ok = FALSE;
        }
      if (ok)
        {
          rl->flows = flows;
          atomic_store (&rl->endpoint, endpoint);
          if (self->thread == NULL)
            self->thread = g_thread_new ("zs-relay", relay_main, self);
          eventfd_write (self->wake_fd, 1);
        }
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

const char *
zs_relay_get_endpoint (ZsRelay *self,
                       guint    link)
{
  if (self == NULL || link >= self->n_links)
    return NULL;
  return atomic_load (&self->links[link].endpoint);
}

void
zs_relay_set_throttle (ZsRelay *self,
                       guint    link,
                       guint    delay_ms,
                       double   loss_percent)
{
  g_return_if_fail (self != NULL && link < self->n_links);

  atomic_store (&self->links[link].delay_ms, delay_ms);
  atomic_store (&self->links[link].loss, (guint) (CLAMP (loss_percent, 0, 100) / 100 * LOSS_ONE + 0.5));
  eventfd_write (self->wake_fd, 1);
}

void
zs_relay_get_throttle (ZsRelay *self,
                       guint    link,
                       guint   *delay_ms,
                       double  *loss_percent)
{
  *delay_ms = 0;
  *loss_percent = 0;
  if (self == NULL || link >= self->n_links)
    return;
  *delay_ms = atomic_load (&self->links[link].delay_ms);
  *loss_percent = (double) atomic_load (&self->links[link].loss) * 100 / LOSS_ONE;
}

guint64
zs_relay_get_unclaimed (ZsRelay *self,
                        guint    link,
                        guint    dir)
{
  guint64 claimed, dropped;

  if (self == NULL || link >= self->n_links)
    return 0;
  claimed = zs_counter_get (&self->links[link].claimed[dir]);
  dropped = zs_counter_get (&self->links[link].dropped[dir]);
  return dropped > claimed ? dropped - claimed : 0;
}

guint64
zs_relay_claim (ZsRelay *self,
                guint    link,
                guint    dir,
                guint64  gap)
{
  guint64 take;

  if (self == NULL || link >= self->n_links || atomic_load (&self->links[link].endpoint) == NULL)
    return 0;
  take = MIN (gap, zs_relay_get_unclaimed (self, link, dir));
  if (take > 0)
    zs_counter_add (&self->links[link].claimed[dir], take);
  return take;
}

void
zs_relay_stop (ZsRelay *self)
{
  if (self == NULL || self->thread == NULL)
    return;
  atomic_store (&self->stopping, 1);
  eventfd_write (self->wake_fd, 1);
  g_thread_join (g_steal_pointer (&self->thread));
  for (guint i = 0; i < self->conns->len; i++)
    conn_free (g_ptr_array_index (self->conns, i));
  g_ptr_array_set_size (self->conns, 0);
}

void
zs_relay_free (ZsRelay *self)
{
  if (self == NULL)
    return;
  zs_relay_stop (self);
  for (guint l = 0; l < self->n_links; l++)
    {
      if (self->links[l].listen_fd >= 0)
        close (self->links[l].listen_fd);
      g_free (atomic_load (&self->links[l].endpoint));
    }
  g_ptr_array_unref (self->conns);
  g_rand_free (self->rand);
  if (self->wake_fd >= 0)
    close (self->wake_fd);
  g_mutex_clear (&self->lock);
  g_free (self->links);
  g_free (self);
}
