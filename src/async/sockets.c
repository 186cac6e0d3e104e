/* SPDX-License-Identifier: Apache-2.0 */
/*
 * async/sockets.c - libcurl's descriptors on a host loop (contexts made
 * with a spotify_async_loop).
 *
 * libcurl asks for a descriptor to be watched while a transfer uses it and
 * unwatched (CURL_POLL_REMOVE) when the transfer ends, even when the
 * connection stays open for the next request. Passed on literally, every
 * request on a kept connection costs the host loop an unwatch and a watch
 * (in asyncio: remove_reader + add_reader, two epoll_ctl calls and their
 * handles). Instead, a connection socket that libcurl stops using stays
 * watched for input while it sits idle:
 *
 *  - the next request on it usually wants input only, which is already
 *    watched: nothing to tell the loop;
 *  - if it turns readable while idle (the server closed it), the watch is
 *    dropped then, and libcurl finds the connection dead when it next
 *    looks (it checks before reusing one);
 *  - when libcurl closes it (CURLOPT_CLOSESOCKETFUNCTION), the watch is
 *    dropped before the descriptor is closed, so a descriptor number the
 *    kernel hands out again never inherits a stale registration.
 *
 * Only sockets libcurl created for connections (CURLOPT_SOCKOPTFUNCTION
 * names them) are kept; any other descriptor libcurl reports (a resolver's
 * pipe, closed without the close callback) is unwatched exactly when
 * libcurl says, as before.
 */
#include <unistd.h>

#include "../core/alloc.h"
#include "async_internal.h"

/* One byte per descriptor number: the events watched on the host loop
 * (spotify_async_events, low two bits) and these flags. */
enum {
    SOCKET_WATCHED_MASK = SPOTIFY_ASYNC_INOUT,
    SOCKET_CONNECTION = 1 << 2, /* libcurl made it for a connection */
    SOCKET_IN_USE = 1 << 3,     /* libcurl wants events on it now */
};

/* The state of `fd`, grown to hold it when `grow`; NULL when out of range
 * or memory (the caller then passes libcurl's wishes on literally). */
static uint8_t *socket_state(spotify_async *async, int fd, bool grow)
{
    if (fd < 0)
        return NULL;
    size_t index = (size_t)fd;
    if (index < async->socket_state_count)
        return &async->socket_states[index];
    if (!grow)
        return NULL;
    size_t count = async->socket_state_count > 0 ? async->socket_state_count : 64;
    while (count <= index)
        count *= 2;
    uint8_t *grown = spotify__realloc(async->socket_states, count);
    if (grown == NULL)
        return NULL;
    for (size_t i = async->socket_state_count; i < count; i++)
        grown[i] = 0;
    async->socket_states = grown;
    async->socket_state_count = count;
    return &grown[index];
}

static void socket_watch(spotify_async *async, int fd, uint8_t *state, spotify_async_events events)
{
    if ((*state & SOCKET_WATCHED_MASK) == events)
        return;
    async->loop.watch(async->loop.user, fd, events);
    *state = (uint8_t)((*state & ~SOCKET_WATCHED_MASK) | events);
}

int spotify__async_curl_socket(CURL *easy, curl_socket_t fd, int what, void *user,
                               void *socket_user)
{
    (void)easy;
    (void)socket_user;
    spotify_async *async = user;
    spotify_async_events events = what == CURL_POLL_IN      ? SPOTIFY_ASYNC_IN
                                  : what == CURL_POLL_OUT   ? SPOTIFY_ASYNC_OUT
                                  : what == CURL_POLL_INOUT ? SPOTIFY_ASYNC_INOUT
                                                            : SPOTIFY_ASYNC_NONE;
    uint8_t *state = socket_state(async, (int)fd, true);
    if (state == NULL) {
        async->loop.watch(async->loop.user, (int)fd, events);
        return 0;
    }
    if (what != CURL_POLL_REMOVE) {
        *state |= SOCKET_IN_USE;
        socket_watch(async, (int)fd, state, events);
        return 0;
    }
    *state &= (uint8_t)~SOCKET_IN_USE;
    /* An idle connection keeps (only) its input watch; anything else is
     * unwatched now. */
    bool keep =
        (*state & SOCKET_CONNECTION) && (*state & SOCKET_WATCHED_MASK) != 0 && !async->closing;
    socket_watch(async, (int)fd, state, keep ? SPOTIFY_ASYNC_IN : SPOTIFY_ASYNC_NONE);
    return 0;
}

bool spotify__async_socket_idle_event(spotify_async *async, int fd)
{
    uint8_t *state = socket_state(async, fd, false);
    if (state == NULL || (*state & SOCKET_IN_USE) || (*state & SOCKET_WATCHED_MASK) == 0)
        return false;
    socket_watch(async, fd, state, SPOTIFY_ASYNC_NONE);
    return true;
}

static int on_socket_made(void *user, curl_socket_t fd, curlsocktype purpose)
{
    spotify_async *async = user;
    uint8_t *state = socket_state(async, (int)fd, true);
    if (state != NULL) {
        /* A new descriptor starts unwatched (a watch left on its number
         * would be stale). */
        socket_watch(async, (int)fd, state, SPOTIFY_ASYNC_NONE);
        *state = purpose == CURLSOCKTYPE_IPCXN ? SOCKET_CONNECTION : 0;
    }
    return CURL_SOCKOPT_OK;
}

static int on_socket_close(void *user, curl_socket_t fd)
{
    spotify_async *async = user;
    uint8_t *state = socket_state(async, (int)fd, false);
    if (state != NULL) {
        socket_watch(async, (int)fd, state, SPOTIFY_ASYNC_NONE);
        *state = 0;
    }
    return close((int)fd);
}

bool spotify__async_sockets_adopt(spotify_async *async, CURL *easy)
{
    if (!async->has_loop)
        return true;
    return curl_easy_setopt(easy, CURLOPT_SOCKOPTFUNCTION, on_socket_made) == CURLE_OK &&
           curl_easy_setopt(easy, CURLOPT_SOCKOPTDATA, async) == CURLE_OK &&
           curl_easy_setopt(easy, CURLOPT_CLOSESOCKETFUNCTION, on_socket_close) == CURLE_OK &&
           curl_easy_setopt(easy, CURLOPT_CLOSESOCKETDATA, async) == CURLE_OK;
}

void spotify__async_sockets_free(spotify_async *async)
{
    spotify__free(async->socket_states);
    async->socket_states = NULL;
    async->socket_state_count = 0;
}
