/* zs-recording-codec.c: the compact bytes of a recording's frames and captures
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-recording"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zs-recording.h"
#include "zs-recording-codec.h"

/* ---- writing ---- */

void
_zs_writer_uint (GByteArray *out,
                 guint64     value)
{
  guint8 buf[10];
  guint n = 0;

  do
    {
      buf[n] = value & 0x7f;
      value >>= 7;
      if (value != 0)
        buf[n] |= 0x80;
      n++;
    }
  while (value != 0);
  g_byte_array_append (out, buf, n);
}

void
_zs_writer_int (GByteArray *out,
                gint64      value)
{
  _zs_writer_uint (out, ((guint64) value << 1) ^ (guint64) (value >> 63));
}

void
_zs_writer_bytes (GByteArray   *out,
                  const guint8 *data,
                  gsize         length)
{
  g_byte_array_append (out, data, (guint) length);
}

void
_zs_writer_string (GByteArray *out,
                   const char *text)
{
  gsize length = strlen (text);

  _zs_writer_uint (out, length);
  _zs_writer_bytes (out, (const guint8 *) text, length);
}

/* ---- reading ---- */

void
_zs_reader_init (ZsReader     *r,
                 const guint8 *data,
                 gsize         length)
{
  *r = (ZsReader) { data, length, 0, NULL, ZS_RECORDING_FORMAT_VERSION };
}

gboolean
_zs_reader_failed (ZsReader *r)
{
  return r->error != NULL;
}

static gboolean
truncated (ZsReader *r)
{
  if (r->error == NULL)
    r->error = g_error_new (ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_TRUNCATED,
                            _("the recording ends early, at byte %zu of its data"), r->length);
  return FALSE;
}

void
_zs_reader_corrupt (ZsReader   *r,
                    const char *what)
{
  if (r->error == NULL)
    r->error = g_error_new (ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_CORRUPT,
                            _("corrupt at byte %zu of the recording's data: %s"), r->pos, what);
}

static gboolean
corrupt (ZsReader   *r,
         const char *what)
{
  _zs_reader_corrupt (r, what);
  return FALSE;
}

gboolean
_zs_reader_uint (ZsReader *r,
                 guint64   max,
                 guint64  *value)
{
  gsize start = r->pos;
  guint64 v = 0;

  *value = 0;
  if (r->error != NULL)
    return FALSE;
  for (guint shift = 0;; shift += 7)
    {
      guint8 byte;

      if (r->pos >= r->length)
        return truncated (r);
      byte = r->data[r->pos++];
      if (shift == 63 && byte > 1)
        {
          r->pos = start;
          return corrupt (r, _("a number beyond 64 bits"));
        }
      v |= (guint64) (byte & 0x7f) << shift;
      if ((byte & 0x80) == 0)
        break;
    }
  if (v > max)
    {
      r->pos = start;
      return corrupt (r, _("a value out of range"));
    }
  *value = v;
  return TRUE;
}

gboolean
_zs_reader_int (ZsReader *r,
                gint64   *value)
{
  guint64 v;

  *value = 0;
  if (!_zs_reader_uint (r, G_MAXUINT64, &v))
    return FALSE;
  *value = (gint64) (v >> 1) ^ -(gint64) (v & 1);
  return TRUE;
}

gboolean
_zs_reader_count (ZsReader *r,
                  gsize     min_bytes,
                  guint    *count)
{
  gsize start = r->pos;
  guint64 v;

  *count = 0;
  if (!_zs_reader_uint (r, G_MAXUINT, &v))
    return FALSE;
  if (v > (r->length - r->pos) / MAX (min_bytes, 1))
    {
      r->pos = start;
      return corrupt (r, _("a count beyond the data"));
    }
  *count = (guint) v;
  return TRUE;
}

gboolean
_zs_reader_bytes (ZsReader      *r,
                  gsize          length,
                  const guint8 **data)
{
  *data = NULL;
  if (r->error != NULL)
    return FALSE;
  if (length > r->length - r->pos)
    return truncated (r);
  *data = r->data + r->pos;
  r->pos += length;
  return TRUE;
}

gboolean
_zs_reader_string (ZsReader  *r,
                   char     **text)
{
  gsize start = r->pos;
  guint length;
  const guint8 *bytes;

  *text = NULL;
  if (!_zs_reader_count (r, 1, &length) || !_zs_reader_bytes (r, length, &bytes))
    return FALSE;
  if (memchr (bytes, 0, length) != NULL)
    {
      r->pos = start;
      return corrupt (r, _("a text with a NUL byte"));
    }
  *text = g_strndup ((const char *) bytes, length);
  return TRUE;
}

/* ---- frames ---- */

enum {
  FRAME_RUNNING           = 1 << 0,
  FRAME_FINISHED          = 1 << 1,
  FRAME_OUTSIDE_DISCARDED = 1 << 2,
  FRAME_STOP_REASON       = 1 << 3,
  FRAME_WIRE              = 1 << 4,  /* format 3: a capture's own figures follow */
  FRAME_WIRE_LIVE         = 1 << 5,
  FRAME_FLAGS             = (1 << 6) - 1,

  NODE_ERROR              = 1 << 0,
  NODE_RESULT             = 1 << 1,
  NODE_FLAGS              = (1 << 2) - 1,

  LINK_SENT_ESTIMATED     = 1 << 0,
  LINK_DROPPED_ESTIMATED  = 1 << 1,
  LINK_CAPACITY_ESTIMATED = 1 << 2,
  LINK_TO_OUTSIDE         = 1 << 3,
  LINK_CUT                = 1 << 4,   /* format 2 */
  LINK_RELAYED            = 1 << 5,   /* format 2 */
  LINK_CHANGED            = 1 << 6,   /* format 2: changed live */
  LINK_CHANGING           = 1 << 7,   /* format 2 */
  LINK_FLIPPED            = 1 << 8,   /* format 2 */
  LINK_LOST_IN_CHANGE     = 1 << 9,   /* format 2: lost in a live change, counted */
  LINK_LOST_ESTIMATED     = 1 << 10,  /* format 2 */
  LINK_FLAGS              = (1 << 11) - 1,

  SOCKET_UNTRACED         = 1 << 0,
  SOCKET_OUTSIDE          = 1 << 1,
  SOCKET_SENT_ESTIMATED   = 1 << 2,
  SOCKET_FLAGS            = (1 << 3) - 1,

  FLOW_PRESENT            = 1 << 0,
  FLOW_FLAGS              = (1 << 1) - 1,
};

#define BIT(cond, bit) ((cond) ? (bit) : 0)

/* The counters of a node and of a link, in file order. */
#define NODE_COUNTERS(n) \
  &(n)->sent, &(n)->sent_bytes, &(n)->received, &(n)->received_bytes, &(n)->foreign, \
  &(n)->unroutable, &(n)->blocked_us, &(n)->done_goal
#define FLOW_COUNTERS(f) \
  &(f)->sent, &(f)->sent_bytes, &(f)->received, &(f)->received_bytes, &(f)->dropped, \
  &(f)->unread, &(f)->in_flight
#define LINK_COUNTERS(l) \
  &(l)->sent, &(l)->sent_bytes, &(l)->received, &(l)->received_bytes, &(l)->multipart, \
  &(l)->dropped, &(l)->missed, &(l)->unread, &(l)->in_flight, &(l)->discarded, \
  &(l)->capacity, &(l)->connects, &(l)->disconnects, &(l)->retries
/* Format 2: the faults' counters, after the others. */
#define NODE_FAULT_COUNTERS(n) &(n)->kills, &(n)->restarts
#define LINK_FAULT_COUNTERS(l) &(l)->lost, &(l)->cuts
/* Format 3: the handshakes that failed. */
#define LINK_FORMAT3_COUNTERS(l) &(l)->handshakes_failed

static void
write_counters (GByteArray     *out,
                const guint64 **counters,
                guint           n)
{
  for (guint i = 0; i < n; i++)
    _zs_writer_uint (out, *counters[i]);
}

static gboolean
read_counters (ZsReader  *r,
               guint64  **counters,
               guint      n)
{
  for (guint i = 0; i < n; i++)
    if (!_zs_reader_uint (r, G_MAXUINT64, counters[i]))
      return FALSE;
  return TRUE;
}

static void
encode_node (GByteArray        *out,
             const ZsNodeStats *n)
{
  const guint64 *counters[] = { NODE_COUNTERS (n) };

  _zs_writer_uint (out, n->state);
  _zs_writer_uint (out, BIT (n->error != NULL, NODE_ERROR) | BIT (n->result != NULL, NODE_RESULT));
  if (n->error != NULL)
    _zs_writer_string (out, n->error);
  if (n->result != NULL)
    _zs_writer_string (out, n->result);
  const guint64 *fault_counters[] = { NODE_FAULT_COUNTERS (n) };

  write_counters (out, counters, G_N_ELEMENTS (counters));
  _zs_writer_int (out, n->done_at_us);
  _zs_writer_int (out, n->started_at_us);
  _zs_writer_uint (out, n->fault);
  /* Slow factors are thousandths in the engine (ZS_FAULT_SLOW_ONE): exact. */
  _zs_writer_uint (out, (guint64) llround (n->slow_factor * 1000));
  write_counters (out, fault_counters, G_N_ELEMENTS (fault_counters));
}

/* Latency percentiles are bucket middles, whole nanoseconds: kept exactly. */
static void
encode_latency (GByteArray           *out,
                const ZsLatencyStats *latency)
{
  _zs_writer_uint (out, latency->samples);
  _zs_writer_uint (out, (guint64) llround (latency->p50_us * 1000));
  _zs_writer_uint (out, (guint64) llround (latency->p99_us * 1000));
}

static void
encode_flow (GByteArray       *out,
             const ZsLinkFlow *f)
{
  const guint64 *counters[] = { FLOW_COUNTERS (f) };

  _zs_writer_uint (out, BIT (f->present, FLOW_PRESENT));
  if (!f->present)
    return;
  write_counters (out, counters, G_N_ELEMENTS (counters));
  encode_latency (out, &f->latency);
  _zs_writer_int (out, f->first_received_us);
  _zs_writer_uint (out, f->lost);
}

static void
encode_link (GByteArray        *out,
             const ZsLinkStats *l)
{
  const guint64 *counters[] = { LINK_COUNTERS (l) };
  const guint64 *fault_counters[] = { LINK_FAULT_COUNTERS (l) };
  const guint64 *format3_counters[] = { LINK_FORMAT3_COUNTERS (l) };

  write_counters (out, counters, G_N_ELEMENTS (counters));
  write_counters (out, fault_counters, G_N_ELEMENTS (fault_counters));
  write_counters (out, format3_counters, G_N_ELEMENTS (format3_counters));
  for (guint d = 0; d < 2; d++)
    encode_flow (out, &l->flow[d]);
  _zs_writer_uint (out, l->state);
  _zs_writer_uint (out, l->last_event);
  _zs_writer_int (out, l->last_event_us);
  _zs_writer_uint (out, BIT (l->sent_estimated, LINK_SENT_ESTIMATED)
                        | BIT (l->dropped_estimated, LINK_DROPPED_ESTIMATED)
                        | BIT (l->capacity_estimated, LINK_CAPACITY_ESTIMATED)
                        | BIT (l->to_outside, LINK_TO_OUTSIDE) | BIT (l->cut, LINK_CUT)
                        | BIT (l->relayed, LINK_RELAYED) | BIT (l->changes > 0, LINK_CHANGED)
                        | BIT (l->changing, LINK_CHANGING) | BIT (l->flipped, LINK_FLIPPED)
                        | BIT (l->lost_in_change > 0, LINK_LOST_IN_CHANGE)
                        | BIT (l->lost_estimated, LINK_LOST_ESTIMATED));
  if (l->relayed)
    {
      _zs_writer_uint (out, l->delay_ms);
      /* Loss in thousandths of a percent: what a fault script can say. */
      _zs_writer_uint (out, (guint64) llround (l->loss_percent * 1000));
    }
  _zs_writer_uint (out, (guint64) MAX (l->transport, 0));
  if (l->changes > 0)
    _zs_writer_uint (out, l->changes);
  if (l->lost_in_change > 0)
    _zs_writer_uint (out, l->lost_in_change);
}

static void
encode_socket (GByteArray           *out,
               const ZsOutsideStats *s)
{
  _zs_writer_uint (out, s->node);
  _zs_writer_uint (out, s->socket);
  _zs_writer_uint (out, BIT (s->untraced, SOCKET_UNTRACED) | BIT (s->outside, SOCKET_OUTSIDE)
                        | BIT (s->sent_estimated, SOCKET_SENT_ESTIMATED));
  _zs_writer_uint (out, s->peers);
  _zs_writer_uint (out, s->sent);
  _zs_writer_uint (out, s->received);
}

/* What a capture missed: the kernel's drops and the kept messages let go. */
static void
encode_wire (GByteArray        *out,
             const ZsWireStats *w)
{
  _zs_writer_uint (out, w->kernel_dropped);
  _zs_writer_uint (out, w->let_go);
  _zs_writer_uint (out, w->helper_let_go);
}

static gboolean
decode_wire (ZsReader    *r,
             guint64      flags,
             ZsWireStats *w)
{
  *w = (ZsWireStats) { 0 };
  if ((flags & FRAME_WIRE) == 0)
    return (flags & FRAME_WIRE_LIVE) == 0 || corrupt (r, _("a live capture's mark on a frame that is no capture"));
  w->captured = TRUE;
  w->live = (flags & FRAME_WIRE_LIVE) != 0;
  return _zs_reader_uint (r, G_MAXUINT64, &w->kernel_dropped) && _zs_reader_uint (r, G_MAXUINT64, &w->let_go)
         && _zs_reader_uint (r, G_MAXUINT64, &w->helper_let_go);
}

void
_zs_frame_encode (GByteArray       *out,
                  const ZsSnapshot *s)
{
  _zs_writer_int (out, s->time_us);
  _zs_writer_int (out, s->run_started_us);
  _zs_writer_uint (out, BIT (s->running, FRAME_RUNNING) | BIT (s->finished, FRAME_FINISHED)
                        | BIT (s->outside_discarded, FRAME_OUTSIDE_DISCARDED)
                        | BIT (s->stop_reason != NULL, FRAME_STOP_REASON)
                        | BIT (s->wire.captured, FRAME_WIRE) | BIT (s->wire.live, FRAME_WIRE_LIVE));
  if (s->stop_reason != NULL)
    _zs_writer_string (out, s->stop_reason);
  if (s->wire.captured)
    encode_wire (out, &s->wire);
  encode_latency (out, &s->latency);
  _zs_writer_uint (out, s->n_nodes);
  _zs_writer_uint (out, s->n_links);
  _zs_writer_uint (out, s->sockets != NULL ? s->n_sockets : 0);
  for (guint i = 0; i < s->n_nodes; i++)
    encode_node (out, &s->nodes[i]);
  for (guint i = 0; i < s->n_links; i++)
    encode_link (out, &s->links[i]);
  for (guint i = 0; s->sockets != NULL && i < s->n_sockets; i++)
    encode_socket (out, &s->sockets[i]);
}

static gboolean
read_text (ZsReader  *r,
           gboolean   present,
           char     **text)
{
  g_clear_pointer (text, g_free);
  return !present || _zs_reader_string (r, text);
}

static gboolean
decode_node (ZsReader    *r,
             ZsNodeStats *n)
{
  guint64 *counters[] = { NODE_COUNTERS (n) };
  guint64 *fault_counters[] = { NODE_FAULT_COUNTERS (n) };
  guint64 state, flags, fault = ZS_NODE_FAULT_NONE, slow = 1000;

  n->kills = n->restarts = 0;
  if (!_zs_reader_uint (r, ZS_NODE_STATE_STOPPED, &state) || !_zs_reader_uint (r, NODE_FLAGS, &flags)
      || !read_text (r, flags & NODE_ERROR, &n->error) || !read_text (r, flags & NODE_RESULT, &n->result)
      || !read_counters (r, counters, G_N_ELEMENTS (counters))
      || !_zs_reader_int (r, &n->done_at_us) || !_zs_reader_int (r, &n->started_at_us))
    return FALSE;
  if (r->version >= 2
      && (!_zs_reader_uint (r, ZS_NODE_FAULT_SLOWED, &fault) || !_zs_reader_uint (r, G_MAXUINT32, &slow)
          || !read_counters (r, fault_counters, G_N_ELEMENTS (fault_counters))))
    return FALSE;
  n->state = (ZsNodeState) state;
  n->fault = (ZsNodeFault) fault;
  n->slow_factor = slow / 1000.0;
  return TRUE;
}

static gboolean
decode_latency (ZsReader       *r,
                ZsLatencyStats *latency)
{
  guint64 p50_ns, p99_ns;

  if (!_zs_reader_uint (r, G_MAXUINT64, &latency->samples) || !_zs_reader_uint (r, G_MAXUINT64, &p50_ns)
      || !_zs_reader_uint (r, G_MAXUINT64, &p99_ns))
    return FALSE;
  latency->p50_us = p50_ns / 1000.0;
  latency->p99_us = p99_ns / 1000.0;
  return TRUE;
}

static gboolean
decode_flow (ZsReader   *r,
             ZsLinkFlow *f)
{
  guint64 *counters[] = { FLOW_COUNTERS (f) };
  guint64 flags;

  memset (f, 0, sizeof *f);
  if (!_zs_reader_uint (r, FLOW_FLAGS, &flags))
    return FALSE;
  f->present = (flags & FLOW_PRESENT) != 0;
  return !f->present
         || (read_counters (r, counters, G_N_ELEMENTS (counters)) && decode_latency (r, &f->latency)
             && _zs_reader_int (r, &f->first_received_us)
             && (r->version < 2 || _zs_reader_uint (r, G_MAXUINT64, &f->lost)));
}

/* A relayed link's delay and loss (format 2). */
static gboolean
decode_relay (ZsReader    *r,
              gboolean     relayed,
              ZsLinkStats *l)
{
  guint64 delay = 0, loss = 0;

  l->relayed = relayed;
  if (relayed && (!_zs_reader_uint (r, G_MAXUINT, &delay) || !_zs_reader_uint (r, 100 * 1000, &loss)))
    return FALSE;
  l->delay_ms = (guint) delay;
  l->loss_percent = loss / 1000.0;
  return TRUE;
}

/* Its transport now and, changed live, how many times and how many
 * messages were lost in the changes (format 2). */
static gboolean
decode_changes (ZsReader    *r,
                guint64      flags,
                ZsLinkStats *l)
{
  guint64 transport = 0;

  l->changes = l->lost_in_change = 0;
  l->changing = (flags & LINK_CHANGING) != 0;
  l->flipped = (flags & LINK_FLIPPED) != 0;
  if (r->version < 2)
    return TRUE;
  if (!_zs_reader_uint (r, ZS_TRANSPORT_EPGM, &transport)
      || ((flags & LINK_CHANGED) != 0 && !_zs_reader_uint (r, G_MAXUINT64, &l->changes))
      || ((flags & LINK_LOST_IN_CHANGE) != 0 && !_zs_reader_uint (r, l->lost, &l->lost_in_change)))
    return FALSE;
  l->transport = (int) transport;
  if ((flags & LINK_CHANGED) != 0 && l->changes == 0)
    return corrupt (r, _("a link changed live 0 times"));
  return TRUE;
}

static gboolean
decode_link (ZsReader    *r,
             ZsLinkStats *l)
{
  guint64 *counters[] = { LINK_COUNTERS (l) };
  guint64 *fault_counters[] = { LINK_FAULT_COUNTERS (l) };
  guint64 *format3_counters[] = { LINK_FORMAT3_COUNTERS (l) };
  guint64 state, event, flags;

  l->lost = l->cuts = l->handshakes_failed = 0;
  if (!read_counters (r, counters, G_N_ELEMENTS (counters))
      || (r->version >= 2 && !read_counters (r, fault_counters, G_N_ELEMENTS (fault_counters)))
      || (r->version >= 3 && !read_counters (r, format3_counters, G_N_ELEMENTS (format3_counters)))
      || !decode_flow (r, &l->flow[0]) || !decode_flow (r, &l->flow[1])
      || !_zs_reader_uint (r, ZS_LINK_STATE_CLOSED, &state)
      || !_zs_reader_uint (r, ZS_LINK_EVENT_HANDSHAKE_FAILED, &event)
      || !_zs_reader_int (r, &l->last_event_us)
      || !_zs_reader_uint (r, r->version >= 2 ? LINK_FLAGS : LINK_CUT - 1, &flags)
      || !decode_relay (r, (flags & LINK_RELAYED) != 0, l)
      || !decode_changes (r, flags, l))
    return FALSE;
  l->state = (ZsLinkState) state;
  l->last_event = (ZsLinkEvent) event;
  l->sent_estimated = (flags & LINK_SENT_ESTIMATED) != 0;
  l->dropped_estimated = (flags & LINK_DROPPED_ESTIMATED) != 0;
  l->lost_estimated = (flags & LINK_LOST_ESTIMATED) != 0;
  l->capacity_estimated = (flags & LINK_CAPACITY_ESTIMATED) != 0;
  l->to_outside = (flags & LINK_TO_OUTSIDE) != 0;
  l->cut = (flags & LINK_CUT) != 0;
  return TRUE;
}

static gboolean
decode_socket (ZsReader       *r,
               guint           n_nodes,
               ZsOutsideStats *s)
{
  guint64 node, socket, flags;

  if (!_zs_reader_uint (r, n_nodes - 1, &node) || !_zs_reader_uint (r, G_MAXUINT, &socket)
      || !_zs_reader_uint (r, SOCKET_FLAGS, &flags) || !_zs_reader_uint (r, G_MAXUINT64, &s->peers)
      || !_zs_reader_uint (r, G_MAXUINT64, &s->sent) || !_zs_reader_uint (r, G_MAXUINT64, &s->received))
    return FALSE;
  s->node = (guint) node;
  s->socket = (guint) socket;
  s->untraced = (flags & SOCKET_UNTRACED) != 0;
  s->outside = (flags & SOCKET_OUTSIDE) != 0;
  s->sent_estimated = (flags & SOCKET_SENT_ESTIMATED) != 0;
  return TRUE;
}

/* A node, link or socket count: the topology's (or 0 sockets, if allowed). */
static gboolean
decode_size (ZsReader *r,
             guint     expected,
             gboolean  may_be_zero,
             guint    *n)
{
  gsize start = r->pos;
  guint64 v;

  *n = 0;
  if (!_zs_reader_uint (r, G_MAXUINT, &v))
    return FALSE;
  if (v == expected || (may_be_zero && v == 0))
    {
      *n = (guint) v;
      return TRUE;
    }
  r->pos = start;
  return corrupt (r, _("a frame of another topology (its node, link or socket count differs)"));
}

static void
set_n_sockets (ZsSnapshot *s,
               guint       n_sockets)
{
  if (s->sockets != NULL && s->n_sockets == n_sockets)
    return;
  g_clear_pointer (&s->sockets, g_free);
  s->n_sockets = n_sockets;
  if (n_sockets > 0)
    s->sockets = g_new0 (ZsOutsideStats, n_sockets);
}

gboolean
_zs_frame_decode (ZsReader   *r,
                  guint       n_sockets,
                  ZsSnapshot *s)
{
  guint64 flags;
  guint n_nodes, n_links;

  if (!_zs_reader_int (r, &s->time_us) || !_zs_reader_int (r, &s->run_started_us)
      || !_zs_reader_uint (r, r->version >= 3 ? FRAME_FLAGS : FRAME_WIRE - 1, &flags)
      || !read_text (r, flags & FRAME_STOP_REASON, &s->stop_reason) || !decode_wire (r, flags, &s->wire)
      || !decode_latency (r, &s->latency)
      || !decode_size (r, s->n_nodes, FALSE, &n_nodes) || !decode_size (r, s->n_links, FALSE, &n_links)
      || !decode_size (r, n_sockets, TRUE, &n_sockets))
    return FALSE;
  s->running = (flags & FRAME_RUNNING) != 0;
  s->finished = (flags & FRAME_FINISHED) != 0;
  s->outside_discarded = (flags & FRAME_OUTSIDE_DISCARDED) != 0;
  for (guint i = 0; i < s->n_nodes; i++)
    if (!decode_node (r, &s->nodes[i]))
      return FALSE;
  for (guint i = 0; i < s->n_links; i++)
    if (!decode_link (r, &s->links[i]))
      return FALSE;
  set_n_sockets (s, n_sockets);
  for (guint i = 0; i < s->n_sockets; i++)
    if (!decode_socket (r, s->n_nodes, &s->sockets[i]))
      return FALSE;
  return TRUE;
}

void
_zs_snapshot_copy_into (ZsSnapshot       *dest,
                        const ZsSnapshot *src)
{
  g_assert (dest->n_nodes == src->n_nodes && dest->n_links == src->n_links);

  g_free (dest->stop_reason);
  for (guint i = 0; i < dest->n_nodes; i++)
    {
      g_free (dest->nodes[i].error);
      g_free (dest->nodes[i].result);
    }
  dest->time_us = src->time_us;
  dest->run_started_us = src->run_started_us;
  dest->running = src->running;
  dest->finished = src->finished;
  dest->outside_discarded = src->outside_discarded;
  dest->stop_reason = g_strdup (src->stop_reason);
  dest->latency = src->latency;
  dest->wire = src->wire;
  memcpy (dest->nodes, src->nodes, sizeof *src->nodes * src->n_nodes);
  memcpy (dest->links, src->links, sizeof *src->links * src->n_links);
  for (guint i = 0; i < dest->n_nodes; i++)
    {
      dest->nodes[i].error = g_strdup (src->nodes[i].error);
      dest->nodes[i].result = g_strdup (src->nodes[i].result);
    }
  set_n_sockets (dest, src->sockets != NULL ? src->n_sockets : 0);
  if (dest->n_sockets > 0)
    memcpy (dest->sockets, src->sockets, sizeof *src->sockets * src->n_sockets);
}

/* ---- captures ---- */

void
_zs_capture_encode (GByteArray      *out,
                    const ZsCapture *c)
{
  _zs_writer_int (out, c->time_us);
  _zs_writer_uint (out, c->seq);
  _zs_writer_uint (out, c->traced ? 1 : 0);
  if (c->traced)
    _zs_writer_bytes (out, c->trailer, sizeof c->trailer);
  _zs_writer_uint (out, c->dir);
  _zs_writer_uint (out, MAX (c->every, 1));
  _zs_writer_uint (out, c->n_frames);
  for (guint i = 0; i < MIN (c->n_frames, ZS_CAPTURE_MAX_FRAMES); i++)
    {
      gsize kept = c->frames[i] != NULL ? g_bytes_get_size (c->frames[i]) : 0;

      _zs_writer_uint (out, c->sizes[i]);
      g_assert (kept == MIN (c->sizes[i], ZS_CAPTURE_MAX_BYTES));
      if (kept > 0)
        _zs_writer_bytes (out, g_bytes_get_data (c->frames[i], NULL), kept);
    }
}

ZsCapture *
_zs_capture_decode (ZsReader *r)
{
  g_autoptr(ZsCapture) c = g_new0 (ZsCapture, 1);
  guint64 traced, dir, every = 1, n_frames;
  const guint8 *bytes;

  if (!_zs_reader_int (r, &c->time_us) || !_zs_reader_uint (r, G_MAXUINT64, &c->seq)
      || !_zs_reader_uint (r, 1, &traced))
    return NULL;
  c->traced = traced != 0;
  if (c->traced)
    {
      if (!_zs_reader_bytes (r, sizeof c->trailer, &bytes))
        return NULL;
      memcpy (c->trailer, bytes, sizeof c->trailer);
    }
  if (!_zs_reader_uint (r, 1, &dir)
      || (r->version >= 2 && !_zs_reader_uint (r, ZS_CAPTURE_MAX_EVERY, &every))
      || !_zs_reader_uint (r, G_MAXUINT, &n_frames))
    return NULL;
  c->dir = (guint) dir;
  c->every = (guint) every;
  c->n_frames = (guint) n_frames;
  for (guint i = 0; i < MIN (c->n_frames, ZS_CAPTURE_MAX_FRAMES); i++)
    {
      guint64 size;

      if (!_zs_reader_uint (r, G_MAXSIZE, &size)
          || !_zs_reader_bytes (r, MIN (size, ZS_CAPTURE_MAX_BYTES), &bytes))
        return NULL;
      c->sizes[i] = (gsize) size;
      c->frames[i] = g_bytes_new (bytes, MIN (size, ZS_CAPTURE_MAX_BYTES));
    }
  return g_steal_pointer (&c);
}

gsize
_zs_capture_size (const ZsCapture *c)
{
  gsize size = sizeof *c;

  for (guint i = 0; i < ZS_CAPTURE_MAX_FRAMES; i++)
    if (c->frames[i] != NULL)
      size += g_bytes_get_size (c->frames[i]) + 32;
  return size;
}
