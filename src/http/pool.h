/* SPDX-License-Identifier: Apache-2.0 */
/*
 * http/pool.h - spotify_http_pool, the public face of a transport, and the
 * "borrowed or owned" pool every client and provider holds.
 *
 * Threads: thread-safe (see transport.h).
 */
#ifndef SPOTIFY_HTTP_POOL_H
#define SPOTIFY_HTTP_POOL_H

#include <spotify/http.h>

#include "transport.h"

struct spotify_http_pool {
    spotify__transport *transport;
};

/* A pool reference: either borrowed from the caller or owned. */
typedef struct spotify__pool_ref {
    spotify_http_pool *pool;
    bool owned;
} spotify__pool_ref;

/* Borrows `shared` when it is not NULL, else creates an owned pool with
 * `user_agent` and `ca_file`. */
spotify_status spotify__pool_ref_init(spotify__pool_ref *ref, spotify_http_pool *shared,
                                      const char *user_agent, const char *ca_file,
                                      spotify_error *err);
/* Frees the pool when owned. */
void spotify__pool_ref_release(spotify__pool_ref *ref);

#endif
