/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_error_body.c - reading Spotify's error bodies (http/error_body.h):
 * both shapes, bodies that are not error JSON, redaction and truncation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "http/error_body.h"

#define PREFIX "GET /v1/albums/x: HTTP 404"

/* A record as the HTTP layer fills it before looking at the body. */
static spotify_error prepared(spotify_status status, int http_status, const char *message)
{
    spotify_error err;
    spotify_error_clear(&err);
    spotify__error_set(&err, status, http_status, "%s", message);
    err.attempts = 2;
    err.retry_after_ms = 1500;
    return err;
}

static void from_text(spotify_error *err, int http_status, const char *body)
{
    spotify__error_from_body(err, http_status, body, strlen(body));
}

/* True when s is well-formed UTF-8 (no sequence cut short). */
static bool utf8_complete(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != 0) {
        size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : 2;
        for (size_t i = 1; i < n; i++)
            if ((p[i] & 0xC0) != 0x80)
                return false;
        p += n;
    }
    return true;
}

static void assert_untouched(const spotify_error *err, const char *message)
{
    assert_string_equal(err->message, message);
    assert_string_equal(err->code, "");
    assert_int_equal(err->attempts, 2);
    assert_int_equal(err->retry_after_ms, 1500);
}

static void test_web_api_shape(void **state)
{
    (void)state;
    spotify_error err = prepared(SPOTIFY_ENOTFOUND, 404, PREFIX);
    const char *body = "{\"error\":{\"status\":404,\"message\":\"Non existing id\"}}";
    from_text(&err, 404, body);
    assert_int_equal(err.status, SPOTIFY_ENOTFOUND);
    assert_int_equal(err.http_status, 404);
    assert_string_equal(err.message, PREFIX ": Non existing id");
    assert_string_equal(err.code, "");
    assert_string_equal(err.body, body);
    assert_int_equal(err.attempts, 2);
    assert_int_equal(err.retry_after_ms, 1500);
}

static void test_web_api_nested_message(void **state)
{
    (void)state;
    spotify_error err = prepared(SPOTIFY_EFORBIDDEN, 403, "PUT /v1/me/player/play: HTTP 403");
    from_text(&err, 403,
              "{\n  \"error\" : {\n    \"status\" : 403,\n    \"message\" : \"Player command "
              "failed: Premium required\",\n    \"reason\" : \"PREMIUM_REQUIRED\"\n  }\n}");
    assert_string_equal(err.message, "PUT /v1/me/player/play: HTTP 403: "
                                     "Player command failed: Premium required");
    assert_string_equal(err.code, "");
    assert_non_null(strstr(err.body, "PREMIUM_REQUIRED"));
}

static void test_accounts_shape(void **state)
{
    (void)state;
    spotify_error err = prepared(SPOTIFY_EAUTH, 400, "POST /api/token: HTTP 400");
    const char *body =
        "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization code\"}";
    from_text(&err, 400, body);
    assert_int_equal(err.status, SPOTIFY_EAUTH);
    assert_string_equal(err.code, "invalid_grant");
    assert_string_equal(err.message,
                        "POST /api/token: HTTP 400: invalid_grant: Invalid authorization code");
    assert_string_equal(err.body, body);
}

static void test_accounts_without_description(void **state)
{
    (void)state;
    spotify_error err = prepared(SPOTIFY_EAUTH, 400, "POST /api/token: HTTP 400");
    from_text(&err, 400, "{\"error\":\"invalid_client\"}");
    assert_string_equal(err.code, "invalid_client");
    assert_string_equal(err.message, "POST /api/token: HTTP 400: invalid_client");

    /* A description that is not a string is ignored. */
    err = prepared(SPOTIFY_EAUTH, 400, "POST /api/token: HTTP 400");
    from_text(&err, 400, "{\"error\":\"invalid_client\",\"error_description\":null}");
    assert_string_equal(err.message, "POST /api/token: HTTP 400: invalid_client");
}

static void test_not_json(void **state)
{
    (void)state;
    spotify_error err = prepared(SPOTIFY_ESERVER, 502, "GET /v1/me: HTTP 502");
    const char *body = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    from_text(&err, 502, body);
    assert_untouched(&err, "GET /v1/me: HTTP 502");
    assert_string_equal(err.body, body);

    err = prepared(SPOTIFY_ESERVER, 500, "GET /v1/me: HTTP 500");
    from_text(&err, 500, "{\"error\": {\"message\": \"cut off");
    assert_untouched(&err, "GET /v1/me: HTTP 500");
    assert_string_equal(err.body, "{\"error\": {\"message\": \"cut off");
}

static void test_empty_body(void **state)
{
    (void)state;
    spotify_error err = prepared(SPOTIFY_ESERVER, 503, "GET /v1/me: HTTP 503");
    spotify__error_from_body(&err, 503, NULL, 0);
    assert_untouched(&err, "GET /v1/me: HTTP 503");
    assert_string_equal(err.body, "");
    spotify__error_from_body(&err, 503, "", 0);
    assert_untouched(&err, "GET /v1/me: HTTP 503");
    assert_string_equal(err.body, "");
    from_text(&err, 503, "   \n");
    assert_untouched(&err, "GET /v1/me: HTTP 503");
}

static void test_json_not_an_error_object(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "[1,2,3]",
        "\"error\"",
        "null",
        "42",
        "{}",
        "{\"message\":\"top-level message\"}",
        "{\"error\":null}",
        "{\"error\":[\"a\"]}",
        "{\"error\":true}",
        "{\"error\":\"\"}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        spotify_error err = prepared(SPOTIFY_EBADREQUEST, 400, "GET /v1/x: HTTP 400");
        from_text(&err, 400, bodies[i]);
        assert_untouched(&err, "GET /v1/x: HTTP 400");
        assert_string_equal(err.body, bodies[i]);
    }
}

static void test_error_object_missing_message(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "{\"error\":{\"status\":500}}",
        "{\"error\":{\"status\":500,\"message\":42}}",
        "{\"error\":{\"status\":500,\"message\":\"\"}}",
        "{\"error\":{}}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        spotify_error err = prepared(SPOTIFY_ESERVER, 500, "GET /v1/x: HTTP 500");
        from_text(&err, 500, bodies[i]);
        assert_untouched(&err, "GET /v1/x: HTTP 500");
        assert_string_equal(err.body, bodies[i]);
    }
}

static void test_secrets_redacted(void **state)
{
    (void)state;
    spotify_error err = prepared(SPOTIFY_EPROTOCOL, 200, "POST /api/token: HTTP 200");
    from_text(&err, 200,
              "{\"access_token\":\"BQDsecretAccessToken123\",\"token_type\":\"Bearer\","
              "\"refresh_token\":\"AQCsecretRefresh456\"}");
    assert_null(strstr(err.body, "BQDsecretAccessToken123"));
    assert_null(strstr(err.body, "AQCsecretRefresh456"));
    assert_non_null(strstr(err.body, "[REDACTED]"));
    assert_non_null(strstr(err.body, "token_type"));
    assert_string_equal(err.message, "POST /api/token: HTTP 200");

    /* A description quoting a secret is redacted in the message too. */
    err = prepared(SPOTIFY_EAUTH, 400, "POST /api/token: HTTP 400");
    from_text(&err, 400,
              "{\"error\":\"invalid_request\",\"error_description\":\"bad "
              "code=AQDsecretCode789&state=xyzStateSecret\"}");
    assert_null(strstr(err.message, "AQDsecretCode789"));
    assert_null(strstr(err.message, "xyzStateSecret"));
    assert_non_null(strstr(err.message, "[REDACTED]"));
    assert_null(strstr(err.body, "AQDsecretCode789"));
    assert_string_equal(err.code, "invalid_request");
}

static void test_long_description_truncated(void **state)
{
    (void)state;
    char body[3000];
    char description[1001];
    memset(description, 'x', 1000);
    description[1000] = '\0';
    size_t n =
        (size_t)snprintf(body, sizeof body,
                         "{\"error\":\"server_error\",\"error_description\":\"%s\"}", description);
    spotify_error err = prepared(SPOTIFY_EAUTH, 500, "POST /api/token: HTTP 500");
    spotify__error_from_body(&err, 500, body, n);
    assert_int_equal(strlen(err.message), SPOTIFY_ERROR_MESSAGE_SIZE - 1);
    assert_true(strncmp(err.message, "POST /api/token: HTTP 500: server_error: xxx", 44) == 0);
    assert_int_equal(strlen(err.body), SPOTIFY_ERROR_BODY_SIZE - 1);
    assert_string_equal(err.code, "server_error");

    /* Multi-byte text is never cut inside a character. */
    char accents[2 * 400 + 1];
    for (int i = 0; i < 400; i++)
        memcpy(accents + i * 2, "\xc3\xa9", 2);
    accents[800] = '\0';
    n = (size_t)snprintf(body, sizeof body, "{\"error\":{\"status\":404,\"message\":\"%s\"}}",
                         accents);
    for (int shift = 0; shift < 2; shift++) {
        err = prepared(SPOTIFY_ENOTFOUND, 404, shift == 0 ? PREFIX : PREFIX "!");
        spotify__error_from_body(&err, 404, body, n);
        assert_true(strlen(err.message) >= SPOTIFY_ERROR_MESSAGE_SIZE - 2);
        assert_true(utf8_complete(err.message));
    }

    /* A code longer than the record holds is truncated. */
    char code[200];
    memset(code, 'c', sizeof code - 1);
    code[sizeof code - 1] = '\0';
    n = (size_t)snprintf(body, sizeof body, "{\"error\":\"%s\"}", code);
    err = prepared(SPOTIFY_EAUTH, 400, "POST /api/token: HTTP 400");
    spotify__error_from_body(&err, 400, body, n);
    assert_int_equal(strlen(err.code), SPOTIFY_ERROR_CODE_SIZE - 1);
}

static void test_control_characters_flattened(void **state)
{
    (void)state;
    spotify_error err = prepared(SPOTIFY_ENOTFOUND, 404, PREFIX);
    from_text(&err, 404, "{\"error\":{\"status\":404,\"message\":\"two\\nlines\\u0000nul\\t\"}}");
    assert_string_equal(err.message, PREFIX ": two lines nul ");
}

static void test_empty_prefix_and_status(void **state)
{
    (void)state;
    spotify_error err;
    spotify_error_clear(&err);
    err.status = SPOTIFY_ENOTFOUND;
    from_text(&err, 404, "{\"error\":{\"status\":404,\"message\":\"Non existing id\"}}");
    assert_string_equal(err.message, "HTTP 404: Non existing id");
    assert_int_equal(err.http_status, 404);

    spotify__error_from_body(NULL, 404, "{\"error\":\"x\"}", 13); /* NULL record: no-op */
}

static void test_large_body_not_parsed(void **state)
{
    (void)state;
    size_t pad = 70 * 1024;
    const char *head = "{\"error\":{\"status\":500,\"message\":\"big\"},\"pad\":\"";
    size_t head_len = strlen(head);
    char *body = malloc(head_len + pad + 3);
    assert_non_null(body);
    memcpy(body, head, head_len);
    memset(body + head_len, 'p', pad);
    memcpy(body + head_len + pad, "\"}", 3);
    spotify_error err = prepared(SPOTIFY_ESERVER, 500, "GET /v1/x: HTTP 500");
    spotify__error_from_body(&err, 500, body, head_len + pad + 2);
    assert_untouched(&err, "GET /v1/x: HTTP 500");
    assert_int_equal(strlen(err.body), SPOTIFY_ERROR_BODY_SIZE - 1);
    free(body);
}

static void test_parse_helper(void **state)
{
    (void)state;
    char code[SPOTIFY_ERROR_CODE_SIZE] = "junk";
    char message[SPOTIFY_ERROR_MESSAGE_SIZE] = "junk";
    const char *web = "{\"error\":{\"status\":401,\"message\":\"The access token expired\"}}";
    assert_true(
        spotify__error_body_parse(web, strlen(web), code, sizeof code, message, sizeof message));
    assert_string_equal(code, "");
    assert_string_equal(message, "The access token expired");

    const char *accounts =
        "{\"error_description\":\"Invalid client\",\"error\":\"invalid_client\"}";
    assert_true(spotify__error_body_parse(accounts, strlen(accounts), code, sizeof code, message,
                                          sizeof message));
    assert_string_equal(code, "invalid_client");
    assert_string_equal(message, "Invalid client");

    /* Small buffers truncate; NULL buffers of size 0 are accepted. */
    char small[5];
    assert_true(
        spotify__error_body_parse(accounts, strlen(accounts), small, sizeof small, NULL, 0));
    assert_string_equal(small, "inva");
    assert_true(
        spotify__error_body_parse(accounts, strlen(accounts), NULL, 0, small, sizeof small));
    assert_string_equal(small, "Inva");

    /* Not an error body: outputs emptied. */
    memcpy(code, "junk", 5);
    memcpy(message, "junk", 5);
    assert_false(
        spotify__error_body_parse("<html>", 6, code, sizeof code, message, sizeof message));
    assert_string_equal(code, "");
    assert_string_equal(message, "");
    assert_false(spotify__error_body_parse("{\"error\":{\"status\":1}}", 22, code, sizeof code,
                                           message, sizeof message));
    assert_false(spotify__error_body_parse(NULL, 0, code, sizeof code, message, sizeof message));
    /* Not NUL-terminated: only len bytes are read. */
    const char *cut = "{\"error\":\"a\"}trailing";
    assert_true(spotify__error_body_parse(cut, 13, code, sizeof code, message, sizeof message));
    assert_string_equal(code, "a");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_web_api_shape),
        cmocka_unit_test(test_web_api_nested_message),
        cmocka_unit_test(test_accounts_shape),
        cmocka_unit_test(test_accounts_without_description),
        cmocka_unit_test(test_not_json),
        cmocka_unit_test(test_empty_body),
        cmocka_unit_test(test_json_not_an_error_object),
        cmocka_unit_test(test_error_object_missing_message),
        cmocka_unit_test(test_secrets_redacted),
        cmocka_unit_test(test_long_description_truncated),
        cmocka_unit_test(test_control_characters_flattened),
        cmocka_unit_test(test_empty_prefix_and_status),
        cmocka_unit_test(test_large_body_not_parsed),
        cmocka_unit_test(test_parse_helper),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
