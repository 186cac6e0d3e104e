/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/sys/async.h - the plumbing under the typed async operations, for
 * the generated spotify/gen/api_async.h, language bindings and extensions
 * (libgit2's sys/ convention: interfaces programs never call directly).
 * A program submits typed requests with the spotify_<op>_async functions or
 * spotify_operation_call_async (spotify/async.h) instead.
 *
 * Threads: as spotify/async.h (one context per thread).
 */
#ifndef SPOTIFY_SYS_ASYNC_H
#define SPOTIFY_SYS_ASYNC_H

#include "../async.h"

SPOTIFY_BEGIN_DECLS

/*
 * How the typed async forms (spotify/gen/api_async.h) reach their typed
 * callbacks: `deliver` calls `callback`, cast back to its real type, with the
 * result cast to the operation's result type. spotify_async_submit is
 * spotify_operation_call_async with such a thunk; the generated forms are
 * the intended callers.
 */
typedef void (*spotify_async_deliver_fn)(void (*callback)(void), spotify_status status,
                                         void *result, const spotify_error *err, void *user);

/*
 * Submits operation `op` with `args` like spotify_operation_call_async, but
 * with a callback of any type: on completion `deliver` is called with
 * `callback`, the status, the result (Owned by the callback), the error and
 * `user`. Same validation, completion rules and `id_out` as
 * spotify_operation_call_async. For the generated typed forms.
 */
SPOTIFY_API spotify_status spotify_async_submit(spotify_async *async, const spotify_operation *op,
                                                const void *args, void (*callback)(void),
                                                spotify_async_deliver_fn deliver, void *user,
                                                spotify_async_id *id_out, spotify_error *err);

/*
 * An operation's successful answer, received but not decoded yet
 * (spotify_async_submit_deferred). Opaque; Owned by whoever holds it until
 * spotify_answer_decode or spotify_answer_free.
 */
typedef struct spotify_answer spotify_answer;

/*
 * Submits operation `op` with `args` like spotify_operation_call_async
 * (same validation, retries, completion rules and `id_out`), but a
 * successful callback's result is the undecoded spotify_answer * (Owned)
 * instead of the typed result: the caller decodes it when it suits it,
 * with spotify_answer_decode. A binding whose event loop wakes the waiting
 * code only after every callback of a batch has run (asyncio) decodes in
 * the waiting code instead, so each request's decode runs next to the
 * code that sends its next request (see docs/async.md). Failures are
 * delivered as with spotify_operation_call_async (result NULL, `err`).
 */
SPOTIFY_API spotify_status spotify_async_submit_deferred(
    spotify_async *async, const spotify_operation *op, const void *args,
    spotify_async_callback callback, void *user, spotify_async_id *id_out, spotify_error *err);

/*
 * Decodes `answer` into its operation's typed result, exactly as the
 * decoded form would have delivered it: *out Owned (spotify_model_free),
 * or NULL for an answer without a body (204, an empty 200 of a write). On
 * failure (SPOTIFY_EPROTOCOL naming the member for a malformed answer,
 * SPOTIFY_ENOMEM) *out is NULL and `err` says why. The answer is consumed
 * in every case (do not free it after); EINVALID without an answer or out.
 * Any thread, one call per answer.
 */
SPOTIFY_API spotify_status spotify_answer_decode(void **out, spotify_answer *answer,
                                                 spotify_error *err);

/* Frees an answer that will not be decoded. NULL is accepted. */
SPOTIFY_API void spotify_answer_free(spotify_answer *answer);

/* The thunk for untyped callbacks (spotify_async_callback). */
static inline void spotify_async_deliver_untyped(void (*callback)(void), spotify_status status,
                                                 void *result, const spotify_error *err, void *user)
{
    ((spotify_async_callback)callback)(status, result, err, user);
}

/*
 * Extensions on a context's loop (spotify-sdk-redis runs its Redis commands
 * this way): a source is one descriptor and/or one timeout that a context
 * waits for besides its own transfers, in every mode (self-driven, the host
 * loop's watch/timer callbacks, the libuv adapter). Its `ready` callback
 * runs on the context's thread, from the context's entry points, with
 * `events` the descriptor became ready for (SPOTIFY_ASYNC_IN and/or
 * SPOTIFY_ASYNC_OUT; errors and hang-ups count as what it waits for), or
 * SPOTIFY_ASYNC_NONE when its timeout came (a timeout fires once; set it
 * again for another). `ready` may call spotify_async_source_watch, _timeout and
 * spotify_async_source_free on its own source.
 *
 * `closed` runs when the context is freed while the source exists: the
 * owner must forget the source, which the SDK frees after `closed` returns
 * (do not free it yourself then). `user` is passed to both.
 *
 * Threads: a source belongs to its context's thread.
 */
typedef struct spotify_async_source spotify_async_source;

/* A source's readiness callback (see above). */
typedef void (*spotify_async_source_fn)(void *user, spotify_async_events events);

/* Adds a source (watching nothing yet) to `async`. *out is Owned: free with
 * spotify_async_source_free (unless `closed` ran). EINVALID without async,
 * ready or closed. */
SPOTIFY_API spotify_status spotify_async_source_new(spotify_async_source **out,
                                                    spotify_async *async,
                                                    spotify_async_source_fn ready,
                                                    void (*closed)(void *user), void *user,
                                                    spotify_error *err);

/* Watches `fd` (-1: none) for `events` (SPOTIFY_ASYNC_NONE: nothing),
 * replacing what the source watched before. NULL: no-op. */
SPOTIFY_API void spotify_async_source_watch(spotify_async_source *source, int fd,
                                            spotify_async_events events);

/* Arms the source's timeout to fire `timeout_ms` from now on the client's
 * clock (< 0: disarms it). NULL: no-op. */
SPOTIFY_API void spotify_async_source_timeout(spotify_async_source *source, int64_t timeout_ms);

/* Stops watching and frees the source. NULL: no-op. */
SPOTIFY_API void spotify_async_source_free(spotify_async_source *source);

/* The context whose entry point (spotify_async_run, _on_socket, _on_timer,
 * a submit) is running on this thread, including inside its callbacks and
 * the token cache and cooldown store hooks it calls; NULL on a thread
 * outside any. Borrowed. Lets a shared extension object (a token cache, a
 * cooldown store) take the non-blocking path when a loop calls it. */
SPOTIFY_API spotify_async *spotify_async_current(void);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_SYS_ASYNC_H */
