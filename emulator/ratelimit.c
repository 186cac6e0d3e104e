/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ratelimit.c - rolling-window request counts per client (ratelimit.h).
 */
#include "ratelimit.h"

#include <pthread.h>
#include <time.h>

#include "core/alloc.h"

typedef struct window {
    int64_t *times; /* ring of request times (ms), oldest at head */
    size_t cap, head, count;
    uint64_t rejected;
    bool seen; /* made a request since the last reset */
} window;

struct emu_ratelimit {
    pthread_mutex_t mutex;
    window *clients;
    size_t client_count;
    uint64_t rejected;
};

emu_ratelimit *emu_ratelimit_new(size_t clients)
{
    emu_ratelimit *rl = spotify__calloc(1, sizeof *rl);
    if (rl == NULL)
        return NULL;
    rl->clients = spotify__calloc(clients == 0 ? 1 : clients, sizeof *rl->clients);
    if (rl->clients == NULL) {
        spotify__free(rl);
        return NULL;
    }
    rl->client_count = clients;
    pthread_mutex_init(&rl->mutex, NULL);
    return rl;
}

void emu_ratelimit_free(emu_ratelimit *rl)
{
    if (rl == NULL)
        return;
    for (size_t i = 0; i < rl->client_count; i++)
        spotify__free(rl->clients[i].times);
    spotify__free(rl->clients);
    pthread_mutex_destroy(&rl->mutex);
    spotify__free(rl);
}

int64_t emu_ratelimit_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drops the requests that left the window ending at `now_ms`. */
static void expire(window *w, int64_t window_ms, int64_t now_ms)
{
    while (w->count > 0 && w->times[w->head] <= now_ms - window_ms) {
        w->head = (w->head + 1) % w->cap;
        w->count--;
    }
}

bool emu_ratelimit_take(emu_ratelimit *rl, size_t client, int limit, int window_s, int64_t now_ms,
                        int *retry_after_s)
{
    if (limit <= 0 || client >= rl->client_count)
        return true;
    int64_t window_ms = (int64_t)window_s * 1000;
    bool ok = true;
    pthread_mutex_lock(&rl->mutex);
    window *w = &rl->clients[client];
    w->seen = true;
    if (w->cap != (size_t)limit) { /* a new limit: a new window */
        int64_t *times = spotify__calloc((size_t)limit, sizeof *times);
        if (times != NULL) {
            spotify__free(w->times);
            w->times = times;
            w->cap = (size_t)limit;
            w->head = w->count = 0;
        }
    }
    if (w->cap == (size_t)limit) {
        expire(w, window_ms, now_ms);
        if (w->count < w->cap) {
            w->times[(w->head + w->count) % w->cap] = now_ms;
            w->count++;
        } else {
            int64_t wait_ms = w->times[w->head] + window_ms - now_ms;
            *retry_after_s = (int)((wait_ms + 999) / 1000);
            if (*retry_after_s < 1)
                *retry_after_s = 1;
            w->rejected++;
            rl->rejected++;
            ok = false;
        }
    }
    pthread_mutex_unlock(&rl->mutex);
    return ok;
}

void emu_ratelimit_write(emu_ratelimit *rl, const emu_registry *registry, int limit, int window_s,
                         int64_t now_ms, spotify__json_writer *w)
{
    pthread_mutex_lock(&rl->mutex);
    spotify__jw_key(w, "rate_limit");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "limit");
    spotify__jw_int64(w, limit);
    spotify__jw_key(w, "window_s");
    spotify__jw_int64(w, window_s);
    spotify__jw_key(w, "rejected");
    spotify__jw_uint64(w, rl->rejected);
    spotify__jw_key(w, "clients");
    spotify__jw_begin_array(w);
    for (size_t i = 0; i < rl->client_count; i++) {
        window *c = &rl->clients[i];
        if (!c->seen)
            continue;
        if (c->cap > 0)
            expire(c, (int64_t)window_s * 1000, now_ms);
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "client_id");
        spotify__jw_cstring(w, emu_registry_client_at(registry, i)->id);
        spotify__jw_key(w, "in_window");
        spotify__jw_uint64(w, limit > 0 ? c->count : 0);
        spotify__jw_key(w, "rejected");
        spotify__jw_uint64(w, c->rejected);
        spotify__jw_end_object(w);
    }
    spotify__jw_end_array(w);
    spotify__jw_end_object(w);
    pthread_mutex_unlock(&rl->mutex);
}

void emu_ratelimit_reset(emu_ratelimit *rl)
{
    pthread_mutex_lock(&rl->mutex);
    for (size_t i = 0; i < rl->client_count; i++) {
        window *c = &rl->clients[i];
        c->head = c->count = 0;
        c->rejected = 0;
        c->seen = false;
    }
    rl->rejected = 0;
    pthread_mutex_unlock(&rl->mutex);
}
