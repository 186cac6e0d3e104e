/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.h - the command line: parsing (getopt_long) and the --help text.
 *
 * Ownership: emu_cli borrows strings from argv; emu_cli_free releases the
 * list of --client specs.
 * Threads: call from main only (getopt keeps global state).
 */
#ifndef SPOTIFY_EMULATOR_CLI_H
#define SPOTIFY_EMULATOR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "settings.h"

#define EMU_DEFAULT_HOST "127.0.0.1"
#define EMU_DEFAULT_PORT 8765

/* Exit statuses (documented in --help). */
#define EMU_EXIT_OK 0
#define EMU_EXIT_FAILURE 1
#define EMU_EXIT_USAGE 2

typedef struct emu_cli {
    const char *host;
    int port;
    const char *ready_file;  /* NULL: none */
    const char *config_path; /* NULL: none */
    const char **client_specs;
    size_t client_spec_count;
    bool demo_clients;      /* false after --no-demo-clients */
    const char *record_dir; /* --record: NULL when none */
    const char *upstream;   /* --upstream (with --record) */
    const char *replay_dir; /* --replay: NULL when none */
    /* switches given on the command line (they override the config file) */
    bool has_latency, has_lifetime, has_rate_limit, has_rate_window;
    int latency_ms;
    int token_lifetime_s;
    int rate_limit, rate_window_s;
    bool auto_approve, strict_redirects, rotate_refresh_tokens;
} emu_cli;

typedef enum emu_cli_result {
    EMU_CLI_RUN = 0, /* start the server */
    EMU_CLI_EXIT_OK, /* --help or --version was printed */
    EMU_CLI_USAGE    /* a usage error was printed to `err` */
} emu_cli_result;

/* Parses argv. Help and version go to `out`, errors to `err`. */
emu_cli_result emu_cli_parse(int argc, char **argv, emu_cli *cli, FILE *out, FILE *err);
/* Applies the command line's switches over `values` (defaults or config). */
void emu_cli_apply(const emu_cli *cli, emu_settings_values *values);
void emu_cli_free(emu_cli *cli);

#endif
