/* SPDX-License-Identifier: Apache-2.0 */
/* core/dotenv.c - the .env reader (see dotenv.h). */
#include "dotenv.h"

#include <string.h>

#include "strbuf.h"

typedef struct reader {
    const char *t;
    size_t n;
    size_t i;
    size_t line; /* 1-based number of the line at t[i] */
} reader;

static bool at_end(const reader *r)
{
    return r->i >= r->n;
}

static char peek(const reader *r)
{
    return at_end(r) ? '\0' : r->t[r->i];
}

static void advance(reader *r)
{
    if (!at_end(r) && r->t[r->i++] == '\n')
        r->line++;
}

static void skip_blanks(reader *r)
{
    while (peek(r) == ' ' || peek(r) == '\t')
        advance(r);
}

/* To the start of the next line. */
static void skip_line(reader *r)
{
    while (!at_end(r) && peek(r) != '\n')
        advance(r);
    advance(r);
}

static bool key_char(char c, bool first)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (!first && ((c >= '0' && c <= '9') || c == '.' || c == '-'));
}

static bool word_at(const reader *r, const char *word)
{
    size_t len = strlen(word);
    return r->n - r->i >= len && memcmp(r->t + r->i, word, len) == 0;
}

/* A quoted value (the opening quote already read) into `v`; false when the
 * closing quote never comes. */
static bool quoted(reader *r, char quote, spotify__strbuf *v)
{
    while (!at_end(r) && peek(r) != quote) {
        char c = peek(r);
        advance(r);
        if (quote == '"' && c == '\\' && !at_end(r)) {
            char e = peek(r);
            advance(r);
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
        }
        spotify__strbuf_append_char(v, c);
    }
    if (at_end(r))
        return false;
    advance(r); /* the closing quote */
    return true;
}

/* An unquoted value to the end of the line or a " #" comment, trimmed. */
static void unquoted(reader *r, spotify__strbuf *v)
{
    char prev = ' ';
    while (!at_end(r) && peek(r) != '\n' && !(peek(r) == '#' && (prev == ' ' || prev == '\t'))) {
        prev = peek(r);
        spotify__strbuf_append_char(v, prev);
        advance(r);
    }
    while (v->len > 0 && (v->data[v->len - 1] == ' ' || v->data[v->len - 1] == '\t' ||
                          v->data[v->len - 1] == '\r'))
        v->data[--v->len] = '\0';
}

/* What follows a quoted value on its line may only be blanks or a comment. */
static bool line_rest_empty(reader *r)
{
    skip_blanks(r);
    if (peek(r) == '\r')
        advance(r);
    bool ok = at_end(r) || peek(r) == '\n' || peek(r) == '#';
    skip_line(r);
    return ok;
}

/* One assignment at r (blanks skipped). 1: done, 0: malformed, -1: OOM. */
static int assignment(reader *r, spotify__strbuf *key, spotify__strbuf *value,
                      spotify__dotenv_fn each, void *user)
{
    if (word_at(r, "export") && r->n - r->i > 6 &&
        (r->t[r->i + 6] == ' ' || r->t[r->i + 6] == '\t')) {
        r->i += 6;
        skip_blanks(r);
    }
    spotify__strbuf_reset(key);
    spotify__strbuf_reset(value);
    if (!key_char(peek(r), true))
        return 0;
    while (key_char(peek(r), key->len == 0)) {
        spotify__strbuf_append_char(key, peek(r));
        advance(r);
    }
    skip_blanks(r);
    if (at_end(r) || peek(r) == '\n' || peek(r) == '\r' || peek(r) == '#') {
        skip_line(r); /* a bare KEY: dotenv reads it as no value, so not set */
        return 1;
    }
    if (peek(r) != '=')
        return 0;
    advance(r);
    skip_blanks(r);
    bool ok = true;
    char q = peek(r);
    if (q == '"' || q == '\'') {
        advance(r);
        ok = quoted(r, q, value) && line_rest_empty(r);
    } else {
        unquoted(r, value);
        skip_line(r);
    }
    if (key->failed || value->failed)
        return -1;
    if (!ok)
        return 0;
    each(spotify__strbuf_cstr(key), spotify__strbuf_cstr(value), user);
    return 1;
}

bool spotify__dotenv_parse(const char *text, size_t len, spotify__dotenv_fn each, void *user,
                           size_t *bad_lines, size_t *first_bad)
{
    reader r = {text != NULL ? text : "", text != NULL ? len : 0, 0, 1};
    spotify__strbuf key = SPOTIFY__STRBUF_INIT, value = SPOTIFY__STRBUF_INIT;
    *bad_lines = 0;
    *first_bad = 0;
    bool ok = true;
    while (ok && !at_end(&r)) {
        skip_blanks(&r);
        char c = peek(&r);
        if (c == '\n' || c == '\r' || c == '#' || at_end(&r)) {
            skip_line(&r);
            continue;
        }
        size_t line = r.line;
        int got = assignment(&r, &key, &value, each, user);
        ok = got >= 0;
        if (got == 0) {
            if (++*bad_lines == 1)
                *first_bad = line;
            if (r.line == line)
                skip_line(&r);
        }
    }
    spotify__strbuf_release_secret(&key);
    spotify__strbuf_release_secret(&value);
    return ok;
}
