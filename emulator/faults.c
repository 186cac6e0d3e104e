/* SPDX-License-Identifier: Apache-2.0 */
/*
 * faults.c - the fault queue: a singly linked FIFO under a mutex, with an
 * atomic count so requests skip the lock when nothing is queued.
 */
#include "faults.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "core/alloc.h"

typedef struct node {
    emu_fault fault;
    struct node *next;
} node;

struct emu_faults {
    pthread_mutex_t mutex;
    node *head;
    node *tail;
    atomic_int queued; /* nodes in the list */
};

emu_faults *emu_faults_new(void)
{
    emu_faults *f = spotify__calloc(1, sizeof *f);
    if (f != NULL)
        pthread_mutex_init(&f->mutex, NULL);
    return f;
}

void emu_faults_free(emu_faults *faults)
{
    if (faults == NULL)
        return;
    emu_faults_clear(faults);
    pthread_mutex_destroy(&faults->mutex);
    spotify__free(faults);
}

bool emu_faults_add(emu_faults *faults, const emu_fault *fault)
{
    node *n = spotify__malloc(sizeof *n);
    if (n == NULL)
        return false;
    n->fault = *fault;
    n->next = NULL;
    pthread_mutex_lock(&faults->mutex);
    if (faults->tail == NULL)
        faults->head = n;
    else
        faults->tail->next = n;
    faults->tail = n;
    atomic_fetch_add(&faults->queued, 1);
    pthread_mutex_unlock(&faults->mutex);
    return true;
}

static bool matches(const emu_fault *f, const char *route, const char *method)
{
    if (f->method[0] != '\0' && strcmp(f->method, method) != 0)
        return false;
    return strcmp(f->route, "*") == 0 || (route != NULL && strcmp(f->route, route) == 0);
}

bool emu_faults_take(emu_faults *faults, const char *route, const char *method, emu_fault *out)
{
    if (atomic_load(&faults->queued) == 0)
        return false;
    bool found = false;
    pthread_mutex_lock(&faults->mutex);
    node *prev = NULL;
    for (node *n = faults->head; n != NULL; prev = n, n = n->next) {
        if (!matches(&n->fault, route, method))
            continue;
        found = true;
        *out = n->fault;
        if (--n->fault.count <= 0) {
            if (prev == NULL)
                faults->head = n->next;
            else
                prev->next = n->next;
            if (faults->tail == n)
                faults->tail = prev;
            spotify__free(n);
            atomic_fetch_sub(&faults->queued, 1);
        }
        break;
    }
    pthread_mutex_unlock(&faults->mutex);
    return found;
}

void emu_faults_clear(emu_faults *faults)
{
    pthread_mutex_lock(&faults->mutex);
    node *n = faults->head;
    while (n != NULL) {
        node *next = n->next;
        spotify__free(n);
        n = next;
    }
    faults->head = faults->tail = NULL;
    atomic_store(&faults->queued, 0);
    pthread_mutex_unlock(&faults->mutex);
}

void emu_faults_write(emu_faults *faults, spotify__json_writer *w)
{
    pthread_mutex_lock(&faults->mutex);
    spotify__jw_begin_array(w);
    for (const node *n = faults->head; n != NULL; n = n->next) {
        const emu_fault *f = &n->fault;
        spotify__jw_begin_object(w);
        spotify__jw_key(w, "route");
        spotify__jw_cstring(w, f->route);
        if (f->method[0] != '\0') {
            spotify__jw_key(w, "method");
            spotify__jw_cstring(w, f->method);
        }
        if (f->drop) {
            spotify__jw_key(w, "drop");
            spotify__jw_bool(w, true);
        } else {
            spotify__jw_key(w, "status");
            spotify__jw_int64(w, f->status);
        }
        if (f->retry_after >= 0) {
            spotify__jw_key(w, "retry_after");
            spotify__jw_int64(w, f->retry_after);
        }
        spotify__jw_key(w, "count");
        spotify__jw_int64(w, f->count);
        spotify__jw_end_object(w);
    }
    spotify__jw_end_array(w);
    pthread_mutex_unlock(&faults->mutex);
}
