/* zs-wire-report.c: what `zmqscope capture` prints, as text or JSON
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "zs-wire-topology.h"

static const char *
event_name (ZsWireEventKind kind)
{
  switch (kind)
    {
    case ZS_WIRE_EVENT_CONNECTED:
      return "connected";
    case ZS_WIRE_EVENT_RECONNECTED:
      return "reconnected";
    case ZS_WIRE_EVENT_DISCONNECTED:
      return "disconnected";
    default:
      g_return_val_if_reached ("");
    }
}

static const char *const *
cannot_tell (void)
{
  static const char *texts[4];

  texts[0] = _("queue depths inside each program (its HWM pipes) are not on the wire");
  texts[1] = _("messages a PUB or ROUTER dropped at its HWM never reach the wire: not counted");
  texts[2] = _("a message on the wire reached the peer's kernel; whether the program read it is not seen");
  texts[3] = NULL;
  return texts;
}

static char *
socket_label (ZsWireTopology *self,
              guint           node,
              guint           socket)
{
  ZsNode *n = zs_topology_get_node (self->topology, node);

  return g_strdup_printf ("%s.%s", zs_node_get_name (n), zs_socket_spec_get_name (zs_node_get_socket (n, socket)));
}

static const char *
socket_type_of (ZsWireTopology *self,
                guint           node,
                guint           socket)
{
  const ZsWireNode *info = g_ptr_array_index (self->nodes, node);

  return g_ptr_array_index (info->socket_types, socket);
}

/* Text ------------------------------------------------------------------------ */

static void
text_flow (GString          *out,
           const char       *arrow,
           const ZsWireFlow *f)
{
  g_string_append_printf (out, _("    %s %" PRIu64 " msg, %" PRIu64 " B, %" PRIu64
                                 " multipart, %" PRIu64 " with envelope"),
                          arrow, f->messages, f->bytes, f->multipart, f->enveloped);
  if (f->subscribes + f->cancels > 0)
    g_string_append_printf (out, _(", %" PRIu64 " subscribe, %" PRIu64 " cancel"),
                            f->subscribes, f->cancels);
  if (f->pings + f->pongs > 0)
    g_string_append_printf (out, ", %" PRIu64 " PING, %" PRIu64 " PONG", f->pings, f->pongs);
  if (f->encrypted_frames > 0)
    g_string_append_printf (out, _(", %" PRIu64 " encrypted frames (%" PRIu64 " B)"),
                            f->encrypted_frames, f->encrypted_bytes);
  if (f->in_flight_bytes > 0)
    g_string_append_printf (out, _(", %" PRIu64 " B in flight"), f->in_flight_bytes);
  g_string_append_c (out, '\n');
}

static void
text_nodes (ZsWireTopology *self,
            GString        *out)
{
  g_string_append (out, _("NODES\n"));
  for (guint i = 0; i < zs_topology_get_n_nodes (self->topology); i++)
    {
      ZsNode *n = zs_topology_get_node (self->topology, i);
      const ZsWireNode *info = g_ptr_array_index (self->nodes, i);

      if (info->pid != 0)
        g_string_append_printf (out, _("  %s  pid %u  %s\n"), zs_node_get_name (n), info->pid,
                                info->command != NULL ? info->command : "");
      else
        g_string_append_printf (out, _("  %s  (no process known: %s)\n"), zs_node_get_name (n), info->address);
      for (guint s = 0; s < zs_node_get_n_sockets (n); s++)
        {
          ZsSocketSpec *spec = zs_node_get_socket (n, s);
          const char *type = socket_type_of (self, i, s);
          const char * const *binds = zs_socket_spec_get_binds (spec);
          gboolean bound = binds[0] != NULL;

          g_string_append_printf (out, "    %-16s %-8s %s %s\n", zs_socket_spec_get_name (spec),
                                  type != NULL ? type : "?", bound ? _("binds") : _("connects"),
                                  bound ? binds[0] : zs_socket_spec_get_connects (spec)[0]);
        }
    }
}

static void
text_links (ZsWireTopology *self,
            GString        *out)
{
  GPtrArray *links = zs_topology_get_links (self->topology);

  g_string_append (out, _("LINKS\n"));
  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *link = g_ptr_array_index (links, i);
      const ZsWireLink *w = g_ptr_array_index (self->links, i);
      g_autofree char *from = socket_label (self, link->connect_node, link->connect_socket);
      g_autofree char *to = socket_label (self, link->bind_node, link->bind_socket);

      g_string_append_printf (out, "  %s -> %s  %s  ZMTP %s %s%s%s\n", from, to, link->bind_endpoint,
                              w->version != NULL ? w->version : "?", w->mechanism != NULL ? w->mechanism : "?",
                              w->user != NULL ? _(" user ") : "", w->user != NULL ? w->user : "");
      text_flow (out, "->", &w->flow[0]);
      text_flow (out, "<-", &w->flow[1]);
      g_string_append_printf (out, _("    connections %u (reconnects %u), open %u\n"), w->connections,
                              w->connections > 0 ? w->connections - 1 : 0, w->open);
      if (w->connect_identity != NULL || w->bind_identity != NULL)
        g_string_append_printf (out, _("    routing ids: connecting “%s”, binding “%s”\n"),
                                w->connect_identity != NULL ? w->connect_identity : "",
                                w->bind_identity != NULL ? w->bind_identity : "");
      if (w->subscriptions->len > 0)
        {
          g_string_append (out, _("    subscriptions:"));
          for (guint s = 0; s < w->subscriptions->len; s++)
            g_string_append_printf (out, " “%s”", (char *) g_ptr_array_index (w->subscriptions, s));
          g_string_append_c (out, '\n');
        }
      for (guint f = 0; f < w->findings->len; f++)
        g_string_append_printf (out, _("    finding: %s\n"), (char *) g_ptr_array_index (w->findings, f));
    }
}

char *
zs_wire_topology_to_text (ZsWireTopology *self)
{
  GString *out = g_string_new (NULL);
  const char *const *unknown = cannot_tell ();

  g_return_val_if_fail (self != NULL, NULL);

  g_string_append_printf (out, _("Seen on the wire: %u node(s), %u link(s), %" PRIu64 " packet(s)\n"),
                          zs_topology_get_n_nodes (self->topology), zs_topology_get_links (self->topology)->len,
                          self->packets);
  if (self->live)
    g_string_append_printf (out, _("Packets dropped by the kernel before zmqscope read them: %" PRIu64 "\n"),
                            self->kernel_dropped);
  if (self->overflow > 0)
    g_string_append_printf (out, _("Connections not followed (more than %u open or %u in all): %" PRIu64 "\n"),
                            ZS_WIRE_MAX_CONNECTIONS, ZS_WIRE_MAX_KEPT, self->overflow);
  text_nodes (self, out);
  text_links (self, out);
  g_string_append (out, _("NOT SEEN ON THE WIRE\n"));
  for (guint i = 0; unknown[i] != NULL; i++)
    g_string_append_printf (out, "  %s\n", unknown[i]);
  return g_string_free (out, FALSE);
}

/* JSON ------------------------------------------------------------------------ */

static void
json_member_string (JsonBuilder *b,
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
json_member_int (JsonBuilder *b,
                 const char  *name,
                 gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

static void
json_strings (JsonBuilder *b,
              const char  *name,
              GPtrArray   *strings)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (strings, i));
  json_builder_end_array (b);
}

static void
json_flow (JsonBuilder      *b,
           const char       *name,
           const ZsWireFlow *f)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  json_member_int (b, "messages", (gint64) f->messages);
  json_member_int (b, "bytes", (gint64) f->bytes);
  json_member_int (b, "frames", (gint64) f->frames);
  json_member_int (b, "multipart", (gint64) f->multipart);
  json_member_int (b, "enveloped", (gint64) f->enveloped);
  json_member_int (b, "commands", (gint64) f->commands);
  json_member_int (b, "subscribes", (gint64) f->subscribes);
  json_member_int (b, "cancels", (gint64) f->cancels);
  json_member_int (b, "pings", (gint64) f->pings);
  json_member_int (b, "pongs", (gint64) f->pongs);
  json_member_int (b, "errors", (gint64) f->errors);
  json_member_int (b, "encrypted_frames", (gint64) f->encrypted_frames);
  json_member_int (b, "encrypted_bytes", (gint64) f->encrypted_bytes);
  json_member_int (b, "in_flight_bytes", (gint64) f->in_flight_bytes);
  json_builder_end_object (b);
}

static void
json_nodes (ZsWireTopology *self,
            JsonBuilder    *b)
{
  json_builder_set_member_name (b, "nodes");
  json_builder_begin_array (b);
  for (guint i = 0; i < zs_topology_get_n_nodes (self->topology); i++)
    {
      ZsNode *n = zs_topology_get_node (self->topology, i);
      const ZsWireNode *info = g_ptr_array_index (self->nodes, i);

      json_builder_begin_object (b);
      json_member_string (b, "name", zs_node_get_name (n));
      json_member_int (b, "pid", info->pid);
      json_member_string (b, "command", info->command);
      json_member_string (b, "address", info->address);
      json_builder_set_member_name (b, "sockets");
      json_builder_begin_array (b);
      for (guint s = 0; s < zs_node_get_n_sockets (n); s++)
        {
          ZsSocketSpec *spec = zs_node_get_socket (n, s);
          const char * const *binds = zs_socket_spec_get_binds (spec);

          json_builder_begin_object (b);
          json_member_string (b, "name", zs_socket_spec_get_name (spec));
          json_member_string (b, "type", socket_type_of (self, i, s));
          json_member_string (b, binds[0] != NULL ? "binds" : "connects",
                              binds[0] != NULL ? binds[0] : zs_socket_spec_get_connects (spec)[0]);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
}

static void
json_link (ZsWireTopology *self,
           JsonBuilder    *b,
           const ZsLink   *link,
           const ZsWireLink *w)
{
  g_autofree char *from = socket_label (self, link->connect_node, link->connect_socket);
  g_autofree char *to = socket_label (self, link->bind_node, link->bind_socket);

  json_builder_begin_object (b);
  json_member_string (b, "connect", from);
  json_member_string (b, "bind", to);
  json_member_string (b, "endpoint", link->bind_endpoint);
  json_member_string (b, "version", w->version);
  json_member_string (b, "mechanism", w->mechanism);
  json_member_string (b, "user", w->user);
  json_member_string (b, "connect_identity", w->connect_identity);
  json_member_string (b, "bind_identity", w->bind_identity);
  json_builder_set_member_name (b, "encrypted");
  json_builder_add_boolean_value (b, w->encrypted);
  json_builder_set_member_name (b, "joined_mid_stream");
  json_builder_add_boolean_value (b, w->midstream);
  json_builder_set_member_name (b, "types_known");
  json_builder_add_boolean_value (b, w->types_known);
  json_member_int (b, "connections", w->connections);
  json_member_int (b, "reconnects", w->connections > 0 ? w->connections - 1 : 0);
  json_member_int (b, "open", w->open);
  json_flow (b, "to_bind", &w->flow[0]);
  json_flow (b, "to_connect", &w->flow[1]);
  json_strings (b, "subscriptions", w->subscriptions);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint e = 0; e < w->events->len; e++)
    {
      const ZsWireEvent *ev = g_ptr_array_index (w->events, e);

      json_builder_begin_object (b);
      json_member_int (b, "time_us", ev->time_us);
      json_member_string (b, "event", event_name (ev->kind));
      json_member_string (b, "peer", ev->peer);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_strings (b, "findings", w->findings);
  json_builder_end_object (b);
}

char *
zs_wire_topology_to_json (ZsWireTopology *self)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GPtrArray *links;
  const char *const *unknown = cannot_tell ();

  g_return_val_if_fail (self != NULL, NULL);

  links = zs_topology_get_links (self->topology);
  json_builder_begin_object (b);
  json_member_int (b, "packets", (gint64) self->packets);
  json_member_int (b, "skipped_packets", (gint64) self->skipped);
  json_member_int (b, "connections_not_followed", (gint64) self->overflow);
  json_builder_set_member_name (b, "kernel_dropped");
  if (self->live)
    json_builder_add_int_value (b, (gint64) self->kernel_dropped);
  else
    json_builder_add_null_value (b);
  json_nodes (self, b);
  json_builder_set_member_name (b, "links");
  json_builder_begin_array (b);
  for (guint i = 0; i < links->len; i++)
    json_link (self, b, g_ptr_array_index (links, i), g_ptr_array_index (self->links, i));
  json_builder_end_array (b);
  json_strings (b, "findings", self->findings);
  json_builder_set_member_name (b, "not_seen_on_the_wire");
  json_builder_begin_array (b);
  for (guint i = 0; unknown[i] != NULL; i++)
    json_builder_add_string_value (b, unknown[i]);
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}
