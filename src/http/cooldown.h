/*
 * http/cooldown.h - the client's shared rate-limit cooldown. After a 429 with
 * Retry-After, every request on the same client waits until the cooldown
 * ends instead of discovering the limit again on its own.
 *
 * Threads: lock-free; safe from any thread.
 */
#ifndef SPOTIFY_HTTP_COOLDOWN_H
#define SPOTIFY_HTTP_COOLDOWN_H

#include <stdatomic.h>
#include <stdint.h>

typedef struct spotify__cooldown {
    _Atomic int64_t until_ms; /* on the client's monotonic clock; 0: none */
} spotify__cooldown;

void spotify__cooldown_init(spotify__cooldown *cooldown);
/* Extends the cooldown to end at `until_ms` (never shortens it). */
void spotify__cooldown_extend(spotify__cooldown *cooldown, int64_t until_ms);
/* Milliseconds left at `now_ms` (0 when none). */
int64_t spotify__cooldown_remaining(spotify__cooldown *cooldown, int64_t now_ms);

#endif
