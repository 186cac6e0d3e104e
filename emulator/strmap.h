/* SPDX-License-Identifier: Apache-2.0 */
/*
 * strmap.h - a string-keyed hash map (separate chaining, FNV-1a) used for
 * tokens, codes and catalog ids.
 *
 * Keys are copied into the map; values are opaque pointers the caller owns
 * (the map never frees them). Lookups take a length, so callers can look up
 * a slice of a larger string without copying it.
 *
 * Threads: not thread-safe; the owner (state, catalog) serialises access.
 */
#ifndef SPOTIFY_EMULATOR_STRMAP_H
#define SPOTIFY_EMULATOR_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct emu_strmap emu_strmap;

/* An empty map; NULL on OOM. */
emu_strmap *emu_strmap_new(void);
/* Frees the map and its key copies (not the values). NULL is accepted. */
void emu_strmap_free(emu_strmap *map);
/* Inserts or replaces `key` -> `value`. false on OOM. */
bool emu_strmap_put(emu_strmap *map, const char *key, size_t key_len, void *value);
/* The value stored under `key`, or NULL. */
void *emu_strmap_get(const emu_strmap *map, const char *key, size_t key_len);
/* Removes `key` and returns its value (NULL when absent). */
void *emu_strmap_remove(emu_strmap *map, const char *key, size_t key_len);
size_t emu_strmap_count(const emu_strmap *map);
/* Calls `fn` for every entry (unspecified order). The map must not change
 * during the walk. */
typedef void (*emu_strmap_fn)(const char *key, void *value, void *user);
void emu_strmap_each(const emu_strmap *map, emu_strmap_fn fn, void *user);
/* Removes every entry, calling `fn` (may be NULL) on each value first. */
void emu_strmap_clear(emu_strmap *map, void (*fn)(void *value));

#endif
