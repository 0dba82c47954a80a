/* test-endpoint.c: parsing and matching endpoints
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <zmq.h>

#include "zs-endpoint.h"

static void
assert_parses (const char  *text,
               gboolean     for_bind,
               ZsTransport  transport,
               const char  *host,
               int          port)
{
  g_autoptr(GError) error = NULL;
  ZsEndpoint endpoint = { 0, NULL, -1 };

  g_test_message ("parsing %s (%s)", text, for_bind ? "bind" : "connect");
  g_assert_true (zs_endpoint_parse (text, for_bind, &endpoint, &error));
  g_assert_no_error (error);
  g_assert_cmpint (endpoint.transport, ==, transport);
  g_assert_cmpstr (endpoint.host, ==, host);
  g_assert_cmpint (endpoint.port, ==, port);
  zs_endpoint_clear (&endpoint);
}

/* The message quotes the endpoint, says what is wrong and gives an example. */
static void
assert_rejects (const char *text,
                gboolean    for_bind,
                const char *says)
{
  g_autoptr(GError) error = NULL;
  ZsEndpoint endpoint = { 0, NULL, -1 };

  g_assert_false (zs_endpoint_parse (text, for_bind, &endpoint, &error));
  g_assert_error (error, ZS_ENDPOINT_ERROR, ZS_ENDPOINT_ERROR_SYNTAX);
  g_test_message ("%s -> %s", text, error->message);
  g_assert_null (endpoint.host);
  g_assert_nonnull (strstr (error->message, text));
  g_assert_nonnull (strstr (error->message, says));
  g_assert_nonnull (strstr (error->message, "for example"));
}

static void
test_parse_valid (void)
{
  assert_parses ("inproc://workers", FALSE, ZS_TRANSPORT_INPROC, "workers", -1);
  assert_parses ("ipc:///tmp/feeds.ipc", TRUE, ZS_TRANSPORT_IPC, "/tmp/feeds.ipc", -1);
  assert_parses ("ipc://*", TRUE, ZS_TRANSPORT_IPC, "*", -1);
  assert_parses ("tcp://*:5555", TRUE, ZS_TRANSPORT_TCP, "*", 5555);
  assert_parses ("tcp://*:*", TRUE, ZS_TRANSPORT_TCP, "*", 0);
  assert_parses ("tcp://127.0.0.1:1", FALSE, ZS_TRANSPORT_TCP, "127.0.0.1", 1);
  assert_parses ("tcp://localhost:65535", FALSE, ZS_TRANSPORT_TCP, "localhost", 65535);
  assert_parses ("tcp://weather-server.example.com:5556", FALSE, ZS_TRANSPORT_TCP,
                 "weather-server.example.com", 5556);
  assert_parses ("tcp://[::1]:5555", FALSE, ZS_TRANSPORT_TCP, "::1", 5555);
  assert_parses ("tcp://eth0:5555", TRUE, ZS_TRANSPORT_TCP, "eth0", 5555);
  assert_parses ("pgm://eth0;239.192.1.1:5555", FALSE, ZS_TRANSPORT_PGM, "eth0;239.192.1.1", 5555);
  assert_parses ("epgm://192.168.1.1;239.192.1.1:5555", TRUE, ZS_TRANSPORT_EPGM,
                 "192.168.1.1;239.192.1.1", 5555);
  g_assert_true (zs_endpoint_parse ("tcp://*:5555", TRUE, NULL, NULL));
}

static void
test_parse_invalid (void)
{
  assert_rejects ("", FALSE, "empty");
  assert_rejects ("localhost:5555", FALSE, "transport");
  assert_rejects ("udp://localhost:5555", FALSE, "unknown transport");
  assert_rejects ("tcp://localhost:5555 ", FALSE, "it ends with a space; remove it; for example “tcp://localhost:5555”");
  assert_rejects (" tcp://localhost:5555", FALSE, "it starts with a space; remove it");
  assert_rejects ("tcp://*:5555\n", TRUE, "it ends with a line break");
  assert_rejects ("tcp://local\thost:5555", FALSE, "it contains a tab; remove it; for example “tcp://localhost:5555”");
  assert_rejects ("inproc://", FALSE, "name is missing");
  assert_rejects ("ipc://", TRUE, "path is missing");
  assert_rejects ("ipc://*", FALSE, "“*”");
  assert_rejects ("tcp://*:5555", FALSE, "concrete host");
  assert_rejects ("tcp://localhost:*", FALSE, "port number");
  assert_rejects ("tcp://localhost:0", FALSE, "port number");
  assert_rejects ("tcp://localhost:65536", FALSE, "port number");
  assert_rejects ("tcp://localhost:65536", TRUE, "1 to 65535");
  assert_rejects ("tcp://localhost:55x", FALSE, "port number");
  assert_rejects ("tcp://localhost", FALSE, "port is missing");
  assert_rejects ("tcp://localhost:", FALSE, "port is missing");
  assert_rejects ("tcp://:5555", TRUE, "host is missing");
  assert_rejects ("tcp://::1:5555", FALSE, "brackets");
  assert_rejects ("tcp://[::1:5555", FALSE, "not closed");
  assert_rejects ("tcp://[::1]5555", FALSE, "“:port”");
  assert_rejects ("tcp://[nonsense]:5555", FALSE, "IPv6");
  assert_rejects ("tcp://bad host:5555", FALSE, "host");
  assert_rejects ("pgm://239.192.1.1:5555", FALSE, "interface");
  assert_rejects ("epgm://eth0;239.192.1.1", FALSE, "port");
  assert_rejects ("epgm://eth0;group:5555", FALSE, "multicast group");
}

static void
test_matches (void)
{
  /* bind, connect */
  g_assert_true (zs_endpoint_matches ("tcp://*:5555", "tcp://localhost:5555"));
  g_assert_true (zs_endpoint_matches ("tcp://*:5555", "tcp://192.168.1.7:5555"));
  g_assert_true (zs_endpoint_matches ("tcp://0.0.0.0:5555", "tcp://127.0.0.1:5555"));
  g_assert_true (zs_endpoint_matches ("tcp://127.0.0.1:5555", "tcp://localhost:5555"));
  g_assert_true (zs_endpoint_matches ("tcp://localhost:5555", "tcp://127.0.0.1:5555"));
  g_assert_true (zs_endpoint_matches ("tcp://[::1]:5555", "tcp://[::1]:5555"));
  g_assert_true (zs_endpoint_matches ("inproc://workers", "inproc://workers"));
  g_assert_true (zs_endpoint_matches ("ipc:///tmp/a", "ipc:///tmp/a"));

  g_assert_false (zs_endpoint_matches ("tcp://*:5555", "tcp://localhost:5556"));
  g_assert_false (zs_endpoint_matches ("tcp://127.0.0.1:5555", "tcp://10.0.0.1:5555"));
  g_assert_false (zs_endpoint_matches ("tcp://*:*", "tcp://localhost:5555"));
  g_assert_false (zs_endpoint_matches ("inproc://workers", "inproc://Workers"));
  g_assert_false (zs_endpoint_matches ("inproc://a", "ipc://a"));
  g_assert_false (zs_endpoint_matches ("ipc://*", "ipc:///tmp/a"));
  /* the connect side never has a wildcard */
  g_assert_false (zs_endpoint_matches ("tcp://localhost:5555", "tcp://*:5555"));
  g_assert_false (zs_endpoint_matches ("garbage", "tcp://localhost:5555"));
  g_assert_false (zs_endpoint_matches (NULL, NULL));
}

static void
test_binds_overlap (void)
{
  g_assert_true (zs_endpoint_binds_overlap ("tcp://*:5555", "tcp://127.0.0.1:5555"));
  g_assert_true (zs_endpoint_binds_overlap ("tcp://127.0.0.1:5555", "tcp://*:5555"));
  g_assert_true (zs_endpoint_binds_overlap ("tcp://localhost:5555", "tcp://127.0.0.1:5555"));
  g_assert_true (zs_endpoint_binds_overlap ("inproc://a", "inproc://a"));
  g_assert_false (zs_endpoint_binds_overlap ("tcp://*:5555", "tcp://*:5556"));
  g_assert_false (zs_endpoint_binds_overlap ("tcp://*:*", "tcp://*:*"));
  g_assert_false (zs_endpoint_binds_overlap ("ipc://*", "ipc://*"));
  g_assert_false (zs_endpoint_binds_overlap ("tcp://10.0.0.1:5555", "tcp://10.0.0.2:5555"));
}

static void
test_transports (void)
{
  const char *why_not = "unset";

  g_assert_true (zs_transport_available (ZS_TRANSPORT_INPROC, &why_not));
  g_assert_null (why_not);
  g_assert_true (zs_transport_available (ZS_TRANSPORT_TCP, NULL));
  g_assert_cmpint (zs_transport_available (ZS_TRANSPORT_IPC, NULL), ==, zmq_has ("ipc") != 0);
  g_assert_cmpint (zs_transport_available (ZS_TRANSPORT_PGM, &why_not), ==, zmq_has ("pgm") != 0);
  g_assert_cmpint (zs_transport_available (ZS_TRANSPORT_EPGM, NULL), ==, zmq_has ("pgm") != 0);

  g_setenv ("ZS_UNAVAILABLE_TRANSPORTS", "pgm,epgm", TRUE);
  g_assert_false (zs_transport_available (ZS_TRANSPORT_EPGM, &why_not));
  g_assert_cmpstr (why_not, ==, "this libzmq was built without OpenPGM");
  g_assert_true (zs_transport_available (ZS_TRANSPORT_TCP, NULL));
  g_unsetenv ("ZS_UNAVAILABLE_TRANSPORTS");

  g_assert_cmpstr (zs_transport_to_string (ZS_TRANSPORT_EPGM), ==, "epgm");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/endpoint/parse-valid", test_parse_valid);
  g_test_add_func ("/zmqscope/endpoint/parse-invalid", test_parse_invalid);
  g_test_add_func ("/zmqscope/endpoint/matches", test_matches);
  g_test_add_func ("/zmqscope/endpoint/binds-overlap", test_binds_overlap);
  g_test_add_func ("/zmqscope/endpoint/transports", test_transports);

  return g_test_run ();
}
