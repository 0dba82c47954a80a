/* zs-wire-pcap.c: packets for a ZsWire, from a capture file or an interface
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <inttypes.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>

#include "zs-wire-pcap.h"

#define SNAPLEN 262144
#define LIVE_BUFFER (32 * 1024 * 1024)
#define FILE_BATCH 4096

struct _ZsWireInput {
  ZsWire  *wire;
  pcap_t  *pcap;
  pcap_dumper_t *save;
  int      dlt;
  gboolean live;
  int      fd;
  guint64  packets;
};

G_DEFINE_QUARK (zs-wire-error-quark, zs_wire_error)

static void
on_packet (u_char                   *user,
           const struct pcap_pkthdr *h,
           const u_char             *bytes)
{
  ZsWireInput *self = (ZsWireInput *) user;

  self->packets++;
  if (self->save != NULL)
    pcap_dump ((u_char *) self->save, h, bytes);
  zs_wire_add_packet (self->wire, self->dlt, (gint64) h->ts.tv_sec * G_USEC_PER_SEC + h->ts.tv_usec,
                      bytes, h->caplen, h->len);
}

/* What libpcap words as "error reading dump file: Is a directory" or
 * "truncated dump file; tried to read 4 file header bytes, only got 0",
 * said plainly: FALSE then. */
static gboolean
check_capture_file (const char  *path,
                    GError     **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return TRUE;   /* libpcap says why */
  if (S_ISDIR (st.st_mode))
    g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot read %s: it is a directory, not a capture"), path);
  else if (S_ISREG (st.st_mode) && st.st_size == 0)
    g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot read %s: the file is empty, not a capture"), path);
  else
    return TRUE;
  return FALSE;
}

ZsWireInput *
zs_wire_input_open_file (ZsWire      *wire,
                         const char  *path,
                         GError     **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_t *pcap;
  ZsWireInput *self;

  g_return_val_if_fail (wire != NULL && path != NULL, NULL);

  if (!check_capture_file (path, error))
    return NULL;
  pcap = pcap_open_offline_with_tstamp_precision (path, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
  if (pcap == NULL)
    {
      /* libpcap's wording for a file of another kind */
      if (strstr (errbuf, "unknown file format") != NULL)
        g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN,
                     _("cannot read %s: not a pcap or pcapng capture (tcpdump -w or Wireshark writes one)"), path);
      else
        g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot read %s: %s"), path, errbuf);
      return NULL;
    }
  self = g_new0 (ZsWireInput, 1);
  self->wire = wire;
  self->pcap = pcap;
  self->dlt = pcap_datalink (pcap);
  self->fd = -1;
  return self;
}

char *
zs_wire_setcap_command (void)
{
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);

  return g_strdup_printf ("sudo setcap cap_net_raw,cap_net_admin=eip %s", self_path != NULL ? self_path : "zmqscope-capture");
}

static gboolean
set_filter (pcap_t      *pcap,
            ZsWire      *wire,
            GError     **error)
{
  g_autofree char *filter = zs_wire_get_filter (wire);
  struct bpf_program program;
  int rc;

  if (pcap_compile (pcap, &program, filter, 1, PCAP_NETMASK_UNKNOWN) != 0)
    {
      g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot filter “%s”: %s"), filter, pcap_geterr (pcap));
      return FALSE;
    }
  rc = pcap_setfilter (pcap, &program);
  pcap_freecode (&program);
  if (rc != 0)
    g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot filter “%s”: %s"), filter, pcap_geterr (pcap));
  return rc == 0;
}

static void
activate_error (pcap_t      *pcap,
                int          rc,
                const char  *interface,
                GError     **error)
{
  if (rc == PCAP_ERROR_PERM_DENIED)
    {
      g_autofree char *command = zs_wire_setcap_command ();

      g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_PERMISSION,
                   _("capturing on “%s” needs the CAP_NET_RAW capability (%s). Give it to the capture helper once with:\n"
                     "  %s\nReading a capture file (--read FILE) needs no privilege."),
                   interface, pcap_geterr (pcap), command);
    }
  else
    g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot capture on “%s”: %s"), interface,
                 rc == PCAP_ERROR_NO_SUCH_DEVICE ? _("no such interface") : pcap_geterr (pcap));
}

ZsWireInput *
zs_wire_input_open_live (ZsWire      *wire,
                         const char  *interface,
                         GError     **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_t *pcap;
  ZsWireInput *self;
  int rc;

  g_return_val_if_fail (wire != NULL, NULL);

  if (interface == NULL)
    interface = ZS_WIRE_DEFAULT_INTERFACE;
  pcap = pcap_create (interface, errbuf);
  if (pcap == NULL)
    {
      g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot capture on “%s”: %s"), interface, errbuf);
      return NULL;
    }
  pcap_set_snaplen (pcap, SNAPLEN);
  pcap_set_promisc (pcap, 0);
  pcap_set_immediate_mode (pcap, 1);
  pcap_set_buffer_size (pcap, LIVE_BUFFER);
  pcap_set_timeout (pcap, 100);
  rc = pcap_activate (pcap);
  if (rc < 0)
    {
      activate_error (pcap, rc, interface, error);
      pcap_close (pcap);
      return NULL;
    }
  if (!set_filter (pcap, wire, error) || pcap_setnonblock (pcap, 1, errbuf) != 0)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot capture on “%s”: %s"), interface, errbuf);
      pcap_close (pcap);
      return NULL;
    }
  self = g_new0 (ZsWireInput, 1);
  self->wire = wire;
  self->pcap = pcap;
  self->dlt = pcap_datalink (pcap);
  self->live = TRUE;
  self->fd = pcap_get_selectable_fd (pcap);
  zs_wire_set_resolve_processes (wire, TRUE);
  return self;
}

void
zs_wire_input_free (ZsWireInput *self)
{
  if (self == NULL)
    return;
  if (self->save != NULL)
    pcap_dump_close (self->save);
  pcap_close (self->pcap);
  g_free (self);
}

gboolean
zs_wire_input_save_to (ZsWireInput  *self,
                       const char   *path,
                       GError      **error)
{
  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  if (self->save != NULL)
    pcap_dump_close (self->save);
  self->save = pcap_dump_open (self->pcap, path);
  if (self->save == NULL)
    g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_OPEN, _("cannot write %s: %s"), path, pcap_geterr (self->pcap));
  return self->save != NULL;
}

gboolean
zs_wire_input_is_live (ZsWireInput *self)
{
  return self->live;
}

void
zs_wire_input_wait (ZsWireInput *self,
                    int          timeout_ms)
{
  struct pollfd pfd = { self->fd, POLLIN, 0 };

  if (self->live && self->fd >= 0 && timeout_ms > 0)
    poll (&pfd, 1, timeout_ms);
}

int
zs_wire_input_read (ZsWireInput  *self,
                    int           timeout_ms,
                    GError      **error)
{
  int rc;

  g_return_val_if_fail (self != NULL, -1);

  zs_wire_input_wait (self, timeout_ms);
  rc = pcap_dispatch (self->pcap, self->live ? -1 : FILE_BATCH, on_packet, (u_char *) self);
  if (rc > 0 || (rc == 0 && self->live))
    return rc;
  if (rc == 0)
    return -1;
  if (self->live)
    g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_READ, _("capture failed: %s"), pcap_geterr (self->pcap));
  else
    g_set_error (error, ZS_WIRE_ERROR, ZS_WIRE_ERROR_TRUNCATED,
                 _("the capture file is cut after %" PRIu64 " packets (%s): what came before is decoded"),
                 self->packets, pcap_geterr (self->pcap));
  return -1;
}

gboolean
zs_wire_input_get_drops (ZsWireInput *self,
                         guint64     *received,
                         guint64     *dropped)
{
  struct pcap_stat stats;

  if (!self->live || pcap_stats (self->pcap, &stats) != 0)
    return FALSE;
  *received = stats.ps_recv;
  *dropped = (guint64) stats.ps_drop + stats.ps_ifdrop;
  return TRUE;
}

GStrv
zs_wire_list_interfaces (void)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  pcap_if_t *all = NULL;

  g_strv_builder_add (builder, ZS_WIRE_DEFAULT_INTERFACE);
  g_strv_builder_add (builder, "any");
  g_hash_table_add (seen, (gpointer) ZS_WIRE_DEFAULT_INTERFACE);
  g_hash_table_add (seen, (gpointer) "any");
  if (pcap_findalldevs (&all, errbuf) == 0)
    for (pcap_if_t *dev = all; dev != NULL; dev = dev->next)
      if (g_hash_table_add (seen, dev->name))
        g_strv_builder_add (builder, dev->name);
  if (all != NULL)
    pcap_freealldevs (all);
  return g_strv_builder_end (builder);
}
