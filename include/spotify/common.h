/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/common.h - export macros, C++ guards and attributes shared by every
 * public header of libspotify-sdk.
 *
 * Threads: nothing here has state.
 */
#ifndef SPOTIFY_COMMON_H
#define SPOTIFY_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * SPOTIFY_BEGIN_DECLS and SPOTIFY_END_DECLS enclose the declarations of every
 * public header: `extern "C" {` and `}` in C++, nothing in C.
 */
#ifdef __cplusplus
#define SPOTIFY_BEGIN_DECLS extern "C" {
#define SPOTIFY_END_DECLS }
#else
#define SPOTIFY_BEGIN_DECLS
/* Closes what SPOTIFY_BEGIN_DECLS opened. */
#define SPOTIFY_END_DECLS
#endif

/* SPOTIFY_API marks every exported symbol; everything else is hidden. */
#if defined(SPOTIFY_STATIC)
#define SPOTIFY_API
#elif defined(__GNUC__) || defined(__clang__)
#define SPOTIFY_API __attribute__((visibility("default")))
#else
#define SPOTIFY_API
#endif

/*
 * SPOTIFY_DEPRECATED(msg) marks API that still works but is on its way out
 * (for example Web API operations Spotify removed for development-mode apps).
 * Define SPOTIFY_NO_DEPRECATION_WARNINGS before including any SDK header to
 * silence the warnings.
 */
#if defined(SPOTIFY_NO_DEPRECATION_WARNINGS) || defined(SPOTIFY_BUILDING_LIBRARY)
#define SPOTIFY_DEPRECATED(msg)
#elif defined(__GNUC__) || defined(__clang__)
#define SPOTIFY_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
#define SPOTIFY_DEPRECATED(msg)
#endif

/*
 * SPOTIFY_PRINTF(fmt_index, first_arg) marks a printf-like function so that
 * GCC and Clang check its calls: parameter `fmt_index` (1-based) is the
 * format, the values start at parameter `first_arg` (0 for a va_list).
 * Nothing on other compilers.
 */
#if defined(__GNUC__) || defined(__clang__)
#define SPOTIFY_PRINTF(fmt_index, first_arg) __attribute__((format(printf, fmt_index, first_arg)))
/* Marks a function whose result must not be ignored (GCC and Clang warn). */
#define SPOTIFY_WARN_UNUSED __attribute__((warn_unused_result))
#else
#define SPOTIFY_PRINTF(fmt_index, first_arg)
#define SPOTIFY_WARN_UNUSED
#endif

#endif /* SPOTIFY_COMMON_H */
