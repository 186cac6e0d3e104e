/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_spotctl_help.c - `--help` for every command (taken from the command
 * list of `spotctl --help`): usage line, description, examples, exit 0; the
 * same text from `spotctl help CMD`; group listings; the man page and both
 * completions name every command. Needs no server.
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

typedef struct command {
    char synopsis[160];
    char words[2][32];
    int nwords;
} command;

static command commands[64];
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
    while (strncmp(p, "  ", 2) == 0 && ncommands < 64) {
        const char *end = strchr(p, '\n');
        command *c = &commands[ncommands++];
        snprintf(c->synopsis, sizeof c->synopsis, "%.*s", (int)(end - p - 2), p + 2);
        split_words(c);
        p = end + 1;
    }
    cli_result_free(&r);
    assert_int_equal(ncommands, 28); /* every command of the issue */
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

static void test_every_command_has_help(void **state)
{
    (void)state;
    load_commands();
    for (int i = 0; i < ncommands; i++) {
        const command *c = &commands[i];
        cli_result r;
        run_words(&r, c, NULL, "--help");
        char usage[200];
        snprintf(usage, sizeof usage, "Usage: spotctl %.160s\n\n", c->synopsis);
        if (r.status != 0 || strncmp(r.out, usage, strlen(usage)) != 0)
            fail_msg("%s --help: exit %d, output:\n%s", c->synopsis, r.status, r.out);
        assert_non_null(strstr(r.out, "Example"));
        assert_non_null(strstr(r.out, "--json"));
        assert_string_equal(r.err, "");
        cli_result r2;
        run_words(&r2, c, "help", NULL);
        assert_int_equal(r2.status, 0);
        assert_string_equal(r2.out, r.out);
        cli_result_free(&r2);
        run_words(&r2, c, NULL, "-h");
        assert_string_equal(r2.out, r.out);
        cli_result_free(&r2);
        cli_result_free(&r);
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

int main(void)
{
    memset(&F, 0, sizeof F);
    snprintf(F.dir, sizeof F.dir, "/tmp");
    snprintf(F.cache, sizeof F.cache, "/nonexistent/spotctl-help-test/token.json");
    snprintf(F.api, sizeof F.api, "http://127.0.0.1:1/v1");
    snprintf(F.emu.base_url, sizeof F.emu.base_url, "http://127.0.0.1:1");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_command_has_help),
        cmocka_unit_test(test_groups_and_no_command),
        cmocka_unit_test(test_man_page_and_completions),
        cmocka_unit_test(test_bash_completion),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
