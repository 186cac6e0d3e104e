/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/local_auth.h - the local authorization helper for command-line and
 * desktop programs: opens the consent page in the user's browser, catches
 * Spotify's redirect on a loopback HTTP server, checks the state and
 * exchanges the code, all in one blocking call.
 *
 *   spotify_local_auth_options lo = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
 *   spotify_token token = {0};
 *   if (spotify_authorize_local(&token, auth, &lo, &err) != SPOTIFY_OK)
 *       fprintf(stderr, "%s\n", err.message);
 *
 * The provider (authorization code or PKCE) must have a redirect URI of the
 * form http://127.0.0.1:PORT/PATH (recommended), http://[::1]:PORT/PATH or
 * http://localhost:PORT/PATH (Spotify refuses `localhost` for new apps). The
 * callback server binds only that loopback address (127.0.0.1 for
 * `localhost`), on that port, for the duration of the call.
 *
 * Threads: the call blocks the calling thread; several calls may run at once
 * on different providers and ports. It must not run on the event-loop thread
 * of the SDK's async API (it returns SPOTIFY_EINVALID there; use the async
 * variant). See docs/local-auth.md.
 */
#ifndef SPOTIFY_LOCAL_AUTH_H
#define SPOTIFY_LOCAL_AUTH_H

#include <signal.h>
#include <stdbool.h>

#include "auth.h"
#include "common.h"
#include "error.h"

SPOTIFY_BEGIN_DECLS

/*
 * Receives the authorization URL before (and whether or not) a browser is
 * opened: print it, show a QR code, or drive a test browser. `url` is
 * borrowed for the call. It runs on the calling thread, before the wait; it
 * may block (the wait's timeout starts after it returns).
 */
typedef void (*spotify_local_auth_url_fn)(const char *url, void *user);

/* Asked at least every 100 ms while waiting; true cancels the wait. */
typedef bool (*spotify_local_auth_cancel_fn)(void *user);

/* Options of spotify_authorize_local() and spotify_authorize_local_async();
 * declare with SPOTIFY_LOCAL_AUTH_OPTIONS_INIT. */
typedef struct spotify_local_auth_options {
    /* SPOTIFY_LOCAL_AUTH_OPTIONS_VERSION (the INIT macro sets it). */
    unsigned int version;
    /* The OAuth state to send and expect back (copied). NULL: 128 random bits
     * from the CSPRNG, base64url (22 characters). */
    const char *state;
    /* Ask Spotify to show the consent dialog even if the user approved the
     * app before. */
    bool show_dialog;
    /* How long to wait for the browser to come back, in milliseconds: 0
     * means the default, SPOTIFY_LOCAL_AUTH_DEFAULT_TIMEOUT_MS (5 minutes);
     * negative is SPOTIFY_EINVALID. */
    long timeout_ms;
    /* Do not start the user's browser. Default false: the browser is
     * started ($BROWSER, else xdg-open / open). When true a url_handler is
     * required. */
    bool no_browser;
    /* See spotify_local_auth_url_fn. NULL: when no browser can be opened (or
     * no_browser is set) the URL is printed to stderr. */
    spotify_local_auth_url_fn url_handler;
    /* Passed to url_handler. */
    void *url_handler_user;
    /* Cancellation: a flag the caller may set from a signal handler or
     * another thread (borrowed; must outlive the call), and/or a callback.
     * Either ends the wait within ~100 ms with SPOTIFY_ECANCELLED. */
    volatile sig_atomic_t *cancel_flag;
    /* The cancellation callback (see spotify_local_auth_cancel_fn); may be
     * NULL. */
    spotify_local_auth_cancel_fn cancel;
    /* Passed to cancel. */
    void *cancel_user;
} spotify_local_auth_options;

/* The version of spotify_local_auth_options this header describes. */
#define SPOTIFY_LOCAL_AUTH_OPTIONS_VERSION 1
/* The default timeout_ms: 5 minutes. */
#define SPOTIFY_LOCAL_AUTH_DEFAULT_TIMEOUT_MS 300000L
/* The defaults of spotify_local_auth_options (zero everywhere but the
 * version): a random state, no forced dialog, a 5-minute timeout, the
 * browser opened, no handler or cancellation. */
#define SPOTIFY_LOCAL_AUTH_OPTIONS_INIT                                                            \
    {                                                                                              \
        SPOTIFY_LOCAL_AUTH_OPTIONS_VERSION, NULL, false, 0, false, NULL, NULL, NULL, NULL, NULL    \
    }

/* Fills `opts` with the defaults above; SPOTIFY_EINVALID for a NULL pointer
 * or an unknown version. */
SPOTIFY_API spotify_status spotify_local_auth_options_init(spotify_local_auth_options *opts,
                                                           unsigned int version);

/*
 * Runs the whole authorization on this machine:
 *   1. checks the provider's redirect URI (scheme http, host 127.0.0.1,
 *      [::1] or localhost, an explicit port; SPOTIFY_EINVALID saying what is
 *      wrong) and the options;
 *   2. listens on that address and port only (SPOTIFY_EIO naming the port
 *      when it is taken);
 *   3. builds the authorization URL, hands it to url_handler and/or opens the
 *      browser (never through a shell);
 *   4. waits for one callback on the redirect URI's path (other paths get
 *      404, requests without `code` or `error` get 400, and the wait goes
 *      on); `error=...` from Spotify is SPOTIFY_EAUTH with err->code set; a
 *      state mismatch is SPOTIFY_EAUTH and the code is never exchanged;
 *   5. exchanges the code; the token is stored in the provider's cache.
 * Timeout: SPOTIFY_EAUTH ("the browser did not come back within N seconds").
 * Cancel: SPOTIFY_ECANCELLED. The server is stopped and the port released
 * before the call returns, on every path.
 *
 * `out` may be NULL; else it receives a copy of the token (clear it with
 * spotify_token_clear). `opts` NULL means the defaults. No code, state,
 * verifier or token appears in an error message or log line.
 */
SPOTIFY_API spotify_status spotify_authorize_local(spotify_token *out, spotify_auth *auth,
                                                   const spotify_local_auth_options *opts,
                                                   spotify_error *err);

/* An async context (spotify/async.h). */
typedef struct spotify_async spotify_async;

/*
 * The outcome of spotify_authorize_local_async: SPOTIFY_OK and the token
 * (Borrowed for the duration of the call: copy it with spotify_token_copy
 * to keep it; it is also in the provider's cache), or NULL and the error
 * (the same categories and messages as spotify_authorize_local).
 */
typedef void (*spotify_authorize_local_callback)(spotify_status status, spotify_token *token,
                                                 const spotify_error *err, void *user);

/*
 * spotify_authorize_local without blocking: the loopback server is driven
 * by `async`'s loop (self-driven or the host's event loop), and the code
 * exchange runs on its multi handle. The same steps, checks, page and
 * errors as spotify_authorize_local; it may be started from an async
 * completion callback. The URL handler and the browser start run before
 * this returns (a $BROWSER program is given up to half a second to fail).
 *
 * SPOTIFY_OK: `callback` runs exactly once, on the context's thread, when
 * the browser came back and the page went out, on timeout, on cancel
 * (`cancel_flag` / `cancel`, checked every 100 ms) or when the context is
 * freed (SPOTIFY_ECANCELLED); the server is stopped and the port released
 * before it runs. Any other status (invalid options or redirect URI, the
 * port taken): nothing was started and the callback never runs. The request
 * counts in spotify_async_pending().
 */
SPOTIFY_API spotify_status spotify_authorize_local_async(spotify_async *async, spotify_auth *auth,
                                                         const spotify_local_auth_options *opts,
                                                         spotify_authorize_local_callback callback,
                                                         void *user, spotify_error *err);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_LOCAL_AUTH_H */
