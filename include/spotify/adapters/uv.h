/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/adapters/uv.h - runs an async context (spotify/async.h) on a
 * libuv loop. Header-only, like hiredis' adapters: include it after
 * <uv.h> in a program that links libuv; libspotify-sdk itself does not
 * depend on libuv.
 *
 *   uv_loop_t *loop = uv_default_loop();
 *   spotify_async_uv *adapter = NULL;
 *   spotify_async_uv_new(&adapter, loop, client, NULL, &err);
 *   spotify_albums_get_async(spotify_async_uv_context(adapter), &a, cb, user, NULL, &err);
 *   uv_run(loop, UV_RUN_DEFAULT);   (returns once nothing is pending)
 *   spotify_async_uv_free(adapter); (then let the loop run once more:
 *   uv_run(loop, UV_RUN_DEFAULT);    the handles close asynchronously)
 *
 * The adapter keeps one uv_poll_t per descriptor the context watches and
 * one uv_timer_t; the wake-up descriptor's watcher is unreferenced, so
 * uv_run(UV_RUN_DEFAULT) returns once no transfer, timer or connection
 * needs watching.
 *
 * Ownership: the adapter owns the context; spotify_async_uv_free() frees
 * both (pending callbacks run with SPOTIFY_ECANCELLED) and closes the
 * handles, whose memory is released by the loop's close callbacks.
 *
 * Threads: the loop's thread only, except spotify_async_wakeup() on the
 * context.
 */
#ifndef SPOTIFY_ADAPTERS_UV_H
#define SPOTIFY_ADAPTERS_UV_H

#include <stdlib.h>
#include <string.h>

#include <spotify/async.h>
#include <uv.h>

/* One watched descriptor of an adapter (internal to the adapter). */
typedef struct spotify_async_uv_watch {
    uv_poll_t poll;                      /* first: the handle's address is the watch's */
    int fd;                              /* the descriptor the context asked to watch */
    struct spotify_async_uv *adapter;    /* the adapter it belongs to */
    struct spotify_async_uv_watch *next; /* the adapter's next watch */
} spotify_async_uv_watch;

/*
 * The adapter: a context and the libuv handles that drive it. Create it with
 * spotify_async_uv_new() and free it with spotify_async_uv_free(); its
 * members are the adapter's own.
 */
typedef struct spotify_async_uv {
    uv_loop_t *loop;                 /* the loop (borrowed) */
    uv_timer_t timer;                /* its data is the adapter */
    spotify_async *async;            /* the context (owned) */
    spotify_async_uv_watch *watches; /* every descriptor watched, as a list */
    int open_handles;                /* the timer and every watch not yet closed */
} spotify_async_uv;

static inline void spotify__uv_release(uv_handle_t *handle)
{
    spotify_async_uv *adapter = (spotify_async_uv *)handle->data;
    if (handle->type == UV_POLL)
        free(handle); /* the watch: poll is its first member */
    if (--adapter->open_handles == 0)
        free(adapter);
}

static inline void spotify__uv_on_poll(uv_poll_t *poll, int status, int events)
{
    spotify_async_uv_watch *watch = (spotify_async_uv_watch *)poll;
    int ready = status < 0 ? SPOTIFY_ASYNC_INOUT
                           : ((events & UV_READABLE) ? SPOTIFY_ASYNC_IN : 0) |
                                 ((events & UV_WRITABLE) ? SPOTIFY_ASYNC_OUT : 0);
    spotify_async_on_socket(watch->adapter->async, watch->fd, (spotify_async_events)ready, NULL);
}

static inline void spotify__uv_on_timer(uv_timer_t *timer)
{
    spotify_async_uv *adapter = (spotify_async_uv *)timer->data;
    spotify_async_on_timer(adapter->async, NULL);
}

static inline void spotify__uv_unwatch(spotify_async_uv_watch **link)
{
    spotify_async_uv_watch *watch = *link;
    *link = watch->next;
    uv_poll_stop(&watch->poll);
    uv_close((uv_handle_t *)&watch->poll, spotify__uv_release);
}

static inline void spotify__uv_watch(void *user, int fd, spotify_async_events events)
{
    spotify_async_uv *adapter = (spotify_async_uv *)user;
    spotify_async_uv_watch **link = &adapter->watches;
    while (*link != NULL && (*link)->fd != fd)
        link = &(*link)->next;
    if (events == SPOTIFY_ASYNC_NONE) {
        if (*link != NULL)
            spotify__uv_unwatch(link);
        return;
    }
    spotify_async_uv_watch *watch = *link;
    if (watch == NULL) {
        watch = (spotify_async_uv_watch *)calloc(1, sizeof *watch);
        if (watch == NULL || uv_poll_init_socket(adapter->loop, &watch->poll, fd) != 0) {
            free(watch);
            return; /* the transfer times out and fails with a transport error */
        }
        watch->fd = fd;
        watch->adapter = adapter;
        watch->poll.data = adapter;
        watch->next = adapter->watches;
        adapter->watches = watch;
        adapter->open_handles++;
    }
    int uv_events = ((events & SPOTIFY_ASYNC_IN) ? UV_READABLE : 0) |
                    ((events & SPOTIFY_ASYNC_OUT) ? UV_WRITABLE : 0);
    uv_poll_start(&watch->poll, uv_events, spotify__uv_on_poll);
}

static inline void spotify__uv_timer(void *user, int64_t timeout_ms)
{
    spotify_async_uv *adapter = (spotify_async_uv *)user;
    if (timeout_ms < 0)
        uv_timer_stop(&adapter->timer);
    else
        uv_timer_start(&adapter->timer, spotify__uv_on_timer, (uint64_t)timeout_ms, 0);
}

/*
 * Creates a context for `client` driven by `loop`. `opts` may be NULL; its
 * `loop` member is ignored (the adapter supplies it). *out is Owned: free
 * with spotify_async_uv_free().
 */
static inline spotify_status spotify_async_uv_new(spotify_async_uv **out, uv_loop_t *loop,
                                                  spotify_client *client,
                                                  const spotify_async_options *opts,
                                                  spotify_error *err)
{
    if (out == NULL || loop == NULL)
        return SPOTIFY_EINVALID;
    *out = NULL;
    spotify_async_uv *adapter = (spotify_async_uv *)calloc(1, sizeof *adapter);
    if (adapter == NULL)
        return SPOTIFY_ENOMEM;
    adapter->loop = loop;
    uv_timer_init(loop, &adapter->timer);
    adapter->timer.data = adapter;
    adapter->open_handles = 1;
    spotify_async_options options = SPOTIFY_ASYNC_OPTIONS_INIT;
    if (opts != NULL)
        options = *opts;
    spotify_async_loop hooks;
    hooks.watch = spotify__uv_watch;
    hooks.timer = spotify__uv_timer;
    hooks.user = adapter;
    options.loop = &hooks;
    spotify_status st = spotify_async_new(&adapter->async, client, &options, err);
    if (st != SPOTIFY_OK) {
        uv_close((uv_handle_t *)&adapter->timer, spotify__uv_release);
        return st;
    }
    /* The wake-up descriptor alone must not keep uv_run going. */
    for (spotify_async_uv_watch *w = adapter->watches; w != NULL; w = w->next)
        if (w->fd == spotify_async_wakeup_fd(adapter->async))
            uv_unref((uv_handle_t *)&w->poll);
    *out = adapter;
    return SPOTIFY_OK;
}

/* The adapter's context (Borrowed), for the submit functions. */
static inline spotify_async *spotify_async_uv_context(spotify_async_uv *adapter)
{
    return adapter != NULL ? adapter->async : NULL;
}

/* Frees the context (pending callbacks run with SPOTIFY_ECANCELLED) and
 * closes the adapter's handles; run the loop afterwards to release them.
 * NULL is accepted. */
static inline void spotify_async_uv_free(spotify_async_uv *adapter)
{
    if (adapter == NULL)
        return;
    spotify_async_free(adapter->async); /* unwatches everything through the hooks */
    adapter->async = NULL;
    while (adapter->watches != NULL)
        spotify__uv_unwatch(&adapter->watches);
    uv_timer_stop(&adapter->timer);
    uv_close((uv_handle_t *)&adapter->timer, spotify__uv_release);
}

#endif /* SPOTIFY_ADAPTERS_UV_H */
