/* zs-lesson-check.c: each goal kind, judged from exact figures
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-lesson-check"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "zs-lesson-check.h"

void
zs_goal_result_free (ZsGoalResult *result)
{
  if (result == NULL)
    return;
  g_free (result->figures);
  g_free (result);
}

static char *
selection_text (const ZsGoal *goal)
{
  if (goal->has_role)
    return g_strdup_printf (_("every %s"), zs_role_to_string (goal->role));
  return g_strjoinv (", ", goal->nodes);
}

char *
zs_goal_describe (const ZsGoal *goal)
{
  g_autofree char *who = NULL;

  g_return_val_if_fail (goal != NULL, NULL);

  if (goal->text != NULL)
    return g_strdup (zs_lesson_text_get (goal->text));
  who = goal->nodes != NULL || goal->has_role ? selection_text (goal) : NULL;
  switch (goal->kind)
    {
    case ZS_GOAL_RECEIVES:
      if (goal->has_at_most)
        return g_strdup_printf (_("%s: each receives from %" PRIu64 " to %" PRIu64
                                  " messages"), who, goal->count, goal->at_most);
      return g_strdup_printf (_("%s: each receives at least %" PRIu64 " messages"), who, goal->count);
    case ZS_GOAL_ALL_GET_WORK:
      return g_strdup_printf (_("%s: each gets work"), who);
    case ZS_GOAL_NO_DROPS:
      return goal->link != NULL ? g_strdup_printf (_("no message is dropped from %s to %s"),
                                                   goal->link->connect, goal->link->bind)
                                : g_strdup (_("no message is dropped anywhere"));
    case ZS_GOAL_REPLIES_WITHIN:
      return g_strdup_printf (_("%s receives %" PRIu64 " messages within %g s"), who, goal->count,
                              goal->seconds);
    case ZS_GOAL_THROUGHPUT:
      return g_strdup_printf (_("%s receives at least %g messages per second"), who, goal->rate);
    case ZS_GOAL_REACHES_END:
      return g_strdup_printf (_("%s: each reaches its end"), who);
    case ZS_GOAL_LOCKED:
      return goal->link != NULL ? g_strdup_printf (_("the link from %s to %s stays as the lesson has it"),
                                                   goal->link->connect, goal->link->bind)
                                : g_strdup_printf (_("node “%s” stays as the lesson has it"), who);
    case ZS_GOAL_N_KINDS:
    default:
      break;
    }
  g_return_val_if_reached (NULL);
}

/* ------------------------------------------------------------------ */
/* Figures                                                             */

/* What `node` received: on its socket `socket` only (links into it), or
 * in all. FALSE if it has no such socket. */
static gboolean
node_received (ZsTopology       *topology,
               const ZsSnapshot *s,
               guint             node,
               const char       *socket,
               guint64          *out)
{
  GPtrArray *links = zs_topology_get_links (topology);
  int index;

  if (socket == NULL)
    {
      *out = s->nodes[node].received;
      return TRUE;
    }
  index = zs_node_find_socket_index (zs_topology_get_node (topology, node), socket);
  if (index < 0)
    return FALSE;
  *out = 0;
  for (guint i = 0; i < links->len && i < s->n_links; i++)
    {
      ZsLink *l = g_ptr_array_index (links, i);
      gboolean into_bind = l->bind_node == node && l->bind_socket == (guint) index;
      gboolean into_connect = l->connect_node == node && l->connect_socket == (guint) index;

      /* A link both ways (REQ–REP) counts both directions. */
      if ((into_bind && l->to_bind) || (into_connect && l->to_connect))
        *out += s->links[i].received;
    }
  return TRUE;
}

static void
add_problem (GString    *problems,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_problem (GString    *problems,
             const char *format,
             ...)
{
  va_list args;

  if (problems->len > 0)
    g_string_append (problems, "; ");
  va_start (args, format);
  g_string_append_vprintf (problems, format, args);
  va_end (args);
}

/* The goal's nodes in the student's topology: a missing one, or too few
 * of a role, is a problem. */
static GArray *
select_nodes (const ZsGoal *goal,
              ZsTopology   *student,
              GString      *problems)
{
  GArray *indices = zs_goal_select_nodes (goal, student);
  guint found = 0;

  for (guint i = 0; i < indices->len; i++)
    if (g_array_index (indices, int, i) < 0)
      add_problem (problems, _("there is no node “%s” in your topology"), goal->nodes[i]);
    else
      found++;
  if (goal->has_role && found < MAX (goal->min_nodes, 1))
    add_problem (problems, ngettext ("%u node of role %s, the goal needs at least %u",
                                     "%u nodes of role %s, the goal needs at least %u", found), found,
                 zs_role_to_string (goal->role), MAX (goal->min_nodes, 1));
  return indices;
}

/* One selected node that is in the student's topology. */
typedef void (*NodeCheck) (const ZsGoal     *goal,
                           ZsTopology       *student,
                           const ZsSnapshot *s,
                           guint             node,
                           const char       *name,
                           GString          *problems,
                           GString          *figures);

static void
check_each_node (const ZsGoal     *goal,
                 ZsTopology       *student,
                 const ZsSnapshot *s,
                 NodeCheck         check,
                 GString          *problems,
                 GString          *figures)
{
  g_autoptr(GArray) indices = select_nodes (goal, student, problems);

  for (guint i = 0; i < indices->len; i++)
    {
      int n = g_array_index (indices, int, i);

      if (n >= 0)
        check (goal, student, s, n, zs_node_get_name (zs_topology_get_node (student, n)), problems, figures);
    }
}

static void
check_receives (const ZsGoal     *goal,
                ZsTopology       *student,
                const ZsSnapshot *s,
                guint             node,
                const char       *name,
                GString          *problems,
                GString          *figures)
{
  guint64 received = 0;

  if (!node_received (student, s, node, goal->socket, &received))
    add_problem (problems, _("%s has no socket “%s”"), name, goal->socket);
  else if (received < goal->count)
    add_problem (problems, _("%s received %" PRIu64 ", fewer than %" PRIu64), name, received, goal->count);
  else if (goal->has_at_most && received > goal->at_most)
    add_problem (problems, _("%s received %" PRIu64 ", more than %" PRIu64), name, received, goal->at_most);
  else
    add_problem (figures, _("%s received %" PRIu64), name, received);
}

static void
check_no_drops (const ZsGoal     *goal,
                ZsTopology       *student,
                const ZsSnapshot *s,
                GString          *problems,
                GString          *figures)
{
  GPtrArray *links = zs_topology_get_links (student);
  int only = -1;

  if (goal->link != NULL)
    {
      only = zs_lesson_link_find (goal->link, student);
      if (only < 0)
        {
          add_problem (problems, _("your topology has no link from %s to %s"), goal->link->connect,
                       goal->link->bind);
          return;
        }
    }
  for (guint i = 0; i < links->len && i < s->n_links; i++)
    {
      const ZsLinkStats *l = &s->links[i];
      g_autofree char *label = NULL;

      if ((only >= 0 && (guint) only != i) || l->dropped == 0)
        continue;
      label = zs_topology_dup_link_name (student, g_ptr_array_index (links, i));
      if (l->missed > 0)
        add_problem (problems, _("%s: %" PRIu64 " of %" PRIu64 " dropped (%"
                                 PRIu64 " before the receiver joined)"),
                     label, l->dropped, l->sent, l->missed);
      else
        add_problem (problems, _("%s: %" PRIu64 " of %" PRIu64 " dropped"),
                     label, l->dropped, l->sent);
    }
  for (guint i = 0; only < 0 && i < s->n_nodes; i++)
    if (s->nodes[i].unroutable > 0)
      add_problem (problems, _("%s dropped %" PRIu64 " unroutable message(s)"),
                   zs_node_get_name (zs_topology_get_node (student, i)), s->nodes[i].unroutable);
  if (problems->len == 0)
    add_problem (figures, _("0 dropped"));
}

static const char *
state_text (const ZsNodeStats *n)
{
  return n->state == ZS_NODE_STATE_ERROR && n->error != NULL ? n->error : zs_node_state_to_string (n->state);
}

static double
seconds_between (gint64 from,
                 gint64 to)
{
  return from > 0 && to > from ? (double) (to - from) / G_USEC_PER_SEC : 0;
}

static void
check_replies_within (const ZsGoal     *goal,
                      ZsTopology       *student,
                      const ZsSnapshot *s,
                      guint             node,
                      const char       *name,
                      GString          *problems,
                      GString          *figures)
{
  const ZsNodeStats *n = &s->nodes[node];
  double took = seconds_between (s->run_started_us, n->done_at_us);

  if (n->received < goal->count)
    add_problem (problems, _("%s received %" PRIu64 " of %" PRIu64 " messages (it is %s)"),
                 name, n->received, goal->count, state_text (n));
  else if (n->state != ZS_NODE_STATE_DONE)
    add_problem (problems, _("%s received %" PRIu64 " messages but did not reach its end (it is %s)"),
                 name, n->received, state_text (n));
  else if (took > goal->seconds)
    add_problem (problems, _("%s received %" PRIu64 " messages in %.2f s, more than %g s"),
                 name, n->received, took, goal->seconds);
  else
    add_problem (figures, _("%s received %" PRIu64 " messages in %.2f s"), name, n->received, took);
}

static void
check_throughput (const ZsGoal     *goal,
                  ZsTopology       *student,
                  const ZsSnapshot *s,
                  guint             node,
                  const char       *name,
                  GString          *problems,
                  GString          *figures)
{
  const ZsNodeStats *n = &s->nodes[node];
  double took = seconds_between (n->started_at_us, n->done_at_us > 0 ? n->done_at_us : s->time_us);
  double rate = took > 0 ? n->received / took : 0;

  if (rate < goal->rate)
    add_problem (problems, _("%s received %" PRIu64 " in %.3f s: %.0f msg/s, less than %g"),
                 name, n->received, took, rate, goal->rate);
  else
    add_problem (figures, _("%s received %" PRIu64 " in %.3f s: %.0f msg/s"), name, n->received, took, rate);
}

static void
check_reaches_end (const ZsGoal     *goal,
                   ZsTopology       *student,
                   const ZsSnapshot *s,
                   guint             node,
                   const char       *name,
                   GString          *problems,
                   GString          *figures)
{
  const ZsNodeStats *n = &s->nodes[node];

  if (n->state != ZS_NODE_STATE_DONE)
    add_problem (problems, _("%s did not reach its end (it is %s, %" PRIu64 " received)"),
                 name, state_text (n), n->received);
  else
    add_problem (figures, _("%s reached its end"), name);
}

/* ------------------------------------------------------------------ */
/* Locks                                                               */

static gboolean
values_equal (GParamSpec   *pspec,
              const GValue *a,
              const GValue *b)
{
  if (G_PARAM_SPEC_VALUE_TYPE (pspec) == G_TYPE_STRV)
    {
      const char * const *x = g_value_get_boxed (a), * const *y = g_value_get_boxed (b);
      const char * const empty[] = { NULL };

      return g_strv_equal (x ? x : empty, y ? y : empty);
    }
  return g_param_values_cmp (pspec, a, b) == 0;
}

/* Compares one property; a difference is a problem that says both values. */
static void
compare_property (GObject    *mine,
                  GObject    *theirs,
                  GParamSpec *pspec,
                  const char *what,
                  GString    *problems)
{
  g_auto(GValue) a = G_VALUE_INIT;
  g_auto(GValue) b = G_VALUE_INIT;
  g_autofree char *shown_a = NULL, *shown_b = NULL;

  g_value_init (&a, pspec->value_type);
  g_value_init (&b, pspec->value_type);
  g_object_get_property (mine, pspec->name, &a);
  g_object_get_property (theirs, pspec->name, &b);
  if (values_equal (pspec, &a, &b))
    return;
  shown_a = g_strdup_value_contents (&a);
  shown_b = g_strdup_value_contents (&b);
  add_problem (problems, _("%s “%s” is locked: the lesson has %s, your file %s"), what, pspec->name,
               shown_a, shown_b);
}

static void
compare_object (GObject    *mine,
                GObject    *theirs,
                const char *what,
                GString    *problems)
{
  static const char * const free_to_move[] = { "x", "y", NULL };
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (mine), &n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    if (!g_strv_contains (free_to_move, pspecs[i]->name))
      compare_property (mine, theirs, pspecs[i], what, problems);
}

/* `setting` is "property" of the node or "socket.property". */
static void
compare_setting (ZsNode     *mine,
                 ZsNode     *theirs,
                 const char *setting,
                 GString    *problems)
{
  const char *dot = strchr (setting, '.');
  GObject *a = G_OBJECT (mine), *b = G_OBJECT (theirs);
  g_autofree char *what = g_strdup_printf (_("node %s:"), zs_node_get_name (mine));

  if (dot != NULL)
    {
      g_autofree char *socket = g_strndup (setting, dot - setting);
      int i = zs_node_find_socket_index (mine, socket);
      int j = zs_node_find_socket_index (theirs, socket);

      if (j < 0)
        {
          add_problem (problems, _("node %s: socket “%s” is locked and missing from your file"),
                       zs_node_get_name (mine), socket);
          return;
        }
      a = G_OBJECT (zs_node_get_socket (mine, i));
      b = G_OBJECT (zs_node_get_socket (theirs, j));
      g_free (what);
      what = g_strdup_printf (_("socket %s.%s:"), zs_node_get_name (mine), socket);
      setting = dot + 1;
    }
  compare_property (a, b, g_object_class_find_property (G_OBJECT_GET_CLASS (a), setting), what, problems);
}

static void
compare_node (ZsNode  *mine,
              ZsNode  *theirs,
              GString *problems)
{
  g_autofree char *what = g_strdup_printf (_("node %s:"), zs_node_get_name (mine));

  compare_object (G_OBJECT (mine), G_OBJECT (theirs), what, problems);
  if (zs_node_get_n_sockets (mine) != zs_node_get_n_sockets (theirs))
    {
      add_problem (problems, _("node %s is locked: the lesson gives it %u socket(s), your file %u"),
                   zs_node_get_name (mine), zs_node_get_n_sockets (mine), zs_node_get_n_sockets (theirs));
      return;
    }
  for (guint i = 0; i < zs_node_get_n_sockets (mine); i++)
    {
      ZsSocketSpec *socket = zs_node_get_socket (mine, i);
      g_autofree char *socket_what = g_strdup_printf (_("socket %s.%s:"), zs_node_get_name (mine),
                                                      zs_socket_spec_get_name (socket));

      compare_object (G_OBJECT (socket), G_OBJECT (zs_node_get_socket (theirs, i)), socket_what, problems);
    }
}

static void
check_locked (const ZsGoal *goal,
              ZsLesson     *lesson,
              ZsTopology   *student,
              GString      *problems,
              GString      *figures)
{
  ZsNode *mine, *theirs;

  if (goal->link != NULL)
    {
      if (zs_lesson_link_find (goal->link, student) < 0)
        add_problem (problems, _("the link from %s to %s is locked and missing from your file "
                                 "(%s must connect to %s’s bind)"),
                     goal->link->connect, goal->link->bind, goal->link->connect, goal->link->bind);
      else
        add_problem (figures, _("unchanged"));
      return;
    }
  mine = zs_topology_find_node (lesson->topology, goal->nodes[0]);
  theirs = zs_topology_find_node (student, goal->nodes[0]);
  if (theirs == NULL)
    add_problem (problems, _("node “%s” is locked and missing from your file"), goal->nodes[0]);
  else if (goal->settings == NULL)
    compare_node (mine, theirs, problems);
  else
    for (guint i = 0; goal->settings[i] != NULL; i++)
      compare_setting (mine, theirs, goal->settings[i], problems);
  if (problems->len == 0)
    add_problem (figures, _("unchanged"));
}

/* ------------------------------------------------------------------ */

static ZsGoalResult *
check_goal (ZsLesson         *lesson,
            guint             index,
            ZsTopology       *student,
            const ZsSnapshot *s,
            const char       *why_not)
{
  const ZsGoal *goal = g_ptr_array_index (lesson->goals, index);
  ZsGoalResult *result = g_new0 (ZsGoalResult, 1);
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GString) figures = g_string_new (NULL);

  result->goal = goal;
  result->index = index;
  if (goal->kind == ZS_GOAL_LOCKED && student != NULL)
    check_locked (goal, lesson, student, problems, figures);
  else if (s == NULL || student == NULL)
    add_problem (problems, "%s", why_not != NULL ? why_not : _("the topology did not run"));
  else
    switch (goal->kind)
      {
      case ZS_GOAL_RECEIVES:
      case ZS_GOAL_ALL_GET_WORK:
        check_each_node (goal, student, s, check_receives, problems, figures);
        break;
      case ZS_GOAL_NO_DROPS:
        check_no_drops (goal, student, s, problems, figures);
        break;
      case ZS_GOAL_REPLIES_WITHIN:
        check_each_node (goal, student, s, check_replies_within, problems, figures);
        break;
      case ZS_GOAL_THROUGHPUT:
        check_each_node (goal, student, s, check_throughput, problems, figures);
        break;
      case ZS_GOAL_REACHES_END:
        check_each_node (goal, student, s, check_reaches_end, problems, figures);
        break;
      case ZS_GOAL_LOCKED:
      case ZS_GOAL_N_KINDS:
      default:
        g_assert_not_reached ();
      }
  result->passed = problems->len == 0;
  result->figures = g_strdup (result->passed ? figures->str : problems->str);
  return result;
}

GPtrArray *
zs_lesson_check (ZsLesson         *lesson,
                 ZsTopology       *student,
                 const ZsSnapshot *snapshot,
                 const char       *why_not)
{
  GPtrArray *results = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_goal_result_free);

  g_return_val_if_fail (lesson != NULL, results);
  g_return_val_if_fail (student == NULL || ZS_IS_TOPOLOGY (student), results);
  g_return_val_if_fail (snapshot == NULL || student != NULL, results);
  g_return_val_if_fail (snapshot == NULL
                        || (snapshot->n_nodes == zs_topology_get_n_nodes (student)
                            && snapshot->n_links == zs_topology_get_links (student)->len), results);

  for (guint i = 0; i < lesson->goals->len; i++)
    g_ptr_array_add (results, check_goal (lesson, i, student, snapshot, why_not));
  return results;
}
