/* SPDX-License-Identifier: Apache-2.0 */
/*
 * listen.h - the listening socket: bound to exactly the requested address
 * (127.0.0.1 by default; ::1 and other literal addresses work; "localhost"
 * means 127.0.0.1), port 0 picks a free port.
 *
 * Threads: call from one thread at start-up.
 */
#ifndef SPOTIFY_EMULATOR_LISTEN_H
#define SPOTIFY_EMULATOR_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct emu_listener {
    int fd;
    bool ipv6;
    int port;           /* the bound port (the real one when 0 was asked) */
    char base_url[128]; /* "http://127.0.0.1:PORT" or "http://[::1]:PORT" */
} emu_listener;

/* Binds and listens. false with a message in `err` on failure. */
bool emu_listen(const char *host, int port, emu_listener *out, char *err, size_t err_size);

#endif
