/* zs-window-private.h: what zs-window*.c and the tests share
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-canvas.h"
#include "zs-finding.h"
#include "zs-history.h"
#include "zs-wire-source.h"
#include "zs-window.h"

G_BEGIN_DECLS

struct _ZsWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children */
  GtkLabel             *title_label;
  GtkLabel             *subtitle_label;
  GtkLabel             *status_label;
  GtkMenuButton        *examples_button;
  GtkListBox           *examples_list;
  GtkRevealer          *banner_revealer;
  GtkWidget            *banner_box;
  GtkImage             *banner_icon;
  GtkLabel             *banner_label;
  GtkWidget            *palette;
  ZsCanvas             *canvas;
  GtkWidget            *inspector;
  GtkLabel             *findings_title;
  GtkListBox           *findings_list;
  GtkLabel             *findings_hint;   /* the list's placeholder */
  GtkDropDown          *speed_dropdown;
  GtkStack             *bottom_stack;
  GtkWidget            *bottom_panel;    /* the stack and its switcher */
  GtkWidget            *charts;
  GtkWidget            *message_view;
  GtkWidget            *event_list;
  GtkWidget            *timeline;

  /* The document: the topology is the canvas's */
  GFile                *file;
  GFile                *recording_file;  /* the document came from this recording */
  gboolean              is_example;
  GSignalGroup         *topology_signals;
  GSignalGroup         *history_signals;
  GBindingGroup        *history_bindings;
  GPtrArray            *findings;
  guint                 validate_idle_id;
  gboolean              close_after_save;
  GtkNativeDialog      *file_chooser;
  GSettings            *settings;        /* the app's, NULL without a schema */

  /* The run: the session the views show, kept after it ends until the
   * next edit or document */
  ZsRunSession         *session;
  gint64                last_status_us;
  gboolean              node_error_shown;
  gboolean              run_refused;     /* the banner says "Cannot run" */
  guint                 speed;           /* ZsWindowSpeed: kept across runs */

  /* Lessons (zs-window-lesson.c) */
  GMenu                *lessons_menu;
  GtkWidget            *lesson_panel;    /* ZsLessonPanel, made on the first lesson */
  /* Attach…: the programs seen from the wire (zs-window-attach.c) */
  ZsWireSource         *attached;
  guint                 attach_idle_id;  /* a grown topology: a new session */
  guint                 attach_watch_id; /* a file: shown once read */
  guint                 attach_silence_id; /* helpers: who has not answered */
};

/* The speed control, slowest first. */
typedef enum {
  ZS_WINDOW_SPEED_STEP,       /* one message at a time: paused, Step sends one */
  ZS_WINDOW_SPEED_1,
  ZS_WINDOW_SPEED_5,
  ZS_WINDOW_SPEED_20,
  ZS_WINDOW_SPEED_100,
  ZS_WINDOW_SPEED_FULL,
} ZsWindowSpeed;

/* zs-window.c */
ZsHistory  *_zs_window_get_history       (ZsWindow     *self);
/* "client › req › connects", "" for the whole topology */
char       *_zs_window_dup_finding_location (ZsWindow        *self,
                                             const ZsFinding *finding);
gboolean    _zs_window_save_to_file      (ZsWindow     *self,
                                          GFile        *file,
                                          GError      **error);
void        _zs_window_validate_now      (ZsWindow     *self);
/* No node: nothing to run. */
gboolean    _zs_window_is_empty          (ZsWindow     *self);
/* The size of a first window (nothing remembered yet) on this screen. */
void        _zs_window_first_size        (const GdkRectangle *screen,
                                          int          *width,
                                          int          *height);
void        _zs_window_hide_banner       (ZsWindow     *self);
/* What the Problems page says when it lists nothing: depends on the run. */
void        _zs_window_update_findings_hint (ZsWindow  *self);
/* A banner from `format`: "%s" the file's name, then "%s" the error's message. */
void        _zs_window_show_file_error   (ZsWindow     *self,
                                          const char   *format,
                                          GFile        *file,
                                          const GError *error);

/* The header's title and subtitle, and the window's title. */
void        _zs_window_update_title      (ZsWindow     *self);
/* The document is `topology`, untitled. */
void        _zs_window_set_document      (ZsWindow     *self,
                                          ZsTopology   *topology);

/* zs-window-lesson.c */
void        _zs_window_init_lessons      (ZsWindow     *self);
gboolean    _zs_window_is_lesson_file    (GFile        *file);
/* Its starting topology becomes the document, the panel shows it. */
ZsWindow   *_zs_window_open_lesson       (ZsWindow     *self,
                                          GFile        *file,
                                          ZsOpenFlags   flags);
/* Another document: the panel goes. */
void        _zs_window_close_lesson      (ZsWindow     *self);
/* The open lesson's title in the user's language; NULL without one. */
const char *_zs_window_get_lesson_title  (ZsWindow     *self);
/* After Run, with a lesson open: its faults (`faults`) play on the run's
 * clock, as in a graded run. */
void        _zs_window_play_lesson_faults (ZsWindow    *self);

/* zs-window-actions.c */
void        _zs_window_init_actions      (ZsWindow     *self);
void        _zs_window_update_actions    (ZsWindow     *self);
void        _zs_window_save_as_dialog    (ZsWindow     *self);
gboolean    _zs_window_is_running        (ZsWindow     *self);
void        _zs_window_stop_run          (ZsWindow     *self);
/* Another document: the last run's status line goes. */
void        _zs_window_forget_run        (ZsWindow     *self);
/* The views show `session`: a run just started, an attached capture (both
 * followed live), or an opened recording. */
void        _zs_window_show_session      (ZsWindow     *self,
                                          ZsRunSession *session);
/* Applies to the run and to the next ones. */
void        _zs_window_set_speed         (ZsWindow     *self,
                                          ZsWindowSpeed speed);

typedef void (*ZsChooserDone) (ZsWindow *self,
                               GFile    *file);
/* "pipeline.json" -> "pipeline.zsrec" */
char       *_zs_window_dup_suggested_name (ZsWindow            *self,
                                           const char          *extension);
/* A file chooser for `pattern` ("*.json;*.zsrec"); `done` on its answer. */
void        _zs_window_choose_file       (ZsWindow             *self,
                                          GtkFileChooserAction  action,
                                          const char           *title,
                                          const char           *filter_name,
                                          const char           *pattern,
                                          const char           *suggested_name,
                                          ZsChooserDone         done);

/* zs-window-recording.c: recordings opened and saved */
void        _zs_window_init_recording_actions (ZsWindow *self);
/* A .zsrec file. */
gboolean    _zs_window_is_recording_file (GFile        *file);
/* The recording in `file` into `recording`; returns a copy of its
 * topology to edit, NULL on error (the loader's message, with the byte). */
ZsTopology *_zs_window_load_recording    (GFile        *file,
                                          ZsRecording **recording,
                                          GError      **error);
/* The views show `recording`, scrubbable, nothing running. */
void        _zs_window_show_recording    (ZsWindow     *self,
                                          ZsRecording  *recording);
/* Save Recording…'s answer: the session's recording into `file`. */
gboolean    _zs_window_save_recording    (ZsWindow     *self,
                                          GFile        *file,
                                          GError      **error);

/* zs-window-attach.c */
void        _zs_window_init_attach       (ZsWindow     *self);
void        _zs_window_dispose_attach    (ZsWindow     *self);
/* "kernel drops: 12" (packets) while attached live, else NULL. */
char       *_zs_window_get_attach_status (ZsWindow     *self);

G_END_DECLS
