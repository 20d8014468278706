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

# ------------------------------------------------- the keys the man page lists

# json_run NAME ARGS...: zxmem -j ARGS with status 0, its stdout kept as
# $JDIR/NNN.NAME for check_keys.
json_run() {
	local name=$1
	shift
	run_zxmem -j "$@" || return 1
	JN=$((JN + 1))
	printf '%s\n' "$output" >"$JDIR/$(printf '%03d' "$JN").$name"
}

# check_keys: every file in $JDIR is lines of JSON, each the object of the
# command its name says (a batch: the commands it ran), whose keys are
# exactly those the JSON KEYS section of man/zxmem.1 lists for it: nothing
# unlisted, nothing listed without a "?" missing, in arrays of objects too.
# Every command the man page lists must have been run.
check_keys() {
	python3 - "$BATS_TEST_DIRNAME/../man/zxmem.1" "$JDIR" <<'PY'
import json, os, re, sys

man = open(sys.argv[1]).read()
sect = man.split("\n.Sh JSON KEYS\n", 1)[1].split("\n.Sh ", 1)[0]

def parse(text):
    """'a, b?, c: [{d, e?}]' -> {key: (optional, subspec or None)}"""
    spec, i = {}, 0
    text = text.strip()
    if text == "(none)":
        return spec
    while i < len(text):
        m = re.compile(r"\s*([a-z_]+)(\??)").match(text, i)
        if not m:
            sys.exit("man page: cannot parse %r at %d" % (text, i))
        key, opt, i = m.group(1), m.group(2) == "?", m.end()
        sub = None
        if text.startswith(": [{", i):
            depth, j = 0, i + 3
            while True:
                depth += {"{": 1, "}": -1}.get(text[j], 0)
                j += 1
                if depth == 0:
                    break
            sub, i = parse(text[i + 4:j - 1]), j + 1
        spec[key] = (opt, sub)
        m = re.compile(r"\s*,?").match(text, i)
        i = m.end()
    return spec

# An item: ".It Cm NAME [, NAME...]", then its keys up to the first
# macro line (.Pp and the notes after it are for people).
specs = {}
for item in re.split(r"\n\.It Cm ", "\n" + sect.split("\n.Bl -tag -width Ds\n", 1)[1])[1:]:
    head, _, rest = item.partition("\n")
    text = []
    for line in rest.split("\n"):
        if line.startswith("."):
            break
        text.append(line)
    for c in head.replace(",", " ").split():
        specs[c] = parse(" ".join(text))

def check(where, obj, spec):
    keys = set(obj)
    listed = set(spec)
    must = {k for k, (opt, _) in spec.items() if not opt}
    if keys - listed or must - keys:
        sys.exit("%s: keys %s; the man page lists %s (unlisted: %s, missing: %s)"
                 % (where, sorted(keys), sorted(listed), sorted(keys - listed),
                    sorted(must - keys)))
    for k, (opt, sub) in spec.items():
        if sub is not None and k in obj:
            if not isinstance(obj[k], list):
                sys.exit("%s: %s is not an array" % (where, k))
            for n, e in enumerate(obj[k]):
                check("%s.%s[%d]" % (where, k, n), e, sub)

seen = set()
base = {"command", "status"}
for f in sorted(os.listdir(sys.argv[2])):
    raw = open(os.path.join(sys.argv[2], f), "rb").read()
    name = f.split(".", 1)[1]
    lines = raw.decode("utf-8").splitlines()
    if not lines:
        sys.exit("%s printed nothing" % f)
    for n, line in enumerate(lines):
        try:
            d = json.loads(line)
        except ValueError as e:
            sys.exit("%s line %d is no JSON (%s): %r" % (f, n + 1, e, line))
        cmd = d.get("command")
        if name not in ("batch", "--help") and cmd != name:
            sys.exit("%s: command %r" % (f, cmd))
        if name == "--help":    # COMMAND --help is help COMMAND
            cmd = "help"
        if d.get("status") != "ZX_OK":
            sys.exit("%s: status %r" % (f, d.get("status")))
        if cmd not in specs:
            sys.exit("the man page lists no JSON keys for %s" % cmd)
        rest = {k: v for k, v in d.items() if k not in base}
        check("%s (%s)" % (f, cmd), rest, specs[cmd])
        seen.add(cmd)
missing = set(specs) - seen
if missing:
    sys.exit("not run: %s" % sorted(missing))
PY
}

@test "json: every command's keys are the ones the man page lists" {
	enable_debugging
	JDIR=$BATS_TEST_TMPDIR/j JN=0
	mkdir "$JDIR"
	local out=$BATS_TEST_TMPDIR/out.bin

	# VMOs and handles.
	json_run vmo-create vmo-create 8192 --name a
	json_run vmo-create vmo-create 4096 --name r --resizable
	json_run vmo-create vmo-create 4096 --name d --discardable
	json_run vmo-write vmo-write a 0 hello
	json_run vmo-read vmo-read a 0 16
	json_run vmo-read vmo-read a 0 8 --format u32
	json_run vmo-read vmo-read a 0 8 -o "$out"
	json_run vmo-get-size vmo-get-size a
	json_run vmo-set-size vmo-set-size r 8192
	json_run vmo-op-range vmo-op-range a commit 0 4096
	json_run vmo-op-range vmo-op-range d try-lock 0 4096
	json_run vmo-create-child vmo-create-child a snapshot 0 4096 --name c
	json_run vmo-set-cache-policy vmo-set-cache-policy r uncached
	json_run handle-duplicate handle-duplicate a --name a2
	json_run handle-replace handle-replace a2 --rights read --name a3
	json_run handle-list handle-list
	json_run object-info object-info a
	json_run handle-close handle-close a3
	json_run batch batch - <<<$'vmo-get-size a\nvmo-write a 8 x'

	# A live process.
	spawn_target
	json_run process-read-memory process-read-memory "$TPID" counter
	json_run process-read-memory process-read-memory "$TPID" "$T_counter" 8 --format x32
	json_run process-read-memory process-read-memory "$TPID" counter 4 -o "$out"
	json_run process-write-memory process-write-memory "$TPID" counter --u32 7
	json_run process-write-memory process-write-memory "$TPID" counter --value 8
	json_run process-maps process-maps "$TPID"
	json_run process-vmos process-vmos "$TPID"
	json_run process-symbol process-symbol "$TPID" counter
	json_run process-symbol process-symbol "$TPID" "$((T_counter + 2))"
	json_run process-symbols process-symbols "$TPID" 'count*'
	json_run process-find process-find "$TPID" --string zxmem-memfd-content
	json_run process-find process-find "$TPID" --u32 8 --writable
	json_run process-watch process-watch "$TPID" counter --u32 8

	# A TLS symbol; a watch that sees a change.
	spawn_target symbols
	json_run process-symbols process-symbols "$TPID" 'tls_c*'
	spawn_target finder
	"$ZXMEM" -j process-watch "$TPID" data_value --format u32 --count 1 \
		--timeout 60s >"$JDIR/900.process-watch" 2>"$BATS_TEST_TMPDIR/w.err" 3>&- &
	local zpid=$! i
	TARGET_PIDS+=("$zpid")
	# Change the value until the watch has seen a change after its first
	# reading (bounded: the watch's own --timeout ends it).
	for ((i = 0; i < 6000; i++)); do
		kill -0 "$zpid" 2>/dev/null || break
		kill -USR1 "$TPID"
		sleep 0.01
	done
	wait "$zpid"

	# help, --help, --version.
	json_run help help
	json_run help help --commands
	json_run --help vmo-read --help
	json_run --help process-find --help
	json_run reset reset

	check_keys
}

# ------------------------------------------------------------ big integers

@test "json: integers above 2^53 keep all their digits (u64 and i64)" {
	# 2^62 - 16 has no double: rounded, it would read back as 2^62.
	run_zxmem -j vmo-create 0x4000000000000000 --name big
	run_zxmem -j vmo-get-size big
	jcheck 'd["size"] == 2**62'
	run_zxmem -j object-info big
	jcheck 'd["size"] == 2**62 and d["content_size"] == 2**62'
	run_zxmem -j handle-list
	jcheck 'd["handles"][0]["size"] == 2**62'
	run_zxmem -j vmo-write big 0x3ffffffffffffff0 --u64 0xffffffffffffffff,0x8000000000000000
	jcheck 'd["offset"] == 2**62 - 16 and d["size"] == 16 and d["actual"] == 16'
	run_zxmem -j vmo-read big 0x3ffffffffffffff0 16 --format u64
	jcheck 'd["offset"] == 2**62 - 16 and d["values"] == [2**64 - 1, 2**63]'
	run_zxmem -j vmo-read big 0x3ffffffffffffff0 16 --format i64
	jcheck 'd["values"] == [-1, -2**63]'
	run_zxmem -j vmo-read big 0x3ffffffffffffff0 16 --format x64
	jcheck 'd["values"] == [2**64 - 1, 2**63]'
	# An offset near 2^64 in an error: the message has it in full.
	run_zxmem -14 -j vmo-read big 0xFFFFFFFFFFFFF000 16
	jcheck 'd["status"] == "ZX_ERR_OUT_OF_RANGE" and d["code"] == -14 and "0xfffffffffffff000" in d["message"]'
	run_zxmem -j handle-close big
}

# ------------------------------------------------------- usage errors

@test "json: a usage error is a JSON object for every command" {
	local c n=0
	run_zxmem help --commands
	local cmds=("${lines[@]}")
	for c in "${cmds[@]}"; do
		run_zxmem -64 -j "$c" --no-such-option || return 1
		jcheck 'd == {"command": "'"$c"'", "status": "USAGE", "code": 64,
			"message": "unknown option '"'--no-such-option'"'"}' || return 1
		assert_equal "$stderr" "" || return 1
		n=$((n + 1))
	done
	[ "$n" -ge 25 ]
	# Too few arguments, a bad NUMBER, no DATA, an unknown command, no
	# command at all, a global option, a batch line.
	run_zxmem -64 -j vmo-read buf
	jcheck 'd["command"] == "vmo-read" and d["status"] == "USAGE" and d["message"] == "missing arguments"'
	run_zxmem -64 -j process-read-memory 1 0x10 010
	jcheck 'd["command"] == "process-read-memory" and d["code"] == 64 and "SIZE" in d["message"]'
	run_zxmem -64 -j vmo-write buf 0
	jcheck 'd["command"] == "vmo-write" and d["code"] == 64 and "no DATA" in d["message"]'
	run_zxmem -64 -j no-such-command
	jcheck 'd["command"] == "zxmem" and d["status"] == "USAGE" and "no-such-command" in d["message"]'
	run_zxmem -64 -j </dev/null
	jcheck 'd["command"] == "zxmem" and d["status"] == "USAGE" and "no command" in d["message"]'
	assert_equal "$stderr" ""
	run_zxmem -64 -j --kernel-option
	jcheck 'd["command"] == "zxmem" and d["status"] == "USAGE" and "-k" in d["message"]'
	run_zxmem -64 -j batch - <<<'vmo-create 4096 --name 1bad'
	jcheck 'd["command"] == "vmo-create" and d["status"] == "USAGE" and d["file"] == "-" and d["line"] == 1'
}

@test "json: help, COMMAND --help and --version are JSON objects under -j" {
	run_zxmem -j --version
	jcheck 'd == {"command": "zxmem", "status": "ZX_OK", "version": d["version"]} and d["version"][0].isdigit()'
	run_zxmem --version
	assert_output "zxmem $(printf '%s' "$output" | cut -d' ' -f2)"
	run_zxmem -j --help
	jcheck 'd["command"] == "zxmem" and d["help"].startswith("usage: zxmem ")'
	run_zxmem -j help vmo-write
	jcheck 'd["command"] == "help" and d["help"].startswith("usage: zxmem vmo-write HANDLE OFFSET")'
	run_zxmem -j vmo-write --help
	jcheck 'd["command"] == "vmo-write" and "--hexdump" in d["help"]'
	run_zxmem -j help --commands
	jcheck '"process-watch" in d["commands"] and "vmo-create" in d["commands"]'
	# Without -j, the plain text as before.
	run_zxmem help vmo-write
	assert_line --index 0 --regexp '^usage: zxmem vmo-write HANDLE OFFSET'
	run_zxmem help --commands
	assert_line vmo-create
	# The shell's prompt and echo go to stderr under -j: stdout is JSON.
	run_zxmem -j shell <<<'vmo-create 4096 --name s'
	jcheck 'd == {"command": "vmo-create", "status": "ZX_OK", "handle": "s"}'
}

@test "json: a char array holding invalid UTF-8 prints as a valid JSON string" {
	enable_debugging
	spawn_target
	run_zxmem process-write-memory "$TPID" message --hex '68 ff 69 ed a0 80 c3 a9 00'
	# The program sees the bytes as written (\xHH for bytes outside ASCII).
	target_report
	assert_equal "$R_message" 'h\xffi\xed\xa0\x80\xc3\xa9'
	run_zxmem -j process-read-memory "$TPID" message
	jcheck 'd["type"].startswith("char") and d["value"] == "h\ufffdi\ufffd\ufffd\ufffd\u00e9" and d["data_hex"].startswith("68ff69eda080c3a900")'
}
