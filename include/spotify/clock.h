/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/clock.h - the clock the SDK reads and sleeps on: injectable, so
 * that tests and simulations run minutes of backoff and Retry-After in no
 * real time (spotify_client_options.clock, spotify_auth_options.clock).
 *
 * Threads: the SDK calls a clock from every thread that makes requests;
 * its functions must be thread-safe.
 */
#ifndef SPOTIFY_CLOCK_H
#define SPOTIFY_CLOCK_H

#include <stdint.h>

#include "common.h"

SPOTIFY_BEGIN_DECLS

/*
 * A clock the SDK reads and sleeps on, so tests and simulations need not
 * wait for real. now_ms is monotonic milliseconds (any origin); sleep_ms
 * blocks (or pretends to) for `ms`. Both are required when a clock is given.
 */
typedef struct spotify_clock {
    int64_t (*now_ms)(void *user);            /* the current time (monotonic ms) */
    void (*sleep_ms)(void *user, int64_t ms); /* waits `ms` milliseconds */
    void *user;                               /* passed to both */
} spotify_clock;

SPOTIFY_END_DECLS

#endif /* SPOTIFY_CLOCK_H */
