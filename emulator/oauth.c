/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oauth.c - scopes, Basic credentials, PKCE and redirect-URI rules.
 */
#include "oauth.h"

#include <string.h>
#include <strings.h>

#include "core/crypto.h"

/* A Basic credential longer than this is rejected before decoding. */
#define BASIC_MAX_ENCODED 4096

static const char *const scope_names[] = {
#define EMU_SCOPE_NAME(name, text) text,
    EMU_SCOPE_LIST(EMU_SCOPE_NAME)
#undef EMU_SCOPE_NAME
};

const char *emu_scope_name(int index)
{
    if (index < 0 || index >= EMU_SCOPE_COUNT)
        return "";
    return scope_names[index];
}

static bool is_scope_separator(char c)
{
    return c == ' ' || c == ',' || c == '\t';
}

/* The bit of the scope named by `len` bytes at `s`, or 0. */
static uint32_t scope_bit(const char *s, size_t len)
{
    for (int i = 0; i < EMU_SCOPE_COUNT; i++)
        if (strlen(scope_names[i]) == len && memcmp(scope_names[i], s, len) == 0)
            return UINT32_C(1) << i;
    return 0;
}

bool emu_scopes_parse(const char *text, uint32_t *out, const char **bad, size_t *bad_len)
{
    uint32_t bits = 0;
    const char *p = text == NULL ? "" : text;
    while (*p != '\0') {
        while (is_scope_separator(*p))
            p++;
        size_t len = 0;
        while (p[len] != '\0' && !is_scope_separator(p[len]))
            len++;
        if (len == 0)
            break;
        uint32_t bit = scope_bit(p, len);
        if (bit == 0) {
            if (bad != NULL)
                *bad = p;
            if (bad_len != NULL)
                *bad_len = len;
            return false;
        }
        bits |= bit;
        p += len;
    }
    *out = bits;
    return true;
}

bool emu_scopes_format(spotify__strbuf *sb, uint32_t scopes)
{
    bool first = true;
    for (int i = 0; i < EMU_SCOPE_COUNT; i++) {
        if ((scopes & (UINT32_C(1) << i)) == 0)
            continue;
        if (!first)
            spotify__strbuf_append_char(sb, ' ');
        spotify__strbuf_append_str(sb, scope_names[i]);
        first = false;
    }
    /* An empty scope list still yields "" rather than a NULL buffer. */
    spotify__strbuf_append(sb, "", 0);
    return !sb->failed;
}

/* Control bytes (and DEL) never belong in a credential. */
static bool has_control_bytes(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return true;
    }
    return false;
}

/* Finds the credential after the "Basic" scheme; false if the scheme is not Basic. */
static bool basic_credential(const char *header, const char **start, size_t *len)
{
    const char *p = header;
    while (*p == ' ')
        p++;
    if (strncasecmp(p, "Basic", 5) != 0 || p[5] != ' ')
        return false;
    p += 5;
    while (*p == ' ')
        p++;
    size_t n = strlen(p);
    while (n > 0 && p[n - 1] == ' ')
        n--;
    *start = p;
    *len = n;
    return n > 0 && n <= BASIC_MAX_ENCODED;
}

/* Decodes base64 that may lack its '=' padding. */
static bool decode_base64_lenient(spotify__strbuf *out, const char *s, size_t len)
{
    if (len % 4 == 1)
        return false;
    char padded[BASIC_MAX_ENCODED + 4];
    memcpy(padded, s, len);
    while (len % 4 != 0)
        padded[len++] = '=';
    return spotify__base64_decode(out, padded, len);
}

bool emu_basic_decode(const char *header, spotify__strbuf *id, spotify__strbuf *secret)
{
    const char *cred;
    size_t cred_len;
    spotify__strbuf decoded = SPOTIFY__STRBUF_INIT;
    bool ok = header != NULL && basic_credential(header, &cred, &cred_len) &&
              decode_base64_lenient(&decoded, cred, cred_len) &&
              !has_control_bytes(spotify__strbuf_cstr(&decoded), decoded.len);
    const char *text = spotify__strbuf_cstr(&decoded);
    const char *colon = ok ? memchr(text, ':', decoded.len) : NULL;
    ok = ok && colon != NULL && colon > text;
    if (ok) {
        spotify__strbuf_append(id, text, (size_t)(colon - text));
        spotify__strbuf_append(secret, colon + 1, decoded.len - (size_t)(colon - text) - 1);
        ok = !id->failed && !secret->failed;
    }
    spotify__strbuf_release_secret(&decoded);
    if (!ok) {
        spotify__strbuf_reset(id);
        spotify__strbuf_reset(secret);
    }
    return ok;
}

static bool is_unreserved(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

bool emu_pkce_verifier_valid(const char *verifier)
{
    size_t len = 0;
    for (; verifier[len] != '\0'; len++)
        if (len >= 128 || !is_unreserved(verifier[len]))
            return false;
    return len >= 43;
}

bool emu_pkce_challenge_valid(const char *challenge)
{
    size_t len = 0;
    for (; challenge[len] != '\0'; len++) {
        char c = challenge[len];
        bool b64url = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_';
        if (len >= 43 || !b64url)
            return false;
    }
    return len == 43;
}

bool emu_pkce_verify(const char *verifier, const char *challenge)
{
    if (!emu_pkce_verifier_valid(verifier) || !emu_pkce_challenge_valid(challenge))
        return false;
    uint8_t digest[32];
    if (!spotify__sha256(verifier, strlen(verifier), digest))
        return false;
    spotify__strbuf computed = SPOTIFY__STRBUF_INIT;
    bool ok = spotify__base64url_encode(&computed, digest, sizeof digest) && computed.len == 43;
    unsigned char diff = 0;
    for (size_t i = 0; ok && i < 43; i++)
        diff |= (unsigned char)(computed.data[i] ^ challenge[i]);
    spotify__strbuf_release(&computed);
    return ok && diff == 0;
}

/* Parses ":PORT" at `p` (digits up to `end`); true for 1-65535. */
static bool port_ok(const char *p, const char *end)
{
    if (p == end)
        return false;
    long port = 0;
    for (; p < end; p++) {
        if (*p < '0' || *p > '9' || port > 65535)
            return false;
        port = port * 10 + (*p - '0');
    }
    return port >= 1 && port <= 65535;
}

/* Splits the authority [host][:port] into out->host; false when malformed. */
static bool parse_authority(const char *a, size_t len, emu_uri_parts *out)
{
    const char *end = a + len;
    const char *host_end;
    if (len > 0 && a[0] == '[') {
        const char *close = memchr(a, ']', len);
        if (close == NULL)
            return false;
        host_end = close + 1;
    } else {
        const char *colon = memchr(a, ':', len);
        host_end = colon == NULL ? end : colon;
    }
    size_t host_len = (size_t)(host_end - a);
    if (host_len == 0 || host_len >= sizeof out->host)
        return false;
    if (host_end < end && (*host_end != ':' || !port_ok(host_end + 1, end)))
        return false;
    for (size_t i = 0; i < host_len; i++) {
        char c = a[i];
        out->host[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    out->host[host_len] = '\0';
    return true;
}

bool emu_uri_parse(const char *uri, emu_uri_parts *out)
{
    memset(out, 0, sizeof *out);
    size_t total = strlen(uri);
    for (size_t i = 0; i < total; i++) {
        unsigned char c = (unsigned char)uri[i];
        if (c <= 0x20 || c == 0x7f || c == '#')
            return false;
    }
    const char *rest;
    if (strncasecmp(uri, "http://", 7) == 0) {
        rest = uri + 7;
    } else if (strncasecmp(uri, "https://", 8) == 0) {
        rest = uri + 8;
        out->https = true;
    } else {
        return false;
    }
    size_t auth_len = strcspn(rest, "/?");
    if (memchr(rest, '@', auth_len) != NULL || !parse_authority(rest, auth_len, out))
        return false;
    out->loopback = strcmp(out->host, "127.0.0.1") == 0 || strcmp(out->host, "[::1]") == 0 ||
                    strcmp(out->host, "localhost") == 0;
    return true;
}

bool emu_redirect_is_demo_loopback(const char *uri, bool strict)
{
    emu_uri_parts parts;
    if (!emu_uri_parse(uri, &parts) || parts.https || !parts.loopback)
        return false;
    return !(strict && strcmp(parts.host, "localhost") == 0);
}

bool emu_redirect_strict_ok(const char *uri)
{
    emu_uri_parts parts;
    if (!emu_uri_parse(uri, &parts))
        return true; /* not an http(s) URI: left to exact matching */
    if (strcmp(parts.host, "localhost") == 0)
        return false;
    return parts.https || parts.loopback;
}
