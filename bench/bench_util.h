/*
 * bench_util.h - the measuring harness shared by the benchmarks that time a
 * function over a fixture: reading the fixture (with the JSON parser's
 * padding after it), the iteration count from argv, and the warm-up plus
 * timed loop.
 */
#ifndef SPOTIFY_BENCH_UTIL_H
#define SPOTIFY_BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
