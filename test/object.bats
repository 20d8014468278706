#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Object state belongs to the object (SPEC §3): every handle, in every
# process, a batch or shell included, sees size, policy and rights fresh;
# a cached handle is revalidated before each use; koids are counted; the
# batch cache is bounded.

load test_helper/common

# A batch reading its lines from a FIFO, so the test can act from another
# process between two of its lines. start_batch; feed LINE; ...; end_batch.
# Under -j every line prints one JSON line (errors too); a batch flushes
# each line's output.
start_batch() {
	mkfifo "$BATS_TEST_TMPDIR/in"
	${ZXMEM_WRAPPER-} "$ZXMEM" -j batch --keep-going <"$BATS_TEST_TMPDIR/in" \
		>"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	BATCH_PID=$!
	exec 5>"$BATS_TEST_TMPDIR/in"
	FED=0
}

# feed LINE: send one line and wait until it has run.
feed() {
	local i
	printf '%s\n' "$1" >&5
	FED=$((FED + 1))
	# Bounded, not timed: a sanitizer or valgrind build on a loaded
	# machine may take seconds to start.
	for i in $(seq 6000); do
		[ "$(wc -l <"$BATS_TEST_TMPDIR/out")" -ge "$FED" ] && return 0
		sleep 0.01
	done
	echo "the batch did not run: $1" >&2
	return 1
}

end_batch() {
	exec 5>&-
	BATCH_STATUS=0
	wait "$BATCH_PID" || BATCH_STATUS=$?
}

@test "a batch's cached handle sees a resize made through another handle: no write past the end" {
	run_zxmem vmo-create 8192 --name r --resizable
	run_zxmem handle-duplicate r --name r2
	printf '%s\n' "vmo-get-size r2" "vmo-set-size r 4096" \
		"vmo-write r2 6000 hello" "vmo-get-size r2" >"$BATS_TEST_TMPDIR/s"
	run_zxmem -14 batch --keep-going "$BATS_TEST_TMPDIR/s"
	[[ "$stderr" == *:3:*ZX_ERR_OUT_OF_RANGE* ]] || fail "$stderr"
	assert_equal "${lines[0]}" 8192
	assert_equal "${lines[1]}" 4096
	run_zxmem vmo-get-size r
	assert_output 4096
}

@test "a batch's cached handle sees a resize made by another process" {
	run_zxmem vmo-create 8192 --name r --resizable
	start_batch
	feed "vmo-get-size r"
	run_zxmem vmo-set-size r 4096
	feed "vmo-write r 6000 hello"
	feed "vmo-get-size r"
	end_batch
	[ "$BATCH_STATUS" -eq 14 ]
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 0 --partial '"size":8192'
	assert_line --index 1 --partial ZX_ERR_OUT_OF_RANGE
	assert_line --index 2 --partial '"size":4096'
	run_zxmem vmo-get-size r
	assert_output 4096
}

@test "a batch's writes after another process's reset fail with ZX_ERR_BAD_HANDLE" {
	run_zxmem vmo-create 4096 --name r
	start_batch
	feed "vmo-get-size r"
	run_zxmem reset
	feed "vmo-write r 0 lost"
	run_zxmem vmo-create 4096 --name r
	# a new object by the same name is reached, not the old one
	feed "vmo-write r 0 found"
	end_batch
	[ "$BATCH_STATUS" -eq 11 ]
	grep -q ZX_ERR_BAD_HANDLE "$BATS_TEST_TMPDIR/out"
	run_zxmem vmo-read r 0 5 --format string
	assert_output found
}

@test "a batch's writes after another process closed the handle fail with ZX_ERR_BAD_HANDLE" {
	run_zxmem vmo-create 4096 --name r
	run_zxmem handle-duplicate r --name keep
	start_batch
	feed "vmo-write r 0 one"
	run_zxmem handle-close r
	feed "vmo-write r 0 two"
	end_batch
	[ "$BATCH_STATUS" -eq 11 ]
	grep -q ZX_ERR_BAD_HANDLE "$BATS_TEST_TMPDIR/out"
	run_zxmem vmo-read keep 0 3 --format string
	assert_output one
}

@test "a handle-replace elsewhere takes rights away from a batch's cached handle" {
	run_zxmem vmo-create 4096 --name r
	start_batch
	feed "vmo-write r 0 one"
	run_zxmem handle-replace r --rights read
	feed "vmo-write r 0 two"
	end_batch
	[ "$BATCH_STATUS" -eq 30 ]
	grep -q ZX_ERR_ACCESS_DENIED "$BATS_TEST_TMPDIR/out"
	run_zxmem vmo-read r 0 3 --format string
	assert_output one
}

@test "an uncached policy set elsewhere reaches a batch's cached handle" {
	run_zxmem vmo-create 4096 --name r
	start_batch
	feed "vmo-write r 0 one"
	run_zxmem vmo-set-cache-policy r uncached
	feed "vmo-write r 0 two"
	end_batch
	[ "$BATCH_STATUS" -eq 20 ]
	grep -q ZX_ERR_BAD_STATE "$BATS_TEST_TMPDIR/out"
	run_zxmem vmo-set-cache-policy r cached
	run_zxmem vmo-read r 0 3 --format string
	assert_output one
}

@test "two processes interleaving set-size and writes: the size stays a page multiple, no write past the end" {
	local i
	run_zxmem vmo-create 8192 --name r --resizable
	for i in $(seq 300); do
		echo "vmo-set-size r 4096"
		echo "vmo-set-size r 8192"
	done >"$BATS_TEST_TMPDIR/resize"
	for i in $(seq 300); do
		echo "vmo-write r 6000 hello"
		echo "vmo-get-size r"
	done >"$BATS_TEST_TMPDIR/write"
	"$ZXMEM" batch "$BATS_TEST_TMPDIR/resize" 3>&- &
	local resizer=$!
	run --separate-stderr "$ZXMEM" batch --keep-going "$BATS_TEST_TMPDIR/write" 3>&-
	wait "$resizer"
	# every write either landed or was OUT_OF_RANGE; every size seen is
	# one the resizer set
	[ "$status" -eq 0 ] || [ "$status" -eq 14 ]
	[ "${#lines[@]}" -eq 300 ]
	for i in "${lines[@]}"; do
		[ "$i" = 4096 ] || [ "$i" = 8192 ] || fail "size $i"
	done
	if [ -n "$stderr" ]; then
		run grep -v ZX_ERR_OUT_OF_RANGE <<<"$stderr"
		refute_output
	fi
	run_zxmem vmo-get-size r
	assert_output 8192
}

@test "koids are unique and never reused, even after reset" {
	local k1 k2 k3
	run_zxmem -j vmo-create 4096 --name a
	k1=$("$ZXMEM" handle-list 3>&- | awk '$1 == "a" { print $2 }')
	run_zxmem handle-close a
	run_zxmem vmo-create 4096 --name a
	k2=$("$ZXMEM" handle-list 3>&- | awk '$1 == "a" { print $2 }')
	run_zxmem reset
	run_zxmem vmo-create 4096 --name a
	k3=$("$ZXMEM" handle-list 3>&- | awk '$1 == "a" { print $2 }')
	[ "$k1" -lt "$k2" ]
	[ "$k2" -lt "$k3" ]
}

@test "--rights none, 0 and a numeric mask" {
	run_zxmem vmo-create 4096 --name o
	run_zxmem handle-duplicate o --rights none --name n
	run_zxmem handle-duplicate o --rights 0 --name z
	run_zxmem handle-duplicate o --rights 0xc --name rw
	run_zxmem handle-list
	assert_line --regexp '^n [0-9]+ vmo none 4096$'
	assert_line --regexp '^z [0-9]+ vmo none 4096$'
	assert_line --regexp '^rw [0-9]+ vmo read,write 4096$'
	run_zxmem -30 vmo-read n 0 1
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem vmo-get-size n
	assert_output 4096
	# SAME_RIGHTS | READ is not a subset: INVALID_ARGS
	run_zxmem -10 handle-duplicate o --rights 0x80000004
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -64 handle-duplicate o --rights 0x100000000
	assert_usage_error --rights
}

@test "--name collision comes after Zircon's own checks" {
	run_zxmem vmo-create 4096 --name a
	run_zxmem vmo-create 4096 --name taken
	run_zxmem -11 handle-duplicate nosuch --name taken
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem handle-duplicate a --rights read --name nodup
	run_zxmem -30 handle-duplicate nodup --name taken
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -10 handle-duplicate a --rights resize --name taken
	assert_zx_error ZX_ERR_INVALID_ARGS
	# a replace whose rights are no subset consumes the handle, even
	# though the name it asked for is taken
	run_zxmem -10 handle-replace a --rights resize --name taken
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -11 vmo-get-size a
	assert_zx_error ZX_ERR_BAD_HANDLE
	# with good rights, a taken name consumes nothing
	run_zxmem -26 handle-replace nodup --rights read --name taken
	assert_zx_error ZX_ERR_ALREADY_EXISTS
	run_zxmem handle-list
	assert_line --regexp '^nodup '
}

@test "a batch reading 1,500 different files works under ulimit -n 256" {
	local d=$BATS_TEST_TMPDIR/files i
	mkdir "$d"
	for i in $(seq 1500); do
		printf '%04d' "$i" >"$d/f$i"
		echo "vmo-read $d/f$i 0 4 --format string"
	done >"$BATS_TEST_TMPDIR/s"
	run --separate-stderr bash -c 'ulimit -n 256 && exec "$1" batch "$2"' _ \
		"$ZXMEM" "$BATS_TEST_TMPDIR/s" 3>&-
	[ "$status" -eq 0 ] || fail "status $status: ${stderr:0:300}"
	[ "${#lines[@]}" -eq 1500 ]
	assert_equal "${lines[0]}" 0001
	assert_equal "${lines[1499]}" 1500
}

# under_ulimit N ARGS...: zxmem ARGS with at most N descriptors (no wrapper:
# valgrind moves the limit itself), as run sets status, output, stderr;
# status 99 when not even the loader could open zxmem's libraries (127,
# which bats would take for a missing command).
under_ulimit() {
	run --separate-stderr bash -c 'ulimit -n "$1" && shift && "$@"; s=$?
		[ "$s" -eq 127 ] && exit 99; exit "$s"' _ "$1" "$ZXMEM" "${@:2}" 3>&-
}

@test "running out of descriptors is ZX_ERR_NO_RESOURCES, never a vanished handle" {
	# issue 10 item 13: out of descriptors, a lookup said BAD_HANDLE "the
	# VMO is gone ... run 'zxmem reset'" (which would destroy it) or
	# ACCESS_DENIED for the namespace directory.
	local n cmd seen want
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 abcd
	printf 'vmo-read buf 0 4 --format string\n' >"$BATS_TEST_TMPDIR/s"
	for cmd in "vmo-read buf 0 4 --format string=abcd" "vmo-get-size buf=4096" \
	    "handle-duplicate buf --name dup@=dup@" "handle-list=" "batch $BATS_TEST_TMPDIR/s=abcd"; do
		want=${cmd#*=}
		cmd=${cmd%%=*}
		seen=0
		for n in $(seq 3 12); do
			# shellcheck disable=SC2086
			under_ulimit "$n" ${cmd//@/$n}
			case $status in
			0) [ -z "$want" ] || assert_output "${want//@/$n}" ;;
			99) [[ "$stderr" == *"error while loading shared libraries"* ]] ||
				fail "ulimit -n $n, $cmd: $stderr" ;;
			3) [[ "$stderr" == *"ZX_ERR_NO_RESOURCES: "* && "$stderr" != *reset* ]] ||
				fail "ulimit -n $n, $cmd: $stderr"
				seen=$((seen + 1)) ;;
			*) fail "ulimit -n $n, $cmd: status $status: $stderr" ;;
			esac
		done
		[ "$status" -eq 0 ] || fail "$cmd fails even with 12 descriptors"
		[ "$seen" -gt 0 ] || fail "no limit made $cmd run out of descriptors"
	done
	# Nothing was lost on the way.
	run_zxmem vmo-read dup12 0 4 --format string
	assert_output abcd
}

@test "a batch naming 300 handles under ulimit -n 64 keeps working" {
	local i
	run_zxmem vmo-create 4096 --name h
	for i in $(seq 300); do
		echo "handle-duplicate h --name h$i"
	done >"$BATS_TEST_TMPDIR/dup"
	run_zxmem -q batch "$BATS_TEST_TMPDIR/dup"
	for i in $(seq 300); do
		echo "vmo-write h$i 0 --u32 $i"
		echo "vmo-read h$i 0 4 --format u32"
	done >"$BATS_TEST_TMPDIR/s"
	run --separate-stderr bash -c 'ulimit -n 64 && exec "$1" batch "$2"' _ \
		"$ZXMEM" "$BATS_TEST_TMPDIR/s" 3>&-
	[ "$status" -eq 0 ] || fail "status $status: ${stderr:0:300}"
	[ "${#lines[@]}" -eq 300 ]
	assert_equal "${lines[299]}" 300
}
