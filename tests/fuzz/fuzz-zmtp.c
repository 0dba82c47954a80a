/* fuzz-zmtp.c: libFuzzer target for the wire: TCP reassembly and ZMTP
 *
 * The input is a session of TCP segments between two ends, as a capture
 * could hold it: out of order, repeated, cut by the snap length, reset,
 * joined in the middle. Whatever it holds, the wire must decode it within
 * its bounds, with findings rather than a crash, and build a topology;
 * the decoder alone is fed the same bytes as one stream.
 *
 *   byte 0: bit 0 watch port 5555 (else auto-detect), bit 1 no handshake
 *   then records: ctl, len, len bytes of payload
 *     ctl bit 0: from the server; bit 1: out of order (the next byte, as a
 *     signed offset); bit 2: snap length cuts it in half; bit 3: FIN both
 *     ways and a new connection; bit 4: a gap before it
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "zs-wire-forge.h"
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
fuzz_decoder (const uint8_t *data,
              size_t         size)
{
  ZsZmtpDecoder *z = zs_zmtp_decoder_new ();
  size_t half = size / 2;

  if (size > 0 && (data[0] & 0x02))
    zs_zmtp_decoder_join_midstream (z);
  zs_zmtp_decoder_feed (z, data, half);
  if (size > 0 && (data[0] & 0x04))
    zs_zmtp_decoder_gap (z, data[0]);
  zs_zmtp_decoder_feed (z, data + half, size - half);
  zs_zmtp_decoder_finish (z);
  if (zs_zmtp_decoder_get_findings (z)->len > ZS_ZMTP_MAX_FINDINGS
      || zs_zmtp_decoder_get_topics (z)->len > ZS_ZMTP_MAX_TOPICS)
    abort ();
  zs_zmtp_decoder_free (z);
}

static void
fuzz_wire (const uint8_t *data,
           size_t         size)
{
  ZsWire *wire;
  ZsForge *forge;
  ZsForgeConn conn;
  ZsWireTopology *topology;
  guint16 client_port = 40000;
  gboolean handshake;
  size_t i = 1;
  char *text, *json;

  if (size == 0)
    return;
  wire = zs_wire_new ();
  forge = zs_forge_new (NULL, wire);
  if (data[0] & 0x01)
    zs_wire_set_ports (wire, "5555", NULL);
  handshake = !(data[0] & 0x02);
  zs_forge_connect (forge, &conn, 0x7f000001u, client_port, 0x7f000001u, 5555, handshake);
  while (i + 2 <= size)
    {
      guint8 ctl = data[i], len = data[i + 1];
      guint dir = ctl & 0x01;
      gint64 offset = 0;

      i += 2;
      if ((ctl & 0x02) && i < size)
        offset = (gint8) data[i++];
      len = (guint8) MIN (len, size - i);
      if (ctl & 0x10)
        zs_forge_advance (&conn, dir, 1 + (ctl >> 5));
      if (ctl & 0x08)
        {
          zs_forge_close (&conn);
          zs_forge_connect (forge, &conn, 0x7f000001u, ++client_port, 0x7f000001u, 5555, handshake);
        }
      zs_forge_send_at (&conn, dir, offset, data + i, (ctl & 0x04) ? len / 2 : len);
      if (offset == 0)
        zs_forge_advance (&conn, dir, len);
      i += len;
    }
  zs_wire_finish (wire);
  topology = zs_wire_topology_new (wire, FALSE);
  if (topology->links->len != zs_topology_get_links (topology->topology)->len)
    abort ();
  text = zs_wire_topology_to_text (topology);
  json = zs_wire_topology_to_json (topology);
  g_free (text);
  g_free (json);
  zs_wire_topology_free (topology);
  zs_forge_free (forge);
  zs_wire_free (wire);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_decoder (data, size);
  fuzz_wire (data, size);
  return 0;
}
