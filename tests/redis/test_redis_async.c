/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_redis_async.c - Redis on the loop: an async context whose Redis
 * cooldown store and token cache cannot be reached keeps completing the
 * requests that need no Redis (a valid in-process token) without a long
 * loop iteration, because their commands go through hiredis's async API on
 * the context's own loop; a refresh in the middle of it is one, for the
 * process (the fallback), and the loop keeps turning meanwhile. Self-driven, and on libuv (the host
 * loop's watch/timer callbacks) when the build has libuv. Against a
 * private redis-server (SIGSTOPped: connections complete, nothing answers)
 * and spotify-emulator.
 *
 * The bound asserted here is generous (no iteration over 1000 ms, where
 * one blocking Redis call costs the 2000 ms timeout: the test fails with
 * the blocking connection); the longest iteration is printed. The
 * self-driven driver's iterations run long on a loaded machine even with
 * Redis healthy (one spotify_async_run pumps up to 64 rounds of
 * completions): 100-370 ms under ASan at load average 6-8, where libuv's
 * stay under 40 ms.
 *
 * After Redis resumes, the lock try that got no answer during the outage
 * runs then: the fallback's probe deletes that lock and writes the token
 * refreshed meanwhile back without waiting for a cache call; one more
 * refresh then waits for no one.
 *
 * Two contexts of one process: a lock attempt whose context has no call
 * left to end it is ended by the other context's try.
 *
 * A release of the lock that fails (Redis drops the connection during the
 * refresh) leaves no lock held for nobody: the fallback's probe deletes it.
 */
#include <dlfcn.h>
#include <netdb.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <spotify/redis.h>
#include <spotify/spotify.h>
#include <spotify/sys/async.h>

#ifdef SPOTIFY_TEST_LIBUV
#include <spotify/adapters/uv.h>
#endif

#include "core/clock.h"
#include "emulator_process.h"
#include "redis_test_util.h"
#include "test_util.h"

#define COOLDOWN_LOCAL "using this process's own cooldown"
#define FALLING_BACK "falling back to a process-local memory cache"
#define IN_FLIGHT 8
#define RUN_MS 6000
#define GAP_BOUND_MS 1000

typedef struct fixture {
    redis_server srv;
    redis_server sentinel; /* the Sentinel test's, stopped in it */
    char *dir;             /* its temp dir */
    char prefix[64];
    spotify_token_cache *cache;
    spotify_redis_cooldown *cooldown;
    spotify_auth *auth;
    spotify_client *client;
    spotify_async *async;   /* self-driven, freed by the teardown */
    void (*on_grant)(void); /* run by the provider's observer on a token 200 */
} fixture;

static fixture fx;

static void on_token_attempt(const spotify_http_event *event, void *user)
{
    (void)user;
    if (event->http_status == 200 && fx.on_grant != NULL)
        fx.on_grant();
}

/* The cache, cooldown, auth and client on `url` (fx's other fields set). */
static void fixture_open_url(const char *url, int64_t timeout_ms)
{
    redis_test_prefix(fx.prefix, sizeof fx.prefix);
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = url;
    o.key_prefix = fx.prefix;
    o.client_id = "demo-client";
    o.timeout_ms = timeout_ms;
    o.cooldown_poll_ms = 20;
    spotify_error err = {0};
    assert_int_equal(spotify_redis_token_cache_new(&fx.cache, &o, &err), SPOTIFY_OK);
    assert_int_equal(spotify_redis_cooldown_new(&fx.cooldown, &o, &err), SPOTIFY_OK);
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = "demo-client";
    ao.client_secret = "demo-secret";
    ao.accounts_base_url = redis_test_emu.base_url;
    ao.token_cache = fx.cache;
    ao.observer = on_token_attempt;
    assert_int_equal(spotify_auth_client_credentials_new(&fx.auth, &ao, &err), SPOTIFY_OK);
    char api[256];
    snprintf(api, sizeof api, "%s/v1", redis_test_emu.base_url);
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.api_base_url = api;
    co.auth = fx.auth;
    co.cooldown_store = spotify_redis_cooldown_store(fx.cooldown);
    assert_int_equal(spotify_client_new(&fx.client, &co, &err), SPOTIFY_OK);
}

/* Everything on a private redis-server of its own (timeout 2000 ms). */
static void fixture_open(void)
{
    memset(&fx, 0, sizeof fx);
    assert_true(redis_server_start(&fx.srv, 0));
    char url[64];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", fx.srv.port);
    fixture_open_url(url, 2000);
}

static int teardown(void **state)
{
    (void)state;
    redis_test_warnings_capture(false);
    spotify_async_free(fx.async); /* before what it uses, even after a failure */
    spotify_client_free(fx.client);
    spotify_auth_free(fx.auth);
    spotify_redis_cooldown_free(fx.cooldown);
    spotify_token_cache_free(fx.cache);
    redis_server_stop(&fx.srv);
    redis_server_stop(&fx.sentinel);
    if (fx.dir != NULL)
        test_rmdir_recursive(fx.dir);
    free(fx.dir);
    memset(&fx, 0, sizeof fx);
    return 0;
}

/* The requests of one run: IN_FLIGHT album requests at a time, resubmitted
 * as they complete until `stop`. */
typedef struct traffic {
    spotify_async *async;
    int completed, failed, in_flight;
    bool stop;
    int64_t last_ms, max_gap_ms; /* loop iterations */
} traffic;

static void submit_one(traffic *t);

static void on_album(spotify_status status, void *result, const spotify_error *err, void *user)
{
    traffic *t = user;
    t->in_flight--;
    if (status == SPOTIFY_OK)
        t->completed++;
    else {
        t->failed++;
        print_message("album: %s\n", err != NULL ? err->message : "?");
    }
    spotify_response_free(result);
    if (!t->stop)
        submit_one(t);
}

static void submit_one(traffic *t)
{
    spotify_request req = SPOTIFY_REQUEST_INIT;
    req.path = "/albums/7ycBtnsMtyVbbwTfJwRjSP";
    spotify_error err = {0};
    assert_int_equal(spotify_async_send(t->async, &req, on_album, t, NULL, &err), SPOTIFY_OK);
    t->in_flight++;
}

static void iteration(traffic *t)
{
    int64_t now = spotify__monotonic_ms();
    if (t->last_ms != 0 && now - t->last_ms > t->max_gap_ms)
        t->max_gap_ms = now - t->last_ms;
    t->last_ms = now;
}

/* One request while Redis answers: the token lands in the process (and a
 * loop connection to Redis is made by the cooldown's first poll). */
static void warm_up(traffic *t, void (*drive)(traffic *t, int64_t until_ms))
{
    submit_one(t);
    t->stop = true;
    drive(t, spotify__monotonic_ms() + 5000);
    assert_int_equal(t->completed, 1);
    assert_int_equal(t->in_flight, 0);
    t->stop = false;
    t->completed = 0;
}

static long grants(void)
{
    return emulator_grant_count(&redis_test_emu, "client_credentials");
}

/* The lock try that got no answer while Redis was stopped ran when it
 * resumed (its SET NX was in the server's socket buffer): a lock nobody
 * holds, for lock_expiry_ms (10 s). The context's next try deletes it
 * first, so a refresh now waits for no one (found by the fleet soak). */
static void refresh_after_resume(traffic *t, void (*drive)(traffic *t, int64_t until_ms))
{
    long before = grants();
    assert_true(redis_test_control("POST", "/__emulator/expire-tokens", NULL));
    submit_one(t); /* t->stop is set: no resubmission */
    int64_t start = spotify__monotonic_ms();
    drive(t, start + 15000);
    int64_t took = spotify__monotonic_ms() - start;
    print_message("a refresh after Redis resumed: %lld ms\n", (long long)took);
    assert_int_equal(t->in_flight, 0);
    assert_int_equal(grants() - before, 1);
    assert_true(took < 3000);
}

/* The fixture's token record in Redis, copied into `out` ("" when none). */
static void token_in_redis(char *out, size_t size)
{
    redisContext *c = redis_test_connect(fx.srv.port, NULL);
    redisReply *r = redisCommand(c, "GET %stoken:demo-client:app", fx.prefix);
    snprintf(out, size, "%s", r != NULL && r->type == REDIS_REPLY_STRING ? r->str : "");
    if (r != NULL)
        freeReplyObject(r);
    redisFree(c);
}

/* What Redis holds after a failure: whether the fixture's refresh lock is
 * still there, and whether its token differs from `before`. */
typedef struct redis_state {
    bool lock_held;
    bool token_new;
} redis_state;

static redis_state redis_state_now(const char *before)
{
    char lock_key[128], token[4096];
    snprintf(lock_key, sizeof lock_key, "%slock:demo-client:app", fx.prefix);
    redisContext *c = redis_test_connect(fx.srv.port, NULL);
    redis_state state = {.lock_held = redis_test_integer(c, "EXISTS %s", lock_key) != 0};
    redisFree(c);
    token_in_redis(token, sizeof token);
    state.token_new = strcmp(token, before) != 0;
    return state;
}

/* Prints and checks the state `took` ms after `event`: the lock nobody
 * holds deleted, the process's newer token written back. */
static void assert_lock_deleted_token_written(redis_state state, int64_t took, const char *event)
{
    print_message("%lld ms after %s: the orphaned lock %s, the token %s\n", (long long)took, event,
                  state.lock_held ? "still held" : "deleted",
                  state.token_new ? "written back" : "not written back");
    assert_false(state.lock_held);
    assert_true(state.token_new);
}

/* Requests flowing (IN_FLIGHT at a time) for 200 ms, so the token the
 * warm-up stored has reached Redis: copied into `token`. */
static void traffic_start(traffic *t, void (*drive)(traffic *t, int64_t until_ms), char *token,
                          size_t size)
{
    t->stop = false;
    for (int i = 0; i < IN_FLIGHT; i++)
        submit_one(t);
    drive(t, spotify__monotonic_ms() + 200);
    token_in_redis(token, size);
    assert_true(token[0] != '\0');
}

/* Redis resumed and ran the lock try that got no answer (a lock nobody
 * holds, for lock_expiry_ms: 10 s, which the rest of a fleet would wait
 * for). With nothing asking the cache (requests flow on the valid token
 * the process refreshed during the outage: no expiry), the fallback's
 * probe on the loop finds Redis answering: the lock is deleted, that token
 * is written back over `before` (Redis's token from before the outage),
 * and the fallback is left, within a probe or two, not at the process's
 * next expiry. */
static void probe_after_resume(traffic *t, void (*drive)(traffic *t, int64_t until_ms),
                               const char *before)
{
    int64_t start = spotify__monotonic_ms();
    t->stop = false;
    for (int i = 0; i < IN_FLIGHT; i++)
        submit_one(t);
    redis_state state = {.lock_held = true};
    while (spotify__monotonic_ms() - start < 4000 && (state.lock_held || !state.token_new)) {
        drive(t, spotify__monotonic_ms() + 50);
        state = redis_state_now(before);
    }
    int64_t took = spotify__monotonic_ms() - start;
    t->stop = true;
    drive(t, spotify__monotonic_ms() + 5000); /* the last requests land */
    assert_int_equal(t->in_flight, 0);
    assert_lock_deleted_token_written(state, took, "Redis resumed");
    assert_int_equal(redis_test_warning_count("answers again; leaving the memory fallback"), 1);
}

/* The last requests of a run land; the run's figures are printed and its
 * requests and loop iterations checked. */
static void finish_run(traffic *t, void (*drive)(traffic *t, int64_t until_ms))
{
    t->stop = true;
    drive(t, spotify__monotonic_ms() + 5000);
    print_message("completed %d, failed %d, longest iteration %lld ms\n", t->completed, t->failed,
                  (long long)t->max_gap_ms);
    assert_int_equal(t->in_flight, 0);
    assert_int_equal(t->failed, 0);
    assert_true(t->completed > 50);
    assert_true(t->max_gap_ms < GAP_BOUND_MS);
}

/* Redis stops answering; requests run for RUN_MS; halfway through, every
 * token is revoked (the next requests get a 401 and the context
 * refreshes: its lock try gets no answer, so the process refreshes on its
 * own, once). */
static void run_unreachable(traffic *t, void (*drive)(traffic *t, int64_t until_ms))
{
    redis_test_warnings_capture(true);
    char token_before[4096];
    traffic_start(t, drive, token_before, sizeof token_before);
    redis_server_pause(&fx.srv, true);
    t->last_ms = 0;
    drive(t, spotify__monotonic_ms() + RUN_MS / 2);
    long before = grants();
    assert_true(redis_test_control("POST", "/__emulator/expire-tokens", NULL));
    drive(t, spotify__monotonic_ms() + RUN_MS / 2);
    assert_int_equal(grants() - before, 1);
    finish_run(t, drive);
    redis_server_pause(&fx.srv, false);
    /* The polls and the lock try did reach for Redis (on the loop) and
     * found it silent: one warning each. */
    assert_int_equal(redis_test_warning_count(COOLDOWN_LOCAL), 1);
    assert_int_equal(redis_test_warning_count(FALLING_BACK), 1);
    probe_after_resume(t, drive, token_before);
    refresh_after_resume(t, drive);
}

/* ---- self-driven ---- */

static void drive_self(traffic *t, int64_t until_ms)
{
    while (spotify__monotonic_ms() < until_ms && (!t->stop || t->in_flight > 0)) {
        assert_int_equal(spotify_async_run(t->async, 5, NULL), SPOTIFY_OK);
        iteration(t);
    }
}

/* The fixture, a self-driven context for `t`, and its warm-up. */
static void self_driven_open(traffic *t)
{
    fixture_open();
    spotify_error err = {0};
    assert_int_equal(spotify_async_new(&fx.async, fx.client, NULL, &err), SPOTIFY_OK);
    t->async = fx.async;
    warm_up(t, drive_self);
}

static void test_self_driven_unreachable_no_stall(void **state)
{
    (void)state;
    traffic t = {0};
    self_driven_open(&t);
    run_unreachable(&t, drive_self);
}

/* The fixture's Redis drops every client connection (the test's own
 * admin connection excepted). */
static void kill_client_connections(void)
{
    redisContext *c = redis_test_connect(fx.srv.port, NULL);
    redisReply *r = redisCommand(c, "CLIENT KILL TYPE normal");
    assert_non_null(r);
    freeReplyObject(r);
    redisFree(c);
}

/*
 * A refresh under the Redis lock whose release fails: Redis drops the
 * context's connection between the token's 200 and the release (the store
 * and the release fail; the connection is in its reconnect pause). The lock
 * stays held for nobody, which the rest of a fleet would wait for until it
 * expires (lock_expiry_ms, 10 s): found by the fleet soak after a Redis
 * restart. The failed release is an orphan, deleted by the fallback's probe
 * once the connection is back (with the token written back), in about the
 * reconnect pause.
 */
static void test_failed_release_deletes_lock(void **state)
{
    (void)state;
    traffic t = {0};
    self_driven_open(&t);
    char token_before[4096];
    traffic_start(&t, drive_self, token_before, sizeof token_before);
    redis_test_warnings_capture(true);
    fx.on_grant = kill_client_connections;
    long before = grants();
    assert_true(redis_test_control("POST", "/__emulator/expire-tokens", NULL));
    int64_t refreshed = 0;
    redis_state now = {.lock_held = true};
    int64_t start = spotify__monotonic_ms();
    while (spotify__monotonic_ms() - start < 6000 && (now.lock_held || !now.token_new)) {
        drive_self(&t, spotify__monotonic_ms() + 50);
        if (refreshed == 0 && grants() > before) {
            refreshed = spotify__monotonic_ms();
            fx.on_grant = NULL;
        }
        if (refreshed != 0)
            now = redis_state_now(token_before);
    }
    int64_t took = spotify__monotonic_ms() - refreshed;
    finish_run(&t, drive_self);
    assert_true(refreshed != 0);
    assert_int_equal(grants() - before, 1);
    assert_lock_deleted_token_written(now, took, "the refresh");
    assert_true(took < 4000);
}

/* ---- host names ---- */

#define SLOW_LOOKUP_MS 1500

/* The C library's getaddrinfo, for the test's own (main sets it). */
static int (*real_getaddrinfo)(const char *, const char *, const struct addrinfo *,
                               struct addrinfo **);
static atomic_bool slow_lookups;
static atomic_int slow_lookups_made;

/* Stands in for the C library's (the executable's definition comes first,
 * for hiredis and the SDK alike): while slow_lookups is set, a lookup of
 * "localhost" takes SLOW_LOOKUP_MS, on whatever thread makes it. */
int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
                struct addrinfo **res)
{
    if (atomic_load(&slow_lookups) && node != NULL && strcmp(node, "localhost") == 0) {
        atomic_fetch_add(&slow_lookups_made, 1);
        redis_test_sleep_ms(SLOW_LOOKUP_MS);
    }
    return real_getaddrinfo(node, service, hints, res);
}

/*
 * The URL names Redis by host name, and each lookup of it takes 1.5 s (a
 * slow DNS): the context's connections (the cooldown's, the cache's) look
 * it up off the loop thread, so the first request waits for them (its
 * token goes through the cache) while the loop keeps turning, and requests
 * then flow with no loop iteration of GAP_BOUND_MS; the token reached Redis
 * through the looked-up connection. hiredis looked the name up on the loop
 * thread: an iteration of 1.5 s per connection.
 */
static void test_host_name_looked_up_off_the_loop(void **state)
{
    (void)state;
    memset(&fx, 0, sizeof fx);
    assert_true(redis_server_start(&fx.srv, 0));
    char url[64];
    snprintf(url, sizeof url, "redis://localhost:%d", fx.srv.port);
    fixture_open_url(url, 3000);
    spotify_error err = {0};
    assert_int_equal(spotify_async_new(&fx.async, fx.client, NULL, &err), SPOTIFY_OK);
    traffic t = {.async = fx.async};
    atomic_store(&slow_lookups, true);
    int made = atomic_load(&slow_lookups_made);
    for (int i = 0; i < IN_FLIGHT; i++)
        submit_one(&t);
    drive_self(&t, spotify__monotonic_ms() + SLOW_LOOKUP_MS + 1500);
    atomic_store(&slow_lookups, false);
    finish_run(&t, drive_self);
    print_message("slow lookups made: %d\n", atomic_load(&slow_lookups_made) - made);
    assert_true(atomic_load(&slow_lookups_made) - made >= 2);
    char token[4096];
    token_in_redis(token, sizeof token);
    assert_true(token[0] != '\0');
}

/* ---- the Sentinel lookup on the loop ---- */

#define SENTINEL_TIMEOUT_MS 3000

/* The token record the cache stored on the fixture's plain server (the
 * master of its Sentinel's "fixture") into `out` ("" when none). */
static void token_on_master(char *out, size_t size)
{
    redisContext *c = redis_test_connect(redis_fixture_port("plain"), NULL);
    redisReply *r = redisCommand(c, "GET %stoken:demo-client:app", fx.prefix);
    snprintf(out, size, "%s", r != NULL && r->type == REDIS_REPLY_STRING ? r->str : "");
    if (r != NULL)
        freeReplyObject(r);
    redisFree(c);
}

/*
 * The URL lists a Sentinel of the test's own first (SIGSTOPped once the
 * token is in the process: it accepts connections, never answers), then
 * the fixture's. A fresh context's connections must ask the Sentinels:
 * the cooldown's first poll, then (after the tokens are revoked) the
 * cache's lock try, each waiting SENTINEL_TIMEOUT_MS for the stopped one.
 * Requests keep flowing meanwhile (the token is valid in the process), no
 * loop iteration takes GAP_BOUND_MS (the blocking lookup took the whole
 * timeout on the loop thread), and both reach the master through the
 * second Sentinel: no fallback, one refresh, its token on the master.
 */
/* Everything on a Sentinel URL (timeout SENTINEL_TIMEOUT_MS): first a
 * Sentinel of the test's own (fx.sentinel, watching the fixture's plain
 * server as "fixture"), then, when `second`, the fixture's Sentinel. */
static void fixture_open_sentinels(bool second)
{
    memset(&fx, 0, sizeof fx);
    fx.dir = test_mkdtemp();
    assert_true(redis_sentinel_start(&fx.sentinel, fx.dir, "fixture", redis_fixture_port("plain")));
    char url[128], more[32] = "";
    if (second)
        snprintf(more, sizeof more, ",localhost:%d", redis_fixture_port("sentinel"));
    snprintf(url, sizeof url, "redis-sentinel://127.0.0.1:%d%s/fixture", fx.sentinel.port, more);
    fixture_open_url(url, SENTINEL_TIMEOUT_MS);
}

static void test_sentinel_lookup_no_stall(void **state)
{
    (void)state;
    fixture_open_sentinels(true);
    traffic t = {0};
    spotify_error err = {0};
    assert_int_equal(spotify_async_new(&fx.async, fx.client, NULL, &err), SPOTIFY_OK);
    t.async = fx.async;
    warm_up(&t, drive_self); /* the token, through the first Sentinel */
    spotify_async_free(fx.async);
    fx.async = NULL;
    char first[1024], second[1024];
    token_on_master(first, sizeof first);
    assert_string_not_equal(first, "");
    redis_server_pause(&fx.sentinel, true);
    assert_int_equal(spotify_async_new(&fx.async, fx.client, NULL, &err), SPOTIFY_OK);
    t.async = fx.async;
    redis_test_warnings_capture(true);
    for (int i = 0; i < IN_FLIGHT; i++)
        submit_one(&t);
    t.last_ms = 0;
    drive_self(&t, spotify__monotonic_ms() + SENTINEL_TIMEOUT_MS + 1000);
    long before = grants();
    assert_true(redis_test_control("POST", "/__emulator/expire-tokens", NULL));
    drive_self(&t, spotify__monotonic_ms() + SENTINEL_TIMEOUT_MS + 2000);
    finish_run(&t, drive_self);
    assert_int_equal(grants() - before, 1);
    assert_int_equal(redis_test_warning_count(COOLDOWN_LOCAL), 0);
    assert_int_equal(redis_test_warning_count(FALLING_BACK), 0);
    token_on_master(second, sizeof second);
    assert_string_not_equal(second, "");
    assert_string_not_equal(second, first); /* the refresh's, via the second Sentinel */
}

/*
 * The only Sentinel is stopped from the start: the context's first lock
 * try, and then its first poll, wait for a lookup, which fails after
 * SENTINEL_TIMEOUT_MS as a blocking one would (the fallback: the process
 * refreshes on its own, once; its own cooldown), without a long loop
 * iteration. The context may be freed during a later lookup.
 */
static void test_sentinel_silent_no_stall(void **state)
{
    (void)state;
    fixture_open_sentinels(false);
    redis_server_pause(&fx.sentinel, true);
    traffic t = {0};
    spotify_error err = {0};
    assert_int_equal(spotify_async_new(&fx.async, fx.client, NULL, &err), SPOTIFY_OK);
    t.async = fx.async;
    redis_test_warnings_capture(true);
    long before = grants();
    for (int i = 0; i < IN_FLIGHT; i++)
        submit_one(&t);
    /* the lock try's lookup, then (the token in) the first poll's */
    drive_self(&t, spotify__monotonic_ms() + 2 * SENTINEL_TIMEOUT_MS + 2000);
    finish_run(&t, drive_self);
    assert_int_equal(grants() - before, 1);
    assert_int_equal(redis_test_warning_count(COOLDOWN_LOCAL), 1);
    assert_int_equal(redis_test_warning_count(FALLING_BACK), 1);
    assert_true(redis_test_warning_count("no Sentinel gave the master's address") >= 2);
    assert_true(redis_test_warning_count("no answer within 3000 ms") >= 2);
}

/* ---- libuv ---- */

#ifdef SPOTIFY_TEST_LIBUV
static uv_loop_t uv_loop;
static spotify_async_uv *uv_adapter; /* freed by teardown_uv after a failure */

static int teardown_uv(void **state)
{
    if (uv_adapter != NULL)
        spotify_async_uv_free(uv_adapter); /* frees the context */
    uv_adapter = NULL;
    return teardown(state);
}

typedef struct uv_drive {
    traffic *t;
    int64_t until_ms;
} uv_drive;

static void on_check(uv_check_t *check)
{
    uv_drive *d = check->data;
    iteration(d->t);
    if (spotify__monotonic_ms() >= d->until_ms || (d->t->stop && d->t->in_flight == 0))
        uv_stop(check->loop);
}

static void on_tick(uv_timer_t *timer)
{
    (void)timer; /* keeps the loop iterating at least every 5 ms */
}

static void drive_uv(traffic *t, int64_t until_ms)
{
    uv_drive d = {t, until_ms};
    uv_check_t check;
    uv_timer_t tick;
    uv_check_init(&uv_loop, &check);
    check.data = &d;
    uv_check_start(&check, on_check);
    uv_timer_init(&uv_loop, &tick);
    uv_timer_start(&tick, on_tick, 5, 5);
    uv_run(&uv_loop, UV_RUN_DEFAULT);
    uv_close((uv_handle_t *)&check, NULL);
    uv_close((uv_handle_t *)&tick, NULL);
    uv_run(&uv_loop, UV_RUN_NOWAIT);
}

/* Two contexts of one process share the client, its provider and the
 * cache: A on libuv (its Redis connection is served by the loop whether or
 * not A has requests), B self-driven. A's request starts a lock attempt on
 * A's connection and is cancelled, so no call on A looks at the attempt
 * again; its answers land (the lock taken for the process). A request on B
 * then needs the token: B ends A's answered attempt and refreshes, where
 * it used to find "not taken" for as long as the attempt stayed unclaimed
 * (for ever, here). */
static void test_attempt_ended_by_another_context(void **state)
{
    (void)state;
    fixture_open();
    assert_int_equal(uv_loop_init(&uv_loop), 0);
    spotify_error err = {0};
    assert_int_equal(spotify_async_uv_new(&uv_adapter, &uv_loop, fx.client, NULL, &err),
                     SPOTIFY_OK);
    spotify_async *a_async = spotify_async_uv_context(uv_adapter);
    assert_int_equal(spotify_async_new(&fx.async, fx.client, NULL, &err), SPOTIFY_OK);
    long before = grants();
    traffic a = {.async = a_async, .stop = true};
    spotify_request req = SPOTIFY_REQUEST_INIT;
    req.path = "/albums/7ycBtnsMtyVbbwTfJwRjSP";
    spotify_async_id id = 0;
    assert_int_equal(spotify_async_send(a_async, &req, on_album, &a, &id, &err), SPOTIFY_OK);
    a.in_flight++;
    uv_run(&uv_loop, UV_RUN_NOWAIT); /* the attempt goes out */
    assert_int_equal(spotify_async_cancel(a_async, id), SPOTIFY_OK);
    assert_int_equal(a.in_flight, 0);
    a.stop = false;
    drive_uv(&a, spotify__monotonic_ms() + 300); /* A's loop reads the attempt's answers */
    traffic b = {.async = fx.async, .stop = true};
    submit_one(&b);
    int64_t start = spotify__monotonic_ms();
    while (b.in_flight > 0 && spotify__monotonic_ms() - start < 5000) {
        assert_int_equal(spotify_async_run(fx.async, 10, NULL), SPOTIFY_OK);
        uv_run(&uv_loop, UV_RUN_NOWAIT);
    }
    print_message("the request on the other context: %lld ms\n",
                  (long long)(spotify__monotonic_ms() - start));
    assert_int_equal(b.in_flight, 0);
    assert_int_equal(b.completed, 1);
    assert_int_equal(grants() - before, 1);
    assert_true(spotify__monotonic_ms() - start < 1000);
    spotify_async_uv_free(uv_adapter);
    uv_adapter = NULL;
    assert_int_equal(uv_run(&uv_loop, UV_RUN_DEFAULT), 0); /* closes the handles */
    assert_int_equal(uv_loop_close(&uv_loop), 0);
}

static void test_libuv_unreachable_no_stall(void **state)
{
    (void)state;
    fixture_open();
    assert_int_equal(uv_loop_init(&uv_loop), 0);
    traffic t = {0};
    spotify_error err = {0};
    assert_int_equal(spotify_async_uv_new(&uv_adapter, &uv_loop, fx.client, NULL, &err),
                     SPOTIFY_OK);
    t.async = spotify_async_uv_context(uv_adapter);
    warm_up(&t, drive_uv);
    run_unreachable(&t, drive_uv);
    spotify_async_uv_free(uv_adapter);
    uv_adapter = NULL;
    assert_int_equal(uv_run(&uv_loop, UV_RUN_DEFAULT), 0); /* closes the handles */
    assert_int_equal(uv_loop_close(&uv_loop), 0);
}
#endif

int main(void)
{
    void *real = dlsym(RTLD_NEXT, "getaddrinfo");
    memcpy(&real_getaddrinfo, &real, sizeof real_getaddrinfo); /* POSIX's dlsym idiom */
    if (real_getaddrinfo == NULL)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_self_driven_unreachable_no_stall, teardown),
        cmocka_unit_test_teardown(test_failed_release_deletes_lock, teardown),
        cmocka_unit_test_teardown(test_host_name_looked_up_off_the_loop, teardown),
        cmocka_unit_test_teardown(test_sentinel_lookup_no_stall, teardown),
        cmocka_unit_test_teardown(test_sentinel_silent_no_stall, teardown),
#ifdef SPOTIFY_TEST_LIBUV
        cmocka_unit_test_teardown(test_libuv_unreachable_no_stall, teardown_uv),
        cmocka_unit_test_teardown(test_attempt_ended_by_another_context, teardown_uv),
#endif
    };
    return cmocka_run_group_tests(tests, redis_test_emu_setup, redis_test_emu_teardown);
}
