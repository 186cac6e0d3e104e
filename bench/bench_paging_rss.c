/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_paging_rss.c - peak RSS of walking a long list with the SDK's
 * pager (spotify/paging.h) against a short one: the pager keeps one page in
 * memory, so walking 10,000 playlist items should cost about what walking
 * 100 does (goal: within 5 MiB).
 *
 * The parent starts spotify-emulator, seeds one playlist per size through
 * the control API (POST /__emulator/seed-playlist: N catalog tracks) and
 * runs each walk in its own child process (this program re-executed with
 * --child), so each child's ru_maxrss (wait4) is that walk's peak alone.
 * The child walks GET /playlists/{id}/items with
 * spotify_playlists_list_items_pager (pages of 50, full track objects) and
 * checks it saw every item.
 *
 * Usage: bench_paging_rss [LARGE [SMALL]]   (defaults 10000 and 100)
 * Exit status 1 when a walk fails or the difference exceeds 5 MiB.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <spotify/spotify.h>

#include "emulator_process.h"

#define GOAL_KIB (5 * 1024)

extern char **environ;

/* The child: walk playlist `id` at `base` with `token`, expecting `want`
 * items. Exit status 0 when every item was seen. */
static int child_walk(const char *base, const char *token, const char *id, long want)
{
    spotify_error err = {0};
    if (spotify_global_init(&err) != SPOTIFY_OK)
        return 2;
    spotify_client_options opts = SPOTIFY_CLIENT_OPTIONS_INIT;
    opts.api_base_url = base;
    opts.access_token = token;
    spotify_client *client = NULL;
    spotify_pager *pager = NULL;
    spotify_playlists_list_items_args a = SPOTIFY_PLAYLISTS_LIST_ITEMS_ARGS_INIT;
    a.playlist_id = id;
    long seen = 0;
    spotify_status st = spotify_client_new(&client, &opts, &err);
    if (st == SPOTIFY_OK)
        st = spotify_playlists_list_items_pager(&pager, client, &a, &err);
    const void *item = NULL;
    while (st == SPOTIFY_OK && (st = spotify_pager_next_item(&item, pager, &err)) == SPOTIFY_OK &&
           item != NULL)
        seen++;
    if (st != SPOTIFY_OK)
        fprintf(stderr, "bench_paging_rss: %s: %s\n", spotify_status_name(st), err.message);
    int64_t total = pager != NULL ? spotify_pager_total(pager) : -1;
    size_t pages = pager != NULL ? spotify_pager_pages(pager) : 0;
    spotify_pager_free(pager);
    spotify_client_free(client);
    spotify_global_cleanup();
    printf("%ld %zu\n", seen, pages);
    return st == SPOTIFY_OK && seen == want && total == want ? 0 : 1;
}

/* One measured walk: peak RSS (KiB), wall time (ms) and pages; false on failure. */
typedef struct walk {
    long items;
    long max_rss_kib;
    double wall_ms;
    long pages;
} walk;

static bool run_child(const char *base, const char *token, const char *id, walk *w)
{
    char name[] = "bench_paging_rss", flag[] = "--child", want[32], b[160], t[128], i[64];
    snprintf(want, sizeof want, "%ld", w->items);
    snprintf(b, sizeof b, "%s", base);
    snprintf(t, sizeof t, "%s", token);
    snprintf(i, sizeof i, "%s", id);
    char *argv[] = {name, flag, b, t, i, want, NULL};
    int out[2];
    if (pipe(out) != 0)
        return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, out[0]);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid;
    int rc = posix_spawn(&pid, "/proc/self/exe", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(out[1]);
    if (rc != 0) {
        close(out[0]);
        return false;
    }
    char text[64] = "";
    ssize_t n = read(out[0], text, sizeof text - 1);
    close(out[0]);
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid)
        return false;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long seen = -1;
    if (n > 0)
        sscanf(text, "%ld %ld", &seen, &w->pages);
    w->max_rss_kib = ru.ru_maxrss;
    w->wall_ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 && seen == w->items;
}

/* Seeds a playlist of `items` tracks for demo-user; its id into `id`. */
static bool seed(const emulator_process *emu, long items, char id[64])
{
    char body[128];
    emulator_http_response r;
    snprintf(body, sizeof body, "{\"user\":\"demo-user\",\"items\":%ld,\"name\":\"bench\"}", items);
    bool ok = emulator_control(emu, "POST", "/__emulator/seed-playlist", body, &r) &&
              r.status == 200 && emulator_json_string(r.body, "id", id, 64);
    emulator_response_free(&r);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc == 6 && strcmp(argv[1], "--child") == 0)
        return child_walk(argv[2], argv[3], argv[4], strtol(argv[5], NULL, 10));
    walk walks[2] = {{argc > 2 ? strtol(argv[2], NULL, 10) : 100, 0, 0, 0},
                     {argc > 1 ? strtol(argv[1], NULL, 10) : 10000, 0, 0, 0}};
    emulator_process emu;
    char token[128], base[160];
    if (!emulator_start(&emu, NULL))
        return 1;
    bool ok = emulator_issue_token(&emu, "{\"scope\":\"playlist-read-private\"}", token,
                                   sizeof token, NULL, 0);
    snprintf(base, sizeof base, "%s/v1", emu.base_url);
    for (int i = 0; ok && i < 2; i++) {
        char id[64];
        ok = seed(&emu, walks[i].items, id) && run_child(base, token, id, &walks[i]);
        if (!ok)
            fprintf(stderr, "bench_paging_rss: the %ld-item walk failed\n", walks[i].items);
    }
    int stopped = emulator_stop(&emu);
    if (!ok || stopped != 0)
        return 1;
    long diff = walks[1].max_rss_kib - walks[0].max_rss_kib;
    printf("| items walked (pages of 50, full tracks) | pages | peak RSS of the child | wall |\n");
    printf("| --- | --- | --- | --- |\n");
    for (int i = 0; i < 2; i++)
        printf("| %ld | %ld | %.1f MiB | %.0f ms |\n", walks[i].items, walks[i].pages,
               (double)walks[i].max_rss_kib / 1024.0, walks[i].wall_ms);
    printf("\n%ld-item peak minus %ld-item peak: %.2f MiB (goal: at most %d MiB): %s\n",
           walks[1].items, walks[0].items, (double)diff / 1024.0, GOAL_KIB / 1024,
           diff <= GOAL_KIB ? "met" : "NOT met");
    return diff <= GOAL_KIB ? 0 : 1;
}
