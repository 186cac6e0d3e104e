/* SPDX-License-Identifier: Apache-2.0 */
/* test_urlencode.c - percent-encoding, form bodies, decoding and the query
 * parser. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "core/strbuf.h"
#include "core/urlencode.h"

/* Encodes `s` into a fresh buffer and checks the result. */
static void check_encode(const char *s, const char *want)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__url_encode(&sb, s, strlen(s)));
    assert_string_equal(spotify__strbuf_cstr(&sb), want);
    spotify__strbuf_release(&sb);
}

static void test_encode_reserved_characters(void **state)
{
    (void)state;
    check_encode("&", "%26");
    check_encode("=", "%3D");
    check_encode("?", "%3F");
    check_encode("/", "%2F");
    check_encode("#", "%23");
    check_encode("+", "%2B");
    check_encode("%", "%25");
    check_encode("a&b=c?d/e#f+g%h", "a%26b%3Dc%3Fd%2Fe%23f%2Bg%25h");
    check_encode(":,;@!*'()[]\"", "%3A%2C%3B%40%21%2A%27%28%29%5B%5D%22");
}

static void test_encode_spaces(void **state)
{
    (void)state;
    check_encode(" ", "%20");
    check_encode("genre:hip hop year:2015", "genre%3Ahip%20hop%20year%3A2015");
    check_encode("\t\r\n", "%09%0D%0A");
}

static void test_encode_unreserved_kept(void **state)
{
    (void)state;
    check_encode("AZaz09-._~", "AZaz09-._~");
}

static void test_encode_utf8(void **state)
{
    (void)state;
    check_encode("Beyonc\xc3\xa9", "Beyonc%C3%A9");
    check_encode("\xf0\x9f\x8e\xb5", "%F0%9F%8E%B5"); /* U+1F3B5 musical note */
    check_encode("\xff\x80", "%FF%80");
}

static void test_encode_empty_and_append(void **state)
{
    (void)state;
    check_encode("", "");
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__url_encode(&sb, NULL, 0));
    assert_string_equal(spotify__strbuf_cstr(&sb), "");
    assert_false(spotify__url_encode(&sb, NULL, 3));
    assert_true(spotify__strbuf_append_str(&sb, "q="));
    assert_true(spotify__url_encode(&sb, "a b", 3));
    assert_string_equal(spotify__strbuf_cstr(&sb), "q=a%20b");
    /* `len` bounds the input: an embedded NUL is encoded like any byte. */
    spotify__strbuf_reset(&sb);
    assert_true(spotify__url_encode(&sb, "a\0b", 3));
    assert_string_equal(spotify__strbuf_cstr(&sb), "a%00b");
    spotify__strbuf_release(&sb);
}

static void test_form_encode(void **state)
{
    (void)state;
    const spotify__param params[] = {
        {"market", NULL},
        {"q", "Beyonc\xc3\xa9 & Jay-Z"},
        {"type", "artist,track"},
        {"offset", NULL},
        {"empty", ""},
        {"redirect_uri", "http://127.0.0.1:8888/cb?x=1"},
    };
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__form_encode(&sb, params, sizeof params / sizeof params[0]));
    assert_string_equal(spotify__strbuf_cstr(&sb),
                        "q=Beyonc%C3%A9%20%26%20Jay-Z&type=artist%2Ctrack&empty="
                        "&redirect_uri=http%3A%2F%2F127.0.0.1%3A8888%2Fcb%3Fx%3D1");
    spotify__strbuf_release(&sb);

    /* Keys are encoded too; nothing is added for no pairs. */
    const spotify__param odd[] = {{"a b&", "1"}};
    assert_true(spotify__form_encode(&sb, odd, 1));
    assert_string_equal(spotify__strbuf_cstr(&sb), "a%20b%26=1");
    spotify__strbuf_reset(&sb);
    assert_true(spotify__form_encode(&sb, NULL, 0));
    assert_string_equal(spotify__strbuf_cstr(&sb), "");
    assert_false(spotify__form_encode(&sb, NULL, 1));
    spotify__strbuf_release(&sb);
}

/* Decodes `s`; returns the result in a static buffer, or NULL on failure. */
static const char *decode(const char *s, bool plus_is_space)
{
    static char out[256];
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    bool ok = spotify__url_decode(&sb, s, strlen(s), plus_is_space);
    if (ok) {
        assert_true(sb.len < sizeof out);
        memcpy(out, spotify__strbuf_cstr(&sb), sb.len + 1);
    }
    spotify__strbuf_release(&sb);
    return ok ? out : NULL;
}

static void test_decode_plus_vs_percent20(void **state)
{
    (void)state;
    assert_string_equal(decode("a+b%20c", true), "a b c");
    assert_string_equal(decode("a+b%20c", false), "a+b c");
    assert_string_equal(decode("%2B", true), "+");
}

static void test_decode_escapes(void **state)
{
    (void)state;
    assert_string_equal(decode("%41%62c", false), "Abc");
    assert_string_equal(decode("Beyonc%c3%a9", false), "Beyonc\xc3\xa9");
    assert_string_equal(decode("Beyonc%C3%A9", false), "Beyonc\xc3\xa9");
    assert_string_equal(decode("", false), "");
    assert_string_equal(decode("x%26y%3Dz", false), "x&y=z");
}

static void test_decode_malformed_rejected(void **state)
{
    (void)state;
    static const char *const bad[] = {"%", "%4", "%zz", "%4g", "%g4", "abc%", "abc%2", "%%41"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(decode(bad[i], true));
}

static void test_decode_nul_rejected(void **state)
{
    (void)state;
    assert_null(decode("%00", false));
    assert_null(decode("ab%00cd", true));
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_false(spotify__url_decode(&sb, "a\0b", 3, false));
    spotify__strbuf_release(&sb);
}

static void test_decode_failure_keeps_earlier_text(void **state)
{
    (void)state;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__strbuf_append_str(&sb, "keep"));
    assert_false(spotify__url_decode(&sb, "ab%zz", 5, false));
    assert_false(sb.failed);
    assert_string_equal(spotify__strbuf_cstr(&sb), "keep");
    assert_int_equal(sb.len, 4);
    assert_true(spotify__url_decode(&sb, "%21", 3, false));
    assert_string_equal(spotify__strbuf_cstr(&sb), "keep!");
    spotify__strbuf_release(&sb);
}

static void test_encode_decode_round_trip(void **state)
{
    (void)state;
    char raw[255];
    for (size_t i = 0; i < sizeof raw; i++)
        raw[i] = (char)(i + 1); /* every byte value but NUL */
    spotify__strbuf enc = SPOTIFY__STRBUF_INIT;
    spotify__strbuf dec = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__url_encode(&enc, raw, sizeof raw));
    assert_true(spotify__url_decode(&dec, enc.data, enc.len, true));
    assert_int_equal(dec.len, sizeof raw);
    assert_memory_equal(dec.data, raw, sizeof raw);
    spotify__strbuf_release(&enc);
    spotify__strbuf_release(&dec);
}

/* Records the pairs the parser hands out. */
typedef struct collected {
    int count;
    int stop_after; /* 0: never stop */
    char keys[8][32];
    char values[8][32];
} collected;

static bool collect(const char *key, const char *value, void *user)
{
    collected *c = user;
    assert_true(c->count < 8);
    assert_true(strlen(key) < 32 && strlen(value) < 32);
    memcpy(c->keys[c->count], key, strlen(key) + 1);
    memcpy(c->values[c->count], value, strlen(value) + 1);
    c->count++;
    return c->stop_after == 0 || c->count < c->stop_after;
}

static void test_query_parse_pairs(void **state)
{
    (void)state;
    const char *q = "?a=1&b=&c&&d=x%26y";
    collected c = {0};
    bool malformed = true;
    assert_true(spotify__query_parse(q, strlen(q), collect, &c, &malformed));
    assert_false(malformed);
    assert_int_equal(c.count, 4);
    assert_string_equal(c.keys[0], "a");
    assert_string_equal(c.values[0], "1");
    assert_string_equal(c.keys[1], "b");
    assert_string_equal(c.values[1], "");
    assert_string_equal(c.keys[2], "c");
    assert_string_equal(c.values[2], "");
    assert_string_equal(c.keys[3], "d");
    assert_string_equal(c.values[3], "x&y");
}

static void test_query_parse_decoding(void **state)
{
    (void)state;
    const char *q = "q=a+b%2Bc&a%20b=x=y&=v&";
    collected c = {0};
    bool malformed = true;
    assert_true(spotify__query_parse(q, strlen(q), collect, &c, &malformed));
    assert_false(malformed);
    assert_int_equal(c.count, 3);
    assert_string_equal(c.values[0], "a b+c");
    assert_string_equal(c.keys[1], "a b");
    assert_string_equal(c.values[1], "x=y");
    assert_string_equal(c.keys[2], "");
    assert_string_equal(c.values[2], "v");
}

static void test_query_parse_empty(void **state)
{
    (void)state;
    collected c = {0};
    bool malformed = true;
    assert_true(spotify__query_parse("", 0, collect, &c, &malformed));
    assert_false(malformed);
    assert_true(spotify__query_parse("?", 1, collect, &c, &malformed));
    assert_true(spotify__query_parse("&&", 2, collect, &c, NULL));
    assert_true(spotify__query_parse(NULL, 0, collect, &c, NULL));
    assert_int_equal(c.count, 0);
    /* `len` bounds the input. */
    assert_true(spotify__query_parse("a=1&b=2", 3, collect, &c, NULL));
    assert_int_equal(c.count, 1);
    assert_string_equal(c.values[0], "1");
}

static void test_query_parse_malformed(void **state)
{
    (void)state;
    const char *q = "a=1&b=%zz&c=3";
    collected c = {0};
    bool malformed = false;
    assert_false(spotify__query_parse(q, strlen(q), collect, &c, &malformed));
    assert_true(malformed);
    assert_int_equal(c.count, 1);

    const char *nul = "code=%00";
    malformed = false;
    assert_false(spotify__query_parse(nul, strlen(nul), collect, &c, &malformed));
    assert_true(malformed);
    assert_int_equal(c.count, 1);
}

static void test_query_parse_callback_stops(void **state)
{
    (void)state;
    const char *q = "a=1&b=2&c=3";
    collected c = {0};
    c.stop_after = 2;
    bool malformed = true;
    assert_false(spotify__query_parse(q, strlen(q), collect, &c, &malformed));
    assert_false(malformed);
    assert_int_equal(c.count, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_encode_reserved_characters),
        cmocka_unit_test(test_encode_spaces),
        cmocka_unit_test(test_encode_unreserved_kept),
        cmocka_unit_test(test_encode_utf8),
        cmocka_unit_test(test_encode_empty_and_append),
        cmocka_unit_test(test_form_encode),
        cmocka_unit_test(test_decode_plus_vs_percent20),
        cmocka_unit_test(test_decode_escapes),
        cmocka_unit_test(test_decode_malformed_rejected),
        cmocka_unit_test(test_decode_nul_rejected),
        cmocka_unit_test(test_decode_failure_keeps_earlier_text),
        cmocka_unit_test(test_encode_decode_round_trip),
        cmocka_unit_test(test_query_parse_pairs),
        cmocka_unit_test(test_query_parse_decoding),
        cmocka_unit_test(test_query_parse_empty),
        cmocka_unit_test(test_query_parse_malformed),
        cmocka_unit_test(test_query_parse_callback_stops),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
