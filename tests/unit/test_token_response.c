/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_token_response.c - spotify__token_response_parse: valid responses of
 * every grant, each malformed shape, token endpoint errors by category, and
 * that no failure path lets the token into the error record.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "auth/oauth.h"

/* Recognisable secrets: no failure path may show them. */
#define TOKEN "BQDsecretAccessTok3n"
#define REFRESH "AQCsecretRefreshTok3n"
#define NOW 1700000000.0

static spotify_status parse(spotify_token *out, int http_status, const char *body,
                            spotify_error *err)
{
    return spotify__token_response_parse(out, http_status, body, strlen(body), NOW, err);
}

/* Parses `body` expecting failure with `expected`; checks the record holds
 * no secret and `out` stayed untouched. */
static spotify_error expect_failure(int http_status, const char *body, spotify_status expected)
{
    spotify_token out = {0};
    spotify_error err = {0};
    assert_int_equal(parse(&out, http_status, body, &err), expected);
    assert_int_equal(err.status, expected);
    assert_int_equal(err.http_status, http_status);
    assert_null(out.access_token);
    assert_null(out.refresh_token);
    assert_null(out.scope);
    assert_true(out.expires_at == 0.0);
    assert_null(strstr(err.message, TOKEN));
    assert_null(strstr(err.body, TOKEN));
    assert_null(strstr(err.message, REFRESH));
    assert_null(strstr(err.body, REFRESH));
    assert_null(strstr(err.code, TOKEN));
    return err;
}

static void test_client_credentials_success(void **state)
{
    (void)state;
    spotify_token t = {0};
    t.flow = SPOTIFY_FLOW_CLIENT_CREDENTIALS;
    assert_int_equal(parse(&t, 200,
                           "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\","
                           "\"expires_in\":3600}",
                           NULL),
                     SPOTIFY_OK);
    assert_string_equal(t.access_token, TOKEN);
    assert_null(t.refresh_token);
    assert_null(t.scope);
    assert_true(t.expires_at == NOW + 3600);
    assert_int_equal(t.flow, SPOTIFY_FLOW_CLIENT_CREDENTIALS);
    /* The record keeps the type and the lifetime as the endpoint gave them. */
    assert_string_equal(t.token_type, "Bearer");
    assert_int_equal(t.expires_in, 3600);
    spotify_token_clear(&t);
}

static void test_authorization_code_success(void **state)
{
    (void)state;
    spotify_token t = {0};
    assert_int_equal(
        parse(
            &t, 200,
            "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\",\"scope\":"
            "\"user-read-private user-read-email\",\"expires_in\":3600,\"refresh_token\":\"" REFRESH
            "\"}",
            NULL),
        SPOTIFY_OK);
    assert_string_equal(t.access_token, TOKEN);
    assert_string_equal(t.refresh_token, REFRESH);
    assert_string_equal(t.scope, "user-read-private user-read-email");
    spotify_token_clear(&t);
}

static void test_success_replaces_and_keeps_identity(void **state)
{
    (void)state;
    spotify_token t = {0};
    assert_int_equal(spotify_token_set_field(&t.access_token, "old", NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_set_field(&t.refresh_token, "old-refresh", NULL), SPOTIFY_OK);
    assert_int_equal(spotify_token_set_field(&t.client_id, "app", NULL), SPOTIFY_OK);
    t.flow = SPOTIFY_FLOW_PKCE;
    assert_int_equal(parse(&t, 201,
                           "{\"access_token\":\"" TOKEN "\",\"token_type\":\"bearer\","
                           "\"expires_in\":0.5,\"refresh_token\":null,\"scope\":null}",
                           NULL),
                     SPOTIFY_OK);
    assert_string_equal(t.access_token, TOKEN);
    /* The token mirrors the response: the provider keeps an old refresh
     * token itself when a refresh response has none. */
    assert_null(t.refresh_token);
    assert_null(t.scope);
    assert_string_equal(t.client_id, "app");
    assert_int_equal(t.flow, SPOTIFY_FLOW_PKCE);
    assert_true(t.expires_at == NOW + 0.5);
    spotify_token_clear(&t);
}

static void test_token_type_any_case(void **state)
{
    (void)state;
    const char *types[] = {"Bearer", "bearer", "BEARER", "bEaReR"};
    for (size_t i = 0; i < 4; i++) {
        char body[256];
        snprintf(body, sizeof body,
                 "{\"access_token\":\"" TOKEN "\",\"token_type\":\"%s\",\"expires_in\":10}",
                 types[i]);
        spotify_token t = {0};
        assert_int_equal(parse(&t, 200, body, NULL), SPOTIFY_OK);
        spotify_token_clear(&t);
    }
}

static void test_wrong_token_type(void **state)
{
    (void)state;
    spotify_error err = expect_failure(
        200, "{\"access_token\":\"" TOKEN "\",\"token_type\":\"mac\",\"expires_in\":3600}",
        SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "token_type"));
    expect_failure(200,
                   "{\"access_token\":\"" TOKEN "\",\"token_type\":\"bearerx\","
                   "\"expires_in\":3600}",
                   SPOTIFY_EAUTH);
    expect_failure(200, "{\"access_token\":\"" TOKEN "\",\"expires_in\":3600}", SPOTIFY_EAUTH);
    expect_failure(200, "{\"access_token\":\"" TOKEN "\",\"token_type\":1,\"expires_in\":3600}",
                   SPOTIFY_EAUTH);
}

static void test_missing_access_token(void **state)
{
    (void)state;
    spotify_error err =
        expect_failure(200, "{\"token_type\":\"Bearer\",\"expires_in\":3600}", SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "missing access_token"));
    expect_failure(200, "{\"access_token\":null,\"token_type\":\"Bearer\",\"expires_in\":3600}",
                   SPOTIFY_EAUTH);
}

static void test_empty_access_token(void **state)
{
    (void)state;
    spotify_error err =
        expect_failure(200, "{\"access_token\":\"\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
                       SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "empty access_token"));
}

static void test_missing_expires_in(void **state)
{
    (void)state;
    spotify_error err = expect_failure(
        200, "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\"}", SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "expires_in"));
}

static void test_expires_in_string_rejected(void **state)
{
    (void)state;
    spotify_error err = expect_failure(
        200, "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\",\"expires_in\":\"3600\"}",
        SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "expires_in is not a number"));
    expect_failure(200,
                   "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\",\"expires_in\":null}",
                   SPOTIFY_EAUTH);
}

static void test_expires_in_negative(void **state)
{
    (void)state;
    spotify_error err = expect_failure(
        200, "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\",\"expires_in\":-1}",
        SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "negative"));
    expect_failure(200,
                   "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\",\"expires_in\":-0.5}",
                   SPOTIFY_EAUTH);
}

/* A token that would break the header line (CR/LF, NUL, space, any byte
 * outside RFC 6750's b64token) is refused before anything stores it. */
static void test_token_not_b64token_refused(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "{\"access_token\":\"abc\\r\\nX-Injected: "
        "1\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
        "{\"access_token\":\"abc\\r\\n\\r\\nGET /smuggled HTTP/1.1\",\"token_type\":\"Bearer\","
        "\"expires_in\":3600}",
        "{\"access_token\":\"a b\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
        "{\"access_token\":\"a=b\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
        "{\"access_token\":\"\xc3\xa9\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
        "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
        "\"refresh_token\":\"r\\nX: 1\"}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        spotify_error err = expect_failure(200, bodies[i], SPOTIFY_EAUTH);
        assert_non_null(strstr(err.message, "RFC 6750"));
    }
    /* The whole b64token alphabet, with trailing '=', is a token. */
    spotify_token out = {0};
    assert_int_equal(parse(&out, 200,
                           "{\"access_token\":\"AZaz09-._~+/==\",\"token_type\":\"Bearer\","
                           "\"expires_in\":3600,\"refresh_token\":\"AQ-_x=\"}",
                           NULL),
                     SPOTIFY_OK);
    assert_string_equal(out.access_token, "AZaz09-._~+/==");
    spotify_token_clear(&out);
}

/* An absurd lifetime is clamped to one year at the parser: no caller ever
 * sees an expiry that overflows a conversion. */
static void test_expires_in_clamped(void **state)
{
    (void)state;
    spotify_token out = {0};
    assert_int_equal(parse(&out, 200,
                           "{\"access_token\":\"" TOKEN
                           "\",\"token_type\":\"Bearer\",\"expires_in\":1e308}",
                           NULL),
                     SPOTIFY_OK);
    assert_true(out.expires_at == NOW + SPOTIFY__TOKEN_LIFETIME_MAX_S);
    spotify_token_clear(&out);
}

static void test_wrong_types(void **state)
{
    (void)state;
    expect_failure(200, "{\"access_token\":12345,\"token_type\":\"Bearer\",\"expires_in\":3600}",
                   SPOTIFY_EAUTH);
    expect_failure(200,
                   "{\"access_token\":[\"" TOKEN "\"],\"token_type\":\"Bearer\",\"expires_in\":1}",
                   SPOTIFY_EAUTH);
    spotify_error err = expect_failure(200,
                                       "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\","
                                       "\"expires_in\":3600,\"scope\":42}",
                                       SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "scope"));
    err = expect_failure(200,
                         "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\","
                         "\"expires_in\":3600,\"refresh_token\":{\"t\":\"" REFRESH "\"}}",
                         SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "refresh_token"));
    expect_failure(200,
                   "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\",\"expires_in\":true}",
                   SPOTIFY_EAUTH);
}

static void test_not_json(void **state)
{
    (void)state;
    spotify_error err =
        expect_failure(200, "access_token=" TOKEN "&expires_in=3600", SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "not JSON"));
    expect_failure(200, "<html>oops</html>", SPOTIFY_EAUTH);
    expect_failure(200, "{\"access_token\":\"" TOKEN "\",", SPOTIFY_EAUTH);
    expect_failure(200, "", SPOTIFY_EAUTH);
}

static void test_json_array(void **state)
{
    (void)state;
    spotify_error err = expect_failure(
        200, "[{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\",\"expires_in\":3600}]",
        SPOTIFY_EAUTH);
    assert_non_null(strstr(err.message, "not a JSON object"));
    expect_failure(200, "42", SPOTIFY_EAUTH);
}

static void test_invalid_grant(void **state)
{
    (void)state;
    spotify_error err = expect_failure(
        400, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code\"}",
        SPOTIFY_EAUTH);
    assert_string_equal(err.code, "invalid_grant");
    assert_non_null(strstr(err.message, "Invalid authorization code"));
    assert_non_null(strstr(err.message, "400"));
}

static void test_invalid_client(void **state)
{
    (void)state;
    spotify_error err = expect_failure(
        401, "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client\"}",
        SPOTIFY_EAUTH);
    assert_string_equal(err.code, "invalid_client");
    assert_non_null(strstr(err.message, "Invalid client"));
}

static void test_rate_limited(void **state)
{
    (void)state;
    expect_failure(429, "", SPOTIFY_ERATELIMIT);
    expect_failure(429, "{\"error\":\"rate_limited\"}", SPOTIFY_ERATELIMIT);
}

static void test_server_errors(void **state)
{
    (void)state;
    spotify_error err = expect_failure(500, "<html>oops</html>", SPOTIFY_ESERVER);
    assert_non_null(strstr(err.body, "oops"));
    expect_failure(503, "", SPOTIFY_ESERVER);
}

static void test_token_never_leaks(void **state)
{
    (void)state;
    /* Error statuses whose body carries a token anyway. */
    const char *body = "{\"access_token\":\"" TOKEN "\",\"refresh_token\":\"" REFRESH "\","
                       "\"error\":\"invalid_grant\",\"error_description\":\"bad grant\"}";
    expect_failure(400, body, SPOTIFY_EAUTH);
    expect_failure(429, body, SPOTIFY_ERATELIMIT);
    expect_failure(500, body, SPOTIFY_ESERVER);
    /* 2xx bodies that fail a later check while holding a valid token. */
    expect_failure(200,
                   "{\"access_token\":\"" TOKEN "\",\"refresh_token\":\"" REFRESH
                   "\",\"token_type\":\"mac\",\"expires_in\":1}",
                   SPOTIFY_EAUTH);
    expect_failure(200,
                   "{\"token_type\":\"Bearer\",\"expires_in\":-5,\"access_token\":\"" TOKEN
                   "\",\"refresh_token\":\"" REFRESH "\"}",
                   SPOTIFY_EAUTH);
    expect_failure(200, "{\"a\":\"x\",\"access_token\" : \"" TOKEN "\" , \"expires_in\":\"1\"}",
                   SPOTIFY_EAUTH);
    expect_failure(200, "{\"access_token\":\"" TOKEN "\",\"token_type\":\"Bearer\",",
                   SPOTIFY_EAUTH);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    spotify_error err = {0};
    assert_int_equal(spotify__token_response_parse(NULL, 200, "{}", 2, NOW, &err),
                     SPOTIFY_EINVALID);
    spotify_token t = {0};
    assert_int_equal(spotify__token_response_parse(&t, 200, NULL, 5, NOW, &err), SPOTIFY_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_client_credentials_success),
        cmocka_unit_test(test_authorization_code_success),
        cmocka_unit_test(test_success_replaces_and_keeps_identity),
        cmocka_unit_test(test_token_type_any_case),
        cmocka_unit_test(test_wrong_token_type),
        cmocka_unit_test(test_missing_access_token),
        cmocka_unit_test(test_empty_access_token),
        cmocka_unit_test(test_missing_expires_in),
        cmocka_unit_test(test_expires_in_string_rejected),
        cmocka_unit_test(test_expires_in_negative),
        cmocka_unit_test(test_token_not_b64token_refused),
        cmocka_unit_test(test_expires_in_clamped),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_json_array),
        cmocka_unit_test(test_invalid_grant),
        cmocka_unit_test(test_invalid_client),
        cmocka_unit_test(test_rate_limited),
        cmocka_unit_test(test_server_errors),
        cmocka_unit_test(test_token_never_leaks),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
