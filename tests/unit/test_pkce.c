/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_pkce.c - PKCE (RFC 7636): the S256 challenge against the RFC's
 * appendix B vector, and generated verifiers (length bounds, charset,
 * rejection of out-of-range lengths, no repeats).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "auth/oauth.h"

static void test_rfc7636_appendix_b(void **state)
{
    (void)state;
    char challenge[44];
    assert_true(spotify__pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk", challenge));
    assert_string_equal(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

static bool is_unreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

static void check_verifier(size_t len)
{
    char v[129 + 1];
    memset(v, 'X', sizeof v);
    assert_true(spotify__pkce_verifier(v, len));
    assert_int_equal(strlen(v), len);
    for (size_t i = 0; i < len; i++)
        assert_true(is_unreserved(v[i]));
    char challenge[44];
    assert_true(spotify__pkce_challenge(v, challenge));
    assert_int_equal(strlen(challenge), 43);
}

static void test_verifier_lengths_and_charset(void **state)
{
    (void)state;
    for (int draw = 0; draw < 200; draw++) {
        check_verifier(43);
        check_verifier(128);
        check_verifier(SPOTIFY__PKCE_VERIFIER_LEN);
        check_verifier(43 + (size_t)draw % 86);
    }
}

static void test_verifier_uses_whole_alphabet(void **state)
{
    (void)state;
    /* Over many draws every one of the 66 characters shows up. */
    bool seen[256] = {false};
    char v[129];
    for (int draw = 0; draw < 200; draw++) {
        assert_true(spotify__pkce_verifier(v, 128));
        for (size_t i = 0; i < 128; i++)
            seen[(unsigned char)v[i]] = true;
    }
    int count = 0;
    for (int c = 0; c < 256; c++) {
        if (seen[c]) {
            assert_true(is_unreserved((char)c));
            count++;
        }
    }
    assert_int_equal(count, 66);
}

static void test_verifiers_differ(void **state)
{
    (void)state;
    char a[65];
    char b[65];
    assert_true(spotify__pkce_verifier(a, 64));
    assert_true(spotify__pkce_verifier(b, 64));
    assert_string_not_equal(a, b);
}

static void test_rejects_out_of_range(void **state)
{
    (void)state;
    char v[200];
    assert_false(spotify__pkce_verifier(v, 42));
    assert_false(spotify__pkce_verifier(v, 129));
    assert_false(spotify__pkce_verifier(v, 0));
    assert_false(spotify__pkce_verifier(NULL, 64));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7636_appendix_b),
        cmocka_unit_test(test_verifier_lengths_and_charset),
        cmocka_unit_test(test_verifier_uses_whole_alphabet),
        cmocka_unit_test(test_verifiers_differ),
        cmocka_unit_test(test_rejects_out_of_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
