/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_search.c - GET /v1/search as Spotify answers it: the quality table
 * of docs/emulator.md ("Search quality", read from the file, so the
 * documentation cannot drift), every word matching names, artist and
 * album names, prefixes, accents, phrases, exclusions, each field filter
 * and the types it applies to, tag:new and tag:hipster against the
 * catalog, relevance order, paging bounds and market filtering.
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

#include "core/strbuf.h"
#include "core/urlencode.h"
#include "helpers.h"
#include "json/json.h"

static char app_tok[128];

/* GET /v1/search with q, type and extra query text ("&limit=1"); the
 * parsed body (owned by `arena`), status in *status. */
static spotify__json search(spotify__arena *arena, const char *q, const char *type,
                            const char *extra, long *status)
{
    spotify__strbuf path = SPOTIFY__STRBUF_INIT;
    spotify__param params[] = {{"q", q}, {"type", type}};
    spotify__strbuf_append_str(&path, "/v1/search?");
    assert_true(spotify__form_encode(&path, params, 2));
    spotify__strbuf_append_str(&path, extra);
    emulator_http_response r;
    test_send(&r, "GET", spotify__strbuf_cstr(&path), app_tok, NULL);
    spotify__strbuf_release(&path);
    *status = r.status;
    spotify__json root = {0};
    spotify_error err = {0};
    char *copy = spotify__arena_strndup(arena, r.body, r.body_len);
    assert_int_equal(spotify__json_parse(&root, arena, copy, r.body_len, r.body_len, &err),
                     SPOTIFY_OK);
    emulator_response_free(&r);
    return root;
}

/* The paging object of the single type of a 200 answer. */
static spotify__json page_of(spotify__arena *arena, const char *q, const char *type,
                             const char *extra)
{
    long status;
    char key[32];
    spotify__json root = search(arena, q, type, extra, &status);
    if (status != 200)
        fail_msg("q=%s type=%s%s -> %ld", q, type, extra, status);
    snprintf(key, sizeof key, "%ss", type);
    spotify__json page = spotify__json_get(root, key);
    assert_true(spotify__json_valid(page));
    return page;
}

static long long int_of(spotify__json obj, const char *key)
{
    int64_t n = -1;
    assert_true(spotify__json_get_int64(spotify__json_get(obj, key), &n));
    return n;
}

static long long total_of(spotify__arena *arena, const char *q, const char *type)
{
    return int_of(page_of(arena, q, type, ""), "total");
}

/* Copies string member `key` of `obj` into `out`. */
static void string_of(spotify__json obj, const char *key, char *out, size_t size)
{
    const char *s;
    size_t len;
    assert_true(spotify__json_get_string(spotify__json_get(obj, key), &s, &len));
    assert_true(len < size);
    memcpy(out, s, len);
    out[len] = '\0';
}

/* The text between the first pair of backticks of `cell` (or the trimmed
 * cell) into `out`. */
static void cell_text(const char *cell, size_t len, char *out, size_t size)
{
    const char *tick = memchr(cell, '`', len);
    const char *end = tick == NULL ? NULL : memchr(tick + 1, '`', len - (size_t)(tick + 1 - cell));
    if (end != NULL) {
        cell = tick + 1;
        len = (size_t)(end - cell);
    }
    while (len > 0 && cell[0] == ' ')
        cell++, len--;
    while (len > 0 && cell[len - 1] == ' ')
        len--;
    assert_true(len < size);
    memcpy(out, cell, len);
    out[len] = '\0';
}

static void quality_table(void **state)
{
    (void)state;
    FILE *f = fopen(EMULATOR_DOCS, "r");
    assert_non_null(f);
    char line[1024];
    bool in_section = false;
    int rows = 0, header = 0;
    spotify__arena *arena = spotify__arena_new(0);
    while (fgets(line, sizeof line, f) != NULL) {
        if (strncmp(line, "### Search quality", 18) == 0) {
            in_section = true;
            continue;
        }
        if (!in_section)
            continue;
        if (line[0] == '#')
            break;
        if (line[0] != '|')
            continue;
        if (header++ < 2) /* the header row and the --- row */
            continue;
        const char *cells[5];
        size_t lens[5], n = 0;
        for (const char *p = line + 1; n < 5 && *p != '\0' && *p != '\n';) {
            const char *bar = strchr(p, '|');
            if (bar == NULL)
                break;
            cells[n] = p;
            lens[n++] = (size_t)(bar - p);
            p = bar + 1;
        }
        assert_true(n >= 3);
        char q[256], type[32], want[128], got[128];
        cell_text(cells[0], lens[0], q, sizeof q);
        cell_text(cells[1], lens[1], type, sizeof type);
        cell_text(cells[2], lens[2], want, sizeof want);
        spotify__json page = page_of(arena, q, type, "&limit=1");
        spotify__json first = spotify__json_first(spotify__json_get(page, "items"));
        if (!spotify__json_valid(first))
            fail_msg("q=%s type=%s: no result, expected \"%s\"", q, type, want);
        string_of(first, "name", got, sizeof got);
        if (strcmp(got, want) != 0)
            fail_msg("q=%s type=%s: top result \"%s\", expected \"%s\"", q, type, got, want);
        rows++;
    }
    fclose(f);
    spotify__arena_free(arena);
    print_message("# %d queries of the search quality table checked\n", rows);
    assert_true(rows >= 15);
}

/* Every word must match a whole word (the last one a prefix), in the name
 * or an artist's or album's name. */
static void words_match_names(void **state)
{
    (void)state;
    spotify__arena *arena = spotify__arena_new(0);
    assert_int_equal(total_of(arena, "kendrick", "track"), 16); /* every TPAB track */
    assert_int_equal(total_of(arena, "kendrick", "album"), 1);
    assert_int_equal(total_of(arena, "kendrick lamar", "track"), 16);
    assert_int_equal(total_of(arena, "kendrick  butterfly", "track"), 16); /* the album's name */
    assert_int_equal(total_of(arena, "kendrick kunta", "track"), 1);
    assert_int_equal(total_of(arena, "kendric lamar", "track"), 0); /* not the last word */
    assert_int_equal(total_of(arena, "kin kunta", "track"), 0);
    assert_int_equal(total_of(arena, "kendrick xyzzy", "track"), 0);
    assert_int_equal(total_of(arena, "\"king kunta\" ", "track"), 1);
    assert_int_equal(total_of(arena, "\"king kun\"", "track"), 0); /* quoted: whole words */
    assert_int_equal(total_of(arena, "\"pimp to\"", "album"), 0);  /* in that order */
    assert_int_equal(total_of(arena, "kendrick alright", "album"), 0);
    assert_int_equal(total_of(arena, "NÏLS CASTAÑO", "artist"), 1);
    assert_int_equal(total_of(arena, "nils castano", "artist"), 1);
    assert_int_equal(total_of(arena, "Wesley’s", "track"), 1); /* U+2019 apostrophe */
    assert_int_equal(total_of(arena, "kendrick -kunta NOT alright", "track"), 14);
    assert_int_equal(total_of(arena, "-kendrick", "artist"), 69); /* all 70 but one */
    spotify__arena_free(arena);
}

/* Each filter where it applies; elsewhere no results. */
static void filters_by_type(void **state)
{
    (void)state;
    spotify__arena *arena = spotify__arena_new(0);
    assert_int_equal(total_of(arena, "artist:kendrick", "track"), 16);
    assert_int_equal(total_of(arena, "artist:\"kendrick lamar\"", "artist"), 1);
    assert_int_equal(total_of(arena, "artist:kendrick", "show"), 0);
    assert_int_equal(total_of(arena, "album:butterfly", "track"), 16);
    assert_int_equal(total_of(arena, "album:butterfly", "artist"), 0);
    assert_int_equal(total_of(arena, "track:kunta", "track"), 1);
    assert_int_equal(total_of(arena, "track:kunta", "album"), 0);
    assert_int_equal(total_of(arena, "genre:metal", "artist"), 1);
    assert_int_equal(total_of(arena, "genre:metal", "album"), 0);
    assert_int_equal(total_of(arena, "genre:west-coast-hip-hop", "track"), 16); /* words */
    assert_int_equal(total_of(arena, "-genre:metal artist:katatonia", "album"), 1);
    assert_int_equal(total_of(arena, "isrc:usum71502491", "track"), 1);
    assert_int_equal(total_of(arena, "isrc:USUM71502491", "album"), 0);
    assert_int_equal(total_of(arena, "upc:00602547289049", "album"), 1);
    assert_int_equal(total_of(arena, "year:2015 kendrick", "track"), 16);
    assert_int_equal(total_of(arena, "year:2014 kendrick", "track"), 0);
    assert_int_equal(total_of(arena, "year:2010-2019 artist:kendrick", "album"), 1);
    assert_int_equal(total_of(arena, "year:2015 kendrick", "artist"), 1);
    assert_int_equal(total_of(arena, "year:twenty", "album"), 0);
    assert_int_equal(total_of(arena, "-year:2015 kendrick", "album"), 0);
    spotify__arena_free(arena);
}

/* Days since the epoch of "YYYY-MM-DD". */
static long long day_of(const char *date)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    assert_non_null(strptime(date, "%Y-%m-%d", &tm));
    return (long long)timegm(&tm) / 86400;
}

/* The popularity of every album, from the full objects. */
static size_t album_popularities(spotify__arena *arena, char ids[][23], int *pop, size_t max)
{
    emulator_http_response r;
    test_send(&r, "GET", "/__emulator/catalog/albums", app_tok, NULL);
    spotify__json list;
    spotify_error err = {0};
    char *copy = spotify__arena_strndup(arena, r.body, r.body_len);
    assert_int_equal(spotify__json_parse(&list, arena, copy, r.body_len, r.body_len, &err),
                     SPOTIFY_OK);
    emulator_response_free(&r);
    size_t n = 0;
    for (spotify__json a = spotify__json_first(list); spotify__json_valid(a) && n < max;
         a = spotify__json_next(a))
        string_of(a, "id", ids[n++], 23);
    for (size_t i = 0; i < n; i++) {
        char path[64];
        snprintf(path, sizeof path, "/v1/albums/%.22s", ids[i]);
        test_send(&r, "GET", path, app_tok, NULL);
        long long p = -1;
        assert_true(emulator_json_int(r.body, "popularity", &p));
        pop[i] = (int)p;
        emulator_response_free(&r);
    }
    return n;
}

/* tag:new: the albums of the last two weeks; tag:hipster: the least
 * popular tenth. */
static void tags(void **state)
{
    (void)state;
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json page = page_of(arena, "tag:new", "album", "&limit=50");
    assert_int_equal(int_of(page, "total"), 3);
    long long today = (long long)time(NULL) / 86400;
    for (spotify__json a = spotify__json_first(spotify__json_get(page, "items"));
         spotify__json_valid(a); a = spotify__json_next(a)) {
        char date[16];
        string_of(a, "release_date", date, sizeof date);
        long long age = today - day_of(date);
        assert_true(age >= 0 && age <= 14);
    }
    assert_int_equal(total_of(arena, "tag:new", "track"), 0);

    static char ids[256][23];
    static int pop[256];
    size_t n = album_popularities(arena, ids, pop, 256);
    assert_int_equal(n, 202);
    page = page_of(arena, "tag:hipster", "album", "&limit=50");
    assert_int_equal(int_of(page, "total"), 20);
    int hipster_max = -1;
    for (spotify__json a = spotify__json_first(spotify__json_get(page, "items"));
         spotify__json_valid(a); a = spotify__json_next(a)) {
        char id[23];
        string_of(a, "id", id, sizeof id);
        for (size_t i = 0; i < n; i++)
            if (strcmp(ids[i], id) == 0 && pop[i] > hipster_max)
                hipster_max = pop[i];
    }
    size_t below = 0; /* albums strictly less popular than the most popular hipster one */
    for (size_t i = 0; i < n; i++)
        below += pop[i] < hipster_max;
    assert_true(hipster_max >= 0);
    assert_true(below < 20); /* the 20 hipster albums are the least popular */
    spotify__arena_free(arena);
}

/* The exact name first, then popularity. */
static void ranking(void **state)
{
    (void)state;
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json page = page_of(arena, "kendrick", "track", "&limit=16");
    long long last = 101;
    for (spotify__json t = spotify__json_first(spotify__json_get(page, "items"));
         spotify__json_valid(t); t = spotify__json_next(t)) {
        long long p = int_of(t, "popularity");
        assert_true(p <= last);
        last = p;
    }
    page = page_of(arena, "island", "track", "&limit=3");
    char name[64];
    string_of(spotify__json_first(spotify__json_get(page, "items")), "name", name, sizeof name);
    assert_string_equal(name, "Island"); /* the one-word name, not "Broken Island" */
    spotify__arena_free(arena);
}

/* limit 0-50, offset 0-1000; next stops at 1000; total is true. */
static void paging_bounds(void **state)
{
    (void)state;
    spotify__arena *arena = spotify__arena_new(0);
    spotify__json page = page_of(arena, "-xyzzy", "track", "&limit=0");
    assert_int_equal(int_of(page, "total"), 1052); /* every track */
    assert_int_equal(spotify__json_count(spotify__json_get(page, "items")), 0);
    assert_int_equal(spotify__json_type_of(spotify__json_get(page, "next")), SPOTIFY__JSON_NULL);
    page = page_of(arena, "-xyzzy", "track", "&limit=50&offset=950");
    assert_int_equal(spotify__json_count(spotify__json_get(page, "items")), 50);
    assert_int_equal(spotify__json_type_of(spotify__json_get(page, "next")), SPOTIFY__JSON_STRING);
    page = page_of(arena, "-xyzzy", "track", "&limit=50&offset=1000");
    assert_int_equal(spotify__json_type_of(spotify__json_get(page, "next")), SPOTIFY__JSON_NULL);
    page = page_of(arena, "-xyzzy", "track", "&include_external=audio");
    assert_int_equal(int_of(page, "limit"), 5);
    long status;
    search(arena, "-xyzzy", "track", "&limit=51", &status);
    assert_int_equal(status, 400);
    search(arena, "-xyzzy", "track", "&offset=1001", &status);
    assert_int_equal(status, 400);
    spotify__arena_free(arena);
}

/* market filters albums and tracks (from_token: the user's country);
 * artists have no markets. */
static void market_filter(void **state)
{
    (void)state;
    spotify__arena *arena = spotify__arena_new(0);
    long long all = int_of(page_of(arena, "a", "track", ""), "total");
    spotify__json page = page_of(arena, "a", "track", "&market=BR&limit=50");
    long long br = int_of(page, "total");
    assert_true(br > 0 && br < all); /* the fixture tracks only */
    for (spotify__json t = spotify__json_first(spotify__json_get(page, "items"));
         spotify__json_valid(t); t = spotify__json_next(t)) {
        bool playable = false;
        assert_true(spotify__json_get_bool(spotify__json_get(t, "is_playable"), &playable));
        assert_true(playable);
    }
    assert_int_equal(int_of(page_of(arena, "a", "track", "&market=SE"), "total"), all);
    assert_int_equal(int_of(page_of(arena, "a", "artist", "&market=BR"), "total"),
                     int_of(page_of(arena, "a", "artist", ""), "total"));
    assert_int_equal(int_of(page_of(arena, "kendrick", "album", "&market=BR"), "total"), 1);
    /* from_token: demo-user is in SE, demo-public-user in US */
    char user[128];
    test_user_token("demo-client", "user-read-private", user);
    emulator_http_response r;
    test_send(&r, "GET", "/v1/search?q=a&type=track&market=from_token&limit=1", user, NULL);
    assert_int_equal(r.status, 200);
    long long total = -1;
    assert_true(emulator_json_int(r.body, "tracks.total", &total));
    assert_int_equal(total, all);
    emulator_response_free(&r);
    spotify__arena_free(arena);
}

/* Public playlists by name, normalized as they are now. */
static void playlists(void **state)
{
    (void)state;
    assert_true(
        emulator_issue_token(&test_emu, "{\"user\":false}", app_tok, sizeof app_tok, NULL, 0));
    spotify__arena *arena = spotify__arena_new(0);
    assert_int_equal(total_of(arena, "road trip", "playlist"), 2);
    assert_int_equal(total_of(arena, "focus", "playlist"), 0); /* private */
    char user[128];
    test_user_token("demo-client", "playlist-modify-public", user);
    emulator_http_response r;
    test_send(&r, "POST", "/v1/me/playlists", user, "{\"name\":\"Café Müller\"}");
    assert_int_equal(r.status, 201);
    emulator_response_free(&r);
    spotify__json page = page_of(arena, "cafe MULLER", "playlist", "");
    assert_int_equal(int_of(page, "total"), 1);
    spotify__arena_free(arena);
}

static int setup(void **state)
{
    if (test_emu_group_setup(state) != 0)
        return -1;
    return emulator_issue_token(&test_emu, "{\"user\":false}", app_tok, sizeof app_tok, NULL, 0)
               ? 0
               : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quality_table),   cmocka_unit_test(words_match_names),
        cmocka_unit_test(filters_by_type), cmocka_unit_test(tags),
        cmocka_unit_test(ranking),         cmocka_unit_test(paging_bounds),
        cmocka_unit_test(market_filter),   cmocka_unit_test_setup(playlists, test_emu_reset),
    };
    return cmocka_run_group_tests(tests, setup, test_emu_group_teardown);
}
