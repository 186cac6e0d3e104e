/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotify/paging.h - walking paged lists (offset paging and cursor paging)
 * one item at a time.
 *
 *   spotify_me_playlists_list_args a = SPOTIFY_ME_PLAYLISTS_LIST_ARGS_INIT;
 *   spotify_pager *pager = NULL;
 *   spotify_me_playlists_list_pager(&pager, client, &a, &err);
 *   const void *item;
 *   while ((st = spotify_pager_next_item(&item, pager, &err)) == SPOTIFY_OK && item != NULL) {
 *       const spotify_simplified_playlist *p = item;   (the operation's item type)
 *       ...
 *   }
 *   spotify_pager_free(pager);
 *
 * A pager fetches a page only when its items are used up, asks for the
 * largest page the operation allows unless the args set `limit`, and then
 * follows the page's `next` URL exactly as Spotify returned it. A `next`
 * whose scheme, host or port differ from the client's API base URL is
 * refused (SPOTIFY_EPROTOCOL), so the bearer token never goes to another
 * host. Only one page is in memory at a time: the previous page is freed
 * when the next is fetched, however long the list.
 *
 * Every page request gets the client's retries, backoff, Retry-After and
 * 401 -> refresh once, like any call.
 *
 * Threads: a pager belongs to one thread at a time; several pagers may share
 * a client. spotify_operation_collect is thread-safe.
 */
#ifndef SPOTIFY_PAGING_H
#define SPOTIFY_PAGING_H

#include "client.h"
#include "common.h"
#include "error.h"
#include "operation.h"

SPOTIFY_BEGIN_DECLS

/* A pager: opaque. Created by spotify_pager_new() or an operation's
 * _pager() function (Owned: free with spotify_pager_free()); one thread at a
 * time. */
typedef struct spotify_pager spotify_pager;

/*
 * A pager over the items of `op` (spotify_operation_pageable() must be true)
 * called with `args`. The first request is built and validated now
 * (SPOTIFY_EINVALID as for a call; `args` is not used after this returns)
 * and sent by the first spotify_pager_next_item(). Search pages one type: its
 * `type` argument must name exactly one. *out is Owned: free with
 * spotify_pager_free().
 */
SPOTIFY_API spotify_status spotify_pager_new(spotify_pager **out, spotify_client *client,
                                             const spotify_operation *op, const void *args,
                                             spotify_error *err);

/*
 * The next item: SPOTIFY_OK with *item pointing at it (a struct of the
 * operation's item type, Borrowed until the next call of spotify_pager_next_item
 * or spotify_pager_free), or SPOTIFY_OK with *item NULL at the end of the
 * list. A failed page fetch returns its error with *item NULL; the pager is
 * finished then (further calls return the same status).
 */
SPOTIFY_API spotify_status spotify_pager_next_item(const void **item, spotify_pager *pager,
                                                   spotify_error *err);

/* The list's `total` as the last page reported it; -1 before the first page
 * or when pages carry no total. */
SPOTIFY_API int64_t spotify_pager_total(const spotify_pager *pager);

/* Pages fetched so far. */
SPOTIFY_API size_t spotify_pager_pages(const spotify_pager *pager);

/* The current page (a paging object of the operation's page type: href,
 * limit, next, offset or cursors, total), Borrowed like the items; NULL
 * before the first page. */
SPOTIFY_API const void *spotify_pager_page(const spotify_pager *pager);

/* Frees the pager and its page. NULL is accepted. */
SPOTIFY_API void spotify_pager_free(spotify_pager *pager);

/*
 * Fetches pages of `op` until `max_items` items are collected (0: all of
 * them) or the list ends. *out is a new paging object of the operation's
 * page type, Owned (one spotify_model_free): `items` holds the collected
 * items in order; the other members are those of the last page fetched. Its
 * own raw JSON is not available (its items keep theirs). Memory grows with
 * the items collected; use a pager to stream.
 */
SPOTIFY_API spotify_status spotify_operation_collect(void **out, spotify_client *client,
                                                     const spotify_operation *op, const void *args,
                                                     size_t max_items, spotify_error *err);

/* Deprecated: spotify_pager_next_item with the output first (until 2.0). */
SPOTIFY_DEPRECATED("use spotify_pager_next_item(&item, pager, &err)")
SPOTIFY_API spotify_status spotify_pager_next(spotify_pager *pager, const void **item,
                                              spotify_error *err);
/* Deprecated: spotify_operation_collect (the spotify_operation_ module's
 * name), until 2.0. */
SPOTIFY_DEPRECATED("use spotify_operation_collect")
SPOTIFY_API spotify_status spotify_collect(void **out, spotify_client *client,
                                           const spotify_operation *op, const void *args,
                                           size_t max_items, spotify_error *err);

SPOTIFY_END_DECLS

#endif /* SPOTIFY_PAGING_H */
