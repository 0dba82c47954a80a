/* zs-canvas-live.c: the live view: the canvas shows a run session; what
 * its flow layer (zs-canvas-flow.c) and overlay (zs-canvas-overlay.c)
 * share, and the live figures in words (tooltips, the inspector)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-canvas"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zs-canvas-private.h"
#include "zs-engine.h"   /* zs_engine_untraced_reason (): the plan's rule, no engine */

typedef ZsCanvasArc Arc;
typedef ZsCanvasFlow Flow;
typedef ZsCanvasExternalTraffic ExternalTraffic;

/* "3.2 msg/s", "450 msg/s", "12.3 k/s", "1.2 M/s" */
void
_zs_canvas_format_rate (char   *buffer,
                        gsize   size,
                        double  rate)
{
  if (rate < 0.05)
    g_snprintf (buffer, size, _("0 msg/s"));
  else if (rate < 10)
    g_snprintf (buffer, size, _("%.1f msg/s"), rate);
  else if (rate < 1000)
    g_snprintf (buffer, size, _("%.0f msg/s"), rate);
  else if (rate < 1e6)
    g_snprintf (buffer, size, _("%.1f k/s"), rate / 1e3);
  else
    g_snprintf (buffer, size, _("%.1f M/s"), rate / 1e6);
}

void
_zs_canvas_arc_init (Arc                *arc,
                     const ZsLinkLayout *l)
{
  graphene_point_t prev = l->from;

  arc->lengths[0] = 0;
  for (guint i = 1; i <= ZS_CANVAS_ARC_STEPS; i++)
    {
      graphene_point_t p = _zs_canvas_bezier_point (l, (double) i / ZS_CANVAS_ARC_STEPS);

      arc->lengths[i] = arc->lengths[i - 1] + hypot (p.x - prev.x, p.y - prev.y);
      prev = p;
    }
  arc->total = MAX (arc->lengths[ZS_CANVAS_ARC_STEPS], 1e-6);
}

/* The curve's t at a fraction of its length, from `from` (direction 0,
 * connecting socket -> binding socket) or from `to` (direction 1). */
double
_zs_canvas_arc_t (const Arc *arc,
                  double     fraction,
                  guint      direction)
{
  double s = CLAMP (direction == 0 ? fraction : 1 - fraction, 0, 1) * arc->total;
  guint i = 1;

  while (i < ZS_CANVAS_ARC_STEPS && arc->lengths[i] < s)
    i++;
  {
    double a = arc->lengths[i - 1], b = arc->lengths[i];
    double f = b > a ? (s - a) / (b - a) : 0;

    return (i - 1 + f) / ZS_CANVAS_ARC_STEPS;
  }
}

/* The live model counts each direction of a link apart. A direction is
 * drawn once it carried messages (REQ/REP, DEALER/ROUTER: requests one
 * way, replies the other); before any, the main one. The queue goes to
 * the receiver of the main flow, the one that carried more. */
Flow
_zs_canvas_link_flow (ZsCanvas           *self,
                      const ZsLinkLayout *l)
{
  const ZsLiveLink *live = zs_live_model_get_link (self->live_model, l->run);
  guint r = l->run_reversed;   /* flipped live: the run's flows go the drawn way back */
  Flow flow = { { FALSE, FALSE }, live->main_flow ^ r };

  for (guint d = 0; d < 2; d++)
    flow.dir[d ^ r] = live->flow[d].present && (live->flow[d].carried || d == live->main_flow);
  return flow;
}

/* An external program counts nothing for us: its link says what was handed
 * to it, not what it read. */
const char *
_zs_canvas_received_label (const ZsLinkStats *stats)
{
  return stats->to_outside ? _("Handed to the outside program") : _("Received");
}

/* Why the link's `lost` were lost, when one reason explains them all. */
const char *
_zs_canvas_lost_label (const ZsLinkStats *stats)
{
  return stats->lost_in_change == stats->lost ? _("Lost in a live change") : _("Lost");
}

gboolean
_zs_canvas_has_outside_traffic (const ZsOutsideStats *o)
{
  return o->outside || o->sent > 0 || o->received > 0;
}

/* "outside: 3 peers · 10 sent · 10 received", "~" on an estimate: the
 * chip's text and the tooltip's line. */
void
_zs_canvas_format_outside (char                 *buffer,
                           gsize                 size,
                           const ZsOutsideStats *o)
{
  /* Translators: a socket's traffic with programs outside zmqscope; the
   * %s is "~" when the count sent is an estimate, else empty. */
  g_snprintf (buffer, size, ngettext ("outside: %'" PRIu64 " peer · %s%'" PRIu64 " sent · %'" PRIu64 " received",
                                      "outside: %'" PRIu64 " peers · %s%'" PRIu64 " sent · %'" PRIu64 " received",
                                      o->peers),
              o->peers, o->sent_estimated ? "~" : "", o->sent, o->received);
}

ExternalTraffic
_zs_canvas_external_traffic (ZsCanvas *self,
                             guint     node,
                             int       socket)
{
  GPtrArray *links = zs_topology_get_links (zs_live_model_get_topology (self->live_model));
  ExternalTraffic t = { 0 };

  for (guint l = 0; l < links->len; l++)
    {
      const ZsLink *link = g_ptr_array_index (links, l);
      const ZsLinkStats *ls = &self->live_snapshot->links[l];
      gboolean at_bind = link->bind_node == node && (socket < 0 || link->bind_socket == (guint) socket);
      gboolean at_connect = link->connect_node == node && (socket < 0 || link->connect_socket == (guint) socket);

      if ((at_bind && link->to_bind) || (at_connect && link->to_connect))
        {
          t.to_it += ls->sent;
          t.estimated |= ls->sent_estimated;
        }
      if ((at_bind && link->to_connect) || (at_connect && link->to_bind))
        t.from_it += ls->received;
    }
  return t;
}

static void
append_count (GString    *text,
              const char *label,
              guint64     value,
              gboolean    estimated)
{
  g_string_append_printf (text, "\n%s: %'" G_GUINT64_FORMAT "%s", label, value,
                          estimated ? _(" (estimate)") : "");
}

/* "worker-1 — running, 12.3 k/s"; once the run is over, no rate. */
static void
append_headline (ZsCanvas   *self,
                 GString    *text,
                 const char *name,
                 const char *state,
                 const char *rate)
{
  if (_zs_canvas_run_is_on (self))
    /* Translators: "tcp://localhost:5556 — connected, 12.3 k/s" */
    g_string_append_printf (text, _("%s — %s, %s"), name, state, rate);
  else
    g_string_append_printf (text, "%s — %s", name, state);
}

/* "push runs untraced: <why>; figures on its links are estimates", or
 * NULL. `outside_now`: an outside program connected to it during the run,
 * which turns tracing off too. */
static char *
describe_untraced (ZsTopology *topology,
                   guint       node,
                   guint       socket,
                   gboolean    outside_now)
{
  g_autofree char *reason = zs_engine_untraced_reason (topology, node, socket);
  ZsSocketSpec *spec = zs_node_get_socket (zs_topology_get_node (topology, node), socket);

  if (reason == NULL && !outside_now)
    return NULL;
  /* Translators: "push runs untraced: it is linked to “collector”, an
   * outside program; …" */
  return g_strdup_printf (_("%s runs untraced: %s; it sends exact payloads, and figures on its links are estimates"),
                          zs_socket_spec_get_name (spec),
                          reason != NULL ? reason : _("an outside program connected to it"));
}

/* A link's ends that run untraced: why, and that its figures are estimates. */
static void
append_link_untraced (ZsCanvas     *self,
                      GString      *text,
                      const ZsLink *link)
{
  ZsTopology *topology = zs_live_model_get_topology (self->live_model);
  const ZsSnapshot *s = self->live_snapshot;

  for (guint i = 0; i < s->n_sockets; i++)
    {
      const ZsOutsideStats *o = &s->sockets[i];
      g_autofree char *untraced = NULL;

      if ((o->node == link->connect_node && o->socket == link->connect_socket) ||
          (o->node == link->bind_node && o->socket == link->bind_socket))
        untraced = describe_untraced (topology, o->node, o->socket, o->outside);
      if (untraced != NULL)
        g_string_append_printf (text, "\n%s", untraced);
    }
}

/* Each socket's traffic with outside programs, and why it runs untraced. */
static void
append_sockets_outside (ZsCanvas *self,
                        GString  *text,
                        guint     index)
{
  ZsTopology *topology = zs_live_model_get_topology (self->live_model);
  const ZsSnapshot *s = self->live_snapshot;
  ZsNode *node = zs_topology_get_node (topology, index);

  for (guint i = 0; i < s->n_sockets; i++)
    {
      const ZsOutsideStats *o = &s->sockets[i];
      g_autofree char *untraced = NULL;
      char outside[256];

      if (o->node != index)
        continue;
      if (_zs_canvas_has_outside_traffic (o))
        {
          _zs_canvas_format_outside (outside, sizeof outside, o);
          g_string_append_printf (text, "\n%s: %s", zs_socket_spec_get_name (zs_node_get_socket (node, o->socket)),
                                  outside);
        }
      untraced = describe_untraced (topology, index, o->socket, o->outside);
      if (untraced != NULL)
        g_string_append_printf (text, "\n%s", untraced);
    }
}

gboolean
_zs_canvas_is_wire_link (ZsTopology *topology,
                         guint       index)
{
  const ZsLink *link = g_ptr_array_index (zs_topology_get_links (topology), index);

  return zs_node_is_external (zs_topology_get_node (topology, link->connect_node))
         && zs_node_is_external (zs_topology_get_node (topology, link->bind_node));
}

/* What the nodes' own sockets tell: drops, queues, the HWM. */
static void
append_queue_counts (GString           *text,
                     const ZsLinkStats *s)
{
  append_count (text, _("Dropped"), s->dropped, s->dropped_estimated);
  if (s->missed > 0)
    g_string_append_printf (text, _(" (%'" PRIu64 " missed before joining)"), s->missed);
  append_count (text, _("Unread"), s->unread, FALSE);
  if (s->lost > 0)
    append_count (text, _zs_canvas_lost_label (s), s->lost, s->lost_estimated);
  if (s->lost_in_change > 0 && s->lost_in_change < s->lost)
    /* Translators: part of the link's lost messages: " (3 in a live change)" */
    g_string_append_printf (text, _(" (%'" PRIu64 " in a live change)"), s->lost_in_change);
  append_count (text, _("In flight"), s->in_flight, FALSE);
  if (s->relayed)
    g_string_append_printf (text, _("\nThrough the relay: delay %u ms, loss %g %%"), s->delay_ms, s->loss_percent);
  if (s->capacity == 0)
    g_string_append_printf (text, "\n%s", _("Capacity: unbounded (no HWM)"));
  else
    {
      append_count (text, _("Capacity (SNDHWM + RCVHWM)"), s->capacity, FALSE);
      if (s->capacity_estimated)
        g_string_append (text, _(" ~ (estimate: tcp buffers hold more)"));
    }
}

/* What the capture itself missed: the packets the kernel dropped (live;
 * a capture file does not record them), and the kept messages let go to
 * bound memory. */
static void
append_wire_figures (GString           *text,
                     const ZsWireStats *w)
{
  if (!w->captured)
    return;
  if (w->live && w->kernel_dropped > 0)
    g_string_append_printf (text, _("\nKernel drops: %'" PRIu64 " packets: the figures are estimates "
                                    "(the messages in those packets were not seen)"), w->kernel_dropped);
  else if (w->live)
    g_string_append (text, _("\nKernel drops: 0 packets"));
  else
    g_string_append (text, _("\nKernel drops: not known (read from a file: capture files do not record them)"));
  if (w->let_go > 0 || w->helper_let_go > 0)
    g_string_append_printf (text, _("\nMessages page: the kept messages of the least recently active connections "
                                    "were let go to bound memory: %'" PRIu64 " here, %'" PRIu64 " in the capture helper"),
                            w->let_go, w->helper_let_go);
}

/* The end marker its receiver stops at ("END"), when a one-way link
 * carries one: counted with the messages, which its card's result
 * ("Received 1000000 messages") leaves out. */
static const char *
link_end_marker (ZsTopology   *topology,
                 const ZsLink *link)
{
  const char *marker;

  if (link->to_bind == link->to_connect)
    return NULL;
  marker = zs_node_get_end_marker (zs_topology_get_node (topology, link->to_connect ? link->connect_node
                                                                                   : link->bind_node));
  return marker != NULL && *marker != '\0' ? marker : NULL;
}

static char *
link_tooltip (ZsCanvas *self,
              guint     index)
{
  ZsTopology *topology = zs_live_model_get_topology (self->live_model);
  const ZsLink *link = g_ptr_array_index (zs_topology_get_links (topology), index);
  const ZsLinkStats *s = &self->live_snapshot->links[index];
  const ZsLiveLink *live = zs_live_model_get_link (self->live_model, index);
  GString *text = g_string_new (NULL);
  char rate[64];

  _zs_canvas_format_rate (rate, sizeof rate, live->rate_shown);
  append_headline (self, text, link->connect_endpoint, zs_link_state_to_string (s->state), rate);
  append_count (text, _("Sent"), s->sent, s->sent_estimated);
  append_count (text, _zs_canvas_received_label (s), s->received, FALSE);
  if (link_end_marker (topology, link) != NULL)
    /* Translators: after the link's received count; %s is the end marker, such as END */
    g_string_append_printf (text, _(" (the end marker “%s” included)"), link_end_marker (topology, link));
  if (_zs_canvas_is_wire_link (topology, index))
    {
      g_string_append_printf (text, "\n%s", _("Seen on the wire: the queues and HWM drops inside "
                                               "the programs are not visible from there."));
      append_wire_figures (text, &self->live_snapshot->wire);
    }
  else
    append_queue_counts (text, s);
  if (s->multipart > 0)
    append_count (text, _("Multipart"), s->multipart, FALSE);
  g_string_append_printf (text, _("\nConnects: %'" PRIu64 " · disconnects: %'" PRIu64
                                  " · retries: %'" PRIu64),
                          s->connects, s->disconnects, s->retries);
  if (s->handshakes_failed > 0)
    g_string_append_printf (text, _("\nHandshakes failed: %'" PRIu64 " (closed before ZeroMQ's handshake was done: "
                                    "a peer whose socket type does not fit, one that left, or no ZeroMQ program)"),
                            s->handshakes_failed);
  if (s->changes > 0)
    /* Translators: a link changed during the run; %s is inproc, ipc or tcp. */
    g_string_append_printf (text, s->flipped ? _("\nChanged live %'" PRIu64 "×: now over %s, bind and connect swapped")
                                             : _("\nChanged live %'" PRIu64 "×: now over %s"),
                            s->changes, zs_transport_to_string ((ZsTransport) s->transport));
  if (live->blocked)
    g_string_append_printf (text, "\n%s", _("The sender is blocked at the HWM: it waits, nothing is dropped"));
  append_link_untraced (self, text, link);
  return g_string_free (text, FALSE);
}

static char *
node_tooltip (ZsCanvas *self,
              guint     index)
{
  ZsTopology *topology = zs_live_model_get_topology (self->live_model);
  const ZsNodeStats *s = &self->live_snapshot->nodes[index];
  const ZsLiveNode *live = zs_live_model_get_node (self->live_model, index);
  GString *text = g_string_new (NULL);
  const char *note;
  char rate[64];

  _zs_canvas_format_rate (rate, sizeof rate, live->rate);
  /* The state its pill shows. */
  append_headline (self, text, zs_node_get_name (zs_topology_get_node (topology, index)),
                   zs_node_state_to_string (live->state), rate);
  if (zs_node_is_external (zs_topology_get_node (topology, index)))
    {
      ExternalTraffic t = _zs_canvas_external_traffic (self, index, -1);

      /* It runs nothing of ours: what its links carried. */
      append_count (text, _("To it on its links"), t.to_it, t.estimated);
      append_count (text, _("From it on its links"), t.from_it, FALSE);
      /* Seen on the wire, the note says what cannot be seen from there. */
      note = zs_node_get_note (zs_topology_get_node (topology, index));
      if (note != NULL && *note != '\0')
        g_string_append_printf (text, "\n%s", note);
      append_wire_figures (text, &self->live_snapshot->wire);
      return g_string_free (text, FALSE);
    }
  /* Every message on every socket: a syncsub's sync reply and END marker
   * too, which its card's result ("Received 1000000 messages") leaves out. */
  append_count (text, _("Sent (all sockets, control messages included)"), s->sent, FALSE);
  append_count (text, _("Received (all sockets, control messages included)"), s->received, FALSE);
  if (s->foreign > 0)
    append_count (text, _("From outside zmqscope"), s->foreign, FALSE);
  if (s->unroutable > 0)
    append_count (text, _("Dropped: no such peer (ROUTER)"), s->unroutable, FALSE);
  append_count (text, _("Progress"), s->done_goal, FALSE);
  if (s->blocked_us > 0)
    g_string_append_printf (text, _("\nBlocked in sends: %.2f s"), s->blocked_us / (double) G_USEC_PER_SEC);
  if (s->result != NULL)
    g_string_append_printf (text, "\n%s", s->result);
  if (s->error != NULL)
    g_string_append_printf (text, _("\nError: %s"), s->error);
  append_sockets_outside (self, text, index);
  return g_string_free (text, FALSE);
}

char *
zs_canvas_describe_live_node (ZsCanvas *self,
                              guint     node)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);

  if (self->live_model == NULL || node >= zs_live_model_get_n_nodes (self->live_model))
    return NULL;
  return node_tooltip (self, node);
}

char *
zs_canvas_describe_untraced (ZsTopology *topology,
                             guint       node,
                             guint       socket)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);
  g_return_val_if_fail (node < zs_topology_get_n_nodes (topology), NULL);

  return describe_untraced (topology, node, socket, FALSE);
}

char *
zs_canvas_describe_live_link (ZsCanvas *self,
                              guint     link)
{
  g_return_val_if_fail (ZS_IS_CANVAS (self), NULL);

  if (self->live_model == NULL)
    return NULL;
  link = _zs_canvas_run_link (self, link);
  if (link >= zs_live_model_get_n_links (self->live_model))
    return NULL;
  return link_tooltip (self, link);
}

/* The live figures of what is at the model point `p`: a link's queue or
 * figures box, a link, a card; NULL if nothing, or no run is shown. */
char *
_zs_canvas_live_tooltip_at (ZsCanvas               *self,
                            const graphene_point_t *p)
{
  ZsHit hit;

  if (self->live_model == NULL)
    return NULL;
  for (guint i = 0; i < self->live_hot->len; i++)
    if (graphene_rect_contains_point (&g_array_index (self->live_hot, graphene_rect_t, i), p))
      return link_tooltip (self, i);
  hit = _zs_canvas_hit_test (self, p->x, p->y);
  if (hit.kind == ZS_HIT_LINK && _zs_canvas_run_link (self, hit.link) < self->live_hot->len)
    return link_tooltip (self, _zs_canvas_run_link (self, hit.link));
  if ((hit.kind == ZS_HIT_NODE || hit.kind == ZS_HIT_PORT) &&
      hit.node < zs_live_model_get_n_nodes (self->live_model))
    return node_tooltip (self, hit.node);
  return NULL;
}

/* The moment shown is one of a run still going: rates, dots, queues; else
 * the run's final figures. */
gboolean
_zs_canvas_run_is_on (ZsCanvas *self)
{
  return self->live_snapshot != NULL && self->live_snapshot->running;
}

/* The session took a snapshot: draw it. */
static void
on_session_updated_cb (ZsCanvas *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
clear_text (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

void
_zs_canvas_live_set_session (ZsCanvas     *self,
                             ZsRunSession *session)
{
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, on_session_updated_cb, self);
  g_set_object (&self->session, session);
  self->live_model = NULL;
  self->live_snapshot = NULL;
  g_ptr_array_set_size (self->live_texts, 0);
  g_array_set_size (self->live_hot, 0);
  self->live_drawn_drop_labels = 0;

  if (session != NULL)
    {
      self->live_model = zs_run_session_get_live_model (session);
      self->live_snapshot = zs_run_session_get_snapshot (session);
      g_array_set_size (self->live_hot, zs_live_model_get_n_links (self->live_model));
      memset (self->live_hot->data, 0, sizeof (graphene_rect_t) * self->live_hot->len);
      g_signal_connect_object (session, "updated", G_CALLBACK (on_session_updated_cb), self,
                               G_CONNECT_SWAPPED);
    }
  _zs_canvas_queue_redraw (self);
}

void
_zs_canvas_init_live (ZsCanvas *self)
{
  self->live_texts = g_ptr_array_new_with_free_func (clear_text);
  self->live_hot = g_array_new (FALSE, TRUE, sizeof (graphene_rect_t));
  self->live_labels = g_array_new (FALSE, TRUE, sizeof (graphene_rect_t));
  self->live_label_links = g_array_new (FALSE, TRUE, sizeof (guint));
  _zs_canvas_init_flow (self);
  _zs_canvas_init_overlay (self);
}

void
_zs_canvas_dispose_live (ZsCanvas *self)
{
  if (self->live_texts != NULL)
    _zs_canvas_live_set_session (self, NULL);
  _zs_canvas_dispose_flow (self);
  _zs_canvas_dispose_overlay (self);
  g_clear_pointer (&self->live_texts, g_ptr_array_unref);
  g_clear_pointer (&self->live_hot, g_array_unref);
  g_clear_pointer (&self->live_labels, g_array_unref);
  g_clear_pointer (&self->live_label_links, g_array_unref);
}

guint
_zs_canvas_run_link (ZsCanvas *self,
                     int       link)
{
  _zs_canvas_ensure_layout (self);
  if (link < 0 || (guint) link >= self->link_layouts->len)
    return G_MAXUINT;
  return ((const ZsLinkLayout *) g_ptr_array_index (self->link_layouts, link))->run;
}
