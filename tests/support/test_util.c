/* SPDX-License-Identifier: Apache-2.0 */
/* test_util.c - fixtures, fake clock and temp directories for tests. */
#include "test_util.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

char *test_fixture_load(const char *name, size_t *len_out)
{
    const char *dir = getenv("SPOTIFY_FIXTURES_DIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "tests/fixtures", name);
    return test_read_file(path, len_out);
}

char *test_read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "file %s not found\n", path);
        abort();
    }
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *data = malloc((size_t)size + 1);
    if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size)
        abort();
    data[size] = '\0';
    fclose(f);
    if (len_out != NULL)
        *len_out = (size_t)size;
    return data;
}

int64_t test_clock_now(void *clock)
{
    return ((test_clock *)clock)->now_ms;
}

void test_clock_sleep(void *clock, int64_t ms)
{
    test_clock *c = clock;
    c->now_ms += ms;
    c->slept_ms += ms;
    c->last_sleep_ms = ms;
    c->sleeps++;
}

char *test_mkdtemp(void)
{
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof path, "%s/spotify-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (mkdtemp(path) == NULL)
        abort();
    return strdup(path);
}

void test_rmdir_recursive(const char *path)
{
    DIR *dir = opendir(path);
    if (dir != NULL) {
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL) {
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                continue;
            char child[4096];
            snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
            struct stat st;
            if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
                test_rmdir_recursive(child);
            else
                unlink(child);
        }
        closedir(dir);
    }
    rmdir(path);
}
