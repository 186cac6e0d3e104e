/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/local_auth.c - spotify_authorize_local(): a one-shot loopback HTTP
 * server (libmicrohttpd, one internal polling thread, bound to the redirect
 * URI's loopback address and port only) catches Spotify's redirect while the
 * calling thread waits on a condition variable in slices of at most 100 ms,
 * so the timeout and the cancel hook are prompt.
 *
 * The callback is handled entirely on the server's thread: parse and check
 * the state (spotify_auth_callback_parse), exchange the code, then answer the
 * browser with a page saying how it went. So a URL handler may block while
 * it drives a browser through the whole flow. The daemon is stopped (its
 * thread joined, the port closed) before the call returns, on every path.
 */
#include <spotify/local_auth.h>

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/crypto.h"
#include "../core/env.h"
#include "../core/error.h"
#include "../core/log.h"
#include "../core/loop_guard.h"
#include "../core/strbuf.h"
#include "../core/urlencode.h"
#include "local_auth.h"
#include "provider.h"

#define SLICE_MS 100
#define PAGE_SENT_WAIT_MS 2000

/* What the waiting thread and the server's thread share, under `lock`. */
typedef struct session {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    spotify_auth *auth;
    const spotify__loopback_uri *uri;
    const char *state;
    spotify__local_auth_idle idle; /* the server thread's */
    bool busy;                     /* a callback is being handled (maybe exchanging) */
    bool done;                     /* the callback was handled: status/error/token final */
    bool closing;                  /* the waiter gave up: refuse further callbacks */
    bool page_sent;                /* the result page went out (or the connection ended) */
    spotify_status status;
    spotify_error error;
    spotify_token token;
} session;

spotify_status spotify_local_auth_options_init(spotify_local_auth_options *opts,
                                               unsigned int version)
{
    if (opts == NULL || version != SPOTIFY_LOCAL_AUTH_OPTIONS_VERSION)
        return SPOTIFY_EINVALID;
    spotify_local_auth_options defaults = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    *opts = defaults;
    return SPOTIFY_OK;
}

/* ---- the server's side ---- */

enum MHD_Result spotify__local_auth_reply(struct MHD_Connection *c, unsigned int status, bool ok,
                                          const char *reason)
{
    spotify__strbuf page = SPOTIFY__STRBUF_INIT;
    if (!spotify__local_auth_page(&page, ok, reason)) {
        spotify__strbuf_release(&page);
        return MHD_NO;
    }
    struct MHD_Response *r =
        MHD_create_response_from_buffer(page.len, page.data, MHD_RESPMEM_MUST_COPY);
    spotify__strbuf_release(&page);
    if (r == NULL)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; style-src 'unsafe-inline'");
    MHD_add_response_header(r, "Connection", "close");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Rebuilds the query string from MHD's decoded arguments, so
 * spotify_auth_callback_parse sees every parameter (repeats included). */
static enum MHD_Result query_append(void *cls, enum MHD_ValueKind kind, const char *key,
                                    const char *value)
{
    (void)kind;
    spotify__strbuf *q = cls;
    if (q->len > 0)
        spotify__strbuf_append_char(q, '&');
    spotify__url_encode(q, key, strlen(key));
    spotify__strbuf_append_char(q, '=');
    if (value != NULL)
        spotify__url_encode(q, value, strlen(value));
    return MHD_YES;
}

spotify_status spotify__local_auth_parse(struct MHD_Connection *c, const char *state, char **code,
                                         const char **reason, spotify_error *err)
{
    *code = NULL;
    spotify__strbuf query = SPOTIFY__STRBUF_INIT;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_append, &query);
    if (query.failed) {
        spotify__strbuf_release_secret(&query);
        *reason = "The application ran out of memory.";
        return spotify__error_oom(err);
    }
    spotify_status st = spotify_auth_callback_parse(code, spotify__strbuf_cstr(&query), state, err);
    spotify__strbuf_release_secret(&query);
    if (st != SPOTIFY_OK && err != NULL && err->code[0] != '\0')
        *reason = "Spotify did not authorize the application (for example, access was denied).";
    else if (st != SPOTIFY_OK)
        *reason = "The response did not belong to this sign-in (state mismatch or a malformed "
                  "callback), so it was rejected.";
    return st;
}

/* Checks the callback and exchanges the code. Fills s->error / s->token;
 * *reason gets the text for the page. Runs on the server's thread. */
static spotify_status callback_handle(session *s, struct MHD_Connection *c, const char **reason)
{
    char *code = NULL;
    spotify_status st = spotify__local_auth_parse(c, s->state, &code, reason, &s->error);
    if (st != SPOTIFY_OK)
        return st;
    st = spotify_auth_exchange(&s->token, s->auth, code, &s->error);
    spotify_free_secret(code);
    if (st != SPOTIFY_OK)
        *reason = SPOTIFY__LOCAL_AUTH_EXCHANGE_FAILED;
    return st;
}

/* Claims the right to handle the one callback. */
static bool callback_claim(session *s)
{
    pthread_mutex_lock(&s->lock);
    bool free_to_go = !s->busy && !s->done && !s->closing;
    if (free_to_go)
        s->busy = true;
    pthread_mutex_unlock(&s->lock);
    return free_to_go;
}

static void callback_finish(session *s, spotify_status st)
{
    pthread_mutex_lock(&s->lock);
    s->status = st;
    s->done = true;
    s->busy = false;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
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
    enum MHD_Result answered;
    if (!spotify__local_auth_triage(c, url, method, s->uri->path, &answered))
        return answered;
    if (!callback_claim(s))
        return spotify__local_auth_reply(c, MHD_HTTP_CONFLICT, false,
                                         "This sign-in has already finished.");
    const char *reason = NULL;
    spotify_status st = callback_handle(s, c, &reason);
    callback_finish(s, st);
    *con_cls = s; /* marks the request whose page the waiter waits for */
    return spotify__local_auth_reply(c, st == SPOTIFY_OK ? MHD_HTTP_OK : MHD_HTTP_BAD_REQUEST,
                                     st == SPOTIFY_OK, reason);
}

bool spotify__local_auth_triage(struct MHD_Connection *c, const char *url, const char *method,
                                const char *path, enum MHD_Result *answered)
{
    if (strcmp(method, "GET") != 0)
        *answered = spotify__local_auth_reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, false,
                                              "Only GET is served here.");
    else if (strcmp(url, path) != 0)
        *answered = spotify__local_auth_reply(c, MHD_HTTP_NOT_FOUND, false,
                                              "Nothing here: this is not the redirect URI.");
    else if (MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "code") == NULL &&
             MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "error") == NULL)
        *answered = spotify__local_auth_reply(
            c, MHD_HTTP_BAD_REQUEST, false,
            "This request carries neither an authorization code nor an error.");
    else
        return true;
    return false;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    session *s = cls;
    if (*con_cls != s)
        return;
    pthread_mutex_lock(&s->lock);
    s->page_sent = true;
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->lock);
}

/* ---- listening ---- */

typedef union loopback_addr {
    struct sockaddr sa;
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
} loopback_addr;

static socklen_t addr_fill(loopback_addr *a, const spotify__loopback_uri *u)
{
    memset(a, 0, sizeof *a);
    if (u->ipv6) {
        a->v6.sin6_family = AF_INET6;
        a->v6.sin6_port = htons((uint16_t)u->port);
        a->v6.sin6_addr = in6addr_loopback;
        return sizeof a->v6;
    }
    a->v4.sin_family = AF_INET;
    a->v4.sin_port = htons((uint16_t)u->port);
    a->v4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return sizeof a->v4;
}

static const char *host_name(const spotify__loopback_uri *u)
{
    return u->ipv6 ? "[::1]" : "127.0.0.1";
}

/* MHD does not say why it could not listen: binding the address ourselves
 * tells (EADDRINUSE, EADDRNOTAVAIL...). */
static spotify_status listen_diagnose(const spotify__loopback_uri *u, spotify_error *err)
{
    loopback_addr a;
    socklen_t len = addr_fill(&a, u);
    int fd = socket(a.sa.sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int e = fd < 0 ? errno : 0;
    if (fd >= 0) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, &a.sa, len) != 0 || listen(fd, 1) != 0)
            e = errno;
        close(fd);
    }
    if (e == EADDRINUSE)
        return spotify__error_set(
            err, SPOTIFY_EIO, 0,
            "spotify_authorize_local: port %u on %s is already in use; free it "
            "or register another port in the redirect URI",
            u->port, host_name(u));
    char buf[128];
    const char *why = e != 0 ? strerror_r(e, buf, sizeof buf) : "the HTTP server did not start";
    return spotify__error_set(err, SPOTIFY_EIO, 0,
                              "spotify_authorize_local: cannot listen on %s port %u: %s",
                              host_name(u), u->port, why);
}

/* Forgets idle connection `i`. */
static void idle_remove(spotify__local_auth_idle *idle, size_t i)
{
    memmove(&idle->conns[i], &idle->conns[i + 1], (idle->count - i - 1) * sizeof idle->conns[0]);
    idle->count--;
}

void spotify__local_auth_active(spotify__local_auth_idle *idle, struct MHD_Connection *c)
{
    for (size_t i = 0; i < idle->count; i++)
        if (idle->conns[i] == c) {
            idle_remove(idle, i);
            return;
        }
}

/* MHD_OPTION_NOTIFY_CONNECTION: a new connection joins the idle ones; past
 * the bound the oldest is shut down (MHD then reads its end and closes
 * it). A closed one is forgotten. */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    (void)socket_context;
    spotify__local_auth_idle *idle = cls;
    spotify__local_auth_active(idle, c);
    if (code != MHD_CONNECTION_NOTIFY_STARTED)
        return;
    idle->conns[idle->count++] = c;
    if (idle->count <= SPOTIFY__LOCAL_AUTH_IDLE_MAX)
        return;
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(idle->conns[0], MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info != NULL)
        shutdown(info->connect_fd, SHUT_RDWR);
    idle_remove(idle, 0);
}

struct MHD_Daemon *spotify__local_auth_listen(const spotify__loopback_uri *uri, unsigned int flags,
                                              MHD_AccessHandlerCallback request_handler,
                                              MHD_RequestCompletedCallback completed_handler,
                                              void *cls, spotify__local_auth_idle *idle,
                                              spotify_error *err)
{
    loopback_addr a;
    addr_fill(&a, uri);
    if (uri->ipv6)
        flags |= MHD_USE_IPv6;
    /* The connection limit is a backstop: idle connections are dropped long
     * before it (on_connection), and answered ones close at once. */
    struct MHD_Daemon *d =
        MHD_start_daemon(flags, (uint16_t)uri->port, NULL, NULL, request_handler, cls,
                         MHD_OPTION_SOCK_ADDR, &a.sa, MHD_OPTION_NOTIFY_COMPLETED,
                         completed_handler, cls, MHD_OPTION_NOTIFY_CONNECTION, on_connection, idle,
                         MHD_OPTION_CONNECTION_TIMEOUT, SPOTIFY__LOCAL_AUTH_CONNECTION_TIMEOUT_S,
                         MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64, MHD_OPTION_END);
    if (d == NULL)
        listen_diagnose(uri, err);
    return d;
}

/* ---- the waiting side ---- */

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void cond_wait_ms(session *s, int64_t ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t ns = ts.tv_nsec + (ms % 1000) * 1000000;
    ts.tv_sec += (time_t)(ms / 1000 + ns / 1000000000);
    ts.tv_nsec = (long)(ns % 1000000000);
    pthread_cond_timedwait(&s->cond, &s->lock, &ts);
}

bool spotify__local_auth_cancelled(const spotify_local_auth_options *o)
{
    if (o->cancel_flag != NULL && *o->cancel_flag)
        return true;
    return o->cancel != NULL && o->cancel(o->cancel_user);
}

spotify_status spotify__local_auth_timeout_error(const spotify_local_auth_options *o,
                                                 spotify_error *err)
{
    char secs[32];
    if (o->timeout_ms % 1000 == 0)
        snprintf(secs, sizeof secs, "%ld", o->timeout_ms / 1000);
    else
        snprintf(secs, sizeof secs, "%.1f", (double)o->timeout_ms / 1000.0);
    return spotify__error_set(err, SPOTIFY_EAUTH, 0,
                              "spotify_authorize_local: the browser did not come back within %s "
                              "second%s",
                              secs, o->timeout_ms == 1000 ? "" : "s");
}

/* Waits for the callback, the timeout or a cancel. Locked on entry and exit.
 * Once a callback is being handled, waits for it to finish. */
static void wait_locked(session *s, const spotify_local_auth_options *o)
{
    int64_t deadline = mono_ms() + o->timeout_ms;
    while (!s->done) {
        if (!s->busy) {
            if (spotify__local_auth_cancelled(o)) {
                s->status = spotify__error_set(&s->error, SPOTIFY_ECANCELLED, 0,
                                               "spotify_authorize_local: cancelled while waiting "
                                               "for the browser");
                break;
            }
            int64_t left = deadline - mono_ms();
            if (left <= 0) {
                s->status = spotify__local_auth_timeout_error(o, &s->error);
                break;
            }
            cond_wait_ms(s, left < SLICE_MS ? left : SLICE_MS);
        } else {
            cond_wait_ms(s, SLICE_MS);
        }
    }
    s->closing = true;
    if (!s->done)
        return;
    /* Let the result page reach the browser before the server stops. */
    int64_t page_deadline = mono_ms() + PAGE_SENT_WAIT_MS;
    while (!s->page_sent && mono_ms() < page_deadline)
        cond_wait_ms(s, SLICE_MS);
}

/* ---- the call ---- */

static spotify_status options_check(const spotify_local_auth_options *o, spotify_auth *auth,
                                    bool async, spotify_error *err)
{
    if (spotify__in_async_callback && !async)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_authorize_local blocks and would deadlock inside an "
                                  "async completion callback (the event-loop thread); use the "
                                  "async variant instead");
    if (auth == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_authorize_local: auth must not be NULL");
    spotify_flow flow = spotify_auth_flow(auth);
    if (flow != SPOTIFY_FLOW_AUTHORIZATION_CODE && flow != SPOTIFY_FLOW_PKCE)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_authorize_local: needs an authorization-code or PKCE "
                                  "provider");
    if (o->version != SPOTIFY_LOCAL_AUTH_OPTIONS_VERSION)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_authorize_local: unknown options version");
    if (o->timeout_ms < 0)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_authorize_local: timeout_ms must not be negative");
    if (o->no_browser && o->url_handler == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_authorize_local: with no_browser a url_handler "
                                  "is required, or the user never sees the URL");
    return SPOTIFY_OK;
}

/* The caller's state, or a new one (spotify_auth_state_new). */
static char *state_make(const spotify_local_auth_options *o)
{
    if (o->state != NULL && o->state[0] != '\0')
        return spotify__strdup(o->state);
    char *state = NULL;
    return spotify_auth_state_new(&state, NULL) == SPOTIFY_OK ? state : NULL;
}

/* Hands the URL to the handler and/or the browser. Returns the pid of a
 * browser still running (to reap), or -1. */
pid_t spotify__local_auth_announce(const char *url, const spotify_local_auth_options *o)
{
    if (o->url_handler != NULL)
        o->url_handler(url, o->url_handler_user);
    pid_t running = -1;
    bool opened = !o->no_browser && spotify__browser_open(url, spotify__env("BROWSER"),
                                                          SPOTIFY__BROWSER_GRACE_MS, &running);
    spotify__local_auth_announced(url, o, opened);
    return running;
}

void spotify__local_auth_announced(const char *url, const spotify_local_auth_options *o,
                                   bool opened)
{
    if (!o->no_browser && !opened)
        spotify__log(SPOTIFY_LOG_WARN, "spotify_authorize_local: no browser could be started");
    if (!opened && o->url_handler == NULL)
        fprintf(stderr, "Open this URL in your browser to sign in to Spotify:\n\n    %s\n\n", url);
}

spotify_status spotify__local_auth_url(char **url, spotify_auth *auth, const char *state,
                                       const spotify_local_auth_options *o, spotify_error *err)
{
    spotify_authorize_url_options u = SPOTIFY_AUTHORIZE_URL_OPTIONS_INIT;
    u.state = state;
    u.show_dialog = o->show_dialog;
    return spotify_auth_authorize_url(url, auth, &u, err);
}

static void session_init(session *s, spotify_auth *auth, const spotify__loopback_uri *uri,
                         const char *state)
{
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cond, &attr);
    pthread_condattr_destroy(&attr);
    s->auth = auth;
    s->uri = uri;
    s->state = state;
}

static void session_destroy(session *s)
{
    spotify_token_clear(&s->token);
    pthread_cond_destroy(&s->cond);
    pthread_mutex_destroy(&s->lock);
}

/* Server up, URL out, wait, server down. */
static spotify_status run(session *s, const spotify_local_auth_options *o)
{
    struct MHD_Daemon *d =
        spotify__local_auth_listen(s->uri, MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO,
                                   on_request, on_completed, s, &s->idle, &s->error);
    if (d == NULL)
        return s->error.status;
    char *url = NULL;
    spotify_status st = spotify__local_auth_url(&url, s->auth, s->state, o, &s->error);
    pid_t browser = -1;
    if (st == SPOTIFY_OK) {
        spotify__log(SPOTIFY_LOG_INFO, "spotify_authorize_local: waiting on %s port %u",
                     host_name(s->uri), s->uri->port);
        browser = spotify__local_auth_announce(url, o);
        pthread_mutex_lock(&s->lock);
        wait_locked(s, o);
        st = s->status;
        pthread_mutex_unlock(&s->lock);
    }
    spotify_free(url);
    MHD_stop_daemon(d); /* joins the server's thread and closes the port */
    spotify__browser_reap(browser);
    return st;
}

spotify_status spotify__local_auth_prepare(const spotify_local_auth_options *o, spotify_auth *auth,
                                           bool async, spotify__loopback_uri *uri, char **state,
                                           spotify_error *err)
{
    *state = NULL;
    spotify_status st = options_check(o, auth, async, err);
    if (st == SPOTIFY_OK)
        st = spotify__loopback_uri_parse(uri, auth->redirect_uri, err);
    if (st != SPOTIFY_OK)
        return st;
    if (uri->localhost)
        spotify__log(SPOTIFY_LOG_INFO, "spotify_authorize_local: Spotify no longer accepts "
                                       "'localhost' redirect URIs for new apps; prefer 127.0.0.1");
    *state = state_make(o);
    if (*state == NULL)
        return spotify__error_set(
            err, SPOTIFY_ENOMEM, 0,
            "spotify_authorize_local: could not make a state (out of memory or "
            "no randomness)");
    return SPOTIFY_OK;
}

void spotify__local_auth_options_resolve(spotify_local_auth_options *o)
{
    if (o->timeout_ms == 0)
        o->timeout_ms = SPOTIFY_LOCAL_AUTH_DEFAULT_TIMEOUT_MS;
}

spotify_status spotify_authorize_local(spotify_token *out, spotify_auth *auth,
                                       const spotify_local_auth_options *opts, spotify_error *err)
{
    spotify_local_auth_options resolved = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    if (opts != NULL)
        resolved = *opts;
    spotify__local_auth_options_resolve(&resolved);
    const spotify_local_auth_options *o = &resolved;
    spotify__loopback_uri uri;
    char *state = NULL;
    spotify_status st = spotify__local_auth_prepare(o, auth, false, &uri, &state, err);
    if (st != SPOTIFY_OK)
        return st;
    session s;
    session_init(&s, auth, &uri, state);
    st = run(&s, o);
    if (st == SPOTIFY_OK && out != NULL) {
        *out = s.token;
        memset(&s.token, 0, sizeof s.token);
    }
    if (st != SPOTIFY_OK && err != NULL)
        *err = s.error;
    session_destroy(&s);
    spotify__free_secret(state);
    return st;
}
