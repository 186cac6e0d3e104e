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

/* The thunk for untyped callbacks (spotify_async_callback). */
static inline void spotify_async_deliver_untyped(void (*callback)(void), spotify_status status,
                                                 void *result, const spotify_error *err, void *user)
{
    ((spotify_async_callback)callback)(status, result, err, user);
}

SPOTIFY_END_DECLS

#endif /* SPOTIFY_SYS_ASYNC_H */
