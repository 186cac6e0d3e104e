/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_util.h - helpers shared by tests: fixtures, a fake clock, temp dirs.
 */
#ifndef SPOTIFY_TEST_UTIL_H
#define SPOTIFY_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Reads tests/fixtures/<name> (directory from $SPOTIFY_FIXTURES_DIR);
 * aborts the test when missing. Caller frees with free(). */
char *test_fixture_load(const char *name, size_t *len_out);
/* Reads the file at `path` (NUL-terminated; length in *len_out when not
 * NULL); aborts the test when it cannot. Caller frees with free(). */
char *test_read_file(const char *path, size_t *len_out);

/* A fake monotonic clock: sleeping advances it instantly and is recorded. */
typedef struct test_clock {
    int64_t now_ms;
    int64_t slept_ms; /* total of every sleep */
    int sleeps;       /* number of sleeps */
    int64_t last_sleep_ms;
} test_clock;

int64_t test_clock_now(void *clock);
void test_clock_sleep(void *clock, int64_t ms);

/* A fresh directory under $TMPDIR (or /tmp); caller removes it with
 * test_rmdir_recursive. Returned string is malloc'd. */
char *test_mkdtemp(void);
void test_rmdir_recursive(const char *path);

/* loopback_free_port() and process_argv() come from the emulator's test
 * support, shared with the benchmarks. */
#include "emulator_process.h"

#endif
