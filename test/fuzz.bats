#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Every fuzz harness replays its seed corpus (fuzz/corpus/NAME/) and the
# inputs that once crashed it (fuzz/crashes/NAME-*), under ASan and UBSan,
# so a fixed crash stays fixed. The drivers are fuzz/replay.c linked with
# each harness; make check builds them into $ZXMEM_FUZZ_BIN.

load test_helper/common

: "${ZXMEM_FUZZ_BIN:=$BATS_TEST_DIRNAME/../build/fuzz-replay}"
FUZZ_DIR=$BATS_TEST_DIRNAME/../fuzz

# replay NAME: run harness NAME over all its inputs; it must end cleanly
# and have replayed every one of them.
replay() {
	local name=$1 bin=$ZXMEM_FUZZ_BIN/replay_$1 inputs=()
	[ -x "$bin" ] || fail "$bin is missing: run make check (or make fuzz-replay)"
	inputs=("$FUZZ_DIR/corpus/$name"/*)
	[ -e "${inputs[0]}" ] || fail "fuzz/corpus/$name/ has no seeds"
	shopt -s nullglob
	inputs+=("$FUZZ_DIR/crashes/$name"-*)
	shopt -u nullglob
	run --separate-stderr "$bin" "${inputs[@]}"
	if [ "$status" -ne 0 ] || [ "$output" != "replayed ${#inputs[@]} inputs" ]; then
		echo "replay_$name: status $status, $output" >&2
		printf '%s\n' "$stderr" | tail -n 40 >&2
		return 1
	fi
}

@test "fuzz_args replays its seeds and fuzz/crashes/args-*" { replay args; }
@test "fuzz_kcmdline replays its seeds and fuzz/crashes/kcmdline-*" { replay kcmdline; }
@test "fuzz_bytes replays its seeds and fuzz/crashes/bytes-*" { replay bytes; }
@test "fuzz_core replays its seeds and fuzz/crashes/core-*" { replay core; }
@test "fuzz_split replays its seeds and fuzz/crashes/split-*" { replay split; }
@test "fuzz_find replays its seeds and fuzz/crashes/find-*" { replay find; }
@test "fuzz_hexdump replays its seeds and fuzz/crashes/hexdump-*" { replay hexdump; }
@test "fuzz_argv replays its seeds and fuzz/crashes/argv-*" { replay argv; }
@test "fuzz_float replays its seeds and fuzz/crashes/float-*" { replay float; }

@test "every harness is replayed, and every reproducer belongs to one" {
	local harnesses f h
	harnesses=$(sed -n 's/^HARNESSES *= *//p' "$FUZZ_DIR/Makefile")
	[ -n "$harnesses" ]
	for h in $harnesses; do
		grep -q "{ replay $h; }" "$BATS_TEST_FILENAME" ||
			fail "fuzz harness $h is not replayed by test/fuzz.bats"
	done
	for f in "$FUZZ_DIR"/crashes/*; do
		[ "${f##*/}" = README.md ] && continue
		h=${f##*/}
		h=${h%%-*}
		[[ " $harnesses " == *" $h "* ]] ||
			fail "fuzz/crashes/${f##*/} is named after no harness ($harnesses)"
	done
}
