#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-3.0-or-later
# Large data: reads of any size stream in bounded memory through every
# format and -o, the x and cstring formats, and a progress line on a
# terminal only.

load test_helper/common
load test_helper/process

PTYRUN="$BATS_TEST_DIRNAME/helpers/ptyrun.py"

# peak_rss_kib CMD...: run CMD with stdout to /dev/null; print its peak
# resident set in KiB (getrusage of the child); fail if CMD fails.
peak_rss_kib() {
	# ASan's quarantine holds freed blocks (strvisx mallocs per call):
	# the sanitizer's cost, not the read's.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1 \
	python3 - "$@" <<'PY'
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
if r.returncode != 0:
    sys.exit("%s: exit status %d" % (" ".join(sys.argv[1:]), r.returncode))
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
PY
}

# A file of N MiB of seeded pseudo-random bytes (no two 16-byte lines alike).
random_file() {
	python3 -c '
import random, sys
r = random.Random(9)
with open(sys.argv[1], "wb") as f:
    for _ in range(int(sys.argv[2])):
        f.write(r.randbytes(1 << 20))' "$1" "$2"
}

# Peak memory a read may use whatever SIZE is: a few MiB of buffers over
# what zxmem needs to start (measured, so a sanitizer build's own cost is
# not counted against the read).
rss_limit() {
	local base
	base=$(peak_rss_kib "$ZXMEM" vmo-read big 0 16) || return 1
	echo $((base + 24 * 1024))
}

@test "vmo-read of 64 MiB stays in bounded memory in every format and with -o" {
	random_file "$BATS_TEST_TMPDIR/data" 64
	run_zxmem vmo-create 64M --name big
	run_zxmem vmo-write big 0 --file "$BATS_TEST_TMPDIR/data"
	local limit f rss
	limit=$(rss_limit)
	for f in hexdump raw hex string cstring u8 u64 i32 f64 x8 x64; do
		rss=$(peak_rss_kib "$ZXMEM" vmo-read big 0 64M --format "$f") || return 1
		[ "$rss" -lt "$limit" ] || fail "--format $f: peak RSS $rss KiB, limit $limit KiB"
	done
	rss=$(peak_rss_kib "$ZXMEM" vmo-read big 0 64M -o "$BATS_TEST_TMPDIR/out") || return 1
	[ "$rss" -lt "$limit" ] || fail "-o: peak RSS $rss KiB, limit $limit KiB"
	cmp "$BATS_TEST_TMPDIR/data" "$BATS_TEST_TMPDIR/out"
}

@test "vmo-read's hexdump is hexdump -C's, squeezes across MiB pieces included" {
	# Repeated lines that run over a 1 MiB boundary, a lone line after,
	# and an odd end: the output must match hexdump -C byte for byte.
	random_file "$BATS_TEST_TMPDIR/r" 1
	{ head -c 1000000 "$BATS_TEST_TMPDIR/r"
	  head -c 100000 /dev/zero
	  printf 'tail of the data after the zeros, odd length'
	  head -c 1200000 /dev/zero
	  printf 'x'
	} >"$BATS_TEST_TMPDIR/data"
	local size
	size=$(stat -c %s "$BATS_TEST_TMPDIR/data")
	run_zxmem vmo-create 4M --name big
	run_zxmem vmo-write big 0 --file "$BATS_TEST_TMPDIR/data"
	hexdump -C "$BATS_TEST_TMPDIR/data" >"$BATS_TEST_TMPDIR/want"
	"$ZXMEM" vmo-read big 0 "$size" >"$BATS_TEST_TMPDIR/got" 3>&-
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	# An offset past 32 bits gets more digits, as hexdump's do.
	run_zxmem vmo-create 0x100002000 --name wide
	run_zxmem vmo-write wide 0x100000ff0 --hex 41
	run_zxmem vmo-read wide 0x100000ff0 17
	assert_output $'100000ff0  41 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |A...............|\n100001000  00                                                |.|\n100001001'
}

@test "-o writes exactly the bytes read, at any offset" {
	random_file "$BATS_TEST_TMPDIR/data" 3
	run_zxmem vmo-create 4M --name big
	run_zxmem vmo-write big 4096 --file "$BATS_TEST_TMPDIR/data"
	run_zxmem vmo-read big 5000 2500000 -o "$BATS_TEST_TMPDIR/out"
	refute_output
	tail -c +905 "$BATS_TEST_TMPDIR/data" | head -c 2500000 >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/out"
	# Through a pipe (no kernel copy into it): the same bytes.
	run bash -c '"$ZXMEM" vmo-read big 5000 2500000 -o /dev/stdout 3>&- | cmp - "$1"' _ "$BATS_TEST_TMPDIR/want"
	assert_success
}

@test "x8 x16 x32 x64 print one 0x value per line, zero-padded to the width" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --hex "01 02 03 04 05 06 07 08 ff"
	run_zxmem vmo-read buf 0 2 --format x8
	assert_output $'0x01\n0x02'
	run_zxmem vmo-read buf 0 4 --format x16
	assert_output $'0x0201\n0x0403'
	run_zxmem vmo-read buf 0 8 --format x32
	assert_output $'0x04030201\n0x08070605'
	run_zxmem vmo-read buf 1 8 --format x64
	assert_output 0xff08070605040302
	run_zxmem -j vmo-read buf 0 8 --format x64
	[[ "$output" == *'"values":[578437695752307201]'* ]] || fail "$output"
}

@test "vmo-read of a size that is no whole number of values says so, as process-read-memory does" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 --u32 7,9 --repeat 1
	run_zxmem vmo-read buf 0 5 --format u32
	assert_output 7
	assert_equal "$stderr" "zxmem: vmo-read: 1 trailing bytes do not make a whole u32"
	run_zxmem vmo-read buf 0 8 --format u32
	assert_output $'7\n9'
	assert_equal "$stderr" ""
}

@test "--format string escapes a large read in pieces; a NUL's escape sees the next byte" {
	# The issue: a large read printed one empty line (strvisx failed
	# unchecked). 2 MiB of bytes, a NUL before a digit at a piece's end
	# (4 KiB) and at the 1 MiB read boundary.
	run_zxmem vmo-create 4M --name big
	run_zxmem vmo-write big 0 --string 'ab\t' --repeat 700K
	run_zxmem vmo-write big 4095 --hex 0031
	run_zxmem vmo-write big 1048575 --hex 0037
	run_zxmem vmo-write big 8191 --hex 0041
	run bash -c '"$ZXMEM" vmo-read big 0 2M --format string 3>&- | cksum'
	# The same escapes as one strvisx call over the whole range (vis -c
	# -o semantics): computed here by Python.
	"$ZXMEM" vmo-read big 0 2M -o "$BATS_TEST_TMPDIR/raw" 3>&-
	python3 - "$BATS_TEST_TMPDIR/raw" >"$BATS_TEST_TMPDIR/want" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
out = []
named = {0x09: "\\t", 0x0a: "\\n", 0x5c: "\\\\"}
for i, c in enumerate(b):
    nxt = b[i + 1] if i + 1 < len(b) else 0
    if c == 0:
        out.append("\\000" if 0x30 <= nxt <= 0x37 else "\\0")
    elif c in named:
        out.append(named[c])
    elif 0x20 <= c <= 0x7e:
        out.append(chr(c))
    else:
        sys.exit("byte %#x: not in this test's table" % c)
sys.stdout.write("".join(out) + "\n")
PY
	"$ZXMEM" vmo-read big 0 2M --format string >"$BATS_TEST_TMPDIR/got" 3>&-
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/got")" -gt 2000000 ]
}

@test "--format string of every byte value is one strvisx call's escapes over the whole range" {
	# Escapes are copied per byte (printable runs as they are): the text
	# must be what libbsd's strvisx gives for the whole range at once, in
	# the C locale (zxmem's), NULs before octal digits included.
	python3 -c '
import random, sys
r = random.Random(3)
b = bytearray(r.randbytes(1 << 20))
for i in range(0, len(b), 97): b[i] = 0
for i in range(1, len(b), 193): b[i] = 0x35
sys.stdout.buffer.write(bytes(b) + bytes(range(256)) * 64 + b"plain text " * 50000 + b"\0")' >"$BATS_TEST_TMPDIR/data"
	local size
	size=$(stat -c %s "$BATS_TEST_TMPDIR/data")
	run_zxmem vmo-create 2M --name buf
	run_zxmem vmo-write buf 0 --file "$BATS_TEST_TMPDIR/data"
	"$ZXMEM" vmo-read buf 0 "$size" --format string >"$BATS_TEST_TMPDIR/got" 3>&-
	python3 - "$BATS_TEST_TMPDIR/data" "$BATS_TEST_TMPDIR/got" <<'PY'
import ctypes, locale, sys
locale.setlocale(locale.LC_ALL, "C")
lib = ctypes.CDLL("libbsd.so.0")
src = open(sys.argv[1], "rb").read()
dst = ctypes.create_string_buffer(4 * len(src) + 1)
# VIS_CSTYLE | VIS_OCTAL | VIS_NL | VIS_TAB
n = lib.strvisx(dst, src, ctypes.c_size_t(len(src)), 0x1b)
want = dst.raw[:n] + b"\n"
got = open(sys.argv[2], "rb").read()
if got != want:
    i = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), min(len(got), len(want)))
    sys.exit("differs at %d: got %r, want %r" % (i, got[i:i + 20], want[i:i + 20]))
PY
}

@test "--format cstring stops at the first NUL" {
	run_zxmem vmo-create 4096 --name buf
	run_zxmem vmo-write buf 0 'name\ttab\0after'
	run_zxmem vmo-read buf 0 64 --format cstring
	assert_output 'name\ttab'
	run_zxmem vmo-read buf 9 5 --format cstring
	assert_output after
	run_zxmem vmo-read buf 8 1 --format cstring
	assert_output ""
}

@test "a long transfer shows a progress line on a terminal, never under -q, -j or in a batch" {
	command -v strace >/dev/null || fail "strace is needed (Debian package strace)"
	run_zxmem vmo-create 256M --name big
	# Each 64 MiB kernel copy is held 0.5 s, so the transfer lasts over
	# a second whatever the machine's speed.
	local slow=(strace -o /dev/null -e inject=copy_file_range,sendfile:delay_exit=500000)
	# LeakSanitizer cannot run under ptrace.
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	run python3 "$PTYRUN" -- "${slow[@]}" "$ZXMEM" vmo-read big 0 256M -o "$BATS_TEST_TMPDIR/out"
	assert_success
	[[ "$output" =~ zxmem:\ vmo-read:\ [0-9]+\ of\ 256\ MiB\ \([0-9]+%\) ]] || fail "$output"
	run python3 "$PTYRUN" -- "${slow[@]}" "$ZXMEM" -q vmo-read big 0 256M -o "$BATS_TEST_TMPDIR/out"
	assert_success
	refute_output --partial MiB
	run python3 "$PTYRUN" -- "${slow[@]}" "$ZXMEM" -j vmo-read big 0 256M -o "$BATS_TEST_TMPDIR/out"
	assert_success
	refute_output --partial "of 256 MiB"
	# A batch's output is a script's, even on a terminal.
	echo "vmo-read big 0 256M -o $BATS_TEST_TMPDIR/out" >"$BATS_TEST_TMPDIR/b.zx"
	run python3 "$PTYRUN" -- "${slow[@]}" "$ZXMEM" batch "$BATS_TEST_TMPDIR/b.zx"
	assert_success
	refute_output --partial "of 256 MiB"
	# stderr not a terminal: no progress either.
	run --separate-stderr "${slow[@]}" "$ZXMEM" vmo-read big 0 256M -o "$BATS_TEST_TMPDIR/out"
	assert_success
	assert_equal "$stderr" ""
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/out")" -eq $((256 << 20)) ]
}

# ------------------------------------------- process memory, writes, JSON

# The 64 MiB at the target's big, filled from FILE (random bytes) with the
# gate on; the target's own sum of its bytes must be the file's.
fill_big() {
	local want
	want=$(python3 -c 'import sys; print(sum(open(sys.argv[1], "rb").read()))' "$1")
	run_zxmem -k "$GATE_ON" process-write-memory "$TPID" "$T_big" --file "$1"
	assert_output 67108864
	target_report
	assert_equal "$R_big_sum" "$want"
}

@test "process-read-memory of 64 MiB streams: -o gives exactly the bytes, every format in bounded memory" {
	random_file "$BATS_TEST_TMPDIR/data" 64
	run_zxmem vmo-create 4096 --name big     # rss_limit's baseline
	spawn_target
	fill_big "$BATS_TEST_TMPDIR/data"
	local limit f rss
	limit=$(rss_limit)
	rss=$(peak_rss_kib "$ZXMEM" process-read-memory "$TPID" "$T_big" 64M -o "$BATS_TEST_TMPDIR/out") || return 1
	cmp "$BATS_TEST_TMPDIR/data" "$BATS_TEST_TMPDIR/out"
	[ "$rss" -lt "$limit" ] || fail "-o: peak RSS $rss KiB, limit $limit KiB"
	for f in hexdump raw hex u32 x64; do
		rss=$(peak_rss_kib "$ZXMEM" process-read-memory "$TPID" "$T_big" 64M --format "$f") || return 1
		[ "$rss" -lt "$limit" ] || fail "--format $f: peak RSS $rss KiB, limit $limit KiB"
	done
	# The raw bytes on stdout, and a hexdump, are the file's too.
	"$ZXMEM" process-read-memory "$TPID" "$T_big" 64M --format raw 3>&- | cmp - "$BATS_TEST_TMPDIR/data"
	"$ZXMEM" process-read-memory "$TPID" "$T_big" 3M 3>&- >"$BATS_TEST_TMPDIR/got"
	head -c 3M "$BATS_TEST_TMPDIR/data" | hexdump -C | python3 -c '
import sys
base = int(sys.argv[1], 16)
for line in sys.stdin:
    off, sep, rest = line.rstrip("\n").partition("  ")
    print("%08x%s%s" % (int(off, 16) + base, sep, rest))' "$T_big" >"$BATS_TEST_TMPDIR/want"
	cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
}

@test "process-read-memory streams a short read: the bytes up to the mapping's end, and the note unchanged" {
	# big is 64 MiB + a page in a mapping of its own: 4 MiB asked from a
	# page before its end gives that page, in every output.
	spawn_target
	local at
	at=$(hexaddr "T_big + 64 * 1024 * 1024")
	run_zxmem -k "$GATE_ON" process-write-memory "$TPID" "$at" --hex 7e --repeat 4096
	run_zxmem process-read-memory "$TPID" "$at" 4M -o "$BATS_TEST_TMPDIR/out"
	[[ "$stderr" == *"short read: 4096 of 4194304 bytes"* ]] || fail "$stderr"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/out")" -eq 4096 ]
	head -c 4096 /dev/zero | tr '\0' '~' | cmp - "$BATS_TEST_TMPDIR/out"
	run_zxmem process-read-memory "$TPID" "$at" 4M --format hex
	assert_output "$(printf '7e%.0s' $(seq 4096))"
	[[ "$stderr" == *"short read: 4096 of 4194304 bytes"* ]] || fail "$stderr"
	run_zxmem -j process-read-memory "$TPID" "$at" 4M
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/j"
	json_check "$BATS_TEST_TMPDIR/j" 'j["status"] == "ZX_OK" and j["size"] == 4194304 and j["actual"] == 4096 and j["data_hex"] == "7e" * 4096'
}

@test "process-read-memory of a core's 64 MiB: -o is copied by the kernel from the core file and equals the bytes" {
	command -v gcore >/dev/null || fail "gcore (gdb) is needed"
	command -v strace >/dev/null || fail "strace is needed (Debian package strace)"
	random_file "$BATS_TEST_TMPDIR/data" 64
	spawn_target
	fill_big "$BATS_TEST_TMPDIR/data"
	timeout 60 gcore -o "$BATS_TEST_TMPDIR/core" "$TPID" >/dev/null 2>&1 3>&-
	local core=$BATS_TEST_TMPDIR/core.$TPID limit rss
	kill -KILL "$TPID"
	run_zxmem vmo-create 4096 --name big     # rss_limit's baseline
	limit=$(rss_limit)
	rss=$(peak_rss_kib "$ZXMEM" process-read-memory "$core" "$T_big" 64M -o "$BATS_TEST_TMPDIR/out") || return 1
	cmp "$BATS_TEST_TMPDIR/data" "$BATS_TEST_TMPDIR/out"
	[ "$rss" -lt "$limit" ] || fail "-o: peak RSS $rss KiB, limit $limit KiB"
	# The kernel moved the bytes (copy_file_range from the core), not
	# a buffer of zxmem's; LeakSanitizer cannot run under ptrace.
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -o "$BATS_TEST_TMPDIR/trace" -e trace=copy_file_range,sendfile \
	    "$ZXMEM" process-read-memory "$core" "$T_big" 64M -o "$BATS_TEST_TMPDIR/out2" 3>&-
	cmp "$BATS_TEST_TMPDIR/data" "$BATS_TEST_TMPDIR/out2"
	grep -Eq '^(copy_file_range|sendfile)\(.*= [1-9][0-9]*$' "$BATS_TEST_TMPDIR/trace" ||
		fail "no kernel copy: $(cat "$BATS_TEST_TMPDIR/trace")"
	# A hexdump of the core's bytes streams in bounded memory too.
	rss=$(peak_rss_kib "$ZXMEM" process-read-memory "$core" "$T_big" 64M) || return 1
	[ "$rss" -lt "$limit" ] || fail "hexdump: peak RSS $rss KiB, limit $limit KiB"
}

@test "vmo-write --repeat 256M and a 128 MiB --file stay in bounded memory, and the bytes land" {
	run_zxmem vmo-create 256M --name big
	local limit rss
	limit=$(rss_limit)
	rss=$(peak_rss_kib "$ZXMEM" vmo-write big 0 --hex 5a --repeat 256M) || return 1
	[ "$rss" -lt "$limit" ] || fail "--repeat: peak RSS $rss KiB, limit $limit KiB"
	"$ZXMEM" vmo-read big 0 256M -o "$BATS_TEST_TMPDIR/out" 3>&-
	head -c 256M /dev/zero | tr '\0' Z | cmp - "$BATS_TEST_TMPDIR/out"
	random_file "$BATS_TEST_TMPDIR/data" 128
	rss=$(peak_rss_kib "$ZXMEM" vmo-write big 3 --file "$BATS_TEST_TMPDIR/data") || return 1
	[ "$rss" -lt "$limit" ] || fail "--file: peak RSS $rss KiB, limit $limit KiB"
	"$ZXMEM" vmo-read big 3 128M -o "$BATS_TEST_TMPDIR/out" 3>&-
	cmp "$BATS_TEST_TMPDIR/data" "$BATS_TEST_TMPDIR/out"
	# A file repeated: each copy whole and in phase.
	head -c 1000003 "$BATS_TEST_TMPDIR/data" >"$BATS_TEST_TMPDIR/odd"
	run_zxmem vmo-write big 7 --file "$BATS_TEST_TMPDIR/odd" --repeat 5
	"$ZXMEM" vmo-read big 7 5000015 -o "$BATS_TEST_TMPDIR/out" 3>&-
	cat "$BATS_TEST_TMPDIR/odd" "$BATS_TEST_TMPDIR/odd" "$BATS_TEST_TMPDIR/odd" \
	    "$BATS_TEST_TMPDIR/odd" "$BATS_TEST_TMPDIR/odd" | cmp - "$BATS_TEST_TMPDIR/out"
}

@test "a streamed --file write that is refused changes no byte" {
	random_file "$BATS_TEST_TMPDIR/data" 3
	run_zxmem vmo-create 4M --name big
	run_zxmem vmo-write big 0 --hex a5 --repeat 4M
	# Past the end by one byte, and through a handle without WRITE.
	run_zxmem -14 vmo-write big 1048577 --file "$BATS_TEST_TMPDIR/data"
	[[ "$stderr" == *ZX_ERR_OUT_OF_RANGE* ]] || fail "$stderr"
	run_zxmem handle-duplicate big --rights read,map --name ro
	run_zxmem -30 vmo-write ro 0 --file "$BATS_TEST_TMPDIR/data"
	assert_zx_error ZX_ERR_ACCESS_DENIED
	"$ZXMEM" vmo-read big 0 4M -o "$BATS_TEST_TMPDIR/now" 3>&-
	head -c 4M /dev/zero | tr '\0' '\245' | cmp - "$BATS_TEST_TMPDIR/now"
	# What fits is written whole.
	run_zxmem vmo-write big 1048576 --file "$BATS_TEST_TMPDIR/data"
	"$ZXMEM" vmo-read big 1048576 3M -o "$BATS_TEST_TMPDIR/out" 3>&-
	cmp "$BATS_TEST_TMPDIR/data" "$BATS_TEST_TMPDIR/out"
}

@test "DATA from a pipe is gathered in an unlinked temporary file: bounded memory, the bytes land, a refused write changes none" {
	random_file "$BATS_TEST_TMPDIR/data" 48
	mkdir "$BATS_TEST_TMPDIR/tmp"
	run_zxmem vmo-create 64M --name big
	local limit rss
	limit=$(rss_limit)
	export DATA="$BATS_TEST_TMPDIR/data"
	rss=$(TMPDIR="$BATS_TEST_TMPDIR/tmp" peak_rss_kib sh -c \
	    'cat "$DATA" | "$ZXMEM" vmo-write big 5 - 3>&-') || return 1
	[ "$rss" -lt "$limit" ] || fail "pipe: peak RSS $rss KiB, limit $limit KiB"
	"$ZXMEM" vmo-read big 5 48M -o "$BATS_TEST_TMPDIR/out" 3>&-
	cmp "$DATA" "$BATS_TEST_TMPDIR/out"
	# The file was never linked: nothing is left behind.
	run ls -A "$BATS_TEST_TMPDIR/tmp"
	assert_output ""
	# One byte too many for the VMO: the Zircon status, and no byte
	# of the 48 MiB is written.
	run_zxmem vmo-write big 0 --hex 00 --repeat 64M
	# 64 MiB - 48 MiB + 1
	run bash -c 'cat "$DATA" | "$ZXMEM" vmo-write big 16777217 - 3>&-'
	[ "$status" -eq 14 ] || fail "status $status: $output"
	[[ "$output" == *ZX_ERR_OUT_OF_RANGE* ]] || fail "$output"
	"$ZXMEM" vmo-read big 0 64M -o "$BATS_TEST_TMPDIR/now" 3>&-
	cmp "$BATS_TEST_TMPDIR/now" <(head -c 64M /dev/zero)
	# Where no temporary file can be made: a usage error that says so.
	run bash -c 'head -c 2M "$DATA" | TMPDIR=/nonexistent "$ZXMEM" vmo-write big 0 - 3>&-'
	[ "$status" -eq 64 ] || fail "status $status: $output"
	[[ "$output" == *"DATA: cannot keep '-' in a temporary file in /nonexistent: No such file or directory"* ]] || fail "$output"
	# A disk that fills while it is gathered (the first write to the
	# temporary file fails): nothing is written.
	run bash -c 'head -c 2M "$DATA" | ASAN_OPTIONS=detect_leaks=0 strace -o /dev/null \
	    -e trace=write -e inject=write:error=ENOSPC:when=1 "$ZXMEM" vmo-write big 0 - 3>&-'
	[ "$status" -eq 64 ] || fail "status $status: $output"
	[[ "$output" == *"No space left on device"* ]] || fail "$output"
	"$ZXMEM" vmo-read big 0 64M -o "$BATS_TEST_TMPDIR/now" 3>&-
	cmp "$BATS_TEST_TMPDIR/now" <(head -c 64M /dev/zero)
}

@test "- on standard input from a regular file starts at its position and takes the rest, as a read would" {
	printf 'ABCDEFGH' >"$BATS_TEST_TMPDIR/in"
	run_zxmem vmo-create 4096 --name v
	# dd reads exactly 3 bytes; zxmem takes the 5 after them; cat then
	# finds the file read to its end.
	run bash -c '{ dd bs=3 count=1 status=none of=/dev/null; "$ZXMEM" vmo-write v 100 - 3>&-; cat; } <"$1"' _ "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output ""
	run_zxmem vmo-read v 99 7 --format hex
	assert_output 00444546474800
	# What is left past the VMO's end is refused whole.
	run bash -c '{ dd bs=3 count=1 status=none of=/dev/null; "$ZXMEM" vmo-write v 4092 - 3>&-; } <"$1"' _ "$BATS_TEST_TMPDIR/in"
	[ "$status" -eq 14 ] || fail "status $status: $output"
	run_zxmem vmo-read v 4091 5 --format hex
	assert_output 0000000000
}

@test "--hexdump of 48 MiB through a pipe round-trips in bounded memory" {
	random_file "$BATS_TEST_TMPDIR/data" 48
	run_zxmem vmo-create 48M --name big
	local limit rss
	limit=$(rss_limit)
	run_zxmem vmo-write big 0 --file "$BATS_TEST_TMPDIR/data"
	"$ZXMEM" vmo-read big 0 48M >"$BATS_TEST_TMPDIR/dump" 3>&-
	run_zxmem vmo-write big 0 --hex 00 --repeat 48M
	export DUMP="$BATS_TEST_TMPDIR/dump"
	rss=$(peak_rss_kib sh -c 'cat "$DUMP" | "$ZXMEM" vmo-write big 0 --hexdump - 3>&-') || return 1
	[ "$rss" -lt "$limit" ] || fail "--hexdump: peak RSS $rss KiB, limit $limit KiB"
	"$ZXMEM" vmo-read big 0 48M -o "$BATS_TEST_TMPDIR/out" 3>&-
	cmp "$BATS_TEST_TMPDIR/data" "$BATS_TEST_TMPDIR/out"
}

@test "process-write-memory of 48 MiB from a pipe and from a file: bounded memory, and the target sees the bytes" {
	random_file "$BATS_TEST_TMPDIR/data" 48
	run_zxmem vmo-create 4096 --name big     # rss_limit's baseline
	enable_debugging
	spawn_target
	local limit rss
	limit=$(rss_limit)
	export DATA="$BATS_TEST_TMPDIR/data" T_big TPID
	rss=$(peak_rss_kib sh -c 'cat "$DATA" | "$ZXMEM" process-write-memory "$TPID" "$T_big" - 3>&-') || return 1
	[ "$rss" -lt "$limit" ] || fail "pipe: peak RSS $rss KiB, limit $limit KiB"
	"$ZXMEM" process-read-memory "$TPID" "$T_big" 48M -o "$BATS_TEST_TMPDIR/out" 3>&-
	cmp "$DATA" "$BATS_TEST_TMPDIR/out"
	tac "$DATA" >"$BATS_TEST_TMPDIR/data2"
	rss=$(peak_rss_kib "$ZXMEM" process-write-memory "$TPID" "$T_big" --file "$BATS_TEST_TMPDIR/data2") || return 1
	[ "$rss" -lt "$limit" ] || fail "--file: peak RSS $rss KiB, limit $limit KiB"
	"$ZXMEM" process-read-memory "$TPID" "$T_big" 48M -o "$BATS_TEST_TMPDIR/out" 3>&-
	cmp "$BATS_TEST_TMPDIR/data2" "$BATS_TEST_TMPDIR/out"
}

@test "-j vmo-read of 64 MiB streams data_hex: it parses, equals the bytes, in bounded memory" {
	random_file "$BATS_TEST_TMPDIR/data" 64
	run_zxmem vmo-create 64M --name big
	run_zxmem vmo-write big 0 --file "$BATS_TEST_TMPDIR/data"
	local limit rss
	limit=$(rss_limit)
	rss=$(peak_rss_kib "$ZXMEM" -j vmo-read big 0 64M) || return 1
	[ "$rss" -lt "$limit" ] || fail "-j: peak RSS $rss KiB, limit $limit KiB"
	rss=$(peak_rss_kib "$ZXMEM" -j vmo-read big 0 64M --format u32) || return 1
	[ "$rss" -lt "$limit" ] || fail "-j --format u32: peak RSS $rss KiB, limit $limit KiB"
	"$ZXMEM" -j vmo-read big 0 64M >"$BATS_TEST_TMPDIR/j" 3>&-
	python3 - "$BATS_TEST_TMPDIR/j" "$BATS_TEST_TMPDIR/data" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
data = open(sys.argv[2], "rb").read()
assert j["command"] == "vmo-read" and j["status"] == "ZX_OK", {k: j[k] for k in j if k != "data_hex"}
assert j["offset"] == 0 and j["size"] == len(data) and j["actual"] == len(data)
assert bytes.fromhex(j["data_hex"]) == data, "data_hex differs"
PY
}

@test "-j typed reads stream values and data_hex that agree, for a VMO and a process" {
	random_file "$BATS_TEST_TMPDIR/data" 3
	run_zxmem vmo-create 4M --name big
	run_zxmem vmo-write big 0 --file "$BATS_TEST_TMPDIR/data"
	"$ZXMEM" -j vmo-read big 1 3145724 --format i32 >"$BATS_TEST_TMPDIR/j" 3>&-
	spawn_target
	run_zxmem -k "$GATE_ON" process-write-memory "$TPID" "$T_big" --file "$BATS_TEST_TMPDIR/data"
	"$ZXMEM" -j process-read-memory "$TPID" "$T_big" 3M --format f64 >"$BATS_TEST_TMPDIR/p" 3>&-
	python3 - "$BATS_TEST_TMPDIR/j" "$BATS_TEST_TMPDIR/p" "$BATS_TEST_TMPDIR/data" <<'PY'
import json, math, struct, sys
data = open(sys.argv[3], "rb").read()
j = json.load(open(sys.argv[1]))
want = data[1:1 + 3145724]
assert j["status"] == "ZX_OK" and bytes.fromhex(j["data_hex"]) == want
assert j["values"] == [v for (v,) in struct.iter_unpack("<i", want)], "i32 values differ"
p = json.load(open(sys.argv[2]))
want = data[:3 << 20]
assert p["status"] == "ZX_OK" and p["actual"] == len(want)
assert bytes.fromhex(p["data_hex"]) == want
# Random bytes hold NaNs and infinities: JSON has no such numbers (null).
vals = [v for (v,) in struct.iter_unpack("<d", want)]
assert any(not math.isfinite(v) for v in vals)
for got, v in zip(p["values"], vals):
    assert (got is None) if not math.isfinite(v) else got == v, (got, v)
assert len(p["values"]) == len(vals)
PY
}

# preads_of CMD...: how many pread64 calls CMD makes (strace), so a fault
# can be staged at one of its last ones, the pieces of the transfer.
preads_of() {
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	strace -o "$BATS_TEST_TMPDIR/preads" -e trace=pread64 "$@" >/dev/null 3>&- || return 1
	grep -c '^pread64' "$BATS_TEST_TMPDIR/preads"
}

@test "-j: a read that fails after its first piece ends its one object with the error, after the bytes read" {
	command -v strace >/dev/null || fail "strace is needed (Debian package strace)"
	run_zxmem vmo-create 3M --name buf
	run_zxmem vmo-write buf 0 --hex 41 --repeat 3M
	# The last three preads are the three 1 MiB pieces: the second fails.
	local n
	n=$(preads_of "$ZXMEM" -j vmo-read buf 0 3M) || return 1
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	run --separate-stderr strace -o /dev/null -e trace=pread64 \
	    -e inject=pread64:error=EIO:when=$((n - 1)) "$ZXMEM" -j vmo-read buf 0 3M
	assert_equal "$status" 40
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/j"
	json_check "$BATS_TEST_TMPDIR/j" 'j["command"] == "vmo-read" and j["status"] == "ZX_ERR_IO" and j["code"] == -40 and "Input/output error" in j["message"] and j["size"] == 3145728 and j["actual"] == 1048576 and j["data_hex"] == "41" * 1048576'
	[ "$(wc -l <"$BATS_TEST_TMPDIR/j")" -le 1 ] || fail "more than one line"
}

@test "process-read-memory: a piece that fails after the first ends the read as a short read, with the note" {
	command -v strace >/dev/null || fail "strace is needed (Debian package strace)"
	spawn_target
	run_zxmem -k "$GATE_ON" process-write-memory "$TPID" "$T_big" --hex 42 --repeat 3M
	local n
	n=$(preads_of "$ZXMEM" process-read-memory "$TPID" "$T_big" 3M -o "$BATS_TEST_TMPDIR/out") || return 1
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
	run --separate-stderr strace -o /dev/null -e trace=pread64 \
	    -e inject=pread64:error=EIO:when=$((n - 1)) \
	    "$ZXMEM" process-read-memory "$TPID" "$T_big" 3M -o "$BATS_TEST_TMPDIR/out"
	assert_success
	[[ "$stderr" == *"short read: 1048576 of 3145728 bytes (the mapping "*" could be read only up to $(hexaddr "T_big + 1048576"))"* ]] || fail "$stderr"
	head -c 1M /dev/zero | tr '\0' B | cmp - "$BATS_TEST_TMPDIR/out"
	n=$(preads_of "$ZXMEM" -j process-read-memory "$TPID" "$T_big" 3M) || return 1
	run --separate-stderr strace -o /dev/null -e trace=pread64 \
	    -e inject=pread64:error=EIO:when=$((n - 1)) \
	    "$ZXMEM" -j process-read-memory "$TPID" "$T_big" 3M
	assert_success
	printf '%s' "$output" >"$BATS_TEST_TMPDIR/j"
	json_check "$BATS_TEST_TMPDIR/j" 'j["status"] == "ZX_OK" and j["actual"] == 1048576 and j["data_hex"] == "42" * 1048576'
}

# ------------------------------------------------------------------ DATA

@test "--hexdump writes back what vmo-read's hexdump printed (round trip, squeezed lines included)" {
	run_zxmem vmo-create 8192 --name src
	run_zxmem vmo-write src 3 'dump me\0\1\2 and back'
	run_zxmem vmo-write src 1000 --hex ff --repeat 300
	"$ZXMEM" vmo-read src 0 1400 >"$BATS_TEST_TMPDIR/dump" 3>&-
	grep -qx '\*' "$BATS_TEST_TMPDIR/dump"
	run_zxmem vmo-create 8192 --name dst
	run_zxmem vmo-write dst 4096 --hexdump "$BATS_TEST_TMPDIR/dump"
	"$ZXMEM" vmo-read src 0 1400 -o "$BATS_TEST_TMPDIR/a" 3>&-
	"$ZXMEM" vmo-read dst 4096 1400 -o "$BATS_TEST_TMPDIR/b" 3>&-
	cmp "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	# hexdump -C's own output, edited, from stdin: the ASCII column is
	# not read, only the hex bytes.
	printf 'ABCDEFGHIJKLMNOPQRSTUVWXYZ' | hexdump -C | sed 's/^00000000  41/00000000  7a/' >"$BATS_TEST_TMPDIR/edited"
	run_zxmem vmo-write dst 0 --hexdump - <"$BATS_TEST_TMPDIR/edited"
	run_zxmem vmo-read dst 0 26 --format string
	assert_output zBCDEFGHIJKLMNOPQRSTUVWXYZ
}

@test "--hexdump refuses a dump whose offsets are not contiguous, and writes nothing" {
	run_zxmem vmo-create 4096 --name buf
	printf '00000000  41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|\n00000020  51\n00000021\n' >"$BATS_TEST_TMPDIR/gap"
	run_zxmem -64 vmo-write buf 0 --hexdump "$BATS_TEST_TMPDIR/gap"
	assert_usage_error "--hexdump"
	[[ "$stderr" == *contiguous* ]]
	printf '00000000  4x\n' >"$BATS_TEST_TMPDIR/bad"
	run_zxmem -64 vmo-write buf 0 --hexdump "$BATS_TEST_TMPDIR/bad"
	assert_usage_error "line 1"
	run_zxmem vmo-read buf 0 32 --format hex
	assert_output 0000000000000000000000000000000000000000000000000000000000000000
}

@test "--hexdump takes the dump of a full VMO whatever its offsets' width and line ends" {
	# A 64 KiB dump of process memory (12-digit offsets, 83 characters a
	# line) was refused as "more than 65536 bytes" for a 64 KiB VMO: the
	# text was capped at 5 times the bytes.
	head -c 65536 /dev/urandom >"$BATS_TEST_TMPDIR/bin"
	hexdump -C "$BATS_TEST_TMPDIR/bin" | sed -E 's/^([0-9a-f]{8})/7ffc\1/' >"$BATS_TEST_TMPDIR/dump12"
	hexdump -C "$BATS_TEST_TMPDIR/bin" | sed -E 's/^([0-9a-f]{8})/ffffff00\1/; s/$/\r/' >"$BATS_TEST_TMPDIR/dump16crlf"
	[ "$(stat -c %s "$BATS_TEST_TMPDIR/dump16crlf")" -gt $((65536 * 11 / 2)) ]
	run_zxmem vmo-create 64K --name v
	for d in dump12 dump16crlf; do
		run_zxmem vmo-write v 0 --hexdump "$BATS_TEST_TMPDIR/$d"
		"$ZXMEM" vmo-read v 0 64K -o "$BATS_TEST_TMPDIR/out" 3>&-
		cmp "$BATS_TEST_TMPDIR/bin" "$BATS_TEST_TMPDIR/out"
		run_zxmem vmo-write v 0 --hex 00 --repeat 64K
	done
	# One byte more than the VMO holds is still its own error.
	printf 'A' >>"$BATS_TEST_TMPDIR/bin"
	hexdump -C "$BATS_TEST_TMPDIR/bin" >"$BATS_TEST_TMPDIR/dump"
	run_zxmem -14 vmo-write v 0 --hexdump "$BATS_TEST_TMPDIR/dump"
	[[ "$stderr" == *"ZX_ERR_OUT_OF_RANGE: offset 0 + size 65537"* ]] || fail "$stderr"
}

@test "--hexdump text truncated while zxmem reads it is what was read: a cut line is refused and nothing is written" {
	# The text was mapped, and SIGBUS ended the command. It is read
	# now, 64 KiB at a time: stop after the first read, cut the file
	# there. Lines of 79 characters: the 64 KiB end inside line 830,
	# in the middle of its twelfth hex pair.
	load test_helper/stop
	head -c 64K /dev/urandom | hexdump -C >"$BATS_TEST_TMPDIR/dump"
	run_zxmem vmo-create 64K --name v
	zxmem_stop_at "$BATS_TEST_TMPDIR/dump" "read:when=1" vmo-write v 0 \
		--hexdump "$BATS_TEST_TMPDIR/dump"
	grep -q '= 65536$' "$ZX_STOP_LOG" || fail "$(cat "$ZX_STOP_LOG")"
	truncate -s 0 "$BATS_TEST_TMPDIR/dump"
	zxmem_resume -64
	assert_usage_error "--hexdump"
	[[ "$stderr" == *"line 830: expected at most 16 bytes as hex pairs"* ]] || fail "$stderr"
	run_zxmem vmo-read v 0 64K -o "$BATS_TEST_TMPDIR/out"
	cmp "$BATS_TEST_TMPDIR/out" <(head -c 64K /dev/zero)
}

@test "--hexdump refuses text after '*' and offsets past 64 bits, and writes nothing" {
	# fuzz_hexdump's reference parser: "* 51" was taken as a repeat that
	# dropped the bytes after it, and an offset that wrapped past
	# 0xffffffffffffffff passed as contiguous.
	local line='41 42 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABCDEFGHIJKLMNOP|'
	run_zxmem vmo-create 4096 --name buf
	printf '00000000  %s\n* 51\n00000020\n' "$line" >"$BATS_TEST_TMPDIR/star"
	run_zxmem -64 vmo-write buf 0 --hexdump "$BATS_TEST_TMPDIR/star"
	assert_usage_error "--hexdump"
	[[ "$stderr" == *"line 2: text after '*'"* ]] || fail "$stderr"
	printf 'fffffffffffffff0  %s\n0000000000000000  51\n0000000000000001\n' "$line" >"$BATS_TEST_TMPDIR/wrap"
	run_zxmem -64 vmo-write buf 0 --hexdump "$BATS_TEST_TMPDIR/wrap"
	assert_usage_error "--hexdump"
	[[ "$stderr" == *"line 1: the bytes go past offset 0xffffffffffffffff"* ]] || fail "$stderr"
	run_zxmem vmo-read buf 0 32 --format hex
	assert_output 0000000000000000000000000000000000000000000000000000000000000000
	# The same lines, well formed, are written.
	printf '00000000  %s\n*\n00000020  51\n00000021\n' "$line" >"$BATS_TEST_TMPDIR/good"
	run_zxmem vmo-write buf 0 --hexdump "$BATS_TEST_TMPDIR/good"
	run_zxmem vmo-read buf 0 33 --format string
	assert_output ABCDEFGHIJKLMNOPABCDEFGHIJKLMNOPQ
}

@test "DATA from an endless source reads only what can be written and reports the Zircon status" {
	# issue 10 item 12: --file /dev/zero grew without limit.
	run_zxmem vmo-create 8192 --name buf
	run_zxmem -14 vmo-write buf 4096 --file /dev/zero
	[[ "$stderr" == *ZX_ERR_OUT_OF_RANGE* ]] || fail "$stderr"
	[[ "$stderr" == *"more than 4096 bytes"* ]] || fail "$stderr"
	run_zxmem -14 vmo-write buf 0 - </dev/zero
	[[ "$stderr" == *ZX_ERR_OUT_OF_RANGE* ]] || fail "$stderr"
	run_zxmem -14 vmo-write buf 0 --hexdump /dev/zero
	enable_debugging
	spawn_target
	run_zxmem -10 process-write-memory "$TPID" counter --file /dev/zero
	[[ "$stderr" == *ZX_ERR_INVALID_ARGS* && "$stderr" == *67108864* ]] || fail "$stderr"
	# What fits is written, from a pipe too.
	run bash -c 'head -c 4096 /dev/zero | tr "\0" "z" | "$ZXMEM" vmo-write buf 4096 - 3>&-'
	assert_success
	run_zxmem vmo-read buf 8191 1 --format string
	assert_output z
}
