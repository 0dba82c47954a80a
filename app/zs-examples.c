/* zs-examples.c: the lessons, in the order of the guide
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-examples"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "zs-dirs.h"
#include "zs-examples.h"

/* One row per file of data/examples/, in lesson order. The title and the
 * description are the file's own, repeated here so that xgettext sees
 * them: the window shows them translated. test-window checks that they
 * match the files. */
static const struct {
  const char *file_name;
  const char *title;
  const char *description;
} lessons[] = {
  { "1-hello-world.json",
    N_("Hello World (request–reply)"),
    N_("hwserver and hwclient: a REQ client sends “Hello” 10 times; the REP server works 1 s and answers “World”.") },
  { "2-weather-updates.json",
    N_("Weather updates (publish–subscribe)"),
    N_("wuserver publishes “zipcode temperature humidity” on tcp and ipc; each wuclient subscribes to one zipcode and averages 100 updates. Zipcodes are drawn from 10000–10099 (the seed draws from all 100,000, which takes 100× longer).") },
  { "3-parallel-pipeline.json",
    N_("Parallel pipeline (push–pull)"),
    N_("taskvent pushes 100 tasks of 1–100 ms to the workers, which sleep that long and push a result to tasksink, which times the batch. Add or remove workers to see the speed-up.") },
  { "4-forwarder-proxy.json",
    N_("Forwarder proxy (wuproxy)"),
    N_("A proxy bridges two networks: its SUB connects to the inner publisher and subscribes to everything, its PUB binds on the outer side. Each update is three frames (zipcode, temperature, humidity), forwarded whole.") },
  { "5-request-reply-broker.json",
    N_("Request–reply broker (rrbroker)"),
    N_("REQ clients talk to a ROUTER frontend; a DEALER backend spreads the requests over REP workers. Add clients or workers: nothing else changes.") },
  { "6-relay-race.json",
    N_("Relay race (mtrelay)"),
    N_("Three threads pass a signal step1 → step2 → step3 over inproc PAIR sockets. PAIR is exclusive and does not reconnect: the right tool for coordinating threads.") },
  { "7-multithreaded-server.json",
    N_("Multithreaded server (mtserver)"),
    N_("A ROUTER on tcp and a DEALER on inproc://workers with a queue between them; five REP worker threads answer. A client sends 10 requests.") },
  { "8-synchronized-pubsub.json",
    N_("Synchronised publish–subscribe (syncpub)"),
    N_("The publisher waits until 10 subscribers have checked in over REQ–REP, then sends 1,000,000 updates and “END”: no slow joiner loses anything. The publisher’s send HWM is 1,100,000, as in the guide’s syncpub.c for libzmq 3 and later: more than the updates, so none is dropped, and still a limit (HWM 0, unlimited, as in the libzmq 2 the seed used, would let a stalled subscriber grow memory without bound).") },
  { "9-envelopes.json",
    N_("Pub–sub envelopes (psenvpub)"),
    N_("Each message has three frames: a key (“A” or “B”) the subscriber filters on, the sender's name, and the contents. The subscriber asks for “B” only.") },
  { "10-durable-subscriber.json",
    N_("Durable subscriber (durapub, durasub)"),
    N_("A subscriber with routing id “Hello” receives update 1, goes offline 1.5 s while updates 2–11 are sent, and comes back. Top: the PUB binds, nothing is kept (0 of 10). Bottom: the PUB connects with SNDHWM 2: its pipe survives and keeps 2 of 10; 8 are dropped. Who connects decides who queues.") },
};

void
zs_example_free (ZsExample *example)
{
  if (example == NULL)
    return;

  g_free (example->file_name);
  g_free (example->path);
  g_free (example);
}

const char *
zs_examples_get_dir (void)
{
  const char *dir = g_getenv ("ZS_EXAMPLES_DIR");

  if (dir != NULL && *dir != '\0')
    return dir;

  return zs_dirs_is_uninstalled () ? SOURCE_EXAMPLES_DIR : EXAMPLES_DIR;
}

char *
zs_examples_build_path (const char *file_name)
{
  g_return_val_if_fail (file_name != NULL, NULL);

  if (*file_name == '\0' || strchr (file_name, G_DIR_SEPARATOR) != NULL ||
      g_str_equal (file_name, "..") || g_str_equal (file_name, "."))
    return NULL;

  return g_build_filename (zs_examples_get_dir (), file_name, NULL);
}

const char *
zs_examples_translate_title (const char *title)
{
  g_return_val_if_fail (title != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (lessons); i++)
    if (g_str_equal (title, lessons[i].title))
      return _(lessons[i].title);
  return title;
}

GPtrArray *
zs_examples_list (void)
{
  GPtrArray *examples = g_ptr_array_new_with_free_func ((GDestroyNotify) zs_example_free);

  for (guint i = 0; i < G_N_ELEMENTS (lessons); i++)
    {
      g_autofree char *path = zs_examples_build_path (lessons[i].file_name);
      ZsExample *example;

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        continue;

      example = g_new0 (ZsExample, 1);
      example->number = i + 1;
      example->file_name = g_strdup (lessons[i].file_name);
      example->path = g_steal_pointer (&path);
      example->title = _(lessons[i].title);
      example->description = _(lessons[i].description);
      g_ptr_array_add (examples, example);
    }

  return examples;
}
