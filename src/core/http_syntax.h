/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/http_syntax.h - what may go into an HTTP header line: header values
 * without line breaks, and bearer tokens in RFC 6750's b64token syntax.
 *
 * Every string the SDK puts into a header (tokens from any source, the
 * User-Agent suffix, Accept-Language, caller headers) passes one of these
 * checks first, so a hostile token endpoint, cache file or option can never
 * add a header or smuggle a second request.
 *
 * Threads: pure, thread-safe.
 */
#ifndef SPOTIFY_CORE_HTTP_SYNTAX_H
#define SPOTIFY_CORE_HTTP_SYNTAX_H

#include "export.h"

#include <stdbool.h>
#include <stddef.h>

/* True when `s` (NUL-terminated) holds no CR or LF: it cannot end or split a
 * header line. (A NUL cannot occur inside a C string.) */
bool spotify__http_header_value_safe(const char *s);

/*
 * True when the `len` bytes at `s` are an RFC 6750 b64token:
 * 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"=". An empty
 * token, or one holding a NUL, space, CR, LF or any other byte, is not.
 */
bool spotify__http_b64token_valid(const char *s, size_t len);

#endif
