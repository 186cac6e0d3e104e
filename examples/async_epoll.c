/* SPDX-License-Identifier: Apache-2.0 */
/*
 * async_epoll.c - the async API inside a plain epoll(7) loop: every album
 * given on the command line is fetched concurrently, from one thread; the
 * loop watches the descriptors and the one timer the SDK asks for.
 *
 *   SPOTIFY_SDK_CLIENT_ID=... SPOTIFY_SDK_CLIENT_SECRET=... \
 *     ./async_epoll 4aawyAB9vmqN3uQ7FjRGTy spotify:album:7ycBtnsMtyVbbwTfJwRjSP
 *
 * SPOTIFY_SDK_API_BASE_URL and SPOTIFY_SDK_ACCOUNTS_BASE_URL point it at
 * another server (the emulator). A program with libuv uses
 * <spotify/adapters/uv.h> instead of writing this loop.
 */
#define _GNU_SOURCE
#include <spotify/spotify.h>

#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>

typedef struct loop {
    int epoll_fd;
    int timer_fd; /* the SDK's one timer */
} loop;

/* The SDK asks to watch `fd` for `events` (NONE: stop watching). */
static void on_watch(void *user, int fd, spotify_async_events events)
{
    loop *l = user;
    struct epoll_event ev = {0};
    ev.data.fd = fd;
    ev.events =
        ((events & SPOTIFY_ASYNC_IN) ? EPOLLIN : 0) | ((events & SPOTIFY_ASYNC_OUT) ? EPOLLOUT : 0);
    if (events == SPOTIFY_ASYNC_NONE)
        epoll_ctl(l->epoll_fd, EPOLL_CTL_DEL, fd, NULL);
    else if (epoll_ctl(l->epoll_fd, EPOLL_CTL_MOD, fd, &ev) != 0)
        epoll_ctl(l->epoll_fd, EPOLL_CTL_ADD, fd, &ev);
}

/* The SDK asks for its timer in `timeout_ms` (-1: disarm). */
static void on_timer(void *user, int64_t timeout_ms)
{
    loop *l = user;
    struct itimerspec spec = {0};
    if (timeout_ms == 0)
        spec.it_value.tv_nsec = 1; /* "now": zero would disarm */
    else if (timeout_ms > 0) {
        spec.it_value.tv_sec = timeout_ms / 1000;
        spec.it_value.tv_nsec = (timeout_ms % 1000) * 1000000L;
    }
    timerfd_settime(l->timer_fd, 0, &spec, NULL);
}

static void on_album(spotify_status status, spotify_album *album, const spotify_error *err,
                     void *user)
{
    const char *id = user;
    if (status == SPOTIFY_OK)
        printf("%s  %s (%s)\n", id, album->name, album->release_date);
    else
        printf("%s  error: %s\n", id, err->message);
    spotify_album_free(album);
}

/* Runs the loop until the context has nothing pending. */
static int loop_run(loop *l, spotify_async *async)
{
    spotify_error err = {0};
    while (spotify_async_pending(async) > 0) {
        struct epoll_event events[16];
        int n = epoll_wait(l->epoll_fd, events, 16, -1);
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == l->timer_fd) {
                uint64_t expirations;
                if (read(l->timer_fd, &expirations, sizeof expirations) < 0) {
                    /* spurious: the timer was re-armed meanwhile */
                }
                spotify_async_on_timer(async, &err);
                continue;
            }
            int ready =
                ((events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) ? SPOTIFY_ASYNC_IN : 0) |
                ((events[i].events & EPOLLOUT) ? SPOTIFY_ASYNC_OUT : 0);
            spotify_async_on_socket(async, fd, (spotify_async_events)ready, &err);
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s ALBUM...\n", argv[0]);
        return 2;
    }
    spotify_error err = {0};
    spotify_global_init(&err);
    loop l = {epoll_create1(EPOLL_CLOEXEC), timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)};
    struct epoll_event timer_event = {.events = EPOLLIN, .data.fd = l.timer_fd};
    epoll_ctl(l.epoll_fd, EPOLL_CTL_ADD, l.timer_fd, &timer_event);

    spotify_client *client = NULL; /* client credentials from the environment */
    if (spotify_client_new(&client, NULL, &err) != SPOTIFY_OK) {
        fprintf(stderr, "async_epoll: %s\n", err.message);
        return 3;
    }
    spotify_async_loop hooks = {on_watch, on_timer, &l};
    spotify_async_options opts = SPOTIFY_ASYNC_OPTIONS_INIT;
    opts.loop = &hooks;
    spotify_async *async = NULL;
    if (spotify_async_new(&async, client, &opts, &err) != SPOTIFY_OK) {
        fprintf(stderr, "async_epoll: %s\n", err.message);
        return 1;
    }
    int status = 0;
    for (int i = 1; i < argc; i++) {
        spotify_albums_get_args a = SPOTIFY_ALBUMS_GET_ARGS_INIT;
        a.id = argv[i]; /* an ID, a spotify: URI or an open.spotify.com link */
        if (spotify_albums_get_async(async, &a, on_album, argv[i], NULL, &err) != SPOTIFY_OK) {
            printf("%s  invalid: %s\n", argv[i], err.message);
            status = 4;
        }
    }
    loop_run(&l, async);
    spotify_async_free(async);
    spotify_client_free(client);
    close(l.timer_fd);
    close(l.epoll_fd);
    spotify_global_cleanup();
    return status;
}
