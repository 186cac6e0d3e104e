/* SPDX-License-Identifier: Apache-2.0 */
/*
 * emulator_fixture.h - the one cmocka fixture of every test file that runs
 * against spotify-emulator (the emulator's own tests and the SDK's): one
 * emulator process per file, started by the group setup (after the SDK's
 * global init, with the credential variables cleared so that tests see only
 * what they pass), reset before each test, stopped - and its exit status
 * checked - by the group teardown.
 *
 * Threads: the setup/teardown functions run on the test's main thread.
 */
#ifndef EMULATOR_FIXTURE_H
#define EMULATOR_FIXTURE_H

#include "emulator_process.h"

/* The emulator of the current test file, and its Web API base URL
 * ("http://127.0.0.1:PORT/v1"). */
extern emulator_process test_emu;
extern char test_api_base[160];

/* Starts it with `args` (NULL-terminated extra flags, or NULL); 0 or -1. */
int test_emu_start(const char *const *args);
/* Stops it; -1 (with a message) unless it exits with status 0. */
int test_emu_stop(void);
/* cmocka group setup/teardown for files that need no extra emulator flags. */
int test_emu_group_setup(void **state);
int test_emu_group_teardown(void **state);
/* Per-test setup: POST /__emulator/reset. */
int test_emu_reset(void **state);
/* A control request (`method` on `path`, JSON body or NULL) that must
 * answer 200. */
void test_emu_control(const char *method, const char *path, const char *json);

#endif
