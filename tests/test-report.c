/* test-report.c: what `zmqscope run` prints, with hostile text in the file
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "test-report"

#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "zs-report.h"
#include "zs-test-util.h"

/* REQ -> REP over inproc (no port): the reply sets the terminal's title,
 * rings its bell and clears its screen, if printed raw. */
static const char hostile_reply[] =
  "{ \"zmqscope\": 1, \"title\": \"t\\u001b[31m\", \"nodes\": ["
  "  { \"name\": \"server\", \"role\": \"server\", \"reply\": \"\\u001b]0;owned\\u0007\\u001b[2J\\u009b\","
  "    \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"binds\": [\"inproc://hello\"] } ] },"
  "  { \"name\": \"client\", \"role\": \"client\", \"payload\": [\"Hello\"], \"count\": 2,"
  "    \"sockets\": [ { \"name\": \"req\", \"type\": \"REQ\", \"connects\": [\"inproc://hello\"] } ] }"
  "] }";

/* Nothing below U+0020 but the table's own newlines, no DEL, no C1. */
static void
assert_no_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && g_unichar_iscntrl (c))
        g_error ("U+%04X printed raw in:\n%s", c, text);
    }
}

static void
test_cli_escapes_file_text (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zs-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "hostile.json", NULL);
  g_autofree char *exe = g_build_filename (g_getenv ("ZS_BUILD_DIR"), "app", "zmqscope", NULL);
  const char *argv[] = { exe, "run", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_true (g_file_set_contents (path, hostile_reply, -1, &error));
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  assert_no_control_characters (out);
  assert_no_control_characters (err);
  g_assert_nonnull (strstr (out, "last: \\x1b]0;owned\\x07\\x1b[2J\\u009b"));
  g_assert_true (g_str_has_prefix (out, "t\\x1b[31m — ran"));

  g_unlink (path);
  g_rmdir (dir);
}

/* Names a file cannot bring (the loader refuses them) but code can. */
static void
test_table_escapes_names (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ZsTopology) topology = zs_topology_load_from_data (hostile_reply, -1, &error);
  g_autoptr(ZsSnapshot) snapshot = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  gboolean finished = FALSE;

  g_assert_no_error (error);
  snapshot = zs_test_run (topology, 10000, &finished);
  g_assert_true (finished);
  zs_node_set_name (zs_topology_find_node (topology, "client"), "cli\nent\033[2J");
  zs_socket_spec_set_name (zs_node_get_socket (zs_topology_find_node (topology, "server"), 0), "r\tep");
  text = zs_report_to_text (topology, snapshot);
  g_test_message ("%s", text);
  assert_no_control_characters (text);
  g_assert_nonnull (strstr (text, "cli\\nent\\x1b[2J"));
  g_assert_nonnull (strstr (text, "server.r\\tep"));
  /* Title, blank, header, two nodes, blank, header, one link. */
  lines = g_strsplit (g_strchomp (text), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);
}

/* A JSON member's unsigned figure (absent: a failed test). */
static guint64
figure (JsonObject *object,
        const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  return (guint64) json_object_get_int_member (object, name);
}

/* `zmqscope run --json` reports each direction of a link apart: the
 * hello-world link's ten requests one way, ten replies the other, each
 * with its sender and receiver. */
static void
test_json_per_direction (void)
{
  g_autofree char *dir = g_dir_make_tmp ("zs-report-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "hello.json", NULL);
  g_autofree char *exe = g_build_filename (g_getenv ("ZS_BUILD_DIR"), "app", "zmqscope", NULL);
  g_autoptr(ZsTopology) topology = zs_test_load_example ("1-hello-world.json");
  const char *argv[] = { exe, "run", path, "--json", NULL };
  const char *from[] = { "client", "server" };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *link;
  JsonArray *flows;
  int status = -1;

  g_object_set (zs_topology_find_node (topology, "server"), "work-ms", 10, NULL);
  g_assert_true (zs_topology_save_to_file (topology, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error));
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  g_assert_no_error (error);

  link = json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                      "links"), 0);
  flows = json_object_get_array_member (link, "flows");
  g_assert_nonnull (flows);
  g_assert_cmpuint (json_array_get_length (flows), ==, 2);
  for (guint d = 0; d < 2; d++)
    {
      JsonObject *flow = json_array_get_object_element (flows, d);

      g_assert_cmpstr (json_object_get_string_member (flow, "direction"), ==,
                       d == 0 ? "connect-to-bind" : "bind-to-connect");
      g_assert_cmpstr (json_object_get_string_member (flow, "from"), ==, from[d]);
      g_assert_cmpstr (json_object_get_string_member (flow, "to"), ==, from[1 - d]);
      g_assert_cmpuint (figure (flow, "sent"), ==, 10);
      g_assert_cmpuint (figure (flow, "received"), ==, 10);
      g_assert_cmpuint (figure (flow, "sent_bytes"), ==, 50);
      g_assert_cmpuint (figure (flow, "received_bytes"), ==, 50);
      g_assert_cmpuint (figure (flow, "dropped") + figure (flow, "unread") + figure (flow, "in_flight"), ==, 0);
    }
  g_assert_cmpuint (figure (link, "sent"), ==, 20);

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/report/cli-escapes-file-text", test_cli_escapes_file_text);
  g_test_add_func ("/zmqscope/report/table-escapes-names", test_table_escapes_names);
  g_test_add_func ("/zmqscope/report/json-per-direction", test_json_per_direction);
  return g_test_run ();
}
