/* SPDX-License-Identifier: Apache-2.0 */
/*
 * json/json_write.c - the compact JSON writer and the string escaper.
 *
 * Writer state: depth 0 is the top level (one value allowed); each open
 * container has one state byte in w->state[depth] made of the STATE_* bits.
 * Once `failed` is set every call is a no-op.
 */
#include "json_write.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_doc.h"

#define STATE_HAS_VALUE 0x01u   /* something was written: the next item needs a comma */
#define STATE_OBJECT 0x02u      /* the container is an object */
#define STATE_KEY_PENDING 0x04u /* a key was written, its value is due */

/* ---------- escaping ---------- */

/* Characters that can be copied as they are: printable ASCII except " and \. */
static bool is_plain(unsigned char c)
{
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

/*
 * Length of the well-formed UTF-8 sequence at s (Unicode Table 3-7: no
 * overlongs, no surrogates, nothing above U+10FFFF), or 0 when it is
 * ill-formed; then *bad gets the length of its maximal subpart (>= 1), the
 * bytes one U+FFFD replaces.
 */
static size_t utf8_sequence(const unsigned char *s, size_t avail, size_t *bad)
{
    unsigned char c = s[0];
    size_t need;
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    if (c >= 0xC2 && c <= 0xDF) {
        need = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else {
        *bad = 1;
        return 0;
    }
    size_t i = 1;
    for (; i < need && i < avail; i++) {
        unsigned char min = i == 1 ? lo : 0x80;
        unsigned char max = i == 1 ? hi : 0xBF;
        if (s[i] < min || s[i] > max)
            break;
    }
    if (i == need)
        return need;
    *bad = i;
    return 0;
}

/* Appends the escape for one ASCII control or quoting character. */
static void append_escape(spotify__strbuf *sb, unsigned char c)
{
    static const char hex[] = "0123456789abcdef";
    char buf[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
    switch (c) {
    case '"':
        spotify__strbuf_append(sb, "\\\"", 2);
        return;
    case '\\':
        spotify__strbuf_append(sb, "\\\\", 2);
        return;
    case '\b':
        spotify__strbuf_append(sb, "\\b", 2);
        return;
    case '\f':
        spotify__strbuf_append(sb, "\\f", 2);
        return;
    case '\n':
        spotify__strbuf_append(sb, "\\n", 2);
        return;
    case '\r':
        spotify__strbuf_append(sb, "\\r", 2);
        return;
    case '\t':
        spotify__strbuf_append(sb, "\\t", 2);
        return;
    default:
        spotify__strbuf_append(sb, buf, sizeof buf);
        return;
    }
}

/* True when none of the 8 bytes of `w` needs a look: each is printable
 * ASCII other than " and \ (bytewise tests on the whole word at once). */
static bool word_plain(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL;
    const uint64_t highs = 0x8080808080808080ULL;
    uint64_t quote = w ^ (ones * '"');
    uint64_t backslash = w ^ (ones * '\\');
    uint64_t control = (w - ones * 0x20) & ~w;   /* high bit set where a byte < 0x20 */
    uint64_t is_quote = (quote - ones) & ~quote; /* ... where a byte is '"' */
    uint64_t is_backslash = (backslash - ones) & ~backslash;
    return ((w | control | is_quote | is_backslash) & highs) == 0;
}

/* The end of the run starting at i of bytes that need no escaping (plain
 * ASCII and well-formed UTF-8). When the run stops at ill-formed UTF-8,
 * *bad gets the number of bytes to replace; otherwise 0. */
static size_t plain_run(const unsigned char *p, size_t i, size_t len, size_t *bad)
{
    *bad = 0;
    for (uint64_t w; i + 8 <= len; i += 8) {
        memcpy(&w, p + i, sizeof w);
        if (!word_plain(w))
            break;
    }
    while (i < len) {
        if (is_plain(p[i])) {
            i++;
        } else if (p[i] < 0x80) {
            break;
        } else {
            size_t n = utf8_sequence(p + i, len - i, bad);
            if (n == 0)
                break;
            i += n;
        }
    }
    return i;
}

bool spotify__json_append_escaped(spotify__strbuf *sb, const char *s, size_t len)
{
    if (s == NULL && len > 0) {
        sb->failed = true;
        return false;
    }
    const unsigned char *p = (const unsigned char *)s;
    spotify__strbuf_append_char(sb, '"');
    size_t i = 0;
    while (i < len && !sb->failed) {
        size_t bad;
        size_t end = plain_run(p, i, len, &bad);
        if (end > i)
            spotify__strbuf_append(sb, s + i, end - i);
        i = end;
        if (i == len)
            break;
        if (bad > 0) {
            spotify__strbuf_append(sb, "\\ufffd", 6);
            i += bad;
        } else {
            append_escape(sb, p[i]);
            i++;
        }
    }
    spotify__strbuf_append_char(sb, '"');
    return !sb->failed;
}

/* ---------- number formatting ---------- */

/* Decimal digits of v, written backwards ending at end; returns the start. */
static char *format_u64(char *end, uint64_t v)
{
    char *p = end;
    do {
        *--p = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v != 0);
    return p;
}

/*
 * The shortest of %.15g, %.16g and %.17g that reads back as exactly `v`
 * (%.17g always does), with the locale's decimal separator replaced by '.'
 * and ".0" added when the text would otherwise read back as an integer.
 */
static size_t format_double(char *buf, size_t size, double v)
{
    int len = 0;
    for (int precision = 15; precision <= 17; precision++) {
        len = snprintf(buf, size, "%.*g", precision, v);
        if (len <= 0 || (size_t)len >= size)
            return 0;
        if (precision == 17 || strtod(buf, NULL) == v)
            break;
    }
    size_t n = 0;
    bool integral = true;
    for (int i = 0; i < len; i++) {
        char c = buf[i];
        if ((c >= '0' && c <= '9') || c == '-' || c == '+') {
            buf[n++] = c;
        } else if (c == 'e' || c == 'E') {
            buf[n++] = 'e';
            integral = false;
        } else if (n == 0 || buf[n - 1] != '.') {
            buf[n++] = '.'; /* the locale's decimal point, of any length */
            integral = false;
        }
    }
    if (integral && n + 2 < size) {
        buf[n++] = '.';
        buf[n++] = '0';
    }
    buf[n] = '\0';
    return n;
}

/* ---------- writer state ---------- */

static void writer_fail(spotify__json_writer *w)
{
    w->failed = true;
}

static bool writer_usable(spotify__json_writer *w)
{
    if (w->failed || w->out->failed) {
        w->failed = true;
        return false;
    }
    return true;
}

/* Emits what precedes a value (a comma in arrays) and checks that a value
 * may come here; false (and failed) when it may not. */
static bool before_value(spotify__json_writer *w)
{
    if (!writer_usable(w))
        return false;
    uint8_t *state = &w->state[w->depth];
    if (w->depth == 0) {
        if (*state & STATE_HAS_VALUE) {
            writer_fail(w); /* a second top-level value */
            return false;
        }
    } else if (*state & STATE_OBJECT) {
        if (!(*state & STATE_KEY_PENDING)) {
            writer_fail(w); /* a value where a key is due */
            return false;
        }
        *state = (uint8_t)(*state & ~STATE_KEY_PENDING);
    } else if (*state & STATE_HAS_VALUE) {
        spotify__strbuf_append_char(w->out, ',');
    }
    *state |= STATE_HAS_VALUE;
    return true;
}

static void after_write(spotify__json_writer *w)
{
    if (w->out->failed)
        w->failed = true;
}

static void begin_container(spotify__json_writer *w, char open, uint8_t kind)
{
    if (!before_value(w))
        return;
    if (w->depth >= SPOTIFY__JSON_MAX_DEPTH) {
        writer_fail(w);
        return;
    }
    w->depth++;
    w->state[w->depth] = kind;
    spotify__strbuf_append_char(w->out, open);
    after_write(w);
}

static void end_container(spotify__json_writer *w, char close, uint8_t kind)
{
    if (!writer_usable(w))
        return;
    uint8_t state = w->state[w->depth];
    if (w->depth == 0 || (state & STATE_OBJECT) != kind || (state & STATE_KEY_PENDING)) {
        writer_fail(w);
        return;
    }
    w->depth--;
    spotify__strbuf_append_char(w->out, close);
    after_write(w);
}

static void write_key(spotify__json_writer *w, const char *key, size_t len)
{
    if (!writer_usable(w))
        return;
    uint8_t *state = &w->state[w->depth];
    if (key == NULL || w->depth == 0 || !(*state & STATE_OBJECT) || (*state & STATE_KEY_PENDING)) {
        writer_fail(w); /* a key where a value is due, or outside an object */
        return;
    }
    if (*state & STATE_HAS_VALUE)
        spotify__strbuf_append_char(w->out, ',');
    *state |= STATE_HAS_VALUE | STATE_KEY_PENDING;
    spotify__json_append_escaped(w->out, key, len);
    spotify__strbuf_append_char(w->out, ':');
    after_write(w);
}

/* Writes pre-formatted number or literal text as a value. */
static void write_raw_value(spotify__json_writer *w, const char *text, size_t len)
{
    if (!before_value(w))
        return;
    spotify__strbuf_append(w->out, text, len);
    after_write(w);
}

/* ---------- public writer API ---------- */

void spotify__jw_init(spotify__json_writer *w, spotify__strbuf *out)
{
    w->out = out;
    w->depth = 0;
    memset(w->state, 0, sizeof w->state);
    w->failed = out == NULL;
}

void spotify__jw_begin_object(spotify__json_writer *w)
{
    begin_container(w, '{', STATE_OBJECT);
}

void spotify__jw_end_object(spotify__json_writer *w)
{
    end_container(w, '}', STATE_OBJECT);
}

void spotify__jw_begin_array(spotify__json_writer *w)
{
    begin_container(w, '[', 0);
}

void spotify__jw_end_array(spotify__json_writer *w)
{
    end_container(w, ']', 0);
}

void spotify__jw_key(spotify__json_writer *w, const char *key)
{
    write_key(w, key, key == NULL ? 0 : strlen(key));
}

void spotify__jw_string(spotify__json_writer *w, const char *s, size_t len)
{
    if (s == NULL && len > 0) {
        writer_fail(w);
        return;
    }
    if (!before_value(w))
        return;
    spotify__json_append_escaped(w->out, s, len);
    after_write(w);
}

void spotify__jw_cstring(spotify__json_writer *w, const char *s)
{
    if (s == NULL)
        spotify__jw_null(w);
    else
        spotify__jw_string(w, s, strlen(s));
}

void spotify__jw_int64(spotify__json_writer *w, int64_t v)
{
    char buf[24];
    char *end = buf + sizeof buf;
    uint64_t magnitude = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    char *p = format_u64(end, magnitude);
    if (v < 0)
        *--p = '-';
    write_raw_value(w, p, (size_t)(end - p));
}

void spotify__jw_uint64(spotify__json_writer *w, uint64_t v)
{
    char buf[24];
    char *end = buf + sizeof buf;
    char *p = format_u64(end, v);
    write_raw_value(w, p, (size_t)(end - p));
}

void spotify__jw_double(spotify__json_writer *w, double v)
{
    if (!isfinite(v)) {
        spotify__jw_null(w);
        return;
    }
    char buf[64];
    size_t len = format_double(buf, sizeof buf, v);
    if (len == 0) {
        writer_fail(w);
        return;
    }
    write_raw_value(w, buf, len);
}

void spotify__jw_bool(spotify__json_writer *w, bool v)
{
    if (v)
        write_raw_value(w, "true", 4);
    else
        write_raw_value(w, "false", 5);
}

void spotify__jw_null(spotify__json_writer *w)
{
    write_raw_value(w, "null", 4);
}

/* The value of a UINT handle (json.h has no uint64 getter: only this
 * re-serialisation needs one). The caller has checked the type. */
static uint64_t uint_value(spotify__json v)
{
    size_t index = v.index & ~SPOTIFY__JSON_MEMBER_FLAG;
    return v.doc->tape[index + 1];
}

static void write_members(spotify__json_writer *w, spotify__json object)
{
    for (spotify__json m = spotify__json_first(object); spotify__json_valid(m) && !w->failed;
         m = spotify__json_next(m)) {
        const char *key;
        size_t key_len;
        if (!spotify__json_key(m, &key, &key_len)) {
            writer_fail(w);
            return;
        }
        write_key(w, key, key_len);
        spotify__jw_value(w, spotify__json_member_value(m));
    }
}

static void write_elements(spotify__json_writer *w, spotify__json array)
{
    for (spotify__json e = spotify__json_first(array); spotify__json_valid(e) && !w->failed;
         e = spotify__json_next(e))
        spotify__jw_value(w, e);
}

void spotify__jw_raw(spotify__json_writer *w, const char *json, size_t len)
{
    if (!before_value(w))
        return;
    spotify__strbuf_append(w->out, json, len);
    after_write(w);
}

void spotify__jw_value(spotify__json_writer *w, spotify__json v)
{
    bool b = false;
    int64_t i = 0;
    double d = 0.0;
    const char *s = "";
    size_t len = 0;
    switch (spotify__json_type_of(v)) {
    case SPOTIFY__JSON_NULL:
        spotify__jw_null(w);
        return;
    case SPOTIFY__JSON_BOOL:
        spotify__json_get_bool(v, &b);
        spotify__jw_bool(w, b);
        return;
    case SPOTIFY__JSON_INT:
        spotify__json_get_int64(v, &i);
        spotify__jw_int64(w, i);
        return;
    case SPOTIFY__JSON_UINT:
        spotify__jw_uint64(w, uint_value(v));
        return;
    case SPOTIFY__JSON_DOUBLE:
        spotify__json_get_double(v, &d);
        spotify__jw_double(w, d);
        return;
    case SPOTIFY__JSON_STRING:
        spotify__json_get_string(v, &s, &len);
        spotify__jw_string(w, s, len);
        return;
    case SPOTIFY__JSON_ARRAY:
        spotify__jw_begin_array(w);
        write_elements(w, v);
        spotify__jw_end_array(w);
        return;
    case SPOTIFY__JSON_OBJECT:
        spotify__jw_begin_object(w);
        write_members(w, v);
        spotify__jw_end_object(w);
        return;
    case SPOTIFY__JSON_INVALID:
    default:
        writer_fail(w);
        return;
    }
}

bool spotify__jw_ok(const spotify__json_writer *w)
{
    return !w->failed && w->out != NULL && !w->out->failed && w->depth == 0;
}
