/* zs-dirs.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-dirs"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "zs-dirs.h"

gboolean
zs_dirs_is_uninstalled (void)
{
  static gsize once = 0;
  static gboolean uninstalled;

  if (g_once_init_enter (&once))
    {
      g_autofree char *program = g_file_read_link ("/proc/self/exe", NULL);

      uninstalled = program != NULL && g_str_has_prefix (program, BUILD_ROOT G_DIR_SEPARATOR_S);
      g_once_init_leave (&once, 1);
    }

  return uninstalled;
}

const char *
zs_dirs_get_locale_dir (void)
{
  return zs_dirs_is_uninstalled () ? BUILD_LOCALEDIR : LOCALEDIR;
}

const char *
zs_dirs_get_schema_dir (void)
{
  return zs_dirs_is_uninstalled () ? BUILD_SCHEMADIR : NULL;
}

const char *
zs_dirs_get_lessons_dir (void)
{
  const char *dir = g_getenv ("ZS_LESSONS_DIR");

  if (dir != NULL && *dir != '\0')
    return dir;
  return zs_dirs_is_uninstalled () ? SOURCE_LESSONS_DIR : LESSONS_DIR;
}

void
zs_dirs_init_i18n (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, zs_dirs_get_locale_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
