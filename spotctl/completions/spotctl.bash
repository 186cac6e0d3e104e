# SPDX-License-Identifier: Apache-2.0
# bash completion for spotctl                                -*- shell-script -*-
# Generated from spotctl's command table (spotctl/help.c) by spotctl-gendocs:
# do not edit; run `cmake --build BUILD --target spotctl-docs`.
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
    local globals="--json --cache --market -v --verbose -h --help"
    local top="login logout token me api search albums tracks artists shows episodes audiobooks chapters follow unfollow following playlists library player export help"

    # the command words typed so far (options and their values skipped)
    local i w cmd="" sub="" nargs=0
    for ((i = 1; i < cword; i++)); do
        w=${words[i]}
        case $w in
            --cache|--market|--scope|--add-scope|--range|--limit|--before|--after|--method|--field|--file-field|--query|--data|--input|--type|--ids-file|--parallel|--description|--count|--device|--format|--out)
                ((i++)); continue ;;
            -*) continue ;;
        esac
        if [[ -z $cmd ]]; then cmd=$w; elif [[ -z $sub ]]; then sub=$w; else ((nargs++)); fi
    done
    # the command: a group's verb ("albums get") or a top-level command
    local key=$cmd
    case $cmd in
        me|albums|tracks|artists|shows|episodes|audiobooks|chapters|following|playlists|library|player) key="$cmd $sub" ;;
    esac

    # the value of an option: only what the command accepts
    local values="" list=""
    case "$key:$prev" in
        "me top:--range") values="short medium long" ;;
        "api:--method") values="GET POST PUT DELETE" ;;
        "api:--input") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "search:--type") list="album artist playlist track show episode audiobook all" ;;
        "albums get:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "tracks get:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "artists get:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "shows get:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "episodes get:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "audiobooks get:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "chapters get:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "follow:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "unfollow:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "following contains:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "playlists add:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "playlists remove:--ids-file") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "library list:--type") list="track album episode show audiobook all" ;;
        "export:--format") values="json ndjson csv" ;;
        "export:--out") COMPREPLY=($(compgen -f -- "$cur")); return ;;
        "export:--type") list="track album episode show audiobook all" ;;
        *:--cache) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        *:--market) return ;;
        *:--*) # any other value: free text
            case $prev in
                --cache|--market|--scope|--add-scope|--range|--limit|--before|--after|--method|--field|--file-field|--query|--data|--input|--type|--ids-file|--parallel|--description|--count|--device|--format|--out) return ;;
            esac ;;
    esac
    if [[ -n $values ]]; then
        COMPREPLY=($(compgen -W "$values" -- "$cur"))
        return
    elif [[ -n $list ]]; then # comma-separated: complete the last one
        COMPREPLY=($(compgen -P "${cur%"${cur##*,}"}" -W "$list" -- "${cur##*,}"))
        return
    fi

    if [[ $cur == -* ]]; then
        local opts=""
        case $key in
            "login") opts="--scope --add-scope --no-browser --paste --pkce" ;;
            "token") opts="--refresh --raw" ;;
            "me top") opts="--range --limit" ;;
            "me recent") opts="--before --after --limit" ;;
            "api") opts="-X --method -f --field -F --file-field --query --data --input -i --include --paginate" ;;
            "search") opts="--type --limit --all" ;;
            "albums get") opts="--ids-file --parallel" ;;
            "albums tracks") opts="--limit" ;;
            "tracks get") opts="--ids-file --parallel" ;;
            "artists get") opts="--ids-file --parallel" ;;
            "artists albums") opts="--limit" ;;
            "shows get") opts="--ids-file --parallel" ;;
            "shows episodes") opts="--limit" ;;
            "episodes get") opts="--ids-file --parallel" ;;
            "audiobooks get") opts="--ids-file --parallel" ;;
            "audiobooks chapters") opts="--limit" ;;
            "chapters get") opts="--ids-file --parallel" ;;
            "follow") opts="--ids-file" ;;
            "unfollow") opts="--ids-file" ;;
            "following list") opts="--limit" ;;
            "following contains") opts="--ids-file" ;;
            "playlists list") opts="--limit" ;;
            "playlists get") opts="--limit" ;;
            "playlists create") opts="--public --description" ;;
            "playlists add") opts="--ids-file" ;;
            "playlists remove") opts="--ids-file" ;;
            "playlists reorder") opts="--count" ;;
            "library list") opts="--type --limit" ;;
            "player play") opts="--device" ;;
            "player pause") opts="--device" ;;
            "player next") opts="--device" ;;
            "player previous") opts="--device" ;;
            "player volume") opts="--device" ;;
            "player seek") opts="--device" ;;
            "player repeat") opts="--device" ;;
            "player shuffle") opts="--device" ;;
            "player transfer") opts="--play" ;;
            "player queue") opts="--device" ;;
            "player recent") opts="--before --after --limit" ;;
            "export") opts="--format --out --private --type" ;;
        esac
        COMPREPLY=($(compgen -W "$opts $globals" -- "$cur"))
    elif [[ -z $cmd ]]; then
        COMPREPLY=($(compgen -W "$top" -- "$cur"))
    elif [[ -z $sub ]]; then
        case $cmd in
            me) COMPREPLY=($(compgen -W "top recent" -- "$cur")) ;;
            albums) COMPREPLY=($(compgen -W "get tracks" -- "$cur")) ;;
            tracks) COMPREPLY=($(compgen -W "get" -- "$cur")) ;;
            artists) COMPREPLY=($(compgen -W "get albums" -- "$cur")) ;;
            shows) COMPREPLY=($(compgen -W "get episodes" -- "$cur")) ;;
            episodes) COMPREPLY=($(compgen -W "get" -- "$cur")) ;;
            audiobooks) COMPREPLY=($(compgen -W "get chapters" -- "$cur")) ;;
            chapters) COMPREPLY=($(compgen -W "get" -- "$cur")) ;;
            following) COMPREPLY=($(compgen -W "list contains" -- "$cur")) ;;
            playlists) COMPREPLY=($(compgen -W "list get create add remove rename describe public private delete reorder cover" -- "$cur")) ;;
            library) COMPREPLY=($(compgen -W "list save remove contains" -- "$cur")) ;;
            player) COMPREPLY=($(compgen -W "status devices play pause next previous volume seek repeat shuffle transfer queue recent" -- "$cur")) ;;
            api) COMPREPLY=($(compgen -W "GET POST PUT DELETE" -- "$cur")) ;;
            follow) COMPREPLY=($(compgen -W "artists users playlists" -- "$cur")) ;;
            unfollow) COMPREPLY=($(compgen -W "artists users playlists" -- "$cur")) ;;
            export) COMPREPLY=($(compgen -W "library playlists playlist" -- "$cur")) ;;
            help) COMPREPLY=($(compgen -W "$top" -- "$cur")) ;;
        esac
    elif ((nargs == 0)); then # a verb's first argument
        case $key in
            "me top") COMPREPLY=($(compgen -W "tracks artists" -- "$cur")) ;;
            "following contains") COMPREPLY=($(compgen -W "artists users playlists" -- "$cur")) ;;
            "playlists cover") COMPREPLY=($(compgen -W "get set" -- "$cur")) ;;
            "player repeat") COMPREPLY=($(compgen -W "off track context" -- "$cur")) ;;
            "player shuffle") COMPREPLY=($(compgen -W "on off" -- "$cur")) ;;
            "player queue") COMPREPLY=($(compgen -W "add" -- "$cur")) ;;
        esac
    fi
}
complete -F _spotctl spotctl
