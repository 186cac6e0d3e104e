/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http/cooldown.h - the client's shared rate-limit cooldown. After a 429 with
 * Retry-After, every request on the same client waits until the cooldown
 * ends instead of discovering the limit again on its own. With a
 * spotify_cooldown_store attached, the cooldown is also shared with other
 * processes: a 429 extends the store, and the store's remaining time counts
 * as well. Both drivers (blocking and async) go through these functions only.
 *
 * Threads: lock-free; safe from any thread (the store must be too).
 */
#ifndef SPOTIFY_HTTP_COOLDOWN_H
#define SPOTIFY_HTTP_COOLDOWN_H

#include <stdatomic.h>
#include <stdint.h>

#include <spotify/error.h>
#include <spotify/http.h>

typedef struct spotify__cooldown {
    _Atomic int64_t until_ms;     /* on the client's monotonic clock; 0: none */
    spotify_cooldown_store store; /* version 0: no shared store */
    spotify_clock clock;          /* the client's, for turning until_ms into a wait */
} spotify__cooldown;

void spotify__cooldown_init(spotify__cooldown *cooldown);
/* Attaches a shared store (copied; may be NULL: none) and the clock that
 * until_ms values are measured on. SPOTIFY_EINVALID for a bad store. */
spotify_status spotify__cooldown_set_store(spotify__cooldown *cooldown,
                                           const spotify_cooldown_store *store,
                                           const spotify_clock *clock, spotify_error *err);
/* Extends the cooldown to end at `until_ms` (never shortens it), and the
 * shared store's to the same moment. */
void spotify__cooldown_extend(spotify__cooldown *cooldown, int64_t until_ms);
/* Milliseconds left at `now_ms` (0 when none): the larger of the client's
 * own cooldown and the shared store's. */
int64_t spotify__cooldown_remaining(spotify__cooldown *cooldown, int64_t now_ms);

#endif
