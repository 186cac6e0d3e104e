/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_retry_after.c - libFuzzer target for spotify__retry_after_parse
 * (Retry-After as delay-seconds or an HTTP-date).
 *
 * The first 8 bytes give "now" (epoch seconds); the rest is the header
 * value. Checks the documented range: -1, or 0..SPOTIFY__RETRY_AFTER_MAX_MS.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/retry.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int64_t now = 1700000000;
    if (size >= 8) {
        uint64_t raw;
        memcpy(&raw, data, sizeof raw);
        now = (int64_t)(raw % ((uint64_t)1 << 40)); /* up to year ~36800 */
        data += 8;
        size -= 8;
    }
    char *value = malloc(size + 1);
    if (value == NULL)
        return 0;
    memcpy(value, data, size);
    value[size] = '\0';
    int64_t ms = spotify__retry_after_parse(value, now);
    FUZZ_CHECK(ms == -1 || (ms >= 0 && ms <= SPOTIFY__RETRY_AFTER_MAX_MS));
    free(value);
    return 0;
}
