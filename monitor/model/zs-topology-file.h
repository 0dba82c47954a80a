/* zs-topology-file.h: the versioned JSON file format
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "zs-topology.h"

G_BEGIN_DECLS

#define ZS_TOPOLOGY_FILE_ERROR (zs_topology_file_error_quark ())
#define ZS_TOPOLOGY_FILE_VERSION 1

typedef enum {
  ZS_TOPOLOGY_FILE_ERROR_SYNTAX,    /* not JSON: the message has line and column */
  ZS_TOPOLOGY_FILE_ERROR_INVALID,   /* JSON, but not a topology: says which member */
  ZS_TOPOLOGY_FILE_ERROR_VERSION,   /* written by a newer zmqscope */
} ZsTopologyFileError;

GQuark       zs_topology_file_error_quark (void);
ZsTopology  *zs_topology_load_from_data   (const char  *data,
                                           gssize       length,
                                           GError     **error);
ZsTopology  *zs_topology_load_from_file   (const char  *path,
                                           GError     **error);
/* A topology inside another JSON document (a lesson): error messages name
 * members from `path` ("topology.nodes[0].role"). */
ZsTopology  *zs_topology_load_from_json   (JsonNode    *root,
                                           const char  *path,
                                           GError     **error);
char        *zs_topology_save_to_data     (ZsTopology  *topology,
                                           gsize       *length);
gboolean     zs_topology_save_to_file     (ZsTopology  *topology,
                                           const char  *path,
                                           GError     **error);

/* The strict scan every zmqscope JSON file passes before json-glib parses
 * it (size, nesting, comments, quotes, numbers beyond 64 bits, trailing
 * text); errors say "NAME:LINE:COLUMN: …". */
gboolean     zs_json_check_strict         (const char  *data,
                                           gsize        length,
                                           const char  *name,
                                           GError     **error);
/* Where the value of member `path` ("goals[2].kind", as the loaders name
 * members) begins in `data`: FALSE if it is not there. */
gboolean     zs_json_locate               (const char  *data,
                                           gsize        length,
                                           const char  *path,
                                           guint       *line,
                                           guint       *column);

G_END_DECLS
