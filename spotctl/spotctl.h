/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/spotctl.h - what spotctl's files share: the run context, exit
 * codes, the command table and the helpers each command group uses.
 *
 * spotctl is built only on the public API (<spotify/spotify.h>). Files:
 *   main.c       globals, dispatch, signals, exit codes
 *   args.c       option parsing (pure)
 *   config.c     environment, token-file path, credential choice (pure)
 *   session.c    token cache, provider and client from that choice
 *   output.c     tables, durations, JSON/CSV escaping, errors (pure + stdio)
 *   files.c      output files (atomic replace or direct), bounded inputs
 *   progress.c   the progress line on a terminal
 *   parallel.c   N async requests, at most P in flight, results in order
 *   trace.c      -v: the redacted HTTP trace (observer + log hook)
 *   help.c       the command table: commands, options, values, help text
 *   docs.c       completions and the man page's command list from the table
 *   scopes.c     missing scopes and the login hint (pure)
 *   cmd_*.c      one file per command group
 *
 * Threads: everything runs on the main thread (--parallel too: one async
 * context, parallel.c); only spotctl_parallel_wake() is called from a
 * signal handler.
 */
#ifndef SPOTCTL_H
#define SPOTCTL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>

#include <spotify/spotify.h>

/* Exit codes (the table; scripts depend on them). */
enum {
    SPOTCTL_EXIT_OK = 0,
    SPOTCTL_EXIT_ERROR = 1,        /* I/O, out of memory, anything else */
    SPOTCTL_EXIT_USAGE = 2,        /* bad command line */
    SPOTCTL_EXIT_AUTH = 3,         /* authentication or configuration */
    SPOTCTL_EXIT_REFUSED = 4,      /* 400/403/404 or invalid argument */
    SPOTCTL_EXIT_RATELIMIT = 5,    /* rate limited after retries */
    SPOTCTL_EXIT_NETWORK = 6,      /* network, server or protocol failure */
    SPOTCTL_EXIT_INTERRUPTED = 130 /* Ctrl-C */
};

/* The exit code of a status (pure). */
int spotctl_exit_code(spotify_status status);

/* Set by the SIGINT handler; checked between requests and items. */
extern volatile sig_atomic_t spotctl_interrupted;

/* ------------------------------------------------------------------ */
/* Files (files.c): the one way spotctl writes a file, and reads one   */
/* ------------------------------------------------------------------ */

/* An output file. What the path names decides how it is written:
 *   NULL or "-"                  standard output;
 *   /dev/stdout, /dev/fd/N,      that descriptor of this process (shared
 *   /proc/self/fd/N              offset and O_APPEND, like `>&N`);
 *   a regular file, or nothing   a temporary file beside it (.NAME.spotctl-
 *                                XXXXXX), renamed over it by commit: the old
 *                                file stays whole until then. A replaced
 *                                file keeps its mode and (where the process
 *                                may: fchown, EPERM ignored) its owner; a
 *                                new one gets 0666 & ~umask; `private_mode`
 *                                makes either 0600;
 *   a symlink                    followed, link by link; the link itself is
 *                                never replaced, its final target is handled
 *                                by these rules;
 *   a device, a FIFO, a terminal written directly: no temporary, no rename;
 *   a directory                  refused (exit 1).
 * While a temporary file exists it is recorded for spotctl_remove_temp. */
typedef struct spotctl_outfile {
    FILE *f;          /* write here */
    bool atomic;      /* a temporary file renamed over `path` by commit */
    bool is_stdout;   /* f is stdout (flushed, never closed) */
    const char *name; /* the path as given, for messages (Borrowed) */
    char path[4096];  /* the file replaced: symlinks followed */
    char tmp[4096 + 32];
} spotctl_outfile;

/* What a path names for writing, by the rules above. */
typedef enum spotctl_target_kind {
    SPOTCTL_TARGET_STDOUT = 0, /* "-", or descriptor 1 */
    SPOTCTL_TARGET_DESCRIPTOR, /* another descriptor of this process: `fd` */
    SPOTCTL_TARGET_FILE,       /* a regular file (`exists`) or nothing yet */
    SPOTCTL_TARGET_DIRECT,     /* a device, a FIFO, a terminal, a socket */
    SPOTCTL_TARGET_DIRECTORY   /* refused */
} spotctl_target_kind;

typedef struct spotctl_target {
    spotctl_target_kind kind;
    char path[4096]; /* symlinks followed */
    int fd;          /* DESCRIPTOR, STDOUT: the descriptor */
    bool exists;     /* FILE: there is a file to replace, `st` */
    struct stat st;
} spotctl_target;

/* Looks at `path` (NULL or "-": standard output): 0, or an errno value
 * (ELOOP, ENAMETOOLONG, EACCES...). Used for --out and for the token file,
 * which the SDK's file cache replaces the same way (temporary + rename). */
int spotctl_target_of(spotctl_target *t, const char *path);

/* Opens `path` by the rules above; 0, or the exit code of the printed
 * error. */
int spotctl_outfile_open(spotctl_outfile *o, const char *path, bool private_mode);
/* Flushes (and for an atomic file fsyncs, closes and renames into place);
 * 0, or the exit code of the printed error (the temporary file removed). */
int spotctl_outfile_commit(spotctl_outfile *o);
/* Gives up: closes, and removes the temporary file (the old file stays). */
void spotctl_outfile_abort(spotctl_outfile *o);
/* Removes the temporary file of the output file being written, if any.
 * Async-signal-safe: the SIGINT, SIGTERM, SIGHUP and SIGPIPE handlers call
 * it before the default action ends the process. */
void spotctl_remove_temp(void);

/* The largest --ids-file and --data @FILE spotctl reads. */
#define SPOTCTL_INPUT_MAX ((size_t)16 << 20)
/* Reads `path` ("-": standard input) whole into an Owned NUL-terminated
 * buffer (*len bytes). Binary input (a NUL byte) and more than `max` bytes
 * are refused (exit 4) as soon as they are seen, so an endless stream ends
 * too. `what` comes before the path in messages ("--ids-file "). 0, or the exit code of the
 * printed error. */
int spotctl_read_input(char **out, size_t *len, const char *what, const char *path, size_t max);
/* The same for binary input (an image): NUL bytes are data. */
int spotctl_read_binary(char **out, size_t *len, const char *what, const char *path, size_t max);

/* ------------------------------------------------------------------ */
/* Options (args.c)                                                    */
/* ------------------------------------------------------------------ */

#define SPOTCTL_OPT_MAX 24

typedef enum spotctl_opt_kind {
    SPOTCTL_FLAG = 0, /* --name */
    SPOTCTL_VALUE,    /* --name VALUE or --name=VALUE; last one wins */
    SPOTCTL_MULTI     /* repeatable --name VALUE */
} spotctl_opt_kind;

/* What a value (an option's, or a command's first argument) may be, for
 * the completions. */
typedef enum spotctl_complete {
    SPOTCTL_COMPLETE_TEXT = 0, /* anything: nothing offered */
    SPOTCTL_COMPLETE_FILE,     /* a path */
    SPOTCTL_COMPLETE_WORDS,    /* one of `values` */
    SPOTCTL_COMPLETE_LIST      /* a comma-separated list of `values` */
} spotctl_complete;

typedef struct spotctl_opt {
    const char *name; /* long name without the dashes */
    char short_name;  /* 0: none */
    spotctl_opt_kind kind;
    /* For help, the man page and the completions (help.c, docs.c): */
    const char *arg;           /* VALUE/MULTI: the value's name, "FILE" */
    const char *help;          /* what it does; "\n" starts a continued line */
    spotctl_complete complete; /* what the value may be */
    const char *values;        /* WORDS/LIST: every word the command accepts */
} spotctl_opt;

/* A parsed command line. Values point into argv (Borrowed). */
typedef struct spotctl_args {
    const spotctl_opt *opts;
    size_t opt_count;
    int count[SPOTCTL_OPT_MAX]; /* times each option was given */
    const char *value[SPOTCTL_OPT_MAX];
    const char **multi[SPOTCTL_OPT_MAX]; /* Owned arrays (spotctl_args_free) */
    const char **pos;                    /* positional arguments, Owned array */
    size_t npos;
    char error[192]; /* the usage error when parsing failed */
} spotctl_args;

/* Parses argv[0..argc) against `opts` (at most SPOTCTL_OPT_MAX). "--" ends
 * options; "-" is a positional. Returns false with args->error set for an
 * unknown option or a missing value. Free with spotctl_args_free either way. */
bool spotctl_args_parse(spotctl_args *args, const spotctl_opt *opts, size_t opt_count, int argc,
                        char **argv);
void spotctl_args_free(spotctl_args *args);
/* The index of option `name` in the table, or -1. */
int spotctl_args_index(const spotctl_args *args, const char *name);
bool spotctl_args_has(const spotctl_args *args, const char *name);
const char *spotctl_args_get(const spotctl_args *args, const char *name);
/* The values of a MULTI option (*n of them). */
const char *const *spotctl_args_multi(const spotctl_args *args, const char *name, size_t *n);
/* The edit distance of two words (insertions, deletions, substitutions and
 * swapped neighbours, 1 each), and the candidate closest to `word` when it
 * is close enough to be a typo of it (NULL otherwise): "did you mean". */
size_t spotctl_edit_distance(const char *a, const char *b);
const char *spotctl_suggest(const char *word, const char *const *candidates, size_t n);
/* --market: a two-letter country code, upper-cased ("se" -> "SE"), or
 * from_token (any case); false for anything else. */
bool spotctl_market(char *out, size_t size, const char *text);
/* Parses a decimal integer in [min, max]; false when it is not one. */
bool spotctl_parse_int(const char *text, int64_t min, int64_t max, int64_t *out);

/* ------------------------------------------------------------------ */
/* Configuration (config.c, pure)                                      */
/* ------------------------------------------------------------------ */

#define SPOTCTL_DEFAULT_REDIRECT_URI "http://127.0.0.1:8888/callback"

/* What the environment says (Borrowed strings, NULL when unset or empty). */
typedef struct spotctl_env {
    const char *client_id;
    const char *client_secret;
    const char *redirect_uri;
    const char *cache;      /* SPOTCTL_CACHE */
    const char *redis_user; /* SPOTCTL_REDIS_USER */
    const char *xdg_config; /* XDG_CONFIG_HOME */
    const char *api_base;   /* SPOTIFY_SDK_API_BASE_URL */
    const char *home;       /* HOME */
} spotctl_env;

/* Reads the variables above from the process environment. */
void spotctl_env_read(spotctl_env *env);

/* The token store: --cache wins, then SPOTCTL_CACHE, then
 * $XDG_CONFIG_HOME/spotctl/token.json, then ~/.config/spotctl/token.json.
 * false (with a message in `why`) when there is no HOME to put it in. */
bool spotctl_cache_location(char *out, size_t size, const char *flag, const spotctl_env *env,
                            char *why, size_t why_size);

/* The kind of store a location names: one branch per URL scheme. A
 * location starting with SCHEME:// (RFC 3986 scheme characters) is a URL;
 * anything else, a colon anywhere included, is a file path. */
typedef enum spotctl_store_kind {
    SPOTCTL_STORE_FILE = 0,
    SPOTCTL_STORE_REDIS,  /* redis://, rediss://, unix:// (spotify-sdk-redis) */
    SPOTCTL_STORE_UNKNOWN /* another SCHEME://: a usage error, never a path */
} spotctl_store_kind;
/* The URL schemes of token stores, for messages. */
#define SPOTCTL_STORE_SCHEMES "redis://, rediss://, redis-sentinel:// or unix://"
spotctl_store_kind spotctl_store_kind_of(const char *location);
/* The scheme of a SCHEME:// location (without "://", at most `size` - 1
 * bytes) into `out`; "" when the location is no URL. */
void spotctl_store_scheme(char *out, size_t size, const char *location);
/* The location as spotctl prints it: a URL's user name and password
 * replaced by [REDACTED] (redis://:pw@host -> redis://[REDACTED]@host). */
void spotctl_store_display(char *out, size_t size, const char *location);

/* The Web API base URL requests go to (SPOTIFY_SDK_API_BASE_URL, else
 * Spotify's), without a trailing '/', as the SDK's client takes it. */
void spotctl_api_base(char *out, size_t size, const spotctl_env *env);
/* The path below the API base `base` ("/me/tracks?offset=20") that the
 * full URL `url` names; false when the URL is on another origin (scheme,
 * host, port) or outside the base's path, where the token must not go. */
bool spotctl_api_path_of_url(char *out, size_t size, const char *url, const char *base);

/* Where a token file store keeps the app's client-credentials token, beside
 * the user's (`token.json` -> `token.app-CLIENT_ID.json`; otherwise PATH
 * ".app-CLIENT_ID"). false when the client id is no safe file name part
 * (letters, digits, ".", "_", "-"): then it stays in memory. */
bool spotctl_app_cache_path(char *out, size_t size, const char *user_path, const char *client_id);

/* The user key of the user token in a Redis store: SPOTCTL_REDIS_USER, else
 * "spotctl" (one saved login per app, like the token file). */
#define SPOTCTL_DEFAULT_REDIS_USER "spotctl"
const char *spotctl_redis_user(const spotctl_env *env);

/* Which credentials a command uses (the rules). */
typedef enum spotctl_creds {
    SPOTCTL_CREDS_USER = 0, /* the cached user token, refreshed by its flow */
    SPOTCTL_CREDS_APP,      /* client credentials, memory only */
    SPOTCTL_CREDS_NONE      /* an error: `message` and `hint` say what to do */
} spotctl_creds;

typedef struct spotctl_creds_choice {
    spotctl_creds creds;
    spotify_flow flow;     /* USER: the provider that refreshes the token */
    const char *client_id; /* USER/APP: Borrowed from the token or env */
    spotify_status status; /* NONE: the error category */
    char message[256];
    char hint[256];
} spotctl_creds_choice;

/* Decides from the cached token (NULL when there is none), the environment
 * and whether the command needs a user. Pure. */
void spotctl_choose_creds(spotctl_creds_choice *out, const spotify_token *cached,
                          const spotctl_env *env, bool needs_user);

/* The scopes `spotctl login` asks for by default: every scope spotctl's
 * commands use. */
extern const char spotctl_default_scopes[];

/* Missing scopes (scopes.c, pure). A 403 gets a login hint only when it
 * names a missing scope, and the hint names it with the `login --scope`
 * that would add it (the default scopes, those granted, and the missing). */
/* From the SDK's scope check message ("...: the token lacks scope A, one of
 * (B C) (granted: D)"): the missing scopes ("A B C") and those granted.
 * false when the message names none. */
bool spotctl_scopes_from_message(char *missing, size_t missing_size, char *granted,
                                 size_t granted_size, const char *message);
/* For a raw request refused for its scope: the scopes the operation at
 * METHOD PATH ("/me/top/artists" fits "/me/top/{type}") needs and
 * `granted` lacks. false when no operation fits or nothing is missing. */
bool spotctl_scopes_lacking(char *missing, size_t size, const char *method, const char *path,
                            const char *granted);
/* "the login lacks scope X: run `spotctl login --add-scope X`". */
void spotctl_scope_hint(char *out, size_t size, const char *missing, const char *granted);
/* `base` and the words of more[0..n) (space- or comma-separated), each
 * once, in order, space-separated (login --add-scope). */
void spotctl_scope_union(char *out, size_t size, const char *base, const char *const *more,
                         size_t n);
struct spotctl_command;
/* The scopes `granted` lacks for the operations of `cmd` (its `ops`; of
 * an "one of" list, its first): false when it lacks none. */
bool spotctl_command_lacks(char *missing, size_t size, const struct spotctl_command *cmd,
                           const char *granted);

/* ------------------------------------------------------------------ */
/* The run context (session.c)                                         */
/* ------------------------------------------------------------------ */

typedef enum spotctl_needs {
    SPOTCTL_NEEDS_NOTHING = 0, /* help, logout: no credentials */
    SPOTCTL_NEEDS_ANY,         /* catalogue: a user token or client credentials */
    SPOTCTL_NEEDS_USER         /* user data */
} spotctl_needs;

struct spotctl_command;

typedef struct spotctl_ctx {
    const struct spotctl_command *cmd; /* the command being run */
    /* globals */
    bool json;
    const char *cache_flag;
    const char *market; /* upper-cased (spotctl_market), or NULL */
    char market_buf[16];
    int verbose;
    /* resolved */
    spotctl_env env;
    char cache_path[1024];
    char cache_shown[1024]; /* cache_path without a URL's password */
    spotify_http_pool *pool;
    spotify_token_cache *cache;
    spotify_token_cache *app_cache;          /* app credentials: their token, in the same store */
    char app_cache_shown[1100];              /* where ("" in memory only) */
    struct spotify_redis_cooldown *cooldown; /* Redis store: the shared 429 cooldown */
    spotify_auth *auth;
    spotify_client *client;
    spotctl_creds creds;
    spotctl_needs needs; /* what the command needs (spotctl_ready) */
    int term_width;      /* 0: unlimited */
    bool stderr_tty;
    bool stdout_tty;
} spotctl_ctx;

/* Opens the token store: the file cache, or with a redis://, rediss:// or
 * unix:// location the Redis cache (user key spotctl_redis_user) and the
 * Redis cooldown store (a config error when built without Redis). */
spotify_status spotctl_open_cache(spotctl_ctx *ctx, spotify_error *err);
/* Opens the store, chooses credentials and creates the provider and the
 * client. On failure prints the error and returns the exit code; 0 on
 * success. */
int spotctl_session_open(spotctl_ctx *ctx, spotctl_needs needs);
/* Options every provider and client spotctl makes share (observer, pool,
 * user agent). */
void spotctl_auth_options(spotctl_ctx *ctx, spotify_auth_options *o);
/* Creates ctx->client over ctx->auth. */
spotify_status spotctl_make_client(spotctl_ctx *ctx, spotify_error *err);
void spotctl_session_close(spotctl_ctx *ctx);
/* Opens the session for the command's needs once its arguments are
 * checked (so usage errors come before credential errors): 0, or the exit
 * code of the printed error. */
int spotctl_ready(spotctl_ctx *ctx);

/* ------------------------------------------------------------------ */
/* Output (output.c)                                                   */
/* ------------------------------------------------------------------ */

/* Prints "spotctl: <category>: <message>" (redacted) and "hint: ..." when
 * hint is not NULL; returns the status's exit code. */
int spotctl_fail(spotify_status status, const spotify_error *err, const char *hint);
/* Same, the message prefixed with "what: " (the ID or input concerned). */
int spotctl_fail_about(const char *what, spotify_status status, const spotify_error *err,
                       const char *hint);
/* Same with a formatted message. */
int spotctl_failf(spotify_status status, const char *hint, const char *fmt, ...)
    SPOTIFY_PRINTF(3, 4);
/* "spotctl: usage: <message>" + "Run 'spotctl <command> --help'."; returns 2. */
int spotctl_usage(const char *command, const char *fmt, ...) SPOTIFY_PRINTF(2, 3);
/* A warning on stderr that does not change the exit code. */
void spotctl_warn(const char *fmt, ...) SPOTIFY_PRINTF(1, 2);

/* Text from Spotify (names, descriptions, messages) on a terminal: every
 * control character, C0 (U+0000..U+001F), DEL and C1 (U+0080..U+009F,
 * UTF-8 C2 80..C2 9F: CSI, OSC...), becomes one space, so no name can move
 * the cursor, recolour or retitle the terminal, or break a table's layout.
 * Every text (not --json) output of a string spotctl did not write itself
 * goes through one of these (pure): in place, or copied into `out` (which
 * is returned). */
void spotctl_clean_controls(char *s);
const char *spotctl_clean(char *out, size_t size, const char *s);

/* Removes the SDK's function names from a message ("spotify_albums_get:
 * market: ..." -> "market: ..."): people run commands, not functions. In
 * place, pure; every error spotctl prints goes through it. */
void spotctl_strip_function_names(char *s);
/* m:ss, or h:mm:ss from one hour (pure). */
void spotctl_format_duration(char *out, size_t size, int64_t ms);
/* The display width of UTF-8 text (one column per code point). */
size_t spotctl_text_width(const char *s);
/* Copies `s` into out, cut to at most `width` columns with "…" when cut. */
void spotctl_truncate(char *out, size_t size, const char *s, size_t width);
/* Appends `s` as a JSON string (quotes included) / a CSV field. Return false
 * when out of memory. */
typedef struct spotctl_buf {
    char *data;
    size_t len;
    size_t cap;
} spotctl_buf;
bool spotctl_buf_add(spotctl_buf *b, const char *s, size_t n);
bool spotctl_buf_str(spotctl_buf *b, const char *s);
bool spotctl_buf_json_string(spotctl_buf *b, const char *s);
bool spotctl_buf_csv_field(spotctl_buf *b, const char *s);
void spotctl_buf_free(spotctl_buf *b);

/* An aligned text table, buffered until printed. */
typedef struct spotctl_table {
    size_t ncols;
    const char *const *headers;
    unsigned right_aligned; /* bit i: column i is right-aligned */
    char **cells;           /* nrows * ncols, Owned */
    size_t nrows;
    size_t cap;
} spotctl_table;
/* headers NULL: no header line (key/value listings). */
void spotctl_table_init(spotctl_table *t, const char *const *headers, size_t ncols);
/* Adds a row of ncols cells (NULL cells print as "-"); copies them. */
bool spotctl_table_add(spotctl_table *t, const char *const *cells);
/* Prints with two spaces between columns, the widest columns shortened
 * first so each line fits `width` columns (0: no limit). */
void spotctl_table_print(const spotctl_table *t, FILE *out, size_t width);
void spotctl_table_free(spotctl_table *t);

/* "A, B, C" from an artist list (into out). */
void spotctl_join_artists(char *out, size_t size, const spotify_simplified_artist_list *artists);

/* Prints a model's raw JSON and a newline to stdout. */
spotify_status spotctl_print_raw(const void *model, spotify_error *err);

/* ------------------------------------------------------------------ */
/* Raw JSON (json.c, pure): `api` reads pages it has no model for      */
/* ------------------------------------------------------------------ */

/* The text scanned has passed spotify_json_validate; the functions find
 * their way in it and never read past `end`. */
const char *spotctl_json_ws(const char *p, const char *end);
/* After the value starting at p (leading white space skipped); NULL when
 * the text ends first. */
const char *spotctl_json_skip(const char *p, const char *end);
/* The next element of an array (key NULL) or member of an object, from
 * *cursor (at the opening bracket, or after the previous element): false
 * at the end. */
bool spotctl_json_next(const char **cursor, const char *end, const char **key, size_t *key_len,
                       const char **value, const char **value_end);
/* The member `name` of the object at `obj`. */
bool spotctl_json_member(const char *obj, const char *end, const char *name, const char **value,
                         const char **value_end);
/* Appends the value without the white space outside strings (one line). */
bool spotctl_json_compact(spotctl_buf *out, const char *p, const char *end);
/* A JSON string's text, unescaped, into out; false when it is not a
 * string or does not fit. */
bool spotctl_json_string(char *out, size_t size, const char *p, const char *end);
bool spotctl_json_int(const char *p, const char *end, int64_t *out);
/* True for true, false, null and a JSON number: what a typed field sends
 * as it is. */
bool spotctl_json_is_literal(const char *value);

/* A field of `api -f/-F`: KEY is NAME, NAME[], NAME[SUB] or NAME[][SUB]
 * (gh's syntax: [] appends to a list, a list of objects gets a new element
 * when the last one already has SUB); VALUE NULL for NAME[] alone (an
 * empty list). A typed value that is a JSON literal goes as it is,
 * anything else as a string. */
typedef struct spotctl_field {
    const char *key;
    const char *value;
    bool typed;
} spotctl_field;
/* The JSON object the fields make, appended to `out`; false with `why` set
 * for a field that does not fit (a key given twice...). */
bool spotctl_json_body(spotctl_buf *out, const spotctl_field *fields, size_t n, char *why,
                       size_t why_size);

/* ------------------------------------------------------------------ */
/* Progress (progress.c)                                               */
/* ------------------------------------------------------------------ */

typedef struct spotctl_progress {
    bool enabled;
    const char *label;
    int64_t done;
    int64_t total; /* < 0: unknown */
    int64_t start_ms;
    int64_t last_draw_ms;
    int width;
} spotctl_progress;

/* Starts a progress line on stderr when `enabled` (the caller decides:
 * stderr is a terminal and stdout does not stream to the same one). */
void spotctl_progress_start(spotctl_progress *p, bool enabled, const char *label, int64_t total,
                            int width);
void spotctl_progress_total(spotctl_progress *p, int64_t total);
void spotctl_progress_step(spotctl_progress *p, int64_t n);
/* Clears the line. */
void spotctl_progress_end(spotctl_progress *p);
/* The line itself (pure): "LABEL  12/137  8.1/s  ETA 0:15  [####    ]". */
void spotctl_progress_render(char *out, size_t size, const char *label, int64_t done, int64_t total,
                             double elapsed_s, int width);
/* True when progress may be drawn for a command whose stdout streams
 * (`streams`) or not. */
bool spotctl_progress_allowed(const spotctl_ctx *ctx, bool streams);

/* ------------------------------------------------------------------ */
/* Concurrency (parallel.c): the one place that decides how --parallel */
/* runs: one async context on the calling thread (spotify/async.h).    */
/* ------------------------------------------------------------------ */

/* Submits request `index` on `async` with `callback` and `cb_user` passed on
 * unchanged (to spotify_operation_call_async or spotify_async_send). On
 * failure (nothing sent, the callback never runs) `err` says why and the
 * request is delivered with that error. */
typedef spotify_status (*spotctl_submit_fn)(spotify_async *async, size_t index, void *user,
                                            spotify_async_callback callback, void *cb_user,
                                            spotify_error *err);
/* Called on the calling thread for index 0, 1, 2... in order, each once its
 * request is done: `result` Owned by the callee (status SPOTIFY_OK; NULL
 * for operations without a body), else NULL and `err` (Borrowed for the
 * call). Nonzero stops the run: no further requests, the rest cancelled. */
typedef int (*spotctl_deliver_fn)(size_t index, spotify_status status, void *result,
                                  const spotify_error *err, void *user);
/* Frees a result that will not be delivered (after a stop). */
typedef void (*spotctl_discard_fn)(void *result);

/* How far submissions may run ahead of delivery: request i is submitted
 * only after request i - window was delivered, so results and queued
 * requests stay bounded (4 x parallel) however many there are. */
size_t spotctl_parallel_window(int parallel);

/* Runs `n` requests on a new async context over `client` with at most
 * `parallel` in flight. Stops when *cancel becomes nonzero (checked after
 * every wake-up; see spotctl_parallel_wake), cancelling what is in flight.
 * Returns the first nonzero deliver result, SPOTCTL_EXIT_INTERRUPTED when
 * cancelled, an exit code when the context could not be made (printed),
 * else 0. Results never delivered go to `discard` (may be NULL). */
int spotctl_parallel_run(spotify_client *client, size_t n, int parallel, spotctl_submit_fn submit,
                         spotctl_deliver_fn deliver, spotctl_discard_fn discard, void *user,
                         volatile sig_atomic_t *cancel);
/* Wakes a running spotctl_parallel_run so it notices *cancel at once.
 * Async-signal-safe and thread-safe (the SIGINT handler calls it). */
void spotctl_parallel_wake(void);

/* ------------------------------------------------------------------ */
/* Trace (trace.c)                                                     */
/* ------------------------------------------------------------------ */

/* The observer behind -v: one redacted line per HTTP attempt on stderr. */
void spotctl_trace_observer(const spotify_http_event *event, void *user);
/* The line itself (pure). */
void spotctl_trace_format(char *out, size_t size, const spotify_http_event *event);
/* Installs the SDK log handler for -v (INFO) / -vv (DEBUG). */
void spotctl_trace_install(int verbose);

/* ------------------------------------------------------------------ */
/* Commands                                                            */
/* ------------------------------------------------------------------ */

typedef int (*spotctl_cmd_fn)(spotctl_ctx *ctx, spotctl_args *args);

/* One command. This table is the one source of `spotctl --help`, every
 * command's --help, the man page's command list and the bash and zsh
 * completions (spotctl-gendocs, docs.c; the CTest spotctl_docs_current
 * fails when the committed ones differ from what it makes). */
typedef struct spotctl_command {
    const char *group;  /* "albums"; NULL for a top-level command */
    const char *name;   /* "get" */
    spotctl_cmd_fn run; /* called once the session is open */
    spotctl_needs needs;
    const spotctl_opt *opts; /* command options (globals are added) */
    size_t opt_count;
    const char *synopsis; /* one line */
    const char *summary;  /* a few words, for the zsh completion */
    const char *about;    /* --help before the options: what it does */
    const char *more;     /* --help after the options: notes, examples */
    /* the words the first argument may be ("library playlists playlist"),
     * offered by the completions; NULL: anything */
    const char *first_arg;
    /* what a run function shared by several commands needs (a kind); NULL */
    const void *data;
    /* the operations the command may call (their C names without the
     * spotify_ prefix, space-separated): `token` tells from their scopes
     * which commands a login allows */
    const char *ops;
} spotctl_command;

/* Every command, in help order (help.c). */
extern const spotctl_command spotctl_commands[];
extern const size_t spotctl_command_count;
/* The global options, accepted before or after any command (help.c). */
extern const spotctl_opt spotctl_global_opts[];
extern const size_t spotctl_global_opt_count;
/* The option `--name` of the globals, NULL when there is none. */
const spotctl_opt *spotctl_global_opt(const char *long_name);
/* Prints "  --name ARG   help" lines for `opts`, aligned (help.c). */
void spotctl_print_options(FILE *out, const spotctl_opt *opts, size_t n);

/* Writes what the table makes (docs.c, used by spotctl-gendocs): the bash
 * completion, the zsh completion, and the man page `page` (spotctl.1)
 * with its command list between the markers rewritten. false on a write
 * error or a page without the markers. */
bool spotctl_write_bash_completion(FILE *out);
bool spotctl_write_zsh_completion(FILE *out);
bool spotctl_write_man_page(FILE *out, const char *page);
/* The top-level help (help.c). */
void spotctl_print_main_help(FILE *out);
/* A group's help (its commands' synopses), false when there is no such
 * group. */
bool spotctl_print_group_help(FILE *out, const char *group);
void spotctl_print_command_help(FILE *out, const spotctl_command *cmd);
/* The command `group verb` (or top-level `group`), NULL when unknown. */
const spotctl_command *spotctl_find_command(const char *group, const char *verb);
/* The command (group NULL: a top-level command or group; else a verb of
 * `group`) that `word` is probably a typo of, or NULL. */
const char *spotctl_suggest_command(const char *group, const char *word);
/* When `cmd` takes one of some words first (first_arg) and `word` is none
 * of them but close to one: that word (in `out`, returned); else NULL. */
const char *spotctl_suggest_first_arg(char *out, size_t size, const spotctl_command *cmd,
                                      const char *word);
/* "albums get" / "me". */
void spotctl_command_name(char *out, size_t size, const spotctl_command *cmd);

/* The command implementations (cmd_*.c). */
int spotctl_cmd_login(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_logout(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_token(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_me(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_me_top(spotctl_ctx *ctx, spotctl_args *args);
/* me recent, player recent (cmd_me.c) */
int spotctl_cmd_recent(spotctl_ctx *ctx, spotctl_args *args);
/* --before/--after: Unix milliseconds, or a UTC date and time
 * (YYYY-MM-DD[THH:MM[:SS]][Z]) in milliseconds; false otherwise (pure). */
bool spotctl_parse_time(const char *text, int64_t *ms);
int spotctl_cmd_api(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_search(spotctl_ctx *ctx, spotctl_args *args);
/* `get` and the lists of a parent's children of the kind in ctx->cmd->data
 * (cmd_catalog.c). */
int spotctl_cmd_get(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_children(spotctl_ctx *ctx, spotctl_args *args);
/* follow, unfollow and following contains, the action in ctx->cmd->data
 * (cmd_follow.c). */
typedef struct spotctl_follow_action spotctl_follow_action;
extern const spotctl_follow_action spotctl_follow_add, spotctl_follow_remove,
    spotctl_follow_contains;
int spotctl_cmd_follow(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_following_list(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_playlists_list(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_playlists_get(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_playlists_create(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_playlists_add(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_playlists_remove(spotctl_ctx *ctx, spotctl_args *args);
/* rename, describe, public, private: the change in ctx->cmd->data. */
typedef struct spotctl_playlist_change spotctl_playlist_change;
extern const spotctl_playlist_change spotctl_playlist_rename, spotctl_playlist_describe,
    spotctl_playlist_public, spotctl_playlist_private;
int spotctl_cmd_playlists_change(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_playlists_delete(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_playlists_reorder(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_playlists_cover(spotctl_ctx *ctx, spotctl_args *args);
/* PLAYLIST on the command line: an ID, URI or link, or the exact name of
 * one of the user's playlists when only one has it (a request, with a
 * login). Opens the session first (spotctl_ready). The ID into `out`; 0 or
 * the exit code of the printed error. */
int spotctl_playlist_arg(spotctl_ctx *ctx, const char *input, char *out, size_t size);
/* Base64 of `n` bytes into `out` (room for (n + 2) / 3 * 4 + 1; pure). */
void spotctl_base64(char *out, const unsigned char *in, size_t n);
int spotctl_cmd_library_list(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_library_save(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_library_remove(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_library_contains(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_player_status(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_player_devices(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_player_play(spotctl_ctx *ctx, spotctl_args *args);
/* pause, next, previous, volume, seek, repeat, shuffle: the action in
 * ctx->cmd->data (cmd_player.c). */
typedef struct spotctl_player_action spotctl_player_action;
extern const spotctl_player_action spotctl_player_pause, spotctl_player_next,
    spotctl_player_previous, spotctl_player_volume, spotctl_player_seek, spotctl_player_repeat,
    spotctl_player_shuffle;
int spotctl_cmd_player(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_player_transfer(spotctl_ctx *ctx, spotctl_args *args);
int spotctl_cmd_player_queue(spotctl_ctx *ctx, spotctl_args *args);
/* seek's POSITION: m:ss, h:mm:ss or milliseconds (pure). */
bool spotctl_parse_position(const char *text, int64_t *ms);
int spotctl_cmd_export(spotctl_ctx *ctx, spotctl_args *args);

/* ------------------------------------------------------------------ */
/* Shared by the command groups (list.c)                               */
/* ------------------------------------------------------------------ */

/* True when a list element was JSON null (Spotify sends null for items it
 * cannot show, e.g. in search results). */
static inline bool spotctl_null_item(const void *item)
{
    const struct {
        spotify_object_meta meta;
    } *m = item;
    return spotify_item_is_null(m);
}

/* What the library, playlist and export commands show of an item, from
 * whatever kind it is (fields.c, pure). Strings are Borrowed from the
 * model, except `by`. */
typedef struct spotctl_fields {
    const char *type; /* "track", "album", "episode", "show", "audiobook" */
    const char *added_at;
    const char *name;
    char by[512]; /* artists, authors or publisher */
    const char *album;
    int64_t duration_ms; /* < 0: none */
    const char *uri;
} spotctl_fields;

/* The kinds of saved items (library list, export library). */
typedef enum spotctl_saved_kind {
    SPOTCTL_SAVED_TRACK = 0,
    SPOTCTL_SAVED_ALBUM,
    SPOTCTL_SAVED_EPISODE,
    SPOTCTL_SAVED_SHOW,
    SPOTCTL_SAVED_AUDIOBOOK,
    SPOTCTL_SAVED_KIND_COUNT
} spotctl_saved_kind;
/* Their names, in order ("track", "album", ...). */
extern const char *const spotctl_saved_kind_names[SPOTCTL_SAVED_KIND_COUNT];
/* "track" ... ; the kind named `name`, or -1. */
const char *spotctl_saved_kind_name(spotctl_saved_kind kind);
int spotctl_saved_kind_from_name(const char *name, size_t len);
/* The operation listing saved items of a kind, and an args struct for it
 * (with `market`), written into `args` (room for any list args). */
const spotify_operation *spotctl_saved_op(spotctl_saved_kind kind);
typedef union spotctl_saved_args {
    spotify_me_tracks_list_args tracks;
    spotify_me_albums_list_args albums;
    spotify_me_episodes_list_args episodes;
    spotify_me_shows_list_args shows;
    spotify_me_audiobooks_list_args audiobooks;
} spotctl_saved_args;
void spotctl_saved_args_init(spotctl_saved_args *args, spotctl_saved_kind kind, const char *market);

void spotctl_fields_saved(spotctl_fields *out, spotctl_saved_kind kind, const void *item);
void spotctl_fields_playlist_item(spotctl_fields *out, const spotify_playlist_track *item);

/* Lists: each item is a table row (text) or its raw JSON line (--json). */
#define SPOTCTL_CELLS_MAX 8
typedef char spotctl_cell[512];
/* Fills the row's cells (pre-set to "") from an item. */
typedef void (*spotctl_row_fn)(const void *item, void *user, spotctl_cell *cells);

typedef struct spotctl_lister {
    spotctl_ctx *ctx;
    spotctl_table table;
    spotctl_row_fn row;
    void *row_user;
    const char *json_type; /* non-NULL: lines are {"type":T,"item":ITEM} */
} spotctl_lister;

void spotctl_lister_init(spotctl_lister *l, spotctl_ctx *ctx, const char *const *headers,
                         size_t ncols, unsigned right_aligned, spotctl_row_fn row, void *row_user);
/* An item (a spotctl_item_fn; `lister` is the spotctl_lister). JSON-null
 * items are skipped. */
int spotctl_lister_item(const void *item, void *lister);
/* Prints the table (text, rc 0), frees it and returns rc. */
int spotctl_lister_finish(spotctl_lister *l, int rc);
/* A pager over `op` with `args` into the lister, then finish. */
int spotctl_list_op(spotctl_lister *l, const spotify_operation *op, const void *args, int64_t limit,
                    const char *label);
/* The same without finishing (several lists into one table). */
int spotctl_list_walk(spotctl_lister *l, const spotify_operation *op, const void *args,
                      int64_t limit, const char *label);
/* An empty list in text mode: "No results." on stderr (exit 0); --json
 * prints nothing at all. spotctl_lister_finish calls it. */
void spotctl_no_results(const spotctl_ctx *ctx);
/* --type TYPES, one syntax for every command: a comma-separated list of
 * `names` (n of them), "all" for every one where `allow_all`; `dflt` when
 * absent. The indexes chosen, each once, in the order given, go to
 * `chosen` (room for n); their count, or 0 after a usage error. */
size_t spotctl_type_arg(const spotctl_args *args, const char *command, const char *const *names,
                        size_t n, bool allow_all, const char *dflt, size_t *chosen);

/* How a model is one row of a table (cmd_catalog.c), and a lister of
 * such rows. */
typedef struct spotctl_view {
    const char *const *headers;
    size_t ncols;
    unsigned right_aligned;
    void (*row)(const void *model, spotctl_cell *cells);
} spotctl_view;
extern const spotctl_view spotctl_view_album, spotctl_view_track, spotctl_view_artist,
    spotctl_view_show, spotctl_view_episode, spotctl_view_audiobook, spotctl_view_chapter;
void spotctl_lister_view(spotctl_lister *l, spotctl_ctx *ctx, const spotctl_view *view);
/* A kind of catalogue item: its get and the list of its children. */
typedef struct spotctl_kind spotctl_kind;
extern const spotctl_kind spotctl_kind_album, spotctl_kind_track, spotctl_kind_artist,
    spotctl_kind_show, spotctl_kind_episode, spotctl_kind_audiobook, spotctl_kind_chapter;

/* Walks a pager: calls `item_fn` per item until the end, `limit` items (0:
 * all), an error or Ctrl-C. Shows progress when allowed. Returns the exit
 * code (0 on success, the error already printed). */
typedef int (*spotctl_item_fn)(const void *item, void *user);
int spotctl_walk(spotctl_ctx *ctx, spotify_pager *pager, int64_t limit, const char *label,
                 spotctl_item_fn item_fn, void *user);
/* What a walk does with the pager's total: set it as the progress total,
 * add it at the first item (several lists in one progress), or leave the
 * progress total alone (the caller knows it). */
typedef enum spotctl_total_mode {
    SPOTCTL_TOTAL_SET = 0,
    SPOTCTL_TOTAL_ADD,
    SPOTCTL_TOTAL_KEEP
} spotctl_total_mode;
/* The same into a progress line the caller owns. */
int spotctl_walk_into(spotctl_progress *progress, spotctl_total_mode mode, spotify_pager *pager,
                      int64_t limit, spotctl_item_fn item_fn, void *user);
/* --limit N (0 when absent); false after printing a usage error. */
bool spotctl_limit_arg(const spotctl_args *args, const char *command, int64_t *limit);
/* Collects the inputs of a command (IDs, URIs): the positionals from index
 * `first` on (a lone "-" reads more from stdin, one per line) plus
 * --ids-file FILE (one per line, "-" for stdin, blank lines and #comments
 * skipped). *out is an Owned array of Owned strings (spotctl_free_ids).
 * None at all is a usage error naming `noun`. Returns 0 or an exit code. */
int spotctl_collect_inputs(const spotctl_args *args, size_t first, const char *command,
                           const char *noun, char ***out, size_t *n);
/* The same from index 0, for a get command's IDs. */
int spotctl_collect_ids(const spotctl_args *args, const char *command, char ***out, size_t *n);
void spotctl_free_ids(char **ids, size_t n);
/* The same array as const strings (for spotify_string_list.items). */
static inline const char **spotctl_const_strings(char **v)
{
    union {
        char **in;
        const char **out;
    } u = {v};
    return u.out;
}
/* The inputs (spotctl_collect_inputs) as spotify: URIs (URIs and links
 * accepted; a bare ID is refused because it names no type). Free with
 * spotctl_free_ids. Returns 0 or an exit code (error printed). */
int spotctl_collect_uris(const spotctl_args *args, size_t first, const char *command, char ***out,
                         size_t *n);
/* Failures of the items of one command (get, follow...), reported once per
 * kind: the first of a kind is printed with its item, later ones of the
 * same kind (the same status and message once the item's ID is taken out)
 * are counted and named together once at the end, so 2,000 unknown IDs do
 * not make 2,000 lines. Zero-initialise. */
typedef struct spotctl_failures {
    struct {
        spotify_status status;
        char key[SPOTIFY_ERROR_MESSAGE_SIZE + 32];
        size_t more;       /* later failures of this kind */
        spotctl_buf items; /* the first ten of them */
    } kinds[4];
    size_t nkinds;
    int first; /* the exit code of the first failure */
} spotctl_failures;
/* True for a failure that concerns one item (404, 400), so the others go
 * on; any other (auth, rate limit, network, server) concerns them all and
 * ends the command at once. */
bool spotctl_per_item_status(spotify_status status);
/* Records (and prints, when it is the first of its kind) the failure of
 * `input` (whose parsed ID `id` may appear in the message); its exit code. */
int spotctl_failures_add(spotctl_failures *f, const char *input, const char *id,
                         spotify_status status, const spotify_error *err);
/* Prints "the same for N more: A, B..." per kind; the first failure's exit
 * code (0: none). */
int spotctl_failures_finish(spotctl_failures *f);
/* Prints the answer of a `contains` (library, following): a YES/NO table
 * under `headers`, or with --json one {"KEY":NAME,"FLAG":BOOL} per line,
 * in input order. 0, or the exit code of a count that does not match. */
int spotctl_print_answers(const spotctl_ctx *ctx, const char *const headers[2], const char *key,
                          const char *flag, char **names, size_t n,
                          const spotify_array_of_booleans *answer);
/* --parallel N (default 8). */
bool spotctl_parallel_arg(const spotctl_args *args, const char *command, int *parallel);

#endif /* SPOTCTL_H */
