/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/browser.c - starting the user's browser: $BROWSER (colon-separated
 * commands, tried in order), else xdg-open / open. Always posix_spawnp with
 * an argument vector, never a shell, so a URL is never shell syntax.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "local_auth.h"

extern char **environ;

#define ARGS_MAX 32

#if defined(__APPLE__)
#define DEFAULT_BROWSER "open"
#else
#define DEFAULT_BROWSER "xdg-open"
#endif

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Splits `cmd` (modified in place) on spaces into argv, with the URL
 * substituted for "%s" or appended. false when it holds no command. */
static bool build_argv(char *cmd, char *url, char **argv)
{
    size_t argc = 0;
    bool substituted = false;
    for (char *p = cmd; *p != '\0' && argc < ARGS_MAX - 2;) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (*p == '\0')
            break;
        argv[argc] = p;
        if (strcmp(p, "%s") == 0 || strncmp(p, "%s ", 3) == 0 || strncmp(p, "%s\t", 3) == 0) {
            argv[argc] = url;
            substituted = true;
        }
        argc++;
        p += strcspn(p, " \t");
    }
    if (argc == 0)
        return false;
    if (!substituted)
        argv[argc++] = url;
    argv[argc] = NULL;
    return true;
}

static bool spawn(pid_t *pid, char **argv)
{
    posix_spawn_file_actions_t fa;
    if (posix_spawn_file_actions_init(&fa) != 0)
        return false;
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    int rc = posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    return rc == 0;
}

/* Starts the next entry that can be spawned; FAILED when none is left. */
static void launch_next(spotify__browser_launch *l, int64_t now_ms, int grace_ms)
{
    l->pid = -1;
    while (l->next != NULL) {
        char *entry = l->next;
        l->next = strchr(entry, ':');
        if (l->next != NULL)
            *l->next++ = '\0';
        char *argv[ARGS_MAX];
        if (!build_argv(entry, l->url, argv))
            continue;
        if (spawn(&l->pid, argv)) {
            l->command = argv[0];
            l->settle_by_ms = now_ms + grace_ms;
            l->state = SPOTIFY__BROWSER_WATCHING;
            return;
        }
        spotify__log(SPOTIFY_LOG_DEBUG, "spotify_authorize_local: could not start browser '%s'",
                     argv[0]);
    }
    l->state = SPOTIFY__BROWSER_FAILED;
}

void spotify__browser_launch_start(spotify__browser_launch *l, const char *url,
                                   const char *browser_env, int64_t now_ms, int grace_ms)
{
    memset(l, 0, sizeof *l);
    l->pid = -1;
    l->state = SPOTIFY__BROWSER_FAILED;
    const char *list =
        browser_env != NULL && browser_env[0] != '\0' ? browser_env : DEFAULT_BROWSER;
    l->entries = spotify__strdup(list);
    l->url = spotify__strdup(url);
    if (l->entries == NULL || l->url == NULL)
        return;
    l->next = l->entries;
    launch_next(l, now_ms, grace_ms);
}

void spotify__browser_launch_poll(spotify__browser_launch *l, int64_t now_ms, int grace_ms)
{
    if (l->state != SPOTIFY__BROWSER_WATCHING)
        return;
    int status = 0;
    pid_t r = waitpid(l->pid, &status, WNOHANG);
    bool exited_ok = r == l->pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
    if (exited_ok || (r < 0 && errno == ECHILD)) {
        /* Exited 0 (xdg-open hands over and exits), or SIGCHLD is ignored:
         * children are reaped by the kernel and the exit status is lost;
         * count it as started rather than opening a second browser. */
        l->pid = -1;
        l->state = SPOTIFY__BROWSER_OPENED;
    } else if (r == l->pid || (r < 0 && errno != EINTR)) {
        spotify__log(SPOTIFY_LOG_DEBUG, "spotify_authorize_local: browser '%s' failed", l->command);
        launch_next(l, now_ms, grace_ms);
    } else if (now_ms >= l->settle_by_ms) {
        l->state = SPOTIFY__BROWSER_OPENED; /* still running: the browser itself */
    }
}

void spotify__browser_launch_release(spotify__browser_launch *l)
{
    spotify__free(l->entries);
    spotify__free(l->url);
    l->entries = NULL;
    l->url = NULL;
    l->next = NULL;
    l->command = NULL;
}

bool spotify__browser_open(const char *url, const char *browser_env, int grace_ms, pid_t *running)
{
    spotify__browser_launch l;
    spotify__browser_launch_start(&l, url, browser_env, spotify__monotonic_ms(), grace_ms);
    while (l.state == SPOTIFY__BROWSER_WATCHING) {
        sleep_ms(SPOTIFY__BROWSER_POLL_MS);
        spotify__browser_launch_poll(&l, spotify__monotonic_ms(), grace_ms);
    }
    bool opened = l.state == SPOTIFY__BROWSER_OPENED;
    *running = opened ? l.pid : -1;
    spotify__browser_launch_release(&l);
    return opened;
}

void spotify__browser_reap(pid_t pid)
{
    if (pid > 0)
        (void)waitpid(pid, NULL, WNOHANG);
}
