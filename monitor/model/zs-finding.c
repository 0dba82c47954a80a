/* zs-finding.c: what validation says about a topology, and where
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-finding"

#include "config.h"

#include <glib/gi18n.h>

#include "zs-finding.h"

G_DEFINE_BOXED_TYPE (ZsFinding, zs_finding, zs_finding_copy, zs_finding_free)

ZsFinding *
zs_finding_new (ZsSeverity  severity,
                const char *node,
                int         socket,
                const char *field,
                const char *message)
{
  ZsFinding *finding;

  g_return_val_if_fail (message != NULL, NULL);
  g_return_val_if_fail (socket >= -1, NULL);

  finding = g_new0 (ZsFinding, 1);
  finding->severity = severity;
  finding->node = g_strdup (node);
  finding->socket = socket;
  finding->link = -1;
  finding->field = g_strdup (field);
  finding->message = g_strdup (message);
  return finding;
}

ZsFinding *
zs_finding_copy (const ZsFinding *finding)
{
  ZsFinding *copy;

  g_return_val_if_fail (finding != NULL, NULL);

  copy = zs_finding_new (finding->severity, finding->node, finding->socket,
                         finding->field, finding->message);
  copy->link = finding->link;
  copy->socket_name = g_strdup (finding->socket_name);
  copy->fix = finding->fix;
  copy->fix_endpoint = g_strdup (finding->fix_endpoint);
  return copy;
}

void
zs_finding_free (ZsFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->node);
  g_free (finding->socket_name);
  g_free (finding->fix_endpoint);
  g_free (finding->field);
  g_free (finding->message);
  g_free (finding);
}

char *
zs_finding_to_string (const ZsFinding *finding)
{
  g_autoptr(GString) where = g_string_new (NULL);

  g_return_val_if_fail (finding != NULL, NULL);

  if (finding->node != NULL)
    g_string_append_printf (where, _(" node '%s'"), finding->node);
  if (finding->socket_name != NULL && finding->socket_name[0] != '\0')
    g_string_append_printf (where, _(", socket '%s'"), finding->socket_name);
  else if (finding->socket >= 0)
    g_string_append_printf (where, _(", socket %d"), finding->socket);
  if (finding->field != NULL)
    g_string_append_printf (where, " (%s)", finding->field);

  return g_strdup_printf ("%s:%s%s %s",
                          finding->severity == ZS_SEVERITY_ERROR ? _("error") : _("warning"),
                          where->str, where->len > 0 ? ":" : "", finding->message);
}
