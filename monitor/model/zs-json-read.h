/* zs-json-read.h: reading the members of a zmqscope JSON file (a topology,
 * a lesson) strictly; every error is ZS_TOPOLOGY_FILE_ERROR and says
 * "PATH: what is wrong", PATH naming the member ("goals[2].kind")
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "zs-topology-file.h"

G_BEGIN_DECLS

/* Sets the error, a message made valid UTF-8, and returns FALSE. */
gboolean     zs_json_fail                   (GError     **error,
                                             int          code,
                                             const char  *path,
                                             const char  *format,
                                             ...) G_GNUC_PRINTF (4, 5);
#define zs_json_invalid(error, path, ...) \
  zs_json_fail (error, ZS_TOPOLOGY_FILE_ERROR_INVALID, path, __VA_ARGS__)
/* "parent.member", or "member" at the top. */
char        *zs_json_member_path            (const char  *parent,
                                             const char  *member);
/* "an object", "a string", … for "expected X, found Y". */
const char  *zs_json_kind                   (JsonNode    *node);
gboolean     zs_json_wrong_type             (GError     **error,
                                             const char  *path,
                                             const char  *expected,
                                             JsonNode    *found);
gboolean     zs_json_is_value_of            (JsonNode    *node,
                                             GType        type);
/* A string that is valid UTF-8. */
gboolean     zs_json_read_string            (JsonNode    *node,
                                             const char  *path,
                                             const char **out,
                                             GError     **error);
/* A number the file can write back exactly (at most 2^53, no tiny fractions). */
gboolean     zs_json_read_number            (JsonNode    *node,
                                             const char  *path,
                                             double      *out,
                                             GError     **error);
/* A whole number, also when written as 10.0. */
gboolean     zs_json_read_integer           (JsonNode    *node,
                                             const char  *path,
                                             gint64      *out,
                                             GError     **error);
gboolean     zs_json_read_integer_in_range  (JsonNode    *node,
                                             const char  *path,
                                             gint64       minimum,
                                             gint64       maximum,
                                             gint64      *out,
                                             GError     **error);
gboolean     zs_json_read_strv              (JsonNode    *node,
                                             const char  *path,
                                             GStrv       *out,
                                             GError     **error);
gboolean     zs_json_get_object             (JsonNode    *node,
                                             const char  *path,
                                             JsonObject **out,
                                             GError     **error);

G_END_DECLS
