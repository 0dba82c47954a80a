/* zs-link.c: a link, derived from a connect that reaches another node's bind
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-link"

#include "config.h"

#include "zs-link.h"

G_DEFINE_BOXED_TYPE (ZsLink, zs_link, zs_link_copy, zs_link_free)

ZsLink *
zs_link_copy (const ZsLink *link)
{
  ZsLink *copy;

  g_return_val_if_fail (link != NULL, NULL);

  copy = g_memdup2 (link, sizeof *link);
  copy->connect_endpoint = g_strdup (link->connect_endpoint);
  copy->bind_endpoint = g_strdup (link->bind_endpoint);
  return copy;
}

void
zs_link_free (ZsLink *link)
{
  if (link == NULL)
    return;
  g_free (link->connect_endpoint);
  g_free (link->bind_endpoint);
  g_free (link);
}
