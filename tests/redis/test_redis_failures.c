/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_redis_failures.c - how the Redis cache and cooldown fail: bad URLs,
 * wrong or missing passwords, a database that does not exist, rediss://,
 * an unreachable Redis, one that never answers, corrupt values, TTLs, the
 * lock's owner check and wait bound, a write Redis refuses (read-only
 * replica), an unreachable Redis at creation with
 * and without fallback_to_memory; Sentinels that are down, do not know the
 * master or are no Sentinel. Against the fixture's servers and
 * spotify-emulator; outages mid-run are test_redis_outage.c.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <spotify/redis.h>
#include <spotify/spotify.h>

#include "core/clock.h"
#include "emulator_process.h"
#include "redis_test_util.h"

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static spotify_status cache_new(spotify_token_cache **out, const char *url, const char *prefix,
                                spotify_error *err)
{
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = url;
    o.key_prefix = prefix;
    o.client_id = "demo-client";
    o.timeout_ms = 300;
    return spotify_redis_token_cache_new(out, &o, err);
}

static void assert_cache_error(const char *url, spotify_status expected, const char *needle)
{
    spotify_token_cache *cache = (spotify_token_cache *)&cache;
    spotify_error err = {0};
    assert_int_equal(cache_new(&cache, url, NULL, &err), expected);
    assert_null(cache);
    assert_int_equal(err.status, expected);
    if (strstr(err.message, needle) == NULL)
        fail_msg("\"%s\" lacks \"%s\"", err.message, needle);
}

/* The same, and the URL's password ("s3cret") is not in the message. */
static void assert_cache_error_secret(const char *url, spotify_status expected, const char *needle)
{
    spotify_token_cache *cache = NULL;
    spotify_error err = {0};
    assert_cache_error(url, expected, needle);
    assert_int_equal(cache_new(&cache, url, NULL, &err), expected);
    assert_null(strstr(err.message, "s3cret"));
    assert_null(strstr(err.message, "Spotify"));
}

/* Stores a token holding `access` and reads it back. */
static void assert_store_and_load(spotify_token_cache *cache, const char *access)
{
    char copy[64];
    snprintf(copy, sizeof copy, "%s", access);
    spotify_token t = {.access_token = copy, .expires_at = spotify__wall_seconds() + 60};
    assert_int_equal(spotify_token_cache_store(cache, &t, NULL), SPOTIFY_OK);
    spotify_token back = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_get(&back, &found, cache, NULL), SPOTIFY_OK);
    assert_true(found);
    assert_string_equal(back.access_token, access);
    spotify_token_clear(&back);
}

/* ---- configuration errors ---- */

/* redis-sentinel:// (the fixture's Sentinel watches "plain" as "fixture"):
 * an unknown master and a plain Redis asked as a Sentinel are
 * configuration errors, no Sentinel reachable an outage. */
static void test_sentinel_failures(void **state)
{
    (void)state;
    char url[256];
    int sentinel = redis_fixture_port("sentinel");
    snprintf(url, sizeof url, "redis-sentinel://:s3cret@127.0.0.1:%d/no-such-master", sentinel);
    assert_cache_error_secret(url, SPOTIFY_ECONFIG, "does not know the master");
    snprintf(url, sizeof url, "redis-sentinel://:s3cret@127.0.0.1:%d/fixture",
             redis_fixture_port("plain"));
    assert_cache_error_secret(url, SPOTIFY_ECONFIG, "answered with an error");
    snprintf(url, sizeof url, "redis-sentinel://:s3cret@127.0.0.1:%d,127.0.0.1:%d/fixture",
             redis_test_closed_port(), redis_test_closed_port());
    assert_cache_error_secret(url, SPOTIFY_ETRANSPORT, "no Sentinel gave the master's address");
    /* the master Sentinel names has no password, but the URL gives one */
    snprintf(url, sizeof url, "redis-sentinel://:s3cret@127.0.0.1:%d/fixture", sentinel);
    assert_cache_error_secret(url, SPOTIFY_ECONFIG, "Redis master fixture via Sentinel");
}

static void test_wrong_password(void **state)
{
    (void)state;
    char url[128];
    int port = redis_fixture_port("auth");
    snprintf(url, sizeof url, "redis://:not-the-password@127.0.0.1:%d", port);
    assert_cache_error(url, SPOTIFY_ECONFIG, "rejected the user name or password");
    spotify_error err = {0};
    spotify_token_cache *cache = NULL;
    assert_int_equal(cache_new(&cache, url, NULL, &err), SPOTIFY_ECONFIG);
    assert_null(strstr(err.message, "not-the-password"));
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", port);
    assert_cache_error(url, SPOTIFY_ECONFIG, "requires a password");
    snprintf(url, sizeof url, "redis://default:%s@127.0.0.1:%d/3", REDIS_FIXTURE_PASSWORD, port);
    assert_int_equal(cache_new(&cache, url, NULL, &err), SPOTIFY_OK);
    spotify_token_cache_free(cache);
}

static void test_wrong_db(void **state)
{
    (void)state;
    char url[128];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d/99", redis_fixture_port("plain"));
    assert_cache_error(url, SPOTIFY_ECONFIG, "database 99 does not exist");
}

static void test_tls_url_and_bad_urls(void **state)
{
    (void)state;
    assert_cache_error("rediss://127.0.0.1:6380", SPOTIFY_ECONFIG, "hiredis 0.14 has no TLS");
    assert_cache_error("http://127.0.0.1:6379", SPOTIFY_ECONFIG, "expected redis://");
    assert_cache_error("redis://127.0.0.1:0", SPOTIFY_ECONFIG, "port in 1-65535");
    spotify_error err = {0};
    spotify_token_cache *cache = NULL;
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = redis_fixture_url();
    o.client_id = "bad:id";
    assert_int_equal(spotify_redis_token_cache_new(&cache, &o, &err), SPOTIFY_ECONFIG);
    o.client_id = "demo-client";
    o.version = 99;
    assert_int_equal(spotify_redis_token_cache_new(&cache, &o, &err), SPOTIFY_EINVALID);
}

static void test_unix_socket(void **state)
{
    (void)state;
    char url[600], prefix[64];
    redis_test_prefix(prefix, sizeof prefix);
    snprintf(url, sizeof url, "unix://%s/plain.sock?db=1", getenv("SPOTIFY_TEST_REDIS_DIR"));
    spotify_token_cache *cache = NULL;
    spotify_error err = {0};
    if (cache_new(&cache, url, prefix, &err) != SPOTIFY_OK)
        fail_msg("%s", err.message);
    assert_store_and_load(cache, "unix-token");
    spotify_token_cache_free(cache);
    /* db 1, not db 0 */
    char key[128];
    snprintf(key, sizeof key, "%stoken:demo-client:app", prefix);
    redisContext *rc = redis_test_connect(redis_fixture_port("plain"), NULL);
    assert_int_equal(redis_test_integer(rc, "EXISTS %s", key), 0);
    freeReplyObject(redisCommand(rc, "SELECT 1"));
    assert_int_equal(redis_test_integer(rc, "EXISTS %s", key), 1);
    redisFree(rc);
}

/* ---- transport errors ---- */

static void test_unreachable(void **state)
{
    (void)state;
    char url[128];
    int port = redis_test_closed_port();
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", port);
    char where[64];
    snprintf(where, sizeof where, "Redis at 127.0.0.1:%d: cannot connect", port);
    assert_cache_error(url, SPOTIFY_ETRANSPORT, where);
}

static void test_no_answer_times_out(void **state)
{
    (void)state;
    /* A listener that never accepts: the kernel completes the handshake,
     * nobody answers PING. */
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 8), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    char url[128];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", ntohs(a.sin_port));
    assert_cache_error(url, SPOTIFY_ETRANSPORT, "no answer within 300 ms");
    close(fd);
}

/* ---- values ---- */

static void test_corrupt_values_read_as_no_token(void **state)
{
    (void)state;
    char prefix[64], key[128];
    redis_test_prefix(prefix, sizeof prefix);
    snprintf(key, sizeof key, "%stoken:demo-client:app", prefix);
    redisContext *rc = redis_test_connect(redis_fixture_port("plain"), NULL);
    spotify_token_cache *cache = NULL;
    assert_int_equal(cache_new(&cache, redis_fixture_url(), prefix, NULL), SPOTIFY_OK);
    const char *bad[] = {"not json", "{\"access_token\":42,\"expires_at\":1}", "[]", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        freeReplyObject(redisCommand(rc, "SET %s %s", key, bad[i]));
        spotify_token t = {0};
        bool found = true;
        assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
        assert_false(found);
    }
    freeReplyObject(redisCommand(rc, "DEL %s", key));
    freeReplyObject(redisCommand(rc, "RPUSH %s x", key));
    spotify_token t = {0};
    bool found = true;
    assert_int_equal(spotify_token_cache_get(&t, &found, cache, NULL), SPOTIFY_OK);
    assert_false(found);
    freeReplyObject(redisCommand(rc, "DEL %s", key));
    redisFree(rc);
    spotify_token_cache_free(cache);
}

static void test_ttl_only_without_refresh_token(void **state)
{
    (void)state;
    char prefix[64], app_key[128], user_key[128];
    redis_test_prefix(prefix, sizeof prefix);
    snprintf(app_key, sizeof app_key, "%stoken:demo-client:app", prefix);
    snprintf(user_key, sizeof user_key, "%stoken:demo-client:user:alice", prefix);
    redisContext *rc = redis_test_connect(redis_fixture_port("plain"), NULL);
    spotify_token_cache *app = NULL, *user = NULL;
    assert_int_equal(cache_new(&app, redis_fixture_url(), prefix, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_redis_token_cache_from_url(&user, redis_fixture_url(), "demo-client",
                                                        "alice", NULL),
                     SPOTIFY_OK);
    spotify_token_cache_free(user);
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = redis_fixture_url();
    o.key_prefix = prefix;
    o.client_id = "demo-client";
    o.user_key = "alice";
    assert_int_equal(spotify_redis_token_cache_new(&user, &o, NULL), SPOTIFY_OK);
    char access[] = "access-1", refresh[] = "refresh-1";
    spotify_token t = {.access_token = access, .expires_at = spotify__wall_seconds() + 3600};
    assert_int_equal(spotify_token_cache_store(app, &t, NULL), SPOTIFY_OK);
    long long ttl = redis_test_integer(rc, "PTTL %s", app_key);
    assert_true(ttl > 3500 * 1000LL && ttl <= 3600 * 1000LL);
    t.refresh_token = refresh;
    assert_int_equal(spotify_token_cache_store(user, &t, NULL), SPOTIFY_OK);
    assert_int_equal(redis_test_integer(rc, "PTTL %s", user_key), -1);
    /* the same JSON record as the file cache */
    spotify_token back = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_get(&back, &found, user, NULL), SPOTIFY_OK);
    assert_true(found);
    assert_string_equal(back.refresh_token, "refresh-1");
    spotify_token_clear(&back);
    assert_int_equal(spotify_token_cache_remove(user, NULL), SPOTIFY_OK);
    assert_int_equal(redis_test_integer(rc, "EXISTS %s", user_key), 0);
    redisFree(rc);
    spotify_token_cache_free(app);
    spotify_token_cache_free(user);
}

/* A write Redis refuses (a read-only replica) is the caller's error, not an
 * outage: SPOTIFY_EIO with Redis's message, and no fallback. */
static void test_rejected_write(void **state)
{
    (void)state;
    redis_server srv;
    assert_true(redis_server_start(&srv, 0));
    char url[64];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", srv.port);
    spotify_token_cache *cache = NULL;
    assert_int_equal(cache_new(&cache, url, "readonly:", NULL), SPOTIFY_OK);
    redisContext *rc = redis_test_connect(srv.port, NULL);
    /* a replica of a master that is not there: read-only at once */
    freeReplyObject(redisCommand(rc, "REPLICAOF 127.0.0.1 %d", redis_test_closed_port()));
    redisFree(rc);
    char access[] = "access-1";
    spotify_token t = {.access_token = access, .expires_at = spotify__wall_seconds() + 60};
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_store(cache, &t, &err), SPOTIFY_EIO);
    assert_non_null(strstr(err.message, "READONLY"));
    assert_null(strstr(err.message, access));
    spotify_token_cache_free(cache);
    redis_server_stop(&srv);
}

/* ---- the lock ---- */

static spotify_token_cache *lock_cache(const char *prefix, int64_t expiry, int64_t wait)
{
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = redis_fixture_url();
    o.key_prefix = prefix;
    o.client_id = "demo-client";
    o.lock_expiry_ms = expiry;
    o.lock_wait_ms = wait;
    /* A lock another worker keeps is not a Redis failure: no fallback. */
    o.fallback_to_memory = true;
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_redis_token_cache_new(&cache, &o, NULL), SPOTIFY_OK);
    return cache;
}

/* The lock through a provider-less path: a client-credentials provider's
 * refresh takes and releases it; here we drive the ops directly. */
typedef struct cache_view {
    spotify_token_cache_ops ops;
    void *user;
} cache_view;

static const cache_view *view(const spotify_token_cache *cache)
{
    return (const cache_view *)(const void *)cache;
}

static void test_lock_owner_and_wait_bound(void **state)
{
    (void)state;
    char prefix[64], lock_key[128];
    redis_test_prefix(prefix, sizeof prefix);
    snprintf(lock_key, sizeof lock_key, "%slock:demo-client:app", prefix);
    redisContext *rc = redis_test_connect(redis_fixture_port("plain"), NULL);
    spotify_token_cache *a = lock_cache(prefix, 1000, 200);
    spotify_token_cache *b = lock_cache(prefix, 10000, 200);
    spotify_error err = {0};

    assert_int_equal(view(a)->ops.lock(view(a)->user, &err), SPOTIFY_OK);
    assert_int_equal(redis_test_integer(rc, "EXISTS %s", lock_key), 1);
    /* a's lock lives 1 s: b waits 200 ms at most and gives up. */
    assert_int_equal(view(b)->ops.lock(view(b)->user, &err), SPOTIFY_ETRANSPORT);
    assert_non_null(strstr(err.message, "held the refresh lock"));
    /* After a's lock expired, b takes it; a's late release leaves b's lock. */
    sleep_ms(1200);
    assert_int_equal(view(b)->ops.lock(view(b)->user, &err), SPOTIFY_OK);
    view(a)->ops.unlock(view(a)->user);
    assert_int_equal(redis_test_integer(rc, "EXISTS %s", lock_key), 1);
    view(b)->ops.unlock(view(b)->user);
    assert_int_equal(redis_test_integer(rc, "EXISTS %s", lock_key), 0);
    redisFree(rc);
    spotify_token_cache_free(a);
    spotify_token_cache_free(b);
}

/* try_lock's wait bound counts from the wait it is in: a waiter that found
 * a token without ever taking the lock (another worker refreshed) is not
 * failed at a later expiry because its first try then finds the lock held
 * (the soak benchmark failed requests so, "held the refresh lock for more
 * than ..."); within one wait the bound still holds. */
static void test_try_lock_wait_bound_per_wait(void **state)
{
    (void)state;
    char prefix[64];
    redis_test_prefix(prefix, sizeof prefix);
    spotify_token_cache *a = lock_cache(prefix, 10000, 300);
    spotify_token_cache *b = lock_cache(prefix, 10000, 300);
    spotify_error err = {0};
    bool taken = true;
    assert_int_equal(view(a)->ops.lock(view(a)->user, &err), SPOTIFY_OK);
    assert_int_equal(view(b)->ops.try_lock(view(b)->user, &taken, &err), SPOTIFY_OK);
    assert_false(taken);
    view(a)->ops.unlock(view(a)->user); /* b found a's token: its wait is over */
    sleep_ms(1200);
    assert_int_equal(view(a)->ops.lock(view(a)->user, &err), SPOTIFY_OK);
    assert_int_equal(view(b)->ops.try_lock(view(b)->user, &taken, &err), SPOTIFY_OK);
    assert_false(taken);
    /* Within this wait, tries every 100 ms give up after 300 ms. */
    int64_t start = spotify__monotonic_ms();
    spotify_status st = SPOTIFY_OK;
    while (st == SPOTIFY_OK && spotify__monotonic_ms() - start < 2000) {
        sleep_ms(100);
        st = view(b)->ops.try_lock(view(b)->user, &taken, &err);
    }
    assert_int_equal(st, SPOTIFY_ETRANSPORT);
    assert_non_null(strstr(err.message, "held the refresh lock"));
    assert_true(spotify__monotonic_ms() - start >= 300);
    view(a)->ops.unlock(view(a)->user);
    spotify_token_cache_free(a);
    spotify_token_cache_free(b);
}

/* ---- outages (the rest: test_redis_outage.c) ---- */

static void test_fallback_at_creation(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", redis_test_closed_port());
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = url;
    o.client_id = "demo-client";
    o.fallback_to_memory = true;
    spotify_token_cache *cache = NULL;
    spotify_redis_cooldown *cd = NULL;
    assert_int_equal(spotify_redis_token_cache_new(&cache, &o, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_redis_cooldown_new(&cd, &o, NULL), SPOTIFY_OK);
    assert_store_and_load(cache, "fallback-token");
    /* An unreachable cooldown store answers "no cooldown". */
    const spotify_cooldown_store *store = spotify_redis_cooldown_store(cd);
    assert_int_equal(store->remaining_ms(store->user), 0);
    spotify_redis_cooldown_free(cd);
    spotify_token_cache_free(cache);
    o.fallback_to_memory = false;
    assert_int_equal(spotify_redis_cooldown_new(&cd, &o, NULL), SPOTIFY_ETRANSPORT);
    assert_null(cd);
}

static void test_cooldown_store(void **state)
{
    (void)state;
    char prefix[64], key[128];
    redis_test_prefix(prefix, sizeof prefix);
    snprintf(key, sizeof key, "%scooldown:demo-client", prefix);
    spotify_redis_options o = SPOTIFY_REDIS_OPTIONS_INIT;
    o.url = redis_fixture_url();
    o.key_prefix = prefix;
    o.client_id = "demo-client";
    o.user_key = "ignored";
    o.cooldown_poll_ms = 1;
    spotify_redis_cooldown *a = NULL, *b = NULL;
    assert_int_equal(spotify_redis_cooldown_new(&a, &o, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_redis_cooldown_new(&b, &o, NULL), SPOTIFY_OK);
    const spotify_cooldown_store *sa = spotify_redis_cooldown_store(a);
    const spotify_cooldown_store *sb = spotify_redis_cooldown_store(b);
    assert_int_equal(sb->remaining_ms(sb->user), 0);
    sa->extend_ms(sa->user, 5000);
    sa->extend_ms(sa->user, 1000); /* never shortens */
    redisContext *rc = redis_test_connect(redis_fixture_port("plain"), NULL);
    assert_true(redis_test_integer(rc, "PTTL %s", key) > 2000);
    sleep_ms(5);
    int64_t left = sb->remaining_ms(sb->user);
    assert_true(left > 2000 && left <= 5000);
    freeReplyObject(redisCommand(rc, "DEL %s", key));
    redisFree(rc);
    spotify_redis_cooldown_free(a);
    spotify_redis_cooldown_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrong_password),
        cmocka_unit_test(test_sentinel_failures),
        cmocka_unit_test(test_wrong_db),
        cmocka_unit_test(test_tls_url_and_bad_urls),
        cmocka_unit_test(test_unix_socket),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_no_answer_times_out),
        cmocka_unit_test(test_corrupt_values_read_as_no_token),
        cmocka_unit_test(test_ttl_only_without_refresh_token),
        cmocka_unit_test(test_rejected_write),
        cmocka_unit_test(test_lock_owner_and_wait_bound),
        cmocka_unit_test(test_try_lock_wait_bound_per_wait),
        cmocka_unit_test(test_fallback_at_creation),
        cmocka_unit_test(test_cooldown_store),
    };
    return cmocka_run_group_tests(tests, redis_test_emu_setup, redis_test_emu_teardown);
}
