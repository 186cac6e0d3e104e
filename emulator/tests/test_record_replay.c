/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_record_replay.c - one emulator recording from another, a third
 * replaying the recording: --record DIR --upstream URL forwards requests
 * (paging links come back pointing at the recorder, so following `next`
 * is recorded too) and stores each response, never a token or an
 * Authorization header (grep); --replay DIR serves the stored responses
 * whatever the query's order or encoding, checks tokens itself and falls
 * back to the generated catalog.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"

#define ALBUM "7ycBtnsMtyVbbwTfJwRjSP"
#define OTHER_ALBUM "4EcfbzCtbJDk2wMwhT4D1h"
#define SCOPES "user-read-private user-read-email playlist-modify-public"

static char dir[64], rec_dir[128];
static emulator_process upstream, recorder;
static char token[128];

/* A request to `emu` with `tok` (NULL: none) and a JSON body (NULL: none). */
static void send_to(const emulator_process *emu, emulator_http_response *r, const char *method,
                    const char *path, const char *tok, const char *body)
{
    char url[1024], auth[200];
    snprintf(url, sizeof url, "%s%s", emu->base_url, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", tok == NULL ? "" : tok);
    const char *const headers[] = {"Content-Type: application/json", tok == NULL ? NULL : auth,
                                   NULL};
    assert_true(emulator_request(r, method, url, headers, body));
}

/* `text` with every `from` replaced by `to` (malloc'ed). */
static char *replace_all(const char *text, const char *from, const char *to)
{
    size_t n = strlen(from), m = strlen(to), count = 0;
    for (const char *p = strstr(text, from); p != NULL; p = strstr(p + n, from))
        count++;
    char *out = malloc(strlen(text) + count * (m > n ? m - n : 0) + 1);
    char *o = out;
    for (const char *p = text;;) {
        const char *hit = strstr(p, from);
        if (hit == NULL) {
            strcpy(o, p);
            break;
        }
        memcpy(o, p, (size_t)(hit - p));
        o += hit - p;
        memcpy(o, to, m);
        o += m;
        p = hit + n;
    }
    return out;
}

/* Whether any file of the recording holds `needle`. */
static bool recording_holds(const char *needle)
{
    DIR *d = opendir(rec_dir);
    assert_non_null(d);
    bool found = false;
    struct dirent *e;
    while (!found && (e = readdir(d)) != NULL) {
        char path[512], buf[1 << 16];
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", rec_dir, e->d_name);
        FILE *f = fopen(path, "r");
        assert_non_null(f);
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        found = strstr(buf, needle) != NULL;
    }
    closedir(d);
    return found;
}

static size_t recording_files(void)
{
    DIR *d = opendir(rec_dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strstr(e->d_name, ".json") != NULL && strstr(e->d_name, ".tmp") == NULL;
    closedir(d);
    return n;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/emu-record-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(rec_dir, sizeof rec_dir, "%s/recording", dir);
    if (!emulator_start(&upstream, NULL))
        return -1;
    const char *const args[] = {"--record", rec_dir, "--upstream", upstream.base_url, NULL};
    if (!emulator_start(&recorder, args))
        return -1;
    char spec[128];
    snprintf(spec, sizeof spec, "{\"scope\":\"%s\"}", SCOPES);
    return emulator_issue_token(&upstream, spec, token, sizeof token, NULL, 0) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    int a = emulator_stop(&recorder), b = emulator_stop(&upstream);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return a == 0 && b == 0 && system(cmd) == 0 ? 0 : -1;
}

/* Through the recorder, the upstream's answers, links pointing back. */
static void record_through(void **state)
{
    (void)state;
    static const char *const paths[] = {
        "/v1/albums/" ALBUM "?market=SE", "/v1/search?q=kendrick&type=track&limit=3", "/v1/me",
        "/v1/albums/0000000000000000000000", /* a 404 is recorded too */
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        emulator_http_response direct, through;
        send_to(&upstream, &direct, "GET", paths[i], token, NULL);
        send_to(&recorder, &through, "GET", paths[i], token, NULL);
        assert_int_equal(through.status, direct.status);
        char *expected = replace_all(direct.body, upstream.base_url, recorder.base_url);
        assert_string_equal(through.body, expected);
        free(expected);
        assert_string_equal(through.content_type, direct.content_type);
        emulator_response_free(&direct);
        emulator_response_free(&through);
    }
    /* a page's next link leads back through the recorder */
    emulator_http_response r;
    char next[512];
    send_to(&recorder, &r, "GET", "/v1/albums/" ALBUM "/tracks?limit=5", token, NULL);
    assert_true(emulator_json_string(r.body, "next", next, sizeof next));
    assert_true(strncmp(next, recorder.base_url, strlen(recorder.base_url)) == 0);
    emulator_response_free(&r);
    send_to(&recorder, &r, "GET", next + strlen(recorder.base_url), token, NULL);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    /* a write goes upstream (and changes the upstream's state) */
    send_to(&recorder, &r, "POST", "/v1/me/playlists", token, "{\"name\":\"Recorded\"}");
    assert_int_equal(r.status, 201);
    assert_non_null(strstr(r.body, "\"name\":\"Recorded\""));
    emulator_response_free(&r);
    assert_int_equal(emulator_route_count(&upstream, "POST", "/v1/me/playlists", 201), 1);
    /* the token's answers are passed on, not stored */
    send_to(&recorder, &r, "GET", "/v1/me", "no-such-token", NULL);
    assert_api_error(&r, 401, "Invalid access token");
    emulator_response_free(&r);
    assert_int_equal(recording_files(), 7);
    /* nothing of the request's headers reached the files */
    assert_false(recording_holds(token));
    assert_false(recording_holds("no-such-token"));
    assert_false(recording_holds("Bearer"));
    assert_false(recording_holds("uthorization"));
    char grep[512];
    snprintf(grep, sizeof grep, "grep -rqi -e '%s' -e bearer -e authorization '%s'", token,
             rec_dir);
    assert_int_not_equal(system(grep), 0);
}

/* An upstream that does not answer is a 502, not a recording. */
static void upstream_down(void **state)
{
    (void)state;
    char down_dir[160];
    snprintf(down_dir, sizeof down_dir, "%s/down", dir);
    char port_url[64];
    snprintf(port_url, sizeof port_url, "http://127.0.0.1:%d", 1); /* nothing listens on port 1 */
    const char *const args[] = {"--record", down_dir, "--upstream", port_url, NULL};
    emulator_process emu;
    assert_true(emulator_start(&emu, args));
    emulator_http_response r;
    send_to(&emu, &r, "GET", "/v1/me", token, NULL);
    assert_int_equal(r.status, 502);
    emulator_response_free(&r);
    assert_int_equal(emulator_stop(&emu), 0);
    /* bad combinations are usage errors; an unusable upstream stops the start */
    const char *const no_upstream[] = {"--record", down_dir, NULL};
    const char *const no_record[] = {"--upstream", port_url, NULL};
    const char *const both[] = {"--record", down_dir, "--upstream", port_url,
                                "--replay", down_dir, NULL};
    const char *const ftp[] = {"--port", "0", "--record", down_dir, "--upstream", "ftp://x", NULL};
    assert_int_equal(emulator_run_to_exit(no_upstream, NULL, 0), 2);
    assert_int_equal(emulator_run_to_exit(no_record, NULL, 0), 2);
    assert_int_equal(emulator_run_to_exit(both, NULL, 0), 2);
    assert_int_equal(emulator_run_to_exit(ftp, NULL, 0), 1);
}

/* Edits the stored album: the replay must serve the file. */
static void doctor_recording(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "grep -l '\"path\":\"/v1/albums/" ALBUM "\"' '%s'/*.json | "
             "xargs sed -i 's/To Pimp A Butterfly/Recorded Butterfly/g'",
             rec_dir);
    assert_int_equal(system(cmd), 0);
}

/* A third emulator replays the recording. */
static void replay_recording(void **state)
{
    (void)state;
    doctor_recording();
    const char *const args[] = {"--replay", rec_dir, NULL};
    emulator_process emu;
    assert_true(emulator_start(&emu, args));
    char mine[128];
    assert_true(
        emulator_issue_token(&emu, "{\"scope\":\"" SCOPES "\"}", mine, sizeof mine, NULL, 0));
    emulator_http_response r;
    /* stored: the doctored album, its query in any order and case */
    send_to(&emu, &r, "GET", "/v1/albums/" ALBUM "/?market=SE", mine, NULL);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"name\":\"Recorded Butterfly\""));
    assert_null(strstr(r.body, upstream.base_url)); /* links rewritten to this emulator */
    assert_non_null(strstr(r.body, emu.base_url));
    emulator_response_free(&r);
    send_to(&emu, &r, "GET", "/v1/search?limit=3&type=track&q=kendrick", mine, NULL);
    assert_int_equal(r.status, 200);
    long long total = 0;
    assert_true(emulator_json_int(r.body, "tracks.total", &total));
    assert_int_equal(total, 16);
    emulator_response_free(&r);
    send_to(&emu, &r, "GET", "/v1/albums/0000000000000000000000", mine, NULL);
    assert_api_error(&r, 404, "Non existing id");
    emulator_response_free(&r);
    /* the recorded user, not this emulator's: /v1/me as recorded */
    send_to(&emu, &r, "POST", "/v1/me/playlists", mine, "{\"name\":\"Recorded\"}");
    assert_int_equal(r.status, 201);
    emulator_response_free(&r);
    /* tokens are this emulator's business */
    send_to(&emu, &r, "GET", "/v1/albums/" ALBUM "?market=SE", NULL, NULL);
    assert_api_error(&r, 401, "No token provided");
    emulator_response_free(&r);
    send_to(&emu, &r, "GET", "/v1/albums/" ALBUM "?market=SE", token, NULL); /* the upstream's */
    assert_api_error(&r, 401, "Invalid access token");
    emulator_response_free(&r);
    /* not recorded: the generated catalog answers */
    send_to(&emu, &r, "GET", "/v1/albums/" ALBUM, mine, NULL); /* no market: another key */
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"name\":\"To Pimp A Butterfly\""));
    emulator_response_free(&r);
    send_to(&emu, &r, "GET", "/v1/albums/" OTHER_ALBUM, mine, NULL);
    assert_int_equal(r.status, 200);
    emulator_response_free(&r);
    assert_int_equal(emulator_stop(&emu), 0);

    /* a directory that is not a recording does not start */
    char junk[200];
    snprintf(junk, sizeof junk, "%s/junk.json", rec_dir);
    FILE *f = fopen(junk, "w");
    assert_non_null(f);
    fputs("{\"not\":\"an exchange\"}", f);
    fclose(f);
    const char *const bad[] = {"--port", "0", "--replay", rec_dir, NULL};
    assert_int_equal(emulator_run_to_exit(bad, NULL, 0), 1);
    unlink(junk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(record_through),
        cmocka_unit_test(upstream_down),
        cmocka_unit_test(replay_recording),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
