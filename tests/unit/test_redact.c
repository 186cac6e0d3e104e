/* SPDX-License-Identifier: Apache-2.0 */
/* test_redact.c - spotify_redact(): every secret kind in every position,
 * the neighbours it must leave alone, truncation and robustness. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <spotify/log.h>

#include "core/secrets.h"

/* Redacts into a buffer large enough for every case here. */
static const char *redact(const char *text)
{
    static char out[4096];
    size_t len = spotify_redact(out, sizeof out, text);
    assert_true(len < sizeof out);
    assert_int_equal(len, strlen(out));
    return out;
}

#define assert_redacts(in, expected) assert_string_equal(redact(in), expected)
#define assert_keeps(in) assert_string_equal(redact(in), in)

static const char *const secret_keys[] = {
    "access_token", "refresh_token", "client_secret", "code", "code_verifier", "state", "id_token",
};
#define KEY_COUNT (sizeof secret_keys / sizeof secret_keys[0])

static void test_authorization_header_bearer(void **state)
{
    (void)state;
    assert_redacts("Authorization: Bearer BQDx-yz_0.9~+/==", "Authorization: Bearer [REDACTED]");
    assert_redacts("authorization:Bearer abc", "authorization:Bearer [REDACTED]");
    assert_redacts("AUTHORIZATION :  Bearer abc", "AUTHORIZATION :  Bearer [REDACTED]");
    assert_redacts("> GET /v1/me HTTP/1.1\r\nAuthorization: Bearer tok\r\nAccept: */*\r\n",
                   "> GET /v1/me HTTP/1.1\r\nAuthorization: Bearer [REDACTED]\r\nAccept: */*\r\n");
    assert_redacts("Proxy-Authorization: Bearer abc", "Proxy-Authorization: Bearer [REDACTED]");
}

static void test_authorization_header_basic(void **state)
{
    (void)state;
    assert_redacts("Authorization: Basic Y2xpZW50OnNlY3JldA==", "Authorization: Basic [REDACTED]");
    assert_redacts("headers: Authorization: Basic Y2xp\nnext line",
                   "headers: Authorization: Basic [REDACTED]\nnext line");
}

static void test_authorization_header_other_forms(void **state)
{
    (void)state;
    /* Another scheme keeps its name; a lone word may be the credential. */
    assert_redacts("Authorization: Digest username=\"u\", response=\"r\"",
                   "Authorization: Digest [REDACTED]");
    assert_redacts("Authorization: rawtoken", "Authorization: [REDACTED]");
    /* Header inside a quoted string ends at the quote. */
    assert_redacts("[\"Authorization: Bearer abc\", \"Accept: x\"]",
                   "[\"Authorization: Bearer [REDACTED]\", \"Accept: x\"]");
    /* JSON object of headers. */
    assert_redacts("{\"Authorization\": \"Bearer abc\", \"Accept\": \"x\"}",
                   "{\"Authorization\": \"Bearer [REDACTED]\", \"Accept\": \"x\"}");
    assert_redacts("{\"authorization\":\"abc\"}", "{\"authorization\":\"[REDACTED]\"}");
    /* Nothing to hide. */
    assert_keeps("Authorization: ");
    assert_keeps("no authorization header");
    assert_keeps("grant_type=authorization_code");
}

static void test_bare_bearer_and_basic(void **state)
{
    (void)state;
    assert_redacts("Bearer xyz", "Bearer [REDACTED]");
    assert_redacts("sending bearer  xyz to api", "sending bearer  [REDACTED] to api");
    assert_redacts("BEARER\txyz", "BEARER\t[REDACTED]");
    assert_redacts("cred=Basic dXNlcjpwYXNz, next", "cred=Basic [REDACTED], next");
    assert_redacts("{\"auth\":\"Bearer abc\"}", "{\"auth\":\"Bearer [REDACTED]\"}");
    assert_redacts("(Bearer abc)", "(Bearer [REDACTED])");
    /* A scheme word without a token, or glued to another word. */
    assert_keeps("Bearer");
    assert_keeps("Bearer ");
    assert_keeps("{\"token_type\":\"Bearer\",\"expires_in\":3600}");
    assert_keeps("unbearer xyz");
    assert_keeps("basically fine");
}

static void test_query_string_each_key(void **state)
{
    (void)state;
    for (size_t k = 0; k < KEY_COUNT; k++) {
        char in[256];
        char want[256];
        snprintf(in, sizeof in, "https://example.com/cb?%s=s3cr3t-value&market=SE", secret_keys[k]);
        snprintf(want, sizeof want, "https://example.com/cb?%s=[REDACTED]&market=SE",
                 secret_keys[k]);
        assert_redacts(in, want);
        snprintf(in, sizeof in, "/cb?market=SE&%s=s3cr3t", secret_keys[k]);
        snprintf(want, sizeof want, "/cb?market=SE&%s=[REDACTED]", secret_keys[k]);
        assert_redacts(in, want);
    }
    assert_redacts("?code=abc&state=xyz", "?code=[REDACTED]&state=[REDACTED]");
}

static void test_query_key_positions(void **state)
{
    (void)state;
    assert_redacts("code=abc", "code=[REDACTED]");
    assert_redacts("got code=abc", "got code=[REDACTED]");
    assert_redacts("a=1;state=abc", "a=1;state=[REDACTED]");
    assert_redacts("a=1,state=abc", "a=1,state=[REDACTED]");
    assert_redacts("x\tstate=abc", "x\tstate=[REDACTED]");
    assert_redacts("ACCESS_TOKEN=abc", "ACCESS_TOKEN=[REDACTED]");
    /* The value stops at & whitespace quotes and #. */
    assert_redacts("code=abc#frag", "code=[REDACTED]#frag");
    assert_redacts("code=abc def", "code=[REDACTED] def");
    assert_redacts("\"url\":\"/cb?code=abc\"", "\"url\":\"/cb?code=[REDACTED]\"");
    assert_redacts("'code=abc'", "'code=[REDACTED]'");
    /* A fragment carries implicit-grant tokens too. */
    assert_redacts("/cb#access_token=abc&token_type=Bearer",
                   "/cb#access_token=[REDACTED]&token_type=Bearer");
}

static void test_form_body(void **state)
{
    (void)state;
    assert_redacts("grant_type=refresh_token&refresh_token=abc",
                   "grant_type=refresh_token&refresh_token=[REDACTED]");
    assert_redacts("grant_type=authorization_code&code=abc&redirect_uri=http%3A%2F%2F"
                   "127.0.0.1%3A8888%2Fcb&code_verifier=dBjftJeZ4CVP",
                   "grant_type=authorization_code&code=[REDACTED]&redirect_uri=http%3A%2F%2F"
                   "127.0.0.1%3A8888%2Fcb&code_verifier=[REDACTED]");
    assert_redacts("client_id=abc&client_secret=s3cr3t&grant_type=client_credentials",
                   "client_id=abc&client_secret=[REDACTED]&grant_type=client_credentials");
}

static void test_query_neighbours_preserved(void **state)
{
    (void)state;
    assert_keeps("?country_code=SE&error_code=42&market=SE");
    assert_keeps("barcode=1&mystate=2&statement=3&code_x=4");
    assert_keeps("client_id=abc&expires_in=3600&token_type=Bearer");
    /* Empty values hide nothing. */
    assert_keeps("code=&state=");
    assert_redacts("country_code=SE&code=abc", "country_code=SE&code=[REDACTED]");
}

static void test_json_string_values(void **state)
{
    (void)state;
    assert_redacts("{\"access_token\":\"abc\",\"expires_in\":3600}",
                   "{\"access_token\":\"[REDACTED]\",\"expires_in\":3600}");
    assert_redacts("{\"refresh_token\" : \"abc\"}", "{\"refresh_token\" : \"[REDACTED]\"}");
    assert_redacts("{\n  \"id_token\"\n  :\n  \"abc\"\n}",
                   "{\n  \"id_token\"\n  :\n  \"[REDACTED]\"\n}");
    for (size_t k = 0; k < KEY_COUNT; k++) {
        char in[256];
        char want[256];
        snprintf(in, sizeof in, "{\"a\":1,\"%s\": \"s3cr3t\",\"b\":2}", secret_keys[k]);
        snprintf(want, sizeof want, "{\"a\":1,\"%s\": \"[REDACTED]\",\"b\":2}", secret_keys[k]);
        assert_redacts(in, want);
    }
    assert_redacts("{\"access_token\":\"BQ1\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                   "\"refresh_token\":\"AQ2\",\"scope\":\"user-read-private\"}",
                   "{\"access_token\":\"[REDACTED]\",\"token_type\":\"Bearer\",\"expires_in\":3600,"
                   "\"refresh_token\":\"[REDACTED]\",\"scope\":\"user-read-private\"}");
}

static void test_json_escaped_quote_in_value(void **state)
{
    (void)state;
    assert_redacts("{\"client_secret\":\"a\\\"b,c\",\"x\":1}",
                   "{\"client_secret\":\"[REDACTED]\",\"x\":1}");
    /* An escaped backslash right before the closing quote. */
    assert_redacts("{\"code\":\"ab\\\\\",\"x\":1}", "{\"code\":\"[REDACTED]\",\"x\":1}");
}

static void test_json_unterminated_value(void **state)
{
    (void)state;
    assert_redacts("{\"access_token\":\"BQDabcdef", "{\"access_token\":\"[REDACTED]");
    assert_redacts("{\"code\": \"ab\\", "{\"code\": \"[REDACTED]");
    assert_redacts("{\"state\":\"abc\\\"", "{\"state\":\"[REDACTED]");
}

static void test_json_non_string_values(void **state)
{
    (void)state;
    assert_redacts("{\"code\": 12345, \"x\": 1}", "{\"code\": [REDACTED], \"x\": 1}");
    assert_redacts("{\"state\":12}", "{\"state\":[REDACTED]}");
    assert_redacts("[{\"code\":true }]", "[{\"code\":[REDACTED] }]");
    assert_redacts("{\"code\":99", "{\"code\":[REDACTED]");
    /* Nested objects and arrays are hidden whole. */
    assert_redacts("{\"state\": {\"a\":1,\"b\":[1,2]}, \"x\": 1}",
                   "{\"state\": [REDACTED], \"x\": 1}");
    assert_redacts("{\"code\": [1, \"]\", 2], \"x\":1}", "{\"code\": [REDACTED], \"x\":1}");
    assert_keeps("{\"state\":\"\"}");
    assert_keeps("{\"code\":}");
}

static void test_json_embedded_in_string(void **state)
{
    (void)state;
    assert_redacts("{\"body\":\"{\\\"access_token\\\":\\\"abc\\\",\\\"x\\\":1}\"}",
                   "{\"body\":\"{\\\"access_token\\\":\\\"[REDACTED]\\\",\\\"x\\\":1}\"}");
}

static void test_json_neighbours_preserved(void **state)
{
    (void)state;
    assert_keeps("{\"error_code\":\"x\",\"expires_in\":3600,\"country_code\":\"SE\"}");
    assert_keeps("{\"error\":\"invalid_grant\",\"error_description\":\"Invalid authorization "
                 "code\"}");
    assert_keeps("{\"type\":\"code\",\"states\":[\"a\"],\"mode\":\"state\"}");
    assert_keeps("{\"error\":{\"status\":401,\"message\":\"The access token expired\"}}");
}

static void test_truncation(void **state)
{
    (void)state;
    const char *in = "Authorization: Bearer abc";
    const char *full = "Authorization: Bearer [REDACTED]";
    char out[8];
    memset(out, 'X', sizeof out);
    size_t len = spotify_redact(out, sizeof out, in);
    assert_int_equal(len, strlen(full));
    assert_string_equal(out, "Authori");

    /* Cut in the middle of the replacement: no secret byte leaks. */
    char mid[26];
    len = spotify_redact(mid, sizeof mid, in);
    assert_int_equal(len, strlen(full));
    assert_string_equal(mid, "Authorization: Bearer [RE");

    char one[1] = {'X'};
    assert_int_equal(spotify_redact(one, 1, "code=abc"), strlen("code=[REDACTED]"));
    assert_int_equal(one[0], '\0');

    assert_int_equal(spotify_redact(NULL, 0, "code=abc"), strlen("code=[REDACTED]"));
}

static void test_return_value_is_untruncated_length(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "",
        "plain",
        "?code=abc&state=xyz",
        "{\"access_token\":\"abc\"",
        "Authorization: Basic Zm9v\r\nBearer x",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        size_t full = strlen(redact(inputs[i]));
        for (size_t size = 1; size <= full + 1; size++) {
            char buf[128];
            assert_int_equal(spotify_redact(buf, size, inputs[i]), full);
            assert_int_equal(strlen(buf), full < size ? full : size - 1);
            assert_memory_equal(buf, redact(inputs[i]), strlen(buf));
        }
    }
}

static void test_null_text(void **state)
{
    (void)state;
    char out[4] = "abc";
    assert_int_equal(spotify_redact(out, sizeof out, NULL), 0);
    assert_string_equal(out, "");
    assert_int_equal(spotify_redact(NULL, 0, NULL), 0);
}

static void test_idempotent(void **state)
{
    (void)state;
    static const char *const inputs[] = {
        "Authorization: Bearer abc",
        "?code=abc&state=xyz",
        "{\"access_token\" : \"abc\",\"code\":12}",
        "{\"client_secret\":\"unterminated",
        "Basic dXNlcg==",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char once[256];
        char twice[256];
        spotify_redact(once, sizeof once, inputs[i]);
        spotify_redact(twice, sizeof twice, once);
        assert_string_equal(once, twice);
    }
}

/* A small deterministic fuzz: random mixes of the tricky fragments must
 * never crash, and every truncated output is a prefix of the full one. */
static void test_random_fragments(void **state)
{
    (void)state;
    static const char *const parts[] = {
        "\"",     "\\",         "\\\"",     ":",        " ",
        "=",      "&",          "?",        "code",     "state",
        "Bearer", "Basic",      "\"code\"", "abc",      "\n",
        "}",      ",",          "#",        "'",        "Authorization",
        "_code",  "[REDACTED]", "\t",       "\xc3\xa9",
    };
    uint32_t seed = 12345;
    for (int round = 0; round < 5000; round++) {
        char in[200];
        size_t len = 0;
        while (len < 150) {
            seed = seed * 1103515245u + 12345u;
            const char *p = parts[(seed >> 16) % (sizeof parts / sizeof parts[0])];
            size_t plen = strlen(p);
            memcpy(in + len, p, plen);
            len += plen;
        }
        in[len] = '\0';
        char full[2048];
        size_t n = spotify_redact(full, sizeof full, in);
        assert_true(n < sizeof full);
        assert_int_equal(n, strlen(full));
        char small[40];
        assert_int_equal(spotify_redact(small, sizeof small, in), n);
        assert_memory_equal(small, full, strlen(small));
    }
}

/* ---- known secret values (core/secrets.h) ---- */

/* A pinned value is replaced wherever it stands, with no label; a second
 * pin keeps it until both owners unpin. */
static void test_known_secret_pinned(void **state)
{
    (void)state;
    assert_true(spotify__secret_pin("s3cretValue"));
    assert_true(spotify__secret_pin("s3cretValue"));
    assert_redacts("bad client s3cretValue!", "bad client [REDACTED]!");
    assert_redacts("x:s3cretValue:s3cretValue", "x:[REDACTED]:[REDACTED]");
    spotify__secret_unpin("s3cretValue");
    assert_redacts("bad client s3cretValue!", "bad client [REDACTED]!");
    spotify__secret_unpin("s3cretValue");
    assert_keeps("bad client s3cretValue!");
}

/* Short values are not recorded: "abc" must not garble every message. */
static void test_known_secret_short_values_ignored(void **state)
{
    (void)state;
    assert_true(spotify__secret_pin("abc"));
    spotify__secret_note("xyz12", 5);
    assert_keeps("abc xyz12 abcdef");
    spotify__secret_unpin("abc");
}

/* The beginning of a secret cut off at the end of the text is replaced;
 * the same bytes elsewhere are ordinary text. */
static void test_known_secret_cut_at_end(void **state)
{
    (void)state;
    assert_true(spotify__secret_pin("AQRefreshTokenValue"));
    assert_redacts("description: AQRefre", "description: [REDACTED]");
    assert_keeps("description: AQRef");   /* shorter than the minimum */
    assert_keeps("AQRefre is not it, x"); /* not at the end */
    spotify__secret_unpin("AQRefreshTokenValue");
}

/* Noted values: the most recent SPOTIFY__SECRETS_RECENT are known. */
static void test_known_secret_recent_ring(void **state)
{
    (void)state;
    char first[32];
    snprintf(first, sizeof first, "noted-secret-first");
    spotify__secret_note(first, strlen(first));
    assert_redacts("echo noted-secret-first", "echo [REDACTED]");
    spotify__secret_note(first, strlen(first)); /* a repeat takes no slot */
    for (int i = 0; i < SPOTIFY__SECRETS_RECENT - 1; i++) {
        char value[32];
        snprintf(value, sizeof value, "noted-secret-%03d", i);
        spotify__secret_note(value, strlen(value));
    }
    assert_redacts("echo noted-secret-first", "echo [REDACTED]");
    spotify__secret_note("noted-secret-last", strlen("noted-secret-last"));
    assert_keeps("echo noted-secret-first x");
    assert_redacts("echo noted-secret-last", "echo [REDACTED]");
    spotify__secrets_clear();
    assert_keeps("echo noted-secret-last x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_authorization_header_bearer),
        cmocka_unit_test(test_authorization_header_basic),
        cmocka_unit_test(test_authorization_header_other_forms),
        cmocka_unit_test(test_bare_bearer_and_basic),
        cmocka_unit_test(test_query_string_each_key),
        cmocka_unit_test(test_query_key_positions),
        cmocka_unit_test(test_form_body),
        cmocka_unit_test(test_query_neighbours_preserved),
        cmocka_unit_test(test_json_string_values),
        cmocka_unit_test(test_json_escaped_quote_in_value),
        cmocka_unit_test(test_json_unterminated_value),
        cmocka_unit_test(test_json_non_string_values),
        cmocka_unit_test(test_json_embedded_in_string),
        cmocka_unit_test(test_json_neighbours_preserved),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_return_value_is_untruncated_length),
        cmocka_unit_test(test_null_text),
        cmocka_unit_test(test_idempotent),
        cmocka_unit_test(test_random_fragments),
        cmocka_unit_test(test_known_secret_pinned),
        cmocka_unit_test(test_known_secret_short_values_ignored),
        cmocka_unit_test(test_known_secret_cut_at_end),
        cmocka_unit_test(test_known_secret_recent_ring),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
