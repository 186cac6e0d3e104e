/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_redis_fleet.c - fleets of worker processes (redis_worker) sharing one
 * Redis (the CTest fixture's) and one spotify-emulator:
 *   - 16 workers, an expired token in Redis: exactly one refresh at the
 *     emulator, all 16 succeed; the same with refresh-token rotation, where
 *     every worker ends with Redis's (valid) refresh token; and a fleet in
 *     which every other worker uses the async API (8 requests at once, the
 *     lock taken with try_lock on the loop's timers), with rotation;
 *   - 8 threads of one process, each with its own provider, sharing one
 *     cache object: one refresh (the cache's local lock, then Redis's);
 *   - the lock holder is SIGKILLed mid-refresh: the next workers (one
 *     blocking, one async) wait for the lock to expire (1 s here), then
 *     one of them refreshes;
 *   - a 429 with Retry-After seen by one worker: the others wait it out (the
 *     emulator's request log) or fail fast without a request.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <spotify/redis.h>
#include <spotify/spotify.h>

#define ASYNC_REQUESTS 8 /* redis_worker's, per async worker */

#include "core/arena.h"
#include "core/clock.h"
#include "emulator_process.h"
#include "json/json.h"
#include "redis_test_util.h"

#define WORKERS 16
#define ALBUM_ROUTE "/v1/albums/{id}"

static void control(const char *method, const char *path, const char *json)
{
    emulator_http_response r;
    assert_true(emulator_control(&redis_test_emu, method, path, json, &r));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

static spotify_token_cache *user_cache(const char *prefix)
{
    return redis_test_user_cache(redis_fixture_url(), prefix);
}

static pid_t spawn_worker(const char *mode, const char *prefix, const char *extra)
{
    return worker_spawn_mode(mode, redis_fixture_url(), prefix, extra);
}

/* WORKERS user workers; with `mixed`, every other one is async. */
static void run_fleet(const char *prefix, bool mixed, int expected_status)
{
    pid_t pids[WORKERS];
    for (int i = 0; i < WORKERS; i++)
        pids[i] = spawn_worker("user", prefix, mixed && i % 2 == 1 ? "async" : NULL);
    int ok = 0;
    for (int i = 0; i < WORKERS; i++)
        ok += worker_wait(pids[i]) == expected_status;
    assert_int_equal(ok, WORKERS);
}

static void fleet_refreshes_once(bool rotate, bool mixed)
{
    if (rotate)
        control("POST", "/__emulator/config", "{\"rotate_refresh_tokens\":true}");
    char prefix[64];
    redis_test_prefix(prefix, sizeof prefix);
    spotify_token_cache *cache = user_cache(prefix);
    redis_test_seed_expired_user_token(cache);
    long before = emulator_grant_count(&redis_test_emu, "refresh_token");

    /* A slow token endpoint: every worker starts while the first refresh is
     * still in flight, so without the lock each would refresh. */
    control("POST", "/__emulator/config", "{\"latency_ms\":400}");
    run_fleet(prefix, mixed, 0);
    control("POST", "/__emulator/config", "{\"latency_ms\":0}");

    assert_int_equal(emulator_grant_count(&redis_test_emu, "refresh_token") - before, 1);
    int requests = mixed ? WORKERS / 2 + WORKERS / 2 * ASYNC_REQUESTS : WORKERS;
    assert_int_equal(emulator_route_count(&redis_test_emu, "GET", "/v1/me", 200), requests);
    assert_int_equal(emulator_route_count(&redis_test_emu, "POST", "/api/token", 400), 0);

    /* Redis's refresh token is the live one: one more refresh works. */
    spotify_token t = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_true(found);
    assert_non_null(t.refresh_token);
    char form[512];
    snprintf(form, sizeof form, "grant_type=refresh_token&refresh_token=%s", t.refresh_token);
    char url[256];
    snprintf(url, sizeof url, "%s/api/token", redis_test_emu.base_url);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "Authorization: Basic ZGVtby1jbGllbnQ6ZGVtby1zZWNyZXQ=", NULL};
    emulator_http_response r;
    assert_true(emulator_request(&r, "POST", url, headers, form));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    spotify_token_clear(&t);
    spotify_token_cache_free(cache);
}

static void test_sixteen_workers_one_refresh(void **state)
{
    (void)state;
    fleet_refreshes_once(false, false);
}

static void test_sixteen_workers_one_refresh_with_rotation(void **state)
{
    (void)state;
    fleet_refreshes_once(true, false);
}

static void test_mixed_async_fleet_one_refresh_with_rotation(void **state)
{
    (void)state;
    fleet_refreshes_once(true, true);
}

/* ---- threads of one process sharing one cache object ---- */

#define THREADS 8

typedef struct thread_arg {
    spotify_token_cache *cache;
    spotify_status status;
} thread_arg;

/* Each thread: its own provider (so only the cache object is shared). */
static void *thread_refresh(void *p)
{
    thread_arg *a = p;
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = "demo-client";
    ao.client_secret = "demo-secret";
    ao.redirect_uri = "http://127.0.0.1:9/callback";
    ao.accounts_base_url = redis_test_emu.base_url;
    ao.token_cache = a->cache;
    spotify_auth *auth = NULL;
    a->status = spotify_auth_code_new(&auth, &ao, NULL);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    if (a->status == SPOTIFY_OK)
        a->status = spotify_auth_access_token_get(token, sizeof token, auth, NULL);
    spotify_auth_free(auth);
    return NULL;
}

static void test_threads_share_one_cache(void **state)
{
    (void)state;
    char prefix[64];
    redis_test_prefix(prefix, sizeof prefix);
    spotify_token_cache *cache = user_cache(prefix);
    redis_test_seed_expired_user_token(cache);
    long before = emulator_grant_count(&redis_test_emu, "refresh_token");
    control("POST", "/__emulator/config", "{\"latency_ms\":300}");
    pthread_t threads[THREADS];
    thread_arg args[THREADS];
    for (int i = 0; i < THREADS; i++) {
        args[i] = (thread_arg){cache, SPOTIFY_EINVALID};
        assert_int_equal(pthread_create(&threads[i], NULL, thread_refresh, &args[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(args[i].status, SPOTIFY_OK);
    }
    control("POST", "/__emulator/config", "{\"latency_ms\":0}");
    assert_int_equal(emulator_grant_count(&redis_test_emu, "refresh_token") - before, 1);
    spotify_token_cache_free(cache);
}

static void test_killed_lock_holder(void **state)
{
    (void)state;
    char prefix[64], lock_key[128];
    redis_test_prefix(prefix, sizeof prefix);
    snprintf(lock_key, sizeof lock_key, "%slock:demo-client:user:demo-user", prefix);
    spotify_token_cache *cache = user_cache(prefix);
    redis_test_seed_expired_user_token(cache);
    redisContext *rc = redis_test_connect(redis_fixture_port("plain"), NULL);

    /* A slow token endpoint keeps the holder mid-refresh. */
    control("POST", "/__emulator/config", "{\"latency_ms\":5000}");
    pid_t holder = spawn_worker("user", prefix, "lock_ms=1000");
    bool locked = false;
    for (int i = 0; i < 400 && !locked; i++) {
        locked = redis_test_integer(rc, "EXISTS %s", lock_key) == 1;
        if (!locked)
            redis_test_sleep_ms(10);
    }
    assert_true(locked);
    kill(holder, SIGKILL);
    assert_int_equal(worker_wait(holder), 128 + SIGKILL);
    control("POST", "/__emulator/config", "{\"latency_ms\":0}");

    /* The lock outlives its dead holder for at most 1 s; then one of the
     * next workers takes it and refreshes, and both succeed. */
    long before = emulator_grant_count(&redis_test_emu, "refresh_token");
    pid_t next = spawn_worker("user", prefix, "lock_ms=1000");
    pid_t next_async = spawn_worker("user", prefix, "lock_ms=1000,async");
    assert_int_equal(worker_wait(next), 0);
    assert_int_equal(worker_wait(next_async), 0);
    assert_int_equal(emulator_grant_count(&redis_test_emu, "refresh_token") - before, 1);
    assert_int_equal(redis_test_integer(rc, "EXISTS %s", lock_key), 0);
    spotify_token t = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_true(found);
    assert_true(t.expires_at > spotify__wall_seconds() + 60);
    spotify_token_clear(&t);
    redisFree(rc);
    spotify_token_cache_free(cache);
}

/* t_ms of the log entries of `route` with `status`, in order; returns the count. */
static int log_times(const char *route, int status, long long *out, int max)
{
    emulator_http_response r;
    assert_true(emulator_control(&redis_test_emu, "GET", "/__emulator/log", NULL, &r));
    spotify__arena *arena = spotify__arena_new(r.body_len + 256);
    spotify__json root;
    assert_int_equal(spotify__json_parse(&root, arena, r.body, r.body_len, r.body_len, NULL),
                     SPOTIFY_OK);
    int n = 0;
    for (spotify__json e = spotify__json_first(root); spotify__json_valid(e);
         e = spotify__json_next(e)) {
        const char *rt = NULL;
        size_t len;
        int64_t st = 0, t = 0;
        if (!spotify__json_get_string(spotify__json_get(e, "route"), &rt, &len) ||
            strcmp(rt, route) != 0 ||
            !spotify__json_get_int64(spotify__json_get(e, "status"), &st) || st != status ||
            !spotify__json_get_int64(spotify__json_get(e, "t_ms"), &t))
            continue;
        if (n < max)
            out[n] = t;
        n++;
    }
    spotify__arena_free(arena);
    emulator_response_free(&r);
    return n;
}

static void test_shared_cooldown(void **state)
{
    (void)state;
    char prefix[64];
    redis_test_prefix(prefix, sizeof prefix);
    /* Warm up: the app token lands in Redis. */
    assert_int_equal(worker_wait(spawn_worker("app", prefix, NULL)), 0);

    control("POST", "/__emulator/faults",
            "{\"route\":\"" ALBUM_ROUTE "\",\"status\":429,\"retry_after\":3,\"count\":1}");
    /* The first worker meets the 429 and fails fast; the cooldown is now in
     * Redis. */
    assert_int_equal(worker_wait(spawn_worker("app", prefix, "fail_fast")), 7);
    long long t429[4];
    assert_int_equal(log_times(ALBUM_ROUTE, 429, t429, 4), 1);

    /* A fail-fast worker does not even send its request. */
    assert_int_equal(worker_wait(spawn_worker("app", prefix, "fail_fast")), 7);
    assert_int_equal(emulator_route_count(&redis_test_emu, "GET", ALBUM_ROUTE, 200), 1);

    /* Four patient workers all wait until the cooldown ends. */
    pid_t pids[4];
    for (int i = 0; i < 4; i++)
        pids[i] = spawn_worker("app", prefix, NULL);
    for (int i = 0; i < 4; i++)
        assert_int_equal(worker_wait(pids[i]), 0);
    long long t200[8];
    assert_int_equal(log_times(ALBUM_ROUTE, 200, t200, 8), 5);
    for (int i = 1; i < 5; i++)
        assert_true(t200[i] >= t429[0] + 3000 - 100);
    assert_int_equal(emulator_route_count(&redis_test_emu, "GET", ALBUM_ROUTE, 429), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_sixteen_workers_one_refresh, redis_test_emu_reset),
        cmocka_unit_test_setup(test_mixed_async_fleet_one_refresh_with_rotation,
                               redis_test_emu_reset),
        cmocka_unit_test_setup(test_sixteen_workers_one_refresh_with_rotation,
                               redis_test_emu_reset),
        cmocka_unit_test_setup(test_threads_share_one_cache, redis_test_emu_reset),
        cmocka_unit_test_setup(test_killed_lock_holder, redis_test_emu_reset),
        cmocka_unit_test_setup(test_shared_cooldown, redis_test_emu_reset),
    };
    return cmocka_run_group_tests(tests, redis_test_emu_setup, redis_test_emu_teardown);
}
