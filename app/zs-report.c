/* zs-report.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-report"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "zs-report.h"

static double
elapsed_s (const ZsSnapshot *s)
{
  return s->run_started_us > 0 ? (double) (s->time_us - s->run_started_us) / G_USEC_PER_SEC : 0;
}

/* Text from a topology file, as a terminal may show it: control
 * characters and bytes that are not UTF-8 become visible escapes, so a
 * name or a payload can never move the cursor, clear the screen or set
 * the window title. */
static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p != '\0'; )
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p++);
          continue;
        }
      if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (g_unichar_iscntrl (c))
        g_string_append_printf (out, c < 0x80 ? "\\x%02x" : "\\u%04x", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
}

char *
zs_report_escape (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_new (NULL);
  append_escaped (out, text);
  return g_string_free (out, FALSE);
}

/* Columns as a terminal shows them: CJK characters take two cells. */
static int
display_width (const char *text)
{
  int width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    width += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return width;
}

/* Appends text padded to |width| cells (left-aligned if width < 0), then a space. */
static void
append_cell (GString    *out,
             const char *text,
             int         width)
{
  g_autofree char *shown = zs_report_escape (text);
  int pad = MAX (0, ABS (width) - display_width (shown));

  if (width > 0)
    g_string_append_printf (out, "%*s", pad, "");
  g_string_append (out, shown);
  if (width < 0)
    g_string_append_printf (out, "%*s", pad, "");
  g_string_append_c (out, ' ');
}

static void
append_count (GString *out,
              guint64  value,
              int      width)
{
  char text[24];

  g_snprintf (text, sizeof text, "%" G_GUINT64_FORMAT, value);
  append_cell (out, text, width);
}

/* The faults a node took (zs_engine_kill_node …), after its result. */
static void
append_node_faults (GString           *out,
                    const ZsNodeStats *n)
{
  if (n->kills > 0)
    g_string_append_printf (out, _(" (killed %" PRIu64 "×, restarted %" PRIu64 "×)"), n->kills, n->restarts);
  if (n->fault == ZS_NODE_FAULT_KILLED)
    g_string_append (out, _(" (killed at the end)"));
  else if (n->fault == ZS_NODE_FAULT_PAUSED)
    g_string_append (out, _(" (paused alone at the end)"));
  if (n->slow_factor != 1 && n->slow_factor > 0)
    g_string_append_printf (out, _(" (slowed down ×%g)"), n->slow_factor);
}

static gboolean
any_lost (const ZsSnapshot *s)
{
  for (guint i = 0; i < s->n_links; i++)
    if (s->links[i].lost > 0)
      return TRUE;
  return FALSE;
}

static void
append_nodes (GString          *out,
              ZsTopology       *topology,
              const ZsSnapshot *s)
{
  const char *headers[] = { _("NODE"), _("ROLE"), _("STATE"), _("SENT"), _("RECEIVED") };
  const int widths[] = { -14, -11, -8, 10, 10 };

  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    append_cell (out, headers[c], widths[c]);
  g_string_append_printf (out, " %s\n", _("RESULT"));
  for (guint i = 0; i < s->n_nodes; i++)
    {
      ZsNode *node = zs_topology_get_node (topology, i);
      const ZsNodeStats *n = &s->nodes[i];

      append_cell (out, zs_node_get_name (node), widths[0]);
      append_cell (out, zs_role_to_string (zs_node_get_role (node)), widths[1]);
      /* zmqscope runs nothing for an external program: it has no state. */
      append_cell (out, zs_node_is_external (node) ? "-" : zs_node_state_to_string (n->state), widths[2]);
      append_count (out, n->sent, widths[3]);
      append_count (out, n->received, widths[4]);
      g_string_append_c (out, ' ');
      append_escaped (out, n->error ? n->error : n->result ? n->result : "");
      if (n->unroutable > 0)
        g_string_append_printf (out, _(" (%" PRIu64 " dropped: no such peer)"), n->unroutable);
      if (n->foreign > 0)
        g_string_append_printf (out, _(" (%" PRIu64 " received from outside the topology)"), n->foreign);
      append_node_faults (out, n);
      g_string_append_c (out, '\n');
    }
}

static void
append_links (GString          *out,
              ZsTopology       *topology,
              const ZsSnapshot *s)
{
  GPtrArray *links = zs_topology_get_links (topology);
  /* LOST only when a link lost messages: in a crash, by the relay, in a live change. */
  const char *headers[] = { _("LINK"), _("ENDPOINT"), _("SENT"), _("RECEIVED"), _("DROPPED"), _("UNREAD"),
                            _("IN FLIGHT"), _("LOST") };
  const int widths[] = { -40, -26, 9, 9, 9, 7, 9, 7 };
  guint n_columns = G_N_ELEMENTS (headers) - (any_lost (s) ? 0 : 1);

  g_string_append_c (out, '\n');
  for (guint c = 0; c < n_columns; c++)
    append_cell (out, headers[c], widths[c]);
  g_string_append_printf (out, " %s\n", _("NOTES"));
  for (guint i = 0; i < s->n_links && i < links->len; i++)
    {
      ZsLink *link = g_ptr_array_index (links, i);
      const ZsLinkStats *l = &s->links[i];
      g_autofree char *name = zs_topology_dup_link_name (topology, link);
      g_autoptr(GString) notes = g_string_new (NULL);
      const guint64 counts[] = { l->sent, l->received, l->dropped, l->unread, l->in_flight, l->lost };

      if (l->missed > 0)
        g_string_append_printf (notes, _("%" PRIu64 " missed before joining; "), l->missed);
      if (l->sent_estimated)
        g_string_append (notes, _("sent per link is an estimate (round-robin); "));
      if (l->dropped_estimated)
        g_string_append (notes, _("drops not final until the run ends; "));
      if (l->to_outside)
        g_string_append (notes, _("received: handed to an outside program, which counts nothing for us; "));
      if (l->discarded > 0)
        g_string_append_printf (notes, _("%" PRIu64 " discarded at stop (still queued, not dropped at the HWM); "),
                                l->discarded);
      if (l->lost_in_change > 0)
        g_string_append_printf (notes, l->lost_estimated
                                       ? _("at most %" PRIu64 " lost in a live change (some may have arrived late, "
                                           "counted from outside); ")
                                       : _("%" PRIu64 " lost in a live change (queued in a pipe it tore down); "),
                                l->lost_in_change);
      if (l->lost > l->lost_in_change && l->relayed)
        g_string_append_printf (notes, _("%" PRIu64 " lost (by the relay, or in a crash); "),
                                l->lost - l->lost_in_change);
      else if (l->lost > l->lost_in_change)
        g_string_append_printf (notes, _("%" PRIu64 " lost in a crash (queued in a killed node); "),
                                l->lost - l->lost_in_change);
      if (l->relayed)
        g_string_append_printf (notes, _("through the relay: delay %u ms, loss %g %% at the end; "), l->delay_ms,
                                l->loss_percent);
      if (l->cuts > 0)
        g_string_append_printf (notes, l->cut ? _("cut %" PRIu64 "×, still cut at the end; ") : _("cut %" PRIu64 "×; "),
                                l->cuts);
      if (l->changes > 0)
        /* Translators: a link changed during the run: "changed live 2× (now flipped, over tcp)". */
        g_string_append_printf (notes, l->flipped ? _("changed live %" PRIu64 "× (now flipped, over %s); ")
                                                  : _("changed live %" PRIu64 "× (now over %s); "),
                                l->changes, zs_transport_to_string ((ZsTransport) l->transport));
      append_cell (out, name, widths[0]);
      append_cell (out, link->connect_endpoint, widths[1]);
      for (guint c = 0; c + 2 < n_columns; c++)
        append_count (out, counts[c], widths[c + 2]);
      g_string_append_printf (out, " %s\n", notes->str);
    }
}

static gboolean
has_outside_rows (const ZsSnapshot *s)
{
  for (guint i = 0; i < s->n_sockets; i++)
    if (s->sockets[i].outside || s->sockets[i].received > 0 || s->sockets[i].untraced)
      return TRUE;
  return FALSE;
}

static char *
socket_name (ZsTopology           *topology,
             const ZsOutsideStats *o)
{
  ZsNode *node = zs_topology_get_node (topology, o->node);

  return g_strdup_printf ("%s.%s", zs_node_get_name (node),
                          zs_socket_spec_get_name (zs_node_get_socket (node, o->socket)));
}

static gboolean
socket_has_link (ZsTopology           *topology,
                 const ZsOutsideStats *o)
{
  GPtrArray *links = zs_topology_get_links (topology);

  for (guint i = 0; i < links->len; i++)
    {
      ZsLink *link = g_ptr_array_index (links, i);

      if ((link->connect_node == o->node && link->connect_socket == o->socket)
          || (link->bind_node == o->node && link->bind_socket == o->socket))
        return TRUE;
    }
  return FALSE;
}

/* Traffic no link carries: to and from programs outside the topology. */
static void
append_outside (GString          *out,
                ZsTopology       *topology,
                const ZsSnapshot *s)
{
  const char *headers[] = { _("OUTSIDE"), _("PEERS"), _("SENT"), _("RECEIVED") };
  const int widths[] = { -40, 6, 9, 9 };

  g_string_append_c (out, '\n');
  for (guint c = 0; c < G_N_ELEMENTS (headers); c++)
    append_cell (out, headers[c], widths[c]);
  g_string_append_printf (out, " %s\n", _("NOTES"));
  for (guint i = 0; i < s->n_sockets; i++)
    {
      const ZsOutsideStats *o = &s->sockets[i];
      g_autofree char *name = NULL;

      if (!o->outside && o->received == 0 && !o->untraced)
        continue;
      name = socket_name (topology, o);
      append_cell (out, name, widths[0]);
      append_count (out, o->peers, widths[1]);
      append_count (out, o->sent, widths[2]);
      append_count (out, o->received, widths[3]);
      g_string_append_c (out, ' ');
      if (o->untraced)
        g_string_append (out, _("untraced: sends exact payloads; "));
      if (o->outside && socket_has_link (topology, o))
        g_string_append (out, _("its links' figures are estimates; "));
      if (o->sent_estimated)
        g_string_append (out, _("sent to outside is an estimate; "));
      g_string_append_c (out, '\n');
    }
  if (s->outside_discarded)
    g_string_append (out, _("At stop, messages still queued for outside peers after waiting 2 s were discarded: "
                            "an outside program was not reading\n"));
}

char *
zs_report_to_text (ZsTopology       *topology,
                   const ZsSnapshot *snapshot)
{
  g_autofree char *shown_title = NULL;
  GString *out;
  const char *title;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);
  g_return_val_if_fail (snapshot != NULL, NULL);

  out = g_string_new (NULL);
  title = zs_topology_get_title (topology);
  shown_title = zs_report_escape (title && *title ? title : _("Untitled topology"));
  g_string_append_printf (out, _("%s — ran %.2f s%s\n\n"), shown_title, elapsed_s (snapshot),
                          snapshot->finished ? _(", every node reached its end") : "");
  if (snapshot->stop_reason != NULL)
    g_string_append_printf (out, "%s\n\n", snapshot->stop_reason);
  append_nodes (out, topology, snapshot);
  if (snapshot->n_links > 0)
    append_links (out, topology, snapshot);
  if (has_outside_rows (snapshot))
    append_outside (out, topology, snapshot);
  return g_string_free (out, FALSE);
}

static void
add_uint (JsonBuilder *b,
          const char  *name,
          guint64      value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) value);
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_double (JsonBuilder *b,
            const char  *name,
            double       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_double_value (b, value);
}

static void
add_bool (JsonBuilder *b,
          const char  *name,
          gboolean     value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_boolean_value (b, value);
}

static void
build_node (JsonBuilder       *b,
            ZsNode            *node,
            const ZsNodeStats *n)
{
  json_builder_begin_object (b);
  add_string (b, "name", zs_node_get_name (node));
  add_string (b, "role", zs_role_to_string (zs_node_get_role (node)));
  /* Untranslated state names: scripts read them. */
  add_string (b, "state", (const char *[]) { "idle", "starting", "waiting", "running", "blocked", "paused",
                                              "done", "error", "stopped" }[n->state]);
  add_string (b, "error", n->error);
  add_string (b, "result", n->result);
  add_uint (b, "sent", n->sent);
  add_uint (b, "sent_bytes", n->sent_bytes);
  add_uint (b, "received", n->received);
  add_uint (b, "received_bytes", n->received_bytes);
  add_uint (b, "foreign", n->foreign);
  add_uint (b, "unroutable", n->unroutable);
  add_uint (b, "blocked_us", n->blocked_us);
  add_uint (b, "progress", n->done_goal);
  /* Untranslated fault names: scripts read them. */
  add_string (b, "fault", (const char *[]) { "none", "killed", "paused", "slowed" }[n->fault]);
  add_uint (b, "kills", n->kills);
  add_uint (b, "restarts", n->restarts);
  add_double (b, "slow_factor", n->slow_factor);
  json_builder_set_member_name (b, "elapsed_ms");
  json_builder_add_int_value (b, n->done_at_us && n->started_at_us ? (n->done_at_us - n->started_at_us) / 1000 : -1);
  json_builder_end_object (b);
}

/* Sampled delivery times (zs-latency.h): each percentile within 13 %. */
static void
build_latency (JsonBuilder          *b,
               const ZsLatencyStats *latency)
{
  json_builder_set_member_name (b, "latency");
  json_builder_begin_object (b);
  add_uint (b, "samples", latency->samples);
  add_double (b, "p50_us", latency->p50_us);
  add_double (b, "p99_us", latency->p99_us);
  add_bool (b, "sampled", TRUE);
  json_builder_end_object (b);
}

/* One direction of a link: 0 from the connecting node to the binding one,
 * 1 back; each exact on its own (sent = received + dropped + unread +
 * lost + in_flight). */
static void
build_flow (JsonBuilder      *b,
            ZsTopology       *topology,
            ZsLink           *link,
            guint             dir,
            const ZsLinkFlow *f,
            gint64            run_started_us)
{
  guint from = dir == 0 ? link->connect_node : link->bind_node;
  guint to = dir == 0 ? link->bind_node : link->connect_node;

  json_builder_begin_object (b);
  add_string (b, "direction", dir == 0 ? "connect-to-bind" : "bind-to-connect");
  add_string (b, "from", zs_node_get_name (zs_topology_get_node (topology, from)));
  add_string (b, "to", zs_node_get_name (zs_topology_get_node (topology, to)));
  add_uint (b, "sent", f->sent);
  add_uint (b, "received", f->received);
  add_uint (b, "dropped", f->dropped);
  add_uint (b, "unread", f->unread);
  add_uint (b, "lost", f->lost);
  add_uint (b, "in_flight", f->in_flight);
  add_uint (b, "sent_bytes", f->sent_bytes);
  add_uint (b, "received_bytes", f->received_bytes);
  json_builder_set_member_name (b, "first_received_ms");
  json_builder_add_double_value (b, f->first_received_us > 0 && run_started_us > 0
                                      ? (f->first_received_us - run_started_us) / 1000.0 : -1);
  build_latency (b, &f->latency);
  json_builder_end_object (b);
}

static void
build_link (JsonBuilder       *b,
            ZsTopology        *topology,
            ZsLink            *link,
            const ZsLinkStats *l,
            gint64             run_started_us)
{
  g_autofree char *name = zs_topology_dup_link_name (topology, link);

  json_builder_begin_object (b);
  add_string (b, "name", name);
  add_string (b, "connect_node", zs_node_get_name (zs_topology_get_node (topology, link->connect_node)));
  add_string (b, "bind_node", zs_node_get_name (zs_topology_get_node (topology, link->bind_node)));
  add_string (b, "endpoint", link->connect_endpoint);
  add_string (b, "transport", zs_transport_to_string (link->transport));
  add_uint (b, "sent", l->sent);
  add_uint (b, "received", l->received);
  add_uint (b, "dropped", l->dropped);
  add_uint (b, "missed", l->missed);
  add_uint (b, "unread", l->unread);
  add_uint (b, "lost", l->lost);
  add_uint (b, "lost_in_change", l->lost_in_change);
  add_bool (b, "lost_estimated", l->lost_estimated);
  add_uint (b, "in_flight", l->in_flight);
  add_uint (b, "discarded_at_stop", l->discarded);
  add_bool (b, "to_outside", l->to_outside);
  add_uint (b, "multipart", l->multipart);
  add_uint (b, "capacity", l->capacity);
  add_uint (b, "connects", l->connects);
  add_uint (b, "disconnects", l->disconnects);
  add_uint (b, "retries", l->retries);
  add_uint (b, "handshakes_failed", l->handshakes_failed);
  add_bool (b, "cut", l->cut);
  add_uint (b, "cuts", l->cuts);
  add_bool (b, "relayed", l->relayed);
  add_uint (b, "delay_ms", l->delay_ms);
  add_double (b, "loss_percent", l->loss_percent);
  /* Live changes. */
  if (l->changes > 0)
    {
      add_uint (b, "changes", l->changes);
      add_bool (b, "flipped", l->flipped);
      add_string (b, "transport", zs_transport_to_string ((ZsTransport) l->transport));
    }
  add_bool (b, "sent_estimated", l->sent_estimated);
  add_bool (b, "dropped_estimated", l->dropped_estimated);
  add_bool (b, "capacity_estimated", l->capacity_estimated);
  json_builder_set_member_name (b, "flows");
  json_builder_begin_array (b);
  for (guint d = 0; d < 2; d++)
    if (l->flow[d].present)
      build_flow (b, topology, link, d, &l->flow[d], run_started_us);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
build_outside (JsonBuilder          *b,
               ZsTopology           *topology,
               const ZsOutsideStats *o)
{
  g_autofree char *name = socket_name (topology, o);

  json_builder_begin_object (b);
  add_string (b, "socket", name);
  add_bool (b, "untraced", o->untraced);
  add_bool (b, "outside_peer", o->outside);
  add_uint (b, "peers", o->peers);
  add_uint (b, "sent", o->sent);
  add_uint (b, "received", o->received);
  add_bool (b, "sent_estimated", o->sent_estimated);
  json_builder_end_object (b);
}

static void
build_report (JsonBuilder      *b,
              ZsTopology       *topology,
              const ZsSnapshot *snapshot)
{
  GPtrArray *links = zs_topology_get_links (topology);

  json_builder_begin_object (b);
  add_string (b, "title", zs_topology_get_title (topology));
  json_builder_set_member_name (b, "seconds");
  json_builder_add_double_value (b, elapsed_s (snapshot));
  add_bool (b, "finished", snapshot->finished);
  add_string (b, "stop_reason", snapshot->stop_reason);
  build_latency (b, &snapshot->latency);
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < snapshot->n_nodes; i++)
    build_node (b, zs_topology_get_node (topology, i), &snapshot->nodes[i]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "links");
  json_builder_begin_array (b);
  for (guint i = 0; i < snapshot->n_links && i < links->len; i++)
    build_link (b, topology, g_ptr_array_index (links, i), &snapshot->links[i], snapshot->run_started_us);
  json_builder_end_array (b);
  add_bool (b, "outside_discarded_at_stop", snapshot->outside_discarded);
  json_builder_set_member_name (b, "outside");
  json_builder_begin_array (b);
  for (guint i = 0; i < snapshot->n_sockets; i++)
    build_outside (b, topology, &snapshot->sockets[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static char *
builder_to_data (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

char *
zs_report_to_json (ZsTopology       *topology,
                   const ZsSnapshot *snapshot)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);
  g_return_val_if_fail (snapshot != NULL, NULL);

  build_report (b, topology, snapshot);
  return builder_to_data (b);
}

/* ---- comparisons ---------------------------------------------------------------- */

static void
build_variant (JsonBuilder           *b,
               const ZsComparisonRow *row)
{
  json_builder_begin_object (b);
  add_string (b, "name", row->name);
  add_bool (b, "ran", row->snapshot != NULL);
  add_string (b, "error", row->error);
  if (row->snapshot != NULL)
    {
      add_double (b, "seconds", row->seconds);
      add_double (b, "rate", zs_comparison_row_rate (row));
      add_uint (b, "dropped", zs_comparison_row_dropped (row));
      add_uint (b, "missed", zs_comparison_row_missed (row));
      add_uint (b, "peak_rss_bytes", row->peak_rss);
      add_double (b, "first_message_ms", zs_comparison_row_first_message_ms (row));
      build_latency (b, &row->snapshot->latency);
      json_builder_set_member_name (b, "link_rates");
      json_builder_begin_array (b);
      for (guint l = 0; l < row->snapshot->n_links; l++)
        json_builder_add_double_value (b, zs_comparison_row_link_rate (row, l));
      json_builder_end_array (b);
      json_builder_set_member_name (b, "report");
      build_report (b, row->topology, row->snapshot);
    }
  json_builder_end_object (b);
}

char *
zs_report_comparison_to_json (ZsComparison *comparison)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (ZS_IS_COMPARISON (comparison), NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "variants");
  json_builder_begin_array (b);
  for (guint r = 0; r < zs_comparison_get_n_rows (comparison); r++)
    build_variant (b, zs_comparison_get_row (comparison, r));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return builder_to_data (b);
}

static void
append_rate (GString *out,
             double   rate,
             int      width)
{
  char text[32];

  g_snprintf (text, sizeof text, "%.1f", rate);
  append_cell (out, text, width);
}

/* Milliseconds, or "—" for none (negative). */
static void
append_ms (GString *out,
           double   ms,
           int      width)
{
  char text[32];

  if (ms < 0)
    g_strlcpy (text, "—", sizeof text);
  else
    g_snprintf (text, sizeof text, ms < 10 ? "%.3f" : "%.1f", ms);
  append_cell (out, text, width);
}

static void
append_variant_row (GString               *out,
                    const ZsComparisonRow *row,
                    int                    name_width)
{
  char text[32];

  append_cell (out, row->name, -name_width);
  if (row->snapshot == NULL)
    {
      g_string_append_printf (out, _("did not run: %s"), row->error);
      g_string_append_c (out, '\n');
      return;
    }
  g_snprintf (text, sizeof text, "%.2f", row->seconds);
  append_cell (out, text, 7);
  append_rate (out, zs_comparison_row_rate (row), 12);
  append_count (out, zs_comparison_row_dropped (row), 9);
  append_count (out, zs_comparison_row_missed (row), 8);
  if (row->peak_rss > 0)
    g_snprintf (text, sizeof text, "%.1f MiB", row->peak_rss / (1024.0 * 1024));
  else
    g_strlcpy (text, "?", sizeof text);
  append_cell (out, text, 11);
  append_ms (out, zs_comparison_row_first_message_ms (row), 10);
  append_ms (out, row->snapshot->latency.samples > 0 ? row->snapshot->latency.p50_us / 1000 : -1, 9);
  append_ms (out, row->snapshot->latency.samples > 0 ? row->snapshot->latency.p99_us / 1000 : -1, 9);
  if (row->error != NULL)
    g_string_append (out, row->error);
  g_string_append_c (out, '\n');
}

/* Each variant's rate on each of its links: links differ between
 * variants (workers=N), so each variant lists its own. */
static void
append_variant_links (GString               *out,
                      const ZsComparisonRow *row)
{
  GPtrArray *links = zs_topology_get_links (row->topology);

  g_string_append_printf (out, "\n%s\n", row->name);
  for (guint l = 0; l < row->snapshot->n_links && l < links->len; l++)
    {
      g_autofree char *name = zs_topology_dup_link_name (row->topology, g_ptr_array_index (links, l));

      g_string_append (out, "  ");
      append_cell (out, name, -40);
      append_rate (out, zs_comparison_row_link_rate (row, l), 12);
      append_count (out, row->snapshot->links[l].dropped, 9);
      g_string_append_c (out, '\n');
    }
}

char *
zs_report_comparison_to_text (ZsComparison *comparison)
{
  GString *out = g_string_new (NULL);
  guint n_rows;
  int name_width = display_width (_("variant"));

  g_return_val_if_fail (ZS_IS_COMPARISON (comparison), NULL);

  n_rows = zs_comparison_get_n_rows (comparison);
  for (guint r = 0; r < n_rows; r++)
    name_width = MAX (name_width, display_width (zs_comparison_get_row (comparison, r)->name));

  append_cell (out, _("variant"), -name_width);
  append_cell (out, _("ran s"), 7);
  append_cell (out, _("msg/s"), 12);
  append_cell (out, _("dropped"), 9);
  append_cell (out, _("missed"), 8);
  append_cell (out, _("peak memory"), 11);
  append_cell (out, _("first ms"), 10);
  append_cell (out, _("p50 ms"), 9);
  append_cell (out, _("p99 ms"), 9);
  g_string_append_c (out, '\n');
  for (guint r = 0; r < n_rows; r++)
    append_variant_row (out, zs_comparison_get_row (comparison, r), name_width);

  g_string_append_printf (out, "\n%s\n", _("msg/s received and dropped per link:"));
  for (guint r = 0; r < n_rows; r++)
    if (zs_comparison_get_row (comparison, r)->snapshot != NULL)
      append_variant_links (out, zs_comparison_get_row (comparison, r));
  g_string_append_printf (out, "\n%s\n",
                          _("msg/s: messages received per second of the run; missed: dropped before a "
                            "late subscriber joined; peak memory: the whole process's peak resident "
                            "memory during the variant's run; first ms: from the run's start to the "
                            "first message delivered; p50, p99: delivery times of sampled messages "
                            "(the first 16 of each sequence and every 16th after), each within 13 %."));
  return g_string_free (out, FALSE);
}
