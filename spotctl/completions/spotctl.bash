# SPDX-License-Identifier: Apache-2.0
# bash completion for spotctl                                -*- shell-script -*-
# Installed by `make install` into share/bash-completion/completions/spotctl.

_spotctl()
{
    local cur prev words cword
    _init_completion 2>/dev/null || {
        cur=${COMP_WORDS[COMP_CWORD]}
        prev=${COMP_WORDS[COMP_CWORD-1]}
        words=("${COMP_WORDS[@]}")
        cword=$COMP_CWORD
    }
    local globals="--json --cache --market --verbose -v --help -h"
    local top="login logout token me api search albums tracks artists playlists library player export help"

    case $prev in
        --cache|--out|--ids-file|--data)
            COMPREPLY=($(compgen -f -- "$cur"))
            return ;;
        --format)
            COMPREPLY=($(compgen -W "json ndjson csv" -- "$cur"))
            return ;;
        --type)
            COMPREPLY=($(compgen -W "track album artist playlist show episode audiobook all" -- "$cur"))
            return ;;
        --market|--limit|--parallel|--scope|--description|--query|--device)
            return ;;
    esac

    # the command words typed so far (options and their values skipped)
    local i w cmd="" sub=""
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --cache|--market|--out|--ids-file|--data|--format|--type|--limit|--parallel|--scope|--description|--query|--device)
                ((i++)); continue ;;
            -*) continue ;;
        esac
        if [[ -z $cmd ]]; then cmd=$w; elif [[ -z $sub ]]; then sub=$w; fi
    done

    local verbs=""
    case $cmd in
        albums) verbs="get tracks" ;;
        tracks) verbs="get" ;;
        artists) verbs="get albums" ;;
        playlists) verbs="list get create add remove" ;;
        library) verbs="list save remove contains" ;;
        player) verbs="status devices play pause next previous volume" ;;
        export) verbs="library playlists playlist" ;;
        api) verbs="GET POST PUT DELETE" ;;
        help) verbs=$top ;;
    esac

    if [[ $cur == -* ]]; then
        local opts=""
        case "$cmd $sub" in
            "login "*) opts="--scope --no-browser --pkce" ;;
            "token "*) opts="--refresh --raw" ;;
            "api "*) opts="--query --data" ;;
            "search "*) opts="--type --limit --all" ;;
            "albums get"|"tracks get"|"artists get") opts="--ids-file --parallel" ;;
            "albums tracks"|"artists albums"|"playlists list"|"playlists get") opts="--limit" ;;
            "playlists create") opts="--public --description" ;;
            "library list") opts="--type --limit" ;;
            "player play"|"player pause"|"player next"|"player previous"|"player volume") opts="--device" ;;
            "export "*) opts="--format --out --type" ;;
        esac
        COMPREPLY=($(compgen -W "$opts $globals" -- "$cur"))
    elif [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$top" -- "$cur"))
    elif [[ -z $sub && -n $verbs ]]; then
        COMPREPLY=($(compgen -W "$verbs" -- "$cur"))
    fi
}
complete -F _spotctl spotctl
