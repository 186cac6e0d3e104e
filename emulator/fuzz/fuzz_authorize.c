/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_authorize.c - libFuzzer target: GET /authorize validation
 * (authorize.h) on any query string, against the built-in clients, in both
 * strict and lenient mode. An accepted request must name a known client
 * and a redirect URI that client may use.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "authorize.h"
#include "form.h"
#include "registry.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static emu_registry *registry(void)
{
    static emu_registry *reg;
    if (reg == NULL) {
        reg = emu_registry_new();
        char err[128];
        if (reg == NULL || !emu_registry_add_builtin(reg) ||
            !emu_registry_add_spec(reg, "exact:pw=http://127.0.0.1:7000/cb,myapp://cb", err,
                                   sizeof err))
            __builtin_trap();
    }
    return reg;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    emu_form query;
    if (emu_form_parse(&query, (const char *)data, size) != EMU_FORM_OK)
        return 0;
    for (int strict = 0; strict < 2; strict++) {
        emu_authz authz;
        emu_authz_outcome outcome = emu_authorize_validate(&query, registry(), strict, &authz);
        if (outcome != EMU_AUTHZ_PAGE_ERROR &&
            (authz.client == NULL || authz.redirect_uri == NULL ||
             !emu_client_redirect_ok(authz.client, authz.redirect_uri, strict)))
            __builtin_trap();
        if (outcome == EMU_AUTHZ_OK && authz.client->secret == NULL && authz.code_challenge == NULL)
            __builtin_trap(); /* a public client always uses PKCE */
    }
    emu_form_free(&query);
    return 0;
}
