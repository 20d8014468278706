#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Handles and the namespace: holder processes, vanished objects, the
# namespace directory's permission checks, racing creators, handle-list,
# handle-close, reset, and external VMOs given by path.

load test_helper/common

DEFAULT_RIGHTS=duplicate,transfer,read,write,map,get-property,set-property,signal,wait,inspect

setup() {
	common_setup
	EXTRA_NS=()	# namespaces other than $ZXMEM_RUNTIME_DIR to reset
	CLEANUP=()	# paths outside $BATS_TEST_TMPDIR to remove
}

teardown() {
	local d
	for d in "${EXTRA_NS[@]}"; do
		"$ZXMEM" --runtime-dir "$d" reset >/dev/null 2>&1 3>&- || true
	done
	for d in "${CLEANUP[@]}"; do
		rm -rf "$d"
	done
	common_teardown
}

# A handle name no other namespace on this machine uses, so that holder
# processes can be found by their title.
unique_name() {
	echo "${1:-h}_${BATS_ROOT_PID}_${RANDOM}${RANDOM}"
}

# koid_of NAME: the KOID column of NAME's handle-list line.
koid_of() {
	local list
	list=$("$ZXMEM" handle-list 3>&-) || return 1
	awk -v n="$1" '$1 == n { print $2 }' <<<"$list"
}

# holder_of NAME: the pid of this namespace's holder process titled
# "zxmem: vmo NAME" (the name its object was created with).
holder_of() {
	local p
	for p in $(holders_named "$1"); do
		echo "$p"
		return 0
	done
	echo "no holder process found for $1" >&2
	return 1
}

# count_holders NAME: how many holders of this test's namespace are titled
# "zxmem: vmo NAME".
count_holders() {
	holders_named "$1" | wc -l
}

# wait_holders NAME N: poll (at most 20 s) until N holders of NAME are left.
wait_holders() {
	local i
	for i in $(seq 200); do
		[ "$(count_holders "$1")" -eq "$2" ] && return 0
		sleep 0.1
	done
	echo "holders of $1: $(count_holders "$1"), expected $2" >&2
	return 1
}

# wait_gone PID: poll (at most 20 s) until PID has exited (gone or zombie).
wait_gone() {
	poll gone_or_zombie "$1" || { echo "process $1 is still running" >&2; return 1; }
}

# assert_bytes HANDLE OFFSET HEX: the VMO holds exactly HEX at OFFSET.
assert_bytes() {
	run_zxmem vmo-read "$1" "$2" $((${#3} / 2)) --format hex || return 1
	assert_output "$3"
}

# ------------------------------------------------------------ holder process

@test "a VMO is a memfd zxmem:NAME in a holder that keeps no inherited descriptor" {
	local name fd n target memfd=
	name=$(unique_name)
	run_zxmem vmo-create 4096 --name "$name"
	run_zxmem vmo-write "$name" 0 "content"
	pid=$(holder_of "$name")
	n=0
	for fd in /proc/"$pid"/fd/*; do
		target=$(readlink "$fd")
		case ${fd##*/} in
		0 | 1 | 2)
			[ "$target" = /dev/null ] || {
				echo "holder fd ${fd##*/} is $target, not /dev/null" >&2
				return 1
			}
			;;
		*)
			# Its own memfd, and at most the namespace directory
			# it opened itself: nothing the caller had open.
			if [ "$target" = "$ZXMEM_RUNTIME_DIR" ]; then
				continue
			fi
			[[ "$target" == "/memfd:zxmem:$name (deleted)" ]] || {
				echo "holder has an extra descriptor ${fd##*/} -> $target" >&2
				return 1
			}
			memfd=$fd
			;;
		esac
		n=$((n + 1))
	done
	[ -n "$memfd" ]
	[ "$n" -eq 4 ]
	[ "$(head -c 7 "$memfd")" = content ]
}

@test "vmo-create under command substitution returns promptly" {
	local out=$BATS_TEST_TMPDIR/out i
	(
		o=$("$ZXMEM" vmo-create 4096 --name x 2>&1)
		printf '%s\n' "$o" >"$out.tmp"
		mv "$out.tmp" "$out"
	) 3>&- &
	TARGET_PIDS+=("$!")
	for i in $(seq 100); do
		[ -e "$out" ] && break
		sleep 0.1
	done
	if [ ! -e "$out" ]; then
		echo 'output=$(zxmem vmo-create ...) did not return within 10 s' >&2
		return 1
	fi
	[ "$(cat "$out")" = x ]
	run_zxmem vmo-get-size x
	assert_output 4096
}

@test "a VMO whose holder was killed is ZX_ERR_BAD_HANDLE with a hint to reset" {
	local name pid
	name=$(unique_name)
	run_zxmem vmo-create 4096 --name "$name"
	pid=$(holder_of "$name")
	kill -KILL "$pid"
	wait_gone "$pid"
	run_zxmem -11 vmo-read "$name" 0 16
	assert_zx_error ZX_ERR_BAD_HANDLE
	[[ "$stderr" == *"zxmem reset"* ]]
	run_zxmem -11 vmo-write "$name" 0 abc
	assert_zx_error ZX_ERR_BAD_HANDLE
	[[ "$stderr" == *"zxmem reset"* ]]
	run_zxmem -11 vmo-get-size "$name"
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem handle-list
	assert_line --regexp "^$name [0-9]+ vmo [a-z,-]+ gone\$"
	run_zxmem handle-close "$name"
	refute_output
	run_zxmem handle-list
	[[ $'\n'"$output" != *$'\n'"$name "* ]]
	# the name is free again
	run_zxmem vmo-create 4096 --name "$name"
	assert_output "$name"
}

@test "reset clears a namespace with a vanished object" {
	local dead live pid livepid
	dead=$(unique_name)
	live=$(unique_name)
	run_zxmem vmo-create 4096 --name "$dead"
	run_zxmem vmo-create 4096 --name "$live"
	pid=$(holder_of "$dead")
	livepid=$(holder_of "$live")
	kill -KILL "$pid"
	wait_gone "$pid"
	run_zxmem reset
	refute_output
	run_zxmem handle-list
	refute_output
	wait_gone "$livepid"
}

# ------------------------------------------------------------ namespace dir

@test "a fresh namespace directory is created with mode 0700" {
	[ ! -e "$ZXMEM_RUNTIME_DIR" ]
	umask 000
	run_zxmem vmo-create 4096 --name a
	[ "$(stat -c %a "$ZXMEM_RUNTIME_DIR")" = 700 ]
	[ "$(stat -c %u "$ZXMEM_RUNTIME_DIR")" = "$(id -u)" ]
}

@test "an existing private namespace directory is used" {
	mkdir -m 700 "$ZXMEM_RUNTIME_DIR"
	run_zxmem vmo-create 4096 --name a
	run_zxmem handle-list
	assert_line --regexp '^a '
	[ "$(stat -c %a "$ZXMEM_RUNTIME_DIR")" = 700 ]
}

@test "a namespace directory reachable by group or other is ZX_ERR_ACCESS_DENIED" {
	local mode args
	for mode in 755 750 711 770 707 701; do
		rm -rf "$ZXMEM_RUNTIME_DIR"
		mkdir -m "$mode" "$ZXMEM_RUNTIME_DIR"
		for args in "vmo-create 4096 --name a" "vmo-create 4096" "handle-list" \
			"vmo-read a 0 1" "vmo-write a 0 x" "vmo-get-size a" \
			"handle-close a" "reset"; do
			run_zxmem -30 $args || return 1
			assert_zx_error ZX_ERR_ACCESS_DENIED || return 1
			[[ "$stderr" == *"$ZXMEM_RUNTIME_DIR"* ]] || {
				echo "error does not name the directory: $stderr" >&2
				return 1
			}
		done
		# refused, not repaired
		[ "$(stat -c %a "$ZXMEM_RUNTIME_DIR")" = "$mode" ] || return 1
		[ -z "$(ls -A "$ZXMEM_RUNTIME_DIR")" ] || return 1
	done
}

@test "a namespace directory owned by another user is ZX_ERR_ACCESS_DENIED" {
	[ "$(id -u)" -eq 0 ] || skip "needs root to give a directory to another user (chown)"
	mkdir -m 700 "$ZXMEM_RUNTIME_DIR"
	chown 65534:65534 "$ZXMEM_RUNTIME_DIR"
	run_zxmem -30 vmo-create 4096 --name a
	assert_zx_error ZX_ERR_ACCESS_DENIED
	[[ "$stderr" == *"$ZXMEM_RUNTIME_DIR"* ]]
	run_zxmem -30 handle-list
	assert_zx_error ZX_ERR_ACCESS_DENIED
	[ -z "$(ls -A "$ZXMEM_RUNTIME_DIR")" ]
}

@test "a symlink in place of the namespace directory is ZX_ERR_ACCESS_DENIED" {
	mkdir -m 700 "$BATS_TEST_TMPDIR/real"
	ln -s "$BATS_TEST_TMPDIR/real" "$ZXMEM_RUNTIME_DIR"
	run_zxmem -30 vmo-create 4096 --name a
	assert_zx_error ZX_ERR_ACCESS_DENIED
	[[ "$stderr" == *"$ZXMEM_RUNTIME_DIR"* ]]
	run_zxmem -30 handle-list
	assert_zx_error ZX_ERR_ACCESS_DENIED
	[ -z "$(ls -A "$BATS_TEST_TMPDIR/real")" ]
}

@test "--runtime-dir overrides ZXMEM_RUNTIME_DIR" {
	local other=$BATS_TEST_TMPDIR/other
	EXTRA_NS+=("$other")
	mkdir -m 755 "$ZXMEM_RUNTIME_DIR"	# the variable's directory is unusable
	run_zxmem --runtime-dir "$other" vmo-create 4096 --name a
	assert_output a
	[ "$(stat -c %a "$other")" = 700 ]
	run_zxmem --runtime-dir "$other" vmo-write a 0 hi
	run_zxmem --runtime-dir "$other" vmo-read a 0 2 --format hex
	assert_output 6869
	run_zxmem --runtime-dir "$other" handle-list
	assert_line --regexp '^a '
	run_zxmem -30 handle-list
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem --runtime-dir "$other" reset
}

@test "without ZXMEM_RUNTIME_DIR the namespace is \$XDG_RUNTIME_DIR/zxmem" {
	EXTRA_NS+=("$XDG_RUNTIME_DIR/zxmem")
	ZXMEM_WRAPPER="env -u ZXMEM_RUNTIME_DIR" run_zxmem vmo-create 4096 --name a
	[ -d "$XDG_RUNTIME_DIR/zxmem" ]
	[ "$(stat -c %a "$XDG_RUNTIME_DIR/zxmem")" = 700 ]
	ZXMEM_WRAPPER="env -u ZXMEM_RUNTIME_DIR" run_zxmem handle-list
	assert_line --regexp '^a '
	run_zxmem handle-list
	refute_output
	ZXMEM_WRAPPER="env -u ZXMEM_RUNTIME_DIR" run_zxmem reset
}

@test "processes racing to create one name: exactly one wins" {
	local name d=$BATS_TEST_TMPDIR/race i st wins=0 losses=0 pids=()
	name=$(unique_name race)
	mkdir "$d"
	for i in 1 2 3 4 5 6 7 8; do
		(
			if "$ZXMEM" vmo-create 4096 --name "$name" >"$d/out$i" 2>"$d/err$i"; then
				echo 0 >"$d/st$i"
			else
				echo $? >"$d/st$i"
			fi
		) 3>&- &
		pids+=("$!")
	done
	wait "${pids[@]}"
	for i in 1 2 3 4 5 6 7 8; do
		st=$(cat "$d/st$i")
		case $st in
		0)
			wins=$((wins + 1))
			[ "$(cat "$d/out$i")" = "$name" ] || return 1
			;;
		26)
			losses=$((losses + 1))
			grep -q "^zxmem: vmo-create: ZX_ERR_ALREADY_EXISTS: " "$d/err$i" || {
				echo "loser $i: $(cat "$d/err$i")" >&2
				return 1
			}
			;;
		*)
			echo "creator $i exited $st: $(cat "$d/err$i")" >&2
			return 1
			;;
		esac
	done
	[ "$wins" -eq 1 ]
	[ "$losses" -eq 7 ]
	run_zxmem handle-list
	[ "${#lines[@]}" -eq 1 ]
	assert_line --regexp "^$name [0-9]+ vmo "
	wait_holders "$name" 1
	run_zxmem vmo-write "$name" 0 ok
	run_zxmem reset
	wait_holders "$name" 0
}

# ----------------------------------------------------- handle-list / -close

@test "handle-list of an empty namespace prints nothing" {
	run_zxmem handle-list
	refute_output
	assert_equal "$stderr" ""
}

@test "handle-list shows name, koid, type, rights and size" {
	local name koid pid fd
	name=$(unique_name)
	run_zxmem vmo-create 64M --name "$name"
	run_zxmem vmo-create 1 --name small --resizable
	run_zxmem handle-list
	[ "${#lines[@]}" -eq 2 ]
	assert_line --regexp "^$name [0-9]+ vmo $DEFAULT_RIGHTS 67108864\$"
	assert_line --regexp "^small [0-9]+ vmo $DEFAULT_RIGHTS,resize 4096\$"
	# koids are counted in the namespace, never reused
	koid=$(koid_of "$name")
	pid=$(holder_of "$name")
	[ -n "$pid" ]
	[ "$koid" != "$(koid_of small)" ]
	run_zxmem handle-close small
	run_zxmem vmo-create 1 --name small
	run_zxmem handle-list
	assert_line --regexp "^small [0-9]+ "
	[ "$(koid_of small)" -gt "$koid" ]
}

@test "handle-close closes several handles at once" {
	local name pid
	name=$(unique_name)
	run_zxmem vmo-create 4096 --name a
	run_zxmem vmo-create 4096 --name b
	run_zxmem vmo-create 4096 --name "$name"
	pid=$(holder_of "$name")
	run_zxmem handle-close a "$name"
	refute_output
	run_zxmem handle-list
	[ "${#lines[@]}" -eq 1 ]
	assert_line --regexp '^b '
	run_zxmem -11 vmo-read a 0 1
	assert_zx_error ZX_ERR_BAD_HANDLE
	# closing the last handle ends the object
	wait_gone "$pid"
}

@test "handle-close closes every valid handle, then an unknown name is ZX_ERR_BAD_HANDLE" {
	run_zxmem vmo-create 4096 --name a
	run_zxmem vmo-create 4096 --name b
	run_zxmem vmo-create 4096 --name c
	run_zxmem -11 handle-close a nosuch b
	assert_zx_error ZX_ERR_BAD_HANDLE
	[[ "$stderr" == *nosuch* ]]
	run_zxmem handle-list
	[ "${#lines[@]}" -eq 1 ]
	assert_line --regexp '^c '
	run_zxmem -11 vmo-read a 0 1
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem -11 handle-close nosuch
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem -64 handle-close
	assert_usage_error
}

@test "reset closes every handle and ends every holder" {
	local n1 n2 n3 p1 p2 p3
	n1=$(unique_name)
	n2=$(unique_name)
	n3=$(unique_name)
	run_zxmem vmo-create 4096 --name "$n1"
	run_zxmem vmo-create 8192 --name "$n2" --resizable
	run_zxmem vmo-create 0 --name "$n3"
	p1=$(holder_of "$n1")
	p2=$(holder_of "$n2")
	p3=$(holder_of "$n3")
	run_zxmem reset
	refute_output
	run_zxmem handle-list
	refute_output
	wait_gone "$p1"
	wait_gone "$p2"
	wait_gone "$p3"
	run_zxmem -11 vmo-read "$n1" 0 1
	assert_zx_error ZX_ERR_BAD_HANDLE
	# reset of an empty namespace is fine, and names are free again
	run_zxmem reset
	run_zxmem vmo-create 4096 --name "$n1"
	assert_bytes "$n1" 0 00
}

# ------------------------------------------------------ external VMOs (paths)

@test "handle-close of a name given twice closes it once, then ZX_ERR_BAD_HANDLE" {
	run_zxmem vmo-create 4096 --name a
	run_zxmem vmo-create 4096 --name b
	run_zxmem -11 handle-close a b a
	assert_zx_error ZX_ERR_BAD_HANDLE
	[[ "$stderr" == *twice* ]]
	run_zxmem handle-list
	refute_output
}

@test "a file on a disk filesystem is a read-only VMO: vmo-write is ZX_ERR_ACCESS_DENIED" {
	local f=$BATS_TEST_TMPDIR/disk
	[ "$(stat -f -c %T "$BATS_TEST_TMPDIR")" != tmpfs ] || skip "BATS_TEST_TMPDIR is on tmpfs"
	head -c 8192 /dev/urandom >"$f"
	cp "$f" "$BATS_TEST_TMPDIR/orig"
	run_zxmem -30 vmo-write "$f" 100 --hex "de ad be ef"
	assert_zx_error ZX_ERR_ACCESS_DENIED
	cmp "$f" "$BATS_TEST_TMPDIR/orig"
	run_zxmem object-info "$f"
	assert_line "rights read"
	run_zxmem vmo-read "$f" 100 4 --format hex
	assert_output "$(xxd -p -s 100 -l 4 "$f")"
}

@test "vmo-read of a path opens it read-only and never opens a FIFO" {
	local f=$BATS_TEST_TMPDIR/file reads
	command -v strace >/dev/null || skip "no strace"
	head -c 4096 /dev/zero >"$f"
	# (LeakSanitizer cannot run under strace: off for this run)
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		run strace -f -y -e trace=open,openat -o "$BATS_TEST_TMPDIR/trace" "$ZXMEM" vmo-read "$f" 0 4 --format hex
	[ "$status" -eq 0 ]
	# -y names the file behind each descriptor returned, so the open that
	# reads it (through /proc/self/fd/N after an O_PATH one) is seen too.
	run grep -F "$f" "$BATS_TEST_TMPDIR/trace"
	refute_output --partial O_RDWR
	refute_output --partial O_WRONLY
	reads=$(grep -F "$f" "$BATS_TEST_TMPDIR/trace" | grep -vc O_PATH) || true
	[ "$reads" -ge 1 ] || fail "no open that reads $f: $(cat "$BATS_TEST_TMPDIR/trace")"
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	run_zxmem -12 vmo-read "$BATS_TEST_TMPDIR/fifo" 0 1
	assert_zx_error ZX_ERR_WRONG_TYPE
}

@test "a regular file is an external VMO: its size, its bytes, writes change it" {
	local f=/dev/shm/zxmem-test.$BATS_ROOT_PID.$RANDOM
	CLEANUP+=("$f")
	head -c 8192 /dev/urandom >"$f"
	cp "$f" "$BATS_TEST_TMPDIR/orig"
	run_zxmem vmo-get-size "$f"
	assert_output 8192
	run_zxmem vmo-read "$f" 0 8192 -o "$BATS_TEST_TMPDIR/out"
	cmp "$f" "$BATS_TEST_TMPDIR/out"
	run_zxmem vmo-read "$f" 100 4 --format hex
	assert_output "$(xxd -p -s 100 -l 4 "$f")"
	run_zxmem vmo-write "$f" 100 --hex "de ad be ef"
	[ "$(xxd -p -s 100 -l 4 "$f")" = deadbeef ]
	[ "$(stat -c %s "$f")" = 8192 ]
	cmp -n 100 "$f" "$BATS_TEST_TMPDIR/orig"
	cmp -i 104 "$f" "$BATS_TEST_TMPDIR/orig"
	# nothing was added to the namespace
	run_zxmem handle-list
	refute_output
}

@test "an external file's size is the file's size; writing past it is ZX_ERR_OUT_OF_RANGE" {
	local f=/dev/shm/zxmem-test.$BATS_ROOT_PID.$RANDOM
	CLEANUP+=("$f")
	head -c 5000 /dev/zero >"$f"
	run_zxmem vmo-get-size "$f"
	assert_output 5000
	run_zxmem vmo-write "$f" 4996 --hex "01 02 03 04"
	run_zxmem vmo-read "$f" 4996 4 --format hex
	assert_output 01020304
	run_zxmem -14 vmo-write "$f" 4998 --hex "aa bb cc"
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 vmo-read "$f" 4998 3
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	[ "$(stat -c %s "$f")" = 5000 ]
	[ "$(xxd -p -s 4996 -l 4 "$f")" = 01020304 ]
}

@test "a /dev/shm file is an external VMO" {
	local f=/dev/shm/zxmem-test.$BATS_ROOT_PID.$RANDOM
	CLEANUP+=("$f")
	head -c 4096 /dev/zero >"$f"
	run_zxmem vmo-write "$f" 10 "shared"
	[ "$(xxd -p -s 10 -l 6 "$f")" = 736861726564 ]
	run_zxmem vmo-read "$f" 10 6 --format string
	assert_output shared
	run_zxmem vmo-get-size "$f"
	assert_output 4096
}

@test "a live memfd under /proc/PID/fd is an external VMO" {
	local name pid fd memfd=
	name=$(unique_name)
	run_zxmem vmo-create 4096 --name "$name"
	run_zxmem vmo-write "$name" 0 "by name"
	pid=$(holder_of "$name")
	for fd in /proc/"$pid"/fd/*; do
		[[ "$(readlink "$fd")" == /memfd:zxmem:* ]] && memfd=$fd
	done
	[ -n "$memfd" ]
	run_zxmem vmo-read "$memfd" 0 7 --format string
	assert_output "by name"
	run_zxmem vmo-write "$memfd" 8 "by path"
	run_zxmem vmo-read "$name" 8 7 --format string
	assert_output "by path"
	run_zxmem vmo-get-size "$memfd"
	assert_output 4096
}

@test "a directory or a device as HANDLE is ZX_ERR_WRONG_TYPE" {
	local h
	for h in "$BATS_TEST_TMPDIR" /dev/null /; do
		run_zxmem -12 vmo-read "$h" 0 1 || return 1
		assert_zx_error ZX_ERR_WRONG_TYPE || return 1
		run_zxmem -12 vmo-write "$h" 0 x || return 1
		assert_zx_error ZX_ERR_WRONG_TYPE || return 1
		run_zxmem -12 vmo-get-size "$h" || return 1
		assert_zx_error ZX_ERR_WRONG_TYPE || return 1
	done
}

@test "a missing path as HANDLE is ZX_ERR_BAD_HANDLE" {
	run_zxmem -11 vmo-read "$BATS_TEST_TMPDIR/missing" 0 1
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem -11 vmo-write "$BATS_TEST_TMPDIR/missing" 0 x
	assert_zx_error ZX_ERR_BAD_HANDLE
	[ ! -e "$BATS_TEST_TMPDIR/missing" ]
	run_zxmem -11 vmo-get-size ./missing/file
	assert_zx_error ZX_ERR_BAD_HANDLE
}

@test "a file the user cannot write is a read-only VMO: vmo-write is ZX_ERR_ACCESS_DENIED" {
	local d nobody="setpriv --reuid=65534 --regid=65534 --clear-groups"
	command -v setpriv >/dev/null || skip "no setpriv"
	[ "$(id -u)" -eq 0 ] || skip "needs root to switch to nobody"
	share_with_others
	d=$(mktemp -d /tmp/zxmem-ro.XXXXXX)
	CLEANUP+=("$d")
	chmod 755 "$d"
	mkdir -m 700 "$d/ns"
	chown 65534:65534 "$d/ns"
	printf 'read only!' >"$d/ro"
	chmod 444 "$d/ro"
	HOME=$d XDG_RUNTIME_DIR=$d/ns ZXMEM_RUNTIME_DIR=$d/ns ZXMEM_WRAPPER=$nobody \
		run_zxmem -30 vmo-write "$d/ro" 0 XX
	assert_zx_error ZX_ERR_ACCESS_DENIED
	[ "$(cat "$d/ro")" = "read only!" ]
	HOME=$d XDG_RUNTIME_DIR=$d/ns ZXMEM_RUNTIME_DIR=$d/ns ZXMEM_WRAPPER=$nobody \
		run_zxmem vmo-read "$d/ro" 0 10 --format string
	assert_output "read only!"
	HOME=$d XDG_RUNTIME_DIR=$d/ns ZXMEM_RUNTIME_DIR=$d/ns ZXMEM_WRAPPER=$nobody \
		run_zxmem vmo-get-size "$d/ro"
	assert_output 10
}

# ------------------------------------------------- handle-duplicate/replace

@test "handle-duplicate: same rights by default, fewer on request, one object" {
	run_zxmem vmo-create 4096 --name orig
	run_zxmem handle-duplicate orig
	assert_output vmo0
	run_zxmem handle-duplicate orig --rights read,duplicate --name ro
	assert_output ro
	run_zxmem handle-list
	assert_line --regexp "^vmo0 [0-9]+ vmo $DEFAULT_RIGHTS 4096$"
	assert_line --regexp '^ro [0-9]+ vmo duplicate,read 4096$'
	# One object: a write through one handle is read through another.
	run_zxmem vmo-write vmo0 0 shared
	run_zxmem vmo-read ro 0 6 --format string
	assert_output shared
	run_zxmem -30 vmo-write ro 0 x
	assert_zx_error ZX_ERR_ACCESS_DENIED
	# Closing some handles keeps the object; the last one ends it.
	run_zxmem handle-close orig vmo0
	run_zxmem vmo-read ro 0 6 --format string
	assert_output shared
	run_zxmem handle-close ro
	run_zxmem handle-list
	assert_output ""
}

@test "handle-duplicate errors: no such handle, no DUPLICATE right, added rights, name taken" {
	run_zxmem -11 handle-duplicate nope
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem vmo-create 4096 --name d
	run_zxmem -10 handle-duplicate d --rights read,resize
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem handle-duplicate d --rights read --name nodup
	run_zxmem -30 handle-duplicate nodup
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -26 handle-duplicate d --name nodup
	assert_zx_error ZX_ERR_ALREADY_EXISTS
	run_zxmem -64 handle-duplicate d --rights read,bogus
	[[ "$stderr" == *"--rights: 'bogus'"* ]] || fail "$stderr"
	run_zxmem -2 handle-duplicate "$BATS_TEST_TMPDIR/file"
	assert_zx_error ZX_ERR_NOT_SUPPORTED
}

@test "handle-replace consumes the handle, even when it fails" {
	run_zxmem vmo-create 4096 --name r
	run_zxmem handle-replace r --rights read,write
	assert_output r
	run_zxmem handle-list
	assert_line --regexp '^r [0-9]+ vmo read,write 4096$'
	run_zxmem handle-replace r --rights read --name r2
	assert_output r2
	run_zxmem -11 vmo-get-size r
	assert_zx_error ZX_ERR_BAD_HANDLE
	# Adding a right fails, and the handle is gone all the same: it was
	# the last one, so the object ends too.
	pid=$(holders_named r)
	run_zxmem -10 handle-replace r2 --rights read,write
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -11 vmo-get-size r2
	assert_zx_error ZX_ERR_BAD_HANDLE
	gone_or_zombie "$pid"
}

@test "handle-replace needs --rights; a taken --name consumes nothing" {
	run_zxmem vmo-create 4096 --name k
	run_zxmem vmo-create 4096 --name other
	run_zxmem -64 handle-replace k
	[[ "$stderr" == *--rights* ]] || fail "$stderr"
	run_zxmem -26 handle-replace k --rights same --name other
	assert_zx_error ZX_ERR_ALREADY_EXISTS
	run_zxmem vmo-get-size k
	assert_output 4096
}

@test "__complete offers rights after --rights" {
	run_zxmem __complete handle-duplicate x --rights ""
	assert_line same
	assert_line get-property
	assert_line resize
}
