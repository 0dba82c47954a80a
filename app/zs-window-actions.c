/* zs-window-actions.c: the window's actions, file choosers and the run
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-charts.h"
#include "zs-compare-dialog.h"
#include "zs-engine-source.h"
#include "zs-event-list.h"
#include "zs-message-view.h"
#include "zs-timeline.h"
#include "zs-validator.h"
#include "zs-window-private.h"

/* The status label is text: a few updates a second are plenty. */
#define STATUS_INTERVAL_US (G_USEC_PER_SEC / 5)

typedef void     (*ZsCanvasFunc)   (ZsCanvas    *canvas);
typedef gboolean (*ZsExportFunc)   (ZsCanvas    *canvas,
                                    const char  *path,
                                    GError     **error);

/* Actions that call one function of the canvas; `edits` ones are off
 * while the topology runs. */
static const struct {
  const char   *name;
  ZsCanvasFunc  func;
  gboolean      edits;
} canvas_actions[] = {
  { "delete", zs_canvas_delete_selection, TRUE },
  { "paste", zs_canvas_paste, TRUE },
  { "copy", zs_canvas_copy_selection, FALSE },
  { "select-all", zs_canvas_select_all, FALSE },
  { "zoom-in", zs_canvas_zoom_in, FALSE },
  { "zoom-out", zs_canvas_zoom_out, FALSE },
  { "zoom-reset", zs_canvas_zoom_reset, FALSE },
  { "zoom-fit", zs_canvas_fit, FALSE },
  { "arrange", zs_canvas_arrange, TRUE },
};

static void
set_action_enabled (ZsWindow   *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

gboolean
_zs_window_is_running (ZsWindow *self)
{
  return self->session != NULL && zs_run_session_is_live (self->session);
}

static gboolean
is_paused (ZsWindow *self)
{
  return self->session != NULL && zs_run_session_is_paused (self->session);
}

/* Our own run, not other programs seen on the wire. */
static gboolean
has_controls (ZsWindow *self)
{
  return self->session != NULL
         && (zs_run_source_get_flags (zs_run_session_get_source (self->session)) & ZS_RUN_SOURCE_CONTROLS);
}

void
_zs_window_update_actions (ZsWindow *self)
{
  gboolean running = _zs_window_is_running (self);
  gboolean controls = running && has_controls (self);

  set_action_enabled (self, "run", !running && !_zs_window_is_empty (self));
  set_action_enabled (self, "pause", controls);
  set_action_enabled (self, "stop", running);
  set_action_enabled (self, "step", controls && (is_paused (self) || self->speed == ZS_WINDOW_SPEED_STEP));
  set_action_enabled (self, "save-recording", self->session != NULL);
  set_action_enabled (self, "fault", running
                      && zs_run_source_can_apply_fault (zs_run_session_get_source (self->session)));

  for (guint i = 0; i < G_N_ELEMENTS (canvas_actions); i++)
    if (canvas_actions[i].edits)
      set_action_enabled (self, canvas_actions[i].name, !running);
  _zs_window_update_findings_hint (self);
}

/* Canvas and history */

static void
canvas_action_cb (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  ZsWindow *self = user_data;
  ZsCanvasFunc func = g_object_get_data (G_OBJECT (action), "zs-canvas-func");

  func (self->canvas);
}

static void
add_canvas_actions (ZsWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (canvas_actions); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (canvas_actions[i].name, NULL);

      g_object_set_data (G_OBJECT (action), "zs-canvas-func", canvas_actions[i].func);
      g_signal_connect (action, "activate", G_CALLBACK (canvas_action_cb), self);
      g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (action));
    }
}

static void
undo_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  ZsWindow *self = user_data;

  /* During a run, only its live changes (zs_canvas_undo_live). */
  if (!_zs_window_is_running (self))
    zs_history_undo (_zs_window_get_history (self));
  else
    zs_canvas_undo_live (self->canvas, FALSE);
}

static void
redo_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  ZsWindow *self = user_data;

  if (!_zs_window_is_running (self))
    zs_history_redo (_zs_window_get_history (self));
  else
    zs_canvas_undo_live (self->canvas, TRUE);
}

/* File choosers */

static void
on_chooser_response_cb (GtkNativeDialog *native,
                        int              response,
                        ZsWindow        *self)
{
  ZsChooserDone done = g_object_get_data (G_OBJECT (native), "zs-done");
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  /* `done` may close the window (Save before closing). */
  g_autoptr(ZsWindow) hold = g_object_ref (self);
  g_autoptr(GtkNativeDialog) hold_native = g_object_ref (native);

  if (self->file_chooser == native)
    g_clear_object (&self->file_chooser);

  if (response == GTK_RESPONSE_ACCEPT && file != NULL)
    done (self, file);

  self->close_after_save = FALSE;
}

static void
choose_file (ZsWindow             *self,
             GtkFileChooserAction  action,
             const char           *title,
             const char           *filter_name,
             const char           *pattern,
             const char           *suggested_name,
             ZsChooserDone         done)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  gboolean saving = action == GTK_FILE_CHOOSER_ACTION_SAVE;

  native = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                        saving ? _("_Save") : _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  g_auto(GStrv) patterns = g_strsplit (pattern, ";", -1);

  gtk_file_filter_set_name (filter, filter_name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  if (suggested_name != NULL)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), suggested_name);

  g_object_set_data (G_OBJECT (native), "zs-done", done);
  g_signal_connect (native, "response", G_CALLBACK (on_chooser_response_cb), self);

  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_set_object (&self->file_chooser, GTK_NATIVE_DIALOG (native));
  g_object_unref (native);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* "pipeline.json" -> "pipeline.png" */
static char *
dup_suggested_name (ZsWindow   *self,
                    const char *extension)
{
  g_autofree char *base = self->file != NULL ? g_file_get_basename (self->file)
                                             : g_strdup (_("topology"));
  char *dot = strrchr (base, '.');

  if (dot != NULL)
    *dot = '\0';

  return g_strconcat (base, extension, NULL);
}

char *
_zs_window_dup_suggested_name (ZsWindow   *self,
                               const char *extension)
{
  return dup_suggested_name (self, extension);
}

void
_zs_window_choose_file (ZsWindow             *self,
                        GtkFileChooserAction  action,
                        const char           *title,
                        const char           *filter_name,
                        const char           *pattern,
                        const char           *suggested_name,
                        ZsChooserDone         done)
{
  choose_file (self, action, title, filter_name, pattern, suggested_name, done);
}

static void
open_done (ZsWindow *self,
           GFile    *file)
{
  zs_window_open_file (self, file, 0);
}

static void
open_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  choose_file (user_data, GTK_FILE_CHOOSER_ACTION_OPEN, _("Open Topology or Recording"),
               _("ZeroMQ topologies and recordings (*.json, *.zsrec)"), "*.json;*.zsrec", NULL, open_done);
}

static void
save_as_done (ZsWindow *self,
              GFile    *file)
{
  g_autoptr(GError) error = NULL;
  gboolean close_after_save = self->close_after_save;

  self->close_after_save = FALSE;
  if (!_zs_window_save_to_file (self, file, &error))
    /* Translators: %s are the file name and the reason */
    _zs_window_show_file_error (self, _("Could not save “%s”: %s"), file, error);
  else if (close_after_save)
    gtk_window_destroy (GTK_WINDOW (self));
}

void
_zs_window_save_as_dialog (ZsWindow *self)
{
  g_autofree char *name = dup_suggested_name (self, ".json");
  gboolean close_after_save = self->close_after_save;

  choose_file (self, GTK_FILE_CHOOSER_ACTION_SAVE, _("Save Topology"),
               _("ZeroMQ topologies (*.json)"), "*.json", name, save_as_done);
  /* choose_file () forgets a previous dialog's intent: keep this one's. */
  self->close_after_save = close_after_save;
}

static void
save_as_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  _zs_window_save_as_dialog (user_data);
}

static void
save_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  ZsWindow *self = user_data;

  if (self->file == NULL || self->is_example)
    _zs_window_save_as_dialog (self);
  else
    save_as_done (self, self->file);
}

static void
export_canvas (ZsWindow     *self,
               GFile        *file,
               ZsExportFunc  export)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = NULL;

  if (path == NULL || !export (self->canvas, path, &error))
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                             _("only local files can be written"));
      _zs_window_show_file_error (self, _("Could not export “%s”: %s"), file, error);
      return;
    }

  message = g_strdup_printf (_("The canvas was exported to “%s”."), name);
  zs_window_show_banner (self, ZS_BANNER_INFO, message);
}

static void
export_png_done (ZsWindow *self,
                 GFile    *file)
{
  export_canvas (self, file, zs_canvas_export_png);
}

static void
export_svg_done (ZsWindow *self,
                 GFile    *file)
{
  export_canvas (self, file, zs_canvas_export_svg);
}

static void
export_png_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  g_autofree char *name = dup_suggested_name (user_data, ".png");

  choose_file (user_data, GTK_FILE_CHOOSER_ACTION_SAVE, _("Export as PNG Image"),
               _("PNG images (*.png)"), "*.png", name, export_png_done);
}

static void
export_svg_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  g_autofree char *name = dup_suggested_name (user_data, ".svg");

  choose_file (user_data, GTK_FILE_CHOOSER_ACTION_SAVE, _("Export as SVG Image"),
               _("SVG images (*.svg)"), "*.svg", name, export_svg_done);
}

/* The run */

static double
speed_to_rate (ZsWindowSpeed speed)
{
  switch (speed)
    {
    case ZS_WINDOW_SPEED_STEP:
      /* Paused anyway; once resumed, slow enough to follow. */
      return 1.0;
    case ZS_WINDOW_SPEED_1:
      return 1.0;
    case ZS_WINDOW_SPEED_5:
      return 5.0;
    case ZS_WINDOW_SPEED_20:
      return 20.0;
    case ZS_WINDOW_SPEED_100:
      return 100.0;
    case ZS_WINDOW_SPEED_FULL:
    default:
      return 0.0;
    }
}


static char *
dup_count (guint64 value)
{
  return g_strdup_printf ("%'" G_GUINT64_FORMAT, value);
}

static const char *
get_run_state_label (ZsWindow *self)
{
  if (zs_run_session_get_snapshot (self->session)->finished)
    return _("Finished");
  if (!_zs_window_is_running (self))
    return _("Stopped");
  if (is_paused (self))
    return _("Paused");
  return _("Running");
}

/* Seconds since the first message, up to the last node's end once done. */
static double
get_run_seconds (const ZsSnapshot *snapshot)
{
  gint64 end_us = snapshot->time_us;

  if (snapshot->run_started_us == 0)
    return 0;

  if (snapshot->finished)
    {
      end_us = 0;
      for (guint i = 0; i < snapshot->n_nodes; i++)
        end_us = MAX (end_us, snapshot->nodes[i].done_at_us);
    }

  return MAX (0, end_us - snapshot->run_started_us) / (double) G_USEC_PER_SEC;
}

static void
update_status (ZsWindow *self)
{
  const ZsSnapshot *snapshot = self->session != NULL ? zs_run_session_get_snapshot (self->session) : NULL;
  guint64 sent = 0;
  guint64 received = 0;
  g_autofree char *sent_text = NULL;
  g_autofree char *received_text = NULL;
  g_autofree char *status = NULL;
  g_autofree char *wire = NULL;

  if (snapshot == NULL)
    {
      gtk_label_set_label (self->status_label, "");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label), NULL);
      return;
    }

  for (guint i = 0; i < snapshot->n_nodes; i++)
    {
      sent += snapshot->nodes[i].sent;
      received += snapshot->nodes[i].received;
    }

  sent_text = dup_count (sent);
  received_text = dup_count (received);
  wire = _zs_window_get_attach_status (self);
  if (wire != NULL)
    /* Translators: seen on the wire (what crossed it was sent and received):
     * "Running · 1.52 s · kernel drops: 0 · 1,000 messages" */
    status = g_strdup_printf (_("%s · %.2f s · %s · %s messages"),
                              get_run_state_label (self), get_run_seconds (snapshot), wire, sent_text);
  else
    /* Translators: "Running · 1.52 s · 1,000 sent · 998 received" */
    status = g_strdup_printf (_("%s · %.2f s · %s sent · %s received"),
                              get_run_state_label (self), get_run_seconds (snapshot),
                              sent_text, received_text);
  gtk_label_set_label (self->status_label, status);
  /* Summed over nodes, a PUB's fan-out makes "received" outgrow "sent":
   * true, and said so where a first-time reader looks. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->status_label),
                               wire != NULL ? NULL
                               : _("Sent and received add up every node's messages: a message a PUB sends "
                                   "counts once as sent, and once as received by each subscriber that got it; "
                                   "a message a broker or a worker passes on counts at each hop."));
}

/* A node that failed (a busy port, say) says why, once per run. */
static void
show_node_error (ZsWindow *self)
{
  ZsTopology *topology = zs_run_session_get_topology (self->session);
  const ZsSnapshot *snapshot = zs_run_session_get_snapshot (self->session);

  for (guint i = 0; i < snapshot->n_nodes && !self->node_error_shown; i++)
    {
      const ZsNodeStats *stats = &snapshot->nodes[i];
      g_autofree char *message = NULL;

      if (stats->state != ZS_NODE_STATE_ERROR)
        continue;

      message = g_strdup_printf (_("Node “%s” failed: %s"),
                                 zs_node_get_name (zs_topology_get_node (topology, i)),
                                 stats->error != NULL ? stats->error : _("unknown error"));
      zs_window_show_banner (self, ZS_BANNER_ERROR, message);
      self->node_error_shown = TRUE;
    }
}

static void
set_paused_state (ZsWindow *self,
                  gboolean  paused)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "pause");

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (paused));
}

/* The views show the session: the canvas, its inspector, the charts and
 * the message view. NULL: back to the editing view. */
static void
show_session (ZsWindow     *self,
              ZsRunSession *session)
{
  zs_canvas_set_session (self->canvas, session);
  zs_charts_set_session (ZS_CHARTS (self->charts), session);
  zs_message_view_set_session (ZS_MESSAGE_VIEW (self->message_view), session);
  zs_timeline_set_session (ZS_TIMELINE (self->timeline), session);
  zs_event_list_set_session (ZS_EVENT_LIST (self->event_list), session);
}

static void
on_session_updated_cb (ZsWindow *self)
{
  gint64 now = g_get_monotonic_time ();

  /* Following the run, a later tick brings the figures skipped here; a
   * moment the cursor moved to is shown at once. */
  if (zs_run_session_is_following (self->session) && now - self->last_status_us < STATUS_INTERVAL_US)
    return;
  self->last_status_us = now;
  update_status (self);
  show_node_error (self);
}

/* The run is over, stopped or finished: its figures settle, its last state
 * stays on the canvas, and the topology can be edited and run again. */
static void
on_session_ended_cb (ZsWindow *self)
{
  const char *stop_reason = zs_run_session_get_snapshot (self->session)->stop_reason;

  zs_canvas_set_running (self->canvas, FALSE);
  set_paused_state (self, FALSE);
  _zs_window_update_actions (self);
  update_status (self);
  /* The engine stopped the run by itself (the memory cap): say why. */
  if (stop_reason != NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The run was stopped: %s"), stop_reason);

      zs_window_show_banner (self, ZS_BANNER_ERROR, message);
    }
}

void
_zs_window_forget_run (ZsWindow *self)
{
  if (self->session == NULL || _zs_window_is_running (self))
    return;
  g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  show_session (self, NULL);
  update_status (self);
  _zs_window_update_actions (self);
}

/* A run of the topology as it is now, at the chosen speed; NULL with a
 * banner if it cannot start. */
static ZsRunSession *
start_session (ZsWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsEngine) engine = zs_engine_new (zs_canvas_get_topology (self->canvas));
  g_autoptr(ZsEngineSource) source = NULL;

  zs_engine_set_speed (engine, speed_to_rate (self->speed));
  if (self->settings != NULL)
    zs_engine_set_memory_cap (engine, (guint64) g_settings_get_int (self->settings, "memory-cap-mib") << 20);
  /* One at a time: paused from the start, Step lets one message through. */
  if (self->speed == ZS_WINDOW_SPEED_STEP)
    zs_engine_pause (engine);
  if (!zs_engine_start (engine, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not start the run: %s"), error->message);

      zs_window_show_banner (self, ZS_BANNER_ERROR, message);
      return NULL;
    }
  source = zs_engine_source_new (engine);
  return zs_run_session_new (ZS_RUN_SOURCE (source));
}

static void
refuse_to_run (ZsWindow *self)
{
  const ZsFinding *first = g_ptr_array_index (self->findings, 0);
  g_autofree char *location = _zs_window_dup_finding_location (self, first);
  g_autofree char *message = NULL;
  guint n_errors = 0;

  for (guint i = 0; i < self->findings->len; i++)
    if (((ZsFinding *) g_ptr_array_index (self->findings, i))->severity == ZS_SEVERITY_ERROR)
      n_errors++;

  message = g_strdup_printf (ngettext ("Cannot run: %u error must be fixed first: %s%s%s",
                                       "Cannot run: %u errors must be fixed first: %s%s%s",
                                       n_errors),
                             n_errors, location, *location != '\0' ? ": " : "", first->message);
  zs_window_show_banner (self, ZS_BANNER_ERROR, message);
  /* Hidden again once the errors are fixed. */
  self->run_refused = TRUE;
}

void
_zs_window_show_session (ZsWindow     *self,
                         ZsRunSession *session)
{
  _zs_window_hide_banner (self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  self->node_error_shown = FALSE;
  self->last_status_us = 0;
  g_signal_connect_object (session, "updated", G_CALLBACK (on_session_updated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "ended", G_CALLBACK (on_session_ended_cb), self,
                           G_CONNECT_SWAPPED);

  zs_canvas_set_running (self->canvas, zs_run_session_is_live (session));
  show_session (self, session);
  set_paused_state (self, is_paused (self));
  _zs_window_update_actions (self);
  update_status (self);
}

static void
run_action (GSimpleAction *action,
            GVariant      *param,
            gpointer       user_data)
{
  ZsWindow *self = user_data;
  g_autoptr(ZsRunSession) session = NULL;

  if (_zs_window_is_running (self))
    return;

  /* Out of the inspector, whose editors the run locks: a field that loses
   * its focus by being made insensitive never hears of it (GTK warns). */
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  _zs_window_validate_now (self);
  if (zs_findings_have_errors (self->findings))
    {
      refuse_to_run (self);
      return;
    }

  session = start_session (self);
  if (session != NULL)
    _zs_window_show_session (self, session);
  if (session != NULL)
    _zs_window_play_lesson_faults (self);
}

static void
pause_change_state (GSimpleAction *action,
                    GVariant      *state,
                    gpointer       user_data)
{
  ZsWindow *self = user_data;

  if (!_zs_window_is_running (self))
    return;

  g_simple_action_set_state (action, state);
  if (g_variant_get_boolean (state))
    zs_run_session_pause (self->session);
  else
    zs_run_session_resume (self->session);
  _zs_window_update_actions (self);
  update_status (self);
}

static void
step_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  ZsWindow *self = user_data;

  if (!_zs_window_is_running (self))
    return;

  /* Step means one at a time: a running engine pauses first. */
  if (!is_paused (self))
    {
      zs_run_session_pause (self->session);
      set_paused_state (self, TRUE);
      _zs_window_update_actions (self);
    }
  zs_run_session_step (self->session);
  update_status (self);
}

/* Speed */

void
_zs_window_set_speed (ZsWindow      *self,
                      ZsWindowSpeed  speed)
{
  ZsWindowSpeed old = self->speed;

  speed = MIN (speed, ZS_WINDOW_SPEED_FULL);
  self->speed = speed;
  if (gtk_drop_down_get_selected (self->speed_dropdown) != speed)
    gtk_drop_down_set_selected (self->speed_dropdown, speed);

  if (_zs_window_is_running (self))
    {
      zs_run_session_set_speed (self->session, speed_to_rate (speed));
      if (speed == ZS_WINDOW_SPEED_STEP && !is_paused (self))
        zs_run_session_pause (self->session);
      else if (old == ZS_WINDOW_SPEED_STEP && speed != ZS_WINDOW_SPEED_STEP && is_paused (self))
        zs_run_session_resume (self->session);
      set_paused_state (self, is_paused (self));
      update_status (self);
    }
  _zs_window_update_actions (self);
}

static void
on_speed_selected_cb (ZsWindow    *self,
                      GParamSpec  *pspec,
                      GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (selected != GTK_INVALID_LIST_POSITION && selected != self->speed)
    _zs_window_set_speed (self, (ZsWindowSpeed) selected);
}

void
_zs_window_stop_run (ZsWindow *self)
{
  if (_zs_window_is_running (self))
    zs_run_session_stop (self->session);
}

static void
stop_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  _zs_window_stop_run (user_data);
}

/* Presentation mode, for projectors: fullscreen, the canvas alone (no
 * palette, inspector or bottom panel) and in its presentation sizes; Esc
 * leaves it. */
static void
present_mode_change_state (GSimpleAction *action,
                           GVariant      *state,
                           gpointer       user_data)
{
  ZsWindow *self = user_data;
  gboolean on = g_variant_get_boolean (state);

  g_simple_action_set_state (action, state);
  gtk_widget_set_visible (self->palette, !on);
  gtk_widget_set_visible (gtk_widget_get_next_sibling (self->palette), !on);
  gtk_widget_set_visible (self->inspector, !on);
  gtk_widget_set_visible (gtk_widget_get_prev_sibling (self->inspector), !on);
  gtk_widget_set_visible (self->bottom_panel, !on);
  gtk_widget_set_visible (gtk_widget_get_prev_sibling (self->bottom_panel), !on);
  if (on)
    gtk_window_fullscreen (GTK_WINDOW (self));
  else
    gtk_window_unfullscreen (GTK_WINDOW (self));
  zs_canvas_set_presentation (self->canvas, on);
  set_action_enabled (self, "leave-presentation", on);
  if (on)
    gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
leave_presentation_action (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  g_action_group_change_action_state (G_ACTION_GROUP (user_data), "present-mode",
                                      g_variant_new_boolean (FALSE));
}

/* Compare…: variants of the topology as it is now, each run apart. */
static void
compare_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  ZsWindow *self = user_data;
  ZsCompareDialog *dialog = zs_compare_dialog_new (GTK_WINDOW (self), zs_canvas_get_topology (self->canvas));

  gtk_window_present (GTK_WINDOW (dialog));
}

/* A fault, live, from the canvas's menu or keys: (kind, node or link
 * index, slow factor, delay in ms or loss in percent); the engine's
 * refusal shows in the banner. */
static void
fault_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  static const struct { const char *name; ZsFaultKind kind; } kinds[] = {
    { "kill", ZS_FAULT_KILL }, { "restart", ZS_FAULT_RESTART },
    { "pause", ZS_FAULT_PAUSE }, { "resume", ZS_FAULT_RESUME },
    { "slow", ZS_FAULT_SLOW }, { "cut", ZS_FAULT_CUT }, { "restore", ZS_FAULT_RESTORE },
    { "delay", ZS_FAULT_DELAY }, { "loss", ZS_FAULT_LOSS },
  };
  ZsWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  ZsFaultStep step = { 0 };
  const char *name;
  guint i;

  if (self->session == NULL)
    return;
  g_variant_get (param, "(&sud)", &name, &step.target, &step.factor);
  for (i = 0; i < G_N_ELEMENTS (kinds) && g_strcmp0 (kinds[i].name, name) != 0; i++)
    ;
  g_return_if_fail (i < G_N_ELEMENTS (kinds));
  step.kind = kinds[i].kind;
  if (!zs_run_session_apply_fault (self->session, &step, &error))
    zs_window_show_banner (self, ZS_BANNER_ERROR, error->message);
}

static const GActionEntry win_entries[] = {
  { "run", run_action },
  { "pause", NULL, NULL, "false", pause_change_state },
  { "stop", stop_action },
  { "step", step_action },
  { "open", open_action },
  { "save", save_action },
  { "save-as", save_as_action },
  { "export-png", export_png_action },
  { "export-svg", export_svg_action },
  { "undo", undo_action },
  { "redo", redo_action },
  { "present-mode", NULL, NULL, "false", present_mode_change_state },
  { "leave-presentation", leave_presentation_action },
  { "compare", compare_action },
  { "fault", fault_action, "(sud)" },
};

void
_zs_window_init_actions (ZsWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);
  add_canvas_actions (self);
  _zs_window_init_recording_actions (self);
  _zs_window_init_attach (self);
  /* Only in presentation mode does Esc belong to it. */
  set_action_enabled (self, "leave-presentation", FALSE);

  self->speed = MIN (gtk_drop_down_get_selected (self->speed_dropdown), ZS_WINDOW_SPEED_FULL);
  g_signal_connect_object (self->speed_dropdown, "notify::selected",
                           G_CALLBACK (on_speed_selected_cb), self, G_CONNECT_SWAPPED);
}
