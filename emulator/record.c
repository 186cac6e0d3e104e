/* SPDX-License-Identifier: Apache-2.0 */
/*
 * record.c - record and replay (record.h): forwarding with libcurl, the
 * exchange files, the replay index.
 */
#include "record.h"

#include <curl/curl.h>

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api.h"
#include "app.h"
#include "core/alloc.h"
#include "core/arena.h"
#include "core/crypto.h"
#include "core/urlencode.h"
#include "json/json.h"
#include "json/json_write.h"
#include "strmap.h"

#define UPSTREAM_TIMEOUT_S 30L
#define FILE_MAX (16 * 1024 * 1024)

/* A stored response (replay). */
typedef struct exchange_file {
    int status;
    const char *content_type; /* NULL: none */
    const char *retry_after;
    const char *location;
    const char *upstream; /* the base its links name */
    const char *body;
    size_t body_len;
} exchange_file;

struct emu_recorder {
    bool recording;
    char *dir;
    char *upstream;          /* recording: without a trailing "/" or "/v1" */
    spotify__arena *arena;   /* replay entries, interned content types */
    emu_strmap *entries;     /* replay: key -> exchange_file */
    emu_strmap *types;       /* interned content types */
    pthread_mutex_t mutex;   /* types, arena (recording) */
    atomic_size_t count;     /* loaded or written */
    atomic_uint file_serial; /* temporary file names */
};

/* ---- keys ------------------------------------------------------------- */

static int pair_order(const void *a, const void *b)
{
    const emu_form_pair *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c != 0 ? c : strcmp(x->value, y->value);
}

/* The request's query, decoded, sorted by name then value, re-encoded
 * (the raw query when it does not decode). */
static void canonical_query(emu_request *req, spotify__strbuf *out)
{
    const emu_form *form = emu_request_query(req);
    if (form == NULL) {
        spotify__strbuf_append_str(out, req->query);
        return;
    }
    emu_form_pair pairs[EMU_FORM_MAX];
    size_t n = form->count;
    memcpy(pairs, form->pairs, n * sizeof pairs[0]);
    qsort(pairs, n, sizeof pairs[0], pair_order);
    for (size_t i = 0; i < n; i++) {
        spotify__param p = {pairs[i].key, pairs[i].value};
        if (i > 0)
            spotify__strbuf_append_char(out, '&');
        spotify__form_encode(out, &p, 1);
    }
}

/* "METHOD PATH?QUERY": what identifies an exchange. */
static void exchange_key(emu_request *req, spotify__strbuf *path, spotify__strbuf *query,
                         spotify__strbuf *key)
{
    spotify__strbuf_append(path, req->path, req->path_len);
    canonical_query(req, query);
    spotify__strbuf_appendf(key, "%s %s?%s", req->method, spotify__strbuf_cstr(path),
                            spotify__strbuf_cstr(query));
}

/* ---- serving ---------------------------------------------------------- */

/* A copy of content type `s` that lives as long as the recorder. */
static const char *intern_type(emu_recorder *rec, const char *s, size_t len)
{
    pthread_mutex_lock(&rec->mutex);
    const char *t = emu_strmap_get(rec->types, s, len);
    if (t == NULL) {
        char *copy = spotify__arena_strndup(rec->arena, s, len);
        if (copy != NULL && emu_strmap_put(rec->types, s, len, copy))
            t = copy;
    }
    pthread_mutex_unlock(&rec->mutex);
    return t;
}

/* Appends `body` with every "<from>/v1/" turned into "<to>/v1/". */
static void rewrite_links(spotify__strbuf *out, const char *body, size_t len, const char *from,
                          const char *to)
{
    char needle[512];
    int n = snprintf(needle, sizeof needle, "%s/v1/", from);
    if (n <= 4 || (size_t)n >= sizeof needle) {
        spotify__strbuf_append(out, body, len);
        return;
    }
    const char *p = body, *end = body + len;
    for (;;) {
        const char *hit = memmem(p, (size_t)(end - p), needle, (size_t)n);
        if (hit == NULL)
            break;
        spotify__strbuf_append(out, p, (size_t)(hit - p));
        spotify__strbuf_append_str(out, to);
        spotify__strbuf_append_str(out, "/v1/");
        p = hit + n;
    }
    spotify__strbuf_append(out, p, (size_t)(end - p));
}

/* Fills `reply` with a response, its links pointing at this emulator. */
static void serve(emu_reply *reply, const struct emu_app *app, const exchange_file *x)
{
    spotify__strbuf_reset(&reply->body);
    rewrite_links(&reply->body, x->body, x->body_len, x->upstream, app->base_url);
    reply->status = x->status;
    reply->content_type = x->content_type;
    reply->retry_after = x->retry_after != NULL ? (int)strtol(x->retry_after, NULL, 10) : -1;
    if (x->location != NULL) {
        spotify__strbuf loc = SPOTIFY__STRBUF_INIT;
        rewrite_links(&loc, x->location, strlen(x->location), x->upstream, app->base_url);
        reply->location = spotify__strbuf_detach(&loc, NULL);
    }
    if (reply->body.failed)
        emu_reply_api_error(reply, 500, "Out of memory");
}

/* ---- files ------------------------------------------------------------ */

/* The file of `key`: DIR/<first 16 bytes of SHA-256, hex>.json. */
static void file_name(const emu_recorder *rec, const spotify__strbuf *key, char *out, size_t size)
{
    uint8_t digest[32];
    char hex[33];
    spotify__sha256(key->data, key->len, digest);
    for (int i = 0; i < 16; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    snprintf(out, size, "%s/%s.json", rec->dir, hex);
}

/* Writes one exchange (temporary file, then rename). */
static void store(emu_recorder *rec, emu_request *req, const exchange_file *x)
{
    spotify__strbuf path = SPOTIFY__STRBUF_INIT, query = SPOTIFY__STRBUF_INIT,
                    key = SPOTIFY__STRBUF_INIT, text = SPOTIFY__STRBUF_INIT;
    exchange_key(req, &path, &query, &key);
    spotify__json_writer w;
    spotify__jw_init(&w, &text);
    spotify__jw_begin_object(&w);
    spotify__jw_key(&w, "method");
    spotify__jw_cstring(&w, req->method);
    spotify__jw_key(&w, "path");
    spotify__jw_string(&w, path.data, path.len);
    spotify__jw_key(&w, "query");
    spotify__jw_string(&w, spotify__strbuf_cstr(&query), query.len);
    spotify__jw_key(&w, "upstream");
    spotify__jw_cstring(&w, x->upstream);
    spotify__jw_key(&w, "status");
    spotify__jw_int64(&w, x->status);
    spotify__jw_key(&w, "headers");
    spotify__jw_begin_object(&w);
    static const char *const names[] = {"content-type", "retry-after", "location"};
    const char *values[] = {x->content_type, x->retry_after, x->location};
    for (int i = 0; i < 3; i++) {
        if (values[i] == NULL)
            continue;
        spotify__jw_key(&w, names[i]);
        spotify__jw_cstring(&w, values[i]);
    }
    spotify__jw_end_object(&w);
    spotify__jw_key(&w, "body");
    spotify__jw_string(&w, x->body, x->body_len);
    spotify__jw_end_object(&w);
    spotify__strbuf_append_char(&text, '\n');
    char final[1024], tmp[1100];
    file_name(rec, &key, final, sizeof final);
    snprintf(tmp, sizeof tmp, "%s.tmp.%ld.%u", final, (long)getpid(),
             atomic_fetch_add(&rec->file_serial, 1));
    FILE *f = spotify__jw_ok(&w) && !text.failed ? fopen(tmp, "w") : NULL;
    bool ok = f != NULL && fwrite(text.data, 1, text.len, f) == text.len;
    ok = (f != NULL && fclose(f) == 0) && ok;
    if (ok && rename(tmp, final) == 0)
        atomic_fetch_add(&rec->count, 1);
    else if (f != NULL)
        unlink(tmp);
    if (!ok)
        fprintf(stderr, "spotify-emulator: cannot record %s: %s\n", final, strerror(errno));
    spotify__strbuf_release(&path);
    spotify__strbuf_release(&query);
    spotify__strbuf_release(&key);
    spotify__strbuf_release(&text);
}

/* ---- recording -------------------------------------------------------- */

/* What comes back from the upstream. */
typedef struct upstream_reply {
    spotify__strbuf body;
    char content_type[256];
    char retry_after[32];
    char location[1024];
} upstream_reply;

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    upstream_reply *u = user;
    size_t n = size * count;
    if (u->body.len + n > FILE_MAX)
        return 0;
    spotify__strbuf_append(&u->body, data, n);
    return u->body.failed ? 0 : n;
}

/* Copies header `name`'s value (trimmed) into `out` when `line` is it. */
static void take_header(const char *line, size_t len, const char *name, char *out, size_t size)
{
    size_t n = strlen(name);
    if (len <= n || strncasecmp(line, name, n) != 0 || line[n] != ':')
        return;
    const char *v = line + n + 1;
    const char *end = line + len;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
        end--;
    snprintf(out, size, "%.*s", (int)(end - v), v);
}

static size_t on_header(char *data, size_t size, size_t count, void *user)
{
    upstream_reply *u = user;
    size_t n = size * count;
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) { /* a new response (after 100 Continue) */
        u->content_type[0] = u->retry_after[0] = u->location[0] = '\0';
        return n;
    }
    take_header(data, n, "Content-Type", u->content_type, sizeof u->content_type);
    take_header(data, n, "Retry-After", u->retry_after, sizeof u->retry_after);
    take_header(data, n, "Location", u->location, sizeof u->location);
    return n;
}

/* Adds request header `name` to `list` when the request has it. */
static struct curl_slist *pass_header(struct curl_slist *list, emu_request *req, const char *name)
{
    const char *value = emu_request_header(req, name);
    if (value == NULL)
        return list;
    spotify__strbuf line = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_appendf(&line, "%s: %s", name, value);
    struct curl_slist *grown = line.failed ? NULL : curl_slist_append(list, line.data);
    spotify__strbuf_release_secret(&line); /* it may be the Authorization header */
    return grown != NULL ? grown : list;
}

/* Forwards the request; false (a 502 in `reply`) when no answer came. */
static bool forward(emu_recorder *rec, emu_request *req, upstream_reply *u, long *status,
                    emu_reply *reply)
{
    spotify__strbuf url = SPOTIFY__STRBUF_INIT;
    spotify__strbuf_append_str(&url, rec->upstream);
    spotify__strbuf_append(&url, req->path, req->path_len);
    if (req->query[0] != '\0') {
        spotify__strbuf_append_char(&url, '?');
        spotify__strbuf_append_str(&url, req->query);
    }
    CURL *curl = curl_easy_init();
    struct curl_slist *headers = NULL;
    static const char *const passed[] = {"Authorization", "Content-Type", "Accept",
                                         "Accept-Language"};
    for (size_t i = 0; i < sizeof passed / sizeof passed[0]; i++)
        headers = pass_header(headers, req, passed[i]);
    headers = curl_slist_append(headers, "Expect:");
    CURLcode rc = CURLE_OUT_OF_MEMORY;
    if (curl != NULL && !url.failed) {
        curl_easy_setopt(curl, CURLOPT_URL, url.data);
        curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
        curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(curl, CURLOPT_WRITEDATA, u);
        curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(curl, CURLOPT_HEADERDATA, u);
        curl_easy_setopt(curl, CURLOPT_TIMEOUT, UPSTREAM_TIMEOUT_S);
        curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
        if (strcmp(req->method, "HEAD") == 0)
            curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
        else if (strcmp(req->method, "GET") != 0)
            curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, req->method);
        if (req->body_len > 0 || strcmp(req->method, "POST") == 0 ||
            strcmp(req->method, "PUT") == 0) {
            curl_easy_setopt(curl, CURLOPT_POSTFIELDS, req->body);
            curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
        }
        rc = curl_easy_perform(curl);
        curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, status);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    spotify__strbuf_release(&url);
    if (rc != CURLE_OK || *status < 100) {
        char message[256];
        snprintf(message, sizeof message, "Bad gateway: the upstream did not answer (%s)",
                 curl_easy_strerror(rc));
        emu_reply_api_error(reply, 502, message);
        return false;
    }
    return true;
}

/* Whether a response says something about the resource: not a 401 (the
 * token's business, which replay checks itself), a 429 or a 5xx
 * (passing states that would otherwise be replayed for ever). */
static bool storable(long status)
{
    return status != 401 && status != 429 && status < 500;
}

static void record_one(emu_recorder *rec, struct emu_app *app, emu_request *req, emu_reply *reply)
{
    upstream_reply u;
    memset(&u, 0, sizeof u);
    spotify__strbuf_init(&u.body);
    long status = 0;
    if (forward(rec, req, &u, &status, reply)) {
        exchange_file x = {(int)status,
                           u.content_type[0] != '\0'
                               ? intern_type(rec, u.content_type, strlen(u.content_type))
                               : NULL,
                           u.retry_after[0] != '\0' ? u.retry_after : NULL,
                           u.location[0] != '\0' ? u.location : NULL,
                           rec->upstream,
                           spotify__strbuf_cstr(&u.body),
                           u.body.len};
        if (storable(x.status))
            store(rec, req, &x);
        serve(reply, app, &x);
    }
    spotify__strbuf_release(&u.body);
}

/* ---- replaying -------------------------------------------------------- */

/* Member `key` of object `obj` as a string in the arena, or NULL. */
static const char *member(spotify__arena *arena, spotify__json obj, const char *key, size_t *len)
{
    const char *s;
    size_t n;
    if (!spotify__json_get_string(spotify__json_get(obj, key), &s, &n))
        return NULL;
    if (len != NULL)
        *len = n;
    return spotify__arena_strndup(arena, s, n);
}

/* Reads one exchange file into the index. */
static bool load_file(emu_recorder *rec, const char *path, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    char *text = f == NULL ? NULL : spotify__malloc(FILE_MAX + 1);
    size_t n = text == NULL ? 0 : fread(text, 1, FILE_MAX + 1, f);
    if (f != NULL)
        fclose(f);
    spotify__arena *scratch = spotify__arena_new(0);
    spotify__json root = {NULL, 0};
    spotify_error jerr = {0};
    bool ok = text != NULL && scratch != NULL && n <= FILE_MAX &&
              spotify__json_parse(&root, scratch, text, n, n, &jerr) == SPOTIFY_OK;
    exchange_file *x = ok ? spotify__arena_calloc(rec->arena, 1, sizeof *x) : NULL;
    int64_t status = 0;
    const char *method = NULL, *rpath = NULL, *query = NULL;
    if (x != NULL) {
        spotify__json headers = spotify__json_get(root, "headers");
        method = member(scratch, root, "method", NULL);
        rpath = member(scratch, root, "path", NULL);
        query = member(scratch, root, "query", NULL);
        x->upstream = member(rec->arena, root, "upstream", NULL);
        x->body = member(rec->arena, root, "body", &x->body_len);
        x->content_type = member(rec->arena, headers, "content-type", NULL);
        x->retry_after = member(rec->arena, headers, "retry-after", NULL);
        x->location = member(rec->arena, headers, "location", NULL);
        ok = spotify__json_get_int64(spotify__json_get(root, "status"), &status) && status >= 100 &&
             status <= 599 && method != NULL && rpath != NULL && query != NULL &&
             x->upstream != NULL && x->body != NULL;
        x->status = (int)status;
    }
    if (ok) {
        spotify__strbuf key = SPOTIFY__STRBUF_INIT;
        spotify__strbuf_appendf(&key, "%s %s?%s", method, rpath, query);
        ok = !key.failed && emu_strmap_put(rec->entries, key.data, key.len, x);
        spotify__strbuf_release(&key);
    }
    if (ok)
        atomic_fetch_add(&rec->count, 1);
    else
        snprintf(err, err_size, "%s: not a recorded exchange", path);
    spotify__arena_free(scratch);
    spotify__free(text);
    return ok;
}

static bool replay_one(emu_recorder *rec, struct emu_app *app, emu_request *req, emu_reply *reply)
{
    spotify__strbuf path = SPOTIFY__STRBUF_INIT, query = SPOTIFY__STRBUF_INIT,
                    key = SPOTIFY__STRBUF_INIT;
    exchange_key(req, &path, &query, &key);
    const exchange_file *x = key.failed ? NULL : emu_strmap_get(rec->entries, key.data, key.len);
    spotify__strbuf_release(&path);
    spotify__strbuf_release(&query);
    spotify__strbuf_release(&key);
    if (x == NULL)
        return false;
    emu_grant grant;
    if (emu_api_authorize(app, req, reply, &grant))
        serve(reply, app, x);
    return true;
}

/* ---- life ------------------------------------------------------------- */

static emu_recorder *recorder_new(const char *dir, bool recording)
{
    emu_recorder *rec = spotify__calloc(1, sizeof *rec);
    if (rec == NULL)
        return NULL;
    rec->recording = recording;
    rec->dir = spotify__strdup(dir);
    rec->arena = spotify__arena_new(0);
    rec->entries = emu_strmap_new();
    rec->types = emu_strmap_new();
    pthread_mutex_init(&rec->mutex, NULL);
    if (rec->dir == NULL || rec->arena == NULL || rec->entries == NULL || rec->types == NULL) {
        emu_recorder_free(rec);
        return NULL;
    }
    size_t n = strlen(rec->dir);
    while (n > 1 && rec->dir[n - 1] == '/')
        rec->dir[--n] = '\0';
    return rec;
}

emu_recorder *emu_recorder_record(const char *dir, const char *upstream, char *err, size_t err_size)
{
    if (strncmp(upstream, "http://", 7) != 0 && strncmp(upstream, "https://", 8) != 0) {
        snprintf(err, err_size, "--upstream %s: not an http:// or https:// URL", upstream);
        return NULL;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        snprintf(err, err_size, "--record %s: %s", dir, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode) || access(dir, W_OK) != 0) {
        snprintf(err, err_size, "--record %s: not a writable directory", dir);
        return NULL;
    }
    emu_recorder *rec = recorder_new(dir, true);
    if (rec == NULL || (rec->upstream = spotify__strdup(upstream)) == NULL) {
        snprintf(err, err_size, "out of memory");
        emu_recorder_free(rec);
        return NULL;
    }
    size_t n = strlen(rec->upstream);
    while (n > 0 && rec->upstream[n - 1] == '/')
        rec->upstream[--n] = '\0';
    if (n >= 3 && strcmp(rec->upstream + n - 3, "/v1") == 0)
        rec->upstream[n - 3] = '\0';
    return rec;
}

emu_recorder *emu_recorder_replay(const char *dir, char *err, size_t err_size)
{
    DIR *d = opendir(dir);
    if (d == NULL) {
        snprintf(err, err_size, "--replay %s: %s", dir, strerror(errno));
        return NULL;
    }
    emu_recorder *rec = recorder_new(dir, false);
    bool ok = rec != NULL;
    if (!ok)
        snprintf(err, err_size, "out of memory");
    struct dirent *e;
    while (ok && (e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", rec->dir, e->d_name);
        ok = load_file(rec, path, err, err_size);
    }
    closedir(d);
    if (!ok) {
        emu_recorder_free(rec);
        return NULL;
    }
    return rec;
}

void emu_recorder_free(emu_recorder *rec)
{
    if (rec == NULL)
        return;
    emu_strmap_free(rec->entries);
    emu_strmap_free(rec->types);
    spotify__arena_free(rec->arena);
    pthread_mutex_destroy(&rec->mutex);
    spotify__free(rec->dir);
    spotify__free(rec->upstream);
    spotify__free(rec);
}

size_t emu_recorder_count(emu_recorder *rec)
{
    return atomic_load(&rec->count);
}

bool emu_recorder_handle(emu_recorder *rec, struct emu_app *app, emu_request *req, emu_reply *reply)
{
    if (!rec->recording)
        return replay_one(rec, app, req, reply);
    record_one(rec, app, req, reply);
    return true;
}
