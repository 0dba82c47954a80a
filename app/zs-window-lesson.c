/* zs-window-lesson.c: lessons in the window: the Lessons menu, opening a
 * lesson file (its starting topology becomes the student's document) and
 * the lesson panel beside the canvas
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-window"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-dirs.h"
#include "zs-engine-source.h"
#include "zs-fault-script.h"
#include "zs-lesson-panel.h"
#include "zs-window-private.h"

/* Every lesson file says so in its first member; a topology never does. */
#define LESSON_MEMBER "\"zmqscope-lesson\""

gboolean
_zs_window_is_lesson_file (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *contents = NULL;

  return path != NULL && g_file_get_contents (path, &contents, NULL, NULL)
         && strstr (contents, LESSON_MEMBER) != NULL;
}

/* Next entered a step that starts or pauses the run. */
static void
on_step_action_cb (ZsWindow *self,
                   guint     action)
{
  gboolean running = _zs_window_is_running (self);

  if (action == ZS_LESSON_ACTION_START && !running)
    g_action_group_activate_action (G_ACTION_GROUP (self), "run", NULL);
  else if (running)
    g_action_group_change_action_state (G_ACTION_GROUP (self), "pause",
                                        g_variant_new_boolean (action == ZS_LESSON_ACTION_PAUSE));
}

/* A step's fault ("kill server") on the window's run, through the session
 * as the canvas's fault menu does; a refusal, or no run, in the banner. */
static void
on_step_fault_cb (ZsWindow   *self,
                  const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *no_run = NULL;
  ZsFaultStep step;

  if (self->session == NULL || !zs_run_session_is_live (self->session))
    {
      no_run = g_strdup_printf (_("This step breaks the running topology (%s): press Run first"), text);
      zs_window_show_banner (self, ZS_BANNER_ERROR, no_run);
      return;
    }
  if (!zs_fault_step_parse (text, zs_run_session_get_topology (self->session), &step, &error)
      || !zs_run_session_apply_fault (self->session, &step, &error))
    zs_window_show_banner (self, ZS_BANNER_ERROR, error->message);
}

/* ---- the lesson's faults on the window's run ---- */

/* How often the lesson's fault script looks at the run's clock. */
#define LESSON_FAULT_TICK_MS 20

typedef struct {
  GWeakRef       window;
  ZsRunSession  *session;
  ZsEngine      *engine;
  ZsFaultScript *script;
  guint          next;     /* the first step not yet applied */
} LessonFaults;

static void
lesson_faults_free (LessonFaults *lf)
{
  g_weak_ref_clear (&lf->window);
  g_object_unref (lf->session);
  g_object_unref (lf->engine);
  zs_fault_script_free (lf->script);
  g_free (lf);
}

/* Applies each step whose time the run's clock reached; done once they
 * all are, or the run is over or no longer the window's. */
static gboolean
on_lesson_fault_tick (gpointer data)
{
  LessonFaults *lf = data;
  g_autoptr(ZsWindow) self = g_weak_ref_get (&lf->window);
  gint64 now;

  if (self == NULL || self->session != lf->session || !zs_run_session_is_live (lf->session)
      || zs_engine_get_state (lf->engine) == ZS_ENGINE_STATE_STOPPED)
    return G_SOURCE_REMOVE;
  now = zs_engine_get_run_time_us (lf->engine);
  while (lf->next < zs_fault_script_get_n_steps (lf->script)
         && zs_fault_script_get_step (lf->script, lf->next)->at_us <= now)
    {
      g_autoptr(GError) error = NULL;

      if (!zs_run_session_apply_fault (lf->session, zs_fault_script_get_step (lf->script, lf->next++), &error))
        zs_window_show_banner (self, ZS_BANNER_ERROR, error->message);
    }
  return lf->next < zs_fault_script_get_n_steps (lf->script) ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

void
_zs_window_play_lesson_faults (ZsWindow *self)
{
  ZsLesson *lesson;
  ZsRunSource *source;
  g_autoptr(GError) error = NULL;
  ZsFaultScript *script;
  LessonFaults *lf;

  if (self->lesson_panel == NULL || !gtk_widget_get_visible (self->lesson_panel) || self->session == NULL)
    return;
  lesson = zs_lesson_panel_get_lesson (ZS_LESSON_PANEL (self->lesson_panel));
  source = zs_run_session_get_source (self->session);
  if (lesson == NULL || lesson->faults == NULL || !ZS_IS_ENGINE_SOURCE (source))
    return;
  script = zs_fault_script_parse (lesson->faults, zs_run_session_get_topology (self->session), &error);
  if (script == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The lesson's faults do not fit your topology: %s"),
                                                  error->message);

      zs_window_show_banner (self, ZS_BANNER_ERROR, message);
      return;
    }
  lf = g_new0 (LessonFaults, 1);
  g_weak_ref_init (&lf->window, self);
  lf->session = g_object_ref (self->session);
  lf->engine = g_object_ref (zs_engine_source_get_engine (ZS_ENGINE_SOURCE (source)));
  lf->script = script;
  if (on_lesson_fault_tick (lf))
    g_timeout_add_full (G_PRIORITY_DEFAULT, LESSON_FAULT_TICK_MS, on_lesson_fault_tick, lf,
                        (GDestroyNotify) lesson_faults_free);
  else
    lesson_faults_free (lf);
}

/* The graded run binds the file's ports: the window's own run lets go of
 * them first. */
static void
on_check_started_cb (ZsWindow *self)
{
  _zs_window_stop_run (self);
}

/* Beside the canvas, left of the inspector; made on the first lesson. */
static ZsLessonPanel *
ensure_panel (ZsWindow *self)
{
  GtkWidget *center = gtk_widget_get_parent (GTK_WIDGET (self->canvas));
  GtkWidget *row = gtk_widget_get_parent (center);
  GtkWidget *separator;

  if (self->lesson_panel != NULL)
    return ZS_LESSON_PANEL (self->lesson_panel);
  separator = gtk_separator_new (GTK_ORIENTATION_VERTICAL);
  self->lesson_panel = zs_lesson_panel_new ();
  gtk_widget_set_size_request (self->lesson_panel, 320, -1);
  gtk_box_insert_child_after (GTK_BOX (row), separator, center);
  gtk_box_insert_child_after (GTK_BOX (row), self->lesson_panel, separator);
  g_object_bind_property (self->lesson_panel, "visible", separator, "visible", G_BINDING_SYNC_CREATE);
  g_signal_connect_object (self->lesson_panel, "step-action", G_CALLBACK (on_step_action_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lesson_panel, "step-fault", G_CALLBACK (on_step_fault_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lesson_panel, "check-started", G_CALLBACK (on_check_started_cb), self,
                           G_CONNECT_SWAPPED);
  return ZS_LESSON_PANEL (self->lesson_panel);
}

void
_zs_window_close_lesson (ZsWindow *self)
{
  if (self->lesson_panel == NULL)
    return;
  zs_lesson_panel_set_student (ZS_LESSON_PANEL (self->lesson_panel), NULL);
  zs_canvas_set_lesson (self->canvas, NULL);
  gtk_widget_set_visible (self->lesson_panel, FALSE);
}

const char *
_zs_window_get_lesson_title (ZsWindow *self)
{
  ZsLesson *lesson;

  if (self->lesson_panel == NULL || !gtk_widget_get_visible (self->lesson_panel))
    return NULL;
  lesson = zs_lesson_panel_get_lesson (ZS_LESSON_PANEL (self->lesson_panel));
  return lesson != NULL ? zs_lesson_text_get (lesson->title) : NULL;
}

static void
on_after_paint_cb (GdkFrameClock *clock,
                   ZsWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_after_paint_cb, self);
  zs_canvas_fit (self->canvas);
}

/* The panel takes room from the canvas: the topology is fitted again once
 * the canvas has its new size (a window not shown yet fits it then). */
static void
fit_after_layout (ZsWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self->canvas));

  if (clock == NULL)
    return;
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_after_paint_cb), self, 0);
  gtk_widget_queue_resize (GTK_WIDGET (self->canvas));
}

static GBytes *
read_file (GFile   *file,
           GError **error)
{
  g_autofree char *path = g_file_get_path (file);
  char *contents;
  gsize length;

  if (path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, _("only local files can be opened"));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  return g_bytes_new_take (contents, length);
}

ZsWindow *
_zs_window_open_lesson (ZsWindow    *self,
                        GFile       *file,
                        ZsOpenFlags  flags)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = read_file (file, &error);
  g_autofree char *name = g_file_get_basename (file);
  g_autoptr(ZsLesson) lesson = NULL;
  g_autoptr(ZsTopology) student = NULL;
  ZsLessonPanel *panel;
  ZsWindow *target = self;

  if (data != NULL)
    lesson = zs_lesson_load_from_data (g_bytes_get_data (data, NULL), g_bytes_get_size (data), name, &error);
  if (lesson == NULL)
    {
      /* Translators: %s are the lesson file's name and the reason (with line:column) */
      _zs_window_show_file_error (self, _("Could not open the lesson “%s”: %s"), file, error);
      return self;
    }

  if (!(flags & ZS_OPEN_HERE) &&
      (zs_history_get_modified (_zs_window_get_history (self)) || _zs_window_is_running (self)))
    {
      target = zs_window_new (ZS_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
      gtk_window_present (GTK_WINDOW (target));
    }

  /* The student's document: untitled, so Save asks where to write it. */
  student = zs_topology_copy (lesson->topology);
  /* Saved, the student's file keeps the lesson's title in the user's language. */
  zs_topology_set_title (student, zs_lesson_text_get (lesson->title));
  _zs_window_set_document (target, student);
  panel = ensure_panel (target);
  if (!zs_lesson_panel_load (panel, data, name, &error))
    g_return_val_if_reached (target);
  zs_lesson_panel_set_student (panel, zs_canvas_get_topology (target->canvas));
  zs_canvas_set_lesson (target->canvas, zs_lesson_panel_get_lesson (panel));
  gtk_widget_set_visible (GTK_WIDGET (panel), TRUE);
  _zs_window_update_title (target);
  fit_after_layout (target);
  return target;
}

/* The Lessons menu: the shipped lessons by title, in file order. */

static void
open_lesson_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (param, NULL));

  _zs_window_open_lesson (user_data, file, 0);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char **) a, *(const char **) b);
}

static void
populate_lessons_menu (ZsWindow *self)
{
  const char *dir_name = zs_dirs_get_lessons_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".json"))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir_name, g_ptr_array_index (names, i), NULL);
      g_autoptr(ZsLesson) lesson = zs_lesson_load_from_file (path, NULL);
      g_autoptr(GMenuItem) item = NULL;

      if (lesson == NULL)
        continue;
      item = g_menu_item_new (zs_lesson_text_get (lesson->title), NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-lesson", g_variant_new_string (path));
      g_menu_append_item (self->lessons_menu, item);
    }
  if (g_menu_model_get_n_items (G_MENU_MODEL (self->lessons_menu)) == 0)
    {
      g_autofree char *label = g_strdup_printf (_("No lessons found in %s"), dir_name);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, "win.no-lessons");

      g_menu_append_item (self->lessons_menu, item);
    }
}

void
_zs_window_init_lessons (ZsWindow *self)
{
  static const GActionEntry entries[] = {
    { "open-lesson", open_lesson_action, "s" },
  };

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  populate_lessons_menu (self);
}
