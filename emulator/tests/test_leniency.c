/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_leniency.c - what Spotify forgives and what it refuses, as clients
 * nobody here wrote rely on it: spotipy's request shapes (it cannot be
 * installed here: no Debian package, no PyPI), replayed byte for byte -
 * trailing slashes, bare JSON arrays, its default limits, '+' for spaces;
 * the bodies Spotify refuses with its own message; repeated query
 * parameters, empty values and percent-encoding case (docs/emulator.md,
 * "Leniency").
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

#define ALBUM "7ycBtnsMtyVbbwTfJwRjSP"
#define ALBUM2 "4EcfbzCtbJDk2wMwhT4D1h"
#define TRACK "7Ks4VCY1wFebnOdJrM13t6"
#define KING_KUNTA "0N3W5peJUQtI4eyR6GJT5O"
#define ARTIST "2YZyLoL8N0Wb9xBt1NhZWg"
#define SHOW "5CfCWKI5pZ28U0uOzXkDHe"
#define EPISODE "512ojhOuo1ktJprKbVcKyQ"
#define MIX "oS1AuMgJoYKqR76LNoKax7" /* demo-user's "Demo Mix" */
#define DEVICE "c9e6d58e1e96618c277d7782000dd0831a967a2d"
#define SCOPES                                                                                     \
    "user-read-private user-read-email user-library-read user-library-modify "                     \
    "user-follow-read user-follow-modify playlist-read-private playlist-modify-public "            \
    "playlist-modify-private user-top-read user-read-recently-played "                             \
    "user-read-playback-state user-modify-playback-state user-read-currently-playing"

/* One request as spotipy sends it, and the status Spotify answers. */
typedef struct shape {
    const char *method;
    const char *path; /* with the query spotipy builds */
    const char *body; /* NULL: none */
    long status;
    const char *route; /* the route it must reach (counters), NULL: not checked */
    const char *method_name;
} shape;

/* spotipy 2.x (client.py): paths and parameters as its methods build them
 * with their default arguments; requests drops None values and writes
 * spaces as '+'. */
static const shape spotipy[] = {
    {"GET", "/v1/me/", NULL, 200, "/v1/me", "me, current_user"},
    {"GET", "/v1/tracks/?ids=" TRACK "," KING_KUNTA, NULL, 200, "/v1/tracks", "tracks"},
    {"GET", "/v1/tracks/" TRACK, NULL, 200, "/v1/tracks/{id}", "track"},
    {"GET", "/v1/artists/?ids=" ARTIST, NULL, 200, "/v1/artists", "artists"},
    {"GET", "/v1/albums/?ids=" ALBUM "," ALBUM2, NULL, 200, "/v1/albums", "albums"},
    {"GET", "/v1/albums/" ALBUM "/tracks/?limit=50&offset=0", NULL, 200, "/v1/albums/{id}/tracks",
     "album_tracks"},
    {"GET", "/v1/shows/?ids=" SHOW, NULL, 200, "/v1/shows", "shows"},
    {"GET", "/v1/shows/" SHOW "/episodes/?limit=50&offset=0", NULL, 200, "/v1/shows/{id}/episodes",
     "show_episodes"},
    {"GET", "/v1/episodes/?ids=" EPISODE, NULL, 200, "/v1/episodes", "episodes"},
    {"GET", "/v1/search?q=kendrick+lamar&limit=10&offset=0&type=track", NULL, 200, "/v1/search",
     "search"},
    {"GET", "/v1/artists/" ARTIST "/top-tracks?country=US", NULL, 200,
     "/v1/artists/{id}/top-tracks", "artist_top_tracks"},
    {"GET", "/v1/artists/" ARTIST "/related-artists", NULL, 200, "/v1/artists/{id}/related-artists",
     "artist_related_artists"},
    /* spotipy's default limit=20 is past the 2026 specification's 0-10 on
     * this route: Spotify refuses it, and so does the emulator */
    {"GET", "/v1/artists/" ARTIST "/albums?limit=20&offset=0", NULL, 400, NULL, "artist_albums"},
    {"GET", "/v1/users/demo-user", NULL, 200, "/v1/users/{user_id}", "user"},
    {"GET", "/v1/me/playlists?limit=50&offset=0", NULL, 200, "/v1/me/playlists",
     "current_user_playlists"},
    {"GET", "/v1/users/demo-user/playlists?limit=50&offset=0", NULL, 200,
     "/v1/users/{user_id}/playlists", "user_playlists"},
    {"GET", "/v1/playlists/" MIX "?additional_types=track", NULL, 200, "/v1/playlists/{id}",
     "playlist"},
    {"GET", "/v1/playlists/" MIX "/tracks?limit=100&offset=0&additional_types=track%2Cepisode",
     NULL, 200, "/v1/playlists/{id}/tracks", "playlist_items"},
    {"GET", "/v1/playlists/" MIX "/images", NULL, 200, "/v1/playlists/{id}/images",
     "playlist_cover_image"},
    {"POST", "/v1/playlists/" MIX "/tracks", "[\"spotify:track:" TRACK "\"]", 201,
     "/v1/playlists/{id}/tracks", "playlist_add_items"},
    {"PUT", "/v1/playlists/" MIX "/tracks",
     "{\"range_start\":0,\"range_length\":1,\"insert_before\":2}", 200, "/v1/playlists/{id}/tracks",
     "playlist_reorder_items"},
    {"DELETE", "/v1/playlists/" MIX "/tracks",
     "{\"tracks\":[{\"uri\":\"spotify:track:" TRACK "\"}]}", 200, "/v1/playlists/{id}/tracks",
     "playlist_remove_all_occurrences_of_items"},
    {"PUT", "/v1/playlists/" MIX, "{\"description\":\"from spotipy\"}", 200, "/v1/playlists/{id}",
     "playlist_change_details"},
    {"POST", "/v1/users/demo-user/playlists",
     "{\"name\":\"spotipy\",\"public\":true,\"collaborative\":false,\"description\":\"\"}", 201,
     "/v1/users/{user_id}/playlists", "user_playlist_create"},
    {"PUT", "/v1/playlists/" MIX "/followers", NULL, 200, "/v1/playlists/{id}/followers",
     "current_user_follow_playlist"},
    {"GET", "/v1/playlists/" MIX "/followers/contains?ids=demo-user", NULL, 200,
     "/v1/playlists/{id}/followers/contains", "playlist_is_following"},
    {"GET", "/v1/me/tracks?limit=20&offset=0", NULL, 200, "/v1/me/tracks",
     "current_user_saved_tracks"},
    {"PUT", "/v1/me/tracks/?ids=" TRACK, NULL, 200, "/v1/me/tracks",
     "current_user_saved_tracks_add"},
    {"GET", "/v1/me/tracks/contains?ids=" TRACK, NULL, 200, "/v1/me/tracks/contains",
     "current_user_saved_tracks_contains"},
    {"DELETE", "/v1/me/tracks/?ids=" TRACK, NULL, 200, "/v1/me/tracks",
     "current_user_saved_tracks_delete"},
    {"GET", "/v1/me/albums?limit=20&offset=0", NULL, 200, "/v1/me/albums",
     "current_user_saved_albums"},
    {"PUT", "/v1/me/albums?ids=" ALBUM, NULL, 200, "/v1/me/albums",
     "current_user_saved_albums_add"},
    {"GET", "/v1/me/albums/contains?ids=" ALBUM, NULL, 200, "/v1/me/albums/contains",
     "current_user_saved_albums_contains"},
    {"DELETE", "/v1/me/albums/?ids=" ALBUM, NULL, 200, "/v1/me/albums",
     "current_user_saved_albums_delete"},
    {"GET", "/v1/me/shows?limit=50&offset=0", NULL, 200, "/v1/me/shows",
     "current_user_saved_shows"},
    {"PUT", "/v1/me/shows?ids=" SHOW, NULL, 200, "/v1/me/shows", "current_user_saved_shows_add"},
    {"DELETE", "/v1/me/shows/?ids=" SHOW, NULL, 200, "/v1/me/shows",
     "current_user_saved_shows_delete"},
    {"PUT", "/v1/me/episodes/?ids=" EPISODE, NULL, 200, "/v1/me/episodes",
     "current_user_saved_episodes_add"},
    {"GET", "/v1/me/following?type=artist&limit=20", NULL, 200, "/v1/me/following",
     "current_user_followed_artists"},
    {"DELETE", "/v1/me/following?type=artist&ids=" ARTIST, NULL, 204, "/v1/me/following",
     "user_unfollow_artists"},
    {"PUT", "/v1/me/following?type=artist&ids=" ARTIST, NULL, 204, "/v1/me/following",
     "user_follow_artists"},
    {"GET", "/v1/me/following/contains?ids=" ARTIST "&type=artist", NULL, 200,
     "/v1/me/following/contains", "current_user_following_artists"},
    {"GET", "/v1/me/top/artists?time_range=medium_term&limit=20&offset=0", NULL, 200,
     "/v1/me/top/artists", "current_user_top_artists"},
    {"GET", "/v1/me/top/tracks?time_range=medium_term&limit=20&offset=0", NULL, 200,
     "/v1/me/top/tracks", "current_user_top_tracks"},
    {"GET", "/v1/browse/featured-playlists?limit=20&offset=0", NULL, 200,
     "/v1/browse/featured-playlists", "featured_playlists"},
    {"GET", "/v1/browse/new-releases?limit=20&offset=0", NULL, 200, "/v1/browse/new-releases",
     "new_releases"},
    {"GET", "/v1/browse/categories?limit=20&offset=0", NULL, 200, "/v1/browse/categories",
     "categories"},
    {"GET", "/v1/browse/categories/toplists/playlists?limit=20&offset=0", NULL, 200,
     "/v1/browse/categories/{category_id}/playlists", "category_playlists"},
    {"GET", "/v1/recommendations?limit=20&seed_artists=" ARTIST, NULL, 200, "/v1/recommendations",
     "recommendations"},
    {"GET", "/v1/recommendations/available-genre-seeds", NULL, 200,
     "/v1/recommendations/available-genre-seeds", "recommendation_genre_seeds"},
    {"GET", "/v1/audio-features/?ids=" TRACK, NULL, 200, "/v1/audio-features", "audio_features"},
    {"GET", "/v1/audio-analysis/" TRACK, NULL, 200, "/v1/audio-analysis/{id}", "audio_analysis"},
    {"GET", "/v1/me/player/devices", NULL, 200, "/v1/me/player/devices", "devices"},
    {"PUT", "/v1/me/player/play?device_id=" DEVICE, "{\"context_uri\":\"spotify:album:" ALBUM "\"}",
     204, "/v1/me/player/play", "start_playback"},
    {"GET", "/v1/me/player", NULL, 200, "/v1/me/player", "current_playback"},
    {"GET", "/v1/me/player/currently-playing", NULL, 200, "/v1/me/player/currently-playing",
     "currently_playing"},
    {"POST", "/v1/me/player/next", NULL, 204, "/v1/me/player/next", "next_track"},
    {"PUT", "/v1/me/player/seek?position_ms=1000", NULL, 204, "/v1/me/player/seek", "seek_track"},
    {"PUT", "/v1/me/player/repeat?state=context", NULL, 204, "/v1/me/player/repeat", "repeat"},
    {"PUT", "/v1/me/player/volume?volume_percent=50", NULL, 204, "/v1/me/player/volume", "volume"},
    {"PUT", "/v1/me/player/shuffle?state=true", NULL, 204, "/v1/me/player/shuffle", "shuffle"},
    {"POST", "/v1/me/player/queue?uri=spotify%3Atrack%3A" TRACK, NULL, 204, "/v1/me/player/queue",
     "add_to_queue"},
    {"GET", "/v1/me/player/queue", NULL, 200, "/v1/me/player/queue", "queue"},
    {"PUT", "/v1/me/player/pause", NULL, 204, "/v1/me/player/pause", "pause_playback"},
    {"GET", "/v1/me/player/recently-played?limit=50", NULL, 200, "/v1/me/player/recently-played",
     "current_user_recently_played"},
};

static void token(char out[128])
{
    test_user_token("demo-client", SCOPES, out);
}

static void spotipy_shapes_served(void **state)
{
    (void)state;
    char tok[128];
    token(tok);
    for (size_t i = 0; i < sizeof spotipy / sizeof spotipy[0]; i++) {
        const shape *s = &spotipy[i];
        emulator_http_response r;
        test_send(&r, s->method, s->path, tok, s->body);
        if (r.status != s->status)
            fail_msg("spotipy %s: %s %s -> %ld (expected %ld): %.300s", s->method_name, s->method,
                     s->path, r.status, s->status, r.body);
        emulator_response_free(&r);
        if (s->route != NULL &&
            emulator_route_count(&test_emu, s->method, s->route, (int)s->status) < 1)
            fail_msg("spotipy %s: not counted on %s %s", s->method_name, s->method, s->route);
    }
    print_message("# %zu spotipy request shapes replayed\n", sizeof spotipy / sizeof spotipy[0]);
}

/* Links of a page fetched with a trailing slash name the route without it. */
static void trailing_slash_links(void **state)
{
    (void)state;
    char tok[128], link[512];
    token(tok);
    emulator_http_response r;
    test_send(&r, "GET", "/v1/albums/" ALBUM "/tracks/?limit=2", tok, NULL);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "next", link, sizeof link));
    assert_non_null(strstr(link, "/v1/albums/" ALBUM "/tracks?offset=2&limit=2"));
    emulator_response_free(&r);
    /* one slash is forgiven, not two, nor one on a path that is no route */
    test_send(&r, "GET", "/v1/me//", tok, NULL);
    assert_api_error(&r, 404, "Service not found");
    emulator_response_free(&r);
    test_send(&r, "GET", "/v1/nothing/", tok, NULL);
    assert_api_error(&r, 404, "Service not found");
    emulator_response_free(&r);
    /* the log keeps the path as it was sent */
    test_send(&r, "GET", "/__emulator/log", tok, NULL);
    assert_non_null(strstr(r.body, "\"path\":\"/v1/albums/" ALBUM "/tracks/\""));
    emulator_response_free(&r);
}

/* The number of items in a playlist. */
static long long playlist_total(const char *tok)
{
    emulator_http_response r;
    long long total = -1;
    test_send(&r, "GET", "/v1/playlists/" MIX "/tracks?limit=1", tok, NULL);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_int(r.body, "total", &total));
    emulator_response_free(&r);
    return total;
}

/* A bare array of URIs adds to a playlist (spotipy, Spotify accepts it);
 * a bare array of ids where Spotify wants {"ids": [...]} is refused with
 * Spotify's message (the TypeScript SDK's saveTracks, its issue #131). */
static void bare_array_bodies(void **state)
{
    (void)state;
    char tok[128];
    token(tok);
    emulator_http_response r;
    long long before = playlist_total(tok);
    test_send(&r, "POST", "/v1/playlists/" MIX "/tracks", tok,
              "[\"spotify:track:" TRACK "\",\"spotify:track:" KING_KUNTA "\"]");
    assert_int_equal(r.status, 201);
    emulator_response_free(&r);
    assert_int_equal(playlist_total(tok), before + 2);
    test_send(&r, "POST", "/v1/playlists/" MIX "/items", tok, "[\"spotify:track:" TRACK "\"]");
    assert_int_equal(r.status, 201);
    emulator_response_free(&r);
    test_send(&r, "POST", "/v1/playlists/" MIX "/tracks", tok, "[\"spotify:album:" ALBUM "\"]");
    assert_api_error(&r, 400, "Invalid track uri");
    emulator_response_free(&r);
    test_send(&r, "POST", "/v1/playlists/" MIX "/tracks", tok, "\"spotify:track:" TRACK "\"");
    assert_api_error(&r, 400, "Error parsing JSON.");
    emulator_response_free(&r);

    static const char *const refused[][2] = {
        {"PUT", "/v1/me/tracks"},    {"DELETE", "/v1/me/tracks"}, {"PUT", "/v1/me/albums"},
        {"DELETE", "/v1/me/albums"}, {"PUT", "/v1/me/episodes"},  {"PUT", "/v1/me/audiobooks"},
        {"PUT", "/v1/me/shows"}};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        test_send(&r, refused[i][0], refused[i][1], tok, "[\"" TRACK "\"]");
        assert_api_error(&r, 400, "Missing required field: ids");
        emulator_response_free(&r);
    }
    /* an object without ids is the same; no body and no query is the
     * parameter that is missing */
    test_send(&r, "PUT", "/v1/me/tracks", tok, "{\"0\":\"" TRACK "\"}");
    assert_api_error(&r, 400, "Missing required field: ids");
    emulator_response_free(&r);
    test_send(&r, "PUT", "/v1/me/tracks", tok, NULL);
    assert_api_error(&r, 400, "Missing required parameter: ids");
    emulator_response_free(&r);
    /* the object form works */
    test_send(&r, "PUT", "/v1/me/tracks", tok, "{\"ids\":[\"" TRACK "\"]}");
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

/* The number of items and the limit of a page answer. */
static void page_of(const char *path, const char *tok, long long *items_limit, long long *total)
{
    emulator_http_response r;
    test_send(&r, "GET", path, tok, NULL);
    if (r.status != 200)
        fail_msg("%s -> %ld %s", path, r.status, r.body);
    assert_true(emulator_json_int(r.body, "limit", items_limit));
    if (total != NULL)
        assert_true(emulator_json_int(r.body, "total", total));
    emulator_response_free(&r);
}

/* A repeated parameter: the first value counts. An empty value is the
 * parameter left out. */
static void repeated_and_empty_parameters(void **state)
{
    (void)state;
    char tok[128];
    long long limit = 0, total = 0;
    token(tok);
    page_of("/v1/albums/" ALBUM "/tracks?limit=2&limit=7", tok, &limit, NULL);
    assert_int_equal(limit, 2);
    page_of("/v1/albums/" ALBUM "/tracks?limit=", tok, &limit, NULL);
    assert_int_equal(limit, 20); /* the route's default */
    page_of("/v1/albums/" ALBUM "/tracks?limit=&offset=", tok, &limit, &total);
    assert_int_equal(total, 16);

    emulator_http_response a, b;
    test_send(&a, "GET", "/v1/tracks/" TRACK "?market=", tok, NULL);
    test_send(&b, "GET", "/v1/tracks/" TRACK, tok, NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(a.body, b.body); /* available_markets, not is_playable */
    emulator_response_free(&a);
    emulator_response_free(&b);
    test_send(&a, "GET", "/v1/search?q=kunta&type=album&type=track", tok, NULL);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "\"albums\""));
    assert_null(strstr(a.body, "\"tracks\":{"));
    emulator_response_free(&a);
    /* required parameters still need a value */
    test_send(&a, "GET", "/v1/albums?ids=", tok, NULL);
    assert_api_error(&a, 400, "Missing required parameter: ids");
    emulator_response_free(&a);
    test_send(&a, "GET", "/v1/search?q=&type=track", tok, NULL);
    assert_api_error(&a, 400, "No search query");
    emulator_response_free(&a);
}

/* Percent-encoding: hex digits in either case mean the same byte, in the
 * query and in path segments; '+' is a space in the query. */
static void percent_encoding_case(void **state)
{
    (void)state;
    char tok[128];
    token(tok);
    emulator_http_response upper, lower;
    test_send(&upper, "GET", "/v1/albums?ids=" ALBUM "%2C" ALBUM2, tok, NULL);
    test_send(&lower, "GET", "/v1/albums?ids=" ALBUM "%2c" ALBUM2, tok, NULL);
    assert_int_equal(upper.status, 200);
    assert_int_equal(lower.status, 200);
    assert_string_equal(upper.body, lower.body);
    assert_non_null(strstr(lower.body, ALBUM2));
    emulator_response_free(&upper);
    emulator_response_free(&lower);
    test_send(&lower, "GET", "/v1/me/library/contains?uris=spotify%3atrack%3a" TRACK, tok, NULL);
    assert_int_equal(lower.status, 200);
    emulator_response_free(&lower);
    test_send(&lower, "GET", "/v1/albums/%37ycBtnsMtyVbbwTfJwRjSP", tok, NULL); /* %37 = '7' */
    assert_int_equal(lower.status, 200);
    emulator_response_free(&lower);
    test_send(&upper, "GET", "/v1/search?q=king+kunta&type=track&limit=1", tok, NULL);
    test_send(&lower, "GET", "/v1/search?q=king%20kunta&type=track&limit=1", tok, NULL);
    assert_int_equal(upper.status, 200);
    assert_non_null(strstr(upper.body, KING_KUNTA));
    assert_non_null(strstr(lower.body, KING_KUNTA));
    emulator_response_free(&upper);
    emulator_response_free(&lower);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(spotipy_shapes_served, test_emu_reset),
        cmocka_unit_test_setup(trailing_slash_links, test_emu_reset),
        cmocka_unit_test_setup(bare_array_bodies, test_emu_reset),
        cmocka_unit_test_setup(repeated_and_empty_parameters, test_emu_reset),
        cmocka_unit_test_setup(percent_encoding_case, test_emu_reset),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
