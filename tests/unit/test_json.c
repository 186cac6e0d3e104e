/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_json.c - spotify__json_parse() and the tape reader (json/json.h):
 * fixtures, spot checks, number ranges, strings, malformed input, padding,
 * iteration, counts (including the saturated-count walk) and threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/model_runtime.h>

#include "core/arena.h"
#include "json/json.h"
#include "json/json_doc.h"
#include "test_json_equal.h"
#include "test_util.h"

/* ---------- helpers ---------- */

typedef struct parsed {
    spotify__arena *arena;
    spotify__json root;
    spotify_status status;
    spotify_error err;
} parsed;

static parsed parse_len(const char *text, size_t len)
{
    parsed p;
    memset(&p, 0, sizeof p);
    spotify_error_clear(&p.err);
    p.arena = spotify__arena_new(0);
    assert_non_null(p.arena);
    p.status = spotify__json_parse(&p.root, p.arena, text, len, len, &p.err);
    return p;
}

static parsed parse_text(const char *text)
{
    return parse_len(text, strlen(text));
}

static void parsed_free(parsed *p)
{
    spotify__arena_free(p->arena);
    p->arena = NULL;
}

/* Asserts that `len` bytes of `text` are rejected as malformed. */
static void expect_malformed_len(const char *text, size_t len)
{
    parsed p = parse_len(text, len);
    assert_int_equal(p.status, SPOTIFY_EPROTOCOL);
    assert_int_equal(p.err.status, SPOTIFY_EPROTOCOL);
    assert_non_null(strstr(p.err.message, "JSON"));
    assert_false(spotify__json_valid(p.root));
    parsed_free(&p);
}

static void expect_malformed(const char *text)
{
    expect_malformed_len(text, strlen(text));
}

static void assert_string_is(spotify__json v, const char *expected)
{
    const char *s = NULL;
    size_t len = 0;
    assert_true(spotify__json_get_string(v, &s, &len));
    assert_int_equal(len, strlen(expected));
    assert_memory_equal(s, expected, len);
    assert_int_equal(s[len], '\0');
}

static int64_t int_of(spotify__json v)
{
    int64_t out = -12345;
    assert_true(spotify__json_get_int64(v, &out));
    return out;
}

/* Follows a path of keys (for objects) and indexes (for arrays, as "#3"). */
static spotify__json path(spotify__json v, ...)
{
    va_list ap;
    va_start(ap, v);
    const char *step;
    while ((step = va_arg(ap, const char *)) != NULL) {
        if (step[0] == '#') {
            long n = strtol(step + 1, NULL, 10);
            v = spotify__json_first(v);
            for (long i = 0; i < n; i++)
                v = spotify__json_next(v);
        } else {
            v = spotify__json_get(v, step);
        }
    }
    va_end(ap);
    return v;
}

/* Checks, for every container under v, that count() matches iteration;
 * returns the number of values visited. */
static size_t check_counts(spotify__json v)
{
    spotify__json_type type = spotify__json_type_of(v);
    if (type != SPOTIFY__JSON_ARRAY && type != SPOTIFY__JSON_OBJECT)
        return 1;
    size_t items = 0, visited = 1;
    for (spotify__json e = spotify__json_first(v); spotify__json_valid(e);
         e = spotify__json_next(e), items++)
        visited += check_counts(type == SPOTIFY__JSON_OBJECT ? spotify__json_member_value(e) : e);
    assert_int_equal(items, spotify__json_count(v));
    return visited;
}

/* ---------- fixtures ---------- */

static void test_every_fixture_parses(void **state)
{
    (void)state;
    const char *dir_name = getenv("SPOTIFY_FIXTURES_DIR");
    DIR *dir = opendir(dir_name != NULL ? dir_name : "tests/fixtures");
    assert_non_null(dir);
    int parsed_count = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        size_t n = strlen(entry->d_name);
        if (n < 6 || strcmp(entry->d_name + n - 5, ".json") != 0)
            continue;
        size_t len;
        char *text = test_fixture_load(entry->d_name, &len);
        parsed p = parse_len(text, len);
        if (p.status != SPOTIFY_OK)
            fail_msg("%s: %s", entry->d_name, p.err.message);
        assert_true(spotify__json_valid(p.root));
        assert_int_equal(spotify__json_type_of(p.root), SPOTIFY__JSON_OBJECT);
        assert_true(spotify__json_count(p.root) > 0);
        assert_true(check_counts(p.root) > 1);
        parsed_free(&p);
        free(text);
        parsed_count++;
    }
    closedir(dir);
    assert_true(parsed_count >= 12);
}

static void test_album_spot_checks(void **state)
{
    (void)state;
    size_t len;
    char *text = test_fixture_load("album-tpab.json", &len);
    parsed p = parse_len(text, len);
    assert_int_equal(p.status, SPOTIFY_OK);
    spotify__json album = p.root;
    assert_string_is(spotify__json_get(album, "name"), "To Pimp A Butterfly");
    assert_int_equal(int_of(spotify__json_get(album, "total_tracks")), 16);
    assert_int_equal(int_of(spotify__json_get(album, "popularity")), 79);
    assert_string_is(spotify__json_get(album, "release_date"), "2015-03-16");

    spotify__json markets = spotify__json_get(album, "available_markets");
    assert_int_equal(spotify__json_type_of(markets), SPOTIFY__JSON_ARRAY);
    assert_int_equal(spotify__json_count(markets), 184);
    assert_string_is(spotify__json_first(markets), "AR");
    assert_string_is(path(markets, "#183", NULL), "XK");
    assert_false(spotify__json_valid(path(markets, "#184", NULL)));

    spotify__json genres = spotify__json_get(album, "genres");
    assert_int_equal(spotify__json_type_of(genres), SPOTIFY__JSON_ARRAY);
    assert_int_equal(spotify__json_count(genres), 0);
    assert_false(spotify__json_valid(spotify__json_first(genres)));

    spotify__json tracks = spotify__json_get(album, "tracks");
    assert_true(spotify__json_is_null(spotify__json_get(tracks, "next")));
    assert_int_equal(int_of(spotify__json_get(tracks, "total")), 16);
    spotify__json items = spotify__json_get(tracks, "items");
    assert_int_equal(spotify__json_count(items), 16);
    spotify__json first = spotify__json_first(items);
    assert_string_is(spotify__json_get(first, "name"), "Wesley's Theory");
    assert_int_equal(int_of(spotify__json_get(first, "duration_ms")), 287360);
    bool explicit_flag = false;
    assert_true(spotify__json_get_bool(spotify__json_get(first, "explicit"), &explicit_flag));
    assert_true(explicit_flag);
    spotify__json last = path(items, "#15", NULL);
    assert_string_is(spotify__json_get(last, "name"), "Mortal Man");
    assert_int_equal(int_of(spotify__json_get(last, "duration_ms")), 727106);

    /* Non-ASCII text survives unchanged. */
    assert_string_is(path(album, "copyrights", "#0", "text", NULL),
                     "\xc2\xa9 2015 Aftermath/Interscope (Top Dawg Entertainment)");
    assert_int_equal(int_of(path(album, "images", "#0", "height", NULL)), 640);

    /* Every top-level key, in document order. */
    static const char *const keys[] = {"album_type",
                                       "total_tracks",
                                       "available_markets",
                                       "external_urls",
                                       "href",
                                       "id",
                                       "images",
                                       "name",
                                       "release_date",
                                       "release_date_precision",
                                       "type",
                                       "uri",
                                       "artists",
                                       "tracks",
                                       "copyrights",
                                       "external_ids",
                                       "genres",
                                       "label",
                                       "popularity"};
    size_t i = 0;
    for (spotify__json m = spotify__json_first(album); spotify__json_valid(m);
         m = spotify__json_next(m), i++) {
        const char *key;
        size_t key_len;
        assert_true(i < sizeof keys / sizeof keys[0]);
        assert_true(spotify__json_key(m, &key, &key_len));
        assert_string_equal(key, keys[i]);
        assert_int_equal(key_len, strlen(keys[i]));
    }
    assert_int_equal(i, sizeof keys / sizeof keys[0]);
    assert_int_equal(spotify__json_count(album), i);
    parsed_free(&p);
    free(text);
}

static void test_track_spot_checks(void **state)
{
    (void)state;
    size_t len;
    char *text = test_fixture_load("track-wesleys-theory.json", &len);
    parsed p = parse_len(text, len);
    assert_int_equal(p.status, SPOTIFY_OK);
    spotify__json track = p.root;
    assert_string_is(spotify__json_get(track, "name"), "Wesley's Theory");
    assert_int_equal(int_of(spotify__json_get(track, "duration_ms")), 287360);
    assert_int_equal(int_of(spotify__json_get(track, "popularity")), 70);
    assert_int_equal(int_of(spotify__json_get(track, "disc_number")), 1);
    bool is_local = true;
    assert_true(spotify__json_get_bool(spotify__json_get(track, "is_local"), &is_local));
    assert_false(is_local);
    assert_string_is(path(track, "external_ids", "isrc", NULL), "USUM71502491");
    assert_string_is(path(track, "album", "name", NULL), "To Pimp A Butterfly");
    assert_string_is(path(track, "album", "artists", "#0", "name", NULL), "Kendrick Lamar");

    spotify__json artists = spotify__json_get(track, "artists");
    assert_int_equal(spotify__json_count(artists), 3);
    static const char *const names[] = {"Kendrick Lamar", "George Clinton", "Thundercat"};
    size_t i = 0;
    for (spotify__json a = spotify__json_first(artists); spotify__json_valid(a);
         a = spotify__json_next(a), i++) {
        assert_int_equal(spotify__json_type_of(a), SPOTIFY__JSON_OBJECT);
        assert_string_is(spotify__json_get(a, "name"), names[i]);
        const char *url;
        assert_true(
            spotify__json_get_string(path(a, "external_urls", "spotify", NULL), &url, NULL));
        assert_true(strncmp(url, "https://open.spotify.com/artist/", 32) == 0);
    }
    assert_int_equal(i, 3);

    static const char *const keys[] = {
        "album",    "artists",      "available_markets", "disc_number", "duration_ms",
        "explicit", "external_ids", "external_urls",     "href",        "id",
        "is_local", "name",         "popularity",        "preview_url", "track_number",
        "type",     "uri"};
    i = 0;
    for (spotify__json m = spotify__json_first(track); spotify__json_valid(m);
         m = spotify__json_next(m), i++) {
        const char *key;
        assert_true(spotify__json_key(m, &key, NULL));
        assert_string_equal(key, keys[i]);
    }
    assert_int_equal(i, sizeof keys / sizeof keys[0]);
    assert_true(spotify__json_is_null(spotify__json_get(track, "preview_url")));
    parsed_free(&p);
    free(text);
}

/* ---------- numbers ---------- */

static void test_integers(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int64_t value;
    } cases[] = {
        {"9007199254740992", INT64_C(9007199254740992)},
        {"9007199254740993", INT64_C(9007199254740993)},
        {"9223372036854775807", INT64_MAX},
        {"-9223372036854775808", INT64_MIN},
        {"0", 0},
        {"-0", 0},
        {"-1", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        parsed p = parse_text(cases[i].text);
        assert_int_equal(p.status, SPOTIFY_OK);
        assert_int_equal(spotify__json_type_of(p.root), SPOTIFY__JSON_INT);
        int64_t v = 0;
        assert_true(spotify__json_get_int64(p.root, &v));
        assert_true(v == cases[i].value);
        double d = 0;
        assert_true(spotify__json_get_double(p.root, &d));
        assert_true(d == (double)cases[i].value);
        parsed_free(&p);
    }
}

static void test_uint64(void **state)
{
    (void)state;
    parsed p = parse_text("[18446744073709551615, 9223372036854775808]");
    assert_int_equal(p.status, SPOTIFY_OK);
    spotify__json max = spotify__json_first(p.root);
    assert_int_equal(spotify__json_type_of(max), SPOTIFY__JSON_UINT);
    assert_string_equal(spotify__json_type_name(SPOTIFY__JSON_UINT), "integer");
    int64_t i = 42;
    assert_false(spotify__json_get_int64(max, &i));
    assert_int_equal(i, 42);
    double d = 0;
    assert_true(spotify__json_get_double(max, &d));
    assert_true(d == 18446744073709551615.0);
    spotify__json above = spotify__json_next(max);
    assert_int_equal(spotify__json_type_of(above), SPOTIFY__JSON_UINT);
    assert_false(spotify__json_get_int64(above, &i));
    parsed_free(&p);
}

static void test_doubles(void **state)
{
    (void)state;
    parsed p = parse_text("[-0.0, 1.5, 1e5, 2.5E-3, 1.7976931348623157e308]");
    assert_int_equal(p.status, SPOTIFY_OK);
    spotify__json v = spotify__json_first(p.root);
    double d = 1;
    assert_int_equal(spotify__json_type_of(v), SPOTIFY__JSON_DOUBLE);
    assert_true(spotify__json_get_double(v, &d));
    assert_true(d == 0.0 && signbit(d));
    v = spotify__json_next(v);
    assert_int_equal(spotify__json_type_of(v), SPOTIFY__JSON_DOUBLE);
    assert_true(spotify__json_get_double(v, &d));
    assert_true(d == 1.5);
    int64_t i = 7;
    assert_false(spotify__json_get_int64(v, &i));
    assert_int_equal(i, 7);
    v = spotify__json_next(v);
    assert_int_equal(spotify__json_type_of(v), SPOTIFY__JSON_DOUBLE);
    assert_true(spotify__json_get_double(v, &d) && d == 1e5);
    v = spotify__json_next(v);
    assert_true(spotify__json_get_double(v, &d) && d == 2.5e-3);
    v = spotify__json_next(v);
    assert_true(spotify__json_get_double(v, &d) && d == 1.7976931348623157e308);
    parsed_free(&p);
}

static void test_numbers_out_of_range(void **state)
{
    (void)state;
    expect_malformed("1e400");
    expect_malformed("[-1e400]");
    expect_malformed("18446744073709551616");
    expect_malformed("-9223372036854775809");
    expect_malformed("[01]");
    expect_malformed("[1.]");
    expect_malformed("[.5]");
    expect_malformed("[+1]");
    expect_malformed("[NaN]");
    parsed p = parse_text("1e400");
    assert_non_null(strstr(p.err.message, "number"));
    parsed_free(&p);
}

/* ---------- getters on the wrong type, invalid handles ---------- */

static void test_wrong_types(void **state)
{
    (void)state;
    parsed p = parse_text("{\"s\":\"text\",\"n\":null,\"b\":true,\"i\":3,\"a\":[1],\"o\":{}}");
    assert_int_equal(p.status, SPOTIFY_OK);
    spotify__json s = spotify__json_get(p.root, "s");
    bool b = false;
    int64_t i = 99;
    double d = 9.5;
    const char *str = "untouched";
    size_t len = 77;
    assert_false(spotify__json_get_bool(s, &b));
    assert_false(spotify__json_get_int64(s, &i));
    assert_false(spotify__json_get_double(s, &d));
    assert_false(spotify__json_is_null(s));
    assert_int_equal(spotify__json_count(s), 0);
    assert_false(spotify__json_valid(spotify__json_first(s)));
    assert_false(spotify__json_valid(spotify__json_get(s, "x")));
    spotify__json n = spotify__json_get(p.root, "n");
    assert_true(spotify__json_is_null(n));
    assert_false(spotify__json_get_string(n, &str, &len));
    assert_false(spotify__json_get_bool(n, &b));
    spotify__json flag = spotify__json_get(p.root, "b");
    assert_false(spotify__json_get_int64(flag, &i));
    assert_false(spotify__json_get_string(flag, &str, &len));
    spotify__json num = spotify__json_get(p.root, "i");
    assert_false(spotify__json_get_bool(num, &b));
    assert_false(spotify__json_get_string(num, &str, &len));
    spotify__json arr = spotify__json_get(p.root, "a");
    assert_false(spotify__json_valid(spotify__json_get(arr, "0")));
    assert_false(spotify__json_get_string(arr, &str, &len));
    assert_false(spotify__json_get_double(spotify__json_get(p.root, "o"), &d));
    assert_false(b);
    assert_int_equal(i, 99);
    assert_true(d == 9.5);
    assert_string_equal(str, "untouched");
    assert_int_equal(len, 77);
    /* Keys are not values of an array element; member values have no key. */
    const char *key = NULL;
    assert_false(spotify__json_key(spotify__json_first(arr), &key, &len));
    assert_false(spotify__json_key(s, &key, &len));
    assert_false(spotify__json_valid(spotify__json_member_value(spotify__json_first(arr))));
    assert_null(key);
    assert_string_equal(spotify__json_type_name(spotify__json_type_of(s)), "string");
    assert_string_equal(spotify__json_type_name(SPOTIFY__JSON_OBJECT), "object");
    assert_string_equal(spotify__json_type_name(SPOTIFY__JSON_INVALID), "missing");
    parsed_free(&p);
}

static void test_invalid_handles(void **state)
{
    (void)state;
    spotify__json bad = {NULL, 0};
    bool b = false;
    int64_t i = 1;
    double d = 1;
    const char *s = NULL;
    size_t len = 5;
    assert_false(spotify__json_valid(bad));
    assert_int_equal(spotify__json_type_of(bad), SPOTIFY__JSON_INVALID);
    assert_false(spotify__json_get_bool(bad, &b));
    assert_false(spotify__json_get_int64(bad, &i));
    assert_false(spotify__json_get_double(bad, &d));
    assert_false(spotify__json_get_string(bad, &s, &len));
    assert_false(spotify__json_is_null(bad));
    assert_int_equal(spotify__json_count(bad), 0);
    assert_false(spotify__json_valid(spotify__json_first(bad)));
    assert_false(spotify__json_valid(spotify__json_next(bad)));
    assert_false(spotify__json_key(bad, &s, &len));
    assert_false(spotify__json_valid(spotify__json_member_value(bad)));
    assert_false(spotify__json_valid(spotify__json_get(bad, "a")));
    assert_int_equal(len, 5);

    /* Handles pointing outside a real document: past the end, at the root
     * words, at a closing bracket. */
    parsed p = parse_text("[1,2]");
    assert_int_equal(p.status, SPOTIFY_OK);
    spotify__json out = {p.root.doc, 1000};
    assert_false(spotify__json_valid(out));
    spotify__json root_word = {p.root.doc, 0};
    assert_false(spotify__json_valid(root_word));
    spotify__json closing = {p.root.doc, p.root.doc->tape_len - 2};
    assert_false(spotify__json_valid(closing));
    assert_false(spotify__json_valid(spotify__json_get(p.root, NULL)));
    parsed_free(&p);
}

/* ---------- strings ---------- */

static void test_string_escapes(void **state)
{
    (void)state;
    parsed p = parse_text("[\"caf\\u00e9\", \"\\ud83c\\udfb5\", \"a\\u0000b\","
                          " \"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\", \"\xe2\x82\xac\"]");
    assert_int_equal(p.status, SPOTIFY_OK);
    spotify__json v = spotify__json_first(p.root);
    assert_string_is(v, "caf\xc3\xa9");
    v = spotify__json_next(v);
    assert_string_is(v, "\xf0\x9f\x8e\xb5");
    v = spotify__json_next(v);
    const char *s;
    size_t len;
    assert_true(spotify__json_get_string(v, &s, &len));
    assert_int_equal(len, 3);
    assert_memory_equal(s, "a\0b", 3);
    v = spotify__json_next(v);
    assert_string_is(v, "\"\\/\b\f\n\r\t");
    v = spotify__json_next(v);
    assert_string_is(v, "");
    v = spotify__json_next(v);
    assert_string_is(v, "\xe2\x82\xac");
    assert_false(spotify__json_valid(spotify__json_next(v)));
    /* The length pointer is optional. */
    assert_true(spotify__json_get_string(v, &s, NULL));
    parsed_free(&p);
}

/* The fast path for arrays of strings: every leading string, in order,
 * stopping at the first element of another type. */
static void test_string_arrays(void **state)
{
    (void)state;
    parsed p = parse_text("{\"m\":[\"AD\",\"AE\",\"caf\\u00e9\"],\"mixed\":[\"a\",null,\"b\"],"
                          "\"nested\":[[\"x\"],\"y\"],\"empty\":[],\"s\":\"z\"}");
    assert_int_equal(p.status, SPOTIFY_OK);
    const char *out[4] = {NULL, NULL, NULL, NULL};
    assert_int_equal(spotify__json_strings(spotify__json_get(p.root, "m"), out, 4), 3);
    assert_string_equal(out[0], "AD");
    assert_string_equal(out[1], "AE");
    assert_string_equal(out[2], "caf\xc3\xa9");
    assert_int_equal(spotify__json_strings(spotify__json_get(p.root, "m"), out, 2), 2);
    assert_int_equal(spotify__json_strings(spotify__json_get(p.root, "mixed"), out, 4), 1);
    assert_int_equal(spotify__json_strings(spotify__json_get(p.root, "nested"), out, 4), 0);
    assert_int_equal(spotify__json_strings(spotify__json_get(p.root, "empty"), out, 4), 0);
    assert_int_equal(spotify__json_strings(spotify__json_get(p.root, "s"), out, 4), 0);
    assert_int_equal(spotify__json_strings(p.root, out, 4), 0);
    parsed_free(&p);
}

static void test_keys_and_lookup(void **state)
{
    (void)state;
    parsed p =
        parse_text("{\"a\":1,\"a\":2,\"\":3,\"caf\\u00e9\":\"x\",\"o\":{\"a\":[true,false]}}");
    assert_int_equal(p.status, SPOTIFY_OK);
    assert_int_equal(int_of(spotify__json_get(p.root, "a")), 1); /* first match */
    assert_int_equal(int_of(spotify__json_get(p.root, "")), 3);
    assert_string_is(spotify__json_get(p.root, "caf\xc3\xa9"), "x");
    assert_false(spotify__json_valid(spotify__json_get(p.root, "missing")));
    assert_false(spotify__json_valid(spotify__json_get(p.root, "c")));
    assert_int_equal(spotify__json_count(p.root), 5);
    spotify__json flags = path(p.root, "o", "a", NULL);
    assert_int_equal(spotify__json_count(flags), 2);
    bool b = false;
    assert_true(spotify__json_get_bool(path(flags, "#0", NULL), &b) && b);
    assert_true(spotify__json_get_bool(path(flags, "#1", NULL), &b) && !b);

    /* A member handle reads as its value; member_value strips the member. */
    spotify__json m = spotify__json_first(p.root);
    assert_int_equal(spotify__json_type_of(m), SPOTIFY__JSON_INT);
    assert_int_equal(int_of(m), 1);
    spotify__json value = spotify__json_member_value(m);
    assert_int_equal(int_of(value), 1);
    const char *key;
    assert_false(spotify__json_key(value, &key, NULL));
    m = spotify__json_next(m);
    m = spotify__json_next(m);
    size_t len = 9;
    assert_true(spotify__json_key(m, &key, &len));
    assert_int_equal(len, 0);
    assert_string_equal(key, "");
    parsed_free(&p);
}

/* ---------- malformed input ---------- */

static void test_malformed(void **state)
{
    (void)state;
    expect_malformed("{\"a\":[1,2");      /* truncated */
    expect_malformed("{\"a\":");          /* truncated */
    expect_malformed("[1,2,]");           /* trailing comma */
    expect_malformed("{\"a\":1,}");       /* trailing comma */
    expect_malformed("{'a':1}");          /* single quotes */
    expect_malformed("['a']");            /* single quotes */
    expect_malformed("[\"a\xff\"]");      /* invalid UTF-8 */
    expect_malformed("\"\xc0\xaf\"");     /* overlong */
    expect_malformed("\"\xed\xa0\x80\""); /* encoded surrogate */
    expect_malformed("\"\\ud800\"");      /* lone surrogate escape */
    expect_malformed("\"abc");            /* unterminated string */
    expect_malformed("\"a\nb\"");         /* raw control character */
    expect_malformed("\"\\x\"");          /* bad escape */
    expect_malformed("");                 /* empty */
    expect_malformed("   \n ");           /* blank */
    expect_malformed("tru");
    expect_malformed("nul");
    expect_malformed("[1] x"); /* trailing content */
    expect_malformed("[1] [2]");
    expect_malformed("{\"a\" 1}");
    expect_malformed("{1:2}");
    expect_malformed("]");
    expect_malformed_len("[1,\0 2]", 7); /* NUL byte outside a string */

    parsed p = parse_text("[\"a\xff\"]");
    assert_non_null(strstr(p.err.message, "UTF-8"));
    parsed_free(&p);
}

static char *nested_arrays(int depth, const char *inner)
{
    size_t inner_len = strlen(inner);
    char *text = malloc((size_t)depth * 2 + inner_len + 1);
    assert_non_null(text);
    memset(text, '[', (size_t)depth);
    memcpy(text + depth, inner, inner_len);
    memset(text + depth + inner_len, ']', (size_t)depth);
    text[depth * 2 + inner_len] = '\0';
    return text;
}

static void test_nesting_limit(void **state)
{
    (void)state;
    char *text = nested_arrays(300, "");
    expect_malformed(text);
    parsed p = parse_text(text);
    assert_non_null(strstr(p.err.message, "deep"));
    parsed_free(&p);
    free(text);

    /* Exactly SPOTIFY__JSON_MAX_DEPTH levels pass, one more does not, with or
     * without scalars in the innermost container (a container of single
     * words, like the strings and null here, is stepped over by the parser's
     * tape scan: it still counts as a level). */
    static const char *const inners[] = {"", "1", "\"s\"", "\"s\",null"};
    for (size_t i = 0; i < sizeof inners / sizeof inners[0]; i++) {
        text = nested_arrays(SPOTIFY__JSON_MAX_DEPTH, inners[i]);
        p = parse_text(text);
        assert_int_equal(p.status, SPOTIFY_OK);
        parsed_free(&p);
        free(text);
        text = nested_arrays(SPOTIFY__JSON_MAX_DEPTH + 1, inners[i]);
        expect_malformed(text);
        free(text);
    }
}

static void test_messages_hold_no_input(void **state)
{
    (void)state;
    static const char *const inputs[] = {"{\"access_token\":\"SECRET123\",",
                                         "{\"access_token\":SECRET123}",
                                         "{\"x\":\"SECRET123\xff\"}", "SECRET123"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        parsed p = parse_text(inputs[i]);
        assert_int_equal(p.status, SPOTIFY_EPROTOCOL);
        assert_null(strstr(p.err.message, "SECRET"));
        assert_string_equal(p.err.body, "");
        parsed_free(&p);
    }
}

static void test_bad_arguments(void **state)
{
    (void)state;
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json root;
    spotify_error err = {0};
    assert_int_equal(spotify__json_parse(NULL, arena, "1", 1, 1, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify__json_parse(&root, NULL, "1", 1, 1, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify__json_parse(&root, arena, NULL, 1, 1, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify__json_parse(&root, arena, "12", 2, 1, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify__json_parse(&root, arena, NULL, 0, 0, NULL), SPOTIFY_EPROTOCOL);
    assert_int_equal(spotify__json_parse(&root, arena, "7", 1, 1, NULL), SPOTIFY_OK);
    assert_int_equal(int_of(root), 7);
    spotify__arena_free(arena);
}

/* ---------- padding ---------- */

static void test_padding_same_result(void **state)
{
    (void)state;
    static const char *const names[] = {"album-tpab.json", "track-wesleys-theory.json",
                                        "markets.json"};
    for (size_t n = 0; n < sizeof names / sizeof names[0]; n++) {
        size_t len;
        char *text = test_fixture_load(names[n], &len);
        char *padded = malloc(len + SPOTIFY__JSON_PADDING);
        assert_non_null(padded);
        memcpy(padded, text, len);
        memset(padded + len, '}', SPOTIFY__JSON_PADDING); /* junk past the end */
        spotify__arena *a1 = spotify__arena_new(0), *a2 = spotify__arena_new(0);
        spotify__json r1, r2;
        spotify_error err = {0};
        assert_int_equal(spotify__json_parse(&r1, a1, text, len, len, &err), SPOTIFY_OK);
        assert_int_equal(
            spotify__json_parse(&r2, a2, padded, len, len + SPOTIFY__JSON_PADDING, &err),
            SPOTIFY_OK);
        assert_true(test_json_equal(r1, r2));
        assert_int_equal(r1.doc->tape_len, r2.doc->tape_len);
        assert_memory_equal(r1.doc->tape, r2.doc->tape, r1.doc->tape_len * sizeof(uint64_t));
        size_t strings_used = spotify__json_doc_strings_used(r1.doc);
        assert_int_equal(strings_used, spotify__json_doc_strings_used(r2.doc));
        assert_memory_equal(r1.doc->strings, r2.doc->strings, strings_used);
        /* The input may go away: the document lives in the arena. */
        memset(padded, 0, len + SPOTIFY__JSON_PADDING);
        free(padded);
        free(text);
        spotify__arena *a3 = spotify__arena_new(0);
        spotify__json r3;
        char *again = test_fixture_load(names[n], &len);
        assert_int_equal(spotify__json_parse(&r3, a3, again, len, len, &err), SPOTIFY_OK);
        free(again);
        assert_true(test_json_equal(r2, r3));
        spotify__arena_free(a1);
        spotify__arena_free(a2);
        spotify__arena_free(a3);
    }
}

/* ---------- counts ---------- */

static void test_large_array_count(void **state)
{
    (void)state;
    const size_t n = 200000;
    char *text = malloc(n * 2 + 2);
    assert_non_null(text);
    text[0] = '[';
    for (size_t i = 0; i < n; i++) {
        text[1 + i * 2] = '7';
        text[2 + i * 2] = i + 1 < n ? ',' : ']';
    }
    text[n * 2 + 1] = '\0';
    parsed p = parse_text(text);
    assert_int_equal(p.status, SPOTIFY_OK);
    assert_int_equal(spotify__json_count(p.root), n);
    size_t walked = 0;
    for (spotify__json v = spotify__json_first(p.root); spotify__json_valid(v);
         v = spotify__json_next(v))
        walked++;
    assert_int_equal(walked, n);
    parsed_free(&p);
    free(text);
}

static uint64_t tape_word(char type, uint64_t payload)
{
    return ((uint64_t)(unsigned char)type << 56) | payload;
}

/*
 * A count above 0xFFFFFF elements is saturated on the tape; building such a
 * document takes hundreds of MB, so this builds a small synthetic tape whose
 * containers claim the saturated count and checks that count() walks.
 */
static void test_saturated_count_walks(void **state)
{
    (void)state;
    const uint64_t sat = (uint64_t)SPOTIFY__JSON_COUNT_SATURATED << 32;
    /* strings: "hi" at 0, "k1" at 7, "k2" at 14 */
    uint8_t strings[21];
    static const char *const texts[] = {"hi", "k1", "k2"};
    for (int i = 0; i < 3; i++) {
        uint32_t len = 2;
        memcpy(strings + i * 7, &len, 4);
        memcpy(strings + i * 7 + 4, texts[i], 3);
    }
    /* [7, true, "hi", {"k1": null, "k2": []}, {}, null], every container
     * claiming the saturated count */
    const uint64_t tape[] = {
        tape_word('r', 18),       /* 0: the tape length */
        tape_word('[', sat | 17), /* 1 */
        tape_word('l', 0),        /* 2 */
        7,                        /* 3 */
        tape_word('t', 0),        /* 4 */
        tape_word('"', 0),        /* 5: "hi" */
        tape_word('{', sat | 13), /* 6 */
        tape_word('"', 7),        /* 7: k1 */
        tape_word('n', 0),        /* 8 */
        tape_word('"', 14),       /* 9: k2 */
        tape_word('[', sat | 12), /* 10 */
        tape_word(']', 10),       /* 11 */
        tape_word('}', 6),        /* 12 */
        tape_word('{', sat | 15), /* 13 */
        tape_word('}', 13),       /* 14 */
        tape_word('n', 0),        /* 15 */
        tape_word(']', 1),        /* 16 */
        tape_word('r', 0),        /* 17 */
    };
    spotify__json_doc doc = {tape, sizeof tape / sizeof tape[0], strings};
    spotify__json root = {&doc, 1};
    assert_int_equal(spotify__json_count(root), 6);
    spotify__json obj = path(root, "#3", NULL);
    assert_int_equal(spotify__json_type_of(obj), SPOTIFY__JSON_OBJECT);
    assert_int_equal(spotify__json_count(obj), 2);
    assert_int_equal(spotify__json_count(spotify__json_get(obj, "k2")), 0);
    assert_true(spotify__json_is_null(spotify__json_get(obj, "k1")));
    assert_int_equal(spotify__json_count(path(root, "#4", NULL)), 0);
    assert_true(spotify__json_is_null(path(root, "#5", NULL)));
    assert_string_is(path(root, "#2", NULL), "hi");
}

/* ---------- large documents and threads ---------- */

static void test_large_document_then_small(void **state)
{
    (void)state;
    /* Over 1 MiB: the thread's parser releases its buffers afterwards and
     * must still work for the next document. */
    const size_t n = 120000;
    char *text = malloc(n * 12 + 3);
    assert_non_null(text);
    size_t len = 0;
    text[len++] = '[';
    for (size_t i = 0; i < n; i++) {
        memcpy(text + len, "\"abcdefgh\"", 10);
        len += 10;
        text[len++] = i + 1 < n ? ',' : ']';
    }
    text[len] = '\0';
    parsed p = parse_len(text, len);
    assert_int_equal(p.status, SPOTIFY_OK);
    assert_int_equal(spotify__json_count(p.root), n);
    assert_string_is(path(p.root, "#119999", NULL), "abcdefgh");
    parsed_free(&p);
    free(text);
    p = parse_text("{\"small\":true}");
    assert_int_equal(p.status, SPOTIFY_OK);
    assert_int_equal(spotify__json_count(p.root), 1);
    parsed_free(&p);
}

/* A parsed document is read in place, so it must stay intact while later
 * documents are parsed and freed: more of them alive at once than the
 * document pool keeps, freed out of order, each still reading its own. */
static void test_documents_outlive_later_parses(void **state)
{
    (void)state;
    enum { ALIVE = 40 };
    parsed docs[ALIVE];
    char text[64];
    for (int i = 0; i < ALIVE; i++) {
        snprintf(text, sizeof text, "{\"n\":%d,\"name\":\"doc %d\"}", i, i);
        docs[i] = parse_text(text);
        assert_int_equal(docs[i].status, SPOTIFY_OK);
    }
    for (int i = 0; i < ALIVE; i += 2)
        parsed_free(&docs[i]);
    parsed again = parse_text("[\"a later document\", 1, 2, 3]");
    assert_int_equal(again.status, SPOTIFY_OK);
    for (int i = 1; i < ALIVE; i += 2) {
        int64_t n = -1;
        assert_true(spotify__json_get_int64(path(docs[i].root, "n", NULL), &n));
        assert_int_equal(n, i);
        snprintf(text, sizeof text, "doc %d", i);
        assert_string_is(path(docs[i].root, "name", NULL), text);
        parsed_free(&docs[i]);
    }
    assert_string_is(path(again.root, "#0", NULL), "a later document");
    parsed_free(&again);
}

/* The used part of the string buffer (which test_padding_same_result
 * compares) ends just past the last string (4-byte length, bytes, NUL),
 * wherever that string sits: first or last in a container, nested or not. */
static void test_strings_len(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        size_t strings_len;
    } cases[] = {
        {"{\"a\":[\"x\",\"yy\"],\"n\":1}", 25}, /* a 6, x 6, yy 7, n 6 */
        {"[1,[\"x\",\"yyy\"]]", 14},            /* x 6, yyy 8 */
        {"[[\"x\",true],2]", 6},                /* x 6 */
        {"[1,2,[true,null]]", 0},               /* no strings */
        {"{\"k\":{\"a\":\"bcd\"}}", 20},        /* k 6, a 6, bcd 8 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        parsed p = parse_text(cases[i].text);
        assert_int_equal(p.status, SPOTIFY_OK);
        assert_int_equal(spotify__json_doc_strings_used(p.root.doc), cases[i].strings_len);
        parsed_free(&p);
    }
}

/* A document parsed on one thread and freed on another. */
static void *free_parsed(void *arg)
{
    parsed_free(arg);
    return NULL;
}

static void test_document_freed_on_another_thread(void **state)
{
    (void)state;
    parsed p = parse_text("{\"kept\":[1,2,3]}");
    assert_int_equal(p.status, SPOTIFY_OK);
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, free_parsed, &p), 0);
    assert_int_equal(pthread_join(thread, NULL), 0);
    parsed q = parse_text("{\"next\":true}");
    assert_int_equal(q.status, SPOTIFY_OK);
    assert_int_equal(spotify__json_count(q.root), 1);
    parsed_free(&q);
}

typedef struct thread_job {
    const char *text;
    size_t len;
    int ok;
} thread_job;

static void *parse_many(void *arg)
{
    thread_job *job = arg;
    for (int i = 0; i < 50; i++) {
        spotify__arena *arena = spotify__arena_new(0);
        spotify__json root;
        if (spotify__json_parse(&root, arena, job->text, job->len, job->len, NULL) == SPOTIFY_OK &&
            spotify__json_count(spotify__json_get(spotify__json_get(root, "tracks"), "items")) ==
                16)
            job->ok++;
        spotify__arena_free(arena);
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    size_t len;
    char *text = test_fixture_load("album-tpab.json", &len);
    pthread_t threads[4];
    thread_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (thread_job){text, len, 0};
        assert_int_equal(pthread_create(&threads[i], NULL, parse_many, &jobs[i]), 0);
    }
    int joined = 0;
    for (int i = 0; i < 4; i++)
        joined += pthread_join(threads[i], NULL) == 0;
    assert_int_equal(joined, 4); /* join all before any assertion can bail out */
    for (int i = 0; i < 4; i++)
        assert_int_equal(jobs[i].ok, 50);
    free(text);
}

/* The public check spotctl uses for `api --data`. */
static void test_public_validate(void **state)
{
    (void)state;
    spotify_error err = {0};
    const char *good[] = {"{}", "[1,2,{\"a\":null}]", "\"text\"", "42", " true "};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_int_equal(spotify_json_validate(good[i], strlen(good[i]), &err), SPOTIFY_OK);
    const char *bad[] = {"", "{", "{\"a\":}", "[1,]", "{} {}", "\"\xff\""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        spotify_error_clear(&err);
        assert_int_equal(spotify_json_validate(bad[i], strlen(bad[i]), &err), SPOTIFY_EPROTOCOL);
        assert_true(err.message[0] != '\0');
    }
    assert_int_equal(spotify_json_validate(NULL, 3, &err), SPOTIFY_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_public_validate),
        cmocka_unit_test(test_every_fixture_parses),
        cmocka_unit_test(test_album_spot_checks),
        cmocka_unit_test(test_track_spot_checks),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_uint64),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_numbers_out_of_range),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_invalid_handles),
        cmocka_unit_test(test_string_escapes),
        cmocka_unit_test(test_string_arrays),
        cmocka_unit_test(test_keys_and_lookup),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_messages_hold_no_input),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_padding_same_result),
        cmocka_unit_test(test_large_array_count),
        cmocka_unit_test(test_saturated_count_walks),
        cmocka_unit_test(test_large_document_then_small),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_documents_outlive_later_parses),
        cmocka_unit_test(test_strings_len),
        cmocka_unit_test(test_document_freed_on_another_thread),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
