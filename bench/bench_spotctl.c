/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_spotctl.c - total CPU of `spotctl albums get --ids-file F
 * --parallel 1` for N IDs (text output built from the typed results, and
 * --json), process start-up and printing included, against a bare libcurl
 * loop that fetches the same N albums over one keep-alive connection and
 * parses each with cJSON (printing a line per album), run as its own
 * program linking only libcurl and cJSON (spotctl_baseline.c). CPU is user+system time of each
 * child (wait4), so the server's work does not count, and peak RSS is the child's ru_maxrss. The
 * three alternate in rounds; medians are reported.
 *
 * Usage: bench_spotctl BASE_URL [SPOTCTL] [IDS] [ROUNDS]
 *   BASE_URL  the Web API base (e.g. http://127.0.0.1:8080/v1) serving an
 *             album at /albums/{any id} (scripts/bench.sh: nginx, album-tpab.json)
 * Exit status 1 when spotctl (text or --json) takes more CPU than the loop.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

/* One child's cost: CPU (user + system) and peak resident set. */
typedef struct child_cost {
    double cpu_ms;
    double peak_rss_mib;
} child_cost;

/* Runs argv with stdout to /dev/null; cpu_ms is -1 when it failed. */
static child_cost child_run(char *const *argv, char *const *envp)
{
    child_cost failed = {-1, 0};
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return failed;
    int status = 0;
    struct rusage ru;
    if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return failed;
    child_cost cost = {(double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
                           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3,
                       (double)ru.ru_maxrss / 1024.0}; /* ru_maxrss is in KiB */
    return cost;
}

/* A writable copy of a string for an argv (the process ends soon after). */
static char *M(const char *s)
{
    return strdup(s);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_spotctl BASE_URL [SPOTCTL] [IDS] [ROUNDS]\n");
        return 2;
    }
    const char *base = argv[1];
    const char *spotctl = argc > 2 ? argv[2] : SPOTCTL_PATH;
    long n = argc > 3 ? strtol(argv[3], NULL, 10) : 2000;
    int rounds = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 5;
    if (n <= 0 || rounds <= 0 || rounds > 50)
        return 2;

    char dir[] = "/tmp/bench-spotctl-XXXXXX";
    if (mkdtemp(dir) == NULL)
        return 1;
    char ids_path[128], token_path[128];
    snprintf(ids_path, sizeof ids_path, "%s/ids.txt", dir);
    snprintf(token_path, sizeof token_path, "%s/token.json", dir);
    FILE *f = fopen(ids_path, "w");
    static const char b62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    unsigned long x = 12345;
    for (long i = 0; f != NULL && i < n; i++) {
        char id[23];
        for (int k = 0; k < 22; k++) {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            id[k] = b62[(x >> 33) % 62];
        }
        id[22] = '\0';
        fprintf(f, "%s\n", id);
    }
    if (f == NULL || fclose(f) != 0)
        return 1;
    /* a saved login valid for an hour: no token request during the run */
    f = fopen(token_path, "w");
    if (f == NULL)
        return 1;
    fprintf(f,
            "{\"version\":1,\"access_token\":\"bench\",\"expires_at\":%ld,\"refresh_token\":"
            "\"bench-refresh\",\"scope\":\"\",\"client_id\":\"bench\",\"flow\":"
            "\"authorization_code\"}\n",
            (long)time(NULL) + 3600);
    fclose(f);
    chmod(token_path, 0600);

    char env_api[600], env_cache[200], env_home[160], env_path[1024];
    snprintf(env_api, sizeof env_api, "SPOTIFY_SDK_API_BASE_URL=%s", base);
    snprintf(env_cache, sizeof env_cache, "SPOTCTL_CACHE=%s", token_path);
    snprintf(env_home, sizeof env_home, "HOME=%s", dir);
    snprintf(env_path, sizeof env_path, "PATH=%s", getenv("PATH") ? getenv("PATH") : "/usr/bin");
    char *envp[] = {env_api,
                    env_cache,
                    env_home,
                    env_path,
                    M("SPOTIFY_SDK_CLIENT_ID=bench"),
                    M("SPOTIFY_SDK_CLIENT_SECRET=bench"),
                    NULL};

    char *text_argv[] = {M(spotctl), M("albums"),     M("get"), M("--ids-file"),
                         ids_path,   M("--parallel"), M("1"),   NULL};
    char *json_argv[] = {M(spotctl), M("--json"),     M("albums"), M("get"), M("--ids-file"),
                         ids_path,   M("--parallel"), M("1"),      NULL};
    char *base_argv[] = {M(SPOTCTL_BASELINE_PATH), M(base), ids_path, NULL};

    double text[50], json[50], loop[50], text_rss[50], json_rss[50], loop_rss[50];
    for (int r = 0; r < rounds; r++) {
        child_cost l = child_run(base_argv, envp), t = child_run(text_argv, envp),
                   j = child_run(json_argv, envp);
        loop[r] = l.cpu_ms, text[r] = t.cpu_ms, json[r] = j.cpu_ms;
        loop_rss[r] = l.peak_rss_mib, text_rss[r] = t.peak_rss_mib, json_rss[r] = j.peak_rss_mib;
        if (loop[r] < 0 || text[r] < 0 || json[r] < 0) {
            fprintf(stderr, "bench_spotctl: a run failed (is the server up at %s?)\n", base);
            return 1;
        }
    }
    double mt = bench_median(text, rounds), mj = bench_median(json, rounds),
           ml = bench_median(loop, rounds);
    printf("%ld albums (one request each, one keep-alive connection), %d rounds, median total "
           "CPU per run\n\n",
           n, rounds);
    double rt = bench_median(text_rss, rounds), rj = bench_median(json_rss, rounds),
           rl = bench_median(loop_rss, rounds);
    printf("| run | CPU ms | per album us | x libcurl+cJSON | peak RSS MiB | RSS x loop |\n"
           "| --- | ---: | ---: | ---: | ---: | ---: |\n");
    printf("| libcurl + cJSON loop (own process) | %.1f | %.1f | 1.00 | %.1f | 1.00 |\n", ml,
           ml * 1e3 / n, rl);
    printf("| `spotctl albums get --parallel 1` (text) | %.1f | %.1f | %.2f | %.1f | %.2f |\n", mt,
           mt * 1e3 / n, mt / ml, rt, rt / rl);
    printf("| `spotctl --json albums get --parallel 1` | %.1f | %.1f | %.2f | %.1f | %.2f |\n", mj,
           mj * 1e3 / n, mj / ml, rj, rj / rl);
    bool met = mt <= ml && mj <= ml;
    printf(
        "\nspotctl CPU / libcurl+cJSON CPU: text %.2f, --json %.2f (goal <= 1.00 for both: %s)\n",
        mt / ml, mj / ml, met ? "met" : "NOT met");
    printf("spotctl peak RSS / the loop's: text %.2f, --json %.2f (goal <= 1.10 for both: %s)\n",
           rt / rl, rj / rl, rt <= 1.1 * rl && rj <= 1.1 * rl ? "met" : "NOT met");
    unlink(ids_path);
    unlink(token_path);
    rmdir(dir);
    return met ? 0 : 1;
}
