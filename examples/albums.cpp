/* SPDX-License-Identifier: Apache-2.0 */
/*
 * albums.cpp - libspotify-sdk from C++: the headers are plain C with
 * extern "C", so C++ programs call the same functions. Owned objects go into
 * std::unique_ptr with the library's free functions as deleters, so nothing
 * leaks on any return path. Client credentials come from the environment
 * (SPOTIFY_SDK_CLIENT_ID, SPOTIFY_SDK_CLIENT_SECRET).
 *
 *   ./albums 4aawyAB9vmqN3uQ7FjRGTy spotify:album:7ycBtnsMtyVbbwTfJwRjSP
 */
#include <spotify/spotify.h>

#include <cinttypes>
#include <cstdio>
#include <memory>
#include <string>

namespace
{

struct client_deleter {
    void operator()(spotify_client *client) const
    {
        spotify_client_free(client);
    }
};
struct album_deleter {
    void operator()(spotify_album *album) const
    {
        spotify_album_free(album);
    }
};
using client_ptr = std::unique_ptr<spotify_client, client_deleter>;
using album_ptr = std::unique_ptr<spotify_album, album_deleter>;

/* The library once per process, released when main returns. */
struct library {
    spotify_status status;
    library() : status(spotify_global_init(nullptr))
    {
    }
    ~library()
    {
        spotify_global_cleanup();
    }
    library(const library &) = delete;
    library &operator=(const library &) = delete;
};

std::string duration(int64_t ms)
{
    char text[32];
    std::snprintf(text, sizeof text, "%" PRId64 ":%02" PRId64, ms / 60000, ms / 1000 % 60);
    return text;
}

/* Prints one album and its tracks; false (and the error) when it failed. */
bool print_album(spotify_client *client, const char *reference)
{
    /* A bare ID, a spotify: URI or an open.spotify.com link: the typed
     * functions parse and check all three. */
    spotify_albums_get_args args = SPOTIFY_ALBUMS_GET_ARGS_INIT;
    args.id = reference;
    spotify_error err{};
    spotify_album *raw = nullptr;
    if (spotify_albums_get(&raw, client, &args, &err) != SPOTIFY_OK) {
        std::fprintf(stderr, "%s: %s: %s\n", reference, spotify_status_category(err.status),
                     err.message);
        return false;
    }
    album_ptr album(raw);
    std::printf("%s (%s)\n", album->name, album->release_date);
    const spotify_simplified_track_list &tracks = album->tracks->items;
    for (size_t i = 0; i < tracks.count; i++)
        std::printf("  %2" PRId64 ". %-40s %6s\n", tracks.items[i].track_number,
                    tracks.items[i].name, duration(tracks.items[i].duration_ms).c_str());
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    library lib;
    if (lib.status != SPOTIFY_OK) {
        std::fprintf(stderr, "libspotify-sdk could not start\n");
        return 1;
    }
    spotify_client_options options = SPOTIFY_CLIENT_OPTIONS_INIT;
    spotify_client *raw = nullptr;
    spotify_error err{};
    if (spotify_client_new(&raw, &options, &err) != SPOTIFY_OK) {
        std::fprintf(stderr, "%s: %s\n", spotify_status_category(err.status), err.message);
        return 3;
    }
    client_ptr client(raw);
    bool ok = true;
    for (int i = 1; i < argc; i++)
        ok = print_album(client.get(), argv[i]) && ok;
    return ok ? 0 : 1;
}
