/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_request_build.c - building requests from args and descriptors (pure):
 * path parameters percent-encoded, the query in descriptor order with unset
 * parameters left out, IDs / URIs / links normalised, numbers and booleans
 * as text, JSON bodies through the table-driven encoder (normalised URIs,
 * "{}" left out), raw JPEG bodies, and the same-origin rule of pagers.
 */
#define SPOTIFY_NO_DEPRECATION_WARNINGS 1

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include <spotify/api.h>

#include "api/execute.h"

#define ALBUM "4aawyAB9vmqN3uQ7FjRGTy"
#define TRACK "4iV5W9uYEdYUVa79Axb7Rh"
#define TRACK_URI "spotify:track:" TRACK

/* Builds and returns the target; the body is left in *request. */
static const char *build(spotify__web_request *request, const spotify_operation *op,
                         const void *args)
{
    spotify_error err = {0};
    if (spotify__op_build(request, op, args, 0, &err) != SPOTIFY_OK)
        fail_msg("%s: %s", spotify_operation_name(op), err.message);
    return spotify__strbuf_cstr(&request->target);
}

static void test_path_and_query(void **state)
{
    (void)state;
    spotify__web_request r;
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = "https://open.spotify.com/intl-de/album/" ALBUM "?si=abc";
    assert_string_equal(build(&r, SPOTIFY_OP_ALBUMS_GET, &a), "/albums/" ALBUM);
    assert_string_equal(r.method, "GET");
    assert_false(r.has_body);
    spotify__web_request_release(&r);
    a.market = "SE";
    assert_string_equal(build(&r, SPOTIFY_OP_ALBUMS_GET, &a), "/albums/" ALBUM "?market=SE");
    spotify__web_request_release(&r);

    /* spec order, unset parameters left out */
    spotify_albums_list_tracks_args t = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    t.id = "spotify:album:" ALBUM;
    t.offset = 40;
    t.limit = 20;
    assert_string_equal(build(&r, SPOTIFY_OP_ALBUMS_LIST_TRACKS, &t),
                        "/albums/" ALBUM "/tracks?limit=20&offset=40");
    spotify__web_request_release(&r);

    /* free-form path parameters are percent-encoded */
    spotify_browse_categories_get_args c = SPOTIFY_BROWSE_CATEGORIES_GET_ARGS_INIT;
    c.category_id = "hip hop/rap";
    c.locale = "sv_SE";
    assert_string_equal(build(&r, SPOTIFY_OP_BROWSE_CATEGORIES_GET, &c),
                        "/browse/categories/hip%20hop%2Frap?locale=sv_SE");
    spotify__web_request_release(&r);
    spotify_users_get_args u = SPOTIFY_USERS_GET_ARGS_INIT;
    u.user_id = "spotify:user:smedjan";
    assert_string_equal(build(&r, SPOTIFY_OP_USERS_GET, &u), "/users/smedjan");
    spotify__web_request_release(&r);

    /* no args at all */
    assert_string_equal(build(&r, SPOTIFY_OP_ME_GET, NULL), "/me");
    spotify__web_request_release(&r);
}

static void test_lists_and_values(void **state)
{
    (void)state;
    spotify__web_request r;
    const char *ids[] = {ALBUM, "spotify:album:" ALBUM, "https://open.spotify.com/album/" ALBUM};
    spotify_albums_get_several_args a = SPOTIFY_ALBUMS_GET_SEVERAL_ARGS_INIT;
    a.ids.items = ids;
    a.ids.count = 3;
    assert_string_equal(build(&r, SPOTIFY_OP_ALBUMS_GET_SEVERAL, &a),
                        "/albums?ids=" ALBUM "%2C" ALBUM "%2C" ALBUM);
    spotify__web_request_release(&r);

    const char *uris[] = {"https://open.spotify.com/track/" TRACK "?si=1",
                          "spotify:playlist:3cEYpjA9oz9GiPac4AsH4n"};
    spotify_library_save_args s = SPOTIFY_LIBRARY_SAVE_ARGS_INIT;
    s.uris.items = uris;
    s.uris.count = 2;
    assert_string_equal(build(&r, SPOTIFY_OP_LIBRARY_SAVE, &s),
                        "/me/library?uris=spotify%3Atrack%3A" TRACK
                        "%2Cspotify%3Aplaylist%3A3cEYpjA9oz9GiPac4AsH4n");
    assert_string_equal(r.method, "PUT");
    assert_false(r.has_body);
    spotify__web_request_release(&r);

    spotify_player_set_shuffle_args sh = SPOTIFY_PLAYER_SET_SHUFFLE_ARGS_INIT;
    sh.state = false;
    sh.device_id = "abc 1";
    assert_string_equal(build(&r, SPOTIFY_OP_PLAYER_SET_SHUFFLE, &sh),
                        "/me/player/shuffle?state=false&device_id=abc%201");
    spotify__web_request_release(&r);

    spotify_recommendations_get_args rec = SPOTIFY_RECOMMENDATIONS_GET_ARGS_INIT;
    const char *genres[] = {"rock", "pop"};
    rec.seed_genres.items = genres;
    rec.seed_genres.count = 2;
    rec.min_energy = 0.1;
    rec.target_tempo = 120;
    rec.limit = 5;
    const char *built = build(&r, SPOTIFY_OP_RECOMMENDATIONS_GET, &rec);
    assert_non_null(strstr(built, "seed_genres=rock%2Cpop"));
    assert_non_null(strstr(built, "min_energy=0.1"));
    assert_non_null(strstr(built, "target_tempo=120"));
    spotify__web_request_release(&r);

    spotify_search_args q = SPOTIFY_SEARCH_ARGS_INIT;
    q.q = "artist:Kendrick Lamar year:2015";
    q.type = "album,track";
    q.market = "from_token";
    assert_string_equal(build(&r, SPOTIFY_OP_SEARCH, &q),
                        "/search?q=artist%3AKendrick%20Lamar%20year%3A2015&type=album%2Ctrack&"
                        "market=from_token");
    spotify__web_request_release(&r);
}

static void test_json_body(void **state)
{
    (void)state;
    spotify__web_request r;
    spotify_me_playlists_create_args a = SPOTIFY_ME_PLAYLISTS_CREATE_ARGS_INIT;
    spotify_create_playlist_body body = {0};
    body.name = "Road \"trip\"";
    body.public_ = false;
    spotify_mark_present(&body, SPOTIFY_CREATE_PLAYLIST_BODY_PUBLIC);
    a.body = &body;
    assert_string_equal(build(&r, SPOTIFY_OP_ME_PLAYLISTS_CREATE, &a), "/me/playlists");
    assert_string_equal(r.method, "POST");
    assert_true(r.has_body);
    assert_null(r.content_type);
    assert_string_equal(spotify__strbuf_cstr(&r.body), "{\"name\":\"Road \\\"trip\\\"\","
                                                       "\"public\":false}");
    spotify__web_request_release(&r);

    /* URIs in a body are normalised; the caller's body is untouched */
    const char *uris[] = {"https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ", TRACK_URI};
    spotify_playlists_add_items_args add = SPOTIFY_PLAYLISTS_ADD_ITEMS_ARGS_INIT;
    spotify_add_items_to_playlist_body ab = {0};
    ab.uris.items = uris;
    ab.uris.count = 2;
    add.playlist_id = "https://open.spotify.com/playlist/3cEYpjA9oz9GiPac4AsH4n";
    add.body = &ab;
    assert_string_equal(build(&r, SPOTIFY_OP_PLAYLISTS_ADD_ITEMS, &add),
                        "/playlists/3cEYpjA9oz9GiPac4AsH4n/items");
    assert_string_equal(spotify__strbuf_cstr(&r.body),
                        "{\"uris\":[\"spotify:episode:512ojhOuo1ktJprKbVcKyQ\",\"" TRACK_URI
                        "\"]}");
    assert_string_equal(uris[0], "https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ");
    spotify__web_request_release(&r);

    /* objects with a "uri" */
    spotify_playlists_remove_items_args rm = SPOTIFY_PLAYLISTS_REMOVE_ITEMS_ARGS_INIT;
    spotify_remove_items_playlist_body rb = {0};
    spotify_remove_items_playlist_body_items_item items[2];
    memset(items, 0, sizeof items);
    items[0].uri = "https://open.spotify.com/track/" TRACK;
    items[1].uri = TRACK_URI;
    rb.items.items = items;
    rb.items.count = 2;
    rb.snapshot_id = "abc";
    rm.playlist_id = "3cEYpjA9oz9GiPac4AsH4n";
    rm.body = &rb;
    build(&r, SPOTIFY_OP_PLAYLISTS_REMOVE_ITEMS, &rm);
    assert_string_equal(r.method, "DELETE");
    assert_string_equal(spotify__strbuf_cstr(&r.body),
                        "{\"items\":[{\"uri\":\"" TRACK_URI "\"},{\"uri\":\"" TRACK_URI
                        "\"}],\"snapshot_id\":\"abc\"}");
    spotify__web_request_release(&r);

    /* an empty body is left out: PUT /me/player/play resumes */
    spotify_player_play_args play = SPOTIFY_PLAYER_PLAY_ARGS_INIT;
    spotify_start_a_users_playback_body pb = {0};
    play.body = &pb;
    build(&r, SPOTIFY_OP_PLAYER_PLAY, &play);
    assert_false(r.has_body);
    spotify__web_request_release(&r);
    pb.offset = "{\"position\": 5}";
    pb.context_uri = "spotify:album:" ALBUM;
    build(&r, SPOTIFY_OP_PLAYER_PLAY, &play);
    assert_true(r.has_body);
    assert_string_equal(spotify__strbuf_cstr(&r.body), "{\"context_uri\":\"spotify:album:" ALBUM
                                                       "\",\"offset\":{\"position\":5}}");
    spotify__web_request_release(&r);
}

static void test_raw_body(void **state)
{
    (void)state;
    spotify__web_request r;
    spotify_playlists_upload_cover_args a = SPOTIFY_PLAYLISTS_UPLOAD_COVER_ARGS_INIT;
    a.playlist_id = "3cEYpjA9oz9GiPac4AsH4n";
    a.jpeg_base64 = "/9j/4AAQSkZJRg==";
    assert_string_equal(build(&r, SPOTIFY_OP_PLAYLISTS_UPLOAD_COVER, &a),
                        "/playlists/3cEYpjA9oz9GiPac4AsH4n/images");
    assert_string_equal(r.method, "PUT");
    assert_true(r.has_body);
    assert_ptr_equal(r.raw_body, a.jpeg_base64);
    assert_int_equal(r.raw_len, strlen(a.jpeg_base64));
    assert_string_equal(r.content_type, "image/jpeg");
    spotify__web_request_release(&r);
}

static void test_invalid_args_build_nothing(void **state)
{
    (void)state;
    spotify__web_request r;
    spotify_error err = {0};
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    assert_int_equal(spotify__op_build(&r, SPOTIFY_OP_ALBUMS_GET, &a, 0, &err), SPOTIFY_EINVALID);
    assert_int_equal(r.target.len, 0);
    spotify__web_request_release(&r);
}

static void test_same_origin(void **state)
{
    (void)state;
    const char *base = "https://api.spotify.com/v1";
    assert_true(spotify__same_origin(base, "https://api.spotify.com/v1/me/tracks?offset=50"));
    assert_true(spotify__same_origin(base, "https://API.Spotify.com:443/v1/x"));
    assert_true(spotify__same_origin(base, "HTTPS://api.spotify.com"));
    assert_false(spotify__same_origin(base, "http://api.spotify.com/v1/x"));
    assert_false(spotify__same_origin(base, "https://api.spotify.com:8443/v1/x"));
    assert_false(spotify__same_origin(base, "https://api.spotify.com.evil.com/v1/x"));
    assert_false(spotify__same_origin(base, "https://evil.com/v1/x"));
    assert_false(spotify__same_origin(base, "https://api.spotify.com@evil.com/v1/x"));
    assert_false(spotify__same_origin(base, "https://user@api.spotify.com/v1/x"));
    assert_false(spotify__same_origin(base, "/v1/me/tracks"));
    assert_false(spotify__same_origin(base, "//api.spotify.com/v1"));
    assert_false(spotify__same_origin(base, "ftp://api.spotify.com/v1"));
    assert_false(spotify__same_origin(base, "https://api.spotify.com:/v1"));
    assert_false(spotify__same_origin(base, "https://api.spotify.com:99999/v1"));
    assert_false(spotify__same_origin(base, NULL));
    const char *local = "http://127.0.0.1:8080";
    assert_true(spotify__same_origin(local, "http://127.0.0.1:8080/albums/x/tracks?offset=2"));
    assert_false(spotify__same_origin(local, "http://127.0.0.1:8081/albums"));
    assert_false(spotify__same_origin(local, "http://127.0.0.1/albums"));
    assert_true(spotify__same_origin("http://[::1]:8080/v1", "http://[::1]:8080/v1/a"));
    assert_false(spotify__same_origin("http://[::1]:8080/v1", "http://[::1]:8081/v1/a"));
    assert_true(spotify__same_origin("http://example.com/v1", "http://example.com:80/v1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_and_query),
        cmocka_unit_test(test_lists_and_values),
        cmocka_unit_test(test_json_body),
        cmocka_unit_test(test_raw_body),
        cmocka_unit_test(test_invalid_args_build_nothing),
        cmocka_unit_test(test_same_origin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
