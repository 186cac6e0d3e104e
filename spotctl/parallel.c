/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/parallel.c - the one place that decides how `--parallel N` runs:
 * N requests on the SDK's async engine, at most P in flight, results
 * delivered in input order on the calling thread as soon as each one and
 * all before it are done.
 *
 * One async context (spotify/async.h) on the calling thread, self-driven
 * with spotify_async_run(), max_in_flight = P. Requests are submitted
 * lazily: request i only after request i - window was delivered, so at most
 * `window` results (a ring of slots) and queued requests exist however many
 * IDs there are. Ctrl-C: the SIGINT handler calls spotctl_parallel_wake()
 * (spotify_async_wakeup, async-signal-safe), the loop sees the flag and
 * frees the context, which cancels every request in flight at once.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

size_t spotctl_parallel_window(int parallel)
{
    return parallel <= 1 ? 1 : (size_t)parallel * 4;
}

/* The context a signal handler may wake, and how many handlers are inside
 * spotify_async_wakeup() right now (the context is freed only at zero). */
static _Atomic(spotify_async *) wake_target;
static atomic_int wakers;

void spotctl_parallel_wake(void)
{
    atomic_fetch_add(&wakers, 1);
    spotify_async *async = atomic_load(&wake_target);
    if (async != NULL)
        spotify_async_wakeup(async);
    atomic_fetch_sub(&wakers, 1);
}

typedef struct slot {
    bool done;
    spotify_status status;
    void *result; /* Owned until delivered or discarded */
    spotify_error err;
} slot;

static void on_done(spotify_status status, void *result, const spotify_error *err, void *user)
{
    slot *s = user;
    s->done = true;
    s->status = status;
    s->result = result;
    if (err != NULL)
        s->err = *err;
}

int spotctl_parallel_run(spotify_client *client, size_t n, int parallel, spotctl_submit_fn submit,
                         spotctl_deliver_fn deliver, spotctl_discard_fn discard, void *user,
                         volatile sig_atomic_t *cancel)
{
    if (n == 0)
        return 0;
    size_t window = spotctl_parallel_window(parallel);
    if (window > n)
        window = n;
    slot *slots = calloc(window, sizeof *slots);
    if (slots == NULL)
        return spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    spotify_async_options o = SPOTIFY_ASYNC_OPTIONS_INIT;
    o.max_in_flight = parallel < 1 ? 1 : parallel;
    spotify_async *async = NULL;
    spotify_error err = {0};
    if (spotify_async_new(&async, client, &o, &err) != SPOTIFY_OK) {
        free(slots);
        return spotctl_fail(err.status, &err, NULL);
    }
    atomic_store(&wake_target, async);

    size_t submitted = 0, delivered = 0;
    int rc = 0;
    while (rc == 0 && delivered < n) {
        if (cancel != NULL && *cancel) {
            rc = SPOTCTL_EXIT_INTERRUPTED;
            break;
        }
        for (; submitted < n && submitted < delivered + window; submitted++) {
            slot *s = &slots[submitted % window];
            memset(s, 0, sizeof *s);
            spotify_status st = submit(async, submitted, user, on_done, s, &s->err);
            if (st != SPOTIFY_OK) { /* refused before sending: no callback */
                s->done = true;
                s->status = st;
            }
        }
        slot *s = &slots[delivered % window];
        if (!s->done) {
            spotify_async_run(async, -1, &err);
            continue;
        }
        void *result = s->result;
        s->result = NULL;
        rc = deliver(delivered, s->status, result, s->status == SPOTIFY_OK ? NULL : &s->err, user);
        delivered++;
    }

    atomic_store(&wake_target, NULL);
    while (atomic_load(&wakers) != 0)
        ;                      /* a signal handler on another thread is finishing its wake-up */
    spotify_async_free(async); /* what is still pending ends as ECANCELLED */
    for (size_t i = delivered; i < submitted; i++) {
        slot *s = &slots[i % window];
        if (s->result != NULL && discard != NULL)
            discard(s->result);
    }
    free(slots);
    return rc;
}
