# SPDX-License-Identifier: GPL-3.0-or-later
# What bench/run.sh and bench/large.sh share: messages, building the C
# drivers of bench/ into $B/bench, and reading the NAME=VALUE lines that
# bench/timeit.c and bench/rusage.c print, and starting the target
# programs. Sourced, never run; the caller sets here (bench/), B, CC and
# (before start_ready) tmp.

die() { printf 'bench: FAILED: %s\n' "$*" >&2; exit 1; }
note() { printf 'bench: %s\n' "$*" >&2; }

# build_drivers PROG...: compile bench/PROG.c into $bin/PROG when it is
# missing or older than its source; floor_poke links libelf.
build_drivers() {
	local prog libs elf_flags
	bin=$B/bench
	mkdir -p "$bin"
	read -r -a elf_flags <<<"$(pkg-config --cflags --libs libelf)"
	for prog in "$@"; do
		if [[ ! -x $bin/$prog || $here/$prog.c -nt $bin/$prog ]]; then
			note "CC $bin/$prog"
			libs=()
			[[ $prog != floor_poke ]] || libs=("${elf_flags[@]}")
			"$CC" -std=c17 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE \
			    -o "$bin/$prog" "$here/$prog.c" "${libs[@]}"
		fi
	done
	timeit=$bin/timeit
}

# start_ready NAME TRIES PROG [ARG...]: run PROG in the background
# (stdout in $tmp/NAME.out, stderr in $tmp/NAME.err, no stdin) and wait
# for its "ready ..." line (test/helpers/*.c), looking every 0.05 s at most
# TRIES times; sets ready_pid and ready (the line). Dies if PROG exits
# first or never says it. Its PID joins started[], which the caller's
# cleanup kills; variables set on the call reach PROG
# (FINDER_HEAP_MB=64 start_ready ...).
started=()
start_ready() {
	local name=$1 tries=$2 i
	shift 2
	"$@" >"$tmp/$name.out" 2>"$tmp/$name.err" 3>&- </dev/null &
	ready_pid=$!
	started+=("$ready_pid")
	for ((i = 0; i < tries; i++)); do
		grep -q '^ready ' "$tmp/$name.out" && break
		kill -0 "$ready_pid" 2>/dev/null ||
			die "$name exited: $(cat "$tmp/$name.err")"
		sleep 0.05
	done
	ready=$(grep '^ready ' "$tmp/$name.out") || die "$name printed no ready line"
}

# field NAME LINE: the value of NAME=VALUE in a space-separated line
field() {
	local w
	for w in $2; do
		if [[ $w == "$1="* ]]; then printf '%s\n' "${w#*=}"; return 0; fi
	done
	die "no $1= in: $2"
}

# rss CMD...: CMD's peak RSS in KiB (stdout to /dev/null); CMD must succeed
rss() {
	local r
	r=$("$bin/rusage" -- "$@")
	[[ $(field status "$r") == 0 ]] || die "$* failed: $r"
	field maxrss_kb "$r"
}
median() { field median_ms "$1"; }
