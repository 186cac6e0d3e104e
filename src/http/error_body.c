/* SPDX-License-Identifier: Apache-2.0 */
/* http/error_body.c - Spotify's JSON error bodies into spotify_error records. */
#include "error_body.h"

#include <stdio.h>
#include <string.h>

#include <spotify/log.h>

#include "../core/arena.h"
#include "../core/error.h"
#include "../json/json.h"

/* Error bodies are small; anything bigger is not one of Spotify's. */
#define ERROR_BODY_MAX_PARSE (64 * 1024)

/* The length of the longest prefix of s[0..len) that fits in `size` - 1
 * bytes without cutting a UTF-8 sequence. */
static size_t utf8_prefix(const char *s, size_t len, size_t size)
{
    if (len < size)
        return len;
    size_t cut = size - 1;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}

/* Copies text into out (truncated, NUL-terminated) with control characters
 * and NULs replaced by spaces so the result reads as one line. */
static void copy_text(char *out, size_t size, const char *s, size_t len)
{
    if (size == 0)
        return;
    size_t n = utf8_prefix(s, len, size);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        out[i] = c < 0x20 || c == 0x7F ? ' ' : (char)c;
    }
    out[n] = '\0';
}

/* True when the body's first non-blank byte opens an object. */
static bool looks_like_object(const char *body, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = body[i];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return c == '{';
    }
    return false;
}

/* Copies the string member `key` of `object`, if it is one; true when it
 * was a non-empty string. */
static bool copy_member(spotify__json object, const char *key, char *out, size_t size)
{
    const char *s;
    size_t len;
    if (!spotify__json_get_string(spotify__json_get(object, key), &s, &len))
        return false;
    copy_text(out, size, s, len);
    return len > 0;
}

/* Reads either error shape from a parsed root value. */
static bool read_error_shape(spotify__json root, char *code, size_t code_size, char *message,
                             size_t message_size)
{
    spotify__json error = spotify__json_get(root, "error");
    switch (spotify__json_type_of(error)) {
    case SPOTIFY__JSON_OBJECT: /* Web API: {"error": {"status": ..., "message": ...}} */
        return copy_member(error, "message", message, message_size);
    case SPOTIFY__JSON_STRING: { /* accounts: {"error": ..., "error_description": ...} */
        bool has_code = copy_member(root, "error", code, code_size);
        bool has_message = copy_member(root, "error_description", message, message_size);
        return has_code || has_message;
    }
    default:
        return false;
    }
}

bool spotify__error_body_parse(const char *body, size_t len, char *code, size_t code_size,
                               char *message, size_t message_size)
{
    if (code_size > 0)
        code[0] = '\0';
    if (message_size > 0)
        message[0] = '\0';
    if (body == NULL || len == 0 || len > ERROR_BODY_MAX_PARSE || !looks_like_object(body, len))
        return false;
    spotify__arena *arena = spotify__arena_new(0);
    if (arena == NULL)
        return false;
    spotify__json root;
    bool found = false;
    if (spotify__json_parse(&root, arena, body, len, len, NULL) == SPOTIFY_OK)
        found = read_error_shape(root, code, code_size, message, message_size);
    spotify__arena_free(arena);
    if (!found) {
        if (code_size > 0)
            code[0] = '\0';
        if (message_size > 0)
            message[0] = '\0';
    }
    return found;
}

/* Appends ": <code>" and ": <detail>" (each when non-empty) to err->message,
 * redacting the result. */
static void append_detail(spotify_error *err, int http_status, const char *code, const char *detail)
{
    char prefix[32];
    const char *head = err->message;
    if (head[0] == '\0') {
        snprintf(prefix, sizeof prefix, "HTTP %d", http_status);
        head = prefix;
    }
    char raw[SPOTIFY_ERROR_MESSAGE_SIZE * 3];
    snprintf(raw, sizeof raw, "%s%s%s%s%s", head, code[0] != '\0' ? ": " : "", code,
             detail[0] != '\0' ? ": " : "", detail);
    char redacted[sizeof raw];
    spotify_redact(redacted, sizeof redacted, raw);
    copy_text(err->message, sizeof err->message, redacted, strlen(redacted));
}

void spotify__error_from_body(spotify_error *err, int http_status, const char *body, size_t len)
{
    if (err == NULL)
        return;
    if (err->http_status == 0 && http_status > 0)
        err->http_status = http_status;
    char code[SPOTIFY_ERROR_CODE_SIZE];
    char detail[SPOTIFY_ERROR_MESSAGE_SIZE];
    if (spotify__error_body_parse(body, len, code, sizeof code, detail, sizeof detail)) {
        if (code[0] != '\0') {
            char redacted[SPOTIFY_ERROR_CODE_SIZE];
            spotify_redact(redacted, sizeof redacted, code);
            spotify__error_set_code(err, redacted, strlen(redacted));
        }
        append_detail(err, http_status, code, detail);
    }
    spotify__error_set_body(err, body, len);
}
