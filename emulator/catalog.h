/* SPDX-License-Identifier: Apache-2.0 */
/*
 * catalog.h - the read-only music catalog: albums, artists and tracks.
 *
 * Seeded from the real Spotify responses in tests/fixtures/ (two albums
 * with all their tracks, two tracks, two artists; browse categories,
 * markets and genre seeds as documents) plus generated data: 60 artists
 * and 200 albums with 1-8 tracks each, shows with episodes and audiobooks
 * with chapters (catalog_media.c), with deterministic 22-char base62 ids,
 * so every run serves the same catalog. Every id an object
 * mentions resolves: tracks of a fixture album get full track objects built
 * from the album, artists named on fixture tracks get artist objects.
 *
 * Each item carries its full JSON object (the body of GET /v1/albums/{id}
 * etc., pre-rendered so a GET copies nothing) and, parsed, both the full and
 * the simplified object (SimplifiedAlbumObject, SimplifiedTrackObject,
 * SimplifiedArtistObject) for embedding into other responses with
 * spotify__jw_value(). Links ("href", paging "next") point at the emulator:
 * the fixtures' https://api.spotify.com/v1 prefix is rewritten to
 * BASE_URL/v1 when the catalog is built.
 *
 * Ownership: the catalog owns everything (one arena); pointers stay valid
 * until emu_catalog_free.
 * Threads: immutable after emu_catalog_build: read from any thread.
 */
#ifndef SPOTIFY_EMULATOR_CATALOG_H
#define SPOTIFY_EMULATOR_CATALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "json/json.h"

#define EMU_ID_LEN 22
#define EMU_NONE ((size_t)-1)

typedef enum emu_kind {
    EMU_ALBUM = 0,
    EMU_ARTIST,
    EMU_TRACK,
    EMU_SHOW,
    EMU_EPISODE,
    EMU_AUDIOBOOK,
    EMU_CHAPTER,
    EMU_KIND_COUNT
} emu_kind;

/* Documents taken whole from the fixtures (links rewritten). */
typedef enum emu_doc {
    EMU_DOC_CATEGORIES = 0, /* array of CategoryObject (browse-categories.json) */
    EMU_DOC_MARKETS,        /* array of market codes (markets.json) */
    EMU_DOC_GENRES,         /* array of genre seeds (recommendation-genres.json) */
    EMU_DOC_COUNT
} emu_doc;

typedef struct emu_item {
    char id[EMU_ID_LEN + 1];
    const char *name;
    const char *json; /* the full object, compact JSON */
    size_t json_len;
    spotify__json full;          /* the same, parsed */
    spotify__json simplified;    /* the simplified object, parsed */
    const char *simplified_json; /* and as compact JSON text */
    size_t simplified_len;
    /* relations, as indices into the catalog (EMU_NONE when absent); shows
     * and audiobooks use the same members for their episodes / chapters */
    size_t album;         /* track: its album; episode: its show; chapter: its audiobook */
    const size_t *tracks; /* album: its tracks in order; show: episodes; audiobook: chapters */
    size_t track_count;
    const size_t *artists; /* album, track: their artists */
    size_t artist_count;
    const size_t *albums; /* artist: albums it appears on as an album artist */
    size_t album_count;
    int popularity;
} emu_item;

typedef struct emu_catalog emu_catalog;

/* Builds the catalog with links under `base_url` ("http://127.0.0.1:PORT",
 * no trailing slash). NULL on failure (OOM, a broken fixture), with a
 * message in `err`. */
emu_catalog *emu_catalog_build(const char *base_url, char *err, size_t err_size);
void emu_catalog_free(emu_catalog *catalog);

size_t emu_catalog_count(const emu_catalog *catalog, emu_kind kind);
const emu_item *emu_catalog_at(const emu_catalog *catalog, emu_kind kind, size_t index);
/* The item of `kind` with id `id` (`len` bytes), or NULL; *index_out (may
 * be NULL) gets its index. */
const emu_item *emu_catalog_find(const emu_catalog *catalog, emu_kind kind, const char *id,
                                 size_t len, size_t *index_out);
/* A fixture document (see emu_doc); INVALID when absent. */
spotify__json emu_catalog_doc(const emu_catalog *catalog, emu_doc doc);
/* True when `code` is a market of markets.json (ISO 3166-1 alpha-2). */
bool emu_catalog_is_market(const emu_catalog *catalog, const char *code);
/* "album", "artist", "track", "show", "episode", "audiobook", "chapter". */
const char *emu_kind_name(emu_kind kind);

/* True when `id` is a Spotify id: exactly 22 base62 characters. */
bool emu_is_spotify_id(const char *id, size_t len);

#endif
