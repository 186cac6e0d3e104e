/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_decode_schemas.c - every model type decoded from an example built
 * from its schema by the generator (decode_examples.h: all members present,
 * arrays of two, oneOf alternating): every member must come out present,
 * non-null and known, and encoding the model (and its raw JSON) must give
 * back the example byte for byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/global.h>
#include <spotify/models.h>

#include "api/decode.h"
#include "api/models_desc.h"
#include "decode_examples.h"

static void check_full(const spotify__type_desc *type, const char *object, const char *path);

static const void *ptr_at(const char *src)
{
    const void *p;
    memcpy(&p, src, sizeof p);
    return p;
}

static void check_struct_full(const spotify__type_desc *type, const char *object, const char *path)
{
    if (type->kind != SPOTIFY__TYPE_UNION) {
        check_full(type, object, path);
        return;
    }
    int kind;
    memcpy(&kind, object + type->kind_offset, sizeof kind);
    if (kind < 1 || (uint32_t)kind > type->alt_count)
        fail_msg("%s: oneOf kind %d", path, kind);
    const char *chosen = ptr_at(object + type->alts[kind - 1].offset);
    if (chosen == NULL)
        fail_msg("%s: oneOf alternative missing", path);
    check_full(type->alts[kind - 1].type, chosen, path);
}

static void check_value_full(const spotify__field_desc *f, int kind, const char *src,
                             const char *path)
{
    spotify__enum_layout e;
    switch (kind) {
    case SPOTIFY__FIELD_STRING:
    case SPOTIFY__FIELD_JSON:
        if (ptr_at(src) == NULL)
            fail_msg("%s: NULL string", path);
        break;
    case SPOTIFY__FIELD_ENUM:
        memcpy(&e, src, sizeof e);
        if (e.value == 0 || e.text == NULL)
            fail_msg("%s: enum not decoded", path);
        break;
    case SPOTIFY__FIELD_OBJECT:
    case SPOTIFY__FIELD_UNION:
        if (ptr_at(src) == NULL)
            fail_msg("%s: NULL object", path);
        check_struct_full(f->type, ptr_at(src), path);
        break;
    default: /* integers, numbers and booleans: presence is all there is */
        break;
    }
}

/* Every member present, not null, and filled; recursively. */
static void check_full(const spotify__type_desc *type, const char *object, const char *path)
{
    const spotify_object_meta *meta = (const void *)object;
    uint64_t all = type->field_count == 64 ? UINT64_MAX : ((uint64_t)1 << type->field_count) - 1;
    if (meta->present != all || meta->null != 0)
        fail_msg("%s (%s): present %llx null %llx", path, type->name,
                 (unsigned long long)meta->present, (unsigned long long)meta->null);
    for (uint32_t i = 0; i < type->field_count; i++) {
        const spotify__field_desc *f = &type->fields[i];
        const char *src = object + f->offset;
        char sub[512];
        snprintf(sub, sizeof sub, "%s.%s", path, f->name);
        if (f->kind != SPOTIFY__FIELD_LIST) {
            check_value_full(f, f->kind, src, sub);
            continue;
        }
        spotify__list_layout list;
        memcpy(&list, src, sizeof list);
        if (list.count != 2 || list.items == NULL)
            fail_msg("%s: %zu elements", sub, list.count);
        size_t size = spotify__element_size(f);
        for (size_t k = 0; k < list.count; k++) {
            const char *item = (const char *)list.items + k * size;
            if (f->elem_kind == SPOTIFY__FIELD_OBJECT || f->elem_kind == SPOTIFY__FIELD_UNION)
                check_struct_full(f->type, item, sub);
            else
                check_value_full(f, f->elem_kind, item, sub);
        }
    }
}

static void test_every_type_has_an_example(void **state)
{
    (void)state;
    size_t objects = 0;
    for (size_t i = 0; i < spotify__model_type_count; i++)
        if (spotify__model_types[i]->kind == SPOTIFY__TYPE_OBJECT)
            objects++;
    assert_int_equal(objects, sizeof decode_examples / sizeof decode_examples[0]);
    assert_true(objects >= 90);
}

/* The example's pieces joined; free with free(). */
static char *example_text(const decode_example *ex)
{
    size_t len = 0;
    for (size_t i = 0; ex->parts[i] != NULL; i++)
        len += strlen(ex->parts[i]);
    char *text = malloc(len + 1);
    assert_non_null(text);
    text[0] = '\0';
    for (size_t i = 0; ex->parts[i] != NULL; i++)
        strcat(text, ex->parts[i]);
    return text;
}

static void test_decode_every_example(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof decode_examples / sizeof decode_examples[0]; i++) {
        const decode_example *ex = &decode_examples[i];
        const char *name = spotify_model_type_name(ex->type);
        char *json = example_text(ex);
        spotify_error err = {0};
        void *model = NULL;
        size_t len = strlen(json);
        if (spotify_model_decode(&model, ex->type, json, len, &err) != SPOTIFY_OK)
            fail_msg("%s: %s", name, err.message);
        check_full(ex->type, model, name);

        char *text = NULL;
        size_t text_len = 0;
        assert_int_equal(spotify_model_encode(&text, &text_len, ex->type, model, &err), SPOTIFY_OK);
        if (strcmp(text, json) != 0)
            fail_msg("%s: encode differs:\n  %s\n  %s", name, json, text);
        assert_int_equal(text_len, len);
        spotify_free(text);

        assert_int_equal(spotify_model_raw_json(&text, &text_len, model, &err), SPOTIFY_OK);
        if (strcmp(text, json) != 0)
            fail_msg("%s: raw JSON differs", name);
        spotify_free(text);
        spotify_model_free(model);
        free(json);
    }
}

/* An empty object decodes for every object type: nothing is required in
 * practice. (Array types hold top-level JSON arrays: test_operations.c.) */
static void test_empty_object_for_every_type(void **state)
{
    (void)state;
    for (size_t i = 0; i < spotify__model_type_count; i++) {
        const spotify__type_desc *type = spotify__model_types[i];
        if (type->kind == SPOTIFY__TYPE_ARRAY)
            continue;
        spotify_error err = {0};
        void *model = NULL;
        if (spotify_model_decode(&model, type, "{}", 2, &err) != SPOTIFY_OK)
            fail_msg("%s: %s", type->name, err.message);
        const spotify_object_meta *meta = model;
        assert_int_equal(meta->present, 0);
        char *text = NULL;
        assert_int_equal(spotify_model_encode(&text, NULL, type, model, &err), SPOTIFY_OK);
        assert_string_equal(text, "{}"); /* a oneOf with no alternative: its raw JSON */
        spotify_free(text);
        spotify_model_free(model);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_has_an_example),
        cmocka_unit_test(test_decode_every_example),
        cmocka_unit_test(test_empty_object_for_every_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
