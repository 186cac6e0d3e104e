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

/* Waits up to grace_ms: true when the command is still running or exited 0. */
static bool settled_ok(pid_t pid, int grace_ms, bool *running)
{
    for (int waited = 0;; waited += 10) {
        int status = 0;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid) {
            *running = false;
            return WIFEXITED(status) && WEXITSTATUS(status) == 0;
        }
        if (r < 0 && errno == ECHILD) {
            /* SIGCHLD is ignored: children are reaped by the kernel and the
             * exit status is lost. Count it as started rather than opening
             * a second browser. */
            *running = false;
            return true;
        }
        if (r < 0 && errno != EINTR) {
            *running = false;
            return false;
        }
        if (waited >= grace_ms) {
            *running = true;
            return true;
        }
        sleep_ms(10);
    }
}

/* Tries one $BROWSER entry. */
static bool try_entry(char *entry, char *url, int grace_ms, pid_t *running)
{
    char *argv[ARGS_MAX];
    if (!build_argv(entry, url, argv))
        return false;
    pid_t pid;
    if (!spawn(&pid, argv)) {
        spotify__log(SPOTIFY_LOG_DEBUG, "spotify_authorize_local: could not start browser '%s'",
                     argv[0]);
        return false;
    }
    bool still = false;
    if (!settled_ok(pid, grace_ms, &still)) {
        spotify__log(SPOTIFY_LOG_DEBUG, "spotify_authorize_local: browser '%s' failed", argv[0]);
        return false;
    }
    *running = still ? pid : -1;
    return true;
}

bool spotify__browser_open(const char *url, const char *browser_env, int grace_ms, pid_t *running)
{
    *running = -1;
    const char *list =
        browser_env != NULL && browser_env[0] != '\0' ? browser_env : DEFAULT_BROWSER;
    char *copy = spotify__strdup(list);
    char *url_copy = spotify__strdup(url);
    if (copy == NULL || url_copy == NULL) {
        spotify__free(copy);
        spotify__free(url_copy);
        return false;
    }
    bool ok = false;
    for (char *entry = copy; entry != NULL && !ok;) {
        char *next = strchr(entry, ':');
        if (next != NULL)
            *next++ = '\0';
        ok = try_entry(entry, url_copy, grace_ms, running);
        entry = next;
    }
    spotify__free(copy);
    spotify__free(url_copy);
    return ok;
}

void spotify__browser_reap(pid_t pid)
{
    if (pid > 0)
        (void)waitpid(pid, NULL, WNOHANG);
}
