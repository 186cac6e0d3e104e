/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/provider_code.c - the authorization code flow's two halves: the
 * consent page's URL (with PKCE's challenge) and the code exchange, blocking
 * or in two non-blocking steps for the async driver.
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

/* ---- authorization code and PKCE ---- */

spotify_status spotify_auth_authorize_url(char **out, spotify_auth *auth,
                                          const spotify_authorize_url_options *opts,
                                          spotify_error *err)
{
    if (out == NULL || auth == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_auth_authorize_url: out and auth must not be NULL");
    *out = NULL;
    if (!spotify__auth_is_user_flow(auth))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_auth_authorize_url: only authorization-code and PKCE "
                                  "providers have an authorization URL");
    spotify_authorize_url_options defaults = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    if (opts == NULL)
        opts = &defaults;
    if (opts->version != SPOTIFY_AUTHORIZE_URL_OPTIONS_VERSION)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_auth_authorize_url: unknown options version");
    if (opts->scope == NULL && opts->scope_count > 0 && opts->scopes == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_auth_authorize_url: scope_count > 0 but scopes is NULL");
    spotify__strbuf scope = SPOTIFY__STRBUF_INIT;
    spotify__strbuf url = SPOTIFY__STRBUF_INIT;
    char verifier[SPOTIFY__PKCE_VERIFIER_LEN + 1];
    char challenge[44] = "";
    bool scope_given = opts->scope != NULL || opts->scope_count > 0;
    bool ok = !scope_given ||
              spotify__scope_normalize(&scope, opts->scope, opts->scopes, opts->scope_count);
    if (ok && auth->flow == SPOTIFY_FLOW_PKCE)
        ok = spotify__pkce_verifier(verifier, SPOTIFY__PKCE_VERIFIER_LEN) &&
             spotify__pkce_challenge(verifier, challenge);
    spotify__authorize_params params = {
        .accounts_base_url = auth->accounts_base_url,
        .client_id = auth->client_id,
        .redirect_uri = auth->redirect_uri,
        .scope = scope_given ? spotify__strbuf_cstr(&scope) : auth->scope,
        .state = opts->state,
        .show_dialog = opts->show_dialog,
        .code_challenge = auth->flow == SPOTIFY_FLOW_PKCE ? challenge : NULL,
    };
    ok = ok && spotify__authorize_url_build(&url, &params);
    spotify__strbuf_release(&scope);
    if (ok && auth->flow == SPOTIFY_FLOW_PKCE) {
        char *kept = spotify__strdup(verifier);
        ok = kept != NULL;
        pthread_mutex_lock(&auth->lock);
        spotify__free_secret(auth->pkce_verifier);
        auth->pkce_verifier = kept;
        pthread_mutex_unlock(&auth->lock);
    }
    spotify__wipe(verifier, sizeof verifier);
    if (!ok) {
        spotify__strbuf_release(&url);
        return spotify__error_set(err, SPOTIFY_ENOMEM, 0,
                                  "could not build the authorization URL (out of memory or no "
                                  "randomness)");
    }
    *out = spotify__strbuf_detach(&url, NULL);
    return *out != NULL ? SPOTIFY_OK : spotify__error_oom(err);
}

/* With auth->lock held: the token request of a code exchange. */
static spotify_status exchange_call_build_locked(spotify__token_call *call, spotify_auth *auth,
                                                 const char *code, spotify_error *err)
{
    bool pkce = auth->flow == SPOTIFY_FLOW_PKCE;
    if (pkce && auth->pkce_verifier == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "PKCE: no code verifier; build the authorization URL with "
                                  "spotify_auth_authorize_url first");
    spotify__secret_note(code, strlen(code));
    if (pkce)
        spotify__secret_note(auth->pkce_verifier, strlen(auth->pkce_verifier));
    spotify__param form[] = {{"grant_type", "authorization_code"},
                             {"code", code},
                             {"redirect_uri", auth->redirect_uri},
                             {"client_id", pkce ? auth->client_id : NULL},
                             {"code_verifier", pkce ? auth->pkce_verifier : NULL}};
    return spotify__token_call_build(call, auth, form, 5, err);
}

/* With auth->lock held: a code exchange answered with `fresh` (or `st`):
 * checks it, stores it in the cache and makes it current (a copy in `out`
 * when not NULL); the PKCE verifier is spent. */
static spotify_status exchange_adopt_locked(spotify_auth *auth, spotify_status st,
                                            spotify_token *fresh, spotify_token *out,
                                            spotify_error *err)
{
    /* A token without a refresh token is kept as the seed keeps it: it
     * serves until it expires, then the user must authorize again. */
    if (st == SPOTIFY_OK)
        st = spotify__token_complete(auth, fresh, NULL, NULL, err);
    if (st == SPOTIFY_OK)
        st = spotify__token_adopt_locked(auth, fresh, false, err);
    if (st != SPOTIFY_OK) {
        spotify_token_clear(fresh);
        return st;
    }
    spotify__free_secret(auth->pkce_verifier);
    auth->pkce_verifier = NULL;
    return out != NULL ? spotify_token_copy(out, &auth->current, err) : SPOTIFY_OK;
}

static spotify_status exchange_check(const spotify_auth *auth, const char *code, const char *fn,
                                     spotify_error *err)
{
    if (auth == NULL || code == NULL || code[0] == '\0')
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "%s: auth and a non-empty code are required", fn);
    if (!spotify__auth_is_user_flow(auth))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "%s: only authorization-code and PKCE providers exchange codes",
                                  fn);
    return SPOTIFY_OK;
}

spotify_status spotify_auth_exchange(spotify_token *out, spotify_auth *auth, const char *code,
                                     spotify_error *err)
{
    spotify_status st = exchange_check(auth, code, "spotify_auth_exchange", err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__token_call call;
    spotify_token fresh = {0};
    pthread_mutex_lock(&auth->lock);
    st = exchange_call_build_locked(&call, auth, code, err);
    if (st == SPOTIFY_OK) {
        spotify__http_response response;
        spotify__http_response_init(&response);
        st = spotify__http_execute(&auth->http, &call.http, &response, err);
        st = spotify__token_answer(st, &response, &fresh, err);
        spotify__http_response_release(&response);
        spotify__token_call_release(&call);
        st = exchange_adopt_locked(auth, st, &fresh, out, err);
    }
    pthread_mutex_unlock(&auth->lock);
    return st;
}

spotify_status spotify__auth_exchange_call(spotify_auth *auth, const char *code,
                                           spotify__token_call *call, spotify_error *err)
{
    spotify_status st = exchange_check(auth, code, "code exchange", err);
    if (st != SPOTIFY_OK)
        return st;
    pthread_mutex_lock(&auth->lock);
    st = exchange_call_build_locked(call, auth, code, err);
    pthread_mutex_unlock(&auth->lock);
    return st;
}

spotify_status spotify__auth_exchange_answer(spotify_status st,
                                             const spotify__http_response *response,
                                             spotify_token *fresh, spotify_error *err)
{
    return response != NULL ? spotify__token_answer(st, response, fresh, err) : st;
}

spotify__token_step spotify__auth_exchange_adopt(spotify_auth *auth, spotify_status st,
                                                 spotify_token *fresh, spotify_token *out,
                                                 spotify_error *err)
{
    if (pthread_mutex_trylock(&auth->lock) != 0)
        return SPOTIFY__TOKEN_BUSY;
    st = exchange_adopt_locked(auth, st, fresh, out, err);
    pthread_mutex_unlock(&auth->lock);
    return st == SPOTIFY_OK ? SPOTIFY__TOKEN_READY : SPOTIFY__TOKEN_FAILED;
}

spotify_status spotify__auth_exchange_landed(spotify_auth *auth, spotify_status st,
                                             const spotify__http_response *response,
                                             spotify_token *out, spotify_error *err)
{
    spotify_token fresh = {0};
    st = spotify__auth_exchange_answer(st, response, &fresh, err);
    pthread_mutex_lock(&auth->lock);
    st = exchange_adopt_locked(auth, st, &fresh, out, err);
    pthread_mutex_unlock(&auth->lock);
    return st;
}
