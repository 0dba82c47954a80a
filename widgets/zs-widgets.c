/* zs-widgets.c: resources and style shared by the widgets
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-widgets"

#include "config.h"

#include "zs-widgets-private.h"
#include "zs-widgets-resources.h"

static void
load_css (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  gtk_css_provider_load_from_resource (provider, "/org/zmqscope/widgets/zs-widgets.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

void
_zs_widgets_init (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      GdkDisplay *display = gdk_display_get_default ();

      zs_widgets_register_resource ();
      if (display != NULL)
        load_css (display);
      g_once_init_leave (&once, 1);
    }
}

const char *
_zs_widgets_socket_family (ZsSocketType type)
{
  switch (type)
    {
    case ZS_SOCKET_PUB:
    case ZS_SOCKET_SUB:
    case ZS_SOCKET_XPUB:
    case ZS_SOCKET_XSUB:
      return "pubsub";
    case ZS_SOCKET_REQ:
    case ZS_SOCKET_REP:
    case ZS_SOCKET_DEALER:
    case ZS_SOCKET_ROUTER:
      return "reqrep";
    case ZS_SOCKET_PUSH:
    case ZS_SOCKET_PULL:
      return "pipeline";
    case ZS_SOCKET_PAIR:
    case ZS_SOCKET_N_TYPES:
    default:
      return "pair";
    }
}

GtkWidget *
_zs_widgets_socket_badge_new (ZsSocketType type)
{
  GtkWidget *badge = gtk_label_new (NULL);

  gtk_widget_add_css_class (badge, "zs-socket-badge");
  gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
  _zs_widgets_socket_badge_set_type (badge, type);
  return badge;
}

void
_zs_widgets_socket_badge_set_type (GtkWidget    *badge,
                                   ZsSocketType  type)
{
  static const char *const families[] = { "pubsub", "reqrep", "pipeline", "pair" };

  for (guint i = 0; i < G_N_ELEMENTS (families); i++)
    gtk_widget_remove_css_class (badge, families[i]);
  gtk_label_set_text (GTK_LABEL (badge), zs_socket_type_to_string (type));
  gtk_widget_add_css_class (badge, _zs_widgets_socket_family (type));
  gtk_widget_set_tooltip_text (badge, zs_socket_type_describe (type));
}
