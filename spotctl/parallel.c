/*
 * spotctl/parallel.c - the one place that decides how `--parallel N` runs:
 * N jobs, at most P in flight, results delivered in input order on the
 * calling thread as soon as each one and all before it are done.
 *
 * Today: a pool of P pthreads over the SDK's thread-safe blocking client.
 * Workers run at most 4*P jobs ahead of delivery, so memory stays bounded
 * however many IDs there are. When the SDK's async engine lands, this file
 * is the one to switch (same interface: start jobs, deliver in order).
 */
#include <pthread.h>
#include <stdlib.h>

#include "spotctl.h"

typedef struct pool {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    size_t n;
    size_t next_job;  /* next index to start */
    size_t delivered; /* jobs delivered (or discarded) so far */
    size_t window;
    bool stop;
    unsigned char *done; /* per job */
    spotctl_job_fn job;
    void *user;
    volatile sig_atomic_t *cancel;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    pthread_mutex_lock(&p->lock);
    for (;;) {
        while (!p->stop && p->next_job < p->n && p->next_job >= p->delivered + p->window)
            pthread_cond_wait(&p->changed, &p->lock);
        if (p->stop || p->next_job >= p->n || (p->cancel != NULL && *p->cancel))
            break;
        size_t index = p->next_job++;
        pthread_mutex_unlock(&p->lock);
        p->job(index, p->user);
        pthread_mutex_lock(&p->lock);
        p->done[index] = 1;
        pthread_cond_broadcast(&p->changed);
    }
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
    return NULL;
}

size_t spotctl_parallel_window(int parallel)
{
    return parallel <= 1 ? 1 : (size_t)parallel * 4;
}

static int run_inline(size_t n, spotctl_job_fn job, spotctl_deliver_fn deliver, void *user,
                      volatile sig_atomic_t *cancel)
{
    for (size_t i = 0; i < n; i++) {
        if (cancel != NULL && *cancel)
            return SPOTCTL_EXIT_INTERRUPTED;
        job(i, user);
        int rc = deliver(i, user);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int spotctl_parallel_run(size_t n, int parallel, spotctl_job_fn job, spotctl_deliver_fn deliver,
                         spotctl_deliver_fn discard, void *user, volatile sig_atomic_t *cancel)
{
    if (parallel <= 1 || n <= 1)
        return run_inline(n, job, deliver, user, cancel);
    pool p = {.n = n,
              .window = spotctl_parallel_window(parallel),
              .job = job,
              .user = user,
              .cancel = cancel};
    int nthreads = (size_t)parallel > n ? (int)n : parallel; /* no idle threads */
    p.done = calloc(n, 1);
    pthread_t *threads = calloc((size_t)nthreads, sizeof *threads);
    if (p.done == NULL || threads == NULL) {
        free(p.done);
        free(threads);
        return SPOTCTL_EXIT_ERROR;
    }
    pthread_mutex_init(&p.lock, NULL);
    pthread_cond_init(&p.changed, NULL);
    int started = 0;
    for (; started < nthreads; started++)
        if (pthread_create(&threads[started], NULL, worker, &p) != 0)
            break;
    int rc = started == 0 ? SPOTCTL_EXIT_ERROR : 0;

    pthread_mutex_lock(&p.lock);
    while (rc == 0 && p.delivered < n) {
        if (!p.done[p.delivered]) {
            /* Cancelled, and this job never started: workers have stopped. */
            if (p.next_job <= p.delivered && cancel != NULL && *cancel) {
                rc = SPOTCTL_EXIT_INTERRUPTED;
                break;
            }
            pthread_cond_wait(&p.changed, &p.lock);
            continue;
        }
        size_t index = p.delivered;
        pthread_mutex_unlock(&p.lock);
        rc = deliver(index, user);
        pthread_mutex_lock(&p.lock);
        p.delivered++;
        pthread_cond_broadcast(&p.changed);
    }
    p.stop = true;
    pthread_cond_broadcast(&p.changed);
    pthread_mutex_unlock(&p.lock);
    for (int i = 0; i < started; i++)
        pthread_join(threads[i], NULL);
    /* Jobs that ran but were not delivered: let the caller free them. */
    for (size_t i = p.delivered; i < n; i++)
        if (p.done[i] && discard != NULL)
            discard(i, user);
    if (rc == 0 && cancel != NULL && *cancel && p.delivered < n)
        rc = SPOTCTL_EXIT_INTERRUPTED;
    pthread_mutex_destroy(&p.lock);
    pthread_cond_destroy(&p.changed);
    free(p.done);
    free(threads);
    return rc;
}
