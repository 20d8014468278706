#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line itself: NUMBER parsing, global options (-j, -q,
# --version), help, and usage errors.

load test_helper/common

DEFAULT_RIGHTS=duplicate,transfer,read,write,map,get-property,set-property,signal,wait,inspect
FOUNDATION_COMMANDS="vmo-create vmo-read vmo-write vmo-get-size handle-list handle-close reset"

# assert_names WORD: the first line of stderr (the message, before the usage
# line) names WORD, e.g. the argument a usage error is about.
assert_names() {
	local first=${stderr%%$'\n'*}
	if [[ "$first" != *"$1"* ]]; then
		echo "first line of stderr does not name '$1': $stderr" >&2
		return 1
	fi
}

# json_check EXPR: $output is one JSON value d for which the Python
# expression EXPR is true.
json_check() {
	local f=$BATS_TEST_TMPDIR/json.$RANDOM
	printf '%s\n' "$output" >"$f"
	python3 - "$f" "$1" <<'EOF'
import json, sys
text = open(sys.argv[1]).read()
try:
    d = json.loads(text)
except ValueError as e:
    sys.exit("not one JSON value (%s): %r" % (e, text))
if not eval(sys.argv[2], {"d": d}):
    sys.exit("JSON check failed: %s\non: %s" % (sys.argv[2], json.dumps(d)))
EOF
}

# ---------------------------------------------------------------- NUMBER

@test "NUMBER accepts decimal, 0x hex and K M G T suffixes" {
	local pair n=0
	for pair in "0 0" "4096 4096" "12288 12288" "0x2000 8192" "0xfff 4096" \
		"0xABCDE 704512" "3K 4096" "12K 12288" "64M 67108864" "2G 2147483648" \
		"1T 1099511627776"; do
		set -- $pair
		# (not $i: bats' run clobbers a caller's i)
		run_zxmem vmo-create "$1" --name "n$n" || return 1
		run_zxmem vmo-get-size "n$n" || return 1
		assert_output "$2" || return 1
		n=$((n + 1))
	done
}

@test "NUMBER works for offsets and sizes too" {
	run_zxmem vmo-create 2M --name buf
	run_zxmem vmo-write buf 1M --hex 11
	run_zxmem vmo-read buf 1048576 1 --format hex
	assert_output 11
	run_zxmem vmo-write buf 0x10 --hex 22
	run_zxmem vmo-read buf 16 0x2 --format hex
	assert_output 2200
	run_zxmem vmo-read buf 0 1K --format hex
	[ "${#output}" -eq 2048 ]
}

@test "a zero-padded NUMBER is ambiguous: a usage error suggesting 0x" {
	# hexdump and process-maps print offsets as 00000010; pasted back,
	# reading them as decimal would silently pick another offset.
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 16 --hex aa
	local bad
	for bad in 00000010 010 00 010K; do
		run_zxmem -64 vmo-read buf "$bad" 1 --format hex || return 1
		assert_names OFFSET || return 1
		[[ "$stderr" == *"0x${bad#0x}"* ]] || return 1
		run_zxmem -64 vmo-write buf "$bad" --hex bb || return 1
		assert_names OFFSET || return 1
		run_zxmem -64 vmo-create "$bad" --name ten || return 1
		assert_names SIZE || return 1
	done
	refute_output
	run_zxmem vmo-read buf 0x00000010 1 --format hex
	assert_output aa
	run_zxmem vmo-read buf 0 16 --format hex
	assert_output 00000000000000000000000000000000
	run_zxmem vmo-read buf 0x0 1 --format hex
	assert_output 00
	run_zxmem handle-list
	[ "${#lines[@]}" -eq 1 ]
}

@test "a malformed NUMBER is a usage error naming the argument" {
	run_zxmem vmo-create 4096 --name buf
	local bad
	for bad in 12x -1 "" 0x 16E 1.5 1KK K +1 " 1"; do
		run_zxmem -64 vmo-create "$bad" --name x || return 1
		if [ "$bad" = -1 ]; then
			[[ "${stderr%%$'\n'*}" == *SIZE* || "${stderr%%$'\n'*}" == *-1* ]] || return 1
		else
			assert_names SIZE || return 1
		fi
		run_zxmem -64 vmo-read buf "$bad" 1 || return 1
		if [ "$bad" = -1 ]; then
			[[ "${stderr%%$'\n'*}" == *OFFSET* || "${stderr%%$'\n'*}" == *-1* ]] || return 1
		else
			assert_names OFFSET || return 1
		fi
		run_zxmem -64 vmo-write buf "$bad" ab || return 1
		if [ "$bad" != -1 ]; then
			assert_names OFFSET || return 1
		fi
		run_zxmem -64 vmo-read buf 0 "$bad" || return 1
		if [ "$bad" != -1 ]; then
			assert_names SIZE || return 1
		fi
	done
	run_zxmem handle-list
	[ "${#lines[@]}" -eq 1 ]
}

@test "a NUMBER that does not fit in 64 bits is a usage error naming the argument" {
	run_zxmem vmo-create 4096 --name buf
	local bad
	for bad in 99999999999999999999 18446744073709551616 0x10000000000000000 \
		16777216T 17179869184G; do
		run_zxmem -64 vmo-create "$bad" --name x || return 1
		assert_names SIZE || return 1
		run_zxmem -64 vmo-read buf "$bad" 1 || return 1
		assert_names OFFSET || return 1
		run_zxmem -64 vmo-write buf "$bad" ab || return 1
		assert_names OFFSET || return 1
		run_zxmem -64 vmo-read buf 0 "$bad" || return 1
		assert_names SIZE || return 1
	done
	run_zxmem handle-list
	[ "${#lines[@]}" -eq 1 ]
}

# ------------------------------------------------------------------ --json

@test "-j prints a JSON object for vmo-create, vmo-write and vmo-get-size" {
	run_zxmem -j vmo-create 4096 --name buf
	assert_equal "$stderr" ""
	json_check 'd["command"] == "vmo-create" and d["status"] == "ZX_OK" and d["handle"] == "buf"'
	run_zxmem --json vmo-write buf 0x10 hi
	assert_equal "$stderr" ""
	json_check 'd == {"command": "vmo-write", "status": "ZX_OK", "offset": 16, "size": 2, "actual": 2}'
	run_zxmem --json vmo-write buf 0 --hex 00 --repeat 4K
	json_check 'd["offset"] == 0 and d["size"] == 4096 and d["actual"] == 4096'
	run_zxmem -j vmo-get-size buf
	json_check 'd["command"] == "vmo-get-size" and d["status"] == "ZX_OK" and d["size"] == 4096'
	run_zxmem -j vmo-create 1
	json_check 'd["handle"] == "vmo0"'
}

@test "-j vmo-read gives the bytes as data_hex" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 hi
	run_zxmem -j vmo-read buf 0 4
	assert_equal "$stderr" ""
	json_check 'd["command"] == "vmo-read" and d["status"] == "ZX_OK" and d["data_hex"] == "68690000"'
	json_check 'd["offset"] == 0 and d["size"] == 4 and d["actual"] == 4'
}

@test "-j reports a Zircon error on stdout with the same exit status" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -14 -j vmo-write buf 4096 ab
	assert_equal "$stderr" ""
	json_check 'd["command"] == "vmo-write" and d["status"] == "ZX_ERR_OUT_OF_RANGE" and d["code"] == -14 and isinstance(d["message"], str) and d["message"] != ""'
	run_zxmem -11 -j vmo-read nosuch 0 1
	assert_equal "$stderr" ""
	json_check 'd["command"] == "vmo-read" and d["status"] == "ZX_ERR_BAD_HANDLE" and d["code"] == -11 and "nosuch" in d["message"]'
	run_zxmem -26 -j vmo-create 4096 --name buf
	json_check 'd["status"] == "ZX_ERR_ALREADY_EXISTS" and d["code"] == -26'
}

@test "-j reports a usage error as status USAGE, code 64" {
	run_zxmem -64 -j vmo-create 4096 --name 1abc
	assert_equal "$stderr" ""
	json_check 'd["command"] == "vmo-create" and d["status"] == "USAGE" and d["code"] == 64 and "--name" in d["message"]'
	run_zxmem -64 -j vmo-read buf 12x 1
	json_check 'd["status"] == "USAGE" and d["code"] == 64 and "OFFSET" in d["message"]'
}

@test "-j handle-list gives a handles array" {
	run_zxmem -j handle-list
	json_check 'd["handles"] == []'
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-create 8192 --name big --resizable
	run_zxmem -j handle-list
	assert_equal "$stderr" ""
	json_check 'd["status"] == "ZX_OK" and sorted(h["handle"] for h in d["handles"]) == ["big", "buf"]'
	json_check '[h for h in d["handles"] if h["handle"] == "buf"][0]["rights"] == "'"$DEFAULT_RIGHTS"'".split(",")'
	json_check '[h for h in d["handles"] if h["handle"] == "big"][0]["rights"] == "'"$DEFAULT_RIGHTS,resize"'".split(",")'
	json_check 'all(h["type"] == "vmo" and "koid" in h for h in d["handles"])'
	json_check '{h["handle"]: h["size"] for h in d["handles"]} == {"buf": 4096, "big": 8192}'
}

# --------------------------------------------------------------------- -q

@test "-q prints nothing on success" {
	run_zxmem -q vmo-create 4096 --name buf
	refute_output
	assert_equal "$stderr" ""
	run_zxmem --quiet vmo-create 4096
	refute_output
	run_zxmem -q vmo-write buf 0 hi
	refute_output
	run_zxmem -q vmo-get-size buf
	refute_output
	run_zxmem handle-list
	assert_line --regexp '^buf '
	assert_line --regexp '^vmo0 '
}

@test "-q still reports errors on stderr" {
	run_zxmem -11 -q vmo-read nosuch 0 1
	refute_output
	assert_zx_error ZX_ERR_BAD_HANDLE
	run_zxmem -64 -q vmo-create 12x
	assert_usage_error SIZE
}

# ------------------------------------------------------- version and help

@test "--version and -V print the version" {
	run_zxmem --version
	assert_output "zxmem 0.2.0"
	assert_equal "$stderr" ""
	run_zxmem -V
	assert_output "zxmem 0.2.0"
}

@test "help, --help and -h list the commands on stdout" {
	local opt c
	for opt in help --help -h; do
		run_zxmem $opt || return 1
		for c in $FOUNDATION_COMMANDS; do
			assert_output --partial "$c" || return 1
		done
	done
}

@test "help --commands prints every command, one per line" {
	local c
	run_zxmem help --commands
	for c in $FOUNDATION_COMMANDS; do
		assert_line "$c" || return 1
	done
	refute_line --regexp '[^a-z0-9_-]'
}

@test "help COMMAND and COMMAND --help print its usage on stdout" {
	run_zxmem help vmo-read
	assert_output --partial "vmo-read HANDLE OFFSET SIZE"
	assert_equal "$stderr" ""
	run_zxmem vmo-read --help
	assert_output --partial "vmo-read HANDLE OFFSET SIZE"
	assert_equal "$stderr" ""
	run_zxmem help vmo-write
	assert_output --partial "vmo-write HANDLE OFFSET"
	run_zxmem vmo-create --help
	assert_output --partial "vmo-create SIZE"
	local c
	for c in $FOUNDATION_COMMANDS; do
		run_zxmem "$c" --help || return 1
		assert_output --partial "$c" || return 1
		run_zxmem help "$c" || return 1
		assert_output --partial "$c" || return 1
	done
}

@test "--help does not run the command" {
	run_zxmem vmo-create --help
	run_zxmem handle-list
	refute_output
}

@test "help of an unknown command is a usage error" {
	run_zxmem -64 help frobnicate
	assert_usage_error frobnicate
}

# ----------------------------------------------------------- usage errors

@test "an unknown command is a usage error" {
	run_zxmem -64 frobnicate
	assert_usage_error frobnicate
	refute_output
}

@test "a misspelt command gets a did-you-mean suggestion" {
	run_zxmem -64 vmo-raed buf 0 1
	assert_usage_error vmo-raed
	[[ "$stderr" == *vmo-read* ]]
	[[ "${stderr,,}" == *"did you mean"* ]]
}

@test "an unknown option is a usage error naming it" {
	run_zxmem -64 vmo-create 4096 --bogus
	assert_usage_error --bogus
	run_zxmem -64 --bogus handle-list
	assert_usage_error --bogus
	run_zxmem -64 vmo-read buf 0 1 -Z
	assert_usage_error -Z
	run_zxmem handle-list
	refute_output
}

@test "a missing argument is a usage error with the usage line" {
	run_zxmem -64 vmo-read
	assert_usage_error
	[[ "$stderr" =~ ^zxmem:\ vmo-read:\ [^$'\n']+$'\n'usage:\ zxmem\ vmo-read\ HANDLE\ OFFSET\ SIZE ]]
	run_zxmem -64 vmo-create
	[[ "$stderr" =~ ^zxmem:\ vmo-create:\ [^$'\n']+$'\n'usage:\ zxmem\ vmo-create\ SIZE ]]
	refute_output
}

@test "an option without its value is a usage error naming it" {
	run_zxmem -64 vmo-create 4096 --name
	assert_usage_error --name
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -64 vmo-read buf 0 1 --format
	assert_usage_error --format
	run_zxmem -64 vmo-write buf 0 --hex
	assert_usage_error --hex
	run_zxmem -64 --runtime-dir
	assert_usage_error --runtime-dir
}

@test "short options bundle and take attached values, global and per command" {
	run_zxmem -jq vmo-create 4096 --name buf
	json_check 'd["status"] == "ZX_OK" and d["handle"] == "buf"'
	run_zxmem vmo-write buf 0 --hex 41424344
	run_zxmem vmo-read buf 0 4 -fhex
	assert_output 41424344
	run_zxmem vmo-read buf 0 2 -f u8
	assert_output $'65\n66'
	run_zxmem -q vmo-read buf 0 4 -ho x
	assert_equal "${lines[0]}" "usage: zxmem vmo-read HANDLE OFFSET SIZE [--format FORMAT] [-o FILE]"
	[[ "$output" == *"-f, --format FORMAT"* ]]
	[ ! -e x ]
}

@test "--opt=value, --opt value and unique prefixes work; an ambiguous prefix is a usage error" {
	run_zxmem vmo-create 4096 --name=buf
	run_zxmem vmo-write buf 0 --hex=61626364
	run_zxmem vmo-read buf 0 4 --format=hex
	assert_output 61626364
	run_zxmem vmo-read buf 0 4 --form hex
	assert_output 61626364
	run_zxmem vmo-create 4096 --na=two --res
	run_zxmem object-info two
	[[ "$output" == *resize* ]]
	run_zxmem --js --runtime=$ZXMEM_RUNTIME_DIR vmo-get-size two
	json_check 'd["size"] == 4096'
	# --he: --help or --hex
	run_zxmem -64 vmo-write buf 0 --he 00
	assert_usage_error "'--he' is ambiguous"
	[[ "$stderr" == *--help* && "$stderr" == *--hex* ]]
	run_zxmem -64 vmo-read buf 0 4 --format=hex=x --bogus=1
	assert_usage_error
	run_zxmem -64 vmo-create 4096 --resizable=yes
	assert_usage_error "--resizable takes no value"
	run_zxmem -64 --json=1 handle-list
	assert_usage_error "--json=1"
	run_zxmem vmo-read buf 0 4 --format hex
	assert_output 61626364
}

@test "-- ends the options: a DATA that starts with - is written as is" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 -- --hex
	run_zxmem vmo-read buf 0 5 --format string
	assert_output -- --hex
	run_zxmem vmo-write buf 0 -- -5
	run_zxmem vmo-read buf 0 2 --format string
	assert_output -- -5
	run_zxmem -- vmo-get-size buf
	assert_output 4096
}

@test "a negative number stays a positional, so its error names the argument" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -64 vmo-read buf -16 1
	assert_names OFFSET
	run_zxmem vmo-write buf 0 --i32 -5,4
	run_zxmem vmo-read buf 0 8 --format i32
	assert_output $'-5\n4'
}

@test "under -j every usage error is a JSON object, global ones included" {
	local args
	for args in "--bogus handle-list" "-Z handle-list" "--runtime-dir" "-k" \
		"vmo-read buf 0 1 --bogus" "vmo-read buf 0 1 -f" "frobnicate" "vmo-read"; do
		# shellcheck disable=SC2086
		run_zxmem -64 -j $args || return 1
		assert_equal "$stderr" "" || return 1
		json_check 'd["status"] == "USAGE" and d["code"] == 64 and d["message"] != ""' || return 1
	done
}

@test "too many arguments is a usage error" {
	run_zxmem -64 vmo-create 4096 8192
	assert_usage_error
	run_zxmem -64 handle-list extra
	assert_usage_error
	run_zxmem -64 reset now
	assert_usage_error
	run_zxmem handle-list
	refute_output
}

@test "no command with stdin not a terminal is a usage error" {
	run_zxmem -64 </dev/null
	run_zxmem -64 -q </dev/null
}

# ---------------------------------------------------------------- VADDR

@test "a malformed VADDR is a usage error naming VADDR" {
	local bad
	# 'lib!' once read and wrote past the end of its argument (found by
	# fuzz/fuzz_args.c); it must be refused cleanly.
	for bad in 'lib!' '!counter' 'counter!' 'a b' 'x!y!z' '0xzz' '12q'; do
		run_zxmem -64 process-read-memory "$$" "$bad" 4 || return 1
		[[ "$stderr" == *VADDR* ]] || { echo "no VADDR in: $stderr" >&2; return 1; }
	done
}
