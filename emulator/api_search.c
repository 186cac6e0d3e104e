/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_search.c - GET /v1/search: a case-insensitive substring match of `q`
 * over the names of catalog albums, artists and tracks and of public
 * playlists, shows, episodes and audiobooks. Field filters (artist:,
 * year:...) are not interpreted: the whole of `q` is the substring. One
 * paging object per requested type, in Spotify's
 * key order; links repeat the request's query. limit 1-10 (default 5),
 * offset 0-1000, as in the 2026 spec.
 */
#include <string.h>

#include "api.h"

#define SEARCH_TYPES 7
#define SEARCH_MAX_OFFSET 1000

/* Request types, with the response key of each. */
static const char *const search_types[SEARCH_TYPES] = {"album", "artist",  "playlist", "track",
                                                       "show",  "episode", "audiobook"};
static const char *const search_keys[SEARCH_TYPES] = {"albums", "artists",  "playlists", "tracks",
                                                      "shows",  "episodes", "audiobooks"};

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

/* A page of catalog items of `kind` whose names contain `q`; artists and
 * tracks are full, the other kinds simplified (as Spotify's search answers). */
static void search_catalog(spotify__json_writer *w, emu_app *app, emu_request *req, emu_kind kind,
                           const char *q, emu_page page)
{
    const emu_catalog *cat = app->catalog;
    size_t n = emu_catalog_count(cat, kind);
    page.total = 0;
    emu_api_page_begin(w, app, req, &page);
    for (size_t i = 0; i < n; i++) {
        const emu_item *item = emu_catalog_at(cat, kind, i);
        if (strcasestr(item->name, q) == NULL)
            continue;
        if (page.total >= page.offset && page.total < page.offset + page.limit)
            spotify__jw_value(w, kind == EMU_ARTIST || kind == EMU_TRACK ? item->full
                                                                         : item->simplified);
        page.total++;
    }
    emu_api_page_end(w, app, req, &page);
}

/* A page of public playlists whose names contain `q`. */
static void search_playlists(spotify__json_writer *w, emu_app *app, emu_request *req, const char *q,
                             emu_page page)
{
    page.total = 0;
    emu_api_page_begin(w, app, req, &page);
    emu_state_lock(app->state);
    size_t n = emu_state_playlist_count(app->state);
    for (size_t i = 0; i < n; i++) {
        const emu_playlist *pl = emu_state_playlist_at(app->state, i);
        if (!pl->is_public || strcasestr(pl->name, q) == NULL)
            continue;
        if (page.total >= page.offset && page.total < page.offset + page.limit)
            emu_api_write_playlist_simplified(w, app, pl);
        page.total++;
    }
    emu_state_unlock(app->state);
    emu_api_page_end(w, app, req, &page);
}

/* Validates q, type, limit and offset. */
static bool search_params(emu_request *req, emu_reply *reply, const char **q,
                          bool wanted[SEARCH_TYPES], emu_page *page)
{
    if (!emu_api_page_params_in(req, reply, (emu_limits){0, 50, 5}, page))
        return false;
    const emu_form *form = emu_request_query(req);
    const char *type = emu_form_get(form, "type");
    *q = emu_form_get(form, "q");
    if (*q == NULL || (*q)[0] == '\0') {
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
    static const emu_kind catalog_kinds[SEARCH_TYPES] = {
        EMU_ALBUM, EMU_ARTIST, EMU_KIND_COUNT, EMU_TRACK, EMU_SHOW, EMU_EPISODE, EMU_AUDIOBOOK};
    emu_grant grant;
    emu_page page;
    bool wanted[SEARCH_TYPES];
    const char *q;
    if (!emu_api_authorize(app, req, reply, &grant) ||
        !search_params(req, reply, &q, wanted, &page))
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    for (int t = 0; t < SEARCH_TYPES; t++) {
        if (!wanted[t])
            continue;
        spotify__jw_key(&w, search_keys[t]);
        if (t == 2)
            search_playlists(&w, app, req, q, page);
        else
            search_catalog(&w, app, req, catalog_kinds[t], q, page);
    }
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}
