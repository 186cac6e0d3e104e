/* SPDX-License-Identifier: Apache-2.0 */
/*
 * compat/deprecated.c - the names 1.0 replaced, kept until 2.0 so that no
 * program breaks (docs/abi.md): each calls its replacement, which puts the
 * outputs first (the project's rule) or follows the spotify_<module>_<verb>
 * pattern. The headers mark them SPOTIFY_DEPRECATED.
 */
#include <spotify/auth.h>
#include <spotify/paging.h>

spotify_status spotify_token_cache_load(spotify_token_cache *cache, spotify_token *out, bool *found,
                                        spotify_error *err)
{
    return spotify_token_cache_get(out, found, cache, err);
}

spotify_status spotify_auth_access_token(spotify_auth *auth, char *buf, size_t size,
                                         spotify_error *err)
{
    return spotify_auth_access_token_get(buf, size, auth, err);
}

spotify_status spotify_auth_token(spotify_auth *auth, spotify_token *out, spotify_error *err)
{
    return spotify_auth_token_get(out, auth, err);
}

spotify_status spotify_parse_callback(char **code_out, const char *url_or_query,
                                      const char *expected_state, spotify_error *err)
{
    return spotify_auth_callback_parse(code_out, url_or_query, expected_state, err);
}

spotify_status spotify_auth_exchange_code(spotify_auth *auth, const char *code, spotify_token *out,
                                          spotify_error *err)
{
    return spotify_auth_exchange(out, auth, code, err);
}

spotify_status spotify_pager_next(spotify_pager *pager, const void **item, spotify_error *err)
{
    return spotify_pager_next_item(item, pager, err);
}

spotify_status spotify_collect(void **out, spotify_client *client, const spotify_operation *op,
                               const void *args, size_t max_items, spotify_error *err)
{
    return spotify_operation_collect(out, client, op, args, max_items, err);
}
