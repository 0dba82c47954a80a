/* zs-topology.c: the document: nodes, and the links derived from them
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-topology"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-topology.h"

struct _ZsTopology
{
  GObject    parent_instance;

  char      *title;
  char      *description;
  GPtrArray *nodes;   /* of ZsNode */
  GPtrArray *links;   /* of ZsLink; NULL until asked for after a change */
};

enum {
  PROP_0,
  PROP_TITLE,
  PROP_DESCRIPTION,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties [N_PROPS];
static guint signals [N_SIGNALS];

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (ZsTopology, zs_topology, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
zs_topology_get_item_type (GListModel *model)
{
  return ZS_TYPE_NODE;
}

static guint
zs_topology_get_n_items (GListModel *model)
{
  return ZS_TOPOLOGY (model)->nodes->len;
}

static gpointer
zs_topology_get_item (GListModel *model,
                      guint       position)
{
  ZsTopology *self = ZS_TOPOLOGY (model);

  if (position >= self->nodes->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->nodes, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = zs_topology_get_item_type;
  iface->get_n_items = zs_topology_get_n_items;
  iface->get_item = zs_topology_get_item;
}

static void
emit_changed (ZsTopology *self)
{
  g_clear_pointer (&self->links, g_ptr_array_unref);
  g_signal_emit (self, signals [CHANGED], 0);
}

static void
on_node_changed_cb (ZsTopology *self,
                    ZsNode     *node)
{
  emit_changed (self);
}

static void
zs_topology_dispose (GObject *object)
{
  ZsTopology *self = (ZsTopology *) object;

  for (guint i = 0; self->nodes != NULL && i < self->nodes->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->nodes, i), self);
  g_clear_pointer (&self->nodes, g_ptr_array_unref);
  g_clear_pointer (&self->links, g_ptr_array_unref);

  G_OBJECT_CLASS (zs_topology_parent_class)->dispose (object);
}

static void
zs_topology_finalize (GObject *object)
{
  ZsTopology *self = (ZsTopology *) object;

  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->description, g_free);

  G_OBJECT_CLASS (zs_topology_parent_class)->finalize (object);
}

static void
zs_topology_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  ZsTopology *self = ZS_TOPOLOGY (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, zs_topology_get_title (self));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, zs_topology_get_description (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_topology_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  ZsTopology *self = ZS_TOPOLOGY (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      zs_topology_set_title (self, g_value_get_string (value));
      break;
    case PROP_DESCRIPTION:
      zs_topology_set_description (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_topology_class_init (ZsTopologyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = zs_topology_dispose;
  object_class->finalize = zs_topology_finalize;
  object_class->get_property = zs_topology_get_property;
  object_class->set_property = zs_topology_set_property;

  properties [PROP_TITLE] =
    g_param_spec_string ("title", _("Title"), _("The topology's title"),
                         "", G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties [PROP_DESCRIPTION] =
    g_param_spec_string ("description", _("Description"), _("What the topology shows"),
                         "", G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
zs_topology_init (ZsTopology *self)
{
  self->title = g_strdup ("");
  self->description = g_strdup ("");
  self->nodes = g_ptr_array_new_with_free_func (g_object_unref);
}

ZsTopology *
zs_topology_new (void)
{
  return g_object_new (ZS_TYPE_TOPOLOGY, NULL);
}

ZsTopology *
zs_topology_copy (ZsTopology *self)
{
  ZsTopology *copy;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), NULL);

  copy = g_object_new (ZS_TYPE_TOPOLOGY,
                       "title", self->title,
                       "description", self->description,
                       NULL);
  for (guint i = 0; i < self->nodes->len; i++)
    {
      g_autoptr(ZsNode) node = zs_node_copy (g_ptr_array_index (self->nodes, i));

      zs_topology_add_node (copy, node);
    }
  return copy;
}

static void
set_string (ZsTopology  *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (value == NULL)
    value = "";
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties [prop_id]);
}

const char *
zs_topology_get_title (ZsTopology *self)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), NULL);
  return self->title;
}

void
zs_topology_set_title (ZsTopology *self,
                       const char *title)
{
  g_return_if_fail (ZS_IS_TOPOLOGY (self));
  set_string (self, &self->title, title, PROP_TITLE);
}

const char *
zs_topology_get_description (ZsTopology *self)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), NULL);
  return self->description;
}

void
zs_topology_set_description (ZsTopology *self,
                             const char *description)
{
  g_return_if_fail (ZS_IS_TOPOLOGY (self));
  set_string (self, &self->description, description, PROP_DESCRIPTION);
}

guint
zs_topology_get_n_nodes (ZsTopology *self)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), 0);
  return self->nodes->len;
}

ZsNode *
zs_topology_get_node (ZsTopology *self,
                      guint       index)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), NULL);
  g_return_val_if_fail (index < self->nodes->len, NULL);
  return g_ptr_array_index (self->nodes, index);
}

ZsNode *
zs_topology_find_node (ZsTopology *self,
                       const char *name)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < self->nodes->len; i++)
    {
      ZsNode *node = g_ptr_array_index (self->nodes, i);

      if (g_strcmp0 (zs_node_get_name (node), name) == 0)
        return node;
    }
  return NULL;
}

int
zs_topology_find_node_index (ZsTopology *self,
                             ZsNode     *node)
{
  guint index;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), -1);
  g_return_val_if_fail (ZS_IS_NODE (node), -1);

  if (!g_ptr_array_find (self->nodes, node, &index))
    return -1;
  return (int) index;
}

void
zs_topology_add_node (ZsTopology *self,
                      ZsNode     *node)
{
  g_return_if_fail (ZS_IS_TOPOLOGY (self));
  zs_topology_insert_node (self, self->nodes->len, node);
}

/* Takes a reference on `node`. */
void
zs_topology_insert_node (ZsTopology *self,
                         guint       index,
                         ZsNode     *node)
{
  g_return_if_fail (ZS_IS_TOPOLOGY (self));
  g_return_if_fail (ZS_IS_NODE (node));
  g_return_if_fail (index <= self->nodes->len);
  g_return_if_fail (zs_topology_find_node_index (self, node) < 0);

  g_ptr_array_insert (self->nodes, index, g_object_ref (node));
  g_signal_connect_object (node, "changed", G_CALLBACK (on_node_changed_cb), self, G_CONNECT_SWAPPED);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 0, 1);
  emit_changed (self);
}

void
zs_topology_remove_node (ZsTopology *self,
                         ZsNode     *node)
{
  int index;

  g_return_if_fail (ZS_IS_TOPOLOGY (self));
  g_return_if_fail (ZS_IS_NODE (node));

  index = zs_topology_find_node_index (self, node);
  g_return_if_fail (index >= 0);

  g_signal_handlers_disconnect_by_data (node, self);
  g_ptr_array_remove_index (self->nodes, index);
  g_list_model_items_changed (G_LIST_MODEL (self), index, 1, 0);
  emit_changed (self);
}

char *
zs_topology_make_unique_name (ZsTopology *self,
                              const char *stem)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), NULL);
  g_return_val_if_fail (stem != NULL, NULL);

  if (zs_topology_find_node (self, stem) == NULL)
    return g_strdup (stem);
  for (guint i = 2; ; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%u", stem, i);

      if (zs_topology_find_node (self, name) == NULL)
        return g_steal_pointer (&name);
    }
}

/* Application messages only: a SUB's subscriptions and a PUB's (XPUB's)
 * subscription messages do not count. */
static gboolean
sends_messages (ZsSocketType type)
{
  return zs_socket_type_sends (type) && type != ZS_SOCKET_SUB && type != ZS_SOCKET_XSUB;
}

static gboolean
receives_messages (ZsSocketType type)
{
  return zs_socket_type_receives (type) && type != ZS_SOCKET_PUB && type != ZS_SOCKET_XPUB;
}

static ZsLink *
link_new (guint         connect_node,
          guint         connect_socket,
          ZsSocketSpec *connecting,
          const char   *connect_endpoint,
          guint         bind_node,
          guint         bind_socket,
          ZsSocketSpec *binding,
          const char   *bind_endpoint)
{
  ZsSocketType ct = zs_socket_spec_get_socket_type (connecting);
  ZsSocketType bt = zs_socket_spec_get_socket_type (binding);
  ZsEndpoint endpoint = { 0, NULL, -1 };
  ZsLink *link = g_new0 (ZsLink, 1);

  link->connect_node = connect_node;
  link->connect_socket = connect_socket;
  link->bind_node = bind_node;
  link->bind_socket = bind_socket;
  link->connect_endpoint = g_strdup (connect_endpoint);
  link->bind_endpoint = g_strdup (bind_endpoint);
  if (zs_endpoint_parse (connect_endpoint, FALSE, &endpoint, NULL))
    link->transport = endpoint.transport;
  zs_endpoint_clear (&endpoint);
  link->to_bind = sends_messages (ct) && receives_messages (bt);
  link->to_connect = sends_messages (bt) && receives_messages (ct);
  return link;
}

/* A bind of the topology, as the endpoint index keeps it. */
typedef struct {
  guint         node;
  guint         socket;
  ZsSocketSpec *spec;
  const char   *endpoint;
} BindRef;

/* Every bind of every node, indexed by address (in node, socket, bind
 * order); `refs` holds what the index points to. */
static ZsEndpointIndex *
index_binds (ZsTopology *self,
             GArray     *refs)
{
  ZsEndpointIndex *index = zs_endpoint_index_new ();

  for (guint k = 0; k < self->nodes->len; k++)
    {
      ZsNode *node = g_ptr_array_index (self->nodes, k);

      for (guint l = 0; l < zs_node_get_n_sockets (node); l++)
        {
          ZsSocketSpec *binding = zs_node_get_socket (node, l);
          const char * const *binds = zs_socket_spec_get_binds (binding);

          for (guint b = 0; binds[b] != NULL; b++)
            {
              BindRef ref = { k, l, binding, binds[b] };
              g_array_append_val (refs, ref);
            }
        }
    }
  /* The array is whole: its elements no longer move. */
  for (guint i = 0; i < refs->len; i++)
    zs_endpoint_index_add_bind (index, g_array_index (refs, BindRef, i).endpoint,
                                &g_array_index (refs, BindRef, i));
  return index;
}

/* A link for every bind that a connect reaches, connects in node, socket,
 * connect order, and for each the binds in node, socket, bind order. */
static GPtrArray *
compute_links (ZsTopology *self)
{
  GPtrArray *links = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_link_free);
  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (BindRef));
  ZsEndpointIndex *index = index_binds (self, refs);

  for (guint i = 0; i < self->nodes->len; i++)
    {
      ZsNode *node = g_ptr_array_index (self->nodes, i);

      for (guint j = 0; j < zs_node_get_n_sockets (node); j++)
        {
          ZsSocketSpec *socket = zs_node_get_socket (node, j);
          const char * const *connects = zs_socket_spec_get_connects (socket);

          for (guint c = 0; connects[c] != NULL; c++)
            {
              g_autoptr(GPtrArray) reached = zs_endpoint_index_match (index, connects[c]);

              for (guint r = 0; reached != NULL && r < reached->len; r++)
                {
                  BindRef *ref = g_ptr_array_index (reached, r);

                  g_ptr_array_add (links, link_new (i, j, socket, connects[c],
                                                    ref->node, ref->socket, ref->spec, ref->endpoint));
                }
            }
        }
    }
  zs_endpoint_index_free (index);
  return links;
}

GPtrArray *
zs_topology_get_links (ZsTopology *self)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), NULL);

  if (self->links == NULL)
    self->links = compute_links (self);
  return self->links;
}

char *
zs_topology_dup_link_name (ZsTopology   *self,
                           const ZsLink *link)
{
  ZsNode *cn, *bn;
  const char *arrow;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (self), NULL);
  g_return_val_if_fail (link != NULL, NULL);

  cn = zs_topology_get_node (self, link->connect_node);
  bn = zs_topology_get_node (self, link->bind_node);
  arrow = link->to_bind && link->to_connect ? "<->" : link->to_bind ? "->" : "<-";
  return g_strdup_printf ("%s.%s %s %s.%s", zs_node_get_name (cn),
                          zs_socket_spec_get_name (zs_node_get_socket (cn, link->connect_socket)), arrow,
                          zs_node_get_name (bn),
                          zs_socket_spec_get_name (zs_node_get_socket (bn, link->bind_socket)));
}
