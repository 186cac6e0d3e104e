/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - for spotctl's tests: run the spotctl binary as a child process
 * with a controlled environment against a spotify-emulator, capture its
 * exit status, stdout and stderr.
 *
 *   cli_fixture f;
 *   cli_setup(&f, NULL);                 emulator + a temporary HOME
 *   cli_login(&f, NULL, 3600);           a saved user login (demo-client)
 *   cli_result r;
 *   cli_run(&r, &f, NULL, "--json", "me", NULL);
 *   assert_int_equal(r.status, 0);
 *
 * Threads: one fixture per thread; cli_run may run from several threads.
 */
#ifndef SPOTCTL_TEST_CLI_H
#define SPOTCTL_TEST_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "emulator_process.h"

struct CMUnitTest;

typedef struct cli_fixture {
    emulator_process emu;
    char dir[256];                  /* a temporary HOME, removed by cli_teardown */
    char cache[320];                /* the token file (SPOTCTL_CACHE) */
    char api[192];                  /* the emulator's /v1 */
    char access[256], refresh[256]; /* the tokens cli_login saved */
} cli_fixture;

typedef struct cli_result {
    int status; /* exit status, 128+N when killed by signal N, -1 on error */
    char *out;
    char *err;
} cli_result;

/* The fixture of the current test file, and cmocka setups around it. */
extern cli_fixture cli_fx;
/* Group setup/teardown: cli_setup(&cli_fx, NULL) / stop, failing unless the
 * emulator exits 0. */
int cli_group_setup(void **state);
int cli_group_teardown(void **state);
/* Runs a test file's group around cli_fx (proxies unset, SDK initialised):
 * CLI_RUN_GROUP(tests) in main. */
int cli_run_group(const struct CMUnitTest *tests, size_t count);
#define CLI_RUN_GROUP(tests) cli_run_group((tests), sizeof(tests) / sizeof((tests)[0]))
/* Per-test setups: emulator reset and no token file, or reset and a saved
 * login with every scope spotctl asks for, valid for an hour. */
int cli_setup_fresh(void **state);
int cli_setup_logged_in(void **state);
/* No saved token, refresh token or client secret in r's output. */
void cli_assert_no_secret(const cli_result *r);
/* Exit 0, nothing on stderr, no secret (cmocka assertions). */
void cli_assert_ok(const cli_result *r);
/* Exit `status`, nothing on stdout, stderr starting with `prefix`, no
 * secret. */
void cli_assert_fails(const cli_result *r, int status, const char *prefix);
/* Each of the n lines of `out` is the JSON the emulator serves at paths[i]
 * (compared as values, with the saved login's token). */
void cli_assert_lines_match(const cli_fixture *f, const char *out, const char *const *paths,
                            size_t n);
/* How many times `needle` occurs in `text`. */
size_t cli_count(const char *text, const char *needle);

/* Starts the emulator (extra args NULL-terminated, or NULL) and makes the
 * temporary HOME. false when something failed (printed). */
bool cli_setup(cli_fixture *f, const char *const *emu_args);
/* Stops the emulator; returns its exit status (0 is clean). */
int cli_teardown(cli_fixture *f);

/* Saves a user login for demo-client (authorization-code flow) with
 * `scope` (NULL: every scope spotctl asks for) expiring in `expires_in`
 * seconds (<= 0: already expired), as `spotctl login` would. */
bool cli_login(cli_fixture *f, const char *scope, double expires_in);
/* The same into another token cache (a Redis one). */
struct spotify_token_cache;
bool cli_login_into(cli_fixture *f, struct spotify_token_cache *cache, const char *scope,
                    double expires_in);

/* Runs spotctl with argv (NULL-terminated, without the program name) and
 * the environment: PATH, HOME, the base URLs, SPOTCTL_CACHE, the
 * sanitizer options, then `env` entries ("K=V"; NULL-terminated or NULL;
 * "K=" empties K). stdin is `stdin_path` or /dev/null. */
bool cli_runv(cli_result *r, const cli_fixture *f, const char *const *env, const char *stdin_path,
              const char *const *argv);
/* The same with argv as arguments (NULL-terminated), no env, no stdin. */
bool cli_run(cli_result *r, const cli_fixture *f, ...);
/* The same with client credentials (demo-client) in the environment. */
bool cli_run_app(cli_result *r, const cli_fixture *f, ...);
void cli_result_free(cli_result *r);
/* Runs another program (argv[0], found on PATH) with the same environment
 * rules: `script` for a pseudo-terminal, the SDK's fake browser... */
bool cli_run_program(cli_result *r, const cli_fixture *f, const char *const *env,
                     const char *const *argv);

/* Starts spotctl in the background (signals, concurrency); returns its pid
 * (-1 on error); output goes to files in f->dir named after `tag` (unique
 * per running child). cli_wait collects it. */
int cli_spawn(const cli_fixture *f, const char *tag, const char *const *env,
              const char *const *argv);
bool cli_wait(cli_result *r, const cli_fixture *f, const char *tag, int pid);
/* cli_spawn with stdin the FIFO `fifo` (made by the caller), opened so that
 * nothing waits: write lines to it while the child runs. */
int cli_spawn_fifo(const cli_fixture *f, const char *tag, const char *const *env, const char *fifo,
                   const char *const *argv);
/* Runs spotctl `argv` with `env` in `n` processes at once (at most
 * CLI_CONCURRENT_MAX); each must exit 0 with nothing on stderr, no secret
 * and `expect` on stdout (cmocka assertions). */
#define CLI_CONCURRENT_MAX 32
void cli_run_concurrently(const cli_fixture *f, const char *const *env, const char *const *argv,
                          int n, const char *expect);

/* The spotctl binary. */
const char *cli_binary(void);
/* Reads a whole file (NULL when missing); free() it. */
char *cli_read_file(const char *path);
/* Number of lines in `text`. */
size_t cli_lines(const char *text);

/* True when two JSON texts are the same value (same keys in the same
 * order, same values). */
bool cli_json_same(const char *a, size_t alen, const char *b, size_t blen);
/* The first string member `key` in `json` (a textual search: the first
 * occurrence, nested or not). */
bool cli_first_string(const char *json, const char *key, char *out, size_t size);
/* Queues an emulator fault (POST /__emulator/faults); true on 200. */
bool cli_fault(const cli_fixture *f, const char *json);
/* Waits up to `ms` for `needle` in the file `path`; true when it appeared. */
bool cli_wait_for_text(const char *path, const char *needle, int ms);
/* GET f->api + path with the saved login's access token; the body
 * (malloc'ed) or NULL. */
char *cli_api_get(const cli_fixture *f, const char *path);
#endif
