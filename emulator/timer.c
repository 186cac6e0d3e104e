/* SPDX-License-Identifier: Apache-2.0 */
/*
 * timer.c - the timer thread and its binary min-heap.
 */
#include "timer.h"

#include <pthread.h>
#include <time.h>

#include "core/alloc.h"

typedef struct timer_event {
    int64_t due_ns; /* CLOCK_MONOTONIC, nanoseconds */
    uint64_t seq;   /* ties break first-scheduled first */
    emu_timer_fn fn;
    void *arg;
} timer_event;

struct emu_timer {
    pthread_mutex_t mutex;
    pthread_cond_t wake;
    pthread_t thread;
    timer_event *heap;
    size_t count, cap;
    uint64_t next_seq;
    bool draining; /* run everything now */
    bool stopping; /* thread should exit */
    bool running;  /* a callback is executing right now */
};

static bool earlier(const timer_event *a, const timer_event *b)
{
    return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->seq < b->seq);
}

static void swap_events(timer_event *a, timer_event *b)
{
    timer_event t = *a;
    *a = *b;
    *b = t;
}

static void sift_up(timer_event *heap, size_t i)
{
    while (i > 0 && earlier(&heap[i], &heap[(i - 1) / 2])) {
        swap_events(&heap[i], &heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
}

static void sift_down(timer_event *heap, size_t count, size_t i)
{
    for (;;) {
        size_t smallest = i;
        size_t l = 2 * i + 1, r = 2 * i + 2;
        if (l < count && earlier(&heap[l], &heap[smallest]))
            smallest = l;
        if (r < count && earlier(&heap[r], &heap[smallest]))
            smallest = r;
        if (smallest == i)
            return;
        swap_events(&heap[i], &heap[smallest]);
        i = smallest;
    }
}

/* Removes the earliest event. Lock held, count > 0. */
static timer_event pop(emu_timer *t)
{
    timer_event top = t->heap[0];
    t->heap[0] = t->heap[--t->count];
    sift_down(t->heap, t->count, 0);
    return top;
}

/* CLOCK_MONOTONIC in nanoseconds: the latency a test asks for is what it
 * gets, not up to a millisecond more from rounding to whole milliseconds. */
static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Waits on the condition variable until `due_ns` (monotonic) at most. */
static void wait_until(emu_timer *t, int64_t due_ns)
{
    struct timespec ts = {(time_t)(due_ns / 1000000000), (long)(due_ns % 1000000000)};
    int rc = pthread_cond_timedwait(&t->wake, &t->mutex, &ts);
    (void)rc; /* ETIMEDOUT and spurious wake-ups both just re-check */
}

static void *timer_main(void *arg)
{
    emu_timer *t = arg;
    pthread_mutex_lock(&t->mutex);
    while (!t->stopping || t->count > 0) {
        if (t->count == 0) {
            pthread_cond_wait(&t->wake, &t->mutex);
            continue;
        }
        if (!t->draining && t->heap[0].due_ns > monotonic_ns()) {
            wait_until(t, t->heap[0].due_ns);
            continue;
        }
        timer_event e = pop(t);
        t->running = true;
        pthread_mutex_unlock(&t->mutex);
        e.fn(e.arg);
        pthread_mutex_lock(&t->mutex);
        t->running = false;
    }
    pthread_mutex_unlock(&t->mutex);
    return NULL;
}

emu_timer *emu_timer_start(void)
{
    emu_timer *t = spotify__calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t->wake, &attr);
    pthread_condattr_destroy(&attr);
    pthread_mutex_init(&t->mutex, NULL);
    if (pthread_create(&t->thread, NULL, timer_main, t) != 0) {
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->mutex);
        spotify__free(t);
        return NULL;
    }
    return t;
}

bool emu_timer_schedule(emu_timer *timer, int64_t delay_ms, emu_timer_fn fn, void *arg)
{
    pthread_mutex_lock(&timer->mutex);
    if (timer->draining) {
        pthread_mutex_unlock(&timer->mutex);
        fn(arg);
        return true;
    }
    if (timer->count == timer->cap) {
        size_t cap = timer->cap == 0 ? 64 : timer->cap * 2;
        timer_event *grown = spotify__realloc(timer->heap, cap * sizeof *grown);
        if (grown == NULL) {
            pthread_mutex_unlock(&timer->mutex);
            return false;
        }
        timer->heap = grown;
        timer->cap = cap;
    }
    timer_event e = {monotonic_ns() + delay_ms * 1000000, timer->next_seq++, fn, arg};
    timer->heap[timer->count] = e;
    sift_up(timer->heap, timer->count++);
    if (timer->heap[0].seq == e.seq)
        pthread_cond_signal(&timer->wake); /* a new earliest event */
    pthread_mutex_unlock(&timer->mutex);
    return true;
}

void emu_timer_drain(emu_timer *timer)
{
    pthread_mutex_lock(&timer->mutex);
    timer->draining = true;
    pthread_cond_signal(&timer->wake);
    /* Wait until the thread has run (and finished) everything pending. */
    while (timer->count > 0 || timer->running) {
        pthread_mutex_unlock(&timer->mutex);
        struct timespec pause = {0, 1000000L};
        nanosleep(&pause, NULL);
        pthread_mutex_lock(&timer->mutex);
    }
    pthread_mutex_unlock(&timer->mutex);
}

void emu_timer_stop(emu_timer *timer)
{
    if (timer == NULL)
        return;
    emu_timer_drain(timer);
    pthread_mutex_lock(&timer->mutex);
    timer->stopping = true;
    pthread_cond_signal(&timer->wake);
    pthread_mutex_unlock(&timer->mutex);
    pthread_join(timer->thread, NULL);
    pthread_cond_destroy(&timer->wake);
    pthread_mutex_destroy(&timer->mutex);
    spotify__free(timer->heap);
    spotify__free(timer);
}
