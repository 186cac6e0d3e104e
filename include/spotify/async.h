/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/async.h - the asynchronous API: many requests in flight from one
 * thread, on libcurl's multi interface, inside the caller's event loop or
 * driven by spotify_async_run().
 *
 * An async context is bound to a client and uses its configuration: base
 * URLs, auth provider, token cache, retry policy, timeouts, clock, the shared
 * 429 cooldown and the observer. Every typed operation of spotify/api.h has
 * an async form (spotify_albums_get_async...), and spotify_async_send() sends
 * a raw request.
 *
 *   spotify_async *async = NULL;
 *   spotify_async_new(&async, client, NULL, &err);
 *   spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
 *   a.id = "4aawyAB9vmqN3uQ7FjRGTy";
 *   spotify_albums_get_async(async, &a, on_album, user, NULL, &err);
 *   while (spotify_async_pending(async) > 0)
 *       spotify_async_run(async, 1000, &err);
 *   spotify_async_free(async);
 *
 * Completion: when a submit function returns SPOTIFY_OK, its callback runs
 * exactly once, later, on the thread that drives the context: with a result
 * and status SPOTIFY_OK, or with NULL and an error (the categories of the
 * blocking API; SPOTIFY_ECANCELLED after spotify_async_cancel() or when the
 * context is freed with the request pending). When a submit function fails
 * (invalid arguments: nothing was sent), the callback never runs. Callbacks
 * are never called from inside a submit function.
 *
 * Token acquisition is asynchronous too: client-credentials and refresh
 * requests run on the same multi handle, once per expiry however many
 * requests wait for it (and once across every context and blocking thread
 * of the process sharing the provider); a failure fails every waiter with
 * the same error. A 401 causes one refresh and one retry. Retries, backoff
 * and cooldown waits are timers on the loop, never a sleep.
 *
 * Driving a context, either:
 *   1. self-driven: spotify_async_run() waits for network activity and
 *      timers and runs callbacks, for programs without a loop; or
 *   2. event-loop integration: give watch and timer callbacks in the options
 *      (spotify_async_loop); the host loop watches the descriptors and one
 *      timer and reports readiness with spotify_async_on_socket() and
 *      spotify_async_on_timer(). spotify/adapters/uv.h adapts libuv;
 *      examples/async_epoll.c shows plain epoll.
 *
 * Threads: one context per thread: every function except
 * spotify_async_wakeup() must be called on the thread that drives the
 * context. Other threads may keep using the blocking API on the same client
 * and provider at the same time. Do not call blocking operations of the
 * SDK from a callback: they would stall every request of the loop.
 */
#ifndef SPOTIFY_ASYNC_H
#define SPOTIFY_ASYNC_H

#include "auth.h"
#include "client.h"
#include "common.h"
#include "error.h"
#include "operation.h"

SPOTIFY_BEGIN_DECLS

/*
 * An async context: opaque. Created by spotify_async_new() (Owned: free with
 * spotify_async_free()); used only on the thread that drives it, except
 * spotify_async_wakeup().
 */
typedef struct spotify_async spotify_async;

/* Identifies a submitted request for spotify_async_cancel(); never 0. */
typedef uint64_t spotify_async_id;

/*
 * A completion callback. On success `status` is SPOTIFY_OK and `result` the
 * operation's typed result (Owned by the callback: free it with its type's
 * _free() or spotify_model_free(); NULL for operations without a body), and
 * `err` is NULL. On failure `result` is NULL and `err` (borrowed for the
 * duration of the call) says why. The typed operations have typed
 * callbacks of the same shape (spotify_albums_get_callback...).
 */
typedef void (*spotify_async_callback)(spotify_status status, void *result,
                                       const spotify_error *err, void *user);

/* Interest in a descriptor, for event-loop integration. */
typedef enum spotify_async_events {
    SPOTIFY_ASYNC_NONE = 0, /* stop watching the descriptor */
    SPOTIFY_ASYNC_IN = 1,   /* readable */
    SPOTIFY_ASYNC_OUT = 2,  /* writable */
    SPOTIFY_ASYNC_INOUT = 3 /* both */
} spotify_async_events;

/*
 * Event-loop integration. watch: start, change or (SPOTIFY_ASYNC_NONE) stop
 * watching `fd` for `events`. timer: (re)arm the loop's one timer for the
 * context to fire once after `timeout_ms` (0: as soon as possible), or
 * disarm it (-1). Both run on the loop thread, from inside the context's
 * functions; they must not call back into the context.
 */
typedef struct spotify_async_loop {
    void (*watch)(void *user, int fd, spotify_async_events events); /* required */
    void (*timer)(void *user, int64_t timeout_ms);                  /* required */
    void *user;                                                     /* passed to both */
} spotify_async_loop;

/*
 * Options of an async context. Declare with SPOTIFY_ASYNC_OPTIONS_INIT and
 * set what you need.
 */
typedef struct spotify_async_options {
    /* SPOTIFY_ASYNC_OPTIONS_VERSION (the INIT macro sets it). */
    unsigned int version;
    /* Transfers in flight at most; more requests queue in submission order.
     * 0 (or negative): the default, 64. */
    int max_in_flight;
    /* Event-loop integration; NULL: self-driven (spotify_async_run). The
     * struct is copied. */
    const spotify_async_loop *loop;
    /* Called on the loop thread after spotify_async_wakeup() from any thread
     * (for example to pick up work queued by other threads); may be NULL.
     * It may submit requests. */
    void (*on_wakeup)(void *user);
    /* Passed to on_wakeup. */
    void *on_wakeup_user;
} spotify_async_options;

/* The version of spotify_async_options this header describes. */
#define SPOTIFY_ASYNC_OPTIONS_VERSION 1
/* The defaults of spotify_async_options (zero everywhere but the version):
 * 64 in flight, self-driven. */
#define SPOTIFY_ASYNC_OPTIONS_INIT                                                                 \
    {                                                                                              \
        SPOTIFY_ASYNC_OPTIONS_VERSION, 0, NULL, NULL, NULL                                         \
    }

/*
 * Creates a context bound to `client` (borrowed: it must outlive the
 * context). `opts` may be NULL. *out is Owned: free with spotify_async_free().
 * With a loop, the context's wake-up descriptor is registered through
 * loop->watch before this returns.
 */
SPOTIFY_API spotify_status spotify_async_new(spotify_async **out, spotify_client *client,
                                             const spotify_async_options *opts, spotify_error *err);

/*
 * Cancels every pending request (each callback runs once with
 * SPOTIFY_ECANCELLED; requests they submit are refused), stops watching
 * every descriptor and frees the context. NULL is accepted.
 *
 * May be called from inside one of the context's own callbacks (as
 * hiredis' redisAsyncFree and libuv's uv_close may): the context is then
 * marked closing, nothing else completes normally, and the free finishes
 * when the outermost entry point (spotify_async_run, spotify_async_on_socket,
 * spotify_async_on_timer, a submit or spotify_async_cancel) returns; every
 * request still pending gets its callback exactly once, with
 * SPOTIFY_ECANCELLED. After spotify_async_free the caller must not pass the
 * context to any function again, including the entry point it is inside.
 */
SPOTIFY_API void spotify_async_free(spotify_async *async);

/*
 * Self-driven mode: waits up to `timeout_ms` (0: do not wait; < 0: until
 * something completes or a wake-up) for network activity and timers, makes
 * progress and runs the callbacks that are due. Returns after the first
 * batch of completions, a wake-up or the timeout: SPOTIFY_OK in every case
 * (see spotify_async_pending). A call also looks, without waiting, at the
 * descriptors of the context's extension sources (spotify/sys/async.h: a
 * Redis token cache's connections; at most once a millisecond), so a
 * context run often, or with nothing pending, still serves them.
 * SPOTIFY_EINVALID in event-loop mode.
 */
SPOTIFY_API spotify_status spotify_async_run(spotify_async *async, int64_t timeout_ms,
                                             spotify_error *err);

/* Requests submitted whose callbacks have not run yet. */
SPOTIFY_API size_t spotify_async_pending(const spotify_async *async);

/* Event-loop mode: `fd` (watched through loop->watch) is ready for `events`.
 * Makes progress and runs the callbacks that are due. */
SPOTIFY_API spotify_status spotify_async_on_socket(spotify_async *async, int fd,
                                                   spotify_async_events events, spotify_error *err);

/* Event-loop mode: the timer armed through loop->timer fired. */
SPOTIFY_API spotify_status spotify_async_on_timer(spotify_async *async, spotify_error *err);

/*
 * Wakes the thread driving the context: spotify_async_run returns early, or
 * the loop sees the wake-up descriptor ready; then on_wakeup runs on that
 * thread. Thread-safe and async-signal-safe: the one function any thread may
 * call. SPOTIFY_EIO when the wake-up could not be posted.
 */
SPOTIFY_API spotify_status spotify_async_wakeup(spotify_async *async);

/*
 * The descriptor the context watches for wake-ups (an eventfd; with a loop
 * it is registered through loop->watch like the others). Loops that run
 * until no watcher is active should not count it (libuv: uv_unref), or
 * they would never return.
 */
SPOTIFY_API int spotify_async_wakeup_fd(const spotify_async *async);

/*
 * Cancels request `id`: its transfer stops and its callback runs before this
 * returns, with SPOTIFY_ECANCELLED. SPOTIFY_ENOTFOUND when `id` is unknown
 * or its callback has already run (or is running).
 */
SPOTIFY_API spotify_status spotify_async_cancel(spotify_async *async, spotify_async_id id);

/*
 * Submits a raw request (as spotify_client_send). The callback's result is
 * a spotify_response * (Owned: free with spotify_response_free()). `id_out`
 * may be NULL. SPOTIFY_EINVALID for a bad request (no callback then).
 */
SPOTIFY_API spotify_status spotify_async_send(spotify_async *async, const spotify_request *request,
                                              spotify_async_callback callback, void *user,
                                              spotify_async_id *id_out, spotify_error *err);

/*
 * Submits operation `op` with `args` (as spotify_operation_call: validated
 * now, SPOTIFY_EINVALID and no callback on a violation). The callback's
 * result is the operation's typed result. `id_out` may be NULL.
 */
SPOTIFY_API spotify_status spotify_operation_call_async(
    spotify_async *async, const spotify_operation *op, const void *args,
    spotify_async_callback callback, void *user, spotify_async_id *id_out, spotify_error *err);

/* ------------------------------------------------------------------------ */
/* Token operations on the context's provider                               */
/* ------------------------------------------------------------------------ */

/*
 * The callback of the async token operations. `token` is the provider's
 * token record (access token, expiry, refresh token, scope, client id,
 * flow; for static and custom providers the access token and flow only),
 * Borrowed: valid during the callback only (copy it with
 * spotify_token_copy to keep it). NULL on failure, when `err` says why.
 * Runs on the thread driving the context, exactly once.
 */
typedef void (*spotify_auth_token_callback)(spotify_status status, const spotify_token *token,
                                            const spotify_error *err, void *user);

/*
 * The token of the context's provider (the auth of the client the context
 * was made for), as spotify_auth_token_get does, without blocking the loop:
 * the current token when it is valid, else one fetch shared with every
 * caller (the context's own requests, other contexts, blocking threads
 * and, through the cache's lock, other processes). `force_refresh`: a new
 * token whatever the cache holds (spotify_auth_refresh). The request is
 * cancellable with spotify_async_cancel(*id_out) (callback with
 * SPOTIFY_ECANCELLED). On a submit failure (NULL context or callback, a
 * context being freed, a static provider asked to refresh: SPOTIFY_EAUTH)
 * the callback never runs. A custom provider's get_token runs on the loop
 * (it must not block for long).
 */
SPOTIFY_API spotify_status spotify_auth_token_async(spotify_async *async, bool force_refresh,
                                                    spotify_auth_token_callback callback,
                                                    void *user, spotify_async_id *id_out,
                                                    spotify_error *err);

/* spotify_auth_token_async with force_refresh: the async spotify_auth_refresh. */
SPOTIFY_API spotify_status spotify_auth_refresh_async(spotify_async *async,
                                                      spotify_auth_token_callback callback,
                                                      void *user, spotify_async_id *id_out,
                                                      spotify_error *err);

/*
 * Exchanges an authorization code (from spotify_auth_callback_parse) on the
 * context's provider, as spotify_auth_exchange does, without blocking
 * the loop: the token request runs as one of the context's transfers (with
 * the provider's retry policy), then the token is stored in the provider's
 * cache and becomes current (the PKCE verifier is spent) and the callback
 * gets it. `code` is copied. Authorization-code and PKCE providers only
 * (else SPOTIFY_EINVALID, no callback). Cancellable like every request.
 */
SPOTIFY_API spotify_status spotify_auth_exchange_code_async(spotify_async *async, const char *code,
                                                            spotify_auth_token_callback callback,
                                                            void *user, spotify_async_id *id_out,
                                                            spotify_error *err);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_ASYNC_H */
