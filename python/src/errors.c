/* SPDX-License-Identifier: Apache-2.0 */
/*
 * errors.c - a failed C call becomes the exception the reference package
 * raises for the same HTTP status: SpotifyError(message, status_code,
 * response_body) and its subclasses (spotify_sdk/exceptions.py).
 *
 *   SPOTIFY_EAUTH        AuthenticationError (401, OAuth failures)
 *   SPOTIFY_EBADREQUEST  BadRequestError for 400, SpotifyError for other 4xx
 *   SPOTIFY_EFORBIDDEN   ForbiddenError
 *   SPOTIFY_ENOTFOUND    NotFoundError
 *   SPOTIFY_ERATELIMIT   RateLimitError (retry_after in whole seconds)
 *   SPOTIFY_ESERVER      ServerError
 *   SPOTIFY_EINVALID     InvalidArgumentError (BadRequestError and ValueError:
 *                        the reference raises ValueError for the arguments it
 *                        checks and Spotify answers 400 for the rest)
 *   SPOTIFY_ECONFIG      ConfigurationError (SpotifyError and ValueError)
 *   SPOTIFY_ENOMEM       MemoryError
 *   SPOTIFY_ECANCELLED   asyncio.CancelledError
 *   anything else        SpotifyError (transport, protocol, I/O)
 *
 * Messages are the C library's, already redacted; response_body is the
 * (redacted) error body as parsed JSON when there was one.
 */
#include "pysdk.h"

#include <math.h>

static PyObject *class_for(spotify_status status, const spotify_error *err)
{
    switch (status) {
    case SPOTIFY_EAUTH:
        return pysdk.exc_auth;
    case SPOTIFY_EBADREQUEST:
        return err != NULL && err->http_status != 400 && err->http_status != 0
                   ? pysdk.exc_spotify
                   : pysdk.exc_bad_request;
    case SPOTIFY_EFORBIDDEN:
        return pysdk.exc_forbidden;
    case SPOTIFY_ENOTFOUND:
        return pysdk.exc_not_found;
    case SPOTIFY_ERATELIMIT:
        return pysdk.exc_rate_limit;
    case SPOTIFY_ESERVER:
        return pysdk.exc_server;
    case SPOTIFY_EINVALID:
        return pysdk.exc_invalid;
    case SPOTIFY_ECONFIG:
        return pysdk.exc_config;
    default:
        return pysdk.exc_spotify;
    }
}

PyObject *pysdk_error_object(spotify_status status, const spotify_error *err)
{
    if (pysdk_ensure_imports() < 0)
        return NULL;
    const char *message =
        err != NULL && err->message[0] ? err->message : spotify_status_str(status);
    if (status == SPOTIFY_ENOMEM)
        return PyObject_CallFunction(PyExc_MemoryError, "s", message);
    if (status == SPOTIFY_ECANCELLED) {
        PyObject *asyncio = PyImport_ImportModule("asyncio");
        PyObject *cls = asyncio != NULL ? PyObject_GetAttrString(asyncio, "CancelledError") : NULL;
        PyObject *exc = cls != NULL ? PyObject_CallFunction(cls, "s", message) : NULL;
        Py_XDECREF(cls);
        Py_XDECREF(asyncio);
        return exc;
    }
    PyObject *cls = class_for(status, err);
    PyObject *msg = PyUnicode_DecodeUTF8(message, (Py_ssize_t)strlen(message), "replace");
    PyObject *code = err != NULL && err->http_status > 0 ? PyLong_FromLong(err->http_status)
                                                         : (Py_INCREF(Py_None), Py_None);
    PyObject *body = NULL;
    if (err != NULL && err->body[0]) {
        body = pysdk_json_text_to_python(err->body, strlen(err->body));
        if (body == NULL)
            PyErr_Clear();
    }
    if (body == NULL && err != NULL && err->http_status > 0)
        body = PyDict_New();
    if (body == NULL) {
        Py_INCREF(Py_None);
        body = Py_None;
    }
    PyObject *exc = NULL;
    PyObject *args =
        msg != NULL && code != NULL && body != NULL ? PyTuple_Pack(3, msg, code, body) : NULL;
    if (args != NULL) {
        PyObject *kwargs = NULL;
        if (status == SPOTIFY_ERATELIMIT) {
            long seconds = 0;
            if (err != NULL && err->retry_after_ms > 0)
                seconds = (long)ceil((double)err->retry_after_ms / 1000.0);
            kwargs = Py_BuildValue("{s:l}", "retry_after", seconds);
        }
        if (status != SPOTIFY_ERATELIMIT || kwargs != NULL)
            exc = PyObject_Call(cls, args, kwargs);
        Py_XDECREF(kwargs);
        Py_DECREF(args);
    }
    Py_XDECREF(msg);
    Py_XDECREF(code);
    Py_XDECREF(body);
    return exc;
}

PyObject *pysdk_raise(spotify_status status, const spotify_error *err)
{
    if (pysdk_pending_take())
        return NULL;
    PyObject *exc = pysdk_error_object(status, err);
    if (exc != NULL) {
        PyErr_SetObject((PyObject *)Py_TYPE(exc), exc);
        Py_DECREF(exc);
    }
    return NULL;
}

int pysdk_errors_init(PyObject *module)
{
    (void)module;
    return 0;
}
