/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/urlencode.h - percent-encoding for URLs, query strings and
 * application/x-www-form-urlencoded bodies, and the matching parser.
 *
 * Encoding keeps RFC 3986's unreserved set (A-Z a-z 0-9 - . _ ~) and writes
 * every other byte as %XX (upper-case hex), so the output is valid both in a
 * query string and in a form body; UTF-8 is encoded byte by byte.
 *
 * Threads: pure, thread-safe.
 */
#ifndef SPOTIFY_CORE_URLENCODE_H
#define SPOTIFY_CORE_URLENCODE_H

#include "export.h"

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

/* One key/value pair of a query string or form body. */
typedef struct spotify__param {
    const char *key;
    const char *value;
} spotify__param;

bool spotify__url_encode(spotify__strbuf *sb, const char *s, size_t len);
/* Appends "k1=v1&k2=v2..." (both sides encoded); pairs whose value is NULL
 * are skipped. Does not add a leading '?' or '&'. */
bool spotify__form_encode(spotify__strbuf *sb, const spotify__param *params, size_t count);

/*
 * Decodes %XX escapes (and '+' as a space when `plus_is_space`) of `len`
 * bytes into `sb`. Returns false on a malformed escape ("%4", "%zz") or OOM;
 * a decoded NUL byte is rejected too, so the result is a safe C string.
 */
SPOTIFY__EXPORT bool spotify__url_decode(spotify__strbuf *sb, const char *s, size_t len,
                                         bool plus_is_space);

/*
 * Calls `fn` for each "key=value" pair of a query string or form body
 * (a leading '?' is skipped; empty pairs "&&" are skipped; a pair without
 * '=' has an empty value). Key and value are decoded, NUL-terminated and
 * borrowed for the duration of the call. Stops and returns false when `fn`
 * returns false, on a malformed escape, or on OOM (`*malformed` tells the
 * last two apart: true for bad input).
 */
typedef bool (*spotify__param_fn)(const char *key, const char *value, void *user);
bool spotify__query_parse(const char *s, size_t len, spotify__param_fn fn, void *user,
                          bool *malformed);

#endif
