/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_form.c - libFuzzer target: the form/query decoder (form.h, on
 * spotify__query_parse) must accept or reject any bytes without crashing,
 * and whatever it accepts must be NUL-free, bounded and queryable.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "form.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emu_form form;
    emu_form_status st = emu_form_parse(&form, (const char *)data, size);
    if (st == EMU_FORM_OK) {
        if (form.count > EMU_FORM_MAX)
            __builtin_trap();
        for (size_t i = 0; i < form.count; i++) {
            const char *value = emu_form_get(&form, form.pairs[i].key);
            if (value == NULL || emu_form_count(&form, form.pairs[i].key) == 0)
                __builtin_trap();
            if (strlen(form.pairs[i].key) > size || strlen(form.pairs[i].value) > size)
                __builtin_trap();
        }
        static const char *const keys[] = {"grant_type", "code", "client_id", NULL};
        (void)emu_form_repeated(&form, keys);
        emu_form_free(&form);
    } else if (form.count != 0) {
        __builtin_trap(); /* a failed parse leaves the form empty */
    }
    return 0;
}
