/* SPDX-License-Identifier: Apache-2.0 */
/*
 * app.h - the emulator's application context: everything a handler can
 * reach. One emu_app exists per process; main.c builds it, the server hands
 * it to every handler.
 *
 * Map of the emulator (each header says more):
 *   main.c, cli.c      command line, signals, ready line/file, shutdown
 *   listen.c           the listening socket (host, port 0)
 *   server.c           libmicrohttpd: bodies, latency (suspend + timer.c),
 *                      faults (faults.c), dispatch, counters (stats.c)
 *   routes.c           the route table: method + pattern -> handler
 *   accounts.c         /authorize, /authorize/decision, /api/token
 *   oauth.c, form.c    pure OAuth helpers and the form/query decoder
 *   api.c, api_*.c     the Web API under /v1
 *   control.c          /__emulator/... (settings, faults, counters, log)
 *   registry.c         clients and users (built-ins, config file, flags)
 *   state.c            tokens, codes, consents, user data (one mutex)
 *   catalog*.c         albums, artists, tracks (fixtures + generated),
 *                      shows, episodes, audiobooks, chapters (generated),
 *                      categories, markets, genre seeds (fixtures)
 *   search.c           the search index, Spotify's query language, ranking
 *   ratelimit.c        --rate-limit: rolling windows per client id
 *   record.c           --record DIR --upstream URL, --replay DIR
 *
 * Threads: the pointers never change after start-up; each module documents
 * its own thread safety (all are safe to use from handlers).
 */
#ifndef SPOTIFY_EMULATOR_APP_H
#define SPOTIFY_EMULATOR_APP_H

#include "catalog.h"
#include "faults.h"
#include "ratelimit.h"
#include "record.h"
#include "registry.h"
#include "search.h"
#include "settings.h"
#include "state.h"
#include "stats.h"

typedef struct emu_app {
    emu_settings settings;       /* live switches */
    emu_settings_values initial; /* what POST /__emulator/reset restores */
    const emu_registry *registry;
    emu_state *state;
    const emu_catalog *catalog;
    const emu_search_index *search; /* over the catalog (search.h) */
    emu_stats *stats;
    emu_faults *faults;
    emu_ratelimit *ratelimit; /* the --rate-limit windows (ratelimit.h) */
    emu_recorder *recorder;   /* --record / --replay (record.h); NULL: neither */
    char base_url[128];       /* "http://127.0.0.1:PORT", no trailing slash */
} emu_app;

#endif
