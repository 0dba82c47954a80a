/* zs-bench.c: raw libzmq against ZsEngine with telemetry, in one run
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Eight cases: PUSH->PULL and PUB->SUB, over inproc and tcp (127.0.0.1),
 * with 16-byte and 1 KiB messages. Each case runs twice per repeat, raw
 * then engine, and the best of --repeat runs is kept for each side.
 *
 * Method, the same on both sides:
 *  - One sender and one receiver, each in its own thread; the sender binds,
 *    the receiver connects; SNDHWM and RCVHWM are --hwm (default 1000,
 *    libzmq's) on both sockets; linger 0.
 *  - Raw: the sender calls zmq_send () on a constant buffer; the receiver
 *    calls zmq_msg_recv () (blocking) into one reused zmq_msg_t.
 *    Engine: a ZsTopology built in code, two nodes: role "socket" (PUSH,
 *    count N, wait-peers -1) and "socket" (PULL, count N), or "publisher"
 *    (PUB, count 0, wait-peers -1) and "subscriber" (SUB, subscribe "",
 *    count N). The payload is a constant 16- or 1024-byte string (no
 *    formatting cost); tracing is on (16-byte trailer, counters).
 *  - The clock runs at the receiver, from the first message received to
 *    the N-th: rate = (N - 1) / (t_N - t_1). Raw reads g_get_monotonic_time
 *    there; the engine gives the receiver node's started_at_us (set after
 *    its first receive) and done_at_us. Thread start, connect and the
 *    slow-joiner window are thus outside the measure on both sides.
 *  - PUB->SUB: a publisher outruns its subscriber and PUB drops at the HWM,
 *    so the publisher sends until the subscriber has received N (raw: an
 *    atomic flag; engine: a publisher with count 0 runs until the engine
 *    stops it once the subscriber is done) and we report what the SUB
 *    actually received per second. Unlimited HWMs would blow memory.
 *    Beware: a PUB learns that its full pipe has room again only when it
 *    processes commands, which zmq_send does at most every 3,000,000 TSC
 *    ticks (libzmq's max_command_delay: 1.43 ms at 2.1 GHz). So a PUB->SUB
 *    receiver gets at most one pipe's capacity per 1.43 ms: inproc
 *    (SNDHWM + RCVHWM) 2000 -> ~1.4 M msg/s, tcp (SNDHWM) 1000 -> ~0.7 M msg/s
 *    at HWM 1000, raw and engine alike. A 16-byte PUB->SUB ratio near 1.00
 *    at the default HWM therefore says nothing; rerun those cases with
 *    e.g. --hwm 100000 to see the subscriber's own cost.
 *  - After each engine run the link's counters must satisfy, exactly,
 *    sent = received + dropped + unread + in_flight.
 * Messages default to 1,000,000 (16 B) and 200,000 (1 KiB) per run; with
 * --repeat 3 the whole bench takes well under a minute on 2 cores.
 *
 * Recording (issue #11), after the table:
 *  - Overhead: each case's engine run again, with and without a recorder
 *    that does what a run session does at 10 Hz (zs_recording_record: a
 *    snapshot, appended, and every link's capture ring merged) on the
 *    thread that waits for the run; both sides wait in the same 100 ms
 *    slices. Runs alternate, best of --repeat each; the ratio is recorded
 *    over plain throughput. Target: a loss of at most 3 % (geometric mean
 *    over the cases).
 *  - Memory: the 200-node bench topology (zs-bench-topology.c, the one
 *    zs-bench-ui animates) runs for a second to give a real snapshot and
 *    real captures; then a minute and an hour of frames at 10 Hz are
 *    appended with counters moving as at full speed (one pair at 2.5 M
 *    msg/s, the others at 10 msg/s, queues changing), 16 new captures per
 *    link each frame (each second for the hour, to keep the bench short:
 *    the rings hold 64 per link either way). Reported: the recording's
 *    own count (zs_recording_get_memory_size) and what malloc handed out
 *    meanwhile (mallinfo2). Targets: < 50 MB for a minute, < 200 MB for an hour.
 *
 * Scale (issue #14), last:
 *  - N nodes (100, 1 000, 5 000): N/2 inproc PUSH -> PULL pairs; each
 *    sender waits for its peer, sends one message, then sleeps an hour on
 *    the run's clock; each receiver waits for messages. Start: from
 *    zs_engine_start until every link has delivered its message (every
 *    thread up, connected, sent and received); snapshots every 5 ms.
 *    Stop: zs_engine_stop, under that idle load. "plan s" is the part
 *    of the start spent in zs_engine_start itself: validation, links, the
 *    run plan (linear in N: 5 000 nodes take about 0.1 + 0.3 s), then
 *    creating every node's thread, which on a loaded machine is most of it.
 *    "start CPU s" and "stop CPU s": the process's CPU time (getrusage:
 *    user + system, every thread, the bench's snapshots included) over
 *    the start and over the stop; less noisy than the wall times on a
 *    loaded machine.
 *  - Idle: with 1 000 such nodes started, the process's CPU time
 *    (getrusage: user + system, every thread) over 10 s of wall time.
 *  - Targets: 1 000 nodes start < 1 s and stop < 1 s; idle < 1 % of a core.
 *
 * Memory (issue #14), after the scale:
 *  - Peak RSS (VmHWM, reset through /proc/self/clear_refs before each) of
 *    a full-speed pipeline (a PUSH source, three workers, a PULL sink,
 *    inproc) for --pipeline-seconds (60), then of the 200-node bench
 *    topology (zs-bench-topology.c), all 100 pairs at full speed, for
 *    10 s; "before" is the RSS as each run starts (what earlier figures
 *    left: freed memory glibc keeps).
 *    Engine only: the recording's memory has its own figures above.
 *  - Bounded by topology size: the pipeline's RSS at its end is at most
 *    PIPELINE_GROWTH_MB above what it was after 10 s; the 200-node peak
 *    below BENCH_200_TARGET_MB.
 *
 * Every figure with a target prints PASS or FAIL; the exit status is 1 if
 * any failed. Per row of the table: engine/raw >= ROW_TARGET.
 */
#define G_LOG_DOMAIN "zs-bench"

#include "config.h"

#include <glib.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <sys/resource.h>
#include <zmq.h>

#include "zs-bench-topology.h"
#include "zs-engine.h"
#include "zs-engine-source.h"
#include "zs-node.h"
#include "zs-recording.h"
#include "zs-recording-source.h"
#include "zs-run-session.h"
#include "zs-snapshot.h"
#include "zs-socket-spec.h"
#include "zs-topology.h"

#define DEFAULT_HWM 1000
#define DEFAULT_SMALL_MESSAGES 1000000
#define DEFAULT_LARGE_MESSAGES 200000
#define ENGINE_TIMEOUT_MS 120000
#define PORT_ATTEMPTS 3
/* A run session's recording rate. */
#define RECORD_HZ 10
#define OVERHEAD_TARGET 0.97
#define MINUTE_TARGET_MB 50.0
#define HOUR_TARGET_MB 200.0
#define SCALE_TARGET_NODES 1000
#define SCALE_START_TARGET_S 1.0
#define SCALE_STOP_TARGET_S 1.0
#define SCALE_IDLE_S 10
#define SCALE_IDLE_TARGET_PERCENT 1.0
#define SCALE_TIMEOUT_S 120
#define ROW_TARGET 0.9
#define BENCH_200_SECONDS 10
#define BENCH_200_TARGET_MB 200.0
#define PIPELINE_WARM_S 10
#define PIPELINE_GROWTH_MB 8.0

static int bench_hwm = DEFAULT_HWM;
static gboolean bench_no_capture = FALSE;

typedef struct {
  const char *name;
  gboolean    pubsub;
  gboolean    tcp;
  gsize       size;
} BenchCase;

static const BenchCase bench_cases[] = {
  { "pushpull-inproc-16", FALSE, FALSE, 16 },
  { "pushpull-inproc-1k", FALSE, FALSE, 1024 },
  { "pushpull-tcp-16",    FALSE, TRUE,  16 },
  { "pushpull-tcp-1k",    FALSE, TRUE,  1024 },
  { "pubsub-inproc-16",   TRUE,  FALSE, 16 },
  { "pubsub-inproc-1k",   TRUE,  FALSE, 1024 },
  { "pubsub-tcp-16",      TRUE,  TRUE,  16 },
  { "pubsub-tcp-1k",      TRUE,  TRUE,  1024 },
};

/* ---- raw libzmq ---- */

typedef struct {
  const BenchCase *bc;
  guint64          n;
  void            *tx;
  void            *rx;
  atomic_int       stop;       /* PUB->SUB: the subscriber has its N */
  gint64           first_us;
  gint64           last_us;
  gboolean         send_failed;
  gboolean         recv_failed;
} RawRun;

static gpointer
raw_sender (gpointer data)
{
  RawRun *r = data;
  g_autofree char *buffer = g_malloc (r->bc->size);

  memset (buffer, 'x', r->bc->size);
  if (r->bc->pubsub)
    {
      while (!atomic_load_explicit (&r->stop, memory_order_relaxed))
        if (zmq_send (r->tx, buffer, r->bc->size, 0) == -1)
          {
            r->send_failed = TRUE;
            break;
          }
      return NULL;
    }
  for (guint64 i = 0; i < r->n; i++)
    if (zmq_send (r->tx, buffer, r->bc->size, 0) == -1)
      {
        r->send_failed = TRUE;
        break;
      }
  return NULL;
}

static gpointer
raw_receiver (gpointer data)
{
  RawRun *r = data;
  zmq_msg_t msg;

  zmq_msg_init (&msg);
  for (guint64 i = 0; i < r->n; i++)
    {
      if (zmq_msg_recv (&msg, r->rx, 0) == -1)
        {
          r->recv_failed = TRUE;
          break;
        }
      if (G_UNLIKELY (i == 0))
        r->first_us = g_get_monotonic_time ();
    }
  r->last_us = g_get_monotonic_time ();
  atomic_store (&r->stop, 1);
  zmq_msg_close (&msg);
  return NULL;
}

static gboolean
set_hwms (void *sock)
{
  int hwm = bench_hwm;

  return zmq_setsockopt (sock, ZMQ_SNDHWM, &hwm, sizeof hwm) == 0
         && zmq_setsockopt (sock, ZMQ_RCVHWM, &hwm, sizeof hwm) == 0;
}

/* Messages per second received, or a negative value on failure. */
static double
raw_run_once (const BenchCase  *bc,
              guint64           n,
              GError          **error)
{
  RawRun r = { .bc = bc, .n = n };
  void *ctx = zmq_ctx_new ();
  char endpoint[256] = "inproc://zs-bench-raw";
  size_t len = sizeof endpoint;
  GThread *sender, *receiver;
  double rate = -1;

  zmq_ctx_set (ctx, ZMQ_BLOCKY, 0);
  r.tx = zmq_socket (ctx, bc->pubsub ? ZMQ_PUB : ZMQ_PUSH);
  r.rx = zmq_socket (ctx, bc->pubsub ? ZMQ_SUB : ZMQ_PULL);
  if (r.tx == NULL || r.rx == NULL || !set_hwms (r.tx) || !set_hwms (r.rx)
      || (bc->pubsub && zmq_setsockopt (r.rx, ZMQ_SUBSCRIBE, "", 0) != 0)
      || zmq_bind (r.tx, bc->tcp ? "tcp://127.0.0.1:*" : endpoint) != 0
      || zmq_getsockopt (r.tx, ZMQ_LAST_ENDPOINT, endpoint, &len) != 0
      || zmq_connect (r.rx, endpoint) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "raw setup: %s", zmq_strerror (errno));
      goto out;
    }

  /* The sockets move to their threads; thread creation is a full fence. */
  receiver = g_thread_new ("raw-rx", raw_receiver, &r);
  sender = g_thread_new ("raw-tx", raw_sender, &r);
  g_thread_join (receiver);
  g_thread_join (sender);
  if (r.send_failed || r.recv_failed || r.last_us <= r.first_us)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "raw run failed (%s)",
                 r.send_failed ? "send" : r.recv_failed ? "receive" : "no time elapsed");
  else
    rate = (double) (n - 1) * G_USEC_PER_SEC / (double) (r.last_us - r.first_us);

out:
  if (r.tx != NULL)
    zmq_close (r.tx);
  if (r.rx != NULL)
    zmq_close (r.rx);
  while (zmq_ctx_term (ctx) == -1 && errno == EINTR)
    ;
  return rate;
}

/* ---- ZsEngine ---- */

typedef struct {
  double   rate;
  gboolean exact;        /* sent = received + dropped + unread + in_flight */
  char    *check;        /* the link's figures, for the table */
  gboolean port_in_use;  /* retry with another port */
} EngineResult;

/* A port nothing listens on now: bind :*, read it, release it. */
static int
pick_free_port (void)
{
  void *ctx = zmq_ctx_new ();
  void *sock;
  char endpoint[256] = "";
  size_t len = sizeof endpoint;
  const char *colon;
  int port = 0;

  zmq_ctx_set (ctx, ZMQ_BLOCKY, 0);
  sock = zmq_socket (ctx, ZMQ_PULL);
  if (sock != NULL && zmq_bind (sock, "tcp://127.0.0.1:*") == 0
      && zmq_getsockopt (sock, ZMQ_LAST_ENDPOINT, endpoint, &len) == 0
      && (colon = strrchr (endpoint, ':')) != NULL)
    port = atoi (colon + 1);
  if (sock != NULL)
    zmq_close (sock);
  while (zmq_ctx_term (ctx) == -1 && errno == EINTR)
    ;
  return port;
}

static ZsNode *
make_node (const char   *name,
           ZsRole        role,
           const char   *socket_name,
           ZsSocketType  type,
           const char   *endpoint,
           gboolean      binds)
{
  ZsNode *node = zs_node_new (name, role);
  g_autoptr(ZsSocketSpec) socket = zs_socket_spec_new (socket_name, type);
  const char *endpoints[] = { endpoint, NULL };

  if (binds)
    zs_socket_spec_set_binds (socket, endpoints);
  else
    zs_socket_spec_set_connects (socket, endpoints);
  zs_socket_spec_set_sndhwm (socket, bench_hwm);
  zs_socket_spec_set_rcvhwm (socket, bench_hwm);
  zs_socket_spec_set_linger (socket, 0);
  if (type == ZS_SOCKET_SUB)
    {
      const char *everything[] = { "", NULL };
      zs_socket_spec_set_subscribe (socket, everything);
    }
  zs_node_add_socket (node, socket);
  return node;
}

static ZsTopology *
build_topology (const BenchCase *bc,
                guint64          n,
                const char      *endpoint)
{
  ZsTopology *topology = zs_topology_new ();
  g_autoptr(ZsNode) tx = NULL;
  g_autoptr(ZsNode) rx = NULL;
  g_autofree char *text = g_malloc (bc->size + 1);
  const char *payload[] = { text, NULL };

  memset (text, 'x', bc->size);
  text[bc->size] = '\0';
  if (bc->pubsub)
    {
      tx = make_node ("tx", ZS_ROLE_PUBLISHER, "pub", ZS_SOCKET_PUB, endpoint, TRUE);
      rx = make_node ("rx", ZS_ROLE_SUBSCRIBER, "sub", ZS_SOCKET_SUB, endpoint, FALSE);
      /* Until the engine stops it: the subscriber decides the end. */
      g_object_set (tx, "count", 0, NULL);
    }
  else
    {
      tx = make_node ("tx", ZS_ROLE_SOCKET, "socket", ZS_SOCKET_PUSH, endpoint, TRUE);
      rx = make_node ("rx", ZS_ROLE_SOCKET, "socket", ZS_SOCKET_PULL, endpoint, FALSE);
      g_object_set (tx, "count", (guint) n, NULL);
    }
  zs_node_set_payload (tx, payload);
  g_object_set (tx, "wait-peers", -1, "tracing", TRUE, NULL);
  g_object_set (rx, "count", (guint) n, "tracing", TRUE, NULL);
  zs_topology_add_node (topology, tx);
  zs_topology_add_node (topology, rx);
  return topology;
}

/* What the recorder's ticks cost the thread that runs them. */
static gint64 record_us;
static guint record_ticks;

/* Waits for the run's end in 1/RECORD_HZ slices, recording a frame after
 * each when `record`. */
static gboolean
wait_run (ZsEngine *engine,
          gboolean  record)
{
  g_autoptr(ZsRecording) recording = NULL;
  g_autoptr(ZsEngineSource) source = NULL;
  g_autoptr(ZsSnapshot) frame = NULL;
  gint64 deadline = g_get_monotonic_time () + (gint64) ENGINE_TIMEOUT_MS * 1000;

  if (record)
    {
      recording = zs_recording_new (zs_engine_get_topology (engine));
      source = zs_engine_source_new (engine);
      frame = zs_engine_snapshot (engine);
    }
  while (g_get_monotonic_time () < deadline)
    {
      if (zs_engine_wait (engine, 1000 / RECORD_HZ))
        return TRUE;
      if (record)
        {
          gint64 start = g_get_monotonic_time ();

          zs_recording_record (recording, ZS_RUN_SOURCE (source), frame);
          record_us += g_get_monotonic_time () - start;
          record_ticks++;
        }
    }
  return FALSE;
}

static gboolean
engine_run_once (const BenchCase  *bc,
                 guint64           n,
                 gboolean          record,
                 EngineResult     *result,
                 GError          **error)
{
  g_autofree char *endpoint = NULL;
  g_autoptr(ZsTopology) topology = NULL;
  g_autoptr(ZsEngine) engine = NULL;
  g_autoptr(ZsSnapshot) snapshot = NULL;
  ZsNodeStats *rx;
  ZsLinkStats *link;
  gboolean finished;

  memset (result, 0, sizeof *result);
  if (bc->tcp)
    {
      int port = pick_free_port ();

      if (port <= 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no free tcp port");
          return FALSE;
        }
      endpoint = g_strdup_printf ("tcp://127.0.0.1:%d", port);
    }
  else
    endpoint = g_strdup ("inproc://zs-bench-engine");

  topology = build_topology (bc, n, endpoint);
  engine = zs_engine_new (topology);
  if (!zs_engine_start (engine, error))
    return FALSE;
  /* The link keeps its last messages by default (the Messages panel). */
  if (bench_no_capture)
    zs_engine_set_capture (engine, 0, FALSE);
  finished = wait_run (engine, record);
  zs_engine_stop (engine);
  snapshot = zs_engine_snapshot (engine);

  for (guint i = 0; i < snapshot->n_nodes; i++)
    if (snapshot->nodes[i].state == ZS_NODE_STATE_ERROR)
      {
        result->port_in_use = bc->tcp && snapshot->nodes[i].error != NULL
                              && strstr (snapshot->nodes[i].error, "in use") != NULL;
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "engine node %u: %s", i,
                     snapshot->nodes[i].error ? snapshot->nodes[i].error : "error");
        return FALSE;
      }
  rx = &snapshot->nodes[1];
  if (!finished || snapshot->n_links != 1 || rx->state != ZS_NODE_STATE_DONE || rx->done_goal != n
      || rx->done_at_us <= rx->started_at_us)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "engine run did not finish (%s, receiver %s, %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT ")",
                   finished ? "finished" : "timed out", zs_node_state_to_string (rx->state), rx->done_goal, n);
      return FALSE;
    }

  link = &snapshot->links[0];
  result->rate = (double) (n - 1) * G_USEC_PER_SEC / (double) (rx->done_at_us - rx->started_at_us);
  result->exact = link->sent == link->received + link->dropped + link->unread + link->in_flight;
  result->check = g_strdup_printf ("%s %" G_GUINT64_FORMAT " = %" G_GUINT64_FORMAT " + %" G_GUINT64_FORMAT
                                   " + %" G_GUINT64_FORMAT " + %" G_GUINT64_FORMAT "%s",
                                   result->exact ? "ok" : "MISMATCH", link->sent, link->received,
                                   link->dropped, link->unread, link->in_flight,
                                   link->sent_estimated || link->dropped_estimated ? " (est.)" : "");
  return TRUE;
}

/* ---- the table ---- */

typedef struct {
  double   raw;
  double   engine;
  char    *check;
  gboolean all_exact;
  char    *failure;
} CaseResult;

static guint64
messages_for (const BenchCase *bc,
              gint64           messages)
{
  if (messages > 0)
    return (guint64) messages;
  return bc->size <= 64 ? DEFAULT_SMALL_MESSAGES : DEFAULT_LARGE_MESSAGES;
}

/* One engine run, tried again on another port if the one picked was taken. */
static gboolean
engine_run (const BenchCase  *bc,
            guint64           n,
            gboolean          record,
            EngineResult     *er,
            GError          **error)
{
  gboolean ok = FALSE;

  for (guint attempt = 0; attempt < PORT_ATTEMPTS && !ok; attempt++)
    {
      g_clear_error (error);
      g_clear_pointer (&er->check, g_free);
      ok = engine_run_once (bc, n, record, er, error);
      if (!ok && !er->port_in_use)
        break;
    }
  return ok;
}

static void
run_case (const BenchCase *bc,
          guint64          n,
          guint            repeat,
          CaseResult      *res)
{
  memset (res, 0, sizeof *res);
  res->all_exact = TRUE;
  for (guint r = 0; r < repeat && res->failure == NULL; r++)
    {
      g_autoptr(GError) error = NULL;
      EngineResult er = { 0 };
      double raw = raw_run_once (bc, n, &error);
      gboolean ok = FALSE;

      if (raw < 0)
        {
          res->failure = g_strdup (error->message);
          break;
        }
      res->raw = MAX (res->raw, raw);
      ok = engine_run (bc, n, FALSE, &er, &error);
      if (!ok)
        {
          res->failure = g_strdup (error->message);
          g_free (er.check);
          break;
        }
      /* Show the figures of the best run, or of the first inexact one. */
      if (res->all_exact && (!er.exact || er.rate > res->engine))
        {
          g_free (res->check);
          res->check = g_steal_pointer (&er.check);
        }
      res->all_exact &= er.exact;
      res->engine = MAX (res->engine, er.rate);
      g_free (er.check);
    }
}

/* ---- recording ---- */

/* Best of `repeat` runs without and with the recorder, alternating;
 * returns recorded / plain, or -1 (printed) if a run failed. */
static double
recording_ratio (const BenchCase *bc,
                 guint64          n,
                 guint            repeat)
{
  double plain = 0, recorded = 0;

  for (guint r = 0; r < repeat; r++)
    for (guint record = 0; record < 2; record++)
      {
        g_autoptr(GError) error = NULL;
        EngineResult er = { 0 };

        if (!engine_run (bc, n, record, &er, &error))
          {
            printf ("%-20s %8" G_GUINT64_FORMAT "  FAILED: %s\n", bc->name, n, error->message);
            g_free (er.check);
            return -1;
          }
        if (record)
          recorded = MAX (recorded, er.rate);
        else
          plain = MAX (plain, er.rate);
        g_free (er.check);
      }
  printf ("%-20s %8" G_GUINT64_FORMAT " %12.0f %12.0f %6.3f\n", bc->name, n, plain, recorded, recorded / plain);
  fflush (stdout);
  return recorded / plain;
}

static gboolean
bench_recording_overhead (const char *only,
                          gint64      messages,
                          guint       repeat)
{
  double log_sum = 0, worst = G_MAXDOUBLE;
  guint n_cases = 0;

  printf ("\nrecording overhead: a recorder at %d Hz (zs_recording_record) vs none, best of %u each\n",
          RECORD_HZ, repeat);
  printf ("%-20s %8s %12s %12s %6s\n", "case", "N", "plain msg/s", "recorded", "ratio");
  for (guint i = 0; i < G_N_ELEMENTS (bench_cases); i++)
    {
      const BenchCase *bc = &bench_cases[i];
      double ratio;

      if (only != NULL && g_strcmp0 (only, bc->name) != 0)
        continue;
      ratio = recording_ratio (bc, messages_for (bc, messages), repeat);
      if (ratio <= 0)
        return FALSE;
      log_sum += log (ratio);
      worst = MIN (worst, ratio);
      n_cases++;
    }
  if (n_cases == 0)
    return TRUE;
  printf ("the recorder's tick: %.1f µs (mean of %u), %.3f %% of a core at %d Hz\n",
          (double) record_us / MAX (record_ticks, 1), record_ticks,
          (double) record_us / MAX (record_ticks, 1) * RECORD_HZ / 1e4, RECORD_HZ);
  printf ("%s recording overhead: throughput with the recorder %.3f of without (geometric mean of %u cases; "
          "worst %.3f); target >= %.2f\n", exp (log_sum / n_cases) >= OVERHEAD_TARGET ? "PASS" : "FAIL",
          exp (log_sum / n_cases), n_cases, worst, OVERHEAD_TARGET);
  return exp (log_sum / n_cases) >= OVERHEAD_TARGET;
}

/* Bytes malloc has handed out and not had back (glibc). */
static gsize
heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

/* The n-th frame after `real`: counters moved as at full speed on the
 * first pair, 10 msg/s on the others, queues changing. */
static void
advance_frame (ZsSnapshot *s,
               guint       n)
{
  s->time_us += G_USEC_PER_SEC / RECORD_HZ;
  for (guint p = 0; p < ZS_BENCH_PAIRS; p++)
    {
      guint64 step = p == 0 ? 2500000 / RECORD_HZ : (n % RECORD_HZ == 0);
      ZsNodeStats *tx = &s->nodes[2 * p], *rx = &s->nodes[2 * p + 1];
      ZsLinkStats *l = &s->links[p];

      tx->sent += step;
      tx->sent_bytes += 16 * step;
      tx->blocked_us += p == 0 ? 40000 : 0;
      rx->received += step;
      rx->received_bytes += 16 * step;
      l->sent += step;
      l->sent_bytes += 16 * step;
      l->received += step;
      l->received_bytes += 16 * step;
      l->in_flight = p == 0 ? (n * 7919) % 2000 : 0;
    }
}

/* 16 new messages on every link, as a full-speed run's rings show them. */
static void
advance_captures (ZsRecording *recording,
                  GPtrArray  **rings,
                  gint64       time_us)
{
  for (guint l = 0; l < ZS_BENCH_PAIRS; l++)
    {
      for (guint i = 0; i < rings[l]->len; i++)
        {
          ZsCapture *c = g_ptr_array_index (rings[l], i);

          c->time_us = time_us - (gint64) (rings[l]->len - i);
          c->seq += rings[l]->len;
        }
      zs_recording_add_captures (recording, l, rings[l]);
    }
}

typedef struct {
  guint  frames;
  gsize  size;
  gsize  heap;
  double append_us;
  double step_ms;    /* a drag of the timeline, one step: the moment rebuilt */
  double rest_ms;    /* the cursor at rest (or a recording opened): the charts' history too */
} MemoryResult;

/* What the timeline costs on this recording: opening it (the moment at
 * its end and the five minutes before), then steps of a drag. */
static void
measure_scrub (ZsRecording  *recording,
               MemoryResult *result)
{
  g_autoptr(ZsRecordingSource) source = zs_recording_source_new (recording);
  g_autoptr(ZsRunSession) session = NULL;
  gint64 end = zs_recording_get_duration_us (recording);
  gint64 start = g_get_monotonic_time ();
  const guint n = 10;

  session = zs_run_session_new (ZS_RUN_SOURCE (source));
  result->rest_ms = (g_get_monotonic_time () - start) / 1e3;
  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    zs_run_session_set_cursor_us (session, end - (gint64) (i + 1) * G_USEC_PER_SEC);
  result->step_ms = (g_get_monotonic_time () - start) / 1e3 / n;
}

static void
record_synthetic (ZsTopology       *topology,
                  const ZsSnapshot *real,
                  GPtrArray       **rings,
                  guint             seconds,
                  guint             captures_every,
                  MemoryResult     *result)
{
  g_autoptr(ZsRecording) recording = zs_recording_new (topology);
  g_autoptr(ZsSnapshot) frame = zs_snapshot_new (real->n_nodes, real->n_links);
  gsize heap = heap_in_use ();
  gint64 start = g_get_monotonic_time ();
  guint n_frames = seconds * RECORD_HZ;

  /* Start from the real snapshot (strings and all). */
  zs_recording_append (recording, real);
  zs_recording_snapshot_at (recording, 0, frame);
  for (guint n = 1; n < n_frames; n++)
    {
      advance_frame (frame, n);
      zs_recording_append (recording, frame);
      if (n % captures_every == 0)
        advance_captures (recording, rings, frame->time_us);
    }
  result->append_us = (double) (g_get_monotonic_time () - start) / n_frames;
  result->frames = zs_recording_get_n_frames (recording);
  result->size = zs_recording_get_memory_size (recording);
  result->heap = heap_in_use () - MIN (heap, heap_in_use ());
  measure_scrub (recording, result);
}

static gboolean
bench_recording_memory (void)
{
  g_autoptr(ZsTopology) topology = zs_bench_pairs_topology (1, 100);
  g_autoptr(ZsEngine) engine = zs_engine_new (topology);
  g_autoptr(ZsSnapshot) real = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *rings[ZS_BENCH_PAIRS];
  MemoryResult minute, hour;
  guint n_captures;
  gboolean ok;

  if (!zs_engine_start (engine, &error))
    {
      printf ("recording memory FAILED: %s\n", error->message);
      return FALSE;
    }
  zs_engine_wait (engine, 1000);
  real = zs_engine_snapshot (engine);
  for (guint l = 0; l < ZS_BENCH_PAIRS; l++)
    rings[l] = zs_engine_get_captures (engine, l);
  zs_engine_stop (engine);
  n_captures = rings[0]->len;

  record_synthetic (zs_engine_get_topology (engine), real, rings, 60, 1, &minute);
  record_synthetic (zs_engine_get_topology (engine), real, rings, 3600, RECORD_HZ, &hour);
  for (guint l = 0; l < ZS_BENCH_PAIRS; l++)
    g_ptr_array_unref (rings[l]);

  printf ("\nrecording memory: %u nodes, %u links, frames at %d Hz, %u captures on link 0\n",
          real->n_nodes, real->n_links, RECORD_HZ, n_captures);
  printf ("%-10s %8s %12s %14s %12s %10s %10s\n", "length", "frames", "recording MB", "malloc'd +MB", "append µs",
          "drag ms", "rest ms");
  printf ("%-10s %8u %12.1f %14.1f %12.0f %10.1f %10.1f\n", "1 minute", minute.frames, minute.size / 1e6,
          minute.heap / 1e6, minute.append_us, minute.step_ms, minute.rest_ms);
  printf ("%-10s %8u %12.1f %14.1f %12.0f %10.1f %10.1f\n", "1 hour", hour.frames, hour.size / 1e6,
          hour.heap / 1e6, hour.append_us, hour.step_ms, hour.rest_ms);
  ok = MAX (minute.size, minute.heap) < MINUTE_TARGET_MB * 1e6;
  printf ("%s recording memory, 1 minute: %.1f MB; target < %.0f MB\n", ok ? "PASS" : "FAIL",
          MAX (minute.size, minute.heap) / 1e6, MINUTE_TARGET_MB);
  if (MAX (hour.size, hour.heap) >= HOUR_TARGET_MB * 1e6)
    ok = FALSE;
  printf ("%s recording memory, 1 hour: %.1f MB; target < %.0f MB\n",
          MAX (hour.size, hour.heap) < HOUR_TARGET_MB * 1e6 ? "PASS" : "FAIL",
          MAX (hour.size, hour.heap) / 1e6, HOUR_TARGET_MB);
  return ok;
}

static double
load_average (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return -1;
  return g_ascii_strtod (text, NULL);
}

/* ---- scale: many idle nodes ---- */

/* N/2 inproc PUSH -> PULL pairs; a sender sends once, then sleeps an hour. */
static ZsTopology *
scale_topology (guint n_nodes)
{
  ZsTopology *topology = zs_topology_new ();
  const char *payload[] = { "0123456789abcdef", NULL };

  for (guint p = 0; p < n_nodes / 2; p++)
    {
      g_autofree char *endpoint = g_strdup_printf ("inproc://scale-%u", p);
      g_autofree char *tx_name = g_strdup_printf ("tx-%u", p);
      g_autofree char *rx_name = g_strdup_printf ("rx-%u", p);
      g_autoptr(ZsNode) tx = make_node (tx_name, ZS_ROLE_SOCKET, "out", ZS_SOCKET_PUSH, endpoint, TRUE);
      g_autoptr(ZsNode) rx = make_node (rx_name, ZS_ROLE_SOCKET, "in", ZS_SOCKET_PULL, endpoint, FALSE);

      zs_node_set_payload (tx, payload);
      g_object_set (tx, "count", 0, "interval-ms", 3600 * 1000, "wait-peers", -1, "tracing", TRUE, NULL);
      g_object_set (rx, "count", 0, "tracing", TRUE, NULL);
      zs_topology_add_node (topology, tx);
      zs_topology_add_node (topology, rx);
    }
  return topology;
}

/* Every link has delivered its first message; FALSE on a node's error. */
static gboolean
scale_started (ZsEngine   *engine,
               ZsSnapshot *snapshot,
               gboolean   *failed)
{
  zs_engine_snapshot_into (engine, snapshot);
  for (guint i = 0; i < snapshot->n_nodes; i++)
    if (snapshot->nodes[i].state == ZS_NODE_STATE_ERROR)
      *failed = TRUE;
  for (guint l = 0; l < snapshot->n_links; l++)
    if (snapshot->links[l].received == 0)
      return FALSE;
  return TRUE;
}

static double
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (double) usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6
         + (double) usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

/* One size's figures: wall times, and the process's CPU (every thread,
 * the bench's own 5 ms snapshots included) over the start and the stop. */
typedef struct {
  double plan_s;
  double start_s;
  double stop_s;
  double start_cpu_s;
  double stop_cpu_s;
  double idle_percent;   /* < 0: not measured */
} ScaleFigures;

/* Starts and stops n_nodes; measures idle CPU over idle_s seconds when > 0. */
static gboolean
scale_run (guint         n_nodes,
           guint         idle_s,
           ScaleFigures *f)
{
  g_autoptr(ZsTopology) topology = scale_topology (n_nodes);
  g_autoptr(ZsEngine) engine = zs_engine_new (topology);
  g_autoptr(ZsSnapshot) snapshot = zs_snapshot_new (n_nodes, n_nodes / 2);
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time (), deadline = t0 + (gint64) SCALE_TIMEOUT_S * G_USEC_PER_SEC;
  double cpu0 = cpu_seconds ();
  gboolean failed = FALSE, started = FALSE;

  if (!zs_engine_start (engine, &error))
    {
      printf ("scale %u: could not start: %s\n", n_nodes, error->message);
      return FALSE;
    }
  f->plan_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  while (!(started = scale_started (engine, snapshot, &failed)) && !failed && g_get_monotonic_time () < deadline)
    g_usleep (5000);
  f->start_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  f->start_cpu_s = cpu_seconds () - cpu0;
  if (started && idle_s > 0)
    {
      double cpu = cpu_seconds ();
      gint64 wall = g_get_monotonic_time ();

      g_usleep ((gulong) idle_s * G_USEC_PER_SEC);
      f->idle_percent = 100.0 * (cpu_seconds () - cpu) * G_USEC_PER_SEC / (double) (g_get_monotonic_time () - wall);
    }
  t0 = g_get_monotonic_time ();
  cpu0 = cpu_seconds ();
  zs_engine_stop (engine);
  f->stop_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  f->stop_cpu_s = cpu_seconds () - cpu0;
  if (!started)
    printf ("scale %u: %s after %.1f s\n", n_nodes, failed ? "a node failed" : "not started", f->start_s);
  return started;
}

static gboolean
bench_scale (void)
{
  const guint sizes[] = { 100, SCALE_TARGET_NODES, 5000 };
  gboolean ok = TRUE;

  printf ("\nscale: N/2 inproc PUSH -> PULL pairs, each sender sends once then sleeps (load %.2f)\n",
          load_average ());
  printf ("%8s %10s %10s %10s %12s %12s %14s\n", "nodes", "start s", "(plan s)", "stop s", "start CPU s",
          "stop CPU s", "idle CPU %");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gboolean target = sizes[i] == SCALE_TARGET_NODES;
      ScaleFigures f = { .idle_percent = -1 };
      gboolean run_ok = scale_run (sizes[i], target ? SCALE_IDLE_S : 0, &f);
      g_autofree char *idle = f.idle_percent >= 0 ? g_strdup_printf ("%.3f", f.idle_percent) : g_strdup ("-");

      printf ("%8u %10.3f %10.3f %10.3f %12.3f %12.3f %14s\n", sizes[i], f.start_s, f.plan_s, f.stop_s,
              f.start_cpu_s, f.stop_cpu_s, idle);
      fflush (stdout);
      if (target)
        {
          printf ("%s start %u nodes: %.3f s; target < %.1f s\n",
                  run_ok && f.start_s < SCALE_START_TARGET_S ? "PASS" : "FAIL", sizes[i], f.start_s,
                  SCALE_START_TARGET_S);
          printf ("%s stop %u nodes: %.3f s; target < %.1f s\n",
                  run_ok && f.stop_s < SCALE_STOP_TARGET_S ? "PASS" : "FAIL", sizes[i], f.stop_s,
                  SCALE_STOP_TARGET_S);
          printf ("%s idle CPU, %u nodes over %d s: %.3f %% of a core; target < %.1f %%\n",
                  run_ok && f.idle_percent >= 0 && f.idle_percent < SCALE_IDLE_TARGET_PERCENT ? "PASS" : "FAIL",
                  sizes[i], SCALE_IDLE_S, f.idle_percent, SCALE_IDLE_TARGET_PERCENT);
          ok &= run_ok && f.start_s < SCALE_START_TARGET_S && f.stop_s < SCALE_STOP_TARGET_S
                && f.idle_percent >= 0 && f.idle_percent < SCALE_IDLE_TARGET_PERCENT;
        }
      else
        ok &= run_ok;
    }
  return ok;
}

/* ---- memory: peak RSS ---- */

/* Resets the process's peak RSS (VmHWM) to its RSS now (Linux >= 4.0). */
static gboolean
reset_peak_rss (void)
{
  FILE *file = fopen ("/proc/self/clear_refs", "w");
  gboolean ok;

  if (file == NULL)
    return FALSE;
  ok = fputs ("5", file) >= 0;
  return fclose (file) == 0 && ok;
}

/* A field of /proc/self/status in MB ("VmRSS", "VmHWM"), -1 if unknown. */
static double
status_mb (const char *field)
{
  g_autofree char *text = NULL;
  g_autofree char *prefix = g_strdup_printf ("\n%s:", field);
  const char *at;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL) || (at = strstr (text, prefix)) == NULL)
    return -1;
  return g_ascii_strtod (at + strlen (prefix), NULL) / 1024.0;
}

/* A PUSH source, three workers, a PULL sink, inproc, all at full speed. */
static ZsTopology *
pipeline_topology (void)
{
  ZsTopology *topology = zs_topology_new ();
  const char *payload[] = { "0123456789abcdef", NULL };
  g_autoptr(ZsNode) source = make_node ("source", ZS_ROLE_SOCKET, "out", ZS_SOCKET_PUSH, "inproc://pipe-in", TRUE);
  g_autoptr(ZsNode) sink = make_node ("sink", ZS_ROLE_SOCKET, "in", ZS_SOCKET_PULL, "inproc://pipe-out", TRUE);

  zs_node_set_payload (source, payload);
  g_object_set (source, "count", 0, "wait-peers", -1, NULL);
  g_object_set (sink, "count", 0, NULL);
  zs_topology_add_node (topology, source);
  for (guint w = 0; w < 3; w++)
    {
      g_autofree char *name = g_strdup_printf ("worker-%u", w + 1);
      g_autoptr(ZsNode) worker = make_node (name, ZS_ROLE_WORKER, "in", ZS_SOCKET_PULL, "inproc://pipe-in", FALSE);
      g_autoptr(ZsSocketSpec) out = zs_socket_spec_new ("out", ZS_SOCKET_PUSH);
      const char *connects[] = { "inproc://pipe-out", NULL };

      zs_socket_spec_set_connects (out, connects);
      zs_socket_spec_set_sndhwm (out, bench_hwm);
      zs_socket_spec_set_rcvhwm (out, bench_hwm);
      zs_socket_spec_set_linger (out, 0);
      zs_node_add_socket (worker, out);
      zs_node_set_payload (worker, payload);
      zs_topology_add_node (topology, worker);
    }
  zs_topology_add_node (topology, sink);
  return topology;
}

typedef struct {
  double   base_mb;      /* VmRSS before the run: what earlier runs left */
  double   peak_mb;      /* VmHWM at the end */
  double   warm_mb;      /* VmRSS after `warm_s` */
  double   end_mb;       /* VmRSS at the end */
  guint64  received;     /* messages received over every link */
} MemoryRun;

/* Runs the topology for `seconds` at full speed; RSS figures as above. */
static gboolean
memory_run (ZsTopology *topology,
            guint       seconds,
            guint       warm_s,
            MemoryRun  *result)
{
  g_autoptr(ZsEngine) engine = zs_engine_new (topology);
  g_autoptr(ZsSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  memset (result, 0, sizeof *result);
  malloc_trim (0);
  if (!reset_peak_rss ())
    {
      printf ("memory: cannot reset the peak RSS (/proc/self/clear_refs)\n");
      return FALSE;
    }
  result->base_mb = status_mb ("VmRSS");
  if (!zs_engine_start (engine, &error))
    {
      printf ("memory: could not start: %s\n", error->message);
      return FALSE;
    }
  start = g_get_monotonic_time ();
  result->warm_mb = -1;
  while (g_get_monotonic_time () - start < (gint64) seconds * G_USEC_PER_SEC)
    {
      g_usleep (G_USEC_PER_SEC / RECORD_HZ);
      if (result->warm_mb < 0 && g_get_monotonic_time () - start >= (gint64) warm_s * G_USEC_PER_SEC)
        result->warm_mb = status_mb ("VmRSS");
    }
  result->end_mb = status_mb ("VmRSS");
  result->peak_mb = status_mb ("VmHWM");
  snapshot = zs_engine_snapshot (engine);
  zs_engine_stop (engine);
  for (guint l = 0; l < snapshot->n_links; l++)
    result->received += snapshot->links[l].received;
  for (guint i = 0; i < snapshot->n_nodes; i++)
    if (snapshot->nodes[i].state == ZS_NODE_STATE_ERROR)
      {
        printf ("memory: node %u failed: %s\n", i, snapshot->nodes[i].error ? snapshot->nodes[i].error : "");
        return FALSE;
      }
  return TRUE;
}

static gboolean
bench_memory (guint pipeline_s)
{
  g_autoptr(ZsTopology) pairs = zs_bench_pairs_topology (ZS_BENCH_PAIRS, 0);
  g_autoptr(ZsTopology) pipeline = pipeline_topology ();
  MemoryRun bench200, pipe;
  gboolean ok200, ok_pipe;

  printf ("\nmemory: peak RSS of the process (VmHWM, reset before each run), engine only\n");
  printf ("%-34s %8s %10s %10s %10s %10s %14s\n", "run", "seconds", "before MB", "peak MB", "warm MB", "end MB",
          "messages");
  fflush (stdout);
  /* The small run first: the 200 nodes' threads leave arenas behind. */
  ok_pipe = memory_run (pipeline, pipeline_s, MIN (PIPELINE_WARM_S, pipeline_s), &pipe);
  if (ok_pipe)
    printf ("%-34s %8u %10.1f %10.1f %10.1f %10.1f %14" G_GUINT64_FORMAT "\n", "pipeline 1 -> 3 -> 1, full speed",
            pipeline_s, pipe.base_mb, pipe.peak_mb, pipe.warm_mb, pipe.end_mb, pipe.received);
  fflush (stdout);
  ok200 = memory_run (pairs, BENCH_200_SECONDS, BENCH_200_SECONDS, &bench200);
  if (ok200)
    printf ("%-34s %8d %10.1f %10.1f %10.1f %10.1f %14" G_GUINT64_FORMAT "\n", "200 nodes, 100 pairs full speed",
            BENCH_200_SECONDS, bench200.base_mb, bench200.peak_mb, bench200.warm_mb, bench200.end_mb,
            bench200.received);
  ok200 &= bench200.peak_mb >= 0 && bench200.peak_mb < BENCH_200_TARGET_MB;
  ok_pipe &= pipe.warm_mb >= 0 && pipe.end_mb >= 0 && pipe.end_mb - pipe.warm_mb <= PIPELINE_GROWTH_MB;
  printf ("%s peak RSS, 200-node bench: %.1f MB; target < %.0f MB\n", ok200 ? "PASS" : "FAIL",
          bench200.peak_mb, BENCH_200_TARGET_MB);
  printf ("%s pipeline RSS bounded: %.1f MB after %u s, %.1f MB after %d s (peak %.1f MB); "
          "target: grows at most %.0f MB\n", ok_pipe ? "PASS" : "FAIL", pipe.end_mb, pipeline_s, pipe.warm_mb,
          MIN (PIPELINE_WARM_S, (int) pipeline_s), pipe.peak_mb, PIPELINE_GROWTH_MB);
  return ok200 && ok_pipe;
}

int
main (int    argc,
      char **argv)
{
  gint64 messages = 0;
  int repeat = 3;
  g_autofree char *only = NULL;
  gboolean recording_only = FALSE, scale_only = FALSE, no_scale = FALSE, table_only = FALSE;
  gboolean memory_only = FALSE, no_memory = FALSE;
  int pipeline_s = 60;
  guint rows = 0, rows_passed = 0;
  GOptionEntry entries[] = {
    { "no-capture", 0, 0, G_OPTION_ARG_NONE, &bench_no_capture,
      "Engine runs with the link's message capture off (on by default, as in the app)", NULL },
    { "table-only", 0, 0, G_OPTION_ARG_NONE, &table_only, "Only the raw vs engine table (for profiling)", NULL },
    { "scale-only", 0, 0, G_OPTION_ARG_NONE, &scale_only, "Only the scale figures (start, stop, idle CPU)", NULL },
    { "no-scale", 0, 0, G_OPTION_ARG_NONE, &no_scale, "Skip the scale figures", NULL },
    { "memory-only", 0, 0, G_OPTION_ARG_NONE, &memory_only, "Only the peak RSS figures", NULL },
    { "no-memory", 0, 0, G_OPTION_ARG_NONE, &no_memory, "Skip the peak RSS figures", NULL },
    { "pipeline-seconds", 0, 0, G_OPTION_ARG_INT, &pipeline_s,
      "How long the full-speed pipeline of the memory figures runs (default 60)", "S" },
    { "recording-only", 0, 0, G_OPTION_ARG_NONE, &recording_only,
      "Only the recording's overhead and memory", NULL },
    { "messages", 'n', 0, G_OPTION_ARG_INT64, &messages,
      "Messages per run (default 1000000 for 16 B, 200000 for 1 KiB)", "N" },
    { "repeat", 'r', 0, G_OPTION_ARG_INT, &repeat, "Runs per case; the best is kept (default 3)", "R" },
    { "case", 'c', 0, G_OPTION_ARG_STRING, &only, "Run only this case", "NAME" },
    { "hwm", 0, 0, G_OPTION_ARG_INT, &bench_hwm, "SNDHWM and RCVHWM of every socket (default 1000)", "H" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- raw libzmq vs ZsEngine throughput");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  gint64 bench_start = g_get_monotonic_time ();
  gboolean found = FALSE, all_ok = TRUE;
  int major, minor, patch;

  for (guint i = 0; i < G_N_ELEMENTS (bench_cases); i++)
    g_string_append_printf (names, "%s%s", i ? ", " : "", bench_cases[i].name);
  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, names->str);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (repeat < 1 || messages < 0 || messages == 1 || messages > G_MAXUINT || bench_hwm < 1 || pipeline_s < 1)
    {
      g_printerr ("--repeat and --hwm must be at least 1, --messages from 2 to %u\n", G_MAXUINT);
      return 2;
    }
  for (guint i = 0; i < G_N_ELEMENTS (bench_cases) && only != NULL; i++)
    found |= g_strcmp0 (only, bench_cases[i].name) == 0;
  if (only != NULL && !found)
    {
      g_printerr ("Unknown case '%s'; cases: %s\n", only, names->str);
      return 2;
    }

  zmq_version (&major, &minor, &patch);
  printf ("zs-bench: libzmq %d.%d.%d, %u cores, HWM %d, best of %d, load %.2f at start\n",
          major, minor, patch, g_get_num_processors (), bench_hwm, repeat, load_average ());
  if (!recording_only && !scale_only && !memory_only)
    printf ("%-20s %8s %12s %12s %6s %4s  %s\n", "case", "N", "raw msg/s", "engine msg/s", "ratio", "",
            "engine link: sent = received + dropped + unread + in_flight");
  for (guint i = 0; i < G_N_ELEMENTS (bench_cases) && !recording_only && !scale_only && !memory_only; i++)
    {
      const BenchCase *bc = &bench_cases[i];
      guint64 n = messages_for (bc, messages);
      CaseResult res;

      if (only != NULL && g_strcmp0 (only, bc->name) != 0)
        continue;
      run_case (bc, n, (guint) repeat, &res);
      if (res.failure != NULL)
        {
          printf ("%-20s %8" G_GUINT64_FORMAT "  FAILED: %s\n", bc->name, n, res.failure);
          all_ok = FALSE;
        }
      else
        {
          gboolean pass = res.engine / res.raw >= ROW_TARGET;

          printf ("%-20s %8" G_GUINT64_FORMAT " %12.0f %12.0f %6.2f %s  %s\n", bc->name, n, res.raw, res.engine,
                  res.engine / res.raw, pass ? "PASS" : "FAIL", res.check);
          all_ok &= res.all_exact && pass;
          rows_passed += pass;
        }
      rows++;
      fflush (stdout);
      g_free (res.check);
      g_free (res.failure);
    }
  if (rows > 0)
    printf ("%s engine/raw >= %.2f on every row: %u of %u rows\n", rows_passed == rows ? "PASS" : "FAIL",
            ROW_TARGET, rows_passed, rows);
  if (!scale_only && !table_only && !memory_only)
    {
      all_ok &= bench_recording_overhead (only, messages, (guint) repeat);
      all_ok &= bench_recording_memory ();
    }
  if (!no_scale && !recording_only && !table_only && !memory_only && only == NULL)
    all_ok &= bench_scale ();
  if (!no_memory && !recording_only && !table_only && !scale_only && only == NULL)
    all_ok &= bench_memory ((guint) pipeline_s);
  printf ("total %.1f s, load %.2f at end\n", (double) (g_get_monotonic_time () - bench_start) / G_USEC_PER_SEC,
          load_average ());
  return all_ok ? 0 : 1;
}
