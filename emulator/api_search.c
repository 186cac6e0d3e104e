/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_search.c - GET /v1/search: Spotify's query language over the catalog
 * (search.h: words, phrases, field filters, exclusions, relevance) and
 * the public playlists. One paging object per requested type, in
 * Spotify's key order; `total` is the true count; links repeat the
 * request's query. limit 0-50 (default 5), offset 0-1000: Spotify's
 * documented Search range (docs/emulator.md, "Search").
 */
#include <string.h>
#include <time.h>

#include "api.h"
#include "search.h"

#define SEARCH_TYPES 7
#define SEARCH_MAX_OFFSET 1000
#define SEARCH_PLAYLIST 2 /* the type not in the catalog */

/* Request types, with the response key of each. */
static const char *const search_types[SEARCH_TYPES] = {"album", "artist",  "playlist", "track",
                                                       "show",  "episode", "audiobook"};
static const char *const search_keys[SEARCH_TYPES] = {"albums", "artists",  "playlists", "tracks",
                                                      "shows",  "episodes", "audiobooks"};
static const emu_kind search_kinds[SEARCH_TYPES] = {
    EMU_ALBUM, EMU_ARTIST, EMU_KIND_COUNT, EMU_TRACK, EMU_SHOW, EMU_EPISODE, EMU_AUDIOBOOK};

/* Parses the comma-separated `type` list into wanted[]. false on an empty
 * or unknown type. */
static bool search_parse_types(const char *list, bool wanted[SEARCH_TYPES])
{
    memset(wanted, 0, SEARCH_TYPES * sizeof wanted[0]);
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        int found = -1;
        for (int t = 0; t < SEARCH_TYPES; t++)
            if (strlen(search_types[t]) == len && memcmp(search_types[t], p, len) == 0)
                found = t;
        if (found < 0)
            return false;
        wanted[found] = true;
        p += len;
        if (*p == '\0')
            return true;
    }
}

/* A page of catalog items of `kind` matching the query, best first;
 * artists and tracks full, the other kinds simplified (as Spotify's search
 * answers). */
static bool search_catalog(spotify__json_writer *w, emu_app *app, emu_request *req, emu_kind kind,
                           const emu_search_query *query, spotify__arena *arena, emu_page page)
{
    emu_search_hit *hits;
    size_t n =
        emu_search_run(app->search, query, kind, req->market, (int64_t)time(NULL), arena, &hits);
    if (n == (size_t)-1)
        return false;
    page.total = n;
    emu_api_page_begin(w, app, req, &page);
    for (size_t i = page.offset; i < n && i < page.offset + page.limit; i++) {
        const emu_item *item = emu_catalog_at(app->catalog, kind, hits[i].index);
        if (kind == EMU_ARTIST || kind == EMU_TRACK)
            spotify__jw_raw(w, item->json, item->json_len);
        else
            spotify__jw_raw(w, item->simplified_json, item->simplified_len);
    }
    emu_api_page_end(w, app, req, &page);
    return true;
}

/* A page of the public playlists whose names match, best first (the market
 * does not apply to playlists). */
static bool search_playlists(spotify__json_writer *w, emu_app *app, emu_request *req,
                             const emu_search_query *query, spotify__arena *arena, emu_page page)
{
    emu_state_lock(app->state);
    size_t count = emu_state_playlist_count(app->state);
    emu_search_hit *hits = spotify__arena_alloc(arena, (count == 0 ? 1 : count) * sizeof *hits);
    size_t n = 0;
    for (size_t i = 0; hits != NULL && i < count; i++) {
        const emu_playlist *pl = emu_state_playlist_at(app->state, i);
        int tier;
        if (pl->is_public && emu_search_match_name(query, pl->name, &tier))
            hits[n++] = (emu_search_hit){i, tier, 0};
    }
    if (hits != NULL) {
        emu_search_sort(hits, n);
        page.total = n;
        emu_api_page_begin(w, app, req, &page);
        for (size_t i = page.offset; i < n && i < page.offset + page.limit; i++)
            emu_api_write_playlist_simplified(w, app,
                                              emu_state_playlist_at(app->state, hits[i].index));
        emu_api_page_end(w, app, req, &page);
    }
    emu_state_unlock(app->state);
    return hits != NULL;
}

/* Validates q, type, limit and offset. include_external=audio is accepted
 * (the catalog has no externally hosted audio to add). */
static bool search_params(emu_request *req, emu_reply *reply, const char **q,
                          bool wanted[SEARCH_TYPES], emu_page *page)
{
    static const emu_limits limits = {0, 50, 5};
    if (!emu_api_page_params_in(req, reply, limits, page))
        return false;
    page->max_offset = SEARCH_MAX_OFFSET;
    const emu_form *form = emu_request_query(req);
    const char *type = emu_form_get(form, "type");
    *q = emu_form_get(form, "q");
    if (*q == NULL) {
        emu_reply_api_error(reply, 400, "No search query");
        return false;
    }
    if (type == NULL) {
        emu_reply_api_error(reply, 400, "Missing parameter type");
        return false;
    }
    if (!search_parse_types(type, wanted)) {
        emu_reply_api_error(reply, 400, "Bad search type field");
        return false;
    }
    if (page->offset > SEARCH_MAX_OFFSET) {
        emu_reply_api_error(reply, 400, "Invalid offset");
        return false;
    }
    return true;
}

void emu_api_search(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_page page;
    bool wanted[SEARCH_TYPES];
    const char *q;
    if (!emu_api_authorize(app, req, reply, &grant) ||
        !search_params(req, reply, &q, wanted, &page))
        return;
    spotify__arena *arena = spotify__arena_new(0);
    emu_search_query *query = arena == NULL ? NULL : emu_search_parse(arena, q);
    bool ok = query != NULL;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    for (int t = 0; ok && t < SEARCH_TYPES; t++) {
        if (!wanted[t])
            continue;
        spotify__jw_key(&w, search_keys[t]);
        ok = t == SEARCH_PLAYLIST
                 ? search_playlists(&w, app, req, query, arena, page)
                 : search_catalog(&w, app, req, search_kinds[t], query, arena, page);
    }
    spotify__jw_end_object(&w);
    spotify__arena_free(arena);
    if (ok)
        emu_reply_json(reply, 200);
    else
        emu_reply_api_error(reply, 500, "Out of memory");
}
