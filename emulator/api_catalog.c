/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_catalog.c - the catalog endpoints: one item (albums, artists, tracks,
 * shows, episodes, audiobooks, chapters: the pre-rendered objects), several
 * items (?ids=, unknown ids are null in the answer, as Spotify does), the
 * children of an album / show / audiobook as a paging object, and the
 * artist endpoints (albums, top tracks, related artists).
 *
 * `market` is validated by emu_api_authorize; emu_api_apply_market turns
 * the tracks' available_markets into is_playable afterwards.
 */
#include <stdlib.h>
#include <string.h>

#include "api.h"

#define TOP_TRACKS 10
#define RELATED_ARTISTS 20

void emu_api_album(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_ALBUM);
}

void emu_api_artist(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_ARTIST);
}

void emu_api_track(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_TRACK);
}

void emu_api_show(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_SHOW);
}

void emu_api_episode(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_EPISODE);
}

void emu_api_audiobook(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_AUDIOBOOK);
}

void emu_api_chapter(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_api_serve_item(app, req, reply, EMU_CHAPTER);
}

/* emu_api_path_item, then the paging parameters (the route's limits). */
static const emu_item *cat_path_item(emu_app *app, emu_request *req, emu_reply *reply,
                                     emu_kind kind, emu_page *page)
{
    const emu_item *item = emu_api_path_item(app, req, reply, kind, NULL);
    if (item == NULL || !emu_api_page_params(req, reply, page))
        return NULL;
    return item;
}

/* GET /albums/{id}/tracks, /shows/{id}/episodes, /audiobooks/{id}/chapters:
 * a page of the parent's children in their simplified form. */
static void cat_children(emu_app *app, emu_request *req, emu_reply *reply, emu_kind parent,
                         emu_kind child)
{
    emu_page page;
    const emu_item *item = cat_path_item(app, req, reply, parent, &page);
    if (item == NULL)
        return;
    page.total = item->track_count;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    emu_api_page_begin(&w, app, req, &page);
    for (size_t i = page.offset; i < page.total && i < page.offset + page.limit; i++)
        spotify__jw_value(&w, emu_catalog_at(app->catalog, child, item->tracks[i])->simplified);
    emu_api_page_end(&w, app, req, &page);
    emu_reply_json(reply, 200);
}

void emu_api_album_tracks(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_children(app, req, reply, EMU_ALBUM, EMU_TRACK);
}

void emu_api_show_episodes(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_children(app, req, reply, EMU_SHOW, EMU_EPISODE);
}

void emu_api_audiobook_chapters(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_children(app, req, reply, EMU_AUDIOBOOK, EMU_CHAPTER);
}

/* GET /albums?ids= etc.: {"KEY":[object or null...]} in input order. */
static void cat_several(emu_app *app, emu_request *req, emu_reply *reply, emu_kind kind,
                        const char *key, size_t max, bool simplified)
{
    emu_grant grant;
    emu_id_list ids;
    if (!emu_api_authorize(app, req, reply, &grant) ||
        !emu_api_ids(req, reply, (spotify__json){0}, max, false, &ids))
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, key);
    spotify__jw_begin_array(&w);
    for (size_t i = 0; i < ids.count; i++) {
        const emu_item *item = emu_catalog_find(app->catalog, kind, ids.ids[i], EMU_ID_LEN, NULL);
        if (item == NULL)
            spotify__jw_null(&w);
        else
            spotify__jw_value(&w, simplified ? item->simplified : item->full);
    }
    spotify__jw_end_array(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_api_several_albums(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_several(app, req, reply, EMU_ALBUM, "albums", 20, false);
}

void emu_api_several_artists(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_several(app, req, reply, EMU_ARTIST, "artists", 50, false);
}

void emu_api_several_tracks(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_several(app, req, reply, EMU_TRACK, "tracks", 50, false);
}

void emu_api_several_shows(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_several(app, req, reply, EMU_SHOW, "shows", 50, true);
}

void emu_api_several_episodes(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_several(app, req, reply, EMU_EPISODE, "episodes", 50, false);
}

void emu_api_several_audiobooks(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_several(app, req, reply, EMU_AUDIOBOOK, "audiobooks", 50, false);
}

void emu_api_several_chapters(emu_app *app, emu_request *req, emu_reply *reply)
{
    cat_several(app, req, reply, EMU_CHAPTER, "chapters", 50, false);
}

/* Whether an album's type is one of the comma-separated `groups`. */
static bool cat_group_wanted(const char *groups, spotify__json album)
{
    const char *type;
    size_t len;
    if (groups == NULL)
        return true;
    if (!spotify__json_get_string(spotify__json_get(album, "album_type"), &type, &len))
        return false;
    for (const char *p = groups;; p++) {
        size_t n = strcspn(p, ",");
        if (n == len && memcmp(p, type, len) == 0)
            return true;
        p += n;
        if (*p == '\0')
            return false;
    }
}

/* Writes a simplified album plus "album_group" (ArtistDiscographyAlbumObject). */
static void cat_write_discography_album(spotify__json_writer *w, spotify__json album)
{
    const char *type = "album";
    size_t len = 5;
    spotify__json_get_string(spotify__json_get(album, "album_type"), &type, &len);
    spotify__jw_begin_object(w);
    for (spotify__json m = spotify__json_first(album); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *key;
        size_t key_len;
        spotify__json_key(m, &key, &key_len);
        spotify__jw_key(w, key);
        spotify__jw_value(w, spotify__json_member_value(m));
    }
    spotify__jw_key(w, "album_group");
    spotify__jw_string(w, type, len);
    spotify__jw_end_object(w);
}

/* GET /artists/{id}/albums: the albums the artist is an album artist of;
 * include_groups filters by album type (album, single, compilation). */
void emu_api_artist_albums(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_page page;
    const emu_item *artist = cat_path_item(app, req, reply, EMU_ARTIST, &page);
    if (artist == NULL)
        return;
    const emu_form *q = emu_request_query(req);
    const char *groups = emu_form_get(q, "include_groups");
    if (groups != NULL) {
        static const char *const known[] = {"album", "single", "compilation", "appears_on"};
        for (const char *p = groups;; p++) {
            size_t n = strcspn(p, ",");
            bool ok = false;
            for (size_t k = 0; k < 4; k++)
                ok = ok || (strlen(known[k]) == n && memcmp(known[k], p, n) == 0);
            if (!ok) {
                emu_reply_api_error(reply, 400, "Invalid include_groups");
                return;
            }
            p += n;
            if (*p == '\0')
                break;
        }
    }
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    page.total = 0;
    for (size_t i = 0; i < artist->album_count; i++)
        page.total += cat_group_wanted(
            groups, emu_catalog_at(app->catalog, EMU_ALBUM, artist->albums[i])->simplified);
    emu_api_page_begin(&w, app, req, &page);
    size_t seen = 0;
    for (size_t i = 0; i < artist->album_count; i++) {
        spotify__json album =
            emu_catalog_at(app->catalog, EMU_ALBUM, artist->albums[i])->simplified;
        if (!cat_group_wanted(groups, album))
            continue;
        if (seen >= page.offset && seen < page.offset + page.limit)
            cat_write_discography_album(&w, album);
        seen++;
    }
    emu_api_page_end(&w, app, req, &page);
    emu_reply_json(reply, 200);
}

/* qsort_r order: most popular first (ties: catalog order). */
typedef struct cat_sort {
    const emu_catalog *catalog;
    emu_kind kind;
} cat_sort;

static int cat_by_popularity(const void *a, const void *b, void *arg)
{
    const cat_sort *s = arg;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int px = emu_catalog_at(s->catalog, s->kind, x)->popularity;
    int py = emu_catalog_at(s->catalog, s->kind, y)->popularity;
    return px != py ? py - px : (x > y) - (x < y);
}

/* GET /artists/{id}/top-tracks: the artist's most popular tracks (at most
 * TOP_TRACKS), from the albums they are an album artist of. */
void emu_api_artist_top_tracks(emu_app *app, emu_request *req, emu_reply *reply)
{
    const emu_item *artist = emu_api_path_item(app, req, reply, EMU_ARTIST, NULL);
    if (artist == NULL)
        return;
    size_t best[TOP_TRACKS], count = 0;
    for (size_t a = 0; a < artist->album_count; a++) {
        const emu_item *album = emu_catalog_at(app->catalog, EMU_ALBUM, artist->albums[a]);
        for (size_t t = 0; t < album->track_count; t++) {
            int pop = emu_catalog_at(app->catalog, EMU_TRACK, album->tracks[t])->popularity;
            size_t at = count;
            while (at > 0 &&
                   emu_catalog_at(app->catalog, EMU_TRACK, best[at - 1])->popularity < pop)
                at--;
            if (at == TOP_TRACKS)
                continue;
            size_t keep = count < TOP_TRACKS ? count : TOP_TRACKS - 1;
            memmove(best + at + 1, best + at, (keep - at) * sizeof best[0]);
            best[at] = album->tracks[t];
            if (count < TOP_TRACKS)
                count++;
        }
    }
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "tracks");
    spotify__jw_begin_array(&w);
    for (size_t i = 0; i < count; i++)
        spotify__jw_value(&w, emu_catalog_at(app->catalog, EMU_TRACK, best[i])->full);
    spotify__jw_end_array(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

/* GET /artists/{id}/related-artists: the artists next to it in the catalog
 * (deterministic, at most RELATED_ARTISTS). */
void emu_api_artist_related(emu_app *app, emu_request *req, emu_reply *reply)
{
    size_t index;
    if (emu_api_path_item(app, req, reply, EMU_ARTIST, &index) == NULL)
        return;
    size_t n = emu_catalog_count(app->catalog, EMU_ARTIST);
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "artists");
    spotify__jw_begin_array(&w);
    for (size_t k = 1; k <= RELATED_ARTISTS && k < n; k++)
        spotify__jw_value(&w, emu_catalog_at(app->catalog, EMU_ARTIST, (index + k) % n)->full);
    spotify__jw_end_array(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_api_sort_by_popularity(const emu_catalog *catalog, emu_kind kind, size_t *items,
                                size_t count)
{
    cat_sort s = {catalog, kind};
    qsort_r(items, count, sizeof *items, cat_by_popularity, &s);
}
