/* SPDX-License-Identifier: Apache-2.0 */
/*
 * server.c - libmicrohttpd glue: request lifecycle, latency by
 * suspend/resume, faults, dispatch, response headers, counters.
 */
#include "server.h"

#include <microhttpd.h>

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "api.h"
#include "core/alloc.h"
#include "routes.h"
#include "timer.h"

#define CONNECTION_TIMEOUT_S 120u
#define CONNECTION_LIMIT 4096u
#define STOP_GRACE_MS 2000 /* at most this long to answer requests under way */
#define CORS_ALLOW_HEADERS "Authorization, Content-Type, Accept, Accept-Language"

struct emu_server {
    emu_app *app;
    struct MHD_Daemon *daemon;
    emu_timer *timer;
    atomic_bool stopping;
    atomic_int exchanges; /* requests between on_uri and on_completed */
};

/* One request, from its URI until MHD reports it complete (its con_cls). */
typedef struct exchange {
    emu_server *server;
    struct MHD_Connection *conn;
    char *uri;       /* the request target as sent */
    size_t path_len; /* bytes of uri before '?' */
    bool started;    /* the access handler has seen the headers */
    bool delayed;    /* latency already applied (or skipped) */
    bool too_large;
    bool control; /* control API or preflight: no latency, faults, counters */
    emu_match match;
    const emu_route *route;
    spotify__strbuf body;
    emu_request req;
} exchange;

static const char *lookup_header(void *conn, const char *name)
{
    return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* MHD_OPTION_URI_LOG_CALLBACK: first sight of a request; creates its state. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    exchange *ex = spotify__calloc(1, sizeof *ex);
    if (ex == NULL)
        return NULL;
    ex->server = cls;
    ex->conn = conn;
    ex->uri = spotify__strdup(uri);
    if (ex->uri == NULL) {
        spotify__free(ex);
        return NULL;
    }
    ex->path_len = strcspn(ex->uri, "?");
    spotify__strbuf_init(&ex->body);
    atomic_fetch_add(&ex->server->exchanges, 1);
    return ex;
}

/* MHD_OPTION_NOTIFY_COMPLETED: the request is over; frees its state. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)conn;
    (void)code;
    exchange *ex = *con_cls;
    if (ex == NULL)
        return;
    atomic_fetch_sub(&ex->server->exchanges, 1);
    emu_request_release(&ex->req);
    spotify__strbuf_release_secret(&ex->body);
    spotify__free(ex->uri);
    spotify__free(ex);
    *con_cls = NULL;
}

/* Headers are in: route the request and fill the handler's view of it. */
static void begin(exchange *ex, const char *method)
{
    emu_request *req = &ex->req;
    req->method = method;
    req->path = ex->uri;
    /* A trailing slash is served as the path without it, as Spotify does
     * ("/v1/me/", "/v1/albums/?ids=" from spotipy); links use the path
     * without it. The log keeps the path as sent. */
    req->path_len = ex->path_len;
    if (req->path_len > 1 && ex->uri[req->path_len - 1] == '/')
        req->path_len--;
    req->web_api = strncmp(ex->uri, "/v1/", 4) == 0;
    req->query = ex->uri[ex->path_len] == '?' ? ex->uri + ex->path_len + 1 : "";
    req->header_fn = lookup_header;
    req->conn = ex->conn;
    req->body = "";
    ex->match = emu_route_match(method, ex->uri, req->path_len, &ex->route, req);
    req->route = ex->match == EMU_MATCH_OK ? ex->route : NULL;
    ex->control = emu_path_is_control(ex->uri, ex->path_len) || strcmp(method, "OPTIONS") == 0;
}

/* Whether the request announces a body over EMU_BODY_MAX (MHD has already
 * refused a malformed Content-Length). */
static bool announced_too_large(const exchange *ex)
{
    const char *value =
        MHD_lookup_connection_value(ex->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (value == NULL)
        return false;
    errno = 0;
    unsigned long long length = strtoull(value, NULL, 10);
    return errno != 0 || length > EMU_BODY_MAX;
}

/* Adds a chunk of the body; false once the body passes EMU_BODY_MAX. */
static bool take_body(exchange *ex, const char *data, size_t size)
{
    if (size > EMU_BODY_MAX - ex->body.len)
        return false;
    spotify__strbuf_append(&ex->body, data, size);
    return true;
}

/* Timer callback: the connection's latency is over. */
static void resume_exchange(void *arg)
{
    exchange *ex = arg;
    emu_stats_held(ex->server->app->stats, -1);
    MHD_resume_connection(ex->conn);
}

/* Suspends the connection for the configured latency; false when none
 * applies (control requests, latency 0, shutting down). */
static bool delay(exchange *ex)
{
    emu_server *srv = ex->server;
    int latency = atomic_load(&srv->app->settings.latency_ms);
    bool apply = !ex->delayed && !ex->control && latency > 0 && !atomic_load(&srv->stopping);
    ex->delayed = true;
    if (!apply)
        return false;
    MHD_suspend_connection(ex->conn);
    emu_stats_held(srv->app->stats, +1);
    if (!emu_timer_schedule(srv->timer, latency, resume_exchange, ex))
        resume_exchange(ex);
    return true;
}

/* The kind of error shape a request gets (accounts or Web API). */
static emu_route_kind error_kind(const exchange *ex)
{
    if (ex->route != NULL)
        return ex->route->kind;
    return strncmp(ex->uri, "/v1/", 4) == 0 ? EMU_ROUTE_API : EMU_ROUTE_ACCOUNTS;
}

static const char *fault_message(int status)
{
    switch (status) {
    case 429:
        return "API rate limit exceeded";
    case 500:
        return "Server error.";
    case 502:
        return "Bad gateway.";
    case 503:
        return "Service unavailable";
    default:
        return MHD_get_reason_phrase_for((unsigned)status);
    }
}

/* An injected error response in the shape of the request's service. */
static void fault_reply(const exchange *ex, const emu_fault *fault, emu_reply *reply)
{
    if (error_kind(ex) == EMU_ROUTE_ACCOUNTS) {
        const char *error = fault->status == 503   ? "temporarily_unavailable"
                            : fault->status >= 500 ? "server_error"
                                                   : "invalid_request";
        emu_reply_oauth_error(reply, fault->status, error, fault_message(fault->status));
    } else {
        emu_reply_api_error(reply, fault->status, fault_message(fault->status));
    }
    reply->retry_after = fault->retry_after;
}

/* Answers a request no handler takes: 413, 404, 405, CORS preflight. */
static bool answer_unrouted(exchange *ex, emu_reply *reply)
{
    bool accounts = error_kind(ex) == EMU_ROUTE_ACCOUNTS;
    if (strcmp(ex->req.method, "OPTIONS") == 0) {
        reply->status = 204;
        reply->content_type = "text/plain";
    } else if (ex->too_large) {
        if (accounts)
            emu_reply_oauth_error(reply, 413, "invalid_request", "Request body too large");
        else
            emu_reply_api_error(reply, 413, "Request entity too large");
    } else if (ex->match == EMU_MATCH_NONE) {
        emu_reply_api_error(reply, 404, "Service not found");
    } else if (ex->match == EMU_MATCH_METHOD) {
        emu_reply_api_error(reply, 405, "Method not allowed");
    } else {
        return false;
    }
    return true;
}

static void dispatch(exchange *ex, emu_reply *reply)
{
    ex->req.body = spotify__strbuf_cstr(&ex->body);
    ex->req.body_len = ex->body.len;
    emu_app *app = ex->server->app;
    bool recordable = app->recorder != NULL && ex->req.web_api && !ex->too_large &&
                      strcmp(ex->req.method, "OPTIONS") != 0;
    if (recordable && emu_recorder_handle(app->recorder, app, &ex->req, reply)) {
        /* forwarded (--record) or stored (--replay) */
    } else if (!answer_unrouted(ex, reply)) {
        ex->route->handler(ex->server->app, &ex->req, reply);
        if (ex->route->kind == EMU_ROUTE_API)
            emu_api_apply_market(&ex->req, reply);
    }
    if (reply->status == 0)
        emu_reply_api_error(reply, 500, "Internal server error");
}

/* Frees a response body (wiped: bodies may hold tokens). */
static void free_body(void *body)
{
    spotify__free_secret(body);
}

static struct MHD_Response *make_response(emu_reply *reply)
{
    if (reply->static_body != NULL)
        return MHD_create_response_from_buffer(
            reply->static_len, (void *)(uintptr_t)reply->static_body, MHD_RESPMEM_PERSISTENT);
    size_t len = 0;
    char *body = reply->body.data == NULL ? NULL : spotify__strbuf_detach(&reply->body, &len);
    if (body == NULL)
        return MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    struct MHD_Response *resp =
        MHD_create_response_from_buffer_with_free_callback(len, body, free_body);
    if (resp == NULL)
        free_body(body);
    return resp;
}

/* Where response headers go: an MHD response, or the text of one. */
typedef void (*header_sink)(void *target, const char *name, const char *value);

static void mhd_header(void *resp, const char *name, const char *value)
{
    MHD_add_response_header(resp, name, value);
}

static void text_header(void *text, const char *name, const char *value)
{
    spotify__strbuf_appendf(text, "%s: %s\r\n", name, value);
}

static void add_headers(header_sink add, void *target, const exchange *ex, const emu_reply *reply)
{
    if (reply->content_type != NULL)
        add(target, MHD_HTTP_HEADER_CONTENT_TYPE, reply->content_type);
    add(target, "Access-Control-Allow-Origin", "*");
    if (reply->location != NULL)
        add(target, MHD_HTTP_HEADER_LOCATION, reply->location);
    if (reply->retry_after >= 0) {
        char value[24];
        snprintf(value, sizeof value, "%d", reply->retry_after);
        add(target, MHD_HTTP_HEADER_RETRY_AFTER, value);
    }
    if (reply->no_store) {
        add(target, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
        add(target, MHD_HTTP_HEADER_PRAGMA, "no-cache");
    }
    if (strcmp(ex->req.method, "OPTIONS") == 0) {
        add(target, "Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, OPTIONS");
        add(target, "Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
        add(target, "Access-Control-Max-Age", "600");
    }
}

static void record(const exchange *ex, int status)
{
    if (ex->control)
        return;
    int route = ex->match == EMU_MATCH_OK ? emu_route_index(ex->route) : -1;
    emu_stats_record(ex->server->app->stats, route, ex->req.method, ex->uri, ex->path_len, status);
}

static enum MHD_Result send_reply(exchange *ex, emu_reply *reply)
{
    struct MHD_Response *resp = make_response(reply);
    if (resp == NULL) {
        emu_reply_release(reply);
        return MHD_NO;
    }
    add_headers(mhd_header, resp, ex, reply);
    enum MHD_Result rc = MHD_queue_response(ex->conn, (unsigned)reply->status, resp);
    MHD_destroy_response(resp);
    record(ex, reply->status);
    emu_reply_release(reply);
    return rc;
}

/* Writes the whole response (status line, headers, Connection: close,
 * body) on the connection's socket, bypassing MHD, which is then told to
 * close the connection. For the one case libmicrohttpd 0.9.75 cannot
 * answer: a response in the middle of an upload. Best effort: the response
 * is small and nothing was sent on the connection before it. */
static enum MHD_Result send_reply_now(exchange *ex, emu_reply *reply)
{
    const char *body = reply->static_body;
    size_t len = reply->static_len;
    if (body == NULL) {
        body = spotify__strbuf_cstr(&reply->body);
        len = reply->body.len;
    }
    spotify__strbuf text = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_appendf(&text, "HTTP/1.1 %d %s\r\nConnection: close\r\n", reply->status,
                            MHD_get_reason_phrase_for((unsigned)reply->status));
    add_headers(text_header, &text, ex, reply);
    spotify__strbuf_appendf(&text, "Content-Length: %zu\r\n\r\n", len);
    spotify__strbuf_append(&text, body, len);
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(ex->conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (info != NULL && !text.failed &&
        send(info->connect_fd, text.data, text.len, MSG_NOSIGNAL) == (ssize_t)text.len)
        shutdown(info->connect_fd, SHUT_WR);
    spotify__strbuf_release(&text);
    record(ex, reply->status);
    emu_reply_release(reply);
    return MHD_NO;
}

/* The body passes EMU_BODY_MAX (announced, or counted as it arrives): the
 * 413 goes out at once and not one more byte of the body is read. On the
 * first call (headers only) MHD queues it and discards the body; during an
 * upload (a chunked body has no length to check first) it goes out
 * directly and the connection closes. No latency, fault or handler. */
static enum MHD_Result refuse_too_large(exchange *ex, bool uploading)
{
    ex->too_large = true;
    emu_reply reply;
    emu_reply_init(&reply);
    answer_unrouted(ex, &reply);
    return uploading ? send_reply_now(ex, &reply) : send_reply(ex, &reply);
}

/* The request is complete (and its latency served): answer it. */
static enum MHD_Result finish(exchange *ex)
{
    if (delay(ex))
        return MHD_YES;
    emu_reply reply;
    emu_reply_init(&reply);
    emu_fault fault;
    const char *pattern = ex->match == EMU_MATCH_OK ? ex->route->pattern : NULL;
    if (!ex->control && emu_faults_take(ex->server->app->faults, pattern, ex->req.method, &fault)) {
        if (fault.drop) {
            record(ex, 0);
            return MHD_NO; /* MHD closes the connection without a response */
        }
        fault_reply(ex, &fault, &reply);
    } else {
        dispatch(ex, &reply);
    }
    return send_reply(ex, &reply);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)cls;
    (void)conn;
    (void)url;
    (void)version;
    exchange *ex = *con_cls;
    if (ex == NULL)
        return MHD_NO; /* out of memory when the request began */
    if (!ex->started) {
        ex->started = true;
        begin(ex, method);
        return announced_too_large(ex) ? refuse_too_large(ex, false) : MHD_YES;
    }
    if (ex->too_large) { /* answered already: MHD discards the body */
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!take_body(ex, upload_data, *upload_data_size))
            return refuse_too_large(ex, true);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return finish(ex);
}

emu_server *emu_server_start(emu_app *app, const emu_listener *listener, char *err, size_t err_size)
{
    emu_server *srv = spotify__calloc(1, sizeof *srv);
    if (srv == NULL) {
        snprintf(err, err_size, "out of memory");
        return NULL;
    }
    srv->app = app;
    srv->timer = emu_timer_start();
    if (srv->timer == NULL) {
        snprintf(err, err_size, "cannot start the timer thread");
        spotify__free(srv);
        return NULL;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_TURBO |
                     (listener->ipv6 ? MHD_USE_IPv6 : 0);
    srv->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, srv, MHD_OPTION_LISTEN_SOCKET, (MHD_socket)listener->fd,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)EMU_SERVER_THREADS, MHD_OPTION_URI_LOG_CALLBACK,
        on_uri, srv, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_CONNECTION_TIMEOUT,
        CONNECTION_TIMEOUT_S, MHD_OPTION_CONNECTION_LIMIT, CONNECTION_LIMIT, MHD_OPTION_END);
    if (srv->daemon == NULL) {
        snprintf(err, err_size, "libmicrohttpd could not start");
        emu_timer_stop(srv->timer);
        spotify__free(srv);
        return NULL;
    }
    return srv;
}

void emu_server_stop(emu_server *server)
{
    if (server == NULL)
        return;
    atomic_store(&server->stopping, true);
    emu_timer_drain(server->timer); /* every suspended connection resumes */
    /* Resuming only marks a connection: give MHD's threads the time to
     * answer the requests under way before the daemon closes every socket. */
    for (int waited_ms = 0; atomic_load(&server->exchanges) > 0 && waited_ms < STOP_GRACE_MS;
         waited_ms += 5) {
        struct timespec pause = {0, 5 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    MHD_stop_daemon(server->daemon);
    emu_timer_stop(server->timer);
    spotify__free(server);
}
