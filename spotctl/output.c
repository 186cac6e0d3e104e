/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/output.c - what people and scripts read: errors in one format,
 * aligned tables cut to the terminal, durations, JSON and CSV escaping.
 * Formatting is pure; the printers are thin.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

int spotctl_exit_code(spotify_status status)
{
    switch (status) {
    case SPOTIFY_OK:
        return SPOTCTL_EXIT_OK;
    case SPOTIFY_ECONFIG:
    case SPOTIFY_EAUTH:
        return SPOTCTL_EXIT_AUTH;
    case SPOTIFY_EINVALID:
    case SPOTIFY_EBADREQUEST:
    case SPOTIFY_EFORBIDDEN:
    case SPOTIFY_ENOTFOUND:
        return SPOTCTL_EXIT_REFUSED;
    case SPOTIFY_ERATELIMIT:
        return SPOTCTL_EXIT_RATELIMIT;
    case SPOTIFY_ESERVER:
    case SPOTIFY_ETRANSPORT:
    case SPOTIFY_EPROTOCOL:
        return SPOTCTL_EXIT_NETWORK;
    case SPOTIFY_ECANCELLED:
        return SPOTCTL_EXIT_INTERRUPTED;
    case SPOTIFY_ENOMEM:
    case SPOTIFY_EIO:
    default:
        return SPOTCTL_EXIT_ERROR;
    }
}

/* A hint for errors where one helps and the command gave none (into `buf`
 * when it is made up). */
static const char *default_hint(char *buf, size_t size, spotify_status status,
                                const spotify_error *err)
{
    char missing[256], granted[512];
    switch (status) {
    case SPOTIFY_EAUTH:
        return "run `spotctl login` to log in again";
    case SPOTIFY_EFORBIDDEN:
        /* only a refusal that names a missing scope (the SDK's scope check)
         * can be helped by logging in again, with that scope */
        if (err == NULL || !spotctl_scopes_from_message(missing, sizeof missing, granted,
                                                        sizeof granted, err->message))
            return NULL;
        spotctl_scope_hint(buf, size, missing, granted);
        return buf;
    case SPOTIFY_ERATELIMIT:
        return err != NULL && err->retry_after_ms > 0 ? "Spotify asks to wait before retrying"
                                                      : NULL;
    case SPOTIFY_ETRANSPORT:
        return "check the network, or SPOTIFY_SDK_API_BASE_URL / SPOTIFY_SDK_ACCOUNTS_BASE_URL";
    default:
        return NULL;
    }
}

void spotctl_strip_function_names(char *s)
{
    char *out = s;
    for (const char *p = s; *p != '\0';) {
        /* "spotify_albums_get: " (or spotify__...) starting a word */
        bool word_start = p == s || p[-1] == ' ' || p[-1] == '(';
        size_t len = strncmp(p, "spotify_", 8) == 0 && word_start ? 8 : 0;
        while (len > 0 && ((p[len] >= 'a' && p[len] <= 'z') || (p[len] >= '0' && p[len] <= '9') ||
                           p[len] == '_'))
            len++;
        if (len > 8 && p[len] == ':' && p[len + 1] == ' ') {
            p += len + 2;
            continue;
        }
        *out++ = *p++;
    }
    *out = '\0';
}

static void print_error(spotify_status status, const char *message, const char *hint)
{
    char clean[1024];
    spotify_redact(clean, sizeof clean, message);
    spotctl_clean_controls(clean);       /* messages carry Spotify's text and names */
    spotctl_strip_function_names(clean); /* the SDK's names mean nothing here */
    fprintf(stderr, "spotctl: %s: %s\n", spotify_status_category(status), clean);
    if (hint != NULL && hint[0] != '\0')
        fprintf(stderr, "hint: %s\n", hint);
}

int spotctl_fail_about(const char *what, spotify_status status, const spotify_error *err,
                       const char *hint)
{
    const char *message =
        err != NULL && err->message[0] != '\0' ? err->message : spotify_status_str(status);
    char made[1200];
    if (hint == NULL)
        hint = default_hint(made, sizeof made, status, err);
    if (status == SPOTIFY_ECANCELLED)
        message = "interrupted";
    char full[SPOTIFY_ERROR_MESSAGE_SIZE + 256];
    snprintf(full, sizeof full, "%s%s%s", what != NULL ? what : "", what != NULL ? ": " : "",
             message);
    print_error(status, full, hint);
    if (status == SPOTIFY_ERATELIMIT && err != NULL && err->retry_after_ms > 0)
        fprintf(stderr, "retry after: %lld s\n", (long long)((err->retry_after_ms + 999) / 1000));
    return spotctl_exit_code(status);
}

int spotctl_fail(spotify_status status, const spotify_error *err, const char *hint)
{
    return spotctl_fail_about(NULL, status, err, hint);
}

int spotctl_failf(spotify_status status, const char *hint, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    print_error(status, message, hint);
    return spotctl_exit_code(status);
}

int spotctl_usage(const char *command, const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    char clean[600];
    spotify_redact(clean, sizeof clean, message);
    spotctl_clean_controls(clean);
    fprintf(stderr, "spotctl: usage: %s\n", clean);
    if (command != NULL && command[0] != '\0')
        fprintf(stderr, "Run 'spotctl %s --help' for usage.\n", command);
    else
        fprintf(stderr, "Run 'spotctl --help' for usage.\n");
    return SPOTCTL_EXIT_USAGE;
}

void spotctl_warn(const char *fmt, ...)
{
    char message[512], clean[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    spotify_redact(clean, sizeof clean, message);
    spotctl_clean_controls(clean);
    spotctl_strip_function_names(clean);
    fprintf(stderr, "spotctl: warning: %s\n", clean);
}

void spotctl_format_duration(char *out, size_t size, int64_t ms)
{
    if (ms < 0)
        ms = 0;
    int64_t s = (ms + 500) / 1000;
    if (s >= 3600)
        snprintf(out, size, "%lld:%02lld:%02lld", (long long)(s / 3600), (long long)(s / 60 % 60),
                 (long long)(s % 60));
    else
        snprintf(out, size, "%lld:%02lld", (long long)(s / 60), (long long)(s % 60));
}

static bool continuation(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

size_t spotctl_text_width(const char *s)
{
    size_t w = 0;
    for (; *s != '\0'; s++)
        if (!continuation((unsigned char)*s))
            w++;
    return w;
}

void spotctl_truncate(char *out, size_t size, const char *s, size_t width)
{
    if (size == 0)
        return;
    static const char ellipsis[] = "\xe2\x80\xa6"; /* … */
    size_t full = spotctl_text_width(s);
    size_t keep = full <= width ? full : (width > 0 ? width - 1 : 0);
    size_t cols = 0, i = 0;
    for (; s[i] != '\0'; i++) {
        if (!continuation((unsigned char)s[i])) {
            if (cols == keep)
                break;
            cols++;
        }
    }
    size_t room = full > width ? size - sizeof ellipsis : size - 1;
    if (size < sizeof ellipsis)
        room = size - 1;
    if (i > room) { /* cut at a code point boundary */
        i = room;
        while (i > 0 && continuation((unsigned char)s[i]))
            i--;
    }
    memcpy(out, s, i);
    out[i] = '\0';
    if (full > width && width > 0 && size >= i + sizeof ellipsis)
        memcpy(out + i, ellipsis, sizeof ellipsis);
}

bool spotctl_buf_add(spotctl_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL)
            return false;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return true;
}

bool spotctl_buf_str(spotctl_buf *b, const char *s)
{
    return spotctl_buf_add(b, s, strlen(s));
}

bool spotctl_buf_json_string(spotctl_buf *b, const char *s)
{
    if (s == NULL)
        return spotctl_buf_str(b, "null");
    bool ok = spotctl_buf_add(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; ok && *p != '\0'; p++) {
        char esc[8];
        switch (*p) {
        case '"':
            ok = spotctl_buf_str(b, "\\\"");
            break;
        case '\\':
            ok = spotctl_buf_str(b, "\\\\");
            break;
        case '\n':
            ok = spotctl_buf_str(b, "\\n");
            break;
        case '\r':
            ok = spotctl_buf_str(b, "\\r");
            break;
        case '\t':
            ok = spotctl_buf_str(b, "\\t");
            break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                ok = spotctl_buf_str(b, esc);
            } else {
                ok = spotctl_buf_add(b, (const char *)p, 1);
            }
        }
    }
    return ok && spotctl_buf_add(b, "\"", 1);
}

bool spotctl_buf_csv_field(spotctl_buf *b, const char *s)
{
    if (s == NULL)
        return true;
    if (strpbrk(s, ",\"\r\n") == NULL)
        return spotctl_buf_str(b, s);
    bool ok = spotctl_buf_add(b, "\"", 1);
    for (const char *p = s; ok && *p != '\0'; p++)
        ok = *p == '"' ? spotctl_buf_add(b, "\"\"", 2) : spotctl_buf_add(b, p, 1);
    return ok && spotctl_buf_add(b, "\"", 1);
}

void spotctl_buf_free(spotctl_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void spotctl_table_init(spotctl_table *t, const char *const *headers, size_t ncols)
{
    memset(t, 0, sizeof *t);
    t->headers = headers;
    t->ncols = ncols;
}

void spotctl_clean_controls(char *s)
{
    char *out = s;
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            *out++ = ' ';
        } else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
            *out++ = ' '; /* U+0080..U+009F (C1): one column, like the rest */
            p++;
        } else {
            *out++ = (char)*p;
        }
    }
    *out = '\0';
}

const char *spotctl_clean(char *out, size_t size, const char *s)
{
    if (size == 0)
        return "";
    snprintf(out, size, "%s", s != NULL ? s : "");
    spotctl_clean_controls(out);
    return out;
}

/* Control characters would break the layout; names never need them. */
static char *clean_cell(const char *s)
{
    char *copy = strdup(s != NULL && s[0] != '\0' ? s : "-");
    if (copy != NULL)
        spotctl_clean_controls(copy);
    return copy;
}

bool spotctl_table_add(spotctl_table *t, const char *const *cells)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        char **grown = realloc(t->cells, cap * t->ncols * sizeof *grown);
        if (grown == NULL)
            return false;
        t->cells = grown;
        t->cap = cap;
    }
    char **row = t->cells + t->nrows * t->ncols;
    for (size_t c = 0; c < t->ncols; c++) {
        row[c] = clean_cell(cells[c]);
        if (row[c] == NULL) {
            while (c-- > 0)
                free(row[c]);
            return false;
        }
    }
    t->nrows++;
    return true;
}

/* Column widths: natural widths, then the widest shrunk until the line fits
 * (no column below 6 unless it was narrower). Pure. */
static void fit_widths(size_t *w, size_t ncols, size_t width)
{
    if (width == 0)
        return;
    for (;;) {
        size_t total = 0, widest = 0;
        for (size_t c = 0; c < ncols; c++) {
            total += w[c] + (c > 0 ? 2 : 0);
            if (w[c] > w[widest])
                widest = c;
        }
        if (total <= width || w[widest] <= 6)
            return;
        size_t over = total - width;
        size_t second = 0;
        for (size_t c = 0; c < ncols; c++)
            if (c != widest && w[c] > second)
                second = w[c];
        size_t cut = w[widest] - (second > 6 ? second : 6);
        if (cut == 0 || cut > over)
            cut = over < w[widest] - 6 ? over : w[widest] - 6;
        if (cut == 0)
            cut = 1;
        w[widest] -= cut;
    }
}

static void print_cell(FILE *out, const char *text, size_t width, bool right, bool last)
{
    char cut[1024];
    spotctl_truncate(cut, sizeof cut, text, width);
    size_t pad = width - spotctl_text_width(cut);
    if (right)
        fprintf(out, "%*s%s", (int)pad, "", cut);
    else if (last)
        fputs(cut, out);
    else
        fprintf(out, "%s%*s", cut, (int)pad, "");
}

void spotctl_table_print(const spotctl_table *t, FILE *out, size_t width)
{
    if (t->nrows == 0)
        return; /* no header over nothing */
    size_t w[16] = {0};
    size_t ncols = t->ncols < 16 ? t->ncols : 16;
    for (size_t c = 0; c < ncols; c++) {
        w[c] = t->headers != NULL ? spotctl_text_width(t->headers[c]) : 0;
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = spotctl_text_width(t->cells[r * t->ncols + c]);
            if (cw > w[c])
                w[c] = cw;
        }
    }
    fit_widths(w, ncols, width);
    for (size_t r = t->headers != NULL ? 0 : 1; r <= t->nrows; r++) {
        for (size_t c = 0; c < ncols; c++) {
            const char *text = r == 0 ? t->headers[c] : t->cells[(r - 1) * t->ncols + c];
            if (c > 0)
                fputs("  ", out);
            print_cell(out, text, w[c], (t->right_aligned >> c) & 1u, c + 1 == ncols);
        }
        fputc('\n', out);
    }
}

void spotctl_table_free(spotctl_table *t)
{
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    memset(t, 0, sizeof *t);
}

void spotctl_join_artists(char *out, size_t size, const spotify_simplified_artist_list *artists)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t i = 0; artists != NULL && i < artists->count && used < size; i++) {
        const char *name = artists->items[i].name != NULL ? artists->items[i].name : "?";
        int n = snprintf(out + used, size - used, "%s%s", i > 0 ? ", " : "", name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

spotify_status spotctl_print_raw(const void *model, spotify_error *err)
{
    char *json = NULL;
    size_t len = 0;
    spotify_status st = spotify_model_raw_json(&json, &len, model, err);
    if (st != SPOTIFY_OK)
        return st;
    fwrite(json, 1, len, stdout);
    fputc('\n', stdout);
    spotify_free(json);
    return SPOTIFY_OK;
}
