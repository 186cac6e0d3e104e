/* SPDX-License-Identifier: Apache-2.0 */
/* http/transport.c - one HTTP attempt over libcurl, with a shared connection pool. */
#include "transport.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <spotify/version.h>

#include "../core/alloc.h"
#include "../core/error.h"
#include "../core/global.h"
#include "../core/http_syntax.h"
#include "../json/json.h"

#define EASY_POOL_MAX 32
/* Read buffer of a transfer in a multi handle (see easy_setup). */
#define ASYNC_READ_BUFFER_BYTES 65536L

struct spotify__transport {
    CURLSH *share;
    CURLSH *share_no_connections; /* DNS and TLS sessions only (multi handles) */
    pthread_mutex_t share_locks[CURL_LOCK_DATA_LAST];
    pthread_mutex_t pool_lock;
    CURL *pool[EASY_POOL_MAX];
    size_t pool_size;
    char *user_agent;
    char *ca_file;
};

/* ---- share handle locking ---- */

static void share_lock(CURL *handle, curl_lock_data data, curl_lock_access access, void *user)
{
    (void)handle;
    (void)access;
    spotify__transport *transport = user;
    pthread_mutex_lock(&transport->share_locks[data]);
}

static void share_unlock(CURL *handle, curl_lock_data data, void *user)
{
    (void)handle;
    spotify__transport *transport = user;
    pthread_mutex_unlock(&transport->share_locks[data]);
}

static CURLSH *share_new(spotify__transport *transport, bool connections)
{
    CURLSH *sh = curl_share_init();
    if (sh == NULL)
        return NULL;
    bool ok = curl_share_setopt(sh, CURLSHOPT_LOCKFUNC, share_lock) == CURLSHE_OK &&
              curl_share_setopt(sh, CURLSHOPT_UNLOCKFUNC, share_unlock) == CURLSHE_OK &&
              curl_share_setopt(sh, CURLSHOPT_USERDATA, transport) == CURLSHE_OK &&
              (!connections ||
               curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) == CURLSHE_OK) &&
              curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS) == CURLSHE_OK &&
              curl_share_setopt(sh, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) == CURLSHE_OK;
    if (!ok) {
        curl_share_cleanup(sh);
        return NULL;
    }
    return sh;
}

static bool share_setup(spotify__transport *transport)
{
    transport->share = share_new(transport, true);
    transport->share_no_connections = share_new(transport, false);
    return transport->share != NULL && transport->share_no_connections != NULL;
}

static char *user_agent_build(const char *suffix)
{
    const curl_version_info_data *info = curl_version_info(CURLVERSION_NOW);
    spotify__strbuf ua = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_appendf(&ua, "spotify-sdk-c/%s libcurl/%s", SPOTIFY_VERSION_STRING,
                            info != NULL ? info->version : "unknown");
    if (suffix != NULL && suffix[0] != '\0')
        spotify__strbuf_appendf(&ua, " %s", suffix);
    return spotify__strbuf_detach(&ua, NULL);
}

spotify_status spotify__transport_new(spotify__transport **out,
                                      const spotify__transport_options *opts, spotify_error *err)
{
    *out = NULL;
    if (opts != NULL && opts->user_agent_suffix != NULL &&
        !spotify__http_header_value_safe(opts->user_agent_suffix))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "user_agent holds a line break");
    spotify_status st = spotify__global_ensure(err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__transport *transport = spotify__calloc(1, sizeof *transport);
    if (transport == NULL)
        return spotify__error_oom(err);
    for (size_t i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_init(&transport->share_locks[i], NULL);
    pthread_mutex_init(&transport->pool_lock, NULL);
    transport->user_agent = user_agent_build(opts ? opts->user_agent_suffix : NULL);
    bool ca_ok = opts == NULL || opts->ca_file == NULL ||
                 (transport->ca_file = spotify__strdup(opts->ca_file)) != NULL;
    if (transport->user_agent == NULL || !ca_ok || !share_setup(transport)) {
        spotify__transport_free(transport);
        return spotify__error_oom(err);
    }
    *out = transport;
    return SPOTIFY_OK;
}

void spotify__transport_free(spotify__transport *transport)
{
    if (transport == NULL)
        return;
    for (size_t i = 0; i < transport->pool_size; i++)
        curl_easy_cleanup(transport->pool[i]);
    if (transport->share != NULL)
        curl_share_cleanup(transport->share);
    if (transport->share_no_connections != NULL)
        curl_share_cleanup(transport->share_no_connections);
    for (size_t i = 0; i < CURL_LOCK_DATA_LAST; i++)
        pthread_mutex_destroy(&transport->share_locks[i]);
    pthread_mutex_destroy(&transport->pool_lock);
    spotify__free(transport->user_agent);
    spotify__free(transport->ca_file);
    spotify__free(transport);
}

const char *spotify__transport_user_agent(const spotify__transport *transport)
{
    return transport->user_agent;
}

/* ---- easy handle pool ---- */

static CURL *easy_acquire(spotify__transport *transport)
{
    CURL *easy = NULL;
    pthread_mutex_lock(&transport->pool_lock);
    if (transport->pool_size > 0)
        easy = transport->pool[--transport->pool_size];
    pthread_mutex_unlock(&transport->pool_lock);
    if (easy != NULL) {
        curl_easy_reset(easy);
        return easy;
    }
    return curl_easy_init();
}

static void easy_release(spotify__transport *transport, CURL *easy)
{
    pthread_mutex_lock(&transport->pool_lock);
    if (transport->pool_size < EASY_POOL_MAX) {
        transport->pool[transport->pool_size++] = easy;
        easy = NULL;
    }
    pthread_mutex_unlock(&transport->pool_lock);
    if (easy != NULL)
        curl_easy_cleanup(easy);
}

/* ---- responses ---- */

void spotify__http_response_init(spotify__http_response *response)
{
    memset(response, 0, sizeof *response);
    spotify__strbuf_init(&response->body);
}

void spotify__http_response_reset(spotify__http_response *response)
{
    spotify__strbuf body = response->body;
    spotify__strbuf_reset(&body);
    memset(response, 0, sizeof *response);
    response->body = body;
}

void spotify__http_response_release(spotify__http_response *response)
{
    spotify__strbuf_release(&response->body);
    memset(response, 0, sizeof *response);
}

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    spotify__http_response *response = user;
    size_t len = size * count;
    if (response->body.len + len > response->body_limit) {
        response->body_too_large = true;
        return 0; /* makes curl fail with CURLE_WRITE_ERROR */
    }
    if (!spotify__strbuf_append(&response->body, data, len))
        return 0;
    return len;
}

/* Copies the value of header line `line` into `out` when its name is `name`. */
static void header_capture(const char *line, size_t len, const char *name, char *out,
                           size_t out_size)
{
    size_t name_len = strlen(name);
    if (len <= name_len || line[name_len] != ':' || strncasecmp(line, name, name_len) != 0)
        return;
    const char *value = line + name_len + 1;
    const char *end = line + len;
    while (value < end && (*value == ' ' || *value == '\t'))
        value++;
    while (end > value && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    size_t n = (size_t)(end - value) < out_size - 1 ? (size_t)(end - value) : out_size - 1;
    memcpy(out, value, n);
    out[n] = '\0';
}

/* A Content-Length header sizes the body buffer once, with the JSON
 * parser's padding, instead of letting it grow chunk by chunk: each growth
 * may move the bytes received so far, and with many transfers in flight
 * (async) it usually does. A compressed body may still grow past it. */
/* A Content-Length beyond the limit ends the transfer before any of the
 * body is read: false then. */
static bool body_presize(spotify__http_response *response, const char *line, size_t len)
{
    char value[32] = "";
    header_capture(line, len, "Content-Length", value, sizeof value);
    if (value[0] < '0' || value[0] > '9')
        return true;
    char *end;
    errno = 0;
    unsigned long long n = strtoull(value, &end, 10);
    if (errno == ERANGE || (*end == '\0' && n > response->body_limit)) {
        response->body_too_large = true;
        return false;
    }
    if (errno == 0 && *end == '\0')
        spotify__strbuf_reserve(&response->body, (size_t)n + SPOTIFY__JSON_PADDING);
    return true;
}

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    spotify__http_response *response = user;
    size_t len = size * count;
    /* A new status line (after a 100 Continue or a redirect) starts over. */
    if (len >= 5 && strncmp(data, "HTTP/", 5) == 0) {
        response->content_type[0] = '\0';
        response->retry_after[0] = '\0';
        response->location[0] = '\0';
    }
    header_capture(data, len, "Content-Type", response->content_type,
                   sizeof response->content_type);
    header_capture(data, len, "Retry-After", response->retry_after, sizeof response->retry_after);
    header_capture(data, len, "Location", response->location, sizeof response->location);
    return body_presize(response, data, len) ? len : 0;
}

/* ---- one attempt ---- */

/* Links the attempt's own list nodes over the fixed headers and the
 * request's: libcurl only reads the list while the transfer runs, so it
 * needs neither allocation nor copies (the Authorization header stays in
 * the caller's buffer, which the caller wipes). */
static struct curl_slist *headers_link(spotify__transport_attempt *attempt,
                                       const spotify__http_request *request)
{
    static const char *const fixed[] = {"Accept: application/json", "Expect:"};
    struct curl_slist *nodes = attempt->header_nodes;
    size_t n = 0;
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        nodes[n++].data = (char *)(uintptr_t)fixed[i];
    for (size_t i = 0; i < request->header_count; i++)
        if (request->headers[i] != NULL)
            nodes[n++].data = (char *)(uintptr_t)request->headers[i];
    for (size_t i = 0; i < n; i++)
        nodes[i].next = i + 1 < n ? &nodes[i + 1] : NULL;
    return nodes;
}

static bool easy_setup(spotify__transport *transport, CURL *easy,
                       const spotify__http_request *request, struct curl_slist *headers,
                       spotify__http_response *response, bool in_multi)
{
    CURLcode rc = CURLE_OK;
#define SET(option, value)                                                                         \
    do {                                                                                           \
        if (rc == CURLE_OK)                                                                        \
            rc = curl_easy_setopt(easy, option, value);                                            \
    } while (0)
    /* A transfer in a multi handle keeps to the multi's own connection
     * cache, which libcurl's socket interface and HTTP/2 multiplexing are
     * built around; DNS and TLS sessions are still shared. */
    SET(CURLOPT_SHARE, in_multi ? transport->share_no_connections : transport->share);
    /* Many transfers to one host at once: wait for the first connection to
     * tell whether it multiplexes (HTTP/2) rather than open one each. */
    if (in_multi)
        SET(CURLOPT_PIPEWAIT, 1L);
    /* Async transfers read in 64 KiB (libcurl's default is 16 KiB): most
     * Web API answers then arrive in one recv() and one readiness check
     * instead of two or three of each (an album of 30 KB: 5 system calls
     * -> 3). The blocking client keeps the default: its one pooled handle
     * per thread is what a small program's memory is made of. */
    if (in_multi)
        SET(CURLOPT_BUFFERSIZE, ASYNC_READ_BUFFER_BYTES);
    SET(CURLOPT_URL, request->url);
    SET(CURLOPT_CUSTOMREQUEST, request->method);
    SET(CURLOPT_HTTPHEADER, headers);
    SET(CURLOPT_USERAGENT, transport->user_agent);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_TCP_KEEPALIVE, 1L);
    SET(CURLOPT_TCP_NODELAY, 1L);
    SET(CURLOPT_PROTOCOLS_STR, "http,https");
    SET(CURLOPT_FOLLOWLOCATION, 0L);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    SET(CURLOPT_ACCEPT_ENCODING, "");
    SET(CURLOPT_CONNECTTIMEOUT_MS, (long)request->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, (long)request->timeout_ms);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, response);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, response);
    if (transport->ca_file != NULL)
        SET(CURLOPT_CAINFO, transport->ca_file);
    if (request->body != NULL) {
        SET(CURLOPT_POSTFIELDS, request->body);
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)request->body_len);
    } else if (strcmp(request->method, "GET") != 0) {
        /* PUT/POST/DELETE without a body still send Content-Length: 0. */
        SET(CURLOPT_POSTFIELDS, "");
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
    }
#undef SET
    return rc == CURLE_OK;
}

/* Sorts a libcurl failure into the retry policy's classes. `request_bytes`
 * is how much of the request reached the socket: none means the server
 * cannot have seen it. */
static spotify__failure failure_classify(CURLcode rc, curl_off_t request_bytes)
{
    switch (rc) {
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_WRITE_ERROR:
    case CURLE_OUT_OF_MEMORY:
    case CURLE_BAD_CONTENT_ENCODING:
    case CURLE_TOO_MANY_REDIRECTS:
        return SPOTIFY__FAILURE_PERMANENT;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
        return SPOTIFY__FAILURE_NOT_SENT;
    default:
        break;
    }
    if (request_bytes == 0)
        return SPOTIFY__FAILURE_NOT_SENT;
    return rc == CURLE_OPERATION_TIMEDOUT ? SPOTIFY__FAILURE_TIMEOUT : SPOTIFY__FAILURE_NETWORK;
}

static void response_finish(CURL *easy, CURLcode rc, const char *errbuf,
                            spotify__http_response *response)
{
    long status = 0;
    curl_off_t total_us = 0, request_bytes = 0;
    long header_bytes = 0, connects = 0;
    curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &connects);
    curl_easy_getinfo(easy, CURLINFO_TOTAL_TIME_T, &total_us);
    curl_easy_getinfo(easy, CURLINFO_REQUEST_SIZE, &header_bytes);
    curl_easy_getinfo(easy, CURLINFO_SIZE_UPLOAD_T, &request_bytes);
    response->duration_us = (int64_t)total_us;
    response->new_connections = (int)connects;
    response->bytes_sent = (int64_t)header_bytes + (int64_t)request_bytes;
    if (rc == CURLE_OK) {
        response->failure = SPOTIFY__FAILURE_NONE;
        response->status = (int)status;
        return;
    }
    response->status = 0;
    if (response->body_too_large) {
        response->failure = SPOTIFY__FAILURE_TOO_LARGE;
        snprintf(response->error, sizeof response->error,
                 "the response body is larger than the %zu-byte limit (HTTP %ld); not read",
                 response->body_limit, status);
        return;
    }
    response->failure = failure_classify(rc, (curl_off_t)response->bytes_sent);
    snprintf(response->error, sizeof response->error, "%s",
             errbuf[0] != '\0' ? errbuf : curl_easy_strerror(rc));
}

spotify_status spotify__attempt_begin(spotify__transport_attempt *attempt,
                                      spotify__transport *transport,
                                      const spotify__http_request *request,
                                      spotify__http_response *response, bool in_multi,
                                      spotify_error *err)
{
    memset(attempt, 0, sizeof *attempt);
    attempt->transport = transport;
    attempt->response = response;
    spotify__http_response_reset(response);
    response->body_limit = request->max_body > 0 ? request->max_body : SPOTIFY__HTTP_MAX_BODY;
    /* The last line of defence: whatever built them, no header reaches the
     * wire with a line break in it. */
    for (size_t i = 0; i < request->header_count; i++)
        if (request->headers[i] != NULL && !spotify__http_header_value_safe(request->headers[i]))
            return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                      "%s: a request header holds a line break; not sent",
                                      request->method);
    attempt->easy = easy_acquire(transport);
    if (attempt->easy == NULL)
        return spotify__error_oom(err);
    struct curl_slist *headers = headers_link(attempt, request);
    bool ok = easy_setup(transport, attempt->easy, request, headers, response, in_multi) &&
              curl_easy_setopt(attempt->easy, CURLOPT_ERRORBUFFER, attempt->errbuf) == CURLE_OK &&
              curl_easy_setopt(attempt->easy, CURLOPT_PRIVATE, attempt) == CURLE_OK;
    if (!ok) {
        spotify__attempt_discard(attempt);
        return spotify__error_oom(err);
    }
    return SPOTIFY_OK;
}

void spotify__attempt_discard(spotify__transport_attempt *attempt)
{
    if (attempt->easy != NULL) {
        /* The handle outlives the attempt in the pool: it must keep no
         * pointer into the attempt. */
        curl_easy_setopt(attempt->easy, CURLOPT_ERRORBUFFER, NULL);
        curl_easy_setopt(attempt->easy, CURLOPT_HTTPHEADER, NULL);
        easy_release(attempt->transport, attempt->easy);
        attempt->easy = NULL;
    }
}

spotify_status spotify__attempt_end(spotify__transport_attempt *attempt, CURLcode rc,
                                    spotify_error *err)
{
    spotify__http_response *response = attempt->response;
    response_finish(attempt->easy, rc, attempt->errbuf, response);
    bool ok = !(rc == CURLE_WRITE_ERROR && response->body.failed) && rc != CURLE_OUT_OF_MEMORY;
    /* Room for the JSON parser to read ahead without copying the body. */
    if (ok && !spotify__strbuf_reserve(&response->body, SPOTIFY__JSON_PADDING))
        ok = false;
    spotify__attempt_discard(attempt);
    return ok ? SPOTIFY_OK : spotify__error_oom(err);
}

spotify_status spotify__transport_perform(spotify__transport *transport,
                                          const spotify__http_request *request,
                                          spotify__http_response *response, spotify_error *err)
{
    spotify__transport_attempt attempt;
    spotify_status st = spotify__attempt_begin(&attempt, transport, request, response, false, err);
    if (st != SPOTIFY_OK)
        return st;
    CURLcode rc = curl_easy_perform(attempt.easy);
    return spotify__attempt_end(&attempt, rc, err);
}
