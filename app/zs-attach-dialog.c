/* zs-attach-dialog.c: Attach…: where to see ZeroMQ programs from the wire
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-attach-dialog"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-attach-dialog.h"
#include "zs-wire-pcap.h"

struct _ZsAttachDialog
{
  GtkWindow       parent_instance;

  GtkCheckButton *live_check;
  GtkDropDown    *interface_dropdown;
  GtkCheckButton *file_check;
  GtkEntry       *file_entry;
  GtkWidget      *choose_button;
  GtkCheckButton *helpers_check;
  GtkEntry       *helpers_entry;
  GtkEntry       *ports_entry;
  GtkWidget      *cancel_button;
  GtkWidget      *attach_button;

  GtkNativeDialog *chooser;
  char           *file;
  char           *helpers;
  char           *ports;
};

enum {
  SIGNAL_ATTACH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (ZsAttachDialog, zs_attach_dialog, GTK_TYPE_WINDOW)

static void
on_chooser_response_cb (GtkNativeDialog *native,
                        int              response,
                        ZsAttachDialog  *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;

  if (response == GTK_RESPONSE_ACCEPT && path != NULL)
    zs_attach_dialog_set_file (self, path);
  g_clear_object (&self->chooser);
}

static void
on_choose_clicked_cb (ZsAttachDialog *self)
{
  GtkFileChooserNative *native;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  native = gtk_file_chooser_native_new (_("Read a Capture File"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_filter_set_name (filter, _("Packet captures (*.pcap, *.pcapng)"));
  gtk_file_filter_add_pattern (filter, "*.pcap");
  gtk_file_filter_add_pattern (filter, "*.pcapng");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_signal_connect (native, "response", G_CALLBACK (on_chooser_response_cb), self);
  g_clear_object (&self->chooser);
  self->chooser = GTK_NATIVE_DIALOG (native);
  gtk_native_dialog_show (self->chooser);
}

/* Typing a file's name chooses reading it. */
static void
on_file_changed_cb (ZsAttachDialog *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->file_entry)) != '\0')
    gtk_check_button_set_active (self->file_check, TRUE);
}

/* Typing a helper's address chooses following helpers. */
static void
on_helpers_changed_cb (ZsAttachDialog *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->helpers_entry)) != '\0')
    gtk_check_button_set_active (self->helpers_check, TRUE);
}

static void
zs_attach_dialog_dispose (GObject *object)
{
  ZsAttachDialog *self = ZS_ATTACH_DIALOG (object);

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZS_TYPE_ATTACH_DIALOG);
  G_OBJECT_CLASS (zs_attach_dialog_parent_class)->dispose (object);
}

static void
zs_attach_dialog_finalize (GObject *object)
{
  ZsAttachDialog *self = ZS_ATTACH_DIALOG (object);

  g_free (self->file);
  g_free (self->helpers);
  g_free (self->ports);
  G_OBJECT_CLASS (zs_attach_dialog_parent_class)->finalize (object);
}

static void
zs_attach_dialog_class_init (ZsAttachDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zs_attach_dialog_dispose;
  object_class->finalize = zs_attach_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zmqscope/Zmqscope/zs-attach-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, live_check);
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, interface_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, file_check);
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, file_entry);
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, choose_button);
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, helpers_check);
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, helpers_entry);
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, ports_entry);
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ZsAttachDialog, attach_button);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);

  signals[SIGNAL_ATTACH] =
    g_signal_new ("attach", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
zs_attach_dialog_init (ZsAttachDialog *self)
{
  g_auto(GStrv) interfaces = zs_wire_list_interfaces ();
  g_autoptr(GtkStringList) list = gtk_string_list_new ((const char * const *) interfaces);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drop_down_set_model (self->interface_dropdown, G_LIST_MODEL (list));
  g_signal_connect_object (self->choose_button, "clicked", G_CALLBACK (on_choose_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->file_entry, "changed", G_CALLBACK (on_file_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->helpers_entry, "changed", G_CALLBACK (on_helpers_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cancel_button, "clicked", G_CALLBACK (gtk_window_destroy), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->attach_button, "clicked", G_CALLBACK (zs_attach_dialog_attach), self,
                           G_CONNECT_SWAPPED);
}

ZsAttachDialog *
zs_attach_dialog_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (ZS_TYPE_ATTACH_DIALOG, "transient-for", parent,
                       "application", parent != NULL ? gtk_window_get_application (parent) : NULL,
                       NULL);
}

const char *
zs_attach_dialog_get_interface (ZsAttachDialog *self)
{
  GtkStringObject *item;

  g_return_val_if_fail (ZS_IS_ATTACH_DIALOG (self), NULL);

  if (!gtk_check_button_get_active (self->live_check))
    return NULL;
  item = gtk_drop_down_get_selected_item (self->interface_dropdown);
  return item != NULL ? gtk_string_object_get_string (item) : ZS_WIRE_DEFAULT_INTERFACE;
}

const char *
zs_attach_dialog_get_file (ZsAttachDialog *self)
{
  g_return_val_if_fail (ZS_IS_ATTACH_DIALOG (self), NULL);

  if (!gtk_check_button_get_active (self->file_check))
    return NULL;
  g_free (self->file);
  self->file = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->file_entry))));
  return self->file;
}

void
zs_attach_dialog_set_file (ZsAttachDialog *self,
                           const char     *path)
{
  g_return_if_fail (ZS_IS_ATTACH_DIALOG (self));
  g_return_if_fail (path != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->file_entry), path);
  gtk_check_button_set_active (self->file_check, TRUE);
}

const char *
zs_attach_dialog_get_helpers (ZsAttachDialog *self)
{
  g_return_val_if_fail (ZS_IS_ATTACH_DIALOG (self), NULL);

  if (!gtk_check_button_get_active (self->helpers_check))
    return NULL;
  g_free (self->helpers);
  self->helpers = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->helpers_entry))));
  return self->helpers;
}

void
zs_attach_dialog_set_helpers (ZsAttachDialog *self,
                              const char     *helpers)
{
  g_return_if_fail (ZS_IS_ATTACH_DIALOG (self));
  g_return_if_fail (helpers != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->helpers_entry), helpers);
  gtk_check_button_set_active (self->helpers_check, TRUE);
}

const char *
zs_attach_dialog_get_ports (ZsAttachDialog *self)
{
  g_return_val_if_fail (ZS_IS_ATTACH_DIALOG (self), NULL);

  g_free (self->ports);
  self->ports = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->ports_entry))));
  if (*self->ports == '\0')
    g_clear_pointer (&self->ports, g_free);
  return self->ports;
}

void
zs_attach_dialog_attach (ZsAttachDialog *self)
{
  g_return_if_fail (ZS_IS_ATTACH_DIALOG (self));

  g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_ATTACH], 0);
  gtk_window_destroy (GTK_WINDOW (self));
  g_object_unref (self);
}
