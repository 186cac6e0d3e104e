/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timer.h - one thread that runs callbacks at given times: how delayed
 * connections are resumed without any thread sleeping per request.
 *
 * Pending callbacks sit in a min-heap ordered by due time (monotonic clock);
 * the thread sleeps on a condition variable until the earliest is due.
 * Callbacks run on the timer thread, one at a time, without the timer's
 * lock held, so they must be short (resuming a connection is).
 *
 * Shutdown: emu_timer_drain() runs every pending callback at once and makes
 * later emu_timer_schedule() calls run their callback immediately on the
 * caller's thread, so nothing can stay pending; then emu_timer_stop().
 *
 * Threads: schedule/drain may be called from any thread.
 */
#ifndef SPOTIFY_EMULATOR_TIMER_H
#define SPOTIFY_EMULATOR_TIMER_H

#include <stdbool.h>
#include <stdint.h>

typedef void (*emu_timer_fn)(void *arg);
typedef struct emu_timer emu_timer;

/* Starts the timer thread. NULL on failure. */
emu_timer *emu_timer_start(void);
/* Runs fn(arg) `delay_ms` from now (to the nanosecond of the monotonic
 * clock, plus the thread's wake-up). false on OOM (nothing is scheduled). */
bool emu_timer_schedule(emu_timer *timer, int64_t delay_ms, emu_timer_fn fn, void *arg);
/* Runs every pending callback now; later schedules run immediately. */
void emu_timer_drain(emu_timer *timer);
/* Drains, stops and joins the thread, frees the timer. NULL is accepted. */
void emu_timer_stop(emu_timer *timer);

#endif
