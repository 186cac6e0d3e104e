/* SPDX-License-Identifier: Apache-2.0 */
/* core/error.c - status names and filling error records. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <spotify/log.h>

typedef struct status_info {
    const char *name;
    const char *category;
    const char *description;
} status_info;

/* Indexed by spotify_status; append only. */
static const status_info status_table[] = {
    [SPOTIFY_OK] = {"SPOTIFY_OK", "ok", "success"},
    [SPOTIFY_ECONFIG] = {"SPOTIFY_ECONFIG", "config", "configuration error"},
    [SPOTIFY_EINVALID] = {"SPOTIFY_EINVALID", "invalid argument", "invalid argument"},
    [SPOTIFY_EAUTH] = {"SPOTIFY_EAUTH", "auth", "authentication failed"},
    [SPOTIFY_EBADREQUEST] = {"SPOTIFY_EBADREQUEST", "bad request",
                             "the request was rejected as malformed"},
    [SPOTIFY_EFORBIDDEN] = {"SPOTIFY_EFORBIDDEN", "forbidden", "the request is not allowed"},
    [SPOTIFY_ENOTFOUND] = {"SPOTIFY_ENOTFOUND", "not found", "the resource does not exist"},
    [SPOTIFY_ERATELIMIT] = {"SPOTIFY_ERATELIMIT", "rate limit", "rate limited"},
    [SPOTIFY_ESERVER] = {"SPOTIFY_ESERVER", "server", "the server failed"},
    [SPOTIFY_ETRANSPORT] = {"SPOTIFY_ETRANSPORT", "transport",
                            "the connection failed or timed out"},
    [SPOTIFY_EPROTOCOL] = {"SPOTIFY_EPROTOCOL", "protocol", "the server sent a malformed response"},
    [SPOTIFY_ECANCELLED] = {"SPOTIFY_ECANCELLED", "cancelled", "the operation was cancelled"},
    [SPOTIFY_ENOMEM] = {"SPOTIFY_ENOMEM", "out of memory", "out of memory"},
    [SPOTIFY_EIO] = {"SPOTIFY_EIO", "I/O", "a file or stream operation failed"},
};

static const status_info *status_lookup(spotify_status status)
{
    if ((int)status < 0 || (size_t)status >= sizeof status_table / sizeof status_table[0])
        return NULL;
    return &status_table[status];
}

const char *spotify_status_name(spotify_status status)
{
    const status_info *info = status_lookup(status);
    return info ? info->name : "SPOTIFY_E_UNKNOWN";
}

const char *spotify_status_category(spotify_status status)
{
    const status_info *info = status_lookup(status);
    return info ? info->category : "unknown";
}

const char *spotify_status_str(spotify_status status)
{
    const status_info *info = status_lookup(status);
    return info ? info->description : "unknown error";
}

void spotify_error_clear(spotify_error *err)
{
    if (err == NULL)
        return;
    memset(err, 0, sizeof *err);
    err->retry_after_ms = -1;
}

spotify_status spotify__error_set(spotify_error *err, spotify_status status, int http_status,
                                  const char *fmt, ...)
{
    if (err == NULL)
        return status;
    /* Every error starts from a clean record: a reused record must not
     * carry the previous failure's attempts, Retry-After, code or body. The
     * drivers that know those set them after this call. */
    spotify_error_clear(err);
    err->status = status;
    err->http_status = http_status;
    char raw[SPOTIFY_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    spotify_redact(err->message, sizeof err->message, raw);
    return status;
}

void spotify__error_set_body(spotify_error *err, const char *body, size_t len)
{
    if (err == NULL)
        return;
    /* Redact a bounded prefix: the redactor needs a NUL-terminated input and
     * the excerpt never needs more than the record holds. Look at a few
     * times more than fits so a secret cut at the edge is still recognised
     * as one before truncation. */
    char excerpt[SPOTIFY_ERROR_BODY_SIZE * 4];
    size_t n = len < sizeof excerpt - 1 ? len : sizeof excerpt - 1;
    if (body != NULL && n > 0)
        memcpy(excerpt, body, n);
    excerpt[body == NULL ? 0 : n] = '\0';
    spotify_redact(err->body, sizeof err->body, excerpt);
}

void spotify__error_set_code(spotify_error *err, const char *code, size_t len)
{
    if (err == NULL || code == NULL)
        return;
    size_t n = len < sizeof err->code - 1 ? len : sizeof err->code - 1;
    memcpy(err->code, code, n);
    err->code[n] = '\0';
}

spotify_status spotify__error_oom(spotify_error *err)
{
    return spotify__error_set(err, SPOTIFY_ENOMEM, 0, "out of memory");
}
