/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_server.c - the scriptable HTTP server for transport tests, on
 * libmicrohttpd with one thread per connection (so a handler may sleep to
 * simulate a slow server). Responses are queued per path; every request is
 * recorded. All shared state sits behind one mutex; a handler takes its
 * response out (or copies the default) under the lock and serves it after
 * releasing it.
 */
#include "test_server.h"

#include <microhttpd.h>
#include <spotify/spotify.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

/* Idle keep-alive connections are closed after this long. */
#define CONNECTION_TIMEOUT_S 5u
/* Granularity of a delayed answer's sleep (so stopping stays quick). */
#define DELAY_SLICE_MS 10
#define NOT_QUEUED_BODY "{\"error\":{\"status\":404,\"message\":\"no response queued\"}}"

/* A growable byte buffer, always NUL-terminated once written to. */
typedef struct textbuf {
    char *data;
    size_t len;
    size_t cap;
} textbuf;

/* A test_response copied into server-owned memory. */
typedef struct served {
    int status;
    char *body;
    size_t body_len;
    char *content_type;
    char *headers[TEST_SERVER_MAX_HEADERS];
    int delay_ms;
    bool drop_connection;
    bool chunked;
    struct served *next;
} served;

/* The queue and the default response of one path. */
typedef struct route {
    char *path;
    served *head;
    served *tail;
    served *fallback;
    struct route *next;
} route;

/* A recorded request, plus its percent-decoded path for matching. */
typedef struct record {
    test_request request;
    char *decoded_path;
} record;

struct test_server {
    struct MHD_Daemon *daemon;
    pthread_mutex_t mutex;
    atomic_bool stopping;
    int port;
    unsigned idle_timeout_s; /* a connection idle this long is closed */
    char url[64];
    route *routes;
    record *records;
    size_t record_count;
    size_t record_cap;
};

/* The state of one request while MHD delivers it (its con_cls). */
typedef struct exchange {
    test_server *server;
    char *raw_uri;
    bool started;
    textbuf body;
} exchange;

/* ---- small helpers ----------------------------------------------------- */

static void *xmalloc(size_t size)
{
    void *p = malloc(size == 0 ? 1 : size);
    if (p == NULL) {
        fprintf(stderr, "test_server: out of memory\n");
        abort();
    }
    return p;
}

static char *xstrndup(const char *s, size_t len)
{
    char *copy = xmalloc(len + 1);
    if (len > 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

static char *xstrdup(const char *s)
{
    return s == NULL ? NULL : xstrndup(s, strlen(s));
}

static void textbuf_append(textbuf *tb, const char *data, size_t len)
{
    if (tb->len + len + 1 > tb->cap) {
        size_t cap = tb->cap < 256 ? 256 : tb->cap;
        while (cap < tb->len + len + 1)
            cap *= 2;
        char *grown = realloc(tb->data, cap);
        if (grown == NULL) {
            fprintf(stderr, "test_server: out of memory\n");
            abort();
        }
        tb->data = grown;
        tb->cap = cap;
    }
    if (len > 0)
        memcpy(tb->data + tb->len, data, len);
    tb->len += len;
    tb->data[tb->len] = '\0';
}

/* Hands the buffer's text over (an empty string when nothing was written). */
static char *textbuf_detach(textbuf *tb, size_t *len_out)
{
    if (tb->data == NULL)
        textbuf_append(tb, "", 0);
    char *data = tb->data;
    if (len_out != NULL)
        *len_out = tb->len;
    memset(tb, 0, sizeof *tb);
    return data;
}

static void lock(test_server *server)
{
    pthread_mutex_lock(&server->mutex);
}

static void unlock(test_server *server)
{
    pthread_mutex_unlock(&server->mutex);
}

/* ---- responses --------------------------------------------------------- */

static served *served_from(const test_response *response)
{
    served *s = xmalloc(sizeof *s);
    memset(s, 0, sizeof *s);
    s->status = response->status == 0 ? 200 : response->status;
    const char *body = response->body == NULL ? "" : response->body;
    s->body_len = strlen(body);
    s->body = xstrndup(body, s->body_len);
    s->content_type =
        xstrdup(response->content_type == NULL ? "application/json" : response->content_type);
    for (int i = 0; i < TEST_SERVER_MAX_HEADERS && response->headers[i] != NULL; i++)
        s->headers[i] = xstrdup(response->headers[i]);
    s->delay_ms = response->delay_ms;
    s->drop_connection = response->drop_connection;
    s->chunked = response->chunked;
    return s;
}

static served *served_copy(const served *original)
{
    test_response r = {.status = original->status,
                       .body = original->body,
                       .content_type = original->content_type,
                       .delay_ms = original->delay_ms,
                       .drop_connection = original->drop_connection,
                       .chunked = original->chunked};
    for (int i = 0; i < TEST_SERVER_MAX_HEADERS; i++)
        r.headers[i] = original->headers[i];
    return served_from(&r);
}

static void served_free(served *s)
{
    if (s == NULL)
        return;
    free(s->body);
    free(s->content_type);
    for (int i = 0; i < TEST_SERVER_MAX_HEADERS; i++)
        free(s->headers[i]);
    free(s);
}

static served *served_not_queued(void)
{
    test_response r = {.status = 404, .body = NOT_QUEUED_BODY};
    return served_from(&r);
}

/* ---- routes (callers hold the mutex) ----------------------------------- */

static route *route_find(test_server *server, const char *path)
{
    for (route *r = server->routes; r != NULL; r = r->next) {
        if (strcmp(r->path, path) == 0)
            return r;
    }
    return NULL;
}

static route *route_get(test_server *server, const char *path)
{
    route *r = route_find(server, path);
    if (r != NULL)
        return r;
    r = xmalloc(sizeof *r);
    memset(r, 0, sizeof *r);
    r->path = xstrdup(path);
    r->next = server->routes;
    server->routes = r;
    return r;
}

static void routes_free(route *r)
{
    while (r != NULL) {
        route *next = r->next;
        while (r->head != NULL) {
            served *s = r->head;
            r->head = s->next;
            served_free(s);
        }
        served_free(r->fallback);
        free(r->path);
        free(r);
        r = next;
    }
}

/* The response for a request: the next queued one, the default, or a 404. */
static served *route_take(test_server *server, const char *raw_path, const char *decoded_path)
{
    route *r = route_find(server, raw_path);
    if (r == NULL || (r->head == NULL && r->fallback == NULL))
        r = route_find(server, decoded_path);
    if (r == NULL)
        return served_not_queued();
    if (r->head != NULL) {
        served *s = r->head;
        r->head = s->next;
        if (r->head == NULL)
            r->tail = NULL;
        s->next = NULL;
        return s;
    }
    return r->fallback != NULL ? served_copy(r->fallback) : served_not_queued();
}

/* ---- recorded requests ------------------------------------------------- */

static void record_free(record *rec)
{
    test_request_free(&rec->request);
    free(rec->decoded_path);
}

static void records_clear(test_server *server)
{
    for (size_t i = 0; i < server->record_count; i++)
        record_free(&server->records[i]);
    free(server->records);
    server->records = NULL;
    server->record_count = 0;
    server->record_cap = 0;
}

/* Appends `rec` (taking ownership); the caller holds the mutex. */
static void records_push(test_server *server, record *rec)
{
    if (server->record_count == server->record_cap) {
        size_t cap = server->record_cap == 0 ? 16 : server->record_cap * 2;
        record *grown = realloc(server->records, cap * sizeof *grown);
        if (grown == NULL) {
            fprintf(stderr, "test_server: out of memory\n");
            abort();
        }
        server->records = grown;
        server->record_cap = cap;
    }
    server->records[server->record_count++] = *rec;
}

static bool record_matches(const record *rec, const char *path)
{
    return path == NULL || strcmp(rec->request.path, path) == 0 ||
           strcmp(rec->decoded_path, path) == 0;
}

/* ---- MHD callbacks ----------------------------------------------------- */

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind, const char *key,
                                      const char *value)
{
    (void)kind;
    textbuf *headers = cls;
    for (const char *k = key; *k != '\0'; k++) {
        char c = (*k >= 'A' && *k <= 'Z') ? (char)(*k - 'A' + 'a') : *k;
        textbuf_append(headers, &c, 1);
    }
    textbuf_append(headers, ": ", 2);
    if (value != NULL)
        textbuf_append(headers, value, strlen(value));
    textbuf_append(headers, "\n", 1);
    return MHD_YES;
}

/* Builds the record of a fully received request. */
static record record_build(struct MHD_Connection *connection, exchange *ex, const char *url,
                           const char *method)
{
    record rec;
    memset(&rec, 0, sizeof rec);
    const char *uri = ex->raw_uri != NULL ? ex->raw_uri : url;
    const char *question = strchr(uri, '?');
    size_t path_len = question != NULL ? (size_t)(question - uri) : strlen(uri);
    rec.request.method = xstrdup(method);
    rec.request.path = xstrndup(uri, path_len);
    rec.request.query = xstrdup(question != NULL ? question + 1 : "");
    rec.request.body = textbuf_detach(&ex->body, &rec.request.body_len);
    textbuf headers = {NULL, 0, 0};
    MHD_get_connection_values(connection, MHD_HEADER_KIND, collect_header, &headers);
    rec.request.headers = textbuf_detach(&headers, NULL);
    rec.decoded_path = xstrdup(url);
    return rec;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* Sleeps `delay_ms` in slices, returning early when the server stops. */
static void delay_answer(struct MHD_Connection *connection, test_server *server, int delay_ms)
{
    if (delay_ms <= 0)
        return;
    /* no idle timeout while we are the slow party */
    MHD_set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT, 0u);
    for (int left = delay_ms; left > 0 && !atomic_load(&server->stopping); left -= DELAY_SLICE_MS)
        sleep_ms(left < DELAY_SLICE_MS ? left : DELAY_SLICE_MS);
    MHD_set_connection_option(connection, MHD_CONNECTION_OPTION_TIMEOUT, server->idle_timeout_s);
}

/* Adds one "Name: value" extra header to `response`. */
static void add_extra_header(struct MHD_Response *response, const char *line)
{
    const char *colon = strchr(line, ':');
    if (colon == NULL)
        return;
    char *name = xstrndup(line, (size_t)(colon - line));
    const char *value = colon + 1;
    while (*value == ' ' || *value == '\t')
        value++;
    MHD_add_response_header(response, name, value);
    free(name);
}

/* A chunked body: the served copy, read in 4 KiB pieces. */
typedef struct chunked_body {
    char *data;
    size_t len;
} chunked_body;

static ssize_t chunked_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    chunked_body *b = cls;
    if (pos >= b->len)
        return MHD_CONTENT_READER_END_OF_STREAM;
    size_t n = b->len - (size_t)pos;
    n = n < max ? n : max;
    n = n < 4096 ? n : 4096;
    memcpy(buf, b->data + pos, n);
    return (ssize_t)n;
}

static void chunked_free(void *cls)
{
    chunked_body *b = cls;
    free(b->data);
    free(b);
}

static struct MHD_Response *response_of(const served *s)
{
    if (!s->chunked)
        return MHD_create_response_from_buffer(s->body_len, s->body, MHD_RESPMEM_MUST_COPY);
    chunked_body *b = xmalloc(sizeof *b);
    b->data = xstrndup(s->body, s->body_len);
    b->len = s->body_len;
    return MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, chunked_read, b, chunked_free);
}

static enum MHD_Result send_served(struct MHD_Connection *connection, const served *s)
{
    struct MHD_Response *response = response_of(s);
    if (response == NULL)
        return MHD_NO;
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, s->content_type);
    for (int i = 0; i < TEST_SERVER_MAX_HEADERS && s->headers[i] != NULL; i++)
        add_extra_header(response, s->headers[i]);
    enum MHD_Result result = MHD_queue_response(connection, (unsigned int)s->status, response);
    MHD_destroy_response(response);
    return result;
}

static enum MHD_Result answer(test_server *server, struct MHD_Connection *connection, exchange *ex,
                              const char *url, const char *method)
{
    record rec = record_build(connection, ex, url, method);
    lock(server);
    served *s = route_take(server, rec.request.path, rec.decoded_path);
    records_push(server, &rec);
    unlock(server);

    delay_answer(connection, server, s->delay_ms);
    enum MHD_Result result = s->drop_connection ? MHD_NO : send_served(connection, s);
    served_free(s);
    return result;
}

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *connection)
{
    (void)connection;
    exchange *ex = xmalloc(sizeof *ex);
    memset(ex, 0, sizeof *ex);
    ex->server = cls;
    ex->raw_uri = xstrdup(uri);
    return ex;
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    (void)cls;
    (void)connection;
    (void)code;
    exchange *ex = *con_cls;
    if (ex == NULL)
        return;
    free(ex->raw_uri);
    free(ex->body.data);
    free(ex);
    *con_cls = NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    exchange *ex = *con_cls;
    if (ex == NULL) { /* not announced by on_uri: cannot happen, but stay safe */
        ex = on_uri(cls, url, connection);
        *con_cls = ex;
    }
    if (!ex->started) {
        ex->started = true; /* headers only: let the body (if any) arrive */
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        textbuf_append(&ex->body, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    return answer(ex->server, connection, ex, url, method);
}

/* ---- public API -------------------------------------------------------- */

static struct MHD_Daemon *start_daemon(test_server *server)
{
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    unsigned int flags =
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG;
    return MHD_start_daemon(flags, 0, NULL, NULL, on_request, server, MHD_OPTION_SOCK_ADDR,
                            (struct sockaddr *)&addr, MHD_OPTION_URI_LOG_CALLBACK, on_uri, server,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, server,
                            MHD_OPTION_CONNECTION_TIMEOUT, server->idle_timeout_s, MHD_OPTION_END);
}

test_server *test_server_start(void)
{
    return test_server_start_idle_timeout(CONNECTION_TIMEOUT_S);
}

test_server *test_server_start_idle_timeout(unsigned idle_timeout_s)
{
    test_server *server = xmalloc(sizeof *server);
    memset(server, 0, sizeof *server);
    server->idle_timeout_s = idle_timeout_s;
    atomic_init(&server->stopping, false);
    if (pthread_mutex_init(&server->mutex, NULL) != 0)
        abort();
    server->daemon = start_daemon(server);
    const union MHD_DaemonInfo *info =
        server->daemon == NULL ? NULL
                               : MHD_get_daemon_info(server->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (info == NULL || info->port == 0) {
        fprintf(stderr, "test_server: cannot start libmicrohttpd on 127.0.0.1\n");
        abort();
    }
    server->port = (int)info->port;
    snprintf(server->url, sizeof server->url, "http://127.0.0.1:%d", server->port);
    return server;
}

struct spotify_client *test_server_client(const test_server *server, const char *token)
{
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = server->url;
    opts.access_token = token;
    spotify_client *client = NULL;
    spotify_error err = {0};
    if (spotify_client_new(&client, &opts, &err) != SPOTIFY_OK) {
        fprintf(stderr, "test_server: spotify_client_new failed: %s\n", err.message);
        abort();
    }
    return client;
}

const char *test_server_url(const test_server *server)
{
    return server->url;
}

int test_server_port(const test_server *server)
{
    return server->port;
}

void test_server_enqueue(test_server *server, const char *path, const test_response *response)
{
    served *s = served_from(response);
    lock(server);
    route *r = route_get(server, path);
    if (r->tail != NULL)
        r->tail->next = s;
    else
        r->head = s;
    r->tail = s;
    unlock(server);
}

void test_server_set_default(test_server *server, const char *path, const test_response *response)
{
    served *s = served_from(response);
    lock(server);
    route *r = route_get(server, path);
    served *old = r->fallback;
    r->fallback = s;
    unlock(server);
    served_free(old);
}

int test_server_count(test_server *server, const char *path)
{
    int count = 0;
    lock(server);
    for (size_t i = 0; i < server->record_count; i++) {
        if (record_matches(&server->records[i], path))
            count++;
    }
    unlock(server);
    return count;
}

bool test_server_request(test_server *server, int n, test_request *out)
{
    memset(out, 0, sizeof *out);
    lock(server);
    bool found = n >= 0 && (size_t)n < server->record_count;
    if (found) {
        const test_request *rec = &server->records[n].request;
        out->method = xstrdup(rec->method);
        out->path = xstrdup(rec->path);
        out->query = xstrdup(rec->query);
        out->body = xstrndup(rec->body, rec->body_len);
        out->body_len = rec->body_len;
        out->headers = xstrdup(rec->headers);
    }
    unlock(server);
    return found;
}

void test_request_free(test_request *request)
{
    if (request == NULL)
        return;
    free(request->method);
    free(request->path);
    free(request->query);
    free(request->body);
    free(request->headers);
    memset(request, 0, sizeof *request);
}

/* Copies a header value (up to its end of line, leading blanks skipped) into out. */
static void copy_header_value(const char *value, char *out, size_t out_size)
{
    while (*value == ' ' || *value == '\t')
        value++;
    size_t len = strcspn(value, "\n");
    if (out_size == 0)
        return;
    if (len >= out_size)
        len = out_size - 1;
    memcpy(out, value, len);
    out[len] = '\0';
}

bool test_request_header(const test_request *request, const char *name, char *out, size_t out_size)
{
    size_t name_len = strlen(name);
    for (const char *line = request->headers; line != NULL && *line != '\0';) {
        if (strncasecmp(line, name, name_len) == 0 && line[name_len] == ':') {
            copy_header_value(line + name_len + 1, out, out_size);
            return true;
        }
        const char *newline = strchr(line, '\n');
        line = newline != NULL ? newline + 1 : NULL;
    }
    return false;
}

void test_server_reset(test_server *server)
{
    lock(server);
    route *routes = server->routes;
    server->routes = NULL;
    records_clear(server);
    unlock(server);
    routes_free(routes);
}

void test_server_stop(test_server *server)
{
    if (server == NULL)
        return;
    atomic_store(&server->stopping, true);
    MHD_stop_daemon(server->daemon);
    routes_free(server->routes);
    records_clear(server);
    pthread_mutex_destroy(&server->mutex);
    free(server);
}
