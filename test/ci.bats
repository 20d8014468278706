#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# .ci/tap-summary: how CI counts a suite from its log. Each staged fault
# (a build that failed, a missing bats file, a run cut short) must be a
# failure, and skips are never passes.

load test_helper/common

summary() {
	run --separate-stderr "$BATS_TEST_DIRNAME/../.ci/tap-summary" "$@"
}

log() {
	printf '%s\n' "$@" >"$BATS_TEST_TMPDIR/log"
}

@test "tap-summary: a complete run counts passes, failures and skips apart" {
	log "  CC     src/cli/main.c" "1..4" "ok 1 a" "ok 2 b # skip needs root" \
	    "not ok 3 c" "# (in test file x.bats, line 3)" "ok 4 d"
	summary "$BATS_TEST_TMPDIR/log" 1
	[ "$status" -eq 1 ]
	[ "$output" = "2 1 1" ]
	[ -z "$stderr" ]
	log "1..2" "ok 1 a" "ok 2 b # skip why"
	summary "$BATS_TEST_TMPDIR/log" 0
	[ "$status" -eq 0 ]
	[ "$output" = "1 0 1" ]
}

@test "tap-summary: a build that fails before the tests is a failure" {
	log "  CC     src/cli/main.c" "src/cli/main.c:3: error: expected ';'" \
	    "make: *** [Makefile:60: build-san/obj/cli/main.o] Error 1"
	summary "$BATS_TEST_TMPDIR/log" 2
	[ "$status" -eq 1 ]
	[ "$output" = "0 1 0" ]
	[[ "$stderr" == *"no TAP plan"* ]]
}

@test "tap-summary: a run cut short of its plan is a failure" {
	log "1..5" "ok 1 a" "ok 2 b"
	summary "$BATS_TEST_TMPDIR/log" 137
	[ "$status" -eq 1 ]
	[ "$output" = "2 1 0" ]
	[[ "$stderr" == *"2 results for a plan of 5"* ]]
	# Even when the command claims success.
	summary "$BATS_TEST_TMPDIR/log" 0
	[ "$status" -eq 1 ]
	[ "$output" = "2 1 0" ]
}

@test "tap-summary: a missing bats file or a failing lint after passing tests is a failure" {
	# bats stops before its plan when a file does not exist.
	log "bats: test/nope.bats does not exist"
	summary "$BATS_TEST_TMPDIR/log" 1
	[ "$status" -eq 1 ]
	[ "$output" = "0 1 0" ]
	# Every test passed but the command failed (mandoc -Tlint, say).
	log "1..1" "ok 1 a" "mandoc: man/zxmem.1:3:2: WARNING: ..."
	summary "$BATS_TEST_TMPDIR/log" 2
	[ "$status" -eq 1 ]
	[ "$output" = "1 1 0" ]
	[[ "$stderr" == *"exit status 2"* ]]
}

@test "tap-summary: two plans in one log are a failure" {
	log "1..1" "ok 1 a" "1..1" "ok 1 a"
	summary "$BATS_TEST_TMPDIR/log" 0
	[ "$status" -eq 1 ]
	[ "$output" = "2 1 0" ]
}

@test "tap-summary without LOG and STATUS is a usage error" {
	summary
	[ "$status" -eq 64 ]
	[[ "$stderr" == *usage* ]]
}

@test ".ci/run checks that the valgrind list of bats files exists" {
	local f
	for f in $(sed -n 's/^for f in .{CI_VALGRIND_FILES:-\(test\/.*\)}; do$/\1/p' "$BATS_TEST_DIRNAME/../.ci/run"); do
		[ -f "$BATS_TEST_DIRNAME/../$f" ] || fail ".ci/run runs $f under valgrind; it does not exist"
	done
	[ -n "$f" ] || fail "no valgrind list found in .ci/run"
}

@test "no test polls a condition it expanded once, before the first check" {
	# poll [ "$(cmd)" = x ] runs cmd once, as poll is called, and then
	# tests that frozen value 200 times: it passes only if the state was
	# already there (two tests failed that way under load).
	run grep -rnE '^[^#]*\bpoll +(\[|test) .*\$\(' "$BATS_TEST_DIRNAME" \
		--include='*.bats' --include='*.bash'
	assert_failure 1
	# The check itself still finds the pattern.
	printf '\tpoll [ "$(cat f)" = Z ]\n' >"$BATS_TEST_TMPDIR/t.bats"
	run grep -rnE '^[^#]*\bpoll +(\[|test) .*\$\(' "$BATS_TEST_TMPDIR" --include='*.bats'
	assert_success
}

@test "poll checks its command afresh until it holds" {
	local f=$BATS_TEST_TMPDIR/flag
	( sleep 0.5; echo Z >"$f" ) &
	poll output_is Z cat "$f"
	run cat "$f"
	assert_output Z
	POLL_TENTHS=3 run poll output_is never cat "$f"
	assert_failure
	assert_output --partial "poll: still false after 3 checks: output_is never cat"
}
