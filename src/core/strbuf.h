/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/strbuf.h - one growable, always NUL-terminated byte buffer used
 * everywhere text is built (URLs, headers, bodies, JSON).
 *
 * Failure is sticky: after an allocation failure every append is a no-op and
 * `failed` stays true, so a builder can append many pieces and check once.
 *
 * Threads: a strbuf belongs to one thread at a time.
 */
#ifndef SPOTIFY_CORE_STRBUF_H
#define SPOTIFY_CORE_STRBUF_H

#include "export.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <spotify/common.h>

typedef struct spotify__strbuf {
    char *data; /* NULL until the first append; else NUL-terminated */
    size_t len;
    size_t cap;
    bool failed;
} spotify__strbuf;

#define SPOTIFY__STRBUF_INIT                                                                       \
    {                                                                                              \
        NULL, 0, 0, false                                                                          \
    }

void spotify__strbuf_init(spotify__strbuf *sb);
/* Makes room for `extra` more bytes (plus the NUL). false on OOM/overflow. */
SPOTIFY__EXPORT bool spotify__strbuf_reserve(spotify__strbuf *sb, size_t extra);
/* spotify__strbuf_append's slow path: grows the buffer, then appends. */
SPOTIFY__EXPORT bool spotify__strbuf_append_grow(spotify__strbuf *sb, const char *data, size_t len);

/* Appends `len` bytes. Inline: JSON writing appends a few bytes at a time,
 * tens of thousands of times per document, and only growing needs a call. */
static inline bool spotify__strbuf_append(spotify__strbuf *sb, const char *data, size_t len)
{
    if (!sb->failed && sb->cap - sb->len > len) {
        if (len > 0)
            memcpy(sb->data + sb->len, data, len);
        sb->len += len;
        sb->data[sb->len] = '\0';
        return true;
    }
    return spotify__strbuf_append_grow(sb, data, len);
}

static inline bool spotify__strbuf_append_char(spotify__strbuf *sb, char c)
{
    if (!sb->failed && sb->cap - sb->len > 1) {
        sb->data[sb->len++] = c;
        sb->data[sb->len] = '\0';
        return true;
    }
    return spotify__strbuf_append_grow(sb, &c, 1);
}

SPOTIFY__EXPORT bool spotify__strbuf_append_str(spotify__strbuf *sb, const char *s);
SPOTIFY__EXPORT bool spotify__strbuf_appendf(spotify__strbuf *sb, const char *fmt, ...)
    SPOTIFY_PRINTF(2, 3);
bool spotify__strbuf_vappendf(spotify__strbuf *sb, const char *fmt, va_list ap)
    SPOTIFY_PRINTF(2, 0);
/* The text so far ("" when empty; never NULL). */
SPOTIFY__EXPORT const char *spotify__strbuf_cstr(const spotify__strbuf *sb);
/* Empties the buffer, keeping its memory; clears `failed`. */
SPOTIFY__EXPORT void spotify__strbuf_reset(spotify__strbuf *sb);
/* Hands the memory to the caller (free with spotify__free); the buffer is
 * left empty. Returns NULL if `failed` (the buffer is released then). */
SPOTIFY__EXPORT char *spotify__strbuf_detach(spotify__strbuf *sb, size_t *len_out);
/* Frees the memory. */
SPOTIFY__EXPORT void spotify__strbuf_release(spotify__strbuf *sb);
/* Wipes the bytes (they held a secret), then frees. */
SPOTIFY__EXPORT void spotify__strbuf_release_secret(spotify__strbuf *sb);

#endif
