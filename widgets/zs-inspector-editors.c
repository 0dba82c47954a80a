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

/* A role reads as in the palette, translated (the table of zs-role.c);
 * the ZS_ROLE_N_ROLES sentinel is no choice. */
static guint
dropdown_n_choices (ZsEditor *editor)
{
  if (editor->pspec->value_type == ZS_TYPE_ROLE)
    return ZS_ROLE_N_ROLES;
  return G_PARAM_SPEC_ENUM (editor->pspec)->enum_class->n_values;
}

static const char *
dropdown_label (ZsEditor         *editor,
                const GEnumValue *value)
{
  if (editor->pspec->value_type == ZS_TYPE_ROLE)
    return zs_role_get_label ((ZsRole) value->value);
  return value->value_nick;
}

static void
on_dropdown_selected_cb (GtkDropDown *dropdown,
                         GParamSpec  *pspec,
                         ZsEditor    *editor)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (editor->pspec)->enum_class;
  guint selected = gtk_drop_down_get_selected (dropdown);
  g_auto(GValue) value = G_VALUE_INIT;

  if (selected >= dropdown_n_choices (editor))
    return;
  g_value_init (&value, editor->pspec->value_type);
  g_value_set_enum (&value, klass->values[selected].value);
  apply_value (editor, &value);
}

static GtkWidget *
create_dropdown (ZsEditor *editor)
{
  GEnumClass *klass = G_PARAM_SPEC_ENUM (editor->pspec)->enum_class;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  GtkWidget *dropdown;

  for (guint i = 0; i < dropdown_n_choices (editor); i++)
    gtk_string_list_append (names, dropdown_label (editor, &klass->values[i]));
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
  return gtk_text_view_get_buffer (GTK_TEXT_VIEW (gtk_scrolled_window_get_child (
    GTK_SCROLLED_WINDOW (editor->widget))));
}

/* An empty text means no item, except for SUBSCRIBE where it means
 * the empty prefix: everything. */
static GStrv
parse_lines (ZsEditor   *editor,
             const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint n = g_strv_length (lines);

  if (n > 1 && lines[n - 1][0] == '\0')
    n--;
  if (text[0] == '\0' && g_strcmp0 (editor->pspec->name, "subscribe") != 0)
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
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_value_init (&value, G_TYPE_STRV);
  g_value_take_boxed (&value, parse_lines (editor, text));
  apply_value (editor, &value);
}

static GtkWidget *
create_lines (ZsEditor *editor)
{
  GtkWidget *view = gtk_text_view_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 4);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 4);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 4);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 48);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scroller), TRUE);
  g_signal_connect (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), "changed",
                    G_CALLBACK (on_buffer_changed_cb), editor);
  return scroller;
}

static void
sync_lines (ZsEditor     *editor,
            const GValue *value)
{
  const char * const *items = g_value_get_boxed (value);
  g_autofree char *text = items != NULL ? g_strjoinv ("\n", (char **) items) : g_strdup ("");
  GtkTextBuffer *buffer = strv_buffer (editor);
  GtkTextIter start, end;
  g_autofree char *current = NULL;
  g_auto(GStrv) parsed = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  current = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  parsed = parse_lines (editor, current);
  /* Leaves the text alone while it means the same (a trailing newline being typed). */
  if (!g_strv_equal ((const char * const *) parsed, items ? items : (const char *[]) { NULL }))
    gtk_text_buffer_set_text (buffer, text, -1);
}

/* ---- rows ------------------------------------------------------------------ */

static const EditorKind kind_entry = { create_entry, sync_entry };
static const EditorKind kind_switch = { create_switch, sync_switch };
static const EditorKind kind_spin = { create_spin, sync_spin };
static const EditorKind kind_dropdown = { create_dropdown, sync_dropdown };
static const EditorKind kind_lines = { create_lines, sync_lines };

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
