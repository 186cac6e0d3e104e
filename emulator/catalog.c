/* SPDX-License-Identifier: Apache-2.0 */
/*
 * catalog.c - catalog storage and lookup, and the import of the fixtures
 * (albums with their tracks, tracks, artists) with links rewritten to point
 * at the emulator. Generated data comes from catalog_gen.c.
 */
#include "catalog_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/alloc.h"
#include "core/arena.h"
#include "fixtures.h"
#include "strmap.h"

#define SPOTIFY_API_PREFIX "https://api.spotify.com/v1"

struct emu_catalog {
    spotify__arena *arena;
    emu_item *items[EMU_KIND_COUNT];
    size_t count[EMU_KIND_COUNT];
    size_t cap[EMU_KIND_COUNT];
    emu_strmap *index[EMU_KIND_COUNT];
    spotify__json docs[EMU_DOC_COUNT];
    char api_base[192];
};

/* Scratch state of the fixture import. */
typedef struct importer {
    emu_catalog *cat;
    spotify__arena *scratch;
    spotify__json docs[16];
    const char *names[16];
    size_t doc_count;
} importer;

static const char *const kind_names[EMU_KIND_COUNT] = {"album",   "artist",    "track",  "show",
                                                       "episode", "audiobook", "chapter"};
/* The fixture behind each emu_doc, and the member holding the document. */
static const char *const doc_files[EMU_DOC_COUNT] = {"browse-categories.json", "markets.json",
                                                     "recommendation-genres.json"};

/* Keys of a full album that its simplified form leaves out. */
static const char *const album_only_keys[] = {
    "tracks", "copyrights", "external_ids", "genres", "label", "popularity", NULL};
/* Keys of a full artist that its simplified form leaves out. */
static const char *const artist_only_keys[] = {"followers", "genres", "images", "popularity", NULL};
/* Keys of a full track that its simplified form leaves out. */
static const char *const track_only_keys[] = {"album", "external_ids", "popularity", NULL};

const char *emu_kind_name(emu_kind kind)
{
    return kind < EMU_KIND_COUNT ? kind_names[kind] : "";
}

bool emu_is_spotify_id(const char *id, size_t len)
{
    if (len != EMU_ID_LEN)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = id[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return false;
    }
    return true;
}

size_t emu_catalog_count(const emu_catalog *catalog, emu_kind kind)
{
    return kind < EMU_KIND_COUNT ? catalog->count[kind] : 0;
}

const emu_item *emu_catalog_at(const emu_catalog *catalog, emu_kind kind, size_t index)
{
    if (kind >= EMU_KIND_COUNT || index >= catalog->count[kind])
        return NULL;
    return &catalog->items[kind][index];
}

const emu_item *emu_catalog_find(const emu_catalog *catalog, emu_kind kind, const char *id,
                                 size_t len, size_t *index_out)
{
    if (kind >= EMU_KIND_COUNT || len != EMU_ID_LEN)
        return NULL;
    void *slot = emu_strmap_get(catalog->index[kind], id, len);
    if (slot == NULL)
        return NULL;
    size_t index = (size_t)(uintptr_t)slot - 1;
    if (index_out != NULL)
        *index_out = index;
    return &catalog->items[kind][index];
}

spotify__json emu_catalog_doc(const emu_catalog *catalog, emu_doc doc)
{
    return doc < EMU_DOC_COUNT ? catalog->docs[doc] : (spotify__json){0};
}

bool emu_catalog_is_market(const emu_catalog *catalog, const char *code)
{
    spotify__json list = catalog->docs[EMU_DOC_MARKETS];
    for (spotify__json m = spotify__json_first(list); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *s;
        size_t len;
        if (spotify__json_get_string(m, &s, &len) && len == strlen(code) &&
            memcmp(s, code, len) == 0)
            return true;
    }
    return false;
}

const char *emu__catalog_api_base(const emu_catalog *catalog)
{
    return catalog->api_base;
}

bool emu__catalog_id_taken(const emu_catalog *catalog, const char *id)
{
    for (int k = 0; k < EMU_KIND_COUNT; k++)
        if (emu_strmap_get(catalog->index[k], id, strlen(id)) != NULL)
            return true;
    return false;
}

/* Parses `text` into the catalog arena. */
static bool parse_into(emu_catalog *cat, const char *text, size_t len, spotify__json *out)
{
    spotify_error err = {0};
    return spotify__json_parse(out, cat->arena, text, len, len, &err) == SPOTIFY_OK;
}

/* A string member of a parsed object, or NULL. */
static const char *member_cstr(spotify__json obj, const char *key)
{
    const char *s = NULL;
    size_t len;
    if (!spotify__json_get_string(spotify__json_get(obj, key), &s, &len))
        return NULL;
    return s;
}

size_t emu__catalog_add(emu_catalog *cat, emu_kind kind, const char *id,
                        const spotify__strbuf *full, const spotify__strbuf *simplified,
                        int popularity)
{
    if (full->failed || simplified->failed || !emu_is_spotify_id(id, strlen(id)) ||
        emu_strmap_get(cat->index[kind], id, EMU_ID_LEN) != NULL)
        return EMU_NONE;
    if (cat->count[kind] == cat->cap[kind]) {
        size_t cap = cat->cap[kind] == 0 ? 64 : cat->cap[kind] * 2;
        emu_item *grown = spotify__realloc(cat->items[kind], cap * sizeof *grown);
        if (grown == NULL)
            return EMU_NONE;
        cat->items[kind] = grown;
        cat->cap[kind] = cap;
    }
    emu_item *item = &cat->items[kind][cat->count[kind]];
    memset(item, 0, sizeof *item);
    memcpy(item->id, id, EMU_ID_LEN + 1);
    item->album = EMU_NONE;
    item->popularity = popularity;
    item->json = spotify__arena_strndup(cat->arena, full->data, full->len);
    item->json_len = full->len;
    item->simplified_json = spotify__arena_strndup(cat->arena, simplified->data, simplified->len);
    item->simplified_len = simplified->len;
    if (item->json == NULL || item->simplified_json == NULL ||
        !parse_into(cat, full->data, full->len, &item->full) ||
        !parse_into(cat, simplified->data, simplified->len, &item->simplified))
        return EMU_NONE;
    item->name = member_cstr(item->full, "name");
    if (item->name == NULL)
        item->name = "";
    size_t index = cat->count[kind];
    /* Values are index + 1 so that index 0 is not a NULL pointer. */
    if (!emu_strmap_put(cat->index[kind], id, EMU_ID_LEN, (void *)(uintptr_t)(index + 1)))
        return EMU_NONE;
    cat->count[kind]++;
    return index;
}

bool emu__catalog_relate(emu_catalog *cat, emu_kind kind, size_t index, size_t album,
                         const size_t *tracks, size_t track_count, const size_t *artists,
                         size_t artist_count)
{
    emu_item *item = &cat->items[kind][index];
    size_t *t = spotify__arena_calloc(cat->arena, track_count, sizeof *t);
    size_t *a = spotify__arena_calloc(cat->arena, artist_count, sizeof *a);
    if (t == NULL || a == NULL)
        return false;
    if (track_count > 0)
        memcpy(t, tracks, track_count * sizeof *t);
    if (artist_count > 0)
        memcpy(a, artists, artist_count * sizeof *a);
    item->album = album;
    item->tracks = t;
    item->track_count = track_count;
    item->artists = a;
    item->artist_count = artist_count;
    return true;
}

/* Writes `v` with Spotify API links rewritten to the emulator, leaving out
 * the top-level members named in `skip` (NULL-terminated, or NULL). */
static void copy_value(const emu_catalog *cat, spotify__json_writer *w, spotify__json v,
                       const char *const *skip)
{
    spotify__json_type type = spotify__json_type_of(v);
    if (type == SPOTIFY__JSON_OBJECT || type == SPOTIFY__JSON_ARRAY) {
        bool object = type == SPOTIFY__JSON_OBJECT;
        object ? spotify__jw_begin_object(w) : spotify__jw_begin_array(w);
        for (spotify__json m = spotify__json_first(v); spotify__json_valid(m);
             m = spotify__json_next(m)) {
            if (object) {
                const char *key;
                size_t len;
                spotify__json_key(m, &key, &len);
                bool skipped = false;
                for (size_t i = 0; skip != NULL && skip[i] != NULL && !skipped; i++)
                    skipped = strcmp(skip[i], key) == 0;
                if (skipped)
                    continue;
                spotify__jw_key(w, key);
            }
            copy_value(cat, w, object ? spotify__json_member_value(m) : m, NULL);
        }
        object ? spotify__jw_end_object(w) : spotify__jw_end_array(w);
        return;
    }
    const char *s;
    size_t len;
    size_t prefix = sizeof SPOTIFY_API_PREFIX - 1;
    if (type == SPOTIFY__JSON_STRING && spotify__json_get_string(v, &s, &len) && len >= prefix &&
        memcmp(s, SPOTIFY_API_PREFIX, prefix) == 0) {
        spotify__strbuf link = SPOTIFY__STRBUF_INIT;
        spotify__strbuf_append_str(&link, cat->api_base);
        spotify__strbuf_append(&link, s + prefix, len - prefix);
        spotify__jw_string(w, spotify__strbuf_cstr(&link), link.len);
        if (link.failed)
            w->failed = true;
        spotify__strbuf_release(&link);
        return;
    }
    spotify__jw_value(w, v);
}

/* Renders `v` (minus `skip`) into `out`, which is reset first. */
static bool render(const emu_catalog *cat, spotify__strbuf *out, spotify__json v,
                   const char *const *skip)
{
    spotify__strbuf_reset(out);
    spotify__json_writer w;
    spotify__jw_init(&w, out);
    copy_value(cat, &w, v, skip);
    return spotify__jw_ok(&w);
}

/* A number in [0, range) derived from an id, for fields fixtures lack. */
static unsigned id_number(const char *id, unsigned range)
{
    unsigned h = 2166136261u;
    for (; *id != '\0'; id++)
        h = (h ^ (unsigned char)*id) * 16777619u;
    return h % range;
}

/* Adds an artist from its simplified object, inventing the full fields. */
static size_t add_artist_from_simplified(emu_catalog *cat, spotify__json simplified,
                                         spotify__strbuf *full, spotify__strbuf *simple)
{
    const char *id = member_cstr(simplified, "id");
    if (id == NULL || !render(cat, simple, simplified, NULL))
        return EMU_NONE;
    spotify__strbuf_reset(full);
    spotify__json_writer w;
    spotify__jw_init(&w, full);
    spotify__jw_begin_object(&w);
    for (spotify__json m = spotify__json_first(simplified); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *key;
        size_t len;
        spotify__json_key(m, &key, &len);
        spotify__jw_key(&w, key);
        copy_value(cat, &w, spotify__json_member_value(m), NULL);
    }
    int popularity = (int)id_number(id, 60) + 20;
    spotify__jw_key(&w, "followers");
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "href");
    spotify__jw_null(&w);
    spotify__jw_key(&w, "total");
    spotify__jw_int64(&w, (int64_t)id_number(id, 5000000));
    spotify__jw_end_object(&w);
    spotify__jw_key(&w, "genres");
    spotify__jw_begin_array(&w);
    spotify__jw_end_array(&w);
    spotify__jw_key(&w, "images");
    spotify__jw_begin_array(&w);
    spotify__jw_end_array(&w);
    spotify__jw_key(&w, "popularity");
    spotify__jw_int64(&w, popularity);
    spotify__jw_end_object(&w);
    if (!spotify__jw_ok(&w))
        return EMU_NONE;
    return emu__catalog_add(cat, EMU_ARTIST, id, full, simple, popularity);
}

static int member_int(spotify__json obj, const char *key)
{
    int64_t n = 0;
    spotify__json_get_int64(spotify__json_get(obj, key), &n);
    return (int)n;
}

static bool has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Adds an artist fixture (a full object) unless its id is known. */
static bool import_full_artist(importer *im, spotify__json artist, spotify__strbuf *full,
                               spotify__strbuf *simple)
{
    emu_catalog *cat = im->cat;
    const char *id = member_cstr(artist, "id");
    if (id == NULL)
        return false;
    if (emu_catalog_find(cat, EMU_ARTIST, id, strlen(id), NULL) != NULL)
        return true;
    return render(cat, full, artist, NULL) && render(cat, simple, artist, artist_only_keys) &&
           emu__catalog_add(cat, EMU_ARTIST, id, full, simple, member_int(artist, "popularity")) !=
               EMU_NONE;
}

/* Adds every simplified artist in array `artists` that is not known yet. */
static bool import_artist_refs(importer *im, spotify__json artists, spotify__strbuf *full,
                               spotify__strbuf *simple)
{
    for (spotify__json a = spotify__json_first(artists); spotify__json_valid(a);
         a = spotify__json_next(a)) {
        const char *id = member_cstr(a, "id");
        if (id == NULL)
            return false;
        if (emu_catalog_find(im->cat, EMU_ARTIST, id, strlen(id), NULL) == NULL &&
            add_artist_from_simplified(im->cat, a, full, simple) == EMU_NONE)
            return false;
    }
    return true;
}

/* Artists first: the full fixtures, then every artist an album or track names. */
static bool import_artists(importer *im, spotify__strbuf *full, spotify__strbuf *simple)
{
    for (size_t i = 0; i < im->doc_count; i++)
        if (has_prefix(im->names[i], "artist-") &&
            !import_full_artist(im, im->docs[i], full, simple))
            return false;
    for (size_t i = 0; i < im->doc_count; i++) {
        spotify__json doc = im->docs[i];
        if (has_prefix(im->names[i], "album-")) {
            if (!import_artist_refs(im, spotify__json_get(doc, "artists"), full, simple))
                return false;
            spotify__json items = spotify__json_get(spotify__json_get(doc, "tracks"), "items");
            for (spotify__json t = spotify__json_first(items); spotify__json_valid(t);
                 t = spotify__json_next(t))
                if (!import_artist_refs(im, spotify__json_get(t, "artists"), full, simple))
                    return false;
        } else if (has_prefix(im->names[i], "track-")) {
            if (!import_artist_refs(im, spotify__json_get(doc, "artists"), full, simple))
                return false;
        }
    }
    return true;
}

/* The indices of the (known) artists in array `artists`; returns the count. */
static size_t artist_indices(const emu_catalog *cat, spotify__json artists, size_t *out, size_t max)
{
    size_t n = 0;
    for (spotify__json a = spotify__json_first(artists); spotify__json_valid(a) && n < max;
         a = spotify__json_next(a)) {
        const char *id = member_cstr(a, "id");
        if (id != NULL && emu_catalog_find(cat, EMU_ARTIST, id, strlen(id), &out[n]) != NULL)
            n++;
    }
    return n;
}

/* The track fixture with `id`, or an invalid handle. */
static spotify__json track_fixture(const importer *im, const char *id)
{
    for (size_t i = 0; i < im->doc_count; i++) {
        const char *tid = member_cstr(im->docs[i], "id");
        if (has_prefix(im->names[i], "track-") && tid != NULL && strcmp(tid, id) == 0)
            return im->docs[i];
    }
    spotify__json none = {NULL, 0};
    return none;
}

/* Renders a full track from an album's simplified track and the album. */
static bool synthesize_track(const emu_catalog *cat, spotify__strbuf *out, spotify__json item,
                             spotify__json album_simple, const char *id)
{
    spotify__strbuf_reset(out);
    spotify__json_writer w;
    spotify__jw_init(&w, out);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "album");
    copy_value(cat, &w, album_simple, NULL);
    for (spotify__json m = spotify__json_first(item); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *key;
        size_t len;
        spotify__json_key(m, &key, &len);
        spotify__jw_key(&w, key);
        copy_value(cat, &w, spotify__json_member_value(m), NULL);
    }
    char isrc[16];
    snprintf(isrc, sizeof isrc, "QZEMU%07u", id_number(id, 10000000));
    spotify__jw_key(&w, "external_ids");
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "isrc");
    spotify__jw_cstring(&w, isrc);
    spotify__jw_end_object(&w);
    spotify__jw_key(&w, "popularity");
    spotify__jw_int64(&w, (int64_t)id_number(id, 80) + 10);
    spotify__jw_end_object(&w);
    return spotify__jw_ok(&w);
}

/* Adds one track of a fixture album; *index gets its index. */
static bool import_album_track(importer *im, spotify__json item, spotify__json album_simple,
                               spotify__strbuf *full, spotify__strbuf *simple, size_t *index)
{
    emu_catalog *cat = im->cat;
    const char *id = member_cstr(item, "id");
    if (id == NULL)
        return false;
    if (emu_catalog_find(cat, EMU_TRACK, id, strlen(id), index) != NULL)
        return true;
    spotify__json fix = track_fixture(im, id);
    bool ok = spotify__json_valid(fix) ? render(cat, full, fix, NULL)
                                       : synthesize_track(cat, full, item, album_simple, id);
    if (!ok || !render(cat, simple, item, NULL))
        return false;
    /* the popularity the track's JSON says (the fixture's, or the one
     * synthesize_track wrote) */
    int popularity =
        spotify__json_valid(fix) ? member_int(fix, "popularity") : (int)id_number(id, 80) + 10;
    *index = emu__catalog_add(cat, EMU_TRACK, id, full, simple, popularity);
    return *index != EMU_NONE;
}

/* Adds an album fixture and its tracks, with their relations. */
static bool import_album(importer *im, spotify__json album, spotify__strbuf *full,
                         spotify__strbuf *simple)
{
    emu_catalog *cat = im->cat;
    const char *id = member_cstr(album, "id");
    spotify__json album_simple;
    if (id == NULL || !render(cat, simple, album, album_only_keys) ||
        !parse_into(cat, simple->data, simple->len, &album_simple))
        return false;
    spotify__json items = spotify__json_get(spotify__json_get(album, "tracks"), "items");
    size_t track_count = spotify__json_count(items);
    size_t *tracks = spotify__arena_calloc(im->scratch, track_count + 1, sizeof *tracks);
    size_t n = 0;
    for (spotify__json t = spotify__json_first(items); tracks != NULL && spotify__json_valid(t);
         t = spotify__json_next(t))
        if (!import_album_track(im, t, album_simple, full, simple, &tracks[n++]))
            return false;
    size_t artists[16];
    size_t artist_count = artist_indices(cat, spotify__json_get(album, "artists"), artists, 16);
    if (tracks == NULL || !render(cat, full, album, NULL) ||
        !render(cat, simple, album, album_only_keys))
        return false;
    size_t index =
        emu__catalog_add(cat, EMU_ALBUM, id, full, simple, member_int(album, "popularity"));
    if (index == EMU_NONE ||
        !emu__catalog_relate(cat, EMU_ALBUM, index, EMU_NONE, tracks, n, artists, artist_count))
        return false;
    n = 0;
    for (spotify__json t = spotify__json_first(items); spotify__json_valid(t);
         t = spotify__json_next(t), n++) {
        size_t track_artists[16];
        size_t count = artist_indices(cat, spotify__json_get(t, "artists"), track_artists, 16);
        if (!emu__catalog_relate(cat, EMU_TRACK, tracks[n], index, NULL, 0, track_artists, count))
            return false;
    }
    return true;
}

/* Track fixtures that no album fixture lists are added on their own. */
static bool import_loose_tracks(importer *im, spotify__strbuf *full, spotify__strbuf *simple)
{
    emu_catalog *cat = im->cat;
    for (size_t i = 0; i < im->doc_count; i++) {
        spotify__json doc = im->docs[i];
        const char *id = member_cstr(doc, "id");
        if (!has_prefix(im->names[i], "track-") || id == NULL ||
            emu_catalog_find(cat, EMU_TRACK, id, strlen(id), NULL) != NULL)
            continue;
        if (!render(cat, full, doc, NULL) || !render(cat, simple, doc, track_only_keys))
            return false;
        size_t index =
            emu__catalog_add(cat, EMU_TRACK, id, full, simple, member_int(doc, "popularity"));
        size_t artists[16];
        size_t count = artist_indices(cat, spotify__json_get(doc, "artists"), artists, 16);
        const char *album_id = member_cstr(spotify__json_get(doc, "album"), "id");
        size_t album = EMU_NONE;
        if (album_id != NULL)
            emu_catalog_find(cat, EMU_ALBUM, album_id, strlen(album_id), &album);
        if (index == EMU_NONE ||
            !emu__catalog_relate(cat, EMU_TRACK, index, album, NULL, 0, artists, count))
            return false;
    }
    return true;
}

/* Parses every embedded fixture into the importer's scratch arena. */
static bool parse_fixtures(importer *im, char *err, size_t err_size)
{
    for (size_t i = 0; i < emu_fixture_count && im->doc_count < 16; i++) {
        const emu_fixture *f = &emu_fixtures[i];
        spotify_error jerr = {0};
        if (spotify__json_parse(&im->docs[im->doc_count], im->scratch, (const char *)f->data,
                                f->len, f->len + 1, &jerr) != SPOTIFY_OK) {
            snprintf(err, err_size, "fixture %s: %s", f->name, jerr.message);
            return false;
        }
        im->names[im->doc_count++] = f->name;
    }
    return true;
}

/* Keeps the documents of doc_files (links rewritten) in the catalog. */
static bool import_docs(importer *im, spotify__strbuf *buf)
{
    static const char *const paths[EMU_DOC_COUNT][2] = {
        {"categories", "items"}, {"markets", NULL}, {"genres", NULL}};
    for (int d = 0; d < EMU_DOC_COUNT; d++) {
        for (size_t i = 0; i < im->doc_count; i++) {
            if (strcmp(im->names[i], doc_files[d]) != 0)
                continue;
            spotify__json v = spotify__json_get(im->docs[i], paths[d][0]);
            if (paths[d][1] != NULL)
                v = spotify__json_get(v, paths[d][1]);
            if (spotify__json_type_of(v) != SPOTIFY__JSON_ARRAY || !render(im->cat, buf, v, NULL) ||
                !parse_into(im->cat, buf->data, buf->len, &im->cat->docs[d]))
                return false;
        }
    }
    return true;
}

static bool import_fixtures(emu_catalog *cat, char *err, size_t err_size)
{
    importer im = {cat, spotify__arena_new(0), {{NULL, 0}}, {NULL}, 0};
    spotify__strbuf full = SPOTIFY__STRBUF_INIT;
    spotify__strbuf simple = SPOTIFY__STRBUF_INIT;
    bool ok = im.scratch != NULL && parse_fixtures(&im, err, err_size);
    if (ok) {
        ok = import_artists(&im, &full, &simple);
        for (size_t i = 0; ok && i < im.doc_count; i++)
            if (has_prefix(im.names[i], "album-"))
                ok = import_album(&im, im.docs[i], &full, &simple);
        ok = ok && import_loose_tracks(&im, &full, &simple) && import_docs(&im, &full);
        if (!ok)
            snprintf(err, err_size, "could not import the fixtures");
    }
    spotify__strbuf_release(&full);
    spotify__strbuf_release(&simple);
    spotify__arena_free(im.scratch);
    return ok;
}

/* Fills each artist's `albums` from the albums' artist lists. */
static bool relate_artist_albums(emu_catalog *cat)
{
    size_t artist_count = cat->count[EMU_ARTIST];
    size_t *counts = spotify__calloc(artist_count + 1, sizeof *counts);
    size_t **lists = spotify__calloc(artist_count + 1, sizeof *lists);
    bool ok = counts != NULL && lists != NULL;
    for (size_t i = 0; ok && i < cat->count[EMU_ALBUM]; i++)
        for (size_t j = 0; j < cat->items[EMU_ALBUM][i].artist_count; j++)
            counts[cat->items[EMU_ALBUM][i].artists[j]]++;
    for (size_t a = 0; ok && a < artist_count; a++) {
        lists[a] = spotify__arena_calloc(cat->arena, counts[a] + 1, sizeof *lists[a]);
        ok = lists[a] != NULL;
        counts[a] = 0;
    }
    for (size_t i = 0; ok && i < cat->count[EMU_ALBUM]; i++) {
        const emu_item *album = &cat->items[EMU_ALBUM][i];
        for (size_t j = 0; j < album->artist_count; j++) {
            size_t a = album->artists[j];
            lists[a][counts[a]++] = i;
        }
    }
    for (size_t a = 0; ok && a < artist_count; a++) {
        cat->items[EMU_ARTIST][a].albums = lists[a];
        cat->items[EMU_ARTIST][a].album_count = counts[a];
    }
    spotify__free(counts);
    spotify__free(lists);
    return ok;
}

emu_catalog *emu_catalog_build(const char *base_url, char *err, size_t err_size)
{
    emu_catalog *cat = spotify__calloc(1, sizeof *cat);
    if (cat == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    snprintf(cat->api_base, sizeof cat->api_base, "%s/v1", base_url);
    cat->arena = spotify__arena_new(1 << 20);
    bool ok = cat->arena != NULL;
    for (int k = 0; ok && k < EMU_KIND_COUNT; k++)
        ok = (cat->index[k] = emu_strmap_new()) != NULL;
    if (!ok)
        snprintf(err, err_size, "out of memory");
    ok = ok && import_fixtures(cat, err, err_size);
    if (ok && (!emu__catalog_generate(cat) || !emu__catalog_generate_media(cat))) {
        snprintf(err, err_size, "could not generate the catalog");
        ok = false;
    }
    if (ok && !relate_artist_albums(cat)) {
        snprintf(err, err_size, "out of memory");
        ok = false;
    }
    if (!ok) {
        emu_catalog_free(cat);
        return NULL;
    }
    return cat;
}

void emu_catalog_free(emu_catalog *catalog)
{
    if (catalog == NULL)
        return;
    for (int k = 0; k < EMU_KIND_COUNT; k++) {
        spotify__free(catalog->items[k]);
        emu_strmap_free(catalog->index[k]);
    }
    spotify__arena_free(catalog->arena);
    spotify__free(catalog);
}
