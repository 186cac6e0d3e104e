/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/pkce.c - Proof Key for Code Exchange (RFC 7636): code verifiers
 * drawn uniformly from the unreserved set, and their S256 challenges.
 */
#include <stdint.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/crypto.h"
#include "oauth.h"

#define VERIFIER_MIN 43
#define VERIFIER_MAX 128

/* RFC 7636 section 4.1: ALPHA / DIGIT / "-" / "." / "_" / "~". */
static const char verifier_chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                     "0123456789-._~";
#define CHAR_COUNT (sizeof verifier_chars - 1)
/* Random bytes at or above this would bias the draw (256 % 66 != 0). */
#define ACCEPT_BELOW (256 - 256 % CHAR_COUNT)

bool spotify__pkce_verifier(char *out, size_t len)
{
    if (out == NULL || len < VERIFIER_MIN || len > VERIFIER_MAX)
        return false;
    uint8_t pool[VERIFIER_MAX];
    size_t filled = 0;
    bool ok = true;
    while (ok && filled < len) {
        ok = spotify__random_bytes(pool, sizeof pool);
        for (size_t i = 0; ok && i < sizeof pool && filled < len; i++) {
            if (pool[i] < ACCEPT_BELOW)
                out[filled++] = verifier_chars[pool[i] % CHAR_COUNT];
        }
    }
    spotify__wipe(pool, sizeof pool);
    if (!ok) {
        spotify__wipe(out, len);
        out[0] = '\0';
        return false;
    }
    out[len] = '\0';
    return true;
}

bool spotify__pkce_challenge(const char *verifier, char out[44])
{
    if (verifier == NULL || out == NULL)
        return false;
    uint8_t digest[32];
    if (!spotify__sha256(verifier, strlen(verifier), digest))
        return false;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    bool ok = spotify__base64url_encode(&sb, digest, sizeof digest) && sb.len == 43;
    if (ok)
        memcpy(out, sb.data, 44); /* 43 characters and the NUL */
    spotify__strbuf_release(&sb);
    return ok;
}
