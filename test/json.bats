#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# --json (SPEC §7): one key one meaning in every command, the keys the man
# page lists, integers with all their digits, usage errors as JSON, and
# output that parses whatever bytes a path or a name holds.

load test_helper/common
load test_helper/process

teardown() {
	common_teardown
}

# jcheck EXPR: $output is one line holding one JSON object d for which the
# Python expression EXPR is true (python3's json keeps big integers exact
# and refuses invalid UTF-8 in its input).
jcheck() {
	local f=$BATS_TEST_TMPDIR/json.$RANDOM
	printf '%s\n' "$output" >"$f"
	python3 - "$f" "$1" <<'EOF'
import json, sys
raw = open(sys.argv[1], "rb").read()
try:
    text = raw.decode("utf-8")
    lines = text.splitlines()
    if len(lines) != 1:
        raise ValueError("%d lines" % len(lines))
    d = json.loads(lines[0])
except ValueError as e:
    sys.exit("not one line of JSON (%s): %r" % (e, raw))
if not isinstance(d, dict) or not eval(sys.argv[2], {"d": d}):
    sys.exit("JSON check failed: %s\non: %s" % (sys.argv[2], json.dumps(d)))
EOF
}

# ------------------------------------------------------------- the writer

@test "json: invalid UTF-8 in a path becomes U+FFFD per byte; valid UTF-8 passes" {
	spawn_target
	# The target's stdout is a file; give it a name no text encoding
	# accepts: a lone 0xff, a surrogate (ED A0 80), an overlong '/'
	# (C0 AF), a code point past U+10FFFF (F4 90 80 80), a sequence cut
	# short (E2 82), next to well-formed 'é' and U+1F600.
	local dir=$BATS_TEST_TMPDIR/names bad
	mkdir "$dir"
	bad=$dir/$'a\xffb\xed\xa0\x80c\xc0\xafd\xf4\x90\x80\x80e\xe2\x82f\xc3\xa9g\xf0\x9f\x98\x80'
	mv "$TARGET_OUT" "$bad"
	run_zxmem -j process-vmos "$TPID"
	jcheck 'any(v["name"] == "'"$dir"'/a\ufffdb\ufffd\ufffd\ufffdc\ufffd\ufffdd\ufffd\ufffd\ufffd\ufffde\ufffd\ufffdf\u00e9g\U0001F600" for v in d["vmos"])'
	# The same bytes in an error message (the path as a HANDLE).
	run_zxmem -11 -j vmo-read "$bad.missing" 0 1
	jcheck 'd["status"] == "ZX_ERR_BAD_HANDLE" and "a\ufffdb\ufffd\ufffd\ufffdc" in d["message"]'
	# And in a usage error's message.
	run_zxmem -64 -j vmo-read buf $'1\xff' 1
	jcheck 'd["status"] == "USAGE" and "1\ufffd" in d["message"]'
}

@test "json: a NaN or an infinity among --format f32/f64 values is null" {
	run_zxmem vmo-create 4096 --name buf
	# f32 NaN, +inf, 1.5; f64 -inf
	run_zxmem vmo-write buf 0 --hex '0000c07f 0000807f 0000c03f'
	run_zxmem -j vmo-read buf 0 12 --format f32
	jcheck 'd["values"] == [None, None, 1.5]'
	run_zxmem vmo-write buf 0 --hex '000000000000f0ff'
	run_zxmem -j vmo-read buf 0 8 --format f64
	jcheck 'd["values"] == [None]'
}
