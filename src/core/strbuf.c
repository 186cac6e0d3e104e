/* SPDX-License-Identifier: Apache-2.0 */
/* core/strbuf.c - the growable text buffer. */
#include "strbuf.h"

#include <stdio.h>
#include <string.h>

#include "alloc.h"

void spotify__strbuf_init(spotify__strbuf *sb)
{
    sb->data = NULL;
    sb->len = 0;
    sb->cap = 0;
    sb->failed = false;
}

static bool strbuf_fail(spotify__strbuf *sb)
{
    sb->failed = true;
    return false;
}

bool spotify__strbuf_reserve(spotify__strbuf *sb, size_t extra)
{
    if (sb->failed)
        return false;
    size_t needed;
    if (!spotify__size_add(sb->len, extra, &needed) || !spotify__size_add(needed, 1, &needed))
        return strbuf_fail(sb);
    if (needed <= sb->cap)
        return true;
    size_t cap = sb->cap < 64 ? 64 : sb->cap;
    while (cap < needed) {
        if (cap > SIZE_MAX / 2) {
            cap = needed;
            break;
        }
        cap *= 2;
    }
    char *data = spotify__realloc(sb->data, cap);
    if (data == NULL)
        return strbuf_fail(sb);
    sb->data = data;
    sb->cap = cap;
    return true;
}

bool spotify__strbuf_append_grow(spotify__strbuf *sb, const char *data, size_t len)
{
    if (!spotify__strbuf_reserve(sb, len))
        return false;
    if (len > 0)
        memcpy(sb->data + sb->len, data, len);
    sb->len += len;
    sb->data[sb->len] = '\0';
    return true;
}

bool spotify__strbuf_append_str(spotify__strbuf *sb, const char *s)
{
    return spotify__strbuf_append(sb, s, s == NULL ? 0 : strlen(s));
}

bool spotify__strbuf_vappendf(spotify__strbuf *sb, const char *fmt, va_list ap)
{
    if (sb->failed)
        return false;
    va_list copy;
    va_copy(copy, ap);
    int needed = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (needed < 0 || !spotify__strbuf_reserve(sb, (size_t)needed))
        return strbuf_fail(sb);
    vsnprintf(sb->data + sb->len, (size_t)needed + 1, fmt, ap);
    sb->len += (size_t)needed;
    return true;
}

bool spotify__strbuf_appendf(spotify__strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bool ok = spotify__strbuf_vappendf(sb, fmt, ap);
    va_end(ap);
    return ok;
}

const char *spotify__strbuf_cstr(const spotify__strbuf *sb)
{
    return sb->data == NULL ? "" : sb->data;
}

void spotify__strbuf_reset(spotify__strbuf *sb)
{
    sb->len = 0;
    sb->failed = false;
    if (sb->data != NULL)
        sb->data[0] = '\0';
}

char *spotify__strbuf_detach(spotify__strbuf *sb, size_t *len_out)
{
    if (sb->failed) {
        spotify__strbuf_release(sb);
        return NULL;
    }
    if (sb->data == NULL && !spotify__strbuf_reserve(sb, 0))
        return NULL;
    char *data = sb->data;
    data[sb->len] = '\0';
    if (len_out != NULL)
        *len_out = sb->len;
    spotify__strbuf_init(sb);
    return data;
}

void spotify__strbuf_release(spotify__strbuf *sb)
{
    spotify__free(sb->data);
    spotify__strbuf_init(sb);
}

void spotify__strbuf_release_secret(spotify__strbuf *sb)
{
    spotify__wipe(sb->data, sb->cap);
    spotify__strbuf_release(sb);
}
