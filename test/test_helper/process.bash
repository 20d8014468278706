# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers for tests that poke live processes: start the target programs
# from test/helpers/, ask them what they see in their own memory, and
# manage the system-wide kernel.conf and a directory the "nobody" user can
# use.  Load after test_helper/common; call process_teardown from teardown.

# The gate, on and off, as -k or ZXMEM_KERNEL_CMDLINE words.
GATE_ON=kernel.enable-debugging-syscalls=true
GATE_OFF=kernel.enable-debugging-syscalls=false

# spawn_unexeced PROG: a process that runs bash, its parent's program, until
# the test writes a line to $EXEC_GO, then execs the test program PROG (as
# "prog &" does a moment after the fork). Sets XPID.
spawn_unexeced() {
	EXEC_GO=$BATS_TEST_TMPDIR/exec-go
	mkfifo "$EXEC_GO"
	bash -c 'read -r l <"$1"; exec "$2" >/dev/null' _ "$EXEC_GO" "$ZXMEM_TEST_BIN/$1" 3>&- &
	XPID=$!
	TARGET_PIDS+=("$XPID")
}

# exec_and_wait: let spawn_unexeced's process exec, and wait until it has.
exec_and_wait() {
	local prog=$1
	echo go >"$EXEC_GO"
	poll output_is "$(realpath "$ZXMEM_TEST_BIN/$prog")" readlink /proc/"$XPID"/exe
}

# spawn_target [PROG]: start $ZXMEM_TEST_BIN/PROG (default target) in the
# background, stdout and stderr to a file, fd 3 closed, its pid pushed to
# TARGET_PIDS.  Waits (at most 20 s) for its first line ("ready k=v ..." or
# "zombie pid=N") and sets TPID (the program's pid), TARGET_OUT (its output
# file), TARGET_SEQ=0 and T_KEY=VALUE for every field of that line, e.g.
# T_counter, T_limit, T_message, T_big, T_edge, T_memfd.
spawn_target() {
	local prog=${1:-target} out pid line i
	out=$(mktemp "$BATS_TEST_TMPDIR/$prog.XXXXXX")
	# TARGET_WRAPPER runs it as someone else (setpriv ...).
	${TARGET_WRAPPER-} "$ZXMEM_TEST_BIN/$prog" >"$out" 2>&1 3>&- &
	pid=$!
	TARGET_PIDS+=("$pid")
	for ((i = 0; i < 2000; i++)); do
		line=$(head -n 1 "$out")
		if [[ "$line" == *" pid="* ]]; then
			break
		fi
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "$prog ($pid) died before it was ready: $(cat "$out")" >&2
			return 1
		fi
		sleep 0.01
	done
	if [[ "$line" != *" pid="* ]]; then
		echo "$prog ($pid) not ready after 20 s: $(cat "$out")" >&2
		return 1
	fi
	TPID=$pid
	TARGET_OUT=$out
	TARGET_SEQ=0
	_parse_fields T_ "$line"
	export TPID TARGET_OUT
}

# _parse_fields PREFIX LINE: set PREFIXkey=value for each key=value word.
_parse_fields() {
	local prefix=$1 word
	for word in $2; do
		[[ "$word" == *=* ]] || continue
		printf -v "$prefix${word%%=*}" '%s' "${word#*=}"
	done
}

# target_report: signal the last spawned target (SIGUSR1), wait (at most
# 20 s) for a report with a seq newer than the last one seen, and set
# R_KEY=VALUE for each field: R_seq R_counter R_limit R_message R_big_sum
# R_big_first R_big_last R_big_tail R_edge_first R_edge_last R_big_counter
# R_memfd_head.
target_report() {
	local line i seq
	kill -USR1 "$TPID" || return 1
	for ((i = 0; i < 2000; i++)); do
		line=$(grep '^report seq=.* end$' "$TARGET_OUT" | tail -n 1)
		if [ -n "$line" ]; then
			seq=${line#report seq=}
			seq=${seq%% *}
			if [ "$seq" -gt "$TARGET_SEQ" ]; then
				TARGET_SEQ=$seq
				_parse_fields R_ "$line"
				return 0
			fi
		fi
		if ! kill -0 "$TPID" 2>/dev/null; then
			echo "target $TPID died: $(cat "$TARGET_OUT")" >&2
			return 1
		fi
		sleep 0.01
	done
	echo "target $TPID sent no report within 20 s: $(cat "$TARGET_OUT")" >&2
	return 1
}

# assert_target_untouched: the target still sees its start-up values.
assert_target_untouched() {
	target_report || return 1
	assert_equal "$R_counter" 1
	assert_equal "$R_limit" 42
	assert_equal "$R_message" hello
	assert_equal "$R_big_sum" 0
	assert_equal "$R_big_counter" 0
	assert_equal "$R_edge_first" e0
	assert_equal "$R_edge_last" e1
}

# hexaddr EXPR: an address expression (bash arithmetic) as 0x hex.
hexaddr() {
	printf '0x%x\n' "$(($1))"
}

# unused_pid: print the pid of a process that has exited and been reaped.
unused_pid() {
	local pid
	true 3>&- &
	pid=$!
	wait "$pid"
	while [ -e "/proc/$pid" ]; do
		pid=$((pid + 7919))
	done
	echo "$pid"
}

# kernel_thread_pid: print the pid of a kernel thread (PF_KTHREAD set in
# /proc/PID/stat flags): kthreadd (2) if it is one, else the first found.
kernel_thread_pid() {
	local d pid stat rest f
	for d in /proc/2 /proc/[0-9]*; do
		pid=${d#/proc/}
		stat=$(cat "$d/stat" 2>/dev/null) || continue
		rest=${stat##*) }
		read -r -a f <<<"$rest"
		if (((f[6] & 0x00200000) != 0)); then
			echo "$pid"
			return 0
		fi
	done
	return 1
}

# map_line_of ADDR: from process-maps output in $output, print the line of
# the mapping that contains ADDR.
map_line_of() {
	local addr=$(($1)) line range start end
	while IFS= read -r line; do
		range=${line%% *}
		start=$((16#${range%-*}))
		end=$((16#${range#*-}))
		if ((addr >= start && addr < end)); then
			echo "$line"
			return 0
		fi
	done <<<"$output"
	return 1
}

# json_check FILE PYTHON: FILE holds one valid JSON value (j in PYTHON),
# and the Python expression PYTHON is true for it.
json_check() {
	local file=$1 expr=$2
	python3 -c '
import json, sys
with open(sys.argv[1]) as f:
    j = json.load(f)
if not eval(sys.argv[2]):
    sys.exit("JSON check failed: %s\n  on: %s" % (sys.argv[2], json.dumps(j)[:2000]))
' "$file" "$expr"
}

# System-wide kernel.conf.  set_etc_conf TEXT writes it (saving any
# existing file first); hide_etc_conf moves an existing file out of the
# way.  process_teardown puts back whatever was there.  By default they work
# on the tests' build of zxmem ($ZXMEM_TEST_BIN/zxmem, whose SYSCONFDIR is
# $ZXMEM_TEST_BIN/etc) and make the test run that build, so no root is
# needed; a test that checks the installed path calls real_etc_conf first.
ETC_CONF=$ZXMEM_TEST_BIN/etc/zxmem/kernel.conf

# real_etc_conf: this test's set_etc_conf and hide_etc_conf work on
# /etc/zxmem/kernel.conf and the real build; hide_etc_conf needs root only
# if that file exists. It must come before either.
real_etc_conf() {
	REAL_ETC=1
	ETC_CONF=/etc/zxmem/kernel.conf
}

_save_etc_conf() {
	[ -n "${ETC_CONF_SAVED-}" ] && return 0
	if [ -z "${REAL_ETC-}" ]; then
		[ -x "$ZXMEM_TEST_BIN/zxmem" ] ||
			fail "$ZXMEM_TEST_BIN/zxmem is missing: make test-helpers builds it"
		ZXMEM=$ZXMEM_TEST_BIN/zxmem
	elif [ ! -w "${ETC_CONF%/*}" ] && [ ! -w "${ETC_CONF%/*/*}" ] &&
		{ [ -e "$ETC_CONF" ] || [ "${1-}" != hide ]; }; then
		skip "needs write access to $ETC_CONF (root): it checks the installed path"
	else
		# The machine's one /etc/zxmem/kernel.conf: suites that run side
		# by side (.ci/run) take turns, for the whole test (the lock, on
		# the directory /etc itself, which no one can replace, goes
		# with the test's process).
		exec 8<"${ETC_CONF%/*/*}" &&
			flock -w 300 8 || fail "cannot lock ${ETC_CONF%/*/*}"
	fi
	if [ -e "$ETC_CONF" ]; then
		cp -p "$ETC_CONF" "$BATS_TEST_TMPDIR/etc-kernel.conf.saved"
		ETC_CONF_SAVED=file
	else
		ETC_CONF_SAVED=none
	fi
	if [ ! -d "${ETC_CONF%/*}" ] && [ "${1-}" != hide ]; then
		mkdir -p "${ETC_CONF%/*}"
		ETC_DIR_CREATED=1
	fi
}

hide_etc_conf() {
	_save_etc_conf hide
	rm -f "$ETC_CONF"
}

set_etc_conf() {
	_save_etc_conf
	printf '%s\n' "$1" >"$ETC_CONF"
}

_restore_etc_conf() {
	case "${ETC_CONF_SAVED-}" in
	file) cp -p "$BATS_TEST_TMPDIR/etc-kernel.conf.saved" "$ETC_CONF" ;;
	none) rm -f "$ETC_CONF" ;;
	esac
	if [ -n "${ETC_DIR_CREATED-}" ]; then
		rmdir "${ETC_CONF%/*}" 2>/dev/null || true
	fi
	ETC_CONF_SAVED=
	ETC_DIR_CREATED=
}

# as_nobody: make run_zxmem run zxmem as uid/gid 65534 with no groups and no
# capabilities, with HOME, XDG_* and ZXMEM_RUNTIME_DIR in a directory that
# user owns (the test's own tmpdir is not reachable by it), and zxmem and
# the test programs copied where it can run them (share_with_others).
as_nobody() {
	[ "$(id -u)" -eq 0 ] || skip "needs root to run zxmem as another user (nobody)"
	share_with_others || return 1
	NOBODY_SAVED_ENV=("$HOME" "$XDG_CONFIG_HOME" "$XDG_RUNTIME_DIR"
		"$XDG_STATE_HOME" "$ZXMEM_RUNTIME_DIR" "${ZXMEM_WRAPPER-}")
	NOBODY_DIR=$(mktemp -d /tmp/zxmem-nobody.XXXXXX)
	chown 65534:65534 "$NOBODY_DIR"
	export HOME="$NOBODY_DIR" XDG_CONFIG_HOME="$NOBODY_DIR/.config"
	export XDG_RUNTIME_DIR="$NOBODY_DIR/run" XDG_STATE_HOME="$NOBODY_DIR/state"
	export ZXMEM_RUNTIME_DIR="$NOBODY_DIR/ns"
	ZXMEM_WRAPPER="setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all ${ZXMEM_WRAPPER-}"
}

process_teardown() {
	_restore_etc_conf
	if [ -n "${NOBODY_DIR-}" ]; then
		HOME=${NOBODY_SAVED_ENV[0]}
		XDG_CONFIG_HOME=${NOBODY_SAVED_ENV[1]}
		XDG_RUNTIME_DIR=${NOBODY_SAVED_ENV[2]}
		XDG_STATE_HOME=${NOBODY_SAVED_ENV[3]}
		ZXMEM_RUNTIME_DIR=${NOBODY_SAVED_ENV[4]}
		ZXMEM_WRAPPER=${NOBODY_SAVED_ENV[5]}
		rm -rf "$NOBODY_DIR"
		NOBODY_DIR=
	fi
}
