/* test-compare.c: `zmqscope compare` as a user meets it: the real binary
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "zs-test-util.h"

typedef struct {
  char *dir;
  char *file;
  char *out;
  char *err;
  int   status;
} Compare;

/* The example, its tcp ports moved to free ones, in a file of its own. */
static void
compare_init (Compare    *c,
              const char *example)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example (example);
  g_autoptr(GError) error = NULL;

  memset (c, 0, sizeof *c);
  c->dir = g_dir_make_tmp ("zs-compare-XXXXXX", NULL);
  c->file = g_build_filename (c->dir, example, NULL);
  g_assert_true (zs_topology_save_to_file (topology, c->file, &error));
  g_assert_no_error (error);
}

static void
compare_clear (Compare *c)
{
  g_remove (c->file);
  g_rmdir (c->dir);
  g_free (c->dir);
  g_free (c->file);
  g_free (c->out);
  g_free (c->err);
}

static void
compare_run (Compare    *c,
             const char *first_option,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *build = g_getenv ("ZS_BUILD_DIR");
  va_list args;

  g_ptr_array_add (argv, g_build_filename (build ? build : ".", "app", "zmqscope", NULL));
  g_ptr_array_add (argv, g_strdup ("compare"));
  g_ptr_array_add (argv, g_strdup (c->file));
  va_start (args, first_option);
  for (const char *o = first_option; o != NULL; o = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (o));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &c->out, &c->err, &error));
  g_assert_no_error (error);
  c->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout:\n%s\nstderr:\n%s", c->status, c->out, c->err);
}

static JsonArray *
parse_variants (Compare    *c,
                JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, c->out, -1, &error));
  g_assert_no_error (error);
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "variants");
}

static void
assert_link_balanced (JsonObject *link)
{
  g_assert_cmpint (json_object_get_int_member (link, "sent"), ==,
                   json_object_get_int_member (link, "received") + json_object_get_int_member (link, "dropped") +
                   json_object_get_int_member (link, "unread") + json_object_get_int_member (link, "in_flight"));
}

/* The pipeline over inproc and over tcp: one row each, every figure, the
 * work all done in both, every link's books balanced. */
static void
test_pipeline_transports (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *names[] = { "transport=inproc", "transport=tcp" };
  JsonArray *variants;
  Compare c;

  compare_init (&c, "3-parallel-pipeline.json");
  compare_run (&c, "--vary", "transport=inproc,tcp", "--seconds", "30", "--json", NULL);
  g_assert_cmpint (c.status, ==, 0);
  variants = parse_variants (&c, parser);
  g_assert_cmpuint (json_array_get_length (variants), ==, 2);
  for (guint v = 0; v < 2; v++)
    {
      JsonObject *variant = json_array_get_object_element (variants, v);
      JsonObject *report = json_object_get_object_member (variant, "report");
      JsonArray *links = json_object_get_array_member (report, "links");
      JsonArray *rates = json_object_get_array_member (variant, "link_rates");
      JsonObject *latency;

      g_assert_cmpstr (json_object_get_string_member (variant, "name"), ==, names[v]);
      g_assert_true (json_object_get_boolean_member (variant, "ran"));
      g_assert_true (json_object_get_boolean_member (report, "finished"));
      g_assert_cmpfloat (json_object_get_double_member (variant, "seconds"), >, 0);
      g_assert_cmpfloat (json_object_get_double_member (variant, "rate"), >, 0);
      g_assert_cmpint (json_object_get_int_member (variant, "dropped"), ==, 0);
      g_assert_cmpint (json_object_get_int_member (variant, "peak_rss_bytes"), >, 1024 * 1024);
      /* The first task reaches a worker within the run; the delivery
       * times are ordered and within the run. */
      g_assert_cmpfloat (json_object_get_double_member (variant, "first_message_ms"), >=, 0);
      g_assert_cmpfloat (json_object_get_double_member (variant, "first_message_ms"), <,
                         json_object_get_double_member (variant, "seconds") * 1000);
      latency = json_object_get_object_member (variant, "latency");
      g_assert_cmpint (json_object_get_int_member (latency, "samples"), >, 0);
      g_assert_cmpfloat (json_object_get_double_member (latency, "p50_us"), >, 0);
      g_assert_cmpfloat (json_object_get_double_member (latency, "p50_us"), <=,
                         json_object_get_double_member (latency, "p99_us"));
      g_assert_cmpfloat (json_object_get_double_member (latency, "p99_us"), <,
                         json_object_get_double_member (variant, "seconds") * 1.13e6);
      g_assert_cmpuint (json_array_get_length (rates), ==, json_array_get_length (links));
      for (guint l = 0; l < json_array_get_length (links); l++)
        {
          JsonObject *link = json_array_get_object_element (links, l);

          g_assert_cmpstr (json_object_get_string_member (link, "transport"), ==, names[v] + strlen ("transport="));
          assert_link_balanced (link);
        }
    }
  compare_clear (&c);
}

/* The dropped column of the table's row for `variant`. */
static guint64
table_dropped (const char *out,
               const char *variant)
{
  g_autofree char *start = g_strdup_printf ("\n%s ", variant);
  const char *row = strstr (out, start);
  double seconds, rate;
  guint64 dropped;

  g_assert_nonnull (row);
  g_assert_cmpint (sscanf (row + strlen (start), "%lf %lf %" G_GUINT64_FORMAT, &seconds, &rate, &dropped), ==, 3);
  return dropped;
}

/* The durable subscriber's HWM: a queue of 2 drops more of what the
 * subscriber misses while offline than a queue of 1000, one row each. */
static void
test_hwm_table (void)
{
  Compare c;

  compare_init (&c, "10-durable-subscriber.json");
  compare_run (&c, "--vary", "hwm=2,1000", "--seconds", "30", NULL);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_nonnull (strstr (c.out, "peak memory"));
  g_assert_cmpuint (table_dropped (c.out, "hwm=2"), >, table_dropped (c.out, "hwm=1000"));
  compare_clear (&c);
}

/* A variant that fails is reported, and the others still run: hello world
 * over tcp on a port another program holds fails, over inproc it runs. */
static void
test_failed_variant_reported (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GSocket) holder = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) held = NULL;
  g_autofree char *text = NULL;
  JsonArray *variants;
  JsonObject *tcp, *inproc;
  guint port;
  Compare c;

  g_assert_true (g_socket_bind (holder, any_port, FALSE, NULL) && g_socket_listen (holder, NULL));
  held = g_socket_get_local_address (holder, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (held));
  compare_init (&c, "1-hello-world.json");
  text = g_strdup_printf (
    "{ \"zmqscope\": 1, \"title\": \"held\", \"nodes\": ["
    " { \"name\": \"server\", \"role\": \"server\", \"reply\": \"World\","
    "   \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"binds\": [ \"tcp://127.0.0.1:%u\" ] } ] },"
    " { \"name\": \"client\", \"role\": \"client\", \"payload\": [ \"Hello\" ], \"count\": 3,"
    "   \"sockets\": [ { \"name\": \"req\", \"type\": \"REQ\", \"connects\": [ \"tcp://localhost:%u\" ] } ] } ] }",
    port, port);
  g_assert_true (g_file_set_contents (c.file, text, -1, NULL));

  compare_run (&c, "--vary", "transport=tcp,inproc", "--seconds", "30", "--json", NULL);
  g_assert_cmpint (c.status, ==, 1);
  variants = parse_variants (&c, parser);
  g_assert_cmpuint (json_array_get_length (variants), ==, 2);
  tcp = json_array_get_object_element (variants, 0);
  inproc = json_array_get_object_element (variants, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (tcp, "error"), "server"));
  g_assert_true (json_object_get_null_member (inproc, "error"));
  g_assert_true (json_object_get_boolean_member (json_object_get_object_member (inproc, "report"), "finished"));
  compare_clear (&c);
}

/* Unknown keys and values are usage errors that list the valid ones. */
static void
test_usage (void)
{
  Compare c;

  compare_init (&c, "1-hello-world.json");
  compare_run (&c, "--vary", "colour=red", NULL);
  g_assert_cmpint (c.status, ==, 2);
  g_assert_nonnull (strstr (c.err, "transport, bind, hwm"));
  g_assert_cmpstr (c.out, ==, "");
  g_clear_pointer (&c.out, g_free);
  g_clear_pointer (&c.err, g_free);
  compare_run (&c, NULL);
  g_assert_cmpint (c.status, ==, 2);
  g_assert_nonnull (strstr (c.err, "--vary"));
  compare_clear (&c);
}

/* A file with errors is refused as `run` refuses it: every error listed
 * once, one line saying what to do, no table of variants that never ran.
 * Its two errors: a port that is not a number (no tcp port at all, never
 * bound), and a transport that does not exist. */
static void
test_file_with_errors (void)
{
  Compare c;

  compare_init (&c, "1-hello-world.json");
  g_assert_true (g_file_set_contents (c.file,
    "{ \"zmqscope\": 1, \"nodes\": ["
    " { \"name\": \"a\", \"role\": \"server\", \"reply\": \"World\","
    "   \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"binds\": [ \"tcp://127.0.0.1:port\" ] } ] },"
    " { \"name\": \"b\", \"role\": \"client\", \"payload\": [ \"Hello\" ],"
    "   \"sockets\": [ { \"name\": \"req\", \"type\": \"REQ\", \"connects\": [ \"bogus://x\" ] } ] } ] }",
    -1, NULL));
  compare_run (&c, "--vary", "hwm=1,2", "--seconds", "1", NULL);
  g_test_message ("%s", c.err);
  g_assert_cmpint (c.status, ==, 1);
  g_assert_cmpstr (c.out, ==, "");
  g_assert_nonnull (strstr (c.err, "tcp://127.0.0.1:port"));
  g_assert_nonnull (strstr (c.err, "bogus://x"));
  g_assert_null (strstr (c.err, "did not run"));
  g_assert_nonnull (strstr (c.err, "has errors; fix them"));
  compare_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/compare/pipeline-transports", test_pipeline_transports);
  g_test_add_func ("/zmqscope/compare/hwm-table", test_hwm_table);
  g_test_add_func ("/zmqscope/compare/failed-variant-reported", test_failed_variant_reported);
  g_test_add_func ("/zmqscope/compare/usage", test_usage);
  g_test_add_func ("/zmqscope/compare/file-with-errors", test_file_with_errors);
  return g_test_run ();
}
