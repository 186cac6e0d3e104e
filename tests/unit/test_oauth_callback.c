/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_oauth_callback.c - spotify_auth_callback_parse(): full URLs, bare query
 * strings, fragments; the documented check order (state, duplicates,
 * error=, missing code); malformed input; no code or state in messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include <spotify/auth.h>
#include <spotify/global.h>

#define CODE "AQDsecretcode123"

/* Parses `url` expecting success with CODE. */
static void expect_code(const char *url, const char *expected_state)
{
    char *code = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_callback_parse(&code, url, expected_state, &err), SPOTIFY_OK);
    assert_non_null(code);
    assert_string_equal(code, CODE);
    spotify_free_secret(code);
}

/* Parses `url` expecting SPOTIFY_EAUTH; checks that neither the code nor
 * the state leaks into the message. Returns the record. */
static spotify_error expect_auth_error(const char *url, const char *expected_state)
{
    static char sentinel[] = "sentinel";
    char *code = sentinel;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_callback_parse(&code, url, expected_state, &err), SPOTIFY_EAUTH);
    assert_null(code);
    assert_int_equal(err.status, SPOTIFY_EAUTH);
    assert_null(strstr(err.message, CODE));
    assert_null(strstr(err.message, "st4te"));
    assert_null(strstr(err.body, CODE));
    return err;
}

static void test_full_url(void **state)
{
    (void)state;
    expect_code("http://127.0.0.1:8080/callback?code=" CODE "&state=st4te", "st4te");
    expect_code("http://127.0.0.1:8080/callback?code=" CODE, NULL);
}

static void test_bare_query(void **state)
{
    (void)state;
    expect_code("code=" CODE "&state=st4te", "st4te");
    expect_code("?code=" CODE "&state=st4te", "st4te");
    expect_code("state=st4te&code=" CODE, "st4te");
    /* A bare query may carry an unencoded URL in some other parameter. */
    expect_code("code=" CODE "&next=http://example.com/", NULL);
}

static void test_fragment_dropped(void **state)
{
    (void)state;
    expect_code("http://127.0.0.1:8080/callback?code=" CODE "&state=st4te#_=_", "st4te");
    /* Nothing after '#' counts, not even a code. */
    expect_auth_error("http://127.0.0.1:8080/callback?state=st4te#&code=" CODE, NULL);
}

static void test_percent_decoded(void **state)
{
    (void)state;
    char *code = NULL;
    assert_int_equal(spotify_auth_callback_parse(&code, "?code=a%2Fb%20c&state=x%26y", "x&y", NULL),
                     SPOTIFY_OK);
    assert_string_equal(code, "a/b c");
    spotify_free(code);
}

static void test_missing_code(void **state)
{
    (void)state;
    spotify_error err = expect_auth_error("http://127.0.0.1:8080/callback?state=st4te", "st4te");
    assert_non_null(strstr(err.message, "no authorization code"));
    expect_auth_error("?code=&state=st4te", "st4te");
    expect_auth_error("http://127.0.0.1:8080/callback", NULL);
    expect_auth_error("", NULL);
}

static void test_error_access_denied(void **state)
{
    (void)state;
    spotify_error err = expect_auth_error("http://x/cb?error=access_denied&state=st4te", "st4te");
    assert_string_equal(err.code, "access_denied");
    assert_non_null(strstr(err.message, "access_denied"));
}

static void test_error_with_description(void **state)
{
    (void)state;
    spotify_error err = expect_auth_error(
        "?error=access_denied&error_description=The+user+said+no%21&state=st4te", "st4te");
    assert_string_equal(err.code, "access_denied");
    assert_non_null(strstr(err.message, "The user said no!"));
}

static void test_error_wins_over_code(void **state)
{
    (void)state;
    spotify_error err = expect_auth_error("?code=" CODE "&error=server_error", NULL);
    assert_string_equal(err.code, "server_error");
}

static void test_state_mismatch(void **state)
{
    (void)state;
    spotify_error err = expect_auth_error("?code=" CODE "&state=other", "st4te");
    assert_non_null(strstr(err.message, "state mismatch"));
    assert_non_null(strstr(err.message, "CSRF"));
    /* A prefix or extension of the state is no match either. */
    expect_auth_error("?code=" CODE "&state=st4", "st4te");
    expect_auth_error("?code=" CODE "&state=st4tee", "st4te");
    expect_auth_error("?code=" CODE "&state=", "st4te");
}

static void test_expected_state_missing(void **state)
{
    (void)state;
    spotify_error err = expect_auth_error("?code=" CODE, "st4te");
    assert_non_null(strstr(err.message, "state mismatch"));
}

static void test_state_checked_before_error(void **state)
{
    (void)state;
    spotify_error err = expect_auth_error("?error=access_denied&state=evil", "st4te");
    assert_non_null(strstr(err.message, "state mismatch"));
    assert_string_equal(err.code, "");
}

static void test_unexpected_state_accepted(void **state)
{
    (void)state;
    expect_code("?code=" CODE "&state=whatever", NULL);
}

static void test_duplicates(void **state)
{
    (void)state;
    spotify_error err = expect_auth_error("?code=" CODE "&code=other", NULL);
    assert_non_null(strstr(err.message, "code"));
    err = expect_auth_error("?code=" CODE "&state=st4te&state=st4te", "st4te");
    assert_non_null(strstr(err.message, "repeats the state"));
    err = expect_auth_error("?code=" CODE "&error=a&error=b", NULL);
    assert_non_null(strstr(err.message, "repeats the error"));
    assert_string_equal(err.code, "");
}

static void test_malformed_escape(void **state)
{
    (void)state;
    spotify_error err = expect_auth_error("?code=" CODE "%zz&state=st4te", "st4te");
    assert_non_null(strstr(err.message, "malformed"));
    expect_auth_error("?code=" CODE "%4", NULL);
    expect_auth_error("?code=" CODE "%00", NULL);
}

static void test_code_never_in_message(void **state)
{
    (void)state;
    /* Every failure path above checks this; here a code that is also a
     * plausible message word. */
    spotify_error err = expect_auth_error("?code=" CODE "&code=" CODE, NULL);
    assert_null(strstr(err.message, CODE));
    err = expect_auth_error("?code=" CODE "&state=st4te&error=access_denied", "st4te");
    assert_null(strstr(err.message, CODE));
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    char *code = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_auth_callback_parse(&code, NULL, NULL, &err), SPOTIFY_EINVALID);
    assert_null(code);
    assert_int_equal(spotify_auth_callback_parse(NULL, "?code=x", NULL, &err), SPOTIFY_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_url),
        cmocka_unit_test(test_bare_query),
        cmocka_unit_test(test_fragment_dropped),
        cmocka_unit_test(test_percent_decoded),
        cmocka_unit_test(test_missing_code),
        cmocka_unit_test(test_error_access_denied),
        cmocka_unit_test(test_error_with_description),
        cmocka_unit_test(test_error_wins_over_code),
        cmocka_unit_test(test_state_mismatch),
        cmocka_unit_test(test_expected_state_missing),
        cmocka_unit_test(test_state_checked_before_error),
        cmocka_unit_test(test_unexpected_state_accepted),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_malformed_escape),
        cmocka_unit_test(test_code_never_in_message),
        cmocka_unit_test(test_invalid_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
