/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cli.c - getopt_long parsing and the manual page printed by --help.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <spotify/version.h>

#include "core/alloc.h"

enum long_only {
    OPT_HOST = 256,
    OPT_PORT,
    OPT_READY_FILE,
    OPT_LATENCY,
    OPT_LIFETIME,
    OPT_CONFIG,
    OPT_CLIENT,
    OPT_AUTO_APPROVE,
    OPT_STRICT,
    OPT_ROTATE,
    OPT_NO_DEMO,
    OPT_RATE_LIMIT,
    OPT_RATE_WINDOW,
    OPT_RECORD,
    OPT_UPSTREAM,
    OPT_REPLAY
};

static const struct option long_options[] = {
    {"host", required_argument, NULL, OPT_HOST},
    {"port", required_argument, NULL, OPT_PORT},
    {"ready-file", required_argument, NULL, OPT_READY_FILE},
    {"latency-ms", required_argument, NULL, OPT_LATENCY},
    {"token-lifetime", required_argument, NULL, OPT_LIFETIME},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"client", required_argument, NULL, OPT_CLIENT},
    {"auto-approve", no_argument, NULL, OPT_AUTO_APPROVE},
    {"strict-redirects", no_argument, NULL, OPT_STRICT},
    {"rotate-refresh-tokens", no_argument, NULL, OPT_ROTATE},
    {"no-demo-clients", no_argument, NULL, OPT_NO_DEMO},
    {"rate-limit", required_argument, NULL, OPT_RATE_LIMIT},
    {"rate-limit-window", required_argument, NULL, OPT_RATE_WINDOW},
    {"record", required_argument, NULL, OPT_RECORD},
    {"upstream", required_argument, NULL, OPT_UPSTREAM},
    {"replay", required_argument, NULL, OPT_REPLAY},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0}};

static const char usage_text[] =
    "Usage: spotify-emulator [--host ADDR] [--port N] [--ready-file PATH]\n"
    "                        [--latency-ms N] [--token-lifetime SECONDS] [--config FILE]\n"
    "                        [--client SPEC]... [--auto-approve] [--strict-redirects]\n"
    "                        [--rotate-refresh-tokens] [--no-demo-clients]\n"
    "                        [--rate-limit N [--rate-limit-window SECONDS]]\n"
    "                        [--record DIR --upstream URL | --replay DIR]\n"
    "Try 'spotify-emulator --help' for more information.\n";

/* The manual, one section per string (C caps a literal's length). */
static const char *const help_text[] = {
    "NAME\n"
    "    spotify-emulator - local stand-in for Spotify's accounts service and Web API\n"
    "\n",
    "SYNOPSIS\n"
    "    spotify-emulator [--host ADDR] [--port N] [--ready-file PATH]\n"
    "                     [--latency-ms N] [--token-lifetime SECONDS] [--config FILE]\n"
    "                     [--client SPEC]... [--auto-approve] [--strict-redirects]\n"
    "                     [--rotate-refresh-tokens] [--no-demo-clients]\n"
    "                     [--rate-limit N [--rate-limit-window SECONDS]]\n"
    "                     [--record DIR --upstream URL | --replay DIR]\n"
    "    spotify-emulator --help | --version\n"
    "\n",
    "DESCRIPTION\n"
    "    Serves, on one address, what accounts.spotify.com and api.spotify.com\n"
    "    serve, strictly enough that code which works against it works against\n"
    "    Spotify: the OAuth 2.0 flows (/authorize with a consent page, /api/token\n"
    "    with the client_credentials, authorization_code - with or without PKCE -\n"
    "    and refresh_token grants), and the Web API under /v1 with bearer-token\n"
    "    checks, scopes and Spotify's error bodies, over a built-in catalog and\n"
    "    per-user state. Tests can inject latency and faults and read counters\n"
    "    through the control API below. Everything lives in memory; nothing is\n"
    "    read or written at run time except the files named by options.\n"
    "\n",
    "    Once it accepts connections it prints one line to standard output,\n"
    "        spotify-emulator listening on http://HOST:PORT\n"
    "    Point a client at it with\n"
    "        SPOTIFY_SDK_ACCOUNTS_BASE_URL=http://HOST:PORT\n"
    "        SPOTIFY_SDK_API_BASE_URL=http://HOST:PORT/v1\n"
    "\n",
    "OPTIONS\n"
    "    --host ADDR\n"
    "        Address to listen on: an IPv4 or IPv6 literal (127.0.0.1, ::1) or\n"
    "        localhost (127.0.0.1). Only that address is bound. Default 127.0.0.1.\n"
    "    --port N\n"
    "        TCP port, 0-65535. 0 picks a free port (read it from the ready line or\n"
    "        --ready-file). Default 8765.\n"
    "    --ready-file PATH\n"
    "        Once listening, write the base URL (http://HOST:PORT and a newline) to\n"
    "        PATH, atomically (a temporary file renamed into place), so a reader\n"
    "        never sees a partial URL. Removed again at a clean shutdown.\n"
    "    --latency-ms N\n"
    "        Delay every Web API and accounts response by N ms (0-60000; default\n"
    "        0). Delayed connections are parked, not slept on: latency costs no\n"
    "        thread.\n"
    "    --token-lifetime SECONDS\n"
    "        expires_in of new access tokens (1-31536000; default 3600).\n"
    "    --config FILE\n"
    "        Read clients and switches from a JSON file (see CONFIG FILE). Command\n"
    "        line switches override the file's.\n"
    "    --client ID[:SECRET]=URI[,URI...]\n"
    "        Register a client with the given redirect URIs (exact matches). Without\n"
    "        a secret the client is public and must use PKCE. Repeatable.\n"
    "    --auto-approve\n"
    "        /authorize redirects back with a code at once instead of showing the\n"
    "        consent page, as if the user had clicked Approve.\n"
    "    --strict-redirects\n"
    "        Apply Spotify's rules for new apps: reject redirect URIs on the host\n"
    "        localhost (use 127.0.0.1 or [::1]) and plain http:// to any host that\n"
    "        is not a loopback address.\n"
    "    --rotate-refresh-tokens\n"
    "        The refresh_token grant returns a new refresh token and revokes the\n"
    "        old one. By default the response has no refresh_token and the old one\n"
    "        stays valid, as Spotify usually does.\n"
    "    --no-demo-clients\n"
    "        Do not register the built-in demo clients.\n"
    "    --rate-limit N\n"
    "        Spotify's rate limit, modelled: at most N Web API requests per\n"
    "        client id in a rolling 30-second window (1-1000000; default: no\n"
    "        limit). A request that finds the window full gets 429 \"API rate\n"
    "        limit exceeded\" with Retry-After: the seconds until the window\n"
    "        has room. Refused requests do not count.\n"
    "    --rate-limit-window SECONDS\n"
    "        The window of --rate-limit (1-3600; default 30).\n"
    "    --record DIR --upstream URL\n"
    "        Forward every Web API request (/v1/...) to the Web API at URL (real\n"
    "        Spotify: https://api.spotify.com, or another emulator), answer with\n"
    "        its response and store that response (status, Content-Type,\n"
    "        Retry-After, Location, body) in DIR, one JSON file per method, path\n"
    "        and sorted query. Request headers are never stored: no token reaches\n"
    "        DIR. Links in answers point back at this emulator.\n"
    "    --replay DIR\n"
    "        Serve the responses stored in DIR (after the usual token check);\n"
    "        requests with nothing stored get the generated catalog's answer.\n"
    "    -h, --help\n"
    "        Print this manual and exit.\n"
    "    -V, --version\n"
    "        Print the version and exit.\n"
    "\n",
    "ENDPOINTS\n"
    "    GET  /authorize            response_type=code, client_id, redirect_uri, and\n"
    "                               optional scope, state, show_dialog,\n"
    "                               code_challenge_method=S256, code_challenge\n"
    "    POST /authorize/decision   the consent page's Approve/Deny form\n"
    "    POST /api/token            application/x-www-form-urlencoded grants\n"
    "    GET  /v1/me                the token's user\n"
    "    GET  /v1/albums/{id}, /v1/artists/{id}, /v1/tracks/{id}\n"
    "    GET  /v1/albums/{id}/tracks  the album's tracks, paged (limit 1-50, offset)\n"
    "\n",
    "CONTROL API\n"
    "    Plain HTTP+JSON under /__emulator/, without authentication. Control\n"
    "    requests are never delayed, faulted, counted or logged.\n"
    "    GET    /__emulator/health         {\"status\":\"ok\"}\n"
    "    GET    /__emulator/counters       requests per route and status, token\n"
    "                                      requests per grant type, total, held\n"
    "                                      (requests waiting out their latency),\n"
    "                                      rate_limit (each client's window)\n"
    "    GET    /__emulator/log            the last 512 requests (no query strings)\n"
    "    GET    /__emulator/config         the current switches\n"
    "    POST   /__emulator/config         change switches: {\"token_lifetime\":N,\n"
    "                                      \"latency_ms\":N, \"rotate_refresh_tokens\":B,\n"
    "                                      \"auto_approve\":B, \"strict_redirects\":B,\n"
    "                                      \"rate_limit\":N, \"rate_limit_window\":N}\n"
    "    POST   /__emulator/faults         {\"route\":\"/v1/albums/{id}\"|\"*\",\n"
    "                                      \"status\":503, \"count\":2, \"retry_after\":1}\n"
    "                                      or {\"route\":..., \"drop\":true, \"count\":1};\n"
    "                                      optional \"method\"; 429 gets Retry-After\n"
    "    GET    /__emulator/faults         faults still queued\n"
    "    DELETE /__emulator/faults         forget queued faults\n"
    "    POST   /__emulator/reset          back to the start: state, tokens, codes,\n"
    "                                      faults, counters, log, switches\n"
    "    POST   /__emulator/tokens         issue a token directly: {\"client_id\":\n"
    "                                      \"demo-client\", \"user\":true, \"scope\":\"...\",\n"
    "                                      \"expires_in\":N}\n"
    "    POST   /__emulator/expire-tokens  every access token issued so far expires\n"
    "    POST   /__emulator/expire-codes   every authorization code issued so far\n"
    "                                      expires\n"
    "    GET    /__emulator/catalog/TYPE   ids and names of albums, artists or tracks\n"
    "\n",
    "BUILT-IN CLIENTS\n"
    "    demo-client   secret demo-secret; confidential (Basic auth or PKCE)\n"
    "                  user demo-user (\"Demo User\")\n"
    "    demo-public   no secret; public, PKCE only\n"
    "                  user demo-public-user (\"Demo Public User\")\n"
    "    Both accept any redirect URI on http://127.0.0.1[:PORT]/...,\n"
    "    http://[::1][:PORT]/... and (unless --strict-redirects)\n"
    "    http://localhost[:PORT]/... Each user has a library and three playlists.\n"
    "\n",
    "CONFIG FILE\n"
    "    {\n"
    "      \"builtin_clients\": true,\n"
    "      \"token_lifetime\": 3600, \"latency_ms\": 0, \"auto_approve\": false,\n"
    "      \"strict_redirects\": false, \"rotate_refresh_tokens\": false,\n"
    "      \"clients\": [\n"
    "        {\"id\": \"my-app\", \"secret\": \"s3cret\", \"name\": \"My App\",\n"
    "         \"redirect_uris\": [\"http://127.0.0.1:8888/callback\"],\n"
    "         \"user\": {\"id\": \"alice\", \"display_name\": \"Alice\",\n"
    "                  \"email\": \"alice@example.com\", \"country\": \"SE\",\n"
    "                  \"product\": \"premium\", \"followers\": 5}}\n"
    "      ]\n"
    "    }\n"
    "    Every key is optional except a client's id and redirect_uris; unknown\n"
    "    keys are errors.\n"
    "\n",
    "EXAMPLES\n"
    "    Run on a free port and find it:\n"
    "        spotify-emulator --port 0 --ready-file /tmp/emu.url &\n"
    "        base=$(cat /tmp/emu.url)\n"
    "    Client credentials, then a Web API call:\n"
    "        curl -s -u demo-client:demo-secret -d grant_type=client_credentials \\\n"
    "             $base/api/token\n"
    "        curl -s -H \"Authorization: Bearer $TOKEN\" \\\n"
    "             $base/v1/albums/4aawyAB9vmqN3uQ7FjRGTy\n"
    "    Fail the next two token requests with 503:\n"
    "        curl -s -d '{\"route\":\"/api/token\",\"status\":503,\"count\":2}' \\\n"
    "             $base/__emulator/faults\n"
    "\n",
    "SIGNALS\n"
    "    SIGTERM and SIGINT stop the server cleanly: open requests are answered,\n"
    "    connections closed, the ready file removed; the exit status is 0.\n"
    "\n",
    "EXIT STATUS\n"
    "    0  stopped by SIGTERM or SIGINT, or --help / --version\n"
    "    1  could not start (address in use, unreadable or invalid config file)\n"
    "    2  usage error (unknown option, bad value)\n"
    "\n",
    "SEE ALSO\n"
    "    docs/emulator.md in the spotify-sdk-c sources.\n",
    NULL};

/* Parses a decimal integer in [min, max]; false on anything else. */
static bool parse_int(const char *text, long min, long max, int *out)
{
    if (text == NULL || text[0] == '\0')
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

static emu_cli_result usage_error(FILE *err, const char *message, const char *value)
{
    fprintf(err, "spotify-emulator: %s%s%s\n%s", message, value ? ": " : "", value ? value : "",
            usage_text);
    return EMU_CLI_USAGE;
}

/* Handles one option; returns EMU_CLI_RUN to continue. */
static emu_cli_result take_option(int opt, emu_cli *cli, FILE *out, FILE *err)
{
    switch (opt) {
    case OPT_HOST:
        cli->host = optarg;
        return EMU_CLI_RUN;
    case OPT_PORT:
        return parse_int(optarg, 0, 65535, &cli->port) ? EMU_CLI_RUN
                                                       : usage_error(err, "bad --port", optarg);
    case OPT_READY_FILE:
        cli->ready_file = optarg;
        return EMU_CLI_RUN;
    case OPT_LATENCY:
        cli->has_latency = true;
        return parse_int(optarg, 0, EMU_LATENCY_MAX_MS, &cli->latency_ms)
                   ? EMU_CLI_RUN
                   : usage_error(err, "bad --latency-ms (0-60000)", optarg);
    case OPT_LIFETIME:
        cli->has_lifetime = true;
        return parse_int(optarg, EMU_TOKEN_LIFETIME_MIN, EMU_TOKEN_LIFETIME_MAX,
                         &cli->token_lifetime_s)
                   ? EMU_CLI_RUN
                   : usage_error(err, "bad --token-lifetime (1-31536000)", optarg);
    case OPT_CONFIG:
        cli->config_path = optarg;
        return EMU_CLI_RUN;
    case OPT_CLIENT:
        cli->client_specs[cli->client_spec_count++] = optarg;
        return EMU_CLI_RUN;
    case OPT_AUTO_APPROVE:
        cli->auto_approve = true;
        return EMU_CLI_RUN;
    case OPT_STRICT:
        cli->strict_redirects = true;
        return EMU_CLI_RUN;
    case OPT_ROTATE:
        cli->rotate_refresh_tokens = true;
        return EMU_CLI_RUN;
    case OPT_NO_DEMO:
        cli->demo_clients = false;
        return EMU_CLI_RUN;
    case OPT_RATE_LIMIT:
        cli->has_rate_limit = true;
        return parse_int(optarg, 1, EMU_RATE_LIMIT_MAX, &cli->rate_limit)
                   ? EMU_CLI_RUN
                   : usage_error(err, "bad --rate-limit (1-1000000)", optarg);
    case OPT_RECORD:
        cli->record_dir = optarg;
        return EMU_CLI_RUN;
    case OPT_UPSTREAM:
        cli->upstream = optarg;
        return EMU_CLI_RUN;
    case OPT_REPLAY:
        cli->replay_dir = optarg;
        return EMU_CLI_RUN;
    case OPT_RATE_WINDOW:
        cli->has_rate_window = true;
        return parse_int(optarg, 1, EMU_RATE_WINDOW_MAX_S, &cli->rate_window_s)
                   ? EMU_CLI_RUN
                   : usage_error(err, "bad --rate-limit-window (1-3600)", optarg);
    case 'h':
        for (size_t i = 0; help_text[i] != NULL; i++)
            fputs(help_text[i], out);
        return EMU_CLI_EXIT_OK;
    case 'V':
        fprintf(out, "spotify-emulator %s\n", SPOTIFY_VERSION_STRING);
        return EMU_CLI_EXIT_OK;
    default:
        fputs(usage_text, err);
        return EMU_CLI_USAGE;
    }
}

emu_cli_result emu_cli_parse(int argc, char **argv, emu_cli *cli, FILE *out, FILE *err)
{
    memset(cli, 0, sizeof *cli);
    cli->host = EMU_DEFAULT_HOST;
    cli->port = EMU_DEFAULT_PORT;
    cli->demo_clients = true;
    cli->client_specs = spotify__calloc((size_t)(argc > 0 ? argc : 1), sizeof *cli->client_specs);
    if (cli->client_specs == NULL) {
        fputs("spotify-emulator: out of memory\n", err);
        return EMU_CLI_USAGE;
    }
    opterr = 1;
    optind = 1;
    int opt;
    while ((opt = getopt_long(argc, argv, "hV", long_options, NULL)) != -1) {
        emu_cli_result r = take_option(opt, cli, out, err);
        if (r != EMU_CLI_RUN)
            return r;
    }
    if (optind < argc)
        return usage_error(err, "unexpected argument", argv[optind]);
    if ((cli->record_dir == NULL) != (cli->upstream == NULL))
        return usage_error(err, "--record and --upstream go together", NULL);
    if (cli->record_dir != NULL && cli->replay_dir != NULL)
        return usage_error(err, "--record and --replay exclude each other", NULL);
    return EMU_CLI_RUN;
}

void emu_cli_apply(const emu_cli *cli, emu_settings_values *values)
{
    if (cli->has_latency)
        values->latency_ms = cli->latency_ms;
    if (cli->has_lifetime)
        values->token_lifetime_s = cli->token_lifetime_s;
    if (cli->has_rate_limit)
        values->rate_limit = cli->rate_limit;
    if (cli->has_rate_window)
        values->rate_window_s = cli->rate_window_s;
    values->auto_approve = values->auto_approve || cli->auto_approve;
    values->strict_redirects = values->strict_redirects || cli->strict_redirects;
    values->rotate_refresh_tokens = values->rotate_refresh_tokens || cli->rotate_refresh_tokens;
}

void emu_cli_free(emu_cli *cli)
{
    spotify__free((void *)cli->client_specs);
    cli->client_specs = NULL;
}
