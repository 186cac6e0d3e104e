/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/scope.c - OAuth scopes: normalising what callers give (one string
 * with spaces and/or commas, or a list whose entries may hold several) into
 * the single-space form the authorize URL and token records use, and
 * checking that granted scopes cover required ones.
 */
#include <string.h>

#include "oauth.h"

/* Scopes are separated by commas and any ASCII whitespace. */
static bool is_separator(char c)
{
    return c == ' ' || c == ',' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* The next scope of `s` at or after *pos: its start and length (0 at the
 * end). Advances *pos past it. */
static size_t next_scope(const char *s, size_t *pos, const char **start)
{
    size_t i = *pos;
    while (s[i] != '\0' && is_separator(s[i]))
        i++;
    *start = s + i;
    size_t len = 0;
    while (s[i + len] != '\0' && !is_separator(s[i + len]))
        len++;
    *pos = i + len;
    return len;
}

/* True when the word s[0..len) is one of the space-separated words of
 * list[0..list_len). */
static bool has_word(const char *list, size_t list_len, const char *s, size_t len)
{
    size_t i = 0;
    while (i < list_len) {
        size_t end = i;
        while (end < list_len && list[end] != ' ')
            end++;
        if (end - i == len && memcmp(list + i, s, len) == 0)
            return true;
        i = end + 1;
    }
    return false;
}

/* Appends the scopes of `s` that `out` (from `start`) does not hold yet. */
static void append_scopes(spotify__strbuf *out, size_t start, const char *s)
{
    size_t pos = 0;
    const char *word;
    size_t len;
    while ((len = next_scope(s, &pos, &word)) > 0 && !out->failed) {
        const char *have = spotify__strbuf_cstr(out) + start;
        if (has_word(have, out->len - start, word, len))
            continue;
        if (out->len > start)
            spotify__strbuf_append_char(out, ' ');
        spotify__strbuf_append(out, word, len);
    }
}

bool spotify__scope_normalize(spotify__strbuf *out, const char *scope, const char *const *list,
                              size_t count)
{
    if (out == NULL || out->failed)
        return false;
    size_t start = out->len;
    if (scope != NULL) {
        append_scopes(out, start, scope);
    } else if (list != NULL) {
        for (size_t i = 0; i < count; i++) {
            if (list[i] != NULL)
                append_scopes(out, start, list[i]);
        }
    }
    return !out->failed;
}

/* True when the scope s[0..len) is among the scopes of `granted`. */
static bool granted_has(const char *granted, const char *s, size_t len)
{
    size_t pos = 0;
    const char *word;
    size_t word_len;
    while ((word_len = next_scope(granted, &pos, &word)) > 0) {
        if (word_len == len && memcmp(word, s, len) == 0)
            return true;
    }
    return false;
}

bool spotify__scope_covers(const char *granted, const char *required)
{
    if (required == NULL)
        return true;
    if (granted == NULL)
        granted = "";
    size_t pos = 0;
    const char *word;
    size_t len;
    while ((len = next_scope(required, &pos, &word)) > 0) {
        if (!granted_has(granted, word, len))
            return false;
    }
    return true;
}
