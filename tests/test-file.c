/* test-file.c: the JSON file format: round trips and hostile input
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "zs-topology-file.h"

static const char hello_world[] =
  "{ \"zmqscope\": 1, \"title\": \"Hello World\", \"description\": \"REQ to REP\",\n"
  "  \"nodes\": [ { \"name\": \"server\", \"role\": \"server\", \"x\": 120, \"y\": 80,\n"
  "               \"reply\": \"World\", \"work-ms\": 1000,\n"
  "               \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"binds\": [\"tcp://*:5555\"] } ] },\n"
  "             { \"name\": \"client\", \"role\": \"client\", \"x\": 0.25, \"y\": -80,\n"
  "               \"payload\": [\"Hello\"], \"count\": 10,\n"
  "               \"sockets\": [ { \"name\": \"req\", \"type\": \"REQ\", \"connects\": [\"tcp://localhost:5555\"] } ] } ] }";

/* A value of the pspec's type that is not its default. */
static void
non_default_value (GParamSpec *pspec,
                   guint       salt,
                   GValue     *value)
{
  GType type = G_PARAM_SPEC_VALUE_TYPE (pspec);

  g_value_init (value, type);
  if (type == G_TYPE_STRING)
    g_value_take_string (value, g_strdup_printf ("%s \"{seq}\" ünïcode %u", pspec->name, salt));
  else if (type == G_TYPE_STRV)
    {
      const char *strv[] = { "", "first", "{rand:1:100}", NULL };

      g_value_set_boxed (value, strv);
    }
  else if (type == G_TYPE_INT)
    g_value_set_int (value, G_PARAM_SPEC_INT (pspec)->default_value + 3 + (int) salt);
  else if (type == G_TYPE_UINT)
    g_value_set_uint (value, G_PARAM_SPEC_UINT (pspec)->default_value + 4000000000u + salt);
  else if (type == G_TYPE_DOUBLE)
    g_value_set_double (value, 0.1 + salt);
  else if (type == G_TYPE_BOOLEAN)
    g_value_set_boolean (value, !G_PARAM_SPEC_BOOLEAN (pspec)->default_value);
  else if (G_TYPE_IS_ENUM (type))
    g_value_set_enum (value, G_PARAM_SPEC_ENUM (pspec)->default_value + 1 + (int) (salt % 4));
  else
    g_assert_not_reached ();
  g_assert_false (g_param_value_defaults (pspec, value));
}

static void
set_every_property (GObject *object,
                    guint    salt)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (object), &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;

      non_default_value (pspecs[i], salt + i, &value);
      g_object_set_property (object, pspecs[i]->name, &value);
    }
}

static void
assert_same_properties (GObject *a,
                        GObject *b)
{
  g_autofree GParamSpec **pspecs = NULL;
  guint n;

  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (a), &n);
  for (guint i = 0; i < n; i++)
    {
      g_auto(GValue) va = G_VALUE_INIT;
      g_auto(GValue) vb = G_VALUE_INIT;

      g_value_init (&va, pspecs[i]->value_type);
      g_value_init (&vb, pspecs[i]->value_type);
      g_object_get_property (a, pspecs[i]->name, &va);
      g_object_get_property (b, pspecs[i]->name, &vb);
      if (pspecs[i]->value_type == G_TYPE_STRV)
        g_assert_cmpstrv (g_value_get_boxed (&va), g_value_get_boxed (&vb));
      else
        g_assert_cmpint (g_param_values_cmp (pspecs[i], &va, &vb), ==, 0);
    }
}

static ZsTopology *
load_ok (const char *data,
         gssize      length)
{
  g_autoptr(GError) error = NULL;
  ZsTopology *topology = zs_topology_load_from_data (data, length, &error);

  g_assert_no_error (error);
  g_assert_nonnull (topology);
  return topology;
}

static void
test_round_trip_every_property (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsTopology) loaded = NULL;
  g_autoptr(ZsTopology) reloaded = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  g_autofree char *saved_third = NULL;

  set_every_property (G_OBJECT (topology), 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(ZsNode) node = zs_node_new ("n", ZS_ROLE_SOCKET);

      set_every_property (G_OBJECT (node), i);
      for (guint j = 0; j < 2; j++)
        {
          g_autoptr(ZsSocketSpec) socket = zs_socket_spec_new ("s", ZS_SOCKET_PAIR);

          set_every_property (G_OBJECT (socket), i + j);
          zs_node_add_socket (node, socket);
        }
      zs_topology_add_node (topology, node);
    }
  /* one node with nothing but defaults, and no sockets */
  {
    g_autoptr(ZsNode) plain = zs_node_new ("plain", ZS_ROLE_RELAY);

    zs_topology_add_node (topology, plain);
  }

  saved = zs_topology_save_to_data (topology, NULL);
  g_test_message ("%s", saved);
  loaded = load_ok (saved, -1);
  saved_again = zs_topology_save_to_data (loaded, NULL);
  g_assert_cmpstr (saved, ==, saved_again);

  assert_same_properties (G_OBJECT (topology), G_OBJECT (loaded));
  g_assert_cmpuint (zs_topology_get_n_nodes (loaded), ==, 4);
  for (guint i = 0; i < zs_topology_get_n_nodes (topology); i++)
    {
      ZsNode *a = zs_topology_get_node (topology, i);
      ZsNode *b = zs_topology_get_node (loaded, i);

      assert_same_properties (G_OBJECT (a), G_OBJECT (b));
      g_assert_cmpuint (zs_node_get_n_sockets (a), ==, zs_node_get_n_sockets (b));
      for (guint j = 0; j < zs_node_get_n_sockets (a); j++)
        assert_same_properties (G_OBJECT (zs_node_get_socket (a, j)), G_OBJECT (zs_node_get_socket (b, j)));
    }

  /* and a third time, from the bytes */
  reloaded = load_ok (saved_again, strlen (saved_again));
  saved_third = zs_topology_save_to_data (reloaded, NULL);
  g_assert_cmpstr (saved, ==, saved_third);
}

static void
test_round_trip_hello_world (void)
{
  g_autoptr(ZsTopology) topology = load_ok (hello_world, -1);
  g_autoptr(ZsTopology) loaded = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  ZsNode *server, *client;
  ZsSocketSpec *rep;

  g_assert_cmpstr (zs_topology_get_title (topology), ==, "Hello World");
  server = zs_topology_find_node (topology, "server");
  client = zs_topology_find_node (topology, "client");
  g_assert_nonnull (server);
  g_assert_cmpint (zs_node_get_role (server), ==, ZS_ROLE_SERVER);
  g_assert_cmpfloat (zs_node_get_x (server), ==, 120);
  g_assert_cmpfloat (zs_node_get_x (client), ==, 0.25);
  g_assert_cmpstr (zs_node_get_reply (server), ==, "World");
  g_assert_cmpuint (zs_node_get_work_ms (server), ==, 1000);
  g_assert_true (zs_node_get_tracing (server));
  rep = zs_node_get_socket (server, 0);
  g_assert_cmpint (zs_socket_spec_get_socket_type (rep), ==, ZS_SOCKET_REP);
  g_assert_cmpstr (zs_socket_spec_get_binds (rep)[0], ==, "tcp://*:5555");
  g_assert_cmpint (zs_socket_spec_get_sndhwm (rep), ==, 1000);
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, 1);

  saved = zs_topology_save_to_data (topology, NULL);
  g_test_message ("%s", saved);
  /* integers stay integers, defaults are not written, 2-space indent */
  g_assert_nonnull (strstr (saved, "\n  \"zmqscope\" : 1,\n"));
  g_assert_nonnull (strstr (saved, "\"x\" : 120,"));
  g_assert_nonnull (strstr (saved, "\"x\" : 0.25,"));
  g_assert_null (strstr (saved, "tracing"));
  g_assert_null (strstr (saved, "sndhwm"));
  g_assert_null (strstr (saved, "\"connects\" : []"));

  loaded = load_ok (saved, -1);
  saved_again = zs_topology_save_to_data (loaded, NULL);
  g_assert_cmpstr (saved, ==, saved_again);
}

static void
test_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) topology = load_ok (hello_world, -1);
  g_autoptr(ZsTopology) loaded = NULL;
  g_autoptr(ZsTopology) broken = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zs-test-file-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "topology.json", NULL);
  g_assert_true (zs_topology_save_to_file (topology, path, &error));
  g_assert_no_error (error);
  loaded = zs_topology_load_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (zs_topology_get_n_nodes (loaded), ==, 2);

  /* a syntax error names the file, line and column */
  g_assert_true (g_file_set_contents (path, "{\n  \"zmqscope\": 1,\n  \"nodes\": [ 1,, 2 ]\n}\n", -1, &error));
  broken = zs_topology_load_from_file (path, &error);
  g_assert_null (broken);
  g_assert_error (error, ZS_TOPOLOGY_FILE_ERROR, ZS_TOPOLOGY_FILE_ERROR_SYNTAX);
  g_test_message ("%s", error->message);
  g_assert_true (g_regex_match_simple ("^topology\\.json:3:[0-9]+: ", error->message, 0, 0));
  g_clear_error (&error);

  missing = g_build_filename (dir, "missing.json", NULL);
  g_assert_null (zs_topology_load_from_file (missing, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);

  g_unlink (path);
  g_rmdir (dir);
}

typedef struct {
  const char *json;
  int         code;
  const char *message;   /* a pattern the message must match */
} BadInput;

static const BadInput bad_inputs[] = {
  /* syntax */
  { "{\n  \"zmqscope\": 1,\n  \"nodes\": [ 1,, 2 ]\n}", ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>:3:[0-9]+: " },
  { "{ \"zmqscope\": 1, ", ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>:1:[0-9]+: " },
  { "{ \"zmqscope\": 1, \"title\": \"unterminated }", ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>:1:[0-9]+: " },
  /* not a topology */
  { "", ZS_TOPOLOGY_FILE_ERROR_INVALID, "empty" },
  { "[]", ZS_TOPOLOGY_FILE_ERROR_INVALID, "top level must be a JSON object.*not an array" },
  { "\"zmqscope\"", ZS_TOPOLOGY_FILE_ERROR_INVALID, "top level must be a JSON object.*not a string" },
  { "null", ZS_TOPOLOGY_FILE_ERROR_INVALID, "top level" },
  { "{ \"nodes\": [] }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "“zmqscope” member .* missing" },
  { "{ \"zmqscope\": \"1\" }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^zmqscope: expected a number, found a string" },
  { "{ \"zmqscope\": 0 }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^zmqscope: 0 is out of range" },
  { "{ \"zmqscope\": 1.5 }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^zmqscope: expected a whole number" },
  /* newer */
  { "{ \"zmqscope\": 2, \"nodes\": [], \"future\": true }", ZS_TOPOLOGY_FILE_ERROR_VERSION, "newer zmqscope \\(format 2" },
  /* members */
  { "{ \"zmqscope\": 1, \"nodez\": [] }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodez: unknown member; expected one of zmqscope, nodes, title, description$" },
  { "{ \"zmqscope\": 1, \"title\": 3 }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^title: expected a string, found a number" },
  { "{ \"zmqscope\": 1, \"nodes\": {} }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes: expected an array, found an object" },
  { "{ \"zmqscope\": 1, \"nodes\": [ [] ] }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]: expected an object, found an array" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"role\": \"server\" } ] }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.name: .*required" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\" } ] }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.role: .*required" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"serf\" } ] }", ZS_TOPOLOGY_FILE_ERROR_INVALID,
    "^nodes\\[0\\]\\.role: unknown role “serf”; expected one of socket, publisher, subscriber" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"colour\": \"red\" } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.colour: unknown member; expected one of name, role, x, y, sockets, tracing, payload, count" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"x\": \"left\" } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.x: expected a number, found a string" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"x\": 1e999 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.x: the number is too large" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"count\": -1 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.count: -1 is out of range; use a number from 0 to 4294967295" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"count\": 4294967296 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.count: 4294967296 is out of range" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"count\": 99999999999999999999999999 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.count: " },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"count\": 2.5 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.count: expected a whole number" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"wait-peers\": -2 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.wait-peers: -2 is out of range" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"tracing\": 1 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.tracing: expected true or false, found a number" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"payload\": \"Hello\" } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.payload: expected an array of strings, found a string" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"payload\": [\"a\", 1] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.payload\\[1\\]: expected a string, found a number" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"sockets\": {} } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.sockets: expected an array, found an object" },
  { "{ \"zmqscope\": 1, \"nodes\": [ {}, { \"name\": \"a\", \"role\": \"server\" } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.name:" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\" }, { \"name\": \"b\", \"role\": \"server\", "
    "\"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\" }, { \"name\": \"x\", \"type\": \"PUBB\" } ] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID,
    "^nodes\\[1\\]\\.sockets\\[1\\]\\.type: unknown socket type “PUBB”; expected one of PAIR, PUB, SUB, REQ, REP, DEALER, ROUTER, PULL, PUSH, XPUB, XSUB$" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"sockets\": [ { \"name\": \"rep\" } ] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.sockets\\[0\\]\\.type: .*required" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"socket-type\": \"rep\" } ] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.sockets\\[0\\]\\.socket-type: unknown member; expected one of name, type, binds, connects" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"sndhwm\": 3000000000 } ] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.sockets\\[0\\]\\.sndhwm: 3000000000 is out of range" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"linger\": -5 } ] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.sockets\\[0\\]\\.linger: -5 is out of range; use a number from -1" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"binds\": [null] } ] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.sockets\\[0\\]\\.binds\\[0\\]: expected a string, found null" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"sockets\": [ { \"name\": 5, \"type\": \"REP\" } ] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.sockets\\[0\\]\\.name: expected a string, found a number" },
  /* json-glib reads more than JSON: comments and single-quoted strings are refused */
  { "{ \"zmqscope\": 1, /* a comment */ \"nodes\": [] }", ZS_TOPOLOGY_FILE_ERROR_SYNTAX,
    "^<data>:1:18: comments are not allowed" },
  { "{ \"zmqscope\": 1,\n  \"title\": 'hello' }", ZS_TOPOLOGY_FILE_ERROR_SYNTAX,
    "^<data>:2:12: write strings in double quotes" },
  /* json-glib stops after the top-level value and ignores (and leaks) the rest */
  { "{ \"zmqscope\": 1 }\n{", ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>:2:1: unexpected text after the end of the topology" },
  { "\"woer\"{ \"zmqscope\": 1 }", ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>:1:7: unexpected text after the end" },
  { "null null", ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>:1:6: unexpected text after the end" },
  /* a file that is not text at all: a picture, UTF-16, random bytes */
  { "\x89PNG\r\n\x1a\n", ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>: not a JSON text file \\(byte 0 is not UTF-8\\)$" },
  { "\xff\xfe{", ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>: not a JSON text file \\(byte 0 is not UTF-8\\)$" },
  { "{ \"zmqscope\": 1, \"title\": \"caf\xe9\" }", ZS_TOPOLOGY_FILE_ERROR_SYNTAX,
    "^<data>: not a JSON text file \\(byte 30 is not UTF-8\\)$" },
  /* numbers that json-glib would wrap or that would not be written back as read */
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"x\": 123456789012345678901234 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.x: 123456789012345678901234 is too large a number$" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"sockets\": [ { \"name\": \"rep\", "
    "\"type\": \"REP\", \"sndhwm\": -9223372036854775809 } ] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.sockets\\[0\\]\\.sndhwm: -9223372036854775809 is too large" },
  { "{ \"zmqscope\": 1, \"nodes\": [ 1, 2, { \"name\": \"a\", \"role\": \"server\", \"wait-peers\": 0x1ffffffffffffffff } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[2\\]\\.wait-peers: 0x1ffffffffffffffff is too large" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"x\": 5e21 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.x: the number is too large; use a number from -9007199254740992 to 9007199254740992" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"y\": 1e-306 } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.y: 1e-306 is too close to zero" },
  /* text that is not Unicode */
  { "{ \"zmqscope\": 1, \"title\": \"\\ud800x\" }", ZS_TOPOLOGY_FILE_ERROR_INVALID, "^title: the text is not valid Unicode" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"\\udc00x\", \"role\": \"server\" } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.name: the text is not valid Unicode" },
  /* names are printed in terminals: no control characters */
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\\nb\", \"role\": \"server\" } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.name: the name contains a control character \\(U\\+000A\\)" },
  { "{ \"zmqscope\": 1, \"nodes\": [ { \"name\": \"a\", \"role\": \"server\", \"sockets\": [ { \"name\": \"\\u001b[2J\", \"type\": \"REP\" } ] } ] }",
    ZS_TOPOLOGY_FILE_ERROR_INVALID, "^nodes\\[0\\]\\.sockets\\[0\\]\\.name: the name contains a control character \\(U\\+001B\\)" },
};

static void
assert_load_fails (const char *json,
                   gssize      length,
                   int         code,
                   const char *pattern)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) topology = zs_topology_load_from_data (json, length, &error);

  g_assert_null (topology);
  g_assert_error (error, ZS_TOPOLOGY_FILE_ERROR, code);
  g_test_message ("%s", error->message);
  if (!g_regex_match_simple (pattern, error->message, 0, 0))
    g_error ("“%s” does not match “%s”", error->message, pattern);
}

static void
test_bad_inputs (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    assert_load_fails (bad_inputs[i].json, -1, bad_inputs[i].code, bad_inputs[i].message);
}

static char *
repeat (char  c,
        gsize n)
{
  char *s = g_malloc (n + 1);

  memset (s, c, n);
  s[n] = '\0';
  return s;
}

static void
test_deep_nesting (void)
{
  g_autofree char *brackets = repeat ('[', 100000);
  g_autofree char *braces = repeat ('{', 100000);
  g_autofree char *in_string = NULL;
  g_autofree char *deep_value = NULL;
  g_autofree char *hidden = NULL;
  g_autoptr(ZsTopology) topology = NULL;

  assert_load_fails (brackets, -1, ZS_TOPOLOGY_FILE_ERROR_INVALID, "^<data>:1:65: nested deeper than 64 levels");
  assert_load_fails (braces, -1, ZS_TOPOLOGY_FILE_ERROR_INVALID, "nested deeper");

  deep_value = g_strdup_printf ("{ \"zmqscope\": 1,\n \"title\": %s }", brackets);
  assert_load_fails (deep_value, -1, ZS_TOPOLOGY_FILE_ERROR_INVALID, "^<data>:2:74: nested deeper");

  /* json-glib skips a comment from '/' to the next '/' and reads '...' as a
   * string: a guard that took their '"' for a string's start saw no brackets
   * after it, and json-glib overflowed its stack. */
  hidden = g_strdup_printf ("/* \" */ %s", brackets);
  assert_load_fails (hidden, -1, ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>:1:1: comments are not allowed");
  g_clear_pointer (&hidden, g_free);
  hidden = g_strdup_printf ("{ \"zmqscope\": 1, \"title\": '\"', \"nodes\": %s", brackets);
  assert_load_fails (hidden, -1, ZS_TOPOLOGY_FILE_ERROR_SYNTAX, "^<data>:1:27: write strings in double quotes");

  /* brackets inside a string are text, escaped quotes included */
  in_string = g_strdup_printf ("{ \"zmqscope\": 1, \"title\": \"\\\"%s\" }", brackets);
  topology = load_ok (in_string, -1);
  g_assert_cmpuint (strlen (zs_topology_get_title (topology)), ==, 100001);
}

/* Whatever the loader accepts is written back so that it reads the same. */
static void
test_round_trip_exact (void)
{
  const char *values[] = {
    "\"x\": 0.0001, \"y\": -0.0",
    "\"x\": 9007199254740992, \"y\": -9007199254740992",
    "\"x\": 4503599627370495.5, \"y\": 0.1",
    "\"x\": 1e15, \"y\": 1.5E-4",
    "\"count\": 0x10, \"wait-peers\": -1, \"start-delay-ms\": 4294967295",
    "\"payload\": [\"\\u001b[2J \\t \\ud83d\\ude00 \\\\ \\\"\", \"\\u0000cut\"]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *json = g_strdup_printf ("{ \"zmqscope\": 1, \"title\": \"\\u00e9\\u0007\", \"nodes\": "
                                               "[ { \"name\": \"n\", \"role\": \"socket\", %s } ] }", values[i]);
      g_autoptr(ZsTopology) first = load_ok (json, -1);
      g_autofree char *saved = zs_topology_save_to_data (first, NULL);
      g_autoptr(ZsTopology) second = load_ok (saved, -1);
      g_autofree char *saved_again = zs_topology_save_to_data (second, NULL);

      g_test_message ("%s", saved);
      g_assert_cmpstr (saved, ==, saved_again);
      assert_same_properties (G_OBJECT (zs_topology_get_node (first, 0)), G_OBJECT (zs_topology_get_node (second, 0)));
    }
}

static void
test_length_and_size (void)
{
  g_autoptr(ZsTopology) topology = NULL;
  g_autofree char *huge = NULL;
  gsize huge_length = 17 * 1024 * 1024;

  /* only `length` bytes are read */
  topology = load_ok ("{ \"zmqscope\": 1 }garbage", strlen ("{ \"zmqscope\": 1 }"));
  g_assert_cmpuint (zs_topology_get_n_nodes (topology), ==, 0);

  huge = repeat (' ', huge_length);
  assert_load_fails (huge, huge_length, ZS_TOPOLOGY_FILE_ERROR_INVALID, "larger than 16 MiB");
}

static void
test_defaults_not_written (void)
{
  g_autoptr(ZsTopology) topology = zs_topology_new ();
  g_autoptr(ZsNode) node = zs_node_new ("n", ZS_ROLE_SOCKET);
  g_autoptr(ZsSocketSpec) socket = zs_socket_spec_new ("s", ZS_SOCKET_DEALER);
  g_autofree char *saved = NULL;
  const char *expected =
    "{\n"
    "  \"zmqscope\" : 1,\n"
    "  \"nodes\" : [\n"
    "    {\n"
    "      \"name\" : \"n\",\n"
    "      \"role\" : \"socket\",\n"
    "      \"x\" : 0,\n"
    "      \"y\" : 0,\n"
    "      \"sockets\" : [\n"
    "        {\n"
    "          \"name\" : \"s\",\n"
    "          \"type\" : \"DEALER\"\n"
    "        }\n"
    "      ]\n"
    "    }\n"
    "  ]\n"
    "}\n";

  zs_node_add_socket (node, socket);
  zs_topology_add_node (topology, node);
  saved = zs_topology_save_to_data (topology, NULL);
  g_assert_cmpstr (saved, ==, expected);
}

/* An external program round-trips: its kind, command line and sockets. */
static void
test_round_trip_external (void)
{
  static const char data[] =
    "{ \"zmqscope\": 1, \"nodes\": [\n"
    "  { \"name\": \"legacy\", \"role\": \"external\", \"x\": 40, \"y\": 0,\n"
    "    \"command\": \"python3 hwserver.py --port 6040\",\n"
    "    \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"binds\": [\"tcp://127.0.0.1:6040\"] } ] },\n"
    "  { \"name\": \"client\", \"role\": \"client\", \"payload\": [\"Hello\"], \"count\": 1,\n"
    "    \"sockets\": [ { \"name\": \"req\", \"type\": \"REQ\", \"connects\": [\"tcp://localhost:6040\"] } ] } ] }";
  g_autoptr(ZsTopology) topology = load_ok (data, -1);
  g_autoptr(ZsTopology) loaded = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  ZsNode *legacy;

  legacy = zs_topology_find_node (topology, "legacy");
  g_assert_nonnull (legacy);
  g_assert_cmpint (zs_node_get_role (legacy), ==, ZS_ROLE_EXTERNAL);
  g_assert_true (zs_node_is_external (legacy));
  g_assert_cmpstr (zs_node_get_command (legacy), ==, "python3 hwserver.py --port 6040");
  g_assert_cmpuint (zs_topology_get_links (topology)->len, ==, 1);

  saved = zs_topology_save_to_data (topology, NULL);
  g_test_message ("%s", saved);
  g_assert_nonnull (strstr (saved, "\"role\" : \"external\""));
  g_assert_nonnull (strstr (saved, "\"command\" : \"python3 hwserver.py --port 6040\""));
  loaded = load_ok (saved, -1);
  saved_again = zs_topology_save_to_data (loaded, NULL);
  g_assert_cmpstr (saved, ==, saved_again);
  legacy = zs_topology_find_node (loaded, "legacy");
  g_assert_cmpint (zs_node_get_role (legacy), ==, ZS_ROLE_EXTERNAL);
  g_assert_cmpstr (zs_node_get_command (legacy), ==, "python3 hwserver.py --port 6040");
  g_assert_cmpuint (zs_node_get_n_sockets (legacy), ==, 1);
  g_assert_cmpuint (zs_topology_get_links (loaded)->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/zmqscope/file/round-trip", test_round_trip_every_property);
  g_test_add_func ("/zmqscope/file/hello-world", test_round_trip_hello_world);
  g_test_add_func ("/zmqscope/file/files", test_files);
  g_test_add_func ("/zmqscope/file/defaults-not-written", test_defaults_not_written);
  g_test_add_func ("/zmqscope/file/bad-inputs", test_bad_inputs);
  g_test_add_func ("/zmqscope/file/deep-nesting", test_deep_nesting);
  g_test_add_func ("/zmqscope/file/length-and-size", test_length_and_size);
  g_test_add_func ("/zmqscope/file/round-trip-exact", test_round_trip_exact);
  g_test_add_func ("/zmqscope/file/round-trip-external", test_round_trip_external);

  return g_test_run ();
}
