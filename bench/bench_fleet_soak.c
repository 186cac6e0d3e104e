/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench_fleet_soak.c - the fleet soak benchmark (issue #20, item 3): a
 * fleet of worker processes (bench_fleet_soak_worker.c) sharing one Redis
 * token cache and cooldown keeps requests in flight against spotify-emulator
 * while this controller takes Redis away and brings it back.
 *
 *   bench_fleet_soak [--seconds N] [--workers N]
 *
 * Defaults: 60 s, 8 workers (each 2 async contexts x 32 requests in
 * flight). Loopback only: a private redis-server (free 127.0.0.1 port, no
 * persistence, its directory a temporary one) and the build's
 * spotify-emulator (--latency-ms 20 --token-lifetime 5). The timeline,
 * scaled to the run's length (the times below for 60 s):
 *   t=10 s  kill -9 redis-server       (refused: connections fail at once)
 *   t=20 s  restart it, same port, empty
 *   t=35 s  SIGSTOP it                 (unreachable: connections complete
 *                                       into the backlog, nothing answers)
 *   t=45 s  SIGCONT
 * Everything ends by itself: the workers stop at the end of the run (they
 * get DRAIN_S more to let their last requests land, then are killed), and
 * the controller stops Redis and the emulator and removes its directory on
 * every exit, SIGINT and SIGTERM included.
 *
 * Printed: the timeline as it happened, the requests completed and failed,
 * the refreshes per expiry (fleet-wide while Redis is up, per process while
 * it is away; a token lives 5 s and is renewed 1 s before expiry, so an
 * expiry is a group of refreshes within half of those 4 s of its first), the
 * longest loop stall (and how many exceeded 50 ms, while Redis was up and
 * while it was away), the longest time a context completed nothing, the
 * refresh lock as read 1 s and 3 s after SIGCONT, and the goals met or
 * not. Exit status 0 whatever the
 * figures (a benchmark), 2 on a harness error, 130 when interrupted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"
#include "emulator_process.h"

extern char **environ;

#define MAX_WORKERS 32
#define CONTEXTS 2
#define MAX_GRANTS 4096
#define MAX_SECONDS 3600
#define TOKEN_LIFETIME_S 5
#define RENEW_PERIOD_S 4.0 /* the lifetime less the workers' 1 s skew */
#define RECONNECT_S 1.0    /* the Redis clients' pause between connection tries */
#define STALL_GOAL_MS 50.0
#define DRAIN_S 15.0

/* ---- processes ---- */

static volatile sig_atomic_t interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

/* Spawns argv (argv[0] looked up in PATH) with stdout, and stderr too when
 * `both`, appended to `out_path`; 0 on failure. */
static pid_t spawn_to(const char *const *argv, const char *out_path, bool both)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, out_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (both)
        posix_spawn_file_actions_adddup2(&fa, 1, 2);
    pid_t pid = 0;
    if (posix_spawnp(&pid, argv[0], &fa, NULL, process_argv(argv), environ) != 0)
        pid = 0;
    posix_spawn_file_actions_destroy(&fa);
    return pid;
}

/* Sends `sig` (SIGCONT too, in case it is stopped) and reaps. */
static void process_end(pid_t *pid, int sig)
{
    if (*pid <= 0)
        return;
    kill(*pid, sig);
    kill(*pid, SIGCONT);
    waitpid(*pid, NULL, 0);
    *pid = 0;
}

static void sleep_ms(double ms)
{
    long long ns = (long long)(ms * 1e6);
    struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    nanosleep(&ts, NULL);
}

static double now_ms(void)
{
    return bench_now_us() / 1000.0;
}

/* ---- redis-server ---- */

typedef struct redis_proc {
    pid_t pid;
    int port;
    char dir[256];
    char log[300];
} redis_proc;

static bool port_open(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0)
        close(fd);
    return ok;
}

/* Starts redis-server on r->port (no persistence, r->dir its directory) and
 * waits (up to 5 s) until it accepts connections. */
static bool redis_start(redis_proc *r)
{
    char port[16];
    snprintf(port, sizeof port, "%d", r->port);
    const char *argv[] = {"redis-server", "--port",     port,           "--bind", "127.0.0.1",
                          "--save",       "",           "--appendonly", "no",     "--dir",
                          r->dir,         "--loglevel", "warning",      NULL};
    r->pid = spawn_to(argv, r->log, true);
    for (int i = 0; r->pid > 0 && i < 200; i++) {
        if (port_open(r->port))
            return true;
        if (waitpid(r->pid, NULL, WNOHANG) == r->pid)
            r->pid = 0;
        else
            sleep_ms(25);
    }
    fprintf(stderr, "bench_fleet_soak: redis-server did not start on port %d (see %s)\n", r->port,
            r->log);
    return false;
}

static void redis_kill9(redis_proc *r)
{
    process_end(&r->pid, SIGKILL);
}

/* PTTL of `key` (RESP over a fresh connection, 1 s timeout): -2 no such
 * key, -1 no expiry, -3 no answer. */
static long redis_pttl(int port, const char *key)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct timeval tv = {1, 0};
    char buf[512];
    int len = snprintf(buf, sizeof buf, "*2\r\n$4\r\nPTTL\r\n$%zu\r\n%s\r\n", strlen(key), key);
    long pttl = -3;
    if (fd >= 0 && setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) == 0 &&
        connect(fd, (struct sockaddr *)&a, sizeof a) == 0 && write(fd, buf, (size_t)len) == len) {
        ssize_t n = read(fd, buf, sizeof buf - 1);
        buf[n > 0 ? n : 0] = '\0';
        if (buf[0] == ':')
            pttl = strtol(buf + 1, NULL, 10);
    }
    if (fd >= 0)
        close(fd);
    return pttl;
}

/* ---- the timeline ---- */

typedef enum redis_action { KILL, RESTART, STOP, CONT } redis_action;

typedef struct event {
    double at_s; /* planned, as a fraction of 60 s */
    redis_action action;
    const char *label;
    double done_s; /* when it happened */
} event;

static event timeline[] = {
    {10, KILL, "kill -9 redis-server (refused)", 0},
    {20, RESTART, "restart redis-server (same port, empty)", 0},
    {35, STOP, "SIGSTOP redis-server (unreachable)", 0},
    {45, CONT, "SIGCONT redis-server", 0},
};
#define EVENTS (sizeof timeline / sizeof timeline[0])

static bool event_run(event *e, redis_proc *r)
{
    switch (e->action) {
    case KILL:
        redis_kill9(r);
        return true;
    case RESTART:
        return redis_start(r);
    case STOP:
        return kill(r->pid, SIGSTOP) == 0;
    case CONT:
        return kill(r->pid, SIGCONT) == 0;
    }
    return false;
}

/* Sleeps until `until_ms`; false when interrupted. */
static bool wait_until(double until_ms)
{
    while (!interrupted && now_ms() < until_ms)
        sleep_ms(50);
    return !interrupted;
}

/* Runs the timeline of a run of `seconds` from t0; false on interrupt or
 * a failed action. */
static bool timeline_run(redis_proc *r, double t0, double seconds)
{
    for (size_t i = 0; i < EVENTS; i++) {
        event *e = &timeline[i];
        if (!wait_until(t0 + e->at_s / 60.0 * seconds * 1000.0))
            return false;
        if (!event_run(e, r))
            return false;
        e->done_s = (now_ms() - t0) / 1000.0;
        printf("  t=%6.2f s  %s\n", e->done_s, e->label);
        fflush(stdout);
    }
    return true;
}

/* Redis was away (killed or stopped) at `t` seconds. */
static bool redis_away(double t)
{
    return (t >= timeline[0].done_s && t < timeline[1].done_s) ||
           (t >= timeline[2].done_s && t < timeline[3].done_s);
}

/* Redis came back less than RECONNECT_S before `t`: clients may not have
 * reconnected yet. */
static bool redis_recovering(double t)
{
    return (t >= timeline[1].done_s && t < timeline[1].done_s + RECONNECT_S) ||
           (t >= timeline[3].done_s && t < timeline[3].done_s + RECONNECT_S);
}

/* ---- the workers and their reports ---- */

typedef struct context_report {
    char mode[16];
    long completed, failed_valid, failed_token, cancelled, iterations, over_goal;
    double max_gap_ms, at_s, gap_cpu_ms, max_cpu_ms;
    double idle_ms, idle_end_s;
    int over_by_second[MAX_SECONDS]; /* stalls over the goal, by second of the run */
} context_report;

typedef struct worker_report {
    pid_t pid;
    int status;
    char out[300];
    context_report ctx[CONTEXTS];
    int grant_count;
    double grants[MAX_GRANTS];
} worker_report;

static worker_report workers[MAX_WORKERS];

/* The workers' key prefix, unique to this run. */
static void key_prefix(char *out, size_t size)
{
    snprintf(out, size, "soak%ld:", (long)getpid());
}

/* The refresh lock's state `after_s` seconds after Redis answers again. A
 * lock try that got no answer while Redis was stopped may run when it
 * resumes, leaving a lock nobody releases until the cache's
 * lock_expiry_ms (10 s); a refresh in progress holds it for a few ms. So
 * a lock seen at both probes, 2 s apart, with 2 s less left, is stuck. */
static void lock_probe(const redis_proc *r, double t0, double after_s)
{
    if (!wait_until(t0 + (timeline[EVENTS - 1].done_s + after_s) * 1000.0))
        return;
    char key[96];
    key_prefix(key, sizeof key);
    snprintf(key + strlen(key), sizeof key - strlen(key), "lock:demo-client:app");
    long pttl = redis_pttl(r->port, key);
    printf("  t=%6.2f s  the refresh lock: %s", (now_ms() - t0) / 1000.0,
           pttl == -2   ? "free\n"
           : pttl == -3 ? "no answer\n"
                        : "held, ");
    if (pttl >= 0)
        printf("%ld ms left\n", pttl);
    fflush(stdout);
}

static bool workers_spawn(int n, const char *dir, const char *redis_url, const char *emu, double t0,
                          double end)
{
    char t0_text[32], end_text[32];
    snprintf(t0_text, sizeof t0_text, "%.3f", t0);
    snprintf(end_text, sizeof end_text, "%.3f", end);
    for (int i = 0; i < n; i++) {
        char index[16], prefix[32];
        snprintf(index, sizeof index, "%d", i);
        key_prefix(prefix, sizeof prefix);
        snprintf(workers[i].out, sizeof workers[i].out, "%s/worker-%d.out", dir, i);
        const char *argv[] = {SOAK_WORKER_PATH, index,   redis_url, emu,
                              prefix,           t0_text, end_text,  NULL};
        workers[i].pid = spawn_to(argv, workers[i].out, false);
        if (workers[i].pid == 0)
            return false;
    }
    return true;
}

/* Waits for every worker until `deadline_ms`, then kills the rest; false
 * when one did not exit 0 by itself. */
static bool workers_wait(int n, double deadline_ms)
{
    bool ok = true;
    for (int i = 0; i < n; i++) {
        int status = 0;
        pid_t got = 0;
        while ((got = waitpid(workers[i].pid, &status, WNOHANG)) == 0 && !interrupted &&
               now_ms() < deadline_ms)
            sleep_ms(50);
        if (got != workers[i].pid) {
            process_end(&workers[i].pid, SIGKILL);
            if (!interrupted)
                fprintf(stderr, "bench_fleet_soak: worker %d did not finish in time\n", i);
            ok = false;
            continue;
        }
        workers[i].pid = 0;
        workers[i].status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        ok = ok && workers[i].status == 0;
    }
    return ok;
}

static void workers_kill(int n)
{
    for (int i = 0; i < n; i++)
        process_end(&workers[i].pid, SIGKILL);
}

/* "stalls N S:C ...": C stalls over the goal ended in second S. */
static bool stalls_parse(FILE *f, context_report *c)
{
    int n = 0;
    if (fscanf(f, " stalls %d", &n) != 1 || n < 0 || n > MAX_SECONDS)
        return false;
    for (int k = 0; k < n; k++) {
        int second = 0, count = 0;
        if (fscanf(f, " %d:%d", &second, &count) != 2 || second < 0 || second >= MAX_SECONDS)
            return false;
        c->over_by_second[second] = count;
    }
    return true;
}

static bool context_parse(FILE *f, context_report *c)
{
    int index = 0;
    return fscanf(f,
                  " context %d %15s completed %ld failed_valid %ld failed_token %ld cancelled %ld"
                  " iterations %ld max_gap_ms %lf at_s %lf gap_cpu_ms %lf max_cpu_ms %lf"
                  " over_goal %ld idle_ms %lf idle_end_s %lf",
                  &index, c->mode, &c->completed, &c->failed_valid, &c->failed_token, &c->cancelled,
                  &c->iterations, &c->max_gap_ms, &c->at_s, &c->gap_cpu_ms, &c->max_cpu_ms,
                  &c->over_goal, &c->idle_ms, &c->idle_end_s) == 14 &&
           stalls_parse(f, c);
}

static bool report_read(worker_report *w)
{
    FILE *f = fopen(w->out, "r");
    if (f == NULL)
        return false;
    bool ok = true;
    for (int i = 0; i < CONTEXTS && ok; i++)
        ok = context_parse(f, &w->ctx[i]);
    ok = ok && fscanf(f, " grants %d", &w->grant_count) == 1 && w->grant_count >= 0 &&
         w->grant_count <= MAX_GRANTS;
    for (int i = 0; ok && i < w->grant_count; i++)
        ok = fscanf(f, " %lf", &w->grants[i]) == 1;
    fclose(f);
    if (!ok)
        fprintf(stderr, "bench_fleet_soak: unreadable report %s\n", w->out);
    return ok;
}

/* ---- the figures ---- */

/* Refreshes grouped by expiry: a refresh more than half a renewal period
 * after the first of the current group starts a new group. */
typedef struct expiry_count {
    int refreshes;
    int expiries;
    int most_in_one; /* the largest group */
} expiry_count;

static int compare_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Which stretch of the timeline `t` is in (0 up, 1 away, 2 up, 3 away, 4 up). */
static int stretch_of(double t)
{
    int s = 0;
    for (size_t i = 0; i < EVENTS; i++)
        s += t >= timeline[i].done_s;
    return s;
}

/* A refresh at `t` belongs to a new expiry, not to the group that started
 * at `group_start` (a new stretch of the timeline, or half a renewal period
 * later). */
static bool expiry_new(double t, double group_start)
{
    return stretch_of(t) != stretch_of(group_start) || t - group_start >= RENEW_PERIOD_S / 2;
}

/* Groups the sorted `times` into expiries. */
static void expiries_add(expiry_count *c, const double *times, int n)
{
    double group_start = -1e9;
    int group_size = 0;
    for (int i = 0; i < n; i++) {
        if (expiry_new(times[i], group_start)) {
            c->expiries++;
            group_start = times[i];
            group_size = 0;
        }
        group_size++;
        c->refreshes++;
        if (group_size > c->most_in_one)
            c->most_in_one = group_size;
    }
}

/* The grants of the workers with `want_away` (Redis away, or up and not
 * recovering), sorted, into `out`; per worker `only` (-1: every worker). */
static int grants_select(int n, int only, bool want_away, double *out, int cap)
{
    int count = 0;
    for (int i = 0; i < n; i++) {
        if (only >= 0 && i != only)
            continue;
        for (int g = 0; g < workers[i].grant_count && count < cap; g++) {
            double t = workers[i].grants[g];
            bool away = redis_away(t);
            if (away == want_away && (away || !redis_recovering(t)))
                out[count++] = t;
        }
    }
    qsort(out, (size_t)count, sizeof *out, compare_double);
    return count;
}

static double selected[MAX_WORKERS * MAX_GRANTS];

typedef struct summary {
    long completed, failed_valid, failed_token, cancelled, iterations, over_goal;
    double max_gap_ms, max_gap_at_s, max_gap_cpu_ms, max_cpu_ms;
    long stalls_up, stalls_away; /* over the goal, by Redis's state */
    int max_gap_worker, max_gap_context;
    double idle_ms, idle_end_s; /* the longest time a context completed nothing */
    int idle_worker;
    double max_gap_by_mode[2]; /* self, libuv */
    int grants, recovering_grants;
    expiry_count up_fleet, away_fleet, away_process;
} summary;

static void summary_context(summary *s, const context_report *c, int worker, int index)
{
    s->completed += c->completed;
    s->failed_valid += c->failed_valid;
    s->failed_token += c->failed_token;
    s->cancelled += c->cancelled;
    s->iterations += c->iterations;
    s->over_goal += c->over_goal;
    int mode = strcmp(c->mode, "libuv") == 0;
    if (c->max_gap_ms > s->max_gap_by_mode[mode])
        s->max_gap_by_mode[mode] = c->max_gap_ms;
    if (c->max_cpu_ms > s->max_cpu_ms)
        s->max_cpu_ms = c->max_cpu_ms;
    if (c->idle_ms > s->idle_ms) {
        s->idle_ms = c->idle_ms;
        s->idle_end_s = c->idle_end_s;
        s->idle_worker = worker;
    }
    for (int k = 0; k < MAX_SECONDS; k++)
        *(redis_away(k + 0.5) ? &s->stalls_away : &s->stalls_up) += c->over_by_second[k];
    if (c->max_gap_ms > s->max_gap_ms) {
        s->max_gap_ms = c->max_gap_ms;
        s->max_gap_at_s = c->at_s;
        s->max_gap_cpu_ms = c->gap_cpu_ms;
        s->max_gap_worker = worker;
        s->max_gap_context = index;
    }
}

static void summary_refreshes(summary *s, int n)
{
    int count = grants_select(n, -1, false, selected, MAX_WORKERS * MAX_GRANTS);
    expiries_add(&s->up_fleet, selected, count);
    count = grants_select(n, -1, true, selected, MAX_WORKERS * MAX_GRANTS);
    expiries_add(&s->away_fleet, selected, count);
    for (int i = 0; i < n; i++) {
        count = grants_select(n, i, true, selected, MAX_WORKERS * MAX_GRANTS);
        expiries_add(&s->away_process, selected, count);
        s->grants += workers[i].grant_count;
    }
    s->recovering_grants = s->grants - s->up_fleet.refreshes - s->away_fleet.refreshes;
}

/* A refresh: when, and by which worker. */
typedef struct grant {
    double t;
    int worker;
} grant;

static grant all_grants[MAX_WORKERS * MAX_GRANTS];

static int compare_grant(const void *a, const void *b)
{
    return compare_double(&((const grant *)a)->t, &((const grant *)b)->t);
}

static const char *redis_state(double t)
{
    return redis_away(t) ? "away" : redis_recovering(t) ? "back <1 s" : "up";
}

/* Every refresh, one line per expiry: when, Redis's state, which workers. */
static void refreshes_print(int n)
{
    int count = 0;
    for (int i = 0; i < n; i++)
        for (int g = 0; g < workers[i].grant_count; g++)
            all_grants[count++] = (grant){workers[i].grants[g], i};
    qsort(all_grants, (size_t)count, sizeof *all_grants, compare_grant);
    printf("\nRefreshes by expiry (time, Redis, the workers that refreshed):");
    double group_start = -1e9;
    for (int i = 0; i < count; i++) {
        if (expiry_new(all_grants[i].t, group_start)) {
            group_start = all_grants[i].t;
            printf("\n  t=%6.2f s  %-9s  workers", group_start, redis_state(group_start));
        }
        printf(" %d", all_grants[i].worker);
    }
    printf("\n");
}

static double per_expiry(const expiry_count *c)
{
    return c->expiries > 0 ? (double)c->refreshes / c->expiries : 0;
}

static const char *verdict(bool met)
{
    return met ? "met" : "NOT MET";
}

/* Seconds Redis was away during the run. */
static double away_seconds(void)
{
    return timeline[1].done_s - timeline[0].done_s + timeline[3].done_s - timeline[2].done_s;
}

static void refreshes_summary_print(const summary *s, int n, long emulator_grants)
{
    printf("Refreshes: %d (the emulator counted %ld); %d in the first %.0f s after Redis came "
           "back (not classified)\n",
           s->grants, emulator_grants, s->recovering_grants, RECONNECT_S);
    printf("  Redis up:   %d refreshes, %d expiries, %.2f per expiry fleet-wide (most in one "
           "expiry: %d)\n",
           s->up_fleet.refreshes, s->up_fleet.expiries, per_expiry(&s->up_fleet),
           s->up_fleet.most_in_one);
    printf("  Redis away: %d refreshes, %.2f per expiry fleet-wide (%d processes); per process "
           "%.2f per expiry (most in one expiry: %d)\n",
           s->away_fleet.refreshes, per_expiry(&s->away_fleet), n, per_expiry(&s->away_process),
           s->away_process.most_in_one);
}

static void stalls_summary_print(const summary *s, double seconds)
{
    double away = away_seconds(), up = seconds - away;
    printf("Loop stalls: %ld iterations, %ld over %.0f ms (%.1f/s while Redis was up, %.1f/s "
           "while away)\n",
           s->iterations, s->over_goal, STALL_GOAL_MS, up > 0 ? (double)s->stalls_up / up : 0,
           away > 0 ? (double)s->stalls_away / away : 0);
    printf("  longest %.1f ms (worker %d context %d, t=%.2f s, %s; %.1f ms of it on the CPU); "
           "longest self-driven %.1f ms, libuv %.1f ms; longest on-CPU iteration %.1f ms\n",
           s->max_gap_ms, s->max_gap_worker, s->max_gap_context, s->max_gap_at_s,
           redis_state(s->max_gap_at_s), s->max_gap_cpu_ms, s->max_gap_by_mode[0],
           s->max_gap_by_mode[1], s->max_cpu_ms);
}

static void goals_print(const summary *s)
{
    printf("\n| goal | measured | |\n| --- | --- | --- |\n");
    printf("| no loop stall over 50 ms | longest %.1f ms | %s |\n", s->max_gap_ms,
           verdict(s->max_gap_ms <= STALL_GOAL_MS));
    printf("| 0 failed requests with a valid token | %ld | %s |\n", s->failed_valid,
           verdict(s->failed_valid == 0));
    printf("| at most 1 refresh per process per expiry, Redis away | most %d | %s |\n",
           s->away_process.most_in_one, verdict(s->away_process.most_in_one <= 1));
    printf("| 1 refresh per expiry fleet-wide, Redis up | most %d | %s |\n",
           s->up_fleet.most_in_one, verdict(s->up_fleet.most_in_one <= 1));
}

static void summary_print(const summary *s, int n, double seconds, long emulator_grants)
{
    refreshes_print(n);
    printf("\nRequests: %ld completed (%.0f/s), %ld failed with a valid token, %ld failed "
           "without one, %ld cancelled at the end\n",
           s->completed, (double)s->completed / seconds, s->failed_valid, s->failed_token,
           s->cancelled);
    printf("Longest time a context completed nothing: %.0f ms (worker %d, until t=%.2f s)\n",
           s->idle_ms, s->idle_worker, s->idle_end_s);
    refreshes_summary_print(s, n, emulator_grants);
    stalls_summary_print(s, seconds);
    goals_print(s);
}

/* ---- the run ---- */

typedef struct run {
    int workers;
    double seconds;
    char dir[256];
    redis_proc redis;
    emulator_process emu;
    bool emu_started;
} run;

static bool options_parse(run *r, int argc, char **argv)
{
    r->workers = 8;
    r->seconds = 60;
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc)
            return false;
        if (strcmp(argv[i], "--seconds") == 0)
            r->seconds = strtod(argv[i + 1], NULL);
        else if (strcmp(argv[i], "--workers") == 0)
            r->workers = (int)strtol(argv[i + 1], NULL, 10);
        else
            return false;
    }
    return r->seconds >= 5 && r->seconds <= 3600 && r->workers >= 1 && r->workers <= MAX_WORKERS;
}

static bool servers_start(run *r)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(r->dir, sizeof r->dir, "%s/spotify-soak-XXXXXX", tmp != NULL ? tmp : "/tmp");
    if (mkdtemp(r->dir) == NULL) {
        perror("bench_fleet_soak: mkdtemp");
        r->dir[0] = '\0';
        return false;
    }
    snprintf(r->redis.dir, sizeof r->redis.dir, "%s", r->dir);
    snprintf(r->redis.log, sizeof r->redis.log, "%s/redis.log", r->dir);
    r->redis.port = loopback_free_port();
    if (!redis_start(&r->redis))
        return false;
    const char *args[] = {"--latency-ms", "20", "--token-lifetime", "5", NULL};
    r->emu_started = emulator_start(&r->emu, args);
    return r->emu_started;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void servers_stop(run *r)
{
    process_end(&r->redis.pid, SIGTERM);
    if (r->emu_started)
        emulator_stop(&r->emu);
    r->emu_started = false;
    if (r->dir[0] != '\0')
        nftw(r->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

/* The workers' run, the timeline and the reports; false on a harness
 * error or interrupt. */
static bool soak(run *r, summary *s, long *emulator_grants)
{
    char redis_url[64];
    snprintf(redis_url, sizeof redis_url, "redis://127.0.0.1:%d", r->redis.port);
    long grants_before = emulator_grant_count(&r->emu, "client_credentials");
    double t0 = now_ms(), end = t0 + r->seconds * 1000.0;
    printf("Fleet soak: %d workers x %d contexts x 32 in flight, %.0f s, emulator latency 20 ms, "
           "token lifetime %d s\n",
           r->workers, CONTEXTS, r->seconds, TOKEN_LIFETIME_S);
    printf("  t=  0.00 s  workers start\n");
    fflush(stdout);
    bool ok = workers_spawn(r->workers, r->dir, redis_url, r->emu.base_url, t0, end) &&
              timeline_run(&r->redis, t0, r->seconds);
    for (int probe = 0; ok && probe < 2; probe++)
        lock_probe(&r->redis, t0, RECONNECT_S + 2.0 * probe);
    ok = ok && wait_until(end);
    if (ok)
        printf("  t=%6.2f s  workers stop\n", (now_ms() - t0) / 1000.0);
    ok = workers_wait(r->workers, end + DRAIN_S * 1000.0) && ok;
    for (int i = 0; ok && i < r->workers; i++) {
        ok = report_read(&workers[i]);
        for (int c = 0; ok && c < CONTEXTS; c++)
            summary_context(s, &workers[i].ctx[c], i, c);
    }
    if (ok)
        summary_refreshes(s, r->workers);
    *emulator_grants = emulator_grant_count(&r->emu, "client_credentials") - grants_before;
    return ok;
}

int main(int argc, char **argv)
{
    static run r;
    if (!options_parse(&r, argc, argv)) {
        fprintf(stderr,
                "usage: bench_fleet_soak [--seconds N (5-3600, default 60)] "
                "[--workers N (1-%d, default 8)]\n",
                MAX_WORKERS);
        return 2;
    }
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    static summary s;
    long emulator_grants = 0;
    bool ok = servers_start(&r) && soak(&r, &s, &emulator_grants);
    workers_kill(r.workers);
    servers_stop(&r);
    if (interrupted) {
        fprintf(stderr, "bench_fleet_soak: interrupted\n");
        return 130;
    }
    if (!ok)
        return 2;
    summary_print(&s, r.workers, r.seconds, emulator_grants);
    return 0;
}
