/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl_baseline.c - the baseline of bench_spotctl, as a program of its
 * own that links only libcurl and cJSON (so its process costs what such a
 * loop costs, start-up and peak memory included): one easy handle
 * (keep-alive), each album parsed with cJSON, one line printed per album.
 *
 * Usage: bench_spotctl_baseline BASE_URL IDS_FILE
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

typedef struct body {
    char *data;
    size_t len, cap;
} body;

static size_t on_body(char *data, size_t size, size_t count, void *user)
{
    body *b = user;
    size_t n = size * count;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *grown = realloc(b->data, cap);
        if (grown == NULL)
            return 0;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: bench_spotctl_baseline BASE_URL IDS_FILE\n");
        return 2;
    }
    FILE *ids = fopen(argv[2], "r");
    if (ids == NULL)
        return 1;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    CURL *h = curl_easy_init();
    body b = {0};
    struct curl_slist *headers = curl_slist_append(NULL, "Authorization: Bearer bench");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
    char line[128], url[512];
    int rc = 0;
    while (fgets(line, sizeof line, ids) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        snprintf(url, sizeof url, "%s/albums/%s", argv[1], line);
        curl_easy_setopt(h, CURLOPT_URL, url);
        b.len = 0;
        long status = 0;
        if (curl_easy_perform(h) != CURLE_OK ||
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status != 200) {
            rc = 1;
            break;
        }
        cJSON *album = cJSON_ParseWithLength(b.data, b.len);
        const cJSON *name = cJSON_GetObjectItemCaseSensitive(album, "name");
        const cJSON *date = cJSON_GetObjectItemCaseSensitive(album, "release_date");
        printf("%s  %s  %s\n", line, cJSON_IsString(name) ? name->valuestring : "",
               cJSON_IsString(date) ? date->valuestring : "");
        cJSON_Delete(album);
    }
    curl_slist_free_all(headers);
    curl_easy_cleanup(h);
    curl_global_cleanup();
    free(b.data);
    fclose(ids);
    return rc;
}
