/* SPDX-License-Identifier: Apache-2.0 */
/* test_crypto.c - CSPRNG, SHA-256 and base64 against known vectors. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "core/crypto.h"
#include "core/strbuf.h"

static void hex(const uint8_t *data, size_t len, char *out)
{
    for (size_t i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", data[i]);
}

static void test_sha256_known_vectors(void **state)
{
    (void)state;
    uint8_t digest[32];
    char text[65];
    assert_true(spotify__sha256("abc", 3, digest));
    hex(digest, sizeof digest, text);
    assert_string_equal(text, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_true(spotify__sha256("", 0, digest));
    hex(digest, sizeof digest, text);
    assert_string_equal(text, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assert_true(spotify__sha256(NULL, 0, digest));
    hex(digest, sizeof digest, text);
    assert_string_equal(text, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void check_base64(const char *raw, const char *std, const char *url)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__base64_encode(&sb, raw, strlen(raw)));
    assert_string_equal(spotify__strbuf_cstr(&sb), std);
    spotify__strbuf_reset(&sb);
    assert_true(spotify__base64url_encode(&sb, raw, strlen(raw)));
    assert_string_equal(spotify__strbuf_cstr(&sb), url);
    spotify__strbuf_reset(&sb);
    assert_true(spotify__base64_decode(&sb, std, strlen(std)));
    assert_int_equal(sb.len, strlen(raw));
    assert_string_equal(spotify__strbuf_cstr(&sb), raw);
    spotify__strbuf_release(&sb);
}

static void test_base64_rfc4648_vectors(void **state)
{
    (void)state;
    check_base64("", "", "");
    check_base64("f", "Zg==", "Zg");
    check_base64("fo", "Zm8=", "Zm8");
    check_base64("foo", "Zm9v", "Zm9v");
    check_base64("foob", "Zm9vYg==", "Zm9vYg");
    check_base64("fooba", "Zm9vYmE=", "Zm9vYmE");
    check_base64("foobar", "Zm9vYmFy", "Zm9vYmFy");
    check_base64("client-id:client-secret",
                 "Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ=", "Y2xpZW50LWlkOmNsaWVudC1zZWNyZXQ");
}

static void test_base64url_alphabet(void **state)
{
    (void)state;
    const uint8_t raw[] = {0xfb, 0xff, 0xbf};
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__base64_encode(&sb, raw, sizeof raw));
    assert_string_equal(spotify__strbuf_cstr(&sb), "+/+/");
    spotify__strbuf_reset(&sb);
    assert_true(spotify__base64url_encode(&sb, raw, sizeof raw));
    assert_string_equal(spotify__strbuf_cstr(&sb), "-_-_");
    spotify__strbuf_reset(&sb);
    assert_true(spotify__base64url_encode(&sb, raw, 2));
    assert_string_equal(spotify__strbuf_cstr(&sb), "-_8");
    spotify__strbuf_release(&sb);
}

/* RFC 7636 appendix B: the S256 code challenge of a known verifier. */
static void test_pkce_challenge_vector(void **state)
{
    (void)state;
    const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    uint8_t digest[32];
    assert_true(spotify__sha256(verifier, strlen(verifier), digest));
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__base64url_encode(&sb, digest, sizeof digest));
    assert_string_equal(spotify__strbuf_cstr(&sb), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    spotify__strbuf_release(&sb);
}

static void test_base64_round_trip_binary(void **state)
{
    (void)state;
    uint8_t raw[300];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (uint8_t)(i * 37 + 11);
    raw[5] = 0;
    for (size_t len = 0; len <= sizeof raw; len += 7) {
        spotify__strbuf enc = SPOTIFY__STRBUF_INIT;
        spotify__strbuf dec = SPOTIFY__STRBUF_INIT;
        assert_true(spotify__base64_encode(&enc, raw, len));
        assert_int_equal(enc.len, (len + 2) / 3 * 4);
        assert_true(spotify__base64_decode(&dec, spotify__strbuf_cstr(&enc), enc.len));
        assert_int_equal(dec.len, len);
        if (len > 0)
            assert_memory_equal(dec.data, raw, len);
        spotify__strbuf_release(&enc);
        spotify__strbuf_release(&dec);
    }
}

static void test_base64_decode_strict(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "Zg",       /* no padding */
        "Zg=",      /* length not a multiple of 4 */
        "Zm9vY",    /* length not a multiple of 4 */
        "Z===",     /* too much padding */
        "====",     /* nothing but padding */
        "=Zg=",     /* padding first */
        "Zg=a",     /* data after padding */
        "Zg==Zg==", /* padding in the middle */
        "Zh==",     /* non-zero bits under the padding */
        "Zm9=",     /* non-zero bits under the padding */
        "Zm9 ",     /* whitespace */
        "Zm9v\n",   /* trailing newline */
        "-_8=",     /* base64url alphabet */
        "Zm9\x80",  /* non-ASCII */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
        assert_true(spotify__strbuf_append_str(&sb, "keep"));
        assert_false(spotify__base64_decode(&sb, bad[i], strlen(bad[i])));
        assert_string_equal(spotify__strbuf_cstr(&sb), "keep");
        assert_int_equal(sb.len, 4);
        spotify__strbuf_release(&sb);
    }
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_false(spotify__base64_decode(&sb, "Zm\0v", 4));
    assert_false(spotify__base64_decode(&sb, NULL, 4));
    assert_true(spotify__base64_decode(&sb, NULL, 0));
    spotify__strbuf_release(&sb);
}

static void test_random_unit_range(void **state)
{
    (void)state;
    double min = 1.0;
    double max = 0.0;
    double sum = 0.0;
    for (int i = 0; i < 10000; i++) {
        double u = spotify__random_unit();
        assert_true(u >= 0.0);
        assert_true(u < 1.0);
        min = u < min ? u : min;
        max = u > max ? u : max;
        sum += u;
    }
    /* Far outside any chance failure, but a stuck or biased source fails. */
    assert_true(min < 0.01);
    assert_true(max > 0.99);
    assert_true(sum / 10000 > 0.45 && sum / 10000 < 0.55);
}

static void test_random_bytes(void **state)
{
    (void)state;
    uint8_t a[64];
    uint8_t b[64];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    assert_true(spotify__random_bytes(a, sizeof a));
    assert_true(spotify__random_bytes(b, sizeof b));
    size_t same = 0;
    for (size_t i = 1; i < sizeof a; i++)
        same += a[i] == a[0];
    assert_true(same < sizeof a - 1);
    assert_memory_not_equal(a, b, sizeof a);
    assert_true(spotify__random_bytes(a, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_known_vectors),
        cmocka_unit_test(test_base64_rfc4648_vectors),
        cmocka_unit_test(test_base64url_alphabet),
        cmocka_unit_test(test_pkce_challenge_vector),
        cmocka_unit_test(test_base64_round_trip_binary),
        cmocka_unit_test(test_base64_decode_strict),
        cmocka_unit_test(test_random_unit_range),
        cmocka_unit_test(test_random_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
