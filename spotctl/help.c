/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/help.c - the command table: every command with its options,
 * what --help says about it and what the completions offer. It is the one
 * source of `spotctl --help`, each command's --help, the man page's command
 * list and the bash and zsh completions (docs.c writes those three for
 * spotctl-gendocs; the CTest spotctl_docs_current checks they are current).
 * An option's `values` are every word the command accepts there, no more.
 */
#include <string.h>
#include <strings.h>

#include "spotctl.h"

#define OPTS(a) a, sizeof a / sizeof a[0]
#define NO_OPTS NULL, 0

/* An option: a flag, a value (free text, a file, one of some words, or a
 * comma-separated list of them), or a repeatable value. */
#define FLAG(name, help)                                                                           \
    {                                                                                              \
        name, 0, SPOTCTL_FLAG, NULL, help, SPOTCTL_COMPLETE_TEXT, NULL                             \
    }
#define VALUE(name, arg, help)                                                                     \
    {                                                                                              \
        name, 0, SPOTCTL_VALUE, arg, help, SPOTCTL_COMPLETE_TEXT, NULL                             \
    }
#define PATH_VALUE(name, arg, help)                                                                \
    {                                                                                              \
        name, 0, SPOTCTL_VALUE, arg, help, SPOTCTL_COMPLETE_FILE, NULL                             \
    }
#define WORD_VALUE(name, arg, help, words)                                                         \
    {                                                                                              \
        name, 0, SPOTCTL_VALUE, arg, help, SPOTCTL_COMPLETE_WORDS, words                           \
    }
#define LIST_VALUE(name, arg, help, words)                                                         \
    {                                                                                              \
        name, 0, SPOTCTL_VALUE, arg, help, SPOTCTL_COMPLETE_LIST, words                            \
    }
#define MULTI(name, arg, help)                                                                     \
    {                                                                                              \
        name, 0, SPOTCTL_MULTI, arg, help, SPOTCTL_COMPLETE_TEXT, NULL                             \
    }

const spotctl_opt spotctl_global_opts[] = {
    FLAG("json", "machine-readable output: Spotify's JSON, compact, one per line"),
    PATH_VALUE("cache", "PATH",
               "the token file (default $SPOTCTL_CACHE, else\n"
               "$XDG_CONFIG_HOME/spotctl/token.json or ~/.config/spotctl/token.json),\n"
               "or a Redis URL shared by many machines: redis://[:PASSWORD@]HOST[:PORT][/DB],\n"
               "redis-sentinel://[:PASSWORD@]HOST[:PORT][,HOST[:PORT]...]/MASTER[/DB]\n"
               "or unix:///PATH.sock (needs SPOTIFY_SDK_CLIENT_ID; the login is kept\n"
               "under the user key $SPOTCTL_REDIS_USER, default \"spotctl\")"),
    VALUE("market", "CC", "an ISO 3166-1 country code for catalogue requests"),
    {"verbose", 'v', SPOTCTL_FLAG, NULL,
     "trace every HTTP exchange on stderr (redacted); -vv adds SDK logs", SPOTCTL_COMPLETE_TEXT,
     NULL},
    {"help", 'h', SPOTCTL_FLAG, NULL, "help for spotctl or a command", SPOTCTL_COMPLETE_TEXT, NULL},
};
const size_t spotctl_global_opt_count = sizeof spotctl_global_opts / sizeof spotctl_global_opts[0];

/* The kinds of saved items (fields.c's names) and of search results. */
#define SAVED_KINDS "track album episode show audiobook"
#define SEARCH_TYPES "album artist playlist track show episode audiobook"

static const spotctl_opt login_opts[] = {
    VALUE("scope", "SCOPES",
          "scopes to ask for (space- or comma-separated); default:\n"
          "every scope spotctl's commands use:\n"
          "user-read-private user-read-email playlist-read-private\n"
          "playlist-read-collaborative playlist-modify-public\n"
          "playlist-modify-private user-library-read\n"
          "user-library-modify user-follow-read user-follow-modify\n"
          "user-read-playback-state user-modify-playback-state\n"
          "user-read-currently-playing user-top-read\n"
          "user-read-recently-played ugc-image-upload"),
    MULTI("add-scope", "SCOPE",
          "add scopes to those the saved login has (or the default\n"
          "ones) and log in again with all of them (repeatable;\n"
          "space- or comma-separated)"),
    FLAG("no-browser", "do not start a browser; print the URL to open instead\n"
                       "(the redirect must still reach this machine)"),
    FLAG("paste", "for a remote or headless machine: print the URL, open it\n"
                  "in any browser, and paste back the address it went to"),
    FLAG("pkce", "use PKCE even when a client secret is set"),
};
static const spotctl_opt token_opts[] = {
    FLAG("refresh", "get a new access token now (saved login: refresh it)"),
    FLAG("raw", "print only the access token (for curl and scripts)"),
};
static const spotctl_opt api_opts[] = {
    {"method", 'X', SPOTCTL_VALUE, "METHOD",
     "the method: GET, or POST when -f/-F make a body; PUT, DELETE", SPOTCTL_COMPLETE_WORDS,
     "GET POST PUT DELETE"},
    {"field", 'f', SPOTCTL_MULTI, "KEY=VALUE",
     "a member of the JSON body (the query of a GET), repeatable:\n"
     "numbers, true, false and null are sent as such, the rest as\n"
     "strings; KEY[]=V appends to a list, KEY[SUB]=V nests,\n"
     "KEY[][SUB]=V makes a list of objects, KEY[] alone an empty list",
     SPOTCTL_COMPLETE_TEXT, NULL},
    {"file-field", 'F', SPOTCTL_MULTI, "KEY=@FILE",
     "like -f; KEY=@FILE takes FILE's text as the value (@- stdin)", SPOTCTL_COMPLETE_TEXT, NULL},
    MULTI("query", "K=V", "a query parameter (repeatable; percent-encoded for you)"),
    VALUE("data", "JSON|@FILE",
          "a JSON request body, inline or from FILE (@- for stdin;\n"
          "text only, at most 16 MiB)"),
    PATH_VALUE("input", "FILE",
               "the request body from FILE (- for stdin), sent as it is;\n"
               "-f/-F fields then go to the query"),
    {"include", 'i', SPOTCTL_FLAG, NULL,
     "print the status line and the response headers the SDK\n"
     "keeps (Content-Type; Retry-After on errors), redacted, before\n"
     "the body",
     SPOTCTL_COMPLETE_TEXT, NULL},
    FLAG("paginate", "follow `next` to the last page (GET): text prints each\n"
                     "page's JSON, --json each item on a line; stops at the\n"
                     "page's total or a page seen before; only links on the API"),
};
static const spotctl_opt search_opts[] = {
    LIST_VALUE("type", "TYPES",
               "comma-separated: album, artist, playlist, track, show,\n"
               "episode, audiobook, or all (default track)",
               SEARCH_TYPES " all"),
    VALUE("limit", "N", "stop after N items of each type (default 10)"),
    FLAG("all", "every result of each type (no --limit)"),
};
static const spotctl_opt get_opts[] = {
    PATH_VALUE("ids-file", "FILE",
               "read more IDs from FILE, one per line (- for stdin;\n"
               "blank lines and lines starting with # are skipped;\n"
               "text only, at most 16 MiB)"),
    VALUE("parallel", "N",
          "requests in flight at once, 1-64 (default 8); Ctrl-C\n"
          "cancels them at once"),
};
/* Every list takes the same --limit and pages the same way. */
#define LIMIT_OPT VALUE("limit", "N", "stop after N items (default: all of them)")
static const spotctl_opt limit_opts[] = {LIMIT_OPT};
static const spotctl_opt top_opts[] = {
    WORD_VALUE("range", "R",
               "short (about 4 weeks), medium (6 months, the default) or\n"
               "long (a year)",
               "short medium long"),
    LIMIT_OPT,
};
static const spotctl_opt recent_opts[] = {
    VALUE("before", "TIME", "played before TIME (page back from there)"),
    VALUE("after", "TIME", "played after TIME"),
    LIMIT_OPT,
};
static const spotctl_opt reorder_opts[] = {
    VALUE("count", "N", "move N items (default 1)"),
};
static const spotctl_opt create_opts[] = {
    FLAG("public", "make it public"),
    VALUE("description", "TEXT", "its description"),
};
static const spotctl_opt library_list_opts[] = {
    LIST_VALUE("type", "TYPES",
               "comma-separated: track (default), album, episode, show,\n"
               "audiobook, or all",
               SAVED_KINDS " all"),
    VALUE("limit", "N", "stop after N items of each type (default: all of them)"),
};
static const spotctl_opt ids_file_opts[] = {
    PATH_VALUE("ids-file", "FILE",
               "read more from FILE, one per line (- for stdin; blank\n"
               "lines and lines starting with # are skipped)"),
};
#define DEVICE_OPT                                                                                 \
    VALUE("device", "DEVICE",                                                                      \
          "the device: its ID, or the start of its name (any case)\n"                              \
          "when only one device's name starts so (see `spotctl player\n"                           \
          "devices`)")
static const spotctl_opt device_opts[] = {DEVICE_OPT};
static const spotctl_opt transfer_opts[] = {
    FLAG("play", "start playing there (else the state is kept)"),
};
static const spotctl_opt export_opts[] = {
    WORD_VALUE("format", "F",
               "json (one array), ndjson (one item per line) or csv;\n"
               "default: from --out's extension, else json",
               "json ndjson csv"),
    PATH_VALUE("out", "FILE",
               "write to FILE (default, or -: standard output). A regular\n"
               "FILE is replaced at the end through a temporary file beside\n"
               "it, keeping its mode and owner, so an interrupted or failed\n"
               "export never leaves a truncated FILE; a symlink is followed\n"
               "(its target replaced, never the link); a device, FIFO or\n"
               "terminal (/dev/stdout) is written directly; a directory is\n"
               "refused. A new FILE gets the umask's mode"
               " (see --private)"),
    FLAG("private", "make FILE mode 0600 (only you can read it)"),
    LIST_VALUE("type", "T",
               "library only: kinds to export, comma-separated: track,\n"
               "album, episode, show, audiobook or all (default track,album)",
               SAVED_KINDS " all"),
};

/* How a command names a playlist. */
#define PLAYLIST_ABOUT                                                                             \
    "\n"                                                                                           \
    "PLAYLIST is an ID, a spotify:playlist: URI, an open.spotify.com link, or\n"                   \
    "the exact name of one of your playlists when only one has it.\n"
#define GET_ABOUT(noun)                                                                            \
    "Fetches each " noun " with its own request (GET /" noun "s/{id}), --parallel at a time,\n"    \
    "and prints the results in the order the IDs were given.\n"                                    \
    "\n"                                                                                           \
    "IDs may be bare IDs, spotify:" noun ": URIs or open.spotify.com links.\n"
#define GET_MORE(noun, example)                                                                    \
    "Output: one line per " noun " (text), or with --json each " noun " exactly as\n"              \
    "Spotify sent it, one per line. An ID that fails is reported on stderr;\n"                     \
    "the others are still printed, and the exit code is the first failure's.\n"                    \
    "\n"                                                                                           \
    "Examples:\n"                                                                                  \
    "  spotctl " noun "s get " example "\n"                                                        \
    "  spotctl --json " noun "s get --ids-file ids.txt --parallel 16 > " noun "s.ndjson\n"

const spotctl_command spotctl_commands[] = {
    {NULL, "login", spotctl_cmd_login, SPOTCTL_NEEDS_NOTHING, OPTS(login_opts),
     "login [--scope SCOPES | --add-scope SCOPE...] [--no-browser | --paste] [--pkce]",
     "authorize this machine",
     "Authorizes spotctl on this machine: opens Spotify's consent page in your\n"
     "browser, catches the redirect on a loopback server at the redirect URI, and\n"
     "saves the token in the token file (mode 0600).\n"
     "\n"
     "On a remote or headless machine (ssh, a container), --paste prints the\n"
     "consent page's URL instead: open it in a browser anywhere, approve, and\n"
     "paste back the address the browser went to (the page itself fails to\n"
     "load, which is expected); spotctl checks its state and exchanges the code.\n"
     "\n"
     "Needs SPOTIFY_SDK_CLIENT_ID (your app's client id). With\n"
     "SPOTIFY_SDK_CLIENT_SECRET set, the authorization code flow is used; without\n"
     "it, or with --pkce, PKCE. The redirect URI is $SPOTIFY_SDK_REDIRECT_URI\n"
     "(default http://127.0.0.1:8888/callback) and must be registered for the app.\n",
     "Examples:\n"
     "  spotctl login\n"
     "  spotctl login --paste\n"
     "  spotctl login --add-scope user-top-read\n"
     "  spotctl login --no-browser --scope user-read-private\n",
     NULL, NULL, NULL},
    {NULL, "logout", spotctl_cmd_logout, SPOTCTL_NEEDS_NOTHING, NO_OPTS, "logout",
     "delete the saved token",
     "Deletes the saved token (the token file). App credentials from the\n"
     "environment are not touched.\n",
     "Example:\n"
     "  spotctl logout\n",
     NULL, NULL, NULL},
    {NULL, "token", spotctl_cmd_token, SPOTCTL_NEEDS_NOTHING, OPTS(token_opts),
     "token [--refresh] [--raw]", "show the token the next command would use",
     "Shows the token the next command would use: where it comes from, its flow,\n"
     "app, scopes and expiry. Secrets are never shown, except with --raw.\n",
     "Examples:\n"
     "  spotctl token\n"
     "  curl -H \"Authorization: Bearer $(spotctl token --raw)\" https://api.spotify.com/v1/me\n",
     NULL, NULL, NULL},
    {NULL, "me", spotctl_cmd_me, SPOTCTL_NEEDS_USER, NO_OPTS, "me", "show the current user",
     "Shows the logged-in user (GET /me).\n",
     "Examples:\n"
     "  spotctl me\n"
     "  spotctl --json me | jq -r .id\n",
     NULL, NULL, "me_get"},
    {"me", "top", spotctl_cmd_me_top, SPOTCTL_NEEDS_USER, OPTS(top_opts),
     "me top tracks|artists [--range short|medium|long] [--limit N]",
     "your most played tracks or artists", "Lists your top tracks or artists, most played first.\n",
     "Examples:\n"
     "  spotctl me top artists --range short --limit 10\n"
     "  spotctl --json me top tracks | jq -r .name\n",
     "tracks artists", NULL, "me_top_tracks_list me_top_artists_list"},
    {"me", "recent", spotctl_cmd_recent, SPOTCTL_NEEDS_USER, OPTS(recent_opts),
     "me recent [--before TIME|--after TIME] [--limit N]", "tracks you played recently",
     "Lists the tracks you played recently, newest first (Spotify keeps the\n"
     "last 50), paging back with cursors.\n",
     "TIME is Unix milliseconds or a UTC date and time (2024-05-01,\n"
     "2024-05-01T18:30:00Z).\n"
     "\n"
     "Examples:\n"
     "  spotctl me recent --limit 10\n"
     "  spotctl --json me recent --after 2024-05-01 | jq -r .track.name\n",
     NULL, NULL, "player_list_recently_played"},
    {NULL, "api", spotctl_cmd_api, SPOTCTL_NEEDS_ANY, OPTS(api_opts),
     "api PATH|URL [-X METHOD] [-f K=V]... [-F K=@FILE]... [--input FILE] [-i] [--paginate]",
     "send any Web API request",
     "Sends any Web API request, authenticated, with retries, and prints the\n"
     "response body. PATH is relative to the API base URL (/me/player, or\n"
     "me/player); a full URL (a `next` link pasted from a page) is accepted\n"
     "when it is on the API base URL's origin, and refused (exit 2, nothing\n"
     "sent) anywhere else, so the token never leaves for another host. A\n"
     "redirect (3xx) is an error naming where it points (exit 6). The method\n"
     "may also come first: `spotctl api PUT /me/player/pause`.\n",
     "With --json the answer is printed on one line, or with --paginate one\n"
     "line per item of every page.\n"
     "\n"
     "Examples:\n"
     "  spotctl api /me\n"
     "  spotctl api /search --query q=katatonia --query type=artist\n"
     "  spotctl --json api /me/tracks --paginate | jq -r .track.name\n"
     "  spotctl api -X PUT /me/player/volume --query volume_percent=40\n"
     "  spotctl api /me/playlists -f name=Mix -f public=false\n"
     "  spotctl api -X PUT /me/player/play -f uris[]=spotify:track:6HZILIRieu8S0iqY8kIKhj\n"
     "  spotctl api -i 'https://api.spotify.com/v1/me/tracks?offset=20&limit=20'\n",
     "GET POST PUT DELETE", NULL, NULL},
    {NULL, "search", spotctl_cmd_search, SPOTCTL_NEEDS_ANY, OPTS(search_opts),
     "search QUERY [--type TYPES] [--limit N] [--all]", "search the catalogue",
     "Searches the catalogue.\n",
     "With --json: one item per line, exactly as Spotify sent it; when several\n"
     "types are searched, each line is {\"type\":TYPE,\"item\":ITEM}.\n"
     "\n"
     "Examples:\n"
     "  spotctl search 'sky void' --type album,track\n"
     "  spotctl --json search katatonia --type artist --all\n",
     NULL, NULL, "search"},
    {"albums", "get", spotctl_cmd_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "albums get ID... [--ids-file FILE] [--parallel N]", "fetch albums by ID", GET_ABOUT("album"),
     GET_MORE("album", "4EcfbzCtbJDk2wMwhT4D1h spotify:album:7ycBtnsMtyVbbwTfJwRjSP"), NULL,
     &spotctl_kind_album, "albums_get"},
    {"albums", "tracks", spotctl_cmd_children, SPOTCTL_NEEDS_ANY, OPTS(limit_opts),
     "albums tracks ID [--limit N]", "list an album's tracks",
     "Lists an album's tracks, paging through all of them.\n",
     "Example:\n"
     "  spotctl albums tracks 7ycBtnsMtyVbbwTfJwRjSP\n",
     NULL, &spotctl_kind_album, "albums_list_tracks"},
    {"tracks", "get", spotctl_cmd_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "tracks get ID... [--ids-file FILE] [--parallel N]", "fetch tracks by ID", GET_ABOUT("track"),
     GET_MORE("track", "https://open.spotify.com/track/6HZILIRieu8S0iqY8kIKhj"), NULL,
     &spotctl_kind_track, "tracks_get"},
    {"artists", "get", spotctl_cmd_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "artists get ID... [--ids-file FILE] [--parallel N]", "fetch artists by ID",
     GET_ABOUT("artist"), GET_MORE("artist", "2YZyLoL8N0Wb9xBt1NhZWg"), NULL, &spotctl_kind_artist,
     "artists_get"},
    {"artists", "albums", spotctl_cmd_children, SPOTCTL_NEEDS_ANY, OPTS(limit_opts),
     "artists albums ID [--limit N]", "list an artist's albums",
     "Lists an artist's albums, paging through all of them.\n",
     "Example:\n"
     "  spotctl artists albums 2YZyLoL8N0Wb9xBt1NhZWg\n",
     NULL, &spotctl_kind_artist, "artists_list_albums"},
    {"shows", "get", spotctl_cmd_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "shows get ID... [--ids-file FILE] [--parallel N]", "fetch podcast shows by ID",
     GET_ABOUT("show"), GET_MORE("show", "5CfCWKI5pZ28U0uOzXkDHe"), NULL, &spotctl_kind_show,
     "shows_get"},
    {"shows", "episodes", spotctl_cmd_children, SPOTCTL_NEEDS_ANY, OPTS(limit_opts),
     "shows episodes ID [--limit N]", "list a show's episodes",
     "Lists a show's episodes, paging through all of them.\n",
     "Example:\n"
     "  spotctl shows episodes 5CfCWKI5pZ28U0uOzXkDHe --limit 5\n",
     NULL, &spotctl_kind_show, "shows_list_episodes"},
    {"episodes", "get", spotctl_cmd_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "episodes get ID... [--ids-file FILE] [--parallel N]", "fetch podcast episodes by ID",
     GET_ABOUT("episode"), GET_MORE("episode", "512ojhOuo1ktJprKbVcKyQ"), NULL,
     &spotctl_kind_episode, "episodes_get"},
    {"audiobooks", "get", spotctl_cmd_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "audiobooks get ID... [--ids-file FILE] [--parallel N]", "fetch audiobooks by ID",
     GET_ABOUT("audiobook"), GET_MORE("audiobook", "7iHfbu1YPACw6oZPAFJtqe"), NULL,
     &spotctl_kind_audiobook, "audiobooks_get"},
    {"audiobooks", "chapters", spotctl_cmd_children, SPOTCTL_NEEDS_ANY, OPTS(limit_opts),
     "audiobooks chapters ID [--limit N]", "list an audiobook's chapters",
     "Lists an audiobook's chapters, paging through all of them.\n",
     "Example:\n"
     "  spotctl audiobooks chapters 7iHfbu1YPACw6oZPAFJtqe\n",
     NULL, &spotctl_kind_audiobook, "audiobooks_list_chapters"},
    {"chapters", "get", spotctl_cmd_get, SPOTCTL_NEEDS_ANY, OPTS(get_opts),
     "chapters get ID... [--ids-file FILE] [--parallel N]", "fetch audiobook chapters by ID",
     GET_ABOUT("chapter"), GET_MORE("chapter", "0D5wENdkdwbqlrHoaJ9g29"), NULL,
     &spotctl_kind_chapter, "chapters_get"},
    {NULL, "follow", spotctl_cmd_follow, SPOTCTL_NEEDS_USER, OPTS(ids_file_opts),
     "follow artists|users|playlists ID... [--ids-file FILE]", "follow artists, users or playlists",
     "Follows artists, users or playlists: IDs, URIs or open.spotify.com links\n"
     "(a user's ID is their user name), any number, or one per line from\n"
     "--ids-file or - (stdin). Artists go through /me/following, users and\n"
     "playlists through your library (/me/library).\n",
     "Examples:\n"
     "  spotctl follow artists 2YZyLoL8N0Wb9xBt1NhZWg spotify:artist:2CWWgbxApjbyByxBBCvGTm\n"
     "  spotctl follow playlists 37i9dQZF1DXcBWIGoYBM5M\n"
     "  spotctl --json follow users demo-public-user\n",
     "artists users playlists", &spotctl_follow_add, "me_following_add library_save"},
    {NULL, "unfollow", spotctl_cmd_follow, SPOTCTL_NEEDS_USER, OPTS(ids_file_opts),
     "unfollow artists|users|playlists ID... [--ids-file FILE]",
     "unfollow artists, users or playlists",
     "Unfollows artists, users or playlists (as `follow` takes them).\n",
     "Example:\n"
     "  spotctl unfollow artists 2YZyLoL8N0Wb9xBt1NhZWg\n",
     "artists users playlists", &spotctl_follow_remove, "me_following_remove library_remove"},
    {"following", "list", spotctl_cmd_following_list, SPOTCTL_NEEDS_USER, OPTS(limit_opts),
     "following list [--limit N]", "list the artists you follow",
     "Lists the artists you follow (Spotify lists no other kind), paging\n"
     "through all of them with cursors.\n",
     "Examples:\n"
     "  spotctl following list\n"
     "  spotctl --json following list | jq -r .name\n",
     NULL, NULL, "me_following_list"},
    {"following", "contains", spotctl_cmd_follow, SPOTCTL_NEEDS_USER, OPTS(ids_file_opts),
     "following contains artists|users|playlists ID... [--ids-file FILE]",
     "check whether you follow them",
     "Tells, for each artist, user or playlist, whether you follow it. With\n"
     "--json: one {\"id\":ID,\"following\":BOOL} per line, in input order.\n",
     "Example:\n"
     "  spotctl following contains artists 2YZyLoL8N0Wb9xBt1NhZWg\n",
     "artists users playlists", &spotctl_follow_contains, "me_following_contains library_contains"},
    {"playlists", "list", spotctl_cmd_playlists_list, SPOTCTL_NEEDS_USER, OPTS(limit_opts),
     "playlists list [--limit N]", "list your playlists",
     "Lists your playlists (the ones you own and follow).\n",
     "Example:\n"
     "  spotctl playlists list\n",
     NULL, NULL, "me_playlists_list"},
    {"playlists", "get", spotctl_cmd_playlists_get, SPOTCTL_NEEDS_ANY, OPTS(limit_opts),
     "playlists get PLAYLIST [--limit N]", "show a playlist and its items",
     "Shows a playlist and all its items, page by page. With --json: the\n"
     "playlist exactly as Spotify sent it, one line, except that its page of\n"
     "items holds every item (up to --limit), not only the first 100.\n" PLAYLIST_ABOUT,
     "Example:\n"
     "  spotctl playlists get 37i9dQZF1DXcBWIGoYBM5M\n",
     NULL, NULL, "playlists_get playlists_list_items"},
    {"playlists", "create", spotctl_cmd_playlists_create, SPOTCTL_NEEDS_USER, OPTS(create_opts),
     "playlists create NAME [--public] [--description TEXT]", "create a playlist",
     "Creates a playlist (private unless --public) and prints its ID.\n",
     "Example:\n"
     "  id=$(spotctl --json playlists create 'Road trip' | jq -r .id)\n",
     NULL, NULL, "me_playlists_create"},
    {"playlists", "add", spotctl_cmd_playlists_add, SPOTCTL_NEEDS_USER, OPTS(ids_file_opts),
     "playlists add PLAYLIST URI... [--ids-file FILE]", "append items to a playlist",
     "Appends tracks or episodes to a playlist (any number; sent 100 per\n"
     "request): URIs or links, or one per line from --ids-file FILE or - (stdin).\n" PLAYLIST_ABOUT,
     "Examples:\n"
     "  spotctl playlists add 3cEYpjA9oz9GiPac4AsH4n spotify:track:6HZILIRieu8S0iqY8kIKhj\n"
     "  spotctl --json search x --all | jq -r .uri | spotctl playlists add 'Road trip' -\n",
     NULL, NULL, "me_playlists_list playlists_add_items"},
    {"playlists", "remove", spotctl_cmd_playlists_remove, SPOTCTL_NEEDS_USER, OPTS(ids_file_opts),
     "playlists remove PLAYLIST URI... [--ids-file FILE]", "remove items from a playlist",
     "Removes every occurrence of the given items from a playlist (URIs as\n"
     "`playlists add` takes them).\n" PLAYLIST_ABOUT,
     "Example:\n"
     "  spotctl playlists remove 3cEYpjA9oz9GiPac4AsH4n spotify:track:6HZILIRieu8S0iqY8kIKhj\n",
     NULL, NULL, "me_playlists_list playlists_remove_items"},
    {"playlists", "rename", spotctl_cmd_playlists_change, SPOTCTL_NEEDS_USER, NO_OPTS,
     "playlists rename PLAYLIST NAME", "rename a playlist",
     "Renames a playlist of yours (at most 100 characters).\n" PLAYLIST_ABOUT,
     "Example:\n  spotctl playlists rename 'Road trip' 'Road trip 2025'\n", NULL,
     &spotctl_playlist_rename, "me_playlists_list playlists_change_details"},
    {"playlists", "describe", spotctl_cmd_playlists_change, SPOTCTL_NEEDS_USER, NO_OPTS,
     "playlists describe PLAYLIST TEXT", "set a playlist's description",
     "Sets the description of a playlist of yours (at most 300 characters).\n" PLAYLIST_ABOUT,
     "Example:\n  spotctl playlists describe 'Road trip' 'Songs for the A7'\n", NULL,
     &spotctl_playlist_describe, "me_playlists_list playlists_change_details"},
    {"playlists", "public", spotctl_cmd_playlists_change, SPOTCTL_NEEDS_USER, NO_OPTS,
     "playlists public PLAYLIST", "make a playlist public",
     "Makes a playlist of yours public (on your profile, in search).\n" PLAYLIST_ABOUT,
     "Example:\n  spotctl playlists public 'Road trip'\n", NULL, &spotctl_playlist_public,
     "me_playlists_list playlists_change_details"},
    {"playlists", "private", spotctl_cmd_playlists_change, SPOTCTL_NEEDS_USER, NO_OPTS,
     "playlists private PLAYLIST", "make a playlist private",
     "Makes a playlist of yours private.\n" PLAYLIST_ABOUT,
     "Example:\n  spotctl playlists private 'Road trip'\n", NULL, &spotctl_playlist_private,
     "me_playlists_list playlists_change_details"},
    {"playlists", "delete", spotctl_cmd_playlists_delete, SPOTCTL_NEEDS_USER, NO_OPTS,
     "playlists delete PLAYLIST", "delete (unfollow) a playlist",
     "Removes a playlist from your playlists. Spotify has no deletion: this\n"
     "unfollows it, as its owner. It disappears from your library and profile,\n"
     "but it still exists: whoever follows it keeps it, its link still works,\n"
     "and `spotctl follow playlists ID` brings it back, items and all.\n" PLAYLIST_ABOUT,
     "Example:\n  spotctl playlists delete 3cEYpjA9oz9GiPac4AsH4n\n", NULL, NULL,
     "me_playlists_list library_remove"},
    {"playlists", "reorder", spotctl_cmd_playlists_reorder, SPOTCTL_NEEDS_USER, OPTS(reorder_opts),
     "playlists reorder PLAYLIST FROM TO [--count N]", "move items within a playlist",
     "Moves the item at position FROM (and the --count - 1 after it) to just\n"
     "before the item at position TO. Positions count from 1, as `playlists\n"
     "get` numbers items, and are taken before the move: TO one past the last\n"
     "item moves them to the end.\n" PLAYLIST_ABOUT,
     "Examples:\n"
     "  spotctl playlists reorder 'Road trip' 5 1      # the 5th item first\n"
     "  spotctl playlists reorder 'Road trip' 1 9 --count 2\n",
     NULL, NULL, "me_playlists_list playlists_update_items"},
    {"playlists", "cover", spotctl_cmd_playlists_cover, SPOTCTL_NEEDS_USER, NO_OPTS,
     "playlists cover get|set PLAYLIST [FILE.jpg]", "show or upload a playlist's cover",
     "`get` lists the cover images (URL, width, height); `set` uploads a JPEG\n"
     "as the cover. Spotify takes at most 256 KB of base64 (about 192 KB of\n"
     "JPEG), checked before anything is sent; it needs the ugc-image-upload\n"
     "scope.\n" PLAYLIST_ABOUT,
     "Examples:\n"
     "  spotctl playlists cover get 'Road trip'\n"
     "  spotctl playlists cover set 'Road trip' cover.jpg\n",
     "get set", NULL, "me_playlists_list playlists_get_cover playlists_upload_cover"},
    {"library", "list", spotctl_cmd_library_list, SPOTCTL_NEEDS_USER, OPTS(library_list_opts),
     "library list [--type TYPES] [--limit N]", "list your saved items",
     "Lists your saved items, newest first.\n",
     "With several types, --json lines are {\"type\":TYPE,\"item\":ITEM}.\n"
     "\n"
     "Examples:\n"
     "  spotctl library list\n"
     "  spotctl --json library list --type album\n",
     NULL, NULL, "me_tracks_list"},
    {"library", "save", spotctl_cmd_library_save, SPOTCTL_NEEDS_USER, NO_OPTS,
     "library save URI...", "save items to your library",
     "Saves items to your library: tracks, albums, episodes, shows and\n"
     "audiobooks; a user or playlist URI follows that user or playlist. URIs\n"
     "or open.spotify.com links (40 per request). Spotify's library takes no\n"
     "artists: follow one with `spotctl follow artists ID`.\n",
     "Example:\n"
     "  spotctl library save spotify:album:4EcfbzCtbJDk2wMwhT4D1h\n",
     NULL, NULL, "library_save"},
    {"library", "remove", spotctl_cmd_library_remove, SPOTCTL_NEEDS_USER, NO_OPTS,
     "library remove URI...", "remove items from your library",
     "Removes items from your library (or unfollows a user or playlist).\n",
     "Example:\n"
     "  spotctl library remove spotify:album:4EcfbzCtbJDk2wMwhT4D1h\n",
     NULL, NULL, "library_remove"},
    {"library", "contains", spotctl_cmd_library_contains, SPOTCTL_NEEDS_USER, NO_OPTS,
     "library contains URI...", "check whether items are saved",
     "Tells, for each item, whether it is in your library. With --json: one\n"
     "{\"uri\":URI,\"saved\":BOOL} per line, in input order.\n",
     "Example:\n"
     "  spotctl library contains spotify:track:6HZILIRieu8S0iqY8kIKhj\n",
     NULL, NULL, "library_contains"},
    {"player", "status", spotctl_cmd_player_status, SPOTCTL_NEEDS_USER, NO_OPTS, "player status",
     "show what is playing",
     "Shows what is playing, where and how far in. With --json: the playback\n"
     "state as Spotify sent it, or null when no device is active.\n",
     "Example:\n"
     "  spotctl player status\n",
     NULL, NULL, "player_get"},
    {"player", "devices", spotctl_cmd_player_devices, SPOTCTL_NEEDS_USER, NO_OPTS, "player devices",
     "list your devices", "Lists your devices (IDs for --device).\n",
     "Example:\n"
     "  spotctl player devices\n",
     NULL, NULL, "player_list_devices"},
    {"player", "play", spotctl_cmd_player_play, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player play [URI...] [--device DEVICE]", "start or resume playback",
     "Starts or resumes playback. Track URIs are played in order; one album,\n"
     "playlist or artist URI is played as a context. No URI resumes.\n",
     "Examples:\n"
     "  spotctl player play --device 1f0c... spotify:album:4EcfbzCtbJDk2wMwhT4D1h\n"
     "  spotctl player play\n",
     NULL, NULL, "player_play"},
    {"player", "pause", spotctl_cmd_player, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player pause [--device DEVICE]", "pause playback", "Pauses playback.\n",
     "Example:\n  spotctl player pause\n", NULL, &spotctl_player_pause, "player_pause"},
    {"player", "next", spotctl_cmd_player, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player next [--device DEVICE]", "skip to the next track", "Skips to the next track.\n",
     "Example:\n  spotctl player next\n", NULL, &spotctl_player_next, "player_next"},
    {"player", "previous", spotctl_cmd_player, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player previous [--device DEVICE]", "go back to the previous track",
     "Goes back to the previous track (or the start of this one).\n",
     "Example:\n  spotctl player previous\n", NULL, &spotctl_player_previous, "player_previous"},
    {"player", "volume", spotctl_cmd_player, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player volume PERCENT [--device DEVICE]", "set the volume", "Sets the volume, 0-100.\n",
     "Example:\n  spotctl player volume 40\n", NULL, &spotctl_player_volume, "player_set_volume"},
    {"player", "seek", spotctl_cmd_player, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player seek POSITION [--device DEVICE]", "jump to a position in the track",
     "Jumps to POSITION in the current track: m:ss, h:mm:ss, or milliseconds\n"
     "(1:23 and 83000 are the same).\n",
     "Example:\n  spotctl player seek 1:23\n", NULL, &spotctl_player_seek, "player_seek"},
    {"player", "repeat", spotctl_cmd_player, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player repeat off|track|context [--device DEVICE]", "set the repeat mode",
     "Sets the repeat mode: off, the track, or the context (album, playlist).\n",
     "Example:\n  spotctl player repeat context\n", "off track context", &spotctl_player_repeat,
     "player_set_repeat"},
    {"player", "shuffle", spotctl_cmd_player, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player shuffle on|off [--device DEVICE]", "turn shuffle on or off",
     "Turns shuffle on or off.\n", "Example:\n  spotctl player shuffle on\n", "on off",
     &spotctl_player_shuffle, "player_set_shuffle"},
    {"player", "transfer", spotctl_cmd_player_transfer, SPOTCTL_NEEDS_USER, OPTS(transfer_opts),
     "player transfer DEVICE [--play]", "move playback to another device",
     "Moves playback to DEVICE: its ID, or the start of its name (any case)\n"
     "when only one device's name starts so.\n",
     "Examples:\n"
     "  spotctl player transfer phone --play\n"
     "  spotctl player transfer c9e6d58e1e96618c277d7782000dd0831a967a2d\n",
     NULL, NULL, "player_list_devices player_transfer"},
    {"player", "queue", spotctl_cmd_player_queue, SPOTCTL_NEEDS_USER, OPTS(device_opts),
     "player queue [add URI...] [--device DEVICE]", "show the queue, or add to it",
     "Shows what is playing and what comes next, or with `add` appends\n"
     "tracks or episodes to the queue, in order (one request each).\n",
     "With --json: the queue as Spotify sent it ({currently_playing, queue}),\n"
     "or {\"queued\":N}.\n"
     "\n"
     "Examples:\n"
     "  spotctl player queue\n"
     "  spotctl player queue add spotify:track:6HZILIRieu8S0iqY8kIKhj\n",
     "add", NULL, "player_queue_get player_queue_add"},
    {"player", "recent", spotctl_cmd_recent, SPOTCTL_NEEDS_USER, OPTS(recent_opts),
     "player recent [--before TIME|--after TIME] [--limit N]", "tracks you played recently",
     "The tracks you played recently, newest first: the same as `spotctl me\n"
     "recent`.\n",
     "Example:\n  spotctl player recent --limit 5\n", NULL, NULL, "player_list_recently_played"},
    {NULL, "export", spotctl_cmd_export, SPOTCTL_NEEDS_USER, OPTS(export_opts),
     "export library|playlists|playlist PLAYLIST [--format json|ndjson|csv] [--out FILE] "
     "[--private]",
     "export your library or playlists",
     "Exports your library, all your playlists with their items, or one\n"
     "playlist, paging through everything.\n",
     "JSON items are exactly as Spotify sent them ({added_at, track} for saved\n"
     "tracks, {added_at, added_by, item} for playlist items); for `playlists`\n"
     "each entry is {\"playlist\":PLAYLIST,\"items\":[...]}. CSV has one row per\n"
     "item: type, added_at, name, artists, album, duration, uri (and the\n"
     "playlist for `playlists`). Progress is shown on a terminal.\n"
     "\n"
     "Examples:\n"
     "  spotctl export library --out library.csv\n"
     "  spotctl export playlist 3cEYpjA9oz9GiPac4AsH4n --format ndjson > items.ndjson\n",
     "library playlists playlist", NULL,
     "me_tracks_list me_albums_list me_playlists_list playlists_list_items"},
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
    /* a group's verb first ("me top"), then a top-level command, which may
     * be followed by an argument ("search QUERY", "me") */
    for (size_t i = 0; verb != NULL && i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->group != NULL && strcmp(c->group, group) == 0 && strcmp(c->name, verb) == 0)
            return c;
    }
    for (size_t i = 0; i < spotctl_command_count; i++)
        if (spotctl_commands[i].group == NULL && strcmp(spotctl_commands[i].name, group) == 0)
            return &spotctl_commands[i];
    return NULL;
}

const char *spotctl_suggest_command(const char *group, const char *word)
{
    const char *names[128];
    size_t n = 0;
    for (size_t i = 0; i < spotctl_command_count && n < 127; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (group == NULL)
            names[n++] = c->group != NULL ? c->group : c->name;
        else if (c->group != NULL && strcmp(c->group, group) == 0)
            names[n++] = c->name;
    }
    if (group == NULL)
        names[n++] = "help";
    return spotctl_suggest(word, names, n);
}

const char *spotctl_suggest_first_arg(char *out, size_t size, const spotctl_command *cmd,
                                      const char *word)
{
    char words[128];
    const char *list[16];
    size_t n = 0;
    if (cmd->first_arg == NULL || snprintf(words, sizeof words, "%s", cmd->first_arg) < 0)
        return NULL;
    for (char *save = NULL, *w = strtok_r(words, " ", &save); w != NULL && n < 16;
         w = strtok_r(NULL, " ", &save)) {
        if (strcasecmp(w, word) == 0)
            return NULL; /* one of them (the command decides about case) */
        list[n++] = w;
    }
    const char *like = spotctl_suggest(word, list, n);
    if (like == NULL)
        return NULL;
    snprintf(out, size, "%s", like);
    return out;
}

const spotctl_opt *spotctl_global_opt(const char *long_name)
{
    for (size_t i = 0; i < spotctl_global_opt_count; i++)
        if (strcmp(spotctl_global_opts[i].name, long_name) == 0)
            return &spotctl_global_opts[i];
    return NULL;
}

/* "-v, --verbose" / "--cache PATH" into out; its length. */
static size_t option_label(char *out, size_t size, const spotctl_opt *o)
{
    char short_form[8] = "";
    if (o->short_name != 0)
        snprintf(short_form, sizeof short_form, "-%c, ", o->short_name);
    int n = snprintf(out, size, "%s--%s%s%s", short_form, o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
    return n < 0 ? 0 : (size_t)n;
}

void spotctl_print_options(FILE *out, const spotctl_opt *opts, size_t n)
{
    char label[96];
    size_t width = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = option_label(label, sizeof label, &opts[i]);
        if (len > width)
            width = len;
    }
    for (size_t i = 0; i < n; i++) {
        option_label(label, sizeof label, &opts[i]);
        fprintf(out, "  %-*s  ", (int)width, label);
        for (const char *h = opts[i].help; *h != '\0'; h++) {
            fputc(*h, out);
            if (*h == '\n')
                fprintf(out, "  %-*s  ", (int)width, "");
        }
        fputc('\n', out);
    }
}

static void print_global_help(FILE *out)
{
    fputs("Global options (before or after the command):\n", out);
    spotctl_print_options(out, spotctl_global_opts, spotctl_global_opt_count);
}

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
    print_global_help(out);
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
    fprintf(out, "Usage: spotctl %s\n\n%s", cmd->synopsis, cmd->about);
    if (cmd->opt_count > 0) {
        fputs("\nOptions:\n", out);
        spotctl_print_options(out, cmd->opts, cmd->opt_count);
    }
    fprintf(out, "\n%s\n", cmd->more);
    print_global_help(out);
}
