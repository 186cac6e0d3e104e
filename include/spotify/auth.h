/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/auth.h - tokens, token caches and auth providers.
 *
 * An auth provider (spotify_auth) hands out valid access tokens: a static
 * token, client credentials (app-only), the authorization code flow with
 * refresh tokens (confidential apps), or PKCE (public apps with no secret).
 * Providers keep their tokens in a token cache: memory (the default), a
 * file (atomic, mode 0600, safe across processes), or your own.
 *
 * Threads: a provider is safe to share between threads. When several threads
 * need a token while it is expired, exactly one request goes to the token
 * endpoint; the others wait and reuse its result. Caches are called under the
 * provider's lock. spotify_auth_free() must not race with other calls.
 */
#ifndef SPOTIFY_AUTH_H
#define SPOTIFY_AUTH_H

#include "common.h"
#include "error.h"
#include "global.h"
#include "http.h"

SPOTIFY_BEGIN_DECLS

/* ------------------------------------------------------------------------ */
/* Tokens                                                                   */
/* ------------------------------------------------------------------------ */

/* Which flow produced (and can refresh) a token. Recorded in token files so
 * the right provider refreshes them. Values are ABI. */
typedef enum spotify_flow {
    SPOTIFY_FLOW_UNKNOWN = 0,            /* not recorded, or a custom provider */
    SPOTIFY_FLOW_CLIENT_CREDENTIALS = 1, /* app-only tokens */
    SPOTIFY_FLOW_AUTHORIZATION_CODE = 2, /* user tokens, confidential apps */
    SPOTIFY_FLOW_PKCE = 3,               /* user tokens, public apps (no secret) */
    SPOTIFY_FLOW_STATIC = 4              /* a fixed access token, never refreshed */
} spotify_flow;

/* The flow's name as written in token files ("authorization_code", "pkce",
 * "client_credentials", "static"; "unknown"). Static string. */
SPOTIFY_API const char *spotify_flow_name(spotify_flow flow);

/*
 * A token and what goes with it. Every string member is owned by the struct:
 * release them all with spotify_token_clear(), which wipes secrets first.
 * Zero-initialise before first use.
 */
typedef struct spotify_token {
    char *access_token;  /* secret */
    double expires_at;   /* absolute expiry, seconds since the epoch */
    char *refresh_token; /* secret; NULL when the flow has none */
    char *scope;         /* space-separated granted scopes; NULL when unknown */
    char *client_id;     /* the app the token belongs to; NULL when unknown */
    spotify_flow flow;   /* the flow that produced it (and can refresh it) */
    /* How the token is used, as the token endpoint said it ("Bearer", the
     * only type Spotify issues); NULL when unknown (then "Bearer"). */
    char *token_type;
    /* The lifetime the token endpoint gave, in seconds (expires_at is
     * computed from it); 0 when unknown. */
    int64_t expires_in;
} spotify_token;

/* Wipes and frees every member and zeroes the struct. NULL is accepted. */
SPOTIFY_API void spotify_token_clear(spotify_token *token);

/* Deep copy of `src` into `dst` (which is overwritten, not cleared first). */
SPOTIFY_API spotify_status spotify_token_copy(spotify_token *dst, const spotify_token *src,
                                              spotify_error *err);

/*
 * Writes the Authorization header value of `token` into `out` (`size`
 * bytes): "<token_type> <access_token>", i.e. "Bearer BQD...", as
 * spotantic's get_authorization_header builds it. SPOTIFY_EINVALID when the
 * token has no access token, `out` is too small (out is then "") or the
 * token is not an RFC 6750 bearer token. Pure and thread-safe. The value is
 * a secret: wipe it after use.
 */
SPOTIFY_API spotify_status spotify_token_authorization_header(char *out, size_t size,
                                                              const spotify_token *token,
                                                              spotify_error *err);

/* True when `now` (seconds since the epoch) >= expires_at - skew_seconds, or
 * the token has no access token. */
SPOTIFY_API bool spotify_token_is_expired(const spotify_token *token, double now,
                                          int64_t skew_seconds);

/* ------------------------------------------------------------------------ */
/* Token caches                                                             */
/* ------------------------------------------------------------------------ */

/*
 * A token cache: opaque. Created by spotify_token_cache_memory_new(),
 * spotify_token_cache_file_new(), spotify_token_cache_new() (custom) or
 * spotify_redis_token_cache_new() (Owned: free with
 * spotify_token_cache_free() after every provider using it).
 */
typedef struct spotify_token_cache spotify_token_cache;

/*
 * The operations of a custom cache. `load` and `store` are required; the
 * rest are optional (NULL).
 *
 * load:    copy the stored token into *out (allocating its strings with
 *          spotify_token_set_field()) and set *found; a missing or unreadable
 *          entry is *found = false and SPOTIFY_OK, not an error. Return an
 *          error only when the store itself failed and the caller should know
 *          (the provider then fails the call).
 * store:   persist `token` (borrowed for the call).
 * lock:    take an exclusive lock that other processes sharing the store
 *          respect, around "read, refresh if needed, write"; the provider
 *          re-reads the cache after acquiring it. unlock releases it.
 * remove:  delete the stored token (logout).
 * destroy: free `user`; called by spotify_token_cache_free().
 * try_lock (version 2; needs lock and unlock): take the same lock only if
 *          it is free now, setting *taken, never waiting for it; an error
 *          means the store failed (or the cache's own bound on waiting for
 *          another holder ran out). The async API uses it, polling with
 *          backoff on the loop's timers, so a refresh in another process
 *          never blocks the loop; a cache without it is locked from the
 *          loop thread with `lock`, which waits while another process
 *          refreshes.
 *
 * Version 1 tables (without try_lock) are still accepted.
 */
typedef struct spotify_token_cache_ops {
    /* 1 or 2 (SPOTIFY_TOKEN_CACHE_OPS_VERSION): the members the table has. */
    unsigned int version;
    /* Required: see load above. */
    spotify_status (*load)(void *user, spotify_token *out, bool *found, spotify_error *err);
    /* Required: see store above. */
    spotify_status (*store)(void *user, const spotify_token *token, spotify_error *err);
    /* Optional, together with unlock: see lock above. */
    spotify_status (*lock)(void *user, spotify_error *err);
    /* Optional, together with lock: releases the lock. */
    void (*unlock)(void *user);
    /* Optional: see remove above. */
    spotify_status (*remove)(void *user, spotify_error *err);
    /* Optional: see destroy above. */
    void (*destroy)(void *user);
    /* Version 2 and later. */
    spotify_status (*try_lock)(void *user, bool *taken, spotify_error *err);
} spotify_token_cache_ops;

/* The latest version of spotify_token_cache_ops (2: with try_lock). */
#define SPOTIFY_TOKEN_CACHE_OPS_VERSION 2

/* Sets one string member of a token (copying `value`, wiping the old value).
 * For custom caches filling a token in `load`. `field` points at a member of
 * a spotify_token (e.g. &token->access_token). */
SPOTIFY_API spotify_status spotify_token_set_field(char **field, const char *value,
                                                   spotify_error *err);

/* A cache from custom operations. `ops` is copied; `user` is passed to every
 * operation and released by ops->destroy when the cache is freed. */
SPOTIFY_API spotify_status spotify_token_cache_new(spotify_token_cache **out,
                                                   const spotify_token_cache_ops *ops, void *user,
                                                   spotify_error *err);

/* A process-local cache (the default when a provider is given none). */
SPOTIFY_API spotify_status spotify_token_cache_memory_new(spotify_token_cache **out,
                                                          spotify_error *err);

/* The file spotify_token_cache_file_new() uses when given no path, in the
 * current directory. */
#define SPOTIFY_DEFAULT_TOKEN_FILE ".spotify_sdk_token.json"

/*
 * A JSON file cache at `path` (NULL: SPOTIFY_DEFAULT_TOKEN_FILE in the
 * current directory; a leading "~/" is expanded to $HOME). Guarantees:
 *   - the file is created with mode 0600 from its first byte; missing parent
 *     directories are created with mode 0700;
 *   - writes go to a temporary file in the same directory, are fsync'ed and
 *     renamed over the old file, so a crash or a full disk never leaves a
 *     truncated file and never loses the previous good token;
 *   - a missing, unreadable, corrupt or wrongly-typed file reads as "no
 *     token" (logged, redacted), never as an error;
 *   - lock/unlock take flock() on the sidecar file "<path>.lock", so
 *     processes sharing the file refresh one at a time.
 * The file holds {"version":1,"access_token","expires_at","refresh_token",
 * "scope","client_id","flow","token_type","expires_in"}; files written by
 * the seed SDK (access_token, expires_at, refresh_token, scope) and by
 * spotantic (its AccessTokenInfo, expires_at an ISO 8601 datetime) are
 * read too.
 */
SPOTIFY_API spotify_status spotify_token_cache_file_new(spotify_token_cache **out, const char *path,
                                                        spotify_error *err);

/* The shape a file cache writes (it reads every shape). */
typedef enum spotify_token_file_format {
    /* This SDK's record (the default). */
    SPOTIFY_TOKEN_FILE_SDK = 0,
    /* spotantic's AccessTokenInfo JSON ({"access_token","token_type":
     * "Bearer","scope","expires_in","refresh_token","expires_at":
     * "2026-12-04T18:00:00.123456"}), so that a Python program using
     * spotantic and a program using this SDK share one token file.
     * expires_at is naive local time, as spotantic writes it (it compares
     * the value with Python's datetime.now(), which fails on a datetime
     * with an offset): both programs must share a time zone. The client id
     * and flow are not recorded in that shape. */
    SPOTIFY_TOKEN_FILE_SPOTANTIC = 1
} spotify_token_file_format;

/* spotify_token_cache_file_new, writing `format` (SPOTIFY_EINVALID for an
 * unknown one). */
SPOTIFY_API spotify_status spotify_token_cache_file_new_format(spotify_token_cache **out,
                                                               const char *path,
                                                               spotify_token_file_format format,
                                                               spotify_error *err);

/*
 * Direct use of a cache (spotctl's logout and token status use these).
 * load: copies the stored token into *out (the caller owns it: free its
 * strings with spotify_token_clear) and sets *found; "nothing stored" is
 * SPOTIFY_OK with *found false and *out untouched. store: copies `token`
 * (borrowed for the call). remove: deletes the stored token;
 * SPOTIFY_EINVALID for a custom cache without a remove operation.
 * Threads: the memory, file and Redis caches may be used from several
 * threads at once; a custom cache is as thread-safe as its operations.
 */
SPOTIFY_API spotify_status spotify_token_cache_get(spotify_token *out, bool *found,
                                                   spotify_token_cache *cache, spotify_error *err);
/*
 * Stores `token` (borrowed for the call; the cache keeps a copy). A token
 * that could not be used as it is (no access token, a token outside the
 * RFC 6750 syntax, an out-of-range expiry) is SPOTIFY_EINVALID and is not
 * stored. Threads: as spotify_token_cache_get.
 */
SPOTIFY_API spotify_status spotify_token_cache_store(spotify_token_cache *cache,
                                                     const spotify_token *token,
                                                     spotify_error *err);
/*
 * Deletes the stored token (logout); SPOTIFY_EINVALID for a custom cache
 * without a remove operation. Threads: as spotify_token_cache_get.
 */
SPOTIFY_API spotify_status spotify_token_cache_remove(spotify_token_cache *cache,
                                                      spotify_error *err);

/* Frees the cache (calling ops->destroy for custom caches). NULL is accepted. */
SPOTIFY_API void spotify_token_cache_free(spotify_token_cache *cache);

/* ------------------------------------------------------------------------ */
/* Providers                                                                */
/* ------------------------------------------------------------------------ */

/*
 * An auth provider: opaque. Created by one of the spotify_auth_*_new()
 * functions below (Owned: free with spotify_auth_free()); safe to share
 * between threads (see above).
 */
typedef struct spotify_auth spotify_auth;

/* Where a provider looks for the settings its options leave NULL. */
typedef enum spotify_settings_source {
    /* The SPOTIFY_SDK_* variables only (the default). */
    SPOTIFY_SETTINGS_SDK = 0,
    /* Also spotantic's AuthSettings (seed 004), below the SPOTIFY_SDK_*
     * variables: SPOTANTIC_AUTH_CLIENT_ID, _CLIENT_SECRET, _REDIRECT_URI,
     * _SCOPE, _STORE_ACCESS_TOKEN and _ACCESS_TOKEN_FILE_PATH, in any letter
     * case, from the process environment and then from a ".env" file in the
     * working directory. With it, the code and PKCE flows require a scope
     * (SPOTIFY_ECONFIG naming SPOTANTIC_AUTH_SCOPE), as spotantic does; and
     * when STORE_ACCESS_TOKEN is true and no token_cache is given, tokens
     * live in a file cache at ACCESS_TOKEN_FILE_PATH (default
     * ".token_info_cache") written in spotantic's shape. docs/auth.md has
     * the whole precedence table. */
    SPOTIFY_SETTINGS_SPOTANTIC = 1
} spotify_settings_source;

/*
 * Options of the client-credentials, authorization-code and PKCE providers.
 * Zero/NULL means default. Strings are copied.
 */
typedef struct spotify_auth_options {
    /* SPOTIFY_AUTH_OPTIONS_VERSION (the INIT macro sets it). */
    unsigned int version;
    /* NULL: $SPOTIFY_SDK_CLIENT_ID. Still missing: SPOTIFY_ECONFIG. */
    const char *client_id;
    /* NULL: $SPOTIFY_SDK_CLIENT_SECRET. Required by client credentials and
     * authorization code; never used by PKCE. */
    const char *client_secret;
    /* NULL: $SPOTIFY_SDK_REDIRECT_URI. Required by authorization code and
     * PKCE; ignored by client credentials. Must match the app's settings in
     * Spotify's dashboard exactly. */
    const char *redirect_uri;
    /* Scopes as one string, space- or comma-separated; normalised to single
     * spaces with empty entries dropped. */
    const char *scope;
    /* Or as a list (used when `scope` is NULL); entries may themselves hold
     * several scopes. */
    const char *const *scopes;
    /* The number of entries in `scopes`. */
    size_t scope_count;
    /* A refresh token from an earlier authorization (returning users). */
    const char *refresh_token;
    /* Where tokens live; borrowed, must outlive the provider. NULL: a private
     * memory cache. */
    spotify_token_cache *token_cache;
    /* NULL: $SPOTIFY_SDK_ACCOUNTS_BASE_URL, else
     * SPOTIFY_DEFAULT_ACCOUNTS_BASE_URL. */
    const char *accounts_base_url;
    /* Refresh this many seconds before expiry: 0 means the default
     * (SPOTIFY_AUTH_DEFAULT_SKEW_SECONDS, 30); a negative value means no
     * skew (refresh at expiry). */
    int64_t skew_seconds;
    /* Timeouts of token requests (defaults: connect 10 s, attempt 30 s, call
     * 120 s) and their retry policy (default 3 retries). */
    spotify_timeouts timeouts;
    /* The retry policy of token requests (see timeouts). */
    spotify_retry_options retry;
    /* Called after every HTTP attempt to the token endpoint; may be NULL. */
    spotify_http_observer_fn observer;
    /* Passed to observer. */
    void *observer_user;
    /* Clock for the backoff waits and deadlines of token requests; NULL
     * uses the real monotonic clock. The struct is copied; `user` must
     * outlive the provider. */
    const spotify_clock *clock;
    /* Appended to the SDK's User-Agent, e.g. "myapp/1.2". Ignored when
     * http_pool is given (the pool's applies). */
    const char *user_agent;
    /* A PEM bundle of CA certificates to verify the accounts service
     * against instead of the system store; ignored when http_pool is given. */
    const char *ca_file;
    /* A connection pool to use (borrowed; must outlive the provider), e.g.
     * the one a client uses. NULL: the provider makes its own. */
    spotify_http_pool *http_pool;
    /* Where settings left NULL above are looked for besides the explicit
     * options (see spotify_settings_source). */
    spotify_settings_source settings_source;
} spotify_auth_options;

/* The version of spotify_auth_options this header describes. */
#define SPOTIFY_AUTH_OPTIONS_VERSION 1
/* The default skew_seconds: refresh 30 seconds before expiry. */
#define SPOTIFY_AUTH_DEFAULT_SKEW_SECONDS 30
/* The defaults of spotify_auth_options: the version, the nested INITs,
 * and zero or NULL everywhere else (zero means the default). Written out
 * position by position so that it is a valid initializer in C++17 too. */
#define SPOTIFY_AUTH_OPTIONS_INIT                                                                  \
    {                                                                                              \
        SPOTIFY_AUTH_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL, NULL, 0,        \
            SPOTIFY_TIMEOUTS_INIT, SPOTIFY_RETRY_OPTIONS_INIT, NULL, NULL, NULL, NULL, NULL, NULL, \
            SPOTIFY_SETTINGS_SDK                                                                   \
    }

/* Fills `opts` with the defaults of SPOTIFY_AUTH_OPTIONS_INIT for the
 * caller's `version` (SPOTIFY_AUTH_OPTIONS_VERSION), for languages without
 * the macro; SPOTIFY_EINVALID for an unknown version or NULL. */
SPOTIFY_API spotify_status spotify_auth_options_init(spotify_auth_options *opts,
                                                     unsigned int version);

/* A provider that always hands out `access_token` as given (copied). */
SPOTIFY_API spotify_status spotify_auth_static_new(spotify_auth **out, const char *access_token,
                                                   spotify_error *err);

/* App-only tokens from client_id + client_secret; "refresh" asks again. */
SPOTIFY_API spotify_status spotify_auth_client_credentials_new(spotify_auth **out,
                                                               const spotify_auth_options *opts,
                                                               spotify_error *err);

/* User tokens through the authorization code flow (confidential apps). */
SPOTIFY_API spotify_status spotify_auth_code_new(spotify_auth **out,
                                                 const spotify_auth_options *opts,
                                                 spotify_error *err);

/* User tokens through the authorization code flow with PKCE (no secret). */
SPOTIFY_API spotify_status spotify_auth_pkce_new(spotify_auth **out,
                                                 const spotify_auth_options *opts,
                                                 spotify_error *err);

/*
 * A custom provider. `get_token` writes a valid access token (NUL-terminated)
 * into `buf` of `size` bytes; `force_refresh` asks for a new one (after a 401
 * from the API). `destroy` (optional) frees `user` when the provider is
 * freed.
 */
typedef struct spotify_auth_ops {
    /* SPOTIFY_AUTH_OPS_VERSION. */
    unsigned int version;
    /* Required: see above. */
    spotify_status (*get_token)(void *user, bool force_refresh, char *buf, size_t size,
                                spotify_error *err);
    /* Optional (NULL): see above. */
    void (*destroy)(void *user);
} spotify_auth_ops;

/* The version of spotify_auth_ops this header describes. */
#define SPOTIFY_AUTH_OPS_VERSION 1

/*
 * A provider from custom operations. `ops` is copied (its version must be
 * SPOTIFY_AUTH_OPS_VERSION and get_token set, else SPOTIFY_EINVALID); `user`
 * is passed to every operation and released by ops->destroy when the
 * provider is freed. Every token get_token writes is checked (RFC 6750
 * syntax; else SPOTIFY_EAUTH). The SDK calls get_token without a lock of its
 * own, from any thread that needs a token: a provider shared between threads
 * needs a thread-safe get_token. Its flow is SPOTIFY_FLOW_UNKNOWN. *out is
 * Owned: free with spotify_auth_free().
 */
SPOTIFY_API spotify_status spotify_auth_custom_new(spotify_auth **out, const spotify_auth_ops *ops,
                                                   void *user, spotify_error *err);

/* The largest access token the SDK handles (Spotify's are about 300 bytes). */
#define SPOTIFY_ACCESS_TOKEN_MAX 4096

/*
 * Writes a valid access token into `buf` (`size` bytes, at most
 * SPOTIFY_ACCESS_TOKEN_MAX needed), fetching or refreshing it first when
 * needed. A user-token provider with neither token nor refresh token fails
 * with SPOTIFY_EAUTH ("exchange an authorization code first").
 */
SPOTIFY_API spotify_status spotify_auth_access_token_get(char *buf, size_t size, spotify_auth *auth,
                                                         spotify_error *err);

/* Like spotify_auth_access_token_get, but returns the whole token (a copy the
 * caller clears with spotify_token_clear). */
SPOTIFY_API spotify_status spotify_auth_token_get(spotify_token *out, spotify_auth *auth,
                                                  spotify_error *err);

/* Fetches a new token now, whatever the cached one's expiry. Static
 * providers return SPOTIFY_EAUTH (they cannot refresh). */
SPOTIFY_API spotify_status spotify_auth_refresh(spotify_auth *auth, spotify_error *err);

/* The provider's flow. */
SPOTIFY_API spotify_flow spotify_auth_flow(const spotify_auth *auth);

/* True when a 401 from the API is worth one refresh and retry. */
SPOTIFY_API bool spotify_auth_can_refresh(const spotify_auth *auth);

/* The provider's client id (borrowed), NULL for static and custom ones. */
SPOTIFY_API const char *spotify_auth_client_id(const spotify_auth *auth);

/* Frees the provider; the token cache it was given is not freed. */
SPOTIFY_API void spotify_auth_free(spotify_auth *auth);

/* ------------------------------------------------------------------------ */
/* Authorization code and PKCE                                              */
/* ------------------------------------------------------------------------ */

/* Options of spotify_auth_authorize_url(); declare with
 * SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT. */
typedef struct spotify_authorize_url_options {
    unsigned int version; /* SPOTIFY_AUTHORIZE_URL_OPTIONS_VERSION (the INIT macro sets it) */
    /* Recommended (CSRF protection): a fresh one per login from
     * spotify_auth_state_new(). NULL: none. */
    const char *state;
    /* Overrides the provider's scopes for this URL: one string, space- or
     * comma-separated... */
    const char *scope;
    bool show_dialog; /* force the consent dialog even if already approved */
    /* ...or a list (used when `scope` is NULL; entries may hold several
     * scopes), as the provider options take them. */
    const char *const *scopes;
    size_t scope_count; /* entries in `scopes` */
} spotify_authorize_url_options;

/* The version of spotify_authorize_url_options this header describes. */
#define SPOTIFY_AUTHORIZE_URL_OPTIONS_VERSION 1
/* The defaults of spotify_authorize_url_options: no state, the provider's
 * scopes, no forced dialog. */
#define SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT                                                         \
    {                                                                                              \
        SPOTIFY_AUTHORIZE_URL_OPTIONS_VERSION, NULL, NULL, false, NULL, 0                          \
    }

/*
 * A new OAuth `state` for one authorization request: 128 bits from the
 * CSPRNG (OpenSSL), base64url-encoded (22 characters), the value
 * spotify_authorize_local() makes for itself. Pass it in
 * spotify_authorize_url_options.state and to spotify_auth_callback_parse().
 * *out is Owned: free with spotify_free(). Thread-safe.
 */
SPOTIFY_API spotify_status spotify_auth_state_new(char **out, spotify_error *err);

/*
 * Builds the URL of Spotify's consent page: {accounts}/authorize with
 * response_type=code, client_id, redirect_uri, scope (when any), state (when
 * given), show_dialog=true (when asked), and for PKCE
 * code_challenge_method=S256 + code_challenge (a new verifier is generated
 * from the CSPRNG and kept for the exchange). `opts` may be NULL.
 * *out is owned: free with spotify_free(). Authorization-code and PKCE
 * providers only (else SPOTIFY_EINVALID).
 */
SPOTIFY_API spotify_status spotify_auth_authorize_url(char **out, spotify_auth *auth,
                                                      const spotify_authorize_url_options *opts,
                                                      spotify_error *err);

/*
 * Parses the redirect Spotify sent the browser to: a full callback URL or
 * its bare query string. Checks, in order: the state (when `expected_state`
 * is not NULL, a missing or different state is SPOTIFY_EAUTH); a repeated
 * code, state or error parameter (SPOTIFY_EAUTH); an `error` parameter
 * (SPOTIFY_EAUTH with err->code = the error, the description in the
 * message); a missing code (SPOTIFY_EAUTH). On success *code_out is owned:
 * free with spotify_free(). Needs no provider; thread-safe.
 */
SPOTIFY_API spotify_status spotify_auth_callback_parse(char **code_out, const char *url_or_query,
                                                       const char *expected_state,
                                                       spotify_error *err);

/*
 * Exchanges an authorization code for tokens (grant_type=authorization_code;
 * PKCE sends client_id and the verifier from the last authorize URL). The
 * token, with its scope, is stored in the provider's cache; a response
 * without a refresh token is kept (after its expiry the user must authorize
 * again). `out` may be NULL; else it gets
 * a copy (clear with spotify_token_clear).
 */
SPOTIFY_API spotify_status spotify_auth_exchange(spotify_token *out, spotify_auth *auth,
                                                 const char *code, spotify_error *err);

/* Frees a string the SDK returned ("free with spotify_free"), wiping it
 * first: for values that may hold secrets (URLs carrying a PKCE challenge
 * are harmless, codes are not). NULL is accepted. */
SPOTIFY_API void spotify_free_secret(char *secret);

/* ------------------------------------------------------------------------ */
/* Deprecated names (kept until 2.0)                                        */
/* ------------------------------------------------------------------------ */

/* Deprecated: spotify_token_cache_get with the outputs first. */
SPOTIFY_DEPRECATED("use spotify_token_cache_get(&out, &found, cache, &err)")
SPOTIFY_API spotify_status spotify_token_cache_load(spotify_token_cache *cache, spotify_token *out,
                                                    bool *found, spotify_error *err);
/* Deprecated: spotify_auth_access_token_get with the output first. */
SPOTIFY_DEPRECATED("use spotify_auth_access_token_get(buf, size, auth, &err)")
SPOTIFY_API spotify_status spotify_auth_access_token(spotify_auth *auth, char *buf, size_t size,
                                                     spotify_error *err);
/* Deprecated: spotify_auth_token_get with the output first. */
SPOTIFY_DEPRECATED("use spotify_auth_token_get(&out, auth, &err)")
SPOTIFY_API spotify_status spotify_auth_token(spotify_auth *auth, spotify_token *out,
                                              spotify_error *err);
/* Deprecated: spotify_auth_callback_parse (the spotify_auth_ module's name). */
SPOTIFY_DEPRECATED("use spotify_auth_callback_parse")
SPOTIFY_API spotify_status spotify_parse_callback(char **code_out, const char *url_or_query,
                                                  const char *expected_state, spotify_error *err);
/* Deprecated: spotify_auth_exchange with the output first. */
SPOTIFY_DEPRECATED("use spotify_auth_exchange(&out, auth, code, &err)")
SPOTIFY_API spotify_status spotify_auth_exchange_code(spotify_auth *auth, const char *code,
                                                      spotify_token *out, spotify_error *err);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_AUTH_H */
