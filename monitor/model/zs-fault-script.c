/* zs-fault-script.c: parses fault scripts (docs/fault-script.md)
 * SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "zs-fault-script"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "zs-fault-script.h"

/* The latest moment a step may name: 30 days, as `run --seconds`. */
#define MAX_AT_S (30.0 * 24 * 3600)

struct _ZsFaultScript {
  GArray *steps;   /* ZsFaultStep */
};

G_DEFINE_QUARK (zs-fault-script-error-quark, zs_fault_script_error)

static const char * const kind_words[] = {
  [ZS_FAULT_KILL] = "kill",
  [ZS_FAULT_RESTART] = "restart",
  [ZS_FAULT_PAUSE] = "pause",
  [ZS_FAULT_RESUME] = "resume",
  [ZS_FAULT_SLOW] = "slow",
  [ZS_FAULT_CUT] = "cut",
  [ZS_FAULT_RESTORE] = "restore",
  [ZS_FAULT_DELAY] = "delay",
  [ZS_FAULT_LOSS] = "loss",
  [ZS_FAULT_FLIP] = "flip",
  [ZS_FAULT_TRANSPORT] = "transport",
  [ZS_FAULT_HWM] = "hwm",
};

static gboolean
is_link_fault (ZsFaultKind kind)
{
  return kind == ZS_FAULT_CUT || kind == ZS_FAULT_RESTORE || kind == ZS_FAULT_DELAY || kind == ZS_FAULT_LOSS
         || kind == ZS_FAULT_FLIP || kind == ZS_FAULT_TRANSPORT;
}

/* One word of a step, where it starts. */
typedef struct {
  char  *text;
  guint  column;   /* 1-based, in characters */
} Word;

typedef struct {
  ZsTopology *topology;
  gboolean    timed;     /* "at TIME" first (a script), or the fault alone */
  guint       line;
  GArray     *words;   /* Word */
  guint       next;
  guint       end_column;  /* just past the step, for "missing …" */
} Step;

static gboolean G_GNUC_PRINTF (4, 5)
fail_at (GError    **error,
         guint       line,
         guint       column,
         const char *format,
         ...)
{
  g_autofree char *why = NULL;
  va_list args;

  va_start (args, format);
  why = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, ZS_FAULT_SCRIPT_ERROR, ZS_FAULT_SCRIPT_ERROR_SYNTAX, "%u:%u: %s", line, column, why);
  return FALSE;
}

/* The next word, or NULL with an error saying what was `expected`. */
static Word *
take_word (Step        *step,
           const char  *expected,
           GError     **error)
{
  if (step->next < step->words->len)
    return &g_array_index (step->words, Word, step->next++);
  fail_at (error, step->line, step->end_column, _("missing %s"), expected);
  return NULL;
}

/* A number of seconds, with its unit attached ("2s", "500ms") or next. */
static gboolean
parse_time (Step     *step,
            gint64   *at_us,
            GError  **error)
{
  Word *w = take_word (step, _("a time (as in “at 2 s”)"), error);
  const char *unit;
  char *end;
  double value;

  if (w == NULL)
    return FALSE;
  value = g_ascii_strtod (w->text, &end);
  if (end == w->text || !g_ascii_isdigit (w->text[0]) || !isfinite (value))
    return fail_at (error, step->line, w->column, _("“%s” is not a time: write seconds, as in “at 2 s”"), w->text);
  unit = end;
  if (*unit == '\0')
    {
      Word *u = take_word (step, _("a unit (s or ms)"), error);
      if (u == NULL)
        return FALSE;
      unit = u->text;
      if (!g_str_equal (unit, "s") && !g_str_equal (unit, "ms"))
        return fail_at (error, step->line, u->column, _("unknown unit “%s”: write s or ms"), unit);
    }
  else if (!g_str_equal (unit, "s") && !g_str_equal (unit, "ms"))
    return fail_at (error, step->line, w->column + (guint) g_utf8_strlen (w->text, end - w->text),
                    _("unknown unit “%s”: write s or ms"), unit);
  if (g_str_equal (unit, "ms"))
    value /= 1000;
  if (value < 0 || value > MAX_AT_S)
    return fail_at (error, step->line, w->column, _("the time must be from 0 to 30 days"));
  *at_us = llround (value * G_USEC_PER_SEC);
  return TRUE;
}

static gboolean
parse_node (Step         *step,
            ZsFaultStep  *out,
            GError      **error)
{
  Word *w = take_word (step, _("a node's name"), error);
  ZsNode *node;

  if (w == NULL)
    return FALSE;
  node = zs_topology_find_node (step->topology, w->text);
  if (node == NULL)
    return fail_at (error, step->line, w->column, _("there is no node “%s”"), w->text);
  out->target = (guint) zs_topology_find_node_index (step->topology, node);
  return TRUE;
}

static gboolean
parse_factor (Step         *step,
              ZsFaultStep  *out,
              GError      **error)
{
  Word *w = take_word (step, _("a factor (as in “slow worker-1 x4”)"), error);
  const char *text;
  char *end;

  if (w == NULL)
    return FALSE;
  text = w->text;
  if (*text == 'x')
    text++;
  else if (g_str_has_prefix (text, "×"))
    text += strlen ("×");
  out->factor = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !g_ascii_isdigit (*text) || !(out->factor >= 0.001 && out->factor <= 1000))
    return fail_at (error, step->line, w->column, _("“%s” is not a factor from 0.001 to 1000 (as in x4)"), w->text);
  return TRUE;
}

/* A link's end: NODE, or NODE.SOCKET (a node's own name may hold dots). */
typedef struct {
  int node;
  int socket;   /* -1: any of the node's */
} End;

static gboolean
parse_end (Step        *step,
           Word        *w,
           End         *end,
           GError     **error)
{
  ZsNode *node = zs_topology_find_node (step->topology, w->text);
  const char *dot = strrchr (w->text, '.');
  g_autofree char *name = NULL;

  end->socket = -1;
  if (node == NULL && dot != NULL)
    {
      name = g_strndup (w->text, dot - w->text);
      node = zs_topology_find_node (step->topology, name);
      if (node != NULL)
        {
          end->socket = zs_node_find_socket_index (node, dot + 1);
          if (end->socket < 0)
            return fail_at (error, step->line, w->column, _("node “%s” has no socket “%s”"), name, dot + 1);
        }
    }
  if (node == NULL)
    return fail_at (error, step->line, w->column, _("there is no node “%s”"), w->text);
  end->node = zs_topology_find_node_index (step->topology, node);
  return TRUE;
}

static gboolean
end_is (const End *end,
        guint      node,
        guint      socket)
{
  return (guint) end->node == node && (end->socket < 0 || (guint) end->socket == socket);
}

/* END -> END (or <-, or --): the one link joining them, either way round. */
static gboolean
parse_link (Step         *step,
            ZsFaultStep  *out,
            GError      **error)
{
  Word *a = take_word (step, _("a link (as in “ventilator.tasks -> worker-1”)"), error);
  Word *arrow = a ? take_word (step, _("an arrow (->) and the link's other end"), error) : NULL;
  Word *b = arrow ? take_word (step, _("the link's other end"), error) : NULL;
  GPtrArray *links = zs_topology_get_links (step->topology);
  End ea, eb;
  guint found = 0;

  if (b == NULL)
    return FALSE;
  if (!g_str_equal (arrow->text, "->") && !g_str_equal (arrow->text, "<-") && !g_str_equal (arrow->text, "--"))
    return fail_at (error, step->line, arrow->column, _("expected an arrow (->) between the link's ends, not “%s”"),
                    arrow->text);
  if (!parse_end (step, a, &ea, error) || !parse_end (step, b, &eb, error))
    return FALSE;
  for (guint l = 0; l < links->len; l++)
    {
      ZsLink *link = g_ptr_array_index (links, l);

      if ((end_is (&ea, link->connect_node, link->connect_socket) && end_is (&eb, link->bind_node, link->bind_socket))
          || (end_is (&eb, link->connect_node, link->connect_socket)
              && end_is (&ea, link->bind_node, link->bind_socket)))
        {
          out->target = l;
          found++;
        }
    }
  if (found == 0)
    return fail_at (error, step->line, a->column, _("no link joins %s and %s"), a->text, b->text);
  if (found > 1)
    return fail_at (error, step->line, a->column,
                    _("%u links join %s and %s: name the sockets (NODE.SOCKET)"), found, a->text, b->text);
  return TRUE;
}

/* A delay ("200 ms", "1.5s") or a loss ("10 %", "10%"): the number, its
 * unit attached or next. */
static gboolean
parse_amount (Step         *step,
              ZsFaultStep  *out,
              GError      **error)
{
  gboolean delay = out->kind == ZS_FAULT_DELAY;
  Word *w = take_word (step, delay ? _("a delay (as in “200 ms”)") : _("a loss (as in “10 %”)"), error);
  const char *unit;
  char *end;

  if (w == NULL)
    return FALSE;
  out->factor = g_ascii_strtod (w->text, &end);
  if (end == w->text || !g_ascii_isdigit (w->text[0]) || !isfinite (out->factor))
    return fail_at (error, step->line, w->column, delay ? _("“%s” is not a delay: write it as in “200 ms”")
                                                        : _("“%s” is not a loss: write it as in “10 %%”"), w->text);
  unit = end;
  if (*unit == '\0')
    {
      Word *u = take_word (step, delay ? _("a unit (ms or s)") : _("a percent sign (%)"), error);
      if (u == NULL)
        return FALSE;
      unit = u->text;
    }
  if (delay && g_str_equal (unit, "s"))
    out->factor *= 1000;
  else if (delay ? !g_str_equal (unit, "ms") : !g_str_equal (unit, "%"))
    return fail_at (error, step->line, w->column, delay ? _("unknown unit “%s”: write ms or s")
                                                        : _("unknown unit “%s”: write %%"), unit);
  if (delay && !(out->factor >= 0 && out->factor <= 60000))
    return fail_at (error, step->line, w->column, _("the delay must be from 0 to 60 s"));
  if (!delay && !(out->factor >= 0 && out->factor <= 100))
    return fail_at (error, step->line, w->column, _("the loss must be from 0 to 100 %%"));
  return TRUE;
}

/* inproc, ipc or tcp: what a link can move to during a run. */
static gboolean
parse_transport (Step         *step,
                 ZsFaultStep  *out,
                 GError      **error)
{
  static const char * const names[] = { "inproc", "ipc", "tcp" };
  static const ZsTransport transports[] = { ZS_TRANSPORT_INPROC, ZS_TRANSPORT_IPC, ZS_TRANSPORT_TCP };
  Word *w = take_word (step, _("a transport: inproc, ipc or tcp"), error);

  if (w == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (w->text, names[i]))
      {
        out->value = (int) transports[i];
        return TRUE;
      }
  return fail_at (error, step->line, w->column, _("unknown transport “%s”: expected inproc, ipc or tcp"), w->text);
}

/* NODE.SOCKET (or NODE, when it has one socket) snd|rcv N. */
static gboolean
parse_hwm (Step         *step,
           ZsFaultStep  *out,
           GError      **error)
{
  Word *w = take_word (step, _("a socket (as in “hwm publisher.pub snd 10”)"), error);
  Word *which = w ? take_word (step, _("snd or rcv"), error) : NULL;
  Word *value = which ? take_word (step, _("an HWM (messages, 0 = no limit)"), error) : NULL;
  End end;
  char *stop;
  guint64 hwm;

  if (value == NULL || !parse_end (step, w, &end, error))
    return FALSE;
  if (end.socket < 0 && zs_node_get_n_sockets (zs_topology_get_node (step->topology, end.node)) != 1)
    return fail_at (error, step->line, w->column, _("“%s” has several sockets: name one (NODE.SOCKET)"), w->text);
  if (!g_str_equal (which->text, "snd") && !g_str_equal (which->text, "rcv"))
    return fail_at (error, step->line, which->column, _("expected snd or rcv, not “%s”"), which->text);
  hwm = g_ascii_strtoull (value->text, &stop, 10);
  if (!g_ascii_isdigit (value->text[0]) || *stop != '\0' || hwm > G_MAXINT)
    return fail_at (error, step->line, value->column, _("“%s” is not an HWM (messages, 0 = no limit)"), value->text);
  out->target = (guint) end.node;
  out->socket = end.socket < 0 ? 0 : (guint) end.socket;
  out->send = g_str_equal (which->text, "snd");
  out->value = (int) hwm;
  return TRUE;
}

static gboolean
parse_step (Step         *step,
            ZsFaultStep  *out,
            GError      **error)
{
  Word *w;
  gboolean ok;

  if (step->timed)
    {
      w = take_word (step, "at", error);
      if (w == NULL)
        return FALSE;
      if (!g_str_equal (w->text, "at"))
        return fail_at (error, step->line, w->column, _("a fault starts with “at”, as in “at 2 s kill worker-2”"));
      if (!parse_time (step, &out->at_us, error))
        return FALSE;
    }
  w = take_word (step, _("a fault: kill, restart, pause, resume, slow, cut, restore, delay, loss, flip, transport or hwm"), error);
  if (w == NULL)
    return FALSE;
  for (out->kind = 0; out->kind < G_N_ELEMENTS (kind_words); out->kind++)
    if (g_str_equal (w->text, kind_words[out->kind]))
      break;
  if (out->kind == G_N_ELEMENTS (kind_words))
    return fail_at (error, step->line, w->column,
                    _("unknown fault “%s”: expected kill, restart, pause, resume, slow, cut, restore, delay, "
                      "loss, flip, transport or hwm"), w->text);
  if (out->kind == ZS_FAULT_DELAY || out->kind == ZS_FAULT_LOSS)
    ok = parse_link (step, out, error) && parse_amount (step, out, error);
  else if (out->kind == ZS_FAULT_HWM)
    ok = parse_hwm (step, out, error);
  else if (out->kind == ZS_FAULT_CUT || out->kind == ZS_FAULT_RESTORE || out->kind == ZS_FAULT_FLIP)
    ok = parse_link (step, out, error);
  else if (out->kind == ZS_FAULT_TRANSPORT)
    ok = parse_link (step, out, error) && parse_transport (step, out, error);
  else
    ok = parse_node (step, out, error) && (out->kind != ZS_FAULT_SLOW || parse_factor (step, out, error));
  if (ok && step->next < step->words->len)
    {
      w = &g_array_index (step->words, Word, step->next);
      return fail_at (error, step->line, w->column, _("unexpected “%s” after the fault"), w->text);
    }
  return ok;
}

static void
word_clear (Word *w)
{
  g_free (w->text);
}

/* Splits `line` (no newline) into steps at ';' and each into words; a
 * '#' starts a comment. Parses each step into `steps`. */
static gboolean
parse_line (ZsTopology  *topology,
            gboolean     timed,
            const char  *line,
            guint        number,
            GArray      *steps,
            GError     **error)
{
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (Word));
  const char *p = line;
  guint column = 1;

  g_array_set_clear_func (words, (GDestroyNotify) word_clear);
  for (;;)
    {
      gunichar c = *p ? g_utf8_get_char (p) : 0;

      if (c == 0 || c == '#' || c == ';')
        {
          if (words->len > 0)
            {
              Step step = { topology, timed, number, words, 0, column };
              ZsFaultStep out = { 0 };

              out.line = number;
              if (!parse_step (&step, &out, error))
                return FALSE;
              g_array_append_val (steps, out);
              g_array_set_size (words, 0);
            }
          if (c != ';')
            return TRUE;
          p = g_utf8_next_char (p);
          column++;
        }
      else if (g_unichar_isspace (c))
        {
          p = g_utf8_next_char (p);
          column++;
        }
      else
        {
          const char *start = p;
          Word w = { NULL, column };

          while (*p && !g_unichar_isspace (g_utf8_get_char (p)) && *p != ';' && *p != '#')
            {
              p = g_utf8_next_char (p);
              column++;
            }
          w.text = g_strndup (start, p - start);
          g_array_append_val (words, w);
        }
    }
}

static int
step_order (gconstpointer a,
            gconstpointer b)
{
  const ZsFaultStep *x = a, *y = b;

  if (x->at_us != y->at_us)
    return x->at_us < y->at_us ? -1 : 1;
  return x->line < y->line ? -1 : x->line > y->line;
}

ZsFaultScript *
zs_fault_script_parse (const char  *text,
                       ZsTopology  *topology,
                       GError     **error)
{
  g_autoptr(GArray) steps = NULL;
  g_auto(GStrv) lines = NULL;
  ZsFaultScript *script;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      fail_at (error, 1, 1, _("the script is not UTF-8 text"));
      return NULL;
    }
  steps = g_array_new (FALSE, FALSE, sizeof (ZsFaultStep));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);   /* a CR of CRLF */
      if (!parse_line (topology, TRUE, lines[i], i + 1, steps, error))
        return NULL;
    }
  /* Same time: as written (the lines order equal times already). */
  g_array_sort (steps, step_order);
  script = g_new0 (ZsFaultScript, 1);
  script->steps = g_steal_pointer (&steps);
  return script;
}

gboolean
zs_fault_step_parse (const char   *text,
                     ZsTopology   *topology,
                     ZsFaultStep  *out,
                     GError      **error)
{
  g_autoptr(GArray) steps = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!g_utf8_validate (text, -1, NULL) || strchr (text, '\n') != NULL)
    return fail_at (error, 1, 1, _("a fault is one line of text, as in “kill worker-2”"));
  steps = g_array_new (FALSE, FALSE, sizeof (ZsFaultStep));
  if (!parse_line (topology, FALSE, text, 1, steps, error))
    return FALSE;
  if (steps->len != 1)
    return fail_at (error, 1, 1, _("write one fault, as in “kill worker-2”"));
  *out = g_array_index (steps, ZsFaultStep, 0);
  return TRUE;
}

ZsFaultScript *
zs_fault_script_load (const char  *path,
                      ZsTopology  *topology,
                      GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  ZsFaultScript *script;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &text, NULL, error))
    return NULL;
  script = zs_fault_script_parse (text, topology, &local);
  if (script == NULL)
    g_set_error (error, local->domain, local->code, "%s:%s", path, local->message);
  return script;
}

void
zs_fault_script_free (ZsFaultScript *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->steps);
  g_free (self);
}

guint
zs_fault_script_get_n_steps (ZsFaultScript *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->steps->len;
}

const ZsFaultStep *
zs_fault_script_get_step (ZsFaultScript *self,
                          guint          i)
{
  g_return_val_if_fail (self != NULL && i < self->steps->len, NULL);
  return &g_array_index (self->steps, ZsFaultStep, i);
}

static char *
end_name (ZsTopology *topology,
          guint       node,
          guint       socket)
{
  ZsNode *n = zs_topology_get_node (topology, node);

  return g_strdup_printf ("%s.%s", zs_node_get_name (n), zs_socket_spec_get_name (zs_node_get_socket (n, socket)));
}

char *
zs_fault_step_describe (const ZsFaultStep *step,
                        ZsTopology        *topology)
{
  g_return_val_if_fail (step != NULL, NULL);
  g_return_val_if_fail (ZS_IS_TOPOLOGY (topology), NULL);

  if (is_link_fault (step->kind))
    {
      ZsLink *link = g_ptr_array_index (zs_topology_get_links (topology), step->target);
      g_autofree char *connecting = end_name (topology, link->connect_node, link->connect_socket);
      g_autofree char *binding = end_name (topology, link->bind_node, link->bind_socket);
      g_autofree char *amount = step->kind == ZS_FAULT_DELAY ? g_strdup_printf (" %g ms", step->factor)
                                : step->kind == ZS_FAULT_LOSS ? g_strdup_printf (" %g %%", step->factor)
                                : step->kind == ZS_FAULT_TRANSPORT
                                ? g_strdup_printf (" %s", zs_transport_to_string ((ZsTransport) step->value))
                                : g_strdup ("");

      /* The way its messages go (requests, for a link both ways). */
      if (link->to_bind)
        return g_strdup_printf ("%s %s -> %s%s", kind_words[step->kind], connecting, binding, amount);
      return g_strdup_printf ("%s %s -> %s%s", kind_words[step->kind], binding, connecting, amount);
    }
  if (step->kind == ZS_FAULT_HWM)
    {
      g_autofree char *socket = end_name (topology, step->target, step->socket);

      return g_strdup_printf ("hwm %s %s %d", socket, step->send ? "snd" : "rcv", step->value);
    }
  if (step->kind == ZS_FAULT_SLOW)
    return g_strdup_printf ("slow %s x%g", zs_node_get_name (zs_topology_get_node (topology, step->target)),
                            step->factor);
  return g_strdup_printf ("%s %s", kind_words[step->kind],
                          zs_node_get_name (zs_topology_get_node (topology, step->target)));
}
