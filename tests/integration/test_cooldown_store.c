/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_cooldown_store.c - spotify_client_options.cooldown_store, the hook a
 * fleet shares its rate-limit cooldown through (spotify-sdk-redis provides
 * one), with an in-process fake store against spotify-emulator: the store's
 * cooldown holds requests back or fails them fast as the retry policy says,
 * a 429 extends the store by its Retry-After, and bad stores are refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <spotify/spotify.h>

#include "emulator_fixture.h"
#include "test_util.h"

#define ALBUM "/albums/7ycBtnsMtyVbbwTfJwRjSP"
#define ALBUM_ROUTE "/v1/albums/{id}"

/* A shared store in memory: answers `remaining` until `answers` run out,
 * then 0; records every extension. */
typedef struct fake_store {
    int64_t remaining;
    int answers;
    int reads;
    int extends;
    int64_t last_extend_ms;
} fake_store;

static int64_t fake_remaining(void *user)
{
    fake_store *f = user;
    f->reads++;
    if (f->answers <= 0)
        return 0;
    f->answers--;
    return f->remaining;
}

static void fake_extend(void *user, int64_t ms)
{
    fake_store *f = user;
    f->extends++;
    f->last_extend_ms = ms;
}

static spotify_client *client_with(const spotify_cooldown_store *store, bool fail_fast,
                                   test_clock *clock)
{
    char token[256];
    assert_true(emulator_issue_token(&test_emu, "{\"user\":false}", token, sizeof token, NULL, 0));
    spotify_clock c = {test_clock_now, test_clock_sleep, clock};
    spotify_client_options o = SPOTIFY_CLIENT_OPTIONS_INIT;
    o.api_base_url = test_api_base;
    o.access_token = token;
    o.cooldown_store = store;
    o.retry.fail_fast = fail_fast;
    o.clock = clock != NULL ? &c : NULL;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &o, &err), SPOTIFY_OK);
    return client;
}

static spotify_status get_album(spotify_client *client, spotify_error *err)
{
    spotify_request req = SPOTIFY_REQUEST_INIT;
    req.path = ALBUM;
    spotify_response *resp = NULL;
    spotify_status st = spotify_client_send(&resp, client, &req, err);
    spotify_response_free(resp);
    return st;
}

static void test_store_cooldown_fails_fast_without_a_request(void **state)
{
    (void)state;
    fake_store f = {.remaining = 5000, .answers = 100};
    spotify_cooldown_store store = {SPOTIFY_COOLDOWN_STORE_VERSION, fake_remaining, fake_extend,
                                    &f};
    spotify_client *client = client_with(&store, true, NULL);
    spotify_error err = {0};
    assert_int_equal(get_album(client, &err), SPOTIFY_ERATELIMIT);
    assert_int_equal(err.retry_after_ms, 5000);
    assert_int_equal(err.attempts, 0);
    assert_true(f.reads >= 1);
    assert_int_equal(emulator_total_count(&test_emu), 0);
    spotify_client_free(client);
}

static void test_store_cooldown_is_waited_out(void **state)
{
    (void)state;
    fake_store f = {.remaining = 3000, .answers = 1};
    spotify_cooldown_store store = {SPOTIFY_COOLDOWN_STORE_VERSION, fake_remaining, fake_extend,
                                    &f};
    test_clock clock = {.now_ms = 1000};
    spotify_client *client = client_with(&store, false, &clock);
    assert_int_equal(get_album(client, NULL), SPOTIFY_OK);
    assert_int_equal(clock.slept_ms, 3000);
    assert_int_equal(emulator_route_count(&test_emu, "GET", ALBUM_ROUTE, 200), 1);
    spotify_client_free(client);
}

static void test_store_beyond_max_wait_fails(void **state)
{
    (void)state;
    fake_store f = {.remaining = 90000, .answers = 100};
    spotify_cooldown_store store = {SPOTIFY_COOLDOWN_STORE_VERSION, fake_remaining, fake_extend,
                                    &f};
    test_clock clock = {.now_ms = 1000};
    spotify_client *client = client_with(&store, false, &clock);
    spotify_error err = {0};
    assert_int_equal(get_album(client, &err), SPOTIFY_ERATELIMIT);
    assert_int_equal(clock.slept_ms, 0);
    assert_int_equal(emulator_total_count(&test_emu), 0);
    spotify_client_free(client);
}

static void test_429_extends_the_store(void **state)
{
    (void)state;
    emulator_http_response r;
    assert_true(emulator_control(&test_emu, "POST", "/__emulator/faults",
                                 "{\"route\":\"" ALBUM_ROUTE "\",\"status\":429,\"retry_after\":4}",
                                 &r));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    fake_store f = {0};
    spotify_cooldown_store store = {SPOTIFY_COOLDOWN_STORE_VERSION, fake_remaining, fake_extend,
                                    &f};
    test_clock clock = {.now_ms = 1000};
    spotify_client *client = client_with(&store, false, &clock);
    assert_int_equal(get_album(client, NULL), SPOTIFY_OK);
    assert_int_equal(f.extends, 1);
    assert_int_equal(f.last_extend_ms, 4000);
    assert_int_equal(clock.slept_ms, 4000); /* its own cooldown, not the store's */
    spotify_client_free(client);
}

static void test_bad_store_is_refused(void **state)
{
    (void)state;
    fake_store f = {0};
    spotify_cooldown_store bad[] = {{0, fake_remaining, fake_extend, &f},
                                    {SPOTIFY_COOLDOWN_STORE_VERSION, NULL, fake_extend, &f},
                                    {SPOTIFY_COOLDOWN_STORE_VERSION, fake_remaining, NULL, &f}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        spotify_client_options o = SPOTIFY_CLIENT_OPTIONS_INIT;
        o.api_base_url = test_api_base;
        o.access_token = "token";
        o.cooldown_store = &bad[i];
        spotify_client *client = NULL;
        spotify_error err = {0};
        assert_int_equal(spotify_client_new(&client, &o, &err), SPOTIFY_EINVALID);
        assert_null(client);
        assert_non_null(strstr(err.message, "cooldown_store"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_store_cooldown_fails_fast_without_a_request, test_emu_reset),
        cmocka_unit_test_setup(test_store_cooldown_is_waited_out, test_emu_reset),
        cmocka_unit_test_setup(test_store_beyond_max_wait_fails, test_emu_reset),
        cmocka_unit_test_setup(test_429_extends_the_store, test_emu_reset),
        cmocka_unit_test(test_bad_store_is_refused),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
