/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fuzz_json.c - libFuzzer target for the JSON layer: spotify__json_parse,
 * the reader, and re-serialisation with spotify__jw_value.
 *
 * Any document that parses must be written back out as valid JSON that
 * parses again and re-serialises to exactly the same bytes (the writer's
 * output is a fixed point).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "json/json.h"
#include "json/json_write.h"
#include "fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Walks every value (exercises the reader's getters and iteration). */
static size_t walk(spotify__json v, int depth)
{
    size_t n = 1;
    const char *s;
    size_t len;
    double d;
    int64_t i;
    bool b;
    (void)spotify__json_get_string(v, &s, &len);
    (void)spotify__json_get_double(v, &d);
    (void)spotify__json_get_int64(v, &i);
    (void)spotify__json_get_bool(v, &b);
    (void)spotify__json_type_name(spotify__json_type_of(v));
    for (spotify__json c = spotify__json_first(v); spotify__json_valid(c);
         c = spotify__json_next(c)) {
        spotify__json value = c;
        if (spotify__json_type_of(v) == SPOTIFY__JSON_OBJECT) {
            FUZZ_CHECK(spotify__json_key(c, &s, &len));
            value = spotify__json_member_value(c);
        }
        n += walk(value, depth + 1);
    }
    return n;
}

/* Writes `v` compactly into `out`. */
static void write_value(spotify__strbuf *out, spotify__json v)
{
    spotify__json_writer w;
    spotify__jw_init(&w, out);
    spotify__jw_value(&w, v);
    FUZZ_CHECK(spotify__jw_ok(&w));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    spotify__arena *arena = spotify__arena_new(0);
    if (arena == NULL)
        return 0;
    spotify__json root;
    if (spotify__json_parse(&root, arena, (const char *)data, size, size, NULL) != SPOTIFY_OK) {
        spotify__arena_free(arena);
        return 0;
    }
    (void)walk(root, 0);
    spotify__strbuf first = SPOTIFY__STRBUF_INIT;
    write_value(&first, root);

    spotify__json again;
    spotify_status st = spotify__json_parse(&again, arena, first.data, first.len, first.len, NULL);
    FUZZ_CHECK(st == SPOTIFY_OK);
    spotify__strbuf second = SPOTIFY__STRBUF_INIT;
    write_value(&second, again);
    FUZZ_CHECK(first.len == second.len && memcmp(first.data, second.data, first.len) == 0);

    spotify__strbuf_release(&first);
    spotify__strbuf_release(&second);
    spotify__arena_free(arena);
    return 0;
}
