/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/config.c - configuration as pure decisions: where the token store
 * is, what kind of store a location names, and which credentials a command
 * uses. session.c performs what these decide.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spotctl.h"

const char spotctl_default_scopes[] =
    "user-read-private user-read-email "
    "playlist-read-private playlist-read-collaborative "
    "playlist-modify-public playlist-modify-private "
    "user-library-read user-library-modify "
    "user-follow-read user-follow-modify "
    "user-read-playback-state user-modify-playback-state user-read-currently-playing "
    "user-top-read user-read-recently-played ugc-image-upload";

static const char *nonempty(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

void spotctl_env_read(spotctl_env *env)
{
    env->client_id = nonempty(getenv("SPOTIFY_SDK_CLIENT_ID"));
    env->client_secret = nonempty(getenv("SPOTIFY_SDK_CLIENT_SECRET"));
    env->redirect_uri = nonempty(getenv("SPOTIFY_SDK_REDIRECT_URI"));
    env->cache = nonempty(getenv("SPOTCTL_CACHE"));
    env->redis_user = nonempty(getenv("SPOTCTL_REDIS_USER"));
    env->xdg_config = nonempty(getenv("XDG_CONFIG_HOME"));
    env->home = nonempty(getenv("HOME"));
    env->api_base = nonempty(getenv("SPOTIFY_SDK_API_BASE_URL"));
}

bool spotctl_cache_location(char *out, size_t size, const char *flag, const spotctl_env *env,
                            char *why, size_t why_size)
{
    int n;
    if (nonempty(flag) != NULL)
        n = snprintf(out, size, "%s", flag);
    else if (env->cache != NULL)
        n = snprintf(out, size, "%s", env->cache);
    else if (env->xdg_config != NULL)
        n = snprintf(out, size, "%s/spotctl/token.json", env->xdg_config);
    else if (env->home != NULL)
        n = snprintf(out, size, "%s/.config/spotctl/token.json", env->home);
    else {
        snprintf(why, why_size, "no place for the token file: HOME is not set");
        return false;
    }
    if (n < 0 || (size_t)n >= size) {
        snprintf(why, why_size, "the token file path is too long");
        return false;
    }
    return true;
}

/* The length of the SCHEME in a location starting with SCHEME:// (RFC 3986:
 * a letter, then letters, digits, '+', '-' and '.'); 0 when it does not. */
static size_t scheme_length(const char *location)
{
    size_t n = 0;
    for (;; n++) {
        char c = location[n];
        bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        if (!letter && (n == 0 || !((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))
            break;
    }
    return n > 0 && strncmp(location + n, "://", 3) == 0 ? n : 0;
}

spotctl_store_kind spotctl_store_kind_of(const char *location)
{
    static const char *const schemes[] = {"redis", "rediss", "redis-sentinel", "unix"};
    size_t n = scheme_length(location);
    if (n == 0)
        return SPOTCTL_STORE_FILE;
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strlen(schemes[i]) == n && strncasecmp(location, schemes[i], n) == 0)
            return SPOTCTL_STORE_REDIS;
    return SPOTCTL_STORE_UNKNOWN;
}

void spotctl_store_scheme(char *out, size_t size, const char *location)
{
    size_t n = scheme_length(location);
    snprintf(out, size, "%.*s", (int)n, location);
}

void spotctl_store_display(char *out, size_t size, const char *location)
{
    const char *authority = strstr(location, "://");
    if (authority != NULL) {
        /* the last '@': a password may hold an unencoded '@' or '/'; a
         * path with an '@' is masked too, which is safe */
        const char *at = strrchr(authority + 3, '@');
        if (at != NULL) {
            snprintf(out, size, "%.*s[REDACTED]%s", (int)(authority + 3 - location), location, at);
            return;
        }
    }
    snprintf(out, size, "%s", location);
}

void spotctl_api_base(char *out, size_t size, const spotctl_env *env)
{
    snprintf(out, size, "%s", env->api_base != NULL ? env->api_base : SPOTIFY_DEFAULT_API_BASE_URL);
    for (size_t len = strlen(out); len > 0 && out[len - 1] == '/';)
        out[--len] = '\0';
}

/* A URL's parts: scheme and host (lower case), port (the scheme's default
 * when absent) and the rest from the path on. */
typedef struct url_parts {
    char scheme[8];
    char host[256];
    long port;
    const char *rest;
} url_parts;

static bool url_split(url_parts *u, const char *url)
{
    const char *sep = strstr(url, "://");
    if (sep == NULL || sep - url >= (long)sizeof u->scheme)
        return false;
    for (long i = 0; i < sep - url; i++)
        u->scheme[i] = (char)tolower((unsigned char)url[i]);
    u->scheme[sep - url] = '\0';
    const char *host = sep + 3;
    size_t authority = strcspn(host, "/?#");
    if (memchr(host, '@', authority) != NULL) /* credentials in a URL: never */
        return false;
    const char *colon = host[0] == '[' ? memchr(host, ']', authority) : host;
    colon = colon != NULL ? memchr(colon, ':', authority - (size_t)(colon - host)) : NULL;
    size_t host_len = colon != NULL ? (size_t)(colon - host) : authority;
    if (host_len == 0 || host_len >= sizeof u->host)
        return false;
    for (size_t i = 0; i < host_len; i++)
        u->host[i] = (char)tolower((unsigned char)host[i]);
    u->host[host_len] = '\0';
    u->port = strcmp(u->scheme, "https") == 0 ? 443 : strcmp(u->scheme, "http") == 0 ? 80 : -1;
    if (colon != NULL) {
        char *end = NULL;
        u->port = strtol(colon + 1, &end, 10);
        if (end != host + authority || u->port <= 0 || u->port > 65535)
            return false;
    }
    u->rest = host + authority;
    return u->port > 0;
}

bool spotctl_api_path_of_url(char *out, size_t size, const char *url, const char *base)
{
    url_parts a, b;
    if (!url_split(&a, url) || !url_split(&b, base) || strcmp(a.scheme, b.scheme) != 0 ||
        strcmp(a.host, b.host) != 0 || a.port != b.port)
        return false;
    size_t prefix = strlen(b.rest); /* the base's path ("/v1") */
    if (strncmp(a.rest, b.rest, prefix) != 0 || (a.rest[prefix] != '/' && a.rest[prefix] != '?'))
        return false;
    const char *path = a.rest + prefix;
    int n = snprintf(out, size, "%s%.*s", path[0] == '?' ? "/" : "", (int)strcspn(path, "#"), path);
    return n > 0 && (size_t)n < size;
}

bool spotctl_app_cache_path(char *out, size_t size, const char *user_path, const char *client_id)
{
    if (client_id == NULL || client_id[0] == '\0' ||
        strspn(client_id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
            strlen(client_id) ||
        client_id[0] == '.')
        return false; /* not a safe file name part: the token stays in memory */
    size_t len = strlen(user_path);
    bool json = len > 5 && strcmp(user_path + len - 5, ".json") == 0;
    int n = snprintf(out, size, "%.*s.app-%s%s", (int)(json ? len - 5 : len), user_path, client_id,
                     json ? ".json" : "");
    return n > 0 && (size_t)n < size;
}

const char *spotctl_redis_user(const spotctl_env *env)
{
    return env->redis_user != NULL ? env->redis_user : SPOTCTL_DEFAULT_REDIS_USER;
}

static void none(spotctl_creds_choice *out, spotify_status status, const char *message,
                 const char *hint)
{
    out->creds = SPOTCTL_CREDS_NONE;
    out->status = status;
    snprintf(out->message, sizeof out->message, "%s", message);
    snprintf(out->hint, sizeof out->hint, "%s", hint);
}

void spotctl_choose_creds(spotctl_creds_choice *out, const spotify_token *cached,
                          const spotctl_env *env, bool needs_user)
{
    memset(out, 0, sizeof *out);
    bool user_token = cached != NULL && cached->refresh_token != NULL &&
                      cached->flow != SPOTIFY_FLOW_CLIENT_CREDENTIALS &&
                      cached->flow != SPOTIFY_FLOW_STATIC;
    if (user_token) {
        out->client_id = cached->client_id != NULL ? cached->client_id : env->client_id;
        if (out->client_id == NULL) {
            none(out, SPOTIFY_ECONFIG, "the saved login does not say which app it belongs to",
                 "set SPOTIFY_SDK_CLIENT_ID, or run `spotctl login` again");
            return;
        }
        if (env->client_id != NULL && strcmp(env->client_id, out->client_id) != 0) {
            char msg[256];
            snprintf(msg, sizeof msg,
                     "the saved login belongs to app %.80s, but SPOTIFY_SDK_CLIENT_ID is %.80s",
                     out->client_id, env->client_id);
            none(out, SPOTIFY_EAUTH, msg, "run `spotctl login` to log in with this app");
            return;
        }
        spotify_flow flow = cached->flow;
        if (flow != SPOTIFY_FLOW_AUTHORIZATION_CODE && flow != SPOTIFY_FLOW_PKCE)
            flow = env->client_secret != NULL ? SPOTIFY_FLOW_AUTHORIZATION_CODE : SPOTIFY_FLOW_PKCE;
        if (flow == SPOTIFY_FLOW_AUTHORIZATION_CODE && env->client_secret == NULL) {
            none(out, SPOTIFY_ECONFIG,
                 "the saved login is refreshed with the app's client secret, and "
                 "SPOTIFY_SDK_CLIENT_SECRET is not set",
                 "set SPOTIFY_SDK_CLIENT_SECRET, or run `spotctl login --pkce`");
            return;
        }
        out->creds = SPOTCTL_CREDS_USER;
        out->flow = flow;
        return;
    }
    if (needs_user) {
        none(out, SPOTIFY_EAUTH, "not logged in: this command needs a Spotify user",
             "run `spotctl login`");
        return;
    }
    if (env->client_id != NULL && env->client_secret != NULL) {
        out->creds = SPOTCTL_CREDS_APP;
        out->flow = SPOTIFY_FLOW_CLIENT_CREDENTIALS;
        out->client_id = env->client_id;
        return;
    }
    none(out, SPOTIFY_EAUTH, "not logged in and no app credentials configured",
         "run `spotctl login`, or set SPOTIFY_SDK_CLIENT_ID and SPOTIFY_SDK_CLIENT_SECRET "
         "for catalogue commands");
}
