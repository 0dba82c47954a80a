/* zs-timeline-private.h: the timeline's parts, for zs-timeline.c and the tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "zs-timeline.h"

G_BEGIN_DECLS

struct _ZsTimeline
{
  GtkWidget        parent_instance;

  /* Template children */
  GtkToggleButton *play_button;
  GtkDropDown     *speed_dropdown;
  GtkRange        *scale;
  GtkDrawingArea  *ticks;
  GtkLabel        *time_label;
  GtkButton       *live_button;

  ZsRunSession    *session;
  /* The scale moved by the session, not by the user. */
  gboolean         syncing;
};

G_END_DECLS
