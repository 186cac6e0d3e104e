/* SPDX-License-Identifier: Apache-2.0 */
/*
 * control.h - the control API under /__emulator/ (no authentication; the
 * emulator binds to loopback by default). Documented in docs/emulator.md:
 *
 *   GET    /__emulator/health         {"status":"ok"}
 *   GET    /__emulator/counters       counters per route/status, per grant type
 *   GET    /__emulator/log            recent requests
 *   GET    /__emulator/config         current switches
 *   POST   /__emulator/config         partial update of the switches
 *   GET    /__emulator/faults         queued faults
 *   POST   /__emulator/faults         queue a fault
 *   DELETE /__emulator/faults         drop every queued fault
 *   POST   /__emulator/reset          state, tokens, faults, counters, switches
 *   POST   /__emulator/tokens         issue a token directly
 *   POST   /__emulator/expire-tokens  every access token issued so far expires
 *   POST   /__emulator/expire-codes   every authorization code issued so far expires
 *   GET    /__emulator/catalog/{type} ids and names of albums, artists or tracks
 *
 * Request bodies are JSON; errors are {"error":"message"} with status 400.
 *
 * Threads: handlers run concurrently; they only use thread-safe modules.
 */
#ifndef SPOTIFY_EMULATOR_CONTROL_H
#define SPOTIFY_EMULATOR_CONTROL_H

#include "app.h"
#include "request.h"

void emu_control_health(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_counters(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_log(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_get_config(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_set_config(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_get_faults(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_add_fault(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_clear_faults(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_reset(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_tokens(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_expire_tokens(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_expire_codes(emu_app *app, emu_request *req, emu_reply *reply);
void emu_control_catalog(emu_app *app, emu_request *req, emu_reply *reply);
/* POST /__emulator/seed-playlist {"user","items","name"}: a private playlist
 * of that user holding `items` (0-EMU_SEED_PLAYLIST_MAX, default 100) catalog
 * tracks -> {"id","items"} (for paging benchmarks). `name` has Spotify's
 * limit (EMU_PLAYLIST_NAME_MAX characters); no string may hold a NUL. A
 * seed that would make all playlists together hold more than
 * EMU_SEED_TOTAL_MAX items is refused (400): the memory seeding can take
 * stays bounded (24 bytes an item) until a reset frees it. */
#define EMU_SEED_PLAYLIST_MAX 1000000
#define EMU_SEED_TOTAL_MAX 2000000
void emu_control_seed_playlist(emu_app *app, emu_request *req, emu_reply *reply);

#endif
