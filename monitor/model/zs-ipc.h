/* zs-ipc.h: what is at an ipc endpoint's path, before libzmq unlinks it
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libzmq 4.3.4 unlinks an ipc path before binding it, whatever is there,
 * and leaves the socket file behind when the socket closes. */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

typedef enum {
  ZS_IPC_ABSENT,       /* nothing there, or nothing we can see */
  ZS_IPC_STALE,        /* our own socket file that nobody listens on */
  ZS_IPC_LIVE,         /* a socket file a process listens on */
  ZS_IPC_NOT_SOCKET,   /* a regular file, a directory…: binding would delete it */
  ZS_IPC_OTHER_USER,   /* a leftover socket file owned by another user */
} ZsIpcState;

/* The file path of an ipc endpoint; NULL for other transports, abstract
 * names ("@name") and the wildcard ("*"). */
char       *zs_ipc_endpoint_path (const char  *endpoint);
/* Looks at the path and, with `try_connect`, connects to a socket file to
 * tell LIVE from the rest; `owner` (may be NULL) gets the file's owner. */
ZsIpcState  zs_ipc_probe         (const char  *path,
                                  gboolean     try_connect,
                                  uid_t       *owner);
/* FALSE, with a message that names the file or the address in use, when
 * binding `endpoint` would delete a file or take over a live socket. */
gboolean    zs_ipc_check_bind    (const char  *endpoint,
                                  GError     **error);

G_END_DECLS
