/* zs-wire-proc.c: which process holds a TCP socket, from /proc
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "zs-wire-proc.h"

#define TCP_LISTEN 0x0a

struct _ZsWireProc {
  GHashTable *owners;   /* inode -> pid, from the last scan of /proc/PID/fd */
};

ZsWireProc *
zs_wire_proc_new (void)
{
  ZsWireProc *self = g_new0 (ZsWireProc, 1);

  self->owners = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  return self;
}

void
zs_wire_proc_free (ZsWireProc *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->owners);
  g_free (self);
}

/* "0100007F:15B3" (IPv4) or 32 hex digits (IPv6), as the kernel prints the
 * raw address words. */
static gboolean
parse_address (const char    *text,
               int            family,
               ZsWireAddress *out)
{
  guint words = family == AF_INET ? 1 : 4;
  const char *colon = strchr (text, ':');

  if (colon == NULL || (gsize) (colon - text) != words * 8)
    return FALSE;
  memset (out, 0, sizeof *out);
  out->family = family;
  for (guint w = 0; w < words; w++)
    {
      char word[9];
      guint32 value;

      memcpy (word, text + w * 8, 8);
      word[8] = '\0';
      value = (guint32) strtoul (word, NULL, 16);
      memcpy (out->addr + w * 4, &value, 4);
    }
  out->port = (guint16) strtoul (colon + 1, NULL, 16);
  return TRUE;
}

static gboolean
same (const ZsWireAddress *a,
      const ZsWireAddress *b)
{
  return a->family == b->family && a->port == b->port && memcmp (a->addr, b->addr, 16) == 0;
}

/* The inode of the socket local -> remote, else of a socket listening on
 * local's port; 0 if none. */
static guint64
find_inode (const ZsWireAddress *local,
            const ZsWireAddress *remote)
{
  const char *path = local->family == AF_INET ? "/proc/net/tcp" : "/proc/net/tcp6";
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint64 listening = 0;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = g_strsplit_set (g_strstrip (lines[i]), " ", -1);
      char *fields[10];
      guint n = 0;
      ZsWireAddress l, r;
      guint64 inode;

      for (guint k = 0; f[k] != NULL && n < G_N_ELEMENTS (fields); k++)
        if (*f[k] != '\0')
          fields[n++] = f[k];
      if (n < 10 || !parse_address (fields[1], local->family, &l) || !parse_address (fields[2], local->family, &r))
        continue;
      inode = g_ascii_strtoull (fields[9], NULL, 10);
      if (inode == 0)
        continue;
      if (same (&l, local) && same (&r, remote))
        return inode;
      if (strtoul (fields[3], NULL, 16) == TCP_LISTEN && l.port == local->port)
        listening = inode;
    }
  return listening;
}

static void
scan_owners (ZsWireProc *self)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_hash_table_remove_all (self->owners);
  if (proc == NULL)
    return;
  while ((name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *fd_path = NULL;
      g_autoptr(GDir) fds = NULL;
      const char *fd;
      guint64 pid;

      if (!g_ascii_string_to_unsigned (name, 10, 1, G_MAXINT, &pid, NULL))
        continue;
      fd_path = g_strdup_printf ("/proc/%s/fd", name);
      fds = g_dir_open (fd_path, 0, NULL);
      if (fds == NULL)
        continue;
      while ((fd = g_dir_read_name (fds)) != NULL)
        {
          g_autofree char *link_path = g_build_filename (fd_path, fd, NULL);
          g_autofree char *target = g_file_read_link (link_path, NULL);
          gint64 *inode;

          if (target == NULL || !g_str_has_prefix (target, "socket:["))
            continue;
          inode = g_new (gint64, 1);
          *inode = g_ascii_strtoll (target + 8, NULL, 10);
          g_hash_table_insert (self->owners, inode, GUINT_TO_POINTER ((guint) pid));
        }
    }
}

static char *
read_command (guint pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%u/cmdline", pid);
  g_autofree char *contents = NULL;
  gsize len;

  if (!g_file_get_contents (path, &contents, &len, NULL) || len == 0)
    return NULL;
  /* NUL-separated arguments, the last one NUL-terminated; shown escaped. */
  for (gsize i = 0; i + 1 < len; i++)
    if (contents[i] == '\0')
      contents[i] = ' ';
  return zs_zmtp_escape ((const guint8 *) contents, strlen (contents));
}

void
zs_wire_proc_lookup (ZsWireProc          *self,
                     const ZsWireAddress *local,
                     const ZsWireAddress *remote,
                     ZsWireProcess       *out)
{
  gint64 inode = (gint64) find_inode (local, remote);
  gpointer pid;

  out->pid = 0;
  if (inode == 0)
    return;
  pid = g_hash_table_lookup (self->owners, &inode);
  if (pid == NULL)
    {
      scan_owners (self);
      pid = g_hash_table_lookup (self->owners, &inode);
    }
  if (pid == NULL)
    return;
  out->pid = GPOINTER_TO_UINT (pid);
  g_free (out->command);
  out->command = read_command (out->pid);
}
