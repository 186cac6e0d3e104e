/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_api_playlists.c - playlists: the seeded list, the 137-item playlist
 * paged through "next", create -> add -> read -> reorder -> remove with
 * snapshot ids changing on every write, details, owner-only writes,
 * scopes, validation (ids, uris, bodies, limits) and reset.
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
#define WESLEY "7Ks4VCY1wFebnOdJrM13t6"
#define INSTITUTIONALIZED "4oFtLSgHyZPNYDCcANhTnO"
#define RW "playlist-read-private playlist-modify-public playlist-modify-private"

/* Parses a response body (the arena owns the document). */
static spotify__json parse(spotify__arena *arena, const emulator_http_response *r)
{
    spotify__json root;
    spotify_error err = {0};
    assert_int_equal(spotify__json_parse(&root, arena, r->body, r->body_len, r->body_len, &err),
                     SPOTIFY_OK);
    return root;
}

/* The id of the first playlist of the token's user ("Demo Mix", 137 items). */
static void first_playlist(const char *token, char id[23])
{
    emulator_http_response r;
    test_send(&r, "GET", "/v1/me/playlists?limit=1", token, NULL);
    assert_int_equal(r.status, 200);
    const char *p = strstr(r.body, "\"id\":\"");
    assert_non_null(strstr(r.body, "\"name\":\"Demo Mix\""));
    /* the first "id" member in a simplified playlist is the playlist's own */
    assert_non_null(p);
    memcpy(id, p + 6, 22);
    id[22] = '\0';
    emulator_response_free(&r);
}

/* The snapshot_id member of a body. */
static void snapshot_of(const emulator_http_response *r, char out[64])
{
    assert_true(emulator_json_string(r->body, "snapshot_id", out, 64));
}

static void my_playlists_seeded(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    test_user_token("demo-client", RW, token);
    test_send(&r, "GET", "/v1/me/playlists", token, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"total\":3"));
    assert_non_null(strstr(r.body, "\"owner\":{\"display_name\":\"Demo User\""));
    assert_non_null(strstr(r.body, "\"items\":{\"href\""));
    emulator_response_free(&r);
    test_user_token("demo-client", "user-read-email", token);
    test_send(&r, "GET", "/v1/me/playlists", token, NULL);
    assert_api_error(&r, 403, "Insufficient client scope");
    emulator_response_free(&r);
    assert_true(emulator_issue_token(&test_emu, "{\"user\":false}", token, 128, NULL, 0));
    test_send(&r, "GET", "/v1/me/playlists", token, NULL);
    assert_api_error(&r, 403, "Insufficient client scope");
    emulator_response_free(&r);
}

/* 137 items, 50 at a time through next: distinct positions, exact total. */
static void items_paging(void **state)
{
    (void)state;
    char token[128], id[23], next[1024], path[128];
    emulator_http_response r;
    spotify__arena *arena = spotify__arena_new(0);
    test_user_token("demo-client", RW, token);
    first_playlist(token, id);
    snprintf(path, sizeof path, "/v1/playlists/%s", id);
    test_send(&r, "GET", path, token, NULL);
    assert_int_equal(r.status, 200);
    spotify__json pl = parse(arena, &r);
    spotify__json items = spotify__json_get(pl, "items");
    int64_t total = 0;
    assert_true(spotify__json_get_int64(spotify__json_get(items, "total"), &total));
    assert_int_equal(total, 137);
    assert_int_equal(spotify__json_count(spotify__json_get(items, "items")), 100);
    emulator_response_free(&r);
    snprintf(next, sizeof next, "%s", test_url(path));
    snprintf(next + strlen(next), sizeof next - strlen(next), "/items?limit=50");
    size_t count = 0;
    int pages = 0;
    while (next[0] != '\0') {
        test_send(&r, "GET", next + strlen(test_emu.base_url), token, NULL);
        assert_int_equal(r.status, 200);
        spotify__json page = parse(arena, &r);
        spotify__json list = spotify__json_get(page, "items");
        for (spotify__json e = spotify__json_first(list); spotify__json_valid(e);
             e = spotify__json_next(e)) {
            assert_true(spotify__json_valid(spotify__json_get(e, "item")));
            assert_true(spotify__json_valid(spotify__json_get(e, "added_by")));
            count++;
        }
        const char *link;
        size_t len;
        if (spotify__json_get_string(spotify__json_get(page, "next"), &link, &len))
            snprintf(next, sizeof next, "%s", link);
        else
            next[0] = '\0';
        emulator_response_free(&r);
        pages++;
    }
    assert_int_equal(count, 137);
    assert_int_equal(pages, 3);
    snprintf(path, sizeof path, "/v1/playlists/%s/items?limit=51", id);
    test_send(&r, "GET", path, token, NULL);
    assert_api_error(&r, 400, "Invalid limit");
    emulator_response_free(&r);
    spotify__arena_free(arena);
}

/* Creates a private playlist named `name`; its id goes to `id`. */
static void create(const char *token, const char *body, char id[64])
{
    emulator_http_response r;
    test_send(&r, "POST", "/v1/me/playlists", token, body);
    assert_int_equal(r.status, 201);
    assert_true(emulator_json_string(r.body, "id", id, 64));
    assert_non_null(strstr(r.body, "\"total\":0"));
    emulator_response_free(&r);
}

static void create_add_reorder_remove(void **state)
{
    (void)state;
    char token[128], id[64], path[256], s0[64], s1[64], s2[64], s3[64];
    emulator_http_response r;
    test_user_token("demo-client", RW, token);
    create(token, "{\"name\":\"Mine\",\"public\":false,\"description\":\"d\"}", id);
    test_send(&r, "GET", "/v1/me/playlists?limit=1", token, NULL);
    assert_non_null(strstr(r.body, id)); /* new playlists come first */
    assert_non_null(strstr(r.body, "\"total\":4"));
    emulator_response_free(&r);
    snprintf(path, sizeof path, "/v1/playlists/%s", id);
    test_send(&r, "GET", path, token, NULL);
    snapshot_of(&r, s0);
    emulator_response_free(&r);
    snprintf(path, sizeof path, "/v1/playlists/%s/items", id);
    test_send(&r, "POST", path, token,
              "{\"uris\":[\"spotify:track:" KING_KUNTA "\",\"spotify:track:" WESLEY "\"]}");
    assert_int_equal(r.status, 201);
    snapshot_of(&r, s1);
    emulator_response_free(&r);
    snprintf(path, sizeof path,
             "/v1/playlists/%s/items?uris=spotify:track:" INSTITUTIONALIZED "&position=0", id);
    test_send(&r, "POST", path, token, NULL);
    assert_int_equal(r.status, 201);
    snapshot_of(&r, s2);
    emulator_response_free(&r);
    assert_string_not_equal(s0, s1);
    assert_string_not_equal(s1, s2);
    snprintf(path, sizeof path, "/v1/playlists/%s/items", id);
    test_send(&r, "GET", path, token, NULL);
    const char *a = strstr(r.body, INSTITUTIONALIZED), *b = strstr(r.body, KING_KUNTA),
               *c = strstr(r.body, WESLEY);
    assert_true(a != NULL && b != NULL && c != NULL && a < b && b < c);
    assert_non_null(strstr(r.body, "\"total\":3"));
    emulator_response_free(&r);
    /* move the last item first */
    test_send(&r, "PUT", path, token, "{\"range_start\":2,\"insert_before\":0}");
    assert_int_equal(r.status, 200);
    snapshot_of(&r, s3);
    assert_string_not_equal(s2, s3);
    emulator_response_free(&r);
    test_send(&r, "GET", path, token, NULL);
    a = strstr(r.body, WESLEY);
    b = strstr(r.body, INSTITUTIONALIZED);
    assert_true(a != NULL && b != NULL && a < b);
    emulator_response_free(&r);
    test_send(&r, "DELETE", path, token,
              "{\"items\":[{\"uri\":\"spotify:track:" WESLEY "\"}],\"snapshot_id\":\"x\"}");
    assert_int_equal(r.status, 200);
    snapshot_of(&r, s0);
    assert_string_not_equal(s0, s3);
    emulator_response_free(&r);
    test_send(&r, "GET", path, token, NULL);
    assert_null(strstr(r.body, WESLEY));
    assert_non_null(strstr(r.body, "\"total\":2"));
    emulator_response_free(&r);
    /* replace */
    test_send(&r, "PUT", path, token, "{\"uris\":[\"spotify:track:" WESLEY "\"]}");
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    test_send(&r, "GET", path, token, NULL);
    assert_non_null(strstr(r.body, "\"total\":1"));
    assert_null(strstr(r.body, KING_KUNTA));
    emulator_response_free(&r);
}

static void change_details(void **state)
{
    (void)state;
    char token[128], id[23], path[128];
    emulator_http_response r;
    test_user_token("demo-client", RW, token);
    first_playlist(token, id);
    snprintf(path, sizeof path, "/v1/playlists/%s", id);
    test_send(&r, "PUT", path, token, "{\"name\":\"Renamed\",\"public\":false}");
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    test_send(&r, "GET", path, token, NULL);
    assert_non_null(strstr(r.body, "\"name\":\"Renamed\""));
    assert_non_null(strstr(r.body, "\"public\":false"));
    emulator_response_free(&r);
    test_send(&r, "PUT", path, token, "{\"name\":5}");
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);
    test_send(&r, "PUT", path, token, "not json");
    assert_api_error(&r, 400, "Error parsing JSON.");
    emulator_response_free(&r);
}

/* Only the owner writes; scope follows visibility. */
static void owner_and_scopes(void **state)
{
    (void)state;
    char token[128], other[128], id[23], path[128];
    emulator_http_response r;
    test_user_token("demo-client", RW, token);
    first_playlist(token, id);
    test_user_token("demo-public", RW, other);
    snprintf(path, sizeof path, "/v1/playlists/%s/items", id);
    test_send(&r, "POST", path, other, "{\"uris\":[\"spotify:track:" WESLEY "\"]}");
    assert_int_equal(r.status, 403);
    emulator_response_free(&r);
    test_send(&r, "GET", path, other, NULL);
    assert_int_equal(r.status, 403); /* items: owner or collaborator only */
    emulator_response_free(&r);
    snprintf(path, sizeof path, "/v1/playlists/%s", id);
    test_send(&r, "GET", path, other, NULL);
    assert_int_equal(r.status, 200); /* anyone may read the playlist */
    emulator_response_free(&r);
    test_user_token("demo-client", "playlist-modify-private", token);
    snprintf(path, sizeof path, "/v1/playlists/%s/items", id);
    test_send(&r, "POST", path, token, "{\"uris\":[\"spotify:track:" WESLEY "\"]}");
    assert_api_error(&r, 403, "Insufficient client scope"); /* Demo Mix is public */
    emulator_response_free(&r);
    test_send(&r, "POST", "/v1/me/playlists", token, "{\"name\":\"x\"}");
    assert_api_error(&r, 403, "Insufficient client scope"); /* public by default */
    emulator_response_free(&r);
    test_send(&r, "POST", "/v1/me/playlists", token, "{\"name\":\"x\",\"public\":false}");
    assert_int_equal(r.status, 201);
    emulator_response_free(&r);
}

static void validation(void **state)
{
    (void)state;
    char token[128], id[23], path[128], body[8192];
    emulator_http_response r;
    test_user_token("demo-client", RW, token);
    first_playlist(token, id);
    test_send(&r, "GET", "/v1/playlists/short", token, NULL);
    assert_api_error(&r, 400, "Invalid base62 id");
    emulator_response_free(&r);
    test_send(&r, "GET", "/v1/playlists/0000000000000000000000", token, NULL);
    assert_api_error(&r, 404, "Non existing id");
    emulator_response_free(&r);
    test_send(&r, "POST", "/v1/me/playlists", token, "{\"public\":false}");
    assert_int_equal(r.status, 400); /* name is required */
    emulator_response_free(&r);
    test_send(&r, "POST", "/v1/me/playlists", token, NULL);
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);
    snprintf(path, sizeof path, "/v1/playlists/%s/items", id);
    const char *bad[] = {"{\"uris\":[\"spotify:album:" WESLEY "\"]}", "{\"uris\":[\"nope\"]}",
                         "{\"uris\":[]}", "{}",
                         "{\"uris\":[\"spotify:track:" WESLEY "\"],\"position\":999}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        test_send(&r, "POST", path, token, bad[i]);
        assert_int_equal(r.status, 400);
        emulator_response_free(&r);
    }
    test_send(&r, "POST", path, token, "{\"uris\":[\"spotify:track:0000000000000000000000\"]}");
    assert_api_error(&r, 404, "Non existing id");
    emulator_response_free(&r);
    size_t n = (size_t)snprintf(body, sizeof body, "{\"uris\":[");
    for (int i = 0; i < 101; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, "%s\"spotify:track:%s\"", i ? "," : "",
                              WESLEY);
    snprintf(body + n, sizeof body - n, "]}");
    test_send(&r, "POST", path, token, body);
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);
    test_send(&r, "DELETE", path, token, "{\"snapshot_id\":\"x\"}");
    assert_int_equal(r.status, 400); /* items is required */
    emulator_response_free(&r);
    test_send(&r, "PUT", path, token, "{\"range_start\":200,\"insert_before\":0}");
    assert_int_equal(r.status, 400);
    emulator_response_free(&r);
}

static void reset_restores_playlists(void **state)
{
    (void)state;
    char token[128], id[64];
    emulator_http_response r;
    test_user_token("demo-client", RW, token);
    create(token, "{\"name\":\"Temp\",\"public\":false}", id);
    assert_true(emulator_reset(&test_emu));
    test_user_token("demo-client", RW, token);
    test_send(&r, "GET", "/v1/me/playlists", token, NULL);
    assert_non_null(strstr(r.body, "\"total\":3"));
    assert_null(strstr(r.body, id));
    emulator_response_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(my_playlists_seeded, test_emu_reset),
        cmocka_unit_test_setup(items_paging, test_emu_reset),
        cmocka_unit_test_setup(create_add_reorder_remove, test_emu_reset),
        cmocka_unit_test_setup(change_details, test_emu_reset),
        cmocka_unit_test_setup(owner_and_scopes, test_emu_reset),
        cmocka_unit_test_setup(validation, test_emu_reset),
        cmocka_unit_test_setup(reset_restores_playlists, test_emu_reset),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
