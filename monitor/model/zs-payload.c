/* zs-payload.c
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-payload"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "zs-payload.h"

G_DEFINE_QUARK (zs-payload-error-quark, zs_payload_error)

typedef enum {
  PART_TEXT,
  PART_SEQ,
  PART_RAND,
  PART_CYCLE,
  PART_FILL,
} PartKind;

typedef struct {
  PartKind   kind;
  GString   *text;     /* PART_TEXT */
  gint64     lo, hi;   /* PART_RAND */
  int        width;    /* PART_RAND zero padding */
  GStrv      choices;  /* PART_CYCLE */
  gsize      fill;     /* PART_FILL */
} Part;

typedef struct {
  GArray     *parts;   /* of Part */
  GByteArray *constant;
} Frame;

struct _ZsPayload {
  GArray  *frames;     /* of Frame */
  GRand   *rand;       /* made at the first {rand}: seeding from /dev/urandom
                        * costs every node's start (issue #14) */
  guint32  seed;
};

#define MAX_FILL (64 * 1024 * 1024)

static void
part_clear (Part *part)
{
  if (part->text != NULL)
    g_string_free (part->text, TRUE);
  g_strfreev (part->choices);
}

static void
frame_clear (Frame *frame)
{
  g_clear_pointer (&frame->parts, g_array_unref);
  g_clear_pointer (&frame->constant, g_byte_array_unref);
}

static gboolean
parse_int (const char *text,
           gint64     *value)
{
  return text != NULL && g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, value, NULL);
}

static gboolean
parse_rand (char  **args,
            Part   *part)
{
  gint64 width = 0;
  guint n = g_strv_length (args);

  if (n < 3 || n > 4 || !parse_int (args[1], &part->lo) || !parse_int (args[2], &part->hi))
    return FALSE;
  if (n == 4 && (!parse_int (args[3], &width) || width < 0 || width > 32))
    return FALSE;
  part->width = (int) width;
  return part->lo <= part->hi;
}

/* Parses the inside of one {placeholder} into `part`. */
static gboolean
parse_placeholder (const char  *inside,
                   const char  *node_name,
                   Part        *part,
                   GError     **error)
{
  g_auto(GStrv) args = g_strsplit (inside, ":", 4);
  gint64 fill;

  if (g_str_equal (inside, "seq"))
    part->kind = PART_SEQ;
  else if (g_str_equal (inside, "node"))
    {
      part->kind = PART_TEXT;
      part->text = g_string_new (node_name ? node_name : "");
    }
  else if (g_strcmp0 (args[0], "rand") == 0 && parse_rand (args, part))
    part->kind = PART_RAND;
  else if (g_str_has_prefix (inside, "cycle:") && inside[6] != '\0')
    {
      part->kind = PART_CYCLE;
      part->choices = g_strsplit (inside + 6, "|", -1);
    }
  else if (g_strcmp0 (args[0], "size") == 0 && args[1] != NULL && args[2] == NULL
           && parse_int (args[1], &fill) && fill >= 0 && fill <= MAX_FILL)
    {
      part->kind = PART_FILL;
      part->fill = (gsize) fill;
    }
  else
    {
      g_set_error (error, ZS_PAYLOAD_ERROR, 0,
                   _("Unknown placeholder “{%s}”: use {seq}, {node}, {rand:LO:HI}, "
                     "{rand:LO:HI:WIDTH}, {cycle:A|B}, {size:N}, or {{ for a brace"),
                   inside);
      return FALSE;
    }
  return TRUE;
}

static void
append_text (GArray     *parts,
             const char *text,
             gsize       len)
{
  Part *last = parts->len ? &g_array_index (parts, Part, parts->len - 1) : NULL;

  if (last == NULL || last->kind != PART_TEXT)
    {
      Part part = { PART_TEXT, g_string_new (NULL) };
      g_array_append_val (parts, part);
      last = &g_array_index (parts, Part, parts->len - 1);
    }
  g_string_append_len (last->text, text, len);
}

static GArray *
parse_template (const char  *text,
                const char  *node_name,
                GError     **error)
{
  g_autoptr(GArray) parts = g_array_new (FALSE, TRUE, sizeof (Part));
  const char *p = text;

  g_array_set_clear_func (parts, (GDestroyNotify) part_clear);
  while (*p != '\0')
    {
      const char *close;
      g_autofree char *inside = NULL;
      Part part = { 0 };

      if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}'))
        {
          append_text (parts, p, 1);
          p += 2;
          continue;
        }
      if (*p != '{')
        {
          append_text (parts, p, 1);
          p++;
          continue;
        }
      close = strchr (p, '}');
      if (close == NULL)
        {
          g_set_error (error, ZS_PAYLOAD_ERROR, 0,
                       _("Unclosed “{” in “%s”: close it with “}” or write “{{” for a brace"), text);
          return NULL;
        }
      inside = g_strndup (p + 1, close - p - 1);
      if (!parse_placeholder (inside, node_name, &part, error))
        return NULL;
      if (part.kind == PART_TEXT)
        {
          append_text (parts, part.text->str, part.text->len);
          part_clear (&part);
        }
      else
        g_array_append_val (parts, part);
      p = close + 1;
    }
  return g_steal_pointer (&parts);
}

gboolean
zs_payload_check (const char  *template_text,
                  GError     **error)
{
  g_autoptr(GArray) parts = NULL;

  g_return_val_if_fail (template_text != NULL, FALSE);

  parts = parse_template (template_text, NULL, error);
  return parts != NULL;
}

ZsPayload *
zs_payload_new (const char * const  *frames,
                const char          *node_name,
                guint32              seed,
                GError             **error)
{
  g_autoptr(ZsPayload) self = g_new0 (ZsPayload, 1);

  self->frames = g_array_new (FALSE, TRUE, sizeof (Frame));
  g_array_set_clear_func (self->frames, (GDestroyNotify) frame_clear);
  self->seed = seed;

  for (guint i = 0; frames != NULL && frames[i] != NULL; i++)
    {
      Frame frame = { parse_template (frames[i], node_name, error), NULL };

      if (frame.parts == NULL)
        return NULL;
      if (frame.parts->len == 0 || (frame.parts->len == 1
                                    && g_array_index (frame.parts, Part, 0).kind == PART_TEXT))
        {
          frame.constant = g_byte_array_new ();
          if (frame.parts->len == 1)
            {
              GString *s = g_array_index (frame.parts, Part, 0).text;
              g_byte_array_append (frame.constant, (const guint8 *) s->str, s->len);
            }
        }
      g_array_append_val (self->frames, frame);
    }
  return g_steal_pointer (&self);
}

void
zs_payload_free (ZsPayload *payload)
{
  if (payload == NULL)
    return;
  g_clear_pointer (&payload->frames, g_array_unref);
  g_clear_pointer (&payload->rand, g_rand_free);
  g_free (payload);
}

guint
zs_payload_get_n_frames (ZsPayload *payload)
{
  g_return_val_if_fail (payload != NULL, 0);
  return payload->frames->len;
}

const guint8 *
zs_payload_get_constant (ZsPayload *payload,
                         guint      index,
                         gsize     *size)
{
  Frame *frame;

  g_return_val_if_fail (payload != NULL && index < payload->frames->len, NULL);

  frame = &g_array_index (payload->frames, Frame, index);
  if (frame->constant == NULL)
    return NULL;
  *size = frame->constant->len;
  return frame->constant->data;
}

static void
append_printf (GByteArray *out,
               const char *format,
               ...) G_GNUC_PRINTF (2, 3);

static void
append_printf (GByteArray *out,
               const char *format,
               ...)
{
  char buf[64];
  va_list args;
  int n;

  va_start (args, format);
  n = g_vsnprintf (buf, sizeof buf, format, args);
  va_end (args);
  g_byte_array_append (out, (const guint8 *) buf, MIN (n, (int) sizeof buf - 1));
}

static void
render_part (ZsPayload  *self,
             const Part *part,
             guint64     seq,
             GByteArray *out)
{
  switch (part->kind)
    {
    case PART_TEXT:
      g_byte_array_append (out, (const guint8 *) part->text->str, part->text->len);
      break;
    case PART_SEQ:
      append_printf (out, "%" G_GUINT64_FORMAT, seq);
      break;
    case PART_RAND:
      {
        /* In unsigned arithmetic: {rand:INT64_MIN:INT64_MAX} spans 2^64 values. */
        guint64 span = (guint64) part->hi - (guint64) part->lo;
        guint64 offset;

        if (self->rand == NULL)
          self->rand = self->seed ? g_rand_new_with_seed (self->seed) : g_rand_new ();
        offset = (guint64) (g_rand_double (self->rand) * ((double) span + 1.0));

        append_printf (out, "%0*" G_GINT64_FORMAT, part->width,
                       (gint64) ((guint64) part->lo + MIN (offset, span)));
      }
      break;
    case PART_CYCLE:
      {
        const char *choice = part->choices[(seq - 1) % g_strv_length (part->choices)];
        g_byte_array_append (out, (const guint8 *) choice, strlen (choice));
      }
      break;
    case PART_FILL:
      {
        guint old = out->len;
        g_byte_array_set_size (out, old + part->fill);
        memset (out->data + old, 'x', part->fill);
      }
      break;
    default:
      g_assert_not_reached ();
    }
}

void
zs_payload_render (ZsPayload  *payload,
                   guint       index,
                   guint64     seq,
                   GByteArray *out)
{
  Frame *frame;

  g_return_if_fail (payload != NULL && index < payload->frames->len);

  frame = &g_array_index (payload->frames, Frame, index);
  g_byte_array_set_size (out, 0);
  for (guint i = 0; i < frame->parts->len; i++)
    render_part (payload, &g_array_index (frame->parts, Part, i), seq, out);
}
