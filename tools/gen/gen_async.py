# SPDX-License-Identifier: Apache-2.0
"""tools/gen/gen_async.py - the async half of the operation generator: writes

  include/spotify/api_async.h   per result type a typed completion callback
                                and its delivery thunk; per operation a typed
                                static inline spotify_<name>_async() over
                                spotify_async_submit (spotify/async.h)

Imported by tools/gen/generate.py; reuses gen_ops' operation model.
"""
import gen_ops

OUT_API_ASYNC_H = "include/spotify/gen/api_async.h"

INTRO = """ *
 * The async form of every typed operation of spotify/api.h:
 * spotify_albums_get_async(async, &args, callback, user, &id, &err) submits
 * the request to an async context and returns at once; the callback runs
 * exactly once, on the context's thread, with the typed result (Owned by the
 * callback) or an error. See spotify/async.h for driving the context, cancel
 * and shutdown.
 *
 * Ownership: arguments are Borrowed only for the duration of the submit call
 * (everything is copied); a result handed to a callback is Owned by it.
 *
 * Threads: submit on the context's thread (spotify/async.h).
 */
#ifndef SPOTIFY_GEN_API_ASYNC_H
#define SPOTIFY_GEN_API_ASYNC_H

#include "../async.h"
#include "../sys/async.h"
#include "api.h"

SPOTIFY_BEGIN_DECLS
"""


def callback_type(op):
    rt = gen_ops.result_c_type(op)
    return "%s_callback" % rt if rt is not None else "spotify_async_callback"


def deliver_fn(op):
    rt = gen_ops.result_c_type(op)
    return "spotify__deliver_%s" % rt[len("spotify_"):] if rt is not None else \
        "spotify_async_deliver_untyped"


def gen_result_types(ops):
    o = ["/* ---------- typed callbacks ---------- */\n"]
    seen = set()
    for op in ops:
        rt = gen_ops.result_c_type(op)
        if rt is None or rt in seen:
            continue
        seen.add(rt)
        o.extend(gen_ops.comment("A completion callback with a %s result (Owned by the callback; "
                                 "NULL on failure). See spotify_async_callback." % rt))
        o.append("typedef void (*%s_callback)(spotify_status status, %s *result, "
                 "const spotify_error *err, void *user);\n" % (rt, rt))
        o.append("/* Calls a %s_callback (for spotify_async_submit; internal). */" % rt)
        o.append("static inline void %s(void (*callback)(void), spotify_status status, "
                 "void *result, const spotify_error *err, void *user)" % deliver_fn(op))
        o.append("{")
        o.append("    ((%s_callback)callback)(status, (%s *)result, err, user);" % (rt, rt))
        o.append("}\n")
    return o


def gen_op_async(op):
    rt = gen_ops.result_c_type(op)
    result = ("the callback gets a %s, Owned (free with %s_free())" % (rt, rt)) \
        if rt is not None else "the callback's result is always NULL"
    o = gen_ops.comment("%s_async: %s asynchronously (%s %s); %s. SPOTIFY_EINVALID and no "
                        "callback when the arguments are invalid." %
                        (op.c_func, op.c_func, op.method, op.path, result))
    o.append("%sstatic inline spotify_status %s_async(spotify_async *async, const %s *args, "
             "%s callback, void *user, spotify_async_id *id_out, spotify_error *err)" %
             (gen_ops.attr(op), op.c_func, op.args_type, callback_type(op)))
    o.append("{")
    o.append("    return spotify_async_submit(async, SPOTIFY_OP_%s, args, (void (*)(void))callback, "
             "%s, user, id_out, err);" % (op.upper, deliver_fn(op)))
    o.append("}\n")
    return o


def gen_api_async_h(ops, banner, version):
    o = [banner % (OUT_API_ASYNC_H.replace("include/", ""), version)]
    o.append(INTRO)
    o.extend(gen_result_types(ops))
    o.append("/* ---------- operations ---------- */\n")
    for op in ops:
        o.extend(gen_op_async(op))
    o.append("SPOTIFY_END_DECLS\n")
    o.append("#endif /* SPOTIFY_GEN_API_ASYNC_H */")
    return "\n".join(o) + "\n"
