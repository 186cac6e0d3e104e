/* SPDX-License-Identifier: Apache-2.0 */
/* client/client.c - client configuration and raw authenticated requests. */
#include <spotify/client.h>

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/env.h"
#include "../core/error.h"
#include "../core/http_syntax.h"
#include "../core/strbuf.h"
#include "../core/urlencode.h"
#include "../auth/provider.h"
#include "../http/execute.h"
#include "../http/pool.h"
#include "client_internal.h"

struct spotify_client {
    char *api_base_url;      /* without a trailing '/' */
    char *accounts_base_url; /* without a trailing '/' */
    spotify_auth *auth;      /* borrowed, or owned when owns_auth */
    bool owns_auth;
    char *accept_language; /* may be NULL */
    spotify__cooldown cooldown;
    spotify__pool_ref pool;
    bool check_scopes;
    spotify__http_context http;
    /* One spare response-body buffer for the API layer (client_internal.h):
     * reusing it spares every typed call a large malloc, its growth by
     * realloc and a free. spare_state: SPARE_EMPTY, SPARE_BUSY, SPARE_FULL. */
    _Atomic int spare_state;
    spotify__strbuf spare;
};

enum { SPARE_EMPTY = 0, SPARE_BUSY = 1, SPARE_FULL = 2 };

/* Buffers larger than this are freed rather than kept. */
#define SPARE_MAX ((size_t)4 * 1024 * 1024)

spotify_status spotify_client_options_init(spotify_client_options *opts, unsigned int version)
{
    if (opts == NULL || version != SPOTIFY_CLIENT_OPTIONS_VERSION)
        return SPOTIFY_EINVALID;
    spotify_client_options defaults = SPOTIFY_CLIENT_OPTIONS_INIT;
    *opts = defaults;
    return SPOTIFY_OK;
}

/* Picks explicit > environment > default, checks it is an http(s) URL and
 * copies it without trailing slashes. */
static spotify_status base_url_resolve(char **out, const char *explicit_value, const char *env_name,
                                       const char *fallback, const char *what, spotify_error *err)
{
    const char *url = spotify__setting(explicit_value, env_name);
    if (url == NULL)
        url = fallback;
    if ((strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) ||
        !spotify__http_header_value_safe(url) || strchr(url, '?') != NULL ||
        strchr(url, '#') != NULL)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "%s must be an http:// or https:// URL without query or "
                                  "fragment (got \"%s\"; set it explicitly or through %s)",
                                  what, url, env_name);
    size_t len = strlen(url);
    while (len > 0 && url[len - 1] == '/')
        len--;
    *out = spotify__strndup(url, len);
    return *out != NULL ? SPOTIFY_OK : spotify__error_oom(err);
}

static bool given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* The seeds' rule: exactly one credential input. Environment values never
 * count as inputs here. */
static spotify_status credentials_check(const spotify_client_options *o, spotify_error *err)
{
    bool token = given(o->access_token);
    bool credentials = given(o->client_id) || given(o->client_secret);
    bool provider = o->auth != NULL;
    const char *conflict = token && provider         ? "an access token and an auth provider"
                           : token && credentials    ? "an access token and client credentials"
                           : provider && credentials ? "an auth provider and client credentials"
                                                     : NULL;
    if (conflict != NULL)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "ambiguous credentials: %s were both given; give exactly one",
                                  conflict);
    return SPOTIFY_OK;
}

/* Creates the client-credentials provider the client owns. */
static spotify_status client_credentials_setup(spotify_client *client,
                                               const spotify_client_options *o, spotify_error *err)
{
    bool from_env = !given(o->client_id) && !given(o->client_secret);
    if (from_env && (spotify__env(SPOTIFY_ENV_CLIENT_ID) == NULL ||
                     spotify__env(SPOTIFY_ENV_CLIENT_SECRET) == NULL))
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "no credentials: give an access token, client credentials or an "
                                  "auth provider, or set " SPOTIFY_ENV_CLIENT_ID
                                  " and " SPOTIFY_ENV_CLIENT_SECRET);
    spotify_auth_options auth_opts = SPOTIFY_AUTH_OPTIONS_INIT;
    auth_opts.client_id = o->client_id;
    auth_opts.client_secret = o->client_secret;
    auth_opts.accounts_base_url = client->accounts_base_url;
    auth_opts.timeouts = o->timeouts;
    auth_opts.retry = o->retry;
    auth_opts.observer = o->observer;
    auth_opts.observer_user = o->observer_user;
    auth_opts.clock = o->clock;
    auth_opts.http_pool = client->pool.pool;
    return spotify_auth_client_credentials_new(&client->auth, &auth_opts, err);
}

static spotify_status client_auth_setup(spotify_client *client, const spotify_client_options *o,
                                        spotify_error *err)
{
    spotify_status st = credentials_check(o, err);
    if (st != SPOTIFY_OK)
        return st;
    if (o->auth != NULL) {
        client->auth = o->auth;
        return SPOTIFY_OK;
    }
    client->owns_auth = true;
    if (!given(o->access_token))
        return client_credentials_setup(client, o, err);
    st = spotify_auth_static_new(&client->auth, o->access_token, err);
    if (st == SPOTIFY_EINVALID)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "the access token is too long or not an RFC 6750 bearer "
                                  "token (b64token syntax)");
    return st;
}

static spotify_status client_configure(spotify_client *client, const spotify_client_options *o,
                                       spotify_error *err)
{
    spotify_status st =
        base_url_resolve(&client->api_base_url, o->api_base_url, SPOTIFY_ENV_API_BASE_URL,
                         SPOTIFY_DEFAULT_API_BASE_URL, "the API base URL", err);
    if (st == SPOTIFY_OK)
        st = base_url_resolve(&client->accounts_base_url, o->accounts_base_url,
                              SPOTIFY_ENV_ACCOUNTS_BASE_URL, SPOTIFY_DEFAULT_ACCOUNTS_BASE_URL,
                              "the accounts base URL", err);
    if (st == SPOTIFY_OK)
        st = spotify__pool_ref_init(&client->pool, o->http_pool, o->user_agent, o->ca_file, err);
    if (st == SPOTIFY_OK)
        st = client_auth_setup(client, o, err);
    if (st != SPOTIFY_OK)
        return st;
    if (o->accept_language != NULL && o->accept_language[0] != '\0') {
        if (!spotify__http_header_value_safe(o->accept_language))
            return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                      "accept_language contains a line break");
        client->accept_language = spotify__strdup(o->accept_language);
        if (client->accept_language == NULL)
            return spotify__error_oom(err);
    }
    client->http.transport = client->pool.pool->transport;
    spotify__cooldown_init(&client->cooldown);
    client->http.policy = spotify__retry_policy_from_options(&o->retry);
    client->http.timeouts = spotify__timeouts_resolve(&o->timeouts);
    client->http.clock = spotify__clock_resolve(o->clock);
    client->http.cooldown = &client->cooldown;
    st =
        spotify__cooldown_set_store(&client->cooldown, o->cooldown_store, &client->http.clock, err);
    if (st != SPOTIFY_OK)
        return st;
    client->http.observer = o->observer;
    client->http.observer_user = o->observer_user;
    client->check_scopes = o->check_scopes;
    return SPOTIFY_OK;
}

spotify_status spotify_client_new(spotify_client **out, const spotify_client_options *opts,
                                  spotify_error *err)
{
    if (out == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_client_new: out is NULL");
    *out = NULL;
    spotify_client_options defaults = SPOTIFY_CLIENT_OPTIONS_INIT;
    if (opts == NULL)
        opts = &defaults;
    if (opts->version != SPOTIFY_CLIENT_OPTIONS_VERSION)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_new: unknown options version %u "
                                  "(use SPOTIFY_CLIENT_OPTIONS_INIT)",
                                  opts->version);
    spotify_status checked = spotify__retry_options_check(&opts->retry, "spotify_client_new", err);
    if (checked != SPOTIFY_OK)
        return checked;
    spotify_client *client = spotify__calloc(1, sizeof *client);
    if (client == NULL)
        return spotify__error_oom(err);
    spotify_status st = client_configure(client, opts, err);
    if (st != SPOTIFY_OK) {
        spotify_client_free(client);
        return st;
    }
    *out = client;
    return SPOTIFY_OK;
}

void spotify_client_free(spotify_client *client)
{
    if (client == NULL)
        return;
    spotify__free(client->api_base_url);
    spotify__free(client->accounts_base_url);
    if (client->owns_auth)
        spotify_auth_free(client->auth);
    spotify__pool_ref_release(&client->pool);
    spotify__free(client->accept_language);
    spotify__strbuf_release(&client->spare);
    spotify__free(client);
}

const char *spotify_client_api_base_url(const spotify_client *client)
{
    return client != NULL ? client->api_base_url : NULL;
}

const char *spotify_client_accounts_base_url(const spotify_client *client)
{
    return client != NULL ? client->accounts_base_url : NULL;
}

/* ---- raw requests ---- */

static bool method_known(const char *method)
{
    static const char *const methods[] = {"GET", "POST", "PUT", "DELETE"};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(method, methods[i]) == 0)
            return true;
    return false;
}

static spotify_status request_check(const spotify_request *request, spotify_error *err)
{
    if (request == NULL || request->version != SPOTIFY_REQUEST_VERSION)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: request is NULL or of an unknown "
                                  "version (use SPOTIFY_REQUEST_INIT)");
    if (request->method == NULL || !method_known(request->method))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: method must be GET, POST, PUT or DELETE");
    if (request->path == NULL || request->path[0] != '/' ||
        !spotify__http_header_value_safe(request->path))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: path must start with '/' and hold no "
                                  "line break");
    if (request->query_count > 0 && request->query == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: query_count > 0 but query is NULL");
    if (request->accept_language != NULL &&
        !spotify__http_header_value_safe(request->accept_language))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: accept_language holds a line break");
    for (size_t i = 0; i < request->query_count; i++)
        if (request->query[i].key == NULL || request->query[i].key[0] == '\0')
            return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                      "spotify_client_send: query parameter %zu has no key", i);
    return SPOTIFY_OK;
}

/* Checks a raw request and builds its target ("/path?query") into `target`. */
static spotify_status raw_target(spotify__strbuf *target, const spotify_request *request,
                                 spotify_error *err)
{
    spotify_status st = request_check(request, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__strbuf_append_str(target, request->path);
    bool first = strchr(request->path, '?') == NULL;
    for (size_t i = 0; i < request->query_count; i++) {
        if (request->query[i].value == NULL)
            continue;
        spotify__strbuf_append_char(target, first ? '?' : '&');
        first = false;
        spotify__param param = {request->query[i].key, request->query[i].value};
        spotify__form_encode(target, &param, 1);
    }
    return target->failed ? spotify__error_oom(err) : SPOTIFY_OK;
}

void spotify__web_request_init(spotify__web_request *request)
{
    memset(request, 0, sizeof *request);
    spotify__strbuf_init(&request->target);
    spotify__strbuf_init(&request->body);
    spotify__strbuf_init(&request->full_url);
    spotify__strbuf_init(&request->language_header);
    spotify__strbuf_init(&request->content_type_header);
}

void spotify__web_request_release(spotify__web_request *request)
{
    if (request == NULL)
        return;
    spotify__strbuf_release(&request->target);
    spotify__strbuf_release(&request->body);
    spotify__strbuf_release(&request->full_url);
    spotify__strbuf_release(&request->language_header);
    spotify__strbuf_release(&request->content_type_header);
}

const char *spotify__web_request_body(const spotify__web_request *request, size_t *len)
{
    *len = 0;
    if (!request->has_body)
        return NULL;
    if (request->raw_body != NULL) {
        *len = request->raw_len;
        return request->raw_body;
    }
    *len = request->body.len;
    return spotify__strbuf_cstr(&request->body);
}

spotify_status spotify__web_request_from_raw(spotify__web_request *out,
                                             const spotify_request *request, spotify_error *err)
{
    spotify__web_request_init(out);
    spotify_status st = raw_target(&out->target, request, err);
    if (st != SPOTIFY_OK)
        return st;
    out->method = request->method;
    out->raw_body = request->body;
    out->raw_len = request->body_len;
    out->has_body = request->body != NULL;
    out->accept_language = request->accept_language;
    return SPOTIFY_OK;
}

spotify_status spotify__response_adopt(spotify_response **out, spotify__http_response *http,
                                       spotify_error *err)
{
    spotify_response *response = spotify__calloc(1, sizeof *response);
    if (response == NULL)
        return spotify__error_oom(err);
    response->http_status = http->status;
    response->attempts = http->attempt;
    if (http->content_type[0] != '\0')
        response->content_type = spotify__strdup(http->content_type);
    response->body = spotify__strbuf_detach(&http->body, &response->body_len);
    if (response->body == NULL || (http->content_type[0] != '\0' && !response->content_type)) {
        spotify_response_free(response);
        return spotify__error_oom(err);
    }
    *out = response;
    return SPOTIFY_OK;
}

/* Secrets of one call: the token and the header built from it. */
typedef struct call_credentials {
    char token[SPOTIFY_ACCESS_TOKEN_MAX];
    char header[SPOTIFY_ACCESS_TOKEN_MAX + 32];
} call_credentials;

/*
 * Runs `request` (whose headers[0] is reserved for Authorization) with the
 * provider's token. A 401 with a refreshable provider forces one refresh and
 * one retry; a second 401 is returned as it is.
 */
static spotify_status send_authorized(spotify_client *client, spotify__http_request *request,
                                      spotify__http_response *response, spotify_error *err)
{
    /* On the stack (no allocation per call); only the bytes used are wiped
     * at the end (wiping both whole buffers cost more than the rest of the
     * call's bookkeeping). */
    call_credentials stack_creds;
    call_credentials *creds = &stack_creds;
    creds->token[0] = creds->header[0] = '\0';
    spotify_status st = spotify__auth_access_token(client->auth, false, NULL, creds->token,
                                                   sizeof creds->token, err);
    for (bool refreshed = false; st == SPOTIFY_OK;) {
        snprintf(creds->header, sizeof creds->header, "Authorization: Bearer %s", creds->token);
        request->headers[0] = creds->header;
        st = spotify__http_execute(&client->http, request, response, err);
        if (st != SPOTIFY_EAUTH || response->status != 401 || refreshed ||
            !spotify_auth_can_refresh(client->auth))
            break;
        refreshed = true;
        char rejected[SPOTIFY_ACCESS_TOKEN_MAX];
        memcpy(rejected, creds->token, sizeof rejected);
        st = spotify__auth_access_token(client->auth, true, rejected, creds->token,
                                        sizeof creds->token, err);
        spotify__wipe(rejected, sizeof rejected);
    }
    spotify__wipe(creds->token, strnlen(creds->token, sizeof creds->token));
    spotify__wipe(creds->header, strnlen(creds->header, sizeof creds->header));
    return st;
}

static spotify_status prepared_check(const spotify__web_request *request, spotify_error *err);

/* The header lines of a prepared request, after the Authorization slot. */
static void prepare_headers(spotify__web_request *request, const char *accept_language)
{
    spotify__http_request *http = &request->http;
    http->headers[http->header_count++] = NULL; /* Authorization, set per attempt */
    if (http->body != NULL && request->content_type != NULL) {
        spotify__strbuf_appendf(&request->content_type_header, "Content-Type: %s",
                                request->content_type);
        http->headers[http->header_count++] = spotify__strbuf_cstr(&request->content_type_header);
    } else if (http->body != NULL) {
        http->headers[http->header_count++] = "Content-Type: application/json";
    }
    if (accept_language != NULL) {
        spotify__strbuf_appendf(&request->language_header, "Accept-Language: %s", accept_language);
        http->headers[http->header_count++] = spotify__strbuf_cstr(&request->language_header);
    }
}

spotify_status spotify__client_prepare(spotify__web_request *request, const spotify_client *client,
                                       spotify_error *err)
{
    spotify_status st = prepared_check(request, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__http_request *http = &request->http;
    memset(http, 0, sizeof *http);
    spotify__strbuf_reset(&request->full_url);
    if (request->url == NULL) {
        spotify__strbuf_append_str(&request->full_url, client->api_base_url);
        spotify__strbuf_append(&request->full_url, request->target.data, request->target.len);
    } else {
        spotify__strbuf_append_str(&request->full_url, request->url);
    }
    http->method = request->method;
    http->body = spotify__web_request_body(request, &http->body_len);
    http->idempotent = strcmp(request->method, "POST") != 0;
    prepare_headers(request, request->accept_language != NULL ? request->accept_language
                                                              : client->accept_language);
    http->url = spotify__strbuf_cstr(&request->full_url);
    if (request->full_url.failed || request->language_header.failed ||
        request->content_type_header.failed)
        return spotify__error_oom(err);
    return SPOTIFY_OK;
}

/* Steps 2 and 3 of the record (client_internal.h): prepared, then sent with
 * the token; `response` holds the last attempt. */
static spotify_status send_request(spotify_client *client, spotify__web_request *request,
                                   spotify__http_response *response, spotify_error *err)
{
    spotify_status st = spotify__client_prepare(request, client, err);
    if (st == SPOTIFY_OK)
        st = send_authorized(client, &request->http, response, err);
    return st;
}

spotify_status spotify_client_send(spotify_response **out, spotify_client *client,
                                   const spotify_request *request, spotify_error *err)
{
    if (out == NULL || client == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: out and client must not be NULL");
    *out = NULL;
    spotify__web_request web;
    spotify__http_response http_response;
    spotify__http_response_init(&http_response);
    spotify_status st = spotify__web_request_from_raw(&web, request, err);
    if (st == SPOTIFY_OK)
        st = send_request(client, &web, &http_response, err);
    if (st == SPOTIFY_OK)
        st = spotify__response_adopt(out, &http_response, err);
    spotify__http_response_release(&http_response);
    spotify__web_request_release(&web);
    return st;
}

/* ---- the API layer's entry (client_internal.h) ---- */

/* Takes the spare body buffer, when there is one and no other thread holds
 * the slot, into `body` (emptied). */
static void spare_take(spotify_client *client, spotify__strbuf *body)
{
    int full = SPARE_FULL;
    if (!atomic_compare_exchange_strong(&client->spare_state, &full, SPARE_BUSY))
        return;
    *body = client->spare;
    spotify__strbuf_init(&client->spare);
    atomic_store(&client->spare_state, SPARE_EMPTY);
    spotify__strbuf_reset(body);
}

/* Keeps `body`'s memory as the spare when the slot is free (`body` is left
 * empty then); otherwise leaves it to the caller. */
static void spare_put(spotify_client *client, spotify__strbuf *body)
{
    if (body->data == NULL || body->failed || body->cap > SPARE_MAX)
        return;
    int empty = SPARE_EMPTY;
    if (!atomic_compare_exchange_strong(&client->spare_state, &empty, SPARE_BUSY))
        return;
    client->spare = *body;
    spotify__strbuf_init(body);
    atomic_store(&client->spare_state, SPARE_FULL);
}

static spotify_status prepared_check(const spotify__web_request *request, spotify_error *err)
{
    bool one_target = (request->target.len == 0) != (request->url == NULL);
    const char *strings[] = {spotify__strbuf_cstr(&request->target), request->url,
                             request->content_type, request->accept_language};
    bool safe = true;
    for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
        safe = safe && (strings[i] == NULL || spotify__http_header_value_safe(strings[i]));
    if (request->method == NULL || !method_known(request->method) || !one_target || !safe ||
        (request->raw_body == NULL && request->raw_len > 0))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "request: bad method, target or header value");
    return SPOTIFY_OK;
}

spotify_status spotify__client_send(spotify__http_response *out, spotify_client *client,
                                    spotify__web_request *request, spotify_error *err)
{
    spotify__http_response_init(out);
    spare_take(client, &out->body);
    return send_request(client, request, out, err);
}

void spotify__client_response_release(spotify_client *client, spotify__http_response *response)
{
    if (response == NULL)
        return;
    if (client != NULL)
        spare_put(client, &response->body);
    spotify__http_response_release(response);
}

const spotify__http_context *spotify__client_http(const spotify_client *client)
{
    return &client->http;
}

bool spotify__client_checks_scopes(const spotify_client *client)
{
    return client->check_scopes;
}

spotify_auth *spotify__client_auth(const spotify_client *client)
{
    return client != NULL ? client->auth : NULL;
}

void spotify_response_free(spotify_response *response)
{
    if (response == NULL)
        return;
    spotify__free(response->body);
    spotify__free(response->content_type);
    spotify__free(response);
}
