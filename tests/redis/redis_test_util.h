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
#include <spotify/auth.h>
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
/* The same with its files in `dir` (a replica's copy of the data) and the
 * NULL-terminated `extra` arguments (e.g. "--replicaof", "127.0.0.1",
 * "6379"). */
bool redis_server_start_in(redis_server *srv, int port, const char *dir, const char *const *extra);
/* Starts a Sentinel on a free port with its config file in `dir` (which
 * Sentinel rewrites), monitoring `master` as 127.0.0.1:MASTER_PORT with
 * quorum 1, down-after 1000 ms and failover-timeout 5000 ms. */
bool redis_sentinel_start(redis_server *srv, const char *dir, const char *master, int master_port);
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

/* "master" or "slave": the first element of ROLE (static buffer; "" when
 * the server does not answer). */
const char *redis_test_role(int port);
/* The port of `master` that the Sentinel on `sentinel_port` names (0: none). */
int redis_test_sentinel_master_port(int sentinel_port, const char *master);
/* Waits up to `timeout_ms` for `done(user)`, polling every 50 ms. */
bool redis_test_wait(bool (*done)(void *user), void *user, long timeout_ms);
void redis_test_sleep_ms(long ms);

/* A Redis token cache of demo-client's user token (user key "demo-user") on
 * `url` under `prefix`; aborts on failure. */
spotify_token_cache *redis_test_user_cache(const char *url, const char *prefix);
/* Stores an expired access token of demo-user with a valid refresh token
 * (issued by the emulator) through `cache`; aborts on failure. */
void redis_test_seed_expired_user_token(spotify_token_cache *cache);

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
/* Spawns redis_worker MODE URL EMULATOR PREFIX [EXTRA] (EXTRA may be NULL)
 * against the test file's emulator. */
pid_t worker_spawn_mode(const char *mode, const char *url, const char *prefix, const char *extra);

#endif
