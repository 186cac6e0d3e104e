/* SPDX-License-Identifier: Apache-2.0 */
/*
 * fake_browser.c - a scripted "browser" for the local authorization tests.
 *
 *   fake_browser URL
 *
 * Follows the authorization URL like a user would: GET /authorize, then
 * (consent page) POST the decision, then GET the redirect to the loopback
 * callback. FAKE_BROWSER_MODE picks the script:
 *   approve (default) | deny   the consent page's buttons
 *   forge      GET redirect_uri?code=forged&state=forged (never /authorize)
 *   nocode     GET redirect_uri with no parameters (expects 400), then stop
 *   wrongpath  GET /not-the-callback on the callback port (expects 404),
 *              then approve
 *   fail       exit 1 at once (a broken $BROWSER entry)
 * FAKE_BROWSER_LOG names a file that gets one line per step ("callback 200
 * ok", "wrongpath 404", "leak" if the result page shows the code or state).
 * FAKE_BROWSER_ADDRESS names a file: approve and deny then write the
 * address the consent page redirects to there (what a user copies from the
 * address bar for a paste-back login) instead of loading it.
 * Exit status 0 when the script ran. Never prints a code or state.
 */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct response {
    long status;
    char *body;
    size_t len;
    char location[2048];
} response;

static FILE *log_file;

/* Logs "what [detail] status". */
static void note(const char *what, const char *detail, long status)
{
    if (log_file == NULL)
        return;
    fprintf(log_file, "%s%s%s %ld\n", what, detail[0] ? " " : "", detail, status);
    fflush(log_file);
}

static size_t on_body(char *data, size_t size, size_t n, void *user)
{
    response *r = user;
    size_t len = size * n;
    char *grown = realloc(r->body, r->len + len + 1);
    if (grown == NULL)
        return 0;
    memcpy(grown + r->len, data, len);
    r->len += len;
    grown[r->len] = '\0';
    r->body = grown;
    return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *user)
{
    response *r = user;
    size_t len = size * n;
    if (len > 9 && strncasecmp(data, "Location:", 9) == 0) {
        size_t start = 9;
        while (start < len && data[start] == ' ')
            start++;
        size_t end = len;
        while (end > start && (data[end - 1] == '\r' || data[end - 1] == '\n'))
            end--;
        size_t copy = end - start < sizeof r->location - 1 ? end - start : sizeof r->location - 1;
        memcpy(r->location, data + start, copy);
        r->location[copy] = '\0';
    }
    return len;
}

/* One request (no redirect following). `post` NULL means GET. */
static bool fetch(response *r, const char *url, const char *post)
{
    memset(r, 0, sizeof *r);
    CURL *h = curl_easy_init();
    if (h == NULL)
        return false;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    if (post != NULL)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, post);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_cleanup(h);
    return rc == CURLE_OK;
}

/* The decoded value of `key` in the query of `url` (malloc'd) or NULL. */
static char *query_value(const char *url, const char *key)
{
    const char *q = strchr(url, '?');
    size_t klen = strlen(key);
    for (const char *p = q; p != NULL; p = strchr(p + 1, '&')) {
        if (strncmp(p + 1, key, klen) == 0 && p[1 + klen] == '=') {
            const char *v = p + 2 + klen;
            size_t n = strcspn(v, "&#");
            char *raw = curl_easy_unescape(NULL, v, (int)n, NULL);
            char *copy = raw != NULL ? strdup(raw) : NULL;
            curl_free(raw);
            return copy;
        }
    }
    return NULL;
}

/* "http://host:port" of `url` into `out`. */
static void origin_of(const char *url, char *out, size_t size)
{
    const char *p = strstr(url, "://");
    p = p != NULL ? p + 3 : url;
    size_t n = (size_t)(p - url) + strcspn(p, "/?#");
    snprintf(out, size, "%.*s", (int)n, url);
}

/* GETs the callback URL and checks the page for leaks. */
static int callback(const char *url)
{
    response r;
    if (!fetch(&r, url, NULL)) {
        note("callback", "transport-error", 0);
        free(r.body);
        return 1;
    }
    char *code = query_value(url, "code");
    char *state = query_value(url, "state");
    const char *body = r.body != NULL ? r.body : "";
    if ((code != NULL && strstr(body, code) != NULL) || (state != NULL && strstr(body, state)))
        note("leak", "", r.status);
    bool ok = strstr(body, "You are signed in") != NULL;
    bool closable = strstr(body, "close this tab") != NULL;
    note("callback", ok ? "ok" : (closable ? "failed" : "no-page"), r.status);
    free(code);
    free(state);
    free(r.body);
    return 0;
}

/* /authorize, consent page, decision, callback. */
static int consent(const char *url, const char *decision)
{
    response r;
    if (!fetch(&r, url, NULL))
        return 1;
    char next[2048];
    snprintf(next, sizeof next, "%s", r.location);
    if (r.status == 200 && r.body != NULL) {
        const char *mark = "name=\"request_id\" value=\"";
        const char *id = strstr(r.body, mark);
        if (id == NULL) {
            free(r.body);
            return 1;
        }
        id += strlen(mark);
        char form[512];
        snprintf(form, sizeof form, "request_id=%.*s&decision=%s", (int)strcspn(id, "\""), id,
                 decision);
        char origin[256], action[300];
        origin_of(url, origin, sizeof origin);
        snprintf(action, sizeof action, "%s/authorize/decision", origin);
        free(r.body);
        if (!fetch(&r, action, form))
            return 1;
        snprintf(next, sizeof next, "%s", r.location);
    }
    note("authorize", decision, r.status);
    free(r.body);
    if (next[0] == '\0')
        return 1;
    const char *address = getenv("FAKE_BROWSER_ADDRESS");
    if (address != NULL && address[0] != '\0') {
        FILE *f = fopen(address, "w");
        if (f == NULL)
            return 1;
        fprintf(f, "%s\n", next);
        return fclose(f) == 0 ? 0 : 1;
    }
    return callback(next);
}

/* GET <redirect_uri origin><path><query>; logs `what` and the status. */
static int poke(const char *url, const char *what, bool origin_only, const char *suffix)
{
    char *redirect = query_value(url, "redirect_uri");
    if (redirect == NULL)
        return 1;
    char target[2048];
    if (origin_only) {
        char origin[256];
        origin_of(redirect, origin, sizeof origin);
        snprintf(target, sizeof target, "%s%s", origin, suffix);
    } else {
        snprintf(target, sizeof target, "%s%s", redirect, suffix);
    }
    free(redirect);
    response r;
    bool ok = fetch(&r, target, NULL);
    note(what, "", ok ? r.status : 0);
    free(r.body);
    return ok ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *mode = getenv("FAKE_BROWSER_MODE");
    if (mode == NULL || mode[0] == '\0')
        mode = "approve";
    if (strcmp(mode, "fail") == 0 || argc < 2)
        return 1;
    const char *log_path = getenv("FAKE_BROWSER_LOG");
    if (log_path != NULL && log_path[0] != '\0')
        log_file = fopen(log_path, "a");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *url = argv[1];
    int rc = 1;
    if (strcmp(mode, "approve") == 0 || strcmp(mode, "deny") == 0) {
        rc = consent(url, mode);
    } else if (strcmp(mode, "forge") == 0) {
        rc = poke(url, "forge", false, "?code=forged-code&state=forged-state");
    } else if (strcmp(mode, "nocode") == 0) {
        rc = poke(url, "nocode", false, "");
    } else if (strcmp(mode, "wrongpath") == 0) {
        rc = poke(url, "wrongpath", true, "/not-the-callback");
        if (rc == 0)
            rc = consent(url, "approve");
    }
    curl_global_cleanup();
    if (log_file != NULL)
        fclose(log_file);
    return rc;
}
