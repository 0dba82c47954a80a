/* test-cli.c: `zmqscope run` as a user meets it: the real binary, real
 * signals, real sockets
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <zmq.h>

#include "zs-recording.h"
#include "zs-report.h"
#include "zs-test-util.h"

typedef struct {
  char        *dir;
  char        *file;
  GSubprocess *process;
  char        *out;
  char        *err;
  int          status;   /* exit status, or -1 */
  gint64       elapsed_us;
} Cli;

static char *
zmqscope_path (void)
{
  const char *build = g_getenv ("ZS_BUILD_DIR");

  return g_build_filename (build ? build : ".", "app", "zmqscope", NULL);
}

/* A two-node topology: a server that binds `bind` and a client that
 * connects there and sends `count` requests. */
static void
cli_init (Cli        *cli,
          const char *bind,
          guint       count)
{
  g_autofree char *text = NULL;

  memset (cli, 0, sizeof *cli);
  cli->status = -1;
  cli->dir = g_dir_make_tmp ("zs-cli-XXXXXX", NULL);
  cli->file = g_build_filename (cli->dir, "topology.json", NULL);
  text = g_strdup_printf (
    "{ \"zmqscope\": 1, \"title\": \"cli test\", \"nodes\": ["
    " { \"name\": \"server\", \"role\": \"server\", \"reply\": \"World\","
    "   \"sockets\": [ { \"name\": \"rep\", \"type\": \"REP\", \"binds\": [ \"%s\" ] } ] },"
    " { \"name\": \"client\", \"role\": \"client\", \"payload\": [ \"Hello\" ], \"count\": %u,"
    "   \"interval-ms\": 1,"
    "   \"sockets\": [ { \"name\": \"req\", \"type\": \"REQ\", \"connects\": [ \"%s\" ] } ] } ] }",
    bind, count, bind);
  g_assert_true (g_file_set_contents (cli->file, text, -1, NULL));
}

static void
cli_clear (Cli *cli)
{
  g_remove (cli->file);
  g_rmdir (cli->dir);
  g_free (cli->dir);
  g_free (cli->file);
  g_clear_object (&cli->process);
  g_free (cli->out);
  g_free (cli->err);
}

static void
cli_spawnv (Cli        *cli,
            const char *command,
            const char *file,
            const char *first_option,
            va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (argv, zmqscope_path ());
  g_ptr_array_add (argv, g_strdup (command));
  g_ptr_array_add (argv, g_strdup (file));
  for (const char *o = first_option; o != NULL; o = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (o));
  g_ptr_array_add (argv, NULL);
  g_clear_object (&cli->process);
  g_clear_pointer (&cli->out, g_free);
  g_clear_pointer (&cli->err, g_free);
  cli->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                    G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
}

/* zmqscope run FILE OPTIONS... */
static void
cli_spawn (Cli        *cli,
           const char *first_option,
           ...)
{
  va_list args;

  va_start (args, first_option);
  cli_spawnv (cli, "run", cli->file, first_option, args);
  va_end (args);
}

/* zmqscope replay RECORDING OPTIONS... */
static void
cli_replay (Cli        *cli,
            const char *recording,
            const char *first_option,
            ...)
{
  va_list args;

  va_start (args, first_option);
  cli_spawnv (cli, "replay", recording, first_option, args);
  va_end (args);
}

/* Waits for the end (at most 30 s) and collects what it printed. */
static void
cli_finish (Cli *cli)
{
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_true (g_subprocess_communicate_utf8 (cli->process, NULL, NULL, &cli->out, &cli->err, &error));
  g_assert_no_error (error);
  cli->elapsed_us = g_get_monotonic_time () - start;
  cli->status = g_subprocess_get_if_exited (cli->process) ? g_subprocess_get_exit_status (cli->process) : -1;
  g_test_message ("exit %d after %" G_GINT64_FORMAT " ms\nstdout:\n%s\nstderr:\n%s", cli->status,
                  cli->elapsed_us / 1000, cli->out, cli->err);
}

static gboolean
on_timeout (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until `path` exists (the run is up): a
 * directory monitor wakes it when the file appears. */
static void
wait_for_file (const char *path)
{
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GFile) parent = g_file_get_parent (dir);
  g_autoptr(GFileMonitor) monitor = g_file_monitor_directory (parent, G_FILE_MONITOR_NONE, NULL, NULL);
  gboolean expired = FALSE;
  guint timeout = g_timeout_add (20000, on_timeout, &expired);

  g_assert_nonnull (monitor);
  while (!g_file_test (path, G_FILE_TEST_EXISTS) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (timeout);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* SIGINT, SIGTERM and SIGHUP: the run stops within a second, the report so
 * far is printed, the socket file is removed and the status is 128 + signal. */
static void
test_signal (gconstpointer data)
{
  int signum = GPOINTER_TO_INT (data);
  Cli cli;
  g_autofree char *sock = NULL;
  g_autofree char *bind = NULL;
  g_autofree char *dir = g_dir_make_tmp ("zs-cli-sock-XXXXXX", NULL);
  gint64 sent_at;

  sock = g_build_filename (dir, "server.sock", NULL);
  bind = g_strdup_printf ("ipc://%s", sock);
  cli_init (&cli, bind, 1000000);
  cli_spawn (&cli, "--seconds", "60", NULL);
  wait_for_file (sock);
  sent_at = g_get_monotonic_time ();
  g_subprocess_send_signal (cli.process, signum);
  cli_finish (&cli);
  g_test_message ("stopped %" G_GINT64_FORMAT " ms after signal %d",
                  (g_get_monotonic_time () - sent_at) / 1000, signum);
  g_assert_cmpint (g_get_monotonic_time () - sent_at, <, G_USEC_PER_SEC);
  g_assert_cmpint (cli.status, ==, 128 + signum);
  g_assert_nonnull (strstr (cli.out, "client.req <-> server.rep"));
  g_assert_nonnull (strstr (cli.out, "SENT"));
  g_assert_false (g_file_test (sock, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  cli_clear (&cli);
}

/* A busy port is reported at once and stops the run (hello world used to
 * wait its full 120 s); --keep-going lets the rest run. */
static void
test_busy_port (void)
{
  void *ctx = zmq_ctx_new ();
  void *holder = zmq_socket (ctx, ZMQ_PULL);
  char endpoint[64];
  size_t size = sizeof endpoint;
  g_autofree char *bind = NULL;
  Cli cli;

  g_assert_cmpint (zmq_bind (holder, "tcp://127.0.0.1:*"), ==, 0);
  zmq_getsockopt (holder, ZMQ_LAST_ENDPOINT, endpoint, &size);
  bind = g_strdup (endpoint);
  cli_init (&cli, bind, 10);
  cli_spawn (&cli, NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.elapsed_us, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpint (cli.status, ==, 1);
  g_assert_nonnull (strstr (cli.err, "already in use"));
  g_assert_nonnull (strstr (cli.err, "server"));
  g_assert_nonnull (strstr (cli.out, "SENT"));
  g_clear_object (&cli.process);
  g_clear_pointer (&cli.out, g_free);
  g_clear_pointer (&cli.err, g_free);

  /* Asked to keep going: it runs on until --seconds. */
  cli_spawn (&cli, "--keep-going", "--seconds", "1.5", NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.elapsed_us, >=, 1500 * 1000);
  g_assert_cmpint (cli.status, ==, 1);
  g_assert_nonnull (strstr (cli.err, "already in use"));
  cli_clear (&cli);
  zmq_close (holder);
  zmq_ctx_term (ctx);
}

/* --seconds that do not fit (or are no number) are a usage error, not a
 * run that stops at once. */
static void
test_seconds_validated (void)
{
  const char *bad[] = { "4294968", "1e20", "inf", "nan", "-1" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      Cli cli;

      cli_init (&cli, "inproc://never", 1);
      cli_spawn (&cli, "--seconds", bad[i], NULL);
      cli_finish (&cli);
      g_assert_cmpint (cli.status, ==, 2);
      g_assert_nonnull (strstr (cli.err, "--seconds"));
      g_assert_cmpstr (cli.out, ==, "");
      cli_clear (&cli);
    }
}

/* HWM 0, a fast publisher, a slow subscriber: past --memory-cap the run
 * stops with a message that names the link, and the status says it failed. */
static void
test_memory_cap (void)
{
  Cli cli;

  cli_init (&cli, "inproc://unused", 1);
  g_assert_true (g_file_set_contents (cli.file,
    "{ \"zmqscope\": 1, \"title\": \"flood\", \"nodes\": ["
    " { \"name\": \"pub\", \"role\": \"publisher\", \"wait-peers\": -1,"
    "   \"payload\": [ \"a payload of about one hundred bytes, like a small JSON record or a log line {seq}\" ],"
    "   \"sockets\": [ { \"name\": \"pub\", \"type\": \"PUB\", \"sndhwm\": 0,"
    "                    \"binds\": [ \"inproc://flood\" ] } ] },"
    " { \"name\": \"sub\", \"role\": \"subscriber\", \"work-ms\": 10,"
    "   \"sockets\": [ { \"name\": \"sub\", \"type\": \"SUB\", \"rcvhwm\": 0, \"subscribe\": [ \"\" ],"
    "                    \"connects\": [ \"inproc://flood\" ] } ] } ] }", -1, NULL));
  cli_spawn (&cli, "--memory-cap", "16", "--seconds", "60", NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.status, ==, 1);
  g_assert_cmpint (cli.elapsed_us, <, 30 * G_USEC_PER_SEC);
  g_assert_nonnull (strstr (cli.err, "sub.sub <- pub.pub"));
  g_assert_nonnull (strstr (cli.err, "--memory-cap"));
  g_assert_nonnull (strstr (cli.out, "HWM 0"));
  cli_clear (&cli);
}

/* --help documents --keep-going, under a usage line the user can type
 * back: with the command, not a bare "zmqscope [OPTION…] FILE" (which
 * opens the window). */
static void
test_help_keep_going (void)
{
  Cli cli;

  cli_init (&cli, "inproc://never", 1);
  cli_spawn (&cli, "--help", NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.status, ==, 0);
  g_test_message ("%s", cli.out);
  g_assert_nonnull (strstr (cli.out, "  zmqscope run [OPTION"));
  g_assert_nonnull (strstr (cli.out, "--keep-going"));
  g_assert_nonnull (strstr (cli.out, "--memory-cap"));
  cli_clear (&cli);
}

/* --record to a place it cannot be written (a directory, a folder that
 * does not exist) is refused before the run, not after it has run for
 * minutes, in one line without GLib's g_rename() wording. */
static void
test_record_path_refused (void)
{
  Cli cli;
  g_autofree char *missing = NULL;

  cli_init (&cli, "inproc://never", 1);
  cli_spawn (&cli, "--record", cli.dir, "--seconds", "30", NULL);
  cli_finish (&cli);
  g_test_message ("%s", cli.err);
  g_assert_cmpint (cli.status, ==, 2);
  g_assert_cmpstr (cli.out, ==, "");
  g_assert_nonnull (strstr (cli.err, "is a directory"));
  g_assert_null (strstr (cli.err, "g_rename"));
  g_assert_cmpint (cli.elapsed_us, <, 20 * G_USEC_PER_SEC);
  cli_clear (&cli);

  cli_init (&cli, "inproc://never", 1);
  missing = g_build_filename (cli.dir, "no-such-folder", "run.zsrec", NULL);
  cli_spawn (&cli, "--record", missing, "--seconds", "30", NULL);
  cli_finish (&cli);
  g_test_message ("%s", cli.err);
  g_assert_cmpint (cli.status, ==, 2);
  g_assert_cmpstr (cli.out, ==, "");
  g_assert_nonnull (strstr (cli.err, "No such file or directory"));
  cli_clear (&cli);
}

/* ---- record and replay ---- */

/* An example on free ports, in the test's file. */
static void
cli_init_example (Cli        *cli,
                  const char *example)
{
  g_autoptr(ZsTopology) topology = zs_test_load_example (example);
  g_autoptr(GError) error = NULL;

  cli_init (cli, "inproc://unused", 1);
  g_assert_true (zs_topology_save_to_file (topology, cli->file, &error));
  g_assert_no_error (error);
}

/* Every example, run once with --record: replaying the recording prints
 * the very report the run printed (same nodes, links and figures). */
static void
test_record_replay_examples (void)
{
  g_autoptr(GDir) dir = g_dir_open (g_getenv ("ZS_EXAMPLES_DIR"), 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      Cli cli;
      g_autofree char *recording = NULL;
      g_autofree char *live = NULL;

      if (!g_str_has_suffix (name, ".json"))
        continue;
      cli_init_example (&cli, name);
      recording = g_build_filename (cli.dir, "run.zsrec", NULL);
      cli_spawn (&cli, "--record", recording, "--json", NULL);
      cli_finish (&cli);
      g_assert_cmpint (cli.status, ==, 0);
      live = g_steal_pointer (&cli.out);
      g_assert_nonnull (strstr (live, "\"finished\" : true"));

      cli_replay (&cli, recording, "--json", NULL);
      cli_finish (&cli);
      g_assert_cmpint (cli.status, ==, 0);
      if (g_strcmp0 (live, cli.out) != 0)
        g_error ("%s: the replayed report differs from the live one.\nLive:\n%s\nReplayed:\n%s", name, live, cli.out);
      g_remove (recording);
      cli_clear (&cli);
      n++;
    }
  g_assert_cmpuint (n, ==, 10);
}

static char *
report_at (ZsRecording *recording,
           guint        frame)
{
  ZsTopology *topology = zs_recording_get_topology (recording);
  g_autoptr(ZsSnapshot) s = zs_snapshot_new (zs_topology_get_n_nodes (topology),
                                             zs_topology_get_links (topology)->len);

  g_assert_cmpuint (zs_recording_snapshot_at (recording, zs_recording_get_frame_time_us (recording, frame), s),
                    ==, frame);
  return zs_report_to_json (topology, s);
}

/* The durable subscriber: --at shows the frame recorded at that time (the
 * drops as they were then); bad files are one line naming the file, the
 * byte and the reason. */
static void
test_replay_at (void)
{
  Cli cli;
  g_autofree char *path = NULL;
  g_autofree char *truncated = NULL;
  g_autofree char *corrupted = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(ZsRecording) recording = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  guint n_frames;

  cli_init_example (&cli, "10-durable-subscriber.json");
  path = g_build_filename (cli.dir, "durable.zsrec", NULL);
  cli_spawn (&cli, "--record", path, NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.status, ==, 0);
  recording = zs_recording_load (path, &error);
  g_assert_no_error (error);
  n_frames = zs_recording_get_n_frames (recording);
  g_assert_cmpuint (n_frames, >, 3);

  for (guint frame = 0; frame < n_frames; frame += n_frames / 3)
    {
      g_autofree char *at = g_strdup_printf ("%.6f", zs_recording_get_frame_time_us (recording, frame) / 1e6);
      g_autofree char *report = report_at (recording, frame);
      g_autofree char *expected = g_strconcat (report, "\n", NULL);
      g_autofree char *table = NULL;

      cli_replay (&cli, path, "--at", at, "--json", NULL);
      cli_finish (&cli);
      g_assert_cmpint (cli.status, ==, 0);
      g_assert_cmpstr (cli.out, ==, expected);
      /* The table says which moment it shows. */
      cli_replay (&cli, path, "--at", at, NULL);
      cli_finish (&cli);
      g_assert_cmpint (cli.status, ==, 0);
      table = g_strdup_printf ("at %.2f s of", zs_recording_get_frame_time_us (recording, frame) / 1e6);
      g_assert_nonnull (strstr (cli.out, table));
    }

  /* Only a moment of the recording: never a negative one, nor a word. */
  for (guint i = 0; i < 2; i++)
    {
      cli_replay (&cli, path, "--at", i == 0 ? "-1" : "end", NULL);
      cli_finish (&cli);
      g_assert_cmpint (cli.status, ==, 2);
      g_assert_nonnull (strstr (cli.err, "--at"));
    }

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  truncated = g_build_filename (cli.dir, "truncated.zsrec", NULL);
  corrupted = g_build_filename (cli.dir, "corrupted.zsrec", NULL);
  g_assert_true (g_file_set_contents (truncated, contents, (gssize) length / 2, NULL));
  contents[length / 2] ^= 0x55;
  g_assert_true (g_file_set_contents (corrupted, contents, (gssize) length, NULL));
  for (guint i = 0; i < 2; i++)
    {
      const char *bad = i == 0 ? truncated : corrupted;

      cli_replay (&cli, bad, "--json", NULL);
      cli_finish (&cli);
      g_assert_cmpint (cli.status, !=, 0);
      g_assert_cmpstr (cli.out, ==, "");
      g_assert_nonnull (strstr (cli.err, bad));
      g_assert_nonnull (strstr (cli.err, "byte"));
      g_assert_nonnull (strchr (cli.err, '\n'));
      g_assert_cmpstr (strchr (cli.err, '\n'), ==, "\n");
    }
  g_remove (truncated);
  g_remove (corrupted);
  g_remove (path);
  cli_clear (&cli);
}

/* --faults: each fault said as it is applied; a bad line refused with its
 * line and column before anything runs; a fault the node cannot take,
 * refused with why, and the exit status says so. */
static void
test_faults (void)
{
  Cli cli;
  g_autofree char *script = NULL;

  cli_init (&cli, "inproc://faults", 100000);
  script = g_build_filename (cli.dir, "run.faults", NULL);
  g_assert_true (g_file_set_contents (script, "# the server dies, then comes back\n"
                                              "at 100 ms kill server\nat 0.3 s restart server\n", -1, NULL));
  cli_spawn (&cli, "--faults", script, "--seconds", "1", NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.status, ==, 0);
  g_assert_nonnull (strstr (cli.out, "at 0.10 s: kill server\n"));
  g_assert_nonnull (strstr (cli.out, "at 0.30 s: restart server\n"));
  g_assert_nonnull (strstr (cli.out, "killed 1×, restarted 1×"));

  g_assert_true (g_file_set_contents (script, "at 1 s kill server\nat 2 s kill nobody\n", -1, NULL));
  cli_spawn (&cli, "--faults", script, NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.status, ==, 2);
  g_assert_nonnull (strstr (cli.err, "run.faults:2:13: there is no node “nobody”"));
  g_assert_cmpstr (cli.out, ==, "");

  /* A folder given by mistake: the sentence still reads ("…script: Error
   * reading file “…”: Is a directory", not "…script Error reading…"). */
  cli_spawn (&cli, "--faults", cli.dir, NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.status, ==, 2);
  g_assert_true (g_str_has_prefix (cli.err, "zmqscope: cannot use the fault script: "));
  g_assert_cmpstr (cli.out, ==, "");

  g_assert_true (g_file_set_contents (script, "at 0 s restart server", -1, NULL));
  cli_spawn (&cli, "--faults", script, "--seconds", "0.5", NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.status, ==, 1);
  g_assert_nonnull (strstr (cli.err, "at 0.00 s: restart server refused: "));
  g_remove (script);
  cli_clear (&cli);
}

/* Runs the topology with the fault script `faults` for `seconds`,
 * recorded, and returns its report (JSON). */
static char *
cli_run_recorded (Cli        *cli,
                  const char *faults,
                  const char *seconds)
{
  g_autofree char *script = g_build_filename (cli->dir, "run.faults", NULL);
  g_autofree char *recording = g_build_filename (cli->dir, "run.zsrec", NULL);

  g_assert_true (g_file_set_contents (script, faults, -1, NULL));
  cli_spawn (cli, "--faults", script, "--seconds", seconds, "--record", recording, "--json", NULL);
  cli_finish (cli);
  g_remove (script);
  g_assert_cmpint (cli->status, ==, 0);
  return g_steal_pointer (&cli->out);
}

/* The run's recording replayed: the very report the run printed. */
static void
cli_assert_replay_is (Cli        *cli,
                      const char *live)
{
  g_autofree char *recording = g_build_filename (cli->dir, "run.zsrec", NULL);

  cli_replay (cli, recording, "--json", NULL);
  cli_finish (cli);
  g_assert_cmpint (cli->status, ==, 0);
  g_assert_cmpstr (cli->out, ==, live);
  g_remove (recording);
}

/* A run with faults, recorded: the replay shows the faults too (the node
 * killed and restarted, the slowed node, the link cut and what was lost in
 * the crash), so its report is the very one the run printed. */
static void
test_record_replay_faults (void)
{
  Cli cli;
  g_autofree char *live = NULL;

  cli_init (&cli, "inproc://faults", 100000);
  live = cli_run_recorded (&cli, "at 100 ms slow client 2\nat 150 ms cut client -- server\n"
                                 "at 200 ms restore client -- server\nat 250 ms kill server\n"
                                 "at 0.4 s restart server\n", "0.8");
  g_assert_nonnull (strstr (live, "\"kills\" : 1"));
  g_assert_nonnull (strstr (live, "\"restarts\" : 1"));
  g_assert_nonnull (strstr (live, "\"slow_factor\" : 2"));

  cli_assert_replay_is (&cli, live);
  cli_clear (&cli);
}

/* --faults with delay and loss: the links they name go through the relay
 * from the start; every request still gets its reply, each late by the
 * delay, and the report says the link went through the relay. */
static void
test_faults_relay (void)
{
  Cli cli;
  g_autofree char *script = NULL;
  g_autofree char *endpoint = g_strdup_printf ("tcp://127.0.0.1:%u", zs_test_free_tcp_port ());

  cli_init (&cli, endpoint, 5);
  script = g_build_filename (cli.dir, "run.faults", NULL);
  g_assert_true (g_file_set_contents (script, "at 0 s delay client -> server 20 ms\n", -1, NULL));
  cli_spawn (&cli, "--faults", script, "--seconds", "10", NULL);
  cli_finish (&cli);
  g_test_message ("%s", cli.out);
  g_assert_cmpint (cli.status, ==, 0);
  g_assert_nonnull (strstr (cli.out, "at 0.00 s: delay client.req -> server.rep 20 ms\n"));
  g_assert_nonnull (strstr (cli.out, "every node reached its end"));
  g_assert_nonnull (strstr (cli.out, "through the relay: delay 20 ms, loss 0 % at the end"));
  g_remove (script);
  cli_clear (&cli);
}

/* --faults with live changes (issue #15): the pipeline's worker-1 results
 * link flipped then moved to inproc mid-run; each change said as it is
 * applied, and the report's note says what the link became. */
static void
test_faults_live_changes (void)
{
  Cli cli;
  g_autofree char *script = NULL;

  cli_init_example (&cli, "3-parallel-pipeline.json");
  script = g_build_filename (cli.dir, "live.faults", NULL);
  g_assert_true (g_file_set_contents (script, "at 0.1 s flip worker-1 -> sink\n"
                                              "at 0.2 s transport worker-1 -> sink inproc\n", -1, NULL));
  cli_spawn (&cli, "--faults", script, "--seconds", "3", NULL);
  cli_finish (&cli);
  g_assert_cmpint (cli.status, ==, 0);
  g_assert_nonnull (strstr (cli.out, "at 0.10 s: flip worker-1.out -> sink.in\n"));
  g_assert_nonnull (strstr (cli.out, "at 0.20 s: transport worker-1.out -> sink.in inproc\n"));
  g_assert_nonnull (strstr (cli.out, "changed live 2× (now flipped, over inproc)"));
  g_remove (script);
  cli_clear (&cli);
}

/* A run through the relay, recorded: the replay shows the link relayed,
 * its delay and loss, as the run's report did. */
static void
test_record_replay_relay (void)
{
  Cli cli;
  g_autofree char *live = NULL;
  g_autofree char *endpoint = g_strdup_printf ("tcp://127.0.0.1:%u", zs_test_free_tcp_port ());

  cli_init (&cli, endpoint, 100000);
  live = cli_run_recorded (&cli, "at 0 s delay client -> server 20 ms\n"
                                 "at 0.3 s loss client -> server 12.5 %\n", "0.8");
  g_assert_nonnull (strstr (live, "\"relayed\" : true"));
  g_assert_nonnull (strstr (live, "\"delay_ms\" : 20"));
  g_assert_nonnull (strstr (live, "\"loss_percent\" : 12.5"));

  cli_assert_replay_is (&cli, live);
  cli_clear (&cli);
}

/* A run with live changes, recorded: the replay's report says what the
 * link became (flipped, over inproc), as the run's did. */
static void
test_record_replay_live_changes (void)
{
  Cli cli;
  g_autofree char *live = NULL;

  cli_init_example (&cli, "3-parallel-pipeline.json");
  live = cli_run_recorded (&cli, "at 0.1 s flip worker-1 -> sink\n"
                                 "at 0.2 s transport worker-1 -> sink inproc\n", "3");
  g_assert_nonnull (strstr (live, "\"flipped\" : true"));
  g_assert_nonnull (strstr (live, "\"transport\" : \"inproc\""));

  cli_assert_replay_is (&cli, live);
  cli_clear (&cli);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/zmqscope/cli/sigint", GINT_TO_POINTER (SIGINT), test_signal);
  g_test_add_data_func ("/zmqscope/cli/sigterm", GINT_TO_POINTER (SIGTERM), test_signal);
  g_test_add_data_func ("/zmqscope/cli/sighup", GINT_TO_POINTER (SIGHUP), test_signal);
  g_test_add_func ("/zmqscope/cli/busy-port", test_busy_port);
  g_test_add_func ("/zmqscope/cli/seconds-validated", test_seconds_validated);
  g_test_add_func ("/zmqscope/cli/help-keep-going", test_help_keep_going);
  g_test_add_func ("/zmqscope/cli/memory-cap", test_memory_cap);
  g_test_add_func ("/zmqscope/cli/record-path-refused", test_record_path_refused);
  g_test_add_func ("/zmqscope/cli/record-replay-examples", test_record_replay_examples);
  g_test_add_func ("/zmqscope/cli/replay-at", test_replay_at);
  g_test_add_func ("/zmqscope/cli/faults", test_faults);
  g_test_add_func ("/zmqscope/cli/record-replay-faults", test_record_replay_faults);
  g_test_add_func ("/zmqscope/cli/faults-relay", test_faults_relay);
  g_test_add_func ("/zmqscope/cli/record-replay-relay", test_record_replay_relay);
  g_test_add_func ("/zmqscope/cli/faults-live-changes", test_faults_live_changes);
  g_test_add_func ("/zmqscope/cli/record-replay-live-changes", test_record_replay_live_changes);
  return g_test_run ();
}
