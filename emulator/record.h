/* SPDX-License-Identifier: Apache-2.0 */
/*
 * record.h - record and replay: --record DIR --upstream URL forwards every
 * Web API request (/v1/...) to the upstream Web API (real Spotify, or
 * another emulator), answers with its response and stores that response
 * under DIR; --replay DIR serves stored responses and falls back to the
 * generated catalog for anything not stored. A run against real Spotify
 * becomes an offline fixture set.
 *
 * A stored exchange is one JSON file, DIR/<hash>.json, keyed by method,
 * path (without a trailing slash) and the decoded query sorted by name
 * then value and re-encoded, so parameter order and percent-encoding case
 * do not matter:
 *
 *   {"method":"GET","path":"/v1/albums/ID","query":"market=SE",
 *    "upstream":"https://api.spotify.com","status":200,
 *    "headers":{"content-type":"application/json; charset=utf-8"},
 *    "body":"{...}"}
 *
 * Only the response is stored (status, body, and the headers that matter:
 * Content-Type, Retry-After, Location); nothing of the request's headers,
 * so no token or Authorization header is ever written. Links in bodies
 * keep the upstream's address in the file; when served (recording or
 * replaying) "<upstream>/v1/" becomes this emulator's "<base>/v1/", so
 * following `next` stays on the emulator. A later response for the same
 * key replaces the file (written to a temporary file, then renamed).
 * Responses about the moment rather than the resource are passed on but
 * not stored: 401 (the token's; replay checks tokens itself), 429, 5xx.
 *
 * Recording forwards the request's Authorization, Content-Type, Accept and
 * Accept-Language headers and its body; the emulator checks no token
 * itself (the upstream does). Replaying checks the token as every Web API
 * call does (401, the rate limit) before serving the stored answer.
 *
 * Threads: thread-safe; a recording handler blocks its thread while the
 * upstream answers.
 */
#ifndef SPOTIFY_EMULATOR_RECORD_H
#define SPOTIFY_EMULATOR_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "request.h"

struct emu_app;
typedef struct emu_recorder emu_recorder;

/* Records into `dir` (created when missing) from `upstream` ("https://
 * api.spotify.com" or "http://127.0.0.1:PORT"; a trailing "/" or "/v1" is
 * dropped). NULL with a message in `err` when `dir` cannot be used. */
emu_recorder *emu_recorder_record(const char *dir, const char *upstream, char *err,
                                  size_t err_size);
/* Loads every stored exchange of `dir`. NULL with a message in `err` when
 * the directory or a file in it cannot be read. */
emu_recorder *emu_recorder_replay(const char *dir, char *err, size_t err_size);
void emu_recorder_free(emu_recorder *rec);
/* Exchanges loaded (replay) or written (record) so far. */
size_t emu_recorder_count(emu_recorder *rec);

/* A Web API request: recording, forwards it and answers with the upstream's
 * response (502 when the upstream cannot be reached), storing it; replaying,
 * answers with the stored response after the token check. false when
 * replaying and nothing is stored for it: the caller serves it as usual. */
bool emu_recorder_handle(emu_recorder *rec, struct emu_app *app, emu_request *req,
                         emu_reply *reply);

#endif
