/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis_test_util.h - helpers of the Redis tests: the fixture's servers
 * (tests/redis/redis_fixture.sh, found through $SPOTIFY_TEST_REDIS_DIR),
 * private redis-servers a test can stop and restart, direct hiredis access
 * for checking keys, unique key prefixes, and worker processes.
 *
 * Threads: single-threaded tests only.
 */
#ifndef SPOTIFY_REDIS_TEST_UTIL_H
#define SPOTIFY_REDIS_TEST_UTIL_H

#include <hiredis/hiredis.h>
#include <stdbool.h>
#include <sys/types.h>

#include "emulator_process.h"

#define REDIS_FIXTURE_PASSWORD "fixture-password"

/* The spotify-emulator of the current test file, and cmocka group
 * setup/teardown (start it; stop it and fail unless it exits 0) and per-test
 * setup (reset it). */
extern emulator_process redis_test_emu;
int redis_test_emu_setup(void **state);
int redis_test_emu_teardown(void **state);
int redis_test_emu_reset(void **state);

/* The port of the fixture's "plain" or "auth" server; aborts when missing. */
int redis_fixture_port(const char *name);
/* "redis://127.0.0.1:PORT" of the plain fixture server (static buffer). */
const char *redis_fixture_url(void);

/* A redis-server this test owns. */
typedef struct redis_server {
    pid_t pid;
    int port;
} redis_server;

/* Starts redis-server on `port` (0: a free one) without persistence; waits
 * until it accepts connections. false when it did not start. */
bool redis_server_start(redis_server *srv, int port);
/* SIGTERM (and SIGCONT, in case it is paused) and wait. */
void redis_server_stop(redis_server *srv);
/* Makes the server unreachable without closing anything (SIGSTOP: the
 * kernel still completes handshakes into its backlog, nothing answers), or
 * reachable again (SIGCONT). */
void redis_server_pause(redis_server *srv, bool paused);

/* The emulator of the current test file's control request; true on 200. */
bool redis_test_control(const char *method, const char *path, const char *json);

/* Collects the SDK's warnings (thread-safe) from now on, or stops (and
 * forgets them). */
void redis_test_warnings_capture(bool on);
/* How many captured warnings contain `needle`. */
int redis_test_warning_count(const char *needle);

/* A direct connection (NULL password: none); aborts on failure. */
redisContext *redis_test_connect(int port, const char *password);
/* Runs a command and returns the integer reply (-1000 when not an integer). */
long long redis_test_integer(redisContext *c, const char *fmt, ...);

/* A key prefix unique to this process and call ("t<pid>-<n>:"). */
void redis_test_prefix(char *out, size_t size);

/* A port nothing listens on. */
int redis_test_closed_port(void);

/* Spawns `argv` (argv[0] a path; NULL-terminated); aborts on failure. */
pid_t worker_spawn(const char *const *argv);
/* Waits for the process: its exit status, or 128 + signal. */
int worker_wait(pid_t pid);
/* The worker binary (compiled-in path). */
const char *worker_binary(void);

#endif
