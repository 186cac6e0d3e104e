/* SPDX-License-Identifier: Apache-2.0 */
/*
 * async/local_auth.c - spotify_authorize_local_async(): the loopback
 * callback server of spotify_authorize_local driven from an async context.
 *
 * libmicrohttpd runs without a thread of its own (MHD_USE_EPOLL, external
 * mode): its epoll descriptor is a source of the context, MHD_run happens
 * on the loop. A callback with a code suspends its connection while the
 * code exchange runs as an internal call on the context's multi handle;
 * when the exchange lands, the connection resumes and gets the result page.
 * Once the page is out (or after a grace period), the server stops and the
 * callback runs. Cancel flag / callback and the timeout are checked every
 * 100 ms while waiting.
 */
#include <microhttpd.h>
#include <string.h>

#include "../auth/local_auth.h"
#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/env.h"
#include "../core/error.h"
#include "async_internal.h"

#define POLL_MS 100
#define PAGE_SENT_WAIT_MS 2000

typedef enum phase {
    PHASE_WAITING,    /* for the browser's callback */
    PHASE_EXCHANGING, /* the code exchange is in flight; its connection suspended */
    PHASE_ANSWERING,  /* the result is known; the page is on its way */
    PHASE_FINISHED    /* the page went out: stop and deliver */
} phase;

typedef struct session {
    spotify__async_source source; /* first: the source's address is the session's */
    spotify_async *async;
    spotify_auth *auth;
    spotify_local_auth_options options;
    spotify__loopback_uri uri;
    char *state;
    struct MHD_Daemon *daemon;
    spotify__local_auth_idle idle;
    phase phase;
    int64_t deadline_ms;
    int64_t page_deadline_ms;
    struct MHD_Connection *suspended;
    spotify__async_call *exchange;
    const char *reason; /* the page's text */
    spotify_status status;
    spotify_error error;
    spotify_token token;
    spotify__browser_launch browser; /* started without waiting, polled */
    spotify_authorize_local_callback callback;
    void *user;
} session;

static void session_free(session *s)
{
    spotify_token_clear(&s->token);
    spotify__browser_launch_release(&s->browser);
    spotify__free_secret(s->state);
    spotify__wipe(&s->error, sizeof s->error);
    spotify__free(s);
}

/* Stops the server and runs the callback; the session is gone afterwards. */
static void session_deliver(session *s)
{
    spotify_async *async = s->async;
    spotify__async_source_remove(async, &s->source);
    if (s->daemon != NULL)
        MHD_stop_daemon(s->daemon);
    s->daemon = NULL;
    spotify__browser_reap(s->browser.pid);
    bool outer = spotify__async_callback_enter(async);
    bool ok = s->status == SPOTIFY_OK;
    s->callback(s->status, ok ? &s->token : NULL, ok ? NULL : &s->error, s->user);
    spotify__async_callback_leave(outer);
    session_free(s);
}

/* Ends the wait with an error before any callback was handled. */
static void session_fail(session *s, spotify_status status)
{
    s->status = status;
    s->phase = PHASE_FINISHED;
}

/* The outcome is known (`status`): the page goes out, within a bound. */
static void session_answering(session *s, spotify_status status)
{
    s->status = status;
    s->phase = PHASE_ANSWERING;
    s->page_deadline_ms = spotify__async_now(s->async) + PAGE_SENT_WAIT_MS;
}

/* The exchange landed: the result goes to the suspended connection. */
static void exchange_done(spotify__async_call *call, spotify_status status)
{
    session *s = call->user;
    const spotify__http_response *answer = call->response.attempt > 0 ? &call->response : NULL;
    status = spotify__auth_exchange_landed(s->auth, status, answer, &s->token, &s->error);
    spotify__call_unlink(call);
    spotify__call_free(call);
    s->exchange = NULL;
    if (status != SPOTIFY_OK)
        s->reason = SPOTIFY__LOCAL_AUTH_EXCHANGE_FAILED;
    session_answering(s, status);
    MHD_resume_connection(s->suspended);
    s->source.due_ms = spotify__async_now(s->async); /* run MHD: send the page */
    spotify__async_source_update(s->async, &s->source);
}

/* A callback with a code: start the exchange, hold the browser's request. */
static enum MHD_Result exchange_start(session *s, struct MHD_Connection *c, char *code)
{
    spotify__token_call token_call;
    memset(&token_call, 0, sizeof token_call);
    spotify_status st = spotify__auth_exchange_call(s->auth, code, &token_call, &s->error);
    if (st == SPOTIFY_OK) {
        s->exchange = spotify__async_internal_call(s->async, &token_call, exchange_done, s);
        if (s->exchange == NULL)
            st = spotify__error_oom(&s->error);
    }
    if (st != SPOTIFY_OK) {
        session_answering(s, st);
        return spotify__local_auth_reply(c, MHD_HTTP_BAD_REQUEST, false,
                                         SPOTIFY__LOCAL_AUTH_EXCHANGE_FAILED);
    }
    s->phase = PHASE_EXCHANGING;
    s->suspended = c;
    MHD_suspend_connection(c);
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    (void)upload;
    (void)upload_size;
    session *s = cls;
    spotify__local_auth_active(&s->idle, c);
    if (*con_cls == s) /* resumed after the exchange */
        return spotify__local_auth_reply(
            c, s->status == SPOTIFY_OK ? MHD_HTTP_OK : MHD_HTTP_BAD_REQUEST,
            s->status == SPOTIFY_OK, s->reason);
    enum MHD_Result answered;
    if (!spotify__local_auth_triage(c, url, method, s->uri.path, &answered))
        return answered;
    if (s->phase != PHASE_WAITING)
        return spotify__local_auth_reply(c, MHD_HTTP_CONFLICT, false,
                                         "This sign-in has already finished.");
    *con_cls = s; /* marks the request whose page ends the session */
    char *code = NULL;
    spotify_status st = spotify__local_auth_parse(c, s->state, &code, &s->reason, &s->error);
    if (st != SPOTIFY_OK) {
        session_answering(s, st);
        return spotify__local_auth_reply(c, MHD_HTTP_BAD_REQUEST, false, s->reason);
    }
    s->reason = "You are signed in.";
    enum MHD_Result result = exchange_start(s, c, code);
    spotify_free_secret(code);
    return result;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    session *s = cls;
    if (*con_cls == s && s->phase == PHASE_ANSWERING)
        s->phase = PHASE_FINISHED;
}

/* When the session must look again: MHD's own timeout, the cancel poll,
 * the deadline of the phase. */
static int64_t next_due(session *s, int64_t now)
{
    int64_t due = now + POLL_MS;
    if (s->phase == PHASE_WAITING && s->deadline_ms < due)
        due = s->deadline_ms;
    if (s->phase == PHASE_ANSWERING && s->page_deadline_ms < due)
        due = s->page_deadline_ms;
    if (s->browser.state == SPOTIFY__BROWSER_WATCHING && now + SPOTIFY__BROWSER_POLL_MS < due)
        due = now + SPOTIFY__BROWSER_POLL_MS;
    MHD_UNSIGNED_LONG_LONG mhd_ms = 0;
    if (s->daemon != NULL && MHD_get_timeout(s->daemon, &mhd_ms) == MHD_YES &&
        now + (int64_t)mhd_ms < due)
        due = now + (int64_t)mhd_ms;
    return due;
}

/* Looks at the browser command being launched (never waits for it). */
static void browser_poll(session *s)
{
    if (s->browser.state != SPOTIFY__BROWSER_WATCHING)
        return;
    spotify__browser_launch_poll(&s->browser, spotify__monotonic_ms(), SPOTIFY__BROWSER_GRACE_MS);
    if (s->browser.state != SPOTIFY__BROWSER_WATCHING)
        spotify__local_auth_announced(s->browser.url, &s->options,
                                      s->browser.state == SPOTIFY__BROWSER_OPENED);
}

/* The source's step: serve, then check for the end of each phase. */
static void session_ready(spotify__async_source *source)
{
    session *s = (session *)source;
    MHD_run(s->daemon);
    browser_poll(s);
    int64_t now = spotify__async_now(s->async);
    if (s->phase == PHASE_WAITING) {
        if (spotify__local_auth_cancelled(&s->options))
            session_fail(s, spotify__error_set(&s->error, SPOTIFY_ECANCELLED, 0,
                                               "spotify_authorize_local_async: cancelled while "
                                               "waiting for the browser"));
        else if (now >= s->deadline_ms)
            session_fail(s, spotify__local_auth_timeout_error(&s->options, &s->error));
    }
    if (s->phase == PHASE_ANSWERING && now >= s->page_deadline_ms)
        s->phase = PHASE_FINISHED;
    if (s->phase == PHASE_FINISHED) {
        session_deliver(s);
        return;
    }
    s->source.due_ms = next_due(s, now);
    spotify__async_source_update(s->async, &s->source);
}

/* The context is being freed. */
static void session_cancel(spotify__async_source *source)
{
    session *s = (session *)source;
    if (s->exchange != NULL) {
        spotify__call_detach(s->exchange);
        spotify__call_unlink(s->exchange);
        spotify__call_free(s->exchange);
        s->exchange = NULL;
    }
    s->status = spotify__error_set(&s->error, SPOTIFY_ECANCELLED, 0,
                                   "spotify_authorize_local_async: the async context was freed");
    session_deliver(s);
}

/* Starts the server and announces the URL. */
static spotify_status session_start(session *s, spotify_error *err)
{
    s->daemon = spotify__local_auth_listen(&s->uri, MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME,
                                           on_request, on_completed, s, &s->idle, err);
    if (s->daemon == NULL)
        return err != NULL ? err->status : SPOTIFY_EIO;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_EPOLL_FD);
    char *url = NULL;
    spotify_status st = info != NULL
                            ? spotify__local_auth_url(&url, s->auth, s->state, &s->options, err)
                            : spotify__error_set(err, SPOTIFY_EIO, 0,
                                                 "spotify_authorize_local_async: no "
                                                 "epoll descriptor from libmicrohttpd");
    if (st != SPOTIFY_OK) {
        spotify_free(url);
        MHD_stop_daemon(s->daemon);
        s->daemon = NULL;
        return st;
    }
    s->source.fd = info->epoll_fd;
    /* As spotify__local_auth_announce, with the browser launched in steps
     * (browser_poll) so the loop never waits for it. */
    if (s->options.url_handler != NULL)
        s->options.url_handler(url, s->options.url_handler_user);
    if (!s->options.no_browser) {
        spotify__browser_launch_start(&s->browser, url, spotify__env("BROWSER"),
                                      spotify__monotonic_ms(), SPOTIFY__BROWSER_GRACE_MS);
        if (s->browser.state == SPOTIFY__BROWSER_FAILED)
            spotify__local_auth_announced(url, &s->options, false);
    } else {
        spotify__local_auth_announced(url, &s->options, false);
    }
    spotify_free(url);
    int64_t now = spotify__async_now(s->async);
    s->deadline_ms = now + s->options.timeout_ms;
    s->source.due_ms = next_due(s, now);
    return SPOTIFY_OK;
}

spotify_status spotify_authorize_local_async(spotify_async *async, spotify_auth *auth,
                                             const spotify_local_auth_options *opts,
                                             spotify_authorize_local_callback callback, void *user,
                                             spotify_error *err)
{
    if (async == NULL || callback == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_authorize_local_async: the context and the callback "
                                  "must not be NULL");
    if (async->closing)
        return spotify__error_set(err, SPOTIFY_ECANCELLED, 0,
                                  "spotify_authorize_local_async: the context is being freed");
    session *s = spotify__calloc(1, sizeof *s);
    if (s == NULL)
        return spotify__error_oom(err);
    spotify_local_auth_options defaults = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    s->options = opts != NULL ? *opts : defaults;
    spotify__local_auth_options_resolve(&s->options);
    s->options.state = NULL; /* copied into s->state below */
    s->async = async;
    s->auth = auth;
    s->callback = callback;
    s->user = user;
    s->browser.pid = -1;
    s->browser.state = SPOTIFY__BROWSER_FAILED; /* none launched yet */
    s->source.fd = -1;
    s->source.ready = session_ready;
    s->source.cancel = session_cancel;
    spotify_status st = spotify__local_auth_prepare(opts != NULL ? opts : &defaults, auth, true,
                                                    &s->uri, &s->state, err);
    if (st == SPOTIFY_OK)
        st = session_start(s, err);
    if (st != SPOTIFY_OK) {
        session_free(s);
        return st;
    }
    async->pending++;
    spotify__async_source_add(async, &s->source);
    return SPOTIFY_OK;
}
