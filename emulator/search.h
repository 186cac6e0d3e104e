/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search.h - the search engine behind GET /v1/search: an index of the
 * catalog built once at start-up, Spotify's query language, matching and
 * relevance ranking. No HTTP here (api_search.c has that).
 *
 * Text is compared normalized: lower case, accents folded (Latin-1 and
 * Latin Extended-A letters to their base letters, combining marks
 * dropped), apostrophes dropped ("Wesley's" is "wesleys"), any other
 * punctuation a word break. A normalized text is its words joined by
 * single spaces with one space before and after (" king kunta "), so a
 * word or phrase is a substring search.
 *
 * The query: words (each must match, the last one as a prefix unless it is
 * quoted or followed by a space), "quoted phrases" (consecutive words),
 * field filters artist:, album:, track:, year: (2015 or 1990-1999),
 * genre:, isrc:, upc:, tag:new, tag:hipster (values may be quoted), and
 * exclusion with NOT or a leading '-'. A word matches an item's name, an
 * artist's name (albums, tracks) or the album's name (tracks). A filter
 * that does not apply to a type (genre: on albums...) leaves no item of
 * that type, as Spotify documents filters by type; an excluded filter that
 * does not apply is ignored. Ranking: the name equal to the query's words
 * first, then names holding every word, then the rest; within each,
 * popularity, then catalog order.
 *
 * Ownership: the index owns its memory (one arena). Parsed queries and hit
 * lists live in the caller's arena.
 * Threads: the index is immutable once built: search from any thread.
 */
#ifndef SPOTIFY_EMULATOR_SEARCH_H
#define SPOTIFY_EMULATOR_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "catalog.h"
#include "core/arena.h"
#include "core/strbuf.h"

typedef struct emu_search_index emu_search_index;
typedef struct emu_search_query emu_search_query;

/* Indexes every album, artist, track, show, episode and audiobook of
 * `catalog` (which must outlive the index). NULL on OOM. */
emu_search_index *emu_search_index_build(const emu_catalog *catalog);
void emu_search_index_free(emu_search_index *index);

/* Appends the normalized form of `len` bytes of UTF-8 `text` to `out`
 * (" w1 w2 "; " " when it has no word). false on OOM. */
bool emu_search_normalize(spotify__strbuf *out, const char *text, size_t len);

/* Parses query `q` into `arena`. NULL on OOM. */
emu_search_query *emu_search_parse(spotify__arena *arena, const char *q);

/* One match and what ranks it. */
typedef struct emu_search_hit {
    size_t index; /* into the catalog's items of the kind (or the caller's list) */
    int tier;     /* 2: the name is the query, 1: the name holds every word, 0: other */
    int popularity;
} emu_search_hit;

/* Every item of `kind` (album, artist, track, show, episode, audiobook)
 * matching `query` and available in `market` (two letters, "" for any),
 * best first, in an array allocated from `arena` (*out; NULL when none).
 * `now` is the Unix time tag:new is relative to. Returns the count, or
 * (size_t)-1 on OOM. */
size_t emu_search_run(const emu_search_index *index, const emu_search_query *query, emu_kind kind,
                      const char *market, int64_t now, spotify__arena *arena, emu_search_hit **out);

/* Whether an item known only by its name (a playlist) matches `query`;
 * *tier gets its rank. Only words and phrases apply to it. */
bool emu_search_match_name(const emu_search_query *query, const char *name, int *tier);

/* Sorts hits best first: tier, popularity, then index. */
void emu_search_sort(emu_search_hit *hits, size_t count);

#endif
