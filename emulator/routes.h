/* SPDX-License-Identifier: Apache-2.0 */
/*
 * routes.h - the route table and the matcher.
 *
 * A route is a method and a path pattern whose segments are literals or
 * {param} placeholders ("/v1/albums/{id}"); a placeholder matches one
 * non-empty segment, handed to the handler percent-decoded in
 * req->params[] in order. Patterns double as names in counters, the log
 * and fault specs. HEAD requests match GET routes.
 *
 * To add an endpoint: write a handler (see api.h for the Web API helpers)
 * and add one line to the table in routes.c.
 *
 * Threads: the table is constant; matching is pure.
 */
#ifndef SPOTIFY_EMULATOR_ROUTES_H
#define SPOTIFY_EMULATOR_ROUTES_H

#include <stddef.h>

#include "app.h"
#include "request.h"

typedef void (*emu_handler)(emu_app *app, emu_request *req, emu_reply *reply);

typedef enum emu_route_kind {
    EMU_ROUTE_API = 0,  /* Web API: errors in the {"error":{...}} shape */
    EMU_ROUTE_ACCOUNTS, /* accounts service: OAuth error shape */
    EMU_ROUTE_CONTROL   /* /__emulator: no latency, faults or counters */
} emu_route_kind;

typedef struct emu_route {
    const char *method;
    const char *pattern;
    emu_handler handler;
    emu_route_kind kind;
} emu_route;

extern const emu_route emu_routes[];
extern const size_t emu_route_count;

typedef enum emu_match {
    EMU_MATCH_OK = 0,
    EMU_MATCH_NONE,  /* no pattern matches the path */
    EMU_MATCH_METHOD /* a pattern matches, but not with this method */
} emu_match;

/*
 * Matches `method` and the `len`-byte `path` against the table. On
 * EMU_MATCH_OK sets *route and stores the decoded parameters in
 * req->params (owned by req: emu_request_release frees them); on
 * EMU_MATCH_METHOD sets *route to a route whose path matched.
 */
emu_match emu_route_match(const char *method, const char *path, size_t len, const emu_route **route,
                          emu_request *req);
/* The route whose pattern is exactly `pattern` (any method), or NULL. */
const emu_route *emu_route_by_pattern(const char *pattern);
/* A route's position in the table. */
int emu_route_index(const emu_route *route);
/* True when the path is under /__emulator/ (control API). */
bool emu_path_is_control(const char *path, size_t len);

#endif
