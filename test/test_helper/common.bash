# SPDX-License-Identifier: GPL-3.0-or-later
# Shared by every test file: libraries, an isolated environment, and helpers
# that run zxmem and the target programs the way a user would.

bats_require_minimum_version 1.5.0
bats_load_library bats-support
bats_load_library bats-assert

: "${ZXMEM:=$BATS_TEST_DIRNAME/../build/zxmem}"
: "${ZXMEM_TEST_BIN:=$BATS_TEST_DIRNAME/../build/test}"
export ZXMEM ZXMEM_TEST_BIN

# Every test gets its own HOME, XDG directories and namespace, so tests
# never see each other's handles or the developer's own configuration.
# isolate_env DIR: HOME, XDG directories and the namespace under DIR
# (setup_file uses $BATS_FILE_TMPDIR, each test $BATS_TEST_TMPDIR).
isolate_env() {
	export HOME="$1/home"
	export XDG_RUNTIME_DIR="$1/run"
	export XDG_CONFIG_HOME="$HOME/.config"
	export XDG_STATE_HOME="$HOME/.local/state"
	export ZXMEM_RUNTIME_DIR="$1/ns"
	unset ZXMEM_KERNEL_CMDLINE
	mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
	chmod 700 "$XDG_RUNTIME_DIR"
}

common_setup() {
	isolate_env "$BATS_TEST_TMPDIR"
	TARGET_PIDS=()
}

# Kill what the test started and check that no holder process of this
# test's namespace outlives it (a leaked holder is a bug).
common_teardown() {
	local p
	for p in "${TARGET_PIDS[@]}"; do
		kill -KILL "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	"$ZXMEM" reset >/dev/null 2>&1 3>&- || true
	if [ -n "${SHARED_DIR-}" ]; then
		rm -rf "$SHARED_DIR"
		SHARED_DIR=
	fi
	holders_left=$(holders_of "$ZXMEM_RUNTIME_DIR")
	if [ -n "$holders_left" ]; then
		echo "holder processes left behind: $holders_left" >&2
		return 1
	fi
}

# holders_of DIR: PIDs of holder processes serving the namespace DIR (each
# holder keeps its namespace directory open; its environment is overwritten
# by its process title, so that is how to tell).
holders_of() {
	local dir p fd
	dir=$(realpath -m "$1")
	for p in $(pgrep -f "^zxmem: vmo " 2>/dev/null); do
		for fd in /proc/"$p"/fd/*; do
			if [ "$(readlink "$fd" 2>/dev/null)" = "$dir" ]; then
				echo "$p"
				break
			fi
		done
	done
}

# holders_named NAME [DIR]: PIDs of the holders of namespace DIR (default
# this test's own) whose title is "zxmem: vmo NAME". Never by title alone:
# another user's VMO of the same name may be alive on the machine.
holders_named() {
	local p title
	for p in $(holders_of "${2:-$ZXMEM_RUNTIME_DIR}"); do
		title=$(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null) || continue
		title=${title% }
		if [ "$title" = "zxmem: vmo $1" ]; then
			echo "$p"
		fi
	done
}

# share_with_others: for the rest of this test, ZXMEM and ZXMEM_TEST_BIN
# are copies in a directory every user can reach, for tests that run
# zxmem or a test program as another user: the tree may be cloned under a
# directory only its owner can traverse (a 0700 home, mktemp -d).
share_with_others() {
	[ -n "${SHARED_DIR-}" ] && return 0
	SHARED_DIR=$(mktemp -d /tmp/zxmem-shared.XXXXXX) || return 1
	chmod 755 "$SHARED_DIR"
	# zxmem with its modules next to it, as in the build tree.
	cp "$ZXMEM" "$SHARED_DIR/zxmem" &&
		cp "$(dirname "$ZXMEM")"/zxmem-*.so "$SHARED_DIR/" &&
		cp -r "$ZXMEM_TEST_BIN" "$SHARED_DIR/test" &&
		rm -rf "$SHARED_DIR/test/etc" &&
		chmod -R a+rX "$SHARED_DIR" || return 1
	export ZXMEM=$SHARED_DIR/zxmem ZXMEM_TEST_BIN=$SHARED_DIR/test
}

setup() { common_setup; }
teardown() { common_teardown; }

# run_zxmem [-N|!] ARGS...: run zxmem with stderr kept apart, check the exit
# status is exactly N (default 0) and that zxmem did not crash.
run_zxmem() {
	# bats 1.8.2's "run --separate-stderr" assigns a global i; keep it
	# from clobbering the caller's loop counter.
	local expect=0 i
	case "${1-}" in
	-[0-9]*) expect=${1#-}; shift ;;
	esac
	run --separate-stderr timeout 120 ${ZXMEM_WRAPPER-} "$ZXMEM" "$@" 3>&-
	# valgrind's own notes ("--PID-- WARNING: unhandled syscall") are not
	# zxmem's; its errors still fail the run through --error-exitcode.
	if [[ "${ZXMEM_WRAPPER-}" == *valgrind* && -n "$stderr" ]]; then
		stderr=$(printf '%s\n' "$stderr" | grep -Ev '^(==|--)[0-9]+(==|--)' || true)
	fi
	if [ "$status" -ge 126 ] && [ "$status" -le 192 ]; then
		echo "zxmem crashed or timed out (status $status): zxmem $*" >&2
		echo "stderr: $stderr" >&2
		return 1
	fi
	if [ "$status" -ne "$expect" ]; then
		echo "zxmem $*: exit status $status, expected $expect" >&2
		echo "stdout: $output" >&2
		echo "stderr: $stderr" >&2
		return 1
	fi
}

# assert_zx_error NAME: the last run_zxmem failed with ZX_ERR_NAME, named on
# stderr in the contract's shape "zxmem: COMMAND: ZX_ERR_NAME: ...".
assert_zx_error() {
	local name=$1
	if ! [[ "$stderr" =~ ^zxmem:\ [a-z-]+:\ $name:\ . ]]; then
		echo "expected an error line naming $name, got: $stderr" >&2
		return 1
	fi
}

# assert_usage_error WORD: exit 64 and stderr mentions WORD (the argument).
assert_usage_error() {
	if [ "$status" -ne 64 ]; then
		echo "expected usage error (64), got $status" >&2
		return 1
	fi
	if [ -n "${1-}" ] && [[ "$stderr" != *"$1"* ]]; then
		echo "usage error does not name '$1': $stderr" >&2
		return 1
	fi
}

# enable_debugging: turn on kernel.enable-debugging-syscalls for this test
# through the environment (other sources are tested in their own tests).
enable_debugging() {
	export ZXMEM_KERNEL_CMDLINE="kernel.enable-debugging-syscalls=true"
}

# poll CMD...: true as soon as CMD succeeds, checked every 0.1 s for at
# most 20 s (a bound, not a wait for timing: CMD is the state itself).
# CMD runs afresh each time, but its arguments were expanded once, by the
# call: a "$(...)" in them is a value frozen before the first check, so
# look the state up inside CMD (output_is, or a function of the test's).
# POLL_TENTHS (200) sets the bound in tenths of a second.
poll() {
	local i
	for ((i = 0; i < ${POLL_TENTHS:-200}; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	echo "poll: still false after ${POLL_TENTHS:-200} checks: $*" >&2
	return 1
}

# output_is WANT CMD...: CMD prints exactly WANT (for poll).
output_is() {
	[ "$("${@:2}")" = "$1" ]
}

# proc_state PID: the state letter of process PID (R, S, Z, ...), or
# nothing once it is gone. The name in /proc/PID/stat may hold blanks and
# parentheses; the state follows its last ") ".
proc_state() {
	local stat
	stat=$(cat /proc/"$1"/stat 2>/dev/null) || return 0
	stat=${stat##*) }
	echo "${stat%% *}"
}

# gone_or_zombie PID: PID has exited (reaped, or a zombie not yet).
gone_or_zombie() {
	local s
	s=$(proc_state "$1")
	[ -z "$s" ] || [ "$s" = Z ]
}
