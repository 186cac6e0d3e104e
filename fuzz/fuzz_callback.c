/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_callback.c - libFuzzer target for spotify_auth_callback_parse.
 *
 * Input: an optional expected state, then the URL or query. When the first
 * byte is '\n' there is no expected state; otherwise everything up to the
 * first '\n' is the expected state. Checks: success gives a non-empty code
 * (and, with an expected state, any other state is refused), failure
 * gives no code, a category the contract allows and a matching,
 * NUL-terminated record.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/auth.h>
#include <spotify/global.h>
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A URL accepted with `state` must be refused with any other state. */
static void check_other_state_fails(const char *url, const char *state)
{
    size_t len = strlen(state);
    char *other = malloc(len + 2);
    if (other == NULL)
        return;
    memcpy(other, state, len);
    other[len] = 'x';
    other[len + 1] = '\0';
    char *code = NULL;
    spotify_error err;
    spotify_error_clear(&err);
    spotify_status st = spotify_auth_callback_parse(&code, url, other, &err);
    FUZZ_CHECK(st == SPOTIFY_EAUTH || st == SPOTIFY_ENOMEM);
    FUZZ_CHECK(code == NULL);
    free(other);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *state = NULL;
    const char *url = text;
    char *newline = strchr(text, '\n');
    if (newline != NULL) {
        *newline = '\0';
        state = newline == text ? NULL : text;
        url = newline + 1;
    }
    char *code = NULL;
    spotify_error err;
    spotify_error_clear(&err);
    spotify_status st = spotify_auth_callback_parse(&code, url, state, &err);
    if (st == SPOTIFY_OK) {
        FUZZ_CHECK(code != NULL && code[0] != '\0');
        spotify_free_secret(code);
        if (state != NULL)
            check_other_state_fails(url, state);
    } else {
        FUZZ_CHECK(code == NULL);
        FUZZ_CHECK(st == SPOTIFY_EAUTH || st == SPOTIFY_ENOMEM || st == SPOTIFY_EINVALID);
        FUZZ_CHECK(err.status == st);
        FUZZ_CHECK(memchr(err.message, '\0', sizeof err.message) != NULL);
    }
    free(text);
    return 0;
}
