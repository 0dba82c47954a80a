/* zs-lesson.h: a lesson file: a starting topology, a reference solution,
 * steps of text and goals a run is graded against (docs/lesson-format.md)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_LESSON_FILE_VERSION 1

typedef enum {
  ZS_LESSON_ACTION_NONE,
  ZS_LESSON_ACTION_START,    /* "next" starts the run */
  ZS_LESSON_ACTION_PAUSE,    /* "next" pauses it */
} ZsLessonAction;

typedef enum {
  ZS_GOAL_RECEIVES,        /* each selected node receives at least `count` messages
                              (and at most `at_most`) */
  ZS_GOAL_ALL_GET_WORK,    /* each selected node receives at least `count` (default 1) */
  ZS_GOAL_NO_DROPS,        /* nothing dropped on `link`, or on any link (nor unroutable) */
  ZS_GOAL_REPLIES_WITHIN,  /* `node` ends with at least `count` received, within `seconds` */
  ZS_GOAL_THROUGHPUT,      /* `node` receives at least `rate` messages per second */
  ZS_GOAL_REACHES_END,     /* each selected node reaches its end */
  ZS_GOAL_LOCKED,          /* `node` (all of it, or `settings`) or `link` as the lesson has it */
  ZS_GOAL_N_KINDS,
} ZsGoalKind;

/* A text in several languages: "en" always, others optional. */
typedef struct _ZsLessonText ZsLessonText;

/* A link named by its two sockets, "node.socket" each. */
typedef struct {
  char *connect;
  char *bind;
} ZsLessonLink;

typedef struct {
  ZsGoalKind     kind;
  ZsLessonText  *text;        /* what the goal asks, for the student; may be NULL */
  /* Which nodes: `nodes` by name, or every node of `role` (then at least
   * `min_nodes` of them). */
  GStrv          nodes;
  gboolean       has_role;
  ZsRole         role;
  guint          min_nodes;
  char          *socket;      /* receives: count only what arrives on this socket */
  guint64        count;
  gboolean       has_at_most;
  guint64        at_most;     /* receives: and no more than this (a SUB's filter) */
  double         seconds;
  double         rate;
  ZsLessonLink  *link;        /* no-drops, locked */
  GStrv          settings;    /* locked: "property" of the node, "socket.property" of a socket */
} ZsGoal;

typedef struct {
  ZsLessonText   *text;
  ZsLessonAction  action;
  char           *fault;      /* "next" applies this fault to the run (after its action),
                                 as a fault script writes it without the time: "kill
                                 server" (docs/fault-script.md); NULL if none */
} ZsLessonStep;

typedef struct {
  ZsLessonText *title;
  ZsLessonText *summary;
  double        seconds;     /* the longest a graded run may take */
  ZsTopology   *topology;    /* where the student starts */
  ZsTopology   *solution;    /* the reference solution */
  GPtrArray    *steps;       /* ZsLessonStep */
  GPtrArray    *goals;       /* ZsGoal */
  char         *faults;      /* a fault script (docs/fault-script.md) every graded run
                                plays on its clock, or NULL */
} ZsLesson;

ZsLesson     *zs_lesson_load_from_data   (const char  *data,
                                          gssize       length,
                                          const char  *name,
                                          GError     **error);
ZsLesson     *zs_lesson_load_from_file   (const char  *path,
                                          GError     **error);
void          zs_lesson_free             (ZsLesson    *lesson);

/* The text in the user's language (g_get_language_names ()), else English. */
const char   *zs_lesson_text_get         (const ZsLessonText *text);
/* The text in `language` ("zh_CN"), NULL if it has none. */
const char   *zs_lesson_text_get_for     (const ZsLessonText *text,
                                          const char         *language);

const char   *zs_goal_kind_to_string     (ZsGoalKind  kind);
/* The node indices `goal` selects in `topology` (its `nodes` or `role`);
 * a named node that is missing is -1. */
GArray       *zs_goal_select_nodes       (const ZsGoal *goal,
                                          ZsTopology   *topology);
/* Index of the link `link` names in `topology`'s links, or -1. */
int           zs_lesson_link_find        (const ZsLessonLink *link,
                                          ZsTopology         *topology);

/* Whether the lesson's locked goals forbid changing a part of the
 * topology: node `node`'s property `property` (`socket` NULL), or its
 * socket `socket`'s; with `property` NULL, the node (or socket) itself
 * (deleting or renaming it: it holds locked settings). A locked link
 * locks its connecting socket's "connects" and its binding socket's
 * "binds", and both sockets themselves (removing one loses the link). */
gboolean      zs_lesson_locks            (ZsLesson    *lesson,
                                          const char  *node,
                                          const char  *socket,
                                          const char  *property);
/* Whether link `link` of `topology` is one a locked goal keeps. */
gboolean      zs_lesson_locks_link       (ZsLesson    *lesson,
                                          ZsTopology  *topology,
                                          guint        link);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsLesson, zs_lesson_free)

G_END_DECLS
