/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/oauth.c - client authentication at the token endpoint: the HTTP
 * Basic header built from the client id and secret. (Scopes, the authorize
 * URL, PKCE and token parsing live in scope.c, authorize_url.c, pkce.c,
 * token_response.c and token_json.c.)
 */
#include <string.h>

#include "../core/crypto.h"
#include "oauth.h"

bool spotify__basic_auth_header(spotify__strbuf *out, const char *client_id,
                                const char *client_secret)
{
    if (out == NULL || out->failed || client_id == NULL || client_secret == NULL)
        return false;
    /* "id:secret" holds the secret: build it in a buffer that is wiped. */
    spotify__strbuf pair = SPOTIFY__STRBUF_INIT;
    size_t id_len = strlen(client_id);
    size_t secret_len = strlen(client_secret);
    if (spotify__strbuf_reserve(&pair, id_len + 1 + secret_len)) {
        spotify__strbuf_append(&pair, client_id, id_len);
        spotify__strbuf_append_char(&pair, ':');
        spotify__strbuf_append(&pair, client_secret, secret_len);
    }
    bool ok = !pair.failed;
    if (ok) {
        spotify__strbuf_append_str(out, "Authorization: Basic ");
        ok = spotify__base64_encode(out, pair.data, pair.len);
    }
    spotify__strbuf_release_secret(&pair);
    return ok && !out->failed;
}
