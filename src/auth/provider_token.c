/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/provider_token.c - getting a token: the token endpoint's requests
 * and answers, and the single-flight acquisition shared by the blocking
 * path and the async driver's steps (one fetch per expiry for every thread
 * and, through the cache's lock, every process).
 */
#include "provider.h"

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

double spotify__auth_now(void)
{
    return spotify__wall_seconds();
}

/* ---- token requests ---- */

void spotify__token_call_release(spotify__token_call *call)
{
    spotify__strbuf_release_secret(&call->body);
    memset(&call->http, 0, sizeof call->http);
}

/* Builds the POST of one form to the token endpoint. */
spotify_status spotify__token_call_build(spotify__token_call *call, spotify_auth *auth,
                                         const spotify__param *form, size_t count,
                                         spotify_error *err)
{
    spotify__strbuf_init(&call->body);
    spotify__form_encode(&call->body, form, count);
    spotify__http_request request = {
        .method = "POST",
        .url = auth->token_url,
        .body = spotify__strbuf_cstr(&call->body),
        .body_len = call->body.len,
        /* Token requests are retried like reads (the seeds' rule): a repeated
         * client-credentials or refresh request is harmless, and a repeated
         * code exchange fails cleanly with invalid_grant. */
        .idempotent = true,
        /* A token response is a few hundred bytes: 64 KiB is generous, and a
         * hostile endpoint cannot make us hold 256 MiB. */
        .max_body = SPOTIFY__TOKEN_RESPONSE_MAX,
    };
    request.headers[request.header_count++] = "Content-Type: application/x-www-form-urlencoded";
    if (auth->basic_header != NULL)
        request.headers[request.header_count++] = auth->basic_header;
    call->http = request;
    if (call->body.failed) {
        spotify__token_call_release(call);
        return spotify__error_oom(err);
    }
    return SPOTIFY_OK;
}

/* The token endpoint's answer (or the driver's failure `st`) -> `out`. The
 * parse rewrites the error record from the body; what only the driver knows
 * (the Retry-After it decided on, the attempts it made) is kept. */
spotify_status spotify__token_answer(spotify_status st, const spotify__http_response *response,
                                     spotify_token *out, spotify_error *err)
{
    int64_t retry_after_ms = err != NULL && st != SPOTIFY_OK ? err->retry_after_ms : -1;
    if (st == SPOTIFY_OK || (response->failure == SPOTIFY__FAILURE_NONE && response->status > 0))
        st = spotify__token_response_parse(out, response->status, response->body.data,
                                           response->body.len, spotify__auth_now(), err);
    if (err != NULL && st != SPOTIFY_OK) {
        if (response->attempt > 0)
            err->attempts = response->attempt;
        err->retry_after_ms = retry_after_ms;
    }
    return st;
}

/* Fills in what the token endpoint does not send: keeps the refresh token
 * a refresh sent (`sent_refresh`: the previous token's, or the bootstrap
 * one of the options) and the previous scope when the response omits them. */
spotify_status spotify__token_complete(spotify_auth *auth, spotify_token *fresh,
                                       const spotify_token *previous, const char *sent_refresh,
                                       spotify_error *err)
{
    bool ok = true;
    if (fresh->refresh_token == NULL && sent_refresh != NULL)
        ok = spotify_token_set_field(&fresh->refresh_token, sent_refresh, NULL) == SPOTIFY_OK;
    if (ok && fresh->scope == NULL && previous != NULL && previous->scope != NULL)
        ok = spotify_token_set_field(&fresh->scope, previous->scope, NULL) == SPOTIFY_OK;
    if (ok)
        ok = spotify_token_set_field(&fresh->client_id, auth->client_id, NULL) == SPOTIFY_OK;
    fresh->flow = auth->flow;
    return ok ? SPOTIFY_OK : spotify__error_oom(err);
}

/* The refresh token a refresh would use: the one of `previous`, else the
 * bootstrap one; NULL when there is none. */
static const char *refresh_token_of(const spotify_auth *auth, const spotify_token *previous)
{
    return previous != NULL && previous->refresh_token != NULL ? previous->refresh_token
                                                               : auth->bootstrap_refresh_token;
}

/* Completes the token a client-credentials fetch or a refresh from
 * `previous` returned (spotify__token_complete). */
static spotify_status refreshed_token_complete(spotify_auth *auth, spotify_token *fresh,
                                               const spotify_token *previous, spotify_error *err)
{
    if (auth->flow == SPOTIFY_FLOW_CLIENT_CREDENTIALS)
        return spotify__token_complete(auth, fresh, NULL, NULL, err);
    return spotify__token_complete(auth, fresh, previous, refresh_token_of(auth, previous), err);
}

static spotify_status no_user_token(spotify_error *err)
{
    return spotify__error_set(err, SPOTIFY_EAUTH, 0,
                              "no user token yet: send the user to the authorization URL and "
                              "exchange the code first (spotify_auth_exchange)");
}

/* Builds the token request that gets a new token: client credentials, or a
 * refresh with the refresh token of `previous` (or the bootstrap one). */
static spotify_status fetch_call_build(spotify__token_call *call, spotify_auth *auth,
                                       const spotify_token *previous, spotify_error *err)
{
    if (auth->flow == SPOTIFY_FLOW_CLIENT_CREDENTIALS) {
        spotify__param form[] = {{"grant_type", "client_credentials"}};
        return spotify__token_call_build(call, auth, form, 1, err);
    }
    const char *refresh = refresh_token_of(auth, previous);
    if (refresh == NULL && previous != NULL && previous->access_token != NULL)
        return spotify__error_set(err, SPOTIFY_EAUTH, 0,
                                  "the user's token has expired and Spotify gave no refresh token "
                                  "with it: send the user to the authorization URL again");
    if (refresh == NULL)
        return no_user_token(err);
    spotify__param form[] = {
        {"grant_type", "refresh_token"},
        {"refresh_token", refresh},
        {"client_id", auth->flow == SPOTIFY_FLOW_PKCE ? auth->client_id : NULL}};
    return spotify__token_call_build(call, auth, form, 3, err);
}

/* Asks the token endpoint for a new token (see fetch_call_build). */
static spotify_status token_fetch(spotify_auth *auth, const spotify_token *previous,
                                  spotify_token *out, spotify_error *err)
{
    spotify__token_call call;
    spotify_status st = fetch_call_build(&call, auth, previous, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__http_response response;
    spotify__http_response_init(&response);
    st = spotify__http_execute(&auth->http, &call.http, &response, err);
    st = spotify__token_answer(st, &response, out, err);
    spotify__http_response_release(&response);
    spotify__token_call_release(&call);
    if (st == SPOTIFY_OK)
        st = refreshed_token_complete(auth, out, previous, err);
    return st;
}

/* ---- single-flight acquisition ---- */

/* Reads the cache into `out`; a token recorded for another app counts as none. */
static spotify_status cache_read(spotify_auth *auth, spotify_token *out, bool *found,
                                 spotify_error *err)
{
    spotify_status st = spotify_token_cache_get(out, found, auth->cache, err);
    if (st != SPOTIFY_OK || !*found)
        return st;
    if (spotify__auth_token_foreign(auth, out)) {
        spotify__log(SPOTIFY_LOG_WARN,
                     "token cache holds a token of another app (client id %s); ignoring it",
                     out->client_id);
        spotify_token_clear(out);
        *found = false;
    }
    return SPOTIFY_OK;
}

static bool same_access_token(const spotify_token *a, const spotify_token *b)
{
    return a->access_token != NULL && b->access_token != NULL &&
           strcmp(a->access_token, b->access_token) == 0;
}

/*
 * With auth->lock and the cache lock held: makes auth->current valid. The
 * cache is re-read first, since another thread or process may have
 * refreshed while we waited for the locks. Without `force` a valid cached
 * token is used; with `force` and a `rejected` token (the API answered 401),
 * a valid cached token other than the rejected one is used; with `force`
 * alone a new token is always fetched.
 */
static spotify_status current_refresh_locked(spotify_auth *auth, bool force,
                                             const spotify_token *rejected, spotify_error *err)
{
    spotify_token cached = {0};
    bool found = false;
    spotify_status st = cache_read(auth, &cached, &found, err);
    if (st != SPOTIFY_OK)
        return st;
    bool usable = found &&
                  !spotify_token_is_expired(&cached, spotify__auth_now(), auth->skew_seconds) &&
                  (!force || (rejected != NULL && !same_access_token(&cached, rejected)));
    if (usable) {
        spotify_token_clear(&auth->current);
        auth->current = cached;
        return SPOTIFY_OK;
    }
    const spotify_token *previous = found ? &cached : &auth->current;
    bool has_previous = previous->access_token != NULL || previous->refresh_token != NULL;
    spotify_token fresh = {0};
    st = token_fetch(auth, has_previous ? previous : NULL, &fresh, err);
    if (st == SPOTIFY_OK)
        st = spotify_token_cache_store(auth->cache, &fresh, err);
    spotify_token_clear(&cached);
    if (st != SPOTIFY_OK) {
        spotify_token_clear(&fresh);
        return st;
    }
    spotify_token_clear(&auth->current);
    auth->current = fresh;
    return SPOTIFY_OK;
}

/* With auth->lock held: waits while an async driver fetches a token (its
 * result lands in auth->current). The loop thread that owns the fetch must
 * not wait for itself. */
static spotify_status flight_wait_locked(spotify_auth *auth, spotify_error *err)
{
    while (auth->flight_active) {
        if (pthread_equal(auth->flight_thread, pthread_self()))
            return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                      "a blocking token request on the thread whose async context "
                                      "is fetching the token would never finish; use the async "
                                      "API on the loop thread");
        pthread_cond_wait(&auth->flight_done, &auth->lock);
    }
    return SPOTIFY_OK;
}

/* With auth->lock held: a valid auth->current; see current_refresh_locked
 * for `force` and `rejected`. */
static spotify_status current_ensure_locked(spotify_auth *auth, bool force,
                                            const spotify_token *rejected, spotify_error *err)
{
    spotify_status st = flight_wait_locked(auth, err);
    if (st != SPOTIFY_OK)
        return st;
    if (!force &&
        !spotify_token_is_expired(&auth->current, spotify__auth_now(), auth->skew_seconds))
        return SPOTIFY_OK;
    st = spotify__token_cache_lock(auth->cache, err);
    if (st != SPOTIFY_OK)
        return st;
    st = current_refresh_locked(auth, force, rejected, err);
    spotify__token_cache_unlock(auth->cache);
    return st;
}

static spotify_status argument_check(const spotify_auth *auth, const void *out, const char *fn,
                                     spotify_error *err)
{
    if (auth == NULL || out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "%s: auth and out must not be NULL",
                                  fn);
    return SPOTIFY_OK;
}

/* Copies a token string into the caller's buffer. */
static spotify_status token_to_buffer(const char *token, char *buf, size_t size, spotify_error *err)
{
    size_t len = strlen(token);
    if (len >= size)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "the access token (%zu bytes) does not fit the %zu-byte buffer",
                                  len, size);
    memcpy(buf, token, len + 1);
    return SPOTIFY_OK;
}

/* A custom provider's token, checked like every other token before any
 * header is built from it. */
static spotify_status custom_token(spotify_auth *auth, bool force, char *buf, size_t size,
                                   spotify_error *err)
{
    spotify_status st = auth->ops.get_token(auth->ops_user, force, buf, size, err);
    if (st != SPOTIFY_OK)
        return st;
    size_t len = strnlen(buf, size);
    if (len < size)
        spotify__secret_note(buf, len);
    if (len == size || !spotify__http_b64token_valid(buf, len)) {
        spotify__wipe(buf, size);
        return spotify__error_set(err, SPOTIFY_EAUTH, 0,
                                  "the custom auth provider returned a token that is not an "
                                  "RFC 6750 bearer token (b64token syntax)");
    }
    return SPOTIFY_OK;
}

spotify_status spotify__auth_access_token(spotify_auth *auth, bool force, const char *rejected,
                                          char *buf, size_t size, spotify_error *err)
{
    if (auth->flow == SPOTIFY_FLOW_STATIC)
        return token_to_buffer(auth->static_token, buf, size, err);
    if (auth->ops.get_token != NULL)
        return custom_token(auth, force, buf, size, err);
    spotify_token rejected_token = {.access_token = (char *)(uintptr_t)rejected};
    pthread_mutex_lock(&auth->lock);
    spotify_status st =
        current_ensure_locked(auth, force, rejected != NULL ? &rejected_token : NULL, err);
    if (st == SPOTIFY_OK)
        st = token_to_buffer(auth->current.access_token, buf, size, err);
    pthread_mutex_unlock(&auth->lock);
    return st;
}

/* ---- the async driver's steps (provider.h) ---- */

/* With auth->lock held: is auth->current what a caller with `force` and
 * `rejected` may use? */
static bool current_usable(const spotify_auth *auth, bool force, const char *rejected)
{
    if (spotify_token_is_expired(&auth->current, spotify__auth_now(), auth->skew_seconds))
        return false;
    if (!force)
        return true;
    return rejected != NULL && strcmp(auth->current.access_token, rejected) != 0;
}

/* With auth->lock held: reads the cache into auth->current and tells
 * whether that token is one the caller may use. */
static spotify_status cached_usable(spotify_auth *auth, bool force, const char *rejected,
                                    bool *usable, spotify_error *err)
{
    spotify_token cached = {0};
    bool found = false;
    *usable = false;
    spotify_status st = cache_read(auth, &cached, &found, err);
    if (st != SPOTIFY_OK || !found)
        return st;
    spotify_token_clear(&auth->current);
    auth->current = cached;
    *usable = current_usable(auth, force, rejected);
    return SPOTIFY_OK;
}

/* With auth->lock held: after a try_lock found the cache's lock taken, how
 * long to wait before the next try (10 ms doubling to 200 ms, jittered);
 * `*retry_ms` then is the time left until it. Only one try per interval
 * reaches the store, however many calls wait. */
static void lock_retry_schedule(spotify_auth *auth, int64_t now, int64_t *retry_ms)
{
    auth->lock_backoff_ms = auth->lock_backoff_ms == 0 ? 10 : auth->lock_backoff_ms * 2;
    if (auth->lock_backoff_ms > 200)
        auth->lock_backoff_ms = 200;
    *retry_ms = (int64_t)((double)auth->lock_backoff_ms * (0.5 + spotify__random_unit() / 2));
    if (*retry_ms < 1)
        *retry_ms = 1;
    auth->lock_next_try_ms = now + *retry_ms;
}

/* With auth->lock held: starts a flight with the token request for
 * `previous` (NULL: none) and marks it active. */
static spotify__token_step flight_begin_locked(spotify_auth *auth, const spotify_token *previous,
                                               spotify__token_call *call, spotify_error *err)
{
    spotify_token_clear(&auth->flight_previous);
    if (previous != NULL && spotify_token_copy(&auth->flight_previous, previous, err) != SPOTIFY_OK)
        return SPOTIFY__TOKEN_FAILED;
    if (fetch_call_build(call, auth, previous, err) != SPOTIFY_OK)
        return SPOTIFY__TOKEN_FAILED;
    auth->flight_active = true;
    auth->flight_thread = pthread_self();
    return SPOTIFY__TOKEN_FETCH;
}

/*
 * With auth->lock held: adopts a usable cached token, or starts a flight.
 * A cache with a cross-process lock is locked first without waiting (BUSY
 * and a `*retry_ms` when another process holds it) and re-read, since that
 * process may just have refreshed; the flight keeps the lock until it lands.
 */
static spotify__token_step flight_start_locked(spotify_auth *auth, bool force, const char *rejected,
                                               spotify__token_call *call, int64_t *retry_ms,
                                               spotify_error *err)
{
    bool usable = false;
    if (cached_usable(auth, force, rejected, &usable, err) != SPOTIFY_OK)
        return SPOTIFY__TOKEN_FAILED;
    if (usable)
        return SPOTIFY__TOKEN_READY;
    bool locking = spotify__token_cache_has_lock(auth->cache);
    if (locking) {
        int64_t now = auth->http.clock.now_ms(auth->http.clock.user);
        if (now < auth->lock_next_try_ms) {
            *retry_ms = auth->lock_next_try_ms - now;
            return SPOTIFY__TOKEN_BUSY;
        }
        bool taken = false;
        if (spotify__token_cache_try_lock(auth->cache, &taken, err) != SPOTIFY_OK)
            return SPOTIFY__TOKEN_FAILED;
        if (!taken) {
            lock_retry_schedule(auth, now, retry_ms);
            return SPOTIFY__TOKEN_BUSY;
        }
        auth->lock_backoff_ms = 0;
        auth->lock_next_try_ms = 0;
        if (cached_usable(auth, force, rejected, &usable, err) != SPOTIFY_OK || usable) {
            spotify__token_cache_unlock(auth->cache);
            return usable ? SPOTIFY__TOKEN_READY : SPOTIFY__TOKEN_FAILED;
        }
    }
    const spotify_token *previous = &auth->current;
    bool has_previous = previous->access_token != NULL || previous->refresh_token != NULL;
    spotify__token_step step = flight_begin_locked(auth, has_previous ? previous : NULL, call, err);
    if (step == SPOTIFY__TOKEN_FETCH)
        auth->flight_cache_locked = locking;
    else if (locking)
        spotify__token_cache_unlock(auth->cache);
    return step;
}

spotify__token_step spotify__auth_token_step(spotify_auth *auth, bool force, const char *rejected,
                                             char *buf, size_t size, spotify__token_call *call,
                                             int64_t *retry_ms, spotify_error *err)
{
    *retry_ms = 0;
    if (auth->flow == SPOTIFY_FLOW_STATIC || auth->ops.get_token != NULL) {
        if (force && auth->flow == SPOTIFY_FLOW_STATIC)
            return SPOTIFY__TOKEN_FAILED; /* callers check spotify_auth_can_refresh first */
        return spotify__auth_access_token(auth, force, rejected, buf, size, err) == SPOTIFY_OK
                   ? SPOTIFY__TOKEN_READY
                   : SPOTIFY__TOKEN_FAILED;
    }
    if (pthread_mutex_trylock(&auth->lock) != 0)
        return SPOTIFY__TOKEN_BUSY; /* a blocking caller is fetching */
    spotify__token_step step;
    if (auth->flight_active)
        step = SPOTIFY__TOKEN_BUSY;
    else if (auth->current.access_token != NULL && current_usable(auth, force, rejected))
        step = SPOTIFY__TOKEN_READY;
    else
        step = flight_start_locked(auth, force, rejected, call, retry_ms, err);
    if (step == SPOTIFY__TOKEN_READY &&
        token_to_buffer(auth->current.access_token, buf, size, err) != SPOTIFY_OK)
        step = SPOTIFY__TOKEN_FAILED;
    pthread_mutex_unlock(&auth->lock);
    return step;
}

/* With auth->lock held: stores a fetched token in the cache (under the
 * cache's lock, taken here unless `cache_locked` says the caller holds it)
 * and makes it current; `fresh` is emptied on success. */
spotify_status spotify__token_adopt_locked(spotify_auth *auth, spotify_token *fresh,
                                           bool cache_locked, spotify_error *err)
{
    spotify_status st = cache_locked ? SPOTIFY_OK : spotify__token_cache_lock(auth->cache, err);
    if (st == SPOTIFY_OK) {
        st = spotify_token_cache_store(auth->cache, fresh, err);
        if (!cache_locked)
            spotify__token_cache_unlock(auth->cache);
    }
    if (st != SPOTIFY_OK)
        return st;
    spotify_token_clear(&auth->current);
    auth->current = *fresh;
    memset(fresh, 0, sizeof *fresh);
    return SPOTIFY_OK;
}

spotify_status spotify__auth_token_landed(spotify_auth *auth, spotify_status st,
                                          const spotify__http_response *response, char *buf,
                                          size_t size, spotify_error *err)
{
    spotify_token fresh = {0};
    pthread_mutex_lock(&auth->lock);
    const spotify_token *previous = auth->flow == SPOTIFY_FLOW_CLIENT_CREDENTIALS ||
                                            (auth->flight_previous.access_token == NULL &&
                                             auth->flight_previous.refresh_token == NULL)
                                        ? NULL
                                        : &auth->flight_previous;
    if (response != NULL)
        st = spotify__token_answer(st, response, &fresh, err);
    if (st == SPOTIFY_OK)
        st = refreshed_token_complete(auth, &fresh, previous, err);
    if (st == SPOTIFY_OK)
        st = spotify__token_adopt_locked(auth, &fresh, auth->flight_cache_locked, err);
    if (st == SPOTIFY_OK)
        st = token_to_buffer(auth->current.access_token, buf, size, err);
    spotify_token_clear(&fresh);
    spotify_token_clear(&auth->flight_previous);
    if (auth->flight_cache_locked)
        spotify__token_cache_unlock(auth->cache);
    auth->flight_cache_locked = false;
    auth->flight_active = false;
    pthread_cond_broadcast(&auth->flight_done);
    pthread_mutex_unlock(&auth->lock);
    return st;
}

spotify_status spotify_auth_access_token_get(char *buf, size_t size, spotify_auth *auth,
                                             spotify_error *err)
{
    spotify_status st = argument_check(auth, buf, "spotify_auth_access_token_get", err);
    if (st != SPOTIFY_OK)
        return st;
    return spotify__auth_access_token(auth, false, NULL, buf, size, err);
}

spotify__token_step spotify__auth_token_record(spotify_auth *auth, const char *access,
                                               spotify_token *out, spotify_error *err)
{
    memset(out, 0, sizeof *out);
    out->flow = auth->flow;
    if (auth->flow == SPOTIFY_FLOW_STATIC || auth->ops.get_token != NULL)
        return spotify_token_set_field(&out->access_token, access, err) == SPOTIFY_OK
                   ? SPOTIFY__TOKEN_READY
                   : SPOTIFY__TOKEN_FAILED;
    if (pthread_mutex_trylock(&auth->lock) != 0)
        return SPOTIFY__TOKEN_BUSY;
    spotify_status st = SPOTIFY_OK;
    if (auth->current.access_token != NULL && strcmp(auth->current.access_token, access) == 0)
        st = spotify_token_copy(out, &auth->current, err);
    else /* replaced since (a refresh landed): the token the caller got */
        st = spotify_token_set_field(&out->access_token, access, err);
    pthread_mutex_unlock(&auth->lock);
    return st == SPOTIFY_OK ? SPOTIFY__TOKEN_READY : SPOTIFY__TOKEN_FAILED;
}

spotify_status spotify_auth_token_get(spotify_token *out, spotify_auth *auth, spotify_error *err)
{
    spotify_status st = argument_check(auth, out, "spotify_auth_token_get", err);
    if (st != SPOTIFY_OK)
        return st;
    memset(out, 0, sizeof *out);
    if (auth->flow == SPOTIFY_FLOW_STATIC || auth->ops.get_token != NULL) {
        char buf[SPOTIFY_ACCESS_TOKEN_MAX];
        st = spotify__auth_access_token(auth, false, NULL, buf, sizeof buf, err);
        if (st == SPOTIFY_OK)
            st = spotify_token_set_field(&out->access_token, buf, err);
        out->flow = auth->flow;
        spotify__wipe(buf, sizeof buf);
        return st;
    }
    pthread_mutex_lock(&auth->lock);
    st = current_ensure_locked(auth, false, NULL, err);
    if (st == SPOTIFY_OK)
        st = spotify_token_copy(out, &auth->current, err);
    pthread_mutex_unlock(&auth->lock);
    return st;
}

spotify_status spotify_auth_refresh(spotify_auth *auth, spotify_error *err)
{
    if (auth == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_auth_refresh: auth is NULL");
    if (auth->flow == SPOTIFY_FLOW_STATIC)
        return spotify__error_set(err, SPOTIFY_EAUTH, 0,
                                  "a static access token cannot be refreshed");
    if (auth->ops.get_token != NULL) {
        char buf[SPOTIFY_ACCESS_TOKEN_MAX];
        spotify_status st = custom_token(auth, true, buf, sizeof buf, err);
        spotify__wipe(buf, sizeof buf);
        return st;
    }
    pthread_mutex_lock(&auth->lock);
    spotify_status st = current_ensure_locked(auth, true, NULL, err);
    pthread_mutex_unlock(&auth->lock);
    return st;
}
