#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# What ships stays in sync: the manual page, the completions and the README
# agree with the command table that `zxmem help --commands` prints.

load test_helper/common
load test_helper/completion

ROOT="$BATS_TEST_DIRNAME/.."

# grammar_words WORD...: the argument names and options of a usage grammar,
# one a line, from either `usage: zxmem CMD ...` or an mdoc `.It Cm CMD ...`
# line (whose `Fl x` is `-x`); brackets, `|`, `...` and macros are dropped.
grammar_words() {
	local w fl=
	for w in "$@"; do
		w=${w//[\[\]|]/}
		w=${w%...}
		if [ "$w" = Fl ]; then
			fl=-
			continue
		fi
		w=$fl$w fl=
		[[ "$w" =~ ^(-[-a-z0-9]+|[A-Z][A-Z0-9_]*)$ ]] && echo "$w"
	done
	return 0
}

@test "the manual page is clean under mandoc -Tlint" {
	run mandoc -Tlint -W warning "$ROOT/man/zxmem.1"
	assert_success
	assert_output ""
}

@test "every command has --help, a manual entry and a completion" {
	run_zxmem help --commands
	[ -n "$output" ]
	local commands=$output cmd
	run_zxmem __complete ""
	# "WORD<TAB>DESCRIPTION": the words.
	local completed=$'\n'$(printf '%s\n' "$output" | cut -f1)$'\n'
	run bash_complete ""
	assert_success
	local bash_completed=$'\n'$output$'\n'
	run fish_complete "zxmem "
	assert_success
	local fish_completed=$'\n'$(printf '%s\n' "$output" | cut -f1)$'\n'
	run zsh_complete "zxmem "
	assert_success
	local zsh_completed=$'\n'$(printf '%s\n' "$output" | cut -f1)$'\n'

	for cmd in $commands; do
		run_zxmem "$cmd" --help || return 1
		if [[ "${lines[0]-}" != "usage: zxmem $cmd" &&
		      "${lines[0]-}" != "usage: zxmem $cmd "* ]]; then
			echo "zxmem $cmd --help printed: $output" >&2
			return 1
		fi
		local usage=${lines[0]} entry
		entry=$(grep -m1 -E "^\.It (Cm|Ic) $cmd( |\$)" "$ROOT/man/zxmem.1") || {
			echo "man/zxmem.1 has no '.It Cm $cmd' entry" >&2
			return 1
		}
		local -a uw ew
		read -ra uw <<<"${usage#"usage: zxmem $cmd"}"
		read -ra ew <<<"${entry#.It ?? "$cmd"}"
		if [ "$(grammar_words "${uw[@]}")" != "$(grammar_words "${ew[@]}")" ]; then
			echo "man/zxmem.1 '$entry' does not match '$usage'" >&2
			return 1
		fi
		if [[ "$completed" != *$'\n'"$cmd"$'\n'* ]]; then
			echo "zxmem __complete \"\" does not offer $cmd" >&2
			return 1
		fi
		if [[ "$bash_completed" != *$'\n'"$cmd"$'\n'* ]]; then
			echo "completions/zxmem.bash does not offer $cmd" >&2
			return 1
		fi
		if [[ "$fish_completed" != *$'\n'"$cmd"$'\n'* ]]; then
			echo "completions/zxmem.fish does not offer $cmd" >&2
			return 1
		fi
		if [[ "$zsh_completed" != *$'\n'"$cmd"$'\n'* ]]; then
			echo "completions/_zxmem does not offer $cmd" >&2
			return 1
		fi
	done
}

@test "the manual documents no command that zxmem does not have" {
	run_zxmem help --commands
	local commands=$'\n'$output$'\n' line cmd in_commands=0
	while IFS= read -r line; do
		case $line in
		".Sh COMMANDS") in_commands=1; continue ;;
		".Sh "*) in_commands=0; continue ;;
		esac
		[ "$in_commands" = 1 ] || continue
		case $line in
		".It Cm "*) ;;
		*) continue ;;
		esac
		cmd=${line#.It Cm }
		cmd=${cmd%% *}
		if [[ "$commands" != *$'\n'"$cmd"$'\n'* ]]; then
			echo "man/zxmem.1 documents '$cmd', which zxmem help --commands does not list" >&2
			return 1
		fi
	done <"$ROOT/man/zxmem.1"
}

@test "the README's first two commands set up zxmem and run its tests" {
	local line in_code=0 found=()
	while IFS= read -r line; do
		case $line in
		'```'*)
			if [ "$in_code" = 1 ]; then in_code=0; else in_code=1; fi
			continue ;;
		esac
		[ "$in_code" = 1 ] || continue
		line=${line#\$ }
		[[ -z "$line" || "$line" == \#* ]] && continue
		line=${line%%#*}
		line=${line%"${line##*[![:space:]]}"}
		found+=("$line")
		[ "${#found[@]}" -lt 2 ] || break
	done <"$ROOT/README.md"
	assert_equal "${found[0]-}" "./install.sh"
	assert_equal "${found[1]-}" "make check"
}
