/* zs-inspector-editors.c: an editor per GParamSpec type: entry, spin button,
 * switch, drop-down for enums, one-per-line text for string lists
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-inspector"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-enums.h"
#include "zs-inspector-private.h"
#include "zs-role.h"

typedef struct {
  GtkWidget *(*create) (ZsEditor *editor);
  void       (*sync)   (ZsEditor *editor, const GValue *value);
} EditorKind;

static void
apply_value (ZsEditor     *editor,
             const GValue *value)
{
  if (!_zs_inspector_is_syncing (editor->inspector))
    _zs_inspector_apply (editor->inspector, editor, value);
}

/* ---- string ------------------------------------------------------------------ */

static void
on_entry_changed_cb (GtkEditable *editable,
                     ZsEditor    *editor)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, gtk_editable_get_text (editable));
  apply_value (editor, &value);
}

static GtkWidget *
create_entry (ZsEditor *editor)
{
  GtkWidget *entry = gtk_entry_new ();

  g_signal_connect (entry, "changed", G_CALLBACK (on_entry_changed_cb), editor);
  return entry;
}

static void
sync_entry (ZsEditor     *editor,
            const GValue *value)
{
  const char *text = g_value_get_string (value);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (editor->widget)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (editor->widget), text ? text : "");
}

/* ---- boolean ------------------------------------------------------------------ */

static void
on_switch_active_cb (GtkSwitch  *widget,
                     GParamSpec *pspec,
                     ZsEditor   *editor)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_BOOLEAN);
  g_value_set_boolean (&value, gtk_switch_get_active (widget));
  apply_value (editor, &value);
}

static GtkWidget *
create_switch (ZsEditor *editor)
{
  GtkWidget *widget = gtk_switch_new ();

  gtk_widget_set_halign (widget, GTK_ALIGN_START);
  g_signal_connect (widget, "notify::active", G_CALLBACK (on_switch_active_cb), editor);
  return widget;
}

static void
sync_switch (ZsEditor     *editor,
             const GValue *value)
{
  gtk_switch_set_active (GTK_SWITCH (editor->widget), g_value_get_boolean (value));
}

/* ---- numbers ------------------------------------------------------------------ */

static void
on_spin_changed_cb (GtkSpinButton *spin,
                    ZsEditor      *editor)
{
  g_auto(GValue) number = G_VALUE_INIT;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&number, G_TYPE_DOUBLE);
  g_value_set_double (&number, gtk_spin_button_get_value (spin));
  g_value_init (&value, editor->pspec->value_type);
  g_value_transform (&number, &value);
  apply_value (editor, &value);
}

static void
number_range (GParamSpec *pspec,
              double     *min,
              double     *max)
{
  if (G_IS_PARAM_SPEC_INT (pspec))
    *min = G_PARAM_SPEC_INT (pspec)->minimum, *max = G_PARAM_SPEC_INT (pspec)->maximum;
  else if (G_IS_PARAM_SPEC_UINT (pspec))
    *min = G_PARAM_SPEC_UINT (pspec)->minimum, *max = G_PARAM_SPEC_UINT (pspec)->maximum;
  else
    *min = G_PARAM_SPEC_DOUBLE (pspec)->minimum, *max = G_PARAM_SPEC_DOUBLE (pspec)->maximum;
}

static GtkWidget *
create_spin (ZsEditor *editor)
{
  double min, max;
  GtkWidget *spin;

  number_range (editor->pspec, &min, &max);
  spin = gtk_spin_button_new_with_range (min, max, 1);
  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin),
                              G_IS_PARAM_SPEC_DOUBLE (editor->pspec) ? 1 : 0);
  g_signal_connect (spin, "value-changed", G_CALLBACK (on_spin_changed_cb), editor);
  return spin;
}

static void
sync_spin (ZsEditor     *editor,
           const GValue *value)
{
  g_auto(GValue) number = G_VALUE_INIT;

  g_value_init (&number, G_TYPE_DOUBLE);
  g_value_transform (value, &number);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (editor->widget), g_value_get_double (&number));
}

/* ---- enums ------------------------------------------------------------------ */

static void
on_dropdown_selected_cb (GtkDropDown *dropdown,
                         GParamSpec  *pspec,
                         ZsEditor    *editor)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (editor->pspec)->enum_class;
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_auto(GValue) value = G_VALUE_INIT;

  if (selected >= klass->n_values)
    return;
  g_value_init (&value, editor->pspec->value_type);
  g_value_set_enum (&value, klass->values[selected].value);
  apply_value (editor, &value);
}

/* What the user reads: ZeroMQ's own names for socket types ("PUB"), the
 * translated labels of roles; the nick for other enums. */
static const char *
enum_label (GParamSpec       *pspec,
            const GEnumValue *value)
{
  if (pspec->value_type == ZS_TYPE_SOCKET_TYPE)
    return zs_socket_type_to_string (value->value);
  if (pspec->value_type == ZS_TYPE_ROLE)
    return zs_role_get_label (value->value);
  return value->value_nick;
}

static GtkWidget *
create_dropdown (ZsEditor *editor)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (editor->pspec)->enum_class;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  for (guint i = 0; i < klass->n_values; i++)
    gtk_string_list_append (names, enum_label (editor->pspec, &klass->values[i]));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_steal_pointer (&names)), NULL);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (on_dropdown_selected_cb), editor);
  return dropdown;
}

static void
sync_dropdown (ZsEditor     *editor,
               const GValue *value)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (editor->pspec)->enum_class;
  int current = g_value_get_enum (value);

  for (guint i = 0; i < klass->n_values; i++)
    if (klass->values[i].value == current)
      gtk_drop_down_set_selected (GTK_DROP_DOWN (editor->widget), i);
}

/* ---- string lists: one item per line ------------------------------------------------ */

static GtkTextBuffer *
strv_buffer (ZsEditor *editor)
{
  return gtk_text_view_get_buffer (g_object_get_data (G_OBJECT (editor->widget), "zs-text-view"));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* One item per line; an empty text is no item. */
static GStrv
parse_lines (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_strv_length (lines);

  if (n > 1 && lines[n - 1][0] == '\0')
    n--;
  if (text[0] == '\0')
    n = 0;
  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, lines[i]);
  return g_strv_builder_end (builder);
}

static void
on_buffer_changed_cb (GtkTextBuffer *buffer,
                      ZsEditor      *editor)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autofree char *text = buffer_text (buffer);

  g_value_init (&value, G_TYPE_STRV);
  g_value_take_boxed (&value, parse_lines (text));
  apply_value (editor, &value);
}

/* The text view grows with its lines: the wheel scrolls the whole form. */
static GtkWidget *
lines_view (ZsEditor  *editor,
            GCallback  changed)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *frame = gtk_frame_new (NULL);

  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 4);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 4);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 4);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_CHAR);
  gtk_frame_set_child (GTK_FRAME (frame), view);
  gtk_widget_set_size_request (frame, -1, 32);
  g_object_set_data (G_OBJECT (frame), "zs-text-view", view);
  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed", changed, editor);
  return frame;
}

static GtkWidget *
create_lines (ZsEditor *editor)
{
  return lines_view (editor, G_CALLBACK (on_buffer_changed_cb));
}

/* Sets the text unless it already means `items` (a trailing newline being typed). */
static void
sync_text (GtkTextBuffer      *buffer,
           const char * const *items)
{
  g_autofree char *current = buffer_text (buffer);
  g_auto(GStrv) parsed = parse_lines (current);
  g_autofree char *text = g_strjoinv ("\n", (char **) items);

  if (!g_strv_equal ((const char * const *) parsed, items))
    gtk_text_buffer_set_text (buffer, text, -1);
}

static void
sync_lines (ZsEditor     *editor,
            const GValue *value)
{
  const char * const *items = g_value_get_boxed (value);

  sync_text (strv_buffer (editor), items != NULL ? items : (const char *[]) { NULL });
}

/* ---- SUBSCRIBE: "everything" (the empty prefix) apart from the prefixes ------------- */

static GtkCheckButton *
everything_check (ZsEditor *editor)
{
  return g_object_get_data (G_OBJECT (editor->widget), "zs-everything");
}

/* The prefixes typed: the lines that are not empty. */
static GStrv
typed_prefixes (ZsEditor *editor,
                gboolean  everything)
{
  g_autofree char *text = buffer_text (strv_buffer (editor));
  g_auto(GStrv) lines = parse_lines (text);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (everything)
    g_strv_builder_add (builder, "");
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_strv_builder_add (builder, lines[i]);
  return g_strv_builder_end (builder);
}

static void
apply_subscribe (ZsEditor *editor)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRV);
  g_value_take_boxed (&value, typed_prefixes (editor, gtk_check_button_get_active (everything_check (editor))));
  apply_value (editor, &value);
}

static void
on_subscribe_changed_cb (GObject  *object,
                         ZsEditor *editor)
{
  apply_subscribe (editor);
}

static void
on_everything_toggled_cb (GtkCheckButton *check,
                          ZsEditor       *editor)
{
  apply_subscribe (editor);
}

static GtkWidget *
create_subscribe (ZsEditor *editor)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *check = gtk_check_button_new_with_label (_("Everything (the empty prefix)"));
  GtkWidget *lines = lines_view (editor, G_CALLBACK (on_subscribe_changed_cb));
  GtkWidget *meaning = gtk_label_new (NULL);

  gtk_label_set_wrap (GTK_LABEL (meaning), TRUE);
  gtk_label_set_xalign (GTK_LABEL (meaning), 0);
  gtk_widget_add_css_class (meaning, "hint");
  g_signal_connect (check, "toggled", G_CALLBACK (on_everything_toggled_cb), editor);
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), lines);
  gtk_box_append (GTK_BOX (box), meaning);
  g_object_set_data (G_OBJECT (box), "zs-everything", check);
  g_object_set_data (G_OBJECT (box), "zs-text-view", g_object_get_data (G_OBJECT (lines), "zs-text-view"));
  g_object_set_data (G_OBJECT (box), "zs-meaning", meaning);
  return box;
}

/* What libzmq does with the list: no ZMQ_SUBSCRIBE at all receives nothing. */
static const char *
subscribe_meaning (const char * const *items)
{
  if (items[0] == NULL)
    return _("Nothing subscribed: this socket receives no message");
  if (g_strv_contains (items, ""))
    return _("Receives every message");
  return _("Receives the messages whose first frame starts with one of these prefixes");
}

static void
sync_subscribe (ZsEditor     *editor,
                const GValue *value)
{
  const char * const *items = g_value_get_boxed (value);
  gboolean everything;
  g_auto(GStrv) typed = NULL;

  items = items != NULL ? items : (const char *[]) { NULL };
  everything = g_strv_contains (items, "");
  gtk_check_button_set_active (everything_check (editor), everything);
  typed = typed_prefixes (editor, everything);
  /* Leaves the text alone while it means the same (an empty line being typed). */
  if (!g_strv_equal ((const char * const *) typed, items))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) prefixes = NULL;

      for (guint i = 0; items[i] != NULL; i++)
        if (items[i][0] != '\0')
          g_strv_builder_add (builder, items[i]);
      prefixes = g_strv_builder_end (builder);
      sync_text (strv_buffer (editor), (const char * const *) prefixes);
    }
  gtk_label_set_text (g_object_get_data (G_OBJECT (editor->widget), "zs-meaning"),
                      subscribe_meaning (items));
}

/* ---- rows ------------------------------------------------------------------ */

static const EditorKind kind_entry = { create_entry, sync_entry };
static const EditorKind kind_switch = { create_switch, sync_switch };
static const EditorKind kind_spin = { create_spin, sync_spin };
static const EditorKind kind_dropdown = { create_dropdown, sync_dropdown };
static const EditorKind kind_lines = { create_lines, sync_lines };
static const EditorKind kind_subscribe = { create_subscribe, sync_subscribe };

static const EditorKind *
editor_kind (GParamSpec *pspec)
{
  GType type = pspec->value_type;

  if (type == G_TYPE_STRING)
    return &kind_entry;
  if (type == G_TYPE_BOOLEAN)
    return &kind_switch;
  if (type == G_TYPE_INT || type == G_TYPE_UINT || type == G_TYPE_DOUBLE)
    return &kind_spin;
  if (G_IS_PARAM_SPEC_ENUM (pspec))
    return &kind_dropdown;
  if (type == G_TYPE_STRV && g_str_equal (pspec->name, "subscribe"))
    return &kind_subscribe;
  if (type == G_TYPE_STRV)
    return &kind_lines;
  return NULL;
}

GtkWidget *
_zs_editor_create_row (ZsEditor *editor)
{
  const EditorKind *kind = editor_kind (editor->pspec);
  const char *blurb = g_param_spec_get_blurb (editor->pspec);
  GtkWidget *row, *label;

  if (kind == NULL)
    return NULL;
  row = gtk_box_new (GTK_ORIENTATION_VERTICAL, 3);
  label = gtk_label_new (g_param_spec_get_nick (editor->pspec));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  editor->widget = kind->create (editor);
  editor->message = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (editor->message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (editor->message), 0);
  gtk_widget_add_css_class (editor->message, "finding");
  gtk_widget_set_visible (editor->message, FALSE);
  if (blurb != NULL)
    {
      gtk_widget_set_tooltip_text (label, blurb);
      gtk_widget_set_tooltip_text (editor->widget, blurb);
    }
  gtk_accessible_update_relation (GTK_ACCESSIBLE (editor->widget),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL, -1);

  gtk_box_append (GTK_BOX (row), label);
  gtk_box_append (GTK_BOX (row), editor->widget);
  gtk_box_append (GTK_BOX (row), editor->message);
  _zs_editor_sync (editor);
  return row;
}

void
_zs_editor_sync (ZsEditor *editor)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, editor->pspec->value_type);
  g_object_get_property (editor->object, editor->pspec->name, &value);
  editor_kind (editor->pspec)->sync (editor, &value);
}
