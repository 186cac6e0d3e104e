/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/spotify.h - the umbrella header of libspotify-sdk. Include this one
 * header; link with `pkg-config --libs spotify-sdk` or CMake's
 * find_package(spotify-sdk) + target spotify::sdk.
 *
 * Threads: see each header's "Threads:" paragraph. In short: call
 * spotify_global_init() once from main; clients are shareable between
 * threads; results are immutable.
 */
#ifndef SPOTIFY_SPOTIFY_H
#define SPOTIFY_SPOTIFY_H

#include <spotify/common.h>
#include <spotify/version.h>
#include <spotify/error.h>
#include <spotify/global.h>
#include <spotify/log.h>
#include <spotify/clock.h>
#include <spotify/http.h>
#include <spotify/client.h>
#include <spotify/auth.h>
#include <spotify/local_auth.h>
#include <spotify/model_runtime.h>
#include <spotify/models.h>
#include <spotify/ids.h>
#include <spotify/operation.h>
#include <spotify/paging.h>
#include <spotify/api.h>
#include <spotify/async.h>
#include <spotify/api_async.h>

#endif /* SPOTIFY_SPOTIFY_H */
