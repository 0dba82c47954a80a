/* zs-examples.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-examples"

#include "config.h"

#include <string.h>

#include "zs-examples.h"
#include "zs-topology-file.h"

void
zs_example_free (ZsExample *example)
{
  if (example == NULL)
    return;

  g_free (example->file_name);
  g_free (example->path);
  g_free (example->title);
  g_free (example->description);
  g_free (example);
}

const char *
zs_examples_get_dir (void)
{
  const char *dir = g_getenv ("ZS_EXAMPLES_DIR");

  if (dir != NULL && *dir != '\0')
    return dir;

  if (g_file_test (SOURCE_EXAMPLES_DIR, G_FILE_TEST_IS_DIR))
    return SOURCE_EXAMPLES_DIR;

  return EXAMPLES_DIR;
}

char *
zs_examples_build_path (const char *file_name)
{
  g_return_val_if_fail (file_name != NULL, NULL);

  if (*file_name == '\0' || strchr (file_name, G_DIR_SEPARATOR) != NULL ||
      g_str_equal (file_name, "..") || g_str_equal (file_name, "."))
    return NULL;

  return g_build_filename (zs_examples_get_dir (), file_name, NULL);
}

static ZsExample *
zs_example_load (const char *dir,
                 const char *file_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) topology = NULL;
  ZsExample *example = g_new0 (ZsExample, 1);
  const char *title = NULL;
  const char *description = NULL;

  example->file_name = g_strdup (file_name);
  example->path = g_build_filename (dir, file_name, NULL);

  topology = zs_topology_load_from_file (example->path, &error);
  if (topology != NULL)
    {
      title = zs_topology_get_title (topology);
      description = zs_topology_get_description (topology);
    }
  else
    g_warning ("Example %s: %s", example->path, error->message);

  example->title = g_strdup (title != NULL && *title != '\0' ? title : file_name);
  example->description = g_strdup (description != NULL ? description : "");

  return example;
}

static int
compare_examples (gconstpointer a,
                  gconstpointer b)
{
  const ZsExample *ea = *(ZsExample * const *) a;
  const ZsExample *eb = *(ZsExample * const *) b;

  return strcmp (ea->file_name, eb->file_name);
}

GPtrArray *
zs_examples_list (void)
{
  const char *dir_path = zs_examples_get_dir ();
  GPtrArray *examples = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_example_free);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return examples;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".json"))
        g_ptr_array_add (examples, zs_example_load (dir_path, name));
    }

  g_ptr_array_sort (examples, compare_examples);

  return examples;
}
