/* zs-window.h: a document window: palette, canvas, inspector, findings
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zs-application.h"

G_BEGIN_DECLS

typedef enum {
  /* Replace this window's document even if it holds changes; without it a
   * modified or running document is kept and a new window opens. */
  ZS_OPEN_HERE    = 1 << 0,
  /* A bundled example: Save asks where to save a copy. */
  ZS_OPEN_EXAMPLE = 1 << 1,
} ZsOpenFlags;

typedef enum {
  ZS_BANNER_INFO,
  ZS_BANNER_ERROR,
} ZsBannerKind;

#define ZS_TYPE_WINDOW (zs_window_get_type ())
G_DECLARE_FINAL_TYPE (ZsWindow, zs_window, ZS, WINDOW, GtkApplicationWindow)

ZsWindow *zs_window_new          (ZsApplication *application);
/* Loads `file`; on failure the current document stays and a banner says
 * why (file name, line:column). Returns the window that shows the file. */
ZsWindow *zs_window_open_file    (ZsWindow      *self,
                                  GFile         *file,
                                  ZsOpenFlags    flags);
/* Nothing to lose: an unmodified example or untitled document, not running. */
gboolean  zs_window_is_pristine  (ZsWindow      *self);
void      zs_window_show_banner  (ZsWindow      *self,
                                  ZsBannerKind   kind,
                                  const char    *message);

G_END_DECLS
