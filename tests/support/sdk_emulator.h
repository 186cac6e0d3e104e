/* SPDX-License-Identifier: Apache-2.0 */
/*
 * sdk_emulator.h - the spotify-emulator of an SDK integration test file:
 * one process per file, started by the group setup (with the SDK's global
 * init and the credential variables cleared, so tests see only what they
 * pass), reset before each test, stopped - and its exit status checked - by
 * the group teardown.
 *
 * Threads: the setup/teardown functions run on the test's main thread.
 */
#ifndef SDK_EMULATOR_H
#define SDK_EMULATOR_H

#include "emulator_process.h"

/* The emulator, and its Web API base URL ("http://127.0.0.1:PORT/v1"). */
extern emulator_process emu;
extern char api_base[160];

/* Starts it with `args` (NULL-terminated extra flags, or NULL); 0 or -1. */
int sdk_emulator_start(const char *const *args);
/* cmocka group setup / teardown / per-test setup (POST /__emulator/reset). */
int sdk_emulator_group_setup(void **state);
int sdk_emulator_group_teardown(void **state);
int sdk_emulator_reset(void **state);
/* POST a control request with a JSON body and assert a 200. */
void sdk_emulator_control(const char *path, const char *json);

#endif
