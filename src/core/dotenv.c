/* SPDX-License-Identifier: Apache-2.0 */
/* core/dotenv.c - the .env reader (see dotenv.h). */
#include "dotenv.h"

#include <stdlib.h>
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

/* python-dotenv's unquoted keys: anything but '=', '#', blanks and line
 * ends ('#' cannot start a key: that is a comment line). */
static bool key_char(char c)
{
    return c != '\0' && strchr("=# \t\r\n", c) == NULL;
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

/* ---- ${NAME} and ${NAME:-default} (python-dotenv's interpolation) ---- */

/* The file's latest value of `name` among the earlier assignments in
 * `vars` ("KEY\0VALUE\0" pairs), else NULL. */
static const char *file_value(const spotify__strbuf *vars, const char *name, size_t len)
{
    const char *found = NULL;
    for (size_t at = 0; at < vars->len;) {
        const char *key = vars->data + at;
        const char *value = key + strlen(key) + 1;
        if (strlen(key) == len && memcmp(key, name, len) == 0)
            found = value;
        at = (size_t)(value + strlen(value) + 1 - vars->data);
    }
    return found;
}

/* `value` with each ${NAME} or ${NAME:-default} replaced by the file's
 * earlier value of NAME, else the environment's, else the default, else
 * nothing (python-dotenv's rule: the file's values win, as dotenv_values
 * gives them to pydantic-settings). */
static void interpolate(spotify__strbuf *out, const char *value, const spotify__strbuf *vars)
{
    spotify__strbuf_reset(out);
    for (const char *s = value; *s != '\0';) {
        const char *close = s[0] == '$' && s[1] == '{' ? strchr(s + 2, '}') : NULL;
        if (close == NULL) {
            spotify__strbuf_append_char(out, *s++);
            continue;
        }
        const char *name = s + 2;
        size_t name_len = strcspn(name, ":}");
        const char *fallback = NULL;
        size_t fallback_len = 0;
        if (name[name_len] == ':' && name[name_len + 1] == '-') {
            fallback = name + name_len + 2;
            fallback_len = (size_t)(close - fallback);
        } else if (name + name_len != close) {
            spotify__strbuf_append_char(out, *s++); /* "${A:x}": not a variable */
            continue;
        }
        char key[256];
        const char *found = NULL;
        if (name_len < sizeof key) {
            memcpy(key, name, name_len);
            key[name_len] = '\0';
            found = file_value(vars, key, name_len);
            found = found != NULL ? found : getenv(key);
        }
        if (found != NULL)
            spotify__strbuf_append_str(out, found);
        else if (fallback != NULL)
            spotify__strbuf_append(out, fallback, fallback_len);
        s = close + 1;
    }
}

/* The parser's buffers, reused line after line. */
typedef struct buffers {
    spotify__strbuf key, value, expanded;
    spotify__strbuf vars; /* the assignments so far, for interpolation */
} buffers;

/* One assignment at r (blanks skipped). 1: done, 0: malformed, -1: OOM. */
static int assignment(reader *r, buffers *b, spotify__dotenv_fn each, void *user)
{
    spotify__strbuf *key = &b->key, *value = &b->value;
    if (word_at(r, "export") && r->n - r->i > 6 &&
        (r->t[r->i + 6] == ' ' || r->t[r->i + 6] == '\t')) {
        r->i += 6;
        skip_blanks(r);
    }
    spotify__strbuf_reset(key);
    spotify__strbuf_reset(value);
    if (peek(r) == '\'') { /* a single-quoted key */
        advance(r);
        if (!quoted(r, '\'', key) || key->len == 0)
            return 0;
    } else {
        while (!at_end(r) && key_char(peek(r))) {
            spotify__strbuf_append_char(key, peek(r));
            advance(r);
        }
    }
    if (key->len == 0 || memchr(key->data, '\0', key->len) != NULL)
        return 0;
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
    if (!ok || (value->len > 0 && memchr(value->data, '\0', value->len) != NULL))
        return 0; /* a NUL byte cannot be in a C string: not a value we can use */
    /* every value, single-quoted ones too, as python-dotenv 1.2 does */
    interpolate(&b->expanded, spotify__strbuf_cstr(value), &b->vars);
    value = &b->expanded;
    spotify__strbuf_append(&b->vars, key->data, key->len + 1);
    spotify__strbuf_append(&b->vars, spotify__strbuf_cstr(value), value->len + 1);
    if (value->failed || b->vars.failed)
        return -1;
    each(spotify__strbuf_cstr(key), spotify__strbuf_cstr(value), user);
    return 1;
}

bool spotify__dotenv_parse(const char *text, size_t len, spotify__dotenv_fn each, void *user,
                           size_t *bad_lines, size_t *first_bad)
{
    reader r = {text != NULL ? text : "", text != NULL ? len : 0, 0, 1};
    buffers b = {SPOTIFY__STRBUF_INIT, SPOTIFY__STRBUF_INIT, SPOTIFY__STRBUF_INIT,
                 SPOTIFY__STRBUF_INIT};
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
        int got = assignment(&r, &b, each, user);
        ok = got >= 0;
        if (got == 0) {
            if (++*bad_lines == 1)
                *first_bad = line;
            if (r.line == line)
                skip_line(&r);
        }
    }
    spotify__strbuf_release_secret(&b.key);
    spotify__strbuf_release_secret(&b.value);
    spotify__strbuf_release_secret(&b.expanded);
    spotify__strbuf_release_secret(&b.vars);
    return ok;
}
