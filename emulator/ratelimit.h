/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ratelimit.h - Spotify's rate limit, modelled (opt-in: --rate-limit N):
 * at most N Web API requests per client id in a rolling window of 30
 * seconds (--rate-limit-window), Spotify's documented model. A request
 * that finds the window full is answered 429 "API rate limit exceeded"
 * with Retry-After: the whole seconds until the oldest request in the
 * window leaves it, so a client that waits that long gets through.
 * Refused requests do not count against the window.
 *
 * Each registry client has a ring of the times of its requests in the
 * window (capacity N, renewed when N changes).
 *
 * Threads: all functions are thread-safe (one mutex).
 */
#ifndef SPOTIFY_EMULATOR_RATELIMIT_H
#define SPOTIFY_EMULATOR_RATELIMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "json/json_write.h"
#include "registry.h"

typedef struct emu_ratelimit emu_ratelimit;

/* A limiter for `clients` registry clients. NULL on OOM. */
emu_ratelimit *emu_ratelimit_new(size_t clients);
void emu_ratelimit_free(emu_ratelimit *rl);
/* Milliseconds on the monotonic clock (the limiter's time base). */
int64_t emu_ratelimit_now_ms(void);
/* One request of client `client` at `now_ms` under `limit` requests per
 * `window_s` seconds. true when it fits (it is counted); false when the
 * window is full, with *retry_after_s (at least 1) the seconds until it
 * has room. `limit` 0 lets everything through, uncounted. */
bool emu_ratelimit_take(emu_ratelimit *rl, size_t client, int limit, int window_s, int64_t now_ms,
                        int *retry_after_s);
/* Writes the member "rate_limit": {"limit", "window_s", "rejected",
 * "clients": [{"client_id", "in_window", "rejected"}...]} (clients that
 * made a request since the last reset). */
void emu_ratelimit_write(emu_ratelimit *rl, const emu_registry *registry, int limit, int window_s,
                         int64_t now_ms, spotify__json_writer *w);
/* Forgets every request and count (POST /__emulator/reset). */
void emu_ratelimit_reset(emu_ratelimit *rl);

#endif
