/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/clock.h - the real clock behind spotify_clock, and resolving a
 * caller's optional clock.
 *
 * Threads: thread-safe.
 */
#ifndef SPOTIFY_CORE_CLOCK_H
#define SPOTIFY_CORE_CLOCK_H

#include "export.h"

#include <spotify/clock.h>

/* CLOCK_MONOTONIC in milliseconds. */
SPOTIFY__EXPORT int64_t spotify__monotonic_ms(void);
/* Seconds since the epoch (CLOCK_REALTIME) as a double, for token expiry. */
SPOTIFY__EXPORT double spotify__wall_seconds(void);
/* `custom` when it is complete, else the real monotonic clock. */
spotify_clock spotify__clock_resolve(const spotify_clock *custom);

/* True for the clock spotify__clock_resolve gives when none is supplied. */
bool spotify__clock_is_real(const spotify_clock *clock);

#endif
