/* zs-history.c: undo and redo by JSON snapshots of the topology
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-history"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-history.h"
#include "zs-topology-file.h"

#define MAX_DEPTH 200
#define COALESCE_USEC (G_USEC_PER_SEC)

typedef struct {
  char *json;
  char *label;
} Step;

struct _ZsHistory
{
  GObject     parent_instance;

  ZsTopology *topology;
  GPtrArray  *undo;        /* Step, oldest first */
  GPtrArray  *redo;        /* Step, most recent undo last */
  char       *pending;     /* state before the edit in progress */
  char       *pending_label;
  char       *last_label;  /* label of the last recorded step, for coalescing */
  gint64      last_time;
  char       *saved;       /* state at the last save */
  guint       depth;
  guint       coalescing : 1;
  guint       restoring : 1;
  guint       modified : 1;
};

G_DEFINE_FINAL_TYPE (ZsHistory, zs_history, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TOPOLOGY,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_MODIFIED,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

enum {
  RESTORED,
  N_SIGNALS
};

static guint signals [N_SIGNALS];

static void
step_free (gpointer data)
{
  Step *step = data;

  g_free (step->json);
  g_free (step->label);
  g_free (step);
}

static Step *
step_new (char       *json,
          const char *label)
{
  Step *step = g_new0 (Step, 1);

  step->json = json;
  step->label = g_strdup (label);
  return step;
}

static char *
serialize (ZsHistory *self)
{
  return zs_topology_save_to_data (self->topology, NULL);
}

static void
update_modified (ZsHistory  *self,
                 const char *current)
{
  g_autofree char *owned = NULL;
  gboolean modified;

  if (current == NULL)
    current = owned = serialize (self);
  modified = g_strcmp0 (current, self->saved) != 0;
  if (modified != self->modified)
    {
      self->modified = modified;
      g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_MODIFIED]);
    }
}

static void
notify_stacks (ZsHistory *self)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  g_object_notify_by_pspec (object, properties [PROP_CAN_UNDO]);
  g_object_notify_by_pspec (object, properties [PROP_CAN_REDO]);
  g_object_notify_by_pspec (object, properties [PROP_UNDO_LABEL]);
  g_object_notify_by_pspec (object, properties [PROP_REDO_LABEL]);
  g_object_thaw_notify (object);
}

static void
on_topology_changed_cb (ZsHistory  *self,
                        ZsTopology *topology)
{
  /* An edit made without begin/end still updates "modified". */
  if (self->depth == 0 && !self->restoring)
    update_modified (self, NULL);
}

/* Replaces the topology's nodes, keeping the same ZsTopology object. */
static void
restore (ZsHistory  *self,
         const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) state = zs_topology_load_from_data (json, -1, &error);
  guint n;

  if (state == NULL)
    {
      g_critical ("Cannot restore an undo step: %s", error->message);
      return;
    }

  self->restoring = TRUE;
  while ((n = zs_topology_get_n_nodes (self->topology)) > 0)
    zs_topology_remove_node (self->topology, zs_topology_get_node (self->topology, n - 1));
  for (guint i = 0; i < zs_topology_get_n_nodes (state); i++)
    {
      g_autoptr(ZsNode) node = zs_node_copy (zs_topology_get_node (state, i));
      zs_topology_add_node (self->topology, node);
    }
  zs_topology_set_title (self->topology, zs_topology_get_title (state));
  zs_topology_set_description (self->topology, zs_topology_get_description (state));
  self->restoring = FALSE;
  g_signal_emit (self, signals [RESTORED], 0);
}

/* Moves the top step of `from` to the topology, saving the current state on `to`. */
static void
swap_state (ZsHistory *self,
            GPtrArray *from,
            GPtrArray *to)
{
  Step *step;
  g_autofree char *current = NULL;

  g_return_if_fail (self->depth == 0);

  if (from->len == 0)
    return;

  step = g_ptr_array_steal_index (from, from->len - 1);
  current = serialize (self);
  g_ptr_array_add (to, step_new (g_steal_pointer (&current), step->label));
  restore (self, step->json);
  step_free (step);

  g_clear_pointer (&self->last_label, g_free);
  update_modified (self, NULL);
  notify_stacks (self);
}

static void
zs_history_dispose (GObject *object)
{
  ZsHistory *self = (ZsHistory *)object;

  if (self->topology != NULL)
    g_signal_handlers_disconnect_by_data (self->topology, self);
  g_clear_object (&self->topology);

  G_OBJECT_CLASS (zs_history_parent_class)->dispose (object);
}

static void
zs_history_finalize (GObject *object)
{
  ZsHistory *self = (ZsHistory *)object;

  g_clear_pointer (&self->undo, g_ptr_array_unref);
  g_clear_pointer (&self->redo, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_free);
  g_clear_pointer (&self->pending_label, g_free);
  g_clear_pointer (&self->last_label, g_free);
  g_clear_pointer (&self->saved, g_free);

  G_OBJECT_CLASS (zs_history_parent_class)->finalize (object);
}

static void
zs_history_constructed (GObject *object)
{
  ZsHistory *self = (ZsHistory *)object;

  G_OBJECT_CLASS (zs_history_parent_class)->constructed (object);

  g_return_if_fail (ZS_IS_TOPOLOGY (self->topology));
  self->saved = serialize (self);
  g_signal_connect_object (self->topology, "changed",
                           G_CALLBACK (on_topology_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
zs_history_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  ZsHistory *self = ZS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_TOPOLOGY:
      g_value_set_object (value, self->topology);
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, zs_history_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, zs_history_get_can_redo (self));
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, zs_history_get_modified (self));
      break;
    case PROP_UNDO_LABEL:
      g_value_set_string (value, zs_history_get_undo_label (self));
      break;
    case PROP_REDO_LABEL:
      g_value_set_string (value, zs_history_get_redo_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_history_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  ZsHistory *self = ZS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_TOPOLOGY:
      self->topology = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_history_class_init (ZsHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = zs_history_constructed;
  object_class->dispose = zs_history_dispose;
  object_class->finalize = zs_history_finalize;
  object_class->get_property = zs_history_get_property;
  object_class->set_property = zs_history_set_property;

  properties [PROP_TOPOLOGY] =
    g_param_spec_object ("topology", NULL, NULL, ZS_TYPE_TOPOLOGY,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties [PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_UNDO_LABEL] =
    g_param_spec_string ("undo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties [PROP_REDO_LABEL] =
    g_param_spec_string ("redo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals [RESTORED] =
    g_signal_new ("restored", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
zs_history_init (ZsHistory *self)
{
  self->undo = g_ptr_array_new_with_free_func (step_free);
  self->redo = g_ptr_array_new_with_free_func (step_free);
}

ZsHistory *
zs_history_new (ZsTopology *topology)
{
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);

  return g_object_new (ZS_TYPE_HISTORY, "topology", topology, NULL);
}

ZsTopology *
zs_history_get_topology (ZsHistory *self)
{
  g_return_val_if_fail (ZS_IS_HISTORY (self), NULL);
  return self->topology;
}

void
zs_history_begin (ZsHistory  *self,
                  const char *label)
{
  gint64 now = g_get_monotonic_time ();

  g_return_if_fail (ZS_IS_HISTORY (self));
  g_return_if_fail (label != NULL);

  if (self->depth++ > 0)
    return;

  self->coalescing = self->undo->len > 0 && self->redo->len == 0 &&
                     g_strcmp0 (label, self->last_label) == 0 &&
                     now - self->last_time < COALESCE_USEC;
  g_clear_pointer (&self->pending, g_free);
  g_free (self->pending_label);
  self->pending_label = g_strdup (label);
  if (!self->coalescing)
    self->pending = serialize (self);
}

void
zs_history_end (ZsHistory *self)
{
  g_autofree char *current = NULL;

  g_return_if_fail (ZS_IS_HISTORY (self));
  g_return_if_fail (self->depth > 0);

  if (--self->depth > 0)
    return;

  current = serialize (self);
  if (self->coalescing)
    {
      self->last_time = g_get_monotonic_time ();
      update_modified (self, current);
      return;
    }
  if (g_strcmp0 (current, self->pending) == 0)
    {
      g_clear_pointer (&self->pending, g_free);
      return;
    }

  g_ptr_array_add (self->undo, step_new (g_steal_pointer (&self->pending), self->pending_label));
  if (self->undo->len > MAX_DEPTH)
    g_ptr_array_remove_index (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  g_free (self->last_label);
  self->last_label = g_strdup (self->pending_label);
  self->last_time = g_get_monotonic_time ();
  update_modified (self, current);
  notify_stacks (self);
}

void
zs_history_seal (ZsHistory *self)
{
  g_return_if_fail (ZS_IS_HISTORY (self));
  g_clear_pointer (&self->last_label, g_free);
}

gboolean
zs_history_get_can_undo (ZsHistory *self)
{
  g_return_val_if_fail (ZS_IS_HISTORY (self), FALSE);
  return self->undo->len > 0;
}

gboolean
zs_history_get_can_redo (ZsHistory *self)
{
  g_return_val_if_fail (ZS_IS_HISTORY (self), FALSE);
  return self->redo->len > 0;
}

gboolean
zs_history_get_modified (ZsHistory *self)
{
  g_return_val_if_fail (ZS_IS_HISTORY (self), FALSE);
  return self->modified;
}

static const char *
top_label (GPtrArray *steps)
{
  if (steps->len == 0)
    return NULL;
  return ((Step *) g_ptr_array_index (steps, steps->len - 1))->label;
}

const char *
zs_history_get_undo_label (ZsHistory *self)
{
  g_return_val_if_fail (ZS_IS_HISTORY (self), NULL);
  return top_label (self->undo);
}

const char *
zs_history_get_redo_label (ZsHistory *self)
{
  g_return_val_if_fail (ZS_IS_HISTORY (self), NULL);
  return top_label (self->redo);
}

void
zs_history_undo (ZsHistory *self)
{
  g_return_if_fail (ZS_IS_HISTORY (self));
  swap_state (self, self->undo, self->redo);
}

void
zs_history_redo (ZsHistory *self)
{
  g_return_if_fail (ZS_IS_HISTORY (self));
  swap_state (self, self->redo, self->undo);
}

void
zs_history_mark_saved (ZsHistory *self)
{
  g_return_if_fail (ZS_IS_HISTORY (self));

  g_free (self->saved);
  self->saved = serialize (self);
  g_clear_pointer (&self->last_label, g_free);
  update_modified (self, self->saved);
}

void
zs_history_clear (ZsHistory *self)
{
  g_return_if_fail (ZS_IS_HISTORY (self));
  g_return_if_fail (self->depth == 0);

  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  zs_history_mark_saved (self);
  notify_stacks (self);
}

gboolean
zs_history_is_restoring (ZsHistory *self)
{
  g_return_val_if_fail (ZS_IS_HISTORY (self), FALSE);
  return self->restoring;
}

guint
zs_history_get_depth (ZsHistory *self)
{
  g_return_val_if_fail (ZS_IS_HISTORY (self), 0);
  return self->undo->len;
}
