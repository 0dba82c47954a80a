/* zs-gate.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * At full speed a send costs one relaxed atomic load here. Paused or paced,
 * senders queue on a mutex: the whole topology shares one budget, so at one
 * message per second exactly one message moves per second. */
#define G_LOG_DOMAIN "zs-gate"

#include "config.h"

#include <stdatomic.h>

#include "zs-gate.h"

struct _ZsGate {
  _Atomic int  free_flow;   /* not paused, no rate limit, not closed */
  GMutex       mutex;
  GCond        cond;
  gboolean     paused;
  gboolean     closed;
  double       rate;        /* 0 = full speed */
  gint64       next_us;     /* paced: when the next send may go */
  guint        steps;       /* paused: sends allowed by Step */
};

ZsGate *
zs_gate_new (void)
{
  ZsGate *self = g_new0 (ZsGate, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  atomic_store (&self->free_flow, 1);
  return self;
}

void
zs_gate_free (ZsGate *self)
{
  if (self == NULL)
    return;
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);
  g_free (self);
}

static void
update_free_flow_locked (ZsGate *self)
{
  atomic_store (&self->free_flow, !self->paused && !self->closed && self->rate <= 0);
  g_cond_broadcast (&self->cond);
}

/* Returns TRUE when this sender may go now; otherwise sets *deadline_us
 * (0 = wait for a signal). */
static gboolean
try_take_locked (ZsGate *self,
                 gint64 *deadline_us)
{
  gint64 now;

  *deadline_us = 0;
  if (self->paused)
    {
      if (self->steps == 0)
        return FALSE;
      self->steps--;
      return TRUE;
    }
  if (self->rate <= 0)
    return TRUE;
  now = g_get_monotonic_time ();
  if (self->next_us <= now)
    {
      self->next_us = MAX (self->next_us, now) + (gint64) (G_USEC_PER_SEC / self->rate);
      return TRUE;
    }
  *deadline_us = self->next_us;
  return FALSE;
}

ZsGateResult
zs_gate_pass (ZsGate   *self,
              void    (*on_wait) (gpointer data),
              gpointer  data)
{
  ZsGateResult result = ZS_GATE_OPEN;
  gint64 deadline;

  if (G_LIKELY (atomic_load_explicit (&self->free_flow, memory_order_relaxed)))
    return ZS_GATE_OPEN;

  g_mutex_lock (&self->mutex);
  while (!self->closed && !try_take_locked (self, &deadline))
    {
      if (result == ZS_GATE_OPEN && on_wait != NULL)
        on_wait (data);
      result = ZS_GATE_WAITED;
      if (deadline)
        g_cond_wait_until (&self->cond, &self->mutex, deadline);
      else
        g_cond_wait (&self->cond, &self->mutex);
    }
  if (self->closed)
    result = ZS_GATE_CLOSED;
  g_mutex_unlock (&self->mutex);
  return result;
}

void
zs_gate_set_paused (ZsGate   *self,
                    gboolean  paused)
{
  g_mutex_lock (&self->mutex);
  self->paused = paused;
  self->steps = 0;
  self->next_us = 0;
  update_free_flow_locked (self);
  g_mutex_unlock (&self->mutex);
}

gboolean
zs_gate_get_paused (ZsGate *self)
{
  gboolean paused;

  g_mutex_lock (&self->mutex);
  paused = self->paused;
  g_mutex_unlock (&self->mutex);
  return paused;
}

void
zs_gate_set_rate (ZsGate *self,
                  double  rate)
{
  g_mutex_lock (&self->mutex);
  self->rate = MAX (rate, 0);
  self->next_us = 0;
  update_free_flow_locked (self);
  g_mutex_unlock (&self->mutex);
}

double
zs_gate_get_rate (ZsGate *self)
{
  double rate;

  g_mutex_lock (&self->mutex);
  rate = self->rate;
  g_mutex_unlock (&self->mutex);
  return rate;
}

void
zs_gate_step (ZsGate *self)
{
  g_mutex_lock (&self->mutex);
  if (self->paused)
    self->steps++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}

void
zs_gate_close (ZsGate *self)
{
  g_mutex_lock (&self->mutex);
  self->closed = TRUE;
  update_free_flow_locked (self);
  g_mutex_unlock (&self->mutex);
}
