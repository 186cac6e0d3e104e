/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/global.h - lazy library initialisation for code paths (client
 * creation) that the user may reach without calling spotify_global_init().
 *
 * Threads: thread-safe.
 */
#ifndef SPOTIFY_CORE_GLOBAL_H
#define SPOTIFY_CORE_GLOBAL_H

#include <spotify/global.h>

/*
 * Makes sure libcurl's global state is set up (with the SDK's allocator) and
 * freezes the allocator. A no-op when spotify_global_init() is in effect or
 * an earlier call already did the work; it never adds to the init count.
 * When it is the one to initialise libcurl, libcurl stays initialised until
 * the process ends (a later balanced spotify_global_init/cleanup pair does
 * not release it). Fills `err` and returns an error if libcurl fails to
 * initialise; a later call tries again.
 */
spotify_status spotify__global_ensure(spotify_error *err);

#endif
