/* SPDX-License-Identifier: Apache-2.0 */
/*
 * redis/redis_resolve.c - a host name's address for a connection on a
 * loop, looked up (getaddrinfo) on a thread of its own so the loop thread
 * never waits for DNS; the answer is signalled on an eventfd the loop
 * watches like any descriptor.
 *
 * Lifetime: the request is shared by the loop and the thread (two
 * references). The loop may drop it before the answer (its connection
 * goes, or the lookup ran past timeout_ms): whichever of the two lets go
 * last frees it, so a thread stuck in a slow lookup never touches freed
 * memory and never blocks anyone.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "redis_internal.h"

struct spotify__redis_resolve {
    atomic_int refs; /* the loop's and the thread's */
    int event_fd;    /* readable once the answer is in */
    char host[SPOTIFY__REDIS_HOST_MAX];
    /* Written by the thread before it signals, read by the loop after. */
    int status; /* getaddrinfo's */
    char address[INET6_ADDRSTRLEN];
};

static void release(spotify__redis_resolve *r)
{
    if (atomic_fetch_sub(&r->refs, 1) != 1)
        return;
    close(r->event_fd);
    spotify__free(r);
}

/* The first address getaddrinfo gives for `host`, as a numeric string (the
 * one hiredis would have tried first). */
static int first_address(const char *host, char *out, size_t size)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *found = NULL;
    int status = getaddrinfo(host, NULL, &hints, &found);
    if (status != 0)
        return status;
    status = getnameinfo(found->ai_addr, found->ai_addrlen, out, (socklen_t)size, NULL, 0,
                         NI_NUMERICHOST);
    freeaddrinfo(found);
    return status;
}

static void *lookup_thread(void *arg)
{
    spotify__redis_resolve *r = arg;
    r->status = first_address(r->host, r->address, sizeof r->address);
    uint64_t one = 1;
    ssize_t written = write(r->event_fd, &one, sizeof one); /* publishes the answer */
    (void)written; /* an eventfd counter cannot overflow from one write */
    release(r);
    return NULL;
}

bool spotify__redis_host_is_name(const char *host)
{
    unsigned char addr[sizeof(struct in6_addr)];
    return inet_pton(AF_INET, host, addr) != 1 && inet_pton(AF_INET6, host, addr) != 1;
}

spotify_status spotify__redis_resolve_start(spotify__redis_resolve **out, const char *host,
                                            spotify_error *err)
{
    *out = NULL;
    spotify__redis_resolve *r = spotify__calloc(1, sizeof *r);
    if (r == NULL)
        return spotify__error_oom(err);
    snprintf(r->host, sizeof r->host, "%s", host);
    r->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (r->event_fd < 0) {
        spotify__free(r);
        return spotify__error_set(err, SPOTIFY_EIO, 0, "cannot resolve %s: no eventfd", host);
    }
    atomic_init(&r->refs, 2);
    pthread_attr_t attr;
    pthread_t thread;
    bool started = pthread_attr_init(&attr) == 0;
    if (started) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        started = pthread_create(&thread, &attr, lookup_thread, r) == 0;
        pthread_attr_destroy(&attr);
    }
    if (!started) {
        close(r->event_fd);
        spotify__free(r);
        return spotify__error_set(err, SPOTIFY_EIO, 0, "cannot resolve %s: no thread for it", host);
    }
    *out = r;
    return SPOTIFY_OK;
}

int spotify__redis_resolve_fd(const spotify__redis_resolve *r)
{
    return r->event_fd;
}

spotify__redis_resolved spotify__redis_resolve_answer(spotify__redis_resolve *r, char *address,
                                                      size_t size, char *why, size_t why_size)
{
    uint64_t count = 0;
    if (read(r->event_fd, &count, sizeof count) != (ssize_t)sizeof count)
        return SPOTIFY__RESOLVE_PENDING;
    if (r->status != 0) {
        snprintf(why, why_size, "%s", gai_strerror(r->status));
        return SPOTIFY__RESOLVE_FAILED;
    }
    snprintf(address, size, "%s", r->address);
    return SPOTIFY__RESOLVE_FOUND;
}

void spotify__redis_resolve_drop(spotify__redis_resolve *r)
{
    if (r != NULL)
        release(r);
}
