#!/usr/bin/env bash
# zxmem benchmarks: `make bench` runs this with ZXMEM, ZXMEM_TEST_BIN and B set.
#
#   1. poke by symbol:  zxmem process-write-memory PID counter --u32 N
#                       vs gdb -p PID -batch -ex 'set var counter = N'
#                       target: zxmem/gdb <= 0.01
#   2. 64 MiB write:    zxmem process-write-memory PID BIG --file FILE
#                       vs bench/floor.c (read FILE, one pwrite to /proc/PID/mem)
#                       target: zxmem/floor <= 1.3
#                       (info: vs bench/floor_mmap.c, which maps FILE instead)
#   3. memcpy of 64 MiB in the same run, and the fraction of it zxmem reaches.
#
# Every figure is the median of RUNS timed runs (after one untimed warm-up),
# measured by bench/timeit.c (fork+execve, CLOCK_MONOTONIC).  Every timed
# command must succeed, and each side's effect on the target is checked.
# Exit 0 with PASS or MISS in the table; non-zero if anything failed to run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
B=${B:-build}
case $B in /*) ;; *) B=$root/$B ;; esac
ZXMEM=${ZXMEM:-$B/zxmem}
ZXMEM_TEST_BIN=${ZXMEM_TEST_BIN:-$B/test}
ZX_RUNS=${ZX_RUNS:-20}		# zxmem poke runs
GDB_RUNS=${GDB_RUNS:-10}	# gdb runs (0.3-2 s each)
WRITE_RUNS=${WRITE_RUNS:-25}	# 64 MiB write runs, each side
MEMCPY_COPIES=${MEMCPY_COPIES:-21}
CC=${CC:-cc}
gate=(-k kernel.enable-debugging-syscalls=true)

die() { printf 'bench: FAILED: %s\n' "$*" >&2; exit 1; }
note() { printf 'bench: %s\n' "$*" >&2; }

for tool in "$ZXMEM" "$ZXMEM_TEST_BIN/target"; do
	[[ -x $tool ]] || die "$tool is not built (run make && make test-helpers)"
done
command -v gdb >/dev/null || die "gdb is not installed (needed for the poke baseline)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/zxmem-bench.XXXXXX")
target_pid=
cleanup() {
	local rc=$?
	if [[ -n $target_pid ]]; then
		kill "$target_pid" 2>/dev/null || true
		wait "$target_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
	exit "$rc"
}
trap cleanup EXIT
trap 'printf "bench: FAILED (line %s): %s\n" "$LINENO" "$BASH_COMMAND" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# --- build the drivers ------------------------------------------------------
bin=$B/bench
mkdir -p "$bin"
for prog in timeit floor floor_mmap memcpy; do
	if [[ ! -x $bin/$prog || $here/$prog.c -nt $bin/$prog ]]; then
		note "CC $bin/$prog"
		"$CC" -std=c17 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
		    -o "$bin/$prog" "$here/$prog.c"
	fi
done
timeit=$bin/timeit

# field NAME LINE: the value of NAME=VALUE in a space-separated line
field() {
	local w
	for w in $2; do
		if [[ $w == "$1="* ]]; then printf '%s\n' "${w#*=}"; return 0; fi
	done
	die "no $1= in: $2"
}

# --- the target ---------------------------------------------------------------
"$ZXMEM_TEST_BIN/target" >"$tmp/target.out" 2>"$tmp/target.err" 3>&- </dev/null &
target_pid=$!
for _ in $(seq 100); do
	grep -q '^ready ' "$tmp/target.out" && break
	kill -0 "$target_pid" 2>/dev/null || die "target exited: $(cat "$tmp/target.err")"
	sleep 0.05
done
ready=$(grep '^ready ' "$tmp/target.out") || die "target printed no ready line"
pid=$(field pid "$ready")
big=$(field big "$ready")
[[ $pid == "$target_pid" ]] || die "target says pid=$pid, started $target_pid"
[[ $big == 0x* ]] || die "bad big address $big"

read_counter() {
	"$ZXMEM" process-read-memory "$pid" counter 4 --format u32
}

# --- 1. poke by symbol ----------------------------------------------------------
zx_val=$((100000 + RANDOM))
gdb_val=$((200000 + RANDOM))
note "poke: zxmem x$ZX_RUNS"
v=$(read_counter)
[[ $v != "$zx_val" ]] || die "counter already $zx_val"
zx_poke=$("$timeit" -n "$ZX_RUNS" -- \
    "$ZXMEM" "${gate[@]}" process-write-memory "$pid" counter --u32 "$zx_val")
v=$(read_counter)
[[ $v == "$zx_val" ]] || die "zxmem poke: counter is $v, want $zx_val"

note "poke: gdb x$GDB_RUNS"
gdb_poke=$("$timeit" -n "$GDB_RUNS" -- \
    gdb -nx -p "$pid" -batch -ex "set var counter = $gdb_val")
v=$(read_counter)
[[ $v == "$gdb_val" ]] || die "gdb poke: counter is $v, want $gdb_val"
kill -0 "$pid" || die "target died during the gdb runs"

# --- 2. 64 MiB write from a file --------------------------------------------------
size=$((64 * 1024 * 1024))
head -c "$size" /dev/urandom >"$tmp/data"
v=$(stat -c %s "$tmp/data")
[[ $v == "$size" ]] || die "could not make a 64 MiB file"

zero_big() {
	local out
	out=$("$ZXMEM" "${gate[@]}" process-write-memory "$pid" "$big" --hex 00 --repeat 64M)
	[[ $out == "$size" ]] || die "zeroing big: zxmem printed '$out'"
}
check_big() {	# check_big WHO: big must now hold the file's bytes
	rm -f "$tmp/back"
	"$ZXMEM" process-read-memory "$pid" "$big" 64M -o "$tmp/back"
	cmp -s "$tmp/data" "$tmp/back" || die "$1: big does not hold the file's bytes"
}

# Untimed checks: each side, from zeroed memory, really writes the 64 MiB.
zero_big
"$bin/floor" "$pid" "$big" "$tmp/data"
check_big floor
zero_big
"$bin/floor_mmap" "$pid" "$big" "$tmp/data"
check_big floor_mmap
zero_big
out=$("$ZXMEM" "${gate[@]}" process-write-memory "$pid" "$big" --file "$tmp/data")
[[ $out == "$size" ]] || die "zxmem 64 MiB write printed '$out', want $size"
check_big zxmem
rm -f "$tmp/back"

note "64 MiB write: zxmem, floor, floor_mmap, zxmem: x$WRITE_RUNS each"
zx_write=$("$timeit" -n "$WRITE_RUNS" -- \
    "$ZXMEM" "${gate[@]}" process-write-memory "$pid" "$big" --file "$tmp/data")
floor_write=$("$timeit" -n "$WRITE_RUNS" -- "$bin/floor" "$pid" "$big" "$tmp/data")
mmap_write=$("$timeit" -n "$WRITE_RUNS" -- "$bin/floor_mmap" "$pid" "$big" "$tmp/data")
# A second zxmem block after the floors: drift (CPU frequency, load) shows
# as a gap between the two, and the ratio uses their mean.
zx_write2=$("$timeit" -n "$WRITE_RUNS" -- \
    "$ZXMEM" "${gate[@]}" process-write-memory "$pid" "$big" --file "$tmp/data")
check_big "timed runs"
rm -f "$tmp/back"

# --- 3. memcpy ------------------------------------------------------------------
note "memcpy: x$MEMCPY_COPIES"
mc=$("$bin/memcpy" "$MEMCPY_COPIES")

kill -0 "$pid" || die "target died during the benchmark"

# --- the table --------------------------------------------------------------------
zx_poke_ms=$(field median_ms "$zx_poke")
gdb_poke_ms=$(field median_ms "$gdb_poke")
zx_w1=$(field median_ms "$zx_write")
zx_w2=$(field median_ms "$zx_write2")
floor_ms=$(field median_ms "$floor_write")
mmap_ms=$(field median_ms "$mmap_write")
mc_ms=$(field memcpy_64m_ms "$mc")
mc_gbps=$(field memcpy_gbps "$mc")

awk -v zp="$zx_poke_ms" -v gp="$gdb_poke_ms" \
    -v zpr="$(field min_ms "$zx_poke")/$(field max_ms "$zx_poke")" \
    -v gpr="$(field min_ms "$gdb_poke")/$(field max_ms "$gdb_poke")" \
    -v zw1="$zx_w1" -v zw2="$zx_w2" -v fw="$floor_ms" -v mw="$mmap_ms" \
    -v mwr="$(field min_ms "$mmap_write")/$(field max_ms "$mmap_write")" \
    -v zwr="$(field min_ms "$zx_write")/$(field max_ms "$zx_write")" \
    -v fwr="$(field min_ms "$floor_write")/$(field max_ms "$floor_write")" \
    -v mcm="$mc_ms" -v mcg="$mc_gbps" \
    -v zr="$ZX_RUNS" -v gr="$GDB_RUNS" -v wr="$WRITE_RUNS" -v mcc="$MEMCPY_COPIES" '
function verdict(ok) { return ok ? "PASS" : "MISS" }
BEGIN {
	zw = (zw1 + zw2) / 2	# the two zxmem write medians, averaged
	pr = zp / gp
	wrat = zw / fw
	size = 64 * 1048576
	printf "\n"
	printf "zxmem benchmarks (median wall time of N runs, ms; min/max in brackets)\n"
	printf "%-44s %12s  %s\n", "measurement", "median", "N [min/max]"
	printf "%-44s %12.3f  %d [%s]\n", "poke: zxmem process-write-memory counter", zp, zr, zpr
	printf "%-44s %12.3f  %d [%s]\n", "poke: gdb -batch set var counter", gp, gr, gpr
	printf "%-44s %12.3f  %d [%s] (2nd block %.3f)\n", "64 MiB: zxmem process-write-memory --file", zw1, wr, zwr, zw2
	printf "%-44s %12.3f  %d [%s]\n", "64 MiB: C floor (read + pwrite /proc/PID/mem)", fw, wr, fwr
	printf "%-44s %12.3f  %d [%s]\n", "64 MiB: mmap floor (mmap + pwrite, info)", mw, wr, mwr
	printf "%-44s %12.3f  %d copies (%.2f GB/s)\n", "64 MiB: memcpy", mcm, mcc, mcg
	printf "\n"
	printf "%-34s %12s %12s  %s\n", "target", "measured", "goal", "result"
	printf "%-34s %12.5f %12s  %s\n", "poke zxmem/gdb", pr, "<= 0.01", verdict(pr <= 0.01)
	printf "%-34s %12.3f %12s  %s\n", "64 MiB write zxmem/floor", wrat, "<= 1.3", verdict(wrat <= 1.3)
	printf "%-34s %12.3f %12s  %s\n", "64 MiB write zxmem/mmap floor", zw / mw, "(info)", "-"
	printf "%-34s %11.1f%% %12s  %s\n", "64 MiB write vs memcpy bandwidth", 100 * mcm / zw, "(info)", \
	    sprintf("zxmem %.2f GB/s, floor %.2f GB/s, memcpy %.2f GB/s", \
	    size / (zw / 1e3) / 1e9, size / (fw / 1e3) / 1e9, mcg)
}'
