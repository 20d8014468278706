#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# C expressions, DWARF types, typed reads and writes, and the bounds guard
# (SPEC §2 VADDR, §10). The target is test/helpers/types.c, built with -g;
# every typed write is proven by what the program itself reports afterwards,
# and printed values are compared with what gdb prints where it helps.

load test_helper/common
load test_helper/process

teardown() {
	process_teardown
	common_teardown
}

# --- VADDR syntax: usage errors that quote the argument as written ---------

@test "a VADDR offset that overflows or does not parse is a usage error quoting it" {
	enable_debugging
	spawn_target types
	local bad
	for bad in 'counter-99999999999999999999' 'counter+0x' 'counter+' \
	    'counter+4Q' 'types!counter+0x' 'origin.' 'origin.+1' 'cfg->' \
	    'numbers[' 'numbers[x]' 'numbers[1' 'origin x' '&counter' \
	    'counter!' '!counter' '*'; do
		run_zxmem -64 process-read-memory "$TPID" "$bad" 4
		assert_usage_error "VADDR: '$bad'"
		run_zxmem -64 process-write-memory "$TPID" "$bad" --u32 1
		assert_usage_error "VADDR: '$bad'"
		run_zxmem -64 process-symbol "$TPID" "$bad"
		assert_usage_error "VADDR: '$bad'"
	done
	target_report
	assert_equal "$R_counter" 41
	assert_equal "$R_after" 7
}

@test "the offset's own error is named: overflow and missing hex digits" {
	spawn_target types
	run_zxmem -64 process-symbol "$TPID" 'counter-99999999999999999999'
	assert_usage_error "does not fit in 64 bits"
	run_zxmem -64 process-symbol "$TPID" 'counter+0x'
	assert_usage_error "no hex digits after 0x"
	run_zxmem -64 process-symbol "$TPID" '&counter'
	assert_usage_error "drop the '&'"
}

@test "--value needs a symbol: a NUMBER VADDR has no type (usage error)" {
	enable_debugging
	spawn_target types
	run_zxmem -64 process-write-memory "$TPID" "$T_counter" --value 5
	assert_usage_error "--value"
	run_zxmem -64 process-read-memory "$TPID" "$T_counter" 4 --format value
	assert_usage_error "--format value"
	run_zxmem -64 process-read-memory "$TPID" "$T_counter"
	assert_usage_error "SIZE"
	run_zxmem -64 process-write-memory "$TPID" counter 5 --value 5
	assert_usage_error "--value"
	run_zxmem -64 process-write-memory "$TPID" counter --value 5 --hex 00
	assert_usage_error "--value and --hex"
	run_zxmem -64 process-write-memory "$TPID" counter --value 5 --repeat 2
	assert_usage_error "--repeat"
	target_report
	assert_equal "$R_counter" 41
}

@test "--format value is for typed process memory only" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -64 vmo-read buf 0 16 --format value
	assert_usage_error "--format"
}

# --- helpers ---------------------------------------------------------------

# stderr_has TEXT: the last run_zxmem's stderr contains TEXT.
stderr_has() {
	if [[ "$stderr" != *"$1"* ]]; then
		echo "stderr does not contain '$1': $stderr" >&2
		return 1
	fi
}

# gdb_print EXPR: what gdb's print shows for EXPR in the running target
# $TPID, without the "$1 = " (gdb attaches, prints and detaches).
gdb_print() {
	gdb -nx -q -batch -p "$TPID" -ex "print $1" 3>&- 2>/dev/null |
		sed -n 's/^\$1 = //p'
}

# --- expressions -----------------------------------------------------------

@test "expressions name the addresses C gives them (member, index, ->, *, +N)" {
	spawn_target types
	local expr want
	run_zxmem process-symbol "$TPID" origin.x
	assert_equal "$((output))" "$((T_origin))"
	run_zxmem process-symbol "$TPID" origin.y
	assert_equal "$((output))" "$((T_origin + 8))"
	run_zxmem process-symbol "$TPID" origin.name+2
	assert_equal "$((output))" "$((T_origin + 18))"
	run_zxmem process-symbol "$TPID" '*cfg'
	assert_equal "$((output))" "$((T_config))"
	# Each against gdb's &EXPR.
	for expr in 'cfg->table[2]' 'cfg->table[1].label' 'config.matrix[1][2]' \
	    'n1.next->v' 'config.u.f' 'cfg->origin->name' 'numbers[3]' \
	    'types!config.flags[2]'; do
		run_zxmem process-symbol "$TPID" "$expr"
		want=$(gdb_print "&${expr#types!}" | grep -o '0x[0-9a-f]*' | head -n 1)
		[ -n "$want" ] || fail "gdb printed nothing for &$expr"
		assert_equal "$((output))" "$((want))"
	done
}

@test "expression errors: no member NOT_FOUND, wrong kind WRONG_TYPE, past the end OUT_OF_RANGE" {
	spawn_target types
	run_zxmem -25 process-read-memory "$TPID" origin.z
	assert_zx_error ZX_ERR_NOT_FOUND
	stderr_has "has no member 'z'"
	run_zxmem -12 process-read-memory "$TPID" counter.x
	assert_zx_error ZX_ERR_WRONG_TYPE
	run_zxmem -12 process-read-memory "$TPID" cfg.limit
	assert_zx_error ZX_ERR_WRONG_TYPE
	stderr_has "use '->'"
	run_zxmem -12 process-read-memory "$TPID" 'origin->x'
	assert_zx_error ZX_ERR_WRONG_TYPE
	run_zxmem -12 process-read-memory "$TPID" '*opaque'
	assert_zx_error ZX_ERR_WRONG_TYPE
	run_zxmem -14 process-read-memory "$TPID" 'numbers[4]'
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	stderr_has "(4 elements)"
	run_zxmem -25 process-read-memory "$TPID" no_such.x
	assert_zx_error ZX_ERR_NOT_FOUND
}

@test "a dereference reads under process-read-memory's rules: unmapped is NO_MEMORY" {
	enable_debugging
	spawn_target types
	# dangling (16) is read; the pointer at 16 + 56 cannot be.
	run_zxmem -4 process-read-memory "$TPID" 'dangling->origin->x'
	assert_zx_error ZX_ERR_NO_MEMORY
	stderr_has "reading the pointer 'dangling->origin' at 0x48"
	run_zxmem -4 process-write-memory "$TPID" 'dangling->origin->x' --value 1
	assert_zx_error ZX_ERR_NO_MEMORY
	run_zxmem -4 process-symbol "$TPID" 'dangling->origin->x'
	assert_zx_error ZX_ERR_NO_MEMORY
	# Reading where dangling points is the mapping step's NO_MEMORY.
	run_zxmem -4 process-read-memory "$TPID" 'dangling->limit'
	assert_zx_error ZX_ERR_NO_MEMORY
	run_zxmem process-symbol "$TPID" 'dangling->limit'
	assert_equal "$((output))" 16
	target_report
	assert_equal "$R_counter" 41
}

@test "no DWARF: an expression is NOT_FOUND naming the symbol and what to do" {
	spawn_target symbols-nodebug
	run_zxmem -25 process-read-memory "$TPID" origin.x
	assert_zx_error ZX_ERR_NOT_FOUND
	stderr_has "no type information for 'origin' (compile with -g or install its debug package)"
	run_zxmem -25 process-read-memory "$TPID" origin 8 --format value
	stderr_has "no type information for 'origin'"
	enable_debugging
	run_zxmem -25 process-write-memory "$TPID" counter --value 5
	assert_zx_error ZX_ERR_NOT_FOUND
	target_report
	assert_equal "$R_counter" 7
}

# --- typed reads -----------------------------------------------------------

@test "SIZE defaults to the DWARF type's size, else st_size, else asks for SIZE" {
	spawn_target types
	run_zxmem -j process-read-memory "$TPID" origin
	json_check <(echo "$output") 'j["size"] == 24 and j["actual"] == 24'
	run_zxmem -j process-read-memory "$TPID" origin.name
	json_check <(echo "$output") 'j["size"] == 8'
	run_zxmem -j process-read-memory "$TPID" 'cfg->table'
	json_check <(echo "$output") 'j["size"] == 48'
	run_zxmem -64 process-read-memory "$TPID" _edata
	assert_usage_error "give SIZE"
	spawn_target symbols-nodebug
	run_zxmem process-read-memory "$TPID" origin
	assert_line --index 0 --regexp '^[0-9a-f]+  03 00 00 00 04 00 00 00 +\|\.\.\.\.\.\.\.\.\|$'
}

@test "--format value prints as gdb's print does (structs, arrays, enums, strings, pointers)" {
	spawn_target types
	local expr
	for expr in origin config cfg '*cfg' message zeros numbers level color \
	    ratio on neg n1 opaque config.label config.fn 'config.table[1]' \
	    config.bits config.matrix config.u config.flags counter limit; do
		run_zxmem process-read-memory "$TPID" "$expr"
		assert_output "$(gdb_print "$expr")"
	done
}

@test "--format value on a core, and a split program's types from its debug file" {
	spawn_target types
	gcore -o "$BATS_TEST_TMPDIR/core" "$TPID" >/dev/null 2>&1 3>&-
	run_zxmem process-read-memory "$BATS_TEST_TMPDIR/core.$TPID" origin
	assert_output '{x = 3, y = 4.5, name = "hi\000\000\000\000\000"}'
	run_zxmem process-read-memory "$BATS_TEST_TMPDIR/core.$TPID" 'cfg->table[2].key'
	assert_output 3
	spawn_target symbols-split
	run_zxmem process-read-memory "$TPID" config.table
	assert_output '{{x = 1, y = 1}, {x = 2, y = 4}, {x = 3, y = 9}, {x = 4, y = 16}}'
}

@test "-j: the value as nested JSON mirroring the type" {
	spawn_target types
	run_zxmem -j process-read-memory "$TPID" config
	local f=$BATS_TEST_TMPDIR/j
	echo "$output" >"$f"
	json_check "$f" 'j["status"] == "ZX_OK" and j["type"] == "struct config"'
	json_check "$f" 'j["value"]["limit"] == 10 and j["value"]["c"] == "BLUE"'
	json_check "$f" 'j["value"]["table"][1] == {"key": 2, "label": j["value"]["table"][1]["label"]}'
	json_check "$f" 'j["value"]["table"][1]["label"].startswith("0x")'
	json_check "$f" 'j["value"]["matrix"] == [[1, 2, 3], [4, 5, 6]]'
	json_check "$f" 'j["value"]["bits"] == {"a": -1, "b": 17, "c": 1}'
	json_check "$f" 'abs(j["value"]["u"]["f"] - 3.14159274) < 1e-6'
	json_check "$f" 'j["value"]["origin"] == "%#x" % '"$((T_origin))"
	run_zxmem -j process-read-memory "$TPID" origin
	echo "$output" >"$f"
	json_check "$f" 'j["value"] == {"x": 3, "y": 4.5, "name": "hi"}'
	json_check "$f" 'j["data_hex"].startswith("03000000")'
}

# --- typed writes: what the program sees -----------------------------------

@test "--value writes by type and the program sees it" {
	enable_debugging
	spawn_target types
	run_zxmem process-write-memory "$TPID" origin.x --value 7
	assert_output 4
	run_zxmem process-write-memory "$TPID" origin.y --value -0.125
	run_zxmem process-write-memory "$TPID" origin.name --value 'ab\tc'
	run_zxmem process-write-memory "$TPID" level --value 255
	assert_output 1
	run_zxmem process-write-memory "$TPID" color --value BLUE
	run_zxmem process-write-memory "$TPID" ratio --value 2.5
	run_zxmem process-write-memory "$TPID" on --value false
	run_zxmem process-write-memory "$TPID" neg --value -32768
	run_zxmem process-write-memory "$TPID" message --value 'bye'
	run_zxmem process-write-memory "$TPID" 'cfg->limit' --value 0x20
	run_zxmem process-write-memory "$TPID" 'cfg->table[1].key' --value -5
	target_report
	assert_equal "$R_origin_x" 7
	assert_equal "$R_origin_y" -0.125
	assert_equal "$R_origin_name" 'ab\x09c'
	assert_equal "$R_level" 255
	assert_equal "$R_color" 2
	assert_equal "$R_ratio" 2.5
	assert_equal "$R_on" 0
	assert_equal "$R_neg" -32768
	assert_equal "$R_message" bye
	assert_equal "$R_cfg_limit" 32
	assert_equal "$R_table1_key" -5
	assert_equal "$R_counter" 41
	assert_equal "$R_after" 7
	# The string was NUL-padded: nothing of "hello" is left after "bye".
	run_zxmem process-read-memory "$TPID" message --format hex
	assert_output 627965"$(printf '00%.0s' {1..13})"
}

@test "--value refusals change nothing: range, kind, enum name, string length, struct, bitfield range" {
	enable_debugging
	spawn_target types
	run_zxmem -10 process-write-memory "$TPID" level --value 300
	assert_zx_error ZX_ERR_INVALID_ARGS
	stderr_has "300 is out of range for 'level'"
	run_zxmem -10 process-write-memory "$TPID" neg --value -32769
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" counter --value 2147483648
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" level --value -1
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" counter --value 1.5
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" ratio --value 1e39
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" on --value maybe
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" color --value PINK
	assert_zx_error ZX_ERR_INVALID_ARGS
	stderr_has "RED GREEN BLUE"
	run_zxmem -14 process-write-memory "$TPID" origin.name --value 123456789
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	stderr_has "holds 8"
	run_zxmem -10 process-write-memory "$TPID" origin --value 1
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" numbers --value 1
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" config.bits.a --value 4
	assert_zx_error ZX_ERR_INVALID_ARGS
	stderr_has "4 is out of range for 'config.bits.a' (int, 3 bits: -4..3)"
	run_zxmem -10 process-write-memory "$TPID" config.bits.c --value -1
	assert_zx_error ZX_ERR_INVALID_ARGS
	target_report
	assert_equal "$R_level" 5
	assert_equal "$R_neg" -2
	assert_equal "$R_counter" 41
	assert_equal "$R_ratio" 0.5
	assert_equal "$R_on" 1
	assert_equal "$R_color" 1
	assert_equal "$R_origin_x" 3
	assert_equal "$R_origin_name" hi
}

@test "--value writes a bitfield's bits only: the program sees it, its neighbours keep theirs" {
	# It was NOT_SUPPORTED. bits is { int a:3; int b:6; unsigned c:1 }
	# = { -1, 17, 1 }: b spans bits 3-8, across two bytes.
	enable_debugging
	spawn_target types
	run_zxmem process-write-memory "$TPID" config.bits.b --value -32
	assert_output 2
	target_report
	assert_equal "$R_bits_a" -1
	assert_equal "$R_bits_b" -32
	assert_equal "$R_bits_c" 1
	run_zxmem process-write-memory "$TPID" config.bits.c --value 0
	assert_output 1
	run_zxmem process-write-memory "$TPID" config.bits.a --value 3
	assert_output 1
	target_report
	assert_equal "$R_bits_a" 3
	assert_equal "$R_bits_b" -32
	assert_equal "$R_bits_c" 0
	assert_equal "$R_flags2" 3
	assert_equal "$R_cfg_limit" 10
	run_zxmem -j process-write-memory "$TPID" 'cfg->bits.b' --value 31
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/w.json"
	json_check "$BATS_TEST_TMPDIR/w.json" 'j["status"] == "ZX_OK" and j["size"] == 2 and j["actual"] == 2'
	run_zxmem process-read-memory "$TPID" config.bits
	assert_output "{a = 3, b = 31, c = 0}"
	# A watch cannot wait for a bitfield's value (it compares whole bytes).
	run_zxmem -2 process-watch "$TPID" config.bits.b --value 1 --timeout 1s
	assert_zx_error ZX_ERR_NOT_SUPPORTED
}

@test "--value with the gate off is NOT_SUPPORTED before anything else" {
	spawn_target types
	run_zxmem -2 process-write-memory "$TPID" level --value 300
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$TPID" no_such --value 1
	assert_zx_error ZX_ERR_NOT_SUPPORTED
}

@test "a pointer takes an address or NULL, and then points there" {
	enable_debugging
	spawn_target types
	run_zxmem process-write-memory "$TPID" 'config.table[1].label' --value "$(hexaddr "$T_config")"
	run_zxmem process-write-memory "$TPID" cfg --value NULL
	run_zxmem process-read-memory "$TPID" cfg
	assert_output '(struct config * volatile) 0x0'
	run_zxmem process-read-memory "$TPID" 'config.table[1].label' --format u64
	assert_equal "$output" "$((T_config))"
}

# --- the bounds guard ------------------------------------------------------

@test "bounds guard: DATA past the named object is OUT_OF_RANGE and nothing moves" {
	enable_debugging
	spawn_target types
	run_zxmem -14 process-write-memory "$TPID" counter --u64 5
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	stderr_has "8 bytes do not fit in 'counter' (4 bytes at offset 0)"
	run_zxmem -14 process-write-memory "$TPID" counter+2 --u32 5
	stderr_has "4 bytes do not fit in 'counter' (4 bytes at offset 2)"
	run_zxmem -14 process-write-memory "$TPID" counter-1 --u8 5
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 process-write-memory "$TPID" origin.x --u64 5
	stderr_has "8 bytes do not fit in 'origin.x' (4 bytes at offset 0)"
	run_zxmem -14 process-write-memory "$TPID" origin.name 'ninebytes'
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 process-write-memory "$TPID" 'cfg->table[2]' --hex 00 --repeat 17
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	target_report
	assert_equal "$R_counter" 41
	assert_equal "$R_after" 7
	assert_equal "$R_origin_x" 3
	assert_equal "$R_origin_name" hi
	# Exactly the object's size fits.
	run_zxmem process-write-memory "$TPID" counter+2 --u16 0
	assert_output 2
	run_zxmem process-write-memory "$TPID" origin.name '12345678'
	assert_output 8
	target_report
	assert_equal "$R_origin_name" 12345678
	assert_equal "$R_after" 7
}

@test "bounds guard: --force writes past the object; a NUMBER address has no guard" {
	enable_debugging
	spawn_target types
	run_zxmem process-write-memory "$TPID" counter --u64 $(((9 << 32) | 5)) --force
	assert_output 8
	target_report
	assert_equal "$R_counter" 5
	assert_equal "$R_after" 9
	run_zxmem process-write-memory "$TPID" "$T_counter" --u64 $(((11 << 32) | 6))
	assert_output 8
	target_report
	assert_equal "$R_counter" 6
	assert_equal "$R_after" 11
}

@test "bounds guard: after the symbol step, before the mapping step; gate and size first" {
	enable_debugging
	spawn_target types
	# An unknown symbol is the symbol step's NOT_FOUND, not the guard's.
	run_zxmem -25 process-write-memory "$TPID" no_such --u64 5
	assert_zx_error ZX_ERR_NOT_FOUND
	# A dereference that fails (the symbol step) wins over the guard.
	run_zxmem -4 process-write-memory "$TPID" 'dangling->origin->x' --u64 5
	assert_zx_error ZX_ERR_NO_MEMORY
	# The guard wins over the mapping step: nothing is mapped at 16.
	run_zxmem -14 process-write-memory "$TPID" 'dangling->limit' --u64 5
	stderr_has "8 bytes do not fit in 'dangling->limit' (4 bytes at offset 0)"
	run_zxmem -4 process-write-memory "$TPID" 'dangling->limit' --u32 5
	assert_zx_error ZX_ERR_NO_MEMORY
	# The size rule (step 2) comes before it.
	run_zxmem -10 process-write-memory "$TPID" counter --hex 00 --repeat 67108865
	assert_zx_error ZX_ERR_INVALID_ARGS
	# The gate comes before everything.
	unset ZXMEM_KERNEL_CMDLINE
	run_zxmem -2 process-write-memory "$TPID" counter --u64 5
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	target_report
	assert_equal "$R_counter" 41
	assert_equal "$R_after" 7
}

@test "bounds guard on a core: refused, and the core file is unchanged" {
	enable_debugging
	spawn_target types
	local core=$BATS_TEST_TMPDIR/core.$TPID
	gcore -o "$BATS_TEST_TMPDIR/core" "$TPID" >/dev/null 2>&1 3>&-
	cp "$core" "$BATS_TEST_TMPDIR/before"
	run_zxmem -14 process-write-memory "$core" counter --u64 5
	stderr_has "8 bytes do not fit in 'counter'"
	cmp "$core" "$BATS_TEST_TMPDIR/before"
	run_zxmem process-write-memory "$core" origin.x --value 9
	run_zxmem process-read-memory "$core" origin.x
	assert_output 9
}

@test "a TLS variable and a C++ namespaced global have their types too" {
	enable_debugging
	spawn_target symbols
	run_zxmem -j process-read-memory "$TPID" tls_counter
	json_check <(echo "$output") 'j["type"] == "int" and j["value"] == 100 and j["size"] == 4'
	run_zxmem process-write-memory "$TPID" tls_counter --value 123
	assert_output 4
	run_zxmem -14 process-write-memory "$TPID" tls_counter --u64 1
	stderr_has "8 bytes do not fit in 'tls_counter' (4 bytes at offset 0)"
	target_report
	assert_equal "$R_tls_main" 123
	assert_equal "$R_tls_thread" 200
	spawn_target game
	run_zxmem process-read-memory "$TPID" game::score
	assert_output 1234
	run_zxmem process-write-memory "$TPID" game::Player::count --value 99
	target_report
	assert_equal "$R_count" 99
	assert_equal "$R_score" 1234
}
