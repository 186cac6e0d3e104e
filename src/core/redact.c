/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/redact.c - spotify_redact(): masks credentials in log lines, error
 * messages and response excerpts.
 *
 * One left-to-right pass over the input. At each position a few rules are
 * tried (the exact value of a secret the SDK holds, core/secrets.h; a JSON
 * member with a secret key, an Authorization header, a Bearer/Basic
 * credential, a secret key=value pair); a rule that matches
 * writes its redacted form and consumes the input it covered, otherwise the
 * byte is copied. Every rule only ever looks at bytes before the NUL, so any
 * input is safe. Output is written through a bounded writer that counts the
 * full length, as snprintf does. No allocation.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <spotify/log.h>

#include "secrets.h"

#define REDACTED "[REDACTED]"
#define REDACTED_LEN (sizeof REDACTED - 1)

/* The keys whose values are secrets in query strings, forms and JSON. */
static const char *const secret_keys[] = {
    "access_token", "refresh_token", "client_secret", "code", "code_verifier", "state", "id_token",
};
#define SECRET_KEY_COUNT (sizeof secret_keys / sizeof secret_keys[0])

/* The bounded output: `len` counts every byte, `size` limits what is stored. */
typedef struct writer {
    char *out;
    size_t size;
    size_t len;
} writer;

/* The text being scanned: `n` bytes, no NUL inside. */
typedef struct scan {
    const char *t;
    size_t n;
} scan;

static void put(writer *w, const char *s, size_t n)
{
    if (w->size > 0 && w->len < w->size - 1) {
        size_t room = w->size - 1 - w->len;
        memcpy(w->out + w->len, s, n < room ? n : room);
    }
    w->len = n > SIZE_MAX - w->len ? SIZE_MAX : w->len + n;
}

/* Copies input bytes [from, to), then the replacement text. */
static void put_redacted(writer *w, const scan *sc, size_t from, size_t to)
{
    put(w, sc->t + from, to - from);
    put(w, REDACTED, REDACTED_LEN);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* True when `word` (lower case) starts at `pos`, ignoring case. */
static bool word_at(const scan *sc, size_t pos, const char *word, size_t len)
{
    if (pos > sc->n || sc->n - pos < len)
        return false;
    for (size_t k = 0; k < len; k++) {
        if (lower(sc->t[pos + k]) != word[k])
            return false;
    }
    return true;
}

static size_t skip_blanks(const scan *sc, size_t pos)
{
    while (pos < sc->n && (sc->t[pos] == ' ' || sc->t[pos] == '\t'))
        pos++;
    return pos;
}

static size_t skip_space(const scan *sc, size_t pos)
{
    while (pos < sc->n && is_space(sc->t[pos]))
        pos++;
    return pos;
}

/* The length of the quote at `pos`: 1 for `"`, 2 for an escaped `\"` (JSON
 * embedded in a JSON string), 0 for none. */
static size_t quote_at(const scan *sc, size_t pos)
{
    if (pos < sc->n && sc->t[pos] == '"')
        return 1;
    if (pos + 1 < sc->n && sc->t[pos] == '\\' && sc->t[pos + 1] == '"')
        return 2;
    return 0;
}

/*
 * Finds the end of a string whose opening quote ends just before `pos`.
 * Returns the index of the closing quote and its length in *close_len
 * (0 when the string is unterminated: the index is then the end of input, or
 * for an escaped string the raw `"` that ends the enclosing string).
 */
static size_t string_end(const scan *sc, size_t pos, size_t quote_len, size_t *close_len)
{
    bool inner_escape = false;
    *close_len = 0;
    while (pos < sc->n) {
        char c = sc->t[pos];
        if (c == '"') {
            *close_len = quote_len == 1 ? 1 : 0;
            return pos;
        }
        if (c != '\\') {
            inner_escape = false;
            pos++;
            continue;
        }
        if (pos + 1 >= sc->n)
            return sc->n;
        if (quote_len == 2) {
            char d = sc->t[pos + 1];
            if (d == '"' && !inner_escape) {
                *close_len = 2;
                return pos;
            }
            inner_escape = !inner_escape && d == '\\';
        }
        pos += 2;
    }
    return sc->n;
}

/* Writes `"key": "[REDACTED]"` for a string value that starts after the
 * opening quote at `vpos`; returns the input consumed from `start`. */
static size_t redact_string_value(writer *w, const scan *sc, size_t start, size_t vpos,
                                  size_t quote_len)
{
    size_t close_len;
    size_t end = string_end(sc, vpos, quote_len, &close_len);
    if (end == vpos) /* an empty value hides nothing */
        return 0;
    put_redacted(w, sc, start, vpos);
    put(w, sc->t + end, close_len);
    return end + close_len - start;
}

/*
 * A non-string JSON value (number, literal, object, array) runs to a `,` `}`
 * or `]` outside any nested object, array or string.
 */
static size_t redact_bare_value(writer *w, const scan *sc, size_t start, size_t vpos, bool escaped)
{
    size_t end = vpos;
    size_t depth = 0;
    while (end < sc->n) {
        char c = sc->t[end];
        if (escaped && (c == '"' || c == '\\'))
            break;
        if (c == '"') {
            size_t close_len;
            end = string_end(sc, end + 1, 1, &close_len) + close_len;
            continue;
        }
        if (c == '[' || c == '{') {
            depth++;
        } else if (c == ',' || c == '}' || c == ']') {
            if (depth == 0)
                break;
            if (c != ',')
                depth--;
        }
        end++;
    }
    while (end > vpos && is_space(sc->t[end - 1]))
        end--;
    if (end == vpos)
        return 0;
    put_redacted(w, sc, start, vpos);
    return end - start;
}

/* A JSON member `"key" : value` whose key is a secret. */
static size_t match_json(writer *w, const scan *sc, size_t i)
{
    size_t q = quote_at(sc, i);
    if (q == 0)
        return 0;
    for (size_t k = 0; k < SECRET_KEY_COUNT; k++) {
        size_t klen = strlen(secret_keys[k]);
        size_t pos = i + q;
        if (!word_at(sc, pos, secret_keys[k], klen) || quote_at(sc, pos + klen) != q)
            continue;
        pos = skip_space(sc, pos + klen + q);
        if (pos >= sc->n || sc->t[pos] != ':')
            continue;
        pos = skip_space(sc, pos + 1);
        if (quote_at(sc, pos) == q)
            return redact_string_value(w, sc, i, pos + q, q);
        return redact_bare_value(w, sc, i, pos, q == 2);
    }
    return 0;
}

/* The `Authorization` header value: keep a scheme word, hide the rest. */
static size_t redact_credentials(writer *w, const scan *sc, size_t start, size_t vpos, size_t end)
{
    while (end > vpos && is_space(sc->t[end - 1]))
        end--;
    if (end == vpos)
        return 0;
    size_t scheme_end = vpos;
    while (scheme_end < end && !is_space(sc->t[scheme_end]))
        scheme_end++;
    size_t cred = skip_blanks(sc, scheme_end);
    /* A single word may be the credential itself: hide it all. */
    size_t keep = cred > scheme_end && cred < end ? cred : vpos;
    put_redacted(w, sc, start, keep);
    return end - start;
}

/*
 * `Authorization: <scheme> <credential>` (also `Proxy-Authorization`, and the
 * JSON form `"Authorization": "<scheme> <credential>"`). A plain header's
 * value runs to the end of the line, or to a `"` when the header itself
 * was quoted.
 */
static size_t match_header(writer *w, const scan *sc, size_t i)
{
    static const char name[] = "authorization";
    if (!word_at(sc, i, name, sizeof name - 1))
        return 0;
    size_t pos = i + sizeof name - 1;
    size_t q = quote_at(sc, pos);
    pos = skip_blanks(sc, pos + q);
    if (pos >= sc->n || sc->t[pos] != ':')
        return 0;
    pos = skip_blanks(sc, pos + 1);
    if (q > 0) {
        if (quote_at(sc, pos) != q)
            return 0;
        size_t close_len;
        size_t end = string_end(sc, pos + q, q, &close_len);
        return redact_credentials(w, sc, i, pos + q, end);
    }
    bool in_quotes = i > 0 && sc->t[i - 1] == '"';
    size_t end = pos;
    while (end < sc->n && sc->t[end] != '\r' && sc->t[end] != '\n' &&
           !(in_quotes && sc->t[end] == '"'))
        end++;
    return redact_credentials(w, sc, i, pos, end);
}

/* Bytes that end a bare credential after `Bearer ` or `Basic `. */
static bool ends_token(char c)
{
    if ((unsigned char)c <= ' ' || c == 0x7f)
        return true;
    return strchr("\"'\\,;&<>()[]{}", c) != NULL;
}

/* `Bearer <token>` or `Basic <credential>` anywhere in the text. */
static size_t match_scheme(writer *w, const scan *sc, size_t i)
{
    if (i > 0 && (is_alnum(sc->t[i - 1]) || sc->t[i - 1] == '_'))
        return 0;
    size_t len;
    if (word_at(sc, i, "bearer", 6))
        len = 6;
    else if (word_at(sc, i, "basic", 5))
        len = 5;
    else
        return 0;
    size_t tok = skip_blanks(sc, i + len);
    if (tok == i + len)
        return 0;
    size_t end = tok;
    while (end < sc->n && !ends_token(sc->t[end]))
        end++;
    if (end == tok)
        return 0;
    put_redacted(w, sc, i, tok);
    return end - i;
}

/* Where a key of a query string or form body may start: at the start, or
 * after a separator (`?` `&` `;` `,` whitespace; also `#` for a fragment,
 * and an opening quote or bracket). Never after a letter or `_`, so
 * `country_code=` and `error_code=` are not `code=`. */
static bool key_boundary(const scan *sc, size_t i)
{
    if (i == 0)
        return true;
    char c = sc->t[i - 1];
    return is_space(c) || (c != '\0' && strchr("?#&;,\"'([{<|", c) != NULL);
}

static bool ends_value(char c)
{
    return c == '&' || c == '"' || c == '\'' || c == '#' || is_space(c);
}

/* `key=value` with a secret key in a query string or a form body. */
static size_t match_query(writer *w, const scan *sc, size_t i)
{
    if (!key_boundary(sc, i))
        return 0;
    for (size_t k = 0; k < SECRET_KEY_COUNT; k++) {
        size_t klen = strlen(secret_keys[k]);
        if (!word_at(sc, i, secret_keys[k], klen) || i + klen >= sc->n || sc->t[i + klen] != '=')
            continue;
        size_t vpos = i + klen + 1;
        size_t end = vpos;
        while (end < sc->n && !ends_value(sc->t[end]))
            end++;
        if (end == vpos)
            return 0;
        put_redacted(w, sc, i, vpos);
        return end - i;
    }
    return 0;
}

/* The exact value of a secret the SDK holds (or its cut-off beginning at
 * the end of the text), wherever it stands. */
static size_t match_known(writer *w, const scan *sc, size_t i, bool known)
{
    size_t len = known ? spotify__secret_at(sc->t + i, sc->n - i) : 0;
    if (len > 0)
        put(w, REDACTED, REDACTED_LEN);
    return len;
}

size_t spotify_redact(char *out, size_t out_size, const char *text)
{
    writer w = {out, out == NULL ? 0 : out_size, 0};
    scan sc = {text == NULL ? "" : text, text == NULL ? 0 : strlen(text)};
    bool known = spotify__secrets_hold();
    size_t i = 0;
    while (i < sc.n) {
        size_t used = match_known(&w, &sc, i, known);
        if (used == 0)
            used = match_json(&w, &sc, i);
        if (used == 0)
            used = match_header(&w, &sc, i);
        if (used == 0)
            used = match_scheme(&w, &sc, i);
        if (used == 0)
            used = match_query(&w, &sc, i);
        if (used == 0) {
            put(&w, sc.t + i, 1);
            used = 1;
        }
        i += used;
    }
    if (known)
        spotify__secrets_release();
    if (w.size > 0)
        w.out[w.len < w.size ? w.len : w.size - 1] = '\0';
    return w.len;
}
