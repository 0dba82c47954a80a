/* zs-message-view.c: the last messages through one link, frame by frame,
 * read from the run session's captures as it updates
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-message-view"

#include "config.h"

#include <inttypes.h>
#include <glib/gi18n.h>
#include <string.h>

#include "zs-message-view-private.h"
#include "zs-socket-type.h"
#include "zs-trace.h"
#include "zs-widgets-private.h"

#define READ_INTERVAL_US (G_USEC_PER_SEC / 4)   /* at most 4 reads a second */
#define HEX_LINES      4          /* xxd lines shown per frame: 64 bytes */
#define HEX_PER_LINE   16
#define TEXT_LINES     4

/* Frame rows of one message: its kept frames, then "N more frames", then
 * the trace trailer. Created on first use, then reused: a refresh only
 * sets label texts and visibility. */
#define N_FRAME_ROWS   (ZS_CAPTURE_MAX_FRAMES + 2)
#define MORE_ROW       ZS_CAPTURE_MAX_FRAMES
#define TRACE_ROW      (ZS_CAPTURE_MAX_FRAMES + 1)

typedef struct {
  GtkWidget *box;
  GtkWidget *kind;
  GtkWidget *text;
  GtkWidget *size;
} FrameRow;

typedef struct {
  GtkWidget *row;            /* GtkListBoxRow */
  GtkWidget *frames_box;
  GtkWidget *time;
  GtkWidget *direction;
  GtkWidget *seq;
  GtkWidget *count;
  FrameRow   frames[N_FRAME_ROWS];
} MessageRow;

struct _ZsMessageView
{
  GtkWidget     parent_instance;

  GtkWidget    *title;
  GtkWidget    *trace_button;
  GtkWidget    *stack;
  GtkWidget    *empty_label;
  GtkWidget    *sampled_label;
  GtkWidget    *let_go_label;
  GtkWidget    *list;

  ZsRunSession *session;
  int           link;
  gboolean      show_trace;

  /* Of the link, for each direction (ZsCapture.dir) */
  char         *direction[2];
  ZsSocketType  sender_type[2];
  ZsSocketType  receiver_type[2];
  gboolean      link_valid;

  MessageRow    rows[ZS_CAPTURE_SLOTS];
  guint         n_rows;          /* created */
  guint         n_shown;
  /* The newest capture shown: rebuild only when it changes */
  gint64        newest_time_us;
  guint64       newest_seq;
  guint         newest_count;
  gboolean      dirty;
  guint         n_rebuilds;
  gint64        read_us;         /* the last read of the captures */
};

G_DEFINE_FINAL_TYPE (ZsMessageView, zs_message_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_LINK,
  PROP_SHOW_TRACE,
  N_PROPS
};

static GParamSpec *properties [N_PROPS];

/* ---- formatting ----------------------------------------------------------------- */

static char *
format_size (gsize size)
{
  g_autofree char *full = NULL;

  if (size < 1024)
    full = g_strdup_printf (_("%zu B"), size);
  else if (size < 1024 * 1024)
    full = g_strdup_printf (_("%.1f KiB"), size / 1024.0);
  else
    full = g_strdup_printf (_("%.1f MiB"), size / (1024.0 * 1024.0));

  if (size > ZS_CAPTURE_MAX_BYTES)
    /* Translators: a frame's size, then how much of it the inspector kept */
    return g_strdup_printf (_("%s (cut at %u B)"), full, ZS_CAPTURE_MAX_BYTES);
  return g_steal_pointer (&full);
}

static gboolean
is_printable (const char *data,
              gsize       size)
{
  const char *end = data + size;

  if (!g_utf8_validate (data, size, NULL))
    return FALSE;
  for (const char *p = data; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isprint (c) && c != '\t' && c != '\n')
        return FALSE;
    }
  return TRUE;
}

/* xxd: "00000000: 4865 6c6c 6f00                           Hello." */
static char *
format_hex (const guint8 *data,
            gsize         size,
            gsize         full_size)
{
  GString *s = g_string_new (NULL);
  gsize shown = MIN (size, (gsize) HEX_LINES * HEX_PER_LINE);

  for (gsize line = 0; line < shown; line += HEX_PER_LINE)
    {
      if (line > 0)
        g_string_append_c (s, '\n');
      g_string_append_printf (s, "%08" G_GSIZE_MODIFIER "x: ", line);
      for (gsize i = 0; i < HEX_PER_LINE; i++)
        {
          if (line + i < shown)
            g_string_append_printf (s, "%02x", data[line + i]);
          else
            g_string_append (s, "  ");
          if (i % 2 == 1)
            g_string_append_c (s, ' ');
        }
      g_string_append_c (s, ' ');
      for (gsize i = 0; i < HEX_PER_LINE && line + i < shown; i++)
        g_string_append_c (s, g_ascii_isprint (data[line + i]) ? (char) data[line + i] : '.');
    }
  if (full_size > shown)
    g_string_append (s, "\n…");
  return g_string_free (s, FALSE);
}

static char *
format_time (gint64 monotonic_us)
{
  gint64 real_us = g_get_real_time () - (g_get_monotonic_time () - monotonic_us);
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (real_us / G_USEC_PER_SEC);
  g_autofree char *hms = g_date_time_format (dt, "%H:%M:%S");

  return g_strdup_printf ("%s.%03d", hms, (int) ((real_us / 1000) % 1000));
}

/* The socket with index `origin` in the run: sockets are numbered in
 * node order, then in each node's order. */
static char *
origin_name (ZsTopology *topology,
             guint       origin)
{
  guint n_nodes = zs_topology_get_n_nodes (topology);

  for (guint n = 0; n < n_nodes; n++)
    {
      ZsNode *node = zs_topology_get_node (topology, n);
      guint n_sockets = zs_node_get_n_sockets (node);

      if (origin < n_sockets)
        return g_strdup_printf ("%s.%s", zs_node_get_name (node),
                                zs_socket_spec_get_name (zs_node_get_socket (node, origin)));
      origin -= n_sockets;
    }
  return NULL;
}

static char *
format_trace (ZsMessageView   *self,
              const ZsCapture *capture)
{
  ZsTrace trace;
  guint64 seq;
  guint16 origin;
  g_autofree char *name = NULL;

  zs_trace_decode (capture->trailer, &trace);
  seq = trace.seq;
  origin = trace.origin;
  name = origin_name (zs_run_session_get_topology (self->session), origin);
  if (name != NULL)
    return g_strdup_printf (_("trace: seq %" PRIu64 ", origin socket %u (%s)"),
                            seq, origin, name);
  return g_strdup_printf (_("trace: seq %" PRIu64 ", origin socket %u"), seq, origin);
}

/* "routing id" and "delimiter" as the receiving socket sees the envelope. */
static char *
frame_kind (ZsMessageView   *self,
            const ZsCapture *capture,
            guint            i)
{
  guint d = capture->dir & 1;
  ZsSocketType receiver = self->receiver_type[d];
  ZsSocketType sender = self->sender_type[d];

  if (receiver == ZS_SOCKET_ROUTER)
    {
      if (i == 0)
        return g_strdup (_("routing id"));
      if (i == 1 && capture->sizes[1] == 0)
        return g_strdup (_("delimiter"));
    }
  else if (receiver == ZS_SOCKET_DEALER && i == 0 && capture->sizes[0] == 0
           && (sender == ZS_SOCKET_ROUTER || sender == ZS_SOCKET_REP))
    return g_strdup (_("delimiter"));

  /* Translators: the position of a frame in its message */
  return g_strdup_printf (_("frame %u"), i + 1);
}

/* ---- rows ---------------------------------------------------------------------- */

static GtkWidget *
dim_label (const char *css_class)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_widget_add_css_class (label, "dim-label");
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

static void
frame_row_init (FrameRow  *fr,
                GtkWidget *parent)
{
  fr->box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  fr->kind = dim_label ("caption");
  gtk_label_set_width_chars (GTK_LABEL (fr->kind), 10);
  gtk_widget_set_valign (fr->kind, GTK_ALIGN_START);
  fr->text = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (fr->text), 0);
  gtk_label_set_wrap (GTK_LABEL (fr->text), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (fr->text), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (fr->text), TEXT_LINES + 1);
  gtk_label_set_ellipsize (GTK_LABEL (fr->text), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (fr->text), FALSE);
  gtk_widget_set_hexpand (fr->text, TRUE);
  fr->size = dim_label ("caption");
  gtk_widget_set_valign (fr->size, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (fr->box), fr->kind);
  gtk_box_append (GTK_BOX (fr->box), fr->text);
  gtk_box_append (GTK_BOX (fr->box), fr->size);
  gtk_widget_set_visible (fr->box, FALSE);
  gtk_box_append (GTK_BOX (parent), fr->box);
}

static MessageRow *
get_row (ZsMessageView *self,
         guint          i)
{
  MessageRow *mr = &self->rows[i];
  GtkWidget *box, *header;

  g_assert (i <= self->n_rows && i < ZS_CAPTURE_SLOTS);
  if (i < self->n_rows)
    return mr;

  mr->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (mr->row), FALSE);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_start (box, 8);
  gtk_widget_set_margin_end (box, 8);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  mr->time = dim_label ("numeric");
  mr->direction = gtk_label_new (NULL);
  gtk_widget_add_css_class (mr->direction, "heading");
  mr->seq = dim_label ("numeric");
  mr->count = dim_label (NULL);
  gtk_box_append (GTK_BOX (header), mr->time);
  gtk_box_append (GTK_BOX (header), mr->direction);
  gtk_box_append (GTK_BOX (header), mr->seq);
  gtk_box_append (GTK_BOX (header), mr->count);
  gtk_box_append (GTK_BOX (box), header);
  mr->frames_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 1);
  gtk_widget_set_margin_start (mr->frames_box, 12);
  for (guint f = 0; f < N_FRAME_ROWS; f++)
    frame_row_init (&mr->frames[f], mr->frames_box);
  gtk_box_append (GTK_BOX (box), mr->frames_box);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (mr->row), box);
  gtk_list_box_append (GTK_LIST_BOX (self->list), mr->row);
  self->n_rows++;
  return mr;
}

static void
set_frame_row (FrameRow   *fr,
               const char *kind,
               const char *text,
               const char *size,
               gboolean    mono,
               gboolean    dim)
{
  gtk_label_set_text (GTK_LABEL (fr->kind), kind);
  gtk_label_set_text (GTK_LABEL (fr->text), text);
  gtk_label_set_text (GTK_LABEL (fr->size), size != NULL ? size : "");
  if (mono)
    gtk_widget_add_css_class (fr->text, "monospace");
  else
    gtk_widget_remove_css_class (fr->text, "monospace");
  if (dim)
    gtk_widget_add_css_class (fr->text, "dim-label");
  else
    gtk_widget_remove_css_class (fr->text, "dim-label");
  gtk_widget_set_visible (fr->box, TRUE);
}

static void
fill_row (ZsMessageView   *self,
          MessageRow      *mr,
          const ZsCapture *capture)
{
  guint kept = MIN (capture->n_frames, ZS_CAPTURE_MAX_FRAMES);
  g_autofree char *time = format_time (capture->time_us);
  g_autofree char *seq = capture->traced ? g_strdup_printf (_("seq %" PRIu64), capture->seq)
                                         : g_strdup (_("untraced"));
  g_autofree char *count = g_strdup_printf (ngettext ("%u frame", "%u frames", capture->n_frames),
                                            capture->n_frames);

  gtk_label_set_text (GTK_LABEL (mr->time), time);
  gtk_label_set_text (GTK_LABEL (mr->direction), self->direction[capture->dir & 1]);
  gtk_label_set_text (GTK_LABEL (mr->seq), seq);
  gtk_label_set_text (GTK_LABEL (mr->count), count);

  for (guint f = 0; f < N_FRAME_ROWS; f++)
    {
      FrameRow *fr = &mr->frames[f];

      if (f < kept && capture->frames[f] != NULL)
        {
          gsize n;
          const char *data = g_bytes_get_data (capture->frames[f], &n);
          g_autofree char *kind = frame_kind (self, capture, f);
          g_autofree char *size = format_size (capture->sizes[f]);

          if (n == 0)
            set_frame_row (fr, kind, _("(empty)"), size, FALSE, TRUE);
          else if (is_printable (data, n))
            {
              g_autofree char *text = capture->sizes[f] > n ? g_strdup_printf ("%.*s…", (int) n, data)
                                                            : g_strndup (data, n);

              set_frame_row (fr, kind, text, size, FALSE, FALSE);
            }
          else
            {
              g_autofree char *hex = format_hex ((const guint8 *) data, n, capture->sizes[f]);

              set_frame_row (fr, kind, hex, size, TRUE, FALSE);
            }
        }
      else if (f == MORE_ROW && capture->n_frames > kept)
        {
          g_autofree char *more = g_strdup_printf (ngettext ("%u more frame, not kept",
                                                             "%u more frames, not kept",
                                                             capture->n_frames - kept),
                                                   capture->n_frames - kept);

          set_frame_row (fr, "", more, NULL, FALSE, TRUE);
        }
      else if (f == TRACE_ROW && self->show_trace && capture->traced)
        {
          g_autofree char *trace = format_trace (self, capture);
          g_autofree char *size = format_size (ZS_TRACE_SIZE);

          set_frame_row (fr, _("trace"), trace, size, FALSE, TRUE);
        }
      else
        gtk_widget_set_visible (fr->box, FALSE);
    }
  gtk_widget_set_visible (mr->row, TRUE);
}

static void
show_empty (ZsMessageView *self,
            const char    *text)
{
  gtk_label_set_text (GTK_LABEL (self->empty_label), text);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
  for (guint i = 0; i < self->n_rows; i++)
    gtk_widget_set_visible (self->rows[i].row, FALSE);
  self->n_shown = 0;
  self->newest_time_us = 0;
  self->newest_count = 0;
}

/* A fast link keeps one message in `every` (zs-capture.h): say so. */
static void
show_sampled (ZsMessageView *self,
              guint          every)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->sampled_label, every > 1);
  if (every <= 1)
    return;
  /* Translators: the link carries messages faster than the inspector keeps them */
  text = g_strdup_printf (_("Sampled: this link is fast, about 1 message in %u is kept"), every);
  gtk_label_set_text (GTK_LABEL (self->sampled_label), text);
}

/* Seen on the wire, a connection's older messages may have been let go
 * to bound memory (zs-wire-kept.h): fewer are shown, and that is why. */
static void
show_let_go (ZsMessageView *self,
             GPtrArray     *captures)
{
  gboolean let_go = FALSE;

  for (guint i = 0; i < captures->len && !let_go; i++)
    let_go = ((const ZsCapture *) g_ptr_array_index (captures, i))->older_let_go;
  gtk_widget_set_visible (self->let_go_label, let_go);
  /* Translators: a capture keeps the last messages of a bounded number of connections */
  gtk_label_set_text (GTK_LABEL (self->let_go_label),
                      _("Older messages of this connection were let go to bound memory: not all of its "
                        "last messages are shown"));
}

/* A note's text, or NULL when it is not shown. */
static const char *
note_text (GtkWidget *label)
{
  return gtk_widget_get_visible (label) ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

const char *
_zs_message_view_get_sampled_text (ZsMessageView *self)
{
  g_return_val_if_fail (ZS_IS_MESSAGE_VIEW (self), NULL);

  return note_text (self->sampled_label);
}

const char *
_zs_message_view_get_let_go_text (ZsMessageView *self)
{
  g_return_val_if_fail (ZS_IS_MESSAGE_VIEW (self), NULL);

  return note_text (self->let_go_label);
}

void
_zs_message_view_poll (ZsMessageView *self)
{
  g_autoptr(GPtrArray) captures = NULL;
  const ZsCapture *newest;

  g_return_if_fail (ZS_IS_MESSAGE_VIEW (self));

  self->read_us = g_get_monotonic_time ();
  if (self->session == NULL || self->link < 0 || !self->link_valid)
    {
      show_empty (self, _("Select a link and run to see its messages"));
      return;
    }

  /* Every link of the run keeps its last messages, whenever it is looked at. */
  captures = zs_run_session_get_captures (self->session, self->link);
  if (captures->len == 0)
    {
      show_empty (self, zs_run_session_is_live (self->session)
                        ? _("No message through this link yet")
                        : _("No message went through this link"));
      return;
    }

  newest = g_ptr_array_index (captures, captures->len - 1);
  if (!self->dirty
      && newest->time_us == self->newest_time_us
      && newest->seq == self->newest_seq
      && captures->len == self->newest_count)
    return;
  self->newest_time_us = newest->time_us;
  self->newest_seq = newest->seq;
  self->newest_count = captures->len;
  self->dirty = FALSE;
  self->n_rebuilds++;

  for (guint i = 0; i < captures->len && i < ZS_CAPTURE_SLOTS; i++)
    fill_row (self, get_row (self, i), g_ptr_array_index (captures, captures->len - 1 - i));
  for (guint i = captures->len; i < self->n_rows; i++)
    gtk_widget_set_visible (self->rows[i].row, FALSE);
  self->n_shown = MIN (captures->len, ZS_CAPTURE_SLOTS);
  show_sampled (self, newest->every);
  show_let_go (self, captures);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "messages");
}

/* The session took a snapshot: the captures too, a few times a second
 * while following the run (a later tick brings what is skipped), at once
 * for a moment the cursor moved to. */
static void
on_session_updated_cb (ZsMessageView *self)
{
  if (!self->link_valid)
    return;
  if (zs_run_session_is_following (self->session) && g_get_monotonic_time () - self->read_us < READ_INTERVAL_US)
    return;
  _zs_message_view_poll (self);
}

/* ---- link and session ---------------------------------------------------------- */

static void
update_link (ZsMessageView *self)
{
  ZsTopology *topology;
  GPtrArray *links;
  const ZsLink *link;
  ZsNode *c, *b;
  ZsSocketType ct, bt;
  g_autofree char *title = NULL;

  g_clear_pointer (&self->direction[0], g_free);
  g_clear_pointer (&self->direction[1], g_free);
  self->link_valid = FALSE;
  self->dirty = TRUE;

  if (self->session == NULL || self->link < 0)
    {
      gtk_label_set_text (GTK_LABEL (self->title), _("Messages"));
      goto out;
    }
  topology = zs_run_session_get_topology (self->session);
  links = zs_topology_get_links (topology);
  if ((guint) self->link >= links->len)
    {
      gtk_label_set_text (GTK_LABEL (self->title), _("Messages"));
      goto out;
    }

  link = g_ptr_array_index (links, self->link);
  c = zs_topology_get_node (topology, link->connect_node);
  b = zs_topology_get_node (topology, link->bind_node);
  ct = zs_socket_spec_get_socket_type (zs_node_get_socket (c, link->connect_socket));
  bt = zs_socket_spec_get_socket_type (zs_node_get_socket (b, link->bind_socket));
  /* dir 0: connecting -> binding socket */
  self->direction[0] = g_strdup_printf ("%s → %s", zs_node_get_name (c), zs_node_get_name (b));
  self->direction[1] = g_strdup_printf ("%s → %s", zs_node_get_name (b), zs_node_get_name (c));
  self->sender_type[0] = self->receiver_type[1] = ct;
  self->receiver_type[0] = self->sender_type[1] = bt;
  self->link_valid = TRUE;
  /* Translators: the message view's title: the link's two nodes and endpoint */
  title = g_strdup_printf (_("Messages: %s — %s (%s)"), zs_node_get_name (c), zs_node_get_name (b),
                           link->bind_endpoint);
  gtk_label_set_text (GTK_LABEL (self->title), title);

out:
  _zs_message_view_poll (self);
}

/* ---- GObject ------------------------------------------------------------------- */

static void
zs_message_view_dispose (GObject *object)
{
  ZsMessageView *self = ZS_MESSAGE_VIEW (object);
  GtkWidget *child;

  zs_message_view_set_session (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (object), ZS_TYPE_MESSAGE_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);
  self->n_rows = 0;

  G_OBJECT_CLASS (zs_message_view_parent_class)->dispose (object);
}

static void
zs_message_view_finalize (GObject *object)
{
  ZsMessageView *self = ZS_MESSAGE_VIEW (object);

  g_free (self->direction[0]);
  g_free (self->direction[1]);

  G_OBJECT_CLASS (zs_message_view_parent_class)->finalize (object);
}

static void
zs_message_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  ZsMessageView *self = ZS_MESSAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_LINK:
      g_value_set_int (value, self->link);
      break;
    case PROP_SHOW_TRACE:
      g_value_set_boolean (value, self->show_trace);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_message_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  ZsMessageView *self = ZS_MESSAGE_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      zs_message_view_set_session (self, g_value_get_object (value));
      break;
    case PROP_LINK:
      zs_message_view_set_link (self, g_value_get_int (value));
      break;
    case PROP_SHOW_TRACE:
      zs_message_view_set_show_trace (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
zs_message_view_class_init (ZsMessageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zs_message_view_dispose;
  object_class->finalize = zs_message_view_finalize;
  object_class->get_property = zs_message_view_get_property;
  object_class->set_property = zs_message_view_set_property;

  properties [PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ZS_TYPE_RUN_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_LINK] =
    g_param_spec_int ("link", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties [PROP_SHOW_TRACE] =
    g_param_spec_boolean ("show-trace", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _zs_widgets_init ();
  gtk_widget_class_set_template_from_resource (widget_class, "/org/zmqscope/widgets/zs-message-view.ui");
  gtk_widget_class_bind_template_child (widget_class, ZsMessageView, title);
  gtk_widget_class_bind_template_child (widget_class, ZsMessageView, trace_button);
  gtk_widget_class_bind_template_child (widget_class, ZsMessageView, stack);
  gtk_widget_class_bind_template_child (widget_class, ZsMessageView, empty_label);
  gtk_widget_class_bind_template_child (widget_class, ZsMessageView, sampled_label);
  gtk_widget_class_bind_template_child (widget_class, ZsMessageView, let_go_label);
  gtk_widget_class_bind_template_child (widget_class, ZsMessageView, list);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "zs-message-view");
}

static void
zs_message_view_init (ZsMessageView *self)
{
  self->link = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_object_bind_property (self, "show-trace", self->trace_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

GtkWidget *
zs_message_view_new (void)
{
  return g_object_new (ZS_TYPE_MESSAGE_VIEW, NULL);
}

void
zs_message_view_set_session (ZsMessageView *self,
                             ZsRunSession  *session)
{
  g_return_if_fail (ZS_IS_MESSAGE_VIEW (self));
  g_return_if_fail (session == NULL || ZS_IS_RUN_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "updated", G_CALLBACK (on_session_updated_cb), self,
                               G_CONNECT_SWAPPED);
      /* The run ended: what it left, at once. */
      g_signal_connect_object (session, "notify::live", G_CALLBACK (_zs_message_view_poll), self,
                               G_CONNECT_SWAPPED);
    }
  /* During dispose the rows are gone: nothing to show. */
  if (self->stack != NULL)
    update_link (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SESSION]);
}

ZsRunSession *
zs_message_view_get_session (ZsMessageView *self)
{
  g_return_val_if_fail (ZS_IS_MESSAGE_VIEW (self), NULL);

  return self->session;
}

void
zs_message_view_set_link (ZsMessageView *self,
                          int            link)
{
  g_return_if_fail (ZS_IS_MESSAGE_VIEW (self));

  link = MAX (link, -1);
  if (self->link == link)
    return;
  self->link = link;
  update_link (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_LINK]);
}

int
zs_message_view_get_link (ZsMessageView *self)
{
  g_return_val_if_fail (ZS_IS_MESSAGE_VIEW (self), -1);

  return self->link;
}

void
zs_message_view_set_show_trace (ZsMessageView *self,
                                gboolean       show_trace)
{
  g_return_if_fail (ZS_IS_MESSAGE_VIEW (self));

  show_trace = !!show_trace;
  if (self->show_trace == show_trace)
    return;
  self->show_trace = show_trace;
  self->dirty = TRUE;
  _zs_message_view_poll (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties [PROP_SHOW_TRACE]);
}

gboolean
zs_message_view_get_show_trace (ZsMessageView *self)
{
  g_return_val_if_fail (ZS_IS_MESSAGE_VIEW (self), FALSE);

  return self->show_trace;
}

/* ---- for the tests ------------------------------------------------------------ */

guint
_zs_message_view_get_n_messages (ZsMessageView *self)
{
  return self->n_shown;
}

static FrameRow *
nth_visible_frame_row (ZsMessageView *self,
                       guint          message,
                       guint          row)
{
  g_assert (message < self->n_shown);
  for (guint f = 0; f < N_FRAME_ROWS; f++)
    {
      FrameRow *fr = &self->rows[message].frames[f];

      if (gtk_widget_get_visible (fr->box) && row-- == 0)
        return fr;
    }
  return NULL;
}

guint
_zs_message_view_get_n_rows (ZsMessageView *self,
                             guint          message)
{
  guint n = 0;

  g_assert (message < self->n_shown);
  for (guint f = 0; f < N_FRAME_ROWS; f++)
    if (gtk_widget_get_visible (self->rows[message].frames[f].box))
      n++;
  return n;
}

void
_zs_message_view_get_row (ZsMessageView  *self,
                          guint           message,
                          guint           row,
                          const char    **kind,
                          const char    **text,
                          const char    **size)
{
  FrameRow *fr = nth_visible_frame_row (self, message, row);

  g_assert (fr != NULL);
  if (kind != NULL)
    *kind = gtk_label_get_text (GTK_LABEL (fr->kind));
  if (text != NULL)
    *text = gtk_label_get_text (GTK_LABEL (fr->text));
  if (size != NULL)
    *size = gtk_label_get_text (GTK_LABEL (fr->size));
}

guint
_zs_message_view_get_n_rebuilds (ZsMessageView *self)
{
  return self->n_rebuilds;
}
