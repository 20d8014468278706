#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Issue 10: faults and hostile input. Each test stages the fault (a crafted
# script, a planted file, strace's -e inject to kill or pause zxmem at one
# exact system call) and checks what the user sees afterwards.

load test_helper/common

setup() {
	common_setup
	SCRIPT=$BATS_TEST_TMPDIR/script.zx
}

# traced STRACE-ARGS... -- ZXMEM-ARGS...: run zxmem under strace (which
# stages the fault) with status, output and stderr as run sets them.
# LeakSanitizer cannot work under a tracer, so an ASan build runs without it.
traced() {
	local st=()
	while [ "$1" != -- ]; do
		st+=("$1")
		shift
	done
	shift
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		run --separate-stderr timeout 60 strace -o /dev/null "${st[@]}" \
		"$ZXMEM" "$@" 3>&-
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

# --- the namespace directory and its records -----------------------------

# koid_of NAME: the koid handle-list shows for NAME.
koid_of() {
	"$ZXMEM" handle-list 3>&- | awk -v n="$1" '$1 == n { print $2 }'
}

@test "a symlinked namespace directory is refused however it is spelled" {
	local real=$BATS_TEST_TMPDIR/real link=$BATS_TEST_TMPDIR/link d
	mkdir -m 700 "$real"
	ln -s "$real" "$link"
	for d in "$link" "$link/" "$link/." "$link//./" "$link/./."; do
		run_zxmem -30 --runtime-dir "$d" vmo-create 4096 --name x || return 1
		assert_zx_error ZX_ERR_ACCESS_DENIED
		[[ "$stderr" == *"is a symbolic link or not a directory; refusing it"* ]] || return 1
	done
	ZXMEM_RUNTIME_DIR="$link/." run_zxmem -30 handle-list
	run_zxmem -30 --runtime-dir "$real/sub/.." handle-list
	[[ "$stderr" == *"name the directory itself, not '..'"* ]]
	[ -z "$(ls -A "$real")" ]

	# the real directory, spelled any way, is one namespace
	run_zxmem --runtime-dir "$real/." vmo-create 4096 --name x
	run_zxmem --runtime-dir "$real//" vmo-get-size x
	assert_output 4096
	(cd "$real" && run_zxmem --runtime-dir . vmo-get-size x && [ "$output" = 4096 ])
	run_zxmem --runtime-dir "$real" reset
}

@test "a FIFO, directory or symlink at kernel.conf is skipped with a warning, never hangs" {
	local conf=$XDG_CONFIG_HOME/zxmem/kernel.conf
	mkdir -p "${conf%/*}"
	mkfifo "$conf"
	run_zxmem -2 process-write-memory $$ 0x1000 x
	assert_equal "${stderr%%$'\n'*}" "zxmem: warning: $conf: not a regular file; ignored"
	[[ "${stderr##*$'\n'}" == "zxmem: process-write-memory: ZX_ERR_NOT_SUPPORTED: "* ]]
	rm "$conf"

	mkdir "$conf"
	run_zxmem -2 process-write-memory $$ 0x1000 x
	assert_equal "${stderr%%$'\n'*}" "zxmem: warning: $conf: a directory; ignored"
	rmdir "$conf"

	echo kernel.enable-debugging-syscalls=true >"$BATS_TEST_TMPDIR/planted.conf"
	ln -s "$BATS_TEST_TMPDIR/planted.conf" "$conf"
	run_zxmem -2 process-write-memory $$ 0x1000 x
	assert_equal "${stderr%%$'\n'*}" \
		"zxmem: warning: $conf: a symbolic link; ignored (the file itself must be there)"
	rm "$conf"
	cp "$BATS_TEST_TMPDIR/planted.conf" "$conf"
	run_zxmem -4 process-write-memory $$ 0 x   # the gate is open: address 0 is no mapping
	assert_zx_error ZX_ERR_NO_MEMORY
}

@test "a FIFO or symlink in place of a namespace record never hangs a command" {
	run_zxmem vmo-create 4096 --name buf
	local koid rec
	koid=$(koid_of buf)
	rec=$ZXMEM_RUNTIME_DIR/o/$koid
	cp "$rec" "$BATS_TEST_TMPDIR/saved"

	mkfifo "$ZXMEM_RUNTIME_DIR/h/pipe"
	run_zxmem handle-list
	assert_line --regexp '^pipe .* gone$'
	assert_line --regexp '^buf .* 4096$'
	run_zxmem -40 vmo-get-size pipe
	assert_zx_error ZX_ERR_IO
	[[ "$stderr" == *"its record h/pipe is not a regular file; run 'zxmem reset'"* ]]
	ln -s "$ZXMEM_RUNTIME_DIR/h/buf" "$ZXMEM_RUNTIME_DIR/h/alias"
	run_zxmem -40 vmo-get-size alias
	[[ "$stderr" == *"its record h/alias is a symbolic link"* ]]

	rm "$rec"
	mkfifo "$rec"
	run_zxmem -11 vmo-get-size buf
	assert_zx_error ZX_ERR_BAD_HANDLE
	[[ "$stderr" == *"is gone: its record o/$koid is damaged (not a regular file)"* ]]
	rm "$rec"
	ln -s "$BATS_TEST_TMPDIR/saved" "$rec"
	run_zxmem -11 vmo-get-size buf
	[[ "$stderr" == *"its record o/$koid is damaged (a symbolic link)"* ]]
	rm "$rec"
	cp "$BATS_TEST_TMPDIR/saved" "$rec"
	run_zxmem vmo-get-size buf
	assert_output 4096
}

@test "a damaged object record is not reported as an exited holder" {
	run_zxmem vmo-create 4096 --name buf
	local koid rec
	koid=$(koid_of buf)
	rec=$ZXMEM_RUNTIME_DIR/o/$koid
	cp "$rec" "$BATS_TEST_TMPDIR/saved"

	sed -i 's/^holder=.*/holder=1/' "$rec"
	run_zxmem -11 vmo-get-size buf
	assert_equal "$stderr" "zxmem: vmo-get-size: ZX_ERR_BAD_HANDLE: the VMO behind handle 'buf' (koid $koid) is gone: its record o/$koid is damaged (no holder=PID of a holder process); run 'zxmem reset' to clear the namespace"
	printf 'garbage\n\001\002' >"$rec"
	run_zxmem -11 vmo-get-size buf
	[[ "$stderr" == *"its record o/$koid is damaged (no holder=PID of a holder process)"* ]]
	sed "s/^holder=.*/holder=$$/" "$BATS_TEST_TMPDIR/saved" >"$rec"
	run_zxmem -11 vmo-get-size buf
	[[ "$stderr" == *"process $$, which its record names, does not hold it"* ]]
	[[ "$stderr" != *exited* ]]
	cp "$BATS_TEST_TMPDIR/saved" "$rec"
	run_zxmem vmo-get-size buf
	assert_output 4096
}

# --- interrupted and paused commands -------------------------------------

@test "temporary records of a killed command are removed by reset" {
	run_zxmem vmo-create 4096 --name buf
	# SIGKILL as handle-duplicate links its record into place
	traced -e trace=linkat -e inject=linkat:signal=KILL -- \
		handle-duplicate buf --name dup
	assert_equal "$status" 137
	run ls -A "$ZXMEM_RUNTIME_DIR"
	assert_output --regexp '(^|'$'\n'')\.tmp\.[0-9]+\.[0-9]+'
	run_zxmem -11 vmo-get-size dup
	run_zxmem reset
	run ls -A "$ZXMEM_RUNTIME_DIR"
	refute_output --partial .tmp.
}

@test "a temporary record left under our PID does not make a create fail" {
	run_zxmem handle-list   # the namespace exists
	# The PID of a killed zxmem comes back: its leftover .tmp.PID.0 is
	# in the way of this process's first record.
	run --separate-stderr bash -c 'touch "$ZXMEM_RUNTIME_DIR/.tmp.$$.0" &&
		exec ${ZXMEM_WRAPPER-} "$ZXMEM" vmo-create 4096 --name again' 3>&-
	assert_success
	assert_output again
	run_zxmem vmo-get-size again
	assert_output 4096
	run ls -A "$ZXMEM_RUNTIME_DIR"
	refute_output --partial .tmp.
}

no_holders() { [ -z "$(holders_of "$ZXMEM_RUNTIME_DIR")" ]; }
no_objects() { [ -z "$(ls -A "$ZXMEM_RUNTIME_DIR/o")" ]; }
holder_count() { holders_of "$ZXMEM_RUNTIME_DIR" | wc -l; }
object_count() { ls "$ZXMEM_RUNTIME_DIR/o" | wc -l; }

@test "a holder ends when its creator is killed before the handle is linked" {
	run_zxmem vmo-create 4096 --name keep
	# killed after the object record is written, as the handle is linked
	traced -e trace=linkat -e inject=linkat:signal=KILL -- \
		vmo-create 4096 --name lost
	assert_equal "$status" 137
	poll output_is 1 holder_count
	poll output_is 1 object_count
	# killed before any record: the holder ends too
	traced -e trace=renameat -e inject=renameat:signal=KILL -- \
		vmo-create 4096 --name lost
	assert_equal "$status" 137
	poll output_is 1 holder_count
	run_zxmem handle-list
	assert_output --regexp '^keep [0-9]+ vmo .* 4096$'
	run_zxmem vmo-get-size keep
	run_zxmem -11 vmo-get-size lost
}

@test "an object left by a handle-close killed part way is collected by handle-list" {
	run_zxmem vmo-create 4096 --name gone
	run_zxmem vmo-create 4096 --name stays
	# killed after the handle is unlinked, before its holder is ended
	traced -e trace=pidfd_open -e inject=pidfd_open:signal=KILL -- \
		handle-close gone
	assert_equal "$status" 137
	[ "$(holders_of "$ZXMEM_RUNTIME_DIR" | wc -l)" -eq 2 ]
	run_zxmem handle-list
	assert_output --regexp '^stays [0-9]+ vmo .* 4096$'
	[ "$(holders_of "$ZXMEM_RUNTIME_DIR" | wc -l)" -eq 1 ]
	[ "$(ls "$ZXMEM_RUNTIME_DIR/o" | wc -l)" -eq 1 ]
	run_zxmem vmo-get-size stays
}

@test "a vmo-create paused for seconds still leaves a live VMO" {
	# 3 s inside vmo-create, after the holder starts and before the
	# object record is in place (Ctrl-Z, a debugger, swapping)
	traced -e trace=renameat -e inject=renameat:delay_enter=3000000 -- \
		vmo-create 4096 --name slow
	assert_success
	assert_output slow
	run_zxmem vmo-write slow 0 hi
	run_zxmem vmo-read slow 0 2 --format string
	assert_output hi
	[ "$(holders_of "$ZXMEM_RUNTIME_DIR" | wc -l)" -eq 1 ]
}
