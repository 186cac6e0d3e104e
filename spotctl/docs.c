/* SPDX-License-Identifier: Apache-2.0 */
/*
 * spotctl/docs.c - what the command table (help.c) makes besides --help:
 * the bash completion, the zsh completion and the man page's command list.
 * spotctl-gendocs (gen/spotctl_gendocs.c) writes them into the source tree
 * and the CTest spotctl_docs_current fails when the committed files differ,
 * so a command, an option or an accepted value is described in one place.
 */
#include <string.h>

#include "spotctl.h"

/* The "do not edit" lines at the top of a generated file. */
#define GENERATED_NOTE(prefix)                                                                     \
    prefix "Generated from spotctl's command table (spotctl/help.c) by spotctl-gendocs:\n" prefix  \
           "do not edit; run `cmake --build BUILD --target spotctl-docs`.\n"

/* The groups ("albums"...), in table order, each once. */
static size_t groups(const char **out, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const char *g = spotctl_commands[i].group;
        bool seen = g == NULL;
        for (size_t k = 0; k < n && !seen; k++)
            seen = strcmp(out[k], g) == 0;
        if (!seen && n < max)
            out[n++] = g;
    }
    return n;
}

/* The top-level words, in table order: commands and groups, then help. */
static void top_words(FILE *out, const char *sep)
{
    const char *seen[64];
    size_t n = 0;
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        const char *w = c->group != NULL ? c->group : c->name;
        bool dup = false;
        for (size_t k = 0; k < n && !dup; k++)
            dup = strcmp(seen[k], w) == 0;
        if (dup)
            continue;
        if (n < 64)
            seen[n++] = w;
        fprintf(out, "%s%s", n > 1 ? sep : "", w);
    }
    fprintf(out, "%shelp", sep);
}

/* True when `name` is also a group ("me" and "me top"): the completions
 * treat it as the group, whose verbs are offered after it. */
static bool is_group(const char *name)
{
    for (size_t i = 0; i < spotctl_command_count; i++)
        if (spotctl_commands[i].group != NULL && strcmp(spotctl_commands[i].group, name) == 0)
            return true;
    return false;
}

/* True when command `c` is a verb of `group`. */
static bool in_group(const spotctl_command *c, const char *group)
{
    return c->group != NULL && strcmp(c->group, group) == 0;
}

/* The verbs of `group`, separated by `sep`. */
static void group_verbs(FILE *out, const char *group, const char *sep)
{
    bool first = true;
    for (size_t i = 0; i < spotctl_command_count; i++)
        if (in_group(&spotctl_commands[i], group)) {
            fprintf(out, "%s%s", first ? "" : sep, spotctl_commands[i].name);
            first = false;
        }
}

/* How a shell completes a value of each kind: file names, one word of
 * the values (written between words[0] and words[1]), a comma-separated
 * list of them (between list[0] and list[1]), free text. */
typedef struct value_forms {
    const char *file;
    const char *words[2];
    const char *list[2];
    const char *text;
} value_forms;

static void value_action(FILE *out, const value_forms *forms, const spotctl_opt *o)
{
    switch (o->complete) {
    case SPOTCTL_COMPLETE_FILE:
        fputs(forms->file, out);
        break;
    case SPOTCTL_COMPLETE_WORDS:
        fprintf(out, "%s%s%s", forms->words[0], o->values, forms->words[1]);
        break;
    case SPOTCTL_COMPLETE_LIST:
        fprintf(out, "%s%s%s", forms->list[0], o->values, forms->list[1]);
        break;
    case SPOTCTL_COMPLETE_TEXT:
    default:
        fputs(forms->text, out);
        break;
    }
}

/* "albums get" / "export": how the completions name a command. */
static void key_of(char *out, size_t size, const spotctl_command *c)
{
    spotctl_command_name(out, size, c);
}

/* ------------------------------------------------------------------ */
/* bash                                                                */
/* ------------------------------------------------------------------ */

/* Every option that takes a value, as a case pattern: --cache|--market|... */
static void bash_valued_pattern(FILE *out)
{
    const char *seen[128];
    size_t n = 0;
    for (size_t pass = 0; pass <= spotctl_command_count; pass++) {
        const spotctl_opt *opts = pass == 0 ? spotctl_global_opts : spotctl_commands[pass - 1].opts;
        size_t count = pass == 0 ? spotctl_global_opt_count : spotctl_commands[pass - 1].opt_count;
        for (size_t i = 0; i < count; i++) {
            if (opts[i].kind == SPOTCTL_FLAG)
                continue;
            bool dup = false;
            for (size_t k = 0; k < n && !dup; k++)
                dup = strcmp(seen[k], opts[i].name) == 0;
            if (dup || n == 128)
                continue;
            seen[n++] = opts[i].name;
            fprintf(out, "%s--%s", n > 1 ? "|" : "", opts[i].name);
        }
    }
}

/* The case line completing the value of `o` (of command `key`, "*" for the
 * globals); free text needs none (the catch-all completes nothing). */
static void bash_value_case(FILE *out, const char *key, const spotctl_opt *o)
{
    if (o->kind == SPOTCTL_FLAG || (o->complete == SPOTCTL_COMPLETE_TEXT && strcmp(key, "*") != 0))
        return;
    if (strcmp(key, "*") == 0)
        fprintf(out, "        *:--%s)", o->name);
    else
        fprintf(out, "        \"%s:--%s\")", key, o->name);
    static const value_forms bash = {
        " COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n",
        {" values=\"", "\" ;;\n"},
        {" list=\"", "\" ;;\n"},
        " return ;;\n",
    };
    value_action(out, &bash, o);
}

static void bash_option_names(FILE *out, const spotctl_opt *opts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (opts[i].short_name != 0)
            fprintf(out, "%s-%c", i > 0 ? " " : "", opts[i].short_name);
        fprintf(out, "%s--%s", i > 0 || opts[i].short_name != 0 ? " " : "", opts[i].name);
    }
}

bool spotctl_write_bash_completion(FILE *out)
{
    char key[64];
    const char *group[32];
    size_t ngroups = groups(group, 32);
    fputs(
        "# SPDX-License-Identifier: Apache-2.0\n"
        "# bash completion for spotctl                                -*- shell-script "
        "-*-\n" GENERATED_NOTE(
            "# ") "# Installed by `make install` into share/bash-completion/completions/spotctl.\n"
                  "\n"
                  "_spotctl()\n"
                  "{\n"
                  "    local cur prev words cword\n"
                  "    _init_completion 2>/dev/null || {\n"
                  "        cur=${COMP_WORDS[COMP_CWORD]}\n"
                  "        prev=${COMP_WORDS[COMP_CWORD-1]}\n"
                  "        words=(\"${COMP_WORDS[@]}\")\n"
                  "        cword=$COMP_CWORD\n"
                  "    }\n"
                  "    local globals=\"",
        out);
    bash_option_names(out, spotctl_global_opts, spotctl_global_opt_count);
    fputs("\"\n    local top=\"", out);
    top_words(out, " ");
    fputs("\"\n"
          "\n"
          "    # the command words typed so far (options and their values skipped)\n"
          "    local i w cmd=\"\" sub=\"\" nargs=0\n"
          "    for ((i = 1; i < cword; i++)); do\n"
          "        w=${words[i]}\n"
          "        case $w in\n"
          "            ",
          out);
    bash_valued_pattern(out);
    fputs(")\n"
          "                ((i++)); continue ;;\n"
          "            -*) continue ;;\n"
          "        esac\n"
          "        if [[ -z $cmd ]]; then cmd=$w; elif [[ -z $sub ]]; then sub=$w; else "
          "((nargs++)); fi\n"
          "    done\n"
          "    # the command: a group's verb (\"albums get\") or a top-level command\n"
          "    local key=$cmd\n"
          "    case $cmd in\n"
          "        ",
          out);
    for (size_t g = 0; g < ngroups; g++)
        fprintf(out, "%s%s", g > 0 ? "|" : "", group[g]);
    fputs(") key=\"$cmd $sub\" ;;\n"
          "    esac\n"
          "\n"
          "    # the value of an option: only what the command accepts\n"
          "    local values=\"\" list=\"\"\n"
          "    case \"$key:$prev\" in\n",
          out);
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        key_of(key, sizeof key, c);
        for (size_t k = 0; k < c->opt_count; k++)
            bash_value_case(out, key, &c->opts[k]);
    }
    for (size_t k = 0; k < spotctl_global_opt_count; k++)
        bash_value_case(out, "*", &spotctl_global_opts[k]);
    fputs("        *:--*) # any other value: free text\n"
          "            case $prev in\n"
          "                ",
          out);
    bash_valued_pattern(out);
    fputs(") return ;;\n"
          "            esac ;;\n"
          "    esac\n"
          "    if [[ -n $values ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$values\" -- \"$cur\"))\n"
          "        return\n"
          "    elif [[ -n $list ]]; then # comma-separated: complete the last one\n"
          "        COMPREPLY=($(compgen -P \"${cur%\"${cur##*,}\"}\" -W \"$list\" -- "
          "\"${cur##*,}\"))\n"
          "        return\n"
          "    fi\n"
          "\n"
          "    if [[ $cur == -* ]]; then\n"
          "        local opts=\"\"\n"
          "        case $key in\n",
          out);
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->opt_count == 0)
            continue;
        key_of(key, sizeof key, c);
        fprintf(out, "            \"%s\") opts=\"", key);
        bash_option_names(out, c->opts, c->opt_count);
        fputs("\" ;;\n", out);
    }
    fputs("        esac\n"
          "        COMPREPLY=($(compgen -W \"$opts $globals\" -- \"$cur\"))\n"
          "    elif [[ -z $cmd ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$top\" -- \"$cur\"))\n"
          "    elif [[ -z $sub ]]; then\n"
          "        case $cmd in\n",
          out);
    for (size_t g = 0; g < ngroups; g++) {
        fprintf(out, "            %s) COMPREPLY=($(compgen -W \"", group[g]);
        group_verbs(out, group[g], " ");
        fputs("\" -- \"$cur\")) ;;\n", out);
    }
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->group == NULL && c->first_arg != NULL)
            fprintf(out, "            %s) COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")) ;;\n",
                    c->name, c->first_arg);
    }
    fputs("            help) COMPREPLY=($(compgen -W \"$top\" -- \"$cur\")) ;;\n"
          "        esac\n"
          "    elif ((nargs == 0)); then # a verb's first argument\n"
          "        case $key in\n",
          out);
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->group != NULL && c->first_arg != NULL)
            fprintf(out, "            \"%s %s\") COMPREPLY=($(compgen -W \"%s\" -- \"$cur\")) ;;\n",
                    c->group, c->name, c->first_arg);
    }
    fputs("        esac\n"
          "    fi\n"
          "}\n"
          "complete -F _spotctl spotctl\n",
          out);
    return ferror(out) == 0;
}

/* ------------------------------------------------------------------ */
/* zsh                                                                 */
/* ------------------------------------------------------------------ */

/* A short form of a help text, for a completion menu: its lines joined,
 * up to the first " (", "; " or ". " that leaves a dozen characters. */
static size_t short_help(char *out, size_t size, const char *text)
{
    size_t n = 0;
    for (const char *p = text; *p != '\0' && n + 1 < size; p++)
        out[n++] = *p == '\n' ? ' ' : *p;
    out[n] = '\0';
    static const char *const cuts[] = {" (", "; ", ". "};
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
        char *cut = strstr(out, cuts[k]);
        if (cut != NULL && cut - out >= 12 && (size_t)(cut - out) < n)
            n = (size_t)(cut - out);
    }
    out[n] = '\0';
    return n;
}

/* `text` (shortened) for inside '...[TEXT]' or '...:TEXT': quotes closed and
 * reopened, brackets, colons and backslashes escaped. */
static void zsh_text(FILE *out, const char *text)
{
    char brief[512];
    short_help(brief, sizeof brief, text);
    for (const char *p = brief; *p != '\0'; p++) {
        if (*p == '\'')
            fputs("'\\''", out);
        else if (*p == '[' || *p == ']' || *p == '\\' || *p == ':')
            fprintf(out, "\\%c", *p);
        else
            fputc(*p, out);
    }
}

/* One _arguments spec of an option. */
static void zsh_option(FILE *out, const spotctl_opt *o)
{
    fputs(" '", out);
    if (o->kind == SPOTCTL_MULTI)
        fputc('*', out);
    if (o->short_name != 0 && o->kind == SPOTCTL_MULTI) /* repeatable: no exclusions */
        fprintf(out, "'{-%c,--%s}'", o->short_name, o->name);
    else if (o->short_name != 0)
        fprintf(out, "(-%c --%s)'{-%c,--%s}'", o->short_name, o->name, o->short_name, o->name);
    else
        fprintf(out, "--%s", o->name);
    fputc('[', out);
    zsh_text(out, o->help);
    fputc(']', out);
    if (o->kind != SPOTCTL_FLAG) {
        static const value_forms zsh = {"_files", {"(", ")"}, {"_values -s , value ", ""}, ""};
        fprintf(out, ":%s:", o->arg);
        value_action(out, &zsh, o);
    }
    fputc('\'', out);
}

static void zsh_arguments(FILE *out, const spotctl_command *c, const char *indent)
{
    /* a group's verb is the first word _arguments sees after the group */
    int first = c->group != NULL ? 2 : 1;
    fprintf(out, "%s_arguments $globals", indent);
    for (size_t k = 0; k < c->opt_count; k++)
        zsh_option(out, &c->opts[k]);
    if (c->first_arg != NULL) { /* described as the synopsis names it */
        const char *word = strchr(c->synopsis + strlen(c->group != NULL ? c->group : c->name), ' ');
        word = word != NULL && c->group != NULL ? strchr(word + 1, ' ') : word;
        word = word != NULL ? word + 1 : "";
        word += *word == '['; /* an optional one: "[add URI...]" */
        fprintf(out, " '%d:%.*s:(%s)'", first, (int)strcspn(word, " ]"), word, c->first_arg);
    }
    fputs(" '*:argument:'", out);
}

bool spotctl_write_zsh_completion(FILE *out)
{
    const char *group[32];
    size_t ngroups = groups(group, 32);
    fputs("#compdef spotctl\n"
          "# SPDX-License-Identifier: Apache-2.0\n"
          "# zsh completion for spotctl.\n" GENERATED_NOTE(
              "# ") "# Installed by `make install` into share/zsh/vendor-completions/_spotctl.\n"
                    "\n"
                    "_spotctl() {\n"
                    "  local -a globals\n"
                    "  globals=(\n",
          out);
    for (size_t k = 0; k < spotctl_global_opt_count; k++) {
        fputs("   ", out);
        zsh_option(out, &spotctl_global_opts[k]);
        fputc('\n', out);
    }
    fputs("  )\n"
          "  local -a commands\n"
          "  commands=(\n",
          out);
    for (size_t i = 0, g = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->group == NULL && !is_group(c->name)) {
            fprintf(out, "    '%s:", c->name);
            zsh_text(out, c->summary);
            fputs("'\n", out);
            continue;
        }
        if (g >= ngroups || !in_group(c, group[g]))
            continue; /* a group is listed at its first command */
        fprintf(out, "    '%s:%s ", group[g], group[g]);
        group_verbs(out, group[g], " | ");
        fputs("'\n", out);
        g++;
    }
    fputs("    'help:help for a command'\n"
          "  )\n"
          "\n"
          "  _arguments -C $globals '1:command:->command' '*::arg:->args' && return\n"
          "  case $state in\n"
          "    command) _describe -t commands 'spotctl command' commands ;;\n"
          "    args)\n"
          "      case $words[1] in\n",
          out);
    for (size_t i = 0; i < spotctl_command_count; i++) {
        const spotctl_command *c = &spotctl_commands[i];
        if (c->group != NULL || is_group(c->name))
            continue;
        fprintf(out, "        %s)\n", c->name);
        zsh_arguments(out, c, "          ");
        fputs(" ;;\n", out);
    }
    for (size_t g = 0; g < ngroups; g++) {
        fprintf(out,
                "        %s)\n"
                "          if (( CURRENT == 2 )); then\n"
                "            local -a verbs\n"
                "            verbs=(",
                group[g]);
        bool first = true;
        for (size_t i = 0; i < spotctl_command_count; i++) {
            const spotctl_command *c = &spotctl_commands[i];
            if (!in_group(c, group[g]))
                continue;
            fprintf(out, "%s'%s:", first ? "" : " ", c->name);
            zsh_text(out, c->summary);
            fputc('\'', out);
            first = false;
        }
        fprintf(out,
                ")\n"
                "            _describe -t commands '%s command' verbs\n"
                "          else\n"
                "            case $words[2] in\n",
                group[g]);
        for (size_t i = 0; i < spotctl_command_count; i++) {
            const spotctl_command *c = &spotctl_commands[i];
            if (!in_group(c, group[g]))
                continue;
            fprintf(out, "              %s)\n", c->name);
            zsh_arguments(out, c, "                ");
            fputs(" ;;\n", out);
        }
        fputs("            esac\n"
              "          fi ;;\n",
              out);
    }
    fputs("        help) _describe -t commands 'spotctl command' commands ;;\n"
          "      esac ;;\n"
          "  esac\n"
          "}\n"
          "\n"
          "_spotctl \"$@\"\n",
          out);
    return ferror(out) == 0;
}

/* ------------------------------------------------------------------ */
/* The man page's command list                                         */
/* ------------------------------------------------------------------ */

#define MAN_BEGIN ".\\\" BEGIN GENERATED COMMANDS\n"
#define MAN_END ".\\\" END GENERATED COMMANDS\n"

static bool is_literal(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static bool is_placeholder(char c)
{
    return (c >= 'A' && c <= 'Z') || c == '_';
}

/* A character of running text: '-' as a minus sign, '\' escaped. */
static void man_char(FILE *out, char c)
{
    if (c == '-')
        fputs("\\-", out);
    else if (c == '\\')
        fputs("\\e", out);
    else
        fputc(c, out);
}

/* A synopsis: literal words bold (consecutive ones in one run, so "albums
 * get" stays searchable), placeholders italic, the rest roman. */
static void man_synopsis(FILE *out, const char *s)
{
    while (*s != '\0') {
        if (is_literal(*s)) {
            fputs("\\fB", out);
            while (is_literal(*s) || (*s == ' ' && is_literal(s[1]) && s[1] != '-'))
                man_char(out, *s++);
            fputs("\\fR", out);
        } else if (is_placeholder(*s)) {
            fputs("\\fI", out);
            while (is_placeholder(*s))
                man_char(out, *s++);
            fputs("\\fR", out);
        } else {
            man_char(out, *s++);
        }
    }
    fputc('\n', out);
}

/* Help text as roff: `code` bold, a blank line a paragraph break inside the
 * entry, leading spaces dropped (roff fills lines), no line starting with
 * a control character. Up to `stop` (NULL: the end). */
static void man_text(FILE *out, const char *text, const char *stop)
{
    const char *end = stop != NULL ? stop : text + strlen(text);
    bool code = false;
    for (const char *line = text; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        const char *line_end = nl != NULL ? nl : end;
        const char *p = line;
        while (p < line_end && *p == ' ')
            p++;
        if (p == line_end) {
            if (line_end + 1 < end) /* not a trailing one */
                fputs(".sp\n", out);
        } else {
            if (*p == '.' || *p == '\'')
                fputs("\\&", out);
            for (; p < line_end; p++) {
                if (*p == '`') {
                    fputs(code ? "\\fR" : "\\fB", out);
                    code = !code;
                } else {
                    man_char(out, *p);
                }
            }
            fputc('\n', out);
        }
        line = nl != NULL ? nl + 1 : end;
    }
    if (code)
        fputs("\\fR\n", out);
}

static void man_command(FILE *out, const spotctl_command *c)
{
    fputs(".TP\n", out);
    man_synopsis(out, c->synopsis);
    man_text(out, c->about, NULL);
    /* the notes after the options in --help, without the examples */
    const char *examples = strstr(c->more, "Example");
    if (examples != c->more) {
        fputs(".sp\n", out);
        man_text(out, c->more, examples);
    }
    if (c->opt_count == 0)
        return;
    fputs(".RS\n", out);
    for (size_t k = 0; k < c->opt_count; k++) {
        const spotctl_opt *o = &c->opts[k];
        fputs(".TP\n\\fB\\-\\-", out);
        for (const char *n = o->name; *n != '\0'; n++)
            man_char(out, *n);
        fputs("\\fR", out);
        if (o->arg != NULL) {
            fputs(" \\fI", out);
            for (const char *a = o->arg; *a != '\0'; a++)
                man_char(out, *a);
            fputs("\\fR", out);
        }
        fputc('\n', out);
        man_text(out, o->help, NULL);
    }
    fputs(".RE\n", out);
}

bool spotctl_write_man_page(FILE *out, const char *page)
{
    const char *begin = strstr(page, MAN_BEGIN);
    const char *end = begin != NULL ? strstr(begin, MAN_END) : NULL;
    if (end == NULL)
        return false;
    begin += strlen(MAN_BEGIN);
    fwrite(page, 1, (size_t)(begin - page), out);
    for (size_t i = 0; i < spotctl_command_count; i++)
        man_command(out, &spotctl_commands[i]);
    fputs(end, out);
    return ferror(out) == 0;
}
