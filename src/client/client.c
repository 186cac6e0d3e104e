/* client/client.c - client configuration and raw authenticated requests. */
#include <spotify/client.h>

#include <string.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/env.h"
#include "../core/error.h"
#include "../core/strbuf.h"
#include "../core/urlencode.h"
#include "../http/execute.h"

struct spotify_client {
    char *api_base_url;      /* without a trailing '/' */
    char *accounts_base_url; /* without a trailing '/' */
    char *authorization;     /* "Authorization: Bearer ..." (secret) */
    char *accept_language;   /* may be NULL */
    spotify__cooldown cooldown;
    spotify__http_context http;
};

spotify_status spotify_client_options_init(spotify_client_options *opts, unsigned int version)
{
    if (opts == NULL || version != SPOTIFY_CLIENT_OPTIONS_VERSION)
        return SPOTIFY_EINVALID;
    spotify_client_options defaults = SPOTIFY_CLIENT_OPTIONS_INIT;
    *opts = defaults;
    return SPOTIFY_OK;
}

/* True when `s` holds no byte that could end or split an HTTP header line. */
static bool header_safe(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s == '\r' || *s == '\n')
            return false;
    return true;
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
        !header_safe(url) || strchr(url, '?') != NULL || strchr(url, '#') != NULL)
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

static spotify_status client_auth_setup(spotify_client *client, const char *access_token,
                                        spotify_error *err)
{
    if (access_token == NULL || access_token[0] == '\0')
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "no credentials: give the client an access token");
    if (!header_safe(access_token))
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "the access token contains a line break");
    spotify__strbuf header = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_appendf(&header, "Authorization: Bearer %s", access_token);
    client->authorization = spotify__strbuf_detach(&header, NULL);
    return client->authorization != NULL ? SPOTIFY_OK : spotify__error_oom(err);
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
        st = client_auth_setup(client, o->access_token, err);
    if (st != SPOTIFY_OK)
        return st;
    if (o->accept_language != NULL && o->accept_language[0] != '\0') {
        if (!header_safe(o->accept_language))
            return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                      "accept_language contains a line break");
        client->accept_language = spotify__strdup(o->accept_language);
        if (client->accept_language == NULL)
            return spotify__error_oom(err);
    }
    spotify__transport_options transport_opts = {o->user_agent, o->ca_file};
    st = spotify__transport_new(&client->http.transport, &transport_opts, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__cooldown_init(&client->cooldown);
    client->http.policy = spotify__retry_policy_from_options(&o->retry);
    client->http.timeouts = spotify__timeouts_resolve(&o->timeouts);
    client->http.clock = spotify__clock_resolve(o->clock);
    client->http.cooldown = &client->cooldown;
    client->http.observer = o->observer;
    client->http.observer_user = o->observer_user;
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
    spotify__transport_free(client->http.transport);
    spotify__free(client->api_base_url);
    spotify__free(client->accounts_base_url);
    spotify__free_secret(client->authorization);
    spotify__free(client->accept_language);
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
    if (request->path == NULL || request->path[0] != '/' || !header_safe(request->path))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: path must start with '/' and hold no "
                                  "line break");
    if (request->query_count > 0 && request->query == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: query_count > 0 but query is NULL");
    if (request->accept_language != NULL && !header_safe(request->accept_language))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: accept_language holds a line break");
    for (size_t i = 0; i < request->query_count; i++)
        if (request->query[i].key == NULL || request->query[i].key[0] == '\0')
            return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                      "spotify_client_send: query parameter %zu has no key", i);
    return SPOTIFY_OK;
}

static bool url_build(spotify__strbuf *url, const spotify_client *client,
                      const spotify_request *request)
{
    spotify__strbuf_append_str(url, client->api_base_url);
    spotify__strbuf_append_str(url, request->path);
    bool first = strchr(request->path, '?') == NULL;
    for (size_t i = 0; i < request->query_count; i++) {
        if (request->query[i].value == NULL)
            continue;
        spotify__strbuf_append_char(url, first ? '?' : '&');
        first = false;
        spotify__param param = {request->query[i].key, request->query[i].value};
        spotify__form_encode(url, &param, 1);
    }
    return !url->failed;
}

static spotify_status response_adopt(spotify_response **out, spotify__http_response *http,
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

spotify_status spotify_client_send(spotify_response **out, spotify_client *client,
                                   const spotify_request *request, spotify_error *err)
{
    if (out == NULL || client == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_client_send: out and client must not be NULL");
    *out = NULL;
    spotify_status st = request_check(request, err);
    if (st != SPOTIFY_OK)
        return st;
    spotify__strbuf url = SPOTIFY__STRBUF_INIT;
    spotify__strbuf language = SPOTIFY__STRBUF_INIT;
    const char *accept_language =
        request->accept_language != NULL ? request->accept_language : client->accept_language;
    if (accept_language != NULL)
        spotify__strbuf_appendf(&language, "Accept-Language: %s", accept_language);
    spotify__http_request http_request = {
        .method = request->method,
        .url = spotify__strbuf_cstr(&url),
        .body = request->body,
        .body_len = request->body_len,
        .idempotent = strcmp(request->method, "POST") != 0,
    };
    http_request.headers[http_request.header_count++] = client->authorization;
    if (request->body != NULL)
        http_request.headers[http_request.header_count++] = "Content-Type: application/json";
    if (accept_language != NULL)
        http_request.headers[http_request.header_count++] = spotify__strbuf_cstr(&language);
    spotify__http_response http_response;
    spotify__http_response_init(&http_response);
    if (!url_build(&url, client, request) || language.failed) {
        st = spotify__error_oom(err);
    } else {
        http_request.url = spotify__strbuf_cstr(&url);
        st = spotify__http_execute(&client->http, &http_request, &http_response, err);
        if (st == SPOTIFY_OK)
            st = response_adopt(out, &http_response, err);
    }
    spotify__http_response_release(&http_response);
    spotify__strbuf_release(&url);
    spotify__strbuf_release(&language);
    return st;
}

void spotify_response_free(spotify_response *response)
{
    if (response == NULL)
        return;
    spotify__free(response->body);
    spotify__free(response->content_type);
    spotify__free(response);
}
