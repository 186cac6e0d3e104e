/* http/cooldown.c - the shared rate-limit cooldown. */
#include "cooldown.h"

void spotify__cooldown_init(spotify__cooldown *cooldown)
{
    atomic_init(&cooldown->until_ms, 0);
}

void spotify__cooldown_extend(spotify__cooldown *cooldown, int64_t until_ms)
{
    int64_t current = atomic_load(&cooldown->until_ms);
    while (current < until_ms &&
           !atomic_compare_exchange_weak(&cooldown->until_ms, &current, until_ms)) {
    }
}

int64_t spotify__cooldown_remaining(spotify__cooldown *cooldown, int64_t now_ms)
{
    int64_t until = atomic_load(&cooldown->until_ms);
    return until > now_ms ? until - now_ms : 0;
}
