/* SPDX-License-Identifier: Apache-2.0 */
/*
 * catalog_internal.h - what catalog.c (storage, fixtures) and catalog_gen.c
 * (generated data) share while the catalog is being built. Not for use
 * outside those two files.
 *
 * Threads: building is single-threaded.
 */
#ifndef SPOTIFY_EMULATOR_CATALOG_INTERNAL_H
#define SPOTIFY_EMULATOR_CATALOG_INTERNAL_H

#include <stdint.h>

#include "catalog.h"
#include "core/strbuf.h"
#include "json/json_write.h"

/* The Web API prefix every link uses: "BASE_URL/v1". */
const char *emu__catalog_api_base(const emu_catalog *catalog);
/* True when an item of any kind already has `id`. */
bool emu__catalog_id_taken(const emu_catalog *catalog, const char *id);
/*
 * Adds an item from the JSON text of its full and simplified objects
 * (both parsed and kept; the full text is also kept for serving).
 * Returns its index, or EMU_NONE on OOM, a parse failure or a duplicate id.
 */
size_t emu__catalog_add(emu_catalog *catalog, emu_kind kind, const char *id,
                        const spotify__strbuf *full, const spotify__strbuf *simplified,
                        int popularity);
/* Records an item's relations (copied into the catalog). false on OOM. */
bool emu__catalog_relate(emu_catalog *catalog, emu_kind kind, size_t index, size_t album,
                         const size_t *tracks, size_t track_count, const size_t *artists,
                         size_t artist_count);
/* Adds the generated artists, albums and tracks. false on failure. */
bool emu__catalog_generate(emu_catalog *catalog);
/* Adds the generated shows with episodes and audiobooks with chapters
 * (catalog_media.c). false on failure. */
bool emu__catalog_generate_media(emu_catalog *catalog);

/* What both generators (catalog_gen.c, catalog_media.c) start from: the
 * catalog, its link prefix, a fixed-seed random state and the ids handed
 * out so far. */
typedef struct emu__gen_base {
    emu_catalog *cat;
    const char *api;
    uint64_t state;
    struct emu_strmap *ids;
} emu__gen_base;
/* Starts a generator on `catalog` with `seed`; false on OOM. */
bool emu__gen_begin(emu__gen_base *g, emu_catalog *catalog, uint64_t seed);
void emu__gen_end(emu__gen_base *g);
/* `pinned` (when non-NULL) or a fresh random id, unique across the catalog
 * and the generator; false on OOM or when `pinned` is taken. */
bool emu__gen_id(emu__gen_base *g, const char *pinned, char out[EMU_ID_LEN + 1]);

/* Writing helpers both generators use (catalog_gen.c). */
/* splitmix64 step: small, fast and good enough for made-up names. */
uint64_t emu__gen_next(uint64_t *state);
/* external_urls, href (API/KINDs/ID), id: the links every object carries. */
void emu__gen_links(spotify__json_writer *w, const char *api, const char *kind, const char *id);
/* type and uri, the closing members of every object. */
void emu__gen_type_uri(spotify__json_writer *w, const char *kind, const char *id);
/* Three image sizes with made-up i.scdn.co URLs, as Spotify lists them. */
void emu__gen_images(spotify__json_writer *w, const char *const prefixes[3], const int sizes[3],
                     const char *id);

#endif
