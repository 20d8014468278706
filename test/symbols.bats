#!/usr/bin/env bats
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
	process_teardown
	common_teardown
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
