/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_api_player.c - the player: 204 while idle, devices, the no-active-
 * device rule, play (uris, album context with offset), pause, next and
 * previous, the queue, volume validation, premium and scope checks, reset.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#define TPAB "7ycBtnsMtyVbbwTfJwRjSP"
#define KING_KUNTA "0N3W5peJUQtI4eyR6GJT5O"
#define WESLEY "7Ks4VCY1wFebnOdJrM13t6"
#define FOR_FREE "75izAeHlGuOgA865CFDyIv" /* TPAB track 2 */
#define INSTITUTIONALIZED "4oFtLSgHyZPNYDCcANhTnO"
#define SCOPES "user-read-playback-state user-modify-playback-state user-read-currently-playing"

/* Sends and expects `status`. */
static void expect(long status, const char *method, const char *path, const char *token,
                   const char *body)
{
    emulator_http_response r;
    test_send(&r, method, path, token, body);
    assert_int_equal(r.status, status);
    emulator_response_free(&r);
}

/* The id of the user's first device. */
static void first_device(const char *token, char id[64])
{
    emulator_http_response r;
    test_send(&r, "GET", "/v1/me/player/devices", token, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"name\":\"Emulator Speaker\""));
    assert_non_null(strstr(r.body, "\"name\":\"Emulator Phone\""));
    assert_null(strstr(r.body, "\"is_active\":true"));
    const char *p = strstr(r.body, "{\"id\":\"");
    assert_non_null(p);
    memcpy(id, p + 7, 40);
    id[40] = '\0';
    emulator_response_free(&r);
}

/* Asserts the id of the current track from /me/player/currently-playing. */
static void current_is(const char *token, const char *track_id)
{
    emulator_http_response r;
    test_send(&r, "GET", "/v1/me/player/currently-playing", token, NULL);
    assert_int_equal(r.status, 200);
    char id[64];
    assert_true(emulator_json_string(r.body, "item.id", id, sizeof id));
    assert_string_equal(id, track_id);
    emulator_response_free(&r);
}

static void idle_and_no_device(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    test_user_token("demo-client", SCOPES, token);
    expect(204, "GET", "/v1/me/player", token, NULL);
    expect(204, "GET", "/v1/me/player/currently-playing", token, NULL);
    const char *commands[][2] = {{"PUT", "/v1/me/player/pause"},
                                 {"POST", "/v1/me/player/next"},
                                 {"POST", "/v1/me/player/previous"},
                                 {"PUT", "/v1/me/player/volume?volume_percent=10"},
                                 {"PUT", "/v1/me/player/play"},
                                 {"POST", "/v1/me/player/queue?uri=spotify:track:" WESLEY}};
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        test_send(&r, commands[i][0], commands[i][1], token, NULL);
        assert_api_error(&r, 404, "Player command failed: No active device found");
        assert_non_null(strstr(r.body, "\"reason\":\"NO_ACTIVE_DEVICE\""));
        emulator_response_free(&r);
    }
    test_send(&r, "PUT", "/v1/me/player/play?device_id=nope", token, NULL);
    assert_api_error(&r, 404, "Device not found");
    emulator_response_free(&r);
    test_send(&r, "GET", "/v1/me/player/queue", token, NULL);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"currently_playing\":null,\"queue\":[]}");
    emulator_response_free(&r);
}

static void play_pause_skip(void **state)
{
    (void)state;
    char token[128], device[64], path[256];
    emulator_http_response r;
    test_user_token("demo-client", SCOPES, token);
    first_device(token, device);
    snprintf(path, sizeof path, "/v1/me/player/play?device_id=%s", device);
    expect(204, "PUT", path, token,
           "{\"context_uri\":\"spotify:album:" TPAB "\",\"offset\":{\"position\":1}}");
    test_send(&r, "GET", "/v1/me/player", token, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"is_playing\":true"));
    assert_non_null(strstr(r.body, "\"uri\":\"spotify:album:" TPAB "\""));
    assert_non_null(strstr(r.body, "\"is_active\":true"));
    emulator_response_free(&r);
    current_is(token, FOR_FREE);
    expect(204, "POST", "/v1/me/player/next", token, NULL);
    current_is(token, KING_KUNTA);
    expect(204, "POST", "/v1/me/player/previous", token, NULL);
    current_is(token, FOR_FREE);
    expect(204, "PUT", "/v1/me/player/pause", token, NULL);
    test_send(&r, "PUT", "/v1/me/player/pause", token, NULL);
    assert_api_error(&r, 403, "Player command failed: Restriction violated");
    emulator_response_free(&r);
    test_send(&r, "GET", "/v1/me/player/currently-playing", token, NULL);
    assert_non_null(strstr(r.body, "\"is_playing\":false"));
    emulator_response_free(&r);
    expect(204, "PUT", "/v1/me/player/play", token, NULL); /* resume */
    expect(204, "PUT", "/v1/me/player/play", token,
           "{\"uris\":[\"spotify:track:" WESLEY "\",\"spotify:track:" INSTITUTIONALIZED "\"]}");
    current_is(token, WESLEY);
}

static void queue_and_volume(void **state)
{
    (void)state;
    char token[128], device[64], path[256];
    emulator_http_response r;
    test_user_token("demo-client", SCOPES, token);
    first_device(token, device);
    snprintf(path, sizeof path, "/v1/me/player/play?device_id=%s", device);
    expect(204, "PUT", path, token, "{\"uris\":[\"spotify:track:" WESLEY "\"]}");
    expect(204, "POST", "/v1/me/player/queue?uri=spotify:track:" KING_KUNTA, token, NULL);
    test_send(&r, "GET", "/v1/me/player/queue", token, NULL);
    assert_int_equal(r.status, 200);
    const char *queue = strstr(r.body, "\"queue\":[");
    assert_non_null(queue);
    assert_non_null(strstr(queue, KING_KUNTA));
    emulator_response_free(&r);
    expect(204, "POST", "/v1/me/player/next", token, NULL);
    current_is(token, KING_KUNTA);
    expect(400, "POST", "/v1/me/player/queue?uri=spotify:album:" TPAB, token, NULL);
    expect(400, "POST", "/v1/me/player/queue", token, NULL);
    expect(404, "POST", "/v1/me/player/queue?uri=spotify:track:0000000000000000000000", token,
           NULL);
    expect(204, "PUT", "/v1/me/player/volume?volume_percent=0", token, NULL);
    expect(204, "PUT", "/v1/me/player/volume?volume_percent=77", token, NULL);
    test_send(&r, "GET", "/v1/me/player/devices", token, NULL);
    assert_non_null(strstr(r.body, "\"volume_percent\":77"));
    emulator_response_free(&r);
    const char *bad[] = {"/v1/me/player/volume?volume_percent=101",
                         "/v1/me/player/volume?volume_percent=-1",
                         "/v1/me/player/volume?volume_percent=x", "/v1/me/player/volume"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect(400, "PUT", bad[i], token, NULL);
    expect(400, "PUT", "/v1/me/player/play", token, "{\"uris\":[\"spotify:album:" TPAB "\"]}");
    expect(400, "PUT", "/v1/me/player/play", token, "{\"context_uri\":\"nope\"}");
    expect(400, "PUT", "/v1/me/player/play", token, "[1");
}

static void scopes_and_premium(void **state)
{
    (void)state;
    char token[128];
    emulator_http_response r;
    test_user_token("demo-client", "user-read-email", token);
    const char *reads[] = {"/v1/me/player", "/v1/me/player/devices",
                           "/v1/me/player/currently-playing", "/v1/me/player/queue"};
    for (size_t i = 0; i < sizeof reads / sizeof reads[0]; i++) {
        test_send(&r, "GET", reads[i], token, NULL);
        assert_api_error(&r, 403, "Insufficient client scope");
        emulator_response_free(&r);
    }
    test_send(&r, "PUT", "/v1/me/player/pause", token, NULL);
    assert_api_error(&r, 403, "Insufficient client scope");
    emulator_response_free(&r);
    assert_true(emulator_issue_token(&test_emu, "{\"user\":false}", token, 128, NULL, 0));
    test_send(&r, "GET", "/v1/me/player", token, NULL);
    assert_api_error(&r, 403, "Insufficient client scope");
    emulator_response_free(&r);
    test_user_token("demo-public", SCOPES, token); /* a free user */
    test_send(&r, "PUT", "/v1/me/player/pause", token, NULL);
    assert_api_error(&r, 403, "Player command failed: Premium required");
    emulator_response_free(&r);
}

static void reset_stops_player(void **state)
{
    (void)state;
    char token[128], device[64], path[256];
    test_user_token("demo-client", SCOPES, token);
    first_device(token, device);
    snprintf(path, sizeof path, "/v1/me/player/play?device_id=%s", device);
    expect(204, "PUT", path, token, "{\"uris\":[\"spotify:track:" WESLEY "\"]}");
    expect(200, "GET", "/v1/me/player", token, NULL);
    assert_true(emulator_reset(&test_emu));
    test_user_token("demo-client", SCOPES, token);
    expect(204, "GET", "/v1/me/player", token, NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(idle_and_no_device, test_emu_reset),
        cmocka_unit_test_setup(play_pause_skip, test_emu_reset),
        cmocka_unit_test_setup(queue_and_volume, test_emu_reset),
        cmocka_unit_test_setup(scopes_and_premium, test_emu_reset),
        cmocka_unit_test_setup(reset_stops_player, test_emu_reset),
    };
    return cmocka_run_group_tests(tests, test_emu_group_setup, test_emu_group_teardown);
}
