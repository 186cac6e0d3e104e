/* SPDX-License-Identifier: Apache-2.0 */
/* core/http_syntax.c - header values and RFC 6750 bearer token syntax. */
#include "http_syntax.h"

#include <string.h>

bool spotify__http_header_value_safe(const char *s)
{
    return strpbrk(s, "\r\n") == NULL;
}

static bool b64token_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

bool spotify__http_b64token_valid(const char *s, size_t len)
{
    if (s == NULL)
        return false;
    size_t i = 0;
    while (i < len && b64token_char((unsigned char)s[i]))
        i++;
    if (i == 0)
        return false;
    while (i < len && s[i] == '=')
        i++;
    return i == len;
}
