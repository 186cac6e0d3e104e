/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_dotenv.c - libFuzzer target for the .env parser (core/dotenv.h).
 * Checks: parsing never runs out of memory on these sizes; every key
 * reported is non-empty, starts with a letter or '_' and holds only key
 * characters; the bad-line count and the first bad line are consistent and
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
    FUZZ_CHECK((key[0] >= 'A' && key[0] <= 'Z') || (key[0] >= 'a' && key[0] <= 'z') ||
               key[0] == '_');
    for (const char *k = key; *k != '\0'; k++)
        FUZZ_CHECK(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-",
                          *k) != NULL);
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
