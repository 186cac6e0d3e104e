/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_redis.c - `--cache redis://...` and SPOTCTL_CACHE=redis://
 * against the redis-server of the CTest fixture (tests/redis) and
 * spotify-emulator: login (scripted browser), token, me, albums get, logout
 * with the token in Redis and no token file; the client-credentials token
 * kept under the app's key and reused; eight processes sharing one expired
 * Redis record refresh once; a 429 seen by one process makes the next fail
 * fast without a request (the shared cooldown); rediss:// and an unreachable Redis fail with exit 3
 * and 6 and clear messages; redis-sentinel:// finds the same Redis through the fixture's Sentinel
 * (master "fixture"), and a Sentinel URL with no Sentinel reachable is exit 6. Each test uses its
 * own user key (SPOTCTL_REDIS_USER).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <spotify/redis.h>
#include <spotify/spotify.h>

#include "cli.h"
#include "redis_test_util.h"
#include "test_util.h"

#define F cli_fx
#define ALBUM "4EcfbzCtbJDk2wMwhT4D1h"

static char url[128];       /* redis://127.0.0.1:PORT of the fixture */
static char user_env[96];   /* SPOTCTL_REDIS_USER=... of this test */
static char user_key[48];   /* its value */
static char token_key[160]; /* spotify-sdk:token:demo-client:user:KEY */
static redisContext *redis; /* a direct connection for checking keys */
static const char cooldown_key[] = "spotify-sdk:cooldown:demo-client";
static const char app_key[] = "spotify-sdk:token:demo-client:app";

/* A fresh emulator and user key, no token file. */
static int fresh(void **state)
{
    static int n;
    snprintf(user_key, sizeof user_key, "spotctl-test-%d-%d", (int)getpid(), ++n);
    snprintf(user_env, sizeof user_env, "SPOTCTL_REDIS_USER=%s", user_key);
    snprintf(token_key, sizeof token_key, "spotify-sdk:token:demo-client:user:%s", user_key);
    return cli_setup_fresh(state);
}

/* Runs spotctl with --cache URL, the test's user key and the app id. */
static void run(cli_result *r, const char *const *argv)
{
    const char *args[32];
    size_t n = 0;
    args[n++] = "--cache";
    args[n++] = url;
    for (size_t i = 0; argv[i] != NULL && n + 1 < 32; i++)
        args[n++] = argv[i];
    args[n] = NULL;
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client", user_env, NULL};
    assert_true(cli_runv(r, &F, env, NULL, args));
}

#define RUN(r, ...)                                                                                \
    do {                                                                                           \
        const char *argv_[] = {__VA_ARGS__, NULL};                                                 \
        run(&(r), argv_);                                                                          \
    } while (0)

static long long exists(const char *key)
{
    return redis_test_integer(redis, "EXISTS %s", key);
}

/* A saved login in Redis under the test's user key. */
static void redis_login(double expires_in)
{
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_redis_token_cache_from_url(&cache, url, "demo-client", user_key, NULL),
                     SPOTIFY_OK);
    assert_true(cli_login_into(&F, cache, NULL, expires_in));
    spotify_token_cache_free(cache);
}

static void test_login_and_commands(void **state)
{
    (void)state;
    char redirect[96], browser[300];
    snprintf(redirect, sizeof redirect, "SPOTIFY_SDK_REDIRECT_URI=http://127.0.0.1:%d/callback",
             loopback_free_port());
    snprintf(browser, sizeof browser, "BROWSER=%s", FAKE_BROWSER_PATH);
    char cache_env[160];
    snprintf(cache_env, sizeof cache_env, "SPOTCTL_CACHE=%s", url); /* the variable this time */
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client",
                         user_env,
                         browser,
                         "FAKE_BROWSER_MODE=approve",
                         redirect,
                         cache_env,
                         NULL};
    const char *login_argv[] = {"login", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, login_argv));
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    cli_assert_no_secret(&r);
    char want[256];
    snprintf(want, sizeof want, "Logged in as Demo User (demo-user). Token saved to %s.\n", url);
    assert_string_equal(r.out, want);
    cli_result_free(&r);
    assert_int_equal(exists(token_key), 1);
    /* no TTL: the record holds a refresh token */
    assert_int_equal(redis_test_integer(redis, "PTTL %s", token_key), -1);
    struct stat sb;
    assert_int_not_equal(stat(F.cache, &sb), 0); /* no token file */

    RUN(r, "--json", "token");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"source\":\"redis\""));
    assert_non_null(strstr(r.out, "\"flow\":\"authorization_code\""));
    cli_result_free(&r);
    RUN(r, "me");
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "demo-user"));
    cli_result_free(&r);
    RUN(r, "--json", "albums", "get", ALBUM, "7ycBtnsMtyVbbwTfJwRjSP", "--parallel", "2");
    cli_assert_ok(&r);
    assert_int_equal(cli_lines(r.out), 2);
    assert_non_null(strstr(r.out, "\"id\":\"" ALBUM "\""));
    cli_result_free(&r);
    assert_int_equal(emulator_grant_count(&F.emu, "authorization_code"), 1);
    assert_int_equal(emulator_grant_count(&F.emu, "refresh_token"), 0);

    RUN(r, "logout");
    cli_assert_ok(&r);
    cli_result_free(&r);
    assert_int_equal(exists(token_key), 0);
    RUN(r, "me");
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "not logged in"));
    cli_result_free(&r);
}

/* Client credentials with a Redis store: the app's token goes to the app's
 * key (not the user's) and the next run reuses it. */
static void test_app_token_stored(void **state)
{
    (void)state;
    redis_test_integer(redis, "DEL %s", app_key);
    for (int i = 0; i < 2; i++) {
        cli_result r;
        RUN(r, "albums", "get", ALBUM);
        cli_assert_ok(&r);
        assert_non_null(strstr(r.out, ALBUM));
        cli_result_free(&r);
    }
    assert_int_equal(emulator_grant_count(&F.emu, "client_credentials"), 1);
    assert_int_equal(exists(app_key), 1);
    assert_int_equal(exists(token_key), 0);
    redis_test_integer(redis, "DEL %s", app_key);
}

/* Eight processes share one expired record in Redis: one refresh. */
static void test_concurrent_processes_one_refresh(void **state)
{
    (void)state;
    redis_login(-1);
    enum { N = 8 };
    const char *argv[] = {"--cache", url, "me", NULL};
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client", user_env, NULL};
    cli_run_concurrently(&F, env, argv, N, "demo-user");
    assert_int_equal(emulator_grant_count(&F.emu, "refresh_token"), 1);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/me", 200), N);
    redis_test_integer(redis, "DEL %s", token_key);
}

/* A 429 seen by one process: the next one waits it out or, as here with a
 * Retry-After beyond the retry policy's wait, fails at once without a
 * request. */
static void test_shared_cooldown(void **state)
{
    (void)state;
    redis_login(3600);
    redis_test_integer(redis, "DEL %s", cooldown_key);
    assert_true(
        cli_fault(&F, "{\"route\":\"/v1/albums/{id}\",\"status\":429,\"retry_after\":600}"));
    cli_result r;
    RUN(r, "albums", "get", ALBUM);
    assert_int_equal(r.status, 5);
    cli_result_free(&r);
    long long ttl = redis_test_integer(redis, "PTTL %s", cooldown_key);
    assert_true(ttl > 500000 && ttl <= 600000);
    RUN(r, "albums", "get", ALBUM);
    assert_int_equal(r.status, 5);
    assert_non_null(strstr(r.err, "spotctl: rate limit:"));
    cli_result_free(&r);
    /* the second process sent nothing */
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/albums/{id}", 429), 1);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/albums/{id}", 200), 0);
    redis_test_integer(redis, "DEL %s", cooldown_key);
    redis_test_integer(redis, "DEL %s", token_key);
}

/* The same store through the fixture's Sentinel: a login saved through
 * redis:// is the one `me` uses through redis-sentinel://, with a
 * Sentinel that is down listed first. */
static void test_sentinel_url(void **state)
{
    (void)state;
    redis_login(3600);
    char sentinel_url[160];
    snprintf(sentinel_url, sizeof sentinel_url,
             "redis-sentinel://127.0.0.1:%d,127.0.0.1:%d/fixture", redis_test_closed_port(),
             redis_fixture_port("sentinel"));
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client", user_env, NULL};
    const char *argv[] = {"--cache", sentinel_url, "--json", "token", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, argv));
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "\"source\":\"redis\""));
    cli_result_free(&r);
    const char *me[] = {"--cache", sentinel_url, "me", NULL};
    assert_true(cli_runv(&r, &F, env, NULL, me));
    cli_assert_ok(&r);
    assert_non_null(strstr(r.out, "demo-user"));
    cli_result_free(&r);
    assert_int_equal(emulator_grant_count(&F.emu, "refresh_token"), 0);

    /* no Sentinel reachable: exit 6 naming Sentinel, no password */
    snprintf(sentinel_url, sizeof sentinel_url, "redis-sentinel://:s3cret-pw@127.0.0.1:%d/fixture",
             redis_test_closed_port());
    assert_true(cli_runv(&r, &F, env, NULL, me));
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "spotctl: transport: Redis master fixture via Sentinel"));
    assert_null(strstr(r.err, "s3cret-pw"));
    cli_result_free(&r);
    redis_test_integer(redis, "DEL %s", token_key);
}

static void test_tls_url_refused(void **state)
{
    (void)state;
    const char *argv[] = {"--cache", "rediss://127.0.0.1:6380", "me", NULL};
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, argv));
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "spotctl: config:"));
    assert_non_null(strstr(r.err, "TLS"));
    cli_result_free(&r);
}

static void test_redis_down(void **state)
{
    (void)state;
    char down[96];
    snprintf(down, sizeof down, "redis://:s3cret-pw@127.0.0.1:%d", redis_test_closed_port());
    const char *argv[] = {"--cache", down, "me", NULL};
    const char *env[] = {"SPOTIFY_SDK_CLIENT_ID=demo-client", NULL};
    cli_result r;
    assert_true(cli_runv(&r, &F, env, NULL, argv));
    assert_int_equal(r.status, 6);
    assert_non_null(strstr(r.err, "spotctl: transport:"));
    assert_non_null(strstr(r.err, "Redis"));
    assert_null(strstr(r.err, "Spotify"));
    assert_null(strstr(r.err, "s3cret-pw"));
    cli_result_free(&r);
    /* without the app id there is no key to use */
    const char *no_id[] = {"SPOTIFY_SDK_CLIENT_ID=", NULL};
    assert_true(cli_runv(&r, &F, no_id, NULL, argv));
    assert_int_equal(r.status, 3);
    assert_non_null(strstr(r.err, "SPOTIFY_SDK_CLIENT_ID"));
    cli_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_login_and_commands, fresh),
        cmocka_unit_test_setup(test_app_token_stored, fresh),
        cmocka_unit_test_setup(test_concurrent_processes_one_refresh, fresh),
        cmocka_unit_test_setup(test_shared_cooldown, fresh),
        cmocka_unit_test_setup(test_sentinel_url, fresh),
        cmocka_unit_test_setup(test_tls_url_refused, fresh),
        cmocka_unit_test_setup(test_redis_down, fresh),
    };
    snprintf(url, sizeof url, "redis://127.0.0.1:%d", redis_fixture_port("plain"));
    redis = redis_test_connect(redis_fixture_port("plain"), NULL);
    int rc = CLI_RUN_GROUP(tests);
    redisFree(redis);
    return rc;
}
