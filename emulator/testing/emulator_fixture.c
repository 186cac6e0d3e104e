/* SPDX-License-Identifier: Apache-2.0 */
/* emulator_fixture.c - see emulator_fixture.h. */
#include "emulator_fixture.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include <spotify/spotify.h>

emulator_process test_emu;
char test_api_base[160];

int test_emu_start(const char *const *args)
{
    spotify_global_init(NULL);
    unsetenv("SPOTIFY_SDK_CLIENT_ID");
    unsetenv("SPOTIFY_SDK_CLIENT_SECRET");
    unsetenv("SPOTIFY_SDK_REDIRECT_URI");
    if (!emulator_start(&test_emu, args))
        return -1;
    snprintf(test_api_base, sizeof test_api_base, "%s/v1", test_emu.base_url);
    printf("# emulator at %s, ready after %.1f ms\n", test_emu.base_url, test_emu.startup_ms);
    return 0;
}

int test_emu_stop(void)
{
    int status = emulator_stop(&test_emu);
    spotify_global_cleanup();
    if (status != 0) {
        fprintf(stderr, "the emulator exited with status %d\n", status);
        return -1;
    }
    return 0;
}

int test_emu_group_setup(void **state)
{
    (void)state;
    return test_emu_start(NULL);
}

int test_emu_group_teardown(void **state)
{
    (void)state;
    return test_emu_stop();
}

int test_emu_reset(void **state)
{
    (void)state;
    return emulator_reset(&test_emu) ? 0 : -1;
}

void test_emu_control(const char *method, const char *path, const char *json)
{
    emulator_http_response r;
    assert_true(emulator_control(&test_emu, method, path, json, &r));
    if (r.status != 200)
        fprintf(stderr, "%s %s -> %ld %s\n", method, path, r.status, r.body);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
}
