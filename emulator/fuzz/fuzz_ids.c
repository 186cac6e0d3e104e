/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_ids.c - libFuzzer target: the id-list reader of the library,
 * follow and several-item endpoints (emu_api_ids in api.h) on hostile
 * input. The first byte picks the form (query string or JSON body) and the
 * id kind (Spotify ids or user ids); the rest is the query string or body.
 * It must accept or reject without crashing; an accepted list holds 1..max
 * NUL-terminated ids of the right shape, a rejection is a 400 reply.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "core/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    bool body_form = (data[0] & 1) != 0, users = (data[0] & 2) != 0;
    size_t max = 1 + (size_t)(data[0] >> 2) % EMU_MAX_IDS;
    char *text = malloc(size);
    if (text == NULL)
        return 0;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    emu_request req;
    memset(&req, 0, sizeof req);
    req.query = body_form ? "" : text;
    spotify__json body = {0};
    spotify__arena *arena = spotify__arena_new(0);
    if (body_form && arena != NULL) {
        spotify_error err = {0};
        if (spotify__json_parse(&body, arena, text, size - 1, size - 1, &err) != SPOTIFY_OK)
            body = (spotify__json){0};
    }
    emu_reply reply;
    emu_reply_init(&reply);
    static emu_id_list ids;
    if (emu_api_ids(&req, &reply, body, max, users, &ids)) {
        if (ids.count == 0 || ids.count > max || reply.status != 0)
            __builtin_trap();
        for (size_t i = 0; i < ids.count; i++) {
            size_t len = strlen(ids.ids[i]);
            if (users ? len == 0 || len > EMU_USER_ID_MAX : !emu_is_spotify_id(ids.ids[i], len))
                __builtin_trap();
        }
    } else if (reply.status != 400) {
        __builtin_trap();
    }
    emu_reply_release(&reply);
    emu_request_release(&req);
    spotify__arena_free(arena);
    free(text);
    return 0;
}
