/* zs-lesson.c: the lesson file format (docs/lesson-format.md)
 *
 * A lesson is untrusted input, read as strictly as a topology: the same
 * strict scan first (size, nesting, comments, numbers beyond 64 bits),
 * then every member checked, an unknown one refused. Every error names
 * the member and where its value begins, "slow-joiner.json:12:15:
 * goals[1].kind: …", as the topology loader's syntax errors do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-lesson"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "zs-fault-script.h"
#include "zs-json-read.h"
#include "zs-lesson.h"
#include "zs-topology-file.h"

#define VERSION_MEMBER "zmqscope-lesson"
/* A lesson is two small topologies and some text. */
#define MAX_LESSON_SIZE (1024 * 1024)
#define MAX_SECONDS 3600.0
#define MAX_COUNT G_GINT64_CONSTANT (9007199254740992)
#define DEFAULT_SECONDS 30.0

struct _ZsLessonText {
  GHashTable *by_language;   /* "en", "zh_CN", … -> text */
};

static const char * const lesson_members[] = {
  VERSION_MEMBER, "title", "summary", "seconds", "topology", "solution", "steps", "goals", "faults", NULL
};
static const char * const step_members[] = { "text", "action", "fault", NULL };
static const char * const link_members[] = { "connect", "bind", NULL };

/* Per goal kind: its name, the members it takes and those it needs. */
static const struct {
  const char *name;
  const char *members;
  const char *required;
} goal_kinds[ZS_GOAL_N_KINDS] = {
  [ZS_GOAL_RECEIVES]       = { "receives", "node nodes role min-nodes socket count at-most", "count" },
  [ZS_GOAL_ALL_GET_WORK]   = { "all-get-work", "node nodes role min-nodes socket count", "" },
  [ZS_GOAL_NO_DROPS]       = { "no-drops", "link", "" },
  [ZS_GOAL_REPLIES_WITHIN] = { "replies-within", "node count seconds", "node count seconds" },
  [ZS_GOAL_THROUGHPUT]     = { "throughput", "node rate", "node rate" },
  [ZS_GOAL_REACHES_END]    = { "reaches-end", "node nodes role min-nodes", "" },
  [ZS_GOAL_LOCKED]         = { "locked", "node settings link", "" },
};

static const char * const action_names[] = { "none", "start", "pause", NULL };

/* ------------------------------------------------------------------ */
/* Texts                                                               */

static ZsLessonText *
text_new (void)
{
  ZsLessonText *text = g_new0 (ZsLessonText, 1);

  text->by_language = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return text;
}

static void
text_free (ZsLessonText *text)
{
  if (text == NULL)
    return;
  g_hash_table_unref (text->by_language);
  g_free (text);
}

const char *
zs_lesson_text_get_for (const ZsLessonText *text,
                        const char         *language)
{
  g_return_val_if_fail (language != NULL, NULL);

  return text != NULL ? g_hash_table_lookup (text->by_language, language) : NULL;
}

const char *
zs_lesson_text_get (const ZsLessonText *text)
{
  const char * const *languages = g_get_language_names ();

  if (text == NULL)
    return NULL;
  for (guint i = 0; languages[i] != NULL; i++)
    {
      const char *found = g_hash_table_lookup (text->by_language, languages[i]);

      if (found != NULL)
        return found;
    }
  return g_hash_table_lookup (text->by_language, "en");
}

/* ------------------------------------------------------------------ */
/* Freeing                                                             */

static void
lesson_link_free (ZsLessonLink *link)
{
  if (link == NULL)
    return;
  g_free (link->connect);
  g_free (link->bind);
  g_free (link);
}

static void
goal_free (ZsGoal *goal)
{
  text_free (goal->text);
  g_strfreev (goal->nodes);
  g_free (goal->socket);
  lesson_link_free (goal->link);
  g_strfreev (goal->settings);
  g_free (goal);
}

static void
step_free (ZsLessonStep *step)
{
  text_free (step->text);
  g_free (step->fault);
  g_free (step);
}

/* "node.socket" names `node`'s socket `socket`. */
static gboolean
names_socket (const char *end,
              const char *node,
              const char *socket)
{
  gsize n = strlen (node);

  return socket != NULL && strncmp (end, node, n) == 0 && end[n] == '.' && g_str_equal (end + n + 1, socket);
}

static gboolean
goal_locks (const ZsGoal *goal,
            const char   *node,
            const char   *socket,
            const char   *property)
{
  g_autofree char *setting = NULL;

  if (goal->link != NULL)
    {
      gboolean connects = names_socket (goal->link->connect, node, socket);
      gboolean binds = names_socket (goal->link->bind, node, socket);

      /* Removing a locked link's socket loses the link. */
      if (property == NULL)
        return connects || binds;
      return (connects && g_str_equal (property, "connects")) || (binds && g_str_equal (property, "binds"));
    }
  if (goal->nodes == NULL || !g_str_equal (goal->nodes[0], node))
    return FALSE;
  /* Deleting or renaming the node loses its locked settings too. */
  if (goal->settings == NULL || property == NULL || (socket == NULL && g_str_equal (property, "name")))
    return TRUE;
  setting = socket != NULL ? g_strdup_printf ("%s.%s", socket, property) : g_strdup (property);
  return g_strv_contains ((const char * const *) goal->settings, setting);
}

gboolean
zs_lesson_locks (ZsLesson   *lesson,
                 const char *node,
                 const char *socket,
                 const char *property)
{
  g_return_val_if_fail (lesson != NULL, FALSE);
  g_return_val_if_fail (node != NULL, FALSE);

  for (guint i = 0; i < lesson->goals->len; i++)
    {
      const ZsGoal *goal = g_ptr_array_index (lesson->goals, i);

      if (goal->kind == ZS_GOAL_LOCKED && goal_locks (goal, node, socket, property))
        return TRUE;
    }
  return FALSE;
}

gboolean
zs_lesson_locks_link (ZsLesson   *lesson,
                      ZsTopology *topology,
                      guint       link)
{
  g_return_val_if_fail (lesson != NULL, FALSE);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);

  for (guint i = 0; i < lesson->goals->len; i++)
    {
      const ZsGoal *goal = g_ptr_array_index (lesson->goals, i);

      if (goal->kind == ZS_GOAL_LOCKED && goal->link != NULL && zs_lesson_link_find (goal->link, topology) == (int) link)
        return TRUE;
    }
  return FALSE;
}

void
zs_lesson_free (ZsLesson *lesson)
{
  if (lesson == NULL)
    return;
  text_free (lesson->title);
  text_free (lesson->summary);
  g_clear_object (&lesson->topology);
  g_clear_object (&lesson->solution);
  g_clear_pointer (&lesson->steps, g_ptr_array_unref);
  g_clear_pointer (&lesson->goals, g_ptr_array_unref);
  g_free (lesson->faults);
  g_free (lesson);
}

const char *
zs_goal_kind_to_string (ZsGoalKind kind)
{
  g_return_val_if_fail (kind < ZS_GOAL_N_KINDS, NULL);

  return goal_kinds[kind].name;
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

/* The member a path's last component is in: "goals[0].count" is in
 * "goals[0]", which is in "goals". */
static gboolean
parent_path (char *path)
{
  char *cut = MAX (strrchr (path, '.'), strrchr (path, '['));

  if (cut == NULL || cut == path)
    return FALSE;
  *cut = '\0';
  return TRUE;
}

/* Every error says "PATH: …" (zs-json-read.h): prefixes where that
 * member's value begins, or, when it is missing, the object that lacks it. */
static void
add_position (const char  *data,
              gsize        length,
              const char  *name,
              GError      *error)
{
  const char *colon = strstr (error->message, ": ");
  g_autofree char *path = colon != NULL ? g_strndup (error->message, colon - error->message) : g_strdup ("");
  guint line = 1, column = 1;
  char *message;

  while (*path != '\0' && !zs_json_locate (data, length, path, &line, &column) && parent_path (path))
    ;
  message = g_strdup_printf ("%s:%u:%u: %s", name, line, column, error->message);
  g_free (error->message);
  error->message = message;
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static gboolean
read_number (JsonNode    *node,
             const char  *path,
             double       minimum,
             double       maximum,
             double      *out,
             GError     **error)
{
  if (!zs_json_read_number (node, path, out, error))
    return FALSE;
  if (*out < minimum || *out > maximum)
    return zs_json_invalid (error, path, _("%g is out of range; use a number from %g to %g"), *out, minimum, maximum);
  return TRUE;
}

static gboolean
read_count (JsonNode    *node,
            const char  *path,
            gint64       minimum,
            guint64     *out,
            GError     **error)
{
  gint64 count;

  if (!zs_json_read_integer_in_range (node, path, minimum, MAX_COUNT, &count, error))
    return FALSE;
  *out = (guint64) count;
  return TRUE;
}

static gboolean
read_names (JsonNode    *node,
            const char  *path,
            GStrv       *out,
            GError     **error)
{
  if (!zs_json_read_strv (node, path, out, error))
    return FALSE;
  if (**out == NULL)
    return zs_json_invalid (error, path, _("the list is empty; name at least one"));
  return TRUE;
}

static char *
join_names (const char * const *names)
{
  return g_strjoinv (", ", (char **) names);
}

/* Refuses a member of `json` that is not in `members`. */
static gboolean
check_members (JsonObject         *json,
               const char         *path,
               const char * const *members,
               GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, json);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_strv_contains (members, name))
      {
        g_autofree char *child = zs_json_member_path (path, name);
        g_autofree char *expected = join_names (members);

        return zs_json_invalid (error, child, _("unknown member; expected one of %s"), expected);
      }
  return TRUE;
}

static gboolean
is_language (const char *code)
{
  return g_regex_match_simple ("^[a-z]{2,3}(_[A-Z]{2})?$", code, 0, 0);
}

/* "text" or { "en": "text", "zh_CN": "文本" }: English is required. */
static gboolean
read_text (JsonNode       *node,
           const char     *path,
           ZsLessonText  **out,
           GError        **error)
{
  ZsLessonText *text;
  JsonObjectIter iter;
  const char *language, *string;
  JsonNode *member;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      if (!zs_json_read_string (node, path, &string, error))
        return FALSE;
      *out = text_new ();
      g_hash_table_insert ((*out)->by_language, g_strdup ("en"), g_strdup (string));
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return zs_json_wrong_type (error, path, _("a string or an object of texts by language"), node);

  text = *out = text_new ();
  json_object_iter_init (&iter, json_node_get_object (node));
  while (json_object_iter_next (&iter, &language, &member))
    {
      g_autofree char *child = zs_json_member_path (path, language);

      if (!is_language (language))
        return zs_json_invalid (error, child, _("“%s” is not a language code like “en” or “zh_CN”"), language);
      if (!zs_json_read_string (member, child, &string, error))
        return FALSE;
      g_hash_table_insert (text->by_language, g_strdup (language), g_strdup (string));
    }
  if (!g_hash_table_contains (text->by_language, "en"))
    return zs_json_invalid (error, path, _("the English text (“en”) is missing"));
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Topologies                                                          */

static gboolean
split_socket_name (const char  *full,
                   char       **node,
                   char       **socket)
{
  const char *dot = strrchr (full, '.');

  if (dot == NULL || dot == full || dot[1] == '\0')
    return FALSE;
  *node = g_strndup (full, dot - full);
  *socket = g_strdup (dot + 1);
  return TRUE;
}

static gboolean
socket_is (ZsTopology *topology,
           guint       node,
           guint       socket,
           const char *full)
{
  g_autofree char *node_name = NULL;
  g_autofree char *socket_name = NULL;
  ZsNode *n = zs_topology_get_node (topology, node);

  if (!split_socket_name (full, &node_name, &socket_name))
    return FALSE;
  return g_str_equal (zs_node_get_name (n), node_name)
         && g_str_equal (zs_socket_spec_get_name (zs_node_get_socket (n, socket)), socket_name);
}

int
zs_lesson_link_find (const ZsLessonLink *link,
                     ZsTopology         *topology)
{
  GPtrArray *links;

  g_return_val_if_fail (link != NULL, -1);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), -1);

  links = zs_topology_get_links (topology);
  for (guint i = 0; i < links->len; i++)
    {
      ZsLink *l = g_ptr_array_index (links, i);

      if (socket_is (topology, l->connect_node, l->connect_socket, link->connect)
          && socket_is (topology, l->bind_node, l->bind_socket, link->bind))
        return (int) i;
    }
  return -1;
}

GArray *
zs_goal_select_nodes (const ZsGoal *goal,
                      ZsTopology   *topology)
{
  GArray *indices = g_array_new (FALSE, FALSE, sizeof (int));

  g_return_val_if_fail (goal != NULL, indices);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), indices);

  for (guint i = 0; goal->nodes != NULL && goal->nodes[i] != NULL; i++)
    {
      ZsNode *node = zs_topology_find_node (topology, goal->nodes[i]);
      int index = node != NULL ? zs_topology_find_node_index (topology, node) : -1;

      g_array_append_val (indices, index);
    }
  for (guint i = 0; goal->has_role && i < zs_topology_get_n_nodes (topology); i++)
    if (zs_node_get_role (zs_topology_get_node (topology, i)) == goal->role)
      g_array_append_val (indices, i);
  return indices;
}

/* ------------------------------------------------------------------ */
/* Goals                                                               */

static gboolean
read_link (JsonNode       *node,
           const char     *path,
           ZsLessonLink  **out,
           GError        **error)
{
  JsonObject *json = NULL;
  ZsLessonLink *link;

  if (!zs_json_get_object (node, path, &json, error) || !check_members (json, path, link_members, error))
    return FALSE;
  link = *out = g_new0 (ZsLessonLink, 1);
  for (guint i = 0; link_members[i] != NULL; i++)
    {
      g_autofree char *child = zs_json_member_path (path, link_members[i]);
      JsonNode *member = json_object_get_member (json, link_members[i]);
      g_autofree char *node_name = NULL, *socket_name = NULL;
      const char *full;

      if (member == NULL)
        return zs_json_invalid (error, child, _("this member is required and missing"));
      if (!zs_json_read_string (member, child, &full, error))
        return FALSE;
      if (!split_socket_name (full, &node_name, &socket_name))
        return zs_json_invalid (error, child, _("“%s” does not name a socket; write “node.socket”"), full);
      if (i == 0)
        link->connect = g_strdup (full);
      else
        link->bind = g_strdup (full);
    }
  return TRUE;
}

static gboolean
read_role (JsonNode    *node,
           const char  *path,
           ZsRole      *out,
           GError     **error)
{
  const char *name;

  if (!zs_json_read_string (node, path, &name, error))
    return FALSE;
  if (!zs_role_from_string (name, out))
    return zs_json_invalid (error, path, _("unknown role “%s”"), name);
  return TRUE;
}

static gboolean
read_goal_member (ZsGoal      *goal,
                  const char  *name,
                  JsonNode    *node,
                  const char  *path,
                  GError     **error)
{
  const char *string;
  guint64 count;

  if (g_str_equal (name, "node"))
    {
      if (!zs_json_read_string (node, path, &string, error))
        return FALSE;
      g_strfreev (goal->nodes);
      goal->nodes = g_strdupv ((char *[]) { (char *) string, NULL });
      return TRUE;
    }
  if (g_str_equal (name, "nodes"))
    return read_names (node, path, &goal->nodes, error);
  if (g_str_equal (name, "settings"))
    return read_names (node, path, &goal->settings, error);
  if (g_str_equal (name, "role"))
    return read_role (node, path, &goal->role, error) && (goal->has_role = TRUE);
  if (g_str_equal (name, "min-nodes"))
    {
      if (!read_count (node, path, 1, &count, error))
        return FALSE;
      goal->min_nodes = (guint) MIN (count, G_MAXUINT);
      return TRUE;
    }
  if (g_str_equal (name, "socket"))
    return zs_json_read_string (node, path, &string, error) && (goal->socket = g_strdup (string));
  if (g_str_equal (name, "count"))
    return read_count (node, path, 0, &goal->count, error);
  if (g_str_equal (name, "at-most"))
    return read_count (node, path, 0, &goal->at_most, error) && (goal->has_at_most = TRUE);
  if (g_str_equal (name, "seconds"))
    return read_number (node, path, 0.001, MAX_SECONDS, &goal->seconds, error);
  if (g_str_equal (name, "rate"))
    return read_number (node, path, 0.001, 1e12, &goal->rate, error);
  if (g_str_equal (name, "link"))
    return read_link (node, path, &goal->link, error);
  g_assert_not_reached ();
}

static gboolean
find_kind (JsonObject  *json,
           const char  *path,
           ZsGoalKind  *out,
           GError     **error)
{
  g_autofree char *child = zs_json_member_path (path, "kind");
  JsonNode *node = json_object_get_member (json, "kind");
  GString *names;
  const char *kind;

  if (node == NULL)
    return zs_json_invalid (error, child, _("this member is required and missing"));
  if (!zs_json_read_string (node, child, &kind, error))
    return FALSE;
  for (guint i = 0; i < ZS_GOAL_N_KINDS; i++)
    if (g_str_equal (kind, goal_kinds[i].name))
      {
        *out = i;
        return TRUE;
      }
  names = g_string_new (NULL);
  for (guint i = 0; i < ZS_GOAL_N_KINDS; i++)
    g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", goal_kinds[i].name);
  zs_json_invalid (error, child, _("unknown goal kind “%s”; expected one of %s"), kind, names->str);
  g_string_free (names, TRUE);
  return FALSE;
}

/* A node named in a goal must be in `topology` (`which` says which one). */
static gboolean
check_named_nodes (ZsGoal      *goal,
                   ZsTopology  *topology,
                   const char  *path,
                   const char  *which,
                   GError     **error)
{
  g_autoptr(GArray) indices = zs_goal_select_nodes (goal, topology);

  for (guint i = 0; goal->nodes != NULL && goal->nodes[i] != NULL; i++)
    if (g_array_index (indices, int, i) < 0)
      return zs_json_invalid (error, path, _("there is no node “%s” in the lesson’s %s"), goal->nodes[i], which);
  return TRUE;
}

static gboolean
check_setting (ZsNode     *node,
               const char *setting)
{
  g_autofree char *socket_name = NULL, *property = NULL;
  GObject *object = G_OBJECT (node);
  const char *dot = strchr (setting, '.');

  if (dot != NULL)
    {
      int index;

      socket_name = g_strndup (setting, dot - setting);
      index = zs_node_find_socket_index (node, socket_name);
      if (index < 0)
        return FALSE;
      object = G_OBJECT (zs_node_get_socket (node, index));
      setting = dot + 1;
    }
  return g_object_class_find_property (G_OBJECT_GET_CLASS (object), setting) != NULL;
}

/* What a goal names must make sense against the lesson's own topologies. */
static gboolean
check_goal (ZsLesson    *lesson,
            ZsGoal      *goal,
            const char  *path,
            GError     **error)
{
  gboolean selects = strstr (goal_kinds[goal->kind].members, "role") != NULL;

  if (selects && goal->nodes == NULL && !goal->has_role)
    return zs_json_invalid (error, path, _("say which nodes: “node”, “nodes” or “role”"));
  if (goal->nodes != NULL && goal->has_role)
    return zs_json_invalid (error, path, _("name the nodes or give a role, not both"));
  if (goal->kind == ZS_GOAL_LOCKED)
    {
      g_autofree char *child = zs_json_member_path (path, goal->link != NULL ? "link" : "node");

      if ((goal->nodes == NULL) == (goal->link == NULL))
        return zs_json_invalid (error, path, _("a lock names either a “node” or a “link”"));
      if (goal->settings != NULL && goal->nodes == NULL)
        return zs_json_invalid (error, path, _("“settings” lock a node’s settings: name the “node”"));
      if (goal->link != NULL)
        return zs_lesson_link_find (goal->link, lesson->topology) >= 0
               || zs_json_invalid (error, child, _("the lesson’s topology has no link from %s to %s"),
                                   goal->link->connect, goal->link->bind);
      if (!check_named_nodes (goal, lesson->topology, child, _("topology"), error))
        return FALSE;
      for (guint i = 0; goal->settings != NULL && goal->settings[i] != NULL; i++)
        if (!check_setting (zs_topology_find_node (lesson->topology, goal->nodes[0]), goal->settings[i]))
          {
            g_autofree char *setting_path = g_strdup_printf ("%s.settings[%u]", path, i);

            return zs_json_invalid (error, setting_path, _("“%s” is not a setting of node “%s” (a property, or "
                                                           "“socket.property”)"), goal->settings[i], goal->nodes[0]);
          }
      return TRUE;
    }
  if (goal->link != NULL && zs_lesson_link_find (goal->link, lesson->solution) < 0)
    {
      g_autofree char *child = zs_json_member_path (path, "link");

      return zs_json_invalid (error, child, _("the lesson’s solution has no link from %s to %s"),
                              goal->link->connect, goal->link->bind);
    }
  return check_named_nodes (goal, lesson->solution, path, _("solution"), error);
}

static gboolean
read_goal (ZsLesson    *lesson,
           JsonNode    *item,
           const char  *path,
           GError     **error)
{
  g_auto(GStrv) members = NULL;
  g_auto(GStrv) required = NULL;
  JsonObject *json = NULL;
  ZsGoal *goal;
  ZsGoalKind kind = ZS_GOAL_RECEIVES;

  if (!zs_json_get_object (item, path, &json, error) || !find_kind (json, path, &kind, error))
    return FALSE;
  goal = g_new0 (ZsGoal, 1);
  goal->kind = kind;
  goal->count = kind == ZS_GOAL_ALL_GET_WORK ? 1 : 0;
  g_ptr_array_add (lesson->goals, goal);

  members = g_strsplit (goal_kinds[kind].members, " ", -1);
  required = g_strsplit (goal_kinds[kind].required, " ", -1);
  for (guint i = 0; required[i] != NULL; i++)
    if (*required[i] != '\0' && !json_object_has_member (json, required[i]))
      {
        g_autofree char *child = zs_json_member_path (path, required[i]);

        return zs_json_invalid (error, child, _("a “%s” goal needs this member"), goal_kinds[kind].name);
      }

  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *node;

    json_object_iter_init (&iter, json);
    while (json_object_iter_next (&iter, &name, &node))
      {
        g_autofree char *child = zs_json_member_path (path, name);

        if (g_str_equal (name, "kind"))
          continue;
        if (g_str_equal (name, "text"))
          {
            if (!read_text (node, child, &goal->text, error))
              return FALSE;
            continue;
          }
        if (!g_strv_contains ((const char * const *) members, name))
          return zs_json_invalid (error, child, _("a “%s” goal has no such member; it takes kind, text, %s"),
                                  goal_kinds[kind].name, goal_kinds[kind].members);
        if (!read_goal_member (goal, name, node, child, error))
          return FALSE;
      }
  }
  return check_goal (lesson, goal, path, error);
}

/* A step's "fault": one fault without its time ("kill server"), which
 * must fit the starting topology. */
static gboolean
read_step_fault (ZsLesson      *lesson,
                 ZsLessonStep  *step,
                 JsonNode      *node,
                 const char    *path,
                 GError       **error)
{
  g_autofree char *child = zs_json_member_path (path, "fault");
  g_autoptr(GError) local = NULL;
  const char *text;
  ZsFaultStep fault;

  if (node == NULL)
    return TRUE;
  if (!zs_json_read_string (node, child, &text, error))
    return FALSE;
  if (!zs_fault_step_parse (text, lesson->topology, &fault, &local))
    return zs_json_invalid (error, child, _("in the starting topology: %s"), local->message);
  step->fault = g_strdup (text);
  return TRUE;
}

static gboolean
read_step (ZsLesson    *lesson,
           JsonNode    *item,
           const char  *path,
           GError     **error)
{
  g_autofree char *text_path = zs_json_member_path (path, "text");
  JsonObject *json = NULL;
  JsonNode *action;
  ZsLessonStep *step;

  if (!zs_json_get_object (item, path, &json, error) || !check_members (json, path, step_members, error))
    return FALSE;
  step = g_new0 (ZsLessonStep, 1);
  g_ptr_array_add (lesson->steps, step);
  if (!json_object_has_member (json, "text"))
    return zs_json_invalid (error, text_path, _("this member is required and missing"));
  if (!read_text (json_object_get_member (json, "text"), text_path, &step->text, error))
    return FALSE;
  action = json_object_get_member (json, "action");
  if (action != NULL)
    {
      g_autofree char *child = zs_json_member_path (path, "action");
      const char *name;
      guint i;

      if (!zs_json_read_string (action, child, &name, error))
        return FALSE;
      for (i = 0; action_names[i] != NULL && !g_str_equal (action_names[i], name); i++)
        ;
      if (action_names[i] == NULL)
        {
          g_autofree char *names = join_names (action_names);

          return zs_json_invalid (error, child, _("unknown step action “%s”; expected one of %s"), name, names);
        }
      step->action = i;
    }
  return read_step_fault (lesson, step, json_object_get_member (json, "fault"), path, error);
}

typedef gboolean (*ReadItem) (ZsLesson    *lesson,
                              JsonNode    *item,
                              const char  *path,
                              GError     **error);

static gboolean
read_array (ZsLesson    *lesson,
            JsonObject  *json,
            const char  *member,
            ReadItem     read_item,
            GError     **error)
{
  JsonNode *node = json_object_get_member (json, member);
  JsonArray *array;

  if (node == NULL)
    return zs_json_invalid (error, member, _("this member is required and missing"));
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return zs_json_wrong_type (error, member, _("an array"), node);
  array = json_node_get_array (node);
  if (json_array_get_length (array) == 0)
    return zs_json_invalid (error, member, _("the list is empty"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *item_path = g_strdup_printf ("%s[%u]", member, i);

      if (!read_item (lesson, json_array_get_element (array, i), item_path, error))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* The lesson                                                          */

static gboolean
check_version (JsonObject  *json,
               GError     **error)
{
  JsonNode *node = json_object_get_member (json, VERSION_MEMBER);
  guint64 version;

  if (node == NULL)
    return zs_json_invalid (error, "", _("not a zmqscope lesson: the “%s” member with the format version is missing"),
                            VERSION_MEMBER);
  if (!read_count (node, VERSION_MEMBER, 1, &version, error))
    return FALSE;
  if (version > ZS_LESSON_FILE_VERSION)
    return zs_json_invalid (error, VERSION_MEMBER, _("this lesson was written for a newer zmqscope (format %"
                                                     PRIu64 "; this one reads format %d and older): "
                                                     "please update zmqscope"), version, ZS_LESSON_FILE_VERSION);
  return TRUE;
}

/* "faults": a fault script, one string; it must fit the starting
 * topology and the solution both (every node and link it names). */
static gboolean
read_faults (ZsLesson    *lesson,
             JsonObject  *json,
             GError     **error)
{
  JsonNode *node = json_object_get_member (json, "faults");
  const char *text = NULL;

  if (node == NULL)
    return TRUE;
  if (!zs_json_read_string (node, "faults", &text, error))
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) local = NULL;
      g_autoptr(ZsFaultScript) script = zs_fault_script_parse (text, i == 0 ? lesson->topology : lesson->solution,
                                                              &local);

      if (script == NULL)
        return zs_json_invalid (error, "faults", i == 0 ? _("in the starting topology: %s")
                                                        : _("in the solution: %s"), local->message);
    }
  lesson->faults = g_strdup (text);
  return TRUE;
}

static gboolean
read_lesson (ZsLesson   *lesson,
             JsonNode   *root,
             GError    **error)
{
  JsonObject *json = NULL;
  JsonNode *node;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return zs_json_invalid (error, "", _("a lesson is a JSON object like { \"%s\": 1, \"title\": …, \"topology\": …, "
                                         "\"solution\": …, \"steps\": […], \"goals\": […] }"), VERSION_MEMBER);
  json = json_node_get_object (root);
  if (!check_version (json, error) || !check_members (json, "", lesson_members, error))
    return FALSE;

  for (guint i = 0; i < 2; i++)
    {
      const char *member = i == 0 ? "title" : "summary";
      ZsLessonText **text = i == 0 ? &lesson->title : &lesson->summary;

      node = json_object_get_member (json, member);
      if (node == NULL && i == 0)
        return zs_json_invalid (error, member, _("this member is required and missing"));
      if (node != NULL && !read_text (node, member, text, error))
        return FALSE;
    }
  node = json_object_get_member (json, "seconds");
  lesson->seconds = DEFAULT_SECONDS;
  if (node != NULL && !read_number (node, "seconds", 0.1, MAX_SECONDS, &lesson->seconds, error))
    return FALSE;
  for (guint i = 0; i < 2; i++)
    {
      const char *member = i == 0 ? "topology" : "solution";
      ZsTopology **topology = i == 0 ? &lesson->topology : &lesson->solution;

      node = json_object_get_member (json, member);
      if (node == NULL)
        return zs_json_invalid (error, member, _("this member is required and missing"));
      /* Its errors name members from here: "topology.nodes[0].role: …". */
      *topology = zs_topology_load_from_json (node, member, error);
      if (*topology == NULL)
        return FALSE;
    }
  return read_array (lesson, json, "steps", read_step, error)
         && read_array (lesson, json, "goals", read_goal, error)
         && read_faults (lesson, json, error);
}

ZsLesson *
zs_lesson_load_from_data (const char  *data,
                          gssize       length,
                          const char  *name,
                          GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(ZsLesson) lesson = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (data == NULL)
    data = "";
  if (length < 0)
    length = strlen (data);
  if (name == NULL)
    name = "<data>";
  if (length > MAX_LESSON_SIZE)
    {
      g_set_error (error, ZS_TOPOLOGY_FILE_ERROR, ZS_TOPOLOGY_FILE_ERROR_INVALID,
                   _("%s: the lesson is larger than %d MiB"), name, MAX_LESSON_SIZE / (1024 * 1024));
      return NULL;
    }
  if (!zs_json_check_strict (data, length, name, error))
    return NULL;
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local))
    {
      /* json-glib says "<data>:3:14: …": keep that, with the file's name. */
      if (g_str_has_prefix (local->message, "<data>:"))
        g_set_error (error, ZS_TOPOLOGY_FILE_ERROR, ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "%s%s", name,
                     local->message + strlen ("<data>"));
      else
        g_set_error (error, ZS_TOPOLOGY_FILE_ERROR, ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "%s:%u:%u: %s", name,
                     json_parser_get_current_line (parser), json_parser_get_current_pos (parser),
                     local->message);
      return NULL;
    }

  lesson = g_new0 (ZsLesson, 1);
  lesson->steps = g_ptr_array_new_with_free_func ((GDestroyNotify) step_free);
  lesson->goals = g_ptr_array_new_with_free_func ((GDestroyNotify) goal_free);
  if (!read_lesson (lesson, json_parser_get_root (parser), &local))
    {
      add_position (data, length, name, local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return g_steal_pointer (&lesson);
}

ZsLesson *
zs_lesson_load_from_file (const char  *path,
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
  return zs_lesson_load_from_data (data, length, name, error);
}
