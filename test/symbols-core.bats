#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Symbols, TLS and the bytes a core leaves out (SPEC §5 "Core file", §10),
# on real cores of test/helpers/symbols.c: one written by gcore and one
# written by the kernel (ulimit -c unlimited in this file's own directory;
# core_pattern is never changed).  setup_file makes both once; every test
# works on its own copies.

load test_helper/common
load test_helper/process
load test_helper/core

# _start_in DIR PROG: run DIR/PROG with DIR as its working directory and
# core dumps allowed; sets K_PID and K_OUT once it printed its ready line.
_start_in() {
	local dir=$1 prog=$2 i
	K_OUT=$dir/$prog.out
	(cd "$dir" && ulimit -c unlimited && exec "./$prog") >"$K_OUT" 2>&1 3>&- &
	K_PID=$!
	for ((i = 0; i < 2000; i++)); do
		grep -q '^ready ' "$K_OUT" 2>/dev/null && return 0
		kill -0 "$K_PID" 2>/dev/null || break
		sleep 0.01
	done
	echo "$prog did not start: $(cat "$K_OUT")" >&2
	return 1
}

# _gcore NAME PROG: a gcore core of DIR/PROG as NAME.core, its fields in
# NAME.env (T_*, CORE_PROG, the program's own copy under NAME/).
_gcore() {
	local name=$1 prog=$2 dir=$BATS_FILE_TMPDIR/$1
	mkdir -p "$dir"
	cp "$ZXMEM_TEST_BIN/$prog" "$dir/prog"
	_start_in "$dir" prog || return 1
	timeout 30 gcore -o "$dir/gcore" "$K_PID" >"$dir/gcore.log" 2>&1 3>&- || {
		kill -KILL "$K_PID"
		echo "gcore failed: $(cat "$dir/gcore.log")" >&2
		return 1
	}
	kill -KILL "$K_PID"
	wait "$K_PID" 2>/dev/null || true
	mv "$dir/gcore.$K_PID" "$BATS_FILE_TMPDIR/$name.core"
	_save_env "$name" "$dir"
}

# _kcore NAME PROG: the same, the core written by the kernel (SIGSEGV).
_kcore() {
	local name=$1 prog=$2 dir=$BATS_FILE_TMPDIR/$1 pattern
	pattern=$(cat /proc/sys/kernel/core_pattern)
	if [[ "$pattern" == "|"* ]]; then
		echo "core_pattern is a pipe ($pattern)" >"$BATS_FILE_TMPDIR/$name.skip"
		return 0
	fi
	mkdir -p "$dir"
	cp "$ZXMEM_TEST_BIN/$prog" "$dir/prog"
	_start_in "$dir" prog || return 1
	kill -SEGV "$K_PID"
	wait "$K_PID" 2>/dev/null || true
	local core
	for core in "$dir/$pattern" "$dir/$pattern.$K_PID"; do
		if [ -f "$core" ]; then
			mv "$core" "$BATS_FILE_TMPDIR/$name.core"
			_save_env "$name" "$dir"
			return 0
		fi
	done
	echo "the kernel wrote no core in $dir (core_pattern '$pattern')" \
		>"$BATS_FILE_TMPDIR/$name.skip"
}

_save_env() {
	local name=$1 dir=$2
	local line
	line=$(head -n 1 "$K_OUT")
	_parse_fields T_ "$line"
	{
		declare -p T_pid T_counter T_origin T_cfg T_rodata_msg T_tls_main \
			T_tls_thread T_thread_tid T_errno_main T_errno_thread
		printf 'CORE_PROG=%q\n' "$dir/prog"
	} | sed 's/^declare -- //' >"$BATS_FILE_TMPDIR/$name.env"
}

setup_file() {
	isolate_env "$BATS_FILE_TMPDIR"
	command -v gcore >/dev/null || {
		echo "gcore (gdb) is needed to make core files" >&2
		return 1
	}
	find_core_python
	_gcore gcore symbols
	_kcore kernel symbols
	_gcore noid symbols-noid
}

setup() {
	common_setup
}

teardown() {
	if [ -n "${RESTORE_FROM-}" ]; then
		cp "$RESTORE_FROM" "$RESTORE_TO.tmp" && mv "$RESTORE_TO.tmp" "$RESTORE_TO"
	fi
	process_teardown
	common_teardown
}

# use_symcore NAME: CORE is a copy of NAME's core; T_* and CORE_PROG set.
use_symcore() {
	if [ -f "$BATS_FILE_TMPDIR/$1.skip" ]; then
		skip "$(cat "$BATS_FILE_TMPDIR/$1.skip")"
	fi
	# shellcheck disable=SC1090
	source "$BATS_FILE_TMPDIR/$1.env"
	CORE=$BATS_TEST_TMPDIR/$1.core
	cp --sparse=always "$BATS_FILE_TMPDIR/$1.core" "$CORE"
}

# check_core NAME: symbols, TLS in both threads, and file-backed bytes.
check_core() {
	use_symcore "$1"
	local sym want
	for sym in counter origin cfg rodata_msg; do
		want=T_$sym
		run_zxmem process-symbol "$CORE" "$sym" || return 1
		assert_equal "$((output))" "$((${!want}))" || return 1
	done
	run_zxmem process-read-memory "$CORE" counter 4 --format i32
	assert_output 7
	# TLS: the leader by default, or the thread --thread names
	# (NT_PRSTATUS's thread pointer).
	run_zxmem process-symbol "$CORE" tls_counter
	assert_equal "$((output))" "$((T_tls_main))"
	run_zxmem process-read-memory "$CORE" tls_counter 4 --format i32
	assert_output 100
	run_zxmem process-symbol "$CORE" tls_counter --thread "$T_thread_tid"
	assert_equal "$((output))" "$((T_tls_thread))"
	run_zxmem process-read-memory "$CORE" tls_counter 4 --format i32 --thread "$T_thread_tid"
	assert_output 200
	run_zxmem process-symbol "$CORE" errno
	assert_equal "$((output))" "$((T_errno_main))"
	run_zxmem process-symbol "$CORE" errno --thread "$T_thread_tid"
	assert_equal "$((output))" "$((T_errno_thread))"
	run_zxmem -25 process-symbol "$CORE" tls_counter --thread 1
	assert_zx_error ZX_ERR_NOT_FOUND
	# The core leaves out read-only file data: read from the program file.
	run_zxmem process-read-memory "$CORE" rodata_msg 17 --format raw
	assert_output "read-only message"
	run_zxmem process-maps "$CORE"
	assert_equal "$(map_line_of "$T_rodata_msg")" \
		"$(map_line_of "$T_rodata_msg" | grep " $CORE_PROG from file\$")"
	# Reverse lookup in the core.
	run_zxmem process-symbol "$CORE" "$(hexaddr "T_origin + 4")"
	assert_output "origin+4 ($CORE_PROG)"
}

@test "core symbols: globals, TLS per thread and file bytes in a gcore core" {
	check_core gcore
}

@test "core symbols: globals, TLS per thread and file bytes in a kernel-written core" {
	check_core kernel
}

# check_no_write NAME: a write into bytes that come from the file is
# NOT_SUPPORTED, changes neither the core nor the file.
check_no_write() {
	use_symcore "$1"
	enable_debugging
	cp "$CORE_PROG" "$BATS_TEST_TMPDIR/prog.before"
	run_zxmem -2 process-write-memory "$CORE" rodata_msg --string X
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	[[ "$stderr" == *"is not in core $CORE"*"read from $CORE_PROG"*"cannot grow in place"* ]] ||
		fail "$stderr"
	assert_same_file "$CORE" "$BATS_FILE_TMPDIR/$1.core"
	assert_same_file "$CORE_PROG" "$BATS_TEST_TMPDIR/prog.before"
	# Bytes that are in the core are written as before.
	run_zxmem process-write-memory "$CORE" counter --i32 8
	assert_output 4
	run_zxmem process-read-memory "$CORE" counter 4 --format i32
	assert_output 8
}

@test "core symbols: a write into bytes the core lacks is NOT_SUPPORTED (gcore)" {
	check_no_write gcore
}

@test "core symbols: a write into bytes the core lacks is NOT_SUPPORTED (kernel)" {
	check_no_write kernel
}

# check_rebuilt NAME: the program was rebuilt after the crash (another
# build-id at the same path): none of its bytes or symbols are used.
check_rebuilt() {
	use_symcore "$1"
	local saved=$BATS_TEST_TMPDIR/prog.orig
	cp "$CORE_PROG" "$saved"
	# Put back by teardown whatever happens: setup_file's copy is shared.
	RESTORE_FROM=$saved RESTORE_TO=$CORE_PROG
	cp "$ZXMEM_TEST_BIN/symbols-nopie" "$CORE_PROG.new"
	mv "$CORE_PROG.new" "$CORE_PROG"
	run_zxmem -14 process-read-memory "$CORE" "$T_rodata_msg" 4
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem process-maps "$CORE"
	[[ "$(map_line_of "$T_rodata_msg")" == *" $CORE_PROG missing ($CORE_PROG has another build-id than the core records for it (it was rebuilt or replaced))" ]] ||
		fail "$(map_line_of "$T_rodata_msg")"
	run_zxmem -25 process-symbol "$CORE" counter
	assert_zx_error ZX_ERR_NOT_FOUND
	[[ "$stderr" == *"another build-id"* ]] || fail "$stderr"
	# --exe naming the right build makes both come back.
	run_zxmem process-read-memory "$CORE" rodata_msg 17 --format raw --exe "$saved"
	assert_output "read-only message"
}

@test "core symbols: a rebuilt program (other build-id) is not used (gcore)" {
	check_rebuilt gcore
}

@test "core symbols: a rebuilt program (other build-id) is not used (kernel)" {
	check_rebuilt kernel
}

@test "core symbols: a file without build-id is used while its size still fits" {
	use_symcore noid
	run_zxmem process-read-memory "$CORE" rodata_msg 17 --format raw
	assert_output "read-only message"
	local saved=$BATS_TEST_TMPDIR/prog.orig
	cp "$CORE_PROG" "$saved"
	RESTORE_FROM=$saved RESTORE_TO=$CORE_PROG
	truncate -s 4096 "$CORE_PROG"
	run_zxmem -14 process-read-memory "$CORE" "$T_rodata_msg" 4
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem process-maps "$CORE"
	[[ "$(map_line_of "$T_rodata_msg")" == *" missing ($CORE_PROG is shorter than when the core was made (4096 bytes, but the core maps "*")" ]] ||
		fail "$(map_line_of "$T_rodata_msg")"
}
