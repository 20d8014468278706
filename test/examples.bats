#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The manual's EXAMPLES, run as written. Each literal block of that section
# is taken from man/zxmem.1 itself: every "$ " line is a command (a
# trailing backslash continues it), the lines under it what it prints. The
# commands run in a shell against a real program, test/helpers/counter.c
# (the "counter" of the examples, PID 4242, its second thread 4243); the
# addresses and paths the manual shows are replaced by that program's own
# (from its ready line and /proc/PID/maps, not from zxmem), and each
# command must succeed and print what the manual says: exactly, but for a
# "..." line (any lines), a process-watch line (any time stamp and value)
# and the count printed by wc (any count above 0). A "$ # ..." comment is
# an action the test performs (the program's score changes).

load test_helper/common
load test_helper/process

MAN=$BATS_TEST_DIRNAME/../man/zxmem.1

setup() {
	common_setup
	WORK=$BATS_TEST_TMPDIR/work
	BIN=$BATS_TEST_TMPDIR/bin
	mkdir -p "$WORK" "$BIN"
	# "zxmem" on PATH is the zxmem under test (and its wrapper, if any).
	printf '#!/bin/sh\nexec %s "%s" "$@"\n' "${ZXMEM_WRAPPER-}" "$ZXMEM" >"$BIN/zxmem"
	chmod +x "$BIN/zxmem"
	# "./server" of the bats example: the program itself.
	ln -s "$ZXMEM_TEST_BIN/counter" "$WORK/server"
	EXAMPLES=$(mktemp "$BATS_TEST_TMPDIR/examples.XXXXXX")
	# The section's literal blocks, "@@ N" before each, man escapes undone.
	awk '/^\.Sh /{on = ($2 == "EXAMPLES"); next}
	    on && /^\.Bd -literal/{print "@@ " ++n; inb = 1; next}
	    on && /^\.Ed/{inb = 0; next}
	    on && inb {print}' "$MAN" | sed -e 's/\\&//g' -e 's/\\e/\\/g' >"$EXAMPLES"
}

teardown() {
	process_teardown
	common_teardown
}

# start_counter: the example program, with one variable in its environment;
# sets SUBST, the manual's values and this run's, in the order to replace.
start_counter() {
	TARGET_WRAPPER="env -i LANG=C.UTF-8" spawn_target counter || return 1
	local prog first vvar vdso heap
	prog=$(realpath "$ZXMEM_TEST_BIN/counter")
	first=$(head -n 1 "/proc/$TPID/maps" | cut -d' ' -f1)
	vvar=$(grep ' \[vvar\]$' "/proc/$TPID/maps" | cut -d' ' -f1)
	vdso=$(grep ' \[vdso\]$' "/proc/$TPID/maps" | cut -d' ' -f1)
	heap=$(grep ' \[heap\]$' "/proc/$TPID/maps" | cut -d- -f1)
	[[ -n $first && -n $vvar && -n $vdso && -n $heap ]] || {
		echo "unexpected maps: $(cat "/proc/$TPID/maps")" >&2
		return 1
	}
	SUBST=(
		55d4c0a00000-55d4c0a01000 "$first"
		7ffd1b3f1000-7ffd1b3f5000 "$vvar"
		7ffd1b3f5000-7ffd1b3f7000 "$vdso"
		0x00007ffd1b3d5e28 "$(printf '0x%016x' "$T_environ")"
		0x00007ffd1b3d6f4a "$(printf '0x%016x' "$T_env0")"
		0x7ffd1b3d5e28 "$T_environ"
		0x7ffd1b3d6f4a "$T_env0"
		0x55d4c0a01010 "$T_counter"
		0x55d4c0a01012 "$(hexaddr "T_counter + 2")"
		0x55d4c0a00008 "$T_two"
		0x55d4c1a3c2a0 "$T_score"
		'[heap]+0x2a0' "[heap]+$(hexaddr "T_score - 0x$heap")"
		/usr/local/bin/counter "$prog"
		4242 "$TPID"
		4243 "$T_tid"
	)
}

subst() {
	local s=$1 i
	for ((i = 0; i < ${#SUBST[@]}; i += 2)); do
		s=${s//"${SUBST[i]}"/"${SUBST[i + 1]}"}
	done
	printf '%s\n' "$s"
}

# action COMMENT: what a "$ # ..." line says happens in the program.
action() {
	case $1 in
	*"score becomes 125"*)
		kill -USR1 "$TPID" || return 1
		local i
		for ((i = 0; i < 2000; i++)); do
			grep -qx 'score=125' "$TARGET_OUT" && return 0
			sleep 0.01
		done
		echo "the program did not change its score" >&2
		return 1 ;;
	*)
		echo "no action known for the example comment: $1" >&2
		return 1 ;;
	esac
}

# check_output EXPECTED-FILE ACTUAL-FILE COMMAND: the manual's lines
# against what the command printed.
check_output() {
	python3 - "$1" "$2" "$3" <<'PY'
import re, sys
exp = open(sys.argv[1]).read().splitlines()
act = open(sys.argv[2]).read().splitlines()
cmd = sys.argv[3]
TS = r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z [0-9]+'

def line_ok(e, a):
    if re.fullmatch(TS, e):
        return re.fullmatch(TS, a) is not None
    if cmd.startswith('wc -l') and e.isdigit():
        return a.isdigit() and int(a) > 0
    return e == a

def match(i, j):
    if i == len(exp):
        return j == len(act)
    if exp[i] == '...':
        return any(match(i + 1, k) for k in range(j, len(act) + 1))
    return j < len(act) and line_ok(exp[i], act[j]) and match(i + 1, j + 1)

if not match(0, 0):
    print("$ " + cmd, file=sys.stderr)
    print("--- the manual says:", *exp, sep="\n", file=sys.stderr)
    print("--- it printed:", *act, sep="\n", file=sys.stderr)
    sys.exit(1)
PY
}

# run_block N: run the Nth literal block of EXAMPLES.
run_block() {
	local n=$1 lines=() line cmd i=0 snippet=0 outs
	mapfile -t lines < <(awk -v n="$n" '/^@@ /{on = ($2 == n); next} on' "$EXAMPLES")
	[ "${#lines[@]}" -gt 0 ] || { echo "no example block $n" >&2; return 1; }
	while ((i < ${#lines[@]})); do
		line=${lines[i]}
		# A bats test in the example: run it with bats, as a user would.
		if [[ $line == "@test "* ]]; then
			local f=$WORK/example-$n.bats
			: >"$f"
			while ((i < ${#lines[@]})); do
				subst "${lines[i]}" >>"$f"
				[[ ${lines[i]} == "}" ]] && break
				i=$((i + 1))
			done
			i=$((i + 1))
			# The example leaves its server running; this test ends it.
			printf 'teardown() { kill "$pid" 2>/dev/null || true; }\n' >>"$f"
			(cd "$WORK" && PATH=$BIN:$PATH bats "$f" 3>&-) || {
				echo "the example's bats test failed: $(cat "$f")" >&2
				return 1
			}
			snippet=1
			continue
		fi
		if [[ -z $line ]]; then
			i=$((i + 1))
			continue
		fi
		[[ $line == '$ '* ]] || { echo "example $n: output with no command: $line" >&2; return 1; }
		cmd=${line#'$ '}
		while [[ $cmd == *'\' ]]; do
			i=$((i + 1))
			cmd="${cmd%'\'} ${lines[i]#"${lines[i]%%[! ]*}"}"
		done
		i=$((i + 1))
		: >"$WORK/expected"
		while ((i < ${#lines[@]})) && [[ ${lines[i]} != '$ '* && ${lines[i]} != "@test "* && -n ${lines[i]} ]]; do
			subst "${lines[i]}" >>"$WORK/expected"
			i=$((i + 1))
		done
		if [[ $cmd == '# '* ]]; then
			action "$cmd" || return 1
			continue
		fi
		cmd=$(subst "$cmd")
		outs=$WORK/actual
		(cd "$WORK" && PATH=$BIN:$PATH timeout 120 bash -c "set -eo pipefail; $cmd" >"$outs" 2>"$WORK/stderr" 3>&-) || {
			echo "example $n: '$cmd' failed ($?): $(cat "$WORK/stderr")" >&2
			return 1
		}
		check_output "$WORK/expected" "$outs" "$cmd" || return 1
	done
	RAN_SNIPPET=$snippet
}

@test "the manual has the examples this file runs, and no others" {
	assert_equal "$(grep -c '^@@ ' "$EXAMPLES")" 11
}

@test "example: create a VMO, write a string and read it back" {
	run_block 1
}

@test "example: find and change the variable counter of a running program" {
	start_counter
	run_block 2
}

@test "example: print a struct as gdb does, then change one member" {
	start_counter
	run_block 3
}

@test "example: print a buffer as four 32-bit values" {
	start_counter
	run_block 4
}

@test "example: write 64 MiB from a file into a VMO and copy it out" {
	run_block 5
}

@test "example: list the mappings of a process" {
	start_counter
	run_block 6
}

@test "example: name the variable at an address, list the program's own" {
	start_counter
	run_block 7
}

@test "example: read the environment through environ" {
	start_counter
	run_block 8
}

@test "example: read a thread-local variable in one thread" {
	start_counter
	run_block 9
}

@test "example: find the score, narrow the candidates, poke the one left" {
	start_counter
	run_block 10
}

@test "example: a bats test waits for ready; watch a counter change" {
	start_counter
	run_block 11
	assert_equal "$RAN_SNIPPET" 1
}

# Why the manual reads environ by its plain name: a program that uses
# environ has a copy of it in the executable (a copy relocation; always
# in a non-PIE program), and libc.so.6's own is then left unused.
@test "environ by name is the program's; libc.so.6!environ is not what it uses" {
	TARGET_WRAPPER="env -i LANG=C.UTF-8" spawn_target counter-nopie
	run_zxmem process-read-memory "$TPID" environ 8 --format x64
	assert_output "$(printf '0x%016x' "$T_environ")"
	run_zxmem process-read-memory "$TPID" "$(printf '0x%x' "$T_environ")" 8 --format x64
	assert_output "$(printf '0x%016x' "$T_env0")"
	run_zxmem process-read-memory "$TPID" 'libc.so.6!environ' 8 --format x64
	assert_output 0x0000000000000000
}
