/* zs-json-read.c: reading the members of a zmqscope JSON file (a topology,
 * a lesson) strictly, each error naming its member: "nodes[2].count: …"
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-json-read"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <math.h>

#include "zs-json-read.h"

/* Doubles that hold whole numbers up to 2^53 are written as integers. */
#define MAX_EXACT_DOUBLE 9007199254740992.0
/* Smaller fractions are printed with an exponent: see number_kept_exactly (). */
#define MIN_FRACTION 0.0001

/* ------------------------------------------------------------------ */
/* Errors                                                              */

gboolean
zs_json_fail (GError     **error,
              int          code,
              const char  *path,
              const char  *format,
              ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Names quoted from a hostile file may not be UTF-8. */
  if (!g_utf8_validate (message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = valid;
    }

  if (path != NULL && *path != '\0')
    g_set_error (error, ZS_TOPOLOGY_FILE_ERROR, code, "%s: %s", path, message);
  else
    g_set_error_literal (error, ZS_TOPOLOGY_FILE_ERROR, code, message);
  return FALSE;
}

char *
zs_json_member_path (const char *parent,
                     const char *member)
{
  return *parent != '\0' ? g_strdup_printf ("%s.%s", parent, member) : g_strdup (member);
}

const char *
zs_json_kind (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return _("an object");
    case JSON_NODE_ARRAY:  return _("an array");
    case JSON_NODE_NULL:   return _("null");
    case JSON_NODE_VALUE:
    default:
      break;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:  return _("a string");
    case G_TYPE_BOOLEAN: return _("a boolean");
    default:             return _("a number");
    }
}

gboolean
zs_json_wrong_type (GError     **error,
                    const char  *path,
                    const char  *expected,
                    JsonNode    *found)
{
  return zs_json_invalid (error, path, _("expected %s, found %s"), expected, zs_json_kind (found));
}

gboolean
zs_json_is_value_of (JsonNode *node,
                     GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* ------------------------------------------------------------------ */
/* Reading values                                                      */

gboolean
zs_json_read_string (JsonNode     *node,
                     const char   *path,
                     const char  **out,
                     GError      **error)
{
  if (!zs_json_is_value_of (node, G_TYPE_STRING))
    return zs_json_wrong_type (error, path, _("a string"), node);
  *out = json_node_get_string (node);
  /* json-glib turns a lone UTF-16 surrogate ("\ud800") into bytes that are not UTF-8. */
  if (!g_utf8_validate (*out, -1, NULL))
    return zs_json_invalid (error, path, _("the text is not valid Unicode (a lone \\uD800–\\uDFFF escape?)"));
  return TRUE;
}

/* Numbers the file can write back as it read them: json-glib writes a
 * double as "%.17g" and appends ".0" when that has no '.', which breaks
 * exponents ("5e+21.0"); whole numbers up to 2^53 are written as integers
 * and others keep a '.' in fixed notation from 0.0001 on. */
static gboolean
number_kept_exactly (double       d,
                     const char  *path,
                     GError     **error)
{
  if (!isfinite (d) || fabs (d) > MAX_EXACT_DOUBLE)
    return zs_json_invalid (error, path, _("the number is too large; use a number from %.0f to %.0f"),
                            -MAX_EXACT_DOUBLE, MAX_EXACT_DOUBLE);
  if (d != 0 && fabs (d) < MIN_FRACTION)
    return zs_json_invalid (error, path, _("%g is too close to zero; use 0, or a number of at least %g"),
                            d, MIN_FRACTION);
  return TRUE;
}

gboolean
zs_json_read_number (JsonNode    *node,
                     const char  *path,
                     double      *out,
                     GError     **error)
{
  if (zs_json_is_value_of (node, G_TYPE_INT64))
    *out = (double) json_node_get_int (node);
  else if (zs_json_is_value_of (node, G_TYPE_DOUBLE))
    *out = json_node_get_double (node);
  else
    return zs_json_wrong_type (error, path, _("a number"), node);
  return number_kept_exactly (*out, path, error);
}

/* A whole number, also when written as 10.0. */
gboolean
zs_json_read_integer (JsonNode    *node,
                      const char  *path,
                      gint64      *out,
                      GError     **error)
{
  double d;

  if (zs_json_is_value_of (node, G_TYPE_INT64))
    {
      *out = json_node_get_int (node);
      return TRUE;
    }
  if (!zs_json_read_number (node, path, &d, error))
    return FALSE;
  if (d != floor (d) || fabs (d) > MAX_EXACT_DOUBLE)
    return zs_json_invalid (error, path, _("expected a whole number, found %g"), d);
  *out = (gint64) d;
  return TRUE;
}

gboolean
zs_json_read_integer_in_range (JsonNode    *node,
                               const char  *path,
                               gint64       minimum,
                               gint64       maximum,
                               gint64      *out,
                               GError     **error)
{
  if (!zs_json_read_integer (node, path, out, error))
    return FALSE;
  if (*out < minimum || *out > maximum)
    return zs_json_invalid (error, path, _("%" PRId64 " is out of range; use a number from %"
                                           PRId64 " to %" PRId64),
                            *out, minimum, maximum);
  return TRUE;
}

gboolean
zs_json_read_strv (JsonNode    *node,
                   const char  *path,
                   GStrv       *out,
                   GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return zs_json_wrong_type (error, path, _("an array of strings"), node);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
      const char *item;

      if (!zs_json_read_string (json_array_get_element (array, i), item_path, &item, error))
        return FALSE;
      g_strv_builder_add (builder, item);
    }
  *out = g_strv_builder_end (builder);
  return TRUE;
}

gboolean
zs_json_get_object (JsonNode     *node,
                    const char   *path,
                    JsonObject  **out,
                    GError      **error)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return zs_json_wrong_type (error, path, _("an object"), node);
  *out = json_node_get_object (node);
  return TRUE;
}
