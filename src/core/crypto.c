/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/crypto.c - CSPRNG, SHA-256 (OpenSSL libcrypto) and base64.
 *
 * base64 is done here with lookup tables rather than EVP_EncodeBlock and
 * EVP_DecodeBlock: those take int lengths, and the decoder accepts
 * surrounding whitespace and reports padding as decoded zero bytes. The
 * decoder here is strict: length a multiple of 4, only alphabet bytes,
 * `=` only as the last one or two bytes, and zero bits under the padding
 * (the canonical encoding of RFC 4648 section 3.5).
 */
#include "crypto.h"

#include <limits.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

bool spotify__random_bytes(void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        int chunk = len > INT_MAX ? INT_MAX : (int)len;
        if (RAND_bytes(p, chunk) != 1)
            return false;
        p += chunk;
        len -= (size_t)chunk;
    }
    return true;
}

double spotify__random_unit(void)
{
    unsigned char bytes[8];
    if (!spotify__random_bytes(bytes, sizeof bytes))
        return 0.5;
    uint64_t bits = 0;
    for (size_t i = 0; i < sizeof bytes; i++)
        bits = bits << 8 | bytes[i];
    /* The top 53 bits, scaled by 2^-53: every value is exact and < 1. */
    return (double)(bits >> 11) * (1.0 / 9007199254740992.0);
}

bool spotify__sha256(const void *data, size_t len, uint8_t out[32])
{
    unsigned int out_len = 0;
    if (data == NULL && len > 0)
        return false;
    if (EVP_Digest(data == NULL ? "" : data, len, out, &out_len, EVP_sha256(), NULL) != 1)
        return false;
    return out_len == 32;
}

/* Encodes with `alphabet`; `pad` adds '=' to complete the last quantum. */
static bool b64_encode(spotify__strbuf *sb, const void *data, size_t len, const char *alphabet,
                       bool pad)
{
    if (sb->failed || (data == NULL && len > 0))
        return false;
    if (len / 3 > (SIZE_MAX - 4) / 4)
        return false;
    size_t out_len = len / 3 * 4 + (len % 3 == 0 ? 0 : 4);
    if (!spotify__strbuf_reserve(sb, out_len))
        return false;
    const unsigned char *in = data;
    char *out = sb->data + sb->len;
    size_t n = 0;
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        uint32_t v = (uint32_t)in[i] << 16 | (uint32_t)in[i + 1] << 8 | in[i + 2];
        out[n++] = alphabet[v >> 18];
        out[n++] = alphabet[(v >> 12) & 0x3f];
        out[n++] = alphabet[(v >> 6) & 0x3f];
        out[n++] = alphabet[v & 0x3f];
    }
    if (i < len) {
        uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0);
        out[n++] = alphabet[v >> 18];
        out[n++] = alphabet[(v >> 12) & 0x3f];
        if (i + 1 < len)
            out[n++] = alphabet[(v >> 6) & 0x3f];
        else if (pad)
            out[n++] = '=';
        if (pad)
            out[n++] = '=';
    }
    sb->len += n;
    sb->data[sb->len] = '\0';
    return true;
}

bool spotify__base64_encode(spotify__strbuf *sb, const void *data, size_t len)
{
    return b64_encode(sb, data, len, b64_std, true);
}

bool spotify__base64url_encode(spotify__strbuf *sb, const void *data, size_t len)
{
    return b64_encode(sb, data, len, b64_url, false);
}

/* The 6-bit value of a standard base64 byte, or -1. */
static int b64_value(char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

/* Decodes one 4-byte quantum into `out`; returns the bytes written (1-3),
 * or 0 when invalid. Padding is allowed only when `last`. */
static size_t b64_quantum(const char *q, bool last, unsigned char *out)
{
    int v[4] = {0, 0, 0, 0};
    size_t pad = 0;
    if (last && q[3] == '=')
        pad = q[2] == '=' ? 2 : 1;
    for (size_t k = 0; k < 4 - pad; k++) {
        v[k] = b64_value(q[k]);
        if (v[k] < 0)
            return 0;
    }
    uint32_t bits = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12;
    if (pad < 2)
        bits |= (uint32_t)v[2] << 6;
    if (pad < 1)
        bits |= (uint32_t)v[3];
    /* Canonical form: the bits under the padding are zero. */
    if ((pad == 2 && (bits & 0xffff) != 0) || (pad == 1 && (bits & 0xff) != 0))
        return 0;
    out[0] = (unsigned char)(bits >> 16);
    out[1] = (unsigned char)(bits >> 8);
    out[2] = (unsigned char)bits;
    return 3 - pad;
}

bool spotify__base64_decode(spotify__strbuf *sb, const char *s, size_t len)
{
    if (sb->failed || (s == NULL && len > 0) || len % 4 != 0)
        return false;
    if (!spotify__strbuf_reserve(sb, len / 4 * 3))
        return false;
    size_t start_len = sb->len;
    unsigned char *out = (unsigned char *)sb->data + sb->len;
    size_t n = 0;
    for (size_t i = 0; i < len; i += 4) {
        size_t got = b64_quantum(s + i, i + 4 == len, out + n);
        if (got == 0) {
            sb->len = start_len;
            sb->data[start_len] = '\0';
            return false;
        }
        n += got;
    }
    sb->len += n;
    sb->data[sb->len] = '\0';
    return true;
}
