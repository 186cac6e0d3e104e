/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/callback.c - spotify_auth_callback_parse(): the authorization code out of
 * the redirect Spotify sent the browser to, after checking the state
 * (CSRF), repeated parameters and OAuth errors. Neither the code nor the
 * state ever reaches an error message.
 */
#include <stdint.h>
#include <string.h>

#include <spotify/auth.h>
#include <spotify/log.h>

#include "../core/alloc.h"
#include "../core/crypto.h"
#include "../core/error.h"
#include "../core/urlencode.h"

/* One parameter the callback cares about: how often it came, and the first
 * value (owned, wiped when freed). */
typedef struct param_slot {
    int count;
    char *value;
} param_slot;

typedef struct callback_params {
    param_slot code;
    param_slot state;
    param_slot error;
    param_slot description;
    bool oom;
} callback_params;

static bool keep_first(param_slot *slot, const char *value, bool *oom)
{
    if (slot->count++ > 0)
        return true;
    slot->value = spotify__strdup(value);
    *oom = slot->value == NULL;
    return !*oom;
}

static bool on_param(const char *key, const char *value, void *user)
{
    callback_params *p = user;
    if (strcmp(key, "code") == 0)
        return keep_first(&p->code, value, &p->oom);
    if (strcmp(key, "state") == 0)
        return keep_first(&p->state, value, &p->oom);
    if (strcmp(key, "error") == 0)
        return keep_first(&p->error, value, &p->oom);
    if (strcmp(key, "error_description") == 0)
        return keep_first(&p->description, value, &p->oom);
    return true;
}

static void params_free(callback_params *p)
{
    spotify__free_secret(p->code.value);
    spotify__free_secret(p->state.value);
    spotify__free_secret(p->error.value);
    spotify__free_secret(p->description.value);
}

/* True for a URL without a query ("http://host/cb"): "://" before any
 * '=' of a would-be query. */
static bool is_bare_url(const char *s)
{
    const char *scheme = strstr(s, "://");
    const char *eq = strchr(s, '=');
    return scheme != NULL && (eq == NULL || scheme < eq);
}

/* The query part of a callback URL or bare query string: after the first
 * '?' (or all of it when there is none and it is not a URL), up to any
 * '#fragment'. */
static const char *query_part(const char *s, size_t *len)
{
    const char *q = strchr(s, '?');
    if (q != NULL)
        s = q + 1;
    else if (is_bare_url(s))
        s += strlen(s);
    const char *hash = strchr(s, '#');
    *len = hash != NULL ? (size_t)(hash - s) : strlen(s);
    return s;
}

/* Equality of two strings in time that depends on neither content nor
 * length: their SHA-256 digests are compared without early exit. */
static bool secret_equal(const char *a, const char *b)
{
    uint8_t da[32];
    uint8_t db[32];
    if (!spotify__sha256(a, strlen(a), da) || !spotify__sha256(b, strlen(b), db))
        return false;
    unsigned int diff = 0;
    for (size_t i = 0; i < sizeof da; i++)
        diff |= (unsigned int)(da[i] ^ db[i]);
    return diff == 0;
}

/* Copies attacker-controlled text for a message: control characters become
 * spaces, truncated to fit. */
static void printable(char *out, size_t size, const char *s)
{
    size_t n = 0;
    for (; s != NULL && s[n] != '\0' && n + 1 < size; n++) {
        unsigned char c = (unsigned char)s[n];
        out[n] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
    }
    out[n] = '\0';
}

static spotify_status oauth_error(const callback_params *p, spotify_error *err)
{
    char raw[SPOTIFY_ERROR_CODE_SIZE];
    char code[SPOTIFY_ERROR_CODE_SIZE];
    char description[SPOTIFY_ERROR_MESSAGE_SIZE];
    printable(raw, sizeof raw, p->error.value);
    spotify_redact(code, sizeof code, raw);
    printable(description, sizeof description, p->description.value);
    if (description[0] != '\0')
        spotify__error_set(err, SPOTIFY_EAUTH, 0, "authorization failed: %s: %s", code,
                           description);
    else
        spotify__error_set(err, SPOTIFY_EAUTH, 0, "authorization failed: %s", code);
    spotify__error_set_code(err, code, strlen(code));
    return SPOTIFY_EAUTH;
}

/* The checks, in the documented order. */
static spotify_status check_params(const callback_params *p, const char *expected_state,
                                   spotify_error *err)
{
    if (expected_state != NULL &&
        (p->state.count == 0 || !secret_equal(p->state.value, expected_state)))
        return spotify__error_set(err, SPOTIFY_EAUTH, 0, "state mismatch: possible CSRF");
    const param_slot *slots[] = {&p->code, &p->state, &p->error};
    static const char *const names[] = {"code", "state", "error"};
    for (size_t i = 0; i < 3; i++) {
        if (slots[i]->count > 1)
            return spotify__error_set(err, SPOTIFY_EAUTH, 0, "callback repeats the %s parameter",
                                      names[i]);
    }
    if (p->error.count > 0)
        return oauth_error(p, err);
    if (p->code.count == 0 || p->code.value[0] == '\0')
        return spotify__error_set(err, SPOTIFY_EAUTH, 0, "callback has no authorization code");
    return SPOTIFY_OK;
}

spotify_status spotify_auth_callback_parse(char **code_out, const char *url_or_query,
                                           const char *expected_state, spotify_error *err)
{
    if (code_out != NULL)
        *code_out = NULL;
    if (code_out == NULL || url_or_query == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_auth_callback_parse: NULL argument");
    size_t len;
    const char *query = query_part(url_or_query, &len);
    callback_params p = {0};
    bool malformed = false;
    spotify_status status = SPOTIFY_OK;
    if (!spotify__query_parse(query, len, on_param, &p, &malformed))
        status = p.oom || !malformed
                     ? spotify__error_oom(err)
                     : spotify__error_set(err, SPOTIFY_EAUTH, 0, "malformed callback");
    if (status == SPOTIFY_OK)
        status = check_params(&p, expected_state, err);
    if (status == SPOTIFY_OK) {
        *code_out = p.code.value;
        p.code.value = NULL;
    }
    params_free(&p);
    return status;
}
