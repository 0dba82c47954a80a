/* zs-topology-file.c: the versioned JSON file format
 *
 * Node and socket members other than the few structural ones are read and
 * written generically from the objects' GParamSpecs, so a new property
 * needs no code here. Only values that differ from the pspec default are
 * written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-topology-file"

#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "zs-json-read.h"
#include "zs-topology-file.h"
#include "zs-validator.h"

#define VERSION_MEMBER "zmqscope"
#define MAX_FILE_SIZE (16 * 1024 * 1024)
/* A topology nests six levels deep; json-glib 1.6 recurses without a limit. */
#define MAX_NESTING 64
/* Doubles that hold whole numbers up to 2^53 are written as integers. */
#define MAX_EXACT_DOUBLE 9007199254740992.0

G_DEFINE_QUARK (zs-topology-file-error-quark, zs_topology_file_error)

/* Members that are not generic properties, per object kind. */
static const char * const topology_members[] = { VERSION_MEMBER, "nodes", NULL };
static const char * const node_members[] = { "name", "role", "x", "y", "sockets", NULL };
static const char * const socket_members[] = { "name", "type", NULL };
/* Properties the structural members above stand for. */
static const char * const node_structural[] = { "name", "role", "x", "y", NULL };
static const char * const socket_structural[] = { "name", "socket-type", NULL };
static const char * const topology_structural[] = { NULL };


static char *
enum_nicks (GType type)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  GString *nicks = g_string_new (NULL);

  for (guint i = 0; i < klass->n_values; i++)
    g_string_append_printf (nicks, "%s%s", i > 0 ? ", " : "", klass->values[i].value_nick);
  return g_string_free (nicks, FALSE);
}

static gboolean
read_enum (JsonNode    *node,
           const char  *path,
           GType        type,
           int         *out,
           GError     **error)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (type);
  const char *nick;
  GEnumValue *value;

  if (!zs_json_read_string (node, path, &nick, error))
    return FALSE;
  value = g_enum_get_value_by_nick (klass, nick);
  if (value == NULL)
    {
      g_autofree char *nicks = enum_nicks (type);

      return zs_json_invalid (error, path, _("unknown value “%s”; expected one of %s"), nick, nicks);
    }
  *out = value->value;
  return TRUE;
}

/* Converts `node` to a GValue of the pspec's type, within its range. */
static gboolean
read_property_value (GParamSpec  *pspec,
                     JsonNode    *node,
                     const char  *path,
                     GValue      *value,
                     GError     **error)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);
  gint64 integer;

  g_value_init (value, type);

  if (type == G_TYPE_STRING)
    {
      const char *string = NULL;

      if (!JSON_NODE_HOLDS_NULL (node) && !zs_json_read_string (node, path, &string, error))
        return FALSE;
      g_value_set_string (value, string);
    }
  else if (type == G_TYPE_STRV)
    {
      GStrv strv = NULL;

      if (!zs_json_read_strv (node, path, &strv, error))
        return FALSE;
      g_value_take_boxed (value, strv);
    }
  else if (type == G_TYPE_INT)
    {
      GParamSpecInt *spec = G_PARAM_SPEC_INT (pspec);

      if (!zs_json_read_integer_in_range (node, path, spec->minimum, spec->maximum, &integer, error))
        return FALSE;
      g_value_set_int (value, (int) integer);
    }
  else if (type == G_TYPE_UINT)
    {
      GParamSpecUInt *spec = G_PARAM_SPEC_UINT (pspec);

      if (!zs_json_read_integer_in_range (node, path, spec->minimum, spec->maximum, &integer, error))
        return FALSE;
      g_value_set_uint (value, (guint) integer);
    }
  else if (type == G_TYPE_DOUBLE)
    {
      GParamSpecDouble *spec = G_PARAM_SPEC_DOUBLE (pspec);
      double d;

      if (!zs_json_read_number (node, path, &d, error))
        return FALSE;
      if (d < spec->minimum || d > spec->maximum)
        return zs_json_invalid (error, path, _("%g is out of range; use a number from %g to %g"),
                                d, spec->minimum, spec->maximum);
      g_value_set_double (value, d);
    }
  else if (type == G_TYPE_BOOLEAN)
    {
      if (!zs_json_is_value_of (node, G_TYPE_BOOLEAN))
        return zs_json_wrong_type (error, path, _("true or false"), node);
      g_value_set_boolean (value, json_node_get_boolean (node));
    }
  else if (G_TYPE_IS_ENUM (type))
    {
      int e = 0;

      if (!read_enum (node, path, type, &e, error))
        return FALSE;
      g_value_set_enum (value, e);
    }
  else
    return zs_json_invalid (error, path, _("this zmqscope cannot read a property of type %s"), g_type_name (type));

  return TRUE;
}

static gboolean
set_property_from_json (GObject     *object,
                        GParamSpec  *pspec,
                        JsonNode    *node,
                        const char  *path,
                        GError     **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (!read_property_value (pspec, node, path, &value, error))
    return FALSE;
  g_object_set_property (object, pspec->name, &value);
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Reading objects                                                     */

static char *
expected_members (GObject            *object,
                  const char * const *members,
                  const char * const *structural)
{
  g_autofree GParamSpec **pspecs = NULL;
  GString *list = g_string_new (NULL);
  guint n_pspecs = 0;

  for (guint i = 0; members[i] != NULL; i++)
    g_string_append_printf (list, "%s%s", list->len > 0 ? ", " : "", members[i]);
  if (object != NULL)
    pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    if (!g_strv_contains (structural, pspecs[i]->name))
      g_string_append_printf (list, ", %s", pspecs[i]->name);
  return g_string_free (list, FALSE);
}

/* Applies every member of `json` that is not in `members` as a property
 * of `object`; a member that is neither is an error. */
static gboolean
read_generic_members (GObject            *object,
                      JsonObject         *json,
                      const char         *path,
                      const char * const *members,
                      const char * const *structural,
                      GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, json);
  while (json_object_iter_next (&iter, &name, &node))
    {
      g_autofree char *child = zs_json_member_path (path, name);
      GParamSpec *pspec;

      if (g_strv_contains (members, name))
        continue;
      pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), name);
      if (pspec == NULL || g_strv_contains (structural, name))
        {
          g_autofree char *expected = expected_members (object, members, structural);

          return zs_json_invalid (error, child, _("unknown member; expected one of %s"), expected);
        }
      if (!set_property_from_json (object, pspec, node, child, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
get_required_string (JsonObject  *json,
                     const char  *path,
                     const char  *member,
                     const char **out,
                     GError     **error)
{
  g_autofree char *child = zs_json_member_path (path, member);
  JsonNode *node = json_object_get_member (json, member);

  if (node == NULL)
    return zs_json_invalid (error, child, _("this member is required and missing"));
  return zs_json_read_string (node, child, out, error);
}

static gboolean
get_required_name (JsonObject  *json,
                   const char  *path,
                   const char **out,
                   GError     **error)
{
  g_autofree char *child = NULL;
  g_autofree char *problem = NULL;

  if (!get_required_string (json, path, "name", out, error))
    return FALSE;
  problem = zs_name_check_printable (*out);
  if (problem == NULL)
    return TRUE;
  child = zs_json_member_path (path, "name");
  return zs_json_invalid (error, child, "%s", problem);
}

/* Calls `read_item` on each element of the optional array `member`. */
typedef gboolean (*ReadItemFunc) (GObject     *parent,
                                  JsonNode    *item,
                                  const char  *path,
                                  GError     **error);

static gboolean
read_array_member (GObject      *parent,
                   JsonObject   *json,
                   const char   *path,
                   const char   *member,
                   ReadItemFunc  read_item,
                   GError      **error)
{
  g_autofree char *child = zs_json_member_path (path, member);
  JsonNode *node = json_object_get_member (json, member);
  JsonArray *array;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return zs_json_wrong_type (error, child, _("an array"), node);
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", child, i);

      if (!read_item (parent, json_array_get_element (array, i), item_path, error))
        return FALSE;
    }
  return TRUE;
}

static char *
socket_type_names (void)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < ZS_SOCKET_N_TYPES; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", zs_socket_type_to_string (i));
  return g_string_free (names, FALSE);
}

static char *
role_names (void)
{
  GString *names = g_string_new (NULL);

  for (guint i = 0; i < ZS_ROLE_N_ROLES; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", zs_role_to_string (i));
  return g_string_free (names, FALSE);
}

static gboolean
read_socket (GObject     *parent,
             JsonNode    *item,
             const char  *path,
             GError     **error)
{
  g_autoptr(ZsSocketSpec) socket = NULL;
  const char *name, *type_name;
  JsonObject *json = NULL;
  ZsSocketType type;

  if (!zs_json_get_object (item, path, &json, error) ||
      !get_required_name (json, path, &name, error) ||
      !get_required_string (json, path, "type", &type_name, error))
    return FALSE;
  if (!zs_socket_type_from_string (type_name, &type))
    {
      g_autofree char *child = zs_json_member_path (path, "type");
      g_autofree char *names = socket_type_names ();

      return zs_json_invalid (error, child, _("unknown socket type “%s”; expected one of %s"), type_name, names);
    }

  socket = zs_socket_spec_new (name, type);
  if (!read_generic_members (G_OBJECT (socket), json, path, socket_members, socket_structural, error))
    return FALSE;
  zs_node_add_socket (ZS_NODE (parent), socket);
  return TRUE;
}

static gboolean
read_position (JsonObject  *json,
               const char  *path,
               const char  *member,
               double      *out,
               GError     **error)
{
  g_autofree char *child = zs_json_member_path (path, member);
  JsonNode *node = json_object_get_member (json, member);

  *out = 0.0;
  return node == NULL || zs_json_read_number (node, child, out, error);
}

static gboolean
read_node (GObject     *parent,
           JsonNode    *item,
           const char  *path,
           GError     **error)
{
  g_autoptr(ZsNode) node = NULL;
  const char *name, *role_name;
  JsonObject *json = NULL;
  double x, y;
  ZsRole role;

  if (!zs_json_get_object (item, path, &json, error) ||
      !get_required_name (json, path, &name, error) ||
      !get_required_string (json, path, "role", &role_name, error) ||
      !read_position (json, path, "x", &x, error) ||
      !read_position (json, path, "y", &y, error))
    return FALSE;
  if (!zs_role_from_string (role_name, &role))
    {
      g_autofree char *child = zs_json_member_path (path, "role");
      g_autofree char *names = role_names ();

      return zs_json_invalid (error, child, _("unknown role “%s”; expected one of %s"), role_name, names);
    }

  node = zs_node_new (name, role);
  zs_node_set_position (node, x, y);
  if (!read_generic_members (G_OBJECT (node), json, path, node_members, node_structural, error) ||
      !read_array_member (G_OBJECT (node), json, path, "sockets", read_socket, error))
    return FALSE;
  zs_topology_add_node (ZS_TOPOLOGY (parent), node);
  return TRUE;
}

static gboolean
check_version (JsonObject  *json,
               const char  *path,
               GError     **error)
{
  JsonNode *node = json_object_get_member (json, VERSION_MEMBER);
  g_autofree char *child = zs_json_member_path (path, VERSION_MEMBER);
  gint64 version;

  if (node == NULL)
    return zs_json_invalid (error, path,
                            _("not a zmqscope topology: the “%s” member with the format version is missing"),
                            VERSION_MEMBER);
  if (!zs_json_read_integer_in_range (node, child, 1, G_MAXINT, &version, error))
    return FALSE;
  if (version > ZS_TOPOLOGY_FILE_VERSION)
    return zs_json_fail (error, ZS_TOPOLOGY_FILE_ERROR_VERSION, path,
                         _("this file was written by a newer zmqscope (format %" PRId64
                           "; this one reads format %d and older): please update zmqscope"),
                         version, ZS_TOPOLOGY_FILE_VERSION);
  return TRUE;
}

static ZsTopology *
read_topology (JsonNode    *root,
               const char  *path,
               GError     **error)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  JsonObject *json = NULL;

  if (root == NULL)
    {
      zs_json_invalid (error, path, _("the file is empty; a topology is a JSON object like "
                                      "{ \"zmqscope\": 1, \"nodes\": [] }"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      zs_json_invalid (error, path, _("the top level must be a JSON object like "
                                      "{ \"zmqscope\": 1, \"nodes\": [] }, not %s"),
                       zs_json_kind (root));
      return NULL;
    }
  json = json_node_get_object (root);
  if (!check_version (json, path, error) ||
      !read_generic_members (G_OBJECT (topology), json, path, topology_members, topology_structural, error) ||
      !read_array_member (G_OBJECT (topology), json, path, "nodes", read_node, error))
    return NULL;
  return g_steal_pointer (&topology);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */

/* What json-glib 1.6 reads beyond JSON, and what it gets wrong, is refused
 * before it parses: it recurses without a nesting limit (deep input
 * overflows the stack), reads "/.../" as a comment and '...' as a string
 * (so a guard that only knows "..." can be fooled), and wraps integers
 * beyond 64 bits silently (123456789012345678901234 becomes -1). This
 * scanner follows strict JSON: outside "..." strings, a '/' or '\'' is an
 * error, so every bracket it counts is one json-glib counts too. */
typedef struct {
  gboolean    object;
  guint       index;       /* arrays: the element being read */
  const char *key;         /* objects: the member being read, raw */
  gsize       key_length;
} Level;

typedef struct {
  const char *data;
  gsize       length;
  gsize       i;
  guint       line, column;  /* column: characters before the current one */
  const char *name;
  guint       depth;
  Level       levels[MAX_NESTING + 1];
  const char *string;      /* the last string read, for the next ':' */
  gsize       string_length;
  gboolean    root_seen;   /* the top-level value has begun */
  const char *target;      /* zs_json_locate (): the member path looked for */
  gboolean    value_next;  /* a member's or an element's value begins next */
  guint       found_line, found_column;
} Scanner;

static gboolean
scan_error (Scanner     *scan,
            GError     **error,
            const char  *message)
{
  return zs_json_fail (error, ZS_TOPOLOGY_FILE_ERROR_SYNTAX, NULL, "%s:%u:%u: %s",
                       scan->name, scan->line, scan->column + 1, message);
}

/* The member path of the value being read, as the loader writes it. */
static char *
scan_path (Scanner *scan)
{
  GString *path = g_string_new (NULL);

  for (guint d = 1; d <= scan->depth; d++)
    {
      const Level *level = &scan->levels[d];

      if (!level->object)
        g_string_append_printf (path, "[%u]", level->index);
      else if (level->key != NULL)
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, level->key, level->key_length);
        }
    }
  return g_string_free (path, FALSE);
}

static void
scan_advance (Scanner *scan)
{
  if (scan->data[scan->i] == '\n')
    scan->line++, scan->column = 0;
  else
    scan->column++;
  scan->i++;
}

/* From the opening quote to after the closing one. */
static gboolean
scan_string (Scanner  *scan,
             GError  **error)
{
  gsize start = scan->i + 1;

  scan_advance (scan);
  while (scan->i < scan->length && scan->data[scan->i] != '"')
    {
      if (scan->data[scan->i] == '\\' && scan->i + 1 < scan->length)
        scan_advance (scan);
      scan_advance (scan);
    }
  if (scan->i >= scan->length)
    return scan_error (scan, error, _("the string is not closed with “\"”"));
  scan->string = scan->data + start;
  scan->string_length = scan->i - start;
  scan_advance (scan);
  return TRUE;
}

static gboolean
is_number_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-';
}

/* json-glib reads whole numbers as unsigned 64 bits and then negates:
 * anything beyond gint64 wraps around. */
static gboolean
whole_number_fits (const char *token)
{
  gboolean negative = token[0] == '-';
  const char *digits = token + negative;
  guint base = 10;
  guint64 value;
  char *end = NULL;

  if (g_ascii_strncasecmp (digits, "0x", 2) == 0)
    base = 16, digits += 2;
  else if (strpbrk (digits, ".eE") != NULL)
    return TRUE;
  errno = 0;
  value = g_ascii_strtoull (digits, &end, base);
  if (errno == ERANGE)
    return FALSE;
  return value <= (guint64) G_MAXINT64 + (negative ? 1 : 0);
}

static gboolean
scan_number (Scanner  *scan,
             GError  **error)
{
  gsize start = scan->i;
  g_autofree char *token = NULL;

  while (scan->i < scan->length && is_number_char (scan->data[scan->i]))
    scan_advance (scan);
  token = g_strndup (scan->data + start, scan->i - start);
  if (!whole_number_fits (token))
    {
      g_autofree char *path = scan_path (scan);

      return zs_json_invalid (error, path, _("%s is too large a number"), token);
    }
  return TRUE;
}

static gboolean
scan_open (Scanner  *scan,
           gboolean  object,
           GError  **error)
{
  if (scan->depth == MAX_NESTING)
    return zs_json_fail (error, ZS_TOPOLOGY_FILE_ERROR_INVALID, NULL,
                         _("%s:%u:%u: nested deeper than %d levels; a topology needs six"),
                         scan->name, scan->line, scan->column + 1, MAX_NESTING);
  scan->levels[++scan->depth] = (Level) { object, 0, NULL, 0 };
  scan->value_next = !object;
  return TRUE;
}

static gboolean
scan_punctuation (Scanner  *scan,
                  char      c,
                  GError  **error)
{
  Level *level = &scan->levels[scan->depth];

  switch (c)
    {
    case '[':
    case '{':
      return scan_open (scan, c == '{', error);
    case ']':
    case '}':
      if (scan->depth > 0)
        scan->depth--;
      break;
    case ',':
      if (scan->depth > 0 && !level->object)
        level->index++, scan->value_next = TRUE;
      break;
    case ':':
      if (scan->depth > 0 && level->object)
        level->key = scan->string, level->key_length = scan->string_length, scan->value_next = TRUE;
      break;
    case '/':
      return scan_error (scan, error, _("comments are not allowed in a topology file"));
    case '\'':
      return scan_error (scan, error, _("write strings in double quotes (\"…\"), not single quotes"));
    default:
      break;
    }
  return TRUE;
}

static void
scan_identifier (Scanner *scan)
{
  while (scan->i < scan->length && (g_ascii_isalnum (scan->data[scan->i]) || scan->data[scan->i] == '_'))
    scan_advance (scan);
}

/* Looking for a member path: is this the start of its value? */
static void
scan_match (Scanner *scan)
{
  g_autofree char *path = NULL;

  scan->value_next = FALSE;
  if (scan->target == NULL || scan->found_line > 0)
    return;
  path = scan_path (scan);
  if (g_str_equal (path, scan->target))
    scan->found_line = scan->line, scan->found_column = scan->column + 1;
}

static gboolean
scan_tokens (Scanner  *scan_,
             GError  **error)
{
  Scanner scan = *scan_;
  gsize length = scan.length;
  const char *data = scan.data;

  while (scan.i < length)
    {
      char c = data[scan.i];
      gboolean ok = TRUE;

      if (scan.value_next && !g_ascii_isspace (c) && c != ']' && c != '}')
        scan_match (&scan);

      /* json-glib stops after the top-level value and ignores (and leaks)
       * what follows: refuse it. */
      if (scan.depth == 0 && !g_ascii_isspace (c))
        {
          if (scan.root_seen)
            return scan_error (&scan, error, _("unexpected text after the end of the topology"));
          scan.root_seen = TRUE;
        }
      if (c == '"')
        ok = scan_string (&scan, error);
      else if (c == '-' || g_ascii_isdigit (c))
        ok = scan_number (&scan, error);
      else if (g_ascii_isalpha (c) || c == '_')
        scan_identifier (&scan);
      else
        {
          ok = scan_punctuation (&scan, c, error);
          scan_advance (&scan);
        }
      if (!ok)
        return FALSE;
    }
  *scan_ = scan;
  return TRUE;
}

static gboolean
check_tokens (const char  *data,
              gsize        length,
              const char  *name,
              GError     **error)
{
  Scanner scan = { data, length, 0, 1, 0, name, 0 };

  return scan_tokens (&scan, error);
}

gboolean
zs_json_check_strict (const char  *data,
                      gsize        length,
                      const char  *name,
                      GError     **error)
{
  const char *end;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (length > MAX_FILE_SIZE)
    return zs_json_invalid (error, NULL, _("%s: the file is larger than %d MiB"), name, MAX_FILE_SIZE / (1024 * 1024));
  /* A picture, a UTF-16 file or random bytes: say so, not where the
   * scanner first trips on them. */
  if (data != NULL && !g_utf8_validate_len (data, length, &end))
    return zs_json_fail (error, ZS_TOPOLOGY_FILE_ERROR_SYNTAX, NULL,
                         _("%s: not a JSON text file (byte %lu is not UTF-8)"),
                         name, (unsigned long) (end - data));
  return check_tokens (data, length, name, error);
}

gboolean
zs_json_locate (const char *data,
                gsize       length,
                const char *path,
                guint      *line,
                guint      *column)
{
  Scanner scan = { data, length, 0, 1, 0, "", 0 };

  g_return_val_if_fail (path != NULL, FALSE);

  scan.target = path;
  if (!scan_tokens (&scan, NULL) || scan.found_line == 0)
    return FALSE;
  *line = scan.found_line;
  *column = scan.found_column;
  return TRUE;
}

static gboolean
has_line_and_column (const char *message)
{
  return g_regex_match_simple ("^[^\\n]*:[0-9]+:[0-9]+:", message, 0, 0);
}

/* Keeps json-glib's "<data>:3:14: …", with the file's name instead. */
static gboolean
syntax_error (JsonParser  *parser,
              GError      *parse_error,
              const char  *name,
              GError     **error)
{
  const char *message = parse_error->message;

  if (g_str_has_prefix (message, "<data>:"))
    message += strlen ("<data>");
  else if (!has_line_and_column (message))
    return zs_json_fail (error, ZS_TOPOLOGY_FILE_ERROR_SYNTAX, NULL, "%s:%u:%u: %s", name,
                         json_parser_get_current_line (parser), json_parser_get_current_pos (parser),
                         message);
  else
    name = "";
  return zs_json_fail (error, ZS_TOPOLOGY_FILE_ERROR_SYNTAX, NULL, "%s%s", name, message);
}

static ZsTopology *
load (const char  *data,
      gsize        length,
      const char  *name,
      GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;

  if (!zs_json_check_strict (data, length, name, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &parse_error))
    {
      syntax_error (parser, parse_error, name, error);
      return NULL;
    }
  return read_topology (json_parser_get_root (parser), "", error);
}

ZsTopology *
zs_topology_load_from_json (JsonNode    *root,
                            const char  *path,
                            GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return read_topology (root, path, error);
}

ZsTopology *
zs_topology_load_from_data (const char  *data,
                            gssize       length,
                            GError     **error)
{
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length < 0)
    length = strlen (data);
  return load (data != NULL ? data : "", length, "<data>", error);
}

ZsTopology *
zs_topology_load_from_file (const char  *path,
                            GError     **error)
{
  g_autofree char *data = NULL;
  g_autofree char *name = NULL;
  gsize length;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  name = g_path_get_basename (path);
  return load (data, length, name, error);
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

static gboolean
is_default (GParamSpec   *pspec,
            const GValue *value)
{
  if (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_STRV)
    {
      const char * const *strv = g_value_get_boxed (value);

      return strv == NULL || strv[0] == NULL;
    }
  return g_param_value_defaults (pspec, value);
}

static void
add_double (JsonBuilder *builder,
            double       d)
{
  if (d == floor (d) && fabs (d) <= MAX_EXACT_DOUBLE)
    json_builder_add_int_value (builder, (gint64) d);
  else
    json_builder_add_double_value (builder, d);
}

static void
add_strv (JsonBuilder        *builder,
          const char * const *strv)
{
  json_builder_begin_array (builder);
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_builder_add_string_value (builder, strv[i]);
  json_builder_end_array (builder);
}

static void
add_value (JsonBuilder  *builder,
           const GValue *value)
{
  GType type = G_VALUE_TYPE (value);

  if (type == G_TYPE_STRING)
    json_builder_add_string_value (builder, g_value_get_string (value));
  else if (type == G_TYPE_STRV)
    add_strv (builder, g_value_get_boxed (value));
  else if (type == G_TYPE_INT)
    json_builder_add_int_value (builder, g_value_get_int (value));
  else if (type == G_TYPE_UINT)
    json_builder_add_int_value (builder, g_value_get_uint (value));
  else if (type == G_TYPE_DOUBLE)
    add_double (builder, g_value_get_double (value));
  else if (type == G_TYPE_BOOLEAN)
    json_builder_add_boolean_value (builder, g_value_get_boolean (value));
  else if (G_TYPE_IS_ENUM (type))
    {
      g_autoptr(GEnumClass) klass = g_type_class_ref (type);
      GEnumValue *enum_value = g_enum_get_value (klass, g_value_get_enum (value));

      json_builder_add_string_value (builder, enum_value != NULL ? enum_value->value_nick : "");
    }
  else
    g_assert_not_reached ();
}

/* Writes every property except `structural` whose value is not the default. */
static void
add_generic_members (JsonBuilder        *builder,
                     GObject            *object,
                     const char * const *structural)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      if (g_strv_contains (structural, pspecs[i]->name))
        continue;
      g_value_init (&value, pspecs[i]->value_type);
      g_object_get_property (object, pspecs[i]->name, &value);
      if (is_default (pspecs[i], &value))
        continue;
      json_builder_set_member_name (builder, pspecs[i]->name);
      add_value (builder, &value);
    }
}

static void
add_socket (JsonBuilder  *builder,
            ZsSocketSpec *socket)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, zs_socket_spec_get_name (socket));
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, zs_socket_type_to_string (zs_socket_spec_get_socket_type (socket)));
  add_generic_members (builder, G_OBJECT (socket), socket_structural);
  json_builder_end_object (builder);
}

static void
add_node (JsonBuilder *builder,
          ZsNode      *node)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, zs_node_get_name (node));
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, zs_role_to_string (zs_node_get_role (node)));
  json_builder_set_member_name (builder, "x");
  add_double (builder, zs_node_get_x (node));
  json_builder_set_member_name (builder, "y");
  add_double (builder, zs_node_get_y (node));
  add_generic_members (builder, G_OBJECT (node), node_structural);

  json_builder_set_member_name (builder, "sockets");
  json_builder_begin_array (builder);
  for (guint i = 0; i < zs_node_get_n_sockets (node); i++)
    add_socket (builder, zs_node_get_socket (node, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

char *
zs_topology_save_to_data (ZsTopology *topology,
                          gsize      *length)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  GString *out;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, VERSION_MEMBER);
  json_builder_add_int_value (builder, ZS_TOPOLOGY_FILE_VERSION);
  add_generic_members (builder, G_OBJECT (topology), topology_members);
  json_builder_set_member_name (builder, "nodes");
  json_builder_begin_array (builder);
  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    add_node (builder, zs_topology_get_node (topology, i));
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  out = g_string_new (NULL);
  json_generator_to_gstring (generator, out);
  g_string_append_c (out, '\n');
  if (length != NULL)
    *length = out->len;
  return g_string_free (out, FALSE);
}

gboolean
zs_topology_save_to_file (ZsTopology  *topology,
                          const char  *path,
                          GError     **error)
{
  g_autofree char *data = NULL;
  gsize length;

  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  data = zs_topology_save_to_data (topology, &length);
  return g_file_set_contents (path, data, length, error);
}
