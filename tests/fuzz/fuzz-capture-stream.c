/* fuzz-capture-stream.c: libFuzzer target for the capture stream
 *
 * The input is one stream message as a capture helper would send it
 * (docs/capture-stream.md), from a helper that may be malicious or
 * broken. Whatever it holds, the app's reader must refuse it with a reason
 * or read it within its bounds; a state it reads must merge, build a
 * topology and its reports, and read again exactly as it was written
 * (encode -> decode -> encode gives the same bytes). Seeded with
 * tests/fuzz/capture-stream-seeds.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "zs-wire-stream.h"
#include "zs-wire-topology.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  return 0;
}

static void
fuzz_state (const uint8_t *data,
            size_t         size)
{
  g_autoptr(ZsWireStreamState) state = zs_wire_stream_decode_state (data, size, NULL);
  g_autoptr(ZsWireStreamState) again = NULL;
  g_autoptr(GBytes) encoded = NULL, reencoded = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GHashTable) index = NULL;
  ZsWireTopology *topology;
  char *text, *json;

  if (state == NULL)
    return;
  encoded = zs_wire_stream_encode_state (state);
  again = zs_wire_stream_decode_state (g_bytes_get_data (encoded, NULL), g_bytes_get_size (encoded), NULL);
  if (again == NULL)
    abort ();
  reencoded = zs_wire_stream_encode_state (again);
  if (!g_bytes_equal (encoded, reencoded))
    abort ();
  /* Twice: every connection meets itself, as from two helpers. */
  merged = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_wire_conn_state_free);
  index = zs_wire_state_index_new ();
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < state->connections->len; i++)
      zs_wire_state_merge (merged, index, g_ptr_array_index (state->connections, i));
  topology = zs_wire_topology_new_from_states (merged, state->live);
  text = zs_wire_topology_to_text (topology);
  json = zs_wire_topology_to_json (topology);
  g_free (text);
  g_free (json);
  zs_wire_topology_free (topology);
}

static void
fuzz_messages (const uint8_t *data,
               size_t         size)
{
  g_autoptr(GArray) messages = zs_wire_stream_decode_messages (data, size, NULL);
  volatile guint8 sum = 0;

  if (messages == NULL)
    return;
  /* Every kept byte is inside the input. */
  for (guint i = 0; i < messages->len; i++)
    {
      const ZsWireStreamMessage *m = &g_array_index (messages, ZsWireStreamMessage, i);

      if (m->n_kept > ZS_ZMTP_KEEP_FRAMES || m->dir > 1)
        abort ();
      for (guint f = 0; f < m->n_kept; f++)
        {
          gsize len = (gsize) MIN (m->sizes[f], (guint64) ZS_ZMTP_KEEP_DATA);

          if (len > 0 && (m->data[f] < data || m->data[f] + len > data + size))
            abort ();
          for (gsize k = 0; k < len; k++)
            sum += m->data[f][k];
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  ZsWireStreamKind kind;

  if (!zs_wire_stream_peek_kind (data, size, &kind, NULL))
    return 0;
  if (kind == ZS_WIRE_STREAM_STATE)
    fuzz_state (data, size);
  else
    fuzz_messages (data, size);
  return 0;
}
