/* SPDX-License-Identifier: Apache-2.0 */
/*
 * unit_timer.c - the emulator's timer thread (timer.c) on its own: a
 * callback never runs before its delay is over, callbacks run in due order,
 * and draining runs what is pending at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>
#include <pthread.h>

#include "timer.h"

typedef struct fired {
    pthread_mutex_t mutex;
    int64_t at_ns[8];
    int order[8];
    int count;
} fired;

typedef struct probe {
    fired *log;
    int id;
} probe;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void record(void *arg)
{
    probe *p = arg;
    pthread_mutex_lock(&p->log->mutex);
    p->log->at_ns[p->log->count] = now_ns();
    p->log->order[p->log->count++] = p->id;
    pthread_mutex_unlock(&p->log->mutex);
}

static int fired_count(fired *log)
{
    pthread_mutex_lock(&log->mutex);
    int n = log->count;
    pthread_mutex_unlock(&log->mutex);
    return n;
}

static void wait_for(fired *log, int n)
{
    for (int i = 0; i < 2000 && fired_count(log) < n; i++) {
        struct timespec pause = {0, 1000000L};
        nanosleep(&pause, NULL);
    }
}

/* The delay is a lower bound to the nanosecond: nothing fires early (the
 * old millisecond clock needed a +1 ms margin to promise this). */
static void test_never_before_delay(void **state)
{
    (void)state;
    fired log = {.mutex = PTHREAD_MUTEX_INITIALIZER};
    probe probes[5];
    emu_timer *timer = emu_timer_start();
    assert_non_null(timer);
    int64_t scheduled_at[5];
    for (int i = 0; i < 5; i++) {
        probes[i] = (probe){&log, i};
        scheduled_at[i] = now_ns();
        assert_true(emu_timer_schedule(timer, 3 + i, record, &probes[i]));
    }
    wait_for(&log, 5);
    assert_int_equal(fired_count(&log), 5);
    for (int i = 0; i < 5; i++) {
        int id = log.order[i];
        assert_true(log.at_ns[i] - scheduled_at[id] >= (int64_t)(3 + id) * 1000000);
    }
    emu_timer_stop(timer);
}

/* Callbacks run in due order whatever the order they were scheduled in;
 * equal due times keep the order of scheduling. */
static void test_due_order(void **state)
{
    (void)state;
    fired log = {.mutex = PTHREAD_MUTEX_INITIALIZER};
    probe probes[4] = {{&log, 0}, {&log, 1}, {&log, 2}, {&log, 3}};
    emu_timer *timer = emu_timer_start();
    assert_non_null(timer);
    assert_true(emu_timer_schedule(timer, 40, record, &probes[0]));
    assert_true(emu_timer_schedule(timer, 10, record, &probes[1]));
    assert_true(emu_timer_schedule(timer, 25, record, &probes[2]));
    assert_true(emu_timer_schedule(timer, 10000, record, &probes[3]));
    wait_for(&log, 3);
    assert_int_equal(fired_count(&log), 3);
    assert_int_equal(log.order[0], 1);
    assert_int_equal(log.order[1], 2);
    assert_int_equal(log.order[2], 0);
    /* Stopping drains: the 10 s callback runs now, not in 10 s. */
    int64_t before_stop = now_ns();
    emu_timer_stop(timer);
    assert_int_equal(log.count, 4);
    assert_int_equal(log.order[3], 3);
    assert_true(log.at_ns[3] - before_stop < (int64_t)5000 * 1000000);
}

/* After a drain, a new schedule runs its callback at once, on the caller. */
static void test_schedule_after_drain_runs_now(void **state)
{
    (void)state;
    fired log = {.mutex = PTHREAD_MUTEX_INITIALIZER};
    probe p = {&log, 7};
    emu_timer *timer = emu_timer_start();
    assert_non_null(timer);
    emu_timer_drain(timer);
    assert_true(emu_timer_schedule(timer, 10000, record, &p));
    assert_int_equal(log.count, 1);
    assert_int_equal(log.order[0], 7);
    emu_timer_stop(timer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_never_before_delay),
        cmocka_unit_test(test_due_order),
        cmocka_unit_test(test_schedule_after_drain_runs_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
