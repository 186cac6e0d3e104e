/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_export.c - export in every format; an export that fails
 * part-way or is interrupted (SIGINT, SIGTERM, SIGHUP, SIGPIPE) never leaves
 * a truncated file in place of a good one, nor a temporary file; what
 * --out does with each kind of path (a replaced file keeps its mode and
 * owner, --private, symlinks followed, a FIFO and a terminal written
 * directly, a directory refused); the progress line on a pseudo-terminal
 * (script(1)) and none without one.
 *
 * Every path written is inside the fixture's temporary directory; device
 * targets are a FIFO made there and the child's own standard output
 * (/dev/fd/1, a file or a pseudo-terminal the test owns), never a /dev node.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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
 * under way), sends `count` signals `sig` 100 ms apart, and checks the
 * outcome: exit `status`, no temporary file left, and FILE as it was
 * before (`previous`; NULL: no FILE). */
static void interrupt_export(const char *name, int latency, int sig, int count, int status,
                             const char *previous)
{
    assert_true(cli_latency(&F, latency));
    char out[400];
    path_in_dir(out, sizeof out, name);
    if (previous != NULL)
        write_file(out, previous);
    const char *argv[] = {"export", "library", "--out", out, NULL};
    int pid = cli_spawn(&F, name, NULL, argv);
    assert_true(pid > 0);
    for (int i = 0; i < 200 && temp_files() == 0; i++)
        sleep_ms(25);
    assert_int_equal(temp_files(), 1);
    for (int i = 0; i < count; i++) {
        sleep_ms(100);
        kill(pid, sig);
    }
    cli_result r;
    assert_true(cli_wait(&r, &F, name, pid));
    assert_int_equal(r.status, status);
    if (sig == SIGINT && count == 1)
        assert_non_null(strstr(r.err, "spotctl: cancelled: interrupted"));
    cli_result_free(&r);
    assert_int_equal(temp_files(), 0);
    char *text = cli_read_file(out);
    if (previous == NULL) {
        assert_null(text);
    } else {
        assert_non_null(text);
        assert_string_equal(text, previous);
    }
    free(text);
    unlink(out);
}

/* Ctrl-C in the middle: the export stops after the page in flight. */
static void test_interrupted(void **state)
{
    (void)state;
    interrupt_export("interrupted.ndjson", 500, SIGINT, 1, 130, NULL);
    interrupt_export("interrupted.csv", 500, SIGINT, 1, 130, "previous\n");
}

/* A second Ctrl-C ends at once (not after the 1 s page in flight), and
 * still removes the temporary file. */
static void test_interrupted_twice(void **state)
{
    (void)state;
    interrupt_export("twice.json", 1000, SIGINT, 2, 130, NULL);
}

/* SIGTERM, SIGHUP and SIGPIPE end the export at once by the signal itself
 * (the parent sees it), with the temporary file removed and the previous
 * export intact. */
static void test_terminated(void **state)
{
    (void)state;
    const int sigs[] = {SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        interrupt_export("terminated.json", 1000, sigs[i], 1, 128 + sigs[i],
                         "the previous export\n");
}

/* `export library --type album --out out` (and `flag`, or NULL) succeeds. */
static void export_albums(const char *out, const char *flag)
{
    cli_result r;
    if (flag != NULL)
        RUN(r, "export", "library", "--type", "album", "--out", out, flag);
    else
        RUN(r, "export", "library", "--type", "album", "--out", out);
    if (r.status != 0)
        fail_msg("--out %s: exit %d: %s", out, r.status, r.err);
    cli_result_free(&r);
}

static mode_t mode_of(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_mode & 07777;
}

/* Replacing a file keeps its mode and owner; a new file gets the umask's
 * mode, or 0600 with --private. */
static void test_out_mode_and_owner(void **state)
{
    (void)state;
    char out[400];
    path_in_dir(out, sizeof out, "mine.csv");
    write_file(out, "old\n");
    assert_int_equal(chmod(out, 0600), 0);
    bool root = geteuid() == 0;
    if (root)
        assert_int_equal(chown(out, 4321, 4322), 0);
    export_albums(out, NULL);
    struct stat sb;
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    if (root) {
        assert_int_equal(sb.st_uid, 4321);
        assert_int_equal(sb.st_gid, 4322);
    }
    char *csv = cli_read_file(out);
    assert_true(strncmp(csv, "type,added_at,", 14) == 0);
    free(csv);
    unlink(out);

    mode_t mask = umask(027); /* the child inherits it */
    export_albums(out, NULL);
    assert_int_equal(mode_of(out), 0640);
    unlink(out);
    umask(022);
    export_albums(out, "--private");
    assert_int_equal(mode_of(out), 0600);
    assert_int_equal(chmod(out, 0644), 0);
    export_albums(out, "--private");
    assert_int_equal(mode_of(out), 0600);
    umask(mask);
    assert_int_equal(temp_files(), 0);
}

/* A symlink is followed: its target is replaced, the link stays; a
 * dangling link creates its target; a relative link is read from its own
 * directory. */
static void test_out_symlink(void **state)
{
    (void)state;
    char sub[400], target[400], link[400], dangling[400], made[400];
    path_in_dir(sub, sizeof sub, "sub");
    assert_int_equal(mkdir(sub, 0755), 0);
    path_in_dir(target, sizeof target, "sub/target.csv");
    path_in_dir(link, sizeof link, "link.csv");
    write_file(target, "old\n");
    assert_int_equal(symlink("sub/target.csv", link), 0);
    export_albums(link, NULL);
    struct stat sb;
    assert_int_equal(lstat(link, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    char *csv = cli_read_file(target);
    assert_true(strncmp(csv, "type,added_at,", 14) == 0);
    free(csv);

    path_in_dir(dangling, sizeof dangling, "sub/dangling.json");
    path_in_dir(made, sizeof made, "sub/made.json");
    assert_int_equal(symlink("made.json", dangling), 0);
    export_albums(dangling, NULL);
    assert_int_equal(lstat(dangling, &sb), 0);
    assert_true(S_ISLNK(sb.st_mode));
    assert_int_equal(lstat(made, &sb), 0);
    assert_true(S_ISREG(sb.st_mode));
    assert_int_equal(temp_files(), 0);
    unlink(link);
    unlink(dangling);
    unlink(made);
    unlink(target);
    rmdir(sub);
}

/* A FIFO is written to, as it is: a reader gets the export, the FIFO stays
 * a FIFO, and no temporary file is made. */
static void test_out_fifo(void **state)
{
    (void)state;
    char fifo[400], got[400];
    path_in_dir(fifo, sizeof fifo, "pipe.csv");
    path_in_dir(got, sizeof got, "from-pipe.csv");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    pid_t reader = fork();
    assert_true(reader >= 0);
    if (reader == 0) { /* copies the FIFO into `got` until its writer closes */
        int in = open(fifo, O_RDONLY), out = open(got, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        char buf[4096];
        ssize_t n;
        while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
            if (write(out, buf, (size_t)n) != n)
                _exit(1);
        _exit(in >= 0 && out >= 0 ? 0 : 1);
    }
    cli_result r;
    RUN(r, "export", "library", "--out", fifo, "--format", "csv");
    int status = r.status;
    cli_result_free(&r);
    struct stat sb;
    bool still_fifo = lstat(fifo, &sb) == 0 && S_ISFIFO(sb.st_mode);
    if (still_fifo) { /* releases the reader if nothing opened the FIFO */
        int fd = open(fifo, O_WRONLY | O_NONBLOCK);
        if (fd >= 0)
            close(fd);
    } else {
        kill(reader, SIGKILL);
    }
    int rs = 0;
    assert_int_equal(waitpid(reader, &rs, 0), reader);
    assert_int_equal(status, 0);
    assert_true(still_fifo);
    assert_true(WIFEXITED(rs) && WEXITSTATUS(rs) == 0);
    char *csv = cli_read_file(got);
    assert_non_null(csv);
    assert_int_equal(cli_lines(csv), 1 + 137 + 2);
    free(csv);
    assert_int_equal(temp_files(), 0);
    unlink(fifo);
    unlink(got);
}

/* Standard output: "-" and a descriptor link of the process (/dev/fd/1,
 * as /dev/stdout leads to) are written to directly. */
static void test_out_stdout(void **state)
{
    (void)state;
    const char *targets[] = {"-", "/dev/fd/1"};
    for (size_t i = 0; i < sizeof targets / sizeof targets[0]; i++) {
        cli_result r;
        RUN(r, "export", "library", "--format", "csv", "--out", targets[i]);
        if (r.status != 0)
            fail_msg("--out %s: exit %d: %s", targets[i], r.status, r.err);
        assert_int_equal(cli_lines(r.out), 1 + 137 + 2);
        assert_true(strncmp(r.out, "type,added_at,", 14) == 0);
        cli_result_free(&r);
        assert_int_equal(temp_files(), 0);
    }
}

/* A directory is refused before anything is fetched. */
static void test_out_directory(void **state)
{
    (void)state;
    cli_result r;
    RUN(r, "export", "library", "--out", F.dir);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "is a directory"));
    cli_result_free(&r);
    assert_int_equal(emulator_route_count(&F.emu, "GET", "/v1/me/tracks", 200), 0);
    assert_int_equal(temp_files(), 0);
}

/* A terminal (the pseudo-terminal script(1) gives the child as its
 * standard output) is written to directly, without a progress line in
 * the middle of the export. */
static void test_out_terminal(void **state)
{
    (void)state;
    char command[1200];
    snprintf(command, sizeof command, "'%s' export library --format csv --out /dev/fd/1",
             cli_binary());
    cli_result r;
    assert_true(cli_run_on_terminal(&r, &F, command));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "type,added_at,name,"));
    assert_non_null(strstr(r.out, ",spotify:album:"));
    assert_null(strstr(r.out, "\033[")); /* no progress drawn into it */
    assert_null(strstr(r.out, "Exported "));
    cli_result_free(&r);
    assert_int_equal(temp_files(), 0);
}

/* On a terminal the progress line shows items done/total, the rate and an
 * ETA (the emulator slowed so the rate is known before the end). */
static void test_progress_on_a_terminal(void **state)
{
    (void)state;
    assert_true(cli_latency(&F, 30));
    char out[400], command[1200];
    path_in_dir(out, sizeof out, "tty.csv");
    snprintf(command, sizeof command, "'%s' export library --out '%s'", cli_binary(), out);
    cli_result r;
    assert_true(cli_run_on_terminal(&r, &F, command));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\r\033[Klibrary  ")); /* redrawn in place */
    assert_non_null(strstr(r.out, "139/139"));
    assert_non_null(strstr(r.out, "/s  ETA 0:00"));
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
        cmocka_unit_test_setup(test_terminated, cli_setup_logged_in),
        cmocka_unit_test_setup(test_out_mode_and_owner, cli_setup_logged_in),
        cmocka_unit_test_setup(test_out_symlink, cli_setup_logged_in),
        cmocka_unit_test_setup(test_out_fifo, cli_setup_logged_in),
        cmocka_unit_test_setup(test_out_stdout, cli_setup_logged_in),
        cmocka_unit_test_setup(test_out_directory, cli_setup_logged_in),
        cmocka_unit_test_setup(test_out_terminal, cli_setup_logged_in),
        cmocka_unit_test_setup(test_progress_on_a_terminal, cli_setup_logged_in),
    };
    return CLI_RUN_GROUP(tests);
}
