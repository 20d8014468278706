#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# process-find and process-watch (SPEC §11), against real programs: the
# finder (test/helpers/finder.c) keeps one value in .data, in the heap and
# on the stack and changes it on a signal; the target's 64 MiB mapping
# holds patterns across scan chunks; cores are made with gcore.

load test_helper/common
load test_helper/process

setup() {
	common_setup
	FINDER=$(realpath "$ZXMEM_TEST_BIN/finder")
}

teardown() {
	process_teardown
	common_teardown
}

# finder_says LINE: wait (at most 20 s) until the target printed LINE.
finder_says() {
	local i
	for ((i = 0; i < 2000; i++)); do
		grep -qxF "$1" "$TARGET_OUT" && return 0
		sleep 0.01
	done
	echo "the target did not print '$1': $(cat "$TARGET_OUT")" >&2
	return 1
}

# start_zxmem OUT ARGS...: zxmem ARGS in the background, stdout to OUT and
# stderr to OUT.err; sets ZPID (ended in teardown if still running).
start_zxmem() {
	local out=$1
	shift
	${ZXMEM_WRAPPER-} "$ZXMEM" "$@" >"$out" 2>"$out.err" 3>&- &
	ZPID=$!
	TARGET_PIDS+=("$ZPID")
}

# wait_zxmem STATUS: wait for ZPID and check its exit status.
wait_zxmem() {
	local rc=0
	wait "$ZPID" || rc=$?
	if [ "$rc" -ne "$1" ]; then
		echo "background zxmem exited $rc, expected $1" >&2
		return 1
	fi
}

# wait_lines FILE N: wait (at most 10 s) until FILE has N lines.
wait_lines() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.01
	done
	echo "$1 has fewer than $2 lines: $(cat "$1")" >&2
	return 1
}

# wait_reading PID TPID: wait (at most 20 s) until process PID has
# /proc/TPID/mem open, i.e. it has looked the target up.
wait_reading() {
	local i fd
	for ((i = 0; i < 2000; i++)); do
		for fd in /proc/"$1"/fd/*; do
			[ "$(readlink "$fd" 2>/dev/null)" = "/proc/$2/mem" ] && return 0
		done
		sleep 0.01
	done
	echo "process $1 never opened /proc/$2/mem" >&2
	return 1
}

# hit_line ADDR: the regexp of a hit line for ADDR (an address expression).
hit_line() {
	printf '^%s %s$' "$(hexaddr "$1")" "$2"
}

# --- process-find --------------------------------------------------------

@test "process-find: the value in .data, the heap and the stack, each named" {
	spawn_target finder
	run_zxmem process-find "$TPID" --u32 "$T_seed"
	assert_line "$(hexaddr "$T_data") data_value ($FINDER)"
	assert_line "$(hexaddr "$T_decoy") decoy ($FINDER)"
	assert_line --regexp "$(hit_line "$T_heap" '\[heap\]\+0x[0-9a-f]+')"
	assert_line --regexp "$(hit_line "$T_stack" '\[stack\]\+0x[0-9a-f]+')"
	# Addresses in increasing order, each once.
	run sort -c <(for l in "${lines[@]}"; do printf '%020d\n' "$((${l%% *}))"; done)
	assert_success
	# The same bytes given as hex (no type: every alignment) are found too.
	run_zxmem process-find "$TPID" --hex "$(printf '%08x' "$T_seed" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')"
	assert_line "$(hexaddr "$T_data") data_value ($FINDER)"
	assert_line --regexp "$(hit_line "$T_stack" '\[stack\]\+0x[0-9a-f]+')"
}

@test "process-find --among narrows to the addresses that changed with the program" {
	spawn_target finder
	run_zxmem process-find "$TPID" --u32 "$T_seed"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/first"
	assert_line --partial "decoy ("
	kill -USR1 "$TPID"
	finder_says "changed gen=1"
	run_zxmem process-find "$TPID" --u32 "$((T_seed + 1))" \
		--among "$BATS_TEST_TMPDIR/first"
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 "$(hexaddr "$T_data") data_value ($FINDER)"
	assert_line --index 1 --regexp "$(hit_line "$T_heap" '\[heap\]\+0x[0-9a-f]+')"
	assert_line --index 2 --regexp "$(hit_line "$T_stack" '\[stack\]\+0x[0-9a-f]+')"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/second"
	# The old value is left only where the program did not change it.
	run_zxmem process-find "$TPID" --u32 "$T_seed" --among "$BATS_TEST_TMPDIR/first"
	refute_line --partial "data_value"
	assert_line "$(hexaddr "$T_decoy") decoy ($FINDER)"
	# Narrow again, then poke the survivors: the program sees the poke.
	kill -USR1 "$TPID"
	finder_says "changed gen=2"
	run_zxmem process-find "$TPID" --u32 "$((T_seed + 2))" \
		--among "$BATS_TEST_TMPDIR/second" --in '[heap]'
	assert_output --regexp "$(hit_line "$T_heap" '\[heap\]\+0x[0-9a-f]+')"
	enable_debugging
	run_zxmem process-write-memory "$TPID" "${output%% *}" --u32 7
	run_zxmem process-find "$TPID" --u32 7 --among "$BATS_TEST_TMPDIR/second"
	assert_output --regexp "$(hit_line "$T_heap" '\[heap\]\+0x[0-9a-f]+')"
}

@test "process-find --among reads a pipe or a FIFO, which it can read only once" {
	# It read FILE twice (once to check every line, then to look): the
	# second read of a pipe found nothing, and no address was printed.
	spawn_target finder
	run_zxmem process-find "$TPID" --u32 "$T_seed"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/first"
	local want=$output
	[ -n "$want" ] || fail "no hits"
	run_zxmem process-find "$TPID" --u32 "$T_seed" --among <(cat "$BATS_TEST_TMPDIR/first")
	assert_output "$want"
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	cat "$BATS_TEST_TMPDIR/first" >"$BATS_TEST_TMPDIR/fifo" &
	run_zxmem process-find "$TPID" --u32 "$T_seed" --among "$BATS_TEST_TMPDIR/fifo"
	assert_output "$want"
	# A bad line is still found before anything is looked at or printed.
	run_zxmem -64 process-find "$TPID" --u32 "$T_seed" \
		--among <(cat "$BATS_TEST_TMPDIR/first"; echo nonsense)
	assert_output ""
	[[ "$stderr" == *"'nonsense' is not an address"* ]] || fail "$stderr"
}

@test "process-find --in: a mapping by name, by object, or an address range" {
	spawn_target finder
	run_zxmem process-find "$TPID" --u32 "$T_seed" --in '[heap]'
	assert_output --regexp "$(hit_line "$T_heap" '\[heap\]\+0x[0-9a-f]+')"
	run_zxmem process-find "$TPID" --u32 "$T_seed" --in '[stack]'
	assert_output --regexp "$(hit_line "$T_stack" '\[stack\]\+0x[0-9a-f]+')"
	run_zxmem process-find "$TPID" --u32 "$T_seed" --in finder --writable
	assert_output "$(hexaddr "$T_data") data_value ($FINDER)
$(hexaddr "$T_decoy") decoy ($FINDER)"
	# A range holds a match only when the whole match fits in it.
	run_zxmem process-find "$TPID" --u32 "$T_seed" \
		--in "$(hexaddr "$T_data")-$(hexaddr "$T_data + 4")"
	assert_output "$(hexaddr "$T_data") data_value ($FINDER)"
	run_zxmem process-find "$TPID" --u32 "$T_seed" \
		--in "$(hexaddr "$T_data")-$(hexaddr "$T_data + 3")"
	assert_output ""
	run_zxmem -25 process-find "$TPID" --u32 "$T_seed" --in '[nosuch]'
	assert_zx_error ZX_ERR_NOT_FOUND
	[[ "$stderr" == *"no readable mapping named '[nosuch]'"* ]]
}

@test "process-find --writable leaves out read-only mappings" {
	spawn_target finder
	run_zxmem process-find "$TPID" --u32 "$T_seed"
	local all=${#lines[@]} l
	run_zxmem process-find "$TPID" --u32 "$T_seed" --writable
	assert_line "$(hexaddr "$T_data") data_value ($FINDER)"
	# Every hit is in a writable mapping.
	local hits=("${lines[@]}")
	run_zxmem process-maps "$TPID"
	for l in "${hits[@]}"; do
		[[ "$(map_line_of "${l%% *}")" =~ ^[0-9a-f]+-[0-9a-f]+\ .w ]] || {
			echo "hit in a mapping that is not writable: $l" >&2
			return 1
		}
	done
	[ "${#hits[@]}" -le "$all" ]
}

@test "process-find --max stops after N and says so; --align" {
	spawn_target finder
	run_zxmem process-find "$TPID" --u32 "$T_seed" --max 2
	assert_equal "${#lines[@]}" 2
	[[ "$stderr" == *"stopped after 2 addresses (--max 2)"* ]]
	run_zxmem process-find "$TPID" --u32 "$T_seed" --max 4 --in finder --writable
	assert_equal "${#lines[@]}" 2
	assert_equal "$stderr" ""
	# --align 8 keeps only the hits at multiples of 8.
	run_zxmem process-find "$TPID" --u32 "$T_seed" --writable --align 8
	local l
	for l in "${lines[@]}"; do
		(( ${l%% *} % 8 == 0 )) || { echo "unaligned hit: $l" >&2; return 1; }
	done
	if (( T_data % 8 == 0 )); then
		assert_line --partial "data_value ("
	else
		refute_line --partial "data_value ("
	fi
	run_zxmem -64 process-find "$TPID" --u32 1 --max 0
	assert_usage_error --max
	run_zxmem -64 process-find "$TPID" --u32 1 --align 0
	assert_usage_error --align
}

@test "process-find: matches across scan chunks and at a mapping's very end" {
	enable_debugging
	spawn_target target
	local mib=$((1024 * 1024)) a
	# Scans read 1 MiB at a time from the start of a mapping; big starts one.
	# Starting 3 bytes and 7 bytes (all but one) before a chunk's end, 1
	# byte before one, and the last 8 bytes of the mapping.
	local at=("$T_big + $mib - 3" "$T_big + 2 * $mib - 7" "$T_big + 5 * $mib - 1"
		"$T_big + 64 * $mib - 8") i
	for a in "${at[@]}"; do
		run_zxmem process-write-memory "$TPID" "$(hexaddr "$a")" --hex c0ffee1122334455
	done
	run_zxmem process-find "$TPID" --hex c0ffee1122334455
	assert_equal "${#lines[@]}" 4
	for i in 0 1 2 3; do
		assert_line --index "$i" --regexp "^$(hexaddr "${at[i]}")( |$)" || return 1
	done
	# -j: an array of hits, a count, and whether it stopped early.
	run_zxmem -j process-find "$TPID" --hex c0ffee1122334455 --max 2
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/j"
	json_check "$BATS_TEST_TMPDIR/j" "j['status'] == 'ZX_OK' and j['count'] == 2 \
		and j['truncated'] and [int(h['address'], 16) for h in j['hits']] == \
		[$((T_big + mib - 3)), $((T_big + 2 * mib - 7))]"
}

@test "process-find in a gcore core: symbols, heap and stack, --among" {
	command -v gcore >/dev/null || skip "gcore (gdb) is not installed"
	spawn_target finder
	kill -USR1 "$TPID"
	finder_says "changed gen=1"
	timeout 30 gcore -o "$BATS_TEST_TMPDIR/core" "$TPID" >/dev/null 2>&1 3>&-
	local core=$BATS_TEST_TMPDIR/core.$TPID
	run_zxmem process-find "$core" --u32 "$((T_seed + 1))"
	assert_line "$(hexaddr "$T_data") data_value ($FINDER)"
	assert_line --regexp "^$(hexaddr "$T_heap")( |$)"
	assert_line --regexp "^$(hexaddr "$T_stack")( |$)"
	refute_line --partial "decoy"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/hits"
	run_zxmem process-find "$core" --u32 "$((T_seed + 1))" --among "$BATS_TEST_TMPDIR/hits" \
		--in "$(hexaddr "$T_data")-$(hexaddr "$T_data + 4")"
	assert_output "$(hexaddr "$T_data") data_value ($FINDER)"
}

@test "process-find: bad input is a usage error naming the argument" {
	spawn_target finder
	run_zxmem -64 process-find "$TPID" ''
	assert_usage_error DATA
	printf '0x1000 x\nnot-an-address\n' >"$BATS_TEST_TMPDIR/bad"
	run_zxmem -64 process-find "$TPID" --u32 1 --among "$BATS_TEST_TMPDIR/bad"
	assert_usage_error "$BATS_TEST_TMPDIR/bad:2"
	assert_output ""
	run_zxmem -64 process-find "$TPID" --u32 1 --among "$BATS_TEST_TMPDIR/none"
	assert_usage_error --among
	run_zxmem -64 process-find "$TPID" --u32 1 --in 0x2000-0x1000
	assert_usage_error --in
	run_zxmem -11 process-find "$(unused_pid)" --u32 1
	assert_zx_error ZX_ERR_BAD_HANDLE
}

# --- process-watch -------------------------------------------------------

@test "process-watch prints the value, then each change, timestamped" {
	spawn_target finder
	start_zxmem "$BATS_TEST_TMPDIR/w" process-watch "$TPID" data_value 4 \
		--format u32 --count 2
	wait_lines "$BATS_TEST_TMPDIR/w" 1
	kill -USR1 "$TPID"
	wait_lines "$BATS_TEST_TMPDIR/w" 2
	kill -USR1 "$TPID"
	wait_zxmem 0
	run cat "$BATS_TEST_TMPDIR/w"
	local ts='[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z'
	assert_equal "${#lines[@]}" 3
	assert_line --index 0 --regexp "^$ts $T_seed\$"
	assert_line --index 1 --regexp "^$ts $((T_seed + 1))\$"
	assert_line --index 2 --regexp "^$ts $((T_seed + 2))\$"
}

# wait_count FILE STRING N: wait (at most 10 s) until FILE holds STRING N times.
wait_count() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[ "$(grep -o -- "$2" "$1" | wc -l)" -ge "$3" ] && return 0
		sleep 0.01
	done
	echo "$1 holds '$2' fewer than $3 times: $(cat "$1")" >&2
	return 1
}

@test "-j process-watch streams each change as it happens, in one object with status last" {
	# The changes were buffered until the watch ended.
	spawn_target finder
	start_zxmem "$BATS_TEST_TMPDIR/w" -j process-watch "$TPID" data_value 4 \
		--format u32 --count 2
	wait_count "$BATS_TEST_TMPDIR/w" '"time"' 1
	kill -USR1 "$TPID"
	wait_count "$BATS_TEST_TMPDIR/w" '"time"' 2
	kill -USR1 "$TPID"
	wait_zxmem 0
	python3 - "$BATS_TEST_TMPDIR/w" "$T_seed" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
seed = int(sys.argv[2])
assert d["command"] == "process-watch" and d["status"] == "ZX_OK", d
assert [c["values"] for c in d["changes"]] == [[seed], [seed + 1], [seed + 2]], d
assert list(d)[-1] == "status", list(d)
assert d["matched"] is False and d["size"] == 4, d
PY
}

@test "process-watch with DATA waits until the memory holds it, then exits 0" {
	spawn_target finder
	start_zxmem "$BATS_TEST_TMPDIR/w" process-watch "$TPID" state --u32 2 \
		--timeout 60s
	wait_reading "$ZPID" "$TPID"
	kill -USR2 "$TPID"
	finder_says "state=1"
	# state is 1, not 2: the watch goes on.
	kill -0 "$ZPID"
	kill -USR2 "$TPID"
	wait_zxmem 0
	assert_equal "$(cat "$BATS_TEST_TMPDIR/w")" ""
	# Already there: at once.
	run_zxmem process-watch "$TPID" state --u32 2
	assert_output ""
}

@test "process-watch --timeout: ZX_ERR_TIMED_OUT (exit 21)" {
	spawn_target finder
	run_zxmem -21 process-watch "$TPID" state --u32 1 --timeout 200ms --interval 10ms
	assert_zx_error ZX_ERR_TIMED_OUT
	run_zxmem -21 process-watch "$TPID" state 4 --timeout 100ms --format hex
	assert_line --index 0 --regexp '^[0-9T:.Z-]+ 00000000$'
}

@test "process-watch: SIZE defaults to the size of VADDR's type" {
	spawn_target finder
	# finder has DWARF: data_value is a uint32_t, printed as a value.
	run_zxmem -21 process-watch "$TPID" data_value --timeout 50ms
	assert_output --regexp "^[0-9T:.Z-]+ $T_seed\$"
	run_zxmem -21 process-watch "$TPID" data_value --format hex --timeout 50ms
	assert_output --regexp "^[0-9T:.Z-]+ $(printf '%08x' "$T_seed" | sed 's/\(..\)\(..\)\(..\)\(..\)/\4\3\2\1/')\$"
}

@test "process-watch: a typed VADDR prints as a value; --value waits for one" {
	spawn_target types
	local ts='[0-9T:.Z-]+'
	run_zxmem -21 process-watch "$TPID" origin --timeout 50ms
	assert_line --index 0 --regexp "^$ts \{x = 3, y = 4.5, name = \"hi"
	run_zxmem -21 process-watch "$TPID" origin.y --timeout 50ms
	assert_output --regexp "^$ts 4.5\$"
	run_zxmem process-watch "$TPID" color --value GREEN --timeout 10s
	assert_output ""
	run_zxmem -21 process-watch "$TPID" color --value BLUE --timeout 50ms
	assert_zx_error ZX_ERR_TIMED_OUT
	run_zxmem -10 process-watch "$TPID" level --value 300
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -64 process-watch "$TPID" "$(hexaddr "$T_counter")" --value 3
	assert_usage_error --value
	# A poke by value ends a watch for that value.
	enable_debugging
	start_zxmem "$BATS_TEST_TMPDIR/w" process-watch "$TPID" 'cfg->limit' \
		--value 77 --timeout 60s
	wait_reading "$ZPID" "$TPID"
	kill -0 "$ZPID"
	run_zxmem process-write-memory "$TPID" 'cfg->limit' --value 77
	wait_zxmem 0
	target_report
	assert_equal "$R_cfg_limit" 77
}

@test "process-watch: the target exiting is BAD_STATE while a zombie, BAD_HANDLE once gone" {
	FINDER_FORK=1 spawn_target finder
	local child=$T_pid
	start_zxmem "$BATS_TEST_TMPDIR/w" process-watch "$child" data_value 4
	wait_lines "$BATS_TEST_TMPDIR/w" 1
	kill -TERM "$child"
	wait_zxmem 20
	run cat "$BATS_TEST_TMPDIR/w.err"
	assert_output --regexp "^zxmem: process-watch: ZX_ERR_BAD_STATE: process $child .* zombie"

	spawn_target finder
	start_zxmem "$BATS_TEST_TMPDIR/w2" process-watch "$TPID" state --u32 1
	wait_reading "$ZPID" "$TPID"
	kill -STOP "$ZPID"
	kill -TERM "$TPID"
	wait "$TPID"
	kill -CONT "$ZPID"
	wait_zxmem 11
	run cat "$BATS_TEST_TMPDIR/w2.err"
	assert_output --regexp "^zxmem: process-watch: ZX_ERR_BAD_HANDLE: process $TPID has exited"
}

@test "process-watch: SIGINT ends it cleanly (0; CANCELED when waiting for DATA)" {
	spawn_target finder
	start_zxmem "$BATS_TEST_TMPDIR/w" process-watch "$TPID" data_value 4 --format hex
	wait_lines "$BATS_TEST_TMPDIR/w" 1
	kill -INT "$ZPID"
	wait_zxmem 0
	run cat "$BATS_TEST_TMPDIR/w"
	assert_equal "${#lines[@]}" 1
	start_zxmem "$BATS_TEST_TMPDIR/w2" process-watch "$TPID" state --u32 1
	wait_reading "$ZPID" "$TPID"
	kill -INT "$ZPID"
	wait_zxmem 23
	run cat "$BATS_TEST_TMPDIR/w2.err"
	assert_output --partial "ZX_ERR_CANCELED"
}

@test "process-watch: usage errors name the argument" {
	spawn_target finder
	run_zxmem -64 process-watch "$TPID" "$(hexaddr "$T_state")"
	assert_usage_error SIZE
	run_zxmem -64 process-watch "$TPID" state 4 --interval 100
	assert_usage_error "--interval: '100' needs a unit"
	run_zxmem -64 process-watch "$TPID" state 4 --timeout soon
	assert_usage_error --timeout
	run_zxmem -64 process-watch "$TPID" state 8 --u32 1
	assert_usage_error SIZE
	run_zxmem -64 process-watch "$TPID" state --u32 1 --count 2
	assert_usage_error --count
}

@test "batch runs process-find and process-watch" {
	spawn_target finder
	printf '%s\n' "process-find $TPID --u32 $T_seed --in [heap]" \
		"process-watch $TPID data_value --u32 $T_seed --timeout 5s" \
		"process-watch $TPID state --count 1 --timeout 100ms" >"$BATS_TEST_TMPDIR/b"
	run_zxmem -21 batch "$BATS_TEST_TMPDIR/b"
	assert_line --index 0 --regexp "$(hit_line "$T_heap" '\[heap\]\+0x[0-9a-f]+')"
	assert_line --index 1 --regexp '^[0-9T:.Z-]+ 0$'
	[[ "$stderr" == *":3: zxmem: process-watch: ZX_ERR_TIMED_OUT"* ]]
}

@test "shell: Ctrl-C stops a watch and returns to the prompt" {
	spawn_target finder
	run python3 "$BATS_TEST_DIRNAME/helpers/ptyrun.py" 'expect:zxmem> ' \
		"send:process-watch $TPID data_value 4 --format u32\\r" \
		"expect:Z $T_seed" 'send:\x03' 'expect:zxmem> ' \
		'send:vmo-create 4096 --name after\r' 'expect:zxmem> ' \
		'send:exit\r' -- ${ZXMEM_WRAPPER-} "$ZXMEM" shell 3>&-
	assert_success
	run_zxmem vmo-get-size after
	assert_output 4096
	# The target is unharmed.
	kill -0 "$TPID"
}

@test "process-watch of a program started a moment ago waits for it to exec, then watches its symbol" {
	# "prog &" runs the shell's own program until it execs: the symbol
	# was not there, and the watch ended at once with NOT_FOUND.
	spawn_unexeced counter
	local tpid=$XPID
	start_zxmem "$BATS_TEST_TMPDIR/w" process-watch "$tpid" counter 4 \
		--format u32 --count 1 --timeout 60s
	# It has looked at the process and waits.
	wait_reading "$ZPID" "$tpid"
	kill -0 "$ZPID" || fail "the watch ended: $(cat "$BATS_TEST_TMPDIR/w.err")"
	echo go >"$EXEC_GO"
	wait_zxmem 0
	run cat "$BATS_TEST_TMPDIR/w"
	assert_equal "${#lines[@]}" 2
	[[ "${lines[0]}" =~ \ ([0-9]+)$ ]] && [ "${BASH_REMATCH[1]}" -ge 1000 ] || fail "$output"
}

@test "process-watch of a symbol a process that has not exec'd lacks: TIMED_OUT, or CANCELED by Ctrl-C" {
	spawn_unexeced counter
	local tpid=$XPID
	run_zxmem -21 process-watch "$tpid" counter 4 --format u32 --timeout 300ms
	[[ "$stderr" == *"'counter': process $tpid still runs its parent's program (it has not exec'd) after 300 ms"* ]] || fail "$stderr"
	start_zxmem "$BATS_TEST_TMPDIR/w" process-watch "$tpid" counter 4 --format u32
	wait_reading "$ZPID" "$tpid"
	kill -INT "$ZPID"
	wait_zxmem 23
	[[ "$(cat "$BATS_TEST_TMPDIR/w.err")" == *"ZX_ERR_CANCELED: interrupted while process $tpid had not exec'd"* ]] ||
		fail "$(cat "$BATS_TEST_TMPDIR/w.err")"
	# A process that has exec'd and lacks the symbol is NOT_FOUND at once.
	exec_and_wait counter
	run_zxmem -25 process-watch "$tpid" no_such_symbol 4 --format u32
	assert_zx_error ZX_ERR_NOT_FOUND
}

# readies: how many ready lines the target printed (one per program run).
readies() { grep -c '^ready ' "$TARGET_OUT"; }
# last_below N FILE: the last value FILE's watch printed is below N.
last_below() { [ "$(tail -n 1 "$2" | awk '{ print $2 }')" -lt "$1" ]; }

@test "process-watch: a process that execs anew is watched by its symbol in the new program" {
	# The watch read the old program's address in the new program (and
	# ended with whatever the check order found there).
	enable_debugging
	spawn_target counter
	local old=$T_counter new
	run_zxmem process-write-memory "$TPID" counter --u32 5000000
	start_zxmem "$BATS_TEST_TMPDIR/w" process-watch "$TPID" counter --format u32
	wait_lines "$BATS_TEST_TMPDIR/w" 1
	kill -USR2 "$TPID"
	poll output_is 2 readies
	# The new program's counter starts again at 1000.
	poll last_below 5000000 "$BATS_TEST_TMPDIR/w"
	kill -INT "$ZPID"
	wait_zxmem 0
	new=$(sed -n '2s/^ready .* counter=\(0x[0-9a-f]*\) .*/\1/p' "$TARGET_OUT")
	[ -n "$new" ] || fail "no second ready line: $(cat "$TARGET_OUT")"
	run cat "$BATS_TEST_TMPDIR/w.err"
	assert_output "zxmem: process-watch: process $TPID exec'd a new program: 'counter' is at $new there (was $old)"
	run awk '{ print $2 }' "$BATS_TEST_TMPDIR/w"
	[ "${lines[0]}" -ge 5000000 ] || fail "first value: $output"
	[ "${lines[-1]}" -ge 1000 ] && [ "${lines[-1]}" -lt 5000000 ] || fail "last value: $output"
}

@test "process-watch: an address in a process that execs anew ends the watch, BAD_STATE" {
	# Without PIE the new program's counter is at the same address, and
	# the watch went on printing it as if nothing had happened.
	spawn_target counter-nopie
	start_zxmem "$BATS_TEST_TMPDIR/w" process-watch "$TPID" "$T_counter" 4 \
		--format u32 --timeout 20s
	wait_lines "$BATS_TEST_TMPDIR/w" 1
	kill -USR2 "$TPID"
	wait_zxmem 20
	run cat "$BATS_TEST_TMPDIR/w.err"
	assert_output "zxmem: process-watch: ZX_ERR_BAD_STATE: process $TPID exec'd a new program during the watch: $T_counter was an address in the program it ran before"
}

@test "process-watch --thread watches a thread's TLS variable" {
	spawn_target counter
	# The second thread's tls_counter is 200, the main thread's 100.
	run_zxmem process-watch "$TPID" tls_counter --value 200 --thread "$T_tid" --timeout 20s
	run_zxmem -21 process-watch "$TPID" tls_counter --value 200 --timeout 300ms
	run_zxmem -21 process-watch "$TPID" tls_counter --thread "$T_tid" --timeout 300ms
	assert_output --regexp '^[0-9T:.-]+Z 200$'
	run_zxmem -64 process-watch "$TPID" tls_counter --thread 0
	[[ "$stderr" == *"--thread: '0' is not a thread ID"* ]] || fail "$stderr"
}

@test "a batch's --thread is that line's: a watch on the next line reads the main thread" {
	# The target, kept for the batch, held the last line's thread, and a
	# watch (which had no --thread) used it.
	spawn_target counter
	printf '%s\n' \
		"process-read-memory $TPID tls_counter --format i32 --thread $T_tid" \
		"process-watch $TPID tls_counter --value 100 --timeout 20s" \
		"process-read-memory $TPID tls_counter --format i32" >"$BATS_TEST_TMPDIR/b.zx"
	run_zxmem batch "$BATS_TEST_TMPDIR/b.zx"
	assert_equal "${lines[0]}" 200
	assert_equal "${lines[1]}" 100
}
