/* zs-trace.h: the 16-byte trailer appended inside a message's last frame
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Appending inside the last frame (not a frame of its own) keeps SUB prefix
 * filters, ROUTER envelopes and REQ's empty delimiter untouched, and keeps
 * 16-byte payloads within libzmq's 33-byte inline message (no malloc). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ZS_TRACE_SIZE 16

/* The sequence is per link (the receiver can count gaps as drops) or per
 * sending socket (round-robin senders: gaps mean nothing). */
#define ZS_TRACE_FLAG_LINK_SEQ 0x01

/* Sequences have 47 bits: 110 days at libzmq's fastest pace (14.7 M msg/s). */
#define ZS_TRACE_SEQ_MAX G_GUINT64_CONSTANT (0x7fffffffffff)

typedef struct {
  guint64 seq;
  guint16 origin;   /* the sending socket's index in the run */
  guint64 run_tag;  /* random per run: tells this run's trailers from stale or foreign bytes */
  guint8  flags;
} ZsTrace;

/* A new run's tag: 40 random bits that outsiders cannot guess, and the
 * magic every zmqscope trailer carries. */
guint64   zs_trace_new_run_tag (void);
void      zs_trace_write       (guint8        *dest,
                                const ZsTrace *trace);
/* Reads a trailer from the end of a frame; FALSE when there is none with
 * this run's tag. */
gboolean  zs_trace_read        (const guint8  *frame,
                                gsize          size,
                                guint64        run_tag,
                                ZsTrace       *trace);
/* Another zmqscope run's trailer (our magic, another tag): strip it, and
 * count the message as from outside. */
gboolean  zs_trace_is_foreign  (const guint8  *frame,
                                gsize          size,
                                guint64        run_tag);
/* Decodes ZS_TRACE_SIZE trailer bytes (as captured), whatever their tag. */
void      zs_trace_decode      (const guint8  *trailer,
                                ZsTrace       *trace);

G_END_DECLS
