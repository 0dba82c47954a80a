/* zs-gate.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * At full speed a send costs one relaxed atomic load here. Paused or paced,
 * senders queue on a mutex: in slow motion each sender gets its own budget
 * (at one message per second, every sender moves one message per second).
 *
 * The gate also keeps the run's clock, which every time-valued behaviour
 * (intervals, work, start delays, offline and idle times) waits on. It
 * stands still while the user's pause holds the run (Step lets it run
 * until the step is taken) and while any sender is held back by slow
 * motion, so that slowing the messages down slows time down with them. */
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
  double       rate;        /* per sender; 0 = full speed */
  guint        steps;       /* paused: sends allowed by Step */
  guint        held;        /* senders waiting for their paced turn */
  guint        wakes;       /* zs_gate_wake calls: sleepers return early */
  /* The run's clock: `clock_base` µs at wall time `clock_since` and, while
   * `clock_running`, advancing with the wall clock from there. */
  gboolean     clock_running;
  gint64       clock_base;
  gint64       clock_since;
};

ZsGate *
zs_gate_new (void)
{
  ZsGate *self = g_new0 (ZsGate, 1);

  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  atomic_store (&self->free_flow, 1);
  self->clock_running = TRUE;
  self->clock_since = g_get_monotonic_time ();
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

static gint64
clock_now_locked (ZsGate *self,
                  gint64  wall_us)
{
  return self->clock_base + (self->clock_running ? wall_us - self->clock_since : 0);
}

/* Starts or stops the run's clock as the gate's state asks, and wakes
 * whoever waits on it. */
static void
update_locked (ZsGate *self)
{
  gboolean run = !(self->paused && self->steps == 0) && self->held == 0;
  gint64 now = g_get_monotonic_time ();

  atomic_store (&self->free_flow, !self->paused && !self->closed && self->rate <= 0);
  if (run != self->clock_running)
    {
      self->clock_base = clock_now_locked (self, now);
      self->clock_since = now;
      self->clock_running = run;
    }
  g_cond_broadcast (&self->cond);
}

typedef enum {
  TURN_GO,
  TURN_PAUSED,   /* wait for Resume or Step */
  TURN_PACED,    /* wait until *deadline_us */
} Turn;

static Turn
try_take_locked (ZsGate *self,
                 gint64 *next_us,
                 gint64 *deadline_us)
{
  gint64 now, period;

  if (self->paused)
    {
      if (self->steps == 0)
        return TURN_PAUSED;
      self->steps--;
      return TURN_GO;
    }
  if (self->rate <= 0)
    return TURN_GO;
  now = g_get_monotonic_time ();
  period = (gint64) (G_USEC_PER_SEC / self->rate);
  /* After a speed change, a turn booked at the old pace waits no longer
   * than one period of the new one. */
  *next_us = MIN (*next_us, now + period);
  if (*next_us <= now)
    {
      *next_us = MAX (*next_us, now) + period;
      return TURN_GO;
    }
  *deadline_us = *next_us;
  return TURN_PACED;
}

static void
set_held_locked (ZsGate   *self,
                 gboolean *held,
                 gboolean  now_held)
{
  if (*held == now_held)
    return;
  *held = now_held;
  if (now_held)
    self->held++;
  else
    self->held--;
  update_locked (self);
}

const atomic_int *
zs_gate_free_flow_flag (ZsGate *self)
{
  return &self->free_flow;
}

ZsGateResult
zs_gate_pass (ZsGate   *self,
              gint64   *next_us,
              void    (*on_pause) (gpointer data),
              gpointer  data)
{
  ZsGateResult result = ZS_GATE_OPEN;
  gboolean held = FALSE, told = FALSE;
  guint wakes;

  if (G_LIKELY (atomic_load_explicit (&self->free_flow, memory_order_relaxed)))
    return ZS_GATE_OPEN;

  g_mutex_lock (&self->mutex);
  wakes = self->wakes;
  while (!self->closed)
    {
      gint64 deadline = 0;
      Turn turn = try_take_locked (self, next_us, &deadline);

      set_held_locked (self, &held, turn == TURN_PACED);
      if (turn == TURN_GO)
        {
          if (self->paused)
            update_locked (self);   /* the step is taken: the clock stops */
          break;
        }
      result = ZS_GATE_WAITED;
      if (turn == TURN_PAUSED && !told && on_pause != NULL)
        {
          on_pause (data);
          told = TRUE;
        }
      if (turn == TURN_PACED)
        g_cond_wait_until (&self->cond, &self->mutex, deadline);
      else
        g_cond_wait (&self->cond, &self->mutex);
      if (self->wakes != wakes)
        {
          result = ZS_GATE_WOKEN;
          break;
        }
    }
  set_held_locked (self, &held, FALSE);
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
  update_locked (self);
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
  update_locked (self);
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
  update_locked (self);
  g_mutex_unlock (&self->mutex);
}

void
zs_gate_close (ZsGate *self)
{
  g_mutex_lock (&self->mutex);
  self->closed = TRUE;
  update_locked (self);
  g_mutex_unlock (&self->mutex);
}

gint64
zs_gate_now (ZsGate *self)
{
  gint64 now;

  g_mutex_lock (&self->mutex);
  now = clock_now_locked (self, g_get_monotonic_time ());
  g_mutex_unlock (&self->mutex);
  return now;
}

gboolean
zs_gate_sleep_until (ZsGate *self,
                     gint64  run_us)
{
  gboolean open;
  guint wakes;

  g_mutex_lock (&self->mutex);
  wakes = self->wakes;
  for (;;)
    {
      gint64 wall = g_get_monotonic_time ();
      gint64 left = run_us - clock_now_locked (self, wall);

      if (self->closed || left <= 0 || self->wakes != wakes)
        break;
      if (self->clock_running)
        g_cond_wait_until (&self->cond, &self->mutex, wall + left);
      else
        g_cond_wait (&self->cond, &self->mutex);
    }
  open = !self->closed;
  g_mutex_unlock (&self->mutex);
  return open;
}

void
zs_gate_wake (ZsGate *self)
{
  g_mutex_lock (&self->mutex);
  self->wakes++;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->mutex);
}
