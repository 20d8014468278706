#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# zxmem batch: one command a line through the same path as the command
# line; quoting, comments, continuation, FILE:LINE errors, --keep-going,
# global options on every line, objects kept open for the run.

load test_helper/common
load test_helper/process

setup() {
	common_setup
	SCRIPT=$BATS_TEST_TMPDIR/script.zx
}

# script: the batch file is standard input (works in a pipeline too).
script() {
	cat >"$SCRIPT"
}

@test "a batch runs its lines in order and prints each result" {
	script <<'EOF2'
vmo-create 4096 --name buf
vmo-write buf 0 'hello\n'
vmo-read buf 0 6 --format string
vmo-get-size buf
EOF2
	run_zxmem batch "$SCRIPT"
	assert_equal "${lines[0]}" buf
	assert_equal "${lines[1]}" 'hello\n'
	assert_equal "${lines[2]}" 4096
	assert_equal "${#lines[@]}" 3
}

@test "quotes, backslashes, comments, blank lines and continuations" {
	script <<'EOF2'
# a whole-line comment

vmo-create 4096 --name q   # a trailing comment
vmo-write q 0 "say \"hi\" #kept"
vmo-write q 32 it\'s\ fine
vmo-write q 64 'single \n kept' # '\n' is zxmem's escape, not the splitter's
vmo-read q 0 15 \
	--format string
vmo-read q 32 9 --format string
vmo-read q 64 12 --format hex
EOF2
	run_zxmem batch "$SCRIPT"
	assert_equal "${lines[0]}" q
	assert_equal "${lines[1]}" 'say "hi" #kept\0'
	assert_equal "${lines[2]}" "it's fine"
	assert_equal "${lines[3]}" 73696e676c65200a206b6570
}

@test "a batch stops at the first failure with its status and FILE:LINE:" {
	script <<'EOF2'
vmo-create 4096 --name s
vmo-write s 4095 toolong
vmo-create 4096 --name never
EOF2
	run_zxmem -14 batch "$SCRIPT"
	assert_equal "$stderr" "$SCRIPT:2: zxmem: vmo-write: ZX_ERR_OUT_OF_RANGE: offset 0xfff + size 7 is past the VMO size 0x1000"
	run_zxmem -11 vmo-get-size never
	assert_zx_error ZX_ERR_BAD_HANDLE
}

@test "--keep-going runs every line and exits with the first failure's status" {
	script <<'EOF2'
vmo-get-size missing
vmo-create 4096 --name k
vmo-write k 8192 x
vmo-get-size k
EOF2
	run_zxmem -11 batch --keep-going "$SCRIPT"
	assert_output $'k\n4096'
	[[ "$stderr" == *"$SCRIPT:1: zxmem: vmo-get-size: ZX_ERR_BAD_HANDLE"* ]]
	[[ "$stderr" == *"$SCRIPT:3: zxmem: vmo-write: ZX_ERR_OUT_OF_RANGE"* ]]
}

@test "a continued command is reported at the line it starts on" {
	script <<'EOF2'
vmo-create 4096 --name c
vmo-read c \
	0 \
	8192
EOF2
	run_zxmem -14 batch "$SCRIPT"
	[[ "$stderr" == "$SCRIPT:2: zxmem: vmo-read: ZX_ERR_OUT_OF_RANGE"* ]] ||
		fail "wrong prefix: $stderr"
}

@test "an unterminated quote or a final backslash is a usage error at its line" {
	script <<'EOF2'
vmo-create 4096 --name u
vmo-write u 0 'open
EOF2
	run_zxmem -64 batch "$SCRIPT"
	assert_equal "$stderr" "$SCRIPT:2: zxmem: unterminated ' quote"
	printf 'vmo-create 4096 --name v\nvmo-get-size v \\' >"$SCRIPT"
	run_zxmem -64 batch "$SCRIPT"
	[[ "$stderr" == "$SCRIPT:2: "*backslash* ]] || fail "$stderr"
}

@test "global options apply to every line: -j, -q and -k" {
	script <<'EOF2'
vmo-create 4096 --name g
vmo-get-size g
vmo-get-size nope
EOF2
	run_zxmem -11 -j batch "$SCRIPT"
	assert_equal "${#lines[@]}" 3
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.json"
	run python3 -c '
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert objs[0] == {"command": "vmo-create", "status": "ZX_OK", "handle": "g"}, objs[0]
assert objs[1]["size"] == 4096, objs[1]
e = objs[2]
assert e["status"] == "ZX_ERR_BAD_HANDLE" and e["code"] == -11, e
assert e["file"].endswith("script.zx") and e["line"] == 3, e
' "$BATS_TEST_TMPDIR/out.json"
	assert_success

	run_zxmem reset
	run_zxmem -11 -q batch "$SCRIPT"
	assert_output ""
	[[ "$stderr" == *"ZX_ERR_BAD_HANDLE"* ]]
}

@test "the gate from -k reaches process writes in a batch" {
	spawn_target
	printf 'process-write-memory %s counter --u32 41\nprocess-read-memory %s counter 4 --format u32\n' \
		"$TPID" "$TPID" | script
	run_zxmem -2 batch "$SCRIPT"
	[[ "$stderr" == "$SCRIPT:1: zxmem: process-write-memory: ZX_ERR_NOT_SUPPORTED"* ]]
	target_report
	assert_equal "$R_counter" 1
	run_zxmem -k kernel.enable-debugging-syscalls=true batch "$SCRIPT"
	assert_equal "${lines[0]}" 4
	assert_equal "${lines[1]}" 41
	# The program itself sees the write.
	target_report
	assert_equal "$R_counter" 41
}

@test "a batch reads standard input with - or no FILE, and DATA never comes from it" {
	run bash -c 'printf "vmo-create 4096 --name i\nvmo-get-size i\n" | "$ZXMEM" batch - 3>&-'
	assert_success
	assert_output $'i\n4096'
	run --separate-stderr bash -c 'printf "vmo-write i 0\nvmo-get-size i\n" | "$ZXMEM" batch 3>&-'
	assert_equal "$status" 64
	[[ "$stderr" == "-:1: zxmem: vmo-write: no DATA"* ]] || fail "$stderr"
	run --separate-stderr bash -c 'printf "vmo-write i 0 --file -\n" | "$ZXMEM" batch 3>&-'
	assert_equal "$status" 64
	[[ "$stderr" == *"standard input holds the batch"* ]] || fail "$stderr"
}

@test "a batch cannot run a batch, and a missing FILE is a usage error" {
	echo "batch $BATS_TEST_TMPDIR/other.zx" | script
	run_zxmem -64 batch "$SCRIPT"
	[[ "$stderr" == *"cannot run another batch"* ]]
	run_zxmem -64 batch "$BATS_TEST_TMPDIR/none.zx"
	[[ "$stderr" == *"none.zx"* ]]
	run_zxmem -40 batch "$BATS_TEST_TMPDIR"
	[[ "$stderr" == "$BATS_TEST_TMPDIR:1: zxmem: batch: ZX_ERR_IO: reading $BATS_TEST_TMPDIR: Is a directory" ]] ||
		fail "$stderr"
}

@test "handles created in a batch are the namespace's: they outlive it" {
	printf 'vmo-create 8192 --name kept\nvmo-write kept 4096 --hex ff\n' | script
	run_zxmem batch "$SCRIPT"
	run_zxmem vmo-read kept 4096 1 --format hex
	assert_output ff
	run_zxmem handle-close kept
}

@test "a holder the batch started that ends is reported as exited, not as a PID in other hands" {
	# It stayed a zombie, a child of the batch, until the batch started
	# another holder; the next line said the PID "does not hold it".
	local fifo=$BATS_TEST_TMPDIR/lines holder
	mkfifo "$fifo"
	${ZXMEM_WRAPPER-} "$ZXMEM" -j batch --keep-going - <"$fifo" >"$BATS_TEST_TMPDIR/out" \
		2>"$BATS_TEST_TMPDIR/err" 3>&- &
	local bpid=$!
	exec 4>"$fifo"
	echo 'vmo-create 4096 --name z' >&4
	# The holder named by the object's record (under valgrind it has
	# no "zxmem: vmo" title to find it by).
	poll grep -q '"command":"vmo-create"' "$BATS_TEST_TMPDIR/out"
	holder=$(sed -n 's/^holder=//p' "$ZXMEM_RUNTIME_DIR"/o/*)
	[ -n "$holder" ] || fail "no holder in $(ls "$ZXMEM_RUNTIME_DIR"/o)"
	kill -KILL "$holder"
	# A zombie now, until its parent, the batch, reaps it.
	poll output_is Z proc_state "$holder"
	echo 'vmo-read z 0 4 --format hex' >&4
	exec 4>&-
	local rc=0
	wait "$bpid" || rc=$?
	[ "$rc" -eq 11 ] || fail "batch exited $rc: $(cat "$BATS_TEST_TMPDIR/err")"
	run cat "$BATS_TEST_TMPDIR/out"
	[[ "$output" == *'"status":"ZX_ERR_BAD_HANDLE"'*"its holder process $holder has exited"*'"line":2'* ]] || fail "$output"
	[ ! -e /proc/"$holder" ] || fail "holder $holder was not reaped"
}

@test "a process that execs between two lines is read and written as the new program" {
	# The batch kept /proc/PID/mem of the program before the exec, which
	# reads nothing afterwards: the next line said the live process had
	# "exited during the read".
	local lines=$BATS_TEST_TMPDIR/lines tpid
	mkfifo "$lines"
	spawn_unexeced counter
	tpid=$XPID
	${ZXMEM_WRAPPER-} "$ZXMEM" -j -k "$GATE_ON" batch --keep-going - <"$lines" >"$BATS_TEST_TMPDIR/out" \
		2>"$BATS_TEST_TMPDIR/err" 3>&- &
	local bpid=$!
	exec 4>"$lines"
	echo "process-maps $tpid" >&4
	poll grep -q '"command":"process-maps"' "$BATS_TEST_TMPDIR/out"
	exec_and_wait counter
	echo "process-read-memory $tpid counter 4 --format u32" >&4
	echo "process-write-memory $tpid counter --u32 7" >&4
	echo "process-read-memory $tpid counter 4 --format u32" >&4
	exec 4>&-
	local rc=0
	wait "$bpid" || rc=$?
	[ "$rc" -eq 0 ] || fail "batch exited $rc: $(cat "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err")"
	python3 - "$BATS_TEST_TMPDIR/out" <<'PY'
import json, sys
objs = [json.loads(l) for l in open(sys.argv[1])]
assert [o["status"] for o in objs] == ["ZX_OK"] * 4, objs
assert objs[1]["values"][0] >= 1000, objs[1]
assert objs[2]["actual"] == 4, objs[2]
# counter counts up from 7 (one step per 20 ms) after the write
assert 7 <= objs[3]["values"][0] < 1000, objs[3]
PY
}
