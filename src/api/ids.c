/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/ids.c - Spotify IDs, URIs and open.spotify.com links (spotify/ids.h).
 *
 * Accepted forms:
 *   ID                                    bare
 *   spotify:TYPE:ID                       URI
 *   spotify:user:NAME:playlist:ID         legacy playlist URI
 *   http(s)://open.spotify.com/[intl-xx/][embed/]TYPE/ID[/][?...][#...]
 *   http(s)://open.spotify.com/user/NAME/playlist/ID      legacy playlist link
 */
#include "id_parse.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../core/error.h"

static const char *const type_names[] = {"any",  "track",   "album",     "artist",  "playlist",
                                         "show", "episode", "audiobook", "chapter", "user"};

const char *spotify_id_type_name(spotify_id_type type)
{
    if ((unsigned)type > SPOTIFY_ID_TYPE_MAX)
        return "unknown";
    return type_names[type];
}

/* The type named by `len` bytes of `s`; ANY when none. */
static spotify_id_type type_named(const char *s, size_t len)
{
    for (unsigned t = SPOTIFY_ID_TRACK; t <= SPOTIFY_ID_TYPE_MAX; t++)
        if (strlen(type_names[t]) == len && memcmp(type_names[t], s, len) == 0)
            return (spotify_id_type)t;
    return SPOTIFY_ID_ANY;
}

spotify_id_type spotify_id_type_from_name(const char *name)
{
    return name == NULL ? SPOTIFY_ID_ANY : type_named(name, strlen(name));
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool base62_id(const char *s, size_t len)
{
    if (len != SPOTIFY_ID_LEN)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_alnum(s[i]))
            return false;
    return true;
}

/* User IDs: letters, digits and "._-~+" (Spotify's usernames and numeric
 * IDs), 1..SPOTIFY_ID_MAX bytes. */
static bool user_id(const char *s, size_t len)
{
    if (len == 0 || len > SPOTIFY_ID_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_alnum(s[i]) && strchr("._-~+", s[i]) == NULL)
            return false;
    return true;
}

bool spotify__id_valid(spotify_id_type type, const char *id, size_t len)
{
    if (id == NULL)
        return false;
    return type == SPOTIFY_ID_USER ? user_id(id, len) : base62_id(id, len);
}

#define BIT(type) ((uint32_t)1 << (unsigned)(type))

static const char *article(const char *name)
{
    return strchr("aeio", name[0]) != NULL ? "an" : "a";
}

/* The types of `types` for messages: "a track", "a track or an episode",
 * "one of track, album, episode". */
static void types_text(char *out, size_t size, uint32_t types)
{
    unsigned count = 0;
    unsigned last = 0;
    for (unsigned t = SPOTIFY_ID_TRACK; t <= SPOTIFY_ID_TYPE_MAX; t++)
        if ((types & BIT(t)) != 0) {
            count++;
            last = t;
        }
    size_t at = 0;
    out[0] = '\0';
    if (count == 1) {
        snprintf(out, size, "%s %s", article(type_names[last]), type_names[last]);
        return;
    }
    for (unsigned t = SPOTIFY_ID_TRACK; t <= SPOTIFY_ID_TYPE_MAX && at < size; t++) {
        if ((types & BIT(t)) == 0)
            continue;
        int n = count == 2 ? snprintf(out + at, size - at, "%s%s %s", at > 0 ? " or " : "",
                                      article(type_names[t]), type_names[t])
                           : snprintf(out + at, size - at, "%s%s", at > 0 ? ", " : "one of ",
                                      type_names[t]);
        if (n < 0)
            return;
        at += (size_t)n;
    }
}

/* A short quote of the input for messages. */
static void quote(char *out, size_t size, const char *input)
{
    size_t len = strlen(input);
    if (len <= 60)
        snprintf(out, size, "\"%s\"", input);
    else
        snprintf(out, size, "\"%.57s...\"", input);
}

typedef struct parse_ctx {
    const char *input;
    uint32_t types;
    char *problem;
    size_t problem_size;
} parse_ctx;

static bool problem(parse_ctx *c, const char *what)
{
    char q[80];
    quote(q, sizeof q, c->input);
    snprintf(c->problem, c->problem_size, "%s %s", q, what);
    return false;
}

/* The type and ID a URI or link named: check both, store them. */
static bool finish(parse_ctx *c, spotify_id *out, spotify_id_type type, const char *id, size_t len)
{
    if ((c->types & BIT(type)) == 0) {
        char want[128];
        char q[80];
        types_text(want, sizeof want, c->types);
        quote(q, sizeof q, c->input);
        snprintf(c->problem, c->problem_size, "expected %s, got %s %s (%s)", want,
                 article(type_names[type]), type_names[type], q);
        return false;
    }
    if (!spotify__id_valid(type, id, len))
        return problem(c, type == SPOTIFY_ID_USER
                              ? "holds no valid user ID (letters, digits, \"._-~+\")"
                              : "holds no valid ID (22 base62 characters)");
    out->type = type;
    memcpy(out->id, id, len);
    out->id[len] = '\0';
    return true;
}

/* spotify:TYPE:ID or spotify:user:NAME:playlist:ID */
static bool parse_uri(parse_ctx *c, spotify_id *out, const char *s)
{
    const char *parts[5];
    size_t lens[5];
    size_t n = 0;
    for (const char *p = s;; p++) {
        const char *colon = strchr(p, ':');
        size_t len = colon != NULL ? (size_t)(colon - p) : strlen(p);
        if (n == 5)
            return problem(c, "is not a Spotify URI (spotify:TYPE:ID)");
        parts[n] = p;
        lens[n++] = len;
        if (colon == NULL)
            break;
        p = colon;
    }
    if (n == 4 && type_named(parts[0], lens[0]) == SPOTIFY_ID_USER &&
        type_named(parts[2], lens[2]) == SPOTIFY_ID_PLAYLIST && user_id(parts[1], lens[1]))
        return finish(c, out, SPOTIFY_ID_PLAYLIST, parts[3], lens[3]);
    if (n != 2)
        return problem(c, "is not a Spotify URI (spotify:TYPE:ID)");
    spotify_id_type type = type_named(parts[0], lens[0]);
    if (type == SPOTIFY_ID_ANY)
        return problem(c, "names an unknown type");
    return finish(c, out, type, parts[1], lens[1]);
}

static bool starts_with(const char *s, const char *prefix, size_t len)
{
    return strncmp(s, prefix, len) == 0;
}

/* Skips "intl-xx/" (a localised link: intl-de, intl-pt-br...). */
static const char *skip_locale(const char *path)
{
    if (!starts_with(path, "intl-", 5))
        return path;
    const char *p = path + 5;
    size_t n = 0;
    while ((p[n] >= 'a' && p[n] <= 'z') || p[n] == '-' || (p[n] >= 'A' && p[n] <= 'Z'))
        n++;
    return n >= 2 && n <= 10 && p[n] == '/' ? p + n + 1 : path;
}

/* The length of a path segment (up to '/', '?', '#' or the end). */
static size_t segment(const char *s)
{
    return strcspn(s, "/?#");
}

/* After the ID: nothing, or "/" then nothing, or a query or fragment. */
static bool link_tail_ok(const char *s)
{
    if (*s == '/')
        s++;
    return *s == '\0' || *s == '?' || *s == '#';
}

static bool parse_link(parse_ctx *c, spotify_id *out, const char *s)
{
    const char *host = s + (starts_with(s, "https://", 8) ? 8 : 7);
    size_t host_len = segment(host);
    if (host_len != 16 || strncasecmp(host, "open.spotify.com", 16) != 0 || host[16] != '/')
        return problem(c, "is not an open.spotify.com link");
    const char *path = skip_locale(host + 17);
    if (starts_with(path, "embed/", 6))
        path += 6;
    size_t type_len = segment(path);
    spotify_id_type type = type_named(path, type_len);
    if (type == SPOTIFY_ID_ANY || path[type_len] != '/')
        return problem(c, "is not a link to a Spotify item");
    const char *id = path + type_len + 1;
    size_t id_len = segment(id);
    if (type == SPOTIFY_ID_USER && starts_with(id + id_len, "/playlist/", 10)) {
        const char *pl = id + id_len + 10;
        size_t pl_len = segment(pl);
        if (link_tail_ok(pl + pl_len))
            return finish(c, out, SPOTIFY_ID_PLAYLIST, pl, pl_len);
    }
    if (!link_tail_ok(id + id_len))
        return problem(c, "is not a link to a Spotify item");
    return finish(c, out, type, id, id_len);
}

/* The one catalogue type of `types` (users aside), or ANY. */
static spotify_id_type single_catalogue_type(uint32_t types)
{
    uint32_t catalogue = types & ~BIT(SPOTIFY_ID_USER);
    if (catalogue == 0 || (catalogue & (catalogue - 1)) != 0)
        return SPOTIFY_ID_ANY;
    for (unsigned t = SPOTIFY_ID_TRACK; t <= SPOTIFY_ID_TYPE_MAX; t++)
        if (catalogue == BIT(t))
            return (spotify_id_type)t;
    return SPOTIFY_ID_ANY;
}

static bool parse_bare(parse_ctx *c, spotify_id *out, const char *s)
{
    size_t len = strlen(s);
    bool users = (c->types & BIT(SPOTIFY_ID_USER)) != 0;
    bool catalogue = (c->types & ~BIT(SPOTIFY_ID_USER)) != 0;
    if (catalogue && base62_id(s, len)) {
        /* With users allowed too (an artist or a user), the input does not say. */
        out->type = users ? SPOTIFY_ID_ANY : single_catalogue_type(c->types);
    } else if (users && user_id(s, len)) {
        out->type = SPOTIFY_ID_USER;
    } else {
        return problem(c, catalogue ? "is not a Spotify ID (22 base62 characters), URI or link"
                                    : "is not a Spotify user ID, URI or link");
    }
    memcpy(out->id, s, len);
    out->id[len] = '\0';
    return true;
}

bool spotify__id_parse_types(spotify_id *out, const char *input, uint32_t types, char *problem_out,
                             size_t problem_size)
{
    memset(out, 0, sizeof *out);
    parse_ctx c = {input != NULL ? input : "", types & SPOTIFY__ID_ALL_TYPES, problem_out,
                   problem_size};
    if (input == NULL || input[0] == '\0')
        return problem(&c, "is empty");
    bool ok;
    if (starts_with(input, "spotify:", 8))
        ok = parse_uri(&c, out, input + 8);
    else if (starts_with(input, "https://", 8) || starts_with(input, "http://", 7))
        ok = parse_link(&c, out, input);
    else
        ok = parse_bare(&c, out, input);
    if (!ok)
        memset(out, 0, sizeof *out);
    return ok;
}

spotify_status spotify_id_parse(spotify_id *out, const char *input, spotify_id_type expected,
                                spotify_error *err)
{
    if (out == NULL || (unsigned)expected > SPOTIFY_ID_TYPE_MAX)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_id_parse: bad argument");
    uint32_t types = expected == SPOTIFY_ID_ANY ? SPOTIFY__ID_ALL_TYPES : BIT(expected);
    /* Any type: a bare input must be a catalogue ID (a user ID needs its URI
     * or link, or expected SPOTIFY_ID_USER), so a mistyped ID is not taken
     * for a user name. */
    bool bare = input != NULL && !starts_with(input, "spotify:", 8) &&
                !starts_with(input, "https://", 8) && !starts_with(input, "http://", 7);
    if (expected == SPOTIFY_ID_ANY && bare)
        types &= ~BIT(SPOTIFY_ID_USER);
    char why[SPOTIFY_ERROR_MESSAGE_SIZE];
    if (!spotify__id_parse_types(out, input, types, why, sizeof why))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "%s", why);
    return SPOTIFY_OK;
}

static spotify_status id_write(char *buf, size_t size, const char *prefix, char sep,
                               spotify_id_type type, const char *id, spotify_error *err)
{
    if (buf == NULL || size == 0 || type == SPOTIFY_ID_ANY ||
        (unsigned)type > SPOTIFY_ID_TYPE_MAX ||
        !spotify__id_valid(type, id, id != NULL ? strlen(id) : 0))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_id_uri: no valid %s ID given",
                                  spotify_id_type_name(type));
    int n = snprintf(buf, size, "%s%s%c%s", prefix, type_names[type], sep, id);
    if (n < 0 || (size_t)n >= size) {
        buf[0] = '\0';
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_id_uri: buffer too small");
    }
    return SPOTIFY_OK;
}

spotify_status spotify_id_uri(char *buf, size_t size, spotify_id_type type, const char *id,
                              spotify_error *err)
{
    return id_write(buf, size, "spotify:", ':', type, id, err);
}

spotify_status spotify_id_link(char *buf, size_t size, spotify_id_type type, const char *id,
                               spotify_error *err)
{
    return id_write(buf, size, "https://open.spotify.com/", '/', type, id, err);
}
