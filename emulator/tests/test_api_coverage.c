/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_api_coverage.c - the endpoints beyond the core set: several items
 * (null for unknown ids), shows/episodes/audiobooks/chapters and their
 * paging, market validation, the id-based library endpoints and follows
 * (state changes and 404s), playlist followers and cover upload (snapshot
 * and images change), other users' profiles and playlists, top items,
 * browse and recommendations, the player's transfer/seek/repeat/shuffle and
 * recently played, and the seed-playlist control request.
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

#define TPAB "7ycBtnsMtyVbbwTfJwRjSP"
#define WESLEY "7Ks4VCY1wFebnOdJrM13t6"
#define KENDRICK "2YZyLoL8N0Wb9xBt1NhZWg"
#define SHOW "5CfCWKI5pZ28U0uOzXkDHe"
#define EPISODE "512ojhOuo1ktJprKbVcKyQ"
#define AUDIOBOOK "7iHfbu1YPACw6oZPAFJtqe"
#define CHAPTER "0D5wENdkdwbqlrHoaJ9g29"
#define UNKNOWN "0000000000000000000000"
#define SCOPES                                                                                     \
    "user-library-read user-library-modify user-follow-read user-follow-modify "                   \
    "playlist-read-private playlist-modify-public playlist-modify-private ugc-image-upload "       \
    "user-top-read user-read-playback-state user-modify-playback-state "                           \
    "user-read-recently-played user-read-currently-playing"

/* Sends and asserts the status; the body stays in *r (free it). */
static void expect_body(emulator_http_response *r, long status, const char *method,
                        const char *path, const char *token, const char *body)
{
    test_send(r, method, path, token, body);
    if (r->status != status)
        fail_msg("%s %s: %ld, expected %ld: %s", method, path, r->status, status, r->body);
}

/* Sends, asserts the status and that the body contains `needle` (NULL: no check). */
static void expect(long status, const char *method, const char *path, const char *token,
                   const char *body, const char *needle)
{
    emulator_http_response r;
    expect_body(&r, status, method, path, token, body);
    if (needle != NULL && strstr(r.body, needle) == NULL)
        fail_msg("%s %s: no %s in %s", method, path, needle, r.body);
    emulator_response_free(&r);
}

static void several_items_and_media(void **state)
{
    (void)state;
    char token[128];
    test_user_token("demo-client", SCOPES, token);
    expect(200, "GET", "/v1/albums?ids=" TPAB "," UNKNOWN, token, NULL,
           "\"name\":\"To Pimp A Butterfly\"");
    expect(200, "GET", "/v1/tracks?ids=" UNKNOWN, token, NULL, "{\"tracks\":[null]}");
    expect(400, "GET", "/v1/artists?ids=bad", token, NULL, "Invalid base62 id");
    expect(400, "GET", "/v1/tracks", token, NULL, "Missing required parameter: ids");
    expect(200, "GET", "/v1/shows/" SHOW, token, NULL, "\"type\":\"show\"");
    expect(200, "GET", "/v1/episodes/" EPISODE, token, NULL, "\"show\":{");
    expect(200, "GET", "/v1/audiobooks/" AUDIOBOOK, token, NULL, "\"chapters\":{");
    expect(200, "GET", "/v1/chapters/" CHAPTER, token, NULL, "\"audiobook\":{");
    expect(404, "GET", "/v1/shows/" UNKNOWN, token, NULL, "Non existing id");
    expect(200, "GET", "/v1/shows/" SHOW "/episodes?limit=1", token, NULL,
           "\"next\":\"http://127.0.0.1");
    expect(200, "GET", "/v1/artists/" KENDRICK "/albums?include_groups=album", token, NULL,
           "\"album_group\":\"album\"");
    expect(400, "GET", "/v1/artists/" KENDRICK "/albums?include_groups=mixtape", token, NULL, NULL);
    expect(200, "GET", "/v1/artists/" KENDRICK "/top-tracks", token, NULL, "\"tracks\":[{");
    expect(200, "GET", "/v1/artists/" KENDRICK "/related-artists", token, NULL, "\"artists\":[{");
    expect(200, "GET", "/v1/search?q=chapter&type=audiobook,episode", token, NULL,
           "\"audiobooks\":{");
}

static void market_is_validated(void **state)
{
    (void)state;
    char token[128];
    test_user_token("demo-client", SCOPES, token);
    expect(200, "GET", "/v1/albums/" TPAB "?market=SE", token, NULL, NULL);
    expect(200, "GET", "/v1/albums/" TPAB "?market=from_token", token, NULL, NULL);
    expect(400, "GET", "/v1/albums/" TPAB "?market=XX", token, NULL, "Invalid market code");
    expect(400, "GET", "/v1/me/tracks?market=sweden", token, NULL, "Invalid market code");
    /* authentication comes first */
    expect(401, "GET", "/v1/albums/" TPAB "?market=XX", "nope", NULL, NULL);
    /* with a market, tracks carry is_playable instead of available_markets */
    emulator_http_response r;
    expect_body(&r, 200, "GET", "/v1/tracks/" WESLEY "?market=SE", token, NULL);
    assert_non_null(strstr(r.body, "\"is_playable\":true"));
    assert_null(strstr(r.body, "\"is_playable\":false"));
    emulator_response_free(&r);
    /* generated tracks are sold in 9 markets, not in Andorra */
    expect(200, "GET", "/v1/me/tracks?limit=50&market=AD", token, NULL, "\"is_playable\":false");
    /* from_token is the user's country (demo-user: SE) */
    expect(200, "GET", "/v1/albums/" TPAB "/tracks?limit=1&market=from_token", token, NULL,
           "\"is_playable\":true");
    expect_body(&r, 200, "GET", "/v1/albums/" TPAB "/tracks?limit=1", token, NULL);
    assert_null(strstr(r.body, "is_playable"));
    assert_non_null(strstr(r.body, "available_markets"));
    emulator_response_free(&r);
}

static void id_library_and_follows(void **state)
{
    (void)state;
    char token[128];
    test_user_token("demo-client", SCOPES, token);
    expect(200, "GET", "/v1/me/shows/contains?ids=" SHOW, token, NULL, "[false]");
    expect(200, "PUT", "/v1/me/shows?ids=" SHOW, token, NULL, NULL);
    expect(200, "GET", "/v1/me/shows/contains?ids=" SHOW, token, NULL, "[true]");
    expect(200, "GET", "/v1/me/shows?limit=50", token, NULL, "\"id\":\"" SHOW "\"");
    expect(200, "GET", "/v1/me/library/contains?uris=spotify:show:" SHOW, token, NULL, "[true]");
    expect(200, "DELETE", "/v1/me/shows?ids=" SHOW, token, NULL, NULL);
    expect(200, "GET", "/v1/me/shows/contains?ids=" SHOW, token, NULL, "[false]");
    expect(404, "PUT", "/v1/me/episodes?ids=" UNKNOWN, token, NULL, "Non existing id");
    expect(200, "PUT", "/v1/me/episodes", token, "{\"ids\":[\"" EPISODE "\"]}", NULL);
    expect(200, "GET", "/v1/me/episodes", token, NULL, "\"id\":\"" EPISODE "\"");
    expect(200, "PUT", "/v1/me/tracks", token,
           "{\"timestamped_ids\":[{\"id\":\"" WESLEY "\",\"added_at\":\"2024-01-01T00:00:00Z\"}]}",
           NULL);
    expect(200, "GET", "/v1/me/tracks/contains?ids=" WESLEY "," UNKNOWN, token, NULL,
           "[true,false]");
    expect(200, "PUT", "/v1/me/audiobooks?ids=" AUDIOBOOK, token, NULL, NULL);
    expect(200, "GET", "/v1/me/audiobooks/contains?ids=" AUDIOBOOK, token, NULL, "[true]");
    expect(400, "PUT",
           "/v1/me/albums?ids=" TPAB "," TPAB "," TPAB "," TPAB "," TPAB "," TPAB "," TPAB "," TPAB
           "," TPAB "," TPAB "," TPAB "," TPAB "," TPAB "," TPAB "," TPAB "," TPAB "," TPAB "," TPAB
           "," TPAB "," TPAB "," TPAB,
           token, NULL, "Too many ids requested");
    /* artists and users */
    expect(204, "DELETE", "/v1/me/following?type=artist&ids=" KENDRICK, token, NULL, NULL);
    expect(200, "GET", "/v1/me/following/contains?type=artist&ids=" KENDRICK, token, NULL,
           "[false]");
    expect(204, "PUT", "/v1/me/following?type=user", token, "{\"ids\":[\"demo-public-user\"]}",
           NULL);
    expect(200, "GET", "/v1/me/following/contains?type=user&ids=demo-public-user", token, NULL,
           "[true]");
    expect(404, "PUT", "/v1/me/following?type=user&ids=nobody", token, NULL, NULL);
    expect(400, "PUT", "/v1/me/following?type=band&ids=" KENDRICK, token, NULL, NULL);
    /* a read scope does not allow writes */
    char reader[128];
    test_user_token("demo-client", "user-library-read", reader);
    expect(403, "PUT", "/v1/me/shows?ids=" SHOW, reader, NULL, "Insufficient client scope");
}

/* The id of demo-user's first playlist ("Demo Mix") into `id`. */
static void first_playlist(const char *token, char id[32])
{
    emulator_http_response r;
    expect_body(&r, 200, "GET", "/v1/users/demo-user/playlists?limit=50", token, NULL);
    const char *p = strstr(r.body, "\"name\":\"Demo Mix\"");
    assert_non_null(p);
    const char *at = strstr(p, "spotify:playlist:");
    assert_non_null(at);
    snprintf(id, 32, "%.22s", at + 17);
    emulator_response_free(&r);
}

static void playlists_followers_cover_users(void **state)
{
    (void)state;
    char token[128], other[128], id[32], path[160], snapshot[64] = "";
    emulator_http_response r;
    test_user_token("demo-client", SCOPES, token);
    test_user_token("demo-public", SCOPES, other);
    first_playlist(token, id);
    snprintf(path, sizeof path, "/v1/playlists/%s/followers/contains", id);
    expect(200, "GET", path, token, NULL, "[true]");
    expect(200, "GET", path, other, NULL, "[false]");
    snprintf(path, sizeof path, "/v1/playlists/%s/followers", id);
    expect(200, "PUT", path, other, "{\"public\":true}", NULL);
    snprintf(path, sizeof path, "/v1/playlists/%s", id);
    expect(200, "GET", path, other, NULL, "\"followers\":{\"href\":null,\"total\":2}");
    /* the other user's public playlists include the followed one */
    expect(200, "GET", "/v1/users/demo-public-user/playlists", token, NULL, id);
    expect(200, "GET", "/v1/users/demo-user", other, NULL, "\"display_name\":\"Demo User\"");
    expect(404, "GET", "/v1/users/nobody", other, NULL, NULL);
    expect(403, "POST", "/v1/users/demo-user/playlists", other, "{\"name\":\"x\"}", NULL);
    /* cover upload: 202, then images and the snapshot change */
    expect_body(&r, 200, "GET", path, token, NULL);
    const char *s = strstr(r.body, "\"snapshot_id\":\"");
    assert_non_null(s);
    snprintf(snapshot, sizeof snapshot, "%.28s", s + 15);
    emulator_response_free(&r);
    snprintf(path, sizeof path, "/v1/playlists/%s/images", id);
    expect(400, "PUT", path, token, "not a jpeg", NULL);
    expect(403, "PUT", path, other, "/9j/4AAQSkZJRgABAQ==", NULL);
    expect(202, "PUT", path, token, "/9j/4AAQSkZJRgABAQ==", NULL);
    expect(200, "GET", path, token, NULL, "image-cdn-ak.spotifycdn.com");
    snprintf(path, sizeof path, "/v1/playlists/%s", id);
    expect_body(&r, 200, "GET", path, token, NULL);
    assert_null(strstr(r.body, snapshot));
    emulator_response_free(&r);
    /* the deprecated tracks routes are the items routes */
    snprintf(path, sizeof path, "/v1/playlists/%s/tracks?limit=2", id);
    expect(200, "GET", path, other, NULL, "\"total\":137");
}

static void top_browse_recommendations(void **state)
{
    (void)state;
    char token[128];
    test_user_token("demo-client", SCOPES, token);
    expect(200, "GET", "/v1/me/top/tracks?time_range=long_term&limit=5", token, NULL,
           "\"total\":137");
    expect(200, "GET", "/v1/me/top/artists", token, NULL, "\"total\":60");
    expect(400, "GET", "/v1/me/top/artists?time_range=forever", token, NULL, NULL);
    expect(200, "GET", "/v1/browse/categories?limit=1", token, NULL, "\"id\":\"toplists\"");
    expect(200, "GET", "/v1/browse/categories/toplists", token, NULL, "\"name\":\"Top Lists\"");
    expect(404, "GET", "/v1/browse/categories/nope", token, NULL, NULL);
    expect(200, "GET", "/v1/browse/categories/toplists/playlists", token, NULL,
           "\"message\":\"Top Lists\"");
    expect(200, "GET", "/v1/browse/new-releases?limit=1", token, NULL, "\"albums\":{");
    expect(200, "GET", "/v1/markets", token, NULL, "\"SE\"");
    expect(200, "GET", "/v1/recommendations/available-genre-seeds", token, NULL, "\"acoustic\"");
    expect(200, "GET", "/v1/recommendations?limit=2&seed_artists=" KENDRICK, token, NULL,
           "\"type\":\"ARTIST\"");
    expect(400, "GET", "/v1/recommendations?seed_tracks=" UNKNOWN, token, NULL, "Invalid seed");
    expect(200, "GET", "/v1/audio-features/" WESLEY, token, NULL, "\"type\":\"audio_features\"");
    expect(200, "GET", "/v1/audio-analysis/" WESLEY, token, NULL, "\"segments\":[");
}

/* The first device id of demo-user into `device`. */
static void first_device(const char *token, char device[48])
{
    emulator_http_response r;
    expect_body(&r, 200, "GET", "/v1/me/player/devices", token, NULL);
    const char *p = strstr(r.body, "\"id\":\"");
    assert_non_null(p);
    snprintf(device, 48, "%.40s", p + 6);
    emulator_response_free(&r);
}

static void player_transfer_seek_history(void **state)
{
    (void)state;
    char token[128], device[48], body[160];
    test_user_token("demo-client", SCOPES, token);
    first_device(token, device);
    expect(404, "PUT", "/v1/me/player", token, "{\"device_ids\":[\"nope\"]}", "Device not found");
    expect(400, "PUT", "/v1/me/player", token, "{\"device_ids\":[]}", NULL);
    snprintf(body, sizeof body, "{\"device_ids\":[\"%s\"]}", device);
    expect(204, "PUT", "/v1/me/player", token, body, NULL);
    expect(200, "GET", "/v1/me/player", token, NULL, "\"is_active\":true");
    expect(403, "PUT", "/v1/me/player/seek?position_ms=10", token, NULL, "Restriction violated");
    /* nothing loaded: play starts the saved tracks */
    expect(204, "PUT", "/v1/me/player/play", token, NULL, NULL);
    expect(204, "PUT", "/v1/me/player/pause", token, NULL, NULL);
    expect(204, "PUT", "/v1/me/player/seek?position_ms=5000", token, NULL, NULL);
    expect(200, "GET", "/v1/me/player", token, NULL, "\"progress_ms\":5000");
    expect(400, "PUT", "/v1/me/player/seek?position_ms=-1", token, NULL, NULL);
    expect(204, "PUT", "/v1/me/player/repeat?state=track", token, NULL, NULL);
    expect(400, "PUT", "/v1/me/player/repeat?state=all", token, NULL, NULL);
    expect(204, "PUT", "/v1/me/player/shuffle?state=true", token, NULL, NULL);
    expect(400, "PUT", "/v1/me/player/shuffle?state=yes", token, NULL, NULL);
    expect(200, "GET", "/v1/me/player", token, NULL,
           "\"repeat_state\":\"track\",\"shuffle_state\":true");
    expect(204, "POST", "/v1/me/player/next", token, NULL, NULL);
    expect(204, "POST", "/v1/me/player/next", token, NULL, NULL);
    expect(200, "GET", "/v1/me/player/recently-played?limit=2", token, NULL, "\"played_at\":");
    /* three tracks started: a page of 2 has a next link, the cursor pages back */
    emulator_http_response r;
    expect_body(&r, 200, "GET", "/v1/me/player/recently-played?limit=2", token, NULL);
    assert_non_null(strstr(r.body, "\"next\":\"http://127.0.0.1"));
    assert_non_null(strstr(r.body, "\"total\":3"));
    emulator_response_free(&r);
    expect(400, "GET", "/v1/me/player/recently-played?after=1&before=2", token, NULL, NULL);
}

static void seed_playlist_control(void **state)
{
    (void)state;
    char token[128], id[64], path[160];
    emulator_http_response r;
    test_user_token("demo-client", SCOPES, token);
    assert_true(emulator_control(&test_emu, "POST", "/__emulator/seed-playlist",
                                 "{\"user\":\"demo-user\",\"items\":2500}", &r));
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "id", id, sizeof id));
    emulator_response_free(&r);
    snprintf(path, sizeof path, "/v1/playlists/%s/items?offset=2450&limit=50", id);
    expect(200, "GET", path, token, NULL, "\"total\":2500}");
    assert_true(emulator_control(&test_emu, "POST", "/__emulator/seed-playlist",
                                 "{\"user\":\"nobody\"}", &r));
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(several_items_and_media, test_emu_reset),
        cmocka_unit_test_setup(market_is_validated, test_emu_reset),
        cmocka_unit_test_setup(id_library_and_follows, test_emu_reset),
        cmocka_unit_test_setup(playlists_followers_cover_users, test_emu_reset),
        cmocka_unit_test_setup(top_browse_recommendations, test_emu_reset),
        cmocka_unit_test_setup(player_transfer_seek_history, test_emu_reset),
        cmocka_unit_test_setup(seed_playlist_control, test_emu_reset),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
