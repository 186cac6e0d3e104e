/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stats.c - counters (a small list searched linearly: a handful of
 * route/status pairs ever occur) and the request ring buffer.
 */
#include "stats.h"

#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"

#define METHOD_MAX 12
#define PATH_MAX_LOGGED 256

typedef struct counter {
    int route;
    char method[METHOD_MAX];
    int status;
    uint64_t count;
} counter;

typedef struct log_entry {
    int64_t t_ms;
    char method[METHOD_MAX];
    char path[PATH_MAX_LOGGED];
    int route;
    int status;
} log_entry;

struct emu_stats {
    pthread_mutex_t mutex;
    const char *const *route_names;
    size_t route_count;
    int64_t start_ms;
    counter *counters;
    size_t counter_count, counter_cap;
    uint64_t grants[EMU_GRANT_COUNT];
    uint64_t total;
    int64_t held; /* requests waiting out their latency */
    log_entry log[EMU_LOG_CAPACITY];
    size_t log_next;  /* slot the next entry goes to */
    size_t log_count; /* entries held (<= capacity) */
};

static const char *const grant_names[EMU_GRANT_COUNT] = {"client_credentials", "authorization_code",
                                                         "refresh_token", "other"};

emu_stats *emu_stats_new(const char *const *route_names, size_t route_count)
{
    emu_stats *s = spotify__calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    pthread_mutex_init(&s->mutex, NULL);
    s->route_names = route_names;
    s->route_count = route_count;
    s->start_ms = spotify__monotonic_ms();
    return s;
}

void emu_stats_free(emu_stats *stats)
{
    if (stats == NULL)
        return;
    pthread_mutex_destroy(&stats->mutex);
    spotify__free(stats->counters);
    spotify__free(stats);
}

/* Copies at most size-1 bytes of `len` bytes at `s`, NUL-terminated. */
static void copy_text(char *dst, size_t size, const char *s, size_t len)
{
    if (len >= size)
        len = size - 1;
    memcpy(dst, s, len);
    dst[len] = '\0';
}

/* The counter for (route, method, status), created if new. Lock held. */
static counter *find_counter(emu_stats *s, int route, const char *method, int status)
{
    for (size_t i = 0; i < s->counter_count; i++) {
        counter *c = &s->counters[i];
        if (c->route == route && c->status == status && strcmp(c->method, method) == 0)
            return c;
    }
    if (s->counter_count == s->counter_cap) {
        size_t cap = s->counter_cap == 0 ? 16 : s->counter_cap * 2;
        counter *grown = spotify__realloc(s->counters, cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        s->counters = grown;
        s->counter_cap = cap;
    }
    counter *c = &s->counters[s->counter_count++];
    c->route = route;
    copy_text(c->method, sizeof c->method, method, strlen(method));
    c->status = status;
    c->count = 0;
    return c;
}

void emu_stats_record(emu_stats *stats, int route, const char *method, const char *path,
                      size_t path_len, int status)
{
    int64_t now = spotify__monotonic_ms();
    pthread_mutex_lock(&stats->mutex);
    counter *c = find_counter(stats, route, method, status);
    if (c != NULL)
        c->count++;
    stats->total++;
    log_entry *e = &stats->log[stats->log_next];
    e->t_ms = now - stats->start_ms;
    copy_text(e->method, sizeof e->method, method, strlen(method));
    copy_text(e->path, sizeof e->path, path, path_len);
    e->route = route;
    e->status = status;
    stats->log_next = (stats->log_next + 1) % EMU_LOG_CAPACITY;
    if (stats->log_count < EMU_LOG_CAPACITY)
        stats->log_count++;
    pthread_mutex_unlock(&stats->mutex);
}

void emu_stats_count_grant(emu_stats *stats, emu_grant_type grant)
{
    if (grant < 0 || grant >= EMU_GRANT_COUNT)
        grant = EMU_GRANT_OTHER;
    pthread_mutex_lock(&stats->mutex);
    stats->grants[grant]++;
    pthread_mutex_unlock(&stats->mutex);
}

static void write_route(const emu_stats *s, spotify__json_writer *w, int route)
{
    if (route >= 0 && (size_t)route < s->route_count)
        spotify__jw_cstring(w, s->route_names[route]);
    else
        spotify__jw_null(w);
}

void emu_stats_held(emu_stats *stats, int delta)
{
    pthread_mutex_lock(&stats->mutex);
    stats->held += delta;
    pthread_mutex_unlock(&stats->mutex);
}

void emu_stats_write_counters(emu_stats *stats, spotify__json_writer *w,
                              void (*extra)(spotify__json_writer *w, void *user), void *user)
{
    pthread_mutex_lock(&stats->mutex);
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "token_requests");
    spotify__jw_begin_object(w);
    for (int g = 0; g < EMU_GRANT_COUNT; g++) {
        spotify__jw_key(w, grant_names[g]);
        spotify__jw_uint64(w, stats->grants[g]);
    }
    spotify__jw_end_object(w);
    spotify__jw_key(w, "routes");
    spotify__jw_begin_array(w);
    for (size_t i = 0; i < stats->counter_count; i++) {
        const counter *c = &stats->counters[i];
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "method");
        spotify__jw_cstring(w, c->method);
        spotify__jw_key(w, "route");
        write_route(stats, w, c->route);
        spotify__jw_key(w, "status");
        spotify__jw_int64(w, c->status);
        spotify__jw_key(w, "count");
        spotify__jw_uint64(w, c->count);
        spotify__jw_end_object(w);
    }
    spotify__jw_end_array(w);
    spotify__jw_key(w, "total");
    spotify__jw_uint64(w, stats->total);
    spotify__jw_key(w, "held");
    spotify__jw_int64(w, stats->held);
    pthread_mutex_unlock(&stats->mutex);
    if (extra != NULL)
        extra(w, user);
    spotify__jw_end_object(w);
}

void emu_stats_write_log(emu_stats *stats, spotify__json_writer *w)
{
    pthread_mutex_lock(&stats->mutex);
    spotify__jw_begin_array(w);
    size_t first = (stats->log_next + EMU_LOG_CAPACITY - stats->log_count) % EMU_LOG_CAPACITY;
    for (size_t i = 0; i < stats->log_count; i++) {
        const log_entry *e = &stats->log[(first + i) % EMU_LOG_CAPACITY];
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "t_ms");
        spotify__jw_int64(w, e->t_ms);
        spotify__jw_key(w, "method");
        spotify__jw_cstring(w, e->method);
        spotify__jw_key(w, "path");
        spotify__jw_cstring(w, e->path);
        spotify__jw_key(w, "route");
        write_route(stats, w, e->route);
        spotify__jw_key(w, "status");
        spotify__jw_int64(w, e->status);
        spotify__jw_end_object(w);
    }
    spotify__jw_end_array(w);
    pthread_mutex_unlock(&stats->mutex);
}

void emu_stats_reset(emu_stats *stats)
{
    pthread_mutex_lock(&stats->mutex);
    stats->counter_count = 0;
    memset(stats->grants, 0, sizeof stats->grants);
    stats->total = 0;
    stats->log_next = 0;
    stats->log_count = 0;
    pthread_mutex_unlock(&stats->mutex);
}
