/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/json.c - reading raw JSON text where spotctl has no model for it
 * (`api`: the pages of any answer, the `next` link, items one per line) and
 * writing the body `api -f` builds. Pure. The text read has been checked by
 * spotify_json_validate, so the scanner only finds its way and never
 * judges; a malformed value still ends it (NULL), never reads past `end`.
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

const char *spotctl_json_ws(const char *p, const char *end)
{
    while (p < end && is_ws(*p))
        p++;
    return p;
}

/* After the string that starts at p (at its opening quote). */
static const char *skip_string(const char *p, const char *end)
{
    for (p++; p < end; p++) {
        if (*p == '\\')
            p++;
        else if (*p == '"')
            return p + 1;
    }
    return NULL;
}

const char *spotctl_json_skip(const char *p, const char *end)
{
    p = spotctl_json_ws(p, end);
    if (p >= end)
        return NULL;
    if (*p == '"')
        return skip_string(p, end);
    if (*p != '{' && *p != '[') { /* a number, true, false, null */
        while (p < end && !is_ws(*p) && *p != ',' && *p != '}' && *p != ']')
            p++;
        return p;
    }
    int depth = 0;
    while (p < end) {
        if (*p == '"') {
            p = skip_string(p, end);
            if (p == NULL)
                return NULL;
            continue;
        }
        if (*p == '{' || *p == '[')
            depth++;
        else if (*p == '}' || *p == ']')
            depth--;
        p++;
        if (depth == 0)
            return p;
    }
    return NULL;
}

bool spotctl_json_next(const char **cursor, const char *end, const char **key, size_t *key_len,
                       const char **value, const char **value_end)
{
    const char *p = spotctl_json_ws(*cursor, end);
    if (p < end && (*p == '{' || *p == '[' || *p == ','))
        p = spotctl_json_ws(p + 1, end);
    if (p >= end || *p == '}' || *p == ']')
        return false;
    if (key != NULL) { /* an object member: "key": value */
        const char *k_end = *p == '"' ? skip_string(p, end) : NULL;
        if (k_end == NULL)
            return false;
        *key = p + 1;
        *key_len = (size_t)(k_end - p - 2);
        p = spotctl_json_ws(k_end, end);
        if (p >= end || *p != ':')
            return false;
        p = spotctl_json_ws(p + 1, end);
    }
    const char *v_end = spotctl_json_skip(p, end);
    if (v_end == NULL)
        return false;
    *value = p;
    *value_end = v_end;
    *cursor = v_end;
    return true;
}

bool spotctl_json_member(const char *obj, const char *end, const char *name, const char **value,
                         const char **value_end)
{
    obj = spotctl_json_ws(obj, end);
    if (obj >= end || *obj != '{')
        return false;
    const char *cursor = obj, *key;
    size_t key_len, name_len = strlen(name);
    while (spotctl_json_next(&cursor, end, &key, &key_len, value, value_end))
        if (key_len == name_len && memcmp(key, name, name_len) == 0)
            return true;
    return false;
}

bool spotctl_json_compact(spotctl_buf *out, const char *p, const char *end)
{
    while (p < end) {
        const char *run = p;
        while (p < end && !is_ws(*p) && *p != '"')
            p++;
        if (!spotctl_buf_add(out, run, (size_t)(p - run)))
            return false;
        if (p < end && *p == '"') {
            const char *s_end = skip_string(p, end);
            if (s_end == NULL)
                s_end = end;
            if (!spotctl_buf_add(out, p, (size_t)(s_end - p)))
                return false;
            p = s_end;
        }
        p = spotctl_json_ws(p, end);
    }
    return true;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Appends code point `cp` as UTF-8. */
static void put_utf8(char *out, size_t size, size_t *n, unsigned long cp)
{
    char b[4];
    size_t len;
    if (cp < 0x80) {
        b[0] = (char)cp, len = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 0x3F)), len = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F)), len = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | (cp >> 12 & 0x3F));
        b[2] = (char)(0x80 | (cp >> 6 & 0x3F)), b[3] = (char)(0x80 | (cp & 0x3F)), len = 4;
    }
    for (size_t i = 0; i < len && *n + 1 < size; i++)
        out[(*n)++] = b[i];
}

bool spotctl_json_string(char *out, size_t size, const char *p, const char *end)
{
    size_t n = 0;
    if (size == 0 || p >= end || *p != '"')
        return false;
    for (p++; p < end && *p != '"'; p++) {
        char c = *p;
        if (c == '\\' && p + 1 < end) {
            c = *++p;
            static const char from[] = "bfnrt", to[] = "\b\f\n\r\t";
            const char *k = strchr(from, c);
            if (c == 'u' && end - p > 4) {
                unsigned long cp = 0;
                for (int i = 1; i <= 4; i++) {
                    int d = hex_digit(p[i]);
                    if (d < 0)
                        return false;
                    cp = cp << 4 | (unsigned long)d;
                }
                p += 4;
                put_utf8(out, size, &n, cp); /* (surrogate pairs: not in URLs or ids) */
                continue;
            }
            if (k != NULL && c != '\0')
                c = to[k - from];
        }
        if (n + 1 >= size)
            return false;
        out[n++] = c;
    }
    out[n] = '\0';
    return p < end;
}

bool spotctl_json_int(const char *p, const char *end, int64_t *out)
{
    char text[32];
    size_t len = (size_t)(end - p);
    if (len == 0 || len >= sizeof text)
        return false;
    memcpy(text, p, len);
    text[len] = '\0';
    return spotctl_parse_int(text, INT64_MIN, INT64_MAX, out);
}

/* ------------------------------------------------------------------ */
/* A JSON body from KEY=VALUE fields (api -f/-F), gh's syntax          */
/* ------------------------------------------------------------------ */

/* A node of the body being built: an object, an array or a value. */
typedef enum node_kind { NODE_VALUE = 0, NODE_OBJECT, NODE_ARRAY } node_kind;
typedef struct node {
    char *key; /* member name (NULL in arrays and at the root) */
    node_kind kind;
    char *json; /* NODE_VALUE: the value as JSON text */
    struct node *first, *last, *next;
} node;

static void node_free(node *n)
{
    while (n != NULL) {
        node *next = n->next;
        node_free(n->first);
        free(n->key);
        free(n->json);
        free(n);
        n = next;
    }
}

static node *node_add(node *parent, const char *key, size_t key_len, node_kind kind)
{
    node *n = calloc(1, sizeof *n);
    if (n == NULL)
        return NULL;
    n->kind = kind;
    if (key != NULL && (n->key = strndup(key, key_len)) == NULL) {
        free(n);
        return NULL;
    }
    if (parent->last != NULL)
        parent->last->next = n;
    else
        parent->first = n;
    parent->last = n;
    return n;
}

static node *node_find(node *parent, const char *key, size_t key_len)
{
    for (node *n = parent->first; n != NULL; n = n->next)
        if (n->key != NULL && strlen(n->key) == key_len && memcmp(n->key, key, key_len) == 0)
            return n;
    return NULL;
}

bool spotctl_json_is_literal(const char *v)
{
    if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0 || strcmp(v, "null") == 0)
        return true;
    /* a JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
    const char *p = v;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return false;
    if (*p == '.') {
        if (!(*++p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

/* The container a path segment leads to, made when missing: `[]` appends
 * to an array (a new element when the next segment is a name the last
 * element already has, or the end); `[name]` or `name` is an object member. */
static node *descend(node *at, const char *seg, size_t len, bool append, const char *next_seg,
                     size_t next_len, node_kind kind, char *why, size_t why_size)
{
    if (append) {
        if (at->kind != NODE_ARRAY) {
            snprintf(why, why_size, "[] after something that is not a list");
            return NULL;
        }
        node *last = at->last;
        bool reuse = last != NULL && kind == NODE_OBJECT && last->kind == NODE_OBJECT &&
                     next_seg != NULL && node_find(last, next_seg, next_len) == NULL;
        return reuse ? last : node_add(at, NULL, 0, kind);
    }
    if (at->kind != NODE_OBJECT) {
        snprintf(why, why_size, "[%.*s] inside a list: write KEY[][%.*s]", (int)len, seg, (int)len,
                 seg);
        return NULL;
    }
    node *found = node_find(at, seg, len);
    if (found != NULL && (found->kind != kind || kind == NODE_VALUE)) {
        snprintf(why, why_size, "\"%.*s\" is given twice, or as a value and a container", (int)len,
                 seg);
        return NULL;
    }
    return found != NULL ? found : node_add(at, seg, len, kind);
}

/* Adds field KEY (name, name[], name[sub], name[][sub]...) with value `json`
 * (NULL: KEY[] alone, an empty list). */
static bool add_field(node *root, const char *key, char *json, char *why, size_t why_size)
{
    /* the segments: the name, then each [...] */
    const char *seg[16];
    size_t len[16];
    bool append[16];
    size_t n = 0;
    const char *p = key;
    size_t first = strcspn(p, "[");
    seg[n] = p, len[n] = first, append[n++] = false;
    for (p += first; *p == '[' && n < 16;) {
        const char *close = strchr(p, ']');
        if (close == NULL)
            break;
        seg[n] = p + 1, len[n] = (size_t)(close - p - 1), append[n] = len[n] == 0, n++;
        p = close + 1;
    }
    if (first == 0 || *p != '\0' || n == 16) {
        snprintf(why, why_size, "\"%s\" is not KEY, KEY[], KEY[NAME] or KEY[][NAME]", key);
        free(json);
        return false;
    }
    if (json == NULL && !append[n - 1]) {
        snprintf(why, why_size, "\"%s\" has no value (only KEY[] may go without one)", key);
        return false;
    }
    node *at = root;
    size_t last = json == NULL ? n - 1 : n; /* KEY[] alone: the list itself */
    for (size_t i = 0; i < last && at != NULL; i++) {
        node_kind kind = i + 1 == last   ? (json == NULL ? NODE_ARRAY : NODE_VALUE)
                         : append[i + 1] ? NODE_ARRAY
                                         : NODE_OBJECT;
        at = descend(at, seg[i], len[i], append[i], i + 1 < n ? seg[i + 1] : NULL,
                     i + 1 < n ? len[i + 1] : 0, kind, why, why_size);
    }
    if (at == NULL) {
        free(json);
        return false;
    }
    if (json != NULL)
        at->json = json;
    return true;
}

static bool write_node(spotctl_buf *b, const node *n)
{
    if (n->kind == NODE_VALUE)
        return spotctl_buf_str(b, n->json);
    bool ok = spotctl_buf_str(b, n->kind == NODE_OBJECT ? "{" : "[");
    for (const node *c = n->first; ok && c != NULL; c = c->next) {
        if (c != n->first)
            ok = spotctl_buf_str(b, ",");
        if (ok && n->kind == NODE_OBJECT)
            ok = spotctl_buf_json_string(b, c->key) && spotctl_buf_str(b, ":");
        ok = ok && write_node(b, c);
    }
    return ok && spotctl_buf_str(b, n->kind == NODE_OBJECT ? "}" : "]");
}

bool spotctl_json_body(spotctl_buf *out, const spotctl_field *fields, size_t n, char *why,
                       size_t why_size)
{
    node root = {NULL, NODE_OBJECT, NULL, NULL, NULL, NULL};
    bool ok = true;
    why[0] = '\0';
    for (size_t i = 0; ok && i < n; i++) {
        char *json = NULL;
        if (fields[i].value != NULL) {
            spotctl_buf v = {0};
            ok = fields[i].typed && spotctl_json_is_literal(fields[i].value)
                     ? spotctl_buf_str(&v, fields[i].value)
                     : spotctl_buf_json_string(&v, fields[i].value);
            json = v.data;
            if (!ok) {
                free(json);
                break;
            }
        }
        ok = add_field(&root, fields[i].key, json, why, why_size);
    }
    ok = ok && write_node(out, &root);
    if (!ok && why[0] == '\0')
        snprintf(why, why_size, "out of memory");
    node_free(root.first);
    return ok;
}
