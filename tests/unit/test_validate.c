/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_validate.c - argument validation of the typed operations, a pure
 * function over the descriptor tables: one test per rule kind (missing
 * required, bad ID, bad URI, limit below and above its range, negative
 * offset, too many IDs, bad market, missing body member, search limit above
 * 10, enums, lists, numbers, booleans, JPEG data, args versions), each
 * checking the message names the parameter and the rule.
 */
#define SPOTIFY_NO_DEPRECATION_WARNINGS 1

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <string.h>

#include <spotify/api.h>

#include "api/execute.h"

#define ALBUM "4aawyAB9vmqN3uQ7FjRGTy"
#define TRACK_URI "spotify:track:4iV5W9uYEdYUVa79Axb7Rh"

/* Validation of `args` for `op` fails with a message holding `fragment`. */
static void expect_invalid(const spotify_operation *op, const void *args, const char *fragment)
{
    spotify_error err = {0};
    spotify_status st = spotify_operation_validate(op, args, &err);
    if (st != SPOTIFY_EINVALID)
        fail_msg("%s: accepted, expected \"%s\"", spotify_operation_name(op), fragment);
    assert_int_equal(err.status, SPOTIFY_EINVALID);
    assert_int_equal(err.http_status, 0);
    if (strstr(err.message, fragment) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.message, fragment);
}

static void expect_valid(const spotify_operation *op, const void *args)
{
    spotify_error err = {0};
    if (spotify_operation_validate(op, args, &err) != SPOTIFY_OK)
        fail_msg("%s: %s", spotify_operation_name(op), err.message);
}

static void test_missing_required(void **state)
{
    (void)state;
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    expect_invalid(SPOTIFY_OP_ALBUMS_GET, &a, "spotify_albums_get: id: required parameter missing");
    expect_invalid(SPOTIFY_OP_ALBUMS_GET, NULL, "id: required parameter missing");
    spotify_player_seek_args seek = SPOTIFY_PLAYER_SEEK_ARGS_INIT;
    expect_invalid(SPOTIFY_OP_PLAYER_SEEK, &seek, "position_ms: required parameter missing");
    spotify_player_set_shuffle_args shuffle = SPOTIFY_PLAYER_SET_SHUFFLE_ARGS_INIT;
    expect_invalid(SPOTIFY_OP_PLAYER_SET_SHUFFLE, &shuffle, "state: required parameter missing");
    spotify_library_save_args save = SPOTIFY_LIBRARY_SAVE_ARGS_INIT;
    expect_invalid(SPOTIFY_OP_LIBRARY_SAVE, &save, "uris: required parameter missing");
    spotify_search_args search = SPOTIFY_SEARCH_ARGS_INIT;
    search.type = "album";
    expect_invalid(SPOTIFY_OP_SEARCH, &search, "q: required parameter missing");
    search.q = "";
    expect_invalid(SPOTIFY_OP_SEARCH, &search, "q: must not be empty");
    /* nothing required: NULL args are fine */
    expect_valid(SPOTIFY_OP_ME_GET, NULL);
    expect_valid(SPOTIFY_OP_PLAYER_PAUSE, NULL);
}

static void test_args_version(void **state)
{
    (void)state;
    spotify_albums_get_args a = {0};
    a.id = ALBUM;
    expect_invalid(SPOTIFY_OP_ALBUMS_GET, &a, "unknown args version 0");
    spotify_me_get_args me = {0};
    expect_invalid(SPOTIFY_OP_ME_GET, &me, "INIT macro");
}

static void test_bad_id(void **state)
{
    (void)state;
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = "not-an-id";
    expect_invalid(SPOTIFY_OP_ALBUMS_GET, &a, "id: \"not-an-id\" is not a Spotify ID");
    a.id = TRACK_URI;
    expect_invalid(SPOTIFY_OP_ALBUMS_GET, &a, "id: expected an album, got a track");
    a.id = "https://open.spotify.com/album/" ALBUM "?si=x";
    expect_valid(SPOTIFY_OP_ALBUMS_GET, &a);
    a.id = "spotify:album:" ALBUM;
    expect_valid(SPOTIFY_OP_ALBUMS_GET, &a);
    a.id = ALBUM;
    expect_valid(SPOTIFY_OP_ALBUMS_GET, &a);
    /* users are free-form, but not anything */
    spotify_users_get_args u = SPOTIFY_USERS_GET_ARGS_INIT;
    u.user_id = "smedjan";
    expect_valid(SPOTIFY_OP_USERS_GET, &u);
    u.user_id = "a/b";
    expect_invalid(SPOTIFY_OP_USERS_GET, &u, "user_id: \"a/b\" is not a Spotify user ID");
    /* IDs inside a list */
    const char *ids[] = {ALBUM, "spotify:album:short"};
    spotify_albums_get_several_args several = SPOTIFY_ALBUMS_GET_SEVERAL_ARGS_INIT;
    several.ids.items = ids;
    several.ids.count = 2;
    expect_invalid(SPOTIFY_OP_ALBUMS_GET_SEVERAL, &several,
                   "ids[1]: \"spotify:album:short\" holds");
}

static void test_bad_uri(void **state)
{
    (void)state;
    const char *uris[] = {TRACK_URI, "spotify:track:4iV5W9uYEdYUVa79Axb7R"};
    spotify_library_save_args a = SPOTIFY_LIBRARY_SAVE_ARGS_INIT;
    a.uris.items = uris;
    a.uris.count = 2;
    expect_invalid(SPOTIFY_OP_LIBRARY_SAVE, &a, "uris[1]: \"spotify:track:4iV5W9uYEdYUVa79Axb7R\"");
    /* a bare ID does not say its type: URIs are wanted */
    uris[1] = "4iV5W9uYEdYUVa79Axb7Rh";
    expect_invalid(SPOTIFY_OP_LIBRARY_SAVE, &a, "uris[1]: expected a Spotify URI or link");
    /* a type /me/library does not save */
    uris[1] = "spotify:chapter:4iV5W9uYEdYUVa79Axb7Rh";
    expect_invalid(
        SPOTIFY_OP_LIBRARY_SAVE, &a,
        "expected one of track, album, playlist, show, episode, audiobook, user, got a chapter");
    /* artists can be checked but not saved through /me/library */
    uris[1] = "spotify:artist:4iV5W9uYEdYUVa79Axb7Rh";
    expect_invalid(SPOTIFY_OP_LIBRARY_SAVE, &a, "got an artist");
    spotify_library_contains_args c = SPOTIFY_LIBRARY_CONTAINS_ARGS_INIT;
    c.uris.items = uris;
    c.uris.count = 2;
    expect_valid(SPOTIFY_OP_LIBRARY_CONTAINS, &c);
    /* links are fine */
    uris[1] = "https://open.spotify.com/playlist/3cEYpjA9oz9GiPac4AsH4n?si=1";
    expect_valid(SPOTIFY_OP_LIBRARY_SAVE, &a);
    /* a single URI */
    spotify_player_queue_add_args q = SPOTIFY_PLAYER_QUEUE_ADD_ARGS_INIT;
    q.uri = "spotify:album:" ALBUM;
    expect_invalid(SPOTIFY_OP_PLAYER_QUEUE_ADD, &q, "uri: expected a track or an episode");
}

static void test_limit_range(void **state)
{
    (void)state;
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = ALBUM;
    a.limit = 0;
    expect_invalid(SPOTIFY_OP_ALBUMS_LIST_TRACKS, &a, "limit: must be between 1 and 50 (got 0)");
    a.limit = 51;
    expect_invalid(SPOTIFY_OP_ALBUMS_LIST_TRACKS, &a, "limit: must be between 1 and 50 (got 51)");
    a.limit = 1;
    expect_valid(SPOTIFY_OP_ALBUMS_LIST_TRACKS, &a);
    a.limit = 50;
    expect_valid(SPOTIFY_OP_ALBUMS_LIST_TRACKS, &a);
    /* 2026: /playlists/{id}/items pages at most 50 (the deprecated /tracks 100) */
    spotify_playlists_list_items_args items = SPOTIFY_PLAYLISTS_LIST_ITEMS_ARGS_INIT;
    items.playlist_id = "3cEYpjA9oz9GiPac4AsH4n";
    items.limit = 100;
    expect_invalid(SPOTIFY_OP_PLAYLISTS_LIST_ITEMS, &items, "limit: must be between 1 and 50");
    spotify_playlists_list_tracks_args tracks = SPOTIFY_PLAYLISTS_LIST_TRACKS_ARGS_INIT;
    tracks.playlist_id = "3cEYpjA9oz9GiPac4AsH4n";
    tracks.limit = 100;
    expect_valid(SPOTIFY_OP_PLAYLISTS_LIST_TRACKS, &tracks);
}

static void test_search_limit_at_most_10(void **state)
{
    (void)state;
    spotify_search_args a = SPOTIFY_SEARCH_ARGS_INIT;
    a.q = "kendrick";
    a.type = "album,track";
    a.limit = 11;
    expect_invalid(SPOTIFY_OP_SEARCH, &a,
                   "spotify_search: limit: must be between 1 and 10 (got 11)");
    a.limit = 10;
    expect_valid(SPOTIFY_OP_SEARCH, &a);
    a.offset = 1001;
    expect_invalid(SPOTIFY_OP_SEARCH, &a, "offset: must be between 0 and 1000 (got 1001)");
}

static void test_offset_negative(void **state)
{
    (void)state;
    spotify_me_playlists_list_args a = SPOTIFY_ME_PLAYLISTS_LIST_ARGS_INIT;
    a.offset = -1;
    expect_invalid(SPOTIFY_OP_ME_PLAYLISTS_LIST, &a, "offset: must be at least 0 (got -1)");
    a.offset = 0;
    expect_valid(SPOTIFY_OP_ME_PLAYLISTS_LIST, &a);
}

static void test_too_many_ids(void **state)
{
    (void)state;
    const char *ids[21];
    for (size_t i = 0; i < 21; i++)
        ids[i] = ALBUM;
    spotify_albums_get_several_args a = SPOTIFY_ALBUMS_GET_SEVERAL_ARGS_INIT;
    a.ids.items = ids;
    a.ids.count = 21;
    expect_invalid(SPOTIFY_OP_ALBUMS_GET_SEVERAL, &a,
                   "ids: at most 20 per call (got 21; spotify_albums_get_several_batch splits");
    a.ids.count = 20;
    expect_valid(SPOTIFY_OP_ALBUMS_GET_SEVERAL, &a);
    /* the batch helper's own check lets a long list through */
    a.ids.count = 21;
    spotify_error err = {0};
    assert_int_equal(
        spotify__op_validate(SPOTIFY_OP_ALBUMS_GET_SEVERAL, &a, SPOTIFY__VALIDATE_BATCH, &err),
        SPOTIFY_OK);
    /* /me/library: 40 URIs */
    const char *uris[41];
    for (size_t i = 0; i < 41; i++)
        uris[i] = TRACK_URI;
    spotify_library_save_args save = SPOTIFY_LIBRARY_SAVE_ARGS_INIT;
    save.uris.items = uris;
    save.uris.count = 41;
    expect_invalid(SPOTIFY_OP_LIBRARY_SAVE, &save, "uris: at most 40 per call (got 41");
    /* a list with no batch helper */
    spotify_player_transfer_args t = SPOTIFY_PLAYER_TRANSFER_ARGS_INIT;
    spotify_transfer_a_users_playback_body body = {0};
    const char *devices[] = {"a", "b"};
    body.device_ids.items = devices;
    body.device_ids.count = 2;
    t.body = &body;
    expect_invalid(SPOTIFY_OP_PLAYER_TRANSFER, &t, "body.device_ids: at most 1 per call (got 2)");
}

static void test_bad_market(void **state)
{
    (void)state;
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = ALBUM;
    const char *bad[] = {"se", "XX", "SWE", "S", "", "from-token"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        a.market = bad[i];
        expect_invalid(SPOTIFY_OP_ALBUMS_GET, &a,
                       bad[i][0] == '\0' ? "market: must not be empty" : "market: \"");
    }
    a.market = "XX";
    expect_invalid(SPOTIFY_OP_ALBUMS_GET, &a, "is not an ISO 3166-1 alpha-2 country code");
    const char *good[] = {"SE", "US", "JP", "XK", "from_token", "AD", "ZW"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        a.market = good[i];
        expect_valid(SPOTIFY_OP_ALBUMS_GET, &a);
    }
    assert_false(spotify__market_valid(NULL));
    assert_false(spotify__market_valid("ZZ"));
    assert_true(spotify__market_valid("GB"));
}

static void test_missing_body_member(void **state)
{
    (void)state;
    spotify_me_playlists_create_args a = SPOTIFY_ME_PLAYLISTS_CREATE_ARGS_INIT;
    expect_invalid(SPOTIFY_OP_ME_PLAYLISTS_CREATE, &a, "body: required");
    spotify_create_playlist_body body = {0};
    body.public_ = false;
    spotify_mark_present(&body, SPOTIFY_CREATE_PLAYLIST_BODY_PUBLIC);
    a.body = &body;
    expect_invalid(SPOTIFY_OP_ME_PLAYLISTS_CREATE, &a,
                   "spotify_me_playlists_create: body.name: required member missing");
    body.name = "Road trip";
    expect_valid(SPOTIFY_OP_ME_PLAYLISTS_CREATE, &a);
    /* a required list member */
    spotify_playlists_remove_items_args r = SPOTIFY_PLAYLISTS_REMOVE_ITEMS_ARGS_INIT;
    spotify_remove_items_playlist_body rb = {0};
    r.playlist_id = "3cEYpjA9oz9GiPac4AsH4n";
    r.body = &rb;
    expect_invalid(SPOTIFY_OP_PLAYLISTS_REMOVE_ITEMS, &r, "body.items: required member missing");
    spotify_remove_items_playlist_body_items_item items[1];
    memset(items, 0, sizeof items);
    items[0].uri = "spotify:album:" ALBUM;
    rb.items.items = items;
    rb.items.count = 1;
    expect_invalid(SPOTIFY_OP_PLAYLISTS_REMOVE_ITEMS, &r,
                   "body.items[0].uri: expected a track or an episode, got an album");
    items[0].uri = NULL;
    expect_invalid(SPOTIFY_OP_PLAYLISTS_REMOVE_ITEMS, &r, "body.items[0].uri: required member");
    items[0].uri = TRACK_URI;
    expect_valid(SPOTIFY_OP_PLAYLISTS_REMOVE_ITEMS, &r);
    /* body members with ranges and URIs */
    spotify_player_play_args play = SPOTIFY_PLAYER_PLAY_ARGS_INIT;
    spotify_start_a_users_playback_body pb = {0};
    play.body = &pb;
    expect_valid(SPOTIFY_OP_PLAYER_PLAY, &play);
    pb.position_ms = -5;
    spotify_mark_present(&pb, SPOTIFY_START_A_USERS_PLAYBACK_BODY_POSITION_MS);
    expect_invalid(SPOTIFY_OP_PLAYER_PLAY, &play, "body.position_ms: must be at least 0 (got -5)");
    pb.position_ms = 0;
    pb.context_uri = TRACK_URI;
    expect_invalid(SPOTIFY_OP_PLAYER_PLAY, &play,
                   "body.context_uri: expected one of album, artist");
}

static void test_enums(void **state)
{
    (void)state;
    spotify_player_set_repeat_args r = SPOTIFY_PLAYER_SET_REPEAT_ARGS_INIT;
    r.state = "always";
    expect_invalid(SPOTIFY_OP_PLAYER_SET_REPEAT, &r,
                   "state: \"always\" is not one of track, context, off");
    r.state = "off";
    expect_valid(SPOTIFY_OP_PLAYER_SET_REPEAT, &r);
    spotify_search_args s = SPOTIFY_SEARCH_ARGS_INIT;
    s.q = "x";
    s.type = "album,song";
    expect_invalid(SPOTIFY_OP_SEARCH, &s, "type: \"album,song\" is not one of album, artist");
    s.type = "album,";
    expect_invalid(SPOTIFY_OP_SEARCH, &s, "type:");
    s.type = "album,artist,playlist,track,show,episode,audiobook";
    expect_valid(SPOTIFY_OP_SEARCH, &s);
    spotify_me_top_tracks_list_args top = SPOTIFY_ME_TOP_TRACKS_LIST_ARGS_INIT;
    top.time_range = "last_week";
    expect_invalid(SPOTIFY_OP_ME_TOP_TRACKS_LIST, &top, "time_range:");
}

static void test_lists(void **state)
{
    (void)state;
    spotify_albums_get_several_args a = SPOTIFY_ALBUMS_GET_SEVERAL_ARGS_INIT;
    a.ids.count = 2;
    expect_invalid(SPOTIFY_OP_ALBUMS_GET_SEVERAL, &a, "ids: items is NULL but count is 2");
    const char *ids[] = {ALBUM, NULL};
    a.ids.items = ids;
    expect_invalid(SPOTIFY_OP_ALBUMS_GET_SEVERAL, &a, "ids[1]: is NULL");
    spotify_recommendations_get_args r = SPOTIFY_RECOMMENDATIONS_GET_ARGS_INIT;
    const char *genres[] = {"rock,pop"};
    r.seed_genres.items = genres;
    r.seed_genres.count = 1;
    expect_invalid(SPOTIFY_OP_RECOMMENDATIONS_GET, &r, "seed_genres[0]: must not contain a comma");
}

/* Recommendations: 1 to 5 seeds across artists, genres and tracks. */
static void test_seed_group(void **state)
{
    (void)state;
    spotify_recommendations_get_args r = SPOTIFY_RECOMMENDATIONS_GET_ARGS_INIT;
    expect_invalid(SPOTIFY_OP_RECOMMENDATIONS_GET, &r,
                   "seed_artists, seed_genres, seed_tracks: 1 to 5 items in all (got 0)");
    expect_invalid(SPOTIFY_OP_RECOMMENDATIONS_GET, NULL,
                   "seed_artists, seed_genres, seed_tracks: 1 to 5 items in all (got 0)");
    const char *genres[] = {"rock", "pop", "jazz"};
    const char *artists[] = {"0OdUWJ0sBjDrqHygGUXeCF", "4Z8W4fKeB5YxbusRsdQVPb"};
    const char *tracks[] = {"4iV5W9uYEdYUVa79Axb7Rh"};
    r.seed_genres.items = genres;
    r.seed_genres.count = 3;
    expect_valid(SPOTIFY_OP_RECOMMENDATIONS_GET, &r);
    r.seed_artists.items = artists;
    r.seed_artists.count = 2;
    expect_valid(SPOTIFY_OP_RECOMMENDATIONS_GET, &r); /* 5 */
    r.seed_tracks.items = tracks;
    r.seed_tracks.count = 1;
    expect_invalid(SPOTIFY_OP_RECOMMENDATIONS_GET, &r,
                   "seed_artists, seed_genres, seed_tracks: 1 to 5 items in all (got 6)");
}

static void test_numbers_and_booleans(void **state)
{
    (void)state;
    spotify_recommendations_get_args r = SPOTIFY_RECOMMENDATIONS_GET_ARGS_INIT;
    const char *genres[] = {"rock"};
    r.seed_genres.items = genres;
    r.seed_genres.count = 1;
    r.min_energy = 1.5;
    expect_invalid(SPOTIFY_OP_RECOMMENDATIONS_GET, &r, "min_energy: must be between 0 and 1");
    r.min_energy = 0.5;
    expect_valid(SPOTIFY_OP_RECOMMENDATIONS_GET, &r);
    r.target_tempo = HUGE_VAL;
    expect_invalid(SPOTIFY_OP_RECOMMENDATIONS_GET, &r, "target_tempo: must be a finite number");
    spotify_player_set_shuffle_args s = SPOTIFY_PLAYER_SET_SHUFFLE_ARGS_INIT;
    s.state = 2;
    expect_invalid(SPOTIFY_OP_PLAYER_SET_SHUFFLE, &s, "state: must be 0 or 1");
    s.state = true;
    expect_valid(SPOTIFY_OP_PLAYER_SET_SHUFFLE, &s);
    spotify_player_set_volume_args v = SPOTIFY_PLAYER_SET_VOLUME_ARGS_INIT;
    v.volume_percent = 101;
    expect_invalid(SPOTIFY_OP_PLAYER_SET_VOLUME, &v, "volume_percent: must be between 0 and 100");
}

static void test_jpeg(void **state)
{
    (void)state;
    spotify_playlists_upload_cover_args a = SPOTIFY_PLAYLISTS_UPLOAD_COVER_ARGS_INIT;
    a.playlist_id = "3cEYpjA9oz9GiPac4AsH4n";
    expect_invalid(SPOTIFY_OP_PLAYLISTS_UPLOAD_COVER, &a,
                   "jpeg_base64: required parameter missing");
    a.jpeg_base64 = "/9j/4AAQ SkZJRg==";
    expect_invalid(SPOTIFY_OP_PLAYLISTS_UPLOAD_COVER, &a, "jpeg_base64: not base64 (byte 8)");
    static char big[256 * 1024 + 2];
    memset(big, 'A', sizeof big - 1);
    a.jpeg_base64 = big;
    expect_invalid(SPOTIFY_OP_PLAYLISTS_UPLOAD_COVER, &a, "jpeg_base64: at most 262144 bytes");
    a.jpeg_base64 = "/9j/4AAQSkZJRg==";
    expect_valid(SPOTIFY_OP_PLAYLISTS_UPLOAD_COVER, &a);
}

static void test_null_operation(void **state)
{
    (void)state;
    spotify_error err = {0};
    assert_int_equal(spotify_operation_validate(NULL, NULL, &err), SPOTIFY_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_args_version),
        cmocka_unit_test(test_bad_id),
        cmocka_unit_test(test_bad_uri),
        cmocka_unit_test(test_limit_range),
        cmocka_unit_test(test_search_limit_at_most_10),
        cmocka_unit_test(test_offset_negative),
        cmocka_unit_test(test_too_many_ids),
        cmocka_unit_test(test_bad_market),
        cmocka_unit_test(test_missing_body_member),
        cmocka_unit_test(test_enums),
        cmocka_unit_test(test_lists),
        cmocka_unit_test(test_seed_group),
        cmocka_unit_test(test_numbers_and_booleans),
        cmocka_unit_test(test_jpeg),
        cmocka_unit_test(test_null_operation),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
