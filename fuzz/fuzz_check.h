/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_check.h - an assert() that NDEBUG cannot turn off: the fuzz build is
 * RelWithDebInfo, and a violated property must crash the fuzzer.
 */
#ifndef SPOTIFY_FUZZ_CHECK_H
#define SPOTIFY_FUZZ_CHECK_H

#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);               \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

#endif
