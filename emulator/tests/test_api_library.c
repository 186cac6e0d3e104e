/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_api_library.c - search, the saved-tracks/albums paging objects (the
 * 137-item library walked through "next"), /me/library save, remove and
 * contains, the cursor-paged followed artists, scopes, validation, and
 * reset restoring the seed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "json/json.h"

#define KING_KUNTA "0N3W5peJUQtI4eyR6GJT5O"
#define TS_ALBUM "4EcfbzCtbJDk2wMwhT4D1h"
#define LAST_ARTIST "uBGUykZ1pB6spxX3aXW4lA" /* 70th artist: not followed by demo-user */
#define ALL_SCOPES                                                                                 \
    "user-library-read user-library-modify user-follow-read user-follow-modify "                   \
    "playlist-read-private playlist-modify-public"

/* A demo-user token with `scope`. */

/* A client-credentials token. */
static void app_token(char token[128])
{
    assert_true(emulator_issue_token(&test_emu, "{\"user\":false}", token, 128, NULL, 0));
}

/* Parses a response body (the arena owns the document). */
static spotify__json parse(spotify__arena *arena, const emulator_http_response *r)
{
    spotify__json root;
    spotify_error err = {0};
    assert_int_equal(spotify__json_parse(&root, arena, r->body, r->body_len, r->body_len, &err),
                     SPOTIFY_OK);
    return root;
}

/* An integer member. */
static long long int_of(spotify__json obj, const char *key)
{
    int64_t n = -1;
    assert_true(spotify__json_get_int64(spotify__json_get(obj, key), &n));
    return n;
}

static void search_finds_and_pages(void **state)
{
    (void)state;
    char token[128], next[1024];
    emulator_http_response r;
    spotify__arena *arena = spotify__arena_new(0);
    app_token(token); /* search works with an app token */
    test_send(&r, "GET", "/v1/search?q=kUnTa&type=track,album,show&market=SE", token, NULL);
    assert_int_equal(r.status, 200);
    spotify__json root = parse(arena, &r);
    spotify__json tracks = spotify__json_get(root, "tracks");
    assert_true(int_of(tracks, "total") >= 1);
    assert_int_equal(int_of(tracks, "limit"), 5);
    assert_non_null(strstr(r.body, "\"King Kunta\""));
    assert_int_equal(int_of(spotify__json_get(root, "shows"), "total"), 0);
    assert_true(spotify__json_valid(spotify__json_get(root, "albums")));
    assert_false(spotify__json_valid(spotify__json_get(root, "artists")));
    emulator_response_free(&r);
    /* a common word: walk every page by following next */
    snprintf(next, sizeof next, "%s", test_url("/v1/search?q=the&type=track&limit=10"));
    long long total = -1, seen = 0;
    int pages = 0;
    while (next[0] != '\0' && pages < 200) {
        test_send(&r, "GET", next + strlen(test_emu.base_url), token, NULL);
        assert_int_equal(r.status, 200);
        spotify__json t = spotify__json_get(parse(arena, &r), "tracks");
        total = int_of(t, "total");
        seen += (long long)spotify__json_count(spotify__json_get(t, "items"));
        const char *link;
        size_t len;
        if (spotify__json_get_string(spotify__json_get(t, "next"), &link, &len))
            snprintf(next, sizeof next, "%s", link);
        else
            next[0] = '\0';
        emulator_response_free(&r);
        pages++;
    }
    assert_true(total > 10);
    assert_int_equal(seen, total > 1010 ? 1010 : total);
    spotify__arena_free(arena);
}

static void search_validation(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    app_token(token);
    const char *bad[] = {"/v1/search?type=track",
                         "/v1/search?q=a",
                         "/v1/search?q=a&type=song",
                         "/v1/search?q=a&type=track&limit=51",
                         "/v1/search?q=a&type=track&limit=-1",
                         "/v1/search?q=a&type=track&offset=1001",
                         "/v1/search?q=a&type=track,"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        test_send(&r, "GET", bad[i], token, NULL);
        assert_int_equal(r.status, 400);
        emulator_response_free(&r);
    }
    test_get(&r, "/v1/search?q=a&type=track", NULL);
    assert_api_error(&r, 401, "No token provided");
    emulator_response_free(&r);
}

/* Walks /me/tracks 20 at a time: 137 distinct items, exact total, last next null. */
static void saved_tracks_paging(void **state)
{
    (void)state;
    char token[128], next[1024], ids[137][23];
    emulator_http_response r;
    spotify__arena *arena = spotify__arena_new(0);
    test_user_token("demo-client", "user-library-read", token);
    snprintf(next, sizeof next, "%s", test_url("/v1/me/tracks?market=SE"));
    size_t count = 0;
    int pages = 0;
    while (next[0] != '\0') {
        test_send(&r, "GET", next + strlen(test_emu.base_url), token, NULL);
        assert_int_equal(r.status, 200);
        spotify__json root = parse(arena, &r);
        assert_int_equal(int_of(root, "total"), 137);
        assert_int_equal(int_of(root, "offset"), pages * 20);
        spotify__json items = spotify__json_get(root, "items");
        for (spotify__json e = spotify__json_first(items); spotify__json_valid(e);
             e = spotify__json_next(e)) {
            const char *id, *added;
            size_t len;
            assert_true(spotify__json_get_string(spotify__json_get(e, "added_at"), &added, &len));
            assert_int_equal(len, 20);
            spotify__json track = spotify__json_get(e, "track");
            assert_true(spotify__json_get_string(spotify__json_get(track, "id"), &id, &len));
            assert_true(count < 137);
            for (size_t k = 0; k < count; k++)
                assert_string_not_equal(ids[k], id);
            snprintf(ids[count++], 23, "%s", id);
        }
        const char *link;
        size_t len;
        if (spotify__json_get_string(spotify__json_get(root, "next"), &link, &len)) {
            assert_non_null(strstr(link, "market=SE"));
            snprintf(next, sizeof next, "%s", link);
        } else {
            assert_true(spotify__json_is_null(spotify__json_get(root, "next")));
            next[0] = '\0';
        }
        emulator_response_free(&r);
        pages++;
    }
    assert_int_equal(count, 137);
    assert_int_equal(pages, 7);
    const char *bad[] = {"/v1/me/tracks?limit=0", "/v1/me/tracks?limit=51",
                         "/v1/me/tracks?offset=-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        test_send(&r, "GET", bad[i], token, NULL);
        assert_int_equal(r.status, 400);
        emulator_response_free(&r);
    }
    test_send(&r, "GET", "/v1/me/albums", token, NULL);
    assert_int_equal(r.status, 200);
    assert_int_equal(int_of(parse(arena, &r), "total"), 2);
    emulator_response_free(&r);
    spotify__arena_free(arena);
}

static void library_scopes(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    app_token(token);
    test_send(&r, "GET", "/v1/me/tracks", token, NULL);
    assert_api_error(&r, 403, "Insufficient client scope");
    emulator_response_free(&r);
    test_user_token("demo-client", "user-library-read", token);
    test_send(&r, "PUT", "/v1/me/library?uris=spotify:track:" KING_KUNTA, token, NULL);
    assert_api_error(&r, 403, "Insufficient client scope");
    emulator_response_free(&r);
    test_send(&r, "GET", "/v1/me/library/contains?uris=spotify:artist:" LAST_ARTIST, token, NULL);
    assert_api_error(&r, 403, "Insufficient client scope"); /* artists need user-follow-read */
    emulator_response_free(&r);
    test_user_token("demo-client", "user-read-email", token);
    test_send(&r, "GET", "/v1/me/following?type=artist", token, NULL);
    assert_api_error(&r, 403, "Insufficient client scope");
    emulator_response_free(&r);
}

/* save -> contains true -> listed first; remove -> contains false. */
static void save_contains_remove(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    test_user_token("demo-client", ALL_SCOPES, token);
    const char *check =
        "/v1/me/library/contains?uris=spotify:track:" KING_KUNTA ",spotify:album:" TS_ALBUM
        ",spotify:artist:" LAST_ARTIST ",spotify:show:5CfCWKI5pZ28U0uOzXkDHe";
    test_send(&r, "GET", check, token, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "[false,false,false,false]");
    emulator_response_free(&r);
    test_send(&r, "PUT",
              "/v1/me/library?uris=spotify:track:" KING_KUNTA ",spotify:album:" TS_ALBUM
              ",spotify:artist:" LAST_ARTIST ",spotify:show:5CfCWKI5pZ28U0uOzXkDHe",
              token, NULL);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    test_send(&r, "GET", check, token, NULL);
    assert_string_equal(r.body, "[true,true,true,true]");
    emulator_response_free(&r);
    test_send(&r, "GET", "/v1/me/tracks?limit=1", token, NULL);
    assert_non_null(strstr(r.body, "\"total\":138"));
    assert_non_null(strstr(r.body, KING_KUNTA)); /* newest first */
    emulator_response_free(&r);
    test_send(&r, "DELETE",
              "/v1/me/library?uris=spotify:track:" KING_KUNTA ",spotify:album:" TS_ALBUM, token,
              NULL);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    test_send(&r, "GET", check, token, NULL);
    assert_string_equal(r.body, "[false,false,true,true]");
    emulator_response_free(&r);
}

static void library_validation(void **state)
{
    (void)state;
    char token[128], path[4096];
    emulator_http_response r;
    test_user_token("demo-client", ALL_SCOPES, token);
    const char *bad[] = {
        "/v1/me/library", "/v1/me/library?uris=", "/v1/me/library?uris=spotify:track:short",
        "/v1/me/library?uris=spotify:song:" KING_KUNTA, "/v1/me/library?uris=" KING_KUNTA};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        test_send(&r, "PUT", bad[i], token, NULL);
        assert_int_equal(r.status, 400);
        emulator_response_free(&r);
    }
    size_t n = (size_t)snprintf(path, sizeof path, "/v1/me/library?uris=");
    for (int i = 0; i < 41; i++)
        n += (size_t)snprintf(path + n, sizeof path - n, "%sspotify:track:%s", i ? "," : "",
                              KING_KUNTA);
    test_send(&r, "PUT", path, token, NULL);
    assert_api_error(&r, 400, "Too many ids requested");
    emulator_response_free(&r);
    path[strlen(path) - strlen(",spotify:track:" KING_KUNTA)] = '\0'; /* 40 is fine */
    test_send(&r, "PUT", path, token, NULL);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    test_send(&r, "PUT", "/v1/me/library?uris=spotify:track:0000000000000000000000", token, NULL);
    assert_api_error(&r, 404, "Non existing id");
    emulator_response_free(&r);
}

/* Follows cursors through the 60 seeded artists, 7 at a time. */
static void followed_artists_cursor(void **state)
{
    (void)state;
    char token[128], next[1024];
    emulator_http_response r;
    spotify__arena *arena = spotify__arena_new(0);
    test_user_token("demo-client", "user-follow-read", token);
    snprintf(next, sizeof next, "%s", test_url("/v1/me/following?type=artist&limit=7"));
    size_t count = 0;
    int pages = 0;
    char last_after[64] = "";
    while (next[0] != '\0') {
        test_send(&r, "GET", next + strlen(test_emu.base_url), token, NULL);
        assert_int_equal(r.status, 200);
        spotify__json artists = spotify__json_get(parse(arena, &r), "artists");
        assert_int_equal(int_of(artists, "total"), 60);
        count += spotify__json_count(spotify__json_get(artists, "items"));
        const char *link, *after;
        size_t len;
        if (spotify__json_get_string(spotify__json_get(artists, "next"), &link, &len)) {
            assert_true(spotify__json_get_string(
                spotify__json_get(spotify__json_get(artists, "cursors"), "after"), &after, &len));
            assert_string_not_equal(after, last_after);
            snprintf(last_after, sizeof last_after, "%s", after);
            assert_non_null(strstr(link, after));
            snprintf(next, sizeof next, "%s", link);
        } else {
            next[0] = '\0';
        }
        emulator_response_free(&r);
        pages++;
    }
    assert_int_equal(count, 60);
    assert_int_equal(pages, 9);
    const char *bad[] = {"/v1/me/following", "/v1/me/following?type=user",
                         "/v1/me/following?type=artist&limit=51",
                         "/v1/me/following?type=artist&after=bad"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        test_send(&r, "GET", bad[i], token, NULL);
        assert_int_equal(r.status, 400);
        emulator_response_free(&r);
    }
    spotify__arena_free(arena);
}

/* Reset brings back the seeded library. */
static void reset_restores_library(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    test_user_token("demo-client", ALL_SCOPES, token);
    test_send(&r, "PUT",
              "/v1/me/library?uris=spotify:track:" KING_KUNTA ",spotify:artist:" LAST_ARTIST, token,
              NULL);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    assert_true(emulator_reset(&test_emu));
    test_user_token("demo-client", ALL_SCOPES, token);
    test_send(&r, "GET", "/v1/me/tracks?limit=1", token, NULL);
    assert_non_null(strstr(r.body, "\"total\":137"));
    emulator_response_free(&r);
    test_send(&r, "GET", "/v1/me/following?type=artist&limit=1", token, NULL);
    assert_non_null(strstr(r.body, "\"total\":60"));
    emulator_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(search_finds_and_pages, test_emu_reset),
        cmocka_unit_test_setup(search_validation, test_emu_reset),
        cmocka_unit_test_setup(saved_tracks_paging, test_emu_reset),
        cmocka_unit_test_setup(library_scopes, test_emu_reset),
        cmocka_unit_test_setup(save_contains_remove, test_emu_reset),
        cmocka_unit_test_setup(library_validation, test_emu_reset),
        cmocka_unit_test_setup(followed_artists_cursor, test_emu_reset),
        cmocka_unit_test_setup(reset_restores_library, test_emu_reset),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
