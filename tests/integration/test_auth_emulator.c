/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_auth_emulator.c - the auth providers and the client against
 * spotify-emulator: every flow end to end (the browser step is a plain HTTP
 * GET of the authorization URL with auto-approve on), single-flight refresh
 * counted by the emulator, refresh-token rotation, reused codes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/spotify.h>

#include "sdk_emulator.h"

#define KENDRICK "/artists/2YZyLoL8N0Wb9xBt1NhZWg"

static char redirect_uri[] = "http://127.0.0.1:43210/callback";

static int group_setup(void **state)
{
    (void)state;
    static const char *const args[] = {"--auto-approve", NULL};
    return sdk_emulator_start(args);
}

static spotify_auth_options provider_options(const char *client, const char *secret)
{
    spotify_auth_options o = SPOTIFY_AUTH_OPTIONS_INIT;
    o.client_id = client;
    o.client_secret = secret;
    o.redirect_uri = redirect_uri;
    o.scope = "user-read-private,user-read-email";
    o.accounts_base_url = emu.base_url;
    return o;
}

/* Plays the browser: opens the authorization URL (auto-approve redirects at
 * once), parses the redirect and exchanges the code. */
static void login(spotify_auth *auth)
{
    spotify_authorize_url_options u = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    u.state = "state-123";
    char *url = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_authorize_url(&url, auth, &u, &err), SPOTIFY_OK);
    emulator_http_response r;
    assert_true(emulator_request(&r, "GET", url, NULL, NULL));
    spotify_free(url);
    assert_int_equal(r.status, 302);
    assert_non_null(r.location);
    char *code = NULL;
    assert_int_equal(spotify_auth_callback_parse(&code, r.location, "state-123", &err), SPOTIFY_OK);
    emulator_response_free(&r);
    spotify_status st = spotify_auth_exchange(NULL, auth, code, &err);
    if (st != SPOTIFY_OK)
        fail_msg("exchange: %s", err.message);
    spotify_free_secret(code);
}

static spotify_client *client_for(spotify_auth *auth)
{
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = api_base;
    opts.accounts_base_url = emu.base_url;
    opts.auth = auth;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_OK);
    return client;
}

static spotify_status get(spotify_client *client, const char *path, spotify_error *err)
{
    spotify_request request = SPOTIFY_REQUEST_INIT;
    request.path = path;
    spotify_response *response = NULL;
    spotify_status st = spotify_client_send(&response, client, &request, err);
    spotify_response_free(response);
    return st;
}

static void test_client_credentials_shortcut(void **state)
{
    (void)state;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = api_base;
    opts.accounts_base_url = emu.base_url;
    opts.client_id = "demo-client";
    opts.client_secret = "demo-secret";
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(get(client, KENDRICK, &err), SPOTIFY_OK);
    assert_int_equal(emulator_grant_count(&emu, "client_credentials"), 1);
    /* App tokens cannot read user data: Spotify (and the emulator) say 403. */
    assert_int_equal(get(client, "/me", &err), SPOTIFY_EFORBIDDEN);
    assert_non_null(strstr(err.message, "Insufficient client scope"));
    spotify_client_free(client);
}

static void test_wrong_secret_is_auth_error(void **state)
{
    (void)state;
    spotify_auth_options o = provider_options("demo-client", "not-the-secret");
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_client_credentials_new(&auth, &o, NULL), SPOTIFY_OK);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify_error err = {0};
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, auth, &err), SPOTIFY_EAUTH);
    assert_string_equal(err.code, "invalid_client");
    assert_null(strstr(err.message, "not-the-secret"));
    spotify_auth_free(auth);
}

static void test_authorization_code_end_to_end(void **state)
{
    (void)state;
    spotify_auth_options o = provider_options("demo-client", "demo-secret");
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_code_new(&auth, &o, NULL), SPOTIFY_OK);
    login(auth);
    spotify_client *client = client_for(auth);
    spotify_error err = {0};
    assert_int_equal(get(client, "/me", &err), SPOTIFY_OK);
    spotify_token token = {0};
    assert_int_equal(spotify_auth_token_get(&token, auth, NULL), SPOTIFY_OK);
    assert_non_null(token.refresh_token);
    assert_non_null(strstr(token.scope, "user-read-private"));
    spotify_token_clear(&token);
    assert_int_equal(emulator_grant_count(&emu, "authorization_code"), 1);
    spotify_client_free(client);
    spotify_auth_free(auth);
}

static void test_pkce_end_to_end(void **state)
{
    (void)state;
    spotify_auth_options o = provider_options("demo-public", NULL);
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_pkce_new(&auth, &o, NULL), SPOTIFY_OK);
    login(auth); /* the emulator verifies the S256 challenge */
    spotify_client *client = client_for(auth);
    assert_int_equal(get(client, "/me", NULL), SPOTIFY_OK);
    assert_int_equal(spotify_auth_refresh(auth, NULL), SPOTIFY_OK);
    assert_int_equal(get(client, "/me", NULL), SPOTIFY_OK);
    assert_int_equal(emulator_grant_count(&emu, "refresh_token"), 1);
    spotify_client_free(client);
    spotify_auth_free(auth);
}

/* A returning user: the options' refresh token refreshes a provider with
 * nothing cached, and the token stored in the cache keeps that refresh
 * token when Spotify sends no new one (no rotation), so that whoever reads
 * the cache later (another process, the next run) can refresh too. */
static void test_bootstrap_refresh_token_is_stored(void **state)
{
    (void)state;
    spotify_auth_options o = provider_options("demo-client", "demo-secret");
    spotify_auth *first = NULL;
    assert_int_equal(spotify_auth_code_new(&first, &o, NULL), SPOTIFY_OK);
    login(first);
    spotify_token issued = {0};
    assert_int_equal(spotify_auth_token_get(&issued, first, NULL), SPOTIFY_OK);
    assert_non_null(issued.refresh_token);

    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_memory_new(&cache, NULL), SPOTIFY_OK);
    o.refresh_token = issued.refresh_token;
    o.token_cache = cache;
    spotify_auth *returning = NULL;
    assert_int_equal(spotify_auth_code_new(&returning, &o, NULL), SPOTIFY_OK);
    char buf[SPOTIFY_ACCESS_TOKEN_MAX];
    assert_int_equal(spotify_auth_access_token_get(buf, sizeof buf, returning, NULL), SPOTIFY_OK);
    spotify_token stored = {0};
    bool found = false;
    assert_int_equal(spotify_token_cache_get(&stored, &found, cache, NULL), SPOTIFY_OK);
    assert_true(found);
    assert_non_null(stored.refresh_token);
    assert_string_equal(stored.refresh_token, issued.refresh_token);
    spotify_token_clear(&stored);
    assert_int_equal(emulator_grant_count(&emu, "refresh_token"), 1);

    /* A provider without the option refreshes from the cache alone. */
    o.refresh_token = NULL;
    spotify_auth *later = NULL;
    assert_int_equal(spotify_auth_code_new(&later, &o, NULL), SPOTIFY_OK);
    assert_int_equal(spotify_auth_refresh(later, NULL), SPOTIFY_OK);
    assert_int_equal(emulator_grant_count(&emu, "refresh_token"), 2);
    spotify_auth_free(later);
    spotify_auth_free(returning);
    spotify_token_cache_free(cache);
    spotify_token_clear(&issued);
    spotify_auth_free(first);
}

static void test_reused_code_is_invalid_grant(void **state)
{
    (void)state;
    spotify_auth_options o = provider_options("demo-client", "demo-secret");
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_code_new(&auth, &o, NULL), SPOTIFY_OK);
    char *url = NULL;
    assert_int_equal(spotify_auth_authorize_url(&url, auth, NULL, NULL), SPOTIFY_OK);
    emulator_http_response r;
    assert_true(emulator_request(&r, "GET", url, NULL, NULL));
    spotify_free(url);
    char *code = NULL;
    assert_int_equal(spotify_auth_callback_parse(&code, r.location, NULL, NULL), SPOTIFY_OK);
    emulator_response_free(&r);
    assert_int_equal(spotify_auth_exchange(NULL, auth, code, NULL), SPOTIFY_OK);
    spotify_error err = {0};
    assert_int_equal(spotify_auth_exchange(NULL, auth, code, &err), SPOTIFY_EAUTH);
    assert_string_equal(err.code, "invalid_grant");
    assert_null(strstr(err.message, code));
    spotify_free_secret(code);
    spotify_auth_free(auth);
}

typedef struct worker {
    spotify_client *client;
    spotify_status status;
} worker;

static void *worker_main(void *arg)
{
    worker *w = arg;
    w->status = get(w->client, "/me", NULL);
    return NULL;
}

static void test_32_threads_after_expiry_one_refresh(void **state)
{
    (void)state;
    spotify_auth_options o = provider_options("demo-client", "demo-secret");
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_code_new(&auth, &o, NULL), SPOTIFY_OK);
    login(auth);
    spotify_client *client = client_for(auth);
    /* Every token the emulator issued is now expired: each thread's first
     * request gets a 401, and they all need a new token at once. */
    sdk_emulator_control("/__emulator/expire-tokens", "{}");
    enum { THREADS = 32 };
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){client, SPOTIFY_OK};
        pthread_create(&threads[i], NULL, worker_main, &workers[i]);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(workers[i].status, SPOTIFY_OK);
    }
    assert_int_equal(emulator_grant_count(&emu, "refresh_token"), 1);
    spotify_client_free(client);
    spotify_auth_free(auth);
}

static void test_rotation_keeps_working(void **state)
{
    (void)state;
    sdk_emulator_control("/__emulator/config", "{\"rotate_refresh_tokens\":true}");
    spotify_auth_options o = provider_options("demo-client", "demo-secret");
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_code_new(&auth, &o, NULL), SPOTIFY_OK);
    login(auth);
    spotify_token first = {0};
    assert_int_equal(spotify_auth_token_get(&first, auth, NULL), SPOTIFY_OK);
    for (int i = 0; i < 3; i++) {
        spotify_error err = {0};
        spotify_status st = spotify_auth_refresh(auth, &err);
        if (st != SPOTIFY_OK)
            fail_msg("refresh %d: %s", i, err.message);
    }
    spotify_token now = {0};
    assert_int_equal(spotify_auth_token_get(&now, auth, NULL), SPOTIFY_OK);
    assert_string_not_equal(first.refresh_token, now.refresh_token);
    assert_int_equal(emulator_grant_count(&emu, "refresh_token"), 3);
    /* The first refresh token was revoked by the rotation. */
    spotify_auth_options stale = o;
    stale.refresh_token = first.refresh_token;
    spotify_auth *old = NULL;
    assert_int_equal(spotify_auth_code_new(&old, &stale, NULL), SPOTIFY_OK);
    spotify_error err = {0};
    assert_int_equal(spotify_auth_refresh(old, &err), SPOTIFY_EAUTH);
    assert_string_equal(err.code, "invalid_grant");
    spotify_token_clear(&first);
    spotify_token_clear(&now);
    spotify_auth_free(old);
    spotify_auth_free(auth);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_client_credentials_shortcut, sdk_emulator_reset),
        cmocka_unit_test_setup(test_wrong_secret_is_auth_error, sdk_emulator_reset),
        cmocka_unit_test_setup(test_authorization_code_end_to_end, sdk_emulator_reset),
        cmocka_unit_test_setup(test_pkce_end_to_end, sdk_emulator_reset),
        cmocka_unit_test_setup(test_bootstrap_refresh_token_is_stored, sdk_emulator_reset),
        cmocka_unit_test_setup(test_reused_code_is_invalid_grant, sdk_emulator_reset),
        cmocka_unit_test_setup(test_32_threads_after_expiry_one_refresh, sdk_emulator_reset),
        cmocka_unit_test_setup(test_rotation_keeps_working, sdk_emulator_reset),
    };
    return cmocka_run_group_tests(tests, group_setup, sdk_emulator_group_teardown);
}
