/* SPDX-License-Identifier: Apache-2.0 */
/*
 * api/validate.c - checking an operation's arguments against what the Web
 * API accepts, before any byte is sent: a pure function over the descriptor
 * tables (api/ops_desc.h).
 *
 * Rules, by parameter kind: required parameters are given; strings are not
 * empty; IDs and URIs parse (bare ID, URI or open.spotify.com link) and have
 * an accepted type; lists are within their per-call maximum and hold no
 * NULL; integers and numbers are within their bounds; markets are ISO 3166-1
 * alpha-2 codes or "from_token"; enum values are known; JPEG data is base64
 * within 256 KB; required members of a JSON body are set.
 */
#include "execute.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../core/error.h"
#include "id_parse.h"

/* ---------- markets ---------- */

/* ISO 3166-1 alpha-2: the officially assigned codes, and XK (Kosovo, a
 * user-assigned code Spotify uses). Sorted, for bsearch. */
static const char markets[][3] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
};

bool spotify__market_valid(const char *market)
{
    if (market == NULL)
        return false;
    if (strcmp(market, "from_token") == 0)
        return true;
    if (strlen(market) != 2)
        return false;
    size_t lo = 0;
    size_t hi = sizeof markets / sizeof markets[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = memcmp(market, markets[mid], 2);
        if (c == 0)
            return true;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return false;
}

/* ---------- reporting ---------- */

typedef struct checker {
    const spotify_operation *op;
    unsigned flags;
    spotify_error *err;
    const spotify__op_walker *walker; /* NULL: validation only */
    size_t item;                      /* the list item being checked */
} checker;

/* The walker's hooks (a false return is out of memory). */
static spotify_status walk_begin(checker *c, const spotify__param_desc *p)
{
    if (c->walker == NULL || c->walker->begin(c->walker->user, p))
        return SPOTIFY_OK;
    return spotify__error_oom(c->err);
}

static spotify_status walk_end(checker *c, const spotify__param_desc *p)
{
    if (c->walker == NULL || c->walker->end(c->walker->user, p))
        return SPOTIFY_OK;
    return spotify__error_oom(c->err);
}

/* "spotify_<op>: <label>: <rule>" */
static spotify_status violation(checker *c, const char *label, const char *fmt, ...)
    SPOTIFY_PRINTF(3, 4);

static spotify_status violation(checker *c, const char *label, const char *fmt, ...)
{
    char rule[SPOTIFY_ERROR_MESSAGE_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rule, sizeof rule, fmt, ap);
    va_end(ap);
    return spotify__error_set(c->err, SPOTIFY_EINVALID, 0, "spotify_%s: %s: %s", c->op->name, label,
                              rule);
}

static spotify_status missing(checker *c, const char *label)
{
    return violation(c, label, "required parameter missing");
}

/* ---------- loads (args structs are read through offsets) ---------- */

static const char *load_str(const char *at)
{
    const char *s;
    memcpy(&s, at, sizeof s);
    return s;
}

static spotify_string_list load_list(const char *at)
{
    spotify_string_list list;
    memcpy(&list, at, sizeof list);
    return list;
}

/* ---------- one value ---------- */

static bool id_kind(uint8_t kind)
{
    return kind == SPOTIFY__PARAM_ID || kind == SPOTIFY__PARAM_IDS || kind == SPOTIFY__PARAM_URI ||
           kind == SPOTIFY__PARAM_URIS || kind == SPOTIFY__PARAM_URI_ITEMS ||
           kind == SPOTIFY__PARAM_USER;
}

static bool uri_kind(uint8_t kind)
{
    return kind == SPOTIFY__PARAM_URI || kind == SPOTIFY__PARAM_URIS ||
           kind == SPOTIFY__PARAM_URI_ITEMS;
}

/* An ID, URI or link of an accepted type; URI parameters want the type
 * said (a URI or a link, not a bare ID). */
static spotify_status check_id(checker *c, const spotify__param_desc *p, const char *label,
                               const char *value)
{
    spotify_id id;
    char why[SPOTIFY_ERROR_MESSAGE_SIZE - 64];
    uint32_t types =
        p->kind == SPOTIFY__PARAM_USER ? SPOTIFY__ID_BIT(SPOTIFY_ID_USER) : p->id_types;
    if (!spotify__id_parse_types(&id, value, types, why, sizeof why))
        return violation(c, label, "%s", why);
    if (uri_kind(p->kind) && strncmp(value, "spotify:", 8) != 0 && strncmp(value, "http", 4) != 0)
        return violation(c, label, "expected a Spotify URI or link, got a bare ID (\"%.40s\")",
                         value);
    if (c->walker != NULL && !c->walker->id(c->walker->user, p, c->item, &id))
        return spotify__error_oom(c->err);
    return SPOTIFY_OK;
}

static bool enum_known(const spotify__param_desc *p, const char *s, size_t len)
{
    for (uint32_t i = 0; i < p->value_count; i++)
        if (strlen(p->values[i]) == len && memcmp(p->values[i], s, len) == 0)
            return true;
    return false;
}

static spotify_status enum_violation(checker *c, const spotify__param_desc *p, const char *label,
                                     const char *value)
{
    char known[160] = "";
    size_t at = 0;
    for (uint32_t i = 0; i < p->value_count && at < sizeof known; i++) {
        int n = snprintf(known + at, sizeof known - at, "%s%s", i > 0 ? ", " : "", p->values[i]);
        if (n < 0)
            break;
        at += (size_t)n;
    }
    return violation(c, label, "\"%.40s\" is not one of %s", value, known);
}

static spotify_status check_enums(checker *c, const spotify__param_desc *p, const char *label,
                                  const char *value)
{
    for (const char *s = value;;) {
        size_t len = strcspn(s, ",");
        if (!enum_known(p, s, len))
            return enum_violation(c, p, label, value);
        if (s[len] == '\0')
            return SPOTIFY_OK;
        s += len + 1;
    }
}

static bool base64_char(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '+' || ch == '/' || ch == '=';
}

static spotify_status check_jpeg(checker *c, const char *label, const char *value)
{
    size_t len = strlen(value);
    if (len > SPOTIFY__JPEG_MAX)
        return violation(c, label, "at most %zu bytes of base64 (got %zu)", SPOTIFY__JPEG_MAX, len);
    for (size_t i = 0; i < len; i++)
        if (!base64_char(value[i]))
            return violation(c, label, "not base64 (byte %zu)", i);
    return SPOTIFY_OK;
}

/* A string-valued parameter that was given. */
static spotify_status check_string(checker *c, const spotify__param_desc *p, const char *label,
                                   const char *value)
{
    if (value[0] == '\0')
        return violation(c, label, "must not be empty");
    if (id_kind(p->kind))
        return check_id(c, p, label, value);
    switch (p->kind) {
    case SPOTIFY__PARAM_MARKET:
        if (!spotify__market_valid(value))
            return violation(c, label,
                             "\"%.20s\" is not an ISO 3166-1 alpha-2 country code (upper "
                             "case, e.g. SE) or \"from_token\"",
                             value);
        return SPOTIFY_OK;
    case SPOTIFY__PARAM_ENUM:
        return enum_known(p, value, strlen(value)) ? SPOTIFY_OK
                                                   : enum_violation(c, p, label, value);
    case SPOTIFY__PARAM_ENUMS:
        return check_enums(c, p, label, value);
    case SPOTIFY__PARAM_JPEG:
        return check_jpeg(c, label, value);
    default:
        return SPOTIFY_OK;
    }
}

static spotify_status check_int(checker *c, const spotify__param_desc *p, const char *label,
                                int64_t v)
{
    if ((p->flags & SPOTIFY__PARAM_HAS_MIN) != 0 && v < p->min) {
        if ((p->flags & SPOTIFY__PARAM_HAS_MAX) != 0)
            return violation(c, label, "must be between %lld and %lld (got %lld)",
                             (long long)p->min, (long long)p->max, (long long)v);
        return violation(c, label, "must be at least %lld (got %lld)", (long long)p->min,
                         (long long)v);
    }
    if ((p->flags & SPOTIFY__PARAM_HAS_MAX) != 0 && v > p->max) {
        if ((p->flags & SPOTIFY__PARAM_HAS_MIN) != 0)
            return violation(c, label, "must be between %lld and %lld (got %lld)",
                             (long long)p->min, (long long)p->max, (long long)v);
        return violation(c, label, "must be at most %lld (got %lld)", (long long)p->max,
                         (long long)v);
    }
    return SPOTIFY_OK;
}

static spotify_status check_number(checker *c, const spotify__param_desc *p, const char *label,
                                   double v)
{
    if (!isfinite(v))
        return violation(c, label, "must be a finite number");
    if (((p->flags & SPOTIFY__PARAM_HAS_MIN) != 0 && v < p->min_number) ||
        ((p->flags & SPOTIFY__PARAM_HAS_MAX) != 0 && v > p->max_number))
        return violation(c, label, "must be between %g and %g (got %g)", p->min_number,
                         p->max_number, v);
    return SPOTIFY_OK;
}

/* ---------- lists ---------- */

static spotify_status check_count(checker *c, const spotify__param_desc *p, const char *label,
                                  size_t count)
{
    bool batch = (p->flags & SPOTIFY__PARAM_BATCH) != 0;
    if (p->max_items == 0 || count <= p->max_items ||
        (batch && (c->flags & SPOTIFY__VALIDATE_BATCH) != 0))
        return SPOTIFY_OK;
    if (batch)
        return violation(c, label,
                         "at most %u per call (got %zu; spotify_%s_batch splits longer "
                         "lists)",
                         p->max_items, count, c->op->name);
    return violation(c, label, "at most %u per call (got %zu)", p->max_items, count);
}

static spotify_status check_list(checker *c, const spotify__param_desc *p, const char *label,
                                 spotify_string_list list)
{
    if (list.count > 0 && list.items == NULL)
        return violation(c, label, "items is NULL but count is %zu", list.count);
    spotify_status st = check_count(c, p, label, list.count);
    for (size_t i = 0; i < list.count && st == SPOTIFY_OK; i++) {
        char item_label[128];
        snprintf(item_label, sizeof item_label, "%s[%zu]", label, i);
        const char *value = list.items[i];
        c->item = i;
        if (value == NULL)
            return violation(c, item_label, "is NULL");
        if (p->in != SPOTIFY__IN_BODY && strchr(value, ',') != NULL)
            return violation(c, item_label,
                             "must not contain a comma (the list is sent "
                             "comma-separated)");
        st = check_string(c, p, item_label, value);
    }
    return st;
}

/* A body list of objects whose "uri" member is a URI. */
static spotify_status check_uri_items(checker *c, const spotify__param_desc *p, const char *label,
                                      const char *at)
{
    spotify__list_layout list;
    memcpy(&list, at, sizeof list);
    if (list.count > 0 && list.items == NULL)
        return violation(c, label, "items is NULL but count is %zu", list.count);
    spotify_status st = check_count(c, p, label, list.count);
    for (size_t i = 0; i < list.count && st == SPOTIFY_OK; i++) {
        char item_label[128];
        snprintf(item_label, sizeof item_label, "%s[%zu].uri", label, i);
        const char *item = (const char *)list.items + i * p->item_size;
        const char *uri = load_str(item + p->item_uri_offset);
        c->item = i;
        if (uri == NULL)
            return violation(c, item_label, "required member missing");
        st = check_string(c, p, item_label, uri);
    }
    return st;
}

/* ---------- parameters of the args struct ---------- */

static bool is_list_kind(uint8_t kind)
{
    return kind == SPOTIFY__PARAM_IDS || kind == SPOTIFY__PARAM_URIS || kind == SPOTIFY__PARAM_LIST;
}

static spotify_status check_arg(checker *c, const spotify__param_desc *p, const char *args)
{
    const char *at = args + p->offset;
    bool required = (p->flags & SPOTIFY__PARAM_REQUIRED) != 0;
    if (is_list_kind(p->kind)) {
        spotify_string_list list = load_list(at);
        if (list.count == 0)
            return required ? missing(c, p->name) : SPOTIFY_OK;
        return check_list(c, p, p->name, list);
    }
    if (p->kind == SPOTIFY__PARAM_INT) {
        int64_t v;
        memcpy(&v, at, sizeof v);
        if (v == SPOTIFY_UNSET)
            return required ? missing(c, p->name) : SPOTIFY_OK;
        return check_int(c, p, p->name, v);
    }
    if (p->kind == SPOTIFY__PARAM_NUMBER) {
        double v;
        memcpy(&v, at, sizeof v);
        if (isnan(v))
            return required ? missing(c, p->name) : SPOTIFY_OK;
        return check_number(c, p, p->name, v);
    }
    if (p->kind == SPOTIFY__PARAM_BOOL) {
        int v;
        memcpy(&v, at, sizeof v);
        if (v == SPOTIFY_UNSET_BOOL)
            return required ? missing(c, p->name) : SPOTIFY_OK;
        return v == 0 || v == 1 ? SPOTIFY_OK
                                : violation(c, p->name, "must be 0 or 1 (false or true)");
    }
    const char *value = load_str(at);
    if (value == NULL)
        return required ? missing(c, p->name) : SPOTIFY_OK;
    c->item = 0;
    return check_string(c, p, p->name, value);
}

/* One parameter between the walker's begin and end. */
static spotify_status walk_arg(checker *c, const spotify__param_desc *p, const char *args)
{
    spotify_status st = walk_begin(c, p);
    if (st == SPOTIFY_OK)
        st = check_arg(c, p, args);
    return st == SPOTIFY_OK ? walk_end(c, p) : st;
}

/* ---------- the JSON body ---------- */

/* Whether a body member is set, as the encoder decides what to write. */
static bool member_set(const spotify__field_desc *f, const char *object)
{
    const spotify_object_meta *meta = (const spotify_object_meta *)(const void *)object;
    bool present = spotify_meta_has(meta, f->index);
    const char *at = object + f->offset;
    switch (f->kind) {
    case SPOTIFY__FIELD_STRING:
    case SPOTIFY__FIELD_JSON:
    case SPOTIFY__FIELD_OBJECT:
    case SPOTIFY__FIELD_UNION:
        return load_str(at) != NULL;
    case SPOTIFY__FIELD_LIST: {
        spotify__list_layout list;
        memcpy(&list, at, sizeof list);
        return list.count > 0;
    }
    case SPOTIFY__FIELD_ENUM: {
        spotify__enum_layout e;
        memcpy(&e, at, sizeof e);
        return e.value != 0 || e.text != NULL;
    }
    default:
        return present;
    }
}

static spotify_status check_body_member(checker *c, const spotify__param_desc *p, const char *body)
{
    char label[80];
    snprintf(label, sizeof label, "body.%s", p->name);
    const char *at = body + p->offset;
    const spotify_object_meta *meta = (const spotify_object_meta *)(const void *)body;
    switch (p->kind) {
    case SPOTIFY__PARAM_URI_ITEMS:
        return check_uri_items(c, p, label, at);
    case SPOTIFY__PARAM_IDS:
    case SPOTIFY__PARAM_URIS:
    case SPOTIFY__PARAM_LIST: {
        spotify_string_list list = load_list(at);
        if (p->kind == SPOTIFY__PARAM_LIST) {
            if (list.count > 0 && list.items == NULL)
                return violation(c, label, "items is NULL but count is %zu", list.count);
            return check_count(c, p, label, list.count);
        }
        return check_list(c, p, label, list);
    }
    case SPOTIFY__PARAM_INT: {
        int64_t v;
        memcpy(&v, at, sizeof v);
        return spotify_meta_has(meta, p->field_index) ? check_int(c, p, label, v) : SPOTIFY_OK;
    }
    default: {
        const char *value = load_str(at);
        c->item = 0;
        return value != NULL ? check_string(c, p, label, value) : SPOTIFY_OK;
    }
    }
}

static spotify_status walk_body_member(checker *c, const spotify__param_desc *p, const char *body)
{
    spotify_status st = walk_begin(c, p);
    if (st == SPOTIFY_OK)
        st = check_body_member(c, p, body);
    return st == SPOTIFY_OK ? walk_end(c, p) : st;
}

static spotify_status check_body(checker *c, const char *args)
{
    const spotify_operation *op = c->op;
    const char *body = load_str(args + op->body_offset);
    if (body == NULL) {
        for (uint32_t i = 0; i < op->body_type->field_count; i++)
            if ((op->body_type->fields[i].flags & SPOTIFY__FIELD_REQUIRED) != 0)
                return violation(c, "body", "required (it has required members)");
        return SPOTIFY_OK;
    }
    for (uint32_t i = 0; i < op->body_type->field_count; i++) {
        const spotify__field_desc *f = &op->body_type->fields[i];
        if ((f->flags & SPOTIFY__FIELD_REQUIRED) != 0 && !member_set(f, body)) {
            char label[80];
            snprintf(label, sizeof label, "body.%s", f->name);
            return violation(c, label, "required member missing");
        }
    }
    for (uint32_t i = 0; i < op->param_count; i++) {
        const spotify__param_desc *p = &op->params[i];
        if (p->in != SPOTIFY__IN_BODY)
            continue;
        spotify_status st = walk_body_member(c, p, body);
        if (st != SPOTIFY_OK)
            return st;
    }
    return SPOTIFY_OK;
}

/* ---------- rules over several parameters ---------- */

/* The GROUP lists' items in all, within [group_min, group_max] (bytes NULL:
 * no args, no items). */
static spotify_status check_group(checker *c, const char *bytes)
{
    const spotify_operation *op = c->op;
    if (op->group_max == 0)
        return SPOTIFY_OK;
    size_t total = 0;
    char names[128] = "";
    for (uint32_t i = 0; i < op->param_count; i++) {
        const spotify__param_desc *p = &op->params[i];
        if ((p->flags & SPOTIFY__PARAM_GROUP) == 0)
            continue;
        if (bytes != NULL)
            total += load_list(bytes + p->offset).count;
        size_t len = strlen(names);
        snprintf(names + len, sizeof names - len, "%s%s", len > 0 ? ", " : "", p->name);
    }
    if (total >= op->group_min && total <= op->group_max)
        return SPOTIFY_OK;
    return violation(c, names, "%u to %u items in all (got %zu)", op->group_min, op->group_max,
                     total);
}

/* ---------- the whole call ---------- */

/* With args == NULL: fine unless something is required. */
static spotify_status check_no_args(checker *c)
{
    for (uint32_t i = 0; i < c->op->param_count; i++) {
        const spotify__param_desc *p = &c->op->params[i];
        if (p->in != SPOTIFY__IN_BODY && (p->flags & SPOTIFY__PARAM_REQUIRED) != 0)
            return missing(c, p->name);
    }
    if (c->op->body_type != NULL)
        for (uint32_t i = 0; i < c->op->body_type->field_count; i++)
            if ((c->op->body_type->fields[i].flags & SPOTIFY__FIELD_REQUIRED) != 0)
                return violation(c, "body", "required (it has required members)");
    return SPOTIFY_OK;
}

spotify_status spotify__op_walk(const spotify_operation *op, const void *args, unsigned flags,
                                const spotify__op_walker *walker, spotify_error *err)
{
    if (op == NULL)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "operation is NULL");
    checker c = {op, flags, err, walker, 0};
    if (args == NULL) {
        spotify_status st = check_no_args(&c);
        return st == SPOTIFY_OK ? check_group(&c, NULL) : st;
    }
    const spotify__args_head *head = args;
    if (head->version != SPOTIFY_ARGS_VERSION)
        return spotify__error_set(err, SPOTIFY_EINVALID, 0,
                                  "spotify_%s: unknown args version %u (declare the args with "
                                  "their INIT macro)",
                                  op->name, head->version);
    const char *bytes = args;
    for (uint32_t i = 0; i < op->param_count; i++) {
        const spotify__param_desc *p = &op->params[i];
        if (p->in == SPOTIFY__IN_BODY)
            continue;
        spotify_status st = walk_arg(&c, p, bytes);
        if (st != SPOTIFY_OK)
            return st;
    }
    spotify_status st = check_group(&c, bytes);
    if (st != SPOTIFY_OK)
        return st;
    return op->body_type != NULL ? check_body(&c, bytes) : SPOTIFY_OK;
}

spotify_status spotify__op_validate(const spotify_operation *op, const void *args, unsigned flags,
                                    spotify_error *err)
{
    return spotify__op_walk(op, args, flags, NULL, err);
}

spotify_status spotify_operation_validate(const spotify_operation *op, const void *args,
                                          spotify_error *err)
{
    return spotify__op_validate(op, args, 0, err);
}
