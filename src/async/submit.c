/* SPDX-License-Identifier: Apache-2.0 */
/*
 * async/submit.c - the async API's entry points that create calls: raw
 * requests and operations (the generated typed forms come through
 * spotify__async_submit_op). Everything is validated and copied here, so
 * the caller's arguments are free to go once a submit function returns.
 */
#include <string.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "async_internal.h"

static spotify_status submit_check(spotify_async *async, bool has_callback, const char *fn,
                                   spotify_error *err)
{
    if (async == NULL || !has_callback)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "%s: the context and the callback must not be NULL", fn);
    if (async->closing)
        return spotify__error_set(err, SPOTIFY_ECANCELLED, 0,
                                  "%s: the async context is being freed", fn);
    return SPOTIFY_OK;
}

/* Prepares the call's request for the client, copying a body borrowed
 * from the caller first: the caller's arguments may go once submitted. */
static spotify_status call_prepare(spotify__async_call *call, spotify_error *err)
{
    spotify__web_request *web = &call->web;
    if (web->raw_body != NULL) {
        spotify__strbuf_reset(&web->body);
        spotify__strbuf_append(&web->body, web->raw_body, web->raw_len);
        web->raw_body = NULL;
        web->raw_len = 0;
        if (web->body.failed)
            return spotify__error_oom(err);
    }
    spotify_status st = spotify__client_prepare(web, call->async->client, err);
    if (st != SPOTIFY_OK)
        return st;
    call->request = &web->http;
    call->http = spotify__client_http(call->async->client);
    return SPOTIFY_OK;
}

/* Hands a prepared call to the context, or frees it on failure. */
static spotify_status call_launch(spotify__async_call *call, spotify_status st,
                                  void (*callback)(void), spotify_async_deliver_fn deliver,
                                  void *user, spotify_async_id *id_out)
{
    if (st != SPOTIFY_OK) {
        spotify__call_free(call);
        return st;
    }
    call->callback = callback;
    call->deliver = deliver;
    call->user = user;
    if (id_out != NULL)
        *id_out = call->id;
    spotify_async *async = call->async;
    spotify__async_enter(async);
    spotify__call_submit(call);
    if (!spotify__async_leave(async))
        spotify__async_kick(async);
    return SPOTIFY_OK;
}

spotify_status spotify_async_send(spotify_async *async, const spotify_request *request,
                                  spotify_async_callback callback, void *user,
                                  spotify_async_id *id_out, spotify_error *err)
{
    spotify_status st = submit_check(async, callback != NULL, "spotify_async_send", err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__async_call *call = spotify__call_new(async);
    if (call == NULL)
        return spotify__error_oom(err);
    st = spotify__web_request_from_raw(&call->web, request, err);
    if (st == SPOTIFY_OK)
        st = call_prepare(call, err);
    return call_launch(call, st, (void (*)(void))callback, spotify_async_deliver_untyped, user,
                       id_out);
}

/* Builds an operation's request into the call. */
static spotify_status op_prepare(spotify__async_call *call, const spotify_operation *op,
                                 const void *args, spotify_error *err)
{
    spotify_status st = spotify__op_build(&call->web, op, args, 0, err);
    if (st != SPOTIFY_OK)
        return st;
    call->op = op;
    call->check_scopes = spotify__op_checks_scopes(call->async->client, args);
    return call_prepare(call, err);
}

/* The operation submits: `deferred` delivers the answer undecoded;
 * `caller` names the public function in errors. */
static spotify_status op_submit(spotify_async *async, const spotify_operation *op, const void *args,
                                void (*callback)(void), spotify_async_deliver_fn deliver,
                                void *user, bool deferred, const char *caller,
                                spotify_async_id *id_out, spotify_error *err)
{
    spotify_status st = submit_check(async, callback != NULL, caller, err);
    if (st != SPOTIFY_OK)
        return st;
    if (op == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "%s: the operation is NULL", caller);
    spotify__async_call *call = spotify__call_new(async);
    if (call == NULL)
        return spotify__error_oom(err);
    call->deferred = deferred;
    st = op_prepare(call, op, args, err);
    return call_launch(call, st, callback, deliver, user, id_out);
}

spotify_status spotify_async_submit(spotify_async *async, const spotify_operation *op,
                                    const void *args, void (*callback)(void),
                                    spotify_async_deliver_fn deliver, void *user,
                                    spotify_async_id *id_out, spotify_error *err)
{
    return op_submit(async, op, args, callback, deliver, user, false,
                     "spotify_operation_call_async", id_out, err);
}

spotify_status spotify_async_submit_deferred(spotify_async *async, const spotify_operation *op,
                                             const void *args, spotify_async_callback callback,
                                             void *user, spotify_async_id *id_out,
                                             spotify_error *err)
{
    return op_submit(async, op, args, (void (*)(void))callback, spotify_async_deliver_untyped, user,
                     true, "spotify_async_submit_deferred", id_out, err);
}

spotify_status spotify_operation_call_async(spotify_async *async, const spotify_operation *op,
                                            const void *args, spotify_async_callback callback,
                                            void *user, spotify_async_id *id_out,
                                            spotify_error *err)
{
    return spotify_async_submit(async, op, args, (void (*)(void))callback,
                                spotify_async_deliver_untyped, user, id_out, err);
}

/* ---- token operations (spotify/async.h) ---- */

/* The token thunk: the callback borrows the record, which is freed after. */
static void deliver_token(void (*callback)(void), spotify_status status, void *result,
                          const spotify_error *err, void *user)
{
    spotify_token *token = result;
    ((spotify_auth_token_callback)callback)(status, token, err, user);
    if (token != NULL) {
        spotify_token_clear(token);
        spotify__free(token);
    }
}

spotify_status spotify_auth_token_async(spotify_async *async, bool force_refresh,
                                        spotify_auth_token_callback callback, void *user,
                                        spotify_async_id *id_out, spotify_error *err)
{
    spotify_status st = submit_check(async, callback != NULL, "spotify_auth_token_async", err);
    if (st != SPOTIFY_OK)
        return st;
    if (force_refresh && !spotify_auth_can_refresh(async->auth))
        return spotify__error_set(err, SPOTIFY_EAUTH, 0,
                                  "spotify_auth_token_async: a static access token cannot be "
                                  "refreshed");
    spotify__async_call *call = spotify__call_new(async);
    if (call == NULL)
        return spotify__error_oom(err);
    call->result_kind = SPOTIFY__RESULT_TOKEN;
    call->force_token = force_refresh;
    return call_launch(call, SPOTIFY_OK, (void (*)(void))callback, deliver_token, user, id_out);
}

spotify_status spotify_auth_refresh_async(spotify_async *async,
                                          spotify_auth_token_callback callback, void *user,
                                          spotify_async_id *id_out, spotify_error *err)
{
    return spotify_auth_token_async(async, true, callback, user, id_out, err);
}

spotify_status spotify_auth_exchange_code_async(spotify_async *async, const char *code,
                                                spotify_auth_token_callback callback, void *user,
                                                spotify_async_id *id_out, spotify_error *err)
{
    spotify_status st =
        submit_check(async, callback != NULL, "spotify_auth_exchange_code_async", err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__async_call *call = spotify__call_new(async);
    if (call == NULL)
        return spotify__error_oom(err);
    call->result_kind = SPOTIFY__RESULT_EXCHANGE;
    st = spotify__auth_exchange_call(async->auth, code, &call->token_call, err);
    if (st == SPOTIFY_OK) {
        call->http = &async->auth->http;
        call->request = &call->token_call.http;
    }
    return call_launch(call, st, (void (*)(void))callback, deliver_token, user, id_out);
}
