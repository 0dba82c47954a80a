/* zs-recording-codec.h: the compact bytes of a recording's frames, events and captures
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Private to zs-recording*.c. One encoding serves memory and the file
 * (docs/recording-format.md): unsigned LEB128 varints, zigzag for signed
 * values, strings as a length and their bytes (no NUL). The reader never
 * trusts what it reads: every count is checked against the bytes left,
 * every failure names the byte position. */
#pragma once

#include <glib.h>

#include "zs-capture.h"
#include "zs-snapshot.h"

G_BEGIN_DECLS

/* The format written (docs/recording-format.md). 2 added the faults:
 * a node's fault, slow factor, kills and restarts; a link's cut, cuts,
 * relay (delay, loss) and what was lost, per link and per direction.
 * 3 added a capture's own figures: the kernel's drops, the let go. */
#define ZS_RECORDING_FORMAT_VERSION 3

typedef struct {
  const guint8 *data;
  gsize         length;
  gsize         pos;
  GError       *error;    /* the first failure; reads after it fail */
  guint         version;  /* of the bytes read: ZS_RECORDING_FORMAT_VERSION unless told */
} ZsReader;

void      _zs_writer_uint       (GByteArray  *out,
                                 guint64      value);
void      _zs_writer_int        (GByteArray  *out,
                                 gint64       value);
void      _zs_writer_string     (GByteArray  *out,
                                 const char  *text);
void      _zs_writer_bytes      (GByteArray  *out,
                                 const guint8 *data,
                                 gsize        length);

void      _zs_reader_init       (ZsReader     *r,
                                 const guint8 *data,
                                 gsize         length);
gboolean  _zs_reader_failed     (ZsReader     *r);
/* Sets r->error (ZS_RECORDING_ERROR_CORRUPT) at the current position. */
void      _zs_reader_corrupt    (ZsReader     *r,
                                 const char   *what);
gboolean  _zs_reader_uint       (ZsReader     *r,
                                 guint64       max,
                                 guint64      *value);
gboolean  _zs_reader_int        (ZsReader     *r,
                                 gint64       *value);
/* A count of items each at least `min_bytes` long: refused when the bytes
 * left cannot hold them, so nothing is allocated the data cannot justify. */
gboolean  _zs_reader_count      (ZsReader     *r,
                                 gsize         min_bytes,
                                 guint        *count);
/* A NUL-free string; *text stays NULL on failure. */
gboolean  _zs_reader_string     (ZsReader     *r,
                                 char        **text);
gboolean  _zs_reader_bytes      (ZsReader      *r,
                                 gsize          length,
                                 const guint8 **data);

/* A frame: every field of the snapshot. */
void      _zs_frame_encode      (GByteArray       *out,
                                 const ZsSnapshot *snapshot);
/* Into a snapshot made by zs_snapshot_new (n_nodes, n_links); a frame for
 * another topology size is corrupt. n_sockets must be 0 or `n_sockets`. */
gboolean  _zs_frame_decode      (ZsReader         *r,
                                 guint             n_sockets,
                                 ZsSnapshot       *snapshot);
/* A deep copy into a snapshot of the same size. */
void      _zs_snapshot_copy_into (ZsSnapshot       *dest,
                                  const ZsSnapshot *src);

void      _zs_capture_encode    (GByteArray       *out,
                                 const ZsCapture  *capture);
ZsCapture *_zs_capture_decode   (ZsReader         *r);
gsize     _zs_capture_size      (const ZsCapture  *capture);

G_END_DECLS
