/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/token_json.c - the token record as JSON, as the file cache stores it:
 * {"version":1,"access_token":..,"expires_at":..,"refresh_token":..,
 *  "scope":..,"client_id":..,"flow":..[,"token_type":..,"expires_in":..]}.
 * Reading also accepts the seed SDK's files (access_token, expires_at,
 * refresh_token, scope only) and spotantic's AccessTokenInfo
 * (access_token, token_type, scope, expires_in, refresh_token, expires_at as
 * an ISO 8601 datetime), which spotify__token_to_json_spotantic writes.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../core/alloc.h"
#include "../core/arena.h"
#include "../json/json.h"
#include "../json/json_write.h"
#include "oauth.h"

#define TOKEN_RECORD_VERSION 1

bool spotify__token_to_json(spotify__strbuf *out, const spotify_token *token)
{
    if (out == NULL || out->failed || token == NULL || token->access_token == NULL)
        return false;
    /* Reserve up front so the secret is not left behind by a realloc. */
    spotify__strbuf_reserve(out, 256 + strlen(token->access_token) +
                                     (token->refresh_token ? strlen(token->refresh_token) : 0) +
                                     (token->scope ? strlen(token->scope) : 0) +
                                     (token->client_id ? strlen(token->client_id) : 0));
    spotify__json_writer w;
    spotify__jw_init(&w, out);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "version");
    spotify__jw_int64(&w, TOKEN_RECORD_VERSION);
    spotify__jw_key(&w, "access_token");
    spotify__jw_cstring(&w, token->access_token);
    spotify__jw_key(&w, "expires_at");
    spotify__jw_double(&w, token->expires_at);
    spotify__jw_key(&w, "refresh_token");
    spotify__jw_cstring(&w, token->refresh_token);
    spotify__jw_key(&w, "scope");
    spotify__jw_cstring(&w, token->scope);
    spotify__jw_key(&w, "client_id");
    spotify__jw_cstring(&w, token->client_id);
    spotify__jw_key(&w, "flow");
    spotify__jw_cstring(&w, spotify_flow_name(token->flow));
    if (token->token_type != NULL) {
        spotify__jw_key(&w, "token_type");
        spotify__jw_cstring(&w, token->token_type);
    }
    if (token->expires_in > 0) {
        spotify__jw_key(&w, "expires_in");
        spotify__jw_int64(&w, token->expires_in);
    }
    spotify__jw_end_object(&w);
    return spotify__jw_ok(&w) && !out->failed;
}

/* ---- ISO 8601 datetimes (spotantic's expires_at) ---- */

bool spotify__iso8601_format(double epoch, char out[SPOTIFY__ISO8601_SIZE])
{
    if (!(epoch >= 0 && epoch <= SPOTIFY__TOKEN_EXPIRES_AT_MAX))
        return false;
    double whole = floor(epoch);
    time_t t = (time_t)whole;
    long micros = lround((epoch - whole) * 1e6);
    if (micros >= 1000000) {
        t++;
        micros -= 1000000;
    }
    /* Naive local time, as spotantic writes it: it compares expires_at with
     * datetime.now(), which raises on a datetime with an offset. */
    struct tm tm;
    if (localtime_r(&t, &tm) == NULL)
        return false;
    char date[24];
    if (strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
        return false;
    if (micros == 0) /* as Python's isoformat() */
        snprintf(out, SPOTIFY__ISO8601_SIZE, "%s", date);
    else
        snprintf(out, SPOTIFY__ISO8601_SIZE, "%s.%06d", date, (int)micros);
    return true;
}

/* `n` decimal digits at *s into *out; false when they are not there. */
static bool digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *s += n;
    *out = v;
    return true;
}

/* "+HH:MM", "+HHMM", "+HH", "Z" (and "-"): the offset east of UTC in
 * seconds; "" (a naive datetime): *naive. false on anything else. */
static bool utc_offset(const char *s, long *offset, bool *naive)
{
    *offset = 0;
    *naive = *s == '\0';
    if (*naive || ((s[0] == 'Z' || s[0] == 'z') && s[1] == '\0'))
        return true;
    if (s[0] != '+' && s[0] != '-')
        return false;
    int sign = s[0] == '-' ? -1 : 1;
    const char *p = s + 1;
    int hours = 0, minutes = 0;
    if (!digits(&p, 2, &hours))
        return false;
    if (*p == ':')
        p++;
    if (*p != '\0' && !digits(&p, 2, &minutes))
        return false;
    if (*p != '\0' || hours > 23 || minutes > 59)
        return false;
    *offset = sign * (hours * 3600L + minutes * 60L);
    return true;
}

bool spotify__iso8601_parse(const char *s, double *out)
{
    int year, month, day, hour, minute, second;
    const char *p = s;
    if (!digits(&p, 4, &year) || *p++ != '-' || !digits(&p, 2, &month) || *p++ != '-' ||
        !digits(&p, 2, &day) || (*p != 'T' && *p != 't' && *p != ' ') || !(p++, true) ||
        !digits(&p, 2, &hour) || *p++ != ':' || !digits(&p, 2, &minute) || *p++ != ':' ||
        !digits(&p, 2, &second))
        return false;
    double fraction = 0, scale = 0.1;
    if (*p == '.' || *p == ',') {
        p++;
        if (*p < '0' || *p > '9')
            return false;
        for (; *p >= '0' && *p <= '9'; p++, scale /= 10)
            fraction += (*p - '0') * scale;
    }
    long offset;
    bool naive;
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60 ||
        !utc_offset(p, &offset, &naive))
        return false;
    struct tm tm = {.tm_year = year - 1900,
                    .tm_mon = month - 1,
                    .tm_mday = day,
                    .tm_hour = hour,
                    .tm_min = minute,
                    .tm_sec = second,
                    .tm_isdst = -1};
    /* A naive datetime is local time, as Python's datetime.now() gives it. */
    time_t t = naive ? mktime(&tm) : timegm(&tm);
    if (t == (time_t)-1 && !(year == 1969 && month == 12 && day == 31))
        return false;
    *out = (double)t - (double)offset + fraction;
    return true;
}

bool spotify__token_to_json_spotantic(spotify__strbuf *out, const spotify_token *token, double now)
{
    char expires_at[SPOTIFY__ISO8601_SIZE];
    if (out == NULL || out->failed || token == NULL || token->access_token == NULL ||
        !spotify__iso8601_format(token->expires_at, expires_at))
        return false;
    spotify__strbuf_reserve(out, 256 + strlen(token->access_token) +
                                     (token->refresh_token ? strlen(token->refresh_token) : 0) +
                                     (token->scope ? strlen(token->scope) : 0));
    /* The lifetime, when the endpoint's is unknown: what is left of it. */
    int64_t expires_in = token->expires_in;
    if (expires_in <= 0)
        expires_in = token->expires_at > now ? (int64_t)(token->expires_at - now) : 0;
    if (expires_in > (int64_t)SPOTIFY__TOKEN_LIFETIME_MAX_S) /* as the reader accepts */
        expires_in = (int64_t)SPOTIFY__TOKEN_LIFETIME_MAX_S;
    spotify__json_writer w;
    spotify__jw_init(&w, out);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "access_token");
    spotify__jw_cstring(&w, token->access_token);
    spotify__jw_key(&w, "token_type");
    spotify__jw_cstring(&w, "Bearer"); /* spotantic: Literal['Bearer'] */
    spotify__jw_key(&w, "scope");
    spotify__jw_cstring(&w, token->scope);
    spotify__jw_key(&w, "expires_in");
    spotify__jw_int64(&w, expires_in);
    spotify__jw_key(&w, "refresh_token");
    spotify__jw_cstring(&w, token->refresh_token);
    spotify__jw_key(&w, "expires_at");
    spotify__jw_cstring(&w, expires_at);
    spotify__jw_end_object(&w);
    return spotify__jw_ok(&w) && !out->failed;
}

/* An optional string member: absent or null leaves *s NULL; true unless the
 * member has another type or holds a NUL byte. */
static bool optional_string(spotify__json root, const char *key, const char **s)
{
    spotify__json v = spotify__json_get(root, key);
    spotify__json_type type = spotify__json_type_of(v);
    size_t len;
    *s = NULL;
    if (type == SPOTIFY__JSON_INVALID || type == SPOTIFY__JSON_NULL)
        return true;
    if (!spotify__json_get_string(v, s, &len) || strlen(*s) != len) {
        *s = NULL;
        return false;
    }
    return true;
}

/* The record's members, borrowed from the parsed document. */
typedef struct record {
    const char *access_token;
    double expires_at;
    const char *refresh_token;
    const char *scope;
    const char *client_id;
    const char *flow;
    const char *token_type;
    int64_t expires_in;
} record;

static bool read_version(spotify__json root)
{
    spotify__json v = spotify__json_get(root, "version");
    int64_t version;
    if (!spotify__json_valid(v))
        return true; /* the seed SDK's files have none */
    return spotify__json_get_int64(v, &version) && version == TOKEN_RECORD_VERSION;
}

/* expires_at: seconds since the epoch (this SDK, the seed SDK) or an ISO
 * 8601 datetime (spotantic). Absent or null (spotantic's model allows it):
 * 0, an expired token, so that its refresh token is used and a token of
 * unknown age never is. */
static bool read_expires_at(spotify__json root, double *out)
{
    spotify__json v = spotify__json_get(root, "expires_at");
    const char *text;
    size_t len;
    spotify__json_type type = spotify__json_type_of(v);
    if (type == SPOTIFY__JSON_INVALID || type == SPOTIFY__JSON_NULL) {
        *out = 0;
        return true;
    }
    if (type == SPOTIFY__JSON_STRING)
        return spotify__json_get_string(v, &text, &len) && strlen(text) == len &&
               spotify__iso8601_parse(text, out);
    return spotify__json_get_double(v, out);
}

static bool read_record(spotify__json root, record *r)
{
    if (spotify__json_type_of(root) != SPOTIFY__JSON_OBJECT || !read_version(root))
        return false;
    if (!optional_string(root, "access_token", &r->access_token) || r->access_token == NULL ||
        r->access_token[0] == '\0')
        return false;
    if (!read_expires_at(root, &r->expires_at) ||
        !(r->expires_at >= 0 && r->expires_at <= SPOTIFY__TOKEN_EXPIRES_AT_MAX))
        return false;
    spotify__json in = spotify__json_get(root, "expires_in");
    if (spotify__json_valid(in) && !spotify__json_is_null(in) &&
        !(spotify__json_get_int64(in, &r->expires_in) && r->expires_in >= 0 &&
          r->expires_in <= (int64_t)SPOTIFY__TOKEN_LIFETIME_MAX_S))
        return false;
    return optional_string(root, "refresh_token", &r->refresh_token) &&
           optional_string(root, "scope", &r->scope) &&
           optional_string(root, "client_id", &r->client_id) &&
           optional_string(root, "flow", &r->flow) &&
           optional_string(root, "token_type", &r->token_type);
}

/* Copies the record into `out`; false (out untouched) on OOM. */
static bool fill_token(spotify_token *out, const record *r)
{
    spotify_token t = {0};
    t.expires_at = r->expires_at;
    t.expires_in = r->expires_in;
    t.flow = spotify__flow_from_name(r->flow);
    t.access_token = spotify__strdup(r->access_token);
    bool ok = t.access_token != NULL;
    if (ok && r->refresh_token != NULL && r->refresh_token[0] != '\0')
        ok = (t.refresh_token = spotify__strdup(r->refresh_token)) != NULL;
    if (ok && r->scope != NULL)
        ok = (t.scope = spotify__strdup(r->scope)) != NULL;
    if (ok && r->client_id != NULL)
        ok = (t.client_id = spotify__strdup(r->client_id)) != NULL;
    if (ok && r->token_type != NULL)
        ok = (t.token_type = spotify__strdup(r->token_type)) != NULL;
    /* A record whose token could not go into a header is not a token. */
    if (!ok || spotify__token_problem(&t) != NULL) {
        spotify_token_clear(&t);
        return false;
    }
    spotify_token_clear(out);
    *out = t;
    return true;
}

/* Overwrites a secret in the document (our own arena memory). */
static void wipe_borrowed(const char *s)
{
    if (s != NULL)
        spotify__wipe((char *)(uintptr_t)s, strlen(s));
}

bool spotify__token_from_json(spotify_token *out, const char *data, size_t len)
{
    if (out == NULL || (data == NULL && len > 0))
        return false;
    spotify__arena *arena = spotify__arena_new(len + 256);
    if (arena == NULL)
        return false;
    spotify__json root;
    record r = {0};
    bool ok = spotify__json_parse(&root, arena, data, len, len, NULL) == SPOTIFY_OK &&
              read_record(root, &r) && fill_token(out, &r);
    wipe_borrowed(r.access_token);
    wipe_borrowed(r.refresh_token);
    spotify__arena_free(arena);
    return ok;
}
