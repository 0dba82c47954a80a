/* fuzz-topology-file.c: libFuzzer target for load -> validate -> save -> reload
 *
 * Whatever the loader accepts must validate without a crash and save to a
 * file that loads again and saves to the same bytes: anything else aborts,
 * so the fuzzer reports it with the input that did it.
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "zs-topology-file.h"
#include "zs-validator.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  /* A GLib warning or critical is a bug the fuzzer should report. */
  g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL);
  return 0;
}

static void G_GNUC_NORETURN
round_trip_failed (const char *what,
                   const char *first,
                   const char *second)
{
  fprintf (stderr, "round trip: %s\n--- first save ---\n%s\n--- second ---\n%s\n", what, first, second);
  abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(ZsTopology) topology = NULL;
  g_autoptr(ZsTopology) reloaded = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GPtrArray) findings_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *saved = NULL;
  g_autofree char *saved_again = NULL;
  gsize length, length_again;

  if (size > G_MAXSSIZE)
    return 0;
  topology = zs_topology_load_from_data ((const char *) data, (gssize) size, NULL);
  if (topology == NULL)
    return 0;
  findings = zs_validate (topology);

  saved = zs_topology_save_to_data (topology, &length);
  reloaded = zs_topology_load_from_data (saved, (gssize) length, &error);
  if (reloaded == NULL)
    round_trip_failed (error->message, saved, "");
  saved_again = zs_topology_save_to_data (reloaded, &length_again);
  if (length != length_again || memcmp (saved, saved_again, length) != 0)
    round_trip_failed ("the reloaded topology saves differently", saved, saved_again);
  findings_again = zs_validate (reloaded);
  if (findings->len != findings_again->len)
    round_trip_failed ("the reloaded topology validates differently", saved, saved_again);
  return 0;
}
