#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# `zxmem __complete WORDS... CUR` and the shell scripts in completions/ that
# wrap it.

load test_helper/common
load test_helper/process
load test_helper/completion

ROOT="$BATS_TEST_DIRNAME/.."

# assert_candidate WORD: WORD is one of the lines of $output.
assert_candidate() {
	if [[ $'\n'$output$'\n' != *$'\n'"$1"$'\n'* ]]; then
		echo "'$1' is not among the candidates: $output" >&2
		return 1
	fi
}

# complete_words ARGS...: run_zxmem __complete ARGS, then keep only the
# words of the candidates (no "<TAB>DESCRIPTION") in $output and $lines.
complete_words() {
	run_zxmem __complete "$@" || return
	output=$(printf '%s\n' "${lines[@]}" | cut -f1)
	lines=()
	[ -z "$output" ] || mapfile -t lines <<<"$output"
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

# ns_state DIR: every entry under DIR with its type, mode, size, mtime and
# (for files) content, so a change of any shows.
ns_state() {
	local f
	find "$1" -printf '%P %y %m %s %T@\n' | sort
	find "$1" -type f -print0 | sort -z | while IFS= read -r -d '' f; do
		printf '%s: %s\n' "${f#"$1"}" "$(od -An -tx1 "$f" | tr -d ' \n')"
	done
}

@test "__complete lists the commands for an empty word" {
	complete_words ""
	assert_candidate vmo-create
	assert_candidate vmo-read
	assert_candidate process-write-memory
	assert_candidate help
}

@test "__complete filters commands by prefix" {
	complete_words vmo-r
	assert_output vmo-read
	complete_words process-
	assert_candidate process-maps
	assert_candidate process-symbol
	assert_all_start_with process-
}

@test "__complete offers nothing for a prefix no command has" {
	complete_words no-such-
	assert_output ""
}

@test "__complete lists global options and skips them before the command" {
	complete_words --js
	assert_output --json
	complete_words -j vmo-r
	assert_output vmo-read
	complete_words -k kernel.enable-debugging-syscalls=true process-wr
	assert_output process-write-memory
}

@test "__complete lists a command's options" {
	complete_words vmo-read buf 0 16 --f
	assert_candidate --format
	assert_all_start_with --f
	complete_words vmo-create 4096 --
	assert_candidate --resizable
	assert_candidate --name
	complete_words vmo-write buf 0 --u3
	assert_candidate --u32
}

@test "__complete lists the formats after --format" {
	complete_words vmo-read buf 0 16 --format ""
	local f
	for f in hexdump raw hex u8 u16 u32 u64 i8 i16 i32 i64 f32 f64 string value; do
		assert_candidate "$f" || return 1
	done
	complete_words process-read-memory 1 0x1000 16 --format u
	assert_candidate u8
	assert_candidate u64
	assert_all_start_with u
}

@test "__complete offers [heap] and [stack] after process-find --in" {
	complete_words process-find 1 --u32 5 --in ""
	assert_candidate "[heap]"
	assert_candidate "[stack]"
	complete_words process-find 1 --wr
	assert_output --writable
	complete_words process-watch 1 counter 4 --ti
	assert_output --timeout
}

@test "__complete lists the handles of the namespace" {
	run_zxmem vmo-create 4096 --name alpha
	run_zxmem vmo-create 4096 --name beta
	complete_words vmo-read al
	assert_output alpha
	complete_words vmo-get-size ""
	assert_candidate alpha
	assert_candidate beta
	complete_words handle-close alpha ""
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

teardown() {
	if [ -n "${OTHER_NS-}" ]; then
		"$ZXMEM" --runtime-dir "$OTHER_NS" reset >/dev/null 2>&1 3>&- || true
		holders_left=$(holders_of "$OTHER_NS")
		[ -z "$holders_left" ] || {
			echo "holders of $OTHER_NS left behind: $holders_left" >&2
			return 1
		}
	fi
	process_teardown
	common_teardown
}

# other_ns: a second namespace, $OTHER_NS, holding one handle "gamma";
# ZXMEM_RUNTIME_DIR's holds "alpha".
other_ns() {
	OTHER_NS=$BATS_TEST_TMPDIR/other-ns
	run_zxmem vmo-create 4096 --name alpha
	run_zxmem --runtime-dir "$OTHER_NS" vmo-create 4096 --name gamma
}

@test "__complete lists the handles of --runtime-dir DIR, --runtime-dir=DIR and ZXMEM_RUNTIME_DIR" {
	other_ns
	run_zxmem __complete vmo-read ""
	assert_output alpha
	run_zxmem __complete --runtime-dir "$OTHER_NS" vmo-read ""
	assert_output gamma
	run_zxmem __complete --runtime-dir="$OTHER_NS" vmo-read ""
	assert_output gamma
	# A unique prefix, as getopt_long takes it.
	run_zxmem __complete --runtime="$OTHER_NS" -j vmo-get-size g
	assert_output gamma
	ZXMEM_RUNTIME_DIR=$OTHER_NS run_zxmem __complete handle-close ""
	assert_output gamma
	# The shells pass "~/..." as typed.
	HOME=$BATS_TEST_TMPDIR run_zxmem __complete --runtime-dir '~/other-ns' \
	    vmo-read ""
	assert_output gamma
	HOME=$BATS_TEST_TMPDIR run_zxmem __complete --runtime-dir='~/other-ns' \
	    vmo-read ""
	assert_output gamma
}

@test "__complete in a namespace that does not exist creates nothing" {
	local fresh=$BATS_TEST_TMPDIR/typo
	run_zxmem __complete --runtime-dir "$fresh" vmo-read ""
	assert_output ""
	run_zxmem __complete --runtime-dir="$fresh/deeper" handle-close ""
	assert_output ""
	ZXMEM_RUNTIME_DIR=$fresh run_zxmem __complete vmo-get-size ""
	assert_output ""
	[ ! -e "$fresh" ]
}

@test "__complete lists an existing namespace without changing a byte, a time or a lock" {
	run_zxmem vmo-create 4096 --name alpha
	run_zxmem vmo-create 8192 --name beta
	# Listing handles with handle-list makes the lock file and may reap;
	# completion must do neither.
	rm "$ZXMEM_RUNTIME_DIR/lock"
	local before
	before=$(ns_state "$ZXMEM_RUNTIME_DIR")
	run_zxmem __complete vmo-read ""
	assert_output $'alpha\nbeta'
	run_zxmem __complete handle-close alpha b
	assert_output beta
	run bash_complete vmo-read ""
	assert_line alpha
	run fish_complete "zxmem vmo-read "
	assert_line alpha
	run zsh_complete "zxmem vmo-read "
	assert_line alpha
	assert_equal "$(ns_state "$ZXMEM_RUNTIME_DIR")" "$before"
	[ ! -e "$ZXMEM_RUNTIME_DIR/lock" ]
}

@test "__complete lists no handles of a namespace it would refuse" {
	run_zxmem vmo-create 4096 --name alpha
	chmod 755 "$ZXMEM_RUNTIME_DIR"
	run_zxmem __complete vmo-read ""
	assert_output ""
	chmod 700 "$ZXMEM_RUNTIME_DIR"
	ln -s "$ZXMEM_RUNTIME_DIR" "$BATS_TEST_TMPDIR/link"
	run_zxmem __complete --runtime-dir "$BATS_TEST_TMPDIR/link" vmo-read ""
	assert_output ""
}

@test "__complete offers live PIDs with their command names where a TARGET goes" {
	spawn_target
	run_zxmem __complete process-maps ""
	assert_line "$TPID	target"
	# Not zxmem itself, which is gone when the shell shows the list.
	run bash -c 'echo $$; exec "$@" __complete process-maps ""' bash "$ZXMEM"
	assert_success
	refute_line --index 1 "${lines[0]}	zxmem"
	[[ $'\n'$output$'\n' != *$'\n'"${lines[0]}"$'\t'* ]]
	run_zxmem __complete process-maps ""
	# A core file is a TARGET too: file names complete it.
	assert_line --index $((${#lines[@]} - 1)) ":path"
	run_zxmem __complete process-read-memory "$TPID"
	assert_line "$TPID	target"
	local line
	for line in "${lines[@]}"; do
		[[ $line == "$TPID"* || $line == :path ]] || {
			echo "'$line' does not start with $TPID" >&2
			return 1
		}
	done
	# A name is no PID: only file names.
	run_zxmem __complete process-maps cor
	assert_output ":path"
	# The threads of the TARGET already typed, for --thread.
	run_zxmem __complete process-read-memory "$TPID" counter 4 --thread ""
	assert_line "$TPID	target"
}

@test "__complete asks for file names wherever a path goes" {
	run_zxmem __complete vmo-read h 0 16 -o ""
	assert_output ":path"
	run_zxmem __complete vmo-read h 0 16 --output=di
	assert_output $':path\t--output='
	run_zxmem __complete vmo-write h 0 --file ""
	assert_output ":path"
	run_zxmem __complete vmo-write h 0 --hexdump ""
	assert_output ":path"
	run_zxmem __complete process-symbols core.1 --exe ""
	assert_output ":path"
	run_zxmem __complete process-find 1 --u8 1 --among ""
	assert_output ":path"
	run_zxmem __complete batch ""
	assert_output ":path"
	run_zxmem __complete --runtime-dir ""
	assert_output ":dir"
	run_zxmem __complete --runtime-dir=/t
	assert_output $':dir\t--runtime-dir='
	# A HANDLE with a '/' is a path: an external VMO.
	run_zxmem __complete vmo-read /dev/sh
	assert_output ":path"
	# Where no path goes, none is offered.
	run_zxmem __complete vmo-read h ""
	assert_output ""
}

@test "__complete offers the -k keys and their values" {
	run_zxmem __complete -k ""
	assert_output "kernel.enable-debugging-syscalls="
	run_zxmem __complete -jk kernel.enable-debugging-syscalls=
	assert_output $'kernel.enable-debugging-syscalls=true\nkernel.enable-debugging-syscalls=false'
	run_zxmem __complete --kernel-option kernel.enable-debugging-syscalls=t
	assert_output kernel.enable-debugging-syscalls=true
	run_zxmem __complete --kernel-option=kern
	assert_output --kernel-option=kernel.enable-debugging-syscalls=
	run_zxmem __complete -k kernel.enable-debugging-syscalls=true -
	assert_line "--runtime-dir	the handle namespace directory"
	assert_line "--kernel-option	a kernel command line option KEY=VALUE"
}

@test "__complete offers every global option zxmem --help lists" {
	run_zxmem --help
	local opts
	opts=$(printf '%s\n' "$output" | sed -n '/^global options:/,$p' |
	    grep -oE -- '--[a-z][-a-z]*' | sort -u)
	[ -n "$opts" ]
	run_zxmem __complete --
	local o
	for o in $opts; do
		assert_line --regexp "^$o(	|\$)" || return 1
	done
}

@test "__complete offers what the commands parse: formats, ops, policies, child options, rights" {
	run_zxmem __complete vmo-read h 0 16 --format ""
	local f
	for f in x8 x16 x32 x64 cstring hexdump u32 f64; do
		assert_line "$f" || return 1
	done
	run_zxmem __complete vmo-read h 0 16 --format=c
	assert_output --format=cstring
	# Each op, policy and child option offered is one the command takes:
	# no usage error (64) naming it.
	run_zxmem vmo-create 4096 --name h
	run_zxmem __complete vmo-op-range h ""
	[ "${#lines[@]}" -ge 14 ]
	for f in "${lines[@]}"; do
		run "$ZXMEM" vmo-op-range h "$f" 0 0
		[ "$status" -ne 64 ] || { echo "op $f: $output" >&2; return 1; }
	done
	run_zxmem __complete vmo-set-cache-policy h ""
	assert_line uncached-device
	for f in "${lines[@]}"; do
		run "$ZXMEM" vmo-set-cache-policy h "$f"
		[ "$status" -ne 64 ] || { echo "policy $f: $output" >&2; return 1; }
	done
	run_zxmem __complete vmo-create-child h ""
	assert_line snapshot-at-least-on-write
	for f in "${lines[@]}"; do
		run "$ZXMEM" vmo-create-child h "$f" 0 4096
		[ "$status" -ne 64 ] || { echo "child option $f: $output" >&2; return 1; }
	done
	# Comma lists complete their last word.
	run_zxmem __complete vmo-create-child h snapshot,no-
	assert_output snapshot,no-write
	run_zxmem __complete handle-duplicate h --rights read,wr
	assert_output read,write
	run_zxmem __complete handle-duplicate h --rights=read,map,ma
	assert_output --rights=read,map,map
	run_zxmem __complete handle-duplicate h --rights s
	assert_line same
	assert_line signal
}

@test "__complete describes commands and options" {
	run_zxmem __complete vmo-rea
	assert_output "vmo-read	Read SIZE bytes of a VMO at OFFSET and print them."
	run_zxmem __complete vmo-read h 0 4 --for
	assert_output "--format	output format"
}

@test "completions/zxmem.bash offers PIDs, file names after -o, -k keys, handles of --runtime-dir=" {
	other_ns
	spawn_target
	run bash_complete process-maps ""
	assert_success
	assert_line "$TPID"
	refute_line --partial $'\t'

	mkdir "$BATS_TEST_TMPDIR/dumps"
	touch "$BATS_TEST_TMPDIR/dumps/first.bin" "$BATS_TEST_TMPDIR/dumps/second.bin"
	cd "$BATS_TEST_TMPDIR"
	run bash_complete vmo-read alpha 0 16 -o dumps/f
	assert_success
	assert_output $'complete -F _zxmem zxmem\ndumps/first.bin'
	assert_equal "$(cat compopt)" "-o filenames"
	# bash splits "--output=dumps/s" at "=": only the part after it.
	run bash_complete vmo-read alpha 0 16 --output = dumps/s
	assert_success
	assert_output $'complete -F _zxmem zxmem\ndumps/second.bin'

	run bash_complete -k ""
	assert_output $'complete -F _zxmem zxmem\nkernel.enable-debugging-syscalls='
	assert_equal "$(cat "$BATS_TEST_TMPDIR/compopt")" "-o nospace"
	run bash_complete -k kernel.enable-debugging-syscalls = t
	assert_output $'complete -F _zxmem zxmem\ntrue'

	run bash_complete --runtime-dir = "$OTHER_NS" vmo-read ""
	assert_output $'complete -F _zxmem zxmem\ngamma'
	run bash_complete vmo-read alpha 0 16 --format x
	assert_line x8
	assert_line x64
}

@test "completions/zxmem.fish: complete -C offers commands, options, handles, PIDs, paths, -k keys, formats" {
	other_ns
	spawn_target
	run fish_complete "zxmem vmo-r"
	assert_success
	assert_output "vmo-read	Read SIZE bytes of a VMO at OFFSET and print them."
	run fish_complete "zxmem vmo-read alpha 0 4 --f"
	assert_line "--format	output format"
	run fish_complete "zxmem vmo-read "
	assert_output alpha
	run fish_complete "zxmem --runtime-dir $OTHER_NS vmo-read "
	assert_output gamma
	run fish_complete "zxmem --runtime-dir=$OTHER_NS vmo-read "
	assert_output gamma
	run fish_complete "zxmem process-maps $TPID"
	assert_line "$TPID	target"

	mkdir "$BATS_TEST_TMPDIR/dumps"
	touch "$BATS_TEST_TMPDIR/dumps/first.bin"
	cd "$BATS_TEST_TMPDIR"
	run fish_complete "zxmem vmo-read alpha 0 16 -o dumps/"
	assert_output --regexp '^dumps/first.bin(	|$)'
	run fish_complete "zxmem vmo-read alpha 0 16 --output=dumps/f"
	assert_output --regexp '^--output=dumps/first.bin(	|$)'
	run fish_complete "zxmem --runtime-dir=dum"
	assert_output --regexp '^--runtime-dir=dumps/(	|$)'

	run fish_complete "zxmem -k "
	assert_output kernel.enable-debugging-syscalls=
	run fish_complete "zxmem -k kernel.enable-debugging-syscalls="
	assert_line kernel.enable-debugging-syscalls=true
	assert_line kernel.enable-debugging-syscalls=false
	run fish_complete "zxmem vmo-read alpha 0 16 --format x1"
	assert_output x16
}

@test "completions/_zxmem: zsh's completion system offers commands, options, handles, PIDs, paths, -k keys, formats" {
	other_ns
	spawn_target
	run zsh_complete "zxmem vmo-r"
	assert_success
	assert_output "vmo-read	vmo-read  -- Read SIZE bytes of a VMO at OFFSET and print them."
	run zsh_complete "zxmem vmo-read alpha 0 4 --f"
	assert_output "--format	--format  -- output format"
	run zsh_complete "zxmem vmo-read "
	assert_output alpha
	run zsh_complete "zxmem --runtime-dir $OTHER_NS vmo-read "
	assert_output gamma
	run zsh_complete "zxmem --runtime-dir=$OTHER_NS vmo-read "
	assert_output gamma
	run zsh_complete "zxmem process-maps $TPID"
	assert_line "$TPID	$TPID  -- target"

	mkdir "$BATS_TEST_TMPDIR/dumps"
	touch "$BATS_TEST_TMPDIR/dumps/first.bin"
	cd "$BATS_TEST_TMPDIR"
	run zsh_complete "zxmem vmo-read alpha 0 16 -o dumps/"
	assert_line dumps/first.bin
	run zsh_complete "zxmem vmo-read alpha 0 16 --output=dumps/f"
	assert_line --output=dumps/first.bin

	run zsh_complete "zxmem -k "
	assert_output kernel.enable-debugging-syscalls=
	run zsh_complete "zxmem -k kernel.enable-debugging-syscalls=f"
	assert_output kernel.enable-debugging-syscalls=false
	run zsh_complete "zxmem vmo-read alpha 0 16 --format x1"
	assert_output x16
}

@test "Tab in a fresh --runtime-dir leaves no trace, in bash, fish and zsh" {
	local fresh=$BATS_TEST_TMPDIR/typo
	run bash_complete --runtime-dir "$fresh" vmo-read ""
	assert_output "complete -F _zxmem zxmem"
	run bash_complete --runtime-dir = "$fresh" handle-close ""
	assert_output "complete -F _zxmem zxmem"
	run fish_complete "zxmem --runtime-dir $fresh vmo-read "
	assert_output ""
	run fish_complete "zxmem --runtime-dir=$fresh vmo-get-size "
	assert_output ""
	run zsh_complete "zxmem --runtime-dir $fresh vmo-read "
	assert_success
	assert_output ""
	run zsh_complete "zxmem --runtime-dir=$fresh handle-close "
	assert_success
	assert_output ""
	[ ! -e "$fresh" ]
}

@test "__complete offers the TARGET's mappings after --in and its objects after --object" {
	spawn_target
	run_zxmem __complete process-find "$TPID" --u8 1 --in ""
	assert_line "[stack]"
	assert_line target
	assert_line libc.so.6
	run_zxmem __complete process-find "$TPID" --u8 1 --in "[s"
	assert_output "[stack]"
	# Objects: the files with code, each once.
	run_zxmem __complete process-symbols "$TPID" --object ""
	assert_line target
	assert_line libc.so.6
	refute_line "[stack]"
	[ "$(printf '%s\n' "${lines[@]}" | sort | uniq -d)" = "" ]
	# Whole paths once a '/' is typed.
	run_zxmem __complete process-symbols "$TPID" --object=/
	assert_line "--object=$(readlink -f "$ZXMEM_TEST_BIN/target")"
	# What is offered is what the command takes.
	run_zxmem process-symbols "$TPID" main --object target
	assert_output --partial main
	# A TARGET that cannot be read still gets the usual names.
	run_zxmem __complete process-find "$(unused_pid)" --u8 1 --in ""
	assert_output $'[heap]\n[stack]'
}

@test "__complete prints only the candidates under -j and -q" {
	run_zxmem -j __complete vmo-r
	assert_output "vmo-read	Read SIZE bytes of a VMO at OFFSET and print them."
	run_zxmem -q __complete vmo-r
	assert_output "vmo-read	Read SIZE bytes of a VMO at OFFSET and print them."
}
