# SPDX-License-Identifier: GPL-3.0-or-later
# Stage a fault at an exact point of a zxmem run, without sleeps: strace
# stops zxmem (SIGSTOP) right after the Nth matching system call, the test
# changes the world (kills the target, unmaps memory, truncates a core), and
# then lets zxmem go on.  Load after test_helper/common.

# zxmem_stop_at PATH INJECT ARGS...: run zxmem ARGS under strace in the
# background.  INJECT is one or more (space-separated) of strace's
# "SYSCALL[:error=E]:when=N" (signal=STOP is added to each); only calls on
# PATH count (strace -P; "" for every call).  Returns once zxmem is stopped,
# with ZX_STRACE_PID (strace, zxmem's parent) and ZX_STOP_LOG (strace's log)
# set; fails if zxmem ends without stopping.
zxmem_stop_at() {
	local path=$1 spec calls="" i
	local -a opts=()
	for spec in $2; do
		opts+=(-e "inject=$spec:signal=STOP")
		calls+=${calls:+,}${spec%%:*}
	done
	shift 2
	ZX_STOP_LOG="$BATS_TEST_TMPDIR/strace.log"
	ZX_STOP_OUT="$BATS_TEST_TMPDIR/stop.out"
	ZX_STOP_ERR="$BATS_TEST_TMPDIR/stop.err"
	: >"$ZX_STOP_LOG"
	# LeakSanitizer cannot run under ptrace; the leak check of these code
	# paths is left to the valgrind pass.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 strace \
		-o "$ZX_STOP_LOG" ${path:+-P "$path"} -e trace="$calls" "${opts[@]}" \
		${ZXMEM_WRAPPER-} "$ZXMEM" "$@" >"$ZX_STOP_OUT" 2>"$ZX_STOP_ERR" 3>&- &
	ZX_STRACE_PID=$!
	for ((i = 0; i < 1000; i++)); do
		if grep -q -- '--- stopped by SIGSTOP ---' "$ZX_STOP_LOG"; then
			return 0
		fi
		if ! kill -0 "$ZX_STRACE_PID" 2>/dev/null; then
			wait "$ZX_STRACE_PID" || true
			echo "zxmem $* ended without stopping at $calls:" >&2
			cat "$ZX_STOP_LOG" "$ZX_STOP_ERR" >&2
			return 1
		fi
		sleep 0.01
	done
	echo "zxmem $* did not stop at $calls within 10 s" >&2
	cat "$ZX_STOP_LOG" >&2
	return 1
}

# zxmem_resume [-N]: let the stopped zxmem go on, wait for it, and check
# its exit status as run_zxmem does (sets status, output, stderr).
zxmem_resume() {
	local expect=0 zx
	case "${1-}" in
	-[0-9]*) expect=${1#-} ;;
	esac
	zx=$(pgrep -P "$ZX_STRACE_PID")
	kill -CONT "$zx"
	status=0
	wait "$ZX_STRACE_PID" || status=$?
	output=$(cat "$ZX_STOP_OUT")
	stderr=$(grep -Ev '^(==|--)[0-9]+(==|--)' "$ZX_STOP_ERR" || true)
	if [ "$status" -ge 126 ] && [ "$status" -le 192 ]; then
		echo "zxmem crashed (status $status); stderr: $stderr" >&2
		return 1
	fi
	if [ "$status" -ne "$expect" ]; then
		echo "exit status $status, expected $expect" >&2
		echo "stdout: $output" >&2
		echo "stderr: $stderr" >&2
		return 1
	fi
}
