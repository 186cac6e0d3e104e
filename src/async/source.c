/* SPDX-License-Identifier: Apache-2.0 */
/*
 * async/source.c - spotify_async_source (spotify/sys/async.h): an
 * extension's descriptor and timeout on a context's loop, as one of the
 * context's sources (async_internal.h).
 */
#include <spotify/sys/async.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "async_internal.h"

struct spotify_async_source {
    spotify__async_source source; /* first: the context's view */
    spotify_async *async;
    spotify_async_source_fn ready;
    void (*closed)(void *user);
    void *user;
};

static void source_ready(spotify__async_source *source)
{
    spotify_async_source *s = (spotify_async_source *)(void *)source;
    if (source->fired == SPOTIFY_ASYNC_NONE)
        source->due_ms = -1; /* the timeout fires once */
    s->ready(s->user, source->fired);
}

static void source_cancel(spotify__async_source *source)
{
    spotify_async_source *s = (spotify_async_source *)(void *)source;
    spotify__async_source_remove(s->async, source);
    s->closed(s->user);
    spotify__free(s);
}

spotify_status spotify_async_source_new(spotify_async_source **out, spotify_async *async,
                                        spotify_async_source_fn ready, void (*closed)(void *user),
                                        void *user, spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_async_source_new: out is NULL");
    *out = NULL;
    if (async == NULL || ready == NULL || closed == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_async_source_new: needs a context, ready and closed");
    if (async->closing)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_async_source_new: the context is being freed");
    spotify_async_source *s = spotify__calloc(1, sizeof *s);
    if (s == NULL)
        return spotify__error_oom(err);
    s->source.fd = -1;
    s->source.due_ms = -1;
    s->source.ready = source_ready;
    s->source.cancel = source_cancel;
    s->async = async;
    s->ready = ready;
    s->closed = closed;
    s->user = user;
    spotify__async_source_add(async, &s->source);
    *out = s;
    return SPOTIFY_OK;
}

void spotify_async_source_watch(spotify_async_source *source, int fd, spotify_async_events events)
{
    if (source == NULL)
        return;
    source->source.fd = events != SPOTIFY_ASYNC_NONE ? fd : -1;
    source->source.events = events;
    spotify__async_source_update(source->async, &source->source);
}

void spotify_async_source_timeout(spotify_async_source *source, int64_t timeout_ms)
{
    if (source == NULL)
        return;
    source->source.due_ms = timeout_ms >= 0 ? spotify__async_now(source->async) + timeout_ms : -1;
    spotify__async_source_update(source->async, &source->source);
}

void spotify_async_source_free(spotify_async_source *source)
{
    if (source == NULL)
        return;
    spotify__async_source_remove(source->async, &source->source);
    spotify__free(source);
}
