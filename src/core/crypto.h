/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/crypto.h - randomness, SHA-256 and base64 from OpenSSL's libcrypto.
 *
 * Threads: thread-safe (OpenSSL 3 is).
 */
#ifndef SPOTIFY_CORE_CRYPTO_H
#define SPOTIFY_CORE_CRYPTO_H

#include "export.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strbuf.h"

/* Fills `buf` from the CSPRNG; false if OpenSSL cannot (never silently weak). */
SPOTIFY__EXPORT bool spotify__random_bytes(void *buf, size_t len);
/* A uniform double in [0, 1) from the CSPRNG (53 random bits); 0.5 on failure. */
SPOTIFY__EXPORT double spotify__random_unit(void);
/* SHA-256 of `len` bytes into `out`. */
bool spotify__sha256(const void *data, size_t len, uint8_t out[32]);
/* Standard base64 with padding (RFC 4648 section 4). */
bool spotify__base64_encode(spotify__strbuf *sb, const void *data, size_t len);
/* base64url without padding (RFC 4648 section 5), as PKCE and state use. */
bool spotify__base64url_encode(spotify__strbuf *sb, const void *data, size_t len);
/* Decodes standard base64 (padding required, no whitespace); false when the
 * input is not valid base64. */
bool spotify__base64_decode(spotify__strbuf *sb, const char *s, size_t len);

#endif
