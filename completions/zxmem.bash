# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for zxmem(1).
# zxmem itself knows its commands, options, formats and live handle names:
# `zxmem __complete WORDS... CUR` prints the candidates for CUR, one a line.

_zxmem()
{
	# Bash splits words at COMP_WORDBREAKS ("=", ":"), so "-k KEY=VALUE"
	# arrives as three words; glue together what the line has no space in.
	local line=${COMP_LINE-"${COMP_WORDS[*]}"} words=() w i ws
	line=${line:0:${COMP_POINT-${#line}}}
	for ((i = 0; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		ws=${line%%[![:space:]]*}
		line=${line#"$ws"}
		if ((i > 0)) && [[ -z $ws ]]; then
			words[-1]+=$w
		else
			words+=("$w")
		fi
		line=${line#"$w"}
	done
	local cur=${words[-1]} tail=${COMP_WORDS[COMP_CWORD]}

	mapfile -t COMPREPLY < <(command zxmem __complete \
	    "${words[@]:1:${#words[@]}-2}" "$cur" 2>/dev/null)
	# Bash replaces only the part after the last word break.
	COMPREPLY=("${COMPREPLY[@]#"${cur%"$tail"}"}")
}

complete -F _zxmem zxmem
