#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# ELF core files as TARGET (SPEC §5 "Core file", §7 errors): reads, writes
# that patch the file in place, maps, symbols, protected segments, and
# truncated or malformed cores.  The cores are real: gcore (from gdb) dumps
# the target programs after zxmem has poked known values into them, once
# per file in setup_file; every test works on its own copy.  Writes are
# proven by gdb reading the patched core and by which bytes of the file
# changed; the core is inspected with Python (test_helper/core.bash), not
# with zxmem.

load test_helper/common
load test_helper/process
load test_helper/core
load test_helper/stop

setup_file() {
	# setup_file runs before any test's setup: an environment of its own.
	isolate_env "$BATS_FILE_TMPDIR"
	command -v gcore >/dev/null || {
		echo "gcore (gdb) is needed to make core files" >&2
		return 1
	}
	find_core_python
	# json_check (process.bash) runs python3: skip a slow pyenv shim.
	mkdir "$BATS_FILE_TMPDIR/bin"
	ln -s "$CORE_PYTHON" "$BATS_FILE_TMPDIR/bin/python3"
	export PATH="$BATS_FILE_TMPDIR/bin:$PATH"
	make_core pie target
	make_core nopie target-nopie
}

setup() {
	common_setup
	PAGE=$(getconf PAGESIZE)
	MIB64=67108864
}

teardown() {
	process_teardown
	common_teardown
}

# --- reads -----------------------------------------------------------------

# check_reads NAME: the values poked into the program before gcore read
# back from its core, by symbol and by address.
check_reads() {
	use_core "$1"
	run_zxmem process-read-memory "$CORE" counter 4 --format i32
	assert_output "$V_counter"
	run_zxmem process-read-memory "$CORE" "$T_counter" 4 --format i32
	assert_output "$V_counter"
	run_zxmem process-read-memory "$CORE" message 64 -o "$BATS_TEST_TMPDIR/msg"
	assert_output ""
	printf '%s' "$V_message" >"$BATS_TEST_TMPDIR/want-msg"
	truncate -s 64 "$BATS_TEST_TMPDIR/want-msg"
	assert_same_file "$BATS_TEST_TMPDIR/msg" "$BATS_TEST_TMPDIR/want-msg"
	run_zxmem process-read-memory "$CORE" message "${#V_message}" --format string
	assert_output "$V_message"
	run_zxmem process-read-memory "$CORE" "$T_message" "${#V_message}" --format raw
	assert_output "$V_message"
	run_zxmem process-read-memory "$CORE" big_counter 8 --format i64
	assert_output "$V_big_counter"

	# big: its poked bytes, the one-page tail, and all 64 MiB at once.
	run_zxmem process-read-memory "$CORE" "$T_big" 4 --format hex
	assert_output "$V_big0"
	run_zxmem process-read-memory "$CORE" "$(hexaddr "T_big + 32 * 1024 * 1024")" 3 --format hex
	assert_output "$V_big_mid"
	run_zxmem process-read-memory "$CORE" "$(hexaddr "T_big + MIB64 - 2")" 2 --format hex
	assert_output "$V_big_end"
	run_zxmem process-read-memory "$CORE" "$(hexaddr "T_big + MIB64")" 4 --format hex
	assert_output 00000000
	run_zxmem process-read-memory "$CORE" "$T_big" 64M -o "$BATS_TEST_TMPDIR/big"
	assert_output ""
	truncate -s 64M "$BATS_TEST_TMPDIR/want-big"
	put_hex "$BATS_TEST_TMPDIR/want-big" 0 "$V_big0"
	put_hex "$BATS_TEST_TMPDIR/want-big" $((32 * 1024 * 1024)) "$V_big_mid"
	put_hex "$BATS_TEST_TMPDIR/want-big" $((MIB64 - 2)) "$V_big_end"
	assert_same_file "$BATS_TEST_TMPDIR/big" "$BATS_TEST_TMPDIR/want-big"

	# edge: the page as the program left it.
	run_zxmem process-read-memory "$CORE" "$T_edge" 1 --format hex
	assert_output e0
	run_zxmem process-read-memory "$CORE" "$(hexaddr "T_edge + PAGE - 1")" 1 --format hex
	assert_output e1
}

@test "core: reads give the values poked before gcore, by symbol and address (PIE)" {
	check_reads pie
}

@test "core: reads give the values poked before gcore, by symbol and address (non-PIE)" {
	check_reads nopie
	(((T_counter) < 0x1000000)) || fail "target-nopie is not mapped low: counter=$T_counter"
}

@test "core: a read at the end of a segment is clamped, with a short-read note" {
	use_core pie
	local addr
	addr=$(hexaddr "T_edge + PAGE - 2")
	run_zxmem process-read-memory "$CORE" "$addr" 8 --format hex
	assert_output 00e1
	[[ "$stderr" == "zxmem: process-read-memory: short read: 2 of 8 bytes"* ]] ||
		fail "no short-read note on stderr: $stderr"
	run_zxmem process-read-memory "$CORE" "$addr" 8 -o "$BATS_TEST_TMPDIR/short"
	assert_equal "$(stat -c %s "$BATS_TEST_TMPDIR/short")" 2
}

# check_core_symbols NAME PROG: process-symbol on NAME's core gives the
# addresses the program printed and process-symbol gave while it ran.
check_core_symbols() {
	local prog=$2 sym want
	use_core "$1"
	for sym in counter limit message big_counter; do
		run_zxmem process-symbol "$CORE" "$sym"
		assert_output --regexp '^0x[0-9a-f]+$'
		want="T_$sym"
		assert_equal "$((output))" "$((${!want}))"
	done
	for sym in "$prog!counter" counter+0; do
		run_zxmem process-symbol "$CORE" "$sym"
		assert_equal "$((output))" "$((T_counter))"
	done
	run_zxmem process-symbol "$CORE" message+0x10
	assert_equal "$((output))" "$((T_message + 16))"

	# The addresses the program itself printed while it ran, for symbols
	# whose mappings the core has no data of (text), one that both the
	# executable (copy relocation) and libc define (stdout), and libc's
	# own (printf, environ) as the dynamic linker resolved them.
	for sym in main stdout printf environ 'libc.so.6!printf' 'libc.so.6!environ'; do
		run_zxmem process-symbol "$CORE" "$sym"
		want=T_${sym#libc.so.6!}
		assert_equal "$((output))" "$((${!want}))"
	done
}

@test "core: process-symbol gives the addresses of the live process (PIE)" {
	check_core_symbols pie target
}

@test "core: process-symbol gives the addresses of the live process (non-PIE)" {
	check_core_symbols nopie target-nopie
}

@test "core: libc.so.6!environ resolves and points at the environment" {
	use_core pie
	run_zxmem process-symbol "$CORE" 'libc.so.6!environ'
	assert_output --regexp '^0x[0-9a-f]+$'
	local envp str
	run_zxmem process-read-memory "$CORE" 'libc.so.6!environ' 8 --format u64
	envp=$(hexaddr "$output")
	# environ[0] is a pointer to the first "NAME=value" string.
	run_zxmem process-read-memory "$CORE" "$envp" 8 --format u64
	str=$(hexaddr "$output")
	run_zxmem process-read-memory "$CORE" "$str" 256 --format string
	[[ "$output" =~ ^[A-Za-z_][A-Za-z0-9_]*= ]] || fail "environ[0] is no NAME=value: $output"
}

@test "core: an unknown symbol is NOT_FOUND" {
	enable_debugging
	use_core pie
	run_zxmem -25 process-symbol "$CORE" no_such_symbol_here
	assert_zx_error ZX_ERR_NOT_FOUND
	run_zxmem -25 process-read-memory "$CORE" no_such_symbol_here 4
	assert_zx_error ZX_ERR_NOT_FOUND
	run_zxmem -25 process-write-memory "$CORE" no_such_symbol_here --u32 1
	assert_zx_error ZX_ERR_NOT_FOUND
	run_zxmem -25 process-symbol "$CORE" 'no_such_object.so!counter'
	assert_zx_error ZX_ERR_NOT_FOUND
	assert_same_file "$CORE" "$BATS_FILE_TMPDIR/pie.core"
}

@test "core: --exe names the main executable when NT_FILE's path is gone" {
	use_core pie
	# The same core, but NT_FILE names an executable that does not exist.
	local gone=${CORE_PROG%?}X exe=$BATS_TEST_TMPDIR/bin/prog
	[ ! -e "$gone" ] || fail "$gone exists"
	core_tool rename-nt-file "$CORE" "$CORE_PROG" "$gone"
	mkdir "$BATS_TEST_TMPDIR/bin"
	cp "$CORE_PROG" "$exe"

	run_zxmem process-maps "$CORE"
	assert_line --regexp " $gone from core\$"
	assert_line --regexp " $gone missing \($gone cannot be opened: No such file or directory\)\$"
	run_zxmem -25 process-symbol "$CORE" counter
	assert_zx_error ZX_ERR_NOT_FOUND

	run_zxmem process-symbol "$CORE" counter --exe "$exe"
	assert_equal "$((output))" "$((T_counter))"
	run_zxmem process-symbol "$CORE" big_counter --exe "$exe"
	assert_equal "$((output))" "$((T_big_counter))"
	run_zxmem process-read-memory "$CORE" counter 4 --format i32 --exe "$exe"
	assert_output "$V_counter"
	# The other objects still come from NT_FILE.
	run_zxmem process-symbol "$CORE" 'libc.so.6!environ' --exe "$exe"
	assert_output --regexp '^0x[0-9a-f]+$'
}

@test "core: --exe pointing at another program hides the real one's symbols" {
	use_core pie
	run_zxmem -25 process-symbol "$CORE" counter --exe /bin/true
	assert_zx_error ZX_ERR_NOT_FOUND
	run_zxmem -25 process-read-memory "$CORE" counter 4 --exe /bin/true
	assert_zx_error ZX_ERR_NOT_FOUND
	# Without --exe, NT_FILE's path is used.
	run_zxmem process-symbol "$CORE" counter
	assert_equal "$((output))" "$((T_counter))"
}

# --- writes ----------------------------------------------------------------

# gdb_print CORE PROG EXPR...: gdb's own view of the core; sets $output.
gdb_print() {
	local core=$1 prog=$2 ex=() e
	shift 2
	for e in "$@"; do
		ex+=(-ex "print $e")
	done
	run timeout 60 gdb -nx -batch "${ex[@]}" "$prog" "$core" 3>&-
	assert_success
}

# check_writes NAME: patch counter and big_counter in NAME's core; gdb and
# zxmem read the new values, and only their bytes changed in the file.
check_writes() {
	enable_debugging
	use_core "$1"
	local orig=$BATS_FILE_TMPDIR/$1.core off

	gdb_print "$CORE" "$CORE_PROG" counter big_counter
	assert_line "\$1 = $V_counter"
	assert_line "\$2 = $V_big_counter"

	run_zxmem process-write-memory "$CORE" counter --i32 777
	assert_output 4
	off=$(core_tool offset "$CORE" "$T_counter")
	assert_changed_only "$CORE" "$orig" "$off" 4
	run_zxmem process-write-memory "$CORE" "$T_big_counter" --i64 -31415926535
	assert_output 8

	gdb_print "$CORE" "$CORE_PROG" counter big_counter
	assert_line '$1 = 777'
	assert_line '$2 = -31415926535'
	run_zxmem process-read-memory "$CORE" counter 4 --format i32
	assert_output 777
	run_zxmem process-read-memory "$CORE" big_counter 8 --format i64
	assert_output -31415926535

	# A string at an offset from a symbol, by both spellings of the object.
	run_zxmem process-write-memory "$CORE" message+1 --string XY
	assert_output 2
	gdb_print "$CORE" "$CORE_PROG" message
	assert_line --regexp "^\\\$1 = \"${V_message:0:1}XY${V_message:3}\""
}

@test "core: writes patch the file in place; gdb sees them (PIE)" {
	check_writes pie
}

@test "core: writes patch the file in place; gdb sees them (non-PIE)" {
	check_writes nopie
}

@test "core: a write past the end of a segment is clamped to it" {
	enable_debugging
	use_core pie
	local addr off
	addr=$(hexaddr "T_edge + PAGE - 4")
	off=$(core_tool offset "$CORE" "$addr")
	run_zxmem process-write-memory "$CORE" "$addr" --hex 0102030405060708
	assert_output 4
	assert_changed_only "$CORE" "$BATS_FILE_TMPDIR/pie.core" "$off" 4
	run_zxmem process-read-memory "$CORE" "$addr" 8 --format hex
	assert_output 01020304
	[[ "$stderr" == "zxmem: process-read-memory: short read: 4 of 8 bytes"* ]] ||
		fail "no short-read note on stderr: $stderr"
	run_zxmem process-read-memory "$CORE" "$T_edge" 1 --format hex
	assert_output e0

	# The page after edge is in no segment.
	addr=$(hexaddr "T_edge + PAGE")
	cp "$CORE" "$BATS_TEST_TMPDIR/before"
	run_zxmem -4 process-write-memory "$CORE" "$addr" --hex 00
	assert_zx_error ZX_ERR_NO_MEMORY
	run_zxmem -4 process-read-memory "$CORE" "$addr" 1
	assert_zx_error ZX_ERR_NO_MEMORY
	assert_same_file "$CORE" "$BATS_TEST_TMPDIR/before"
}

@test "core: an address in no segment is NO_MEMORY for read and write" {
	enable_debugging
	use_core pie
	run_zxmem -4 process-read-memory "$CORE" 0x1000 4
	assert_zx_error ZX_ERR_NO_MEMORY
	run_zxmem -4 process-write-memory "$CORE" 0x1000 --u32 5
	assert_zx_error ZX_ERR_NO_MEMORY
	# Just past big's segment (64 MiB + a page), an unmapped page.
	run_zxmem -4 process-read-memory "$CORE" "$(hexaddr "T_big + MIB64 + PAGE")" 1
	assert_zx_error ZX_ERR_NO_MEMORY
	assert_same_file "$CORE" "$BATS_FILE_TMPDIR/pie.core"
}

@test "core: 0 bytes and 64 MiB + 1 are INVALID_ARGS; a 64 MiB write fits" {
	enable_debugging
	use_core pie
	run_zxmem -10 process-write-memory "$CORE" "$T_big" --hex ""
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-write-memory "$CORE" "$T_big" --hex 5a --repeat 67108865
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -10 process-read-memory "$CORE" "$T_big" 0
	assert_zx_error ZX_ERR_INVALID_ARGS
	assert_same_file "$CORE" "$BATS_FILE_TMPDIR/pie.core"

	run_zxmem process-write-memory "$CORE" "$T_big" --hex 5a --repeat 64M
	assert_output 67108864
	assert_changed_only "$CORE" "$BATS_FILE_TMPDIR/pie.core" \
		"$(core_tool offset "$CORE" "$T_big")" "$MIB64"
	run_zxmem process-read-memory "$CORE" "$(hexaddr "T_big + MIB64 - 1")" 2 --format hex
	assert_output 5a00
}

# --- maps and protected segments -------------------------------------------

@test "core: process-maps lists every PT_LOAD, names files, marks [vdso]/[vsyscall]" {
	use_core pie
	run_zxmem process-maps "$CORE"
	local line n=0 loads=0 idx type off vaddr filesz memsz vdso start end path
	while read -r idx type off vaddr filesz memsz; do
		[ "$type" -eq 1 ] || continue
		loads=$((loads + 1))
		assert_line --regexp "^$(printf '%08x-%08x' "$vaddr" "$((vaddr + memsz))") [r-][w-][x-]p [0-9a-f]{8}( |\$)" ||
			return 1
	done < <(core_tool phdrs "$CORE")
	# gcore leaves out read-only file mappings: NT_FILE entries with no
	# PT_LOAD are listed too, with unknown permissions, from the file.
	while read -r start end path; do
		grep -q "^${start#0x}-${end#0x} " <<<"$output" ||
			fail "NT_FILE entry $start-$end $path is not listed"
	done < <(core_tool nt-file "$CORE" | tail -n +2)
	assert_equal "$((${#lines[@]} - $(grep -c ' r??p ' <<<"$output")))" "$loads"

	while IFS= read -r line; do
		case "$line" in
		*" [vdso] protected from core" | *" [vsyscall] protected from core") n=$((n + 1)) ;;
		*protected*) fail "wrongly protected: $line" ;;
		*"[vdso]"* | *"[vsyscall]"*) fail "not marked protected: $line" ;;
		esac
	done <<<"$output"
	[ "$n" -ge 1 ] || fail "nothing protected: $output"

	# [vdso] is the segment at NT_AUXV's AT_SYSINFO_EHDR (33).
	vdso=$(core_tool auxv "$CORE" 33)
	line=$(map_line_of "$vdso") || fail "AT_SYSINFO_EHDR $vdso is in no mapping"
	[[ "$line" == "${vdso#0x}-"*" [vdso] protected from core" ]] || fail "vdso line: $line"

	# Names come from NT_FILE: the executable (and its data), libc.
	line=$(map_line_of "$T_counter") || fail "counter is in no mapping"
	[[ "$line" == *" rw-p "*" $CORE_PROG from core" ]] || fail "counter's mapping: $line"
	assert_line --regexp " r--p [0-9a-f]{8} $CORE_PROG from core\$"
	assert_line --regexp ' r--p [0-9a-f]{8} /.*/libc\.so\.6 from core$'
	assert_line --regexp ' rw-p [0-9a-f]{8} /.*/libc\.so\.6 from core$'
	# Its text is not in a gcore core: it comes from the file.
	line=$(map_line_of "$T_main") || fail "main is in no mapping"
	[[ "$line" == *" r??p "*" $CORE_PROG from file" ]] || fail "main's mapping: $line"
	# big is anonymous.
	line=$(map_line_of "$T_big")
	assert_equal "$line" "$(printf '%08x-%08x rw-p 00000000 from core' \
		"$((T_big))" "$((T_big + MIB64 + PAGE))")"
}

@test "core: writes into [vdso] and [vsyscall] are ACCESS_DENIED; the file is unchanged" {
	enable_debugging
	use_core pie
	run_zxmem process-maps "$CORE"
	local vdso vsyscall
	vdso=$(core_map_start '[vdso] protected') || fail "no [vdso] in: $output"
	vsyscall=$(core_map_start '[vsyscall] protected') || vsyscall=

	run_zxmem process-read-memory "$CORE" "$vdso" 4 --format hex
	assert_output 7f454c46
	run_zxmem -30 process-write-memory "$CORE" "$vdso" --hex 00
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -30 process-write-memory "$CORE" "$(hexaddr "vdso + 0x100")" --hex 'cc cc'
	assert_zx_error ZX_ERR_ACCESS_DENIED
	if [ -n "$vsyscall" ]; then
		run_zxmem -30 process-write-memory "$CORE" "$vsyscall" --hex 00
		assert_zx_error ZX_ERR_ACCESS_DENIED
	fi
	assert_same_file "$CORE" "$BATS_FILE_TMPDIR/pie.core"
}

@test "core: process-vmos is NOT_SUPPORTED" {
	use_core pie
	run_zxmem -2 process-vmos "$CORE"
	assert_zx_error ZX_ERR_NOT_SUPPORTED
}

# --- the gate --------------------------------------------------------------

@test "core: gate off is NOT_SUPPORTED before any other check; the file is unchanged" {
	hide_etc_conf
	use_core pie
	head -c 100000 "$CORE" >"$BATS_TEST_TMPDIR/truncated"
	cp "$BATS_TEST_TMPDIR/truncated" "$BATS_TEST_TMPDIR/truncated.orig"
	run_zxmem -2 process-write-memory "$CORE" counter --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 -k "$GATE_OFF" process-write-memory "$CORE" "$T_counter" --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$CORE" 0x1000 --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$CORE" counter --hex ""
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$BATS_TEST_TMPDIR/no-such-core" 0x1000 --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$BATS_TEST_TMPDIR/truncated" "$T_counter" --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	run_zxmem -2 process-write-memory "$ZXMEM_TEST_BIN/target" 0x1000 --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	assert_same_file "$CORE" "$BATS_FILE_TMPDIR/pie.core"
	assert_same_file "$BATS_TEST_TMPDIR/truncated" "$BATS_TEST_TMPDIR/truncated.orig"

	# Reads need no gate.
	run_zxmem process-read-memory "$CORE" counter 4 --format i32
	assert_output "$V_counter"
	# And -k turns it on.
	run_zxmem -k "$GATE_ON" process-write-memory "$CORE" counter --u32 9
	assert_output 4
}

# --- OUT_OF_RANGE: past p_filesz ---------------------------------------------

@test "core: an address past a segment's p_filesz is OUT_OF_RANGE; reads clamp to it" {
	enable_debugging
	use_core pie
	local idx type off vaddr filesz memsz i

	# Any segment gcore itself wrote short.
	while read -r idx type off vaddr filesz memsz; do
		((type == 1 && filesz < memsz)) || continue
		run_zxmem -14 process-read-memory "$CORE" "$(hexaddr "vaddr + filesz")" 1 || return 1
		assert_zx_error ZX_ERR_OUT_OF_RANGE || return 1
	done < <(core_tool phdrs "$CORE")

	# big's segment backed by one page only; edge's by nothing.
	i=$(core_tool load-index "$CORE" "$T_big")
	core_tool set-phdr "$CORE" "$i" filesz "$PAGE"
	i=$(core_tool load-index "$CORE" "$T_edge")
	core_tool set-phdr "$CORE" "$i" filesz 0
	cp "$CORE" "$BATS_TEST_TMPDIR/before"

	run_zxmem process-read-memory "$CORE" "$T_big" 4 --format hex
	assert_output "$V_big0"
	run_zxmem -14 process-read-memory "$CORE" "$(hexaddr "T_big + PAGE")" 1
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 process-read-memory "$CORE" "$(hexaddr "T_big + 32 * 1024 * 1024")" 3
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 process-write-memory "$CORE" "$(hexaddr "T_big + PAGE")" --hex 00
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 process-read-memory "$CORE" "$T_edge" 1
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 process-write-memory "$CORE" "$T_edge" --hex 00
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	assert_same_file "$CORE" "$BATS_TEST_TMPDIR/before"

	# Clamped to p_filesz, not p_memsz.
	run_zxmem process-read-memory "$CORE" "$(hexaddr "T_big + PAGE - 2")" 8 --format hex
	assert_output 0000
	[[ "$stderr" == "zxmem: process-read-memory: short read: 2 of 8 bytes"* ]] ||
		fail "no short-read note on stderr: $stderr"
	run_zxmem process-write-memory "$CORE" "$(hexaddr "T_big + PAGE - 2")" --hex 0102030405
	assert_output 2
	assert_changed_only "$CORE" "$BATS_TEST_TMPDIR/before" \
		"$(core_tool offset "$CORE" "$(hexaddr "T_big + PAGE - 2")")" 2
}

# --- a core that cannot be written -----------------------------------------

@test "core: a read-only core is readable; a write is ACCESS_DENIED and changes nothing" {
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" -eq 0 ] || skip "needs root to run as another user"
	use_core pie
	as_nobody
	export ZXMEM_KERNEL_CMDLINE="$GATE_ON"
	local ro=$NOBODY_DIR/ro.core exe=()
	cp "$CORE" "$ro"
	chmod 444 "$ro"
	# The program NT_FILE names may be out of nobody's reach (a clone
	# under a 0700 home): then name its copy with --exe.
	setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$CORE_PROG" ||
		exe=(--exe "$ZXMEM_TEST_BIN/target")

	run_zxmem process-read-memory "$ro" "$T_counter" 4 --format i32
	assert_output "$V_counter"
	run_zxmem process-read-memory "$ro" counter 4 --format i32 "${exe[@]}"
	assert_output "$V_counter"
	run_zxmem process-maps "$ro"
	assert_line --regexp ' \[vdso\] protected from core$'
	run_zxmem -30 process-write-memory "$ro" "$T_counter" --u32 99
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -30 process-write-memory "$ro" counter --u32 99 "${exe[@]}"
	assert_zx_error ZX_ERR_ACCESS_DENIED
	assert_same_file "$ro" "$BATS_FILE_TMPDIR/pie.core"
}

# --- truncated and malformed cores -----------------------------------------

# assert_core_io FILE [WORD]: every command on FILE fails with ZX_ERR_IO
# (naming WORD if given), a write included, and FILE is unchanged.
assert_core_io() {
	local file=$1 word=${2-}
	cp "$file" "$BATS_TEST_TMPDIR/io.orig"
	run_zxmem -40 process-read-memory "$file" "$T_counter" 4 || return 1
	assert_zx_error ZX_ERR_IO || return 1
	if [ -n "$word" ] && [[ "$stderr" != *"$word"* ]]; then
		echo "ZX_ERR_IO message does not say '$word': $stderr" >&2
		return 1
	fi
	run_zxmem -40 process-maps "$file" || return 1
	assert_zx_error ZX_ERR_IO || return 1
	run_zxmem -40 process-symbol "$file" counter || return 1
	assert_zx_error ZX_ERR_IO || return 1
	run_zxmem -40 -k "$GATE_ON" process-write-memory "$file" "$T_counter" --u32 5 || return 1
	assert_zx_error ZX_ERR_IO || return 1
	assert_same_file "$file" "$BATS_TEST_TMPDIR/io.orig"
}

@test "core: a truncated core is IO 'truncated'" {
	use_core pie
	local t=$BATS_TEST_TMPDIR/truncated size
	head -c 100000 "$CORE" >"$t"
	assert_core_io "$t" truncated
	# Cut inside big's segment, after counter's (truncate keeps it sparse).
	for size in 40000000 \
		"$(core_tool phdrs "$CORE" | awk '{ e = $3 + $5; if (e > m) m = e } END { print m - 1 }')"; do
		cp "$CORE" "$t"
		truncate -s "$size" "$t"
		assert_core_io "$t" truncated || return 1
	done
}

@test "core: a PT_LOAD with p_filesz > p_memsz is IO" {
	use_core pie
	local i memsz
	i=$(core_tool load-index "$CORE" "$T_counter")
	memsz=$(core_tool phdrs "$CORE" | awk -v i="$i" '$1 == i { print $6 }')
	core_tool set-phdr "$CORE" "$i" filesz "$((memsz + PAGE))"
	assert_core_io "$CORE"
}

@test "core: a PT_NOTE past the end of the file is IO" {
	use_core pie
	local i
	i=$(core_tool phdrs "$CORE" | awk '$2 == 4 { print $1; exit }')
	[ -n "$i" ] || fail "no PT_NOTE"
	core_tool set-phdr "$CORE" "$i" offset "$(($(stat -c %s "$CORE") + PAGE))"
	assert_core_io "$CORE"
}

@test "core: a program header table cut short is IO, not an empty core" {
	use_core pie
	local t=$BATS_TEST_TMPDIR/cut phoff nph n
	phoff=$(od -An -t u8 -j 32 -N 8 "$CORE" | tr -d ' ')
	nph=$(core_tool phdrs "$CORE" | wc -l)
	# Inside the first header (libelf then sees none), inside the last.
	for n in $((phoff + 36)) $((phoff + 56 * nph - 8)); do
		head -c "$n" "$CORE" >"$t"
		assert_core_io "$t" "program header table" || return 1
	done
}

@test "core: a PT_LOAD whose file bytes are the ELF header, the notes or another segment's is IO; a write changes nothing" {
	use_core pie
	local i note other off
	i=$(core_tool load-index "$CORE" "$T_counter")
	note=$(core_tool phdrs "$CORE" | awk '$2 == 4 { print $3; exit }')
	other=$(core_tool phdrs "$CORE" | awk -v i="$i" '$2 == 1 && $1 != i && $5 > 0 { print $3; exit }')
	[ -n "$note" ] && [ -n "$other" ] || fail "no PT_NOTE or no other PT_LOAD"
	# assert_core_io also writes counter: through this header, the write
	# would land on the bytes named.
	for off in 0 "$note" "$other"; do
		cp "$BATS_FILE_TMPDIR/pie.core" "$CORE"
		core_tool set-phdr "$CORE" "$i" offset "$off"
		assert_core_io "$CORE" overlap || return 1
	done
}

@test "core: a core truncated while zxmem reads it is IO, not SIGBUS" {
	use_core pie
	# zxmem stops once it has the core's size and begins reading (right
	# after libelf maps it, in a build that maps cores); the core shrinks
	# to nothing; zxmem goes on.
	zxmem_stop_at "$CORE" "mmap:when=1 pread64:when=2" process-maps "$CORE"
	truncate -s 0 "$CORE"
	zxmem_resume -40
	assert_zx_error ZX_ERR_IO
	[[ "$stderr" == *"$CORE"* ]] || fail "the message does not name the core: $stderr"
	assert_output ""
}

@test "core: an NT_FILE note with a corrupt count is IO" {
	use_core pie
	local descsz count n
	read -r descsz count < <(core_tool nt-file "$CORE")
	[ "$count" -gt 0 ] || fail "NT_FILE lists no files"
	# More entries than the note has room for, up to 2^64 - 1.
	for n in 0xffffffffffffffff 0x100000000 0x0aaaaaaaaaaaaaab \
		$(((descsz - 16) / 24 + 1)); do
		cp "$BATS_FILE_TMPDIR/pie.core" "$CORE"
		core_tool set-nt-file-count "$CORE" "$n"
		assert_core_io "$CORE" NT_FILE || return 1
	done
}

@test "core: random bytes after a valid ET_CORE ELF header are IO" {
	use_core pie
	local seed
	for seed in 1 2 3; do
		core_garbage "$BATS_TEST_TMPDIR/garbage" "$CORE" "$seed" 1000
		assert_core_io "$BATS_TEST_TMPDIR/garbage" || return 1
	done
}

@test "core: damaged program headers and notes never crash zxmem" {
	use_core pie
	local seed c s status allowed=" 0 4 10 12 14 25 30 40 "
	core_mutate "$BATS_TEST_TMPDIR/m" "$CORE" 8 $(seq 1 30)
	for seed in $(seq 1 30); do
		for c in "process-maps" "process-read-memory $T_counter 4" \
			"process-symbol counter" \
			"process-write-memory $T_counter --u32 5"; do
			set -- $c
			s=$1
			shift
			# Not run: 120 runs of bats' run cost seconds.
			status=0
			timeout 60 "$ZXMEM" -k "$GATE_ON" "$s" "$BATS_TEST_TMPDIR/m.$seed" \
				"$@" >/dev/null 2>"$BATS_TEST_TMPDIR/err" 3>&- || status=$?
			if [[ "$allowed" != *" $status "* ]]; then
				fail "seed $seed: zxmem $s: status $status: $(cat "$BATS_TEST_TMPDIR/err")"
			fi
		done
	done
}

# --- not a core ------------------------------------------------------------

# assert_all_fail N NAME TARGET: every command on TARGET fails with N.
assert_all_fail() {
	local n=$1 name=$2 target=$3
	run_zxmem "-$n" process-read-memory "$target" 0x1000 4 || return 1
	assert_zx_error "$name" || return 1
	run_zxmem "-$n" -k "$GATE_ON" process-write-memory "$target" 0x1000 --u32 5 || return 1
	assert_zx_error "$name" || return 1
	run_zxmem "-$n" process-maps "$target" || return 1
	assert_zx_error "$name" || return 1
	run_zxmem "-$n" process-symbol "$target" counter || return 1
	assert_zx_error "$name" || return 1
}

@test "core: an ELF that is not a core and a non-ELF file are WRONG_TYPE" {
	cp "$ZXMEM_TEST_BIN/target" "$BATS_TEST_TMPDIR/exe"
	assert_all_fail 12 ZX_ERR_WRONG_TYPE "$BATS_TEST_TMPDIR/exe"
	cmp "$BATS_TEST_TMPDIR/exe" "$ZXMEM_TEST_BIN/target"
	local libc
	libc=$(ldd "$ZXMEM_TEST_BIN/target" | awk '$1 == "libc.so.6" { print $3 }')
	[ -n "$libc" ] && assert_all_fail 12 ZX_ERR_WRONG_TYPE "$libc"

	printf 'not an ELF file\n' >"$BATS_TEST_TMPDIR/plain"
	assert_all_fail 12 ZX_ERR_WRONG_TYPE "$BATS_TEST_TMPDIR/plain"
	assert_equal "$(cat "$BATS_TEST_TMPDIR/plain")" "not an ELF file"
}

@test "core: a missing core file is BAD_HANDLE" {
	assert_all_fail 11 ZX_ERR_BAD_HANDLE "$BATS_TEST_TMPDIR/no-such-core"
	[ ! -e "$BATS_TEST_TMPDIR/no-such-core" ]
}

# --- JSON ------------------------------------------------------------------

@test "core: JSON maps, read, write and an error" {
	enable_debugging
	use_core pie
	local j=$BATS_TEST_TMPDIR/out.json want

	run_zxmem -j process-maps "$CORE"
	printf '%s\n' "$output" >"$j"
	assert_equal "$stderr" ""
	json_check "$j" "(j['command'] == 'process-maps' and j['status'] == 'ZX_OK'
		and all(set(m) >= {'start', 'end', 'perms', 'offset', 'mapping', 'protected'} for m in j['maps'])
		and [m['protected'] for m in j['maps'] if m['mapping'] == '[vdso]'] == [True]
		and not any(m['protected'] for m in j['maps'] if m['mapping'] not in ('[vdso]', '[vsyscall]'))
		and any(int(m['start'], 16) <= $((T_counter)) < int(m['end'], 16)
			and m['mapping'] == '$CORE_PROG' for m in j['maps']))"

	run_zxmem -j process-read-memory "$CORE" counter 4
	printf '%s\n' "$output" >"$j"
	want=$(printf '%08x' "$((V_counter & 0xffffffff))")
	want=${want:6:2}${want:4:2}${want:2:2}${want:0:2}
	json_check "$j" "(j['command'] == 'process-read-memory' and j['status'] == 'ZX_OK'
		and j['data_hex'] == '$want' and j['actual'] == 4 and j['size'] == 4
		and int(j['address'], 16) == $((T_counter)))"

	run_zxmem -j process-write-memory "$CORE" counter --u32 77
	printf '%s\n' "$output" >"$j"
	json_check "$j" 'j["status"] == "ZX_OK" and j["actual"] == 4'

	run_zxmem -30 -j process-write-memory "$CORE" "$(core_tool auxv "$CORE" 33)" --hex 00
	printf '%s\n' "$output" >"$j"
	json_check "$j" 'j["status"] == "ZX_ERR_ACCESS_DENIED" and j["code"] == -30 and j["message"]'
	assert_equal "$stderr" ""

	head -c 100000 "$CORE" >"$BATS_TEST_TMPDIR/truncated"
	run_zxmem -40 -j process-maps "$BATS_TEST_TMPDIR/truncated"
	printf '%s\n' "$output" >"$j"
	json_check "$j" 'j["status"] == "ZX_ERR_IO" and j["code"] == -40 and "truncated" in j["message"]'
}

@test "a core of the other byte order is read in its own order" {
	# Synthetic cores from fuzz/make_core_seeds.py: big-endian ppc64 and
	# 32-bit ppc. Their notes once read byte-swapped, so NT_FILE's count
	# looked absurd and the core was refused.
	local c
	for c in ppc64be ppcbe32; do
		run_zxmem process-maps "$BATS_TEST_DIRNAME/../fuzz/corpus/core/$c" || return 1
		assert_line --partial "/usr/bin/sleep" || return 1
		assert_line --partial "[vdso] protected" || return 1
	done
}
