/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/cmd_api.c - `api`, the raw request for anything the
 * other commands do not cover, at `gh api`'s level: a path or a full URL
 * of the API (never another origin: the token stays with the API), -X,
 * typed -f/-F fields for a JSON body (or the query of a GET), --input,
 * -i for the status line and headers, and --paginate through `next`.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

/* What `api` sends: built from the command line before anything is sent. */
typedef struct api_call {
    char method[8];
    char *path; /* below the API base, Owned (from a path or a full URL) */
    spotify_param *params;
    size_t nparams;
    char **keys;   /* Owned keys of params */
    char **values; /* Owned values (-F @FILE) */
    char *body;
    size_t body_len;
    bool include, paginate;
} api_call;

static void api_call_free(api_call *c)
{
    for (size_t i = 0; i < c->nparams; i++) {
        free(c->keys[i]);
        free(c->values[i]);
    }
    free(c->keys);
    free(c->values);
    free(c->params);
    free(c->path);
    free(c->body);
}

static int oom(void)
{
    return spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
}

/* The method: METHOD before PATH, or -X; upper-cased, one of four. */
static int api_method(api_call *c, const spotctl_args *args, bool *given)
{
    const char *positional = args->npos == 2 ? args->pos[0] : NULL;
    const char *flag = spotctl_args_get(args, "method");
    *given = positional != NULL || flag != NULL;
    if (positional != NULL && flag != NULL && strcasecmp(positional, flag) != 0)
        return spotctl_usage("api", "the method is given twice (%s and -X %s)", positional, flag);
    const char *m = positional != NULL ? positional : flag != NULL ? flag : "GET";
    size_t len = strlen(m);
    if (len >= sizeof c->method)
        len = sizeof c->method - 1;
    for (size_t i = 0; i < len; i++)
        c->method[i] = (char)toupper((unsigned char)m[i]);
    c->method[len] = '\0';
    static const char *const known[] = {"GET", "POST", "PUT", "DELETE"};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(c->method, known[i]) == 0)
            return 0;
    return spotctl_usage("api", "METHOD must be GET, POST, PUT or DELETE (got \"%s\")", m);
}

/* PATH ("/me", "me", "/search?q=x") or a full URL of the API. */
static int api_path(api_call *c, const spotctl_ctx *ctx, const char *input)
{
    char path[4096];
    if (strncasecmp(input, "http://", 7) == 0 || strncasecmp(input, "https://", 8) == 0) {
        char base[1024];
        spotctl_api_base(base, sizeof base, &ctx->env);
        if (!spotctl_api_path_of_url(path, sizeof path, input, base))
            return spotctl_usage("api",
                                 "%s is not on the API (%s): spotctl sends its token only there; "
                                 "give a path (/me) or a URL below the API base",
                                 input, base);
    } else {
        snprintf(path, sizeof path, "%s%s", input[0] == '/' ? "" : "/", input);
    }
    c->path = strdup(path);
    return c->path != NULL ? 0 : oom();
}

/* --query K=V and, for a GET (or beside --input/--data), the fields. */
static int add_param(api_call *c, const char *key, size_t key_len, const char *value, char *owned)
{
    size_t i = c->nparams++;
    c->keys[i] = strndup(key, key_len);
    c->values[i] = owned;
    c->params[i].key = c->keys[i];
    c->params[i].value = value;
    return c->keys[i] != NULL ? 0 : oom();
}

/* A field's value: -F KEY=@FILE reads FILE (@- stdin) as text. */
static int field_value(const char *value, bool from_file, char **owned)
{
    *owned = NULL;
    if (!from_file || value == NULL || value[0] != '@')
        return 0;
    size_t len;
    return spotctl_read_input(owned, &len, "-F @", value + 1, SPOTCTL_INPUT_MAX);
}

/* The fields (-f, then -F) as query parameters, or as a JSON body. */
static int api_fields(api_call *c, const spotctl_args *args, bool to_query)
{
    size_t nf = 0, nF = 0;
    const char *const *f = spotctl_args_multi(args, "field", &nf);
    const char *const *F = spotctl_args_multi(args, "file-field", &nF);
    size_t n = nf + nF;
    if (n == 0)
        return 0;
    spotctl_field *fields = calloc(n, sizeof *fields);
    char **owned = calloc(n, sizeof *owned);
    int rc = fields == NULL || owned == NULL ? oom() : 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const char *text = i < nf ? f[i] : F[i - nf];
        const char *eq = strchr(text, '=');
        if (eq == text || (eq == NULL && strstr(text, "[]") == NULL)) {
            rc =
                spotctl_usage("api", "%s takes KEY=VALUE (got \"%s\")", i < nf ? "-f" : "-F", text);
            break;
        }
        size_t key_len = eq != NULL ? (size_t)(eq - text) : strlen(text);
        rc = field_value(eq != NULL ? eq + 1 : NULL, i >= nf, &owned[i]);
        const char *value = owned[i] != NULL ? owned[i] : eq != NULL ? eq + 1 : NULL;
        if (rc == 0 && to_query) {
            rc = add_param(c, text, key_len, value != NULL ? value : "", owned[i]);
            owned[i] = NULL;
        } else if (rc == 0) {
            fields[i].key = strndup(text, key_len);
            fields[i].value = value;
            fields[i].typed = owned[i] == NULL;
            rc = fields[i].key != NULL ? 0 : oom();
        }
    }
    if (rc == 0 && !to_query) {
        spotctl_buf body = {0};
        char why[256];
        if (!spotctl_json_body(&body, fields, n, why, sizeof why))
            rc = spotctl_usage("api", "-f/-F: %s", why);
        c->body = body.data;
        c->body_len = body.len;
    }
    for (size_t i = 0; fields != NULL && owned != NULL && i < n; i++) {
        free((char *)(uintptr_t)fields[i].key);
        free(owned[i]);
    }
    free(fields);
    free(owned);
    return rc;
}

/* --data JSON|@FILE (checked JSON) or --input FILE|- (sent as it is). */
static int api_body(api_call *c, const spotctl_args *args)
{
    const char *data = spotctl_args_get(args, "data");
    const char *input = spotctl_args_get(args, "input");
    if (data != NULL && input != NULL)
        return spotctl_usage("api", "give --data or --input, not both");
    if (input != NULL)
        return spotctl_read_input(&c->body, &c->body_len, "--input ", input, SPOTCTL_INPUT_MAX);
    if (data == NULL)
        return 0;
    int rc =
        data[0] == '@'
            ? spotctl_read_input(&c->body, &c->body_len, "--data @", data + 1, SPOTCTL_INPUT_MAX)
            : ((c->body = strdup(data)) != NULL ? (c->body_len = strlen(data), 0) : oom());
    spotify_error err = {0};
    if (rc == 0 && spotify_json_validate(c->body, c->body_len, &err) != SPOTIFY_OK)
        rc = spotctl_failf(SPOTIFY_EINVALID,
                           "--data takes JSON text, or @FILE to read it from a file",
                           "--data is not valid JSON: %s", err.message);
    return rc;
}

static int api_prepare(api_call *c, spotctl_ctx *ctx, const spotctl_args *args)
{
    memset(c, 0, sizeof *c);
    if (args->npos < 1 || args->npos > 2)
        return spotctl_usage("api", "give PATH, or METHOD and PATH (e.g. spotctl api /me)");
    bool method_given;
    int rc = api_method(c, args, &method_given);
    if (rc == 0)
        rc = api_path(c, ctx, args->pos[args->npos - 1]);
    if (rc != 0)
        return rc;
    size_t nq = 0, nf = 0, nF = 0;
    const char *const *queries = spotctl_args_multi(args, "query", &nq);
    spotctl_args_multi(args, "field", &nf);
    spotctl_args_multi(args, "file-field", &nF);
    size_t room = nq + nf + nF + 1;
    c->params = calloc(room, sizeof *c->params);
    c->keys = calloc(room, sizeof *c->keys);
    c->values = calloc(room, sizeof *c->values);
    if (c->params == NULL || c->keys == NULL || c->values == NULL)
        return oom();
    for (size_t i = 0; rc == 0 && i < nq; i++) {
        const char *eq = strchr(queries[i], '=');
        rc = eq == NULL || eq == queries[i]
                 ? spotctl_usage("api", "--query takes KEY=VALUE (got \"%s\")", queries[i])
                 : add_param(c, queries[i], (size_t)(eq - queries[i]), eq + 1, NULL);
    }
    if (rc == 0)
        rc = api_body(c, args);
    /* gh's rule: fields make a POST's body unless the method is GET or a
     * body comes from --input/--data, where they go to the query */
    if (!method_given && nf + nF > 0 && c->body == NULL)
        snprintf(c->method, sizeof c->method, "POST");
    bool to_query = strcmp(c->method, "GET") == 0 || c->body != NULL;
    if (rc == 0)
        rc = api_fields(c, args, to_query);
    c->include = spotctl_args_has(args, "include");
    c->paginate = spotctl_args_has(args, "paginate");
    if (rc == 0 && c->paginate && strcmp(c->method, "GET") != 0)
        return spotctl_usage("api", "--paginate follows the pages of a GET (not %s)", c->method);
    return rc;
}

/* A raw request refused for its scope ("Insufficient client scope": Spotify
 * does not say which): the scope the operation at METHOD PATH needs and
 * the login lacks, named in the login hint; NULL for any other refusal. */
static const char *forbidden_hint(spotctl_ctx *ctx, char *hint, size_t size, const char *method,
                                  const char *path, const spotify_error *err)
{
    if (err->status != SPOTIFY_EFORBIDDEN || strstr(err->message, "scope") == NULL)
        return NULL;
    spotify_token token;
    memset(&token, 0, sizeof token);
    spotify_error terr = {0};
    char missing[256];
    bool found = spotify_auth_token_get(&token, ctx->auth, &terr) == SPOTIFY_OK &&
                 spotctl_scopes_lacking(missing, sizeof missing, method, path, token.scope);
    if (found)
        spotctl_scope_hint(hint, size, missing, token.scope);
    spotify_token_clear(&token);
    return found ? hint : NULL;
}

static const char *reason_phrase(int status)
{
    static const struct {
        int status;
        const char *text;
    } reasons[] = {
        {200, "OK"},
        {201, "Created"},
        {202, "Accepted"},
        {204, "No Content"},
        {301, "Moved Permanently"},
        {302, "Found"},
        {304, "Not Modified"},
        {307, "Temporary Redirect"},
        {400, "Bad Request"},
        {401, "Unauthorized"},
        {403, "Forbidden"},
        {404, "Not Found"},
        {405, "Method Not Allowed"},
        {413, "Payload Too Large"},
        {429, "Too Many Requests"},
        {500, "Internal Server Error"},
        {502, "Bad Gateway"},
        {503, "Service Unavailable"},
    };
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].status == status)
            return reasons[i].text;
    return "";
}

/* -i: the status line and the headers the SDK keeps (redacted), a blank
 * line. */
static void print_head(int status, const char *content_type, int64_t retry_after_ms)
{
    printf("HTTP %d %s\n", status, reason_phrase(status));
    char clean[512];
    if (content_type != NULL) {
        spotify_redact(clean, sizeof clean, content_type);
        spotctl_clean_controls(clean);
        printf("Content-Type: %s\n", clean);
    }
    if (retry_after_ms >= 0)
        printf("Retry-After: %lld\n", (long long)((retry_after_ms + 999) / 1000));
    printf("\n");
}

/* True when the object at `obj` is a page: its `items` is a list. */
static bool is_page(const char *obj, const char *end)
{
    const char *v, *v_end;
    return spotctl_json_member(obj, end, "items", &v, &v_end) && *v == '[';
}

/* The page in an answer: the answer itself when it is one, else its first
 * member that is ({"artists":{...}} of search and followed artists, the
 * playlist's "items"). false when there is none. */
static bool find_page(const char *body, const char *end, const char **page, const char **page_end)
{
    if (is_page(body, end)) {
        *page = spotctl_json_ws(body, end);
        *page_end = end;
        return true;
    }
    const char *cursor = spotctl_json_ws(body, end), *key;
    size_t key_len;
    if (cursor >= end || *cursor != '{')
        return false;
    while (spotctl_json_next(&cursor, end, &key, &key_len, page, page_end))
        if (is_page(*page, *page_end))
            return true;
    return false;
}

/* One answer: the body as sent (text), or with --json on one line; with
 * --paginate (`paginate`) and --json one line per item of its page (the
 * whole body on one line when it has no page). Fills *next with the page's next link ("" at the
 * end), *count with its items and *total with its total (-1: none). */
typedef struct page_info {
    char next[4096];
    int64_t count;
    int64_t total;
} page_info;

static int print_answer(const spotctl_ctx *ctx, const spotify_response *r, bool paginate,
                        page_info *info)
{
    info->next[0] = '\0';
    info->count = 0;
    info->total = -1;
    const char *body = r->body, *end = r->body + r->body_len;
    const char *page = NULL, *page_end = NULL, *items, *items_end, *v, *v_end;
    bool has_page = paginate && r->body_len > 0 && find_page(body, end, &page, &page_end) &&
                    spotctl_json_member(page, page_end, "items", &items, &items_end);
    spotctl_buf line = {0};
    bool ok = true;
    if (has_page) {
        const char *cursor = items;
        const char *item, *item_end;
        while (spotctl_json_next(&cursor, items_end, NULL, NULL, &item, &item_end)) {
            info->count++;
            if (ctx->json) {
                line.len = 0;
                ok = ok && spotctl_json_compact(&line, item, item_end) &&
                     spotctl_buf_str(&line, "\n");
                if (ok)
                    fwrite(line.data, 1, line.len, stdout);
            }
        }
        if (spotctl_json_member(page, page_end, "total", &v, &v_end))
            spotctl_json_int(v, v_end, &info->total);
        if (spotctl_json_member(page, page_end, "next", &v, &v_end) &&
            !spotctl_json_string(info->next, sizeof info->next, v, v_end))
            info->next[0] = '\0';
    }
    if (r->body_len > 0 && (!ctx->json || !has_page)) {
        if (ctx->json) {
            ok = spotctl_json_compact(&line, body, end) && spotctl_buf_str(&line, "\n");
            if (ok)
                fwrite(line.data, 1, line.len, stdout);
        } else {
            fwrite(body, 1, r->body_len, stdout);
            if (body[r->body_len - 1] != '\n')
                fputc('\n', stdout);
        }
    }
    spotctl_buf_free(&line);
    return ok ? 0 : oom();
}

/* The pages already fetched, to stop at a repeat. */
typedef struct seen_list {
    char **paths;
    size_t n;
} seen_list;

static bool seen_add(seen_list *s, const char *path)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->paths[i], path) == 0)
            return false;
    char **grown = realloc(s->paths, (s->n + 1) * sizeof *grown);
    if (grown == NULL)
        return false;
    s->paths = grown;
    s->paths[s->n] = strdup(path);
    return s->paths[s->n++] != NULL;
}

static void seen_free(seen_list *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->paths[i]);
    free(s->paths);
}

/* Sends the call, and with --paginate each next page, printing each. */
static int api_send(spotctl_ctx *ctx, api_call *c)
{
    spotctl_progress progress;
    spotctl_progress_start(&progress, c->paginate && spotctl_progress_allowed(ctx, true), "api", -1,
                           ctx->term_width);
    seen_list seen = {0};
    int rc = seen_add(&seen, c->path) ? 0 : oom();
    int64_t items = 0;
    char *path = c->path;
    for (bool first = true; rc == 0; first = false) {
        spotify_request request = SPOTIFY_REQUEST_INIT;
        request.method = c->method;
        request.path = path;
        request.query = first ? c->params : NULL;
        request.query_count = first ? c->nparams : 0;
        request.body = c->body;
        request.body_len = c->body_len;
        spotify_response *response = NULL;
        spotify_error err = {0};
        spotify_status st = spotify_client_send(&response, ctx->client, &request, &err);
        if (progress.enabled)
            fputs("\r\033[K", stderr);
        if (st != SPOTIFY_OK) {
            if (c->include && err.http_status > 0) {
                print_head(err.http_status, NULL, err.retry_after_ms);
                if (err.body[0] != '\0')
                    printf("%s\n", err.body);
            }
            char hint[1200];
            rc = spotctl_fail(st, &err,
                              forbidden_hint(ctx, hint, sizeof hint, c->method, path, &err));
            break;
        }
        if (c->include)
            print_head(response->http_status, response->content_type, -1);
        page_info info;
        rc = print_answer(ctx, response, c->paginate, &info);
        spotify_response_free(response);
        items += info.count;
        if (info.total >= 0)
            spotctl_progress_total(&progress, info.total);
        spotctl_progress_step(&progress, info.count);
        if (rc != 0 || !c->paginate || info.next[0] == '\0' || info.count == 0 ||
            (info.total >= 0 && items >= info.total) || spotctl_interrupted)
            break;
        char next[4096], base[1024];
        spotctl_api_base(base, sizeof base, &ctx->env);
        if (!spotctl_api_path_of_url(next, sizeof next, info.next, base)) {
            rc = spotctl_failf(SPOTIFY_EPROTOCOL, NULL,
                               "the next page is not on the API (%s): not followed", info.next);
            break;
        }
        if (!seen_add(&seen, next)) {
            spotctl_warn("the next page repeats one already fetched (%s): stopped", info.next);
            break;
        }
        path = seen.paths[seen.n - 1];
    }
    spotctl_progress_end(&progress);
    seen_free(&seen);
    if (rc == 0 && spotctl_interrupted)
        rc = spotctl_fail(SPOTIFY_ECANCELLED, NULL, NULL);
    return rc;
}

int spotctl_cmd_api(spotctl_ctx *ctx, spotctl_args *args)
{
    api_call c;
    int rc = api_prepare(&c, ctx, args);
    if (rc == 0)
        rc = spotctl_ready(ctx);
    if (rc == 0)
        rc = api_send(ctx, &c);
    api_call_free(&c);
    return rc;
}
