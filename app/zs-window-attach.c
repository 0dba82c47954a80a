/* zs-window-attach.c: Attach…: the window shows ZeroMQ programs seen from the wire
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dialog chooses a live interface or a capture file, and ports; the
 * window then shows a session over a ZsWireSource as it shows a run. The
 * wire's topology grows as programs connect: each new shape becomes the
 * document (arranged by the canvas, cards apart) with a new session over
 * the same source, which the old one hands over without stopping it. A
 * file is shown once read to its end. Save As writes the programs as
 * external nodes; Save Capture writes the session's recording. */
#define G_LOG_DOMAIN "zs-window"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-attach-dialog.h"
#include "zs-window-private.h"

/* A helper sends its state at once to a new client: this is long enough. */
#define SILENCE_SECONDS 3

/* A session over the attached source, its topology the document. */
static void
show_attached (ZsWindow *self)
{
  ZsRunSource *source = ZS_RUN_SOURCE (self->attached);
  g_autoptr(ZsRunSession) session = zs_run_session_new (source);

  if (self->session != NULL && zs_run_session_get_source (self->session) == source)
    zs_run_session_detach (self->session);
  _zs_window_set_document (self, zs_live_model_get_topology (zs_run_session_get_live_model (session)));
  _zs_window_show_session (self, session);
}

/* Still following the attached source, which has a newer shape than the
 * one shown. */
static gboolean
on_attach_idle_cb (gpointer data)
{
  ZsWindow *self = data;
  ZsRunSource *source = ZS_RUN_SOURCE (self->attached);

  self->attach_idle_id = 0;
  if (self->session != NULL && zs_run_session_get_source (self->session) == source
      && zs_run_session_is_live (self->session)
      && zs_canvas_get_topology (self->canvas) != zs_run_source_get_topology (source))
    show_attached (self);
  return G_SOURCE_REMOVE;
}

/* Emitted inside a session's tick: the new session comes after it. */
static void
on_attached_topology_changed_cb (ZsWindow *self)
{
  if (self->attach_idle_id == 0)
    self->attach_idle_id = g_idle_add (on_attach_idle_cb, self);
}

static gboolean
on_file_watch_cb (gpointer data)
{
  ZsWindow *self = data;
  const char *problem;

  if (!zs_wire_source_is_finished (self->attached))
    return G_SOURCE_CONTINUE;
  self->attach_watch_id = 0;
  show_attached (self);
  /* A file cut in a packet: what came before is shown, and why it ends. */
  problem = zs_wire_source_get_problem (self->attached);
  if (problem != NULL)
    zs_window_show_banner (self, ZS_BANNER_ERROR, problem);
  return G_SOURCE_REMOVE;
}

/* The status line's words for the wire: the packets the kernel dropped
 * before the helper read them, short enough to be seen in the header. */
char *
_zs_window_get_attach_status (ZsWindow *self)
{
  g_autofree char *count = NULL;
  ZsWireTopology *wire;

  if (self->attached == NULL || self->session == NULL
      || zs_run_session_get_source (self->session) != ZS_RUN_SOURCE (self->attached))
    return NULL;
  wire = zs_wire_source_get_wire_topology (self->attached);
  if (!wire->live)
    return NULL;
  count = g_strdup_printf ("%" G_GUINT64_FORMAT, wire->kernel_dropped);
  /* Translators: packets the capture lost before zmqscope's helper read them; %s is their number */
  return g_strdup_printf (_("kernel drops: %s"), count);
}

/* A helper that has not answered by now never will: not running there,
 * or not the key pinned (CURVE lets nothing through). */
static gboolean
on_silence_cb (gpointer data)
{
  ZsWindow *self = data;

  self->attach_silence_id = 0;
  for (guint i = 0; i < zs_wire_source_get_n_helpers (self->attached); i++)
    if (!zs_wire_source_helper_answered (self->attached, i))
      {
        /* Translators: %s is a capture helper's endpoint, tcp://HOST:PORT */
        g_autofree char *message = g_strdup_printf (_("No answer from the capture helper at %s: it is not running "
                                                      "there, or its key is not the one given."),
                                                    zs_wire_source_get_helper_endpoint (self->attached, i));

        zs_window_show_banner (self, ZS_BANNER_ERROR, message);
        break;
      }
  return G_SOURCE_REMOVE;
}

void
_zs_window_dispose_attach (ZsWindow *self)
{
  g_clear_handle_id (&self->attach_silence_id, g_source_remove);
  g_clear_handle_id (&self->attach_idle_id, g_source_remove);
  g_clear_handle_id (&self->attach_watch_id, g_source_remove);
  if (self->attached != NULL)
    g_signal_handlers_disconnect_by_data (self->attached, self);
  g_clear_object (&self->attached);
}

static void
attach_source (ZsWindow     *self,
               ZsWireSource *source)
{
  _zs_window_stop_run (self);
  _zs_window_dispose_attach (self);
  self->attached = g_object_ref (source);
  g_signal_connect_object (source, "topology-changed", G_CALLBACK (on_attached_topology_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->attach_silence_id = g_timeout_add_seconds (SILENCE_SECONDS, on_silence_cb, self);
  if (zs_run_source_get_flags (ZS_RUN_SOURCE (source)) & ZS_RUN_SOURCE_LIVE)
    show_attached (self);
  else
    self->attach_watch_id = zs_run_source_add_watch (ZS_RUN_SOURCE (source), on_file_watch_cb, self);
}

/* "tcp://a:5600 KEY, ipc:///run/x/stream": the helpers, each with its key. */
static ZsWireSource *
follow_helpers (const char  *text,
                GError     **error)
{
  g_auto(GStrv) items = g_strsplit (text, ",", -1);
  g_autoptr(GStrvBuilder) endpoints = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();
  g_auto(GStrv) endpoint_list = NULL, key_list = NULL;

  for (guint i = 0; items[i] != NULL; i++)
    {
      g_auto(GStrv) words = g_strsplit_set (g_strstrip (items[i]), " \t", -1);
      g_autoptr(GPtrArray) kept = g_ptr_array_new ();

      for (guint w = 0; words[w] != NULL; w++)
        if (*words[w] != '\0')
          g_ptr_array_add (kept, words[w]);
      if (kept->len == 0)
        continue;
      if (kept->len > 2)
        {
          g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN,
                       _("“%s”: a helper is its endpoint and its key, nothing more"), items[i]);
          return NULL;
        }
      g_strv_builder_add (endpoints, g_ptr_array_index (kept, 0));
      g_strv_builder_add (keys, kept->len > 1 ? (const char *) g_ptr_array_index (kept, 1) : "");
    }
  endpoint_list = g_strv_builder_end (endpoints);
  key_list = g_strv_builder_end (keys);
  if (endpoint_list[0] == NULL)
    {
      g_set_error_literal (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN,
                           _("give the endpoint of a capture helper, and the key it printed"));
      return NULL;
    }
  return zs_wire_source_new_remote ((const char * const *) endpoint_list, (const char * const *) key_list, error);
}

static void
on_attach_cb (ZsAttachDialog *dialog,
              ZsWindow       *self)
{
  const char *file = zs_attach_dialog_get_file (dialog);
  const char *helpers = zs_attach_dialog_get_helpers (dialog);
  const char *ports = zs_attach_dialog_get_ports (dialog);
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsWireSource) source = NULL;
  ZsWindow *target = self;

  if (helpers != NULL)
    source = follow_helpers (helpers, &error);
  else if (file != NULL)
    source = zs_wire_source_new_file (file, ports, &error);
  else
    source = zs_wire_source_new_live (zs_attach_dialog_get_interface (dialog), ports, &error);
  if (source == NULL)
    {
      g_autofree char *message = NULL;

      if (file != NULL)
        {
          g_autofree char *name = g_path_get_basename (file);

          /* Translators: %s are the file name and the reason */
          message = g_strdup_printf (_("Could not read “%s”: %s"), name, error->message);
        }
      else
        {
          /* One paragraph: GTK 4.8 mismeasures a wrapped label with line
           * breaks in the banner (a Gtk-CRITICAL). The command stays whole. */
          g_auto(GStrv) lines = g_strsplit (error->message, "\n", -1);
          g_autofree char *reason = NULL;

          for (guint i = 0; lines[i] != NULL; i++)
            g_strstrip (lines[i]);
          reason = g_strjoinv (" ", lines);
          /* Translators: %s is the reason, with the setcap command when the capability is missing */
          message = g_strdup_printf (_("Could not attach: %s"), reason);
        }
      zs_window_show_banner (self, ZS_BANNER_ERROR, message);
      return;
    }
  /* A document of one's own, or a run going on, stays: a new window. */
  if (!zs_window_is_pristine (self))
    {
      target = zs_window_new (ZS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
      gtk_window_present (GTK_WINDOW (target));
    }
  attach_source (target, source);
}

static void
attach_action (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  ZsWindow *self = user_data;
  ZsAttachDialog *dialog = zs_attach_dialog_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "attach", G_CALLBACK (on_attach_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static const GActionEntry attach_entries[] = {
  { "attach", attach_action },
};

void
_zs_window_init_attach (ZsWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), attach_entries,
                                   G_N_ELEMENTS (attach_entries), self);
}
