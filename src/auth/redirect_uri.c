/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/redirect_uri.c - which redirect URIs the local helper can serve: plain
 * http on a loopback literal (or localhost) with an explicit port. Pure.
 */
#include <string.h>
#include <strings.h>

#include "../core/error.h"
#include "local_auth.h"

#define WHAT "redirect URI"
#define BACKSLASH "has a backslash (the browser reads it as \"/\")"

static spotify_status bad(spotify_error *err, const char *why)
{
    return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_authorize_local: the " WHAT " %s",
                              why);
}

/* Skips "http://" (any letter case); NULL when the scheme is another one. */
static const char *skip_scheme(const char *uri, spotify_error *err, spotify_status *st)
{
    if (strncasecmp(uri, "http://", 7) == 0)
        return uri + 7;
    if (strncasecmp(uri, "https://", 8) == 0)
        *st = bad(err, "must use http, not https (the local server speaks plain HTTP on the "
                       "loopback interface; Spotify allows http for loopback addresses)");
    else
        *st = bad(err, "must start with http:// (e.g. http://127.0.0.1:8888/callback)");
    return NULL;
}

static bool is_digits(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* The port after the host: ":N" with 1 <= N <= 65535. */
static spotify_status port_parse(spotify__loopback_uri *out, const char *p, size_t n,
                                 spotify_error *err)
{
    if (n == 0 || p[0] != ':' || n == 1)
        return bad(err, "needs an explicit port (e.g. http://127.0.0.1:8888/callback): Spotify "
                        "matches redirect URIs exactly");
    p++;
    n--;
    if (!is_digits(p, n) || n > 5)
        return bad(err, "has a port that is not a number from 1 to 65535");
    unsigned long port = 0;
    for (size_t i = 0; i < n; i++)
        port = port * 10 + (unsigned long)(p[i] - '0');
    if (port == 0 || port > 65535)
        return bad(err, "has a port that is not a number from 1 to 65535");
    out->port = (unsigned int)port;
    return SPOTIFY_OK;
}

/* host[:port] of `n` bytes. */
static spotify_status authority_parse(spotify__loopback_uri *out, const char *a, size_t n,
                                      spotify_error *err)
{
    if (memchr(a, '@', n) != NULL)
        return bad(err, "must not contain user information (user@host)");
    size_t host_len;
    if (n > 0 && a[0] == '[') {
        const char *close = memchr(a, ']', n);
        if (close == NULL)
            return bad(err, "has an unterminated IPv6 address");
        host_len = (size_t)(close - a) + 1;
        if (host_len != 5 || memcmp(a, "[::1]", 5) != 0)
            return bad(err, "must be on a loopback host: 127.0.0.1 (recommended), [::1] or "
                            "localhost");
        out->ipv6 = true;
    } else {
        const char *colon = memchr(a, ':', n);
        host_len = colon != NULL ? (size_t)(colon - a) : n;
        if (host_len == 0)
            return bad(err, "has no host");
        if (host_len == 7 && memcmp(a, "0.0.0.0", 7) == 0)
            return bad(err, "must not use 0.0.0.0 (that listens on every interface): use "
                            "127.0.0.1");
        if (host_len == 9 && strncasecmp(a, "localhost", 9) == 0)
            out->localhost = true;
        else if (host_len != 9 || memcmp(a, "127.0.0.1", 9) != 0)
            return bad(err, "must be on a loopback host: 127.0.0.1 (recommended), [::1] or "
                            "localhost");
    }
    return port_parse(out, a + host_len, n - host_len, err);
}

/* Whether a raw path byte may stand in a normalised URI path unescaped:
 * RFC 3986 pchar (unreserved, sub-delims, ':' and '@'), '/' and the '%' of
 * an escape. Anything else (space, controls, non-ASCII, "<>\\^`{|}") a
 * browser would percent-encode or drop, so the path it requests would not
 * be the one the server waits on. */
static bool path_char_ok(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("-._~!$&'()*+,;=:@/%", c) != NULL);
}

/* The decoded path must be normalised: browsers resolve "." and ".."
 * segments (also spelled %2e) and turn '\\' into '/', and "//" is an empty
 * segment no one types on purpose. A trailing '/' is kept as it is. */
static spotify_status path_check(const char *path, spotify_error *err)
{
    for (const char *seg = path + 1;; seg++) {
        size_t n = strcspn(seg, "/");
        if ((n == 1 && seg[0] == '.') || (n == 2 && seg[0] == '.' && seg[1] == '.'))
            return bad(err, "has a dot segment (\"/./\" or \"/../\", also as %2e) in its path: "
                            "the browser removes it, so the callback would never match");
        if (n == 0 && seg[0] == '/')
            return bad(err, "has an empty segment (\"//\") in its path");
        if (memchr(seg, '\\', n) != NULL)
            return bad(err, BACKSLASH);
        if (seg[n] == '\0')
            return SPOTIFY_OK;
        seg += n;
    }
}

/* Decodes %XX escapes of the path into out->path, then checks that it is
 * normalised (path_check). */
static spotify_status path_parse(spotify__loopback_uri *out, const char *p, spotify_error *err)
{
    if (*p == '\0') {
        out->path[0] = '/';
        out->path[1] = '\0';
        return SPOTIFY_OK;
    }
    size_t j = 0;
    for (size_t i = 0; p[i] != '\0'; i++) {
        char c = p[i];
        if (!path_char_ok((unsigned char)c))
            return bad(err, "has a character in its path that must be percent-encoded (a space, "
                            "a control or non-ASCII byte, or one of \"<>^`{|})");
        if (c == '%') {
            static const char hex[] = "0123456789abcdef0123456789ABCDEF";
            const char *h = p[i + 1] ? strchr(hex, p[i + 1]) : NULL;
            const char *l = h && p[i + 2] ? strchr(hex, p[i + 2]) : NULL;
            if (h == NULL || l == NULL)
                return bad(err, "has a malformed %-escape in its path");
            c = (char)((((h - hex) & 15) << 4) | ((l - hex) & 15));
            if (c == '\0')
                return bad(err, "has a malformed %-escape in its path");
            i += 2;
        }
        if (j + 1 >= sizeof out->path)
            return bad(err, "has a path that is too long");
        out->path[j++] = c;
    }
    out->path[j] = '\0';
    return path_check(out->path, err);
}

spotify_status spotify__loopback_uri_parse(spotify__loopback_uri *out, const char *uri,
                                           spotify_error *err)
{
    memset(out, 0, sizeof *out);
    if (uri == NULL || uri[0] == '\0')
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_authorize_local: the provider has no " WHAT);
    spotify_status st = SPOTIFY_OK;
    const char *a = skip_scheme(uri, err, &st);
    if (a == NULL)
        return st;
    if (strchr(a, '\\') != NULL)
        return bad(err, BACKSLASH);
    if (strchr(a, '#') != NULL)
        return bad(err, "must not have a fragment (#...)");
    if (strchr(a, '?') != NULL)
        return bad(err, "must not have a query (?...): Spotify appends code and state to it");
    size_t n = strcspn(a, "/");
    st = authority_parse(out, a, n, err);
    if (st != SPOTIFY_OK)
        return st;
    return path_parse(out, a + n, err);
}
