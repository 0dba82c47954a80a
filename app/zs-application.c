/* zs-application.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-application"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-application.h"
#include "zs-dirs.h"
#include "zs-examples.h"
#include "zs-window.h"

struct _ZsApplication
{
  GtkApplication  parent_instance;

  GPtrArray      *examples;
  GSettings      *settings;
  gboolean        settings_looked_up;
};

G_DEFINE_FINAL_TYPE (ZsApplication, zs_application, GTK_TYPE_APPLICATION)

typedef struct {
  const char *action;
  const char *accels[4];
} ZsAccel;

/* Keys that text fields also use (Delete, Ctrl+C, Space...) are not
 * application accelerators, which would steal them from the inspector's
 * entries: the window handles them in the bubble phase instead. */
static const ZsAccel app_accels[] = {
  { "app.new", { "<Control>n", NULL } },
  { "app.quit", { "<Control>q", NULL } },
  { "window.close", { "<Control>w", NULL } },
  { "win.run", { "F5", NULL } },
  { "win.stop", { "<Shift>F5", NULL } },
  { "win.open", { "<Control>o", NULL } },
  { "win.save", { "<Control>s", NULL } },
  { "win.save-as", { "<Control><Shift>s", NULL } },
  { "win.undo", { "<Control>z", NULL } },
  { "win.redo", { "<Control><Shift>z", "<Control>y", NULL } },
  { "win.zoom-in", { "<Control>plus", "<Control>equal", "<Control>KP_Add", NULL } },
  { "win.zoom-out", { "<Control>minus", "<Control>KP_Subtract", NULL } },
  { "win.zoom-reset", { "<Control>0", "<Control>KP_0", NULL } },
  { "win.zoom-fit", { "<Control>9", "<Control>KP_9", NULL } },
  { "win.arrange", { "<Control>l", NULL } },
  { "win.present-mode", { "F11", NULL } },
  /* Enabled in presentation mode only: Esc stays the canvas's otherwise. */
  { "win.leave-presentation", { "Escape", NULL } },
};

ZsApplication *
zs_application_new (void)
{
  return g_object_new (ZS_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/org/zmqscope/Zmqscope",
                       NULL);
}

GPtrArray *
zs_application_get_examples (ZsApplication *self)
{
  g_return_val_if_fail (ZS_IS_APPLICATION (self), NULL);

  if (self->examples == NULL)
    self->examples = zs_examples_list ();

  return self->examples;
}

/* The schema of the build tree when run from it, else the installed one;
 * NULL when neither is there: the app then remembers nothing. */
static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchemaSource) build_source = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  const char *dir = zs_dirs_get_schema_dir ();

  if (dir != NULL)
    build_source = g_settings_schema_source_new_from_directory (dir, source, FALSE, NULL);
  if (build_source != NULL)
    source = build_source;
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("No settings schema %s: nothing is remembered", APPLICATION_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

GSettings *
zs_application_get_settings (ZsApplication *self)
{
  g_return_val_if_fail (ZS_IS_APPLICATION (self), NULL);

  if (!self->settings_looked_up)
    {
      self->settings = new_settings ();
      self->settings_looked_up = TRUE;
    }

  return self->settings;
}

/* A window that holds nothing worth keeping: an unmodified example or
 * untitled document, not running. */
static ZsWindow *
find_pristine_window (ZsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (ZS_IS_WINDOW (window) && zs_window_is_pristine (ZS_WINDOW (window)))
    return ZS_WINDOW (window);

  return NULL;
}

static ZsWindow *
get_or_create_window (ZsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (ZS_IS_WINDOW (window))
    return ZS_WINDOW (window);

  return zs_window_new (self);
}

static void
open_default_example (ZsWindow *window)
{
  g_autofree char *path = zs_examples_build_path (ZS_DEFAULT_EXAMPLE);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      zs_window_open_file (window, file, ZS_OPEN_EXAMPLE | ZS_OPEN_HERE);
    }
  else
    {
      g_autofree char *message =
        g_strdup_printf (_("The bundled example “%s” was not found in %s. "
                           "Drag sockets from the palette on the left, or open a file."),
                         ZS_DEFAULT_EXAMPLE, zs_examples_get_dir ());

      zs_window_show_banner (window, ZS_BANNER_ERROR, message);
    }
}

static void
zs_application_activate (GApplication *app)
{
  ZsApplication *self = ZS_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (zs_window_new (self));
      open_default_example (ZS_WINDOW (window));
    }

  gtk_window_present (window);
}

static void
zs_application_open (GApplication  *app,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  ZsApplication *self = ZS_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      ZsWindow *window = find_pristine_window (self);

      if (window == NULL)
        window = zs_window_new (self);

      zs_window_open_file (window, files[i], ZS_OPEN_HERE);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
app_new_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (zs_window_new (ZS_APPLICATION (user_data))));
}

static void
app_quit_action (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  /* Each window asks about its unsaved changes; the app quits when the
   * last one is gone. */
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
app_open_example_action (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  ZsApplication *self = ZS_APPLICATION (user_data);
  g_autofree char *path = zs_examples_build_path (g_variant_get_string (param, NULL));
  g_autoptr(GFile) file = NULL;
  ZsWindow *window;

  if (path == NULL)
    return;

  file = g_file_new_for_path (path);
  window = get_or_create_window (self);
  zs_window_open_file (window, file, ZS_OPEN_EXAMPLE);
  gtk_window_present (GTK_WINDOW (window));
}

static void
app_about_action (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  static const char *developers[] = { "The zmqscope developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_show_about_dialog (window,
                         "program-name", "zmqscope",
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Draw ZeroMQ topologies, run them with real sockets "
                                       "and watch the messages flow."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", developers,
                         "translator-credits", _("translator-credits"),
                         "website", "https://zeromq.org/",
                         "website-label", _("About ZeroMQ"),
                         NULL);
}

static const GActionEntry app_entries[] = {
  { "new", app_new_action },
  { "quit", app_quit_action },
  { "about", app_about_action },
  { "open-example", app_open_example_action, "s" },
};

/* GtkApplication 4.8 does not load style.css by itself (libadwaita does). */
static void
load_style (void)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/org/zmqscope/Zmqscope/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
zs_application_startup (GApplication *app)
{
  G_APPLICATION_CLASS (zs_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_entries,
                                   G_N_ELEMENTS (app_entries), app);

  for (guint i = 0; i < G_N_ELEMENTS (app_accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app),
                                           app_accels[i].action,
                                           app_accels[i].accels);

  gtk_window_set_default_icon_name (APPLICATION_ID);
  load_style ();
}

static void
zs_application_finalize (GObject *object)
{
  ZsApplication *self = ZS_APPLICATION (object);

  g_clear_pointer (&self->examples, g_ptr_array_unref);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (zs_application_parent_class)->finalize (object);
}

static void
zs_application_class_init (ZsApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = zs_application_finalize;
  app_class->startup = zs_application_startup;
  app_class->activate = zs_application_activate;
  app_class->open = zs_application_open;
}

static void
zs_application_init (ZsApplication *self)
{
  g_set_application_name ("zmqscope");
}
