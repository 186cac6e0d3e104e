/* SPDX-License-Identifier: Apache-2.0 */
/*
 * headers.cpp - every public header compiled as C++ (with the project's
 * warnings as errors), so C++ users can include them as they are. Built, not
 * run: a header that stops compiling as C++ fails the build.
 */
#include <spotify/spotify.h>
#include <spotify/sys/async.h>
#include <spotify/sys/model.h>
#ifdef SPOTIFY_CXX_CHECK_REDIS
#include <spotify/redis.h>
#endif
#ifdef SPOTIFY_CXX_CHECK_UV
#include <spotify/adapters/uv.h>
#endif

/* The option macros expand to valid C++ initialisers. */
void spotify_cxx_header_check(void);
void spotify_cxx_header_check(void)
{
    spotify_client_options client = SPOTIFY_CLIENT_OPTIONS_INIT;
    spotify_auth_options auth = SPOTIFY_AUTH_OPTIONS_INIT;
    spotify_local_auth_options login = SPOTIFY_LOCAL_AUTH_OPTIONS_INIT;
    spotify_async_options async = SPOTIFY_ASYNC_OPTIONS_INIT;
    spotify_request request = SPOTIFY_REQUEST_INIT;
    spotify_albums_get_args args = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    (void)client;
    (void)auth;
    (void)login;
    (void)async;
    (void)request;
    (void)args;
#ifdef SPOTIFY_CXX_CHECK_REDIS
    spotify_redis_options redis = SPOTIFY_REDIS_OPTIONS_INIT;
    (void)redis;
#endif
}
