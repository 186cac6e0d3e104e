/* SPDX-License-Identifier: Apache-2.0 */
/* sdk_emulator.c - see sdk_emulator.h. */
#include "sdk_emulator.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include <spotify/spotify.h>

emulator_process emu;
char api_base[160];

int sdk_emulator_start(const char *const *args)
{
    spotify_global_init(NULL);
    if (!emulator_start(&emu, args))
        return -1;
    snprintf(api_base, sizeof api_base, "%s/v1", emu.base_url);
    unsetenv("SPOTIFY_SDK_CLIENT_ID");
    unsetenv("SPOTIFY_SDK_CLIENT_SECRET");
    unsetenv("SPOTIFY_SDK_REDIRECT_URI");
    return 0;
}

int sdk_emulator_group_setup(void **state)
{
    (void)state;
    return sdk_emulator_start(NULL);
}

int sdk_emulator_group_teardown(void **state)
{
    (void)state;
    int status = emulator_stop(&emu);
    spotify_global_cleanup();
    return status == 0 ? 0 : -1;
}

int sdk_emulator_reset(void **state)
{
    (void)state;
    return emulator_reset(&emu) ? 0 : -1;
}

void sdk_emulator_control(const char *path, const char *json)
{
    emulator_http_response r;
    assert_true(emulator_control(&emu, "POST", path, json, &r));
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}
