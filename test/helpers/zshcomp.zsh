# SPDX-License-Identifier: GPL-3.0-or-later
# zsh -f zshcomp.zsh FPATH_DIR LINE: type LINE and Tab into an interactive
# zsh (on a pseudo-terminal, under zpty) whose completion system is
# compinit with FPATH_DIR first in $fpath, and print what zsh's own
# completion offers: one match a line, "WORD" or "WORD<TAB>DISPLAY" when the
# completer gave a display string (a description). Every compadd call of
# the completion functions (ours, _files, ...) is captured; nothing is
# inserted. Exits 124 if the completion does not finish in 10 s.
# (The interactive zsh sources this same file with --setup DIR.)

if [[ $1 == --setup ]]; then
	PS1='' PROMPT_EOL_MARK=''
	unsetopt zle_bracketed_paste 2>/dev/null
	fpath=($2 $fpath)
	autoload -Uz compinit
	compinit -u -D
	# Print each match (closed by \x01) instead of adding it.
	compadd() {
		if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
			builtin compadd "$@"
			return
		fi
		local -a __hits __dscr
		local __t __i
		if (( $@[(I)-d] )); then
			__t=${@[$((${@[(i)-d]} + 1))]}
			if [[ $__t == \(* ]]; then
				eval "__dscr=$__t"
			else
				__dscr=("${(@P)__t}")
			fi
		fi
		builtin compadd -A __hits -D __dscr "$@"
		local -A __o
		zparseopts -A __o -E P: p: 2>/dev/null
		for __i in {1..$#__hits}; do
			print -rn -- "$IPREFIX${__o[-P]}${__o[-p]}$__hits[__i]"
			[[ -n ${__dscr[__i]} && ${__dscr[__i]} != $__hits[__i] ]] && print -rn -- $'\t'"$__dscr[__i]"
			print -rn -- $'\x01'
		done
	}
	zxcomp-word() {
		unset 'compstate[vared]'
		_main_complete "$@"
		compstate[insert]=
		compstate[list]=
		print -rn -- $'\x00'
	}
	zle -C zxcomp-word complete-word zxcomp-word
	bindkey '^I' zxcomp-word
	print -rn -- $'\x02'
	return 0
fi

zmodload zsh/zpty || exit 2
local dir=$1 line=$2 out= chunk= m
local deadline=$((SECONDS + 10))

zpty z zsh -f -i || exit 2
zpty -w z "source ${(q)${(%):-%x}:A} --setup ${(q)dir:A}"
out=
while [[ $out != *$'\x02'* ]]; do
	(( SECONDS > deadline )) && { print -ru2 "zshcomp: setup timed out: $out"; exit 124; }
	zpty -r -t z chunk 2>/dev/null && out+=$chunk
done
zpty -n -w z "$line"$'\t'
out=
while [[ $out != *$'\x00'* ]]; do
	(( SECONDS > deadline )) && { print -ru2 "zshcomp: timed out: $out"; exit 124; }
	zpty -r -t z chunk 2>/dev/null && out+=$chunk
done
zpty -d z
out=${out%%$'\x00'*}
# The matches sit between the echoed line and the NUL, each closed by \x01.
for m in "${(@ps:\x01:)out}"; do
	m=${m##*$'\r'}
	[[ $m == *"$line"* ]] && m=${m##*"$line"}
	[[ -n $m ]] && print -r -- $m
done
exit 0
