# SPDX-License-Identifier: GPL-3.0-or-later
# bash completion for zxmem(1).
# zxmem itself knows its commands, options, formats, PIDs and live handle
# names: `zxmem __complete WORDS... CUR` prints the candidates for CUR, one a
# line ("WORD<TAB>DESCRIPTION"; bash shows the words only), and last, when
# file names complete CUR too, ":path" or ":dir" (":path<TAB>--opt=" when
# the name follows "--opt=").

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
	local out=() paths= pfx= f

	while IFS= read -r line; do
		case $line in
		:path | :dir | :path$'\t'* | :dir$'\t'*) paths=$line ;;
		*) out+=("${line%%$'\t'*}") ;;
		esac
	done < <(command zxmem __complete "${words[@]:1:${#words[@]}-2}" \
	    "$cur" 2>/dev/null)
	if [[ -n $paths ]]; then
		[[ $paths == *$'\t'* ]] && pfx=${paths#*$'\t'}
		while IFS= read -r f; do
			out+=("$pfx$f")
		done < <(compgen "$([[ $paths == :dir* ]] && echo -d || echo -f)" \
		    -- "${cur#"$pfx"}")
		# A trailing / on directories, no space after one.
		[[ -z $pfx ]] && compopt -o filenames 2>/dev/null
	fi
	# Bash replaces only the part after the last word break.
	COMPREPLY=("${out[@]#"${cur%"$tail"}"}")
	# "kernel.enable-debugging-syscalls=" wants its value right after it.
	if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *= ]]; then
		compopt -o nospace 2>/dev/null
	fi
	return 0
}

complete -F _zxmem zxmem
