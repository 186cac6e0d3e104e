/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_operations.c - typed operations against the test server on
 * 127.0.0.1: the request on the wire (method, path, query encoding, body
 * JSON, headers), decoded results, answers without a body (204, empty 200),
 * top-level array answers, Spotify's error messages, retries, validation
 * that sends nothing, the opt-in scope check, and batch helpers (chunking,
 * input order, insert positions, the failing chunk's report).
 */
#define SPOTIFY_NO_DEPRECATION_WARNINGS 1

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/spotify.h>

#include "test_server.h"
#include "test_util.h"

#define TOKEN "test-access-token-123"
#define ALBUM "4aawyAB9vmqN3uQ7FjRGTy"
#define TRACK_URI "spotify:track:4iV5W9uYEdYUVa79Axb7Rh"
#define PLAYLIST "3cEYpjA9oz9GiPac4AsH4n"

typedef struct fixture {
    test_server *server;
    test_clock clock;
    spotify_clock clock_hooks;
    spotify_client_options opts;
    spotify_client *client;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->server = test_server_start();
    f->clock.now_ms = 1000000;
    f->clock_hooks = (spotify_clock){test_clock_now, test_clock_sleep, &f->clock};
    spotify_client_options defaults = SPOTIFY_CLIENT_OPTIONS_INIT;
    f->opts = defaults;
    f->opts.api_base_url = test_server_url(f->server);
    f->opts.access_token = TOKEN;
    f->opts.clock = &f->clock_hooks;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    spotify_client_free(f->client);
    test_server_stop(f->server);
    free(f);
    return 0;
}

static void client_open(fixture *f)
{
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&f->client, &f->opts, &err), SPOTIFY_OK);
}

static void answer(fixture *f, const char *path, int status, const char *body)
{
    test_response r = {.status = status, .body = body};
    test_server_enqueue(f->server, path, &r);
}

/* The n-th recorded request; free with test_request_free. */
static test_request request_at(fixture *f, int n)
{
    test_request r;
    assert_true(test_server_request(f->server, n, &r));
    return r;
}

static void test_albums_get(void **state)
{
    fixture *f = *state;
    f->opts.accept_language = "sv-SE";
    client_open(f);
    char *album = test_fixture_load("album-tpab.json", NULL);
    answer(f, "/albums/" ALBUM, 200, album);
    free(album);
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = "https://open.spotify.com/album/" ALBUM "?si=1";
    a.market = "SE";
    spotify_album *out = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_albums_get(&out, f->client, &a, &err), SPOTIFY_OK);
    assert_non_null(out);
    assert_string_equal(out->name, "To Pimp A Butterfly");
    assert_non_null(out->tracks);
    assert_int_equal(out->tracks->items.count, 16);
    spotify_album_free(out);

    test_request r = request_at(f, 0);
    assert_string_equal(r.method, "GET");
    assert_string_equal(r.path, "/albums/" ALBUM);
    assert_string_equal(r.query, "market=SE");
    char value[256];
    assert_true(test_request_header(&r, "authorization", value, sizeof value));
    assert_string_equal(value, "Bearer " TOKEN);
    assert_true(test_request_header(&r, "accept-language", value, sizeof value));
    assert_string_equal(value, "sv-SE");
    test_request_free(&r);

    /* a per-call Accept-Language wins over the client's */
    answer(f, "/albums/" ALBUM, 200, "{\"name\":\"x\"}");
    a.call.accept_language = "ja";
    assert_int_equal(spotify_albums_get(&out, f->client, &a, &err), SPOTIFY_OK);
    assert_string_equal(out->name, "x");
    spotify_album_free(out);
    r = request_at(f, 1);
    assert_true(test_request_header(&r, "accept-language", value, sizeof value));
    assert_string_equal(value, "ja");
    test_request_free(&r);
}

static void test_post_with_body(void **state)
{
    fixture *f = *state;
    client_open(f);
    answer(f, "/playlists/" PLAYLIST "/items", 201, "{\"snapshot_id\":\"snap-2\"}");
    const char *uris[] = {TRACK_URI, "https://open.spotify.com/episode/512ojhOuo1ktJprKbVcKyQ"};
    spotify_add_items_to_playlist_body body = {0};
    body.uris.items = uris;
    body.uris.count = 2;
    body.position = 0;
    spotify_mark_present(&body, SPOTIFY_ADD_ITEMS_TO_PLAYLIST_BODY_POSITION);
    spotify_playlists_add_items_args a = SPOTIFY_PLAYLISTS_ADD_ITEMS_ARGS_INIT;
    a.playlist_id = "spotify:playlist:" PLAYLIST;
    a.body = &body;
    spotify_playlist_snapshot_id *out = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_playlists_add_items(&out, f->client, &a, &err), SPOTIFY_OK);
    assert_string_equal(out->snapshot_id, "snap-2");
    spotify_playlist_snapshot_id_free(out);
    test_request r = request_at(f, 0);
    assert_string_equal(r.method, "POST");
    assert_string_equal(r.path, "/playlists/" PLAYLIST "/items");
    assert_string_equal(r.query, "");
    assert_string_equal(r.body, "{\"position\":0,\"uris\":[\"" TRACK_URI
                                "\",\"spotify:episode:512ojhOuo1ktJprKbVcKyQ\"]}");
    char value[128];
    assert_true(test_request_header(&r, "content-type", value, sizeof value));
    assert_string_equal(value, "application/json");
    test_request_free(&r);
}

static void test_answers_without_body(void **state)
{
    fixture *f = *state;
    client_open(f);
    spotify_error err = {0};
    /* 204: nothing playing */
    answer(f, "/me/player", 204, NULL);
    spotify_currently_playing_context *playing = (void *)1;
    assert_int_equal(spotify_player_get(&playing, f->client, NULL, &err), SPOTIFY_OK);
    assert_null(playing);
    /* 204 of a command */
    answer(f, "/me/player/pause", 204, NULL);
    assert_int_equal(spotify_player_pause(f->client, NULL, &err), SPOTIFY_OK);
    test_request r = request_at(f, 1);
    assert_string_equal(r.method, "PUT");
    test_request_free(&r);
    /* an empty 200 of a write */
    answer(f, "/me/library", 200, "");
    const char *uris[] = {TRACK_URI};
    spotify_library_save_args save = SPOTIFY_LIBRARY_SAVE_ARGS_INIT;
    save.uris.items = uris;
    save.uris.count = 1;
    assert_int_equal(spotify_library_save(f->client, &save, &err), SPOTIFY_OK);
    r = request_at(f, 2);
    assert_string_equal(r.method, "PUT");
    assert_string_equal(r.query, "uris=spotify%3Atrack%3A4iV5W9uYEdYUVa79Axb7Rh");
    assert_int_equal(r.body_len, 0);
    test_request_free(&r);
    /* a 202 (cover upload) with a raw JPEG body */
    answer(f, "/playlists/" PLAYLIST "/images", 202, NULL);
    spotify_playlists_upload_cover_args up = SPOTIFY_PLAYLISTS_UPLOAD_COVER_ARGS_INIT;
    up.playlist_id = PLAYLIST;
    up.jpeg_base64 = "/9j/4AAQSkZJRg==";
    assert_int_equal(spotify_playlists_upload_cover(f->client, &up, &err), SPOTIFY_OK);
    r = request_at(f, 3);
    char value[64];
    assert_true(test_request_header(&r, "content-type", value, sizeof value));
    assert_string_equal(value, "image/jpeg");
    assert_string_equal(r.body, "/9j/4AAQSkZJRg==");
    test_request_free(&r);
    /* an empty 200 where an object is promised is a protocol error */
    answer(f, "/me", 200, "");
    spotify_private_user *me = NULL;
    assert_int_equal(spotify_me_get(&me, f->client, NULL, &err), SPOTIFY_EPROTOCOL);
    assert_null(me);
    assert_non_null(strstr(err.message, "spotify_me_get: HTTP 200 without"));
}

static void test_array_answers(void **state)
{
    fixture *f = *state;
    client_open(f);
    spotify_error err = {0};
    answer(f, "/me/library/contains", 200, "[true,false]");
    const char *uris[] = {TRACK_URI, "spotify:album:" ALBUM};
    spotify_library_contains_args a = SPOTIFY_LIBRARY_CONTAINS_ARGS_INIT;
    a.uris.items = uris;
    a.uris.count = 2;
    spotify_array_of_booleans *out = NULL;
    assert_int_equal(spotify_library_contains(&out, f->client, &a, &err), SPOTIFY_OK);
    assert_int_equal(out->items.count, 2);
    assert_true(out->items.items[0]);
    assert_false(out->items.items[1]);
    char *raw = NULL;
    assert_int_equal(spotify_model_raw_json(&raw, NULL, out, &err), SPOTIFY_OK);
    assert_string_equal(raw, "[true,false]");
    spotify_free(raw);
    spotify_array_of_booleans_free(out);

    answer(f, "/playlists/" PLAYLIST "/images", 200,
           "[{\"url\":\"https://i.scdn.co/a\",\"height\":640,\"width\":640}]");
    spotify_playlists_get_cover_args c = SPOTIFY_PLAYLISTS_GET_COVER_ARGS_INIT;
    c.playlist_id = PLAYLIST;
    spotify_array_of_images *images = NULL;
    assert_int_equal(spotify_playlists_get_cover(&images, f->client, &c, &err), SPOTIFY_OK);
    assert_int_equal(images->items.count, 1);
    assert_string_equal(images->items.items[0].url, "https://i.scdn.co/a");
    assert_int_equal(images->items.items[0].height, 640);
    spotify_array_of_images_free(images);

    /* an object where an array is due */
    answer(f, "/me/library/contains", 200, "{\"a\":1}");
    assert_int_equal(spotify_library_contains(&out, f->client, &a, &err), SPOTIFY_EPROTOCOL);
    assert_non_null(strstr(err.message, "expected array, got object"));
    answer(f, "/me/library/contains", 200, "[true,\"x\"]");
    assert_int_equal(spotify_library_contains(&out, f->client, &a, &err), SPOTIFY_EPROTOCOL);
    assert_non_null(strstr(err.message, "[1]: expected boolean, got string"));
}

static void test_spotify_errors(void **state)
{
    fixture *f = *state;
    f->opts.retry.max_retries = 2;
    client_open(f);
    spotify_error err = {0};
    answer(f, "/albums/" ALBUM, 404,
           "{\"error\":{\"status\":404,\"message\":\"Non existing id\"}}");
    spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    a.id = ALBUM;
    spotify_album *out = (void *)1;
    assert_int_equal(spotify_albums_get(&out, f->client, &a, &err), SPOTIFY_ENOTFOUND);
    assert_null(out);
    assert_int_equal(err.http_status, 404);
    assert_non_null(strstr(err.message, "Non existing id"));
    /* 429 with Retry-After, then success: waited on the clock, one retry */
    test_response limited = {.status = 429,
                             .body = "{\"error\":{\"status\":429,\"message\":\"API rate limit\"}}",
                             .headers = {"Retry-After: 3", NULL}};
    test_server_enqueue(f->server, "/albums/" ALBUM, &limited);
    answer(f, "/albums/" ALBUM, 200, "{\"name\":\"after the wait\"}");
    assert_int_equal(spotify_albums_get(&out, f->client, &a, &err), SPOTIFY_OK);
    assert_string_equal(out->name, "after the wait");
    spotify_album_free(out);
    assert_int_equal(f->clock.last_sleep_ms, 3000);
    /* 5xx retried with backoff */
    answer(f, "/albums/" ALBUM, 502, "{\"error\":{\"status\":502,\"message\":\"Bad gateway\"}}");
    answer(f, "/albums/" ALBUM, 200, "{\"name\":\"back\"}");
    assert_int_equal(spotify_albums_get(&out, f->client, &a, &err), SPOTIFY_OK);
    spotify_album_free(out);
    assert_int_equal(test_server_count(f->server, "/albums/" ALBUM), 5);
    /* a body that is not the promised type */
    answer(f, "/albums/" ALBUM, 200, "{\"name\":42}");
    assert_int_equal(spotify_albums_get(&out, f->client, &a, &err), SPOTIFY_EPROTOCOL);
    assert_string_equal(err.message,
                        "spotify_albums_get: the answer: name: expected string, got integer");
}

static void test_invalid_sends_nothing(void **state)
{
    fixture *f = *state;
    client_open(f);
    spotify_error err = {0};
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = ALBUM;
    a.limit = 51;
    spotify_paging_simplified_track *out = (void *)1;
    assert_int_equal(spotify_albums_list_tracks(&out, f->client, &a, &err), SPOTIFY_EINVALID);
    assert_null(out);
    assert_int_equal(err.attempts, 0);
    spotify_search_args s = SPOTIFY_SEARCH_ARGS_INIT;
    s.q = "x";
    s.type = "track";
    s.limit = 20;
    assert_int_equal(spotify_search(NULL, f->client, &s, &err), SPOTIFY_EINVALID);
    assert_int_equal(test_server_count(f->server, NULL), 0);
    /* and bad handles */
    assert_int_equal(spotify_operation_call(NULL, NULL, SPOTIFY_OP_ME_GET, NULL, &err),
                     SPOTIFY_EINVALID);
    assert_int_equal(spotify_operation_call(NULL, f->client, NULL, NULL, &err), SPOTIFY_EINVALID);
}

/* ---------- the scope check ---------- */

static spotify_status cache_load(void *user, spotify_token *out, bool *found, spotify_error *err)
{
    const char *scope = user;
    *found = true;
    out->expires_at = 4e9;
    out->flow = SPOTIFY_FLOW_AUTHORIZATION_CODE;
    spotify_status st = spotify_token_set_field(&out->access_token, TOKEN, err);
    if (st == SPOTIFY_OK)
        st = spotify_token_set_field(&out->refresh_token, "refresh", err);
    if (st == SPOTIFY_OK && scope != NULL)
        st = spotify_token_set_field(&out->scope, scope, err);
    if (st == SPOTIFY_OK)
        st = spotify_token_set_field(&out->client_id, "client", err);
    return st;
}

static spotify_status cache_store(void *user, const spotify_token *token, spotify_error *err)
{
    (void)user;
    (void)token;
    (void)err;
    return SPOTIFY_OK;
}

/* A user-token provider whose cached token was granted `scope`. */
static spotify_auth *provider_with_scope(fixture *f, const char *scope, spotify_token_cache **cache)
{
    spotify_error err = {0};
    spotify_token_cache_ops ops = {
        .version = SPOTIFY_TOKEN_CACHE_OPS_VERSION, .load = cache_load, .store = cache_store};
    assert_int_equal(spotify_token_cache_new(cache, &ops, (void *)(uintptr_t)scope, &err),
                     SPOTIFY_OK);
    spotify_auth_options o = SPOTIFY_AUTH_OPTIONS_INIT;
    o.client_id = "client";
    o.client_secret = "secret";
    o.redirect_uri = "http://127.0.0.1:8888/callback";
    o.token_cache = *cache;
    o.accounts_base_url = test_server_url(f->server);
    spotify_auth *auth = NULL;
    assert_int_equal(spotify_auth_code_new(&auth, &o, &err), SPOTIFY_OK);
    return auth;
}

static void test_scope_check(void **state)
{
    fixture *f = *state;
    spotify_token_cache *cache = NULL;
    spotify_auth *auth =
        provider_with_scope(f, "user-read-private playlist-modify-private", &cache);
    f->opts.access_token = NULL;
    f->opts.auth = auth;
    client_open(f);
    spotify_error err = {0};
    spotify_player_pause_args p = SPOTIFY_PLAYER_PAUSE_ARGS_INIT;
    p.call.check_scopes = true;
    assert_int_equal(spotify_player_pause(f->client, &p, &err), SPOTIFY_EFORBIDDEN);
    assert_string_equal(err.message, "spotify_player_pause: the token lacks scope "
                                     "user-modify-playback-state (granted: user-read-private "
                                     "playlist-modify-private)");
    assert_int_equal(test_server_count(f->server, NULL), 0);
    /* off (the default): Spotify decides */
    answer(f, "/me/player/pause", 403,
           "{\"error\":{\"status\":403,\"message\":\"Insufficient client scope\"}}");
    p.call.check_scopes = false;
    assert_int_equal(spotify_player_pause(f->client, &p, &err), SPOTIFY_EFORBIDDEN);
    assert_non_null(strstr(err.message, "Insufficient client scope"));
    /* one of playlist-modify-public / -private is enough */
    answer(f, "/playlists/" PLAYLIST "/items", 201, "{\"snapshot_id\":\"s\"}");
    const char *uris[] = {TRACK_URI};
    spotify_playlists_add_items_args add = SPOTIFY_PLAYLISTS_ADD_ITEMS_ARGS_INIT;
    add.call.check_scopes = true;
    add.playlist_id = PLAYLIST;
    add.uris.items = uris;
    add.uris.count = 1;
    assert_int_equal(spotify_playlists_add_items(NULL, f->client, &add, &err), SPOTIFY_OK);
    /* optional scopes are not demanded */
    answer(f, "/me", 200, "{\"id\":\"smedjan\"}");
    spotify_me_get_args me = SPOTIFY_ME_GET_ARGS_INIT;
    me.call.check_scopes = true;
    assert_int_equal(spotify_me_get(NULL, f->client, &me, &err), SPOTIFY_OK);
    /* none of "any" */
    spotify_player_queue_get_args q = SPOTIFY_PLAYER_QUEUE_GET_ARGS_INIT;
    q.call.check_scopes = true;
    assert_int_equal(spotify_player_queue_get(NULL, f->client, &q, &err), SPOTIFY_EFORBIDDEN);
    assert_non_null(strstr(err.message, "lacks scope one of (user-read-currently-playing "
                                        "user-read-playback-state)"));
    spotify_client_free(f->client);
    f->client = NULL;
    spotify_auth_free(auth);
    spotify_token_cache_free(cache);
}

static void test_scope_check_client_wide(void **state)
{
    fixture *f = *state;
    spotify_token_cache *cache = NULL;
    spotify_auth *auth = provider_with_scope(f, "user-read-private", &cache);
    f->opts.access_token = NULL;
    f->opts.auth = auth;
    f->opts.check_scopes = true;
    client_open(f);
    spotify_error err = {0};
    spotify_player_pause_args p = SPOTIFY_PLAYER_PAUSE_ARGS_INIT; /* call.check_scopes unset */
    assert_int_equal(spotify_player_pause(f->client, &p, &err), SPOTIFY_EFORBIDDEN);
    assert_non_null(strstr(err.message, "lacks scope user-modify-playback-state"));
    assert_int_equal(test_server_count(f->server, NULL), 0);
    /* a pager too: its first page is not fetched */
    spotify_pager *pager = NULL;
    assert_int_equal(spotify_me_tracks_list_pager(&pager, f->client, NULL, &err), SPOTIFY_OK);
    const void *item = NULL;
    assert_int_equal(spotify_pager_next_item(&item, pager, &err), SPOTIFY_EFORBIDDEN);
    assert_non_null(strstr(err.message, "lacks scope user-library-read"));
    spotify_pager_free(pager);
    assert_int_equal(test_server_count(f->server, NULL), 0);
    spotify_client_free(f->client);
    f->client = NULL;
    spotify_auth_free(auth);
    spotify_token_cache_free(cache);
}

static void test_scope_check_app_and_static_tokens(void **state)
{
    fixture *f = *state;
    /* a static token's scope is unknown: the check lets Spotify decide */
    client_open(f);
    spotify_error err = {0};
    answer(f, "/me/player/pause", 204, NULL);
    spotify_player_pause_args p = SPOTIFY_PLAYER_PAUSE_ARGS_INIT;
    p.call.check_scopes = true;
    assert_int_equal(spotify_player_pause(f->client, &p, &err), SPOTIFY_OK);
    spotify_client_free(f->client);
    f->client = NULL;
    /* an app-only token has no user scopes */
    f->opts.access_token = NULL;
    f->opts.client_id = "client";
    f->opts.client_secret = "secret";
    f->opts.accounts_base_url = test_server_url(f->server);
    client_open(f);
    answer(f, "/api/token", 200,
           "{\"access_token\":\"app-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    assert_int_equal(spotify_player_pause(f->client, &p, &err), SPOTIFY_EFORBIDDEN);
    assert_non_null(strstr(err.message, "granted: none, an app-only token"));
    assert_int_equal(test_server_count(f->server, "/me/player/pause"), 1);
    /* operations without scopes are not checked */
    answer(f, "/markets", 200, "{\"markets\":[\"SE\"]}");
    spotify_markets_list_args m = SPOTIFY_MARKETS_LIST_ARGS_INIT;
    m.call.check_scopes = true;
    spotify_markets *markets = NULL;
    assert_int_equal(spotify_markets_list(&markets, f->client, &m, &err), SPOTIFY_OK);
    assert_int_equal(markets->markets.count, 1);
    spotify_markets_free(markets);
}

/* ---------- batches ---------- */

/* `n` URIs "spotify:track:<22 chars ending in the index>", in one block. */
static const char **make_uris(size_t n, char **storage)
{
    const char **uris = calloc(n, sizeof *uris);
    *storage = calloc(n, 40);
    for (size_t i = 0; i < n; i++) {
        snprintf(*storage + i * 40, 40, "spotify:track:%022zu", i);
        uris[i] = *storage + i * 40;
    }
    return uris;
}

/* How many comma-separated values the n-th request's `key` holds, and its
 * first one (percent-encoded). */
static size_t query_list(fixture *f, int n, const char *key, char *first, size_t size)
{
    test_request r = request_at(f, n);
    char prefix[32];
    snprintf(prefix, sizeof prefix, "%s=", key);
    const char *v = strstr(r.query, prefix);
    assert_non_null(v);
    v += strlen(prefix);
    size_t count = 1;
    for (const char *p = v; *p != '\0' && *p != '&'; p++)
        if (strncmp(p, "%2C", 3) == 0)
            count++;
    size_t len = strcspn(v, "&");
    size_t first_len = 0;
    while (first_len < len && strncmp(v + first_len, "%2C", 3) != 0)
        first_len++;
    snprintf(first, size, "%.*s", (int)first_len, v);
    test_request_free(&r);
    return count;
}

static void test_batch_library_save(void **state)
{
    fixture *f = *state;
    client_open(f);
    char *storage = NULL;
    const char **uris = make_uris(1000, &storage);
    test_response ok = {.status = 200};
    test_server_set_default(f->server, "/me/library", &ok);
    spotify_library_save_args a = SPOTIFY_LIBRARY_SAVE_ARGS_INIT;
    a.uris.items = uris;
    a.uris.count = 1000;
    spotify_error err = {0};
    /* the plain operation refuses an over-limit list */
    assert_int_equal(spotify_library_save(f->client, &a, &err), SPOTIFY_EINVALID);
    assert_int_equal(test_server_count(f->server, NULL), 0);
    /* 1,000 URIs -> 25 calls of 40, in order */
    assert_int_equal(spotify_library_save_batch(f->client, &a, &err), SPOTIFY_OK);
    assert_int_equal(test_server_count(f->server, "/me/library"), 25);
    char first[64];
    for (int k = 0; k < 25; k++) {
        assert_int_equal(query_list(f, k, "uris", first, sizeof first), 40);
        char want[64];
        snprintf(want, sizeof want, "spotify%%3Atrack%%3A%022d", k * 40);
        assert_string_equal(first, want);
    }
    /* a list within the maximum is one plain call */
    a.uris.count = 40;
    assert_int_equal(spotify_library_save_batch(f->client, &a, &err), SPOTIFY_OK);
    assert_int_equal(test_server_count(f->server, "/me/library"), 26);
    /* an invalid URI anywhere stops everything before the first call */
    uris[999] = "spotify:track:bad";
    a.uris.count = 1000;
    assert_int_equal(spotify_library_save_batch(f->client, &a, &err), SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "uris[999]"));
    assert_int_equal(test_server_count(f->server, "/me/library"), 26);
    free(uris);
    free(storage);
}

static void test_batch_merges_in_order(void **state)
{
    fixture *f = *state;
    client_open(f);
    char *storage = NULL;
    const char **uris = make_uris(100, &storage);
    /* 100 URIs: answers of 40, 40 and 20 booleans, true at multiples of 3 */
    for (int k = 0; k < 3; k++) {
        char body[512] = "[";
        int n = k < 2 ? 40 : 20;
        for (int i = 0; i < n; i++)
            strcat(body, (k * 40 + i) % 3 == 0 ? "true," : "false,");
        body[strlen(body) - 1] = ']';
        answer(f, "/me/library/contains", 200, body);
    }
    spotify_library_contains_args a = SPOTIFY_LIBRARY_CONTAINS_ARGS_INIT;
    a.uris.items = uris;
    a.uris.count = 100;
    spotify_array_of_booleans *out = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_library_contains_batch(&out, f->client, &a, &err), SPOTIFY_OK);
    assert_int_equal(out->items.count, 100);
    for (int i = 0; i < 100; i++)
        assert_int_equal(out->items.items[i], i % 3 == 0);
    assert_true(spotify_has(out, SPOTIFY_ARRAY_OF_BOOLEANS_ITEMS));
    char *raw = NULL;
    assert_int_equal(spotify_model_raw_json(&raw, NULL, out, &err), SPOTIFY_EINVALID);
    spotify_array_of_booleans_free(out);

    /* several albums: 45 IDs -> 20 + 20 + 5, objects merged in order */
    test_server_reset(f->server);
    const char *ids[45];
    char names[45][32];
    for (int i = 0; i < 45; i++)
        ids[i] = ALBUM;
    for (int k = 0; k < 3; k++) {
        char body[2048] = "{\"albums\":[";
        int n = k < 2 ? 20 : 5;
        for (int i = 0; i < n; i++) {
            snprintf(names[k * 20 + i], sizeof names[0], "{\"name\":\"album %d\"},", k * 20 + i);
            strcat(body, names[k * 20 + i]);
        }
        body[strlen(body) - 1] = ']';
        strcat(body, "}");
        answer(f, "/albums", 200, body);
    }
    spotify_albums_get_several_args s = SPOTIFY_ALBUMS_GET_SEVERAL_ARGS_INIT;
    s.ids.items = ids;
    s.ids.count = 45;
    spotify_many_albums *albums = NULL;
    assert_int_equal(spotify_albums_get_several_batch(&albums, f->client, &s, &err), SPOTIFY_OK);
    assert_int_equal(albums->albums.count, 45);
    for (int i = 0; i < 45; i++) {
        char want[32];
        snprintf(want, sizeof want, "album %d", i);
        assert_string_equal(albums->albums.items[i].name, want);
    }
    spotify_many_albums_free(albums);
    free(uris);
    free(storage);
}

static void test_batch_reports_the_failing_chunk(void **state)
{
    fixture *f = *state;
    f->opts.retry.max_retries = SPOTIFY_RETRY_NONE;
    client_open(f);
    char *storage = NULL;
    const char **uris = make_uris(100, &storage);
    answer(f, "/me/library", 200, NULL);
    answer(f, "/me/library", 500, "{\"error\":{\"status\":500,\"message\":\"Server error\"}}");
    spotify_library_remove_args a = SPOTIFY_LIBRARY_REMOVE_ARGS_INIT;
    a.uris.items = uris;
    a.uris.count = 100;
    spotify_error err = {0};
    assert_int_equal(spotify_library_remove_batch(f->client, &a, &err), SPOTIFY_ESERVER);
    assert_int_equal(err.http_status, 500);
    assert_true(strncmp(err.message, "chunk 2 of 3 (items 41-80): DELETE ", 35) == 0);
    assert_int_equal(test_server_count(f->server, "/me/library"), 2); /* stopped there */
    test_request r = request_at(f, 0);
    assert_string_equal(r.method, "DELETE");
    test_request_free(&r);
    free(uris);
    free(storage);
}

static void test_batch_playlist_positions(void **state)
{
    fixture *f = *state;
    client_open(f);
    char *storage = NULL;
    const char **uris = make_uris(250, &storage);
    for (int k = 0; k < 3; k++) {
        char body[64];
        snprintf(body, sizeof body, "{\"snapshot_id\":\"snap-%d\"}", k);
        answer(f, "/playlists/" PLAYLIST "/items", 201, body);
    }
    /* body URIs and a body position: 5, 105, 205 */
    spotify_add_items_to_playlist_body body = {0};
    body.uris.items = uris;
    body.uris.count = 250;
    body.position = 5;
    spotify_mark_present(&body, SPOTIFY_ADD_ITEMS_TO_PLAYLIST_BODY_POSITION);
    spotify_playlists_add_items_args a = SPOTIFY_PLAYLISTS_ADD_ITEMS_ARGS_INIT;
    a.playlist_id = PLAYLIST;
    a.body = &body;
    spotify_playlist_snapshot_id *out = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_playlists_add_items_batch(&out, f->client, &a, &err), SPOTIFY_OK);
    assert_string_equal(out->snapshot_id, "snap-2"); /* the last chunk's */
    spotify_playlist_snapshot_id_free(out);
    for (int k = 0; k < 3; k++) {
        test_request r = request_at(f, k);
        char want[64];
        snprintf(want, sizeof want, "{\"position\":%d,\"uris\":[\"spotify:track:%022d\"",
                 5 + k * 100, k * 100);
        assert_true(strncmp(r.body, want, strlen(want)) == 0);
        test_request_free(&r);
    }
    assert_int_equal(body.position, 5); /* the caller's body is untouched */
    assert_int_equal(body.uris.count, 250);
    free(uris);
    free(storage);
}

int main(void)
{
    spotify_error err = {0};
    spotify_global_init(&err);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_albums_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_post_with_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_answers_without_body, setup, teardown),
        cmocka_unit_test_setup_teardown(test_array_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_spotify_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_sends_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_check_client_wide, setup, teardown),
        cmocka_unit_test_setup_teardown(test_scope_check_app_and_static_tokens, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_library_save, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_merges_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_reports_the_failing_chunk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_playlist_positions, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    spotify_global_cleanup();
    return failed;
}
