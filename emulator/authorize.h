/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authorize.h - validating a GET /authorize query, as a pure function (it
 * is fuzzed: emulator/fuzz/fuzz_authorize.c).
 *
 * Errors come in two kinds, as in OAuth 2.0 (RFC 6749 section 4.1.2.1):
 * while the client or its redirect URI is not trusted, the user sees an
 * error page and nothing is redirected; after that, errors go back to the
 * redirect URI as ?error=...&state=...
 *
 * Threads: pure and thread-safe.
 */
#ifndef SPOTIFY_EMULATOR_AUTHORIZE_H
#define SPOTIFY_EMULATOR_AUTHORIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "form.h"
#include "registry.h"

typedef enum emu_authz_outcome {
    EMU_AUTHZ_OK = 0,
    EMU_AUTHZ_PAGE_ERROR,    /* show an error page (client or redirect URI bad) */
    EMU_AUTHZ_REDIRECT_ERROR /* redirect with ?error=...&state=... */
} emu_authz_outcome;

typedef struct emu_authz {
    const emu_client *client; /* set once the client is known */
    size_t client_index;
    const char *redirect_uri; /* borrowed from the query; set once trusted */
    const char *state;        /* borrowed; NULL when absent */
    uint32_t scopes;
    const char *code_challenge; /* borrowed; NULL without PKCE */
    bool show_dialog;
    const char *error;     /* OAuth error code, or the page's heading */
    char description[192]; /* what went wrong, for people */
} emu_authz;

/* Validates `query` against the registry. `strict` is the strict-redirects
 * switch. Fills *out; strings in it are borrowed from `query`. */
emu_authz_outcome emu_authorize_validate(const emu_form *query, const emu_registry *reg,
                                         bool strict, emu_authz *out);

#endif
