/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_util.h - the measuring harness shared by the benchmarks that time a
 * function over a fixture: reading the fixture (with the JSON parser's
 * padding after it), the iteration count from argv, the warm-up plus
 * timed loop, CPU and wall-clock totals of measured loops, and the blocking
 * typed album loop that several benchmarks compare against.
 */
#ifndef SPOTIFY_BENCH_UTIL_H
#define SPOTIFY_BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include <spotify/client.h>

/* A file's bytes with SPOTIFY__JSON_PADDING readable zero bytes after them.
 * Free `data` with free(). */
typedef struct bench_fixture {
    char *data;
    size_t len;
} bench_fixture;

/* CLOCK_MONOTONIC in microseconds. */
double bench_now_us(void);

/* Reads argv[1], else album-tpab.json from $SPOTIFY_FIXTURES_DIR,
 * ../tests/fixtures or `default_dir`; `path` receives the path read. */
bool bench_fixture_open(int argc, char **argv, const char *default_dir, bench_fixture *fx,
                        char *path, size_t size);

/* argv[2] as a positive count (2000 when absent); -1 when malformed. */
long bench_iterations(int argc, char **argv);

/* Mean microseconds per call of fn(ctx) over `iterations` calls after a
 * warm-up; negative when a call returned false. */
double bench_measure(bool (*fn)(const void *ctx), const void *ctx, long iterations);

/* A growing response body for libcurl's CURLOPT_WRITEFUNCTION
 * (bench_on_body, with CURLOPT_WRITEDATA the bench_body); NUL-terminated.
 * Free `data` with free(). */
typedef struct bench_body {
    char *data;
    size_t len;
    size_t cap;
} bench_body;
size_t bench_on_body(char *data, size_t size, size_t count, void *user);

/* User + system CPU time of this process, in microseconds. */
double bench_cpu_us(void);

/* What a measured loop cost: process CPU, wall-clock time, calls made and
 * TCP connections opened. */
typedef struct bench_totals {
    double cpu_us;
    double wall_us;
    long calls;
    long connections;
} bench_totals;

/* The clocks at the start of a measured stretch (bench_mark_now). */
typedef struct bench_mark {
    double cpu_us;
    double wall_us;
} bench_mark;
bench_mark bench_mark_now(void);

/* Adds the CPU and wall time since `from`, and `calls`, to `t`. */
void bench_totals_add(bench_totals *t, bench_mark from, long calls);
/* Adds `part`'s figures to `t`. */
void bench_totals_merge(bench_totals *t, const bench_totals *part);

/* The median of `n` > 0 values (sorts them in place). */
double bench_median(double *values, int n);

/* Per-call figures of `t` (0 when it has no calls). */
double bench_cpu_per_call(const bench_totals *t);
double bench_wall_per_call(const bench_totals *t);

/* The blocking typed call `n` times: spotify_albums_get(album `id`) on
 * `client`, the album decoded and freed; `tracks` receives the last
 * album's track count. false (message on stderr) when a call fails. */
bool bench_albums_get_loop(spotify_client *client, const char *id, long n, size_t *tracks);

#endif
