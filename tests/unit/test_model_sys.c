/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_model_sys.c - spotify/sys/model.h: the reflection a binding walks
 * models with (members, kinds, offsets, presence bits, list elements,
 * oneOf alternatives) agrees with the generated structs, and the JSON
 * access reaches members the type does not know, nested values, numbers
 * of every kind and documents parsed from text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <spotify/global.h>
#include <spotify/models.h>
#include <spotify/sys/model.h>

#include "test_util.h"

static spotify_model_field field_named(const spotify_model_type *type, const char *name)
{
    int i = spotify_model_type_find_field(type, name, strlen(name));
    assert_true(i >= 0);
    spotify_model_field f;
    assert_int_equal(spotify_model_type_field(&f, type, (size_t)i), SPOTIFY_OK);
    assert_string_equal(f.name, name);
    return f;
}

static void test_reflection(void **state)
{
    (void)state;
    const spotify_model_type *album = SPOTIFY_MODEL_ALBUM;
    assert_int_equal(spotify_model_type_kind(album), SPOTIFY_MODEL_KIND_OBJECT);
    assert_int_equal(spotify_model_type_size(album), sizeof(spotify_album));
    assert_string_equal(spotify_model_type_c_name(album), "spotify_album");

    spotify_model_field f = field_named(album, "name");
    assert_int_equal(f.kind, SPOTIFY_FIELD_STRING);
    assert_int_equal(f.offset, offsetof(spotify_album, name));
    assert_int_equal(f.index, SPOTIFY_ALBUM_NAME);

    f = field_named(album, "popularity");
    assert_int_equal(f.kind, SPOTIFY_FIELD_INT);
    f = field_named(album, "album_type");
    assert_int_equal(f.kind, SPOTIFY_FIELD_ENUM);
    f = field_named(album, "external_urls");
    assert_int_equal(f.kind, SPOTIFY_FIELD_OBJECT);
    assert_ptr_equal(f.type, SPOTIFY_MODEL_EXTERNAL_URL);
    f = field_named(album, "artists");
    assert_int_equal(f.kind, SPOTIFY_FIELD_LIST);
    assert_int_equal(f.elem_kind, SPOTIFY_FIELD_OBJECT);
    assert_int_equal(f.elem_size, sizeof(spotify_simplified_artist));
    assert_ptr_equal(f.type, SPOTIFY_MODEL_SIMPLIFIED_ARTIST);
    f = field_named(album, "available_markets");
    assert_int_equal(f.elem_kind, SPOTIFY_FIELD_STRING);
    assert_int_equal(f.elem_size, sizeof(const char *));

    assert_int_equal(spotify_model_type_find_field(album, "nope", 4), -1);
    /* The name need not be NUL-terminated. */
    assert_int_equal(spotify_model_type_find_field(album, "namex", 4), (int)SPOTIFY_ALBUM_NAME);
    spotify_model_field past;
    assert_int_equal(spotify_model_type_field(&past, album, spotify_model_type_field_count(album)),
                     SPOTIFY_EINVALID);

    /* A oneOf: a playlist item's track or episode. */
    f = field_named(SPOTIFY_MODEL_PLAYLIST_TRACK, "item");
    assert_int_equal(f.kind, SPOTIFY_FIELD_UNION);
    const spotify_model_type *u = f.type;
    assert_int_equal(spotify_model_type_kind(u), SPOTIFY_MODEL_KIND_UNION);
    assert_int_equal(spotify_model_type_alt_count(u), 2);
    assert_int_equal(spotify_model_type_field_count(u), 0);
    const char *tag;
    size_t offset;
    const spotify_model_type *alt;
    assert_int_equal(spotify_model_type_alt(&tag, &offset, &alt, u, 0), SPOTIFY_OK);
    assert_string_equal(tag, "track");
    assert_int_equal(offset, offsetof(spotify_track_or_episode, track));
    assert_ptr_equal(alt, SPOTIFY_MODEL_TRACK);
    assert_int_equal(spotify_model_type_kind_offset(u), offsetof(spotify_track_or_episode, kind));
    assert_int_equal(spotify_model_type_alt(&tag, &offset, &alt, u, 2), SPOTIFY_EINVALID);

    /* A top-level array. */
    assert_int_equal(spotify_model_type_kind(SPOTIFY_MODEL_ARRAY_OF_BOOLEANS),
                     SPOTIFY_MODEL_KIND_ARRAY);
    assert_int_equal(spotify_model_type_field_count(SPOTIFY_MODEL_ARRAY_OF_BOOLEANS), 1);

    /* Every type is listed once. */
    size_t n = spotify_model_type_count();
    assert_true(n > 90);
    bool seen = false;
    for (size_t i = 0; i < n; i++)
        seen |= spotify_model_type_at(i) == SPOTIFY_MODEL_ALBUM;
    assert_true(seen);
    assert_null(spotify_model_type_at(n));
}

static void test_json_of_model(void **state)
{
    (void)state;
    const char json[] = "{\"name\":\"X\",\"popularity\":7,\"brand_new\":{\"a\":[1,-2,"
                        "18446744073709551615,2.5,true,null,\"s\"]},\"label\":null}";
    spotify_album *album = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_album_decode(&album, json, strlen(json), &err), SPOTIFY_OK);
    assert_int_equal(spotify_model_json_member_count(album), 4);
    /* Three members known (name, popularity, label): one is not. */
    assert_int_equal(__builtin_popcountll(album->meta.present), 3);

    spotify_json_value v;
    assert_true(spotify_model_json(&v, album));
    assert_int_equal(spotify_json_type_of(v), SPOTIFY_JSON_OBJECT);
    size_t unknown = 0;
    for (spotify_json_value m = spotify_json_first(v); spotify_json_valid(m);
         m = spotify_json_next(m)) {
        const char *key;
        size_t len;
        assert_true(spotify_json_key(&key, &len, m));
        if (spotify_model_type_find_field(SPOTIFY_MODEL_ALBUM, key, len) >= 0)
            continue;
        unknown++;
        assert_string_equal(key, "brand_new");
        spotify_json_value a = spotify_json_get(m, "a");
        assert_int_equal(spotify_json_type_of(a), SPOTIFY_JSON_ARRAY);
        assert_int_equal(spotify_json_count(a), 7);
        spotify_json_value e = spotify_json_first(a);
        int64_t i64;
        uint64_t u64;
        double d;
        bool b;
        const char *s;
        size_t slen;
        assert_true(spotify_json_get_int64(&i64, e) && i64 == 1);
        e = spotify_json_next(e);
        assert_true(spotify_json_get_int64(&i64, e) && i64 == -2);
        assert_false(spotify_json_get_uint64(&u64, e));
        e = spotify_json_next(e);
        assert_int_equal(spotify_json_type_of(e), SPOTIFY_JSON_UINT);
        assert_false(spotify_json_get_int64(&i64, e));
        assert_true(spotify_json_get_uint64(&u64, e) && u64 == UINT64_MAX);
        e = spotify_json_next(e);
        assert_true(spotify_json_get_double(&d, e) && d == 2.5);
        e = spotify_json_next(e);
        assert_true(spotify_json_get_bool(&b, e) && b);
        e = spotify_json_next(e);
        assert_int_equal(spotify_json_type_of(e), SPOTIFY_JSON_NULL);
        e = spotify_json_next(e);
        assert_true(spotify_json_get_string(&s, &slen, e));
        assert_int_equal(slen, 1);
        assert_false(spotify_json_valid(spotify_json_next(e)));
    }
    assert_int_equal(unknown, 1);

    /* Nested objects keep their place too. */
    spotify_album_free(album);

    spotify_album plain = {0};
    assert_false(spotify_model_json(&v, &plain));
    assert_int_equal(spotify_model_json_member_count(&plain), 0);
    spotify_json_value none = {NULL, 0};
    assert_int_equal(spotify_json_type_of(none), SPOTIFY_JSON_INVALID);
    assert_false(spotify_json_valid(spotify_json_first(none)));
}

static void test_fixture_nested(void **state)
{
    (void)state;
    size_t len;
    char *json = test_fixture_load("album-tpab.json", &len);
    spotify_album *album = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_album_decode(&album, json, len, &err), SPOTIFY_OK);
    free(json);
    assert_non_null(album->tracks);
    const spotify_simplified_track *t = &album->tracks->items.items[0];
    spotify_json_value v;
    assert_true(spotify_model_json(&v, t));
    const char *name;
    assert_true(spotify_json_get_string(&name, NULL, spotify_json_get(v, "name")));
    assert_string_equal(name, t->name);
    /* Every member of the fixture's album is known, bar the deprecated ones
     * the spec dropped: the count never undercounts the known ones. */
    assert_true(spotify_model_json_member_count(album) >=
                (size_t)__builtin_popcountll(album->meta.present));
    spotify_album_free(album);
}

static void test_document_parse(void **state)
{
    (void)state;
    const char body[] = "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid\"}";
    spotify_json_document *doc = NULL;
    spotify_json_value root;
    spotify_error err = {0};
    assert_int_equal(spotify_json_document_parse(&doc, &root, body, strlen(body), &err),
                     SPOTIFY_OK);
    const char *s;
    assert_true(spotify_json_get_string(&s, NULL, spotify_json_get(root, "error")));
    assert_string_equal(s, "invalid_grant");
    spotify_json_document_free(doc);

    assert_int_equal(spotify_json_document_parse(&doc, &root, "{\"a\":", 5, &err),
                     SPOTIFY_EPROTOCOL);
    assert_null(doc);
    assert_int_equal(spotify_json_document_parse(&doc, &root, NULL, 1, &err), SPOTIFY_EINVALID);
    spotify_json_document_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reflection),
        cmocka_unit_test(test_json_of_model),
        cmocka_unit_test(test_fixture_nested),
        cmocka_unit_test(test_document_parse),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    spotify_global_cleanup();
    return rc;
}
