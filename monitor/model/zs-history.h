/* zs-history.h: undo and redo for every edit of a topology
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_TYPE_HISTORY (zs_history_get_type ())
G_DECLARE_FINAL_TYPE (ZsHistory, zs_history, ZS, HISTORY, GObject)

/* Properties: "topology" (construct-only), "can-undo", "can-redo",
 * "modified" (the topology differs from the last save), "undo-label",
 * "redo-label" (what undo/redo would undo/redo, for menus).
 * Signal "restored" (): undo or redo has replaced the topology's nodes.
 *
 * Every edit happens between zs_history_begin () and zs_history_end (); the
 * history keeps a JSON snapshot of the state before it. Edits with the same
 * label less than a second apart coalesce into one step (a drag, typing). */
ZsHistory   *zs_history_new            (ZsTopology  *topology);
ZsTopology  *zs_history_get_topology   (ZsHistory   *self);
void         zs_history_begin          (ZsHistory   *self,
                                        const char  *label);
void         zs_history_end            (ZsHistory   *self);
/* The next edit starts a new step even if its label is the same: for
 * discrete edits (add, delete, paste) that must never coalesce. */
void         zs_history_seal           (ZsHistory   *self);
gboolean     zs_history_get_can_undo   (ZsHistory   *self);
gboolean     zs_history_get_can_redo   (ZsHistory   *self);
gboolean     zs_history_get_modified   (ZsHistory   *self);
const char  *zs_history_get_undo_label (ZsHistory   *self);
const char  *zs_history_get_redo_label (ZsHistory   *self);
void         zs_history_undo           (ZsHistory   *self);
void         zs_history_redo           (ZsHistory   *self);
void         zs_history_mark_saved     (ZsHistory   *self);
void         zs_history_clear          (ZsHistory   *self);
/* TRUE while undo or redo replaces the nodes; signal "restored" () follows. */
gboolean     zs_history_is_restoring   (ZsHistory   *self);
/* Used by tests: the number of undo steps. */
guint        zs_history_get_depth      (ZsHistory   *self);

G_END_DECLS
