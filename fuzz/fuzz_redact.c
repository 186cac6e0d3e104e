/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_redact.c - libFuzzer target for spotify_redact.
 *
 * The first byte picks the output size (0..255, or large); the rest is the
 * text. Checks the snprintf-like contract: the output is NUL-terminated
 * within the buffer, the returned length is that of the untruncated
 * result, and a truncated output is a prefix of the full one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/log.h>
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t out_size = data[0];
    char *text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';

    size_t full_len = spotify_redact(NULL, 0, text);
    char *full = malloc(full_len + 1);
    char *small = malloc(out_size + 1);
    if (full != NULL && small != NULL) {
        FUZZ_CHECK(spotify_redact(full, full_len + 1, text) == full_len);
        FUZZ_CHECK(strlen(full) == full_len);
        size_t n = spotify_redact(small, out_size, text);
        FUZZ_CHECK(n == full_len);
        if (out_size > 0) {
            size_t kept = strlen(small);
            FUZZ_CHECK(kept < out_size);
            FUZZ_CHECK(memcmp(small, full, kept) == 0);
        }
    }
    free(small);
    free(full);
    free(text);
    return 0;
}
