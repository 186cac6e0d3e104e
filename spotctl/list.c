/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/list.c - what the command groups share: walking a pager with a
 * limit, progress and Ctrl-C; the --limit, --parallel and --ids-file
 * arguments.
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

/* Set by main.c's SIGINT handler. */
volatile sig_atomic_t spotctl_interrupted = 0;

int spotctl_walk_into(spotctl_progress *progress, spotctl_total_mode mode, spotify_pager *pager,
                      int64_t limit, spotctl_item_fn item_fn, void *user)
{
    spotify_error err = {0};
    spotify_status st = SPOTIFY_OK;
    int64_t seen = 0, base = progress->total > 0 ? progress->total : 0;
    while (limit <= 0 || seen < limit) {
        if (spotctl_interrupted) {
            st = SPOTIFY_ECANCELLED;
            break;
        }
        const void *item = NULL;
        st = spotify_pager_next_item(&item, pager, &err);
        if (st != SPOTIFY_OK || item == NULL)
            break;
        int64_t total = spotify_pager_total(pager);
        if (total >= 0 && limit > 0 && limit < total)
            total = limit;
        if (total >= 0 && mode == SPOTCTL_TOTAL_SET)
            spotctl_progress_total(progress, total);
        else if (total >= 0 && mode == SPOTCTL_TOTAL_ADD && seen == 0)
            spotctl_progress_total(progress, base + total);
        seen++;
        int rc = item_fn(item, user);
        spotctl_progress_step(progress, 1);
        if (rc != 0)
            return rc;
    }
    if (st == SPOTIFY_OK)
        return 0;
    if (progress->enabled)
        fputs("\r\033[K", stderr);
    return spotctl_fail(st, &err, NULL);
}

int spotctl_walk(spotctl_ctx *ctx, spotify_pager *pager, int64_t limit, const char *label,
                 spotctl_item_fn item_fn, void *user)
{
    spotctl_progress progress;
    /* text output is buffered until the end, --json streams to stdout */
    spotctl_progress_start(&progress, spotctl_progress_allowed(ctx, ctx->json), label, -1,
                           ctx->term_width);
    int rc = spotctl_walk_into(&progress, SPOTCTL_TOTAL_SET, pager, limit, item_fn, user);
    spotctl_progress_end(&progress);
    return rc;
}

void spotctl_lister_init(spotctl_lister *l, spotctl_ctx *ctx, const char *const *headers,
                         size_t ncols, unsigned right_aligned, spotctl_row_fn row, void *row_user)
{
    memset(l, 0, sizeof *l);
    l->ctx = ctx;
    l->row = row;
    l->row_user = row_user;
    spotctl_table_init(&l->table, headers, ncols);
    l->table.right_aligned = right_aligned;
}

int spotctl_lister_item(const void *item, void *lister)
{
    spotctl_lister *l = lister;
    if (spotctl_null_item(item))
        return 0; /* Spotify sends null for items it cannot show */
    if (l->ctx->json) {
        char *json = NULL;
        size_t len = 0;
        spotify_error err = {0};
        if (spotify_model_raw_json(&json, &len, item, &err) != SPOTIFY_OK)
            return spotctl_fail(err.status, &err, NULL);
        if (l->json_type != NULL)
            printf("{\"type\":\"%s\",\"item\":%.*s}\n", l->json_type, (int)len, json);
        else
            printf("%.*s\n", (int)len, json);
        spotify_free(json);
        return 0;
    }
    spotctl_cell cells[SPOTCTL_CELLS_MAX];
    const char *ptrs[SPOTCTL_CELLS_MAX];
    for (size_t c = 0; c < SPOTCTL_CELLS_MAX; c++) {
        cells[c][0] = '\0';
        ptrs[c] = cells[c];
    }
    l->row(item, l->row_user, cells);
    return spotctl_table_add(&l->table, ptrs)
               ? 0
               : spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
}

void spotctl_no_results(const spotctl_ctx *ctx)
{
    if (!ctx->json)
        fputs("No results.\n", stderr);
}

int spotctl_lister_finish(spotctl_lister *l, int rc)
{
    if (!l->ctx->json && rc == 0 && l->table.nrows == 0)
        spotctl_no_results(l->ctx);
    else if (!l->ctx->json && rc == 0)
        spotctl_table_print(&l->table, stdout, (size_t)l->ctx->term_width);
    spotctl_table_free(&l->table);
    return rc;
}

int spotctl_list_walk(spotctl_lister *l, const spotify_operation *op, const void *args,
                      int64_t limit, const char *label)
{
    spotify_pager *pager = NULL;
    spotify_error err = {0};
    if (spotify_pager_new(&pager, l->ctx->client, op, args, &err) != SPOTIFY_OK)
        return spotctl_fail(err.status, &err, NULL);
    int rc = spotctl_walk(l->ctx, pager, limit, label, spotctl_lister_item, l);
    spotify_pager_free(pager);
    return rc;
}

int spotctl_list_op(spotctl_lister *l, const spotify_operation *op, const void *args, int64_t limit,
                    const char *label)
{
    return spotctl_lister_finish(l, spotctl_list_walk(l, op, args, limit, label));
}

size_t spotctl_type_arg(const spotctl_args *args, const char *command, const char *const *names,
                        size_t n, bool allow_all, const char *dflt, size_t *chosen)
{
    const char *types = spotctl_args_get(args, "type");
    if (types == NULL || types[0] == '\0')
        types = dflt;
    size_t count = 0;
    for (const char *p = types; *p != '\0';) {
        size_t len = strcspn(p, ",");
        bool all = allow_all && len == 3 && strncmp(p, "all", 3) == 0;
        size_t k = 0;
        while (!all && k < n && !(strlen(names[k]) == len && strncmp(names[k], p, len) == 0))
            k++;
        if (!all && k == n) {
            char list[256] = "";
            for (size_t i = 0; i < n; i++)
                snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? ", " : "",
                         names[i]);
            spotctl_usage(command, "--type: \"%.*s\" is not one of %s%s (a comma-separated list)",
                          (int)len, p, list, allow_all ? ", all" : "");
            return 0;
        }
        for (size_t i = all ? 0 : k; i < (all ? n : k + 1); i++) {
            bool dup = false;
            for (size_t j = 0; j < count; j++)
                dup = dup || chosen[j] == i;
            if (!dup)
                chosen[count++] = i;
        }
        p += len;
        if (*p == ',')
            p++;
    }
    if (count == 0)
        spotctl_usage(command, "--type: name at least one type");
    return count;
}

bool spotctl_limit_arg(const spotctl_args *args, const char *command, int64_t *limit)
{
    *limit = 0;
    const char *text = spotctl_args_get(args, "limit");
    if (text == NULL)
        return true;
    if (!spotctl_parse_int(text, 1, INT64_MAX, limit)) {
        spotctl_usage(command, "--limit must be a positive integer (got \"%s\")", text);
        return false;
    }
    return true;
}

bool spotctl_parallel_arg(const spotctl_args *args, const char *command, int *parallel)
{
    *parallel = 8;
    const char *text = spotctl_args_get(args, "parallel");
    int64_t n;
    if (text == NULL)
        return true;
    if (!spotctl_parse_int(text, 1, 64, &n)) {
        spotctl_usage(command, "--parallel must be between 1 and 64 (got \"%s\")", text);
        return false;
    }
    *parallel = (int)n;
    return true;
}

static bool push_id(char ***ids, size_t *n, size_t *cap, const char *text, size_t len)
{
    if (*n == *cap) {
        size_t c = *cap ? *cap * 2 : 64;
        char **grown = realloc(*ids, c * sizeof *grown);
        if (grown == NULL)
            return false;
        *ids = grown;
        *cap = c;
    }
    char *copy = malloc(len + 1);
    if (copy == NULL)
        return false;
    memcpy(copy, text, len);
    copy[len] = '\0';
    (*ids)[(*n)++] = copy;
    return true;
}

void spotctl_free_ids(char **ids, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* One ID per line of `text`: trims spaces, skips blanks and #comments. */
static bool parse_ids(const char *text, char ***ids, size_t *n, size_t *cap)
{
    for (const char *line = text; *line != '\0';) {
        size_t end = strcspn(line, "\n");
        const char *s = line;
        size_t len = end;
        while (len > 0 && (*s == ' ' || *s == '\t')) {
            s++;
            len--;
        }
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
            len--;
        if (len > 0 && s[0] != '#' && !push_id(ids, n, cap, s, len))
            return false;
        line += end + (line[end] == '\n');
    }
    return true;
}

/* Reads `path` ("-": stdin) into the list, one input per line. */
static int read_inputs(const char *path, char ***ids, size_t *count, size_t *cap)
{
    char *text = NULL;
    size_t len = 0;
    int rc = spotctl_read_input(&text, &len, "--ids-file ", path, SPOTCTL_INPUT_MAX);
    if (rc == 0 && !parse_ids(text, ids, count, cap))
        rc = spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    free(text);
    return rc;
}

int spotctl_collect_inputs(const spotctl_args *args, size_t first, const char *command,
                           const char *noun, char ***out, size_t *n)
{
    char **ids = NULL;
    size_t count = 0, cap = 0;
    int rc = 0;
    bool stdin_read = false;
    for (size_t i = first; rc == 0 && i < args->npos; i++) {
        if (strcmp(args->pos[i], "-") == 0 && !stdin_read) { /* `-`: one per line on stdin */
            stdin_read = true;
            rc = read_inputs("-", &ids, &count, &cap);
        } else if (!push_id(&ids, &count, &cap, args->pos[i], strlen(args->pos[i]))) {
            rc = spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
        }
    }
    const char *file = spotctl_args_get(args, "ids-file");
    if (rc == 0 && file != NULL && !(stdin_read && strcmp(file, "-") == 0))
        rc = read_inputs(file, &ids, &count, &cap);
    if (rc == 0 && count == 0)
        rc = spotctl_usage(command, "give at least one %s (or --ids-file FILE)", noun);
    if (rc != 0) {
        spotctl_free_ids(ids, count);
        return rc;
    }
    *out = ids;
    *n = count;
    return 0;
}

int spotctl_collect_ids(const spotctl_args *args, const char *command, char ***out, size_t *n)
{
    return spotctl_collect_inputs(args, 0, command, "ID", out, n);
}

int spotctl_collect_uris(const spotctl_args *args, size_t first, const char *command, char ***out,
                         size_t *n)
{
    char **uris = NULL;
    size_t count = 0;
    int rc = spotctl_collect_inputs(args, first, command, "URI", &uris, &count);
    for (size_t i = 0; rc == 0 && i < count; i++) {
        const char *input = uris[i];
        spotify_id id;
        spotify_error err = {0};
        char uri[SPOTIFY_URI_MAX];
        spotify_status st = spotify_id_parse(&id, input, SPOTIFY_ID_ANY, &err);
        if (st == SPOTIFY_OK && id.type == SPOTIFY_ID_ANY)
            rc = spotctl_failf(SPOTIFY_EINVALID,
                               "write spotify:track:ID (or album, episode...) or paste an "
                               "open.spotify.com link",
                               "%s: a bare ID does not say what it names; give a URI or link",
                               input);
        else if (st == SPOTIFY_OK)
            st = spotify_id_uri(uri, sizeof uri, id.type, id.id, &err);
        if (rc == 0 && st != SPOTIFY_OK)
            rc = spotctl_failf(st, NULL, "%s: %s", input, err.message);
        char *copy = rc == 0 ? strdup(uri) : NULL;
        if (rc == 0 && copy == NULL)
            rc = spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
        if (rc == 0) {
            free(uris[i]);
            uris[i] = copy;
        }
    }
    if (rc != 0) {
        spotctl_free_ids(uris, count);
        return rc;
    }
    *out = uris;
    *n = count;
    return 0;
}

int spotctl_print_answers(const spotctl_ctx *ctx, const char *const headers[2], const char *key,
                          const char *flag, char **names, size_t n,
                          const spotify_array_of_booleans *answer)
{
    if (answer == NULL || answer->items.count != n)
        return spotctl_failf(SPOTIFY_EPROTOCOL, NULL, "Spotify answered %zu booleans for %zu items",
                             answer != NULL ? answer->items.count : 0, n);
    spotctl_table t;
    spotctl_table_init(&t, headers, 2);
    for (size_t i = 0; i < n; i++) {
        bool yes = answer->items.items[i];
        if (ctx->json) {
            spotctl_buf b = {0};
            char tail[64];
            snprintf(tail, sizeof tail, ",\"%s\":%s}", flag, yes ? "true" : "false");
            bool ok = spotctl_buf_str(&b, "{\"") && spotctl_buf_str(&b, key) &&
                      spotctl_buf_str(&b, "\":") && spotctl_buf_json_string(&b, names[i]) &&
                      spotctl_buf_str(&b, tail);
            printf("%s\n", ok ? b.data : "{}");
            spotctl_buf_free(&b);
        } else {
            const char *cells[] = {yes ? "yes" : "no", names[i]};
            spotctl_table_add(&t, cells);
        }
    }
    if (!ctx->json)
        spotctl_table_print(&t, stdout, (size_t)ctx->term_width);
    spotctl_table_free(&t);
    return 0;
}

/* The message with every `id` in it replaced by "{id}": failures of many
 * items are of one kind when only the item differs. */
static void failure_key(char *out, size_t size, const char *message, const char *id)
{
    size_t n = 0, id_len = id != NULL ? strlen(id) : 0;
    for (const char *p = message; *p != '\0' && n + 5 < size;) {
        if (id_len > 0 && strncmp(p, id, id_len) == 0) {
            memcpy(out + n, "{id}", 4);
            n += 4;
            p += id_len;
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
}

bool spotctl_per_item_status(spotify_status status)
{
    return status == SPOTIFY_ENOTFOUND || status == SPOTIFY_EBADREQUEST;
}

int spotctl_failures_add(spotctl_failures *f, const char *input, const char *id,
                         spotify_status status, const spotify_error *err)
{
    char key[SPOTIFY_ERROR_MESSAGE_SIZE + 32];
    failure_key(key, sizeof key, err != NULL ? err->message : "", id);
    for (size_t k = 0; k < f->nkinds; k++) {
        if (f->kinds[k].status != status || strcmp(f->kinds[k].key, key) != 0)
            continue;
        spotctl_buf *items = &f->kinds[k].items;
        if (f->kinds[k].more++ < 10 && spotctl_buf_str(items, items->len > 0 ? ", " : ""))
            spotctl_buf_str(items, input); /* the first ten are named */
        return spotctl_exit_code(status);
    }
    int rc = spotctl_fail_about(input, status, err, NULL);
    if (f->first == 0)
        f->first = rc;
    if (f->nkinds < sizeof f->kinds / sizeof f->kinds[0]) {
        f->kinds[f->nkinds].status = status;
        snprintf(f->kinds[f->nkinds].key, sizeof f->kinds[0].key, "%s", key);
        f->nkinds++;
    }
    return rc;
}

int spotctl_failures_finish(spotctl_failures *f)
{
    for (size_t k = 0; k < f->nkinds; k++) {
        if (f->kinds[k].more > 0)
            spotctl_failf(f->kinds[k].status, NULL, "%zu more failed the same way: %s%s",
                          f->kinds[k].more,
                          f->kinds[k].items.data != NULL ? f->kinds[k].items.data : "",
                          f->kinds[k].more > 10 ? ", ..." : "");
        spotctl_buf_free(&f->kinds[k].items);
    }
    int rc = f->first;
    memset(f, 0, sizeof *f);
    return rc;
}
