/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/ids.h - Spotify IDs, URIs and open.spotify.com links.
 *
 * An item can be named three ways, and programs (and spotctl) should accept
 * all three:
 *
 *   4aawyAB9vmqN3uQ7FjRGTy                                   a bare ID
 *   spotify:album:4aawyAB9vmqN3uQ7FjRGTy                     a URI
 *   https://open.spotify.com/album/4aawyAB9vmqN3uQ7FjRGTy?si=...   a link
 *
 * spotify_id_parse() turns any of them into (type, id) and checks the type.
 * The typed operations (spotify/api.h) call it on every ID and URI argument,
 * so they accept all three forms too.
 *
 * Threads: every function here is pure and thread-safe.
 */
#ifndef SPOTIFY_IDS_H
#define SPOTIFY_IDS_H

#include "common.h"
#include "error.h"

SPOTIFY_BEGIN_DECLS

/* What an ID names. The numbers are ABI. */
typedef enum spotify_id_type {
    /* As `expected`: any type. As a parse result: a bare ID, whose type the
     * input did not say. */
    SPOTIFY_ID_ANY = 0,
    SPOTIFY_ID_TRACK = 1,     /* spotify:track:ID */
    SPOTIFY_ID_ALBUM = 2,     /* spotify:album:ID */
    SPOTIFY_ID_ARTIST = 3,    /* spotify:artist:ID */
    SPOTIFY_ID_PLAYLIST = 4,  /* spotify:playlist:ID */
    SPOTIFY_ID_SHOW = 5,      /* spotify:show:ID */
    SPOTIFY_ID_EPISODE = 6,   /* spotify:episode:ID */
    SPOTIFY_ID_AUDIOBOOK = 7, /* spotify:audiobook:ID */
    SPOTIFY_ID_CHAPTER = 8,   /* spotify:chapter:ID */
    /* User IDs are free-form (letters, digits, "._-~+"), not base62. */
    SPOTIFY_ID_USER = 9
} spotify_id_type;

/* The highest spotify_id_type value this version of the library defines. */
#define SPOTIFY_ID_TYPE_MAX SPOTIFY_ID_USER

/* Catalogue IDs are exactly this many base62 characters. */
#define SPOTIFY_ID_LEN 22
/* The longest ID spotify_id holds (user IDs). */
#define SPOTIFY_ID_MAX 128
/* Room for any URI or link the functions below write, NUL included. */
#define SPOTIFY_URI_MAX 192

/* A parsed ID: plain data, copy it freely. */
typedef struct spotify_id {
    spotify_id_type type;        /* SPOTIFY_ID_ANY when a bare ID was parsed with expected ANY */
    char id[SPOTIFY_ID_MAX + 1]; /* the bare ID, NUL-terminated */
} spotify_id;

/*
 * Parses a bare ID, a URI ("spotify:TYPE:ID", also the legacy
 * "spotify:user:NAME:playlist:ID") or a link ("http(s)://open.spotify.com/
 * [intl-xx/][embed/]TYPE/ID" with any query or fragment, such as "?si=...")
 * into *out.
 *
 * `expected` is the type the caller wants: a URI or link of another type is
 * refused ("expected a track, got an album"); a bare ID takes that type
 * (with SPOTIFY_ID_ANY it stays ANY). Catalogue IDs must be 22 base62
 * characters.
 *
 * Returns SPOTIFY_OK, or SPOTIFY_EINVALID with a message naming the problem
 * (*out is zeroed then). No surrounding whitespace is accepted.
 */
SPOTIFY_API spotify_status spotify_id_parse(spotify_id *out, const char *input,
                                            spotify_id_type expected, spotify_error *err);

/* Writes "spotify:TYPE:ID" into `buf` (`size` bytes; SPOTIFY_URI_MAX is
 * always enough). SPOTIFY_EINVALID when the type is ANY or unknown, the ID is
 * not valid for the type, or `buf` is too small. */
SPOTIFY_API spotify_status spotify_id_uri(char *buf, size_t size, spotify_id_type type,
                                          const char *id, spotify_error *err);

/* Writes "https://open.spotify.com/TYPE/ID" into `buf`; rules as above. */
SPOTIFY_API spotify_status spotify_id_link(char *buf, size_t size, spotify_id_type type,
                                           const char *id, spotify_error *err);

/* The type's name as URIs spell it ("track"); "any" for SPOTIFY_ID_ANY,
 * "unknown" for values out of range. Static string. */
SPOTIFY_API const char *spotify_id_type_name(spotify_id_type type);

/* The type named `name` ("track", "album"...); SPOTIFY_ID_ANY when `name` is
 * NULL or names no type. */
SPOTIFY_API spotify_id_type spotify_id_type_from_name(const char *name);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_IDS_H */
