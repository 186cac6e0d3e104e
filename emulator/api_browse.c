/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api_browse.c - browse (categories, featured playlists, new releases),
 * markets, recommendations with their genre seeds, and the audio features
 * and analysis of tracks. All deprecated by Spotify in 2024-2026 and still
 * served to extended-quota apps; any valid token may call them.
 *
 * Categories, markets and genre seeds are the real documents of
 * tests/fixtures (emu_catalog_doc). The playlists of a category and the
 * featured playlists are the public playlists of the emulator's users;
 * new releases are the catalog's albums, newest release date first.
 * Recommendations and audio features/analysis are derived from a hash of
 * the ids, so the same request answers the same on every run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/alloc.h"

#define RECO_MAX_SEEDS 5

/* FNV-1a over `s`, for made-up but stable numbers. */
static uint64_t br_hash(const char *s, uint64_t h)
{
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

/* A number in [0, 1) from `h` and a salt. */
static double br_unit(uint64_t h, unsigned salt)
{
    h ^= (uint64_t)salt * UINT64_C(0x9e3779b97f4a7c15);
    h = (h ^ (h >> 31)) * UINT64_C(0xbf58476d1ce4e5b9);
    return (double)((h >> 11) % 1000) / 1000.0;
}

/* The category object with id `id`, or INVALID. */
static spotify__json br_category(const emu_app *app, const char *id)
{
    spotify__json list = emu_catalog_doc(app->catalog, EMU_DOC_CATEGORIES);
    for (spotify__json c = spotify__json_first(list); spotify__json_valid(c);
         c = spotify__json_next(c)) {
        const char *s;
        size_t len;
        if (spotify__json_get_string(spotify__json_get(c, "id"), &s, &len) && len == strlen(id) &&
            memcmp(s, id, len) == 0)
            return c;
    }
    return (spotify__json){0};
}

void emu_api_categories(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_page page;
    if (!emu_api_authorize(app, req, reply, &grant) || !emu_api_page_params(req, reply, &page))
        return;
    spotify__json list = emu_catalog_doc(app->catalog, EMU_DOC_CATEGORIES);
    page.total = spotify__json_count(list);
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "categories");
    emu_api_page_begin(&w, app, req, &page);
    size_t i = 0;
    for (spotify__json c = spotify__json_first(list); spotify__json_valid(c);
         c = spotify__json_next(c), i++)
        if (i >= page.offset && i < page.offset + page.limit)
            spotify__jw_value(&w, c);
    emu_api_page_end(&w, app, req, &page);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_api_category(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_authorize(app, req, reply, &grant))
        return;
    spotify__json c = br_category(app, req->params[0]);
    if (!spotify__json_valid(c)) {
        emu_reply_api_error(reply, 404, "Non existing id");
        return;
    }
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_value(&w, c);
    emu_reply_json(reply, 200);
}

/* {"message":..., "playlists": a page of the public playlists}. */
static void br_playlists(emu_app *app, emu_request *req, emu_reply *reply, const char *message)
{
    emu_page page;
    if (!emu_api_page_params(req, reply, &page))
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "message");
    spotify__jw_cstring(&w, message);
    spotify__jw_key(&w, "playlists");
    emu_state_lock(app->state);
    size_t n = emu_state_playlist_count(app->state);
    page.total = 0;
    for (size_t i = 0; i < n; i++)
        page.total += emu_state_playlist_at(app->state, i)->is_public;
    emu_api_page_begin(&w, app, req, &page);
    size_t seen = 0;
    for (size_t i = 0; i < n; i++) {
        const emu_playlist *pl = emu_state_playlist_at(app->state, i);
        if (!pl->is_public)
            continue;
        if (seen >= page.offset && seen < page.offset + page.limit)
            emu_api_write_playlist_simplified(&w, app, pl);
        seen++;
    }
    emu_state_unlock(app->state);
    emu_api_page_end(&w, app, req, &page);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_api_category_playlists(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (!emu_api_authorize(app, req, reply, &grant))
        return;
    spotify__json c = br_category(app, req->params[0]);
    const char *name = NULL;
    size_t len;
    if (!spotify__json_valid(c) ||
        !spotify__json_get_string(spotify__json_get(c, "name"), &name, &len)) {
        emu_reply_api_error(reply, 404, "Non existing id");
        return;
    }
    br_playlists(app, req, reply, name);
}

void emu_api_featured_playlists(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    if (emu_api_authorize(app, req, reply, &grant))
        br_playlists(app, req, reply, "Picked by the emulator");
}

/* qsort_r order of album indices: newest release_date first. */
static int br_newest_first(const void *a, const void *b, void *arg)
{
    const emu_catalog *cat = ((const emu_app *)arg)->catalog;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    const char *dx = "", *dy = "";
    size_t lx, ly;
    spotify__json_get_string(
        spotify__json_get(emu_catalog_at(cat, EMU_ALBUM, x)->simplified, "release_date"), &dx, &lx);
    spotify__json_get_string(
        spotify__json_get(emu_catalog_at(cat, EMU_ALBUM, y)->simplified, "release_date"), &dy, &ly);
    int c = strcmp(dy, dx);
    return c != 0 ? c : (x > y) - (x < y);
}

void emu_api_new_releases(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_page page;
    if (!emu_api_authorize(app, req, reply, &grant) || !emu_api_page_params(req, reply, &page))
        return;
    size_t n = emu_catalog_count(app->catalog, EMU_ALBUM);
    size_t *order = spotify__calloc(n + 1, sizeof *order);
    if (order == NULL) {
        emu_reply_api_error(reply, 500, "Out of memory");
        return;
    }
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, br_newest_first, app);
    page.total = n;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "albums");
    emu_api_page_begin(&w, app, req, &page);
    for (size_t i = page.offset; i < n && i < page.offset + page.limit; i++)
        spotify__jw_value(&w, emu_catalog_at(app->catalog, EMU_ALBUM, order[i])->simplified);
    emu_api_page_end(&w, app, req, &page);
    spotify__jw_end_object(&w);
    spotify__free(order);
    emu_reply_json(reply, 200);
}

/* {"KEY": the fixture document}. */
static void br_doc(emu_app *app, emu_request *req, emu_reply *reply, emu_doc doc, const char *key)
{
    emu_grant grant;
    if (!emu_api_authorize(app, req, reply, &grant))
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, key);
    spotify__jw_value(&w, emu_catalog_doc(app->catalog, doc));
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

void emu_api_markets(emu_app *app, emu_request *req, emu_reply *reply)
{
    br_doc(app, req, reply, EMU_DOC_MARKETS, "markets");
}

void emu_api_genre_seeds(emu_app *app, emu_request *req, emu_reply *reply)
{
    br_doc(app, req, reply, EMU_DOC_GENRES, "genres");
}

/* One seed of a recommendations request. */
typedef struct br_seed {
    const char *type; /* "ARTIST", "TRACK", "GENRE" */
    char id[64];
} br_seed;

/* Appends the comma-separated seeds of query parameter `key`; 400 when one
 * is malformed or unknown, or when there are more than RECO_MAX_SEEDS. */
static bool br_read_seeds(emu_app *app, const emu_form *q, const char *key, const char *type,
                          emu_kind kind, br_seed *seeds, size_t *count, emu_reply *reply)
{
    const char *list = emu_form_get(q, key);
    if (list == NULL || list[0] == '\0')
        return true;
    for (const char *p = list;; p++) {
        size_t len = strcspn(p, ",");
        bool known = kind == EMU_KIND_COUNT
                         ? len > 0 && len < sizeof seeds[0].id
                         : emu_catalog_find(app->catalog, kind, p, len, NULL) != NULL;
        if (*count == RECO_MAX_SEEDS || !known) {
            emu_reply_api_error(reply, 400,
                                *count == RECO_MAX_SEEDS ? "Too many seeds" : "Invalid seed");
            return false;
        }
        seeds[*count].type = type;
        snprintf(seeds[*count].id, sizeof seeds[0].id, "%.*s", (int)len, p);
        (*count)++;
        p += len;
        if (*p == '\0')
            return true;
    }
}

static void br_write_seed(spotify__json_writer *w, const emu_app *app, const br_seed *s,
                          size_t count)
{
    char href[256];
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "afterFilteringSize");
    spotify__jw_uint64(w, count);
    spotify__jw_key(w, "afterRelinkingSize");
    spotify__jw_uint64(w, count);
    if (strcmp(s->type, "GENRE") != 0) {
        snprintf(href, sizeof href, "%s/v1/%ss/%s", app->base_url,
                 strcmp(s->type, "ARTIST") == 0 ? "artist" : "track", s->id);
        spotify__jw_key(w, "href");
        spotify__jw_cstring(w, href);
    }
    spotify__jw_key(w, "id");
    spotify__jw_cstring(w, s->id);
    spotify__jw_key(w, "initialPoolSize");
    spotify__jw_uint64(w, count * 10);
    spotify__jw_key(w, "type");
    spotify__jw_cstring(w, s->type);
    spotify__jw_end_object(w);
}

/* GET /recommendations: `limit` (1-100, default 20) catalog tracks picked
 * by a hash of the seeds (up to 5 artists, tracks and genres together;
 * none picks from the whole catalog). Tunable attributes are ignored. */
void emu_api_recommendations(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    long long limit = 20;
    br_seed seeds[RECO_MAX_SEEDS];
    size_t count = 0;
    if (!emu_api_authorize(app, req, reply, &grant))
        return;
    const emu_form *q = emu_request_query(req);
    if (q == NULL ||
        (emu_form_get(q, "limit") != NULL && !emu_api_query_int(req, "limit", 1, 100, &limit))) {
        emu_reply_api_error(reply, 400, "Invalid limit");
        return;
    }
    if (!br_read_seeds(app, q, "seed_artists", "ARTIST", EMU_ARTIST, seeds, &count, reply) ||
        !br_read_seeds(app, q, "seed_tracks", "TRACK", EMU_TRACK, seeds, &count, reply) ||
        !br_read_seeds(app, q, "seed_genres", "GENRE", EMU_KIND_COUNT, seeds, &count, reply))
        return;
    uint64_t h = UINT64_C(1469598103934665603);
    for (size_t i = 0; i < count; i++)
        h = br_hash(seeds[i].id, h);
    size_t n = emu_catalog_count(app->catalog, EMU_TRACK);
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "seeds");
    spotify__jw_begin_array(&w);
    for (size_t i = 0; i < count; i++)
        br_write_seed(&w, app, &seeds[i], (size_t)limit);
    spotify__jw_end_array(&w);
    spotify__jw_key(&w, "tracks");
    spotify__jw_begin_array(&w);
    for (long long i = 0; i < limit && n > 0; i++)
        spotify__jw_value(
            &w,
            emu_catalog_at(app->catalog, EMU_TRACK, (size_t)((h + (uint64_t)i * 7919) % n))->full);
    spotify__jw_end_array(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

/* An AudioFeaturesObject for catalog track `item`, made up from its id. */
static void br_write_features(spotify__json_writer *w, const emu_app *app, const emu_item *item)
{
    static const char *const unit_keys[] = {"acousticness",     "danceability", "energy",
                                            "instrumentalness", "liveness",     "speechiness",
                                            "valence"};
    char text[192];
    uint64_t h = br_hash(item->id, UINT64_C(1469598103934665603));
    int64_t duration = 0;
    spotify__json_get_int64(spotify__json_get(item->full, "duration_ms"), &duration);
    spotify__jw_begin_object(w);
    for (unsigned k = 0; k < sizeof unit_keys / sizeof unit_keys[0]; k++) {
        spotify__jw_key(w, unit_keys[k]);
        spotify__jw_double(w, br_unit(h, k));
    }
    snprintf(text, sizeof text, "%s/v1/audio-analysis/%s", app->base_url, item->id);
    spotify__jw_key(w, "analysis_url");
    spotify__jw_cstring(w, text);
    spotify__jw_key(w, "duration_ms");
    spotify__jw_int64(w, duration);
    spotify__jw_key(w, "id");
    spotify__jw_cstring(w, item->id);
    spotify__jw_key(w, "key");
    spotify__jw_int64(w, (int64_t)(h % 12));
    spotify__jw_key(w, "loudness");
    spotify__jw_double(w, -3.0 - 20.0 * br_unit(h, 20));
    spotify__jw_key(w, "mode");
    spotify__jw_int64(w, (int64_t)((h >> 8) & 1));
    spotify__jw_key(w, "tempo");
    spotify__jw_double(w, 70.0 + 110.0 * br_unit(h, 21));
    spotify__jw_key(w, "time_signature");
    spotify__jw_int64(w, 4);
    snprintf(text, sizeof text, "%s/v1/tracks/%s", app->base_url, item->id);
    spotify__jw_key(w, "track_href");
    spotify__jw_cstring(w, text);
    spotify__jw_key(w, "type");
    spotify__jw_cstring(w, "audio_features");
    snprintf(text, sizeof text, "spotify:track:%s", item->id);
    spotify__jw_key(w, "uri");
    spotify__jw_cstring(w, text);
    spotify__jw_end_object(w);
}

void emu_api_audio_features(emu_app *app, emu_request *req, emu_reply *reply)
{
    const emu_item *item = emu_api_path_item(app, req, reply, EMU_TRACK, NULL);
    if (item == NULL)
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    br_write_features(&w, app, item);
    emu_reply_json(reply, 200);
}

void emu_api_several_audio_features(emu_app *app, emu_request *req, emu_reply *reply)
{
    emu_grant grant;
    emu_id_list ids;
    if (!emu_api_authorize(app, req, reply, &grant) ||
        !emu_api_ids(req, reply, (spotify__json){0}, EMU_MAX_IDS, false, &ids))
        return;
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "audio_features");
    spotify__jw_begin_array(&w);
    for (size_t i = 0; i < ids.count; i++) {
        const emu_item *item =
            emu_catalog_find(app->catalog, EMU_TRACK, ids.ids[i], EMU_ID_LEN, NULL);
        if (item == NULL)
            spotify__jw_null(&w);
        else
            br_write_features(&w, app, item);
    }
    spotify__jw_end_array(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}

/* `count` equal TimeIntervalObjects covering `seconds`. */
static void br_write_intervals(spotify__json_writer *w, const char *key, double seconds, int count)
{
    spotify__jw_key(w, key);
    spotify__jw_begin_array(w);
    for (int i = 0; i < count; i++) {
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "confidence");
        spotify__jw_double(w, 0.5);
        spotify__jw_key(w, "duration");
        spotify__jw_double(w, seconds / count);
        spotify__jw_key(w, "start");
        spotify__jw_double(w, seconds * i / count);
        spotify__jw_end_object(w);
    }
    spotify__jw_end_array(w);
}

/* GET /audio-analysis/{id}: a coarse, made-up analysis (a few bars, beats,
 * tatums, sections and segments spread over the track). */
void emu_api_audio_analysis(emu_app *app, emu_request *req, emu_reply *reply)
{
    const emu_item *item = emu_api_path_item(app, req, reply, EMU_TRACK, NULL);
    if (item == NULL)
        return;
    int64_t ms = 0;
    spotify__json_get_int64(spotify__json_get(item->full, "duration_ms"), &ms);
    double seconds = (double)ms / 1000.0;
    uint64_t h = br_hash(item->id, UINT64_C(1469598103934665603));
    spotify__json_writer w;
    spotify__jw_init(&w, &reply->body);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "meta");
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "analyzer_version");
    spotify__jw_cstring(&w, "emulator");
    spotify__jw_key(&w, "platform");
    spotify__jw_cstring(&w, "Linux");
    spotify__jw_key(&w, "status_code");
    spotify__jw_int64(&w, 0);
    spotify__jw_end_object(&w);
    spotify__jw_key(&w, "track");
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "duration");
    spotify__jw_double(&w, seconds);
    spotify__jw_key(&w, "key");
    spotify__jw_int64(&w, (int64_t)(h % 12));
    spotify__jw_key(&w, "mode");
    spotify__jw_int64(&w, (int64_t)((h >> 8) & 1));
    spotify__jw_key(&w, "tempo");
    spotify__jw_double(&w, 70.0 + 110.0 * br_unit(h, 21));
    spotify__jw_key(&w, "time_signature");
    spotify__jw_int64(&w, 4);
    spotify__jw_end_object(&w);
    br_write_intervals(&w, "bars", seconds, 8);
    br_write_intervals(&w, "beats", seconds, 32);
    br_write_intervals(&w, "tatums", seconds, 64);
    spotify__jw_key(&w, "sections");
    spotify__jw_begin_array(&w);
    for (int i = 0; i < 2; i++) {
        spotify__jw_begin_object(&w);
        spotify__jw_key(&w, "start");
        spotify__jw_double(&w, seconds * i / 2);
        spotify__jw_key(&w, "duration");
        spotify__jw_double(&w, seconds / 2);
        spotify__jw_key(&w, "confidence");
        spotify__jw_double(&w, 1.0);
        spotify__jw_key(&w, "loudness");
        spotify__jw_double(&w, -8.0);
        spotify__jw_key(&w, "mode");
        spotify__jw_int64(&w, (int64_t)((h >> 8) & 1));
        spotify__jw_key(&w, "time_signature");
        spotify__jw_int64(&w, 4);
        spotify__jw_end_object(&w);
    }
    spotify__jw_end_array(&w);
    spotify__jw_key(&w, "segments");
    spotify__jw_begin_array(&w);
    for (int i = 0; i < 4; i++) {
        spotify__jw_begin_object(&w);
        spotify__jw_key(&w, "start");
        spotify__jw_double(&w, seconds * i / 4);
        spotify__jw_key(&w, "duration");
        spotify__jw_double(&w, seconds / 4);
        spotify__jw_key(&w, "confidence");
        spotify__jw_double(&w, 0.5);
        spotify__jw_key(&w, "loudness_start");
        spotify__jw_double(&w, -20.0);
        spotify__jw_key(&w, "loudness_max");
        spotify__jw_double(&w, -6.0);
        spotify__jw_key(&w, "loudness_end");
        spotify__jw_double(&w, -20.0);
        spotify__jw_end_object(&w);
    }
    spotify__jw_end_array(&w);
    spotify__jw_end_object(&w);
    emu_reply_json(reply, 200);
}
