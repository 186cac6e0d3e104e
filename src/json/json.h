/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json/json.h - reading JSON.
 *
 * Parsing is done by simdjson (json_parse.cpp, the SDK's only C++ translation
 * unit) into its "tape": a flat array of 64-bit words, one or two per value,
 * plus a buffer of unescaped strings. The used part of both is copied into
 * the caller's arena, so a parsed document is plain C memory with the
 * lifetime of the arena, and walking it (below) is pure C with no further
 * calls into C++.
 *
 * Values are small handles (document + tape index) passed by value.
 *
 * Guarantees: malformed JSON, invalid UTF-8, nesting deeper than
 * SPOTIFY__JSON_MAX_DEPTH and numbers outside the 64-bit ranges are rejected
 * at parse time; integers are exact (int64 and uint64), floating point
 * numbers are doubles.
 *
 * Threads: parsing is thread-safe (one simdjson parser per thread); a
 * document may be read from many threads at once.
 */
#ifndef SPOTIFY_JSON_H
#define SPOTIFY_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <spotify/error.h>

#include "../core/arena.h"

/* Bytes of readable slack after the input that let simdjson parse in place
 * (without copying the input). Buffers the SDK fills itself (HTTP bodies)
 * reserve this much. */
#define SPOTIFY__JSON_PADDING 64
#define SPOTIFY__JSON_MAX_DEPTH 256

typedef struct spotify__json_doc spotify__json_doc;

typedef enum spotify__json_type {
    SPOTIFY__JSON_INVALID = 0, /* a handle that points at nothing */
    SPOTIFY__JSON_NULL,
    SPOTIFY__JSON_BOOL,
    SPOTIFY__JSON_INT,    /* fits int64_t */
    SPOTIFY__JSON_UINT,   /* above INT64_MAX, fits uint64_t */
    SPOTIFY__JSON_DOUBLE, /* has a fraction or exponent */
    SPOTIFY__JSON_STRING,
    SPOTIFY__JSON_ARRAY,
    SPOTIFY__JSON_OBJECT
} spotify__json_type;

typedef struct spotify__json {
    const spotify__json_doc *doc;
    size_t index; /* position on the tape */
} spotify__json;

/*
 * Parses `len` bytes at `data`. `capacity` is how many bytes at `data` are
 * readable (>= len); when capacity >= len + SPOTIFY__JSON_PADDING the input
 * is not copied. The document is allocated in `arena` and lives as long as it.
 * On failure returns SPOTIFY_EPROTOCOL with a message naming the problem
 * ("JSON syntax error", "invalid UTF-8", "nesting too deep", "number out of
 * range"), or SPOTIFY_ENOMEM.
 */
spotify_status spotify__json_parse(spotify__json *root_out, spotify__arena *arena, const char *data,
                                   size_t len, size_t capacity, spotify_error *err);

spotify__json_type spotify__json_type_of(spotify__json v);
/* A short name of a type ("string", "object"...) for error messages. */
const char *spotify__json_type_name(spotify__json_type type);

/* Each getter returns false (and leaves *out untouched) when the value is not
 * of that type. */
bool spotify__json_get_bool(spotify__json v, bool *out);
/* INT, and UINT values that fit. */
bool spotify__json_get_int64(spotify__json v, int64_t *out);
/* INT and UINT values that are not negative. */
bool spotify__json_get_uint64(spotify__json v, uint64_t *out);
/* Any number (INT, UINT or DOUBLE). */
bool spotify__json_get_double(spotify__json v, double *out);
/* Borrowed, NUL-terminated, unescaped UTF-8 (may contain NUL bytes: use
 * *len). Valid while the document's arena lives. */
bool spotify__json_get_string(spotify__json v, const char **out, size_t *len);
bool spotify__json_is_null(spotify__json v);

/* Number of elements of an array or members of an object; 0 otherwise. */
size_t spotify__json_count(spotify__json v);

/* The leading string elements of `array`, at most `max`, into `out` (each
 * NUL-terminated, in the document); stops at the first element that is not
 * a string. Returns how many were written (0 when `array` is not an array).
 * One pass over the tape: the fast path for arrays of strings. */
size_t spotify__json_strings(spotify__json array, const char **out, size_t max);

/*
 * Iteration: spotify__json_first() returns the first element of an array or
 * the first member of an object (an INVALID handle when empty or not a
 * container); spotify__json_next() the following one (INVALID at the end).
 * For an object member, spotify__json_key() gives the key and
 * spotify__json_member_value() the value.
 *
 *   for (spotify__json m = spotify__json_first(obj); spotify__json_valid(m);
 *        m = spotify__json_next(m)) { key..., value... }
 */
spotify__json spotify__json_first(spotify__json container);
spotify__json spotify__json_next(spotify__json element_or_member);
bool spotify__json_valid(spotify__json v);
bool spotify__json_key(spotify__json member, const char **key, size_t *len);
spotify__json spotify__json_member_value(spotify__json member);

/* The value of member `key` of an object (first match), or an INVALID handle. */
spotify__json spotify__json_get(spotify__json object, const char *key);

#endif
