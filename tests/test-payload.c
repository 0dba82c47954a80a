/* test-payload.c: frame templates
 * SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "zs-payload.h"
#include "zs-trace.h"

static char *
render (ZsPayload *payload,
        guint      frame,
        guint64    seq)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();

  zs_payload_render (payload, frame, seq, out);
  return g_strndup ((const char *) out->data, out->len);
}

static void
test_constant (void)
{
  const char *frames[] = { "Hello", "{{literal}}", NULL };
  g_autoptr(ZsPayload) p = zs_payload_new (frames, "n", 1, NULL);
  g_autofree char *braces = NULL;
  gsize size = 0;

  g_assert_cmpuint (zs_payload_get_n_frames (p), ==, 2);
  g_assert_cmpmem (zs_payload_get_constant (p, 0, &size), size, "Hello", 5);
  braces = render (p, 1, 1);
  g_assert_cmpstr (braces, ==, "{literal}");
}

static void
test_placeholders (void)
{
  const char *frames[] = { "{node}#{seq}", "{cycle:A|B|C}", "{size:4}", NULL };
  g_autoptr(ZsPayload) p = zs_payload_new (frames, "pub", 1, NULL);
  g_autofree char *first = render (p, 0, 42);
  g_autofree char *c1 = render (p, 1, 1);
  g_autofree char *c4 = render (p, 1, 4);
  g_autofree char *c3 = render (p, 1, 3);
  g_autofree char *fill = render (p, 2, 1);

  g_assert_null (zs_payload_get_constant (p, 0, &(gsize) { 0 }));
  g_assert_cmpstr (first, ==, "pub#42");
  g_assert_cmpstr (c1, ==, "A");
  g_assert_cmpstr (c3, ==, "C");
  g_assert_cmpstr (c4, ==, "A");
  g_assert_cmpstr (fill, ==, "xxxx");
}

static void
test_random (void)
{
  const char *frames[] = { "{rand:0:99999:5} {rand:-80:134}", NULL };
  g_autoptr(ZsPayload) a = zs_payload_new (frames, NULL, 7, NULL);
  g_autoptr(ZsPayload) b = zs_payload_new (frames, NULL, 7, NULL);

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *x = render (a, 0, i + 1);
      g_autofree char *y = render (b, 0, i + 1);
      g_auto(GStrv) fields = g_strsplit (x, " ", 2);
      int temp = atoi (fields[1]);

      /* Same seed, same stream; zero-padded to 5 digits; within range. */
      g_assert_cmpstr (x, ==, y);
      g_assert_cmpuint (strlen (fields[0]), ==, 5);
      g_assert_cmpint (temp, >=, -80);
      g_assert_cmpint (temp, <=, 134);
    }
}

/* {rand:INT64_MIN:INT64_MAX} spans 2^64 values: no overflow, both signs. */
static void
test_random_full_range (void)
{
  const char *frames[] = { "{rand:-9223372036854775808:9223372036854775807}", NULL };
  g_autoptr(ZsPayload) p = zs_payload_new (frames, NULL, 7, NULL);
  guint negative = 0, positive = 0;

  g_assert_nonnull (p);
  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *x = render (p, 0, i + 1);

      if (x[0] == '-')
        negative++;
      else
        positive++;
    }
  g_assert_cmpuint (negative, >, 0);
  g_assert_cmpuint (positive, >, 0);
}

static void
test_errors (void)
{
  const char *bad[] = { "{unknown}", "{rand:9:1}", "{rand:a:b}", "open {", "{size:-1}", "{cycle:}",
                        "{}", "x {} y", "{:}", "{rand:0:99999999999999999999}", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *frames[] = { bad[i], NULL };
      g_autoptr(ZsPayload) p = zs_payload_new (frames, NULL, 0, &error);

      g_assert_null (p);
      g_assert_error (error, ZS_PAYLOAD_ERROR, 0);
      g_assert_false (zs_payload_check (bad[i], NULL));
    }
  g_assert_true (zs_payload_check ("{seq} ok {{", NULL));
}

static void
test_trace_round_trip (void)
{
  guint8 frame[4 + ZS_TRACE_SIZE] = "abcd";
  const guint64 tag = G_GUINT64_CONSTANT (0xfedcba9876543210);
  ZsTrace in = { ZS_TRACE_SEQ_MAX - 1, 65535, tag, ZS_TRACE_FLAG_LINK_SEQ };
  ZsTrace out = { 0 };

  zs_trace_write (frame + 4, &in);
  g_assert_true (zs_trace_read (frame, sizeof frame, tag, &out));
  g_assert_cmpuint (out.seq, ==, in.seq);
  g_assert_cmpuint (out.origin, ==, 65535);
  g_assert_cmpuint (out.flags, ==, ZS_TRACE_FLAG_LINK_SEQ);
  g_assert_cmpuint (out.run_tag, ==, tag);
  /* Another run's tag (even one bit off, in any of its 64), a short frame,
   * or plain bytes are not trailers. */
  for (guint bit = 0; bit < 64; bit++)
    g_assert_false (zs_trace_read (frame, sizeof frame, tag ^ (G_GUINT64_CONSTANT (1) << bit), &out));
  g_assert_false (zs_trace_read (frame, ZS_TRACE_SIZE - 1, tag, &out));
  g_assert_false (zs_trace_read ((const guint8 *) "0123456789abcdefghij", 20, tag, &out));
  /* Run tags are random and never 0. */
  g_assert_cmpuint (zs_trace_new_run_tag (), !=, zs_trace_new_run_tag ());
}

/* Another zmqscope run's trailer is told apart from an outside program's
 * bytes: same magic, another tag. */
static void
test_trace_foreign (void)
{
  guint8 frame[4 + ZS_TRACE_SIZE] = "abcd";
  guint64 ours = zs_trace_new_run_tag ();
  ZsTrace theirs = { 42, 3, zs_trace_new_run_tag (), 0 };

  zs_trace_write (frame + 4, &theirs);
  g_assert_true (zs_trace_is_foreign (frame, sizeof frame, ours));
  g_assert_false (zs_trace_is_foreign (frame, sizeof frame, theirs.run_tag));
  g_assert_false (zs_trace_is_foreign (frame, ZS_TRACE_SIZE - 1, ours));
  g_assert_false (zs_trace_is_foreign ((const guint8 *) "Update 42 with some text", 24, ours));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/zmqscope/payload/constant", test_constant);
  g_test_add_func ("/zmqscope/payload/placeholders", test_placeholders);
  g_test_add_func ("/zmqscope/payload/random", test_random);
  g_test_add_func ("/zmqscope/payload/random-full-range", test_random_full_range);
  g_test_add_func ("/zmqscope/payload/errors", test_errors);
  g_test_add_func ("/zmqscope/payload/trace-foreign", test_trace_foreign);
  g_test_add_func ("/zmqscope/payload/trace-round-trip", test_trace_round_trip);
  return g_test_run ();
}
