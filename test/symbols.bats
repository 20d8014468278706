#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Symbols through elfutils (SPEC §2 VADDR, §10): the test programs
# test/helpers/symbols.c (built with -g, without -g, stripped, split with
# its debug file beside it) and test/helpers/cxx/game.cpp, run for real.
# What a user sees is checked against what the program says of itself.

load test_helper/common
load test_helper/process

setup() {
	common_setup
}

teardown() {
	if [ -n "${TRACER-}" ]; then
		kill "$TRACER" 2>/dev/null || true
		wait "$TRACER" 2>/dev/null || true
	fi
	if [ -n "${DEBUG_PLANTED-}" ]; then
		rm -f "$DEBUG_PLANTED"
		rmdir -p "${DEBUG_PLANTED%/*}" 2>/dev/null || true
	fi
	process_teardown
	common_teardown
}

# json_is JSON: $output is exactly this JSON value (compared parsed).
json_is() {
	python3 -c '
import json, sys
got, want = json.loads(sys.argv[1]), json.loads(sys.argv[2])
if got != want:
    sys.exit("JSON differs:\n got:  %s\n want: %s" % (got, want))
' "$output" "$1"
}

# check_globals PROG: process-symbol gives each variable's address as the
# program printed it.
check_globals() {
	spawn_target "$1" || return 1
	local sym want
	for sym in counter origin color primes name config cfg rodata_msg; do
		want=T_$sym
		run_zxmem process-symbol "$TPID" "$sym" || return 1
		assert_equal "$((output))" "$((${!want}))" || return 1
	done
}

@test "symbols: globals of a -g program, PIE and non-PIE" {
	check_globals symbols
	check_globals symbols-nopie
}

@test "symbols: globals of a program built without -g (.symtab)" {
	check_globals symbols-nodebug
}

@test "symbols: a split program's symbols come from its .gnu_debuglink file" {
	local dir=$BATS_TEST_TMPDIR/split
	mkdir "$dir"
	cp "$ZXMEM_TEST_BIN/symbols-split" "$ZXMEM_TEST_BIN/symbols-split.debug" "$dir/"
	ZXMEM_TEST_BIN=$dir check_globals symbols-split
	# In the file's .debug/ directory too.
	mkdir "$dir/.debug"
	mv "$dir/symbols-split.debug" "$dir/.debug/"
	run_zxmem process-symbol "$TPID" counter
	assert_equal "$((output))" "$((T_counter))"
}

@test "symbols: a debug file with another build-id is not used" {
	local dir=$BATS_TEST_TMPDIR/split
	mkdir "$dir"
	cp "$ZXMEM_TEST_BIN/symbols-split" "$dir/"
	# The debug file of another build, under the name the link asks for.
	objcopy --only-keep-debug "$ZXMEM_TEST_BIN/symbols-nopie" "$dir/symbols-split.debug"
	ZXMEM_TEST_BIN=$dir spawn_target symbols-split
	run_zxmem -25 process-symbol "$TPID" counter
	assert_zx_error ZX_ERR_NOT_FOUND
	assert_output ""
	[[ "$stderr" == *"symbols-split is stripped and no debug file was found"* ]] ||
		fail "no note about the stripped object: $stderr"
}

@test "symbols: a stripped program with no debug file says so in NOT_FOUND" {
	spawn_target symbols-stripped
	run_zxmem -25 process-symbol "$TPID" counter
	assert_zx_error ZX_ERR_NOT_FOUND
	[[ "$stderr" == *"no symbol 'counter'"*"symbols-stripped is stripped and no debug file was found"* ]] ||
		fail "message does not say the program is stripped: $stderr"
	# Its libraries' .dynsym still answer.
	run_zxmem process-symbol "$TPID" 'libc.so.6!printf'
	assert_output --regexp '^0x[0-9a-f]+$'
	# A program with its .symtab is not called stripped.
	spawn_target symbols-nodebug
	run_zxmem -25 process-symbol "$TPID" no_such_symbol
	[[ "$stderr" != *stripped* ]] || fail "wrongly called stripped: $stderr"
}

# issue 10 item 1: the object files of a process are opened through
# /proc/PID (map_files, exe), never blocking, regular files only: a FIFO
# planted where maps names a deleted file must not hang zxmem.
@test "symbols: a FIFO at a deleted object's path does not hang the lookup" {
	local dir=$BATS_TEST_TMPDIR/gone
	mkdir "$dir"
	cp "$ZXMEM_TEST_BIN/symbols" "$dir/prog"
	ZXMEM_TEST_BIN=$dir spawn_target prog
	rm "$dir/prog"
	mkfifo "$dir/prog (deleted)"
	grep -qF "$dir/prog (deleted)" "/proc/$TPID/maps" || fail "maps: $(cat "/proc/$TPID/maps")"
	run_zxmem -25 process-symbol "$TPID" no_such_symbol
	assert_zx_error ZX_ERR_NOT_FOUND
	# The deleted program's own symbols are still found (map_files, exe).
	run_zxmem process-symbol "$TPID" counter
	assert_equal "$((output))" "$((T_counter))"
}

# A regular file put at the path of a deleted object is not read either:
# it is not the inode that is mapped.
@test "symbols: a file replacing a mapped object is not taken for it" {
	local dir=$BATS_TEST_TMPDIR/swap
	mkdir "$dir"
	cp "$ZXMEM_TEST_BIN/symbols" "$dir/prog"
	ZXMEM_TEST_BIN=$dir spawn_target prog
	# A different program under the same name: the old inode stays mapped.
	cp "$ZXMEM_TEST_BIN/symbols-nopie" "$dir/prog.new"
	mv "$dir/prog.new" "$dir/prog"
	run_zxmem process-symbol "$TPID" counter
	assert_equal "$((output))" "$((T_counter))"
}

# --- reverse lookup and listing (SPEC §4 process-symbol, process-symbols) ---

@test "symbols: process-symbol ADDRESS names the symbol holding it" {
	spawn_target symbols
	local prog
	prog=$(realpath "$ZXMEM_TEST_BIN/symbols")
	run_zxmem process-symbol "$TPID" "$(hexaddr "T_counter + 2")"
	assert_output "counter+2 ($prog)"
	run_zxmem process-symbol "$TPID" "$T_origin"
	assert_output "origin ($prog)"
	# Decimal works too, and padding after an object counts from it.
	run_zxmem process-symbol "$TPID" "$((T_counter + 4))"
	assert_output "counter+4 ($prog)"
	run_zxmem -j process-symbol "$TPID" "$(hexaddr "T_cfg + 5")"
	json_is '{"command": "process-symbol", "status": "ZX_OK",
		"address": "'"$(hexaddr "T_cfg + 5")"'", "symbol": "cfg", "symbol_offset": 5,
		"symbol_address": "'"$(hexaddr "T_cfg")"'", "size": 8, "kind": "object",
		"object": "'"$prog"'"}'
	# A function of a library: forward and back again.
	run_zxmem process-symbol "$TPID" 'libc.so.6!printf'
	run_zxmem process-symbol "$TPID" "$output"
	assert_output --regexp '^printf \(/.*libc\.so\.6\)$'
}

@test "symbols: process-symbol ADDRESS outside every object is NOT_FOUND" {
	spawn_target symbols
	run_zxmem -25 process-symbol "$TPID" 0x1000
	assert_zx_error ZX_ERR_NOT_FOUND
	[[ "$stderr" == *"no object file of process $TPID is mapped at 0x1000"* ]] ||
		fail "$stderr"
	# The heap belongs to no object either.
	local heap
	heap=$(awk '/\[heap\]/ { split($1, r, "-"); print "0x" r[1]; exit }' "/proc/$TPID/maps")
	[ -n "$heap" ] || skip "the program has no [heap] mapping"
	run_zxmem -25 process-symbol "$TPID" "$heap"
	assert_zx_error ZX_ERR_NOT_FOUND
}

@test "symbols: process-symbols lists address, size, kind, name and object" {
	spawn_target symbols
	local prog
	prog=$(realpath "$ZXMEM_TEST_BIN/symbols")
	run_zxmem process-symbols "$TPID" 'co*'
	assert_line --regexp "^$(printf '0x%012x' "$T_counter") +4 object counter ${prog//./\\.}\$"
	assert_line --regexp "^$(printf '0x%012x' "$T_config") +48 object config ${prog//./\\.}\$"
	refute_line --regexp " main "
	run_zxmem process-symbols "$TPID" 'tls_c*'
	assert_output --regexp "^tls\\+0x?0? +4 tls +tls_counter ${prog//./\\.}\$"
	run_zxmem process-symbols "$TPID" 'printf' --object libc.so.6
	assert_output --regexp '^0x[0-9a-f]{12} +[0-9]+ func +printf /.*libc\.so\.6$'
	run_zxmem -j process-symbols "$TPID" name --object symbols
	json_is '{"command": "process-symbols", "status": "ZX_OK", "symbols": [
		{"address": "'"$T_name"'", "size": 16, "kind": "object", "symbol": "name",
		 "object": "'"$prog"'"}]}'
	run_zxmem -25 process-symbols "$TPID" --object no_such_lib
	assert_zx_error ZX_ERR_NOT_FOUND
	# Nothing matching is an empty list, not an error.
	run_zxmem process-symbols "$TPID" 'no_such_*'
	assert_output ""
}

# --- TLS (SPEC §10: --thread TID; live: a brief ptrace stop) -------------

@test "symbols: a TLS variable in the main thread and in --thread TID" {
	spawn_target symbols
	run_zxmem process-symbol "$TPID" tls_counter
	assert_equal "$((output))" "$((T_tls_main))"
	run_zxmem process-symbol "$TPID" tls_counter --thread "$T_thread_tid"
	assert_equal "$((output))" "$((T_tls_thread))"
	run_zxmem process-symbol "$TPID" tls_counter --thread "$TPID"
	assert_equal "$((output))" "$((T_tls_main))"
	# A library's TLS (libc's errno), found through glibc's link_map.
	run_zxmem process-symbol "$TPID" errno
	assert_equal "$((output))" "$((T_errno_main))"
	run_zxmem process-symbol "$TPID" 'libc.so.6!errno' --thread "$T_thread_tid"
	assert_equal "$((output))" "$((T_errno_thread))"
	run_zxmem process-read-memory "$TPID" tls_counter 4 --format i32
	assert_output 100
	run_zxmem process-read-memory "$TPID" tls_counter 4 --format i32 --thread "$T_thread_tid"
	assert_output 200
	enable_debugging
	run_zxmem process-write-memory "$TPID" tls_counter --i32 222 --thread "$T_thread_tid"
	assert_output 4
	# The program runs on after the stop and sees the write in that thread only.
	target_report
	assert_equal "$R_tls_main" 100
	assert_equal "$R_tls_thread" 222
	assert_equal "$(awk '/^State:/ { print $2 }' "/proc/$T_thread_tid/status")" S
	assert_equal "$(awk '/^TracerPid:/ { print $2 }' "/proc/$T_thread_tid/status")" 0
}

@test "symbols: --thread that is no thread of the target is refused" {
	spawn_target symbols
	local other
	other=$(unused_pid)
	run_zxmem -25 process-symbol "$TPID" tls_counter --thread "$other"
	assert_zx_error ZX_ERR_NOT_FOUND
	[[ "$stderr" == *"process $TPID has no thread $other"* ]] || fail "$stderr"
	run_zxmem -64 process-symbol "$TPID" tls_counter --thread 0
	assert_usage_error --thread
	run_zxmem -64 process-read-memory "$TPID" tls_counter 4 --thread abc
	assert_usage_error --thread
}

# --- C++ (SPEC §10: names matched and printed demangled) ------------------

@test "symbols: C++ names, demangled or mangled" {
	spawn_target game
	local prog
	prog=$(realpath "$ZXMEM_TEST_BIN/game")
	run_zxmem process-symbol "$TPID" game::score
	assert_equal "$((output))" "$((T_score))"
	run_zxmem process-symbol "$TPID" _ZN4game5scoreE
	assert_equal "$((output))" "$((T_score))"
	run_zxmem process-symbol "$TPID" game::Player::count
	assert_equal "$((output))" "$((T_count))"
	run_zxmem process-symbol "$TPID" 'game::score_of(int)'
	assert_equal "$((output))" "$((T_score_of_int))"
	# std::string greeting is greeting[abi:cxx11] to the demangler.
	run_zxmem process-symbol "$TPID" greeting
	assert_output --regexp '^0x[0-9a-f]+$'
	run_zxmem process-symbol "$TPID" "$(hexaddr "T_score + 1")"
	assert_output "game::score+1 ($prog)"
	run_zxmem process-symbols "$TPID" 'game::*'
	assert_line --regexp "^$(printf '0x%012x' "$T_score") +4 object game::score "
	assert_line --regexp " func +game::score_of\\(char const\\*\\) "
	enable_debugging
	run_zxmem process-write-memory "$TPID" game::score --i32 99
	target_report
	assert_equal "$R_score" 99
}

@test "symbols: a C++ name that fits two overloads is ambiguous" {
	spawn_target game
	run_zxmem -10 process-symbol "$TPID" game::score_of
	assert_zx_error ZX_ERR_INVALID_ARGS
	[[ "$stderr" == *"game::score_of(int)"*  ]] || fail "$stderr"
	[[ "$stderr" == *"game::score_of(char const*)"* ]] || fail "$stderr"
}

# --- --exe (SPEC §5: a core's executable) --------------------------------

@test "symbols: --exe with a live process is a usage error" {
	spawn_target symbols
	run_zxmem -64 process-symbol "$TPID" counter --exe "$ZXMEM_TEST_BIN/symbols"
	assert_usage_error --exe
	run_zxmem -64 process-read-memory "$TPID" counter 4 --exe /bin/true
	assert_usage_error --exe
}

# --- completion (SPEC §8: Tab completes a target's symbol names) ---------

@test "symbols: __complete offers the target's symbol names for VADDR" {
	spawn_target symbols
	run_zxmem __complete process-read-memory "$TPID" cou
	assert_output counter
	run_zxmem __complete process-write-memory "$TPID" --u32 1 ori
	assert_output origin
	run_zxmem __complete process-symbol "$TPID" 'libc.so.6!mallo'
	assert_line 'libc.so.6!malloc'
	refute_line --regexp '^[^l]'
	run_zxmem __complete process-symbols "$TPID" tls_c
	assert_output tls_counter
	# A number, or a target that is gone, offers nothing.
	run_zxmem __complete process-read-memory "$TPID" 0x
	assert_output ""
	run_zxmem __complete process-read-memory "$(unused_pid)" cou
	assert_output ""
	spawn_target game
	run_zxmem __complete process-symbol "$TPID" game::sc
	assert_line game::score
	assert_line 'game::score_of(int)'
}

# issue 10 item 10, symbol files: object files are read with pread
# (ELF_C_READ), never mapped; a separate debug file, which elfutils maps,
# truncated while zxmem reads it ends the command as ZX_ERR_IO, not SIGBUS.
@test "symbols: object files are never mapped; a debug file cut short is IO, not SIGBUS" {
	load test_helper/stop
	local dir=$BATS_TEST_TMPDIR/split
	mkdir "$dir"
	cp "$ZXMEM_TEST_BIN/symbols-split" "$ZXMEM_TEST_BIN/symbols-split.debug" "$dir/"
	ZXMEM_TEST_BIN=$dir spawn_target symbols-split
	# LeakSanitizer cannot run under ptrace (SANITIZE=1 builds).
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -o "$BATS_TEST_TMPDIR/mmap.log" -P "$dir/symbols-split" \
		-e trace=mmap "$ZXMEM" process-symbol "$TPID" counter >/dev/null 3>&-
	run grep -c mmap "$BATS_TEST_TMPDIR/mmap.log"
	assert_output 0
	# zxmem stops as elfutils is about to map the debug file, which then
	# shrinks to nothing.
	zxmem_stop_at "$dir/symbols-split.debug" "mmap:when=1" process-symbol "$TPID" counter
	truncate -s 0 "$dir/symbols-split.debug"
	zxmem_resume -40
	assert_zx_error ZX_ERR_IO
	[[ "$stderr" == *"truncated"* ]] || fail "$stderr"
}

# SPEC §10: debug files under /usr/lib/debug, by build-id and by the
# .gnu_debuglink name under the object's own directory.  Needs write access
# there (root); what is put there is removed by teardown.
@test "symbols: debug files under /usr/lib/debug, by build-id and by debuglink" {
	[ -w /usr/lib/debug ] || mkdir -p /usr/lib/debug 2>/dev/null ||
		skip "needs write access to /usr/lib/debug"
	local dir=$BATS_TEST_TMPDIR/alone id
	mkdir "$dir"
	cp "$ZXMEM_TEST_BIN/symbols-split" "$dir/"
	ZXMEM_TEST_BIN=$dir spawn_target symbols-split
	run_zxmem -25 process-symbol "$TPID" counter
	assert_zx_error ZX_ERR_NOT_FOUND

	id=$(readelf -n "$dir/symbols-split" | awk '/Build ID:/ { print $3 }')
	[ ${#id} -ge 4 ] || fail "no build-id: $id"
	DEBUG_PLANTED=/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
	mkdir -p "${DEBUG_PLANTED%/*}"
	cp "$ZXMEM_TEST_BIN/symbols-split.debug" "$DEBUG_PLANTED"
	run_zxmem process-symbol "$TPID" counter
	assert_equal "$((output))" "$((T_counter))"
	rm "$DEBUG_PLANTED"

	# /usr/lib/debug + the object's directory + the debuglink name.
	DEBUG_PLANTED=/usr/lib/debug$dir/symbols-split.debug
	mkdir -p "/usr/lib/debug$dir"
	cp "$ZXMEM_TEST_BIN/symbols-split.debug" "$DEBUG_PLANTED"
	run_zxmem process-symbol "$TPID" origin
	assert_equal "$((output))" "$((T_origin))"
}

@test "symbols: a TLS lookup in a thread a debugger traces is BAD_STATE" {
	spawn_target symbols
	strace -o /dev/null -p "$T_thread_tid" 3>&- 2>/dev/null &
	TRACER=$!
	local i tracer=0
	for ((i = 0; i < 2000; i++)); do
		tracer=$(awk '/^TracerPid:/ { print $2 }' "/proc/$T_thread_tid/status")
		[ "$tracer" != 0 ] && break
		sleep 0.01
	done
	[ "$tracer" != 0 ] || fail "strace did not attach"
	run_zxmem -20 process-symbol "$TPID" tls_counter --thread "$T_thread_tid"
	assert_zx_error ZX_ERR_BAD_STATE
	[[ "$stderr" == *"thread $T_thread_tid is traced by process $tracer"* ]] || fail "$stderr"
	# The main thread is not traced: its TLS still resolves.
	run_zxmem process-symbol "$TPID" tls_counter
	assert_equal "$((output))" "$((T_tls_main))"
	kill "$TRACER"
	wait "$TRACER" 2>/dev/null || true
	TRACER=
}
