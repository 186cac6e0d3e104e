/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/authorize_url.c - the URL of Spotify's consent page for the
 * authorization code flow (with PKCE's challenge when there is one), and
 * the random `state` that protects it.
 */
#include <string.h>

#include <spotify/auth.h>

#include "../core/alloc.h"
#include "../core/crypto.h"
#include "../core/error.h"
#include "../core/urlencode.h"
#include "oauth.h"

/* 128 bits of state. */
#define STATE_BYTES 16

spotify_status spotify_auth_state_new(char **out, spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_auth_state_new: out is NULL");
    *out = NULL;
    unsigned char raw[STATE_BYTES];
    if (!spotify__random_bytes(raw, sizeof raw))
        return spotify__error_set(err, SPOTIFY_EIO, 0, "spotify_auth_state_new: the CSPRNG failed");
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__base64url_encode(&sb, raw, sizeof raw);
    spotify__wipe(raw, sizeof raw);
    *out = spotify__strbuf_detach(&sb, NULL);
    return *out != NULL ? SPOTIFY_OK : spotify__error_oom(err);
}

/* Appends "&key=value" (value percent-encoded). */
static void append_param(spotify__strbuf *out, const char *key, const char *value)
{
    spotify__strbuf_append_char(out, '&');
    spotify__strbuf_append_str(out, key);
    spotify__strbuf_append_char(out, '=');
    spotify__url_encode(out, value, strlen(value));
}

bool spotify__authorize_url_build(spotify__strbuf *out, const spotify__authorize_params *p)
{
    if (out == NULL || out->failed || p == NULL || p->accounts_base_url == NULL ||
        p->client_id == NULL || p->redirect_uri == NULL)
        return false;
    size_t base_len = strlen(p->accounts_base_url);
    while (base_len > 0 && p->accounts_base_url[base_len - 1] == '/')
        base_len--;
    spotify__strbuf_append(out, p->accounts_base_url, base_len);
    spotify__strbuf_append_str(out, "/authorize?response_type=code");
    append_param(out, "client_id", p->client_id);
    append_param(out, "redirect_uri", p->redirect_uri);
    if (p->scope != NULL && p->scope[0] != '\0')
        append_param(out, "scope", p->scope);
    if (p->state != NULL)
        append_param(out, "state", p->state);
    if (p->show_dialog)
        append_param(out, "show_dialog", "true");
    if (p->code_challenge != NULL) {
        append_param(out, "code_challenge_method", "S256");
        append_param(out, "code_challenge", p->code_challenge);
    }
    return !out->failed;
}
