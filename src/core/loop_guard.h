/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/loop_guard.h - knows whether the current thread is running an async
 * completion callback (the event-loop thread of the async API), so blocking
 * helpers that would deadlock there can refuse to run.
 *
 * The async driver sets the flag around each completion callback it runs;
 * blocking helpers (spotify_authorize_local) check it.
 *
 * Threads: the flag is thread-local; each thread sees only its own.
 */
#ifndef SPOTIFY_CORE_LOOP_GUARD_H
#define SPOTIFY_CORE_LOOP_GUARD_H

#include <stdbool.h>

/* True while this thread runs a completion callback of the async API. */
extern _Thread_local bool spotify__in_async_callback;

#endif
