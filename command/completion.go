package command

import (
	"context"
	"io"

	"kurultai/sessions/msg"
	"kurultai/ui/cli"
)

// The completion scripts. Each passes the words typed so far to
// `kurultai __complete` and offers the lines it prints; none of them
// evaluates what comes back (an id of a hostile archive stays a word).

const bashCompletion = `# bash completion for kurultai: source it, or put it in
# ~/.local/share/bash-completion/completions/kurultai
_kurultai() {
    # The words up to the cursor, split at spaces only: bash would split
    # --style=dark at the = too.
    local upto="${COMP_LINE:0:COMP_POINT}"
    local -a words lines
    read -ra words <<< "$upto"
    [[ -z "$upto" || "$upto" == *[[:space:]] ]] && words+=("")
    local cur="${words[${#words[@]}-1]}"
    mapfile -t lines < <("${words[0]}" __complete "${words[@]:1}" 2>/dev/null)
    COMPREPLY=()
    if [[ "${lines[0]}" == "!files" ]]; then
        [[ "$cur" == --*=* ]] && cur="${cur#*=}"
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return 0
    fi
    local line
    for line in "${lines[@]}"; do
        line="${line%%$'\t'*}"
        # bash's own word starts after the = of --flag=value.
        [[ "$cur" == --*=* ]] && line="${line#*=}"
        [[ -n "$line" ]] && COMPREPLY+=("$line")
    done
    return 0
}
complete -F _kurultai kurultai
`

const zshCompletion = `#compdef kurultai
# zsh completion for kurultai: put it in a folder of $fpath as _kurultai, or
# source it after compinit.
_kurultai() {
    local -a lines words_ descs
    lines=("${(@f)$("${words[1]}" __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
    if [[ "${lines[1]}" == "!files" ]]; then
        _files
        return
    fi
    local line
    for line in "${lines[@]}"; do
        [[ -z "$line" ]] && continue
        words_+=("${line%%$'\t'*}")
        if [[ "$line" == *$'\t'* ]]; then
            descs+=("${line%%$'\t'*} -- ${line#*$'\t'}")
        else
            descs+=("${line}")
        fi
    done
    (( ${#words_} )) && compadd -l -d descs -- "${words_[@]}"
}
if [[ "${zsh_eval_context[-1]}" == loadautofunc ]]; then
    _kurultai "$@"
else
    compdef _kurultai kurultai
fi
`

const fishCompletion = `# fish completion for kurultai: source it, or put it in
# ~/.config/fish/completions/kurultai.fish
function __kurultai_complete
    set -l words (commandline -opc)
    set -e words[1]
    set -l out (kurultai __complete $words (commandline -ct) 2>/dev/null)
    if test "$out[1]" = "!files"
        __fish_complete_path (commandline -ct)
        return
    end
    printf '%s\n' $out
end
complete -c kurultai -f -a '(__kurultai_complete)'
`

var completionScripts = map[string]string{"bash": bashCompletion, "zsh": zshCompletion, "fish": fishCompletion}

// runCompletion prints the completion script of a shell.
func runCompletion(_ context.Context, inv *Invocation) error {
	if len(inv.Args) != 1 || completionScripts[inv.Args[0]] == "" {
		return cli.UsageError{Msg: msg.T("completion takes a shell: bash, zsh or fish (see docs/shell.md)")}
	}
	_, err := io.WriteString(inv.Env.Stdout, completionScripts[inv.Args[0]])
	return err
}
