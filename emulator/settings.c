/* SPDX-License-Identifier: Apache-2.0 */
/*
 * settings.c - copying switches in and out of their atomic live form.
 */
#include "settings.h"

void emu_settings_store(emu_settings *live, const emu_settings_values *values)
{
    atomic_store(&live->token_lifetime_s, values->token_lifetime_s);
    atomic_store(&live->latency_ms, values->latency_ms);
    atomic_store(&live->rotate_refresh_tokens, values->rotate_refresh_tokens);
    atomic_store(&live->auto_approve, values->auto_approve);
    atomic_store(&live->strict_redirects, values->strict_redirects);
    atomic_store(&live->rate_limit, values->rate_limit);
    atomic_store(&live->rate_window_s, values->rate_window_s);
}

emu_settings_values emu_settings_load(const emu_settings *live)
{
    emu_settings_values v;
    v.token_lifetime_s = atomic_load(&live->token_lifetime_s);
    v.latency_ms = atomic_load(&live->latency_ms);
    v.rotate_refresh_tokens = atomic_load(&live->rotate_refresh_tokens);
    v.auto_approve = atomic_load(&live->auto_approve);
    v.strict_redirects = atomic_load(&live->strict_redirects);
    v.rate_limit = atomic_load(&live->rate_limit);
    v.rate_window_s = atomic_load(&live->rate_window_s);
    return v;
}
