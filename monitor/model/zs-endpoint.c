/* zs-endpoint.c: parsing and matching ZeroMQ endpoints
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-endpoint"

#include "config.h"

#include <arpa/inet.h>
#include <glib/gi18n.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <string.h>
#include <zmq.h>

#include "zs-endpoint.h"

/* sizeof (struct sockaddr_un.sun_path) - 1 on Linux */
#define IPC_PATH_MAX 107
#define HOST_NAME_MAX_LEN 253

G_DEFINE_QUARK (zs-endpoint-error-quark, zs_endpoint_error)

static const char *const transport_names[] = {
  [ZS_TRANSPORT_INPROC] = "inproc",
  [ZS_TRANSPORT_IPC] = "ipc",
  [ZS_TRANSPORT_TCP] = "tcp",
  [ZS_TRANSPORT_PGM] = "pgm",
  [ZS_TRANSPORT_EPGM] = "epgm",
};

const char *
zs_transport_to_string (ZsTransport transport)
{
  g_return_val_if_fail (transport <= ZS_TRANSPORT_EPGM, "?");
  return transport_names[transport];
}

static gboolean
syntax_error (GError     **error,
              const char  *text,
              const char  *problem,
              const char  *example)
{
  g_set_error (error, ZS_ENDPOINT_ERROR, ZS_ENDPOINT_ERROR_SYNTAX,
               _("“%s”: %s; for example “%s”"), text, problem, example);
  return FALSE;
}

/* Port: "*" or "0" (bind only: an ephemeral port) or 1..65535. */
static gboolean
parse_port (const char  *text,
            const char  *port,
            gboolean     for_bind,
            const char  *example,
            int         *out,
            GError     **error)
{
  guint64 value = 0;

  if (for_bind && (strcmp (port, "*") == 0 || strcmp (port, "0") == 0))
    {
      *out = 0;
      return TRUE;
    }
  if (*port == '\0')
    return syntax_error (error, text, _("the port is missing after “:”"), example);
  if (!g_ascii_string_to_unsigned (port, 10, 1, 65535, &value, NULL))
    return syntax_error (error, text,
                         for_bind ? _("the port must be a number from 1 to 65535, or “*” for any free port")
                                  : _("a connect needs a port number from 1 to 65535"),
                         example);
  *out = (int) value;
  return TRUE;
}

static gboolean
is_host_name (const char *host)
{
  gsize len = strlen (host);

  if (len == 0 || len > HOST_NAME_MAX_LEN)
    return FALSE;
  for (const char *p = host; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

/* Splits "host:port" or "[v6]:port"; host comes back without brackets. */
static gboolean
split_host_port (const char  *text,
                 const char  *address,
                 const char  *example,
                 char       **host,
                 const char **port,
                 GError     **error)
{
  const char *colon;

  if (address[0] == '[')
    {
      const char *close = strchr (address, ']');

      if (close == NULL)
        return syntax_error (error, text, _("the “[” of the IPv6 address is not closed"), example);
      if (close[1] != ':')
        return syntax_error (error, text, _("a “:port” must follow the IPv6 address"), example);
      *host = g_strndup (address + 1, close - address - 1);
      if (!g_hostname_is_ip_address (*host) || strchr (*host, ':') == NULL)
        {
          g_clear_pointer (host, g_free);
          return syntax_error (error, text, _("the text in brackets is not an IPv6 address"), example);
        }
      *port = close + 2;
      return TRUE;
    }

  colon = strrchr (address, ':');
  if (colon == NULL)
    return syntax_error (error, text, _("the port is missing: write “host:port”"), example);
  *host = g_strndup (address, colon - address);
  if (strchr (*host, ':') != NULL)
    {
      g_clear_pointer (host, g_free);
      return syntax_error (error, text, _("write an IPv6 address in brackets"), "tcp://[::1]:5555");
    }
  *port = colon + 1;
  return TRUE;
}

static gboolean
parse_tcp (const char  *text,
           const char  *address,
           gboolean     for_bind,
           ZsEndpoint  *out,
           GError     **error)
{
  const char *example = for_bind ? "tcp://*:5555" : "tcp://localhost:5555";
  g_autofree char *host = NULL;
  const char *port;

  if (!split_host_port (text, address, example, &host, &port, error))
    return FALSE;

  if (*host == '\0')
    return syntax_error (error, text,
                         for_bind ? _("the host is missing: use “*” for every interface")
                                  : _("the host is missing"),
                         example);
  if (strcmp (host, "*") == 0 && !for_bind)
    return syntax_error (error, text, _("a connect needs a concrete host, not “*”"), example);
  if (strcmp (host, "*") != 0 && !is_host_name (host) && !g_hostname_is_ip_address (host))
    return syntax_error (error, text, _("the host is not a valid name or IP address"), example);
  if (!parse_port (text, port, for_bind, example, &out->port, error))
    return FALSE;

  out->host = g_steal_pointer (&host);
  return TRUE;
}

/* pgm://iface;group:port and epgm://iface;group:port */
static gboolean
parse_pgm (const char  *text,
           const char  *address,
           ZsEndpoint  *out,
           GError     **error)
{
  const char *example = "epgm://eth0;239.192.1.1:5555";
  const char *semicolon = strchr (address, ';');
  const char *colon = strrchr (address, ':');
  g_autofree char *group = NULL;

  if (semicolon == NULL || semicolon == address)
    return syntax_error (error, text, _("write the interface, then “;”, then the multicast group and port"), example);
  if (colon == NULL || colon < semicolon)
    return syntax_error (error, text, _("the port is missing after the multicast group"), example);

  group = g_strndup (semicolon + 1, colon - semicolon - 1);
  if (!g_hostname_is_ip_address (group) || strchr (group, ':') != NULL)
    return syntax_error (error, text, _("the multicast group must be an IPv4 address"), example);
  if (!parse_port (text, colon + 1, FALSE, example, &out->port, error))
    return FALSE;

  out->host = g_strndup (address, colon - address);
  return TRUE;
}

static gboolean
parse_name (const char  *text,
            const char  *address,
            ZsTransport  transport,
            gboolean     for_bind,
            ZsEndpoint  *out,
            GError     **error)
{
  const char *example = transport == ZS_TRANSPORT_IPC ? "ipc:///tmp/feeds.ipc" : "inproc://workers";

  if (*address == '\0')
    return syntax_error (error, text,
                         transport == ZS_TRANSPORT_IPC ? _("the path is missing") : _("the name is missing"),
                         example);
  if (transport == ZS_TRANSPORT_IPC && strlen (address) > IPC_PATH_MAX)
    return syntax_error (error, text, _("the path is longer than 107 bytes"), example);
  if (strcmp (address, "*") == 0 && !(for_bind && transport == ZS_TRANSPORT_IPC))
    return syntax_error (error, text, _("“*” is not a name a peer could use"), example);

  out->host = g_strdup (address);
  out->port = -1;
  return TRUE;
}

static gboolean
parse_transport (const char  *text,
                 const char **address,
                 ZsTransport *transport,
                 GError     **error)
{
  const char *sep = strstr (text, "://");

  if (sep == NULL)
    return syntax_error (error, text, _("the transport is missing: write “transport://address”"),
                         "tcp://localhost:5555");
  for (guint i = 0; i < G_N_ELEMENTS (transport_names); i++)
    if (strlen (transport_names[i]) == (gsize) (sep - text) &&
        strncmp (text, transport_names[i], sep - text) == 0)
      {
        *transport = (ZsTransport) i;
        *address = sep + 3;
        return TRUE;
      }
  return syntax_error (error, text, _("unknown transport: use inproc, ipc, tcp, pgm or epgm"),
                       "tcp://localhost:5555");
}

/* "a space", "a tab", ...: what the user cannot see in an entry. */
static const char *
describe_space (char c)
{
  switch (c)
    {
    case ' ':  return _("a space");
    case '\t': return _("a tab");
    case '\n': return _("a line break");
    case '\r': return _("a carriage return");
    default:   return _("an invisible blank character");
    }
}

/* Whitespace around an endpoint is invisible in an entry, and libzmq
 * reads it as part of the transport or the port: name it. */
static gboolean
check_whitespace (const char  *text,
                  GError     **error)
{
  char last = text[strlen (text) - 1];
  g_autofree char *trimmed = NULL;
  g_autofree char *problem = NULL;

  if (g_ascii_isspace (text[0]))
    problem = g_strdup_printf (_("it starts with %s; remove it"), describe_space (text[0]));
  else if (g_ascii_isspace (last))
    problem = g_strdup_printf (_("it ends with %s; remove it"), describe_space (last));
  else
    return TRUE;
  trimmed = g_strstrip (g_strdup (text));
  return syntax_error (error, text, problem, trimmed);
}

/* Inside a tcp or pgm address a blank is never valid (ipc paths and
 * inproc names may hold one). */
static gboolean
check_inner_whitespace (const char  *text,
                        const char  *address,
                        GError     **error)
{
  for (const char *p = address; *p != '\0'; p++)
    if (g_ascii_isspace (*p))
      {
        g_autofree char *problem = g_strdup_printf (_("it contains %s; remove it"), describe_space (*p));
        g_autoptr(GString) example = g_string_new (NULL);

        for (const char *q = text; *q != '\0'; q++)
          if (!g_ascii_isspace (*q))
            g_string_append_c (example, *q);
        return syntax_error (error, text, problem, example->str);
      }
  return TRUE;
}

gboolean
zs_endpoint_parse (const char  *text,
                   gboolean     for_bind,
                   ZsEndpoint  *out,
                   GError     **error)
{
  ZsEndpoint parsed = { 0, NULL, -1 };
  const char *address;
  gboolean ok;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (text == NULL || *text == '\0')
    return syntax_error (error, "", _("the endpoint is empty"), "tcp://localhost:5555");
  if (!check_whitespace (text, error))
    return FALSE;
  if (!parse_transport (text, &address, &parsed.transport, error))
    return FALSE;
  if (parsed.transport != ZS_TRANSPORT_INPROC && parsed.transport != ZS_TRANSPORT_IPC &&
      !check_inner_whitespace (text, address, error))
    return FALSE;

  switch (parsed.transport)
    {
    case ZS_TRANSPORT_INPROC:
    case ZS_TRANSPORT_IPC:
      ok = parse_name (text, address, parsed.transport, for_bind, &parsed, error);
      break;
    case ZS_TRANSPORT_TCP:
      ok = parse_tcp (text, address, for_bind, &parsed, error);
      break;
    case ZS_TRANSPORT_PGM:
    case ZS_TRANSPORT_EPGM:
      ok = parse_pgm (text, address, &parsed, error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok && out != NULL)
    *out = parsed;
  else
    zs_endpoint_clear (&parsed);
  return ok;
}

void
zs_endpoint_clear (ZsEndpoint *endpoint)
{
  g_return_if_fail (endpoint != NULL);
  g_clear_pointer (&endpoint->host, g_free);
}

static gboolean
is_wildcard_host (const char *host)
{
  return strcmp (host, "*") == 0 || strcmp (host, "0.0.0.0") == 0 || strcmp (host, "::") == 0;
}

gboolean
zs_endpoint_binds_every_interface (const char *bind,
                                   int        *port)
{
  ZsEndpoint ep = { 0, NULL, -1 };
  gboolean result = FALSE;

  g_return_val_if_fail (bind != NULL, FALSE);

  if (zs_endpoint_parse (bind, TRUE, &ep, NULL) && ep.transport == ZS_TRANSPORT_TCP)
    result = is_wildcard_host (ep.host);
  if (result && port != NULL)
    *port = ep.port;
  zs_endpoint_clear (&ep);
  return result;
}

static const char *
canonical_host (const char *host)
{
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return "127.0.0.1";
  return host;
}

static gboolean
same_host (const char *a,
           const char *b)
{
  return g_ascii_strcasecmp (canonical_host (a), canonical_host (b)) == 0;
}

/* Same transport and address; for tcp, `wild_a`/`wild_b` say which side's
 * wildcard host matches every host. */
static atomic_ulong n_compared;

static gboolean
addresses_meet (const ZsEndpoint *a,
                const ZsEndpoint *b,
                gboolean          wild_a,
                gboolean          wild_b)
{
  atomic_fetch_add_explicit (&n_compared, 1, memory_order_relaxed);
  if (a->transport != b->transport)
    return FALSE;
  if (a->transport != ZS_TRANSPORT_TCP)
    return a->port == b->port && strcmp (a->host, b->host) == 0 && strcmp (a->host, "*") != 0;
  if (a->port == 0 || a->port != b->port)
    return FALSE;
  return (wild_a && is_wildcard_host (a->host)) ||
         (wild_b && is_wildcard_host (b->host)) ||
         same_host (a->host, b->host);
}

gboolean
zs_endpoint_matches (const char *bind,
                     const char *connect)
{
  ZsEndpoint b = { 0, NULL, -1 }, c = { 0, NULL, -1 };
  gboolean result = FALSE;

  if (zs_endpoint_parse (bind, TRUE, &b, NULL) && zs_endpoint_parse (connect, FALSE, &c, NULL))
    result = addresses_meet (&b, &c, TRUE, FALSE);
  zs_endpoint_clear (&b);
  zs_endpoint_clear (&c);
  return result;
}

gboolean
zs_endpoint_binds_overlap (const char *a,
                           const char *b)
{
  ZsEndpoint ea = { 0, NULL, -1 }, eb = { 0, NULL, -1 };
  gboolean result = FALSE;

  if (zs_endpoint_parse (a, TRUE, &ea, NULL) && zs_endpoint_parse (b, TRUE, &eb, NULL))
    result = addresses_meet (&ea, &eb, TRUE, TRUE);
  zs_endpoint_clear (&ea);
  zs_endpoint_clear (&eb);
  return result;
}

guint64
zs_endpoint_get_n_compared (void)
{
  return atomic_load (&n_compared);
}

/* ---- the index ---- */

typedef struct {
  ZsEndpoint endpoint;
  gpointer   data;
} Entry;

struct _ZsEndpointIndex {
  GHashTable *buckets;   /* address key -> GArray of Entry, in the order added */
};

/* Endpoints that can meet share a key: the transport, and the port for
 * tcp (whose hosts may be wildcards or aliases), the name otherwise. */
static char *
address_key (const ZsEndpoint *endpoint)
{
  if (endpoint->transport == ZS_TRANSPORT_TCP)
    return g_strdup_printf ("%d:%d", endpoint->transport, endpoint->port);
  return g_strdup_printf ("%d:%s", endpoint->transport, endpoint->host);
}

static void
bucket_free (GArray *bucket)
{
  for (guint i = 0; i < bucket->len; i++)
    zs_endpoint_clear (&g_array_index (bucket, Entry, i).endpoint);
  g_array_unref (bucket);
}

ZsEndpointIndex *
zs_endpoint_index_new (void)
{
  ZsEndpointIndex *index = g_new0 (ZsEndpointIndex, 1);

  index->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) bucket_free);
  return index;
}

void
zs_endpoint_index_free (ZsEndpointIndex *index)
{
  if (index == NULL)
    return;
  g_hash_table_unref (index->buckets);
  g_free (index);
}

void
zs_endpoint_index_add_bind (ZsEndpointIndex *index,
                            const char      *bind,
                            gpointer         data)
{
  Entry entry = { { 0, NULL, -1 }, data };
  GArray *bucket;
  char *key;

  g_return_if_fail (index != NULL);
  g_return_if_fail (bind != NULL);

  if (!zs_endpoint_parse (bind, TRUE, &entry.endpoint, NULL))
    return;
  key = address_key (&entry.endpoint);
  bucket = g_hash_table_lookup (index->buckets, key);
  if (bucket == NULL)
    {
      bucket = g_array_new (FALSE, FALSE, sizeof (Entry));
      g_hash_table_insert (index->buckets, g_steal_pointer (&key), bucket);
    }
  g_free (key);
  g_array_append_val (bucket, entry);
}

/* The bucket of binds that may meet `text`, parsed into `out`. */
static GArray *
index_bucket (ZsEndpointIndex *index,
              const char      *text,
              gboolean         for_bind,
              ZsEndpoint      *out)
{
  g_autofree char *key = NULL;

  if (!zs_endpoint_parse (text, for_bind, out, NULL))
    return NULL;
  key = address_key (out);
  return g_hash_table_lookup (index->buckets, key);
}

GPtrArray *
zs_endpoint_index_match (ZsEndpointIndex *index,
                         const char      *connect)
{
  ZsEndpoint c = { 0, NULL, -1 };
  GArray *bucket;
  GPtrArray *found = NULL;

  g_return_val_if_fail (index != NULL, NULL);
  g_return_val_if_fail (connect != NULL, NULL);

  bucket = index_bucket (index, connect, FALSE, &c);
  for (guint i = 0; bucket != NULL && i < bucket->len; i++)
    {
      Entry *entry = &g_array_index (bucket, Entry, i);

      if (addresses_meet (&entry->endpoint, &c, TRUE, FALSE))
        {
          if (found == NULL)
            found = g_ptr_array_new ();
          g_ptr_array_add (found, entry->data);
        }
    }
  zs_endpoint_clear (&c);
  return found;
}

gpointer
zs_endpoint_index_find_overlap (ZsEndpointIndex *index,
                                const char      *bind)
{
  ZsEndpoint b = { 0, NULL, -1 };
  GArray *bucket;
  gpointer found = NULL;

  g_return_val_if_fail (index != NULL, NULL);
  g_return_val_if_fail (bind != NULL, NULL);

  bucket = index_bucket (index, bind, TRUE, &b);
  for (guint i = 0; bucket != NULL && found == NULL && i < bucket->len; i++)
    if (addresses_meet (&g_array_index (bucket, Entry, i).endpoint, &b, TRUE, TRUE))
      found = g_array_index (bucket, Entry, i).data;
  zs_endpoint_clear (&b);
  return found;
}

/* ZS_UNAVAILABLE_TRANSPORTS="pgm,epgm" pretends a transport is missing (tests). */
static gboolean
disabled_by_environment (ZsTransport transport)
{
  const char *list = g_getenv ("ZS_UNAVAILABLE_TRANSPORTS");
  g_auto(GStrv) names = NULL;

  if (list == NULL)
    return FALSE;
  names = g_strsplit (list, ",", -1);
  return g_strv_contains ((const char * const *) names, zs_transport_to_string (transport));
}

gboolean
zs_transport_available (ZsTransport   transport,
                        const char  **why_not)
{
  const char *reason = NULL;

  g_return_val_if_fail (transport <= ZS_TRANSPORT_EPGM, FALSE);

  switch (transport)
    {
    case ZS_TRANSPORT_INPROC:
    case ZS_TRANSPORT_TCP:
      break;
    case ZS_TRANSPORT_IPC:
      if (!zmq_has ("ipc") || disabled_by_environment (transport))
        reason = _("this libzmq was built without IPC support");
      break;
    case ZS_TRANSPORT_PGM:
    case ZS_TRANSPORT_EPGM:
      if (!zmq_has ("pgm") || disabled_by_environment (transport))
        reason = _("this libzmq was built without OpenPGM");
      break;
    default:
      g_assert_not_reached ();
    }

  if (why_not != NULL)
    *why_not = reason;
  return reason == NULL;
}

/* ---- binds on this machine ------------------------------------------------ */

static gboolean
is_loopback_ipv4 (const char *host)
{
  struct in_addr addr;

  return inet_pton (AF_INET, host, &addr) == 1 && (ntohl (addr.s_addr) >> 24) == 127;
}

/* Whether `host` is one of this machine's interface names or addresses;
 * `names` gets the interface names, for the message. */
static gboolean
is_interface (const char  *host,
              GString     *names)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  struct ifaddrs *list = NULL;
  gboolean found = FALSE;

  if (getifaddrs (&list) != 0)
    return TRUE;  /* cannot tell: let the bind say */
  for (struct ifaddrs *ifa = list; ifa != NULL; ifa = ifa->ifa_next)
    {
      char address[INET6_ADDRSTRLEN] = "";

      if (ifa->ifa_name == NULL)
        continue;
      if (strcmp (ifa->ifa_name, host) == 0)
        found = TRUE;
      if (g_hash_table_add (seen, ifa->ifa_name))
        g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "", ifa->ifa_name);
      if (ifa->ifa_addr == NULL)
        continue;
      if (ifa->ifa_addr->sa_family == AF_INET)
        inet_ntop (AF_INET, &((struct sockaddr_in *) ifa->ifa_addr)->sin_addr, address, sizeof address);
      else if (ifa->ifa_addr->sa_family == AF_INET6)
        inet_ntop (AF_INET6, &((struct sockaddr_in6 *) ifa->ifa_addr)->sin6_addr, address, sizeof address);
      if (g_ascii_strcasecmp (address, host) == 0)
        found = TRUE;
    }
  freeifaddrs (list);
  return found;
}

gboolean
zs_endpoint_check_bind_host (const char  *bind,
                             GError     **error)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *port = NULL;
  ZsEndpoint ep = { 0, NULL, -1 };
  gboolean local;

  g_return_val_if_fail (bind != NULL, FALSE);

  if (!zs_endpoint_parse (bind, TRUE, &ep, NULL) || ep.transport != ZS_TRANSPORT_TCP)
    {
      zs_endpoint_clear (&ep);
      return TRUE;
    }
  local = is_wildcard_host (ep.host) || is_loopback_ipv4 (ep.host) || is_interface (ep.host, names);
  port = ep.port > 0 ? g_strdup_printf ("%d", ep.port) : g_strdup ("*");
  if (local)
    ;
  else if (g_hostname_is_ip_address (ep.host))
    g_set_error (error, ZS_ENDPOINT_ERROR, ZS_ENDPOINT_ERROR_UNAVAILABLE,
                 _("%s is not an address of this machine, so the bind would fail when the run starts; "
                   "bind one of its interfaces (%s), tcp://127.0.0.1:%s for this machine only, or tcp://*:%s"),
                 ep.host, names->str, port, port);
  else if (g_ascii_strcasecmp (ep.host, "localhost") == 0 || strchr (ep.host, '.') != NULL)
    g_set_error (error, ZS_ENDPOINT_ERROR, ZS_ENDPOINT_ERROR_UNAVAILABLE,
                 _("“%s” is a host name: libzmq binds an interface name or an address, not a host name; "
                   "use tcp://127.0.0.1:%s for this machine only, or tcp://*:%s"),
                 ep.host, port, port);
  else
    g_set_error (error, ZS_ENDPOINT_ERROR, ZS_ENDPOINT_ERROR_UNAVAILABLE,
                 _("“%s” is not a network interface of this machine (it has %s), so the bind would fail "
                   "with “No such device”; use one of those, an address of this machine, or “*”"),
                 ep.host, names->str);
  zs_endpoint_clear (&ep);
  return local;
}
