/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_client_config.c - client options: base URL precedence (explicit >
 * environment > default), validation, options versioning. No request is
 * sent.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <spotify/spotify.h>

#include "http/execute.h"

static int clear_env(void **state)
{
    (void)state;
    unsetenv("SPOTIFY_SDK_API_BASE_URL");
    unsetenv("SPOTIFY_SDK_ACCOUNTS_BASE_URL");
    return 0;
}

static spotify_client *client_with(const char *api, const char *accounts)
{
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.access_token = "token";
    opts.api_base_url = api;
    opts.accounts_base_url = accounts;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_OK);
    return client;
}

static void test_defaults_are_spotify(void **state)
{
    (void)state;
    spotify_client *client = client_with(NULL, NULL);
    assert_string_equal(spotify_client_api_base_url(client), "https://api.spotify.com/v1");
    assert_string_equal(spotify_client_accounts_base_url(client), "https://accounts.spotify.com");
    spotify_client_free(client);
}

static void test_environment_overrides_defaults(void **state)
{
    (void)state;
    setenv("SPOTIFY_SDK_API_BASE_URL", "http://127.0.0.1:9000/v1/", 1);
    setenv("SPOTIFY_SDK_ACCOUNTS_BASE_URL", "http://127.0.0.1:9000", 1);
    spotify_client *client = client_with(NULL, NULL);
    assert_string_equal(spotify_client_api_base_url(client), "http://127.0.0.1:9000/v1");
    assert_string_equal(spotify_client_accounts_base_url(client), "http://127.0.0.1:9000");
    spotify_client_free(client);
}

static void test_explicit_wins_over_environment(void **state)
{
    (void)state;
    setenv("SPOTIFY_SDK_API_BASE_URL", "http://127.0.0.1:9000/v1", 1);
    spotify_client *client = client_with("https://proxy.example/v1", NULL);
    assert_string_equal(spotify_client_api_base_url(client), "https://proxy.example/v1");
    spotify_client_free(client);
}

static void test_empty_environment_counts_as_unset(void **state)
{
    (void)state;
    setenv("SPOTIFY_SDK_API_BASE_URL", "", 1);
    spotify_client *client = client_with(NULL, NULL);
    assert_string_equal(spotify_client_api_base_url(client), "https://api.spotify.com/v1");
    spotify_client_free(client);
}

static void test_bad_base_urls_are_config_errors(void **state)
{
    (void)state;
    const char *bad[] = {"ftp://x", "api.spotify.com", "http://x/v1?q=1", "http://x\r\nHost: y"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
        opts.access_token = "token";
        opts.api_base_url = bad[i];
        spotify_client *client = NULL;
        /* A record reused after a failed HTTP call: the configuration error
         * made no attempt and must not report the previous one's. */
        spotify_error err = {.attempts = 2, .retry_after_ms = 900};
        assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_ECONFIG);
        assert_null(client);
        assert_int_equal(err.status, SPOTIFY_ECONFIG);
        assert_int_equal(err.attempts, 0);
        assert_int_equal(err.retry_after_ms, -1);
        assert_non_null(strstr(err.message, "API base URL"));
    }
    setenv("SPOTIFY_SDK_ACCOUNTS_BASE_URL", "not-a-url", 1);
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.access_token = "token";
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTIFY_SDK_ACCOUNTS_BASE_URL"));
}

static void test_missing_token_is_config_error(void **state)
{
    (void)state;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_ECONFIG);
    assert_null(client);
}

static void test_token_with_line_break_is_rejected_without_echo(void **state)
{
    (void)state;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.access_token = "secret-value\r\nX-Injected: 1";
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_ECONFIG);
    assert_null(strstr(err.message, "secret-value"));
}

static void test_options_version_is_checked(void **state)
{
    (void)state;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.access_token = "token";
    opts.version = 42;
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &opts, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_client_new(NULL, &opts, &err), SPOTIFY_EINVALID);

    spotify_client_options filled;
    memset(&filled, 0xff, sizeof filled);
    assert_int_equal(spotify_client_options_init(&filled, SPOTIFY_CLIENT_OPTIONS_VERSION),
                     SPOTIFY_OK);
    assert_int_equal(filled.retry.version, SPOTIFY_RETRY_OPTIONS_VERSION);
    assert_int_equal(filled.retry.max_retries, 0); /* zero: the default */
    assert_int_equal(filled.timeouts.call_ms, 0);
    assert_null(filled.api_base_url);
    assert_int_equal(spotify_client_options_init(&filled, 0), SPOTIFY_EINVALID);

    /* The nested retry options' version is checked too (0: a zeroed one). */
    spotify_client_options nested = SPOTIFY_CLIENT_OPTIONS_INIT;
    nested.access_token = "token";
    nested.retry.version = 7;
    assert_int_equal(spotify_client_new(&client, &nested, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "retry options version"));
    nested.retry.version = 0;
    assert_int_equal(spotify_client_new(&client, &nested, &err), SPOTIFY_OK);
    spotify_client_free(client);
}

/* Zero means the default in every options struct: a struct zeroed but for
 * its version works, and zero fields resolve to the documented defaults. */
static void test_zero_means_default(void **state)
{
    (void)state;
    spotify_client_options zeroed;
    memset(&zeroed, 0, sizeof zeroed);
    zeroed.version = SPOTIFY_CLIENT_OPTIONS_VERSION;
    zeroed.access_token = "token";
    spotify_client *client = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&client, &zeroed, &err), SPOTIFY_OK);
    spotify_client_free(client);

    spotify_retry_options retry = SPOTIFY_RETRY_OPTIONS_INIT;
    spotify__retry_policy policy = spotify__retry_policy_from_options(&retry);
    assert_int_equal(policy.max_retries, 3);
    assert_int_equal(policy.initial_backoff_ms, 500);
    assert_int_equal(policy.max_backoff_ms, 8000);
    assert_int_equal(policy.max_wait_ms, 60000);
    retry.max_retries = SPOTIFY_RETRY_NONE;
    assert_int_equal(spotify__retry_policy_from_options(&retry).max_retries, 0);
    retry.max_retries = 5;
    assert_int_equal(spotify__retry_policy_from_options(&retry).max_retries, 5);

    spotify_timeouts zero = SPOTIFY_TIMEOUTS_INIT;
    spotify_timeouts resolved = spotify__timeouts_resolve(&zero);
    assert_int_equal(resolved.connect_ms, 10000);
    assert_int_equal(resolved.attempt_ms, 30000);
    assert_int_equal(resolved.call_ms, 120000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_defaults_are_spotify, clear_env),
        cmocka_unit_test_setup(test_zero_means_default, clear_env),
        cmocka_unit_test_setup(test_environment_overrides_defaults, clear_env),
        cmocka_unit_test_setup(test_explicit_wins_over_environment, clear_env),
        cmocka_unit_test_setup(test_empty_environment_counts_as_unset, clear_env),
        cmocka_unit_test_setup(test_bad_base_urls_are_config_errors, clear_env),
        cmocka_unit_test_setup(test_missing_token_is_config_error, clear_env),
        cmocka_unit_test_setup(test_token_with_line_break_is_rejected_without_echo, clear_env),
        cmocka_unit_test_setup(test_options_version_is_checked, clear_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
