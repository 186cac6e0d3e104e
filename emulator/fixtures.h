/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fixtures.h - the JSON fixtures compiled into the binary. The table is
 * generated at build time from tests/fixtures/ by
 * cmake/embed_fixtures.cmake (fixtures_data.c in the build directory).
 *
 * Threads: constant data.
 */
#ifndef SPOTIFY_EMULATOR_FIXTURES_H
#define SPOTIFY_EMULATOR_FIXTURES_H

#include <stddef.h>

typedef struct emu_fixture {
    const char *name;          /* file name, e.g. "album-tpab.json" */
    const unsigned char *data; /* `len` bytes plus a NUL */
    size_t len;
} emu_fixture;

extern const emu_fixture emu_fixtures[];
extern const size_t emu_fixture_count;

#endif
