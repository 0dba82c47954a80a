/* zs-payload.h: frame templates a node sends
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A template is text with placeholders:
 *   {seq}              the message's number, from 1
 *   {node}             the node's name
 *   {rand:LO:HI}       a random integer in [LO, HI]; {rand:LO:HI:W} zero-pads to W digits
 *   {cycle:A|B|C}      A for message 1, B for 2, C for 3, A for 4, ...
 *   {size:N}           N filler bytes ("xxx…"), for throughput experiments
 *   {{ and }}          literal braces
 * A template without placeholders is copied as is, with no formatting cost. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZS_PAYLOAD_ERROR (zs_payload_error_quark ())

typedef struct _ZsPayload ZsPayload;

GQuark      zs_payload_error_quark (void);
ZsPayload  *zs_payload_new         (const char * const *frames,
                                    const char         *node_name,
                                    guint32             seed,
                                    GError            **error);
void        zs_payload_free        (ZsPayload          *payload);
guint       zs_payload_get_n_frames (ZsPayload         *payload);
/* Renders frame `index` of message `seq` into `out` (reset first). */
void        zs_payload_render      (ZsPayload          *payload,
                                    guint               index,
                                    guint64             seq,
                                    GByteArray         *out);
/* The bytes of a frame that has no placeholder, else NULL. */
const guint8 *zs_payload_get_constant (ZsPayload       *payload,
                                       guint            index,
                                       gsize           *size);
/* Checks a template's syntax, for the validator and the inspector. */
gboolean    zs_payload_check       (const char         *template_text,
                                    GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ZsPayload, zs_payload_free)

G_END_DECLS
