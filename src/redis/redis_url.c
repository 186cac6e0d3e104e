/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis/redis_url.c - the pure half of spotify-sdk-redis: Redis URLs, key
 * names, settings and the lock's backoff. No I/O.
 */
#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/env.h"
#include "../core/error.h"
#include "../core/urlencode.h"
#include "redis_internal.h"

/* ------------------------------------------------------------------------ */
/* URL                                                                      */
/* ------------------------------------------------------------------------ */

static spotify_status url_error(spotify__redis_url *out, spotify_error *err, const char *what)
{
    spotify__wipe(out, sizeof *out);
    return spotify__error_set(err, SPOTIFY_ECONFIG, 0, "Redis URL: %s", what);
}

/* Percent-decodes [s, s+len) into `out` (`size` bytes); false when it does
 * not fit, holds a bad escape or decodes to a control character. */
static bool decode_into(char *out, size_t size, const char *s, size_t len)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    bool ok = spotify__url_decode(&sb, s, len, false) && sb.len < size;
    for (size_t i = 0; ok && i < sb.len; i++)
        ok = (unsigned char)sb.data[i] >= 0x20 && sb.data[i] != 0x7f;
    if (ok)
        memcpy(out, spotify__strbuf_cstr(&sb), sb.len + 1);
    spotify__strbuf_release_secret(&sb);
    return ok;
}

/* A decimal number in [min, max] spanning all of [s, s+len). */
static bool parse_number(const char *s, size_t len, long min, long max, long *out)
{
    if (len == 0 || len > 9)
        return false;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (v < min || v > max)
        return false;
    *out = v;
    return true;
}

/* "[USER]:PASSWORD" of the authority (up to the last '@'). Raw spaces,
 * control characters and non-ASCII bytes are refused: a URL carries them
 * percent-encoded. */
static bool parse_userinfo(spotify__redis_url *out, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    const char *colon = memchr(s, ':', len);
    if (colon == NULL)
        return false;
    size_t user_len = (size_t)(colon - s);
    out->has_password = true;
    return decode_into(out->user, sizeof out->user, s, user_len) &&
           decode_into(out->password, sizeof out->password, colon + 1, len - user_len - 1);
}

/* Splits "USERINFO@REST" (userinfo optional) of [s, end). */
static const char *split_userinfo(spotify__redis_url *out, const char *s, const char *end, bool *ok)
{
    *ok = true;
    const char *at = NULL;
    for (const char *p = s; p < end; p++)
        if (*p == '@')
            at = p;
    if (at == NULL)
        return s;
    *ok = parse_userinfo(out, s, (size_t)(at - s));
    return at + 1;
}

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A DNS name: dot-separated labels of 1-63 letters, digits, '-' and '_'
 * (service names such as Docker's hold '_'), neither starting nor ending
 * with '-', at most 253 bytes (a final dot allowed); a name made of digits
 * and dots only is no name (it would be a malformed IPv4 address). */
static bool dns_name_valid(const char *s, size_t len)
{
    if (len > 0 && s[len - 1] == '.')
        len--;
    if (len == 0 || len > 253)
        return false;
    bool numeric = true;
    size_t label = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '.') {
            if (label == 0 || label > 63 || s[i - 1] == '-' || s[i - label] == '-')
                return false;
            label = 0;
            continue;
        }
        if (!is_alnum(s[i]) && s[i] != '-' && s[i] != '_')
            return false;
        numeric = numeric && s[i] >= '0' && s[i] <= '9';
        label++;
    }
    return !numeric;
}

/* A host as the URL names it: a DNS name, an IPv4 literal, or (`bracketed`)
 * an IPv6 literal; copied into `out` (IPv6 without brackets). */
static bool host_set(char out[SPOTIFY__REDIS_HOST_MAX], const char *host, size_t len,
                     bool bracketed)
{
    if (len == 0 || len >= SPOTIFY__REDIS_HOST_MAX)
        return false;
    memcpy(out, host, len);
    out[len] = '\0';
    unsigned char addr[sizeof(struct in6_addr)];
    if (bracketed)
        return inet_pton(AF_INET6, out, addr) == 1;
    return inet_pton(AF_INET, out, addr) == 1 || dns_name_valid(host, len);
}

#define URL_SHAPE "expected redis://HOST[:PORT][/DB] with a port in 1-65535"
#define HOST_SHAPE                                                                                 \
    "the host must be a DNS name, an IPv4 address or an IPv6 address in brackets ([::1])"

/* HOST[:PORT] or [IPV6][:PORT] of [s, end) into `host` and *port (no port:
 * `default_port`): NULL, or what is wrong (`shape` when not of that form). */
static const char *parse_host_port(char host_out[SPOTIFY__REDIS_HOST_MAX], int *port_out,
                                   int default_port, const char *shape, const char *s,
                                   const char *end)
{
    const char *host = s;
    const char *host_end;
    const char *rest;
    if (s >= end)
        return shape;
    bool bracketed = *s == '[';
    if (bracketed) {
        host = s + 1;
        host_end = memchr(host, ']', (size_t)(end - host));
        if (host_end == NULL)
            return shape;
        rest = host_end + 1;
    } else {
        host_end = memchr(s, ':', (size_t)(end - s));
        if (host_end == NULL)
            host_end = end;
        rest = host_end;
    }
    if (host_end == host)
        return shape;
    if (!host_set(host_out, host, (size_t)(host_end - host), bracketed))
        return HOST_SHAPE;
    *port_out = default_port;
    if (rest == end)
        return NULL;
    long port;
    if (*rest != ':' || !parse_number(rest + 1, (size_t)(end - rest - 1), 1, 65535, &port))
        return shape;
    *port_out = (int)port;
    return NULL;
}

static spotify_status parse_tcp(spotify__redis_url *out, const char *s, spotify_error *err)
{
    const char *slash = strchr(s, '/');
    const char *authority_end = slash != NULL ? slash : s + strlen(s);
    if (strpbrk(s, "?#") != NULL)
        return url_error(out, err, "query strings and fragments are not supported");
    bool ok;
    const char *hostport = split_userinfo(out, s, authority_end, &ok);
    if (!ok)
        return url_error(out, err,
                         "bad credentials: write redis://:PASSWORD@HOST or "
                         "redis://USER:PASSWORD@HOST (percent-encode special characters)");
    const char *bad = parse_host_port(out->host, &out->port, SPOTIFY__REDIS_DEFAULT_PORT, URL_SHAPE,
                                      hostport, authority_end);
    if (bad != NULL)
        return url_error(out, err, bad);
    if (slash != NULL && slash[1] != '\0' &&
        !parse_number(slash + 1, strlen(slash + 1), 0, 99999999, &out->db))
        return url_error(out, err, "the database must be a number (redis://HOST:PORT/DB)");
    return SPOTIFY_OK;
}

#define SENTINEL_SHAPE                                                                             \
    "expected redis-sentinel://HOST[:PORT][,HOST[:PORT]...]/MASTER[/DB] with ports in 1-65535"

/* The comma-separated Sentinels of [s, end) into out->sentinels: NULL, or
 * what is wrong. */
static const char *parse_sentinels(spotify__redis_url *out, const char *s, const char *end)
{
    for (;;) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *item_end = comma != NULL ? comma : end;
        if (out->sentinel_count == SPOTIFY__REDIS_MAX_SENTINELS)
            return "at most 8 Sentinels";
        spotify__redis_endpoint *sentinel = &out->sentinels[out->sentinel_count++];
        const char *bad =
            parse_host_port(sentinel->host, &sentinel->port, SPOTIFY__REDIS_SENTINEL_PORT,
                            SENTINEL_SHAPE, s, item_end);
        if (bad != NULL || comma == NULL)
            return bad;
        s = comma + 1;
    }
}

/* A master's name: 1-127 letters, digits, '.', '_', '-' or '~' (what a
 * URL path segment carries unencoded). */
static bool master_name_valid(const char *s, size_t len)
{
    if (len == 0 || len >= sizeof(((spotify__redis_url *)0)->master))
        return false;
    for (size_t i = 0; i < len; i++)
        if (!is_alnum(s[i]) && strchr(".-_~", s[i]) == NULL)
            return false;
    return true;
}

/* HOST[:PORT][,...]/MASTER[/DB] after redis-sentinel:// */
static spotify_status parse_sentinel(spotify__redis_url *out, const char *s, spotify_error *err)
{
    out->sentinel = true;
    if (strpbrk(s, "?#") != NULL)
        return url_error(out, err, "query strings and fragments are not supported");
    const char *slash = strchr(s, '/');
    if (slash == NULL)
        return url_error(out, err, "the master's name is missing: " SENTINEL_SHAPE);
    bool ok;
    const char *hosts = split_userinfo(out, s, slash, &ok);
    if (!ok)
        return url_error(out, err,
                         "bad credentials: write redis-sentinel://:PASSWORD@HOSTS/MASTER or "
                         "redis-sentinel://USER:PASSWORD@HOSTS/MASTER (percent-encode special "
                         "characters)");
    const char *bad = parse_sentinels(out, hosts, slash);
    if (bad != NULL)
        return url_error(out, err, bad);
    const char *name = slash + 1;
    const char *name_end = name + strcspn(name, "/");
    if (!master_name_valid(name, (size_t)(name_end - name)))
        return url_error(out, err,
                         "the master's name must be 1-127 letters, digits, '.', '_', '-' or '~' "
                         "(" SENTINEL_SHAPE ")");
    memcpy(out->master, name, (size_t)(name_end - name));
    out->master[name_end - name] = '\0';
    if (*name_end == '/' && name_end[1] != '\0' &&
        !parse_number(name_end + 1, strlen(name_end + 1), 0, 99999999, &out->db))
        return url_error(out, err,
                         "the database must be a number (redis-sentinel://HOSTS/MASTER/DB)");
    return SPOTIFY_OK;
}

static spotify_status parse_unix(spotify__redis_url *out, const char *s, spotify_error *err)
{
    out->unix_socket = true;
    const char *query = strchr(s, '?');
    const char *end = query != NULL ? query : s + strlen(s);
    const char *path = memchr(s, '/', (size_t)(end - s));
    if (path == NULL)
        return url_error(out, err, "expected unix:///PATH/TO/redis.sock");
    bool ok = true;
    if (path != s)
        split_userinfo(out, s, path, &ok);
    if (!ok || (path != s && s[path - s - 1] != '@'))
        return url_error(out, err,
                         "bad credentials: write unix://:PASSWORD@/PATH or "
                         "unix://USER:PASSWORD@/PATH");
    size_t path_len = (size_t)(end - path);
    if (path_len < 2 || path_len >= sizeof out->path)
        return url_error(out, err, "the socket path is empty or too long");
    memcpy(out->path, path, path_len);
    out->path[path_len] = '\0';
    if (query != NULL && (strncmp(query, "?db=", 4) != 0 ||
                          !parse_number(query + 4, strlen(query + 4), 0, 99999999, &out->db)))
        return url_error(out, err, "the only query parameter is db=N");
    return SPOTIFY_OK;
}

static bool has_prefix_ci(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != prefix[i])
            return false;
    }
    return true;
}

spotify_status spotify__redis_url_parse(spotify__redis_url *out, const char *url,
                                        spotify_error *err)
{
    memset(out, 0, sizeof *out);
    if (url == NULL || url[0] == '\0')
        return url_error(out, err, "empty URL");
    if (has_prefix_ci(url, "rediss://"))
        return url_error(out, err,
                         "rediss:// (TLS) is not available: Debian 12's hiredis 0.14 has no TLS "
                         "support; use redis:// on a trusted network or a local TLS tunnel");
    if (has_prefix_ci(url, "redis://"))
        return parse_tcp(out, url + 8, err);
    if (has_prefix_ci(url, "unix://"))
        return parse_unix(out, url + 7, err);
    if (has_prefix_ci(url, "redis-sentinel://"))
        return parse_sentinel(out, url + 17, err);
    return url_error(out, err,
                     "expected redis://HOST[:PORT][/DB], "
                     "redis-sentinel://HOST[:PORT][,HOST[:PORT]...]/MASTER[/DB] or unix:///PATH");
}

void spotify__redis_endpoint_describe(const char *host, int port, char *out, size_t size)
{
    if (strchr(host, ':') != NULL)
        snprintf(out, size, "[%s]:%d", host, port);
    else
        snprintf(out, size, "%s:%d", host, port);
}

/* "HOST:PORT,HOST:PORT..." of the URL's Sentinels into `out`. */
static void sentinels_describe(const spotify__redis_url *url, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < url->sentinel_count && used + 1 < size; i++) {
        if (i > 0)
            out[used++] = ',';
        spotify__redis_endpoint_describe(url->sentinels[i].host, url->sentinels[i].port, out + used,
                                         size - used);
        used += strlen(out + used);
    }
}

void spotify__redis_url_describe(const spotify__redis_url *url, char *out, size_t size)
{
    char db[32] = "", node[SPOTIFY__REDIS_HOST_MAX + 16];
    if (url->db != 0)
        snprintf(db, sizeof db, " (db %ld)", url->db);
    if (url->unix_socket) {
        snprintf(out, size, "Redis at unix:%s%s", url->path, db);
    } else if (url->sentinel) {
        char sentinels[256];
        sentinels_describe(url, sentinels, sizeof sentinels);
        snprintf(out, size, "Redis master %s via Sentinel %s%s", url->master, sentinels, db);
    } else {
        spotify__redis_endpoint_describe(url->host, url->port, node, sizeof node);
        snprintf(out, size, "Redis at %s%s", node, db);
    }
}

bool spotify_redis_url_is_redis(const char *url)
{
    return url != NULL &&
           (has_prefix_ci(url, "redis://") || has_prefix_ci(url, "rediss://") ||
            has_prefix_ci(url, "redis-sentinel://") || has_prefix_ci(url, "unix://"));
}

/* ------------------------------------------------------------------------ */
/* Sentinel's answer                                                        */
/* ------------------------------------------------------------------------ */

static bool printable_word(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] <= 0x20 || (unsigned char)s[i] >= 0x7f)
            return false;
    return len > 0;
}

spotify_status spotify__redis_sentinel_answer(const redisReply *reply, spotify__redis_endpoint *out,
                                              spotify_error *err)
{
    memset(out, 0, sizeof *out);
    if (reply->type == REDIS_REPLY_NIL)
        return spotify__error_set(err, SPOTIFY_ENOTFOUND, 0, "does not know the master");
    if (reply->type == REDIS_REPLY_ERROR)
        return spotify__error_set(err, SPOTIFY_EIO, 0, "answered with an error: %.120s",
                                  reply->str != NULL ? reply->str : "");
    if (reply->type != REDIS_REPLY_ARRAY || reply->elements != 2 ||
        reply->element[0]->type != REDIS_REPLY_STRING ||
        reply->element[1]->type != REDIS_REPLY_STRING)
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0,
                                  "answered with something other than [host, port]");
    const redisReply *host = reply->element[0];
    const redisReply *port = reply->element[1];
    long number;
    if (host->len >= sizeof out->host || !printable_word(host->str, host->len) ||
        !parse_number(port->str, port->len, 1, 65535, &number))
        return spotify__error_set(err, SPOTIFY_EPROTOCOL, 0,
                                  "answered with a malformed host or port");
    memcpy(out->host, host->str, host->len);
    out->host[host->len] = '\0';
    out->port = (int)number;
    return SPOTIFY_OK;
}

bool spotify__redis_master_moved(const spotify__redis_url *url, const redisReply *reply)
{
    return url->sentinel && reply->type == REDIS_REPLY_ERROR && reply->str != NULL &&
           strncmp(reply->str, "READONLY", 8) == 0;
}

spotify_status spotify__redis_master_moved_error(spotify_error *err, const char *where,
                                                 const spotify__redis_endpoint *master)
{
    char address[SPOTIFY__REDIS_HOST_MAX + 16];
    spotify__redis_endpoint_describe(master->host, master->port, address, sizeof address);
    return spotify__error_set(err, SPOTIFY_ETRANSPORT, 0,
                              "%s: the master at %s is a replica now (a failover)", where, address);
}

/* ------------------------------------------------------------------------ */
/* Keys                                                                     */
/* ------------------------------------------------------------------------ */

static bool has_control(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

spotify_status spotify__redis_names_check(const char *prefix, const char *client_id,
                                          const char *user_key, spotify_error *err)
{
    if (prefix != NULL && (strlen(prefix) > 256 || has_control(prefix)))
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "Redis key prefix: at most 256 bytes without control characters");
    bool id_ok = client_id != NULL && client_id[0] != '\0' && strlen(client_id) <= 128;
    for (const char *p = client_id; id_ok && *p != '\0'; p++)
        id_ok = (unsigned char)*p > 0x20 && (unsigned char)*p < 0x7f && *p != ':';
    if (!id_ok)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "Redis keys: the client id must be 1-128 printable characters "
                                  "without spaces or ':'");
    if (user_key != NULL &&
        (user_key[0] == '\0' || strlen(user_key) > 256 || has_control(user_key)))
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "Redis keys: the user key must be 1-256 bytes without control "
                                  "characters");
    return SPOTIFY_OK;
}

bool spotify__redis_key(spotify__strbuf *out, spotify__redis_key_kind kind, const char *prefix,
                        const char *client_id, const char *user_key)
{
    static const char *const kinds[] = {"token", "lock", "cooldown"};
    spotify__strbuf_appendf(out, "%s%s:%s", prefix != NULL ? prefix : "", kinds[kind], client_id);
    if (kind != SPOTIFY__REDIS_KEY_COOLDOWN) {
        if (user_key != NULL)
            spotify__strbuf_appendf(out, ":user:%s", user_key);
        else
            spotify__strbuf_append_str(out, ":app");
    }
    return !out->failed;
}

/* ------------------------------------------------------------------------ */
/* Settings                                                                 */
/* ------------------------------------------------------------------------ */

spotify_status spotify_redis_options_init(spotify_redis_options *opts, unsigned int version)
{
    if (opts == NULL || version != SPOTIFY_REDIS_OPTIONS_VERSION)
        return SPOTIFY_EINVALID;
    spotify_redis_options defaults = SPOTIFY_REDIS_OPTIONS_INIT;
    *opts = defaults;
    return SPOTIFY_OK;
}

static int64_t positive_or(int64_t value, int64_t fallback)
{
    return value > 0 ? value : fallback;
}

spotify_status spotify__redis_settings_resolve(spotify__redis_settings *out,
                                               const spotify_redis_options *opts,
                                               spotify_error *err)
{
    spotify_redis_options defaults = SPOTIFY_REDIS_OPTIONS_INIT;
    if (opts == NULL)
        opts = &defaults;
    if (opts->version != SPOTIFY_REDIS_OPTIONS_VERSION)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "Redis options: unknown version %u (use "
                                  "SPOTIFY_REDIS_OPTIONS_INIT)",
                                  opts->version);
    out->url = spotify__setting(opts->url, SPOTIFY__REDIS_ENV_URL);
    out->key_prefix =
        opts->key_prefix != NULL ? opts->key_prefix : SPOTIFY_REDIS_DEFAULT_KEY_PREFIX;
    out->client_id = spotify__setting(opts->client_id, "SPOTIFY_SDK_CLIENT_ID");
    out->user_key = opts->user_key;
    out->timeout_ms = positive_or(opts->timeout_ms, SPOTIFY_REDIS_DEFAULT_TIMEOUT_MS);
    out->lock_expiry_ms = positive_or(opts->lock_expiry_ms, SPOTIFY_REDIS_DEFAULT_LOCK_EXPIRY_MS);
    out->lock_wait_ms = positive_or(opts->lock_wait_ms, 2 * out->lock_expiry_ms + 1000);
    out->fallback_to_memory = opts->fallback_to_memory;
    out->cooldown_poll_ms =
        positive_or(opts->cooldown_poll_ms, SPOTIFY_REDIS_DEFAULT_COOLDOWN_POLL_MS);
    if (out->url == NULL)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "missing Redis URL: pass url or set " SPOTIFY__REDIS_ENV_URL);
    if (out->client_id == NULL)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "Redis keys need the app's client id: pass client_id or set "
                                  "SPOTIFY_SDK_CLIENT_ID");
    return spotify__redis_names_check(out->key_prefix, out->client_id, out->user_key, err);
}

int64_t spotify__redis_lock_backoff_ms(int attempt, double jitter, int64_t left_ms)
{
    int64_t base = 10;
    for (int i = 0; i < attempt && base < 200; i++)
        base *= 2;
    if (base > 200)
        base = 200;
    if (jitter < 0.5)
        jitter = 0.5;
    if (jitter > 1.0)
        jitter = 1.0;
    int64_t wait = (int64_t)((double)base * jitter);
    if (wait > left_ms)
        wait = left_ms;
    return wait < 1 ? 1 : wait;
}
