/* zs-wire-state.c: what the wire decoded of one connection, as plain data
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "zs-wire-state.h"

static void
dir_state_init (ZsWireDirState *d)
{
  d->topics = g_ptr_array_new_with_free_func (g_free);
  d->findings = g_ptr_array_new_with_free_func (g_free);
}

static void
dir_state_clear (ZsWireDirState *d)
{
  g_free (d->mechanism);
  g_free (d->socket_type);
  g_free (d->identity);
  g_free (d->user);
  g_clear_pointer (&d->topics, g_ptr_array_unref);
  g_clear_pointer (&d->findings, g_ptr_array_unref);
}

ZsWireConnState *
zs_wire_conn_state_new (void)
{
  ZsWireConnState *self = g_new0 (ZsWireConnState, 1);

  for (guint d = 0; d < 2; d++)
    dir_state_init (&self->dir[d]);
  return self;
}

void
zs_wire_conn_state_free (ZsWireConnState *self)
{
  if (self == NULL)
    return;
  for (guint d = 0; d < 2; d++)
    {
      dir_state_clear (&self->dir[d]);
      g_free (self->process[d].command);
      g_free (self->host[d]);
    }
  g_free (self);
}

static void
dir_state_from_decoder (ZsWireDirState          *d,
                        const ZsWireConnection  *c,
                        guint                    index)
{
  ZsZmtpDecoder *z = c->dir[index].zmtp;
  GPtrArray *topics = zs_zmtp_decoder_get_topics (z);
  GPtrArray *findings = zs_zmtp_decoder_get_findings (z);

  d->counts = *zs_zmtp_decoder_get_counts (z);
  d->in_flight = zs_wire_connection_in_flight (c, index);
  d->seen_bytes = c->dir[index].stream.delivered + c->dir[index].stream.gap_bytes;
  zs_zmtp_decoder_get_version (z, &d->major, &d->minor);
  d->zmtp = zs_zmtp_decoder_is_zmtp (z);
  d->encrypted = zs_zmtp_decoder_is_encrypted (z);
  d->mechanism = g_strdup (zs_zmtp_decoder_get_mechanism (z));
  d->socket_type = g_strdup (zs_zmtp_decoder_get_socket_type (z));
  d->identity = g_strdup (zs_zmtp_decoder_get_identity (z));
  d->user = g_strdup (zs_zmtp_decoder_get_user (z));
  for (guint i = 0; i < topics->len; i++)
    g_ptr_array_add (d->topics, g_strdup (((ZsZmtpTopic *) g_ptr_array_index (topics, i))->topic));
  for (guint i = 0; i < findings->len; i++)
    g_ptr_array_add (d->findings, g_strdup (((ZsZmtpFinding *) g_ptr_array_index (findings, i))->text));
}

ZsWireConnState *
zs_wire_conn_state_from_connection (const ZsWireConnection *c)
{
  ZsWireConnState *self = zs_wire_conn_state_new ();

  g_return_val_if_fail (c != NULL, self);

  self->id = c->id;
  self->client = c->client;
  self->server = c->server;
  self->saw_syn = c->saw_syn;
  self->isn = c->isn;
  self->closed = c->closed;
  self->reset = c->reset;
  self->first_us = c->first_us;
  self->last_us = c->last_us;
  self->closed_us = c->closed_us;
  for (guint d = 0; d < 2; d++)
    {
      self->process[d].pid = c->process[d].pid;
      self->process[d].command = g_strdup (c->process[d].command);
      self->host[d] = g_strdup ("");
      dir_state_from_decoder (&self->dir[d], c, d);
    }
  return self;
}

GPtrArray *
zs_wire_get_states (ZsWire *wire)
{
  GPtrArray *connections = zs_wire_get_connections (wire);
  GPtrArray *states = g_ptr_array_new_full (connections->len, (GDestroyNotify) zs_wire_conn_state_free);

  for (guint i = 0; i < connections->len; i++)
    g_ptr_array_add (states, zs_wire_conn_state_from_connection (g_ptr_array_index (connections, i)));
  return states;
}

/* Merging ------------------------------------------------------------------------ */

static GPtrArray *
strings_copy (GPtrArray *from)
{
  GPtrArray *to = g_ptr_array_new_full (from->len, g_free);

  for (guint i = 0; i < from->len; i++)
    g_ptr_array_add (to, g_strdup (g_ptr_array_index (from, i)));
  return to;
}

static void
dir_state_copy (ZsWireDirState       *to,
                const ZsWireDirState *from)
{
  dir_state_clear (to);
  *to = *from;
  to->mechanism = g_strdup (from->mechanism);
  to->socket_type = g_strdup (from->socket_type);
  to->identity = g_strdup (from->identity);
  to->user = g_strdup (from->user);
  to->topics = strings_copy (from->topics);
  to->findings = strings_copy (from->findings);
}

static void
process_copy (ZsWireConnState       *to,
              const ZsWireConnState *from,
              guint                  d)
{
  g_free (to->process[d].command);
  g_free (to->host[d]);
  to->process[d].pid = from->process[d].pid;
  to->process[d].command = g_strdup (from->process[d].command);
  to->host[d] = g_strdup (from->host[d]);
}

static ZsWireConnState *
conn_state_copy (const ZsWireConnState *from)
{
  ZsWireConnState *to = zs_wire_conn_state_new ();

  memcpy (to, from, G_STRUCT_OFFSET (ZsWireConnState, process));
  for (guint d = 0; d < 2; d++)
    {
      process_copy (to, from, d);
      dir_state_copy (&to->dir[d], &from->dir[d]);
    }
  return to;
}

/* The connection's name on any machine that saw it. */
static char *
state_key (const ZsWireConnState *s)
{
  g_autofree char *client = zs_wire_address_to_string (&s->client);
  g_autofree char *server = zs_wire_address_to_string (&s->server);

  if (s->saw_syn)
    return g_strdup_printf ("%s>%s#%" G_GUINT32_FORMAT, client, server, s->isn);
  return g_strdup_printf ("%s>%s#mid", client, server);
}

GHashTable *
zs_wire_state_index_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* Both saw the same bytes; each direction from the one that saw more of it
 * (a capture started later, or dropped packets). */
static void
merge_into (ZsWireConnState       *to,
            const ZsWireConnState *from)
{
  for (guint d = 0; d < 2; d++)
    {
      if (to->process[d].pid == 0 && from->process[d].pid != 0)
        process_copy (to, from, d);
      if (from->dir[d].seen_bytes > to->dir[d].seen_bytes
          || (from->dir[d].socket_type != NULL && to->dir[d].socket_type == NULL))
        dir_state_copy (&to->dir[d], &from->dir[d]);
    }
  to->closed |= from->closed;
  to->reset |= from->reset;
  to->first_us = MIN (to->first_us, from->first_us);
  to->last_us = MAX (to->last_us, from->last_us);
  to->closed_us = MAX (to->closed_us, from->closed_us);
}

void
zs_wire_state_merge (GPtrArray             *merged,
                     GHashTable            *index,
                     const ZsWireConnState *state)
{
  g_autofree char *key = NULL;
  ZsWireConnState *there;

  g_return_if_fail (merged != NULL && index != NULL && state != NULL);

  key = state_key (state);
  there = g_hash_table_lookup (index, key);
  if (there != NULL)
    {
      merge_into (there, state);
      return;
    }
  there = conn_state_copy (state);
  g_ptr_array_add (merged, there);
  g_hash_table_insert (index, g_steal_pointer (&key), there);
}
