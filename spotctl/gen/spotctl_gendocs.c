/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/gen/spotctl_gendocs.c - writes what spotctl's command table makes
 * (docs.c) into the source tree, or checks that the committed files are
 * what it makes:
 *
 *   spotctl-gendocs write SPOTCTL_DIR   rewrite the files that differ
 *   spotctl-gendocs check SPOTCTL_DIR   exit 1 naming each stale file
 *
 * The files: completions/spotctl.bash, completions/_spotctl and spotctl.1
 * (its command list, between the GENERATED COMMANDS markers). Written
 * through spotctl_outfile like any file spotctl writes. Not installed.
 */
#include <stdlib.h>
#include <string.h>

#include "spotctl.h"

typedef bool (*render_fn)(FILE *out, const char *current);

static bool render_bash(FILE *out, const char *current)
{
    (void)current;
    return spotctl_write_bash_completion(out);
}

static bool render_zsh(FILE *out, const char *current)
{
    (void)current;
    return spotctl_write_zsh_completion(out);
}

static bool render_man(FILE *out, const char *current)
{
    return current != NULL && spotctl_write_man_page(out, current);
}

/* Reads a whole file (NULL when missing). */
static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    spotctl_buf b = {0};
    char chunk[8192];
    size_t n;
    bool ok = true;
    while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ok = spotctl_buf_add(&b, chunk, n);
    ok = ok && !ferror(f) && spotctl_buf_add(&b, "", 0);
    fclose(f);
    if (!ok)
        spotctl_buf_free(&b);
    return b.data;
}

int main(int argc, char **argv)
{
    if (argc != 3 || (strcmp(argv[1], "write") != 0 && strcmp(argv[1], "check") != 0)) {
        fprintf(stderr, "usage: spotctl-gendocs write|check SPOTCTL_DIR\n");
        return 2;
    }
    bool write = strcmp(argv[1], "write") == 0;
    static const struct {
        const char *path;
        render_fn render;
    } files[] = {
        {"completions/spotctl.bash", render_bash},
        {"completions/_spotctl", render_zsh},
        {"spotctl.1", render_man},
    };
    int status = 0;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", argv[2], files[i].path);
        char *current = read_all(path);
        char *made = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&made, &len);
        bool ok = mem != NULL && files[i].render(mem, current);
        if (mem != NULL && fclose(mem) != 0)
            ok = false;
        if (!ok) {
            fprintf(stderr, "spotctl-gendocs: cannot make %s%s\n", path,
                    current == NULL ? " (missing)" : "");
            status = 1;
        } else if (current != NULL && strcmp(current, made) == 0) {
            /* up to date */
        } else if (!write) {
            fprintf(stderr,
                    "spotctl-gendocs: %s is stale: run `cmake --build BUILD --target "
                    "spotctl-docs`\n",
                    path);
            status = 1;
        } else {
            spotctl_outfile o;
            int rc = spotctl_outfile_open(&o, path, false);
            if (rc == 0) {
                fwrite(made, 1, len, o.f);
                rc = spotctl_outfile_commit(&o);
            }
            if (rc != 0)
                status = 1;
            else
                printf("spotctl-gendocs: wrote %s\n", path);
        }
        free(made);
        free(current);
    }
    return status;
}
