/* zs-variant.h: one choice of a topology changed, for comparing variants
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An axis is what `zmqscope compare --vary KEY[@NODE]=V1,V2,…` names:
 *   transport   inproc | ipc | tcp     every link, or the links of NODE
 *   bind        as-is | flipped        who binds: every link, or NODE's
 *   hwm         0 … 10000000           SNDHWM and RCVHWM of every socket,
 *   sndhwm, rcvhwm                     or of NODE's (0 = unlimited)
 *   workers     1 … 64                 how many workers (role worker, else
 *                                      server, that only connect): copies
 *                                      of the last one, linked alike */
#pragma once

#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_VARIANT_ERROR (zs_variant_error_quark ())
GQuark zs_variant_error_quark (void);

typedef enum {
  ZS_VARIANT_ERROR_KEY,      /* unknown key: the message lists the valid ones */
  ZS_VARIANT_ERROR_VALUE,    /* a value the key does not take: lists them */
  ZS_VARIANT_ERROR_NODE,     /* @NODE names no node: lists them */
  ZS_VARIANT_ERROR_APPLY,    /* the topology has nothing the key can change */
} ZsVariantError;

typedef struct _ZsVariantAxis ZsVariantAxis;

/* "KEY[@NODE]=V1,V2,…": checks the key and every value (not the node). */
ZsVariantAxis  *zs_variant_axis_parse      (const char           *spec,
                                            GError              **error);
void            zs_variant_axis_free       (ZsVariantAxis        *axis);
guint           zs_variant_axis_get_n_values (const ZsVariantAxis *axis);
const char     *zs_variant_axis_get_value  (const ZsVariantAxis  *axis,
                                            guint                 index);
/* "transport", or "transport@worker-1". */
const char     *zs_variant_axis_get_name   (const ZsVariantAxis  *axis);
/* Changes `topology` in place to the axis' value `index`. */
gboolean        zs_variant_axis_apply      (const ZsVariantAxis  *axis,
                                            guint                 index,
                                            ZsTopology           *topology,
                                            GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsVariantAxis, zs_variant_axis_free)

G_END_DECLS
