/* SPDX-License-Identifier: Apache-2.0 */
/*
 * settings.h - the emulator's run-time switches: token lifetime, latency,
 * refresh-token rotation, auto-approve, strict redirects, rate limit.
 *
 * They start from the command line and the config file
 * (emu_settings_values), can be changed while running through
 * POST /__emulator/config, and return to their start values on
 * POST /__emulator/reset. The live copy (emu_settings) is a set of atomics,
 * so every request thread reads it without a lock.
 *
 * Threads: emu_settings_load/emu_settings_store are thread-safe; a store is
 * not atomic as a whole (each switch is).
 */
#ifndef SPOTIFY_EMULATOR_SETTINGS_H
#define SPOTIFY_EMULATOR_SETTINGS_H

#include <stdatomic.h>
#include <stdbool.h>

/* Bounds shared by the command line, the config file and the control API. */
#define EMU_TOKEN_LIFETIME_MIN 1
#define EMU_TOKEN_LIFETIME_MAX 31536000 /* one year */
#define EMU_LATENCY_MAX_MS 60000
#define EMU_RATE_LIMIT_MAX 1000000 /* --rate-limit: requests per window */
#define EMU_RATE_WINDOW_MAX_S 3600 /* --rate-limit-window (default 30) */
/* Authorization codes and pending consent pages live this long (as Spotify). */
#define EMU_CODE_LIFETIME_S 600

typedef struct emu_settings_values {
    int token_lifetime_s; /* expires_in of new access tokens */
    int latency_ms;       /* added before every non-control response */
    bool rotate_refresh_tokens;
    bool auto_approve;     /* /authorize redirects at once, no consent page */
    bool strict_redirects; /* reject localhost and non-loopback http:// */
    int rate_limit;        /* Web API requests per client and window; 0: no limit */
    int rate_window_s;     /* the rolling window of rate_limit (ratelimit.h) */
} emu_settings_values;

#define EMU_SETTINGS_DEFAULTS                                                                      \
    {                                                                                              \
        3600, 0, false, false, false, 0, 30                                                        \
    }

typedef struct emu_settings {
    atomic_int token_lifetime_s;
    atomic_int latency_ms;
    atomic_bool rotate_refresh_tokens;
    atomic_bool auto_approve;
    atomic_bool strict_redirects;
    atomic_int rate_limit;
    atomic_int rate_window_s;
} emu_settings;

/* Copies every value into the live settings. */
void emu_settings_store(emu_settings *live, const emu_settings_values *values);
/* A snapshot of the live settings. */
emu_settings_values emu_settings_load(const emu_settings *live);

#endif
