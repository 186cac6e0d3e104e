/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/help.c - the command table and every command's help text (the
 * same words as the man page, spotctl/spotctl.1).
 */
#include <string.h>

#include "spotctl.h"

#define OPTS(a) a, sizeof a / sizeof a[0]
#define NO_OPTS NULL, 0

static const spotctl_opt login_opts[] = {
    {"scope", 0, SPOTCTL_VALUE}, {"no-browser", 0, SPOTCTL_FLAG}, {"pkce", 0, SPOTCTL_FLAG}};
static const spotctl_opt token_opts[] = {{"refresh", 0, SPOTCTL_FLAG}, {"raw", 0, SPOTCTL_FLAG}};
static const spotctl_opt api_opts[] = {{"query", 0, SPOTCTL_MULTI}, {"data", 0, SPOTCTL_VALUE}};
static const spotctl_opt search_opts[] = {
    {"type", 0, SPOTCTL_VALUE}, {"limit", 0, SPOTCTL_VALUE}, {"all", 0, SPOTCTL_FLAG}};
static const spotctl_opt get_opts[] = {{"ids-file", 0, SPOTCTL_VALUE},
                                       {"parallel", 0, SPOTCTL_VALUE}};
static const spotctl_opt limit_opts[] = {{"limit", 0, SPOTCTL_VALUE}};
static const spotctl_opt create_opts[] = {{"public", 0, SPOTCTL_FLAG},
                                          {"description", 0, SPOTCTL_VALUE}};
static const spotctl_opt library_list_opts[] = {{"type", 0, SPOTCTL_VALUE},
                                                {"limit", 0, SPOTCTL_VALUE}};
static const spotctl_opt device_opts[] = {{"device", 0, SPOTCTL_VALUE}};
static const spotctl_opt export_opts[] = {{"format", 0, SPOTCTL_VALUE},
                                          {"out", 0, SPOTCTL_VALUE},
                                          {"private", 0, SPOTCTL_FLAG},
                                          {"type", 0, SPOTCTL_VALUE}};

#define GET_HELP(noun, example)                                                                    \
    "Fetches each " noun " with its own request (GET /" noun "s/{id}), --parallel at a time,\n"    \
    "and prints the results in the order the IDs were given.\n"                                    \
    "\n"                                                                                           \
    "IDs may be bare IDs, spotify:" noun ": URIs or open.spotify.com links.\n"                     \
    "\n"                                                                                           \
    "Options:\n"                                                                                   \
    "  --ids-file FILE   read more IDs from FILE, one per line (- for stdin;\n"                    \
    "                    blank lines and lines starting with # are skipped;\n"                     \
    "                    text only, at most 16 MiB)\n"                                             \
    "  --parallel N      requests in flight at once, 1-64 (default 8); Ctrl-C\n"                   \
    "                    cancels them at once\n"                                                   \
    "\n"                                                                                           \
    "Output: one line per " noun " (text), or with --json each " noun " exactly as\n"              \
    "Spotify sent it, one per line. An ID that fails is reported on stderr;\n"                     \
    "the others are still printed, and the exit code is the first failure's.\n"                    \
    "\n"                                                                                           \
    "Examples:\n"                                                                                  \
    "  spotctl " noun "s get " example "\n"                                                        \
    "  spotctl --json " noun "s get --ids-file ids.txt --parallel 16 > " noun "s.ndjson\n"

const spotctl_command spotctl_commands[] = {
    {NULL, "login", spotctl_cmd_login, SPOTCTL_NEEDS_NOTHING, OPTS(login_opts),
     "login [--scope SCOPES] [--no-browser] [--pkce]",
     "Authorizes spotctl on this machine: opens Spotify's consent page in your\n"
     "browser, catches the redirect on a loopback server at the redirect URI, and\n"
     "saves the token in the token file (mode 0600).\n"
     "\n"
     "Needs SPOTIFY_SDK_CLIENT_ID (your app's client id). With\n"
     "SPOTIFY_SDK_CLIENT_SECRET set, the authorization code flow is used; without\n"
     "it, or with --pkce, PKCE. The redirect URI is $SPOTIFY_SDK_REDIRECT_URI\n"
     "(default http://127.0.0.1:8888/callback) and must be registered for the app.\n"
     "\n"
     "Options:\n"
     "  --scope SCOPES   scopes to ask for (space- or comma-separated); default:\n"
     "                   every scope spotctl's commands use:\n"
     "                   user-read-private user-read-email playlist-read-private\n"
     "                   playlist-read-collaborative playlist-modify-public\n"
     "                   playlist-modify-private user-library-read\n"
     "                   user-library-modify user-follow-read user-follow-modify\n"
     "                   user-read-playback-state user-modify-playback-state\n"
     "                   user-read-currently-playing\n"
     "  --no-browser     do not start a browser; print the URL to open instead\n"
     "  --pkce           use PKCE even when a client secret is set\n"
     "\n"
     "Examples:\n"
     "  spotctl login\n"
     "  spotctl login --no-browser --scope user-read-private\n"},
    {NULL, "logout", spotctl_cmd_logout, SPOTCTL_NEEDS_NOTHING, NO_OPTS, "logout",
     "Deletes the saved token (the token file). App credentials from the\n"
     "environment are not touched.\n"
     "\n"
     "Example:\n"
     "  spotctl logout\n"},
    {NULL, "token", spotctl_cmd_token, SPOTCTL_NEEDS_NOTHING, OPTS(token_opts),
     "token [--refresh] [--raw]",
     "Shows the token the next command would use: where it comes from, its flow,\n"
     "app, scopes and expiry. Secrets are never shown, except with --raw.\n"
     "\n"
     "Options:\n"
     "  --refresh   get a new access token now (saved login: refresh it)\n"
     "  --raw       print only the access token (for curl and scripts)\n"
     "\n"
     "Examples:\n"
     "  spotctl token\n"
     "  curl -H \"Authorization: Bearer $(spotctl token --raw)\" https://api.spotify.com/v1/me\n"},
    {NULL, "me", spotctl_cmd_me, SPOTCTL_NEEDS_USER, NO_OPTS, "me",
     "Shows the logged-in user (GET /me).\n"
     "\n"
     "Examples:\n"
     "  spotctl me\n"
     "  spotctl --json me | jq -r .id\n"},
    {NULL, "api", spotctl_cmd_api, SPOTCTL_NEEDS_ANY, OPTS(api_opts),
     "api METHOD PATH [--query K=V]... [--data JSON|@FILE]",
     "Sends any Web API request, authenticated, with retries, and prints the\n"
     "response body. PATH is relative to the API base URL (/me/player).\n"
     "\n"
     "Options:\n"
     "  --query K=V       a query parameter (repeatable; percent-encoded for you)\n"
     "  --data JSON|@FILE a JSON request body, inline or from FILE (@- for stdin;\n"
     "                    text only, at most 16 MiB)\n"
     "\n"
     "Examples:\n"
     "  spotctl api GET /me\n"
     "  spotctl api GET /search --query q=katatonia --query type=artist\n"
     "  spotctl api PUT /me/player/volume --query volume_percent=40\n"
     "  spotctl api POST /me/playlists --data '{\"name\":\"Mix\",\"public\":false}'\n"},
    {NULL, "search", spotctl_cmd_search, SPOTCTL_NEEDS_ANY, OPTS(search_opts),
     "search QUERY [--type TYPES] [--limit N] [--all]",
     "Searches the catalogue.\n"
     "\n"
     "Options:\n"
     "  --type TYPES   comma-separated: album, artist, playlist, track, show,\n"
     "                 episode, audiobook (default track)\n"
     "  --limit N      at most N items per type\n"
     "  --all          page through every result (largest pages allowed)\n"
     "\n"
     "With --json: one item per line, exactly as Spotify sent it; when several\n"
     "types are searched, each line is {\"type\":TYPE,\"item\":ITEM}.\n"
     "\n"
     "Examples:\n"
     "  spotctl search 'sky void' --type album,track\n"
     "  spotctl --json search katatonia --type artist --all\n"},
    {"albums", "get", spotctl_cmd_albums_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "albums get ID... [--ids-file FILE] [--parallel N]",
     GET_HELP("album", "4EcfbzCtbJDk2wMwhT4D1h spotify:album:7ycBtnsMtyVbbwTfJwRjSP")},
    {"albums", "tracks", spotctl_cmd_albums_tracks, SPOTCTL_NEEDS_ANY, OPTS(limit_opts),
     "albums tracks ID [--limit N]",
     "Lists an album's tracks, paging through all of them.\n"
     "\n"
     "Options:\n"
     "  --limit N   stop after N tracks\n"
     "\n"
     "Example:\n"
     "  spotctl albums tracks 7ycBtnsMtyVbbwTfJwRjSP\n"},
    {"tracks", "get", spotctl_cmd_tracks_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "tracks get ID... [--ids-file FILE] [--parallel N]",
     GET_HELP("track", "https://open.spotify.com/track/6HZILIRieu8S0iqY8kIKhj")},
    {"artists", "get", spotctl_cmd_artists_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "artists get ID... [--ids-file FILE] [--parallel N]",
     GET_HELP("artist", "2YZyLoL8N0Wb9xBt1NhZWg")},
    {"artists", "albums", spotctl_cmd_artists_albums, SPOTCTL_NEEDS_ANY, OPTS(limit_opts),
     "artists albums ID [--limit N]",
     "Lists an artist's albums, paging through all of them.\n"
     "\n"
     "Options:\n"
     "  --limit N   stop after N albums\n"
     "\n"
     "Example:\n"
     "  spotctl artists albums 2YZyLoL8N0Wb9xBt1NhZWg\n"},
    {"playlists", "list", spotctl_cmd_playlists_list, SPOTCTL_NEEDS_USER, OPTS(limit_opts),
     "playlists list [--limit N]",
     "Lists your playlists (the ones you own and follow).\n"
     "\n"
     "Options:\n"
     "  --limit N   stop after N playlists\n"
     "\n"
     "Example:\n"
     "  spotctl playlists list\n"},
    {"playlists", "get", spotctl_cmd_playlists_get, SPOTCTL_NEEDS_ANY, OPTS(limit_opts),
     "playlists get ID [--limit N]",
     "Shows a playlist and all its items, page by page. With --json: the\n"
     "playlist exactly as Spotify sent it, one line, except that its page of\n"
     "items holds every item (up to --limit), not only the first 100.\n"
     "\n"
     "Options:\n"
     "  --limit N   show at most N items\n"
     "\n"
     "Example:\n"
     "  spotctl playlists get 37i9dQZF1DXcBWIGoYBM5M\n"},
    {"playlists", "create", spotctl_cmd_playlists_create, SPOTCTL_NEEDS_USER, OPTS(create_opts),
     "playlists create NAME [--public] [--description TEXT]",
     "Creates a playlist (private unless --public) and prints its ID.\n"
     "\n"
     "Options:\n"
     "  --public             make it public\n"
     "  --description TEXT   its description\n"
     "\n"
     "Example:\n"
     "  id=$(spotctl --json playlists create 'Road trip' | jq -r .id)\n"},
    {"playlists", "add", spotctl_cmd_playlists_add, SPOTCTL_NEEDS_USER, NO_OPTS,
     "playlists add ID URI...",
     "Appends tracks or episodes to a playlist (any number; sent 100 per request).\n"
     "\n"
     "Example:\n"
     "  spotctl playlists add 3cEYpjA9oz9GiPac4AsH4n spotify:track:6HZILIRieu8S0iqY8kIKhj\n"},
    {"playlists", "remove", spotctl_cmd_playlists_remove, SPOTCTL_NEEDS_USER, NO_OPTS,
     "playlists remove ID URI...",
     "Removes every occurrence of the given items from a playlist.\n"
     "\n"
     "Example:\n"
     "  spotctl playlists remove 3cEYpjA9oz9GiPac4AsH4n spotify:track:6HZILIRieu8S0iqY8kIKhj\n"},
    {"library", "list", spotctl_cmd_library_list, SPOTCTL_NEEDS_USER, OPTS(library_list_opts),
     "library list [--type TYPE] [--limit N]",
     "Lists your saved items, newest first.\n"
     "\n"
     "Options:\n"
     "  --type TYPE   track (default), album, episode, show or audiobook\n"
     "  --limit N     stop after N items\n"
     "\n"
     "Examples:\n"
     "  spotctl library list\n"
     "  spotctl --json library list --type album\n"},
    {"library", "save", spotctl_cmd_library_save, SPOTCTL_NEEDS_USER, NO_OPTS,
     "library save URI...",
     "Saves items to your library: tracks, albums, episodes, shows, audiobooks\n"
     "(and follows artists, users or playlists). URIs or open.spotify.com links.\n"
     "\n"
     "Example:\n"
     "  spotctl library save spotify:album:4EcfbzCtbJDk2wMwhT4D1h\n"},
    {"library", "remove", spotctl_cmd_library_remove, SPOTCTL_NEEDS_USER, NO_OPTS,
     "library remove URI...",
     "Removes items from your library.\n"
     "\n"
     "Example:\n"
     "  spotctl library remove spotify:album:4EcfbzCtbJDk2wMwhT4D1h\n"},
    {"library", "contains", spotctl_cmd_library_contains, SPOTCTL_NEEDS_USER, NO_OPTS,
     "library contains URI...",
     "Tells, for each item, whether it is in your library. With --json: one\n"
     "{\"uri\":URI,\"saved\":BOOL} per line, in input order.\n"
     "\n"
     "Example:\n"
     "  spotctl library contains spotify:track:6HZILIRieu8S0iqY8kIKhj\n"},
    {"player", "status", spotctl_cmd_player_status, SPOTCTL_NEEDS_USER, NO_OPTS, "player status",
     "Shows what is playing, where and how far in. With --json: the playback\n"
     "state as Spotify sent it, or null when no device is active.\n"
     "\n"
     "Example:\n"
     "  spotctl player status\n"},
    {"player", "devices", spotctl_cmd_player_devices, SPOTCTL_NEEDS_USER, NO_OPTS, "player devices",
     "Lists your devices (IDs for --device).\n"
     "\n"
     "Example:\n"
     "  spotctl player devices\n"},
    {"player", "play", spotctl_cmd_player_play, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player play [URI...] [--device ID]",
     "Starts or resumes playback. Track URIs are played in order; one album,\n"
     "playlist or artist URI is played as a context. No URI resumes.\n"
     "\n"
     "Options:\n"
     "  --device ID   the device to play on (see `spotctl player devices`)\n"
     "\n"
     "Examples:\n"
     "  spotctl player play --device 1f0c... spotify:album:4EcfbzCtbJDk2wMwhT4D1h\n"
     "  spotctl player play\n"},
    {"player", "pause", spotctl_cmd_player_pause, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player pause [--device ID]", "Pauses playback.\n\nExample:\n  spotctl player pause\n"},
    {"player", "next", spotctl_cmd_player_next, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player next [--device ID]", "Skips to the next track.\n\nExample:\n  spotctl player next\n"},
    {"player", "previous", spotctl_cmd_player_previous, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player previous [--device ID]",
     "Goes back to the previous track (or the start of this one).\n\nExample:\n"
     "  spotctl player previous\n"},
    {"player", "volume", spotctl_cmd_player_volume, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player volume PERCENT [--device ID]",
     "Sets the volume, 0-100.\n\nExample:\n  spotctl player volume 40\n"},
    {NULL, "export", spotctl_cmd_export, SPOTCTL_NEEDS_USER, OPTS(export_opts),
     "export library|playlists|playlist ID [--format json|ndjson|csv] [--out FILE] [--private]",
     "Exports your library, all your playlists with their items, or one\n"
     "playlist, paging through everything.\n"
     "\n"
     "Options:\n"
     "  --format F   json (one array), ndjson (one item per line) or csv;\n"
     "               default: from --out's extension, else json\n"
     "  --out FILE   write to FILE (default, or -: standard output). A regular\n"
     "               FILE is replaced at the end through a temporary file beside\n"
     "               it, keeping its mode and owner, so an interrupted or failed\n"
     "               export never leaves a truncated FILE; a symlink is followed\n"
     "               (its target replaced, never the link); a device, FIFO or\n"
     "               terminal (/dev/stdout) is written directly; a directory is\n"
     "               refused. A new FILE gets the umask's mode\n"
     "  --private    make FILE mode 0600 (only you can read it)\n"
     "  --type T     library only: kinds to export, comma-separated: track,\n"
     "               album, episode, show, audiobook or all (default track,album)\n"
     "\n"
     "JSON items are exactly as Spotify sent them ({added_at, track} for saved\n"
     "tracks, {added_at, added_by, item} for playlist items); for `playlists`\n"
     "each entry is {\"playlist\":PLAYLIST,\"items\":[...]}. CSV has one row per\n"
     "item: type, added_at, name, artists, album, duration, uri (and the\n"
     "playlist for `playlists`). Progress is shown on a terminal.\n"
     "\n"
     "Examples:\n"
     "  spotctl export library --out library.csv\n"
     "  spotctl export playlist 3cEYpjA9oz9GiPac4AsH4n --format ndjson > items.ndjson\n"},
};

const size_t spotctl_command_count = sizeof spotctl_commands / sizeof spotctl_commands[0];

void spotctl_command_name(char *out, size_t size, const spotctl_command *cmd)
{
    if (cmd->group != NULL)
        snprintf(out, size, "%s %s", cmd->group, cmd->name);
    else
        snprintf(out, size, "%s", cmd->name);
}

const spotctl_command *spotctl_find_command(const char *group, const char *verb)
{
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->group == NULL && verb == NULL && strcmp(c->name, group) == 0)
            return c;
        if (c->group != NULL && verb != NULL && strcmp(c->group, group) == 0 &&
            strcmp(c->name, verb) == 0)
            return c;
        if (c->group == NULL && verb != NULL && strcmp(c->name, group) == 0)
            return c; /* a top-level command followed by an argument */
    }
    return NULL;
}

static const char global_help[] =
    "Global options (before or after the command):\n"
    "  --json          machine-readable output: Spotify's JSON, compact, one per line\n"
    "  --cache PATH    the token file (default $SPOTCTL_CACHE, else\n"
    "                  $XDG_CONFIG_HOME/spotctl/token.json or ~/.config/spotctl/token.json),\n"
    "                  or a Redis URL shared by many machines: "
    "redis://[:PASSWORD@]HOST[:PORT][/DB]\n"
    "                  or unix:///PATH.sock (needs SPOTIFY_SDK_CLIENT_ID; the login is kept\n"
    "                  under the user key $SPOTCTL_REDIS_USER, default \"spotctl\")\n"
    "  --market CC     an ISO 3166-1 country code for catalogue requests\n"
    "  -v, --verbose   trace every HTTP exchange on stderr (redacted); -vv adds SDK logs\n"
    "  -h, --help      help for spotctl or a command\n";

void spotctl_print_main_help(FILE *out)
{
    fputs("spotctl - the Spotify Web API from the command line\n"
          "\n"
          "Usage: spotctl [--json] [--cache PATH] [--market CC] [-v|--verbose] COMMAND [ARGS]\n"
          "\n"
          "Commands:\n",
          out);
    for (size_t i = 0; i < spotctl_command_count; i++)
        fprintf(out, "  %s\n", spotctl_commands[i].synopsis);
    fputs("\n", out);
    fputs(global_help, out);
    fputs("\n"
          "Environment: SPOTIFY_SDK_CLIENT_ID, SPOTIFY_SDK_CLIENT_SECRET,\n"
          "SPOTIFY_SDK_REDIRECT_URI, SPOTIFY_SDK_API_BASE_URL, SPOTIFY_SDK_ACCOUNTS_BASE_URL,\n"
          "SPOTCTL_CACHE, SPOTCTL_REDIS_USER. Exit codes: 0 ok, 1 other error, 2 usage,\n"
          "3 authentication or configuration, 4 request refused, 5 rate limited,\n"
          "6 network/server, 130 interrupted.\n"
          "\n"
          "Run 'spotctl COMMAND --help' for a command's options and examples; see spotctl(1).\n",
          out);
}

bool spotctl_print_group_help(FILE *out, const char *group)
{
    bool any = false;
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->group == NULL || strcmp(c->group, group) != 0)
            continue;
        if (out != NULL && !any)
            fprintf(out, "Usage: spotctl %s COMMAND\n\nCommands:\n", group);
        any = true;
        if (out != NULL)
            fprintf(out, "  %s\n", c->synopsis);
    }
    if (out != NULL && any)
        fprintf(out, "\nRun 'spotctl %s COMMAND --help' for details.\n", group);
    return any;
}

void spotctl_print_command_help(FILE *out, const spotctl_command *cmd)
{
    fprintf(out, "Usage: spotctl %s\n\n%s\n%s", cmd->synopsis, cmd->help, global_help);
}
