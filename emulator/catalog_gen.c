/* SPDX-License-Identifier: Apache-2.0 */
/*
 * catalog_gen.c - the generated part of the catalog: artists, albums and
 * tracks with made-up names, drawn from a fixed-seed generator so that ids
 * and contents are identical on every run and every machine.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "catalog_internal.h"
#include "core/alloc.h"
#include "strmap.h"

#define GEN_ARTISTS 60
#define GEN_ALBUMS 200
#define GEN_SEED UINT64_C(0x5eed5eed2024)
#define MAX_ARTISTS_PER 2

static const char *const adjectives[] = {
    "Amber",   "Silver", "Velvet",   "Electric",  "Hollow",  "Golden", "Midnight", "Crimson",
    "Quiet",   "Neon",   "Paper",    "Glass",     "Wild",    "Broken", "Northern", "Lunar",
    "Static",  "Faded",  "Restless", "Distant",   "Burning", "Frozen", "Gentle",   "Hidden",
    "Painted", "Rusty",  "Sleeping", "Wandering", "Bright",  "Secret"};
static const char *const nouns[] = {
    "Harbor",  "Echo",    "Garden", "Signal",    "River",  "Engine",  "Lantern", "Meadow",
    "Mirror",  "Orchard", "Parade", "Satellite", "Shadow", "Tide",    "Valley",  "Window",
    "Circuit", "Compass", "Desert", "Ember",     "Forest", "Horizon", "Island",  "Journey",
    "Kingdom", "Machine", "Ocean",  "Planet",    "Season", "Thunder"};
static const char *const first_names[] = {
    "Ada",  "Ben", "Clara", "Dev",  "Elin", "Felix", "Greta", "Hugo", "Iris", "Jonas",
    "Kira", "Leo", "Maja",  "Nils", "Olga", "Pablo", "Rosa",  "Sami", "Tove", "Viktor"};
static const char *const last_names[] = {"Berg",      "Castaño", "Dahl",     "Eriksen", "Lefèvre",
                                         "Gallo",     "Holm",    "Ivanova",  "Jensen",  "Kowalski",
                                         "Lindqvist", "Moreau",  "Nakamura", "Okafor",  "Petrov",
                                         "Quinn",     "Rossi",   "Sato",     "Torres",  "Varga"};
static const char *const genres[] = {"indie pop", "synthwave", "folk",        "jazz",
                                     "ambient",   "post-rock", "hip hop",     "techno",
                                     "soul",      "dream pop", "garage rock", "classical"};
static const char *const markets[] = {"CA", "DE", "ES", "FR", "GB", "JP", "MX", "SE", "US"};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

typedef struct gen_artist {
    char id[EMU_ID_LEN + 1];
    char name[64];
    int genre[2];
    int genre_count;
    int popularity;
    int64_t followers;
    size_t index; /* in the catalog */
} gen_artist;

typedef struct gen_album {
    char id[EMU_ID_LEN + 1];
    char name[80];
    const char *type; /* album, single, compilation */
    int year, month, day;
    int artists[MAX_ARTISTS_PER];
    int artist_count;
    size_t first_track;
    size_t track_count;
    int popularity;
    size_t index;
} gen_album;

typedef struct gen_track {
    char id[EMU_ID_LEN + 1];
    char name[80];
    size_t album;
    int number;
    int duration_ms;
    bool explicit_lyrics;
    int popularity;
    int artists[MAX_ARTISTS_PER];
    int artist_count;
    size_t index;
} gen_track;

typedef struct generator {
    emu__gen_base base;
    gen_artist artists[GEN_ARTISTS];
    gen_album albums[GEN_ALBUMS];
    gen_track *tracks;
    size_t track_count;
} generator;

uint64_t emu__gen_next(uint64_t *state)
{
    uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static int pick(generator *g, size_t n)
{
    return (int)(emu__gen_next(&g->base.state) % n);
}

bool emu__gen_begin(emu__gen_base *g, emu_catalog *catalog, uint64_t seed)
{
    g->cat = catalog;
    g->api = emu__catalog_api_base(catalog);
    g->state = seed;
    g->ids = emu_strmap_new();
    return g->ids != NULL;
}

void emu__gen_end(emu__gen_base *g)
{
    emu_strmap_free(g->ids);
    g->ids = NULL;
}

bool emu__gen_id(emu__gen_base *g, const char *pinned, char out[EMU_ID_LEN + 1])
{
    static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    if (pinned != NULL) {
        memcpy(out, pinned, EMU_ID_LEN + 1);
    } else {
        do {
            for (int i = 0; i < EMU_ID_LEN; i++)
                out[i] = base62[emu__gen_next(&g->state) % 62];
            out[EMU_ID_LEN] = '\0';
        } while (emu__catalog_id_taken(g->cat, out) ||
                 emu_strmap_get(g->ids, out, EMU_ID_LEN) != NULL);
    }
    return !emu__catalog_id_taken(g->cat, out) && emu_strmap_get(g->ids, out, EMU_ID_LEN) == NULL &&
           emu_strmap_put(g->ids, out, EMU_ID_LEN, out);
}

/* A fresh 22-character base62 id, unique across the catalog. */
static bool make_id(generator *g, char out[EMU_ID_LEN + 1])
{
    return emu__gen_id(&g->base, NULL, out);
}

static bool plan_artists(generator *g)
{
    for (int i = 0; i < GEN_ARTISTS; i++) {
        gen_artist *a = &g->artists[i];
        if (!make_id(g, a->id))
            return false;
        if (pick(g, 2) == 0)
            snprintf(a->name, sizeof a->name, "The %s %ss",
                     adjectives[pick(g, COUNT_OF(adjectives))], nouns[pick(g, COUNT_OF(nouns))]);
        else
            snprintf(a->name, sizeof a->name, "%s %s", first_names[pick(g, COUNT_OF(first_names))],
                     last_names[pick(g, COUNT_OF(last_names))]);
        a->genre_count = 1 + pick(g, 2);
        a->genre[0] = pick(g, COUNT_OF(genres));
        a->genre[1] = (a->genre[0] + 1 + pick(g, COUNT_OF(genres) - 1)) % (int)COUNT_OF(genres);
        a->popularity = 5 + pick(g, 90);
        a->followers = (int64_t)(emu__gen_next(&g->base.state) % 3000000);
    }
    return true;
}

static void plan_album_shape(generator *g, gen_album *al)
{
    int kind = pick(g, 10);
    al->type = kind < 7 ? "album" : kind < 9 ? "single" : "compilation";
    al->track_count = kind < 7   ? (size_t)(4 + pick(g, 5))
                      : kind < 9 ? (size_t)(1 + pick(g, 2))
                                 : (size_t)(5 + pick(g, 4));
    if (kind < 7 && pick(g, 2) == 0)
        snprintf(al->name, sizeof al->name, "%s %s", adjectives[pick(g, COUNT_OF(adjectives))],
                 nouns[pick(g, COUNT_OF(nouns))]);
    else
        snprintf(al->name, sizeof al->name, "%s of the %s", nouns[pick(g, COUNT_OF(nouns))],
                 nouns[pick(g, COUNT_OF(nouns))]);
    al->year = 1970 + pick(g, 55);
    al->month = 1 + pick(g, 12);
    al->day = 1 + pick(g, 28);
    al->popularity = pick(g, 100);
    al->artist_count = pick(g, 6) == 0 ? 2 : 1;
    al->artists[0] = pick(g, GEN_ARTISTS);
    al->artists[1] = (al->artists[0] + 1 + pick(g, GEN_ARTISTS - 1)) % GEN_ARTISTS;
}

static bool plan_tracks_of(generator *g, size_t album_index)
{
    gen_album *al = &g->albums[album_index];
    al->first_track = g->track_count;
    for (size_t n = 0; n < al->track_count; n++) {
        gen_track *t = &g->tracks[g->track_count++];
        if (!make_id(g, t->id))
            return false;
        if (pick(g, 3) == 0)
            snprintf(t->name, sizeof t->name, "%s", nouns[pick(g, COUNT_OF(nouns))]);
        else
            snprintf(t->name, sizeof t->name, "%s %s", adjectives[pick(g, COUNT_OF(adjectives))],
                     nouns[pick(g, COUNT_OF(nouns))]);
        t->album = album_index;
        t->number = (int)n + 1;
        t->duration_ms = 120000 + pick(g, 240000);
        t->explicit_lyrics = pick(g, 7) == 0;
        t->popularity = pick(g, 100);
        t->artist_count = al->artist_count;
        memcpy(t->artists, al->artists, sizeof t->artists);
        if (t->artist_count == 1 && pick(g, 8) == 0) { /* a featured artist */
            t->artists[1] = (al->artists[0] + 1 + pick(g, GEN_ARTISTS - 1)) % GEN_ARTISTS;
            t->artist_count = 2;
        }
    }
    return true;
}

/* A few albums are new releases: out 2, 6 and 11 days before the catalog
 * was built (search's tag:new, the last two weeks). Their ids and the rest
 * of the catalog do not depend on the date. */
static void date_new_releases(generator *g)
{
    static const size_t albums[] = {10, 100, 190};
    static const int days_ago[] = {2, 6, 11};
    time_t now = time(NULL);
    for (size_t i = 0; i < sizeof albums / sizeof albums[0]; i++) {
        time_t t = now - (time_t)days_ago[i] * 86400;
        struct tm tm;
        if (gmtime_r(&t, &tm) == NULL)
            continue;
        gen_album *al = &g->albums[albums[i]];
        al->year = tm.tm_year + 1900;
        al->month = tm.tm_mon + 1;
        al->day = tm.tm_mday;
    }
}

static bool plan_albums(generator *g)
{
    g->tracks = spotify__calloc(GEN_ALBUMS * 8, sizeof *g->tracks);
    if (g->tracks == NULL)
        return false;
    for (size_t i = 0; i < GEN_ALBUMS; i++) {
        if (!make_id(g, g->albums[i].id))
            return false;
        plan_album_shape(g, &g->albums[i]);
        if (!plan_tracks_of(g, i))
            return false;
    }
    date_new_releases(g);
    return true;
}

void emu__gen_links(spotify__json_writer *w, const char *api, const char *kind, const char *id)
{
    char url[256];
    spotify__jw_key(w, "external_urls");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "spotify");
    snprintf(url, sizeof url, "https://open.spotify.com/%s/%s", kind, id);
    spotify__jw_cstring(w, url);
    spotify__jw_end_object(w);
    spotify__jw_key(w, "href");
    snprintf(url, sizeof url, "%s/%ss/%s", api, kind, id);
    spotify__jw_cstring(w, url);
    spotify__jw_key(w, "id");
    spotify__jw_cstring(w, id);
}

void emu__gen_type_uri(spotify__json_writer *w, const char *kind, const char *id)
{
    char uri[64];
    spotify__jw_key(w, "type");
    spotify__jw_cstring(w, kind);
    spotify__jw_key(w, "uri");
    snprintf(uri, sizeof uri, "spotify:%s:%s", kind, id);
    spotify__jw_cstring(w, uri);
}

void emu__gen_images(spotify__json_writer *w, const char *const prefixes[3], const int sizes[3],
                     const char *id)
{
    spotify__jw_begin_array(w);
    for (int i = 0; i < 3; i++) {
        char url[128];
        unsigned h = 2166136261u;
        for (const char *p = id; *p != '\0'; p++)
            h = (h ^ (unsigned char)*p) * 16777619u;
        snprintf(url, sizeof url, "https://i.scdn.co/image/%s%08x%08x%08x", prefixes[i], h,
                 h ^ 0x5a5a5a5au, h * 31u);
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "height");
        spotify__jw_int64(w, sizes[i]);
        spotify__jw_key(w, "url");
        spotify__jw_cstring(w, url);
        spotify__jw_key(w, "width");
        spotify__jw_int64(w, sizes[i]);
        spotify__jw_end_object(w);
    }
    spotify__jw_end_array(w);
}

static void write_artist(generator *g, spotify__json_writer *w, const gen_artist *a, bool full)
{
    static const char *const prefixes[3] = {"ab6761610000e5eb", "ab67616100005174",
                                            "ab6761610000f178"};
    static const int sizes[3] = {640, 320, 160};
    spotify__jw_begin_object(w);
    emu__gen_links(w, g->base.api, "artist", a->id);
    if (full) {
        spotify__jw_key(w, "followers");
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "href");
        spotify__jw_null(w);
        spotify__jw_key(w, "total");
        spotify__jw_int64(w, a->followers);
        spotify__jw_end_object(w);
        spotify__jw_key(w, "genres");
        spotify__jw_begin_array(w);
        for (int i = 0; i < a->genre_count; i++)
            spotify__jw_cstring(w, genres[a->genre[i]]);
        spotify__jw_end_array(w);
        spotify__jw_key(w, "images");
        emu__gen_images(w, prefixes, sizes, a->id);
    }
    spotify__jw_key(w, "name");
    spotify__jw_cstring(w, a->name);
    if (full) {
        spotify__jw_key(w, "popularity");
        spotify__jw_int64(w, a->popularity);
    }
    emu__gen_type_uri(w, "artist", a->id);
    spotify__jw_end_object(w);
}

static void write_artist_list(generator *g, spotify__json_writer *w, const int *artists, int n)
{
    spotify__jw_begin_array(w);
    for (int i = 0; i < n; i++)
        write_artist(g, w, &g->artists[artists[i]], false);
    spotify__jw_end_array(w);
}

static void write_markets(spotify__json_writer *w)
{
    spotify__jw_begin_array(w);
    for (size_t i = 0; i < COUNT_OF(markets); i++)
        spotify__jw_cstring(w, markets[i]);
    spotify__jw_end_array(w);
}

static void write_track(generator *g, spotify__json_writer *w, const gen_track *t, bool full);

/* The album's "tracks" member: one page holding every track. */
static void write_album_tracks(generator *g, spotify__json_writer *w, const gen_album *al)
{
    char href[256];
    snprintf(href, sizeof href, "%s/albums/%s/tracks?offset=0&limit=50", g->base.api, al->id);
    spotify__jw_key(w, "tracks");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "href");
    spotify__jw_cstring(w, href);
    spotify__jw_key(w, "items");
    spotify__jw_begin_array(w);
    for (size_t i = 0; i < al->track_count; i++)
        write_track(g, w, &g->tracks[al->first_track + i], false);
    spotify__jw_end_array(w);
    spotify__jw_key(w, "limit");
    spotify__jw_int64(w, 50);
    spotify__jw_key(w, "next");
    spotify__jw_null(w);
    spotify__jw_key(w, "offset");
    spotify__jw_int64(w, 0);
    spotify__jw_key(w, "previous");
    spotify__jw_null(w);
    spotify__jw_key(w, "total");
    spotify__jw_int64(w, (int64_t)al->track_count);
    spotify__jw_end_object(w);
}

/* The members only a full album has, before "external_urls". */
static void write_album_extras(spotify__json_writer *w, const gen_album *al)
{
    char text[128];
    spotify__jw_key(w, "copyrights");
    spotify__jw_begin_array(w);
    for (int i = 0; i < 2; i++) {
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "text");
        snprintf(text, sizeof text, "%s %d Emulator Records", i == 0 ? "(C)" : "(P)", al->year);
        spotify__jw_cstring(w, text);
        spotify__jw_key(w, "type");
        spotify__jw_cstring(w, i == 0 ? "C" : "P");
        spotify__jw_end_object(w);
    }
    spotify__jw_end_array(w);
    spotify__jw_key(w, "external_ids");
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "upc");
    snprintf(text, sizeof text, "0%05d%06u", al->year * 3 + al->day,
             (unsigned)al->popularity * 7919u);
    spotify__jw_cstring(w, text);
    spotify__jw_end_object(w);
}

static void write_album(generator *g, spotify__json_writer *w, const gen_album *al, bool full)
{
    static const char *const prefixes[3] = {"ab67616d0000b273", "ab67616d00001e02",
                                            "ab67616d00004851"};
    static const int sizes[3] = {640, 300, 64};
    char date[16];
    spotify__jw_begin_object(w);
    spotify__jw_key(w, "album_type");
    spotify__jw_cstring(w, al->type);
    spotify__jw_key(w, "artists");
    write_artist_list(g, w, al->artists, al->artist_count);
    spotify__jw_key(w, "available_markets");
    write_markets(w);
    if (full)
        write_album_extras(w, al);
    emu__gen_links(w, g->base.api, "album", al->id);
    if (full) {
        spotify__jw_key(w, "genres");
        spotify__jw_begin_array(w);
        spotify__jw_end_array(w);
    }
    spotify__jw_key(w, "images");
    emu__gen_images(w, prefixes, sizes, al->id);
    if (full) {
        spotify__jw_key(w, "label");
        spotify__jw_cstring(w, "Emulator Records");
    }
    spotify__jw_key(w, "name");
    spotify__jw_cstring(w, al->name);
    if (full) {
        spotify__jw_key(w, "popularity");
        spotify__jw_int64(w, al->popularity);
    }
    snprintf(date, sizeof date, "%04d-%02d-%02d", al->year, al->month, al->day);
    spotify__jw_key(w, "release_date");
    spotify__jw_cstring(w, date);
    spotify__jw_key(w, "release_date_precision");
    spotify__jw_cstring(w, "day");
    spotify__jw_key(w, "total_tracks");
    spotify__jw_int64(w, (int64_t)al->track_count);
    if (full)
        write_album_tracks(g, w, al);
    emu__gen_type_uri(w, "album", al->id);
    spotify__jw_end_object(w);
}

static void write_track(generator *g, spotify__json_writer *w, const gen_track *t, bool full)
{
    const gen_album *al = &g->albums[t->album];
    spotify__jw_begin_object(w);
    if (full) {
        spotify__jw_key(w, "album");
        write_album(g, w, al, false);
    }
    spotify__jw_key(w, "artists");
    write_artist_list(g, w, t->artists, t->artist_count);
    spotify__jw_key(w, "available_markets");
    write_markets(w);
    spotify__jw_key(w, "disc_number");
    spotify__jw_int64(w, 1);
    spotify__jw_key(w, "duration_ms");
    spotify__jw_int64(w, t->duration_ms);
    spotify__jw_key(w, "explicit");
    spotify__jw_bool(w, t->explicit_lyrics);
    if (full) {
        char isrc[16];
        snprintf(isrc, sizeof isrc, "QZEMU%02d%05d", al->year % 100,
                 t->popularity * 97 + t->number);
        spotify__jw_key(w, "external_ids");
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "isrc");
        spotify__jw_cstring(w, isrc);
        spotify__jw_end_object(w);
    }
    emu__gen_links(w, g->base.api, "track", t->id);
    spotify__jw_key(w, "is_local");
    spotify__jw_bool(w, false);
    spotify__jw_key(w, "name");
    spotify__jw_cstring(w, t->name);
    if (full) {
        spotify__jw_key(w, "popularity");
        spotify__jw_int64(w, t->popularity);
    }
    spotify__jw_key(w, "preview_url");
    spotify__jw_null(w);
    spotify__jw_key(w, "track_number");
    spotify__jw_int64(w, t->number);
    emu__gen_type_uri(w, "track", t->id);
    spotify__jw_end_object(w);
}

typedef enum gen_kind { GEN_ARTIST, GEN_ALBUM, GEN_TRACK } gen_kind;

/* Renders one generated object in both forms and adds it. */
static size_t add_generated(generator *g, gen_kind kind, size_t i, spotify__strbuf *full,
                            spotify__strbuf *simple)
{
    spotify__strbuf *bufs[2] = {full, simple};
    for (int form = 0; form < 2; form++) {
        spotify__strbuf_reset(bufs[form]);
        spotify__json_writer w;
        spotify__jw_init(&w, bufs[form]);
        if (kind == GEN_ARTIST)
            write_artist(g, &w, &g->artists[i], form == 0);
        else if (kind == GEN_ALBUM)
            write_album(g, &w, &g->albums[i], form == 0);
        else
            write_track(g, &w, &g->tracks[i], form == 0);
        if (!spotify__jw_ok(&w))
            return EMU_NONE;
    }
    if (kind == GEN_ARTIST)
        return emu__catalog_add(g->base.cat, EMU_ARTIST, g->artists[i].id, full, simple,
                                g->artists[i].popularity);
    if (kind == GEN_ALBUM)
        return emu__catalog_add(g->base.cat, EMU_ALBUM, g->albums[i].id, full, simple,
                                g->albums[i].popularity);
    return emu__catalog_add(g->base.cat, EMU_TRACK, g->tracks[i].id, full, simple,
                            g->tracks[i].popularity);
}

static bool add_all(generator *g, spotify__strbuf *full, spotify__strbuf *simple)
{
    for (size_t i = 0; i < GEN_ARTISTS; i++)
        if ((g->artists[i].index = add_generated(g, GEN_ARTIST, i, full, simple)) == EMU_NONE)
            return false;
    for (size_t i = 0; i < GEN_ALBUMS; i++)
        if ((g->albums[i].index = add_generated(g, GEN_ALBUM, i, full, simple)) == EMU_NONE)
            return false;
    for (size_t i = 0; i < g->track_count; i++)
        if ((g->tracks[i].index = add_generated(g, GEN_TRACK, i, full, simple)) == EMU_NONE)
            return false;
    return true;
}

static bool relate_all(generator *g)
{
    size_t tracks[8];
    size_t artists[MAX_ARTISTS_PER];
    for (size_t i = 0; i < GEN_ALBUMS; i++) {
        const gen_album *al = &g->albums[i];
        for (size_t t = 0; t < al->track_count; t++)
            tracks[t] = g->tracks[al->first_track + t].index;
        for (int a = 0; a < al->artist_count; a++)
            artists[a] = g->artists[al->artists[a]].index;
        if (!emu__catalog_relate(g->base.cat, EMU_ALBUM, al->index, EMU_NONE, tracks,
                                 al->track_count, artists, (size_t)al->artist_count))
            return false;
    }
    for (size_t i = 0; i < g->track_count; i++) {
        const gen_track *t = &g->tracks[i];
        for (int a = 0; a < t->artist_count; a++)
            artists[a] = g->artists[t->artists[a]].index;
        if (!emu__catalog_relate(g->base.cat, EMU_TRACK, t->index, g->albums[t->album].index, NULL,
                                 0, artists, (size_t)t->artist_count))
            return false;
    }
    return true;
}

bool emu__catalog_generate(emu_catalog *catalog)
{
    generator *g = spotify__calloc(1, sizeof *g);
    if (g == NULL)
        return false;
    spotify__strbuf full = SPOTIFY__STRBUF_INIT;
    spotify__strbuf simple = SPOTIFY__STRBUF_INIT;
    bool ok = emu__gen_begin(&g->base, catalog, GEN_SEED) && plan_artists(g) && plan_albums(g) &&
              add_all(g, &full, &simple) && relate_all(g);
    spotify__strbuf_release(&full);
    spotify__strbuf_release(&simple);
    emu__gen_end(&g->base);
    spotify__free(g->tracks);
    spotify__free(g);
    return ok;
}
