#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# VMO commands: vmo-create, vmo-write, vmo-read, vmo-get-size; their sizes,
# errors (exit status and ZX name), every DATA source and every read format.

load test_helper/common

DEFAULT_RIGHTS=duplicate,transfer,read,write,map,get-property,set-property,signal,wait,inspect

# assert_names WORD: the first line of stderr (the message, before the usage
# line) names WORD, e.g. the argument a usage error is about.
assert_names() {
	local first=${stderr%%$'\n'*}
	if [[ "$first" != *"$1"* ]]; then
		echo "first line of stderr does not name '$1': $stderr" >&2
		return 1
	fi
}

# assert_bytes HANDLE OFFSET HEX: the VMO holds exactly HEX at OFFSET.
assert_bytes() {
	run_zxmem vmo-read "$1" "$2" $((${#3} / 2)) --format hex || return 1
	assert_output "$3"
}

# assert_size HANDLE SIZE: vmo-get-size prints SIZE.
assert_size() {
	run_zxmem vmo-get-size "$1" || return 1
	assert_output "$2"
}

# ---------------------------------------------------------------- vmo-create

@test "vmo-create prints the handle name given with --name" {
	run_zxmem vmo-create 4096 --name buf
	assert_output buf
	assert_equal "$stderr" ""
	run_zxmem handle-list
	assert_output --regexp "^buf [0-9]+ vmo $DEFAULT_RIGHTS 4096\$"
}

@test "vmo-create without --name uses the next free vmoN" {
	run_zxmem vmo-create 4096
	assert_output vmo0
	run_zxmem vmo-create 4096
	assert_output vmo1
	run_zxmem vmo-create 4096 --name vmo2
	assert_output vmo2
	run_zxmem vmo-create 4096
	assert_output vmo3
	run_zxmem handle-list
	assert_line --regexp '^vmo0 '
	assert_line --regexp '^vmo1 '
	assert_line --regexp '^vmo2 '
	assert_line --regexp '^vmo3 '
}

@test "vmo-create rounds the size up to whole pages" {
	local pair n=0
	for pair in "1 4096" "0 0" "4095 4096" "4096 4096" "4097 8192" \
		"0x1000 4096" "0x1001 8192" "1K 4096" "8K 8192" "64M 67108864" \
		"1G 1073741824" "1T 1099511627776"; do
		set -- $pair
		# (not $i: bats' run clobbers a caller's i)
		run_zxmem vmo-create "$1" --name "s$n" || return 1
		assert_size "s$n" "$2" || return 1
		n=$((n + 1))
	done
}

@test "vmo-create --resizable adds the resize right" {
	run_zxmem vmo-create 4096 --resizable --name r
	assert_output r
	run_zxmem vmo-create 4096 --name f
	run_zxmem handle-list
	assert_line --regexp "^r [0-9]+ vmo $DEFAULT_RIGHTS,resize 4096\$"
	assert_line --regexp "^f [0-9]+ vmo $DEFAULT_RIGHTS 4096\$"
}

@test "vmo-create accepts every valid handle name" {
	local long=_$(printf 'a%.0s' {1..63})
	run_zxmem vmo-create 4096 --name "$long"
	assert_output "$long"
	run_zxmem vmo-create 4096 --name A.b-9_z
	assert_output A.b-9_z
	run_zxmem vmo-create 4096 --name x
	assert_output x
}

@test "vmo-create refuses an invalid name as a usage error naming --name" {
	local name
	for name in 1abc "$(printf 'a%.0s' {1..65})" a/b "a b" "" .x -x 'a$'; do
		run_zxmem -64 vmo-create 4096 --name "$name" || return 1
		assert_names --name || return 1
	done
	run_zxmem handle-list
	refute_output
}

@test "vmo-create of an existing name is ZX_ERR_ALREADY_EXISTS and leaves it alone" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --hex 78
	run_zxmem -26 vmo-create 8192 --name buf
	assert_zx_error ZX_ERR_ALREADY_EXISTS
	[[ "$stderr" == *buf* ]]
	assert_size buf 4096
	assert_bytes buf 0 78
}

@test "vmo-create sizes that overflow when rounded or exceed Zircon's maximum are ZX_ERR_OUT_OF_RANGE" {
	local size
	for size in 0xFFFFFFFFFFFFF001 0xFFFFFFFFFFFFFFFF 18446744073709551615 \
		0xFFFFFFFFFFFE1000 0xFFFFFFFFFFFE0001; do
		run_zxmem -14 vmo-create "$size" --name big || return 1
		assert_zx_error ZX_ERR_OUT_OF_RANGE || return 1
	done
	run_zxmem handle-list
	refute_output
}

@test "vmo-create over the Linux memfd limit is ZX_ERR_OUT_OF_RANGE naming the limit" {
	local size
	for size in 0x8000000000000000 0xFFFFFFFFFFFE0000; do
		run_zxmem -14 vmo-create "$size" --name big || return 1
		assert_zx_error ZX_ERR_OUT_OF_RANGE || return 1
		if [[ "$stderr" != *Linux* && "$stderr" != *9223372036854775807* &&
			"$stderr" != *0x7fffffffffffffff* && "$stderr" != *0x7FFFFFFFFFFFFFFF* ]]; then
			echo "message does not name the Linux limit: $stderr" >&2
			return 1
		fi
	done
	run_zxmem handle-list
	refute_output
}

@test "vmo-create of the largest page-aligned size under the Linux limit works" {
	run_zxmem vmo-create 0x7FFFFFFFFFFFF000 --name top
	assert_size top 9223372036854771712
	run_zxmem vmo-write top 0x7FFFFFFFFFFFEFFC --hex "01 02 03 04"
	assert_bytes top 0x7FFFFFFFFFFFEFFC 01020304
}

@test "a sparse 2^62-byte VMO can be written and read at its last page" {
	run_zxmem vmo-create 4611686018427387904 --name huge
	assert_size huge 4611686018427387904
	# last page, and the last 4 bytes
	run_zxmem vmo-write huge 4611686018427383808 "last page"
	run_zxmem vmo-write huge 4611686018427387900 --hex "de ad be ef"
	assert_bytes huge 4611686018427383808 6c6173742070616765
	assert_bytes huge 4611686018427387900 deadbeef
	assert_bytes huge 0 0000000000000000
	run_zxmem -14 vmo-read huge 4611686018427387900 5
	assert_zx_error ZX_ERR_OUT_OF_RANGE
}

@test "vmo-create needs a SIZE" {
	run_zxmem -64 vmo-create
	assert_usage_error
	[[ "$stderr" == *"usage: zxmem vmo-create"* ]]
	run_zxmem -64 vmo-create --name x
	assert_usage_error
	run_zxmem handle-list
	refute_output
}

# ------------------------------------------------- vmo-read / vmo-write errors

@test "a VMO persists across invocations" {
	run_zxmem vmo-create 8192 --name buf
	run_zxmem vmo-write buf 4000 "hello, world"
	run_zxmem vmo-read buf 4000 12 --format string
	assert_output "hello, world"
	run_zxmem vmo-get-size buf
	assert_output 8192
}

@test "a new VMO reads as zeros" {
	run_zxmem vmo-create 4096 --name buf
	assert_bytes buf 0 00000000000000000000000000000000
	assert_bytes buf 4080 00000000000000000000000000000000
}

@test "vmo-read, vmo-write and vmo-get-size of an unknown handle are ZX_ERR_BAD_HANDLE" {
	run_zxmem -11 vmo-read nosuch 0 16
	assert_zx_error ZX_ERR_BAD_HANDLE
	[[ "$stderr" == "zxmem: vmo-read: ZX_ERR_BAD_HANDLE: "*nosuch* ]]
	refute_output
	run_zxmem -11 vmo-write nosuch 0 abc
	assert_zx_error ZX_ERR_BAD_HANDLE
	[[ "$stderr" == "zxmem: vmo-write: ZX_ERR_BAD_HANDLE: "* ]]
	run_zxmem -11 vmo-get-size nosuch
	assert_zx_error ZX_ERR_BAD_HANDLE
	[[ "$stderr" == "zxmem: vmo-get-size: ZX_ERR_BAD_HANDLE: "* ]]
	# a valid handle elsewhere changes nothing
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -11 vmo-read buf2 0 16
	assert_zx_error ZX_ERR_BAD_HANDLE
}

@test "vmo-write past the end is ZX_ERR_OUT_OF_RANGE and writes nothing" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 4088 --hex "11 22 33 44 55 66 77 88"
	run_zxmem -14 vmo-write buf 4090 --hex "aa aa aa aa aa aa aa aa"
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	assert_bytes buf 4088 1122334455667788
	run_zxmem -14 vmo-write buf 0 --hex 00 --repeat 4097
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	assert_bytes buf 0 0000
	assert_bytes buf 4088 1122334455667788
}

@test "vmo-read past the end is ZX_ERR_OUT_OF_RANGE and prints nothing" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -14 vmo-read buf 1 4096
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	refute_output
	run_zxmem -14 vmo-read buf 4095 2 --format hex
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	refute_output
	run_zxmem vmo-read buf 4095 1 --format hex
	assert_output 00
}

@test "an offset + size that overflows 64 bits is ZX_ERR_OUT_OF_RANGE" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -14 vmo-write buf 0xFFFFFFFFFFFFFFFF ab
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 vmo-write buf 0xFFFFFFFFFFFFFFF0 --hex 00 --repeat 32
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 vmo-read buf 0xFFFFFFFFFFFFFFFF 2
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	assert_bytes buf 0 00000000
}

@test "vmo-read of a SIZE that overflows is ZX_ERR_OUT_OF_RANGE, checked before allocating" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -14 vmo-read buf 1 0xFFFFFFFFFFFFFFFF
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 vmo-read buf 0 0xFFFFFFFFFFFFFFFF
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 vmo-read buf 0 0x100000000000
	assert_zx_error ZX_ERR_OUT_OF_RANGE
}

@test "an empty transfer at offset == size is ZX_OK" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 4096 --string ''
	refute_output
	run_zxmem vmo-write buf 4096 ''
	run_zxmem vmo-read buf 4096 0 --format hex
	refute_output
	run_zxmem vmo-create 0 --name empty
	run_zxmem vmo-write empty 0 ''
	run_zxmem vmo-read empty 0 0 --format raw
	refute_output
}

@test "an empty transfer past the end is ZX_ERR_OUT_OF_RANGE" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -14 vmo-write buf 4097 --string ''
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 vmo-read buf 8192 0
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem vmo-create 0 --name empty
	run_zxmem -14 vmo-write empty 1 ''
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 vmo-read empty 0 1
	assert_zx_error ZX_ERR_OUT_OF_RANGE
}

@test "vmo-write and vmo-read need their arguments" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -64 vmo-write buf
	assert_usage_error
	[[ "$stderr" == *"usage: zxmem vmo-write"* ]]
	run_zxmem -64 vmo-read buf 0
	assert_usage_error
	[[ "$stderr" == *"usage: zxmem vmo-read"* ]]
	run_zxmem -64 vmo-read buf
	assert_usage_error
	run_zxmem -64 vmo-get-size
	assert_usage_error
	run_zxmem -64 vmo-get-size buf buf
	assert_usage_error
	run_zxmem -64 vmo-read buf 0 1 2
	assert_usage_error
}

# ------------------------------------------------------------- DATA sources

@test "positional DATA understands C escapes" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 'a\nb\tc\rd\\e\"f\0g\x41\101'
	assert_bytes buf 0 610a6209630d645c6522660067414100
	run_zxmem vmo-write buf 100 'plain text'
	assert_bytes buf 100 706c61696e2074657874
	run_zxmem vmo-write buf 200 '\x7f\xFF\0011'
	assert_bytes buf 200 7fff0131
}

@test "--string DATA understands the same escapes" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 16 --string 'a\nb\tc\rd\\e\"f\0g\x41\101'
	assert_bytes buf 16 610a6209630d645c6522660067414100
	run_zxmem vmo-write buf 0 --string '--not-an-option'
	assert_bytes buf 0 2d2d6e6f742d616e2d6f7074696f6e
}

@test "a bad escape in DATA is a usage error" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --hex "99 99 99 99"
	local bad
	for bad in 'a\q' 'abc\' '\xZZ' '\x'; do
		run_zxmem -64 vmo-write buf 0 "$bad" || return 1
		assert_usage_error || return 1
		run_zxmem -64 vmo-write buf 0 --string "$bad" || return 1
		assert_usage_error || return 1
	done
	assert_bytes buf 0 99999999
}

@test "--hex ignores spaces and colons" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --hex "de ad:be ef"
	assert_bytes buf 0 deadbeef
	run_zxmem vmo-write buf 8 --hex 0123456789ABCDEFabcdef
	assert_bytes buf 8 0123456789abcdefabcdef
	run_zxmem vmo-write buf 32 --hex "00:11:22  33"
	assert_bytes buf 32 00112233
}

@test "bad --hex is a usage error naming --hex" {
	run_zxmem vmo-create 4096 --name buf
	local bad
	for bad in abc zz 0x12 "12 3" g0; do
		run_zxmem -64 vmo-write buf 0 --hex "$bad" || return 1
		assert_names --hex || return 1
	done
	assert_bytes buf 0 0000
}

@test "--file PATH writes the file's bytes" {
	run_zxmem vmo-create 4096 --name buf
	printf 'bin\0ary\377\n' >"$BATS_TEST_TMPDIR/data"
	run_zxmem vmo-write buf 5 --file "$BATS_TEST_TMPDIR/data"
	assert_bytes buf 4 0062696e00617279ff0a00
}

@test "--file - and - as DATA read stdin; no DATA at all is a usage error" {
	run_zxmem vmo-create 4096 --name buf
	printf 'std\0in' >"$BATS_TEST_TMPDIR/data"
	run_zxmem vmo-write buf 0 --file - <"$BATS_TEST_TMPDIR/data"
	assert_bytes buf 0 73746400696e
	printf 'XY' >"$BATS_TEST_TMPDIR/data2"
	run_zxmem vmo-write buf 100 - <"$BATS_TEST_TMPDIR/data2"
	assert_bytes buf 99 00585900
	# Standard input is read only when asked.
	run_zxmem -64 vmo-write buf 200 <"$BATS_TEST_TMPDIR/data2"
	assert_usage_error "no DATA"
	assert_bytes buf 200 0000
	# A literal "-" is still a string away.
	run_zxmem vmo-write buf 300 --string -
	assert_bytes buf 300 2d
}

@test "a forgotten DATA in a while-read loop does not swallow the loop's input" {
	run_zxmem vmo-create 4096 --name buf
	run bash -c 'n=0; printf "1\n2\n3\n" | while read -r off; do "$ZXMEM" vmo-write buf "$off" 2>/dev/null 3>&-; n=$((n + 1)); echo "line $off"; done'
	assert_output $'line 1\nline 2\nline 3'
}

@test "--file of a missing file is an error" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -64 vmo-write buf 0 --file "$BATS_TEST_TMPDIR/missing"
	[[ "$stderr" == *"--file"*"$BATS_TEST_TMPDIR/missing"* ]] || fail "$stderr"
	run_zxmem vmo-read buf 0 1 --format hex
	assert_output 00
}

@test "typed unsigned DATA is written little-endian" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --u8 0,255,7
	assert_bytes buf 0 00ff0700
	run_zxmem vmo-write buf 16 --u16 1,4660
	assert_bytes buf 16 0100341200
	run_zxmem vmo-write buf 32 --u32 3735928559,1
	assert_bytes buf 32 efbeadde0100000000
	run_zxmem vmo-write buf 48 --u64 18446744073709551615,2
	assert_bytes buf 48 ffffffffffffffff020000000000000000
}

@test "typed signed DATA is written little-endian" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --i8 -1,127,-128
	assert_bytes buf 0 ff7f8000
	run_zxmem vmo-write buf 16 --i16 -2,32767,-32768
	assert_bytes buf 16 feffff7f008000
	run_zxmem vmo-write buf 32 --i32 -1,-2147483648
	assert_bytes buf 32 ffffffff0000008000
	run_zxmem vmo-write buf 48 --i64 -2,9223372036854775807
	assert_bytes buf 48 feffffffffffffffffffffffffffff7f00
}

@test "typed float DATA is written as IEEE 754 little-endian" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --f32 1.5,-2
	assert_bytes buf 0 0000c03f000000c000
	run_zxmem vmo-write buf 16 --f64 1.5,-0.25
	assert_bytes buf 16 000000000000f83f000000000000d0bf00
	# Rounded once, from the text, to the nearest float: just above the
	# midpoint of 1 and the next float is that next float (through a
	# double it would become the midpoint, then round to even: 1.0).
	run_zxmem vmo-write buf 40 --f32 1.000000059604644775390625001
	assert_bytes buf 40 0100803f00
}

@test "an out-of-range or malformed typed value is a usage error naming the option" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --hex "99 99 99 99 99 99 99 99 99"
	local pair
	for pair in "--u8 256" "--u8 -1" "--i8 -129" "--i8 128" "--u16 65536" \
		"--i16 32768" "--i16 -32769" "--u32 4294967296" "--i32 2147483648" \
		"--i64 9223372036854775808" "--i64 -9223372036854775809" "--u8 x" \
		"--u8 1,,2" "--f32 abc" "--f32 1e39" "--f64 1e309"; do
		set -- $pair
		run_zxmem -64 vmo-write buf 0 "$1" "$2" || return 1
		assert_names "$1" || return 1
	done
	assert_bytes buf 0 999999999999999999
}

@test "a --u64 value over 64 bits is a usage error naming --u64" {
	run_zxmem vmo-create 4096 --name buf
	local v
	for v in 18446744073709551616 99999999999999999999 0x10000000000000000; do
		run_zxmem -64 vmo-write buf 0 --u64 "$v" || return 1
		assert_names --u64 || return 1
	done
	assert_bytes buf 0 0000000000000000
}

@test "--repeat repeats the data" {
	run_zxmem vmo-create 8192 --name buf
	run_zxmem vmo-write buf 0 --hex ff --repeat 8K
	run_zxmem vmo-write buf 0 --hex 00 --repeat 4K
	run_zxmem vmo-read buf 0 4097 --format hex
	assert_output "$(printf '00%.0s' {1..4096})ff"
	run_zxmem vmo-write buf 100 --string ab --repeat 3
	assert_bytes buf 100 61626162616200
	run_zxmem vmo-write buf 200 --u16 1 --repeat 2
	assert_bytes buf 200 0100010000
	run_zxmem vmo-write buf 300 abc --repeat 2
	assert_bytes buf 300 61626361626300
}

@test "two DATA sources at once are a usage error" {
	run_zxmem vmo-create 4096 --name buf
	printf 'x' >"$BATS_TEST_TMPDIR/data"
	run_zxmem -64 vmo-write buf 0 ab --hex 00
	assert_usage_error
	run_zxmem -64 vmo-write buf 0 --hex 00 --string a
	assert_usage_error
	run_zxmem -64 vmo-write buf 0 --file "$BATS_TEST_TMPDIR/data" --u8 1
	assert_usage_error
	run_zxmem -64 vmo-write buf 0 --u8 1 --u16 1
	assert_usage_error
	assert_bytes buf 0 0000
}

# ------------------------------------------------------------- read formats

# A 65-byte sample: a text line, two zero lines (squeezed), text with
# control bytes, and one byte on a last, partial line.
make_sample() {
	sample=$BATS_TEST_TMPDIR/sample
	{
		printf '0123456789abcdef'
		head -c 32 /dev/zero
		printf 'Hello,\tworld!\n\001\177\377'
	} >"$sample"
	run_zxmem vmo-create 4096 --name buf || return 1
	run_zxmem vmo-write buf 0 --file "$sample" || return 1
}

@test "the default format is hexdump, exactly like hexdump -C" {
	make_sample
	run_zxmem vmo-read buf 0 65
	assert_output "$(hexdump -C "$sample")"
	run_zxmem vmo-read buf 0 65 --format hexdump
	assert_output "$(hexdump -C "$sample")"
	run_zxmem vmo-read buf 0 16 --format hexdump
	assert_output "$(hexdump -C -n 16 "$sample")"
}

@test "hexdump squeezes a page of zeros and ends with the end offset" {
	run_zxmem vmo-create 8192 --name buf
	head -c 4096 /dev/zero >"$BATS_TEST_TMPDIR/zeros"
	run_zxmem vmo-read buf 0 4096 --format hexdump
	assert_output "$(hexdump -C "$BATS_TEST_TMPDIR/zeros")"
	assert_line --index 1 '*'
	assert_line --index 2 00001000
}

@test "hexdump shows the VMO offset" {
	make_sample
	run_zxmem vmo-read buf 16 48 --format hexdump
	assert_output "$(hexdump -C -s 16 -n 48 "$sample")"
	assert_line --index 0 --regexp '^00000010  00 00 00 00 '
}

@test "--format raw prints the bytes" {
	make_sample
	"$ZXMEM" vmo-read buf 0 65 --format raw >"$BATS_TEST_TMPDIR/out" 3>&-
	cmp "$sample" "$BATS_TEST_TMPDIR/out"
}

@test "-o FILE writes the bytes to FILE and prints nothing" {
	make_sample
	run_zxmem vmo-read buf 0 65 -o "$BATS_TEST_TMPDIR/out"
	refute_output
	cmp "$sample" "$BATS_TEST_TMPDIR/out"
	run_zxmem vmo-read buf 16 32 -o "$BATS_TEST_TMPDIR/out"
	refute_output
	head -c 32 /dev/zero >"$BATS_TEST_TMPDIR/zeros"
	cmp "$BATS_TEST_TMPDIR/zeros" "$BATS_TEST_TMPDIR/out"
}

@test "--format hex prints one line of lowercase hex digits" {
	make_sample
	run_zxmem vmo-read buf 0 65 --format hex
	assert_output "$(xxd -p -c 1000 "$sample")"
	[ "${#lines[@]}" -eq 1 ]
}

@test "--format string escapes unprintable bytes like vis(3)" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --hex "61 0a 62 09 63 5c 64 00 31"
	run_zxmem vmo-read buf 0 9 --format string
	assert_output 'a\nb\tc\\d\0001'
	run_zxmem vmo-write buf 100 Hello
	run_zxmem vmo-read buf 100 5 --format string
	assert_output Hello
}

@test "--format u8 u16 u32 u64 print one unsigned value per line" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --hex "01 00 ff ff 34 12 00 80"
	run_zxmem vmo-read buf 0 8 --format u8
	assert_output "$(printf '%s\n' 1 0 255 255 52 18 0 128)"
	run_zxmem vmo-read buf 0 8 --format u16
	assert_output "$(printf '%s\n' 1 65535 4660 32768)"
	run_zxmem vmo-read buf 0 8 --format u32
	assert_output "$(printf '%s\n' 4294901761 2147488308)"
	run_zxmem vmo-read buf 0 8 --format u64
	assert_output 9223392055697276929
}

@test "--format i8 i16 i32 i64 print one signed value per line" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --hex "01 00 ff ff 34 12 00 80"
	run_zxmem vmo-read buf 0 8 --format i8
	assert_output "$(printf '%s\n' 1 0 -1 -1 52 18 0 -128)"
	run_zxmem vmo-read buf 0 8 --format i16
	assert_output "$(printf '%s\n' 1 -1 4660 -32768)"
	run_zxmem vmo-read buf 0 8 --format i32
	assert_output -- "$(printf '%s\n' -65535 -2147478988)"
	run_zxmem vmo-read buf 0 8 --format i64
	assert_output -- -9223352018012274687
}

@test "--format f32 f64 print one value per line" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --hex "00 00 c0 3f 00 00 00 c0"
	run_zxmem vmo-write buf 8 --hex "00 00 00 00 00 00 f8 3f 00 00 00 00 00 00 d0 bf"
	run_zxmem vmo-read buf 0 8 --format f32
	[ "${#lines[@]}" -eq 2 ]
	python3 -c 'import sys; assert [float(x) for x in sys.argv[1:]] == [1.5, -2.0], sys.argv' "${lines[@]}"
	run_zxmem vmo-read buf 8 16 --format f64
	[ "${#lines[@]}" -eq 2 ]
	python3 -c 'import sys; assert [float(x) for x in sys.argv[1:]] == [1.5, -0.25], sys.argv' "${lines[@]}"
}

# Digit for digit: vmo-read formats floats without printf (fmtfloat.c), and
# its text must stay printf's %.17g (f64) and %.9g (f32 widened to double).
# python3's % formatting rounds exactly, ties to even, as glibc does. The
# values: ties (1048576.125f is 1048576.12, 1048576.375f 1048576.38), values
# whose 17th digit long double alone gets wrong (the first four f64),
# subnormals, the ends of the range, either side of where %g changes style
# (1e-5, 1e-4, 1e16, 1e17), carries into a new power of ten, random bits.
@test "--format f32/f64 print printf's %.9g/%.17g digit for digit" {
	python3 - "$BATS_TEST_TMPDIR" <<'EOF'
import math, random, struct, sys
d = sys.argv[1]
def glibc(v, p):
    if math.isnan(v):
        return "-nan" if math.copysign(1, v) < 0 else "nan"
    return "%.*g" % (p, v)
def bits(v):
    return struct.unpack("<Q", struct.pack("<d", v))[0]
f64 = [0x05d37e3b2f094e7f, 0xb1091969064a88ef, 0x7df8f242b8d763df, 0x705add7eda6e4dfc,
       0x0000000000000001, 0x000fffffffffffff, 0x0010000000000000, 0x7fefffffffffffff,
       0x8000000000000000, 0x7ff0000000000000, 0xfff0000000000000, 0x7ff8000000000000,
       0xfff8000000000000, 0x0000000000001234, 0x3fe0000000000000, 0x4004000000000000]
vals = [1e-5, 1e-4, 9.9999999999999995e-5, 1e16, 1e17, 1e15, 1e22, 1e23, 0.1, 1 / 3,
        2.0 ** 53, 2.0 ** 63, 2.0 ** 64, 999999999999999.9, 123456789012345678.0,
        99999999999999999.0, 1e308, 1e-308, 1e-310, 4.9406564584124654e-324]
for v in vals:
    f64 += [bits(v) + k for k in (-2, -1, 0, 1, 2) if 0 <= bits(v) + k < 0x7ff0000000000000]
rnd = random.Random(9)
f64 += [rnd.getrandbits(64) for _ in range(24)]
f32 = [0x49800001, 0x49800003, 0x4afffffe, 0x4b7fffff, 0x7f7fffff, 0x00800000,
       0x00000001, 0x007fffff, 0x80000000, 0x3727c5ac, 0x38d1b717, 0x3dcccccd,
       0x4e6e6b28, 0x4e6e6b27, 0x3f800001, 0x4f800000, 0x7fc00000, 0xffc00000,
       0x7f800000, 0xff800000, 0x47c34ffe, 0x461c3ffe]
f32 += [rnd.getrandbits(32) for _ in range(24)]
for name, pats, fmt, prec in (("f64", f64, "<Q", 17), ("f32", f32, "<I", 9)):
    raw = b"".join(struct.pack(fmt, b) for b in pats)
    text = [glibc(v, prec) for (v,) in struct.iter_unpack("<d" if prec == 17 else "<f", raw)]
    if name == "f32":
        assert "1048576.12" in text and "1048576.38" in text, text
    js = ["null" if ("nan" in t or "inf" in t) else t for t in text]
    open(d + "/" + name + ".hex", "w").write(raw.hex())
    open(d + "/" + name + ".n", "w").write(str(len(raw)))
    open(d + "/" + name + ".txt", "w").write("\n".join(text))
    open(d + "/" + name + ".json", "w").write('"values":[' + ",".join(js) + "]")
EOF
	local f n
	run_zxmem vmo-create 4096 --name buf
	for f in f64 f32; do
		n=$(cat "$BATS_TEST_TMPDIR/$f.n")
		run_zxmem vmo-write buf 0 --hex "$(cat "$BATS_TEST_TMPDIR/$f.hex")"
		run_zxmem vmo-read buf 0 "$n" --format "$f"
		assert_output "$(cat "$BATS_TEST_TMPDIR/$f.txt")"
		# -j prints the same numbers, and null for a NaN or an infinity
		run_zxmem -j vmo-read buf 0 "$n" --format "$f"
		assert_output --partial "$(cat "$BATS_TEST_TMPDIR/$f.json")"
	done
}

@test "an unknown --format is a usage error naming --format" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -64 vmo-read buf 0 16 --format octal
	assert_names --format
	refute_output
	run_zxmem -64 vmo-read buf 0 16 --format ''
	assert_names --format
}

# ---------------------------------------------------------------- vmo-set-size

@test "vmo-set-size grows and shrinks; past SIZE reads as zeros" {
	run_zxmem vmo-create 100 --resizable --name r
	run_zxmem vmo-write r 0 --hex 0102030405060708
	run_zxmem vmo-set-size r 5
	assert_size r 4096
	assert_bytes r 0 0102030405000000
	run_zxmem vmo-set-size r 3G
	assert_size r 3221225472
	assert_bytes r 0 0102030405000000
	run_zxmem vmo-write r 3221225400 --hex ff
	run_zxmem vmo-set-size r 1
	assert_size r 4096
	assert_bytes r 0 0100
	run_zxmem object-info r
	assert_line "content_size 1"
}

@test "vmo-set-size on an uncached VMO keeps the tail: ZeroRange's failure is ignored (ZIRCON §5)" {
	# Zircon's SetSize zeroes [SIZE, page end) through the write path,
	# which an uncached VMO refuses; it drops that status and succeeds.
	local p
	for p in cached uncached; do
		run_zxmem vmo-create 8192 --resizable --name $p || return 1
		run_zxmem vmo-write $p 0 --hex ff --repeat 8192 || return 1
		run_zxmem vmo-set-cache-policy $p $p || return 1
		run_zxmem vmo-set-size $p 100 || return 1
		assert_size $p 4096 || return 1
		run_zxmem object-info $p || return 1
		assert_line "content_size 100" || return 1
		run_zxmem vmo-set-cache-policy $p cached || return 1
	done
	assert_bytes cached 96 ffffffff00000000
	assert_bytes uncached 96 ffffffffffffffff
	assert_bytes uncached 4088 ffffffffffffffff
	# growing again: the pages past the old end read as zeros either way
	run_zxmem vmo-set-cache-policy uncached uncached
	run_zxmem vmo-set-size uncached 8192
	run_zxmem vmo-set-cache-policy uncached cached
	assert_bytes uncached 4096 0000
}

@test "vmo-set-size errors follow Zircon's order" {
	run_zxmem vmo-create 4096 --name fixed
	# Not resizable: UNAVAILABLE, except a size whose rounding overflows.
	run_zxmem -28 vmo-set-size fixed 8192
	assert_zx_error ZX_ERR_UNAVAILABLE
	run_zxmem -14 vmo-set-size fixed 0xFFFFFFFFFFFFF001
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem vmo-create 4096 --resizable --name rz
	run_zxmem -14 vmo-set-size rz 0xFFFFFFFFFFFE1000
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem -14 vmo-set-size rz 0x8000000000000000
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	[[ "$stderr" == *Linux* ]] || fail "$stderr"
	# WRITE first, then RESIZE (only because the VMO is resizable).
	run_zxmem handle-duplicate rz --rights read,resize --name nowrite
	run_zxmem -30 vmo-set-size nowrite 8192
	[[ "$stderr" == *WRITE* ]] || fail "$stderr"
	run_zxmem handle-duplicate rz --rights read,write --name noresize
	run_zxmem -30 vmo-set-size noresize 8192
	[[ "$stderr" == *RESIZE* ]] || fail "$stderr"
	run_zxmem -11 vmo-set-size nope 8192
	assert_zx_error ZX_ERR_BAD_HANDLE
	# A shared-memory file has WRITE and is not resizable; a disk file
	# has no WRITE at all.
	local shm=/dev/shm/zxmem-test.$BATS_ROOT_PID.$RANDOM
	printf abc >"$shm"
	run_zxmem -28 vmo-set-size "$shm" 8192
	rm -f "$shm"
	assert_zx_error ZX_ERR_UNAVAILABLE
	printf abc >"$BATS_TEST_TMPDIR/file"
	run_zxmem -30 vmo-set-size "$BATS_TEST_TMPDIR/file" 8192
	assert_zx_error ZX_ERR_ACCESS_DENIED
	assert_size rz 4096
}

# ------------------------------------------------------- vmo-set-cache-policy

@test "an uncached VMO refuses reads and writes until it is cached again" {
	run_zxmem vmo-create 4096 --name c
	run_zxmem vmo-set-cache-policy c uncached
	run_zxmem -20 vmo-read c 0 1
	assert_zx_error ZX_ERR_BAD_STATE
	run_zxmem -20 vmo-write c 0 x
	assert_zx_error ZX_ERR_BAD_STATE
	run_zxmem object-info c
	assert_line "cache_policy uncached"
	run_zxmem vmo-set-cache-policy c write-combining
	run_zxmem vmo-set-cache-policy c cached
	run_zxmem vmo-write c 0 x
}

# ZIRCON.md §2(a): rights (3), then offset + len wrapping (4), then the
# cache policy (5), then the range (6), each checked before the next.
@test "vmo-read/vmo-write checks combine in Zircon's order: rights, wrap, cache policy, range" {
	run_zxmem vmo-create 4096 --name c
	run_zxmem vmo-write c 0 --hex 5a
	run_zxmem handle-duplicate c --rights read,map --name ro
	run_zxmem handle-duplicate c --rights write,map --name wo
	# A missing right beats a range past the end, and a wrapping one.
	run_zxmem -30 vmo-write ro 8192 x
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -30 vmo-write ro 0xffffffffffffffff xy
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem -30 vmo-read wo 8192 4
	assert_zx_error ZX_ERR_ACCESS_DENIED
	run_zxmem vmo-set-cache-policy c uncached
	# ... and beats the cache policy.
	run_zxmem -30 vmo-write ro 0 x
	assert_zx_error ZX_ERR_ACCESS_DENIED
	# The cache policy beats a range past the end ...
	run_zxmem -20 vmo-read c 8192 4
	assert_zx_error ZX_ERR_BAD_STATE
	run_zxmem -20 vmo-write c 4096 x
	assert_zx_error ZX_ERR_BAD_STATE
	run_zxmem -20 vmo-read ro 4095 2
	assert_zx_error ZX_ERR_BAD_STATE
	# ... but not an offset + len that wraps ([NEW]).
	run_zxmem -14 vmo-write c 0xffffffffffffffff xy
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem vmo-set-cache-policy c cached
	run_zxmem -14 vmo-read c 4095 2
	assert_zx_error ZX_ERR_OUT_OF_RANGE
	run_zxmem vmo-read c 0 1 --format hex
	assert_output 5a
}

@test "vmo-set-cache-policy: bad policy first, then the MAP right, files, mappings" {
	run_zxmem -10 vmo-set-cache-policy nope 4
	assert_zx_error ZX_ERR_INVALID_ARGS
	run_zxmem -64 vmo-set-cache-policy nope fast
	[[ "$stderr" == *POLICY* ]] || fail "$stderr"
	run_zxmem -11 vmo-set-cache-policy nope uncached
	run_zxmem vmo-create 4096 --name m
	run_zxmem handle-duplicate m --rights read,write --name nomap
	run_zxmem -30 vmo-set-cache-policy nomap uncached
	[[ "$stderr" == *MAP* ]] || fail "$stderr"
	# A file as a VMO has READ and WRITE only (SPEC §3): no MAP.
	printf abc >"$BATS_TEST_TMPDIR/file"
	run_zxmem -30 vmo-set-cache-policy "$BATS_TEST_TMPDIR/file" uncached
	[[ "$stderr" == *MAP* ]] || fail "$stderr"
	# While a process maps the VMO, its policy cannot change.
	local holder
	holder=$(holders_named m)
	python3 -c '
import mmap, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
m = mmap.mmap(fd, 4096)
open(sys.argv[2], "w").close()
time.sleep(30)
' "/proc/$holder/fd/3" "$BATS_TEST_TMPDIR/mapped" 3>&- &
	TARGET_PIDS+=("$!")
	local i
	for i in $(seq 200); do
		[ -e "$BATS_TEST_TMPDIR/mapped" ] && break
		sleep 0.02
	done
	run_zxmem -20 vmo-set-cache-policy m uncached
	assert_zx_error ZX_ERR_BAD_STATE
	[[ "$stderr" == *mapped* ]] || fail "$stderr"
}

# ---------------------------------------------------------------- object-info

@test "object-info shows koid, rights, sizes, committed bytes and policy" {
	run_zxmem vmo-create 10000 --name o
	run_zxmem vmo-write o 4096 x
	run_zxmem object-info o
	local koid
	koid=$("$ZXMEM" handle-list 3>&- | awk '$1 == "o" { print $2 }')
	[ -n "$koid" ]
	assert_line "koid $koid"
	assert_line "type vmo"
	assert_line "rights $DEFAULT_RIGHTS"
	assert_line "size 12288"
	assert_line "content_size 10000"
	assert_line "committed_bytes 4096"
	assert_line "cache_policy cached"
	assert_line "parent_koid 0"
	assert_line "children 0"
	assert_line "mappings 0"
	assert_line "flags paged"
	run_zxmem -j object-info o
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/o.json"
	run python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
assert o["status"] == "ZX_OK" and o["size"] == 12288 and o["content_size"] == 10000, o
assert "inspect" in o["rights"] and o["cache_policy"] == "cached", o
' "$BATS_TEST_TMPDIR/o.json"
	assert_success
	# ZX_INFO_VMO needs no right at all (ZIRCON §9a).
	run_zxmem handle-duplicate o --rights none --name blind
	run_zxmem object-info blind
	assert_line "koid $koid"
	assert_line "rights none"
	assert_line "size 12288"
}

@test "object-info flags: resizable, discardable, cow-clone, immutable" {
	run_zxmem vmo-create 4096 --name r --resizable
	run_zxmem object-info r
	assert_line "flags paged,resizable"
	run_zxmem vmo-create 4096 --name d --discardable
	run_zxmem object-info d
	assert_line "flags paged,discardable"
	run_zxmem vmo-create-child r snapshot 0 4096 --name s
	run_zxmem object-info s
	assert_line "flags paged,cow-clone"
	run_zxmem vmo-create-child r snapshot,no-write 0 4096 --name i
	run_zxmem object-info i
	assert_line "flags paged,cow-clone,immutable"
}

@test "vmo-set-cache-policy names a policy over 32 bits as given" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem -10 vmo-set-cache-policy buf 0x100000000
	assert_zx_error ZX_ERR_INVALID_ARGS
	[[ "$stderr" == *0x100000000* ]] || fail "$stderr"
	[[ "$stderr" != *4294967295* ]] || fail "$stderr"
}
