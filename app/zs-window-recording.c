/* zs-window-recording.c: recordings opened in the window and saved from it
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "zs-recording-source.h"
#include "zs-window-private.h"

#define RECORDING_PATTERN "*.zsrec"

gboolean
_zs_window_is_recording_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);

  return name != NULL && g_str_has_suffix (name, ".zsrec");
}

ZsTopology *
_zs_window_load_recording (GFile        *file,
                           ZsRecording **recording,
                           GError      **error)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("only local files can be opened"));
      return NULL;
    }
  *recording = zs_recording_load (path, error);
  if (*recording == NULL)
    return NULL;
  return zs_topology_copy (zs_recording_get_topology (*recording));
}

void
_zs_window_show_recording (ZsWindow    *self,
                           ZsRecording *recording)
{
  g_autoptr(ZsRecordingSource) source = zs_recording_source_new (recording);
  g_autoptr(ZsRunSession) session = zs_run_session_new (ZS_RUN_SOURCE (source));

  _zs_window_show_session (self, session);
}

gboolean
_zs_window_save_recording (ZsWindow  *self,
                           GFile     *file,
                           GError   **error)
{
  g_autofree char *path = g_file_get_path (file);

  g_return_val_if_fail (self->session != NULL, FALSE);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("only local files can be saved"));
      return FALSE;
    }
  return zs_recording_save (zs_run_session_get_recording (self->session), path, error);
}

static void
save_recording_done (ZsWindow *self,
                     GFile    *file)
{
  g_autoptr(GError) error = NULL;

  if (self->session == NULL)
    return;
  if (!_zs_window_save_recording (self, file, &error))
    /* Translators: %s are the file name and the reason */
    _zs_window_show_file_error (self, _("Could not save “%s”: %s"), file, error);
}

static void
save_recording_action (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  ZsWindow *self = user_data;
  g_autofree char *name = NULL;

  if (self->session == NULL)
    return;
  name = _zs_window_dup_suggested_name (self, ".zsrec");
  _zs_window_choose_file (self, GTK_FILE_CHOOSER_ACTION_SAVE, _("Save Recording"),
                          _("zmqscope recordings (*.zsrec)"), RECORDING_PATTERN, name, save_recording_done);
}

static const GActionEntry recording_entries[] = {
  { "save-recording", save_recording_action },
};

void
_zs_window_init_recording_actions (ZsWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), recording_entries,
                                   G_N_ELEMENTS (recording_entries), self);
}
