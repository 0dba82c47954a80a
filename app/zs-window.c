/* zs-window.c: the document, its findings, the banner and closing
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-window"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-charts.h"
#include "zs-examples.h"
#include "zs-inspector.h"
#include "zs-event-list.h"
#include "zs-message-view.h"
#include "zs-palette.h"
#include "zs-timeline.h"
#include "zs-topology-file.h"
#include "zs-validator.h"
#include "zs-window-private.h"

/* The size in zs-window.ui: right for a 1280×800 screen. */
#define DEFAULT_WIDTH 1280
#define DEFAULT_HEIGHT 800

G_DEFINE_FINAL_TYPE (ZsWindow, zs_window, GTK_TYPE_APPLICATION_WINDOW)

/* Keys that text fields use too: handled in the bubble phase, so an entry
 * of the inspector that has the focus keeps them. */
static const struct {
  const char *trigger;
  const char *action;
} local_shortcuts[] = {
  { "Delete", "win.delete" },
  { "KP_Delete", "win.delete" },
  { "<Control>c", "win.copy" },
  { "<Control>v", "win.paste" },
  { "<Control>a", "win.select-all" },
  { "space", "win.pause" },
  { "period", "win.step" },
};

ZsWindow *
zs_window_new (ZsApplication *application)
{
  g_return_val_if_fail (ZS_IS_APPLICATION (application), NULL);

  return g_object_new (ZS_TYPE_WINDOW, "application", application, NULL);
}

ZsHistory *
_zs_window_get_history (ZsWindow *self)
{
  return zs_canvas_get_history (self->canvas);
}

static gboolean
is_modified (ZsWindow *self)
{
  ZsHistory *history = _zs_window_get_history (self);

  return history != NULL && zs_history_get_modified (history);
}

gboolean
zs_window_is_pristine (ZsWindow *self)
{
  g_return_val_if_fail (ZS_IS_WINDOW (self), FALSE);

  return (self->file == NULL || self->is_example) &&
         !is_modified (self) && !_zs_window_is_running (self);
}

/* Title */

static char *
dup_display_name (ZsWindow *self)
{
  const char *lesson = _zs_window_get_lesson_title (self);

  /* The student's untitled document is the lesson's. */
  if (self->file == NULL && lesson != NULL)
    return g_strdup (lesson);
  if (self->file == NULL && self->recording_file != NULL)
    return g_file_get_basename (self->recording_file);
  if (self->file == NULL)
    return g_strdup (_("Untitled topology"));

  return g_file_get_basename (self->file);
}

static char *
dup_subtitle (ZsWindow *self)
{
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);
  const char *title = topology != NULL ? zs_topology_get_title (topology) : NULL;

  /* The title names the lesson already. */
  if (self->file == NULL && _zs_window_get_lesson_title (self) != NULL)
    return g_strdup (_("Lesson · not saved yet"));
  if (title == NULL || *title == '\0')
    title = _("Drag sockets from the palette onto the canvas");
  /* A shipped example's, translated even when opened by its path. */
  title = zs_examples_translate_title (title);

  if (self->is_example)
    /* Translators: the subtitle of a bundled example; %s is its title,
     * translated with the Examples menu (app/zs-examples.c) */
    return g_strdup_printf (_("Example: %s"), title);

  return g_strdup (title);
}

void
_zs_window_update_title (ZsWindow *self)
{
  g_autofree char *name = dup_display_name (self);
  g_autofree char *subtitle = dup_subtitle (self);
  g_autofree char *title = is_modified (self) ? g_strdup_printf ("• %s", name)
                                              : g_strdup (name);
  g_autofree char *window_title = g_strdup_printf ("%s — zmqscope", title);

  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->subtitle_label, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
}

/* Banner */

void
zs_window_show_banner (ZsWindow     *self,
                       ZsBannerKind  kind,
                       const char   *message)
{
  gboolean error = kind == ZS_BANNER_ERROR;

  g_return_if_fail (ZS_IS_WINDOW (self));
  g_return_if_fail (message != NULL);

  gtk_label_set_label (self->banner_label, message);
  gtk_image_set_from_icon_name (self->banner_icon, error ? "dialog-error-symbolic"
                                                         : "dialog-information-symbolic");
  if (error)
    gtk_widget_add_css_class (self->banner_box, "error");
  else
    gtk_widget_remove_css_class (self->banner_box, "error");
  gtk_revealer_set_reveal_child (self->banner_revealer, TRUE);
  self->run_refused = FALSE;
}

void
_zs_window_hide_banner (ZsWindow *self)
{
  gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
  self->run_refused = FALSE;
}

/* Findings */

char *
_zs_window_dup_finding_location (ZsWindow        *self,
                                 const ZsFinding *finding)
{
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);
  ZsNode *node = finding->node != NULL ? zs_topology_find_node (topology, finding->node) : NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (finding->node != NULL)
    g_ptr_array_add (parts, finding->node);
  if (node != NULL && finding->socket >= 0 &&
      (guint) finding->socket < zs_node_get_n_sockets (node))
    g_ptr_array_add (parts, (char *) zs_socket_spec_get_name (zs_node_get_socket (node, finding->socket)));
  if (finding->field != NULL)
    g_ptr_array_add (parts, finding->field);
  g_ptr_array_add (parts, NULL);

  return g_strjoinv (" › ", (char **) parts->pdata);
}

#define FINDING_KEY "zs-finding"

static void
on_add_external_clicked_cb (GtkButton *button,
                            ZsWindow  *self)
{
  const ZsFinding *finding = g_object_get_data (G_OBJECT (button), FINDING_KEY);
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);
  ZsNode *node = topology != NULL ? zs_topology_find_node (topology, finding->node) : NULL;

  if (node == NULL || finding->socket < 0 || (guint) finding->socket >= zs_node_get_n_sockets (node))
    return;
  zs_canvas_add_external_peer (self->canvas, node, finding->socket, finding->fix_endpoint,
                               g_strcmp0 (finding->field, "binds") == 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

/* The finding's one-click fix, or NULL. */
static GtkWidget *
create_fix_button (ZsWindow        *self,
                   const ZsFinding *finding)
{
  GtkWidget *button;

  if (finding->fix != ZS_FINDING_FIX_ADD_EXTERNAL || finding->node == NULL)
    return NULL;
  button = gtk_button_new_with_label (_("Add external program here"));
  gtk_widget_set_tooltip_text (button, _("Draw the outside program this socket talks to: "
                                         "zmqscope shows it and its links, and runs nothing for it"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "suggested-action");
  g_object_set_data_full (G_OBJECT (button), FINDING_KEY, zs_finding_copy (finding),
                          (GDestroyNotify) zs_finding_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_add_external_clicked_cb), self);
  return button;
}

static GtkWidget *
create_finding_row (ZsWindow        *self,
                    const ZsFinding *finding)
{
  gboolean error = finding->severity == ZS_SEVERITY_ERROR;
  g_autofree char *location = _zs_window_dup_finding_location (self, finding);
  g_autofree char *markup = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  /* The fix goes under the text, not beside it: a wrapping label beside a
   * button in one row is measured at too little height and cut off. */
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *icon = gtk_image_new_from_icon_name (error ? "dialog-error-symbolic"
                                                        : "dialog-warning-symbolic");
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *fix = create_fix_button (self, finding);

  if (*location != '\0')
    markup = g_markup_printf_escaped ("<b>%s</b>: %s", location, finding->message);
  else
    markup = g_markup_escape_text (finding->message, -1);

  gtk_widget_add_css_class (icon, error ? "error" : "warning");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), label);
  if (fix != NULL)
    {
      gtk_widget_set_halign (fix, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (text), fix);
    }
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), text);
  gtk_widget_set_tooltip_text (box, _("Click to select it on the canvas"));

  return box;
}

static void
update_findings_title (ZsWindow *self)
{
  guint n_errors = 0;
  guint n_warnings;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *counts = NULL;
  g_autofree char *title = NULL;

  for (guint i = 0; i < self->findings->len; i++)
    if (((ZsFinding *) g_ptr_array_index (self->findings, i))->severity == ZS_SEVERITY_ERROR)
      n_errors++;
  n_warnings = self->findings->len - n_errors;

  if (n_errors > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u error", "%u errors", n_errors), n_errors));
  if (n_warnings > 0)
    g_ptr_array_add (parts, g_strdup_printf (ngettext ("%u warning", "%u warnings", n_warnings), n_warnings));
  if (parts->len == 0)
    g_ptr_array_add (parts, g_strdup (_("none")));
  g_ptr_array_add (parts, NULL);

  counts = g_strjoinv (", ", (char **) parts->pdata);
  /* Translators: "Problems: 2 errors, 1 warning" */
  title = g_strdup_printf (_("Problems: %s"), counts);
  gtk_label_set_label (self->findings_title, title);
}

static void
show_findings (ZsWindow *self)
{
  GtkListBoxRow *row;

  /* Not the first child: that may be the placeholder. */
  while ((row = gtk_list_box_get_row_at_index (self->findings_list, 0)) != NULL)
    gtk_list_box_remove (self->findings_list, GTK_WIDGET (row));

  for (guint i = 0; i < self->findings->len; i++)
    gtk_list_box_append (self->findings_list,
                         create_finding_row (self, g_ptr_array_index (self->findings, i)));

  update_findings_title (self);
  _zs_window_update_findings_hint (self);
}

gboolean
_zs_window_is_empty (ZsWindow *self)
{
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);

  return topology == NULL || zs_topology_get_n_nodes (topology) == 0;
}

void
_zs_window_validate_now (ZsWindow *self)
{
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);

  g_clear_handle_id (&self->validate_idle_id, g_source_remove);
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  if (topology != NULL)
    self->findings = zs_validate (topology);
  else
    self->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_finding_free);

  zs_canvas_set_findings (self->canvas, self->findings);
  show_findings (self);
  _zs_window_update_actions (self);
  /* "Cannot run" is no longer true once the errors are gone. */
  if (self->run_refused && !zs_findings_have_errors (self->findings))
    _zs_window_hide_banner (self);
}

static gboolean
validate_idle_cb (gpointer user_data)
{
  ZsWindow *self = user_data;

  self->validate_idle_id = 0;
  _zs_window_validate_now (self);

  return G_SOURCE_REMOVE;
}

static void
on_topology_changed_cb (ZsWindow *self)
{
  /* An edit once the run is over: back to the editing view. */
  _zs_window_forget_run (self);
  /* A drag changes the topology on every motion event: validate once. */
  if (self->validate_idle_id == 0)
    self->validate_idle_id = g_idle_add (validate_idle_cb, self);
}

static void
on_finding_activated_cb (GtkListBox    *list,
                         GtkListBoxRow *row,
                         ZsWindow      *self)
{
  int index = gtk_list_box_row_get_index (row);
  const ZsFinding *finding;
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);

  if (index < 0 || (guint) index >= self->findings->len)
    return;

  finding = g_ptr_array_index (self->findings, index);
  if (finding->link >= 0)
    zs_canvas_select_link (self->canvas, finding->link);
  else if (finding->node != NULL)
    zs_canvas_select_node (self->canvas, zs_topology_find_node (topology, finding->node));

  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

/* Document */

static void
set_document (ZsWindow   *self,
              ZsTopology *topology,
              GFile      *file,
              gboolean    is_example)
{
  ZsHistory *history;

  /* A finished run's last state stays on the canvas until now. */
  _zs_window_forget_run (self);
  _zs_window_close_lesson (self);
  zs_canvas_set_topology (self->canvas, topology);
  g_set_object (&self->file, file);
  g_clear_object (&self->recording_file);
  self->is_example = is_example;

  history = _zs_window_get_history (self);
  if (history != NULL)
    {
      zs_history_clear (history);
      zs_history_mark_saved (history);
    }

  _zs_window_hide_banner (self);
  _zs_window_validate_now (self);
  _zs_window_update_title (self);
  zs_canvas_fit (self->canvas);
}

void
_zs_window_set_document (ZsWindow   *self,
                         ZsTopology *topology)
{
  set_document (self, topology, NULL, FALSE);
}

static ZsTopology *
load_topology (GFile   *file,
               GError **error)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("only local files can be opened"));
      return NULL;
    }

  return zs_topology_load_from_file (path, error);
}

void
_zs_window_show_file_error (ZsWindow   *self,
                            const char *format,
                            GFile      *file,
                            const GError *error)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *message = g_strdup_printf (format, name, error->message);

  zs_window_show_banner (self, ZS_BANNER_ERROR, message);
}

ZsWindow *
zs_window_open_file (ZsWindow    *self,
                     GFile       *file,
                     ZsOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) topology = NULL;
  g_autoptr(ZsRecording) recording = NULL;
  ZsWindow *target = self;

  g_return_val_if_fail (ZS_IS_WINDOW (self), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (_zs_window_is_recording_file (file))
    topology = _zs_window_load_recording (file, &recording, &error);
  else
    topology = load_topology (file, &error);
  if (topology == NULL && recording == NULL && _zs_window_is_lesson_file (file))
    return _zs_window_open_lesson (self, file, flags);
  if (topology == NULL)
    {
      /* Translators: %s are the file name and the reason (with line:column) */
      _zs_window_show_file_error (self, _("Could not open “%s”: %s"), file, error);
      return self;
    }

  if (!(flags & ZS_OPEN_HERE) && (is_modified (self) || _zs_window_is_running (self)))
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

      target = zs_window_new (ZS_APPLICATION (app));
      gtk_window_present (GTK_WINDOW (target));
    }

  /* A recording's topology is a new document: saving it never writes
   * over the recording. */
  set_document (target, topology, recording != NULL ? NULL : file, (flags & ZS_OPEN_EXAMPLE) != 0);
  if (recording != NULL)
    {
      g_set_object (&target->recording_file, file);
      _zs_window_update_title (target);
      _zs_window_show_recording (target, recording);
    }

  return target;
}

gboolean
_zs_window_save_to_file (ZsWindow  *self,
                         GFile     *file,
                         GError   **error)
{
  g_autofree char *path = g_file_get_path (file);
  ZsHistory *history = _zs_window_get_history (self);

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("only local files can be saved"));
      return FALSE;
    }

  if (!zs_topology_save_to_file (zs_canvas_get_topology (self->canvas), path, error))
    return FALSE;

  g_set_object (&self->file, file);
  self->is_example = FALSE;
  if (history != NULL)
    zs_history_mark_saved (history);
  _zs_window_update_title (self);

  return TRUE;
}

/* Examples and palette */

static GtkWidget *
create_example_row (const ZsExample *example)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  /* Translators: an example in the Examples menu: its lesson number and title */
  g_autofree char *heading = g_strdup_printf (_("%u. %s"), example->number, example->title);
  GtkWidget *title = gtk_label_new (heading);
  GtkWidget *description = gtk_label_new (example->description);

  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (description, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (description), 0);
  /* One line in the menu, the whole lesson in the tooltip. */
  gtk_label_set_ellipsize (GTK_LABEL (description), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (description), 64);
  gtk_label_set_width_chars (GTK_LABEL (description), 64);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), description);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_tooltip_text (row, example->description);
  g_object_set_data_full (G_OBJECT (row), "file-name", g_strdup (example->file_name), g_free);

  return row;
}

static void
populate_examples (ZsWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GPtrArray *examples;

  if (!ZS_IS_APPLICATION (app) || gtk_widget_get_first_child (GTK_WIDGET (self->examples_list)) != NULL)
    return;

  examples = zs_application_get_examples (ZS_APPLICATION (app));
  for (guint i = 0; i < examples->len; i++)
    gtk_list_box_append (self->examples_list, create_example_row (g_ptr_array_index (examples, i)));

  if (examples->len == 0)
    {
      g_autofree char *text = g_strdup_printf (_("No examples found in %s"), zs_examples_get_dir ());
      GtkWidget *label = gtk_label_new (text);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_list_box_set_placeholder (self->examples_list, label);
    }
}

/* Settings: the window's size and state, the speed, the bottom page */

static const char * const speed_names[] = { "step", "1", "5", "20", "100", "full" };
G_STATIC_ASSERT (G_N_ELEMENTS (speed_names) == ZS_WINDOW_SPEED_FULL + 1);

static gboolean
speed_from_setting (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *name = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (speed_names); i++)
    if (g_str_equal (name, speed_names[i]))
      {
        g_value_set_uint (value, i);
        return TRUE;
      }

  return FALSE;
}

static GVariant *
speed_to_setting (const GValue       *value,
                  const GVariantType *type,
                  gpointer            user_data)
{
  guint speed = g_value_get_uint (value);

  return speed < G_N_ELEMENTS (speed_names) ? g_variant_new_string (speed_names[speed]) : NULL;
}

void
_zs_window_first_size (const GdkRectangle *screen,
                       int                *width,
                       int                *height)
{
  g_return_if_fail (screen != NULL && width != NULL && height != NULL);

  /* 1280×800 leaves a third of a 1920×1080 projector unused: take nine
   * tenths of a large screen, never more than a small one. */
  *width = MIN (MAX (DEFAULT_WIDTH, screen->width * 9 / 10), screen->width);
  *height = MIN (MAX (DEFAULT_HEIGHT, screen->height * 9 / 10), screen->height);
}

/* Until the user has sized a window, the first one fits the screen it
 * opens on (the display's first monitor: the window has none yet). */
static void
set_first_size (ZsWindow *self)
{
  GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
  GdkRectangle screen;
  int width, height;

  if (monitor == NULL)
    return;
  gdk_monitor_get_geometry (monitor, &screen);
  _zs_window_first_size (&screen, &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
}

/* A new window starts as the last one was left; the open windows then
 * write what changes but do not follow each other. */
static void
bind_settings (ZsWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  GSettingsBindFlags flags = G_SETTINGS_BIND_DEFAULT | G_SETTINGS_BIND_GET_NO_CHANGES;

  if (!ZS_IS_APPLICATION (app) || self->settings != NULL)
    return;
  self->settings = zs_application_get_settings (ZS_APPLICATION (app));
  if (self->settings == NULL)
    return;
  g_object_ref (self->settings);

  if (g_settings_get_user_value (self->settings, "window-width") != NULL)
    gtk_window_set_default_size (GTK_WINDOW (self),
                                 g_settings_get_int (self->settings, "window-width"),
                                 g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind_with_mapping (self->settings, "speed", self->speed_dropdown, "selected", flags,
                                speed_from_setting, speed_to_setting, NULL, NULL);
  g_settings_bind (self->settings, "bottom-page", self->bottom_stack, "visible-child-name", flags);
}

/* On closing: resizing would write on every frame. The default size is
 * the unmaximised one. */
static void
save_window_state (ZsWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  if (width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
}

/* The window gets its application after construction. */
static void
on_application_set_cb (ZsWindow *self)
{
  populate_examples (self);
  set_first_size (self);
  bind_settings (self);
}

static void
on_example_activated_cb (GtkListBox    *list,
                         GtkListBoxRow *row,
                         ZsWindow      *self)
{
  const char *file_name = g_object_get_data (G_OBJECT (row), "file-name");

  gtk_menu_button_popdown (self->examples_button);
  gtk_widget_activate_action (GTK_WIDGET (self), "app.open-example", "s", file_name);
}

/* Enter on a card: its settings, with the keyboard in them. */
static void
on_node_activated_cb (ZsWindow *self,
                      ZsNode   *node)
{
  if (gtk_widget_get_visible (self->inspector))
    gtk_widget_child_focus (self->inspector, GTK_DIR_TAB_FORWARD);
}

static void
on_role_activated_cb (GtkWidget *palette,
                      guint      role,
                      ZsWindow  *self)
{
  if (!_zs_window_is_running (self))
    zs_canvas_add_node_at_center (self->canvas, (ZsRole) role);
}

/* Drag and drop of files */

static gboolean
on_drop_cb (GtkDropTarget *target,
            const GValue  *value,
            double         x,
            double         y,
            ZsWindow      *self)
{
  g_autoptr(GSList) files = NULL;

  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    files = g_slist_copy (gdk_file_list_get_files (g_value_get_boxed (value)));
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    files = g_slist_prepend (NULL, g_value_get_object (value));

  if (files == NULL)
    return FALSE;

  zs_window_open_file (self, files->data, 0);

  /* The others each in a window of their own. */
  for (GSList *l = files->next; l != NULL; l = l->next)
    {
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
      ZsWindow *window = zs_window_new (ZS_APPLICATION (app));

      zs_window_open_file (window, l->data, ZS_OPEN_HERE);
      gtk_window_present (GTK_WINDOW (window));
    }

  return TRUE;
}

static void
setup_drop_target (ZsWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  GType types[] = { GDK_TYPE_FILE_LIST, G_TYPE_FILE };

  gtk_drop_target_set_gtypes (target, types, G_N_ELEMENTS (types));
  g_signal_connect (target, "drop", G_CALLBACK (on_drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
}

static void
setup_local_shortcuts (ZsWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  for (guint i = 0; i < G_N_ELEMENTS (local_shortcuts); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (controller),
                                          gtk_shortcut_new (gtk_shortcut_trigger_parse_string (local_shortcuts[i].trigger),
                                                            gtk_named_action_new (local_shortcuts[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* Closing */

static void
on_close_response_cb (GtkDialog *dialog,
                      int        response,
                      ZsWindow  *self)
{
  gtk_window_destroy (GTK_WINDOW (dialog));

  if (response == GTK_RESPONSE_REJECT)
    gtk_window_destroy (GTK_WINDOW (self));
  else if (response == GTK_RESPONSE_ACCEPT)
    {
      /* Saving closes the window once the file is written. */
      self->close_after_save = TRUE;
      g_action_group_activate_action (G_ACTION_GROUP (self), "save", NULL);
    }
}

static void
ask_save_changes (ZsWindow *self)
{
  g_autofree char *name = dup_display_name (self);
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   _("Save changes to “%s” before closing?"), name);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("If you don’t save, your changes will be lost."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog),
                          _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Discard"), GTK_RESPONSE_REJECT,
                          _("_Save"), GTK_RESPONSE_ACCEPT,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_REJECT),
                            "destructive-action");
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT),
                            "suggested-action");
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static gboolean
zs_window_close_request (GtkWindow *window)
{
  ZsWindow *self = ZS_WINDOW (window);

  save_window_state (self);

  if (is_modified (self))
    {
      ask_save_changes (self);
      return TRUE;
    }

  return GTK_WINDOW_CLASS (zs_window_parent_class)->close_request (window);
}

/* Life cycle */

static void
zs_window_dispose (GObject *object)
{
  ZsWindow *self = ZS_WINDOW (object);

  _zs_window_stop_run (self);
  _zs_window_dispose_attach (self);
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  g_clear_handle_id (&self->validate_idle_id, g_source_remove);
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (self->file_chooser);
  g_clear_object (&self->file_chooser);
  if (self->topology_signals != NULL)
    g_signal_group_set_target (self->topology_signals, NULL);
  if (self->history_signals != NULL)
    g_signal_group_set_target (self->history_signals, NULL);
  g_clear_object (&self->topology_signals);
  g_clear_object (&self->history_signals);
  g_clear_object (&self->history_bindings);

  gtk_widget_dispose_template (GTK_WIDGET (self), ZS_TYPE_WINDOW);

  G_OBJECT_CLASS (zs_window_parent_class)->dispose (object);
}

static void
zs_window_finalize (GObject *object)
{
  ZsWindow *self = ZS_WINDOW (object);

  g_clear_object (&self->file);
  g_clear_object (&self->recording_file);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  G_OBJECT_CLASS (zs_window_parent_class)->finalize (object);
}

void
_zs_window_update_findings_hint (ZsWindow *self)
{
  const char *hint;

  if (self->findings_hint == NULL)
    return;
  if (_zs_window_is_empty (self))
    hint = _("Drag a role from the palette to start: an empty topology has nothing to run.");
  else if (_zs_window_is_running (self))
    hint = _("No problems found. The topology is running.");
  else if (self->session != NULL)
    hint = _("No problems found. The last run’s figures stay on the canvas until the next edit.");
  else
    hint = _("The topology is valid: press Run (F5) to start it.");
  gtk_label_set_label (self->findings_hint, hint);
}

static void
setup_findings_placeholder (ZsWindow *self)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_list_box_set_placeholder (self->findings_list, label);
  self->findings_hint = GTK_LABEL (label);
  _zs_window_update_findings_hint (self);
}

static void
zs_window_class_init (ZsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = zs_window_dispose;
  object_class->finalize = zs_window_finalize;
  window_class->close_request = zs_window_close_request;

  g_type_ensure (ZS_TYPE_CANVAS);
  g_type_ensure (ZS_TYPE_PALETTE);
  g_type_ensure (ZS_TYPE_INSPECTOR);
  g_type_ensure (ZS_TYPE_CHARTS);
  g_type_ensure (ZS_TYPE_MESSAGE_VIEW);
  g_type_ensure (ZS_TYPE_TIMELINE);
  g_type_ensure (ZS_TYPE_EVENT_LIST);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zmqscope/Zmqscope/zs-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, examples_button);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, examples_list);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, banner_box);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, banner_icon);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, palette);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, canvas);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, inspector);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, findings_title);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, findings_list);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, bottom_stack);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, bottom_panel);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, charts);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, message_view);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, lessons_menu);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, timeline);
  gtk_widget_class_bind_template_child (widget_class, ZsWindow, event_list);
  gtk_widget_class_bind_template_callback (widget_class, _zs_window_hide_banner);
  gtk_widget_class_bind_template_callback (widget_class, on_example_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_finding_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_role_activated_cb);
}

static void
setup_document_tracking (ZsWindow *self)
{
  self->topology_signals = g_signal_group_new (ZS_TYPE_TOPOLOGY);
  g_signal_group_connect_swapped (self->topology_signals, "changed",
                                  G_CALLBACK (on_topology_changed_cb), self);
  g_signal_group_connect_swapped (self->topology_signals, "notify::title",
                                  G_CALLBACK (_zs_window_update_title), self);
  g_object_bind_property (self->canvas, "topology", self->topology_signals, "target",
                          G_BINDING_SYNC_CREATE);

  self->history_signals = g_signal_group_new (ZS_TYPE_HISTORY);
  g_signal_group_connect_swapped (self->history_signals, "notify::modified",
                                  G_CALLBACK (_zs_window_update_title), self);
  g_object_bind_property (self->canvas, "history", self->history_signals, "target",
                          G_BINDING_SYNC_CREATE);

  self->history_bindings = g_binding_group_new ();
  g_binding_group_bind (self->history_bindings, "can-undo",
                        g_action_map_lookup_action (G_ACTION_MAP (self), "undo"), "enabled",
                        G_BINDING_SYNC_CREATE);
  g_binding_group_bind (self->history_bindings, "can-redo",
                        g_action_map_lookup_action (G_ACTION_MAP (self), "redo"), "enabled",
                        G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->canvas, "history", self->history_bindings, "source",
                          G_BINDING_SYNC_CREATE);
}

/* The bottom panels follow the canvas's selection. */

static void
on_canvas_selection_cb (ZsWindow *self)
{
  ZsTopology *topology = zs_canvas_get_topology (self->canvas);
  GPtrArray *selection = zs_canvas_get_selection (self->canvas);
  int link = zs_canvas_get_selected_link (self->canvas);
  g_autoptr(GArray) nodes = g_array_new (FALSE, FALSE, sizeof (int));

  for (guint i = 0; topology != NULL && i < selection->len; i++)
    {
      int index = zs_topology_find_node_index (topology, g_ptr_array_index (selection, i));

      if (index >= 0)
        g_array_append_val (nodes, index);
    }
  zs_charts_set_selection (ZS_CHARTS (self->charts), (const int *) nodes->data, nodes->len,
                           link >= 0 ? &link : NULL, link >= 0 ? 1 : 0);
  zs_message_view_set_link (ZS_MESSAGE_VIEW (self->message_view), link);
}

static void
setup_bottom_panels (ZsWindow *self)
{
  g_signal_connect_object (self->canvas, "notify::selected-node", G_CALLBACK (on_canvas_selection_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "notify::selected-link", G_CALLBACK (on_canvas_selection_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
zs_window_init (ZsWindow *self)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  zs_inspector_set_target (ZS_INSPECTOR (self->inspector), self->canvas);
  g_signal_connect_object (self->canvas, "node-activated", G_CALLBACK (on_node_activated_cb),
                           self, G_CONNECT_SWAPPED);
  _zs_window_init_actions (self);
  _zs_window_init_lessons (self);
  setup_document_tracking (self);
  setup_local_shortcuts (self);
  setup_drop_target (self);
  setup_findings_placeholder (self);
  setup_bottom_panels (self);
  g_signal_connect (self, "notify::application", G_CALLBACK (on_application_set_cb), NULL);

  set_document (self, topology, NULL, FALSE);
  _zs_window_update_actions (self);
}
