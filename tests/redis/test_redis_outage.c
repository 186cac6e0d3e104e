/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_redis_outage.c - the fleet riding out Redis failures (the failure
 * table of docs/fleets.md), with blocking clients, against private
 * redis-servers and spotify-emulator. Each member is a cache, a provider
 * and a client of its own, as one process of a fleet would have:
 *   - Redis down (refused): the last token keeps being served; a refresh
 *     falls back to this process's single flight (8 threads, one refresh),
 *     logged once; when Redis returns, the token refreshed meanwhile is
 *     written back (logged once);
 *   - Redis unreachable (SIGSTOPped: connections complete, nothing
 *     answers): requests with a valid token flow without touching Redis;
 *     a refresh costs one timeout_ms, then falls back;
 *   - after an outage in which each member refreshed once, the fleet
 *     converges: the next expiry is one refresh fleet-wide;
 *   - the cooldown store degrades to the process's own cooldown (a 429
 *     during the outage still cools this process down), logged once.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <spotify/redis.h>
#include <spotify/spotify.h>

#include "core/clock.h"
#include "emulator_process.h"
#include "redis_test_util.h"

#define ALBUM_ROUTE "/v1/albums/{id}"
#define FALLING_BACK "falling back to a process-local memory cache"
#define LEAVING "leaving the memory fallback"
#define COOLDOWN_LOCAL "using this process's own cooldown"
#define THREADS 8

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

typedef struct member {
    spotify_token_cache *cache;
    spotify_redis_cooldown *cooldown;
    spotify_auth *auth;
    spotify_client *client;
} member;

/* A member on `url` under `prefix`, with the shared cooldown when
 * `cooldown`, failing fast on a cooldown. */
static void member_new(member *m, const char *url, const char *prefix, bool cooldown)
{
    memset(m, 0, sizeof *m);
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = url;
    o.key_prefix = prefix;
    o.client_id = "demo-client";
    o.timeout_ms = 300;
    o.cooldown_poll_ms = 20;
    spotify_error err = {0};
    assert_int_equal(spotify_redis_token_cache_new(&m->cache, &o, &err), SPOTIFY_OK);
    if (cooldown)
        assert_int_equal(spotify_redis_cooldown_new(&m->cooldown, &o, &err), SPOTIFY_OK);
    spotify_auth_options ao = SPOTIFY_AUTH_OPTIONS_INIT;
    ao.client_id = "demo-client";
    ao.client_secret = "demo-secret";
    ao.accounts_base_url = redis_test_emu.base_url;
    ao.token_cache = m->cache;
    assert_int_equal(spotify_auth_client_credentials_new(&m->auth, &ao, &err), SPOTIFY_OK);
    char api[256];
    snprintf(api, sizeof api, "%s/v1", redis_test_emu.base_url);
    spotify_client_options co = SPOTIFY_CLIENT_OPTIONS_INIT;
    co.api_base_url = api;
    co.auth = m->auth;
    co.retry.fail_fast = true;
    co.cooldown_store = m->cooldown != NULL ? spotify_redis_cooldown_store(m->cooldown) : NULL;
    assert_int_equal(spotify_client_new(&m->client, &co, &err), SPOTIFY_OK);
}

static void member_free(member *m)
{
    spotify_client_free(m->client);
    spotify_auth_free(m->auth);
    spotify_redis_cooldown_free(m->cooldown);
    spotify_token_cache_free(m->cache);
}

static spotify_status album(member *m)
{
    spotify_request req = SPOTIFY_REQUEST_INIT;
    req.path = "/albums/7ycBtnsMtyVbbwTfJwRjSP";
    spotify_response *resp = NULL;
    spotify_error err = {0};
    spotify_status st = spotify_client_send(&resp, m->client, &req, &err);
    if (st != SPOTIFY_OK && st != SPOTIFY_ERATELIMIT)
        print_message("album: %s\n", err.message);
    spotify_response_free(resp);
    return st;
}

static long grants(void)
{
    return emulator_grant_count(&redis_test_emu, "client_credentials");
}

/* Every access token issued so far is refused from now on: the next
 * request of each member gets a 401 and refreshes. */
static void expire_tokens(void)
{
    assert_true(redis_test_control("POST", "/__emulator/expire-tokens", NULL));
}

/* The access token in Redis under `prefix` ("" when none). */
static void redis_token(int port, const char *prefix, char *out, size_t size)
{
    out[0] = '\0';
    redisContext *rc = redis_test_connect(port, NULL);
    redisReply *r = redisCommand(rc, "GET %stoken:demo-client:app", prefix);
    const char *at =
        r != NULL && r->type == REDIS_REPLY_STRING ? strstr(r->str, "\"access_token\":\"") : NULL;
    if (at != NULL) {
        at += strlen("\"access_token\":\"");
        snprintf(out, size, "%.*s", (int)strcspn(at, "\""), at);
    }
    if (r != NULL)
        freeReplyObject(r);
    redisFree(rc);
}

static char *access_of(member *m)
{
    spotify_token t = {0};
    assert_int_equal(spotify_auth_token_get(&t, m->auth, NULL), SPOTIFY_OK);
    char *copy = strdup(t.access_token);
    spotify_token_clear(&t);
    return copy;
}

/* The private server of these tests; stopped by the teardown too. */
static redis_server srv;

static int teardown(void **state)
{
    (void)state;
    redis_test_warnings_capture(false);
    redis_server_stop(&srv);
    return 0;
}

/* Starts the private server; its URL and a fresh key prefix. */
static void server_start(char url[64], char prefix[64])
{
    assert_true(redis_server_start(&srv, 0));
    snprintf(url, 64, "redis://127.0.0.1:%d", srv.port);
    redis_test_prefix(prefix, 64);
}

/* A member that has its token (one request made), with the warnings
 * captured from now on. */
static void member_ready(member *m, const char *url, const char *prefix, bool cooldown)
{
    member_new(m, url, prefix, cooldown);
    assert_int_equal(album(m), SPOTIFY_OK);
    redis_test_warnings_capture(true);
}

static void *album_thread(void *arg)
{
    return album(arg) == SPOTIFY_OK ? arg : NULL;
}

/* THREADS threads of one member send an album request at once; all must
 * succeed. */
static void albums_from_threads(member *m)
{
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, album_thread, m), 0);
    int ok = 0;
    for (int i = 0; i < THREADS; i++) {
        void *result = NULL;
        pthread_join(threads[i], &result);
        ok += result != NULL;
    }
    assert_int_equal(ok, THREADS);
}

/* Redis refused: the cache serves its last token, a refresh is this
 * process's own single flight, and the outage is logged once each way. */
static void test_refused_refresh_falls_back(void **state)
{
    (void)state;
    char url[64], prefix[64], in_redis[256];
    server_start(url, prefix);
    member m;
    member_ready(&m, url, prefix, false);
    char *before_outage = access_of(&m);

    redis_server_stop(&srv);
    spotify_token t = {0};
    bool found = false;
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_get(&t, &found, m.cache, &err), SPOTIFY_OK);
    assert_true(found);
    assert_string_equal(t.access_token, before_outage);
    spotify_token_clear(&t);
    assert_int_equal(redis_test_warning_count(FALLING_BACK), 1);

    /* Eight threads meet an expired token at once: one refresh. */
    long before = grants();
    expire_tokens();
    albums_from_threads(&m);
    assert_int_equal(grants() - before, 1);
    assert_int_equal(redis_test_warning_count(FALLING_BACK), 1);
    char *refreshed = access_of(&m);
    assert_string_not_equal(refreshed, before_outage);

    /* Redis returns (empty): the first call that reaches it writes the
     * token refreshed meanwhile back, once the reconnect pause is over. */
    assert_true(redis_server_start(&srv, srv.port));
    for (int i = 0; i < 100 && redis_test_warning_count(LEAVING) == 0; i++) {
        assert_int_equal(spotify_token_cache_get(&t, &found, m.cache, &err), SPOTIFY_OK);
        assert_true(found);
        spotify_token_clear(&t);
        sleep_ms(50);
    }
    assert_int_equal(redis_test_warning_count(LEAVING), 1);
    redis_token(srv.port, prefix, in_redis, sizeof in_redis);
    assert_string_equal(in_redis, refreshed);
    assert_int_equal(redis_test_warning_count(FALLING_BACK), 1);
    free(before_outage);
    free(refreshed);
    member_free(&m);
}

/* Redis unreachable (stopped with SIGSTOP: the handshake completes,
 * nothing answers): requests with a valid token never wait for Redis; a
 * refresh waits one timeout_ms (300 ms), then falls back. */
static void test_unreachable_valid_tokens_flow(void **state)
{
    (void)state;
    char url[64], prefix[64];
    server_start(url, prefix);
    member m;
    member_ready(&m, url, prefix, false);

    redis_server_pause(&srv, true);
    int64_t start = spotify__monotonic_ms();
    for (int i = 0; i < 50; i++)
        assert_int_equal(album(&m), SPOTIFY_OK);
    /* Each would cost 300 ms if it touched Redis: 15 s. */
    assert_true(spotify__monotonic_ms() - start < 5000);
    assert_int_equal(redis_test_warning_count(FALLING_BACK), 0);

    long before = grants();
    expire_tokens();
    start = spotify__monotonic_ms();
    albums_from_threads(&m);
    int64_t took = spotify__monotonic_ms() - start;
    assert_int_equal(grants() - before, 1);
    assert_true(took >= 250 && took < 5000);
    assert_int_equal(redis_test_warning_count(FALLING_BACK), 1);
    redis_server_pause(&srv, false);
    member_free(&m);
}

/* Two members (two processes of a fleet): while Redis is away each
 * refreshes once on its own; after it returns, the next expiry is one
 * refresh for the fleet. */
static void test_fleet_converges_after_outage(void **state)
{
    (void)state;
    char url[64], prefix[64];
    server_start(url, prefix);
    member a, b;
    member_new(&a, url, prefix, false);
    member_new(&b, url, prefix, false);
    long before = grants();
    assert_int_equal(album(&a), SPOTIFY_OK);
    assert_int_equal(album(&b), SPOTIFY_OK);
    assert_int_equal(grants() - before, 1); /* one fleet */

    redis_server_stop(&srv);
    before = grants();
    expire_tokens();
    assert_int_equal(album(&a), SPOTIFY_OK);
    assert_int_equal(album(&b), SPOTIFY_OK);
    assert_int_equal(album(&a), SPOTIFY_OK);
    assert_int_equal(grants() - before, 2); /* one per process */

    assert_true(redis_server_start(&srv, srv.port));
    sleep_ms(1100); /* the reconnect pause */
    before = grants();
    expire_tokens();
    assert_int_equal(album(&a), SPOTIFY_OK);
    assert_int_equal(album(&b), SPOTIFY_OK);
    assert_int_equal(grants() - before, 1); /* one fleet again */
    char *ta = access_of(&a), *tb = access_of(&b);
    assert_string_equal(ta, tb);
    free(ta);
    free(tb);
    member_free(&a);
    member_free(&b);
}

/* The cooldown store while Redis is away: requests go on, one warning, and
 * a 429 still cools this process down (its own cooldown); one warning when
 * Redis answers again. */
static void test_cooldown_degrades_to_local(void **state)
{
    (void)state;
    char url[64], prefix[64];
    server_start(url, prefix);
    member m;
    member_ready(&m, url, prefix, true);

    redis_server_stop(&srv);
    for (int i = 0; i < 20; i++) {
        assert_int_equal(album(&m), SPOTIFY_OK);
        sleep_ms(5); /* past cooldown_poll_ms now and then */
    }
    assert_int_equal(redis_test_warning_count(COOLDOWN_LOCAL), 1);

    assert_true(redis_test_control("POST", "/__emulator/faults",
                                   "{\"route\":\"" ALBUM_ROUTE "\",\"status\":429,"
                                   "\"retry_after\":1,\"count\":1}"));
    assert_int_equal(album(&m), SPOTIFY_ERATELIMIT); /* the 429 (fail_fast) */
    assert_int_equal(album(&m), SPOTIFY_ERATELIMIT); /* cooling down: not sent */
    assert_int_equal(emulator_route_count(&redis_test_emu, "GET", ALBUM_ROUTE, 429), 1);

    assert_true(redis_server_start(&srv, srv.port));
    sleep_ms(1100); /* the cooldown and the reconnect pause end */
    char back[64];
    snprintf(back, sizeof back, "%d answers again", srv.port);
    for (int i = 0; i < 40 && redis_test_warning_count(back) == 0; i++) {
        assert_int_equal(album(&m), SPOTIFY_OK);
        sleep_ms(30);
    }
    assert_int_equal(redis_test_warning_count("rate-limit cooldown: Redis at"), 2);
    assert_int_equal(redis_test_warning_count(back), 1);
    assert_int_equal(redis_test_warning_count(COOLDOWN_LOCAL), 1);
    member_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_refused_refresh_falls_back, teardown),
        cmocka_unit_test_teardown(test_unreachable_valid_tokens_flow, teardown),
        cmocka_unit_test_teardown(test_fleet_converges_after_outage, teardown),
        cmocka_unit_test_teardown(test_cooldown_degrades_to_local, teardown),
    };
    return cmocka_run_group_tests(tests, redis_test_emu_setup, redis_test_emu_teardown);
}
