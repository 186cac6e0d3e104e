/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/local_auth.h - the pieces of spotify_authorize_local(): the redirect
 * URI check (pure), the browser launcher and the result page.
 *
 * Threads: every function is thread-safe (no shared state).
 */
#ifndef SPOTIFY_AUTH_LOCAL_AUTH_H
#define SPOTIFY_AUTH_LOCAL_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <microhttpd.h>
#include <spotify/auth.h>
#include <spotify/error.h>
#include <spotify/local_auth.h>

#include "../core/strbuf.h"

#define SPOTIFY__LOOPBACK_PATH_MAX 512

/* A redirect URI the local helper can serve. */
typedef struct spotify__loopback_uri {
    bool ipv6;         /* bind ::1 (else 127.0.0.1) */
    bool localhost;    /* the host was spelled "localhost" */
    unsigned int port; /* 1..65535 */
    /* The percent-decoded path ("/" when the URI has none). */
    char path[SPOTIFY__LOOPBACK_PATH_MAX];
} spotify__loopback_uri;

/*
 * Checks that `uri` is http://HOST:PORT[/PATH] with HOST 127.0.0.1, [::1] or
 * localhost (any letter case for the scheme and `localhost`), an explicit
 * port 1-65535, no userinfo, query or fragment, and a normalised path (the
 * one a browser requests as it is): no "." or ".." segment (%2e included),
 * no empty segment ("//"; a trailing '/' is fine), no backslash, and only
 * RFC 3986 path characters unescaped. Fills `out` and returns SPOTIFY_OK, or
 * SPOTIFY_EINVALID with a message saying what is wrong.
 * Pure: no I/O, no allocation.
 */
spotify_status spotify__loopback_uri_parse(spotify__loopback_uri *out, const char *uri,
                                           spotify_error *err);

/*
 * Opens `url` in the user's browser: each entry of `browser_env` (the value
 * of $BROWSER: commands separated by ':'; NULL or "" means the platform
 * default, xdg-open on Linux, open on macOS) is tried in order. An entry is
 * split on spaces into an argument vector; an argument "%s" is replaced by
 * the URL, else the URL is appended. Commands run with posix_spawnp (never a
 * shell), stdin/stdout/stderr on /dev/null. An entry fails when it cannot be
 * spawned or exits with a non-zero status within `grace_ms`; one still
 * running then counts as started, and its pid is stored in *running (else
 * *running = -1) for the caller to reap with spotify__browser_reap.
 * Returns true when some entry started.
 */
bool spotify__browser_open(const char *url, const char *browser_env, int grace_ms, pid_t *running);

/* How long a browser command has to fail before it counts as started. */
#define SPOTIFY__BROWSER_GRACE_MS 500
/* How often a launch in progress is looked at. */
#define SPOTIFY__BROWSER_POLL_MS 10

typedef enum spotify__browser_state {
    SPOTIFY__BROWSER_WATCHING, /* a command runs, not yet settled: poll again */
    SPOTIFY__BROWSER_OPENED,   /* an entry started (pid: still running, or -1) */
    SPOTIFY__BROWSER_FAILED    /* no entry started */
} spotify__browser_state;

/*
 * spotify__browser_open in steps that never wait, for an event loop: start
 * spawns the first entry that can be spawned, then poll (every
 * SPOTIFY__BROWSER_POLL_MS or so) looks at it without waiting and moves on
 * to the next entry when it failed, until the state is OPENED or FAILED.
 * `now_ms` is the real monotonic clock (the commands are real processes).
 * release frees the copies (not the process: reap `pid`).
 */
typedef struct spotify__browser_launch {
    spotify__browser_state state;
    pid_t pid;            /* the command watched, or the browser left running; -1 */
    char *entries;        /* the $BROWSER list (owned), split as it is tried */
    char *next;           /* the next entry to try, or NULL */
    char *url;            /* owned */
    const char *command;  /* argv[0] of the command watched (in `entries`) */
    int64_t settle_by_ms; /* when a command still running counts as started */
} spotify__browser_launch;

void spotify__browser_launch_start(spotify__browser_launch *l, const char *url,
                                   const char *browser_env, int64_t now_ms, int grace_ms);
void spotify__browser_launch_poll(spotify__browser_launch *l, int64_t now_ms, int grace_ms);
void spotify__browser_launch_release(spotify__browser_launch *l);

/* Reaps a browser process started by spotify__browser_open without waiting
 * (a browser still running is left alone). -1 is accepted. */
void spotify__browser_reap(pid_t pid);

/* The page the browser gets: a complete, self-contained HTML document (inline
 * CSS, no external resource). `ok` picks the success text; `reason` (plain
 * text, HTML-escaped here; NULL for none) says why it failed. It never holds
 * a code, state or token: callers pass only fixed texts or Spotify's error
 * name. false on OOM. */
bool spotify__local_auth_page(spotify__strbuf *out, bool ok, const char *reason);

/*
 * The pieces spotify_authorize_local (auth/local_auth.c, a server thread
 * and a waiting caller) and spotify_authorize_local_async (async/
 * local_auth.c, the server driven from the context's loop) share.
 */

/* Options, redirect URI and state (caller frees *state with
 * spotify__free_secret). `async`: called from the async API (the guard
 * against blocking inside a completion callback does not apply). */
/* Replaces the zero fields of `o` that stand for a default (timeout_ms). */
void spotify__local_auth_options_resolve(spotify_local_auth_options *o);

spotify_status spotify__local_auth_prepare(const spotify_local_auth_options *o, spotify_auth *auth,
                                           bool async, spotify__loopback_uri *uri, char **state,
                                           spotify_error *err);
/*
 * Idle connections of the callback server: accepted, but no request handed
 * to the access handler yet, oldest first. When a new connection makes more
 * than SPOTIFY__LOCAL_AUTH_IDLE_MAX of them, the oldest is shut down, so
 * connections that never send a request (a port scanner, a browser's
 * preconnect, a hostile local process) cannot hold every place while the
 * browser's callback waits: the newest connection always gets in, and a
 * connection that has sent its request is never dropped. Touched only by
 * the thread running the server (MHD's thread, or the async loop).
 */
#define SPOTIFY__LOCAL_AUTH_IDLE_MAX 16
typedef struct spotify__local_auth_idle {
    struct MHD_Connection *conns[SPOTIFY__LOCAL_AUTH_IDLE_MAX + 1];
    size_t count;
} spotify__local_auth_idle;
/* The access handler got a request on `c`: it is no longer idle (call
 * first thing in the handler). */
void spotify__local_auth_active(spotify__local_auth_idle *idle, struct MHD_Connection *c);

/* The callback server on the URI's address and port, with MHD `flags`
 * (SPOTIFY_EIO naming the port when it cannot listen). `idle` (zeroed, it
 * must outlive the daemon) tracks the idle connections; each connection
 * also times out after SPOTIFY__LOCAL_AUTH_CONNECTION_TIMEOUT_S without
 * traffic (a suspended one does not). */
#define SPOTIFY__LOCAL_AUTH_CONNECTION_TIMEOUT_S 5u
struct MHD_Daemon *spotify__local_auth_listen(const spotify__loopback_uri *uri, unsigned int flags,
                                              MHD_AccessHandlerCallback request_handler,
                                              MHD_RequestCompletedCallback completed_handler,
                                              void *cls, spotify__local_auth_idle *idle,
                                              spotify_error *err);
/* Answers anything that is not a callback on `path` (405, 404, 400) and
 * returns false with *answered; true for a callback to handle. */
bool spotify__local_auth_triage(struct MHD_Connection *c, const char *url, const char *method,
                                const char *path, enum MHD_Result *answered);
/* The callback's code (*code, free with spotify_free_secret) after the
 * state check; on failure *reason is the page's text. */
spotify_status spotify__local_auth_parse(struct MHD_Connection *c, const char *state, char **code,
                                         const char **reason, spotify_error *err);
/* The result page. */
enum MHD_Result spotify__local_auth_reply(struct MHD_Connection *c, unsigned int status, bool ok,
                                          const char *reason);
#define SPOTIFY__LOCAL_AUTH_EXCHANGE_FAILED                                                        \
    "The authorization code could not be exchanged for a token; the application has the details."
/* The authorization URL for `state`. */
spotify_status spotify__local_auth_url(char **url, spotify_auth *auth, const char *state,
                                       const spotify_local_auth_options *o, spotify_error *err);
/* URL handler and/or browser; the pid of a browser still running, or -1. */
pid_t spotify__local_auth_announce(const char *url, const spotify_local_auth_options *o);
/* After the browser launch ended (`opened` or not; not tried when
 * o->no_browser is set): warns when it failed, and prints the URL on
 * stderr when neither a browser nor the URL handler showed it. */
void spotify__local_auth_announced(const char *url, const spotify_local_auth_options *o,
                                   bool opened);
bool spotify__local_auth_cancelled(const spotify_local_auth_options *o);
spotify_status spotify__local_auth_timeout_error(const spotify_local_auth_options *o,
                                                 spotify_error *err);

#endif
