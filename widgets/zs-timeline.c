/* zs-timeline.c: the time of a run under the canvas: scrub, play, back to live
 * SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n.h>

#include "zs-timeline-private.h"

G_DEFINE_FINAL_TYPE (ZsTimeline, zs_timeline, GTK_TYPE_WIDGET)

/* The speed choices, as the dropdown lists them. */
static const double play_speeds[] = { 0.25, 1.0, 4.0 };

static double
get_play_speed (ZsTimeline *self)
{
  guint selected = gtk_drop_down_get_selected (self->speed_dropdown);

  return play_speeds[MIN (selected, G_N_ELEMENTS (play_speeds) - 1)];
}

/* Something to move through: the run ended, is paused, or is shown in the past. */
static gboolean
has_time_to_show (ZsRunSession *session)
{
  return session != NULL && (!zs_run_session_is_live (session) || zs_run_session_is_paused (session) ||
                             !zs_run_session_is_following (session));
}

static void
sync_to_session (ZsTimeline *self)
{
  gint64 duration_us, cursor_us;
  g_autofree char *time = NULL;
  gboolean shown = has_time_to_show (self->session);

  gtk_widget_set_visible (GTK_WIDGET (self), shown);
  /* Following a live run, hidden: nothing to keep up with at each tick. */
  if (!shown)
    return;

  duration_us = zs_run_session_get_duration_us (self->session);
  cursor_us = zs_run_session_get_cursor_us (self->session);
  /* Translators: the time at the cursor and the run's length, "1.25 s / 4.00 s" */
  time = g_strdup_printf (_("%.2f s / %.2f s"), cursor_us / (double) G_USEC_PER_SEC,
                          duration_us / (double) G_USEC_PER_SEC);

  self->syncing = TRUE;
  gtk_adjustment_set_upper (gtk_range_get_adjustment (self->scale), (double) MAX (duration_us, 1));
  gtk_range_set_value (self->scale, (double) cursor_us);
  gtk_toggle_button_set_active (self->play_button, zs_run_session_get_play_speed (self->session) > 0);
  self->syncing = FALSE;

  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            gtk_toggle_button_get_active (self->play_button) ? "media-playback-pause-symbolic"
                                                                              : "media-playback-start-symbolic");
  gtk_label_set_label (self->time_label, time);
  gtk_widget_set_visible (GTK_WIDGET (self->live_button),
                          zs_run_session_is_live (self->session) && !zs_run_session_is_following (self->session));
  gtk_widget_queue_draw (GTK_WIDGET (self->ticks));
}

static void
on_scale_changed_cb (ZsTimeline *self)
{
  if (self->syncing || self->session == NULL)
    return;
  zs_run_session_set_cursor_us (self->session, (gint64) gtk_range_get_value (self->scale));
}

static void
on_play_toggled_cb (ZsTimeline *self)
{
  if (self->syncing || self->session == NULL)
    return;
  if (!gtk_toggle_button_get_active (self->play_button))
    {
      zs_run_session_play (self->session, 0);
      return;
    }
  /* Play at the end of a recording: from its start. */
  if (!zs_run_session_is_live (self->session) &&
      zs_run_session_get_cursor_us (self->session) >= zs_run_session_get_duration_us (self->session))
    zs_run_session_set_cursor_us (self->session, 0);
  zs_run_session_play (self->session, get_play_speed (self));
}

static void
on_speed_selected_cb (ZsTimeline *self)
{
  if (self->session != NULL && zs_run_session_get_play_speed (self->session) > 0)
    zs_run_session_play (self->session, get_play_speed (self));
}

static void
on_live_clicked_cb (ZsTimeline *self)
{
  if (self->session != NULL)
    zs_run_session_follow_live (self->session);
}

static gboolean
is_bad_event (ZsRunEventKind kind)
{
  return kind == ZS_RUN_EVENT_DROPPED || kind == ZS_RUN_EVENT_NODE_FAILED || kind == ZS_RUN_EVENT_RUN_STOPPED;
}

/* A tick under the scale for each event: drops and failures red. */
static void
draw_ticks (GtkDrawingArea *area,
            cairo_t        *cr,
            int             width,
            int             height,
            gpointer        user_data)
{
  ZsTimeline *self = user_data;
  const ZsRunEvent *events;
  guint n_events;
  gint64 duration_us;
  GdkRGBA color;

  if (self->session == NULL)
    return;
  duration_us = MAX (zs_run_session_get_duration_us (self->session), 1);
  events = zs_recording_get_events (zs_run_session_get_recording (self->session), &n_events);
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &color);

  cairo_set_line_width (cr, 1);
  /* Two passes, so the red ones are on top. */
  for (int bad = 0; bad <= 1; bad++)
    {
      if (bad)
        cairo_set_source_rgb (cr, 0.88, 0.11, 0.14);
      else
        cairo_set_source_rgba (cr, color.red, color.green, color.blue, 0.5);
      for (guint i = 0; i < n_events; i++)
        {
          double x;

          if (is_bad_event (events[i].kind) != bad)
            continue;
          x = 0.5 + (int) ((width - 1) * (double) events[i].time_us / duration_us);
          cairo_move_to (cr, x, 0);
          cairo_line_to (cr, x, height);
        }
      cairo_stroke (cr);
    }
}

void
zs_timeline_set_session (ZsTimeline   *self,
                         ZsRunSession *session)
{
  g_return_if_fail (ZS_IS_TIMELINE (self));
  g_return_if_fail (session == NULL || ZS_IS_RUN_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    {
      g_signal_connect_object (session, "updated", G_CALLBACK (sync_to_session), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "ended", G_CALLBACK (sync_to_session), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (session, "notify", G_CALLBACK (sync_to_session), self, G_CONNECT_SWAPPED);
    }
  sync_to_session (self);
}

GtkWidget *
zs_timeline_new (void)
{
  return g_object_new (ZS_TYPE_TIMELINE, NULL);
}

static void
zs_timeline_dispose (GObject *object)
{
  ZsTimeline *self = ZS_TIMELINE (object);
  GtkWidget *child;

  if (self->session != NULL)
    g_signal_handlers_disconnect_by_data (self->session, self);
  g_clear_object (&self->session);
  gtk_widget_dispose_template (GTK_WIDGET (self), ZS_TYPE_TIMELINE);
  /* The template's box, which has no id. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (zs_timeline_parent_class)->dispose (object);
}

static void
zs_timeline_class_init (ZsTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = zs_timeline_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/org/zmqscope/widgets/zs-timeline.ui");
  gtk_widget_class_bind_template_child (widget_class, ZsTimeline, play_button);
  gtk_widget_class_bind_template_child (widget_class, ZsTimeline, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, ZsTimeline, scale);
  gtk_widget_class_bind_template_child (widget_class, ZsTimeline, ticks);
  gtk_widget_class_bind_template_child (widget_class, ZsTimeline, time_label);
  gtk_widget_class_bind_template_child (widget_class, ZsTimeline, live_button);
  gtk_widget_class_bind_template_callback (widget_class, on_scale_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_play_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_speed_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, on_live_clicked_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "zs-timeline");
}

static void
zs_timeline_init (ZsTimeline *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_drawing_area_set_draw_func (self->ticks, draw_ticks, self, NULL);
}
