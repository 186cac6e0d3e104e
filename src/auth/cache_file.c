/* SPDX-License-Identifier: Apache-2.0 */
/*
 * auth/cache_file.c - the JSON file token cache.
 *
 * Writes are atomic and private: the record goes to a temporary file
 * created 0600 with O_EXCL in the target's directory, is fsync'ed, renamed
 * over the target, and the directory is fsync'ed. A failure at any step
 * unlinks the temporary file and leaves the previous file as it was.
 * Temporary files that a killed process left behind (same name pattern,
 * older than a minute) are removed at the next write.
 * Reads never fail: a missing file is "no token", and an unreadable,
 * oversized or invalid one is "no token" plus a warning in the log. The
 * file is opened with O_NOFOLLOW | O_NONBLOCK and only a regular file is
 * read: a symlink, FIFO or device at the path is "no token" (a FIFO can
 * never make a read hang).
 * Locking is flock() on "<path>.lock", which excludes other processes and
 * other cache objects in this process; threads sharing this cache object
 * are serialised by a mutex/condition pair before they reach flock(). The
 * lock file is opened with O_NOFOLLOW and must be a regular file owned by
 * this user, so a planted symlink or file cannot make us create or lock
 * something of another user's choosing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/alloc.h"
#include "../core/clock.h"
#include "../core/crypto.h"
#include "../core/env.h"
#include "../core/error.h"
#include "../core/log.h"
#include "../core/strbuf.h"
#include "cache.h"
#include "oauth.h"

/* Token files are a few hundred bytes; anything beyond this is not one. */
#define TOKEN_FILE_MAX (1024 * 1024)
#define TEMP_ATTEMPTS 8
/* The random part of a temporary file's name: ".tmp-" and 12 hex digits. */
#define TEMP_SUFFIX ".tmp-"
#define TEMP_HEX_DIGITS 12
/* A temporary file this old was left by a writer that died. */
#define TEMP_STALE_SECONDS 60

typedef struct file_cache {
    char *path;      /* the token file, "~/" expanded */
    char *lock_path; /* "<path>.lock" */
    char *dir;       /* the directory holding both */
    pthread_mutex_t mutex;
    pthread_cond_t released;
    bool held;                        /* a thread of this process holds (or is taking) the lock */
    int lock_fd;                      /* the flock()ed descriptor while held, else -1 */
    spotify_token_file_format format; /* the shape it writes */
} file_cache;

/* strerror, thread-safe, for either strerror_r flavour. */
static const char *errno_text(int e, char *buf, size_t size)
{
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
    return strerror_r(e, buf, size);
#else
    return strerror_r(e, buf, size) == 0 ? buf : "unknown error";
#endif
}

static spotify_status io_error(spotify_error *err, const file_cache *fc, const char *what, int e)
{
    char buf[128];
    return spotify__error_set(err, SPOTIFY_EIO, 0, "token cache %s: %s: %s", fc->path, what,
                              errno_text(e, buf, sizeof buf));
}

static void warn_unusable(const file_cache *fc, const char *problem, int e)
{
    char buf[128];
    spotify__log(SPOTIFY_LOG_WARN, "token cache %s: %s%s%s; reading it as no token", fc->path,
                 problem, e != 0 ? ": " : "", e != 0 ? errno_text(e, buf, sizeof buf) : "");
}

/* ------------------------------------------------------------------------ */
/* Paths and directories                                                    */
/* ------------------------------------------------------------------------ */

/* The path with a leading "~/" replaced by $HOME; NULL on OOM or when HOME
 * is unset (*no_home is then true). */
static char *expand_home(const char *path, bool *no_home)
{
    *no_home = false;
    spotify__strbuf sb = SPOTIFY__STRBUF_INIT;
    if (path[0] == '~' && path[1] == '/') {
        const char *home = spotify__env("HOME");
        if (home == NULL) {
            *no_home = true;
            return NULL;
        }
        size_t home_len = strlen(home);
        while (home_len > 1 && home[home_len - 1] == '/')
            home_len--;
        spotify__strbuf_append(&sb, home, home_len);
        path++;
    }
    spotify__strbuf_append_str(&sb, path);
    return spotify__strbuf_detach(&sb, NULL);
}

/* The directory part of `path` ("." when it has none). */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        return spotify__strdup(".");
    while (slash > path && slash[-1] == '/')
        slash--;
    return slash == path ? spotify__strdup("/") : spotify__strndup(path, (size_t)(slash - path));
}

/* mkdir -p with mode 0700 for every directory it creates; 0 or an errno. */
static int make_dirs(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return S_ISDIR(st.st_mode) ? 0 : ENOTDIR;
    char *copy = spotify__strdup(dir);
    if (copy == NULL)
        return ENOMEM;
    int result = 0;
    for (char *p = copy + 1; result == 0; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        if (mkdir(copy, 0700) != 0 && errno != EEXIST)
            result = errno;
        *p = saved;
        if (saved == '\0')
            break;
    }
    spotify__free(copy);
    if (result == 0 && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)))
        result = ENOTDIR;
    return result;
}

/* ------------------------------------------------------------------------ */
/* Store                                                                    */
/* ------------------------------------------------------------------------ */

/* Writes all `len` bytes, through short writes and EINTR; 0 or an errno. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n < 0 ? errno : EIO;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

static int fsync_fd(int fd)
{
    while (fsync(fd) != 0) {
        if (errno != EINTR)
            return errno;
    }
    return 0;
}

/* Creates "<path>.tmp-<random>" with mode 0600, exclusively. Returns the
 * descriptor (its name in *tmp_path) or -1 with errno set. */
static int create_temp(const file_cache *fc, spotify__strbuf *tmp_path)
{
    for (int attempt = 0; attempt < TEMP_ATTEMPTS; attempt++) {
        unsigned char rnd[6];
        if (!spotify__random_bytes(rnd, sizeof rnd)) {
            errno = EIO;
            return -1;
        }
        spotify__strbuf_reset(tmp_path);
        spotify__strbuf_appendf(tmp_path, "%s" TEMP_SUFFIX "%02x%02x%02x%02x%02x%02x", fc->path,
                                rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
        if (tmp_path->failed) {
            errno = ENOMEM;
            return -1;
        }
        int fd = open(tmp_path->data, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/* Makes sure the new file is 0600 whatever the umask or filesystem did. */
static int ensure_private(int fd)
{
    struct stat st;
    if (fstat(fd, &st) != 0)
        return errno;
    if ((st.st_mode & 07777) != 0600 && fchmod(fd, 0600) != 0)
        return errno;
    return 0;
}

/* fsyncs the directory so the rename itself is durable; 0 or an errno.
 * Filesystems that cannot fsync directories (EINVAL) are accepted. */
static int fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    int e = fsync_fd(fd);
    close(fd);
    return e == EINVAL ? 0 : e;
}

/* Fills the open temporary file: mode, bytes, fsync, close (which always
 * happens). 0 or an errno, with the failed step in *step. */
static int fill_temp(int fd, const char *data, size_t len, const char **step)
{
    *step = "cannot set the file mode";
    int e = ensure_private(fd);
    if (e == 0) {
        *step = "write failed";
        e = write_all(fd, data, len);
    }
    if (e == 0) {
        *step = "fsync failed";
        e = fsync_fd(fd);
    }
    /* After EINTR Linux has closed the descriptor; the data is synced. */
    if (close(fd) != 0 && e == 0 && errno != EINTR) {
        *step = "close failed";
        e = errno;
    }
    return e;
}

/* True when `name` is "<base>.tmp-" followed by exactly 12 hex digits. */
static bool is_own_temp_name(const char *name, const char *base)
{
    size_t base_len = strlen(base);
    if (strncmp(name, base, base_len) != 0 || strncmp(name + base_len, TEMP_SUFFIX, 5) != 0)
        return false;
    const char *hex = name + base_len + 5;
    for (int i = 0; i < TEMP_HEX_DIGITS; i++)
        if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
            return false;
    return hex[TEMP_HEX_DIGITS] == '\0';
}

/* Removes temporary files of this cache's name pattern that a killed
 * writer left (they may hold tokens): regular files of ours, older than
 * TEMP_STALE_SECONDS, so a concurrent writer's file is never touched. */
static void remove_stale_temps(const file_cache *fc)
{
    const char *slash = strrchr(fc->path, '/');
    const char *base = slash != NULL ? slash + 1 : fc->path;
    DIR *d = opendir(fc->dir);
    if (d == NULL)
        return;
    time_t now = time(NULL);
    for (struct dirent *entry; (entry = readdir(d)) != NULL;) {
        struct stat st;
        if (!is_own_temp_name(entry->d_name, base) ||
            fstatat(dirfd(d), entry->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
            !S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
            now - st.st_mtime < TEMP_STALE_SECONDS)
            continue;
        if (unlinkat(dirfd(d), entry->d_name, 0) == 0)
            spotify__log(SPOTIFY_LOG_INFO, "token cache %s: removed a stale temporary file %s",
                         fc->path, entry->d_name);
    }
    closedir(d);
}

/* Writes `data` into a new temporary file and renames it over the target. */
static spotify_status replace_file(file_cache *fc, const char *data, size_t len, spotify_error *err)
{
    remove_stale_temps(fc);
    spotify__strbuf tmp = SPOTIFY__STRBUF_INIT;
    int fd = create_temp(fc, &tmp);
    if (fd < 0) {
        int e = errno;
        spotify__strbuf_release(&tmp);
        return io_error(err, fc, "cannot create a temporary file", e);
    }
    const char *step;
    int e = fill_temp(fd, data, len, &step);
    if (e == 0 && rename(tmp.data, fc->path) != 0) {
        step = "rename failed";
        e = errno;
    }
    if (e != 0)
        unlink(tmp.data);
    spotify__strbuf_release(&tmp);
    if (e != 0)
        return io_error(err, fc, step, e);
    e = fsync_dir(fc->dir);
    return e == 0 ? SPOTIFY_OK : io_error(err, fc, "directory fsync failed", e);
}

static spotify_status file_store(void *user, const spotify_token *token, spotify_error *err)
{
    file_cache *fc = user;
    spotify__strbuf json = SPOTIFY__STRBUF_INIT;
    bool written = fc->format == SPOTIFY_TOKEN_FILE_SPOTANTIC
                       ? spotify__token_to_json_spotantic(&json, token, spotify__wall_seconds())
                       : spotify__token_to_json(&json, token);
    if (!written) {
        spotify__strbuf_release_secret(&json);
        return spotify__error_oom(err);
    }
    spotify__strbuf_append_char(&json, '\n');
    spotify_status status;
    int e = make_dirs(fc->dir);
    if (json.failed)
        status = spotify__error_oom(err);
    else if (e != 0)
        status = io_error(err, fc, "cannot create the directory", e);
    else
        status = replace_file(fc, json.data, json.len, err);
    spotify__strbuf_release_secret(&json);
    return status;
}

/* ------------------------------------------------------------------------ */
/* Load                                                                     */
/* ------------------------------------------------------------------------ */

/* Reads the open file (at most TOKEN_FILE_MAX bytes). Returns the data
 * (free with wipe + free) or NULL with *problem set (and *e an errno, or 0). */
static char *read_file(int fd, size_t *len, const char **problem, int *e)
{
    struct stat st;
    *e = 0;
    if (fstat(fd, &st) != 0) {
        *e = errno;
        *problem = "cannot stat";
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        *problem = "not a regular file";
        return NULL;
    }
    if (st.st_size > TOKEN_FILE_MAX) {
        *problem = "larger than 1 MiB";
        return NULL;
    }
    size_t size = (size_t)st.st_size + 1;
    char *data = spotify__malloc(size);
    if (data == NULL) {
        *problem = "out of memory";
        return NULL;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, data + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *e = n < 0 ? errno : 0;
            break;
        }
        got += (size_t)n;
    }
    *problem = *e != 0 ? "read failed" : got == size ? "changed while being read" : NULL;
    if (*problem != NULL) {
        spotify__wipe(data, size);
        spotify__free(data);
        return NULL;
    }
    *len = got;
    return data;
}

static spotify_status file_load(void *user, spotify_token *out, bool *found, spotify_error *err)
{
    (void)err;
    file_cache *fc = user;
    *found = false;
    /* O_NONBLOCK: a FIFO planted at the path opens at once (and is then
     * refused as not a regular file) instead of waiting for a writer. */
    int fd = open(fc->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) {
        if (errno == ELOOP)
            warn_unusable(fc, "is a symbolic link, which is not followed", 0);
        else if (errno != ENOENT && errno != ENOTDIR)
            warn_unusable(fc, "cannot open", errno);
        return SPOTIFY_OK;
    }
    size_t len = 0;
    const char *problem = NULL;
    int e = 0;
    char *data = read_file(fd, &len, &problem, &e);
    close(fd);
    if (data == NULL) {
        warn_unusable(fc, problem, e);
        return SPOTIFY_OK;
    }
    if (len == 0)
        warn_unusable(fc, "empty file", 0);
    else if (!spotify__token_from_json(out, data, len))
        warn_unusable(fc, "not a valid token record (corrupt JSON, wrong types or missing members)",
                      0);
    else
        *found = true;
    spotify__wipe(data, len);
    spotify__free(data);
    return SPOTIFY_OK;
}

/* ------------------------------------------------------------------------ */
/* Lock, remove, destroy                                                    */
/* ------------------------------------------------------------------------ */

/* Opens the lock file and takes flock(), waiting for another holder when
 * `wait`: the descriptor, or -1 (errno; *busy when another holder has it). */
static int take_flock(const file_cache *fc, bool wait, bool *busy, const char **step)
{
    *busy = false;
    int e = make_dirs(fc->dir);
    if (e != 0) {
        *step = "cannot create the directory";
        errno = e;
        return -1;
    }
    *step = "cannot open the lock file (a symbolic link there is refused)";
    int fd = open(fc->lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK,
                  0600);
    if (fd < 0)
        return -1;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
        *step = "the lock file is not a regular file owned by this user; refusing it";
        close(fd);
        errno = EPERM;
        return -1;
    }
    *step = "flock failed";
    while (flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB)) != 0) {
        if (errno != EINTR) {
            e = errno;
            *busy = e == EWOULDBLOCK;
            close(fd);
            errno = e;
            return -1;
        }
    }
    return fd;
}

/* Takes the lock: first its local half (other threads of this process),
 * then flock(); without `wait`, *taken is false when either is held. */
static spotify_status file_take_lock(file_cache *fc, bool wait, bool *taken, spotify_error *err)
{
    *taken = false;
    pthread_mutex_lock(&fc->mutex);
    while (wait && fc->held)
        pthread_cond_wait(&fc->released, &fc->mutex);
    if (fc->held) {
        pthread_mutex_unlock(&fc->mutex);
        return SPOTIFY_OK;
    }
    fc->held = true;
    pthread_mutex_unlock(&fc->mutex);

    const char *step = NULL;
    bool busy = false;
    int fd = take_flock(fc, wait, &busy, &step);
    int e = errno;
    pthread_mutex_lock(&fc->mutex);
    fc->lock_fd = fd;
    if (fd < 0) {
        fc->held = false;
        pthread_cond_signal(&fc->released);
    }
    pthread_mutex_unlock(&fc->mutex);
    if (fd < 0 && !busy)
        return io_error(err, fc, step, e);
    *taken = fd >= 0;
    return SPOTIFY_OK;
}

static spotify_status file_lock(void *user, spotify_error *err)
{
    bool taken = false;
    return file_take_lock(user, true, &taken, err);
}

static spotify_status file_try_lock(void *user, bool *taken, spotify_error *err)
{
    return file_take_lock(user, false, taken, err);
}

static void file_unlock(void *user)
{
    file_cache *fc = user;
    pthread_mutex_lock(&fc->mutex);
    int fd = fc->lock_fd;
    fc->lock_fd = -1;
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
        fc->held = false;
        pthread_cond_signal(&fc->released);
    }
    pthread_mutex_unlock(&fc->mutex);
}

static spotify_status file_remove(void *user, spotify_error *err)
{
    file_cache *fc = user;
    if (unlink(fc->path) != 0 && errno != ENOENT && errno != ENOTDIR)
        return io_error(err, fc, "cannot remove", errno);
    return SPOTIFY_OK;
}

static void file_destroy(void *user)
{
    file_cache *fc = user;
    if (fc == NULL)
        return;
    if (fc->lock_fd >= 0)
        close(fc->lock_fd); /* closing releases the flock */
    pthread_cond_destroy(&fc->released);
    pthread_mutex_destroy(&fc->mutex);
    spotify__free(fc->path);
    spotify__free(fc->lock_path);
    spotify__free(fc->dir);
    spotify__free(fc);
}

/* ------------------------------------------------------------------------ */
/* Construction                                                             */
/* ------------------------------------------------------------------------ */

static spotify_status file_cache_init(file_cache *fc, const char *path, spotify_error *err)
{
    bool no_home = false;
    fc->path = expand_home(path, &no_home);
    if (no_home)
        return spotify__error_set(err, SPOTIFY_ECONFIG, 0,
                                  "token cache %s: cannot expand \"~/\": HOME is not set", path);
    spotify__strbuf lock = SPOTIFY__STRBUF_INIT;
    if (fc->path != NULL) {
        spotify__strbuf_append_str(&lock, fc->path);
        spotify__strbuf_append_str(&lock, ".lock");
        fc->dir = dir_of(fc->path);
    }
    fc->lock_path = spotify__strbuf_detach(&lock, NULL);
    if (fc->path == NULL || fc->lock_path == NULL || fc->dir == NULL)
        return spotify__error_oom(err);
    return SPOTIFY_OK;
}

spotify_status spotify_token_cache_file_new(spotify_token_cache **out, const char *path,
                                            spotify_error *err)
{
    return spotify_token_cache_file_new_format(out, path, SPOTIFY_TOKEN_FILE_SDK, err);
}

spotify_status spotify_token_cache_file_new_format(spotify_token_cache **out, const char *path,
                                                   spotify_token_file_format format,
                                                   spotify_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (out == NULL || (path != NULL && path[0] == '\0') ||
        (format != SPOTIFY_TOKEN_FILE_SDK && format != SPOTIFY_TOKEN_FILE_SPOTANTIC))
        return spotify__error_set(err, SPOTIFY_EINVALID, 0, "spotify_token_cache_file_new: %s",
                                  out == NULL                       ? "NULL argument"
                                  : path != NULL && path[0] == '\0' ? "empty path"
                                                                    : "unknown file format");
    file_cache *fc = spotify__calloc(1, sizeof *fc);
    if (fc == NULL)
        return spotify__error_oom(err);
    fc->lock_fd = -1;
    fc->format = format;
    if (pthread_mutex_init(&fc->mutex, NULL) != 0) {
        spotify__free(fc);
        return spotify__error_oom(err);
    }
    if (pthread_cond_init(&fc->released, NULL) != 0) {
        pthread_mutex_destroy(&fc->mutex);
        spotify__free(fc);
        return spotify__error_oom(err);
    }
    spotify_status status =
        file_cache_init(fc, path != NULL ? path : SPOTIFY_DEFAULT_TOKEN_FILE, err);
    static const spotify_token_cache_ops ops = {.version = SPOTIFY_TOKEN_CACHE_OPS_VERSION,
                                                .load = file_load,
                                                .store = file_store,
                                                .lock = file_lock,
                                                .unlock = file_unlock,
                                                .remove = file_remove,
                                                .destroy = file_destroy,
                                                .try_lock = file_try_lock};
    if (status == SPOTIFY_OK)
        status = spotify_token_cache_new(out, &ops, fc, err);
    if (status != SPOTIFY_OK)
        file_destroy(fc);
    return status;
}
