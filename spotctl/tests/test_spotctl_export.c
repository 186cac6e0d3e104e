/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_export.c - export in every format; an export that fails
 * part-way or is interrupted never leaves a truncated file in place of a
 * good one; the progress line on a pseudo-terminal (script(1)) and none
 * without one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "cli.h"

#define F cli_fx

#define RUN(r, ...) assert_true(cli_run(&(r), &F, __VA_ARGS__, NULL))

static void path_in_dir(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", F.dir, name);
}

/* Temporary export files left in the directory. */
static int temp_files(void)
{
    DIR *d = opendir(F.dir);
    int n = 0;
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".spotctl-") != NULL)
            n++;
    if (d != NULL)
        closedir(d);
    return n;
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void test_library_csv(void **state)
{
    (void)state;
    char out[400];
    path_in_dir(out, sizeof out, "library.csv");
    cli_result r;
    RUN(r, "export", "library", "--out", out);
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_string_equal(r.out, "");
    assert_string_equal(r.err, ""); /* no progress without a terminal */
    cli_result_free(&r);
    char *csv = cli_read_file(out);
    assert_non_null(csv);
    assert_int_equal(cli_lines(csv), 1 + 137 + 2);
    assert_true(strncmp(csv, "type,added_at,name,artists,album,duration_ms,uri\r\n", 50) == 0);
    assert_non_null(strstr(csv, "\r\ntrack,"));
    assert_non_null(strstr(csv, "\r\nalbum,"));
    assert_non_null(strstr(csv, ",spotify:album:"));
    free(csv);
    assert_int_equal(temp_files(), 0);
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    assert_true((sb.st_mode & 0044) != 0 || (sb.st_mode & 0600) == 0600);
}

static void test_json_and_ndjson(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "export", "library", "--type", "album"); /* JSON to stdout */
    assert_int_equal(r.status, 0);
    assert_true(strncmp(r.out, "[\n{\"added_at\":", 14) == 0);
    assert_true(cli_json_same(r.out, strlen(r.out), r.out, strlen(r.out)));
    cli_result_free(&r);

    RUN(r, "--json", "playlists", "list");
    char id[64] = "";
    const char *mix = strstr(r.out, "\"name\":\"Demo Mix\"");
    assert_non_null(mix);
    while (mix > r.out && mix[-1] != '\n')
        mix--;
    assert_true(cli_first_string(mix, "id", id, sizeof id));
    cli_result_free(&r);
    RUN(r, "export", "playlist", id, "--format", "ndjson");
    assert_int_equal(r.status, 0);
    assert_int_equal(cli_lines(r.out), 137);
    assert_true(strncmp(r.out, "{\"added_at\":", 12) == 0);
    cli_result_free(&r);

    char out[400];
    path_in_dir(out, sizeof out, "playlists.json");
    RUN(r, "export", "playlists", "--out", out);
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
    char *json = cli_read_file(out);
    assert_non_null(json);
    assert_true(cli_json_same(json, strlen(json), json, strlen(json)));
    int entries = 0;
    for (const char *p = json; (p = strstr(p, "{\"playlist\":{")) != NULL; p++)
        entries++;
    assert_int_equal(entries, 3);
    free(json);
    path_in_dir(out, sizeof out, "playlists.csv");
    RUN(r, "export", "playlists", "--out", out);
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
    char *csv = cli_read_file(out);
    assert_non_null(csv);
    assert_int_equal(cli_lines(csv), 1 + 137 + 8 + 11);
    assert_true(strncmp(csv, "playlist_id,playlist_name,type,", 31) == 0);
    free(csv);
}

/* A followed playlist of another user: Spotify refuses its items (403); the
 * export warns, skips it and goes on. */
static void test_playlists_skips_foreign(void **state)
{
    (void)state;
    char other[256];
    assert_true(emulator_issue_token(&F.emu,
                                     "{\"client_id\":\"demo-public\",\"user\":true,"
                                     "\"scope\":\"playlist-read-private\"}",
                                     other, sizeof other, NULL, 0));
    char url[256], auth[300];
    snprintf(url, sizeof url, "%s/me/playlists", F.api);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", other);
    const char *headers[] = {auth, NULL};
    emulator_http_response resp;
    assert_true(emulator_request(&resp, "GET", url, headers, NULL));
    assert_int_equal(resp.status, 200);
    const char *mix = strstr(resp.body, "\"name\":\"Demo Mix\"");
    assert_non_null(mix);
    while (mix > resp.body && strncmp(mix, "{\"collaborative\"", 17) != 0)
        mix--;
    char id[64], uri[96];
    assert_true(cli_first_string(mix, "id", id, sizeof id));
    emulator_response_free(&resp);
    snprintf(uri, sizeof uri, "spotify:playlist:%s", id);
    cli_result r;
    RUN(r, "library", "save", uri); /* follow it */
    assert_int_equal(r.status, 0);
    cli_result_free(&r);
    RUN(r, "--json", "playlists", "list");
    assert_int_equal(cli_lines(r.out), 4);
    cli_result_free(&r);

    RUN(r, "export", "playlists", "--format", "ndjson");
    if (r.status != 0)
        fail_msg("exit %d: %s", r.status, r.err);
    assert_int_equal(cli_lines(r.out), 3);
    assert_true(strncmp(r.err, "spotctl: warning: skipped playlist \"Demo Mix\"", 45) == 0);
    assert_non_null(strstr(r.err, id));
    cli_result_free(&r);
}

/* The albums fail after every track was written: the old file stays. */
static void test_failure_keeps_previous_file(void **state)
{
    (void)state;
    char out[400];
    path_in_dir(out, sizeof out, "keep.csv");
    write_file(out, "the previous good export\n");
    assert_true(cli_fault(&F, "{\"route\":\"/v1/me/albums\",\"status\":503,\"count\":4}"));
    cli_result r;
    RUN(r, "export", "library", "--out", out);
    assert_int_equal(r.status, 6);
    assert_true(strncmp(r.err, "spotctl: server:", 16) == 0);
    cli_result_free(&r);
    assert_true(emulator_route_count(&F.emu, "GET", "/v1/me/tracks", 200) >= 3);
    char *text = cli_read_file(out);
    assert_string_equal(text, "the previous good export\n");
    free(text);
    assert_int_equal(temp_files(), 0);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Starts `export library --out DIR/name` against an emulator answering
 * after `latency` ms, waits until its temporary file exists (the export is
 * under way), sends `sigints` SIGINTs 100 ms apart, and checks the outcome:
 * exit 130, neither FILE nor a temporary file left. */
static void interrupt_export(const char *name, const char *latency, int sigints)
{
    emulator_http_response cfg;
    assert_true(emulator_control(&F.emu, "POST", "/__emulator/config", latency, &cfg));
    emulator_response_free(&cfg);
    char out[400];
    path_in_dir(out, sizeof out, name);
    const char *argv[] = {"export", "library", "--out", out, NULL};
    int pid = cli_spawn(&F, name, NULL, argv);
    assert_true(pid > 0);
    for (int i = 0; i < 200 && temp_files() == 0; i++)
        sleep_ms(25);
    assert_int_equal(temp_files(), 1);
    for (int i = 0; i < sigints; i++) {
        sleep_ms(100);
        kill(pid, SIGINT);
    }
    cli_result r;
    assert_true(cli_wait(&r, &F, name, pid));
    assert_int_equal(r.status, 130);
    if (sigints == 1)
        assert_non_null(strstr(r.err, "spotctl: cancelled: interrupted"));
    cli_result_free(&r);
    struct stat sb;
    assert_int_not_equal(stat(out, &sb), 0);
    assert_int_equal(temp_files(), 0);
}

/* Ctrl-C in the middle: the export stops after the page in flight. */
static void test_interrupted(void **state)
{
    (void)state;
    interrupt_export("interrupted.ndjson", "{\"latency_ms\":500}", 1);
}

/* A second Ctrl-C ends at once (not after the 1 s page in flight), and
 * still removes the temporary file. */
static void test_interrupted_twice(void **state)
{
    (void)state;
    interrupt_export("twice.json", "{\"latency_ms\":1000}", 2);
}

/* On a terminal the progress line shows items done/total and the rate. */
static void test_progress_on_a_terminal(void **state)
{
    (void)state;
    char out[400], command[1200];
    path_in_dir(out, sizeof out, "tty.csv");
    snprintf(command, sizeof command, "'%s' export library --out '%s'", cli_binary(), out);
    const char *argv[] = {"script", "-qfec", command, "/dev/null", NULL};
    cli_result r;
    assert_true(cli_run_program(&r, &F, NULL, argv));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\r\033[Klibrary  ")); /* redrawn in place */
    assert_non_null(strstr(r.out, "139/139"));
    assert_non_null(strstr(r.out, "/s"));
    assert_non_null(strstr(r.out, "Exported 139 items to"));
    assert_null(strstr(r.out, F.access));
    cli_result_free(&r);
    char *csv = cli_read_file(out);
    assert_non_null(csv);
    assert_int_equal(cli_lines(csv), 140);
    assert_null(strstr(csv, "\033[")); /* the file gets no terminal codes */
    free(csv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_library_csv, cli_setup_logged_in),
        cmocka_unit_test_setup(test_json_and_ndjson, cli_setup_logged_in),
        cmocka_unit_test_setup(test_playlists_skips_foreign, cli_setup_logged_in),
        cmocka_unit_test_setup(test_failure_keeps_previous_file, cli_setup_logged_in),
        cmocka_unit_test_setup(test_interrupted, cli_setup_logged_in),
        cmocka_unit_test_setup(test_interrupted_twice, cli_setup_logged_in),
        cmocka_unit_test_setup(test_progress_on_a_terminal, cli_setup_logged_in),
    };
    return CLI_RUN_GROUP(tests);
}
