/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_decode_fixtures.c - typed decoding of real Spotify responses
 * (tests/fixtures): every member of every decoded object is compared with the
 * value read directly from the JSON through json/json.h (an expectation walk
 * over the descriptor tables), then explicit spot checks go through the
 * generated struct members by name.
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
#include "core/arena.h"
#include "json/json.h"
#include "json/json_doc.h" /* SPOTIFY__JSON_MEMBER_FLAG */
#include "test_util.h"

/* ---------- the expectation walk ---------- */

typedef struct walk_stats {
    size_t objects;
    size_t members; /* members compared, present or not */
    size_t values;  /* scalar values compared, list elements included */
    size_t unknown; /* JSON members the model does not describe */
} walk_stats;

static void check_object(const spotify__type_desc *type, const char *object, spotify__json v,
                         walk_stats *st);

static const void *ptr_at(const char *src)
{
    const void *p;
    memcpy(&p, src, sizeof p);
    return p;
}

static void check_string(const char *decoded, spotify__json v, walk_stats *st)
{
    const char *s;
    size_t len;
    assert_true(spotify__json_get_string(v, &s, &len));
    assert_non_null(decoded);
    assert_int_equal(strlen(decoded), len);
    assert_memory_equal(decoded, s, len);
    st->values++;
}

static void check_int(const char *src, spotify__json v, walk_stats *st)
{
    int64_t want;
    int64_t got;
    assert_true(spotify__json_get_int64(v, &want));
    memcpy(&got, src, sizeof got);
    assert_true(got == want);
    st->values++;
}

static void check_number(const char *src, spotify__json v, walk_stats *st)
{
    double want;
    double got;
    assert_true(spotify__json_get_double(v, &want));
    memcpy(&got, src, sizeof got);
    assert_memory_equal(&got, &want, sizeof got);
    st->values++;
}

static void check_bool(const char *src, spotify__json v, walk_stats *st)
{
    bool want;
    bool got;
    assert_true(spotify__json_get_bool(v, &want));
    memcpy(&got, src, sizeof got);
    assert_int_equal(got, want);
    st->values++;
}

static void check_enum(const spotify__enum_desc *desc, const char *src, spotify__json v,
                       walk_stats *st)
{
    spotify__enum_layout e;
    memcpy(&e, src, sizeof e);
    check_string(e.text, v, st);
    int want = 0;
    for (uint32_t i = 0; i < desc->count; i++)
        if (strcmp(desc->names[i].text, e.text) == 0)
            want = (int)i + 1;
    assert_int_equal(e.value, want);
}

static void check_union(const spotify__type_desc *type, const char *object, spotify__json v,
                        walk_stats *st)
{
    const spotify_object_meta *meta = (const void *)object;
    assert_ptr_not_equal(meta->doc_, NULL);
    int kind;
    memcpy(&kind, object + type->kind_offset, sizeof kind);
    const char *tag = NULL;
    spotify__json_get_string(spotify__json_get(v, type->tag_name), &tag, NULL);
    int want = 0;
    for (uint32_t i = 0; tag != NULL && i < type->alt_count; i++)
        if (strcmp(type->alts[i].tag, tag) == 0)
            want = (int)i + 1;
    assert_int_equal(kind, want);
    for (uint32_t i = 0; i < type->alt_count; i++) {
        const char *alt = ptr_at(object + type->alts[i].offset);
        if ((int)i + 1 == kind)
            check_object(type->alts[i].type, alt, v, st);
        else
            assert_null(alt);
    }
}

static void check_struct(const spotify__type_desc *type, const char *object, spotify__json v,
                         walk_stats *st)
{
    if (type->kind == SPOTIFY__TYPE_UNION)
        check_union(type, object, v, st);
    else
        check_object(type, object, v, st);
}

static void check_element(const spotify__field_desc *f, const char *item, spotify__json e,
                          walk_stats *st)
{
    bool is_null = spotify__json_is_null(e);
    switch (f->elem_kind) {
    case SPOTIFY__FIELD_STRING:
        if (is_null)
            assert_null(ptr_at(item));
        else
            check_string(ptr_at(item), e, st);
        break;
    case SPOTIFY__FIELD_INT:
        check_int(item, e, st);
        break;
    case SPOTIFY__FIELD_NUMBER:
        check_number(item, e, st);
        break;
    case SPOTIFY__FIELD_BOOL:
        check_bool(item, e, st);
        break;
    case SPOTIFY__FIELD_OBJECT:
    case SPOTIFY__FIELD_UNION:
        if (is_null)
            assert_true((((const spotify_object_meta *)(const void *)item)->flags_ &
                         SPOTIFY_META_JSON_NULL) != 0);
        else
            check_struct(f->type, item, e, st);
        break;
    default:
        fail_msg("unexpected element kind %d", f->elem_kind);
    }
}

static void check_list(const spotify__field_desc *f, const char *src, spotify__json v,
                       walk_stats *st)
{
    spotify__list_layout list;
    memcpy(&list, src, sizeof list);
    assert_int_equal(list.count, spotify__json_count(v));
    if (list.count == 0)
        assert_null(list.items);
    size_t size = spotify__element_size(f);
    size_t i = 0;
    for (spotify__json e = spotify__json_first(v); spotify__json_valid(e);
         e = spotify__json_next(e), i++)
        check_element(f, (const char *)list.items + i * size, e, st);
    assert_int_equal(i, list.count);
}

/* An absent or null member leaves its storage zeroed. */
static void check_zero(const spotify__field_desc *f, const char *src)
{
    size_t size = 0;
    switch (f->kind) {
    case SPOTIFY__FIELD_INT:
    case SPOTIFY__FIELD_NUMBER:
        size = 8;
        break;
    case SPOTIFY__FIELD_BOOL:
        size = sizeof(bool);
        break;
    case SPOTIFY__FIELD_ENUM:
        size = sizeof(spotify__enum_layout);
        break;
    case SPOTIFY__FIELD_LIST:
        size = sizeof(spotify__list_layout);
        break;
    default:
        size = sizeof(void *);
        break;
    }
    static const char zeros[32];
    assert_memory_equal(src, zeros, size);
}

static void check_member(const spotify__field_desc *f, const char *src, spotify__json m,
                         walk_stats *st)
{
    switch (f->kind) {
    case SPOTIFY__FIELD_STRING:
        check_string(ptr_at(src), m, st);
        break;
    case SPOTIFY__FIELD_INT:
        check_int(src, m, st);
        break;
    case SPOTIFY__FIELD_NUMBER:
        check_number(src, m, st);
        break;
    case SPOTIFY__FIELD_BOOL:
        check_bool(src, m, st);
        break;
    case SPOTIFY__FIELD_ENUM:
        check_enum(f->enum_desc, src, m, st);
        break;
    case SPOTIFY__FIELD_OBJECT:
    case SPOTIFY__FIELD_UNION:
        assert_non_null(ptr_at(src));
        check_struct(f->type, ptr_at(src), m, st);
        break;
    case SPOTIFY__FIELD_LIST:
        check_list(f, src, m, st);
        break;
    default:
        fail_msg("unexpected member kind %d in a fixture", f->kind);
    }
}

/* Every member of `type` against the JSON object `v` (an independent parse
 * of the same bytes, so tape positions match the model's raw handles). */
static void check_object(const spotify__type_desc *type, const char *object, spotify__json v,
                         walk_stats *st)
{
    const spotify_object_meta *meta = (const void *)object;
    assert_int_equal(spotify__json_type_of(v), SPOTIFY__JSON_OBJECT);
    assert_non_null(meta->doc_);
    assert_int_equal(meta->index_, v.index & ~SPOTIFY__JSON_MEMBER_FLAG);
    assert_int_equal(meta->flags_, 0);
    st->objects++;
    for (uint32_t i = 0; i < type->field_count; i++) {
        const spotify__field_desc *f = &type->fields[i];
        const char *src = object + f->offset;
        spotify__json m = spotify__json_get(v, f->name);
        bool present = spotify__json_valid(m);
        bool is_null = present && spotify__json_is_null(m);
        st->members++;
        assert_int_equal(spotify_meta_has(meta, f->index), present);
        assert_int_equal(spotify_meta_is_null(meta, f->index), is_null);
        if (!present || is_null)
            check_zero(f, src);
        else
            check_member(f, src, m, st);
    }
    for (spotify__json m = spotify__json_first(v); spotify__json_valid(m);
         m = spotify__json_next(m)) {
        const char *key;
        size_t len;
        assert_true(spotify__json_key(m, &key, &len));
        if (spotify__find_field(type, key, len) == NULL)
            st->unknown++;
    }
}

/* ---------- fixtures ---------- */

typedef struct fixture {
    char *text;
    size_t len;
    void *model;
} fixture;

static fixture decode_fixture(const char *name, const spotify_model_type *type)
{
    fixture fx;
    spotify_error err = {0};
    fx.text = test_fixture_load(name, &fx.len);
    fx.model = NULL;
    spotify_status st = spotify_model_decode(&fx.model, type, fx.text, fx.len, &err);
    if (st != SPOTIFY_OK)
        fail_msg("%s: %s", name, err.message);
    assert_non_null(fx.model);
    return fx;
}

static void fixture_free(fixture *fx)
{
    spotify_model_free(fx->model);
    free(fx->text);
}

/* Decodes `name` as `type` and walks every member against the JSON. */
static walk_stats walk_fixture(const char *name, const spotify_model_type *type)
{
    fixture fx = decode_fixture(name, type);
    spotify__arena *arena = spotify__arena_new(0);
    assert_non_null(arena);
    spotify__json root;
    assert_int_equal(spotify__json_parse(&root, arena, fx.text, fx.len, fx.len, NULL), SPOTIFY_OK);
    walk_stats st = {0, 0, 0, 0};
    check_struct(type, fx.model, root, &st);
    spotify__arena_free(arena);
    fixture_free(&fx);
    return st;
}

static void test_walk_album_tpab(void **state)
{
    (void)state;
    walk_stats st = walk_fixture("album-tpab.json", SPOTIFY_MODEL_ALBUM);
    print_message("album-tpab.json: %zu objects, %zu members, %zu values, %zu unknown\n",
                  st.objects, st.members, st.values, st.unknown);
    /* album, its artist, images, copyrights, 16 tracks with artists and urls */
    assert_true(st.objects > 80);
    /* 17 x 184 markets alone */
    assert_true(st.values > 17 * 184);
    assert_int_equal(st.unknown, 0);
}

static void test_walk_other_fixtures(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        const spotify_model_type *type;
        size_t min_values;
    } cases[] = {
        {"track-wesleys-theory.json", SPOTIFY_MODEL_TRACK, 2 * 184},
        {"artist-kendrick-lamar.json", SPOTIFY_MODEL_ARTIST, 15},
        {"user-public.json", SPOTIFY_MODEL_PUBLIC_USER, 8},
        {"album-tracks-page.json", SPOTIFY_MODEL_PAGING_SIMPLIFIED_TRACK, 100},
        {"browse-categories.json", SPOTIFY_MODEL_PAGED_CATEGORIES, 20},
        {"album-ts-sdk.json", SPOTIFY_MODEL_ALBUM, 100},
        {"artist-ts-sdk.json", SPOTIFY_MODEL_ARTIST, 10},
        {"track-ts-sdk.json", SPOTIFY_MODEL_TRACK, 20},
        {"category.json", SPOTIFY_MODEL_CATEGORY, 4},
        {"markets.json", SPOTIFY_MODEL_MARKETS, 184},
        {"recommendation-genres.json", SPOTIFY_MODEL_MANY_GENRES, 126},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        walk_stats st = walk_fixture(cases[i].name, cases[i].type);
        if (st.values < cases[i].min_values)
            fail_msg("%s: only %zu values compared", cases[i].name, st.values);
    }
}

/* ---------- spot checks through the struct members ---------- */

static void test_album_tpab_spot_checks(void **state)
{
    (void)state;
    fixture fx = decode_fixture("album-tpab.json", SPOTIFY_MODEL_ALBUM);
    const spotify_album *a = fx.model;
    assert_string_equal(a->name, "To Pimp A Butterfly");
    assert_string_equal(a->id, "7ycBtnsMtyVbbwTfJwRjSP");
    assert_string_equal(a->uri, "spotify:album:7ycBtnsMtyVbbwTfJwRjSP");
    assert_int_equal(a->album_type.value, SPOTIFY_ALBUM_TYPE_ALBUM);
    assert_string_equal(a->album_type.text, "album");
    assert_int_equal(a->type.value, SPOTIFY_OBJECT_TYPE_ALBUM);
    assert_int_equal(a->total_tracks, 16);
    assert_string_equal(a->release_date, "2015-03-16");
    assert_int_equal(a->release_date_precision.value, SPOTIFY_RELEASE_DATE_PRECISION_DAY);
    assert_string_equal(a->label, "Aftermath");
    assert_int_equal(a->popularity, 79);
    assert_int_equal(a->genres.count, 0);
    assert_true(spotify_has(a, SPOTIFY_ALBUM_GENRES));
    assert_false(spotify_has(a, SPOTIFY_ALBUM_RESTRICTIONS));
    assert_null(a->restrictions);

    assert_int_equal(a->available_markets.count, 184);
    assert_string_equal(a->available_markets.items[0], "AR");
    assert_string_equal(a->external_urls->spotify,
                        "https://open.spotify.com/album/7ycBtnsMtyVbbwTfJwRjSP");
    assert_string_equal(a->external_ids->upc, "00602547289049");

    assert_int_equal(a->images.count, 3);
    assert_string_equal(a->images.items[0].url,
                        "https://i.scdn.co/image/ab67616d0000b273cdb645498cd3d8a2db4d05e1");
    assert_int_equal(a->images.items[0].height, 640);
    assert_int_equal(a->images.items[2].width, 64);

    assert_int_equal(a->copyrights.count, 2);
    assert_string_equal(a->copyrights.items[0].type, "C");
    assert_string_equal(a->copyrights.items[1].type, "P");
    assert_string_equal(a->copyrights.items[0].text,
                        "\xc2\xa9 2015 Aftermath/Interscope (Top Dawg Entertainment)");

    assert_int_equal(a->artists.count, 1);
    assert_string_equal(a->artists.items[0].name, "Kendrick Lamar");

    const spotify_paging_simplified_track *tracks = a->tracks;
    assert_non_null(tracks);
    assert_int_equal(tracks->total, 16);
    assert_int_equal(tracks->limit, 50);
    assert_null(tracks->next);
    assert_true(spotify_has(tracks, SPOTIFY_PAGING_SIMPLIFIED_TRACK_NEXT));
    assert_true(spotify_is_null(tracks, SPOTIFY_PAGING_SIMPLIFIED_TRACK_NEXT));
    assert_int_equal(tracks->items.count, 16);
    const spotify_simplified_track *t0 = &tracks->items.items[0];
    assert_string_equal(t0->name, "Wesley's Theory");
    assert_int_equal(t0->duration_ms, 287360);
    assert_int_equal(t0->track_number, 1);
    assert_true(t0->explicit_);
    assert_int_equal(t0->artists.count, 3);
    assert_string_equal(t0->artists.items[0].name, "Kendrick Lamar");
    assert_int_equal(t0->available_markets.count, 184);
    const spotify_simplified_track *t3 = &tracks->items.items[3];
    assert_string_equal(t3->name, "Institutionalized");
    assert_int_equal(t3->duration_ms, 271773);
    assert_int_equal(t3->artists.count, 4);
    assert_null(t3->preview_url);
    assert_true(spotify_is_null(t3, SPOTIFY_SIMPLIFIED_TRACK_PREVIEW_URL));
    assert_true(spotify_has(t3, SPOTIFY_SIMPLIFIED_TRACK_IS_LOCAL));
    assert_false(t3->is_local);
    assert_false(spotify_has(t3, SPOTIFY_SIMPLIFIED_TRACK_LINKED_FROM));
    fixture_free(&fx);
}

static void test_track_spot_checks(void **state)
{
    (void)state;
    fixture fx = decode_fixture("track-wesleys-theory.json", SPOTIFY_MODEL_TRACK);
    const spotify_track *t = fx.model;
    assert_string_equal(t->name, "Wesley's Theory");
    assert_int_equal(t->duration_ms, 287360);
    assert_int_equal(t->popularity, 70);
    assert_int_equal(t->disc_number, 1);
    assert_int_equal(t->type.value, SPOTIFY_OBJECT_TYPE_TRACK);
    assert_int_equal(t->artists.count, 3);
    assert_string_equal(t->artists.items[0].name, "Kendrick Lamar");
    assert_non_null(t->album);
    assert_string_equal(t->album->name, "To Pimp A Butterfly");
    assert_int_equal(t->album->album_type.value, SPOTIFY_ALBUM_TYPE_ALBUM);
    assert_int_equal(t->available_markets.count, 184);
    assert_non_null(t->external_ids);
    assert_non_null(t->external_ids->isrc);
    assert_true(spotify_is_null(t, SPOTIFY_TRACK_PREVIEW_URL));
    fixture_free(&fx);
}

static void test_artist_user_category_spot_checks(void **state)
{
    (void)state;
    fixture fx = decode_fixture("artist-kendrick-lamar.json", SPOTIFY_MODEL_ARTIST);
    const spotify_artist *ar = fx.model;
    assert_string_equal(ar->name, "Kendrick Lamar");
    assert_int_equal(ar->popularity, 91);
    assert_int_equal(ar->genres.count, 2);
    assert_non_null(ar->followers);
    assert_true(ar->followers->total > 1000000);
    assert_true(spotify_is_null(ar->followers, SPOTIFY_FOLLOWERS_HREF));
    assert_int_equal(ar->images.count, 3);
    fixture_free(&fx);

    fx = decode_fixture("user-public.json", SPOTIFY_MODEL_PUBLIC_USER);
    const spotify_public_user *u = fx.model;
    assert_string_equal(u->display_name, "Jo Franchetti");
    assert_string_equal(u->id, "11124066204");
    assert_int_equal(u->type.value, SPOTIFY_OBJECT_TYPE_USER);
    assert_int_equal(u->images.count, 1);
    assert_non_null(u->followers);
    fixture_free(&fx);

    fx = decode_fixture("browse-categories.json", SPOTIFY_MODEL_PAGED_CATEGORIES);
    const spotify_paged_categories *pc = fx.model;
    assert_non_null(pc->categories);
    assert_true(pc->categories->items.count > 0);
    assert_int_equal(pc->categories->items.count, pc->categories->limit < pc->categories->total
                                                      ? pc->categories->limit
                                                      : pc->categories->total);
    assert_non_null(pc->categories->items.items[0].name);
    assert_true(pc->categories->items.items[0].icons.count > 0);
    fixture_free(&fx);

    fx = decode_fixture("album-tracks-page.json", SPOTIFY_MODEL_PAGING_SIMPLIFIED_TRACK);
    const spotify_paging_simplified_track *page = fx.model;
    assert_int_equal(page->total, 11);
    assert_int_equal(page->items.count, 11);
    assert_int_equal(page->limit, 20);
    assert_non_null(page->items.items[10].name);
    fixture_free(&fx);
}

/* The raw JSON of the top-level object is the whole document, compacted. */
static void test_raw_json_of_fixture(void **state)
{
    (void)state;
    fixture fx = decode_fixture("album-tpab.json", SPOTIFY_MODEL_ALBUM);
    char *raw = NULL;
    size_t len = 0;
    spotify_error err = {0};
    assert_int_equal(spotify_model_raw_json(&raw, &len, fx.model, &err), SPOTIFY_OK);
    /* Same value: decoding the raw text again walks equal. */
    void *again = NULL;
    assert_int_equal(spotify_model_decode(&again, SPOTIFY_MODEL_ALBUM, raw, len, &err), SPOTIFY_OK);
    const spotify_album *a = again;
    assert_string_equal(a->name, "To Pimp A Butterfly");
    assert_int_equal(a->tracks->items.count, 16);
    spotify_model_free(again);
    assert_true(len < fx.len);
    spotify_free(raw);

    const spotify_album *orig = fx.model;
    assert_int_equal(spotify_model_raw_json(&raw, &len, orig->external_urls, &err), SPOTIFY_OK);
    assert_string_equal(raw,
                        "{\"spotify\":\"https://open.spotify.com/album/7ycBtnsMtyVbbwTfJwRjSP\"}");
    spotify_free(raw);
    fixture_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_album_tpab),
        cmocka_unit_test(test_walk_other_fixtures),
        cmocka_unit_test(test_album_tpab_spot_checks),
        cmocka_unit_test(test_track_spot_checks),
        cmocka_unit_test(test_artist_user_category_spot_checks),
        cmocka_unit_test(test_raw_json_of_fixture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
