/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_settings_spotantic.c - providers configured from spotantic's
 * settings (settings_source = SPOTIFY_SETTINGS_SPOTANTIC), each test in its
 * own temporary working directory with its own ./.env: the precedence
 * explicit > SPOTIFY_SDK_* > SPOTANTIC_AUTH_* in the environment > ./.env,
 * names in any letter case, the required scope of the user flows,
 * store_access_token's file cache in spotantic's shape (written after a
 * fetch, read back by a spotantic-written file), the default file path,
 * and that the default source ignores all of it. Token requests go to the
 * scriptable test server on 127.0.0.1.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "test_server.h"
#include "test_util.h"

#define CC_OK "{\"access_token\":\"cc-token-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}"

/* Every spelling a test sets, so that each starts from none of them. */
static const char *const variables[] = {
    "SPOTIFY_SDK_CLIENT_ID",
    "SPOTIFY_SDK_CLIENT_SECRET",
    "SPOTIFY_SDK_REDIRECT_URI",
    "SPOTANTIC_AUTH_CLIENT_ID",
    "SPOTANTIC_AUTH_CLIENT_SECRET",
    "SPOTANTIC_AUTH_REDIRECT_URI",
    "SPOTANTIC_AUTH_SCOPE",
    "SPOTANTIC_AUTH_STORE_ACCESS_TOKEN",
    "SPOTANTIC_AUTH_ACCESS_TOKEN_FILE_PATH",
    "spotantic_auth_client_id",
    "Spotantic_Auth_Scope",
};

typedef struct fixture {
    test_server *server;
    spotify_auth_options opts;
    spotify_auth *auth;
    char *dir;
    char cwd[4096];
} fixture;

static void variables_clear(void)
{
    for (size_t i = 0; i < sizeof variables / sizeof variables[0]; i++)
        unsetenv(variables[i]);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->server = test_server_start();
    spotify_auth_options defaults = SPOTIFY_AUTH_OPTIONS_INIT;
    f->opts = defaults;
    f->opts.settings_source = SPOTIFY_SETTINGS_SPOTANTIC;
    f->opts.accounts_base_url = test_server_url(f->server);
    variables_clear();
    f->dir = test_mkdtemp();
    assert_non_null(getcwd(f->cwd, sizeof f->cwd));
    assert_int_equal(chdir(f->dir), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    spotify_auth_free(f->auth);
    test_server_stop(f->server);
    assert_int_equal(chdir(f->cwd), 0);
    test_rmdir_recursive(f->dir);
    free(f->dir);
    variables_clear();
    free(f);
    return 0;
}

static void dotenv_write(const char *text)
{
    FILE *file = fopen(".env", "w");
    assert_non_null(file);
    fputs(text, file);
    assert_int_equal(fclose(file), 0);
}

static char *authorize_url(spotify_auth *auth)
{
    char *url = NULL;
    assert_int_equal(spotify_auth_authorize_url(&url, auth, NULL, NULL), SPOTIFY_OK);
    return url;
}

static void test_settings_from_dotenv(void **state)
{
    fixture *f = *state;
    dotenv_write("# spotantic's settings\n"
                 "SPOTANTIC_AUTH_CLIENT_ID=dotenv-client\n"
                 "SPOTANTIC_AUTH_CLIENT_SECRET=\"dotenv-secret\"\n"
                 "spotantic_auth_redirect_uri=http://127.0.0.1:8765/callback\n"
                 "Spotantic_Auth_Scope='user-read-private playlist-read-private'\n");
    spotify_error err = {0};
    assert_int_equal(spotify_auth_code_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
    assert_string_equal(spotify_auth_client_id(f->auth), "dotenv-client");
    char *url = authorize_url(f->auth);
    assert_non_null(strstr(url, "redirect_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fcallback"));
    assert_non_null(strstr(url, "scope=user-read-private%20playlist-read-private"));
    spotify_free(url);
}

static void test_precedence_explicit_sdk_env_dotenv(void **state)
{
    fixture *f = *state;
    dotenv_write("SPOTANTIC_AUTH_CLIENT_ID=dotenv-client\n"
                 "SPOTANTIC_AUTH_CLIENT_SECRET=dotenv-secret\n"
                 "SPOTANTIC_AUTH_REDIRECT_URI=http://127.0.0.1:1111/dotenv\n"
                 "SPOTANTIC_AUTH_SCOPE=dotenv-scope\n");
    /* the process environment beats .env, in any letter case */
    setenv("spotantic_auth_client_id", "env-client", 1);
    setenv("Spotantic_Auth_Scope", "env-scope", 1);
    spotify_error err = {0};
    assert_int_equal(spotify_auth_code_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
    assert_string_equal(spotify_auth_client_id(f->auth), "env-client");
    char *url = authorize_url(f->auth);
    assert_non_null(strstr(url, "scope=env-scope"));
    assert_non_null(strstr(url, "redirect_uri=http%3A%2F%2F127.0.0.1%3A1111%2Fdotenv"));
    spotify_free(url);
    spotify_auth_free(f->auth);
    /* SPOTIFY_SDK_* beats both */
    setenv("SPOTIFY_SDK_CLIENT_ID", "sdk-client", 1);
    setenv("SPOTIFY_SDK_REDIRECT_URI", "http://127.0.0.1:2222/sdk", 1);
    assert_int_equal(spotify_auth_code_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
    assert_string_equal(spotify_auth_client_id(f->auth), "sdk-client");
    url = authorize_url(f->auth);
    assert_non_null(strstr(url, "redirect_uri=http%3A%2F%2F127.0.0.1%3A2222%2Fsdk"));
    spotify_free(url);
    spotify_auth_free(f->auth);
    /* explicit options beat everything */
    f->opts.client_id = "explicit-client";
    f->opts.scope = "explicit-scope";
    assert_int_equal(spotify_auth_code_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
    assert_string_equal(spotify_auth_client_id(f->auth), "explicit-client");
    url = authorize_url(f->auth);
    assert_non_null(strstr(url, "scope=explicit-scope"));
    spotify_free(url);
}

static void test_secret_from_dotenv_is_sent(void **state)
{
    fixture *f = *state;
    dotenv_write("SPOTANTIC_AUTH_CLIENT_ID=env-client\nSPOTANTIC_AUTH_CLIENT_SECRET=env-secret\n");
    test_response r = {.status = 200, .body = CC_OK};
    test_server_enqueue(f->server, "/api/token", &r);
    spotify_error err = {0};
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err), SPOTIFY_OK);
    assert_string_equal(token, "cc-token-1");
    test_request seen;
    assert_true(test_server_request(f->server, 0, &seen));
    char header[128];
    assert_true(test_request_header(&seen, "authorization", header, sizeof header));
    assert_string_equal(header, "Basic ZW52LWNsaWVudDplbnYtc2VjcmV0"); /* env-client:env-secret */
    test_request_free(&seen);
}

static void test_user_flows_require_a_scope(void **state)
{
    fixture *f = *state;
    dotenv_write("SPOTANTIC_AUTH_CLIENT_ID=id\nSPOTANTIC_AUTH_CLIENT_SECRET=secret\n"
                 "SPOTANTIC_AUTH_REDIRECT_URI=http://127.0.0.1:8765/callback\n"
                 "SPOTANTIC_AUTH_SCOPE=\n");
    spotify_error err = {0};
    assert_int_equal(spotify_auth_code_new(&f->auth, &f->opts, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTANTIC_AUTH_SCOPE"));
    assert_int_equal(spotify_auth_pkce_new(&f->auth, &f->opts, &err), SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTANTIC_AUTH_SCOPE"));
    /* client credentials has no scope to require */
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
    spotify_auth_free(f->auth);
    /* an explicit scope list satisfies it */
    const char *scopes[] = {"user-read-private"};
    f->opts.scopes = scopes;
    f->opts.scope_count = 1;
    assert_int_equal(spotify_auth_pkce_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
}

static void test_missing_settings_name_both_variables(void **state)
{
    fixture *f = *state;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err),
                     SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTIFY_SDK_CLIENT_ID"));
    assert_non_null(strstr(err.message, "SPOTANTIC_AUTH_CLIENT_ID"));
    dotenv_write("SPOTANTIC_AUTH_CLIENT_ID=id\n");
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err),
                     SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTANTIC_AUTH_CLIENT_SECRET"));
}

static void test_store_access_token_must_be_a_boolean(void **state)
{
    fixture *f = *state;
    dotenv_write("SPOTANTIC_AUTH_CLIENT_ID=id\nSPOTANTIC_AUTH_CLIENT_SECRET=secret\n"
                 "SPOTANTIC_AUTH_STORE_ACCESS_TOKEN=sometimes\n");
    spotify_error err = {0};
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err),
                     SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "SPOTANTIC_AUTH_STORE_ACCESS_TOKEN"));
    assert_null(strstr(err.message, "sometimes"));
}

static void test_store_access_token_writes_spotantic_file(void **state)
{
    fixture *f = *state;
    dotenv_write("SPOTANTIC_AUTH_CLIENT_ID=id\nSPOTANTIC_AUTH_CLIENT_SECRET=secret\n"
                 "SPOTANTIC_AUTH_STORE_ACCESS_TOKEN=True\n"
                 "SPOTANTIC_AUTH_ACCESS_TOKEN_FILE_PATH=tokens.json\n");
    test_response r = {.status = 200, .body = CC_OK};
    test_server_enqueue(f->server, "/api/token", &r);
    spotify_error err = {0};
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err), SPOTIFY_OK);
    char *text = test_read_file("tokens.json", NULL);
    assert_non_null(strstr(text, "\"access_token\":\"cc-token-1\""));
    assert_non_null(strstr(text, "\"token_type\":\"Bearer\""));
    assert_non_null(strstr(text, "\"expires_in\":3600"));
    assert_non_null(strstr(text, "\"expires_at\":\"")); /* an ISO 8601 datetime */
    assert_null(strstr(text, "client_id"));
    free(text);
}

static void test_default_token_file_read_back(void **state)
{
    fixture *f = *state;
    /* spotantic wrote .token_info_cache (its default path) earlier */
    size_t len = 0;
    char *fixture_text = test_fixture_load("tokens/spotantic.json", &len);
    FILE *file = fopen(".token_info_cache", "w");
    assert_non_null(file);
    assert_int_equal(fwrite(fixture_text, 1, len, file), len);
    assert_int_equal(fclose(file), 0);
    free(fixture_text);
    setenv("SPOTANTIC_AUTH_STORE_ACCESS_TOKEN", "yes", 1);
    dotenv_write("SPOTANTIC_AUTH_CLIENT_ID=id\nSPOTANTIC_AUTH_CLIENT_SECRET=secret\n"
                 "SPOTANTIC_AUTH_REDIRECT_URI=http://127.0.0.1:8765/callback\n"
                 "SPOTANTIC_AUTH_SCOPE=user-read-private\n");
    spotify_error err = {0};
    assert_int_equal(spotify_auth_code_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err), SPOTIFY_OK);
    assert_string_equal(token, "BQDspotanticAccessTok3n");
    assert_int_equal(test_server_count(f->server, "/api/token"), 0);
}

static void test_explicit_cache_wins_over_store_access_token(void **state)
{
    fixture *f = *state;
    dotenv_write("SPOTANTIC_AUTH_CLIENT_ID=id\nSPOTANTIC_AUTH_CLIENT_SECRET=secret\n"
                 "SPOTANTIC_AUTH_STORE_ACCESS_TOKEN=1\n");
    spotify_token_cache *cache = NULL;
    assert_int_equal(spotify_token_cache_memory_new(&cache, NULL), SPOTIFY_OK);
    f->opts.token_cache = cache;
    test_response r = {.status = 200, .body = CC_OK};
    test_server_enqueue(f->server, "/api/token", &r);
    spotify_error err = {0};
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err), SPOTIFY_OK);
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    assert_int_equal(spotify_auth_access_token_get(token, sizeof token, f->auth, &err), SPOTIFY_OK);
    assert_int_equal(access(".token_info_cache", F_OK), -1);
    spotify_auth_free(f->auth);
    f->auth = NULL;
    spotify_token_cache_free(cache);
}

static void test_default_source_ignores_spotantic(void **state)
{
    fixture *f = *state;
    dotenv_write("SPOTANTIC_AUTH_CLIENT_ID=id\nSPOTANTIC_AUTH_CLIENT_SECRET=secret\n");
    setenv("SPOTANTIC_AUTH_CLIENT_ID", "env-id", 1);
    f->opts.settings_source = SPOTIFY_SETTINGS_SDK;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err),
                     SPOTIFY_ECONFIG);
    assert_null(strstr(err.message, "SPOTANTIC"));
    f->opts.settings_source = (spotify_settings_source)7;
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err),
                     SPOTIFY_EINVALID);
}

static void test_malformed_dotenv_lines_skipped(void **state)
{
    fixture *f = *state;
    dotenv_write("this is not an assignment\nSPOTANTIC_AUTH_CLIENT_ID=id\n"
                 "SPOTANTIC_AUTH_CLIENT_SECRET=\"unclosed-secret-value\n");
    spotify_error err = {0};
    assert_int_equal(spotify_auth_client_credentials_new(&f->auth, &f->opts, &err),
                     SPOTIFY_ECONFIG);
    assert_non_null(strstr(err.message, "client secret"));
    assert_null(strstr(err.message, "unclosed-secret-value"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_settings_from_dotenv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precedence_explicit_sdk_env_dotenv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secret_from_dotenv_is_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_user_flows_require_a_scope, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_settings_name_both_variables, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_access_token_must_be_a_boolean, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_access_token_writes_spotantic_file, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_default_token_file_read_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explicit_cache_wins_over_store_access_token, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_default_source_ignores_spotantic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_dotenv_lines_skipped, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
