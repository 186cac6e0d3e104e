/* SPDX-License-Identifier: Apache-2.0 */
/*
 * async/call.c - the steps of one async call: token, admission, transfer,
 * the retry decision and delivery. Every decision is the blocking driver's
 * (http/execute.h) or the provider's (auth/provider.h); this file only
 * moves the call to its next step when its event arrives.
 */
#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "async_internal.h"

/* How often a call looks again when another context or a blocking thread
 * is fetching the token (the provider says when to look again while
 * another process holds the token cache's lock). */
#define TOKEN_POLL_MS 5

static void call_admit(spotify__async_call *call);
static void call_token(spotify__async_call *call);
static void scope_check_then_admit(spotify__async_call *call);
static void token_deliver(spotify__async_call *call);
static void exchange_deliver(spotify__async_call *call, spotify_status status);

void spotify__call_free(spotify__async_call *call)
{
    if (call == NULL)
        return;
    spotify__web_request_release(&call->web);
    spotify__token_call_release(&call->token_call);
    /* Token answers are not kept for reuse: they held a token. */
    if (!call->internal && call->result_kind == SPOTIFY__RESULT_API)
        spotify__async_body_recycle(call->async, &call->response.body);
    spotify__http_response_release(&call->response);
    spotify__wipe(call->token, sizeof call->token);
    spotify__wipe(call->authorization, sizeof call->authorization);
    spotify_token_clear(&call->exchange_token);
    spotify__free(call);
}

void spotify__call_deliver(spotify__async_call *call, spotify_status status, void *result)
{
    spotify_async *async = call->async;
    spotify__call_unlink(call);
    call->state = SPOTIFY__CALL_DONE;
    bool outer = spotify__async_callback_enter(async);
    call->deliver(call->callback, status, result, status == SPOTIFY_OK ? NULL : &call->err,
                  call->user);
    spotify__async_callback_leave(outer);
    spotify__call_free(call);
}

spotify__async_call *
spotify__async_internal_call(spotify_async *async, spotify__token_call *token_call,
                             void (*done)(spotify__async_call *call, spotify_status status),
                             void *user)
{
    spotify__async_call *call = spotify__call_new(async);
    if (call == NULL) {
        spotify__token_call_release(token_call);
        return NULL;
    }
    call->internal = true;
    call->internal_done = done;
    call->user = user;
    call->http = &async->auth->http;
    call->token_call = *token_call;
    call->request = &call->token_call.http;
    spotify__call_submit(call);
    return call;
}

/* The token call of a flight ended: the provider adopts the token, then
 * every waiting call resumes. */
static void flight_finish(spotify__async_call *call, spotify_status status)
{
    spotify_async *async = call->async;
    const spotify__http_response *answer = call->response.attempt > 0 ? &call->response : NULL;
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    status =
        spotify__auth_token_landed(async->auth, status, answer, token, sizeof token, &call->err);
    async->flight = NULL;
    spotify__call_unlink(call);
    spotify_error err = call->err;
    spotify__call_free(call);
    spotify__calls_token_landed(async, status, token, &err);
    spotify__wipe(token, sizeof token);
}

/* Decodes the answer of a successful call into its result. */
static spotify_status result_build(spotify__async_call *call, void **result)
{
    *result = NULL;
    if (call->op != NULL && call->deferred)
        return spotify__answer_adopt((spotify_answer **)result, call->op, &call->response,
                                     &call->err);
    if (call->op == NULL) {
        spotify_response *response = NULL;
        spotify_status st = spotify__response_adopt(&response, &call->response, &call->err);
        *result = response;
        return st;
    }
    return spotify__op_decode(result, call->op, call->response.status, &call->response.body,
                              &call->err);
}

/* Once the context is being freed (from inside one of its callbacks),
 * every call still pending ends as cancelled, whatever its transfer did. */
static spotify_status closing_status(spotify__async_call *call, spotify_status status)
{
    if (!call->async->closing || status == SPOTIFY_ECANCELLED)
        return status;
    spotify__error_set(&call->err, SPOTIFY_ECANCELLED, 0,
                       "the async context was freed with the request pending");
    return SPOTIFY_ECANCELLED;
}

static void call_finish(spotify__async_call *call, spotify_status status)
{
    if (call->result_kind == SPOTIFY__RESULT_EXCHANGE) {
        exchange_deliver(call, status);
        return;
    }
    status = closing_status(call, status);
    if (call->internal) {
        call->internal_done(call, status);
        return;
    }
    void *result = NULL;
    if (status == SPOTIFY_OK)
        status = result_build(call, &result);
    spotify__call_deliver(call, status, result);
}

void spotify__call_fail(spotify__async_call *call, spotify_status status)
{
    status = closing_status(call, status);
    if (call->internal) {
        call->internal_done(call, status);
        return;
    }
    spotify__call_deliver(call, status, NULL);
}

void spotify__calls_token_landed(spotify_async *async, spotify_status status, const char *token,
                                 const spotify_error *err)
{
    /* Mark the calls waiting now; resuming one may finish it (and its
     * callback may submit or cancel others) or make it wait for a new
     * flight, so each time look for the next marked call from the start. */
    for (spotify__async_call *c = async->calls; c != NULL; c = c->next)
        c->landing = c->state == SPOTIFY__CALL_TOKEN_WAIT;
    for (;;) {
        spotify__async_call *waiter = async->calls;
        while (waiter != NULL && !waiter->landing)
            waiter = waiter->next;
        if (waiter == NULL)
            return;
        waiter->landing = false;
        if (status == SPOTIFY_OK && waiter->result_kind == SPOTIFY__RESULT_TOKEN) {
            waiter->force_token = false;
            call_token(waiter); /* the token that landed is the provider's now */
        } else if (status == SPOTIFY_OK) {
            snprintf(waiter->token, sizeof waiter->token, "%s", token);
            waiter->force_token = false;
            scope_check_then_admit(waiter);
        } else {
            waiter->err = *err;
            spotify__call_fail(waiter, status);
        }
    }
}

/* Starts the context's token flight with the call the provider built. */
static void flight_start(spotify_async *async, spotify__token_call *token_call)
{
    /* The provider's HTTP context has no cooldown: admission cannot end the
     * call before it is recorded as the flight. */
    async->flight = spotify__async_internal_call(async, token_call, flight_finish, NULL);
    if (async->flight == NULL) {
        spotify_error err = {0};
        char none[1];
        spotify__auth_token_landed(async->auth, SPOTIFY_ENOMEM, NULL, none, sizeof none, &err);
        spotify__error_oom(&err);
        spotify__calls_token_landed(async, SPOTIFY_ENOMEM, "", &err);
    }
}

static void scope_check_then_admit(spotify__async_call *call)
{
    if (call->check_scopes && call->op != NULL) {
        spotify_status st = spotify__op_scope_check(call->async->client, call->op, &call->err);
        if (st != SPOTIFY_OK) {
            spotify__call_fail(call, st);
            return;
        }
    }
    call_admit(call);
}

static void call_token(spotify__async_call *call)
{
    spotify_async *async = call->async;
    char fresh[SPOTIFY_ACCESS_TOKEN_MAX];
    spotify__token_call token_call;
    memset(&token_call, 0, sizeof token_call);
    /* A forced call with no token of its own (spotify_auth_refresh_async)
     * rejects nothing: it wants a new token whatever the cache holds. */
    const char *rejected = call->force_token && call->token[0] != '\0' ? call->token : NULL;
    int64_t retry_ms = 0;
    spotify__token_step step =
        spotify__auth_token_step(async->auth, call->force_token, rejected, fresh, sizeof fresh,
                                 &token_call, &retry_ms, &call->err);
    switch (step) {
    case SPOTIFY__TOKEN_READY:
        memcpy(call->token, fresh, sizeof call->token);
        call->force_token = false;
        if (call->result_kind == SPOTIFY__RESULT_TOKEN)
            token_deliver(call);
        else
            scope_check_then_admit(call);
        break;
    case SPOTIFY__TOKEN_FETCH:
        call->state = SPOTIFY__CALL_TOKEN_WAIT;
        flight_start(async, &token_call);
        break;
    case SPOTIFY__TOKEN_BUSY:
        if (async->flight != NULL)
            call->state = SPOTIFY__CALL_TOKEN_WAIT;
        else
            spotify__timer_arm(call, retry_ms > 0 ? retry_ms : TOKEN_POLL_MS, call_token);
        break;
    case SPOTIFY__TOKEN_FAILED:
    default:
        spotify__call_fail(call, call->err.status != SPOTIFY_OK ? call->err.status : SPOTIFY_EAUTH);
        break;
    }
    spotify__wipe(fresh, sizeof fresh);
}

static void call_admit(spotify__async_call *call)
{
    int64_t wait_ms = 0;
    spotify_status st = spotify__http_admit(call->http, call->request, call->started_ms,
                                            call->attempt_number, &wait_ms, &call->err);
    if (st != SPOTIFY_OK)
        spotify__call_fail(call, st);
    else if (wait_ms > 0)
        spotify__timer_arm(call, wait_ms, call_admit);
    else
        spotify__ready_push(call, call->internal);
}

/* A token operation's result: the provider's whole token record (read
 * without waiting for its lock: a blocking caller holding it makes the call
 * look again shortly). */
static void token_deliver(spotify__async_call *call)
{
    spotify_token *token = spotify__calloc(1, sizeof *token);
    if (token == NULL) {
        spotify__error_oom(&call->err);
        spotify__call_fail(call, SPOTIFY_ENOMEM);
        return;
    }
    spotify__token_step step =
        spotify__auth_token_record(call->async->auth, call->token, token, &call->err);
    if (step == SPOTIFY__TOKEN_READY) {
        spotify__call_deliver(call, SPOTIFY_OK, token);
        return;
    }
    spotify_token_clear(token);
    spotify__free(token);
    if (step == SPOTIFY__TOKEN_BUSY)
        spotify__timer_arm(call, TOKEN_POLL_MS, token_deliver);
    else
        spotify__call_fail(call, SPOTIFY_ENOMEM);
}

/* The provider adopts the exchanged token (stored, current; kept even when
 * the context is closing, since the code is spent), without waiting for its
 * lock; then the callback gets the token. */
static void exchange_adopt(spotify__async_call *call)
{
    spotify_token *token = spotify__calloc(1, sizeof *token);
    if (token == NULL) {
        spotify_token_clear(&call->exchange_token);
        spotify__error_oom(&call->err);
        spotify__call_fail(call, SPOTIFY_ENOMEM);
        return;
    }
    spotify__token_step step = spotify__auth_exchange_adopt(
        call->async->auth, call->exchange_status, &call->exchange_token, token, &call->err);
    if (step == SPOTIFY__TOKEN_BUSY) {
        spotify__free(token);
        spotify__timer_arm(call, TOKEN_POLL_MS, exchange_adopt);
        return;
    }
    spotify_status status = step == SPOTIFY__TOKEN_READY     ? SPOTIFY_OK
                            : call->err.status != SPOTIFY_OK ? call->err.status
                                                             : SPOTIFY_EAUTH;
    status = closing_status(call, status);
    if (status != SPOTIFY_OK) {
        spotify_token_clear(token);
        spotify__free(token);
        token = NULL;
    }
    spotify__call_deliver(call, status, token);
}

/* A code exchange's transfer ended: its answer, then adoption. */
static void exchange_deliver(spotify__async_call *call, spotify_status status)
{
    const spotify__http_response *answer = call->response.attempt > 0 ? &call->response : NULL;
    call->exchange_status =
        spotify__auth_exchange_answer(status, answer, &call->exchange_token, &call->err);
    exchange_adopt(call);
}

void spotify__call_begin(spotify__async_call *call)
{
    call->started_ms = spotify__async_now(call->async);
    if (call->internal || call->result_kind == SPOTIFY__RESULT_EXCHANGE)
        call_admit(call);
    else
        call_token(call);
}

bool spotify__call_transfer_begin(spotify__async_call *call, spotify_status *status)
{
    spotify_async *async = call->async;
    if (!call->internal && call->result_kind == SPOTIFY__RESULT_API) {
        snprintf(call->authorization, sizeof call->authorization, "Authorization: Bearer %s",
                 call->token);
        call->request->headers[0] = call->authorization;
    }
    spotify__http_attempt_prepare(call->http, call->started_ms, call->request);
    *status = spotify__attempt_begin(&call->attempt, call->http->transport, call->request,
                                     &call->response, true, &call->err);
    if (*status != SPOTIFY_OK)
        return false;
    CURLMcode rc = spotify__async_sockets_adopt(async, call->attempt.easy)
                       ? curl_multi_add_handle(async->multi, call->attempt.easy)
                       : CURLM_OUT_OF_MEMORY;
    if (rc != CURLM_OK) {
        spotify__attempt_discard(&call->attempt);
        spotify__error_set(&call->err, SPOTIFY_ETRANSPORT, 0, "could not start the transfer: %s",
                           curl_multi_strerror(rc));
        *status = SPOTIFY_ETRANSPORT;
        return false;
    }
    call->state = SPOTIFY__CALL_TRANSFER;
    async->in_flight++;
    return true;
}

void spotify__call_transfer_start(spotify__async_call *call)
{
    spotify_status status;
    if (!spotify__call_transfer_begin(call, &status))
        spotify__call_fail(call, status);
}

/* A 401 to an API call that has not refreshed yet, with a provider that
 * can: the one forced refresh and retry of the blocking API. */
static bool refresh_once(spotify__async_call *call, spotify_status status)
{
    return status == SPOTIFY_EAUTH && call->response.status == 401 && !call->internal &&
           call->result_kind == SPOTIFY__RESULT_API && !call->refreshed &&
           spotify_auth_can_refresh(call->async->auth);
}

void spotify__call_transfer_done(spotify__async_call *call, CURLcode rc)
{
    spotify_status st = spotify__attempt_end(&call->attempt, rc, &call->err);
    if (st != SPOTIFY_OK) {
        spotify__call_fail(call, st);
        return;
    }
    call->attempt_number++;
    int64_t wait_ms = 0;
    if (spotify__http_next_attempt(call->http, call->request, &call->response, call->attempt_number,
                                   call->started_ms, &wait_ms, &st, &call->err)) {
        if (wait_ms > 0)
            spotify__timer_arm(call, wait_ms, call_admit);
        else
            call_admit(call);
        return;
    }
    if (refresh_once(call, st)) {
        call->refreshed = true;
        call->force_token = true;
        call_token(call);
        return;
    }
    call_finish(call, st);
}
