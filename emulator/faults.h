/* SPDX-License-Identifier: Apache-2.0 */
/*
 * faults.h - injected failures, queued through POST /__emulator/faults and
 * applied before a request reaches its handler.
 *
 * A fault names a route pattern exactly as the route table spells it
 * ("/v1/albums/{id}", "/api/token") or "*" for every route (requests that
 * match no route included; control routes never), optionally a method, and
 * either an HTTP status (with an optional Retry-After) or "drop" (close the
 * connection without answering). It applies to the next `count` matching
 * requests. Faults are consumed first in, first out: a request takes one
 * use of the oldest fault that matches it.
 *
 * Threads: thread-safe. The common case, no fault queued, takes no lock.
 */
#ifndef SPOTIFY_EMULATOR_FAULTS_H
#define SPOTIFY_EMULATOR_FAULTS_H

#include <stdbool.h>

#include "json/json_write.h"

#define EMU_FAULT_ROUTE_MAX 128

typedef struct emu_fault {
    char route[EMU_FAULT_ROUTE_MAX]; /* a route pattern or "*" */
    char method[12];                 /* "" matches any method */
    int status;                      /* 400-599; ignored when drop */
    int retry_after;                 /* seconds for Retry-After; < 0: no header */
    bool drop;
    int count; /* uses left */
} emu_fault;

typedef struct emu_faults emu_faults;

emu_faults *emu_faults_new(void);
void emu_faults_free(emu_faults *faults);
/* Queues a copy of `fault`. false on OOM. */
bool emu_faults_add(emu_faults *faults, const emu_fault *fault);
/* Takes one use of the oldest fault matching `route` (NULL: the request
 * matched no route) and `method`, copying it into *out. false when none. */
bool emu_faults_take(emu_faults *faults, const char *route, const char *method, emu_fault *out);
void emu_faults_clear(emu_faults *faults);
/* Writes the queue as a JSON array. */
void emu_faults_write(emu_faults *faults, spotify__json_writer *w);

#endif
