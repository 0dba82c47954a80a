/* zs-ipc.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-ipc"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <pwd.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "zs-ipc.h"

char *
zs_ipc_endpoint_path (const char *endpoint)
{
  const char *path;

  g_return_val_if_fail (endpoint != NULL, NULL);

  if (!g_str_has_prefix (endpoint, "ipc://"))
    return NULL;
  path = endpoint + strlen ("ipc://");
  if (*path == '\0' || *path == '@' || g_str_equal (path, "*"))
    return NULL;
  return g_strdup (path);
}

/* TRUE when a process accepts connections on the socket file. */
static gboolean
someone_listens (const char *path)
{
  struct sockaddr_un address = { .sun_family = AF_UNIX };
  gboolean listening;
  int fd;

  if (strlen (path) >= sizeof address.sun_path)
    return FALSE;
  strcpy (address.sun_path, path);
  fd = socket (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return FALSE;
  listening = connect (fd, (struct sockaddr *) &address, sizeof address) == 0
              || errno == EAGAIN;   /* listening, its backlog full */
  close (fd);
  return listening;
}

ZsIpcState
zs_ipc_probe (const char *path,
              gboolean    try_connect,
              uid_t      *owner)
{
  struct stat st;

  g_return_val_if_fail (path != NULL, ZS_IPC_ABSENT);

  if (lstat (path, &st) != 0)
    return ZS_IPC_ABSENT;
  if (owner != NULL)
    *owner = st.st_uid;
  if (!S_ISSOCK (st.st_mode))
    return ZS_IPC_NOT_SOCKET;
  if (try_connect && someone_listens (path))
    return ZS_IPC_LIVE;
  return st.st_uid == geteuid () ? ZS_IPC_STALE : ZS_IPC_OTHER_USER;
}

static char *
user_name (uid_t uid)
{
  struct passwd *pw = getpwuid (uid);

  return pw != NULL ? g_strdup_printf ("%s (uid %u)", pw->pw_name, (guint) uid)
                    : g_strdup_printf ("uid %u", (guint) uid);
}

gboolean
zs_ipc_check_bind (const char  *endpoint,
                   GError     **error)
{
  g_autofree char *path = zs_ipc_endpoint_path (endpoint);
  g_autofree char *user = NULL;
  uid_t owner = 0;

  if (path == NULL)
    return TRUE;
  switch (zs_ipc_probe (path, TRUE, &owner))
    {
    case ZS_IPC_NOT_SOCKET:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("will not bind %s: %s exists and is not a socket file, and binding would delete it; "
                     "choose a path where nothing exists"), endpoint, path);
      return FALSE;
    case ZS_IPC_LIVE:
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE,
                   _("cannot bind %s: the address is already in use (a running program listens on %s); "
                     "choose another path or stop that program"), endpoint, path);
      return FALSE;
    case ZS_IPC_OTHER_USER:
      user = user_name (owner);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                   _("will not bind %s: %s is a socket file left by another user, %s, and nobody listens on "
                     "it; ask them (or an administrator) to remove it, or choose another path"),
                   endpoint, path, user);
      return FALSE;
    case ZS_IPC_ABSENT:
    case ZS_IPC_STALE:
    default:
      return TRUE;
    }
}
