/* SPDX-License-Identifier: Apache-2.0 */
/*
 * accounts.h - the accounts service (accounts.spotify.com), at the root of
 * the emulator's URL space:
 *
 *   GET  /authorize           validate the request; consent page or redirect
 *   POST /authorize/decision  the consent page's Approve / Deny form
 *   POST /api/token           client_credentials, authorization_code,
 *                             refresh_token grants
 *
 * Errors use Spotify's accounts shape {"error":..,"error_description":..}
 * with status 400 (Spotify answers invalid_client with 400 too, even when
 * the client authenticated with a Basic header; see docs/emulator.md).
 *
 * Threads: handlers run concurrently; they share state only via emu_state.
 */
#ifndef SPOTIFY_EMULATOR_ACCOUNTS_H
#define SPOTIFY_EMULATOR_ACCOUNTS_H

#include "app.h"
#include "request.h"

void emu_accounts_authorize(emu_app *app, emu_request *req, emu_reply *reply);
void emu_accounts_decision(emu_app *app, emu_request *req, emu_reply *reply);
void emu_accounts_token(emu_app *app, emu_request *req, emu_reply *reply);

/* A 200 token response (no-store): {"access_token","token_type":"Bearer",
 * "expires_in"[,"refresh_token"][,"scope"]}; `refresh` NULL leaves it out,
 * `scopes` NULL leaves out "scope". The control API's token issuing uses it
 * too. */
void emu_reply_token(emu_reply *reply, const char *access, const char *refresh, int64_t lifetime,
                     const uint32_t *scopes);

#endif
