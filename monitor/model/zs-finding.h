/* zs-finding.h: what validation says about a topology, and where
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ZS_TYPE_FINDING (zs_finding_get_type ())

typedef enum {
  ZS_SEVERITY_WARNING,
  ZS_SEVERITY_ERROR,
} ZsSeverity;

/* A fix the app can apply in one click. */
typedef enum {
  ZS_FINDING_FIX_NONE,
  ZS_FINDING_FIX_ADD_EXTERNAL,  /* add an external program as the socket's
                                   peer on fix_endpoint */
} ZsFindingFix;

typedef struct {
  ZsSeverity  severity;
  char       *node;      /* node name, or NULL for the whole topology */
  int         socket;    /* socket index in that node, or -1 */
  int         link;      /* index in zs_topology_get_links (), or -1 */
  char       *field;     /* property name ("binds", "socket-type", ...) or NULL */
  char       *message;   /* translated, says what is wrong and how to fix it */
  char       *socket_name; /* name of that socket, or NULL (set by the validator) */
  ZsFindingFix fix;
  char       *fix_endpoint; /* ZS_FINDING_FIX_ADD_EXTERNAL: the socket's bind
                               (field "binds") or connect it is about */
} ZsFinding;

GType       zs_finding_get_type (void) G_GNUC_CONST;
ZsFinding  *zs_finding_new      (ZsSeverity       severity,
                                 const char      *node,
                                 int              socket,
                                 const char      *field,
                                 const char      *message);
ZsFinding  *zs_finding_copy     (const ZsFinding *finding);
void        zs_finding_free     (ZsFinding       *finding);
/* "error: node 'client', socket 'req' (connects): ..." for the command
 * line; "socket 0" when socket_name is NULL. */
char       *zs_finding_to_string (const ZsFinding *finding);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsFinding, zs_finding_free)

G_END_DECLS
