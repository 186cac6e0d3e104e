/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/main.c - the entry point: global options, finding the command,
 * parsing its options, opening the session, running it, exit codes.
 *
 * Global options (--json, --cache, --market, -v) are accepted before or
 * after the command words.
 */
#include <signal.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "spotctl.h"

/* SIGTERM, SIGHUP, SIGPIPE and a second Ctrl-C: remove a temporary output
 * file, then end by the signal's default action, so the parent sees the
 * signal (unlink, signal and raise are async-signal-safe; the signal is
 * blocked in its handler, so raise takes effect on return). */
static void on_fatal(int sig)
{
    spotctl_remove_temp();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* First Ctrl-C: stop cleanly at the next request or item, and wake a
 * running --parallel loop so it cancels its requests in flight at once
 * (spotify_async_wakeup is async-signal-safe). Second: at once. */
static void on_sigint(int sig)
{
    if (spotctl_interrupted) {
        on_fatal(sig);
        return;
    }
    spotctl_interrupted = 1;
    spotctl_parallel_wake();
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_fatal;
    const int fatal[] = {SIGTERM, SIGHUP, SIGPIPE};
    for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        struct sigaction old;
        /* a signal ignored by whoever started us stays ignored */
        if (sigaction(fatal[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;
        sigaction(fatal[i], &sa, NULL);
    }
}

/* True for a global option followed by its value ("--cache PATH"). */
static bool takes_value(const char *arg)
{
    const spotctl_opt *o = strncmp(arg, "--", 2) == 0 ? spotctl_global_opt(arg + 2) : NULL;
    return o != NULL && o->kind != SPOTCTL_FLAG;
}

/* Index of the first positional at or after `from` (skipping global
 * options and their values), or -1. */
static int next_word(int argc, char **argv, int from)
{
    for (int i = from; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return -1;
        if (argv[i][0] != '-')
            return i;
        if (takes_value(argv[i]))
            i++;
    }
    return -1;
}

static int terminal_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col;
    const char *columns = getenv("COLUMNS");
    int64_t n;
    if (columns != NULL && spotctl_parse_int(columns, 10, 10000, &n))
        return (int)n;
    return 0;
}

static bool has_flag(int argc, char **argv, const char *long_name, const char *short_name)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], long_name) == 0 || (short_name && strcmp(argv[i], short_name) == 0))
            return true;
    }
    return false;
}

/* A token store location with a URL scheme spotctl does not know is a
 * usage error (exit 2), never a relative file path by accident:
 * "redis-sentinel:/..." would otherwise become a directory. 0 when fine. */
static int cache_scheme_check(const spotctl_ctx *ctx, const char *command)
{
    char location[sizeof ctx->cache_path], why[128];
    if (!spotctl_cache_location(location, sizeof location, ctx->cache_flag, &ctx->env, why,
                                sizeof why) ||
        spotctl_store_kind_of(location) != SPOTCTL_STORE_UNKNOWN)
        return 0; /* a missing HOME is reported when the store is opened */
    char scheme[64];
    spotctl_store_scheme(scheme, sizeof scheme, location);
    bool flag = ctx->cache_flag != NULL && ctx->cache_flag[0] != '\0';
    return spotctl_usage(command,
                         "%s: %s:// is not a token store: give a file path or a "
                         "URL starting with " SPOTCTL_STORE_SCHEMES,
                         flag ? "--cache" : "SPOTCTL_CACHE", scheme);
}

/* Runs one command with the remaining argv (command words removed). */
static int run_command(const spotctl_command *cmd, int argc, char **argv)
{
    char name[64];
    spotctl_command_name(name, sizeof name, cmd);
    spotctl_opt opts[SPOTCTL_OPT_MAX];
    size_t n = 0;
    for (size_t i = 0; i < cmd->opt_count && n < SPOTCTL_OPT_MAX; i++)
        opts[n++] = cmd->opts[i];
    for (size_t i = 0; i < spotctl_global_opt_count && n < SPOTCTL_OPT_MAX; i++)
        opts[n++] = spotctl_global_opts[i];

    spotctl_args args;
    if (!spotctl_args_parse(&args, opts, n, argc, argv)) {
        int rc = spotctl_usage(name, "%s", args.error);
        spotctl_args_free(&args);
        return rc;
    }
    if (spotctl_args_has(&args, "help")) {
        spotctl_print_command_help(stdout, cmd);
        spotctl_args_free(&args);
        return 0;
    }
    spotctl_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.json = spotctl_args_has(&args, "json");
    ctx.cache_flag = spotctl_args_get(&args, "cache");
    const char *market = spotctl_args_get(&args, "market");
    if (market != NULL && !spotctl_market(ctx.market_buf, sizeof ctx.market_buf, market)) {
        spotctl_args_free(&args);
        return spotctl_usage(name,
                             "--market takes a two-letter country code (SE, us) or from_token "
                             "(got \"%s\")",
                             market);
    }
    ctx.market = market != NULL ? ctx.market_buf : NULL;
    ctx.verbose = args.count[spotctl_args_index(&args, "verbose")];
    ctx.term_width = terminal_width();
    ctx.stderr_tty = isatty(STDERR_FILENO) != 0;
    ctx.stdout_tty = isatty(STDOUT_FILENO) != 0;
    spotctl_env_read(&ctx.env);
    spotctl_trace_install(ctx.verbose);

    ctx.needs = cmd->needs;
    ctx.cmd = cmd;
    /* the token store now; credentials when the command asks (spotctl_ready) */
    int rc = cache_scheme_check(&ctx, name);
    if (rc == 0)
        rc = spotctl_session_open(&ctx, SPOTCTL_NEEDS_NOTHING);
    if (rc == 0)
        rc = cmd->run(&ctx, &args);
    if (fflush(stdout) != 0 && rc == 0)
        rc = spotctl_failf(SPOTIFY_EIO, NULL, "writing the output failed");
    spotctl_session_close(&ctx);
    spotctl_args_free(&args);
    return rc;
}

/* "unknown command 'albms' (did you mean 'albums'?)", exit 2. */
static int unknown_command(const char *group, const char *word)
{
    const char *like = spotctl_suggest_command(group, word);
    char hint[96] = "";
    if (like != NULL)
        snprintf(hint, sizeof hint, " (did you mean '%s%s%s'?)", group != NULL ? group : "",
                 group != NULL ? " " : "", like);
    if (group != NULL)
        return spotctl_usage(group, "unknown command '%s %s'%s", group, word, hint);
    return spotctl_usage(NULL, "unknown command '%s'%s", word, hint);
}

static int dispatch(int argc, char **argv)
{
    int w1 = next_word(argc, argv, 1);
    bool help = has_flag(argc, argv, "--help", "-h");
    if (w1 < 0) {
        if (has_flag(argc, argv, "--version", NULL)) {
            printf("spotctl %s (libspotify-sdk %s)\n", SPOTIFY_VERSION_STRING, spotify_version());
            return 0;
        }
        spotctl_print_main_help(help ? stdout : stderr);
        return help ? 0 : SPOTCTL_EXIT_USAGE;
    }
    const char *group = argv[w1];
    if (strcmp(group, "help") == 0) {
        int a = next_word(argc, argv, w1 + 1);
        if (a < 0) {
            spotctl_print_main_help(stdout);
            return 0;
        }
        int b = next_word(argc, argv, a + 1);
        const spotctl_command *cmd = spotctl_find_command(argv[a], b >= 0 ? argv[b] : NULL);
        if (cmd != NULL) {
            spotctl_print_command_help(stdout, cmd);
            return 0;
        }
        if (spotctl_print_group_help(stdout, argv[a]))
            return 0;
        return unknown_command(NULL, argv[a]);
    }
    int w2 = w1 + 1 < argc && argv[w1 + 1][0] != '-' ? w1 + 1 : -1;
    const spotctl_command *cmd = spotctl_find_command(group, w2 >= 0 ? argv[w2] : NULL);
    int words[2] = {w1, cmd != NULL && cmd->group != NULL ? w2 : -1};
    if (cmd == NULL) {
        bool known_group = spotctl_print_group_help(NULL, group);
        if (known_group && (w2 < 0 || help)) {
            spotctl_print_group_help(help ? stdout : stderr, group);
            return help ? 0 : SPOTCTL_EXIT_USAGE;
        }
        if (known_group)
            return unknown_command(group, argv[w2]);
        return unknown_command(NULL, group);
    }
    /* argv without the program name and the command words */
    char **rest = calloc((size_t)argc, sizeof *rest);
    if (rest == NULL)
        return spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    int n = 0;
    for (int i = 1; i < argc; i++)
        if (i != words[0] && i != words[1])
            rest[n++] = argv[i];
    int rc = run_command(cmd, n, rest);
    free(rest);
    return rc;
}

/* Each --parallel request decodes into a fresh arena of a few hundred KB
 * that is freed once printed. glibc would hand the heap top back to the
 * kernel after each one (trim) and fault the pages in again for the next,
 * which costs more CPU than the request itself; keep up to 8 MB of freed
 * heap for reuse instead (a CLI process, so the memory is short-lived). */
static void tune_allocator(void)
{
#ifdef __GLIBC__
    mallopt(M_TRIM_THRESHOLD, 8 << 20);
    mallopt(M_MMAP_THRESHOLD, 8 << 20);
#endif
}

int main(int argc, char **argv)
{
    tune_allocator();
    install_signals();

    spotify_error err = {0};
    if (spotify_global_init(&err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    int rc = dispatch(argc, argv);
    spotify_global_cleanup();
    if (spotctl_interrupted && rc == 0)
        rc = SPOTCTL_EXIT_INTERRUPTED;
    return rc;
}
