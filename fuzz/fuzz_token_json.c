/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_token_json.c - libFuzzer target for the token file reader
 * (spotify__token_from_json: this SDK's record, the seed SDK's, spotantic's
 * AccessTokenInfo with ISO 8601 datetimes) and both writers. Checks: an
 * accepted token has a non-empty access token and an expiry within
 * [0, 9999-12-31]; it writes back in both shapes, and each reads back as
 * the same token (through spotantic's shape, the expiry within a
 * microsecond); a refused file leaves the token empty.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "auth/oauth.h"
#include "core/strbuf.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool same_text(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void reads_back(const spotify_token *t, const spotify__strbuf *written, double tolerance)
{
    spotify_token back = {0};
    FUZZ_CHECK(spotify__token_from_json(&back, written->data, written->len));
    FUZZ_CHECK(strcmp(back.access_token, t->access_token) == 0);
    FUZZ_CHECK(same_text(back.refresh_token, t->refresh_token));
    FUZZ_CHECK(same_text(back.scope, t->scope));
    FUZZ_CHECK(fabs(back.expires_at - t->expires_at) <= tolerance);
    spotify_token_clear(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool zone_set;
    if (!zone_set) { /* naive datetimes are local time: one without gaps */
        setenv("TZ", "UTC0", 1);
        zone_set = true;
    }
    spotify_token t = {0};
    if (!spotify__token_from_json(&t, (const char *)data, size)) {
        FUZZ_CHECK(t.access_token == NULL);
        return 0;
    }
    FUZZ_CHECK(t.access_token != NULL && t.access_token[0] != '\0');
    FUZZ_CHECK(t.expires_at >= 0 && t.expires_at <= SPOTIFY__TOKEN_EXPIRES_AT_MAX);
    spotify__strbuf written = SPOTIFY__STRBUF_INIT;
    FUZZ_CHECK(spotify__token_to_json(&written, &t));
    reads_back(&t, &written, 0);
    spotify__strbuf_reset(&written);
    if (spotify__token_to_json_spotantic(&written, &t, 1e9))
        reads_back(&t, &written, 1e-6 * fmax(1, t.expires_at / 1e9));
    spotify__strbuf_release_secret(&written);
    spotify_token_clear(&t);
    return 0;
}
