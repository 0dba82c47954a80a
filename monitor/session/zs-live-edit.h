/* zs-live-edit.h: what a run was asked to change live, and what a document asks of it
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * During a run the editor may flip a link, change its transport or a
 * socket's HWMs (issue #15), each an edit of the document like any other
 * (undoable). The run follows: this compares the document with what the
 * run was asked so far (its frozen topology, then each live change) and
 * gives the live changes (ZsFaultStep: flip, transport, hwm) that make the
 * run what the document says. Links and sockets are matched by node and
 * socket names, so a document whose links were reordered by an edit still
 * finds them. GTK-free. */
#pragma once

#include "zs-fault-script.h"

G_BEGIN_DECLS

typedef struct _ZsLiveEdit ZsLiveEdit;

ZsLiveEdit *zs_live_edit_new        (ZsTopology        *frozen);
void        zs_live_edit_free       (ZsLiveEdit        *self);
/* The run took `step` (other kinds are ignored). */
void        zs_live_edit_note       (ZsLiveEdit        *self,
                                     const ZsFaultStep *step);
/* ZsFaultStep: the live changes `document` asks of the run now, links
 * first; empty when none. */
GArray     *zs_live_edit_diff       (ZsLiveEdit        *self,
                                     ZsTopology        *document);
/* The link of `frozen` that joins the same two sockets as `document`'s
 * link `link`, or -1; *reversed when the document binds at the end the
 * frozen link connects from. */
int         zs_live_edit_find_link  (ZsTopology        *frozen,
                                     ZsTopology        *document,
                                     guint              link,
                                     gboolean          *reversed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsLiveEdit, zs_live_edit_free)

G_END_DECLS
