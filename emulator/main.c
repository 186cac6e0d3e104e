/* SPDX-License-Identifier: Apache-2.0 */
/*
 * main.c - spotify-emulator's entry point: command line, start-up (config,
 * socket, catalog, state, server), the ready line and ready file, waiting
 * for SIGTERM/SIGINT, and a clean shutdown that frees everything (so leak
 * checkers can vouch for the process).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "app.h"
#include "cli.h"
#include "core/alloc.h"
#include "listen.h"
#include "routes.h"
#include "server.h"

#define CONFIG_MAX_BYTES (1024 * 1024)

/* Everything start-up creates, torn down in reverse by teardown(). */
typedef struct runtime {
    emu_app app;
    emu_registry *registry;
    emu_catalog *catalog;
    emu_search_index *search;
    const char **route_names;
    emu_listener listener;
    emu_server *server;
} runtime;

static void fail(const char *message)
{
    fprintf(stderr, "spotify-emulator: %s\n", message);
}

/* Reads a whole (small) file; NULL with a message on failure. */
static char *read_file(const char *path, size_t *len, char *err, size_t err_size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, err_size, "%s: %s", path, strerror(errno));
        return NULL;
    }
    char *data = spotify__malloc(CONFIG_MAX_BYTES + 1);
    size_t n = data == NULL ? 0 : fread(data, 1, CONFIG_MAX_BYTES + 1, f);
    bool too_big = n > CONFIG_MAX_BYTES;
    bool failed = data == NULL || ferror(f);
    fclose(f);
    if (too_big || failed) {
        snprintf(err, err_size, "%s: %s", path, too_big ? "larger than 1 MiB" : "cannot read");
        spotify__free(data);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}

/* Clients and switches: defaults < config file < command line. */
static bool load_registry(runtime *rt, const emu_cli *cli, emu_settings_values *values)
{
    char err[512] = "";
    bool builtin = cli->demo_clients;
    rt->registry = emu_registry_new();
    if (rt->registry == NULL) {
        fail("out of memory");
        return false;
    }
    if (cli->config_path != NULL) {
        size_t len = 0;
        char *text = read_file(cli->config_path, &len, err, sizeof err);
        bool ok = text != NULL && emu_registry_load_config(rt->registry, text, len, values,
                                                           &builtin, err, sizeof err);
        spotify__free(text);
        if (!ok) {
            fail(err);
            return false;
        }
    }
    for (size_t i = 0; i < cli->client_spec_count; i++) {
        if (!emu_registry_add_spec(rt->registry, cli->client_specs[i], err, sizeof err)) {
            fail(err);
            return false;
        }
    }
    builtin = builtin && cli->demo_clients;
    if (builtin && !emu_registry_add_builtin(rt->registry)) {
        fail("the demo clients clash with a configured client id");
        return false;
    }
    emu_cli_apply(cli, values);
    return true;
}

/* --record / --replay: the recorder, or none. */
static bool start_recorder(runtime *rt, const emu_cli *cli)
{
    char err[512] = "";
    if (cli->record_dir != NULL) {
        rt->app.recorder = emu_recorder_record(cli->record_dir, cli->upstream, err, sizeof err);
        if (rt->app.recorder != NULL)
            fprintf(stderr, "spotify-emulator: recording %s into %s\n", cli->upstream,
                    cli->record_dir);
    } else if (cli->replay_dir != NULL) {
        rt->app.recorder = emu_recorder_replay(cli->replay_dir, err, sizeof err);
        if (rt->app.recorder != NULL)
            fprintf(stderr, "spotify-emulator: replaying %zu recorded exchanges from %s\n",
                    emu_recorder_count(rt->app.recorder), cli->replay_dir);
    } else {
        return true;
    }
    if (rt->app.recorder == NULL)
        fail(err);
    return rt->app.recorder != NULL;
}

/* Catalog, state, counters and faults around the bound socket. */
static bool build_app(runtime *rt, const emu_settings_values *values)
{
    char err[512] = "";
    emu_app *app = &rt->app;
    snprintf(app->base_url, sizeof app->base_url, "%s", rt->listener.base_url);
    rt->catalog = emu_catalog_build(app->base_url, err, sizeof err);
    if (rt->catalog == NULL) {
        fail(err);
        return false;
    }
    rt->route_names = spotify__calloc(emu_route_count, sizeof *rt->route_names);
    for (size_t i = 0; rt->route_names != NULL && i < emu_route_count; i++)
        rt->route_names[i] = emu_routes[i].pattern;
    app->registry = rt->registry;
    app->catalog = rt->catalog;
    rt->search = emu_search_index_build(rt->catalog);
    app->search = rt->search;
    app->state = emu_state_new(rt->registry, rt->catalog);
    app->stats = rt->route_names ? emu_stats_new(rt->route_names, emu_route_count) : NULL;
    app->faults = emu_faults_new();
    app->ratelimit = emu_ratelimit_new(emu_registry_client_count(rt->registry));
    app->initial = *values;
    emu_settings_store(&app->settings, values);
    if (app->state == NULL || app->stats == NULL || app->faults == NULL || app->search == NULL ||
        app->ratelimit == NULL) {
        fail("out of memory");
        return false;
    }
    return true;
}

/* Writes the base URL to `path` via a temporary file and rename(). */
static bool write_ready_file(const char *path, const char *url)
{
    size_t len = strlen(path) + 32;
    char *tmp = spotify__malloc(len);
    if (tmp == NULL)
        return false;
    snprintf(tmp, len, "%s.tmp.%ld", path, (long)getpid());
    FILE *f = fopen(tmp, "w");
    bool ok = f != NULL && fprintf(f, "%s\n", url) > 0;
    ok = (f != NULL && fclose(f) == 0) && ok;
    ok = ok && rename(tmp, path) == 0;
    if (!ok)
        unlink(tmp);
    spotify__free(tmp);
    return ok;
}

static void teardown(runtime *rt)
{
    emu_server_stop(rt->server);
    if (rt->server == NULL && rt->listener.fd >= 0)
        close(rt->listener.fd);
    emu_faults_free(rt->app.faults);
    emu_ratelimit_free(rt->app.ratelimit);
    emu_recorder_free(rt->app.recorder);
    emu_stats_free(rt->app.stats);
    emu_state_free(rt->app.state);
    spotify__free((void *)rt->route_names);
    emu_search_index_free(rt->search);
    emu_catalog_free(rt->catalog);
    emu_registry_free(rt->registry);
}

/* Blocks until SIGTERM or SIGINT arrives. */
static void wait_for_signal(const sigset_t *signals)
{
    int sig = 0;
    int rc;
    do {
        rc = sigwait(signals, &sig);
    } while (rc != 0);
}

static int run(const emu_cli *cli, const sigset_t *signals)
{
    runtime rt;
    memset(&rt, 0, sizeof rt);
    rt.listener.fd = -1;
    emu_settings_values values = EMU_SETTINGS_DEFAULTS;
    char err[512] = "";
    bool ok = load_registry(&rt, cli, &values);
    if (ok && !emu_listen(cli->host, cli->port, &rt.listener, err, sizeof err)) {
        fail(err);
        ok = false;
    }
    ok = ok && build_app(&rt, &values) && start_recorder(&rt, cli);
    if (ok && (rt.server = emu_server_start(&rt.app, &rt.listener, err, sizeof err)) == NULL) {
        fail(err);
        ok = false;
    }
    if (ok) {
        printf("spotify-emulator listening on %s\n", rt.listener.base_url);
        fflush(stdout);
        if (cli->ready_file != NULL && !write_ready_file(cli->ready_file, rt.listener.base_url)) {
            fprintf(stderr, "spotify-emulator: cannot write %s: %s\n", cli->ready_file,
                    strerror(errno));
            ok = false;
        }
    }
    if (ok)
        wait_for_signal(signals);
    teardown(&rt);
    if (ok && cli->ready_file != NULL)
        unlink(cli->ready_file);
    return ok ? EMU_EXIT_OK : EMU_EXIT_FAILURE;
}

int main(int argc, char **argv)
{
    emu_cli cli;
    emu_cli_result parsed = emu_cli_parse(argc, argv, &cli, stdout, stderr);
    if (parsed != EMU_CLI_RUN) {
        emu_cli_free(&cli);
        return parsed == EMU_CLI_EXIT_OK ? EMU_EXIT_OK : EMU_EXIT_USAGE;
    }
    /* Block the stop signals in every thread; main collects them with sigwait. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    signal(SIGPIPE, SIG_IGN);
    bool recording = cli.record_dir != NULL;
    if (recording)
        curl_global_init(CURL_GLOBAL_DEFAULT); /* --record's client */
    int status = run(&cli, &signals);
    if (recording)
        curl_global_cleanup();
    emu_cli_free(&cli);
    return status;
}
