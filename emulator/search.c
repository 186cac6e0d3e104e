/* SPDX-License-Identifier: Apache-2.0 */
/*
 * search.c - the search index, the query parser, matching and ranking.
 */
#include "search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "json/json.h"

#define NEW_DAYS 14      /* tag:new: released in the last two weeks */
#define HIPSTER_SHARE 10 /* tag:hipster: the least popular 1/10 of the albums */
#define MARKET_WORDS 4   /* a bit per market of markets.json (at most 256) */

/* A normalized text (" w1 w2 "), NULL when the item has no such field. */
typedef struct text {
    const char *s;
    size_t len;
} text;

typedef struct entry {
    text name;
    text artists;     /* albums, tracks: " a b | c " */
    text album;       /* tracks: the album's name */
    text genres;      /* artists, tracks (their artists'): " hip hop | rap " */
    text words;       /* what a word of the query may match: name | artists | album */
    const char *code; /* tracks: ISRC, albums: UPC; lower case; NULL */
    int year;         /* albums, tracks (their album's); 0: unknown */
    int64_t day;      /* albums, tracks: release day since 1970-01-01; INT64_MIN: unknown */
    uint64_t markets[MARKET_WORDS];
    bool has_markets; /* else available everywhere */
    bool hipster;
} entry;

struct emu_search_index {
    spotify__arena *arena;
    const emu_catalog *catalog;
    entry *entries[EMU_KIND_COUNT];
    size_t counts[EMU_KIND_COUNT];
    short market_index[26 * 26]; /* "SE" -> its bit, -1 for none */
};

typedef enum field {
    F_TEXT = 0,
    F_ARTIST,
    F_ALBUM,
    F_TRACK,
    F_YEAR,
    F_GENRE,
    F_ISRC,
    F_UPC,
    F_NEW,
    F_HIPSTER
} field;

typedef struct term {
    field f;
    bool negate;
    bool prefix;   /* the query's last word: matches the start of a word */
    const char *s; /* normalized phrase " w1 w2 " (ISRC / UPC: lower-case code) */
    size_t len;
    int from, to; /* year: */
} term;

struct emu_search_query {
    term *terms;
    size_t count;
    text words; /* the positive words and phrases, joined: " w1 w2 " */
};

/* ---- normalization ---------------------------------------------------- */

/* U+00C0..U+00FF and U+0100..U+017F folded to base letters; digits stand
 * for two letters (1 ae, 2 th, 3 ss, 4 ij, 5 oe), ' ' for a word break. */
static const char latin1_fold[] = "aaaaaa1ceeeeiiiidnooooo ouuuuy23"
                                  "aaaaaa1ceeeeiiiidnooooo ouuuuy2y";
static const char latin_ext_a_fold[] = "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii44jjkkk"
                                       "llllllllllnnnnnnnnnoooooo55rrrrrrsssssssstttttt"
                                       "uuuuuuuuuuuuwwyyyzzzzzzs";
static const char *const pairs[] = {"ae", "th", "ss", "ij", "oe"};

/* Decodes the UTF-8 sequence at s[*i]; advances *i. A malformed byte is
 * returned as U+FFFD (a word break). */
static uint32_t next_code_point(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char c = s[*i];
    size_t n = c < 0x80             ? 1
               : (c & 0xE0) == 0xC0 ? 2
               : (c & 0xF0) == 0xE0 ? 3
               : (c & 0xF8) == 0xF0 ? 4
                                    : 0;
    if (n == 0 || *i + n > len) {
        (*i)++;
        return 0xFFFD;
    }
    uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
    for (size_t k = 1; k < n; k++) {
        if ((s[*i + k] & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[*i + k] & 0x3Fu);
    }
    *i += n;
    return cp;
}

/* What a code point becomes: 0 = dropped, 1 = a word break, 2 = kept as
 * is (its bytes), 3 = the letters in *fold. */
static int classify(uint32_t cp, char fold[3])
{
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
            fold[0] = (char)cp;
            fold[1] = '\0';
            return 3;
        }
        if (cp >= 'A' && cp <= 'Z') {
            fold[0] = (char)(cp - 'A' + 'a');
            fold[1] = '\0';
            return 3;
        }
        return cp == '\'' || cp == '`' ? 0 : 1;
    }
    if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC || (cp >= 0x0300 && cp <= 0x036F))
        return 0; /* apostrophes, combining marks */
    char c = 0;
    if (cp >= 0xC0 && cp <= 0xFF)
        c = latin1_fold[cp - 0xC0];
    else if (cp >= 0x100 && cp <= 0x17F)
        c = latin_ext_a_fold[cp - 0x100];
    else if (cp < 0xC0 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000 || cp == 0xFFFD)
        return 1; /* Latin-1 punctuation, general punctuation, spaces */
    else
        return 2;
    if (c == ' ')
        return 1;
    if (c >= '1' && c <= '5') {
        memcpy(fold, pairs[c - '1'], 3);
        return 3;
    }
    fold[0] = c;
    fold[1] = '\0';
    return 3;
}

bool emu_search_normalize(spotify__strbuf *out, const char *text_in, size_t len)
{
    const unsigned char *s = (const unsigned char *)text_in;
    bool in_word = false;
    spotify__strbuf_append_char(out, ' ');
    for (size_t i = 0; i < len;) {
        size_t start = i;
        char fold[3];
        int kind = classify(next_code_point(s, len, &i), fold);
        if (kind == 0)
            continue;
        if (kind == 1) {
            if (in_word)
                spotify__strbuf_append_char(out, ' ');
            in_word = false;
            continue;
        }
        if (kind == 2)
            spotify__strbuf_append(out, text_in + start, i - start);
        else
            spotify__strbuf_append_str(out, fold);
        in_word = true;
    }
    if (in_word)
        spotify__strbuf_append_char(out, ' ');
    return !out->failed;
}

/* ---- the index -------------------------------------------------------- */

/* A copy of `sb` in the index's arena. */
static text keep(emu_search_index *idx, const spotify__strbuf *sb)
{
    text t = {NULL, 0};
    if (sb->failed)
        return t;
    t.s = spotify__arena_strndup(idx->arena, sb->data == NULL ? "" : sb->data, sb->len);
    t.len = t.s == NULL ? 0 : sb->len;
    return t;
}

/* The normalized `text` (may be NULL: an empty field). */
static text normalized(emu_search_index *idx, const char *s, size_t len)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    emu_search_normalize(&sb, s == NULL ? "" : s, s == NULL ? 0 : len);
    text t = keep(idx, &sb);
    spotify__strbuf_release(&sb);
    return t;
}

/* Appends normalized text `t` to a " | "-separated list in `sb`. */
static void join_text(spotify__strbuf *sb, const char *s, size_t len)
{
    if (len <= 1)
        return;
    if (sb->len == 0)
        spotify__strbuf_append(sb, s, len);
    else {
        spotify__strbuf_append_str(sb, "|");
        spotify__strbuf_append(sb, s, len);
    }
}

/* The strings of array `arr` (or its elements' `key` member), normalized
 * and joined with " | ". */
static text joined(emu_search_index *idx, spotify__json arr, const char *key)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT, one = SPOTIFY__STRBUF_INIT;
    for (spotify__json e = spotify__json_first(arr); spotify__json_valid(e);
         e = spotify__json_next(e)) {
        const char *s;
        size_t len;
        if (!spotify__json_get_string(key == NULL ? e : spotify__json_get(e, key), &s, &len))
            continue;
        spotify__strbuf_reset(&one);
        emu_search_normalize(&one, s, len);
        join_text(&sb, one.data, one.len);
    }
    text t = sb.len == 0 ? (text){NULL, 0} : keep(idx, &sb);
    spotify__strbuf_release(&sb);
    spotify__strbuf_release(&one);
    return t;
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* An entry's year and day from a "YYYY[-MM[-DD]]" release date. */
static void set_date(entry *e, spotify__json date)
{
    const char *s;
    size_t len;
    e->year = 0;
    e->day = INT64_MIN;
    if (!spotify__json_get_string(date, &s, &len) || len < 4)
        return;
    char buf[16];
    size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    unsigned y = 0, m = 1, d = 1;
    if (sscanf(buf, "%4u-%2u-%2u", &y, &m, &d) < 1 || m < 1 || m > 12 || d < 1 || d > 31)
        return;
    e->year = (int)y;
    e->day = days_from_civil(y, m, d);
}

/* The bits of the markets in array `markets`. */
static void set_markets(const emu_search_index *idx, entry *e, spotify__json markets)
{
    if (spotify__json_type_of(markets) != SPOTIFY__JSON_ARRAY)
        return;
    e->has_markets = true;
    for (spotify__json m = spotify__json_first(markets); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *s;
        size_t len;
        if (!spotify__json_get_string(m, &s, &len) || len != 2 || s[0] < 'A' || s[0] > 'Z' ||
            s[1] < 'A' || s[1] > 'Z')
            continue;
        int bit = idx->market_index[(s[0] - 'A') * 26 + (s[1] - 'A')];
        if (bit >= 0)
            e->markets[bit / 64] |= UINT64_C(1) << (bit % 64);
    }
}

/* A lower-case copy of external_ids.<key>, or NULL. */
static const char *code_of(emu_search_index *idx, spotify__json item, const char *key)
{
    const char *s;
    size_t len;
    if (!spotify__json_get_string(spotify__json_get(spotify__json_get(item, "external_ids"), key),
                                  &s, &len))
        return NULL;
    char *copy = spotify__arena_strndup(idx->arena, s, len);
    for (size_t i = 0; copy != NULL && i < len; i++)
        if (copy[i] >= 'A' && copy[i] <= 'Z')
            copy[i] = (char)(copy[i] - 'A' + 'a');
    return copy;
}

static int by_popularity_up(const void *a, const void *b, void *arg)
{
    const emu_catalog *cat = ((const emu_search_index *)arg)->catalog;
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int px = emu_catalog_at(cat, EMU_ALBUM, x)->popularity;
    int py = emu_catalog_at(cat, EMU_ALBUM, y)->popularity;
    return px != py ? px - py : (x > y) - (x < y);
}

/* Marks the least popular tenth of the albums (tag:hipster). */
static bool mark_hipsters(emu_search_index *idx)
{
    size_t n = idx->counts[EMU_ALBUM];
    size_t *order = spotify__calloc(n == 0 ? 1 : n, sizeof *order);
    if (order == NULL)
        return false;
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    qsort_r(order, n, sizeof *order, by_popularity_up, idx);
    size_t share = n / HIPSTER_SHARE > 0 ? n / HIPSTER_SHARE : n;
    for (size_t i = 0; i < share; i++)
        idx->entries[EMU_ALBUM][order[i]].hipster = true;
    spotify__free(order);
    return true;
}

/* Fills the entry of item `i` of `kind` (albums and artists are done
 * before tracks, which borrow from them). */
/* The fields a word of the query matches, joined with " | " so that no
 * phrase spans two of them: one search instead of three. */
static void join_words(emu_search_index *idx, entry *e)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    const text *parts[] = {&e->name, &e->artists, &e->album};
    for (size_t k = 0; k < 3; k++)
        if (parts[k]->s != NULL)
            join_text(&sb, parts[k]->s, parts[k]->len);
    e->words = sb.len > 0 ? keep(idx, &sb) : e->name;
    spotify__strbuf_release(&sb);
}

static void index_item(emu_search_index *idx, emu_kind kind, size_t i)
{
    const emu_item *item = emu_catalog_at(idx->catalog, kind, i);
    entry *e = &idx->entries[kind][i];
    e->name = normalized(idx, item->name, item->name == NULL ? 0 : strlen(item->name));
    e->day = INT64_MIN;
    set_markets(idx, e, spotify__json_get(item->full, "available_markets"));
    if (kind == EMU_ALBUM) {
        e->artists = joined(idx, spotify__json_get(item->full, "artists"), "name");
        set_date(e, spotify__json_get(item->full, "release_date"));
        e->code = code_of(idx, item->full, "upc");
    } else if (kind == EMU_ARTIST) {
        e->genres = joined(idx, spotify__json_get(item->full, "genres"), NULL);
    } else if (kind == EMU_TRACK) {
        e->artists = joined(idx, spotify__json_get(item->full, "artists"), "name");
        e->code = code_of(idx, item->full, "isrc");
        if (item->album != EMU_NONE) {
            const entry *al = &idx->entries[EMU_ALBUM][item->album];
            e->album = al->name;
            e->year = al->year;
            e->day = al->day;
        }
        spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
        for (size_t a = 0; a < item->artist_count; a++) {
            const text *g = &idx->entries[EMU_ARTIST][item->artists[a]].genres;
            if (g->s != NULL)
                join_text(&sb, g->s, g->len);
        }
        if (sb.len > 0)
            e->genres = keep(idx, &sb);
        spotify__strbuf_release(&sb);
    }
    join_words(idx, e);
}

emu_search_index *emu_search_index_build(const emu_catalog *catalog)
{
    emu_search_index *idx = spotify__calloc(1, sizeof *idx);
    if (idx == NULL)
        return NULL;
    idx->catalog = catalog;
    idx->arena = spotify__arena_new(256 * 1024);
    memset(idx->market_index, 0xff, sizeof idx->market_index);
    int bit = 0;
    spotify__json markets = emu_catalog_doc(catalog, EMU_DOC_MARKETS);
    for (spotify__json m = spotify__json_first(markets);
         spotify__json_valid(m) && bit < MARKET_WORDS * 64; m = spotify__json_next(m)) {
        const char *s;
        size_t len;
        if (spotify__json_get_string(m, &s, &len) && len == 2 && s[0] >= 'A' && s[0] <= 'Z' &&
            s[1] >= 'A' && s[1] <= 'Z')
            idx->market_index[(s[0] - 'A') * 26 + (s[1] - 'A')] = (short)bit++;
    }
    static const emu_kind order[] = {EMU_ARTIST, EMU_ALBUM,   EMU_TRACK,
                                     EMU_SHOW,   EMU_EPISODE, EMU_AUDIOBOOK};
    bool ok = idx->arena != NULL;
    for (size_t k = 0; ok && k < sizeof order / sizeof order[0]; k++) {
        emu_kind kind = order[k];
        size_t n = emu_catalog_count(catalog, kind);
        idx->counts[kind] = n;
        idx->entries[kind] = spotify__arena_calloc(idx->arena, n == 0 ? 1 : n, sizeof(entry));
        ok = idx->entries[kind] != NULL;
        for (size_t i = 0; ok && i < n; i++)
            index_item(idx, kind, i);
    }
    if (!ok || !mark_hipsters(idx)) {
        emu_search_index_free(idx);
        return NULL;
    }
    return idx;
}

void emu_search_index_free(emu_search_index *index)
{
    if (index == NULL)
        return;
    spotify__arena_free(index->arena);
    spotify__free(index);
}

/* ---- the query -------------------------------------------------------- */

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The filter named by the `n` letters at `name` (case-insensitive), or -1. */
static int field_named(const char *name, size_t n)
{
    static const char *const names[] = {"artist", "album", "track", "year", "genre", "isrc", "upc"};
    static const field fields[] = {F_ARTIST, F_ALBUM, F_TRACK, F_YEAR, F_GENRE, F_ISRC, F_UPC};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i]) == n && strncasecmp(names[i], name, n) == 0)
            return (int)fields[i];
    return n == 3 && strncasecmp(name, "tag", 3) == 0 ? (int)F_NEW : -1; /* tag: decided later */
}

/* "2015" or "1990-1999" into t->from / t->to; an unreadable year matches
 * nothing (from > to). */
static void parse_year(term *t, const char *s, size_t len)
{
    char buf[32];
    unsigned a = 0, b = 0;
    char dash = 0, extra = 0;
    size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int got = sscanf(buf, "%4u%c%4u%c", &a, &dash, &b, &extra);
    t->from = 1;
    t->to = 0;
    if (got == 1 && n == 4) {
        t->from = t->to = (int)a;
    } else if (got == 3 && dash == '-' && n == 9) {
        t->from = (int)a;
        t->to = (int)b;
    }
}

/* The term's value: normalized text, or a lower-case code. false when it
 * holds nothing to match (such a term is dropped). */
static bool set_value(spotify__arena *arena, term *t, const char *s, size_t len)
{
    if (t->f == F_YEAR) {
        parse_year(t, s, len);
        return true;
    }
    if (t->f == F_ISRC || t->f == F_UPC) {
        char *code = spotify__arena_strndup(arena, s, len);
        if (code == NULL)
            return false;
        for (size_t i = 0; i < len; i++)
            if (code[i] >= 'A' && code[i] <= 'Z')
                code[i] = (char)(code[i] - 'A' + 'a');
        t->s = code;
        t->len = len;
        return len > 0;
    }
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    emu_search_normalize(&sb, s, len);
    bool words = !sb.failed && sb.len > 1;
    t->s = words ? spotify__arena_strndup(arena, sb.data, sb.len) : NULL;
    t->len = sb.len;
    spotify__strbuf_release(&sb);
    return t->s != NULL;
}

emu_search_query *emu_search_parse(spotify__arena *arena, const char *q)
{
    emu_search_query *query = spotify__arena_calloc(arena, 1, sizeof *query);
    size_t qlen = strlen(q);
    if (query == NULL ||
        (query->terms = spotify__arena_calloc(arena, qlen / 2 + 2, sizeof(term))) == NULL)
        return NULL;
    spotify__strbuf words = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append_char(&words, ' ');
    const char *p = q;
    for (;;) {
        while (is_space(*p))
            p++;
        if (*p == '\0')
            break;
        term t = {F_TEXT, false, false, NULL, 0, 0, 0};
        if (strncmp(p, "NOT", 3) == 0 && is_space(p[3])) {
            t.negate = true;
            p += 3;
            while (is_space(*p))
                p++;
        } else if (*p == '-' && p[1] != '\0' && !is_space(p[1])) {
            t.negate = true;
            p++;
        }
        size_t n = 0;
        while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))
            n++;
        const char *token = p;
        int f = n > 0 && p[n] == ':' ? field_named(p, n) : -1;
        if (f >= 0) {
            t.f = (field)f;
            p += n + 1;
        }
        bool quoted = *p == '"';
        const char *start = quoted ? p + 1 : p;
        const char *end = start;
        while (*end != '\0' && (quoted ? *end != '"' : !is_space(*end)))
            end++;
        p = quoted && *end == '"' ? end + 1 : end;
        if (f == (int)F_NEW) { /* tag:new, tag:hipster; another tag is a word */
            size_t vlen = (size_t)(end - start);
            if (vlen == 7 && strncasecmp(start, "hipster", 7) == 0)
                t.f = F_HIPSTER;
            else if (!(vlen == 3 && strncasecmp(start, "new", 3) == 0)) {
                t.f = F_TEXT;
                start = token;
            }
        }
        t.prefix =
            !quoted && !t.negate && *p == '\0' && t.f != F_YEAR && t.f != F_ISRC && t.f != F_UPC;
        if (t.f == F_NEW || t.f == F_HIPSTER) {
            query->terms[query->count++] = t;
            continue;
        }
        if (!set_value(arena, &t, start, (size_t)(end - start)))
            continue;
        if (t.f == F_TEXT && !t.negate)
            spotify__strbuf_append(&words, t.s + 1, t.len - 1);
        query->terms[query->count++] = t;
    }
    if (words.failed) {
        spotify__strbuf_release(&words);
        return NULL;
    }
    query->words.s = spotify__arena_strndup(arena, words.data, words.len);
    query->words.len = words.len;
    spotify__strbuf_release(&words);
    return query->words.s == NULL ? NULL : query;
}

/* ---- matching --------------------------------------------------------- */

/* Whether normalized field `f` holds the term's phrase (a prefix of its
 * last word when t->prefix). */
static bool has(text f, const term *t)
{
    size_t n = t->prefix ? t->len - 1 : t->len;
    return f.s != NULL && memmem(f.s, f.len, t->s, n) != NULL;
}

static bool year_in(int year, const term *t)
{
    return year != 0 && year >= t->from && year <= t->to;
}

/* 1: the item matches the term, 0: it does not, -1: the term does not
 * apply to items of this kind. */
static int term_matches(const emu_search_index *idx, const term *t, emu_kind kind, const entry *e,
                        size_t i, int64_t today)
{
    bool music = kind == EMU_ALBUM || kind == EMU_TRACK;
    switch (t->f) {
    case F_TEXT: /* the name, artists' names (albums, tracks), the album's (tracks) */
        return has(e->words, t);
    case F_ARTIST:
        return kind == EMU_ARTIST ? has(e->name, t) : music ? has(e->artists, t) : -1;
    case F_ALBUM:
        return kind == EMU_ALBUM ? has(e->name, t) : kind == EMU_TRACK ? has(e->album, t) : -1;
    case F_TRACK:
        return kind == EMU_TRACK ? has(e->name, t) : -1;
    case F_YEAR:
        if (music)
            return year_in(e->year, t);
        if (kind == EMU_ARTIST) {
            const emu_item *artist = emu_catalog_at(idx->catalog, EMU_ARTIST, i);
            for (size_t a = 0; a < artist->album_count; a++)
                if (year_in(idx->entries[EMU_ALBUM][artist->albums[a]].year, t))
                    return 1;
            return 0;
        }
        return -1;
    case F_GENRE:
        return kind == EMU_ARTIST || kind == EMU_TRACK ? has(e->genres, t) : -1;
    case F_ISRC:
    case F_UPC:
        if ((t->f == F_ISRC) != (kind == EMU_TRACK) || (t->f == F_UPC) != (kind == EMU_ALBUM))
            return -1;
        return e->code != NULL && strcmp(e->code, t->s) == 0;
    case F_NEW:
        return kind != EMU_ALBUM
                   ? -1
                   : e->day != INT64_MIN && e->day <= today && today - e->day <= NEW_DAYS;
    case F_HIPSTER:
        return kind == EMU_ALBUM ? e->hipster : -1;
    }
    return 0;
}

/* Whether every term accepts the item. */
static bool accepts(const emu_search_index *idx, const emu_search_query *q, emu_kind kind,
                    const entry *e, size_t i, int64_t today)
{
    for (size_t k = 0; k < q->count; k++) {
        const term *t = &q->terms[k];
        int r = term_matches(idx, t, kind, e, i, today);
        if (r < 0 ? !t->negate : (r == 1) == t->negate)
            return false;
    }
    return true;
}

/* 2: the name is the query's words; 1: the name holds each of them. */
static int tier_of(const emu_search_query *q, text name)
{
    if (q->words.len <= 1)
        return 0;
    if (name.len == q->words.len && memcmp(name.s, q->words.s, name.len) == 0)
        return 2;
    for (size_t k = 0; k < q->count; k++) {
        const term *t = &q->terms[k];
        if (t->f == F_TEXT && !t->negate && !has(name, t))
            return 0;
    }
    return 1;
}

static bool available(const emu_search_index *idx, const entry *e, const char *market)
{
    if (market == NULL || market[0] < 'A' || market[0] > 'Z' || market[1] < 'A' ||
        market[1] > 'Z' || !e->has_markets)
        return true;
    int bit = idx->market_index[(market[0] - 'A') * 26 + (market[1] - 'A')];
    return bit >= 0 && (e->markets[bit / 64] & (UINT64_C(1) << (bit % 64))) != 0;
}

size_t emu_search_run(const emu_search_index *index, const emu_search_query *query, emu_kind kind,
                      const char *market, int64_t now, spotify__arena *arena, emu_search_hit **out)
{
    size_t n = index->counts[kind];
    *out = NULL;
    if (n == 0)
        return 0;
    emu_search_hit *hits = spotify__arena_alloc(arena, n * sizeof *hits);
    if (hits == NULL)
        return (size_t)-1;
    int64_t today = now / 86400;
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        const entry *e = &index->entries[kind][i];
        if (!available(index, e, market) || !accepts(index, query, kind, e, i, today))
            continue;
        hits[count].index = i;
        hits[count].tier = tier_of(query, e->name);
        hits[count].popularity = emu_catalog_at(index->catalog, kind, i)->popularity;
        count++;
    }
    emu_search_sort(hits, count);
    *out = hits;
    return count;
}

bool emu_search_match_name(const emu_search_query *query, const char *name, int *tier)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    emu_search_normalize(&sb, name, strlen(name));
    entry e;
    memset(&e, 0, sizeof e);
    e.name.s = sb.data;
    e.name.len = sb.len;
    bool ok = !sb.failed;
    for (size_t k = 0; ok && k < query->count; k++) {
        const term *t = &query->terms[k];
        int r = t->f == F_TEXT ? has(e.name, t) : -1;
        if (r < 0 ? !t->negate : (r == 1) == t->negate)
            ok = false;
    }
    if (ok)
        *tier = tier_of(query, e.name);
    spotify__strbuf_release(&sb);
    return ok;
}

static int hit_order(const void *a, const void *b)
{
    const emu_search_hit *x = a, *y = b;
    if (x->tier != y->tier)
        return y->tier - x->tier;
    if (x->popularity != y->popularity)
        return y->popularity - x->popularity;
    return (x->index > y->index) - (x->index < y->index);
}

void emu_search_sort(emu_search_hit *hits, size_t count)
{
    if (count > 1)
        qsort(hits, count, sizeof *hits, hit_order);
}
