/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_decode_errors.c - the typed decoder on malformed, hostile and merely
 * surprising input: wrong types at depth (with the JSON path in the
 * message), huge arrays, deep nesting, invalid UTF-8, numbers out of range;
 * and what real responses do that the specification does not promise
 * (missing "required" members, nulls, unknown enum values, unknown members,
 * unknown oneOf alternatives), raw JSON, encoding request bodies, and
 * concurrent reads of one model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/global.h>
#include <spotify/models.h>

#include "api/decode.h"
#include "core/strbuf.h"

/* ---------- helpers ---------- */

static void *decode_ok(const spotify_model_type *type, const char *json)
{
    spotify_error err = {0};
    void *model = NULL;
    spotify_status st = spotify_model_decode(&model, type, json, strlen(json), &err);
    if (st != SPOTIFY_OK)
        fail_msg("decode failed: %s (%s)", err.message, json);
    return model;
}

/* Decoding must fail with SPOTIFY_EPROTOCOL and exactly `message`. */
static void expect_error_len(const spotify_model_type *type, const char *json, size_t len,
                             const char *message)
{
    spotify_error err = {0};
    void *model = (void *)&err;
    assert_int_equal(spotify_model_decode(&model, type, json, len, &err), SPOTIFY_EPROTOCOL);
    assert_null(model);
    assert_int_equal(err.status, SPOTIFY_EPROTOCOL);
    if (message != NULL && strcmp(err.message, message) != 0)
        fail_msg("message \"%s\", expected \"%s\"", err.message, message);
}

static void expect_error(const spotify_model_type *type, const char *json, const char *message)
{
    expect_error_len(type, json, strlen(json), message);
}

/* Decoding must fail with SPOTIFY_EPROTOCOL and a message containing `part`. */
static void expect_error_containing(const spotify_model_type *type, const char *json, size_t len,
                                    const char *part)
{
    spotify_error err = {0};
    void *model = NULL;
    assert_int_equal(spotify_model_decode(&model, type, json, len, &err), SPOTIFY_EPROTOCOL);
    assert_null(model);
    if (strstr(err.message, part) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", err.message, part);
}

static char *raw_json(const void *object)
{
    char *text = NULL;
    spotify_error err = {0};
    assert_int_equal(spotify_model_raw_json(&text, NULL, object, &err), SPOTIFY_OK);
    return text;
}

static char *encode(const spotify_model_type *type, const void *object)
{
    char *text = NULL;
    size_t len = 0;
    spotify_error err = {0};
    if (spotify_model_encode(&text, &len, type, object, &err) != SPOTIFY_OK)
        fail_msg("encode failed: %s", err.message);
    assert_int_equal(strlen(text), len);
    return text;
}

/* ---------- wrong types, with paths ---------- */

static void test_wrong_types_name_the_path(void **state)
{
    (void)state;
    expect_error(SPOTIFY_MODEL_ALBUM,
                 "{\"name\":\"x\",\"tracks\":{\"items\":[{},{},{},{\"duration_ms\":\"271773\"}]}}",
                 "tracks.items[3].duration_ms: expected integer, got string");
    expect_error(SPOTIFY_MODEL_TRACK, "{\"album\":{\"artists\":[{\"name\":\"a\"},{\"name\":7}]}}",
                 "album.artists[1].name: expected string, got integer");
    expect_error(SPOTIFY_MODEL_ALBUM, "{\"external_urls\":\"https://x\"}",
                 "external_urls: expected object, got string");
    expect_error(SPOTIFY_MODEL_ALBUM, "{\"artists\":{\"name\":\"a\"}}",
                 "artists: expected array, got object");
    expect_error(SPOTIFY_MODEL_ALBUM, "{\"available_markets\":[\"SE\",\"DE\",5]}",
                 "available_markets[2]: expected string, got integer");
    expect_error(SPOTIFY_MODEL_ALBUM, "{\"images\":[{\"url\":\"u\"},\"x\"]}",
                 "images[1]: expected object, got string");
    expect_error(SPOTIFY_MODEL_TRACK, "{\"explicit\":\"true\"}",
                 "explicit: expected boolean, got string");
    expect_error(SPOTIFY_MODEL_TRACK, "{\"explicit\":1}",
                 "explicit: expected boolean, got integer");
    expect_error(SPOTIFY_MODEL_AUDIO_FEATURES, "{\"danceability\":\"0.5\"}",
                 "danceability: expected number, got string");
    expect_error(SPOTIFY_MODEL_ALBUM, "{\"album_type\":1}",
                 "album_type: expected string, got integer");
    expect_error(SPOTIFY_MODEL_ALBUM, "{\"album_type\":[\"album\"]}",
                 "album_type: expected string, got array");
    expect_error(SPOTIFY_MODEL_SEGMENT, "{\"pitches\":[0.5,null]}",
                 "pitches[1]: expected number, got null");
    expect_error(SPOTIFY_MODEL_SEGMENT, "{\"pitches\":[0.5,\"x\"]}",
                 "pitches[1]: expected number, got string");
    expect_error(SPOTIFY_MODEL_QUEUE, "{\"queue\":[{\"type\":\"track\",\"name\":{}}]}",
                 "queue[0].name: expected string, got object");
    expect_error(SPOTIFY_MODEL_QUEUE, "{\"currently_playing\":[]}",
                 "currently_playing: expected object, got array");
    expect_error(SPOTIFY_MODEL_PLAYLIST,
                 "{\"tracks\":{\"items\":[{\"track\":{\"type\":\"episode\",\"show\":{\"images\":"
                 "[{\"height\":\"big\"}]}}}]}}",
                 "tracks.items[0].track.show.images[0].height: expected integer, got string");
}

static void test_top_level_must_be_an_object(void **state)
{
    (void)state;
    expect_error(SPOTIFY_MODEL_ALBUM, "[]", "JSON top level: expected object, got array");
    expect_error(SPOTIFY_MODEL_ALBUM, "\"album\"", "JSON top level: expected object, got string");
    expect_error(SPOTIFY_MODEL_ALBUM, "null", "JSON top level: expected object, got null");
    expect_error(SPOTIFY_MODEL_TRACK_OR_EPISODE, "7",
                 "JSON top level: expected object, got integer");
}

/* ---------- malformed JSON ---------- */

static void test_malformed_json(void **state)
{
    (void)state;
    static const char *bad[] = {
        "",
        "{",
        "{\"name\":}",
        "{\"name\":\"x\",}",
        "{\"name\" \"x\"}",
        "{'name':'x'}",
        "{\"name\":\"x\"} trailing",
        "{\"name\":\"\\x\"}",
        "{\"total_tracks\":01}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_error_containing(SPOTIFY_MODEL_ALBUM, bad[i], strlen(bad[i]), "malformed JSON");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    static const char overlong[] = "{\"name\":\"\xc0\xaf\"}";
    static const char truncated[] = "{\"name\":\"caf\xc3\"}";
    static const char surrogate[] = "{\"name\":\"\xed\xa0\x80\"}";
    static const char in_key[] = "{\"na\xffme\":\"x\"}";
    expect_error_containing(SPOTIFY_MODEL_ALBUM, overlong, sizeof overlong - 1, "UTF-8");
    expect_error_containing(SPOTIFY_MODEL_ALBUM, truncated, sizeof truncated - 1, "UTF-8");
    expect_error_containing(SPOTIFY_MODEL_ALBUM, surrogate, sizeof surrogate - 1, "UTF-8");
    expect_error_containing(SPOTIFY_MODEL_ALBUM, in_key, sizeof in_key - 1, "UTF-8");
    /* An embedded NUL inside a string literal is not valid JSON either. */
    static const char nul[] = "{\"name\":\"a\0b\"}";
    expect_error_containing(SPOTIFY_MODEL_ALBUM, nul, sizeof nul - 1, "malformed JSON");
}

static void test_numbers_out_of_range(void **state)
{
    (void)state;
    expect_error_containing(SPOTIFY_MODEL_AUDIO_FEATURES, "{\"tempo\":1e400}", 15, "out of range");
    expect_error(SPOTIFY_MODEL_TRACK, "{\"duration_ms\":1e19}",
                 "duration_ms: integer out of range");
    expect_error(SPOTIFY_MODEL_TRACK, "{\"duration_ms\":-1e19}",
                 "duration_ms: integer out of range");
    expect_error(SPOTIFY_MODEL_TRACK, "{\"duration_ms\":9223372036854775808}",
                 "duration_ms: integer out of range");
    expect_error(SPOTIFY_MODEL_TRACK, "{\"duration_ms\":18446744073709551615}",
                 "duration_ms: integer out of range");
    expect_error(SPOTIFY_MODEL_TRACK, "{\"duration_ms\":2.5}",
                 "duration_ms: expected integer, got number");
    expect_error_containing(SPOTIFY_MODEL_TRACK, "{\"duration_ms\":18446744073709551616}", 36,
                            "malformed JSON");

    /* The int64 extremes are exact; an integral double is accepted. */
    spotify_track *t = decode_ok(SPOTIFY_MODEL_TRACK, "{\"duration_ms\":9223372036854775807,"
                                                      "\"popularity\":-9223372036854775808,"
                                                      "\"disc_number\":3.0}");
    assert_true(t->duration_ms == INT64_MAX);
    assert_true(t->popularity == INT64_MIN);
    assert_int_equal(t->disc_number, 3);
    spotify_track_free(t);

    /* Integers are fine where numbers are due, and stay exact enough. */
    spotify_audio_features *f =
        decode_ok(SPOTIFY_MODEL_AUDIO_FEATURES, "{\"tempo\":120,\"energy\":0.25}");
    assert_true(f->tempo == 120.0);
    assert_true(f->energy == 0.25);
    spotify_audio_features_free(f);
}

/* ---------- size and depth ---------- */

static char *markets_document(size_t count, const char *last)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append_str(&sb, "{\"name\":\"big\",\"available_markets\":[");
    for (size_t i = 0; i < count; i++) {
        if (i > 0)
            spotify__strbuf_append_char(&sb, ',');
        if (i + 1 == count && last != NULL)
            spotify__strbuf_append_str(&sb, last);
        else
            spotify__strbuf_appendf(&sb, "\"M%zu\"", i);
    }
    spotify__strbuf_append_str(&sb, "]}");
    assert_false(sb.failed);
    return spotify__strbuf_detach(&sb, NULL);
}

static void test_huge_arrays(void **state)
{
    (void)state;
    char *doc = markets_document(100000, NULL);
    spotify_album *a = decode_ok(SPOTIFY_MODEL_ALBUM, doc);
    assert_int_equal(a->available_markets.count, 100000);
    assert_string_equal(a->available_markets.items[0], "M0");
    assert_string_equal(a->available_markets.items[99999], "M99999");
    spotify_album_free(a);
    spotify_free(doc);

    doc = markets_document(100000, "false");
    expect_error(SPOTIFY_MODEL_ALBUM, doc,
                 "available_markets[99999]: expected string, got boolean");
    spotify_free(doc);

    /* 100k objects: one allocation of 100k structs. */
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append_str(&sb, "{\"images\":[");
    for (size_t i = 0; i < 100000; i++)
        spotify__strbuf_appendf(&sb, "%s{\"height\":%zu,\"url\":\"u\",\"width\":1}", i ? "," : "",
                                i);
    spotify__strbuf_append_str(&sb, "]}");
    a = decode_ok(SPOTIFY_MODEL_ALBUM, spotify__strbuf_cstr(&sb));
    assert_int_equal(a->images.count, 100000);
    assert_int_equal(a->images.items[99999].height, 99999);
    spotify_album_free(a);
    spotify__strbuf_release(&sb);
}

static char *nested_document(int depth)
{
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append_str(&sb, "{\"name\":\"deep\",\"unknown\":");
    for (int i = 0; i < depth; i++)
        spotify__strbuf_append_str(&sb, "[");
    for (int i = 0; i < depth; i++)
        spotify__strbuf_append_str(&sb, "]");
    spotify__strbuf_append_str(&sb, "}");
    return spotify__strbuf_detach(&sb, NULL);
}

static void test_deep_nesting(void **state)
{
    (void)state;
    char *doc = nested_document(300);
    expect_error_containing(SPOTIFY_MODEL_ALBUM, doc, strlen(doc), "nesting too deep");
    spotify_free(doc);

    /* Within the parser's limit, an unknown deep member is skipped. */
    doc = nested_document(200);
    spotify_album *a = decode_ok(SPOTIFY_MODEL_ALBUM, doc);
    assert_string_equal(a->name, "deep");
    spotify_album_free(a);
    spotify_free(doc);

    /* Deep where an object is due: a type error at the first level. */
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append_str(&sb, "{\"tracks\":");
    for (int i = 0; i < 300; i++)
        spotify__strbuf_append_str(&sb, "{\"items\":");
    spotify__strbuf_append_str(&sb, "0");
    for (int i = 0; i < 301; i++)
        spotify__strbuf_append_str(&sb, "}");
    expect_error_containing(SPOTIFY_MODEL_ALBUM, spotify__strbuf_cstr(&sb), sb.len,
                            "nesting too deep");
    spotify__strbuf_release(&sb);
}

/* ---------- what real responses do ---------- */

static void test_missing_required_members_decode(void **state)
{
    (void)state;
    spotify_album *a = decode_ok(SPOTIFY_MODEL_ALBUM, "{\"name\":\"Only a name\"}");
    assert_string_equal(a->name, "Only a name");
    assert_true(spotify_has(a, SPOTIFY_ALBUM_NAME));
    assert_false(spotify_has(a, SPOTIFY_ALBUM_ID));
    assert_false(spotify_has(a, SPOTIFY_ALBUM_TRACKS));
    assert_false(spotify_has(a, SPOTIFY_ALBUM_POPULARITY));
    assert_null(a->id);
    assert_null(a->tracks);
    assert_int_equal(a->images.count, 0);
    assert_null(a->images.items);
    assert_int_equal(a->album_type.value, SPOTIFY_ALBUM_TYPE_UNKNOWN);
    assert_null(a->album_type.text);
    spotify_album_free(a);
}

static void test_nulls_decode_as_absent_with_null_bit(void **state)
{
    (void)state;
    spotify_track *t =
        decode_ok(SPOTIFY_MODEL_TRACK, "{\"album\":null,\"artists\":null,\"name\":null,"
                                       "\"duration_ms\":null,\"explicit\":null,\"type\":null,"
                                       "\"preview_url\":null,\"id\":\"x\"}");
    static const spotify_track_field nulls[] = {SPOTIFY_TRACK_ALBUM,      SPOTIFY_TRACK_ARTISTS,
                                                SPOTIFY_TRACK_NAME,       SPOTIFY_TRACK_DURATION_MS,
                                                SPOTIFY_TRACK_EXPLICIT,   SPOTIFY_TRACK_TYPE,
                                                SPOTIFY_TRACK_PREVIEW_URL};
    for (size_t i = 0; i < sizeof nulls / sizeof nulls[0]; i++) {
        assert_true(spotify_has(t, nulls[i]));
        assert_true(spotify_is_null(t, nulls[i]));
    }
    assert_false(spotify_is_null(t, SPOTIFY_TRACK_ID));
    assert_false(spotify_has(t, SPOTIFY_TRACK_POPULARITY));
    assert_null(t->album);
    assert_int_equal(t->artists.count, 0);
    assert_null(t->name);
    assert_int_equal(t->duration_ms, 0);
    assert_null(t->type.text);
    assert_string_equal(t->id, "x");
    spotify_track_free(t);

    /* null elements: a "get several" answer for an unknown id */
    spotify_many_albums *m =
        decode_ok(SPOTIFY_MODEL_MANY_ALBUMS, "{\"albums\":[null,{\"name\":\"a\"},null]}");
    assert_int_equal(m->albums.count, 3);
    assert_true(spotify_item_is_null(&m->albums.items[0]));
    assert_false(spotify_item_is_null(&m->albums.items[1]));
    assert_true(spotify_item_is_null(&m->albums.items[2]));
    assert_string_equal(m->albums.items[1].name, "a");
    assert_null(m->albums.items[0].name);
    char *raw = raw_json(&m->albums.items[0]);
    assert_string_equal(raw, "null");
    spotify_free(raw);
    spotify_many_albums_free(m);

    /* null strings in string arrays read as NULL */
    spotify_markets *mk = decode_ok(SPOTIFY_MODEL_MARKETS, "{\"markets\":[\"SE\",null]}");
    assert_int_equal(mk->markets.count, 2);
    assert_null(mk->markets.items[1]);
    spotify_markets_free(mk);
}

static void test_unknown_enum_values_keep_their_text(void **state)
{
    (void)state;
    spotify_album *a = decode_ok(SPOTIFY_MODEL_ALBUM, "{\"album_type\":\"ep\",\"type\":\"album\","
                                                      "\"release_date_precision\":\"decade\"}");
    assert_int_equal(a->album_type.value, SPOTIFY_ALBUM_TYPE_UNKNOWN);
    assert_string_equal(a->album_type.text, "ep");
    assert_int_equal(a->type.value, SPOTIFY_OBJECT_TYPE_ALBUM);
    assert_string_equal(a->type.text, "album");
    assert_int_equal(a->release_date_precision.value, SPOTIFY_RELEASE_DATE_PRECISION_UNKNOWN);
    assert_string_equal(a->release_date_precision.text, "decade");
    /* Case matters: "ALBUM" is not "album", but is kept. */
    spotify_album_free(a);
    a = decode_ok(SPOTIFY_MODEL_ALBUM, "{\"album_type\":\"ALBUM\"}");
    assert_int_equal(a->album_type.value, SPOTIFY_ALBUM_TYPE_UNKNOWN);
    assert_string_equal(a->album_type.text, "ALBUM");
    /* And an unknown value encodes back as its text. */
    char *text = encode(SPOTIFY_MODEL_ALBUM, a);
    assert_string_equal(text, "{\"album_type\":\"ALBUM\"}");
    spotify_free(text);
    spotify_album_free(a);
}

static void test_unknown_members_are_kept_in_raw_json(void **state)
{
    (void)state;
    static const char doc[] =
        "{\"name\":\"x\",\"brand_new\":{\"a\":[1,2.5,\"\\u00e9\"],\"b\":null},"
        "\"external_urls\":{\"spotify\":\"s\",\"apple\":\"a\"},\"zz\":true}";
    spotify_album *a = decode_ok(SPOTIFY_MODEL_ALBUM, doc);
    assert_string_equal(a->name, "x");
    char *raw = raw_json(a);
    assert_string_equal(raw,
                        "{\"name\":\"x\",\"brand_new\":{\"a\":[1,2.5,\"\xc3\xa9\"],\"b\":null},"
                        "\"external_urls\":{\"spotify\":\"s\",\"apple\":\"a\"},\"zz\":true}");
    spotify_free(raw);
    raw = raw_json(a->external_urls);
    assert_string_equal(raw, "{\"spotify\":\"s\",\"apple\":\"a\"}");
    spotify_free(raw);
    /* Encoding writes only what the model knows. */
    raw = encode(SPOTIFY_MODEL_ALBUM, a);
    assert_string_equal(raw, "{\"external_urls\":{\"spotify\":\"s\"},\"name\":\"x\"}");
    spotify_free(raw);
    spotify_album_free(a);
}

static void test_oneof_alternatives(void **state)
{
    (void)state;
    spotify_queue *q = decode_ok(
        SPOTIFY_MODEL_QUEUE,
        "{\"currently_playing\":{\"type\":\"episode\",\"name\":\"E\",\"show\":{\"name\":\"S\"}},"
        "\"queue\":[{\"type\":\"track\",\"name\":\"T\",\"duration_ms\":5},"
        "{\"type\":\"audiobook\",\"name\":\"A\"},{\"name\":\"no type\"},null]}");
    assert_non_null(q->currently_playing);
    assert_int_equal(q->currently_playing->kind, SPOTIFY_TRACK_OR_EPISODE_EPISODE);
    assert_null(q->currently_playing->track);
    assert_string_equal(q->currently_playing->episode->name, "E");
    assert_string_equal(q->currently_playing->episode->show->name, "S");
    assert_int_equal(q->queue.count, 4);
    const spotify_track_or_episode *items = q->queue.items;
    assert_int_equal(items[0].kind, SPOTIFY_TRACK_OR_EPISODE_TRACK);
    assert_string_equal(items[0].track->name, "T");
    assert_int_equal(items[0].track->duration_ms, 5);
    assert_int_equal(items[1].kind, SPOTIFY_TRACK_OR_EPISODE_UNKNOWN);
    assert_null(items[1].track);
    assert_null(items[1].episode);
    char *raw = raw_json(&items[1]);
    assert_string_equal(raw, "{\"type\":\"audiobook\",\"name\":\"A\"}");
    spotify_free(raw);
    assert_int_equal(items[2].kind, SPOTIFY_TRACK_OR_EPISODE_UNKNOWN);
    assert_true(spotify_item_is_null(&items[3]));
    /* The unknown alternative encodes back as it came. */
    raw = encode(SPOTIFY_MODEL_QUEUE, q);
    assert_string_equal(raw, "{\"currently_playing\":{\"name\":\"E\",\"show\":{\"name\":\"S\"},"
                             "\"type\":\"episode\"},\"queue\":[{\"duration_ms\":5,\"name\":\"T\","
                             "\"type\":\"track\"},{\"type\":\"audiobook\",\"name\":\"A\"},"
                             "{\"name\":\"no type\"},null]}");
    spotify_free(raw);
    spotify_queue_free(q);

    /* A local or removed playlist entry: "track": null. */
    spotify_playlist_track *pt =
        decode_ok(SPOTIFY_MODEL_PLAYLIST_TRACK, "{\"is_local\":true,\"track\":null}");
    assert_null(pt->track);
    assert_true(spotify_is_null(pt, SPOTIFY_PLAYLIST_TRACK_TRACK));
    assert_true(pt->is_local);
    spotify_playlist_track_free(pt);
}

static void test_duplicate_keys_last_wins(void **state)
{
    (void)state;
    spotify_album *a = decode_ok(SPOTIFY_MODEL_ALBUM,
                                 "{\"name\":\"a\",\"name\":\"b\",\"label\":\"l\",\"label\":null}");
    assert_string_equal(a->name, "b");
    assert_true(spotify_is_null(a, SPOTIFY_ALBUM_LABEL));
    spotify_album_free(a);
}

/* ---------- encoding request bodies ---------- */

static void test_encode_request_bodies(void **state)
{
    (void)state;
    spotify_change_playlist_details_body details;
    memset(&details, 0, sizeof details);
    details.name = "Road trip \"2026\"";
    details.description = "caf\xc3\xa9";
    details.public_ = false;
    spotify_mark_present(&details, SPOTIFY_CHANGE_PLAYLIST_DETAILS_BODY_PUBLIC);
    char *text = encode(SPOTIFY_MODEL_CHANGE_PLAYLIST_DETAILS_BODY, &details);
    assert_string_equal(text, "{\"description\":\"caf\xc3\xa9\",\"name\":\"Road trip "
                              "\\\"2026\\\"\",\"public\":false}");
    /* ... and back */
    spotify_change_playlist_details_body *back =
        decode_ok(SPOTIFY_MODEL_CHANGE_PLAYLIST_DETAILS_BODY, text);
    assert_string_equal(back->name, details.name);
    assert_string_equal(back->description, details.description);
    assert_true(spotify_has(back, SPOTIFY_CHANGE_PLAYLIST_DETAILS_BODY_PUBLIC));
    assert_false(back->public_);
    assert_false(spotify_has(back, SPOTIFY_CHANGE_PLAYLIST_DETAILS_BODY_COLLABORATIVE));
    spotify_change_playlist_details_body_free(back);
    spotify_free(text);

    spotify_start_a_users_playback_body play;
    memset(&play, 0, sizeof play);
    const char *uris[] = {"spotify:track:1", "spotify:track:2"};
    play.uris.items = uris;
    play.uris.count = 2;
    play.offset = "{\"position\": 5}";
    play.position_ms = 0;
    spotify_mark_present(&play, SPOTIFY_START_A_USERS_PLAYBACK_BODY_POSITION_MS);
    spotify_mark_null(&play, SPOTIFY_START_A_USERS_PLAYBACK_BODY_CONTEXT_URI);
    text = encode(SPOTIFY_MODEL_START_A_USERS_PLAYBACK_BODY, &play);
    assert_string_equal(text, "{\"context_uri\":null,\"offset\":{\"position\":5},\"position_ms\":0,"
                              "\"uris\":[\"spotify:track:1\",\"spotify:track:2\"]}");
    spotify_start_a_users_playback_body *pb =
        decode_ok(SPOTIFY_MODEL_START_A_USERS_PLAYBACK_BODY, text);
    assert_string_equal(pb->offset, "{\"position\":5}");
    assert_int_equal(pb->uris.count, 2);
    assert_true(spotify_is_null(pb, SPOTIFY_START_A_USERS_PLAYBACK_BODY_CONTEXT_URI));
    spotify_start_a_users_playback_body_free(pb);
    spotify_free(text);

    spotify_remove_tracks_playlist_body_tracks_item items[2];
    memset(items, 0, sizeof items);
    items[0].uri = "spotify:track:a";
    items[1].uri = "spotify:track:b";
    spotify_remove_tracks_playlist_body remove;
    memset(&remove, 0, sizeof remove);
    remove.tracks.items = items;
    remove.tracks.count = 2;
    remove.snapshot_id = "snap";
    text = encode(SPOTIFY_MODEL_REMOVE_TRACKS_PLAYLIST_BODY, &remove);
    assert_string_equal(text, "{\"snapshot_id\":\"snap\",\"tracks\":[{\"uri\":\"spotify:track:a\"},"
                              "{\"uri\":\"spotify:track:b\"}]}");
    spotify_free(text);

    /* An empty list that was marked present is written as []. */
    spotify_save_albums_user_body save;
    memset(&save, 0, sizeof save);
    spotify_mark_present(&save, SPOTIFY_SAVE_ALBUMS_USER_BODY_IDS);
    text = encode(SPOTIFY_MODEL_SAVE_ALBUMS_USER_BODY, &save);
    assert_string_equal(text, "{\"ids\":[]}");
    spotify_free(text);
}

static void test_encode_rejects_bad_structs(void **state)
{
    (void)state;
    spotify_error err = {0};
    char *text = NULL;
    spotify_start_a_users_playback_body play;
    memset(&play, 0, sizeof play);
    play.offset = "{not json";
    assert_int_equal(
        spotify_model_encode(&text, NULL, SPOTIFY_MODEL_START_A_USERS_PLAYBACK_BODY, &play, &err),
        SPOTIFY_EINVALID);
    assert_null(text);
    memset(&play, 0, sizeof play);
    play.uris.count = 3; /* but no items */
    assert_int_equal(
        spotify_model_encode(&text, NULL, SPOTIFY_MODEL_START_A_USERS_PLAYBACK_BODY, &play, &err),
        SPOTIFY_EINVALID);
    assert_int_equal(spotify_model_encode(&text, NULL, NULL, &play, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_model_encode(NULL, NULL, SPOTIFY_MODEL_ALBUM, &play, &err),
                     SPOTIFY_EINVALID);

    /* A nested object that is set but empty is written as {}. */
    spotify_track track;
    memset(&track, 0, sizeof track);
    spotify_simplified_album album;
    memset(&album, 0, sizeof album);
    track.album = &album;
    text = encode(SPOTIFY_MODEL_TRACK, &track);
    assert_string_equal(text, "{\"album\":{}}");
    spotify_free(text);
}

/* ---------- arguments, raw JSON of hand-made structs ---------- */

static void test_bad_arguments(void **state)
{
    (void)state;
    spotify_error err = {0};
    void *model = NULL;
    assert_int_equal(spotify_model_decode(NULL, SPOTIFY_MODEL_ALBUM, "{}", 2, &err),
                     SPOTIFY_EINVALID);
    assert_int_equal(spotify_model_decode(&model, NULL, "{}", 2, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_model_decode(&model, SPOTIFY_MODEL_ALBUM, NULL, 2, &err),
                     SPOTIFY_EINVALID);
    assert_int_equal(spotify_model_decode(&model, SPOTIFY_MODEL_ALBUM, NULL, 0, &err),
                     SPOTIFY_EPROTOCOL);
    assert_null(model);
    /* NULL err is fine */
    assert_int_equal(spotify_model_decode(&model, SPOTIFY_MODEL_ALBUM, "[", 1, NULL),
                     SPOTIFY_EPROTOCOL);
    spotify_model_free(NULL);

    spotify_album mine;
    memset(&mine, 0, sizeof mine);
    char *text = NULL;
    assert_int_equal(spotify_model_raw_json(&text, NULL, &mine, &err), SPOTIFY_EINVALID);
    assert_int_equal(spotify_model_raw_json(&text, NULL, NULL, &err), SPOTIFY_EINVALID);
    assert_null(text);
    assert_string_equal(spotify_model_type_name(SPOTIFY_MODEL_ALBUM), "AlbumObject");
    assert_string_equal(spotify_model_type_name(SPOTIFY_MODEL_TRACK_OR_EPISODE),
                        "TrackObject | EpisodeObject");
}

/* The internal entry points used by operations: an existing arena, in place. */
static void test_internal_entry_points(void **state)
{
    (void)state;
    spotify_error err = {0};
    static const char body[] = "{\"name\":\"padded\"}";
    char buf[sizeof body + SPOTIFY__JSON_PADDING];
    memset(buf, ' ', sizeof buf);
    memcpy(buf, body, sizeof body - 1);
    void *model = NULL;
    assert_int_equal(spotify__model_decode_buffer(&model, SPOTIFY_MODEL_ALBUM, buf, sizeof body - 1,
                                                  sizeof buf, &err),
                     SPOTIFY_OK);
    assert_string_equal(((spotify_album *)model)->name, "padded");
    spotify__arena *arena = spotify__model_arena(model);
    assert_non_null(arena);
    spotify__json root;
    assert_int_equal(spotify__json_parse(&root, arena, "{\"id\":\"i\"}", 10, 10, &err), SPOTIFY_OK);
    void *track = NULL;
    assert_int_equal(spotify__decode(&track, SPOTIFY_MODEL_TRACK, arena, root, &err), SPOTIFY_OK);
    assert_string_equal(((spotify_track *)track)->id, "i");
    spotify_model_free(model); /* releases the track too */
}

/* ---------- threads ---------- */

typedef struct reader_arg {
    const spotify_album *album;
    int ok;
} reader_arg;

static void *reader(void *p)
{
    reader_arg *arg = p;
    arg->ok = 1;
    for (int i = 0; i < 200; i++) {
        char *text = NULL;
        if (spotify_model_raw_json(&text, NULL, arg->album->external_urls, NULL) != SPOTIFY_OK ||
            strcmp(text, "{\"spotify\":\"s\"}") != 0 || strcmp(arg->album->name, "shared") != 0)
            arg->ok = 0;
        spotify_free(text);
    }
    return NULL;
}

static void test_concurrent_reads(void **state)
{
    (void)state;
    spotify_album *a = decode_ok(SPOTIFY_MODEL_ALBUM,
                                 "{\"name\":\"shared\",\"external_urls\":{\"spotify\":\"s\"}}");
    pthread_t threads[4];
    reader_arg args[4];
    for (int i = 0; i < 4; i++) {
        args[i].album = a;
        assert_int_equal(pthread_create(&threads[i], NULL, reader, &args[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(args[i].ok, 1);
    }
    spotify_album_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wrong_types_name_the_path),
        cmocka_unit_test(test_top_level_must_be_an_object),
        cmocka_unit_test(test_malformed_json),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_numbers_out_of_range),
        cmocka_unit_test(test_huge_arrays),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_missing_required_members_decode),
        cmocka_unit_test(test_nulls_decode_as_absent_with_null_bit),
        cmocka_unit_test(test_unknown_enum_values_keep_their_text),
        cmocka_unit_test(test_unknown_members_are_kept_in_raw_json),
        cmocka_unit_test(test_oneof_alternatives),
        cmocka_unit_test(test_duplicate_keys_last_wins),
        cmocka_unit_test(test_encode_request_bodies),
        cmocka_unit_test(test_encode_rejects_bad_structs),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_internal_entry_points),
        cmocka_unit_test(test_concurrent_reads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
