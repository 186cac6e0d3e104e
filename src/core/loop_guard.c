/* SPDX-License-Identifier: Apache-2.0 */
/* core/loop_guard.c - the thread-local "inside an async callback" flag. */
#include "loop_guard.h"

_Thread_local bool spotify__in_async_callback = false;
