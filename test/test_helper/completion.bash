# SPDX-License-Identifier: GPL-3.0-or-later
# Drive the shell completions in completions/ through each shell's own
# machinery, with $ZXMEM first in PATH as "zxmem". Load after
# test_helper/common; $ROOT is the source tree.

# bash_complete WORD...: source completions/zxmem.bash in a bash of its own
# and call the function `complete -p zxmem` names, as bash does for Tab on
# the command line `zxmem WORD...` (the last WORD is being completed; "="
# must be a word of its own, as bash splits it). Prints `complete -p zxmem`,
# then COMPREPLY, one entry a line; the compopt calls go to
# $BATS_TEST_TMPDIR/compopt.
bash_complete() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$ZXMEM" "$BATS_TEST_TMPDIR/bin/zxmem"
	: >"$BATS_TEST_TMPDIR/compopt"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH" bash -c '
		log=$1
		compopt() { printf "%s\n" "$*" >>"$log"; }
		source "$2"; shift 2
		spec=$(complete -p zxmem) || exit 1
		[[ $spec =~ -F\ ([^ ]+) ]] || exit 1
		echo "$spec"
		COMP_WORDS=(zxmem "$@")
		COMP_CWORD=$#
		COMP_LINE="zxmem"
		for w in "$@"; do
			case $w in
			=) COMP_LINE+="=" ;;
			*) [[ $COMP_LINE == *= ]] && COMP_LINE+=$w || COMP_LINE+=" $w" ;;
			esac
		done
		COMP_POINT=${#COMP_LINE}
		"${BASH_REMATCH[1]}"
		printf "%s\n" "${COMPREPLY[@]}"
	' bash "$BATS_TEST_TMPDIR/compopt" "$ROOT/completions/zxmem.bash" "$@" 3>&-
}

# fish_complete LINE: what fish's own `complete -C LINE` offers with
# completions/zxmem.fish loaded ("WORD<TAB>DESCRIPTION" lines).
fish_complete() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$ZXMEM" "$BATS_TEST_TMPDIR/bin/zxmem"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH" fish --no-config -c \
	    'source $argv[1]; complete -C $argv[2]' \
	    "$ROOT/completions/zxmem.fish" "$1" 3>&-
}

# zsh_complete LINE: what zsh's completion system (compinit, with
# completions/ first in fpath) offers for Tab after LINE in an interactive
# zsh on a pseudo-terminal (test/helpers/zshcomp.zsh).
zsh_complete() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$ZXMEM" "$BATS_TEST_TMPDIR/bin/zxmem"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH" zsh -f \
	    "$ROOT/test/helpers/zshcomp.zsh" "$ROOT/completions" "$1" 3>&-
}
