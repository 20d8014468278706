#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Live processes under faults (issue 10): targets that die or change during
# a transfer, objects shorter than their mappings, shared mappings the
# process cannot write, threads given as processes, and TARGET paths that
# are no regular files (SPEC §5).  Timing faults are staged with strace
# (test_helper/stop.bash): zxmem stops right before its transfer, the test
# kills or changes the target, then zxmem goes on.

load test_helper/common
load test_helper/process
load test_helper/stop

setup() {
	common_setup
	PAGE=$(getconf PAGESIZE)
}

teardown() {
	process_teardown
	common_teardown
}

# spawn_mapper: start test/helpers/mapper (its file in the test's tmpdir).
spawn_mapper() {
	TMPDIR=${NOBODY_DIR:-$BATS_TEST_TMPDIR} spawn_target mapper
}

# --- a thread is no process ------------------------------------------------

@test "a thread ID is WRONG_TYPE, naming the thread group leader" {
	enable_debugging
	spawn_mapper
	[ "$T_tid" != "$TPID" ] || fail "mapper printed no second thread"
	[ -d "/proc/$T_tid/task/$T_tid" ] || fail "no thread $T_tid"
	run_zxmem -12 process-read-memory "$T_tid" "$T_memfd_map" 8
	assert_zx_error ZX_ERR_WRONG_TYPE
	assert_equal "$stderr" "zxmem: process-read-memory: ZX_ERR_WRONG_TYPE: $T_tid is a thread of process $TPID (mapper), not a process: use $TPID"
	run_zxmem -12 process-write-memory "$T_tid" "$T_memfd_map" --string XX
	assert_zx_error ZX_ERR_WRONG_TYPE
	run_zxmem -12 process-maps "$T_tid"
	assert_zx_error ZX_ERR_WRONG_TYPE
	run_zxmem -12 process-vmos "$T_tid"
	assert_zx_error ZX_ERR_WRONG_TYPE
	target_report
	assert_equal "$R_memfd_head" "$(printf memfd-pa | xxd -p)"
	# The leader itself is the process.
	run_zxmem process-read-memory "$TPID" "$T_memfd_map" 8 --format raw
	assert_output memfd-pa
}

# --- the target dies or changes during the transfer ------------------------

@test "a target killed during the write is BAD_STATE: it exited during the write" {
	enable_debugging
	spawn_target
	# The first pwrite to /proc/PID/mem is interrupted (EINTR) and zxmem
	# stops; the target dies; zxmem retries into an address space that is gone.
	zxmem_stop_at "/proc/$TPID/mem" pwrite64:error=EINTR:when=1 \
		process-write-memory "$TPID" counter --u32 7
	kill -KILL "$TPID"
	wait "$TPID" || true
	zxmem_resume -20
	assert_zx_error ZX_ERR_BAD_STATE
	assert_equal "$stderr" "zxmem: process-write-memory: ZX_ERR_BAD_STATE: process $TPID exited during the write"
	assert_output ""
}

@test "a target killed during the read is BAD_STATE: it exited during the read" {
	spawn_target
	zxmem_stop_at "/proc/$TPID/mem" pread64:error=EINTR:when=1 \
		process-read-memory "$TPID" counter 4 --format u32
	kill -KILL "$TPID"
	wait "$TPID" || true
	zxmem_resume -20
	assert_equal "$stderr" "zxmem: process-read-memory: ZX_ERR_BAD_STATE: process $TPID exited during the read"
	assert_output ""
}

# unmap_gone: have the mapper unmap its page "gone" and wait for it to say so.
unmap_gone() {
	local i
	kill -USR2 "$TPID"
	for ((i = 0; i < 2000; i++)); do
		grep -q '^unmapped ' "$TARGET_OUT" && return 0
		sleep 0.01
	done
	echo "mapper did not unmap: $(cat "$TARGET_OUT")" >&2
	return 1
}

@test "a mapping removed between the maps and the write is NO_MEMORY" {
	enable_debugging
	spawn_mapper
	zxmem_stop_at "/proc/$TPID/mem" pwrite64:error=EINTR:when=1 \
		process-write-memory "$TPID" "$T_gone" --u32 7
	unmap_gone
	zxmem_resume -4
	assert_zx_error ZX_ERR_NO_MEMORY
	assert_equal "$stderr" "zxmem: process-write-memory: ZX_ERR_NO_MEMORY: the mapping $T_gone-$(hexaddr "T_gone + PAGE") that held $T_gone was removed or replaced during the write"
	# The process lives on, its other memory untouched.
	target_report
	assert_equal "$R_memfd_head" "$(printf memfd-pa | xxd -p)"
}

@test "a mapping removed between the maps and the read is NO_MEMORY" {
	spawn_mapper
	zxmem_stop_at "/proc/$TPID/mem" pread64:error=EINTR:when=1 \
		process-read-memory "$TPID" "$T_gone" 4
	unmap_gone
	zxmem_resume -4
	assert_zx_error ZX_ERR_NO_MEMORY
	assert_output ""
	# Afterwards it is simply unmapped.
	run_zxmem -4 process-read-memory "$TPID" "$T_gone" 4
	assert_zx_error ZX_ERR_NO_MEMORY
}

# --- objects shorter than their mappings (Zircon's TrimLength) -------------

# check_trim: the mapper's memfd (1 page under 3) and file (100 bytes under
# 2 pages) trim transfers at the object's last page.
check_trim() {
	local past=$((T_memfd_map + PAGE)) fpast=$((T_file_map + PAGE))
	local out=${NOBODY_DIR:-$BATS_TEST_TMPDIR}/out

	run_zxmem process-read-memory "$TPID" "$T_memfd_map" $((3 * PAGE)) -o "$out"
	assert_equal "$stderr" "zxmem: process-read-memory: short read: $PAGE of $((3 * PAGE)) bytes (the mapping $T_memfd_map-$(hexaddr "T_memfd_map + 3 * PAGE") could be read only up to $(hexaddr past))"
	assert_equal "$(stat -c %s "$out")" "$PAGE"
	assert_equal "$(head -c 12 "$out")" memfd-page-0
	run_zxmem -14 process-read-memory "$TPID" "$(hexaddr past)" 16
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 process-read-memory "$TPID" "$(hexaddr "past + PAGE + 8")" 16
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 process-write-memory "$TPID" "$(hexaddr past)" --string X
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	# A write across the end stops there; the program sees what fitted.
	run_zxmem process-write-memory "$TPID" "$(hexaddr "past - 4")" --string ABCDEFGH
	assert_output 4
	run_zxmem process-read-memory "$TPID" "$(hexaddr "past - 4")" 4 --format raw
	assert_output ABCD

	run_zxmem process-read-memory "$TPID" "$T_file_map" $((2 * PAGE)) -o "$out"
	assert_equal "$(stat -c %s "$out")" "$PAGE"
	assert_equal "$(head -c 9 "$out")" file-head
	run_zxmem -14 process-read-memory "$TPID" "$(hexaddr fpast)" 1
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 process-write-memory "$TPID" "$(hexaddr fpast)" --hex 00
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem process-write-memory "$TPID" "$T_file_map" --string FILE
	assert_output 4
	target_report
	assert_equal "$R_memfd_head" "$(printf memfd-pa | xxd -p)"
	assert_equal "$R_file_head" "$(printf FILE-hea | xxd -p)"
	assert_equal "$(head -c 9 "$T_file")" FILE-head
	assert_equal "$(stat -c %s "$T_file")" 100
}

@test "a memfd or file shorter than its mapping trims the transfer; past its end is OUT_OF_RANGE" {
	enable_debugging
	spawn_mapper
	check_trim
}

@test "the trim holds for a user without CAP_SYS_ADMIN (no /proc/PID/map_files)" {
	enable_debugging
	as_nobody
	TARGET_WRAPPER="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all" \
		spawn_mapper
	check_trim
}

# --- shared mappings the process cannot write ------------------------------

@test "a write into a shared mapping the process cannot write is ACCESS_DENIED, saying why" {
	enable_debugging
	spawn_mapper
	run_zxmem -30 process-write-memory "$TPID" "$T_ro_map" --string XXXX
	assert_zx_error ZX_ERR_ACCESS_DENIED
	assert_equal "$stderr" "zxmem: process-write-memory: ZX_ERR_ACCESS_DENIED: $T_ro_map is in a shared mapping that process $TPID cannot write (r--s, /memfd:mapper-ro (deleted) $T_ro_map-$(hexaddr "T_ro_map + PAGE")): Linux forces writes only into private mappings"
	target_report
	assert_equal "$R_ro_head" "$(printf read-onl | xxd -p)"
	# Reading it is fine.
	run_zxmem process-read-memory "$TPID" "$T_ro_map" 16 --format raw
	assert_output read-only-shared
}

# --- TARGET paths that are no regular file ---------------------------------

@test "a FIFO, a device or a directory as TARGET is WRONG_TYPE and never opened" {
	local t
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	mkdir "$BATS_TEST_TMPDIR/dir"
	for t in fifo:FIFO /dev/null:"character device" dir:directory; do
		local path=${t%%:*} kind=${t#*:}
		[[ "$path" == /* ]] || path=$BATS_TEST_TMPDIR/$path
		# strace: every open of the path is O_PATH (no reader appears on
		# the FIFO, no device driver is called).
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
			run --separate-stderr timeout 20 strace -f -o "$BATS_TEST_TMPDIR/open.log" \
			-e trace=open,openat,openat2 "$ZXMEM" process-maps "$path" 3>&-
		assert_equal "$status" 12
		assert_equal "$stderr" "zxmem: process-maps: ZX_ERR_WRONG_TYPE: $path is a $kind, not an ELF core file"
		grep -F "\"$path\"" "$BATS_TEST_TMPDIR/open.log" >"$BATS_TEST_TMPDIR/opens" || true
		[ -s "$BATS_TEST_TMPDIR/opens" ] || fail "zxmem never looked at $path"
		if grep -v O_PATH "$BATS_TEST_TMPDIR/opens"; then
			fail "zxmem opened $path for I/O"
		fi
	done
	run_zxmem -12 process-read-memory "$BATS_TEST_TMPDIR/fifo" 0x1000 4
	assert_zx_error ZX_ERR_WRONG_TYPE
}

@test "a core path swapped for a FIFO after its type check: zxmem reads the file it checked" {
	local core=$BATS_TEST_TMPDIR/core want
	cp "$BATS_TEST_DIRNAME/../fuzz/corpus/core/gcore-x86_64" "$core"
	run_zxmem process-maps "$core"
	want=$output
	# Stop zxmem once it has read the ELF header (the type check), then
	# put a FIFO where the core was.
	zxmem_stop_at "$core" pread64:when=1 process-maps "$core"
	mv "$core" "$core.moved"
	mkfifo "$core"
	zxmem_resume
	assert_output "$want"
}
