/* zs-canvas.h: the topology editor: nodes as cards, links as curves
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zs-history.h"
#include "zs-lesson.h"
#include "zs-run-session.h"
#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_TYPE_CANVAS (zs_canvas_get_type ())
G_DECLARE_FINAL_TYPE (ZsCanvas, zs_canvas, ZS, CANVAS, GtkWidget)

/* Properties: "topology", "history" (read-only, a new one per topology),
 * "selected-node", "selected-link" (-1 for none), "findings" (read-only),
 * "running" (editing is locked while running), "zoom" (read-only),
 * "n-selected" (read-only), "presentation", "session".
 * Signal "node-activated" (ZsNode): Enter on the selected card.
 * Faults, live: right-click on a card or a link, or K (kill) and R
 * (restart) on the selected card, activate "win.fault" with (kind, node
 * or link index, factor): kind is kill, restart, pause, resume, slow,
 * cut, restore, delay (factor: ms) or loss (factor: percent); the window
 * applies it to the session. */
GtkWidget   *zs_canvas_new                 (void);
void         zs_canvas_set_topology        (ZsCanvas     *self,
                                            ZsTopology   *topology);
ZsTopology  *zs_canvas_get_topology        (ZsCanvas     *self);
ZsHistory   *zs_canvas_get_history         (ZsCanvas     *self);
/* The lesson whose locked goals the editor keeps (zs_lesson_locks): a
 * locked node or link is not deleted (a note says why), the inspector's
 * locked settings are insensitive. Borrowed: the caller keeps it alive
 * until it sets another or NULL. */
void         zs_canvas_set_lesson          (ZsCanvas     *self,
                                            ZsLesson     *lesson);
ZsLesson    *zs_canvas_get_lesson          (ZsCanvas     *self);
/* findings: ZsFinding, as zs_validate () returns them; may be NULL. */
void         zs_canvas_set_findings        (ZsCanvas     *self,
                                            GPtrArray    *findings);
GPtrArray   *zs_canvas_get_findings        (ZsCanvas     *self);
ZsNode      *zs_canvas_get_selected_node   (ZsCanvas     *self);
int          zs_canvas_get_selected_link   (ZsCanvas     *self);
void         zs_canvas_select_node         (ZsCanvas     *self,
                                            ZsNode       *node);
void         zs_canvas_select_link         (ZsCanvas     *self,
                                            int           link);
void         zs_canvas_select_all          (ZsCanvas     *self);
/* Every selected node (borrowed), the primary one last. */
GPtrArray   *zs_canvas_get_selection       (ZsCanvas     *self);

/* Edits: each one is an undoable step of the history. */
ZsNode      *zs_canvas_add_node            (ZsCanvas     *self,
                                            ZsRole        role,
                                            double        x,
                                            double        y);
ZsNode      *zs_canvas_add_node_at_center  (ZsCanvas     *self,
                                            ZsRole        role);
/* One undoable step: zs_edit_add_external_peer, and selects the new node. */
ZsNode      *zs_canvas_add_external_peer   (ZsCanvas     *self,
                                            ZsNode       *node,
                                            guint         socket,
                                            const char   *endpoint,
                                            gboolean      endpoint_binds);
void         zs_canvas_delete_selection    (ZsCanvas     *self);
void         zs_canvas_copy_selection      (ZsCanvas     *self);
void         zs_canvas_paste               (ZsCanvas     *self);
/* The connector binds and the binder connects, endpoint moved across. */
void         zs_canvas_flip_link           (ZsCanvas     *self,
                                            int           link);
/* inproc, ipc or tcp (a free port 5555+: tcp://127.0.0.1:PORT / tcp://localhost:PORT). */
void         zs_canvas_set_link_transport  (ZsCanvas     *self,
                                            int           link,
                                            ZsTransport   transport);
/* A socket's SNDHWM (`send`) or RCVHWM, as an edit. The three edits above
 * (flip, transport, HWM) are the ones allowed during a live run that takes
 * faults: the run follows each one live (zs_run_session_follow_document),
 * and refuses with a note by the canvas (the edit is then undone). */
void         zs_canvas_set_socket_hwm      (ZsCanvas     *self,
                                            ZsNode       *node,
                                            guint         socket,
                                            gboolean      send,
                                            int           hwm);
/* Undo (or redo) during a live run: only the steps made during it, each
 * followed live by the run. FALSE when there is none to undo (redo). */
gboolean     zs_canvas_undo_live           (ZsCanvas     *self,
                                            gboolean      redo);
/* Lays the cards out in layers in the direction of flow (Graphviz dot);
 * also done, without an undo step, when a topology without positions is
 * set. Links always go around the cards, wherever they are. */
void         zs_canvas_arrange             (ZsCanvas     *self);

double       zs_canvas_get_zoom            (ZsCanvas     *self);
void         zs_canvas_zoom_in             (ZsCanvas     *self);
void         zs_canvas_zoom_out            (ZsCanvas     *self);
void         zs_canvas_zoom_reset          (ZsCanvas     *self);
void         zs_canvas_fit                 (ZsCanvas     *self);
/* For projectors: thicker links and dots, larger live labels, stronger
 * contrast; the view fits again (up to a larger zoom). */
void         zs_canvas_set_presentation    (ZsCanvas     *self,
                                            gboolean      presentation);
gboolean     zs_canvas_get_presentation    (ZsCanvas     *self);

gboolean     zs_canvas_export_png          (ZsCanvas     *self,
                                            const char   *path,
                                            GError      **error);
gboolean     zs_canvas_export_svg          (ZsCanvas     *self,
                                            const char   *path,
                                            GError      **error);

void         zs_canvas_set_running         (ZsCanvas     *self,
                                            gboolean      running);
gboolean     zs_canvas_get_running         (ZsCanvas     *self);

/* The live view: the canvas animates what the session shows (dots, rates,
 * queues, drops, node states), redrawn on each of its ::updated. The
 * session's topology must have the canvas's link order (editing is locked
 * while running). NULL goes back to the editing view; an ended session
 * stays shown, final figures and all, until then. Property "session". */
void          zs_canvas_set_session         (ZsCanvas     *self,
                                            ZsRunSession *session);
ZsRunSession *zs_canvas_get_session         (ZsCanvas     *self);
/* The exact figures of a node or a link (by index) as the canvas's
 * tooltip writes them, one a line; NULL while no run is shown. */
char        *zs_canvas_describe_live_node  (ZsCanvas     *self,
                                            guint         node);
char        *zs_canvas_describe_live_link  (ZsCanvas     *self,
                                            guint         link);
/* Why a socket runs untraced from the start of a run, and what that costs
 * (the tooltip's wording), or NULL: before and during a run. */
char        *zs_canvas_describe_untraced   (ZsTopology   *topology,
                                            guint         node,
                                            guint         socket);

G_END_DECLS
