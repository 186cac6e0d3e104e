/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_basic.c - libFuzzer target: the Basic client-credentials decoder
 * (oauth.h) on any header value, plus the PKCE checks on the same bytes.
 * A successful decode must give a non-empty id without ':' and no control
 * bytes; a failed one must leave both buffers empty.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "oauth.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_credential(const spotify__strbuf *sb, bool is_id)
{
    const char *s = spotify__strbuf_cstr(sb);
    if (strlen(s) != sb->len)
        __builtin_trap(); /* an embedded NUL got through */
    for (size_t i = 0; i < sb->len; i++)
        if ((unsigned char)s[i] < 0x20 || (is_id && s[i] == ':'))
            __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *header = malloc(size + 1);
    if (header == NULL)
        return 0;
    memcpy(header, data, size);
    header[size] = '\0';
    spotify__strbuf id = SPOTIFY__STRBUF_INIT, secret = SPOTIFY__STRBUF_INIT;
    if (emu_basic_decode(header, &id, &secret)) {
        if (id.len == 0)
            __builtin_trap();
        check_credential(&id, true);
        check_credential(&secret, false);
    } else if (id.len != 0 || secret.len != 0) {
        __builtin_trap();
    }
    (void)emu_pkce_verify(header, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    (void)emu_pkce_challenge_valid(header);
    uint32_t scopes;
    (void)emu_scopes_parse(header, &scopes, NULL, NULL);
    spotify__strbuf_release(&id);
    spotify__strbuf_release(&secret);
    free(header);
    return 0;
}
