/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/provider_new.c - making and freeing providers: static, custom,
 * client credentials, authorization code and PKCE; their settings
 * (explicit > SPOTIFY_SDK_* > spotantic's, when asked for), endpoints, scopes, cache and HTTP
 * context; the secrets they hold, known to redaction while they live; the queries.
 */
#include "provider.h"

#include <stddef.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/crypto.h"
#include "../core/env.h"
#include "../core/error.h"
#include "../core/http_syntax.h"
#include "../core/log.h"
#include "../core/secrets.h"
#include "../core/strbuf.h"
#include "../core/urlencode.h"
#include "cache.h"
#include "oauth.h"
#include "settings_spotantic.h"

/* ---- construction ---- */

/* The size of the caller's struct of options `version`; 0: unknown. */
static size_t options_size(unsigned int version)
{
    if (version == 1)
        return offsetof(spotify_auth_options, cached_token);
    return version == SPOTIFY_AUTH_OPTIONS_VERSION ? sizeof(spotify_auth_options) : 0;
}

spotify_status spotify_auth_options_init(spotify_auth_options *opts, unsigned int version)
{
    size_t size = options_size(version);
    if (opts == NULL || size == 0)
        return SPOTIFY_EINVALID;
    spotify_auth_options defaults = SPOTIFY_AUTH_OPTIONS_INIT;
    defaults.version = version;
    memcpy(opts, &defaults, size);
    return SPOTIFY_OK;
}

/* Reads the caller's options of any accepted version into `full`, this
 * header's layout, with the defaults in the fields its version lacks.
 * False for an unknown version. */
static bool options_read(spotify_auth_options *full, const spotify_auth_options *opts)
{
    size_t size = options_size(opts->version);
    spotify_auth_options defaults = SPOTIFY_AUTH_OPTIONS_INIT;
    *full = defaults;
    if (size == 0)
        return false;
    memcpy(full, opts, size);
    full->version = SPOTIFY_AUTH_OPTIONS_VERSION;
    return true;
}

static spotify_auth *auth_alloc(spotify_flow flow)
{
    spotify_auth *auth = spotify__calloc(1, sizeof *auth);
    if (auth == NULL)
        return NULL;
    auth->flow = flow;
    pthread_mutex_init(&auth->lock, NULL);
    pthread_cond_init(&auth->flight_done, NULL);
    return auth;
}

/* The provider's long-lived secrets, as redaction must know them
 * (core/secrets.h): the client secret, the Basic credential, a static
 * token, a bootstrap refresh token. */
static const char *basic_credential(const spotify_auth *auth)
{
    static const char prefix[] = "Authorization: Basic ";
    return auth->basic_header != NULL ? auth->basic_header + sizeof prefix - 1 : NULL;
}

#define PROVIDER_SECRETS 4

static void secrets_list(const spotify_auth *auth, const char *out[PROVIDER_SECRETS])
{
    out[0] = auth->client_secret;
    out[1] = basic_credential(auth);
    out[2] = auth->static_token;
    out[3] = auth->bootstrap_refresh_token;
}

/* Pins them all (or none, on OOM). */
static spotify_status secrets_pin(spotify_auth *auth, spotify_error *err)
{
    const char *values[PROVIDER_SECRETS];
    secrets_list(auth, values);
    for (size_t i = 0; i < PROVIDER_SECRETS; i++) {
        if (!spotify__secret_pin(values[i])) {
            while (i-- > 0)
                spotify__secret_unpin(values[i]);
            return spotify__error_oom(err);
        }
    }
    auth->secrets_pinned = true;
    return SPOTIFY_OK;
}

static void secrets_unpin(spotify_auth *auth)
{
    const char *values[PROVIDER_SECRETS];
    secrets_list(auth, values);
    for (size_t i = 0; auth->secrets_pinned && i < PROVIDER_SECRETS; i++)
        spotify__secret_unpin(values[i]);
    auth->secrets_pinned = false;
}

void spotify_auth_free(spotify_auth *auth)
{
    if (auth == NULL)
        return;
    if (auth->ops.destroy != NULL)
        auth->ops.destroy(auth->ops_user);
    secrets_unpin(auth);
    spotify__free_secret(auth->static_token);
    spotify__free(auth->client_id);
    spotify__free_secret(auth->client_secret);
    spotify__free_secret(auth->basic_header);
    spotify__free(auth->redirect_uri);
    spotify__free(auth->scope);
    spotify__free(auth->accounts_base_url);
    spotify__free(auth->token_url);
    spotify__free_secret(auth->bootstrap_refresh_token);
    spotify__free_secret(auth->pkce_verifier);
    spotify_token_cache_free(auth->own_cache);
    spotify__pool_ref_release(&auth->pool);
    spotify_token_clear(&auth->current);
    spotify_token_clear(&auth->flight_previous);
    pthread_cond_destroy(&auth->flight_done);
    pthread_mutex_destroy(&auth->lock);
    spotify__free(auth);
}

spotify_status spotify_auth_static_new(spotify_auth **out, const char *access_token,
                                       spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_auth_static_new: out is NULL");
    *out = NULL;
    if (access_token == NULL || access_token[0] == '\0')
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_auth_static_new: the access token is empty");
    size_t len = strlen(access_token);
    if (len >= SPOTIFY_ACCESS_TOKEN_MAX || !spotify__http_b64token_valid(access_token, len))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_auth_static_new: the access token is too long or "
                                  "not an RFC 6750 bearer token (b64token syntax)");
    spotify_auth *auth = auth_alloc(SPOTIFY_FLOW_STATIC);
    if (auth == NULL || (auth->static_token = spotify__strdup(access_token)) == NULL) {
        spotify_auth_free(auth);
        return spotify__error_oom(err);
    }
    spotify_status st = secrets_pin(auth, err);
    if (st != SPOTIFY_OK) {
        spotify_auth_free(auth);
        return st;
    }
    *out = auth;
    return SPOTIFY_OK;
}

spotify_status spotify_auth_custom_new(spotify_auth **out, const spotify_auth_ops *ops, void *user,
                                       spotify_error *err)
{
    if (out == NULL || ops == NULL || ops->version != SPOTIFY_AUTH_OPS_VERSION ||
        ops->get_token == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_auth_custom_new: out, ops (version "
                                  "SPOTIFY_AUTH_OPS_VERSION) and ops->get_token are required");
    *out = NULL;
    spotify_auth *auth = auth_alloc(SPOTIFY_FLOW_UNKNOWN);
    if (auth == NULL)
        return spotify__error_oom(err);
    auth->ops = *ops;
    auth->ops_user = user;
    *out = auth;
    return SPOTIFY_OK;
}

/* Copies `value` into *field; false on OOM (NULL values stay NULL). */
static bool field_copy(char **field, const char *value)
{
    if (value == NULL)
        return true;
    *field = spotify__strdup(value);
    return *field != NULL;
}

/* A setting by precedence: the explicit option, then the SPOTIFY_SDK_*
 * variable, then spotantic's (NULL unless settings_source asks for it). */
static const char *setting_pick(const char *explicit_value, const char *env_name,
                                const char *spotantic)
{
    const char *value = spotify__setting(explicit_value, env_name);
    return value != NULL ? value : spotantic;
}

/* SPOTIFY_ECONFIG for a missing setting, naming every place it may come
 * from. */
static spotify_status setting_missing(const char *what, const char *option, const char *env_name,
                                      const char *spotantic_name, const char *hint,
                                      spotify_error *err)
{
    return spotify__error_set(err, SPOTIFY_ECONFIG, 0, "missing %s: pass %s or set %s%s%s%s", what,
                              option, env_name, spotantic_name ? " or " : "",
                              spotantic_name ? spotantic_name : "", hint);
}

static spotify_status settings_resolve(spotify_auth *auth, const spotify_auth_options *o,
                                       const spotify__spotantic_settings *sp, bool spotantic,
                                       spotify_error *err)
{
    const char *id = setting_pick(o->client_id, SPOTIFY_ENV_CLIENT_ID, sp->client_id);
    const char *secret =
        auth->flow == SPOTIFY_FLOW_PKCE
            ? NULL
            : setting_pick(o->client_secret, SPOTIFY_ENV_CLIENT_SECRET, sp->client_secret);
    const char *redirect =
        auth->flow == SPOTIFY_FLOW_CLIENT_CREDENTIALS
            ? NULL
            : setting_pick(o->redirect_uri, SPOTIFY_ENV_REDIRECT_URI, sp->redirect_uri);
    if (id == NULL)
        return setting_missing("client id", "client_id", SPOTIFY_ENV_CLIENT_ID,
                               spotantic ? SPOTIFY__SPOTANTIC_CLIENT_ID : NULL, "", err);
    if (secret == NULL && auth->flow != SPOTIFY_FLOW_PKCE)
        return setting_missing("client secret", "client_secret", SPOTIFY_ENV_CLIENT_SECRET,
                               spotantic ? SPOTIFY__SPOTANTIC_CLIENT_SECRET : NULL,
                               " (apps without a secret use PKCE)", err);
    if (redirect == NULL && auth->flow != SPOTIFY_FLOW_CLIENT_CREDENTIALS)
        return setting_missing("redirect URI", "redirect_uri", SPOTIFY_ENV_REDIRECT_URI,
                               spotantic ? SPOTIFY__SPOTANTIC_REDIRECT_URI : NULL, "", err);
    if (strpbrk(id, "\r\n:") != NULL || (secret != NULL && strpbrk(secret, "\r\n") != NULL))
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "the client id or secret holds a line break or a colon");
    if (o->refresh_token != NULL && o->refresh_token[0] != '\0' &&
        !spotify__http_b64token_valid(o->refresh_token, strlen(o->refresh_token)))
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "the refresh token is not an RFC 6750 token (b64token syntax)");
    bool ok = field_copy(&auth->client_id, id) && field_copy(&auth->client_secret, secret) &&
              field_copy(&auth->redirect_uri, redirect) &&
              field_copy(&auth->bootstrap_refresh_token, o->refresh_token);
    if (ok && secret != NULL) {
        spotify__strbuf basic = SPOTIFY__STRBUF_INIT;
        ok = spotify__basic_auth_header(&basic, id, secret) &&
             (auth->basic_header = spotify__strbuf_detach(&basic, NULL)) != NULL;
        spotify__strbuf_release_secret(&basic);
    }
    return ok ? secrets_pin(auth, err) : spotify__error_oom(err);
}

static spotify_status endpoints_resolve(spotify_auth *auth, const spotify_auth_options *o,
                                        spotify_error *err)
{
    const char *base = spotify__setting(o->accounts_base_url, SPOTIFY_ENV_ACCOUNTS_BASE_URL);
    if (base == NULL)
        base = "https://accounts.spotify.com";
    if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "the accounts base URL must be an http:// or https:// URL "
                                  "(set it explicitly or through " SPOTIFY_ENV_ACCOUNTS_BASE_URL
                                  ")");
    size_t len = strlen(base);
    while (len > 0 && base[len - 1] == '/')
        len--;
    auth->accounts_base_url = spotify__strndup(base, len);
    spotify__strbuf url = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append(&url, base, len);
    spotify__strbuf_append_str(&url, "/api/token");
    auth->token_url = spotify__strbuf_detach(&url, NULL);
    return auth->accounts_base_url && auth->token_url ? SPOTIFY_OK : spotify__error_oom(err);
}

/* The explicit scope, else (spotantic settings) SPOTANTIC_AUTH_SCOPE;
 * spotantic requires one for the user flows. */
static spotify_status scope_resolve(spotify_auth *auth, const spotify_auth_options *o,
                                    const spotify__spotantic_settings *sp, bool spotantic,
                                    spotify_error *err)
{
    bool explicit_scope = (o->scope != NULL && o->scope[0] != '\0') || o->scope_count > 0;
    spotify__strbuf scope = SPOTIFY__STRBUF_INIT;
    bool ok = explicit_scope ? spotify__scope_normalize(&scope, o->scope, o->scopes, o->scope_count)
                             : spotify__scope_normalize(&scope, sp->scope, NULL, 0);
    if (!ok) {
        spotify__strbuf_release(&scope);
        return spotify__error_oom(err);
    }
    if (scope.len == 0) {
        spotify__strbuf_release(&scope);
        if (spotantic && spotify__auth_is_user_flow(auth))
            return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                      "missing scope: pass scope or set " SPOTIFY__SPOTANTIC_SCOPE
                                      " (spotantic's settings require a scope for the "
                                      "authorization code and PKCE flows)");
        return SPOTIFY_OK;
    }
    auth->scope = spotify__strbuf_detach(&scope, NULL);
    return auth->scope != NULL ? SPOTIFY_OK : spotify__error_oom(err);
}

static spotify_status http_setup(spotify_auth *auth, const spotify_auth_options *o,
                                 spotify_error *err)
{
    spotify_status st =
        spotify__pool_ref_init(&auth->pool, o->http_pool, o->user_agent, o->ca_file, err);
    if (st != SPOTIFY_OK)
        return st;
    auth->http.transport = auth->pool.pool->transport;
    auth->http.policy = spotify__retry_policy_from_options(&o->retry);
    auth->http.timeouts = spotify__timeouts_resolve(&o->timeouts);
    auth->http.clock = spotify__clock_resolve(o->clock);
    auth->http.observer = o->observer;
    auth->http.observer_user = o->observer_user;
    return SPOTIFY_OK;
}

/* The explicit cache; else, when spotantic's settings say
 * store_access_token, a file cache in spotantic's shape at its
 * access_token_file_path; else a private memory cache. */
static spotify_status cache_setup(spotify_auth *auth, const spotify_auth_options *o,
                                  const spotify__spotantic_settings *sp, spotify_error *err)
{
    if (o->token_cache != NULL) {
        auth->cache = o->token_cache;
        return SPOTIFY_OK;
    }
    spotify_status st;
    if (sp->store_access_token)
        st = spotify_token_cache_file_new_format(
            &auth->own_cache,
            sp->token_file != NULL ? sp->token_file : SPOTIFY__SPOTANTIC_DEFAULT_TOKEN_FILE,
            SPOTIFY_TOKEN_FILE_SPOTANTIC, err);
    else
        st = spotify_token_cache_memory_new(&auth->own_cache, err);
    auth->cache = auth->own_cache;
    return st;
}

/* Starts from the caller's `cached_token` when it belongs to this app and
 * is well formed (see spotify_auth_options.cached_token). */
static spotify_status current_seed(spotify_auth *auth, const spotify_token *token,
                                   spotify_error *err)
{
    if (token == NULL || spotify__token_problem(token) != NULL ||
        spotify__auth_token_foreign(auth, token))
        return SPOTIFY_OK;
    spotify_status st = spotify_token_copy(&auth->current, token, err);
    if (st == SPOTIFY_OK)
        spotify__token_note_secrets(&auth->current);
    return st;
}

/* Everything after the provider's allocation, in order. */
static spotify_status oauth_setup(spotify_auth *auth, const spotify_auth_options *opts,
                                  spotify_error *err)
{
    bool spotantic = opts->settings_source == SPOTIFY_SETTINGS_SPOTANTIC;
    spotify__spotantic_settings sp = {0};
    spotify_status st = spotify__retry_options_check(&opts->retry, "auth provider", err);
    if (st == SPOTIFY_OK && spotantic)
        st = spotify__spotantic_settings_load(&sp, err);
    if (st == SPOTIFY_OK)
        st = settings_resolve(auth, opts, &sp, spotantic, err);
    if (st == SPOTIFY_OK)
        st = endpoints_resolve(auth, opts, err);
    if (st == SPOTIFY_OK)
        st = scope_resolve(auth, opts, &sp, spotantic, err);
    if (st == SPOTIFY_OK)
        st = cache_setup(auth, opts, &sp, err);
    if (st == SPOTIFY_OK)
        st = current_seed(auth, opts->cached_token, err);
    if (st == SPOTIFY_OK)
        st = http_setup(auth, opts, err);
    spotify__spotantic_settings_release(&sp);
    return st;
}

static spotify_status oauth_new(spotify_auth **out, spotify_flow flow,
                                const spotify_auth_options *opts, spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "auth provider: out is NULL");
    *out = NULL;
    spotify_auth_options defaults = SPOTIFY_AUTH_OPTIONS_INIT, full;
    if (opts == NULL)
        opts = &defaults;
    if (!options_read(&full, opts))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "auth provider: unknown options version %u "
                                  "(use SPOTIFY_AUTH_OPTIONS_INIT)",
                                  opts->version);
    opts = &full;
    if (opts->settings_source != SPOTIFY_SETTINGS_SDK &&
        opts->settings_source != SPOTIFY_SETTINGS_SPOTANTIC)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "auth provider: unknown settings_source %d",
                                  (int)opts->settings_source);
    spotify_auth *auth = auth_alloc(flow);
    if (auth == NULL)
        return spotify__error_oom(err);
    auth->skew_seconds = opts->skew_seconds == 0  ? SPOTIFY_AUTH_DEFAULT_SKEW_SECONDS
                         : opts->skew_seconds < 0 ? 0
                                                  : opts->skew_seconds;
    spotify_status st = oauth_setup(auth, opts, err);
    if (st != SPOTIFY_OK) {
        spotify_auth_free(auth);
        return st;
    }
    *out = auth;
    return SPOTIFY_OK;
}

spotify_status spotify_auth_client_credentials_new(spotify_auth **out,
                                                   const spotify_auth_options *opts,
                                                   spotify_error *err)
{
    return oauth_new(out, SPOTIFY_FLOW_CLIENT_CREDENTIALS, opts, err);
}

spotify_status spotify_auth_code_new(spotify_auth **out, const spotify_auth_options *opts,
                                     spotify_error *err)
{
    return oauth_new(out, SPOTIFY_FLOW_AUTHORIZATION_CODE, opts, err);
}

spotify_status spotify_auth_pkce_new(spotify_auth **out, const spotify_auth_options *opts,
                                     spotify_error *err)
{
    return oauth_new(out, SPOTIFY_FLOW_PKCE, opts, err);
}

/* ---- queries ---- */

spotify_flow spotify_auth_flow(const spotify_auth *auth)
{
    return auth != NULL ? auth->flow : SPOTIFY_FLOW_UNKNOWN;
}

bool spotify_auth_can_refresh(const spotify_auth *auth)
{
    return auth != NULL && auth->flow != SPOTIFY_FLOW_STATIC;
}

const char *spotify_auth_client_id(const spotify_auth *auth)
{
    return auth != NULL ? auth->client_id : NULL;
}

bool spotify__auth_is_user_flow(const spotify_auth *auth)
{
    return auth->flow == SPOTIFY_FLOW_AUTHORIZATION_CODE || auth->flow == SPOTIFY_FLOW_PKCE;
}

bool spotify__auth_token_foreign(const spotify_auth *auth, const spotify_token *token)
{
    return token->client_id != NULL && auth->client_id != NULL &&
           strcmp(token->client_id, auth->client_id) != 0;
}
