/* zs-attach-dialog.h: Attach…: where to see ZeroMQ programs from the wire
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ZS_TYPE_ATTACH_DIALOG (zs_attach_dialog_get_type ())
G_DECLARE_FINAL_TYPE (ZsAttachDialog, zs_attach_dialog, ZS, ATTACH_DIALOG, GtkWindow)

/* Live capture on loopback and ZMTP found by its greeting, until changed.
 * Signal "attach" (): the user chose; the dialog then closes. */
ZsAttachDialog *zs_attach_dialog_new           (GtkWindow      *parent);
/* The interface to capture on, or NULL when reading a file or following helpers. */
const char     *zs_attach_dialog_get_interface (ZsAttachDialog *self);
/* The capture file to read, or NULL when capturing live. */
const char     *zs_attach_dialog_get_file      (ZsAttachDialog *self);
/* Chooses reading `path`. */
void            zs_attach_dialog_set_file      (ZsAttachDialog *self,
                                                const char     *path);
/* The capture helpers to follow, "tcp://HOST:PORT KEY, …" (an ipc://
 * endpoint needs no key), or NULL when capturing here or reading a file. */
const char     *zs_attach_dialog_get_helpers   (ZsAttachDialog *self);
/* Chooses following `helpers`. */
void            zs_attach_dialog_set_helpers   (ZsAttachDialog *self,
                                                const char     *helpers);
/* The ports ("5555,6000-6010"), or NULL: ZMTP found by its greeting. */
const char     *zs_attach_dialog_get_ports     (ZsAttachDialog *self);
/* What the Attach button does. */
void            zs_attach_dialog_attach        (ZsAttachDialog *self);

G_END_DECLS
