#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Live processes: read, write and poke memory by address or symbol
# (SPEC §2 VADDR and DATA, §5 check order, §6 the gate, §7 errors).
# Every write is proven by what the target program itself reports
# afterwards (test/helpers/target.c), not by zxmem reading it back.

load test_helper/common
load test_helper/process

setup() {
	common_setup
	PAGE=$(getconf PAGESIZE)
}

teardown() {
	process_teardown
	common_teardown
}

# --- symbols ---------------------------------------------------------------

# check_symbols PROG: process-symbol gives the addresses PROG printed.
check_symbols() {
	local prog=$1 sym
	spawn_target "$prog"
	for sym in counter limit message big_counter; do
		run_zxmem process-symbol "$TPID" "$sym"
		assert_output --regexp '^0x[0-9a-f]+$'
		local want="T_$sym"
		assert_equal "$((output))" "$((${!want}))"
	done
	for sym in counter+0 "$prog!counter" "$prog!counter+0"; do
		run_zxmem process-symbol "$TPID" "$sym"
		assert_equal "$((output))" "$((T_counter))"
	done
	run_zxmem process-symbol "$TPID" message+16
	assert_equal "$((output))" "$((T_message + 16))"
	run_zxmem process-symbol "$TPID" message+0x10
	assert_equal "$((output))" "$((T_message + 16))"
	run_zxmem process-symbol "$TPID" big_counter-8
	assert_equal "$((output))" "$((T_big_counter - 8))"
	# What the program itself printed: its own main, the copy of stdout its
	# executable holds (a copy relocation), and libc's printf and environ
	# as the dynamic linker resolved them.
	for sym in main stdout printf environ; do
		run_zxmem process-symbol "$TPID" "$sym"
		want="T_$sym"
		assert_equal "$((output))" "$((${!want}))"
	done
	run_zxmem process-symbol "$TPID" 'libc.so.6!printf'
	assert_equal "$((output))" "$((T_printf))"
	run_zxmem process-symbol "$TPID" 'libc.so.6!environ'
	assert_equal "$((output))" "$((T_environ))"
}

@test "process-symbol gives the address the program printed (PIE)" {
	check_symbols target
}

@test "process-symbol gives the address the program printed (non-PIE)" {
	check_symbols target-nopie
}

@test "process-symbol finds a symbol of a shared library (libc.so.6!environ)" {
	spawn_target
	run_zxmem process-symbol "$TPID" 'libc.so.6!environ'
	assert_output --regexp '^0x[0-9a-f]+$'
	local addr=$output envp line
	# libc's environ points at the environment on the stack.
	run_zxmem process-read-memory "$TPID" 'libc.so.6!environ' 8 --format u64
	envp=$output
	run_zxmem process-maps "$TPID"
	line=$(map_line_of "$addr") || fail "environ at $addr is in no mapping"
	line=$(map_line_of "$envp") || fail "environ = $envp points into no mapping"
	[[ "$line" == *" [stack]" ]] || fail "environ = $envp is not on the stack: $line"
}

@test "process-symbol: an unknown symbol is NOT_FOUND" {
	spawn_target
	run_zxmem -25 process-symbol "$TPID" no_such_symbol_here
	assert_zx_error ZX_ERR_NOT_FOUND
	run_zxmem -25 process-symbol "$TPID" 'no_such_object.so!counter'
	assert_zx_error ZX_ERR_NOT_FOUND
}

# --- writes the program sees -----------------------------------------------

# poke_counter PROG: write counter every way VADDR can be spelled.
poke_counter() {
	local prog=$1
	enable_debugging
	spawn_target "$prog"

	run_zxmem process-write-memory "$TPID" counter --u32 7
	assert_output 4
	target_report
	assert_equal "$R_counter" 7

	run_zxmem process-write-memory "$TPID" "$T_counter" --i32 -5
	assert_output 4
	target_report
	assert_equal "$R_counter" -5

	run_zxmem process-write-memory "$TPID" counter+0 --u32 11
	assert_output 4
	target_report
	assert_equal "$R_counter" 11

	run_zxmem process-write-memory "$TPID" "$prog!counter" --u32 12
	assert_output 4
	target_report
	assert_equal "$R_counter" 12

	run_zxmem process-write-memory "$TPID" big_counter --i64 -1234567890123
	assert_output 8
	target_report
	assert_equal "$R_big_counter" -1234567890123
	assert_equal "$R_counter" 12

	run_zxmem process-read-memory "$TPID" counter 4 --format i32
	assert_output 12
	run_zxmem process-read-memory "$TPID" "$T_big_counter" 8 --format i64
	assert_output -1234567890123
}

@test "process-write-memory pokes counter by address and symbol (PIE)" {
	poke_counter target
}

@test "process-write-memory pokes counter by address and symbol (non-PIE)" {
	poke_counter target-nopie
}

@test "process-write-memory patches the const object limit in a read-only mapping" {
	enable_debugging
	spawn_target
	run_zxmem process-maps "$TPID"
	local line
	line=$(map_line_of "$T_limit") || fail "limit is in no mapping"
	[[ "$line" == *" r--p "* ]] || fail "limit is not read-only: $line"

	run_zxmem process-write-memory "$TPID" limit --i32 1234
	assert_output 4
	target_report
	assert_equal "$R_limit" 1234
	assert_equal "$R_counter" 1
	run_zxmem process-read-memory "$TPID" limit 4 --format i32
	assert_output 1234
}

# hexdump_at ADDR FILE: `hexdump -C FILE` with offsets counted from ADDR.
hexdump_at() {
	local base=$(($1)) line
	while IFS= read -r line; do
		if [ "$line" = "*" ]; then
			echo "*"
		else
			printf '%08x%s\n' "$((base + 16#${line:0:8}))" "${line:8}"
		fi
	done < <(hexdump -C "$2")
}

@test "a string written into message reads back in every format" {
	enable_debugging
	spawn_target
	run_zxmem process-write-memory "$TPID" message --string 'hi\tyou\\\n'
	assert_output 8
	target_report
	assert_equal "$R_message" 'hi\x09you\x5c\x0a'

	run_zxmem process-read-memory "$TPID" message 8 --format hex
	assert_output 686909796f755c0a
	run_zxmem process-read-memory "$TPID" message 8 --format string
	assert_output 'hi\tyou\\\n'
	run_zxmem process-read-memory "$TPID" message 5 --format raw
	assert_output $'hi\tyo'
	run_zxmem process-read-memory "$TPID" message 8 --format u32
	assert_output $'2030659944\n173831535'
	run_zxmem process-read-memory "$TPID" message 2 --format u8
	assert_output $'104\n105'

	run_zxmem process-read-memory "$TPID" message 64 -o "$BATS_TEST_TMPDIR/msg"
	assert_output ""
	printf 'hi\tyou\\\n' >"$BATS_TEST_TMPDIR/want"
	head -c 56 /dev/zero >>"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/msg" "$BATS_TEST_TMPDIR/want"

	# message has a DWARF type (char [64]): printed as a value by default
	# (SPEC §10), as a hexdump when asked.
	run_zxmem process-read-memory "$TPID" message 64
	assert_output "\"hi\\tyou\\\\\\n\", '\\000' <repeats 55 times>"
	run_zxmem process-read-memory "$TPID" message 64 --format hexdump
	assert_output "$(hexdump_at "$T_message" "$BATS_TEST_TMPDIR/want")"

	# A positional DATA string at an offset from the symbol.
	run_zxmem process-write-memory "$TPID" message+1 'Y'
	assert_output 1
	target_report
	assert_equal "$R_message" 'hY\x09you\x5c\x0a'
}

# --- sizes -----------------------------------------------------------------

@test "a 64 MiB write fits in one mapping and the program sees every byte" {
	enable_debugging
	spawn_target
	run_zxmem process-write-memory "$TPID" "$T_big" --hex 5a --repeat 64M
	assert_output 67108864
	target_report
	assert_equal "$R_big_sum" "$((0x5a * 67108864))"
	assert_equal "$R_big_first" 5a
	assert_equal "$R_big_last" 5a
	assert_equal "$R_big_tail" 00

	run_zxmem process-read-memory "$TPID" "$T_big" 64M -o "$BATS_TEST_TMPDIR/big"
	assert_equal "$(stat -c %s "$BATS_TEST_TMPDIR/big")" 67108864

	truncate -s 64M "$BATS_TEST_TMPDIR/zeros"
	run_zxmem process-write-memory "$TPID" "$T_big" --file "$BATS_TEST_TMPDIR/zeros"
	assert_output 67108864
	target_report
	assert_equal "$R_big_sum" 0
	assert_equal "$R_big_first" 00
}

@test "64 MiB + 1 and 0 bytes are INVALID_ARGS and change nothing" {
	enable_debugging
	spawn_target
	run_zxmem -10 process-write-memory "$TPID" "$T_big" --hex 5a --repeat 67108865
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" "$T_big" --hex ""
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$TPID" counter --hex ""
	assert_zx_error ZX_ERR_INVALID_ARGS
	assert_target_untouched
	assert_equal "$R_big_first" 00
	assert_equal "$R_big_last" 00

	run_zxmem -10 process-read-memory "$TPID" "$T_big" 67108865
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-read-memory "$TPID" "$T_big" 0
	assert_zx_error ZX_ERR_INVALID_ARGS
}

@test "a write past the end of a mapping is clamped to it; so is a read" {
	enable_debugging
	spawn_target
	local addr
	addr=$(hexaddr "T_edge + PAGE - 4")
	run_zxmem process-write-memory "$TPID" "$addr" --hex 0102030405060708
	assert_output 4
	target_report
	assert_equal "$R_edge_first" e0
	assert_equal "$R_edge_last" 04

	run_zxmem process-read-memory "$TPID" "$addr" 8 --format hex
	assert_output 01020304
	[[ "$stderr" == "zxmem: process-read-memory: short read: 4 of 8 bytes (the mapping "*"-$(hexaddr "T_edge + PAGE") ends there)" ]] ||
		fail "no short-read note on stderr: $stderr"

	run_zxmem process-read-memory "$TPID" "$addr" 8 -o "$BATS_TEST_TMPDIR/short"
	assert_equal "$(stat -c %s "$BATS_TEST_TMPDIR/short")" 4
	[[ "$stderr" == "zxmem: process-read-memory: short read: 4 of 8 bytes"* ]] ||
		fail "no short-read note on stderr: $stderr"

	# The page after edge is unmapped.
	addr=$(hexaddr "T_edge + PAGE")
	run_zxmem -4 process-write-memory "$TPID" "$addr" --hex 00
	assert_zx_error ZX_ERR_NO_MEMORY
	run_zxmem -4 process-read-memory "$TPID" "$addr" 1
	assert_zx_error ZX_ERR_NO_MEMORY
}

@test "a write from an rw- mapping into the adjacent r-- one stops at the boundary" {
	enable_debugging
	spawn_target
	local addr line
	# Two mappings side by side, both writable through /proc/PID/mem: the
	# kernel would carry on into the second; zxmem must not.
	run_zxmem process-maps "$TPID"
	line=$(map_line_of "$(hexaddr "T_split + PAGE - 1")") || fail "split is in no mapping"
	[[ "$line" == *" rw-p "* ]] || fail "split's first page is not rw-: $line"
	[[ "$line" == *-$(printf '%x' "$((T_split + PAGE))")" "* ]] ||
		fail "split's rw- mapping does not end at its second page: $line"
	line=$(map_line_of "$(hexaddr "T_split + PAGE")") || fail "split+PAGE is in no mapping"
	[[ "$line" == *" r--p "* ]] || fail "split's second page is not r--: $line"

	addr=$(hexaddr "T_split + PAGE - 4")
	run_zxmem process-write-memory "$TPID" "$addr" --hex 0102030405060708
	assert_output 4
	target_report
	assert_equal "$R_split_last" 04
	assert_equal "$R_split_next" 52
	run_zxmem process-read-memory "$TPID" "$addr" 8 --format hex
	assert_output 01020304
	[[ "$stderr" == "zxmem: process-read-memory: short read: 4 of 8 bytes (the mapping "*"-$(hexaddr "T_split + PAGE") ends there)" ]] ||
		fail "no short-read note on stderr: $stderr"
	# The r-- mapping itself is written from its own start.
	run_zxmem process-write-memory "$TPID" "$(hexaddr "T_split + PAGE")" --hex 99
	assert_output 1
	target_report
	assert_equal "$R_split_next" 99
	assert_equal "$R_split_last" 04
}

@test "a live read of several pages is the program's memory, byte for byte" {
	spawn_target
	[ "$T_pattern_len" -gt $((2 * PAGE)) ] || fail "pattern spans too few pages"
	# The program filled pattern with byte i = (i * 131 + (i >> 8)) & 0xff.
	python3 -c '
import sys
n = int(sys.argv[1])
sys.stdout.buffer.write(bytes((i * 131 + (i >> 8)) & 0xff for i in range(n)))
' "$T_pattern_len" >"$BATS_TEST_TMPDIR/want"
	run_zxmem process-read-memory "$TPID" "$T_pattern" "$T_pattern_len" -o "$BATS_TEST_TMPDIR/got"
	assert_output ""
	cmp "$BATS_TEST_TMPDIR/got" "$BATS_TEST_TMPDIR/want"
	# The same bytes through stdout, from an odd offset.
	tail -c +1002 "$BATS_TEST_TMPDIR/want" >"$BATS_TEST_TMPDIR/want-tail"
	"$ZXMEM" process-read-memory "$TPID" "$(hexaddr "T_pattern + 1001")" \
		$((T_pattern_len - 1001)) --format raw >"$BATS_TEST_TMPDIR/got-tail" 3>&-
	cmp "$BATS_TEST_TMPDIR/got-tail" "$BATS_TEST_TMPDIR/want-tail"
}

# --- protected mappings ----------------------------------------------------

@test "process-maps lists the mappings and marks only vdso/vvar/vsyscall protected" {
	spawn_target
	run_zxmem process-maps "$TPID"
	local line name n=0
	while IFS= read -r line; do
		case "$line" in
		*" [vdso] protected" | *" [vvar] protected" | \
			*" [vvar_vclock] protected" | *" [vsyscall] protected")
			n=$((n + 1)) ;;
		*protected*) fail "wrongly protected: $line" ;;
		*"[vdso]"* | *"[vvar]"* | *"[vvar_vclock]"* | *"[vsyscall]"*)
			fail "not marked protected: $line" ;;
		esac
	done <<<"$output"
	[ "$n" -ge 2 ] || fail "fewer than 2 protected mappings: $output"
	assert_line --regexp ' \[vdso\] protected$'

	# The program's own mappings: its executable by path, big anonymous.
	line=$(map_line_of "$T_counter") || fail "counter is in no mapping"
	[[ "$line" == *" rw-p "*"/target" ]] || fail "counter's mapping: $line"
	line=$(map_line_of "$T_big")
	assert_equal "$line" "$(printf '%08x-%08x rw-p 00000000' \
		"$((T_big))" "$((T_big + 67108864 + PAGE))")"
}

# map_start NAME: start address (0x hex) of the mapping named NAME in the
# process-maps output in $output.
map_start() {
	local line
	line=$(grep -F " $1 protected" <<<"$output" | head -n 1)
	[ -n "$line" ] || return 1
	echo "0x${line%%-*}"
}

@test "writes into [vdso] and [vvar] are ACCESS_DENIED and change nothing" {
	enable_debugging
	spawn_target
	run_zxmem process-maps "$TPID"
	local vdso vvar
	vdso=$(map_start '[vdso]') || fail "no [vdso] in: $output"
	vvar=$(map_start '[vvar]') || fail "no [vvar] in: $output"

	run_zxmem process-read-memory "$TPID" "$vdso" "$PAGE" -o "$BATS_TEST_TMPDIR/before"
	run_zxmem -30 process-write-memory "$TPID" "$vdso" --hex 00
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -30 process-write-memory "$TPID" "$(hexaddr "vdso + 0x100")" --hex 'cc cc'
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -30 process-write-memory "$TPID" "$vvar" --hex 00
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem process-read-memory "$TPID" "$vdso" "$PAGE" -o "$BATS_TEST_TMPDIR/after"
	cmp "$BATS_TEST_TMPDIR/before" "$BATS_TEST_TMPDIR/after"
	run_zxmem process-read-memory "$TPID" "$vdso" 4 --format hex
	assert_output 7f454c46
	assert_target_untouched
}

@test "reading [vvar] is BAD_STATE: not cacheable" {
	spawn_target
	run_zxmem process-maps "$TPID"
	local vvar
	vvar=$(map_start '[vvar]') || fail "no [vvar] in: $output"
	run_zxmem -20 process-read-memory "$TPID" "$vvar" 8
	assert_zx_error ZX_ERR_BAD_STATE
	[[ "$stderr" == *cacheable* ]] || fail "no 'cacheable' in: $stderr"
}

# --- the gate: kernel.enable-debugging-syscalls ----------------------------

@test "gate: process-write-memory is off by default (NOT_SUPPORTED, checked first)" {
	# The installed build: root only if /etc/zxmem/kernel.conf exists.
	real_etc_conf
	hide_etc_conf
	[ "$ZXMEM" != "$ZXMEM_TEST_BIN/zxmem" ] || fail "not the real build"
	spawn_target
	run_zxmem -2 process-write-memory "$TPID" counter --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$TPID" "$T_counter" --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$(unused_pid)" 0x1000 --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$TPID" counter --hex ""
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$TPID" "$T_big" --hex 00 --repeat 67108865
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$TPID" 0x1000 --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	assert_target_untouched
}

@test "gate: reads need no gate" {
	hide_etc_conf
	spawn_target
	run_zxmem process-read-memory "$TPID" counter 4 --format u32
	assert_output 1
	run_zxmem -k "$GATE_OFF" process-read-memory "$TPID" limit 4 --format i32
	assert_output 42
	run_zxmem process-maps "$TPID"
	run_zxmem process-symbol "$TPID" counter
}

@test "gate: /etc/zxmem/kernel.conf turns it on" {
	# The installed build and the real /etc: needs root.
	real_etc_conf
	set_etc_conf $'# system-wide\n\nkernel.enable-debugging-syscalls=true'
	[ "$ZXMEM" != "$ZXMEM_TEST_BIN/zxmem" ] || fail "not the real build"
	spawn_target
	run_zxmem process-write-memory "$TPID" counter --u32 21
	assert_output 4
	target_report
	assert_equal "$R_counter" 21
}

@test "gate: SYSCONFDIR/zxmem/kernel.conf turns it on (the tests' build)" {
	set_etc_conf $'# system-wide\n\nkernel.enable-debugging-syscalls=true'
	assert_equal "$ETC_CONF" "$ZXMEM_TEST_BIN/etc/zxmem/kernel.conf"
	assert_equal "$ZXMEM" "$ZXMEM_TEST_BIN/zxmem"
	spawn_target
	run_zxmem process-write-memory "$TPID" counter --u32 22
	assert_output 4
	target_report
	assert_equal "$R_counter" 22
	set_etc_conf "$GATE_OFF"
	run_zxmem -2 process-write-memory "$TPID" counter --u32 23
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	target_report
	assert_equal "$R_counter" 22
}

@test "gate: \$XDG_CONFIG_HOME/zxmem/kernel.conf (or ~/.config) turns it on" {
	hide_etc_conf
	spawn_target
	mkdir -p "$XDG_CONFIG_HOME/zxmem"
	printf '# mine\n%s\n' "$GATE_ON" >"$XDG_CONFIG_HOME/zxmem/kernel.conf"
	run_zxmem process-write-memory "$TPID" counter --u32 22
	assert_output 4
	target_report
	assert_equal "$R_counter" 22

	# Without XDG_CONFIG_HOME the file is ~/.config/zxmem/kernel.conf.
	export XDG_CONFIG_HOME="$BATS_TEST_TMPDIR/elsewhere"
	run_zxmem -2 process-write-memory "$TPID" counter --u32 23
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	unset XDG_CONFIG_HOME
	mkdir -p "$HOME/.config/zxmem"
	printf '%s\n' "$GATE_ON" >"$HOME/.config/zxmem/kernel.conf"
	run_zxmem process-write-memory "$TPID" counter --u32 24
	assert_output 4
	target_report
	assert_equal "$R_counter" 24
}

@test "gate: ZXMEM_KERNEL_CMDLINE turns it on" {
	hide_etc_conf
	spawn_target
	export ZXMEM_KERNEL_CMDLINE="$GATE_ON"
	run_zxmem process-write-memory "$TPID" counter --u32 31
	assert_output 4
	target_report
	assert_equal "$R_counter" 31
	export ZXMEM_KERNEL_CMDLINE="kernel.other=1 $GATE_ON"
	run_zxmem process-write-memory "$TPID" counter --u32 32
	assert_output 4
	target_report
	assert_equal "$R_counter" 32
}

@test "gate: -k and --kernel-option turn it on; true, 1 and on all work" {
	hide_etc_conf
	spawn_target
	local v n=40
	for v in true 1 on; do
		n=$((n + 1))
		run_zxmem -k "kernel.enable-debugging-syscalls=$v" \
			process-write-memory "$TPID" counter --u32 "$n"
		assert_output 4
		target_report
		assert_equal "$R_counter" "$n"
	done
	run_zxmem --kernel-option "$GATE_ON" process-write-memory "$TPID" counter --u32 49
	assert_output 4
	target_report
	assert_equal "$R_counter" 49
	for v in false 0 off; do
		run_zxmem -2 -k "kernel.enable-debugging-syscalls=$v" \
			process-write-memory "$TPID" counter --u32 50
		assert_zx_error ZX_ERR_NOT_SUPPORTED
	done
	target_report
	assert_equal "$R_counter" 49
}

@test "gate: a bad value after =true is false, with a warning naming it" {
	hide_etc_conf
	spawn_target
	run_zxmem -2 -k "$GATE_ON" -k kernel.enable-debugging-syscalls=yes \
		process-write-memory "$TPID" counter --u32 51
	[[ "$stderr" == *"'yes'"*$'\n'* ]] || fail "no warning naming the value: $stderr"
	stderr=${stderr##*$'\n'}
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	# The same within one source, and in a file.
	export ZXMEM_KERNEL_CMDLINE="$GATE_ON kernel.enable-debugging-syscalls=enabled"
	run_zxmem -2 process-write-memory "$TPID" counter --u32 52
	[[ "$stderr" == *"'enabled'"*$'\n'* ]] || fail "no warning naming the value: $stderr"
	stderr=${stderr##*$'\n'}
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	unset ZXMEM_KERNEL_CMDLINE
	mkdir -p "$XDG_CONFIG_HOME/zxmem"
	printf '%s\nkernel.enable-debugging-syscalls=2\n' "$GATE_ON" >"$XDG_CONFIG_HOME/zxmem/kernel.conf"
	run_zxmem -2 process-write-memory "$TPID" counter --u32 53
	[[ "$stderr" == *"'2'"*$'\n'* ]] || fail "no warning naming the value: $stderr"
	stderr=${stderr##*$'\n'}
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	target_report
	assert_equal "$R_counter" 1
}

@test "gate: the later source wins" {
	spawn_target
	mkdir -p "$XDG_CONFIG_HOME/zxmem"

	# /etc on, user file off.
	set_etc_conf "$GATE_ON"
	printf '%s\n' "$GATE_OFF" >"$XDG_CONFIG_HOME/zxmem/kernel.conf"
	run_zxmem -2 process-write-memory "$TPID" counter --u32 60
	assert_zx_error ZX_ERR_NOT_SUPPORTED

	# User file off, environment on.
	export ZXMEM_KERNEL_CMDLINE="$GATE_ON"
	run_zxmem process-write-memory "$TPID" counter --u32 61
	assert_output 4

	# Environment on, -k off.
	run_zxmem -2 -k "$GATE_OFF" process-write-memory "$TPID" counter --u32 62
	assert_zx_error ZX_ERR_NOT_SUPPORTED

	# Among -k options, the last one.
	run_zxmem -2 -k "$GATE_ON" -k "$GATE_OFF" process-write-memory "$TPID" counter --u32 63
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	export ZXMEM_KERNEL_CMDLINE="$GATE_OFF"
	run_zxmem -k "$GATE_OFF" -k "$GATE_ON" process-write-memory "$TPID" counter --u32 64
	assert_output 4

	# /etc off, user file on.
	set_etc_conf "$GATE_OFF"
	printf '%s\n' "$GATE_ON" >"$XDG_CONFIG_HOME/zxmem/kernel.conf"
	unset ZXMEM_KERNEL_CMDLINE
	run_zxmem process-write-memory "$TPID" counter --u32 65
	assert_output 4
	target_report
	assert_equal "$R_counter" 65
}

@test "gate: an unknown key is a warning, not an error" {
	hide_etc_conf
	spawn_target
	run_zxmem -k kernel.no-such-option=1 -k "$GATE_ON" \
		process-write-memory "$TPID" counter --u32 70
	assert_output 4
	[[ "$stderr" == *kernel.no-such-option* ]] || fail "no warning naming the key: $stderr"
	target_report
	assert_equal "$R_counter" 70

	mkdir -p "$XDG_CONFIG_HOME/zxmem"
	printf 'kernel.also-unknown=yes\n%s\n' "$GATE_ON" >"$XDG_CONFIG_HOME/zxmem/kernel.conf"
	run_zxmem process-write-memory "$TPID" counter --u32 71
	assert_output 4
	[[ "$stderr" == *kernel.also-unknown* ]] || fail "no warning naming the key: $stderr"
	target_report
	assert_equal "$R_counter" 71
}

# --- errors ----------------------------------------------------------------

@test "an unmapped address is NO_MEMORY for read and write" {
	enable_debugging
	spawn_target
	run_zxmem -4 process-read-memory "$TPID" 0x1000 4
	assert_zx_error ZX_ERR_NO_MEMORY
	run_zxmem -4 process-write-memory "$TPID" 0x1000 --u32 5
	assert_zx_error ZX_ERR_NO_MEMORY
	assert_target_untouched
}

@test "an unknown symbol is NOT_FOUND for read and write" {
	enable_debugging
	spawn_target
	run_zxmem -25 process-read-memory "$TPID" no_such_symbol 4
	assert_zx_error ZX_ERR_NOT_FOUND
	run_zxmem -25 process-write-memory "$TPID" no_such_symbol --u32 5
	assert_zx_error ZX_ERR_NOT_FOUND
	run_zxmem -25 process-write-memory "$TPID" 'target!no_such_symbol+4' --u32 5
	assert_zx_error ZX_ERR_NOT_FOUND
	assert_target_untouched
}

@test "no such process is BAD_HANDLE" {
	enable_debugging
	local pid
	pid=$(unused_pid)
	run_zxmem -11 process-read-memory "$pid" 0x1000 4
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem -11 process-write-memory "$pid" 0x1000 --u32 5
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem -11 process-maps "$pid"
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem -11 process-symbol "$pid" counter
	assert_zx_error ZX_ERR_BAD_HANDLE
}

@test "a zombie is BAD_STATE" {
	enable_debugging
	spawn_target zombie
	local zpid=$T_pid
	[ "$(proc_state "$zpid")" = Z ] || fail "$zpid is not a zombie: $(cat "/proc/$zpid/stat")"
	run_zxmem -20 process-read-memory "$zpid" 0x1000 4
	assert_zx_error ZX_ERR_BAD_STATE
	run_zxmem -20 process-write-memory "$zpid" 0x1000 --u32 5
	assert_zx_error ZX_ERR_BAD_STATE
	# The state is checked before the symbol is looked up, whatever the
	# VADDR: a symbol the program has, one it has not, an object's.
	local v
	for v in counter no_such_symbol 'zombie!counter' 'libc.so.6!environ+8'; do
		run_zxmem -20 process-read-memory "$zpid" "$v" 4
		assert_zx_error ZX_ERR_BAD_STATE
		run_zxmem -20 process-write-memory "$zpid" "$v" --u32 5
		assert_zx_error ZX_ERR_BAD_STATE
	done
}

@test "a kernel thread is WRONG_TYPE" {
	enable_debugging
	local kpid
	kpid=$(kernel_thread_pid) || skip "no kernel thread visible"
	run_zxmem -12 process-read-memory "$kpid" 0x1000 4
	assert_zx_error ZX_ERR_WRONG_TYPE
	run_zxmem -12 process-write-memory "$kpid" 0x1000 --u32 5
	assert_zx_error ZX_ERR_WRONG_TYPE
}

@test "a VMO handle, a non-ELF file and a non-core ELF file are WRONG_TYPE" {
	enable_debugging
	run_zxmem vmo-create 4096 --name buf
	assert_output buf
	run_zxmem -12 process-read-memory buf 0 4
	assert_zx_error ZX_ERR_WRONG_TYPE
	run_zxmem -12 process-write-memory buf 0 --hex 00
	assert_zx_error ZX_ERR_WRONG_TYPE

	printf 'not an ELF file\n' >"$BATS_TEST_TMPDIR/plain"
	run_zxmem -12 process-read-memory "$BATS_TEST_TMPDIR/plain" 0 4
	assert_zx_error ZX_ERR_WRONG_TYPE
	run_zxmem -12 process-write-memory "$BATS_TEST_TMPDIR/plain" 0 --hex 00
	assert_zx_error ZX_ERR_WRONG_TYPE
	assert_equal "$(cat "$BATS_TEST_TMPDIR/plain")" "not an ELF file"

	run_zxmem -12 process-read-memory "$ZXMEM_TEST_BIN/target" 0x1000 4
	assert_zx_error ZX_ERR_WRONG_TYPE
}

@test "another user's process is ACCESS_DENIED (uid) and unchanged" {
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" -eq 0 ] || skip "needs root to start a process as another user"
	spawn_target
	as_nobody
	export ZXMEM_KERNEL_CMDLINE="$GATE_ON"
	run_zxmem -30 process-write-memory "$TPID" "$T_counter" --u32 99
	assert_zx_error ZX_ERR_ACCESS_DENIED
	[[ "$stderr" == *uid* ]] || fail "message does not name the uid rule: $stderr"
	run_zxmem -30 process-write-memory "$TPID" counter --u32 99
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -30 process-read-memory "$TPID" "$T_counter" 4
	assert_zx_error ZX_ERR_ACCESS_DENIED
	[[ "$stderr" == *uid* ]] || fail "message does not name the uid rule: $stderr"
	assert_target_untouched
}

@test "root without CAP_SYS_PTRACE is refused another user's process, naming the capability" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to drop a capability"
	share_with_others
	TARGET_WRAPPER="setpriv --reuid=65534 --regid=65534 --clear-groups" spawn_target
	enable_debugging
	ZXMEM_WRAPPER="setpriv --inh-caps=-sys_ptrace --bounding-set=-sys_ptrace ${ZXMEM_WRAPPER-}"
	run_zxmem -30 process-write-memory "$TPID" counter --u32 99
	assert_zx_error ZX_ERR_ACCESS_DENIED
	[[ "$stderr" == *CAP_SYS_PTRACE* ]] || fail "message does not name the capability: $stderr"
	run_zxmem -30 process-read-memory "$TPID" "$T_counter" 4
	assert_zx_error ZX_ERR_ACCESS_DENIED
	assert_target_untouched
}

@test "a non-dumpable process of one's own is refused, and the message says why" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to start processes as nobody"
	share_with_others
	TARGET_NODUMP=1 TARGET_WRAPPER="setpriv --reuid=65534 --regid=65534 --clear-groups" spawn_target
	as_nobody
	export ZXMEM_KERNEL_CMDLINE="$GATE_ON"
	run_zxmem -30 process-write-memory "$TPID" "$T_counter" --u32 99
	assert_zx_error ZX_ERR_ACCESS_DENIED
	[[ "$stderr" == *"not dumpable"* ]] || fail "message does not say not dumpable: $stderr"
	assert_target_untouched
}

# --- JSON ------------------------------------------------------------------

@test "JSON: write, read, maps, symbol and an error" {
	enable_debugging
	spawn_target
	local j=$BATS_TEST_TMPDIR/out.json

	run_zxmem -j process-write-memory "$TPID" counter --u32 77
	printf '%s\n' "$output" >"$j"
	json_check "$j" 'j["command"] == "process-write-memory" and j["status"] == "ZX_OK"'
	json_check "$j" 'j["actual"] == 4 and set(j) == {"command", "status", "address", "size", "actual"} and j["size"] == 4'
	json_check "$j" "int(j['address'], 16) == $((T_counter))"
	assert_equal "$stderr" ""
	target_report
	assert_equal "$R_counter" 77

	run_zxmem -j process-read-memory "$TPID" counter 4
	printf '%s\n' "$output" >"$j"
	json_check "$j" 'j["command"] == "process-read-memory" and j["status"] == "ZX_OK"'
	json_check "$j" 'j["data_hex"] == "4d000000" and j["actual"] == 4 and j["size"] == 4'
	json_check "$j" "int(j['address'], 16) == $((T_counter))"

	run_zxmem -4 -j process-write-memory "$TPID" 0x1000 --u32 5
	printf '%s\n' "$output" >"$j"
	json_check "$j" 'j["command"] == "process-write-memory" and j["status"] == "ZX_ERR_NO_MEMORY"'
	json_check "$j" 'j["code"] == -4 and isinstance(j["message"], str) and j["message"]'
	assert_equal "$stderr" ""

	run_zxmem -j process-maps "$TPID"
	printf '%s\n' "$output" >"$j"
	json_check "$j" 'j["command"] == "process-maps" and j["status"] == "ZX_OK"'
	json_check "$j" 'all(set(m) >= {"start", "end", "perms", "offset", "mapping", "protected"} for m in j["maps"])'
	json_check "$j" '[m["protected"] for m in j["maps"] if m["mapping"] == "[vdso]"] == [True]'
	json_check "$j" 'not any(m["protected"] for m in j["maps"] if m["mapping"] not in ("[vdso]", "[vvar]", "[vvar_vclock]", "[vsyscall]"))'
	json_check "$j" "any(int(m['start'], 16) <= $((T_counter)) < int(m['end'], 16) and m['mapping'].endswith('/target') for m in j['maps'])"

	run_zxmem -j process-symbol "$TPID" counter
	printf '%s\n' "$output" >"$j"
	json_check "$j" "j['status'] == 'ZX_OK' and int(j['address'], 16) == $((T_counter))"
}

# --- VMOs of a process -----------------------------------------------------

@test "process-vmos lists the program's memfd, usable as a VMO handle" {
	spawn_target
	local fdpath="/proc/$TPID/fd/$T_memfd" ino
	ino=$(stat -L -c %i "$fdpath")
	run_zxmem process-vmos "$TPID"
	assert_line --regexp "^$fdpath $ino 4096 memfd .*target-memfd"

	run_zxmem vmo-read "$fdpath" 0 5 --format raw
	assert_output zxmem
	run_zxmem vmo-write "$fdpath" 0 ABCDE
	assert_output ""
	target_report
	assert_equal "$R_memfd_head" 41424344452d6d65
	assert_target_untouched
}
