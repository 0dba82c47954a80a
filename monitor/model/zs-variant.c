/* zs-variant.c: one choice of a topology changed, for comparing variants
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-edit.h"
#include "zs-topology-ports.h"
#include "zs-variant.h"

#define MAX_HWM 10000000
#define MAX_WORKERS 64
/* Where a worker's copy lands below the one before (canvas units). */
#define WORKER_SPACING 96.0

G_DEFINE_QUARK (zs-variant-error-quark, zs_variant_error)

typedef enum {
  KEY_TRANSPORT,
  KEY_BIND,
  KEY_HWM,
  KEY_SNDHWM,
  KEY_RCVHWM,
  KEY_WORKERS,
} Key;

static const char *const key_names[] = { "transport", "bind", "hwm", "sndhwm", "rcvhwm", "workers" };
static const char *const transports[] = { "inproc", "ipc", "tcp", NULL };
static const char *const bind_sides[] = { "as-is", "flipped", NULL };

struct _ZsVariantAxis
{
  Key    key;
  char  *name;    /* as the user wrote KEY[@NODE] */
  char  *node;    /* NULL: the whole topology */
  GStrv  values;
};

void
zs_variant_axis_free (ZsVariantAxis *axis)
{
  if (axis == NULL)
    return;
  g_free (axis->name);
  g_free (axis->node);
  g_strfreev (axis->values);
  g_free (axis);
}

guint
zs_variant_axis_get_n_values (const ZsVariantAxis *axis)
{
  g_return_val_if_fail (axis != NULL, 0);
  return g_strv_length (axis->values);
}

const char *
zs_variant_axis_get_value (const ZsVariantAxis *axis,
                           guint                index)
{
  g_return_val_if_fail (axis != NULL, NULL);
  g_return_val_if_fail (index < g_strv_length (axis->values), NULL);
  return axis->values[index];
}

const char *
zs_variant_axis_get_name (const ZsVariantAxis *axis)
{
  g_return_val_if_fail (axis != NULL, NULL);
  return axis->name;
}

/* ---- parsing ----------------------------------------------------------------- */

static gboolean
parse_key (const char *text,
           Key        *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_names); i++)
    if (g_str_equal (text, key_names[i]))
      {
        *key = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
parse_count (const char *text,
             guint64     min,
             guint64     max,
             guint64    *value)
{
  return g_ascii_string_to_unsigned (text, 10, min, max, value, NULL);
}

static gboolean
check_value (Key          key,
             const char  *value,
             GError     **error)
{
  g_autofree char *choices = NULL;
  guint64 n;

  switch (key)
    {
    case KEY_TRANSPORT:
    case KEY_BIND:
      if (g_strv_contains (key == KEY_TRANSPORT ? transports : bind_sides, value))
        return TRUE;
      choices = g_strjoinv (", ", (GStrv) (key == KEY_TRANSPORT ? transports : bind_sides));
      break;
    case KEY_HWM:
    case KEY_SNDHWM:
    case KEY_RCVHWM:
      if (parse_count (value, 0, MAX_HWM, &n))
        return TRUE;
      choices = g_strdup_printf (_("a number from 0 (unlimited) to %d"), MAX_HWM);
      break;
    case KEY_WORKERS:
      if (parse_count (value, 1, MAX_WORKERS, &n))
        return TRUE;
      choices = g_strdup_printf (_("a number from 1 to %d"), MAX_WORKERS);
      break;
    }
  g_set_error (error, ZS_VARIANT_ERROR, ZS_VARIANT_ERROR_VALUE,
               _("“%s” is not a value of %s: valid values are %s"), value, key_names[key], choices);
  return FALSE;
}

ZsVariantAxis *
zs_variant_axis_parse (const char  *spec,
                       GError     **error)
{
  g_autoptr(ZsVariantAxis) axis = g_new0 (ZsVariantAxis, 1);
  const char *equals;
  g_autofree char *key = NULL;
  char *at;

  g_return_val_if_fail (spec != NULL, NULL);

  equals = strchr (spec, '=');
  if (equals == NULL || equals == spec || equals[1] == '\0')
    {
      g_set_error (error, ZS_VARIANT_ERROR, ZS_VARIANT_ERROR_KEY,
                   _("“%s” is not KEY=VALUE,VALUE…"), spec);
      return NULL;
    }
  axis->name = g_strndup (spec, equals - spec);
  key = g_strdup (axis->name);
  at = strchr (key, '@');
  if (at != NULL)
    {
      *at = '\0';
      axis->node = g_strdup (at + 1);
    }
  if (!parse_key (key, &axis->key) || (axis->node != NULL && axis->key == KEY_WORKERS))
    {
      g_set_error (error, ZS_VARIANT_ERROR, ZS_VARIANT_ERROR_KEY,
                   _("unknown key “%s”: valid keys are transport, bind, hwm, sndhwm, rcvhwm "
                     "(each with an optional @NODE) and workers"), axis->name);
      return NULL;
    }
  axis->values = g_strsplit (equals + 1, ",", -1);
  for (guint i = 0; axis->values[i] != NULL; i++)
    if (!check_value (axis->key, axis->values[i], error))
      return NULL;
  return g_steal_pointer (&axis);
}

/* ---- applying ------------------------------------------------------------------ */

typedef struct {
  guint connect_node, connect_socket, bind_node, bind_socket;
} LinkEnds;

static gboolean
is_external_link (ZsTopology   *topology,
                  const ZsLink *link)
{
  return zs_node_is_external (zs_topology_get_node (topology, link->connect_node)) ||
         zs_node_is_external (zs_topology_get_node (topology, link->bind_node));
}

/* The links the axis changes, by their ends: an edit renumbers links. */
static GArray *
target_links (ZsTopology *topology,
              int         node)
{
  GPtrArray *links = zs_topology_get_links (topology);
  GArray *ends = g_array_new (FALSE, FALSE, sizeof (LinkEnds));

  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *l = g_ptr_array_index (links, i);
      LinkEnds e = { l->connect_node, l->connect_socket, l->bind_node, l->bind_socket };

      if (is_external_link (topology, l))
        continue;
      if (node < 0 || (int) l->connect_node == node || (int) l->bind_node == node)
        g_array_append_val (ends, e);
    }
  return ends;
}

static int
find_link (ZsTopology     *topology,
           const LinkEnds *e)
{
  GPtrArray *links = zs_topology_get_links (topology);

  for (guint i = 0; i < links->len; i++)
    {
      const ZsLink *l = g_ptr_array_index (links, i);

      if (l->connect_node == e->connect_node && l->connect_socket == e->connect_socket &&
          l->bind_node == e->bind_node && l->bind_socket == e->bind_socket)
        return i;
    }
  return -1;
}

static ZsTransport
transport_from_value (const char *value)
{
  if (g_str_equal (value, "inproc"))
    return ZS_TRANSPORT_INPROC;
  if (g_str_equal (value, "ipc"))
    return ZS_TRANSPORT_IPC;
  return ZS_TRANSPORT_TCP;
}

static guint
change_links (ZsTopology *topology,
              int         node,
              Key         key,
              const char *value)
{
  g_autoptr(GArray) ends = target_links (topology, node);
  guint changed = 0;

  if (key == KEY_BIND && g_str_equal (value, "as-is"))
    return ends->len;
  for (guint i = 0; i < ends->len; i++)
    {
      int link = find_link (topology, &g_array_index (ends, LinkEnds, i));

      if (link < 0)   /* already moved with a shared bind */
        continue;
      if (key == KEY_BIND ? zs_edit_flip_link (topology, link)
                          : zs_edit_set_link_transport (topology, link, transport_from_value (value)))
        changed++;
    }
  return changed;
}

static void
set_socket_hwms (ZsNode     *node,
                 Key         key,
                 int         hwm)
{
  for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
    {
      ZsSocketSpec *socket = zs_node_get_socket (node, s);

      if (key != KEY_RCVHWM)
        zs_socket_spec_set_sndhwm (socket, hwm);
      if (key != KEY_SNDHWM)
        zs_socket_spec_set_rcvhwm (socket, hwm);
    }
}

static guint
change_hwms (ZsTopology *topology,
             int         node,
             Key         key,
             const char *value)
{
  int hwm = (int) g_ascii_strtoll (value, NULL, 10);
  guint changed = 0;

  for (guint n = 0; n < zs_topology_get_n_nodes (topology); n++)
    {
      ZsNode *each = zs_topology_get_node (topology, n);

      if ((node >= 0 && (int) n != node) || zs_node_is_external (each))
        continue;
      set_socket_hwms (each, key, hwm);
      changed++;
    }
  return changed;
}

static gboolean
only_connects (ZsNode *node)
{
  for (guint s = 0; s < zs_node_get_n_sockets (node); s++)
    if (zs_socket_spec_get_binds (zs_node_get_socket (node, s))[0] != NULL)
      return FALSE;
  return TRUE;
}

/* Workers, else servers, that only connect: a copy then links to the
 * same peers (a copy of a server that binds would link to nobody). */
static GPtrArray *
find_workers (ZsTopology *topology)
{
  GPtrArray *workers = g_ptr_array_new ();
  ZsRole roles[] = { ZS_ROLE_WORKER, ZS_ROLE_SERVER };

  for (guint r = 0; r < G_N_ELEMENTS (roles) && workers->len == 0; r++)
    for (guint n = 0; n < zs_topology_get_n_nodes (topology); n++)
      {
        ZsNode *node = zs_topology_get_node (topology, n);

        if (zs_node_get_role (node) == roles[r] && only_connects (node))
          g_ptr_array_add (workers, node);
      }
  return workers;
}

static guint
change_workers (ZsTopology *topology,
                const char *value)
{
  g_autoptr(GPtrArray) workers = find_workers (topology);
  guint wanted = (guint) g_ascii_strtoull (value, NULL, 10);
  g_autoptr(ZsTopology) clip = NULL;
  g_autoptr(ZsNode) last = NULL;

  if (workers->len == 0)
    return 0;
  while (workers->len > wanted)
    {
      zs_topology_remove_node (topology, g_ptr_array_index (workers, workers->len - 1));
      g_ptr_array_remove_index (workers, workers->len - 1);
    }
  clip = zs_topology_new ();
  last = zs_node_copy (g_ptr_array_index (workers, workers->len - 1));
  zs_topology_add_node (clip, last);
  for (guint i = workers->len; i < wanted; i++)
    g_ptr_array_unref (zs_edit_paste (topology, clip, 0, WORKER_SPACING * (i - workers->len + 1)));
  return wanted;
}

gboolean
zs_variant_axis_apply (const ZsVariantAxis  *axis,
                       guint                 index,
                       ZsTopology           *topology,
                       GError              **error)
{
  const char *value;
  int node = -1;
  guint changed = 0;

  g_return_val_if_fail (axis != NULL, FALSE);
  g_return_val_if_fail (index < g_strv_length (axis->values), FALSE);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);

  value = axis->values[index];
  if (axis->node != NULL)
    {
      ZsNode *found = zs_topology_find_node (topology, axis->node);

      node = found != NULL ? zs_topology_find_node_index (topology, found) : -1;
      if (node < 0)
        {
          g_set_error (error, ZS_VARIANT_ERROR, ZS_VARIANT_ERROR_NODE,
                       _("%s: no node is called “%s”"), axis->name, axis->node);
          return FALSE;
        }
    }

  switch (axis->key)
    {
    case KEY_TRANSPORT:
    case KEY_BIND:
      {
        g_autoptr(ZsTopology) before = zs_topology_copy (topology);

        changed = change_links (topology, node, axis->key, value);
        /* New tcp endpoints get ports the OS reports free now (the
         * editor's 5555 + n may be held); the user's own stay. */
        if (changed > 0 && !zs_topology_remap_new_tcp_ports (topology, before, error))
          return FALSE;
      }
      break;
    case KEY_HWM:
    case KEY_SNDHWM:
    case KEY_RCVHWM:
      changed = change_hwms (topology, node, axis->key, value);
      break;
    case KEY_WORKERS:
      changed = change_workers (topology, value);
      break;
    }

  if (changed == 0)
    {
      g_set_error (error, ZS_VARIANT_ERROR, ZS_VARIANT_ERROR_APPLY,
                   axis->key == KEY_WORKERS ? _("%s=%s: the topology has no worker or server node that connects to its peers")
                                            : _("%s=%s: nothing in the topology to change"),
                   axis->name, value);
      return FALSE;
    }
  return TRUE;
}
