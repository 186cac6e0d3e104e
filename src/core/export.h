/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/export.h - SPOTIFY__EXPORT marks the few internal functions that
 * libspotify-sdk.so exports for its companion library libspotify-sdk-redis
 * (allocation, strbuf, logging, error records, randomness, clocks, the token
 * record's JSON). They are not public API: no header under include/ declares
 * them, and the companion library requires the core of the same version.
 * Everything else inside the core stays hidden.
 *
 * Threads: nothing here has state.
 */
#ifndef SPOTIFY_CORE_EXPORT_H
#define SPOTIFY_CORE_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define SPOTIFY__EXPORT __attribute__((visibility("default")))
#else
#define SPOTIFY__EXPORT
#endif

#endif
