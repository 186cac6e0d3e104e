/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_help.c - `--help` for every command (taken from the command
 * list of `spotctl --help`): usage line, description, examples, exit 0; the
 * same text from `spotctl help CMD`; group listings; the man page and both
 * completions name every command; every value the bash completion offers
 * (an option's, a command's first argument) is one the command accepts;
 * the zsh completion parses. Needs no server. (That the committed
 * completions and man page are what the command table makes is the CTest
 * spotctl_docs_current.)
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static cli_fixture F; /* only for HOME and the environment; no emulator */

#define SPOTCTL_TEST_USAGE 2 /* spotctl's exit code for a usage error */

typedef struct command {
    char synopsis[160];
    char words[2][32];
    int nwords;
    char *help; /* its --help, kept by test_every_command_has_help */
} command;

static command commands[96];
static int ncommands;

/* "albums get ID..." -> albums, get; "export library|..." -> export. */
static void split_words(command *c)
{
    char copy[160];
    snprintf(copy, sizeof copy, "%s", c->synopsis);
    char *save = NULL;
    char *w = strtok_r(copy, " ", &save);
    c->nwords = 0;
    while (w != NULL && c->nwords < 2) {
        bool word = true;
        for (const char *p = w; *p; p++)
            word = word && islower((unsigned char)*p);
        if (!word)
            break;
        snprintf(c->words[c->nwords++], sizeof c->words[0], "%s", w);
        w = strtok_r(NULL, " ", &save);
    }
}

static void load_commands(void)
{
    cli_result r;
    assert_true(cli_run(&r, &F, "--help", NULL));
    assert_int_equal(r.status, 0);
    assert_true(strncmp(r.out, "spotctl - ", 10) == 0);
    const char *p = strstr(r.out, "Commands:\n");
    assert_non_null(p);
    p += strlen("Commands:\n");
    ncommands = 0;
    while (strncmp(p, "  ", 2) == 0 && ncommands < 96) {
        const char *end = strchr(p, '\n');
        command *c = &commands[ncommands++];
        snprintf(c->synopsis, sizeof c->synopsis, "%.*s", (int)(end - p - 2), p + 2);
        split_words(c);
        p = end + 1;
    }
    cli_result_free(&r);
    assert_int_equal(ncommands, 53); /* every command of issues #14 and #19 */
}

static void run_words(cli_result *r, const command *c, const char *first, const char *last)
{
    const char *argv[6];
    int n = 0;
    if (first != NULL)
        argv[n++] = first;
    for (int i = 0; i < c->nwords; i++)
        argv[n++] = c->words[i];
    if (last != NULL)
        argv[n++] = last;
    argv[n] = NULL;
    assert_true(cli_runv(r, &F, NULL, NULL, argv));
}

/* True when `name` is a top-level command too ("me", and "me top"). */
static bool top_level(const char *name)
{
    for (int i = 0; i < ncommands; i++)
        if (commands[i].nwords == 1 && strcmp(commands[i].words[0], name) == 0)
            return true;
    return false;
}

/* The commands `help CMD` and -h are compared on: the first top-level
 * command, the first group verb and a verb of a group that is also a
 * command. Every other command goes through the same dispatch (and each
 * run costs a process start, 0.3 s under ASan). */
static bool dispatch_sample(int i)
{
    /* the kind of command: 0 top-level, 1 a verb of a group that is also a
     * command, 2 a verb of any other group; the first of each kind */
    int kind[96];
    for (int k = 0; k <= i; k++)
        kind[k] = commands[k].nwords == 1 ? 0 : top_level(commands[k].words[0]) ? 1 : 2;
    for (int k = 0; k < i; k++)
        if (kind[k] == kind[i])
            return false;
    return true;
}

static void test_every_command_has_help(void **state)
{
    (void)state;
    load_commands();
    for (int i = 0; i < ncommands; i++) {
        command *c = &commands[i];
        cli_result r;
        run_words(&r, c, NULL, "--help");
        char usage[200];
        snprintf(usage, sizeof usage, "Usage: spotctl %.160s\n\n", c->synopsis);
        if (r.status != 0 || strncmp(r.out, usage, strlen(usage)) != 0)
            fail_msg("%s --help: exit %d, output:\n%s", c->synopsis, r.status, r.out);
        assert_non_null(strstr(r.out, "Example"));
        assert_non_null(strstr(r.out, "--json"));
        assert_string_equal(r.err, "");
        if (dispatch_sample(i)) {
            cli_result r2;
            run_words(&r2, c, "help", NULL);
            assert_int_equal(r2.status, 0);
            assert_string_equal(r2.out, r.out);
            cli_result_free(&r2);
            run_words(&r2, c, NULL, "-h");
            assert_string_equal(r2.out, r.out);
            cli_result_free(&r2);
        }
        free(c->help);
        c->help = r.out; /* kept for the other tests */
        free(r.err);
    }
}

static void test_groups_and_no_command(void **state)
{
    (void)state;
    cli_result r;
    assert_true(cli_run(&r, &F, "albums", NULL));
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "albums get ID..."));
    assert_non_null(strstr(r.err, "albums tracks ID"));
    cli_result_free(&r);
    assert_true(cli_run(&r, &F, "player", "--help", NULL));
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "player volume PERCENT"));
    cli_result_free(&r);
    assert_true(cli_run(&r, &F, NULL));
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "Usage: spotctl"));
    cli_result_free(&r);
    assert_true(cli_run(&r, &F, "--version", NULL));
    assert_int_equal(r.status, 0);
    assert_true(strncmp(r.out, "spotctl ", 8) == 0);
    cli_result_free(&r);
}

static void test_man_page_and_completions(void **state)
{
    (void)state;
    if (ncommands == 0)
        load_commands();
    char *man = cli_read_file(SPOTCTL_SOURCE_DIR "/spotctl.1");
    char *bash = cli_read_file(SPOTCTL_SOURCE_DIR "/completions/spotctl.bash");
    char *zsh = cli_read_file(SPOTCTL_SOURCE_DIR "/completions/_spotctl");
    assert_non_null(man);
    assert_non_null(bash);
    assert_non_null(zsh);
    assert_non_null(strstr(man, ".TH SPOTCTL 1"));
    for (int i = 0; i < ncommands; i++) {
        const command *c = &commands[i];
        const char *last = c->words[c->nwords - 1];
        char man_form[80];
        if (c->nwords == 2)
            snprintf(man_form, sizeof man_form, "%s %s", c->words[0], c->words[1]);
        else
            snprintf(man_form, sizeof man_form, "%s", c->words[0]);
        if (strstr(man, man_form) == NULL)
            fail_msg("spotctl.1 does not describe '%s'", man_form);
        if (strstr(bash, last) == NULL || strstr(zsh, last) == NULL)
            fail_msg("a completion lacks '%s'", last);
    }
    free(man);
    free(bash);
    free(zsh);
}

/* The bash completion completes commands, verbs, options and values. */
static void test_bash_completion(void **state)
{
    (void)state;
    const char *script =
        ". " SPOTCTL_SOURCE_DIR "/completions/spotctl.bash\n"
        "at() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _spotctl;"
        " echo \"${COMPREPLY[*]}\"; }\n"
        "at spotctl al\n"
        "at spotctl albums ''\n"
        "at spotctl --json albums get --i\n"
        "at spotctl export library --format ''\n"
        "at spotctl player v\n";
    const char *argv[] = {"bash", "-c", script, NULL};
    cli_result r;
    assert_true(cli_run_program(&r, &F, NULL, argv));
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "albums\nget tracks\n--ids-file\njson ndjson csv\nvolume\n");
    cli_result_free(&r);
}

/* Runs `script` (bash) after sourcing the completion, where `at WORDS...`
 * prints what completing the last word offers; returns its output lines. */
static char *complete_all(const char *script)
{
    char full[16384];
    snprintf(full, sizeof full,
             "mkdir -p '%s/files' && cd '%s/files' && : > one.txt || exit 1\n"
             ". " SPOTCTL_SOURCE_DIR "/completions/spotctl.bash\n"
             "at() { COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMPREPLY=(); _spotctl;"
             " echo \"${COMPREPLY[*]}\"; }\n"
             "%s",
             F.dir, F.dir, script);
    const char *argv[] = {"bash", "-c", full, NULL};
    cli_result r;
    assert_true(cli_run_program(&r, &F, NULL, argv));
    assert_int_equal(r.status, 0);
    free(r.err);
    return r.out;
}

/* The arguments that get a command past its own argument checks, from its
 * synopsis: a choice (library|playlists) is its first word, after which the
 * synopsis no longer applies; a placeholder is `first` (what the completion
 * offers as the first argument, when it offers something) or "/me", which
 * passes for a query, a path or (until a request checks it) an ID. */
static int minimal_args(const command *c, const char *first, const char **argv, char storage[][32],
                        int max)
{
    char copy[160];
    snprintf(copy, sizeof copy, "%s", c->synopsis);
    char *save = NULL;
    int n = 0, word = 0;
    for (char *w = strtok_r(copy, " ", &save); w != NULL && n < max;
         w = strtok_r(NULL, " ", &save)) {
        if (word++ < c->nwords)
            continue;
        if (w[0] == '[')
            break;
        char *bar = strchr(w, '|');
        if (bar != NULL)
            *bar = '\0';
        const char *placeholder = n == 0 && first != NULL ? first : "/me";
        snprintf(storage[n], 32, "%s", isupper((unsigned char)w[0]) ? placeholder : w);
        argv[n] = storage[n];
        n++;
        if (bar != NULL)
            break;
    }
    return n;
}

/* Runs spotctl with the command's words, `extra` (NULL-terminated) and
 * returns the exit status (stderr into `err`). */
static int run_status(const command *c, const char *const *extra, bool with_minimal,
                      const char *first, char *err, size_t err_size)
{
    const char *argv[16];
    char storage[8][32];
    int n = 0;
    for (int i = 0; i < c->nwords; i++)
        argv[n++] = c->words[i];
    if (with_minimal)
        n += minimal_args(c, first, argv + n, storage, 8);
    for (size_t i = 0; extra[i] != NULL && n < 15; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    cli_result r;
    assert_true(cli_runv(&r, &F, NULL, NULL, argv));
    int status = r.status;
    snprintf(err, err_size, "%s", r.err);
    cli_result_free(&r);
    return status;
}

/* True when "first second" is one of the commands (`me top`). */
static bool is_command(const char *first, const char *second)
{
    for (int i = 0; i < ncommands; i++)
        if (commands[i].nwords == 2 && strcmp(commands[i].words[0], first) == 0 &&
            strcmp(commands[i].words[1], second) == 0)
            return true;
    return false;
}

/* Every word the bash completion offers after an option of a command, or
 * as its first argument (a top-level command's or a group verb's), is
 * accepted by that command (anything but a usage error: without a login
 * they end at exit 3). The options are those --help lists with a value. */
static void test_completion_values_accepted(void **state)
{
    (void)state;
    if (ncommands == 0 || commands[0].help == NULL)
        test_every_command_has_help(NULL);
    int checked = 0;
    for (int i = 0; i < ncommands; i++) {
        const command *c = &commands[i];
        char cmd[80];
        snprintf(cmd, sizeof cmd, "%s%s%s", c->words[0], c->nwords > 1 ? " " : "",
                 c->nwords > 1 ? c->words[1] : "");
        char queries[16][32]; /* "--type", or "" for the first argument */
        int nq = 0;
        char script[4096] = "";
        size_t used = 0;
        assert_non_null(c->help);
        const char *opt = strstr(c->help, "\nOptions:\n");
        for (const char *p = opt != NULL ? opt + 10 : ""; strncmp(p, "  ", 2) == 0;
             p = strchr(p, '\n') + 1) {
            size_t len = strcspn(p + 2, " \n");
            bool valued = p[2 + len] == ' ' && p[3 + len] != ' ';
            if (strncmp(p, "  --", 4) != 0 || !valued || nq == 15)
                continue;
            snprintf(queries[nq++], sizeof queries[0], "%.*s", (int)len, p + 2);
            used += (size_t)snprintf(script + used, sizeof script - used, "at spotctl %s %s ''\n",
                                     cmd, queries[nq - 1]);
        }
        /* the first argument (after a top-level command or a group's verb) */
        queries[nq++][0] = '\0';
        used += (size_t)snprintf(script + used, sizeof script - used, "at spotctl %s ''\n", cmd);
        char *offered = complete_all(script);
        /* the first argument's first offered word (the last line), if any */
        char first_word[32] = "";
        {
            const char *last = offered + strlen(offered) - 1; /* its newline */
            while (last > offered && last[-1] != '\n')
                last--;
            snprintf(first_word, sizeof first_word, "%.*s", (int)strcspn(last, " \n"), last);
        }
        char *line = offered;
        for (int k = 0; k < nq; k++) {
            char *end = strchr(line, '\n');
            assert_non_null(end);
            *end = '\0';
            char *save = NULL;
            for (char *w = strtok_r(line, " ", &save); w != NULL; w = strtok_r(NULL, " ", &save)) {
                char err[600];
                int status;
                if (queries[k][0] == '\0' && is_command(c->words[0], w))
                    continue; /* a verb of the group named like the command: checked on its own */
                if (queries[k][0] == '\0') {
                    const char *extra[] = {w, NULL};
                    status = run_status(c, extra, false, NULL, err, sizeof err);
                    /* it may need a value or two after it (cover set PLAYLIST FILE) */
                    const char *one[] = {w, "/me", NULL}, *two[] = {w, "/me", "/me", NULL};
                    if (status == SPOTCTL_TEST_USAGE)
                        status = run_status(c, one, false, NULL, err, sizeof err);
                    if (status == SPOTCTL_TEST_USAGE)
                        status = run_status(c, two, false, NULL, err, sizeof err);
                } else {
                    const char *extra[] = {queries[k], w, NULL};
                    status = run_status(c, extra, true, first_word[0] ? first_word : NULL, err,
                                        sizeof err);
                }
                if (status == SPOTCTL_TEST_USAGE)
                    fail_msg("spotctl %s: the completion offers \"%s\"%s%s, which it refuses: %s",
                             cmd, w, queries[k][0] ? " for " : " as the first argument", queries[k],
                             err);
                checked++;
            }
            line = end + 1;
        }
        free(offered);
    }
    assert_true(checked >= 20); /* the --type, --format and first-argument words */
}

/* What `library save --help` promises is what it does: the kinds it lists
 * are the ones Spotify's library takes (no artists: `follow artists`). */
static void test_library_save_help(void **state)
{
    (void)state;
    cli_result r;
    assert_true(cli_run(&r, &F, "library", "save", "--help", NULL));
    assert_int_equal(r.status, 0);
    const char *about = strstr(r.out, "\n\n") + 2;
    const char *artists = strstr(about, "artist");
    const char *api = strstr(about, "spotctl follow artists ID");
    if (artists != NULL && (api == NULL || artists < strstr(about, "takes no")))
        fail_msg("library save --help offers artists:\n%s", r.out);
    assert_non_null(api);
    cli_result_free(&r);
}

/* The zsh completion parses (where zsh is installed). */
static void test_zsh_completion_parses(void **state)
{
    (void)state;
    const char *argv[] = {"sh", "-c",
                          "command -v zsh >/dev/null || exit 77; "
                          "zsh -n " SPOTCTL_SOURCE_DIR "/completions/_spotctl",
                          NULL};
    cli_result r;
    assert_true(cli_run_program(&r, &F, NULL, argv));
    if (r.status == 77) {
        cli_result_free(&r);
        skip();
    }
    if (r.status != 0)
        fail_msg("zsh -n: %s", r.err);
    cli_result_free(&r);
}

int main(void)
{
    memset(&F, 0, sizeof F);
    /* HOME and the children's captured output: a directory of our own */
    snprintf(F.dir, sizeof F.dir, "/tmp/spotctl-help-XXXXXX");
    if (mkdtemp(F.dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(F.cache, sizeof F.cache, "%s/no-login/token.json", F.dir);
    snprintf(F.api, sizeof F.api, "http://127.0.0.1:1/v1");
    snprintf(F.emu.base_url, sizeof F.emu.base_url, "http://127.0.0.1:1");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_command_has_help),
        cmocka_unit_test(test_groups_and_no_command),
        cmocka_unit_test(test_man_page_and_completions),
        cmocka_unit_test(test_bash_completion),
        cmocka_unit_test(test_completion_values_accepted),
        cmocka_unit_test(test_library_save_help),
        cmocka_unit_test(test_zsh_completion_parses),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    for (int i = 0; i < ncommands; i++)
        free(commands[i].help);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", F.dir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", F.dir);
    return rc;
}
