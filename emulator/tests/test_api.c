/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_api.c - the Web API: bearer checks (missing, malformed, unknown,
 * expired by control and by lifetime), client-credentials tokens on /me,
 * scopes, /v1/me, albums/artists/tracks (200, 400, 404), unknown routes,
 * wrong methods and oversized bodies.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "helpers.h"

#define TPAB "7ycBtnsMtyVbbwTfJwRjSP"
#define TS_ALBUM "4EcfbzCtbJDk2wMwhT4D1h"
#define WESLEY "7Ks4VCY1wFebnOdJrM13t6"
#define KENDRICK "2YZyLoL8N0Wb9xBt1NhZWg"
#define THUNDERCAT "4frXpPxQQZwbCu3eTGnZEw" /* named on a TPAB track only */

static void app_token(char token[128])
{
    emulator_http_response r;
    test_token_request(&r, "demo-client:demo-secret", "grant_type=client_credentials");
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "access_token", token, 128));
    emulator_response_free(&r);
}

static void no_token(void **state)
{
    (void)state;
    emulator_http_response r;
    test_get(&r, "/v1/albums/" TPAB, NULL);
    assert_api_error(&r, 401, "No token provided");
    emulator_response_free(&r);
}

static void wrong_scheme(void **state)
{
    (void)state;
    emulator_http_response r;
    const char *const headers[] = {"Authorization: Basic ZGVtbzpkZW1v", NULL};
    assert_true(emulator_request(&r, "GET", test_url("/v1/me"), headers, NULL));
    assert_api_error(&r, 400, "Only valid bearer authentication supported");
    emulator_response_free(&r);
}

static void unknown_token(void **state)
{
    (void)state;
    emulator_http_response r;
    test_get(&r, "/v1/me", "not-a-token");
    assert_api_error(&r, 401, "Invalid access token");
    emulator_response_free(&r);
}

static void expired_by_control(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    test_user_token("demo-client", "", token);
    test_get(&r, "/v1/me", token);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    test_emu_control("POST", "/__emulator/expire-tokens", NULL);
    test_get(&r, "/v1/me", token);
    assert_api_error(&r, 401, "The access token expired");
    emulator_response_free(&r);
    test_user_token("demo-client", "", token); /* tokens issued later are fine */
    test_get(&r, "/v1/me", token);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}

static void expired_by_lifetime(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    long long expires = 0;
    test_emu_control("POST", "/__emulator/config", "{\"token_lifetime\":1}");
    test_token_request(&r, "demo-client:demo-secret", "grant_type=client_credentials");
    assert_true(emulator_json_int(r.body, "expires_in", &expires));
    assert_int_equal(expires, 1);
    assert_true(emulator_json_string(r.body, "access_token", token, sizeof token));
    emulator_response_free(&r);
    test_get(&r, "/v1/albums/" TPAB, token);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    struct timespec pause = {1, 100000000L};
    nanosleep(&pause, NULL);
    test_get(&r, "/v1/albums/" TPAB, token);
    assert_api_error(&r, 401, "The access token expired");
    emulator_response_free(&r);
}

static void app_token_on_me(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    app_token(token);
    test_get(&r, "/v1/me", token);
    assert_api_error(&r, 403, "Insufficient client scope");
    emulator_response_free(&r);
}

static void me_fields_follow_scopes(void **state)
{
    (void)state;
    char token[128], text[128];
    long long followers = -1;
    emulator_http_response r;
    test_user_token("demo-client", "", token);
    test_get(&r, "/v1/me", token);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "id", text, sizeof text));
    assert_string_equal(text, "demo-user");
    assert_true(emulator_json_string(r.body, "display_name", text, sizeof text));
    assert_string_equal(text, "Demo User");
    assert_true(emulator_json_string(r.body, "type", text, sizeof text));
    assert_string_equal(text, "user");
    assert_true(emulator_json_string(r.body, "uri", text, sizeof text));
    assert_string_equal(text, "spotify:user:demo-user");
    assert_true(emulator_json_string(r.body, "external_urls.spotify", text, sizeof text));
    assert_true(emulator_json_int(r.body, "followers.total", &followers));
    assert_int_equal(followers, 12);
    assert_true(emulator_json_string(r.body, "href", text, sizeof text));
    assert_string_equal(text, test_url("/v1/users/demo-user"));
    assert_null(strstr(r.body, "\"email\""));
    assert_null(strstr(r.body, "\"country\""));
    assert_null(strstr(r.body, "\"product\""));
    emulator_response_free(&r);
    test_user_token("demo-client", "user-read-email user-read-private", token);
    test_get(&r, "/v1/me", token);
    assert_true(emulator_json_string(r.body, "email", text, sizeof text));
    assert_string_equal(text, "demo-user@example.com");
    assert_true(emulator_json_string(r.body, "country", text, sizeof text));
    assert_string_equal(text, "SE");
    assert_true(emulator_json_string(r.body, "product", text, sizeof text));
    assert_string_equal(text, "premium");
    emulator_response_free(&r);
}

static void me_for_public_client_user(void **state)
{
    (void)state;
    char token[128], text[64];
    emulator_http_response r;
    assert_true(emulator_issue_token(&test_emu, "{\"client_id\":\"demo-public\"}", token,
                                     sizeof token, NULL, 0));
    test_get(&r, "/v1/me", token);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "id", text, sizeof text));
    assert_string_equal(text, "demo-public-user");
    emulator_response_free(&r);
}

/* GET /v1/<kind>s/<id> must answer 200 with that id and type. */
static void expect_item(const char *token, const char *kind, const char *id)
{
    char path[128], text[64];
    emulator_http_response r;
    snprintf(path, sizeof path, "/v1/%ss/%s", kind, id);
    test_get(&r, path, token);
    if (r.status != 200)
        fprintf(stderr, "%s -> %ld %s\n", path, r.status, r.body);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "id", text, sizeof text));
    assert_string_equal(text, id);
    assert_true(emulator_json_string(r.body, "type", text, sizeof text));
    assert_string_equal(text, kind);
    assert_true(emulator_json_string(r.body, "href", text, sizeof text));
    assert_true(strncmp(text, test_emu.base_url, strlen(test_emu.base_url)) == 0);
    emulator_response_free(&r);
}

static void fixtures_served(void **state)
{
    (void)state;
    char token[128];
    app_token(token);
    expect_item(token, "album", TPAB);
    expect_item(token, "album", TS_ALBUM);
    expect_item(token, "track", WESLEY);
    expect_item(token, "track", "2RM5Lx7VIp6GrLRsg2yXwW");
    expect_item(token, "artist", KENDRICK);
    expect_item(token, "artist", "2CWWgbxApjbyByxBBCvGTm");
    expect_item(token, "artist", THUNDERCAT);
}

/* Every track of an album resolves, and names the album back. */
static void album_tracks_resolve(void **state)
{
    (void)state;
    char token[128], path[128], first_track[64], album_id[64];
    emulator_http_response r;
    app_token(token);
    test_get(&r, "/v1/albums/" TPAB, token);
    const char *p = strstr(r.body, "\"tracks\"");
    assert_non_null(p);
    p = strstr(p, "\"spotify:track:");
    assert_non_null(p);
    memcpy(first_track, p + strlen("\"spotify:track:"), 22);
    first_track[22] = '\0';
    emulator_response_free(&r);
    snprintf(path, sizeof path, "/v1/tracks/%s", first_track);
    test_get(&r, path, token);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "album.id", album_id, sizeof album_id));
    assert_string_equal(album_id, TPAB);
    emulator_response_free(&r);
}

/* The last album of the catalog listing is a generated one: it and every
 * track and artist it names resolve, and its paging object is complete. */
static void generated_items_valid(void **state)
{
    (void)state;
    char token[128], path[128], id[64], type[32];
    long long total = 0, listed = 0;
    emulator_http_response r;
    app_token(token);
    assert_true(emulator_control(&test_emu, "GET", "/__emulator/catalog/albums", NULL, &r));
    assert_int_equal(r.status, 200);
    const char *last = strrchr(r.body, '{');
    assert_non_null(last);
    char entry[256];
    size_t entry_len = strcspn(last, "}") + 1;
    assert_true(entry_len < sizeof entry);
    memcpy(entry, last, entry_len);
    entry[entry_len] = '\0';
    assert_true(emulator_json_string(entry, "id", id, sizeof id));
    emulator_response_free(&r);
    snprintf(path, sizeof path, "/v1/albums/%s", id);
    test_get(&r, path, token);
    assert_int_equal(r.status, 200);
    assert_true(emulator_json_string(r.body, "album_type", type, sizeof type));
    assert_true(emulator_json_int(r.body, "total_tracks", &total));
    assert_true(emulator_json_int(r.body, "tracks.total", &listed));
    assert_int_equal(total, listed);
    assert_true(total >= 1 && total <= 8);
    char *copy = strdup(r.body);
    emulator_response_free(&r);
    for (const char *p = strstr(copy, "\"spotify:"); p != NULL; p = strstr(p + 1, "\"spotify:")) {
        char kind[16];
        const char *colon = strchr(p + 9, ':');
        size_t n = (size_t)(colon - (p + 9));
        assert_true(n < sizeof kind);
        memcpy(kind, p + 9, n);
        kind[n] = '\0';
        memcpy(id, colon + 1, 22);
        id[22] = '\0';
        expect_item(token, kind, id);
    }
    free(copy);
}

/* Walks TPAB's 16 tracks 5 at a time by following "next". */
static void album_tracks_paging(void **state)
{
    (void)state;
    char token[128], next[512], href[512];
    long long total = 0, offset = -1;
    emulator_http_response r;
    app_token(token);
    snprintf(next, sizeof next, "%s", test_url("/v1/albums/" TPAB "/tracks?limit=5&market=SE"));
    size_t pages = 0, tracks = 0;
    while (next[0] != '\0') {
        const char *path = next + strlen(test_emu.base_url);
        test_get(&r, path, token);
        assert_int_equal(r.status, 200);
        assert_true(emulator_json_int(r.body, "total", &total));
        assert_int_equal(total, 16);
        assert_true(emulator_json_int(r.body, "offset", &offset));
        assert_int_equal(offset, (long long)pages * 5);
        assert_true(emulator_json_string(r.body, "href", href, sizeof href));
        if (pages > 0) /* the first href spells out offset=0 */
            assert_string_equal(href, next);
        assert_non_null(strstr(href, "market=SE"));
        if (pages == 0)
            assert_non_null(strstr(r.body, "\"previous\":null"));
        for (const char *p = strstr(r.body, "\"type\":\"track\""); p != NULL;
             p = strstr(p + 1, "\"type\":\"track\""))
            tracks++;
        if (!emulator_json_string(r.body, "next", next, sizeof next))
            next[0] = '\0'; /* null on the last page */
        emulator_response_free(&r);
        pages++;
        assert_true(pages <= 4);
    }
    assert_int_equal(pages, 4);
    assert_int_equal(tracks, 16);
    const char *bad[] = {"?limit=0", "?limit=51", "?limit=x", "?offset=-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "/v1/albums/" TPAB "/tracks%s", bad[i]);
        test_get(&r, path, token);
        assert_int_equal(r.status, 400);
        emulator_response_free(&r);
    }
}

static void bad_ids(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    app_token(token);
    const char *bad[] = {"/v1/albums/short", "/v1/tracks/" TPAB "x", "/v1/artists/%2F%2F%2F",
                         "/v1/albums/7ycBtnsMtyVbbwTfJwRjS!"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        test_get(&r, bad[i], token);
        assert_api_error(&r, 400, "Invalid base62 id");
        emulator_response_free(&r);
    }
    const char *unknown[] = {"/v1/albums/0000000000000000000000", "/v1/tracks/" TPAB,
                             "/v1/artists/" TPAB};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        test_get(&r, unknown[i], token);
        assert_api_error(&r, 404, "Non existing id");
        emulator_response_free(&r);
    }
}

static void unknown_route_and_method(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    app_token(token);
    test_get(&r, "/v1/nothing/here", token);
    assert_api_error(&r, 404, "Service not found");
    emulator_response_free(&r);
    const char *const headers[] = {"Content-Type: application/json", NULL};
    assert_true(emulator_request(&r, "POST", test_url("/v1/albums/" TPAB), headers, "{}"));
    assert_api_error(&r, 405, "Method not allowed");
    emulator_response_free(&r);
    assert_int_equal(emulator_route_count(&test_emu, "GET", NULL, 404), 1);
}

static void body_too_large(void **state)
{
    (void)state;
    size_t size = 1024 * 1024 + 10;
    char *body = malloc(size + 1);
    assert_non_null(body);
    memset(body, 'a', size);
    body[size] = '\0';
    emulator_http_response r;
    const char *const headers[] = {"Content-Type: application/x-www-form-urlencoded", NULL};
    assert_true(emulator_request(&r, "POST", test_url("/api/token"), headers, body));
    assert_oauth_error(&r, 413, "invalid_request", NULL);
    emulator_response_free(&r);
    free(body);
}

static void head_and_preflight(void **state)
{
    (void)state;
    char token[128], auth[200];
    emulator_http_response r;
    app_token(token);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
    const char *const headers[] = {auth, NULL};
    assert_true(emulator_request(&r, "HEAD", test_url("/v1/albums/" TPAB), headers, NULL));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    assert_true(emulator_request(&r, "OPTIONS", test_url("/api/token"), NULL, NULL));
    assert_int_equal(r.status, 204);
    emulator_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(no_token, test_emu_reset),
        cmocka_unit_test_setup(wrong_scheme, test_emu_reset),
        cmocka_unit_test_setup(unknown_token, test_emu_reset),
        cmocka_unit_test_setup(expired_by_control, test_emu_reset),
        cmocka_unit_test_setup(expired_by_lifetime, test_emu_reset),
        cmocka_unit_test_setup(app_token_on_me, test_emu_reset),
        cmocka_unit_test_setup(me_fields_follow_scopes, test_emu_reset),
        cmocka_unit_test_setup(me_for_public_client_user, test_emu_reset),
        cmocka_unit_test_setup(fixtures_served, test_emu_reset),
        cmocka_unit_test_setup(album_tracks_resolve, test_emu_reset),
        cmocka_unit_test_setup(generated_items_valid, test_emu_reset),
        cmocka_unit_test_setup(album_tracks_paging, test_emu_reset),
        cmocka_unit_test_setup(bad_ids, test_emu_reset),
        cmocka_unit_test_setup(unknown_route_and_method, test_emu_reset),
        cmocka_unit_test_setup(body_too_large, test_emu_reset),
        cmocka_unit_test_setup(head_and_preflight, test_emu_reset),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
