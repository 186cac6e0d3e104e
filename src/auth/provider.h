/*
 * auth/provider.h - the provider object behind spotify_auth.
 *
 * One struct serves every flow; `flow` says which fields matter. Token
 * acquisition is single-flight: `lock` is held across "check the cached
 * token, take the cache's cross-process lock, re-read, fetch if still
 * needed, store", so N threads asking an expired provider cause one token
 * request and the rest reuse its result.
 *
 * Threads: every function takes `lock` itself.
 */
#ifndef SPOTIFY_AUTH_PROVIDER_H
#define SPOTIFY_AUTH_PROVIDER_H

#include <pthread.h>

#include <spotify/auth.h>

#include "../http/execute.h"
#include "../http/pool.h"

struct spotify_auth {
    spotify_flow flow;
    pthread_mutex_t lock;
    /* SPOTIFY_FLOW_STATIC */
    char *static_token;
    /* custom providers (flow UNKNOWN) */
    spotify_auth_ops ops;
    void *ops_user;
    /* client credentials, authorization code, PKCE */
    char *client_id;
    char *client_secret; /* NULL for PKCE */
    char *redirect_uri;  /* NULL for client credentials */
    char *scope;         /* normalised; NULL when none */
    char *accounts_base_url;
    char *token_url;
    char *bootstrap_refresh_token;
    char *pkce_verifier; /* from the last authorize URL */
    int64_t skew_seconds;
    spotify_token_cache *cache;     /* borrowed or == own_cache */
    spotify_token_cache *own_cache; /* the default memory cache */
    spotify__pool_ref pool;
    spotify__http_context http;
    spotify_token current; /* the last token this process used */
};

/*
 * Writes a valid access token into `buf`. `force` asks for a new one;
 * with `rejected` (the token the API just answered 401 to), a token that
 * another thread or process already obtained is used instead of fetching
 * again. The shared path of spotify_auth_access_token and the client's
 * 401 -> refresh-once rule.
 */
spotify_status spotify__auth_access_token(spotify_auth *auth, bool force, const char *rejected,
                                          char *buf, size_t size, spotify_error *err);

#endif
