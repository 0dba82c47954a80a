/* zs-compare-dialog.h: Compare…: one run per variant, figures side by side
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "zs-comparison.h"

G_BEGIN_DECLS

#define ZS_TYPE_COMPARE_DIALOG (zs_compare_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZsCompareDialog, zs_compare_dialog, ZS, COMPARE_DIALOG, GtkWindow)

/* Compares variants of a copy of `topology` (later edits do not reach it). */
ZsCompareDialog *zs_compare_dialog_new            (GtkWindow       *parent,
                                                   ZsTopology      *topology);
/* The comparison shown (running or done), or NULL before Compare. */
ZsComparison    *zs_compare_dialog_get_comparison (ZsCompareDialog *self);

G_END_DECLS
