/* zs-topology-file.h: the versioned JSON file format
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

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
char        *zs_topology_save_to_data     (ZsTopology  *topology,
                                           gsize       *length);
gboolean     zs_topology_save_to_file     (ZsTopology  *topology,
                                           const char  *path,
                                           GError     **error);

G_END_DECLS
