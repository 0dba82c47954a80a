/* zs-test-util.h: building and running topologies in tests
 * SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "zs-engine.h"
#include "zs-fault-script.h"
#include "zs-topology.h"
#include "zs-topology-file.h"
#include "zs-topology-ports.h"

/* Adds a node with one socket; binds/connects are NULL-terminated lists. */
static inline ZsNode *
zs_test_add_node (ZsTopology   *topology,
                  const char   *name,
                  ZsRole        role,
                  ZsSocketType  type,
                  const char   *bind,
                  const char   *connect)
{
  g_autoptr(ZsNode) node = zs_node_new (name, role);
  g_autoptr(ZsSocketSpec) socket = zs_socket_spec_new (role == ZS_ROLE_SOCKET ? "socket" : "main", type);
  const char *binds[] = { bind, NULL };
  const char *connects[] = { connect, NULL };

  if (role == ZS_ROLE_PUBLISHER)
    zs_socket_spec_set_name (socket, "pub");
  else if (role == ZS_ROLE_SUBSCRIBER)
    {
      const char *all[] = { "", NULL };
      zs_socket_spec_set_name (socket, "sub");
      zs_socket_spec_set_subscribe (socket, all);
    }
  if (bind != NULL)
    zs_socket_spec_set_binds (socket, binds);
  if (connect != NULL)
    zs_socket_spec_set_connects (socket, connects);
  zs_node_add_socket (node, socket);
  zs_topology_add_node (topology, node);
  return node;
}

/* Runs until every node with an end is done (at most timeout_ms), stops,
 * and returns the final snapshot. */
static inline ZsSnapshot *
zs_test_run (ZsTopology *topology,
             guint       timeout_ms,
             gboolean   *finished)
{
  g_autoptr(ZsEngine) engine = zs_engine_new (topology);
  g_autoptr(GError) error = NULL;
  gboolean done;

  g_assert_true (zs_engine_start (engine, &error));
  g_assert_no_error (error);
  done = zs_engine_wait (engine, timeout_ms);
  if (finished != NULL)
    *finished = done;
  zs_engine_stop (engine);
  return zs_engine_snapshot (engine);
}

/* Every link's books balance exactly once a run is over, each direction
 * on its own: sent = received + dropped + unread + lost + in_flight ("lost
 * in crash": what a killed node's queues held). */
static inline void
zs_test_assert_balanced (const ZsSnapshot *s)
{
  for (guint i = 0; i < s->n_links; i++)
    {
      const ZsLinkStats *l = &s->links[i];

      g_assert_cmpuint (l->sent, ==, l->received + l->dropped + l->unread + l->lost + l->in_flight);
      for (guint d = 0; d < 2; d++)
        {
          const ZsLinkFlow *f = &l->flow[d];
          g_assert_cmpuint (f->sent, ==, f->received + f->dropped + f->unread + f->lost + f->in_flight);
        }
    }
}

/* HWM 0 both ways and a subscriber slower than its publisher, over
 * inproc: the queue grows until a memory cap stops the run. */
#define ZS_TEST_INPROC_FLOOD \
  "{ \"zmqscope\": 1, \"title\": \"flood test\", \"nodes\": [" \
  "  { \"name\": \"pub\", \"role\": \"publisher\", \"x\": 40, \"y\": 120," \
  "    \"payload\": [\"a payload of about one hundred bytes, like a small JSON record or a log line {seq}\"]," \
  "    \"wait-peers\": -1," \
  "    \"sockets\": [ { \"name\": \"pub\", \"type\": \"PUB\", \"sndhwm\": 0, \"binds\": [\"inproc://flood\"] } ] }," \
  "  { \"name\": \"sub\", \"role\": \"subscriber\", \"x\": 520, \"y\": 120, \"work-ms\": 10," \
  "    \"sockets\": [ { \"name\": \"sub\", \"type\": \"SUB\", \"rcvhwm\": 0, \"subscribe\": [\"\"]," \
  "                     \"connects\": [\"inproc://flood\"] } ] }" \
  "] }"

/* `call` (a fault or a live change) refused by the engine, with a reason;
 * `error` cleared for the next. A macro: a failure names the call. */
#define ZS_TEST_ASSERT_REFUSED(call, error) \
  G_STMT_START { \
    g_assert_false (call); \
    g_assert_error (*(error), ZS_ENGINE_ERROR, ZS_ENGINE_ERROR_FAULT); \
    g_clear_error (error); \
  } G_STMT_END

/* A new engine running `t`; the test fails if it cannot start. */
static inline ZsEngine *
zs_test_start_engine (ZsTopology *t)
{
  ZsEngine *engine = zs_engine_new (t);
  g_autoptr(GError) error = NULL;

  g_assert_true (zs_engine_start (engine, &error));
  g_assert_no_error (error);
  return engine;
}

/* How long a test waits for a figure it expects before it fails. */
#define ZS_TEST_DEADLINE_MS 10000

typedef gboolean (*ZsTestSnapshotCheck) (const ZsSnapshot *s,
                                         gpointer          data);

/* Takes the engine's snapshots into `s` until `check` holds (TRUE) or
 * ZS_TEST_DEADLINE_MS pass (FALSE). */
static inline gboolean
zs_test_wait_snapshot (ZsEngine            *engine,
                       ZsSnapshot          *s,
                       ZsTestSnapshotCheck  check,
                       gpointer             data)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) ZS_TEST_DEADLINE_MS * 1000;

  for (;;)
    {
      zs_engine_snapshot_into (engine, s);
      if (check (s, data))
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_usleep (2000);
    }
}

/* What a check waits for: link (or node) `index`, a count of at least. */
typedef struct {
  guint   index;
  guint64 at_least;
} ZsTestWant;

static inline gboolean
zs_test_link_received (const ZsSnapshot *s,
                       gpointer          data)
{
  ZsTestWant *w = data;
  return s->links[w->index].received >= w->at_least;
}

/* Connected now, after at least `at_least` connections. */
static inline gboolean
zs_test_link_connected (const ZsSnapshot *s,
                        gpointer          data)
{
  ZsTestWant *w = data;
  return s->links[w->index].connects >= w->at_least && s->links[w->index].state == ZS_LINK_STATE_CONNECTED;
}

/* A tcp port free on the loopback address now, picked by the system: the
 * endpoints a test writes never carry a fixed port. */
static inline guint16
zs_test_free_tcp_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, FALSE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* Moves a topology's tcp ports to ports free now: tests never depend on
 * what else holds the ports written in a file or a test. */
static inline void
zs_test_use_free_ports (ZsTopology *topology)
{
  g_autoptr(GError) error = NULL;

  zs_topology_remap_tcp_ports (topology, &error);
  g_assert_no_error (error);
}

/* A bundled example, on free ports. */
static inline ZsTopology *
zs_test_load_example (const char *file)
{
  const char *dir = g_getenv ("ZS_EXAMPLES_DIR");
  g_autofree char *path = g_build_filename (dir ? dir : "data/examples", file, NULL);
  g_autoptr(GError) error = NULL;
  ZsTopology *topology = zs_topology_load_from_file (path, &error);

  g_assert_no_error (error);
  zs_test_use_free_ports (topology);
  return topology;
}

static inline int
zs_test_node_index (ZsTopology *topology,
                    const char *name)
{
  ZsNode *node = zs_topology_find_node (topology, name);

  g_assert_nonnull (node);
  return zs_topology_find_node_index (topology, node);
}

/* The link between two nodes, whichever binds. */
static inline guint
zs_test_find_link (ZsTopology *topology,
                   const char *from,
                   const char *to)
{
  GPtrArray *links = zs_topology_get_links (topology);
  int a = zs_test_node_index (topology, from), b = zs_test_node_index (topology, to);

  for (guint l = 0; l < links->len; l++)
    {
      ZsLink *link = g_ptr_array_index (links, l);

      if ((link->connect_node == (guint) a && link->bind_node == (guint) b)
          || (link->connect_node == (guint) b && link->bind_node == (guint) a))
        return l;
    }
  g_assert_not_reached ();
}

/* A fault script line the parser must refuse, and the start of its message. */
typedef struct {
  const char *text;
  const char *error;
} ZsTestBadScript;

/* Each of `bad` refused at its line and column, saying why. */
static inline void
zs_test_assert_scripts_refused (ZsTopology            *topology,
                                const ZsTestBadScript *bad,
                                guint                  n_bad)
{
  for (guint i = 0; i < n_bad; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(ZsFaultScript) script = zs_fault_script_parse (bad[i].text, topology, &error);

      g_assert_null (script);
      g_assert_error (error, ZS_FAULT_SCRIPT_ERROR, ZS_FAULT_SCRIPT_ERROR_SYNTAX);
      if (!g_str_has_prefix (error->message, bad[i].error))
        g_error ("“%s”: got “%s”, expected “%s…”", bad[i].text, error->message, bad[i].error);
    }
}
