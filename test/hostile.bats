#!/usr/bin/env bats
# Issue 10: faults and hostile input. Each test stages the fault (a crafted
# script, a planted file, strace's -e inject to kill or pause zxmem at one
# exact system call) and checks what the user sees afterwards.

load test_helper/common

setup() {
	common_setup
	SCRIPT=$BATS_TEST_TMPDIR/script.zx
}

# --- batch scripts -------------------------------------------------------

@test "--file naming standard input is refused while the batch reads it" {
	printf 'vmo-create 4096 --name in\nvmo-write in 0 --file %s\nvmo-create 4096 --name after\n' \
		/dev/stdin >"$SCRIPT"
	run --separate-stderr timeout 60 "$ZXMEM" batch <"$SCRIPT" 3>&-
	assert_equal "$status" 64
	assert_equal "${stderr%%$'\n'*}" \
		"-:2: zxmem: vmo-write: --file: '/dev/stdin' is standard input, which holds the batch itself"
	# the script was not eaten: nothing was written, and line 3 never ran
	run_zxmem vmo-read in 0 4 --format hex
	assert_output 00000000
	run_zxmem -11 vmo-get-size after

	# the script's own path is the same file as standard input too
	printf 'vmo-write in 0 --file %s\n' "$SCRIPT" >"$SCRIPT"
	run --separate-stderr timeout 60 "$ZXMEM" batch - <"$SCRIPT" 3>&-
	assert_equal "$status" 64
	[[ "$stderr" == *"is standard input, which holds the batch itself"* ]]
	# from a pipe, /proc/self/fd/0 names the pipe
	run --separate-stderr bash -c 'printf "vmo-write in 0 --file /proc/self/fd/0\nvmo-write in 0 XX\n" |
		timeout 60 "$ZXMEM" batch' 3>&-
	assert_equal "$status" 64
	run_zxmem vmo-read in 0 4 --format hex
	assert_output 00000000
}

@test "a CRLF script runs; backslash before CRLF continues the line" {
	printf 'vmo-create 4096 --name crlf\r\nvmo-write crlf 0 \\\r\n  hi\r\nvmo-read crlf 0 3 --format hex\r\n' >"$SCRIPT"
	run_zxmem batch "$SCRIPT"
	assert_equal "${lines[0]}" crlf
	assert_equal "${lines[1]}" 686900
	assert_equal "${#lines[@]}" 2
}

@test "a NUL byte inside a script line is a usage error at its line" {
	printf 'vmo-create 4096 --name a\0b\nvmo-create 4096 --name next\n' >"$SCRIPT"
	run_zxmem -64 batch "$SCRIPT"
	assert_equal "$stderr" "$SCRIPT:1: zxmem: a NUL byte at column 25: a script is text"
	run_zxmem -11 vmo-get-size a
	run_zxmem -11 vmo-get-size next
	# --keep-going runs on past it
	run_zxmem -64 batch --keep-going "$SCRIPT"
	run_zxmem vmo-get-size next
	assert_output 4096
}

# --- messages ------------------------------------------------------------

@test "error messages show control bytes as escapes and cut a huge word" {
	run_zxmem -64 vmo-create $'1\e[2J\a'
	assert_equal "${stderr%%$'\n'*}" \
		"zxmem: vmo-create: SIZE: '1\\033[2J\\a': not a number (decimal, 0x hex, optional K M G T)"
	run_zxmem -64 $'vmo\x01-create'
	assert_equal "$stderr" "zxmem: 'vmo\\001-create' is not a zxmem command; did you mean 'vmo-create'?"
	printf 'vmo-get-size \033]0;owned\a\n' >"$SCRIPT"
	run_zxmem -11 batch "$SCRIPT"
	[[ "$stderr" == *"no handle named '\\033]0;owned\\a'"* ]]
	[[ "$stderr" != *$'\e'* ]]

	# A 100 kB word (argv's limit is 128 kB a word) is cut, and the rest
	# of the message survives.
	local big
	big=$(head -c 100000 /dev/zero | tr '\0' x)
	run_zxmem -64 "--$big"
	assert_equal "${stderr%%$'\n'*}" \
		"zxmem: unknown option '--$(printf '%.62s' "$big")... (100002 bytes)'"
	run_zxmem -64 vmo-create 4096 --name "$big"
	[[ "${stderr%%$'\n'*}" == *"... (100000 bytes)' is not a handle name ([A-Za-z_][A-Za-z0-9_.-]{0,63})" ]]
	run_zxmem -64 "$big"
	[ "${#stderr}" -lt 200 ]
}
