/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_token_response.c - libFuzzer target for spotify__token_response_parse.
 *
 * The first byte picks the HTTP status (2xx most of the time, else the
 * error statuses the parser distinguishes); the rest is the body. Checks:
 * a success yields a non-empty access token and a finite expiry, a failure
 * leaves the token untouched and fills a NUL-terminated record with the
 * returned status.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "auth/oauth.h"
#include "fuzz_check.h"

static const int statuses[] = {200, 200, 200, 200, 201, 204, 400, 401, 403, 429, 500, 503, 302, 0};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int status = statuses[data[0] % (sizeof statuses / sizeof statuses[0])];
    const char *body = (const char *)data + 1;
    size_t len = size - 1;

    spotify_token token = {0};
    spotify_error err;
    spotify_error_clear(&err);
    spotify_status st = spotify__token_response_parse(&token, status, body, len, 1e9, &err);
    if (st == SPOTIFY_OK) {
        FUZZ_CHECK(token.access_token != NULL && token.access_token[0] != '\0');
        FUZZ_CHECK(isfinite(token.expires_at) && token.expires_at >= 1e9);
        FUZZ_CHECK(token.refresh_token == NULL || token.refresh_token[0] != '\0');
    } else {
        FUZZ_CHECK(token.access_token == NULL && token.refresh_token == NULL &&
                   token.scope == NULL);
        FUZZ_CHECK(err.status == st);
        FUZZ_CHECK(memchr(err.message, '\0', sizeof err.message) != NULL);
        FUZZ_CHECK(memchr(err.body, '\0', sizeof err.body) != NULL);
        FUZZ_CHECK(memchr(err.code, '\0', sizeof err.code) != NULL);
    }
    spotify_token_clear(&token);
    return 0;
}
