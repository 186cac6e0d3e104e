/* SPDX-License-Identifier: Apache-2.0 */
/* core/clock.c - the real monotonic clock and sleep. */
#include "clock.h"

#include <errno.h>
#include <time.h>

int64_t spotify__monotonic_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double spotify__wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t real_now(void *user)
{
    (void)user;
    return spotify__monotonic_ms();
}

static void real_sleep(void *user, int64_t ms)
{
    (void)user;
    if (ms <= 0)
        return;
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

spotify_clock spotify__clock_resolve(const spotify_clock *custom)
{
    if (custom != NULL && custom->now_ms != NULL && custom->sleep_ms != NULL)
        return *custom;
    spotify_clock real = {real_now, real_sleep, NULL};
    return real;
}

bool spotify__clock_is_real(const spotify_clock *clock)
{
    return clock->now_ms == real_now;
}
