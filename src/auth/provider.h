/* SPDX-License-Identifier: Apache-2.0 */
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
#include "../core/urlencode.h"

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
    /* "Authorization: Basic base64(id:secret)", built once; NULL for PKCE.
     * The secret and the credential are pinned for redaction
     * (core/secrets.h) while the provider lives. */
    char *basic_header;
    bool secrets_pinned;
    char *redirect_uri; /* NULL for client credentials */
    char *scope;        /* normalised; NULL when none */
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
    /* A token fetch by an async driver (spotify__auth_token_step): blocking
     * callers wait on flight_done while flight_active. */
    bool flight_active;
    pthread_t flight_thread;
    pthread_cond_t flight_done;
    spotify_token flight_previous; /* the token being refreshed */
    bool flight_cache_locked;      /* the flight holds the cache's lock */
    /* When another process held the cache's lock: the interval between
     * tries and the time of the next (auth->http.clock). */
    int64_t lock_backoff_ms;
    int64_t lock_next_try_ms;
};

/*
 * Writes a valid access token into `buf`. `force` asks for a new one;
 * with `rejected` (the token the API just answered 401 to), a token that
 * another thread or process already obtained is used instead of fetching
 * again. The shared path of spotify_auth_access_token_get and the client's
 * 401 -> refresh-once rule.
 */
spotify_status spotify__auth_access_token(spotify_auth *auth, bool force, const char *rejected,
                                          char *buf, size_t size, spotify_error *err);

/* A request to the token endpoint, built for a driver to send. */
typedef struct spotify__token_call {
    spotify__http_request http; /* borrows body and the provider's basic_header */
    spotify__strbuf body;       /* the form; holds secrets */
} spotify__token_call;

/* Wipes and frees a token call. */
void spotify__token_call_release(spotify__token_call *call);

/* ---- shared by the provider's files (provider_new.c: construction;
 * provider_token.c: token acquisition; provider_code.c: the authorization
 * code flow) ---- */

/* True for the authorization code and PKCE flows. */
bool spotify__auth_is_user_flow(const spotify_auth *auth);
/* True when `token` records another client id than the provider's (a cache
 * shared by mistake): such a token counts as none. */
bool spotify__auth_token_foreign(const spotify_auth *auth, const spotify_token *token);
/* Wall-clock seconds, the time base of token expiry. */
double spotify__auth_now(void);
/* Builds the POST of one form to the token endpoint (Basic credential
 * when the provider has a secret; 64 KiB answer limit). */
spotify_status spotify__token_call_build(spotify__token_call *call, spotify_auth *auth,
                                         const spotify__param *form, size_t count,
                                         spotify_error *err);
/* The token endpoint's answer (or the driver's failure `st`) -> `out`,
 * keeping the driver's Retry-After and attempts in `err`. */
spotify_status spotify__token_answer(spotify_status st, const spotify__http_response *response,
                                     spotify_token *out, spotify_error *err);
/* Fills in what the token endpoint does not send: the refresh token the
 * refresh sent (`sent_refresh`, may be NULL) and the previous scope when the
 * response omits them, the client id and flow. */
spotify_status spotify__token_complete(spotify_auth *auth, spotify_token *fresh,
                                       const spotify_token *previous, const char *sent_refresh,
                                       spotify_error *err);
/* With auth->lock held: stores `fresh` in the cache (`cache_locked`: the
 * caller holds the cache's lock) and makes it current; on success `fresh` is
 * consumed (zeroed). */
spotify_status spotify__token_adopt_locked(spotify_auth *auth, spotify_token *fresh,
                                           bool cache_locked, spotify_error *err);

typedef enum spotify__token_step {
    SPOTIFY__TOKEN_READY, /* a valid token is in buf */
    SPOTIFY__TOKEN_FETCH, /* the caller owns the flight: send `call`, then landed() */
    SPOTIFY__TOKEN_BUSY,  /* another fetch is under way: try again later */
    SPOTIFY__TOKEN_FAILED /* err says why */
} spotify__token_step;

/*
 * The async driver's token acquisition, which never blocks on the network:
 * the token the provider has now (READY), or the token request the caller
 * must send because none is valid (FETCH: `call` is filled and owned by the
 * caller; every other caller, async or blocking, waits for the flight), or
 * BUSY when a flight or a blocking fetch is already under way, or another
 * process holds the cache's lock (then `*retry_ms` > 0 says when to try
 * again; 0 leaves the interval to the caller). `force` and `rejected` as in
 * spotify__auth_access_token. Static and custom providers answer READY or
 * FAILED at once (custom ones may block inside get_token).
 */
spotify__token_step spotify__auth_token_step(spotify_auth *auth, bool force, const char *rejected,
                                             char *buf, size_t size, spotify__token_call *call,
                                             int64_t *retry_ms, spotify_error *err);

/*
 * Ends the flight started by a FETCH: `st` and `response` are the driver's
 * outcome of the token call (response NULL: abandoned, with `st` the
 * reason). On success the token is stored in the cache, becomes current and
 * is copied into `buf` for every call that waited for it (used as it is,
 * like a token the blocking path just fetched). Wakes every blocking
 * waiter. Returns the flight's status (err filled).
 */
spotify_status spotify__auth_token_landed(spotify_auth *auth, spotify_status st,
                                          const spotify__http_response *response, char *buf,
                                          size_t size, spotify_error *err);

/*
 * For the async token operations (spotify_auth_token_async): the whole
 * token record whose access token the caller just got as `access` from
 * spotify__auth_token_step, copied into `out` without waiting for the
 * provider's lock: SPOTIFY__TOKEN_BUSY when a blocking caller holds it
 * (try again later), FAILED on OOM (err filled), else READY. Static and
 * custom providers give a record with the access token and the flow only.
 */
spotify__token_step spotify__auth_token_record(spotify_auth *auth, const char *access,
                                               spotify_token *out, spotify_error *err);

/*
 * A code exchange in two steps, for the async loopback helper and
 * spotify_auth_exchange_code_async: the token
 * request to send (the PKCE verifier included), then its outcome (`response`
 * NULL: not sent, `st` says why): on success the token is stored in the
 * cache, becomes current, is copied into `out` and the verifier is spent.
 */
spotify_status spotify__auth_exchange_call(spotify_auth *auth, const char *code,
                                           spotify__token_call *call, spotify_error *err);
spotify_status spotify__auth_exchange_landed(spotify_auth *auth, spotify_status st,
                                             const spotify__http_response *response,
                                             spotify_token *out, spotify_error *err);
/*
 * The same in two non-blocking halves, for an event loop: the answer read
 * into `fresh` (no lock), then adopted without waiting for the provider's
 * lock: SPOTIFY__TOKEN_BUSY leaves `fresh` as it is (try again later);
 * READY/FAILED consume it (err filled on failure; `st` is the answer's
 * status).
 */
spotify_status spotify__auth_exchange_answer(spotify_status st,
                                             const spotify__http_response *response,
                                             spotify_token *fresh, spotify_error *err);
spotify__token_step spotify__auth_exchange_adopt(spotify_auth *auth, spotify_status st,
                                                 spotify_token *fresh, spotify_token *out,
                                                 spotify_error *err);

#endif
