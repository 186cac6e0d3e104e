/* SPDX-License-Identifier: Apache-2.0 */
/*
 * authorize.c - the rules of GET /authorize, in the order Spotify applies
 * them: client, redirect URI, then everything that can be reported back to
 * the redirect URI.
 */
#include "authorize.h"

#include <stdio.h>
#include <string.h>

#include "oauth.h"

static const char *const single_keys[] = {
    "client_id",      "redirect_uri",          "response_type", "scope", "state",
    "code_challenge", "code_challenge_method", "show_dialog",   NULL};

static emu_authz_outcome page_error(emu_authz *out, const char *description)
{
    out->error = "INVALID_CLIENT";
    snprintf(out->description, sizeof out->description, "%s", description);
    return EMU_AUTHZ_PAGE_ERROR;
}

static emu_authz_outcome redirect_error(emu_authz *out, const char *error, const char *description)
{
    out->error = error;
    snprintf(out->description, sizeof out->description, "%s", description);
    return EMU_AUTHZ_REDIRECT_ERROR;
}

/* The client and its redirect URI: errors here never redirect. */
static emu_authz_outcome check_client(const emu_form *q, const emu_registry *reg, bool strict,
                                      emu_authz *out)
{
    const char *client_id = emu_form_get(q, "client_id");
    if (client_id == NULL || client_id[0] == '\0')
        return page_error(out, "Invalid client: client_id is missing");
    if (emu_form_count(q, "client_id") > 1 || emu_form_count(q, "redirect_uri") > 1)
        return page_error(out, "Invalid request: a parameter is repeated");
    out->client = emu_registry_client(reg, client_id, &out->client_index);
    if (out->client == NULL)
        return page_error(out, "Invalid client");
    const char *redirect = emu_form_get(q, "redirect_uri");
    if (redirect == NULL || redirect[0] == '\0' ||
        !emu_client_redirect_ok(out->client, redirect, strict))
        return page_error(out, "Invalid redirect URI");
    out->redirect_uri = redirect;
    return EMU_AUTHZ_OK;
}

/* PKCE parameters: S256 only; a public client must use it. */
static emu_authz_outcome check_pkce(const emu_form *q, emu_authz *out)
{
    const char *challenge = emu_form_get(q, "code_challenge");
    const char *method = emu_form_get(q, "code_challenge_method");
    if (challenge == NULL && method == NULL) {
        if (out->client->secret == NULL)
            return redirect_error(out, "invalid_request",
                                  "code_challenge is required for this client (PKCE)");
        return EMU_AUTHZ_OK;
    }
    if (method == NULL || strcmp(method, "S256") != 0)
        return redirect_error(out, "invalid_request", "code_challenge_method must be S256");
    if (challenge == NULL || !emu_pkce_challenge_valid(challenge))
        return redirect_error(out, "invalid_request",
                              "code_challenge must be 43 base64url characters");
    out->code_challenge = challenge;
    return EMU_AUTHZ_OK;
}

emu_authz_outcome emu_authorize_validate(const emu_form *query, const emu_registry *reg,
                                         bool strict, emu_authz *out)
{
    memset(out, 0, sizeof *out);
    emu_authz_outcome outcome = check_client(query, reg, strict, out);
    if (outcome != EMU_AUTHZ_OK)
        return outcome;
    out->state = emu_form_get(query, "state");
    const char *repeated = emu_form_repeated(query, single_keys);
    if (repeated != NULL) {
        char text[96];
        snprintf(text, sizeof text, "Parameter %s is repeated", repeated);
        return redirect_error(out, "invalid_request", text);
    }
    const char *response_type = emu_form_get(query, "response_type");
    if (response_type == NULL)
        return redirect_error(out, "invalid_request", "response_type is missing");
    if (strcmp(response_type, "code") != 0)
        return redirect_error(out, "unsupported_response_type", "response_type must be code");
    const char *bad = NULL;
    size_t bad_len = 0;
    if (!emu_scopes_parse(emu_form_get(query, "scope"), &out->scopes, &bad, &bad_len)) {
        char text[160];
        snprintf(text, sizeof text, "Invalid scope: %.*s", bad_len > 100 ? 100 : (int)bad_len, bad);
        return redirect_error(out, "invalid_scope", text);
    }
    const char *show_dialog = emu_form_get(query, "show_dialog");
    out->show_dialog = show_dialog != NULL && strcmp(show_dialog, "true") == 0;
    return check_pkce(query, out);
}
