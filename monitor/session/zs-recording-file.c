/* zs-recording-file.c: a recording and its topology in one file
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The format is docs/recording-format.md: a signature, a version, then a
 * gzip stream of the data. The loader takes the file as untrusted: every
 * refusal names the byte, nothing is allocated beyond what the bytes read
 * justify, and the data may not decompress beyond ZS_RECORDING_MAX_DATA. */
#define G_LOG_DOMAIN "zs-recording"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-recording-codec.h"
#include "zs-recording-private.h"
#include "zs-topology-file.h"

#define SIGNATURE "\x89ZSREC\r\n"
#define SIGNATURE_LENGTH 8
#define HEADER_LENGTH (SIGNATURE_LENGTH + 4)
/* The most the data may decompress to (a one-hour recording of the
 * 200-node bench topology is about 30 MiB). */
#define ZS_RECORDING_MAX_DATA ((gsize) 512 * 1024 * 1024)

enum {
  EVENT_TEXT = 1 << 0,
};

/* ---- the data ---- */

static void
write_event (GByteArray       *out,
             const ZsRunEvent *e)
{
  _zs_writer_int (out, e->time_us);
  _zs_writer_uint (out, e->kind);
  _zs_writer_uint (out, (guint64) (e->node + 1));
  _zs_writer_uint (out, (guint64) (e->link + 1));
  _zs_writer_uint (out, e->count);
  _zs_writer_uint (out, e->text != NULL ? EVENT_TEXT : 0);
  if (e->text != NULL)
    _zs_writer_string (out, e->text);
}

static GByteArray *
write_data (ZsRecording *self)
{
  GByteArray *out = g_byte_array_new ();
  ZsTopology *topology = zs_recording_get_topology (self);
  g_autofree char *json = NULL;
  gsize length;
  guint n_events, n_links = zs_topology_get_links (topology)->len;
  const ZsRunEvent *events = zs_recording_get_events (self, &n_events);

  json = zs_topology_save_to_data (topology, &length);
  _zs_writer_uint (out, length);
  _zs_writer_bytes (out, (const guint8 *) json, length);

  _zs_writer_uint (out, zs_recording_get_n_frames (self));
  for (guint i = 0; i < zs_recording_get_n_frames (self); i++)
    {
      const guint8 *frame = _zs_recording_get_frame_data (self, i, &length);

      _zs_writer_uint (out, length);
      _zs_writer_bytes (out, frame, length);
    }

  _zs_writer_uint (out, zs_recording_get_n_events_dropped (self));
  _zs_writer_uint (out, n_events);
  for (guint i = 0; i < n_events; i++)
    write_event (out, &events[i]);

  _zs_writer_uint (out, n_links);
  for (guint l = 0; l < n_links; l++)
    {
      guint n = _zs_recording_get_n_captures (self, l);

      _zs_writer_uint (out, n);
      for (guint i = 0; i < n; i++)
        _zs_capture_encode (out, _zs_recording_get_capture (self, l, i));
    }
  return out;
}

static ZsTopology *
read_topology (ZsReader *r)
{
  gsize start = r->pos;
  guint length;
  const guint8 *json;
  g_autoptr(GError) error = NULL;
  ZsTopology *topology;

  if (!_zs_reader_count (r, 1, &length) || !_zs_reader_bytes (r, length, &json))
    return NULL;
  topology = zs_topology_load_from_data ((const char *) json, length, &error);
  if (topology == NULL)
    {
      g_autofree char *what = g_strdup_printf (_("its topology does not load: %s"), error->message);

      r->pos = start;
      _zs_reader_corrupt (r, what);
    }
  return topology;
}

/* Socket i of a frame is the i-th socket of the topology, counting node
 * by node, as the engine fills them. */
static gboolean
sockets_in_order (ZsTopology       *topology,
                  const ZsSnapshot *s)
{
  guint i = 0;

  for (guint n = 0; n < s->n_nodes && i < s->n_sockets; n++)
    for (guint k = 0; k < zs_node_get_n_sockets (zs_topology_get_node (topology, n)); k++, i++)
      if (s->sockets[i].node != n || s->sockets[i].socket != k)
        return FALSE;
  return TRUE;
}

/* A frame of `length` bytes: decoded within them, in time order. */
static gboolean
read_frame (ZsReader    *r,
            ZsRecording *self,
            ZsSnapshot  *s)
{
  guint length;
  ZsReader frame;
  gint64 previous = s->time_us;
  gboolean first = zs_recording_get_n_frames (self) == 0;

  if (!_zs_reader_count (r, 1, &length))
    return FALSE;
  /* Read in place, so positions stay those of the data. */
  _zs_reader_init (&frame, r->data, r->pos + length);
  frame.pos = r->pos;
  frame.version = r->version;
  if (!_zs_frame_decode (&frame, _zs_recording_get_n_sockets (self), s))
    {
      if (g_error_matches (frame.error, ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_TRUNCATED))
        _zs_reader_corrupt (r, _("a frame longer than its size says"));
      else
        r->error = g_steal_pointer (&frame.error);
      g_clear_error (&frame.error);
      return FALSE;
    }
  if (frame.pos != frame.length)
    {
      r->pos = frame.pos;
      _zs_reader_corrupt (r, _("a frame shorter than its size says"));
      return FALSE;
    }
  if (!first && s->time_us < previous)
    {
      _zs_reader_corrupt (r, _("frames out of time order"));
      return FALSE;
    }
  if (!sockets_in_order (zs_recording_get_topology (self), s))
    {
      _zs_reader_corrupt (r, _("a frame whose sockets are not the topology's"));
      return FALSE;
    }
  r->pos = frame.pos;
  _zs_recording_store_frame (self, s);
  return TRUE;
}

static gboolean
read_frames (ZsReader    *r,
             ZsRecording *self)
{
  ZsTopology *topology = zs_recording_get_topology (self);
  g_autoptr(ZsSnapshot) s = zs_snapshot_new (zs_topology_get_n_nodes (topology),
                                             zs_topology_get_links (topology)->len);
  guint n;

  if (!_zs_reader_count (r, 2, &n))
    return FALSE;
  if (n == 0)
    {
      _zs_reader_corrupt (r, _("a recording without frames"));
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!read_frame (r, self, s))
      return FALSE;
  return TRUE;
}

static gboolean
read_event (ZsReader    *r,
            ZsRecording *self,
            gint64      *after_us)
{
  ZsTopology *topology = zs_recording_get_topology (self);
  ZsRunEvent e = { 0 };
  gsize start = r->pos;
  guint64 kind, node, link, flags;

  if (!_zs_reader_int (r, &e.time_us))
    return FALSE;
  if (e.time_us < *after_us || e.time_us > zs_recording_get_duration_us (self))
    {
      r->pos = start;
      _zs_reader_corrupt (r, _("an event out of time order or beyond the recording"));
      return FALSE;
    }
  if (!_zs_reader_uint (r, ZS_RUN_EVENT_CHANGED, &kind)
      || !_zs_reader_uint (r, zs_topology_get_n_nodes (topology), &node)
      || !_zs_reader_uint (r, zs_topology_get_links (topology)->len, &link)
      || !_zs_reader_uint (r, G_MAXUINT64, &e.count) || !_zs_reader_uint (r, EVENT_TEXT, &flags)
      || ((flags & EVENT_TEXT) && !_zs_reader_string (r, &e.text)))
    return FALSE;
  e.kind = (ZsRunEventKind) kind;
  e.node = (int) node - 1;
  e.link = (int) link - 1;
  *after_us = e.time_us;
  _zs_recording_push_event (self, &e);
  return TRUE;
}

static gboolean
read_events (ZsReader    *r,
             ZsRecording *self)
{
  guint64 dropped;
  guint n;
  gint64 time_us = 0;
  gsize start;

  if (!_zs_reader_uint (r, G_MAXUINT64, &dropped))
    return FALSE;
  start = r->pos;
  if (!_zs_reader_count (r, 6, &n))
    return FALSE;
  if (n > ZS_RECORDING_MAX_EVENTS)
    {
      r->pos = start;
      _zs_reader_corrupt (r, _("more events than a recording keeps"));
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    if (!read_event (r, self, &time_us))
      return FALSE;
  _zs_recording_set_n_events_dropped (self, dropped);
  return TRUE;
}

static gboolean
read_captures (ZsReader    *r,
               ZsRecording *self)
{
  guint n_links = zs_topology_get_links (zs_recording_get_topology (self))->len;
  guint64 n;

  if (!_zs_reader_uint (r, n_links, &n))
    return FALSE;
  if (n != n_links)
    {
      _zs_reader_corrupt (r, _("captures for another topology"));
      return FALSE;
    }
  for (guint l = 0; l < n_links; l++)
    {
      guint64 n_captures;

      if (!_zs_reader_uint (r, ZS_RECORDING_CAPTURES, &n_captures))
        return FALSE;
      for (guint i = 0; i < n_captures; i++)
        {
          ZsCapture *capture = _zs_capture_decode (r);

          if (capture == NULL)
            return FALSE;
          _zs_recording_push_capture (self, l, capture);
        }
    }
  return TRUE;
}

static ZsRecording *
read_data (const guint8  *data,
           gsize          length,
           guint          version,
           GError       **error)
{
  ZsReader r;
  g_autoptr(ZsTopology) topology = NULL;
  g_autoptr(ZsRecording) self = NULL;

  _zs_reader_init (&r, data, length);
  r.version = version;
  topology = read_topology (&r);
  if (topology != NULL)
    self = zs_recording_new (topology);
  if (self != NULL && read_frames (&r, self) && read_events (&r, self) && read_captures (&r, self)
      && r.pos != r.length)
    _zs_reader_corrupt (&r, _("more data after the recording's end"));
  if (r.error != NULL)
    {
      g_propagate_error (error, r.error);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* ---- compression ---- */

/* Input goes to the converter this much at a time, so that a damaged
 * stream is refused naming the bytes it is damaged in. */
#define CONVERT_CHUNK 1024

/* Runs all of `input` through `converter`; `*consumed` is how much of it
 * was read when it stopped (on an error: up to the chunk it was in). */
static GByteArray *
convert (GConverter    *converter,
         const guint8  *input,
         gsize          length,
         gsize          max_output,
         gsize         *consumed,
         GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  GConverterResult result = G_CONVERTER_CONVERTED;

  *consumed = 0;
  while (result != G_CONVERTER_FINISHED)
    {
      gsize read = 0, written = 0, at = out->len;
      gsize chunk = MIN (length - *consumed, CONVERT_CHUNK);
      /* Always room to move on: the output may pass the cap by that much. */
      gsize room = 64 * 1024;

      g_byte_array_set_size (out, (guint) (at + room));
      result = g_converter_convert (converter, input + *consumed, chunk, out->data + at, room,
                                    *consumed + chunk == length ? G_CONVERTER_INPUT_AT_END : 0,
                                    &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      *consumed += read;
      g_byte_array_set_size (out, (guint) (at + written));
      if (out->len > max_output)
        {
          g_set_error (error, ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_CORRUPT,
                       _("corrupt at byte %zu: its data decompresses to more than %zu"
                         " MiB"), HEADER_LENGTH + *consumed, max_output / (1024 * 1024));
          return NULL;
        }
    }
  return g_steal_pointer (&out);
}

GBytes *
_zs_recording_save_to_data (ZsRecording *self)
{
  g_autoptr(GByteArray) data = write_data (self);
  g_autoptr(GByteArray) compressed = NULL;
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  g_autoptr(GError) error = NULL;
  GByteArray *file = g_byte_array_new ();
  guint32 version = GUINT32_TO_LE (ZS_RECORDING_FORMAT_VERSION);
  gsize consumed;

  compressed = convert (G_CONVERTER (compressor), data->data, data->len, G_MAXUINT32, &consumed, &error);
  g_assert_no_error (error);
  g_byte_array_append (file, (const guint8 *) SIGNATURE, SIGNATURE_LENGTH);
  g_byte_array_append (file, (const guint8 *) &version, sizeof version);
  g_byte_array_append (file, compressed->data, compressed->len);
  return g_byte_array_free_to_bytes (file);
}

gboolean
zs_recording_save (ZsRecording  *self,
                   const char   *path,
                   GError      **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  gconstpointer data;

  g_return_val_if_fail (ZS_IS_RECORDING (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (zs_recording_get_n_frames (self) > 0, FALSE);

  bytes = _zs_recording_save_to_data (self);
  data = g_bytes_get_data (bytes, &length);
  return g_file_set_contents (path, data, (gssize) length, error);
}

static GByteArray *
decompress (const guint8  *contents,
            gsize          length,
            GError       **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GError) local = NULL;
  g_autoptr(GByteArray) data = NULL;
  gsize consumed;

  data = convert (G_CONVERTER (decompressor), contents + HEADER_LENGTH, length - HEADER_LENGTH,
                  ZS_RECORDING_MAX_DATA, &consumed, &local);
  if (data == NULL && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT))
    g_set_error (error, ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_TRUNCATED,
                 _("the file ends early, at byte %zu, inside its compressed data"), length);
  else if (data == NULL && local->domain == ZS_RECORDING_ERROR)
    g_propagate_error (error, g_steal_pointer (&local));
  else if (data == NULL)
    g_set_error (error, ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_CORRUPT,
                 _("corrupt in bytes %zu to %zu: the compressed data is damaged (%s)"),
                 HEADER_LENGTH + consumed, MIN (HEADER_LENGTH + consumed + CONVERT_CHUNK, length) - 1,
                 local->message);
  else if (HEADER_LENGTH + consumed != length)
    g_set_error (error, ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_CORRUPT,
                 _("corrupt at byte %zu: more bytes after the compressed data"),
                 HEADER_LENGTH + consumed);
  else
    return g_steal_pointer (&data);
  return NULL;
}

/* The signature and the version, before anything is decompressed. */
static gboolean
check_header (const guint8  *contents,
              gsize          length,
              guint         *version_out,
              GError       **error)
{
  guint32 version;

  if (length > 0 && memcmp (contents, SIGNATURE, MIN (length, SIGNATURE_LENGTH)) != 0)
    {
      g_set_error (error, ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_NOT_RECORDING,
                   _("not a zmqscope recording (no recording signature at byte 0)"));
      return FALSE;
    }
  if (length < HEADER_LENGTH)
    {
      g_set_error (error, ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_TRUNCATED,
                   _("the file ends early, at byte %zu, inside its header"), length);
      return FALSE;
    }
  memcpy (&version, contents + SIGNATURE_LENGTH, sizeof version);
  version = GUINT32_FROM_LE (version);
  if (version > ZS_RECORDING_FORMAT_VERSION)
    {
      g_set_error (error, ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_VERSION,
                   _("written by a newer zmqscope (recording format %u at byte %d; this one reads up to %d)"),
                   version, SIGNATURE_LENGTH, ZS_RECORDING_FORMAT_VERSION);
      return FALSE;
    }
  if (version == 0)
    {
      g_set_error (error, ZS_RECORDING_ERROR, ZS_RECORDING_ERROR_CORRUPT,
                   _("corrupt at byte %d: recording format 0 does not exist"), SIGNATURE_LENGTH);
      return FALSE;
    }
  *version_out = version;
  return TRUE;
}

ZsRecording *
_zs_recording_load_from_data (const guint8  *contents,
                              gsize          length,
                              GError       **error)
{
  g_autoptr(GByteArray) data = NULL;
  guint version;

  if (!check_header (contents, length, &version, error))
    return NULL;
  data = decompress (contents, length, error);
  if (data == NULL)
    return NULL;
  return read_data (data->data, data->len, version, error);
}

ZsRecording *
zs_recording_load (const char  *path,
                   GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  /* GLib would say "mmap() failed: No such device". */
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_ISDIR, _("%s is a directory, not a recording"), path);
      return NULL;
    }
  /* Mapped, not read: a file of any size costs no allocation. */
  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;
  return _zs_recording_load_from_data ((const guint8 *) g_mapped_file_get_contents (file),
                                       g_mapped_file_get_length (file), error);
}
