/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_token_files.c - token files shared with the Python SDKs: this SDK's
 * record, the spotify-sdk (seed) shape and spotantic's AccessTokenInfo
 * (expires_at as an ISO 8601 datetime with an offset, "Z", fractional
 * seconds or none) all read from fixture files
 * (tests/fixtures/tokens/), and written back by a file cache in the same
 * shape with the same meaning; the token record's token_type / expires_in
 * and spotify_token_authorization_header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/cache.h"
#include "core/alloc.h"
#include "auth/oauth.h"
#include "core/arena.h"
#include "json/json.h"
#include "test_util.h"

/* 2031-05-06T07:08:09.25Z */
#define EXPIRES 1935817689.25

static spotify_token load_fixture(const char *name)
{
    size_t len = 0;
    char *data = test_fixture_load(name, &len);
    assert_non_null(data);
    spotify_token t = {0};
    if (!spotify__token_from_json(&t, data, len))
        fail_msg("%s does not read as a token", name);
    free(data);
    return t;
}

static void test_spotantic_files_read(void **state)
{
    (void)state;
    spotify_token t = load_fixture("tokens/spotantic.json");
    assert_string_equal(t.access_token, "BQDspotanticAccessTok3n");
    assert_string_equal(t.refresh_token, "AQDspotanticRefreshTok3n");
    assert_string_equal(t.scope, "user-read-private user-read-email");
    assert_string_equal(t.token_type, "Bearer");
    assert_int_equal(t.expires_in, 3600);
    assert_true(fabs(t.expires_at - EXPIRES) < 1e-6);
    spotify_token_clear(&t);

    t = load_fixture("tokens/spotantic-offset.json"); /* 09:08:09.5+02:00 */
    assert_true(fabs(t.expires_at - (EXPIRES + 0.25)) < 1e-6);
    assert_null(t.refresh_token);
    spotify_token_clear(&t);

    t = load_fixture("tokens/spotantic-z.json"); /* 07:08:09Z */
    assert_true(fabs(t.expires_at - (EXPIRES - 0.25)) < 1e-6);
    assert_null(t.scope);
    assert_int_equal(t.expires_in, 1800);
    spotify_token_clear(&t);
}

static void test_sdk_and_seed_files_read(void **state)
{
    (void)state;
    spotify_token t = load_fixture("tokens/sdk.json");
    assert_string_equal(t.client_id, "demo-client");
    assert_int_equal(t.flow, SPOTIFY_FLOW_AUTHORIZATION_CODE);
    assert_string_equal(t.token_type, "Bearer");
    assert_int_equal(t.expires_in, 3600);
    assert_true(t.expires_at == EXPIRES);
    spotify_token_clear(&t);
    t = load_fixture("tokens/spotify-sdk-python.json");
    assert_string_equal(t.access_token, "BQDseedAccessTok3n");
    assert_null(t.token_type);
    assert_int_equal(t.expires_in, 0);
    assert_true(t.expires_at == EXPIRES);
    spotify_token_clear(&t);
}

/* ISO 8601 forms, and the ones refused. */
static void test_iso8601(void **state)
{
    (void)state;
    double t = 0;
    assert_true(spotify__iso8601_parse("2031-05-06T07:08:09.250000+00:00", &t));
    assert_true(fabs(t - EXPIRES) < 1e-6);
    assert_true(spotify__iso8601_parse("2031-05-06 07:08:09.25Z", &t));
    assert_true(fabs(t - EXPIRES) < 1e-6);
    assert_true(spotify__iso8601_parse("2031-05-06T02:08:09.25-0500", &t));
    assert_true(fabs(t - EXPIRES) < 1e-6);
    assert_true(spotify__iso8601_parse("2031-05-06T08:08:09.25+01", &t));
    assert_true(fabs(t - EXPIRES) < 1e-6);
    /* Naive: local time, as Python's datetime.now() writes it. */
    setenv("TZ", "UTC", 1);
    tzset();
    assert_true(spotify__iso8601_parse("2031-05-06T07:08:09.25", &t));
    assert_true(fabs(t - EXPIRES) < 1e-6);
    const char *bad[] = {"",
                         "2031-05-06",
                         "2031-13-06T07:08:09",
                         "2031-05-06T07:08:09+25:00",
                         "2031-05-06T07:08:09 junk",
                         "tomorrow",
                         "2031-05-06T07:08:09."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (spotify__iso8601_parse(bad[i], &t))
            fail_msg("\"%s\" was accepted", bad[i]);
    /* Written naive, in local time (TZ=UTC above; then another zone). */
    char text[SPOTIFY__ISO8601_SIZE];
    assert_true(spotify__iso8601_format(EXPIRES, text));
    assert_string_equal(text, "2031-05-06T07:08:09.250000");
    assert_true(spotify__iso8601_format(floor(EXPIRES), text));
    assert_string_equal(text, "2031-05-06T07:08:09");
    setenv("TZ", "CET-1CEST,M3.5.0,M10.5.0/3", 1); /* no tzdata needed */
    tzset();
    assert_true(spotify__iso8601_format(EXPIRES, text));
    assert_string_equal(text, "2031-05-06T09:08:09.250000");
    assert_true(spotify__iso8601_parse(text, &t));
    assert_true(fabs(t - EXPIRES) < 1e-6);
    setenv("TZ", "UTC", 1);
    tzset();
    assert_false(spotify__iso8601_format(-1, text));
}

/* The members of a flat JSON object, to compare files by meaning. */
static spotify__json parse_object(spotify__arena *arena, const char *text)
{
    spotify__json root;
    assert_int_equal(spotify__json_parse(&root, arena, text, strlen(text), strlen(text), NULL),
                     SPOTIFY_OK);
    return root;
}

static void assert_same_member(spotify__json a, spotify__json b, const char *key)
{
    spotify__json va = spotify__json_get(a, key), vb = spotify__json_get(b, key);
    assert_int_equal(spotify__json_type_of(va), spotify__json_type_of(vb));
    const char *sa, *sb;
    size_t la, lb;
    double da, db;
    if (spotify__json_get_string(va, &sa, &la)) {
        assert_true(spotify__json_get_string(vb, &sb, &lb));
        double ta, tb;
        if (strcmp(key, "expires_at") == 0 && spotify__iso8601_parse(sa, &ta) &&
            spotify__iso8601_parse(sb, &tb))
            assert_true(fabs(ta - tb) < 1e-6); /* the same instant */
        else
            assert_string_equal(sa, sb);
    } else if (spotify__json_get_double(va, &da)) {
        assert_true(spotify__json_get_double(vb, &db));
        assert_true(fabs(da - db) < 1e-6);
    }
}

/* Loads `name`, stores it through a file cache writing `format`, and
 * checks the file written has the fixture's members with the same meaning. */
static void round_trip(const char *name, spotify_token_file_format format, const char *const *keys,
                       size_t key_count)
{
    char *dir = test_mkdtemp();
    char path[512];
    snprintf(path, sizeof path, "%s/token.json", dir);
    spotify_token t = load_fixture(name);
    spotify_token_cache *cache = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_token_cache_file_new_format(&cache, path, format, &err), SPOTIFY_OK);
    assert_int_equal(spotify_token_cache_store(cache, &t, &err), SPOTIFY_OK);
    spotify_token_cache_free(cache);
    size_t len = 0;
    char *written = test_read_file(path, &len);
    char *original = test_fixture_load(name, &len);
    spotify__arena *arena = spotify__arena_new(4096);
    spotify__json a = parse_object(arena, original), b = parse_object(arena, written);
    for (size_t i = 0; i < key_count; i++)
        assert_same_member(a, b, keys[i]);
    /* ...and reads back as the same token. */
    spotify_token again = {0};
    assert_true(spotify__token_from_json(&again, written, strlen(written)));
    assert_string_equal(again.access_token, t.access_token);
    assert_true(fabs(again.expires_at - t.expires_at) < 1e-6);
    spotify_token_clear(&again);
    spotify__arena_free(arena);
    free(written);
    free(original);
    spotify_token_clear(&t);
    test_rmdir_recursive(dir);
    free(dir);
}

static void test_files_written_back_in_their_shape(void **state)
{
    (void)state;
    static const char *const spotantic_keys[] = {"access_token", "token_type",    "scope",
                                                 "expires_in",   "refresh_token", "expires_at"};
    round_trip("tokens/spotantic.json", SPOTIFY_TOKEN_FILE_SPOTANTIC, spotantic_keys, 6);
    round_trip("tokens/spotantic-offset.json", SPOTIFY_TOKEN_FILE_SPOTANTIC, spotantic_keys, 6);
    static const char *const sdk_keys[] = {"version",       "access_token", "expires_at",
                                           "refresh_token", "scope",        "client_id",
                                           "flow",          "token_type",   "expires_in"};
    round_trip("tokens/sdk.json", SPOTIFY_TOKEN_FILE_SDK, sdk_keys, 9);
    static const char *const seed_keys[] = {"access_token", "expires_at", "refresh_token", "scope"};
    round_trip("tokens/spotify-sdk-python.json", SPOTIFY_TOKEN_FILE_SDK, seed_keys, 4);
}

/* A token that does not know its lifetime and expires years from now (the
 * seed's file) is written in spotantic's shape with expires_in clamped to
 * what a reader accepts, so it reads back (found by fuzz_token_json). */
static void test_unknown_lifetime_written_readable(void **state)
{
    (void)state;
    spotify_token t = load_fixture("tokens/spotify-sdk-python.json");
    assert_int_equal(t.expires_in, 0);
    spotify__strbuf written = SPOTIFY__STRBUF_INIT;
    assert_true(spotify__token_to_json_spotantic(&written, &t, 1e9));
    spotify_token back = {0};
    assert_true(spotify__token_from_json(&back, written.data, written.len));
    assert_int_equal(back.expires_in, (int64_t)SPOTIFY__TOKEN_LIFETIME_MAX_S);
    assert_true(fabs(back.expires_at - t.expires_at) < 1e-6);
    spotify_token_clear(&back);
    spotify__strbuf_release(&written);
    spotify_token_clear(&t);
}

static void test_authorization_header(void **state)
{
    (void)state;
    spotify_token t = load_fixture("tokens/spotantic.json");
    char header[128];
    spotify_error err = {0};
    assert_int_equal(spotify_token_authorization_header(header, sizeof header, &t, &err),
                     SPOTIFY_OK);
    assert_string_equal(header, "Bearer BQDspotanticAccessTok3n");
    char small[8];
    assert_int_equal(spotify_token_authorization_header(small, sizeof small, &t, &err),
                     SPOTIFY_EINVALID);
    assert_string_equal(small, "");
    spotify__free(t.token_type);
    t.token_type = NULL; /* unknown: Bearer */
    assert_int_equal(spotify_token_authorization_header(header, sizeof header, &t, &err),
                     SPOTIFY_OK);
    assert_string_equal(header, "Bearer BQDspotanticAccessTok3n");
    spotify_token_clear(&t);
    assert_int_equal(spotify_token_authorization_header(header, sizeof header, &t, &err),
                     SPOTIFY_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spotantic_files_read),
        cmocka_unit_test(test_sdk_and_seed_files_read),
        cmocka_unit_test(test_iso8601),
        cmocka_unit_test(test_files_written_back_in_their_shape),
        cmocka_unit_test(test_unknown_lifetime_written_readable),
        cmocka_unit_test(test_authorization_header),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
