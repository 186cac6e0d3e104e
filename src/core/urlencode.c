/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/urlencode.c - percent-encoding and decoding, form bodies and the
 * query-string parser.
 */
#include "urlencode.h"

#include <string.h>

static const char hex_digits[] = "0123456789ABCDEF";

/* RFC 3986 unreserved: A-Z a-z 0-9 - . _ ~ */
static bool is_unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

/* The value of a hex digit, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool spotify__url_encode(spotify__strbuf *sb, const char *s, size_t len)
{
    if (sb->failed || (s == NULL && len > 0))
        return false;
    size_t run = 0; /* unreserved bytes not yet appended */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (is_unreserved(c)) {
            run++;
            continue;
        }
        char escape[3] = {'%', hex_digits[c >> 4], hex_digits[c & 0x0f]};
        spotify__strbuf_append(sb, s + i - run, run);
        spotify__strbuf_append(sb, escape, sizeof escape);
        run = 0;
    }
    spotify__strbuf_append(sb, s == NULL ? "" : s + len - run, run);
    return !sb->failed;
}

bool spotify__form_encode(spotify__strbuf *sb, const spotify__param *params, size_t count)
{
    if (sb->failed || (params == NULL && count > 0))
        return false;
    bool first = true;
    for (size_t i = 0; i < count; i++) {
        const spotify__param *p = &params[i];
        if (p->key == NULL || p->value == NULL)
            continue;
        if (!first)
            spotify__strbuf_append_char(sb, '&');
        first = false;
        spotify__url_encode(sb, p->key, strlen(p->key));
        spotify__strbuf_append_char(sb, '=');
        spotify__url_encode(sb, p->value, strlen(p->value));
    }
    return !sb->failed;
}

/* Drops what a failed decode appended, keeping the buffer's earlier text. */
static bool decode_reject(spotify__strbuf *sb, size_t start_len)
{
    if (sb->data != NULL) {
        sb->len = start_len;
        sb->data[start_len] = '\0';
    }
    return false;
}

bool spotify__url_decode(spotify__strbuf *sb, const char *s, size_t len, bool plus_is_space)
{
    if (sb->failed || (s == NULL && len > 0))
        return false;
    /* Decoding never grows the text: one reservation covers it all. */
    if (!spotify__strbuf_reserve(sb, len))
        return false;
    size_t start_len = sb->len;
    char *out = sb->data + sb->len;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '%') {
            int hi = i + 2 < len ? hex_value(s[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value(s[i + 2]) : -1;
            if (lo < 0 || (hi == 0 && lo == 0))
                return decode_reject(sb, start_len);
            c = (char)(hi << 4 | lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            c = ' ';
        } else if (c == '\0') {
            return decode_reject(sb, start_len);
        }
        out[n++] = c;
    }
    sb->len += n;
    sb->data[sb->len] = '\0';
    return true;
}

/* Decodes one "key=value" pair and hands it to `fn`. */
static bool parse_pair(const char *pair, size_t len, spotify__strbuf *key, spotify__strbuf *value,
                       bool *malformed)
{
    const char *eq = memchr(pair, '=', len);
    size_t key_len = eq == NULL ? len : (size_t)(eq - pair);
    spotify__strbuf_reset(key);
    spotify__strbuf_reset(value);
    if (!spotify__url_decode(key, pair, key_len, true) ||
        !spotify__url_decode(value, eq == NULL ? "" : eq + 1, eq == NULL ? 0 : len - key_len - 1,
                             true)) {
        *malformed = !key->failed && !value->failed;
        return false;
    }
    return true;
}

bool spotify__query_parse(const char *s, size_t len, spotify__param_fn fn, void *user,
                          bool *malformed)
{
    bool bad_input = false;
    bool ok = true;
    spotify__strbuf key = SPOTIFY__STRBUF_INIT;
    spotify__strbuf value = SPOTIFY__STRBUF_INIT;
    if (s == NULL || fn == NULL) {
        ok = s == NULL && len == 0;
        bad_input = !ok;
        len = 0;
    }
    size_t pos = len > 0 && s[0] == '?' ? 1 : 0;
    while (ok && pos < len) {
        const char *amp = memchr(s + pos, '&', len - pos);
        size_t end = amp == NULL ? len : (size_t)(amp - s);
        if (end > pos) {
            ok = parse_pair(s + pos, end - pos, &key, &value, &bad_input) &&
                 fn(spotify__strbuf_cstr(&key), spotify__strbuf_cstr(&value), user);
        }
        pos = end + 1;
    }
    /* Query strings carry authorization codes and state: wipe them. */
    spotify__strbuf_release_secret(&key);
    spotify__strbuf_release_secret(&value);
    if (malformed != NULL)
        *malformed = bad_input;
    return ok;
}
