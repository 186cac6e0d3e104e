/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/error.h - status codes and the caller-supplied error record.
 *
 * Every fallible function returns a spotify_status (SPOTIFY_OK is 0) and takes
 * a last argument `spotify_error *err` that may be NULL. When err is not NULL
 * and the call fails, the record is filled in; on success it is left alone.
 * The record lives in storage the caller owns, so errors never need a
 * thread-local "last error" and async callbacks can hand one out safely.
 *
 * Everything written into a record has passed through the SDK's redaction
 * helper: no access token, refresh token, client secret, authorization code
 * or PKCE verifier ever appears in `message` or `body`.
 *
 * Threads: the functions here are pure and thread-safe; a record must not be
 * written by two threads at once.
 */
#ifndef SPOTIFY_ERROR_H
#define SPOTIFY_ERROR_H

#include "common.h"

SPOTIFY_BEGIN_DECLS

/*
 * Status codes: one per error category. The numbers are part of the ABI and
 * are never renumbered or reused; a retired category keeps its number as a
 * placeholder.
 */
typedef enum spotify_status {
    /* Success. */
    SPOTIFY_OK = 0,
    /* Missing or contradictory configuration (credentials, base URLs, env). */
    SPOTIFY_ECONFIG = 1,
    /* A function was called with an argument that breaks its contract. */
    SPOTIFY_EINVALID = 2,
    /* 401 from the API, or any OAuth failure (invalid_grant, state mismatch...). */
    SPOTIFY_EAUTH = 3,
    /* 400 and any other 4xx the other categories do not name. */
    SPOTIFY_EBADREQUEST = 4,
    /* 403: the token lacks a scope, or the app may not use this operation. */
    SPOTIFY_EFORBIDDEN = 5,
    /* 404. */
    SPOTIFY_ENOTFOUND = 6,
    /* 429, or a cooldown the retry policy would not wait out. */
    SPOTIFY_ERATELIMIT = 7,
    /* 5xx after retries. */
    SPOTIFY_ESERVER = 8,
    /* Connection refused, DNS failure, timeout, TLS failure, reset. */
    SPOTIFY_ETRANSPORT = 9,
    /* The server answered something that is not what the protocol promises. */
    SPOTIFY_EPROTOCOL = 10,
    /* The caller cancelled the operation, or its context shut down. */
    SPOTIFY_ECANCELLED = 11,
    /* An allocation failed. */
    SPOTIFY_ENOMEM = 12,
    /* A local file or stream operation failed. */
    SPOTIFY_EIO = 13
} spotify_status;

/* The highest status value this version of the library defines. */
#define SPOTIFY_STATUS_MAX SPOTIFY_EIO

/* The size of spotify_error.message, NUL included. */
#define SPOTIFY_ERROR_MESSAGE_SIZE 256
/* The size of spotify_error.body, NUL included. */
#define SPOTIFY_ERROR_BODY_SIZE 512
/* The size of spotify_error.code, NUL included. */
#define SPOTIFY_ERROR_CODE_SIZE 64

/*
 * The detail of a failure. Zero-initialise it (`spotify_error err = {0};`) or
 * call spotify_error_clear() before first use.
 */
typedef struct spotify_error {
    /* The category; equals the status the failing call returned. */
    spotify_status status;
    /* HTTP status of the response that caused the error, 0 when there was none. */
    int http_status;
    /*
     * How long the server asked us to wait before trying again, in
     * milliseconds (from Retry-After, or from a shared cooldown); -1 when
     * unknown.
     */
    int64_t retry_after_ms;
    /* How many HTTP attempts were made, 0 when none was. */
    int attempts;
    /* A readable, redacted description; always NUL-terminated. */
    char message[SPOTIFY_ERROR_MESSAGE_SIZE];
    /*
     * The machine-readable error Spotify sent, when it sent one: the OAuth
     * `error` value ("invalid_grant", "access_denied"...) of the accounts
     * service. Empty otherwise.
     */
    char code[SPOTIFY_ERROR_CODE_SIZE];
    /* A redacted, possibly truncated excerpt of the response body; may be empty. */
    char body[SPOTIFY_ERROR_BODY_SIZE];
} spotify_error;

/* Resets every field of `err` (NULL is accepted). */
SPOTIFY_API void spotify_error_clear(spotify_error *err);

/*
 * The symbolic name of a status ("SPOTIFY_EAUTH"). Returns a static string;
 * unknown values give "SPOTIFY_E_UNKNOWN".
 */
SPOTIFY_API const char *spotify_status_name(spotify_status status);

/*
 * The category of a status as a short lower-case phrase ("auth",
 * "rate limit", "invalid argument"). Returns a static string; unknown values
 * give "unknown".
 */
SPOTIFY_API const char *spotify_status_category(spotify_status status);

/*
 * A one-line static description of a status ("authentication failed").
 * Returns a static string; unknown values give "unknown error".
 */
SPOTIFY_API const char *spotify_status_str(spotify_status status);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_ERROR_H */
