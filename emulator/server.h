/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.h - the HTTP server: libmicrohttpd with epoll and a pool of two
 * threads, on a socket from listen.h.
 *
 * Per request: the body is accumulated; over EMU_BODY_MAX (announced by
 * Content-Length, or counted as it arrives) the 413 goes out at once and no
 * more of the body is read. Control requests (/__emulator/...) and CORS
 * preflights go straight to their handler; every other request is first
 * delayed by the configured latency
 * (the connection is suspended and a timer resumes it, so no thread waits),
 * then a queued fault may answer it (status, Retry-After) or drop the
 * connection, and otherwise its route's handler answers. The outcome is
 * counted and logged (stats.h).
 *
 * Threads: start/stop from the main thread; handlers run on the pool.
 */
#ifndef SPOTIFY_EMULATOR_SERVER_H
#define SPOTIFY_EMULATOR_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "app.h"
#include "listen.h"

#define EMU_BODY_MAX (1024 * 1024)
#define EMU_SERVER_THREADS 2

typedef struct emu_server emu_server;

/* Starts serving `app` on the listener's socket (the server takes it over
 * and closes it when stopped). NULL with a message in `err` on failure. */
emu_server *emu_server_start(emu_app *app, const emu_listener *listener, char *err,
                             size_t err_size);
/* Resumes delayed connections, stops the threads, closes every connection
 * and frees the server. NULL is accepted. */
void emu_server_stop(emu_server *server);

#endif
