/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stats.h - what the emulator observed: request counters per route and
 * status, token requests per grant type, and a ring buffer of the most
 * recent requests. Read through GET /__emulator/counters and
 * GET /__emulator/log; control requests themselves are not recorded.
 *
 * The log keeps the method, the path without its query string (queries
 * carry codes and state), the matched route and the status. Status 0 means
 * the connection was dropped by an injected fault.
 *
 * Threads: all functions are thread-safe (one mutex).
 */
#ifndef SPOTIFY_EMULATOR_STATS_H
#define SPOTIFY_EMULATOR_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "json/json_write.h"

#define EMU_LOG_CAPACITY 512

typedef enum emu_grant_type {
    EMU_GRANT_CLIENT_CREDENTIALS = 0,
    EMU_GRANT_AUTHORIZATION_CODE,
    EMU_GRANT_REFRESH_TOKEN,
    EMU_GRANT_OTHER, /* missing or unsupported grant_type */
    EMU_GRANT_COUNT
} emu_grant_type;

typedef struct emu_stats emu_stats;

/* `route_names[i]` names route i ("/v1/albums/{id}"); borrowed for the
 * life of the stats. NULL on OOM. */
emu_stats *emu_stats_new(const char *const *route_names, size_t route_count);
void emu_stats_free(emu_stats *stats);
/* Records one request: `route` is a route index or -1 when nothing
 * matched; `path` is `path_len` bytes (no query). */
void emu_stats_record(emu_stats *stats, int route, const char *method, const char *path,
                      size_t path_len, int status);
void emu_stats_count_grant(emu_stats *stats, emu_grant_type grant);
/* A request starts (+1) or ends (-1) waiting out the configured latency. */
void emu_stats_held(emu_stats *stats, int delta);
/* Writes {"token_requests":{...},"routes":[...],"total":N,"held":N};
 * "held" counts the requests waiting out their latency right now. `extra`
 * (may be NULL) adds members of its own at the end (the rate limiter's). */
void emu_stats_write_counters(emu_stats *stats, spotify__json_writer *w,
                              void (*extra)(spotify__json_writer *w, void *user), void *user);
/* Writes the log, oldest first: [{"t_ms":..,"method":..,"path":..,"route":..,"status":..}].
 * t_ms counts milliseconds on the monotonic clock since the stats began;
 * "route" is null when no route matched. */
void emu_stats_write_log(emu_stats *stats, spotify__json_writer *w);
/* Zeroes every counter and empties the log. */
void emu_stats_reset(emu_stats *stats);

#endif
