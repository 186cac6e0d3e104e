/* SPDX-License-Identifier: Apache-2.0 */
/* http/cooldown.c - the shared rate-limit cooldown. */
#include "cooldown.h"

#include <string.h>

#include "../core/error.h"

void spotify__cooldown_init(spotify__cooldown *cooldown)
{
    atomic_init(&cooldown->until_ms, 0);
    memset(&cooldown->store, 0, sizeof cooldown->store);
    memset(&cooldown->clock, 0, sizeof cooldown->clock);
}

spotify_status spotify__cooldown_set_store(spotify__cooldown *cooldown,
                                           const spotify_cooldown_store *store,
                                           const spotify_clock *clock, spotify_error *err)
{
    if (store == NULL)
        return SPOTIFY_OK;
    if (store->version != SPOTIFY_COOLDOWN_STORE_VERSION || store->remaining_ms == NULL ||
        store->extend_ms == NULL || clock == NULL || clock->now_ms == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "cooldown_store: needs version SPOTIFY_COOLDOWN_STORE_VERSION, "
                                  "remaining_ms and extend_ms");
    cooldown->store = *store;
    cooldown->clock = *clock;
    return SPOTIFY_OK;
}

static bool has_store(const spotify__cooldown *cooldown)
{
    return cooldown->store.version != 0;
}

void spotify__cooldown_extend(spotify__cooldown *cooldown, int64_t until_ms)
{
    int64_t current = atomic_load(&cooldown->until_ms);
    while (current < until_ms &&
           !atomic_compare_exchange_weak(&cooldown->until_ms, &current, until_ms)) {
    }
    if (has_store(cooldown)) {
        int64_t wait = until_ms - cooldown->clock.now_ms(cooldown->clock.user);
        if (wait > 0)
            cooldown->store.extend_ms(cooldown->store.user, wait);
    }
}

int64_t spotify__cooldown_remaining(spotify__cooldown *cooldown, int64_t now_ms)
{
    int64_t until = atomic_load(&cooldown->until_ms);
    int64_t remaining = until > now_ms ? until - now_ms : 0;
    if (has_store(cooldown)) {
        int64_t shared = cooldown->store.remaining_ms(cooldown->store.user);
        if (shared > remaining)
            remaining = shared;
    }
    return remaining;
}
