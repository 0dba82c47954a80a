/* fuzz-recording-file.c: libFuzzer target for open -> scrub -> save -> open
 *
 * Each input is tried twice: as a whole file, and as the data inside one
 * (given the signature, version and gzip here), so that mutations reach
 * the parser rather than stop at the gzip checksum. Whatever opens must
 * show every frame, save, open again and save to the same bytes; anything
 * else aborts, so the fuzzer reports it with the input that did it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zs-recording-private.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A GLib warning or critical is a bug the fuzzer should report. */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  return 0;
}

static void G_GNUC_NORETURN
fail (const char *what)
{
  fprintf (stderr, "recording round trip: %s\n", what);
  abort ();
}

/* The signature, version 1, and `data` gzipped. */
static GBytes *
as_file (const uint8_t *data,
         size_t         size)
{
  g_autoptr(GZlibCompressor) z = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  g_autoptr(GInputStream) base = g_memory_input_stream_new_from_data (data, (gssize) size, NULL);
  g_autoptr(GInputStream) in = g_converter_input_stream_new (base, G_CONVERTER (z));
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  static const guint8 header[] = { 0x89, 'Z', 'S', 'R', 'E', 'C', '\r', '\n', 1, 0, 0, 0 };

  g_output_stream_write_all (out, header, sizeof header, NULL, NULL, NULL);
  if (g_output_stream_splice (out, in, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL, NULL) < 0)
    fail ("gzip failed");
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

static void
try_open (const guint8 *data,
          gsize         size)
{
  g_autoptr(ZsRecording) recording = NULL;
  g_autoptr(ZsRecording) reopened = NULL;
  g_autoptr(GBytes) saved = NULL;
  g_autoptr(GBytes) saved_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsSnapshot) shown = NULL;
  ZsTopology *topology;

  recording = _zs_recording_load_from_data (data, size, &error);
  if (recording == NULL)
    {
      if (error == NULL || strstr (error->message, "byte") == NULL)
        fail ("refused without saying where");
      return;
    }
  topology = zs_recording_get_topology (recording);
  shown = zs_snapshot_new (zs_topology_get_n_nodes (topology), zs_topology_get_links (topology)->len);
  for (guint i = 0; i < zs_recording_get_n_frames (recording); i++)
    zs_recording_snapshot_at (recording, zs_recording_get_frame_time_us (recording, i), shown);
  for (guint l = 0; l < zs_topology_get_links (topology)->len; l++)
    g_ptr_array_unref (zs_recording_get_captures_at (recording, l, G_MAXINT64));

  saved = _zs_recording_save_to_data (recording);
  reopened = _zs_recording_load_from_data (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved), &error);
  if (reopened == NULL)
    fail (error->message);
  saved_again = _zs_recording_save_to_data (reopened);
  if (!g_bytes_equal (saved, saved_again))
    fail ("the reopened recording saves differently");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) file = as_file (data, size);

  try_open (data, size);
  try_open (g_bytes_get_data (file, NULL), g_bytes_get_size (file));
  return 0;
}
