/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_json_write.c - the JSON writer (json/json_write.h): structure and
 * commas, escaping, UTF-8 repair, numbers, misuse detection, and parse ->
 * spotify__jw_value -> parse round trips of every fixture.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "core/strbuf.h"
#include "json/json.h"
#include "json/json_write.h"
#include "test_json_equal.h"
#include "test_util.h"

/* Loading a locale makes glibc cache a few bytes for good (allocated in
 * __argz_add_sep); LeakSanitizer, when present, must not count them. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:__argz_add_sep\n";
}

/* ---------- helpers ---------- */

typedef struct writer_fixture {
    spotify__strbuf sb;
    spotify__json_writer w;
} writer_fixture;

static int setup_writer(void **state)
{
    writer_fixture *f = calloc(1, sizeof *f);
    if (f == NULL)
        return -1;
    spotify__strbuf_init(&f->sb);
    spotify__jw_init(&f->w, &f->sb);
    *state = f;
    return 0;
}

static int teardown_writer(void **state)
{
    writer_fixture *f = *state;
    spotify__strbuf_release(&f->sb);
    free(f);
    return 0;
}

static void assert_output(writer_fixture *f, const char *expected)
{
    assert_true(spotify__jw_ok(&f->w));
    assert_string_equal(spotify__strbuf_cstr(&f->sb), expected);
}

/* The JSON text of one escaped string. */
static char *escaped(const char *s, size_t len)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__json_append_escaped(&sb, s, len));
    return spotify__strbuf_detach(&sb, NULL);
}

static void assert_escaped(const char *s, size_t len, const char *expected)
{
    char *out = escaped(s, len);
    assert_string_equal(out, expected);
    spotify__free(out);
}

static char *double_text(double v)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__json_writer w;
    spotify__jw_init(&w, &sb);
    spotify__jw_double(&w, v);
    assert_true(spotify__jw_ok(&w));
    return spotify__strbuf_detach(&sb, NULL);
}

/* The text with whitespace outside strings removed. */
static char *minify(const char *text, size_t len, size_t *out_len)
{
    char *out = malloc(len + 1);
    assert_non_null(out);
    size_t n = 0;
    bool in_string = false;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (in_string) {
            out[n++] = c;
            if (c == '\\' && i + 1 < len)
                out[n++] = text[++i];
            else if (c == '"')
                in_string = false;
        } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            out[n++] = c;
            in_string = c == '"';
        }
    }
    out[n] = '\0';
    *out_len = n;
    return out;
}

/* Parses text, re-serialises it with spotify__jw_value, parses the output
 * and checks both documents are equal. Returns the output (caller frees). */
static char *round_trip(const char *text, size_t len, size_t *out_len)
{
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json first, second;
    spotify_error err = {0};
    assert_int_equal(spotify__json_parse(&first, arena, text, len, len, &err), SPOTIFY_OK);
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__json_writer w;
    spotify__jw_init(&w, &sb);
    spotify__jw_value(&w, first);
    assert_true(spotify__jw_ok(&w));
    if (spotify__json_parse(&second, arena, sb.data, sb.len, sb.cap, &err) != SPOTIFY_OK)
        fail_msg("re-parse failed: %s", err.message);
    assert_true(test_json_equal(first, second));
    spotify__arena_free(arena);
    return spotify__strbuf_detach(&sb, out_len);
}

/* ---------- structure ---------- */

static void test_nested_structure(void **state)
{
    writer_fixture *f = *state;
    spotify__json_writer *w = &f->w;
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "a");
    spotify__jw_begin_array(w);
    spotify__jw_int64(w, 1);
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "b");
    spotify__jw_null(w);
    spotify__jw_key(w, "c");
    spotify__jw_begin_array(w);
    spotify__jw_end_array(w);
    spotify__jw_end_object(w);
    spotify__jw_bool(w, true);
    spotify__jw_bool(w, false);
    spotify__jw_begin_object(w);
    spotify__jw_end_object(w);
    spotify__jw_end_array(w);
    spotify__jw_key(w, "s");
    spotify__jw_cstring(w, "x");
    spotify__jw_key(w, "n");
    spotify__jw_cstring(w, NULL);
    spotify__jw_key(w, "u");
    spotify__jw_uint64(w, 7);
    spotify__jw_key(w, "d");
    spotify__jw_double(w, 2.5);
    spotify__jw_end_object(w);
    assert_output(f, "{\"a\":[1,{\"b\":null,\"c\":[]},true,false,{}],\"s\":\"x\",\"n\":null,"
                     "\"u\":7,\"d\":2.5}");
}

static void test_top_level_scalars(void **state)
{
    writer_fixture *f = *state;
    spotify__jw_string(&f->w, "", 0);
    assert_output(f, "\"\"");
    spotify__strbuf_reset(&f->sb);
    spotify__jw_init(&f->w, &f->sb);
    spotify__jw_string(&f->w, NULL, 0);
    assert_output(f, "\"\"");
    spotify__strbuf_reset(&f->sb);
    spotify__jw_init(&f->w, &f->sb);
    assert_true(spotify__jw_ok(&f->w)); /* nothing written yet is fine */
    spotify__jw_begin_array(&f->w);
    spotify__jw_begin_array(&f->w);
    spotify__jw_end_array(&f->w);
    spotify__jw_begin_array(&f->w);
    spotify__jw_end_array(&f->w);
    spotify__jw_end_array(&f->w);
    assert_output(f, "[[],[]]");
}

static void test_depth_limit(void **state)
{
    writer_fixture *f = *state;
    for (int i = 0; i < SPOTIFY__JSON_MAX_DEPTH; i++)
        spotify__jw_begin_array(&f->w);
    spotify__jw_int64(&f->w, 1);
    for (int i = 0; i < SPOTIFY__JSON_MAX_DEPTH; i++)
        spotify__jw_end_array(&f->w);
    assert_true(spotify__jw_ok(&f->w));
    /* The writer's deepest output is still parseable. */
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root;
    assert_int_equal(spotify__json_parse(&root, arena, f->sb.data, f->sb.len, f->sb.len, NULL),
                     SPOTIFY_OK);
    spotify__arena_free(arena);

    spotify__strbuf_reset(&f->sb);
    spotify__jw_init(&f->w, &f->sb);
    for (int i = 0; i < SPOTIFY__JSON_MAX_DEPTH; i++)
        spotify__jw_begin_array(&f->w);
    assert_false(f->w.failed);
    spotify__jw_begin_array(&f->w);
    assert_true(f->w.failed);
    assert_false(spotify__jw_ok(&f->w));
}

/* ---------- misuse ---------- */

typedef void (*misuse_fn)(spotify__json_writer *w);

static void value_where_key_due(spotify__json_writer *w)
{
    spotify__jw_begin_object(w);
    spotify__jw_string(w, "v", 1);
}

static void key_where_value_due(spotify__json_writer *w)
{
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "a");
    spotify__jw_key(w, "b");
}

static void key_in_array(spotify__json_writer *w)
{
    spotify__jw_begin_array(w);
    spotify__jw_key(w, "a");
}

static void key_at_top_level(spotify__json_writer *w)
{
    spotify__jw_key(w, "a");
}

static void null_key(spotify__json_writer *w)
{
    spotify__jw_begin_object(w);
    spotify__jw_key(w, NULL);
}

static void close_with_key_pending(spotify__json_writer *w)
{
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "a");
    spotify__jw_end_object(w);
}

static void mismatched_close(spotify__json_writer *w)
{
    spotify__jw_begin_array(w);
    spotify__jw_end_object(w);
}

static void mismatched_close_object(spotify__json_writer *w)
{
    spotify__jw_begin_object(w);
    spotify__jw_end_array(w);
}

static void close_at_top_level(spotify__json_writer *w)
{
    spotify__jw_end_array(w);
}

static void two_top_level_values(spotify__json_writer *w)
{
    spotify__jw_int64(w, 1);
    spotify__jw_int64(w, 2);
}

static void null_string_with_length(spotify__json_writer *w)
{
    spotify__jw_begin_array(w);
    spotify__jw_string(w, NULL, 3);
}

static void invalid_parsed_value(spotify__json_writer *w)
{
    spotify__json none = {NULL, 0};
    spotify__jw_value(w, none);
}

static void test_misuse_sets_failed(void **state)
{
    writer_fixture *f = *state;
    static const misuse_fn cases[] = {
        value_where_key_due,
        key_where_value_due,
        key_in_array,
        key_at_top_level,
        null_key,
        close_with_key_pending,
        mismatched_close,
        mismatched_close_object,
        close_at_top_level,
        two_top_level_values,
        null_string_with_length,
        invalid_parsed_value,
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        spotify__strbuf_reset(&f->sb);
        spotify__jw_init(&f->w, &f->sb);
        cases[i](&f->w);
        assert_true(f->w.failed);
        assert_false(spotify__jw_ok(&f->w));
        /* Sticky: nothing more is written, closing does not clear it. */
        size_t len = f->sb.len;
        spotify__jw_int64(&f->w, 5);
        spotify__jw_end_object(&f->w);
        spotify__jw_end_array(&f->w);
        assert_int_equal(f->sb.len, len);
        assert_false(spotify__jw_ok(&f->w));
    }
}

static void test_unclosed_is_not_ok(void **state)
{
    writer_fixture *f = *state;
    spotify__jw_begin_object(&f->w);
    spotify__jw_key(&f->w, "a");
    spotify__jw_int64(&f->w, 1);
    assert_false(f->w.failed);
    assert_false(spotify__jw_ok(&f->w));
    spotify__jw_end_object(&f->w);
    assert_output(f, "{\"a\":1}");
}

/* ---------- strings ---------- */

static void test_escapes(void **state)
{
    (void)state;
    assert_escaped("plain text", 10, "\"plain text\"");
    assert_escaped("q\"b\\s/", 6, "\"q\\\"b\\\\s/\"");
    assert_escaped("\b\f\n\r\t", 5, "\"\\b\\f\\n\\r\\t\"");
    assert_escaped("\x01\x1f\x7f", 3, "\"\\u0001\\u001f\x7f\"");
    assert_escaped("a\0b", 3, "\"a\\u0000b\"");
    assert_escaped("", 0, "\"\"");
    assert_escaped(NULL, 0, "\"\"");
    /* Valid UTF-8 of every length passes through. */
    assert_escaped("\xc3\xa9\xe2\x82\xac\xf0\x9f\x8e\xb5\xf4\x8f\xbf\xbf\xef\xbf\xbd", 16,
                   "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x8e\xb5\xf4\x8f\xbf\xbf\xef\xbf\xbd\"");
    /* U+2028 is valid JSON, kept raw. */
    assert_escaped("\xe2\x80\xa8", 3, "\"\xe2\x80\xa8\"");

    writer_fixture *f = *state;
    spotify__json_writer *w = &f->w;
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "k\"\n");
    spotify__jw_string(w, "tab\there", 8);
    spotify__jw_end_object(w);
    assert_output(f, "{\"k\\\"\\n\":\"tab\\there\"}");
}

/* Escaping looks at 8 bytes at a time first: a character that needs an
 * escape is found at every position of a longer string. */
static void test_escapes_at_every_position(void **state)
{
    (void)state;
    const char *specials[] = {"\"", "\\", "\n", "\x01", "\x1f", "\x7f"};
    const char *escapes[] = {"\\\"", "\\\\", "\\n", "\\u0001", "\\u001f", "\x7f"};
    const char base[] = "abcdefghijklmnopqrstuvwx";
    for (size_t k = 0; k < sizeof base - 1; k++) {
        for (size_t c = 0; c < sizeof specials / sizeof specials[0]; c++) {
            char in[32];
            char expected[64];
            memcpy(in, base, sizeof base);
            in[k] = specials[c][0];
            snprintf(expected, sizeof expected, "\"%.*s%s%s\"", (int)k, base, escapes[c],
                     base + k + 1);
            assert_escaped(in, sizeof base - 1, expected);
        }
        /* A two-byte UTF-8 character and a stray continuation byte there. */
        char in[32];
        char expected[64];
        snprintf(in, sizeof in, "%.*s\xc3\xa9%s", (int)k, base, base + k + 1);
        snprintf(expected, sizeof expected, "\"%s\"", in);
        assert_escaped(in, strlen(in), expected);
        snprintf(in, sizeof in, "%.*s\x80%s", (int)k, base, base + k + 1);
        snprintf(expected, sizeof expected, "\"%.*s\\ufffd%s\"", (int)k, base, base + k + 1);
        assert_escaped(in, strlen(in), expected);
    }
}

static void test_invalid_utf8_replaced(void **state)
{
    (void)state;
    assert_escaped("\xff", 1, "\"\\ufffd\"");
    assert_escaped("a\xfe"
                   "b",
                   3, "\"a\\ufffdb\"");
    assert_escaped("\x80", 1, "\"\\ufffd\"");       /* lone continuation byte */
    assert_escaped("a\xc3", 2, "\"a\\ufffd\"");     /* truncated at the end */
    assert_escaped("\xe2\x82x", 3, "\"\\ufffdx\""); /* one U+FFFD per maximal subpart */
    assert_escaped("\xf0\x9f\x8e", 3, "\"\\ufffd\"");
    assert_escaped("\xc0\xaf", 2, "\"\\ufffd\\ufffd\"");            /* overlong '/' */
    assert_escaped("\xc1\xbf", 2, "\"\\ufffd\\ufffd\"");            /* overlong */
    assert_escaped("\xe0\x80\xaf", 3, "\"\\ufffd\\ufffd\\ufffd\""); /* overlong 3-byte */
    assert_escaped("\xf0\x80\x80\xaf", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    assert_escaped("\xed\xa0\x80", 3, "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate U+D800 */
    assert_escaped("\xed\xbf\xbf", 3, "\"\\ufffd\\ufffd\\ufffd\""); /* surrogate U+DFFF */
    assert_escaped("\xed\x9f\xbf", 3, "\"\xed\x9f\xbf\"");          /* U+D7FF is fine */
    assert_escaped("\xf4\x90\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\""); /* > U+10FFFF */
    assert_escaped("\xf5\x80\x80\x80", 4, "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
    assert_escaped("\xc3\xa9\xff\xc3\xa9", 5, "\"\xc3\xa9\\ufffd\xc3\xa9\"");

    /* The result always parses. */
    char *out = escaped("\xff\xc0\xed\xa0\x80\x01\"", 7);
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root;
    assert_int_equal(spotify__json_parse(&root, arena, out, strlen(out), strlen(out), NULL),
                     SPOTIFY_OK);
    const char *s;
    size_t len;
    assert_true(spotify__json_get_string(root, &s, &len));
    assert_int_equal(len, 5 * 3 + 2);
    spotify__arena_free(arena);
    spotify__free(out);
}

/* ---------- numbers ---------- */

static void test_int64_extremes(void **state)
{
    writer_fixture *f = *state;
    spotify__json_writer *w = &f->w;
    spotify__jw_begin_array(w);
    spotify__jw_int64(w, INT64_MIN);
    spotify__jw_int64(w, INT64_MAX);
    spotify__jw_int64(w, 0);
    spotify__jw_int64(w, -1);
    spotify__jw_uint64(w, UINT64_MAX);
    spotify__jw_uint64(w, 0);
    spotify__jw_end_array(w);
    assert_output(f, "[-9223372036854775808,9223372036854775807,0,-1,18446744073709551615,0]");
}

static void assert_double_text(double v, const char *expected)
{
    char *text = double_text(v);
    assert_string_equal(text, expected);
    spotify__free(text);
}

/* Writes v, parses it back and checks the exact same double returns. */
static void assert_double_round_trips(double v)
{
    char *text = double_text(v);
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root;
    assert_int_equal(spotify__json_parse(&root, arena, text, strlen(text), strlen(text), NULL),
                     SPOTIFY_OK);
    assert_int_equal(spotify__json_type_of(root), SPOTIFY__JSON_DOUBLE);
    double back = 0;
    assert_true(spotify__json_get_double(root, &back));
    assert_memory_equal(&back, &v, sizeof v);
    spotify__arena_free(arena);
    spotify__free(text);
}

static void test_doubles(void **state)
{
    (void)state;
    assert_double_text(1.5, "1.5");
    assert_double_text(0.1, "0.1");
    assert_double_text(-0.0, "-0.0");
    assert_double_text(5.0, "5.0");
    assert_double_text(-2.0, "-2.0");
    assert_double_text(1e300, "1e+300");
    assert_double_text(1e21, "1e+21");
    assert_double_text(120.053, "120.053");
    assert_double_text(NAN, "null");
    assert_double_text(INFINITY, "null");
    assert_double_text(-INFINITY, "null");
    static const double values[] = {0.1,
                                    1.0 / 3.0,
                                    2.0 / 3.0,
                                    DBL_MAX,
                                    -DBL_MAX,
                                    DBL_MIN,
                                    4.9406564584124654e-324,
                                    123456789012345678.0,
                                    1e-7,
                                    9007199254740993.0,
                                    -0.0,
                                    0.0,
                                    1e23,
                                    5e-324};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++)
        assert_double_round_trips(values[i]);

    writer_fixture *f = *state;
    spotify__jw_begin_array(&f->w);
    spotify__jw_double(&f->w, NAN);
    spotify__jw_double(&f->w, 1.25);
    spotify__jw_end_array(&f->w);
    assert_output(f, "[null,1.25]");
}

static void test_doubles_ignore_locale(void **state)
{
    (void)state;
    static const char *const names[] = {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", "fr_FR"};
    locale_t comma = (locale_t)0;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && comma == (locale_t)0; i++)
        comma = newlocale(LC_NUMERIC_MASK, names[i], (locale_t)0);
    if (comma == (locale_t)0)
        skip(); /* no comma-decimal locale installed */
    locale_t previous = uselocale(comma);
    char check[16];
    snprintf(check, sizeof check, "%.1f", 1.5);
    char *text = double_text(1.5);
    char *third = double_text(1.0 / 3.0);
    uselocale(previous);
    freelocale(comma);
    assert_string_equal(check, "1,5"); /* the locale really is in effect */
    assert_string_equal(text, "1.5");
    assert_string_equal(third, "0.3333333333333333");
    spotify__free(text);
    spotify__free(third);
}

/* ---------- spotify__jw_value ---------- */

static void test_value_round_trip_tricky(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"s\":\"a\\u0000b\\n\\u00e9\\ud83c\\udfb5\\\"\\\\/\\u001f\","
        "\"n\":[0,-1,1.5,-0.0,1e300,18446744073709551615,-9223372036854775808,"
        "9223372036854775807,2.5e-3],\"e\":{},\"a\":[],\"t\":true,\"f\":false,\"z\":null,"
        "\"\":{\"\\u00e9\":[[[]],{\"x\":{}}]}}";
    size_t len;
    char *out = round_trip(doc, sizeof doc - 1, &len);
    assert_string_equal(out, "{\"s\":\"a\\u0000b\\n\xc3\xa9\xf0\x9f\x8e\xb5\\\"\\\\/\\u001f\","
                             "\"n\":[0,-1,1.5,-0.0,1e+300,18446744073709551615,"
                             "-9223372036854775808,9223372036854775807,0.0025],\"e\":{},"
                             "\"a\":[],\"t\":true,\"f\":false,\"z\":null,"
                             "\"\":{\"\xc3\xa9\":[[[]],{\"x\":{}}]}}");
    spotify__free(out);
}

static void test_value_inside_writer(void **state)
{
    writer_fixture *f = *state;
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root;
    static const char doc[] = "{\"a\":[1,2],\"b\":{\"c\":\"d\"}}";
    assert_int_equal(spotify__json_parse(&root, arena, doc, sizeof doc - 1, sizeof doc - 1, NULL),
                     SPOTIFY_OK);
    spotify__json_writer *w = &f->w;
    spotify__jw_begin_array(w);
    spotify__jw_value(w, spotify__json_get(root, "a"));
    /* A member handle writes its value. */
    spotify__jw_value(w, spotify__json_next(spotify__json_first(root)));
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "root");
    spotify__jw_value(w, root);
    spotify__jw_end_object(w);
    spotify__jw_end_array(w);
    assert_output(f, "[[1,2],{\"c\":\"d\"},{\"root\":{\"a\":[1,2],\"b\":{\"c\":\"d\"}}}]");
    spotify__arena_free(arena);
}

/* Raw text is one value: commas around it as for any other, copied as is. */
static void test_raw_value(void **state)
{
    writer_fixture *f = *state;
    spotify__json_writer *w = &f->w;
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "items");
    spotify__jw_begin_array(w);
    spotify__jw_raw(w, "{\"a\":1}", 7);
    spotify__jw_raw(w, "[2,3]", 5);
    spotify__jw_int64(w, 4);
    spotify__jw_end_array(w);
    spotify__jw_key(w, "x");
    spotify__jw_raw(w, "null", 4);
    spotify__jw_end_object(w);
    assert_output(f, "{\"items\":[{\"a\":1},[2,3],4],\"x\":null}");
    /* where a key is due, raw text is refused like any value */
    spotify__json_writer bad;
    spotify__strbuf out = SPOTIFY__STRBUF_INIT;
    spotify__jw_init(&bad, &out);
    spotify__jw_begin_object(&bad);
    spotify__jw_raw(&bad, "1", 1);
    assert_true(bad.failed);
    spotify__strbuf_release(&out);
}

static void test_fixture_round_trips(void **state)
{
    (void)state;
    const char *dir_name = getenv("SPOTIFY_FIXTURES_DIR");
    DIR *dir = opendir(dir_name != NULL ? dir_name : "tests/fixtures");
    assert_non_null(dir);
    int count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        size_t n = strlen(entry->d_name);
        if (n < 6 || strcmp(entry->d_name + n - 5, ".json") != 0)
            continue;
        size_t len, out_len, min_len;
        char *text = test_fixture_load(entry->d_name, &len);
        char *out = round_trip(text, len, &out_len);
        if (memchr(text, '\\', len) == NULL) {
            /* Nothing to re-escape: the output is the minified input. */
            char *min = minify(text, len, &min_len);
            if (out_len != min_len)
                fail_msg("%s: %zu bytes written, %zu minified", entry->d_name, out_len, min_len);
            assert_string_equal(out, min);
            free(min);
        }
        spotify__free(out);
        free(text);
        count++;
    }
    closedir(dir);
    assert_true(count >= 12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_nested_structure, setup_writer, teardown_writer),
        cmocka_unit_test_setup_teardown(test_top_level_scalars, setup_writer, teardown_writer),
        cmocka_unit_test_setup_teardown(test_depth_limit, setup_writer, teardown_writer),
        cmocka_unit_test_setup_teardown(test_misuse_sets_failed, setup_writer, teardown_writer),
        cmocka_unit_test_setup_teardown(test_unclosed_is_not_ok, setup_writer, teardown_writer),
        cmocka_unit_test_setup_teardown(test_escapes, setup_writer, teardown_writer),
        cmocka_unit_test(test_escapes_at_every_position),
        cmocka_unit_test(test_invalid_utf8_replaced),
        cmocka_unit_test_setup_teardown(test_int64_extremes, setup_writer, teardown_writer),
        cmocka_unit_test_setup_teardown(test_doubles, setup_writer, teardown_writer),
        cmocka_unit_test(test_doubles_ignore_locale),
        cmocka_unit_test(test_value_round_trip_tricky),
        cmocka_unit_test_setup_teardown(test_value_inside_writer, setup_writer, teardown_writer),
        cmocka_unit_test_setup_teardown(test_raw_value, setup_writer, teardown_writer),
        cmocka_unit_test(test_fixture_round_trips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
