/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json/json_write.h - writing compact JSON into a strbuf: request bodies, the
 * token file, spotctl's --json output, the emulator's responses.
 *
 * The writer inserts commas and colons itself; callers only say what comes
 * next. Strings are escaped per RFC 8259; invalid UTF-8 is replaced by
 * U+FFFD so the output is always valid JSON. Non-finite doubles are written
 * as null. Errors (OOM, nesting beyond SPOTIFY__JSON_MAX_DEPTH, a value where a
 * key is due) are sticky in `failed`.
 *
 * Threads: a writer belongs to one thread at a time.
 */
#ifndef SPOTIFY_JSON_WRITE_H
#define SPOTIFY_JSON_WRITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/strbuf.h"
#include "json.h"

typedef struct spotify__json_writer {
    spotify__strbuf *out;
    int depth;
    /* per level: has a value been written (comma needed), is it an object,
     * is a key waiting for its value */
    uint8_t state[SPOTIFY__JSON_MAX_DEPTH + 1];
    bool failed;
} spotify__json_writer;

void spotify__jw_init(spotify__json_writer *w, spotify__strbuf *out);
void spotify__jw_begin_object(spotify__json_writer *w);
void spotify__jw_end_object(spotify__json_writer *w);
void spotify__jw_begin_array(spotify__json_writer *w);
void spotify__jw_end_array(spotify__json_writer *w);
void spotify__jw_key(spotify__json_writer *w, const char *key);
void spotify__jw_string(spotify__json_writer *w, const char *s, size_t len);
void spotify__jw_cstring(spotify__json_writer *w, const char *s); /* NULL writes null */
void spotify__jw_int64(spotify__json_writer *w, int64_t v);
void spotify__jw_uint64(spotify__json_writer *w, uint64_t v);
void spotify__jw_double(spotify__json_writer *w, double v);
void spotify__jw_bool(spotify__json_writer *w, bool v);
void spotify__jw_null(spotify__json_writer *w);
/* Writes a parsed value (and everything under it) back out, compactly. */
void spotify__jw_value(spotify__json_writer *w, spotify__json v);
/* Writes `len` bytes of JSON text as the next value, as they are: one
 * complete value the caller vouches for (e.g. pre-rendered by this writer),
 * so it costs a copy instead of a walk of a parsed document. */
void spotify__jw_raw(spotify__json_writer *w, const char *json, size_t len);
/* true when everything written so far succeeded and every container is closed. */
bool spotify__jw_ok(const spotify__json_writer *w);

/* Appends `s` quoted and escaped (no writer state involved). */
bool spotify__json_append_escaped(spotify__strbuf *sb, const char *s, size_t len);

#endif
