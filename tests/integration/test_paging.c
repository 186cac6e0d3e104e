/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_paging.c - pagers and collect against the test server: a 137-item
 * offset-paged list served page by page with real `next` links, a
 * cursor-paged list, the largest page size asked for unless told
 * otherwise, `next` followed exactly as sent, a `next` at another origin
 * refused before the token leaves, failures mid-list, collect up to N, and
 * flat memory (a counting allocator sees one page at a time).
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

#include "core/arena.h"
#include "test_server.h"
#include "test_util.h"

#define ALBUM "4aawyAB9vmqN3uQ7FjRGTy"
#define TRACKS_PATH "/albums/" ALBUM "/tracks"

/* ---------- a counting allocator (installed in main) ---------- */

typedef union header {
    size_t size;
    max_align_t align;
} header;

static size_t live_bytes; /* SDK and libcurl allocations, client thread only */

static void *count_malloc(size_t size)
{
    header *h = malloc(sizeof *h + size);
    if (h == NULL)
        return NULL;
    h->size = size;
    __atomic_add_fetch(&live_bytes, size, __ATOMIC_RELAXED);
    return h + 1;
}

static void count_free(void *ptr)
{
    if (ptr == NULL)
        return;
    header *h = (header *)ptr - 1;
    __atomic_sub_fetch(&live_bytes, h->size, __ATOMIC_RELAXED);
    free(h);
}

static void *count_realloc(void *ptr, size_t size)
{
    if (ptr == NULL)
        return count_malloc(size);
    header *old = (header *)ptr - 1;
    size_t old_size = old->size;
    header *h = realloc(old, sizeof *h + size);
    if (h == NULL)
        return NULL;
    h->size = size;
    __atomic_sub_fetch(&live_bytes, old_size, __ATOMIC_RELAXED);
    __atomic_add_fetch(&live_bytes, size, __ATOMIC_RELAXED);
    return h + 1;
}

/* ---------- fixture ---------- */

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
    f->opts.access_token = "token";
    f->opts.clock = &f->clock_hooks;
    f->opts.retry.max_retries = SPOTIFY_RETRY_NONE;
    spotify_error err = {0};
    assert_int_equal(spotify_client_new(&f->client, &f->opts, &err), SPOTIFY_OK);
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

/* ---------- pages ---------- */

/* A page of simplified tracks [offset, offset + limit) of `total`, each item
 * padded with `pad` bytes; `next` is the next page's URL or NULL. */
static char *track_page(int offset, int limit, int total, const char *next, size_t pad)
{
    size_t cap = 512 + (size_t)limit * (160 + pad);
    char *page = malloc(cap);
    char *filler = malloc(pad + 1);
    memset(filler, 'x', pad);
    filler[pad] = '\0';
    size_t at = (size_t)snprintf(page, cap, "{\"href\":\"h\",\"items\":[");
    int end = offset + limit < total ? offset + limit : total;
    for (int i = offset; i < end; i++)
        at += (size_t)snprintf(page + at, cap - at,
                               "%s{\"name\":\"track %d\",\"track_number\":%d,\"uri\":\"%s\"}",
                               i > offset ? "," : "", i, i, filler);
    char next_json[512];
    if (next != NULL)
        snprintf(next_json, sizeof next_json, "\"%s\"", next);
    else
        snprintf(next_json, sizeof next_json, "null");
    snprintf(page + at, cap - at,
             "],\"limit\":%d,\"next\":%s,\"offset\":%d,\"previous\":null,\"total\":%d}", limit,
             next_json, offset, total);
    free(filler);
    return page;
}

/* Queues a `total`-item album track list in pages of `limit`, with next
 * links at `origin` (NULL: the server's own). */
static void serve_tracks(fixture *f, int total, int limit, const char *origin, size_t pad)
{
    if (origin == NULL)
        origin = test_server_url(f->server);
    for (int offset = 0; offset < total; offset += limit) {
        char next[256];
        bool last = offset + limit >= total;
        snprintf(next, sizeof next, "%s" TRACKS_PATH "?offset=%d&limit=%d", origin, offset + limit,
                 limit);
        char *page = track_page(offset, limit, total, last ? NULL : next, pad);
        test_response r = {.status = 200, .body = page};
        test_server_enqueue(f->server, TRACKS_PATH, &r);
        free(page);
    }
}

static const char *query_of(fixture *f, int n, char *buf, size_t size)
{
    test_request r;
    assert_true(test_server_request(f->server, n, &r));
    snprintf(buf, size, "%s", r.query);
    test_request_free(&r);
    return buf;
}

/* ---------- tests ---------- */

static void test_offset_paging_137_items(void **state)
{
    fixture *f = *state;
    serve_tracks(f, 137, 50, NULL, 0);
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = "spotify:album:" ALBUM;
    a.market = "SE";
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_albums_list_tracks_pager(&pager, f->client, &a, &err), SPOTIFY_OK);
    /* nothing is fetched before the first item is asked for */
    assert_int_equal(test_server_count(f->server, NULL), 0);
    assert_int_equal(spotify_pager_total(pager), -1);
    assert_null(spotify_pager_page(pager));
    const void *item;
    int n = 0;
    spotify_status st;
    while ((st = spotify_pager_next_item(&item, pager, &err)) == SPOTIFY_OK && item != NULL) {
        const spotify_simplified_track *t = item;
        char want[32];
        snprintf(want, sizeof want, "track %d", n);
        assert_string_equal(t->name, want);
        assert_int_equal(t->track_number, n);
        /* pages are fetched only when needed */
        assert_int_equal(spotify_pager_pages(pager), (size_t)(n / 50 + 1));
        n++;
    }
    assert_int_equal(st, SPOTIFY_OK);
    assert_int_equal(n, 137);
    assert_int_equal(spotify_pager_total(pager), 137);
    const spotify_paging_simplified_track *page = spotify_pager_page(pager);
    assert_int_equal(page->offset, 100);
    /* the end stays the end */
    assert_int_equal(spotify_pager_next_item(&item, pager, &err), SPOTIFY_OK);
    assert_null(item);
    spotify_pager_free(pager);

    /* the largest page first, then `next` exactly as sent */
    assert_int_equal(test_server_count(f->server, TRACKS_PATH), 3);
    char q[256];
    assert_string_equal(query_of(f, 0, q, sizeof q), "market=SE&limit=50");
    assert_string_equal(query_of(f, 1, q, sizeof q), "offset=50&limit=50");
    assert_string_equal(query_of(f, 2, q, sizeof q), "offset=100&limit=50");
}

static void test_page_size_when_told(void **state)
{
    fixture *f = *state;
    serve_tracks(f, 20, 7, NULL, 0);
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = ALBUM;
    a.limit = 7;
    a.offset = 0;
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_albums_list_tracks_pager(&pager, f->client, &a, &err), SPOTIFY_OK);
    const void *item;
    int n = 0;
    while (spotify_pager_next_item(&item, pager, &err) == SPOTIFY_OK && item != NULL)
        n++;
    assert_int_equal(n, 20);
    assert_int_equal(spotify_pager_pages(pager), 3);
    spotify_pager_free(pager);
    char q[256];
    assert_string_equal(query_of(f, 0, q, sizeof q), "limit=7&offset=0");
}

static void test_cursor_paging(void **state)
{
    fixture *f = *state;
    const char *base = test_server_url(f->server);
    const char *after[] = {"0TnOYISbd1XYRBk9myaseg", "1Xyo4u8uXC1ZmMpatF05PJ", NULL};
    for (int p = 0; p < 3; p++) {
        char body[1024];
        int at = snprintf(body, sizeof body, "{\"artists\":{\"items\":[");
        for (int i = 0; i < 3 && p * 3 + i < 7; i++)
            at += snprintf(body + at, sizeof body - at, "%s{\"name\":\"artist %d\"}",
                           i > 0 ? "," : "", p * 3 + i);
        if (after[p] != NULL)
            snprintf(body + at, sizeof body - at,
                     "],\"next\":\"%s/me/following?type=artist&after=%s&limit=3\","
                     "\"cursors\":{\"after\":\"%s\"},\"limit\":3,\"total\":7}}",
                     base, after[p], after[p]);
        else
            snprintf(body + at, sizeof body - at,
                     "],\"next\":null,\"cursors\":{\"after\":null},\"limit\":3,\"total\":7}}");
        test_response r = {.status = 200, .body = body};
        test_server_enqueue(f->server, "/me/following", &r);
    }
    spotify_me_following_list_args a = SPOTIFY_ME_FOLLOWING_LIST_ARGS_INIT;
    a.type = "artist";
    a.limit = 3;
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_me_following_list_pager(&pager, f->client, &a, &err), SPOTIFY_OK);
    const void *item;
    int n = 0;
    while (spotify_pager_next_item(&item, pager, &err) == SPOTIFY_OK && item != NULL) {
        const spotify_artist *artist = item;
        char want[32];
        snprintf(want, sizeof want, "artist %d", n++);
        assert_string_equal(artist->name, want);
    }
    assert_int_equal(n, 7);
    assert_int_equal(spotify_pager_total(pager), 7);
    const spotify_cursor_paging_simplified_artist *page = spotify_pager_page(pager);
    assert_non_null(page->cursors);
    assert_null(page->cursors->after);
    spotify_pager_free(pager);
    char q[256];
    assert_string_equal(query_of(f, 0, q, sizeof q), "type=artist&limit=3");
    assert_string_equal(query_of(f, 1, q, sizeof q),
                        "type=artist&after=0TnOYISbd1XYRBk9myaseg&limit=3");
    assert_string_equal(query_of(f, 2, q, sizeof q),
                        "type=artist&after=1Xyo4u8uXC1ZmMpatF05PJ&limit=3");
}

/* A next link anywhere but the API base URL's origin is refused. */
static void foreign_next(fixture *f, const char *origin)
{
    test_server_reset(f->server);
    serve_tracks(f, 137, 50, origin, 0);
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = ALBUM;
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_albums_list_tracks_pager(&pager, f->client, &a, &err), SPOTIFY_OK);
    const void *item;
    int n = 0;
    spotify_status st;
    while ((st = spotify_pager_next_item(&item, pager, &err)) == SPOTIFY_OK && item != NULL)
        n++;
    assert_int_equal(n, 50);
    assert_int_equal(st, SPOTIFY_EPROTOCOL);
    assert_null(item);
    assert_non_null(strstr(err.message, "refusing to follow the next page"));
    assert_non_null(strstr(err.message, origin));
    /* no request went anywhere after the first page; the failure sticks */
    assert_int_equal(test_server_count(f->server, NULL), 1);
    spotify_error again = {0};
    assert_int_equal(spotify_pager_next_item(&item, pager, &again), SPOTIFY_EPROTOCOL);
    assert_string_equal(again.message, err.message);
    spotify_pager_free(pager);
}

static void test_foreign_origin_next_refused(void **state)
{
    fixture *f = *state;
    char other_port[64];
    snprintf(other_port, sizeof other_port, "http://127.0.0.1:%d",
             test_server_port(f->server) == 65535 ? 1 : test_server_port(f->server) + 1);
    foreign_next(f, "http://evil.example.com");
    foreign_next(f, other_port);
    char https[64];
    snprintf(https, sizeof https, "https://127.0.0.1:%d", test_server_port(f->server));
    foreign_next(f, https);
    char userinfo[96];
    snprintf(userinfo, sizeof userinfo, "http://x@127.0.0.1:%d", test_server_port(f->server));
    foreign_next(f, userinfo);
}

static void test_failure_mid_list(void **state)
{
    fixture *f = *state;
    char next[256];
    snprintf(next, sizeof next, "%s" TRACKS_PATH "?offset=50&limit=50", test_server_url(f->server));
    char *page = track_page(0, 50, 137, next, 0);
    test_response first = {.status = 200, .body = page};
    test_server_enqueue(f->server, TRACKS_PATH, &first);
    free(page);
    test_response failure = {
        .status = 503, .body = "{\"error\":{\"status\":503,\"message\":\"Service unavailable\"}}"};
    test_server_enqueue(f->server, TRACKS_PATH, &failure);
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = ALBUM;
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_albums_list_tracks_pager(&pager, f->client, &a, &err), SPOTIFY_OK);
    const void *item;
    int n = 0;
    spotify_status st;
    while ((st = spotify_pager_next_item(&item, pager, &err)) == SPOTIFY_OK && item != NULL)
        n++;
    assert_int_equal(n, 50);
    assert_int_equal(st, SPOTIFY_ESERVER);
    assert_int_equal(err.http_status, 503);
    assert_non_null(strstr(err.message, "Service unavailable"));
    spotify_pager_free(pager);
}

/* Drains a pager, giving up (and failing) after `bound` items: without the
 * protection the lists below never end. */
static spotify_status drain(fixture *f, int bound, int *items, spotify_error *err)
{
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = ALBUM;
    spotify_pager *pager = NULL;
    assert_int_equal(spotify_albums_list_tracks_pager(&pager, f->client, &a, err), SPOTIFY_OK);
    const void *item;
    spotify_status st;
    *items = 0;
    while ((st = spotify_pager_next_item(&item, pager, err)) == SPOTIFY_OK && item != NULL)
        if (++*items > bound)
            fail_msg("the list did not end after %d items", bound);
    spotify_pager_free(pager);
    return st;
}

/* A `next` that repeats a page already fetched ends the list with a
 * protocol error, for pagers and for collect. */
static void test_repeated_next_ends_the_list(void **state)
{
    fixture *f = *state;
    char next[256];
    snprintf(next, sizeof next, "%s" TRACKS_PATH "?offset=50&limit=50", test_server_url(f->server));
    char *first = track_page(0, 50, 1000, next, 0);
    char *again = track_page(50, 50, 1000, next, 0); /* its next is itself */
    for (int round = 0; round < 2; round++) {
        test_server_reset(f->server);
        test_response r1 = {.status = 200, .body = first};
        test_response r2 = {.status = 200, .body = again};
        test_server_enqueue(f->server, TRACKS_PATH, &r1);
        test_server_set_default(f->server, TRACKS_PATH, &r2);
        spotify_error err = {0};
        if (round == 0) {
            int items = 0;
            assert_int_equal(drain(f, 500, &items, &err), SPOTIFY_EPROTOCOL);
            assert_int_equal(items, 100);
        } else {
            spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
            a.id = ALBUM;
            void *all = NULL;
            assert_int_equal(spotify_operation_collect(&all, f->client,
                                                       SPOTIFY_OP_ALBUMS_LIST_TRACKS, &a, 0, &err),
                             SPOTIFY_EPROTOCOL);
            assert_null(all);
        }
        assert_non_null(strstr(err.message, "repeats a page already fetched"));
        assert_int_equal(test_server_count(f->server, TRACKS_PATH), 2);
    }
    free(first);
    free(again);
}

/* More items than the pages' own `total`: a protocol error too. */
static void test_items_beyond_total_end_the_list(void **state)
{
    fixture *f = *state;
    for (int offset = 0; offset < 500; offset += 50) {
        char next[256];
        snprintf(next, sizeof next, "%s" TRACKS_PATH "?offset=%d&limit=50",
                 test_server_url(f->server), offset + 50);
        char *page = track_page(offset, 50, 1000, next, 0);
        /* every page claims a total of 60 */
        char *total = strstr(page, "\"total\":1000");
        memcpy(total, "\"total\":60  ", 12);
        test_response r = {.status = 200, .body = page};
        test_server_enqueue(f->server, TRACKS_PATH, &r);
        free(page);
    }
    spotify_error err = {0};
    int items = 0;
    assert_int_equal(drain(f, 500, &items, &err), SPOTIFY_EPROTOCOL);
    assert_int_equal(items, 50);
    assert_non_null(strstr(err.message, "more than the 60 of its total"));
}

static void test_collect(void **state)
{
    fixture *f = *state;
    serve_tracks(f, 137, 50, NULL, 0);
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = ALBUM;
    spotify_paging_simplified_track *out = NULL;
    spotify_error err = {0};
    /* up to 60: two pages */
    assert_int_equal(spotify_albums_list_tracks_collect(&out, f->client, &a, 60, &err), SPOTIFY_OK);
    assert_int_equal(out->items.count, 60);
    for (int i = 0; i < 60; i++) {
        char want[32];
        snprintf(want, sizeof want, "track %d", i);
        assert_string_equal(out->items.items[i].name, want);
    }
    assert_int_equal(out->total, 137);
    assert_int_equal(out->offset, 50); /* the last page fetched */
    spotify_paging_simplified_track_free(out);
    assert_int_equal(test_server_count(f->server, TRACKS_PATH), 2);

    /* all of them (0) */
    test_server_reset(f->server);
    serve_tracks(f, 137, 50, NULL, 0);
    assert_int_equal(spotify_albums_list_tracks_collect(&out, f->client, &a, 0, &err), SPOTIFY_OK);
    assert_int_equal(out->items.count, 137);
    assert_string_equal(out->items.items[136].name, "track 136");
    assert_null(out->next);
    spotify_paging_simplified_track_free(out);

    /* a failure returns nothing */
    test_server_reset(f->server);
    serve_tracks(f, 137, 50, "http://evil.example.com", 0);
    out = (void *)1;
    assert_int_equal(spotify_albums_list_tracks_collect(&out, f->client, &a, 0, &err),
                     SPOTIFY_EPROTOCOL);
    assert_null(out);
}

static void test_search_pages_one_type(void **state)
{
    fixture *f = *state;
    char next[256];
    snprintf(next, sizeof next, "%s/search?q=x&type=album&offset=10&limit=10",
             test_server_url(f->server));
    char body[1024];
    snprintf(body, sizeof body,
             "{\"albums\":{\"items\":[{\"name\":\"a0\"},{\"name\":\"a1\"}],\"next\":\"%s\","
             "\"total\":3,\"limit\":10,\"offset\":0}}",
             next);
    test_response p1 = {.status = 200, .body = body};
    test_server_enqueue(f->server, "/search", &p1);
    test_response p2 = {
        .status = 200,
        .body = "{\"albums\":{\"items\":[{\"name\":\"a2\"}],\"next\":null,\"total\":3}}"};
    test_server_enqueue(f->server, "/search", &p2);
    spotify_search_args a = SPOTIFY_SEARCH_ARGS_INIT;
    a.q = "x";
    a.type = "album";
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_search_pager(&pager, f->client, &a, &err), SPOTIFY_OK);
    const void *item;
    int n = 0;
    while (spotify_pager_next_item(&item, pager, &err) == SPOTIFY_OK && item != NULL) {
        const spotify_simplified_album *album = item;
        char want[16];
        snprintf(want, sizeof want, "a%d", n++);
        assert_string_equal(album->name, want);
    }
    assert_int_equal(n, 3);
    spotify_pager_free(pager);
    char q[256];
    assert_string_equal(query_of(f, 0, q, sizeof q), "q=x&type=album&limit=10");
    /* several types: a pager cannot walk them all */
    a.type = "album,track";
    pager = (void *)1;
    assert_int_equal(spotify_search_pager(&pager, f->client, &a, &err), SPOTIFY_EINVALID);
    assert_null(pager);
    assert_non_null(strstr(err.message, "type: a pager walks one type"));
}

static void test_pager_arguments(void **state)
{
    fixture *f = *state;
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    /* not a list */
    assert_int_equal(spotify_pager_new(&pager, f->client, SPOTIFY_OP_ALBUMS_GET, NULL, &err),
                     SPOTIFY_EINVALID);
    assert_non_null(strstr(err.message, "spotify_albums_get is not a paged list"));
    /* invalid args fail at creation, before any request */
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    assert_int_equal(spotify_albums_list_tracks_pager(&pager, f->client, &a, &err),
                     SPOTIFY_EINVALID);
    assert_int_equal(test_server_count(f->server, NULL), 0);
    /* NULL args for a list without required parameters */
    test_response empty = {.status = 200, .body = "{\"items\":[],\"next\":null,\"total\":0}"};
    test_server_enqueue(f->server, "/me/playlists", &empty);
    assert_int_equal(spotify_me_playlists_list_pager(&pager, f->client, NULL, &err), SPOTIFY_OK);
    const void *item = (void *)1;
    assert_int_equal(spotify_pager_next_item(&item, pager, &err), SPOTIFY_OK);
    assert_null(item);
    assert_int_equal(spotify_pager_total(pager), 0);
    spotify_pager_free(pager);
    spotify_pager_free(NULL);
    assert_int_equal(spotify_pager_next_item(&item, NULL, &err), SPOTIFY_EINVALID);
    char q[64];
    assert_string_equal(query_of(f, 0, q, sizeof q), "limit=50"); /* the largest page */
}

/* However long the list, one page is in memory at a time. */
static void test_flat_memory(void **state)
{
    fixture *f = *state;
    enum { PAGES = 12, LIMIT = 50 };
    serve_tracks(f, PAGES * LIMIT, LIMIT, NULL, 1000); /* about 50 KB per page */
    spotify_albums_list_tracks_args a = SPOTIFY_ALBUMS_LIST_TRACKS_ARGS_INIT;
    a.id = ALBUM;
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_albums_list_tracks_pager(&pager, f->client, &a, &err), SPOTIFY_OK);
    const void *item;
    size_t at_page[PAGES + 1] = {0};
    size_t peak = 0;
    while (spotify_pager_next_item(&item, pager, &err) == SPOTIFY_OK && item != NULL) {
        /* Chunks freed pages leave for reuse are bounded (core/arena.c):
         * count what the pager holds, not that cache. */
        spotify__arena_cache_release();
        size_t live = __atomic_load_n(&live_bytes, __ATOMIC_RELAXED);
        size_t pages = spotify_pager_pages(pager);
        at_page[pages] = live;
        if (pages >= 2 && live > peak)
            peak = live;
    }
    assert_int_equal(spotify_pager_pages(pager), PAGES);
    spotify_pager_free(pager);
    /* a page's body and model take over 100 KB: keeping old pages would
     * grow the live bytes by that much per page */
    size_t page_cost = 80 * 1000;
    assert_true(at_page[1] > page_cost);
    if (at_page[PAGES] > at_page[2] + page_cost / 4)
        fail_msg("live bytes grew from %zu (page 2) to %zu (page %d)", at_page[2], at_page[PAGES],
                 PAGES);
    assert_true(peak < at_page[2] + page_cost / 2);
}

int main(void)
{
    spotify_allocator counting = {count_malloc, count_realloc, count_free};
    spotify_error err = {0};
    if (spotify_set_allocator(&counting, &err) != SPOTIFY_OK)
        return 1;
    spotify_global_init(&err);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_offset_paging_137_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_page_size_when_told, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cursor_paging, setup, teardown),
        cmocka_unit_test_setup_teardown(test_foreign_origin_next_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failure_mid_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_repeated_next_ends_the_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_items_beyond_total_end_the_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_collect, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_pages_one_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pager_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flat_memory, setup, teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    spotify_global_cleanup();
    return failed;
}
