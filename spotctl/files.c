/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/files.c - the files spotctl reads and writes, each kind through
 * one mechanism:
 *
 *   - output files (export --out, spotctl-gendocs): spotctl_outfile decides
 *     from what the path names whether it is replaced atomically (a regular
 *     file or nothing yet: a temporary file beside it, renamed over it at
 *     the end, keeping its mode and owner) or written directly (standard
 *     output, a descriptor of this process, a device, a FIFO, a terminal);
 *     symlinks are followed, never replaced; directories are refused;
 *   - the temporary file of an atomic replace is recorded for the signal
 *     handlers (spotctl_remove_temp, async-signal-safe);
 *   - inputs (--ids-file, --data @FILE): spotctl_read_input reads at most a
 *     documented size and refuses binary input.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spotctl.h"

/* ------------------------------------------------------------------ */
/* The temporary file to remove when a signal ends the process          */
/* ------------------------------------------------------------------ */

static char temp_path[sizeof((spotctl_outfile *)0)->tmp];

/* Holds the signals whose handlers read temp_path (until unblock_signals). */
static void block_signals(sigset_t *prev)
{
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGPIPE);
    sigaddset(&block, SIGHUP);
    sigprocmask(SIG_BLOCK, &block, prev);
}

static void unblock_signals(const sigset_t *prev)
{
    sigprocmask(SIG_SETMASK, prev, NULL);
}

/* Records the temporary file (NULL: none) with the signals held, so a
 * handler never sees a half-written path. */
static void set_temp_path(const char *path)
{
    sigset_t prev;
    block_signals(&prev);
    if (path == NULL)
        temp_path[0] = '\0';
    else
        snprintf(temp_path, sizeof temp_path, "%s", path);
    unblock_signals(&prev);
}

void spotctl_remove_temp(void)
{
    if (temp_path[0] != '\0')
        unlink(temp_path);
}

/* ------------------------------------------------------------------ */
/* Output files                                                        */
/* ------------------------------------------------------------------ */

/* The descriptor a path names when it is one of this process's descriptor
 * links (/dev/fd/N, /proc/self/fd/N, /proc/PID/fd/N; /dev/stdout and
 * /dev/stderr lead to them), else -1. Such a path is written through that
 * descriptor (shared offset and O_APPEND, as `>&N` would), never reopened
 * or replaced. */
static int descriptor_link(const char *path)
{
    char self[48];
    snprintf(self, sizeof self, "/proc/%ld/fd/", (long)getpid());
    const char *prefixes[] = {"/dev/fd/", "/proc/self/fd/", "/proc/thread-self/fd/", self};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        size_t n = strlen(prefixes[i]);
        int64_t fd;
        if (strncmp(path, prefixes[i], n) == 0 && spotctl_parse_int(path + n, 0, INT_MAX, &fd))
            return (int)fd;
    }
    return -1;
}

/* Follows `path` link by link (a relative link from its own directory)
 * into `out`: the first path that is not a symlink, which may not exist.
 * *fd is set when a step is a descriptor link (out is then that step).
 * Returns 0 or an errno value. */
static int follow_links(char *out, size_t size, const char *path, int *fd)
{
    char cur[PATH_MAX], link[PATH_MAX];
    *fd = -1;
    if ((size_t)snprintf(cur, sizeof cur, "%s", path) >= sizeof cur)
        return ENAMETOOLONG;
    for (int hops = 0; hops <= 40; hops++) {
        struct stat st;
        *fd = descriptor_link(cur);
        if (*fd >= 0 || lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
            return (size_t)snprintf(out, size, "%s", cur) < size ? 0 : ENAMETOOLONG;
        ssize_t len = readlink(cur, link, sizeof link - 1);
        if (len < 0)
            return errno;
        link[len] = '\0';
        if (link[0] != '/') { /* relative to the link's directory */
            char *slash = strrchr(cur, '/');
            size_t dir = slash != NULL ? (size_t)(slash - cur) + 1 : 0;
            if (dir + (size_t)len >= sizeof cur)
                return ENAMETOOLONG;
            memmove(cur + dir, link, (size_t)len + 1);
        } else {
            memcpy(cur, link, (size_t)len + 1);
        }
    }
    return ELOOP;
}

int spotctl_target_of(spotctl_target *t, const char *path)
{
    memset(t, 0, sizeof *t);
    t->fd = -1;
    if (path == NULL || strcmp(path, "-") == 0) {
        t->kind = SPOTCTL_TARGET_STDOUT;
        t->fd = STDOUT_FILENO;
        snprintf(t->path, sizeof t->path, "-");
        return 0;
    }
    int e = follow_links(t->path, sizeof t->path, path, &t->fd);
    if (e != 0)
        return e;
    if (t->fd >= 0) { /* a descriptor of this process */
        if (fstat(t->fd, &t->st) != 0)
            return errno;
        t->kind = S_ISDIR(t->st.st_mode)   ? SPOTCTL_TARGET_DIRECTORY
                  : t->fd == STDOUT_FILENO ? SPOTCTL_TARGET_STDOUT
                                           : SPOTCTL_TARGET_DESCRIPTOR;
        return 0;
    }
    if (stat(t->path, &t->st) != 0) {
        if (errno != ENOENT)
            return errno;
        t->kind = SPOTCTL_TARGET_FILE; /* made by the rename */
        return 0;
    }
    t->exists = true;
    t->kind = S_ISDIR(t->st.st_mode)   ? SPOTCTL_TARGET_DIRECTORY
              : S_ISREG(t->st.st_mode) ? SPOTCTL_TARGET_FILE
                                       : SPOTCTL_TARGET_DIRECT;
    return 0;
}

/* Writes directly to the open descriptor `fd` (Owned). */
static int open_direct(spotctl_outfile *o, int fd)
{
    o->f = fdopen(fd, "w");
    if (o->f == NULL) {
        close(fd);
        return spotctl_failf(SPOTIFY_EIO, NULL, "cannot write %s: %s", o->name, strerror(errno));
    }
    return 0;
}

/* A temporary file beside o->path, with the mode (and owner) the result
 * should have: those of `old` when it replaces a file, else 0666 & ~umask;
 * 0600 when `private_mode`. */
static int open_atomic(spotctl_outfile *o, const struct stat *old, bool private_mode)
{
    const char *slash = strrchr(o->path, '/');
    int dir = slash != NULL ? (int)(slash - o->path) + 1 : 0; /* "dir/" or "" */
    int n = snprintf(o->tmp, sizeof o->tmp, "%.*s.%s.spotctl-XXXXXX", dir, o->path, o->path + dir);
    if (n < 0 || (size_t)n >= sizeof o->tmp)
        return spotctl_failf(SPOTIFY_EIO, NULL, "--out %s: path too long", o->name);
    /* created and recorded with the signals held: a signal in between
     * cannot leave the file behind */
    sigset_t prev;
    block_signals(&prev);
    int fd = mkstemp(o->tmp);
    int saved = errno;
    if (fd >= 0)
        set_temp_path(o->tmp);
    unblock_signals(&prev);
    if (fd < 0) {
        o->tmp[0] = '\0';
        return spotctl_failf(SPOTIFY_EIO, NULL, "cannot create a temporary file beside %s: %s",
                             o->path, strerror(saved));
    }
    mode_t mode;
    if (old != NULL) {
        /* the owner first: changing it clears set-id bits */
        if (fchown(fd, old->st_uid, old->st_gid) != 0 && errno != EPERM)
            spotctl_warn("%s: could not keep the owner: %s", o->path, strerror(errno));
        mode = old->st_mode & 07777;
    } else {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    }
    if (private_mode)
        mode = 0600;
    if (fchmod(fd, mode) != 0) {
        saved = errno;
        close(fd);
        spotctl_outfile_abort(o);
        return spotctl_failf(SPOTIFY_EIO, NULL, "cannot set the mode of %s: %s", o->tmp,
                             strerror(saved));
    }
    o->atomic = true;
    return open_direct(o, fd);
}

int spotctl_outfile_open(spotctl_outfile *o, const char *path, bool private_mode)
{
    memset(o, 0, sizeof *o);
    o->name = path != NULL ? path : "-";
    spotctl_target t;
    int e = spotctl_target_of(&t, path);
    if (e != 0)
        return spotctl_failf(SPOTIFY_EIO, NULL, "--out %s: %s", o->name, strerror(e));
    snprintf(o->path, sizeof o->path, "%s", t.path);
    int fd;
    switch (t.kind) {
    case SPOTCTL_TARGET_STDOUT:
        o->f = stdout;
        o->is_stdout = true;
        return 0;
    case SPOTCTL_TARGET_DESCRIPTOR:
        fd = fcntl(t.fd, F_DUPFD_CLOEXEC, 3);
        break;
    case SPOTCTL_TARGET_FILE:
        return open_atomic(o, t.exists ? &t.st : NULL, private_mode);
    case SPOTCTL_TARGET_DIRECT: /* a device, a FIFO, a terminal: as it is */
        fd = open(o->path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        break;
    case SPOTCTL_TARGET_DIRECTORY:
    default:
        return spotctl_failf(SPOTIFY_EIO, NULL, "--out %s: is a directory", o->name);
    }
    if (fd < 0)
        return spotctl_failf(SPOTIFY_EIO, NULL, "cannot write %s: %s", o->name, strerror(errno));
    return open_direct(o, fd);
}

void spotctl_outfile_abort(spotctl_outfile *o)
{
    if (o->f != NULL && !o->is_stdout)
        fclose(o->f);
    else if (o->f != NULL)
        fflush(o->f);
    o->f = NULL;
    if (o->tmp[0] != '\0') {
        unlink(o->tmp);
        set_temp_path(NULL);
        o->tmp[0] = '\0';
    }
}

int spotctl_outfile_commit(spotctl_outfile *o)
{
    if (o->is_stdout) {
        o->f = NULL;
        return fflush(stdout) == 0 ? 0
                                   : spotctl_failf(SPOTIFY_EIO, NULL, "writing the output failed");
    }
    bool ok = fflush(o->f) == 0 && (!o->atomic || fsync(fileno(o->f)) == 0);
    int saved = errno;
    ok = fclose(o->f) == 0 && ok;
    o->f = NULL;
    if (ok && o->atomic && rename(o->tmp, o->path) != 0) {
        saved = errno;
        ok = false;
    }
    if (o->atomic) {
        if (!ok)
            unlink(o->tmp);
        set_temp_path(NULL);
        o->tmp[0] = '\0';
    }
    return ok ? 0
              : spotctl_failf(SPOTIFY_EIO, NULL, "writing %s failed: %s", o->name, strerror(saved));
}

/* ------------------------------------------------------------------ */
/* Inputs                                                              */
/* ------------------------------------------------------------------ */

/* "16 MiB", "256 KB": a limit as people write it. */
static void size_text(char *out, size_t size, size_t n)
{
    if (n >= ((size_t)1 << 20))
        snprintf(out, size, "%zu MiB", n >> 20);
    else
        snprintf(out, size, "%zu KB", n >> 10);
}

/* Reads `path` whole (see spotctl_read_input); `text` refuses NUL bytes. */
static int read_whole(char **out, size_t *len, const char *what, const char *path, size_t max,
                      bool text)
{
    *out = NULL;
    *len = 0;
    bool std = strcmp(path, "-") == 0;
    FILE *f = std ? stdin : fopen(path, "rb");
    if (f == NULL)
        return spotctl_failf(SPOTIFY_EIO, NULL, "cannot read %s%s: %s", what, path,
                             strerror(errno));
    spotctl_buf b = {0};
    char chunk[65536];
    size_t n;
    int rc = 0;
    /* one byte past the limit tells "too large" from "exactly the limit" */
    while (rc == 0 && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        const char *nul = text ? memchr(chunk, '\0', n) : NULL;
        char limit[32];
        size_text(limit, sizeof limit, max);
        if (nul != NULL)
            rc = spotctl_failf(SPOTIFY_EINVALID, "give a text file",
                               "%s%s: binary input (a NUL byte at offset %zu)", what, path,
                               b.len + (size_t)(nul - chunk));
        else if (b.len + n > max)
            rc = spotctl_failf(SPOTIFY_EINVALID, NULL, "%s%s: larger than %s (the limit)", what,
                               path, limit);
        else if (!spotctl_buf_add(&b, chunk, n))
            rc = spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    }
    if (rc == 0 && ferror(f))
        rc = spotctl_failf(SPOTIFY_EIO, NULL, "reading %s%s failed", what, path);
    if (rc == 0 && !spotctl_buf_add(&b, "", 0))
        rc = spotctl_failf(SPOTIFY_ENOMEM, NULL, "out of memory");
    if (!std)
        fclose(f);
    if (rc != 0) {
        spotctl_buf_free(&b);
        return rc;
    }
    *out = b.data;
    *len = b.len;
    return 0;
}

int spotctl_read_input(char **out, size_t *len, const char *what, const char *path, size_t max)
{
    return read_whole(out, len, what, path, max, true);
}

int spotctl_read_binary(char **out, size_t *len, const char *what, const char *path, size_t max)
{
    return read_whole(out, len, what, path, max, false);
}
