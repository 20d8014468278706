#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# `zxmem __complete WORDS... CUR` and the shell scripts in completions/ that
# wrap it.

load test_helper/common

ROOT="$BATS_TEST_DIRNAME/.."

# assert_candidate WORD: WORD is one of the lines of $output.
assert_candidate() {
	if [[ $'\n'$output$'\n' != *$'\n'"$1"$'\n'* ]]; then
		echo "'$1' is not among the candidates: $output" >&2
		return 1
	fi
}

# assert_all_start_with PREFIX: every line of $output starts with PREFIX.
assert_all_start_with() {
	local line
	for line in "${lines[@]}"; do
		if [[ "$line" != "$1"* ]]; then
			echo "candidate '$line' does not start with '$1'" >&2
			return 1
		fi
	done
}

# bash_complete WORD...: drive completions/zxmem.bash's _zxmem for the command
# line `zxmem WORD...` (the last WORD is being completed), with the
# `complete` builtin stubbed out; prints what `complete` was called with,
# then COMPREPLY, one entry a line.
bash_complete() {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$ZXMEM" "$BATS_TEST_TMPDIR/bin/zxmem"
	PATH="$BATS_TEST_TMPDIR/bin:$PATH" bash -c '
		complete() { printf "complete %s\n" "$*"; }
		source "$1"; shift
		COMP_WORDS=(zxmem "$@")
		COMP_CWORD=$#
		COMP_LINE="zxmem $*"
		COMP_POINT=${#COMP_LINE}
		_zxmem
		printf "%s\n" "${COMPREPLY[@]}"
	' bash "$ROOT/completions/zxmem.bash" "$@" 3>&-
}

@test "__complete lists the commands for an empty word" {
	run_zxmem __complete ""
	assert_candidate vmo-create
	assert_candidate vmo-read
	assert_candidate process-write-memory
	assert_candidate help
}

@test "__complete filters commands by prefix" {
	run_zxmem __complete vmo-r
	assert_output vmo-read
	run_zxmem __complete process-
	assert_candidate process-maps
	assert_candidate process-symbol
	assert_all_start_with process-
}

@test "__complete offers nothing for a prefix no command has" {
	run_zxmem __complete no-such-
	assert_output ""
}

@test "__complete lists global options and skips them before the command" {
	run_zxmem __complete --js
	assert_output --json
	run_zxmem __complete -j vmo-r
	assert_output vmo-read
	run_zxmem __complete -k kernel.enable-debugging-syscalls=true process-wr
	assert_output process-write-memory
}

@test "__complete lists a command's options" {
	run_zxmem __complete vmo-read buf 0 16 --f
	assert_candidate --format
	assert_all_start_with --f
	run_zxmem __complete vmo-create 4096 --
	assert_candidate --resizable
	assert_candidate --name
	run_zxmem __complete vmo-write buf 0 --u3
	assert_candidate --u32
}

@test "__complete lists the formats after --format" {
	run_zxmem __complete vmo-read buf 0 16 --format ""
	local f
	for f in hexdump raw hex u8 u16 u32 u64 i8 i16 i32 i64 f32 f64 string value; do
		assert_candidate "$f" || return 1
	done
	run_zxmem __complete process-read-memory 1 0x1000 16 --format u
	assert_candidate u8
	assert_candidate u64
	assert_all_start_with u
}

@test "__complete offers [heap] and [stack] after process-find --in" {
	run_zxmem __complete process-find 1 --u32 5 --in ""
	assert_candidate "[heap]"
	assert_candidate "[stack]"
	run_zxmem __complete process-find 1 --wr
	assert_output --writable
	run_zxmem __complete process-watch 1 counter 4 --ti
	assert_output --timeout
}

@test "__complete lists the handles of the namespace" {
	run_zxmem vmo-create 4096 --name alpha
	run_zxmem vmo-create 4096 --name beta
	run_zxmem __complete vmo-read al
	assert_output alpha
	run_zxmem __complete vmo-get-size ""
	assert_candidate alpha
	assert_candidate beta
	run_zxmem __complete handle-close alpha ""
	assert_candidate beta
}

@test "completions/zxmem.bash registers _zxmem and fills COMPREPLY" {
	run_zxmem vmo-create 4096 --name alpha

	run bash_complete ""
	assert_success
	assert_line --index 0 "complete -F _zxmem zxmem"
	assert_line vmo-create
	assert_line process-maps

	run bash_complete vmo-r
	assert_success
	assert_output $'complete -F _zxmem zxmem\nvmo-read'

	run bash_complete vmo-read al
	assert_success
	assert_output $'complete -F _zxmem zxmem\nalpha'

	run bash_complete vmo-read alpha 0 16 --format he
	assert_success
	assert_line hexdump
	assert_line hex
	refute_line raw
}

@test "completions/zxmem.bash glues back words bash split at '='" {
	mkdir -p "$BATS_TEST_TMPDIR/bin"
	ln -sf "$ZXMEM" "$BATS_TEST_TMPDIR/bin/zxmem"
	# What bash itself passes for "zxmem -k kernel.enable-debugging-syscalls=true process-w".
	run env PATH="$BATS_TEST_TMPDIR/bin:$PATH" bash -c '
		complete() { :; }
		source "$1"
		COMP_WORDS=(zxmem -k kernel.enable-debugging-syscalls = true process-wr)
		COMP_CWORD=5
		COMP_LINE="zxmem -k kernel.enable-debugging-syscalls=true process-wr"
		COMP_POINT=${#COMP_LINE}
		_zxmem
		printf "%s\n" "${COMPREPLY[@]}"
	' bash "$ROOT/completions/zxmem.bash" 3>&-
	assert_success
	assert_output process-write-memory
}

@test "completions/zxmem.bash completes nothing when nothing matches" {
	run bash_complete no-such-
	assert_success
	assert_output "complete -F _zxmem zxmem"
}
