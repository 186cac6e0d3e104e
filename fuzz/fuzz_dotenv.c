/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_dotenv.c - libFuzzer target for the .env parser (core/dotenv.h).
 * Checks: parsing never runs out of memory on these sizes; every key
 * reported is non-empty; the bad-line count and the first bad line are consistent and
 * within the input.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/dotenv.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_key(const char *key, const char *value, void *user)
{
    (void)user;
    FUZZ_CHECK(key != NULL && value != NULL);
    FUZZ_CHECK(key[0] != '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += data[i] == '\n';
    size_t bad = 0, first_bad = 0;
    FUZZ_CHECK(spotify__dotenv_parse((const char *)data, size, check_key, NULL, &bad, &first_bad));
    FUZZ_CHECK((bad == 0) == (first_bad == 0));
    FUZZ_CHECK(first_bad <= lines && bad <= lines);
    return 0;
}
