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

#include <spotify/error.h>

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
 * port 1-65535, no userinfo, query or fragment. Fills `out` and returns
 * SPOTIFY_OK, or SPOTIFY_EINVALID with a message saying what is wrong.
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

/* Reaps a browser process started by spotify__browser_open without waiting
 * (a browser still running is left alone). -1 is accepted. */
void spotify__browser_reap(pid_t pid);

/* The page the browser gets: a complete, self-contained HTML document (inline
 * CSS, no external resource). `ok` picks the success text; `reason` (plain
 * text, HTML-escaped here; NULL for none) says why it failed. It never holds
 * a code, state or token: callers pass only fixed texts or Spotify's error
 * name. false on OOM. */
bool spotify__local_auth_page(spotify__strbuf *out, bool ok, const char *reason);

#endif
