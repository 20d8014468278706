#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Start-up: a one-shot command loads only what it uses. elfutils lives in
# the module zxmem-elf.so and readline in zxmem-shell.so (src/targets/
# module.h), loaded by the commands that need them; a missing, foreign or
# tamperable module is a clear error naming it, never a crash. Which
# libraries a run loaded is read from the dynamic loader's own trace
# (LD_DEBUG=files), not timed: speed is measured in make bench.

load test_helper/common
load test_helper/process

teardown() {
	process_teardown
	common_teardown
}

# loaded ARGS...: run zxmem with LD_DEBUG=files; set status, output and
# LOADED (the loader's "file=NAME ..." lines: what the run loaded).
loaded() {
	local trace=$BATS_TEST_TMPDIR/ld.trace
	run --separate-stderr env LD_DEBUG=files LD_DEBUG_OUTPUT="$trace" \
	    timeout 60 "$ZXMEM" "$@" 3>&-
	trace_of "$trace"
}

# trace_of FILE: LOADED from the loader's trace files FILE.PID; the trace
# must be zxmem's own, or the checks on it would prove nothing.
trace_of() {
	local all
	all=$(cat "$1".*)
	rm -f "$1".*
	[[ $all == *"transferring control: $ZXMEM"* ]] || {
		echo "no loader trace of $ZXMEM: $all" >&2
		return 1
	}
	LOADED=$(grep -o 'file=[^ ]*' <<<"$all" | sort -u)
}

refute_loaded() {
	local lib
	for lib in "$@"; do
		if [[ $LOADED == *"$lib"* ]]; then
			echo "loaded $lib: $LOADED" >&2
			return 1
		fi
	done
}

assert_loaded() {
	local lib
	for lib in "$@"; do
		if [[ $LOADED != *"$lib"* ]]; then
			echo "did not load $lib: $LOADED" >&2
			return 1
		fi
	done
}

@test "a poke by address loads neither elfutils nor readline" {
	spawn_target
	loaded -k "$GATE_ON" process-write-memory "$TPID" "$T_counter" --u32 7
	assert_equal "$status" 0
	assert_equal "$output" 4
	refute_loaded libdw libelf libreadline libtinfo zxmem-elf.so zxmem-shell.so
	target_report
	assert_equal "$R_counter" 7
}

@test "commands without symbols, types or cores load no module" {
	spawn_target
	loaded process-read-memory "$TPID" "$T_counter" 4 --format u32
	assert_equal "$status" 0
	assert_equal "$output" 1
	refute_loaded libdw libelf libreadline zxmem-elf.so zxmem-shell.so
	loaded process-maps "$TPID"
	assert_equal "$status" 0
	refute_loaded libdw libelf libreadline zxmem-elf.so zxmem-shell.so
	loaded vmo-create 4096 --name buf
	assert_equal "$status" 0
	loaded vmo-write buf 0 --hex 68690a
	assert_equal "$status" 0
	loaded vmo-read buf 0 3 --format string
	assert_equal "$status" 0
	assert_equal "$output" 'hi\n'
	refute_loaded libdw libelf libreadline zxmem-elf.so zxmem-shell.so
}

@test "a symbol loads zxmem-elf.so and elfutils, and the shell zxmem-shell.so" {
	spawn_target
	loaded process-symbol "$TPID" counter
	assert_equal "$status" 0
	assert_equal "$output" "$T_counter"
	assert_loaded zxmem-elf.so libdw.so libelf.so
	refute_loaded libreadline zxmem-shell.so
	run --separate-stderr env LD_DEBUG=files LD_DEBUG_OUTPUT="$BATS_TEST_TMPDIR/sh.trace" \
	    timeout 60 "$ZXMEM" shell 3>&- <<<"process-read-memory $TPID $T_counter 4 --format u32"
	assert_equal "$status" 0
	assert_line 1
	trace_of "$BATS_TEST_TMPDIR/sh.trace"
	assert_loaded zxmem-shell.so libreadline
	refute_loaded zxmem-elf.so libdw
}

# bare_copy DIR: a copy of zxmem alone in DIR/bin (no module next to it
# and none in DIR/libexec/zxmem); sets BARE.
bare_copy() {
	mkdir -p "$1/bin"
	cp "$ZXMEM" "$1/bin/zxmem"
	BARE=$1/bin/zxmem
}

@test "a missing module is an error naming it; other commands still work" {
	local d=$BATS_TEST_TMPDIR/bare core=$BATS_TEST_TMPDIR/tiny.core
	bare_copy "$d"
	spawn_target
	ZXMEM=$BARE run_zxmem -2 process-symbol "$TPID" counter
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	assert_equal "$stderr" "zxmem: process-symbol: ZX_ERR_NOT_SUPPORTED: module zxmem-elf.so is not installed (looked in $d/bin and $d/bin/../libexec/zxmem)"
	ZXMEM=$BARE run_zxmem -2 -k "$GATE_ON" process-write-memory "$TPID" counter --u32 9
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	[[ $stderr == *"module zxmem-elf.so is not installed"* ]]
	# A core file (an ELF header saying ET_CORE is enough to be taken for one).
	printf '\177ELF\2\1\1\0\0\0\0\0\0\0\0\0\4\0' >"$core"
	ZXMEM=$BARE run_zxmem -2 process-maps "$core"
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	[[ $stderr == *"module zxmem-elf.so is not installed"* ]]
	ZXMEM=$BARE run_zxmem -2 shell </dev/null
	assert_equal "$stderr" "zxmem: shell: ZX_ERR_NOT_SUPPORTED: module zxmem-shell.so is not installed (looked in $d/bin and $d/bin/../libexec/zxmem)"
	# What needs no module works from the bare copy, and the refused
	# poke changed nothing.
	target_report
	assert_equal "$R_counter" 1
	ZXMEM=$BARE run_zxmem -k "$GATE_ON" process-write-memory "$TPID" "$T_counter" --u32 8
	assert_output 4
	target_report
	assert_equal "$R_counter" 8
}

@test "modules are found in ../libexec/zxmem from an installed binary" {
	local d=$BATS_TEST_TMPDIR/prefix
	bare_copy "$d"
	mkdir -p "$d/libexec/zxmem"
	cp "$(dirname "$ZXMEM")"/zxmem-elf.so "$(dirname "$ZXMEM")"/zxmem-shell.so \
	    "$d/libexec/zxmem/"
	spawn_target
	ZXMEM=$BARE run_zxmem process-symbol "$TPID" counter
	assert_output "$T_counter"
	ZXMEM=$BARE run_zxmem shell <<<"process-symbol $TPID counter"
	assert_line "$T_counter"
}

@test "a module from another build, a symlink or a writable module is refused" {
	local d=$BATS_TEST_TMPDIR/odd m
	bare_copy "$d"
	m=$d/bin/zxmem-elf.so
	spawn_target
	# The same module with another interface string (its header checksum
	# changed digit by digit).
	perl -pe 's/(zxmem \d+\.\d+\.\d+ )(\d+)/$1 . join("", map { ($_ + 1) % 10 } split(m{}, $2))/e' \
	    "$(dirname "$ZXMEM")/zxmem-elf.so" >"$m"
	cmp -s "$m" "$(dirname "$ZXMEM")/zxmem-elf.so" && { echo "patch did nothing" >&2; return 1; }
	ZXMEM=$BARE run_zxmem -2 process-symbol "$TPID" counter
	assert_zx_error ZX_ERR_NOT_SUPPORTED
	[[ $stderr == *"module zxmem-elf.so cannot be used: $m: built for another zxmem"* ]]

	cp "$(dirname "$ZXMEM")/zxmem-elf.so" "$m"
	chmod o+w "$m"
	ZXMEM=$BARE run_zxmem -2 process-symbol "$TPID" counter
	[[ $stderr == *"module zxmem-elf.so cannot be used: $m: refused, as it or its directory could have been changed by someone other than the owner of zxmem or root"* ]]

	rm "$m"
	ln -s "$(realpath "$(dirname "$ZXMEM")/zxmem-elf.so")" "$m"
	ZXMEM=$BARE run_zxmem -2 process-symbol "$TPID" counter
	[[ $stderr == *"module zxmem-elf.so cannot be used: $m: a symbolic link; refused"* ]]

	rm "$m"
	cp "$(dirname "$ZXMEM")/zxmem-elf.so" "$m"
	ZXMEM=$BARE run_zxmem process-symbol "$TPID" counter
	assert_output "$T_counter"
}
